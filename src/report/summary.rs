//! The data of a ranked attribution summary, and the judgment written from it.
//!
//! [`Report`] is plain data: the lead fills it from the scorer, the sweeps, the indicators and
//! the timeline; nothing here does any Bayesian mathematics. The judgment (headline, analytic
//! confidence, method paragraph) is a pure function of that data, computed when the report is
//! rendered or serialised, so the JSON, the Markdown and the HTML can never disagree.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::confidence::{self, Confidence};
use crate::case::provenance::Provenance;
use crate::output::Header;
pub use crate::sweep::tornado::TornadoBar;

/// The posterior below which the leader is called "the most likely of K, but ..." rather
/// than stated plainly: 0.45, the lower edge of "roughly even chance" (SPEC §3.4).
pub const PLAIN_LEADER_THRESHOLD: f64 = 0.45;

/// A ranked attribution summary (`abduce report`): every section, as plain data.
///
/// Lists of hypotheses are sorted by rank; the leader is `hypotheses[0]` and `leader`.
/// Serialised (JSON) as: `schema_version`, `case`, `command` (`"report"`), `title`,
/// `question`, `method`, `samples`, `seed`, `headline`, `confidence`,
/// `method_and_assumptions`, `leader`, `leader_stability`, `hypotheses`, `evidence_for`,
/// `evidence_against`, `critical`, `tipping`, `tornado`, `indicators`, `timeline`. The
/// headline, confidence, method paragraph and for/against split are derived from the other
/// fields when serialising (see [`Report::headline`], [`Report::confidence`],
/// [`Report::evidence_for`]).
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
    /// Share of Monte Carlo scenarios in which the point leader ranks first (SPEC §5.2).
    pub leader_stability: f64,
    /// Id of the runner-up (rank 2), when it is live.
    pub runner_up: Option<String>,
    /// The prior weights' share of the leader's score in decibans: its centred log prior
    /// (SPEC §3.4), so that it plus the items' contributions gives the centred score.
    pub prior_db: f64,
    /// The prior weights' part of the lead over the runner-up, dB(ln π_leader − ln
    /// π_runner-up); `None` without a live runner-up.
    pub prior_vs_runner_up_db: Option<f64>,
    /// Every counted evidence item with ω > 0, in declaration order; the report splits them
    /// into evidence for and against the leader by the sign of `contribution_db`.
    pub evidence: Vec<EvidenceRow>,
    /// The critical items: those whose leave-one-out removal changes the leader (SPEC §5.4).
    pub critical: Vec<CriticalItem>,
    /// Tipping points of every counted item (SPEC §5.4), in declaration order.
    pub tipping: Vec<TippingPoint>,
    /// The tornado's top bars, largest swing first (SPEC §5.3).
    pub tornado: Vec<TornadoBar>,
    /// Pending items ranked as indicators to collect next (SPEC §7), best first.
    pub indicators: Vec<Indicator>,
    /// The timeline (SPEC §3.5), by ascending date.
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
    /// Point posterior p_k (SPEC §3.3).
    pub posterior: f64,
    /// ICD 203 estimative term of the point posterior (SPEC §3.4), e.g. `"likely"`.
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

/// One evidence item and what it does to the leader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRow {
    /// Evidence id.
    pub id: String,
    /// Evidence title.
    pub title: String,
    /// Contribution C_e,leader in decibans (SPEC §3.4): positive supports the leader.
    pub contribution_db: f64,
    /// Leader-vs-runner-up weight in decibans (SPEC §3.4); `None` without a live runner-up.
    pub leader_vs_runner_up_db: Option<f64>,
    /// The credibility used to judge the item: c_e, or h − f (floored at 0) for an item
    /// given `hit_rate`/`false_alarm_rate`, as the ACH method does (SPEC §4).
    pub credibility: f64,
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

/// The multipliers of an item's effective weight at which the leader changes (SPEC §5.4).
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

/// A pending item worth collecting (SPEC §7).
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

/// The posteriors after the evidence up to one date (SPEC §3.5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// (hypothesis id, posterior), in declaration order; serialised as a JSON object.
    #[serde(serialize_with = "pairs_as_map")]
    pub posteriors: Vec<(String, f64)>,
}

