//! Inline SVG charts for the HTML report, written by hand: small functions that return SVG
//! strings, composed into four charts. All text is escaped; no chart refers to anything
//! outside itself (no fonts, images or scripts), so a page that inlines them is
//! self-contained.
//!
//! Colours follow the Okabe–Ito palette (readable with colour-blindness); the timeline also
//! varies the dash pattern so it stays readable when printed in grey.

use std::fmt::Write;

use super::summary::{RankedHypothesis, TimelinePoint, TornadoBar};
use crate::render::fmt::{percent1, percent1_for_term, points1};

/// The SVG namespace, the only URL a chart contains.
pub const XMLNS: &str = "http://www.w3.org/2000/svg";

/// Width of every chart in SVG user units (it scales to the page width).
pub const WIDTH: f64 = 760.0;

/// Okabe–Ito colours, one per hypothesis in rank order (cycled); its black is replaced by a
/// mid grey so that the black interval whiskers stay visible on every bar.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C8C8C", "#F0E442",
];

/// Dash patterns for the timeline lines, one per hypothesis in rank order: twelve, so that
/// up to twelve lines differ by their dashes alone (in grey print), whatever the colours.
pub const DASHES: [&str; 12] = [
    "",
    "7 4",
    "2 3",
    "9 3 2 3",
    "4 4",
    "1 2",
    "12 4",
    "6 2 2 2",
    "3 6",
    "10 2 2 2 2 2",
    "1 5",
    "14 3 3 3",
];

const LABEL: f64 = 290.0;
const RIGHT: f64 = 60.0;
const INK: &str = "#222";
const GRID: &str = "#ccc";

/// `s` escaped for XML text and attribute values (`& < > " '`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `s` cut to at most `max` characters, with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The colour of the hypothesis at `index` (rank order).
pub fn colour(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

/// The dash pattern of the hypothesis at `index` (rank order): the first twelve all differ,
/// and no two of the first 24 share both colour and dash.
pub fn dash(index: usize) -> &'static str {
    DASHES[index % DASHES.len()]
}

/// A tornado quantity in words shorter than its SPEC §6 path, so that labels stay readable:
/// `evidence.x.likelihood.etim` → `x: ℓ(etim)`, `evidence.x.weight` →
/// `x: weight`, `hypothesis.etim.prior` → `prior of etim`. Anything else is returned as is.
pub fn quantity_label(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["evidence", id, "likelihood", hyp] => format!("{id}: ℓ({hyp})"),
        ["evidence", id, field] => format!("{id}: {field}"),
        ["hypothesis", id, "prior"] => format!("prior of {id}"),
        _ => path.to_string(),
    }
}

/// `s` cut to at most `max` characters by replacing its middle with `…`, keeping both ends
/// (for paths such as `evidence.<id>.likelihood.<hyp>`, whose end tells them apart).
pub fn truncate_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max || max < 3 {
        return s.to_string();
    }
    let tail = (max - 1) * 2 / 3;
    let head = max - 1 - tail;
    let mut t: String = s.chars().take(head).collect();
    t.push('…');
    t.extend(s.chars().skip(n - tail));
    t
}

/// Opens a chart: `<svg>` with `id`, a `viewBox` of [`WIDTH`] × `height`, `role="img"`, an
/// `aria-label`, and a `<title>` and `<desc>` as its first children.
pub fn open(id: &str, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"{XMLNS}\" id=\"{id}\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height:.0}\" \
         role=\"img\" aria-label=\"{t}\" font-family=\"system-ui, -apple-system, 'Segoe UI', \
         Roboto, Helvetica, Arial, sans-serif\" font-size=\"13\">\
         <title>{t}</title><desc>{d}</desc>",
        id = escape(id),
        t = escape(title),
        d = escape(desc)
    )
}

/// Closes a chart.
pub fn close() -> &'static str {
    "</svg>"
}

/// A filled rectangle.
pub fn rect(x: f64, y: f64, w: f64, h: f64, fill: &str) -> String {
    format!(
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
        w.max(0.0),
        escape(fill)
    )
}

