//! The `compare` document: analysts' views side by side, pooled.

use crate::render::{Csv, Document};
use crate::text::fmt::{db, fixed, percent1, percent1_range, points1};
use crate::workflow::compare::CompareSummary;

impl Document for CompareSummary {
    fn markdown(&self) -> String {
        let p = percent1;
        let mut out = format!("# Analysts compared: {}\n\n", self.title);
        out += &format!(
            "{} analyst view(s), each the base case with one overlay, scored separately. \
             Pools give every analyst equal weight; range and SD measure their disagreement.\n\n",
            self.analysts.len()
        );
        out += "| Hypothesis | Base |";
        for a in &self.analysts {
            out += &format!(" {a} |");
        }
        out += " Linear pool | Log pool | Range (points) | SD (points) |\n|---|---:|";
        out += &"---:|".repeat(self.analysts.len() + 4);
        out += "\n";
        for h in &self.hypotheses {
            out += &format!("| {} | {} |", h.id, p(h.base));
            for (_, v) in &h.posteriors.0 {
                out += &format!(" {} |", cell(*v, p));
            }
            out += &format!(
                " {} | {} | {} | {} |\n",
                p(h.linear_pool),
                cell(h.log_pool, p),
                points1(h.range),
                points1(h.sd)
            );
        }
        if !self.families.is_empty() {
            out += "\nFamilies (a family's posterior is the sum of its members'):\n\n";
            out += "| Family | Base |";
            for a in &self.analysts {
                out += &format!(" {a} |");
            }
            out += " Linear pool |\n|---|---:|";
            out += &"---:|".repeat(self.analysts.len() + 1);
            out += "\n";
            for f in &self.families {
                out += &format!("| {} | {} |", f.id, p(f.base));
                for (_, v) in &f.posteriors.0 {
                    out += &format!(" {} |", cell(*v, p));
                }
                out += &format!(" {} |\n", p(f.linear_pool));
            }
        }
        out += &format!(
            "\n## Each view under its own uncertainty\n\n\
             Monte Carlo, {} scenarios per view, seed {} (the same draws for every view). \
             The leader of each view at its point values, its 90% interval and the share of \
             scenarios in which it ranks first.\n\n",
            crate::text::fmt::thousands(self.samples),
            self.seed
        );
        out +=
            "| View | Leader | Posterior | 90% interval | P(rank 1) |\n|---|---|---:|---|---:|\n";
        for v in std::iter::once(&self.base).chain(&self.views) {
            out += &format!(
                "| {} | {} | {} | {} | {} |\n",
                v.analyst,
                v.leader,
                p(v.posterior),
                percent1_range(v.q05, v.q95),
                p(v.p_top)
            );
        }
        if !self.families.is_empty() {
            out += "\nP(a member of the family ranks first), by view:\n\n| Family | Base |";
            for a in &self.analysts {
                out += &format!(" {a} |");
            }
            out += "\n|---|---:|";
            out += &"---:|".repeat(self.analysts.len());
            out += "\n";
            for f in &self.families {
                out += &format!("| {} | {} |", f.id, p(f.base_p_top));
                for (_, v) in &f.p_top.0 {
                    out += &format!(" {} |", p(*v));
                }
                out += "\n";
            }
        }
        out += "\n## Disagreement beyond uncertainty\n\n";
        if self.views.iter().any(|v| v.leader != self.views[0].leader) {
            let leaders: Vec<String> = (self.views.iter())
                .map(|v| format!("{}: `{}`", v.analyst, v.leader))
                .collect();
            out += &format!(
                "The views name different leaders ({}).\n\n",
                leaders.join("; ")
            );
        }
        if self.disagreements.is_empty() {
            out += "For every hypothesis and family, the analysts' 90% intervals overlap: \
                    their differences lie within their own stated uncertainty.\n";
        } else {
            out += "Where two analysts' 90% intervals do not overlap: the difference is larger \
                    than either view's own uncertainty.\n\n";
            out += "| Hypothesis or family | Higher view (5%) | Lower view (95%) | Gap (points) |\n\
                    |---|---|---|---:|\n";
            for d in &self.disagreements {
                out += &format!(
                    "| {} | {} ({}) | {} ({}) | {} |\n",
                    d.id,
                    d.high,
                    p(d.high_q05),
                    d.low,
                    p(d.low_q95),
                    points1(d.gap)
                );
            }
        }
        out += "\n## Where the analysts differ\n\n";
        if self.drivers.is_empty() {
            out += "No evidence cell contributes differently between the analysts.\n";
        } else {
            out += "Contributions to each hypothesis in decibans (dB), largest spread first.\n\n";
            out += "| Evidence | Hypothesis | Spread (dB) |";
            for a in &self.analysts {
                out += &format!(" {a} |");
            }
            out += "\n|---|---|---:|";
            out += &"---:|".repeat(self.analysts.len());
            out += "\n";
            for d in &self.drivers {
                out += &format!(
                    "| {} | {} | {} |",
                    d.evidence,
                    d.hypothesis,
                    fixed(d.spread_db, 1)
                );
                for (_, v) in &d.contributions_db.0 {
                    out += &format!(" {} |", cell(*v, db));
                }
                out += "\n";
            }
        }
        if !self.warnings.is_empty() {
            out += "\n";
            for w in &self.warnings {
                out += &format!("- {w}\n");
            }
        }
        out
    }

    fn csv(&self) -> Csv {
        Csv::rows(&self.hypotheses).and_families(&self.families)
    }
}

/// A number, or a dash where there is none.
fn cell(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map_or("—".to_string(), f)
}
