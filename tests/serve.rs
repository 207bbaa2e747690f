//! `abduce serve` over HTTP: every endpoint with good requests, each refused request of the
//! security model (docs/workbench.md), concurrent edits, saves into a copy made by `init`,
//! and the same numbers as the command line.

#[path = "serve/common.rs"]
mod common;

use std::process::Command;

use common::{cli_json, init_copy, numbers, start};
use serde_json::{Value, json};

const ARSENAL: &str = "evidence/afghan-tajik-border/04-2025-11-30-shodaki.toml";
const WEIGHT: &str = "evidence.afintl-border-units.weight=0.8";
const RATING: &str = "evidence.afintl-border-units.likelihood.taliban-local=C";

/// A small Monte Carlo for the tests that do not compare it (the debug build is slow).
const SMALL: [&str; 2] = ["--samples", "2000"];

fn leader(state: &Value) -> (String, f64) {
    let h = &state["results"]["score"]["hypotheses"][0];
    (
        h["id"].as_str().unwrap().to_string(),
        h["posterior"].as_f64().unwrap(),
    )
}

/// The lines of `a` and `b` that differ, as (line number, before, after); same line count.
fn changed_lines(a: &str, b: &str) -> Vec<(usize, String, String)> {
    assert_eq!(a.lines().count(), b.lines().count());
    a.lines()
        .zip(b.lines())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| (i + 1, x.to_string(), y.to_string()))
        .collect()
}

#[test]
fn start_up_prints_a_url_with_a_fresh_token_and_ctrl_c_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let a = start(dir.path(), &SMALL);
    let b = start(dir.path(), &SMALL);
    for s in [&a, &b] {
        assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
        assert_eq!(s.token.len(), 32);
        assert!(s.token.bytes().all(|c| c.is_ascii_hexdigit()));
    }
    assert_ne!(a.token, b.token, "each run draws its own token");
    assert_ne!(a.port, b.port);
    drop(b);
    // SIGINT (Ctrl-C): the server stops by itself and exits 0.
    let mut a = a;
    let pid = a.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = a.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn the_page_and_its_assets_need_the_token_and_carry_the_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &SMALL);
    let page = s.get(&format!("/?token={}", s.token));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&s.token),
        "the page carries the token for its calls"
    );
    assert!(page.body.contains("app.js"));
    assert!(
        !page.body.contains("http://") && !page.body.contains("https://"),
        "no external resource"
    );
    for asset in ["/app.js", "/app.css"] {
        assert_eq!(s.get(asset).status, 200, "{asset}");
    }
    assert!(
        !s.get("/app.js").body.contains("https://"),
        "no external resource"
    );
    // Headers, read raw.
    let raw = format!(
        "GET /?token={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        s.token, s.port
    );
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    use std::io::{Read, Write};
    conn.write_all(raw.as_bytes()).unwrap();
    let mut text = String::new();
    conn.read_to_string(&mut text).unwrap();
    let head = text.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
    assert!(head.contains("content-security-policy: default-src 'none'; script-src 'self'"));
    assert!(head.contains("referrer-policy: no-referrer"));
    assert!(head.contains("x-frame-options: deny"));
}

