//! `abduce check`: the summary on stdout, the warnings on stderr, JSON, the bundled case.

#[path = "fixtures/harness.rs"]
mod harness;

use harness::{abduce, folder};

const HYPOTHESES: &str = r#"[case]
title = "Attacks on the border"
question = "Who is behind them?"

[[hypothesis]]
id = "taliban-local"
title = "Local Taliban units"
prior = 2

[[hypothesis]]
id = "is-k"
title = "IS-K"

[[hypothesis]]
id = "other"
title = "Someone else"
prior = 1
prior_range = [0.5, 2]
"#;

const ARSENAL: &str = r#"[[source]]
id = "khovar"
name = "Khovar | Tajik state news"
reliability = "B"

[[group]]
id = "one-column"
correlation = 0.6

[[evidence]]
id = "arsenal"
title = "Arsenal seized"
date = 2025-12-24
source = "khovar"
information = 2
group = "one-column"
likelihood = { taliban-local = "C", is-k = "N", other = 0.4 }

[[evidence]]
id = "claim"
status = "absent"
credibility = "high"
group = "one-column"
likelihood = { taliban-local = 0.1, is-k = 0.9, other = 0.2 }
"#;

const PENDING: &str = r#"[[source]]
id = "scns"
name = "Tajik SCNS"

[[evidence]]
id = "forensics"
status = "pending"
source = "scns"
likelihood = { taliban-local = 0.6, is-k = 0.5, other = 0.5 }

[[evidence]]
id = "old-report"
status = "retracted"
credibility = 0.5
likelihood = { taliban-local = 0.6, is-k = 0.5, other = 0.5 }
"#;

fn border() -> tempfile::TempDir {
    folder(&[
        ("hypotheses/border.toml", HYPOTHESES.as_bytes()),
        ("evidence/border/01-arsenal.toml", ARSENAL.as_bytes()),
        ("evidence/border/02-pending.toml", PENDING.as_bytes()),
    ])
}

/// The summary of a good case, and its warnings.
///
/// Priors: 2 / (2 + 1 + 1) = 0.5, then 0.25 and 0.25.
/// `forensics` is pending with no credibility information (c = 1) and in no group (ω = 1):
/// 10 · ln(0.6 / 0.5) / ln 10 = 0.792 dB < 1 dB, so non-diagnostic.
/// `arsenal` (B2: c = √(0.75 · 0.75) = 0.75; ℓ̃ = 0.75ℓ + 0.25 · 0.5333 = 0.6583, 0.5083,
/// 0.4333; group of 2 counting items with ρ = 0.6: ω = (1 + 0.4) / 2 = 0.7) separates the
/// hypotheses by 0.7 · 10 · ln(0.6583 / 0.4333) / ln 10 = 1.27 dB: no warning.
#[test]
fn summary_and_warnings() {
    let dir = border();
    let run = abduce(dir.path(), &["check"]);
    run.assert_ok();
    assert_eq!(
        run.stdout,
        r#"# Attacks on the border

Who is behind them?

Case `border`: 3 files.

## Hypotheses (3)

| id | title | prior |
|---|---|---:|
| taliban-local | Local Taliban units | 50.0% |
| is-k | IS-K | 25.0% |
| other | Someone else | 25.0% |

## Evidence (4 items)

observed 1 · absent 1 · pending 1 · retracted 1

## Sources (2)

| id | name | reliability | items |
|---|---|---|---:|
| khovar | Khovar \| Tajik state news | B (0.75) | 1 |
| scns | Tajik SCNS | – | 1 |

## Groups (1)

| id | ρ | members |
|---|---:|---|
| one-column | 0.6 | arsenal, claim |

ok: 0 errors, 2 warnings
"#
    );
    assert_eq!(
        run.stderr,
        r#"evidence/border/02-pending.toml:6:6: warning: evidence `forensics` has no credibility information (no `credibility`, no source reliability, no `information`): it is taken as fully credible
  |
6 | id = "forensics"
  |      ^^^^^^^^^^^
evidence/border/02-pending.toml:6:6: warning: pending evidence `forensics` is non-diagnostic: it would separate the live hypotheses by 0.79 dB (below 1 dB)
  |
6 | id = "forensics"
  |      ^^^^^^^^^^^
"#
    );
}

