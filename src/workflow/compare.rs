//! `abduce compare`: several analysts' variants of one case, scored side by side, pooled, and
//! their disagreement traced to the evidence cells behind it.
//!
//! Each analyst is the base case with one overlay applied (overlays do not stack). The base
//! is shown for reference; pools and disagreement are over the analysts only.

use crate::render::fmt::{db, fixed, percent1, points1};
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::case::Case;
use crate::error::Error;
use crate::output::{Document, Header};
use crate::score::bayes::{self, Scores};
use crate::score::explain;

/// How many evidence cells [`CompareSummary::drivers`] lists at most.
pub const MAX_DRIVERS: usize = 10;

/// Values keyed by analyst, serialised as a JSON object in analyst order.
#[derive(Debug, Clone, PartialEq)]
pub struct ByAnalyst(pub Vec<(String, Option<f64>)>);

impl Serialize for ByAnalyst {
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
    /// Hypotheses sorted by the linear pool.
    pub hypotheses: Vec<HypothesisRow>,
    /// The evidence cells with the largest contribution spread, at most [`MAX_DRIVERS`].
    pub drivers: Vec<Driver>,
    /// Notes for the reader (e.g. hypotheses some analyst rules out).
    pub warnings: Vec<String>,
}

/// Contributions C_ek in decibans over the live set of one scoring (SPEC §3.4, computed by
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

/// Scores the base and every analyst's case and pools the analysts.
///
/// # Formula
/// With n analysts and posteriors p_ik:
/// linear pool `P_k = (1/n) Σ_i p_ik`; logarithmic pool
/// `L_k ∝ exp((1/n) Σ_i ln p_ik)`, normalised over k (0 when some p_ik = 0);
/// range `max_i p_ik − min_i p_ik`; sd `√((1/n) Σ_i (p_ik − P_k)²)`; drivers: the spread
/// `max_i C_ek − min_i C_ek` (decibans, SPEC §3.4) over the analysts for which k is live.
/// (Genest & Zidek 1986, "Combining probability distributions", Statistical Science 1(1).)
///
/// # Errors
/// No analyst, cases with different hypotheses or evidence, or a view in which every
/// hypothesis is eliminated (the error names the analyst).
pub fn compare(base: &Case, analysts: &[(String, Case)]) -> Result<CompareSummary, Error> {
    if analysts.is_empty() {
        return Err(Error::Usage(
            "compare needs at least one analyst: --overlay FILE (one per analyst)".into(),
        ));
    }
    let same_shape = |c: &Case| {
        c.hypotheses.len() == base.hypotheses.len() && c.evidence.len() == base.evidence.len()
    };
    if let Some((name, _)) = analysts.iter().find(|(_, c)| !same_shape(c)) {
        return Err(Error::msg(format!(
            "analyst `{name}` does not have the base case's hypotheses and evidence"
        )));
    }
    let base_scores = bayes::score(base)?;
    let mut scores = Vec::new();
    for (name, case) in analysts {
        scores.push(bayes::score(case).map_err(|e| {
            Error::msg(format!(
                "in analyst `{name}`'s view: {}",
                e.to_string().trim_end()
            ))
        })?);
    }
    let n = analysts.len() as f64;
    let kk = base.hypotheses.len();
    let names: Vec<String> = analysts.iter().map(|(n, _)| n.clone()).collect();
    let by = |vals: Vec<Option<f64>>| ByAnalyst(names.iter().cloned().zip(vals).collect());

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
    let hypotheses = order
        .iter()
        .enumerate()
        .map(|(r, &k)| {
            let p: Vec<f64> = scores.iter().map(|s| s.posteriors[k]).collect();
            let max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let min = p.iter().copied().fold(f64::INFINITY, f64::min);
            let var = p.iter().map(|x| (x - linear[k]).powi(2)).sum::<f64>() / n;
            HypothesisRow {
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

    Ok(CompareSummary {
        header: Header::new(&base.name, "compare"),
        title: base.title.clone(),
        analysts: names,
        log_pool_defined,
        hypotheses,
        drivers,
        warnings,
    })
}

fn cell(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map_or("—".to_string(), f)
}

impl Document for CompareSummary {
    fn markdown(&self) -> String {
        let p = percent1;
        let mut out = format!("# Analysts compared: {}\n\n", self.title);
        out += &format!(
            "{} analyst view(s), each the base case with one overlay, scored separately. \
             Pools give every analyst equal weight; range and SD measure their disagreement.\n\n",
            self.analysts.len()
        );
        out += "| Hypothesis | Base |";
        for a in &self.analysts {
            out += &format!(" {a} |");
        }
        out += " Linear pool | Log pool | Range (points) | SD (points) |\n|---|---:|";
        out += &"---:|".repeat(self.analysts.len() + 4);
        out += "\n";
        for h in &self.hypotheses {
            out += &format!("| {} | {} |", h.id, p(h.base));
            for (_, v) in &h.posteriors.0 {
                out += &format!(" {} |", cell(*v, p));
            }
            out += &format!(
                " {} | {} | {} | {} |\n",
                p(h.linear_pool),
                cell(h.log_pool, p),
                points1(h.range),
                points1(h.sd)
            );
        }
        out += "\n## Where the analysts differ\n\n";
        if self.drivers.is_empty() {
            out += "No evidence cell contributes differently between the analysts.\n";
        } else {
            out += "Contributions to each hypothesis in decibans (dB), largest spread first.\n\n";
            out += "| Evidence | Hypothesis | Spread (dB) |";
            for a in &self.analysts {
                out += &format!(" {a} |");
            }
            out += "\n|---|---|---:|";
            out += &"---:|".repeat(self.analysts.len());
            out += "\n";
            for d in &self.drivers {
                out += &format!(
                    "| {} | {} | {} |",
                    d.evidence,
                    d.hypothesis,
                    fixed(d.spread_db, 1)
                );
                for (_, v) in &d.contributions_db.0 {
                    out += &format!(" {} |", cell(*v, db));
                }
                out += "\n";
            }
        }
        if !self.warnings.is_empty() {
            out += "\n";
            for w in &self.warnings {
                out += &format!("- {w}\n");
            }
        }
        out
    }

    fn csv_list(&self) -> &'static str {
        "hypotheses"
    }
}
