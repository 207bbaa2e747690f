//! The analyst's workbench behind `abduce serve` (`docs/workbench.md`): a case loaded once,
//! the analyst's pending what-ifs on top of it, and the full result of the current state.
//!
//! Everything here is plain library code with no web server: the page's edits are the same
//! `PATH=VALUE` strings as `--set`, applied with [`overrides::apply`]; the result is the same
//! documents as `score`, `sweep monte-carlo`, `sweep tornado`, `sweep tipping` and
//! `indicators`; Save goes through [`tune::plan`] and [`tune::write`] as `abduce tune` does.
//! The HTTP face (`src/serve/`) only routes requests to a [`Session`].

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::case::discover::CaseLocation;
use crate::case::overrides;
use crate::case::{Case, Cell, Credibility};
use crate::error::{BadName, Diagnostic, Error};
use crate::indicators::{self, IndicatorsSummary};
use crate::load;
use crate::output::write_atomic;
use crate::score::explain::{self, ScoreSummary};
use crate::sweep::monte_carlo::{self, McOutput, MonteCarloSummary};
use crate::sweep::tipping::{self, TippingSummary};
use crate::sweep::tornado::{self, TornadoSummary};
use crate::workflow::{init, tune};

/// Monte Carlo scenarios behind every result of the workbench unless `--samples` says
/// otherwise.
pub const SAMPLES: u64 = 50_000;

/// Why a session refused a request. Each kind maps to one HTTP status in the server.
#[derive(Debug)]
pub enum Refusal {
    /// The request is malformed or its value invalid (400/422): the message says why.
    Invalid(Error),
    /// The request conflicts with the state: a case file changed on disk, a file that exists,
    /// nothing to undo (409).
    Conflict(String),
    /// The bundled case has no folder to write into (409 with `read_only`).
    ReadOnly(String),
}

impl Refusal {
    /// The message for people.
    pub fn message(&self) -> String {
        match self {
            Refusal::Invalid(e) => e.to_string().trim_end().to_string(),
            Refusal::Conflict(m) | Refusal::ReadOnly(m) => m.clone(),
        }
    }
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Refusal {
        Refusal::Invalid(e)
    }
}

/// One step of the analyst's edits: the `--set` assignments sent together.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    /// The assignments, as `PATH=VALUE` with the canonical path.
    pub sets: Vec<String>,
    /// The leader and its posterior before the step.
    pub leader_before: (String, f64),
    /// The leader and its posterior after the step.
    pub leader_after: (String, f64),
}

/// One hypothesis column of the matrix.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Column {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Prior weight as written (or as edited).
    pub prior: f64,
    /// Its 90% range, `[lo, hi]`.
    pub prior_range: Option<[f64; 2]>,
}

/// One cell of the matrix.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MatrixCell {
    /// The rating (`CC` … `II`, `NA`), or `null` for a number.
    pub rating: Option<&'static str>,
    /// The likelihood in force (a rating's value; `null` for NA).
    pub value: Option<f64>,
    /// Its 90% range.
    pub range: Option<[f64; 2]>,
}

/// One evidence row of the matrix.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    /// Id.
    pub id: String,
    /// Title (the id when none).
    pub title: String,
    /// The file that declares it, relative to the case folder.
    pub file: String,
    /// Its group, if any.
    pub group: Option<String>,
    /// Its date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Its source id.
    pub source: Option<String>,
    /// The Admiralty grade, source reliability then information (`B2`, `B`, `2`), if any.
    pub grade: Option<String>,
    /// `observed`, `absent`, `pending` or `retracted`.
    pub status: &'static str,
    /// Weight.
    pub weight: f64,
    /// Its 90% range.
    pub weight_range: Option<[f64; 2]>,
    /// Mixture credibility; `null` for an item given hit and false-alarm rates.
    pub credibility: Option<f64>,
    /// Its 90% range.
    pub credibility_range: Option<[f64; 2]>,
    /// One cell per hypothesis.
    pub cells: Vec<MatrixCell>,
}

