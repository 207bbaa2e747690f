//! Branch-free polynomial `exp`, `ln`, `sin`/`cos` and a Box–Muller normal generator for the
//! sweeps' hot loop.
//!
//! Every function is a fixed sequence of IEEE-754 additions, multiplications, fused
//! multiply-adds (`f64::mul_add`, always fused: one rounding), divisions, square roots and
//! bit manipulations, with no table look-up, so the compiler can run it in SIMD lanes and
//! every lane (AVX2+FMA, or the portable path, where `mul_add` is the correctly rounded
//! libm `fma`) gives the same bits. Polynomial degrees are chosen for errors below about 1e-12 (tested against the
//! standard library), far inside the 1e-9 bound SPEC §5.2 allows for the sweeps. `score`,
//! `sweep tornado` and `sweep tipping` never use these functions.

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

/// e^x, branch-free.
///
/// # Formula
/// Cody–Waite reduction x = n·ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, then the
/// Taylor polynomial of e^r to degree 10 (relative truncation error < 3e-13) and e^x = 2^n · e^r
/// (2^n built from its exponent bits). Inputs are clamped to [−708, 708]; below −708 the
/// result is 0 (e^−708 ≈ 3e−308), so e^−∞ = 0.
/// Reference: W. J. Cody and W. Waite, *Software Manual for the Elementary Functions* (1980).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let xc = x.clamp(-708.0, 708.0);
    let t = xc.mul_add(LOG2E, MAGIC);
    let n = t - MAGIC;
    let ni = (t.to_bits() as i64).wrapping_sub(MAGIC.to_bits() as i64);
    let r = (-n).mul_add(LN2_LO, (-n).mul_add(LN2_HI, xc));
    let mut p: f64 = 1.0 / 3_628_800.0; // 1/10!
    p = p.mul_add(r, 1.0 / 362_880.0);
    p = p.mul_add(r, 1.0 / 40_320.0);
    p = p.mul_add(r, 1.0 / 5_040.0);
    p = p.mul_add(r, 1.0 / 720.0);
    p = p.mul_add(r, 1.0 / 120.0);
    p = p.mul_add(r, 1.0 / 24.0);
    p = p.mul_add(r, 1.0 / 6.0);
    p = p.mul_add(r, 0.5);
    p = p.mul_add(r, 1.0);
    p = p.mul_add(r, 1.0);
    let scale = f64::from_bits(((ni + 1023) as u64) << 52);
    let y = p * scale;
    if x < -708.0 { 0.0 } else { y }
}

/// ln x for x ≥ 0, branch-free (ln 0 = −∞; subnormal inputs are handled).
///
/// # Formula
/// x = m · 2^e with m ∈ [√½, √2); f = (m − 1)/(m + 1);
/// ln m = 2 atanh f = 2 Σ_{j=0}^{6} f^(2j+1)/(2j+1) (|f| ≤ 0.1716, truncation < 5e-13);
/// ln x = e · ln 2 + ln m with ln 2 split in two parts (Cody–Waite).
#[inline(always)]
pub fn ln(x: f64) -> f64 {
    let tiny = x < f64::MIN_POSITIVE;
    let xs = if tiny {
        x * 18_014_398_509_481_984.0
    } else {
        x
    }; // 2^54
    let bits = xs.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023 - if tiny { 54 } else { 0 };
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let big = m > std::f64::consts::SQRT_2;
    m = if big { m * 0.5 } else { m };
    e += if big { 1 } else { 0 };
    // Exact conversion of the small integer e to a double, without an i64→f64 instruction.
    let ef = f64::from_bits((e.wrapping_add(MAGIC.to_bits() as i64)) as u64) - MAGIC;
    let f = (m - 1.0) / (m + 1.0);
    let f2 = f * f;
    let mut p: f64 = 2.0 / 13.0;
    p = p.mul_add(f2, 2.0 / 11.0);
    p = p.mul_add(f2, 2.0 / 9.0);
    p = p.mul_add(f2, 2.0 / 7.0);
    p = p.mul_add(f2, 2.0 / 5.0);
    p = p.mul_add(f2, 2.0 / 3.0);
    p = p.mul_add(f2, 2.0);
    let lnm = f * p;
    let y = ef.mul_add(LN2_HI, ef.mul_add(LN2_LO, lnm));
    if x == 0.0 { f64::NEG_INFINITY } else { y }
}

/// (sin 2πt, cos 2πt) for t ∈ [0, 1], branch-free.
///
/// # Formula
/// q = round(4t), f = t − q/4 ∈ [−1/8, 1/8], a = 2πf ∈ [−π/4, π/4]; Taylor polynomials of
/// sin a (degree 13) and cos a (degree 14), truncation < 3e-14; the quadrant q rotates them.
#[inline(always)]
pub fn sincos_2pi(t: f64) -> (f64, f64) {
    let q = (4.0 * t + MAGIC) - MAGIC;
    let f = t - q * 0.25;
    let a = f * std::f64::consts::TAU;
    let a2 = a * a;
    let mut s: f64 = 1.0 / 6_227_020_800.0; // 1/13!
    s = s.mul_add(a2, -1.0 / 39_916_800.0);
    s = s.mul_add(a2, 1.0 / 362_880.0);
    s = s.mul_add(a2, -1.0 / 5_040.0);
    s = s.mul_add(a2, 1.0 / 120.0);
    s = s.mul_add(a2, -1.0 / 6.0);
    s = (s * a2).mul_add(a, a);
    let mut c: f64 = -1.0 / 87_178_291_200.0; // −1/14!
    c = c.mul_add(a2, 1.0 / 479_001_600.0);
    c = c.mul_add(a2, -1.0 / 3_628_800.0);
    c = c.mul_add(a2, 1.0 / 40_320.0);
    c = c.mul_add(a2, -1.0 / 720.0);
    c = c.mul_add(a2, 1.0 / 24.0);
    c = c.mul_add(a2, -0.5);
    c = c.mul_add(a2, 1.0);
    let odd = (q == 1.0) | (q == 3.0);
    let bs = if odd { c } else { s };
    let bc = if odd { s } else { c };
    let neg_s = (q == 2.0) | (q == 3.0);
    let neg_c = (q == 1.0) | (q == 2.0);
    (if neg_s { -bs } else { bs }, if neg_c { -bc } else { bc })
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
        assert!(worst < 5e-13, "worst relative error {worst}");
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
        assert!(worst < 1e-12, "worst absolute error on (0, 1): {worst}");
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
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
        assert!(worst < 1e-12, "worst absolute error {worst}");
    }
}
