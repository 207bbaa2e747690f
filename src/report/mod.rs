//! The ranked attribution summary (`report`): its data ([`Report`]), the judgment written
//! from it (headline, analytic confidence, method), and its renderings (Markdown, JSON,
//! HTML with inline SVG charts).
//!
//! This module does no Bayesian mathematics: [`build`] gathers the numbers from the scorer,
//! the sweeps, the indicators and the timeline; see `docs/report.md` for the judgment rules.

mod build;
pub mod confidence;
pub mod html;
pub mod markdown;
pub mod summary;
pub mod svg;

pub use build::{DEFAULT_SAMPLES, build, default_samples, samples_for_quantities};
pub use confidence::{Confidence, Level};
pub use summary::{
    CriticalItem, EvidenceRow, FamilyRow, Indicator, Markup, RankedHypothesis, Report, SourceItem,
    SourceRow, TimelinePoint, TippingPoint, TornadoBar,
};

use crate::output::Document;

impl Document for Report {
    fn markdown(&self) -> String {
        markdown::render(self)
    }

    fn csv_list(&self) -> &'static str {
        "hypotheses"
    }

    fn csv_extra_rows(&self) -> Vec<serde_json::Value> {
        crate::output::family_rows(&self.families)
    }

    fn csv_template(&self) -> Option<serde_json::Value> {
        serde_json::to_value(RankedHypothesis::default()).ok()
    }

    fn html(&self) -> Option<String> {
        Some(html::render(self))
    }
}
