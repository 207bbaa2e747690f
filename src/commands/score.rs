//! `abduce score`, `timeline` and `indicators`. Owned by the scorer work (#3).

use abduce::Error;
use abduce::run::Command as Run;

use crate::cli::{CaseArg, Common, Method};

/// `abduce score`: the ranked hypotheses with the Bayesian scorer or the ACH method.
pub fn score(case: &CaseArg, method: Method, common: &Common) -> Result<(), Error> {
    let p = super::prepare(case, common, false)?;
    match method {
        Method::Bayes => super::emit(&Run::Score.run(&p.case, &|_| {})?, common, &p.inputs),
        Method::Ach => super::emit(&Run::Ach.run(&p.case, &|_| {})?, common, &p.inputs),
    }
}

/// `abduce timeline`: the posterior after each date.
pub fn timeline(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let p = super::prepare(case, common, false)?;
    super::emit(&Run::Timeline.run(&p.case, &|_| {})?, common, &p.inputs)
}

/// `abduce indicators`: the pending items worth checking next.
pub fn indicators(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let p = super::prepare(case, common, false)?;
    super::emit(&Run::Indicators.run(&p.case, &|_| {})?, common, &p.inputs)
}
