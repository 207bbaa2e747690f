//! Mergeable Monte Carlo accumulators (docs/reference.md §5.2, §5.6).
//!
//! Everything an accumulator holds is an integer (counts, a fixed-point sum) or a minimum
//! or maximum, so merging is exact and associative: threads, shards and machines can merge
//! in any grouping and the result is the same bits. Memory is independent of the number of
//! scenarios: (K + F)·[`BINS`] histogram counts, K² rank counts, F leader counts and
//! 3(K + F) numbers, for K hypotheses and F families.
//!
//! A *series* is one posterior followed over the scenarios: series `0..K` are the
//! hypotheses, series `K..K + F` the families (the sums of their members' posteriors,
//! `docs/sweeps.md`, "Families").

use serde::{Deserialize, Serialize};

/// Equal bins of the posterior histogram on [0, 1] (bin width 1/4096 ≈ 0.00024, so a
/// quantile read from it is within 0.00025 of the empirical one).
pub const BINS: usize = 4096;

/// Scale of the fixed-point sum of deviations: 2^64.
const FIXED: f64 = 18_446_744_073_709_551_616.0;

/// Streaming, mergeable statistics of the posteriors of K hypotheses and F families over
/// many scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct Accumulator {
    /// Scenarios seen.
    pub count: u64,
    /// Σ (p_s − point p_s) in fixed point (units of 2^-64), per series: rounded once per
    /// chunk, then summed exactly.
    pub dev: Vec<i128>,
    /// Smallest posterior seen, per series.
    pub min: Vec<f64>,
    /// Largest posterior seen, per series.
    pub max: Vec<f64>,
    /// Histogram counts, `hist[s * BINS + bin]`.
    pub hist: Vec<u64>,
    /// `ranks[k * K + r]` = scenarios in which hypothesis k ranked r + 1.
    pub ranks: Vec<u64>,
    /// `tops[f]` = scenarios in which the leader (rank 1) is a member of family f.
    pub tops: Vec<u64>,
}

impl Accumulator {
    /// An empty accumulator for `k` hypotheses and `f` families.
    pub fn new(k: usize, f: usize) -> Accumulator {
        let series = k + f;
        Accumulator {
            count: 0,
            dev: vec![0; series],
            min: vec![f64::INFINITY; series],
            max: vec![f64::NEG_INFINITY; series],
            hist: vec![0; series * BINS],
            ranks: vec![0; k * k],
            tops: vec![0; f],
        }
    }

    /// Number of hypotheses.
    pub fn k(&self) -> usize {
        self.dev.len() - self.tops.len()
    }

    /// Adds one chunk's floating-point sums of deviations (rounded to fixed point here).
    pub fn add_chunk_deviation(&mut self, sums: &[f64]) {
        for (d, s) in self.dev.iter_mut().zip(sums) {
            *d += (s * FIXED).round() as i128;
        }
    }

    /// Records posterior `p` of series `k` (histogram, min, max).
    #[inline]
    pub fn record(&mut self, k: usize, p: f64) {
        let bin = ((p * BINS as f64) as usize).min(BINS - 1);
        self.hist[k * BINS + bin] += 1;
        if p < self.min[k] {
            self.min[k] = p;
        }
        if p > self.max[k] {
            self.max[k] = p;
        }
    }

    /// Merges another accumulator into this one (exact; order does not matter).
    pub fn merge(&mut self, other: &Accumulator) {
        self.count += other.count;
        for (a, b) in self.dev.iter_mut().zip(&other.dev) {
            *a += b;
        }
        for (a, b) in self.min.iter_mut().zip(&other.min) {
            *a = a.min(*b);
        }
        for (a, b) in self.max.iter_mut().zip(&other.max) {
            *a = a.max(*b);
        }
        for (a, b) in self.hist.iter_mut().zip(&other.hist) {
            *a += b;
        }
        for (a, b) in self.ranks.iter_mut().zip(&other.ranks) {
            *a += b;
        }
        for (a, b) in self.tops.iter_mut().zip(&other.tops) {
            *a += b;
        }
    }

    /// The mean posterior of series `k`, given its point posterior.
    ///
    /// # Formula
    /// mean = p_point + (Σ (p − p_point)) / N; exactly p_point when every scenario equals it.
    pub fn mean(&self, k: usize, point: f64) -> f64 {
        point + (self.dev[k] as f64 / FIXED) / self.count as f64
    }

    /// The q-quantile of series `k`'s posteriors, read from the histogram.
    ///
    /// # Formula
    /// With N scenarios, h = q(N − 1), r = ⌊h⌋ (the empirical quantile with linear
    /// interpolation between order statistics r and r + 1, as numpy's default): each order
    /// statistic is estimated inside the bin that holds it, at the centre of its share of
    /// the bin, clamped to the exact [min, max] (the first and last are the exact min and max). Error ≤ one bin width (1/4096).
    pub fn quantile(&self, k: usize, q: f64) -> f64 {
        let (lo, hi) = (self.min[k], self.max[k]);
        if lo == hi || self.count == 0 {
            return lo;
        }
        let h = q * (self.count - 1) as f64;
        let r = h.floor();
        let frac = h - r;
        let r = r as u64;
        let a = self.order_stat(k, r);
        if frac == 0.0 || r + 1 >= self.count {
            return a;
        }
        let b = self.order_stat(k, r + 1);
        a + frac * (b - a)
    }

