//! The uncertainty model of docs/reference.md §5.1 (which quantities vary and how), and the portable
//! seeded random streams of §5.2.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::SplitMix64;

use super::fastmath;
use super::simd::{self, Level};
use crate::case::{Case, Cell, Credibility, Range};
use crate::score::bayes;

/// z = Φ⁻¹(0.95): a 90% range [lo, hi] spans μ ± z·σ on the transformed scale.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// What a varying quantity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// The prior weight of hypothesis `k`.
    Prior(usize),
    /// The weight w_e of evidence item `e`.
    Weight(usize),
    /// The credibility c_e of evidence item `e` (mixture form only).
    Credibility(usize),
    /// The likelihood cell ℓ_ek of item `e` and hypothesis `k`.
    Cell(usize, usize),
}

/// The distribution of a varying quantity: `x = g(μ + σ·Z)` with Z standard normal and
/// g = exp (log-normal) or the logistic function (logit-normal).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dist {
    /// True for logit-normal (likelihoods, credibilities), false for log-normal (weights,
    /// priors).
    pub logit: bool,
    /// μ on the transformed scale.
    pub mu: f64,
    /// σ on the transformed scale.
    pub sigma: f64,
}

impl Dist {
    /// The distribution whose 5th and 95th percentiles are `range.lo` and `range.hi`.
    ///
    /// # Formula
    /// μ = (g⁻¹(lo) + g⁻¹(hi))/2, σ = (g⁻¹(hi) − g⁻¹(lo))/(2z), z = Φ⁻¹(0.95), with
    /// g⁻¹ = logit for likelihoods and credibilities, ln for weights and priors (docs/reference.md §5.1).
    pub fn from_range(range: Range, logit: bool) -> Dist {
        let t = |x: f64| if logit { (x / (1.0 - x)).ln() } else { x.ln() };
        let (a, b) = (t(range.lo), t(range.hi));
        Dist {
            logit,
            mu: (a + b) / 2.0,
            sigma: (b - a) / (2.0 * Z95),
        }
    }

    /// The quantity for a standard normal draw `z`, with the standard library's functions.
    pub fn value(&self, z: f64) -> f64 {
        let y = self.mu + self.sigma * z;
        if self.logit {
            1.0 / (1.0 + (-y).exp())
        } else {
            y.exp()
        }
    }

    /// [`Dist::value`] with the fast functions of the hot loop.
    #[inline(always)]
    pub fn value_fast(&self, z: f64) -> f64 {
        let y = self.sigma.mul_add(z, self.mu);
        if self.logit {
            1.0 / (1.0 + fastmath::exp(-y))
        } else {
            fastmath::exp(y)
        }
    }
}

/// One varying quantity of a case (docs/reference.md §5.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// What it is.
    pub target: Target,
    /// Its docs/reference.md §6 path, e.g. `evidence.x.likelihood.etim` or `hypothesis.h.prior`.
    pub path: String,
    /// Its 90% range.
    pub range: Range,
    /// Its distribution.
    pub dist: Dist,
    /// The Sobol factor it belongs to: `"priors"` or the evidence item's id (docs/reference.md §5.5).
    pub factor: String,
}

/// The varying quantities of a case in canonical order (docs/reference.md §5.3): prior weights in
/// hypothesis order, then the counted items with ω > 0 in declaration order, each with its
/// weight, credibility, then likelihood cells in hypothesis order. Only quantities with a
/// range that is not fixed (lo < hi) vary; a rating cell uses its rating's range; an item
/// given `hit_rate`/`false_alarm_rate` has no varying credibility.
pub fn varying_quantities(case: &Case) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut push = |target, path: String, range: Range, logit: bool, factor: &str| {
        if !range.is_fixed() {
            out.push(Quantity {
                target,
                path,
                range,
                dist: Dist::from_range(range, logit),
                factor: factor.to_string(),
            });
        }
    };
    for (k, h) in case.hypotheses.iter().enumerate() {
        if let Some(r) = h.prior_range {
            push(
                Target::Prior(k),
                format!("hypothesis.{}.prior", h.id),
                r,
                false,
                "priors",
            );
        }
    }
    let omega = bayes::effective_weights(case);
    for (e, item) in case.evidence.iter().enumerate() {
        if omega[e] <= 0.0 {
            continue;
        }
        let id = item.id.as_str();
        if let Some(r) = item.weight_range {
            push(
                Target::Weight(e),
                format!("evidence.{id}.weight"),
                r,
                false,
                id,
            );
        }
        if let Credibility::Mixture { range: Some(r), .. } = item.credibility {
            push(
                Target::Credibility(e),
                format!("evidence.{id}.credibility"),
                r,
                true,
                id,
            );
        }
        for (k, cell) in item.likelihood.iter().enumerate() {
            if let Some(r) = case.cell_range(cell) {
                let hyp = &case.hypotheses[k].id;
                push(
                    Target::Cell(e, k),
                    format!("evidence.{id}.likelihood.{hyp}"),
                    r,
                    true,
                    id,
                );
            }
        }
    }
    out
}

