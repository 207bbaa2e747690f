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
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::case::discover::{self, CaseLocation};
use crate::case::{Case, bundled, overrides};
use crate::error::{Diagnostic, Error, Position, Refused, Suggestion, did_you_mean};
use crate::load;
use crate::output::SCHEMA_VERSION;
use crate::score::bayes::{self, Scores};
use crate::score::explain;
use crate::sweep::monte_carlo::McOutput;
use crate::sweep::shard;
use crate::sweep::tornado;

/// Monte Carlo scenarios per run when the plan does not say (docs/reference.md §5.2).
pub const DEFAULT_SAMPLES: u64 = 100_000;

/// A command a plan can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchCommand {
    /// `score` (the Bayesian method).
    Score,
    /// `sweep monte-carlo` with the plan's samples and seed.
    MonteCarlo,
    /// `sweep tipping`.
    Tipping,
    /// `sweep tornado`.
    Tornado,
}

impl BatchCommand {
    /// Every command, in the order the documentation lists them.
    pub const ALL: [BatchCommand; 4] = [
        BatchCommand::Score,
        BatchCommand::MonteCarlo,
        BatchCommand::Tipping,
        BatchCommand::Tornado,
    ];

    /// The command line's entry point for this command with the plan's options.
    pub fn entry(self, plan: &Plan) -> entry::Command {
        match self {
            BatchCommand::Score => entry::Command::Score,
            BatchCommand::MonteCarlo => entry::Command::MonteCarlo {
                samples: plan.samples,
                seed: plan.seed,
                shard: None,
            },
            BatchCommand::Tipping => entry::Command::Tipping,
            BatchCommand::Tornado => entry::Command::Tornado,
        }
    }

    /// The name written in plans and results (the `command` of its JSON document).
    pub fn as_str(self) -> &'static str {
        match self {
            BatchCommand::Score => "score",
            BatchCommand::MonteCarlo => "monte-carlo",
            BatchCommand::Tipping => "tipping",
            BatchCommand::Tornado => "tornado",
        }
    }
}

/// Which case a plan entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSpec {
    /// `path = "..."`: a hypotheses file, already joined to the plan's folder.
    Path(PathBuf),
    /// `name = "..."`: `hypotheses/<name>.toml` under the plan's folder (or the bundled
    /// case by its name).
    Name(String),
    /// `bundled = true`: the case bundled into abduce.
    Bundled,
}

impl CaseSpec {
    /// The case's name in the results: the file stem, the name, or the bundled case's name.
    pub fn label(&self) -> String {
        match self {
            CaseSpec::Path(p) => p
                .file_stem()
                .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into()),
            CaseSpec::Name(n) => n.clone(),
            CaseSpec::Bundled => bundled::DEFAULT_CASE.to_string(),
        }
    }
}

/// One `[[variant]]`: overlays then `set` assignments applied to each case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its name in the results.
    pub name: String,
    /// Overlay files, joined to the plan's folder, applied in order.
    pub overlays: Vec<PathBuf>,
    /// `PATH=VALUE` assignments, applied after the overlays, in order.
    pub sets: Vec<String>,
}

/// A parsed, checked plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The plan file as given.
    pub path: PathBuf,
    /// Monte Carlo scenarios per run.
    pub samples: u64,
    /// Monte Carlo seed.
    pub seed: u64,
    /// The cases, in plan order.
    pub cases: Vec<CaseSpec>,
    /// The variants, in plan order (one `base` variant with no change when none is given).
    pub variants: Vec<Variant>,
    /// The commands, in plan order.
    pub commands: Vec<BatchCommand>,
}

impl Plan {
    /// The number of runs: cases × variants × commands.
    pub fn len(&self) -> usize {
        self.cases.len() * self.variants.len() * self.commands.len()
    }

    /// Whether the plan has no run (never true for a plan from [`parse_plan`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The units of work [`run`] reports to its progress callback: `samples` for each Monte
    /// Carlo run, 1 for every other run.
    pub fn work(&self) -> u64 {
        let per_pair: u64 = self
            .commands
            .iter()
            .map(|c| match c {
                BatchCommand::MonteCarlo => self.samples,
                _ => 1,
            })
            .sum();
        per_pair * (self.cases.len() * self.variants.len()) as u64
    }
}

#[derive(Debug, Deserialize)]
struct RawPlan {
    batch: Option<RawBatch>,
    #[serde(default, rename = "case")]
    cases: Vec<Spanned<RawCase>>,
    #[serde(default, rename = "variant")]
    variants: Vec<RawVariant>,
    run: Option<RawRun>,
}

