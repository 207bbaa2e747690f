//! The Bayesian scorer (docs/reference.md §3).
//!
//! # Formula
//! With effective weights ω_e (§3.1), credible likelihoods ℓ̃_ek (§3.2) and normalised
//! priors π_k:
//!
//! ```text
//! s_k = ln π_k + Σ_{e counted, ω_e > 0} ω_e · ln q_ek      q_ek = ℓ̃_ek (observed) or 1 − ℓ̃_ek (absent)
//! p_k = exp(s_k − max_j s_j) / Σ_i exp(s_i − max_j s_j)
//! ```

use crate::case::{Case, Credibility, Status};
use crate::error::{Error, Failure};

/// Effective weights ω_e (docs/reference.md §3.1) when exactly the items for which `include(e)` is true
/// count. Items that do not count get 0.
///
/// # Formula
/// `d_g = (1 + (n_g − 1)(1 − ρ_g)) / n_g`, `ω_e = w_e · d_g`, where n_g counts the group's
/// included items with w > 0 (d = 1 outside groups).
pub fn effective_weights_with(case: &Case, include: impl Fn(usize) -> bool) -> Vec<f64> {
    effective_weights_of(case, &case_weights(case), include)
}

/// [`effective_weights_with`] with the weights `w` given explicitly (sweeps draw them).
pub fn effective_weights_of(case: &Case, w: &[f64], include: impl Fn(usize) -> bool) -> Vec<f64> {
    let mut n = vec![0usize; case.groups.len()];
    for (e, item) in case.evidence.iter().enumerate() {
        if let Some(g) = item.group
            && include(e)
            && w[e] > 0.0
        {
            n[g] += 1;
        }
    }
    case.evidence
        .iter()
        .enumerate()
        .map(|(e, item)| {
            if !include(e) {
                return 0.0;
            }
            let d = item
                .group
                .map_or(1.0, |g| group_discount(n[g], case.groups[g].correlation));
            w[e] * d
        })
        .collect()
}

/// The group discount d_g for n counting members and correlation ρ (1 for n ≤ 1).
pub fn group_discount(n: usize, rho: f64) -> f64 {
    if n <= 1 {
        return 1.0;
    }
    let n = n as f64;
    (1.0 + (n - 1.0) * (1.0 - rho)) / n
}

/// The items' weights w_e as written.
pub fn case_weights(case: &Case) -> Vec<f64> {
    case.evidence.iter().map(|e| e.weight).collect()
}

/// Effective weights of the counted items (`observed` or `absent`).
pub fn effective_weights(case: &Case) -> Vec<f64> {
    effective_weights_with(case, |e| case.evidence[e].counts())
}

/// Credible likelihoods ℓ̃_k (docs/reference.md §3.2) from point likelihoods `l` (NA already resolved).
pub fn credible(cred: &Credibility, l: &[f64]) -> Vec<f64> {
    match *cred {
        Credibility::Mixture { value: c, .. } => {
            let mean = l.iter().sum::<f64>() / l.len() as f64;
            l.iter().map(|&x| c * x + (1.0 - c) * mean).collect()
        }
        Credibility::Schum {
            hit_rate: h,
            false_alarm_rate: f,
        } => l.iter().map(|&x| f + (h - f) * x).collect(),
    }
}

/// 1 − ℓ̃_k computed without cancellation: `c(1 − ℓ) + (1 − c)(1 − ℓ̄)` for the mixture,
/// `(1 − h)ℓ + (1 − f)(1 − ℓ)` for Schum's form.
pub fn credible_complement(cred: &Credibility, l: &[f64]) -> Vec<f64> {
    match *cred {
        Credibility::Mixture { value: c, .. } => {
            let mean_c = l.iter().map(|&x| 1.0 - x).sum::<f64>() / l.len() as f64;
            l.iter()
                .map(|&x| c * (1.0 - x) + (1.0 - c) * mean_c)
                .collect()
        }
        Credibility::Schum {
            hit_rate: h,
            false_alarm_rate: f,
        } => l
            .iter()
            .map(|&x| (1.0 - h) * x + (1.0 - f) * (1.0 - x))
            .collect(),
    }
}

/// The probability q_ek of what was seen of item `e`: ℓ̃ for `observed` (and for
/// `pending`/`retracted`, as if observed), 1 − ℓ̃ for `absent`.
pub fn outcome_probs(case: &Case, e: usize) -> Vec<f64> {
    let item = &case.evidence[e];
    let l = case.likelihoods(e);
    match item.status {
        Status::Absent => credible_complement(&item.credibility, &l),
        _ => credible(&item.credibility, &l),
    }
}

