//! `abduce report`. Owned by the report work (#5).

use abduce::Error;

use crate::cli::{CaseArg, Common, Sampling};

/// `abduce report`.
pub fn run(case: &CaseArg, sampling: &Sampling, common: &Common) -> Result<(), Error> {
    let _ = (case, sampling, common);
    Err(Error::msg("`report` is not written yet"))
}
