//! `abduce score`, `timeline` and `indicators`. Owned by the scorer work (#3).

use abduce::Error;

use crate::cli::{CaseArg, Common, Method};

/// `abduce score`.
pub fn score(case: &CaseArg, method: Method, common: &Common) -> Result<(), Error> {
    let _ = (case, method, common);
    Err(Error::msg("`score` is not written yet"))
}

/// `abduce timeline`.
pub fn timeline(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let _ = (case, common);
    Err(Error::msg("`timeline` is not written yet"))
}

/// `abduce indicators`.
pub fn indicators(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let _ = (case, common);
    Err(Error::msg("`indicators` is not written yet"))
}
