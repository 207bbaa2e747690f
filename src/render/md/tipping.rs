//! The `sweep tipping` document: the multipliers at which the leader changes.

use crate::render::{Csv, Document};
use crate::sweep::tipping::{TippingItem, TippingSummary};
use crate::text::fmt::{multiplier, percent1};

impl Document for TippingSummary {
    fn markdown(&self) -> String {
        let t = |x: Option<f64>, by: &Option<String>| match (x, by) {
            (Some(x), Some(by)) => format!("{} ({by})", multiplier(x)),
            _ => "—".to_string(),
        };
        let mut s = format!(
            "# Tipping points: {}\n\nLeader: `{}`. Multiplying an item's effective weight by the factor shown lets the named hypothesis draw level.\n\n",
            self.header.case, self.leader
        );
        s += "| item | lower | upper | leader without it | its posterior | critical |\n|---|---|---|---|---|---|\n";
        for i in &self.items {
            s += &format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                i.id,
                t(i.lower, &i.lower_by),
                t(i.upper, &i.upper_by),
                i.loo_leader,
                percent1(i.loo_posterior),
                if i.critical { "yes" } else { "no" }
            );
        }
        s
    }

    fn csv(&self) -> Csv {
        Csv::rows(&self.items).or_header_of(&TippingItem::default())
    }
}
