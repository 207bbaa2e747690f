//! Errors and diagnostics (docs/reference.md §10).
//!
//! Every problem with the input becomes a [`Diagnostic`]; a run collects all of them and
//! reports them at once. [`Diagnostic::render`] is the one place that formats them:
//!
//! ```text
//! evidence/case/a.toml:12:1: error: unknown field `wieght`, expected one of ...
//!    |
//! 12 | wieght = 1.0
//!    | ^^^^^^
//! ```

use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input is usable but probably not what the analyst meant.
    Warning,
}

/// A place in a file: 1-based line and column, the text of that line and the span's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The whole offending line, without its line break.
    pub line_text: String,
    /// How many characters to underline (at least 1).
    pub width: usize,
}

impl Position {
    /// The position of byte range `start..end` in `text`. Builds a [`LineIndex`] of the whole
    /// text: a caller with many positions in one text keeps one index and calls
    /// [`LineIndex::position`] instead.
    pub fn from_span(text: &str, start: usize, end: usize) -> Position {
        LineIndex::new(text).position(text, start, end)
    }
}

/// The byte offsets at which the lines of a text start, so that a position costs a binary
/// search instead of a count of the line breaks before it (docs/performance.md, "Scaling in
/// the size of the case").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`'s lines.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The position of byte range `start..end` in `text`, the text this index was built from.
    pub fn position(&self, text: &str, start: usize, end: usize) -> Position {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        // `starts[0] = 0 ≤ start`, so the partition point is at least 1.
        let line0 = self.starts.partition_point(|&s| s <= start) - 1;
        let line_start = self.starts[line0];
        let line_end = self
            .starts
            .get(line0 + 1)
            .map_or(text.len(), |&next| next - 1);
        let column = text[line_start..start].chars().count() + 1;
        let line_text = text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let width = text[start..end.min(line_end).max(start)]
            .chars()
            .count()
            .max(1);
        Position {
            line: line0 + 1,
            column,
            line_text,
            width,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem with the input, with its place when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given (relative paths stay relative), or `None` for problems with no file.
    pub file: Option<PathBuf>,
    /// The place in the file, or `None` for problems with the file as a whole.
    pub position: Option<Position>,
    /// A plain-language message.
    pub message: String,
}

impl Diagnostic {
    /// An error with no file.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            position: None,
            message: message.into(),
        }
    }

    /// A warning with no file.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// The same diagnostic about a file.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    /// The same diagnostic at a position.
    pub fn at(mut self, position: Position) -> Diagnostic {
        self.position = Some(position);
        self
    }

    /// Renders the diagnostic: `file:line:column: error: message`, then the line and a caret
    /// under the offending span; `file: error: message` without a position;
    /// `abduce: error: message` without a file.
    pub fn render(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = String::new();
        match (&self.file, &self.position) {
            (Some(f), Some(p)) => {
                out += &format!(
                    "{}:{}:{}: {kind}: {}\n",
                    f.display(),
                    p.line,
                    p.column,
                    self.message
                );
                let num = p.line.to_string();
                let pad = " ".repeat(num.len());
                let before: String = p.line_text.chars().take(p.column - 1).collect();
                // Keep tabs so the caret lines up under the offending text.
                let indent: String = before
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out += &format!(
                    "{pad} |\n{num} | {}\n{pad} | {indent}{}\n",
                    p.line_text,
                    "^".repeat(p.width)
                );
            }
            (Some(f), None) => out += &format!("{}: {kind}: {}\n", f.display(), self.message),
            (None, _) => out += &format!("abduce: {kind}: {}\n", self.message),
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render().trim_end())
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input (files, values, overrides) or a failed run: exit status 1. Holds every
    /// problem found, errors and warnings, in the order found.
    #[error("{}", render_all(.0))]
    Input(Vec<Diagnostic>),
    /// A bad command line (e.g. `--threads 0`, a malformed `--set` path): exit status 2.
    #[error("abduce: error: {0}\n")]
    Usage(String),
    /// An option of a run that the library refuses whatever the input, worded by its
    /// meaning; the command line names its flag (`abduce`'s `commands::flagged`): exit
    /// status 2.
    #[error("abduce: error: {0}\n")]
    Refused(Refused),
    /// A run that failed for a reason with no place in the input files (a file that cannot
    /// be written, a case that does not exist, an interruption): exit status 1.
    #[error("abduce: error: {0}\n")]
    Failed(Failure),
}