/// Sets one quantity of `case` to `value` (a rating cell becomes a number cell; the range
/// is dropped since the value is now given).
pub fn set_quantity(case: &mut Case, target: Target, value: f64) {
    match target {
        Target::Prior(k) => case.hypotheses[k].prior = value,
        Target::Weight(e) => case.evidence[e].weight = value,
        Target::Credibility(e) => {
            if let Credibility::Mixture { value: c, .. } = &mut case.evidence[e].credibility {
                *c = value;
            }
        }
        Target::Cell(e, k) => {
            case.evidence[e].likelihood[k] = Cell::Value { value, range: None };
        }
    }
}

/// The case of one scenario: every varying quantity set from its standard normal draw
/// `z[v]` (canonical order) with the standard library's functions. Scoring it with
/// [`bayes::score`] is the exact reference the fast kernel is tested against.
pub fn materialise(case: &Case, quantities: &[Quantity], z: &[f64]) -> Case {
    let mut c = case.clone();
    for (q, &z) in quantities.iter().zip(z) {
        set_quantity(&mut c, q.target, q.dist.value(z));
    }
    c
}

/// Stream domains, so Monte Carlo, Sobol and the bootstrap never share draws.
#[derive(Debug, Clone, Copy)]
pub enum Domain {
    /// Monte Carlo scenarios.
    MonteCarlo = 1,
    /// Sobol matrix A.
    SobolA = 2,
    /// Sobol matrix B.
    SobolB = 3,
    /// Bootstrap resampling.
    Bootstrap = 4,
}

/// Number of interleaved xoshiro256++ generators in one stream (one SIMD-friendly block).
pub const WIDTH: usize = 8;

/// A portable random stream: [`WIDTH`] interleaved xoshiro256++ generators (Blackman and
/// Vigna 2018), each seeded through SplitMix64 from (seed, domain, chunk index, lane), so
/// every chunk's draws depend only on the seed and its index, on every platform.
#[derive(Debug, Clone)]
pub struct Stream {
    s: [[u64; WIDTH]; 4],
}

fn mix(x: u64) -> u64 {
    SplitMix64::seed_from_u64(x).next_u64()
}

impl Stream {
    /// The stream of chunk `chunk` in `domain` for `seed`.
    pub fn new(seed: u64, domain: Domain, chunk: u64) -> Stream {
        let key = mix(mix(seed ^ mix(domain as u64)) ^ chunk);
        let mut s = [[0u64; WIDTH]; 4];
        for lane in 0..WIDTH {
            let mut sm = SplitMix64::seed_from_u64(key ^ mix(lane as u64 + 0x51ed_270b));
            for word in &mut s {
                word[lane] = sm.next_u64();
            }
        }
        Stream { s }
    }

    /// The next word of every lane (xoshiro256++).
    #[inline(always)]
    pub fn next_block(&mut self) -> [u64; WIDTH] {
        let [s0, s1, s2, s3] = &mut self.s;
        let mut out = [0u64; WIDTH];
        for j in 0..WIDTH {
            out[j] = s0[j]
                .wrapping_add(s3[j])
                .rotate_left(23)
                .wrapping_add(s0[j]);
            let t = s1[j] << 17;
            s2[j] ^= s0[j];
            s3[j] ^= s1[j];
            s1[j] ^= s2[j];
            s0[j] ^= s3[j];
            s2[j] ^= t;
            s3[j] = s3[j].rotate_left(45);
        }
        out
    }

