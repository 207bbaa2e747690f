//! Gathering a [`Report`] from the scorer, the sweeps, the indicators and the timeline.

use crate::case::{Case, Credibility};
use crate::error::Error;
use crate::indicators;
use crate::score::{explain, timeline};
use crate::sweep::monte_carlo::{self, McOutput};
use crate::sweep::{tipping, tornado};

use super::summary::{
    CriticalItem, EvidenceRow, FamilyRow, Indicator, RankedHypothesis, Report, SourceItem,
    SourceRow, TippingPoint,
};
use crate::case::provenance;
use crate::score::explain::HypMap;
use crate::score::matrix;

/// Monte Carlo scenarios of a report when `--samples` is not given, for cases of up to
/// `DRAW_BUDGET` / 200,000 = 1,250 varying quantities (the bundled case has fewer than
/// 200): enough for quantiles and rank probabilities to two decimals, and a run of about a
/// second. Larger cases get [`default_samples`].
pub const DEFAULT_SAMPLES: u64 = 200_000;

/// The fewest scenarios a report runs by default: a share of scenarios (ranks first, a
/// rank's probability) has a standard error of at most 0.5/√1,024 = 1.6 percentage points.
pub const MIN_DEFAULT_SAMPLES: u64 = 1_024;

/// Default scenario counts are whole multiples of this many (a quarter of a Monte Carlo
/// chunk).
pub const SAMPLES_STEP: u64 = 1_024;

/// Quantity draws a report's Monte Carlo makes by default: 2.5·10⁸, about 1.3 s of one core
/// at the kernel's rate with ranges on every cell (about 2·10⁸ draws per core-second on the
/// Xeon of docs/performance.md; up to 4,096 scenarios are one chunk, run on one core;
/// docs/performance.md, "Scaling in the size of the case"; docs/decisions.md, "Report
/// samples by case size").
pub const DRAW_BUDGET: u64 = 250_000_000;

/// The scenarios of a report of `case` when `--samples` is not given: [`DEFAULT_SAMPLES`],
/// or fewer for a case with many varying quantities, so that the run stays within
/// `DRAW_BUDGET` draws, but never fewer than `MIN_DEFAULT_SAMPLES`. Rounded up to whole
/// multiples of `SAMPLES_STEP` (docs/decisions.md, "Report samples by case size").
///
/// # Formula
/// N = clamp(⌈⌈B / Q⌉ / 1,024⌉ · 1,024, 1,024, 200,000), Q = number of varying quantities.
pub fn default_samples(case: &Case) -> u64 {
    let q = crate::sweep::uncertainty::varying_quantities(case)
        .len()
        .max(1) as u64;
    samples_for_quantities(q)
}

/// [`default_samples`] for a case of `q` ≥ 1 varying quantities.
pub fn samples_for_quantities(q: u64) -> u64 {
    (DRAW_BUDGET.div_ceil(q.max(1)).div_ceil(SAMPLES_STEP) * SAMPLES_STEP)
        .clamp(MIN_DEFAULT_SAMPLES, DEFAULT_SAMPLES)
}

