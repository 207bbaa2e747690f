//! The report's judgment logic and its renderers, on a hand-built report (no scoring).

#[path = "report/fixture.rs"]
mod fixture;

use abduce::render::{Document, Format};
use abduce::report::confidence::{carrying_credibility, lines_of_reporting, nearest_tip};
use abduce::report::{FamilyRow, Level, Markup, Report};
use abduce::score::explain::FamilyScore;
use fixture::example;
use serde_json::Value;

const LEADER: &str = "Local Taliban units acting outside Kabul's control";

// ---------------------------------------------------------------- headline

fn family(id: &str, title: &str, members: &[&str], p_top: f64) -> FamilyRow {
    FamilyRow {
        point: FamilyScore {
            id: id.into(),
            title: title.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
            posterior: 0.7,
            estimative: "likely",
        },
        mean: 0.68,
        q05: 0.5,
        q95: 0.85,
        p_top,
    }
}

/// The family sentence: the leader (`taliban-local`) ranks first in 81% (< 90%), and a
/// family that contains it leads in 95% (≥ 90%).
#[test]
fn family_sentence_when_no_hypothesis_is_robust_but_a_family_is() {
    let mut r = example();
    assert_eq!(r.family_sentence_as(Markup::Plain), None, "no family");
    r.families = vec![
        family("wide", "Anyone but ISK", &["taliban-local", "etim"], 0.97),
        family("jihadists", "ETIM or ISK", &["etim", "isk"], 0.19),
        family("tal", "The Taliban", &["isk", "taliban-local"], 0.95),
    ];
    // Both `wide` and `tal` qualify and contain the leader, with 2 members each: the higher
    // share wins (97% > 95%).
    assert_eq!(
        r.family_sentence_as(Markup::Markdown).unwrap(),
        "No single hypothesis is robust: the leader ranks first in 81% of the scenarios, but the \
         family “Anyone but ISK” (`wide`) that contains it leads in 97%."
    );
    // A family that does not qualify (89.6% rounds to 90% but is below the threshold).
    r.families[0].p_top = 0.896;
    assert_eq!(
        r.family_sentence_as(Markup::Plain).unwrap(),
        "No single hypothesis is robust: the leader ranks first in 81% of the scenarios, but the \
         family “The Taliban” (tal) that contains it leads in 95%."
    );
    // A robust leader (90%): no sentence, whatever the families.
    r.leader_stability = 0.9;
    assert_eq!(r.family_sentence_as(Markup::Plain), None);
    // A robust family without the leader: "a member of the family".
    r.leader_stability = 0.05;
    r.families = vec![family("jihadists", "ETIM or ISK", &["etim", "isk"], 0.93)];
    assert_eq!(
        r.family_sentence_as(Markup::Html).unwrap(),
        "No single hypothesis is robust: the leader ranks first in 5% of the scenarios, but a \
         member of the family “ETIM or ISK” (<code>jihadists</code>) leads in 93%."
    );
    // The renderings carry it, and the family table.
    let md = r.markdown();
    assert!(md.contains("but a member of the family “ETIM or ISK” (`jihadists`) leads in 93%."));
    assert!(md.contains(
        "| ETIM or ISK (`jihadists`) | `etim`, `isk` | 70.0% | likely | 68.0% | 50.0%–85.0% | 93.0% |"
    ));
    let v: Value = serde_json::from_slice(&r.render(Format::Json).unwrap()).unwrap();
    assert!(
        v["family_judgment"]
            .as_str()
            .unwrap()
            .starts_with("No single")
    );
    assert_eq!(v["families"][0]["members"][1], "isk");
    // CSV: the family rows follow the hypotheses, members in one cell.
    let csv = String::from_utf8(r.render(Format::Csv).unwrap()).unwrap();
    assert!(csv.starts_with(
        "id,title,rank,posterior,estimative,mean,q05,q95,p_top,rank_probs.0,rank_probs.1,\
         rank_probs.2,members\n"
    ));
    assert_eq!(
        csv.lines().last().unwrap(),
        "jihadists,ETIM or ISK,,0.7,likely,0.68,0.5,0.85,0.93,,,,etim isk"
    );
}

#[test]
fn headline_for_a_leader_at_or_above_45_percent() {
    // 0.64 → 64%; q05 0.48 → 48, q95 0.77 → 77%; p_top 0.81 → 81%; 200000 → "200,000".
    // q05 = 0.48 is "roughly even chance" ([.45, .55]), q95 = 0.77 "likely": the interval
    // spans two estimative bands, and the headline says so.
    let mut r = example();
    assert_eq!(
        r.headline_as(Markup::Markdown),
        format!(
            "{LEADER} is *likely* (64%), though its 90% interval (48–77% under the stated \
             uncertainties) spans *roughly even chance* to *likely*; it ranks first in 81% of \
             200,000 scenarios."
        )
    );
    // Both ends "likely" ((.55, .80]): one band, no span.
    r.hypotheses[0].q05 = 0.56;
    assert_eq!(
        r.headline(),
        format!(
            "{LEADER} is likely (64%; 90% interval 56–77% under the stated uncertainties); \
             it ranks first in 81% of 200,000 scenarios."
        )
    );
    assert_eq!(r.point_outside_interval(), None);
}

#[test]
fn headline_for_a_leader_below_45_percent() {
    let mut r = example();
    let l = &mut r.hypotheses[0];
    (l.posterior, l.estimative, l.q05, l.q95) = (0.38, "unlikely".into(), 0.30, 0.50);
    r.leader_stability = 0.55;
    assert_eq!(
        r.headline_as(Markup::Markdown),
        format!(
            "{LEADER} is the most likely of 3 hypotheses, but is still *unlikely* (38%), though \
             its 90% interval (30–50% under the stated uncertainties) spans *unlikely* to \
             *roughly even chance*; it ranks first in 55% of 200,000 scenarios."
        )
    );
    // Exactly 0.45 is stated plainly (the lower edge of "roughly even chance").
    let l = &mut r.hypotheses[0];
    (l.posterior, l.estimative) = (0.45, "roughly even chance".into());
    assert!(
        r.headline()
            .starts_with(&format!("{LEADER} is roughly even chance (45%), though"))
    );
}

