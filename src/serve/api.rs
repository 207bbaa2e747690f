//! The workbench's routes: the page and its assets, and the JSON API (`docs/workbench.md`,
//! "API"). Handlers parse and validate the request, then run the session's method on a
//! blocking thread (the sweeps use rayon); every refusal is a 4xx with a JSON body
//! `{"error": "...", "kind": "..."}`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use abduce::Error;
use abduce::render::{Document, Format};
use abduce::workbench::{Refusal, Session};

use super::{App, error, guard};

/// The largest request body accepted (an edit is a few hundred bytes).
pub const BODY_LIMIT: usize = 64 * 1024;

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");

/// The routes, behind the checks of [`guard::check`] and the body limit.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/api/state", get(state))
        .route("/api/edit", post(edit))
        .route("/api/preview", post(preview))
        .route("/api/undo", post(undo))
        .route("/api/redo", post(redo))
        .route("/api/discard", post(discard))
        .route("/api/reload", post(reload))
        .route("/api/save", post(save))
        .route("/api/save-as-case", post(save_as_case))
        .route("/api/save-overlay", post(save_overlay))
        .route("/api/report", get(report))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not_found", "no such page") })
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this method is not allowed here",
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            guard::check,
        ))
        .with_state(app)
}

fn refusal(r: &Refusal) -> Response {
    let (status, kind) = match r {
        Refusal::Invalid(Error::Usage(_)) => (StatusCode::BAD_REQUEST, "bad_request"),
        Refusal::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        Refusal::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        Refusal::ReadOnly(_) => (StatusCode::CONFLICT, "read_only"),
    };
    error(status, kind, &r.message())
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn index(State(app): State<Arc<App>>) -> Response {
    // The token goes into the page for its calls; it is a 32-digit hex string.
    let page = INDEX.replace("{{TOKEN}}", &app.token);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

/// The state the page shows: the session's view, its results, and how long they took.
fn state_json(s: &Session) -> Value {
    let mut v = serde_json::to_value(s.view()).expect("views serialise");
    v["results"] = serde_json::to_value(s.results()).expect("results serialise");
    v["server_ms"] = json!(s.millis());
    v["command_line"] = json!(command_line(s));
    v["non_diagnostic_db"] = json!(abduce::score::explain::NON_DIAGNOSTIC_DB);
    v
}

/// The command that gives the same numbers on the command line.
fn command_line(s: &Session) -> String {
    let mut cmd = format!(
        "abduce sweep monte-carlo {} --samples {} --seed {}",
        s.current().name,
        s.samples(),
        s.seed()
    );
    for set in s.sets() {
        cmd += &format!(" --set '{set}'");
    }
    cmd
}

/// Runs `f` on the session on a blocking thread; replies with the state, or the refusal.
async fn with_session(
    app: Arc<App>,
    f: impl FnOnce(&mut Session) -> Result<Option<Value>, Refusal> + Send + 'static,
) -> Response {
    let result = tokio::task::spawn_blocking(move || {
        let mut s = match app.session.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut s).map(|extra| {
            let mut v = state_json(&s);
            if let Some(extra) = extra {
                v["saved"] = extra;
            }
            v
        })
    })
    .await;
    respond(
        result,
        "the request failed inside the server; the case files were not changed",
    )
}

/// A request refused before it reaches the session: status, kind and message.
struct Bad(StatusCode, &'static str, String);

impl IntoResponse for Bad {
    fn into_response(self) -> Response {
        error(self.0, self.1, &self.2)
    }
}

/// Parses a JSON body into `T` (unknown fields refused); an empty body is `{}`.
fn body<T: for<'de> Deserialize<'de>>(bytes: Result<Bytes, BytesRejection>) -> Result<T, Bad> {
    let bytes = bytes.map_err(|r| {
        let status = r.status();
        let kind = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "bad_request"
        };
        Bad(status, kind, r.body_text())
    })?;
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &bytes
    };
    serde_json::from_slice(bytes).map_err(|e| {
        Bad(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("the request body is not the expected JSON: {e}"),
        )
    })
}

/// `{}`: a request with no parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

