//! The report's judgment logic and its renderers, on a hand-built report (no scoring).

#[path = "report/fixture.rs"]
mod fixture;

use abduce::output::{Document, Format};
use abduce::report::confidence::carrying_credibility;
use abduce::report::{FamilyRow, Level, Markup, Report};
use fixture::example;
use serde_json::Value;

const LEADER: &str = "Local Taliban units acting outside Kabul's control";

// ---------------------------------------------------------------- headline

fn family(id: &str, title: &str, members: &[&str], p_top: f64) -> FamilyRow {
    FamilyRow {
        id: id.into(),
        title: title.into(),
        members: members.iter().map(|m| m.to_string()).collect(),
        posterior: 0.7,
        estimative: "likely".into(),
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
    let r = example();
    assert_eq!(
        r.headline_as(Markup::Markdown),
        format!(
            "{LEADER} is *likely* (64%; 90% interval 48–77% under the stated uncertainties); \
             it ranks first in 81% of 200,000 scenarios."
        )
    );
    assert_eq!(
        r.headline(),
        format!(
            "{LEADER} is likely (64%; 90% interval 48–77% under the stated uncertainties); \
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
            "{LEADER} is the most likely of 3 hypotheses, but is still *unlikely* (38%; 90% \
             interval 30–50% under the stated uncertainties); it ranks first in 55% of 200,000 \
             scenarios."
        )
    );
    // Exactly 0.45 is stated plainly (the lower edge of "roughly even chance").
    let l = &mut r.hypotheses[0];
    (l.posterior, l.estimative) = (0.45, "roughly even chance".into());
    assert!(
        r.headline()
            .starts_with(&format!("{LEADER} is roughly even chance (45%;"))
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

#[test]
fn percentages_never_round_to_certainty() {
    use abduce::report::summary::{
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
    // (c) supporting items arsenal (+6 dB, c 0.8) and khovar-crossing (+2 dB, c 0.4):
    //     (6·0.8 + 2·0.4) / (6 + 2) = 5.6 / 8 = 0.70 ∈ [0.5, 0.75) → moderate.
    let r = example();
    let c = r.confidence();
    assert_eq!(c.level, Level::Moderate);
    assert!((c.carrying_credibility.unwrap() - 0.7).abs() < 1e-12);
    assert_eq!(
        c.reasons,
        vec![
            "The leader is fairly stable: it ranks first in 81% of 200,000 Monte Carlo \
             scenarios (60% to 90%)."
                .to_string(),
            "One item is critical: without arsenal, ETIM <TIP> & allies would lead.".to_string(),
            "The evidence that carries the leader is of middling credibility: its \
             contribution-weighted mean credibility is 0.70 (0.50 to 0.75)."
                .to_string(),
        ]
    );
}

#[test]
fn high_confidence_needs_every_factor_high() {
    let mut r = example();
    r.leader_stability = 0.95;
    r.critical.clear();
    r.evidence[0].credibility = 0.9; // khovar-crossing, +2 dB
    r.evidence[1].credibility = 0.85; // arsenal, +6 dB
    // (6·0.85 + 2·0.9)/8 = 6.9/8 = 0.8625 ≥ 0.75
    let c = r.confidence();
    assert_eq!(c.level, Level::High);
    assert!((c.carrying_credibility.unwrap() - 0.8625).abs() < 1e-12);
    assert!(c.reasons[0].starts_with("The leader is stable: it ranks first in 95%"));
    assert!(c.reasons[1].starts_with("No single item is critical"));
    assert!(c.reasons[2].contains("is credible") && c.reasons[2].contains("0.86 (at least 0.75)"));

    // Exactly at the thresholds still counts as high: p_top = 0.9.
    r.leader_stability = 0.9;
    assert_eq!(r.confidence().level, Level::High);
    // One factor short of high makes it moderate.
    r.leader_stability = 0.89;
    assert_eq!(r.confidence().level, Level::Moderate);
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

    // (c) low carrying credibility: (6·0.25 + 2·0.4)/8 = 2.3/8 = 0.2875 < 0.5.
    let mut r = example();
    r.evidence[1].credibility = 0.25;
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    assert!((carrying_credibility(&r).unwrap() - 0.2875).abs() < 1e-12);
    assert!(
        c.reasons[2].contains("of low credibility") && c.reasons[2].contains("0.29 (below 0.50)")
    );

    // (c) no item supports the leader: it rests on the priors.
    let mut r = example();
    r.evidence.retain(|e| e.contribution_db <= 0.0);
    let c = r.confidence();
    assert_eq!(c.level, Level::Low);
    assert_eq!(c.carrying_credibility, None);
    assert!(c.reasons[2].starts_with("No evidence item supports the leader"));
}

#[test]
fn evidence_splits_by_the_sign_of_the_contribution() {
    let r = example();
    let ids = |v: Vec<&abduce::report::EvidenceRow>| -> Vec<String> {
        v.into_iter().map(|e| e.id.clone()).collect()
    };
    // +6 before +2; the 0 dB item is in neither list.
    assert_eq!(ids(r.evidence_for()), ["arsenal", "khovar-crossing"]);
    assert_eq!(ids(r.evidence_against()), ["denial"]);
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
         prior weights give the leader +1.5 dB (+3.0 dB over the runner-up)."
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
fn method_paragraph_is_two_sentences() {
    let m = example().method_and_assumptions();
    assert_eq!(m.matches(". ").count() + 1, 2, "{m}");
    assert!(m.contains("200,000 scenarios (seed 7)"));
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_holds_every_section_in_order() {
    let md = example().markdown();
    let sections = [
        "# Attacks on Chinese nationals on the Afghan–Tajik border, Nov–Dec 2025",
        "**Question:** Who is behind the cross-border attacks?",
        "## Judgment",
        "is *likely* (64%; 90% interval 48–77%",
        "**Analytic confidence: moderate.**\n\n- The leader is fairly stable",
        "- One item is critical: without arsenal, ETIM \\<TIP\\> \\& allies would lead.",
        "## Ranked hypotheses",
        "| 1 | Local Taliban units acting outside Kabul's control (`taliban-local`) | 64.0% | likely | 62.0% | 48.0%–77.0% | 81.0% |",
        "| `etim` | 17.0% | 70.0% | 13.0% |",
        "## Evidence for and against the leader",
        "### For the leader",
        "| Arsenal seized: M-16s, night-vision (`arsenal`) | +6.0 | +4.0 | 0.80 |",
        "| Khovar report of the crossing (`khovar-crossing`) | +2.0 | +1.5 | 0.40 |",
        "### Against the leader",
        "| Taliban denial (`denial`) | −1.5 | −0.5 | 0.70 |",
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
            "hypotheses",
            "families",
            "evidence_for",
            "evidence_against",
            "critical",
            "tipping",
            "tornado",
            "indicators",
            "timeline"
        ]
    );
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["case"], "border");
    assert_eq!(v["command"], "report");
    assert_eq!(v["samples"], 200_000);
    assert_eq!(v["confidence"]["level"], "moderate");
    assert_eq!(v["confidence"]["reasons"].as_array().unwrap().len(), 3);
    assert_eq!(v["runner_up"], "etim");
    assert_eq!(v["prior_db"], 1.5);
    assert_eq!(v["prior_vs_runner_up_db"], 3.0);
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
        "http://", "https://", "<script", "<link", "<img", "@import", "url(", "//fonts",
    ] {
        assert!(!without_ns.contains(bad), "the page contains {bad}");
    }
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
    assert!(html.contains("<p class=\"judgment\">Local Taliban units acting outside Kabul&#39;s control is <em>likely</em> (64%;"));
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
    assert!(!html.contains("<script>"));
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
        evidence: vec![],
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