#[test]
fn requests_without_the_right_token_host_or_origin_are_refused_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &SMALL);
    let p = s.port;
    let t = &s.token;
    let req = |head: &str| s.raw(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes());
    let cases: Vec<(String, u16, &str)> = vec![
        (
            format!("GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:{p}"),
            401,
            "no_token",
        ),
        (
            format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{p}"),
            401,
            "no_token",
        ),
        (
            format!("GET /api/state?token=0123 HTTP/1.1\r\nHost: 127.0.0.1:{p}"),
            403,
            "bad_token",
        ),
        (
            format!(
                "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nX-Abduce-Token: {}",
                "f".repeat(32)
            ),
            403,
            "bad_token",
        ),
        // DNS rebinding: a name that resolves to 127.0.0.1, with the right token.
        (
            format!("GET /api/state?token={t} HTTP/1.1\r\nHost: evil.example:{p}"),
            403,
            "bad_host",
        ),
        (
            format!(
                "GET /api/state?token={t} HTTP/1.1\r\nHost: 127.0.0.1:{}",
                p.wrapping_add(1)
            ),
            403,
            "bad_host",
        ),
        (
            format!("GET /api/state?token={t} HTTP/1.1"),
            403,
            "bad_host",
        ),
        // A cross-site write, even with the token.
        (
            format!(
                "POST /api/discard?token={t} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://evil.example\r\nContent-Length: 0"
            ),
            403,
            "bad_origin",
        ),
        (
            format!(
                "POST /api/discard?token={t} HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{}\r\nContent-Length: 0",
                p.wrapping_add(1)
            ),
            403,
            "bad_origin",
        ),
    ];
    for (head, status, kind) in cases {
        let r = req(&head);
        assert_eq!(r.status, status, "{head}: {}", r.body);
        assert_eq!(r.json()["kind"], kind, "{head}");
        assert!(r.json()["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    // The right Host (either name) and Origin pass.
    for host in [format!("127.0.0.1:{p}"), format!("localhost:{p}")] {
        let r = req(&format!(
            "POST /api/discard?token={t} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nContent-Length: 0"
        ));
        assert_eq!(r.status, 200, "{host}: {}", r.body);
    }
    // Authorization: Bearer works too.
    let r = req(&format!(
        "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nAuthorization: Bearer {t}"
    ));
    assert_eq!(r.status, 200);
}

#[test]
fn malformed_requests_are_4xx_with_a_json_error_and_change_nothing() {
    let dir = init_copy();
    let s = start(dir.path(), &SMALL);
    let file = dir.path().join(ARSENAL);
    let before = std::fs::read_to_string(&file).unwrap();
    let checks: Vec<(common::Reply, u16, &str)> = vec![
        (s.post("/api/edit", "{not json"), 400, "bad_json"),
        (s.post("/api/edit", "{\"set\": 3}"), 400, "bad_json"),
        (
            s.post("/api/edit", "{\"set\": \"x\", \"extra\": 1}"),
            400,
            "bad_json",
        ),
        (s.post("/api/edit", "{}"), 400, "bad_json"),
        (s.post("/api/edit", "{\"set\": []}"), 400, "bad_request"),
        (
            s.edit(&["evidence.afintl-border-units"]),
            400,
            "bad_request",
        ),
        (
            s.edit(&["evidence.afintl-border-units.wieght=1"]),
            400,
            "bad_request",
        ),
        // A negative weight; an unknown item; a bad rating.
        (
            s.edit(&["evidence.afintl-border-units.weight=-2"]),
            422,
            "invalid",
        ),
        (s.edit(&["evidence.no-such-item.weight=1"]), 422, "invalid"),
        (
            s.edit(&["evidence.afintl-border-units.likelihood.etim=X"]),
            422,
            "invalid",
        ),
        // One bad assignment refuses the whole step.
        (s.edit(&[WEIGHT, "hypothesis.isk.prior=-1"]), 422, "invalid"),
        (s.post("/api/undo", "{\"x\":1}"), 400, "bad_json"),
        (s.post("/api/undo", ""), 409, "conflict"),
        (s.post("/api/redo", ""), 409, "conflict"),
        (s.post("/api/save", ""), 409, "conflict"),
        (
            s.post("/api/save-overlay", "{\"name\": \"../escape\"}"),
            422,
            "invalid",
        ),
        (
            s.post("/api/save-overlay", "{\"name\": \"\"}"),
            422,
            "invalid",
        ),
        (
            s.post("/api/save-as-case", "{\"folder\": \"copy\"}"),
            409,
            "conflict",
        ),
        (s.get("/api/report?format=pdf"), 400, "bad_request"),
        (s.get("/api/nothing"), 404, "not_found"),
        (s.get("/api/edit"), 405, "method_not_allowed"),
    ];
    for (r, status, kind) in checks {
        assert_eq!(r.status, status, "{}", r.body);
        assert_eq!(r.json()["kind"], kind, "{}", r.body);
    }
    // A body over the limit (64 KiB) is refused before it is read whole.
    let big = format!("{{\"set\": \"{}\"}}", "x".repeat(70_000));
    let r = s.raw(
        format!(
            "POST /api/edit HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Abduce-Token: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{big}",
            s.port,
            s.token,
            big.len()
        )
        .as_bytes(),
    );
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.json()["kind"], "too_large");
    // Nothing changed: no step, the file as it was.
    let state = s.get("/api/state").json();
    assert_eq!(state["revision"], 0);
    assert_eq!(state["steps"], json!([]));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    // The server still answers.
    assert_eq!(s.edit(&[WEIGHT]).status, 200);
}

#[test]
fn an_edit_gives_the_same_numbers_as_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &["--samples", "50000", "--seed", "7"]);
    let r = s.edit(&[RATING, WEIGHT]);
    assert_eq!(r.status, 200, "{}", r.body);
    let state = r.json();
    assert_eq!(state["samples"], 50000);
    let sets = ["--set", RATING, "--set", WEIGHT];
    let cli = |cmd: &[&str]| {
        let mut args = cmd.to_vec();
        args.extend(sets);
        cli_json(dir.path(), &args)
    };
    let results = &state["results"];
    assert_eq!(results["score"], cli(&["score"]));
    assert_eq!(
        results["monte_carlo"],
        cli(&["sweep", "monte-carlo", "--samples", "50000", "--seed", "7"])
    );
    assert_eq!(results["tornado"], cli(&["sweep", "tornado"]));
    assert_eq!(results["tipping"], cli(&["sweep", "tipping"]));
    assert_eq!(results["indicators"], cli(&["indicators"]));
    assert_eq!(
        state["command_line"],
        format!(
            "abduce sweep monte-carlo afghan-tajik-border --samples 50000 --seed 7 --set '{RATING}' --set '{WEIGHT}'"
        )
    );
    // The edit moved the numbers: the rating cell N → C raises taliban-local's likelihood.
    let before = cli_json(dir.path(), &["score"]);
    assert_ne!(results["score"], before);
}

