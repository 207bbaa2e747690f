//! Analytic confidence, kept apart from the likelihood as ICD 203 asks.
//!
//! The likelihood ("*likely*, 64%") says how probable the leading hypothesis is; the analytic
//! confidence (high / moderate / low) says how sound the basis of that judgment is. It is
//! graded from three factors of the report, each rated on its own, by an explicit rule:
//!
//! | factor | high | moderate | low |
//! |---|---|---|---|
//! | (a) stability: the leader's `p_top` in the Monte Carlo sweep | ≥ 0.90 | 0.60 – 0.90 | < 0.60 |
//! | (b) critical items (leave-one-out changes the leader) | 0 | 1 | ≥ 2 |
//! | (c) carrying credibility (below) | ≥ 0.75 | 0.50 – 0.75 | < 0.50, or no supporting item |
//!
//! The confidence is **low** when any factor is low, **high** when every factor is high, and
//! **moderate** otherwise.
//!
//! The *carrying credibility* is the contribution-weighted mean credibility of the items that
//! support the leader (contribution C_e,leader > 0, SPEC §3.4):
//! Σ C_e,leader · c_e / Σ C_e,leader over those items.

use serde::Serialize;

use super::summary::{Report, percent, thousands};

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
    /// One sentence per factor, in order (a) stability, (b) critical items, (c) credibility.
    pub reasons: Vec<String>,
    /// The contribution-weighted mean credibility of the items supporting the leader;
    /// `None` when no item supports it.
    pub carrying_credibility: Option<f64>,
}

/// The contribution-weighted mean credibility of the evidence that supports the leader.
///
/// # Formula
/// c̄ = Σ_{e: C_e > 0} C_e · c_e / Σ_{e: C_e > 0} C_e, with C_e the contribution of item e to
/// the leader (SPEC §3.4) and c_e its credibility. `None` when no item has C_e > 0.
///
/// Reference: the weighting follows the contributions of SPEC §3.4; credibility as in Schum,
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

    let level = if [a, b, c].contains(&Level::Low) {
        Level::Low
    } else if a == Level::High && b == Level::High && c == Level::High {
        Level::High
    } else {
        Level::Moderate
    };
    Confidence {
        level,
        reasons: vec![reason_a, reason_b, reason_c],
        carrying_credibility: carrying,
    }
}

/// `"a"`, `"a and b"`, `"a, b and c"`.
pub(crate) fn join_and<'a>(items: impl Iterator<Item = &'a str>) -> String {
    join_with(items, "and")
}

/// "a", "a or b", "a, b or c".
pub(crate) fn join_or<'a>(items: impl Iterator<Item = &'a str>) -> String {
    join_with(items, "or")
}

fn join_with<'a>(items: impl Iterator<Item = &'a str>, word: &str) -> String {
    let v: Vec<&str> = items.collect();
    match v.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}
