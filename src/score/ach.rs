//! Heuer's Analysis of Competing Hypotheses with PARC ACH weights (docs/reference.md §4), for comparison
//! with the matrices analysts already keep.
//!
//! # Formula
//! ```text
//! inconsistency_k = Σ_{e counted} a_e · points(rating_ek)      a_e = κ(c_e) · w_e
//! κ(c) = 2^((max(c, 0) − 0.7) / 0.4)                           (κ = 1 with no credibility information)
//! ```
//! points: I = 1, II = 2, every other rating 0. Lower inconsistency ranks higher. No group
//! discount and no priors, as in ACH (R. J. Heuer Jr., *Psychology of Intelligence
//! Analysis*, 1999, ch. 8; the PARC ACH 2.0 software's credibility and relevance weights).

use serde::Serialize;

use crate::case::values::RatingScale;
use crate::case::{Case, Cell, Credibility, CredibilityBasis, Rating, Status};
use crate::output::Header;
use crate::score::shared::{HypMap, ItemBasics};

/// Two logit distances closer than this are a tie.
const TIE: f64 = 1e-12;

/// The PARC ACH credibility factor κ of an item.
///
/// # Formula
/// `κ(c) = 2^((max(c, 0) − 0.7) / 0.4)` with c the mixture credibility, or `c = h − f` for
/// an item given a hit rate and a false-alarm rate; κ = 1 exactly when the item carries no
/// credibility information at all ([`CredibilityBasis::Default`]). The labels low/medium/high
/// (0.5/0.7/0.9) thus give 1/√2, 1, √2, PARC ACH's weights (docs/reference.md §4).
pub fn kappa(cred: &Credibility) -> f64 {
    let c = match *cred {
        Credibility::Mixture {
            basis: CredibilityBasis::Default,
            ..
        } => return 1.0,
        Credibility::Mixture { value, .. } => value,
        Credibility::Schum {
            hit_rate,
            false_alarm_rate,
        } => hit_rate - false_alarm_rate,
    };
    ((c.max(0.0) - 0.7) / 0.4).exp2()
}

fn logit(x: f64) -> f64 {
    (x / (1.0 - x)).ln()
}

/// The rating of the case's scale nearest to a likelihood in logit distance.
///
/// # Formula
/// `argmin_r |logit ℓ − logit ℓ_r|` over CC, C, N, I, II; ℓ ≤ 0 gives II and ℓ ≥ 1 gives CC;
/// ties go to the rating with fewer inconsistency points, then to the one nearer N (docs/reference.md §4).
pub fn nearest_rating(scale: &RatingScale, l: f64) -> Rating {
    if l <= 0.0 {
        return Rating::II;
    }
    if l >= 1.0 {
        return Rating::CC;
    }
    let x = logit(l);
    let key = |i: usize| {
        let r = Rating::SCALE[i];
        (
            (x - logit(scale.levels[i].likelihood)).abs(),
            r.points(),
            i.abs_diff(2),
        )
    };
    let mut best = 0;
    for i in 1..Rating::SCALE.len() {
        let (d, p, n) = key(i);
        let (bd, bp, bn) = key(best);
        let better = if (d - bd).abs() <= TIE {
            (p, n) < (bp, bn)
        } else {
            d < bd
        };
        if better {
            best = i;
        }
    }
    Rating::SCALE[best]
}

/// The rating a cell takes in the ACH matrix: ratings as written (mirrored CC↔II, C↔I for an
/// `absent` item), numbers mapped by [`nearest_rating`] (1 − ℓ for an `absent` item).
pub fn cell_rating(scale: &RatingScale, cell: &Cell, status: Status) -> Rating {
    let absent = status == Status::Absent;
    match *cell {
        Cell::Rating(r) if absent => r.mirrored(),
        Cell::Rating(r) => r,
        Cell::Value { value, .. } => {
            nearest_rating(scale, if absent { 1.0 - value } else { value })
        }
    }
}

/// The result of the ACH method.
#[derive(Debug, Clone, PartialEq)]
pub struct AchScores {
    /// Weighted inconsistency of each hypothesis, in declaration order.
    pub inconsistency: Vec<f64>,
    /// Hypothesis indices by rank (least inconsistent first, ties in declaration order).
    pub order: Vec<usize>,
    /// 1-based rank of each hypothesis, in declaration order.
    pub ranks: Vec<usize>,
    /// a_e = κ(c_e) · w_e for counted items, 0 for the others.
    pub weights: Vec<f64>,
    /// The rating of every cell, item by item (mirrored for `absent` items).
    pub ratings: Vec<Vec<Rating>>,
}

