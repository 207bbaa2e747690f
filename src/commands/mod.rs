//! The glue between the command line and the library: find and load the case, apply
//! analyst variants, run, render, write.

mod check;
mod report;
mod score;
mod sweep;
mod workflow;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use abduce::case::discover::{self, CaseLocation};
use abduce::case::overrides;
use abduce::error::{Doing, Refused};
use abduce::load;
use abduce::output::write_output;
use abduce::render::{CaseDocument, Document, Format};
use abduce::run::Command as Run;
use abduce::{Case, Error};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{CaseArg, Command, Common, FormatArg, SweepCommand};

/// Runs one command.
pub fn run(cli: crate::cli::Cli) -> Result<(), Error> {
    // A bad command line is found before any input is read (exit 2, not the input's errors).
    if let Some(common) = cli.command.common()
        && common.format() == FormatArg::Html
        && !matches!(cli.command, Command::Report { .. })
    {
        return Err(flagged(Refused::HtmlOnlyForReport, "this command"));
    }
    // A shard part is read by `merge`, not by people: it is JSON, and another format asked
    // for is refused rather than ignored.
    let part_format = match &cli.command {
        Command::Sweep(
            SweepCommand::MonteCarlo {
                shard: Some(_),
                common,
                ..
            }
            | SweepCommand::Sobol {
                shard: Some(_),
                common,
                ..
            },
        ) => common.format,
        Command::Batch {
            shard: Some(_),
            format,
            ..
        } => *format,
        _ => None,
    };
    if let Some(f) = part_format.filter(|&f| f != FormatArg::Json) {
        let name = clap::ValueEnum::to_possible_value(&f)
            .map_or_else(String::new, |v| v.get_name().to_string());
        return Err(Error::Usage(format!(
            "--format {name} is not available with --shard: a part is always JSON, for \
             `abduce merge` (which writes md, json or csv)"
        )));
    }
    dispatch(cli).map_err(|e| match e {
        Error::Refused(r) => flagged(r, "this command"),
        e => e,
    })
}

/// The command line's words for an option the library refused ([`Refused`], worded by its
/// meaning): the same refusal with its flag named. `command` is what writes the output
/// ("this command", "batch").
pub fn flagged(r: Refused, command: &str) -> Error {
    Error::Usage(match &r {
        Refused::NoScenarios => "--samples must be at least 1".into(),
        Refused::SeveralCases { names } => {
            format!("{r} as the CASE argument (e.g. `{}`)", names[0])
        }
        Refused::BadCaseName { .. } => format!("{r} (to write into a folder, use `--dir`)"),
        Refused::ShardOutOfRange { .. }
        | Refused::TooFewResamples { .. }
        | Refused::NoParts
        | Refused::TableTooLarge { .. } => r.to_string(),
        Refused::NoAnalysts => format!("{r}: --overlay FILE (one per analyst)"),
        Refused::HtmlOnlyForReport => format!(
            "--format html is only available for `report`; {command} writes md, json or csv"
        ),
    })
}

