//! `abduce init`: write the bundled case or a blank template as a case of one's own, and the shared "write new files,
//! never overwrite" step used by the importers.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::case::bundled;
use crate::error::{Bundled, Diagnostic, Error, Refused};

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

/// Checks a case name given to `init`: letters, digits, `-` and `_`, starting with a letter
/// or digit (it becomes a file and a folder name).
///
/// # Errors
/// [`Refused::BadCaseName`], saying what a name may hold.
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Refused::BadCaseName {
            name: name.to_string(),
        }
        .into())
    }
}

/// The bundled case's files under the case name `name`: `hypotheses/<name>.toml` and
/// `evidence/<name>/…`, the hypotheses file's comment on where its evidence is adjusted.
pub fn bundled_as(name: &str) -> Vec<(PathBuf, String)> {
    let from = bundled::DEFAULT_CASE;
    bundled_files()
        .into_iter()
        .map(|(path, text)| {
            let p = path.to_string_lossy().replace('\\', "/");
            let p = if p == format!("hypotheses/{from}.toml") {
                format!("hypotheses/{name}.toml")
            } else {
                p.replacen(
                    &format!("evidence/{from}/"),
                    &format!("evidence/{name}/"),
                    1,
                )
            };
            let text = text.replace(
                &format!("../evidence/{from}/"),
                &format!("../evidence/{name}/"),
            );
            (PathBuf::from(p), text)
        })
        .collect()
}

/// The blank template of `abduce init --blank`, as `name`: two hypotheses (the second a
/// catch-all), one source, one item of each status, every field commented.
pub fn blank(name: &str) -> Vec<(PathBuf, String)> {
    let hypotheses = BLANK_HYPOTHESES.replace("{name}", name);
    vec![
        (PathBuf::from(format!("hypotheses/{name}.toml")), hypotheses),
        (
            PathBuf::from(format!("evidence/{name}/00-sources.toml")),
            BLANK_SOURCES.to_string(),
        ),
        (
            PathBuf::from(format!("evidence/{name}/01-items.toml")),
            BLANK_ITEMS.to_string(),
        ),
    ]
}

const BLANK_HYPOTHESES: &str = r#"# The case `{name}`: the question and the competing answers to it (docs/format.md, §4).
# The evidence is read from ../evidence/{name}/*.toml, in sorted name order.
# Check it with `abduce check {name}`; rank with `abduce score {name}`.

[case]
title    = "{name}"                  # printed at the top of every output
question = "Who is behind the event?"  # the one question the hypotheses answer

# One block per hypothesis, at least two. They should exclude one another: say in each
# description where the line between them is drawn.
[[hypothesis]]
id          = "actor-a"              # letters, digits, - and _; used by the evidence files
title       = "Actor A did it"
description = """What exactly this hypothesis claims."""
prior       = 1.0                    # prior weight: only ratios between hypotheses matter
prior_range = [0.5, 2.0]             # your 90% range for the sweeps (optional)

[[hypothesis]]
id          = "other-unknown"        # keep a catch-all: the answer may be none of the others
title       = "Another or unknown actor"
description = """Anyone not listed above."""
prior       = 1.0
prior_range = [0.5, 2.0]
"#;

const BLANK_SOURCES: &str = r#"# Sources (docs/format.md, §5). Reliability is the Admiralty letter: A reliable …
# E unreliable, F cannot be judged. Each item adds its own information grade 1–6.

[[source]]
id          = "wire"
name        = "A news agency"
reliability = "B"                    # usually reliable
"#;

const BLANK_ITEMS: &str = r#"# Evidence items (docs/format.md, §5), one of each status (§7). Each likelihood is
# P(this observation | the hypothesis): a number in [0, 1], or a rating CC, C, N, I, II, NA.

[[evidence]]
id          = "claim-by-a"
title       = "Actor A claimed the attack"
date        = 2025-01-10             # a bare TOML date: the timeline uses it
source      = "wire"
information = 2                      # Admiralty information grade, 1 (confirmed) to 6
status      = "observed"             # seen: counts
weight_range = [0.5, 2.0]            # how much it counts, 90% range for the sweeps
note        = """Quote the source and say why the numbers are what they are."""

[evidence.likelihood]
actor-a       = { value = 0.7, range = [0.5, 0.85] }
other-unknown = "I"                  # rating: inconsistent with this hypothesis

[[evidence]]
id          = "no-warning-given"
title       = "No warning reached the authorities beforehand"
date        = 2025-01-08
source      = "wire"
information = 3
status      = "absent"               # looked for and not seen: counts as its absence
note        = """The likelihoods are those of seeing it; `absent` uses 1 − them."""

[evidence.likelihood]
actor-a       = 0.6
other-unknown = 0.2

[[evidence]]
id          = "weapons-traced"
title       = "The weapons are traced to Actor A's stocks"
date        = 2025-01-12
source      = "wire"
information = 3
status      = "pending"              # not known yet: `abduce indicators` ranks such checks
note        = """What would settle the question, and how to find out."""

[evidence.likelihood]
actor-a       = "CC"
other-unknown = "II"

[[evidence]]
id          = "early-report"
title       = "An early report blamed Actor A"
date        = 2025-01-09
source      = "wire"
information = 5
status      = "retracted"            # withdrawn or debunked: kept for the record, never counts
note        = """The agency withdrew the report the next day."""

[evidence.likelihood]
actor-a       = "C"
other-unknown = "N"
"#;

/// `abduce init [NAME] [--dir DIR] [--blank]`: writes the bundled case, or the blank template
/// with `blank`, as the case `name` (default: the bundled case's name, or `my-case` for the
/// template) under `dir` (never overwriting); returns the name and the paths written.
///
/// # Errors
/// A bad name; when the binary carries no bundled case; a target exists, or a file cannot be
/// written.
pub fn init(dir: &Path, name: Option<&str>, blank: bool) -> Result<(String, Vec<PathBuf>), Error> {
    let name = match name {
        Some(n) => n,
        None if blank => "my-case",
        None => bundled::DEFAULT_CASE,
    };
    check_name(name)?;
    let files = if blank {
        self::blank(name)
    } else {
        if bundled_files().is_empty() {
            return Err(Bundled::NothingToWrite.into());
        }
        bundled_as(name)
    };
    Ok((name.to_string(), write_new_files(dir, &files)?))
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
