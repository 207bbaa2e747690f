//! The workbench's cost per edit (docs/workbench.md, docs/performance.md): one what-if
//! applied to the bundled case through `--set` and its full result computed — the score, the
//! Monte Carlo of 50,000 scenarios, the tornado, the tipping points with leave-one-out and
//! the indicators — as the server does for every change on the page.
//!
//! `cargo bench --bench workbench` runs, side by side: the score alone (the baseline: what
//! `abduce tune` recomputes), the Monte Carlo alone, and the full result of an edit.

use std::hint::black_box;

use abduce::case::discover::CaseLocation;
use abduce::case::{load, overrides};
use abduce::score::explain;
use abduce::sweep::monte_carlo;
use abduce::workbench::{self, SAMPLES};
use criterion::Criterion;

fn main() {
    let case = load::load(&CaseLocation::Bundled)
        .expect("the bundled case loads")
        .case;
    let sets = ["evidence.sarchashma-arsenal.weight=0.8".to_string()];
    let edited = || {
        let mut c = case.clone();
        overrides::apply(&mut c, &[], &sets).expect("a valid what-if");
        c
    };
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("workbench");
    g.sample_size(30);
    g.bench_function("edit: score only (baseline)", |b| {
        b.iter(|| black_box(explain::summarize(&edited()).expect("scores")))
    });
    g.bench_function("edit: monte carlo 50000 only", |b| {
        b.iter(|| black_box(monte_carlo::run(&edited(), SAMPLES, 0, None, &|_| {}).expect("runs")))
    });
    g.bench_function("edit: full result", |b| {
        b.iter(|| black_box(workbench::evaluate(&edited(), SAMPLES, 0).expect("runs")))
    });
    g.finish();
    c.final_summary();
}
