//! The analyst's workflow (#6): init, tune, compare, import and export.

#[path = "fixtures/harness.rs"]
mod harness;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use abduce::case::{
    Case, Cell, Credibility, CredibilityBasis, Date, Evidence, Group, Range, Rating, Status,
};
use abduce::render::{Document, Format};
use abduce::score::bayes;
use abduce::workflow::compare::compare;
use abduce::workflow::export::matrix_csv;
use abduce::workflow::import::{case_files, from_achz, from_csv};
use abduce::workflow::tune::{Assignment, plan, unified_diff};

use harness::abduce;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/workflow");

// ------------------------------------------------------------------------------- tune

/// The fixture case copied into a temporary folder as `hypotheses/border.toml` and
/// `evidence/border/border.toml`, and the same case built in code (as the loader would).
fn border() -> (tempfile::TempDir, Case) {
    let dir = tempfile::tempdir().unwrap();
    let hyp = dir.path().join("hypotheses/border.toml");
    let ev = dir.path().join("evidence/border/border.toml");
    std::fs::create_dir_all(hyp.parent().unwrap()).unwrap();
    std::fs::create_dir_all(ev.parent().unwrap()).unwrap();
    std::fs::copy(Path::new(FIXTURES).join("border.hyp.toml"), &hyp).unwrap();
    std::fs::copy(Path::new(FIXTURES).join("border.ev.toml"), &ev).unwrap();
    let mut case = Case::new("border", &[("taliban", 2.0), ("etim", 1.0)]);
    case.files = vec![hyp, ev];
    case.groups.push(Group {
        id: "arsenal".into(),
        correlation: 0.6,
        file: 1,
    });
    let mut rifles = Evidence::new("rifles", &[]);
    rifles.likelihood = vec![
        Cell::Rating(Rating::C),
        Cell::Value {
            value: 0.3,
            range: Some(Range { lo: 0.1, hi: 0.5 }),
        },
    ];
    rifles.group = Some(0);
    rifles.file = 1;
    let mut claim = Evidence::new("claim", &[0.2, 0.6]);
    claim.file = 1;
    let mut report = Evidence::new("report", &[0.5, 0.5]);
    report.credibility = Credibility::Schum {
        hit_rate: 0.9,
        false_alarm_rate: 0.2,
    };
    report.file = 1;
    case.evidence = vec![rifles, claim, report];
    (dir, case)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn assignments(args: &[&str]) -> Vec<Assignment> {
    args.iter().map(|a| Assignment::parse(a).unwrap()).collect()
}

#[test]
fn tune_changes_exactly_one_value_and_keeps_every_comment() {
    let (_dir, case) = border();
    let before = read(&case.files[1]);
    let edits = plan(&case, &assignments(&["evidence.rifles.weight=0.5"])).unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].path, case.files[1]);
    assert_eq!(edits[0].before, before);
    // The whole file, byte for byte: only the number changed, spacing and comment kept.
    assert_eq!(
        edits[0].after,
        before.replace(
            "weight      = 1.0   # analyst's guess",
            "weight      = 0.5   # analyst's guess"
        )
    );
    assert_ne!(edits[0].after, before);
    // plan never writes.
    assert_eq!(read(&case.files[1]), before);
}

#[test]
fn tune_keeps_line_ends_byte_order_mark_and_missing_final_newline() {
    // The same edit on the file written with CRLF line ends, a byte-order mark and no final
    // line end: the result is that file with only the number changed.
    let (_dir, case) = border();
    let lf = read(&case.files[1]);
    let expected_lf = lf.replace(
        "weight      = 1.0   # analyst's guess",
        "weight      = 0.5   # analyst's guess",
    );
    let crlf = |s: &str| format!("\u{feff}{}", s.trim_end().replace('\n', "\r\n"));
    std::fs::write(&case.files[1], crlf(&lf)).unwrap();
    let edits = plan(&case, &assignments(&["evidence.rifles.weight=0.5"])).unwrap();
    assert_eq!(edits[0].before, crlf(&lf));
    assert_eq!(edits[0].after, crlf(&expected_lf));
    // The dry-run diff shows the one changed line.
    let diff = unified_diff("f", &edits[0].before, &edits[0].after);
    assert_eq!(
        diff.lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .count(),
        1
    );
}

#[test]
fn tune_edits_cells_priors_correlations_and_inserts_missing_keys() {
    let (_dir, case) = border();
    let ev = read(&case.files[1]);
    let hyp = read(&case.files[0]);
    let edits = plan(
        &case,
        &assignments(&[
            "evidence.rifles.likelihood.etim=0.35", // a cell with a range: the range moves too
            "evidence.rifles.likelihood.taliban=CC", // a rating as a bare word
            "evidence.claim.likelihood.etim=0.7",   // an inline likelihood table
            "evidence.claim.status=absent",         // a key the item does not have
            "group.arsenal.correlation=1",          // a whole number is written as a float
            "hypothesis.taliban.prior=3",
        ]),
    )
    .unwrap();
    // Files in the order first touched: the evidence file, then the hypotheses file.
    assert_eq!(edits.len(), 2);
    // 0.3 with [0.1, 0.5] moved to 0.35 on the logit scale (docs/model.md):
    // lo' = 0.1·0.35·0.7 / (0.1·0.35·0.7 + 0.9·0.65·0.3) = 0.0245 / 0.2 = 0.1225
    // hi' = 0.5·0.35·0.7 / (0.5·0.35·0.7 + 0.5·0.65·0.3) = 0.1225 / 0.22 = 0.556818181818181818...
    // (bounds rounded to 15 significant digits)
    let expected_ev = ev
        .replace(
            "etim    = { value = 0.3, range = [0.1, 0.5] }  # rare",
            "etim    = { value = 0.35, range = [0.1225, 0.556818181818182] }  # rare",
        )
        .replace(
            "taliban = \"C\"    # rifles common locally",
            "taliban = \"CC\"    # rifles common locally",
        )
        .replace(
            "likelihood = { taliban = 0.2, etim = 0.6 }\n",
            "likelihood = { taliban = 0.2, etim = 0.7 }\nstatus = \"absent\"\n",
        )
        .replace(
            "correlation = 0.6  # same seizure",
            "correlation = 1.0  # same seizure",
        );
    assert_eq!(edits[0].after, expected_ev);
    assert_eq!(
        edits[1].after,
        hyp.replace(
            "prior = 2.0        # two earlier incidents",
            "prior = 3.0        # two earlier incidents"
        )
    );
}

