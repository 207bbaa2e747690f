//! What-ifs carry their ranges (docs/format.md "Overlays and --set", docs/model.md "What-ifs
//! move their ranges"): every command follows them, `tune` writes the same thing into the
//! files, and bad assignments are refused with whole, exact messages.

#[path = "fixtures/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

use abduce::case::Range;
use abduce::case::values::Domain;
use abduce::load;
use harness::abduce;
use proptest::prelude::*;

/// A JSON document without its `provenance` (which names the what-ifs and the files' digest,
/// so it differs by design between a what-if and an edited file), as bytes.
fn without_provenance(json: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(json).unwrap();
    if let Some(map) = doc.as_object_mut() {
        map.remove("provenance");
    }
    serde_json::to_string_pretty(&doc).unwrap()
}

/// The quantities of the small test case that carry a range.
#[derive(Debug, Clone, PartialEq)]
struct Quantities {
    prior: (f64, Option<Range>),
    weight: (f64, Option<Range>),
    credibility: (f64, Option<Range>),
    /// `None`: the rating C; else a number with its range.
    cell: Option<(f64, Option<Range>)>,
}

impl Default for Quantities {
    fn default() -> Quantities {
        let r = |lo, hi| Some(Range { lo, hi });
        Quantities {
            prior: (1.5, r(0.75, 3.0)),
            weight: (1.0, r(0.5, 1.5)),
            credibility: (0.8, r(0.6, 0.9)),
            cell: None,
        }
    }
}

/// `key = x` and, with a range, `key_range = [lo, hi]`.
fn pair(key: &str, (x, r): (f64, Option<Range>)) -> String {
    let mut s = format!("{key} = {x:?}\n");
    if let Some(r) = r {
        s += &format!("{key}_range = [{:?}, {:?}]\n", r.lo, r.hi);
    }
    s
}

/// Writes the small case `p` into `dir` (hypotheses/p.toml, evidence/p.toml).
fn write_case(dir: &Path, q: &Quantities) {
    std::fs::create_dir_all(dir.join("hypotheses")).unwrap();
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    let hyp = format!(
        "[case]\ntitle = \"p\"\n\n[[hypothesis]]\nid = \"a\"\n{}\n[[hypothesis]]\nid = \"b\"\n\n\
         [[hypothesis]]\nid = \"other\"\n",
        pair("prior", q.prior)
    );
    let cell = match q.cell {
        None => "\"C\"".to_string(),
        Some((x, None)) => format!("{x:?}"),
        Some((x, Some(r))) => format!("{{ value = {x:?}, range = [{:?}, {:?}] }}", r.lo, r.hi),
    };
    let ev = format!(
        "[[evidence]]\nid = \"x\"\n{}{}\n[evidence.likelihood]\na = {cell}   # the cell\nb = 0.4\n\
         other = 0.5\n\n[[evidence]]\nid = \"y\"\nweight_range = [0.5, 2.0]\n\
         likelihood = {{ a = 0.3, b = 0.6, other = {{ value = 0.5, range = [0.3, 0.7] }} }}\n\n\
         [[evidence]]\nid = \"h\"\nhit_rate = 0.9\nfalse_alarm_rate = 0.2\n\
         likelihood = {{ a = 0.5, b = 0.7, other = 0.5 }}\n",
        pair("weight", q.weight),
        pair("credibility", q.credibility),
    );
    std::fs::write(dir.join("hypotheses/p.toml"), hyp).unwrap();
    std::fs::write(dir.join("evidence/p.toml"), ev).unwrap();
}

/// The quantities after `path = v`, by the rules of docs/model.md (the shift itself is
/// `Domain::shift`, whose values are checked by hand in its unit tests).
fn after(path: usize, v: f64) -> Quantities {
    let mut q = Quantities::default();
    let moved = |domain: Domain, (p, r): (f64, Option<Range>)| {
        if domain.is_edge(v) {
            (v, None)
        } else {
            (v, r.map(|r| domain.shift(r, p, v)))
        }
    };
    match path {
        0 => q.prior = moved(Domain::Prior, q.prior),
        1 => q.weight = moved(Domain::Weight, q.weight),
        2 => q.credibility = moved(Domain::Probability, q.credibility),
        // C is 0.7 with [0.5, 0.85].
        _ => {
            let c = (0.7, Some(Range { lo: 0.5, hi: 0.85 }));
            q.cell = Some(moved(Domain::Probability, c));
        }
    }
    q
}

