//! Global sensitivity: Sobol first-order and total indices (docs/sweeps.md, "Global
//! sensitivity"), streamed in chunks of base rows into mergeable sums, so memory does not
//! depend on N and a run can be sharded (docs/scaling.md).

use std::sync::Mutex;

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{LANES, Model, Row, Scratch};
use super::partial::{f64_from_hex, f64_hex};
use super::shard;
use super::uncertainty::{Domain, Stream};
use crate::case::Case;
use crate::case::provenance::Provenance;
use crate::error::{Error, Failure, Refused};
use crate::output::Header;

/// Bootstrap resamples of the base rows for the 95% intervals.
pub const RESAMPLES: usize = 500;

/// Estimated indices of one factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    /// First-order index S1.
    pub s1: f64,
    /// 95% bootstrap percentile interval of S1.
    pub s1_ci: [f64; 2],
    /// Total index ST.
    pub st: f64,
    /// 95% bootstrap percentile interval of ST.
    pub st_ci: [f64; 2],
}

/// One factor of a Sobol summary (`null` indices when Var(Y) = 0).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SobolFactor {
    /// `"priors"` or an evidence item's id.
    pub id: String,
    /// First-order index (Saltelli 2010).
    pub s1: Option<f64>,
    /// Its 95% interval.
    pub s1_ci: Option<[f64; 2]>,
    /// Total index (Jansen 1999).
    pub st: Option<f64>,
    /// Its 95% interval.
    pub st_ci: Option<[f64; 2]>,
}

/// The result of `sweep sobol` (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SobolSummary {
    /// `schema_version`, `case`, `command` = `"sobol"`.
    #[serde(flatten)]
    pub header: Header,
    /// `"posterior:<leader>"`.
    pub output: String,
    /// Base rows N.
    pub samples: u64,
    /// Seed.
    pub seed: u64,
    /// Factors in canonical order (`priors` first, then items in declaration order).
    pub factors: Vec<SobolFactor>,
}

impl SobolSummary {
    /// What makes the indices meaningless, if anything: no factor, or an output that does not
    /// vary (Var(Y) = 0, every index absent). The command prints them on stderr and the
    /// Markdown above its table; they are not part of the JSON.
    pub fn warnings(&self) -> Vec<String> {
        match self.factors.first() {
            None => {
                vec!["no quantity of this case has a range: there is nothing to analyse".into()]
            }
            Some(f) if f.s1.is_none() => {
                let leader = (self.output.strip_prefix("posterior:")).unwrap_or(&self.output);
                vec![format!(
                    "the posterior of `{leader}` does not vary over the scenarios (Var(Y) = 0): Sobol indices are undefined",
                )]
            }
            Some(_) => Vec::new(),
        }
    }
}

/// Base rows per chunk: one batch of the kernel. Chunk c's draws and bootstrap weights
/// depend only on (seed, c), so shards and threads give the same bits.
pub const CHUNK: u64 = LANES as u64;

/// Scale of the fixed-point sums: 2^64.
const FIXED: f64 = 18_446_744_073_709_551_616.0;

/// Thresholds of the Poisson(1) distribution function on 64-bit words:
/// `POISSON[k]` = ⌊P(X ≤ k)·2^64⌋ (computed with 60-digit decimals; beyond k = 19 the
/// distribution function rounds to 1).
const POISSON: [u64; 20] = [
    0x5e2d_58d8_b3bc_df1a,
    0xbc5a_b1b1_6779_be35,
    0xeb71_5e1d_c158_2dc2,
    0xfb23_9797_34a2_52f1,
    0xff10_25f5_9174_dc3d,
    0xffd9_0f3b_a405_5e19,
    0xfffa_8b71_fc72_c913,
    0xffff_540c_0914_b3c9,
    0xffff_ed1f_4aa8_f120,
    0xffff_fe21_6e64_1462,
    0xffff_ffd4_d85d_3183,
    0xffff_fffc_6da2_62b4,
    0xffff_ffff_ba12_d178,
    0xffff_ffff_fb07_c64c,
    0xffff_ffff_ffab_8ea5,
    0xffff_ffff_fffa_be22,
    0xffff_ffff_ffff_b11a,
    0xffff_ffff_ffff_fba1,
    0xffff_ffff_ffff_ffc5,
    0xffff_ffff_ffff_fffd,
];

/// A Poisson(1) count from a uniform 64-bit word (inversion of the distribution function).
fn poisson(u: u64) -> u8 {
    POISSON.iter().take_while(|&&t| t <= u).count() as u8
}

