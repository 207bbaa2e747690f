//! The `indicators` document: pending items ranked by expected information gain.

use crate::indicators::{Indicator, IndicatorsSummary};
use crate::render::{Csv, Document};
use crate::text::fmt::{fixed, percent1};
use crate::text::markup::{md_cell, named};

impl Document for IndicatorsSummary {
    fn markdown(&self) -> String {
        let mut out = format!(
            "# {}\n\n## Indicators: what to look for next\n\n",
            md_cell(&self.title)
        );
        if self.indicators.is_empty() {
            out += "No pending item to check (mark items `status = \"pending\"` to rank them).\n";
            return out;
        }
        out += &format!(
            "Pending items ranked by the information checking them is expected to give. The \
             current leader is {} (`{}`); \"leader change\" is the probability that checking \
             the item, found or not, puts another hypothesis first.\n\n",
            md_cell(&self.leader.1),
            self.leader.0
        );
        out += "| # | Indicator | P(found) | Expected gain (bits) | P(leader change) |\n";
        out += "|---:|---|---:|---:|---:|\n";
        for (i, x) in self.indicators.iter().enumerate() {
            let name = match &x.title {
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

    fn csv(&self) -> Csv {
        Csv::rows(&self.indicators).or_header_of(&Indicator::default())
    }
}
