//! Why the scorer ranks as it does (docs/reference.md §3.4): effective weights, contributions in
//! decibans, the weight of evidence between the leader and the runner-up, diagnosticity and
//! the ICD 203 estimative term of each posterior; and the `score` document of docs/reference.md §9.
//!
//! Every derived quantity is taken over the live hypotheses A (s_k > −∞), so every number is
//! finite; an item that does not count, or has ω = 0, gets 0 everywhere.

use serde::Serialize;

use crate::case::Case;
use crate::error::Error;
use crate::output::Header;
use crate::score::bayes::{self, Scores};
pub use crate::score::shared::{HypMap, ItemBasics};

/// Below this diagnosticity (in decibans) an item is "non-diagnostic" (docs/reference.md §3.4).
pub const NON_DIAGNOSTIC_DB: f64 = 1.0;

/// Natural-log units to decibans.
///
/// # Formula
/// `dB(x) = 10 · x / ln 10`, so a likelihood ratio of 10 is 10 dB and a ratio of 2 is about
/// 3.01 dB: Good's deciban (I. J. Good, *Probability and the Weighing of Evidence*, 1950).
pub fn decibans(x: f64) -> f64 {
    x * (10.0 / std::f64::consts::LN_10)
}

/// The ICD 203 estimative term of a probability.
///
/// # Formula
/// `p` is first rounded to 4 decimals — its exact binary value, correctly rounded (as
/// `format!("{p:.4}")` and Python's `round(p, 4)` do; multiplying by 10⁴ first would round
/// 0.44994999999999996 up to 0.45); then `[0, .05)` almost no chance · `[.05, .20)` very
/// unlikely · `[.20, .45)` unlikely · `[.45, .55]` roughly even chance · `(.55, .80]` likely ·
/// `(.80, .95]` very likely · `(.95, 1]` almost certain (Intelligence Community Directive 203,
/// *Analytic Standards*, 2015, §D.6.e; docs/reference.md §3.4).
pub fn estimative(p: f64) -> &'static str {
    let r: f64 = format!("{p:.4}").parse().unwrap_or(p);
    if r < 0.05 {
        "almost no chance"
    } else if r < 0.20 {
        "very unlikely"
    } else if r < 0.45 {
        "unlikely"
    } else if r <= 0.55 {
        "roughly even chance"
    } else if r <= 0.80 {
        "likely"
    } else if r <= 0.95 {
        "very likely"
    } else {
        "almost certain"
    }
}

/// What one evidence item does to the ranking (docs/reference.md §3.4). Weights of evidence are in
/// decibans.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemExplanation {
    /// ω_e (0 for an item that does not count).
    pub effective_weight: f64,
    /// C_ek in dB for every hypothesis, `None` for eliminated ones.
    pub contributions: Vec<Option<f64>>,
    /// ω_e (ln ℓ̃_e,leader − ln ℓ̃_e,runner-up) in dB; `None` when the runner-up is eliminated
    /// (or the case has a single live hypothesis).
    pub leader_vs_runner_up: Option<f64>,
    /// ω_e (max_{k∈A} ln ℓ̃_ek − min_{k∈A} ln ℓ̃_ek) in dB.
    pub diagnosticity: f64,
    /// `diagnosticity < 1 dB`.
    pub non_diagnostic: bool,
}

/// The scores of a case with an explanation of every item.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The Bayesian scores (docs/reference.md §3.3).
    pub scores: Scores,
    /// One explanation per item, in declaration order.
    pub items: Vec<ItemExplanation>,
}

/// Scores the case and explains every item.
///
/// # Errors
/// When every hypothesis is eliminated (see [`bayes::score`]).
pub fn explain(case: &Case) -> Result<Explanation, Error> {
    let scores = bayes::score(case)?;
    let items = explain_items(&scores);
    Ok(Explanation { scores, items })
}

