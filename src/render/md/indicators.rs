//! The `indicators` document: pending items ranked by expected information gain.

use crate::case::Case;
use crate::indicators::{Indicator, IndicatorsSummary};
use crate::render::{CaseDocument, Csv};
use crate::score::bayes;
use crate::text::fmt::{fixed, percent1};
use crate::text::markup::{md_cell, named};

impl CaseDocument for IndicatorsSummary {
    fn markdown(&self, case: &Case) -> String {
        let mut out = format!(
            "# {}\n\n## Indicators: what to look for next\n\n",
            md_cell(&case.title)
        );
        if self.indicators.is_empty() {
            out += "No pending item to check (mark items `status = \"pending\"` to rank them).\n";
            return out;
        }
        // The document exists only for a case that scores (the leader is not part of its
        // data); with a case it was not made from, the leader may be missing.
        let (id, title) = bayes::score(case).map_or(("", ""), |s| {
            let h = &case.hypotheses[s.leader()];
            (h.id.as_str(), h.title.as_str())
        });
        let titles = case.item_titles();
        out += &format!(
            "Pending items ranked by the information checking them is expected to give. The \
             current leader is {} (`{}`); \"leader change\" is the probability that checking \
             the item, found or not, puts another hypothesis first.\n\n",
            md_cell(title),
            id
        );
        out += "| # | Indicator | P(found) | Expected gain (bits) | P(leader change) |\n";
        out += "|---:|---|---:|---:|---:|\n";
        for (i, x) in self.indicators.iter().enumerate() {
            let name = match titles.get(x.id.as_str()) {
                Some(t) => named(t, &x.id),
                None => format!("`{}`", x.id),
            };
            out += &format!(
                "| {} | {name} | {} | {} | {} |\n",
                i + 1,
                percent1(x.p_observe),
                fixed(x.expected_info_gain_bits, 3),
                percent1(x.p_leader_change)
            );
        }
        out
    }

    fn csv(&self, _: &Case) -> Csv {
        Csv::rows(&self.indicators).or_header_of(&Indicator::default())
    }
}