/// The bootstrap weights of a chunk's `rows` base rows: `w[r·rows + j]` ~ Poisson(1) is how
/// many times resample r + 1 counts row j (the Poisson bootstrap), drawn from the chunk's own
/// stream in row order, then resample order.
fn chunk_weights(seed: u64, chunk: u64, rows: usize, resamples: usize) -> Vec<u8> {
    let mut st = Stream::new(seed, Domain::Bootstrap, chunk);
    let mut buf = Vec::new();
    let mut w = vec![0u8; resamples * rows];
    for j in 0..rows {
        for r in 0..resamples {
            w[r * rows + j] = poisson(st.next_u64(&mut buf));
        }
    }
    w
}

/// Σ x_j and Σ y_j over a chunk's rows (replicate 0), then Σ w_rj x_j and Σ w_rj y_j for each
/// resample r: 2(R + 1) sums, each in a fixed order (eight partial sums, then their total).
fn replicate_sums(w: &[u8], x: &[f64], y: &[f64]) -> Vec<f64> {
    fn dot(w: impl Iterator<Item = f64>, x: &[f64]) -> f64 {
        let mut acc = [0.0; 8];
        for (i, (w, &x)) in w.zip(x).enumerate() {
            acc[i % 8] += w * x;
        }
        acc.iter().sum()
    }
    let rows = x.len();
    let mut out = Vec::with_capacity(2 + 2 * w.len() / rows.max(1));
    out.push(dot(std::iter::repeat(1.0), x));
    out.push(dot(std::iter::repeat(1.0), y));
    for wr in w.chunks_exact(rows.max(1)) {
        out.push(dot(wr.iter().map(|&w| f64::from(w)), x));
        out.push(dot(wr.iter().map(|&w| f64::from(w)), y));
    }
    out
}

/// Adds one chunk's floating-point sums to fixed-point totals (each rounded once, here).
fn add_fixed(total: &mut [i128], sums: &[f64]) {
    for (t, s) in total.iter_mut().zip(sums) {
        *t += (s * FIXED).round() as i128;
    }
}

/// Streaming, mergeable sums of a Sobol design (docs/sweeps.md, "Global sensitivity"):
/// everything the indices and their bootstrap intervals need, whatever the number of base
/// rows N. Every sum is an integer (a count, or a sum in units of 2^-64, rounded once per
/// chunk) or a minimum or maximum, so merging is exact and associative. Memory:
/// 16·(F + 1)·2(R + 1) bytes for F factors and R resamples.
#[derive(Debug, Clone, PartialEq)]
pub struct Accumulator {
    /// Base rows seen.
    pub rows: u64,
    /// Smallest output f(A_j), f(B_j) seen.
    pub min: f64,
    /// Largest output seen.
    pub max: f64,
    /// Σ_j w_rj for replicate r = 0 (the sample itself, w = 1) and each resample r = 1..R.
    pub weights: Vec<u64>,
    /// Block 0: per replicate, Σ w (d_A + d_B) and Σ w (d_A² + d_B²), d = y − the centre;
    /// block i + 1: per replicate, Σ w f(B)(f(A_B^i) − f(A)) and Σ w (f(A) − f(A_B^i))².
    pub blocks: Vec<Vec<i128>>,
    /// The centre the outputs are taken from in block 0 (the point value), for accuracy.
    pub centre: f64,
}

impl Accumulator {
    /// Empty sums for `factors` factors and `resamples` bootstrap resamples.
    pub fn new(factors: usize, resamples: usize, centre: f64) -> Accumulator {
        Accumulator {
            rows: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            weights: vec![0; resamples + 1],
            blocks: vec![vec![0; 2 * (resamples + 1)]; factors + 1],
            centre,
        }
    }

    /// Number of bootstrap resamples R.
    pub fn resamples(&self) -> usize {
        self.weights.len() - 1
    }