#[test]
fn tune_moves_ranges_as_set_does() {
    let (_dir, case) = border();
    let ev = read(&case.files[1]);
    // C is 0.7 with [0.5, 0.85]; --set moves the range with the point, so the file does too:
    // lo' = 0.5·0.6·0.3 / (0.5·0.6·0.3 + 0.5·0.4·0.7) = 0.09 / 0.23 = 0.3913043478...
    // hi' = 0.85·0.6·0.3 / (0.85·0.6·0.3 + 0.15·0.4·0.7) = 0.153 / 0.195 = 0.7846153846...
    // (bounds rounded to 15 significant digits)
    let edits = plan(
        &case,
        &assignments(&[
            "evidence.rifles.likelihood.taliban=0.6",
            // A rating replaces a ranged cell whole (the rating brings its own range).
            "evidence.rifles.likelihood.etim=I",
        ]),
    )
    .unwrap();
    assert_eq!(
        edits[0].after,
        ev.replace(
            "taliban = \"C\"    # rifles common locally",
            "taliban = { value = 0.6, range = [0.391304347826087, 0.784615384615385] }    # rifles common locally",
        )
        .replace(
            "etim    = { value = 0.3, range = [0.1, 0.5] }  # rare",
            "etim    = \"I\"  # rare",
        )
    );
}

#[test]
fn tune_dry_run_diff_is_a_unified_diff_and_plan_writes_nothing() {
    let (_dir, case) = border();
    let before = read(&case.files[1]);
    let edits = plan(&case, &assignments(&["evidence.rifles.weight=0.5"])).unwrap();
    let diff = unified_diff(
        "evidence/border/border.toml",
        &edits[0].before,
        &edits[0].after,
    );
    // Line 9 changes; 3 lines of context either side: lines 6–12 in both versions.
    assert_eq!(
        diff,
        "--- a/evidence/border/border.toml\n+++ b/evidence/border/border.toml\n\
         @@ -6,7 +6,7 @@\n [[evidence]]\n id          = \"rifles\"\n title       = \"M-16s\"\n\
         -weight      = 1.0   # analyst's guess\n+weight      = 0.5   # analyst's guess\n\
         \x20group       = \"arsenal\"\n \n [evidence.likelihood]\n"
    );
    assert_eq!(read(&case.files[1]), before);
    assert_eq!(unified_diff("x", "a\n", "a\n"), "");
}

#[test]
fn unified_diff_separates_distant_changes_into_hunks() {
    let a: String = (1..=20).map(|i| format!("{i}\n")).collect();
    let b = a.replace("2\n", "two\n").replacen("19\n", "", 1);
    // "2\n" also matches inside "12\n": replace turns 12 into 1two. Changes at lines 2, 12, 19.
    let diff = unified_diff("f", &a, &b);
    assert_eq!(
        diff,
        "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n\
         @@ -9,12 +9,11 @@\n 9\n 10\n 11\n-12\n+1two\n 13\n 14\n 15\n 16\n 17\n 18\n-19\n 20\n"
    );
}

#[test]
fn tune_rejects_what_it_cannot_edit() {
    let (_dir, mut case) = border();
    let err = plan(&case, &assignments(&["evidence.rifle.weight=2"])).unwrap_err();
    assert!(err.to_string().contains("did you mean `rifles`?"), "{err}");
    let err = plan(&case, &assignments(&["evidence.report.credibility=0.8"])).unwrap_err();
    assert!(
        err.to_string().contains("hit_rate and false_alarm_rate"),
        "{err}"
    );
    let err = Assignment::parse("evidence.rifles.wieght=2").unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        Assignment::parse("evidence.rifles.weight")
            .unwrap_err()
            .exit_code(),
        2
    );
    case.bundled = true;
    let err = plan(&case, &assignments(&["evidence.rifles.weight=2"])).unwrap_err();
    assert!(err.to_string().contains("abduce init"), "{err}");
}

#[test]
fn tune_on_the_bundled_case_suggests_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = abduce(dir.path(), &["tune", "evidence.x.weight=2"]);
    out.assert_fails(1);
    assert!(out.stderr.contains("abduce init"));
    let out = abduce(dir.path(), &["tune", "border"]);
    out.assert_fails(2); // no PATH=VALUE is a usage error
}

/// Writes a small loadable case folder: returns its root.
fn write_case_folder(dir: &Path) {
    let (_tmp, case) = border();
    std::fs::create_dir_all(dir.join("hypotheses")).unwrap();
    std::fs::create_dir_all(dir.join("evidence/border")).unwrap();
    std::fs::copy(&case.files[0], dir.join("hypotheses/border.toml")).unwrap();
    std::fs::copy(&case.files[1], dir.join("evidence/border/border.toml")).unwrap();
}

/// `abduce tune ... | head` and `abduce init | head`: a standard output closed before
/// anything is printed (the read end of the pipe is gone before the run starts) is not an
/// error: exit 0, nothing on stderr (no panic), and the change is written.
#[test]
fn tune_and_init_to_a_closed_pipe_succeed_quietly() {
    let run = |dir: &Path, args: &[&str]| {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_abduce"))
            .current_dir(dir)
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let dir = tempfile::tempdir().unwrap();
    write_case_folder(dir.path());
    let file = dir.path().join("evidence/border/border.toml");
    let args = ["tune", "border", "-q", "evidence.rifles.weight=0.5"];
    assert_eq!(run(dir.path(), &args), (Some(0), String::new()));
    assert!(read(&file).contains("weight      = 0.5   # analyst's guess"));
    let args = [
        "tune",
        "border",
        "-q",
        "--dry-run",
        "evidence.rifles.weight=0.7",
    ];
    assert_eq!(run(dir.path(), &args), (Some(0), String::new()));
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(run(empty.path(), &["init"]), (Some(0), String::new()));
    assert!(
        empty
            .path()
            .join("hypotheses/afghan-tajik-border.toml")
            .exists()
    );
}

#[test]
fn tune_command_writes_one_value_dry_run_writes_nothing_invalid_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    write_case_folder(dir.path());
    let file = dir.path().join("evidence/border/border.toml");
    let before = read(&file);

    let out = abduce(
        dir.path(),
        &["tune", "border", "evidence.rifles.weight=0.5", "--dry-run"],
    );
    out.assert_ok();
    let stdout = out.stdout;
    assert!(stdout.contains(
        "-weight      = 1.0   # analyst's guess\n+weight      = 0.5   # analyst's guess"
    ));
    assert!(stdout.contains("nothing was written"));
    assert_eq!(read(&file), before);

    // A range that does not hold the point: rejected before anything is written.
    let out = abduce(
        dir.path(),
        &[
            "tune",
            "border",
            "evidence.rifles.likelihood.etim=[0.5, 0.6]",
        ],
    );
    out.assert_fails(1);
    let out = abduce(dir.path(), &["tune", "border", "evidence.rifles.weight=-1"]);
    out.assert_fails(1);
    assert_eq!(read(&file), before);

    let out = abduce(
        dir.path(),
        &["tune", "border", "evidence.rifles.weight=0.5"],
    );
    out.assert_ok();
    assert!(out.stdout.contains("Leader: "));
    assert_eq!(
        read(&file),
        before.replace(
            "weight      = 1.0   # analyst's guess",
            "weight      = 0.5   # analyst's guess"
        )
    );
}

