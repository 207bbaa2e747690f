//! Branch-free polynomial `exp`, `ln`, `sin`/`cos` and a Box–Muller normal generator for the
//! sweeps' hot loop.
//!
//! Every function is a fixed sequence of IEEE-754 additions, multiplications, fused
//! multiply-adds (`f64::mul_add`, always fused: one rounding), divisions, square roots and
//! bit manipulations, with no table look-up, so the compiler can run it in SIMD lanes and
//! every lane (AVX2+FMA, AVX-512, or the portable path, where `mul_add` is the correctly
//! rounded libm `fma`) gives the same bits. Polynomial degrees are chosen for errors below
//! about 1e-12 (tested against the standard library), far inside the 1e-9 bound docs/reference.md §5.2
//! allows for the sweeps. `score`, `sweep tornado` and `sweep tipping` never use these
//! functions.

/// 1.5 · 2^52: adding it to a double of magnitude < 2^51 rounds to an integer held in the
/// low mantissa bits.
const MAGIC: f64 = 6_755_399_441_055_744.0;
/// ln 2, high part (its low 32 bits are zero so `n · LN2_HI` is exact for |n| < 2^11).
#[allow(clippy::excessive_precision)]
const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
/// ln 2 − LN2_HI.
#[allow(clippy::excessive_precision)]
const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
const LOG2E: f64 = std::f64::consts::LOG2_E;

/// Minimax coefficients (Chebyshev fit, `mpmath.chebyfit`) of Q(r) = (e^r − 1)/r on
/// |r| ≤ ln 2 / 2, lowest degree first: max |ΔQ| = 8.0e-14, so |e^r − (1 + r·Q(r))| ≤ 2.8e-14.
#[allow(clippy::excessive_precision)]
const EXP_Q: [f64; 9] = [
    1.0,
    0.499_999_999_997_977_73,
    0.166_666_666_666_482_9,
    0.041_666_666_891_091_7,
    0.008_333_333_353_729_397,
    0.001_388_882_165_071_769,
    0.000_198_412_087_325_363_84,
    2.487_617_895_908_551_3e-5,
    2.762_511_557_828_763e-6,
];

/// Minimax coefficients of P(u) = 2 atanh(√u)/√u on 0 ≤ u ≤ (3 − 2√2)² (u = f², see [`ln`]),
/// lowest degree first: max |ΔP| = 5.5e-14, so |Δ ln| ≤ 0.172 · 5.5e-14 < 1e-14.
#[allow(clippy::excessive_precision)]
const LN_P: [f64; 6] = [
    1.999_999_999_999_947,
    0.666_666_666_796_449_6,
    0.399_999_948_709_793_7,
    0.285_721_684_142_033_8,
    0.221_741_507_980_537_32,
    0.196_095_923_651_584_07,
];

/// Minimax coefficients of S(u) = (sin √u / √u − 1)/u on 0 ≤ u ≤ (π/4)², lowest degree
/// first: max |ΔS| = 2.8e-14, so |Δ sin a| ≤ (π/4)³ · 2.8e-14 < 1.4e-14.
#[allow(clippy::excessive_precision)]
const SIN_S: [f64; 5] = [
    -0.166_666_666_666_638_85,
    0.008_333_333_331_078_323,
    -0.000_198_412_669_161_106_32,
    2.755_599_066_472_897_4e-6,
    -2.480_561_171_212_247_5e-8,
];

/// Minimax coefficients of C(u) = (cos √u − 1)/u on 0 ≤ u ≤ (π/4)², lowest degree first:
/// |Δ cos a| ≤ 2e-16.
#[allow(clippy::excessive_precision)]
const COS_C: [f64; 6] = [
    -0.499_999_999_999_999_67,
    0.041_666_666_666_630_91,
    -0.001_388_888_888_212_525_2,
    2.480_158_262_195_166_5e-5,
    -2.755_585_522_010_578_3e-7,
    2.066_548_384_659_679e-9,
];

