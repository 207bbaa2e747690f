//! The scales of docs/reference.md §2: labels, Heuer's ratings, the Admiralty (NATO STANAG 2511) mapping.

use super::model::{Range, Rating};

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
