//! The entry points of the commands that read one case and write one document. The command
//! line (`src/commands/`) and batch plans ([`crate::workflow::batch`]) both run a command
//! through [`Command::run`], so a plan's run is exactly the command line's.

use serde::Serialize;

use crate::case::Case;
use crate::error::Error;
use crate::indicators::{self, IndicatorsSummary};
use crate::score::ach::{self, AchSummary};
use crate::score::explain::{self, ScoreSummary};
use crate::score::timeline::{self, TimelineSummary};
use crate::sweep::monte_carlo::{self, McOutput};
use crate::sweep::tipping::{self, TippingSummary};
use crate::sweep::tornado::{self, TornadoSummary};

/// A command on one case, with its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `score`: the Bayesian scorer.
    Score,
    /// `score --method ach`.
    Ach,
    /// `timeline`.
    Timeline,
    /// `indicators`.
    Indicators,
    /// `sweep monte-carlo`: `samples` scenarios from `seed`, or shard `k` of `n` of them.
    MonteCarlo {
        /// Number of scenarios.
        samples: u64,
        /// Seed of the random streams.
        seed: u64,
        /// `(k, n)`: run only shard k of n and return a part.
        shard: Option<(u64, u64)>,
    },
    /// `sweep tornado`.
    Tornado,
    /// `sweep tipping`.
    Tipping,
}

/// The document a [`Command`] returns (its JSON is the document's own).
// One value per run, moved once: boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Output {
    /// Of [`Command::Score`].
    Score(ScoreSummary),
    /// Of [`Command::Ach`].
    Ach(AchSummary),
    /// Of [`Command::Timeline`].
    Timeline(TimelineSummary),
    /// Of [`Command::Indicators`].
    Indicators(IndicatorsSummary),
    /// Of [`Command::MonteCarlo`]: the summary, or a part of a sharded run.
    MonteCarlo(McOutput),
    /// Of [`Command::Tornado`].
    Tornado(TornadoSummary),
    /// Of [`Command::Tipping`].
    Tipping(TippingSummary),
}

impl Command {
    /// Runs the command on `case`. `progress` is called with units of work as they complete
    /// (scenarios, for Monte Carlo).
    ///
    /// # Errors
    /// An inconsistent case (every hypothesis eliminated); for Monte Carlo, no scenario or a
    /// shard out of range.
    pub fn run(self, case: &Case, progress: &(dyn Fn(u64) + Sync)) -> Result<Output, Error> {
        Ok(match self {
            Command::Score => Output::Score(explain::summarize(case)?),
            Command::Ach => Output::Ach(ach::summarize(case)),
            Command::Timeline => Output::Timeline(timeline::summarize(case)?),
            Command::Indicators => Output::Indicators(indicators::indicators(case)?),
            Command::MonteCarlo {
                samples,
                seed,
                shard,
            } => Output::MonteCarlo(monte_carlo::run(case, samples, seed, shard, progress)?),
            Command::Tornado => Output::Tornado(tornado::run(case)?),
            Command::Tipping => Output::Tipping(tipping::run(case)?),
        })
    }
}
