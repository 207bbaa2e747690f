//! The command line (docs/reference.md §8). The only file that knows clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The largest `--threads`: more is surely a typo, and would spawn that many threads before
/// any work starts.
pub const MAX_THREADS: u64 = 1024;

/// Rank competing attribution hypotheses from weighted evidence.
#[derive(Debug, Parser)]
#[command(name = "abduce", version, about, max_term_width = 100)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Markdown for people.
    Md,
    /// JSON for programs (docs/reference.md §9).
    Json,
    /// CSV: one row per list element.
    Csv,
    /// A self-contained HTML page (`report` only).
    Html,
}

/// Scoring methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// The Bayesian scorer (docs/reference.md §3).
    Bayes,
    /// Heuer / PARC weighted inconsistency (docs/reference.md §4).
    Ach,
}

/// Options shared by every command that reads a case and writes a result.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Output format [default: md] (a shard part is always JSON).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Write to FILE instead of standard output (atomically; never over an input file).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Change one quantity for this run only (repeatable), e.g. `evidence.x.weight=0.5` (its
    /// range moves with it) or `evidence.x.weight_range=[0.5, 2]`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Apply an overlay file of analyst variants (repeatable; applied in order).
    #[arg(long, value_name = "FILE")]
    pub overlay: Vec<PathBuf>,
    /// Worker threads, 1 to 1024 (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_THREADS))]
    pub threads: Option<u64>,
    /// No progress bar and no warnings on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

impl Common {
    /// The format asked for, Markdown when none was.
    pub fn format(&self) -> FormatArg {
        self.format.unwrap_or(FormatArg::Md)
    }
}

/// The case argument.
#[derive(Debug, Clone, Args)]
pub struct CaseArg {
    /// A hypotheses file (a path with `/` or ending in `.toml`) or a case name under
    /// `./hypotheses`; default: the only case there, else the bundled case.
    pub case: Option<String>,
}

/// Sampling options of the sweeps that draw scenarios.
#[derive(Debug, Clone, Args)]
pub struct Sampling {
    /// Number of scenarios (Monte Carlo) or base rows (Sobol).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub samples: Option<u64>,
    /// Seed of the random streams.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
}

/// A shard `k/n` of a sharded run (1 ≤ k ≤ n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based index of this shard.
    pub k: u64,
    /// Number of shards.
    pub n: u64,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not of the form K/N"))?;
    let k: u64 = k
        .parse()
        .map_err(|_| format!("`{k}` is not a whole number"))?;
    let n: u64 = n
        .parse()
        .map_err(|_| format!("`{n}` is not a whole number"))?;
    if k == 0 || k > n {
        return Err(format!("shard {k}/{n} is out of range: need 1 ≤ K ≤ N"));
    }
    Ok(Shard { k, n })
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a case; print a summary and warnings.
    Check {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        common: Common,
    },
    /// Rank the hypotheses.
    Score {
        #[command(flatten)]
        case: CaseArg,
        /// Scoring method.
        #[arg(long, value_enum, default_value_t = Method::Bayes)]
        method: Method,
        #[command(flatten)]
        common: Common,
    },
    /// The posterior after each date of reporting.
    Timeline {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        common: Common,
    },
    /// Rank pending items by how much finding them would tell.
    Indicators {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        common: Common,
    },
    /// Sensitivity sweeps.
    #[command(subcommand)]
    Sweep(SweepCommand),
    /// Combine the parts of a sharded run (Monte Carlo, Sobol or batch) into its result.
    Merge {
        /// Parts written with `sweep monte-carlo|sobol --shard K/N` or `batch --shard K/N`.
        #[arg(required = true, value_name = "PART")]
        parts: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// The ranked attribution summary: score, sweeps, indicators and timeline.
    Report {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        sampling: Sampling,
        #[command(flatten)]
        common: Common,
    },
    /// Start a case of your own: the bundled case under its own name, or a blank template.
    Init {
        /// The case's name (letters, digits, `-`, `_`): writes `hypotheses/NAME.toml` and
        /// `evidence/NAME/` into the folder NAME (default: the bundled case's name, here).
        #[arg(value_name = "NAME")]
        name: Option<String>,
        /// The folder to write `hypotheses/` and `evidence/` into (default: NAME, or the
        /// current folder without NAME).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// A minimal commented template (two hypotheses, a source, one item of each
        /// status) instead of the bundled case.
        #[arg(long)]
        blank: bool,
        /// Print nothing (errors still go to standard error).
        #[arg(short, long)]
        quiet: bool,
    },
    /// Change quantities in the case files themselves, keeping comments and formatting.
    Tune {
        /// An optional CASE (the first argument, when it has no `=`), then one or more
        /// PATH=VALUE, e.g. `evidence.arsenal.weight=0.5` (paths as for `--set`).
        #[arg(required = true, value_name = "[CASE] PATH=VALUE")]
        args: Vec<String>,
        /// Print the change as a unified diff; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// No warnings on standard error.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Score analysts' variants (one --overlay each) side by side and pool them.
    Compare {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        sampling: Sampling,
        #[command(flatten)]
        common: Common,
    },
    /// Run every case × variant × command of a plan file in parallel; one combined result.
    Batch {
        /// The plan (TOML: `[batch]`, `[[case]]`, `[[variant]]`, `[run]`; see docs/format.md).
        #[arg(value_name = "PLAN.toml")]
        plan: PathBuf,
        /// Output format [default: md] (a shard part is always JSON).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Write to FILE instead of standard output (atomically; never over an input file).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Worker threads, 1 to 1024 (default: all cores).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_THREADS))]
        threads: Option<u64>,
        /// No progress bar and no warnings on standard error.
        #[arg(short, long)]
        quiet: bool,
        /// Run only shard K of N of the plan's runs and write a part for `abduce merge`.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<Shard>,
    },
    /// Read a matrix kept in another tool and write it as a new case folder.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Open the workbench: a local page to tune the matrix and watch the result move.
    Serve {
        #[command(flatten)]
        case: CaseArg,
        /// Listen on this port of 127.0.0.1 (default: a free port).
        #[arg(long, value_name = "P")]
        port: Option<u16>,
        /// Open the page in the browser.
        #[arg(long)]
        open: bool,
        /// Monte Carlo scenarios behind every result (default 50,000) and their seed.
        #[command(flatten)]
        sampling: Sampling,
    },
    /// Write a case's matrix for other tools.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `abduce man > abduce.1`.
    Man,
}

/// The groups of `abduce --help`, in order, with their commands in order. A command not
/// listed here is shown under the last group.
pub const HELP_GROUPS: [(&str, &[&str]); 4] = [
    ("Case", &["init", "check", "tune", "import", "export"]),
    (
        "Analysis",
        &["score", "timeline", "indicators", "report", "compare"],
    ),
    ("Sweeps", &["sweep", "merge"]),
    ("Workflow", &["batch", "completions", "man", "help"]),
];

/// The command line with `--help` listing the commands in the groups of [`HELP_GROUPS`].
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let mut subs: Vec<(String, String)> = cmd
        .get_subcommands()
        .map(|c| {
            let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
            (c.get_name().to_string(), about)
        })
        .collect();
    subs.push((
        "help".into(),
        "Print this message or the help of a command".into(),
    ));
    let width = subs.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let line = |(name, about): &(String, String)| format!("  {name:width$}  {about}\n");
    let mut text = String::new();
    for (g, (title, names)) in HELP_GROUPS.iter().enumerate() {
        text += &format!("{title} commands:\n");
        for name in *names {
            text.extend(subs.iter().filter(|(n, _)| n == name).map(line));
        }
        if g == HELP_GROUPS.len() - 1 {
            let unlisted = |(n, _): &&(String, String)| {
                !HELP_GROUPS
                    .iter()
                    .any(|(_, names)| names.contains(&n.as_str()))
            };
            text.extend(subs.iter().filter(unlisted).map(line));
        }
        text += "\n";
    }
    cmd.help_template(format!(
        "{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{text}Options:\n{{options}}{{after-help}}"
    ))
}

