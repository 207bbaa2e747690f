//! Families of hypotheses (`docs/format.md`, "Families") against hand sums, in `score` and in
//! Monte Carlo; provenance (`docs/format.md`, "Provenance") against SHA-256 computed by
//! `sha256sum`; determinism of both across threads and shards.

#[path = "fixtures/harness.rs"]
mod harness;
#[path = "fixtures/sweeps.rs"]
mod sweeps;

use abduce::case::{Case, Cell, Range};
use abduce::load::load_files;
use abduce::render::CaseDocument;
use abduce::score::explain;
use abduce::sweep::monte_carlo::{self, McOutput};
use abduce::sweep::synthetic;
use harness::Abduce;
use sweeps::{json, no_progress, pool, summary};

/// a, b, c with prior weights 1, 1, 2; one item with ℓ = (0.8, 0.4, 0.2), credibility 1.
/// Posteriors ∝ prior·ℓ = 0.8, 0.4, 0.4 (sum 1.6): p = 0.5, 0.25, 0.25.
/// Families: ab = 0.5 + 0.25 = 0.75 (likely: (.55, .80]); bc = 0.25 + 0.25 = 0.5 (roughly
/// even chance: [.45, .55]); ca = 0.25 + 0.5 = 0.75 (likely).
const HAND: &str = r#"[case]
title = "Hand"
evidence = []

[[hypothesis]]
id = "a"

[[hypothesis]]
id = "b"

[[hypothesis]]
id = "c"
prior = 2

[[evidence]]
id = "x"
credibility = 1
likelihood = { a = 0.8, b = 0.4, c = 0.2 }

[[family]]
id = "ab"
title = "A or B"
members = ["a", "b"]

[[family]]
id = "bc"
members = ["b", "c"]

[[family]]
id = "ca"
members = ["c", "a"]
"#;

fn hand() -> Case {
    load_files(&[("hypotheses/hand.toml", HAND)], "hypotheses/hand.toml")
        .unwrap()
        .case
}

#[test]
fn family_posteriors_are_the_hand_sums() {
    let case = hand();
    let s = explain::summarize(&case).unwrap();
    let got: Vec<(&str, &str, Vec<&str>, f64, &str)> = (s.families.iter())
        .map(|f| {
            let members = f.members.iter().map(String::as_str).collect();
            (
                f.id.as_str(),
                f.title.as_str(),
                members,
                f.posterior,
                f.estimative,
            )
        })
        .collect();
    let want = [
        ("ab", "A or B", vec!["a", "b"], 0.75, "likely"),
        ("bc", "bc", vec!["b", "c"], 0.5, "roughly even chance"),
        ("ca", "ca", vec!["c", "a"], 0.75, "likely"),
    ];
    assert_eq!(got.len(), 3);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.1, &g.2, g.4), (w.0, w.1, &w.2, w.4));
        assert!((g.3 - w.3).abs() < 1e-12, "{}: {} vs {}", g.0, g.3, w.3);
    }
    // The JSON keys of a family, in order.
    let v: serde_json::Value = serde_json::from_slice(&json(&s.with(&case))).unwrap();
    let keys: Vec<&str> = v["families"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "title", "members", "posterior", "estimative"]);
}

#[test]
fn families_change_no_score() {
    let with = hand();
    let mut without = with.clone();
    without.families.clear();
    let (a, b) = (
        explain::summarize(&with).unwrap(),
        explain::summarize(&without).unwrap(),
    );
    assert_eq!(a.hypotheses, b.hypotheses);
    assert_eq!(a.evidence, b.evidence);
    let (a, b) = (summary(&with, 5000, 1), summary(&without, 5000, 1));
    assert_eq!(a.hypotheses, b.hypotheses);
    assert!(b.families.is_empty());
}