/// c[0] + c[1]·x + … + c[5]·x⁵ by Estrin's scheme (three independent pairs, then two
/// levels), given x² and x⁴: a dependency chain of three fused multiply-adds instead of five.
#[inline(always)]
fn estrin6(x: f64, x2: f64, x4: f64, c: &[f64; 6]) -> f64 {
    let a = c[1].mul_add(x, c[0]);
    let b = c[3].mul_add(x, c[2]);
    let d = c[5].mul_add(x, c[4]);
    d.mul_add(x4, b.mul_add(x2, a))
}

/// e^x, branch-free.
///
/// # Formula
/// Cody–Waite reduction x = n·ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, then
/// e^r ≈ 1 + r·Q(r) with Q the degree-8 minimax polynomial `EXP_Q` (relative error
/// < 3e-14), evaluated by Estrin's scheme; e^x = 2^n · e^r (2^n built from its exponent bits).
/// Inputs are clamped to [−708, 708]; below −708 the result is 0 (e^−708 ≈ 3e−308), so
/// e^−∞ = 0.
/// Reference: W. J. Cody and W. Waite, *Software Manual for the Elementary Functions* (1980);
/// G. Estrin, *Proc. Western Joint Computer Conference* (1960) 33–40.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let xc = x.clamp(-708.0, 708.0);
    let t = xc.mul_add(LOG2E, MAGIC);
    let n = t - MAGIC;
    let ni = (t.to_bits() as i64).wrapping_sub(MAGIC.to_bits() as i64);
    let r = (-n).mul_add(LN2_LO, (-n).mul_add(LN2_HI, xc));
    let c = &EXP_Q;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let a = c[1].mul_add(r, c[0]);
    let b = c[3].mul_add(r, c[2]);
    let d = c[5].mul_add(r, c[4]);
    let e = c[7].mul_add(r, c[6]);
    let lo = b.mul_add(r2, a);
    let hi = e.mul_add(r2, d);
    let q = c[8].mul_add(r8, hi.mul_add(r4, lo));
    let p = r.mul_add(q, 1.0);
    let scale = f64::from_bits(((ni + 1023) as u64) << 52);
    let y = p * scale;
    if x < -708.0 { 0.0 } else { y }
}

/// ln x for x ≥ 0, branch-free (ln 0 = −∞; subnormal inputs are handled).
///
/// # Formula
/// x = m · 2^e with m ∈ [√½, √2); f = (m − 1)/(m + 1);
/// ln m = 2 atanh f ≈ f·P(f²) with P the degree-5 minimax polynomial `LN_P` (|f| ≤ 0.1716,
/// error < 1e-14), evaluated by Estrin's scheme;
/// ln x = e · ln 2 + ln m with ln 2 split in two parts (Cody–Waite).
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    let tiny = x < f64::MIN_POSITIVE;
    let xs = if tiny {
        x * 18_014_398_509_481_984.0
    } else {
        x
    }; // 2^54
    let y = ln_core(xs, if tiny { 1023 + 54 } else { 1023 });
    if x == 0.0 { f64::NEG_INFINITY } else { y }
}

/// [`ln`] for a positive, normal, finite x (x ≥ 2^−1022): the same operations without the
/// selections for subnormals and zero, so the same bits on that domain.
#[inline(always)]
pub fn ln_normal(x: f64) -> f64 {
    ln_core(x, 1023)
}

/// ln of a positive normal `xs` whose biased exponent is to be reduced by `bias`.
#[inline(always)]
fn ln_core(xs: f64, bias: i64) -> f64 {
    let bits = xs.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - bias;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let big = m > std::f64::consts::SQRT_2;
    m = if big { m * 0.5 } else { m };
    e += if big { 1 } else { 0 };
    // Exact conversion of the small integer e to a double, without an i64→f64 instruction.
    let ef = f64::from_bits((e.wrapping_add(MAGIC.to_bits() as i64)) as u64) - MAGIC;
    let f = (m - 1.0) / (m + 1.0);
    let f2 = f * f;
    let f4 = f2 * f2;
    let p = estrin6(f2, f4, f4 * f4, &LN_P);
    let lnm = f * p;
    ef.mul_add(LN2_HI, ef.mul_add(LN2_LO, lnm))
}