fn dispatch(cli: crate::cli::Cli) -> Result<(), Error> {
    match cli.command {
        Command::Check { case, common } => check::run(&case, &common),
        Command::Score {
            case,
            method,
            common,
        } => score::score(&case, method, &common),
        Command::Timeline { case, common } => score::timeline(&case, &common),
        Command::Indicators { case, common } => score::indicators(&case, &common),
        Command::Sweep(cmd) => sweep::run(cmd),
        Command::Merge { parts, common } => sweep::merge(&parts, &common),
        Command::Report {
            case,
            sampling,
            common,
        } => report::run(&case, &sampling, &common),
        Command::Init {
            name,
            dir,
            blank,
            quiet,
        } => workflow::init(name.as_deref(), dir, blank, quiet),
        Command::Tune {
            args,
            dry_run,
            quiet,
        } => workflow::tune(&args, dry_run, quiet),
        Command::Compare {
            case,
            sampling,
            common,
        } => workflow::compare(&case, &sampling, &common),
        Command::Batch {
            plan,
            format,
            output,
            threads,
            quiet,
            shard,
        } => workflow::batch(
            &plan,
            shard.map(|s| (s.k, s.n)),
            &Common {
                format,
                output,
                set: Vec::new(),
                overlay: Vec::new(),
                threads,
                quiet,
            },
        ),
        Command::Import(cmd) => workflow::import(cmd),
        Command::Serve {
            case,
            port,
            open,
            sampling,
        } => crate::serve::run(&case, port, open, &sampling),
        Command::Export(cmd) => workflow::export(cmd),
        Command::Completions { shell } => {
            let mut cmd = crate::cli::command();
            clap_complete::generate(shell, &mut cmd, "abduce", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(crate::cli::command())
                .render(&mut out)
                .map_err(|e| Doing::WriteManual.failed(e))?;
            write_output(None, &out, &[])
        }
    }
}

/// A case ready to be scored: loaded, validated, with the analyst's variants applied.
pub struct Prepared {
    /// The case.
    pub case: Case,
    /// The files it was read from (never written over by `-o`).
    pub inputs: Vec<PathBuf>,
    /// Warnings found while loading.
    pub warnings: Vec<abduce::Diagnostic>,
}

/// Finds, loads and validates the case, applies `--overlay` and `--set`, sets the number of
/// threads, and reports the loader's warnings on stderr (unless `--quiet`): all of them when
/// `list_warnings` (`check`), else one line that counts them.
pub fn prepare(arg: &CaseArg, common: &Common, list_warnings: bool) -> Result<Prepared, Error> {
    set_threads(common);
    let cwd = std::env::current_dir().map_err(|e| Doing::ReadCurrentFolder.failed(e))?;
    let location = discover::locate(arg.case.as_deref(), &cwd)?;
    let loaded = load::load(&location)?;
    let mut case = loaded.case;
    overrides::apply(&mut case, &common.overlay, &common.set)?;
    print_warnings(&loaded.warnings, common.quiet, list_warnings);
    let mut inputs = if matches!(location, CaseLocation::Bundled) {
        Vec::new()
    } else {
        case.files.clone()
    };
    inputs.extend(common.overlay.iter().cloned());
    Ok(Prepared {
        case,
        inputs,
        warnings: loaded.warnings,
    })
}

/// Prints the loader's warnings on stderr (nothing with `quiet`): all of them when `list`
/// (`check`), else one line that counts them.
pub fn print_warnings(warnings: &[abduce::Diagnostic], quiet: bool, list: bool) {
    if quiet || warnings.is_empty() {
        return;
    }
    if list {
        eprint!("{}", abduce::error::render_all(warnings));
    } else {
        let n = warnings.len();
        let s = if n == 1 { "" } else { "s" };
        eprintln!("abduce: {n} warning{s} about the case; `abduce check` lists them");
    }
}

/// Sizes the global rayon pool for `--threads N` (default: all cores).
pub fn set_threads(common: &Common) {
    if let Some(n) = common.threads {
        // Ignore the error of a second initialisation (only possible in-process, in tests).
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n as usize)
            .build_global();
    }
}

/// The library's format for a command-line format.
pub fn format(common: &Common) -> Format {
    match common.format() {
        FormatArg::Md => Format::Md,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Html => Format::Html,
    }
}

/// Renders a document in the requested format and writes it to `-o` or stdout.
pub fn emit(doc: &impl Document, common: &Common, inputs: &[PathBuf]) -> Result<(), Error> {
    let bytes = doc.render(format(common))?;
    write_output(common.output.as_deref(), &bytes, inputs)
}

/// Prepares the case, runs a command of one case ([`abduce::run`]) on it and writes its
/// document (with the case's labels) as [`emit`] does.
pub fn run_one(run: Run, case: &CaseArg, common: &Common) -> Result<(), Error> {
    let p = prepare(case, common, false)?;
    emit(&run.run(&p.case, &|_| {})?.with(&p.case), common, &p.inputs)
}