/// Normalised log priors ln π_k.
pub fn log_priors(case: &Case) -> Vec<f64> {
    let total: f64 = case.hypotheses.iter().map(|h| h.prior).sum();
    case.hypotheses
        .iter()
        .map(|h| (h.prior / total).ln())
        .collect()
}

/// Posteriors from log scores; −∞ gives 0. At least one score must be finite.
pub fn posteriors_from_log(s: &[f64]) -> Vec<f64> {
    let max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = s.iter().map(|&x| (x - max).exp()).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

/// Hypothesis indices sorted by score, highest first (−∞ last), ties in declaration order.
pub fn rank_order(s: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..s.len()).collect();
    order.sort_by(|&a, &b| s[b].total_cmp(&s[a]));
    order
}

/// The result of scoring a case with the Bayesian method.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// s_k in nats, −∞ for eliminated hypotheses.
    pub log_scores: Vec<f64>,
    /// p_k.
    pub posteriors: Vec<f64>,
    /// Hypothesis indices by rank: `order[0]` is the leader.
    pub order: Vec<usize>,
    /// 1-based rank of each hypothesis, in declaration order.
    pub ranks: Vec<usize>,
    /// Effective weight ω_e of every item (0 for items that do not count).
    pub weights: Vec<f64>,
    /// ln q_ek for every item and hypothesis (as if observed for items that do not count).
    pub log_probs: Vec<Vec<f64>>,
}

impl Scores {
    /// Index of the leading hypothesis.
    pub fn leader(&self) -> usize {
        self.order[0]
    }

    /// Index of the runner-up (rank 2), whether live or not.
    pub fn runner_up(&self) -> usize {
        self.order[1]
    }

    /// Whether hypothesis `k` is live (s_k > −∞).
    pub fn is_live(&self, k: usize) -> bool {
        self.log_scores[k] > f64::NEG_INFINITY
    }
}

/// Scores the case with its counted items (docs/reference.md §3.3).
///
/// # Errors
/// When every hypothesis is eliminated: the error names, for each hypothesis, the items that
/// eliminate it.
pub fn score(case: &Case) -> Result<Scores, Error> {
    score_with(case, |e| case.evidence[e].counts())
}

/// Scores the case as if exactly the items with `include(e)` counted (their status still
/// decides between ℓ̃ and 1 − ℓ̃). Group discounts are recomputed on that subset.
///
/// # Errors
/// As [`score`].
pub fn score_with(case: &Case, include: impl Fn(usize) -> bool) -> Result<Scores, Error> {
    let weights = effective_weights_with(case, include);
    let log_probs: Vec<Vec<f64>> = (0..case.evidence.len())
        .map(|e| outcome_probs(case, e).iter().map(|q| q.ln()).collect())
        .collect();
    let mut log_scores = log_priors(case);
    for (e, w) in weights.iter().enumerate() {
        if *w > 0.0 {
            for (s, lq) in log_scores.iter_mut().zip(&log_probs[e]) {
                *s += w * lq;
            }
        }
    }
    if log_scores.iter().all(|s| *s == f64::NEG_INFINITY) {
        return Err(all_eliminated(case, &weights, &log_probs));
    }
    let posteriors = posteriors_from_log(&log_scores);
    let order = rank_order(&log_scores);
    let mut ranks = vec![0; order.len()];
    for (r, &k) in order.iter().enumerate() {
        ranks[k] = r + 1;
    }
    Ok(Scores {
        log_scores,
        posteriors,
        order,
        ranks,
        weights,
        log_probs,
    })
}

fn all_eliminated(case: &Case, weights: &[f64], log_probs: &[Vec<f64>]) -> Error {
    let by = case
        .hypotheses
        .iter()
        .enumerate()
        .map(|(k, h)| {
            let items: Vec<String> = (0..case.evidence.len())
                .filter(|&e| weights[e] > 0.0 && log_probs[e][k] == f64::NEG_INFINITY)
                .map(|e| match case.item_place(e) {
                    Some(place) => format!("{} ({place})", case.evidence[e].id),
                    None => case.evidence[e].id.clone(),
                })
                .collect();
            (h.id.clone(), items)
        })
        .collect();
    Failure::AllEliminated { by }.into()
}