/// A straight line.
pub fn line(x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) -> String {
    format!(
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\" \
         stroke-width=\"{width}\"/>",
        escape(stroke)
    )
}

/// Text at (x, y); `anchor` is `start`, `middle` or `end`. `tooltip`, when given, is shown
/// on hover (an SVG `<title>` child), e.g. the full text of a truncated label.
pub fn text(
    x: f64,
    y: f64,
    anchor: &str,
    fill: &str,
    content: &str,
    tooltip: Option<&str>,
) -> String {
    let tip = tooltip.map_or(String::new(), |t| format!("<title>{}</title>", escape(t)));
    format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"{}\">{tip}{}</text>",
        escape(fill),
        escape(content)
    )
}

/// A polyline through `points`, with an optional dash pattern.
pub fn polyline(points: &[(f64, f64)], stroke: &str, dash: &str) -> String {
    let pts: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{}\"", escape(dash))
    };
    format!(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" \
         stroke-linejoin=\"round\"{dash}/>",
        pts.join(" "),
        escape(stroke)
    )
}

/// A filled circle with a white outline.
pub fn circle(cx: f64, cy: f64, r: f64, fill: &str) -> String {
    format!(
        "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{r}\" fill=\"{}\" stroke=\"#fff\" \
         stroke-width=\"1\"/>",
        escape(fill)
    )
}

/// A chart that only says there is nothing to draw (keeps the chart's `id` on the page).
pub fn empty(id: &str, title: &str, message: &str) -> String {
    let mut s = open(id, 40.0, title, message);
    s.push_str(&text(10.0, 25.0, "start", INK, message, None));
    s.push_str(close());
    s
}

/// A linear scale from the domain [d0, d1] to the range [r0, r1].
fn scale(d0: f64, d1: f64, r0: f64, r1: f64) -> impl Fn(f64) -> f64 {
    move |v| {
        if d1 == d0 {
            (r0 + r1) / 2.0
        } else {
            r0 + (v - d0) / (d1 - d0) * (r1 - r0)
        }
    }
}

/// Vertical grid lines with percentage labels above them, at `ticks`.
fn x_grid(ticks: &[f64], x: &impl Fn(f64) -> f64, top: f64, bottom: f64) -> String {
    let mut s = String::new();
    for &t in ticks {
        s.push_str(&line(x(t), top, x(t), bottom, GRID, 1.0));
        s.push_str(&text(x(t), top - 6.0, "middle", INK, &tick_label(t), None));
    }
    s
}

