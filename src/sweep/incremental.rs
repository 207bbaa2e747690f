//! Exact rescoring after one change, in time linear in the hypotheses (docs/performance.md,
//! "Scaling in the size of the case").
//!
//! The tornado changes one quantity at a time and leave-one-out retracts one item at a time.
//! Rescoring the whole case for each change costs items × hypotheses per change, so the
//! sweeps grew with the square of the case. One change touches few terms of
//!
//! ```text
//! s_k = ln π_k + Σ_e ω_e · a_ek        a_ek = ln q_ek
//! ```
//!
//! a quantity of item e changes only its own terms ω_e·a_e·; a prior changes only ln π; and
//! retracting item e of group g removes its terms and changes the discount d_g of g's other
//! members, whose terms are d_g · w_j · a_jk, so their sum changes by (d′_g − d_g)·Σ w_j a_jk.
//! Each score is kept as its finite part plus a count of the terms that are −∞ (an item that
//! eliminates the hypothesis), so a change can remove an elimination exactly.
//!
//! The new scores equal full rescoring up to rounding (the property tests of
//! `tests/properties.rs` check 1e-12). Where rounding could matter — two hypotheses within
//! `Incremental::tie` of the lead, or every hypothesis eliminated — the caller rescores
//! the whole case instead, so leaders and errors are exactly those of full rescoring.

use super::uncertainty::Target;
use crate::case::{Case, Credibility, Status};
use crate::score::bayes::{self, Scores};

/// What the sweeps need of a rescored case.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The leader (first of the highest scores in declaration order).
    pub leader: usize,
    /// The posteriors.
    pub posteriors: Vec<f64>,
}

/// The point scores split into the parts one change touches.
#[derive(Debug, Clone)]
pub struct Incremental<'a> {
    case: &'a Case,
    scores: &'a Scores,
    /// ln π_k.
    log_priors: Vec<f64>,
    /// ln π_k plus the finite terms, summed in item order (bit-identical to s_k when no term
    /// is −∞).
    finite: Vec<f64>,
    /// The number of −∞ terms of each hypothesis.
    eliminated: Vec<u32>,
    /// Counting members with w > 0 of each group.
    members: Vec<usize>,
    /// Each group's discount d_g.
    discount: Vec<f64>,
    /// `group_sum[g][k]` = Σ w_j a_jk over g's counting members with w > 0, finite terms
    /// only (the undiscounted terms whose discount changes when a member is retracted).
    group_sum: Vec<Vec<f64>>,
    /// Scores closer than this to the lead are treated as a possible tie.
    tie: f64,
}

fn finite(t: f64) -> f64 {
    if t.is_finite() { t } else { 0.0 }
}

fn is_elim(t: f64) -> u32 {
    u32::from(t == f64::NEG_INFINITY)
}

