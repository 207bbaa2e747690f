//! Tipping points and leave-one-out (docs/reference.md §5.4), exact.

use serde::Serialize;

use super::incremental::{Incremental, Outcome};
use crate::case::Case;
use crate::error::Error;
use crate::output::Header;
use crate::score::bayes;

/// Tipping points and leave-one-out result of one counted item.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TippingItem {
    /// Evidence id.
    pub id: String,
    /// The largest multiplier t in [0, 1) of ω_e at which another hypothesis draws level
    /// with the leader, or `None`.
    pub lower: Option<f64>,
    /// The hypothesis that draws level at `lower`.
    pub lower_by: Option<String>,
    /// The smallest multiplier t > 1 at which another hypothesis draws level, or `None`.
    pub upper: Option<f64>,
    /// The hypothesis that draws level at `upper`.
    pub upper_by: Option<String>,
    /// The leader with this item retracted (group discounts recomputed).
    pub loo_leader: String,
    /// That leader's posterior.
    pub loo_posterior: f64,
    /// Whether retracting the item changes the leader.
    pub critical: bool,
}

/// The result of `sweep tipping` (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TippingSummary {
    /// `schema_version`, `case`, `command` = `"tipping"`.
    #[serde(flatten)]
    pub header: Header,
    /// The point leader.
    pub leader: String,
    /// Every counted item, in declaration order.
    pub items: Vec<TippingItem>,
}

/// The multipliers t ≥ 0 of item `e`'s effective weight at which each live hypothesis
/// k ≠ leader draws level with the leader: `(t*, k)` for every k whose log-probability
/// differs from the leader's, in declaration order.
///
/// # Formula
/// s_k(t) = s_k + (t − 1) ω_e a_ek with a_ek = ln q_ek; s_k(t*) = s_L(t*) gives
/// t* = 1 + (s_L − s_k) / (ω_e (a_ek − a_eL)); only t* ≥ 0 is kept. A t* within a few
/// rounding errors of 0 (|t*| < 8ε: the item alone makes the lead, so without it the two
/// tie) is 0 exactly, not 1.1e-16 nor a negative number that would drop the crossing.
pub fn crossings(scores: &bayes::Scores, e: usize) -> Vec<(f64, usize)> {
    let leader = scores.leader();
    let w = scores.weights[e];
    let a = &scores.log_probs[e];
    if w <= 0.0 {
        return Vec::new();
    }
    (0..a.len())
        .filter(|&k| k != leader && scores.is_live(k) && a[k] != a[leader])
        .filter_map(|k| {
            let t =
                1.0 + (scores.log_scores[leader] - scores.log_scores[k]) / (w * (a[k] - a[leader]));
            let t = if t.abs() < 8.0 * f64::EPSILON { 0.0 } else { t };
            (t.is_finite() && t >= 0.0).then_some((t, k))
        })
        .collect()
}

/// Runs the tipping-point analysis: for every counted item the nearest multipliers of its
/// effective weight below and above 1 at which the leader is caught (closed form, group
/// discounts fixed, eliminated hypotheses never take over), and leave-one-out.
///
/// Leave-one-out rescores from the point scores: the item's terms go and its group's other
/// members take the new discount ([`Incremental::without_item`], docs/performance.md), in
/// time linear in the case; near-ties at the lead are rescored in full. [`run_full`]
/// rescores every item's retraction in full.
///
/// # Errors
/// When the case is inconsistent.
pub fn run(case: &Case) -> Result<TippingSummary, Error> {
    let scores = bayes::score(case)?;
    let inc = Incremental::new(case, &scores);
    tipping(case, &scores, |e| inc.without_item(e))
}

/// [`run`] rescoring the whole case for every retracted item: the reference the incremental
/// leave-one-out is tested against, and the baseline of the scaling benchmark.
///
/// # Errors
/// As [`run`].
pub fn run_full(case: &Case) -> Result<TippingSummary, Error> {
    let scores = bayes::score(case)?;
    tipping(case, &scores, |_| None)
}

/// Tipping points with `quick(e)` giving the outcome with item `e` retracted, or `None` to
/// rescore it in full.
fn tipping(
    case: &Case,
    scores: &bayes::Scores,
    quick: impl Fn(usize) -> Option<Outcome>,
) -> Result<TippingSummary, Error> {
    let leader = scores.leader();
    let id = |k: usize| case.hypotheses[k].id.clone();
    let mut items = Vec::new();
    for (e, item) in case.evidence.iter().enumerate() {
        if !item.counts() {
            continue;
        }
        crate::limits::check_interrupt()?;
        let cross = crossings(scores, e);
        // Ties keep declaration order: strict comparisons over k ascending.
        let mut upper: Option<(f64, usize)> = None;
        let mut lower: Option<(f64, usize)> = None;
        for &(t, k) in &cross {
            if t > 1.0 && upper.is_none_or(|(u, _)| t < u) {
                upper = Some((t, k));
            }
            if t < 1.0 && lower.is_none_or(|(l, _)| t > l) {
                lower = Some((t, k));
            }
        }
        let (loo_leader, loo_posteriors) = match quick(e) {
            Some(o) => (o.leader, o.posteriors),
            None => {
                let loo = bayes::score_with(case, |j| j != e && case.evidence[j].counts())?;
                (loo.leader(), loo.posteriors)
            }
        };
        items.push(TippingItem {
            id: item.id.clone(),
            lower: lower.map(|x| x.0),
            lower_by: lower.map(|x| id(x.1)),
            upper: upper.map(|x| x.0),
            upper_by: upper.map(|x| id(x.1)),
            loo_leader: id(loo_leader),
            loo_posterior: loo_posteriors[loo_leader],
            critical: loo_leader != leader,
        });
    }
    Ok(TippingSummary {
        header: Header::new(case, "tipping"),
        leader: id(leader),
        items,
    })
}