/// An option of a run out of its range, with its data. The library says what the option
/// means ("the number of scenarios must be at least 1"); a front end that has flags names
/// them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// No scenario (Monte Carlo) or base row (Sobol) to draw.
    #[error("the number of scenarios must be at least 1")]
    NoScenarios,
    /// A shard `k` of `n` with k = 0 or k > n.
    #[error("shard {k}/{n} is out of range: need 1 ≤ K ≤ N")]
    ShardOutOfRange {
        /// The shard asked for.
        k: u64,
        /// The number of shards.
        n: u64,
    },
    /// HTML asked of a document other than the report.
    #[error("HTML is only available for the report")]
    HtmlOnlyForReport,
    /// A comparison of analysts with no analyst's view.
    #[error("compare needs at least one analyst")]
    NoAnalysts,
    /// Fewer bootstrap resamples than Sobol intervals need.
    #[error("Sobol intervals need at least {min} bootstrap resamples")]
    TooFewResamples {
        /// The fewest resamples allowed.
        min: usize,
    },
    /// A merge of no part.
    #[error("merge needs at least one part")]
    NoParts,
    /// No case named, and the folder holds several.
    #[error(
        "several cases under hypotheses/: {}; name the one to use",
        ticked(names)
    )]
    SeveralCases {
        /// The cases found, in order.
        names: Vec<String>,
    },
    /// A case name that cannot be a file and folder name.
    #[error(
        "`{name}` cannot be a case name: use letters, digits, `-` and `_`, starting with a \
         letter or digit"
    )]
    BadCaseName {
        /// The name asked for.
        name: String,
    },
    /// A table larger than abduce allocates at once.
    #[error(
        "{what} needs {} of memory, more than the {} GiB abduce allocates at once: at most \
         {most} {unit} are possible",
        bytes_text(*needs),
        limit >> 30
    )]
    TableTooLarge {
        /// What was asked, e.g. "a Monte Carlo run over 9 hypotheses".
        what: String,
        /// The bytes it needs.
        needs: u128,
        /// The most bytes abduce allocates at once.
        limit: u64,
        /// The most `unit`s that fit in `limit`.
        most: u64,
        /// What the table's count counts, e.g. "hypotheses".
        unit: &'static str,
    },
}

/// Words as a list of code spans: "`a`, `b`".
fn ticked(words: &[String]) -> String {
    let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    words.join(", ")
}

/// A number of bytes in the largest binary unit that keeps it at 1 or more, to one decimal.
fn bytes_text(b: u128) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut x = b as f64;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < UNITS.len() {
        x /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} bytes")
    } else {
        format!("{x:.1} {}", UNITS[u])
    }
}

