//! `abduce compare`: several analysts' variants of one case, scored side by side, pooled, and
//! their disagreement traced to the evidence cells behind it.
//!
//! Each analyst is the base case with one overlay applied (overlays do not stack). The base
//! is shown for reference; pools and disagreement are over the analysts only.
//!
//! Every view also runs a Monte Carlo sweep under its own uncertainty (the same seed for
//! each view, so their draws are common random numbers), which gives each view's leader, its
//! 90% interval and P(rank 1), and says where the views disagree beyond their own uncertainty:
//! a hypothesis (or family) on which two analysts' 90% intervals do not overlap
//! (`docs/workflow.md`, "compare").

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::case::Case;
use crate::case::provenance::Variant;
use crate::error::{Error, Failure, Refused};
use crate::output::Header;
use crate::score::bayes::{self, Scores};
use crate::score::explain;
use crate::sweep::monte_carlo::{self, McOutput, MonteCarloSummary};

/// How many evidence cells [`CompareSummary::drivers`] lists at most.
pub const MAX_DRIVERS: usize = 10;

/// Monte Carlo scenarios per view when `--samples` is not given: a quarter of a report's, as
/// compare runs one sweep per view (P(rank 1) within ±0.005 at two standard errors).
pub const DEFAULT_SAMPLES: u64 = 50_000;

/// Values keyed by analyst, serialised as a JSON object in analyst order.
#[derive(Debug, Clone, PartialEq)]
pub struct ByAnalyst<T = Option<f64>>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for ByAnalyst<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// One hypothesis across the analysts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HypothesisRow {
    /// Hypothesis id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Rank by the linear pool (1 = highest; ties keep declaration order).
    pub rank: usize,
    /// Posterior in the base case.
    pub base: f64,
    /// Posterior in each analyst's view.
    pub posteriors: ByAnalyst,
    /// Linear opinion pool: the mean of the analysts' posteriors.
    pub linear_pool: f64,
    /// Logarithmic opinion pool (normalised geometric mean); `None` when every hypothesis is
    /// ruled out by some analyst.
    pub log_pool: Option<f64>,
    /// max − min of the analysts' posteriors.
    pub range: f64,
    /// Population standard deviation of the analysts' posteriors.
    pub sd: f64,
    /// Each analyst's Monte Carlo 90% interval `[q05, q95]` of the posterior.
    pub intervals: ByAnalyst<[f64; 2]>,
    /// Each analyst's share of scenarios in which the hypothesis ranks first.
    pub p_top: ByAnalyst<f64>,
}

/// A family of hypotheses across the analysts (its posterior is its members' sum).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FamilyRow {
    /// Family id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Member hypothesis ids.
    pub members: Vec<String>,
    /// Posterior in the base case.
    pub base: f64,
    /// Posterior in each analyst's view.
    pub posteriors: ByAnalyst,
    /// The sum of the members' linear pools.
    pub linear_pool: f64,
    /// Each analyst's Monte Carlo 90% interval `[q05, q95]`.
    pub intervals: ByAnalyst<[f64; 2]>,
    /// Each analyst's share of scenarios whose leader is a member.
    pub p_top: ByAnalyst<f64>,
    /// The base case's share of scenarios whose leader is a member.
    pub base_p_top: f64,
}

/// One view (the base case or an analyst's) under its own uncertainty.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct View {
    /// The analyst's name (`base` for the base case).
    pub analyst: String,
    /// The leader at the point values.
    pub leader: String,
    /// Its point posterior.
    pub posterior: f64,
    /// Its Monte Carlo 5th percentile.
    pub q05: f64,
    /// Its Monte Carlo 95th percentile.
    pub q95: f64,
    /// Its share of scenarios at rank 1 (the view's leader stability).
    pub p_top: f64,
}

/// A hypothesis or family on which two analysts disagree beyond their own uncertainty: the
/// analyst whose 90% interval starts highest (`high`, its 5th percentile) lies wholly above
/// the one whose interval ends lowest (`low`, its 95th percentile).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disagreement {
    /// Hypothesis or family id.
    pub id: String,
    /// `"hypothesis"` or `"family"`.
    pub kind: &'static str,
    /// The analyst with the highest 5th percentile.
    pub high: String,
    /// That 5th percentile.
    pub high_q05: f64,
    /// The analyst with the lowest 95th percentile.
    pub low: String,
    /// That 95th percentile.
    pub low_q95: f64,
    /// `high_q05 − low_q95` (> 0): the gap between the two intervals.
    pub gap: f64,
}

