//! The fuzz targets on stable Rust (docs/testing.md, "Fuzzing"): each target's body
//! (`fuzz/src/lib.rs`, shared with cargo-fuzz) runs over its seed corpus
//! (`fuzz/corpus/<target>/`) and over deterministic mutations of it, so any failure
//! reproduces from its case number. Inputs that once failed are kept in
//! `fuzz/regressions/<target>/` and run first.
//!
//! `FUZZ_CASES` mutations per target (default 400; CI runs the default) and `FUZZ_SEED`
//! (default 0) choose the campaign; a failing input is written to
//! `target/fuzz-failures/<target>-<case>` before the test fails.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod bodies;

use std::path::{Path, PathBuf};

use rand::{Rng, RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Tokens that matter to the readers: TOML, CSV, XML and JSON syntax, odd numbers.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    ";",
    "|",
    "\n",
    "\r\n",
    "\t",
    "#",
    "\0",
    "0",
    "1",
    "-1",
    "0.0",
    "1e309",
    "-0.0",
    "nan",
    "inf",
    "1e6",
    "1e-320",
    "18446744073709551615",
    "NA",
    "CC",
    "II",
    "high",
    "retracted",
    "absent",
    "2025-02-30",
    "é",
    "–",
    "\u{feff}",
    "[[evidence]]",
    "[[hypothesis]]",
    "[[group]]",
    "[[source]]",
    "id = \"x\"",
    "weight",
    "range",
    "likelihood",
    "credibility",
    "correlation",
    "prior",
    "<",
    ">",
    "</",
    "&amp;",
    "<VALUES>",
    "\"count\": 0",
    "\"samples\": 0",
    "\"shard\": [0, 0]",
    "priors",
    ".",
    "..",
];

fn corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter(|p| p.is_file())
        .map(|p| std::fs::read(p).expect("a corpus file"))
        .collect()
}

/// One to eight random edits of a seed: flip, insert, delete or duplicate bytes, insert a
/// token, or splice in a piece of another seed.
fn mutate(rng: &mut Xoshiro256PlusPlus, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.random_range(0..seeds.len())].clone();
    for _ in 0..rng.random_range(1..=8) {
        let at = if data.is_empty() {
            0
        } else {
            rng.random_range(0..=data.len())
        };
        match rng.random_range(0..6) {
            0 if at < data.len() => data[at] ^= 1 << rng.random_range(0..8),
            1 => data.insert(at, rng.next_u32() as u8),
            2 if at < data.len() => {
                let end = (at + rng.random_range(1..64)).min(data.len());
                data.drain(at..end);
            }
            3 if at < data.len() => {
                let end = (at + rng.random_range(1..64)).min(data.len());
                let piece = data[at..end].to_vec();
                data.splice(at..at, piece);
            }
            4 => {
                let t = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                data.splice(at..at, t.iter().copied());
            }
            _ => {
                let other = &seeds[rng.random_range(0..seeds.len())];
                if !other.is_empty() {
                    let a = rng.random_range(0..other.len());
                    let b = (a + rng.random_range(1..256)).min(other.len());
                    data.splice(at..at, other[a..b].iter().copied());
                }
            }
        }
    }
    data
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `body` on the regressions, the seeds and `FUZZ_CASES` mutations.
fn campaign(target: &str, body: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = corpus(&root.join("fuzz/corpus").join(target));
    assert!(!seeds.is_empty(), "no seed corpus for {target}");
    let regressions = corpus(&root.join("fuzz/regressions").join(target));
    let cases = env("FUZZ_CASES", 400);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(env("FUZZ_SEED", 0));
    let inputs = regressions
        .into_iter()
        .chain(seeds.iter().cloned())
        .map(Some)
        .chain((0..cases).map(|_| None));
    for (n, input) in inputs.enumerate() {
        let data = input.unwrap_or_else(|| mutate(&mut rng, &seeds));
        let run = std::panic::catch_unwind(|| body(&data));
        if run.is_err() {
            let dir = root.join("target/fuzz-failures");
            std::fs::create_dir_all(&dir).expect("a folder");
            let file = dir.join(format!("{target}-{n}"));
            std::fs::write(&file, &data).expect("the failing input");
            panic!("{target}: input {n} failed; it is in {}", file.display());
        }
    }
}

#[test]
fn fuzz_case_loader() {
    campaign("case_loader", bodies::case_loader);
}

#[test]
fn fuzz_whatif() {
    campaign("whatif", bodies::whatif);
}

#[test]
fn fuzz_csv_import() {
    campaign("csv_import", bodies::csv_import);
}

#[test]
fn fuzz_achz_import() {
    campaign("achz_import", bodies::achz_import);
}

#[test]
fn fuzz_merge() {
    campaign("merge", bodies::merge);
}

#[test]
fn fuzz_batch_plan() {
    campaign("batch_plan", bodies::batch_plan);
}
