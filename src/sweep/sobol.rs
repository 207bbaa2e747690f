//! Global sensitivity: Sobol first-order and total indices (SPEC §5.5).

use crate::render::fmt::{fixed, thousands};
use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

use super::model::{LANES, Model, Row, Scratch};
use super::uncertainty::{Domain, Stream};
use crate::case::Case;
use crate::error::Error;
use crate::output::{Document, Header};

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

/// The result of `sweep sobol` (SPEC §9).
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
    /// Warnings (e.g. Var(Y) = 0); printed to stderr by the command, not part of the JSON.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// f(A), f(B) and f(A_B^i) of one block of base rows.
type BlockOutputs = (Row, Row, Vec<Row>);

/// Model evaluations of a Sobol design: f(A), f(B) and f(A_B^i) for each factor i.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// f(A_j), j = 1..N.
    pub ya: Vec<f64>,
    /// f(B_j).
    pub yb: Vec<f64>,
    /// `yab[i][j]` = f(A_j with factor i's columns from B_j).
    pub yab: Vec<Vec<f64>>,
}

fn population_variance(ya: &[f64], yb: &[f64], idx: &[usize]) -> f64 {
    let n = 2.0 * idx.len() as f64;
    let mean = idx.iter().map(|&j| ya[j] + yb[j]).sum::<f64>() / n;
    idx.iter()
        .map(|&j| (ya[j] - mean).powi(2) + (yb[j] - mean).powi(2))
        .sum::<f64>()
        / n
}

/// S1 and ST of every factor over the base rows `idx` (with repetition for a bootstrap);
/// `None` when the population variance of the 2N outputs of A and B is 0.
///
/// # Formula
/// V = population variance (ddof 0) of {f(A_j)} ∪ {f(B_j)};
/// S1_i = mean_j f(B_j)(f(A_B^i_j) − f(A_j)) / V (Saltelli et al. 2010, *Comput. Phys.
/// Commun.* 181, 259–270); ST_i = mean_j (f(A_j) − f(A_B^i_j))² / (2V) (Jansen 1999,
/// *Comput. Phys. Commun.* 117, 35–43).
pub fn point_indices(d: &Design, idx: &[usize]) -> Option<Vec<(f64, f64)>> {
    let v = population_variance(&d.ya, &d.yb, idx);
    if v <= 0.0 || !v.is_finite() {
        return None;
    }
    let n = idx.len() as f64;
    Some(
        d.yab
            .iter()
            .map(|yab| {
                let (mut s1, mut st) = (0.0, 0.0);
                for &j in idx {
                    s1 += d.yb[j] * (yab[j] - d.ya[j]);
                    st += (d.ya[j] - yab[j]).powi(2);
                }
                (s1 / n / v, st / n / (2.0 * v))
            })
            .collect(),
    )
}

/// The q-quantile of sorted values, linear between order statistics (numpy's default).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Indices with 95% percentile intervals from `resamples` bootstrap resamples of the base
/// rows (resample r draws from its own stream of `seed`, so the result is deterministic);
/// `None` when Var(Y) = 0.
pub fn indices(d: &Design, seed: u64, resamples: usize) -> Option<Vec<Indices>> {
    let n = d.ya.len();
    let all: Vec<usize> = (0..n).collect();
    let point = point_indices(d, &all)?;
    let boots: Vec<Option<Vec<(f64, f64)>>> = (0..resamples as u64)
        .into_par_iter()
        .map(|r| {
            let mut st = Stream::new(seed, Domain::Bootstrap, r);
            let mut buf = Vec::new();
            let idx: Vec<usize> = (0..n)
                .map(|_| ((st.next_u64(&mut buf) as u128 * n as u128) >> 64) as usize)
                .collect();
            point_indices(d, &idx)
        })
        .collect();
    let boots: Vec<Vec<(f64, f64)>> = boots.into_iter().flatten().collect();
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

/// The Sobol estimator for any model `f` of `dims` independent U(0, 1) inputs, with factors
/// given as groups of input positions: N base rows of A and B from a xoshiro256++ stream of
/// `seed`, N·(F + 2) evaluations, then [`indices`] with `resamples` bootstrap resamples.
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
    let design = Design {
        ya: a.par_iter().map(|x| f(x)).collect(),
        yb: b.par_iter().map(|x| f(x)).collect(),
        yab: factors
            .iter()
            .map(|cols| {
                (0..n)
                    .into_par_iter()
                    .map(|j| {
                        let mut x = a[j].clone();
                        for &c in cols {
                            x[c] = b[j][c];
                        }
                        f(&x)
                    })
                    .collect()
            })
            .collect(),
    };
    indices(&design, seed, resamples)
}