// ---------------------------------------------------------------------------- compare

fn two_hypotheses(weight: f64, likelihoods: &[f64]) -> Case {
    let mut case = Case::new("pool", &[("a", 1.0), ("b", 1.0)]);
    let mut e = Evidence::new("e1", likelihoods);
    e.weight = weight;
    case.evidence.push(e);
    case
}

#[test]
fn compare_pools_two_analysts_by_hand() {
    let base = two_hypotheses(1.0, &[0.8, 0.2]);
    // Analyst x keeps e1 (p = 0.8, 0.2); analyst y gives it weight 0 (p = 0.5, 0.5).
    let analysts = vec![
        ("x".to_string(), two_hypotheses(1.0, &[0.8, 0.2])),
        ("y".to_string(), two_hypotheses(0.0, &[0.8, 0.2])),
    ];
    let s = compare(&base, &analysts).unwrap();
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    let (a, b) = (&s.hypotheses[0], &s.hypotheses[1]);
    assert_eq!(
        (a.id.as_str(), a.rank, b.id.as_str(), b.rank),
        ("a", 1, "b", 2)
    );
    close(a.base, 0.8);
    // Linear pool: a = (0.8 + 0.5)/2 = 0.65, b = (0.2 + 0.5)/2 = 0.35.
    close(a.linear_pool, 0.65);
    close(b.linear_pool, 0.35);
    // Log pool: a ∝ √(0.8·0.5) = √0.4 = 2√0.1, b ∝ √(0.2·0.5) = √0.1 → 2/3 and 1/3.
    close(a.log_pool.unwrap(), 2.0 / 3.0);
    close(b.log_pool.unwrap(), 1.0 / 3.0);
    // Range 0.8 − 0.5 = 0.3; population SD of {0.8, 0.5} = 0.15 (both hypotheses).
    close(a.range, 0.3);
    close(a.sd, 0.15);
    close(b.range, 0.3);
    close(b.sd, 0.15);
    // Drivers: for x, mean ln ℓ = ln √(0.8·0.2) = ln 0.4, C_a = ln(0.8/0.4) = ln 2 nats,
    // C_b = −ln 2; for y, ω = 0 → 0. Spread ln 2 · 10/ln 10 = 10·log10(2) dB for both cells.
    assert_eq!(s.drivers.len(), 2);
    assert_eq!(
        (
            s.drivers[0].evidence.as_str(),
            s.drivers[0].hypothesis.as_str()
        ),
        ("e1", "a")
    );
    assert_eq!(s.drivers[1].hypothesis, "b");
    close(s.drivers[0].spread_db, 10.0 * 2f64.log10());
    close(
        s.drivers[0].contributions_db.0[0].1.unwrap(),
        10.0 * 2f64.log10(),
    );
    close(
        s.drivers[1].contributions_db.0[0].1.unwrap(),
        -10.0 * 2f64.log10(),
    );
    assert_eq!(
        s.drivers[0].contributions_db.0[1],
        ("y".to_string(), Some(0.0))
    );
    assert!(s.log_pool_defined && s.warnings.is_empty());

    let json: serde_json::Value = serde_json::from_slice(&s.render(Format::Json).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["command"], "compare");
    assert_eq!(json["case"], "pool");
    assert_eq!(json["hypotheses"][0]["posteriors"]["y"], 0.5);
    let csv = String::from_utf8(s.render(Format::Csv).unwrap()).unwrap();
    assert!(csv.starts_with(
        "id,title,rank,base,posteriors.x,posteriors.y,linear_pool,log_pool,range,sd,\
         intervals.x.0,intervals.x.1,intervals.y.0,intervals.y.1,p_top.x,p_top.y\n"
    ));
    // Nothing varies: every view's Monte Carlo interval is its point posterior, [p, p].
    // x: a leads with 0.8 in every scenario; y: a and b tie at 0.5 and the tie goes to a
    // (declaration order), so a ranks first in every scenario of both views.
    let views: Vec<(&str, &str, f64, f64, f64, f64)> = std::iter::once(&s.base)
        .chain(&s.views)
        .map(|v| {
            (
                v.analyst.as_str(),
                v.leader.as_str(),
                v.posterior,
                v.q05,
                v.q95,
                v.p_top,
            )
        })
        .collect();
    let pa = s.hypotheses[0].base;
    let half = s.views[1].posterior;
    close(half, 0.5);
    assert_eq!(
        views,
        [
            ("base", "a", pa, pa, pa, 1.0),
            ("x", "a", pa, pa, pa, 1.0),
            ("y", "a", half, half, half, 1.0),
        ]
    );
    // The intervals [0.8, 0.8] (x) and [0.5, 0.5] (y) of a do not overlap: x is higher by
    // 0.8 − 0.5 = 0.3; for b, [0.2, 0.2] and [0.5, 0.5]: y is higher by 0.3.
    let d: Vec<(&str, &str, &str, &str)> = (s.disagreements.iter())
        .map(|d| (d.id.as_str(), d.kind, d.high.as_str(), d.low.as_str()))
        .collect();
    assert_eq!(
        d,
        [("a", "hypothesis", "x", "y"), ("b", "hypothesis", "y", "x")]
    );
    close(s.disagreements[0].gap, 0.3);
    close(s.disagreements[1].gap, 0.3);
    let md = s.markdown();
    assert!(
        md.contains("| a | 80.0% | 80.0% | 50.0% | 65.0% | 66.7% | 30.0 | 15.0 |"),
        "{md}"
    );
}

/// Two analysts who give a likelihood different point values but the same 90% range draw
/// the same scenarios (the range alone defines the distribution, and every view uses the same
/// seed), so their Monte Carlo intervals are identical: their point posteriors differ, but not
/// beyond their own uncertainty. A third analyst who narrows the range to [0.85, 0.9]
/// (ℓ_a ≥ 0.85 against ℓ_b = 0.2 gives p_a ≥ 0.85/1.05 > 0.8, above anything in x's
/// interval, whose 95th percentile is 0.8/1.0 at most) does disagree on both hypotheses.
#[test]
fn compare_disagreement_is_beyond_the_views_own_uncertainty() {
    let varying = |value: f64, lo: f64, hi: f64| {
        let mut c = two_hypotheses(1.0, &[value, 0.2]);
        c.evidence[0].likelihood[0] = Cell::Value {
            value,
            range: Some(Range { lo, hi }),
        };
        c
    };
    let base = varying(0.5, 0.2, 0.8);
    let analysts = vec![
        ("x".to_string(), varying(0.5, 0.2, 0.8)),
        ("y".to_string(), varying(0.7, 0.2, 0.8)),
    ];
    let s = abduce::workflow::compare::compare_with(&base, &analysts, 8192, 3, &|_| {}).unwrap();
    assert!(s.views[0].posterior < s.views[1].posterior);
    assert_eq!(
        s.hypotheses[0].intervals.0[0].1,
        s.hypotheses[0].intervals.0[1].1
    );
    assert!(s.disagreements.is_empty());
    assert!(
        s.markdown()
            .contains("their differences lie within their own stated uncertainty")
    );
    let mut three = analysts.clone();
    three.push(("z".to_string(), varying(0.87, 0.85, 0.9)));
    let s = abduce::workflow::compare::compare_with(&base, &three, 8192, 3, &|_| {}).unwrap();
    let d: Vec<(&str, &str, &str)> = (s.disagreements.iter())
        .map(|d| (d.id.as_str(), d.high.as_str(), d.low.as_str()))
        .collect();
    // a: z's interval starts highest; x and y end equally low, and the tie goes to x.
    assert_eq!(d, [("a", "z", "x"), ("b", "x", "z")]);
    assert!(s.disagreements.iter().all(|d| d.gap > 0.0));
}

