//! `abduce serve`: the analyst's workbench over HTTP on the loopback interface
//! (`docs/workbench.md`). This module is the only place that knows tokio and axum; every
//! request is routed to a [`Session`] of the library, which does the work with the same
//! functions as the command line.

mod api;
mod guard;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use abduce::Error;
use abduce::case::discover::{self, CaseLocation};
use abduce::error::Doing;
use abduce::workbench::Session;

use crate::cli::{CaseArg, Sampling};

/// What the server shares between requests.
pub struct App {
    /// The port it listens on (the Host and Origin headers must name it).
    pub port: u16,
    /// The per-run token every request must carry.
    pub token: String,
    /// The case being tuned.
    pub session: Mutex<Session>,
}

/// A JSON error response `{"error": message, "kind": kind}`: every refusal, whether the
/// guard's ([`guard::check`]) or a handler's.
fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "error": message, "kind": kind })),
    )
        .into_response()
}

/// A random token of 128 bits from the operating system, in hex.
fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Doing::DrawToken.failed(std::io::Error::other(e.to_string())))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Opens `url` in the desktop's browser; a failure is a warning.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!(
            "abduce: warning: cannot open a browser with `{opener}`: {e}; open the URL above"
        );
    }
}

/// `abduce serve [CASE] [--port P] [--open] [--samples N] [--seed S]`.
pub fn run(
    case: &CaseArg,
    port: Option<u16>,
    open: bool,
    sampling: &Sampling,
) -> Result<(), Error> {
    let cwd = std::env::current_dir().map_err(|e| Doing::ReadCurrentFolder.failed(e))?;
    let location = match discover::locate(case.case.as_deref(), &cwd)? {
        CaseLocation::File(p) => CaseLocation::File(absolute(&cwd, p)),
        CaseLocation::Bundled => CaseLocation::Bundled,
    };
    let samples = sampling.samples.unwrap_or(abduce::workbench::SAMPLES);
    let session = Session::open(location, &cwd, samples, sampling.seed)?;
    let token = random_token()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Doing::StartRuntime.failed(e))?;
    runtime.block_on(serve(session, token, port, open))
}

fn absolute(cwd: &std::path::Path, p: PathBuf) -> PathBuf {
    if p.is_absolute() { p } else { cwd.join(p) }
}

async fn serve(
    session: Session,
    token: String,
    port: Option<u16>,
    open: bool,
) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port.unwrap_or(0)))
        .await
        .map_err(|e| Doing::Listen.failed(e))?;
    let port = listener
        .local_addr()
        .map_err(|e| Doing::ReadListeningAddress.failed(e))?
        .port();
    let case = session.current().name.clone();
    let read_only = session.current().bundled;
    let app = Arc::new(App {
        port,
        token,
        session: Mutex::new(session),
    });
    let url = format!("http://127.0.0.1:{port}/?token={}", app.token);
    println!("abduce: serving the case `{case}` at {url}");
    if read_only {
        println!(
            "abduce: this is the bundled case: it is read-only; Save writes it into a new case \
             folder under the current folder first"
        );
    }
    println!("abduce: press Ctrl-C to stop");
    if open {
        open_browser(&url);
    }
    axum::serve(listener, api::router(app))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| Doing::Serve.failed(e))?;
    println!("abduce: stopped");
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