/// Scores the case with the ACH method (docs/reference.md §4).
pub fn ach(case: &Case) -> AchScores {
    let k = case.hypotheses.len();
    let mut inconsistency = vec![0.0; k];
    let mut weights = Vec::with_capacity(case.evidence.len());
    let mut ratings = Vec::with_capacity(case.evidence.len());
    for item in &case.evidence {
        let row: Vec<Rating> = item
            .likelihood
            .iter()
            .map(|c| cell_rating(&case.ratings, c, item.status))
            .collect();
        let a = if item.counts() {
            kappa(&item.credibility) * item.weight
        } else {
            0.0
        };
        if a > 0.0 {
            for (s, r) in inconsistency.iter_mut().zip(&row) {
                *s += a * f64::from(r.points());
            }
        }
        weights.push(a);
        ratings.push(row);
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| inconsistency[a].total_cmp(&inconsistency[b]));
    let mut ranks = vec![0; k];
    for (r, &h) in order.iter().enumerate() {
        ranks[h] = r + 1;
    }
    AchScores {
        inconsistency,
        order,
        ranks,
        weights,
        ratings,
    }
}

/// One hypothesis of the ACH `score` document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AchHypothesis {
    /// Hypothesis id.
    pub id: String,
    /// Title.
    pub title: String,
    /// 1-based rank (least inconsistent first).
    pub rank: usize,
    /// Normalised prior π_k (shown for reference; ACH does not use it).
    pub prior: f64,
    /// Weighted inconsistency.
    pub inconsistency: f64,
}

/// One evidence item of the ACH `score` document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AchEvidence {
    /// Id, status, weight and credibility.
    #[serde(flatten)]
    pub basics: ItemBasics,
    /// The ACH weight a_e = κ(c_e) · w_e (0 for an item that does not count).
    pub effective_weight: f64,
    /// The rating of each cell as scored (after number mapping and mirroring).
    pub ratings: HypMap<&'static str>,
    /// a_e · points for each hypothesis.
    pub inconsistency: HypMap<f64>,
}

/// The `score --method ach` document (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AchSummary {
    /// `schema_version`, `case`, `command` (= `score`).
    #[serde(flatten)]
    pub header: Header,
    /// `ach`.
    pub method: &'static str,
    /// Hypotheses by rank.
    pub hypotheses: Vec<AchHypothesis>,
    /// Every item in declaration order.
    pub evidence: Vec<AchEvidence>,
}

