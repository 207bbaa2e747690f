//! A hand-built report shared by the report tests (made-up numbers, not a scored case).

use abduce::report::{
    CriticalItem, EvidenceRow, Indicator, RankedHypothesis, Report, SourceItem, SourceRow,
    TimelinePoint, TippingPoint, TornadoBar,
};
use abduce::score::explain::HypMap;
use abduce::score::matrix::Row;

#[allow(clippy::too_many_arguments)]
fn hyp(
    id: &str,
    title: &str,
    rank: usize,
    posterior: f64,
    estimative: &str,
    (mean, q05, q95): (f64, f64, f64),
    rank_probs: &[f64],
) -> RankedHypothesis {
    RankedHypothesis {
        id: id.into(),
        title: title.into(),
        rank,
        posterior,
        estimative: estimative.into(),
        mean,
        q05,
        q95,
        p_top: rank_probs[0],
        rank_probs: rank_probs.to_vec(),
    }
}

/// An item from `source`, with contributions (leader, etim, isk) in dB: the leader's is `c`,
/// etim's is `c − lvr` (the leader-over-etim weight is their difference), isk's makes the
/// three sum to zero (contributions are centred).
fn ev(id: &str, title: &str, c: f64, lvr: Option<f64>, cred: f64, source: &str) -> EvidenceRow {
    let etim = c - lvr.unwrap_or(0.0);
    EvidenceRow {
        id: id.into(),
        title: title.into(),
        contribution_db: c,
        leader_vs_runner_up_db: lvr,
        credibility: cred,
        source: Some(source.into()),
        group: None,
        effective_weight: 1.0,
        diagnosticity_db: [c, etim, -c - etim]
            .iter()
            .fold(f64::NEG_INFINITY, |m, &x| m.max(x))
            - [c, etim, -c - etim]
                .iter()
                .fold(f64::INFINITY, |m, &x| m.min(x)),
        contributions_db: HypMap(vec![
            ("taliban-local".into(), Some(c)),
            ("etim".into(), Some(etim)),
            ("isk".into(), Some(-c - etim)),
        ]),
    }
}

/// The matrix row of an evidence row.
pub fn matrix_row(e: &EvidenceRow) -> Row {
    Row {
        id: e.id.clone(),
        title: e.title.clone(),
        status: "observed".into(),
        effective_weight: e.effective_weight,
        diagnosticity_db: e.diagnosticity_db,
        leader_vs_runner_up_db: e.leader_vs_runner_up_db,
        contributions_db: e.contributions_db.0.iter().map(|(_, c)| *c).collect(),
    }
}

pub fn tip(id: &str, lower: Option<(f64, &str)>, upper: Option<(f64, &str)>) -> TippingPoint {
    TippingPoint {
        id: id.into(),
        title: format!("title of {id}"),
        lower: lower.map(|l| l.0),
        lower_by: lower.map(|l| l.1.to_string()),
        upper: upper.map(|u| u.0),
        upper_by: upper.map(|u| u.1.to_string()),
    }
}

#[allow(clippy::too_many_arguments)]
fn bar(
    q: &str,
    lo: f64,
    hi: f64,
    y_low: f64,
    y_high: f64,
    l_low: &str,
    l_high: &str,
) -> TornadoBar {
    TornadoBar {
        quantity: q.into(),
        low_value: lo,
        high_value: hi,
        y_low,
        y_high,
        swing: (y_high - y_low).abs(),
        leader_low: l_low.into(),
        leader_high: l_high.into(),
    }
}

fn point(date: &str, p: [f64; 3]) -> TimelinePoint {
    TimelinePoint {
        date: date.into(),
        posteriors: HypMap(vec![
            ("taliban-local".into(), p[0]),
            ("etim".into(), p[1]),
            ("isk".into(), p[2]),
        ]),
    }
}

