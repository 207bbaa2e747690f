//! The `report` document (`docs/report.md`): Markdown (CommonMark with GitHub tables) here,
//! HTML in [`crate::render::html`], JSON the report's `Serialize` view, CSV one row per
//! hypothesis then the families.

use std::fmt::Write;

use crate::render::matrix::{Column, Matrix};
use crate::render::tables;
use crate::render::{Csv, Document};
use crate::report::judgment::{BOTTOM, RULE, TOP};
use crate::report::{RankedHypothesis, Report};
use crate::text::fmt::percent1;
use crate::text::markup::Markup;
pub use crate::text::markup::escape_markdown as escape;

impl Document for Report {
    fn markdown(&self) -> String {
        render(self)
    }

    fn csv(&self) -> Csv {
        Csv::rows(&self.hypotheses)
            .and_families(&self.families)
            .or_header_of(&RankedHypothesis::default())
    }

    fn html(&self) -> Option<String> {
        Some(crate::render::html::render(self))
    }
}

impl Report {
    /// The ACH matrix of the report: hypotheses in rank order, every item of the case.
    pub(crate) fn matrix(&self) -> Matrix {
        Matrix {
            columns: self
                .hypotheses
                .iter()
                .map(|h| Column {
                    id: h.id.clone(),
                    title: h.title.clone(),
                })
                .collect(),
            rows: self.matrix.clone(),
            ach_inconsistency: self.ach_inconsistency.clone(),
        }
    }
}