#[test]
fn headline_notes_a_point_outside_the_monte_carlo_interval() {
    let mut r = example();
    // Above: 0.80 > q95 = 0.77.
    r.hypotheses[0].posterior = 0.80;
    assert_eq!(r.point_outside_interval(), Some("above"));
    assert!(r.headline().ends_with(
        "scenarios. The point estimate lies above the Monte Carlo 90% interval: the point \
         values of the inputs sit toward one end of their stated ranges."
    ));
    // Below: 0.47 < q05 = 0.48.
    r.hypotheses[0].posterior = 0.47;
    assert_eq!(r.point_outside_interval(), Some("below"));
    assert!(
        r.headline()
            .contains("lies below the Monte Carlo 90% interval")
    );
    // On the edge (0.48 = q05) is inside.
    r.hypotheses[0].posterior = 0.48;
    assert_eq!(r.point_outside_interval(), None);
}

/// The leader `taliban-local` ranks first in 81% of the scenarios; when `etim` ranks first
/// in 85% instead (a made-up share: the two need not sum to 1 here), the headline names it.
#[test]
fn headline_names_a_hypothesis_that_ranks_first_more_often() {
    let mut r = example();
    assert!(r.first_more_often().is_none());
    r.hypotheses[1].p_top = 0.85;
    assert_eq!(r.first_more_often().unwrap().id, "etim");
    assert_eq!(
        r.headline_as(Markup::Markdown),
        format!(
            "{LEADER} is *likely* (64%), though its 90% interval (48–77% under the stated \
             uncertainties) spans *roughly even chance* to *likely*; it ranks first in 81% of \
             200,000 scenarios. Yet ETIM \\<TIP\\> \\& allies ranks \
             first more often, in 85% of the scenarios: the point values of the inputs favour \
             the leader more than their stated ranges do."
        )
    );
    assert!(r.headline_as(Markup::Html).contains(
        "Yet ETIM &lt;TIP&gt; &amp; allies ranks first more often, in 85% of the scenarios"
    ));
    // An equal share is not "more often".
    r.hypotheses[1].p_top = 0.81;
    assert!(r.first_more_often().is_none());
}

#[test]
fn percentages_never_round_to_certainty() {
    use abduce::text::fmt::{
        multiplier, percent, percent_for_term, percent_range, percent1, percent1_for_term,
        thousands,
    };
    assert_eq!(percent(0.004), "<1%");
    assert_eq!(percent(0.0), "0%");
    assert_eq!(percent(0.996), ">99%");
    assert_eq!(percent(1.0), "100%");
    assert_eq!(percent(0.645), "65%"); // 64.5 rounds half away from zero
    assert_eq!(percent_range(0.004, 0.2), "<1–20%");
    // Whole percentages on an edge of the estimative scale get decimals: 0.552 is "likely"
    // ((.55, .80]) and must not print as 55%; 0.5504 → 55.0 at one decimal, so two.
    assert_eq!(percent_for_term(0.552), "55.2%");
    assert_eq!(percent_for_term(0.5504), "55.04%");
    assert_eq!(percent_for_term(0.55), "55%");
    assert_eq!(percent_for_term(0.196), "19.6%");
    assert_eq!(percent_for_term(0.64), "64%");
    assert_eq!(percent1(0.6423), "64.2%");
    assert_eq!(percent1(0.0004), "<0.1%");
    assert_eq!(percent1(0.9996), ">99.9%");
    // The same guard at one decimal, for tables that print the term: 0.55025 is "likely",
    // not "55.0%".
    assert_eq!(percent1_for_term(0.55025), "55.03%");
    assert_eq!(percent1_for_term(0.5), "50.0%");
    assert_eq!(percent1_for_term(0.4501), "45.01%");
    assert_eq!(percent1_for_term(0.45), "45.0%");
    assert_eq!(thousands(200_000), "200,000");
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(999), "999");
    assert_eq!(multiplier(0.4), "0.4×");
    assert_eq!(multiplier(0.25), "0.25×");
    assert_eq!(multiplier(3.0), "3×");
    assert_eq!(multiplier(2.53), "2.5×");
    assert_eq!(multiplier(153.2), "153×");
    // Two significant figures below 1, and never rounded to 0× or 1×.
    assert_eq!(multiplier(0.002_291_4), "0.0023×");
    assert_eq!(multiplier(0.996), "0.996×");
    assert_eq!(multiplier(1.02), "1.02×");
    assert_eq!(multiplier(1.0004), "1.0004×");
    assert_eq!(multiplier(0.0), "0×");
    assert_eq!(multiplier(1.0), "1×");
}

// ---------------------------------------------------------------- confidence

