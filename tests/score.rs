//! The scorer against values computed by hand (docs/reference.md §3, §4, §3.5, §7).
//!
//! Cases are built in code; the arithmetic behind every expected value is in the comments.

use abduce::case::{Case, Cell, Credibility, CredibilityBasis, Evidence, Group, Rating, Status};
use abduce::score::explain::{self, estimative};
use abduce::score::{ach, bayes};

fn explicit(c: f64) -> Credibility {
    Credibility::Mixture {
        value: c,
        range: None,
        basis: CredibilityBasis::Explicit,
    }
}

fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{a} != {b} (tolerance {tol})");
}

fn posteriors(case: &Case) -> Vec<f64> {
    bayes::score(case).unwrap().posteriors
}

#[test]
fn credibility_absent_and_group_discount_by_hand() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
    case.groups.push(Group {
        id: "g".into(),
        correlation: 0.5,
        file: 0,
    });
    // e1: ℓ = (0.9, 0.3), c = 0.5, mean 0.6: ℓ̃ = (0.45 + 0.3, 0.15 + 0.3) = (0.75, 0.45).
    let mut e1 = Evidence::new("e1", &[0.9, 0.3]);
    e1.credibility = explicit(0.5);
    // e2 absent: ℓ = (0.2, 0.6), c = 1: 1 − ℓ̃ = (0.8, 0.4).
    let mut e2 = Evidence::new("e2", &[0.2, 0.6]);
    e2.status = Status::Absent;
    // e3, e4 in group g (ρ = 0.5, n = 2): d = (1 + 1·0.5)/2 = 0.75, ω = 0.75 each.
    let mut e3 = Evidence::new("e3", &[0.6, 0.4]);
    e3.group = Some(0);
    let mut e4 = e3.clone();
    e4.id = "e4".into();
    // e5 retracted, in the group: neither counts nor enters n_g.
    let mut e5 = e3.clone();
    e5.id = "e5".into();
    e5.status = Status::Retracted;
    case.evidence.extend([e1, e2, e3, e4, e5]);
    let s = bayes::score(&case).unwrap();
    assert_eq!(s.weights, vec![1.0, 1.0, 0.75, 0.75, 0.0]);
    // odds a : b = (0.75·0.8)/(0.45·0.4) · (0.6/0.4)^(0.75 + 0.75) = (10/3) · 1.5^1.5
    //            = 3.333333 · 1.837117 = 6.123724; p_a = 6.123724 / 7.123724 = 0.859623.
    let odds = 10.0 / 3.0 * 1.5f64.powf(1.5);
    close(s.posteriors[0], odds / (1.0 + odds), 1e-15);
    close(s.posteriors[0], 0.859_623, 1e-6);
    // log_score a = ln 0.5 + ln 0.75 + ln 0.8 + 1.5 ln 0.6
    close(
        s.log_scores[0],
        0.5f64.ln() + 0.75f64.ln() + 0.8f64.ln() + 1.5 * 0.6f64.ln(),
        1e-15,
    );
    // Contributions with two live hypotheses: C_a = ω (ln q_a − ln q_b)/2 = −C_b.
    // e2: dB(ln 2 / 2) = 1.50515 dB for a.
    let x = explain::explain(&case).unwrap();
    close(
        x.items[1].contributions[0].unwrap(),
        1.505_149_978_319_906,
        1e-12,
    );
    close(
        x.items[1].contributions[1].unwrap(),
        -1.505_149_978_319_906,
        1e-12,
    );
    // e3: dB(0.75 ln 1.5 / 2) = 0.660 dB; diagnosticity dB(0.75 ln 1.5) = 1.3207 dB.
    close(x.items[2].diagnosticity, 7.5 * 1.5f64.log10(), 1e-12);
    assert!(!x.items[2].non_diagnostic);
}

