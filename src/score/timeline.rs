//! How the judgment moved as reporting came in (docs/reference.md §3.5).
//!
//! # Formula
//! For each distinct date d of the counted items, ascending: the posterior of docs/reference.md §3.3
//! using the counted items dated ≤ d plus every undated counted item, with the group
//! discounts recomputed on that subset.

use serde::Serialize;

use crate::case::{Case, Date};
use crate::error::Error;
use crate::output::Header;
use crate::score::bayes;
use crate::score::explain::HypMap;

/// The posterior after one date.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelinePoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// p_k by hypothesis, in declaration order.
    pub posteriors: HypMap<f64>,
}

/// The `timeline` document (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineSummary {
    /// `schema_version`, `case`, `command` (= `timeline`).
    #[serde(flatten)]
    pub header: Header,
    /// One point per distinct date, ascending.
    pub points: Vec<TimelinePoint>,
}

/// The distinct dates of the counted items, ascending.
pub fn dates(case: &Case) -> Vec<Date> {
    let mut d: Vec<Date> = case
        .evidence
        .iter()
        .filter(|e| e.counts())
        .filter_map(|e| e.date)
        .collect();
    d.sort();
    d.dedup();
    d
}

/// The posterior after each date (docs/reference.md §3.5), with its date.
///
/// The items are added in date order to running sums (docs/performance.md, "Scaling in the
/// size of the case"): ungrouped terms add up; a group keeps its undiscounted sum Σ w_j a_jk, and when a member
/// joins, its discounted total d_g · Σ changes by d(n+1)·Σ′ − d(n)·Σ. Each hypothesis keeps
/// its count of −∞ terms. So the whole timeline costs one pass over the items, not one
/// rescoring per date; [`timeline_full`] rescores per date (the reference of the tests).
/// Once every counted item is in, the point is the whole case's score, bit for bit.
///
/// # Errors
/// When every hypothesis is eliminated at some date (then also in the whole case).
pub fn timeline(case: &Case) -> Result<Vec<(Date, Vec<f64>)>, Error> {
    let dates = dates(case);
    if dates.is_empty() {
        return Ok(Vec::new());
    }
    let k = case.hypotheses.len();
    let mut counted: Vec<usize> = (0..case.evidence.len())
        .filter(|&e| case.evidence[e].counts() && case.evidence[e].weight > 0.0)
        .collect();
    // Undated items first (they count at every date), then by date; stable in item order.
    counted.sort_by_key(|&e| case.evidence[e].date);
    let mut ungrouped = bayes::log_priors(case);
    let mut eliminated = vec![0u32; k];
    let mut group_sum = vec![vec![0.0; k]; case.groups.len()];
    let mut members = vec![0usize; case.groups.len()];
    let mut grouped = vec![0.0; k];
    let mut next = 0;
    let mut out = Vec::with_capacity(dates.len());
    for d in dates {
        while next < counted.len() && case.evidence[counted[next]].date.is_none_or(|x| x <= d) {
            let e = counted[next];
            next += 1;
            let item = &case.evidence[e];
            let w = item.weight;
            let a: Vec<f64> = bayes::outcome_probs(case, e)
                .iter()
                .map(|q| q.ln())
                .collect();
            for (j, &a) in a.iter().enumerate() {
                eliminated[j] += u32::from(w * a == f64::NEG_INFINITY);
            }
            match item.group {
                None => {
                    for (s, &a) in ungrouped.iter_mut().zip(&a) {
                        let t = w * a;
                        if t.is_finite() {
                            *s += t;
                        }
                    }
                }
                Some(g) => {
                    let rho = case.groups[g].correlation;
                    let before = bayes::group_discount(members[g], rho);
                    members[g] += 1;
                    let after = bayes::group_discount(members[g], rho);
                    for j in 0..k {
                        let t = w * a[j];
                        let old = before * group_sum[g][j];
                        if t.is_finite() {
                            group_sum[g][j] += t;
                        }
                        grouped[j] += after * group_sum[g][j] - old;
                    }
                }
            }
        }
        if next == counted.len() {
            // Every counted item is in: the dates from here on are the whole case, scored as
            // `score` scores it, so the last point equals its posteriors to the bit.
            let whole = bayes::score(case)?.posteriors;
            out.push((d, whole));
            continue;
        }
        let s: Vec<f64> = (0..k)
            .map(|j| {
                if eliminated[j] > 0 {
                    f64::NEG_INFINITY
                } else {
                    ungrouped[j] + grouped[j]
                }
            })
            .collect();
        if s.iter().all(|&x| x == f64::NEG_INFINITY) {
            // The full rescoring of that date gives the error that names the items.
            return timeline_full(case);
        }
        out.push((d, bayes::posteriors_from_log(&s)));
    }
    Ok(out)
}

