//! Generated cases for tests and benchmarks.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::SplitMix64;

use crate::case::{Case, Cell, Credibility, CredibilityBasis, Evidence, Family, Range};

/// A synthetic case of `k` hypotheses (`h1`…) and `m` observed items (`e1`…) in which every
/// likelihood, credibility and weight has a 90% range (the benchmark case of issue #4 is
/// `case(8, 40, 0)`). Priors are 1 and fixed; no groups. Deterministic in `seed`.
///
/// Each likelihood ℓ is drawn in [0.05, 0.95] with range [ℓ − 0.6·ℓ·u, ℓ + 0.6·(1 − ℓ)·u′]
/// (u, u′ ∈ [0.2, 1)); each credibility c in [0.5, 0.95] with range
/// [c − 0.3c·u, c + 0.3(1 − c)·u′]; each weight w in [0.5, 2] with range [w/1.5, 1.5w].
pub fn case(k: usize, m: usize, seed: u64) -> Case {
    let mut rng = SplitMix64::seed_from_u64(seed);
    let mut unit = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let ids: Vec<String> = (1..=k).map(|i| format!("h{i}")).collect();
    let hyps: Vec<(&str, f64)> = ids.iter().map(|id| (id.as_str(), 1.0)).collect();
    let mut c = Case::new("synthetic", &hyps);
    for e in 1..=m {
        let mut item = Evidence::new(&format!("e{e}"), &vec![0.5; k]);
        for cell in &mut item.likelihood {
            let l = 0.05 + 0.9 * unit();
            let lo = l - 0.6 * l * (0.2 + 0.8 * unit());
            let hi = l + 0.6 * (1.0 - l) * (0.2 + 0.8 * unit());
            *cell = Cell::Value {
                value: l,
                range: Some(Range { lo, hi }),
            };
        }
        let cr = 0.5 + 0.45 * unit();
        item.credibility = Credibility::Mixture {
            value: cr,
            range: Some(Range {
                lo: cr - 0.3 * cr * (0.2 + 0.8 * unit()),
                hi: cr + 0.3 * (1.0 - cr) * (0.2 + 0.8 * unit()),
            }),
            basis: CredibilityBasis::Explicit,
        };
        let w = 0.5 + 1.5 * unit();
        item.weight = w;
        item.weight_range = Some(Range {
            lo: w / 1.5,
            hi: w * 1.5,
        });
        c.evidence.push(item);
    }
    c
}

/// [`case`] with `f` families: family `fi` (i = 1…f) gathers hypotheses i, i + 1 and i + 2
/// (wrapping around), so families overlap as an analyst's often do. Needs `k` ≥ 3.
pub fn case_with_families(k: usize, m: usize, f: usize, seed: u64) -> Case {
    let mut c = case(k, m, seed);
    c.families = (0..f)
        .map(|i| Family {
            id: format!("f{}", i + 1),
            title: format!("f{}", i + 1),
            members: (0..3).map(|j| (i + j) % k).collect(),
        })
        .collect();
    c
}
