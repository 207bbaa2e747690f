//! The values of a case: one set of rules for a valid quantity (docs/format.md, "Numbers and
//! ranges"), the 90% [`Range`], Heuer's [`Rating`]s and the scales of docs/reference.md §2
//! (labels, ratings, the Admiralty mapping).
//!
//! Every number or range that enters a [`Case`](crate::case::Case) — read from a case file,
//! set by a what-if (`--set`, `--overlay`), written by `abduce tune` or brought in by an
//! importer — is built here, so it is accepted or refused by the same rule and with the same
//! words wherever it comes from:
//!
//! | [`Domain`] | point ([`Domain::point`]) | range ([`Domain::range`]) | used for |
//! |---|---|---|---|
//! | `Probability` | 0 ≤ x ≤ 1 | 0 < lo ≤ hi < 1 | likelihood cells, credibilities (and for points: correlations, hit and false-alarm rates, Admiralty values) |
//! | `Weight` | 0 ≤ w ≤ 1e6 | 0 < lo ≤ hi ≤ 1e6, hi/lo ≤ 1e6 | evidence weights |
//! | `Prior` | 0 < w ≤ 1e6 | as `Weight` | prior weights |
//!
//! A [`ValueError`] says why a value was refused; [`ValueError::message`] words it for the
//! quantity's name (`weight` in a case file, `evidence.x.weight` in a what-if). The
//! [`Case`](crate::case::Case) keeps plain numbers: every way into it goes through these
//! constructors, so they hold valid values by construction.
//!
//! [`Domain::shift`] moves a range with its point, as a what-if does (docs/model.md,
//! "What-ifs move their ranges").

use super::messages::msg;
use std::fmt;

/// The largest weight or prior weight, and the largest hi/lo of a weight range.
pub const MAX_WEIGHT: f64 = 1e6;

/// Why a number or a range is not a valid value of its quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueError {
    /// The number is NaN.
    NaN,
    /// The number is infinite.
    Infinite,
    /// The number is outside the domain of its quantity.
    OutOfBounds {
        /// The number.
        x: f64,
        /// The domain it left.
        domain: Domain,
    },
    /// A range with lo > hi.
    Reversed(Range),
    /// A probability range that does not lie strictly between 0 and 1.
    NotOpenUnit(Range),
    /// A weight range whose lo is not above 0.
    NotPositive(Range),
    /// A weight range with hi above 1e6.
    AboveMax(Range),
    /// A weight range with hi/lo above 1e6.
    TooWide(Range),
    /// A point outside its range.
    Outside {
        /// The point.
        x: f64,
        /// The range.
        range: Range,
    },
}

impl ValueError {
    /// The message for a quantity called `name` whose range (for [`ValueError::Outside`]) is
    /// called `range_name`, e.g. (`weight`, `weight_range`).
    pub fn message(&self, name: &str, range_name: &str) -> String {
        match *self {
            ValueError::NaN => msg::nan(name),
            ValueError::Infinite => msg::infinite(name),
            ValueError::OutOfBounds { x, domain } => msg::out_of_range(name, x, domain.rule()),
            ValueError::Reversed(r)
            | ValueError::NotOpenUnit(r)
            | ValueError::NotPositive(r)
            | ValueError::AboveMax(r)
            | ValueError::TooWide(r) => {
                format!("`{name}` {} {}", msg::range(r.lo, r.hi), self.reason())
            }
            ValueError::Outside { x, range } => {
                msg::outside_range(name, x, range_name, range.lo, range.hi)
            }
        }
    }

