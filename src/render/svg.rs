//! Inline SVG charts for the HTML report, written by hand: small functions that return SVG
//! strings, composed into four charts. All text is escaped; no chart refers to anything
//! outside itself (no fonts, images or scripts), so a page that inlines them is
//! self-contained.
//!
//! Colours follow the Okabe–Ito palette (readable with colour-blindness); the timeline also
//! varies the dash pattern so it stays readable when printed in grey.

use std::fmt::Write;

use crate::report::{RankedHypothesis, TimelinePoint, TornadoBar};
use crate::text::fmt::{percent1, percent1_for_term, points1};

/// The SVG namespace, the only URL a chart contains.
pub const XMLNS: &str = "http://www.w3.org/2000/svg";

/// Width of every chart in SVG user units (it scales to the page width).
pub const WIDTH: f64 = 760.0;

/// Okabe–Ito colours (readable with colour-blindness): blue, vermillion, green, purple,
/// orange, sky blue, grey, yellow. The tornado uses vermillion (low end) and blue (high end).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C8C8C", "#F0E442",
];

/// The leader's colour in every chart.
pub const LEADER: &str = "#0072B2";
/// The colour of every other hypothesis in the bar charts.
pub const OTHER: &str = "#A9B4BE";

/// How many hypotheses the timeline draws one by one; the rest are summed as "others".
pub const TIMELINE_LINES: usize = 3;

/// The timeline's line styles (colour, dash) for the leader, the next two, and "others":
/// they differ in dash as well as colour, so they read in grey print.
pub const TIMELINE_STYLES: [(&str, &str); 4] = [
    ("#0072B2", ""),
    ("#D55E00", "8 4"),
    ("#009E73", "2 3"),
    ("#8C8C8C", "4 2 1 2"),
];

const LABEL: f64 = 290.0;
const RIGHT: f64 = 60.0;
const INK: &str = "#222";
const GRID: &str = "#ccc";

pub use crate::text::markup::escape_html as escape;

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

/// The colour of the hypothesis at `index` (rank order): the leader in [`LEADER`], the
/// others in [`OTHER`].
pub fn colour(index: usize) -> &'static str {
    if index == 0 { LEADER } else { OTHER }
}

/// `s` broken into lines of at most `width` characters at spaces (a longer word gets a line
/// of its own); never cut.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Text at (x, y) on several lines, `step` apart (SVG `<tspan>`s).
pub fn text_lines(x: f64, y: f64, anchor: &str, lines: &[String], step: f64) -> String {
    let mut s = format!("<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"{INK}\">");
    for (i, l) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { step };
        let _ = write!(s, "<tspan x=\"{x:.1}\" dy=\"{dy}\">{}</tspan>", escape(l));
    }
    s.push_str("</text>");
    s
}

