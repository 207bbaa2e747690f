//! `abduce batch PLAN.toml` (#6): a plan of cases × variants × commands run in parallel.

#[path = "fixtures/harness.rs"]
mod harness;

use harness::{Run, abduce, folder};
use serde_json::Value;

/// The bundled case written into a temporary folder by `abduce init`, with an analyst's
/// overlay and a broken overlay (an evidence id that does not exist) beside a plan that also
/// names a case file that does not exist.
fn border_plan() -> tempfile::TempDir {
    let dir = folder(&[
        (
            "plans/overlays/b.toml",
            b"[evidence.shohin-2024]\nweight = 0.5\n",
        ),
        (
            "plans/overlays/bad.toml",
            b"[evidence.shohin-2204]\nweight = 0.5\n",
        ),
        (
            "plans/plan.toml",
            br#"# Two analysts and a broken variant on the border case, plus a missing case.
[batch]
samples = 3000
seed = 7

[[case]]
path = "../hypotheses/afghan-tajik-border.toml"

[[case]]
path = "../hypotheses/nope.toml"

[[variant]]
name = "base"

[[variant]]
name = "analyst-b"
overlay = ["overlays/b.toml"]
set = ["evidence.shohin-drone-mine.weight=0.5"]

[[variant]]
name = "broken"
overlay = ["overlays/bad.toml"]

[run]
commands = ["score", "monte-carlo", "tipping", "tornado"]
"#,
        ),
    ]);
    let init = abduce(dir.path(), &["init", "--dir", "."]);
    init.assert_ok();
    dir
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).expect("batch writes JSON")
}

#[test]
fn a_broken_entry_fails_alone_and_good_entries_equal_the_single_commands() {
    let dir = border_plan();
    let run = abduce(
        dir.path(),
        &["batch", "plans/plan.toml", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().last(),
        Some("abduce: error: 16 of 24 runs failed (their errors are in the result)")
    );
    let doc = json(&run);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["command"], "batch");
    assert_eq!(doc["plan"], "plans/plan.toml");
    let runs = doc["runs"].as_array().unwrap();
    // 2 cases × 3 variants × 4 commands, in plan order.
    assert_eq!(runs.len(), 24);
    let commands = ["score", "monte-carlo", "tipping", "tornado"];
    for (i, r) in runs.iter().enumerate() {
        let case = ["afghan-tajik-border", "nope"][i / 12];
        let variant = ["base", "analyst-b", "broken"][(i / 4) % 3];
        assert_eq!(
            (&r["case"], &r["variant"], &r["command"]),
            (
                &Value::from(case),
                &Value::from(variant),
                &Value::from(commands[i % 4])
            )
        );
        let ok = i < 8;
        assert_eq!(r["status"], if ok { "ok" } else { "error" }, "run {i}");
        assert_eq!(r["error"].is_null(), ok);
        assert_eq!(r["result"].is_null(), !ok);
    }
    // The broken overlay: the loader's diagnostic, at its line and column, with a suggestion.
    assert_eq!(
        runs[8]["error"],
        "plans/overlays/bad.toml:1:11: error: unknown evidence item `shohin-2204`; did you mean \
         `shohin-2024`?\n  |\n1 | [evidence.shohin-2204]\n  |           ^^^^^^^^^^^\n"
    );
    // The missing case fails each of its 12 runs with the loader's message.
    for r in &runs[12..] {
        let e = r["error"].as_str().unwrap();
        assert!(
            e.starts_with("plans/../hypotheses/nope.toml: error: cannot read"),
            "{e}"
        );
    }

    // Each good run's result is exactly the single command's JSON document.
    let single = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--format", "json", "--quiet"]);
        let r = abduce(dir.path(), &all);
        r.assert_ok();
        serde_json::from_str::<Value>(&r.stdout).unwrap()
    };
    let variants: [&[&str]; 2] = [
        &[],
        &[
            "--overlay",
            "plans/overlays/b.toml",
            "--set",
            "evidence.shohin-drone-mine.weight=0.5",
        ],
    ];
    for (v, extra) in variants.iter().enumerate() {
        let with = |cmd: &[&str]| {
            let mut a = cmd.to_vec();
            a.extend_from_slice(extra);
            single(&a)
        };
        let at = |c: usize| &runs[4 * v + c]["result"];
        assert_eq!(*at(0), with(&["score", "afghan-tajik-border"]));
        assert_eq!(
            *at(1),
            with(&[
                "sweep",
                "monte-carlo",
                "afghan-tajik-border",
                "--samples",
                "3000",
                "--seed",
                "7"
            ])
        );
        assert_eq!(*at(2), with(&["sweep", "tipping", "afghan-tajik-border"]));
        assert_eq!(*at(3), with(&["sweep", "tornado", "afghan-tajik-border"]));
    }
    // The analyst's variant really differs from the base.
    assert_ne!(runs[0]["result"], runs[4]["result"]);
    // Provenance: each run carries its own (its overlay by file name, then its --set, as
    // the single command does, compared above); the batch itself spans cases and has none.
    assert!(doc["provenance"].is_null());
    assert_eq!(
        runs[0]["result"]["provenance"]["variants"],
        serde_json::json!([])
    );
    let variants = &runs[4]["result"]["provenance"]["variants"];
    assert_eq!(variants[0]["overlay"], "b.toml");
    assert_eq!(variants[1]["set"], "evidence.shohin-drone-mine.weight=0.5");
}