/// `--format json` carries the header, the counts and the warnings as one-line strings;
/// `--quiet` keeps stderr silent; `-o` writes the same bytes as stdout.
#[test]
fn json_quiet_and_output_file() {
    let dir = border();
    let run = abduce(dir.path(), &["check", "--format", "json", "--quiet"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["case"], "border");
    assert_eq!(v["command"], "check");
    assert_eq!(v["hypotheses"][0]["prior"], 0.5);
    assert_eq!(v["hypotheses"][2]["prior"], 0.25);
    assert_eq!(
        v["evidence"],
        serde_json::json!({"total": 4, "observed": 1, "absent": 1, "pending": 1, "retracted": 1})
    );
    assert_eq!(v["sources"][0]["reliability_value"], 0.75);
    assert_eq!(
        v["groups"][0]["members"],
        serde_json::json!(["arsenal", "claim"])
    );
    assert_eq!(v["errors"], 0);
    assert_eq!(
        v["warnings"][0],
        "evidence/border/02-pending.toml:6:6: warning: evidence `forensics` has no credibility \
         information (no `credibility`, no source reliability, no `information`): it is taken \
         as fully credible"
    );
    let md = abduce(dir.path(), &["check", "-q"]).stdout;
    let to_file = abduce(dir.path(), &["check", "-q", "-o", "summary.md"]);
    assert_eq!((to_file.code, to_file.stdout.as_str()), (0, ""));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("summary.md")).unwrap(),
        md
    );
}

/// A case that loads but whose every hypothesis is eliminated fails `check`.
#[test]
fn inconsistent_case_fails() {
    let hyp = "[case]\ntitle = \"T\"\nevidence = []\n\n[[hypothesis]]\nid = \"a\"\n\n[[hypothesis]]\nid = \"other\"\n\n\
               [[evidence]]\nid = \"e1\"\ncredibility = 1\nlikelihood = { a = 0, other = 1 }\n\n\
               [[evidence]]\nid = \"e2\"\ncredibility = 1\nlikelihood = { a = 1, other = 0 }\n";
    let dir = folder(&[("hypotheses/c.toml", hyp.as_bytes())]);
    let run = abduce(dir.path(), &["check"]);
    run.assert_fails(1);
    assert_eq!(
        run.stderr,
        "abduce: error: the case is inconsistent: every hypothesis is eliminated (`a` by e1 (hypotheses/c.toml:12); `other` by e2 (hypotheses/c.toml:17))\n"
    );
}

/// From an empty folder, `check` checks the case bundled into the binary.
#[test]
fn bundled_case_from_an_empty_folder() {
    let dir = folder(&[]);
    let run = abduce(dir.path(), &["check", "--quiet"]);
    let path = format!("hypotheses/{}.toml", abduce::case::bundled::DEFAULT_CASE);
    if abduce::case::bundled::file(&path).is_some() {
        run.assert_ok();
        assert!(
            run.stdout.contains(&format!(
                "Case `{}` (bundled)",
                abduce::case::bundled::DEFAULT_CASE
            )),
            "{}",
            run.stdout
        );
        assert!(run.stdout.ends_with(" warnings\n") || run.stdout.ends_with(" warning\n"));
    } else {
        // Until the shipped case is in the build, the error says so plainly.
        assert_eq!(run.code, 1);
        assert_eq!(
            run.stderr,
            format!("abduce: error: the bundled case is missing from this build (no `{path}`)\n")
        );
    }
}