/// (sin 2πt, cos 2πt) for t ∈ [0, 1], branch-free.
///
/// # Formula
/// q = round(4t), f = t − q/4 ∈ [−1/8, 1/8], a = 2πf ∈ [−π/4, π/4]; sin a ≈ a + a³·S(a²) and
/// cos a ≈ 1 + a²·C(a²) with the minimax polynomials `SIN_S` and `COS_C` (errors < 2e-14),
/// evaluated by Estrin's scheme; the quadrant q rotates them.
#[inline(always)]
pub fn sincos_2pi(t: f64) -> (f64, f64) {
    // q = round(4t) ∈ {0, …, 4}, also held in the low bits of tq.
    let tq = 4.0 * t + MAGIC;
    let q = tq - MAGIC;
    let qb = tq.to_bits();
    let f = t - q * 0.25;
    let a = f * std::f64::consts::TAU;
    let a2 = a * a;
    let a4 = a2 * a2;
    let a8 = a4 * a4;
    let c = &SIN_S;
    let sp = c[4].mul_add(
        a8,
        c[3].mul_add(a2, c[2]).mul_add(a4, c[1].mul_add(a2, c[0])),
    );
    let s = (sp * a2).mul_add(a, a);
    let cp = estrin6(a2, a4, a8, &COS_C);
    let c = cp.mul_add(a2, 1.0);
    // Quadrant: an odd q swaps sine and cosine; q ∈ {2, 3} negates the sine (bit 1 of q),
    // q ∈ {1, 2} the cosine (bit 0 xor bit 1); q = 4 acts as 0. Negation = sign-bit flip.
    const SIGN: u64 = 1 << 63;
    let odd = qb & 1 != 0;
    let bs = if odd { c } else { s };
    let bc = if odd { s } else { c };
    let sign_s = (qb << 62) & SIGN;
    let sign_c = ((qb << 63) ^ (qb << 62)) & SIGN;
    (
        f64::from_bits(bs.to_bits() ^ sign_s),
        f64::from_bits(bc.to_bits() ^ sign_c),
    )
}

/// The two uniforms of one 64-bit random word: `(1 − v, v)` with v ∈ [0, 1) the top 52 bits
/// as a fraction, so the first lies in (0, 1] (safe for a logarithm) and the second in [0, 1).
#[inline(always)]
pub fn unit_pair(x: u64) -> (f64, f64) {
    let m = f64::from_bits((x >> 12) | 0x3ff0_0000_0000_0000);
    (2.0 - m, m - 1.0)
}

/// Two independent standard normals from two uniforms (Box–Muller).
///
/// # Formula
/// r = √(−2 ln u₁), (z₀, z₁) = (r cos 2πu₂, r sin 2πu₂) for u₁ ∈ (0, 1], u₂ ∈ [0, 1).
/// Reference: G. E. P. Box and M. E. Muller, *Ann. Math. Statist.* 29 (1958) 610–611.
#[inline(always)]
pub fn box_muller(u1: f64, u2: f64) -> (f64, f64) {
    let r = (-2.0 * ln(u1)).sqrt();
    let (s, c) = sincos_2pi(u2);
    (r * c, r * s)
}

/// [`box_muller`] for u₁ ≥ 2^−1022 (as the first uniform of [`unit_pair`] always is: ≥ 2^−52),
/// with [`ln_normal`]: the same bits on that domain, a few operations fewer.
#[inline(always)]
pub fn box_muller_normal(u1: f64, u2: f64) -> (f64, f64) {
    let r = (-2.0 * ln_normal(u1)).sqrt();
    let (s, c) = sincos_2pi(u2);
    (r * c, r * s)
}