    fn order_stat(&self, k: usize, r: u64) -> f64 {
        if r == 0 {
            return self.min[k];
        }
        if r + 1 >= self.count {
            return self.max[k];
        }
        let hist = &self.hist[k * BINS..(k + 1) * BINS];
        let mut before = 0u64;
        for (bin, &n) in hist.iter().enumerate() {
            if n > 0 && r < before + n {
                let x = (bin as f64 + ((r - before) as f64 + 0.5) / n as f64) / BINS as f64;
                return x.clamp(self.min[k], self.max[k]);
            }
            before += n;
        }
        self.max[k]
    }
}

/// The serialised form of an accumulator in a partial result: floats as their IEEE bits in
/// hexadecimal (so they survive any JSON reader exactly), the sums as decimal strings, the
/// histogram sparse.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccumulatorJson {
    /// Scenarios seen.
    pub count: u64,
    /// Fixed-point sums of deviations, decimal.
    pub dev: Vec<String>,
    /// Minima, IEEE bits in hex.
    pub min: Vec<String>,
    /// Maxima, IEEE bits in hex.
    pub max: Vec<String>,
    /// Per series: the non-empty bins as `[bin, count]`.
    pub hist: Vec<Vec<[u64; 2]>>,
    /// Rank counts, one row per hypothesis.
    pub ranks: Vec<Vec<u64>>,
    /// Per family: scenarios in which the leader is a member.
    pub tops: Vec<u64>,
}

/// A double as its IEEE bits in hex.
pub fn f64_hex(x: f64) -> String {
    format!("{:016x}", x.to_bits())
}

/// The inverse of [`f64_hex`].
pub fn f64_from_hex(s: &str) -> Option<f64> {
    u64::from_str_radix(s, 16).ok().map(f64::from_bits)
}

impl Accumulator {
    /// The serialised form.
    pub fn to_json(&self) -> AccumulatorJson {
        let k = self.k();
        let series = self.dev.len();
        AccumulatorJson {
            count: self.count,
            dev: self.dev.iter().map(|d| d.to_string()).collect(),
            min: self.min.iter().map(|&x| f64_hex(x)).collect(),
            max: self.max.iter().map(|&x| f64_hex(x)).collect(),
            hist: (0..series)
                .map(|j| {
                    self.hist[j * BINS..(j + 1) * BINS]
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| **n > 0)
                        .map(|(b, &n)| [b as u64, n])
                        .collect()
                })
                .collect(),
            ranks: self.ranks.chunks(k).map(|r| r.to_vec()).collect(),
            tops: self.tops.clone(),
        }
    }

    /// Reads the serialised form back; `None` when it is malformed or not for `k`
    /// hypotheses and `f` families.
    pub fn from_json(j: &AccumulatorJson, k: usize, f: usize) -> Option<Accumulator> {
        let series = k + f;
        if j.dev.len() != series
            || j.min.len() != series
            || j.max.len() != series
            || j.hist.len() != series
            || j.ranks.len() != k
            || j.ranks.iter().any(|r| r.len() != k)
            || j.tops.len() != f
        {
            return None;
        }
        let mut acc = Accumulator::new(k, f);
        acc.count = j.count;
        acc.tops.copy_from_slice(&j.tops);
        for i in 0..k {
            acc.ranks[i * k..(i + 1) * k].copy_from_slice(&j.ranks[i]);
        }
        for i in 0..series {
            acc.dev[i] = j.dev[i].parse().ok()?;
            acc.min[i] = f64_from_hex(&j.min[i])?;
            acc.max[i] = f64_from_hex(&j.max[i])?;
            for &[b, n] in &j.hist[i] {
                let b = usize::try_from(b).ok().filter(|&b| b < BINS)?;
                acc.hist[i * BINS + b] = n;
            }
        }
        Some(acc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_a_bin_of_the_empirical_ones() {
        // 10,001 values x_i = (i / 10,000)² on [0, 1]: the empirical q-quantile (numpy
        // linear) is exactly (q)² since h = q·10,000 is a whole number for q = 0.05, 0.5, 0.95.
        let mut acc = Accumulator::new(1, 0);
        for i in 0..=10_000u64 {
            let x = (i as f64 / 10_000.0).powi(2);
            acc.record(0, x);
            acc.count += 1;
        }
        for q in [0.05, 0.5, 0.95] {
            let got = acc.quantile(0, q);
            assert!((got - q * q).abs() < 1.0 / BINS as f64, "q{q}: {got}");
        }
        assert_eq!(acc.quantile(0, 0.0), 0.0);
    }

    #[test]
    fn serialised_form_round_trips() {
        // Two hypotheses and one family of both.
        let mut acc = Accumulator::new(2, 1);
        acc.record(0, 0.3);
        acc.record(1, 0.7);
        acc.record(2, 1.0);
        acc.count = 1;
        acc.ranks[1] = 1;
        acc.ranks[2] = 1;
        acc.tops[0] = 1;
        acc.add_chunk_deviation(&[-1e-3, 1e-3, 0.0]);
        let back = Accumulator::from_json(&acc.to_json(), 2, 1).unwrap();
        assert_eq!(back, acc);
        assert!(Accumulator::from_json(&acc.to_json(), 2, 0).is_none());
    }
}