#[test]
fn credibility_zero_in_no_group_changes_nothing() {
    let mut case = Case::new("t", &[("a", 2.0), ("b", 1.0), ("c", 1.0)]);
    case.evidence.push(Evidence::new("e1", &[0.7, 0.2, 0.4]));
    let before = posteriors(&case);
    // c = 0: ℓ̃ = ℓ̄ = 0.5 under every hypothesis, for observed and for absent items.
    for status in [Status::Observed, Status::Absent] {
        let mut noise = Evidence::new("noise", &[0.99, 0.01, 0.5]);
        noise.credibility = explicit(0.0);
        noise.weight = 5.0;
        noise.status = status;
        let mut with = case.clone();
        with.evidence.push(noise);
        for (x, y) in posteriors(&with).iter().zip(&before) {
            close(*x, *y, 1e-15);
        }
    }
}

#[test]
fn full_correlation_makes_identical_items_count_once() {
    let mut one = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
    one.evidence.push(Evidence::new("e", &[0.8, 0.3]));
    let mut three = one.clone();
    three.evidence.clear();
    three.groups.push(Group {
        id: "g".into(),
        correlation: 1.0,
        file: 0,
    });
    for i in 0..3 {
        let mut e = Evidence::new(&format!("e{i}"), &[0.8, 0.3]);
        e.group = Some(0);
        three.evidence.push(e);
    }
    // ρ = 1, n = 3: d = (1 + 2·0)/3 = 1/3, three items of ω = 1/3 add up to one item:
    // p_a = 0.8/1.1 = 8/11.
    let p3 = posteriors(&three);
    close(p3[0], 8.0 / 11.0, 1e-15);
    close(p3[0], posteriors(&one)[0], 1e-15);
    // ρ = 0 counts them as independent: odds (8/3)^3 = 18.96; p_a = 512/539.
    three.groups[0].correlation = 0.0;
    close(posteriors(&three)[0], 512.0 / 539.0, 1e-15);
}

#[test]
fn absent_item_with_certain_likelihood_eliminates() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
    // "The dog that did not bark": under a it would certainly have been seen (ℓ = 1, c = 1);
    // looked for and not found, 1 − ℓ̃ = 0 eliminates a.
    let mut e = Evidence::new("no-claim", &[1.0, 0.5, 0.2]);
    e.status = Status::Absent;
    e.credibility = explicit(1.0);
    case.evidence.push(e);
    let s = explain::summarize(&case).unwrap();
    // b : c = 0.5 : 0.8 -> p_c = 8/13 leads, p_b = 5/13, a eliminated and last.
    let ids: Vec<&str> = s.hypotheses.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
    close(s.hypotheses[0].posterior, 8.0 / 13.0, 1e-15);
    assert_eq!(s.hypotheses[2].posterior, 0.0);
    assert_eq!(s.hypotheses[2].log_score, None);
    assert_eq!(s.hypotheses[2].estimative, "almost no chance");
    let json = abduce::output::to_json(&s);
    assert!(json.contains("\"log_score\": null"));
}

#[test]
fn schum_with_equal_hit_and_false_alarm_rates_changes_nothing() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 3.0)]);
    case.evidence.push(Evidence::new("e1", &[0.6, 0.3]));
    let before = posteriors(&case);
    for h in [0.05, 0.3, 0.9] {
        for status in [Status::Observed, Status::Absent] {
            // ℓ̃ = f + (h − f) ℓ = h for every hypothesis; 1 − ℓ̃ = 1 − h.
            let mut e = Evidence::new("report", &[0.95, 0.05]);
            e.credibility = Credibility::Schum {
                hit_rate: h,
                false_alarm_rate: h,
            };
            e.status = status;
            let mut with = case.clone();
            with.evidence.push(e);
            for (x, y) in posteriors(&with).iter().zip(&before) {
                close(*x, *y, 1e-15);
            }
        }
    }
}

