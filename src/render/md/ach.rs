//! The `score --method ach` document: hypotheses by weighted inconsistency and the rating matrix.

use crate::case::Case;
use crate::render::{CaseDocument, Csv};
use crate::score::ach::AchSummary;
use crate::text::fmt::fixed;
use crate::text::markup::{md_cell, named};

impl CaseDocument for AchSummary {
    fn markdown(&self, case: &Case) -> String {
        let titles = case.item_titles();
        let mut out = format!("# {}\n\n", md_cell(&case.title));
        out += "## Ranked hypotheses (ACH weighted inconsistency)\n\n";
        out += "Lower is better: each I costs 1 point and each II 2, times the item's weight \
                (credibility factor × weight). No priors and no estimative terms.\n\n";
        out += "| Rank | Hypothesis | Weighted inconsistency |\n|---:|---|---:|\n";
        for h in &self.hypotheses {
            out += &format!(
                "| {} | {} | {} |\n",
                h.rank,
                named(&h.title, &h.id),
                fixed(h.inconsistency, 2)
            );
        }
        out += "\n## Matrix\n\n| Evidence | Status | Weight |";
        for h in &self.hypotheses {
            out += &format!(" `{}` |", h.id);
        }
        out += "\n|---|---|---:|";
        out += &"---|".repeat(self.hypotheses.len());
        out += "\n";
        for e in &self.evidence {
            let name = match titles.get(e.basics.id.as_str()) {
                Some(t) => named(t, &e.basics.id),
                None => format!("`{}`", e.basics.id),
            };
            out += &format!(
                "| {name} | {} | {} |",
                e.basics.status,
                fixed(e.effective_weight, 2)
            );
            for h in &self.hypotheses {
                let r = e
                    .ratings
                    .0
                    .iter()
                    .find(|(id, _)| *id == h.id)
                    .map_or("", |(_, r)| *r);
                out += &format!(" {r} |");
            }
            out += "\n";
        }
        out
    }

    fn csv(&self, _: &Case) -> Csv {
        Csv::rows(&self.hypotheses)
    }
}