    /// Merges another accumulator of the same design (exact; order does not matter).
    pub fn merge(&mut self, other: &Accumulator) {
        self.rows += other.rows;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        for (a, b) in self.weights.iter_mut().zip(&other.weights) {
            *a += b;
        }
        for (a, b) in self.blocks.iter_mut().zip(&other.blocks) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// S1 and ST of every factor for replicate `r` (0: the sample; r ≥ 1: resample r);
    /// `None` when its variance is not positive.
    ///
    /// # Formula
    /// With W = Σ w, V = Σ w (d_A² + d_B²)/(2W) − (Σ w (d_A + d_B)/(2W))², the population
    /// variance of the 2W outputs of A and B;
    /// S1_i = (Σ w f(B)(f(A_B^i) − f(A)) / W) / V (Saltelli et al. 2010),
    /// ST_i = (Σ w (f(A) − f(A_B^i))² / W) / (2V) (Jansen 1999).
    fn replicate(&self, r: usize) -> Option<Vec<(f64, f64)>> {
        let w = self.weights[r] as f64;
        let sum = |b: usize, x: usize| self.blocks[b][2 * r + x] as f64 / FIXED;
        let mean = sum(0, 0) / (2.0 * w);
        let v = sum(0, 1) / (2.0 * w) - mean * mean;
        if w == 0.0 || v <= 0.0 || !v.is_finite() {
            return None;
        }
        Some(
            (1..self.blocks.len())
                .map(|b| (sum(b, 0) / w / v, sum(b, 1) / w / (2.0 * v)))
                .collect(),
        )
    }

    /// The indices with their 95% percentile intervals over the resamples; `None` when
    /// Var(Y) = 0 (every output the same).
    pub fn indices(&self) -> Option<Vec<Indices>> {
        if self.rows == 0 || self.min >= self.max {
            return None;
        }
        let point = self.replicate(0)?;
        let boots: Vec<Vec<(f64, f64)>> = (1..=self.resamples())
            .filter_map(|r| self.replicate(r))
            .collect();
        Some(
            point
                .iter()
                .enumerate()
                .map(|(i, &(s1, st))| {
                    let ci = |pick: fn(&(f64, f64)) -> f64| {
                        let mut v: Vec<f64> = boots.iter().map(|b| pick(&b[i])).collect();
                        if v.is_empty() {
                            return [s1.min(st), s1.max(st)];
                        }
                        v.sort_by(f64::total_cmp);
                        [percentile(&v, 0.025), percentile(&v, 0.975)]
                    };
                    Indices {
                        s1,
                        s1_ci: ci(|x| x.0),
                        st,
                        st_ci: ci(|x| x.1),
                    }
                })
                .collect(),
        )
    }
}

/// The q-quantile of sorted values, linear between order statistics (numpy's default).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// An accumulator being filled by several threads: one lock for the outputs' block and one
/// per factor, so threads working on different factors never wait for each other.
struct Pending {
    head: Mutex<Accumulator>,
    factors: Vec<Mutex<Vec<i128>>>,
}

impl Pending {
    fn new(factors: usize, resamples: usize, centre: f64) -> Pending {
        Pending {
            head: Mutex::new(Accumulator::new(0, resamples, centre)),
            factors: (0..factors)
                .map(|_| Mutex::new(vec![0; 2 * (resamples + 1)]))
                .collect(),
        }
    }

    /// Adds a chunk's outputs f(A_j), f(B_j) with its bootstrap weights `w`.
    fn add_outputs(&self, w: &[u8], ya: &[f64], yb: &[f64]) {
        let rows = ya.len();
        let mut acc = self.head.lock().unwrap_or_else(|e| e.into_inner());
        let c = acc.centre;
        let (mut x, mut y) = (vec![0.0; rows], vec![0.0; rows]);
        for j in 0..rows {
            let (da, db) = (ya[j] - c, yb[j] - c);
            x[j] = da + db;
            y[j] = da * da + db * db;
            acc.min = acc.min.min(ya[j]).min(yb[j]);
            acc.max = acc.max.max(ya[j]).max(yb[j]);
        }
        acc.rows += rows as u64;
        acc.weights[0] += rows as u64;
        for (r, wr) in w.chunks_exact(rows.max(1)).enumerate() {
            acc.weights[r + 1] += wr.iter().map(|&x| u64::from(x)).sum::<u64>();
        }
        add_fixed(&mut acc.blocks[0], &replicate_sums(w, &x, &y));
    }

    /// Adds a chunk's f(A_B^i) for factor `i`.
    fn add_factor(&self, i: usize, w: &[u8], ya: &[f64], yb: &[f64], yab: &[f64]) {
        let rows = ya.len();
        let (mut x, mut y) = (vec![0.0; rows], vec![0.0; rows]);
        for j in 0..rows {
            x[j] = yb[j] * (yab[j] - ya[j]);
            y[j] = (ya[j] - yab[j]) * (ya[j] - yab[j]);
        }
        let sums = replicate_sums(w, &x, &y);
        add_fixed(
            &mut self.factors[i].lock().unwrap_or_else(|e| e.into_inner()),
            &sums,
        );
    }