/// A tornado quantity in words shorter than its docs/reference.md §6 path, so that labels stay readable:
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
    let top = 30.0;
    let layout = row_layout(rows, top);
    let bottom = layout.last().map_or(top, |(y, h, _)| y + h);
    let x = scale(0.0, 1.0, LABEL, WIDTH - RIGHT);
    let mut s = open(
        id,
        bottom + 44.0,
        title,
        "Horizontal bars: point posterior, the leader in blue and the others in grey; black \
         whiskers: 5th to 95th percentile across the Monte Carlo scenarios; diamond: Monte \
         Carlo mean.",
    );
    s.push_str(&x_grid(&[0.0, 0.25, 0.5, 0.75, 1.0], &x, top, bottom));
    for (i, (h, (row_y, row_h, label))) in rows.iter().zip(&layout).enumerate() {
        s.push_str(&label_text(label, *row_y, *row_h));
        // The bar sits in the middle of its row.
        let y = row_y + (row_h - 30.0) / 2.0;
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
    s.push_str(&rect(LABEL - 150.0, ly - 10.0, 18.0, 12.0, LEADER));
    s.push_str(&text(LABEL - 126.0, ly, "start", INK, "leader", None));
    s.push_str(&rect(LABEL - 70.0, ly - 10.0, 18.0, 12.0, OTHER));
    s.push_str(&text(LABEL - 46.0, ly, "start", INK, "others", None));
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
    let top = 30.0;
    let layout = row_layout(rows, top);
    let bottom = layout.last().map_or(top, |(y, h, _)| y + h);
    let cell = ((WIDTH - RIGHT - LABEL) / k as f64).min(90.0);
    let mut s = open(
        id,
        bottom + 10.0,
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
    for (h, (y, row, label)) in rows.iter().zip(&layout) {
        let (y, row) = (*y, *row);
        s.push_str(&label_text(label, y, row));
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
                y + row / 2.0 + 4.0,
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

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (H. Hinnant's `days_from_civil`); `None`
/// when it does not parse.
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A gap between dated points wide enough to break the time axis: more than 60 days and
/// more than a third of the whole span.
pub const BREAK_MIN_DAYS: i64 = 60;

/// Width of a break in the time axis, in SVG units.
const BREAK_WIDTH: f64 = 90.0;

/// The x position of each point on a time axis from `x0` to `x1`: dates to scale, except
/// that each gap of more than [`BREAK_MIN_DAYS`] and a third of the span is cut out and
/// drawn as a break `BREAK_WIDTH` wide. Returns the positions and the breaks (index of
/// the point before the gap). Dates that do not parse, or one date, fall back to even
/// spacing with no break.
pub fn time_axis(dates: &[&str], x0: f64, x1: f64) -> (Vec<f64>, Vec<usize>) {
    let n = dates.len();
    let days: Option<Vec<i64>> = dates.iter().map(|d| day_number(d)).collect();
    let even = || {
        let x = scale(0.0, (n.max(2) - 1) as f64, x0, x1);
        ((0..n).map(|i| x(i as f64)).collect(), Vec::new())
    };
    let Some(days) = days.filter(|d| n > 1 && d.windows(2).all(|w| w[0] <= w[1])) else {
        return even();
    };
    let span = days[n - 1] - days[0];
    if span == 0 {
        return even();
    }
    let breaks: Vec<usize> = (0..n - 1)
        .filter(|&i| {
            let gap = days[i + 1] - days[i];
            gap > BREAK_MIN_DAYS && 3 * gap > span
        })
        .collect();
    let kept: i64 = span - breaks.iter().map(|&i| days[i + 1] - days[i]).sum::<i64>();
    let room = x1 - x0 - BREAK_WIDTH * breaks.len() as f64;
    let mut xs = vec![x0];
    for i in 0..n - 1 {
        let step = if breaks.contains(&i) {
            BREAK_WIDTH
        } else if kept > 0 {
            room * (days[i + 1] - days[i]) as f64 / kept as f64
        } else {
            0.0
        };
        xs.push(xs[i] + step);
    }
    // Only breaks and no kept time (every segment a single date): centre what is drawn.
    if kept == 0 {
        let shift = (x1 - xs[n - 1]) / 2.0;
        xs.iter_mut().for_each(|x| *x += shift);
    }
    (xs, breaks)
}

/// A gap in words: "12 months", "75 days".
fn gap_words(days: i64) -> String {
    let months = (days as f64 / 30.44).round() as i64;
    if days >= 90 {
        format!("{months} months")
    } else {
        format!("{days} days")
    }
}

/// The timeline as lines (`chart-timeline`): the posterior of the [`TIMELINE_LINES`]
/// first hypotheses of `order` (id, title; rank order) against the date, and the others
/// summed as one line, on a time axis to scale whose long gaps are shown as breaks
/// ([`time_axis`]). A legend below names every line in full.
pub fn timeline_chart(points: &[TimelinePoint], order: &[(&str, &str)]) -> String {
    let id = "chart-timeline";
    let title = "Timeline: the posterior of the leading hypotheses as the evidence arrived";
    if points.is_empty() {
        return empty(id, title, "No dated evidence.");
    }
    // Lines: the first three hypotheses, then the others summed (when there are two or
    // more of them; a single other is drawn as itself).
    let drawn = if order.len() <= TIMELINE_LINES + 1 {
        order.len()
    } else {
        TIMELINE_LINES
    };
    let value = |p: &TimelinePoint, ids: &[&str]| -> Option<f64> {
        let vals: Vec<f64> = ids
            .iter()
            .filter_map(|h| {
                p.posteriors
                    .0
                    .iter()
                    .find(|(id, _)| id == h)
                    .map(|(_, v)| *v)
            })
            .collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let mut series: Vec<(String, Vec<&str>)> = order[..drawn]
        .iter()
        .map(|(hid, htitle)| (format!("{htitle} ({hid})"), vec![*hid]))
        .collect();
    if drawn < order.len() {
        let rest: Vec<&str> = order[drawn..].iter().map(|(h, _)| *h).collect();
        series.push((
            format!(
                "the other {} hypotheses, summed ({})",
                rest.len(),
                rest.join(", ")
            ),
            rest,
        ));
    }

    let (left, top, plot_h) = (60.0, 34.0, 250.0);
    let (x0, x1) = (left + 30.0, WIDTH - 40.0);
    let dates: Vec<&str> = points.iter().map(|p| p.date.as_str()).collect();
    let (xs, breaks) = time_axis(&dates, x0, x1);
    let highest = points
        .iter()
        .flat_map(|p| series.iter().filter_map(|(_, ids)| value(p, ids)))
        .fold(0.0f64, f64::max);
    let y_top = ((highest * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let y = scale(0.0, y_top, top + plot_h, top);
    let legend_top = top + plot_h + 58.0;
    let legend: Vec<Vec<String>> = series.iter().map(|(name, _)| wrap(name, 100)).collect();
    let legend_h: f64 = legend.iter().map(|l| 16.0 * l.len() as f64 + 6.0).sum();
    let mut s = open(
        id,
        legend_top + legend_h + 4.0,
        title,
        "Lines: posterior of the leading hypotheses after the evidence dated up to each date \
         (plus undated evidence), the others summed; dates to scale, long gaps in the record \
         shown as breaks in the axis. Legend below.",
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
    for &px in &xs {
        s.push_str(&line(px, top + plot_h, px, top + plot_h + 5.0, INK, 1.0));
    }
    for i in date_labels(&xs, 90.0) {
        s.push_str(&text(
            xs[i],
            top + plot_h + 20.0,
            "middle",
            INK,
            &points[i].date,
            None,
        ));
    }
    for (k, (name, ids)) in series.iter().enumerate() {
        let (colour, dash) = TIMELINE_STYLES[k.min(TIMELINE_STYLES.len() - 1)];
        let pts: Vec<(f64, f64)> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| value(p, ids).map(|v| (xs[i], y(v))))
            .collect();
        let _ = write!(s, "<g><title>{}</title>", escape(name));
        if pts.len() > 1 {
            s.push_str(&polyline(&pts, colour, dash));
        }
        for &(px, py) in &pts {
            s.push_str(&circle(px, py, 3.5, colour));
        }
        s.push_str("</g>");
    }
    // The breaks: a shaded band over the cut-out time (the lines show through, faded), with
    // the length of the gap, and a zig-zag on the axis.
    for &i in &breaks {
        let (a, b) = (xs[i] + 8.0, xs[i + 1] - 8.0);
        let gap = match (day_number(&points[i].date), day_number(&points[i + 1].date)) {
            (Some(d0), Some(d1)) => gap_words(d1 - d0),
            _ => String::new(),
        };
        let _ = write!(
            s,
            "<rect x=\"{a:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{plot_h:.1}\" \
             fill=\"#eeeeee\" fill-opacity=\"0.8\"/>",
            b - a
        );
        let mid = (a + b) / 2.0;
        let ay = top + plot_h;
        let _ = write!(
            s,
            "<path d=\"M{:.1},{:.1} l4,-6 l4,12 l4,-6\" fill=\"none\" stroke=\"{INK}\" \
             stroke-width=\"1.2\"/>",
            mid - 6.0,
            ay
        );
        let _ = write!(s, "<g font-size=\"11\">");
        s.push_str(&text_lines(
            mid,
            top + 14.0,
            "middle",
            &["no dated".to_string(), "evidence,".to_string(), gap],
            13.0,
        ));
        s.push_str("</g>");
    }
    let mut ly = legend_top;
    for (k, lines) in legend.iter().enumerate() {
        let (colour, dash) = TIMELINE_STYLES[k.min(TIMELINE_STYLES.len() - 1)];
        let _ = write!(
            s,
            "<line x1=\"{left:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{colour}\" \
             stroke-width=\"2.5\"{}/>",
            ly - 4.0,
            left + 34.0,
            ly - 4.0,
            if dash.is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{dash}\"")
            }
        );
        s.push_str(&text_lines(left + 42.0, ly, "start", lines, 16.0));
        ly += 16.0 * lines.len() as f64 + 6.0;
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

/// Characters per line of a row label (the label column is [`LABEL`] units wide).
const LABEL_CHARS: usize = 40;

/// The rows of a hypothesis chart from `top`: (y, height, label lines) each. The label is
/// "rank. title (id)", wrapped whole at [`LABEL_CHARS`]; a row is 30 units high, more when
/// its label needs more than one line (15 units a line).
fn row_layout(rows: &[RankedHypothesis], top: f64) -> Vec<(f64, f64, Vec<String>)> {
    let mut y = top;
    rows.iter()
        .map(|h| {
            let lines = wrap(&format!("{}. {} ({})", h.rank, h.title, h.id), LABEL_CHARS);
            let height = (15.0 * lines.len() as f64 + 8.0).max(30.0);
            let row = (y, height, lines);
            y += height;
            row
        })
        .collect()
}

/// A row label, right-aligned before the plot area and centred on its row.
fn label_text(lines: &[String], y: f64, height: f64) -> String {
    let first = y + height / 2.0 + 4.0 - 7.5 * (lines.len() as f64 - 1.0);
    text_lines(LABEL - 8.0, first, "end", lines, 15.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::explain::HypMap;

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
        // Colour with meaning: the leader one hue, every other hypothesis another.
        assert_eq!(colour(0), LEADER);
        assert!((1..12).all(|i| colour(i) == OTHER));
        // Labels are wrapped whole, never cut.
        assert_eq!(
            wrap("Local Taliban units acting outside Kabul's control", 20),
            ["Local Taliban units", "acting outside", "Kabul's control"]
        );
        assert_eq!(
            wrap("a-very-long-identifier x", 5),
            ["a-very-long-identifier", "x"]
        );
        assert_eq!(wrap("", 5), [""]);
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
    fn the_time_axis_is_to_scale_with_long_gaps_cut() {
        // 2024-11-26 is day 20053 (2024-01-01 = 19723, + 330); 2025-11-30 is 20422;
        // 2025-12-24 is 20446.
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2024-11-26"), Some(20_053));
        assert_eq!(day_number("2025-11-30"), Some(20_422));
        assert_eq!(day_number("2025-12-24"), Some(20_446));
        assert_eq!(day_number("2025-13-01"), None);
        // Gaps 369 and 24 days of a 393-day span: the first (> 60 days, > 393/3) is a break
        // of 90 units; the 24 days kept fill the rest: 100 → 100 + 90 = 190 → 400.
        let (xs, breaks) = time_axis(&["2024-11-26", "2025-11-30", "2025-12-24"], 100.0, 400.0);
        assert_eq!(breaks, [0]);
        assert_eq!(xs, [100.0, 190.0, 400.0]);
        // No long gap: to scale. 10 and 30 days: 0, 25%, 100%.
        let (xs, breaks) = time_axis(&["2025-01-01", "2025-01-11", "2025-02-10"], 0.0, 400.0);
        assert!(breaks.is_empty());
        assert_eq!(xs, [0.0, 100.0, 400.0]);
        // Dates that do not parse: evenly spaced.
        let (xs, _) = time_axis(&["x", "y", "z"], 0.0, 400.0);
        assert_eq!(xs, [0.0, 200.0, 400.0]);
        assert_eq!(gap_words(369), "12 months");
        assert_eq!(gap_words(75), "75 days");
    }

    #[test]
    fn the_timeline_draws_three_lines_and_sums_the_others() {
        let point = |date: &str, p: [f64; 5]| TimelinePoint {
            date: date.into(),
            posteriors: HypMap(
                ["a", "b", "c", "d", "e"]
                    .iter()
                    .zip(p)
                    .map(|(id, v)| (id.to_string(), v))
                    .collect(),
            ),
        };
        let points = [
            point("2024-01-01", [0.2, 0.2, 0.2, 0.2, 0.2]),
            point("2025-01-01", [0.4, 0.3, 0.1, 0.15, 0.05]),
            point("2025-01-11", [0.5, 0.3, 0.1, 0.05, 0.05]),
        ];
        let order = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"), ("e", "E")];
        let svg = timeline_chart(&points, &order);
        // Three hypotheses and "others" (d + e): four lines.
        assert_eq!(svg.matches("<polyline").count(), 4);
        assert!(svg.contains("<title>the other 2 hypotheses, summed (d, e)</title>"));
        // The y axis runs to the next tenth above the largest value drawn (0.5 → 50%), so
        // the others' first point, 0.2 + 0.2 = 0.4, sits at 4/5 of the 250-unit plot height
        // above its foot (34 + 250 = 284): 284 − 200 = 84.
        let others = &svg[svg.find("summed (d, e)").unwrap()..];
        assert!(others.contains("points=\"90.0,84.0 "), "{others}");
        // 366 days then 10: the first gap is a break, shaded and labelled.
        assert!(svg.contains("fill=\"#eeeeee\""));
        assert!(svg.contains("<tspan x=\"135.0\" dy=\"13\">12 months</tspan>"));
        // Four hypotheses or fewer are all drawn.
        let svg = timeline_chart(&points, &order[..4]);
        assert_eq!(svg.matches("<polyline").count(), 4);
        assert!(!svg.contains("hypotheses, summed"));
    }

    #[test]
    fn tick_steps_keep_at_most_eight_ticks() {
        assert_eq!(tick_step(0.3), 0.05); // 0.3/0.025 = 12 > 8, 0.3/0.05 = 6
        assert_eq!(tick_step(0.04), 0.005);
        assert_eq!(tick_step(1.0), 0.2); // 1/0.1 = 10 > 8, 1/0.2 = 5
    }
}
