//! Properties of the Bayesian scorer that hold for every case (proptest).

#[path = "fixtures/strategies.rs"]
mod strategies;

use abduce::case::{Case, Credibility, CredibilityBasis, Evidence, Group, Status};
use abduce::score::{bayes, explain};
use proptest::prelude::*;
use strategies::{schum, status};

#[derive(Debug, Clone)]
struct ItemSpec {
    likelihoods: Vec<f64>,
    credibility: Credibility,
    weight: f64,
    status: Status,
    group: Option<usize>,
}

fn likelihood() -> impl Strategy<Value = f64> {
    // Mostly interior values, sometimes the ends (0 eliminates, 1 is certain).
    prop_oneof![8 => 0.001f64..0.999, 1 => Just(0.0), 1 => Just(1.0)]
}

fn credibility() -> impl Strategy<Value = Credibility> {
    prop_oneof![
        (0.0f64..=1.0).prop_map(|value| Credibility::Mixture {
            value,
            range: None,
            basis: CredibilityBasis::Explicit,
        }),
        schum(),
    ]
}

fn item(k: usize, groups: usize) -> impl Strategy<Value = ItemSpec> {
    (
        prop::collection::vec(likelihood(), k),
        credibility(),
        prop_oneof![1 => Just(0.0), 6 => 0.0f64..3.0],
        status(),
        prop::option::of(0..groups),
    )
        .prop_map(
            |(likelihoods, credibility, weight, status, group)| ItemSpec {
                likelihoods,
                credibility,
                weight,
                status,
                group,
            },
        )
}

/// (priors, group correlations, items).
fn case_spec() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<ItemSpec>)> {
    (2usize..5, 1usize..3).prop_flat_map(|(k, g)| {
        (
            prop::collection::vec(0.1f64..10.0, k),
            prop::collection::vec(0.0f64..=1.0, g),
            prop::collection::vec(item(k, g), 0..8),
        )
    })
}

fn build(priors: &[f64], rhos: &[f64], items: &[ItemSpec]) -> Case {
    let ids: Vec<String> = (0..priors.len()).map(|k| format!("h{k}")).collect();
    let hyps: Vec<(&str, f64)> = ids
        .iter()
        .map(|s| s.as_str())
        .zip(priors.iter().copied())
        .collect();
    let mut case = Case::new("prop", &hyps);
    case.groups = rhos
        .iter()
        .enumerate()
        .map(|(i, &correlation)| Group {
            id: format!("g{i}"),
            correlation,
            file: 0,
        })
        .collect();
    for (i, spec) in items.iter().enumerate() {
        let mut e = Evidence::new(&format!("e{i}"), &spec.likelihoods);
        e.credibility = spec.credibility;
        e.weight = spec.weight;
        e.status = spec.status;
        e.group = spec.group;
        case.evidence.push(e);
    }
    case
}

proptest! {
    #[test]
    fn posteriors_sum_to_one((priors, rhos, items) in case_spec()) {
        let case = build(&priors, &rhos, &items);
        if let Ok(s) = bayes::score(&case) {
            let total: f64 = s.posteriors.iter().sum();
            prop_assert!((total - 1.0).abs() < 1e-12, "sum {}", total);
            prop_assert!(s.posteriors.iter().all(|p| (0.0..=1.0).contains(p)));
        }
    }

    #[test]
    fn item_order_does_not_matter(
        (priors, rhos, items) in case_spec(),
        seed in any::<u64>(),
    ) {
        let case = build(&priors, &rhos, &items);
        // A permutation of the items (a Fisher–Yates shuffle driven by the seed).
        let mut shuffled = items.clone();
        let mut x = seed;
        for i in (1..shuffled.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        let other = build(&priors, &rhos, &shuffled);
        match (bayes::score(&case), bayes::score(&other)) {
            (Ok(a), Ok(b)) => {
                for (p, q) in a.posteriors.iter().zip(&b.posteriors) {
                    prop_assert!((p - q).abs() < 1e-12, "{:?} vs {:?}", a.posteriors, b.posteriors);
                }
            }
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "one order is inconsistent, the other not"),
        }
    }

    #[test]
    fn contributions_add_up_to_the_centred_score((priors, rhos, items) in case_spec()) {
        let case = build(&priors, &rhos, &items);
        if let Ok(x) = explain::explain(&case) {
            let live: Vec<usize> = (0..priors.len()).filter(|&k| x.scores.is_live(k)).collect();
            let n = live.len() as f64;
            let lp = bayes::log_priors(&case);
            let mean_s = live.iter().map(|&k| x.scores.log_scores[k]).sum::<f64>() / n;
            let mean_p = live.iter().map(|&k| lp[k]).sum::<f64>() / n;
            for (k, lp_k) in lp.iter().enumerate() {
                let c: Vec<Option<f64>> = x.items.iter().map(|i| i.contributions[k]).collect();
                if !x.scores.is_live(k) {
                    prop_assert!(c.iter().all(Option::is_none));
                    continue;
                }
                let sum: f64 = c.iter().map(|c| c.unwrap()).sum();
                let lhs = sum + explain::decibans(lp_k - mean_p);
                let rhs = explain::decibans(x.scores.log_scores[k] - mean_s);
                prop_assert!((lhs - rhs).abs() < 1e-9 * (1.0 + rhs.abs()), "{} vs {}", lhs, rhs);
            }
        }
    }

    #[test]
    fn a_neutral_item_in_no_group_changes_nothing(
        (priors, rhos, items) in case_spec(),
        level in 0.001f64..0.999,
        raw in prop::collection::vec(likelihood(), 4),
        zero_weight in any::<bool>(),
        absent in any::<bool>(),
    ) {
        let case = build(&priors, &rhos, &items);
        let Ok(before) = bayes::score(&case) else { return Ok(()) };
        let k = priors.len();
        let mut extra = Evidence::new("neutral", &raw[..k]);
        if zero_weight {
            // Weight 0: any likelihoods, even 0, change nothing.
            extra.weight = 0.0;
        } else {
            // Equal likelihoods: every hypothesis gets the same factor.
            extra = Evidence::new("neutral", &vec![level; k]);
            extra.weight = 2.5;
        }
        if absent {
            extra.status = Status::Absent;
        }
        let mut with = case.clone();
        with.evidence.push(extra);
        let after = bayes::score(&with).unwrap();
        for (p, q) in before.posteriors.iter().zip(&after.posteriors) {
            prop_assert!((p - q).abs() < 1e-12);
        }
    }
}