/// Nothing varies: every scenario is the point case, so each family's mean and quantiles are
/// its point posterior exactly (the same sum in the same order), and the leader `a` is in
/// `ab` and `ca` in every scenario and never in `bc`.
#[test]
fn families_with_nothing_varying_are_exact() {
    let case = hand();
    let point = explain::summarize(&case).unwrap().families;
    let s = summary(&case, 10_000, 5);
    assert_eq!(s.families.len(), 3);
    for (f, p) in s.families.iter().zip(&point) {
        assert_eq!(f.id, p.id);
        let x = p.posterior;
        assert_eq!((f.mean, f.q05, f.q50, f.q95), (x, x, x, x), "{}", f.id);
    }
    let tops: Vec<f64> = s.families.iter().map(|f| f.p_top).collect();
    assert_eq!(tops, [1.0, 0.0, 1.0]);
}

/// a, b, c with equal priors; one item with ℓ_a logit-normal from [0.3, 0.7] (median 0.5),
/// ℓ_b = 0.5 and ℓ_c = 0.1 fixed. c never leads (0.1 < 0.5); a leads when ℓ_a > 0.5, else b.
/// So `ab` leads in every scenario (p_top = 1 exactly), `ca` exactly when a does and `bc`
/// exactly when b does, and a's share is 1/2 up to sampling (sd √(0.25/40,000) = 0.0025).
/// `ab`'s posterior is 1 − p_c, so its quantiles mirror c's (within two histogram bins).
#[test]
fn family_p_top_by_hand() {
    let mut case = hand();
    case.hypotheses[2].prior = 1.0;
    case.evidence[0].likelihood = vec![
        Cell::Value {
            value: 0.5,
            range: Some(Range { lo: 0.3, hi: 0.7 }),
        },
        Cell::Value {
            value: 0.5,
            range: None,
        },
        Cell::Value {
            value: 0.1,
            range: None,
        },
    ];
    let s = summary(&case, 40_000, 11);
    let hyp = |id: &str| s.hypotheses.iter().find(|h| h.id == id).unwrap();
    let fam = |id: &str| s.families.iter().find(|f| f.id == id).unwrap();
    assert_eq!(fam("ab").p_top, 1.0);
    assert_eq!(fam("ca").p_top, hyp("a").p_top);
    assert_eq!(fam("bc").p_top, hyp("b").p_top);
    assert_eq!(hyp("c").p_top, 0.0);
    assert!((hyp("a").p_top - 0.5).abs() < 0.01, "{}", hyp("a").p_top);
    let bin = 1.0 / 4096.0;
    assert!((fam("ab").mean - (hyp("a").mean + hyp("b").mean)).abs() < 1e-12);
    assert!((fam("ab").q05 - (1.0 - hyp("c").q95)).abs() < 2.0 * bin);
    assert!((fam("ab").q50 - (1.0 - hyp("c").q50)).abs() < 2.0 * bin);
    assert!((fam("ab").q95 - (1.0 - hyp("c").q05)).abs() < 2.0 * bin);
}

/// With families, the same bytes on 1 and 2 threads, and the shards merge into the
/// unsharded bytes (families, provenance and all).
#[test]
fn families_are_deterministic_across_threads_and_shards() {
    let case = synthetic::case_with_families(6, 12, 4, 3);
    let n = 3 * 4096 + 7;
    let one = pool(1).install(|| json(&summary(&case, n, 2)));
    let two = pool(2).install(|| json(&summary(&case, n, 2)));
    assert_eq!(one, two);
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(v["families"].as_array().unwrap().len(), 4);
    let parts: Vec<(String, String)> = (1..=3)
        .map(
            |k| match monte_carlo::run(&case, n, 2, Some((k, 3)), &no_progress).unwrap() {
                McOutput::Partial(p) => (format!("p{k}"), String::from_utf8(json(&p)).unwrap()),
                McOutput::Summary(_) => panic!("a shard gives a partial result"),
            },
        )
        .collect();
    assert_eq!(json(&monte_carlo::merge(&parts).unwrap()), one);
    // A part from a case with other families is another run.
    let mut other = case.clone();
    other.families.pop();
    let McOutput::Partial(p) = monte_carlo::run(&other, n, 2, Some((3, 3)), &no_progress).unwrap()
    else {
        panic!("a shard gives a partial result")
    };
    let mixed = [
        parts[0].clone(),
        parts[1].clone(),
        ("p3".into(), String::from_utf8(json(&p)).unwrap()),
    ];
    let err = monte_carlo::merge(&mixed).unwrap_err().to_string();
    assert!(err.contains("comes from another run"), "{err}");
}

