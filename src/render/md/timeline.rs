//! The `timeline` document: the posterior after each date of reporting.

use crate::case::Case;
use crate::render::{CaseDocument, Csv};
use crate::score::explain::HypMap;
use crate::score::timeline::{TimelinePoint, TimelineSummary};
use crate::text::fmt::percent1 as percent;
use crate::text::markup::md_cell;

impl CaseDocument for TimelineSummary {
    fn markdown(&self, case: &Case) -> String {
        let mut out = format!("# {}\n\n## Timeline\n\n", md_cell(&case.title));
        if self.points.is_empty() {
            out += "No counted evidence item is dated.\n";
            return out;
        }
        out += "The posterior after each date, counting the items dated up to that day and \
                every undated item.\n\n| Date |";
        for h in &case.hypotheses {
            out += &format!(" `{}` |", h.id);
        }
        out += "\n|---|";
        out += &"---:|".repeat(case.hypotheses.len());
        out += "\n";
        for p in &self.points {
            out += &format!("| {} |", p.date);
            for (_, x) in &p.posteriors.0 {
                out += &format!(" {} |", percent(*x));
            }
            out += "\n";
        }
        out += "\n";
        for h in &case.hypotheses {
            out += &format!("- `{}`: {}\n", h.id, md_cell(&h.title));
        }
        out
    }

    /// With no point, the header names the case's hypotheses.
    fn csv(&self, case: &Case) -> Csv {
        let posteriors = HypMap(
            case.hypotheses
                .iter()
                .map(|h| (h.id.clone(), 0.0))
                .collect(),
        );
        Csv::rows(&self.points).or_header_of(&TimelinePoint {
            date: String::new(),
            posteriors,
        })
    }
}