/// A progress bar on stderr counting scenarios (see [`progress_bar_of`]).
pub fn progress_bar(len: u64, common: &Common) -> Progress {
    progress_bar_of(len, "scenarios", common)
}

/// Progress of `len` units named `unit` on stderr: nothing with `--quiet`; on a terminal,
/// indicatif's bar; otherwise (a scheduler's log) a plain line every few seconds with what
/// is done, the rate, and the label set by [`Progress::labelled`] (docs/scaling.md).
pub fn progress_bar_of(len: u64, unit: &str, common: &Common) -> Progress {
    use std::io::IsTerminal;
    if common.quiet {
        return Progress::Hidden;
    }
    if !std::io::stderr().is_terminal() {
        // ABDUCE_PROGRESS_SECONDS sets the interval between lines (default 10; 0 prints a
        // line at every step, for tests).
        let every = std::env::var("ABDUCE_PROGRESS_SECONDS")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or(10.0);
        return Progress::Lines(Box::new(Lines {
            label: String::new(),
            unit: unit.to_string(),
            len,
            done: AtomicU64::new(0),
            start: Instant::now(),
            last: Mutex::new((Instant::now(), false)),
            every: Duration::from_secs_f64(every),
        }));
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} {{wide_bar}} {{human_pos}}/{{human_len}} {unit} ({{per_sec}}, {{eta}} left)"
    )) {
        bar.set_style(style);
    }
    Progress::Bar(bar)
}

/// Where progress goes: nowhere, a terminal bar, or periodic plain lines.
pub enum Progress {
    /// `--quiet`.
    Hidden,
    /// indicatif's bar, on a terminal.
    Bar(ProgressBar),
    /// Plain lines, off a terminal.
    Lines(Box<Lines>),
}

/// The state of plain progress lines.
pub struct Lines {
    label: String,
    unit: String,
    len: u64,
    done: AtomicU64,
    start: Instant,
    /// When the last line was printed, and whether any was.
    last: Mutex<(Instant, bool)>,
    every: Duration,
}

impl Lines {
    fn line(&self, done: u64) {
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        eprintln!(
            "abduce: {}{} of {} {} ({:.0}%), {:.0} {}/s, {:.1} s",
            self.label,
            done,
            self.len,
            self.unit,
            if self.len == 0 {
                100.0
            } else {
                100.0 * done as f64 / self.len as f64
            },
            rate,
            self.unit,
            secs
        );
    }
}

impl Progress {
    /// Names what this run covers, e.g. `shard 2/8 (chunks 4..8)`, at the start of each line.
    pub fn labelled(mut self, label: String) -> Progress {
        if let Progress::Lines(l) = &mut self {
            l.label = format!("{label}: ");
        }
        self
    }

    /// `n` more units done.
    pub fn inc(&self, n: u64) {
        match self {
            Progress::Hidden => {}
            Progress::Bar(b) => b.inc(n),
            Progress::Lines(l) => {
                let done = l.done.fetch_add(n, Ordering::Relaxed) + n;
                let mut last = l.last.lock().unwrap_or_else(|e| e.into_inner());
                if last.0.elapsed() >= l.every && done < l.len {
                    *last = (Instant::now(), true);
                    l.line(done);
                }
            }
        }
    }

    /// Clears the bar, or prints a last line when earlier lines were printed (a run too
    /// short for one prints nothing).
    pub fn finish_and_clear(&self) {
        match self {
            Progress::Hidden => {}
            Progress::Bar(b) => b.finish_and_clear(),
            Progress::Lines(l) => {
                let printed = l.last.lock().map_or(true, |x| x.1);
                if printed {
                    l.line(l.done.load(Ordering::Relaxed));
                }
            }
        }
    }
}