/// A run of `abduce` in `dir`, without the `SOURCE_DATE_EPOCH` the tests may run under (a
/// report shows the time it was made unless a test sets it).
fn abduce_in(dir: &std::path::Path) -> Abduce {
    Abduce::new(dir).env_remove("SOURCE_DATE_EPOCH")
}

/// A case of two files, an overlay and a `--set`, built by hand:
///
/// ```text
/// printf '[case]\ntitle = "P"\n\n[[hypothesis]]\nid = "a"\n\n[[hypothesis]]\nid = "b"\n' > hypotheses/p.toml   # 69 bytes
/// printf '[[evidence]]\nid = "x"\nlikelihood = { a = 0.8, b = 0.2 }\n' > evidence/p.toml                        # 56 bytes
/// printf '[evidence.x]\nweight = 2\n' > view.toml
/// ```
///
/// The digest covers each file as its length (8 bytes, little-endian) then its bytes:
///
/// ```text
/// python3 -c "import struct,sys; h=open('hypotheses/p.toml','rb').read(); e=open('evidence/p.toml','rb').read();
///   sys.stdout.buffer.write(struct.pack('<Q',len(h))+h+struct.pack('<Q',len(e))+e)" | sha256sum
/// b5675b234da69535a5c0c0a26ceccf9f5e15ae978ffac893c1be6f14da956770
/// sha256sum view.toml
/// 5815a3ab726a7a43a31730aa798c4a6364d981d6f20ccff1442751bf450bd580
/// ```
const HYP_P: &str =
    "[case]\ntitle = \"P\"\n\n[[hypothesis]]\nid = \"a\"\n\n[[hypothesis]]\nid = \"b\"\n";
const EV_P: &str = "[[evidence]]\nid = \"x\"\nlikelihood = { a = 0.8, b = 0.2 }\n";
const VIEW: &str = "[evidence.x]\nweight = 2\n";
const PROVENANCE: &str = r#"  "provenance": {
    "abduce": "VERSION",
    "case_digest": "sha256:b5675b234da69535a5c0c0a26ceccf9f5e15ae978ffac893c1be6f14da956770",
    "variants": [
      {
        "overlay": "view.toml",
        "sha256": "5815a3ab726a7a43a31730aa798c4a6364d981d6f20ccff1442751bf450bd580"
      },
      {
        "set": "evidence.x.weight=0.5"
      }
    ]
  },
"#;

fn provenance_case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("hypotheses")).unwrap();
    std::fs::create_dir_all(dir.path().join("evidence")).unwrap();
    std::fs::write(dir.path().join("hypotheses/p.toml"), HYP_P).unwrap();
    std::fs::write(dir.path().join("evidence/p.toml"), EV_P).unwrap();
    std::fs::write(dir.path().join("view.toml"), VIEW).unwrap();
    dir
}