/// The matrix of the current state (the contributions are in [`Results::score`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matrix {
    /// Case name.
    pub case: String,
    /// Case title.
    pub title: String,
    /// Case question.
    pub question: Option<String>,
    /// Hypotheses in declaration order.
    pub hypotheses: Vec<Column>,
    /// Items in declaration order.
    pub rows: Vec<Row>,
}

/// An item that separates the leader from the runner-up.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Separating {
    /// Item id.
    pub id: String,
    /// Item title.
    pub title: String,
    /// Its weight of evidence for the leader over the runner-up, dB.
    pub db: f64,
}

/// The full result of the current state: the documents of the command line, computed on
/// the same case with the same functions.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// As `abduce score --format json`.
    pub score: ScoreSummary,
    /// As `abduce sweep monte-carlo --samples N --seed SEED --format json`.
    pub monte_carlo: MonteCarloSummary,
    /// As `abduce sweep tornado --format json`.
    pub tornado: TornadoSummary,
    /// As `abduce sweep tipping --format json`.
    pub tipping: TippingSummary,
    /// As `abduce indicators --format json`.
    pub indicators: IndicatorsSummary,
    /// Leader id.
    pub leader: String,
    /// Runner-up id, when it is not eliminated.
    pub runner_up: Option<String>,
    /// Items that separate them, largest |dB| first (at most eight).
    pub separating: Vec<Separating>,
}

/// Computes the full result of a case: score, Monte Carlo of `samples` scenarios from
/// `seed`, tornado, tipping points with leave-one-out, indicators.
///
/// # Errors
/// An inconsistent case (every hypothesis eliminated), or `samples` = 0.
pub fn evaluate(case: &Case, samples: u64, seed: u64) -> Result<Results, Error> {
    let score = explain::summarize(case)?;
    // The Monte Carlo runs on the rayon pool; the exact sweeps, which are serial, run beside
    // it and rayon balances the two (each result is the same as when run alone).
    let (monte_carlo, (tornado, (tipping, indicators))) = rayon::join(
        || monte_carlo::run(case, samples, seed, None, &|_| {}),
        || {
            rayon::join(
                || tornado::run(case),
                || rayon::join(|| tipping::run(case), || indicators::indicators(case)),
            )
        },
    );
    let McOutput::Summary(monte_carlo) = monte_carlo? else {
        unreachable!("a run without a shard gives a summary");
    };
    let (tornado, tipping, indicators) = (tornado?, tipping?, indicators?);
    let leader = score.hypotheses[0].id.clone();
    let runner_up = score
        .hypotheses
        .get(1)
        .filter(|h| h.log_score.is_some())
        .map(|h| h.id.clone());
    let mut separating: Vec<Separating> = score
        .evidence
        .iter()
        .zip(&case.evidence)
        .filter_map(|(s, e)| {
            let db = s.leader_vs_runner_up_db.filter(|d| *d != 0.0)?;
            Some(Separating {
                id: e.id.clone(),
                title: e.title.clone().unwrap_or_else(|| e.id.clone()),
                db,
            })
        })
        .collect();
    separating.sort_by(|a, b| b.db.abs().total_cmp(&a.db.abs()));
    separating.truncate(8);
    Ok(Results {
        score,
        monte_carlo,
        tornado,
        tipping,
        indicators,
        leader,
        runner_up,
        separating,
    })
}

fn range(r: Option<crate::case::Range>) -> Option<[f64; 2]> {
    r.map(|r| [r.lo, r.hi])
}