#[test]
fn moderate_confidence_and_its_reasons() {
    // (a) p_top 0.81 ∈ [0.6, 0.9) → moderate; (b) one critical item → moderate;
    // (c) supporting items arsenal (+6 dB, c 0.8), khovar-crossing (+2, 0.4), patrols (+1, 0.6):
    //     (6·0.8 + 2·0.4 + 1·0.6) / 9 = 6.2 / 9 = 0.689 ∈ [0.5, 0.75) → moderate;
    // (d) priors 1.5 of 8.5 dB = 0.176 < 0.25 → high;
    // (e) three sources (field-check 4, locals 2, khovar 1.5 dB; 7.5 in all): the largest
    //     4/7.5 = 53% > 50% → moderate;
    // (f) arsenal tips at 0.4× (a factor 1/0.4 = 2.5 ∈ [1.5, 3)) → moderate.
    let r = example();
    let c = r.confidence();
    assert_eq!(c.level, Level::Moderate);
    assert!((c.carrying_credibility.unwrap() - 6.2 / 9.0).abs() < 1e-12);
    assert_eq!(
        c.factors,
        [
            Level::Moderate,
            Level::Moderate,
            Level::Moderate,
            Level::High,
            Level::Moderate,
            Level::Moderate
        ]
    );
    assert_eq!(
        c.reasons,
        vec![
            "The leader is fairly stable: it ranks first in 81% of 200,000 Monte Carlo \
             scenarios (60% to 90%)."
                .to_string(),
            "One item is critical: without arsenal, ETIM <TIP> & allies would lead.".to_string(),
            "The evidence that carries the leader is of middling credibility: its \
             contribution-weighted mean credibility is 0.69 (0.50 to 0.75)."
                .to_string(),
            "The lead comes from the evidence: the prior weights give +1.5 dB of the leader's \
             8.5 dB lead over the runner-up (18%, under a quarter)."
                .to_string(),
            "The lead over the runner-up rests on 3 independent lines of reporting (items that \
             share a source or a group count as one); the largest, field-check, carries 53% of \
             it (the largest over 50%)."
                .to_string(),
            "The smallest change that tips the leader is the weight of arsenal at 0.4× (1.5× \
             to 3× from its value)."
                .to_string(),
        ]
    );
    assert!(c.warnings.is_empty());
}

/// The example with every factor high: stable, no critical item, credible, little prior,
/// three sources none over half, nothing tips within 3×.
fn all_high() -> Report {
    let mut r = example();
    r.leader_stability = 0.95;
    r.critical.clear();
    r.evidence[0].credibility = 0.9; // khovar-crossing, +2 dB
    r.evidence[1].credibility = 0.85; // arsenal, +6 dB
    r.evidence[4].credibility = 0.8; // patrols, +1 dB
    // (6·0.85 + 2·0.9 + 1·0.8)/9 = 7.7/9 = 0.856 ≥ 0.75.
    r.evidence[4].leader_vs_runner_up_db = Some(3.0);
    // Lines: field-check 4, locals 3, khovar 1.5 of 8.5 dB: the largest 4/8.5 = 47% ≤ 50%.
    r.tipping[1].lower = Some(0.3); // 1/0.3 = 3.33 ≥ 3
    r
}

#[test]
fn high_confidence_needs_every_factor_high() {
    let mut r = all_high();
    let c = r.confidence();
    assert_eq!(c.level, Level::High, "{:?}", c.reasons);
    assert!((c.carrying_credibility.unwrap() - 7.7 / 9.0).abs() < 1e-12);
    assert!(c.reasons[0].starts_with("The leader is stable: it ranks first in 95%"));
    assert!(c.reasons[1].starts_with("No single item is critical"));
    assert!(c.reasons[2].contains("is credible") && c.reasons[2].contains("0.86 (at least 0.75)"));
    assert!(c.reasons[4].ends_with("carries 47% of it (three or more lines, none over 50%)."));
    // khovar-crossing tips at 3× exactly, arsenal at 1/0.3 = 3.33×: 3× is the nearest, high.
    assert_eq!(
        c.reasons[5],
        "The smallest change that tips the leader is the weight of khovar-crossing at 3× (3× \
         or more from its value)."
    );

    // Exactly at the thresholds still counts as high: p_top = 0.9.
    r.leader_stability = 0.9;
    assert_eq!(r.confidence().level, Level::High);
    // One factor short of high makes it moderate.
    r.leader_stability = 0.89;
    assert_eq!(r.confidence().level, Level::Moderate);
}

#[test]
fn stability_critical_items_and_credibility_at_each_boundary() {
    let stability = |p: f64| {
        let mut r = all_high();
        r.leader_stability = p;
        r.confidence().factors[0]
    };
    assert_eq!(stability(0.9), Level::High);
    assert_eq!(stability(0.8999), Level::Moderate);
    assert_eq!(stability(0.6), Level::Moderate);
    assert_eq!(stability(0.5999), Level::Low);
    // Every supporting item at credibility c: the weighted mean is c exactly
    // ((6c + 2c + c) / 9 = c; 6.75 / 9 = 0.75 and 4.5 / 9 = 0.5 are exact in binary).
    let credibility = |c: f64| {
        let mut r = all_high();
        for e in &mut r.evidence {
            e.credibility = c;
        }
        r.confidence().factors[2]
    };
    assert_eq!(credibility(0.75), Level::High);
    assert_eq!(credibility(0.7499), Level::Moderate);
    assert_eq!(credibility(0.5), Level::Moderate);
    assert_eq!(credibility(0.4999), Level::Low);
    // Critical items: 0 high, 1 moderate, 2 low.
    let mut r = example();
    assert_eq!(r.confidence().factors[1], Level::Moderate);
    r.critical.clear();
    assert_eq!(r.confidence().factors[1], Level::High);
}

