//! The case compiled once into flat arrays for the sweeps' hot loop, and the batch kernel
//! that scores [`LANES`] scenarios at a time in structure-of-arrays form.
//!
//! The kernel computes, for each scenario of a batch, the log scores s_k and posteriors p_k
//! of docs/reference.md §3.3 with every varying quantity drawn by §5.1. Items and priors that do not vary
//! are folded into a constant base vector with the exact functions of
//! [`crate::score::bayes`]. Inner loops run over the scenarios of a batch, so the compiler
//! turns them into SIMD code; on x86-64 an AVX2+FMA or AVX-512 copy is chosen at run time
//! ([`super::simd`]). Every multiply-add is written `f64::mul_add` (always fused, one
//! rounding), so the SIMD copies and the portable body give the same bits.

// Structure-of-arrays loops index several rows by hypothesis at once.
#![allow(clippy::needless_range_loop)]

use super::fastmath;
use super::simd::{self, Level};
use super::uncertainty::{Dist, Quantity, varying_quantities};
#[cfg(test)]
use crate::case::Evidence;
use crate::case::{Case, Credibility, Status};
use crate::error::{Error, Failure};
use crate::score::bayes;

/// Scenarios per batch of the kernel.
pub const LANES: usize = 256;

/// A batch of values, one per scenario.
pub type Row = [f64; LANES];

#[derive(Debug, Clone, Copy)]
enum Draw {
    Fixed(f64),
    Vary(Dist),
}

#[derive(Debug, Clone, Copy)]
enum CellDraw {
    /// ℓ and 1 − ℓ.
    Fixed(f64, f64),
    Na,
    Vary(Dist),
}

#[derive(Debug, Clone, Copy)]
enum CredDraw {
    /// c and 1 − c.
    Fixed(f64, f64),
    Vary(Dist),
    Schum(f64, f64),
}

#[derive(Debug, Clone)]
struct Item {
    /// Group discount d_g (fixed: drawn weights are always > 0, docs/reference.md §3.1).
    discount: f64,
    weight: Draw,
    cred: CredDraw,
    cells: Vec<CellDraw>,
    has_na: bool,
    absent: bool,
}

/// A case compiled for the sweeps (docs/reference.md §5.1).
#[derive(Debug, Clone)]
pub struct Model {
    /// Number of hypotheses K.
    pub k: usize,
    /// The varying quantities in canonical order; scenario draws follow this order.
    pub quantities: Vec<Quantity>,
    /// Exact point posteriors (from [`bayes::score`]).
    pub point_posteriors: Vec<f64>,
    /// Point ranking: hypothesis indices, leader first.
    pub point_order: Vec<usize>,
    priors: Vec<Draw>,
    /// ln of each fixed prior weight (used when some prior varies).
    ln_fixed_priors: Vec<f64>,
    prior_varies: bool,
    /// Log priors (when none varies) plus the contributions of items that do not vary.
    base: Vec<f64>,
    items: Vec<Item>,
}

/// Per-thread working memory of the kernel (allocated once, reused for every batch).
#[derive(Debug, Clone)]
pub struct Scratch {
    /// Log scores s_k of the batch, one row per hypothesis.
    pub s: Vec<Row>,
    /// Posteriors p_k of the batch, one row per hypothesis.
    pub p: Vec<Row>,
    /// 0-based ranks of the batch (as whole numbers), one row per hypothesis: the number
    /// of hypotheses with a higher score, or an equal score and an earlier declaration.
    pub r: Vec<Row>,
    l: Vec<Row>,
    m: Vec<Row>,
    z: Box<Row>,
    w: Box<Row>,
    c: Box<Row>,
    cm: Box<Row>,
    a: Box<Row>,
    b: Box<Row>,
    order: Vec<usize>,
}

impl Scratch {
    /// Working memory for a model with `k` hypotheses.
    pub fn new(k: usize) -> Scratch {
        let rows = |n| vec![[0.0; LANES]; n];
        let row = || Box::new([0.0; LANES]);
        Scratch {
            s: rows(k),
            p: rows(k),
            r: rows(k),
            l: rows(k),
            m: rows(k),
            z: row(),
            w: row(),
            c: row(),
            cm: row(),
            a: row(),
            b: row(),
            order: Vec::with_capacity(k),
        }
    }
}