fn tick_label(t: f64) -> String {
    let p = (t * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// Posterior bars with Monte Carlo 90% interval whiskers and mean markers (`chart-posteriors`).
pub fn posterior_chart(rows: &[RankedHypothesis]) -> String {
    let id = "chart-posteriors";
    let title = "Point posterior of each hypothesis, with its Monte Carlo 90% interval";
    if rows.is_empty() {
        return empty(id, title, "No hypotheses.");
    }
    let (top, row) = (30.0, 30.0);
    let height = top + row * rows.len() as f64 + 44.0;
    let x = scale(0.0, 1.0, LABEL, WIDTH - RIGHT);
    let mut s = open(
        id,
        height,
        title,
        "Horizontal bars: point posterior; black whiskers: 5th to 95th percentile across the \
         Monte Carlo scenarios; diamond: Monte Carlo mean.",
    );
    let bottom = top + row * rows.len() as f64;
    s.push_str(&x_grid(&[0.0, 0.25, 0.5, 0.75, 1.0], &x, top, bottom));
    for (i, h) in rows.iter().enumerate() {
        let y = top + row * i as f64;
        s.push_str(&row_label(h, y));
        s.push_str(&rect(
            x(0.0),
            y + 6.0,
            x(h.posterior) - x(0.0),
            18.0,
            colour(i),
        ));
        let wy = y + 15.0;
        s.push_str(&line(x(h.q05), wy, x(h.q95), wy, "#fff", 4.0));
        s.push_str(&line(x(h.q05), wy, x(h.q95), wy, INK, 1.5));
        s.push_str(&line(x(h.q05), wy - 6.0, x(h.q05), wy + 6.0, INK, 1.5));
        s.push_str(&line(x(h.q95), wy - 6.0, x(h.q95), wy + 6.0, INK, 1.5));
        let m = x(h.mean);
        let _ = write!(
            s,
            "<path d=\"M{:.1},{:.1} l5,5 l-5,5 l-5,-5 z\" fill=\"#fff\" stroke=\"{INK}\" \
             stroke-width=\"1.2\"/>",
            m,
            wy - 5.0
        );
        let end = x(h.posterior.max(h.q95).max(h.mean)) + 8.0;
        s.push_str(&text(
            end,
            y + 19.0,
            "start",
            INK,
            &percent1_for_term(h.posterior),
            None,
        ));
    }
    let ly = bottom + 28.0;
    s.push_str(&rect(LABEL, ly - 10.0, 18.0, 12.0, colour(0)));
    s.push_str(&text(
        LABEL + 24.0,
        ly,
        "start",
        INK,
        "point posterior",
        None,
    ));
    s.push_str(&line(
        LABEL + 150.0,
        ly - 4.0,
        LABEL + 180.0,
        ly - 4.0,
        INK,
        1.5,
    ));
    s.push_str(&text(LABEL + 186.0, ly, "start", INK, "90% interval", None));
    let _ = write!(
        s,
        "<path d=\"M{:.1},{:.1} l5,5 l-5,5 l-5,-5 z\" fill=\"#fff\" stroke=\"{INK}\"/>",
        LABEL + 290.0,
        ly - 9.0
    );
    s.push_str(&text(LABEL + 300.0, ly, "start", INK, "mean", None));
    s.push_str(close());
    s
}

/// A step for axis ticks so that `span` holds at most about eight of them.
fn tick_step(span: f64) -> f64 {
    [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25]
        .into_iter()
        .find(|st| span / st <= 8.0)
        .unwrap_or(0.25)
}

/// The tornado (`chart-tornado`): for each quantity, the leader's posterior with it at the
/// low and at the high end of its range, around the point value `y_point`.
pub fn tornado_chart(bars: &[TornadoBar], y_point: f64, leader: &str) -> String {
    let id = "chart-tornado";
    let title = format!(
        "Tornado: the posterior of {leader} as each uncertain input moves across its range"
    );
    if bars.is_empty() {
        return empty(id, &title, "No quantity has a stated range.");
    }
    let (lo, hi) = bars.iter().fold((y_point, y_point), |(lo, hi), b| {
        (lo.min(b.y_low).min(b.y_high), hi.max(b.y_low).max(b.y_high))
    });
    let step = tick_step((hi - lo).max(0.01));
    let d0 = ((lo / step).floor() * step).max(0.0);
    let d1 = ((hi / step).ceil() * step).min(1.0).max(d0 + step);
    // Room on the right for the swing and who takes the lead.
    let x = scale(d0, d1, LABEL, WIDTH - 190.0);
    let (top, row) = (30.0, 28.0);
    let bottom = top + row * bars.len() as f64;
    let mut s = open(
        id,
        bottom + 44.0,
        &title,
        "Each bar spans the leader's posterior with one input at the low and at the high end \
         of its 90% range, all else at its point value; the vertical line is the point \
         posterior. Largest swing first.",
    );
    let n = ((d1 - d0) / step).round() as usize;
    let ticks: Vec<f64> = (0..=n).map(|i| d0 + step * i as f64).collect();
    s.push_str(&x_grid(&ticks, &x, top, bottom));
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        s.push_str(&text(
            LABEL - 8.0,
            y + 18.0,
            "end",
            INK,
            &truncate_middle(&quantity_label(&b.quantity), 40),
            Some(&b.quantity),
        ));
        let p = x(y_point);
        for (v, c) in [(b.y_low, PALETTE[1]), (b.y_high, PALETTE[0])] {
            let xv = x(v);
            s.push_str(&rect(p.min(xv), y + 6.0, (xv - p).abs(), 16.0, c));
        }
        let mut note = format!("{} pts", points1(b.swing));
        for (who, end) in [(&b.leader_low, "low"), (&b.leader_high, "high")] {
            if who != leader {
                note.push_str(&format!("; {who} leads at {end}"));
            }
        }
        let end = x(b.y_low.max(b.y_high)) + 6.0;
        s.push_str(&text(
            end,
            y + 18.0,
            "start",
            INK,
            &truncate(&note, 30),
            Some(&note),
        ));
    }
    s.push_str(&line(
        x(y_point),
        top - 2.0,
        x(y_point),
        bottom + 2.0,
        INK,
        2.0,
    ));
    let ly = bottom + 28.0;
    s.push_str(&rect(LABEL, ly - 10.0, 18.0, 12.0, PALETTE[1]));
    s.push_str(&text(
        LABEL + 24.0,
        ly,
        "start",
        INK,
        "input at low end",
        None,
    ));
    s.push_str(&rect(LABEL + 150.0, ly - 10.0, 18.0, 12.0, PALETTE[0]));
    s.push_str(&text(
        LABEL + 174.0,
        ly,
        "start",
        INK,
        "input at high end",
        None,
    ));
    s.push_str(&text(
        LABEL + 310.0,
        ly,
        "start",
        INK,
        &format!("| point {}", percent1(y_point)),
        None,
    ));
    s.push_str(close());
    s
}

/// The colour of a probability in the heat map: white (0) to dark blue (1).
fn heat(p: f64) -> String {
    let p = p.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * p).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(255.0, 8.0),
        mix(255.0, 48.0),
        mix(255.0, 107.0)
    )
}

