//! Monte Carlo over the stated uncertainties (docs/reference.md §5.2), sharding and merging (§5.6).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{LANES, Model, Scratch};
use super::partial::{Accumulator, AccumulatorJson, f64_from_hex, f64_hex};
use super::shard::{self, Part};
use super::uncertainty::{Domain, Stream};
use crate::case::Case;
use crate::case::provenance::Provenance;
use crate::error::{Diagnostic, Error, Refused};
use crate::output::Header;

/// Scenarios per chunk: each chunk's draws depend only on (seed, chunk index).
pub const CHUNK: u64 = 4096;

/// One hypothesis of a Monte Carlo summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct McHypothesis {
    /// Hypothesis id.
    pub id: String,
    /// Mean posterior.
    pub mean: f64,
    /// 5th percentile of the posterior.
    pub q05: f64,
    /// Median posterior.
    pub q50: f64,
    /// 95th percentile of the posterior.
    pub q95: f64,
    /// Share of scenarios in which it ranks first.
    pub p_top: f64,
    /// `rank_probs[r]` = share of scenarios in which it ranks r + 1.
    pub rank_probs: Vec<f64>,
}

/// One family of a Monte Carlo summary: the statistics of the sum of its members'
/// posteriors (`docs/sweeps.md`, "Families").
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct McFamily {
    /// Family id.
    pub id: String,
    /// Mean of the family's posterior.
    pub mean: f64,
    /// 5th percentile of the family's posterior.
    pub q05: f64,
    /// Median of the family's posterior.
    pub q50: f64,
    /// 95th percentile of the family's posterior.
    pub q95: f64,
    /// Share of scenarios in which the leader (rank 1) is a member.
    pub p_top: f64,
}

/// The result of `sweep monte-carlo` (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MonteCarloSummary {
    /// `schema_version`, `case`, `command` = `"monte-carlo"`.
    #[serde(flatten)]
    pub header: Header,
    /// Number of scenarios N.
    pub samples: u64,
    /// Seed.
    pub seed: u64,
    /// Id of the leader at the point values.
    pub point_leader: String,
    /// p_top of the point leader.
    pub leader_stability: f64,
    /// Hypotheses in point-rank order.
    pub hypotheses: Vec<McHypothesis>,
    /// Families in declaration order (empty when the case declares none).
    pub families: Vec<McFamily>,
}

/// A family as a partial result records it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PartialFamily {
    /// Family id.
    pub id: String,
    /// Its members, indices into the hypotheses in declaration order.
    pub members: Vec<usize>,
}

/// What the merge needs to know about a hypothesis.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PartialHypothesis {
    /// Hypothesis id.
    pub id: String,
    /// Point posterior, IEEE bits in hex.
    pub point_posterior: String,
}

/// A partial result of `sweep monte-carlo --shard k/n` (docs/reference.md §5.6): the accumulators of
/// chunks `[chunks[0], chunks[1])` with a fingerprint of the case, N and seed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct McPartial {
    /// Always 1.
    pub schema_version: u32,
    /// Case name.
    pub case: String,
    /// `"monte-carlo-partial"`.
    pub command: String,
    /// The provenance of the run, written again by the merge.
    pub provenance: Provenance,
    /// Fingerprint of the case as applied (with overrides), N and the seed.
    pub fingerprint: String,
    /// N of the whole run.
    pub samples: u64,
    /// Seed of the whole run.
    pub seed: u64,
    /// `[k, n]`.
    pub shard: [u64; 2],
    /// The chunk range `[start, end)` this part covers.
    pub chunks: [u64; 2],
    /// Hypotheses in declaration order.
    pub hypotheses: Vec<PartialHypothesis>,
    /// Families in declaration order.
    pub families: Vec<PartialFamily>,
    /// Point ranking (indices into `hypotheses`), leader first.
    pub point_order: Vec<usize>,
    /// The merged accumulator of the part's chunks.
    pub accumulator: AccumulatorJson,
    /// FNV-1a (128 bits) of the part as written with this field empty: `merge` refuses a part
    /// changed since (docs/scaling.md).
    pub checksum: String,
}