    fn finish(self) -> Accumulator {
        let mut acc = self.head.into_inner().unwrap_or_else(|e| e.into_inner());
        for f in self.factors {
            acc.blocks
                .push(f.into_inner().unwrap_or_else(|e| e.into_inner()));
        }
        acc
    }
}

/// The Sobol estimator for any model `f` of `dims` independent U(0, 1) inputs, with factors
/// given as groups of input positions: N base rows of A and B from a xoshiro256++ stream of
/// `seed`, N·(F + 2) evaluations, then the indices of [`Accumulator::indices`] with
/// `resamples` bootstrap resamples (chunks of [`CHUNK`] rows as in [`run`]).
/// `None` when Var(Y) = 0.
pub fn estimate<F: Fn(&[f64]) -> f64 + Sync>(
    dims: usize,
    factors: &[Vec<usize>],
    n: usize,
    seed: u64,
    resamples: usize,
    f: F,
) -> Option<Vec<Indices>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut unit = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let a: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..dims).map(|_| unit()).collect())
        .collect();
    let b: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..dims).map(|_| unit()).collect())
        .collect();
    let pending = Pending::new(factors.len(), resamples, 0.0);
    (0..n.div_ceil(LANES)).into_par_iter().for_each(|c| {
        let rows = c * LANES..((c + 1) * LANES).min(n);
        let w = chunk_weights(seed, c as u64, rows.len(), resamples);
        let ya: Vec<f64> = rows.clone().map(|j| f(&a[j])).collect();
        let yb: Vec<f64> = rows.clone().map(|j| f(&b[j])).collect();
        pending.add_outputs(&w, &ya, &yb);
        for (i, cols) in factors.iter().enumerate() {
            let yab: Vec<f64> = rows
                .clone()
                .map(|j| {
                    let mut x = a[j].clone();
                    for &col in cols {
                        x[col] = b[j][col];
                    }
                    f(&x)
                })
                .collect();
            pending.add_factor(i, &w, &ya, &yb, &yab);
        }
    });
    pending.finish().indices()
}

/// A partial result of `sweep sobol --shard k/n` (docs/scaling.md): the sums of chunks
/// `[chunks[0], chunks[1])` with a fingerprint of the case, N, the seed and R.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SobolPartial {
    /// Always 1.
    pub schema_version: u32,
    /// Case name.
    pub case: String,
    /// `"sobol-partial"`.
    pub command: String,
    /// The provenance of the whole run's result.
    pub provenance: Provenance,
    /// Fingerprint of the case as applied (with overrides), N, the seed and R.
    pub fingerprint: String,
    /// Base rows N of the whole run.
    pub samples: u64,
    /// Seed of the whole run.
    pub seed: u64,
    /// `[k, n]`.
    pub shard: [u64; 2],
    /// The chunk range `[start, end)` this part covers.
    pub chunks: [u64; 2],
    /// `"posterior:<leader>"`.
    pub output: String,
    /// The factors' ids, in canonical order.
    pub factors: Vec<String>,
    /// The sums of the part's chunks.
    pub accumulator: AccumulatorJson,
    /// FNV-1a (128 bits) of the part as written with this field empty: `merge` refuses a part
    /// changed since (docs/scaling.md).
    pub checksum: String,
}

impl shard::Part for SobolPartial {
    const COMMAND: &'static str = "sobol-partial";
    const FINISHED: &'static str = "sobol";
    const RUN: &'static str = "Sobol";
    const NAME: &'static str = "partial Sobol result";
    const WRITE_WITH: &'static str = "abduce sweep sobol --shard K/N";

    fn schema_version(&self) -> u32 {
        self.schema_version
    }

    fn checksum(&self) -> &str {
        &self.checksum
    }

    fn checksum_mut(&mut self) -> &mut String {
        &mut self.checksum
    }
}

/// The serialised form of an [`Accumulator`]: floats as their IEEE bits in hex, the
/// fixed-point sums as decimal strings (exact in any JSON reader).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccumulatorJson {
    /// Base rows seen.
    pub rows: u64,
    /// The centre, IEEE bits in hex.
    pub centre: String,
    /// Smallest output, IEEE bits in hex.
    pub min: String,
    /// Largest output, IEEE bits in hex.
    pub max: String,
    /// Σ w per replicate.
    pub weights: Vec<u64>,
    /// The blocks of sums, decimal.
    pub blocks: Vec<Vec<String>>,
}

impl Accumulator {
    /// The serialised form.
    pub fn to_json(&self) -> AccumulatorJson {
        AccumulatorJson {
            rows: self.rows,
            centre: f64_hex(self.centre),
            min: f64_hex(self.min),
            max: f64_hex(self.max),
            weights: self.weights.clone(),
            blocks: (self.blocks.iter())
                .map(|b| b.iter().map(i128::to_string).collect())
                .collect(),
        }
    }

    /// Reads the serialised form back; `None` when it is malformed or not for `factors`
    /// factors and `resamples` resamples.
    pub fn from_json(j: &AccumulatorJson, factors: usize, resamples: usize) -> Option<Self> {
        let len = 2 * (resamples + 1);
        if j.weights.len() != resamples + 1
            || j.blocks.len() != factors + 1
            || j.blocks.iter().any(|b| b.len() != len)
        {
            return None;
        }
        Some(Accumulator {
            rows: j.rows,
            min: f64_from_hex(&j.min)?,
            max: f64_from_hex(&j.max)?,
            centre: f64_from_hex(&j.centre)?,
            weights: j.weights.clone(),
            blocks: (j.blocks.iter())
                .map(|b| b.iter().map(|x| x.parse().ok()).collect())
                .collect::<Option<_>>()?,
        })
    }
}