/// An evidence cell whose contribution differs between analysts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Driver {
    /// Evidence id (`priors` for the centred log prior).
    pub evidence: String,
    /// Hypothesis id.
    pub hypothesis: String,
    /// max − min over the analysts of the contribution, in decibans.
    pub spread_db: f64,
    /// Each analyst's contribution C_ek in decibans (`None` where the hypothesis is ruled out).
    pub contributions_db: ByAnalyst,
}

/// The result of `abduce compare`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CompareSummary {
    /// `schema_version`, `case`, `command` = `"compare"`.
    #[serde(flatten)]
    pub header: Header,
    /// The case title.
    pub title: String,
    /// Analyst names, in the order given.
    pub analysts: Vec<String>,
    /// False when no hypothesis survives every analyst's view (the log pool is undefined).
    pub log_pool_defined: bool,
    /// Monte Carlo scenarios per view.
    pub samples: u64,
    /// Seed of every view's sweep.
    pub seed: u64,
    /// The base case under its uncertainty.
    pub base: View,
    /// Each analyst's view under its uncertainty, in analyst order.
    pub views: Vec<View>,
    /// Hypotheses sorted by the linear pool.
    pub hypotheses: Vec<HypothesisRow>,
    /// Families in declaration order.
    pub families: Vec<FamilyRow>,
    /// Where the analysts' 90% intervals do not overlap: hypotheses in the order of
    /// `hypotheses`, then families.
    pub disagreements: Vec<Disagreement>,
    /// The evidence cells with the largest contribution spread, at most [`MAX_DRIVERS`].
    pub drivers: Vec<Driver>,
    /// Notes for the reader (e.g. hypotheses some analyst rules out).
    pub warnings: Vec<String>,
}

/// Contributions C_ek in decibans over the live set of one scoring (docs/reference.md §3.4, computed by
/// [`explain::explain_items`]), plus the centred log prior as a last row: `None` for
/// hypotheses that are not live.
fn contributions(case: &Case, s: &Scores) -> Vec<Vec<Option<f64>>> {
    let mut rows: Vec<Vec<Option<f64>>> = explain::explain_items(s)
        .into_iter()
        .map(|x| x.contributions)
        .collect();
    rows.push(explain::contributions_db(s, 1.0, &bayes::log_priors(case)));
    rows
}

/// ln p_k of one scoring (−∞ for eliminated hypotheses).
fn log_posteriors(s: &Scores) -> Vec<f64> {
    let max = s
        .log_scores
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let lse = max
        + s.log_scores
            .iter()
            .map(|x| (x - max).exp())
            .sum::<f64>()
            .ln();
    s.log_scores.iter().map(|x| x - lse).collect()
}

/// [`compare_with`] with [`DEFAULT_SAMPLES`] scenarios per view from seed 0.
///
/// # Errors
/// As [`compare_with`].
pub fn compare(base: &Case, analysts: &[(String, Case)]) -> Result<CompareSummary, Error> {
    compare_with(base, analysts, DEFAULT_SAMPLES, 0, &|_| {})
}

/// The error `e` of analyst `name`'s view, naming the analyst.
fn in_view(name: &str, e: Error) -> Error {
    Failure::InView {
        name: name.to_string(),
        source: Box::new(e),
    }
    .into()
}