#[test]
fn provenance_digest_and_variants_by_hand() {
    assert_eq!((HYP_P.len(), EV_P.len()), (69, 56));
    let dir = provenance_case();
    let want = PROVENANCE.replace("VERSION", env!("CARGO_PKG_VERSION"));
    let what = ["--overlay", "view.toml", "--set", "evidence.x.weight=0.5"];
    for cmd in [
        &["score"][..],
        &["timeline"],
        &["indicators"],
        &["sweep", "tornado"],
        &["sweep", "tipping"],
        &["sweep", "monte-carlo", "--samples", "100"],
        &["sweep", "sobol", "--samples", "64"],
        &["report", "--samples", "100"],
    ] {
        let args = [cmd, &what, &["--format", "json", "--quiet"]].concat();
        let out = abduce_in(dir.path()).args(&args).run().ok();
        assert!(out.contains(&want), "{cmd:?}:\n{out}");
        // The provenance follows the command, before anything else.
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let keys: Vec<&str> = v
            .as_object()
            .unwrap()
            .keys()
            .take(4)
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["schema_version", "case", "command", "provenance"],
            "{cmd:?}"
        );
    }
    // The same case read from another folder by its path: the same digest (no path in it).
    let elsewhere = tempfile::tempdir().unwrap();
    let path = dir.path().join("hypotheses/p.toml");
    let overlay = dir.path().join("view.toml");
    let args = [
        "score",
        path.to_str().unwrap(),
        "--overlay",
        overlay.to_str().unwrap(),
        "--set",
        "evidence.x.weight=0.5",
        "--format",
        "json",
    ];
    assert!(
        abduce_in(elsewhere.path())
            .args(&args)
            .run()
            .ok()
            .contains(&want)
    );
}

/// The Markdown and HTML reports show the provenance (in the bottom line and in a footer)
/// with the time they were made: `SOURCE_DATE_EPOCH` = 86400 is 1970-01-02 00:00:00 UTC.
#[test]
fn report_footer_shows_provenance_and_time() {
    let dir = provenance_case();
    let env = [("SOURCE_DATE_EPOCH", "86400")];
    let args = [
        "report",
        "--samples",
        "100",
        "--set",
        "evidence.x.weight=0.5",
    ];
    let md = abduce_in(dir.path()).envs(&env).args(&args).run().ok();
    let footer = format!(
        "\n---\n\n*abduce {} · case `p` · 100 Monte Carlo scenarios, seed 0 · case digest \
         `sha256:b5675b234da69535a5c0c0a26ceccf9f5e15ae978ffac893c1be6f14da956770` · --set \
         `evidence.x.weight=0.5` · made 1970-01-02 00:00:00 UTC*\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(md.ends_with(&footer), "{md}");
    let html = abduce_in(dir.path())
        .envs(&env)
        .args(&[&args[..], &["--format", "html"]].concat())
        .run()
        .ok();
    assert!(
        html.contains(&format!(
            "<footer>abduce {} · case <code>p</code> · 100 Monte Carlo scenarios, seed 0 · case \
             digest <code>sha256:b5675b234da69535a5c0c0a26ceccf9f5e15ae978ffac893c1be6f14da956770\
             </code> · --set <code>evidence.x.weight=0.5</code> · made 1970-01-02 00:00:00 UTC\
             </footer>",
            env!("CARGO_PKG_VERSION")
        )),
        "{html}"
    );
    // Without SOURCE_DATE_EPOCH: the current time (this year or later, in the same form).
    let now = abduce_in(dir.path()).args(&args).run().ok();
    let made = now.rsplit(" · made ").next().unwrap();
    assert_eq!(made.get(19..24), Some(" UTC*"), "{made}");
    assert!(made[..4].parse::<u32>().unwrap() >= 2025, "{made}");
}

/// The bundled case (with its families): the same bytes for 1 and 2 threads, and two shards
/// merged give the unsharded bytes, provenance included.
#[test]
fn bundled_case_is_deterministic_across_threads_and_shards() {
    let dir = tempfile::tempdir().unwrap();
    let mc = ["sweep", "monte-carlo", "--samples", "9000", "--seed", "3"];
    let run = |extra: &[&str]| {
        abduce_in(dir.path())
            .args(&[&mc[..], extra].concat())
            .run()
            .ok()
    };
    let one = run(&["--threads", "1", "--format", "json"]);
    assert_eq!(one, run(&["--threads", "2", "--format", "json"]));
    assert!(one.contains("\"id\": \"local-armed-actors\""));
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let out = format!("part{k}.json");
        run(&["--shard", &shard, "--format", "json", "-o", &out]);
    }
    let merged = abduce_in(dir.path())
        .args(&["merge", "part2.json", "part1.json", "--format", "json"])
        .run()
        .ok();
    assert_eq!(merged, one);
    // CSV: the family rows follow the hypotheses.
    let csv = run(&["--format", "csv"]);
    let last: Vec<&str> = csv.lines().rev().take(3).collect();
    assert!(last[2].starts_with("local-armed-actors,"), "{csv}");
    assert!(last[0].starts_with("jihadist-groups,"), "{csv}");
}