impl SobolOutput {
    /// Sets a part's checksum.
    fn sealed(self) -> SobolOutput {
        match self {
            SobolOutput::Partial(p) => SobolOutput::Partial(shard::Part::sealed(p)),
            s => s,
        }
    }
}

/// What [`run_sharded`] returns: the summary, or a partial result when a shard is run.
// One value per run, moved once: boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum SobolOutput {
    /// A whole run.
    Summary(SobolSummary),
    /// One shard.
    Partial(SobolPartial),
}

/// Runs `sweep sobol` (docs/sweeps.md): Y = the point leader's posterior; one factor per
/// evidence item with varying quantities, and `priors`; `n` base rows (N·(F + 2) scenarios)
/// in chunks of [`CHUNK`] rows. `progress` is called with the number of scenarios scored.
///
/// # Errors
/// `n` = 0; an inconsistent case.
pub fn run(
    case: &Case,
    n: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SobolSummary, Error> {
    run_with(case, n, seed, RESAMPLES, progress)
}

/// [`run`] with `resamples` bootstrap resamples (at least 100) instead of [`RESAMPLES`].
///
/// # Errors
/// As [`run`]; fewer than 100 resamples ([`Refused::TooFewResamples`]).
pub fn run_with(
    case: &Case,
    n: u64,
    seed: u64,
    resamples: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SobolSummary, Error> {
    match run_sharded(case, n, seed, resamples, None, progress)? {
        SobolOutput::Summary(s) => Ok(s),
        SobolOutput::Partial(_) => unreachable!("no shard was asked for"),
    }
}

/// The factors' ids in canonical order, and the factor of each quantity.
fn factor_names(model: &Model) -> (Vec<String>, Vec<usize>) {
    let mut names: Vec<String> = Vec::new();
    let mut member = Vec::new();
    for q in &model.quantities {
        if names.last() != Some(&q.factor) {
            names.push(q.factor.clone());
        }
        member.push(names.len() - 1);
    }
    (names, member)
}

/// Number of chunks ⌈N / [`CHUNK`]⌉.
pub fn chunk_count(n: u64) -> u64 {
    n.div_ceil(CHUNK)
}

/// Base rows of shard `k` of `n` in a run of `samples` rows.
pub fn shard_rows(samples: u64, k: u64, n: u64) -> u64 {
    let (a, b) = shard::chunk_range(chunk_count(samples), k, n);
    (b * CHUNK).min(samples) - (a * CHUNK).min(samples)
}

/// [`run_with`], or only shard `(k, n)` of it (chunks [⌊(k−1)C/n⌋, ⌊kC/n⌋) of the
/// C = ⌈N/256⌉ chunks), whose partial result `abduce merge` combines.
///
/// Chunk c's rows of A and B are standard normals from streams of (seed, c, quantity), its
/// bootstrap weights from a stream of (seed, c): nothing depends on the thread or shard.
/// f(A_B^i) is computed from f(A)'s log scores as s(A) − cᵢ(A) + cᵢ(B), where cᵢ is factor
/// i's own contribution (so each scenario costs what its factor costs, not the whole case);
/// when cᵢ(A) is not finite (a likelihood of 0), the scenario is scored in full.
///
/// # Errors
/// As [`run_with`]; a shard out of range.
pub fn run_sharded(
    case: &Case,
    n: u64,
    seed: u64,
    resamples: usize,
    shard: Option<(u64, u64)>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SobolOutput, Error> {
    if resamples < 100 {
        return Err(Refused::TooFewResamples { min: 100 }.into());
    }
    if n == 0 {
        return Err(Refused::NoScenarios.into());
    }
    if let Some((k, of)) = shard
        && (k == 0 || k > of)
    {
        return Err(Refused::ShardOutOfRange { k, n: of }.into());
    }
    let model = Model::compile(case)?;
    let leader = model.leader();
    let (names, member) = factor_names(&model);
    let output = format!("posterior:{}", case.hypotheses[leader].id);
    let (c0, c1) = match shard {
        Some((k, of)) => shard::chunk_range(chunk_count(n), k, of),
        None => (0, chunk_count(n)),
    };
    let design = Design {
        model: &model,
        member: &member,
        factors: names.len(),
        n,
        seed,
        resamples,
        incremental: true,
    };
    let acc = design.accumulate(c0, c1, progress)?;
    Ok(match shard {
        None => SobolOutput::Summary(summarise(
            &case.name,
            case.provenance.clone(),
            &output,
            n,
            seed,
            &names,
            &acc,
        )),
        Some((k, of)) => SobolOutput::Partial(SobolPartial {
            schema_version: crate::output::SCHEMA_VERSION,
            case: case.name.clone(),
            command: "sobol-partial".into(),
            provenance: case.provenance.clone(),
            fingerprint: fingerprint(case, n, seed, resamples),
            samples: n,
            seed,
            shard: [k, of],
            chunks: [c0, c1],
            output,
            factors: names,
            accumulator: acc.to_json(),
            checksum: String::new(),
        })
        .sealed(),
    })
}

/// The fingerprint of a Sobol run: the case as applied (file paths excluded), N, the seed
/// and the number of resamples.
fn fingerprint(case: &Case, n: u64, seed: u64, resamples: usize) -> String {
    let mut c = case.clone();
    c.files.clear();
    c.bundled = false;
    shard::fnv128(&format!("sobol|{c:?}|{n}|{seed}|{resamples}"))
}

/// A Sobol design on a compiled case.
struct Design<'a> {
    model: &'a Model,
    /// The factor of each quantity.
    member: &'a [usize],
    factors: usize,
    n: u64,
    seed: u64,
    resamples: usize,
    /// Score f(A_B^i) from s(A) and factor i's contributions (else every scenario in full:
    /// the reference the tests compare with).
    incremental: bool,
}

impl Design<'_> {
    /// Scores chunks `[c0, c1)` of the design and returns their sums.
    fn accumulate(
        &self,
        c0: u64,
        c1: u64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Accumulator, Error> {
        let Design {
            model,
            member,
            factors: f,
            n,
            seed,
            resamples,
            incremental,
        } = *self;
        let leader = model.leader();
        let k = model.k;
        let d = model.dims() as u64;
        let subs = model.factor_models();
        // The first quantity of each factor (a factor's quantities are contiguous).
        let mut first = vec![0; f];
        for (v, &m) in member.iter().enumerate().rev() {
            first[m] = v;
        }
        let pending = Pending::new(f, resamples, model.point_posteriors[leader]);
        // Quantity v of chunk c in matrix A or B: its own stream, so any row can be drawn again.
        let fill = |dom: Domain, c: u64, v: usize, row: &mut Row| {
            Stream::new(seed, dom, c.wrapping_mul(d).wrapping_add(v as u64)).fill_normals(row);
        };
        (c0..c1).into_par_iter().try_for_each(|c| {
            let rows = (n - c * CHUNK).min(CHUNK) as usize;
            let w = chunk_weights(seed, c, rows, resamples);
            let mut scratch = Scratch::new(k);
            model.eval(&mut scratch, rows, |v, row| fill(Domain::SobolA, c, v, row))?;
            let ya = scratch.p[leader];
            let sa = scratch.s.clone();
            model.eval(&mut scratch, rows, |v, row| fill(Domain::SobolB, c, v, row))?;
            let yb = scratch.p[leader];
            pending.add_outputs(&w, &ya[..rows], &yb[..rows]);
            progress(2 * rows as u64);
            (0..f).into_par_iter().try_for_each_init(
                || (Scratch::new(k), vec![[0.0; LANES]; k]),
                |(scratch, ca), i| {
                    let q0 = first[i];
                    let sub = &subs[i];
                    sub.scores(scratch, |v, row| fill(Domain::SobolA, c, q0 + v, row));
                    ca.clone_from(&scratch.s);
                    sub.scores(scratch, |v, row| fill(Domain::SobolB, c, q0 + v, row));
                    let finite =
                        incremental && ca.iter().all(|r| r[..rows].iter().all(|x| x.is_finite()));
                    let mut yab = [0.0; LANES];
                    if finite {
                        for j in 0..k {
                            for l in 0..LANES {
                                ca[j][l] = (sa[j][l] - ca[j][l]) + scratch.s[j][l];
                            }
                        }
                        model.posterior_of(ca, leader, &mut yab);
                        if yab[..rows].iter().any(|p| p.is_nan()) {
                            return Err(Error::from(Failure::ScenarioEliminatesAll));
                        }
                    } else {
                        model.eval(scratch, rows, |v, row| {
                            let dom = if member[v] == i {
                                Domain::SobolB
                            } else {
                                Domain::SobolA
                            };
                            fill(dom, c, v, row);
                        })?;
                        yab = scratch.p[leader];
                    }
                    pending.add_factor(i, &w, &ya[..rows], &yb[..rows], &yab[..rows]);
                    progress(rows as u64);
                    Ok(())
                },
            )
        })?;
        Ok(pending.finish())
    }
}

/// The summary of a complete accumulator: without factors when there is nothing to analyse,
/// and with every index absent when the output does not vary ([`SobolSummary::warnings`]).
fn summarise(
    case: &str,
    provenance: Provenance,
    output: &str,
    n: u64,
    seed: u64,
    names: &[String],
    acc: &Accumulator,
) -> SobolSummary {
    let est = if names.is_empty() {
        None
    } else {
        acc.indices()
    };
    let factors = names
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let x = est.as_ref().map(|e| e[i]);
            SobolFactor {
                id: id.clone(),
                s1: x.map(|x| x.s1),
                s1_ci: x.map(|x| x.s1_ci),
                st: x.map(|x| x.st),
                st_ci: x.map(|x| x.st_ci),
            }
        })
        .collect();
    SobolSummary {
        header: Header::named(case, "sobol", provenance),
        output: output.to_string(),
        samples: n,
        seed,
        factors,
    }
}