/// Views that name different leaders say so, even when every 90% interval overlaps: a
/// decision-maker must not read "within their own uncertainty" as "the analysts agree".
/// Both views give ℓ_a the range [0.1, 0.9] (the same draws), ℓ_b = 0.2 fixed. x puts
/// ℓ_a = 0.15: p_a = 0.15/0.35 = 3/7 < p_b = 4/7, so `b` leads; y puts ℓ_a = 0.5:
/// p_a = 0.5/0.7 = 5/7, so `a` leads. The base (ℓ_a = 0.5) is not an analyst and is not named.
#[test]
fn compare_says_when_the_views_name_different_leaders() {
    let view = |value: f64| {
        let mut c = two_hypotheses(1.0, &[value, 0.2]);
        c.evidence[0].likelihood[0] = Cell::Value {
            value,
            range: Some(Range { lo: 0.1, hi: 0.9 }),
        };
        c
    };
    let analysts = vec![("x".to_string(), view(0.15)), ("y".to_string(), view(0.5))];
    let s =
        abduce::workflow::compare::compare_with(&view(0.5), &analysts, 4096, 0, &|_| {}).unwrap();
    assert_eq!(
        (s.views[0].leader.as_str(), s.views[1].leader.as_str()),
        ("b", "a")
    );
    assert!(s.disagreements.is_empty());
    let md = s.markdown();
    let section = &md[md.find("## Disagreement beyond uncertainty").unwrap()..];
    let section = &section[..section.find("\n## ").unwrap()];
    assert_eq!(
        section,
        "## Disagreement beyond uncertainty\n\n\
         The views name different leaders (x: `b`; y: `a`).\n\n\
         For every hypothesis and family, the analysts' 90% intervals overlap: their \
         differences lie within their own stated uncertainty.\n"
    );
    // Views that share their leader get no such sentence.
    let same = vec![("x".to_string(), view(0.5)), ("y".to_string(), view(0.6))];
    let s = abduce::workflow::compare::compare_with(&view(0.5), &same, 4096, 0, &|_| {}).unwrap();
    assert!(!s.markdown().contains("different leaders"));
}

#[test]
fn compare_log_pool_rules_out_and_says_when_nothing_survives() {
    let base = two_hypotheses(1.0, &[0.5, 0.5]);
    // x rules out b (ℓ_b = 0); y keeps both at 0.5.
    let one = vec![
        ("x".to_string(), two_hypotheses(1.0, &[0.5, 0.0])),
        ("y".to_string(), two_hypotheses(1.0, &[0.5, 0.5])),
    ];
    let s = compare(&base, &one).unwrap();
    // Linear: a = (1 + 0.5)/2 = 0.75, b = 0.25; log: b gets 0, so a = 1.
    assert_eq!(s.hypotheses[0].linear_pool, 0.75);
    assert_eq!(s.hypotheses[0].log_pool, Some(1.0));
    assert_eq!(s.hypotheses[1].log_pool, Some(0.0));
    assert!(s.warnings[0].contains("`b` is ruled out by x"));
    // No drivers: for x only a is live, C_a = ln 0.5 − ln 0.5 = 0; for y both cells are
    // ln 0.5 − ln 0.5 = 0; b has a contribution for y only (null for x), so no spread.
    assert!(s.drivers.is_empty());

    let none = vec![
        ("x".to_string(), two_hypotheses(1.0, &[0.5, 0.0])),
        ("y".to_string(), two_hypotheses(1.0, &[0.0, 0.5])),
    ];
    let s = compare(&base, &none).unwrap();
    assert!(!s.log_pool_defined);
    assert!(s.hypotheses.iter().all(|h| h.log_pool.is_none()));
    assert!(s.warnings[0].contains("logarithmic pool is undefined"));
    assert_eq!(s.hypotheses[0].linear_pool, 0.5);
    assert!(compare(&base, &[]).is_err());
}

#[test]
fn compare_command_scores_each_overlay_separately() {
    let dir = tempfile::tempdir().unwrap();
    write_case_folder(dir.path());
    std::fs::write(
        dir.path().join("alice.toml"),
        "[evidence.claim]\nweight = 0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bob.toml"),
        "[evidence.claim]\nweight = 2.0\n",
    )
    .unwrap();
    let out = abduce(
        dir.path(),
        &[
            "compare",
            "border",
            "--overlay",
            "alice.toml",
            "--overlay",
            "bob.toml",
            "--format",
            "json",
        ],
    );
    out.assert_ok();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["analysts"], serde_json::json!(["alice", "bob"]));
    // The drivers are the cells of `claim`, the only item the analysts weigh differently.
    assert!(
        json["drivers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["evidence"] == "claim")
    );
}

/// Every problem at once: each analyst's overlay is checked even when another is bad, and a
/// bad `--set` (applied to the base and to every view) is reported once, after the overlays.
#[test]
fn compare_reports_every_overlay_problem_and_each_set_problem_once() {
    let dir = tempfile::tempdir().unwrap();
    write_case_folder(dir.path());
    std::fs::write(dir.path().join("x.toml"), "[evidence.claim]\nwieght = 1\n").unwrap();
    std::fs::write(dir.path().join("y.toml"), "[evidence.claim]\nweight = -1\n").unwrap();
    let out = abduce(
        dir.path(),
        &[
            "compare",
            "border",
            "-q",
            "--overlay",
            "x.toml",
            "--overlay",
            "y.toml",
            "--set",
            "evidence.claim.weight=-2",
            "-o",
            "out.md",
        ],
    );
    out.assert_fails(1);
    assert_eq!(
        out.stderr,
        "x.toml:2:1: error: unknown field `evidence.claim.wieght` (did you mean `weight`?); \
         expected one of weight, weight_range, credibility, credibility_range, status, \
         likelihood\n  |\n2 | wieght = 1\n  | ^^^^^^\n\
         y.toml:2:10: error: `evidence.claim.weight` = -1 is out of range: it must be at least \
         0 and at most 1e6\n  |\n2 | weight = -1\n  |          ^^\n\
         abduce: error: --set `evidence.claim.weight=-2`: `evidence.claim.weight` = -2 is out \
         of range: it must be at least 0 and at most 1e6\n"
    );
    assert!(!dir.path().join("out.md").exists());
}