#[test]
fn the_priors_share_of_the_lead_at_each_boundary() {
    let level = |prior: f64, margin: f64| {
        let mut r = all_high();
        (r.prior_vs_runner_up_db, r.margin_db) = (Some(prior), Some(margin));
        r.confidence().factors[3]
    };
    // share = prior / margin: 0.2499 high; 0.25 moderate; 0.4999 moderate; 0.5 low.
    assert_eq!(level(2.499, 10.0), Level::High);
    assert_eq!(level(2.5, 10.0), Level::Moderate);
    assert_eq!(level(4.999, 10.0), Level::Moderate);
    assert_eq!(level(5.0, 10.0), Level::Low);
    // A prior against the leader gives none of the lead.
    assert_eq!(level(-3.0, 10.0), Level::High);
    // The words for a prior against the leader, and for equal priors.
    let reason = |prior: f64| {
        let mut r = all_high();
        (r.prior_vs_runner_up_db, r.margin_db) = (Some(prior), Some(10.0));
        r.confidence().reasons[3].clone()
    };
    assert_eq!(
        reason(-3.0),
        "The lead comes from the evidence: the prior weights favour the runner-up by 3.0 dB, \
         and the evidence overcomes that to give a lead of 10.0 dB."
    );
    assert_eq!(
        reason(0.0),
        "The lead comes from the evidence alone: the leader and the runner-up have equal \
         priors (a lead of 10.0 dB)."
    );
    // The bundled case's numbers: 1.8 of 3.2 dB = 56%, low, and it says so plainly.
    let mut r = all_high();
    (r.prior_vs_runner_up_db, r.margin_db) = (Some(1.8), Some(3.2));
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    // 3.2 − 1.8 = 1.4 dB with equal priors.
    assert_eq!(
        c.reasons[3],
        "The lead rests largely on the prior weights: they give +1.8 dB of the leader's 3.2 dB \
         lead over the runner-up (56%, half or more); with equal priors it would still be \
         ahead of the runner-up by 1.4 dB."
    );
    assert_eq!(
        c.warnings,
        ["The judgment rests largely on the prior weights."]
    );
    // Another leader with equal priors: low, whatever the share.
    let mut r = all_high();
    r.equal_priors_leader = Some("etim".into());
    let c = r.confidence();
    assert_eq!(c.factors[3], Level::Low);
    assert_eq!(
        c.reasons[3],
        "The lead rests on the prior weights: with equal priors, ETIM <TIP> & allies would \
         lead instead."
    );
}

#[test]
fn independent_lines_at_each_boundary() {
    // Weights over the runner-up: arsenal 4 (field-check), patrols x (locals), khovar 1.5.
    let level = |patrols: f64| {
        let mut r = all_high();
        r.evidence[4].leader_vs_runner_up_db = Some(patrols);
        r.confidence().factors[4]
    };
    // 4 / (5.5 + 2.5) = 0.5 exactly: none over half, high; with 2.4: 4/7.9 = 0.506, moderate.
    assert_eq!(level(2.5), Level::High);
    assert_eq!(level(2.4), Level::Moderate);
    // Patrols at 0 dB carries nothing: two lines, the largest 4/5.5 = 73% ≤ 75%: moderate.
    assert_eq!(level(0.0), Level::Moderate);
    // A shared source joins lines: patrols and arsenal both from field-check → 2 lines,
    // the largest (4 + 3)/8.5 = 82% > 75% → low.
    let mut r = all_high();
    r.evidence[4].source = Some("field-check".into());
    let c = r.confidence();
    assert_eq!(c.factors[4], Level::Low);
    assert!(c.reasons[4].contains("2 independent lines") && c.reasons[4].contains("82%"));
    // A shared group joins them too; three items in one group are one line: low, said plainly.
    let mut r = all_high();
    for e in &mut r.evidence {
        e.group = Some("one-column".into());
    }
    let c = r.confidence();
    assert_eq!(c.factors[4], Level::Low);
    assert!(c.reasons[4].contains("rests on one line of reporting"));
    assert_eq!(
        c.warnings,
        ["The lead over the runner-up rests on one line of reporting (one-column)."]
    );
    assert_eq!(
        lines_of_reporting(&r)
            .iter()
            .map(|l| l.items.len())
            .collect::<Vec<_>>(),
        [3]
    );
}

#[test]
fn smallest_tipping_change_at_each_boundary() {
    let level = |lower: f64| {
        let mut r = all_high();
        r.tipping[0].upper = None; // khovar-crossing no longer tips at 3×
        r.tipping[1].lower = Some(lower);
        r.confidence().factors[5]
    };
    // Factor 1/t: 1/0.5 = 2 moderate; 1/0.6667 = 1.49985 < 1.5 low; 1/(1/1.5) = 1.5 moderate;
    // 1/(1/3) = 3 high; lower 0 is leave-one-out (factor (b)), so nothing tips: high.
    assert_eq!(level(0.5), Level::Moderate);
    assert_eq!(level(0.6667), Level::Low);
    assert_eq!(level(1.0 / 1.5), Level::Moderate);
    assert_eq!(level(1.0 / 3.0), Level::High);
    assert_eq!(level(0.0), Level::High);
    let mut r = all_high();
    r.tipping[0].upper = Some(1.2);
    assert_eq!(r.confidence().factors[5], Level::Low);
    assert_eq!(nearest_tip(&r), Some((1.2, "khovar-crossing", 1.2)));
}

#[test]
fn low_confidence_from_any_single_factor() {
    // (a) unstable leader.
    let mut r = example();
    r.leader_stability = 0.59;
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    assert_eq!(
        c.reasons[0],
        "The leader is unstable: it ranks first in only 59% of 200,000 Monte Carlo scenarios \
         (below 60%)."
    );

    // (b) two critical items.
    let mut r = example();
    let mut second = r.critical[0].clone();
    second.id = "denial".into();
    r.critical.push(second);
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    assert_eq!(
        c.reasons[1],
        "2 items are critical (two or more): removing either arsenal or denial changes \
         the leader."
    );

    // (c) low carrying credibility: (6·0.25 + 2·0.4 + 1·0.6)/9 = 2.9/9 = 0.322 < 0.5.
    let mut r = example();
    r.evidence[1].credibility = 0.25;
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    assert!((carrying_credibility(&r).unwrap() - 2.9 / 9.0).abs() < 1e-12);
    assert!(
        c.reasons[2].contains("of low credibility") && c.reasons[2].contains("0.32 (below 0.50)")
    );

    // (c) no item supports the leader: it rests on the priors.
    let mut r = example();
    r.evidence.retain(|e| e.contribution_db <= 0.0);
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    assert_eq!(c.carrying_credibility, None);
    assert!(c.reasons[2].starts_with("No evidence item supports the leader"));
    assert!(c.reasons[4].starts_with("No evidence item favours the leader over the runner-up"));
}