/// Runs `sweep sobol` (SPEC §5.5): Y = the point leader's posterior; one factor per evidence
/// item with varying quantities, and `priors`; `n` base rows (N·(F + 2) scenarios scored by
/// the batch kernel). A and B come in blocks of 256 rows, block b drawn from its own streams
/// of (seed, b), so the result is deterministic whatever the number of threads.
/// `progress` is called with the number of scenarios scored after each block.
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
/// As [`run`]; fewer than 100 resamples.
pub fn run_with(
    case: &Case,
    n: u64,
    seed: u64,
    resamples: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SobolSummary, Error> {
    if resamples < 100 {
        return Err(Error::Usage(
            "Sobol intervals need at least 100 bootstrap resamples".into(),
        ));
    }
    if n == 0 {
        return Err(Error::Usage("--samples must be at least 1".into()));
    }
    let model = Model::compile(case)?;
    let leader = model.leader();
    let mut names: Vec<String> = Vec::new();
    let mut member = Vec::new();
    for q in &model.quantities {
        if names.last() != Some(&q.factor) {
            names.push(q.factor.clone());
        }
        member.push(names.len() - 1);
    }
    let f = names.len();
    let d = model.dims();
    let asked = format!("--samples {n} with {f} factors");
    let n = crate::limits::table_len::<f64>(n, f as u64 + 2, &asked, "base rows")?;
    let blocks = n.div_ceil(LANES);
    let results: Vec<Result<BlockOutputs, Error>> = (0..blocks)
        .into_par_iter()
        .map(|blk| {
            crate::limits::check_interrupt()?;
            let mut sa = Stream::new(seed, Domain::SobolA, blk as u64);
            let mut sb = Stream::new(seed, Domain::SobolB, blk as u64);
            let mut za = vec![[0.0; LANES]; d];
            let mut zb = vec![[0.0; LANES]; d];
            for (ra, rb) in za.iter_mut().zip(zb.iter_mut()) {
                sa.fill_normals(ra);
                sb.fill_normals(rb);
            }
            let valid = (n - blk * LANES).min(LANES);
            let mut scratch = Scratch::new(model.k);
            let mut eval = |pick: &dyn Fn(usize) -> bool| -> Result<Row, Error> {
                model.eval(&mut scratch, valid, |v, row| {
                    *row = if pick(v) { zb[v] } else { za[v] };
                })?;
                Ok(scratch.p[leader])
            };
            let ya = eval(&|_| false)?;
            let yb = eval(&|_| true)?;
            let mut yab = Vec::with_capacity(f);
            for i in 0..f {
                yab.push(eval(&|v| member[v] == i)?);
            }
            progress((valid * (f + 2)) as u64);
            Ok((ya, yb, yab))
        })
        .collect();
    let mut design = Design {
        ya: Vec::with_capacity(n),
        yb: Vec::with_capacity(n),
        yab: vec![Vec::with_capacity(n); f],
    };
    for (blk, r) in results.into_iter().enumerate() {
        let (ya, yb, yab) = r?;
        let valid = (n - blk * LANES).min(LANES);
        design.ya.extend_from_slice(&ya[..valid]);
        design.yb.extend_from_slice(&yb[..valid]);
        for (out, y) in design.yab.iter_mut().zip(&yab) {
            out.extend_from_slice(&y[..valid]);
        }
    }
    let est = if f == 0 {
        None
    } else {
        indices(&design, seed, resamples)
    };
    let mut warnings = Vec::new();
    if est.is_none() && f > 0 {
        warnings.push(format!(
            "the posterior of `{}` does not vary over the scenarios (Var(Y) = 0): Sobol indices are undefined",
            case.hypotheses[leader].id
        ));
    }
    if f == 0 {
        warnings.push("no quantity of this case has a range: there is nothing to analyse".into());
    }
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
    Ok(SobolSummary {
        header: Header::new(case, "sobol"),
        output: format!("posterior:{}", case.hypotheses[leader].id),
        samples: n as u64,
        seed,
        factors,
        warnings,
    })
}

impl Document for SobolSummary {
    fn markdown(&self) -> String {
        let mut s = format!(
            "# Sobol indices: {}\n\nOutput `{}`; {} base rows, seed {}.\n\n",
            self.header.case,
            self.output,
            thousands(self.samples),
            self.seed
        );
        for w in &self.warnings {
            s += &format!("> Warning: {w}\n\n");
        }
        let num = |x: Option<f64>, ci: Option<[f64; 2]>| match (x, ci) {
            (Some(x), Some([a, b])) => {
                format!("{} [{}, {}]", fixed(x, 3), fixed(a, 3), fixed(b, 3))
            }
            _ => "—".to_string(),
        };
        s += "| factor | first order S1 [95% CI] | total ST [95% CI] |\n|---|---|---|\n";
        for f in &self.factors {
            s += &format!(
                "| {} | {} | {} |\n",
                f.id,
                num(f.s1, f.s1_ci),
                num(f.st, f.st_ci)
            );
        }
        s
    }

    fn csv_list(&self) -> &'static str {
        "factors"
    }

    fn csv_template(&self) -> Option<serde_json::Value> {
        // With every index present, so the intervals give their two columns each.
        serde_json::to_value(SobolFactor {
            id: String::new(),
            s1: Some(0.0),
            s1_ci: Some([0.0; 2]),
            st: Some(0.0),
            st_ci: Some([0.0; 2]),
        })
        .ok()
    }
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
    fn constant_output_has_no_indices() {
        assert!(estimate(2, &[vec![0], vec![1]], 100, 0, 100, |_| 1.0).is_none());
    }
}