#[test]
fn deceptive_schum_source_reverses_the_evidence() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
    // h = 0.2 < f = 0.6: ℓ̃ = 0.6 − 0.4 ℓ; ℓ = (0.9, 0.1) -> (0.24, 0.56): b favoured,
    // p_b = 0.56 / 0.8 = 0.7.
    let mut e = Evidence::new("e", &[0.9, 0.1]);
    e.credibility = Credibility::Schum {
        hit_rate: 0.2,
        false_alarm_rate: 0.6,
    };
    case.evidence.push(e);
    close(posteriors(&case)[1], 0.7, 1e-15);
}

#[test]
fn na_cells_do_not_discriminate() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
    // (0.8, NA, 0.4): NA takes the mean 0.6 of the other cells; p ∝ (0.8, 0.6, 0.4) = (4/9, 1/3, 2/9).
    let mut e = Evidence::new("e", &[0.8, 0.0, 0.4]);
    e.likelihood[1] = Cell::Rating(Rating::NA);
    case.evidence.push(e);
    let p = posteriors(&case);
    close(p[0], 4.0 / 9.0, 1e-15);
    close(p[1], 1.0 / 3.0, 1e-15);
    close(p[2], 2.0 / 9.0, 1e-15);
    // NA sits at the centre: its contribution is dB(ln 0.6 − (ln 0.8 + ln 0.6 + ln 0.4)/3)
    // = dB(ln(0.6 / 0.192^(1/3))) = 10 log10(0.6/0.576900) = +0.1705 dB, near 0 but not
    // exactly (contributions centre on the geometric mean, NA takes the arithmetic mean).
    let x = explain::explain(&case).unwrap();
    close(
        x.items[0].contributions[1].unwrap(),
        10.0 * (0.6 / 0.192f64.cbrt()).log10(),
        1e-12,
    );
    // A row of C and NA: NA = 0.7 too, nothing changes; a row of NA only: 0.5 everywhere.
    let mut flat = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
    let mut e = Evidence::new("e", &[0.0, 0.0]);
    e.likelihood = vec![Cell::Rating(Rating::C), Cell::Rating(Rating::NA)];
    flat.evidence.push(e.clone());
    e.likelihood = vec![Cell::Rating(Rating::NA); 2];
    flat.evidence.push(e);
    assert_eq!(posteriors(&flat), vec![0.5, 0.5]);
    assert_eq!(flat.likelihoods(1), vec![0.5, 0.5]);
}

#[test]
fn zero_weight_is_absent_not_zero_times_minus_infinity() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
    let mut e = Evidence::new("e", &[0.0, 1.0]);
    e.weight = 0.0;
    case.evidence.push(e);
    assert_eq!(posteriors(&case), vec![0.5, 0.5]);
}

#[test]
fn eliminated_by_one_item_and_all_eliminated() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
    case.evidence
        .push(Evidence::new("kills-a", &[0.0, 0.5, 0.5]));
    let s = bayes::score(&case).unwrap();
    assert_eq!(s.log_scores[0], f64::NEG_INFINITY);
    assert_eq!(s.posteriors, vec![0.0, 0.5, 0.5]);
    assert_eq!(s.order, vec![1, 2, 0]);
    case.evidence
        .push(Evidence::new("kills-bc", &[0.5, 0.0, 0.0]));
    let err = bayes::score(&case).unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let msg = err.to_string();
    assert!(msg.contains("every hypothesis is eliminated"), "{msg}");
    assert!(msg.contains("`a` by kills-a"), "{msg}");
    assert!(msg.contains("`b` by kills-bc"), "{msg}");
    assert!(msg.contains("`c` by kills-bc"), "{msg}");
    // The kind carries each hypothesis with the items that eliminate it (no file: no place).
    let abduce::Error::Failed(abduce::error::Failure::AllEliminated { by }) = err else {
        panic!("{err:?}")
    };
    let by_item =
        |h: &str, items: &[&str]| (h.to_string(), items.iter().map(|i| i.to_string()).collect());
    assert_eq!(
        by,
        vec![
            by_item("a", &["kills-a"]),
            by_item("b", &["kills-bc"]),
            by_item("c", &["kills-bc"]),
        ]
    );
    assert!(explain::summarize(&case).is_err());
}

