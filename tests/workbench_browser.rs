//! The workbench in a real browser: headless Chromium driven through WebDriver
//! (`chromedriver`, raw WebDriver JSON over HTTP). It opens the page served for a copy of the
//! bundled case made by `abduce init`, rates a cell with the keyboard, drags a weight slider,
//! checks the posteriors the page shows against `abduce score --set …`, saves, and finds the
//! file changed in exactly the edited lines with its comments kept.
//!
//! Needs Debian's `chromium` and `chromium-driver` (or `ABDUCE_CHROMIUM` and
//! `ABDUCE_CHROMEDRIVER` naming other binaries). Without them the test fails when the
//! environment variable `CI` is set, and otherwise prints why it is skipped and passes.

#[path = "serve/common.rs"]
mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{cli_json, init_copy, numbers, start};
use serde_json::{Value, json};

const ARSENAL: &str = "evidence/afghan-tajik-border/04-2025-11-30-shodaki.toml";
const ITEM: &str = "afintl-border-units";

fn find(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A chromedriver child process and one browser session in it.
struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(driver: &PathBuf) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let d = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = d
                .agent
                .get(format!("{}/status", d.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return d;
            }
            assert!(Instant::now() < deadline, "chromedriver not ready in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut r = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        }
        .unwrap();
        let status = r.status();
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert!(status.is_success(), "WebDriver {method} {path}: {v}");
        v["value"].clone()
    }
}

/// One browser session.
struct Browser<'d> {
    d: &'d Driver,
    session: String,
}

