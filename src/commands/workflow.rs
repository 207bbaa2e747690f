//! `abduce init`, `tune`, `compare`, `import` and `export`. Owned by #6.

use std::path::{Path, PathBuf};

use abduce::case::discover::{self, CaseLocation};
use abduce::case::overrides;
use abduce::error::{Doing, Failure, Refused};
use abduce::load;
use abduce::output::write_output;
use abduce::score::bayes::{self, Scores};
use abduce::workflow::{compare as cmp, export as exp, import as imp, init as ini, tune as tun};
use abduce::{Case, Diagnostic, Error};

use crate::cli::{CaseArg, Common, ExportCommand, FormatArg, ImportArgs, ImportCommand, Sampling};

fn cwd() -> Result<PathBuf, Error> {
    std::env::current_dir().map_err(|e| Doing::ReadCurrentFolder.failed(e))
}

/// `abduce init [NAME] [--dir DIR] [--blank]`: into DIR, else into the folder NAME, else here.
/// A NAME that is a path (`.`, `..`, or with a `/`) is the folder, as `init DIR` was before
/// cases were named.
pub fn init(
    name: Option<&str>,
    dir: Option<PathBuf>,
    blank: bool,
    quiet: bool,
) -> Result<(), Error> {
    let is_path = |n: &str| n == "." || n == ".." || n.contains('/') || n.contains('\\');
    let (name, dir) = match (name, dir) {
        (Some(n), None) if is_path(n) => (None, PathBuf::from(n)),
        (name, dir) => (
            name,
            dir.unwrap_or_else(|| PathBuf::from(name.unwrap_or("."))),
        ),
    };
    let (case, written) = ini::init(&dir, name, blank)?;
    if quiet {
        return Ok(());
    }
    let mut out = String::new();
    for p in &written {
        out += &format!("wrote {}\n", p.display());
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    out += &format!(
        "\nThe case `{case}` is ready to edit. Next: `{cd}abduce check {case}`, then \
         `abduce report {case}`; change a weight in place with \
         `abduce tune {case} evidence.<id>.weight=VALUE`.\n"
    );
    say(&out)
}

/// Prints `text` on standard output; a closed pipe (`| head`) is not an error.
fn say(text: &str) -> Result<(), Error> {
    write_output(None, text.as_bytes(), &[])
}

/// The quantities changed (point and range), then the leader and the posteriors before and
/// after, as small Markdown tables.
fn before_after(case: &Case, changes: &[tun::Change], before: &Scores, after: &Scores) -> String {
    let lead = |s: &Scores| {
        let k = s.leader();
        format!("{} ({:.4})", case.hypotheses[k].id, s.posteriors[k])
    };
    let mut out = "| Quantity | Before | After |\n|---|---|---|\n".to_string();
    for c in changes {
        out += &format!("| {} | {} | {} |\n", c.quantity, c.before, c.after);
    }
    out += &format!("\nLeader: {} → {}\n\n", lead(before), lead(after));
    out += "| Hypothesis | Before | After | Change |\n|---|---:|---:|---:|\n";
    for &k in &after.order {
        let (b, a) = (before.posteriors[k], after.posteriors[k]);
        out += &format!(
            "| {} | {b:.4} | {a:.4} | {:+.4} |\n",
            case.hypotheses[k].id,
            a - b
        );
    }
    out
}

/// `abduce tune [CASE] PATH=VALUE... [--dry-run]`.
pub fn tune(args: &[String], dry_run: bool, quiet: bool) -> Result<(), Error> {
    let (case_arg, rest) = match args.first() {
        Some(first) if !first.contains('=') => (Some(first.as_str()), &args[1..]),
        _ => (None, args),
    };
    if rest.is_empty() {
        return Err(Error::Usage(
            "tune needs at least one PATH=VALUE, e.g. evidence.<id>.weight=0.5".into(),
        ));
    }
    let parsed: Vec<Result<tun::Assignment, Error>> =
        rest.iter().map(|a| tun::Assignment::parse(a)).collect();
    let usage: Vec<String> = parsed
        .iter()
        .filter_map(|r| match r {
            Err(Error::Usage(m)) => Some(m.clone()),
            _ => None,
        })
        .collect();
    if !usage.is_empty() {
        return Err(Error::Usage(usage.join("\nabduce: error: ")));
    }
    let location = discover::locate(case_arg, &cwd()?)?;
    if location == CaseLocation::Bundled {
        return Err(tun::bundled_error());
    }
    let loaded = load::load(&location)?;
    let case = loaded.case;
    if case.bundled {
        return Err(tun::bundled_error());
    }
    // Validate first: the same assignments as `--set`, on a copy (every problem at once, in
    // the order given), then rescored.
    overrides::apply_by(&mut case.clone(), &[], rest, "tune")?;
    super::print_warnings(&loaded.warnings, quiet, false);
    let assignments = parsed.into_iter().collect::<Result<Vec<_>, _>>()?;
    let before = bayes::score(&case)?;
    let variant = tun::variant(&case, &assignments)?;
    let after = bayes::score(&variant)?;
    let changes = tun::changes(&case, &variant, &assignments);
    let edits = tun::plan(&case, &assignments)?;
    if dry_run {
        let mut out = String::new();
        for e in &edits {
            out += &tun::unified_diff(&e.path.display().to_string(), &e.before, &e.after);
        }
        out += &format!(
            "\n{}\n(dry run: nothing was written)\n",
            before_after(&case, &changes, &before, &after)
        );
        return say(&out);
    }
    tun::write(&location, &edits, &after.posteriors)?;
    let mut out = String::new();
    for e in &edits {
        out += &format!("updated {}\n", e.path.display());
    }
    out += &format!("\n{}\n", before_after(&case, &changes, &before, &after));
    say(&out)
}

/// `abduce compare [CASE] --overlay A.toml --overlay B.toml ...`: each overlay is one
/// analyst (they do not stack); `--set` applies to the base and to every analyst, after the
/// overlay. Each view runs a Monte Carlo sweep (`--samples`, default 50,000 per view; `--seed`).
pub fn compare(arg: &CaseArg, sampling: &Sampling, common: &Common) -> Result<(), Error> {
    if common.overlay.is_empty() {
        return Err(super::flagged(Refused::NoAnalysts, "compare"));
    }
    let plain = Common {
        overlay: Vec::new(),
        set: Vec::new(),
        ..common.clone()
    };
    let prepared = super::prepare(arg, &plain, false)?;
    // Every problem at once: each overlay's (once each), then the `--set`s' on the base.
    let problems_of = |r: Result<(), Error>| match r {
        Ok(()) => Ok(Vec::new()),
        Err(Error::Input(d)) => Ok(d),
        Err(e) => Err(e),
    };
    let mut base = prepared.case.clone();
    let set_problems = problems_of(overrides::apply(&mut base, &[], &common.set))?;
    let mut problems = Vec::new();
    // "base" names the base case's row, so no analyst may take it.
    let mut names: Vec<String> = vec!["base".to_string()];
    let mut analysts = Vec::new();
    for overlay in &common.overlay {
        let mut case = prepared.case.clone();
        let found = overrides::apply(&mut case, std::slice::from_ref(overlay), &common.set);
        for d in problems_of(found)? {
            if !set_problems.contains(&d) && !problems.contains(&d) {
                problems.push(d);
            }
        }
        let stem = overlay
            .file_stem()
            .map_or("analyst".to_string(), |s| s.to_string_lossy().into_owned());
        let name = abduce::workflow::unique_id(stem, &mut names);
        analysts.push((name, case));
    }
    problems.extend(set_problems);
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let samples = sampling.samples.unwrap_or(cmp::DEFAULT_SAMPLES);
    let bar = super::progress_bar(samples * (analysts.len() as u64 + 1), common);
    let summary = cmp::compare_with(&base, &analysts, samples, sampling.seed, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    let mut inputs = prepared.inputs;
    inputs.extend(common.overlay.iter().cloned());
    super::emit(&summary, common, &inputs)
}

/// `abduce export csv`.
pub fn export(cmd: ExportCommand) -> Result<(), Error> {
    let ExportCommand::Csv {
        case,
        output,
        set,
        overlay,
        quiet,
    } = cmd;
    let common = Common {
        format: Some(FormatArg::Csv),
        output,
        set,
        overlay,
        threads: None,
        quiet,
    };
    let prepared = super::prepare(&case, &common, false)?;
    let exported = exp::matrix_csv(&prepared.case)?;
    if !quiet {
        for w in &exported.warnings {
            eprint!("{}", Diagnostic::warning(w.clone()).render());
        }
    }
    write_output(
        common.output.as_deref(),
        exported.csv.as_bytes(),
        &prepared.inputs,
    )
}

/// `abduce import achz|csv`.
pub fn import(cmd: ImportCommand) -> Result<(), Error> {
    let (achz, args): (bool, ImportArgs) = match cmd {
        ImportCommand::Achz(a) => (true, a),
        ImportCommand::Csv(a) => (false, a),
    };
    let file = &args.file;
    let bytes = abduce::limits::read_file(file)
        .map_err(|e| Error::from(Diagnostic::error(format!("cannot read: {e}")).in_file(file)))?;
    let stem = file
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let name = match &args.name {
        Some(n) => {
            if abduce::workflow::slug_case_name(n) != *n {
                return Err(Error::Usage(format!(
                    "`{n}` is not a case name: use lower-case letters, digits, `-` and `_`, \
                     starting with a letter or digit"
                )));
            }
            n.clone()
        }
        None => abduce::workflow::slug_case_name(&stem),
    };
    let imported = if achz {
        imp::from_achz(&bytes, &name, file)?
    } else {
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::from(Diagnostic::error("the CSV is not UTF-8 text").in_file(file))
        })?;
        let mut imported = imp::from_csv(text.trim_start_matches('\u{feff}'), &name, file)?;
        imported.case.title = stem.clone();
        imported
    };
    if !args.quiet {
        eprint!("{}", abduce::error::render_all(&imported.warnings));
    }
    let origin = file
        .file_name()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let written = imp::write_case(&imported.case, &args.out, &origin)?;
    let mut out = String::new();
    for p in &written {
        out += &format!("wrote {}\n", p.display());
    }
    let m = imported.case.evidence.len();
    out += &format!(
        "\n{} hypotheses, {m} evidence item{}. Next: `abduce check {}`\n",
        imported.case.hypotheses.len(),
        if m == 1 { "" } else { "s" },
        written[0].display()
    );
    say(&out)
}

