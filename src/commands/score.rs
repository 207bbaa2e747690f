//! `abduce score`, `timeline` and `indicators`. Owned by the scorer work (#3).

use abduce::Error;
use abduce::run::Command as Run;

use super::run_one;
use crate::cli::{CaseArg, Common, Method};

/// `abduce score`: the ranked hypotheses with the Bayesian scorer or the ACH method.
pub fn score(case: &CaseArg, method: Method, common: &Common) -> Result<(), Error> {
    let run = match method {
        Method::Bayes => Run::Score,
        Method::Ach => Run::Ach,
    };
    run_one(run, case, common)
}

/// `abduce timeline`: the posterior after each date.
pub fn timeline(case: &CaseArg, common: &Common) -> Result<(), Error> {
    run_one(Run::Timeline, case, common)
}

/// `abduce indicators`: the pending items worth checking next.
pub fn indicators(case: &CaseArg, common: &Common) -> Result<(), Error> {
    run_one(Run::Indicators, case, common)
}