/// `compare` on the bundled case: each view swept, families shown, the same bytes on 1 and
/// 2 threads, and the provenance lists the overlays in the order given, then the `--set`s.
#[test]
fn compare_is_deterministic_and_records_its_views() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("alice.toml"),
        "[evidence.sarchashma-clash]\nweight = 0.3\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bob.toml"),
        "[hypothesis.drug-revenge]\nprior = 1.5\n",
    )
    .unwrap();
    let args = [
        "compare",
        "--overlay",
        "alice.toml",
        "--overlay",
        "bob.toml",
        "--set",
        "group.tajik-state.correlation=0.5",
        "--samples",
        "6000",
        "--seed",
        "4",
        "--format",
        "json",
        "--quiet",
    ];
    let one = abduce_in(dir.path())
        .args(&[&args[..], &["--threads", "1"]].concat())
        .run()
        .ok();
    let two = abduce_in(dir.path())
        .args(&[&args[..], &["--threads", "2"]].concat())
        .run()
        .ok();
    assert_eq!(one, two);
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    let variants: Vec<String> = (v["provenance"]["variants"].as_array().unwrap().iter())
        .map(|x| {
            x.get("overlay")
                .or(x.get("set"))
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        variants,
        [
            "alice.toml",
            "bob.toml",
            "group.tajik-state.correlation=0.5"
        ]
    );
    let views: Vec<&str> = (v["views"].as_array().unwrap().iter())
        .map(|x| x["analyst"].as_str().unwrap())
        .collect();
    assert_eq!(views, ["alice", "bob"]);
    assert_eq!(v["samples"], 6000);
    // `abduce score --set group.tajik-state.correlation=0.5`: drug-revenge 31.2%, taliban-local 18.3%.
    assert_eq!(v["base"]["leader"], "drug-revenge");
    let fams: Vec<&str> = (v["families"].as_array().unwrap().iter())
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(fams, ["local-armed-actors", "taliban", "jihadist-groups"]);
    // P(rank 1) of a view's leader is its `p_top` in the hypothesis rows.
    let alice_leader = v["views"][0]["leader"].as_str().unwrap();
    let row = (v["hypotheses"].as_array().unwrap().iter())
        .find(|h| h["id"] == alice_leader)
        .unwrap();
    assert_eq!(row["p_top"]["alice"], v["views"][0]["p_top"]);
    // A family's `base_p_top` is the base case's own sweep (same N and seed): the family
    // `p_top` of `sweep monte-carlo` with the same `--set`.
    let mc = abduce_in(dir.path())
        .args(&[
            "sweep",
            "monte-carlo",
            "--set",
            "group.tajik-state.correlation=0.5",
            "--samples",
            "6000",
            "--seed",
            "4",
            "--format",
            "json",
            "--quiet",
        ])
        .run()
        .ok();
    let mc: serde_json::Value = serde_json::from_str(&mc).unwrap();
    for (f, m) in (v["families"].as_array().unwrap().iter()).zip(mc["families"].as_array().unwrap())
    {
        assert_eq!(f["id"], m["id"]);
        assert_eq!(f["base_p_top"], m["p_top"], "{}", f["id"]);
    }
}