#[test]
fn ties_keep_declaration_order() {
    let case = Case::new("t", &[("x", 1.0), ("y", 1.0), ("z", 2.0)]);
    let s = explain::summarize(&case).unwrap();
    let ids: Vec<&str> = s.hypotheses.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["z", "x", "y"]);
    assert_eq!(s.hypotheses[1].rank, 2);
    // p = (0.25, 0.25, 0.5): unlikely, unlikely, roughly even chance.
    assert_eq!(s.hypotheses[0].estimative, "roughly even chance");
    assert_eq!(s.hypotheses[1].estimative, "unlikely");
}

#[test]
fn estimative_terms_at_the_boundaries() {
    assert_eq!(estimative(0.55), "roughly even chance");
    // Rounded to 4 decimals first: 0.55001 -> 0.5500, still "roughly even chance";
    // 0.55006 -> 0.5501 is "likely".
    assert_eq!(estimative(0.55001), "roughly even chance");
    assert_eq!(estimative(0.55006), "likely");
    // 0.04999 -> 0.0500: "very unlikely".
    assert_eq!(estimative(0.04999), "very unlikely");
    assert_eq!(estimative(0.049_949), "almost no chance");
    assert_eq!(estimative(0.45), "roughly even chance");
    assert_eq!(estimative(0.449_94), "unlikely");
    assert_eq!(estimative(0.95), "very likely");
    assert_eq!(estimative(0.950_06), "almost certain");
    // The exact binary value is rounded: 0.95005 is stored as 0.95004999999999995…, which
    // rounds to 0.9500, and 0.44994999999999996 to 0.4499 (p·10⁴ would give 4499.5 exactly
    // and round up to 0.4500).
    assert_eq!(estimative(0.950_05), "very likely");
    assert_eq!(estimative(0.449_949_999_999_999_96), "unlikely");
    assert_eq!(estimative(0.199_95), "very unlikely");
    assert_eq!(estimative(0.999_95), "almost certain");
}

fn rated(id: &str, cells: &[Rating]) -> Evidence {
    let mut e = Evidence::new(id, &vec![0.5; cells.len()]);
    e.likelihood = cells.iter().map(|&r| Cell::Rating(r)).collect();
    e
}

#[test]
fn ach_reproduces_a_published_matrix() {
    use Rating::*;
    // A 4×4 matrix: one I in the first hypothesis' column, three in the last; unweighted.
    let mut case = Case::new("m", &[("h1", 1.0), ("h2", 1.0), ("h3", 1.0), ("h4", 1.0)]);
    case.evidence.push(rated("e1", &[C, C, N, I]));
    case.evidence.push(rated("e2", &[I, N, C, I]));
    case.evidence.push(rated("e3", &[N, C, C, C]));
    // Numbers map to ratings: 0.3 -> I, 0.72 -> C, 0.5 -> N, 0.88 -> CC.
    case.evidence
        .push(Evidence::new("e4", &[0.72, 0.5, 0.88, 0.3]));
    let s = ach::ach(&case);
    assert_eq!(s.inconsistency, vec![1.0, 0.0, 0.0, 3.0]);
    assert_eq!(s.ratings[3], vec![C, N, CC, I]);
    let doc = ach::summarize(&case);
    let ids: Vec<&str> = doc.hypotheses.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["h2", "h3", "h1", "h4"]);
}

