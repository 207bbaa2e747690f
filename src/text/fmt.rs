//! The number formats of every human-facing output (Markdown and HTML), in one place, so
//! that `score`, the sweeps, the indicators and the report write the same number the same
//! way (`docs/report.md`, "Numbers"):
//!
//! - a negative number carries the true minus sign `−` (U+2212), never the hyphen;
//! - probabilities are percentages: one decimal in tables ([`percent1`]), whole in sentences
//!   ([`percent`]), never rounded to 0% or 100% when they are not;
//! - weights of evidence are signed decibans with one decimal ([`db`]);
//! - weight multipliers are written `0.4×` ([`multiplier`]);
//! - counts have thousands separators ([`thousands`]).
//!
//! JSON and CSV do not use this module: they keep shortest round-trip numbers.

/// The minus sign of every human-facing number (U+2212).
pub const MINUS: char = '−';

/// `s` with a leading ASCII hyphen replaced by the minus sign.
fn minus(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) => format!("{MINUS}{rest}"),
        None => s,
    }
}

/// `x` with `decimals` decimals and the true minus sign; a value that rounds to zero is
/// written without a sign (`0.00`, never `−0.00`).
pub fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return s.trim_start_matches('-').to_string();
    }
    minus(s)
}

/// A signed number of decibans: one decimal (`+3.2`, `−1.0`), three below 0.05 in size
/// (`+0.006`) so that a non-zero weight never reads `+0.0`; exactly zero is `0.0`.
pub fn db(x: f64) -> String {
    if x == 0.0 {
        return "0.0".to_string();
    }
    let s = if x.abs() < 0.05 {
        format!("{x:+.3}")
    } else {
        format!("{x:+.1}")
    };
    minus(s)
}

/// [`db`] of an optional value, `—` when absent (e.g. no live runner-up).
pub fn db_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), db)
}

/// A probability as a whole percentage: `0.64 → "64%"` (half away from zero); a non-zero
/// value that would round to 0% is `"<1%"`, one below 1 that would round to 100% `">99%"`.
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

/// The edges of the ICD 203 estimative scale, in percent (`docs/model.md`, §6).
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

/// A 90% interval as `"48–77%"` (en dash), with the same rounding as [`percent`]; one
/// value when both ends show the same (`">99%"`, not `">99–>99%"`).
pub fn percent_range(lo: f64, hi: f64) -> String {
    range_of(percent(lo), percent(hi))
}

/// A 90% interval in a table, one decimal each: `"13.9–64.0%"`; one value when both ends
/// show the same (a family of every hypothesis: `">99.9%"`).
pub fn percent1_range(lo: f64, hi: f64) -> String {
    range_of(percent1(lo), percent1(hi))
}

fn range_of(lo: String, hi: String) -> String {
    if lo == hi {
        hi
    } else {
        format!("{}–{hi}", lo.trim_end_matches('%'))
    }
}

/// A difference of two probabilities in percentage points, one decimal: `0.32 → "32.0"`
/// (a tornado swing: 24.5% → 56.5% is a swing of 32.0 points, not of 32%).
pub fn points1(d: f64) -> String {
    fixed(d * 100.0, 1)
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

/// A plain quantity (a range end, a likelihood, a weight) as a short number: up to 3
/// decimals, trailing zeros dropped, the true minus sign: `0.850 → "0.85"`, `-2 → "−2"`.
pub fn num(x: f64) -> String {
    let s = fixed(x, 3);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == format!("{MINUS}0") {
        "0".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_minus_sign_everywhere() {
        assert_eq!(db(-3.21), "−3.2");
        assert_eq!(db(3.21), "+3.2");
        assert_eq!(db(0.0), "0.0");
        assert_eq!(db(-0.0), "0.0");
        // Small but not zero: three decimals, never "+0.0".
        assert_eq!(db(0.006), "+0.006");
        assert_eq!(db_opt(None), "—");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(-1.5, 2), "−1.50");
        assert_eq!(num(-2.0), "−2");
        assert_eq!(num(0.850), "0.85");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(points1(-0.0612), "−6.1");
        assert_eq!(percent1_range(0.139, 0.64), "13.9–64.0%");
        // Both ends the same on screen: one value, never ">99.9%–>99.9%".
        assert_eq!(percent1_range(0.999_95, 1.0 - 1e-16), ">99.9%");
        assert_eq!(percent1_range(0.2501, 0.2504), "25.0%");
        assert_eq!(percent_range(0.0001, 0.004), "<1%");
        assert_eq!(percent_range(0.0001, 0.3), "<1–30%");
    }
}
