//! `abduce export csv`: the case as one matrix, a row per evidence item and a column per
//! hypothesis, readable by spreadsheets and by `abduce import csv`.
//!
//! Columns: `id, title, <hypothesis ids...>, credibility, weight, date, status, note`; a
//! first row with id `priors` carries unequal prior weights. What the CSV cannot carry is
//! folded in where that keeps the scores (group discounts into weights, hit/false-alarm
//! rates into likelihoods, Admiralty codes into the credibility number) or dropped (ranges,
//! titles), and each loss is named in a warning.

use crate::case::values::RatingScale;
use crate::case::{Case, Cell, Credibility, CredibilityBasis, Rating};
use crate::error::{Error, Failure};
use crate::score::bayes;

/// The columns of the CSV other than the hypotheses, lower case (`id` and `title` come
/// first, the rest after the hypotheses).
pub const COLUMNS: [&str; 7] = [
    "id",
    "title",
    "credibility",
    "weight",
    "date",
    "status",
    "note",
];

/// The id of the row that carries prior weights (reserved by docs/reference.md §1.2).
pub const PRIORS_ROW: &str = "priors";

/// An exported matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// The CSV text.
    pub csv: String,
    /// What the CSV could not carry, one sentence per kind of loss.
    pub warnings: Vec<String>,
}

/// A number as written in the CSV: the shortest text that reads back as the same f64.
fn num(x: f64) -> String {
    format!("{x}")
}

/// The matrix of `case` as CSV.
///
/// Cells are ratings as written (`CC`, `C`, `N`, `NA`, `I`, `II`) when the case uses the
/// default rating scale, else the rating's likelihood; numbers as shortest round-trip
/// decimals. `credibility` is the resolved c_e (empty when the item has no credibility
/// information); `weight` is w_e, times the group discount d_g for counted items of a group
/// (so the effective weight, and the score, are kept).
///
/// # Errors
/// A hypothesis id that is also one of [`COLUMNS`] (the CSV could not tell them apart).
pub fn matrix_csv(case: &Case) -> Result<Exported, Error> {
    if let Some(h) = case
        .hypotheses
        .iter()
        .find(|h| COLUMNS.contains(&h.id.to_lowercase().as_str()))
    {
        return Err(Failure::HypothesisNamedAsColumn {
            id: h.id.clone(),
            columns: &COLUMNS,
        }
        .into());
    }
    let default_scale = case.ratings == RatingScale::default();
    let omega = bayes::effective_weights(case);
    let mut lost = Lost::default();

    let mut header: Vec<String> = vec!["id".into(), "title".into()];
    header.extend(case.hypotheses.iter().map(|h| h.id.clone()));
    header.extend(COLUMNS[2..].iter().map(|c| c.to_string()));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("writing to memory");

    let first = case.hypotheses[0].prior;
    if case.hypotheses.iter().any(|h| h.prior != first) {
        let mut row = vec![PRIORS_ROW.to_string(), "prior weights".to_string()];
        row.extend(case.hypotheses.iter().map(|h| num(h.prior)));
        row.extend(std::iter::repeat_n(String::new(), 5));
        w.write_record(&row).expect("writing to memory");
    }
    for h in &case.hypotheses {
        if h.prior_range.is_some() {
            lost.ranges.push(format!("hypothesis.{}.prior", h.id));
        }
        if h.title != h.id || h.description.is_some() {
            lost.titles.push(h.id.clone());
        }
    }

    for (e, item) in case.evidence.iter().enumerate() {
        let mut row = vec![item.id.clone(), item.title.clone().unwrap_or_default()];
        let mut credibility = String::new();
        match item.credibility {
            Credibility::Schum { .. } => {
                // ℓ̃ = f + (h − f)ℓ written as the likelihood, with c = 1: same ℓ̃, same score.
                lost.hit_rates.push(item.id.clone());
                let folded = bayes::credible(&item.credibility, &case.likelihoods(e));
                row.extend(folded.into_iter().map(num));
            }
            Credibility::Mixture {
                value,
                range,
                basis,
            } => {
                if range.is_some() {
                    lost.ranges
                        .push(format!("evidence.{}.credibility", item.id));
                }
                if basis != CredibilityBasis::Default {
                    credibility = num(value);
                }
                row.extend(item.likelihood.iter().map(|c| match *c {
                    Cell::Rating(r) if default_scale || r == Rating::NA => r.as_str().to_string(),
                    Cell::Rating(r) => num(case.ratings.level(r).likelihood),
                    Cell::Value { value, .. } => num(value),
                }));
            }
        }
        for (k, c) in item.likelihood.iter().enumerate() {
            if let Cell::Value { range: Some(_), .. } = c {
                lost.ranges.push(format!(
                    "evidence.{}.likelihood.{}",
                    item.id, case.hypotheses[k].id
                ));
            }
        }
        if item.source.is_some() || item.information.is_some() {
            lost.admiralty.push(item.id.clone());
        }
        if item.weight_range.is_some() {
            lost.ranges.push(format!("evidence.{}.weight", item.id));
        }
        let weight = if let Some(g) = item.group {
            lost.groups
                .push(format!("{} ({})", item.id, case.groups[g].id));
            if item.counts() { omega[e] } else { item.weight }
        } else {
            item.weight
        };
        row.push(credibility);
        row.push(num(weight));
        row.push(item.date.map(|d| d.to_string()).unwrap_or_default());
        row.push(item.status.as_str().to_string());
        row.push(item.note.clone().unwrap_or_default());
        w.write_record(&row).expect("writing to memory");
    }
    let uses_ratings = case.evidence.iter().any(|e| {
        e.likelihood
            .iter()
            .any(|c| matches!(c, Cell::Rating(r) if *r != Rating::NA))
    });
    let csv = String::from_utf8(w.into_inner().expect("writing to memory"))
        .expect("CSV of UTF-8 is UTF-8");
    Ok(Exported {
        csv,
        warnings: lost.warnings(case, !default_scale && uses_ratings),
    })
}

#[derive(Default)]
struct Lost {
    groups: Vec<String>,
    ranges: Vec<String>,
    hit_rates: Vec<String>,
    admiralty: Vec<String>,
    titles: Vec<String>,
}

impl Lost {
    fn warnings(self, case: &Case, scale: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut say = |items: Vec<String>, what: &str| {
            if !items.is_empty() {
                out.push(format!("the CSV cannot carry {what}: {}", items.join(", ")));
            }
        };
        say(
            self.groups,
            "groups (each group discount is folded into the weight; it no longer adapts if a \
             status changes, and the ACH score, which uses the weight without it, changes)",
        );
        say(self.ranges, "ranges (they only matter to sweeps; dropped)");
        say(
            self.hit_rates,
            "hit and false-alarm rates (folded into the likelihoods, which keeps the Bayesian \
             score but not the ACH weight)",
        );
        say(
            self.admiralty,
            "sources and Admiralty codes (the resolved credibility number is written instead)",
        );
        say(
            self.titles,
            "hypothesis titles and descriptions (the column is the id)",
        );
        if scale {
            out.push(
                "the CSV cannot carry the case's own rating scale: rating cells are written as \
                 their likelihoods"
                    .to_string(),
            );
        }
        if case.title != case.name || case.question.is_some() {
            out.push("the CSV cannot carry the case's title and question".to_string());
        }
        out
    }
}
