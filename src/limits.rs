//! Limits instead of hangs (docs/decisions.md, "Limits"): abduce reads only regular files,
//! each of at most [`MAX_FILE_BYTES`], and checks every allocation whose size comes from the
//! input before making it, so hostile input gives a clear error, never a hang, a panic or an
//! abort.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Failure, Refused};

/// The largest file abduce reads: 256 MiB. An item rated on 50 hypotheses with a range on
/// every cell takes about 4.7 KB of TOML, so one file holds over 50,000 of them.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The largest single table a run may allocate from what the input asks for: 4 GiB.
pub const MAX_TABLE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Reads a file that must be a regular file of at most [`MAX_FILE_BYTES`]. The error is a
/// plain reason without the file name (the caller names the file).
///
/// A device (`/dev/zero`), a FIFO or a socket is refused before it is opened, so it can
/// neither block nor stream forever; a file that grows past the limit while being read is
/// refused too.
///
/// # Errors
/// A missing or unreadable file, a folder, a file that is not regular, or one too large.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    check_kind(&meta)?;
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    // The opened file may differ from the one looked at (a race): check it again.
    check_kind(&file.metadata().map_err(|e| io_reason(&e))?)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_file`] for a text file that must be UTF-8.
///
/// # Errors
/// As [`read_file`], or text that is not UTF-8.
pub fn read_text(path: &Path) -> Result<String, String> {
    String::from_utf8(read_file(path)?).map_err(|_| "the file is not UTF-8 text".to_string())
}

fn check_kind(meta: &std::fs::Metadata) -> Result<(), String> {
    if meta.is_dir() {
        return Err("this is a folder, not a file".to_string());
    }
    if !meta.is_file() {
        return Err(
            "not a regular file (a device, pipe or socket); abduce reads only regular files"
                .to_string(),
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> String {
    format!(
        "the file is larger than {} MiB, the most abduce reads",
        MAX_FILE_BYTES >> 20
    )
}

/// Checks that a table of `count` × `per` elements of `T` fits in [`MAX_TABLE_BYTES`] and
/// returns `count` as a `usize`. `what` says what was asked (e.g. `"--samples 1000000000000
/// with 20 factors"`) and `unit` what `count` counts (e.g. `"base rows"`).
///
/// # Errors
/// [`Refused::TableTooLarge`]: what was asked, the memory it needs and the most that is
/// possible.
pub fn table_len<T>(count: u64, per: u64, what: &str, unit: &'static str) -> Result<usize, Error> {
    let size = std::mem::size_of::<T>().max(1) as u64;
    let max = MAX_TABLE_BYTES / size / per.max(1);
    match usize::try_from(count) {
        Ok(n) if count <= max => Ok(n),
        _ => Err(Refused::TableTooLarge {
            what: what.to_string(),
            needs: count as u128 * per.max(1) as u128 * size as u128,
            limit: MAX_TABLE_BYTES,
            most: max,
            unit,
        }
        .into()),
    }
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Marks the run as interrupted (Ctrl-C): long sweeps stop at their next chunk.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::Relaxed);
}

/// Whether the run was interrupted.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// `Err` once the run was interrupted: long loops call it once per chunk, so the run stops
/// within a chunk and nothing is written (outputs are written whole at the end).
///
/// # Errors
/// [`Failure::Interrupted`] (exit status 1), after [`interrupt`].
pub fn check_interrupt() -> Result<(), Error> {
    if interrupted() {
        Err(Failure::Interrupted.into())
    } else {
        Ok(())
    }
}

/// A plain reason for an I/O error, without the operating system's error number.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "this is a folder, not a file".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused_before_reading() {
        let dev = read_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            dev,
            "not a regular file (a device, pipe or socket); abduce reads only regular files"
        );
        assert_eq!(
            read_file(Path::new("/")).unwrap_err(),
            "this is a folder, not a file"
        );
    }

    #[test]
    fn table_len_names_the_request_and_the_limit() {
        // 2^29 f64 = 4 GiB exactly: allowed; one more is not. With 4 per row, 2^27 rows.
        assert_eq!(table_len::<f64>(1 << 29, 1, "x", "rows").unwrap(), 1 << 29);
        assert_eq!(table_len::<f64>(1 << 27, 4, "x", "rows").unwrap(), 1 << 27);
        let e = table_len::<f64>((1 << 27) + 1, 4, "--samples 134217729", "rows").unwrap_err();
        assert_eq!(
            e.to_string(),
            "abduce: error: --samples 134217729 needs 4.0 GiB of memory, more than the 4 GiB abduce allocates at once: at most 134217728 rows are possible\n"
        );
        // u64::MAX × 8 bytes = 2^67 bytes = 2^27 TiB = 134217728 TiB; no overflow.
        let e =
            table_len::<f64>(u64::MAX, 1, "--samples 18446744073709551615", "rows").unwrap_err();
        assert!(e.to_string().contains("134217728.0 TiB"), "{e}");
    }
}
