//! `abduce batch`: many runs from one plan file, in parallel, into one result.
//!
//! A plan (TOML, see `docs/format.md` § "Batch plans") lists cases, variants (overlays and
//! `--set` assignments) and commands; the batch runs every case × every variant × every
//! command. [`parse_plan`] reads the plan; [`run`] runs its entries in parallel on the current
//! rayon pool and returns a [`BatchSummary`] whose runs are in plan order (cases, then
//! variants, then commands), so the result is the same whatever the number of threads.
//!
//! Each run calls the same library functions as the single command
//! ([`explain::summarize`], `monte_carlo::run`, `tipping::run`, [`tornado::run`]) on the
//! case loaded by [`load::load`] with [`overrides::apply`], so its `result` is exactly that
//! command's JSON document. A run that fails (a case that cannot be found or loaded, a bad
//! overlay or `set`, an inconsistent case) carries its rendered diagnostics; the others
//! still complete.

use crate::run as entry;
use crate::text::fmt::{percent1, points1};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::case::discover::{self, CaseLocation};
use crate::case::{Case, overrides};
use crate::error::{Error, Refused};
use crate::load;
use crate::output::SCHEMA_VERSION;
use crate::score::bayes::{self, Scores};
use crate::score::explain;
use crate::sweep::monte_carlo::McOutput;
use crate::sweep::shard;
use crate::sweep::tornado;

mod plan;

pub use plan::{BatchCommand, CaseSpec, DEFAULT_SAMPLES, Plan, Variant, parse_plan};

/// Which run, and how it went: the first keys of a run and the first columns of its CSV rows.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RunHead {
    /// The case's name ([`CaseSpec::label`]).
    pub case: String,
    /// The variant's name.
    pub variant: String,
    /// The command (`score`, `monte-carlo`, `tipping`, `tornado`).
    pub command: String,
    /// `"ok"` or `"error"`.
    pub status: String,
    /// The rendered diagnostics of a failed run, else `None` (in CSV rows without the final
    /// line break).
    pub error: Option<String>,
}

/// One run of a batch: everything its result needs in every format. A part of a sharded
/// batch carries it whole; the result's JSON has the head and the `result` alone
/// ([`BatchSummary`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BatchRun {
    /// Case, variant, command, status and error.
    pub head: RunHead,
    /// The command's own JSON document, or `None` for a failed run.
    pub result: Option<Value>,
    /// The CSV rows of this run.
    pub rows: Vec<BatchRow>,
    /// The leader and its headline number, for the Markdown summary.
    pub headline: Option<(String, String)>,
}

/// A run as the result's JSON gives it: its head, then the command's document.
#[derive(Serialize)]
struct RunJson<'a> {
    #[serde(flatten)]
    head: &'a RunHead,
    result: &'a Option<Value>,
}

/// The runs of the result's JSON ([`RunJson`]).
fn runs_json<S: serde::Serializer>(runs: &[BatchRun], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(runs.iter().map(|r| RunJson {
        head: &r.head,
        result: &r.result,
    }))
}

/// One CSV row of a batch: one (run, hypothesis) pair, or the run alone when it failed.
/// Columns that do not apply to the run's command are empty.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BatchRow {
    /// Case, variant, command, status and error.
    #[serde(flatten)]
    pub head: RunHead,
    /// Hypothesis id.
    pub hypothesis: Option<String>,
    /// Point rank (docs/reference.md §3.3).
    pub rank: Option<usize>,
    /// Point posterior p_k.
    pub posterior: Option<f64>,
    /// ICD 203 term of the point posterior.
    pub estimative: Option<String>,
    /// Whether it is the point leader.
    pub leader: Option<bool>,
    /// monte-carlo: mean posterior.
    pub mean: Option<f64>,
    /// monte-carlo: 5th percentile of the posterior.
    pub q05: Option<f64>,
    /// monte-carlo: median posterior.
    pub q50: Option<f64>,
    /// monte-carlo: 95th percentile of the posterior.
    pub q95: Option<f64>,
    /// monte-carlo: share of scenarios in which it ranks first.
    pub p_top: Option<f64>,
    /// tipping: the counted items whose retraction leaves this hypothesis in the lead.
    pub loo_leads: Option<usize>,
    /// tipping, leader's row: the critical items (whose retraction changes the leader).
    pub critical: Option<usize>,
    /// tipping, other rows: the smallest `upper` multiplier of any item at which this
    /// hypothesis draws level with the leader.
    pub nearest_upper: Option<f64>,
    /// tipping, other rows: the largest `lower` multiplier of any item at which this
    /// hypothesis draws level with the leader.
    pub nearest_lower: Option<f64>,
    /// tornado: on the leader's row, the quantities at one end of whose range another
    /// hypothesis leads; on another row, those at one end of whose range this one leads.
    pub flips: Option<usize>,
    /// tornado, leader's row: the largest swing of its posterior.
    pub max_swing: Option<f64>,
}

