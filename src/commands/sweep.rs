//! `abduce sweep ...` and `abduce merge`. Owned by the sweep work (#4).

use std::path::PathBuf;

use abduce::Error;

use crate::cli::{Common, SweepCommand};

/// `abduce sweep ...`.
pub fn run(cmd: SweepCommand) -> Result<(), Error> {
    let _ = cmd;
    Err(Error::msg("`sweep` is not written yet"))
}

/// `abduce merge`.
pub fn merge(parts: &[PathBuf], common: &Common) -> Result<(), Error> {
    let _ = (parts, common);
    Err(Error::msg("`merge` is not written yet"))
}
