//! `abduce score`, `timeline` and `indicators`. Owned by the scorer work (#3).

use abduce::Error;
use abduce::indicators;
use abduce::score::{ach, explain, timeline};

use crate::cli::{CaseArg, Common, Method};

/// `abduce score`: the ranked hypotheses with the Bayesian scorer or the ACH method.
pub fn score(case: &CaseArg, method: Method, common: &Common) -> Result<(), Error> {
    let p = super::prepare(case, common, false)?;
    match method {
        Method::Bayes => super::emit(&explain::summarize(&p.case)?, common, &p.inputs),
        Method::Ach => super::emit(&ach::summarize(&p.case), common, &p.inputs),
    }
}

/// `abduce timeline`: the posterior after each date.
pub fn timeline(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let p = super::prepare(case, common, false)?;
    super::emit(&timeline::summarize(&p.case)?, common, &p.inputs)
}

/// `abduce indicators`: the pending items worth checking next.
pub fn indicators(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let p = super::prepare(case, common, false)?;
    super::emit(&indicators::indicators(&p.case)?, common, &p.inputs)
}
