//! `abduce check`. Owned by the loader work (#2).

use abduce::Error;

use crate::cli::{CaseArg, Common};

/// Validates the case and prints a summary and the warnings.
pub fn run(case: &CaseArg, common: &Common) -> Result<(), Error> {
    let _prepared = super::prepare(case, common, true)?;
    Err(Error::msg("`check` is not written yet"))
}