/// Explains every item of already computed scores.
///
/// # Formula
/// With A the live hypotheses, q_ek the probability of what was seen (ℓ̃ or 1 − ℓ̃):
/// `C_ek = dB(ω_e (ln q_ek − mean_{j∈A} ln q_ej))`, the leader-vs-runner-up weight
/// `dB(ω_e (ln q_e,leader − ln q_e,runner-up))` and the diagnosticity
/// `dB(ω_e (max_{k∈A} ln q_ek − min_{k∈A} ln q_ek))` (Good's weight of evidence, 1950).
pub fn explain_items(scores: &Scores) -> Vec<ItemExplanation> {
    let live: Vec<usize> = (0..scores.log_scores.len())
        .filter(|&k| scores.is_live(k))
        .collect();
    let runner_up = scores.order.get(1).copied().filter(|&k| scores.is_live(k));
    scores
        .weights
        .iter()
        .zip(&scores.log_probs)
        .map(|(&w, lq)| {
            let counted = w > 0.0;
            let contributions = contributions_db(scores, w, lq);
            let leader_vs_runner_up = runner_up.map(|r| {
                if counted {
                    decibans(w * (lq[scores.leader()] - lq[r]))
                } else {
                    0.0
                }
            });
            let diagnosticity = if counted {
                diagnosticity_db(w, lq, &live)
            } else {
                0.0
            };
            ItemExplanation {
                effective_weight: w,
                contributions,
                leader_vs_runner_up,
                diagnosticity,
                non_diagnostic: diagnosticity < NON_DIAGNOSTIC_DB,
            }
        })
        .collect()
}

/// The contributions in dB of a row of log probabilities `log_probs` with weight `w` (an
/// item's, or the log priors with weight 1): `None` for eliminated hypotheses, 0 everywhere
/// when `w` = 0.
///
/// # Formula
/// `C_k = dB(w (x_k − (1/|A|) Σ_{j∈A} x_j))` for k in the live set A (docs/reference.md §3.4).
pub fn contributions_db(scores: &Scores, w: f64, log_probs: &[f64]) -> Vec<Option<f64>> {
    let live: Vec<usize> = (0..log_probs.len())
        .filter(|&k| scores.is_live(k))
        .collect();
    let mean = live.iter().map(|&k| log_probs[k]).sum::<f64>() / live.len() as f64;
    (0..log_probs.len())
        .map(|k| {
            scores.is_live(k).then(|| {
                if w > 0.0 {
                    decibans(w * (log_probs[k] - mean))
                } else {
                    0.0
                }
            })
        })
        .collect()
}

/// The diagnosticity in dB of an item with weight `w` and log probabilities `log_probs`
/// over the hypotheses `live` (0 for fewer than two). `check` uses it on pending items as if
/// they counted.
///
/// # Formula
/// `dB(w (max_{k∈live} ln q_k − min_{k∈live} ln q_k))` (docs/reference.md §3.4).
pub fn diagnosticity_db(w: f64, log_probs: &[f64], live: &[usize]) -> f64 {
    if w == 0.0 || live.len() < 2 {
        return 0.0;
    }
    let max = live.iter().map(|&k| log_probs[k]).fold(f64::MIN, f64::max);
    let min = live.iter().map(|&k| log_probs[k]).fold(f64::MAX, f64::min);
    decibans(w * (max - min))
}

/// One hypothesis of the `score` document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HypothesisScore {
    /// Hypothesis id.
    pub id: String,
    /// Title.
    pub title: String,
    /// 1-based rank.
    pub rank: usize,
    /// Normalised prior π_k.
    pub prior: f64,
    /// Posterior p_k.
    pub posterior: f64,
    /// s_k in nats; `null` when eliminated.
    pub log_score: Option<f64>,
    /// ICD 203 term of the posterior.
    pub estimative: &'static str,
}

/// One evidence item of the `score` document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvidenceScore {
    /// Id, status, weight and credibility.
    #[serde(flatten)]
    pub basics: ItemBasics,
    /// ω_e.
    pub effective_weight: f64,
    /// Diagnosticity in dB.
    pub diagnosticity_db: f64,
    /// C_ek in dB by hypothesis, `null` for eliminated hypotheses.
    pub contributions_db: HypMap<Option<f64>>,
    /// Leader-vs-runner-up weight in dB, `null` when the runner-up is eliminated.
    pub leader_vs_runner_up_db: Option<f64>,
}

/// A family of hypotheses in the `score` document (`docs/model.md`, "Families").
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FamilyScore {
    /// Family id.
    pub id: String,
    /// Family title.
    pub title: String,
    /// Member hypothesis ids, as declared.
    pub members: Vec<String>,
    /// The sum of the members' posteriors.
    pub posterior: f64,
    /// ICD 203 estimative term of that posterior.
    pub estimative: &'static str,
}

