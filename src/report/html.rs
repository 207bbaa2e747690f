//! The report as one self-contained HTML page: inline CSS (with a print stylesheet) and
//! inline SVG charts; no scripts, fonts, images or any other network fetch.

use std::fmt::Write;

use super::markdown::{TOP, db, db_opt, num, tornado_leaders};
use super::summary::{Markup, Report, percent1, percent1_for_term, points1};
use super::svg::{self, escape};

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #222; background: #fff; margin: 0 auto; max-width: 980px; padding: 24px 28px 48px;
  line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.2em; margin: 1.8em 0 .5em; border-bottom: 2px solid #0072B2; padding-bottom: .15em; }
h3 { font-size: 1em; margin: 1.2em 0 .4em; }
.question { color: #444; margin: 0 0 1em; }
.judgment { background: #eef5fb; border-left: 5px solid #0072B2; padding: 12px 16px; margin: 1em 0; font-size: 1.08em; }
.judgment em { font-weight: 600; }
.confidence { border-left: 5px solid #888; padding: 8px 16px; margin: 1em 0; background: #f6f6f6; }
.confidence.high { border-color: #009E73; }
.confidence.moderate { border-color: #E69F00; }
.confidence.low { border-color: #D55E00; }
.confidence ul { margin: .3em 0 .3em 1.2em; padding: 0; }
.rule { color: #555; font-size: .88em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: .92em; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: #555; font-size: .88em; margin-top: .2em; }
svg.chart { width: 100%; height: auto; display: block; }
footer { margin-top: 2.5em; color: #666; font-size: .85em; }
@media print {
  @page { margin: 16mm 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, .judgment, .confidence { break-inside: avoid; page-break-inside: avoid; }
  .judgment, .confidence, th, svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn section(s: &mut String, id: &str, title: &str) {
    let _ = write!(s, "<section id=\"{id}\"><h2>{}</h2>", escape(title));
}

fn figure(s: &mut String, chart: &str, caption: &str) {
    let _ = write!(
        s,
        "<figure>{chart}<figcaption>{}</figcaption></figure>",
        escape(caption)
    );
}

/// Renders the whole report as an HTML page.
pub fn render(r: &Report) -> String {
    let t = |id: &str| escape(r.hypothesis_title(id));
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <title>{} — attribution summary</title><style>{CSS}</style></head><body>",
        escape(&r.title)
    );
    let _ = write!(
        s,
        "<header><h1>{}</h1><p class=\"question\"><strong>Question:</strong> {}</p></header>",
        escape(&r.title),
        escape(&r.question)
    );

    section(&mut s, "judgment", "Judgment");
    let _ = write!(
        s,
        "<p class=\"judgment\">{}</p>",
        r.headline_as(Markup::Html)
    );
    if let Some(f) = r.family_sentence_as(Markup::Html) {
        let _ = write!(s, "<p class=\"judgment\">{f}</p>");
    }
    let c = r.confidence();
    let _ = write!(
        s,
        "<div class=\"confidence {lvl}\"><p><strong>Analytic confidence: {lvl}.</strong></p><ul>",
        lvl = c.level.as_str()
    );
    for reason in &c.reasons {
        let _ = write!(s, "<li>{}</li>", escape(reason));
    }
    s.push_str(
        "</ul><p class=\"rule\">Confidence grades the basis of the judgment, not its \
         likelihood (ICD 203): high when the leader ranks first in at least 90% of scenarios, \
         no item is critical and the evidence that carries it has a mean credibility of at \
         least 0.75; low when it ranks first in under 60%, two or more items are critical or \
         that credibility is below 0.5; moderate otherwise.</p></div></section>",
    );

    section(&mut s, "hypotheses", "Ranked hypotheses");
    figure(
        &mut s,
        &svg::posterior_chart(&r.hypotheses),
        "Bars: point posterior. Whiskers: Monte Carlo 90% interval. Diamonds: Monte Carlo mean.",
    );
    s.push_str(
        "<table><thead><tr><th class=\"n\">Rank</th><th>Hypothesis</th>\
         <th class=\"n\">Posterior</th><th>Estimative</th><th class=\"n\">Monte Carlo mean</th>\
         <th class=\"n\">90% interval</th><th class=\"n\">Ranks first</th></tr></thead><tbody>",
    );
    for h in &r.hypotheses {
        let _ = write!(
            s,
            "<tr><td class=\"n\">{}</td><td>{} <code>{}</code></td><td class=\"n\">{}</td>\
             <td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}–{}</td><td class=\"n\">{}</td></tr>",
            h.rank,
            escape(&h.title),
            escape(&h.id),
            percent1_for_term(h.posterior),
            escape(&h.estimative),
            percent1(h.mean),
            percent1(h.q05),
            percent1(h.q95),
            percent1(h.p_top)
        );
    }
    s.push_str("</tbody></table>");
    if !r.families.is_empty() {
        s.push_str(
            "<p>Families of hypotheses judged together (a family's posterior is the sum of its \
             members'; “Leads” is the share of scenarios whose leader is a member):</p>\
             <table><thead><tr><th>Family</th><th>Members</th><th class=\"n\">Posterior</th>\
             <th>Estimative</th><th class=\"n\">Monte Carlo mean</th>\
             <th class=\"n\">90% interval</th><th class=\"n\">Leads</th></tr></thead><tbody>",
        );
        for f in &r.families {
            let members: Vec<String> = (f.members.iter())
                .map(|m| format!("<code>{}</code>", escape(m)))
                .collect();
            let _ = write!(
                s,
                "<tr><td>{} <code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td>{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}–{}</td><td class=\"n\">{}</td></tr>",
                escape(&f.title),
                escape(&f.id),
                members.join(", "),
                percent1_for_term(f.posterior),
                escape(&f.estimative),
                percent1(f.mean),
                percent1(f.q05),
                percent1(f.q95),
                percent1(f.p_top)
            );
        }
        s.push_str("</tbody></table>");
    }
    figure(
        &mut s,
        &svg::rank_heatmap(&r.hypotheses),
        "Share of the Monte Carlo scenarios in which each hypothesis takes each rank.",
    );
    s.push_str("</section>");

    section(&mut s, "evidence", "Evidence for and against the leader");
    let _ = write!(s, "<p>{}</p>", r.evidence_intro(Markup::Html));
    for (name, list) in [("For", r.evidence_for()), ("Against", r.evidence_against())] {
        let _ = write!(s, "<h3>{name} the leader</h3>");
        if list.is_empty() {
            s.push_str("<p>No item.</p>");
            continue;
        }
        s.push_str(
            "<table><thead><tr><th>Evidence</th><th class=\"n\">Contribution (dB)</th>\
             <th class=\"n\">Leader vs runner-up (dB)</th><th class=\"n\">Credibility</th></tr>\
             </thead><tbody>",
        );
        for e in list.iter().take(TOP) {
            let _ = write!(
                s,
                "<tr><td>{} <code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{:.2}</td></tr>",
                escape(&e.title),
                escape(&e.id),
                db(e.contribution_db),
                db_opt(e.leader_vs_runner_up_db),
                e.credibility
            );
        }
        s.push_str("</tbody></table>");
        if list.len() > TOP {
            let _ = write!(s, "<p>…and {} more.</p>", list.len() - TOP);
        }
    }
    s.push_str("</section>");

    section(&mut s, "critical", "Critical items and tipping points");
    s.push_str("<ul>");
    if r.critical.is_empty() {
        s.push_str(
            "<li>No single item is critical: removing any one leaves the leader in place.</li>",
        );
    }
    for c in &r.critical {
        let _ = write!(
            s,
            "<li><strong>Critical:</strong> without <code>{}</code> ({}), {} would lead with {}.</li>",
            escape(&c.id),
            escape(&c.title),
            t(&c.new_leader),
            percent1(c.new_posterior)
        );
    }
    for line in r.tipping_sentences(TOP) {
        let _ = write!(s, "<li>{}</li>", escape(&line));
    }
    s.push_str("</ul></section>");

    section(
        &mut s,
        "tornado",
        "What moves the leader's posterior most (tornado)",
    );
    let y_point = r.leader_row().map_or(0.0, |l| l.posterior);
    let leader_id = r.leader_row().map_or("", |l| l.id.as_str());
    let bars = &r.tornado[..r.tornado.len().min(TOP)];
    figure(
        &mut s,
        &svg::tornado_chart(bars, y_point, leader_id),
        "Each bar: the leader's posterior with one input at the low and at the high end of its \
         90% range, all else fixed. ℓ(h): the item's likelihood under hypothesis h.",
    );
    if !bars.is_empty() {
        s.push_str(
            "<table><thead><tr><th>Quantity</th><th class=\"n\">Range</th>\
             <th class=\"n\">Posterior at low → high</th><th class=\"n\">Swing (points)</th>\
             <th>Change of leader</th></tr></thead><tbody>",
        );
        for b in bars {
            let _ = write!(
                s,
                "<tr><td><code>{}</code></td><td class=\"n\">{}–{}</td><td class=\"n\">{} → {}</td>\
                 <td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&b.quantity),
                num(b.low_value),
                num(b.high_value),
                percent1(b.y_low),
                percent1(b.y_high),
                points1(b.swing),
                escape(&tornado_leaders(r, b))
            );
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</section>");

    section(&mut s, "indicators", "Indicators to collect next");
    if r.indicators.is_empty() {
        s.push_str("<p>No pending item.</p>");
    } else {
        s.push_str(
            "<table><thead><tr><th>Indicator</th><th class=\"n\">P(found)</th>\
             <th class=\"n\">Expected information gain (bits)</th>\
             <th class=\"n\">P(leader changes)</th></tr></thead><tbody>",
        );
        for i in r.indicators.iter().take(TOP) {
            let _ = write!(
                s,
                "<tr><td>{} <code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{:.3}</td>\
                 <td class=\"n\">{}</td></tr>",
                escape(&i.title),
                escape(&i.id),
                percent1(i.p_observe),
                i.expected_info_gain_bits,
                percent1(i.p_leader_change)
            );
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</section>");

    section(&mut s, "timeline", "Timeline");
    let order: Vec<(&str, &str)> = r
        .hypotheses
        .iter()
        .map(|h| (h.id.as_str(), h.title.as_str()))
        .collect();
    figure(
        &mut s,
        &svg::timeline_chart(&r.timeline, &order),
        "Posterior of each hypothesis after the evidence dated up to each date, plus undated \
         evidence. Dates are evenly spaced in order, not to scale.",
    );
    if let Some(first) = r.timeline.first() {
        let ids: Vec<&str> = first.posteriors.iter().map(|(id, _)| id.as_str()).collect();
        s.push_str("<table><thead><tr><th>Date</th>");
        for id in &ids {
            let _ = write!(s, "<th class=\"n\"><code>{}</code></th>", escape(id));
        }
        s.push_str("</tr></thead><tbody>");
        for p in &r.timeline {
            let _ = write!(s, "<tr><td>{}</td>", escape(&p.date));
            for id in &ids {
                let v = p
                    .posteriors
                    .iter()
                    .find(|(k, _)| k == id)
                    .map_or("—".into(), |(_, v)| percent1(*v));
                let _ = write!(s, "<td class=\"n\">{v}</td>");
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table>");
    }
    s.push_str("</section>");

    section(&mut s, "method", "Method and assumptions");
    let _ = writeln!(
        s,
        "<p>{}</p></section><footer>Case <code>{}</code> · {}</footer></body></html>",
        escape(&r.method_and_assumptions()),
        escape(&r.case),
        escape(&r.footer())
    );
    s
}
