//! Input that could hang, crash or mislead (issue 14): each finding as a regression test with
//! the whole standard error and the exit status.

#[path = "fixtures/harness.rs"]
mod harness;

use harness::{abduce, folder};

const H: &str = "[[hypothesis]]\nid = \"a\"\n\n[[hypothesis]]\nid = \"other\"\n";

const DEVICE: &str =
    "not a regular file (a device, pipe or socket); abduce reads only regular files";

/// An evidence path naming a device is refused before it is read (it used to read
/// `/dev/zero` forever).
#[test]
fn evidence_path_to_a_device_is_refused() {
    let hyp = format!("[case]\nevidence = [\"/dev/zero\"]\n\n{H}");
    let dir = folder(&[("hypotheses/c.toml", hyp.as_bytes())]);
    assert_eq!(
        abduce(dir.path(), &["check"]).fails(1),
        format!("/dev/zero: error: cannot read the file: {DEVICE}\n")
    );
}

/// A FIFO named as an evidence file is refused without opening it (opening would block
/// until a writer came); in an evidence folder it is not a case file and is skipped.
#[test]
fn evidence_fifo_is_refused() {
    let hyp = format!("[case]\nevidence = [\"../pipe.toml\"]\n\n{H}");
    let dir = folder(&[("hypotheses/c.toml", hyp.as_bytes())]);
    let fifo = dir.path().join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(
        abduce(dir.path(), &["check"]).fails(1),
        format!("pipe.toml: error: cannot read the file: {DEVICE}\n")
    );
}

/// Overlays and batch plans are read under the same rule.
#[test]
fn overlay_and_plan_paths_to_a_device_are_refused() {
    let dir = folder(&[
        ("hypotheses/c.toml", H.as_bytes()),
        (
            "evidence/c/a.toml",
            b"[[evidence]]\nid = \"e1\"\ncredibility = 0.8\nlikelihood = { a = 0.7, other = 0.3 }\n",
        ),
    ]);
    assert_eq!(
        abduce(dir.path(), &["score", "--overlay", "/dev/zero"]).fails(1),
        format!("/dev/zero: error: cannot read the overlay: {DEVICE}\n")
    );
    assert_eq!(
        abduce(dir.path(), &["batch", "/dev/zero"]).fails(1),
        format!("/dev/zero: error: cannot read the plan: {DEVICE}\n")
    );
}

/// `--samples` beyond counting is a usage error naming what was asked (it was a panic, exit
/// 101, and an abort, exit 134). The bundled case has 15 Sobol factors: a base row is 17
/// scenarios.
#[test]
fn sobol_samples_beyond_counting_are_refused() {
    // Sobol streams its base rows (memory does not grow with N), so a large N is only slow
    // (Ctrl-C stops it); but N·(F + 2) scenarios must fit in 64 bits: (2^64 − 1) × 17 does not.
    let dir = folder(&[]);
    assert_eq!(
        abduce(
            dir.path(),
            &["sweep", "sobol", "-q", "--samples", "18446744073709551615"],
        )
        .fails(2),
        "abduce: error: --samples 18446744073709551615 with 15 factors asks for more than 2^64 scenarios\n"
    );
}

/// A misspelt item column is refused with "did you mean" (it was imported as a fifth
/// hypothesis that ranked second).
#[test]
fn csv_import_refuses_a_misspelt_column() {
    let dir = folder(&[(
        "m.csv",
        b"id,title,Credibilty,ETIM,ISK,Other\ne1,x,0.5,C,N,I\n",
    )]);
    assert_eq!(
        abduce(dir.path(), &["import", "csv", "m.csv"]).fails(1),
        "m.csv: error: line 1: unknown column `Credibilty`; did you mean `credibility`? (a hypothesis whose name is this close to `credibility` needs another name)\n"
    );
    assert!(!dir.path().join("hypotheses").exists());
}

/// Thousands of rows with one id get `dup`, `dup-2`, …, `dup-3000` (the ids are made with a
/// hash set; the old search was cubic).
#[test]
fn csv_import_numbers_repeated_ids() {
    let mut csv = String::from("id,ETIM,ISK,Other\n");
    for _ in 0..3000 {
        csv += "dup,C,N,I\n";
    }
    let dir = folder(&[("d.csv", csv.as_bytes())]);
    let run = abduce(dir.path(), &["import", "csv", "d.csv", "-q"]);
    run.assert_ok();
    let text = std::fs::read_to_string(dir.path().join("evidence/d/d.toml")).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("id"))
        .map(|l| l.trim_start_matches([' ', '=']).trim_matches('"'))
        .collect();
    assert_eq!(ids.len(), 3000);
    assert_eq!((ids[0], ids[1], ids[2999]), ("dup", "dup-2", "dup-3000"));
}

const DUPLICATE: &str = r#"[[source]]
id = "s1"

[[evidence]]
id = "e1"
source = "s1"
date = 2025-11-26
credibility = 0.8
likelihood = { a = 0.7, other = 0.3 }