impl shard::Part for McPartial {
    const COMMAND: &'static str = "monte-carlo-partial";
    const FINISHED: &'static str = "monte-carlo";
    const RUN: &'static str = "Monte Carlo";
    const NAME: &'static str = "partial Monte Carlo result";
    const WRITE_WITH: &'static str = "abduce sweep monte-carlo --shard K/N --format json";

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

/// What [`run`] returns: the summary, or a partial result when a shard is run.
#[allow(clippy::large_enum_variant)] // one value per run: its size does not matter
#[derive(Debug, Clone, PartialEq)]
pub enum McOutput {
    /// A whole run.
    Summary(MonteCarloSummary),
    /// One shard.
    Partial(McPartial),
}

/// Number of chunks C = ⌈N / 4096⌉.
pub fn chunk_count(samples: u64) -> u64 {
    samples.div_ceil(CHUNK)
}

/// The chunks of shard `k` of `n`: [⌊(k−1)C/n⌋, ⌊kC/n⌋).
pub fn shard_chunks(samples: u64, k: u64, n: u64) -> (u64, u64) {
    shard::chunk_range(chunk_count(samples), k, n)
}

/// Runs a Monte Carlo sweep of `samples` scenarios (docs/reference.md §5.2), or only shard `(k, n)` of it
/// (§5.6). `progress` is called after each chunk with the number of scenarios it scored.
/// The work runs on the current rayon pool; the result does not depend on its size.
///
/// # Errors
/// `samples` = 0 or a shard out of range; an inconsistent case (every hypothesis eliminated
/// at the point values or in some scenario).
pub fn run(
    case: &Case,
    samples: u64,
    seed: u64,
    shard: Option<(u64, u64)>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<McOutput, Error> {
    if samples == 0 {
        return Err(Refused::NoScenarios.into());
    }
    if let Some((k, n)) = shard
        && (k == 0 || k > n)
    {
        return Err(Refused::ShardOutOfRange { k, n }.into());
    }
    let k = case.hypotheses.len() as u64;
    crate::limits::table_len::<u64>(
        k,
        k.saturating_add(super::partial::BINS as u64),
        &format!("a Monte Carlo run over {k} hypotheses (rank counts and histograms)"),
        "hypotheses",
    )?;
    let model = Model::compile(case)?;
    let (c0, c1) = match shard {
        Some((k, n)) => shard_chunks(samples, k, n),
        None => (0, chunk_count(samples)),
    };
    let meta = Meta {
        case: case.name.clone(),
        provenance: case.provenance.clone(),
        ids: case.hypotheses.iter().map(|h| h.id.clone()).collect(),
        families: partial_families(case),
        point: model.point_posteriors.clone(),
        order: model.point_order.clone(),
    };
    let acc = accumulate(
        &model,
        &Families::of(&meta),
        samples,
        seed,
        c0,
        c1,
        progress,
    )?;
    Ok(match shard {
        None => McOutput::Summary(summarise(&meta, samples, seed, &acc)),
        Some((k, n)) => McOutput::Partial(Part::sealed(McPartial {
            schema_version: crate::output::SCHEMA_VERSION,
            case: meta.case,
            command: "monte-carlo-partial".into(),
            provenance: meta.provenance,
            fingerprint: fingerprint(case, samples, seed),
            samples,
            seed,
            shard: [k, n],
            chunks: [c0, c1],
            hypotheses: case
                .hypotheses
                .iter()
                .zip(&model.point_posteriors)
                .map(|(h, &p)| PartialHypothesis {
                    id: h.id.clone(),
                    point_posterior: f64_hex(p),
                })
                .collect(),
            families: meta.families,
            point_order: meta.order,
            accumulator: acc.to_json(),
            checksum: String::new(),
        })),
    })
}

/// What a summary needs besides the accumulator: from the case, or from a partial result.
struct Meta {
    case: String,
    provenance: Provenance,
    /// Hypothesis ids in declaration order.
    ids: Vec<String>,
    families: Vec<PartialFamily>,
    /// Point posteriors in declaration order.
    point: Vec<f64>,
    /// Point ranking, leader first.
    order: Vec<usize>,
}

fn partial_families(case: &Case) -> Vec<PartialFamily> {
    (case.families.iter())
        .map(|f| PartialFamily {
            id: f.id.clone(),
            members: f.members.clone(),
        })
        .collect()
}

/// The families as the hot loop reads them.
struct Families {
    /// Members of each family.
    members: Vec<Vec<usize>>,
    /// Point posterior of each family: the sum of its members' point posteriors, summed in
    /// the same order as in a scenario (so a scenario at the point values gives it exactly).
    point: Vec<f64>,
    /// `is_member[f * K + k]`.
    is_member: Vec<bool>,
}

impl Families {
    fn of(meta: &Meta) -> Families {
        let k = meta.ids.len();
        let members: Vec<Vec<usize>> = meta.families.iter().map(|f| f.members.clone()).collect();
        let mut is_member = vec![false; members.len() * k];
        for (f, m) in members.iter().enumerate() {
            for &j in m {
                is_member[f * k + j] = true;
            }
        }
        Families {
            point: family_sums(&members, |j| meta.point[j]),
            members,
            is_member,
        }
    }
}

/// Σ over each family's members of `p(member)`, in member order.
fn family_sums(members: &[Vec<usize>], p: impl Fn(usize) -> f64) -> Vec<f64> {
    members
        .iter()
        .map(|m| m.iter().map(|&j| p(j)).sum())
        .collect()
}

/// Scores chunks `[c0, c1)` of a run of `samples` scenarios in parallel and merges their
/// accumulators (integers, so the grouping of the merge does not matter).
fn accumulate(
    model: &Model,
    families: &Families,
    samples: u64,
    seed: u64,
    c0: u64,
    c1: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Accumulator, Error> {
    let k = model.k;
    let f = families.members.len();
    (c0..c1)
        .into_par_iter()
        .try_fold(
            || (Accumulator::new(k, f), Scratch::new(k), vec![0.0; k + f]),
            |(mut acc, mut scratch, mut dev), c| {
                crate::limits::check_interrupt()?;
                let n = (samples - c * CHUNK).min(CHUNK) as usize;
                run_chunk(
                    model,
                    families,
                    seed,
                    c,
                    n,
                    &mut scratch,
                    &mut dev,
                    &mut acc,
                )?;
                progress(n as u64);
                Ok::<_, Error>((acc, scratch, dev))
            },
        )
        .map(|r| r.map(|(acc, _, _)| acc))
        .try_reduce(
            || Accumulator::new(k, f),
            |mut a, b| {
                a.merge(&b);
                Ok(a)
            },
        )
}

/// Scores the `n` scenarios of chunk `c` into `acc`.
#[allow(clippy::too_many_arguments)]
fn run_chunk(
    model: &Model,
    families: &Families,
    seed: u64,
    c: u64,
    n: usize,
    scratch: &mut Scratch,
    dev: &mut [f64],
    acc: &mut Accumulator,
) -> Result<(), Error> {
    let k = model.k;
    let mut stream = Stream::new(seed, Domain::MonteCarlo, c);
    dev.fill(0.0);
    let mut done = 0;
    while done < n {
        let valid = (n - done).min(LANES);
        model.eval(scratch, valid, |_, row| stream.fill_normals(row))?;
        for i in 0..valid {
            let mut leader = 0;
            for (j, dj) in dev[..k].iter_mut().enumerate() {
                let r = scratch.r[j][i] as usize;
                acc.ranks[j * k + r] += 1;
                if r == 0 {
                    leader = j;
                }
                let p = scratch.p[j][i];
                *dj += p - model.point_posteriors[j];
                acc.record(j, p);
            }
            for (f, members) in families.members.iter().enumerate() {
                let p: f64 = members.iter().map(|&j| scratch.p[j][i]).sum();
                dev[k + f] += p - families.point[f];
                acc.record(k + f, p);
                acc.tops[f] += u64::from(families.is_member[f * k + leader]);
            }
        }
        done += valid;
    }
    acc.count += n as u64;
    acc.add_chunk_deviation(dev);
    Ok(())
}

/// The summary from a complete accumulator.
fn summarise(meta: &Meta, samples: u64, seed: u64, acc: &Accumulator) -> MonteCarloSummary {
    let (ids, point, order) = (&meta.ids, &meta.point, &meta.order);
    let k = ids.len();
    let n = acc.count as f64;
    let hyp = |j: usize| McHypothesis {
        id: ids[j].clone(),
        mean: acc.mean(j, point[j]),
        q05: acc.quantile(j, 0.05),
        q50: acc.quantile(j, 0.50),
        q95: acc.quantile(j, 0.95),
        p_top: acc.ranks[j * k] as f64 / n,
        rank_probs: acc.ranks[j * k..(j + 1) * k]
            .iter()
            .map(|&c| c as f64 / n)
            .collect(),
    };
    let hypotheses: Vec<McHypothesis> = order.iter().map(|&j| hyp(j)).collect();
    let members: Vec<Vec<usize>> = meta.families.iter().map(|f| f.members.clone()).collect();
    let family_point = family_sums(&members, |j| point[j]);
    let families = (meta.families.iter().enumerate())
        .map(|(f, fam)| McFamily {
            id: fam.id.clone(),
            mean: acc.mean(k + f, family_point[f]),
            q05: acc.quantile(k + f, 0.05),
            q50: acc.quantile(k + f, 0.50),
            q95: acc.quantile(k + f, 0.95),
            p_top: acc.tops[f] as f64 / n,
        })
        .collect();
    MonteCarloSummary {
        header: Header::named(&meta.case, "monte-carlo", meta.provenance.clone()),
        samples,
        seed,
        point_leader: ids[order[0]].clone(),
        leader_stability: hypotheses[0].p_top,
        hypotheses,
        families,
    }
}

/// A fingerprint of the case as applied (every quantity, overrides included; not the file
/// paths nor the lines items are on, so shards may run from different folders), N and the
/// seed: 128 bits of FNV-1a over the case's canonical debug form, in hex.
pub fn fingerprint(case: &Case, samples: u64, seed: u64) -> String {
    let mut c = case.clone();
    c.files.clear();
    c.bundled = false;
    for e in &mut c.evidence {
        e.line = 0;
    }
    shard::fnv128(&format!("{c:?}|{samples}|{seed}"))
}

/// A partial result read and checked on its own: the document, its accumulator, and the
/// point posteriors decoded from their hex bits.
struct ReadPart {
    doc: McPartial,
    acc: Accumulator,
    point: Vec<f64>,
}

/// Reads one part; the message says what is wrong with it.
fn read_part(text: &str) -> Result<ReadPart, String> {
    let doc: McPartial = shard::decode(text)?;
    let k = doc.hypotheses.len();
    let point: Vec<f64> = (doc.hypotheses.iter())
        .map(|h| f64_from_hex(&h.point_posterior))
        .collect::<Option<_>>()
        .ok_or("a point posterior is malformed")?;
    let mut seen = vec![false; k];
    let permutation = doc.point_order.len() == k
        && doc
            .point_order
            .iter()
            .all(|&j| j < k && !std::mem::replace(&mut seen[j], true));
    if !permutation {
        return Err("the point ranking is malformed".into());
    }
    let [c0, c1] = doc.chunks;
    if c0 > c1 || c1 > chunk_count(doc.samples) {
        return Err(format!("the chunk range {c0}..{c1} is malformed"));
    }
    let f = doc.families.len();
    let members_ok = (doc.families.iter())
        .all(|fam| fam.members.len() >= 2 && fam.members.iter().all(|&j| j < k));
    if !members_ok {
        return Err("a family's members are malformed".into());
    }
    let acc =
        Accumulator::from_json(&doc.accumulator, k, f).ok_or("the accumulator is malformed")?;
    doc.check_checksum()?;
    Ok(ReadPart { doc, acc, point })
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
    if x.case != y.case || x.hypotheses != y.hypotheses || x.point_order != y.point_order {
        return Some("the hypotheses or their point values differ".into());
    }
    if x.families != y.families {
        return Some("the families differ".into());
    }
    if x.provenance != y.provenance {
        return Some("the provenance differs (case files, overlays or --set)".into());
    }
    None
}

/// Combines the partial results of a sharded run into the summary of the whole run: the
/// same bytes as the unsharded run. Each part is `(name, text)`; problems with a part are
/// reported under its name (its file), all of them at once.
///
/// # Errors
/// No part ([`Refused::NoParts`]); malformed parts, parts of different runs (case, overrides, N or
/// seed), and gaps or overlaps in the chunks they cover.
pub fn merge(parts: &[(String, String)]) -> Result<MonteCarloSummary, Error> {
    let read = shard::read_parts(
        parts,
        read_part,
        other_run,
        |p| p.doc.chunks,
        |p| chunk_count(p.doc.samples),
        "chunks",
    )?;
    let first = &read[0].1;
    let mut acc = Accumulator::new(first.doc.hypotheses.len(), first.doc.families.len());
    for (_, p) in &read {
        acc.merge(&p.acc);
    }
    if acc.count != first.doc.samples {
        return Err(Error::Input(vec![Diagnostic::error(
            "the parts' scenario counts do not add up to N",
        )]));
    }
    let meta = Meta {
        case: first.doc.case.clone(),
        provenance: first.doc.provenance.clone(),
        ids: first.doc.hypotheses.iter().map(|h| h.id.clone()).collect(),
        families: first.doc.families.clone(),
        point: first.point.clone(),
        order: first.doc.point_order.clone(),
    };
    Ok(summarise(&meta, first.doc.samples, first.doc.seed, &acc))
}

impl MonteCarloSummary {
    /// The hypothesis that ranks first in more scenarios than the point leader, if one does
    /// (the most often first; ties in point-rank order): the point values then favour the
    /// leader more than the ranges do (`docs/sweeps.md`, "Monte Carlo").
    pub fn first_more_often(&self) -> Option<&McHypothesis> {
        let best = (self.hypotheses.iter()).reduce(|a, b| if b.p_top > a.p_top { b } else { a })?;
        (best.id != self.point_leader && best.p_top > self.leader_stability).then_some(best)
    }
}

impl Serialize for McOutput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            McOutput::Summary(x) => x.serialize(s),
            McOutput::Partial(x) => x.serialize(s),
        }
    }
}