/// `abduce batch PLAN.toml [--shard K/N]`: every run of the plan (or of the shard) in
/// parallel; one combined result, or a part for `abduce merge`. Exits 1 (after writing the
/// result) when any run failed.
pub fn batch(plan_path: &Path, shard: Option<(u64, u64)>, common: &Common) -> Result<(), Error> {
    use abduce::workflow::batch as b;
    if common.format() == FormatArg::Html {
        return Err(super::flagged(Refused::HtmlOnlyForReport, "batch"));
    }
    super::set_threads(common);
    let text = abduce::limits::read_text(plan_path).map_err(|e| {
        Error::from(Diagnostic::error(format!("cannot read the plan: {e}")).in_file(plan_path))
    })?;
    let plan = b::parse_plan(&text, plan_path)?;
    let Some((k, n)) = shard else {
        let bar = super::progress_bar_of(plan.work(), "steps", common).labelled("batch".into());
        let (summary, inputs) = b::run(&plan, &|n| bar.inc(n));
        bar.finish_and_clear();
        // Runs cut short by Ctrl-C failed: write no result made of them.
        abduce::limits::check_interrupt()?;
        print_case_warnings(&inputs, common.quiet);
        return finish_batch(&summary, common, &inputs.files);
    };
    let range = b::shard_runs(&plan, k.min(n), n);
    let bar =
        super::progress_bar_of(b::range_work(&plan, range.clone()), "steps", common).labelled(
            format!("shard {k}/{n} (runs {}..{})", range.start, range.end),
        );
    let out = b::run_shard(&plan, k, n, &|n| bar.inc(n));
    bar.finish_and_clear();
    // Runs cut short by Ctrl-C failed: write no result made of them.
    abduce::limits::check_interrupt()?;
    let (part, inputs) = out?;
    print_case_warnings(&inputs, common.quiet);
    super::emit(&part, common, &inputs.files)
}

fn print_case_warnings(inputs: &abduce::workflow::batch::Inputs, quiet: bool) {
    if !quiet {
        for (case, n) in &inputs.case_warnings {
            let s = if *n == 1 { "" } else { "s" };
            eprintln!("abduce: {n} warning{s} about the case `{case}`; `abduce check` lists them");
        }
    }
}

/// Writes a batch result (whole or merged) and exits 1 when a run failed.
pub fn finish_batch(
    summary: &abduce::workflow::batch::BatchSummary,
    common: &Common,
    inputs: &[PathBuf],
) -> Result<(), Error> {
    super::emit(summary, common, inputs)?;
    match summary.failed() {
        0 => Ok(()),
        _ => Err(Failure::RunsFailed {
            verdict: summary.verdict(),
        }
        .into()),
    }
}
