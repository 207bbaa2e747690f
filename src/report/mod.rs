//! The ranked attribution summary (`report`): its data ([`Report`]), the judgment written
//! from it (headline, analytic confidence, method), and its renderings (Markdown, JSON,
//! HTML with inline SVG charts).
//!
//! This module does no Bayesian mathematics: [`build`] gathers the numbers from the scorer,
//! the sweeps, the indicators and the timeline; see `docs/report.md` for the judgment rules.

mod build;
pub mod confidence;
mod json;
pub mod judgment;
pub mod summary;

pub use build::{DEFAULT_SAMPLES, build, default_samples, samples_for_quantities};
pub use confidence::{Confidence, Level};
pub use judgment::PLAIN_LEADER_THRESHOLD;
pub use summary::{
    CriticalItem, EvidenceRow, FamilyRow, Indicator, Markup, RankedHypothesis, Report, SourceItem,
    SourceRow, TimelinePoint, TippingPoint, TornadoBar,
};