impl<'a> Incremental<'a> {
    /// The split of `scores`, the point scores of `case` (from [`bayes::score`]).
    pub fn new(case: &'a Case, scores: &'a Scores) -> Incremental<'a> {
        let k = case.hypotheses.len();
        let log_priors = bayes::log_priors(case);
        let mut finite_part = log_priors.clone();
        let mut eliminated = vec![0u32; k];
        let mut members = vec![0usize; case.groups.len()];
        let mut group_sum = vec![vec![0.0; k]; case.groups.len()];
        let mut scale = log_priors.iter().map(|x| finite(x.abs())).sum::<f64>();
        for (e, &w) in scores.weights.iter().enumerate() {
            if w <= 0.0 {
                continue;
            }
            let item = &case.evidence[e];
            for (j, &a) in scores.log_probs[e].iter().enumerate() {
                let t = w * a;
                if t.is_finite() {
                    finite_part[j] += t;
                    scale += t.abs();
                } else {
                    eliminated[j] += 1;
                }
            }
            if let Some(g) = item.group {
                members[g] += 1;
                for (sum, &a) in group_sum[g].iter_mut().zip(&scores.log_probs[e]) {
                    *sum += finite(item.weight * a);
                }
            }
        }
        let discount = members
            .iter()
            .zip(&case.groups)
            .map(|(&n, g)| bayes::group_discount(n, g.correlation))
            .collect();
        Incremental {
            case,
            scores,
            log_priors,
            finite: finite_part,
            eliminated,
            members,
            discount,
            group_sum,
            // Rounding of a sum of these terms is below 1e-13 of their magnitudes; a gap at
            // the lead below 1e-9 of it may be rounding and is rescored in full.
            tie: 1e-9 * (1.0 + scale),
        }
    }

    /// The outcome with one quantity of the case at `value` (as [`super::uncertainty::set_quantity`]
    /// would set it), or `None` when it must be rescored in full (a possible tie at the lead,
    /// every hypothesis eliminated, or a weight set to 0).
    pub fn with_quantity(&self, target: Target, value: f64) -> Option<Outcome> {
        let case = self.case;
        match target {
            Target::Prior(h) => {
                let total: f64 = case
                    .hypotheses
                    .iter()
                    .enumerate()
                    .map(|(j, x)| if j == h { value } else { x.prior })
                    .sum();
                let s: Vec<f64> = (0..self.finite.len())
                    .map(|j| {
                        let prior = if j == h {
                            value
                        } else {
                            case.hypotheses[j].prior
                        };
                        if self.eliminated[j] > 0 {
                            f64::NEG_INFINITY
                        } else {
                            self.finite[j] - self.log_priors[j] + (prior / total).ln()
                        }
                    })
                    .collect();
                self.outcome(s)
            }
            Target::Weight(e) => {
                if value <= 0.0 {
                    return None;
                }
                let d = case.evidence[e].group.map_or(1.0, |g| self.discount[g]);
                let a = &self.scores.log_probs[e];
                self.swap_terms(e, value * d, a)
            }
            Target::Credibility(e) | Target::Cell(e, _) => {
                let a = row_log_probs(case, e, target, value);
                self.swap_terms(e, self.scores.weights[e], &a)
            }
        }
    }

    /// The outcome with item `e` retracted (group discounts recomputed), or `None` when it
    /// must be rescored in full.
    pub fn without_item(&self, e: usize) -> Option<Outcome> {
        let w = self.scores.weights[e];
        let item = &self.case.evidence[e];
        let a = &self.scores.log_probs[e];
        let mut s = self.finite.clone();
        let mut elim = self.eliminated.clone();
        if w > 0.0 {
            for (j, &a) in a.iter().enumerate() {
                let t = w * a;
                s[j] -= finite(t);
                elim[j] -= is_elim(t);
            }
            if let Some(g) = item.group {
                let d = bayes::group_discount(self.members[g] - 1, self.case.groups[g].correlation);
                let change = d - self.discount[g];
                if change != 0.0 {
                    for (j, &a) in a.iter().enumerate() {
                        s[j] += change * (self.group_sum[g][j] - finite(item.weight * a));
                    }
                }
            }
        }
        self.outcome(with_eliminations(s, &elim))
    }

    /// The scores with item e's terms ω_e·a_e· replaced by `omega`·`a`.
    fn swap_terms(&self, e: usize, omega: f64, a: &[f64]) -> Option<Outcome> {
        let old_w = self.scores.weights[e];
        let old = &self.scores.log_probs[e];
        let mut s = self.finite.clone();
        let mut elim = self.eliminated.clone();
        for j in 0..s.len() {
            let t_old = if old_w > 0.0 { old_w * old[j] } else { 0.0 };
            let t_new = if omega > 0.0 { omega * a[j] } else { 0.0 };
            s[j] += finite(t_new) - finite(t_old);
            elim[j] = elim[j] - is_elim(t_old) + is_elim(t_new);
        }
        self.outcome(with_eliminations(s, &elim))
    }

    /// Leader and posteriors of scores `s`, or `None` when every hypothesis is eliminated
    /// or the lead is within [`Incremental::tie`].
    fn outcome(&self, s: Vec<f64>) -> Option<Outcome> {
        let mut leader = 0;
        for j in 1..s.len() {
            if s[j] > s[leader] {
                leader = j;
            }
        }
        if s[leader] == f64::NEG_INFINITY {
            return None;
        }
        let near = s
            .iter()
            .enumerate()
            .any(|(j, &x)| j != leader && s[leader] - x <= self.tie);
        if near {
            return None;
        }
        Some(Outcome {
            leader,
            posteriors: bayes::posteriors_from_log(&s),
        })
    }
}

fn with_eliminations(mut s: Vec<f64>, elim: &[u32]) -> Vec<f64> {
    for (x, &n) in s.iter_mut().zip(elim) {
        if n > 0 {
            *x = f64::NEG_INFINITY;
        }
    }
    s
}

/// ln q_e· of item `e` with one of its quantities (credibility or a cell) at `value`,
/// computed by the same functions as [`bayes::outcome_probs`] on the changed case.
fn row_log_probs(case: &Case, e: usize, target: Target, value: f64) -> Vec<f64> {
    let item = &case.evidence[e];
    let cells: Vec<Option<f64>> = item
        .likelihood
        .iter()
        .enumerate()
        .map(|(k, c)| {
            if target == Target::Cell(e, k) {
                Some(value)
            } else {
                case.cell_value(c)
            }
        })
        .collect();
    let l = crate::case::resolve_na(&cells);
    let mut cred = item.credibility;
    if target == Target::Credibility(e)
        && let Credibility::Mixture { value: c, .. } = &mut cred
    {
        *c = value;
    }
    let q = match item.status {
        Status::Absent => bayes::credible_complement(&cred, &l),
        _ => bayes::credible(&cred, &l),
    };
    q.iter().map(|q| q.ln()).collect()
}
