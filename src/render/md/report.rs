//! The `report` document (`docs/report.md`): Markdown ([`super::super::report_md`]), HTML
//! ([`crate::render::html`]), JSON (the report's [`Serialize`](serde::Serialize) view) and CSV
//! (one row per hypothesis, then the families).

use crate::render::{Csv, Document};
use crate::report::{RankedHypothesis, Report};

impl Document for Report {
    fn markdown(&self) -> String {
        crate::report::markdown::render(self)
    }

    fn csv(&self) -> Csv {
        Csv::rows(&self.hypotheses)
            .and_families(&self.families)
            .or_header_of(&RankedHypothesis::default())
    }

    fn html(&self) -> Option<String> {
        Some(crate::report::html::render(self))
    }
}
