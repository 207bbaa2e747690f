//! The `score` document (docs/reference.md §9): the ranked hypotheses, the families and the
//! evidence matrix.

use crate::case::Case;
use crate::render::matrix::Matrix;
use crate::render::{CaseDocument, Csv};
use crate::score::explain::{ScoreSummary, decibans};
use crate::text::fmt::{db, fixed, percent1 as percent};
use crate::text::markup::{md_cell, named};

impl CaseDocument for ScoreSummary {
    fn markdown(&self, case: &Case) -> String {
        let mut out = format!("# {}\n\n", md_cell(&case.title));
        if let Some(q) = &case.question {
            out += &format!("**Question:** {}\n\n", md_cell(q));
        }
        out += "## Ranked hypotheses (Bayesian scorer)\n\n";
        out += "| Rank | Hypothesis | Posterior | Estimative term (ICD 203) | Log-odds to leader (dB) |\n";
        out += "|---:|---|---:|---|---:|\n";
        let leader = self.hypotheses[0].log_score.unwrap_or(0.0);
        for h in &self.hypotheses {
            out += &format!(
                "| {} | {} | {} | {} | {} |\n",
                h.rank,
                named(&h.title, &h.id),
                percent(h.posterior),
                if h.log_score.is_some() {
                    h.estimative
                } else {
                    "eliminated"
                },
                h.log_score
                    .map_or_else(|| "−∞".to_string(), |s| db(decibans(s - leader))),
            );
        }
        if let [first, second, ..] = &self.hypotheses[..] {
            out += &match (first.log_score, second.log_score) {
                (Some(a), Some(b)) => format!(
                    "\nThe leader `{}` is {} dB ahead of `{}` (posterior odds {} : 1).\n",
                    first.id,
                    fixed(decibans(a - b), 1),
                    second.id,
                    fixed((a - b).exp(), 1)
                ),
                _ => format!(
                    "\nEvery hypothesis but `{}` is eliminated by the evidence.\n",
                    first.id
                ),
            };
        }
        if !self.families.is_empty() {
            out += "\n## Families\n\n";
            out +=
                "Hypotheses judged together: a family's posterior is the sum of its members'.\n\n";
            out += "| Family | Members | Posterior | Estimative term (ICD 203) |\n";
            out += "|---|---|---:|---|\n";
            for f in &self.families {
                let members: Vec<String> = f.members.iter().map(|m| format!("`{m}`")).collect();
                out += &format!(
                    "| {} | {} | {} | {} |\n",
                    named(&f.title, &f.id),
                    members.join(", "),
                    percent(f.posterior),
                    f.estimative
                );
            }
        }
        out += "\n## The matrix: evidence × hypotheses, most diagnostic first\n\n";
        out += "Reading guide: a contribution is how much the item moves a hypothesis against \
                the average live hypothesis, in decibans (+10 dB multiplies the odds by 10, \
                +3 dB about doubles them); ω is the item's effective weight; items below 1 dB \
                of diagnosticity barely discriminate. The last row gives each hypothesis's \
                ACH inconsistency score for comparison.\n\n";
        out += &Matrix::of_score(self, case).markdown(md_cell);
        out
    }

    fn csv(&self, _: &Case) -> Csv {
        Csv::rows(&self.hypotheses).and_families(&self.families)
    }
}
