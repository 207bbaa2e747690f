//! Indicators: which pending item is worth checking next (docs/reference.md §7).
//!
//! # Formula
//! With p the current posterior and ℓ̃_ek the credible likelihood of pending item e:
//! ```text
//! P(E) = Σ_k p_k ℓ̃_ek
//! p⁺_k = p_k ℓ̃_ek / P(E)                  (found)
//! p⁻_k = p_k (1 − ℓ̃_ek) / (1 − P(E))      (looked for and not found)
//! EIG  = H(p) − [P(E) H(p⁺) + (1 − P(E)) H(p⁻)]      in bits, clamped at 0
//! p_leader_change = P(E)·[leader(p⁺) ≠ leader] + (1 − P(E))·[leader(p⁻) ≠ leader]
//! ```
//! A hypothetical observation is a plain Bayesian update (weight and group not applied), so
//! EIG is the mutual information between the item and the hypotheses (Lindley, "On a
//! measure of the information provided by an experiment", 1956).

use serde::Serialize;

use crate::case::{Case, Status};
use crate::error::Error;
use crate::output::Header;
use crate::score::bayes;

/// One pending item, valued.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Indicator {
    /// Item id.
    pub id: String,
    /// P(E): the probability of finding it.
    pub p_observe: f64,
    /// Expected information gain in bits.
    pub expected_info_gain_bits: f64,
    /// Probability that checking it changes the leader.
    pub p_leader_change: f64,
}

/// The `indicators` document (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorsSummary {
    /// `schema_version`, `case`, `command` (= `indicators`).
    #[serde(flatten)]
    pub header: Header,
    /// Pending items with weight > 0, most informative first.
    pub indicators: Vec<Indicator>,
}

/// Shannon entropy in bits, with 0 · log 0 = 0.
///
/// # Formula
/// `H(p) = −Σ_k p_k log₂ p_k` (Shannon, 1948).
pub fn entropy_bits(p: &[f64]) -> f64 {
    -p.iter()
        .filter(|&&x| x > 0.0)
        .map(|&x| x * x.log2())
        .sum::<f64>()
}

/// The first index of the largest value (ties in declaration order).
fn leader_of(p: &[f64]) -> usize {
    let mut best = 0;
    for (k, &x) in p.iter().enumerate() {
        if x > p[best] {
            best = k;
        }
    }
    best
}

/// Values one hypothetical observation with credible likelihoods `l` (and their complements
/// `not_l`, computed without cancellation) against the posterior `p` whose leader is
/// `leader`: returns (P(E), EIG in bits, p_leader_change), with P(E) at most 1.
///
/// # Formula
/// See the [module documentation](self).
pub fn value_of_observation(p: &[f64], leader: usize, l: &[f64], not_l: &[f64]) -> (f64, f64, f64) {
    let h0 = entropy_bits(p);
    let mut expected_h = 0.0;
    let mut change = 0.0;
    let mut p_observe = 0.0;
    for (branch, like) in [l, not_l].into_iter().enumerate() {
        let joint: Vec<f64> = p.iter().zip(like).map(|(p, q)| p * q).collect();
        let pb: f64 = joint.iter().sum();
        if branch == 0 {
            p_observe = pb;
        }
        if pb <= 0.0 {
            continue;
        }
        let post: Vec<f64> = joint.iter().map(|x| x / pb).collect();
        expected_h += pb * entropy_bits(&post);
        if leader_of(&post) != leader {
            change += pb;
        }
    }
    // Σ_k p_k ℓ̃_k can exceed 1 by an ulp when every ℓ̃ is 1 (the posteriors sum to 1 only
    // up to rounding); a probability is reported within [0, 1].
    (p_observe.min(1.0), (h0 - expected_h).max(0.0), change)
}

