//! The bodies of abduce's fuzz targets (docs/testing.md, "Fuzzing").
//!
//! Each body takes arbitrary bytes, feeds them to one reader of outside input and checks
//! what must hold for any input: no panic, an error that renders as text, and, when the
//! input is accepted, results that are sound (posteriors that sum to 1, incremental sweeps
//! equal to full rescoring, an imported case that loads again). cargo-fuzz runs them from
//! `fuzz_targets/`; `tests/fuzz.rs` runs them on stable Rust over the seed corpus
//! (`fuzz/corpus/<target>/`) and deterministic mutations of it.
//!
//! Several files in one input (a case, shard parts) are separated by NUL bytes.

use std::path::Path;
use std::sync::OnceLock;

use abduce::case::{Case, overrides};
use abduce::load::{Loaded, load_files};
use abduce::score::{bayes, timeline};
use abduce::sweep::{monte_carlo, tipping, tornado};
use abduce::workflow::{batch, import};

/// The parts of an input separated by NUL bytes, as text (invalid UTF-8 replaced).
fn parts(data: &[u8]) -> Vec<String> {
    data.split(|&b| b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

/// An error must say something.
fn rendered(e: &abduce::Error) {
    assert!(!e.to_string().trim().is_empty(), "an empty error message");
}

/// Loads a case from text files: `files` = (path, text), hypotheses file first.
fn load(files: &[(String, String)]) -> Result<Loaded, abduce::Error> {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    load_files(&refs, &files[0].0)
}

/// The case loader: the first part is `hypotheses/f.toml`, the others `evidence/f/NN.toml`.
pub fn case_loader(data: &[u8]) {
    let parts = parts(data);
    let mut files = vec![("hypotheses/f.toml".to_string(), parts[0].clone())];
    for (i, p) in parts[1..].iter().enumerate() {
        files.push((format!("evidence/f/{i:02}.toml"), p.clone()));
    }
    match load(&files) {
        Ok(loaded) => check_case(&loaded.case),
        Err(e) => rendered(&e),
    }
}

/// What holds for any valid case: posteriors in [0, 1] summing to 1; on small cases the
/// incremental tornado, leave-one-out and timeline give the leaders of full rescoring and
/// posteriors within 1e-6 (weights up to 1e6 make sums large, so rounding can reach far
/// below the 1e-12 of the property tests' moderate cases, never this far).
pub fn check_case(case: &Case) {
    let scores = match bayes::score(case) {
        Ok(s) => s,
        Err(e) => return rendered(&e),
    };
    let sum: f64 = scores.posteriors.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9, "posteriors sum to {sum}");
    assert!(scores.posteriors.iter().all(|p| (0.0..=1.0).contains(p)));
    if case.evidence.len() * case.hypotheses.len() > 400 {
        return;
    }
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6;
    match (tornado::run(case), tornado::run_full(case)) {
        (Ok(a), Ok(b)) => {
            for x in &b.bars {
                let y = a.bars.iter().find(|y| y.quantity == x.quantity).unwrap();
                assert_eq!(
                    (&y.leader_low, &y.leader_high),
                    (&x.leader_low, &x.leader_high)
                );
                assert!(close(y.y_low, x.y_low) && close(y.y_high, x.y_high));
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("tornado: {:?} / {:?}", a.err(), b.err()),
    }
    match (tipping::run(case), tipping::run_full(case)) {
        (Ok(a), Ok(b)) => {
            for (x, y) in a.items.iter().zip(&b.items) {
                assert_eq!(x.loo_leader, y.loo_leader);
                assert!(close(x.loo_posterior, y.loo_posterior));
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("tipping: {:?} / {:?}", a.err(), b.err()),
    }
    match (timeline::timeline(case), timeline::timeline_full(case)) {
        (Ok(a), Ok(b)) => {
            for ((_, p), (_, q)) in a.iter().zip(&b) {
                assert!(p.iter().zip(q).all(|(x, y)| close(*x, *y)));
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("timeline: {:?} / {:?}", a.err(), b.err()),
    }
}

/// The small case the what-if target applies its assignments to.
fn what_if_case() -> &'static Case {
    static CASE: OnceLock<Case> = OnceLock::new();
    CASE.get_or_init(|| {
        let hyp = "[case]\nevidence = []\n\n[[hypothesis]]\nid = \"etim\"\n\n[[hypothesis]]\nid = \"isk\"\nprior_range = [0.5, 2]\n\n[[hypothesis]]\nid = \"other\"\n\n[[group]]\nid = \"g\"\ncorrelation = 0.5\n\n[[evidence]]\nid = \"x\"\ngroup = \"g\"\ncredibility = 0.8\nweight_range = [0.5, 2]\nlikelihood = { etim = \"C\", isk = 0.3, other = \"NA\" }\n\n[[evidence]]\nid = \"shohin-drone-mine\"\ngroup = \"g\"\nlikelihood = { etim = 0.6, isk = 0.2, other = 0.5 }\n";
        load(&[("hypotheses/w.toml".into(), hyp.into())])
            .expect("the what-if case loads")
            .case
    })
}

/// The what-if parser: the input as an overlay file, and each line as a `--set`
/// assignment; what parses is applied to a small case, which must then score or give an
/// error.
pub fn whatif(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (list, problems) = overrides::overlay_assignments(&text, Path::new("o.toml"));
    for d in &problems {
        assert!(!d.message.trim().is_empty(), "an empty message");
    }
    let mut case = what_if_case().clone();
    if overrides::apply_assignments(&mut case, &list).is_ok() {
        check_case(&case);
    }
    let mut case = what_if_case().clone();
    for line in text.lines() {
        match overrides::parse_assignment(line) {
            Ok(a) => {
                let _ = overrides::apply_assignments(&mut case, std::slice::from_ref(&a));
            }
            Err(e) => rendered(&e),
        }
    }
    check_case(&case);
}

/// An imported case is written as files that load again.
fn reloads(imported: &import::Imported) {
    let files: Vec<(String, String)> = import::case_files(&imported.case, "fuzz")
        .into_iter()
        .map(|(p, t)| (p.to_string_lossy().replace('\\', "/"), t))
        .collect();
    match load(&files) {
        Ok(loaded) => check_case(&loaded.case),
        Err(e) => panic!("an imported case does not load:\n{e}"),
    }
}

/// The CSV importer.
pub fn csv_import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match import::from_csv(&text, "f", Path::new("f.csv")) {
        Ok(imported) => reloads(&imported),
        Err(e) => rendered(&e),
    }
}

/// The `.achz` importer (gzip, UTF-16 or UTF-8 XML).
pub fn achz_import(data: &[u8]) {
    match import::from_achz(data, "f", Path::new("f.achz")) {
        Ok(imported) => reloads(&imported),
        Err(e) => rendered(&e),
    }
}

/// `merge` of Monte Carlo shard parts (NUL-separated): a merged result serialises.
pub fn merge(data: &[u8]) {
    let parts: Vec<(String, String)> = parts(data)
        .into_iter()
        .enumerate()
        .map(|(i, t)| (format!("part-{i}.json"), t))
        .collect();
    match monte_carlo::merge(&parts) {
        Ok(summary) => {
            serde_json::to_string(&summary).expect("a merged result serialises");
        }
        Err(e) => rendered(&e),
    }
}

/// The batch plan parser.
pub fn batch_plan(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = batch::parse_plan(&text, Path::new("plans/p.toml")) {
        rendered(&e);
    }
}