/// The base case's row is called `base`, so an overlay file `base.toml` names its analyst
/// `base-2`, as two overlays with the same file name are told apart.
#[test]
fn compare_never_names_an_analyst_base() {
    let dir = tempfile::tempdir().unwrap();
    write_case_folder(dir.path());
    std::fs::write(
        dir.path().join("base.toml"),
        "[evidence.claim]\nweight = 0.0\n",
    )
    .unwrap();
    let out = abduce(
        dir.path(),
        &[
            "compare",
            "border",
            "--overlay",
            "base.toml",
            "--format",
            "json",
        ],
    );
    out.assert_ok();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["analysts"], serde_json::json!(["base-2"]));
    assert_eq!(json["base"]["analyst"], "base");
    assert_eq!(json["views"][0]["analyst"], "base-2");
}

// ----------------------------------------------------------------------------- import

fn achz_bytes(xml: &str) -> Vec<u8> {
    let mut utf16 = vec![0xFF, 0xFE];
    for u in xml.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&utf16).unwrap();
    gz.finish().unwrap()
}

/// 2025-12-24 is day 20089 + 357 = 20446 since 1970-01-01 (2025-01-01 = 1735689600 s =
/// day 20089; Jan–Nov = 334 days, +23), i.e. 1766534400000 ms at 00:00 UTC.
const DEC24_MS: i64 = 1_766_534_400_000;

const ACHZ_XML: &str = r#"<?xml version="1.0" encoding="UTF-16"?>
<ACH>
  <PROJECT-TITLE>Border attacks &amp; claims</PROJECT-TITLE>
  <MATRIX>
    <HYPOTHESIS><NAME>Local Taliban</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>ETIM</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>ISK (Khorasan)</NAME></HYPOTHESIS>
    <EVIDENCE>
      <NAME>Arsenal seized</NAME>
      <NOTES>M-16s, "silenced" pistols</NOTES>
      <TYPE>Report</TYPE>
      <DATE>DATE_LATE</DATE>
      <CODE>E1</CODE>
      <FLAG></FLAG>
      <VALUES>C C,I,N</VALUES>
      <CREDIBILITY>HIGH</CREDIBILITY>
    </EVIDENCE>
    <EVIDENCE>
      <NAME>No claim of responsibility</NAME>
      <VALUES><VALUE>NA</VALUE><VALUE>I I</VALUE><VALUE>C</VALUE></VALUES>
      <CREDIBILITY>low</CREDIBILITY>
      <DATE></DATE>
    </EVIDENCE>
  </MATRIX>
</ACH>
"#;

#[test]
fn achz_built_in_the_test_imports_to_the_expected_case() {
    // 23:59:59.999 UTC on Dec 24 is still Dec 24 (UTC, not local time).
    let xml = ACHZ_XML.replace("DATE_LATE", &(DEC24_MS + 86_399_999).to_string());
    let imported = from_achz(&achz_bytes(&xml), "border", Path::new("border.achz")).unwrap();
    let case = &imported.case;
    assert_eq!(
        case.evidence[0].date,
        Some(Date {
            year: 2025,
            month: 12,
            day: 24
        })
    );
    assert!(imported.warnings.is_empty());
    let files = case_files(case, "border.achz");
    assert_eq!(files[0].0, PathBuf::from("hypotheses/border.toml"));
    assert_eq!(
        files[0].1,
        r#"# Imported by abduce from border.achz.

[case]
title = "Border attacks & claims"

[[hypothesis]]
id    = "local-taliban"
title = "Local Taliban"

[[hypothesis]]
id    = "ETIM"
title = "ETIM"

[[hypothesis]]
id    = "isk-khorasan"
title = "ISK (Khorasan)"
"#
    );
    assert_eq!(files[1].0, PathBuf::from("evidence/border/border.toml"));
    assert_eq!(
        files[1].1,
        r#"# Evidence imported by abduce from border.achz.

[[evidence]]
id          = "arsenal-seized"
title       = "Arsenal seized"
date        = 2025-12-24
credibility = "high"
note        = "M-16s, \"silenced\" pistols\nACH type: Report\nACH code: E1"

[evidence.likelihood]
local-taliban = "CC"
ETIM          = "I"
isk-khorasan  = "N"

[[evidence]]
id          = "no-claim-of-responsibility"
title       = "No claim of responsibility"
credibility = "low"

[evidence.likelihood]
local-taliban = "NA"
ETIM          = "II"
isk-khorasan  = "C"
"#
    );
    // Big-endian UTF-16 with its BOM reads the same.
    let mut be = vec![0xFE, 0xFF];
    for u in xml.encode_utf16() {
        be.extend(u.to_be_bytes());
    }
    let again = from_achz(&be, "border", Path::new("b.achz")).unwrap();
    assert_eq!(again.case, imported.case);
}

#[test]
fn achz_values_text_in_every_layout() {
    // Pretty-printed lines, indentation with tabs, separators followed by line breaks, tabs:
    // each gives the three ratings; an empty piece between two commas is NA (a warning).
    let ratings = |values: &str| {
        let xml = ACHZ_XML.replace("DATE_LATE", "0").replace(
            "<VALUES>C C,I,N</VALUES>",
            &format!("<VALUES>{values}</VALUES>"),
        );
        let imported = from_achz(&achz_bytes(&xml), "b", Path::new("b.achz")).unwrap();
        (
            imported.case.evidence[0].likelihood.clone(),
            imported.warnings.len(),
        )
    };
    let expected = vec![
        Cell::Rating(Rating::CC),
        Cell::Rating(Rating::I),
        Cell::Rating(Rating::N),
    ];
    for layout in [
        "C C,I,N",
        "\n        C C\n        I\n        N\n      ",
        "\n\t\tC C\n\t\tI\n\n\t\tN\n\t",
        "C C,\nI;\n N",
        "C C\tI\tN",
        " C C | I | N ",
    ] {
        assert_eq!(ratings(layout), (expected.clone(), 0), "{layout:?}");
    }
    let (cells, warnings) = ratings("C C,,N");
    assert_eq!(cells[1], Cell::Rating(Rating::NA));
    assert_eq!(warnings, 1);
}

