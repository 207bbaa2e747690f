//! The data of a ranked attribution summary.
//!
//! [`Report`] is plain data: [`super::build`] fills it from the scorer, the sweeps, the
//! indicators and the timeline; nothing here does any Bayesian mathematics or writes any
//! sentence. The judgment (headline, analytic confidence, method paragraph) is a pure function
//! of that data ([`super::judgment`], [`super::confidence`]), computed when the report is
//! rendered or serialised (`report::json`), so the JSON, the Markdown and the HTML can never
//! disagree.

use serde::Serialize;

use crate::case::provenance::Provenance;
use crate::score::explain::{FamilyScore, HypMap, estimative};
pub use crate::score::timeline::TimelinePoint;
pub use crate::sweep::tornado::TornadoBar;
pub use crate::text::markup::Markup;

/// A ranked attribution summary (`abduce report`): every section, as plain data.
///
/// Lists of hypotheses are sorted by rank; the leader is `hypotheses[0]` and `leader`.
/// Serialised (JSON) as: `schema_version`, `case`, `command` (`"report"`), `title`,
/// `question`, `method`, `samples`, `seed`, `headline`, `confidence`,
/// `method_and_assumptions`, `leader`, `leader_stability`, `runner_up`, `prior_db`,
/// `prior_vs_runner_up_db`, `margin_db`, `equal_priors_leader`, `hypotheses`,
/// `evidence_for`, `evidence_against`, `critical`, `tipping`, `tornado`, `indicators`,
/// `timeline`, `ach_inconsistency`, `sources` (`docs/report.md`, "JSON"). The headline,
/// confidence, method paragraph and for/against split are derived from the other fields
/// when serialising (see [`Report::headline`], [`Report::confidence`],
/// [`Report::evidence_for`]); the matrix rows, the time and the case digest are for the
/// Markdown and HTML only.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The case name (file stem).
    pub case: String,
    /// The case title (`[case] title`).
    pub title: String,
    /// The attribution question (`[case] question`).
    pub question: String,
    /// The scoring method (`"bayes"`).
    pub method: String,
    /// Number of Monte Carlo scenarios.
    pub samples: u64,
    /// Monte Carlo seed.
    pub seed: u64,
    /// The hypotheses, sorted by point rank (rank 1 first).
    pub hypotheses: Vec<RankedHypothesis>,
    /// Id of the point leader (rank 1).
    pub leader: String,
    /// Share of Monte Carlo scenarios in which the point leader ranks first (docs/reference.md §5.2).
    pub leader_stability: f64,
    /// Id of the runner-up (rank 2), when it is live.
    pub runner_up: Option<String>,
    /// The prior weights' share of the leader's score in decibans: its centred log prior
    /// (docs/reference.md §3.4), so that it plus the items' contributions gives the centred score.
    pub prior_db: f64,
    /// The prior weights' part of the lead over the runner-up, dB(ln π_leader − ln
    /// π_runner-up); `None` without a live runner-up.
    pub prior_vs_runner_up_db: Option<f64>,
    /// The lead over the runner-up in decibans, dB(s_leader − s_runner-up): the prior's part
    /// (`prior_vs_runner_up_db`) plus every item's `leader_vs_runner_up_db`; `None` without a
    /// live runner-up.
    pub margin_db: Option<f64>,
    /// Who leads when every hypothesis is given the same prior (`None`: the case has no
    /// hypotheses).
    pub equal_priors_leader: Option<String>,
    /// Every counted evidence item with ω > 0, in declaration order; the report splits them
    /// into evidence for and against the leader by their weight for it over the runner-up.
    pub evidence: Vec<EvidenceRow>,
    /// Every item of the case (counted or not) as a row of the matrix, declaration order.
    pub matrix: Vec<crate::score::matrix::Row>,
    /// The ACH weighted inconsistency of each hypothesis, in rank order (lower is better).
    pub ach_inconsistency: Vec<f64>,
    /// The case's sources, declaration order, with the items each carries.
    pub sources: Vec<SourceRow>,
    /// The critical items: those whose leave-one-out removal changes the leader (docs/reference.md §5.4).
    pub critical: Vec<CriticalItem>,
    /// Tipping points of every counted item (docs/reference.md §5.4), in declaration order.
    pub tipping: Vec<TippingPoint>,
    /// The tornado's top bars, largest swing first (docs/reference.md §5.3).
    pub tornado: Vec<TornadoBar>,
    /// Pending items ranked as indicators to collect next (docs/reference.md §7), best first.
    pub indicators: Vec<Indicator>,
    /// The timeline (docs/reference.md §3.5), by ascending date: the `timeline` document's
    /// points.
    pub timeline: Vec<TimelinePoint>,
    /// Families of hypotheses, in declaration order (`docs/format.md`, "Families").
    pub families: Vec<FamilyRow>,
    /// Where the case came from: version, digest of its files, what-ifs.
    pub provenance: Provenance,
    /// When the report was made (`YYYY-MM-DD HH:MM:SS UTC`; `SOURCE_DATE_EPOCH` when set).
    /// Shown in the Markdown and HTML footers; never in JSON, which must not depend on time.
    pub made_at: String,
}