fn pairs_as_map<S: Serializer>(pairs: &[(String, f64)], s: S) -> Result<S::Ok, S::Error> {
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

    /// The provenance footer: when the report was made, by which abduce, from which files and
    /// what-ifs (`docs/report.md`, "Provenance").
    pub fn footer(&self) -> String {
        format!("Made {} · {}", self.made_at, self.provenance.line())
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
        let db = super::markdown::db;
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

    /// Evidence for the leader: items with a positive contribution to it, largest first
    /// (ties keep declaration order).
    pub fn evidence_for(&self) -> Vec<&EvidenceRow> {
        let mut v: Vec<&EvidenceRow> = self
            .evidence
            .iter()
            .filter(|e| e.contribution_db > 0.0)
            .collect();
        v.sort_by(|a, b| b.contribution_db.total_cmp(&a.contribution_db));
        v
    }

    /// Evidence against the leader: items with a negative contribution to it, most negative
    /// first (ties keep declaration order).
    pub fn evidence_against(&self) -> Vec<&EvidenceRow> {
        let mut v: Vec<&EvidenceRow> = self
            .evidence
            .iter()
            .filter(|e| e.contribution_db < 0.0)
            .collect();
        v.sort_by(|a, b| a.contribution_db.total_cmp(&b.contribution_db));
        v
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
    ///
    /// Percentages are whole numbers (see [`percent`]), except that the point posterior gets
    /// the decimals it needs when its whole percentage is an edge of the ICD 203 scale (see
    /// [`percent_for_term`]). The estimative term is the one given in
    /// the data (SPEC §3.4); `markup` escapes the title and emphasises the term.
    pub fn headline_as(&self, markup: Markup) -> String {
        let Some(l) = self.leader_row() else {
            return "The case has no hypotheses to rank.".to_string();
        };
        let numbers = format!(
            "({}; 90% interval {} under the stated uncertainties)",
            percent_for_term(l.posterior),
            percent_range(l.q05, l.q95)
        );
        let title = markup.text(&l.title);
        let term = markup.em(&l.estimative);
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
        s
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

    /// The analytic confidence in the judgment (see [`confidence::assess`]).
    pub fn confidence(&self) -> Confidence {
        confidence::assess(self)
    }

    /// The method and its assumptions, in two sentences.
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
             vary one input at a time. The judgment assumes that the hypotheses are mutually \
             exclusive and cover the plausible explanations, that evidence items are \
             independent except within declared groups, and that the stated likelihoods, \
             credibilities and ranges reflect the analysts' honest uncertainty; it says \
             nothing about hypotheses that were not listed.",
            thousands(self.samples),
            self.seed
        )
    }
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
        m.serialize_entry("hypotheses", &self.hypotheses)?;
        m.serialize_entry("families", &self.families)?;
        m.serialize_entry("evidence_for", &self.evidence_for())?;
        m.serialize_entry("evidence_against", &self.evidence_against())?;
        m.serialize_entry("critical", &self.critical)?;
        m.serialize_entry("tipping", &self.tipping)?;
        m.serialize_entry("tornado", &self.tornado)?;
        m.serialize_entry("indicators", &self.indicators)?;
        m.serialize_entry("timeline", &self.timeline)?;
        m.end()
    }
}

/// `s` with its first letter upper case.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// How text is marked up in a rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Plain text (JSON): no escaping, no emphasis.
    Plain,
    /// CommonMark: punctuation that could be read as markup is backslash-escaped; `*em*`.
    Markdown,
    /// HTML: `&`, `<`, `>`, quotes escaped; `<em>`.
    Html,
}

impl Markup {
    /// `s` escaped for this markup.
    pub fn text(self, s: &str) -> String {
        match self {
            Markup::Plain => s.to_string(),
            Markup::Markdown => super::markdown::escape(s),
            Markup::Html => super::svg::escape(s),
        }
    }

    /// An id as code: `` `id` `` in Markdown, `<code>` in HTML, as is in plain text.
    pub fn code(self, id: &str) -> String {
        match self {
            Markup::Plain => id.to_string(),
            Markup::Markdown => format!("`{id}`"),
            Markup::Html => format!("<code>{}</code>", super::svg::escape(id)),
        }
    }

    /// `s` escaped and emphasised.
    pub fn em(self, s: &str) -> String {
        match self {
            Markup::Plain => s.to_string(),
            Markup::Markdown => format!("*{}*", self.text(s)),
            Markup::Html => format!("<em>{}</em>", self.text(s)),
        }
    }
}