/// The matrix of `case`, with file names relative to `root`.
pub fn matrix(case: &Case, root: &Path) -> Matrix {
    let hypotheses = case
        .hypotheses
        .iter()
        .map(|h| Column {
            id: h.id.clone(),
            title: h.title.clone(),
            prior: h.prior,
            prior_range: range(h.prior_range),
        })
        .collect();
    let rows = case
        .evidence
        .iter()
        .map(|e| {
            let source = e.source.map(|s| &case.sources[s]);
            let reliability = source.and_then(|s| s.reliability);
            let grade = match (reliability, e.information) {
                (None, None) => None,
                (r, i) => Some(format!(
                    "{}{}",
                    r.map(String::from).unwrap_or_default(),
                    i.map(|i| i.to_string()).unwrap_or_default()
                )),
            };
            let (credibility, credibility_range) = match e.credibility {
                Credibility::Mixture {
                    value, range: r, ..
                } => (Some(value), range(r)),
                Credibility::Schum { .. } => (None, None),
            };
            let file = case.files.get(e.file).map_or(String::new(), |f| {
                f.strip_prefix(root)
                    .unwrap_or(f)
                    .to_string_lossy()
                    .into_owned()
            });
            Row {
                id: e.id.clone(),
                title: e.title.clone().unwrap_or_else(|| e.id.clone()),
                file,
                group: e.group.map(|g| case.groups[g].id.clone()),
                date: e.date.map(|d| d.to_string()),
                source: source.map(|s| s.id.clone()),
                grade,
                status: e.status.as_str(),
                weight: e.weight,
                weight_range: range(e.weight_range),
                credibility,
                credibility_range,
                cells: e
                    .likelihood
                    .iter()
                    .map(|c| MatrixCell {
                        rating: match c {
                            Cell::Rating(r) => Some(r.as_str()),
                            Cell::Value { .. } => None,
                        },
                        value: case.cell_value(c),
                        range: range(case.cell_range(c)),
                    })
                    .collect(),
            }
        })
        .collect();
    Matrix {
        case: case.name.clone(),
        title: case.title.clone(),
        question: case.question.clone(),
        hypotheses,
        rows,
    }
}

/// True for a name of an overlay file: `[A-Za-z0-9][A-Za-z0-9_-]*`, at most 64 characters.
pub fn valid_overlay_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The case folder of a hypotheses file `<root>/hypotheses/<name>.toml`: `<root>`.
fn case_root(hypotheses: &Path) -> PathBuf {
    let dir = hypotheses.parent().unwrap_or(Path::new(""));
    let root = dir.parent().unwrap_or(Path::new(""));
    if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root.to_path_buf()
    }
}

/// A case being tuned: the case as in its files, the pending edits on top, undo and redo.
#[derive(Debug)]
pub struct Session {
    location: CaseLocation,
    /// The folder `init` would write the bundled case into, and overlays go under
    /// (`<root>/overlays`).
    root: PathBuf,
    /// The case as loaded from its files.
    base: Case,
    /// The bytes of each case file as loaded (to see a change on disk).
    loaded: Vec<Vec<u8>>,
    /// Pending steps, applied in order; later assignments to one quantity win.
    steps: Vec<Step>,
    /// Steps undone, most recent last.
    redo: Vec<Step>,
    /// The case with every pending step.
    current: Case,
    /// Its full result, and the milliseconds it took to compute.
    results: Results,
    millis: f64,
    /// Bumped on every change of state.
    revision: u64,
    samples: u64,
    seed: u64,
}

/// What the page shows of a session (the results are sent beside it).
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Bumped on every change.
    pub revision: u64,
    /// True for the bundled case: Save writes a new case folder (`init`) first.
    pub read_only: bool,
    /// The case files, relative to the case folder, that changed on disk since they were
    /// loaded (Save refuses then; Reload reads them and keeps the pending edits).
    pub changed_on_disk: Vec<String>,
    /// The pending steps, oldest first.
    pub steps: Vec<Step>,
    /// Steps that Redo would apply again, next first.
    pub redo: Vec<Vec<String>>,
    /// Every changed quantity, its point and range in the files → now.
    pub changes: Vec<tune::Change>,
    /// The matrix of the current state.
    pub matrix: Matrix,
    /// The Monte Carlo scenarios.
    pub samples: u64,
    /// The Monte Carlo seed.
    pub seed: u64,
}

