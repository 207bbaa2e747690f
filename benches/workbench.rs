//! The workbench's cost per edit (docs/workbench.md, docs/performance.md): one what-if
//! applied to the bundled case through `--set` and its full result computed — the score, the
//! Monte Carlo of 50,000 scenarios, the tornado, the tipping points with leave-one-out and
//! the indicators — as the server does for every change on the page.
//!
//! `cargo bench --bench workbench` runs, side by side: the score alone (the baseline: what
//! `abduce tune` recomputes), each sweep alone, every part one after the other, and the full
//! result of an edit as the server computes it. With `WORKBENCH_EDITS=N` it instead makes N
//! edits through a [`Session`] (alternating two values of a weight) and prints the mean and
//! the slowest server time per edit, for runs under `/usr/bin/time` (docs/performance.md).

use std::hint::black_box;
use std::path::Path;

use abduce::case::discover::CaseLocation;
use abduce::case::overrides;
use abduce::indicators;
use abduce::load;
use abduce::score::explain;
use abduce::sweep::{monte_carlo, tipping, tornado};
use abduce::workbench::{self, SAMPLES, Session};
use criterion::Criterion;

fn main() {
    let case = load::load(&CaseLocation::Bundled)
        .expect("the bundled case loads")
        .case;
    let sets = ["evidence.afintl-border-units.weight=0.8".to_string()];
    let edited = || {
        let mut c = case.clone();
        overrides::apply(&mut c, &[], &sets).expect("a valid what-if");
        c
    };
    if let Some(n) = std::env::var("WORKBENCH_EDITS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut s = Session::open(CaseLocation::Bundled, Path::new("."), SAMPLES, 0)
            .expect("the bundled case opens");
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let w = if i % 2 == 0 { "0.8" } else { "1.2" };
            s.edit(&[format!("evidence.afintl-border-units.weight={w}")])
                .expect("a valid edit");
            times.push(s.millis());
        }
        let mean = times.iter().sum::<f64>() / n as f64;
        let max = times.iter().copied().fold(0.0, f64::max);
        println!("{n} edits: server time per edit mean {mean:.1} ms, slowest {max:.1} ms");
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("workbench");
    g.sample_size(30);
    g.bench_function("edit: score only (baseline)", |b| {
        b.iter(|| black_box(explain::summarize(&edited()).expect("scores")))
    });
    g.bench_function("edit: monte carlo 50000 only", |b| {
        b.iter(|| black_box(monte_carlo::run(&edited(), SAMPLES, 0, None, &|_| {}).expect("runs")))
    });
    g.bench_function("edit: tornado only", |b| {
        b.iter(|| black_box(tornado::run(&edited()).expect("runs")))
    });
    g.bench_function("edit: tipping only", |b| {
        b.iter(|| black_box(tipping::run(&edited()).expect("runs")))
    });
    g.bench_function("edit: indicators only", |b| {
        b.iter(|| black_box(indicators::indicators(&edited()).expect("runs")))
    });
    g.bench_function("edit: every part one after the other", |b| {
        b.iter(|| {
            let c = edited();
            black_box((
                explain::summarize(&c).expect("scores"),
                monte_carlo::run(&c, SAMPLES, 0, None, &|_| {}).expect("runs"),
                tornado::run(&c).expect("runs"),
                tipping::run(&c).expect("runs"),
                indicators::indicators(&c).expect("runs"),
            ))
        })
    });
    g.bench_function("edit: full result (as served)", |b| {
        b.iter(|| black_box(workbench::evaluate(&edited(), SAMPLES, 0).expect("runs")))
    });
    g.finish();
    c.final_summary();
}