/// One family of hypotheses in a report: the `score` document's row (id, title, members,
/// point posterior and its term) and its Monte Carlo statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyRow {
    /// The family as the `score` document gives it: id, title, members, point posterior (the
    /// sum of its members') and its ICD 203 term.
    #[serde(flatten)]
    pub point: FamilyScore,
    /// Monte Carlo mean of the family's posterior.
    pub mean: f64,
    /// Monte Carlo 5th percentile.
    pub q05: f64,
    /// Monte Carlo 95th percentile.
    pub q95: f64,
    /// Share of scenarios in which the leader is a member.
    pub p_top: f64,
}

/// One hypothesis of the ranked table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RankedHypothesis {
    /// Hypothesis id.
    pub id: String,
    /// Hypothesis title.
    pub title: String,
    /// Point rank, 1 = leader.
    pub rank: usize,
    /// Point posterior p_k (docs/reference.md §3.3).
    pub posterior: f64,
    /// ICD 203 estimative term of the point posterior (docs/reference.md §3.4), e.g. `"likely"`.
    pub estimative: String,
    /// Monte Carlo mean posterior.
    pub mean: f64,
    /// Monte Carlo 5th percentile of the posterior.
    pub q05: f64,
    /// Monte Carlo 95th percentile of the posterior.
    pub q95: f64,
    /// Share of scenarios in which it ranks first.
    pub p_top: f64,
    /// `rank_probs[r]` = share of scenarios in which it ranks r + 1.
    pub rank_probs: Vec<f64>,
}

impl RankedHypothesis {
    /// The estimative term people read: the point posterior's term, except that a
    /// hypothesis whose 90% interval reaches 5% is never "almost no chance" (it is then
    /// "very unlikely", the lowest term its interval allows; `docs/report.md`).
    pub fn term(&self) -> &str {
        if self.estimative == "almost no chance" && estimative(self.q95) != "almost no chance" {
            "very unlikely"
        } else {
            &self.estimative
        }
    }

    /// The estimative terms of the ends of the 90% interval, when they differ.
    pub fn interval_terms(&self) -> Option<(&'static str, &'static str)> {
        let (lo, hi) = (estimative(self.q05), estimative(self.q95));
        (lo != hi).then_some((lo, hi))
    }

    /// The term with the span of its interval: "unlikely, though the interval spans very
    /// unlikely to likely", or the term alone when both ends share it.
    pub fn term_phrase(&self) -> String {
        match self.interval_terms() {
            Some((lo, hi)) => format!("{}, though the interval spans {lo} to {hi}", self.term()),
            None => self.term().to_string(),
        }
    }
}

/// One evidence item and what it does to the leader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRow {
    /// Evidence id.
    pub id: String,
    /// Evidence title.
    pub title: String,
    /// Contribution C_e,leader in decibans (docs/reference.md §3.4): positive supports the leader.
    pub contribution_db: f64,
    /// Leader-vs-runner-up weight in decibans (docs/reference.md §3.4); `None` without a live runner-up.
    pub leader_vs_runner_up_db: Option<f64>,
    /// The credibility used to judge the item: c_e, or h − f (floored at 0) for an item
    /// given `hit_rate`/`false_alarm_rate`, as the ACH method does (docs/reference.md §4).
    pub credibility: f64,
    /// Id of the item's source, if it names one.
    pub source: Option<String>,
    /// Id of the item's group (items that share an origin), if any.
    pub group: Option<String>,
    /// Effective weight ω_e.
    pub effective_weight: f64,
    /// Diagnosticity in decibans (`docs/model.md`, §2).
    pub diagnosticity_db: f64,
    /// Contribution to every hypothesis in decibans, keyed by id in rank order (`null` for an
    /// eliminated hypothesis): the item's row of the matrix.
    pub contributions_db: HypMap<Option<f64>>,
}

/// A source of the case and the items it carries (the report's source appendix).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRow {
    /// Source id.
    pub id: String,
    /// Source name (the id when it has none).
    pub name: String,
    /// Admiralty reliability letter (A–F), if graded.
    pub reliability: Option<String>,
    /// The items it carries, declaration order, each with its information grade (1–6).
    pub items: Vec<SourceItem>,
}

/// An item of a source, with its Admiralty information grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceItem {
    /// Evidence id.
    pub id: String,
    /// Information grade 1–6, if given.
    pub information: Option<u8>,
    /// Its status (`observed`, `absent`, `pending`, `retracted`).
    pub status: String,
}