/// The rank-probability matrix as a heat map (`chart-ranks`): row = hypothesis, column =
/// rank, cell = share of scenarios in which it takes that rank.
pub fn rank_heatmap(rows: &[RankedHypothesis]) -> String {
    let id = "chart-ranks";
    let title = "Probability of each rank across the Monte Carlo scenarios";
    let k = rows.iter().map(|h| h.rank_probs.len()).max().unwrap_or(0);
    if rows.is_empty() || k == 0 {
        return empty(id, title, "No rank probabilities.");
    }
    let (top, row) = (30.0, 30.0);
    let cell = ((WIDTH - RIGHT - LABEL) / k as f64).min(90.0);
    let mut s = open(
        id,
        top + row * rows.len() as f64 + 10.0,
        title,
        "Rows: hypotheses in point-rank order; columns: rank 1 (first) to last; darker cells \
         are more probable.",
    );
    // Narrow cells (many hypotheses): bare rank numbers and smaller figures.
    let narrow = cell < 56.0;
    for r in 0..k {
        let cx = LABEL + cell * (r as f64 + 0.5);
        let head = if narrow {
            (r + 1).to_string()
        } else {
            format!("rank {}", r + 1)
        };
        s.push_str(&text(cx, top - 8.0, "middle", INK, &head, None));
    }
    for (i, h) in rows.iter().enumerate() {
        let y = top + row * i as f64;
        s.push_str(&row_label(h, y));
        for (r, &p) in h.rank_probs.iter().enumerate() {
            let cx = LABEL + cell * r as f64;
            let _ = write!(
                s,
                "<rect x=\"{cx:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" \
                 stroke=\"#fff\" stroke-width=\"2\"/>",
                cell,
                row,
                heat(p)
            );
            let fill = if p > 0.5 { "#fff" } else { INK };
            if narrow {
                s.push_str("<g font-size=\"10\">");
            }
            s.push_str(&text(
                cx + cell / 2.0,
                y + 19.0,
                "middle",
                fill,
                &percent1(p),
                None,
            ));
            if narrow {
                s.push_str("</g>");
            }
        }
    }
    s.push_str(close());
    s
}

/// Which of the points at positions `px` (ascending) get a date label, so that labels are at
/// least `gap` apart: always the last (the latest state), the first when it fits, then the
/// others from left to right where they fit.
fn date_labels(px: &[f64], gap: f64) -> Vec<usize> {
    let Some(last) = px.len().checked_sub(1) else {
        return Vec::new();
    };
    let mut chosen = vec![last];
    let mut prev = f64::NEG_INFINITY;
    for (i, &p) in px.iter().enumerate().take(last) {
        if p - prev >= gap && px[last] - p >= gap {
            chosen.push(i);
            prev = p;
        }
    }
    chosen.sort_unstable();
    chosen
}

