//! The `sweep tornado` document: one bar per varying quantity.

use crate::render::{Csv, Document};
use crate::sweep::tornado::{TornadoBar, TornadoSummary};
use crate::text::fmt::{num, percent1, points1};

impl Document for TornadoSummary {
    fn markdown(&self) -> String {
        let mut s = format!(
            "# Tornado: {}\n\nOutput `{}` = {} at the point values.\n\n",
            self.header.case,
            self.output,
            percent1(self.y_point)
        );
        if self.bars.is_empty() {
            s += "No quantity of this case has a range: nothing varies.\n";
            return s;
        }
        s += "| quantity | low | high | posterior at low | posterior at high | swing (points) | leader at low | leader at high |\n|---|---:|---:|---:|---:|---:|---|---|\n";
        for b in &self.bars {
            s += &format!(
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
                b.quantity,
                num(b.low_value),
                num(b.high_value),
                percent1(b.y_low),
                percent1(b.y_high),
                points1(b.swing),
                b.leader_low,
                b.leader_high
            );
        }
        s
    }

    fn csv(&self) -> Csv {
        Csv::rows(&self.bars).or_header_of(&TornadoBar::default())
    }
}
