//! The data of the ACH matrix — one row per evidence item, with its contribution to each
//! hypothesis in decibans, its diagnosticity and its weight for the leader over the runner-up
//! (`docs/report.md`, "The matrix"). The report carries these rows ([`crate::report::Report`]);
//! the rendering layer (`render::matrix`) assembles them into the printed matrix.

use super::explain::NON_DIAGNOSTIC_DB;

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