#[test]
fn thread_counts_give_identical_bytes() {
    let dir = border_plan();
    for format in ["json", "csv", "md"] {
        let [one, two] = ["1", "2"].map(|n| {
            let args = [
                "batch",
                "plans/plan.toml",
                "--format",
                format,
                "--threads",
                n,
            ];
            abduce(dir.path(), &args)
        });
        assert_eq!(one.code, 1);
        assert!(!one.stdout.is_empty());
        assert_eq!(one.stdout, two.stdout, "--format {format}");
        if format == "csv" {
            // A failed run is one row: its error, and no hypothesis.
            assert!(one.stdout.contains(
                "\nnope,base,score,error,plans/../hypotheses/nope.toml: error: cannot read"
            ));
        }
    }
}

#[test]
fn markdown_ends_with_the_verdict_and_groups_errors() {
    let dir = border_plan();
    let run = abduce(dir.path(), &["batch", "plans/plan.toml", "--quiet"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().last(), Some("16 of 24 runs failed."));
    // Each distinct error is shown once, with the runs it failed.
    assert!(
        run.stdout.contains("\nRuns 9, 10, 11, 12:\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout
            .matches("unknown evidence item `shohin-2204`")
            .count(),
        5
    );
    assert!(
        run.stdout
            .contains("| 1 | afghan-tajik-border | base | score | ok | drug-revenge | posterior ")
    );
}

#[test]
fn an_unknown_key_in_the_plan_is_an_error_at_its_line_and_column() {
    let dir = folder(&[(
        "plan.toml",
        b"[batch]\nsamples = 10\n\n[[case]]\nbundled = true\nwieght = 2\n",
    )]);
    let run = abduce(dir.path(), &["batch", "plan.toml"]);
    run.assert_fails(1);
    assert!(
        run.stderr
            .starts_with("plan.toml:6:1: error: unknown key `wieght`; this table takes `path`, `name`, `bundled`\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("6 | wieght = 2\n  | ^^^^^^\n"),
        "{}",
        run.stderr
    );
}

/// Two hypotheses a, b (equal priors); one counted item e with ℓ = (0.8, 0.2) and
/// credibility 1; one pending item that does not count; nothing varies.
fn pair() -> tempfile::TempDir {
    folder(&[
        (
            "hypotheses/pair.toml",
            b"[case]\ntitle = \"Pair\"\n[[hypothesis]]\nid = \"a\"\n[[hypothesis]]\nid = \"b\"\n",
        ),
        (
            "evidence/pair.toml",
            b"[[evidence]]\nid = \"e\"\ncredibility = 1.0\nlikelihood = { a = 0.8, b = 0.2 }\n\
              [[evidence]]\nid = \"later\"\nstatus = \"pending\"\nlikelihood = { a = 0.5, b = 0.9 }\n",
        ),
        (
            "plan.toml",
            b"[batch]\nsamples = 10\n[[case]]\nname = \"pair\"\n[[variant]]\nname = \"base\"\n[[variant]]\nname = \"tie\"\n\
              set = [\"evidence.e.likelihood.a=0.2\"]\n\
              [run]\ncommands = [\"score\", \"monte-carlo\", \"tipping\", \"tornado\"]\n",
        ),
    ])
}

#[test]
fn exact_csv_for_a_small_case() {
    // p_a = 0.5·0.8 / (0.5·0.8 + 0.5·0.2) = 0.8 ("likely"), p_b = 0.2 ("unlikely"; the
    // scorer's floating point gives 0.20000000000000004, 1 ulp above 0.2). The variant sets ℓ_ea = 0.2: both 0.5, a tie
    // that keeps declaration order (a leads).
    // Monte Carlo: nothing varies, so every scenario is the point: mean = quantiles = p_k,
    // p_top(a) = 1 (10 scenarios).
    // Tipping: t* = 1 + (s_a − s_b) / (ln 0.2 − ln 0.8) = 1 − ln 4 / ln 4 = 0 (1.1e-16 in
    // floating point, written 0 exactly since a crossing within rounding of 0 is 0): the
    // nearest lower tipping point, reached by b; no upper one. Without e
    // the priors tie and a leads: loo_leads(a) = 1, critical 0. In the tied variant b's
    // log-likelihood equals a's, so no crossing exists.
    // Tornado: no varying quantity, so no bar: 0 flips and no swing.
    let dir = pair();
    let run = abduce(dir.path(), &["batch", "plan.toml", "--format", "csv", "-q"]);
    run.assert_ok();
    assert_eq!(
        run.stdout,
        "case,variant,command,status,error,hypothesis,rank,posterior,estimative,leader,mean,q05,q50,q95,p_top,loo_leads,critical,nearest_upper,nearest_lower,flips,max_swing\n\
         pair,base,score,ok,,a,1,0.8,likely,true,,,,,,,,,,,\n\
         pair,base,score,ok,,b,2,0.20000000000000004,unlikely,false,,,,,,,,,,,\n\
         pair,base,monte-carlo,ok,,a,1,0.8,likely,true,0.8,0.8,0.8,0.8,1.0,,,,,,\n\
         pair,base,monte-carlo,ok,,b,2,0.20000000000000004,unlikely,false,0.20000000000000004,0.20000000000000004,0.20000000000000004,0.20000000000000004,0.0,,,,,,\n\
         pair,base,tipping,ok,,a,1,0.8,likely,true,,,,,,1,0,,,,\n\
         pair,base,tipping,ok,,b,2,0.20000000000000004,unlikely,false,,,,,,0,,,0.0,,\n\
         pair,base,tornado,ok,,a,1,0.8,likely,true,,,,,,,,,,0,\n\
         pair,base,tornado,ok,,b,2,0.20000000000000004,unlikely,false,,,,,,,,,,0,\n\
         pair,tie,score,ok,,a,1,0.5,roughly even chance,true,,,,,,,,,,,\n\
         pair,tie,score,ok,,b,2,0.5,roughly even chance,false,,,,,,,,,,,\n\
         pair,tie,monte-carlo,ok,,a,1,0.5,roughly even chance,true,0.5,0.5,0.5,0.5,1.0,,,,,,\n\
         pair,tie,monte-carlo,ok,,b,2,0.5,roughly even chance,false,0.5,0.5,0.5,0.5,0.0,,,,,,\n\
         pair,tie,tipping,ok,,a,1,0.5,roughly even chance,true,,,,,,1,0,,,,\n\
         pair,tie,tipping,ok,,b,2,0.5,roughly even chance,false,,,,,,0,,,,,\n\
         pair,tie,tornado,ok,,a,1,0.5,roughly even chance,true,,,,,,,,,,0,\n\
         pair,tie,tornado,ok,,b,2,0.5,roughly even chance,false,,,,,,,,,,0,\n"
    );
}

#[test]
fn a_bad_set_value_and_an_inconsistent_variant_fail_their_runs_only() {
    let dir = pair();
    std::fs::write(
        dir.path().join("plan.toml"),
        "[[case]]\nname = \"pair\"\n\
         [[variant]]\nname = \"negative\"\nset = [\"evidence.e.weight=-1\"]\n\
         [[variant]]\nname = \"impossible\"\n\
         set = [\"evidence.e.likelihood.a=0\", \"evidence.e.likelihood.b=0\"]\n\
         [[variant]]\nname = \"base\"\n\
         [run]\ncommands = [\"score\", \"tipping\"]\n",
    )
    .unwrap();
    let run = abduce(dir.path(), &["batch", "plan.toml", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.lines().last(),
        Some("abduce: error: 4 of 6 runs failed (their errors are in the result)")
    );
    let doc = json(&run);
    let runs = doc["runs"].as_array().unwrap();
    let status: Vec<&str> = runs.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["error", "error", "error", "error", "ok", "ok"]);
    let err = |i: usize| runs[i]["error"].as_str().unwrap().to_string();
    assert!(
        err(0).starts_with("abduce: error: --set `evidence.e.weight=-1`: "),
        "{}",
        err(0)
    );
    assert_eq!(err(0), err(1));
    // ℓ = 0 for both hypotheses with credibility 1: every hypothesis is eliminated.
    assert!(err(2).contains("inconsistent"), "{}", err(2));
    assert!(err(3).contains("inconsistent"), "{}", err(3));
    // The base variant still scores: p_a = 0.8 (see exact_csv_for_a_small_case).
    assert_eq!(runs[4]["result"]["hypotheses"][0]["posterior"], 0.8);
}

#[test]
fn html_is_refused_before_anything_runs() {
    let dir = pair();
    let run = abduce(dir.path(), &["batch", "plan.toml", "--format", "html"]);
    run.assert_fails(2);
    assert!(
        run.stderr.contains("only available for `report`"),
        "{}",
        run.stderr
    );
}

/// Runs shards 1..=n of the plan into `parts/n-k.json`; returns the part paths.
fn shard_parts(dir: &std::path::Path, n: usize) -> Vec<String> {
    (1..=n)
        .map(|k| {
            let path = format!("parts/{n}-{k}.json");
            let shard = format!("{k}/{n}");
            let run = abduce(
                dir,
                &[
                    "batch",
                    "plans/plan.toml",
                    "--shard",
                    &shard,
                    "-o",
                    &path,
                    "--quiet",
                ],
            );
            assert_eq!(run.code, 0, "{shard}: {}", run.stderr);
            path
        })
        .collect()
}

#[test]
fn merged_shards_equal_the_unsharded_batch_in_every_format() {
    // 2 cases × 3 variants × 4 commands = 24 runs; 30 shards leave 6 shards empty.
    let dir = border_plan();
    std::fs::create_dir(dir.path().join("parts")).unwrap();
    let whole: Vec<Run> = ["json", "csv", "md"]
        .iter()
        .map(|f| abduce(dir.path(), &["batch", "plans/plan.toml", "--format", f]))
        .collect();
    for n in [1, 3, 7, 30] {
        let parts = shard_parts(dir.path(), n);
        for (format, whole) in ["json", "csv", "md"].into_iter().zip(&whole) {
            // Parts in any order.
            let mut args = vec!["merge", "--format", format];
            args.extend(parts.iter().rev().map(String::as_str));
            let merged = abduce(dir.path(), &args);
            // One case is missing and one variant broken: both exit 1 after writing.
            assert_eq!((merged.code, whole.code), (1, 1), "{}", merged.stderr);
            assert_eq!(merged.stdout, whole.stdout, "{n} shards, --format {format}");
            assert_eq!(
                merged.stderr,
                whole.stderr.lines().last().unwrap().to_string() + "\n"
            );
        }
    }
}

#[test]
fn tampered_foreign_overlapping_and_missing_batch_parts_are_refused() {
    let dir = border_plan();
    let p = dir.path();
    std::fs::create_dir(p.join("parts")).unwrap();
    let parts = shard_parts(p, 3);
    // Another run: the same plan with another seed, in another file.
    let plan = std::fs::read_to_string(p.join("plans/plan.toml")).unwrap();
    std::fs::write(
        p.join("plans/plan.toml"),
        plan.replace("seed = 7", "seed = 8"),
    )
    .unwrap();
    let run = abduce(
        p,
        &[
            "batch",
            "plans/plan.toml",
            "--shard",
            "2/3",
            "-o",
            "parts/seed8.json",
            "--quiet",
        ],
    );
    run.assert_ok();
    // A tampered part: one number changed.
    let text = std::fs::read_to_string(p.join(&parts[0])).unwrap();
    let tampered = text.replacen("\"seed\": 7", "\"seed\": 9", 1);
    assert_ne!(tampered, text);
    std::fs::write(p.join("parts/tampered.json"), tampered).unwrap();
    let merge = |args: &[&str]| abduce(p, &[&["merge"], args].concat());
    let r = merge(&[&parts[2], "parts/seed8.json", "parts/tampered.json"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "parts/tampered.json: error: has been changed since it was written (its checksum does \
         not match)\n\
         parts/seed8.json: error: comes from another run than parts/3-3.json: the plan, its \
         cases or its overlays differ\n"
    );
    // Runs 0..8, 8..16, 16..24: the second part twice, the third missing.
    let r = merge(&[&parts[0], &parts[1], &parts[1]]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "abduce: error: parts/3-2.json and parts/3-2.json overlap on runs 8..16 (a shard is \
         given twice)\n\
         abduce: error: the parts leave runs 16..24 uncovered (a shard is missing)\n"
    );
}