impl Session {
    /// Loads the case at `location` and computes its result with `samples` Monte Carlo
    /// scenarios from `seed`; `workspace` is the folder a bundled case is saved under.
    ///
    /// # Errors
    /// The loader's errors, an inconsistent case, `samples` = 0.
    pub fn open(
        location: CaseLocation,
        workspace: &Path,
        samples: u64,
        seed: u64,
    ) -> Result<Session, Error> {
        let loaded = load::load(&location)?;
        let root = match &location {
            CaseLocation::File(p) => case_root(p),
            CaseLocation::Bundled => workspace.to_path_buf(),
        };
        let bytes = read_all(&loaded.case)?;
        let (results, millis) = timed_evaluate(&loaded.case, samples, seed)?;
        Ok(Session {
            location,
            root,
            current: loaded.case.clone(),
            results,
            millis,
            base: loaded.case,
            loaded: bytes,
            steps: Vec::new(),
            redo: Vec::new(),
            revision: 0,
            samples,
            seed,
        })
    }

    /// The case with every pending edit.
    pub fn current(&self) -> &Case {
        &self.current
    }

    /// The full result of the current state.
    pub fn results(&self) -> &Results {
        &self.results
    }

    /// Milliseconds the server took to compute [`Session::results`] (the what-if applied, the
    /// score, the Monte Carlo, the tornado, the tipping points and the indicators).
    pub fn millis(&self) -> f64 {
        self.millis
    }

    /// The revision (bumped on every change).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The Monte Carlo seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The Monte Carlo scenarios.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// Every pending assignment in order, as `--set` takes them.
    pub fn sets(&self) -> Vec<String> {
        self.steps.iter().flat_map(|s| s.sets.clone()).collect()
    }

    /// The view of the state.
    pub fn view(&self) -> View {
        let assignments: Vec<tune::Assignment> = self
            .sets()
            .iter()
            .filter_map(|s| tune::Assignment::parse(s).ok())
            .collect();
        let changes = tune::changes(&self.base, &self.current, &assignments)
            .into_iter()
            .filter(|c| c.before != c.after)
            .collect();
        View {
            revision: self.revision,
            read_only: self.base.bundled,
            changed_on_disk: self.changed_on_disk(),
            steps: self.steps.clone(),
            redo: self.redo.iter().rev().map(|s| s.sets.clone()).collect(),
            changes,
            matrix: matrix(&self.current, &self.root),
            samples: self.samples,
            seed: self.seed,
        }
    }

    fn relative(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    }

    /// The case files whose bytes differ from those loaded (or that cannot be read).
    pub fn changed_on_disk(&self) -> Vec<String> {
        if self.base.bundled {
            return Vec::new();
        }
        self.base
            .files
            .iter()
            .zip(&self.loaded)
            .filter(|(f, bytes)| std::fs::read(f).ok().as_ref() != Some(*bytes))
            .map(|(f, _)| self.relative(f))
            .collect()
    }

    /// The base case with `sets` applied, and its full result.
    fn rebuild(&self, sets: &[String]) -> Result<(Case, Results, f64), Error> {
        let start = std::time::Instant::now();
        let mut case = self.base.clone();
        overrides::apply(&mut case, &[], sets)?;
        let results = evaluate(&case, self.samples, self.seed)?;
        Ok((case, results, start.elapsed().as_secs_f64() * 1e3))
    }

    fn commit(&mut self, (case, results, millis): (Case, Results, f64)) {
        self.current = case;
        self.results = results;
        self.millis = millis;
        self.revision += 1;
    }

    fn leader(case: &Case) -> Result<(String, f64), Error> {
        let s = crate::score::bayes::score(case)?;
        let k = s.leader();
        Ok((case.hypotheses[k].id.clone(), s.posteriors[k]))
    }