/// Why a run failed when the reason has no place in the input files, with its data. Each
/// kind is worded here and nowhere else; [`Error::Failed`] renders it as
/// `abduce: error: <message>` (exit status 1).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Something could not be read or written: what was being done and the system's reason.
    #[error("{doing}: {source}")]
    Io {
        /// What was being read or written.
        doing: Doing,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A CASE argument that names no case of the folder.
    #[error("{}", no_such_case(name, known))]
    NoSuchCase {
        /// The name asked for.
        name: String,
        /// The cases there are (`hypotheses/*.toml`, and the bundled case's name).
        known: Vec<String>,
    },
    /// What the bundled case cannot do in this build or run.
    #[error(transparent)]
    Bundled(Bundled),
    /// Items of likelihood 0 eliminate every hypothesis of the case.
    #[error(
        "the case is inconsistent: every hypothesis is eliminated ({})",
        eliminated(by)
    )]
    AllEliminated {
        /// Each hypothesis's id with the items that eliminate it, each as `id` or
        /// `id (file:line)`.
        by: Vec<(String, Vec<String>)>,
    },
    /// A drawn scenario of a sweep in which every hypothesis is eliminated.
    #[error(
        "a scenario of the sweep eliminates every hypothesis; check the items with \
         likelihood 0 (run `abduce score` for details)"
    )]
    ScenarioEliminatesAll,
    /// The run was interrupted (Ctrl-C) and wrote nothing.
    #[error("interrupted (Ctrl-C): the run stopped and wrote no output")]
    Interrupted,
    /// An output file that is one of the run's input files.
    #[error("refusing to write {}: it is one of this run's input files", .path.display())]
    OverwritesInput {
        /// The file asked for.
        path: PathBuf,
    },
    /// Edited case files put back as they were, because of `because`.
    #[error("the edited files were restored because {because}")]
    Restored {
        /// What went wrong after writing them.
        because: Restored,
    },
    /// A quantity declared in a file the case does not list.
    #[error("the case does not list the file that declares this quantity")]
    UnlistedFile,
    /// A hypothesis whose id is also a column of the exported matrix.
    #[error(
        "hypothesis `{id}` has the name of a CSV column ({}); rename it to export the matrix",
        .columns.join(", ")
    )]
    HypothesisNamedAsColumn {
        /// The hypothesis.
        id: String,
        /// The matrix's columns.
        columns: &'static [&'static str],
    },
    /// An analyst's case whose hypotheses or evidence are not the base case's.
    #[error("analyst `{name}` does not have the base case's hypotheses and evidence")]
    AnalystShape {
        /// The analyst.
        name: String,
    },
    /// An error in one analyst's view of the case.
    #[error("in analyst `{name}`'s view: {}", .source.to_string().trim_end())]
    InView {
        /// The analyst.
        name: String,
        /// The error of that view, as it renders on its own.
        source: Box<Error>,
    },
    /// A name given to the workbench that it refuses.
    #[error(transparent)]
    Name(BadName),
    /// Runs of a batch that failed (their errors are in the result): the batch's verdict.
    #[error("{} (their errors are in the result)", .verdict.trim_end_matches('.'))]
    RunsFailed {
        /// The batch's one-line verdict.
        verdict: String,
    },
}

/// What was being read or written when it failed ([`Failure::Io`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doing {
    /// Reading the current folder.
    ReadCurrentFolder,
    /// Reading a file.
    Read(PathBuf),
    /// Writing a file.
    Write(PathBuf),
    /// Writing to standard output.
    WriteStdout,
    /// Writing the manual page.
    WriteManual,
    /// Drawing the workbench server's random token from the system.
    DrawToken,
    /// Starting the workbench server's runtime.
    StartRuntime,
    /// Listening on the loopback address.
    Listen,
    /// Reading the address the server listens on.
    ReadListeningAddress,
    /// Serving, until the server stopped.
    Serve,
}

impl Doing {
    /// The failure of doing this, for `source`.
    pub fn failed(self, source: std::io::Error) -> Error {
        Failure::Io {
            doing: self,
            source,
        }
        .into()
    }
}

impl fmt::Display for Doing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Doing::ReadCurrentFolder => f.write_str("cannot read the current folder"),
            Doing::Read(p) => write!(f, "cannot read {}", p.display()),
            Doing::Write(p) => write!(f, "cannot write {}", p.display()),
            Doing::WriteStdout => f.write_str("cannot write to standard output"),
            Doing::WriteManual => f.write_str("cannot write the manual page"),
            Doing::DrawToken => f.write_str("cannot draw a random token from the system"),
            Doing::StartRuntime => f.write_str("cannot start the server's runtime"),
            Doing::Listen => f.write_str("cannot listen on 127.0.0.1"),
            Doing::ReadListeningAddress => f.write_str("cannot read the listening address"),
            Doing::Serve => f.write_str("the server stopped"),
        }
    }
}