/// [`timeline`] rescoring the case at every date: the reference the running sums are
/// tested against.
///
/// # Errors
/// As [`timeline`].
pub fn timeline_full(case: &Case) -> Result<Vec<(Date, Vec<f64>)>, Error> {
    dates(case)
        .into_iter()
        .map(|d| {
            let s = bayes::score_with(case, |e| {
                let item = &case.evidence[e];
                item.counts() && item.date.is_none_or(|x| x <= d)
            })?;
            Ok((d, s.posteriors))
        })
        .collect()
}

/// Builds the `timeline` document.
///
/// # Errors
/// As [`timeline`].
pub fn summarize(case: &Case) -> Result<TimelineSummary, Error> {
    let points = timeline(case)?
        .into_iter()
        .map(|(d, p)| TimelinePoint {
            date: d.to_string(),
            posteriors: HypMap(
                case.hypotheses
                    .iter()
                    .map(|h| h.id.clone())
                    .zip(p)
                    .collect(),
            ),
        })
        .collect();
    Ok(TimelineSummary {
        header: Header::new(case, "timeline"),
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Evidence, Group, Status};
    use crate::render::{CaseDocument, Document};

    fn date(day: u8) -> Option<Date> {
        Some(Date {
            year: 2025,
            month: 12,
            day,
        })
    }

    #[test]
    fn posterior_after_each_date() {
        let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
        case.groups.push(Group {
            id: "g".into(),
            correlation: 1.0,
            file: 0,
        });
        let mut e1 = Evidence::new("e1", &[0.8, 0.2]);
        e1.date = date(3);
        e1.group = Some(0);
        let mut e2 = Evidence::new("e2", &[0.8, 0.2]);
        e2.date = date(1);
        e2.group = Some(0);
        let undated = Evidence::new("u", &[0.6, 0.4]);
        let mut pending = Evidence::new("p", &[0.9, 0.1]);
        pending.date = date(2);
        pending.status = Status::Pending;
        let mut same_day = Evidence::new("s", &[0.5, 0.5]);
        same_day.date = date(3);
        case.evidence.extend([e1, e2, undated, pending, same_day]);
        let t = timeline(&case).unwrap();
        // Dates of counted items: Dec 1 and Dec 3 (the pending Dec 2 item does not count).
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].0, date(1).unwrap());
        // Dec 1: e2 alone in its group (d = 1) and the undated item: odds 0.8·0.6 : 0.2·0.4
        // = 0.48 : 0.08 -> p_a = 6/7.
        assert!((t[0].1[0] - 6.0 / 7.0).abs() < 1e-15);
        // Dec 3: e1 and e2 in the group with ρ = 1 count as one (d = 1/2 each): same odds 6 : 1;
        // the Dec 3 item with equal likelihoods changes nothing.
        assert!((t[1].1[0] - 6.0 / 7.0).abs() < 1e-14);
        let s = summarize(&case).unwrap();
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["points"][0]["date"], "2025-12-01");
        let keys: Vec<_> = v["points"][0]["posteriors"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["a", "b"]);
        let csv =
            String::from_utf8(s.with(&case).render(crate::render::Format::Csv).unwrap()).unwrap();
        assert!(csv.starts_with("date,posteriors.a,posteriors.b\n2025-12-01,"));
        assert!(s.markdown(&case).contains("| 2025-12-03 | 85.7% | 14.3% |"));
    }
}
