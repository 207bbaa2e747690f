//! The report's judgment in words: the headline in ICD 203 language, the family sentence, the
//! tipping points, what would change the judgment, the method paragraph and the provenance
//! line (`docs/report.md`). Each sentence is written from the report's data ([`Report`]) with
//! the render helpers only; [`Markup`] says whether it is plain text (JSON), Markdown or HTML.
//! The analytic confidence has its own module, [`super::confidence`].

use super::confidence::{self, Confidence};
use super::summary::{FamilyRow, Report, SourceRow, TippingPoint};
use crate::case::provenance::Variant;
use crate::sweep::tornado::TornadoBar;
use crate::text::fmt::{multiplier, percent, percent_for_term, percent_range, percent1, thousands};
use crate::text::markup::{Markup, capitalise, join_and};

/// The posterior below which the leader is called "the most likely of K, but ..." rather
/// than stated plainly: 0.45, the lower edge of "roughly even chance" (docs/reference.md §3.4).
pub const PLAIN_LEADER_THRESHOLD: f64 = 0.45;

/// How many rows the tipping, tornado and indicator sections show (the evidence and the
/// matrix show every item).
pub const TOP: usize = 8;

/// How many tipping points and indicators the bottom line names.
pub const BOTTOM: usize = 3;

/// The rule of the analytic confidence in one sentence, for the bottom line.
pub const RULE: &str = "Confidence grades the basis of the judgment, not its likelihood \
    (ICD 203), on six factors: the leader's stability across the scenarios, critical items, \
    the credibility of the evidence that carries it, the priors' share of its lead, the \
    independent lines of reporting behind the lead, and the smallest change of one item's \
    weight that tips it. It is high when every factor is high, low when any is low, and \
    moderate otherwise.";

impl Report {
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
        let has_leader = |f: &FamilyRow| f.point.members.contains(&self.leader);
        let best = (self.families.iter().filter(robust)).min_by(|a, b| {
            (!has_leader(a), a.point.members.len())
                .cmp(&(!has_leader(b), b.point.members.len()))
                .then(b.p_top.total_cmp(&a.p_top))
        })?;
        let family = format!(
            "“{}” ({})",
            markup.text(&best.point.title),
            markup.code(&best.point.id)
        );
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
        let db = crate::text::fmt::db;
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
                    join_and(never.iter().copied())
                ),
            });
        }
        out
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
                crate::text::fmt::fixed(i.expected_info_gain_bits, 2),
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

impl TippingPoint {
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

/// A source's items as "`a` (2), `b` (pending)" — information grade, and the status of an
/// item that is not observed.
pub fn source_items(src: &SourceRow, markup: Markup) -> String {
    if src.items.is_empty() {
        return "—".to_string();
    }
    let items: Vec<String> = src
        .items
        .iter()
        .map(|i| {
            let mut notes = Vec::new();
            if let Some(g) = i.information {
                notes.push(g.to_string());
            }
            if i.status != "observed" {
                notes.push(i.status.clone());
            }
            if notes.is_empty() {
                markup.code(&i.id)
            } else {
                format!("{} ({})", markup.code(&i.id), notes.join(", "))
            }
        })
        .collect();
    items.join(", ")
}

/// Who leads at the ends of a tornado bar, in words (plain text): "no change", or e.g.
/// "ETIM at the low end".
pub fn tornado_leaders(r: &Report, b: &TornadoBar) -> String {
    let changes: Vec<String> = [(&b.leader_low, "low"), (&b.leader_high, "high")]
        .into_iter()
        .filter(|(who, _)| **who != r.leader)
        .map(|(who, end)| format!("{} at the {end} end", r.hypothesis_title(who)))
        .collect();
    if changes.is_empty() {
        "no change".to_string()
    } else {
        changes.join("; ")
    }
}
