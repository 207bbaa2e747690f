//! Starting `abduce serve` as a child process and talking to it over HTTP (shared by
//! tests/serve.rs and tests/workbench_browser.rs).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running `abduce serve`.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub token: String,
    pub url: String,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A reply: status and body.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The `abduce` binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_abduce")
}

/// A folder holding a copy of the bundled case written by `abduce init`.
pub fn init_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// The bundled case's file `rel` (e.g. `evidence/afghan-tajik-border/05-...toml`) in `dir`.
pub fn case_file(dir: &Path, rel: &str) -> PathBuf {
    dir.join(rel)
}

/// Starts `abduce serve ARGS` in `cwd` and reads the URL it prints.
pub fn start(cwd: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(bin())
        .arg("serve")
        .args(args)
        // Reports carry the time they were made; fixed, they compare with the command line's.
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    if line.is_empty() {
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        panic!("abduce serve printed nothing; stderr:\n{err}");
    }
    // Keep reading stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = out.read_to_string(&mut sink);
    });
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
    let (port, token) = rest.split_once("/?token=").unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    Server {
        child,
        port: port.parse().unwrap(),
        token: token.to_string(),
        url,
        agent,
    }
}

impl Server {
    fn at(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// GET with the token header.
    pub fn get(&self, path: &str) -> Reply {
        let r = self
            .agent
            .get(self.at(path))
            .header("X-Abduce-Token", &self.token)
            .call()
            .unwrap();
        reply(r)
    }

    /// POST a body with the token header.
    pub fn post(&self, path: &str, body: &str) -> Reply {
        let r = self
            .agent
            .post(self.at(path))
            .header("X-Abduce-Token", &self.token)
            .header("Content-Type", "application/json")
            .send(body)
            .unwrap();
        reply(r)
    }

    /// POST `{"set": [...]}` to /api/edit.
    pub fn edit(&self, sets: &[&str]) -> Reply {
        self.post("/api/edit", &serde_json::json!({ "set": sets }).to_string())
    }

    /// Sends raw bytes over a fresh connection and returns the status and body (for
    /// requests a client library would not build: wrong Host, huge bodies).
    pub fn raw(&self, request: &[u8]) -> Reply {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.write_all(request).unwrap();
        let mut text = Vec::new();
        let _ = s.read_to_end(&mut text);
        let text = String::from_utf8_lossy(&text).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map_or("", |x| x.1).to_string();
        Reply { status, body }
    }
}

fn reply(mut r: ureq::http::Response<ureq::Body>) -> Reply {
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().unwrap_or_default();
    Reply { status, body }
}

/// Runs the `abduce` command line in `cwd` and parses its JSON output.
pub fn cli_json(cwd: &Path, args: &[&str]) -> Value {
    let out = Command::new(bin())
        .args(args)
        .args(["--format", "json", "-q"])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "abduce {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A JSON document without its `provenance` (which names the case files' digest and the
/// what-ifs, so it differs between a what-if and the same values saved into the files).
pub fn numbers(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("provenance");
    }
    v
}
