//! The report as one self-contained HTML page: inline CSS (with a print stylesheet) and
//! inline SVG charts, and one small inline script that sorts the matrix; no fonts, images,
//! external scripts or any other network fetch.

use std::fmt::Write;

use super::svg::{self, escape};
use super::tables;
use crate::render::matrix::SORT_SCRIPT;
use crate::report::Report;
use crate::report::judgment::{BOTTOM, RULE, TOP};
use crate::text::fmt::percent1;
use crate::text::markup::Markup;

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #222; background: #fff; margin: 0 auto; max-width: 1020px; padding: 24px 28px 48px;
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
.confidence ul, .change ul { margin: .3em 0 .3em 1.2em; padding: 0; }
.warning { font-weight: 600; color: #8a3200; }
.rule, .provenance { color: #555; font-size: .88em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: .92em; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.wide { overflow-x: auto; }
table.matrix { font-size: .8em; }
table.matrix td, table.matrix th { padding: 3px 5px; }
table.matrix td:first-child, td.date { white-space: nowrap; }
table.matrix thead th { vertical-align: bottom; white-space: normal; }
table.matrix tr.nondiag td { color: #777; }
table.matrix tfoot th, table.matrix tfoot td { border-top: 2px solid #999; background: #f3f3f3; }
.tag { font-size: .8em; border: 1px solid #aaa; border-radius: 3px; padding: 0 3px; color: #555; white-space: nowrap; }
.sorters button { font: inherit; font-size: .88em; margin-right: .3em; }
details summary { cursor: pointer; color: #0072B2; margin: .3em 0; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: #555; font-size: .88em; margin-top: .2em; }
svg.chart { width: 100%; height: auto; display: block; }
footer { margin-top: 2.5em; color: #666; font-size: .85em; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .noprint { display: none; }
  #bottom-line { break-after: page; page-break-after: always; }
  #bottom-line h2 { margin-top: .8em; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
  /* A heading reserves room for what follows it, so it never ends a page. */
  h2::after, h3::after { content: ""; display: block; height: 7em; margin-bottom: -7em; }
  tr, figure, .judgment, .confidence, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .wide { overflow: visible; }
  svg.chart { max-height: 225mm; }
  table.matrix { font-size: 7.5pt; }
  .judgment, .confidence, th, td, svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
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
    let html = Markup::Html;
    let t = |id: &str| escape(r.hypothesis_title(id));
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <title>{} — attribution summary</title><style>{CSS}{}</style></head><body>",
        escape(&r.title),
        page_marks(r)
    );
    let _ = write!(
        s,
        "<header><h1>{}</h1><p class=\"question\"><strong>Question:</strong> {}</p></header>",
        escape(&r.title),
        escape(&r.question)
    );

    section(&mut s, "bottom-line", "Bottom line");
    let _ = write!(s, "<p class=\"judgment\">{}</p>", r.headline_as(html));
    if let Some(f) = r.family_sentence_as(html) {
        let _ = write!(s, "<p class=\"judgment\">{f}</p>");
    }
    let c = r.confidence();
    let _ = write!(
        s,
        "<div class=\"confidence {lvl}\"><p><strong>Analytic confidence: {lvl}.</strong>",
        lvl = c.level.as_str()
    );
    for w in &c.warnings {
        let _ = write!(s, " <span class=\"warning\">{}</span>", escape(w));
    }
    s.push_str("</p><ul>");
    for reason in &c.reasons {
        let _ = write!(s, "<li>{}</li>", escape(reason));
    }
    let _ = write!(s, "</ul><p class=\"rule\">{}</p></div>", escape(RULE));
    s.push_str("<div class=\"change\"><p><strong>What would change it:</strong></p><ul>");
    for line in r.what_would_change_it(BOTTOM, html) {
        let _ = write!(s, "<li>{line}</li>");
    }
    let _ = write!(
        s,
        "</ul></div><p class=\"provenance\"><strong>Provenance:</strong> {}</p></section>",
        r.provenance_line(html)
    );

    section(&mut s, "hypotheses", "Ranked hypotheses");
    figure(
        &mut s,
        &svg::posterior_chart(&r.hypotheses),
        "Bars: point posterior (the leader in blue, the others in grey). Whiskers: Monte \
         Carlo 90% interval. Diamonds: Monte Carlo mean.",
    );
    s.push_str(&tables::ranked(r, html));
    if !r.families.is_empty() {
        s.push_str(
            "<p>Families of hypotheses judged together (a family's posterior is the sum of its \
             members'; “Leads” is the share of scenarios whose leader is a member):</p>",
        );
        s.push_str(&tables::families(r, html));
    }
    figure(
        &mut s,
        &svg::rank_heatmap(&r.hypotheses),
        "Share of the Monte Carlo scenarios in which each hypothesis takes each rank.",
    );
    s.push_str("</section>");

    section(&mut s, "evidence", "Evidence for and against the leader");
    let _ = write!(s, "<p>{}</p>", r.evidence_intro(html));
    for (name, list) in [("For", r.evidence_for()), ("Against", r.evidence_against())] {
        let _ = write!(s, "<h3>{name} the leader</h3>");
        if list.is_empty() {
            s.push_str("<p>No item.</p>");
            continue;
        }
        // Every row shown up to two past TOP (a disclosure for one or two rows would only
        // hide them); beyond, the rest behind a disclosure that printing opens.
        let shown = if list.len() <= TOP + 2 {
            list.len()
        } else {
            TOP
        };
        s.push_str(&tables::evidence(list.iter().take(shown), html));
        if list.len() > shown {
            let _ = write!(
                s,
                "<details class=\"more\"><summary>The other {} items {} the leader</summary>{}\
                 </details>",
                list.len() - TOP,
                name.to_lowercase(),
                tables::evidence(list.iter().skip(TOP), html)
            );
        }
    }
    let neutral = r.evidence_neutral();
    if !neutral.is_empty() {
        let ids: Vec<String> = neutral.iter().map(|e| html.code(&e.id)).collect();
        let _ = write!(
            s,
            "<p>Moving the leader against the average hypothesis but not against the \
             runner-up (0 dB between them): {}.</p>",
            ids.join(", ")
        );
    }
    s.push_str("</section>");

    section(
        &mut s,
        "matrix-section",
        "The matrix: evidence × hypotheses",
    );
    s.push_str(
        "<p>Each item's contribution to each hypothesis in decibans (blue: in its favour, \
         vermillion: against; darker is stronger, full at 10 dB); items by id, their titles \
         in the tables above and as tooltips. ω is the item's effective weight; items below 1 dB of diagnosticity are greyed and marked non-diagnostic. The \
         last row gives each hypothesis's ACH inconsistency score for comparison (lower is \
         better). Rows are sorted by diagnosticity.</p>",
    );
    s.push_str(&r.matrix().html(escape));
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
        s.push_str(&tables::tornado(r, bars, html));
    }
    s.push_str("</section>");

    section(&mut s, "indicators", "Indicators to collect next");
    if r.indicators.is_empty() {
        s.push_str("<p>No pending item.</p>");
    } else {
        s.push_str(&tables::indicators(r, TOP, html));
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
        "Posterior of the leading hypotheses after the evidence dated up to each date, plus \
         undated evidence; the others summed. Dates to scale; a long stretch without dated \
         evidence is shaded and the axis broken there.",
    );
    if let Some(first) = r.timeline.first() {
        let ids: Vec<&str> = first
            .posteriors
            .0
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        s.push_str("<div class=\"wide\"><table><thead><tr><th>Date</th>");
        for id in &ids {
            let _ = write!(s, "<th class=\"n\"><code>{}</code></th>", escape(id));
        }
        s.push_str("</tr></thead><tbody>");
        for p in &r.timeline {
            let _ = write!(s, "<tr><td class=\"date\">{}</td>", escape(&p.date));
            for id in &ids {
                let v = p
                    .posteriors
                    .0
                    .iter()
                    .find(|(k, _)| k == id)
                    .map_or("—".into(), |(_, v)| percent1(*v));
                let _ = write!(s, "<td class=\"n\">{v}</td>");
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</section>");

    section(&mut s, "method", "Method and assumptions");
    let _ = write!(
        s,
        "<p>{}</p></section>",
        escape(&r.method_and_assumptions())
    );

    section(&mut s, "sources", "Sources");
    if r.sources.is_empty() {
        s.push_str("<p>The case names no sources.</p>");
    } else {
        s.push_str(
            "<p>Each source with its Admiralty reliability (A reliable … E unreliable, F cannot \
             be judged) and the items it carries, each with its information grade (1 confirmed \
             … 6 cannot be judged).</p>",
        );
        s.push_str(&tables::sources(r, html));
    }
    let _ = writeln!(
        s,
        "</section><footer>{}</footer><script>{SORT_SCRIPT} {PRINT_SCRIPT}</script></body></html>",
        r.provenance_line(html)
    );
    s
}

/// The marks of every printed page (CSS page-margin boxes): the case title at the top left,
/// when the report was made at the top right, abduce and the case at the bottom left, and
/// "Page n of N" at the bottom right.
fn page_marks(r: &Report) -> String {
    let top_right = if r.made_at.is_empty() {
        String::new()
    } else {
        format!("made {}", r.made_at)
    };
    format!(
        "@media print {{ @page {{ \
         @top-left {{ content: \"{}\"; {MARK} }} \
         @top-right {{ content: \"{}\"; {MARK} }} \
         @bottom-left {{ content: \"{}\"; {MARK} }} \
         @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {MARK} }} }} }}",
        css_string(&r.title),
        css_string(&top_right),
        css_string(&format!(
            "abduce {} · case {}",
            env!("CARGO_PKG_VERSION"),
            r.case
        )),
    )
}

/// The style of the page marks.
const MARK: &str = "font: 8pt system-ui, sans-serif; color: #666;";

/// `s` for a CSS string between double quotes, inside a `<style>` that must stay well-formed
/// XML: `\` and `"` escaped, `<`, `>` and `&` as CSS escapes, line breaks as spaces.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            '&' => out.push_str("\\26 "),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Opens every disclosure before printing, so the printed page holds every item.
const PRINT_SCRIPT: &str = "window.addEventListener('beforeprint', function () {\
 document.querySelectorAll('details').forEach(function (d) { d.open = true; }); });";

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn css_strings_are_escaped() {
        assert_eq!(
            css_string(r#"A "B" \ <C> & D"#),
            r#"A \"B\" \\ \3c C\3e  \26  D"#
        );
        assert_eq!(css_string("two\nlines"), "two lines");
    }
}