/// The `score` document of the Bayesian method (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScoreSummary {
    /// `schema_version`, `case`, `command` (= `score`).
    #[serde(flatten)]
    pub header: Header,
    /// `bayes`.
    pub method: &'static str,
    /// Hypotheses by rank.
    pub hypotheses: Vec<HypothesisScore>,
    /// Families in declaration order (empty when the case declares none).
    pub families: Vec<FamilyScore>,
    /// Every item in declaration order.
    pub evidence: Vec<EvidenceScore>,
}

/// The case's families, in declaration order, with the posteriors `posteriors` of the
/// hypotheses (declaration order).
fn families(case: &Case, posteriors: &[f64]) -> Vec<FamilyScore> {
    (case.families.iter())
        .map(|f| {
            let p = f.posterior(posteriors);
            FamilyScore {
                id: f.id.clone(),
                title: f.title.clone(),
                members: (f.members.iter())
                    .map(|&k| case.hypotheses[k].id.clone())
                    .collect(),
                posterior: p,
                estimative: estimative(p),
            }
        })
        .collect()
}

/// Scores the case and builds the `score` document.
///
/// # Errors
/// When every hypothesis is eliminated (see [`bayes::score`]).
pub fn summarize(case: &Case) -> Result<ScoreSummary, Error> {
    Ok(summary_of(case, &explain(case)?))
}