#[test]
fn undo_redo_and_discard_walk_the_pending_steps() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &SMALL);
    let base = s.get("/api/state").json();
    assert_eq!(base["read_only"], true);
    let one = s.edit(&[WEIGHT]).json();
    let two = s.edit(&[RATING]).json();
    assert_eq!(two["revision"], 2);
    // A moved point moves its range: 0.8 × [0.6, 1.4] = [0.48, 1.12]; the rating C brings
    // its own value and range (0.7 in [0.5, 0.85]).
    assert_eq!(
        two["changes"],
        json!([
            {"quantity": "evidence.afintl-border-units.weight",
             "before": "1 [0.6, 1.4]", "after": "0.8 [0.48, 1.12]"},
            {"quantity": "evidence.afintl-border-units.likelihood.taliban-local",
             "before": "0.6 [0.4, 0.78]", "after": "C (0.7 [0.5, 0.85])"},
        ])
    );
    // Each step records the leader before and after it.
    let step = &two["steps"][1];
    assert_eq!(step["sets"], json!([RATING]));
    assert_eq!(step["leader_before"][0], leader(&one).0);
    assert_eq!(step["leader_before"][1], leader(&one).1);
    assert_eq!(step["leader_after"][1], leader(&two).1);
    let undone = s.post("/api/undo", "").json();
    assert_eq!(undone["results"]["score"], one["results"]["score"]);
    assert_eq!(undone["redo"], json!([[RATING]]));
    let redone = s.post("/api/redo", "{}").json();
    assert_eq!(redone["results"]["score"], two["results"]["score"]);
    // A new edit clears the redo list.
    s.post("/api/undo", "");
    let other = s.edit(&["hypothesis.isk.prior=1.5"]).json();
    assert_eq!(other["redo"], json!([]));
    let discarded = s.post("/api/discard", "").json();
    assert_eq!(discarded["steps"], json!([]));
    assert_eq!(discarded["changes"], json!([]));
    assert_eq!(discarded["results"]["score"], base["results"]["score"]);
}