/// A part read and checked on its own.
struct ReadPart {
    doc: SobolPartial,
    acc: Accumulator,
}

/// Reads one part; the message says what is wrong with it.
fn read_part(text: &str) -> Result<ReadPart, String> {
    let doc: SobolPartial = shard::decode(text)?;
    shard::Part::check_checksum(&doc)?;
    let [c0, c1] = doc.chunks;
    if c0 > c1 || c1 > chunk_count(doc.samples) {
        return Err(format!("the chunk range {c0}..{c1} is malformed"));
    }
    let resamples = doc.accumulator.weights.len().saturating_sub(1);
    let acc = Accumulator::from_json(&doc.accumulator, doc.factors.len(), resamples)
        .filter(|a| resamples >= 100 && a.rows == shard_rows_of(doc.samples, c0, c1))
        .ok_or("the accumulator is malformed")?;
    Ok(ReadPart { doc, acc })
}

/// Base rows in chunks `[c0, c1)` of a run of `samples` rows.
fn shard_rows_of(samples: u64, c0: u64, c1: u64) -> u64 {
    (c1 * CHUNK).min(samples) - (c0 * CHUNK).min(samples)
}

/// What makes part `b` another run than part `a`, if anything.
fn other_run(a: &ReadPart, b: &ReadPart) -> Option<String> {
    let (x, y) = (&a.doc, &b.doc);
    if x.samples != y.samples {
        return Some(format!("--samples {} against {}", y.samples, x.samples));
    }
    if x.seed != y.seed {
        return Some(format!("--seed {} against {}", y.seed, x.seed));
    }
    if x.fingerprint != y.fingerprint {
        return Some("the case or its overrides (--set, --overlay) differ".into());
    }
    if x.case != y.case
        || x.output != y.output
        || x.factors != y.factors
        || a.acc.resamples() != b.acc.resamples()
        || a.acc.centre.to_bits() != b.acc.centre.to_bits()
    {
        return Some("the factors or the point values differ".into());
    }
    if x.provenance != y.provenance {
        return Some("the provenance differs (case files, overlays or --set)".into());
    }
    None
}