const PATHS: [&str; 4] = [
    "hypothesis.a.prior",
    "evidence.x.weight",
    "evidence.x.credibility",
    "evidence.x.likelihood.a",
];

fn assignment() -> impl Strategy<Value = (usize, f64)> {
    prop_oneof![
        (0.01f64..50.0).prop_map(|v| (0, v)),
        prop_oneof![Just(0.0), 0.01f64..50.0].prop_map(|v| (1, v)),
        prop_oneof![Just(0.0), Just(1.0), 0.01f64..0.99].prop_map(|v| (2, v)),
        prop_oneof![Just(0.0), Just(1.0), 0.01f64..0.99].prop_map(|v| (3, v)),
    ]
}

/// score and Monte Carlo (fixed seed) as JSON, provenance left out.
fn outputs(dir: &Path, set: &[&str]) -> [String; 2] {
    let mut score = vec!["score", "hypotheses/p.toml", "--format", "json"];
    let mut mc = vec![
        "sweep",
        "monte-carlo",
        "hypotheses/p.toml",
        "--format",
        "json",
        "--samples",
        "3000",
        "--seed",
        "11",
    ];
    for s in set {
        score.extend(["--set", s]);
        mc.extend(["--set", s]);
    }
    [score, mc].map(|args| without_provenance(&abduce(dir, &args).ok()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// `--set X=v` gives the same score and Monte Carlo bytes as the case file edited to the
    /// shifted values, and `tune X=v` writes that file.
    #[test]
    fn a_what_if_is_the_case_file_edited_to_the_shifted_values((path, v) in assignment()) {
        let set = format!("{}={v:?}", PATHS[path]);
        let original = tempfile::tempdir().unwrap();
        write_case(original.path(), &Quantities::default());
        let edited = tempfile::tempdir().unwrap();
        write_case(edited.path(), &after(path, v));
        prop_assert_eq!(outputs(original.path(), &[&set]), outputs(edited.path(), &[]));
        // tune writes a file that loads to the same case.
        abduce(original.path(), &["tune", "p", &set]).ok();
        let load = |dir: &Path| {
            let mut c = load::load(&abduce::case::discover::CaseLocation::File(
                dir.join("hypotheses/p.toml"),
            ))
            .unwrap()
            .case;
            c.files.clear();
            c
        };
        prop_assert_eq!(load(original.path()), load(edited.path()));
    }
}

#[test]
fn setting_every_prior_to_one_moves_the_monte_carlo_interval_too() {
    // The example on the bundled case: `--set hypothesis.<id>.prior=1` for every
    // hypothesis. Each prior range moves with its point on the log scale, lo' = lo·1/p and
    // hi' = hi·1/p (0.5 with [0.2, 1.2] becomes 1 with [0.4, 2.4]), rounded to 15 significant
    // digits, so the Monte Carlo run equals the run of a case whose file says exactly that.
    let round = |x: f64| format!("{x:.14e}").parse::<f64>().unwrap();
    let dir = tempfile::tempdir().unwrap();
    abduce(dir.path(), &["init", "."]).ok();
    let edited = tempfile::tempdir().unwrap();
    abduce(edited.path(), &["init", "."]).ok();
    let file = std::fs::read_dir(edited.path().join("hypotheses"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut doc: toml_edit::DocumentMut = std::fs::read_to_string(&file).unwrap().parse().unwrap();
    let mut sets = Vec::new();
    let mut moved_one = false;
    for h in doc["hypothesis"]
        .as_array_of_tables_mut()
        .unwrap()
        .iter_mut()
    {
        let id = h["id"].as_str().unwrap().to_string();
        let p = h.get("prior").and_then(|x| x.as_float()).unwrap_or(1.0);
        h["prior"] = toml_edit::value(1.0);
        if let Some(r) = h.get("prior_range").and_then(|x| x.as_array()) {
            let (lo, hi) = (
                r.get(0).unwrap().as_float().unwrap(),
                r.get(1).unwrap().as_float().unwrap(),
            );
            moved_one |= p != 1.0;
            h["prior_range"] = toml_edit::value(toml_edit::Array::from_iter([
                round(lo * 1.0 / p),
                round(hi * 1.0 / p),
            ]));
        }
        sets.push(format!("hypothesis.{id}.prior=1"));
    }
    assert!(
        moved_one,
        "the bundled case has a prior other than 1 with a range"
    );
    std::fs::write(&file, doc.to_string()).unwrap();
    let mc = |dir: &Path, sets: &[String]| {
        let mut args: Vec<&str> = vec![
            "sweep",
            "monte-carlo",
            "--format",
            "json",
            "--samples",
            "8192",
            "--seed",
            "5",
        ];
        for s in sets {
            args.extend(["--set", s]);
        }
        without_provenance(&abduce(dir, &args).ok())
    };
    let with_sets = mc(dir.path(), &sets);
    assert_eq!(with_sets, mc(edited.path(), &[]));
    // And the interval really moved: the run differs from the case as written.
    let plain: serde_json::Value = serde_json::from_str(&mc(dir.path(), &[])).unwrap();
    let moved: serde_json::Value = serde_json::from_str(&with_sets).unwrap();
    let interval = |d: &serde_json::Value, id: &serde_json::Value| {
        let h = d["hypotheses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == *id)
            .unwrap()
            .clone();
        (h["q05"].clone(), h["q95"].clone())
    };
    let leader = &plain["point_leader"];
    assert_ne!(interval(&plain, leader), interval(&moved, leader));
}

#[test]
fn every_command_follows_a_what_if() {
    // Each command on the case with `--set` gives the same output as on the edited file
    // (provenance aside): weight 1 with [0.5, 1.5] set to 2 has [1, 3].
    let original = tempfile::tempdir().unwrap();
    write_case(original.path(), &Quantities::default());
    let edited = tempfile::tempdir().unwrap();
    write_case(edited.path(), &after(1, 2.0));
    assert_eq!(
        after(1, 2.0).weight,
        (2.0, Some(Range { lo: 1.0, hi: 3.0 }))
    );
    for command in [
        &["score"][..],
        &["timeline"],
        &["indicators"],
        &["sweep", "tornado"],
        &["sweep", "tipping"],
        &["sweep", "sobol", "--samples", "256"],
        &["sweep", "monte-carlo", "--samples", "5000"],
        &["report", "--samples", "5000"],
    ] {
        let run = |dir: &Path, set: bool| {
            let mut args: Vec<&str> = command.to_vec();
            args.extend(["hypotheses/p.toml", "--format", "json"]);
            if set {
                args.extend(["--set", "evidence.x.weight=2"]);
            }
            without_provenance(&abduce(dir, &args).ok())
        };
        assert_eq!(
            run(original.path(), true),
            run(edited.path(), false),
            "{command:?}"
        );
    }
}

#[test]
fn shards_of_a_what_if_merge_and_carry_its_ranges_in_their_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    let shard = |k: &str, set: &str| {
        let out = format!("part{}-{}.json", k.replace('/', "of"), set.len());
        abduce(
            dir.path(),
            &[
                "sweep",
                "monte-carlo",
                "hypotheses/p.toml",
                "--samples",
                "10000",
                "--seed",
                "2",
                "--shard",
                k,
                "--set",
                set,
                "-o",
                &out,
            ],
        )
        .ok();
        out
    };
    let a = shard("1/2", "evidence.x.weight=2");
    let b = shard("2/2", "evidence.x.weight=2");
    let whole = abduce(
        dir.path(),
        &[
            "sweep",
            "monte-carlo",
            "hypotheses/p.toml",
            "--samples",
            "10000",
            "--seed",
            "2",
            "--set",
            "evidence.x.weight=2",
        ],
    )
    .ok();
    assert_eq!(abduce(dir.path(), &["merge", &a, &b]).ok(), whole);
    // A part made with the range given differently does not merge: same point, other range.
    let c = shard("2/2", "evidence.x.weight={ value = 2, range = [1, 3.5] }");
    let out = abduce(dir.path(), &["merge", &a, &c]);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

// ------------------------------------------------------------------------------- tune

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn tune_moves_ranges_in_the_files_and_keeps_everything_else() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    let ev = read(dir.path().join("evidence/p.toml"));
    let hyp = read(dir.path().join("hypotheses/p.toml"));
    let out = abduce(
        dir.path(),
        &[
            "tune",
            "p",
            "evidence.x.weight=2",               // [0.5, 1.5] → [1, 3]
            "evidence.y.weight_range=[0.25, 4]", // a range alone: the point stays 1
            "evidence.x.likelihood.a=0",         // an edge: the rating C becomes a fixed 0
            "hypothesis.a.prior={ value = 1, range = [0.5, 2] }", // both: nothing moves
            "evidence.x.credibility=0.8 # the same", // the same point: the range stays
        ],
    )
    .ok();
    assert_eq!(
        read(dir.path().join("evidence/p.toml")),
        ev.replace(
            "weight = 1.0\nweight_range = [0.5, 1.5]",
            "weight = 2.0\nweight_range = [1.0, 3.0]"
        )
        .replace("a = \"C\"   # the cell", "a = 0.0   # the cell")
        .replace(
            "weight_range = [0.5, 2.0]\nlikelihood = { a = 0.3",
            "weight_range = [0.25, 4.0]\nlikelihood = { a = 0.3"
        )
    );
    assert_eq!(
        read(dir.path().join("hypotheses/p.toml")),
        hyp.replace(
            "prior = 1.5\nprior_range = [0.75, 3.0]",
            "prior = 1.0\nprior_range = [0.5, 2.0]"
        )
    );
    // The before/after table shows each quantity with its range.
    assert!(
        out.starts_with(
            "updated evidence/p.toml\nupdated hypotheses/p.toml\n\n\
             | Quantity | Before | After |\n|---|---|---|\n\
             | evidence.x.weight | 1 [0.5, 1.5] | 2 [1, 3] |\n\
             | evidence.y.weight | 1 [0.5, 2] | 1 [0.25, 4] |\n\
             | evidence.x.likelihood.a | C (0.7 [0.5, 0.85]) | 0 |\n\
             | hypothesis.a.prior | 1.5 [0.75, 3] | 1 [0.5, 2] |\n\
             | evidence.x.credibility | 0.8 [0.6, 0.9] | 0.8 [0.6, 0.9] |\n"
        ),
        "{out}"
    );
}

#[test]
fn tune_writes_a_moved_range_into_a_cell_and_drops_a_range_at_an_edge() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    let ev = read(dir.path().join("evidence/p.toml"));
    abduce(
        dir.path(),
        &[
            "tune",
            "p",
            "evidence.x.likelihood.a=0.3",
            "evidence.x.weight=0",
        ],
    )
    .ok();
    // C (0.7, [0.5, 0.85]) set to 0.3: [0.045/0.29, 0.0765/0.15] (docs/model.md), written as
    // the shortest decimals of the computed numbers; weight 0 drops its range.
    let m = Domain::Probability.shift(Range { lo: 0.5, hi: 0.85 }, 0.7, 0.3);
    assert!((m.lo - 0.045 / 0.29).abs() < 1e-15 && (m.hi - 0.51).abs() < 1e-15);
    assert_eq!(
        read(dir.path().join("evidence/p.toml")),
        ev.replace(
            "a = \"C\"   # the cell",
            &format!(
                "a = {{ value = 0.3, range = [{:?}, {:?}] }}   # the cell",
                m.lo, m.hi
            )
        )
        .replace(
            "weight = 1.0\nweight_range = [0.5, 1.5]\n",
            "weight = 0.0\n"
        )
    );
}

#[test]
fn tune_adds_a_range_key_next_to_its_point() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    let ev = read(dir.path().join("evidence/p.toml"));
    let hyp = read(dir.path().join("hypotheses/p.toml"));
    abduce(
        dir.path(),
        &[
            "tune",
            "p",
            "evidence.y.credibility={ value = 0.7, range = [0.5, 0.9] }",
            "hypothesis.b.prior={ value = 2, range = [1, 4] }",
            "evidence.x.weight=0",
        ],
    )
    .ok();
    // A range added to a point the item already has goes right after it.
    abduce(
        dir.path(),
        &[
            "tune",
            "p",
            "evidence.x.weight={ value = 1, range = [0.25, 4] }",
        ],
    )
    .ok();
    // Both keys are new: the point goes at the end of the item's values, its range after it.
    assert_eq!(
        read(dir.path().join("evidence/p.toml")),
        ev.replace("weight_range = [0.5, 1.5]", "weight_range = [0.25, 4.0]")
            .replace(
                "other = { value = 0.5, range = [0.3, 0.7] } }\n",
                "other = { value = 0.5, range = [0.3, 0.7] } }\ncredibility = 0.7\n\
             credibility_range = [0.5, 0.9]\n"
            )
    );
    assert_eq!(
        read(dir.path().join("hypotheses/p.toml")),
        hyp.replace(
            "id = \"b\"\n",
            "id = \"b\"\nprior = 2.0\nprior_range = [1.0, 4.0]\n"
        )
    );
}

#[test]
fn tune_and_set_read_values_alike() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    // A TOML comment after the value: 0.5 for both (tune once wrote the string "0.5 # c").
    let tuned = abduce(
        dir.path(),
        &["tune", "p", "evidence.x.weight=0.5 # c", "--dry-run"],
    )
    .ok();
    assert!(
        tuned.contains("+weight = 0.5\n+weight_range = [0.25, 0.75]\n"),
        "{tuned}"
    );
    let set = abduce(
        dir.path(),
        &[
            "score",
            "p",
            "--format",
            "json",
            "--set",
            "evidence.x.weight=0.5 # c",
        ],
    )
    .ok();
    assert!(set.contains("\"weight\": 0.5"), "{set}");
    // An empty value: exit 1 for both, with the same words.
    let t = abduce(dir.path(), &["tune", "p", "evidence.x.weight="]);
    let s = abduce(dir.path(), &["score", "p", "--set", "evidence.x.weight="]);
    assert_eq!((t.code, s.code), (1, 1));
    assert_eq!(
        t.stderr,
        "abduce: error: tune `evidence.x.weight=`: no value after `=`\n"
    );
    assert_eq!(
        s.stderr,
        "abduce: error: --set `evidence.x.weight=`: no value after `=`\n"
    );
}

// ----------------------------------------------------------------------------- errors

const OVERLAY: &str = "[evidence.x]\nweight = 1e6\n\n[evidence.h]\ncredibility = 0.5\n\n\
                       [evidence.x.likelihood]\nb = [0.5, 0.6]\n";

#[test]
fn bad_what_ifs_are_refused_together_with_their_places() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    std::fs::write(dir.path().join("o.toml"), OVERLAY).unwrap();
    let out = abduce(
        dir.path(),
        &[
            "score",
            "p",
            "--overlay",
            "o.toml",
            "--set",
            "evidence.x.weight_range=[2, 3]",
            "--set",
            "evidence.h.credibility_range=[0.2, 0.4]",
            "--set",
            "evidence.x.status=[0.1, 0.2]",
        ],
    );
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr,
        "o.toml:2:10: error: `evidence.x.weight` = 1000000 moves its range [0.5, 1.5] to \
         [500000, 1500000], which must have hi <= 1e6 (the largest weight); give the point and \
         its range together: `evidence.x.weight = { value = 1000000, range = [lo, hi] }`\n  |\n\
         2 | weight = 1e6\n  |          ^^^\n\
         o.toml:5:15: error: `evidence.h.credibility`: item `h` gives hit_rate and \
         false_alarm_rate, so it has no credibility or credibility range to set\n  |\n\
         5 | credibility = 0.5\n  |               ^^^\n\
         o.toml:8:5: error: `evidence.x.likelihood.b` = 0.4 lies outside \
         `evidence.x.likelihood.b.range` [0.5, 0.6]; to move the point too, give both: \
         `evidence.x.likelihood.b = { value = v, range = [0.5, 0.6] }`\n  |\n\
         8 | b = [0.5, 0.6]\n  |     ^^^^^^^^^^\n\
         abduce: error: --set `evidence.x.weight_range=[2, 3]`: `evidence.x.weight` = 1 lies \
         outside `evidence.x.weight_range` [2, 3]; to move the point too, give both: \
         `evidence.x.weight = { value = v, range = [2, 3] }`\n\
         abduce: error: --set `evidence.h.credibility_range=[0.2, 0.4]`: \
         `evidence.h.credibility_range`: item `h` gives hit_rate and false_alarm_rate, so it \
         has no credibility or credibility range to set\n\
         abduce: error: --set `evidence.x.status=[0.1, 0.2]`: `evidence.x.status` has no range: \
         it takes a status: observed, absent, pending or retracted\n"
    );
}