/// Renders the whole report.
pub fn render(r: &Report) -> String {
    let md = Markup::Markdown;
    let mut s = String::new();
    let t = |id: &str| escape(r.hypothesis_title(id));
    let _ = writeln!(s, "# {}\n", escape(&r.title));
    let _ = writeln!(s, "**Question:** {}\n", escape(&r.question));

    let _ = writeln!(s, "## Bottom line\n\n{}\n", r.headline_as(md));
    if let Some(f) = r.family_sentence_as(md) {
        let _ = writeln!(s, "{f}\n");
    }
    let c = r.confidence();
    let _ = write!(s, "**Analytic confidence: {}.**", c.level.as_str());
    for w in &c.warnings {
        let _ = write!(s, " **{}**", escape(w));
    }
    s.push_str("\n\n");
    for reason in &c.reasons {
        let _ = writeln!(s, "- {}", escape(reason));
    }
    let _ = writeln!(s, "\n*{RULE}*\n");
    let _ = writeln!(s, "**What would change it:**\n");
    for line in r.what_would_change_it(BOTTOM, md) {
        let _ = writeln!(s, "- {line}");
    }
    let _ = writeln!(s, "\n**Provenance:** {}\n", r.provenance_line(md));

    let _ = writeln!(s, "## Ranked hypotheses\n");
    s.push_str(&tables::ranked(r, md));
    let k = r.hypotheses.iter().map(|h| h.rank_probs.len()).max();
    if let Some(k) = k.filter(|&k| k > 0) {
        let _ = writeln!(s, "\nProbability of each rank across the scenarios:\n");
        let head: Vec<String> = (1..=k).map(|i| format!("Rank {i}")).collect();
        let _ = writeln!(s, "| Hypothesis | {} |", head.join(" | "));
        let _ = writeln!(s, "|---|{}", "---:|".repeat(k));
        for h in &r.hypotheses {
            let cells: Vec<String> = (0..k)
                .map(|i| h.rank_probs.get(i).map_or("—".into(), |&p| percent1(p)))
                .collect();
            let _ = writeln!(s, "| `{}` | {} |", h.id, cells.join(" | "));
        }
    }
    s.push('\n');
    if !r.families.is_empty() {
        let _ = writeln!(
            s,
            "Families of hypotheses judged together (a family's posterior is the sum of its \
             members'; \"Leads\" is the share of scenarios whose leader is a member):\n"
        );
        s.push_str(&tables::families(r, md));
        s.push('\n');
    }

    let _ = writeln!(s, "## Evidence for and against the leader\n");
    let _ = writeln!(s, "{}\n", r.evidence_intro(Markup::Markdown));
    for (name, list) in [("For", r.evidence_for()), ("Against", r.evidence_against())] {
        let _ = writeln!(s, "### {name} the leader\n");
        if list.is_empty() {
            let _ = writeln!(s, "No item.\n");
            continue;
        }
        s.push_str(&tables::evidence(list.iter(), md));
        s.push('\n');
    }
    let neutral = r.evidence_neutral();
    if !neutral.is_empty() {
        let ids: Vec<String> = neutral.iter().map(|e| format!("`{}`", e.id)).collect();
        let _ = writeln!(
            s,
            "Moving the leader against the average hypothesis but not against the runner-up \
             (0 dB between them): {}.\n",
            ids.join(", ")
        );
    }

    let _ = writeln!(s, "## The matrix: evidence × hypotheses\n");
    let _ = writeln!(
        s,
        "Each item's contribution to each hypothesis in decibans, most diagnostic item \
         first; ω is its effective weight; items below 1 dB of diagnosticity barely \
         discriminate. The last row gives each hypothesis's ACH inconsistency score for \
         comparison (lower is better).\n"
    );
    s.push_str(&r.matrix().markdown(escape));

    let _ = writeln!(s, "## Critical items and tipping points\n");
    if r.critical.is_empty() {
        let _ = writeln!(
            s,
            "No single item is critical: removing any one leaves the leader in place.\n"
        );
    } else {
        for c in &r.critical {
            let _ = writeln!(
                s,
                "- **Critical:** without `{}` ({}), {} would lead with {}.",
                c.id,
                escape(&c.title),
                t(&c.new_leader),
                percent1(c.new_posterior)
            );
        }
        s.push('\n');
    }
    for line in r.tipping_sentences(TOP) {
        let _ = writeln!(s, "- {}", escape(&line));
    }
    if r.tipping.is_empty() {
        let _ = writeln!(s, "No tipping points were computed.");
    }
    s.push('\n');

    let _ = writeln!(s, "## What moves the leader's posterior most (tornado)\n");
    if r.tornado.is_empty() {
        let _ = writeln!(s, "No quantity has a stated range.\n");
    } else {
        s.push_str(&tables::tornado(
            r,
            &r.tornado[..r.tornado.len().min(TOP)],
            md,
        ));
        s.push('\n');
    }

    let _ = writeln!(s, "## Indicators to collect next\n");
    if r.indicators.is_empty() {
        let _ = writeln!(s, "No pending item.\n");
    } else {
        s.push_str(&tables::indicators(r, TOP, md));
        s.push('\n');
    }

    let _ = writeln!(s, "## Timeline\n");
    match r.timeline.first() {
        None => {
            let _ = writeln!(s, "No dated evidence.\n");
        }
        Some(first) => {
            let ids: Vec<&str> = first
                .posteriors
                .0
                .iter()
                .map(|(id, _)| id.as_str())
                .collect();
            let head: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            let _ = writeln!(s, "| Date | {} |", head.join(" | "));
            let _ = writeln!(s, "|---|{}", "---:|".repeat(ids.len()));
            for p in &r.timeline {
                let cells: Vec<String> = ids
                    .iter()
                    .map(|id| {
                        p.posteriors
                            .0
                            .iter()
                            .find(|(k, _)| k == id)
                            .map_or("—".into(), |(_, v)| percent1(*v))
                    })
                    .collect();
                let _ = writeln!(s, "| {} | {} |", escape(&p.date), cells.join(" | "));
            }
            s.push('\n');
        }
    }

    let _ = writeln!(
        s,
        "## Method and assumptions\n\n{}\n",
        escape(&r.method_and_assumptions())
    );

    let _ = writeln!(s, "## Sources\n");
    if r.sources.is_empty() {
        let _ = writeln!(s, "The case names no sources.");
    } else {
        let _ = writeln!(
            s,
            "Each source with its Admiralty reliability (A reliable … E unreliable, F cannot be \
             judged) and the items it carries, each with its information grade (1 confirmed … \
             6 cannot be judged).\n"
        );
        s.push_str(&tables::sources(r, md));
    }
    let _ = writeln!(s, "\n---\n\n*{}*", r.provenance_line(md));
    s
}