/// The result of `abduce batch`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BatchSummary {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `null`: a batch spans several cases, each run names its own (docs/reference.md §9 asks for
    /// the key in every document).
    pub case: Option<String>,
    /// `"batch"`.
    pub command: &'static str,
    /// Always `null`, as `case`: each run's `result` carries the provenance of its own case
    /// and variant (`docs/decisions.md`, "Provenance of several cases").
    pub provenance: Option<crate::case::provenance::Provenance>,
    /// The plan file as given.
    pub plan: String,
    /// Every run, in plan order: cases, then variants, then commands (in JSON, each run's
    /// head and `result`).
    #[serde(serialize_with = "runs_json")]
    pub runs: Vec<BatchRun>,
}

/// What a batch read, beside its result: for the command line, not part of any document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// Every file the batch read (plan, cases, overlays), never written over by `-o`.
    pub files: Vec<PathBuf>,
    /// Warnings found while loading each case: (case name, number of warnings), for cases
    /// with warnings, in plan order.
    pub case_warnings: Vec<(String, usize)>,
}

impl BatchSummary {
    /// The number of failed runs.
    pub fn failed(&self) -> usize {
        self.runs
            .iter()
            .filter(|r| r.head.status == "error")
            .count()
    }

    /// The last line of the Markdown summary: how many runs failed.
    pub fn verdict(&self) -> String {
        let n = self.runs.len();
        match self.failed() {
            0 => format!("All {n} runs succeeded."),
            f => format!("{f} of {n} runs failed."),
        }
    }
}

/// Loads a case named by the plan, relative to the plan's folder.
fn load_case(spec: &CaseSpec, dir: &Path) -> Result<load::Loaded, Error> {
    let location = match spec {
        CaseSpec::Path(p) => CaseLocation::File(p.clone()),
        CaseSpec::Name(n) => discover::locate(Some(n), dir)?,
        CaseSpec::Bundled => CaseLocation::Bundled,
    };
    load::load(&location)
}

/// What one run produced.
struct Output {
    result: Value,
    rows: Vec<BatchRow>,
    headline: (String, String),
}

/// The rows of a successful run: one per hypothesis in point-rank order, with the point
/// rank, posterior, estimative term and leader flag filled; `fill` adds the command's columns.
fn rows(
    case: &Case,
    scores: &Scores,
    template: &BatchRow,
    fill: impl Fn(usize, &mut BatchRow),
) -> Vec<BatchRow> {
    scores
        .order
        .iter()
        .map(|&k| {
            let mut row = template.clone();
            row.hypothesis = Some(case.hypotheses[k].id.clone());
            row.rank = Some(scores.ranks[k]);
            row.posterior = Some(scores.posteriors[k]);
            row.estimative = Some(explain::estimative(scores.posteriors[k]).to_string());
            row.leader = Some(k == scores.leader());
            fill(k, &mut row);
            row
        })
        .collect()
}

fn json(doc: &impl Serialize) -> Value {
    serde_json::to_value(doc).expect("summaries serialise")
}

