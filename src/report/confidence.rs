//! Analytic confidence, kept apart from the likelihood as ICD 203 asks.
//!
//! The likelihood ("*likely*, 64%") says how probable the leading hypothesis is; the analytic
//! confidence (high / moderate / low) says how sound the basis of that judgment is. It is
//! graded from six factors of the report, each rated on its own, by an explicit rule
//! (`docs/report.md`, "Analytic confidence", with worked examples):
//!
//! | factor | high | moderate | low |
//! |---|---|---|---|
//! | (a) stability: the leader's `p_top` in the Monte Carlo sweep | ≥ 0.90 | 0.60 – 0.90 | < 0.60 |
//! | (b) critical items (leave-one-out changes the leader) | 0 | 1 | ≥ 2 |
//! | (c) carrying credibility (below) | ≥ 0.75 | 0.50 – 0.75 | < 0.50, or no supporting item |
//! | (d) the priors' share of the lead over the runner-up | < 0.25 | 0.25 – 0.50 | ≥ 0.50, or another leader with equal priors |
//! | (e) independent lines carrying the lead; the largest one's share | ≥ 3 and ≤ 0.50 | 2, or ≤ 0.75 | ≤ 1, or > 0.75 |
//! | (f) the smallest change of one item's weight that tips the leader | ≥ 3× (or 1/3×) | 1.5× – 3× | < 1.5× (or > 1/1.5×) |
//!
//! The confidence is **low** when any factor is low, **high** when every factor is high, and
//! **moderate** otherwise.
//!
//! The *carrying credibility* is the contribution-weighted mean credibility of the items that
//! support the leader (contribution C_e,leader > 0, `docs/model.md` §2):
//! Σ C_e,leader · c_e / Σ C_e,leader over those items.

use serde::Serialize;

use super::summary::Report;
use crate::text::fmt::{db, fixed, multiplier, percent, thousands};
use crate::text::markup::{capitalise, join_or};

/// Stability at or above which factor (a) is high.
pub const STABILITY_HIGH: f64 = 0.9;
/// Stability below which factor (a) is low.
pub const STABILITY_LOW: f64 = 0.6;
/// Carrying credibility at or above which factor (c) is high.
pub const CREDIBILITY_HIGH: f64 = 0.75;
/// Carrying credibility below which factor (c) is low.
pub const CREDIBILITY_LOW: f64 = 0.5;
/// Number of critical items at or above which factor (b) is low.
pub const CRITICAL_LOW: usize = 2;
/// The priors' share of the lead below which factor (d) is high.
pub const PRIOR_SHARE_HIGH: f64 = 0.25;
/// The priors' share of the lead at or above which factor (d) is low.
pub const PRIOR_SHARE_LOW: f64 = 0.5;
/// Independent lines of reporting at or above which factor (e) can be high.
pub const LINES_HIGH: usize = 3;
/// The largest line's share of the lead above which factor (e) is at most moderate.
pub const LINE_SHARE_MODERATE: f64 = 0.5;
/// The largest line's share of the lead above which factor (e) is low.
pub const LINE_SHARE_LOW: f64 = 0.75;
/// The change of weight (as a factor, ≥ 1) below which factor (f) is low.
pub const TIP_LOW: f64 = 1.5;
/// The change of weight (as a factor, ≥ 1) at or above which factor (f) is high.
pub const TIP_HIGH: f64 = 3.0;

/// An analytic-confidence level (ICD 203).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Weak basis: the judgment could easily change.
    Low,
    /// Some basis, with a stated weakness.
    Moderate,
    /// Solid basis on every factor.
    High,
}

impl Level {
    /// `"high"`, `"moderate"` or `"low"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Moderate => "moderate",
            Level::High => "high",
        }
    }
}

/// The analytic confidence in a report's judgment, with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confidence {
    /// The overall level: the lowest of the three factors', except that it is high only
    /// when all three are high.
    pub level: Level,
    /// One sentence per factor, in order (a) stability, (b) critical items, (c) credibility,
    /// (d) priors, (e) independent lines, (f) smallest tipping change.
    pub reasons: Vec<String>,
    /// The level of each factor, in the same order as `reasons`.
    pub factors: Vec<Level>,
    /// Plain warnings for the bottom line: the judgment rests on the prior, or on one
    /// source; empty when neither.
    pub warnings: Vec<String>,
    /// The contribution-weighted mean credibility of the items supporting the leader;
    /// `None` when no item supports it.
    pub carrying_credibility: Option<f64>,
}