#[test]
fn ach_parc_weights() {
    use Rating::*;
    // PARC ACH: credibility low/medium/high gives κ = 1/√2, 1, √2; relevance = weight.
    let mut case = Case::new("m", &[("a", 1.0), ("b", 1.0), ("c", 1.0)]);
    let mut e1 = rated("e1", &[II, I, C]);
    e1.credibility = explicit(0.5); // low: κ = 2^(−0.5) = 0.70711
    let mut e2 = rated("e2", &[C, II, I]);
    e2.credibility = explicit(0.9); // high: κ = √2
    e2.weight = std::f64::consts::SQRT_2; // relevance high: a = √2·√2 = 2
    let mut e3 = rated("e3", &[CC, C, II]);
    e3.status = Status::Absent; // mirrored: II, I, CC
    let mut e4 = rated("e4", &[II, II, II]);
    e4.status = Status::Pending; // does not count
    case.evidence.extend([e1, e2, e3, e4]);
    let s = ach::ach(&case);
    let r = std::f64::consts::FRAC_1_SQRT_2;
    // a: 2·0.70711 + 0 + 2 = 3.41421; b: 1·0.70711 + 2·2 + 1 = 5.70711; c: 0 + 1·2 + 0 = 2.
    close(s.inconsistency[0], 2.0 * r + 2.0, 1e-12);
    close(s.inconsistency[1], r + 5.0, 1e-12);
    close(s.inconsistency[2], 2.0, 1e-12);
    assert_eq!(s.order, vec![2, 0, 1]);
}

#[test]
fn timeline_and_indicators_reuse_the_scorer() {
    let mut case = Case::new("t", &[("a", 1.0), ("b", 1.0)]);
    let mut e = Evidence::new("e", &[0.9, 0.3]);
    e.date = Some(abduce::case::Date {
        year: 2025,
        month: 11,
        day: 30,
    });
    case.evidence.push(e);
    let t = abduce::score::timeline::timeline(&case).unwrap();
    // One date; p_a = 0.9/1.2 = 0.75.
    assert_eq!(t.len(), 1);
    close(t[0].1[0], 0.75, 1e-15);
    let mut p = Evidence::new("p", &[0.5, 0.5]);
    p.status = Status::Pending;
    case.evidence.push(p);
    let ind = abduce::indicators::indicators(&case).unwrap();
    // A flat pending item: P(E) = 0.5, no gain, no change of leader.
    close(ind.indicators[0].p_observe, 0.5, 1e-15);
    close(ind.indicators[0].expected_info_gain_bits, 0.0, 1e-15);
    assert_eq!(ind.indicators[0].p_leader_change, 0.0);
}

/// A small case exercising every column: a group, an absent item, a Schum item, a rating
/// row with NA, a pending item, a retracted item, dates, titles.
fn sample() -> Case {
    use abduce::case::Date;
    let day = |d| {
        Some(Date {
            year: 2025,
            month: 12,
            day: d,
        })
    };
    let mut case = Case::new("sample", &[("local", 2.0), ("etim", 1.0), ("other", 1.0)]);
    case.title = "Sample case".into();
    case.question = Some("Who did it?".into());
    case.hypotheses[0].title = "Local units".into();
    case.groups.push(Group {
        id: "arsenal".into(),
        correlation: 0.6,
        file: 0,
    });
    let mut e = Evidence::new("rifles", &[0.6, 0.3, 0.4]);
    e.title = Some("M-16 rifles | seized".into());
    e.group = Some(0);
    e.date = day(24);
    e.credibility = explicit(0.9);
    case.evidence.push(e);
    let mut e = Evidence::new("pistols", &[0.5, 0.6, 0.4]);
    e.group = Some(0);
    e.date = day(24);
    case.evidence.push(e);
    let mut e = Evidence::new("no-claim", &[0.2, 0.7, 0.5]);
    e.status = Status::Absent;
    e.date = day(1);
    case.evidence.push(e);
    let mut e = rated("ratings", &[Rating::C, Rating::NA, Rating::I]);
    e.credibility = Credibility::Schum {
        hit_rate: 0.8,
        false_alarm_rate: 0.1,
    };
    case.evidence.push(e);
    let mut e = Evidence::new("uyghur-speech", &[0.1, 0.8, 0.3]);
    e.status = Status::Pending;
    e.title = Some("Fighters heard speaking Uyghur".into());
    case.evidence.push(e);
    let mut e = Evidence::new("old-rumour", &[0.9, 0.1, 0.5]);
    e.status = Status::Retracted;
    case.evidence.push(e);
    case
}