/// Runs one command on a prepared case.
fn run_command(
    case: &Case,
    command: BatchCommand,
    plan: &Plan,
    template: &BatchRow,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Output, Error> {
    let id = |k: usize| case.hypotheses[k].id.as_str();
    Ok(match command.entry(plan).run(case, progress)? {
        entry::Output::Score(doc) => {
            let scores = bayes::score(case)?;
            let lead = &doc.hypotheses[0];
            Output {
                result: json(&doc),
                rows: rows(case, &scores, template, |_, _| {}),
                headline: (
                    lead.id.clone(),
                    format!(
                        "posterior {} ({})",
                        percent1(lead.posterior),
                        lead.estimative
                    ),
                ),
            }
        }
        entry::Output::MonteCarlo(McOutput::Summary(doc)) => {
            let scores = bayes::score(case)?;
            let rows = rows(case, &scores, template, |k, row| {
                if let Some(h) = doc.hypotheses.iter().find(|h| h.id == id(k)) {
                    row.mean = Some(h.mean);
                    row.q05 = Some(h.q05);
                    row.q50 = Some(h.q50);
                    row.q95 = Some(h.q95);
                    row.p_top = Some(h.p_top);
                }
            });
            Output {
                headline: (
                    doc.point_leader.clone(),
                    format!("stability {}", percent1(doc.leader_stability)),
                ),
                result: json(&doc),
                rows,
            }
        }
        entry::Output::Tipping(doc) => {
            let scores = bayes::score(case)?;
            let critical = doc.items.iter().filter(|i| i.critical).count();
            let rows = rows(case, &scores, template, |k, row| {
                let by = |b: &Option<String>| b.as_deref() == Some(id(k));
                row.loo_leads = Some(doc.items.iter().filter(|i| i.loo_leader == id(k)).count());
                if k == scores.leader() {
                    row.critical = Some(critical);
                } else {
                    row.nearest_upper = doc
                        .items
                        .iter()
                        .filter(|i| by(&i.upper_by))
                        .filter_map(|i| i.upper)
                        .reduce(f64::min);
                    row.nearest_lower = doc
                        .items
                        .iter()
                        .filter(|i| by(&i.lower_by))
                        .filter_map(|i| i.lower)
                        .reduce(f64::max);
                }
            });
            let s = if critical == 1 { "" } else { "s" };
            Output {
                headline: (
                    doc.leader.clone(),
                    format!("{critical} critical item{s} of {}", doc.items.len()),
                ),
                result: json(&doc),
                rows,
            }
        }
        entry::Output::Tornado(doc) => {
            let scores = bayes::score(case)?;
            let leader = scores.leader();
            let rows = rows(case, &scores, template, |k, row| {
                let flips = |b: &&tornado::TornadoBar| {
                    let ends = [b.leader_low.as_str(), b.leader_high.as_str()];
                    if k == leader {
                        ends.iter().any(|l| *l != id(k))
                    } else {
                        ends.contains(&id(k))
                    }
                };
                row.flips = Some(doc.bars.iter().filter(flips).count());
                if k == leader {
                    row.max_swing = doc.bars.first().map(|b| b.swing);
                }
            });
            let swing = doc
                .bars
                .first()
                .map_or("no varying quantity".to_string(), |b| {
                    format!("largest swing {} points", points1(b.swing))
                });
            Output {
                headline: (id(leader).to_string(), swing),
                result: json(&doc),
                rows,
            }
        }
        other => unreachable!("a plan runs score, monte-carlo, tipping or tornado: {other:?}"),
    })
}

/// Runs every entry of the plan in parallel on the current rayon pool. `progress` is called
/// with units of work as they complete ([`Plan::work`] in all).
///
/// Cases are loaded once each; every variant applies its overlays and `set` assignments to a
/// copy (as `--overlay` and `--set` do). A case that cannot be loaded, or a variant that
/// cannot be applied, fails every run that needs it, with its diagnostics; a command that
/// fails (an inconsistent case) fails its run only. Also returns what the batch read.
pub fn run(plan: &Plan, progress: &(dyn Fn(u64) + Sync)) -> (BatchSummary, Inputs) {
    let (summary, inputs, _) = run_range(plan, 0..plan.len(), progress);
    (summary, inputs)
}

/// The runs of shard `k` of `n`: [⌊(k−1)L/n⌋, ⌊kL/n⌋) of the plan's L runs, in plan order.
pub fn shard_runs(plan: &Plan, k: u64, n: u64) -> std::ops::Range<usize> {
    let (a, b) = shard::chunk_range(plan.len() as u64, k, n);
    a as usize..b as usize
}

/// Runs shard `(k, n)` of the plan ([`shard_runs`]) and returns its part for [`merge`];
/// `progress` as in [`run`], for this shard's runs. Also returns what the shard read.
///
/// # Errors
/// A shard out of range.
pub fn run_shard(
    plan: &Plan,
    k: u64,
    n: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(BatchPartial, Inputs), Error> {
    if k == 0 || k > n {
        return Err(Refused::ShardOutOfRange { k, n }.into());
    }
    let range = shard_runs(plan, k, n);
    let (summary, inputs, fingerprint) = run_range(plan, range.clone(), progress);
    let part = BatchPartial {
        schema_version: SCHEMA_VERSION,
        case: None,
        command: "batch-partial".into(),
        fingerprint,
        plan: summary.plan.clone(),
        shard: [k, n],
        total: plan.len() as u64,
        runs: [range.start as u64, range.end as u64],
        results: summary.runs,
        checksum: String::new(),
    };
    Ok((shard::Part::sealed(part), inputs))
}

/// The work units of the runs in `range` (as [`Plan::work`] counts them).
pub fn range_work(plan: &Plan, range: std::ops::Range<usize>) -> u64 {
    let per_pair = plan.commands.len();
    range
        .map(|i| match plan.commands[i % per_pair] {
            BatchCommand::MonteCarlo => plan.samples,
            _ => 1,
        })
        .sum()
}

/// Runs the plan's runs in `range` (indices in plan order) and returns their summary, what
/// the batch read and the fingerprint of the batch (the plan and every case as prepared for
/// each variant).
fn run_range(
    plan: &Plan,
    range: std::ops::Range<usize>,
    progress: &(dyn Fn(u64) + Sync),
) -> (BatchSummary, Inputs, String) {
    let dir = plan.path.parent().unwrap_or(Path::new(""));
    let loaded: Vec<Result<load::Loaded, String>> = plan
        .cases
        .par_iter()
        .map(|c| load_case(c, dir).map_err(|e| e.to_string()))
        .collect();
    let prepared: Vec<Result<Case, String>> = (0..plan.cases.len() * plan.variants.len())
        .into_par_iter()
        .map(|i| {
            let (c, v) = (i / plan.variants.len(), i % plan.variants.len());
            let variant = &plan.variants[v];
            let mut case = loaded[c].as_ref().map_err(Clone::clone)?.case.clone();
            overrides::apply(&mut case, &variant.overlays, &variant.sets)
                .map_err(|e| e.to_string())?;
            Ok(case)
        })
        .collect();

    let fingerprint = shard::fnv128(&format!("batch|{plan:?}|{prepared:?}"));
    let per_pair = plan.commands.len();
    let runs: Vec<BatchRun> = range
        .into_par_iter()
        .map(|i| {
            let (pair, command) = (i / per_pair, plan.commands[i % per_pair]);
            let head = RunHead {
                case: plan.cases[pair / plan.variants.len()].label(),
                variant: plan.variants[pair % plan.variants.len()].name.clone(),
                command: command.as_str().to_string(),
                status: "ok".into(),
                error: None,
            };
            let template = BatchRow {
                head: head.clone(),
                ..BatchRow::default()
            };
            let units = match command {
                BatchCommand::MonteCarlo => plan.samples,
                _ => 1,
            };
            let done = AtomicU64::new(0);
            let report = |n: u64| {
                done.fetch_add(n, Ordering::Relaxed);
                progress(n);
            };
            let out = prepared[pair]
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|case| {
                    run_command(case, command, plan, &template, &report).map_err(|e| e.to_string())
                });
            progress(units.saturating_sub(done.load(Ordering::Relaxed)));
            match out {
                Ok(o) => BatchRun {
                    head,
                    result: Some(o.result),
                    rows: o.rows,
                    headline: Some(o.headline),
                },
                Err(message) => {
                    let mut row = template;
                    row.head.status = "error".into();
                    row.head.error = Some(message.trim_end().to_string());
                    BatchRun {
                        head: RunHead {
                            status: "error".into(),
                            error: Some(message),
                            ..head
                        },
                        result: None,
                        rows: vec![row],
                        headline: None,
                    }
                }
            }
        })
        .collect();

    let mut files = vec![plan.path.clone()];
    let mut case_warnings = Vec::new();
    for (spec, l) in plan.cases.iter().zip(&loaded) {
        if let Ok(l) = l {
            if !l.case.bundled {
                files.extend(l.case.files.iter().cloned());
            }
            if !l.warnings.is_empty() {
                case_warnings.push((spec.label(), l.warnings.len()));
            }
        }
    }
    files.extend(
        plan.variants
            .iter()
            .flat_map(|v| v.overlays.iter().cloned()),
    );
    let summary = BatchSummary {
        schema_version: SCHEMA_VERSION,
        case: None,
        command: "batch",
        provenance: None,
        plan: plan.path.display().to_string(),
        runs,
    };
    let inputs = Inputs {
        files,
        case_warnings,
    };
    (summary, inputs, fingerprint)
}

/// A part of a sharded batch (`abduce batch PLAN --shard K/N`): the runs `[runs[0], runs[1])`
/// of the plan's `total`, with a fingerprint of the plan and its prepared cases.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BatchPartial {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Always `null`, as in the batch result.
    pub case: Option<String>,
    /// `"batch-partial"`.
    pub command: String,
    /// Fingerprint of the plan and of every case as prepared for each variant.
    pub fingerprint: String,
    /// The plan file as given.
    pub plan: String,
    /// `[k, n]`.
    pub shard: [u64; 2],
    /// Number of runs in the plan.
    pub total: u64,
    /// The runs `[start, end)` this part holds, in plan order.
    pub runs: [u64; 2],
    /// Those runs.
    pub results: Vec<BatchRun>,
    /// FNV-1a (128 bits) of the part as written with this field empty: `merge` refuses a part
    /// changed since.
    pub checksum: String,
}

