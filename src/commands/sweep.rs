//! `abduce sweep ...` and `abduce merge`. Owned by the sweep work (#4).

use std::path::PathBuf;

use abduce::Error;
use abduce::sweep::{monte_carlo, sobol, tipping, tornado, uncertainty};

use super::{emit, prepare, progress_bar};
use crate::cli::{Common, SweepCommand};

/// Default number of Monte Carlo scenarios (SPEC §5.2).
const DEFAULT_SCENARIOS: u64 = 100_000;
/// Default number of Sobol base rows (SPEC §5.5).
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
            let len = match shard {
                Some((k, of)) => {
                    let (a, b) = monte_carlo::shard_chunks(n, k, of);
                    (b * monte_carlo::CHUNK).min(n) - (a * monte_carlo::CHUNK).min(n)
                }
                None => n,
            };
            let bar = progress_bar(len, &common);
            let out = monte_carlo::run(&prepared.case, n, sampling.seed, shard, &|x| bar.inc(x));
            bar.finish_and_clear();
            emit(&out?, &common, &prepared.inputs)
        }
        SweepCommand::Sobol {
            case,
            sampling,
            common,
        } => {
            let prepared = prepare(&case, &common, false)?;
            let n = sampling.samples.unwrap_or(DEFAULT_BASE_ROWS);
            let mut factors: Vec<String> = uncertainty::varying_quantities(&prepared.case)
                .into_iter()
                .map(|q| q.factor)
                .collect();
            factors.dedup();
            let bar = progress_bar(n.saturating_mul(factors.len() as u64 + 2), &common);
            let out = sobol::run(&prepared.case, n, sampling.seed, &|x| bar.inc(x));
            bar.finish_and_clear();
            let out = out?;
            if !common.quiet {
                for w in &out.warnings {
                    eprintln!("abduce: warning: {w}");
                }
            }
            emit(&out, &common, &prepared.inputs)
        }
        SweepCommand::Tornado { case, common } => {
            let prepared = prepare(&case, &common, false)?;
            emit(&tornado::run(&prepared.case)?, &common, &prepared.inputs)
        }
        SweepCommand::Tipping { case, common } => {
            let prepared = prepare(&case, &common, false)?;
            emit(&tipping::run(&prepared.case)?, &common, &prepared.inputs)
        }
    }
}

/// `abduce merge`.
pub fn merge(parts: &[PathBuf], common: &Common) -> Result<(), Error> {
    let texts = parts
        .iter()
        .map(|p| {
            let text = abduce::limits::read_text(p)
                .map_err(|e| Error::msg(format!("cannot read {}: {e}", p.display())))?;
            Ok((p.display().to_string(), text))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let summary = monte_carlo::merge(&texts)?;
    emit(&summary, common, parts)
}