impl Model {
    /// Compiles a case.
    ///
    /// # Errors
    /// When the case is inconsistent at its point values (every hypothesis eliminated).
    pub fn compile(case: &Case) -> Result<Model, Error> {
        let point = bayes::score(case)?;
        let quantities = varying_quantities(case);
        let k = case.hypotheses.len();
        let omega = bayes::effective_weights(case);
        // Looked up once per quantity of the case: a map, so compiling stays linear.
        let dists: std::collections::HashMap<_, _> =
            quantities.iter().map(|q| (q.target, q.dist)).collect();
        let varies = |t: super::uncertainty::Target| dists.get(&t).copied();
        use super::uncertainty::Target;
        let priors: Vec<Draw> = (0..k)
            .map(|j| match varies(Target::Prior(j)) {
                Some(d) => Draw::Vary(d),
                None => Draw::Fixed(case.hypotheses[j].prior),
            })
            .collect();
        let prior_varies = priors.iter().any(|p| matches!(p, Draw::Vary(_)));
        let ln_fixed_priors = case.hypotheses.iter().map(|h| h.prior.ln()).collect();
        let mut base = if prior_varies {
            vec![0.0; k]
        } else {
            bayes::log_priors(case)
        };
        let mut items = Vec::new();
        for (e, item) in case.evidence.iter().enumerate() {
            if omega[e] <= 0.0 {
                continue;
            }
            let discount = omega[e] / item.weight;
            let weight = match varies(Target::Weight(e)) {
                Some(d) => Draw::Vary(d),
                None => Draw::Fixed(omega[e]),
            };
            let cred = match item.credibility {
                Credibility::Schum {
                    hit_rate,
                    false_alarm_rate,
                } => CredDraw::Schum(hit_rate, false_alarm_rate),
                Credibility::Mixture { value, .. } => match varies(Target::Credibility(e)) {
                    Some(d) => CredDraw::Vary(d),
                    None => CredDraw::Fixed(value, 1.0 - value),
                },
            };
            let cells: Vec<CellDraw> = item
                .likelihood
                .iter()
                .enumerate()
                .map(|(j, cell)| match varies(Target::Cell(e, j)) {
                    Some(d) => CellDraw::Vary(d),
                    None => match case.cell_value(cell) {
                        Some(v) => CellDraw::Fixed(v, 1.0 - v),
                        None => CellDraw::Na,
                    },
                })
                .collect();
            let constant = matches!(weight, Draw::Fixed(_))
                && !matches!(cred, CredDraw::Vary(_))
                && !cells.iter().any(|c| matches!(c, CellDraw::Vary(_)));
            if constant {
                // Exact contribution, as `score` computes it.
                for (s, q) in base.iter_mut().zip(bayes::outcome_probs(case, e)) {
                    *s += omega[e] * q.ln();
                }
                continue;
            }
            items.push(Item {
                discount,
                weight,
                cred,
                has_na: cells.iter().any(|c| matches!(c, CellDraw::Na)),
                cells,
                absent: item.status == Status::Absent,
            });
        }
        Ok(Model {
            k,
            quantities,
            point_posteriors: point.posteriors.clone(),
            point_order: point.order.clone(),
            priors,
            ln_fixed_priors,
            prior_varies,
            base,
            items,
        })
    }

    /// Number of varying quantities (standard normal draws per scenario).
    pub fn dims(&self) -> usize {
        self.quantities.len()
    }

    /// The point leader.
    pub fn leader(&self) -> usize {
        self.point_order[0]
    }

    /// Scores one batch: `fill(v, row)` must write the standard normal draws of quantity
    /// `v` for the [`LANES`] scenarios; it is called once per quantity, in canonical order.
    /// Writes `scratch.s` and `scratch.p`. With no varying quantity, every scenario gets the
    /// exact point posterior.
    ///
    /// # Errors
    /// When the first `valid` scenarios include one where every hypothesis is eliminated.
    pub fn eval<F: FnMut(usize, &mut Row)>(
        &self,
        scratch: &mut Scratch,
        valid: usize,
        fill: F,
    ) -> Result<(), Error> {
        if self.quantities.is_empty() {
            for (p, &pp) in scratch.p.iter_mut().zip(&self.point_posteriors) {
                p.fill(pp);
            }
            for (s, &b) in scratch.s.iter_mut().zip(&self.base) {
                s.fill(b);
            }
            for (&j, r) in self.point_order.iter().zip(0..) {
                scratch.r[j].fill(f64::from(r));
            }
            return Ok(());
        }
        self.eval_at(simd::level(), scratch, fill);
        self.check(scratch, valid)
    }

