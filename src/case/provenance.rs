//! Where an output came from: the version of abduce, a digest of the case's files and the
//! what-ifs applied to it (`docs/format.md`, "Provenance").
//!
//! Provenance holds no time and no absolute path, so a JSON output stays byte-identical
//! across threads, shards and machines. Reports add the time they were made
//! ([`made_at`]), which `SOURCE_DATE_EPOCH` can fix.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `provenance` object of every JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The version of abduce that made the output.
    pub abduce: String,
    /// `sha256:<hex>` of the case's files in reading order (see [`Provenance::of_files`]).
    pub case_digest: String,
    /// The overlays and `--set`s, in the order they were applied.
    pub variants: Vec<Variant>,
}

/// One what-if applied to the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Variant {
    /// `--overlay FILE`: the file's name (no folder) and the SHA-256 of its bytes.
    Overlay {
        /// The file name, without its folder.
        overlay: String,
        /// Lower-case hex SHA-256 of the file's bytes.
        sha256: String,
    },
    /// `--set PATH=VALUE`, as given.
    Set {
        /// The assignment as given.
        set: String,
    },
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Provenance {
    /// The provenance of a case read from `files` (their bytes in reading order, the
    /// hypotheses file first), with no what-if applied yet.
    ///
    /// # Formula
    /// `case_digest` = SHA-256 of the concatenation, over the files in order, of each
    /// file's byte length as 8 bytes little-endian followed by its bytes.
    pub fn of_files(files: &[&[u8]]) -> Provenance {
        let mut h = Sha256::new();
        for f in files {
            h.update((f.len() as u64).to_le_bytes());
            h.update(f);
        }
        Provenance {
            abduce: env!("CARGO_PKG_VERSION").to_string(),
            case_digest: format!("sha256:{}", hex(&h.finalize())),
            variants: Vec::new(),
        }
    }

    /// Records an overlay read from `path` with these bytes.
    pub fn push_overlay(&mut self, path: &Path, bytes: &[u8]) {
        self.variants.push(Variant::Overlay {
            overlay: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            ),
            sha256: hex(&Sha256::digest(bytes)),
        });
    }

    /// Records a `--set PATH=VALUE` as given.
    pub fn push_set(&mut self, assignment: &str) {
        self.variants.push(Variant::Set {
            set: assignment.to_string(),
        });
    }

    /// One line for people: `abduce 0.1.0 · case sha256:… · overlay x.toml (sha256 …) ·
    /// --set …`.
    pub fn line(&self) -> String {
        let mut parts = vec![
            format!("abduce {}", self.abduce),
            format!("case {}", self.case_digest),
        ];
        for v in &self.variants {
            parts.push(match v {
                Variant::Overlay { overlay, sha256 } => {
                    format!("overlay {overlay} (sha256:{sha256})")
                }
                Variant::Set { set } => format!("--set {set}"),
            });
        }
        parts.join(" · ")
    }
}

/// The time a report is made, as `YYYY-MM-DD HH:MM:SS UTC`: `SOURCE_DATE_EPOCH` (seconds
/// since 1970) when it is set to a whole number, else the current time.
pub fn made_at() -> String {
    let time = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or_else(SystemTime::now, |s| {
            SystemTime::UNIX_EPOCH + Duration::from_secs(s)
        });
    let rfc3339 = humantime::format_rfc3339_seconds(time).to_string();
    format!("{} UTC", rfc3339.replace('T', " ").trim_end_matches('Z'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest against a SHA-256 computed outside abduce. The bytes: the length 3 as
    /// 8 bytes little-endian, `abc`, the length 0, then nothing:
    /// `printf '\x03\0\0\0\0\0\0\0abc\0\0\0\0\0\0\0\0' | sha256sum`
    /// = 3e2f8940c3a0e0fd6f6e07bbf07f015dd7c147431e5fa14bf3f225d782641540.
    #[test]
    fn digest_of_files_matches_sha256sum() {
        let p = Provenance::of_files(&[b"abc", b""]);
        assert_eq!(p.case_digest, format!("sha256:{}", DIGEST_ABC_EMPTY));
        // No file at all: the SHA-256 of the empty string (`printf '' | sha256sum`).
        assert_eq!(
            Provenance::of_files(&[]).case_digest,
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    const DIGEST_ABC_EMPTY: &str =
        "3e2f8940c3a0e0fd6f6e07bbf07f015dd7c147431e5fa14bf3f225d782641540";

    #[test]
    fn variants_keep_the_file_name_and_the_order() {
        let mut p = Provenance::of_files(&[]);
        p.push_overlay(Path::new("/somewhere/views/alice.toml"), b"abc");
        p.push_set("evidence.x.weight=0");
        let json = serde_json::to_string(&p.variants).unwrap();
        // SHA-256 of `abc` (FIPS 180-2, appendix B.1).
        assert_eq!(
            json,
            r#"[{"overlay":"alice.toml","sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},{"set":"evidence.x.weight=0"}]"#
        );
        let back: Vec<Variant> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p.variants);
    }
}