/// One or several `PATH=VALUE`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Sets {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditBody {
    set: Sets,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FolderBody {
    folder: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NameBody {
    name: String,
}

async fn state(State(app): State<Arc<App>>) -> Response {
    with_session(app, |_| Ok(None)).await
}

/// The assignments of an edit or preview body.
fn sets_of(bytes: Result<Bytes, BytesRejection>) -> Result<Vec<String>, Bad> {
    let sets = match body::<EditBody>(bytes)? {
        EditBody { set: Sets::One(s) } => vec![s],
        EditBody { set: Sets::Many(v) } => v,
    };
    if sets.len() > 1000 {
        return Err(Bad(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "at most 1000 assignments in one edit".into(),
        ));
    }
    Ok(sets)
}

async fn edit(State(app): State<Arc<App>>, bytes: Result<Bytes, BytesRejection>) -> Response {
    match sets_of(bytes) {
        Ok(sets) => with_session(app, move |s| s.edit(&sets).map(|()| None)).await,
        Err(r) => r.into_response(),
    }
}

/// The results with the assignments added, without keeping them: `{"results", "server_ms"}`.
async fn preview(State(app): State<Arc<App>>, bytes: Result<Bytes, BytesRejection>) -> Response {
    let sets = match sets_of(bytes) {
        Ok(sets) => sets,
        Err(r) => return r.into_response(),
    };
    let result = tokio::task::spawn_blocking(move || {
        let s = match app.session.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        s.preview(&sets).map(|(results, ms)| {
            json!({
                "revision": s.revision(),
                "results": serde_json::to_value(results).expect("results serialise"),
                "server_ms": ms,
            })
        })
    })
    .await;
    respond(result, "the request failed inside the server")
}

/// The response to a session call run on the blocking pool: its JSON, its refusal, or
/// `internal` when the call itself failed (a panic in the library).
fn respond<E>(result: Result<Result<Value, Refusal>, E>, internal: &str) -> Response {
    match result {
        Ok(Ok(v)) => axum::Json(v).into_response(),
        Ok(Err(r)) => refusal(&r),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", internal),
    }
}

/// A POST with an empty body (`{}`) that runs `f`.
async fn simple(
    app: Arc<App>,
    bytes: Result<Bytes, BytesRejection>,
    f: impl FnOnce(&mut Session) -> Result<Option<Value>, Refusal> + Send + 'static,
) -> Response {
    match body::<Empty>(bytes) {
        Ok(Empty {}) => with_session(app, f).await,
        Err(r) => r.into_response(),
    }
}

async fn undo(State(app): State<Arc<App>>, bytes: Result<Bytes, BytesRejection>) -> Response {
    simple(app, bytes, |s| s.undo().map(|()| None)).await
}

async fn redo(State(app): State<Arc<App>>, bytes: Result<Bytes, BytesRejection>) -> Response {
    simple(app, bytes, |s| s.redo().map(|()| None)).await
}

async fn discard(State(app): State<Arc<App>>, bytes: Result<Bytes, BytesRejection>) -> Response {
    simple(app, bytes, |s| s.discard().map(|()| None)).await
}

async fn reload(State(app): State<Arc<App>>, bytes: Result<Bytes, BytesRejection>) -> Response {
    simple(app, bytes, |s| s.reload().map(|()| None)).await
}

async fn save(State(app): State<Arc<App>>, bytes: Result<Bytes, BytesRejection>) -> Response {
    simple(app, bytes, |s| s.save().map(|files| Some(json!(files)))).await
}

async fn save_as_case(
    State(app): State<Arc<App>>,
    bytes: Result<Bytes, BytesRejection>,
) -> Response {
    match body::<FolderBody>(bytes) {
        Ok(FolderBody { folder }) => {
            with_session(app, move |s| {
                s.save_as_case(&folder).map(|files| Some(json!(files)))
            })
            .await
        }
        Err(r) => r.into_response(),
    }
}

async fn save_overlay(
    State(app): State<Arc<App>>,
    bytes: Result<Bytes, BytesRejection>,
) -> Response {
    match body::<NameBody>(bytes) {
        Ok(NameBody { name }) => {
            with_session(app, move |s| {
                s.save_overlay(&name).map(|file| Some(json!([file])))
            })
            .await
        }
        Err(r) => r.into_response(),
    }
}

#[derive(Deserialize)]
struct ReportQuery {
    format: Option<String>,
}

/// The report of the current state (`abduce report` with the workbench's samples and seed
/// and the pending edits as `--set`), as a download.
async fn report(
    State(app): State<Arc<App>>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    let format = match query {
        Ok(q) => q.0.format,
        Err(r) => return error(r.status(), "bad_request", &r.body_text()),
    };
    let (format, ext, kind) = match format.as_deref().unwrap_or("html") {
        "html" => (Format::Html, "html", "text/html; charset=utf-8"),
        "md" => (Format::Md, "md", "text/markdown; charset=utf-8"),
        "json" => (Format::Json, "json", "application/json"),
        other => {
            return error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!("format `{other}`: expected html, md or json"),
            );
        }
    };
    let result = tokio::task::spawn_blocking(move || {
        let s = match app.session.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        let case = s.current().clone();
        let (samples, seed) = (s.samples(), s.seed());
        drop(s);
        abduce::report::build(&case, samples, seed, &|_| {})
            .and_then(|r| r.render(format))
            .map(|bytes| (case.name, bytes))
    })
    .await;
    match result {
        Ok(Ok((name, bytes))) => (
            [
                (header::CONTENT_TYPE, kind.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}-workbench.{ext}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => refusal(&Refusal::Invalid(e)),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the report failed inside the server",
        ),
    }
}