#[test]
fn estimative_terms_never_overstate() {
    let mut r = example();
    let h = &mut r.hypotheses[2];
    // isk: point 0.04 "almost no chance", but q95 0.06 reaches 5%: "very unlikely".
    (h.posterior, h.estimative, h.q05, h.q95) = (0.04, "almost no chance".into(), 0.01, 0.06);
    assert_eq!(h.term(), "very unlikely");
    assert_eq!(
        h.term_phrase(),
        "very unlikely, though the interval spans almost no chance to very unlikely"
    );
    let md = r.markdown();
    assert!(md.contains(
        "| 4.0% | very unlikely, though the interval spans almost no chance to very unlikely |"
    ));
    // The whole interval under 5% (0.0499 rounds to 0.0499): "almost no chance" stands.
    let h = &mut r.hypotheses[2];
    h.q95 = 0.0499;
    assert_eq!(h.term_phrase(), "almost no chance");
}

#[test]
fn evidence_splits_by_the_weight_over_the_runner_up() {
    let r = example();
    let ids = |v: Vec<&abduce::report::EvidenceRow>| -> Vec<String> {
        v.into_iter().map(|e| e.id.clone()).collect()
    };
    // Sorted by the weight for the leader over the runner-up: arsenal +4, patrols +2,
    // khovar-crossing +1.5 (patrols contributes only +1 dB to the leader, yet separates it
    // from the runner-up more than khovar-crossing's +2); the 0 dB item is in neither list.
    assert_eq!(
        ids(r.evidence_for()),
        ["arsenal", "patrols", "khovar-crossing"]
    );
    assert_eq!(ids(r.evidence_against()), ["denial"]);
    // An item that supports the leader against the average hypothesis (+0.8) but favours
    // the runner-up (−0.1) is evidence against the leader, as no-claim in the bundled case.
    let mut r = example();
    r.evidence[2].contribution_db = 0.8;
    r.evidence[2].leader_vs_runner_up_db = Some(-0.1);
    assert_eq!(ids(r.evidence_against()), ["denial"]);
    assert!(!ids(r.evidence_for()).contains(&"denial".to_string()));
    // Contribution but no weight over the runner-up: listed apart.
    r.evidence[2].leader_vs_runner_up_db = Some(0.0);
    assert_eq!(ids(r.evidence_neutral()), ["denial"]);
}

#[test]
fn evidence_intro_names_the_runner_up_and_the_priors_share() {
    let mut r = example();
    assert_eq!(
        r.evidence_intro(Markup::Html),
        "Contributions to Local Taliban units acting outside Kabul&#39;s control \
         (<code>taliban-local</code>) in decibans (dB; +10 dB makes a hypothesis ten times more \
         likely relative to the others), and each item's weight for the leader over the \
         runner-up, ETIM &lt;TIP&gt; &amp; allies (<code>etim</code>). Before any evidence, the \
         prior weights give the leader +1.5 dB (+1.5 dB over the runner-up)."
    );
    r.prior_db = 0.0;
    r.prior_vs_runner_up_db = Some(0.0);
    assert!(
        r.evidence_intro(Markup::Markdown)
            .ends_with("The prior weights are equal: the lead comes from the evidence alone.")
    );
    r.runner_up = None;
    r.prior_db = -0.004;
    r.prior_vs_runner_up_db = None;
    assert!(r.evidence_intro(Markup::Plain).ends_with(
        "; every other hypothesis is eliminated, so there is no runner-up. Before any \
         evidence, the prior weights give the leader −0.004 dB."
    ));
}

#[test]
fn report_gives_the_priors_share_of_the_lead() {
    // Priors 3 : 1, no evidence. Centred log prior of the leader: ln(3/4) − (ln(3/4) +
    // ln(1/4))/2 = ln(3)/2 = 0.549306 nats = 2.385606 dB; over the runner-up ln 3 = 4.771213 dB.
    let case = abduce::Case::new("p", &[("a", 3.0), ("b", 1.0)]);
    let r = abduce::report::build(&case, 1000, 0, &|_| {}).unwrap();
    assert_eq!(r.runner_up.as_deref(), Some("b"));
    assert!(
        (r.prior_db - 2.385_606_273_598_312).abs() < 1e-12,
        "{}",
        r.prior_db
    );
    let v = r.prior_vs_runner_up_db.unwrap();
    assert!((v - 4.771_212_547_196_624).abs() < 1e-12, "{v}");
}

/// An item given weight 0 (`--set evidence.e2.weight=0`, "what if I drop this report?") has
/// no tipping point to state: the report must not say it "cannot change the leader at any
/// weight". Priors a : b = 1 : 4 (π = 0.2, 0.8); e1 (0.8, 0.1); e2 (0.3, 0.6) with w = 0.
/// Only e1 counts: s_a = ln 0.2 + ln 0.8 = ln 0.16 > s_b = ln 0.8 + ln 0.1 = ln 0.08, and
/// with e1's weight times t they meet where ln 0.2 + t·ln 0.8 = ln 0.8 + t·ln 0.1, i.e.
/// t = ln 4 / ln 8 = 2/3 (shown as 0.67×); no crossing above 1.
#[test]
fn report_states_no_tipping_point_for_an_item_of_weight_zero() {
    let mut case = abduce::Case::new("w0", &[("a", 1.0), ("b", 4.0)]);
    case.evidence
        .push(abduce::case::Evidence::new("e1", &[0.8, 0.1]));
    let mut e2 = abduce::case::Evidence::new("e2", &[0.3, 0.6]);
    e2.weight = 0.0;
    case.evidence.push(e2);
    let r = abduce::report::build(&case, 1000, 0, &|_| {}).unwrap();
    let ids: Vec<&str> = r.tipping.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["e1"]);
    let lower = r.tipping[0].lower.unwrap();
    assert!((lower - 2.0 / 3.0).abs() < 1e-12, "{lower}");
    assert_eq!(r.tipping[0].upper, None);
    assert_eq!(
        r.tipping_sentences(5),
        ["If the weight of e1 fell below 0.67×, b would lead."]
    );
}