    /// The kernel compiled for `level`, which the CPU must support (else the portable copy
    /// runs). Every level gives the same bits.
    fn eval_at<F: FnMut(usize, &mut Row)>(&self, level: Level, scratch: &mut Scratch, fill: F) {
        match level {
            // SAFETY: the CPU supports the level's instructions (checked by `supported`).
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 if level.supported() => unsafe { self.eval_avx512(scratch, fill) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 if level.supported() => unsafe { self.eval_avx2(scratch, fill) },
            _ => self.eval_body(scratch, fill),
        }
    }

    fn check(&self, scratch: &Scratch, valid: usize) -> Result<(), Error> {
        let bad = (0..valid).any(|i| scratch.p.iter().any(|p| p[i].is_nan()));
        if bad {
            return Err(Failure::ScenarioEliminatesAll.into());
        }
        Ok(())
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
    unsafe fn eval_avx512<F: FnMut(usize, &mut Row)>(&self, scratch: &mut Scratch, fill: F) {
        self.eval_body(scratch, fill);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn eval_avx2<F: FnMut(usize, &mut Row)>(&self, scratch: &mut Scratch, fill: F) {
        self.eval_body(scratch, fill);
    }

    #[inline(always)]
    fn eval_body<F: FnMut(usize, &mut Row)>(&self, sc: &mut Scratch, fill: F) {
        self.scores_body(sc, fill);
        self.finish_body(sc);
    }

    /// Writes `scratch.s` only: the log scores of one batch (see [`Model::eval`]). Used by
    /// Sobol to score one factor's own contribution with the models of
    /// [`Model::factor_models`].
    pub fn scores<F: FnMut(usize, &mut Row)>(&self, scratch: &mut Scratch, fill: F) {
        match simd::level() {
            // SAFETY: the CPU supports the level's instructions (checked by `supported`).
            #[cfg(target_arch = "x86_64")]
            l @ Level::Avx512 if l.supported() => unsafe { self.scores_avx512(scratch, fill) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            l @ Level::Avx2 if l.supported() => unsafe { self.scores_avx2(scratch, fill) },
            _ => self.scores_body(scratch, fill),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
    unsafe fn scores_avx512<F: FnMut(usize, &mut Row)>(&self, scratch: &mut Scratch, fill: F) {
        self.scores_body(scratch, fill);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn scores_avx2<F: FnMut(usize, &mut Row)>(&self, scratch: &mut Scratch, fill: F) {
        self.scores_body(scratch, fill);
    }

    /// The posterior of hypothesis `leader` for log scores `s` (one row per hypothesis):
    /// the same operations as the kernel's posteriors, so the same bits for the same `s`.
    pub fn posterior_of(&self, s: &[Row], leader: usize, out: &mut Row) {
        match simd::level() {
            // SAFETY: the CPU supports the level's instructions (checked by `supported`).
            #[cfg(target_arch = "x86_64")]
            l @ Level::Avx512 if l.supported() => unsafe { posterior_avx512(s, leader, out) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            l @ Level::Avx2 if l.supported() => unsafe { posterior_avx2(s, leader, out) },
            _ => posterior_body(s, leader, out),
        }
    }

    /// One model per Sobol factor (docs/sweeps.md, "Global sensitivity"), in factor order:
    /// the prior weights (when one varies), then each item with a varying quantity. Each
    /// scores only its factor's contribution to the log scores (its constant base is 0), so
    /// for scenario rows that differ only in factor i,
    /// s(A with factor i from B) = s(A) − cᵢ(A) + cᵢ(B). Each model's quantities are its
    /// factor's, a contiguous run of this model's.
    pub fn factor_models(&self) -> Vec<Model> {
        let sub = |quantities: Vec<Quantity>, prior_varies: bool, items: Vec<Item>| Model {
            k: self.k,
            quantities,
            point_posteriors: self.point_posteriors.clone(),
            point_order: self.point_order.clone(),
            priors: self.priors.clone(),
            ln_fixed_priors: self.ln_fixed_priors.clone(),
            prior_varies,
            base: vec![0.0; self.k],
            items,
        };
        let mut out = Vec::new();
        let mut q = 0;
        if self.prior_varies {
            let n = (self.priors.iter())
                .filter(|p| matches!(p, Draw::Vary(_)))
                .count();
            out.push(sub(self.quantities[..n].to_vec(), true, Vec::new()));
            q = n;
        }
        for item in &self.items {
            let n = usize::from(matches!(item.weight, Draw::Vary(_)))
                + usize::from(matches!(item.cred, CredDraw::Vary(_)))
                + (item.cells.iter())
                    .filter(|c| matches!(c, CellDraw::Vary(_)))
                    .count();
            out.push(sub(
                self.quantities[q..q + n].to_vec(),
                false,
                vec![item.clone()],
            ));
            q += n;
        }
        out
    }

    #[inline(always)]
    fn scores_body<F: FnMut(usize, &mut Row)>(&self, sc: &mut Scratch, mut fill: F) {
        let k = self.k;
        let mut v = 0usize;
        let Scratch {
            s,
            l,
            m,
            z,
            w,
            c,
            cm,
            a,
            ..
        } = sc;
        // Log priors.
        if self.prior_varies {
            a.fill(0.0); // Σ prior weights
            for j in 0..k {
                match self.priors[j] {
                    Draw::Fixed(x) => {
                        let lx = self.ln_fixed_priors[j];
                        s[j].fill(lx);
                        for t in a.iter_mut() {
                            *t += x;
                        }
                    }
                    Draw::Vary(d) => {
                        fill(v, z);
                        v += 1;
                        for ((sj, t), &zi) in s[j].iter_mut().zip(a.iter_mut()).zip(z.iter()) {
                            let y = d.sigma.mul_add(zi, d.mu);
                            *sj = y;
                            *t += fastmath::exp(y);
                        }
                    }
                }
            }
            for t in a.iter_mut() {
                *t = fastmath::ln(*t);
            }
            for j in 0..k {
                let bj = self.base[j];
                for (sj, &lt) in s[j].iter_mut().zip(a.iter()) {
                    *sj = (*sj - lt) + bj;
                }
            }
        } else {
            for j in 0..k {
                s[j].fill(self.base[j]);
            }
        }
        let inv_k = 1.0 / k as f64;
        for item in &self.items {
            // Effective weight ω.
            match item.weight {
                Draw::Fixed(x) => w.fill(x),
                Draw::Vary(d) => {
                    fill(v, z);
                    v += 1;
                    let dg = item.discount;
                    for (wi, &zi) in w.iter_mut().zip(z.iter()) {
                        *wi = fastmath::exp(d.sigma.mul_add(zi, d.mu)) * dg;
                    }
                }
            }
            // Credibility c and 1 − c.
            match item.cred {
                CredDraw::Fixed(x, y) => {
                    c.fill(x);
                    cm.fill(y);
                }
                CredDraw::Vary(d) => {
                    fill(v, z);
                    v += 1;
                    for ((ci, cmi), &zi) in c.iter_mut().zip(cm.iter_mut()).zip(z.iter()) {
                        let e = fastmath::exp(-d.sigma.mul_add(zi, d.mu));
                        let inv = 1.0 / (1.0 + e);
                        *ci = inv;
                        *cmi = e * inv;
                    }
                }
                CredDraw::Schum(..) => {}
            }
            // Cells: only the rows this item's q uses (below): ℓ (`l`) for an observed
            // item, 1 − ℓ (`m`) for an absent one, both for an absent one under Schum's
            // model. Without NA cells, the row mean (Schum's model has none) is summed in
            // the same pass, cell by cell in declaration order as before.
            let schum = matches!(item.cred, CredDraw::Schum(..));
            let (need_l, need_m) = (!item.absent || schum, item.absent);
            let fused = !schum && !item.has_na;
            if fused {
                a.fill(0.0);
            }
            for (j, cell) in item.cells.iter().enumerate() {
                match *cell {
                    CellDraw::Fixed(x, y) => {
                        if need_l {
                            l[j].fill(x);
                        }
                        if need_m {
                            m[j].fill(y);
                        }
                        if fused {
                            let v = if item.absent { y } else { x };
                            for t in a.iter_mut() {
                                *t += v;
                            }
                        }
                    }
                    CellDraw::Na => {}
                    CellDraw::Vary(d) => {
                        fill(v, z);
                        v += 1;
                        match (need_l, need_m, fused) {
                            (true, false, true) => draw::<true, false, true>(d, z, &mut l[j], a),
                            (true, false, false) => draw::<true, false, false>(d, z, &mut l[j], a),
                            (false, true, true) => draw::<false, true, true>(d, z, &mut m[j], a),
                            (false, true, false) => draw::<false, true, false>(d, z, &mut m[j], a),
                            _ => {
                                for ((li, mi), &zi) in
                                    l[j].iter_mut().zip(m[j].iter_mut()).zip(z.iter())
                                {
                                    (*li, *mi) = logistic(d, zi);
                                }
                            }
                        }
                    }
                }
            }
            if item.has_na {
                // NA cells: the mean of the row's other cells (0.5 when all are NA).
                for (rows, needed) in [(&mut *l, need_l), (&mut *m, need_m)] {
                    if needed {
                        fill_na(&item.cells, rows, a);
                    }
                }
            }
            // The row mean: of ℓ for an observed item, of 1 − ℓ for an absent one.
            if !schum {
                if !fused {
                    let rows = if item.absent { &*m } else { &*l };
                    a.fill(0.0);
                    for row in &rows[..k] {
                        for (ai, &xi) in a.iter_mut().zip(row.iter()) {
                            *ai += xi;
                        }
                    }
                }
                for ai in a.iter_mut() {
                    *ai *= inv_k;
                }
            }
            // q = ℓ̃ or 1 − ℓ̃ (no cancellation), then s += ω ln q.
            for j in 0..k {
                let (lj, mj, sj) = (&l[j], &m[j], &mut s[j]);
                match (item.cred, item.absent) {
                    (CredDraw::Schum(h, f), false) => {
                        for ((si, &li), &wi) in sj.iter_mut().zip(lj.iter()).zip(w.iter()) {
                            *si = wi.mul_add(fastmath::ln((h - f).mul_add(li, f)), *si);
                        }
                    }
                    (CredDraw::Schum(h, f), true) => {
                        let (h1, f1) = (1.0 - h, 1.0 - f);
                        for (((si, &li), &mi), &wi) in
                            sj.iter_mut().zip(lj.iter()).zip(mj.iter()).zip(w.iter())
                        {
                            *si = wi.mul_add(fastmath::ln(h1.mul_add(li, f1 * mi)), *si);
                        }
                    }
                    // Zipped iterators over plain rows: indexing the boxed rows made the
                    // compiler reload their pointers after every store and give up on SIMD
                    // (a scalar loop, 3× slower; docs/performance.md, "The workbench").
                    (_, absent) => {
                        let (x, mean) = (if absent { mj } else { lj }, &**a);
                        let (c, cm, w) = (&**c, &**cm, &**w);
                        for ((((si, &xi), &mi), (&ci, &cmi)), &wi) in sj
                            .iter_mut()
                            .zip(x.iter())
                            .zip(mean.iter())
                            .zip(c.iter().zip(cm.iter()))
                            .zip(w.iter())
                        {
                            let q = ci.mul_add(xi, cmi * mi);
                            *si = wi.mul_add(fastmath::ln(q), *si);
                        }
                    }
                }
            }
        }
        debug_assert_eq!(v, self.quantities.len());
    }

    /// Posteriors and ranks of the log scores in `sc.s`.
    #[inline(always)]
    fn finish_body(&self, sc: &mut Scratch) {
        let k = self.k;
        let Scratch {
            s,
            p,
            r,
            a,
            b,
            order,
            ..
        } = sc;
        // Posteriors.
        a.fill(f64::NEG_INFINITY);
        for j in 0..k {
            for (ai, &si) in a.iter_mut().zip(s[j].iter()) {
                *ai = if si > *ai { si } else { *ai };
            }
        }
        b.fill(0.0);
        for j in 0..k {
            for ((pi, &si), (&ai, bi)) in p[j]
                .iter_mut()
                .zip(s[j].iter())
                .zip(a.iter().zip(b.iter_mut()))
            {
                let e = fastmath::exp(si - ai);
                *pi = e;
                *bi += e;
            }
        }
        for j in 0..k {
            for (pi, &bi) in p[j].iter_mut().zip(b.iter()) {
                *pi /= bi;
            }
        }
        // Ranks: ties keep declaration order. With many hypotheses, comparing every pair
        // (K² per scenario) costs more than sorting each lane (K log K).
        if k > RANK_BY_SORT {
            ranks_by_sort(s, r, order);
            return;
        }
        for j in 0..k {
            let (rj, sj) = (&mut r[j], &s[j]);
            rj.fill(0.0);
            for (jj, other) in s.iter().enumerate() {
                if jj < j {
                    for ((ri, &si), &oi) in rj.iter_mut().zip(sj.iter()).zip(other.iter()) {
                        *ri += if oi >= si { 1.0 } else { 0.0 };
                    }
                } else if jj > j {
                    for ((ri, &si), &oi) in rj.iter_mut().zip(sj.iter()).zip(other.iter()) {
                        *ri += if oi > si { 1.0 } else { 0.0 };
                    }
                }
            }
        }
    }
}

/// ℓ and 1 − ℓ for a logit-normal draw: ℓ = 1 / (1 + e), 1 − ℓ = e / (1 + e) with
/// e = exp(−(μ + σz)), so neither loses digits near 0 or 1 (docs/reference.md §5.1).
#[inline(always)]
fn logistic(d: Dist, z: f64) -> (f64, f64) {
    let e = fastmath::exp(-d.sigma.mul_add(z, d.mu));
    let inv = 1.0 / (1.0 + e);
    (inv, e * inv)
}

/// Draws one row of cells: ℓ when `L`, else 1 − ℓ (`M`); adds it to `sum` when `SUM`.
#[inline(always)]
fn draw<const L: bool, const M: bool, const SUM: bool>(
    d: Dist,
    z: &Row,
    row: &mut Row,
    sum: &mut Row,
) {
    debug_assert!(L != M);
    for ((xi, si), &zi) in row.iter_mut().zip(sum.iter_mut()).zip(z.iter()) {
        let (lv, mv) = logistic(d, zi);
        let v = if L { lv } else { mv };
        *xi = v;
        if SUM {
            *si += v;
        }
    }
}

/// Fills the NA cells of `rows` with the mean of the other cells, summed into `sum` in
/// declaration order (0.5 when every cell is NA).
#[inline(always)]
fn fill_na(cells: &[CellDraw], rows: &mut [Row], sum: &mut Row) {
    sum.fill(0.0);
    let mut n = 0usize;
    for (row, cell) in rows.iter().zip(cells) {
        if !matches!(cell, CellDraw::Na) {
            n += 1;
            for (si, &xi) in sum.iter_mut().zip(row.iter()) {
                *si += xi;
            }
        }
    }
    let f = 1.0 / n as f64;
    for (row, cell) in rows.iter_mut().zip(cells) {
        if matches!(cell, CellDraw::Na) {
            for (xi, &si) in row.iter_mut().zip(sum.iter()) {
                *xi = if n == 0 { 0.5 } else { si * f };
            }
        }
    }
}

/// p_leader = e^(s_leader − m) / Σ_j e^(s_j − m), m = max_j s_j, in the kernel's order.
#[inline(always)]
fn posterior_body(s: &[Row], leader: usize, out: &mut Row) {
    let mut m = [f64::NEG_INFINITY; LANES];
    for sj in s {
        for (mi, &si) in m.iter_mut().zip(sj.iter()) {
            *mi = if si > *mi { si } else { *mi };
        }
    }
    let mut sum = [0.0; LANES];
    for (j, sj) in s.iter().enumerate() {
        for i in 0..LANES {
            let e = fastmath::exp(sj[i] - m[i]);
            if j == leader {
                out[i] = e;
            }
            sum[i] += e;
        }
    }
    for (o, &t) in out.iter_mut().zip(sum.iter()) {
        *o /= t;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
unsafe fn posterior_avx512(s: &[Row], leader: usize, out: &mut Row) {
    posterior_body(s, leader, out);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn posterior_avx2(s: &[Row], leader: usize, out: &mut Row) {
    posterior_body(s, leader, out);
}

/// Above this many hypotheses ranks are found by sorting each lane instead of comparing
/// every pair (docs/performance.md, "Scaling in the size of the case").
pub const RANK_BY_SORT: usize = 256;

/// The ranks of each lane by sorting: hypotheses in order of score, highest first, ties in
/// declaration order — the same whole numbers as counting, for each hypothesis, those with a
/// higher score or an equal score declared earlier. `order` is working memory of K indices.
fn ranks_by_sort(s: &[Row], r: &mut [Row], order: &mut Vec<usize>) {
    for lane in 0..LANES {
        order.clear();
        order.extend(0..s.len());
        // `partial_cmp` as the counting does (−0 equals +0); scores are never NaN. A stable
        // sort keeps equal scores in declaration order.
        order.sort_by(|&a, &b| {
            s[b][lane]
                .partial_cmp(&s[a][lane])
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for (rank, &j) in order.iter().enumerate() {
            r[j][lane] = rank as f64;
        }
    }
}

#[cfg(test)]
mod rank_tests {
    use super::*;

    /// Sorting gives the ranks of counting pairs, with ties (equal scores, −0 and +0, −∞) in
    /// declaration order.
    #[test]
    fn ranks_by_sort_equal_ranks_by_counting() {
        let values = [
            0.5,
            -1.0,
            0.5,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            2.0,
            f64::NEG_INFINITY,
        ];
        let k = 40;
        let s: Vec<Row> = (0..k)
            .map(|j| std::array::from_fn(|lane| values[(j * 7 + lane * 3 + j / 5) % values.len()]))
            .collect();
        let mut r = vec![[0.0; LANES]; k];
        ranks_by_sort(&s, &mut r, &mut Vec::new());
        for lane in 0..LANES {
            for j in 0..k {
                let count = (0..k)
                    .filter(|&o| {
                        (o < j && s[o][lane] >= s[j][lane]) || (o > j && s[o][lane] > s[j][lane])
                    })
                    .count();
                assert_eq!(r[j][lane], count as f64, "lane {lane}, hypothesis {j}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Cell, Group, Range, Rating};
    use crate::sweep::synthetic;
    use crate::sweep::uncertainty::{Domain, Stream, materialise};

    /// A case with every kind of quantity: varying priors, NA and rating cells (NA in an
    /// observed, an absent and an absent Schum item), an absent item, a Schum item, a
    /// group, an item that does not vary and one with weight 0.
    pub(crate) fn rich_case() -> Case {
        let mut c = Case::new("rich", &[("a", 1.0), ("b", 2.0), ("c", 1.0)]);
        c.hypotheses[0].prior_range = Some(Range { lo: 0.5, hi: 2.0 });
        c.hypotheses[1].prior_range = Some(Range { lo: 1.0, hi: 3.0 });
        c.groups.push(Group {
            id: "g".into(),
            correlation: 0.5,
            file: 0,
        });
        let mut e1 = Evidence::new("e1", &[0.8, 0.3, 0.5]);
        e1.likelihood[1] = Cell::Rating(Rating::NA);
        e1.likelihood[2] = Cell::Rating(Rating::C);
        e1.weight_range = Some(Range { lo: 0.5, hi: 1.5 });
        e1.group = Some(0);
        let mut e2 = Evidence::new("e2", &[0.2, 0.6, 0.4]);
        e2.likelihood[0] = Cell::Value {
            value: 0.2,
            range: Some(Range { lo: 0.1, hi: 0.4 }),
        };
        e2.credibility = Credibility::Mixture {
            value: 0.7,
            range: Some(Range { lo: 0.5, hi: 0.9 }),
            basis: crate::case::CredibilityBasis::Explicit,
        };
        e2.likelihood[2] = Cell::Rating(Rating::NA);
        e2.status = Status::Absent;
        e2.group = Some(0);
        let mut e3 = Evidence::new("e3", &[0.9, 0.1, 0.5]);
        e3.credibility = Credibility::Schum {
            hit_rate: 0.8,
            false_alarm_rate: 0.3,
        };
        e3.likelihood[1] = Cell::Rating(Rating::I);
        let e4 = Evidence::new("e4", &[0.6, 0.4, 0.5]);
        let mut e5 = Evidence::new("e5", &[0.9, 0.1, 0.1]);
        e5.weight = 0.0;
        let mut e6 = Evidence::new("e6", &[0.7, 0.3, 0.6]);
        e6.likelihood[1] = Cell::Rating(Rating::NA);
        e6.likelihood[2] = Cell::Rating(Rating::I);
        e6.status = Status::Absent;
        e6.credibility = Credibility::Schum {
            hit_rate: 0.9,
            false_alarm_rate: 0.2,
        };
        c.evidence = vec![e1, e2, e3, e4, e5, e6];
        c
    }

    /// Runs one batch from a stream and returns the draws too.
    fn batch(model: &Model, scratch: &mut Scratch, seed: u64) -> Vec<Row> {
        let mut st = Stream::new(seed, Domain::MonteCarlo, 0);
        let mut rows = Vec::new();
        model
            .eval(scratch, LANES, |_, row| {
                st.fill_normals(row);
                rows.push(*row);
            })
            .unwrap();
        rows
    }

    #[test]
    fn kernel_matches_exact_scoring_of_each_scenario() {
        for case in [rich_case(), synthetic::case(8, 40, 3)] {
            let model = Model::compile(&case).unwrap();
            let mut scratch = Scratch::new(model.k);
            let rows = batch(&model, &mut scratch, 11);
            assert_eq!(rows.len(), model.dims());
            let mut worst = 0.0f64;
            for i in (0..LANES).step_by(7) {
                let z: Vec<f64> = rows.iter().map(|r| r[i]).collect();
                let exact = bayes::score(&materialise(&case, &model.quantities, &z)).unwrap();
                for j in 0..model.k {
                    worst = worst.max((scratch.s[j][i] - exact.log_scores[j]).abs());
                    assert!((scratch.p[j][i] - exact.posteriors[j]).abs() < 1e-12);
                }
            }
            eprintln!("worst |Δs_k| on {}: {worst:e}", case.title);
            assert!(worst < 1e-11, "worst |Δs| = {worst}");
        }
    }

    #[test]
    fn every_instruction_set_gives_identical_bits() {
        // Each kernel copy this CPU supports (portable, AVX2, AVX-512) on the same stream:
        // every draw, score, posterior and rank must be the same bits.
        let bits =
            |rows: &[Row]| -> Vec<u64> { rows.iter().flatten().map(|x| x.to_bits()).collect() };
        let levels = Level::available();
        eprintln!("instruction sets compared: {levels:?}");
        for case in [rich_case(), synthetic::case(8, 40, 5)] {
            let model = Model::compile(&case).unwrap();
            let run = |level: Level| {
                let mut scratch = Scratch::new(model.k);
                let mut st = Stream::new(3, Domain::MonteCarlo, 0);
                let mut rows = Vec::new();
                model.eval_at(level, &mut scratch, |_, row| {
                    st.fill_normals_at(level, row);
                    rows.push(*row);
                });
                [
                    bits(&rows),
                    bits(&scratch.s),
                    bits(&scratch.p),
                    bits(&scratch.r),
                ]
            };
            let portable = run(Level::Portable);
            for &level in &levels {
                assert!(
                    run(level) == portable,
                    "{level:?} differs from the portable copy"
                );
            }
        }
    }

    #[test]
    fn rich_case_quantities_in_canonical_order() {
        let q: Vec<String> = varying_quantities(&rich_case())
            .into_iter()
            .map(|q| q.path)
            .collect();
        assert_eq!(
            q,
            [
                "hypothesis.a.prior",
                "hypothesis.b.prior",
                "evidence.e1.weight",
                "evidence.e1.likelihood.c",
                "evidence.e2.credibility",
                "evidence.e2.likelihood.a",
                "evidence.e3.likelihood.b",
                "evidence.e6.likelihood.c",
            ]
        );
    }
}
