//! Sensitivity sweeps (docs/reference.md §5) against exact rescoring, numerical integration and
//! brute force; determinism across thread pools and shards.

#[path = "fixtures/harness.rs"]
mod harness;
#[path = "fixtures/sweeps.rs"]
mod sweeps;

use abduce::case::{Case, Cell, Evidence, Range};
use abduce::render::{Document, Format};
use abduce::score::bayes;
use abduce::sweep::monte_carlo::{self, McOutput};
use abduce::sweep::uncertainty::Z95;
use abduce::sweep::{sobol, synthetic, tipping, tornado};
use harness::Abduce;
use statrs::distribution::{ContinuousCDF, Normal};
use sweeps::{json, no_progress, pool, summary};

fn varying(value: f64, lo: f64, hi: f64) -> Cell {
    Cell::Value {
        value,
        range: Some(Range { lo, hi }),
    }
}

/// h1, h2 (priors 1); e1 = (0.8, 0.2), e2 = (0.3, 0.6), weights 1, c = 1.
/// s1 = ln 0.24, s2 = ln 0.12: h1 leads with p1 = 0.24 / 0.36 = 2/3.
fn two_items() -> Case {
    let mut c = Case::new("two", &[("h1", 1.0), ("h2", 1.0)]);
    c.evidence.push(Evidence::new("e1", &[0.8, 0.2]));
    c.evidence.push(Evidence::new("e2", &[0.3, 0.6]));
    c
}

#[test]
fn tipping_points_by_hand() {
    let t = tipping::run(&two_items()).unwrap();
    assert_eq!(t.leader, "h1");
    // e1: t* = 1 + (s1 − s2)/(ln 0.2 − ln 0.8) = 1 + ln 2 / ln 0.25 = 1 − 1/2 = 0.5.
    let e1 = &t.items[0];
    assert!((e1.lower.unwrap() - 0.5).abs() < 1e-15);
    assert_eq!(e1.lower_by.as_deref(), Some("h2"));
    assert_eq!(e1.upper, None);
    // Without e1 only e2 counts: p2 = 0.6 / 0.9 = 2/3, so h2 leads: critical.
    assert_eq!(e1.loo_leader, "h2");
    assert!((e1.loo_posterior - 2.0 / 3.0).abs() < 1e-15);
    assert!(e1.critical);
    // e2: t* = 1 + ln 2 / (ln 0.6 − ln 0.3) = 2.
    let e2 = &t.items[1];
    assert!((e2.upper.unwrap() - 2.0).abs() < 1e-14);
    assert_eq!(e2.upper_by.as_deref(), Some("h2"));
    assert_eq!(e2.lower, None);
    // Without e2: p1 = 0.8 / 1.0.
    assert_eq!(e2.loo_leader, "h1");
    assert!((e2.loo_posterior - 0.8).abs() < 1e-15);
    assert!(!e2.critical);
}

/// One item and equal priors: the item alone makes the lead, so at multiplier 0 the two
/// hypotheses tie: t* = 1 + (s₁ − s₂)/(ω(a₂ − a₁)) = 1 − 1 = 0 by hand. In floating point
/// s₁ − s₂ is not exactly ω(a₁ − a₂), and t* came out as ±1.1e-16 (printed as a multiplier
/// of 1.1e-16, or dropped when negative).
#[test]
fn a_tipping_point_at_zero_is_zero() {
    for (l1, l2) in [
        (0.8, 0.2),
        (0.7, 0.3),
        (0.9, 0.35),
        (0.61, 0.17),
        (0.55, 0.45),
    ] {
        let mut c = Case::new("one", &[("h1", 1.0), ("h2", 1.0)]);
        c.evidence.push(Evidence::new("e1", &[l1, l2]));
        let t = tipping::run(&c).unwrap();
        assert_eq!(t.items[0].lower, Some(0.0), "{l1} {l2}");
        assert_eq!(t.items[0].lower_by.as_deref(), Some("h2"));
    }
}