/// Three hypotheses; the leader at 64% (q05 48%, q95 77%), first in 81% of 200,000
/// scenarios; one critical item; carrying credibility (6·0.8 + 2·0.4 + 1·0.6)/9 = 6.2/9;
/// a lead of 8.5 dB over etim, 1.5 dB of it from the priors (the items' weights
/// 1.5 + 4 − 0.5 + 2 = 7 dB); three independent sources carry it (arsenal 4, patrols 2,
/// khovar-crossing 1.5 of 7.5 dB); the nearest tipping point is arsenal at 0.4× (1/0.4 = 2.5).
pub fn example() -> Report {
    let t = "taliban-local";
    let mut r = Report {
        case: "border".into(),
        title: "Attacks on Chinese nationals on the Afghan–Tajik border, Nov–Dec 2025".into(),
        question: "Who is behind the cross-border attacks?".into(),
        method: "bayes".into(),
        samples: 200_000,
        seed: 7,
        hypotheses: vec![
            hyp(
                t,
                "Local Taliban units acting outside Kabul's control",
                1,
                0.64,
                "likely",
                (0.62, 0.48, 0.77),
                &[0.81, 0.15, 0.04],
            ),
            hyp(
                "etim",
                "ETIM <TIP> & allies",
                2,
                0.26,
                "unlikely",
                (0.27, 0.14, 0.41),
                &[0.17, 0.70, 0.13],
            ),
            hyp(
                "isk",
                "Islamic State Khorasan Province",
                3,
                0.10,
                "very unlikely",
                (0.11, 0.04, 0.22),
                &[0.02, 0.15, 0.83],
            ),
        ],
        leader: t.into(),
        leader_stability: 0.81,
        runner_up: Some("etim".into()),
        prior_db: 1.5,
        prior_vs_runner_up_db: Some(1.5),
        margin_db: Some(8.5),
        equal_priors_leader: Some(t.into()),
        evidence: vec![
            ev(
                "khovar-crossing",
                "Khovar report of the crossing",
                2.0,
                Some(1.5),
                0.4,
                "khovar",
            ),
            ev(
                "arsenal",
                "Arsenal seized: M-16s, night-vision",
                6.0,
                Some(4.0),
                0.8,
                "field-check",
            ),
            ev(
                "denial",
                "Taliban denial",
                -1.5,
                Some(-0.5),
                0.7,
                "taliban-mfa",
            ),
            ev("weather", "Fog on the river", 0.0, None, 0.9, "khovar"),
            ev(
                "patrols",
                "Patrols seen on the road",
                1.0,
                Some(2.0),
                0.6,
                "locals",
            ),
        ],
        critical: vec![CriticalItem {
            id: "arsenal".into(),
            title: "Arsenal seized: M-16s, night-vision".into(),
            new_leader: "etim".into(),
            new_posterior: 0.55,
        }],
        tipping: vec![
            tip("khovar-crossing", None, Some((3.0, "isk"))),
            tip("arsenal", Some((0.4, "etim")), None),
            tip("weather", None, None),
        ],
        tornado: vec![
            bar("evidence.arsenal.weight", 0.5, 1.5, 0.45, 0.74, "etim", t),
            bar(
                "evidence.arsenal.likelihood.etim",
                0.5,
                0.85,
                0.70,
                0.55,
                t,
                t,
            ),
            bar("hypothesis.isk.prior", 0.5, 2.0, 0.66, 0.60, t, t),
        ],
        indicators: vec![
            Indicator {
                id: "intercepts".into(),
                title: "Radio intercepts in Uyghur".into(),
                p_observe: 0.3,
                expected_info_gain_bits: 0.214,
                p_leader_change: 0.3,
            },
            Indicator {
                id: "claim".into(),
                title: "Claim on Amaq".into(),
                p_observe: 0.12,
                expected_info_gain_bits: 0.09,
                p_leader_change: 0.0,
            },
        ],
        matrix: Vec::new(),
        ach_inconsistency: vec![1.0, 2.5, 4.0],
        sources: vec![
            SourceRow {
                id: "khovar".into(),
                name: "Khovar (Tajik state news agency)".into(),
                reliability: Some("B".into()),
                items: vec![
                    SourceItem {
                        id: "khovar-crossing".into(),
                        information: Some(2),
                        status: "observed".into(),
                    },
                    SourceItem {
                        id: "weather".into(),
                        information: None,
                        status: "observed".into(),
                    },
                ],
            },
            SourceRow {
                id: "field-check".into(),
                name: "Field check".into(),
                reliability: None,
                items: vec![SourceItem {
                    id: "arsenal".into(),
                    information: Some(1),
                    status: "observed".into(),
                }],
            },
        ],
        timeline: vec![
            point("2024-11-26", [0.40, 0.35, 0.25]),
            point("2025-11-30", [0.52, 0.30, 0.18]),
            point("2025-12-24", [0.64, 0.26, 0.10]),
        ],
        families: Vec::new(),
        provenance: abduce::case::provenance::Provenance::of_files(&[]),
        made_at: "2026-01-01 00:00:00 UTC".into(),
    };
    r.matrix = r.evidence.iter().map(matrix_row).collect();
    r
}
