//! One-at-a-time swings of the leader's posterior (docs/reference.md §5.3), exact.

use rayon::prelude::*;
use serde::Serialize;

use super::incremental::Incremental;
use super::uncertainty::{Target, set_quantity, varying_quantities};
use crate::case::Case;
use crate::error::Error;
use crate::output::Header;
use crate::score::bayes;

/// One bar of the tornado.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TornadoBar {
    /// The quantity's docs/reference.md §6 path, e.g. `evidence.x.likelihood.etim`.
    pub quantity: String,
    /// The low end of its 90% range.
    pub low_value: f64,
    /// The high end of its 90% range.
    pub high_value: f64,
    /// The point leader's posterior with the quantity at `low_value`.
    pub y_low: f64,
    /// The point leader's posterior with the quantity at `high_value`.
    pub y_high: f64,
    /// |y_high − y_low|.
    pub swing: f64,
    /// The leader with the quantity at `low_value`.
    pub leader_low: String,
    /// The leader with the quantity at `high_value`.
    pub leader_high: String,
}

/// The result of `sweep tornado` (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TornadoSummary {
    /// `schema_version`, `case`, `command` = `"tornado"`.
    #[serde(flatten)]
    pub header: Header,
    /// `"posterior:<leader>"`.
    pub output: String,
    /// The point leader's posterior at the point values.
    pub y_point: f64,
    /// One bar per varying quantity, largest swing first (ties in canonical order).
    pub bars: Vec<TornadoBar>,
}

/// Runs the tornado: for every varying quantity (docs/reference.md §5.1), the point leader's posterior
/// with that quantity alone at the low and at the high end of its range.
///
/// Each end is rescored from the point scores by changing only the terms the quantity
/// touches ([`Incremental`], docs/performance.md), in time linear in the case; near-ties at
/// the lead are rescored in full. [`run_full`] rescores every end in full.
///
/// # Formula
/// swing = |Y(hi) − Y(lo)|, Y = posterior of the point leader; bars sorted by swing
/// descending, ties in canonical order (priors, then items: weight, credibility, cells).
///
/// # Errors
/// When the case, or the case with one quantity at an end of its range, is inconsistent.
pub fn run(case: &Case) -> Result<TornadoSummary, Error> {
    let point = bayes::score(case)?;
    let inc = Incremental::new(case, &point);
    tornado(case, &point, |target, value| {
        Ok(inc
            .with_quantity(target, value)
            .map(|o| (o.posteriors, o.leader)))
    })
}

/// [`run`] rescoring the whole case at every end of every range: the reference the
/// incremental tornado is tested against, and the baseline of the scaling benchmark.
///
/// # Errors
/// As [`run`].
pub fn run_full(case: &Case) -> Result<TornadoSummary, Error> {
    let point = bayes::score(case)?;
    tornado(case, &point, |_, _| Ok(None))
}

/// The tornado with `quick(target, value)` giving (posteriors, leader) of the changed case,
/// or `None` to rescore it in full.
fn tornado(
    case: &Case,
    point: &bayes::Scores,
    quick: impl Fn(Target, f64) -> Result<Option<(Vec<f64>, usize)>, Error> + Sync,
) -> Result<TornadoSummary, Error> {
    let leader = point.leader();
    let id = |k: usize| case.hypotheses[k].id.clone();
    // The bars are computed in parallel and gathered in order, so the first error in
    // quantity order is the one reported, as when they were computed one by one.
    let bars: Vec<Result<TornadoBar, Error>> = varying_quantities(case)
        .into_par_iter()
        .map(|q| {
            crate::limits::check_interrupt()?;
            let at = |value: f64| -> Result<(f64, String), Error> {
                if let Some((p, l)) = quick(q.target, value)? {
                    return Ok((p[leader], id(l)));
                }
                let mut c = case.clone();
                set_quantity(&mut c, q.target, value);
                let s = bayes::score(&c)?;
                Ok((s.posteriors[leader], id(s.leader())))
            };
            let (y_low, leader_low) = at(q.range.lo)?;
            let (y_high, leader_high) = at(q.range.hi)?;
            Ok(TornadoBar {
                quantity: q.path,
                low_value: q.range.lo,
                high_value: q.range.hi,
                y_low,
                y_high,
                swing: (y_high - y_low).abs(),
                leader_low,
                leader_high,
            })
        })
        .collect();
    let mut bars = bars.into_iter().collect::<Result<Vec<_>, Error>>()?;
    bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    Ok(TornadoSummary {
        header: Header::new(case, "tornado"),
        output: format!("posterior:{}", id(leader)),
        y_point: point.posteriors[leader],
        bars,
    })
}
