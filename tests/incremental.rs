//! The incremental tornado, leave-one-out and timeline equal full rescoring (proptest):
//! every bar, item and date, leaders identical, posteriors within 1e-12, errors identical.

#[path = "fixtures/strategies.rs"]
mod strategies;

use abduce::case::{Case, Cell, Credibility, CredibilityBasis, Evidence, Group, Range, Status};
use abduce::score::timeline;
use abduce::sweep::{tipping, tornado};
use proptest::prelude::*;
use strategies::{schum, status};

#[derive(Debug, Clone)]
struct ItemSpec {
    cells: Vec<Cell>,
    credibility: Credibility,
    weight: f64,
    weight_range: Option<Range>,
    status: Status,
    group: Option<usize>,
    day: Option<u8>,
}

fn range_around(x: f64) -> impl Strategy<Value = Option<Range>> {
    // A 90% range inside (0, 1) around x (or not containing it: the sweeps do not care).
    prop::option::of((0.01f64..0.5, 0.5f64..0.99)).prop_map(move |r| {
        r.map(|(a, b)| Range {
            lo: a.min(x.max(0.011)),
            hi: b.max(x.min(0.989)),
        })
    })
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        6 => (0.001f64..0.999).prop_flat_map(|value| range_around(value)
            .prop_map(move |range| Cell::Value { value, range })),
        // 0 eliminates (with c = 1), 1 is certain; NA takes the row's mean.
        1 => Just(Cell::Value { value: 0.0, range: None }),
        1 => Just(Cell::Value { value: 1.0, range: None }),
        1 => Just(Cell::Rating(abduce::case::Rating::NA)),
        1 => Just(Cell::Rating(abduce::case::Rating::C)),
    ]
}

fn credibility() -> impl Strategy<Value = Credibility> {
    prop_oneof![
        3 => (0.05f64..=1.0).prop_flat_map(|value| range_around(value.min(0.95)).prop_map(
            move |range| Credibility::Mixture {
                value,
                range,
                basis: CredibilityBasis::Explicit,
            }
        )),
        1 => schum(),
    ]
}

fn item(k: usize, groups: usize) -> impl Strategy<Value = ItemSpec> {
    (
        prop::collection::vec(cell(), k),
        credibility(),
        prop_oneof![1 => Just(0.0), 6 => 0.1f64..3.0],
        prop::option::of((0.2f64..1.0, 1.0f64..3.0)),
        status(),
        prop::option::of(0..groups),
        prop::option::of(1u8..5),
    )
        .prop_map(
            |(cells, credibility, weight, wr, status, group, day)| ItemSpec {
                cells,
                credibility,
                weight,
                weight_range: wr.map(|(a, b)| Range {
                    lo: a * weight.max(0.1),
                    hi: b * weight.max(0.1),
                }),
                status,
                group,
                day,
            },
        )
}

/// (priors with optional ranges, group correlations, items).
type Spec = (Vec<(f64, Option<(f64, f64)>)>, Vec<f64>, Vec<ItemSpec>);

fn case_spec() -> impl Strategy<Value = Spec> {
    (2usize..6, 1usize..4).prop_flat_map(|(k, g)| {
        (
            prop::collection::vec(
                (0.1f64..10.0, prop::option::of((0.2f64..1.0, 1.0f64..4.0))),
                k,
            ),
            prop::collection::vec(0.0f64..=1.0, g),
            prop::collection::vec(item(k, g), 0..14),
        )
    })
}