/// The timeline as lines (`chart-timeline`): one line per hypothesis, posterior against the
/// date (spaced by calendar time when every date parses), with a legend. `order` lists the
/// hypotheses (id, title) in rank order, which fixes each one's colour and dash pattern.
pub fn timeline_chart(points: &[TimelinePoint], order: &[(&str, &str)]) -> String {
    let id = "chart-timeline";
    let title = "Timeline: the posterior of each hypothesis as the evidence arrived";
    if points.is_empty() {
        return empty(id, title, "No dated evidence.");
    }
    // Dates are evenly spaced in order, not to scale: reporting comes in bursts (a year
    // between the first two dates of the bundled case, days between the others), and the
    // analyst reads the sequence of updates.
    let xs: Vec<f64> = (0..points.len()).map(|i| i as f64).collect();
    let (left, top, plot_h) = (60.0, 34.0, 260.0);
    let (x0, x1) = (left + 40.0, WIDTH - 60.0);
    let x = scale(xs[0], xs[xs.len() - 1], x0, x1);
    // The y axis runs to the next tenth above the largest posterior shown (at most 100%),
    // so lines that stay below 40% use the whole height.
    let highest = points
        .iter()
        .flat_map(|p| p.posteriors.iter().map(|(_, v)| *v))
        .fold(0.0f64, f64::max);
    let y_top = ((highest * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let y = scale(0.0, y_top, top + plot_h, top);
    let legend_top = top + plot_h + 50.0;
    let legend_rows = order.len().div_ceil(2);
    let mut s = open(
        id,
        legend_top + 22.0 * legend_rows as f64 + 6.0,
        title,
        "Lines: posterior of each hypothesis after the evidence dated up to each date (plus \
         undated evidence); dates evenly spaced in order. Legend below.",
    );
    // Grid lines every 10% (every 20% above 50%, where the top allows), ending at the top.
    let tenths = (y_top * 10.0).round() as usize;
    let step = if tenths > 5 && tenths.is_multiple_of(2) {
        2
    } else {
        1
    };
    for t in (0..=tenths).step_by(step).map(|i| i as f64 / 10.0) {
        s.push_str(&line(left, y(t), WIDTH - 20.0, y(t), GRID, 1.0));
        s.push_str(&text(
            left - 6.0,
            y(t) + 4.0,
            "end",
            INK,
            &tick_label(t),
            None,
        ));
    }
    for &v in &xs {
        s.push_str(&line(
            x(v),
            top + plot_h,
            x(v),
            top + plot_h + 5.0,
            INK,
            1.0,
        ));
    }
    for i in date_labels(&xs.iter().map(|&v| x(v)).collect::<Vec<_>>(), 90.0) {
        s.push_str(&text(
            x(xs[i]),
            top + plot_h + 20.0,
            "middle",
            INK,
            &points[i].date,
            None,
        ));
    }
    for (k, (hid, htitle)) in order.iter().enumerate() {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.posteriors
                    .iter()
                    .find(|(id, _)| id == hid)
                    .map(|(_, v)| (x(xs[i]), y(*v)))
            })
            .collect();
        let _ = write!(s, "<g><title>{}</title>", escape(htitle));
        if pts.len() > 1 {
            s.push_str(&polyline(&pts, colour(k), dash(k)));
        }
        for &(px, py) in &pts {
            s.push_str(&circle(px, py, 3.5, colour(k)));
        }
        s.push_str("</g>");
        let lx = if k % 2 == 0 { left } else { left + 350.0 };
        let ly = legend_top + 22.0 * (k / 2) as f64;
        let _ = write!(
            s,
            "<line x1=\"{lx:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" \
             stroke-width=\"2.5\"{}/>",
            ly - 4.0,
            lx + 30.0,
            ly - 4.0,
            colour(k),
            if dash(k).is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{}\"", dash(k))
            }
        );
        s.push_str(&text(
            lx + 36.0,
            ly,
            "start",
            INK,
            &truncate(htitle, 42),
            Some(htitle),
        ));
    }
    s.push_str(&text(
        left - 50.0,
        top - 18.0,
        "start",
        INK,
        "posterior",
        None,
    ));
    s.push_str(close());
    s
}

