//! Unit tests of the what-ifs: every rule of docs/format.md "What-ifs", with values by hand.

use super::*;
use crate::case::{Evidence, Group};

/// Two hypotheses, `isk` (prior 1, range [0.5, 2]) and `etim`; item `rifles` (weight 1 with
/// [0.5, 1.5]; Admiralty credibility 0.8 with [0.6, 0.9]; cells 0.4 and C), item `schum`
/// (hit/false-alarm rates), item `blank` (cells NA and 0.6); group `arsenal`.
fn case() -> Case {
    let mut case = Case::new("t", &[("isk", 1.0), ("etim", 1.0)]);
    case.hypotheses[0].prior_range = Some(Range { lo: 0.5, hi: 2.0 });
    case.groups.push(Group {
        id: "arsenal".into(),
        correlation: 0.6,
        file: 0,
    });
    let mut e = Evidence::new("rifles", &[0.4, 0.7]);
    e.weight_range = Some(Range { lo: 0.5, hi: 1.5 });
    e.likelihood[1] = Cell::Rating(Rating::C);
    e.credibility = Credibility::Mixture {
        value: 0.8,
        range: Some(Range { lo: 0.6, hi: 0.9 }),
        basis: CredibilityBasis::Admiralty,
    };
    case.evidence.push(e);
    let mut s = Evidence::new("schum", &[0.5, 0.5]);
    s.credibility = Credibility::Schum {
        hit_rate: 0.9,
        false_alarm_rate: 0.1,
    };
    case.evidence.push(s);
    let mut b = Evidence::new("blank", &[0.5, 0.6]);
    b.likelihood[0] = Cell::Rating(Rating::NA);
    case.evidence.push(b);
    case
}