/// Scores the case, runs the Monte Carlo sweep (`samples` scenarios from `seed`), the
/// tornado, the tipping points with leave-one-out, the indicators and the timeline, and
/// gathers them into a [`Report`]. `progress` is called with the scenarios done per chunk.
///
/// # Errors
/// An inconsistent case (every hypothesis eliminated), or `samples` = 0.
pub fn build(
    case: &Case,
    samples: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Report, Error> {
    let explained = explain::explain(case)?;
    let scores = &explained.scores;
    let leader = scores.leader();
    // The Monte Carlo runs on the rayon pool and the exact sweeps beside it (as in the
    // workbench), so a run of one chunk, which keeps one core busy, leaves the other to
    // them. Each result is the one of running it alone, and errors are taken in
    // the order the steps are listed.
    let (mc, (tipping, (tornado, (indicators, timeline)))) = rayon::join(
        || monte_carlo::run(case, samples, seed, None, progress),
        || {
            rayon::join(
                || tipping::run(case),
                || {
                    rayon::join(
                        || tornado::run(case),
                        || {
                            rayon::join(
                                || indicators::indicators(case),
                                || timeline::summarize(case),
                            )
                        },
                    )
                },
            )
        },
    );
    let McOutput::Summary(mc) = mc? else {
        unreachable!("a run without a shard gives a summary");
    };
    let (tipping, tornado, indicators, timeline) = (tipping?, tornado?, indicators?, timeline?);
    // The score document, made after the sweeps have freed their memory; its evidence rows
    // (one id per item and hypothesis) are let go once the matrix is made.
    let score = explain::summary_of(case, &explained);
    let (matrix, ach_inconsistency) = (
        matrix::rows(&score, case),
        matrix::ach_inconsistency(&score, case),
    );
    drop(score.evidence);

    let hyp_id = |k: usize| case.hypotheses[k].id.clone();
    let runner_up =
        (scores.order.len() > 1 && scores.is_live(scores.runner_up())).then(|| scores.runner_up());
    let log_priors = crate::score::bayes::log_priors(case);
    let item_title = |id: &str| {
        case.evidence_index(id)
            .and_then(|e| case.evidence[e].title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let hypotheses = (score.hypotheses.iter())
        .zip(&mc.hypotheses)
        .map(|(h, m)| {
            debug_assert_eq!(m.id, h.id, "both lists are in point-rank order");
            RankedHypothesis {
                id: h.id.clone(),
                title: h.title.clone(),
                rank: h.rank,
                posterior: h.posterior,
                estimative: h.estimative.to_string(),
                mean: m.mean,
                q05: m.q05,
                q95: m.q95,
                p_top: m.p_top,
                rank_probs: m.rank_probs.clone(),
            }
        })
        .collect();
    let evidence = case
        .evidence
        .iter()
        .zip(&explained.items)
        .filter(|(_, x)| x.effective_weight > 0.0)
        .map(|(item, x)| EvidenceRow {
            id: item.id.clone(),
            title: item.title.clone().unwrap_or_else(|| item.id.clone()),
            contribution_db: x.contributions[leader].unwrap_or(0.0),
            leader_vs_runner_up_db: x.leader_vs_runner_up,
            credibility: match item.credibility {
                Credibility::Mixture { value, .. } => value,
                Credibility::Schum {
                    hit_rate,
                    false_alarm_rate,
                } => (hit_rate - false_alarm_rate).max(0.0),
            },
            source: item.source.map(|s| case.sources[s].id.clone()),
            group: item.group.map(|g| case.groups[g].id.clone()),
            effective_weight: x.effective_weight,
            diagnosticity_db: x.diagnosticity,
            contributions_db: HypMap(
                (scores.order.iter())
                    .map(|&k| (hyp_id(k), x.contributions[k]))
                    .collect(),
            ),
        })
        .collect();
    let sources = case
        .sources
        .iter()
        .enumerate()
        .map(|(s, src)| SourceRow {
            id: src.id.clone(),
            name: src.name.clone().unwrap_or_else(|| src.id.clone()),
            reliability: src.reliability.map(|c| c.to_string()),
            items: case
                .evidence
                .iter()
                .filter(|e| e.source == Some(s))
                .map(|e| SourceItem {
                    id: e.id.clone(),
                    information: e.information,
                    status: e.status.as_str().to_string(),
                })
                .collect(),
        })
        .collect();
    let equal_priors_leader = {
        let mut equal = case.clone();
        equal.hypotheses.iter_mut().for_each(|h| h.prior = 1.0);
        crate::score::bayes::score(&equal)
            .ok()
            .map(|s| hyp_id(s.leader()))
    };
    let critical = tipping
        .items
        .iter()
        .filter(|t| t.critical)
        .map(|t| CriticalItem {
            id: t.id.clone(),
            title: item_title(&t.id),
            new_leader: t.loo_leader.clone(),
            new_posterior: t.loo_posterior,
        })
        .collect();
    // An item that counts with weight 0 has no tipping point to state: any multiple of 0 is
    // 0, yet "cannot change the leader at any weight" would be false of it.
    let omega = crate::score::bayes::effective_weights(case);
    let weighed = |id: &str| case.evidence_index(id).is_some_and(|e| omega[e] > 0.0);
    let tipping_points = tipping
        .items
        .iter()
        .filter(|t| weighed(&t.id))
        .map(|t| TippingPoint {
            id: t.id.clone(),
            title: item_title(&t.id),
            lower: t.lower,
            lower_by: t.lower_by.clone(),
            upper: t.upper,
            upper_by: t.upper_by.clone(),
        })
        .collect();
    let indicators = indicators
        .indicators
        .into_iter()
        .map(|i| Indicator {
            title: item_title(&i.id),
            id: i.id,
            p_observe: i.p_observe,
            expected_info_gain_bits: i.expected_info_gain_bits,
            p_leader_change: i.p_leader_change,
        })
        .collect();
    let families = (score.families.into_iter())
        .zip(&mc.families)
        .map(|(point, m)| FamilyRow {
            point,
            mean: m.mean,
            q05: m.q05,
            q95: m.q95,
            p_top: m.p_top,
        })
        .collect();
    Ok(Report {
        case: case.name.clone(),
        title: case.title.clone(),
        question: case.question.clone().unwrap_or_default(),
        method: "bayes".to_string(),
        samples,
        seed,
        hypotheses,
        leader: hyp_id(leader),
        leader_stability: mc.leader_stability,
        runner_up: runner_up.map(hyp_id),
        prior_db: explain::contributions_db(scores, 1.0, &log_priors)[leader].unwrap_or(0.0),
        prior_vs_runner_up_db: runner_up
            .map(|r| explain::decibans(log_priors[leader] - log_priors[r])),
        margin_db: runner_up
            .map(|r| explain::decibans(scores.log_scores[leader] - scores.log_scores[r])),
        equal_priors_leader,
        evidence,
        matrix,
        ach_inconsistency,
        sources,
        critical,
        tipping: tipping_points,
        tornado: tornado.bars,
        indicators,
        timeline: timeline.points,
        families,
        provenance: case.provenance.clone(),
        made_at: provenance::made_at(),
    })
}

#[cfg(test)]
mod samples_tests {
    use super::*;
    use crate::sweep::synthetic;

    /// synthetic::case(k, m) varies every cell, credibility and weight: Q = m·(k + 2).
    #[test]
    fn default_samples_fall_with_the_case_size() {
        // 10 × 20: Q = 240; 2.5e8/240 = 1,041,667 ≫ 200,000: the cap.
        assert_eq!(default_samples(&synthetic::case(10, 20, 0)), 200_000);
        // 50 × 500: Q = 26,000; ⌈2.5e8/26,000⌉ = 9,616 → 10 steps of 1,024 = 10,240.
        assert_eq!(default_samples(&synthetic::case(50, 500, 0)), 10_240);
        // 50 × 5,000: Q = 260,000; ⌈2.5e8/260,000⌉ = 962 → 1 step = 1,024, the floor.
        assert_eq!(default_samples(&synthetic::case(50, 5000, 0)), 1_024);
    }

    #[test]
    fn samples_for_quantities_by_hand() {
        // Q = 1,250: 2.5e8/1,250 = 200,000 exactly: the cap, reached exactly.
        assert_eq!(samples_for_quantities(1_250), 200_000);
        // Q = 1,251: ⌈2.5e8/1,251⌉ = 199,841 (1,251 · 199,840 = 249,999,840 < 2.5e8) →
        // ⌈199,841/1,024⌉ = 196 steps (195 · 1,024 = 199,680 < 199,841) = 200,704 → the cap.
        assert_eq!(samples_for_quantities(1_251), 200_000);
        // Q = 2,000: 125,000 → ⌈125,000/1,024⌉ = 123 (122 · 1,024 = 124,928) → 125,952.
        assert_eq!(samples_for_quantities(2_000), 125_952);
        // Q = 25,000: 10,000 exactly → ⌈10,000/1,024⌉ = 10 → 10,240.
        assert_eq!(samples_for_quantities(25_000), 10_240);
        // Q = 244,141: ⌈2.5e8/244,141⌉ = 1,024 (244,141 · 1,024 = 250,000,384 ≥ 2.5e8,
        // 244,141 · 1,023 = 249,756,243 < 2.5e8) → exactly one step.
        assert_eq!(samples_for_quantities(244_141), 1_024);
        // Q = 244,140: ⌈2.5e8/244,140⌉ = 1,025 (244,140 · 1,024 = 249,999,360 < 2.5e8) →
        // 2 steps = 2,048.
        assert_eq!(samples_for_quantities(244_140), 2_048);
        // Q = 2,600,000 (50,000 items × 52): ⌈96.2⌉ = 97 → 1 step; the floor, 1,024.
        assert_eq!(samples_for_quantities(2_600_000), 1_024);
        // Q = 0 is taken as 1: the cap.
        assert_eq!(samples_for_quantities(0), 200_000);
    }
}