#[test]
fn achz_errors_name_the_item() {
    let xml = ACHZ_XML
        .replace("DATE_LATE", "yesterday")
        .replace("C C,I,N", "C C,I")
        .replace("<CREDIBILITY>low", "<CREDIBILITY>sure");
    let err = from_achz(&achz_bytes(&xml), "b", Path::new("b.achz"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("b.achz: error: evidence 1 (`arsenal-seized`): VALUES gives 2 rating(s) for 3 hypotheses"), "{err}");
    // The same item's other problems are reported too.
    assert!(
        err.contains("evidence 1 (`arsenal-seized`): DATE `yesterday`"),
        "{err}"
    );
    assert!(
        err.contains("evidence 2 (`no-claim-of-responsibility`): CREDIBILITY `sure`"),
        "{err}"
    );
    let err = from_achz(b"\x1f\x8bnot gzip", "b", Path::new("b.achz")).unwrap_err();
    assert!(err.to_string().contains("cannot decompress"));
    assert!(from_achz(&achz_bytes("<A><B></A>"), "b", Path::new("b.achz")).is_err());
}

#[test]
fn import_achz_command_writes_a_new_case_folder_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let xml = ACHZ_XML.replace("DATE_LATE", &DEC24_MS.to_string());
    std::fs::write(dir.path().join("Border Attacks.achz"), achz_bytes(&xml)).unwrap();
    let out = abduce(
        dir.path(),
        &["import", "achz", "Border Attacks.achz", "--out", "cases"],
    );
    out.assert_ok();
    let hyp = dir.path().join("cases/hypotheses/border-attacks.toml");
    let ev = dir
        .path()
        .join("cases/evidence/border-attacks/border-attacks.toml");
    assert!(read(&hyp).contains("title = \"Border attacks & claims\""));
    assert!(read(&ev).contains("date        = 2025-12-24\n"));
    std::fs::write(&ev, "# edited\n").unwrap();
    let out = abduce(
        dir.path(),
        &["import", "achz", "Border Attacks.achz", "--out", "cases"],
    );
    out.assert_fails(1);
    assert!(out.stderr.contains("already exists"));
    assert_eq!(read(&ev), "# edited\n");
}

const MATRIX_CSV: &str = "\
id,title,Local Taliban,ETIM,ISK,Credibility,weight,date,status,note
priors,,2,1,1,,,,,
arsenal,\"Arsenal seized, M-16s\",C,c c,I,high,1.5,2025-12-24,,seized at the border
,Claim on Telegram,N,I I,0.95,0.6,low,,absent,
,,0.4,0.2,NA,,,,pending,
";

#[test]
fn csv_import_of_a_small_matrix() {
    let imported = from_csv(MATRIX_CSV, "matrix", Path::new("matrix.csv")).unwrap();
    let case = &imported.case;
    let ids: Vec<&str> = case.hypotheses.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["local-taliban", "ETIM", "ISK"]);
    assert_eq!(case.hypotheses[0].title, "Local Taliban");
    assert_eq!(case.hypotheses[0].prior, 2.0);
    let items: Vec<&str> = case.evidence.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(items, ["arsenal", "claim-on-telegram", "e3"]);
    let e = &case.evidence;
    assert_eq!(
        e[0].likelihood,
        [
            Cell::Rating(Rating::C),
            Cell::Rating(Rating::CC),
            Cell::Rating(Rating::I)
        ]
    );
    assert_eq!(
        e[0].credibility,
        Credibility::Mixture {
            value: 0.9,
            range: None,
            basis: CredibilityBasis::Explicit
        }
    );
    assert_eq!(
        (e[0].weight, e[0].date),
        (
            1.5,
            Some(Date {
                year: 2025,
                month: 12,
                day: 24
            })
        )
    );
    assert_eq!(e[0].note.as_deref(), Some("seized at the border"));
    assert_eq!(
        e[1].likelihood[2],
        Cell::Value {
            value: 0.95,
            range: None
        }
    );
    assert_eq!(
        (e[1].weight, e[1].status),
        (std::f64::consts::FRAC_1_SQRT_2, Status::Absent)
    );
    assert_eq!(e[2].status, Status::Pending);
    assert_eq!(e[2].credibility.value(), Some(1.0));
    let ev = &case_files(case, "matrix.csv")[1].1;
    assert!(ev.contains("\n[[evidence]]\nid          = \"claim-on-telegram\"\ntitle       = \"Claim on Telegram\"\ncredibility = 0.6\nweight      = \"low\"\nstatus      = \"absent\"\n"), "{ev}");
}