#[test]
fn tipping_points_agree_with_rescoring_at_the_crossing() {
    let case = synthetic::case(5, 12, 9);
    let t = tipping::run(&case).unwrap();
    let point = bayes::score(&case).unwrap();
    let leader = point.leader();
    let mut checked = 0;
    for (e, item) in t.items.iter().enumerate() {
        for (x, by) in [(item.lower, &item.lower_by), (item.upper, &item.upper_by)] {
            let (Some(x), Some(by)) = (x, by) else {
                continue;
            };
            if x == 0.0 {
                continue;
            }
            let k = case.hypothesis_index(by).unwrap();
            let at = |f: f64| {
                let mut c = case.clone();
                c.evidence[e].weight *= x * f;
                bayes::score(&c).unwrap()
            };
            // At t*, k and the leader are level; just beyond it (away from 1), k leads
            // or at least the leader has lost first place; just before it, no change.
            let s = at(1.0);
            assert!(
                (s.log_scores[k] - s.log_scores[leader]).abs() < 1e-9,
                "item {e}: level at t* = {x}"
            );
            let away = if x > 1.0 { 1.0 + 1e-6 } else { 1.0 - 1e-6 };
            let toward = if x > 1.0 { 1.0 - 1e-6 } else { 1.0 + 1e-6 };
            assert_ne!(at(away).leader(), leader, "item {e} beyond t* = {x}");
            assert_eq!(at(toward).leader(), leader, "item {e} before t* = {x}");
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "the synthetic case has tipping points to check"
    );
}

#[test]
fn leave_one_out_agrees_with_rescoring() {
    let case = synthetic::case(4, 10, 2);
    let t = tipping::run(&case).unwrap();
    let leader = bayes::score(&case).unwrap().leader();
    for (e, item) in t.items.iter().enumerate() {
        let mut c = case.clone();
        c.evidence[e].status = abduce::case::Status::Retracted;
        let s = bayes::score(&c).unwrap();
        assert_eq!(item.loo_leader, c.hypotheses[s.leader()].id);
        // Leave-one-out rescores from running sums: equal up to rounding (docs/decisions.md,
        // "Exact fast sweeps").
        assert!((item.loo_posterior - s.posteriors[s.leader()]).abs() < 1e-12);
        assert_eq!(item.critical, s.leader() != leader);
    }
}

#[test]
fn tornado_by_hand() {
    // One item: ℓ1 ∈ [0.5, 0.9] (point 0.7), ℓ2 = 0.5; p1 = ℓ1 / (ℓ1 + 0.5).
    let mut c = Case::new("t", &[("h1", 1.0), ("h2", 1.0)]);
    let mut e = Evidence::new("e", &[0.7, 0.5]);
    e.likelihood[0] = varying(0.7, 0.5, 0.9);
    c.evidence.push(e);
    let t = tornado::run(&c).unwrap();
    assert_eq!(t.output, "posterior:h1");
    assert!((t.y_point - 0.7 / 1.2).abs() < 1e-15);
    assert_eq!(t.bars.len(), 1);
    let b = &t.bars[0];
    assert_eq!(b.quantity, "evidence.e.likelihood.h1");
    assert_eq!((b.low_value, b.high_value), (0.5, 0.9));
    assert!((b.y_low - 0.5).abs() < 1e-15); // 0.5 / 1.0
    assert!((b.y_high - 0.9 / 1.4).abs() < 1e-15);
    assert!((b.swing - (0.9 / 1.4 - 0.5)).abs() < 1e-15);
    // At the low end the two tie; ties keep declaration order, so h1 still leads.
    assert_eq!(
        (b.leader_low.as_str(), b.leader_high.as_str()),
        ("h1", "h1")
    );
}

#[test]
fn tornado_sorts_by_swing_with_canonical_ties() {
    let case = synthetic::case(3, 5, 4);
    let t = tornado::run(&case).unwrap();
    // 5 items × (weight + credibility + 3 cells).
    assert_eq!(t.bars.len(), 25);
    for w in t.bars.windows(2) {
        assert!(w[0].swing >= w[1].swing);
    }
}

#[test]
fn no_ranges_gives_the_point_posterior_in_every_scenario() {
    let case = two_items();
    let s = summary(&case, 10_000, 3);
    // p1 = 2/3 exactly as `score` computes it, in every scenario.
    let point = bayes::score(&case).unwrap().posteriors;
    assert_eq!(s.point_leader, "h1");
    assert_eq!(s.leader_stability, 1.0);
    for h in &s.hypotheses {
        let p = point[case.hypothesis_index(&h.id).unwrap()];
        assert_eq!((h.mean, h.q05, h.q50, h.q95), (p, p, p, p));
    }
    assert_eq!(s.hypotheses[0].rank_probs, [1.0, 0.0]);
    assert_eq!(s.hypotheses[1].rank_probs, [0.0, 1.0]);
}

/// h1, h2; one item with ℓ1 logit-normal from [0.2, 0.8] (μ = 0, σ = ln 4 / z) and ℓ2 = 0.5:
/// p1 = ℓ1 / (ℓ1 + 0.5).
fn one_varying_cell() -> (Case, impl Fn(f64) -> f64) {
    let mut c = Case::new("mc", &[("h1", 1.0), ("h2", 1.0)]);
    let mut e = Evidence::new("e", &[0.5, 0.5]);
    e.likelihood[0] = varying(0.5, 0.2, 0.8);
    c.evidence.push(e);
    let sigma = 4f64.ln() / Z95;
    let p1 = move |z: f64| {
        let l = 1.0 / (1.0 + (-sigma * z).exp());
        l / (l + 0.5)
    };
    (c, p1)
}

#[test]
fn monte_carlo_converges_to_the_integral() {
    let (case, p1) = one_varying_cell();
    // E[p1] = ∫ φ(z) p1(z) dz by the trapezoid rule on [−12, 12], step 1e-3.
    let h = 1e-3;
    let mut exact = 0.0;
    for i in 0..=24_000 {
        let z = -12.0 + i as f64 * h;
        let w = if i == 0 || i == 24_000 { 0.5 } else { 1.0 };
        exact += w * h * (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * p1(z);
    }
    let s = summary(&case, 400_000, 5);
    let h1 = s.hypotheses.iter().find(|h| h.id == "h1").unwrap();
    // sd(p1) ≈ 0.1, so the standard error of the mean is ≈ 0.00016.
    assert!((h1.mean - exact).abs() < 0.001, "{} vs {exact}", h1.mean);
    // p1 increases with z, so its q-quantile is p1(Φ⁻¹(q)).
    let normal = Normal::new(0.0, 1.0).unwrap();
    for (q, got) in [(0.05, h1.q05), (0.5, h1.q50), (0.95, h1.q95)] {
        let want = p1(normal.inverse_cdf(q));
        assert!((got - want).abs() < 0.002, "q{q}: {got} vs {want}");
    }
    // P(h1 first) = P(ℓ1 ≥ 0.5) = P(z ≥ 0) = 1/2 (ties at exactly 0.5 have probability 0).
    assert!((h1.p_top - 0.5).abs() < 0.005);
    let h2 = s.hypotheses.iter().find(|h| h.id == "h2").unwrap();
    assert!((h1.mean + h2.mean - 1.0).abs() < 1e-12);
}

/// A point leader that the ranges do not favour: ℓ1 = 0.55 with the range [0.2, 0.55] (the
/// point at the top of its range), ℓ2 = 0.5 fixed. At the point h1 leads (0.55 > 0.5), but h1
/// ranks first only when logit ℓ1 > 0, where logit ℓ1 ~ Normal(μ, σ) with
/// μ = (ln(0.2/0.8) + ln(0.55/0.45))/2 and σ = (ln(0.55/0.45) − ln(0.2/0.8))/(2z):
/// P = Φ(μ/σ) = Φ(z·(ln(11/9) − ln 4)/(ln(11/9) + ln 4)) = Φ(−1.22887…) = 0.10956…,
/// so h2 ranks first in about 89% of the scenarios, and the Markdown says so.
#[test]
fn monte_carlo_says_when_another_hypothesis_ranks_first_more_often() {
    let mut c = Case::new("mc", &[("h1", 1.0), ("h2", 1.0)]);
    let mut e = Evidence::new("e", &[0.55, 0.5]);
    e.likelihood[0] = varying(0.55, 0.2, 0.55);
    c.evidence.push(e);
    let s = summary(&c, 40_000, 1);
    let (l11, l4) = ((11.0f64 / 9.0).ln(), 4f64.ln());
    let want = Normal::new(0.0, 1.0)
        .unwrap()
        .cdf(Z95 * (l11 - l4) / (l11 + l4));
    assert!((want - 0.10956).abs() < 1e-5);
    // Standard error √(0.11·0.89/40000) ≈ 0.0016.
    assert_eq!(s.point_leader, "h1");
    assert!(
        (s.leader_stability - want).abs() < 0.008,
        "{}",
        s.leader_stability
    );
    let h2 = s.first_more_often().unwrap();
    assert_eq!(h2.id, "h2");
    assert_eq!(h2.p_top, 1.0 - s.leader_stability);
    let md = s.markdown();
    let line = md.lines().nth(2).unwrap();
    assert_eq!(
        line,
        format!(
            "40,000 scenarios, seed 1. Point leader `h1` stays first in {:.1}% of scenarios. \
             `h2` ranks first more often, in {:.1}% of scenarios: the point values favour `h1` \
             more than the stated ranges do.",
            100.0 * s.leader_stability,
            100.0 * h2.p_top
        )
    );
    // A leader that the ranges favour too gets no such sentence.
    let (case, _) = one_varying_cell();
    let s = summary(&case, 4096, 1);
    assert!(s.first_more_often().is_none());
    assert!(!s.markdown().contains("more often"));
}

#[test]
fn sobol_agrees_with_brute_force_when_only_weights_vary() {
    // h1, h2; e1 = (0.8, 0.4) with w1 ∈ [0.5, 2]; e2 = (0.35, 0.6) with w2 ∈ [0.25, 4].
    // Leader h1 (0.8 · 0.35 = 0.28 > 0.4 · 0.6 = 0.24); Y = p1 = logistic(w1 ln 2 + w2 ln(0.35/0.6)).
    let mut c = Case::new("sob", &[("h1", 1.0), ("h2", 1.0)]);
    let mut e1 = Evidence::new("e1", &[0.8, 0.4]);
    e1.weight_range = Some(Range { lo: 0.5, hi: 2.0 });
    let mut e2 = Evidence::new("e2", &[0.35, 0.6]);
    e2.weight_range = Some(Range { lo: 0.25, hi: 4.0 });
    c.evidence = vec![e1, e2];
    let (a1, a2) = (2f64.ln(), (0.35f64 / 0.6).ln());
    let (s1, s2) = (4f64.ln() / (2.0 * Z95), 16f64.ln() / (2.0 * Z95));
    let (m1, m2) = (0.0, 0.0); // ln 0.5 + ln 2 = 0, ln 0.25 + ln 4 = 0
    let y = |z1: f64, z2: f64| {
        let x = (m1 + s1 * z1).exp() * a1 + (m2 + s2 * z2).exp() * a2;
        1.0 / (1.0 + (-x).exp())
    };
    // Brute force on a G × G grid of normal quantiles (midpoints in probability).
    let g = 1000;
    let normal = Normal::new(0.0, 1.0).unwrap();
    let z: Vec<f64> = (0..g)
        .map(|i| normal.inverse_cdf((i as f64 + 0.5) / g as f64))
        .collect();
    let grid: Vec<Vec<f64>> = z
        .iter()
        .map(|&a| z.iter().map(|&b| y(a, b)).collect())
        .collect();
    let mean = grid.iter().flatten().sum::<f64>() / (g * g) as f64;
    let var = grid
        .iter()
        .flatten()
        .map(|v| (v - mean).powi(2))
        .sum::<f64>()
        / (g * g) as f64;
    let row_means: Vec<f64> = grid
        .iter()
        .map(|r| r.iter().sum::<f64>() / g as f64)
        .collect();
    let col_means: Vec<f64> = (0..g)
        .map(|j| grid.iter().map(|r| r[j]).sum::<f64>() / g as f64)
        .collect();
    let var_of = |m: &[f64]| m.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / g as f64;
    let (bs1, bs2) = (var_of(&row_means) / var, var_of(&col_means) / var);
    // ST_i = 1 − Var(E[Y | X_~i]) / Var(Y) with two factors: ST1 = 1 − S1(2).
    let (bt1, bt2) = (1.0 - bs2, 1.0 - bs1);
    // Saltelli's S1 estimator is noisy here (heavy-tailed weights): its standard deviation
    // at N = 131,072 is about 0.007 (measured over seeds), so 0.02 is about 3 sd.
    let est = sobol::run_with(&c, 131_072, 0, 100, &no_progress).unwrap();
    assert_eq!(est.output, "posterior:h1");
    let ids: Vec<&str> = est.factors.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2"]);
    let f = &est.factors;
    for (got, want) in [
        (f[0].s1, bs1),
        (f[1].s1, bs2),
        (f[0].st, bt1),
        (f[1].st, bt2),
    ] {
        assert!((got.unwrap() - want).abs() < 0.02, "{got:?} vs {want}");
    }
}

#[test]
fn sobol_with_nothing_varying_gives_nulls_and_a_warning() {
    let s = sobol::run(&two_items(), 100, 0, &no_progress).unwrap();
    assert!(s.factors.is_empty());
    assert!(!s.warnings().is_empty());
}

/// The two warnings of a Sobol run, word for word, in the Markdown (the command prints the
/// same sentences on stderr as `abduce: warning: …`).
#[test]
fn sobol_warnings_word_for_word() {
    // No range: no factor.
    let s = sobol::run(&two_items(), 100, 0, &no_progress).unwrap();
    let md = String::from_utf8(s.render(Format::Md).unwrap()).unwrap();
    assert!(md.contains(
        "> Warning: no quantity of this case has a range: there is nothing to analyse\n\n"
    ));
    // A weight range on an item with equal likelihoods: the posterior of h1 stays 1/2.
    let mut c = Case::new("flat", &[("h1", 1.0), ("h2", 1.0)]);
    let mut e = Evidence::new("e", &[0.5, 0.5]);
    e.weight_range = Some(Range { lo: 0.5, hi: 1.0 });
    c.evidence.push(e);
    let s = sobol::run(&c, 100, 0, &no_progress).unwrap();
    assert_eq!(s.factors.len(), 1);
    assert_eq!(s.factors[0].s1, None);
    let md = String::from_utf8(s.render(Format::Md).unwrap()).unwrap();
    assert!(
        md.contains(
            "> Warning: the posterior of `h1` does not vary over the scenarios (Var(Y) = 0): \
             Sobol indices are undefined\n\n"
        ),
        "{md}"
    );
}

#[test]
fn identical_bytes_for_one_and_two_threads() {
    let case = synthetic::case(8, 40, 0);
    let run = |threads| {
        pool(threads).install(|| {
            let mc = json(&summary(&case, 20_000, 42));
            let sb = json(&sobol::run(&case, 300, 42, &no_progress).unwrap());
            (mc, sb)
        })
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.0, b.0);
    assert_eq!(a.1, b.1);
}

#[test]
fn identical_bytes_on_every_instruction_set() {
    // `ABDUCE_SIMD` caps the kernel copy (portable, AVX2, AVX-512); whichever copies this CPU
    // runs, Monte Carlo and Sobol on the bundled case must give the same bytes.
    let run = |simd: &str, args: &[&str]| {
        let args = [args, &["--format", "json", "--quiet"]].concat();
        Abduce::bundled()
            .env("ABDUCE_SIMD", simd)
            .args(&args)
            .run()
            .ok()
    };
    for args in [
        &["sweep", "monte-carlo", "--samples", "10000", "--seed", "5"][..],
        &["sweep", "sobol", "--samples", "600", "--seed", "5"][..],
    ] {
        let portable = run("portable", args);
        // An unknown name is ignored (with a warning): the best copy runs.
        for simd in ["avx2", "avx512", "bogus"] {
            assert!(
                run(simd, args) == portable,
                "{simd}: {args:?} differs from portable"
            );
        }
    }
}

#[test]
fn unknown_simd_name_is_a_warning() {
    let run = Abduce::bundled()
        .env("ABDUCE_SIMD", "sse9")
        .args(&["sweep", "tornado", "--quiet"])
        .run();
    run.assert_ok();
    assert_eq!(
        run.stderr,
        "abduce: warning: ABDUCE_SIMD=sse9 names no instruction set (portable, avx2 or avx512); ignored\n"
    );
}

#[test]
fn shards_merge_into_the_unsharded_bytes() {
    let case = synthetic::case(4, 6, 1);
    let n = 3 * 4096 + 100; // 4 chunks: shards get [0,1), [1,2), [2,4)
    let whole = json(&summary(&case, n, 9));
    let part_of =
        |case: &Case, seed, k| match monte_carlo::run(case, n, seed, Some((k, 3)), &no_progress)
            .unwrap()
        {
            McOutput::Partial(p) => (format!("p{k}.json"), String::from_utf8(json(&p)).unwrap()),
            McOutput::Summary(_) => panic!("a shard gives a partial result"),
        };
    let part = |k| part_of(&case, 9, k);
    let parts = [part(3), part(1), part(2)];
    assert_eq!(json(&monte_carlo::merge(&parts).unwrap()), whole);
    let err = |parts: &[(String, String)]| monte_carlo::merge(parts).unwrap_err().to_string();
    // A missing shard, a shard given twice: refused, saying which chunks and which parts.
    assert_eq!(
        err(&parts[..2]),
        "abduce: error: the parts leave chunks 1..2 uncovered (a shard is missing)\n"
    );
    let twice = [part(1), part(2), part(2), part(3)];
    assert_eq!(
        err(&twice),
        "abduce: error: p2.json and p2.json overlap on chunks 1..2 (a shard is given twice)\n"
    );
    // Parts of other runs, each named with what differs from the first part.
    let mut other_case = case.clone();
    other_case.evidence[0].weight *= 2.0;
    let mut mixed = vec![part(1), part_of(&case, 10, 2), part_of(&other_case, 9, 3)];
    mixed[1].0 = "seed10.json".into();
    mixed[2].0 = "edited.json".into();
    assert_eq!(
        err(&mixed),
        "seed10.json: error: comes from another run than p1.json: --seed 10 against 9\n\
         edited.json: error: comes from another run than p1.json: the case or its overrides \
         (--set, --overlay) differ\n"
    );
    // Not parts at all: every file named with its problem, all at once.
    let finished = String::from_utf8(json(&summary(&case, n, 9))).unwrap();
    let v2 = parts[1]
        .1
        .replace("\"schema_version\": 1", "\"schema_version\": 2");
    let bad = [
        ("a.json".to_string(), "{".to_string()),
        ("b.json".to_string(), finished),
        ("c.json".to_string(), v2),
        (
            "d.json".to_string(),
            parts[2]
                .1
                .replace("\"point_order\": [", "\"point_order\": [0, "),
        ),
    ];
    // A part changed after it was written: one histogram count moved to the next bin.
    let v: serde_json::Value = serde_json::from_str(&parts[0].1).unwrap();
    let [bin, count] = [0, 1].map(|i| v["accumulator"]["hist"][0][0][i].as_u64().unwrap());
    let moved = parts[0].1.replacen(
        &format!("[\n          {bin},\n          {count}\n        ]"),
        &format!("[\n          {},\n          {count}\n        ]", bin + 1),
        1,
    );
    assert_ne!(moved, parts[0].1);
    assert_eq!(
        err(&[
            ("moved.json".to_string(), moved),
            parts[1].clone(),
            parts[2].clone()
        ]),
        "moved.json: error: has been changed since it was written (its checksum does not \
         match)\n"
    );
    let text = err(&bad);
    for needle in [
        "a.json: error: not a JSON document",
        "b.json: error: a finished Monte Carlo result, not a part",
        "c.json: error: schema_version 2 is not 1",
        "d.json: error: the point ranking is malformed",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn monte_carlo_keys_and_order() {
    let case = synthetic::case(3, 4, 2);
    let v: serde_json::Value = serde_json::from_slice(&json(&summary(&case, 5000, 1))).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "case",
            "command",
            "provenance",
            "samples",
            "seed",
            "point_leader",
            "leader_stability",
            "hypotheses",
            "families"
        ]
    );
    assert_eq!(v["command"], "monte-carlo");
    let point = bayes::score(&case).unwrap();
    let ids: Vec<&str> = v["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = point
        .order
        .iter()
        .map(|&k| case.hypotheses[k].id.as_str())
        .collect();
    assert_eq!(ids, want);
    for h in v["hypotheses"].as_array().unwrap() {
        let probs: f64 = h["rank_probs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .sum();
        assert!((probs - 1.0).abs() < 1e-12);
        assert!(h["q05"].as_f64() <= h["q50"].as_f64() && h["q50"].as_f64() <= h["q95"].as_f64());
    }
}

#[test]
fn bad_arguments_are_errors() {
    let case = two_items();
    assert!(monte_carlo::run(&case, 0, 0, None, &no_progress).is_err());
    assert!(monte_carlo::run(&case, 10, 0, Some((4, 3)), &no_progress).is_err());
    assert!(sobol::run(&case, 0, 0, &no_progress).is_err());
    assert!(monte_carlo::merge(&[("p".to_string(), "{}".to_string())]).is_err());
    assert_eq!(monte_carlo::merge(&[]).unwrap_err().exit_code(), 2);
}

#[test]
fn merge_command_writes_the_unsharded_bytes() {
    let case = synthetic::case(3, 5, 6);
    let n = 2 * 4096 + 1;
    let whole = json(&summary(&case, n, 4));
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for k in 1..=2 {
        let McOutput::Partial(p) =
            monte_carlo::run(&case, n, 4, Some((k, 2)), &no_progress).unwrap()
        else {
            panic!("a shard gives a partial result")
        };
        let path = dir.path().join(format!("part-{k}.json"));
        std::fs::write(&path, json(&p)).unwrap();
        paths.push(path);
    }
    let paths: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    let args = [&["merge"][..], &paths, &["--format", "json"]].concat();
    assert_eq!(Abduce::bundled().args(&args).run().ok().as_bytes(), whole);
    // One part only: a gap, exit status 1 with a message.
    let stderr = Abduce::bundled().args(&["merge", paths[0]]).run().fails(1);
    assert!(stderr.contains("uncovered"), "{stderr}");
}

#[test]
fn tornado_renders_markdown_and_csv() {
    let mut c = Case::new("t", &[("h1", 1.0), ("h2", 1.0)]);
    let mut e = Evidence::new("e", &[0.7, 0.5]);
    e.likelihood[0] = varying(0.7, 0.5, 0.9);
    c.evidence.push(e);
    let t = tornado::run(&c).unwrap();
    let md = String::from_utf8(t.render(Format::Md).unwrap()).unwrap();
    let csv = String::from_utf8(t.render(Format::Csv).unwrap()).unwrap();
    // y_point = 0.7 / 1.2 = 0.5833… (58.3%), y_high = 0.9 / 1.4 = 0.642857… (64.3%), swing =
    // y_high − 0.5 = 0.142857… (14.3 points).
    assert_eq!(
        md,
        "# Tornado: t\n\nOutput `posterior:h1` = 58.3% at the point values.\n\n\
         | quantity | low | high | posterior at low | posterior at high | swing (points) | leader at low | leader at high |\n\
         |---|---:|---:|---:|---:|---:|---|---|\n\
         | `evidence.e.likelihood.h1` | 0.5 | 0.9 | 50.0% | 64.3% | 14.3 | h1 | h1 |\n"
    );
    assert_eq!(
        csv,
        "quantity,low_value,high_value,y_low,y_high,swing,leader_low,leader_high\n\
         evidence.e.likelihood.h1,0.5,0.9,0.5,0.6428571428571428,0.1428571428571428,h1,h1\n"
    );
}

/// Part `k` of `n` of a Sobol run of `rows` base rows (100 resamples), named `p{k}.json`.
fn sobol_part(case: &Case, rows: u64, seed: u64, k: u64, n: u64) -> (String, String) {
    match sobol::run_sharded(case, rows, seed, 100, Some((k, n)), &no_progress).unwrap() {
        sobol::SobolOutput::Partial(p) => {
            (format!("p{k}.json"), String::from_utf8(json(&p)).unwrap())
        }
        sobol::SobolOutput::Summary(_) => panic!("a shard gives a partial result"),
    }
}

#[test]
fn sobol_shards_merge_into_the_unsharded_bytes() {
    let case = synthetic::case(4, 6, 1);
    let rows = 5 * 256 + 10; // 6 chunks of 256 base rows, the last one of 10
    let whole = json(&sobol::run_with(&case, rows, 3, 100, &no_progress).unwrap());
    // 9 shards: more shards than chunks, so some parts are empty.
    for n in [1, 2, 4, 6, 9] {
        let mut parts: Vec<_> = (1..=n).map(|k| sobol_part(&case, rows, 3, k, n)).collect();
        parts.reverse();
        let merged = sobol::merge(&parts).unwrap();
        assert_eq!(json(&merged), whole, "{n} shards");
    }
    // Markdown and CSV come from the same summary.
    let parts: Vec<_> = (1..=2).map(|k| sobol_part(&case, rows, 3, k, 2)).collect();
    let merged = sobol::merge(&parts).unwrap();
    let direct = sobol::run_with(&case, rows, 3, 100, &no_progress).unwrap();
    for f in [Format::Md, Format::Csv] {
        assert_eq!(merged.render(f).unwrap(), direct.render(f).unwrap());
    }
}

#[test]
fn tampered_foreign_overlapping_and_missing_sobol_parts_are_refused() {
    let case = synthetic::case(4, 6, 1);
    let rows = 5 * 256 + 10;
    let part = |k| sobol_part(&case, rows, 3, k, 3); // chunks 0..2, 2..4, 4..6
    let err = |parts: &[(String, String)]| sobol::merge(parts).unwrap_err().to_string();
    let mut other_case = case.clone();
    other_case.evidence[0].weight *= 2.0;
    let mut foreign = sobol_part(&case, rows, 4, 2, 3);
    foreign.0 = "seed4.json".into();
    let mut edited = sobol_part(&other_case, rows, 3, 3, 3);
    edited.0 = "edited.json".into();
    // One fixed-point sum changed by one unit.
    let (_, text) = part(2);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sum = v["accumulator"]["blocks"][1][0]
        .as_str()
        .unwrap()
        .to_string();
    let bumped = (sum.parse::<i128>().unwrap() + 1).to_string();
    let tampered = (
        "tampered.json".to_string(),
        text.replacen(&format!("\"{sum}\""), &format!("\"{bumped}\""), 1),
    );
    assert_ne!(tampered.1, text);
    let finished = (
        "whole.json".to_string(),
        String::from_utf8(json(
            &sobol::run_with(&case, rows, 3, 100, &no_progress).unwrap(),
        ))
        .unwrap(),
    );
    assert_eq!(
        err(&[part(1), foreign, edited, tampered, finished]),
        "tampered.json: error: has been changed since it was written (its checksum does not \
         match)\n\
         whole.json: error: a finished Sobol result, not a part: write parts with `abduce sweep \
         sobol --shard K/N`\n\
         seed4.json: error: comes from another run than p1.json: --seed 4 against 3\n\
         edited.json: error: comes from another run than p1.json: the case or its overrides \
         (--set, --overlay) differ\n"
    );
    assert_eq!(
        err(&[part(1), part(2), part(2)]),
        "abduce: error: p2.json and p2.json overlap on chunks 2..4 (a shard is given twice)\n\
         abduce: error: the parts leave chunks 4..6 uncovered (a shard is missing)\n"
    );
}

#[test]
fn shards_print_plain_progress_lines_off_a_terminal() {
    // ABDUCE_PROGRESS_SECONDS=0: a line at every step. The bundled case has F factors;
    // shard 2/2 of 300 base rows holds chunk 1 (rows 256..300, 44 rows): 44·(F + 2) scenarios.
    let sobol = ["sweep", "sobol", "--samples", "300", "--shard", "2/2"];
    let run = Abduce::bundled()
        .env("ABDUCE_PROGRESS_SECONDS", "0")
        .args(&sobol)
        .args(&["-o", "p.json"])
        .run();
    run.assert_ok();
    let err = run.stderr;
    // Besides the line that counts the case's warnings, only progress lines.
    let lines: Vec<&str> = err.lines().filter(|l| !l.contains("warning")).collect();
    assert!(lines.len() >= 2, "{err}");
    for l in &lines {
        assert!(l.starts_with("abduce: shard 2/2 (chunks 1..2): "), "{l}");
        assert!(l.contains(" scenarios/s, "), "{l}");
    }
    // The last line says all is done: "44·(F + 2) of 44·(F + 2) scenarios (100%)".
    let last = lines.last().unwrap();
    let nums: Vec<u64> = last
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|x| x.parse().ok())
        .collect();
    // shard 2/2, chunks 1..2, done, total: nums[4] and nums[5].
    assert_eq!(nums[4], nums[5], "{last}");
    assert_eq!(nums[4] % 44, 0, "{last}");
    assert!(last.contains("(100%)"), "{last}");
    // --quiet: nothing.
    let run = Abduce::bundled()
        .env("ABDUCE_PROGRESS_SECONDS", "0")
        .args(&sobol)
        .args(&["--quiet", "-o", "p.json"])
        .run();
    run.assert_ok();
    assert_eq!(run.stderr, "");
}
