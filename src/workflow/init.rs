//! `abduce init`: write the bundled case into a folder, and the shared "write new files,
//! never overwrite" step used by the importers.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::case::bundled;
use crate::error::{Diagnostic, Error};

/// Writes `files` (paths relative to `dir`, contents) under `dir`, creating folders as
/// needed, and returns the paths written (`dir` joined with each relative path).
///
/// Nothing is ever overwritten: every target is checked first, and if any exists the error
/// names each of them and nothing is written. Each file is then created with `create_new`,
/// so a file appearing in the meantime is not overwritten either.
///
/// # Errors
/// An existing target, or an I/O error (naming the file).
pub fn write_new_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, Error> {
    let targets: Vec<PathBuf> = files.iter().map(|(rel, _)| dir.join(rel)).collect();
    let existing: Vec<Diagnostic> = targets
        .iter()
        .filter(|t| t.exists())
        .map(|t| {
            Diagnostic::error(
                "already exists; abduce never overwrites a file (nothing was written)",
            )
            .in_file(t)
        })
        .collect();
    if !existing.is_empty() {
        return Err(Error::Input(existing));
    }
    // Every folder first, so that a path that cannot be a folder (a file named `hypotheses`)
    // stops the run before any file is written.
    let folders: Vec<Diagnostic> = targets
        .iter()
        .filter_map(|t| {
            let parent = t.parent()?;
            std::fs::create_dir_all(parent).err().map(|e| {
                Diagnostic::error(format!(
                    "cannot create this folder: {e} (nothing was written)"
                ))
                .in_file(parent)
            })
        })
        .collect();
    if !folders.is_empty() {
        return Err(Error::Input(folders));
    }
    for (i, (target, (_, text))) in targets.iter().zip(files).enumerate() {
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            // Take back what this run wrote, so no half case is left behind.
            for t in &targets[..=i] {
                let _ = std::fs::remove_file(t);
            }
            return Err(Error::from(
                Diagnostic::error(format!("cannot write: {e} (nothing was kept)")).in_file(target),
            ));
        }
    }
    Ok(targets)
}

/// The bundled case's files as (project-relative path, contents), e.g.
/// `hypotheses/afghan-tajik-border.toml`.
pub fn bundled_files() -> Vec<(PathBuf, String)> {
    bundled::FILES
        .iter()
        .map(|(p, text)| (PathBuf::from(p), (*text).to_string()))
        .collect()
}

/// `abduce init DIR`: writes the bundled case under `dir` (never overwriting) and returns
/// the paths written.
///
/// # Errors
/// When the binary carries no bundled case, a target exists, or a file cannot be written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let files = bundled_files();
    if files.is_empty() {
        return Err(Error::msg(
            "this build of abduce carries no bundled case to write",
        ));
    }
    write_new_files(dir, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites_and_writes_nothing_when_one_exists() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            (PathBuf::from("hypotheses/c.toml"), "a = 1\n".to_string()),
            (PathBuf::from("evidence/c/c.toml"), "b = 2\n".to_string()),
        ];
        let written = write_new_files(dir.path(), &files).unwrap();
        assert_eq!(written[1], dir.path().join("evidence/c/c.toml"));
        assert_eq!(std::fs::read_to_string(&written[1]).unwrap(), "b = 2\n");
        // Second run: hypotheses/c.toml exists; a new third file must not appear either.
        std::fs::remove_file(&written[1]).unwrap();
        std::fs::write(&written[0], "edited\n").unwrap();
        let err = write_new_files(dir.path(), &files).unwrap_err().to_string();
        assert!(err.contains("c.toml: error: already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(&written[0]).unwrap(), "edited\n");
        assert!(!written[1].exists());
    }

    #[test]
    fn a_folder_that_cannot_be_made_stops_the_run_before_any_file() {
        // `hypotheses` is a file: its case file cannot be written, so the evidence file,
        // listed after it, is not written either.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hypotheses"), "not a folder").unwrap();
        let files = vec![
            (PathBuf::from("evidence/c/c.toml"), "b = 2\n".to_string()),
            (PathBuf::from("hypotheses/c.toml"), "a = 1\n".to_string()),
        ];
        let err = write_new_files(dir.path(), &files).unwrap_err().to_string();
        assert!(err.contains("cannot create this folder"), "{err}");
        assert!(!dir.path().join("evidence/c/c.toml").exists());
    }
}