/// The `score` document of `case` from its explanation (`explain(case)`): the report builds
/// on it too.
pub fn summary_of(case: &Case, explained: &Explanation) -> ScoreSummary {
    let Explanation { scores, items } = explained;
    let total: f64 = case.hypotheses.iter().map(|h| h.prior).sum();
    let hypotheses = scores
        .order
        .iter()
        .map(|&k| {
            let h = &case.hypotheses[k];
            HypothesisScore {
                id: h.id.clone(),
                title: h.title.clone(),
                rank: scores.ranks[k],
                prior: h.prior / total,
                posterior: scores.posteriors[k],
                log_score: scores.is_live(k).then_some(scores.log_scores[k]),
                estimative: estimative(scores.posteriors[k]),
            }
        })
        .collect();
    let evidence = items
        .iter()
        .enumerate()
        .map(|(e, x)| EvidenceScore {
            basics: ItemBasics::of(case, e),
            effective_weight: x.effective_weight,
            diagnosticity_db: x.diagnosticity,
            contributions_db: HypMap(
                case.hypotheses
                    .iter()
                    .map(|h| h.id.clone())
                    .zip(x.contributions.iter().copied())
                    .collect(),
            ),
            leader_vs_runner_up_db: x.leader_vs_runner_up,
        })
        .collect();
    ScoreSummary {
        header: Header::new(case, "score"),
        method: "bayes",
        hypotheses,
        families: families(case, &scores.posteriors),
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Credibility, Evidence, Status};
    use crate::render::{CaseDocument, Document};

    #[test]
    fn estimative_boundaries() {
        assert_eq!(estimative(0.0), "almost no chance");
        // 0.04999 rounds to 0.0500, the first value of "very unlikely".
        assert_eq!(estimative(0.04999), "very unlikely");
        assert_eq!(estimative(0.04994), "almost no chance");
        assert_eq!(estimative(0.2), "unlikely");
        assert_eq!(estimative(0.19999), "unlikely");
        assert_eq!(estimative(0.45), "roughly even chance");
        assert_eq!(estimative(0.55), "roughly even chance");
        // 0.55001 rounds to 0.5500, still inside [.45, .55].
        assert_eq!(estimative(0.55001), "roughly even chance");
        assert_eq!(estimative(0.5501), "likely");
        assert_eq!(estimative(0.8), "likely");
        assert_eq!(estimative(0.8001), "very likely");
        assert_eq!(estimative(0.95), "very likely");
        assert_eq!(estimative(0.95004), "very likely");
        assert_eq!(estimative(0.9501), "almost certain");
        assert_eq!(estimative(1.0), "almost certain");
    }

    #[test]
    fn decibans_of_ten_and_two() {
        assert!((decibans(10f64.ln()) - 10.0).abs() < 1e-12);
        // 10 log10 2 = 3.0103
        assert!((decibans(2f64.ln()) - 3.010_299_956_639_812).abs() < 1e-12);
    }

    /// Three hypotheses, two items, equal priors.
    fn three() -> Case {
        let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0), ("c", 2.0)]);
        case.evidence.push(Evidence::new("e1", &[0.8, 0.4, 0.2]));
        let mut e2 = Evidence::new("e2", &[0.5, 0.5, 0.25]);
        e2.weight = 2.0;
        case.evidence.push(e2);
        let mut e3 = Evidence::new("e3", &[0.9, 0.1, 0.5]);
        e3.status = Status::Pending;
        case.evidence.push(e3);
        case
    }

    #[test]
    fn posteriors_and_contributions_by_hand() {
        let case = three();
        let x = explain(&case).unwrap();
        // s_a = ln(1/4) + ln 0.8 + 2 ln 0.5   -> weight 1/4 · 0.8 · 0.25 = 0.05
        // s_b = ln(1/4) + ln 0.4 + 2 ln 0.5   -> 1/4 · 0.4 · 0.25 = 0.025
        // s_c = ln(2/4) + ln 0.2 + 2 ln 0.25  -> 1/2 · 0.2 · 0.0625 = 0.00625
        // total 0.08125: p = 0.05/0.08125 = 8/13, 0.025/0.08125 = 4/13, 1/13.
        let p = &x.scores.posteriors;
        assert!((p[0] - 8.0 / 13.0).abs() < 1e-14);
        assert!((p[1] - 4.0 / 13.0).abs() < 1e-14);
        assert!((p[2] - 1.0 / 13.0).abs() < 1e-14);
        // e1: mean ln = ln(0.8·0.4·0.2)/3 = ln(0.064)/3; C_a = ln 0.8 − ln(0.064)/3
        //   = ln(0.8 / 0.4) = ln 2 (0.064^(1/3) = 0.4) -> 3.0103 dB; C_b = 0; C_c = ln 0.5 = −3.0103 dB.
        let c = &x.items[0].contributions;
        assert!((c[0].unwrap() - 3.010_299_956_639_812).abs() < 1e-12);
        assert!(c[1].unwrap().abs() < 1e-12);
        assert!((c[2].unwrap() + 3.010_299_956_639_812).abs() < 1e-12);
        // diagnosticity e1 = dB(ln 0.8 − ln 0.2) = 10 log10 4 = 6.0206; leader a, runner-up b:
        // dB(ln 0.8 − ln 0.4) = 3.0103.
        assert!((x.items[0].diagnosticity - 6.020_599_913_279_624).abs() < 1e-12);
        assert!((x.items[0].leader_vs_runner_up.unwrap() - 3.010_299_956_639_812).abs() < 1e-12);
        // e2 (ω = 2): mean ln = (2 ln 0.5 + ln 0.25)/3 = (4/3) ln 0.5; C_a = 2(ln 0.5 − (4/3) ln 0.5)
        //   = −(2/3) ln 0.5 = (2/3) ln 2 -> 2.0069 dB; C_c = 2(2 − 4/3) ln 0.5 = −(4/3) ln 2 -> −4.0137 dB.
        let c = &x.items[1].contributions;
        assert!((c[0].unwrap() - 2.0 / 3.0 * 3.010_299_956_639_812).abs() < 1e-12);
        assert!((c[2].unwrap() + 4.0 / 3.0 * 3.010_299_956_639_812).abs() < 1e-12);
        // Leader a vs runner-up b on e2: equal likelihoods, 0 dB; diagnosticity 2 ln 2 -> 6.0206.
        assert!(x.items[1].leader_vs_runner_up.unwrap().abs() < 1e-12);
        assert!((x.items[1].diagnosticity - 6.020_599_913_279_624).abs() < 1e-12);
        // The pending item does not count: zeros everywhere, non-diagnostic.
        assert_eq!(x.items[2].effective_weight, 0.0);
        assert_eq!(x.items[2].contributions, vec![Some(0.0); 3]);
        assert_eq!(x.items[2].leader_vs_runner_up, Some(0.0));
        assert!(x.items[2].non_diagnostic);
    }

    #[test]
    fn eliminated_hypotheses_have_null_contributions() {
        let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
        case.evidence
            .push(Evidence::new("kill-b", &[0.5, 0.0, 0.25]));
        case.evidence.push(Evidence::new("e2", &[0.5, 0.5, 0.5]));
        let s = summarize(&case).unwrap();
        // a: 1/3·0.5, c: 1/3·0.25 -> p_a = 2/3, p_c = 1/3, b eliminated and last.
        assert_eq!(s.hypotheses[2].id, "b");
        assert_eq!(s.hypotheses[2].log_score, None);
        assert_eq!(s.hypotheses[2].posterior, 0.0);
        assert!((s.hypotheses[0].posterior - 2.0 / 3.0).abs() < 1e-14);
        let c = &s.evidence[0].contributions_db.0;
        assert_eq!(c[1].1, None);
        // Over A = {a, c}: mean ln = ln(0.125)/2; C_a = ln 0.5 − ln(0.125)/2 = ln √2 -> 1.5051 dB.
        assert!((c[0].1.unwrap() - 1.505_149_978_319_906).abs() < 1e-12);
        // Runner-up c is live: dB(ln 0.5 − ln 0.25) = 3.0103.
        assert!(
            (s.evidence[0].leader_vs_runner_up_db.unwrap() - 3.010_299_956_639_812).abs() < 1e-12
        );
    }

    #[test]
    fn runner_up_eliminated_gives_null() {
        let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
        case.evidence.push(Evidence::new("kill-b", &[0.5, 0.0]));
        let x = explain(&case).unwrap();
        assert_eq!(x.items[0].leader_vs_runner_up, None);
        assert_eq!(x.items[0].contributions, vec![Some(0.0), None]);
        assert_eq!(x.items[0].diagnosticity, 0.0);
        assert_eq!(x.scores.posteriors, vec![1.0, 0.0]);
    }

    #[test]
    fn json_has_exactly_the_spec_keys() {
        let mut case = three();
        case.evidence[1].credibility = Credibility::Schum {
            hit_rate: 0.9,
            false_alarm_rate: 0.2,
        };
        let s = summarize(&case).unwrap();
        let v = serde_json::to_value(&s).unwrap();
        let keys =
            |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(&v),
            [
                "schema_version",
                "case",
                "command",
                "provenance",
                "method",
                "hypotheses",
                "families",
                "evidence"
            ]
        );
        assert_eq!(
            keys(&v["hypotheses"][0]),
            [
                "id",
                "title",
                "rank",
                "prior",
                "posterior",
                "log_score",
                "estimative"
            ]
        );
        assert_eq!(
            keys(&v["evidence"][0]),
            [
                "id",
                "status",
                "weight",
                "credibility",
                "effective_weight",
                "diagnosticity_db",
                "contributions_db",
                "leader_vs_runner_up_db"
            ]
        );
        assert_eq!(v["evidence"][1]["credibility"], serde_json::Value::Null);
        assert_eq!(v["evidence"][1]["hit_rate"], 0.9);
        assert_eq!(v["evidence"][1]["false_alarm_rate"], 0.2);
        assert_eq!(keys(&v["evidence"][0]["contributions_db"]), ["a", "b", "c"]);
        // prior = π_k: c has prior weight 2 of 4.
        let c = v["hypotheses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == "c")
            .unwrap();
        assert_eq!(c["prior"], 0.5);
        let md = s.markdown(&case);
        // With e2 now ℓ̃ = 0.2 + 0.7ℓ = (0.55, 0.55, 0.375) at ω = 2:
        // a ∝ 0.25·0.8·0.3025 = 0.0605, b ∝ 0.03025, c ∝ 0.5·0.2·0.140625 = 0.0140625;
        // p_a = 0.0605/0.1048125 = 57.7%; b is 10 log10(1/2) = −3.0 dB from the leader.
        assert!(md.contains("| 1 | `a` | 57.7% | likely | 0.0 |"), "{md}");
        assert!(md.contains("| 2 | `b` | 28.9% | unlikely | −3.0 |"), "{md}");
        let csv =
            String::from_utf8(s.with(&case).render(crate::render::Format::Csv).unwrap()).unwrap();
        assert!(csv.starts_with("id,title,rank,prior,posterior,log_score,estimative\na,a,1,"));
    }
}