[[evidence]]
id = "e1-copy"
source = "s1"
date = 2025-11-26
credibility = 0.8
likelihood = { a = 0.7, other = 0.3 }
"#;

/// The same item pasted under a new id is warned about (it was silently counted twice).
#[test]
fn check_warns_about_likely_duplicates() {
    let dir = folder(&[
        ("hypotheses/c.toml", H.as_bytes()),
        ("evidence/c/a.toml", DUPLICATE.as_bytes()),
    ]);
    let run = abduce(dir.path(), &["check"]);
    run.assert_ok();
    assert_eq!(
        run.stderr,
        "evidence/c/a.toml:12:6: warning: evidence `e1-copy` has the same likelihood row, source and date as `e1` (evidence/c/a.toml:5:6): a likely duplicate, counted twice; group them or retract one\n   |\n12 | id = \"e1-copy\"\n   |      ^^^^^^^^^\n"
    );
    // Grouped together, the two are the analyst's decision: no warning.
    let grouped = DUPLICATE
        .replace("[[evidence]]", "[[evidence]]\ngroup = \"g\"")
        .replace(
            "[[source]]",
            "[[group]]\nid = \"g\"\ncorrelation = 0.9\n\n[[source]]",
        );
    let dir = folder(&[
        ("hypotheses/c.toml", H.as_bytes()),
        ("evidence/c/a.toml", grouped.as_bytes()),
    ]);
    let run = abduce(dir.path(), &["check"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

/// A syntax error in one file no longer hides an unknown source in another; an id the
/// broken file seems to declare is not reported (it may be declared).
#[test]
fn a_broken_file_hides_only_what_it_may_declare() {
    let dir = folder(&[
        ("hypotheses/c.toml", H.as_bytes()),
        (
            "evidence/c/1.toml",
            b"[[source]]\nid = \"s1\"\n\n[[evidence]]\nid = \"e1\"\ndate = 2025-13-45\nlikelihood = { a = 0.5, other = 0.4 }\n",
        ),
        (
            "evidence/c/2.toml",
            b"[[evidence]]\nid = \"e2\"\nsource = \"nope\"\nlikelihood = { a = 0.5, other = 0.4 }\n\n[[evidence]]\nid = \"e3\"\nsource = \"s1\"\nlikelihood = { a = 0.5, other = 0.4 }\n",
        ),
    ]);
    assert_eq!(
        abduce(dir.path(), &["check"]).fails(1),
        r#"evidence/c/1.toml:6:8: error: TOML syntax: invalid date, expected month between 01 and 12
  |
6 | date = 2025-13-45
  |        ^^^^^^^^^^
evidence/c/2.toml:3:10: error: unknown source `nope`; the case declares `s1`
  |
3 | source = "nope"
  |          ^^^^^^
"#
    );
}

/// `tune` leaves a read-only file (0444) as it is, even when run by root.
#[cfg(unix)]
#[test]
fn tune_refuses_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    let body =
        "[[evidence]]\nid = \"e1\"\ncredibility = 0.8\nlikelihood = { a = 0.7, other = 0.3 }\n";
    let dir = folder(&[
        ("hypotheses/c.toml", H.as_bytes()),
        ("evidence/c/a.toml", body.as_bytes()),
    ]);
    let file = dir.path().join("evidence/c/a.toml");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert_eq!(
        abduce(dir.path(), &["tune", "evidence.e1.weight=0.5"]).fails(1),
        "evidence/c/a.toml: error: the file is read-only (no write permission); tune leaves it as it is: make it writable (`chmod u+w`) to tune it (nothing was changed)\n"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), body);
}

/// Places in the bundled case say so: in the warnings of `check` from an empty folder (if
/// the bundled case has any), and in the places items are named at (the elimination error).
#[test]
fn bundled_case_diagnostics_are_marked() {
    let loaded = abduce::load::load(&abduce::case::discover::CaseLocation::Bundled)
        .expect("the bundled case loads");
    let place = loaded.case.item_place(0).expect("items have places");
    assert!(
        place.starts_with("(bundled case) evidence/afghan-tajik-border/"),
        "{place}"
    );
    for w in &loaded.warnings {
        let file = w.file.as_ref().expect("a file").display().to_string();
        assert!(file.starts_with("(bundled case) "), "{file}");
    }
    let dir = folder(&[]);
    let run = abduce(dir.path(), &["check"]);
    assert_eq!(run.code, 0);
    for h in run.stderr.lines().filter(|l| l.contains(": warning: ")) {
        assert!(h.starts_with("(bundled case) "), "{h}");
    }
}

/// Ctrl-C (SIGINT) stops a long sweep at its next chunk: exit 1, a message, no output file.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_sweep_without_output() {
    let dir = folder(&[]);
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("abduce"))
        .current_dir(dir.path())
        .args([
            "sweep",
            "monte-carlo",
            "-q",
            "--samples",
            "1000000000000",
            "-o",
            "mc.json",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Let it install its handler and start; the sweep would take days.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "abduce: error: interrupted (Ctrl-C): the run stopped and wrote no output\n"
    );
    assert!(!dir.path().join("mc.json").exists());
}
