//! The `sweep monte-carlo` document; its part of a sharded run is in [`super`].

use crate::render::{Csv, Document};
use crate::sweep::monte_carlo::{McOutput, MonteCarloSummary};
use crate::text::fmt::{percent1, thousands};

impl Document for MonteCarloSummary {
    fn markdown(&self) -> String {
        let mut s = format!(
            "# Monte Carlo: {}\n\n{} scenarios, seed {}. Point leader `{}` stays first in {} of scenarios.\n\n",
            self.header.case,
            thousands(self.samples),
            self.seed,
            self.point_leader,
            percent1(self.leader_stability)
        );
        if let Some(h) = self.first_more_often() {
            s.truncate(s.len() - 2);
            s += &format!(
                " `{}` ranks first more often, in {} of scenarios: the point values favour \
                 `{}` more than the stated ranges do.\n\n",
                h.id,
                percent1(h.p_top),
                self.point_leader
            );
        }
        s += "| hypothesis | mean | 5% | median | 95% | P(first) |\n|---|---:|---:|---:|---:|---:|\n";
        for h in &self.hypotheses {
            s += &format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                h.id,
                percent1(h.mean),
                percent1(h.q05),
                percent1(h.q50),
                percent1(h.q95),
                percent1(h.p_top)
            );
        }
        if !self.families.is_empty() {
            s += "\nFamilies (the sum of the members' posteriors; P(first) = a member ranks first):\n\n";
            s += "| family | mean | 5% | median | 95% | P(first) |\n|---|---|---|---|---|---|\n";
            for f in &self.families {
                s += &format!(
                    "| {} | {} | {} | {} | {} | {} |\n",
                    f.id,
                    percent1(f.mean),
                    percent1(f.q05),
                    percent1(f.q50),
                    percent1(f.q95),
                    percent1(f.p_top)
                );
            }
        }
        s
    }

    fn csv(&self) -> Csv {
        Csv::rows(&self.hypotheses).and_families(&self.families)
    }
}

impl Document for McOutput {
    fn markdown(&self) -> String {
        match self {
            McOutput::Summary(s) => s.markdown(),
            McOutput::Partial(p) => p.markdown(),
        }
    }

    fn csv(&self) -> Csv {
        match self {
            McOutput::Summary(s) => s.csv(),
            McOutput::Partial(p) => p.csv(),
        }
    }

    fn is_part(&self) -> bool {
        matches!(self, McOutput::Partial(_))
    }
}