    /// What is wrong, without the quantity's name ("has lo > hi").
    pub fn reason(&self) -> String {
        match *self {
            ValueError::NaN => "is NaN; numbers must be finite".into(),
            ValueError::Infinite => "is infinite; numbers must be finite".into(),
            ValueError::OutOfBounds { domain, .. } => format!("must be {}", domain.rule()),
            ValueError::Reversed(_) => "has lo > hi".into(),
            ValueError::NotOpenUnit(_) => {
                "must lie strictly between 0 and 1 (0 < lo <= hi < 1)".into()
            }
            ValueError::NotPositive(_) => "must have lo > 0".into(),
            ValueError::AboveMax(_) => "must have hi <= 1e6 (the largest weight)".into(),
            ValueError::TooWide(_) => "is too wide: hi/lo must be at most 1e6".into(),
            ValueError::Outside { range, .. } => {
                format!("lies outside its range {}", msg::range(range.lo, range.hi))
            }
        }
    }
}

/// The kind of number a quantity holds, and so its rules and its scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// A probability in [0, 1]; its ranges lie in (0, 1); its scale is the logit.
    Probability,
    /// An evidence weight in [0, 1e6]; its ranges lie in (0, 1e6]; its scale is ln.
    Weight,
    /// A prior weight in (0, 1e6]; its ranges lie in (0, 1e6]; its scale is ln.
    Prior,
}

fn finite(x: f64) -> Result<f64, ValueError> {
    if x.is_nan() {
        Err(ValueError::NaN)
    } else if x.is_infinite() {
        Err(ValueError::Infinite)
    } else {
        Ok(x)
    }
}

impl Domain {
    /// The rule, as written in messages ("in [0, 1]").
    pub fn rule(self) -> &'static str {
        match self {
            Domain::Probability => "in [0, 1]",
            Domain::Weight => "at least 0 and at most 1e6",
            Domain::Prior => "greater than 0 and at most 1e6",
        }
    }

    /// `x` when it is a valid point of this domain.
    ///
    /// # Errors
    /// [`ValueError::NaN`], [`ValueError::Infinite`] or [`ValueError::OutOfBounds`].
    pub fn point(self, x: f64) -> Result<f64, ValueError> {
        let x = finite(x)?;
        let ok = match self {
            Domain::Probability => (0.0..=1.0).contains(&x),
            Domain::Weight => (0.0..=MAX_WEIGHT).contains(&x),
            Domain::Prior => x > 0.0 && x <= MAX_WEIGHT,
        };
        if ok {
            Ok(x)
        } else {
            Err(ValueError::OutOfBounds { x, domain: self })
        }
    }

    /// `[lo, hi]` when it is a valid range of this domain.
    ///
    /// # Errors
    /// A non-finite bound, lo > hi, a probability range not strictly inside (0, 1), a weight
    /// range with lo ≤ 0, hi > 1e6 or hi/lo > 1e6.
    pub fn range(self, lo: f64, hi: f64) -> Result<Range, ValueError> {
        let r = Range {
            lo: finite(lo)?,
            hi: finite(hi)?,
        };
        if lo > hi {
            return Err(ValueError::Reversed(r));
        }
        match self {
            Domain::Probability if lo <= 0.0 || hi >= 1.0 => Err(ValueError::NotOpenUnit(r)),
            Domain::Probability => Ok(r),
            _ if lo <= 0.0 => Err(ValueError::NotPositive(r)),
            _ if hi > MAX_WEIGHT => Err(ValueError::AboveMax(r)),
            _ if hi / lo > MAX_WEIGHT => Err(ValueError::TooWide(r)),
            _ => Ok(r),
        }
    }

    /// Whether `x` is on the edge of the domain, where a quantity cannot vary: a probability
    /// of 0 or 1, a weight of 0. A what-if to an edge value fixes the quantity.
    pub fn is_edge(self, x: f64) -> bool {
        match self {
            Domain::Probability => x == 0.0 || x == 1.0,
            Domain::Weight => x == 0.0,
            Domain::Prior => false,
        }
    }

    /// The range `r` around the point `p` moved with the point to `v`, keeping its width on
    /// the quantity's own scale g (logit for probabilities, ln for weights):
    /// lo' = g⁻¹(g(lo) + g(v) − g(p)), hi' likewise (docs/model.md, "What-ifs move their
    /// ranges"). Computed without exp, ln or logit, so that simple cases give simple numbers:
    /// on the ln scale lo' = lo·v/p; on the logit scale the odds multiply,
    /// lo' = a/(a + b) with a = lo·v·(1 − p) and b = (1 − lo)·(1 − v)·p.
    ///
    /// The moved bounds are rounded to 15 significant digits, so that a file written by
    /// `abduce tune` reads `1.05`, not `1.0499999999999998` (1.5 × 0.7 in binary floating
    /// point); the what-ifs and `tune` round alike. A bound equal to p moves to exactly v,
    /// v = p leaves the range as it is, and the moved range always holds v (rounding cannot
    /// push a bound past it). `p` and `v` must be inside the domain and off its edge, `r`
    /// must hold `p`; the result is not checked against the domain (see [`Domain::range`]).
    pub fn shift(self, r: Range, p: f64, v: f64) -> Range {
        if v == p {
            return r;
        }
        let moved = |x: f64| {
            let y = match self {
                Domain::Probability => {
                    let a = x * v * (1.0 - p);
                    let b = (1.0 - x) * (1.0 - v) * p;
                    a / (a + b)
                }
                Domain::Weight | Domain::Prior => x * v / p,
            };
            format!("{y:.14e}").parse().unwrap_or(y)
        };
        let lo = if r.lo == p { v } else { moved(r.lo).min(v) };
        let hi = if r.hi == p { v } else { moved(r.hi).max(v) };
        Range { lo, hi }
    }
}