fn build((priors, rhos, items): &Spec) -> Case {
    let ids: Vec<String> = (0..priors.len()).map(|k| format!("h{k}")).collect();
    let hyps: Vec<(&str, f64)> = ids
        .iter()
        .map(String::as_str)
        .zip(priors.iter().map(|p| p.0))
        .collect();
    let mut case = Case::new("prop", &hyps);
    for (h, (p, r)) in case.hypotheses.iter_mut().zip(priors) {
        h.prior_range = r.map(|(a, b)| Range {
            lo: a * p,
            hi: b * p,
        });
    }
    case.groups = rhos
        .iter()
        .enumerate()
        .map(|(i, &correlation)| Group {
            id: format!("g{i}"),
            correlation,
            file: 0,
        })
        .collect();
    for (i, spec) in items.iter().enumerate() {
        let mut e = Evidence::new(&format!("e{i}"), &vec![0.5; priors.len()]);
        e.likelihood = spec.cells.clone();
        e.credibility = spec.credibility;
        e.weight = spec.weight;
        e.weight_range = spec.weight_range;
        e.status = spec.status;
        e.group = spec.group;
        e.date = spec.day.map(|day| abduce::case::Date {
            year: 2025,
            month: 1,
            day,
        });
        case.evidence.push(e);
    }
    case
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn incremental_tornado_equals_full_rescoring(spec in case_spec()) {
        let case = build(&spec);
        match (tornado::run(&case), tornado::run_full(&case)) {
            (Ok(fast), Ok(full)) => {
                prop_assert_eq!(fast.bars.len(), full.bars.len());
                prop_assert_eq!(&fast.output, &full.output);
                prop_assert_eq!(fast.y_point, full.y_point);
                // Bars whose swings differ by rounding only may sort either way: match by name.
                for b in &full.bars {
                    let f = fast.bars.iter().find(|x| x.quantity == b.quantity).unwrap();
                    prop_assert_eq!((f.low_value, f.high_value), (b.low_value, b.high_value));
                    prop_assert!(close(f.y_low, b.y_low), "{} low {} vs {}", b.quantity, f.y_low, b.y_low);
                    prop_assert!(close(f.y_high, b.y_high), "{} high {} vs {}", b.quantity, f.y_high, b.y_high);
                    prop_assert!(close(f.swing, b.swing));
                    prop_assert_eq!(&f.leader_low, &b.leader_low, "{}", b.quantity);
                    prop_assert_eq!(&f.leader_high, &b.leader_high, "{}", b.quantity);
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "one failed: {:?} / {:?}", a.err(), b.err()),
        }
    }

    #[test]
    fn incremental_leave_one_out_equals_full_rescoring(spec in case_spec()) {
        let case = build(&spec);
        match (tipping::run(&case), tipping::run_full(&case)) {
            (Ok(fast), Ok(full)) => {
                prop_assert_eq!(&fast.leader, &full.leader);
                prop_assert_eq!(fast.items.len(), full.items.len());
                for (f, b) in fast.items.iter().zip(&full.items) {
                    prop_assert_eq!(&f.id, &b.id);
                    prop_assert_eq!((f.lower, &f.lower_by), (b.lower, &b.lower_by));
                    prop_assert_eq!((f.upper, &f.upper_by), (b.upper, &b.upper_by));
                    prop_assert_eq!(&f.loo_leader, &b.loo_leader, "{}", b.id);
                    prop_assert!(close(f.loo_posterior, b.loo_posterior), "{} {} vs {}", b.id, f.loo_posterior, b.loo_posterior);
                    prop_assert_eq!(f.critical, b.critical);
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "one failed: {:?} / {:?}", a.err(), b.err()),
        }
    }

    #[test]
    fn running_timeline_equals_rescoring_per_date(spec in case_spec()) {
        let case = build(&spec);
        match (timeline::timeline(&case), timeline::timeline_full(&case)) {
            (Ok(fast), Ok(full)) => {
                prop_assert_eq!(fast.len(), full.len());
                for ((d1, p1), (d2, p2)) in fast.iter().zip(&full) {
                    prop_assert_eq!(d1, d2);
                    for (a, b) in p1.iter().zip(p2) {
                        prop_assert!(close(*a, *b), "{} {} vs {}", d1, a, b);
                    }
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "one failed: {:?} / {:?}", a.err(), b.err()),
        }
    }
}

/// A group of three equal members (ρ = 0.5): retracting one changes the other two's
/// discount from d₃ = (1 + 2·0.5)/3 = 2/3 to d₂ = (1 + 0.5)/2 = 3/4, which the incremental
/// leave-one-out must apply. Two hypotheses, equal priors, each member ℓ = (0.8, 0.2):
/// with all three, s_a − s_b = 3 · (2/3) · ln 4 = 2 ln 4, p_a = 16/17; without one,
/// s_a − s_b = 2 · (3/4) · ln 4 = 1.5 ln 4, p_a = 4^1.5 / (4^1.5 + 1) = 8/9.
#[test]
fn leave_one_out_recomputes_the_group_discount() {
    let mut case = Case::new("g", &[("a", 1.0), ("b", 1.0)]);
    case.groups.push(Group {
        id: "g".into(),
        correlation: 0.5,
        file: 0,
    });
    for i in 0..3 {
        let mut e = Evidence::new(&format!("e{i}"), &[0.8, 0.2]);
        e.group = Some(0);
        case.evidence.push(e);
    }
    let t = tipping::run(&case).unwrap();
    for item in &t.items {
        assert_eq!(item.loo_leader, "a");
        assert!(
            (item.loo_posterior - 8.0 / 9.0).abs() < 1e-15,
            "{}",
            item.loo_posterior
        );
    }
}

/// Retracting the only item that eliminates the leader's rival brings the rival back:
/// b is eliminated by e0 (ℓ_b = 0, c = 1); without e0, e1 (ℓ = 0.2, 0.8) puts b ahead at
/// p_b = 0.8.
#[test]
fn leave_one_out_removes_an_elimination_exactly() {
    let mut case = Case::new("x", &[("a", 1.0), ("b", 1.0)]);
    case.evidence.push(Evidence::new("e0", &[0.5, 0.0]));
    case.evidence.push(Evidence::new("e1", &[0.2, 0.8]));
    let t = tipping::run(&case).unwrap();
    assert_eq!(t.leader, "a");
    assert_eq!(t.items[0].loo_leader, "b");
    assert!((t.items[0].loo_posterior - 0.8).abs() < 1e-15);
    assert!(t.items[0].critical);
}