impl EvidenceRow {
    /// The weight by which the report sorts and splits the evidence: for the leader over the
    /// runner-up, or the contribution to the leader when there is no live runner-up.
    pub fn weight(&self) -> f64 {
        self.leader_vs_runner_up_db.unwrap_or(self.contribution_db)
    }
}

/// An item whose removal (leave-one-out) changes the leader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriticalItem {
    /// Evidence id.
    pub id: String,
    /// Evidence title.
    pub title: String,
    /// The leader without the item (`loo_leader`).
    pub new_leader: String,
    /// That leader's posterior without the item (`loo_posterior`).
    pub new_posterior: f64,
}

/// The multipliers of an item's effective weight at which the leader changes (docs/reference.md §5.4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TippingPoint {
    /// Evidence id.
    pub id: String,
    /// Evidence title.
    pub title: String,
    /// Largest multiplier in [0, 1) at which another hypothesis takes the lead.
    pub lower: Option<f64>,
    /// Who leads below `lower`.
    pub lower_by: Option<String>,
    /// Smallest multiplier > 1 at which another hypothesis takes the lead.
    pub upper: Option<f64>,
    /// Who leads above `upper`.
    pub upper_by: Option<String>,
}

/// A pending item worth collecting (docs/reference.md §7).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Evidence id.
    pub id: String,
    /// Evidence title.
    pub title: String,
    /// P(E): the probability the item is found if looked for.
    pub p_observe: f64,
    /// Expected information gain in bits.
    pub expected_info_gain_bits: f64,
    /// Probability that looking for it changes the leader.
    pub p_leader_change: f64,
}

impl Report {
    /// The leader's row: the row whose id is `leader`, else the first row.
    pub fn leader_row(&self) -> Option<&RankedHypothesis> {
        self.hypotheses
            .iter()
            .find(|h| h.id == self.leader)
            .or_else(|| self.hypotheses.first())
    }

    /// The title of hypothesis `id`, or the id itself when it is not in the report.
    pub fn hypothesis_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.hypotheses
            .iter()
            .find(|h| h.id == id)
            .map_or(id, |h| h.title.as_str())
    }

    /// Evidence for the leader: items whose weight for the leader over the runner-up is
    /// positive (with no live runner-up: whose contribution to the leader is), largest first;
    /// ties keep declaration order.
    pub fn evidence_for(&self) -> Vec<&EvidenceRow> {
        let mut v: Vec<&EvidenceRow> = self.evidence.iter().filter(|e| e.weight() > 0.0).collect();
        v.sort_by(|a, b| b.weight().total_cmp(&a.weight()));
        v
    }

    /// Evidence against the leader: items whose weight for the leader over the runner-up is
    /// negative (with no live runner-up: whose contribution is), most negative first.
    pub fn evidence_against(&self) -> Vec<&EvidenceRow> {
        let mut v: Vec<&EvidenceRow> = self.evidence.iter().filter(|e| e.weight() < 0.0).collect();
        v.sort_by(|a, b| a.weight().total_cmp(&b.weight()));
        v
    }

    /// Items that move the leader against the average hypothesis but do not separate it
    /// from the runner-up (weight 0 between them), declaration order.
    pub fn evidence_neutral(&self) -> Vec<&EvidenceRow> {
        self.evidence
            .iter()
            .filter(|e| e.weight() == 0.0 && e.contribution_db != 0.0)
            .collect()
    }

    /// The hypothesis that ranks first in more Monte Carlo scenarios than the point leader,
    /// if one does (the most often first; ties in rank order).
    pub fn first_more_often(&self) -> Option<&RankedHypothesis> {
        let best = (self.hypotheses.iter()).reduce(|a, b| if b.p_top > a.p_top { b } else { a })?;
        (best.id != self.leader && best.p_top > self.leader_stability).then_some(best)
    }

    /// `Some("below")` or `Some("above")` when the leader's point posterior lies outside its
    /// Monte Carlo 90% interval [q05, q95]; `None` inside it (ends included).
    pub fn point_outside_interval(&self) -> Option<&'static str> {
        let l = self.leader_row()?;
        if l.posterior < l.q05 {
            Some("below")
        } else if l.posterior > l.q95 {
            Some("above")
        } else {
            None
        }
    }
}

impl TippingPoint {
    /// How close the item is to tipping: |ln t| of the nearer multiplier (∞ when none), so
    /// items that tip with the smallest change of weight come first.
    pub fn nearness(&self) -> f64 {
        let lo = self.lower.map_or(f64::INFINITY, |t| -t.ln());
        let hi = self.upper.map_or(f64::INFINITY, f64::ln);
        lo.min(hi)
    }
}