/// `x` lies in `r`.
///
/// # Errors
/// [`ValueError::Outside`].
pub fn inside(x: f64, r: Range) -> Result<(), ValueError> {
    if r.lo <= x && x <= r.hi {
        Ok(())
    } else {
        Err(ValueError::Outside { x, range: r })
    }
}

// ---- Ranges and ratings ------------------------------------------------------------------

/// A 90% range `[lo, hi]` of an uncertain quantity (5th and 95th percentiles).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// 5th percentile.
    pub lo: f64,
    /// 95th percentile.
    pub hi: f64,
}

impl Range {
    /// True when the range pins the quantity (`lo == hi`): it does not vary in sweeps.
    pub fn is_fixed(&self) -> bool {
        self.lo == self.hi
    }
}

/// Heuer's consistency ratings (docs/reference.md §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rating {
    /// Very consistent.
    CC,
    /// Consistent.
    C,
    /// Neutral.
    N,
    /// Not applicable: takes the mean of the row's other cells, never discriminates.
    NA,
    /// Inconsistent.
    I,
    /// Very inconsistent.
    II,
}

impl Rating {
    /// The five ratings that carry a likelihood, in scale order (NA excluded).
    pub const SCALE: [Rating; 5] = [Rating::CC, Rating::C, Rating::N, Rating::I, Rating::II];