    /// Fills `row` (even length, a multiple of [`WIDTH`]) with standard normals: uniform
    /// words in lane order, then Box–Muller on the pairs (j, j + len/2).
    pub fn fill_normals(&mut self, row: &mut [f64]) {
        self.fill_normals_at(simd::level(), row);
    }

    /// [`Stream::fill_normals`] compiled for `level`, which the CPU must support (else the
    /// portable copy runs). Every level gives the same bits.
    pub(crate) fn fill_normals_at(&mut self, level: Level, row: &mut [f64]) {
        match level {
            // SAFETY: the CPU supports the level's instructions (checked by `supported`).
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 if level.supported() => unsafe { self.fill_avx512(row) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 if level.supported() => unsafe { self.fill_avx2(row) },
            _ => self.fill_body(row),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
    unsafe fn fill_avx512(&mut self, row: &mut [f64]) {
        use std::arch::x86_64::{
            _mm512_add_epi64, _mm512_loadu_si512, _mm512_rol_epi64, _mm512_slli_epi64,
            _mm512_storeu_si512, _mm512_xor_si512,
        };
        // The xoshiro256++ step of `next_block`, all WIDTH = 8 lanes in one 512-bit vector,
        // with AVX-512's own 64-bit rotation. Integer operations: the words are those of
        // `next_block`.
        // SAFETY: each state word holds WIDTH = 8 u64, one 512-bit vector.
        let mut st = self
            .s
            .map(|w| unsafe { _mm512_loadu_si512(w.as_ptr().cast()) });
        for block in row.chunks_exact_mut(WIDTH) {
            let [s0, s1, s2, s3] = st;
            let out = _mm512_add_epi64(_mm512_rol_epi64::<23>(_mm512_add_epi64(s0, s3)), s0);
            // SAFETY: `block` holds WIDTH = 8 f64, one 512-bit vector.
            unsafe { _mm512_storeu_si512(block.as_mut_ptr().cast(), out) };
            let t = _mm512_slli_epi64::<17>(s1);
            let s2 = _mm512_xor_si512(s2, s0);
            let s3 = _mm512_xor_si512(s3, s1);
            let s1 = _mm512_xor_si512(s1, s2);
            let s0 = _mm512_xor_si512(s0, s3);
            let s2 = _mm512_xor_si512(s2, t);
            let s3 = _mm512_rol_epi64::<45>(s3);
            st = [s0, s1, s2, s3];
        }
        for (v, word) in st.iter().zip(self.s.iter_mut()) {
            // SAFETY: as above.
            unsafe { _mm512_storeu_si512(word.as_mut_ptr().cast(), *v) };
        }
        Self::normals_from_words(row);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    #[allow(clippy::needless_range_loop)] // `h` picks the same half of all four state words
    unsafe fn fill_avx2(&mut self, row: &mut [f64]) {
        use std::arch::x86_64::{
            _mm256_add_epi64, _mm256_loadu_si256, _mm256_or_si256, _mm256_setzero_si256,
            _mm256_slli_epi64, _mm256_srli_epi64, _mm256_storeu_si256, _mm256_xor_si256,
        };
        // The xoshiro256++ step of `next_block`, four lanes per 256-bit vector, with the
        // rotations written as shifts (left to itself the compiler turns the rotation by 45
        // into scalar code). Integer operations: the words are those of `next_block`.
        let mut st = [[_mm256_setzero_si256(); 2]; 4];
        for (v, word) in st.iter_mut().zip(self.s.iter()) {
            for (h, x) in v.iter_mut().enumerate() {
                // SAFETY: `word` holds WIDTH = 8 u64, so 4·h..4·h+4 is in bounds.
                *x = unsafe { _mm256_loadu_si256(word.as_ptr().add(4 * h).cast()) };
            }
        }
        for block in row.chunks_exact_mut(WIDTH) {
            for h in 0..2 {
                let [s0, s1, s2, s3] = [st[0][h], st[1][h], st[2][h], st[3][h]];
                let sum = _mm256_add_epi64(s0, s3);
                let rot =
                    _mm256_or_si256(_mm256_slli_epi64::<23>(sum), _mm256_srli_epi64::<41>(sum));
                let out = _mm256_add_epi64(rot, s0);
                // SAFETY: `block` holds WIDTH = 8 f64, so 4·h..4·h+4 is in bounds.
                unsafe { _mm256_storeu_si256(block.as_mut_ptr().add(4 * h).cast(), out) };
                let t = _mm256_slli_epi64::<17>(s1);
                let s2 = _mm256_xor_si256(s2, s0);
                let s3 = _mm256_xor_si256(s3, s1);
                let s1 = _mm256_xor_si256(s1, s2);
                let s0 = _mm256_xor_si256(s0, s3);
                let s2 = _mm256_xor_si256(s2, t);
                let s3 = _mm256_or_si256(_mm256_slli_epi64::<45>(s3), _mm256_srli_epi64::<19>(s3));
                st[0][h] = s0;
                st[1][h] = s1;
                st[2][h] = s2;
                st[3][h] = s3;
            }
        }
        for (v, word) in st.iter().zip(self.s.iter_mut()) {
            for (h, x) in v.iter().enumerate() {
                // SAFETY: as above.
                unsafe { _mm256_storeu_si256(word.as_mut_ptr().add(4 * h).cast(), *x) };
            }
        }
        Self::normals_from_words(row);
    }

    /// The portable body of [`Stream::fill_normals`] (public to the crate so tests can
    /// compare it with the SIMD copy).
    #[inline(always)]
    pub(crate) fn fill_body(&mut self, row: &mut [f64]) {
        for block in row.chunks_exact_mut(WIDTH) {
            let w = self.next_block();
            for (x, w) in block.iter_mut().zip(w) {
                *x = f64::from_bits(w);
            }
        }
        Self::normals_from_words(row);
    }

    /// Box–Muller on the pairs (j, j + len/2) of random words stored as the bits of `row`.
    #[inline(always)]
    fn normals_from_words(row: &mut [f64]) {
        let n = row.len();
        let (a, b) = row.split_at_mut(n / 2);
        for (x, y) in a.iter_mut().zip(b.iter_mut()) {
            let (u1, _) = fastmath::unit_pair(x.to_bits());
            let (_, u2) = fastmath::unit_pair(y.to_bits());
            let (z0, z1) = fastmath::box_muller_normal(u1, u2);
            *x = z0;
            *y = z1;
        }
    }

    /// Uniform words, for resampling (lane order).
    pub fn next_u64(&mut self, buf: &mut Vec<u64>) -> u64 {
        if buf.is_empty() {
            buf.extend(self.next_block().iter().rev());
        }
        buf.pop().expect("refilled above")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn lanes_are_xoshiro256plusplus() {
        let mut st = Stream::new(42, Domain::MonteCarlo, 7);
        let mut seed = [0u8; 32];
        for (i, word) in st.s.iter().enumerate() {
            seed[i * 8..i * 8 + 8].copy_from_slice(&word[3].to_le_bytes());
        }
        let mut reference = Xoshiro256PlusPlus::from_seed(seed);
        for _ in 0..100 {
            assert_eq!(st.next_block()[3], reference.next_u64());
        }
    }

    #[test]
    fn ranges_give_the_stated_percentiles() {
        // logit 0.1 = −ln 9, logit 0.5 = 0: μ = −ln 9 / 2, σ = ln 9 / (2z); so μ ± zσ maps
        // back to 0.1 and 0.5.
        let d = Dist::from_range(Range { lo: 0.1, hi: 0.5 }, true);
        assert!((d.mu + 9f64.ln() / 2.0).abs() < 1e-15);
        assert!((d.value(-Z95) - 0.1).abs() < 1e-15);
        assert!((d.value(Z95) - 0.5).abs() < 1e-15);
        let d = Dist::from_range(Range { lo: 0.5, hi: 2.0 }, false);
        assert!(d.mu.abs() < 1e-15 && (d.value(Z95) - 2.0).abs() < 1e-15);
    }

    #[test]
    fn streams_differ_by_chunk_and_are_reproducible() {
        let a = Stream::new(1, Domain::MonteCarlo, 0).next_block();
        let b = Stream::new(1, Domain::MonteCarlo, 1).next_block();
        assert_ne!(a, b);
        assert_eq!(a, Stream::new(1, Domain::MonteCarlo, 0).next_block());
    }
}