/// What the bundled case cannot do ([`Failure::Bundled`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Bundled {
    /// This build lacks the bundled case's file `path`.
    #[error("the bundled case is missing from this build (no `{path}`)")]
    Missing {
        /// The file looked for.
        path: String,
    },
    /// This build carries no bundled case, so there is nothing to write.
    #[error("this build of abduce carries no bundled case to write")]
    NothingToWrite,
    /// The bundled case has no files to edit.
    #[error(
        "this is the case bundled into abduce, which has no files to edit; run `abduce init` \
         to write it into the current folder, then tune the copy"
    )]
    NotEditable,
}

/// Why edited case files were put back ([`Failure::Restored`]).
#[derive(Debug, thiserror::Error)]
pub enum Restored {
    /// The edited files did not load or score.
    #[error("they did not load:\n{}", .0.to_string().trim_end())]
    DidNotLoad(Box<Error>),
    /// The edited files scored otherwise than the same assignments did before writing.
    #[error("they did not score as the same assignments did before writing (please report this)")]
    ScoredOtherwise,
}

/// A name the workbench refuses ([`Failure::Name`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadName {
    /// A folder that is not a plain relative path inside the workspace.
    #[error(
        "`{0}` is not a folder name inside the folder abduce serve was started in \
         (relative, without `..` or hidden parts)"
    )]
    Folder(String),
    /// A folder whose path leads outside the workspace (through a link).
    #[error("`{0}` leads outside the folder abduce serve was started in")]
    OutsideFolder(String),
    /// An overlay name with characters or a length the workbench does not take.
    #[error(
        "`{0}` is not an overlay name: use letters, digits, `-` and `_` (at most 64, \
         starting with a letter or digit)"
    )]
    Overlay(String),
    /// A key of an assignment's path that holds a value where a table was needed.
    #[error("`{0}` is not a table")]
    NotATable(String),
}

fn no_such_case(name: &str, known: &[String]) -> String {
    let mut m = format!("no case `{name}`: there is no `hypotheses/{name}.toml` here");
    if let Some(s) = did_you_mean(name, known.iter().map(String::as_str)) {
        m += &format!("; {}", Suggestion(s));
    } else if !known.is_empty() {
        let names: Vec<String> = known.iter().map(|w| format!("`{w}`")).collect();
        m += &format!(" (cases: {})", names.join(", "));
    }
    m
}

fn eliminated(by: &[(String, Vec<String>)]) -> String {
    let parts: Vec<String> = by
        .iter()
        .map(|(h, items)| format!("`{h}` by {}", items.join(", ")))
        .collect();
    parts.join("; ")
}

impl Error {
    /// The process exit status for this error (docs/reference.md §10).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) | Error::Failed(_) => 1,
            Error::Usage(_) | Error::Refused(_) => 2,
        }
    }
}

impl From<Refused> for Error {
    fn from(r: Refused) -> Error {
        Error::Refused(r)
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        Error::Failed(f)
    }
}

impl From<Bundled> for Error {
    fn from(b: Bundled) -> Error {
        Error::Failed(Failure::Bundled(b))
    }
}

impl From<BadName> for Error {
    fn from(b: BadName) -> Error {
        Error::Failed(Failure::Name(b))
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error::Input(vec![d])
    }
}

