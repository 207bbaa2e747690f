//! The report as Markdown (CommonMark with GitHub tables).

use std::fmt::Write;

use super::summary::{Markup, Report, percent1, percent1_for_term, points1};

/// How many rows the evidence, tipping, tornado and indicator sections show.
pub const TOP: usize = 8;

/// `s` with the punctuation that CommonMark or a GitHub table could read as markup
/// (`\ ` `` ` `` `* _ [ ] < > | &`) backslash-escaped, and line breaks turned into spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A signed number of decibans with one decimal: `+3.2`, `−1.0` (true minus sign); three
/// decimals below 0.05 in size (`+0.006`), so a non-zero value never reads `+0.0`.
pub(crate) fn db(x: f64) -> String {
    // One decimal; three for a small non-zero value, so it never shows as "+0.0".
    let s = if x != 0.0 && x.abs() < 0.05 {
        format!("{x:+.3}")
    } else {
        format!("{x:+.1}")
    };
    s.replacen('-', "−", 1)
}

/// An optional number of decibans, `—` when absent.
pub(crate) fn db_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), db)
}

/// Renders the whole report.
pub fn render(r: &Report) -> String {
    let md = Markup::Markdown;
    let mut s = String::new();
    let t = |id: &str| escape(r.hypothesis_title(id));
    let _ = writeln!(s, "# {}\n", escape(&r.title));
    let _ = writeln!(s, "**Question:** {}\n", escape(&r.question));

    let _ = writeln!(s, "## Judgment\n\n{}\n", r.headline_as(md));
    if let Some(f) = r.family_sentence_as(md) {
        let _ = writeln!(s, "{f}\n");
    }
    let c = r.confidence();
    let _ = writeln!(s, "**Analytic confidence: {}.**\n", c.level.as_str());
    for reason in &c.reasons {
        let _ = writeln!(s, "- {}", escape(reason));
    }
    s.push('\n');
    let _ = writeln!(
        s,
        "*Confidence grades the basis of the judgment, not its likelihood (ICD 203): high when \
         the leader ranks first in at least 90% of scenarios, no item is critical and the \
         evidence that carries it has a mean credibility of at least 0.75; low when it ranks \
         first in under 60%, two or more items are critical or that credibility is below \
         0.5; moderate otherwise.*\n"
    );

    let _ = writeln!(s, "## Ranked hypotheses\n");
    let _ = writeln!(
        s,
        "| Rank | Hypothesis | Posterior | Estimative | Monte Carlo mean | 90% interval | Ranks first |"
    );
    let _ = writeln!(s, "|---:|---|---:|---|---:|---|---:|");
    for h in &r.hypotheses {
        let _ = writeln!(
            s,
            "| {} | {} (`{}`) | {} | {} | {} | {}–{} | {} |",
            h.rank,
            escape(&h.title),
            h.id,
            percent1_for_term(h.posterior),
            escape(&h.estimative),
            percent1(h.mean),
            percent1(h.q05),
            percent1(h.q95),
            percent1(h.p_top)
        );
    }
    let k = r.hypotheses.iter().map(|h| h.rank_probs.len()).max();
    if let Some(k) = k.filter(|&k| k > 0) {
        let _ = writeln!(s, "\nProbability of each rank across the scenarios:\n");
        let head: Vec<String> = (1..=k).map(|i| format!("Rank {i}")).collect();
        let _ = writeln!(s, "| Hypothesis | {} |", head.join(" | "));
        let _ = writeln!(s, "|---|{}", "---:|".repeat(k));
        for h in &r.hypotheses {
            let cells: Vec<String> = (0..k)
                .map(|i| h.rank_probs.get(i).map_or("—".into(), |&p| percent1(p)))
                .collect();
            let _ = writeln!(s, "| `{}` | {} |", h.id, cells.join(" | "));
        }
    }
    s.push('\n');
    if !r.families.is_empty() {
        let _ = writeln!(
            s,
            "Families of hypotheses judged together (a family's posterior is the sum of its \
             members'; \"Leads\" is the share of scenarios whose leader is a member):\n"
        );
        let _ = writeln!(
            s,
            "| Family | Members | Posterior | Estimative | Monte Carlo mean | 90% interval | Leads |"
        );
        let _ = writeln!(s, "|---|---|---:|---|---:|---|---:|");
        for f in &r.families {
            let members: Vec<String> = f.members.iter().map(|m| format!("`{m}`")).collect();
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {} | {} | {} | {}–{} | {} |",
                escape(&f.title),
                f.id,
                members.join(", "),
                percent1_for_term(f.posterior),
                escape(&f.estimative),
                percent1(f.mean),
                percent1(f.q05),
                percent1(f.q95),
                percent1(f.p_top)
            );
        }
        s.push('\n');
    }

    let _ = writeln!(s, "## Evidence for and against the leader\n");
    let _ = writeln!(s, "{}\n", r.evidence_intro(Markup::Markdown));
    for (name, list) in [("For", r.evidence_for()), ("Against", r.evidence_against())] {
        let _ = writeln!(s, "### {name} the leader\n");
        if list.is_empty() {
            let _ = writeln!(s, "No item.\n");
            continue;
        }
        let _ = writeln!(
            s,
            "| Evidence | Contribution (dB) | Leader vs runner-up (dB) | Credibility |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|");
        for e in list.iter().take(TOP) {
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {} | {:.2} |",
                escape(&e.title),
                e.id,
                db(e.contribution_db),
                db_opt(e.leader_vs_runner_up_db),
                e.credibility
            );
        }
        if list.len() > TOP {
            let _ = writeln!(s, "\n…and {} more.", list.len() - TOP);
        }
        s.push('\n');
    }

    let _ = writeln!(s, "## Critical items and tipping points\n");
    if r.critical.is_empty() {
        let _ = writeln!(
            s,
            "No single item is critical: removing any one leaves the leader in place.\n"
        );
    } else {
        for c in &r.critical {
            let _ = writeln!(
                s,
                "- **Critical:** without `{}` ({}), {} would lead with {}.",
                c.id,
                escape(&c.title),
                t(&c.new_leader),
                percent1(c.new_posterior)
            );
        }
        s.push('\n');
    }
    for line in r.tipping_sentences(TOP) {
        let _ = writeln!(s, "- {}", escape(&line));
    }
    if r.tipping.is_empty() {
        let _ = writeln!(s, "No tipping points were computed.");
    }
    s.push('\n');

    let _ = writeln!(s, "## What moves the leader's posterior most (tornado)\n");
    if r.tornado.is_empty() {
        let _ = writeln!(s, "No quantity has a stated range.\n");
    } else {
        let _ = writeln!(
            s,
            "| Quantity | Range | Leader's posterior at low → high | Swing (points) | Change of leader |"
        );
        let _ = writeln!(s, "|---|---|---|---:|---|");
        for b in r.tornado.iter().take(TOP) {
            let _ = writeln!(
                s,
                "| `{}` | {}–{} | {} → {} | {} | {} |",
                b.quantity,
                num(b.low_value),
                num(b.high_value),
                percent1(b.y_low),
                percent1(b.y_high),
                points1(b.swing),
                escape(&tornado_leaders(r, b))
            );
        }
        s.push('\n');
    }

    let _ = writeln!(s, "## Indicators to collect next\n");
    if r.indicators.is_empty() {
        let _ = writeln!(s, "No pending item.\n");
    } else {
        let _ = writeln!(
            s,
            "| Indicator | P(found) | Expected information gain (bits) | P(leader changes) |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|");
        for i in r.indicators.iter().take(TOP) {
            let _ = writeln!(
                s,
                "| {} (`{}`) | {} | {:.3} | {} |",
                escape(&i.title),
                i.id,
                percent1(i.p_observe),
                i.expected_info_gain_bits,
                percent1(i.p_leader_change)
            );
        }
        s.push('\n');
    }

    let _ = writeln!(s, "## Timeline\n");
    match r.timeline.first() {
        None => {
            let _ = writeln!(s, "No dated evidence.\n");
        }
        Some(first) => {
            let ids: Vec<&str> = first.posteriors.iter().map(|(id, _)| id.as_str()).collect();
            let head: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            let _ = writeln!(s, "| Date | {} |", head.join(" | "));
            let _ = writeln!(s, "|---|{}", "---:|".repeat(ids.len()));
            for p in &r.timeline {
                let cells: Vec<String> = ids
                    .iter()
                    .map(|id| {
                        p.posteriors
                            .iter()
                            .find(|(k, _)| k == id)
                            .map_or("—".into(), |(_, v)| percent1(*v))
                    })
                    .collect();
                let _ = writeln!(s, "| {} | {} |", escape(&p.date), cells.join(" | "));
            }
            s.push('\n');
        }
    }

    let _ = writeln!(
        s,
        "## Method and assumptions\n\n{}",
        escape(&r.method_and_assumptions())
    );
    let _ = writeln!(s, "\n---\n\n*{}*", escape(&r.footer()));
    s
}

/// A range end as a short number: up to 3 significant decimals, trailing zeros dropped.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Who leads at the ends of a tornado bar, in words (plain text): "no change", or e.g.
/// "ETIM at the low end".
pub(crate) fn tornado_leaders(r: &Report, b: &super::summary::TornadoBar) -> String {
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