#[test]
fn save_writes_the_edited_lines_only_keeping_comments_and_moves_the_range() {
    let dir = init_copy();
    let file = dir.path().join(ARSENAL);
    let before = std::fs::read_to_string(&file).unwrap();
    let s = start(dir.path(), &SMALL);
    assert_eq!(s.get("/api/state").json()["read_only"], false);
    let edited = s.edit(&[RATING, WEIGHT]).json();
    let r = s.post("/api/save", "");
    assert_eq!(r.status, 200, "{}", r.body);
    let saved = r.json();
    assert_eq!(saved["saved"], json!([ARSENAL]));
    assert_eq!(saved["steps"], json!([]));
    assert_eq!(
        numbers(&saved["results"]["score"]),
        numbers(&edited["results"]["score"])
    );
    let after = std::fs::read_to_string(&file).unwrap();
    let changed = changed_lines(&before, &after);
    let lines: Vec<(String, String)> = changed.into_iter().map(|(_, a, b)| (a, b)).collect();
    assert_eq!(
        lines,
        [
            (
                "weight      = 1.0".to_string(),
                "weight      = 0.8".to_string()
            ),
            // The range moves with the point: 0.8 × [0.6, 1.4].
            (
                "weight_range = [0.6, 1.4]".to_string(),
                "weight_range = [0.48, 1.12]".to_string()
            ),
            (
                "taliban-local   = { value = 0.6,  range = [0.4, 0.78] }".to_string(),
                "taliban-local   = \"C\"".to_string()
            ),
        ]
    );
    // The saved case scores as the edit did, on the command line.
    assert_eq!(saved["results"]["score"], cli_json(dir.path(), &["score"]));
}

#[test]
fn a_file_changed_on_disk_is_never_overwritten_and_reload_keeps_both_sides() {
    let dir = init_copy();
    let file = dir.path().join(ARSENAL);
    let s = start(dir.path(), &SMALL);
    s.edit(&[WEIGHT]);
    // Someone else edits the same file meanwhile (another item's weight line).
    let text = std::fs::read_to_string(&file).unwrap();
    let theirs = text.replacen(
        "information = 3            # \"may have involved\"",
        "information = 4            # \"may have involved\"",
        1,
    );
    assert_ne!(theirs, text);
    std::fs::write(&file, &theirs).unwrap();
    let state = s.get("/api/state").json();
    assert_eq!(state["changed_on_disk"], json!([ARSENAL]));
    let r = s.post("/api/save", "");
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains(ARSENAL));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        theirs,
        "their edit is kept"
    );
    // Reload: their file, our pending edit on top.
    let r = s.post("/api/reload", "").json();
    assert_eq!(r["changed_on_disk"], json!([]));
    assert_eq!(r["steps"][0]["sets"], json!([WEIGHT]));
    assert_eq!(s.post("/api/save", "").status, 200);
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("information = 4            # \"may have involved\""));
    // Ours: the weight and its moved range.
    assert_eq!(changed_lines(&theirs, &saved).len(), 2);
}

#[test]
fn save_as_overlay_writes_overlays_name_toml_that_scores_the_same() {
    let dir = init_copy();
    let s = start(dir.path(), &SMALL);
    let edited = s.edit(&[RATING, WEIGHT]).json();
    let r = s.post("/api/save-overlay", "{\"name\": \"analyst-b\"}");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["saved"], json!(["overlays/analyst-b.toml"]));
    assert_eq!(
        r.json()["steps"].as_array().unwrap().len(),
        1,
        "still pending"
    );
    let overlay = dir.path().join("overlays/analyst-b.toml");
    assert!(overlay.is_file());
    assert_eq!(
        numbers(&edited["results"]["score"]),
        numbers(&cli_json(
            dir.path(),
            &["score", "--overlay", "overlays/analyst-b.toml"]
        ))
    );
    // Never over an existing overlay.
    let again = s.post("/api/save-overlay", "{\"name\": \"analyst-b\"}");
    assert_eq!(again.status, 409);
}

