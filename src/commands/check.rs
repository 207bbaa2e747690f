//! `abduce check`: validate a case, print its warnings (stderr) and a one-screen summary.

use abduce::case::{Case, Status};
use abduce::output::Header;
use abduce::render::{Csv, Document};
use abduce::score::bayes;
use abduce::text::fmt::percent1;
use abduce::{Diagnostic, Error};
use serde::Serialize;

use crate::cli::{CaseArg, Common};

/// Validates the case and prints a summary and the warnings.
pub fn run(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let prepared = super::prepare(case, common, true)?;
    // A case whose every hypothesis is eliminated loads but cannot be scored: an error.
    bayes::score(&prepared.case)?;
    let summary = CheckSummary::new(&prepared.case, &prepared.warnings);
    super::emit(&summary, common, &prepared.inputs)
}

/// What `check` reports.
#[derive(Debug, Serialize)]
struct CheckSummary {
    #[serde(flatten)]
    header: Header,
    title: String,
    question: Option<String>,
    bundled: bool,
    files: Vec<String>,
    hypotheses: Vec<HypothesisRow>,
    families: Vec<FamilyRow>,
    evidence: StatusCounts,
    sources: Vec<SourceRow>,
    groups: Vec<GroupRow>,
    errors: usize,
    warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
struct HypothesisRow {
    id: String,
    title: String,
    /// π_k, the normalised prior.
    prior: f64,
}

#[derive(Debug, Serialize)]
struct FamilyRow {
    id: String,
    title: String,
    members: Vec<String>,
}

#[derive(Debug, Serialize)]
struct StatusCounts {
    total: usize,
    observed: usize,
    absent: usize,
    pending: usize,
    retracted: usize,
}

#[derive(Debug, Serialize)]
struct SourceRow {
    id: String,
    name: Option<String>,
    reliability: Option<String>,
    /// R(reliability) on the case's Admiralty mapping.
    reliability_value: Option<f64>,
    items: usize,
}

#[derive(Debug, Serialize)]
struct GroupRow {
    id: String,
    correlation: f64,
    members: Vec<String>,
}

impl CheckSummary {
    fn new(case: &Case, warnings: &[Diagnostic]) -> CheckSummary {
        let total_prior: f64 = case.hypotheses.iter().map(|h| h.prior).sum();
        let count = |s: Status| case.evidence.iter().filter(|e| e.status == s).count();
        CheckSummary {
            header: Header::new(case, "check"),
            title: case.title.clone(),
            question: case.question.clone(),
            bundled: case.bundled,
            files: case.files.iter().map(|f| f.display().to_string()).collect(),
            hypotheses: case
                .hypotheses
                .iter()
                .map(|h| HypothesisRow {
                    id: h.id.clone(),
                    title: h.title.clone(),
                    prior: h.prior / total_prior,
                })
                .collect(),
            families: (case.families.iter())
                .map(|f| FamilyRow {
                    id: f.id.clone(),
                    title: f.title.clone(),
                    members: (f.members.iter())
                        .map(|&k| case.hypotheses[k].id.clone())
                        .collect(),
                })
                .collect(),
            evidence: StatusCounts {
                total: case.evidence.len(),
                observed: count(Status::Observed),
                absent: count(Status::Absent),
                pending: count(Status::Pending),
                retracted: count(Status::Retracted),
            },
            sources: case
                .sources
                .iter()
                .enumerate()
                .map(|(s, src)| SourceRow {
                    id: src.id.clone(),
                    name: src.name.clone(),
                    reliability: src.reliability.map(String::from),
                    reliability_value: src.reliability.and_then(|r| case.admiralty.reliability(r)),
                    items: case.evidence.iter().filter(|e| e.source == Some(s)).count(),
                })
                .collect(),
            groups: case
                .groups
                .iter()
                .enumerate()
                .map(|(g, group)| GroupRow {
                    id: group.id.clone(),
                    correlation: group.correlation,
                    members: case
                        .evidence
                        .iter()
                        .filter(|e| e.group == Some(g))
                        .map(|e| e.id.clone())
                        .collect(),
                })
                .collect(),
            errors: 0,
            warnings: warnings
                .iter()
                .map(|w| w.render().lines().next().unwrap_or_default().to_string())
                .collect(),
        }
    }
}

/// Escapes `|` so text stays inside its Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

impl Document for CheckSummary {
    fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n", self.title);
        if let Some(q) = &self.question {
            out += &format!("{q}\n\n");
        }
        let origin = if self.bundled { " (bundled)" } else { "" };
        let n = self.files.len();
        out += &format!(
            "Case `{}`{origin}: {n} file{}.\n\n",
            self.header.case,
            if n == 1 { "" } else { "s" }
        );
        out += &format!(
            "## Hypotheses ({})\n\n| id | title | prior |\n|---|---|---:|\n",
            self.hypotheses.len()
        );
        for h in &self.hypotheses {
            out += &format!(
                "| {} | {} | {} |\n",
                h.id,
                cell(&h.title),
                percent1(h.prior)
            );
        }
        if !self.families.is_empty() {
            out += &format!(
                "\n## Families ({})\n\n| id | title | members |\n|---|---|---|\n",
                self.families.len()
            );
            for f in &self.families {
                out += &format!(
                    "| {} | {} | {} |\n",
                    f.id,
                    cell(&f.title),
                    f.members.join(", ")
                );
            }
        }
        let e = &self.evidence;
        out += &format!(
            "\n## Evidence ({} items)\n\nobserved {} · absent {} · pending {} · retracted {}\n",
            e.total, e.observed, e.absent, e.pending, e.retracted
        );
        if !self.sources.is_empty() {
            out += &format!(
                "\n## Sources ({})\n\n| id | name | reliability | items |\n|---|---|---|---:|\n",
                self.sources.len()
            );
            for s in &self.sources {
                let rel = match (&s.reliability, s.reliability_value) {
                    (Some(r), Some(v)) => format!("{r} ({v})"),
                    _ => "–".to_string(),
                };
                let name = s.name.as_deref().map_or("–".to_string(), cell);
                out += &format!("| {} | {name} | {rel} | {} |\n", s.id, s.items);
            }
        }
        if !self.groups.is_empty() {
            out += &format!(
                "\n## Groups ({})\n\n| id | ρ | members |\n|---|---:|---|\n",
                self.groups.len()
            );
            for g in &self.groups {
                out += &format!(
                    "| {} | {} | {} |\n",
                    g.id,
                    g.correlation,
                    g.members.join(", ")
                );
            }
        }
        let w = self.warnings.len();
        out += &format!(
            "\nok: {} errors, {w} warning{}\n",
            self.errors,
            if w == 1 { "" } else { "s" }
        );
        out
    }

    fn csv(&self) -> Csv {
        Csv::rows(&self.hypotheses)
    }
}