/// [`box_muller`] with the standard library's functions: the reference the fast version is
/// tested against.
pub fn box_muller_std(u1: f64, u2: f64) -> (f64, f64) {
    let r = (-2.0 * u1.ln()).sqrt();
    let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
    (r * c, r * s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            ((a - b) / b.abs().max(1e-300)).abs()
        }
    }

    #[test]
    fn exp_matches_std() {
        let mut worst = 0.0f64;
        let mut x = -700.0;
        while x < 700.0 {
            worst = worst.max(rel(exp(x), x.exp()));
            x += 0.012_345_678_9;
        }
        eprintln!("exp: worst relative error {worst:e}");
        assert!(worst < 1e-13, "worst relative error {worst}");
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(-800.0), 0.0);
    }

    #[test]
    fn ln_matches_std() {
        let mut worst = 0.0f64;
        let mut x = 1e-310;
        while x < 1e300 {
            let a = ln(x);
            let b = x.ln();
            // Relative error, or absolute near ln x = 0.
            worst = worst.max((a - b).abs() / b.abs().max(1.0));
            x *= 1.000_731;
        }
        assert!(worst < 1e-12, "worst error {worst}");
        let mut worst = 0.0f64;
        for i in 1..100_000 {
            let x = i as f64 / 100_000.0;
            worst = worst.max((ln(x) - x.ln()).abs());
        }
        // Absolute error is what enters s_k = Σ ω ln q.
        eprintln!("ln: worst absolute error on (0, 1) {worst:e}");
        assert!(worst < 5e-14, "worst absolute error on (0, 1): {worst}");
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn ln_normal_and_box_muller_normal_give_the_same_bits() {
        // On positive normal numbers the shortcut versions must not change a single bit.
        let mut x = f64::MIN_POSITIVE;
        while x < 1e300 {
            assert_eq!(ln_normal(x).to_bits(), ln(x).to_bits(), "x = {x}");
            x *= 1.000_731;
        }
        for i in 0..100_000u64 {
            let (u1, _) = unit_pair(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let (_, u2) = unit_pair(i.wrapping_mul(0xbf58_476d_1ce4_e5b9));
            let (a, b) = box_muller(u1, u2);
            let (c, d) = box_muller_normal(u1, u2);
            assert_eq!((a.to_bits(), b.to_bits()), (c.to_bits(), d.to_bits()));
        }
        // The extremes of unit_pair: u₁ = 2^−52 and 1.
        assert_eq!(unit_pair(u64::MAX).0, f64::EPSILON);
        assert_eq!(unit_pair(0).0, 1.0);
        assert_eq!(ln_normal(1.0), 0.0);
        assert_eq!(
            ln_normal(f64::EPSILON).to_bits(),
            ln(f64::EPSILON).to_bits()
        );
    }

    #[test]
    fn sincos_quadrants() {
        // sin/cos of 2πt at the quadrant points t = 0, 1/4, 1/2, 3/4, 1 (q = 0..4) and just
        // around them, against the standard library.
        for q in 0..=4 {
            for d in [-1e-3, -1e-9, 0.0, 1e-9, 1e-3] {
                let t = (q as f64 * 0.25 + d).clamp(0.0, 1.0);
                let (s, c) = sincos_2pi(t);
                let (es, ec) = (std::f64::consts::TAU * t).sin_cos();
                assert!((s - es).abs() < 1e-14 && (c - ec).abs() < 1e-14, "t = {t}");
            }
        }
        // Exact values where the reduced angle is 0: sin 0 = 0, cos 0 = 1, sin π/2 = 1, …
        assert_eq!(sincos_2pi(0.0), (0.0, 1.0));
        assert_eq!(sincos_2pi(0.25), (1.0, -0.0));
        assert_eq!(sincos_2pi(0.5), (-0.0, -1.0));
        assert_eq!(sincos_2pi(0.75), (-1.0, 0.0));
    }

    #[test]
    fn box_muller_matches_std() {
        let mut worst = 0.0f64;
        for i in 0..200_000u64 {
            let x = i.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (i << 7);
            let y = i.wrapping_mul(0xbf58_476d_1ce4_e5b9).rotate_left(17);
            let (u1, _) = unit_pair(x);
            let (_, u2) = unit_pair(y);
            let (a0, a1) = box_muller(u1, u2);
            let (b0, b1) = box_muller_std(u1, u2);
            worst = worst.max((a0 - b0).abs()).max((a1 - b1).abs());
        }
        eprintln!("box_muller: worst absolute error {worst:e}");
        assert!(worst < 2e-13, "worst absolute error {worst}");
    }
}