#[test]
fn csv_import_reports_every_bad_cell_with_its_line() {
    let bad = "id,a,b,weight,date\nx,C,maybe,-1,2025-02-30\ny,,0.5,,\n";
    let err = from_csv(bad, "m", Path::new("m.csv"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("m.csv: error: line 2, column `b`: `maybe` is neither a rating"),
        "{err}"
    );
    assert!(
        err.contains(
            "line 2, column `weight`: `weight` = -1 is out of range: it must be at least 0 and at most 1e6"
        ),
        "{err}"
    );
    assert!(
        err.contains("line 2, column `date`: `2025-02-30` is not a date"),
        "{err}"
    );
    assert!(err.contains("line 3, column `a`: empty cell"), "{err}");
    let err = from_csv("id,only\nx,C\n", "m", Path::new("m.csv"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("at least 2 hypothesis columns"), "{err}");
}

// ------------------------------------------------------------------------- round trip

/// A case using everything the CSV carries, and some things it can only fold in.
fn rich_case() -> Case {
    let mut case = Case::new("rich", &[("taliban", 2.0), ("etim", 1.0), ("isk", 0.5)]);
    case.groups.push(Group {
        id: "seized".into(),
        correlation: 0.6,
        file: 0,
    });
    let mut e = Vec::new();
    let mut x = Evidence::new("rifles", &[]);
    x.likelihood = vec![
        Cell::Rating(Rating::C),
        Cell::Rating(Rating::NA),
        Cell::Rating(Rating::II),
    ];
    x.credibility = Credibility::Mixture {
        value: 0.9,
        range: None,
        basis: CredibilityBasis::Explicit,
    };
    x.weight = std::f64::consts::SQRT_2;
    x.group = Some(0);
    x.date = Some(Date {
        year: 2025,
        month: 12,
        day: 24,
    });
    e.push(x);
    let mut x = Evidence::new("pistols", &[0.33, 0.61, 0.07]);
    x.group = Some(0);
    x.credibility = Credibility::Mixture {
        value: 0.75f64.sqrt(),
        range: None,
        basis: CredibilityBasis::Admiralty,
    };
    x.information = Some(2);
    e.push(x);
    let mut x = Evidence::new("no-claim", &[0.2, 0.9, 0.7]);
    x.status = Status::Absent;
    x.weight = 0.37;
    x.note = Some("looked for, not found".into());
    e.push(x);
    let mut x = Evidence::new("intercept", &[0.8, 0.1, 0.3]);
    x.credibility = Credibility::Schum {
        hit_rate: 0.85,
        false_alarm_rate: 0.15,
    };
    x.likelihood[1] = Cell::Value {
        value: 0.1,
        range: Some(Range { lo: 0.05, hi: 0.2 }),
    };
    e.push(x);
    let mut x = Evidence::new("pending-check", &[0.9, 0.1, 0.5]);
    x.status = Status::Pending;
    x.group = Some(0);
    e.push(x);
    let mut x = Evidence::new("old-rumour", &[0.01, 0.99, 0.5]);
    x.status = Status::Retracted;
    e.push(x);
    case.evidence = e;
    case
}

#[test]
fn csv_round_trip_preserves_the_scores() {
    let case = rich_case();
    let exported = matrix_csv(&case).unwrap();
    let back = from_csv(&exported.csv, "rich", Path::new("rich.csv"))
        .unwrap()
        .case;
    let (s0, s1) = (bayes::score(&case).unwrap(), bayes::score(&back).unwrap());
    for k in 0..3 {
        assert!((s0.posteriors[k] - s1.posteriors[k]).abs() < 1e-12);
        assert!((s0.log_scores[k] - s1.log_scores[k]).abs() < 1e-12);
    }
    assert_eq!(back.evidence.len(), case.evidence.len());
    assert_eq!(back.evidence[4].status, Status::Pending);
    // And the imported case exports to the same CSV again.
    assert_eq!(matrix_csv(&back).unwrap().csv, exported.csv);
    let w = exported.warnings.join("\n");
    assert!(w.contains("groups") && w.contains("rifles (seized)"), "{w}");
    assert!(
        w.contains("ranges") && w.contains("evidence.intercept.likelihood.etim"),
        "{w}"
    );
    assert!(
        w.contains("hit and false-alarm rates") && w.contains("intercept"),
        "{w}"
    );
    assert!(w.contains("Admiralty") && w.contains("pistols"), "{w}");
}

#[test]
fn csv_export_of_a_plain_case_is_exact_and_lossless() {
    let mut case = Case::new("plain", &[("a", 1.0), ("b", 1.0)]);
    let mut x = Evidence::new("e1", &[0.25, 0.5]);
    x.title = Some("A, quoted \"title\"".into());
    x.credibility = Credibility::Mixture {
        value: 0.7,
        range: None,
        basis: CredibilityBasis::Explicit,
    };
    case.evidence.push(x);
    let mut x = Evidence::new("e2", &[]);
    x.likelihood = vec![Cell::Rating(Rating::I), Cell::Rating(Rating::CC)];
    x.status = Status::Absent;
    case.evidence.push(x);
    let exported = matrix_csv(&case).unwrap();
    assert_eq!(
        exported.csv,
        "id,title,a,b,credibility,weight,date,status,note\n\
         e1,\"A, quoted \"\"title\"\"\",0.25,0.5,0.7,1,,observed,\n\
         e2,,I,CC,,1,,absent,\n"
    );
    assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
    let back = from_csv(&exported.csv, "plain", Path::new("p.csv"))
        .unwrap()
        .case;
    assert_eq!(back.evidence, case.evidence);
}

#[test]
fn csv_export_refuses_a_hypothesis_named_like_a_column() {
    let case = Case::new("c", &[("weight", 1.0), ("b", 1.0)]);
    assert!(
        matrix_csv(&case)
            .unwrap_err()
            .to_string()
            .contains("rename it")
    );
}

#[test]
fn csv_round_trip_through_the_files_preserves_the_scores() {
    let dir = tempfile::tempdir().unwrap();
    let case = rich_case();
    std::fs::write(dir.path().join("rich.csv"), matrix_csv(&case).unwrap().csv).unwrap();
    let out = abduce(dir.path(), &["import", "csv", "rich.csv"]);
    out.assert_ok();
    let location =
        abduce::case::discover::CaseLocation::File(dir.path().join("hypotheses/rich.toml"));
    let loaded = abduce::load::load(&location).unwrap().case;
    let (s0, s1) = (bayes::score(&case).unwrap(), bayes::score(&loaded).unwrap());
    for k in 0..3 {
        assert!((s0.posteriors[k] - s1.posteriors[k]).abs() < 1e-12);
    }
    // export csv of the loaded case gives the same matrix.
    let out = abduce(dir.path(), &["export", "csv", "rich", "-o", "again.csv"]);
    out.assert_ok();
    assert_eq!(
        read(&dir.path().join("again.csv")),
        read(&dir.path().join("rich.csv"))
    );
}

// ------------------------------------------------------------------------------- init

#[test]
fn init_writes_the_bundled_case_under_its_own_name_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = abduce(dir.path(), &["init", "start"]);
    if abduce::case::bundled::FILES.is_empty() {
        // A build without shipped cases has nothing to write: an error, and no folder.
        out.assert_fails(1);
        assert!(!dir.path().join("start").exists());
        return;
    }
    out.assert_ok();
    assert!(out.stdout.contains("cd start && abduce check start"));
    // Every bundled file, under the name `start`: hypotheses/start.toml, evidence/start/….
    let bundled = abduce::case::bundled::DEFAULT_CASE;
    for (rel, text) in abduce::case::bundled::FILES {
        let renamed = rel
            .replace(
                &format!("hypotheses/{bundled}.toml"),
                "hypotheses/start.toml",
            )
            .replace(&format!("evidence/{bundled}/"), "evidence/start/");
        let want = text.replace(&format!("../evidence/{bundled}/"), "../evidence/start/");
        assert_eq!(
            read(&dir.path().join("start").join(&renamed)),
            want,
            "{renamed}"
        );
    }
    // The copy is a case of its own: it loads under its name and scores as the bundled one.
    let score = |dir: &Path, case: &str| {
        let out = abduce(dir, &["score", case, "--format", "json", "--quiet"]);
        out.assert_ok();
        let mut v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        // The name differs, and so does the files' digest in the provenance (the comment on
        // where the evidence lives follows the name).
        v["case"] = serde_json::Value::Null;
        v["provenance"] = serde_json::Value::Null;
        v
    };
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        score(&dir.path().join("start"), "start"),
        score(empty.path(), bundled)
    );
    let first = "hypotheses/start.toml";
    std::fs::write(dir.path().join("start").join(first), "# mine\n").unwrap();
    let out = abduce(dir.path(), &["init", "start"]);
    out.assert_fails(1);
    assert!(out.stderr.contains("already exists"));
    assert_eq!(read(&dir.path().join("start").join(first)), "# mine\n");
    // A name that cannot be a file name is bad usage; a path is a folder, as before names.
    let out = abduce(dir.path(), &["init", "old/"]);
    out.assert_ok();
    assert!(
        dir.path()
            .join(format!("old/hypotheses/{bundled}.toml"))
            .exists()
    );
    let out = abduce(dir.path(), &["init", "my case"]);
    out.assert_fails(2);
    assert!(out.stderr.contains("use `--dir`"));
}