    /// The upper-case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::CC => "CC",
            Rating::C => "C",
            Rating::N => "N",
            Rating::NA => "NA",
            Rating::I => "I",
            Rating::II => "II",
        }
    }

    /// Parses the exact upper-case name.
    pub fn parse(s: &str) -> Option<Rating> {
        Some(match s {
            "CC" => Rating::CC,
            "C" => Rating::C,
            "N" => Rating::N,
            "NA" => Rating::NA,
            "I" => Rating::I,
            "II" => Rating::II,
            _ => return None,
        })
    }

    /// ACH inconsistency points (docs/reference.md §2.2): I = 1, II = 2, others 0.
    pub fn points(self) -> u32 {
        match self {
            Rating::I => 1,
            Rating::II => 2,
            _ => 0,
        }
    }

    /// The mirrored rating used for an `absent` item in the ACH method (CC↔II, C↔I).
    pub fn mirrored(self) -> Rating {
        match self {
            Rating::CC => Rating::II,
            Rating::C => Rating::I,
            Rating::I => Rating::C,
            Rating::II => Rating::CC,
            other => other,
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---- The scales of docs/reference.md §2: labels, Heuer's ratings, the Admiralty (NATO STANAG 2511) mapping.
/// `credibility = "high" | "medium" | "low"` (docs/reference.md §2.1).
pub fn credibility_label(label: &str) -> Option<f64> {
    Some(match label {
        "high" => 0.9,
        "medium" => 0.7,
        "low" => 0.5,
        _ => return None,
    })
}

/// `weight = "high" | "medium" | "low"`: √2, 1, 1/√2 (docs/reference.md §2.1).
pub fn weight_label(label: &str) -> Option<f64> {
    Some(match label {
        "high" => std::f64::consts::SQRT_2,
        "medium" => 1.0,
        "low" => std::f64::consts::FRAC_1_SQRT_2,
        _ => return None,
    })
}

/// One level of the rating scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingLevel {
    /// Point likelihood.
    pub likelihood: f64,
    /// 90% range (lo = hi: fixed).
    pub range: Range,
}

/// The rating scale of a case: CC, C, N, I, II (NA has no entry, it cannot be overridden).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingScale {
    /// Levels in the order of [`Rating::SCALE`].
    pub levels: [RatingLevel; 5],
}

impl Default for RatingScale {
    /// docs/reference.md §2.2.
    fn default() -> Self {
        let l = |likelihood, lo, hi| RatingLevel {
            likelihood,
            range: Range { lo, hi },
        };
        RatingScale {
            levels: [
                l(0.90, 0.75, 0.97),
                l(0.70, 0.50, 0.85),
                l(0.50, 0.35, 0.65),
                l(0.30, 0.15, 0.50),
                l(0.10, 0.03, 0.25),
            ],
        }
    }
}

impl RatingScale {
    /// Position of a rating in [`Rating::SCALE`]. Panics on NA, which has no level.
    fn slot(r: Rating) -> usize {
        Rating::SCALE
            .iter()
            .position(|&s| s == r)
            .expect("NA has no level on the rating scale")
    }

    /// The level of a rating other than NA.
    ///
    /// # Panics
    /// On [`Rating::NA`], whose likelihood depends on the row (callers resolve NA first).
    pub fn level(&self, r: Rating) -> &RatingLevel {
        &self.levels[Self::slot(r)]
    }

    /// Mutable access to the level of a rating other than NA (used by the loader for overrides).
    pub fn level_mut(&mut self, r: Rating) -> &mut RatingLevel {
        &mut self.levels[Self::slot(r)]
    }
}

/// The Admiralty mapping: reliability A–F and information 1–6 to numbers in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdmiraltyScale {
    /// A, B, C, D, E, F.
    pub reliability: [f64; 6],
    /// 1, 2, 3, 4, 5, 6.
    pub information: [f64; 6],
}

impl Default for AdmiraltyScale {
    /// docs/reference.md §2.3 (the MISP `admiralty-scale` values).
    fn default() -> Self {
        AdmiraltyScale {
            reliability: [1.0, 0.75, 0.5, 0.25, 0.0, 0.5],
            information: [1.0, 0.75, 0.5, 0.25, 0.0, 0.5],
        }
    }
}

impl AdmiraltyScale {
    /// R(letter) for a reliability letter A–F.
    pub fn reliability(&self, letter: char) -> Option<f64> {
        let i = (letter as u32).checked_sub('A' as u32)? as usize;
        self.reliability.get(i).copied()
    }

    /// I(digit) for an information grade 1–6.
    pub fn information(&self, digit: u8) -> Option<f64> {
        let i = (digit as usize).checked_sub(1)?;
        self.information.get(i).copied()
    }