fn sets(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn with(list: &[&str]) -> Case {
    let mut c = case();
    apply(&mut c, &[], &sets(list)).unwrap();
    c
}

fn r(lo: f64, hi: f64) -> Option<Range> {
    Some(Range { lo, hi })
}

fn stderr(err: Error) -> String {
    err.to_string()
}

#[test]
fn targets_name_the_declaring_item_hypothesis_or_group() {
    let c = case();
    let t = |p: &str| target(&c, &p.parse().unwrap());
    assert_eq!(t("evidence.schum.weight"), Ok(1));
    assert_eq!(t("evidence.rifles.weight_range"), Ok(0));
    assert_eq!(t("evidence.rifles.likelihood.etim"), Ok(0));
    assert_eq!(t("hypothesis.etim.prior"), Ok(1));
    assert_eq!(t("hypothesis.etim.prior_range"), Ok(1));
    assert_eq!(t("group.arsenal.correlation"), Ok(0));
    assert_eq!(
        t("evidence.rifles.likelihood.etm"),
        Err(SetError::UnknownId {
            message: "unknown hypothesis `etm`; did you mean `etim`?".into(),
            key: 3
        })
    );
    assert_eq!(
        t("hypothesis.h9.prior").unwrap_err().to_string(),
        "unknown hypothesis `h9`; the case declares `isk`, `etim`"
    );
    assert_eq!(
        t("group.arsenl.correlation").unwrap_err().to_string(),
        "unknown group `arsenl`; did you mean `arsenal`?"
    );
}

#[test]
fn a_number_for_a_weight_moves_its_range_on_the_log_scale() {
    // weight 1 with [0.5, 1.5] set to 2: lo' = 0.5·2/1 = 1, hi' = 1.5·2/1 = 3.
    let c = with(&["evidence.rifles.weight=2"]);
    assert_eq!(c.evidence[0].weight, 2.0);
    assert_eq!(c.evidence[0].weight_range, r(1.0, 3.0));
    // A label means its number: low = 1/√2 = 0.70710678118654752..., so
    // [0.5/√2, 1.5/√2] = [0.35355339059327376..., 1.06066017177982128...], to 15 digits.
    let c = with(&["evidence.rifles.weight=low"]);
    assert_eq!(c.evidence[0].weight, std::f64::consts::FRAC_1_SQRT_2);
    assert_eq!(
        c.evidence[0].weight_range,
        r(0.353553390593274, 1.06066017177982)
    );
    // prior 1 with [0.5, 2] set to 3: lo' = 0.5·3/1 = 1.5, hi' = 2·3/1 = 6.
    let c = with(&["hypothesis.isk.prior=3"]);
    assert_eq!(c.hypotheses[0].prior, 3.0);
    assert_eq!(c.hypotheses[0].prior_range, r(1.5, 6.0));
    // No range: the point is set and stays fixed.
    let c = with(&["hypothesis.etim.prior=3", "evidence.schum.weight=0.5"]);
    assert_eq!(
        (c.hypotheses[1].prior, c.hypotheses[1].prior_range),
        (3.0, None)
    );
    assert_eq!(
        (c.evidence[1].weight, c.evidence[1].weight_range),
        (0.5, None)
    );
}

#[test]
fn a_number_for_a_cell_or_credibility_moves_its_range_on_the_logit_scale() {
    // C is 0.7 with [0.5, 0.85]; set to 0.3 the odds are multiplied by (3/7)/(7/3) = 9/49:
    // lo' = 0.5·0.3·0.3 / (0.5·0.3·0.3 + 0.5·0.7·0.7) = 0.045 / 0.29 = 0.155172413793...
    // hi' = 0.85·0.3·0.3 / (0.85·0.3·0.3 + 0.15·0.7·0.7) = 0.0765 / 0.15 = 0.51
    let c = with(&["evidence.rifles.likelihood.etim=0.3"]);
    let Cell::Value { value, range } = c.evidence[0].likelihood[1] else {
        panic!("a number replaces the rating");
    };
    assert_eq!(value, 0.3);
    // (each bound rounded to 15 significant digits)
    assert_eq!(range, r(0.155172413793103, 0.51));
    // Credibility 0.8 (from Admiralty codes) with [0.6, 0.9] set to high = 0.9:
    // lo' = 0.6·0.9·0.2 / (0.6·0.9·0.2 + 0.4·0.1·0.8) = 0.108 / 0.14 = 0.771428571428571428...
    // hi' = 0.9·0.9·0.2 / (0.9·0.9·0.2 + 0.1·0.1·0.8) = 0.162 / 0.17 = 0.952941176470588235...
    let c = with(&["evidence.rifles.credibility=high"]);
    let Credibility::Mixture {
        value,
        range,
        basis,
    } = c.evidence[0].credibility
    else {
        panic!()
    };
    assert_eq!((value, basis), (0.9, CredibilityBasis::Explicit));
    assert_eq!(range, r(0.771428571428571, 0.952941176470588));
    // The same point keeps the range bit for bit.
    let c = with(&["evidence.rifles.credibility=0.8"]);
    assert_eq!(c.evidence[0].credibility.value(), Some(0.8));
    assert!(matches!(
        c.evidence[0].credibility,
        Credibility::Mixture { range, .. } if range == r(0.6, 0.9)
    ));
}

#[test]
fn edge_values_fix_the_quantity() {
    let c = with(&[
        "evidence.rifles.weight=0",
        "evidence.rifles.likelihood.etim=1",
        "evidence.rifles.credibility=0",
    ]);
    assert_eq!(
        (c.evidence[0].weight, c.evidence[0].weight_range),
        (0.0, None)
    );
    assert_eq!(
        c.evidence[0].likelihood[1],
        Cell::Value {
            value: 1.0,
            range: None
        }
    );
    assert!(matches!(
        c.evidence[0].credibility,
        Credibility::Mixture { value, range: None, .. } if value == 0.0
    ));
}

#[test]
fn a_rating_brings_its_range_and_a_status_moves_nothing() {
    let c = with(&[
        "evidence.rifles.likelihood.isk=II",
        "evidence.rifles.status=absent",
    ]);
    assert_eq!(c.evidence[0].likelihood[0], Cell::Rating(Rating::II));
    assert_eq!(c.evidence[0].status, Status::Absent);
    assert_eq!(c.evidence[0].weight_range, case().evidence[0].weight_range);
    // A number for an NA cell: NA has no range, so the number is a fixed point.
    let c = with(&["evidence.blank.likelihood.isk=0.2"]);
    assert_eq!(
        c.evidence[2].likelihood[0],
        Cell::Value {
            value: 0.2,
            range: None
        }
    );
}

#[test]
fn a_range_alone_keeps_the_point() {
    let c = with(&[
        "evidence.rifles.weight_range=[0.8, 1.25]",
        "evidence.rifles.credibility_range = [0.7, 0.85]",
        "evidence.rifles.likelihood.etim=[0.6, 0.8]",
        "evidence.rifles.likelihood.isk=[0.3, 0.5]",
        "hypothesis.etim.prior_range=[0.5, 2]",
    ]);
    let e = &c.evidence[0];
    assert_eq!((e.weight, e.weight_range), (1.0, r(0.8, 1.25)));
    // The point still comes from the Admiralty codes.
    assert_eq!(
        e.credibility,
        Credibility::Mixture {
            value: 0.8,
            range: r(0.7, 0.85),
            basis: CredibilityBasis::Admiralty
        }
    );
    // The rating C keeps its likelihood 0.7 with the new range.
    assert_eq!(
        e.likelihood[1],
        Cell::Value {
            value: 0.7,
            range: r(0.6, 0.8)
        }
    );
    assert_eq!(
        e.likelihood[0],
        Cell::Value {
            value: 0.4,
            range: r(0.3, 0.5)
        }
    );
    assert_eq!(c.hypotheses[1].prior_range, r(0.5, 2.0));
}

#[test]
fn a_point_and_its_range_together_move_nothing() {
    let c = with(&[
        "evidence.rifles.weight={ value = 3, range = [2, 4] }",
        "evidence.rifles.likelihood.etim = { value = 0.2, range = [0.1, 0.3] }",
        "hypothesis.etim.prior={value=2, range=[1, 4]}",
        "evidence.schum.weight = { value = \"high\", range = [1, 2] }",
    ]);
    assert_eq!(
        (c.evidence[0].weight, c.evidence[0].weight_range),
        (3.0, r(2.0, 4.0))
    );
    assert_eq!(
        c.evidence[0].likelihood[1],
        Cell::Value {
            value: 0.2,
            range: r(0.1, 0.3)
        }
    );
    assert_eq!(
        (c.hypotheses[1].prior, c.hypotheses[1].prior_range),
        (2.0, r(1.0, 4.0))
    );
    assert_eq!(
        (c.evidence[1].weight, c.evidence[1].weight_range),
        (std::f64::consts::SQRT_2, r(1.0, 2.0))
    );
}

#[test]
fn each_assignment_applies_to_the_result_of_the_ones_before() {
    // weight 1 [0.5, 1.5] → 2 [1, 3] → 4 [2, 6]: lo'' = 1·4/2 = 2, hi'' = 3·4/2 = 6.
    let c = with(&["evidence.rifles.weight=2", "evidence.rifles.weight=4"]);
    assert_eq!(c.evidence[0].weight_range, r(2.0, 6.0));
    // A new range, then a new point: the new range moves.
    let c = with(&[
        "evidence.rifles.weight_range=[1, 1]",
        "evidence.rifles.weight=2",
    ]);
    assert_eq!(c.evidence[0].weight_range, r(2.0, 2.0));
}

#[test]
fn malformed_path_is_a_usage_error() {
    let err = apply(&mut case(), &[], &sets(&["evidence.rifles.wieght=1"])).unwrap_err();
    assert_eq!(
        stderr(err),
        "abduce: error: --set `evidence.rifles.wieght=1`: malformed path \
         `evidence.rifles.wieght`: unknown field `wieght` (did you mean `weight`?); expected \
         evidence.<id>.weight, .weight_range, .credibility, .credibility_range, .status, \
         .likelihood.<hypothesis>; hypothesis.<id>.prior, .prior_range; or \
         group.<id>.correlation\n"
    );
    for bad in [
        "evidence.rifles=1",
        "weight=1",
        "evidence.rifles.likelihood=0.5",
        "evidence.1x.weight=1",
        "evidence.rifles.weight",
        "group.arsenal.correlation_range=[0.1, 0.2]",
    ] {
        let err = apply(&mut case(), &[], &sets(&[bad])).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{bad}: {err}");
    }
}

#[test]
fn every_bad_assignment_is_reported_in_order_and_changes_nothing() {
    let mut c = case();
    let err = apply(
        &mut c,
        &[],
        &sets(&[
            "evidence.rifle.weight=1",
            "evidence.rifles.weight=1e6",
            "evidence.rifles.weight_range=[2, 3]",
            "evidence.schum.credibility=0.5",
            "evidence.schum.credibility_range=[0.2, 0.4]",
            "evidence.rifles.status=[0.1, 0.2]",
            "evidence.blank.likelihood.isk=[0.1, 0.2]",
            "evidence.rifles.credibility=1.5",
            "group.arsenal.correlation=[0.1, 0.2]",
            "hypothesis.isk.prior=0",
            "evidence.rifles.weight=",
            "evidence.rifles.weight=[1",
            "evidence.rifles.likelihood.etim=CX",
            "evidence.rifles.weight={ value = 3, range = [1, 2] }",
        ]),
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let lines = [
        "--set `evidence.rifle.weight=1`: unknown evidence item `rifle`; did you mean `rifles`?",
        "--set `evidence.rifles.weight=1e6`: `evidence.rifles.weight` = 1000000 moves its range \
         [0.5, 1.5] to [500000, 1500000], which must have hi <= 1e6 (the largest weight); give \
         the point and its range together: `evidence.rifles.weight = { value = 1000000, range \
         = [lo, hi] }`",
        "--set `evidence.rifles.weight_range=[2, 3]`: `evidence.rifles.weight` = 1 lies outside \
         `evidence.rifles.weight_range` [2, 3]; to move the point too, give both: \
         `evidence.rifles.weight = { value = v, range = [2, 3] }`",
        "--set `evidence.schum.credibility=0.5`: `evidence.schum.credibility`: item `schum` \
         gives hit_rate and false_alarm_rate, so it has no credibility or credibility range to \
         set",
        "--set `evidence.schum.credibility_range=[0.2, 0.4]`: \
         `evidence.schum.credibility_range`: item `schum` gives hit_rate and false_alarm_rate, \
         so it has no credibility or credibility range to set",
        "--set `evidence.rifles.status=[0.1, 0.2]`: `evidence.rifles.status` has no range: it \
         takes a status: observed, absent, pending or retracted",
        "--set `evidence.blank.likelihood.isk=[0.1, 0.2]`: `evidence.blank.likelihood.isk` is \
         NA, which has no point of its own (it takes the mean of the row): give the point with \
         its range, `evidence.blank.likelihood.isk = { value = v, range = [lo, hi] }`",
        "--set `evidence.rifles.credibility=1.5`: `evidence.rifles.credibility` = 1.5 is out of \
         range: it must be in [0, 1]",
        "--set `group.arsenal.correlation=[0.1, 0.2]`: `group.arsenal.correlation` has no range: \
         it takes a number in [0, 1]",
        "--set `hypothesis.isk.prior=0`: `hypothesis.isk.prior` = 0 is out of range: it must be \
         greater than 0 and at most 1e6",
        "--set `evidence.rifles.weight=`: no value after `=`",
        "--set `evidence.rifles.weight=[1`: `[1` is not a valid value",
        "--set `evidence.rifles.likelihood.etim=CX`: `evidence.rifles.likelihood.etim`: unknown \
         rating `CX`; ratings are `CC`, `C`, `N`, `NA`, `I`, `II`",
        "--set `evidence.rifles.weight={ value = 3, range = [1, 2] }`: \
         `evidence.rifles.weight.value` = 3 lies outside `evidence.rifles.weight.range` [1, 2]",
    ];
    let expected: String = lines
        .iter()
        .map(|l| format!("abduce: error: {l}\n"))
        .collect();
    assert_eq!(stderr(err), expected);
    // Nothing was changed by the failed assignments.
    assert_eq!(c, case());
}

/// Writes an overlay file in a fresh folder; returns the folder (kept alive) and the file.
fn overlay(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("variant.toml");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

#[test]
fn overlays_then_sets_later_wins() {
    let (_dir, file) = overlay(
        "[evidence.rifles]\nweight = 0.5\nstatus = \"pending\"\n\
         [evidence.rifles.likelihood]\netim = \"I\"\n\
         [hypothesis.isk]\nprior = 1.5\n[group.arsenal]\ncorrelation = 1\n",
    );
    let mut c = case();
    apply(
        &mut c,
        std::slice::from_ref(&file),
        &sets(&["evidence.rifles.weight=1.5"]),
    )
    .unwrap();
    // 1 [0.5, 1.5] → 0.5 [0.25, 0.75] → 1.5 [0.75, 2.25]: 0.25·1.5/0.5 = 0.75, 0.75·3 = 2.25.
    assert_eq!(c.evidence[0].weight, 1.5);
    assert_eq!(c.evidence[0].weight_range, r(0.75, 2.25));
    assert_eq!(c.evidence[0].status, Status::Pending);
    assert_eq!(c.evidence[0].likelihood[1], Cell::Rating(Rating::I));
    // prior 1 [0.5, 2] → 1.5 [0.75, 3].
    assert_eq!(
        (c.hypotheses[0].prior, c.hypotheses[0].prior_range),
        (1.5, r(0.75, 3.0))
    );
    assert_eq!(c.groups[0].correlation, 1.0);
}

#[test]
fn an_overlay_table_with_a_point_and_its_range_sets_both() {
    let (_dir, file) = overlay(
        "[evidence.rifles]\nweight = 3\nweight_range = [2, 4]\n\
         credibility_range = [0.5, 0.7]\ncredibility = 0.6\n\
         [hypothesis.etim]\nprior_range = [1, 3]\nprior = 2\n\
         [evidence.rifles.likelihood]\nisk = { value = 0.2, range = [0.1, 0.3] }\netim = [0.6, 0.8]\n",
    );
    let mut c = case();
    apply(&mut c, std::slice::from_ref(&file), &[]).unwrap();
    let e = &c.evidence[0];
    assert_eq!((e.weight, e.weight_range), (3.0, r(2.0, 4.0)));
    assert_eq!(
        e.credibility,
        Credibility::Mixture {
            value: 0.6,
            range: r(0.5, 0.7),
            basis: CredibilityBasis::Explicit
        }
    );
    assert_eq!(
        (c.hypotheses[1].prior, c.hypotheses[1].prior_range),
        (2.0, r(1.0, 3.0))
    );
    assert_eq!(
        e.likelihood,
        vec![
            Cell::Value {
                value: 0.2,
                range: r(0.1, 0.3)
            },
            Cell::Value {
                value: 0.7,
                range: r(0.6, 0.8)
            }
        ]
    );
}

#[test]
fn an_overlay_reports_every_problem_in_line_order() {
    // Unknown tables, misspelt fields, unknown ids and bad values, all in one run, sorted by
    // line (an unknown id is found while applying, after the fields are read).
    let (_dir, file) = overlay(
        "[group.arsenl]\ncorrelation = 0.3\n\
         [evidence.rifles]\nwieght = 0.5\nweight = 1e6\nstatus = [0.1, 0.2]\n\
         [hypotheses.isk]\nprior = 1\n\
         [evidence.rifles.likelihood]\nisc = 0.5\netim = 1.5\n\
         [evidence.schum]\ncredibility = 0.5\n",
    );
    let err = apply(&mut case(), std::slice::from_ref(&file), &[]).unwrap_err();
    let f = file.display();
    assert_eq!(
        stderr(err),
        format!(
            "{f}:1:8: error: unknown group `arsenl`; did you mean `arsenal`?\n  |\n1 | [group.arsenl]\n  |        ^^^^^^\n\
             {f}:4:1: error: unknown field `evidence.rifles.wieght` (did you mean `weight`?); expected one of weight, weight_range, credibility, credibility_range, status, likelihood\n  |\n4 | wieght = 0.5\n  | ^^^^^^\n\
             {f}:5:10: error: `evidence.rifles.weight` = 1000000 moves its range [0.5, 1.5] to [500000, 1500000], which must have hi <= 1e6 (the largest weight); give the point and its range together: `evidence.rifles.weight = {{ value = 1000000, range = [lo, hi] }}`\n  |\n5 | weight = 1e6\n  |          ^^^\n\
             {f}:6:10: error: `evidence.rifles.status` has no range: it takes a status: observed, absent, pending or retracted\n  |\n6 | status = [0.1, 0.2]\n  |          ^^^^^^^^^^\n\
             {f}:7:2: error: unknown table `hypotheses` (did you mean `hypothesis`?): an overlay holds [evidence.<id>], [hypothesis.<id>] and [group.<id>] tables\n  |\n7 | [hypotheses.isk]\n  |  ^^^^^^^^^^\n\
             {f}:10:1: error: unknown hypothesis `isc`; did you mean `isk`?\n   |\n10 | isc = 0.5\n   | ^^^\n\
             {f}:11:8: error: `evidence.rifles.likelihood.etim` = 1.5 is out of range: it must be in [0, 1]\n   |\n11 | etim = 1.5\n   |        ^^^\n\
             {f}:13:15: error: `evidence.schum.credibility`: item `schum` gives hit_rate and false_alarm_rate, so it has no credibility or credibility range to set\n   |\n13 | credibility = 0.5\n   |               ^^^\n"
        )
    );
}

#[test]
fn overlay_syntax_errors_carry_their_position() {
    let (_dir, file) = overlay("[group.arsenal]\ncorrelation = \n");
    let err = apply(&mut case(), std::slice::from_ref(&file), &[]).unwrap_err();
    assert!(err.to_string().contains("variant.toml:2:"), "{err}");
}

#[test]
fn paths_round_trip() {
    for p in [
        "evidence.x.likelihood.etim",
        "evidence.x.weight_range",
        "evidence.x.credibility_range",
        "hypothesis.h.prior_range",
    ] {
        let q: QuantityPath = p.parse().unwrap();
        assert_eq!(q.to_string(), p);
    }
    let a = parse_assignment("hypothesis.h.prior = 2 # two incidents").unwrap();
    assert_eq!(a.path, QuantityPath::HypothesisPrior("h".into()));
    assert_eq!(
        a.value,
        Value::Number {
            value: 2.0,
            label: None
        }
    );
    let path: QuantityPath = "evidence.x.likelihood.h".parse().unwrap();
    assert_eq!(parse_value(&path, "C"), Ok(Value::Rating(Rating::C)));
    assert_eq!(parse_value(&path, "\"NA\""), Ok(Value::Rating(Rating::NA)));
    assert_eq!(
        parse_value(&path, "[0.1, 0.3]"),
        Ok(Value::Range(Range { lo: 0.1, hi: 0.3 }))
    );
    let weight: QuantityPath = "evidence.x.weight".parse().unwrap();
    assert_eq!(
        parse_value(&weight, "high"),
        Ok(Value::Number {
            value: std::f64::consts::SQRT_2,
            label: Some("high".into())
        })
    );
    // Two keys are not one value.
    assert!(parse_value(&weight, "1\nw = 2").is_err());
}