#[test]
fn init_refuses_a_name_that_cannot_be_a_file_name_and_names_the_dir_flag() {
    let dir = tempfile::tempdir().unwrap();
    let err = abduce(dir.path(), &["init", "bad name!"]).fails(2);
    assert_eq!(
        err,
        "abduce: error: `bad name!` cannot be a case name: use letters, digits, `-` and `_`, \
         starting with a letter or digit (to write into a folder, use `--dir`)\n"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn init_quiet_writes_the_files_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = abduce(dir.path(), &["init", "-q", "--blank", "q-case"]);
    out.assert_ok();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    // The same three files as without -q.
    for f in [
        "hypotheses/q-case.toml",
        "evidence/q-case/00-sources.toml",
        "evidence/q-case/01-items.toml",
    ] {
        assert!(dir.path().join("q-case").join(f).is_file(), "{f}");
    }
}

#[test]
fn init_blank_writes_a_template_that_checks_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out = abduce(dir.path(), &["init", "--blank", "my-case", "--dir", "."]);
    out.assert_ok();
    assert_eq!(
        out.stdout.lines().take(3).collect::<Vec<_>>(),
        [
            "wrote ./hypotheses/my-case.toml",
            "wrote ./evidence/my-case/00-sources.toml",
            "wrote ./evidence/my-case/01-items.toml"
        ]
    );
    let hyp = read(&dir.path().join("hypotheses/my-case.toml"));
    assert!(hyp.contains("title    = \"my-case\""));
    assert!(hyp.contains("../evidence/my-case/"));
    let items = read(&dir.path().join("evidence/my-case/01-items.toml"));
    for status in ["observed", "absent", "pending", "retracted"] {
        assert_eq!(
            items
                .matches(&format!("status      = \"{status}\""))
                .count(),
            1,
            "{status}"
        );
    }
    // `check` lists every warning: there is none.
    let out = abduce(dir.path(), &["check", "my-case"]);
    out.assert_ok();
    assert_eq!(out.stderr, "");
    // Two hypotheses, one item observed and one absent count: actor-a leads.
    // observed claim: ℓ = 0.7 vs I; absent no-warning: 1 − 0.6 = 0.4 vs 1 − 0.2 = 0.8.
    let out = abduce(dir.path(), &["score", "my-case", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["hypotheses"].as_array().unwrap().len(), 2);
    // Sweeps run on it (its ranges are valid).
    let out = abduce(
        dir.path(),
        &["sweep", "sobol", "my-case", "--samples", "64", "--quiet"],
    );
    out.assert_ok();
}

#[test]
fn epoch_milliseconds_are_utc_dates() {
    use abduce::workflow::import::date_from_epoch_ms;
    let d = |y, m, day| {
        Some(Date {
            year: y,
            month: m,
            day,
        })
    };
    assert_eq!(date_from_epoch_ms(0), d(1970, 1, 1));
    // One millisecond before the epoch is the last moment of 1969-12-31.
    assert_eq!(date_from_epoch_ms(-1), d(1969, 12, 31));
    // 2024-02-29 00:00 UTC = 1709164800 s; one ms earlier is Feb 28.
    assert_eq!(date_from_epoch_ms(1_709_164_800_000), d(2024, 2, 29));
    assert_eq!(date_from_epoch_ms(1_709_164_799_999), d(2024, 2, 28));
    assert_eq!(date_from_epoch_ms(DEC24_MS), d(2025, 12, 24));
    assert_eq!(date_from_epoch_ms(i64::MAX), None);
}

#[test]
fn command_line_mistakes_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = abduce(dir.path(), &["compare"]);
    out.assert_fails(2); // compare without --overlay
    std::fs::write(dir.path().join("m.csv"), MATRIX_CSV).unwrap();
    let out = abduce(
        dir.path(),
        &["import", "csv", "m.csv", "--name", "Bad Name"],
    );
    out.assert_fails(2);
    let out = abduce(dir.path(), &["import", "csv", "m.csv", "--name", "good"]);
    out.assert_ok();
    assert!(dir.path().join("hypotheses/good.toml").exists());
    assert!(dir.path().join("evidence/good/good.toml").exists());
}

#[test]
fn csv_export_writes_ratings_of_a_custom_scale_as_numbers() {
    let mut case = Case::new("scale", &[("a", 1.0), ("b", 1.0)]);
    case.ratings.level_mut(Rating::C).likelihood = 0.72;
    let mut x = Evidence::new("e1", &[]);
    x.likelihood = vec![Cell::Rating(Rating::C), Cell::Rating(Rating::NA)];
    case.evidence.push(x);
    let exported = matrix_csv(&case).unwrap();
    // C is 0.72 in this case; NA stays NA (the mean of the row's other cells, 0.72).
    assert!(
        exported.csv.contains("\ne1,,0.72,NA,,1,,observed,\n"),
        "{}",
        exported.csv
    );
    assert!(exported.warnings.iter().any(|w| w.contains("rating scale")));
    let back = from_csv(&exported.csv, "scale", Path::new("s.csv"))
        .unwrap()
        .case;
    assert_eq!(back.likelihoods(0), vec![0.72, 0.72]);
}

#[test]
fn achz_may_be_plain_utf8_xml() {
    let xml = ACHZ_XML.replace("DATE_LATE", "0");
    let imported = from_achz(xml.as_bytes(), "b", Path::new("b.xml")).unwrap();
    assert_eq!(imported.case.title, "Border attacks & claims");
    assert_eq!(
        imported.case.evidence[0].date,
        Some(Date {
            year: 1970,
            month: 1,
            day: 1
        })
    );
}

mod round_trip {
    use super::*;
    use proptest::prelude::*;

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            (0.0f64..=1.0).prop_map(|value| Cell::Value { value, range: None }),
            prop::sample::select(vec![
                Rating::CC,
                Rating::C,
                Rating::N,
                Rating::NA,
                Rating::I,
                Rating::II
            ])
            .prop_map(Cell::Rating),
        ]
    }

    fn item() -> impl Strategy<Value = (Vec<Cell>, Option<f64>, f64, usize)> {
        (
            prop::collection::vec(cell(), 3),
            prop::option::of(0.0f64..=1.0),
            0.0f64..5.0,
            0usize..4,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn export_then_import_keeps_the_scores(
            priors in prop::collection::vec(0.1f64..10.0, 3),
            items in prop::collection::vec(item(), 1..6),
        ) {
            let mut case = Case::new("p", &[("a", priors[0]), ("b", priors[1]), ("c", priors[2])]);
            for (i, (cells, cred, weight, status)) in items.into_iter().enumerate() {
                let mut e = Evidence::new(&format!("e{i}"), &[]);
                e.likelihood = cells;
                if let Some(value) = cred {
                    e.credibility = Credibility::Mixture { value, range: None, basis: CredibilityBasis::Explicit };
                }
                e.weight = weight;
                e.status = [Status::Observed, Status::Absent, Status::Pending, Status::Retracted][status];
                case.evidence.push(e);
            }
            let Ok(s0) = bayes::score(&case) else { return Ok(()) }; // an inconsistent draw
            let back = from_csv(&matrix_csv(&case).unwrap().csv, "p", Path::new("p.csv")).unwrap().case;
            let s1 = bayes::score(&back).unwrap();
            for k in 0..3 {
                prop_assert!((s0.posteriors[k] - s1.posteriors[k]).abs() < 1e-12);
            }
            prop_assert_eq!(back.evidence, case.evidence);
        }
    }
}