/// The label of a hypothesis row, "rank. title", right-aligned before the plot area
/// (truncated to 40 characters, the full title as a tooltip).
fn row_label(h: &RankedHypothesis, y: f64) -> String {
    let label = format!("{}. {}", h.rank, h.title);
    text(
        LABEL - 8.0,
        y + 19.0,
        "end",
        INK,
        &truncate(&label, 40),
        Some(&label),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_truncated() {
        assert_eq!(
            escape(r#"<a & 'b' "c">"#),
            "&lt;a &amp; &#39;b&#39; &quot;c&quot;&gt;"
        );
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdefg", 6), "abcde…");
        // max 10: tail (10 − 1)·2/3 = 6 characters, head 10 − 1 − 6 = 3.
        assert_eq!(truncate_middle("evidence.arsenal.weight", 10), "evi…weight");
        assert_eq!(truncate_middle("short", 10), "short");
        // Twelve different dashes; colours cycle by eight, so (colour, dash) pairs repeat
        // only after 24 hypotheses.
        let pairs: std::collections::HashSet<_> = (0..24).map(|i| (colour(i), dash(i))).collect();
        assert_eq!(pairs.len(), 24);
        let dashes: std::collections::HashSet<_> = (0..12).map(dash).collect();
        assert_eq!(dashes.len(), 12);
        assert_eq!(
            quantity_label("evidence.shohin-chinese-hq.likelihood.etim"),
            "shohin-chinese-hq: ℓ(etim)"
        );
        assert_eq!(
            quantity_label("evidence.no-claim.weight"),
            "no-claim: weight"
        );
        assert_eq!(quantity_label("hypothesis.isk.prior"), "prior of isk");
        assert_eq!(quantity_label("odd"), "odd");
        assert_eq!(
            text(1.0, 2.0, "end", "#000", "x<y", Some("a&b")),
            "<text x=\"1.0\" y=\"2.0\" text-anchor=\"end\" fill=\"#000\"><title>a&amp;b</title>\
             x&lt;y</text>"
        );
    }

    #[test]
    fn heat_runs_from_white_to_dark_blue() {
        assert_eq!(heat(0.0), "#ffffff");
        assert_eq!(heat(1.0), "#08306b");
        // p = 0.5: (255 + 8)/2 = 131.5 → 132 = 0x84; (255 + 48)/2 = 151.5 → 152 = 0x98;
        // (255 + 107)/2 = 181 = 0xb5.
        assert_eq!(heat(0.5), "#8498b5");
        assert_eq!(heat(2.0), "#08306b");
    }

    #[test]
    fn date_labels_keep_the_latest_and_their_distance() {
        // Last always; first when 90 from the last; 50 is too close to 0; 100 fits.
        assert_eq!(date_labels(&[0.0, 50.0, 100.0, 300.0], 90.0), [0, 2, 3]);
        // 250 is too close to the last (300).
        assert_eq!(date_labels(&[0.0, 250.0, 300.0], 90.0), [0, 2]);
        // The first is too close to the last: only the last.
        assert_eq!(date_labels(&[0.0, 80.0], 90.0), [1]);
        assert_eq!(date_labels(&[5.0], 90.0), [0]);
        assert!(date_labels(&[], 90.0).is_empty());
    }

    #[test]
    fn tick_steps_keep_at_most_eight_ticks() {
        assert_eq!(tick_step(0.3), 0.05); // 0.3/0.025 = 12 > 8, 0.3/0.05 = 6
        assert_eq!(tick_step(0.04), 0.005);
        assert_eq!(tick_step(1.0), 0.2); // 1/0.1 = 10 > 8, 1/0.2 = 5
    }
}