/// Whole outputs of every document in md, json and csv (insta snapshots in tests/snapshots).
/// The figures were checked independently: priors (1/2, 1/4, 1/4); rifles and pistols share
/// ω = 0.7 (ρ = 0.6, n = 2: d = 1.4/2); rifles ℓ̃ = 0.9ℓ + 0.1·(1.3/3); no-claim 1 − ℓ;
/// ratings ℓ̃ = 0.1 + 0.7·(0.7, 0.5, 0.3) (NA = mean of C and I). Posteriors
/// (0.823968, 0.086649, 0.089383); the pending item: P(E) = 0.178531, EIG = 0.149088 bits.
/// ACH: rifles κ = √2 (c = 0.9), ratings κ = 1 (h − f = 0.7); etim = √2 + 1 = 2.41.
#[test]
fn every_format_of_every_document() {
    use abduce::render::{CaseDocument, Document, Format};
    let case = sample();
    let render = |d: &dyn Fn(Format) -> Vec<u8>| {
        [Format::Md, Format::Json, Format::Csv]
            .map(|f| String::from_utf8(d(f)).unwrap())
            .join("\n----\n")
    };
    let score = explain::summarize(&case).unwrap();
    let score = score.with(&case);
    insta::assert_snapshot!("score", render(&|f| score.render(f).unwrap()));
    let ach = ach::summarize(&case);
    let ach = ach.with(&case);
    insta::assert_snapshot!("ach", render(&|f| ach.render(f).unwrap()));
    let timeline = abduce::score::timeline::summarize(&case).unwrap();
    let timeline = timeline.with(&case);
    insta::assert_snapshot!("timeline", render(&|f| timeline.render(f).unwrap()));
    let ind = abduce::indicators::indicators(&case).unwrap();
    let ind = ind.with(&case);
    insta::assert_snapshot!("indicators", render(&|f| ind.render(f).unwrap()));
    // HTML is only for `report`: a usage error.
    assert_eq!(score.render(Format::Html).unwrap_err().exit_code(), 2);
}

#[test]
fn empty_lists_give_a_csv_header_alone() {
    // No dated item, no pending item, no range: the timeline, indicators, tornado, tipping
    // (nothing counts) and Sobol lists are empty, and each CSV is the header of its rows.
    use abduce::render::{CaseDocument, Document, Format};
    use abduce::sweep::{sobol, tipping, tornado};
    let case = Case::new("e", &[("p", 11.0), ("q", 9.0)]);
    fn csv(d: &impl Document) -> String {
        String::from_utf8(d.render(Format::Csv).unwrap()).unwrap()
    }
    let timeline = abduce::score::timeline::summarize(&case).unwrap();
    assert_eq!(
        csv(&timeline.with(&case)),
        "date,posteriors.p,posteriors.q\n"
    );
    let ind = abduce::indicators::indicators(&case).unwrap();
    assert_eq!(
        csv(&ind.with(&case)),
        "id,p_observe,expected_info_gain_bits,p_leader_change\n"
    );
    let tor = tornado::run(&case).unwrap();
    assert_eq!(
        csv(&tor),
        "quantity,low_value,high_value,y_low,y_high,swing,leader_low,leader_high\n"
    );
    let tip = tipping::run(&case).unwrap();
    assert_eq!(
        csv(&tip),
        "id,lower,lower_by,upper,upper_by,loo_leader,loo_posterior,critical\n"
    );
    let sob = sobol::run(&case, 100, 0, &|_| {}).unwrap();
    assert_eq!(csv(&sob), "id,s1,s1_ci.0,s1_ci.1,st,st_ci.0,st_ci.1\n");
}