/// Combines the partial results of a sharded Sobol run into the summary of the whole run:
/// the same bytes as the unsharded run. Each part is `(name, text)`; problems are reported
/// under each part's name, all at once.
///
/// # Errors
/// No part ([`Refused::NoParts`]); malformed or tampered parts, parts of other runs, and gaps or
/// overlaps in the chunks they cover.
pub fn merge(parts: &[(String, String)]) -> Result<SobolSummary, Error> {
    let read = shard::read_parts(
        parts,
        read_part,
        other_run,
        |p| p.doc.chunks,
        |p| chunk_count(p.doc.samples),
        "chunks",
    )?;
    let first = &read[0].1;
    let mut acc = Accumulator::new(
        first.doc.factors.len(),
        first.acc.resamples(),
        first.acc.centre,
    );
    for (_, p) in &read {
        acc.merge(&p.acc);
    }
    Ok(summarise(
        &first.doc.case,
        first.doc.provenance.clone(),
        &first.doc.output,
        first.doc.samples,
        first.doc.seed,
        &first.doc.factors,
        &acc,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ishigami_indices() {
        // Ishigami (a = 7, b = 0.1) on [−π, π]³: S1 = 0.3139, 0.4424, 0;
        // ST = 0.5576, 0.4424, 0.2437 (Saltelli et al. 2008, Global Sensitivity Analysis).
        let f = |u: &[f64]| {
            let x: Vec<f64> = u
                .iter()
                .map(|u| -std::f64::consts::PI + std::f64::consts::TAU * u)
                .collect();
            x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
        };
        let est = estimate(3, &[vec![0], vec![1], vec![2]], 65_536, 1, 100, f).unwrap();
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!((est[i].s1 - s1[i]).abs() < 0.02, "S1[{i}] = {}", est[i].s1);
            assert!((est[i].st - st[i]).abs() < 0.02, "ST[{i}] = {}", est[i].st);
            assert!(est[i].s1_ci[0] <= est[i].s1 && est[i].s1 <= est[i].s1_ci[1]);
            assert!(est[i].st_ci[0] <= est[i].st && est[i].st <= est[i].st_ci[1]);
        }
    }

    #[test]
    fn streamed_sums_give_the_textbook_estimates_on_the_same_draws() {
        // The same A, B as `estimate` draws; S1 and ST computed directly from the formulas
        // of Saltelli (2010) and Jansen (1999) over all N rows must equal the streamed,
        // fixed-point estimates up to rounding.
        let f = |u: &[f64]| u[0] + 2.0 * u[1] * u[1] + u[0] * u[2];
        let (n, seed) = (1000, 7);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut unit = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let a: Vec<Vec<f64>> = (0..n).map(|_| (0..3).map(|_| unit()).collect()).collect();
        let b: Vec<Vec<f64>> = (0..n).map(|_| (0..3).map(|_| unit()).collect()).collect();
        let ya: Vec<f64> = a.iter().map(|x| f(x)).collect();
        let yb: Vec<f64> = b.iter().map(|x| f(x)).collect();
        let mean = (ya.iter().sum::<f64>() + yb.iter().sum::<f64>()) / (2 * n) as f64;
        let v = ya
            .iter()
            .chain(&yb)
            .map(|y| (y - mean).powi(2))
            .sum::<f64>()
            / (2 * n) as f64;
        let est = estimate(3, &[vec![0], vec![1], vec![2]], n, seed, 100, f).unwrap();
        for (i, e) in est.iter().enumerate() {
            let yab: Vec<f64> = (0..n)
                .map(|j| {
                    let mut x = a[j].clone();
                    x[i] = b[j][i];
                    f(&x)
                })
                .collect();
            let s1 = (0..n).map(|j| yb[j] * (yab[j] - ya[j])).sum::<f64>() / n as f64 / v;
            let st = (0..n).map(|j| (ya[j] - yab[j]).powi(2)).sum::<f64>() / n as f64 / (2.0 * v);
            assert!((e.s1 - s1).abs() < 1e-12, "S1[{i}] {} vs {s1}", e.s1);
            assert!((e.st - st).abs() < 1e-12, "ST[{i}] {} vs {st}", e.st);
        }
    }

    #[test]
    fn poisson_weights_have_the_poisson_frequencies() {
        // P(0) = P(1) = e⁻¹ = 0.3679, P(2) = e⁻¹/2 = 0.1839, P(3) = e⁻¹/6 = 0.0613.
        let w = chunk_weights(3, 0, 256, 400);
        let share = |k: u8| w.iter().filter(|&&x| x == k).count() as f64 / w.len() as f64;
        for (k, p) in [(0, 0.3679), (1, 0.3679), (2, 0.1839), (3, 0.0613)] {
            // 102,400 draws: the standard error of a share is below 0.0016.
            assert!((share(k) - p).abs() < 0.006, "P({k}) = {}", share(k));
        }
        assert_eq!(poisson(0), 0);
        assert_eq!(poisson(POISSON[0]), 1);
        assert_eq!(poisson(u64::MAX), 20);
    }

    #[test]
    fn incremental_scoring_equals_full_scoring() {
        // Varying priors, and an item whose fixed likelihood 0 on h1 (credibility 1) makes
        // its contribution −∞: that factor is scored in full, the others incrementally.
        use crate::case::{Cell, Evidence, Range};
        let mut case = crate::sweep::synthetic::case(4, 6, 1);
        case.hypotheses[0].prior_range = Some(Range { lo: 0.5, hi: 2.0 });
        case.hypotheses[1].prior_range = Some(Range { lo: 0.5, hi: 2.0 });
        let mut e = Evidence::new("zero", &[0.0, 0.5, 0.6, 0.4]);
        e.weight_range = Some(Range { lo: 0.5, hi: 2.0 });
        e.likelihood[1] = Cell::Value {
            value: 0.5,
            range: Some(Range { lo: 0.3, hi: 0.7 }),
        };
        case.evidence.push(e);
        let model = Model::compile(&case).unwrap();
        let (names, member) = factor_names(&model);
        assert_eq!(names.len(), 8);
        let run = |incremental| {
            let design = Design {
                model: &model,
                member: &member,
                factors: names.len(),
                n: 700,
                seed: 4,
                resamples: 100,
                incremental,
            };
            design.accumulate(0, 3, &|_| {}).unwrap().indices().unwrap()
        };
        let (fast, full) = (run(true), run(false));
        for (x, y) in fast.iter().zip(&full) {
            let pairs = [
                (x.s1, y.s1),
                (x.st, y.st),
                (x.s1_ci[0], y.s1_ci[0]),
                (x.s1_ci[1], y.s1_ci[1]),
                (x.st_ci[0], y.st_ci[0]),
                (x.st_ci[1], y.st_ci[1]),
            ];
            for (a, b) in pairs {
                assert!((a - b).abs() < 1e-10, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn constant_output_has_no_indices() {
        assert!(estimate(2, &[vec![0], vec![1]], 100, 0, 100, |_| 1.0).is_none());
    }
}
