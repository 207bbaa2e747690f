//! Benchmarks of the sweeps on the synthetic case of issue #4 (8 hypotheses, 40 observed
//! items, every likelihood, credibility and weight with a range).
//!
//! `cargo bench --bench sweep` runs the criterion benchmarks: Monte Carlo on 1 and 2 threads
//! with every kernel copy this CPU supports side by side (portable, AVX2, AVX-512; the
//! portable copy is the baseline), and Sobol. With `SWEEP_SCENARIOS=N` set it instead runs
//! one Monte Carlo sweep of N scenarios on `SWEEP_THREADS` threads (default 2) with the copy
//! `ABDUCE_SIMD` allows (default: the best) and prints the rate, for timing and peak-memory
//! measurements with `/usr/bin/time -v` (see docs/performance.md).

use std::hint::black_box;
use std::time::{Duration, Instant};

use abduce::sweep::{monte_carlo, simd, sobol, synthetic};
use criterion::{Criterion, Throughput};

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .expect("a thread pool")
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn main() {
    // SWEEP_FAMILIES=F adds F overlapping families of 3 hypotheses (their cost per scenario).
    let families = env("SWEEP_FAMILIES").unwrap_or(0) as usize;
    let case = synthetic::case_with_families(8, 40, families, 0);
    if let Some(n) = env("SWEEP_SCENARIOS") {
        let threads = env("SWEEP_THREADS").unwrap_or(2) as usize;
        let t = Instant::now();
        let out = pool(threads)
            .install(|| monte_carlo::run(&case, n, 0, None, &|_| {}))
            .expect("the synthetic case runs");
        let secs = t.elapsed().as_secs_f64();
        if let monte_carlo::McOutput::Summary(s) = out {
            println!(
                "monte-carlo ({}, {families} families): {n} scenarios on {threads} thread(s) in {secs:.3} s = {:.0} scenarios/s (leader stability {:.4})",
                simd::level().name(),
                n as f64 / secs,
                s.leader_stability
            );
        }
        if let Some(rows) = env("SWEEP_SOBOL") {
            let t = Instant::now();
            let s = pool(threads)
                .install(|| sobol::run(&case, rows, 0, &|_| {}))
                .expect("the synthetic case runs");
            println!(
                "sobol: {rows} base rows, {} factors, on {threads} thread(s) in {:.3} s",
                s.factors.len(),
                t.elapsed().as_secs_f64()
            );
            let mut f = s.factors.clone();
            f.sort_by(|a, b| b.st.unwrap_or(0.0).total_cmp(&a.st.unwrap_or(0.0)));
            let top: Vec<String> = f
                .iter()
                .take(5)
                .map(|f| {
                    format!(
                        "{} ST {:.3} S1 {:.3}",
                        f.id,
                        f.st.unwrap_or(f64::NAN),
                        f.s1.unwrap_or(f64::NAN)
                    )
                })
                .collect();
            println!("largest ST: {}", top.join(", "));
        }
        return;
    }
    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let n = 1u64 << 18;
    let mut g = c.benchmark_group("monte-carlo-8x40");
    g.throughput(Throughput::Elements(n));
    let chosen = simd::level();
    for level in simd::Level::available() {
        for threads in [1, 2] {
            let p = pool(threads);
            g.bench_function(format!("{}-{threads}-threads", level.name()), |b| {
                simd::set_level(level);
                b.iter(|| p.install(|| black_box(monte_carlo::run(&case, n, 0, None, &|_| {}))))
            });
        }
    }
    simd::set_level(chosen);
    g.finish();
    let mut g = c.benchmark_group("sobol-8x40");
    for threads in [1, 2] {
        let p = pool(threads);
        g.bench_function(format!("4096-rows-{threads}-threads"), |b| {
            b.iter(|| p.install(|| black_box(sobol::run(&case, 4096, 0, &|_| {}))))
        });
    }
    g.finish();
    c.final_summary();
}
