//! The `batch` document (one row per run); its part of a sharded run is in [`super`].

use crate::render::{Csv, Document};
use crate::workflow::batch::{BatchRow, BatchSummary};

impl Document for BatchSummary {
    fn markdown(&self) -> String {
        let mut out = format!("# Batch: {}\n\n", self.plan);
        out += "| # | Case | Variant | Command | Status | Leader | Leader's posterior or stability | Error |\n";
        out += "|---:|---|---|---|---|---|---|---|\n";
        for (i, r) in self.runs.iter().enumerate() {
            let (leader, value) = r
                .headline
                .as_ref()
                .map_or(("—", "—"), |(l, v)| (l.as_str(), v.as_str()));
            out += &format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                i + 1,
                first_line_cell(&r.head.case),
                first_line_cell(&r.head.variant),
                r.head.command,
                r.head.status,
                leader,
                value,
                r.head
                    .error
                    .as_deref()
                    .map_or(String::new(), first_line_cell)
            );
        }
        // Each distinct error once, with the runs it failed (a bad case fails all its runs).
        let mut errors: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, r) in self.runs.iter().enumerate() {
            if let Some(e) = r.head.error.as_deref() {
                match errors.iter_mut().find(|(x, _)| *x == e) {
                    Some((_, runs)) => runs.push(i + 1),
                    None => errors.push((e, vec![i + 1])),
                }
            }
        }
        if !errors.is_empty() {
            out += "\n## Errors\n";
            for (e, runs) in errors {
                let list: Vec<String> = runs.iter().map(usize::to_string).collect();
                let s = if runs.len() == 1 { "" } else { "s" };
                out += &format!("\nRun{s} {}:\n\n```text\n{e}```\n", list.join(", "));
            }
        }
        out += &format!("\n{}\n", self.verdict());
        out
    }

    /// One row per (run, hypothesis); a failed run has one row with its error.
    fn csv(&self) -> Csv {
        let rows: Vec<&BatchRow> = self.runs.iter().flat_map(|r| &r.rows).collect();
        Csv::rows(&rows)
    }
}

/// A Markdown table cell: one line, pipes escaped.
fn first_line_cell(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .replace('|', "\\|")
}