#[test]
fn tipping_points_in_words() {
    let r = example();
    let s = |i: usize| r.tipping[i].sentence(|id| r.hypothesis_title(id));
    assert_eq!(
        s(1).unwrap(),
        "if the weight of arsenal fell below 0.4×, ETIM <TIP> & allies would lead"
    );
    assert_eq!(
        s(0).unwrap(),
        "if the weight of khovar-crossing rose above 3×, Islamic State Khorasan Province would lead"
    );
    assert_eq!(s(2), None);
    assert_eq!(
        r.tipping_sentences(8),
        [
            "If the weight of arsenal fell below 0.4×, ETIM <TIP> & allies would lead.",
            "If the weight of khovar-crossing rose above 3×, Islamic State Khorasan Province \
             would lead.",
            "No change of weight of weather alone changes the leader.",
        ]
    );
    // Only the nearest shown: the other item that can tip is counted.
    assert_eq!(
        r.tipping_sentences(1)[1],
        "1 more item tips the leader only at a larger change of weight."
    );
    // Nearness |ln t|: arsenal |ln 0.4| = 0.916 < khovar ln 3 = 1.099 < weather ∞.
    assert!(r.tipping[1].nearness() < r.tipping[0].nearness());
    assert!(r.tipping[2].nearness().is_infinite());
    // Two or three items that cannot tip the leader, named together.
    let mut r = example();
    r.tipping = vec![fixture::tip("a", None, None), fixture::tip("b", None, None)];
    assert_eq!(
        r.tipping_sentences(8),
        ["Neither a nor b can change the leader at any weight."]
    );
    r.tipping.push(fixture::tip("c", None, None));
    assert_eq!(
        r.tipping_sentences(8),
        ["None of a, b and c can change the leader at any weight."]
    );
}

#[test]
fn method_paragraph_is_three_sentences_with_the_precision() {
    let mut r = example();
    let m = r.method_and_assumptions();
    assert_eq!(m.matches(". ").count() + 1, 3, "{m}");
    assert!(m.contains("200,000 scenarios (seed 7)"));
    // 0.5/√200,000 = 0.001118 → 0.11 points; √(0.05·0.95/200,000) = 0.000487 → 0.05.
    assert!(m.contains("at most 0.11 percentage points"), "{m}");
    assert!(m.contains("within 0.05 points of probability"), "{m}");
    // 1,024 scenarios: 0.5/32 = 0.015625 → 1.56 points; √(0.0475/1,024) = 0.00681 → 0.68.
    r.samples = 1_024;
    let m = r.method_and_assumptions();
    assert!(m.contains("With 1,024 scenarios,"), "{m}");
    assert!(m.contains("at most 1.56 percentage points"), "{m}");
    assert!(m.contains("within 0.68 points of probability"), "{m}");
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_holds_every_section_in_order() {
    let md = example().markdown();
    let sections = [
        "# Attacks on Chinese nationals on the Afghan–Tajik border, Nov–Dec 2025",
        "**Question:** Who is behind the cross-border attacks?",
        "## Bottom line",
        "is *likely* (64%), though its 90% interval (48–77%",
        "**Analytic confidence: moderate.**\n\n- The leader is fairly stable",
        "- One item is critical: without arsenal, ETIM \\<TIP\\> \\& allies would lead.",
        "**What would change it:**",
        "- Without `arsenal`, ETIM \\<TIP\\> \\& allies would lead (55.0%).",
        "- If the weight of arsenal fell below 0.4×, ETIM \\<TIP\\> \\& allies would lead.",
        "- Indicator to collect: Radio intercepts in Uyghur (`intercepts`) — 30.0% chance of \
         finding it, 0.21 bits of information expected, 30.0% chance that checking it changes \
         the leader.",
        "**Provenance:** abduce ",
        "## Ranked hypotheses",
        "| 1 | Local Taliban units acting outside Kabul's control (`taliban-local`) | 64.0% | likely, though the interval spans roughly even chance to likely | 62.0% | 48.0–77.0% | 81.0% |",
        "| `etim` | 17.0% | 70.0% | 13.0% |",
        "## Evidence for and against the leader",
        "### For the leader",
        "| Evidence | Leader vs runner-up (dB) | Contribution (dB) | Credibility | Source |",
        "| Arsenal seized: M-16s, night-vision (`arsenal`) | +4.0 | +6.0 | 0.80 | `field-check` |",
        "| Patrols seen on the road (`patrols`) | +2.0 | +1.0 | 0.60 | `locals` |",
        "| Khovar report of the crossing (`khovar-crossing`) | +1.5 | +2.0 | 0.40 | `khovar` |",
        "### Against the leader",
        "| Taliban denial (`denial`) | −0.5 | −1.5 | 0.70 | `taliban-mfa` |",
        "## The matrix: evidence × hypotheses",
        "| Evidence | ω | Diagnosticity (dB) | Leader vs runner-up (dB) | `taliban-local` | `etim` | `isk` |",
        // arsenal: (6, 2, −8): diagnosticity 6 − (−8) = 14.
        "| Arsenal seized: M-16s, night-vision (`arsenal`) | 1 | 14.0 | +4.0 | +6.0 | +2.0 | −8.0 |",
        "| Fog on the river (`weather`) | 1 | 0.0 (non-diagnostic) | — | 0.0 | 0.0 | 0.0 |",
        "| *ACH inconsistency (lower is better)* | | | | 1.00 | 2.50 | 4.00 |",
        "## Critical items and tipping points",
        "- **Critical:** without `arsenal` (Arsenal seized: M-16s, night-vision), ETIM \\<TIP\\> \\& allies would lead with 55.0%.",
        "- If the weight of arsenal fell below 0.4×, ETIM \\<TIP\\> \\& allies would lead.",
        "- If the weight of khovar-crossing rose above 3×, Islamic State Khorasan Province would lead.",
        "- No change of weight of weather alone changes the leader.",
        "## What moves the leader's posterior most (tornado)",
        "| `evidence.arsenal.weight` | 0.5–1.5 | 45.0% → 74.0% | 29.0 | ETIM \\<TIP\\> \\& allies at the low end |",
        "| `hypothesis.isk.prior` | 0.5–2 | 66.0% → 60.0% | 6.0 | no change |",
        "## Indicators to collect next",
        "| Radio intercepts in Uyghur (`intercepts`) | 30.0% | 0.214 | 30.0% |",
        "## Timeline",
        "| Date | `taliban-local` | `etim` | `isk` |",
        "| 2025-12-24 | 64.0% | 26.0% | 10.0% |",
        "## Method and assumptions",
        "## Sources",
        "| Khovar (Tajik state news agency) (`khovar`) | B | `khovar-crossing` (2), `weather` |",
        "| Field check (`field-check`) | — | `arsenal` (1) |",
    ];
    let mut at = 0;
    for s in sections {
        let found = md[at..]
            .find(s)
            .unwrap_or_else(|| panic!("missing or out of order: {s}\n---\n{md}"));
        at += found + s.len();
    }
}

#[test]
fn markdown_escapes_titles() {
    let md = example().markdown();
    assert!(md.contains("ETIM \\<TIP\\> \\& allies"));
    assert!(!md.contains("<TIP>"));
}

// ---------------------------------------------------------------- JSON and CSV

#[test]
fn json_carries_every_section() {
    let bytes = example().render(Format::Json).unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "case",
            "command",
            "provenance",
            "title",
            "question",
            "method",
            "samples",
            "seed",
            "headline",
            "family_judgment",
            "confidence",
            "method_and_assumptions",
            "leader",
            "leader_stability",
            "runner_up",
            "prior_db",
            "prior_vs_runner_up_db",
            "margin_db",
            "equal_priors_leader",
            "hypotheses",
            "families",
            "evidence_for",
            "evidence_against",
            "critical",
            "tipping",
            "tornado",
            "indicators",
            "timeline",
            "ach_inconsistency",
            "sources"
        ]
    );
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["case"], "border");
    assert_eq!(v["command"], "report");
    assert_eq!(v["samples"], 200_000);
    assert_eq!(v["confidence"]["level"], "moderate");
    assert_eq!(v["confidence"]["reasons"].as_array().unwrap().len(), 6);
    assert_eq!(
        v["confidence"]["factors"],
        serde_json::json!([
            "moderate", "moderate", "moderate", "high", "moderate", "moderate"
        ])
    );
    assert_eq!(v["ach_inconsistency"]["isk"], 4.0);
    assert_eq!(v["sources"][0]["items"][0]["information"], 2);
    assert_eq!(v["evidence_for"][1]["contributions_db"]["etim"], -1.0);
    assert_eq!(v["runner_up"], "etim");
    assert_eq!(v["prior_db"], 1.5);
    assert_eq!(v["prior_vs_runner_up_db"], 1.5);
    assert_eq!(v["hypotheses"][0]["rank_probs"][1], 0.15);
    assert_eq!(v["evidence_for"][0]["id"], "arsenal");
    assert_eq!(v["evidence_against"][0]["leader_vs_runner_up_db"], -0.5);
    assert_eq!(v["critical"][0]["new_leader"], "etim");
    assert_eq!(v["tipping"][1]["lower"], 0.4);
    assert_eq!(v["tipping"][1]["upper"], Value::Null);
    assert_eq!(v["tornado"][0]["leader_low"], "etim");
    assert_eq!(v["indicators"][0]["expected_info_gain_bits"], 0.214);
    assert_eq!(v["timeline"][2]["posteriors"]["isk"], 0.1);
    let order: Vec<&str> = v["timeline"][0]["posteriors"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(order, ["taliban-local", "etim", "isk"]);
}

