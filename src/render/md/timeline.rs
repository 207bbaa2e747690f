//! The `timeline` document: the posterior after each date of reporting.

use crate::render::{Csv, Document};
use crate::score::explain::HypMap;
use crate::score::timeline::{TimelinePoint, TimelineSummary};
use crate::text::fmt::percent1 as percent;
use crate::text::markup::md_cell;

impl Document for TimelineSummary {
    fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n## Timeline\n\n", md_cell(&self.title));
        if self.points.is_empty() {
            out += "No counted evidence item is dated.\n";
            return out;
        }
        out += "The posterior after each date, counting the items dated up to that day and \
                every undated item.\n\n| Date |";
        for (id, _) in &self.hypotheses {
            out += &format!(" `{id}` |");
        }
        out += "\n|---|";
        out += &"---:|".repeat(self.hypotheses.len());
        out += "\n";
        for p in &self.points {
            out += &format!("| {} |", p.date);
            for (_, x) in &p.posteriors.0 {
                out += &format!(" {} |", percent(*x));
            }
            out += "\n";
        }
        out += "\n";
        for (id, title) in &self.hypotheses {
            out += &format!("- `{id}`: {}\n", md_cell(title));
        }
        out
    }

    fn csv(&self) -> Csv {
        let posteriors = HypMap(
            self.hypotheses
                .iter()
                .map(|(id, _)| (id.clone(), 0.0))
                .collect(),
        );
        Csv::rows(&self.points).or_header_of(&TimelinePoint {
            date: String::new(),
            posteriors,
        })
    }
}