    /// The credibility from Admiralty codes (docs/reference.md §2.3): the geometric mean √(R·I) when both
    /// are known, the one that is known, or `None` when neither is.
    pub fn credibility(&self, reliability: Option<char>, information: Option<u8>) -> Option<f64> {
        let r = reliability.and_then(|l| self.reliability(l));
        let i = information.and_then(|d| self.information(d));
        match (r, i) {
            (Some(r), Some(i)) => Some((r * i).sqrt()),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(lo: f64, hi: f64) -> Range {
        Range { lo, hi }
    }

    #[test]
    fn points_obey_their_domain() {
        assert_eq!(Domain::Probability.point(0.0), Ok(0.0));
        assert_eq!(Domain::Probability.point(1.0), Ok(1.0));
        assert_eq!(
            Domain::Probability.point(1.5),
            Err(ValueError::OutOfBounds {
                x: 1.5,
                domain: Domain::Probability
            })
        );
        assert_eq!(Domain::Weight.point(0.0), Ok(0.0));
        assert_eq!(Domain::Weight.point(1e6), Ok(1e6));
        assert!(Domain::Weight.point(1e6 + 1.0).is_err());
        assert!(Domain::Prior.point(0.0).is_err());
        assert_eq!(Domain::Prior.point(1e-9), Ok(1e-9));
        assert_eq!(Domain::Probability.point(f64::NAN), Err(ValueError::NaN));
        assert_eq!(
            Domain::Weight.point(f64::INFINITY),
            Err(ValueError::Infinite)
        );
        assert_eq!(
            Domain::Weight
                .point(-1.0)
                .unwrap_err()
                .message("weight", "weight_range"),
            "`weight` = -1 is out of range: it must be at least 0 and at most 1e6"
        );
    }

    #[test]
    fn ranges_obey_their_domain() {
        let p = Domain::Probability;
        assert_eq!(p.range(0.1, 0.5), Ok(r(0.1, 0.5)));
        assert_eq!(p.range(0.0, 0.5), Err(ValueError::NotOpenUnit(r(0.0, 0.5))));
        assert_eq!(p.range(0.5, 1.0), Err(ValueError::NotOpenUnit(r(0.5, 1.0))));
        assert_eq!(p.range(0.6, 0.5), Err(ValueError::Reversed(r(0.6, 0.5))));
        let w = Domain::Weight;
        assert_eq!(w.range(0.0, 1.0), Err(ValueError::NotPositive(r(0.0, 1.0))));
        assert_eq!(w.range(1.0, 2e6), Err(ValueError::AboveMax(r(1.0, 2e6))));
        assert_eq!(w.range(1e-3, 1e4), Err(ValueError::TooWide(r(1e-3, 1e4))));
        assert_eq!(w.range(1e-3, 1e3), Ok(r(1e-3, 1e3)));
        assert_eq!(Domain::Prior.range(2.0, 2.0), Ok(r(2.0, 2.0)));
        assert_eq!(
            w.range(1.0, 2e6).unwrap_err().message("weight_range", ""),
            "`weight_range` [1, 2000000] must have hi <= 1e6 (the largest weight)"
        );
        assert_eq!(
            p.range(0.2, 1.0).unwrap_err().message("range", ""),
            "`range` [0.2, 1] must lie strictly between 0 and 1 (0 < lo <= hi < 1)"
        );
    }

    #[test]
    fn shift_on_the_logit_scale_multiplies_the_odds() {
        // C's range [0.5, 0.85] around 0.7, moved to 0.3 (odds 3/7 ÷ 7/3 = 9/49 of before):
        // lo' = 0.5·0.3·0.3 / (0.5·0.3·0.3 + 0.5·0.7·0.7) = 0.045 / 0.29 = 0.155172413793103448...
        // hi' = 0.85·0.3·0.3 / (0.85·0.3·0.3 + 0.15·0.7·0.7) = 0.0765 / 0.15 = 0.51
        // each rounded to 15 significant digits.
        let m = Domain::Probability.shift(r(0.5, 0.85), 0.7, 0.3);
        assert_eq!(m, r(0.155172413793103, 0.51));
        // The same by the formula of docs/model.md, with logit and its inverse.
        let logit = |x: f64| (x / (1.0 - x)).ln();
        let inv = |t: f64| 1.0 / (1.0 + (-t).exp());
        let d = logit(0.3) - logit(0.7);
        assert!((m.lo - inv(logit(0.5) + d)).abs() < 1e-12);
        assert!((m.hi - inv(logit(0.85) + d)).abs() < 1e-12);
    }

    #[test]
    fn shift_on_the_log_scale_multiplies_the_bounds() {
        // weight 1 with [0.5, 1.5] moved to 2: lo' = 0.5·2/1 = 1, hi' = 1.5·2/1 = 3.
        assert_eq!(Domain::Weight.shift(r(0.5, 1.5), 1.0, 2.0), r(1.0, 3.0));
        // prior 2 with [1, 4] moved to 1: lo' = 1·1/2 = 0.5, hi' = 4·1/2 = 2.
        assert_eq!(Domain::Prior.shift(r(1.0, 4.0), 2.0, 1.0), r(0.5, 2.0));
        // weight 1 with [0.6, 1.5] moved to 0.7: [0.42, 1.05] (1.5·0.7 is 1.0499999999999998
        // in binary floating point; the bounds are rounded to 15 significant digits).
        assert_eq!(Domain::Weight.shift(r(0.6, 1.5), 1.0, 0.7), r(0.42, 1.05));
    }

    #[test]
    fn shift_keeps_bounds_at_the_point_and_the_point_inside() {
        // A point on its bound moves to exactly v.
        assert_eq!(Domain::Probability.shift(r(0.3, 0.6), 0.3, 0.1).lo, 0.1);
        assert_eq!(Domain::Weight.shift(r(0.5, 1.0), 1.0, 0.3).hi, 0.3);
        // A fixed range moves to [v, v].
        assert_eq!(
            Domain::Probability.shift(r(0.4, 0.4), 0.4, 0.2),
            r(0.2, 0.2)
        );
        // v = p keeps the range bit for bit.
        let same = r(0.123456789, 0.987654321);
        assert_eq!(Domain::Probability.shift(same, 0.5, 0.5), same);
        // The moved range holds v, for many v.
        for i in 1..1000 {
            let v = i as f64 / 1000.0;
            let m = Domain::Probability.shift(r(0.2, 0.9), 0.6, v);
            assert!(m.lo <= v && v <= m.hi, "{v}: {m:?}");
        }
    }

    #[test]
    fn edges_fix_a_quantity() {
        assert!(Domain::Probability.is_edge(0.0));
        assert!(Domain::Probability.is_edge(1.0));
        assert!(!Domain::Probability.is_edge(0.5));
        assert!(Domain::Weight.is_edge(0.0));
        assert!(!Domain::Prior.is_edge(1e-9));
    }

    #[test]
    fn admiralty_geometric_mean() {
        let a = AdmiraltyScale::default();
        // B2: sqrt(0.75 * 0.75) = 0.75; A3: sqrt(1.0 * 0.5) = 0.7071...
        assert_eq!(a.credibility(Some('B'), Some(2)), Some(0.75));
        assert_eq!(a.credibility(Some('A'), Some(3)), Some(0.5f64.sqrt()));
        assert_eq!(a.credibility(Some('E'), None), Some(0.0));
        assert_eq!(a.credibility(None, Some(6)), Some(0.5));
        assert_eq!(a.credibility(None, None), None);
        assert_eq!(a.reliability('G'), None);
        assert_eq!(a.information(0), None);
    }

    #[test]
    fn labels() {
        assert_eq!(credibility_label("medium"), Some(0.7));
        assert_eq!(weight_label("low"), Some(std::f64::consts::FRAC_1_SQRT_2));
        assert_eq!(weight_label("High"), None);
    }
}