#[test]
fn csv_lists_the_hypotheses() {
    let csv = String::from_utf8(example().render(Format::Csv).unwrap()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,title,rank,posterior,estimative,mean,q05,q95,p_top,rank_probs.0,rank_probs.1,rank_probs.2"
    );
    assert_eq!(
        lines.next().unwrap(),
        "taliban-local,Local Taliban units acting outside Kabul's control,1,0.64,likely,0.62,0.48,0.77,0.81,0.81,0.15,0.04"
    );
    assert_eq!(csv.lines().count(), 4);
}

// ---------------------------------------------------------------- HTML

/// Parses the page as XML (it is written to be well-formed: void elements self-closed, all
/// text escaped); returns the ids of the `<svg>` elements, or the parse error.
fn parse_html(html: &str) -> Result<Vec<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(html);
    let mut svgs = Vec::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Eof => break,
            Event::Start(e) => {
                depth += 1;
                if e.name().as_ref() == b"svg" {
                    let id = e
                        .try_get_attribute("id")
                        .map_err(|e| e.to_string())?
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    svgs.push(id);
                }
            }
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!("{depth} elements left open"));
    }
    Ok(svgs)
}

fn assert_self_contained(html: &str) {
    let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for bad in [
        "http://",
        "https://",
        "<script src",
        "<link",
        "<img",
        "@import",
        "url(",
        "//fonts",
    ] {
        assert!(!without_ns.contains(bad), "the page contains {bad}");
    }
    // One inline script (it sorts the matrix), nothing fetched.
    assert_eq!(html.matches("<script").count(), 1);
}