/// The contribution-weighted mean credibility of the evidence that supports the leader.
///
/// # Formula
/// c̄ = Σ_{e: C_e > 0} C_e · c_e / Σ_{e: C_e > 0} C_e, with C_e the contribution of item e to
/// the leader (docs/reference.md §3.4) and c_e its credibility. `None` when no item has C_e > 0.
///
/// Reference: the weighting follows the contributions of docs/reference.md §3.4; credibility as in Schum,
/// *The Evidential Foundations of Probabilistic Reasoning* (1994).
pub fn carrying_credibility(report: &Report) -> Option<f64> {
    let (num, den) = report
        .evidence
        .iter()
        .filter(|e| e.contribution_db > 0.0)
        .fold((0.0, 0.0), |(n, d), e| {
            (n + e.contribution_db * e.credibility, d + e.contribution_db)
        });
    (den > 0.0).then(|| num / den)
}

/// Grades the analytic confidence of `report` by the rule in the module documentation.
pub fn assess(report: &Report) -> Confidence {
    let stability = report.leader_stability;
    let scenarios = thousands(report.samples);
    let (a, reason_a) = if stability >= STABILITY_HIGH {
        (
            Level::High,
            format!(
                "The leader is stable: it ranks first in {} of {scenarios} Monte Carlo scenarios \
                 (at least 90%).",
                percent(stability)
            ),
        )
    } else if stability >= STABILITY_LOW {
        (
            Level::Moderate,
            format!(
                "The leader is fairly stable: it ranks first in {} of {scenarios} Monte Carlo \
                 scenarios (60% to 90%).",
                percent(stability)
            ),
        )
    } else {
        (
            Level::Low,
            format!(
                "The leader is unstable: it ranks first in only {} of {scenarios} Monte Carlo \
                 scenarios (below 60%).",
                percent(stability)
            ),
        )
    };

    let critical = &report.critical;
    let (b, reason_b) = match critical.len() {
        0 => (
            Level::High,
            "No single item is critical: removing any one evidence item leaves the leader in \
             place."
                .to_string(),
        ),
        1 => (
            Level::Moderate,
            format!(
                "One item is critical: without {}, {} would lead.",
                critical[0].id,
                report.hypothesis_title(&critical[0].new_leader)
            ),
        ),
        n => (
            Level::Low,
            format!(
                "{n} items are critical (two or more): removing {} changes the leader.",
                match critical.len() {
                    2 => format!("either {}", join_or(critical.iter().map(|c| c.id.as_str()))),
                    _ => format!(
                        "any one of {}",
                        join_or(critical.iter().map(|c| c.id.as_str()))
                    ),
                }
            ),
        ),
    };

    let carrying = carrying_credibility(report);
    let (c, reason_c) = match carrying {
        None => (
            Level::Low,
            "No evidence item supports the leader: its lead rests on the priors and on the \
             evidence against the other hypotheses."
                .to_string(),
        ),
        Some(m) if m >= CREDIBILITY_HIGH => (
            Level::High,
            format!(
                "The evidence that carries the leader is credible: its contribution-weighted \
                 mean credibility is {m:.2} (at least 0.75)."
            ),
        ),
        Some(m) if m >= CREDIBILITY_LOW => (
            Level::Moderate,
            format!(
                "The evidence that carries the leader is of middling credibility: its \
                 contribution-weighted mean credibility is {m:.2} (0.50 to 0.75)."
            ),
        ),
        Some(m) => (
            Level::Low,
            format!(
                "The evidence that carries the leader is of low credibility: its \
                 contribution-weighted mean credibility is {m:.2} (below 0.50)."
            ),
        ),
    };

    let (d, reason_d) = prior_factor(report);
    let lines = lines_of_reporting(report);
    let (e, reason_e) = lines_factor(report, &lines);
    let (f, reason_f) = tipping_factor(report);

    let factors = vec![a, b, c, d, e, f];
    let level = if factors.contains(&Level::Low) {
        Level::Low
    } else if factors.iter().all(|&x| x == Level::High) {
        Level::High
    } else {
        Level::Moderate
    };
    let mut warnings = Vec::new();
    if d == Level::Low {
        warnings.push("The judgment rests largely on the prior weights.".to_string());
    }
    if !lines.is_empty() && lines.len() <= 1 {
        warnings.push(format!(
            "The lead over the runner-up rests on one line of reporting ({}).",
            lines[0].name
        ));
    } else if lines.is_empty() {
        warnings.push("No evidence item favours the leader over the runner-up.".to_string());
    }
    Confidence {
        level,
        reasons: vec![reason_a, reason_b, reason_c, reason_d, reason_e, reason_f],
        factors,
        warnings,
        carrying_credibility: carrying,
    }
}

