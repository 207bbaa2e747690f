//! Analyst variants: `--set PATH=VALUE` and `--overlay FILE` (SPEC §6). Owned by the scorer work (#3).

use std::path::PathBuf;

use crate::case::Case;
use crate::error::Error;

/// Applies overlays in order, then `--set` assignments in order (later wins).
///
/// # Errors
/// A malformed PATH is [`Error::Usage`] (exit 2); an unknown id (with "did you mean") or an
/// invalid value is [`Error::Input`] (exit 1).
pub fn apply(case: &mut Case, overlays: &[PathBuf], sets: &[String]) -> Result<(), Error> {
    if overlays.is_empty() && sets.is_empty() {
        return Ok(());
    }
    let _ = case;
    Err(Error::msg("--set and --overlay are not written yet"))
}