    /// Applies one step of `PATH=VALUE` assignments (as `--set`), validated all together;
    /// clears the redo list.
    ///
    /// # Errors
    /// No assignment, a malformed or invalid one, or a state in which every hypothesis is
    /// eliminated: nothing changes.
    pub fn edit(&mut self, sets: &[String]) -> Result<(), Refusal> {
        if sets.is_empty() {
            return Err(Refusal::Invalid(Error::Usage(
                "an edit needs at least one PATH=VALUE".into(),
            )));
        }
        // Canonical form: the parsed path, then the value as given.
        let mut canonical = Vec::new();
        for s in sets {
            let path = overrides::parse_assignment(s)?.path;
            let value = s.split_once('=').map_or("", |(_, v)| v.trim());
            canonical.push(format!("{path}={value}"));
        }
        let mut all = self.sets();
        all.extend(canonical.iter().cloned());
        let next = self.rebuild(&all)?;
        let step = Step {
            sets: canonical,
            leader_before: Self::leader(&self.current)?,
            leader_after: Self::leader(&next.0)?,
        };
        self.steps.push(step);
        self.redo.clear();
        self.commit(next);
        Ok(())
    }

    /// The full result the state would have with `sets` added, and the milliseconds it took;
    /// nothing changes (the page shows it while a slider is dragged).
    ///
    /// # Errors
    /// As [`Session::edit`].
    pub fn preview(&self, sets: &[String]) -> Result<(Results, f64), Refusal> {
        let mut all = self.sets();
        all.extend(sets.iter().cloned());
        let (_, results, millis) = self.rebuild(&all)?;
        Ok((results, millis))
    }

    /// Takes back the last step.
    ///
    /// # Errors
    /// Nothing to undo.
    pub fn undo(&mut self) -> Result<(), Refusal> {
        let step = self
            .steps
            .pop()
            .ok_or_else(|| Refusal::Conflict("there is nothing to undo".into()))?;
        self.redo.push(step);
        match self.rebuild(&self.sets()) {
            Ok(next) => {
                self.commit(next);
                Ok(())
            }
            Err(e) => {
                self.steps.extend(self.redo.pop());
                Err(e.into())
            }
        }
    }

    /// Applies again the last step undone.
    ///
    /// # Errors
    /// Nothing to redo.
    pub fn redo(&mut self) -> Result<(), Refusal> {
        let step = self
            .redo
            .pop()
            .ok_or_else(|| Refusal::Conflict("there is nothing to redo".into()))?;
        self.steps.push(step);
        match self.rebuild(&self.sets()) {
            Ok(next) => {
                self.commit(next);
                Ok(())
            }
            Err(e) => {
                self.redo.extend(self.steps.pop());
                Err(e.into())
            }
        }
    }

    /// Drops every pending step (and the redo list).
    ///
    /// # Errors
    /// The case in its files no longer scores (only after a reload).
    pub fn discard(&mut self) -> Result<(), Refusal> {
        let next = self.rebuild(&[])?;
        self.steps.clear();
        self.redo.clear();
        self.commit(next);
        Ok(())
    }

    /// Reads the case files again and applies the pending steps on top.
    ///
    /// # Errors
    /// The files do not load, or the pending steps no longer apply to them (for example an
    /// item was removed): the session is left as it was, so no edit is lost.
    pub fn reload(&mut self) -> Result<(), Refusal> {
        let loaded = load::load(&self.location)?;
        let bytes = read_all(&loaded.case)?;
        let old = std::mem::replace(&mut self.base, loaded.case);
        match self.rebuild(&self.sets()) {
            Ok(next) => {
                self.loaded = bytes;
                self.commit(next);
                Ok(())
            }
            Err(e) => {
                self.base = old;
                Err(Refusal::Conflict(format!(
                    "the pending edits do not apply to the files on disk (discard them, or \
                     fix the files and reload again):\n{}",
                    e.to_string().trim_end()
                )))
            }
        }
    }