#[test]
fn tune_refuses_bad_assignments_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    let ev = read(dir.path().join("evidence/p.toml"));
    assert_eq!(
        abduce(
            dir.path(),
            &[
                "tune",
                "p",
                "evidence.x.likelihood.b=0.3", // fine on its own
                "evidence.x.weight=1e6",
                "evidence.h.credibility=0.5",
                "evidence.x.status=[0.1, 0.2]",
                "evidence.x.weight_range=[2, 3]",
            ],
        )
        .fails(1),
        "abduce: error: tune `evidence.x.weight=1e6`: `evidence.x.weight` = 1000000 moves its \
         range [0.5, 1.5] to [500000, 1500000], which must have hi <= 1e6 (the largest weight); \
         give the point and its range together: `evidence.x.weight = { value = 1000000, range \
         = [lo, hi] }`\n\
         abduce: error: tune `evidence.h.credibility=0.5`: `evidence.h.credibility`: item `h` \
         gives hit_rate and false_alarm_rate, so it has no credibility or credibility range to \
         set\n\
         abduce: error: tune `evidence.x.status=[0.1, 0.2]`: `evidence.x.status` has no range: \
         it takes a status: observed, absent, pending or retracted\n\
         abduce: error: tune `evidence.x.weight_range=[2, 3]`: `evidence.x.weight` = 1 lies \
         outside `evidence.x.weight_range` [2, 3]; to move the point too, give both: \
         `evidence.x.weight = { value = v, range = [2, 3] }`\n"
    );
    assert_eq!(read(dir.path().join("evidence/p.toml")), ev);
}

#[test]
fn the_loader_and_the_what_ifs_refuse_a_value_with_the_same_words() {
    // weight = 2e6 in a file and as a what-if: the same rule, the same message but for the
    // name (the key in the file, the path in the what-if).
    let dir = tempfile::tempdir().unwrap();
    write_case(dir.path(), &Quantities::default());
    let out = abduce(
        dir.path(),
        &["score", "p", "--set", "evidence.y.weight=2e6"],
    );
    assert_eq!(
        out.stderr,
        "abduce: error: --set `evidence.y.weight=2e6`: `evidence.y.weight` = 2000000 is out of \
         range: it must be at least 0 and at most 1e6\n"
    );
    let file = dir.path().join("evidence/p.toml");
    let text = read(file.clone()).replace("weight_range = [0.5, 2.0]", "weight = 2e6");
    std::fs::write(&file, text).unwrap();
    let out = abduce(dir.path(), &["check", "p"]);
    assert!(
        out.stderr.contains(
            "error: `weight` = 2000000 is out of range: it must be at least 0 and at most 1e6\n"
        ),
        "{}",
        out.stderr
    );
}
