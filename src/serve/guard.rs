//! The checks every request passes before it reaches a handler (`docs/workbench.md`,
//! "Security model"): the Host header names this server (no DNS rebinding), the Origin header,
//! when present, is this server's (no cross-site writes), and the per-run token is given.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{App, error};

/// The header that carries the token (the page sends it with every call).
pub const TOKEN_HEADER: &str = "x-abduce-token";

/// Equal strings, compared in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token of a request: the `X-Abduce-Token` header, `Authorization: Bearer T`, or the
/// `token` query parameter.
fn token_of(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(v) = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(v.trim().to_string());
    }
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .map(str::to_string)
}

/// Refuses a request whose Host, Origin or token is wrong; adds the security headers to
/// every response.
pub async fn check(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let hosts = [
        format!("127.0.0.1:{}", app.port),
        format!("localhost:{}", app.port),
    ];
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let refusal = if !host.is_some_and(|h| hosts.iter().any(|x| x == h)) {
        Some(error(
            StatusCode::FORBIDDEN,
            "bad_host",
            &format!(
                "the Host header must be 127.0.0.1:{0} or localhost:{0}",
                app.port
            ),
        ))
    } else if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| hosts.iter().any(|x| x == o));
        (!ok).then(|| {
            error(
                StatusCode::FORBIDDEN,
                "bad_origin",
                "requests from other sites are refused",
            )
        })
    } else {
        None
    };
    // Host and Origin are right: the token decides.
    let refusal = refusal.or_else(|| {
        let t = token_of(request.headers(), request.uri().query());
        match t {
            None => Some(error(
                StatusCode::UNAUTHORIZED,
                "no_token",
                "this request carries no token: open the URL abduce serve printed",
            )),
            Some(t) if !same(&t, &app.token) => Some(error(
                StatusCode::FORBIDDEN,
                "bad_token",
                "wrong token: open the URL this run of abduce serve printed",
            )),
            Some(_) => None,
        }
    });
    let mut response = match refusal {
        Some(r) => r.into_response(),
        None => next.run(request).await,
    };
    let h = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in fixed {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}