#[derive(Debug, Deserialize)]
struct RawBatch {
    samples: Option<Spanned<Whole>>,
    seed: Option<Whole>,
}

#[derive(Debug, Deserialize)]
struct RawCase {
    path: Option<String>,
    name: Option<String>,
    bundled: Option<Flag>,
}

#[derive(Debug, Deserialize)]
struct RawVariant {
    name: Spanned<String>,
    #[serde(default)]
    overlay: Vec<String>,
    #[serde(default)]
    set: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
struct RawRun {
    commands: Spanned<Vec<Spanned<String>>>,
}

/// A whole number ≥ 0 in a plan: the TOML reader's messages name it so ("invalid value:
/// integer `-3`, expected a whole number ≥ 0"), as the case files do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Whole(u64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Whole, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Whole;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a whole number ≥ 0")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Whole, E> {
                u64::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
        }
        d.deserialize_u64(V)
    }
}

/// `true` or `false` in a plan, named so in the TOML reader's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
        }
        d.deserialize_bool(V)
    }
}

/// The keys each table of a plan takes, in the order the messages list them.
const PLAN_KEYS: [(&str, &[&str]); 4] = [
    ("batch", &["samples", "seed"]),
    ("case", &["path", "name", "bundled"]),
    ("variant", &["name", "overlay", "set"]),
    ("run", &["commands"]),
];

/// The first unknown key of a plan in reading order, with its span: a top-level key other
/// than the four tables, or a key that its table does not take. A table of the wrong shape
/// is left to the typed reading, which says so.
fn first_unknown_key(root: &DeTable<'_>) -> Option<(String, std::ops::Range<usize>)> {
    let unknown = |key: &Spanned<DeString<'_>>, known: &[&str]| {
        let k: &str = key.get_ref();
        (!known.contains(&k)).then(|| (unknown_key_message(k, known), key.span()))
    };
    let in_table = |v: &Spanned<DeValue<'_>>, known: &[&str]| match v.get_ref() {
        DeValue::Table(t) => t.keys().find_map(|k| unknown(k, known)),
        _ => None,
    };
    let top: Vec<&str> = PLAN_KEYS.iter().map(|(k, _)| *k).collect();
    root.iter().find_map(|(key, value)| {
        if let Some(u) = unknown(key, &top) {
            return Some(u);
        }
        let (_, known) = PLAN_KEYS
            .iter()
            .find(|(k, _)| *k == key.get_ref().as_ref())?;
        match value.get_ref() {
            DeValue::Array(items) => items.iter().find_map(|t| in_table(t, known)),
            _ => in_table(value, known),
        }
    })
}

