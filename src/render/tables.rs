//! The report's tables, written once for Markdown and HTML with [`Markup::table`]: the
//! ranked hypotheses, the families, the evidence for and against the leader, the tornado, the
//! indicators and the sources (docs/report.md). Numbers are right-aligned in both formats.

use crate::report::judgment::{source_items, tornado_leaders};
use crate::report::{EvidenceRow, Report, TornadoBar};
use crate::text::fmt::{
    db, db_opt, fixed, num, percent1, percent1_for_term, percent1_range, points1,
};
use crate::text::markup::{Align, Markup, Table};

use Align::{Left, Right};

/// The hypotheses in rank order with their point and Monte Carlo figures.
pub fn ranked(r: &Report, m: Markup) -> String {
    let mut t = m.table(&[
        ("Rank", Right),
        ("Hypothesis", Left),
        ("Posterior", Right),
        ("Estimative", Left),
        ("Monte Carlo mean", Right),
        ("90% interval", Right),
        ("Ranks first", Right),
    ]);
    for h in &r.hypotheses {
        t.row(&[
            h.rank.to_string(),
            m.titled(&h.title, &h.id),
            percent1_for_term(h.posterior),
            m.text(&h.term_phrase()),
            percent1(h.mean),
            percent1_range(h.q05, h.q95),
            percent1(h.p_top),
        ]);
    }
    t.finish()
}

/// The families with their summed posteriors and how often a member leads.
pub fn families(r: &Report, m: Markup) -> String {
    let mut t = m.table(&[
        ("Family", Left),
        ("Members", Left),
        ("Posterior", Right),
        ("Estimative", Left),
        ("Monte Carlo mean", Right),
        ("90% interval", Right),
        ("Leads", Right),
    ]);
    for f in &r.families {
        let members: Vec<String> = f.point.members.iter().map(|x| m.code(x)).collect();
        t.row(&[
            m.titled(&f.point.title, &f.point.id),
            members.join(", "),
            percent1_for_term(f.point.posterior),
            m.text(f.point.estimative),
            percent1(f.mean),
            format!("{}–{}", percent1(f.q05), percent1(f.q95)),
            percent1(f.p_top),
        ]);
    }
    t.finish()
}

/// Items for or against the leader; the caller says which rows (HTML puts the rest behind
/// a disclosure under a second table of the same columns).
pub fn evidence<'a>(rows: impl Iterator<Item = &'a &'a EvidenceRow>, m: Markup) -> String {
    let mut t = m.table(&[
        ("Evidence", Left),
        ("Leader vs runner-up (dB)", Right),
        ("Contribution (dB)", Right),
        ("Credibility", Right),
        ("Source", Left),
    ]);
    for e in rows {
        t.row(&[
            m.titled(&e.title, &e.id),
            db_opt(e.leader_vs_runner_up_db),
            db(e.contribution_db),
            fixed(e.credibility, 2),
            e.source.as_deref().map_or("—".to_string(), |x| m.code(x)),
        ]);
    }
    t.finish()
}

/// The tornado's bars: each quantity's range and the leader's posterior at its ends.
pub fn tornado(r: &Report, bars: &[TornadoBar], m: Markup) -> String {
    let mut t = m.table(&[
        ("Quantity", Left),
        ("Range", Right),
        ("Leader's posterior at low → high", Right),
        ("Swing (points)", Right),
        ("Change of leader", Left),
    ]);
    for b in bars {
        t.row(&[
            m.code(&b.quantity),
            format!("{}–{}", num(b.low_value), num(b.high_value)),
            format!("{} → {}", percent1(b.y_low), percent1(b.y_high)),
            points1(b.swing),
            m.text(&tornado_leaders(r, b)),
        ]);
    }
    t.finish()
}

/// The pending items most worth collecting, at most `top`.
pub fn indicators(r: &Report, top: usize, m: Markup) -> String {
    let mut t = m.table(&[
        ("Indicator", Left),
        ("P(found)", Right),
        ("Expected information gain (bits)", Right),
        ("P(leader changes)", Right),
    ]);
    for i in r.indicators.iter().take(top) {
        t.row(&[
            m.titled(&i.title, &i.id),
            percent1(i.p_observe),
            fixed(i.expected_info_gain_bits, 3),
            percent1(i.p_leader_change),
        ]);
    }
    t.finish()
}

/// The sources with their reliability and the items each carries.
pub fn sources(r: &Report, m: Markup) -> String {
    let mut t: Table = m.table(&[("Source", Left), ("Reliability", Left), ("Items", Left)]);
    for src in &r.sources {
        t.row(&[
            m.titled(&src.name, &src.id),
            src.reliability
                .as_deref()
                .map_or("—".to_string(), |x| m.text(x)),
            source_items(src, m),
        ]);
    }
    t.finish()
}