#[test]
fn html_is_well_formed_self_contained_and_holds_four_charts() {
    let html = example().html().unwrap();
    let svgs = parse_html(&html).unwrap_or_else(|e| panic!("{e}\n{html}"));
    assert_eq!(
        svgs,
        [
            "chart-posteriors",
            "chart-ranks",
            "chart-tornado",
            "chart-timeline"
        ]
    );
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    assert_self_contained(&html);
    for id in [
        "chart-posteriors",
        "chart-ranks",
        "chart-tornado",
        "chart-timeline",
    ] {
        let start = html.find(&format!("id=\"{id}\"")).unwrap();
        let chart = &html[start..start + html[start..].find("</svg>").unwrap()];
        assert!(chart.contains("role=\"img\" aria-label=\""), "{id}");
        assert!(chart.contains("<title>"), "{id}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("<p class=\"judgment\">Local Taliban units acting outside Kabul&#39;s control is <em>likely</em> (64%), though"));
    // The matrix: every item a row, every hypothesis a column, the ACH row beneath, the
    // non-diagnostic item marked, and the sort buttons.
    let matrix = &html[html.find("<table id=\"matrix\"").unwrap()..];
    let matrix = &matrix[..matrix.find("</table>").unwrap()];
    assert_eq!(
        matrix.matches("<tr data-").count() + matrix.matches("<tr class=\"nondiag\"").count(),
        5
    );
    assert!(matrix.contains("<tfoot><tr><th colspan=\"4\">ACH inconsistency"));
    assert!(matrix.contains("<span class=\"tag\">non-diagnostic</span>"));
    assert!(html.contains("data-sort=\"lvr\""));
    // The bottom line comes first, and the source appendix last.
    assert!(html.find("id=\"bottom-line\"").unwrap() < html.find("id=\"hypotheses\"").unwrap());
    assert!(html.find("id=\"sources\"").unwrap() > html.find("id=\"method\"").unwrap());
    assert!(html.contains("<strong>Analytic confidence: moderate.</strong>"));
    // One polyline per hypothesis in the timeline, one bar per hypothesis.
    let timeline = &html[html.find("id=\"chart-timeline\"").unwrap()..];
    assert_eq!(timeline.matches("<polyline").count(), 3);
}

#[test]
fn html_escapes_titles_everywhere() {
    let mut r = example();
    r.title = "A & B <script>alert(1)</script>".into();
    r.question = "\"Who\" <b>?</b>".into();
    let html = r.html().unwrap();
    parse_html(&html).unwrap_or_else(|e| panic!("{e}"));
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<TIP>"));
    assert!(html.contains("ETIM &lt;TIP&gt; &amp; allies"));
    assert!(html.contains("A &amp; B &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;Who&quot; &lt;b&gt;?&lt;/b&gt;"));
}

#[test]
fn an_empty_report_renders_every_format() {
    let r = Report {
        case: "empty".into(),
        title: "Nothing yet".into(),
        question: "?".into(),
        method: "bayes".into(),
        samples: 0,
        seed: 0,
        hypotheses: vec![],
        leader: String::new(),
        leader_stability: 0.0,
        runner_up: None,
        prior_db: 0.0,
        prior_vs_runner_up_db: None,
        margin_db: None,
        equal_priors_leader: None,
        evidence: vec![],
        matrix: vec![],
        ach_inconsistency: vec![],
        sources: vec![],
        critical: vec![],
        tipping: vec![],
        tornado: vec![],
        indicators: vec![],
        timeline: vec![],
        families: vec![],
        provenance: abduce::case::provenance::Provenance::of_files(&[]),
        made_at: "2026-01-01 00:00:00 UTC".into(),
    };
    let html = r.html().unwrap();
    let svgs = parse_html(&html).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(svgs.len(), 4);
    assert_self_contained(&html);
    assert!(r.markdown().contains("The case has no hypotheses to rank."));
    assert_eq!(r.confidence().level, Level::Low);
    for f in [Format::Md, Format::Json, Format::Csv, Format::Html] {
        assert!(!r.render(f).unwrap().is_empty());
    }
}

// ---------------------------------------------------------------- snapshots

/// The hand-built report in every format, made at a fixed time: any change to a word or a
/// number of the rendering shows up as a reviewable diff (`cargo insta review`).
#[test]
fn snapshots_of_every_format() {
    let mut r = example();
    r.provenance.push_set("evidence.arsenal.weight=0.5");
    for (name, format) in [
        ("fixture_md", Format::Md),
        ("fixture_html", Format::Html),
        ("fixture_json", Format::Json),
        ("fixture_csv", Format::Csv),
    ] {
        let text = String::from_utf8(r.render(format).unwrap()).unwrap();
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn build_gives_the_margin_and_the_equal_priors_leader() {
    // Priors 3 : 1, one item with ℓ = (0.4, 0.6): s_a = ln(0.75 · 0.4) = ln 0.3, s_b =
    // ln(0.25 · 0.6) = ln 0.15, so a leads by dB(ln 2) = 3.0103 dB: the prior's dB(ln 3) =
    // 4.7712 plus the item's dB(ln(0.4 / 0.6)) = −1.7609. With equal priors b leads.
    let mut case = abduce::Case::new("p", &[("a", 3.0), ("b", 1.0)]);
    case.evidence
        .push(abduce::case::Evidence::new("e1", &[0.4, 0.6]));
    let r = abduce::report::build(&case, 1000, 0, &|_| {}).unwrap();
    assert_eq!(r.leader, "a");
    let margin = r.margin_db.unwrap();
    assert!((margin - 3.010_299_956_639_812).abs() < 1e-12, "{margin}");
    let lvr = r.evidence[0].leader_vs_runner_up_db.unwrap();
    assert!((lvr + 1.760_912_590_556_812_4).abs() < 1e-12, "{lvr}");
    assert!((r.prior_vs_runner_up_db.unwrap() + lvr - margin).abs() < 1e-12);
    assert_eq!(r.equal_priors_leader.as_deref(), Some("b"));
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    assert_eq!(
        c.reasons[3],
        "The lead rests on the prior weights: with equal priors, b would lead instead."
    );
    // The item favours b over a: it is evidence against the leader, and no line of
    // reporting carries the lead.
    assert_eq!(r.evidence_against().len(), 1);
    assert!(
        c.warnings
            .contains(&"No evidence item favours the leader over the runner-up.".to_string())
    );
    // The matrix holds every item, the ACH row every hypothesis.
    assert_eq!(r.matrix.len(), 1);
    assert_eq!(r.ach_inconsistency.len(), 2);
}