/// Ranks the pending items with weight > 0 (docs/reference.md §7).
///
/// # Errors
/// When every hypothesis is eliminated (see [`bayes::score`]).
pub fn indicators(case: &Case) -> Result<IndicatorsSummary, Error> {
    let scores = bayes::score(case)?;
    let p = &scores.posteriors;
    let leader = scores.leader();
    let mut list: Vec<Indicator> = case
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, e)| e.status == Status::Pending && e.weight > 0.0)
        .map(|(i, e)| {
            let l0 = case.likelihoods(i);
            let l = bayes::credible(&e.credibility, &l0);
            let not_l = bayes::credible_complement(&e.credibility, &l0);
            let (p_observe, eig, change) = value_of_observation(p, leader, &l, &not_l);
            Indicator {
                id: e.id.clone(),
                p_observe,
                expected_info_gain_bits: eig,
                p_leader_change: change,
            }
        })
        .collect();
    // A stable sort keeps declaration order among ties.
    list.sort_by(|a, b| {
        b.expected_info_gain_bits
            .total_cmp(&a.expected_info_gain_bits)
            .then(b.p_leader_change.total_cmp(&a.p_leader_change))
    });
    Ok(IndicatorsSummary {
        header: Header::new(case, "indicators"),
        indicators: list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Credibility, CredibilityBasis, Evidence};

    #[test]
    fn certain_observation_is_probability_one_and_worth_nothing() {
        // Posteriors whose float sum is 1.0000000000000002 and an item found under every
        // hypothesis: P(E) = 1 exactly, no gain, no leader change.
        let p = [
            0.365_068_991_982_622_55,
            0.578_792_777_368_222_5,
            0.056_138_230_649_155_03,
        ];
        assert!(p.iter().sum::<f64>() > 1.0);
        let (pe, eig, change) = value_of_observation(&p, 1, &[1.0; 3], &[0.0; 3]);
        assert_eq!((pe, eig, change), (1.0, 0.0, 0.0));
    }

    #[test]
    fn two_hypotheses_one_pending_item_by_hand() {
        // Priors 3 : 1 -> p = (0.75, 0.25); pending item ℓ = (0.2, 0.9), credibility 1.
        let mut case = Case::new("t", &[("a", 3.0), ("b", 1.0)]);
        let mut e = Evidence::new("x", &[0.2, 0.9]);
        e.status = Status::Pending;
        case.evidence.push(e);
        let s = indicators(&case).unwrap();
        let x = &s.indicators[0];
        // P(E) = 0.75·0.2 + 0.25·0.9 = 0.15 + 0.225 = 0.375.
        assert!((x.p_observe - 0.375).abs() < 1e-15);
        // Found: p⁺ = (0.15, 0.225)/0.375 = (0.4, 0.6) -> leader b (change, weight 0.375).
        // Not found: p⁻ = (0.6, 0.025)/0.625 = (0.96, 0.04) -> leader a.
        assert!((x.p_leader_change - 0.375).abs() < 1e-15);
        // H(p) = −0.75 log2 0.75 − 0.25 log2 0.25 = 0.811278124459133
        // H(p⁺) = −0.4 log2 0.4 − 0.6 log2 0.6 = 0.970950594454669
        // H(p⁻) = −0.96 log2 0.96 − 0.04 log2 0.04 = 0.242292189082
        // EIG = 0.811278124459133 − (0.375·0.970950594454669 + 0.625·0.242292189082)
        //     = 0.811278124459133 − (0.364106472920501 + 0.151432618176)
        //     = 0.295739033362
        let h = |v: &[f64]| -v.iter().map(|x| x * x.log2()).sum::<f64>();
        let expected = h(&[0.75, 0.25]) - (0.375 * h(&[0.4, 0.6]) + 0.625 * h(&[0.96, 0.04]));
        assert!((expected - 0.295_739_033_362).abs() < 1e-11);
        assert!((x.expected_info_gain_bits - expected).abs() < 1e-14);
    }

    #[test]
    fn ranking_credibility_and_weight_zero() {
        let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
        let pending = |id: &str, l: &[f64]| {
            let mut e = Evidence::new(id, l);
            e.status = Status::Pending;
            e
        };
        // Equal likelihoods: no information.
        case.evidence.push(pending("flat", &[0.5, 0.5]));
        // Credibility 0: ℓ̃ = mean for both, no information either.
        let mut noise = pending("noise", &[0.9, 0.1]);
        noise.credibility = Credibility::Mixture {
            value: 0.0,
            range: None,
            basis: CredibilityBasis::Explicit,
        };
        case.evidence.push(noise);
        case.evidence.push(pending("sharp", &[0.9, 0.1]));
        let mut zero = pending("zero-weight", &[0.99, 0.01]);
        zero.weight = 0.0;
        case.evidence.push(zero);
        // An observed item is not an indicator.
        case.evidence.push(Evidence::new("seen", &[0.6, 0.4]));
        let s = indicators(&case).unwrap();
        let ids: Vec<&str> = s.indicators.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["sharp", "flat", "noise"]);
        assert_eq!(s.indicators[1].expected_info_gain_bits, 0.0);
        assert_eq!(s.indicators[2].expected_info_gain_bits, 0.0);
        // Flat item: P(E) = 0.5, posterior unchanged, so the leader a never changes.
        assert_eq!(s.indicators[1].p_leader_change, 0.0);
        let v = serde_json::to_value(&s).unwrap();
        let keys: Vec<_> = v["indicators"][0]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "p_observe",
                "expected_info_gain_bits",
                "p_leader_change"
            ]
        );
    }

    #[test]
    fn certain_branch_is_skipped() {
        // ℓ̃ = 1 everywhere: the "not found" branch has probability 0 and is skipped.
        let (pe, eig, change) = value_of_observation(&[0.5, 0.5], 0, &[1.0, 1.0], &[0.0, 0.0]);
        assert_eq!((pe, eig, change), (1.0, 0.0, 0.0));
    }
}
