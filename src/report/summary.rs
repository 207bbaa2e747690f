//! The data of a ranked attribution summary, and the judgment written from it.
//!
//! [`Report`] is plain data: the lead fills it from the scorer, the sweeps, the indicators and
//! the timeline; nothing here does any Bayesian mathematics. The judgment (headline, analytic
//! confidence, method paragraph) is a pure function of that data, computed when the report is
//! rendered or serialised, so the JSON, the Markdown and the HTML can never disagree.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::confidence::{self, Confidence};
use crate::case::provenance::{Provenance, Variant};
use crate::output::Header;
use crate::render::fmt::{
    multiplier, percent, percent_for_term, percent_range, percent1, thousands,
};
pub use crate::render::markup::Markup;
use crate::render::matrix::{Column, Matrix};
use crate::score::explain::{HypMap, estimative};
pub use crate::sweep::tornado::TornadoBar;

/// The posterior below which the leader is called "the most likely of K, but ..." rather
/// than stated plainly: 0.45, the lower edge of "roughly even chance" (docs/reference.md §3.4).
pub const PLAIN_LEADER_THRESHOLD: f64 = 0.45;

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
    pub matrix: Vec<crate::render::matrix::Row>,
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
    /// The timeline (docs/reference.md §3.5), by ascending date.
    pub timeline: Vec<TimelinePoint>,
    /// Families of hypotheses, in declaration order (`docs/format.md`, "Families").
    pub families: Vec<FamilyRow>,
    /// Where the case came from: version, digest of its files, what-ifs.
    pub provenance: Provenance,
    /// When the report was made (`YYYY-MM-DD HH:MM:SS UTC`; `SOURCE_DATE_EPOCH` when set).
    /// Shown in the Markdown and HTML footers; never in JSON, which must not depend on time.
    pub made_at: String,
}

/// One family of hypotheses in a report: its point posterior (the sum of its members') and
/// its Monte Carlo statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FamilyRow {
    /// Family id.
    pub id: String,
    /// Family title.
    pub title: String,
    /// Member hypothesis ids, as declared.
    pub members: Vec<String>,
    /// Point posterior: the sum of the members' point posteriors.
    pub posterior: f64,
    /// ICD 203 estimative term of the point posterior.
    pub estimative: String,
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
    #[serde(serialize_with = "pairs_as_map")]
    pub contributions_db: Vec<(String, Option<f64>)>,
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

/// The posteriors after the evidence up to one date (docs/reference.md §3.5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// (hypothesis id, posterior), in declaration order; serialised as a JSON object.
    #[serde(serialize_with = "pairs_as_map")]
    pub posteriors: Vec<(String, f64)>,
}