/// Factor (d): the priors' share of the lead over the runner-up, and whether the leader
/// stays first with equal priors.
fn prior_factor(report: &Report) -> (Level, String) {
    let equal = report.equal_priors_leader.as_deref();
    if let Some(other) = equal.filter(|&l| l != report.leader) {
        return (
            Level::Low,
            format!(
                "The lead rests on the prior weights: with equal priors, {} would lead \
                 instead.",
                report.hypothesis_title(other)
            ),
        );
    }
    let (Some(margin), Some(prior)) = (report.margin_db, report.prior_vs_runner_up_db) else {
        return (
            Level::High,
            "Every other hypothesis is eliminated by the evidence, whatever the priors."
                .to_string(),
        );
    };
    let share = if margin > 0.0 { prior / margin } else { 0.0 };
    let numbers = format!(
        "{} dB of the leader's {} dB lead over the runner-up",
        db(prior),
        fixed(margin, 1)
    );
    if share >= PRIOR_SHARE_LOW {
        (
            Level::Low,
            format!(
                "The lead rests largely on the prior weights: they give {numbers} ({}, half \
                 or more); with equal priors it would still be ahead of the runner-up by {} dB.",
                percent(share),
                fixed(margin - prior, 1)
            ),
        )
    } else if share >= PRIOR_SHARE_HIGH {
        (
            Level::Moderate,
            format!(
                "The prior weights give {numbers} ({}, a quarter to a half).",
                percent(share)
            ),
        )
    } else if prior == 0.0 {
        (
            Level::High,
            format!(
                "The lead comes from the evidence alone: the leader and the runner-up have \
                 equal priors (a lead of {} dB).",
                fixed(margin, 1)
            ),
        )
    } else if prior < 0.0 {
        (
            Level::High,
            format!(
                "The lead comes from the evidence: the prior weights favour the runner-up by \
                 {} dB, and the evidence overcomes that to give a lead of {} dB.",
                fixed(-prior, 1),
                fixed(margin, 1)
            ),
        )
    } else {
        (
            Level::High,
            format!(
                "The lead comes from the evidence: the prior weights give {numbers} ({}, \
                 under a quarter).",
                percent(share)
            ),
        )
    }
}

/// A line of reporting: items that favour the leader over the runner-up and are joined,
/// directly or through other items, by a shared source or group (they are not independent).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The line's name: its source or group id, or the item id of a lone unsourced item.
    pub name: String,
    /// Its items.
    pub items: Vec<String>,
    /// The leader-over-runner-up weight it carries, dB (sum over its items).
    pub weight_db: f64,
}