#[test]
fn the_bundled_case_is_read_only_and_saves_into_a_new_case_folder() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &SMALL);
    let edited = s.edit(&[WEIGHT]).json();
    let r = s.post("/api/save", "");
    assert_eq!(
        (r.status, r.json()["kind"].clone()),
        (409, json!("read_only"))
    );
    let r = s.post("/api/save-overlay", "{\"name\": \"a\"}");
    assert_eq!(r.json()["kind"], "read_only");
    for bad in ["../up", "/abs", "a/../../b", ".hidden", ""] {
        let r = s.post("/api/save-as-case", &json!({ "folder": bad }).to_string());
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
    let r = s.post("/api/save-as-case", "{\"folder\": \"my-case\"}");
    assert_eq!(r.status, 200, "{}", r.body);
    let state = r.json();
    assert_eq!(state["read_only"], false);
    assert_eq!(state["steps"], json!([]));
    let copy = dir.path().join("my-case");
    assert!(copy.join(ARSENAL).is_file());
    assert!(
        std::fs::read_to_string(copy.join(ARSENAL))
            .unwrap()
            .contains("weight      = 0.8")
    );
    assert_eq!(
        numbers(&edited["results"]["score"]),
        numbers(&cli_json(&copy, &["score"]))
    );
    // A second save-as into the same folder: the case has its folder now.
    let r = s.post("/api/save-as-case", "{\"folder\": \"my-case\"}");
    assert_eq!(r.status, 409);
}

#[cfg(unix)]
#[test]
fn a_case_file_linked_from_outside_the_case_folder_is_not_written() {
    let dir = init_copy();
    let outside = tempfile::tempdir().unwrap();
    let file = dir.path().join(ARSENAL);
    let target = outside.path().join("sarchashma.toml");
    std::fs::rename(&file, &target).unwrap();
    std::os::unix::fs::symlink(&target, &file).unwrap();
    let before = std::fs::read_to_string(&target).unwrap();
    let s = start(dir.path(), &SMALL);
    s.edit(&[WEIGHT]);
    let r = s.post("/api/save", "");
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("outside the case folder")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), before);
}

#[test]
fn concurrent_edits_are_all_applied_in_some_order() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &SMALL);
    let edits = [
        "hypothesis.isk.prior=1.5",
        "hypothesis.etim.prior=0.8",
        "evidence.afintl-border-units.weight=0.7",
        "evidence.afintl-border-units.likelihood.taliban-kabul=I",
        "evidence.taliban-response.likelihood.other-unknown=C",
        "hypothesis.gold-feud.prior=0.6",
    ];
    std::thread::scope(|scope| {
        for e in edits {
            let s = &s;
            scope.spawn(move || {
                let r = s.edit(&[e]);
                assert_eq!(r.status, 200, "{e}: {}", r.body);
            });
        }
    });
    let state = s.get("/api/state").json();
    assert_eq!(state["revision"], edits.len());
    let mut applied: Vec<String> = state["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["sets"][0].as_str().unwrap().to_string())
        .collect();
    applied.sort();
    let mut expected: Vec<String> = edits.iter().map(|e| e.to_string()).collect();
    expected.sort();
    assert_eq!(applied, expected);
    // The result is the command line's with the same --sets in the order they were applied
    // (the provenance lists them in that order).
    let order: Vec<String> = state["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| st["sets"][0].as_str().unwrap().to_string())
        .collect();
    let mut args = vec!["score"];
    for e in &order {
        args.extend(["--set", e.as_str()]);
    }
    assert_eq!(state["results"]["score"], cli_json(dir.path(), &args));
}

#[test]
fn the_report_of_the_current_state_downloads_in_three_formats() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path(), &["--samples", "2000", "--seed", "3"]);
    s.edit(&[WEIGHT]);
    let json = s.get("/api/report?format=json");
    assert_eq!(json.status, 200);
    let cli = cli_json(
        dir.path(),
        &[
            "report",
            "--samples",
            "2000",
            "--seed",
            "3",
            "--set",
            WEIGHT,
        ],
    );
    assert_eq!(json.json(), cli);
    let md = s.get("/api/report?format=md");
    assert_eq!(md.status, 200);
    assert!(
        md.body.starts_with("# "),
        "{}",
        &md.body[..80.min(md.body.len())]
    );
    let html = s.get("/api/report");
    assert_eq!(html.status, 200);
    assert!(html.body.contains("<svg"));
}
