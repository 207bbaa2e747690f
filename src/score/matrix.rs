//! The data of the ACH matrix — one row per evidence item, with its contribution to each
//! hypothesis in decibans, its diagnosticity and its weight for the leader over the runner-up
//! (`docs/report.md`, "The matrix"), made from the `score` document ([`rows`]). The report
//! carries these rows ([`crate::report::Report`]); the rendering layer (`render::matrix`)
//! assembles them into the printed matrix.

use super::ach;
use super::explain::{NON_DIAGNOSTIC_DB, ScoreSummary};
use crate::case::Case;

/// A row of the matrix: one evidence item.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Evidence id.
    pub id: String,
    /// Evidence title (the id when it has none).
    pub title: String,
    /// `observed`, `absent`, `pending` or `retracted`.
    pub status: String,
    /// ω_e, 0 for an item that does not count.
    pub effective_weight: f64,
    /// Diagnosticity in dB.
    pub diagnosticity_db: f64,
    /// Weight for the leader over the runner-up in dB; `None` without a live runner-up.
    pub leader_vs_runner_up_db: Option<f64>,
    /// Contribution to each column's hypothesis in dB (same order as the columns); `None`
    /// for an eliminated hypothesis.
    pub contributions_db: Vec<Option<f64>>,
}

impl Row {
    /// A counted item below [`NON_DIAGNOSTIC_DB`] of diagnosticity.
    pub fn non_diagnostic(&self) -> bool {
        self.effective_weight > 0.0 && self.diagnosticity_db < NON_DIAGNOSTIC_DB
    }
}

/// The rows of the matrix of a `score` document: every item, declaration order, with its
/// contributions in the document's rank order and its title from `case` (the id when it has
/// none).
pub fn rows(score: &ScoreSummary, case: &Case) -> Vec<Row> {
    // Every item's contributions share one key order: find each hypothesis's place once.
    let place: Vec<Option<usize>> = match score.evidence.first() {
        Some(e) => (score.hypotheses.iter())
            .map(|h| e.contributions_db.0.iter().position(|(id, _)| *id == h.id))
            .collect(),
        None => Vec::new(),
    };
    let titles = case.item_titles();
    (score.evidence.iter())
        .map(|e| Row {
            id: e.basics.id.clone(),
            title: titles
                .get(e.basics.id.as_str())
                .map_or_else(|| e.basics.id.clone(), |t| t.to_string()),
            status: e.basics.status.to_string(),
            effective_weight: e.effective_weight,
            diagnosticity_db: e.diagnosticity_db,
            leader_vs_runner_up_db: e.leader_vs_runner_up_db,
            contributions_db: (place.iter())
                .map(|p| p.and_then(|p| e.contributions_db.0.get(p)?.1))
                .collect(),
        })
        .collect()
}

/// The ACH inconsistency of each hypothesis of a `score` document, in its rank order: the
/// matrix's comparison row.
pub fn ach_inconsistency(score: &ScoreSummary, case: &Case) -> Vec<f64> {
    let inconsistency = ach::ach(case).inconsistency;
    (score.hypotheses.iter())
        .filter_map(|h| case.hypothesis_index(&h.id).map(|k| inconsistency[k]))
        .collect()
}