impl shard::Part for BatchPartial {
    const COMMAND: &'static str = "batch-partial";
    const FINISHED: &'static str = "batch";
    const RUN: &'static str = "batch";
    const NAME: &'static str = "batch part";
    const WRITE_WITH: &'static str = "abduce batch PLAN --shard K/N";

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

/// Reads one batch part; the message says what is wrong with it.
fn read_part(text: &str) -> Result<BatchPartial, String> {
    let doc: BatchPartial = shard::decode(text)?;
    shard::Part::check_checksum(&doc)?;
    let [a, b] = doc.runs;
    if a > b || b > doc.total || (b - a) as usize != doc.results.len() {
        return Err(format!("the run range {a}..{b} is malformed"));
    }
    Ok(doc)
}

/// Combines the parts of a sharded batch into the result of the whole batch: the same bytes
/// as the unsharded run, in every format. Each part is `(name, text)`; problems are reported
/// under each part's name, all at once.
///
/// # Errors
/// No part (a usage error); malformed parts, parts of other batches (another plan, or cases
/// or overlays that changed in between), gaps and overlaps in the runs they hold.
pub fn merge(parts: &[(String, String)]) -> Result<BatchSummary, Error> {
    let mut read = shard::read_parts(
        parts,
        read_part,
        |first, p| {
            if p.plan != first.plan {
                Some(format!("plan {} against {}", p.plan, first.plan))
            } else if p.fingerprint != first.fingerprint || p.total != first.total {
                Some("the plan, its cases or its overlays differ".to_string())
            } else {
                None
            }
        },
        |p| p.runs,
        |p| p.total,
        "runs",
    )?;
    read.sort_by_key(|(_, p)| p.runs);
    let plan = read[0].1.plan.clone();
    let runs = read.into_iter().flat_map(|(_, p)| p.results).collect();
    Ok(BatchSummary {
        schema_version: SCHEMA_VERSION,
        case: None,
        command: "batch",
        provenance: None,
        plan,
        runs,
    })
}