/// Options of the importers.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to read.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The folder to write `hypotheses/<name>.toml` and `evidence/<name>/` into.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// The case name (default: made from the file name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// No warnings on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The importers.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A PARC ACH file (.achz).
    Achz(ImportArgs),
    /// A CSV matrix: rows = evidence, columns = hypotheses.
    Csv(ImportArgs),
}

/// The exporters.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The matrix as CSV (the format `abduce import csv` reads).
    Csv {
        #[command(flatten)]
        case: CaseArg,
        /// Write to FILE instead of standard output (atomically; never over an input file).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Change one quantity before exporting (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
        /// Apply an overlay file before exporting (repeatable).
        #[arg(long, value_name = "FILE")]
        overlay: Vec<PathBuf>,
        /// No warnings on standard error.
        #[arg(short, long)]
        quiet: bool,
    },
}

impl Command {
    /// The shared options of a command that reads a case (or parts) and writes a result.
    pub fn common(&self) -> Option<&Common> {
        match self {
            Command::Check { common, .. }
            | Command::Score { common, .. }
            | Command::Timeline { common, .. }
            | Command::Indicators { common, .. }
            | Command::Merge { common, .. }
            | Command::Report { common, .. }
            | Command::Compare { common, .. } => Some(common),
            Command::Sweep(
                SweepCommand::MonteCarlo { common, .. }
                | SweepCommand::Sobol { common, .. }
                | SweepCommand::Tornado { common, .. }
                | SweepCommand::Tipping { common, .. },
            ) => Some(common),
            Command::Init { .. }
            | Command::Completions { .. }
            | Command::Man
            | Command::Tune { .. }
            | Command::Batch { .. }
            | Command::Import(_)
            | Command::Serve { .. }
            | Command::Export(_) => None,
        }
    }
}

/// The sweeps of docs/reference.md §5.
#[derive(Debug, Subcommand)]
pub enum SweepCommand {
    /// Monte Carlo over the stated uncertainties.
    MonteCarlo {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        sampling: Sampling,
        /// Run only shard K of N and write a partial result for `abduce merge`.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<Shard>,
        #[command(flatten)]
        common: Common,
    },
    /// Sobol first-order and total indices of the leader's posterior.
    Sobol {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        sampling: Sampling,
        /// Run only shard K of N (chunks of 256 base rows) and write a part for `abduce merge`.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<Shard>,
        #[command(flatten)]
        common: Common,
    },
    /// One-at-a-time swings of the leader's posterior.
    Tornado {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        common: Common,
    },
    /// Tipping points and leave-one-out.
    Tipping {
        #[command(flatten)]
        case: CaseArg,
        #[command(flatten)]
        common: Common,
    },
}