/// The independent lines of reporting that carry the lead (see [`Line`]), the heaviest
/// first (ties keep declaration order).
pub fn lines_of_reporting(report: &Report) -> Vec<Line> {
    let items: Vec<&super::summary::EvidenceRow> = report
        .evidence
        .iter()
        .filter(|e| e.weight() > 0.0)
        .collect();
    // Union–find over the items, joined by a shared source or group.
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for i in 0..items.len() {
        for j in 0..i {
            let shared = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
            if shared(&items[i].source, &items[j].source)
                || shared(&items[i].group, &items[j].group)
            {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut lines: Vec<(usize, Vec<&super::summary::EvidenceRow>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let r = root(&mut parent, i);
        match lines.iter_mut().find(|(root, _)| *root == r) {
            Some((_, line)) => line.push(item),
            None => lines.push((r, vec![item])),
        }
    }
    // A line is named by the group all its items share, else the source, else the sources
    // it joins ("a + b"), else its lone item.
    let name = |line: &[&super::summary::EvidenceRow]| {
        let shared = |f: fn(&super::summary::EvidenceRow) -> &Option<String>| {
            f(line[0])
                .clone()
                .filter(|x| line.iter().all(|e| f(e).as_ref() == Some(x)))
        };
        shared(|e| &e.group)
            .or_else(|| shared(|e| &e.source))
            .unwrap_or_else(|| {
                let mut names: Vec<&str> = Vec::new();
                for e in line {
                    let n = e.source.as_deref().unwrap_or(&e.id);
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                names.join(" + ")
            })
    };
    let lines = lines.into_iter().map(|(_, l)| Line {
        name: name(&l),
        items: l.iter().map(|e| e.id.clone()).collect(),
        weight_db: l.iter().map(|e| e.weight()).sum(),
    });
    let mut lines: Vec<Line> = lines.collect();
    lines.sort_by(|a, b| b.weight_db.total_cmp(&a.weight_db));
    lines
}

/// Factor (e): how many independent lines of reporting carry the lead, and the largest's
/// share of it.
fn lines_factor(report: &Report, lines: &[Line]) -> (Level, String) {
    let Some(first) = lines.first() else {
        return (
            Level::Low,
            "No evidence item favours the leader over the runner-up: the lead rests on the \
             priors alone."
                .to_string(),
        );
    };
    let total: f64 = lines.iter().map(|l| l.weight_db).sum();
    let share = first.weight_db / total;
    let n = lines.len();
    let what = if report.runner_up.is_some() {
        "the lead over the runner-up"
    } else {
        "the leader's support"
    };
    let count = match n {
        1 => "one line of reporting".to_string(),
        n => format!("{n} independent lines of reporting"),
    };
    let text = format!(
        "{} rests on {count} (items that share a source or a group count as one); the \
         largest, {}, carries {} of it",
        capitalise(what),
        first.name,
        percent(share)
    );
    if n <= 1 {
        (Level::Low, format!("{text} (one line)."))
    } else if share > LINE_SHARE_LOW {
        (Level::Low, format!("{text} (the largest over 75%)."))
    } else if n < LINES_HIGH {
        (Level::Moderate, format!("{text} (two lines)."))
    } else if share > LINE_SHARE_MODERATE {
        (Level::Moderate, format!("{text} (the largest over 50%)."))
    } else {
        (
            Level::High,
            format!("{text} (three or more lines, none over 50%)."),
        )
    }
}

/// The smallest change of one item's weight that tips the leader, as a factor ≥ 1
/// (a multiplier t < 1 counts as 1/t), with the item; `None` when no change tips it
/// (dropping an item entirely is factor (b)).
pub fn nearest_tip(report: &Report) -> Option<(f64, &str, f64)> {
    report
        .tipping
        .iter()
        .flat_map(|t| {
            [
                t.lower.filter(|&x| x > 0.0).map(|x| (1.0 / x, x)),
                t.upper.map(|x| (x, x)),
            ]
            .into_iter()
            .flatten()
            .map(move |(f, x)| (f, t.id.as_str(), x))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// Factor (f): how small a change of one item's weight tips the leader.
fn tipping_factor(report: &Report) -> (Level, String) {
    let Some((f, id, t)) = nearest_tip(report) else {
        return (
            Level::High,
            "No change of any one item's weight short of dropping it tips the leader.".to_string(),
        );
    };
    let text = format!(
        "The smallest change that tips the leader is the weight of {id} at {}",
        multiplier(t)
    );
    if f < TIP_LOW {
        (Level::Low, format!("{text} (within 1.5× of its value)."))
    } else if f < TIP_HIGH {
        (
            Level::Moderate,
            format!("{text} (1.5× to 3× from its value)."),
        )
    } else {
        (Level::High, format!("{text} (3× or more from its value)."))
    }
}