/// "unknown key `k`", with the one "did you mean" wording for a near miss, else the keys
/// the table takes.
fn unknown_key_message(key: &str, known: &[&str]) -> String {
    match did_you_mean(key, known.iter().copied()) {
        Some(s) => format!("unknown key `{key}`; {}", Suggestion(s)),
        None if known.is_empty() => format!("unknown key `{key}`"),
        None => format!(
            "unknown key `{key}`; this table takes {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// [`Error::Input`] with each problem at its `file:line:column`: TOML syntax, an unknown key
/// (the first one only: TOML's reader stops there), a value of the wrong type; then every
/// problem of the checks: no `[[case]]`, a case with not exactly one of `path`, `name`,
/// `bundled = true`, two variants of the same name, a `set` with a malformed PATH (checked by
/// [`overrides::parse_assignment`]; whether its ids and value suit a case is checked per
/// run), an unknown or repeated command, `samples = 0`.
pub fn parse_plan(text: &str, path: &Path) -> Result<Plan, Error> {
    let at = |msg: String, span: Option<std::ops::Range<usize>>| {
        let d = Diagnostic::error(msg).in_file(path);
        match span {
            Some(s) => d.at(Position::from_span(text, s.start, s.end)),
            None => d,
        }
    };
    // TOML syntax first; then the first problem in reading order, an unknown key or a value
    // of the wrong type, as the TOML reader would have stopped at it. Its messages are the
    // reader's own (the types are named by the plan's own value types, below).
    let root = DeTable::parse(text).map_err(|e| at(e.message().trim().to_string(), e.span()))?;
    let typed =
        toml::from_str::<RawPlan>(text).map_err(|e| (e.message().trim().to_string(), e.span()));
    let unknown = first_unknown_key(root.get_ref());
    let raw = match (typed, unknown) {
        (Err((m, span)), Some((_, key))) if span.as_ref().is_some_and(|s| s.start < key.start) => {
            return Err(at(m, span).into());
        }
        (_, Some((m, key))) => return Err(at(m, Some(key)).into()),
        (Err((m, span)), None) => return Err(at(m, span).into()),
        (Ok(raw), None) => raw,
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut problems = Vec::new();

    let samples = match raw.batch.as_ref().and_then(|b| b.samples.as_ref()) {
        Some(s) if s.get_ref().0 == 0 => {
            problems.push(at("`samples` must be at least 1".into(), Some(s.span())));
            DEFAULT_SAMPLES
        }
        Some(s) => s.get_ref().0,
        None => DEFAULT_SAMPLES,
    };
    let seed = raw.batch.as_ref().and_then(|b| b.seed).map_or(0, |w| w.0);

    if raw.cases.is_empty() {
        problems.push(
            Diagnostic::error(
                "the plan names no case: add a [[case]] table with `path`, `name` or \
                 `bundled = true`",
            )
            .in_file(path),
        );
    }
    let mut cases = Vec::new();
    for c in &raw.cases {
        let RawCase {
            path: p,
            name,
            bundled,
        } = c.get_ref();
        match (p, name, bundled) {
            (Some(p), None, None | Some(Flag(false))) => cases.push(CaseSpec::Path(dir.join(p))),
            (None, Some(n), None | Some(Flag(false))) => cases.push(CaseSpec::Name(n.clone())),
            (None, None, Some(Flag(true))) => cases.push(CaseSpec::Bundled),
            _ => problems.push(at(
                "a [[case]] needs exactly one of `path = \"...\"`, `name = \"...\"` or \
                 `bundled = true`"
                    .into(),
                Some(c.span()),
            )),
        }
    }

    let mut variants: Vec<Variant> = Vec::new();
    for v in &raw.variants {
        let name = v.name.get_ref();
        if name.trim().is_empty() {
            problems.push(at(
                "a variant's name cannot be empty".into(),
                Some(v.name.span()),
            ));
        } else if variants.iter().any(|x| x.name == *name) {
            problems.push(at(
                format!("two variants are named `{name}`"),
                Some(v.name.span()),
            ));
        }
        for s in &v.set {
            // A malformed PATH is the plan's error; whether the value suits its quantity
            // and the case is checked per run, so a bad value fails its runs only.
            if let Err(Error::Usage(m)) = overrides::parse_assignment_by(s.get_ref(), "set") {
                problems.push(at(m, Some(s.span())));
            }
        }
        variants.push(Variant {
            name: name.clone(),
            overlays: v.overlay.iter().map(|o| dir.join(o)).collect(),
            sets: v.set.iter().map(|s| s.get_ref().clone()).collect(),
        });
    }
    if variants.is_empty() {
        variants.push(Variant {
            name: "base".into(),
            overlays: Vec::new(),
            sets: Vec::new(),
        });
    }

    let names: Vec<&str> = BatchCommand::ALL.iter().map(|c| c.as_str()).collect();
    let mut commands = Vec::new();
    match &raw.run {
        None => commands.push(BatchCommand::Score),
        Some(r) if r.commands.get_ref().is_empty() => problems.push(at(
            format!(
                "`commands` is empty: list one or more of {}",
                names.join(", ")
            ),
            Some(r.commands.span()),
        )),
        Some(r) => {
            for c in r.commands.get_ref() {
                let word = c.get_ref().as_str();
                match BatchCommand::ALL.iter().find(|x| x.as_str() == word) {
                    Some(cmd) if commands.contains(cmd) => problems.push(at(
                        format!("command `{word}` is listed twice"),
                        Some(c.span()),
                    )),
                    Some(cmd) => commands.push(*cmd),
                    None => {
                        let hint = did_you_mean(word, names.iter().copied())
                            .map_or(String::new(), |s| format!(" ({})", Suggestion(s)));
                        problems.push(at(
                            format!(
                                "unknown command `{word}`{hint}; expected one of {}",
                                names.join(", ")
                            ),
                            Some(c.span()),
                        ));
                    }
                }
            }
        }
    }

    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(Plan {
        path: path.to_path_buf(),
        samples,
        seed,
        cases,
        variants,
        commands,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Result<Plan, Error> {
        parse_plan(text, Path::new("plans/p.toml"))
    }

    #[test]
    fn a_minimal_plan_has_defaults() {
        let p = plan("[[case]]\nbundled = true\n").unwrap();
        assert_eq!(p.samples, DEFAULT_SAMPLES);
        assert_eq!(p.seed, 0);
        assert_eq!(p.cases, vec![CaseSpec::Bundled]);
        assert_eq!(p.variants.len(), 1);
        assert_eq!(p.variants[0].name, "base");
        assert_eq!(p.commands, vec![BatchCommand::Score]);
        // 1 case × 1 variant × 1 command, one unit of work.
        assert_eq!((p.len(), p.work()), (1, 1));
    }

    #[test]
    fn paths_are_relative_to_the_plan() {
        let p = plan(
            "[batch]\nsamples = 10\nseed = 3\n[[case]]\npath = \"h/a.toml\"\n[[case]]\nname = \"b\"\n\
             [[variant]]\nname = \"x\"\noverlay = [\"o.toml\"]\nset = [\"evidence.e.weight=2\"]\n\
             [run]\ncommands = [\"monte-carlo\", \"score\"]\n",
        )
        .unwrap();
        assert_eq!(
            p.cases,
            vec![
                CaseSpec::Path(PathBuf::from("plans/h/a.toml")),
                CaseSpec::Name("b".into())
            ]
        );
        assert_eq!(p.cases[0].label(), "a");
        assert_eq!(p.variants[0].overlays, vec![PathBuf::from("plans/o.toml")]);
        assert_eq!(p.variants[0].sets, vec!["evidence.e.weight=2".to_string()]);
        // 2 cases × 1 variant × (10 scenarios + 1) units.
        assert_eq!((p.len(), p.work()), (4, 22));
    }

    #[test]
    fn every_checked_problem_is_reported_at_its_place() {
        let text = "[batch]\nsamples = 0\n[[case]]\npath = \"a.toml\"\nbundled = true\n\
                    [[variant]]\nname = \"a\"\nset = [\"evidence.x.wieght=1\"]\n\
                    [[variant]]\nname = \"a\"\n[run]\ncommands = [\"scroe\", \"tipping\", \"tipping\"]\n";
        let Err(Error::Input(d)) = plan(text) else {
            panic!("expected errors")
        };
        let lines: Vec<(usize, usize)> = d
            .iter()
            .map(|d| d.position.as_ref().map_or((0, 0), |p| (p.line, p.column)))
            .collect();
        // samples' value; the [[case]] header; the `set` string; the second `a`; on line 12,
        // `commands = [` is 12 characters, then `"scroe", ` 9 and `"tipping", ` 11 more.
        assert_eq!(
            lines,
            vec![(2, 11), (3, 1), (8, 8), (10, 8), (12, 13), (12, 33)]
        );
        assert!(d[3].message.contains("two variants are named `a`"));
        assert!(d[2].message.contains("did you mean `weight`?"));
        assert!(d[4].message.contains("did you mean `score`?"));
        assert!(d[5].message.contains("listed twice"));
    }

    #[test]
    fn the_first_problem_in_reading_order_is_reported() {
        // A value of the wrong type on line 2 before an unknown key on line 3: the type.
        let Err(Error::Input(d)) = plan("[batch]\nsamples = true\nsamplse = 10\n") else {
            panic!("expected an error")
        };
        assert_eq!(
            d[0].message,
            "invalid type: boolean `true`, expected a whole number ≥ 0"
        );
        // The other way round: the key.
        let Err(Error::Input(d)) = plan("[batch]\nsamplse = 10\nseed = true\n") else {
            panic!("expected an error")
        };
        assert_eq!(
            d[0].message,
            "unknown key `samplse`; did you mean `samples`?"
        );
        // A key of a [[case]] table, with the keys the table takes.
        let Err(Error::Input(d)) = plan("[[case]]\nbundled = true\nzzz = 1\n") else {
            panic!("expected an error")
        };
        let p = d[0].position.as_ref().unwrap();
        assert_eq!((p.line, p.column), (3, 1));
        assert_eq!(
            d[0].message,
            "unknown key `zzz`; this table takes `path`, `name`, `bundled`"
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_line_and_column() {
        let Err(Error::Input(d)) = plan("[batch]\nsamplse = 10\n[[case]]\nbundled = true\n") else {
            panic!("expected an error")
        };
        let p = d[0].position.as_ref().unwrap();
        assert_eq!((p.line, p.column), (2, 1));
        assert_eq!(
            d[0].message,
            "unknown key `samplse`; did you mean `samples`?"
        );
        // Wrong types in the words of the case files' messages.
        let Err(Error::Input(d)) = plan("[batch]\nsamples = -3\n[[case]]\nbundled = true\n") else {
            panic!("expected an error")
        };
        assert_eq!(
            d[0].message,
            "invalid value: integer `-3`, expected a whole number ≥ 0"
        );
    }
}
