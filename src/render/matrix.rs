//! The ACH matrix — hypotheses × evidence, with each item's contribution to each hypothesis
//! in decibans, its diagnosticity and its weight for the leader over the runner-up — as
//! printed by `score` and `report` (`docs/report.md`, "The matrix").
//!
//! Markdown splits a wide matrix into blocks of at most [`BLOCK`] hypotheses and says so;
//! no column is ever dropped. HTML prints one colour-coded table whose rows a small inline
//! script sorts by diagnosticity or by leader-vs-runner-up weight.

use std::fmt::Write;

use serde::Serialize;

use crate::case::Case;
use crate::score::explain::ScoreSummary;
use crate::score::matrix::{self, Row};
use crate::text::fmt::{db, db_opt, fixed, num};

/// Most hypothesis columns in one Markdown block of the matrix.
pub const BLOCK: usize = 6;

/// A column of the matrix: one hypothesis, in rank order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Hypothesis id.
    pub id: String,
    /// Hypothesis title.
    pub title: String,
}

/// The matrix: columns in rank order, rows in declaration order, and the ACH inconsistency
/// of each column's hypothesis (same order) for comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// The hypotheses, rank order.
    pub columns: Vec<Column>,
    /// The evidence items, declaration order.
    pub rows: Vec<Row>,
    /// ACH inconsistency per column (lower is better); empty when not computed.
    pub ach_inconsistency: Vec<f64>,
}

impl Matrix {
    /// The matrix of a `score` document: its hypotheses (rank order) and every item, with the
    /// item titles and each hypothesis's ACH inconsistency (the comparison row) from `case`.
    pub fn of_score(score: &ScoreSummary, case: &Case) -> Matrix {
        Matrix {
            columns: (score.hypotheses.iter())
                .map(|h| Column {
                    id: h.id.clone(),
                    title: h.title.clone(),
                })
                .collect(),
            rows: matrix::rows(score, case),
            ach_inconsistency: matrix::ach_inconsistency(score, case),
        }
    }

