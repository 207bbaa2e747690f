//! `abduce score`, `timeline` and `indicators`. Owned by the scorer work (#3).

use abduce::Error;
use abduce::run::Command as Run;

use super::{emit_run, prepare};
use crate::cli::{CaseArg, Common, Method};

/// `abduce score`: the ranked hypotheses with the Bayesian scorer or the ACH method.
pub fn score(case: &CaseArg, method: Method, common: &Common) -> Result<(), Error> {
    let run = match method {
        Method::Bayes => Run::Score,
        Method::Ach => Run::Ach,
    };
    emit_run(run, &prepare(case, common, false)?, common, &|_| {})
}

/// `abduce timeline`: the posterior after each date.
pub fn timeline(case: &CaseArg, common: &Common) -> Result<(), Error> {
    emit_run(
        Run::Timeline,
        &prepare(case, common, false)?,
        common,
        &|_| {},
    )
}

/// `abduce indicators`: the pending items worth checking next.
pub fn indicators(case: &CaseArg, common: &Common) -> Result<(), Error> {
    emit_run(
        Run::Indicators,
        &prepare(case, common, false)?,
        common,
        &|_| {},
    )
}