/// Renders diagnostics one after the other.
pub fn render_all(diags: &[Diagnostic]) -> String {
    diags.iter().map(Diagnostic::render).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_option_is_worded_by_its_meaning_and_exits_2() {
        let e = Error::from(Refused::NoScenarios);
        assert_eq!(
            e.to_string(),
            "abduce: error: the number of scenarios must be at least 1\n"
        );
        assert_eq!(e.exit_code(), 2);
        let e = Error::from(Refused::ShardOutOfRange { k: 3, n: 2 });
        assert_eq!(
            e.to_string(),
            "abduce: error: shard 3/2 is out of range: need 1 ≤ K ≤ N\n"
        );
        assert_eq!(Suggestion("weight").to_string(), "did you mean `weight`?");
    }

    /// The refusals a front end without flags (batch, the workbench, the library) shows as
    /// they are; `abduce`'s command layer adds the flag or argument to the last two (tested
    /// in tests/discover.rs and tests/workflow.rs).
    #[test]
    fn refusals_are_worded_by_their_meaning() {
        let text = |r: Refused| {
            let e = Error::from(r);
            assert_eq!(e.exit_code(), 2);
            e.to_string()
        };
        assert_eq!(
            text(Refused::TooFewResamples { min: 100 }),
            "abduce: error: Sobol intervals need at least 100 bootstrap resamples\n"
        );
        assert_eq!(
            text(Refused::NoParts),
            "abduce: error: merge needs at least one part\n"
        );
        assert_eq!(
            text(Refused::SeveralCases {
                names: vec!["a".into(), "b".into()]
            }),
            "abduce: error: several cases under hypotheses/: `a`, `b`; name the one to use\n"
        );
        assert_eq!(
            text(Refused::BadCaseName { name: "a b".into() }),
            "abduce: error: `a b` cannot be a case name: use letters, digits, `-` and `_`, \
             starting with a letter or digit\n"
        );
        // 3 × 2^30 + 2^29 bytes = 3.5 GiB.
        assert_eq!(
            text(Refused::TableTooLarge {
                what: "x".into(),
                needs: 3 * (1 << 30) + (1 << 29),
                limit: 1 << 31,
                most: 7,
                unit: "rows"
            }),
            "abduce: error: x needs 3.5 GiB of memory, more than the 2 GiB abduce allocates at \
             once: at most 7 rows are possible\n"
        );
    }

    /// Every failure's text, as the code before the kinds wrote it (`Error::msg(format!..)`
    /// at each place), and exit status 1. One text changed: `ScoredOtherwise` said "as the
    /// same --set does", a flag in a message the workbench's Save shows too.
    #[test]
    fn failures_are_worded_once_and_exit_1() {
        let text = |f: Failure| {
            let e = Error::from(f);
            assert_eq!(e.exit_code(), 1);
            e.to_string()
        };
        let denied = || std::io::Error::other("permission denied");
        assert_eq!(
            Doing::ReadCurrentFolder.failed(denied()).to_string(),
            "abduce: error: cannot read the current folder: permission denied\n"
        );
        let doings = [
            (Doing::Read("p.json".into()), "cannot read p.json"),
            (Doing::Write("out.md".into()), "cannot write out.md"),
            (Doing::WriteStdout, "cannot write to standard output"),
            (Doing::WriteManual, "cannot write the manual page"),
            (
                Doing::DrawToken,
                "cannot draw a random token from the system",
            ),
            (Doing::StartRuntime, "cannot start the server's runtime"),
            (Doing::Listen, "cannot listen on 127.0.0.1"),
            (
                Doing::ReadListeningAddress,
                "cannot read the listening address",
            ),
            (Doing::Serve, "the server stopped"),
        ];
        for (doing, words) in doings {
            assert_eq!(doing.to_string(), words);
        }
        let known = vec!["alpha".to_string(), "shodaki-2025".to_string()];
        assert_eq!(
            text(Failure::NoSuchCase {
                name: "alpah".into(),
                known: known.clone()
            }),
            "abduce: error: no case `alpah`: there is no `hypotheses/alpah.toml` here; \
             did you mean `alpha`?\n"
        );
        assert_eq!(
            text(Failure::NoSuchCase {
                name: "zzz".into(),
                known
            }),
            "abduce: error: no case `zzz`: there is no `hypotheses/zzz.toml` here \
             (cases: `alpha`, `shodaki-2025`)\n"
        );
        assert_eq!(
            text(Failure::NoSuchCase {
                name: "zzz".into(),
                known: Vec::new()
            }),
            "abduce: error: no case `zzz`: there is no `hypotheses/zzz.toml` here\n"
        );
        assert_eq!(
            Error::from(Bundled::Missing {
                path: "hypotheses/x.toml".into()
            })
            .to_string(),
            "abduce: error: the bundled case is missing from this build (no `hypotheses/x.toml`)\n"
        );
        assert_eq!(
            Error::from(Bundled::NothingToWrite).to_string(),
            "abduce: error: this build of abduce carries no bundled case to write\n"
        );
        assert_eq!(
            Error::from(Bundled::NotEditable).to_string(),
            "abduce: error: this is the case bundled into abduce, which has no files to edit; \
             run `abduce init` to write it into the current folder, then tune the copy\n"
        );
        assert_eq!(
            text(Failure::AllEliminated {
                by: vec![
                    ("a".into(), vec!["e1 (h.toml:3)".into(), "e2".into()]),
                    ("b".into(), vec!["e3".into()]),
                ]
            }),
            "abduce: error: the case is inconsistent: every hypothesis is eliminated \
             (`a` by e1 (h.toml:3), e2; `b` by e3)\n"
        );
        assert_eq!(
            text(Failure::ScenarioEliminatesAll),
            "abduce: error: a scenario of the sweep eliminates every hypothesis; check the \
             items with likelihood 0 (run `abduce score` for details)\n"
        );
        assert_eq!(
            text(Failure::Interrupted),
            "abduce: error: interrupted (Ctrl-C): the run stopped and wrote no output\n"
        );
        assert_eq!(
            text(Failure::OverwritesInput {
                path: "h.toml".into()
            }),
            "abduce: error: refusing to write h.toml: it is one of this run's input files\n"
        );
        let not_loaded = Error::from(Diagnostic::error("bad").in_file("h.toml"));
        assert_eq!(
            text(Failure::Restored {
                because: Restored::DidNotLoad(Box::new(not_loaded))
            }),
            "abduce: error: the edited files were restored because they did not load:\n\
             h.toml: error: bad\n"
        );
        assert_eq!(
            text(Failure::Restored {
                because: Restored::ScoredOtherwise
            }),
            "abduce: error: the edited files were restored because they did not score as the \
             same assignments did before writing (please report this)\n"
        );
        assert_eq!(
            text(Failure::UnlistedFile),
            "abduce: error: the case does not list the file that declares this quantity\n"
        );
        assert_eq!(
            text(Failure::HypothesisNamedAsColumn {
                id: "Title".into(),
                columns: &["id", "title"]
            }),
            "abduce: error: hypothesis `Title` has the name of a CSV column (id, title); \
             rename it to export the matrix\n"
        );
        assert_eq!(
            text(Failure::AnalystShape { name: "b".into() }),
            "abduce: error: analyst `b` does not have the base case's hypotheses and evidence\n"
        );
        assert_eq!(
            text(Failure::InView {
                name: "b".into(),
                source: Box::new(Failure::ScenarioEliminatesAll.into())
            }),
            "abduce: error: in analyst `b`'s view: abduce: error: a scenario of the sweep \
             eliminates every hypothesis; check the items with likelihood 0 (run `abduce \
             score` for details)\n"
        );
        let names = [
            (
                BadName::Folder("../x".into()),
                "`../x` is not a folder name inside the folder abduce serve was started in \
                 (relative, without `..` or hidden parts)",
            ),
            (
                BadName::OutsideFolder("l".into()),
                "`l` leads outside the folder abduce serve was started in",
            ),
            (
                BadName::Overlay("-x".into()),
                "`-x` is not an overlay name: use letters, digits, `-` and `_` (at most 64, \
                 starting with a letter or digit)",
            ),
            (BadName::NotATable("w".into()), "`w` is not a table"),
        ];
        for (name, words) in names {
            assert_eq!(
                Error::from(name).to_string(),
                format!("abduce: error: {words}\n")
            );
        }
        assert_eq!(
            text(Failure::RunsFailed {
                verdict: "2 of 8 runs failed.".into()
            }),
            "abduce: error: 2 of 8 runs failed (their errors are in the result)\n"
        );
        assert_eq!(
            Error::from(Refused::NoAnalysts).to_string(),
            "abduce: error: compare needs at least one analyst\n"
        );
    }

    #[test]
    fn renders_position_with_caret() {
        let text = "a = 1\nwieght = 2.0\n";
        let start = text.find("wieght").unwrap();
        let d = Diagnostic::error("unknown field `wieght`")
            .in_file("e.toml")
            .at(Position::from_span(text, start, start + 6));
        assert_eq!(
            d.render(),
            "e.toml:2:1: error: unknown field `wieght`\n  |\n2 | wieght = 2.0\n  | ^^^^^^\n"
        );
    }

    #[test]
    fn renders_without_position_or_file() {
        assert_eq!(
            Diagnostic::error("empty file").in_file("x.toml").render(),
            "x.toml: error: empty file\n"
        );
        assert_eq!(Diagnostic::warning("w").render(), "abduce: warning: w\n");
    }

    /// The index gives the same position as counting line breaks, at every byte of a text
    /// with CRLF, an empty line, a multi-byte character and no final newline.
    #[test]
    fn line_index_matches_counting() {
        let text = "a = 1\r\n\nt = \"–x\"\nlast";
        let index = LineIndex::new(text);
        for start in 0..=text.len() {
            let naive_line = text[..floor_char_boundary(text, start)]
                .matches('\n')
                .count()
                + 1;
            let p = index.position(text, start, start + 2);
            assert_eq!(p.line, naive_line, "byte {start}");
        }
        // "t = \"–x\"" is line 3; the `x` is its 7th character (after the 3-byte dash).
        let x = text.find('x').unwrap();
        let p = index.position(text, x, x + 1);
        assert_eq!(
            (p.line, p.column, p.line_text.as_str()),
            (3, 7, "t = \"–x\"")
        );
        // The last line has no newline: its text runs to the end.
        let p = index.position(text, text.len(), text.len());
        assert_eq!((p.line, p.column, p.line_text.as_str()), (4, 5, "last"));
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "title = \"Afghan–Tajik\" x\n";
        let start = text.find('x').unwrap();
        let p = Position::from_span(text, start, start + 1);
        assert_eq!((p.line, p.column, p.width), (1, 24, 1));
    }
}