/// Scores the case with the ACH method and builds its document.
pub fn summarize(case: &Case) -> AchSummary {
    let s = ach(case);
    let total: f64 = case.hypotheses.iter().map(|h| h.prior).sum();
    let ids = || case.hypotheses.iter().map(|h| h.id.clone());
    let hypotheses = s
        .order
        .iter()
        .map(|&k| {
            let h = &case.hypotheses[k];
            AchHypothesis {
                id: h.id.clone(),
                title: h.title.clone(),
                rank: s.ranks[k],
                prior: h.prior / total,
                inconsistency: s.inconsistency[k],
            }
        })
        .collect();
    let evidence = (0..case.evidence.len())
        .map(|e| AchEvidence {
            basics: ItemBasics::of(case, e),
            effective_weight: s.weights[e],
            ratings: HypMap(ids().zip(s.ratings[e].iter().map(|r| r.as_str())).collect()),
            inconsistency: HypMap(
                ids()
                    .zip(
                        s.ratings[e]
                            .iter()
                            .map(|r| s.weights[e] * f64::from(r.points())),
                    )
                    .collect(),
            ),
        })
        .collect();
    AchSummary {
        header: Header::new(case, "score"),
        method: "ach",
        hypotheses,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Evidence;

    fn rated(id: &str, cells: &[Rating]) -> Evidence {
        let mut e = Evidence::new(id, &vec![0.5; cells.len()]);
        e.likelihood = cells.iter().map(|&r| Cell::Rating(r)).collect();
        e
    }

    #[test]
    fn published_four_by_four_matrix() {
        use Rating::*;
        // Heuer's matrix style: four items, four hypotheses, unweighted (no credibility
        // information, weight 1): one I against h1, three against h4.
        let mut case = Case::new("m", &[("h1", 1.0), ("h2", 1.0), ("h3", 1.0), ("h4", 1.0)]);
        case.evidence.push(rated("e1", &[I, C, N, I]));
        case.evidence.push(rated("e2", &[C, C, CC, I]));
        case.evidence.push(rated("e3", &[N, NA, C, I]));
        case.evidence.push(rated("e4", &[CC, N, C, C]));
        let s = ach(&case);
        // h1: 1 (e1), h2: 0, h3: 0, h4: 1 + 1 + 1 = 3.
        assert_eq!(s.inconsistency, vec![1.0, 0.0, 0.0, 3.0]);
        // h2 and h3 tie at 0: declaration order.
        assert_eq!(s.order, vec![1, 2, 0, 3]);
        assert_eq!(s.ranks, vec![3, 1, 2, 4]);
    }

    #[test]
    fn weights_credibility_and_mirroring() {
        use Rating::*;
        let mut case = Case::new("m", &[("a", 1.0), ("b", 1.0)]);
        // high credibility (0.9), weight 2: κ = 2^((0.9 − 0.7)/0.4) = √2, a = 2√2; II on b -> 4√2.
        let mut e1 = rated("e1", &[C, II]);
        e1.weight = 2.0;
        e1.credibility = Credibility::Mixture {
            value: 0.9,
            range: None,
            basis: CredibilityBasis::Explicit,
        };
        // absent, mirrored: CC -> II on a (2 points), I -> C on b; Schum h − f = 0.8 − 0.2 = 0.6:
        // κ = 2^(−0.1/0.4) = 2^(−1/4).
        let mut e2 = rated("e2", &[CC, I]);
        e2.status = Status::Absent;
        e2.credibility = Credibility::Schum {
            hit_rate: 0.8,
            false_alarm_rate: 0.2,
        };
        // retracted items never count.
        let mut e3 = rated("e3", &[II, II]);
        e3.status = Status::Retracted;
        case.evidence.extend([e1, e2, e3]);
        let s = ach(&case);
        assert!((s.inconsistency[0] - 2.0 * 2f64.powf(-0.25)).abs() < 1e-15);
        assert!((s.inconsistency[1] - 4.0 * 2f64.sqrt()).abs() < 1e-14);
        assert_eq!(s.ratings[1], vec![II, C]);
        assert_eq!(s.weights[2], 0.0);
        assert_eq!(s.order, vec![0, 1]);
    }

    #[test]
    fn kappa_of_labels_and_defaults() {
        let m = |value, basis| Credibility::Mixture {
            value,
            range: None,
            basis,
        };
        assert_eq!(kappa(&m(1.0, CredibilityBasis::Default)), 1.0);
        // Admiralty A1 = 1.0: 2^(0.3/0.4) = 2^0.75.
        assert!((kappa(&m(1.0, CredibilityBasis::Admiralty)) - 0.75f64.exp2()).abs() < 1e-15);
        assert_eq!(kappa(&m(0.7, CredibilityBasis::Explicit)), 1.0);
        assert!((kappa(&m(0.5, CredibilityBasis::Explicit)) - 0.5f64.sqrt()).abs() < 1e-15);
        // c < 0 is clamped: a deceptive Schum source (h − f = −0.5) gets 2^(−0.7/0.4).
        let deceptive = Credibility::Schum {
            hit_rate: 0.2,
            false_alarm_rate: 0.7,
        };
        assert!((kappa(&deceptive) - (-1.75f64).exp2()).abs() < 1e-15);
    }

    #[test]
    fn numbers_map_to_nearest_rating_in_logit_distance() {
        use Rating::*;
        let s = RatingScale::default();
        assert_eq!(nearest_rating(&s, 0.0), II);
        assert_eq!(nearest_rating(&s, 1.0), CC);
        assert_eq!(nearest_rating(&s, 0.5), N);
        assert_eq!(nearest_rating(&s, 0.3), I);
        // logit 0.2 = −1.386; I: logit 0.3 = −0.847 (0.539 away), II: logit 0.1 = −2.197 (0.811).
        assert_eq!(nearest_rating(&s, 0.2), I);
        // logit 0.16 = −1.658: I 0.811 away, II 0.539 away.
        assert_eq!(nearest_rating(&s, 0.16), II);
        // logit 0.8 = 1.386: C (0.847) 0.539 away, CC (2.197) 0.811 away.
        assert_eq!(nearest_rating(&s, 0.8), C);
        // The logit midpoint of N (0) and I (−0.847) is −0.4236: ℓ = 1/(1 + e^0.4236) = 0.39565;
        // a tie goes to N (fewer points).
        let mid = 1.0 / (1.0 + (logit(0.7) / 2.0).exp());
        assert_eq!(nearest_rating(&s, mid), N);
        // Tie between CC and C (both 0 points): the midpoint of their logits; nearer N wins -> C.
        let m = (logit(0.9) + logit(0.7)) / 2.0;
        assert_eq!(nearest_rating(&s, 1.0 / (1.0 + (-m).exp())), C);
        // An absent number maps 1 − ℓ: ℓ = 0.9 -> 0.1 -> II.
        let cell = Cell::Value {
            value: 0.9,
            range: None,
        };
        assert_eq!(cell_rating(&s, &cell, Status::Absent), II);
        assert_eq!(cell_rating(&s, &Cell::Rating(NA), Status::Absent), NA);
    }

    #[test]
    fn document_keys() {
        use Rating::*;
        let mut case = Case::new("m", &[("a", 1.0), ("b", 3.0)]);
        case.evidence.push(rated("e1", &[C, I]));
        let v = serde_json::to_value(summarize(&case)).unwrap();
        let keys =
            |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(&v["hypotheses"][0]),
            ["id", "title", "rank", "prior", "inconsistency"]
        );
        assert_eq!(v["method"], "ach");
        assert_eq!(v["hypotheses"][1]["prior"], 0.75);
        assert_eq!(v["evidence"][0]["ratings"]["b"], "I");
        assert_eq!(v["evidence"][0]["inconsistency"]["b"], 1.0);
    }
}
