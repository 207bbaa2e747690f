//! File access for the loader: the disk, or files held in memory (the bundled case).
//!
//! Both kinds of store answer the same three questions (what is at this path, read this
//! file, list this folder's case files), so the loader has one code path for both.

use std::path::{Component, Path, PathBuf};

/// Where the loader reads files from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Store<'a> {
    /// The file system; relative paths are relative to the current folder.
    Disk,
    /// Files held in memory: (project-relative path with `/` separators, contents).
    Memory(&'a [(&'a str, &'a str)]),
}

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Nothing.
    Missing,
    /// A file.
    File,
    /// A folder.
    Folder,
}

impl Store<'_> {
    /// What `path` names.
    pub fn kind(&self, path: &Path) -> Kind {
        match self {
            Store::Disk => match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => Kind::Folder,
                Ok(_) => Kind::File,
                Err(_) => Kind::Missing,
            },
            Store::Memory(files) => {
                let p = slashed(path);
                if files.iter().any(|(f, _)| *f == p) {
                    Kind::File
                } else if files
                    .iter()
                    .any(|(f, _)| f.strip_prefix(&p).is_some_and(|r| r.starts_with('/')))
                {
                    Kind::Folder
                } else {
                    Kind::Missing
                }
            }
        }
    }

    /// The bytes of a file, or a plain reason why it cannot be read.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        match self {
            Store::Disk => crate::limits::read_file(path),
            Store::Memory(files) => {
                let p = slashed(path);
                files
                    .iter()
                    .find(|(f, _)| *f == p)
                    .map(|(_, text)| text.as_bytes().to_vec())
                    .ok_or_else(|| "no such file".to_string())
            }
        }
    }

    /// The case files of a folder (docs/reference.md §1): its `*.toml` files, not recursing, names
    /// starting with `.` skipped, sorted bytewise by name.
    pub fn toml_files(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let mut names: Vec<String> = match self {
            Store::Disk => std::fs::read_dir(dir)
                .map_err(|e| crate::limits::io_reason(&e))?
                .flatten()
                .filter(|entry| entry.path().is_file())
                .filter_map(|entry| entry.file_name().into_string().ok())
                .collect(),
            Store::Memory(files) => {
                let p = slashed(dir);
                files
                    .iter()
                    .filter_map(|(f, _)| f.strip_prefix(&p)?.strip_prefix('/'))
                    .filter(|name| !name.contains('/'))
                    .map(str::to_string)
                    .collect()
            }
        };
        names.retain(|n| !n.starts_with('.') && n.ends_with(".toml"));
        names.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        Ok(names.into_iter().map(|n| dir.join(n)).collect())
    }

    /// Whether two paths name the same file (on disk, after resolving links).
    pub fn same_file(&self, a: &Path, b: &Path) -> bool {
        if normalize(a) == normalize(b) {
            return true;
        }
        match self {
            Store::Disk => match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            },
            Store::Memory(_) => false,
        }
    }
}

/// `path` with `.` removed and `name/..` folded, lexically (the way an analyst reads
/// `hypotheses/../evidence/x`). An empty result is `.`.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// The path with `/` separators and no `.` components, as the memory store keys its files.
fn slashed(path: &Path) -> String {
    let n = normalize(path);
    n.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        let n = |s: &str| normalize(Path::new(s)).to_string_lossy().into_owned();
        assert_eq!(n("hypotheses/../evidence/x"), "evidence/x");
        assert_eq!(n("../evidence/x"), "../evidence/x");
        assert_eq!(n("./a/./b/../c.toml"), "a/c.toml");
        assert_eq!(n("/../a"), "/a");
        assert_eq!(n("a/.."), ".");
    }

    #[test]
    fn memory_store_lists_and_reads() {
        let files = [
            ("hypotheses/c.toml", "h"),
            ("evidence/c/b.toml", "b"),
            ("evidence/c/a.toml", "a"),
            ("evidence/c/.hidden.toml", "x"),
            ("evidence/c/sub/d.toml", "d"),
            ("evidence/c/notes.txt", "n"),
        ];
        let s = Store::Memory(&files);
        assert_eq!(s.kind(Path::new("hypotheses/../evidence/c")), Kind::Folder);
        assert_eq!(s.kind(Path::new("evidence/c/a.toml")), Kind::File);
        assert_eq!(s.kind(Path::new("evidence/c.toml")), Kind::Missing);
        assert_eq!(s.kind(Path::new("evidence/c/a")), Kind::Missing);
        let listed = s.toml_files(Path::new("evidence/c")).unwrap();
        assert_eq!(
            listed,
            [
                PathBuf::from("evidence/c/a.toml"),
                PathBuf::from("evidence/c/b.toml")
            ]
        );
        assert_eq!(s.read(Path::new("./evidence/c/b.toml")).unwrap(), b"b");
        assert_eq!(
            s.read(Path::new("evidence/c/z.toml")).unwrap_err(),
            "no such file"
        );
    }
}