/// Runs the Monte Carlo sweep of one view; errors name the analyst.
fn sweep(
    name: Option<&str>,
    case: &Case,
    samples: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<MonteCarloSummary, Error> {
    match monte_carlo::run(case, samples, seed, None, progress) {
        Ok(McOutput::Summary(s)) => Ok(s),
        Ok(McOutput::Partial(_)) => unreachable!("a run without a shard gives a summary"),
        Err(Error::Usage(m)) => Err(Error::Usage(m)),
        Err(e) => Err(match name {
            Some(name) => in_view(name, e),
            None => e,
        }),
    }
}

/// Values in analyst order, keyed by the analysts' names.
fn by_analyst<T>(names: &[String], vals: Vec<T>) -> ByAnalyst<T> {
    ByAnalyst(names.iter().cloned().zip(vals).collect())
}

/// A view's leader under its uncertainty.
fn view(analyst: &str, case: &Case, s: &Scores, mc: &MonteCarloSummary) -> View {
    let leader = s.leader();
    let row = &mc.hypotheses[0];
    debug_assert_eq!(row.id, case.hypotheses[leader].id, "point-rank order");
    View {
        analyst: analyst.to_string(),
        leader: row.id.clone(),
        posterior: s.posteriors[leader],
        q05: row.q05,
        q95: row.q95,
        p_top: row.p_top,
    }
}

/// The disagreement on one quantity, if two analysts' 90% intervals `[q05, q95]` do not
/// overlap: the highest q05 against the lowest q95 (ties: the first analyst).
fn disagreement(id: &str, kind: &'static str, iv: &ByAnalyst<[f64; 2]>) -> Option<Disagreement> {
    let high =
        iv.0.iter()
            .reduce(|a, b| if b.1[0] > a.1[0] { b } else { a })?;
    let low =
        iv.0.iter()
            .reduce(|a, b| if b.1[1] < a.1[1] { b } else { a })?;
    (high.1[0] > low.1[1]).then(|| Disagreement {
        id: id.to_string(),
        kind,
        high: high.0.clone(),
        high_q05: high.1[0],
        low: low.0.clone(),
        low_q95: low.1[1],
        gap: high.1[0] - low.1[1],
    })
}

/// Scores the base and every analyst's case and pools the analysts.
///
/// # Formula
/// With n analysts and posteriors p_ik:
/// linear pool `P_k = (1/n) Σ_i p_ik`; logarithmic pool
/// `L_k ∝ exp((1/n) Σ_i ln p_ik)`, normalised over k (0 when some p_ik = 0);
/// range `max_i p_ik − min_i p_ik`; sd `√((1/n) Σ_i (p_ik − P_k)²)`; drivers: the spread
/// `max_i C_ek − min_i C_ek` (decibans, docs/reference.md §3.4) over the analysts for which k is live.
/// (Genest & Zidek 1986, "Combining probability distributions", Statistical Science 1(1).)
///
/// Each view (the base and every analyst's) then runs a Monte Carlo sweep of `samples`
/// scenarios from `seed`; `progress` is called with the scenarios done per chunk.
/// Two analysts disagree beyond their own uncertainty on a hypothesis (or family) when their
/// 90% intervals of its posterior do not overlap: with H the analyst of highest q05 and L the
/// one of lowest q95, q05_H > q95_L.
///
/// # Errors
/// No analyst, cases with different hypotheses or evidence, or a view in which every
/// hypothesis is eliminated (the error names the analyst); `samples` = 0.
pub fn compare_with(
    base: &Case,
    analysts: &[(String, Case)],
    samples: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CompareSummary, Error> {
    if analysts.is_empty() {
        return Err(Refused::NoAnalysts.into());
    }
    let same_shape = |c: &Case| {
        c.hypotheses.len() == base.hypotheses.len() && c.evidence.len() == base.evidence.len()
    };
    if let Some((name, _)) = analysts.iter().find(|(_, c)| !same_shape(c)) {
        return Err(Failure::AnalystShape { name: name.clone() }.into());
    }
    let base_scores = bayes::score(base)?;
    let mut scores = Vec::new();
    for (name, case) in analysts {
        scores.push(bayes::score(case).map_err(|e| in_view(name, e))?);
    }
    let base_mc = sweep(None, base, samples, seed, progress)?;
    let mut sweeps = Vec::new();
    for (name, case) in analysts {
        sweeps.push(sweep(Some(name), case, samples, seed, progress)?);
    }
    let n = analysts.len() as f64;
    let kk = base.hypotheses.len();
    let names: Vec<String> = analysts.iter().map(|(n, _)| n.clone()).collect();
    let by = |vals: Vec<Option<f64>>| ByAnalyst(names.iter().cloned().zip(vals).collect());
    let mc_row = |mc: &MonteCarloSummary, id: &str| {
        let h = (mc.hypotheses.iter().find(|h| h.id == id)).expect("every hypothesis is swept");
        ([h.q05, h.q95], h.p_top)
    };

    let linear: Vec<f64> = (0..kk)
        .map(|k| scores.iter().map(|s| s.posteriors[k]).sum::<f64>() / n)
        .collect();
    let logs: Vec<Vec<f64>> = scores.iter().map(log_posteriors).collect();
    let mean_log: Vec<f64> = (0..kk)
        .map(|k| {
            if logs.iter().any(|l| l[k] == f64::NEG_INFINITY) {
                f64::NEG_INFINITY
            } else {
                logs.iter().map(|l| l[k]).sum::<f64>() / n
            }
        })
        .collect();
    let log_pool_defined = mean_log.iter().any(|x| *x > f64::NEG_INFINITY);
    let log_pool = log_pool_defined.then(|| bayes::posteriors_from_log(&mean_log));

    let mut warnings = Vec::new();
    if !log_pool_defined {
        warnings.push(
            "every hypothesis is ruled out by at least one analyst: the logarithmic pool is undefined"
                .to_string(),
        );
    }
    for (k, h) in base.hypotheses.iter().enumerate() {
        let out: Vec<&str> = names
            .iter()
            .zip(&scores)
            .filter(|(_, s)| !s.is_live(k))
            .map(|(n, _)| n.as_str())
            .collect();
        if !out.is_empty() && log_pool_defined {
            warnings.push(format!(
                "`{}` is ruled out by {}: 0 in the logarithmic pool",
                h.id,
                out.join(", ")
            ));
        }
    }

    let order = bayes::rank_order(&linear);
    let hypotheses: Vec<HypothesisRow> = order
        .iter()
        .enumerate()
        .map(|(r, &k)| {
            let p: Vec<f64> = scores.iter().map(|s| s.posteriors[k]).collect();
            let max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let min = p.iter().copied().fold(f64::INFINITY, f64::min);
            let var = p.iter().map(|x| (x - linear[k]).powi(2)).sum::<f64>() / n;
            let id = &base.hypotheses[k].id;
            let stats: Vec<([f64; 2], f64)> = sweeps.iter().map(|mc| mc_row(mc, id)).collect();
            HypothesisRow {
                intervals: by_analyst(&names, stats.iter().map(|s| s.0).collect()),
                p_top: by_analyst(&names, stats.iter().map(|s| s.1).collect()),
                id: base.hypotheses[k].id.clone(),
                title: base.hypotheses[k].title.clone(),
                rank: r + 1,
                base: base_scores.posteriors[k],
                posteriors: by(p.into_iter().map(Some).collect()),
                linear_pool: linear[k],
                log_pool: log_pool.as_ref().map(|l| l[k]),
                range: max - min,
                sd: var.sqrt(),
            }
        })
        .collect();

    let contribs: Vec<Vec<Vec<Option<f64>>>> = analysts
        .iter()
        .zip(&scores)
        .map(|((_, c), s)| contributions(c, s))
        .collect();
    let mut drivers = Vec::new();
    for e in 0..=base.evidence.len() {
        for k in 0..kk {
            let vals: Vec<Option<f64>> = contribs.iter().map(|c| c[e][k]).collect();
            let live: Vec<f64> = vals.iter().flatten().copied().collect();
            if live.len() < 2 {
                continue;
            }
            let spread = live.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                - live.iter().copied().fold(f64::INFINITY, f64::min);
            if spread > 1e-9 {
                drivers.push(Driver {
                    evidence: base
                        .evidence
                        .get(e)
                        .map_or("priors".to_string(), |x| x.id.clone()),
                    hypothesis: base.hypotheses[k].id.clone(),
                    spread_db: spread,
                    contributions_db: by(vals),
                });
            }
        }
    }
    // Stable sort: ties keep declaration order (items, then hypotheses).
    drivers.sort_by(|a, b| b.spread_db.total_cmp(&a.spread_db));
    drivers.truncate(MAX_DRIVERS);

    let families: Vec<FamilyRow> = (base.families.iter().enumerate())
        .map(|(f, fam)| {
            let stats: Vec<([f64; 2], f64)> = (sweeps.iter())
                .map(|mc| {
                    (
                        [mc.families[f].q05, mc.families[f].q95],
                        mc.families[f].p_top,
                    )
                })
                .collect();
            FamilyRow {
                id: fam.id.clone(),
                title: fam.title.clone(),
                members: (fam.members.iter())
                    .map(|&k| base.hypotheses[k].id.clone())
                    .collect(),
                base: fam.posterior(&base_scores.posteriors),
                posteriors: by(scores
                    .iter()
                    .map(|s| Some(fam.posterior(&s.posteriors)))
                    .collect()),
                linear_pool: fam.posterior(&linear),
                intervals: by_analyst(&names, stats.iter().map(|s| s.0).collect()),
                p_top: by_analyst(&names, stats.iter().map(|s| s.1).collect()),
                base_p_top: base_mc.families[f].p_top,
            }
        })
        .collect();
    let disagreements = (hypotheses.iter())
        .filter_map(|h: &HypothesisRow| disagreement(&h.id, "hypothesis", &h.intervals))
        .chain((families.iter()).filter_map(|f| disagreement(&f.id, "family", &f.intervals)))
        .collect();
    // Provenance: the case's digest, every analyst's overlay in order, then the --sets.
    let mut header = Header::new(base, "compare");
    let overlays = (analysts.iter())
        .flat_map(|(_, c)| &c.provenance.variants)
        .filter(|v| matches!(v, Variant::Overlay { .. }));
    let sets = (base.provenance.variants.iter()).filter(|v| matches!(v, Variant::Set { .. }));
    header.provenance.variants = overlays.chain(sets).cloned().collect();
    Ok(CompareSummary {
        header,
        title: base.title.clone(),
        analysts: names,
        log_pool_defined,
        samples,
        seed,
        base: view("base", base, &base_scores, &base_mc),
        views: (analysts.iter().zip(&scores).zip(&sweeps))
            .map(|(((name, case), s), mc)| view(name, case, s, mc))
            .collect(),
        hypotheses,
        families,
        disagreements,
        drivers,
        warnings,
    })
}
