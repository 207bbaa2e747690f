//! Finding the case a command works on (docs/reference.md §8).

use std::path::{Path, PathBuf};

use super::bundled;
use super::store::Store;
use crate::error::{Error, Failure, Refused};

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
/// under `./hypotheses`, else the bundled case. The bundled case can also be named
/// (`afghan-tajik-border`) when no file of that name is under `./hypotheses`.
///
/// Paths are returned as the analyst would write them (relative to `cwd` when `cwd` is the
/// current folder), so diagnostics show them that way.
///
/// # Errors
/// A missing case (exit 1, with "did you mean"); two or more cases under `./hypotheses` and
/// no CASE ([`Refused::SeveralCases`], exit 2, listing them).
pub fn locate(arg: Option<&str>, cwd: &Path) -> Result<CaseLocation, Error> {
    let in_cwd = |rel: PathBuf| {
        if rel.is_absolute() || std::env::current_dir().is_ok_and(|c| c == cwd) {
            rel
        } else {
            cwd.join(rel)
        }
    };
    let names = case_names(&cwd.join("hypotheses"));
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match arg {
        Some(a) if a.contains('/') || a.ends_with(".toml") => {
            Ok(CaseLocation::File(in_cwd(PathBuf::from(a))))
        }
        Some(name) => {
            if names.contains(&name) {
                Ok(CaseLocation::File(in_cwd(case_path(name))))
            } else if name == bundled::DEFAULT_CASE {
                Ok(CaseLocation::Bundled)
            } else {
                let mut known: Vec<String> = names.iter().map(|n| n.to_string()).collect();
                if !names.contains(&bundled::DEFAULT_CASE) {
                    known.push(bundled::DEFAULT_CASE.to_string());
                }
                Err(Failure::NoSuchCase {
                    name: name.to_string(),
                    known,
                }
                .into())
            }
        }
        None => match names[..] {
            [] => Ok(CaseLocation::Bundled),
            [one] => Ok(CaseLocation::File(in_cwd(case_path(one)))),
            _ => Err(Refused::SeveralCases {
                names: names.iter().map(|n| n.to_string()).collect(),
            }
            .into()),
        },
    }
}

/// `hypotheses/<name>.toml`.
fn case_path(name: &str) -> PathBuf {
    Path::new("hypotheses").join(format!("{name}.toml"))
}

/// The case names under a hypotheses folder: the stems of its `*.toml` files (not
/// recursing, dot-files skipped), sorted bytewise. None when the folder does not exist.
fn case_names(dir: &Path) -> Vec<String> {
    Store::Disk
        .toml_files(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        dir
    }

    #[test]
    fn paths_names_and_defaults() {
        let one = folder(&[
            "hypotheses/alpha.toml",
            "hypotheses/.hidden.toml",
            "hypotheses/n.txt",
        ]);
        let cwd = one.path();
        let file = |rel: &str| CaseLocation::File(cwd.join(rel));
        // A path: contains `/` or ends in `.toml`; not checked here (the loader reports it).
        assert_eq!(locate(Some("x/y"), cwd).unwrap(), file("x/y"));
        assert_eq!(locate(Some("b.toml"), cwd).unwrap(), file("b.toml"));
        // A name under ./hypotheses.
        assert_eq!(
            locate(Some("alpha"), cwd).unwrap(),
            file("hypotheses/alpha.toml")
        );
        // No CASE: the only case there (dot-files and other files are not cases).
        assert_eq!(locate(None, cwd).unwrap(), file("hypotheses/alpha.toml"));
        // The bundled case by name, when no local file has that name.
        assert_eq!(
            locate(Some(bundled::DEFAULT_CASE), cwd).unwrap(),
            CaseLocation::Bundled
        );
        // A misspelt name, and one that is not close to any case.
        let err = locate(Some("alpa"), cwd).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        // The kind carries the name and the cases known (the folder's, then the bundled one).
        let Error::Failed(Failure::NoSuchCase { name, known }) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (name.as_str(), known.as_slice()),
            (
                "alpa",
                &["alpha".to_string(), bundled::DEFAULT_CASE.to_string()][..]
            )
        );
        assert_eq!(
            err.to_string(),
            "abduce: error: no case `alpa`: there is no `hypotheses/alpa.toml` here; did you mean `alpha`?\n"
        );
        assert_eq!(
            locate(Some("zz"), cwd).unwrap_err().to_string(),
            "abduce: error: no case `zz`: there is no `hypotheses/zz.toml` here \
             (cases: `alpha`, `afghan-tajik-border`)\n"
        );
    }

    #[test]
    fn empty_or_crowded_folders() {
        let none = folder(&[]);
        assert_eq!(locate(None, none.path()).unwrap(), CaseLocation::Bundled);
        let empty = folder(&["hypotheses/readme.md"]);
        assert_eq!(locate(None, empty.path()).unwrap(), CaseLocation::Bundled);
        let two = folder(&["hypotheses/b.toml", "hypotheses/a.toml"]);
        let err = locate(None, two.path()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            // The library's words; the command line adds "as the CASE argument (e.g. `a`)"
            // (tests/discover.rs pins the whole message).
            "abduce: error: several cases under hypotheses/: `a`, `b`; name the one to use\n"
        );
    }
}