/// A probability as a whole percentage: `0.64 → "64%"`; a non-zero value that would round
/// to 0% is written `"<1%"`, and a value below 1 that would round to 100% `">99%"`, so a
/// number is never rounded to certainty.
pub fn percent(p: f64) -> String {
    let r = (p * 100.0).round();
    if r <= 0.0 && p > 0.0 {
        "<1%".to_string()
    } else if r >= 100.0 && p < 1.0 {
        ">99%".to_string()
    } else {
        format!("{r:.0}%")
    }
}

/// The edges of the ICD 203 estimative scale, in percent (SPEC §3.4).
pub const TERM_EDGES: [f64; 6] = [5.0, 20.0, 45.0, 55.0, 80.0, 95.0];

/// A probability as a whole percentage ([`percent`]), unless that percentage is an edge of the
/// estimative scale ([`TERM_EDGES`]) and `p` is not exactly on it: then one decimal, or two if
/// one still shows the edge (within 1e-9 of the edge counts as on it). So "*likely* (55.2%)"
/// is written rather than "*likely* (55%)", which the scale would call "roughly even chance".
pub fn percent_for_term(p: f64) -> String {
    showing_term(p, 0).unwrap_or_else(|| percent(p))
}

/// [`percent1`] with the guard of [`percent_for_term`]: "55.02%" rather than "55.0%" beside
/// *likely*. For tables that print the estimative term next to the probability.
pub fn percent1_for_term(p: f64) -> String {
    showing_term(p, 1).unwrap_or_else(|| percent1(p))
}

/// `p` with one or two more decimals than `decimals` when, rounded to `decimals`, it would
/// show an edge of the estimative scale it does not lie on; `None` when no guard is needed.
fn showing_term(p: f64, decimals: i32) -> Option<String> {
    let pct = p * 100.0;
    let at = |d: i32| (pct * 10f64.powi(d)).round() / 10f64.powi(d);
    let shown = at(decimals);
    if !TERM_EDGES.contains(&shown) || (pct - shown).abs() < 1e-9 {
        return None;
    }
    let d = if at(decimals + 1) != shown {
        decimals + 1
    } else {
        decimals + 2
    };
    Some(format!("{:.*}%", d as usize, at(d)))
}

/// A 90% interval as `"48–77%"` (en dash), with the same rounding as [`percent`].
pub fn percent_range(lo: f64, hi: f64) -> String {
    let lo = percent(lo);
    format!("{}–{}", lo.trim_end_matches('%'), percent(hi))
}

/// An integer with thousands separators: `200000 → "200,000"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A probability as a percentage with one decimal: `0.6423 → "64.2%"`; a non-zero value
/// below 0.05% is `"<0.1%"` and a value below 1 that would round to 100% is `">99.9%"`.
pub fn percent1(p: f64) -> String {
    let r = (p * 1000.0).round() / 10.0;
    if r <= 0.0 && p > 0.0 {
        "<0.1%".to_string()
    } else if r >= 100.0 && p < 1.0 {
        ">99.9%".to_string()
    } else {
        format!("{r:.1}%")
    }
}

/// A difference of two probabilities in percentage points, one decimal: `0.32 → "32.0"`
/// (a tornado swing: 24.5% → 56.5% is a swing of 32.0 points, not of 32%).
pub fn points1(d: f64) -> String {
    format!("{:.1}", d * 100.0)
}

/// A weight multiplier as in "0.4×", "0.0023×" or "2.5×": two significant figures below 1,
/// one decimal below 10, none above, and as many more decimals as it takes to tell the
/// multiplier from 1 (and a positive one from 0); trailing zeros dropped. So a lower tipping
/// point of 0.0023 never reads "0×", nor one of 0.996 "1×".
pub fn multiplier(t: f64) -> String {
    let mut decimals = if t >= 10.0 {
        0
    } else if t >= 1.0 || t <= 0.0 {
        1
    } else {
        (1 - t.log10().floor() as i32).max(2) as usize
    };
    let mut s = format!("{t:.decimals$}");
    while decimals < 17 {
        let shown: f64 = s.parse().unwrap_or(t);
        if (shown != 1.0 || t == 1.0) && (shown != 0.0 || t == 0.0) {
            break;
        }
        decimals += 1;
        s = format!("{t:.decimals$}");
    }
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}×")
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