impl Browser<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn script(&self, code: &str, args: Value) -> Value {
        self.d.call(
            "POST",
            &self.path("/execute/sync"),
            Some(json!({ "script": code, "args": args })),
        )
    }

    fn element(&self, css: &str) -> Value {
        let v = self.d.call(
            "POST",
            &self.path("/element"),
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_object().unwrap().values().next().unwrap().clone()
    }

    fn element_id(&self, css: &str) -> String {
        self.element(css).as_str().unwrap().to_string()
    }

    fn actions(&self, actions: Value) {
        self.d.call(
            "POST",
            &self.path("/actions"),
            Some(json!({ "actions": actions })),
        );
    }

    fn keys(&self, keys: &[&str]) {
        let mut list = Vec::new();
        for k in keys {
            list.push(json!({ "type": "keyDown", "value": k }));
            list.push(json!({ "type": "keyUp", "value": k }));
        }
        self.actions(json!([{ "type": "key", "id": "keyboard", "actions": list }]));
    }

    /// Waits until `code` (a function body returning a value) returns something truthy.
    fn wait_for(&self, what: &str, code: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let v = self.script(code, json!([]));
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn the_workbench_in_chromium_rates_drags_matches_the_command_line_and_saves() {
    let chromium = find("ABDUCE_CHROMIUM", &["chromium", "chromium-browser"]);
    let driver = find("ABDUCE_CHROMEDRIVER", &["chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "Chromium and chromedriver are required in CI: install Debian's `chromium` and \
                 `chromium-driver` packages"
            );
        }
        eprintln!(
            "SKIPPED the workbench browser test: no `chromium` and `chromedriver` on PATH. \
             Install them with `apt-get install -y chromium chromium-driver`."
        );
        return;
    };
    let dir = init_copy();
    let file = dir.path().join(ARSENAL);
    let before = std::fs::read_to_string(&file).unwrap();
    let server = start(dir.path(), &["--samples", "2000"]);

    let d = Driver::start(&driver);
    let session = d.call(
        "POST",
        "/session",
        Some(json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1400,900", "--no-first-run"],
            },
        }}})),
    );
    let b = Browser {
        d: &d,
        session: session["sessionId"].as_str().unwrap().to_string(),
    };
    b.d.call("POST", &b.path("/url"), Some(json!({ "url": server.url })));
    b.wait_for(
        "the matrix",
        "return document.querySelectorAll('#matrix td.cell').length",
    );

    // Keyboard: focus the item's etim cell (column 2), move left twice to taliban-local
    // (column 0), press 2 (= C).
    let etim = b.element_id(&format!("td.cell[data-item='{ITEM}'][data-h='2']"));
    b.d.call("POST", &b.path(&format!("/element/{etim}/click")), None);
    b.keys(&["\u{E012}", "\u{E012}", "2"]); // ArrowLeft, ArrowLeft, 2
    let rated = b.wait_for(
        "the rating",
        &format!(
            "const td = document.querySelector(\"td.cell[data-item='{ITEM}'][data-h='0']\"); \
             return td && td.classList.contains('edited') && td.textContent"
        ),
    );
    assert_eq!(rated, "C");
    assert_eq!(
        server.get("/api/state").json()["changes"][0]["quantity"],
        format!("evidence.{ITEM}.likelihood.taliban-local")
    );

    // Drag the weight slider to the left.
    let css = format!("input[type=range][data-path='evidence.{ITEM}.weight']");
    // Its centre in viewport pixels (after scrolling it into view).
    let centre = b.script(
        "const e = document.querySelector(arguments[0]); e.scrollIntoView({block: 'center'}); \
         const r = e.getBoundingClientRect(); \
         return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)]",
        json!([css]),
    );
    b.actions(json!([{
        "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
        "actions": [
            { "type": "pointerMove", "origin": "viewport", "x": centre[0], "y": centre[1] },
            { "type": "pointerDown", "button": 0 },
            { "type": "pointerMove", "origin": "pointer", "x": -12, "y": 0, "duration": 200 },
            { "type": "pointerMove", "origin": "pointer", "x": -6, "y": 0, "duration": 200 },
            { "type": "pointerUp", "button": 0 },
        ],
    }]));
    b.wait_for(
        "the weight edit",
        "return document.querySelectorAll('#steps li').length >= 2 \
         && document.getElementById('changes').textContent.includes('weight')",
    );
    let state = server.get("/api/state").json();
    // "0.87 [0.522, 1.305]": the point, then the range it moved.
    let weight = state["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["quantity"] == format!("evidence.{ITEM}.weight"))
        .expect("the weight is among the changes")["after"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let w: f64 = weight.parse().unwrap();
    assert!(
        (0.6..1.0).contains(&w),
        "dragged left from 1.0 within [0.6, 1.4]: {w}"
    );

    // The posteriors on the page equal the command line's for the same edits.
    let rating = format!("evidence.{ITEM}.likelihood.taliban-local=C");
    let weight_set = format!("evidence.{ITEM}.weight={weight}");
    let cli = cli_json(
        dir.path(),
        &["score", "--set", &rating, "--set", &weight_set],
    );
    b.wait_for(
        "the results of the last edit",
        &format!(
            "return document.querySelector('#command-line').textContent.includes(\"{weight_set}\")"
        ),
    );
    let shown = b.script(
        "return [...document.querySelectorAll('#posteriors tr[data-id]')]\
         .map(tr => [tr.dataset.id, Number(tr.querySelector('td.posterior').dataset.posterior)])",
        json!([]),
    );
    let expected: Vec<Value> = cli["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| json!([h["id"], h["posterior"]]))
        .collect();
    assert_eq!(shown, Value::Array(expected));

    // Save: the file changes in exactly the two edited lines; comments are kept.
    let save = b.element_id("#btn-save");
    b.d.call("POST", &b.path(&format!("/element/{save}/click")), None);
    b.wait_for(
        "the save",
        "return document.querySelectorAll('#steps li').length === 0 \
         && document.getElementById('btn-save').disabled",
    );
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(before.lines().count(), after.lines().count());
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(x, y)| x != y)
        .collect();
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert_eq!(
        changed[0],
        (
            "weight      = 1.0",
            format!("weight      = {weight}").as_str()
        )
    );
    // The weight's range [0.6, 1.4] moved with it: w × 0.6, w × 1.4.
    assert_eq!(changed[1].0, "weight_range = [0.6, 1.4]");
    let range: Vec<f64> = changed[1]
        .1
        .strip_prefix("weight_range = [")
        .and_then(|r| r.strip_suffix(']'))
        .unwrap()
        .split(", ")
        .map(|x| x.parse().unwrap())
        .collect();
    assert!((range[0] - w * 0.6).abs() < 1e-12 && (range[1] - w * 1.4).abs() < 1e-12);
    assert_eq!(
        changed[2],
        (
            "taliban-local   = { value = 0.6,  range = [0.4, 0.78] }",
            "taliban-local   = \"C\""
        )
    );
    assert_eq!(
        before.lines().filter(|l| l.contains('#')).count(),
        after.lines().filter(|l| l.contains('#')).count()
    );
    assert_eq!(numbers(&cli_json(dir.path(), &["score"])), numbers(&cli));

    // A screenshot of the page, kept with ABDUCE_KEEP_BROWSER_OUTPUT=<folder>.
    let png = b.d.call("GET", &b.path("/screenshot"), None);
    assert!(png.as_str().is_some_and(|s| s.len() > 10_000));
    if let Some(keep) = std::env::var_os("ABDUCE_KEEP_BROWSER_OUTPUT") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(
            PathBuf::from(keep).join("workbench.png.base64"),
            png.as_str().unwrap(),
        )
        .unwrap();
    }
    b.d.call("DELETE", &b.path(""), None);
}
