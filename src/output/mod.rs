//! The header every document starts with, and writing documents safely.
//!
//! Every command builds a summary struct (plain data, `Serialize` with the stable JSON keys
//! of docs/reference.md §9); the rendering layer ([`crate::render`]) turns it into bytes, and
//! [`write_output`] writes them atomically and never over an input file.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::case::Case;
use crate::case::provenance::Provenance;
use crate::error::{Doing, Error, Failure};

/// The JSON schema version written in every document.
pub const SCHEMA_VERSION: u32 = 1;

/// The keys every JSON document starts with (docs/reference.md §9).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Header {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The case name.
    pub case: String,
    /// The command that produced the document (`score`, `monte-carlo`, ...).
    pub command: String,
    /// The version of abduce, the digest of the case's files and the what-ifs applied.
    pub provenance: Provenance,
}

impl Header {
    /// The header for `command` on `case`.
    pub fn new(case: &Case, command: &str) -> Header {
        Header::named(&case.name, command, case.provenance.clone())
    }

    /// The header for `command` on the case named `case`, with its provenance.
    pub fn named(case: &str, command: &str, provenance: Provenance) -> Header {
        Header {
            schema_version: SCHEMA_VERSION,
            case: case.to_string(),
            command: command.to_string(),
            provenance,
        }
    }
}

/// Pretty JSON with a final newline. Floats are written shortest-round-trip.
pub fn to_json<T: Serialize + ?Sized>(doc: &T) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("summaries serialise");
    s.push('\n');
    s
}

/// Writes `bytes` to `path`, or to stdout when `path` is `None`.
///
/// A file is written whole or not at all (a temporary file in the same folder, then a
/// rename), and never over one of `inputs`. A closed stdout (broken pipe) is not an error.
///
/// # Errors
/// When `path` is an input file, or the file cannot be written.
pub fn write_output(path: Option<&Path>, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), Error> {
    let Some(path) = path else {
        let mut out = std::io::stdout().lock();
        return match out.write_all(bytes).and_then(|_| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Doing::WriteStdout.failed(e))
            }
            _ => Ok(()),
        };
    };
    let target = std::fs::canonicalize(path).ok();
    if target.is_some()
        && inputs
            .iter()
            .any(|i| std::fs::canonicalize(i).ok() == target)
    {
        return Err(Failure::OverwritesInput {
            path: path.to_path_buf(),
        }
        .into());
    }
    write_atomic(path, bytes).map_err(|e| Doing::Write(path.to_path_buf()).failed(e))
}

/// Writes a file atomically: a temporary file beside it, then a rename. A symbolic link is
/// written through (its target changes, the link stays), and an existing file keeps its
/// permissions. A target that exists but is not a regular file (`/dev/null`, `/dev/stdout`, a
/// FIFO) is written in place: renaming over it would replace the device node with a regular
/// file, for every program on the machine.
///
/// # Errors
/// Any I/O error; a regular target is then untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let resolved = std::fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    let metadata = std::fs::metadata(path).ok();
    if metadata
        .as_ref()
        .is_some_and(|m| !m.is_file() && !m.is_dir())
    {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(bytes);
    }
    let permissions = metadata.map(|m| m.permissions());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if let Some(p) = &permissions {
            f.set_permissions(p.clone())?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn atomic_write_goes_through_links_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared.toml");
        std::fs::write(&shared, "old").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&shared, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&shared).unwrap(), "new");
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        // A new file is created as usual.
        let fresh = dir.path().join("fresh.md");
        write_atomic(&fresh, b"x").unwrap();
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "x");
    }

    /// `abduce report -o /dev/null` as root once renamed a regular file over the device node,
    /// and every later program that read `/dev/null` (rustc's probe among them) got old
    /// output. A device is written in place and stays a device.
    #[cfg(unix)]
    #[test]
    fn atomic_write_leaves_a_device_a_device() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        if !std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
            panic!("/dev/null is not a character device on this machine: repair it first");
        }
        write_atomic(null, b"discarded").unwrap();
        write_output(Some(null), b"discarded", &[]).unwrap();
        let kind = std::fs::metadata(null).unwrap().file_type();
        assert!(kind.is_char_device(), "/dev/null was replaced: {kind:?}");
        assert_eq!(std::fs::read(null).unwrap(), b"");
    }

    #[test]
    fn atomic_write_never_overwrites_an_input() {
        let dir = std::env::temp_dir().join(format!("abduce-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("case.toml");
        std::fs::write(&input, "x").unwrap();
        let err = write_output(Some(&input), b"y", std::slice::from_ref(&input)).unwrap_err();
        assert!(err.to_string().contains("input files"));
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "x");
        let out = dir.join("out.md");
        write_output(Some(&out), b"report", &[input]).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "report");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