/// The one wording of a suggestion for a misspelt word, wherever it is made (case files,
/// what-ifs, plans, importers): "did you mean `weight`?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion<'a>(pub &'a str);

impl fmt::Display for Suggestion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "did you mean `{}`?", self.0)
    }
}

/// A suggestion for a misspelt `word`, for "did you mean ...?": a candidate equal to it but
/// for case; else, for words of three characters or more, the candidate nearest by edit
/// distance (adjacent swaps count as one edit) within a third of the word's length (at least
/// 1); else `None`.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(c) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    let len = word.chars().count();
    if len < 3 {
        return None;
    }
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Edit distance in characters (optimal string alignment: insertions, deletions,
/// substitutions and swaps of adjacent characters each count 1).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod suggest_tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(edit_distance("wieght", "weight"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(did_you_mean("titel", ["title", "question"]), Some("title"));
        assert_eq!(did_you_mean("cc", ["CC", "C"]), Some("CC"));
        assert_eq!(did_you_mean("X", ["CC", "C"]), None);
        assert_eq!(
            did_you_mean("wieght", ["weight", "group", "note"]),
            Some("weight")
        );
        assert_eq!(did_you_mean("isk", ["is-k", "etim"]), Some("is-k"));
        assert_eq!(did_you_mean("zzz", ["weight", "group"]), None);
    }
}
