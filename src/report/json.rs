//! The report's JSON (`docs/report.md`, "JSON"): a plain view of the data with the judgment
//! sentences written out, derived `Serialize`, so that its keys are the view's fields in
//! order and cannot drift from a hand-written list.

use serde::{Serialize, Serializer};

use super::confidence::Confidence;
use super::summary::{
    CriticalItem, EvidenceRow, FamilyRow, Indicator, RankedHypothesis, Report, SourceRow,
    TimelinePoint, TippingPoint,
};
use crate::case::provenance::Provenance;
use crate::output::SCHEMA_VERSION;
use crate::score::explain::HypMap;
use crate::sweep::tornado::TornadoBar;
use crate::text::markup::Markup;

/// The JSON document of a report: every key of `docs/report.md`, "JSON", in order.
#[derive(Serialize)]
struct ReportJson<'a> {
    schema_version: u32,
    case: &'a str,
    command: &'static str,
    provenance: &'a Provenance,
    title: &'a str,
    question: &'a str,
    method: &'a str,
    samples: u64,
    seed: u64,
    headline: String,
    family_judgment: Option<String>,
    confidence: Confidence,
    method_and_assumptions: String,
    leader: &'a str,
    leader_stability: f64,
    runner_up: &'a Option<String>,
    prior_db: f64,
    prior_vs_runner_up_db: Option<f64>,
    margin_db: Option<f64>,
    equal_priors_leader: &'a Option<String>,
    hypotheses: &'a [RankedHypothesis],
    families: &'a [FamilyRow],
    evidence_for: Vec<&'a EvidenceRow>,
    evidence_against: Vec<&'a EvidenceRow>,
    critical: &'a [CriticalItem],
    tipping: &'a [TippingPoint],
    tornado: &'a [TornadoBar],
    indicators: &'a [Indicator],
    timeline: &'a [TimelinePoint],
    ach_inconsistency: HypMap<f64>,
    sources: &'a [SourceRow],
}

impl<'a> ReportJson<'a> {
    fn of(r: &'a Report) -> ReportJson<'a> {
        ReportJson {
            schema_version: SCHEMA_VERSION,
            case: &r.case,
            command: "report",
            provenance: &r.provenance,
            title: &r.title,
            question: &r.question,
            method: &r.method,
            samples: r.samples,
            seed: r.seed,
            headline: r.headline(),
            family_judgment: r.family_sentence_as(Markup::Plain),
            confidence: r.confidence(),
            method_and_assumptions: r.method_and_assumptions(),
            leader: &r.leader,
            leader_stability: r.leader_stability,
            runner_up: &r.runner_up,
            prior_db: r.prior_db,
            prior_vs_runner_up_db: r.prior_vs_runner_up_db,
            margin_db: r.margin_db,
            equal_priors_leader: &r.equal_priors_leader,
            hypotheses: &r.hypotheses,
            families: &r.families,
            evidence_for: r.evidence_for(),
            evidence_against: r.evidence_against(),
            critical: &r.critical,
            tipping: &r.tipping,
            tornado: &r.tornado,
            indicators: &r.indicators,
            timeline: &r.timeline,
            ach_inconsistency: HypMap(
                (r.hypotheses.iter())
                    .map(|h| h.id.clone())
                    .zip(r.ach_inconsistency.iter().copied())
                    .collect(),
            ),
            sources: &r.sources,
        }
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ReportJson::of(self).serialize(s)
    }
}
