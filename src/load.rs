//! Loading a case: the one loader of the commands, the workbench, batch plans and the
//! library's users.
//!
//! [`crate::case::load`] reads and validates the files and gives every problem and warning
//! that the case's own rules find. `case` depends on nothing above it, so the warning that
//! needs the scorer — an item that is non-diagnostic (docs/reference.md §3.4) — is added
//! here, as the loader's [`Lint`](crate::case::load::Lint); it runs where the loader's own
//! warnings are found, so every warning still comes out in file reading order then position
//! (`docs/architecture.md`, "Layering").

use crate::case::discover::CaseLocation;
pub use crate::case::load::Loaded;
use crate::case::{Case, Status, load as case_load};
use crate::error::Error;
use crate::score::{bayes, explain};

/// Loads and validates a case, with every warning (docs/reference.md §1, §8 `check`).
///
/// # Errors
/// Every problem found, each with its file, line and column ([`Error::Input`], which also
/// carries the warnings found so far).
pub fn load(location: &CaseLocation) -> Result<Loaded, Error> {
    case_load::load_with(location, non_diagnostic)
}

/// Loads a case from files held in memory, with every warning: `files` are (path with `/`
/// separators, contents) and `hypotheses` is the path of the hypotheses file among them. The
/// evidence is found by the rules of docs/reference.md §1, exactly as on disk.
///
/// # Errors
/// As [`load`].
pub fn load_files(files: &[(&str, &str)], hypotheses: &str) -> Result<Loaded, Error> {
    case_load::load_files_with(files, hypotheses, non_diagnostic)
}

/// The counted and pending items whose diagnosticity is below 1 dB (docs/reference.md §3.4),
/// each with its warning.
///
/// # Formula
/// [`explain::diagnosticity_db`] (docs/reference.md §3.4) over the live hypotheses A of the
/// point score; a pending item gets the effective weight it would have if it counted (its
/// group discount included).
fn non_diagnostic(case: &Case) -> Vec<(usize, String)> {
    let Ok(scores) = bayes::score(case) else {
        return Vec::new();
    };
    let live: Vec<usize> = (0..case.hypotheses.len())
        .filter(|&k| scores.is_live(k))
        .collect();
    let mut counting = vec![0usize; case.groups.len()];
    for e in &case.evidence {
        if let Some(g) = e.group
            && e.counts()
            && e.weight > 0.0
        {
            counting[g] += 1;
        }
    }
    let mut warnings = Vec::new();
    for (e, item) in case.evidence.iter().enumerate() {
        let pending = item.status == Status::Pending;
        let omega = if item.counts() {
            scores.weights[e]
        } else if pending {
            // ω as if it counted: its group gains a member (when w > 0). The same product
            // `effective_weights_with` forms, without a pass over every item per item.
            let d = item.group.map_or(1.0, |g| {
                bayes::group_discount(
                    counting[g] + usize::from(item.weight > 0.0),
                    case.groups[g].correlation,
                )
            });
            item.weight * d
        } else {
            continue;
        };
        let db = explain::diagnosticity_db(omega, &scores.log_probs[e], &live);
        if db < explain::NON_DIAGNOSTIC_DB {
            warnings.push((e, message(&item.id, db, pending, omega == 0.0)));
        }
    }
    warnings
}

/// The warning about a non-diagnostic item: `db` its diagnosticity, `pending` whether it is
/// pending (what it would do if it counted), `zero_weight` whether its effective weight is 0.
fn message(id: &str, db: f64, pending: bool, zero_weight: bool) -> String {
    let (subject, verb) = if pending {
        ("pending evidence", "would separate")
    } else {
        ("evidence", "separates")
    };
    if zero_weight {
        format!("{subject} `{id}` is non-diagnostic: its effective weight is 0")
    } else {
        format!(
            "{subject} `{id}` is non-diagnostic: it {verb} the live hypotheses by {db:.2} dB \
             (below 1 dB)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_of_a_valid_case_with_the_scorers() {
        let hyp = "[[hypothesis]]\nid = \"a\"\n[[hypothesis]]\nid = \"b\"\n";
        let ev = r#"[[group]]
id = "lone"
correlation = 0.5

[[group]]
id = "unused"
correlation = 0.5

[[evidence]]
id = "flat"
credibility = 1
group = "lone"
likelihood = { a = 0.5, b = 0.55 }

[[evidence]]
id = "sharp"
credibility = 1
likelihood = { a = 0.9, b = 0.1 }

[[evidence]]
id = "flat-pending"
credibility = 0.5
status = "pending"
likelihood = { a = 0.9, b = 0.8 }

[[evidence]]
id = "weightless"
credibility = 1
weight = 0
likelihood = { a = 0.9, b = 0.1 }

[[evidence]]
id = "retracted"
credibility = 1
status = "retracted"
likelihood = { a = 0.5, b = 0.5 }
    "#;
        let l = load_files(
            &[("hypotheses/c.toml", hyp), ("evidence/c/a.toml", ev)],
            "hypotheses/c.toml",
        )
        .unwrap();
        let firsts: Vec<String> = (l.warnings.iter())
            .map(|w| w.to_string())
            .map(|w| w.lines().next().unwrap().to_string())
            .collect();
        // flat: ω = 1, 10 · ln(0.55/0.5) / ln 10 = 0.4139 dB.
        // flat-pending: c = 0.5, mean 0.85: ℓ̃ = 0.875, 0.825; 10 · ln(0.875/0.825) / ln 10 = 0.2555 dB.
        assert_eq!(
            firsts,
            [
                "hypotheses/c.toml: warning: no catch-all hypothesis (one whose id or title says other, unknown or else): the posteriors assume one of the listed hypotheses is true",
                "evidence/c/a.toml:2:6: warning: group `lone` has one counting member: its correlation changes nothing",
                "evidence/c/a.toml:6:6: warning: group `unused` is named by no evidence item",
                "evidence/c/a.toml:10:6: warning: evidence `flat` is non-diagnostic: it separates the live hypotheses by 0.41 dB (below 1 dB)",
                "evidence/c/a.toml:21:6: warning: pending evidence `flat-pending` is non-diagnostic: it would separate the live hypotheses by 0.26 dB (below 1 dB)",
                "evidence/c/a.toml:27:6: warning: evidence `weightless` is non-diagnostic: its effective weight is 0",
            ]
        );
    }
}