    /// Rows most diagnostic first (ties keep declaration order).
    pub fn by_diagnosticity(&self) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        rows.sort_by(|a, b| b.diagnosticity_db.total_cmp(&a.diagnosticity_db));
        rows
    }

    /// The column ranges of the Markdown blocks: ⌈K / BLOCK⌉ blocks of nearly equal size
    /// (9 hypotheses → 5 + 4, never 6 + 3).
    pub fn blocks(&self) -> Vec<std::ops::Range<usize>> {
        let k = self.columns.len();
        if k == 0 {
            return std::iter::once(0..0).collect();
        }
        let n = k.div_ceil(BLOCK);
        let (base, extra) = (k / n, k % n);
        let mut start = 0;
        (0..n)
            .map(|i| {
                let len = base + usize::from(i < extra);
                let r = start..start + len;
                start += len;
                r
            })
            .collect()
    }

    /// The matrix as Markdown tables; `escape` escapes a title for a table cell.
    pub fn markdown(&self, escape: impl Fn(&str) -> String) -> String {
        let mut s = String::new();
        let blocks = self.blocks();
        if blocks.len() > 1 {
            let ranges: Vec<String> = blocks
                .iter()
                .map(|b| {
                    if b.len() == 1 {
                        format!("{}", b.start + 1)
                    } else {
                        format!("{}–{}", b.start + 1, b.end)
                    }
                })
                .collect();
            let _ = writeln!(
                s,
                "The matrix has {} hypotheses, printed in {} blocks of columns (ranks {}); \
                 every block lists every item.\n",
                self.columns.len(),
                blocks.len(),
                ranges.join(", ")
            );
        }
        let rows = self.by_diagnosticity();
        for (i, block) in blocks.iter().enumerate() {
            if blocks.len() > 1 {
                let _ = writeln!(
                    s,
                    "**Block {} of {}: ranks {}–{}.**\n",
                    i + 1,
                    blocks.len(),
                    block.start + 1,
                    block.end
                );
            }
            s.push_str("| Evidence | ω | Diagnosticity (dB) | Leader vs runner-up (dB) |");
            for c in &self.columns[block.clone()] {
                let _ = write!(s, " `{}` |", c.id);
            }
            s.push_str("\n|---|---:|---:|---:|");
            s.push_str(&"---:|".repeat(block.len()));
            s.push('\n');
            for r in &rows {
                let status = if r.status == "observed" {
                    String::new()
                } else {
                    format!(", {}", r.status)
                };
                let name = if r.title == r.id {
                    match status.strip_prefix(", ") {
                        Some(st) => format!("`{}` ({st})", r.id),
                        None => format!("`{}`", r.id),
                    }
                } else {
                    format!("{} (`{}`{status})", escape(&r.title), r.id)
                };
                let diag = if r.non_diagnostic() {
                    format!("{} (non-diagnostic)", fixed(r.diagnosticity_db, 1))
                } else {
                    fixed(r.diagnosticity_db, 1)
                };
                let _ = write!(
                    s,
                    "| {name} | {} | {diag} | {} |",
                    num(r.effective_weight),
                    db_opt(r.leader_vs_runner_up_db)
                );
                for c in &r.contributions_db[block.clone()] {
                    let _ = write!(s, " {} |", db_opt(*c));
                }
                s.push('\n');
            }
            if !self.ach_inconsistency.is_empty() {
                s.push_str("| *ACH inconsistency (lower is better)* | | | |");
                for x in &self.ach_inconsistency[block.clone()] {
                    let _ = write!(s, " {} |", fixed(*x, 2));
                }
                s.push('\n');
            }
            s.push('\n');
        }
        s
    }

    /// The matrix as one HTML table (id `matrix`), cells coloured by contribution, with
    /// buttons that sort its rows; `escape` escapes text for HTML.
    pub fn html(&self, escape: impl Fn(&str) -> String) -> String {
        let mut s = String::new();
        s.push_str(
            "<p class=\"sorters noprint\">Sort rows by: \
             <button type=\"button\" data-sort=\"diag\">diagnosticity</button> \
             <button type=\"button\" data-sort=\"lvr\">weight for the leader over the \
             runner-up</button> \
             <button type=\"button\" data-sort=\"order\">declaration order</button></p>\
             <div class=\"wide\"><table id=\"matrix\" class=\"matrix\"><thead><tr>\
             <th>Evidence</th><th class=\"n\">ω</th><th class=\"n\">Diagnos&#173;ticity \
             (dB)</th><th class=\"n\">Leader vs runner-up (dB)</th>",
        );
        for c in &self.columns {
            let _ = write!(
                s,
                "<th class=\"n\" title=\"{}\"><code>{}</code></th>",
                escape(&c.title),
                escape(&c.id)
            );
        }
        s.push_str("</tr></thead><tbody>");
        let order: Vec<usize> = {
            let mut o: Vec<usize> = (0..self.rows.len()).collect();
            o.sort_by(|&a, &b| {
                self.rows[b]
                    .diagnosticity_db
                    .total_cmp(&self.rows[a].diagnosticity_db)
            });
            o
        };
        for i in order {
            let r = &self.rows[i];
            let class = if r.non_diagnostic() {
                " class=\"nondiag\""
            } else {
                ""
            };
            let _ = write!(
                s,
                "<tr{class} data-diag=\"{}\" data-lvr=\"{}\" data-order=\"{}\">\
                 <td title=\"{}\"><code>{}</code>{}{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td>",
                r.diagnosticity_db,
                r.leader_vs_runner_up_db.unwrap_or(0.0),
                // Sorted descending, so declaration order is the negated index.
                -(i as f64),
                escape(&r.title),
                escape(&r.id),
                if r.status == "observed" {
                    String::new()
                } else {
                    format!(" <em>{}</em>", escape(&r.status))
                },
                if r.non_diagnostic() {
                    " <span class=\"tag\">non-diagnostic</span>"
                } else {
                    ""
                },
                num(r.effective_weight),
                fixed(r.diagnosticity_db, 1),
                db_opt(r.leader_vs_runner_up_db)
            );
            for c in &r.contributions_db {
                match c {
                    Some(x) => {
                        let _ = write!(
                            s,
                            "<td class=\"n\" style=\"background:{}\">{}</td>",
                            cell_colour(*x),
                            db(*x)
                        );
                    }
                    None => s.push_str("<td class=\"n\">—</td>"),
                }
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody>");
        if !self.ach_inconsistency.is_empty() {
            s.push_str("<tfoot><tr><th colspan=\"4\">ACH inconsistency (lower is better)</th>");
            for x in &self.ach_inconsistency {
                let _ = write!(s, "<td class=\"n\">{}</td>", fixed(*x, 2));
            }
            s.push_str("</tr></tfoot>");
        }
        s.push_str("</table></div>");
        s
    }
}

/// The background of a matrix cell: blue for a contribution in favour, vermillion against,
/// white at 0 and strongest from 10 dB (a factor of ten) up. The strength grows as the
/// square root of the size, so that the 1–4 dB of most items still show.
pub fn cell_colour(x: f64) -> String {
    let a = (x.abs() / 10.0).min(1.0).sqrt() * 0.6;
    let (r, g, b) = if x >= 0.0 {
        (0, 114, 178)
    } else {
        (213, 94, 0)
    };
    let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * a).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

/// The script that sorts the matrix rows (no `<` or `&`, so the page stays well-formed XML).
pub const SORT_SCRIPT: &str = "document.querySelectorAll('[data-sort]').forEach(function (b) {\
 b.addEventListener('click', function () { var k = b.getAttribute('data-sort');\
 var body = document.getElementById('matrix').tBodies[0];\
 Array.prototype.slice.call(body.rows).sort(function (x, y) {\
 return parseFloat(y.getAttribute('data-' + k)) - parseFloat(x.getAttribute('data-' + k)); })\
 .forEach(function (r) { body.appendChild(r); }); }); });";

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(k: usize) -> Matrix {
        Matrix {
            columns: (0..k)
                .map(|i| Column {
                    id: format!("h{i}"),
                    title: format!("H {i}"),
                })
                .collect(),
            rows: vec![],
            ach_inconsistency: vec![],
        }
    }

    #[test]
    fn blocks_split_evenly_and_keep_every_column() {
        assert_eq!(
            matrix(3).blocks(),
            std::iter::once(0..3).collect::<Vec<_>>()
        );
        assert_eq!(
            matrix(6).blocks(),
            std::iter::once(0..6).collect::<Vec<_>>()
        );
        // 9 → 2 blocks of 5 and 4; 13 → 3 blocks of 5, 4, 4.
        assert_eq!(matrix(9).blocks(), [0..5, 5..9]);
        assert_eq!(matrix(13).blocks(), [0..5, 5..9, 9..13]);
    }

    #[test]
    fn cells_are_white_at_zero_and_saturate_at_ten_db() {
        assert_eq!(cell_colour(0.0), "#ffffff");
        // +10 dB: strength 0.6; 255 − 255·0.6 = 102 = 0x66; 255 − 141·0.6 = 170.4 → 0xaa;
        // 255 − 77·0.6 = 208.8 → 0xd1.
        assert_eq!(cell_colour(10.0), "#66aad1");
        assert_eq!(cell_colour(20.0), "#66aad1");
        // −10 dB: 255 − 42·0.6 = 229.8 → 0xe6; 255 − 161·0.6 = 158.4 → 0x9e; 102 → 0x66.
        assert_eq!(cell_colour(-10.0), "#e69e66");
        // +0.4 dB: strength √0.04 · 0.6 = 0.12; 255 − 30.6 = 224.4 → 0xe0;
        // 255 − 16.92 = 238.08 → 0xee; 255 − 9.24 = 245.76 → 0xf6.
        assert_eq!(cell_colour(0.4), "#e0eef6");
    }
}