/// The library's loader (`abduce::load::load`, what the commands, batch plans and the
/// workbench use) gives the warnings `check` prints in `summary_and_warnings`, the scorer's
/// non-diagnostic one included, in the same order and at the same place.
#[test]
fn the_library_loader_gives_the_warnings_check_prints() {
    let dir = border();
    let file = dir.path().join("hypotheses/border.toml");
    let loaded = abduce::load::load(&abduce::case::discover::CaseLocation::File(file)).unwrap();
    let got: Vec<(String, usize, usize, &str)> = (loaded.warnings.iter())
        .map(|w| {
            let at = w.position.as_ref().unwrap();
            let file = w.file.as_ref().unwrap().strip_prefix(dir.path()).unwrap();
            (
                file.display().to_string(),
                at.line,
                at.column,
                w.message.as_str(),
            )
        })
        .collect();
    let pending = "evidence/border/02-pending.toml".to_string();
    assert_eq!(
        got,
        [
            (
                pending.clone(),
                6,
                6,
                "evidence `forensics` has no credibility information (no `credibility`, no source reliability, no `information`): it is taken as fully credible"
            ),
            (
                pending,
                6,
                6,
                "pending evidence `forensics` is non-diagnostic: it would separate the live hypotheses by 0.79 dB (below 1 dB)"
            ),
        ]
    );
}

/// Every case shipped with the project loads: `hypotheses/*.toml` and
/// `examples/*/hypotheses/*.toml`; the bundled copy of the default case is the same case as
/// the one on disk (one code path for both).
#[test]
fn every_shipped_case_loads() {
    use abduce::case::discover::CaseLocation;
    use abduce::load::load;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![root.join("hypotheses")];
    if let Ok(examples) = std::fs::read_dir(root.join("examples")) {
        folders.extend(examples.flatten().map(|e| e.path().join("hypotheses")));
    }
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for file in entries.flatten().map(|e| e.path()) {
            if file.extension().is_some_and(|e| e == "toml")
                && let Err(e) = load(&CaseLocation::File(file.clone()))
            {
                panic!("{} does not load:\n{e}", file.display());
            }
        }
    }
    let name = abduce::case::bundled::DEFAULT_CASE;
    let on_disk = root.join(format!("hypotheses/{name}.toml"));
    if on_disk.exists() {
        let disk = load(&CaseLocation::File(on_disk)).unwrap().case;
        let bundled = load(&CaseLocation::Bundled).unwrap().case;
        assert!(bundled.bundled && !disk.bundled);
        assert_eq!(
            bundled.files[0].display().to_string(),
            format!("hypotheses/{name}.toml")
        );
        assert_eq!(bundled.files.len(), disk.files.len());
        assert_eq!(
            (
                &bundled.hypotheses,
                &bundled.evidence,
                &bundled.sources,
                &bundled.groups
            ),
            (
                &disk.hypotheses,
                &disk.evidence,
                &disk.sources,
                &disk.groups
            )
        );
    }
}

/// The shipped cases are models to copy: `check` finds nothing to warn about in the bundled
/// case (run from an empty folder) nor in `examples/shodaki` (docs/bundled-case.md: items that
/// would count for less than 1 dB are set aside, groups have at least two counting members).
#[test]
fn shipped_cases_check_without_warnings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let empty = folder(&[]);
    let shodaki = root.join("examples/shodaki");
    let mut runs = vec![(shodaki, "shodaki")];
    let path = format!("hypotheses/{}.toml", abduce::case::bundled::DEFAULT_CASE);
    if abduce::case::bundled::file(&path).is_some() {
        runs.push((
            empty.path().to_path_buf(),
            abduce::case::bundled::DEFAULT_CASE,
        ));
    }
    for (dir, case) in runs {
        if !dir.exists() {
            continue;
        }
        let run = abduce(&dir, &["check", case]);
        assert_eq!(run.code, 0, "{case}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{case}");
        assert!(
            run.stdout.ends_with("ok: 0 errors, 0 warnings\n"),
            "{case}: {}",
            run.stdout
        );
    }
}
