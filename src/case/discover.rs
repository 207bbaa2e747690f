//! Finding the case a command works on (SPEC §8). Owned by the loader work (#2).

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Where a case lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseLocation {
    /// A hypotheses file on disk.
    File(PathBuf),
    /// The case bundled into the binary.
    Bundled,
}

/// Resolves the CASE argument relative to `cwd`: a path when it contains `/` or ends in
/// `.toml`, else a name looked up as `hypotheses/<name>.toml`; without CASE, the only case
/// under `./hypotheses`, else the bundled case.
///
/// # Errors
/// A missing case (exit 1); two or more cases under `./hypotheses` and no CASE (exit 2).
pub fn locate(arg: Option<&str>, cwd: &Path) -> Result<CaseLocation, Error> {
    let _ = (arg, cwd);
    Ok(CaseLocation::Bundled)
}
