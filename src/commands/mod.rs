//! The glue between the command line and the library: find and load the case, apply
//! analyst variants, run, render, write.

mod check;
mod report;
mod score;
mod sweep;
mod workflow;

use std::path::PathBuf;

use abduce::case::discover::{self, CaseLocation};
use abduce::case::{load, overrides};
use abduce::output::{Document, Format, write_output};
use abduce::{Case, Error};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{CaseArg, Command, Common, FormatArg};

/// Runs one command.
pub fn run(cli: crate::cli::Cli) -> Result<(), Error> {
    // A bad command line is found before any input is read (exit 2, not the input's errors).
    if let Some(common) = cli.command.common()
        && common.format == FormatArg::Html
        && !matches!(cli.command, Command::Report { .. })
    {
        return Err(Error::Usage(
            "--format html is only available for `report`; this command writes md, json or csv"
                .into(),
        ));
    }
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
        Command::Init { dir } => workflow::init(&dir),
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
        } => workflow::batch(
            &plan,
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
    let cwd = std::env::current_dir()
        .map_err(|e| Error::msg(format!("cannot read the current folder: {e}")))?;
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
    match common.format {
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

/// A progress bar on stderr counting scenarios; hidden with `--quiet` and when stderr is
/// not a terminal (indicatif hides itself then).
pub fn progress_bar(len: u64, common: &Common) -> ProgressBar {
    progress_bar_of(len, "scenarios", common)
}

/// A progress bar on stderr counting `len` units named `unit`, as [`progress_bar`].
pub fn progress_bar_of(len: u64, unit: &str, common: &Common) -> ProgressBar {
    if common.quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{spinner}} {{wide_bar}} {{human_pos}}/{{human_len}} {unit} ({{per_sec}}, {{eta}} left)"
    )) {
        bar.set_style(style);
    }
    bar
}