    /// Saves the pending edits into the case files, as `abduce tune` does (comments, layout
    /// and line ends kept; every file atomically), then reloads the case and clears the edits.
    /// Returns the files written, relative to the case folder.
    ///
    /// # Errors
    /// The bundled case ([`Refusal::ReadOnly`]), nothing to save, a case file changed on
    /// disk since it was loaded or that lies outside the case folder ([`Refusal::Conflict`]),
    /// or a write that failed (the files are then as before).
    pub fn save(&mut self) -> Result<Vec<String>, Refusal> {
        if self.base.bundled {
            return Err(Refusal::ReadOnly(
                "this is the case bundled into abduce, which has no files to write; save it \
                 as a new case folder (written as `abduce init` does) first"
                    .into(),
            ));
        }
        if self.steps.is_empty() {
            return Err(Refusal::Conflict(
                "there are no pending edits to save".into(),
            ));
        }
        let changed = self.changed_on_disk();
        if !changed.is_empty() {
            return Err(Refusal::Conflict(format!(
                "{} changed on disk since the case was loaded; nothing was written. Reload \
                 to read the new files (your pending edits are kept), or discard your edits",
                changed.join(", ")
            )));
        }
        self.check_inside(&self.base.files)?;
        let assignments = self
            .sets()
            .iter()
            .map(|s| tune::Assignment::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
        let edits = tune::plan(&self.base, &assignments)?;
        let expected = crate::score::bayes::score(&self.current)?.posteriors;
        tune::write(&self.location, &edits, &expected)?;
        let written = edits.iter().map(|e| self.relative(&e.path)).collect();
        self.steps.clear();
        self.redo.clear();
        self.reload()?;
        Ok(written)
    }

    /// Writes the bundled case into `folder` (relative to the workspace, a new or empty
    /// folder: nothing is overwritten, as `abduce init`), opens that copy, and saves the
    /// pending edits into it. Returns the files written, relative to the workspace.
    ///
    /// # Errors
    /// Not the bundled case, a folder name that is absolute or leaves the workspace, a file
    /// that already exists, or a failed write.
    pub fn save_as_case(&mut self, folder: &str) -> Result<Vec<String>, Refusal> {
        if !self.base.bundled {
            return Err(Refusal::Conflict(
                "the case already has its folder; use Save".into(),
            ));
        }
        let rel = Path::new(folder);
        let plain = !folder.is_empty()
            && folder.len() <= 200
            && rel.components().all(
                |c| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with('.')),
            );
        if !plain {
            return Err(Refusal::Invalid(BadName::Folder(folder.to_string()).into()));
        }
        let dir = self.root.join(rel);
        // The nearest existing ancestor must resolve inside the workspace (no link escapes).
        let workspace = canonical(&self.root)?;
        let mut probe = dir.clone();
        while !probe.exists() {
            probe = probe.parent().map(Path::to_path_buf).unwrap_or_default();
        }
        if !canonical(&probe)?.starts_with(&workspace) {
            return Err(Refusal::Invalid(
                BadName::OutsideFolder(folder.to_string()).into(),
            ));
        }
        let (_, written) =
            init::init(&dir, None, false).map_err(|e| Refusal::Conflict(e.to_string()))?;
        let hypotheses = written
            .iter()
            .find(|p| p.starts_with(dir.join("hypotheses")))
            .cloned()
            .ok_or_else(|| Refusal::Conflict("init wrote no hypotheses file".into()))?;
        // The pending steps stay here until the copy has them saved.
        let steps = self.steps.clone();
        let mut copy = Session::open(
            CaseLocation::File(hypotheses),
            &self.root,
            self.samples,
            self.seed,
        )?;
        copy.revision = self.revision + 1;
        for step in &steps {
            copy.edit(&step.sets)?;
        }
        if !steps.is_empty() {
            copy.save()?;
        }
        let workspace_root = self.root.clone();
        *self = copy;
        Ok(written
            .iter()
            .map(|p| {
                p.strip_prefix(&workspace_root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect())
    }

    /// Writes the pending edits as an overlay `overlays/NAME.toml` in the case folder (never
    /// over an existing file); the edits stay pending. Returns the file's path relative to
    /// the case folder.
    ///
    /// # Errors
    /// The bundled case, a bad NAME, no pending edit, an existing file, or a failed write.
    pub fn save_overlay(&self, name: &str) -> Result<String, Refusal> {
        if self.base.bundled {
            return Err(Refusal::ReadOnly(
                "the bundled case has no folder for overlays; save it as a new case folder first"
                    .into(),
            ));
        }
        if !valid_overlay_name(name) {
            return Err(Refusal::Invalid(BadName::Overlay(name.to_string()).into()));
        }
        if self.steps.is_empty() {
            return Err(Refusal::Conflict(
                "there are no pending edits to save".into(),
            ));
        }
        let text = overlay_text(&self.base.name, &self.sets())?;
        let dir = self.root.join("overlays");
        std::fs::create_dir_all(&dir)
            .map_err(|e| Refusal::Conflict(format!("cannot create {}: {e}", dir.display())))?;
        if !canonical(&dir)?.starts_with(canonical(&self.root)?) {
            return Err(Refusal::Conflict(
                "overlays/ leads outside the case folder; nothing was written".into(),
            ));
        }
        let path = dir.join(format!("{name}.toml"));
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(Refusal::Conflict(format!(
                "overlays/{name}.toml already exists; choose another name (abduce never \
                 overwrites an overlay)"
            )));
        }
        write_atomic(&path, text.as_bytes())
            .map_err(|e| Refusal::Conflict(format!("cannot write {}: {e}", path.display())))?;
        Ok(self.relative(&path))
    }

    fn check_inside(&self, files: &[PathBuf]) -> Result<(), Refusal> {
        let root = canonical(&self.root)?;
        for f in files {
            if !canonical(f)?.starts_with(&root) {
                return Err(Refusal::Conflict(format!(
                    "{} resolves outside the case folder {}; the workbench writes only inside \
                     it (nothing was written; use `abduce tune` on that file)",
                    f.display(),
                    self.root.display()
                )));
            }
        }
        Ok(())
    }
}

fn timed_evaluate(case: &Case, samples: u64, seed: u64) -> Result<(Results, f64), Error> {
    let start = std::time::Instant::now();
    let results = evaluate(case, samples, seed)?;
    Ok((results, start.elapsed().as_secs_f64() * 1e3))
}

fn canonical(p: &Path) -> Result<PathBuf, Refusal> {
    std::fs::canonicalize(p)
        .map_err(|e| Refusal::Conflict(format!("cannot resolve {}: {e}", p.display())))
}

fn read_all(case: &Case) -> Result<Vec<Vec<u8>>, Error> {
    if case.bundled {
        return Ok(Vec::new());
    }
    case.files
        .iter()
        .map(|f| {
            std::fs::read(f)
                .map_err(|e| Error::from(Diagnostic::error(format!("cannot read: {e}")).in_file(f)))
        })
        .collect()
}

/// The text of an overlay file holding `sets` (later assignments to a quantity win), in the
/// form `--overlay` reads (`docs/format.md`).
///
/// # Errors
/// A malformed assignment.
pub fn overlay_text(case: &str, sets: &[String]) -> Result<String, Error> {
    let mut doc = toml_edit::DocumentMut::new();
    for s in sets {
        let a = overrides::parse_assignment(s)?;
        let keys = a.path.keys();
        let (tables, last) = keys.split_at(keys.len() - 1);
        let mut table = doc.as_table_mut();
        for (depth, k) in tables.iter().enumerate() {
            let entry = table.entry(k).or_insert_with(|| {
                let mut t = toml_edit::Table::new();
                t.set_implicit(depth == 0);
                toml_edit::Item::Table(t)
            });
            table = entry
                .as_table_mut()
                .ok_or_else(|| BadName::NotATable(k.to_string()))?;
        }
        // The value as the analyst wrote it (checked by `parse_assignment`); a bare word as a
        // string.
        let raw = s.split_once('=').map_or("", |(_, v)| v.trim());
        let value = raw
            .parse::<toml_edit::Value>()
            .unwrap_or_else(|_| toml_edit::Value::from(raw));
        table.insert(last[0], toml_edit::value(value));
    }
    Ok(format!(
        "# What-ifs on the case `{case}`, written by `abduce serve`.\n\
         # Use with: abduce score {case} --overlay <this file>\n\n{doc}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_names() {
        assert!(valid_overlay_name("analyst-b_2"));
        assert!(!valid_overlay_name("../x"));
        assert!(!valid_overlay_name("-x"));
        assert!(!valid_overlay_name(""));
        assert!(!valid_overlay_name(&"a".repeat(65)));
    }

    #[test]
    fn overlay_text_reads_back_as_the_same_assignments() {
        let text = overlay_text(
            "c",
            &[
                "evidence.x.weight=0.5".into(),
                "evidence.x.likelihood.etim=C".into(),
                "hypothesis.isk.prior=2".into(),
                "evidence.x.weight=0.7".into(),
            ],
        )
        .unwrap();
        let (list, problems) = overrides::overlay_assignments(&text, Path::new("o.toml"));
        assert!(problems.is_empty(), "{problems:?}");
        let got: Vec<(String, overrides::Value)> = list
            .into_iter()
            .map(|a| (a.path.to_string(), a.value))
            .collect();
        let number = |value: f64| overrides::Value::Number { value, label: None };
        // The later weight wins; the order is that of first appearance.
        assert_eq!(
            got,
            [
                ("evidence.x.weight".to_string(), number(0.7)),
                (
                    "evidence.x.likelihood.etim".to_string(),
                    overrides::Value::Rating(crate::case::Rating::C)
                ),
                ("hypothesis.isk.prior".to_string(), number(2.0)),
            ]
        );
    }

    #[test]
    fn steps_undo_redo_and_preview_on_the_bundled_case() {
        let mut s = Session::open(CaseLocation::Bundled, Path::new("."), 100, 0).unwrap();
        let w = "evidence.afintl-border-units.weight";
        s.edit(&[format!(" {w} = 0.8")]).unwrap();
        // The step is stored in canonical form; the change reads before → after.
        assert_eq!(s.sets(), [format!("{w}=0.8")]);
        let v = s.view();
        // The weight was 1 in [0.6, 1.4]; a moved point moves its range (0.8 × the ends).
        assert_eq!(
            (v.changes[0].before.as_str(), v.changes[0].after.as_str()),
            ("1 [0.6, 1.4]", "0.8 [0.48, 1.12]")
        );
        assert_eq!(
            s.current().evidence[s.current().evidence_index("afintl-border-units").unwrap()].weight,
            0.8
        );
        // A preview changes nothing; its result is that of the same edit.
        let (preview, _) = s.preview(&[format!("{w}=0.8")]).unwrap();
        assert_eq!(s.revision(), 1);
        assert_eq!(preview.score.hypotheses, s.results().score.hypotheses);
        // A negative weight: refused, nothing changes.
        assert!(matches!(
            s.edit(&[format!("{w}=-1")]),
            Err(Refusal::Invalid(_))
        ));
        assert_eq!(s.revision(), 1);
        s.undo().unwrap();
        assert!(s.sets().is_empty());
        assert!(matches!(s.undo(), Err(Refusal::Conflict(_))));
        s.redo().unwrap();
        assert_eq!(s.sets(), [format!("{w}=0.8")]);
        assert!(matches!(s.save(), Err(Refusal::ReadOnly(_))));
        s.discard().unwrap();
        assert!(s.view().changes.is_empty());
        // Four changes of state: edit, undo, redo, discard (the refusals changed nothing).
        assert_eq!(s.revision(), 4);
    }

    #[test]
    fn case_root_is_two_levels_up() {
        assert_eq!(
            case_root(Path::new("hypotheses/c.toml")),
            PathBuf::from(".")
        );
        assert_eq!(
            case_root(Path::new("/w/p/hypotheses/c.toml")),
            PathBuf::from("/w/p")
        );
    }
}
