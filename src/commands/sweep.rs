//! `abduce sweep ...` and `abduce merge`. Owned by the sweep work (#4).

use std::path::PathBuf;

use abduce::Error;
use abduce::error::Doing;
use abduce::render::CaseDocument;
use abduce::run::Command as Run;
use abduce::sweep::{monte_carlo, sobol, uncertainty};

use super::{emit, prepare, progress_bar, run_one};
use crate::cli::{Common, SweepCommand};

/// Default number of Monte Carlo scenarios (docs/reference.md §5.2).
const DEFAULT_SCENARIOS: u64 = 100_000;
/// Default number of Sobol base rows (docs/reference.md §5.5).
const DEFAULT_BASE_ROWS: u64 = 4096;

/// `abduce sweep ...`.
pub fn run(cmd: SweepCommand) -> Result<(), Error> {
    match cmd {
        SweepCommand::MonteCarlo {
            case,
            sampling,
            shard,
            common,
        } => {
            let prepared = prepare(&case, &common, false)?;
            let n = sampling.samples.unwrap_or(DEFAULT_SCENARIOS);
            let shard = shard.map(|s| (s.k, s.n));
            let (len, label) = match shard {
                Some((k, of)) => {
                    let (a, b) = monte_carlo::shard_chunks(n, k, of);
                    let len = (b * monte_carlo::CHUNK).min(n) - (a * monte_carlo::CHUNK).min(n);
                    (len, format!("shard {k}/{of} (chunks {a}..{b})"))
                }
                None => (n, "monte-carlo".to_string()),
            };
            let bar = progress_bar(len, &common).labelled(label);
            let run = Run::MonteCarlo {
                samples: n,
                seed: sampling.seed,
                shard,
            };
            let out = run.run(&prepared.case, &|x| bar.inc(x));
            bar.finish_and_clear();
            emit(&out?.with(&prepared.case), &common, &prepared.inputs)
        }
        SweepCommand::Sobol {
            case,
            sampling,
            shard,
            common,
        } => {
            let prepared = prepare(&case, &common, false)?;
            let n = sampling.samples.unwrap_or(DEFAULT_BASE_ROWS);
            let mut factors: Vec<String> = uncertainty::varying_quantities(&prepared.case)
                .into_iter()
                .map(|q| q.factor)
                .collect();
            factors.dedup();
            // Sobol streams (memory does not grow with N), but its N·(F + 2) scenarios must
            // still be countable.
            let per_row = factors.len() as u64 + 2;
            if n.checked_mul(per_row).is_none() {
                return Err(Error::Usage(format!(
                    "--samples {n} with {} factors asks for more than 2^64 scenarios",
                    factors.len()
                )));
            }
            let shard = shard.map(|s| (s.k, s.n));
            let (rows, label) = match shard {
                Some((k, of)) => {
                    let (a, b) = abduce::sweep::shard::chunk_range(sobol::chunk_count(n), k, of);
                    let rows = sobol::shard_rows(n, k, of);
                    (rows, format!("shard {k}/{of} (chunks {a}..{b})"))
                }
                None => (n, "sobol".to_string()),
            };
            let bar = progress_bar(rows * per_row, &common).labelled(label);
            let out = sobol::run_sharded(
                &prepared.case,
                n,
                sampling.seed,
                sobol::RESAMPLES,
                shard,
                &|x| bar.inc(x),
            );
            bar.finish_and_clear();
            match out? {
                sobol::SobolOutput::Summary(s) => {
                    print_sobol_warnings(&s, common.quiet);
                    emit(&s, &common, &prepared.inputs)
                }
                sobol::SobolOutput::Partial(p) => emit(&p, &common, &prepared.inputs),
            }
        }
        SweepCommand::Tornado { case, common } => run_one(Run::Tornado, &case, &common),
        SweepCommand::Tipping { case, common } => run_one(Run::Tipping, &case, &common),
    }
}

fn print_sobol_warnings(s: &sobol::SobolSummary, quiet: bool) {
    if !quiet {
        for w in s.warnings() {
            eprintln!("abduce: warning: {w}");
        }
    }
}

/// `abduce merge`: the kind of run (Monte Carlo, Sobol, batch) is that of the first part
/// whose `command` names a part; the others must be of the same run.
pub fn merge(parts: &[PathBuf], common: &Common) -> Result<(), Error> {
    let texts = parts
        .iter()
        .map(|p| {
            let text = abduce::limits::read_text(p)
                .map_err(|e| Doing::Read(p.clone()).failed(std::io::Error::other(e)))?;
            Ok((p.display().to_string(), text))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let kind = texts.iter().find_map(|(_, t)| {
        let v: serde_json::Value = serde_json::from_str(t).ok()?;
        let c = v.get("command")?.as_str()?;
        c.ends_with("-partial").then(|| c.to_string())
    });
    match kind.as_deref() {
        Some("sobol-partial") => {
            let summary = sobol::merge(&texts)?;
            print_sobol_warnings(&summary, common.quiet);
            emit(&summary, common, parts)
        }
        Some("batch-partial") => {
            let summary = abduce::workflow::batch::merge(&texts)?;
            super::workflow::finish_batch(&summary, common, parts)
        }
        _ => emit(&monte_carlo::merge(&texts)?, common, parts),
    }
}