/// (key, value) pairs serialised as a JSON object, in order.
fn pairs_as_map<S: Serializer, V: Serialize>(
    pairs: &[(String, V)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
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

    /// The family sentence of the judgment, when no single hypothesis is robust but a family
    /// is: the leader ranks first in fewer than [`confidence::STABILITY_HIGH`] (90%) of the
    /// scenarios, and some family leads (has a member ranked first) in at least 90%. The
    /// family named is the one that contains the leader, if any qualifies, else any; among
    /// those, the fewest members, then the highest share, then declaration order.
    pub fn family_sentence_as(&self, markup: Markup) -> Option<String> {
        if self.leader_stability >= confidence::STABILITY_HIGH {
            return None;
        }
        let robust = |f: &&FamilyRow| f.p_top >= confidence::STABILITY_HIGH;
        let has_leader = |f: &FamilyRow| f.members.contains(&self.leader);
        let best = (self.families.iter().filter(robust)).min_by(|a, b| {
            (!has_leader(a), a.members.len())
                .cmp(&(!has_leader(b), b.members.len()))
                .then(b.p_top.total_cmp(&a.p_top))
        })?;
        let family = format!("“{}” ({})", markup.text(&best.title), markup.code(&best.id));
        Some(if has_leader(best) {
            format!(
                "No single hypothesis is robust: the leader ranks first in {} of the scenarios, \
                 but the family {family} that contains it leads in {}.",
                percent(self.leader_stability),
                percent(best.p_top)
            )
        } else {
            format!(
                "No single hypothesis is robust: the leader ranks first in {} of the scenarios, \
                 but a member of the family {family} leads in {}.",
                percent(self.leader_stability),
                percent(best.p_top)
            )
        })
    }

    /// The sentence that opens the evidence section: what the numbers are, who the runner-up
    /// is, and what the prior weights alone give the leader.
    pub fn evidence_intro(&self, markup: Markup) -> String {
        let name = |id: &str| {
            format!(
                "{} ({})",
                markup.text(self.hypothesis_title(id)),
                markup.code(id)
            )
        };
        let leader = name(&self.leader);
        let mut s = format!(
            "Contributions to {leader} in decibans (dB; +10 dB makes a hypothesis ten times \
             more likely relative to the others)"
        );
        match &self.runner_up {
            Some(r) => {
                s += &format!(
                    ", and each item's weight for the leader over the runner-up, {}.",
                    name(r)
                )
            }
            None => s += "; every other hypothesis is eliminated, so there is no runner-up.",
        }
        let db = crate::render::fmt::db;
        let prior = match self.prior_vs_runner_up_db {
            over if self.prior_db == 0.0 && over.unwrap_or(0.0) == 0.0 => {
                " The prior weights are equal: the lead comes from the evidence alone.".to_string()
            }
            Some(over) => format!(
                " Before any evidence, the prior weights give the leader {} dB ({} dB over the \
                 runner-up).",
                db(self.prior_db),
                db(over)
            ),
            None => format!(
                " Before any evidence, the prior weights give the leader {} dB.",
                db(self.prior_db)
            ),
        };
        s + &prior
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

    /// The headline judgment in ICD 203 language, with the numbers, as plain text (see
    /// [`Report::headline_as`]).
    pub fn headline(&self) -> String {
        self.headline_as(Markup::Plain)
    }

    /// The headline judgment in ICD 203 language, with the numbers.
    ///
    /// - Leader at or above [`PLAIN_LEADER_THRESHOLD`] (45%): "T is *likely* (64%; 90%
    ///   interval 48–77% under the stated uncertainties); it ranks first in 81% of 200,000
    ///   scenarios."
    /// - Below 45%: "T is the most likely of K hypotheses, but is still *unlikely* (38%;
    ///   ...)" — the estimative term says how likely it is, the rank only that the others are
    ///   less so.
    /// - When the point posterior lies outside the Monte Carlo 90% interval, a sentence says
    ///   so (the point values of the inputs then sit toward one end of their ranges).
    /// - When another hypothesis ranks first in more scenarios than the leader, a sentence
    ///   names it (see [`Report::first_more_often`]).
    ///
    /// Percentages are whole numbers (see [`percent`]), except that the point posterior gets
    /// the decimals it needs when its whole percentage is an edge of the ICD 203 scale (see
    /// [`percent_for_term`]). The estimative term is the one given in
    /// the data (docs/reference.md §3.4); `markup` escapes the title and emphasises the term.
    pub fn headline_as(&self, markup: Markup) -> String {
        let Some(l) = self.leader_row() else {
            return "The case has no hypotheses to rank.".to_string();
        };
        let title = markup.text(&l.title);
        let term = markup.em(l.term());
        let point = percent_for_term(l.posterior);
        let interval = percent_range(l.q05, l.q95);
        let numbers = match l.interval_terms() {
            None => format!("({point}; 90% interval {interval} under the stated uncertainties)"),
            Some((lo, hi)) => format!(
                "({point}), though its 90% interval ({interval} under the stated \
                 uncertainties) spans {} to {}",
                markup.em(lo),
                markup.em(hi)
            ),
        };
        let mut s = if l.posterior >= PLAIN_LEADER_THRESHOLD {
            format!("{title} is {term} {numbers}")
        } else {
            format!(
                "{title} is the most likely of {} hypotheses, but is still {term} {numbers}",
                self.hypotheses.len()
            )
        };
        s.push_str(&format!(
            "; it ranks first in {} of {} scenarios.",
            percent(self.leader_stability),
            thousands(self.samples)
        ));
        if let Some(side) = self.point_outside_interval() {
            s.push_str(&format!(
                " The point estimate lies {side} the Monte Carlo 90% interval: the point values \
                 of the inputs sit toward one end of their stated ranges."
            ));
        }
        if let Some(h) = self.first_more_often() {
            s.push_str(&format!(
                " Yet {} ranks first more often, in {} of the scenarios: the point values of \
                 the inputs favour the leader more than their stated ranges do.",
                markup.text(&h.title),
                percent(h.p_top)
            ));
        }
        s
    }

    /// The hypothesis that ranks first in more Monte Carlo scenarios than the point leader,
    /// if one does (the most often first; ties in rank order).
    pub fn first_more_often(&self) -> Option<&RankedHypothesis> {
        let best = (self.hypotheses.iter()).reduce(|a, b| if b.p_top > a.p_top { b } else { a })?;
        (best.id != self.leader && best.p_top > self.leader_stability).then_some(best)
    }

    /// The tipping points in words, one sentence each (plain text): the `top` items nearest to
    /// tipping ([`TippingPoint::nearness`], ties in declaration order), then how many more
    /// items can tip the leader, then the items that cannot at any weight.
    pub fn tipping_sentences(&self, top: usize) -> Vec<String> {
        let mut tips: Vec<&TippingPoint> = self.tipping.iter().collect();
        tips.sort_by(|a, b| a.nearness().total_cmp(&b.nearness()));
        let mut out: Vec<String> = tips
            .iter()
            .take(top)
            .filter_map(|t| t.sentence(|id| self.hypothesis_title(id)))
            .map(|s| format!("{}.", capitalise(&s)))
            .collect();
        let can_tip = tips.iter().filter(|t| t.nearness().is_finite()).count();
        match can_tip.saturating_sub(out.len()) {
            0 => {}
            1 => out.push("1 more item tips the leader only at a larger change of weight.".into()),
            n => out.push(format!(
                "{n} more items tip the leader only at larger changes of weight."
            )),
        }
        let never: Vec<&str> = self
            .tipping
            .iter()
            .filter(|t| !t.nearness().is_finite())
            .map(|t| t.id.as_str())
            .collect();
        if !never.is_empty() {
            out.push(match never.as_slice() {
                [one] => format!("No change of weight of {one} alone changes the leader."),
                [a, b] => format!("Neither {a} nor {b} can change the leader at any weight."),
                _ => format!(
                    "None of {} can change the leader at any weight.",
                    super::confidence::join_and(never.iter().copied())
                ),
            });
        }
        out
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

    /// What would change the judgment, for the bottom line: the critical items and the `n`
    /// tipping points nearest to tipping, then the `n` best indicators to collect.
    pub fn what_would_change_it(&self, n: usize, markup: Markup) -> Vec<String> {
        let mut out: Vec<String> = self
            .critical
            .iter()
            .map(|c| {
                format!(
                    "Without {}, {} would lead ({}).",
                    markup.code(&c.id),
                    markup.text(self.hypothesis_title(&c.new_leader)),
                    percent1(c.new_posterior)
                )
            })
            .collect();
        let mut tips: Vec<&TippingPoint> = self
            .tipping
            .iter()
            .filter(|t| t.nearness().is_finite())
            .collect();
        tips.sort_by(|a, b| a.nearness().total_cmp(&b.nearness()));
        out.extend(
            tips.iter()
                .take(n)
                .filter_map(|t| t.sentence(|id| self.hypothesis_title(id)))
                .map(|s| format!("{}.", capitalise(&markup.text(&s)))),
        );
        if tips.is_empty() && self.critical.is_empty() {
            out.push("No change of one item's weight changes the leader.".to_string());
        }
        for i in self.indicators.iter().take(n) {
            out.push(format!(
                "Indicator to collect: {} ({}) — {} chance of finding it, {} bits of \
                 information expected, {} chance that checking it changes the leader.",
                markup.text(&i.title),
                markup.code(&i.id),
                percent1(i.p_observe),
                crate::render::fmt::fixed(i.expected_info_gain_bits, 2),
                percent1(i.p_leader_change)
            ));
        }
        out
    }

    /// Where the report came from, in one line: the version of abduce, the case, the
    /// scenarios and seed, the digest of the case's files, the what-ifs applied, and when it
    /// was made (`docs/report.md`, "Provenance").
    pub fn provenance_line(&self, markup: Markup) -> String {
        let p = &self.provenance;
        let mut parts = vec![
            format!("abduce {}", markup.text(&p.abduce)),
            format!("case {}", markup.code(&self.case)),
            format!(
                "{} Monte Carlo scenarios, seed {}",
                thousands(self.samples),
                self.seed
            ),
            format!("case digest {}", markup.code(&p.case_digest)),
        ];
        for v in &p.variants {
            parts.push(match v {
                Variant::Overlay { overlay, sha256 } => format!(
                    "overlay {} (sha256:{})",
                    markup.code(overlay),
                    markup.text(sha256)
                ),
                Variant::Set { set } => format!("--set {}", markup.code(set)),
            });
        }
        if p.variants.is_empty() {
            parts.push("no what-if applied".to_string());
        }
        if !self.made_at.is_empty() {
            parts.push(format!("made {}", markup.text(&self.made_at)));
        }
        parts.join(" · ")
    }

    /// The ACH matrix of the report: hypotheses in rank order, every item of the case.
    pub fn matrix(&self) -> Matrix {
        Matrix {
            columns: self
                .hypotheses
                .iter()
                .map(|h| Column {
                    id: h.id.clone(),
                    title: h.title.clone(),
                })
                .collect(),
            rows: self.matrix.clone(),
            ach_inconsistency: self.ach_inconsistency.clone(),
        }
    }

    /// The analytic confidence in the judgment (see [`confidence::assess`]).
    pub fn confidence(&self) -> Confidence {
        confidence::assess(self)
    }

    /// The method, the precision of its Monte Carlo figures and its assumptions, in three
    /// sentences.
    pub fn method_and_assumptions(&self) -> String {
        let scorer = if self.method == "bayes" {
            "A Bayesian scorer".to_string()
        } else {
            format!("The {} scorer", self.method)
        };
        format!(
            "{scorer} combines each hypothesis's prior with the likelihood of every counted \
             evidence item, discounted for source credibility and for items that share an \
             origin, to give the point posteriors; a Monte Carlo sweep of {} scenarios (seed \
             {}) redraws every uncertain input from its stated 90% range to give the intervals \
             and rank probabilities, and the tornado, tipping points and leave-one-out runs \
             vary one input at a time. {} The judgment assumes that the hypotheses are mutually \
             exclusive and cover the plausible explanations, that evidence items are \
             independent except within declared groups, and that the stated likelihoods, \
             credibilities and ranges reflect the analysts' honest uncertainty; it says \
             nothing about hypotheses that were not listed.",
            thousands(self.samples),
            self.seed,
            precision_sentence(self.samples)
        )
    }
}

/// One standard error of the Monte Carlo figures of `samples` independent scenarios, in
/// percentage points: of a share of scenarios (ranks first, a rank's probability) at worst,
/// 100·0.5/√N, and of the probability level of an end of a 90% interval (the 5% or 95%
/// point of the scenarios), 100·√(0.05·0.95/N) (docs/report.md, "Precision of the Monte
/// Carlo figures").
pub fn mc_standard_errors(samples: u64) -> (f64, f64) {
    let n = samples.max(1) as f64;
    (100.0 * 0.5 / n.sqrt(), 100.0 * (0.05 * 0.95 / n).sqrt())
}

/// What the number of scenarios means for the precision of the report's Monte Carlo figures.
fn precision_sentence(samples: u64) -> String {
    let (share, level) = mc_standard_errors(samples);
    format!(
        "With {} scenarios, a share of scenarios (ranks first, a rank's probability) has a \
         standard error of at most {share:.2} percentage points, and each end of a 90% \
         interval is the 5% or 95% point of the scenarios to within {level:.2} points of \
         probability (one standard error); more scenarios can be asked for.",
        thousands(samples)
    )
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let header = Header::named(&self.case, "report", self.provenance.clone());
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema_version", &header.schema_version)?;
        m.serialize_entry("case", &header.case)?;
        m.serialize_entry("command", &header.command)?;
        m.serialize_entry("provenance", &header.provenance)?;
        m.serialize_entry("title", &self.title)?;
        m.serialize_entry("question", &self.question)?;
        m.serialize_entry("method", &self.method)?;
        m.serialize_entry("samples", &self.samples)?;
        m.serialize_entry("seed", &self.seed)?;
        m.serialize_entry("headline", &self.headline())?;
        m.serialize_entry("family_judgment", &self.family_sentence_as(Markup::Plain))?;
        m.serialize_entry("confidence", &self.confidence())?;
        m.serialize_entry("method_and_assumptions", &self.method_and_assumptions())?;
        m.serialize_entry("leader", &self.leader)?;
        m.serialize_entry("leader_stability", &self.leader_stability)?;
        m.serialize_entry("runner_up", &self.runner_up)?;
        m.serialize_entry("prior_db", &self.prior_db)?;
        m.serialize_entry("prior_vs_runner_up_db", &self.prior_vs_runner_up_db)?;
        m.serialize_entry("margin_db", &self.margin_db)?;
        m.serialize_entry("equal_priors_leader", &self.equal_priors_leader)?;
        m.serialize_entry("hypotheses", &self.hypotheses)?;
        m.serialize_entry("families", &self.families)?;
        m.serialize_entry("evidence_for", &self.evidence_for())?;
        m.serialize_entry("evidence_against", &self.evidence_against())?;
        m.serialize_entry("critical", &self.critical)?;
        m.serialize_entry("tipping", &self.tipping)?;
        m.serialize_entry("tornado", &self.tornado)?;
        m.serialize_entry("indicators", &self.indicators)?;
        m.serialize_entry("timeline", &self.timeline)?;
        let ach = HypMap(
            self.hypotheses
                .iter()
                .map(|h| h.id.clone())
                .zip(self.ach_inconsistency.iter().copied())
                .collect(),
        );
        m.serialize_entry("ach_inconsistency", &ach)?;
        m.serialize_entry("sources", &self.sources)?;
        m.end()
    }
}

/// `s` with its first letter upper case.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

impl TippingPoint {
    /// How close the item is to tipping: |ln t| of the nearer multiplier (∞ when none), so
    /// items that tip with the smallest change of weight come first.
    pub fn nearness(&self) -> f64 {
        let lo = self.lower.map_or(f64::INFINITY, |t| -t.ln());
        let hi = self.upper.map_or(f64::INFINITY, f64::ln);
        lo.min(hi)
    }

    /// The tipping point in words, e.g. "if the weight of E7 fell below 0.4×, ETIM would
    /// lead; if it rose above 3×, ISK would lead"; `None` when the item cannot tip.
    /// `title` names a hypothesis by id.
    pub fn sentence<'a>(&'a self, title: impl Fn(&'a str) -> &'a str) -> Option<String> {
        let mut parts = Vec::new();
        if let (Some(t), Some(by)) = (self.lower, &self.lower_by) {
            if t > 0.0 {
                parts.push(format!(
                    "if the weight of {} fell below {}, {} would lead",
                    self.id,
                    multiplier(t),
                    title(by)
                ));
            } else {
                parts.push(format!(
                    "only with {} dropped entirely would {} draw level",
                    self.id,
                    title(by)
                ));
            }
        }
        if let (Some(t), Some(by)) = (self.upper, &self.upper_by) {
            let subject = if parts.is_empty() {
                format!("the weight of {}", self.id)
            } else {
                "it".to_string()
            };
            parts.push(format!(
                "if {subject} rose above {}, {} would lead",
                multiplier(t),
                title(by)
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}
