//! What every sharded run shares (docs/scaling.md): which chunks shard k of n runs, the
//! fingerprint that ties a part to its run, and the check that the parts cover every chunk
//! exactly once.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Error, Refused};
use crate::output::{SCHEMA_VERSION, to_json};

/// A part of a sharded run as written (docs/reference.md §5.6): a JSON document whose
/// `checksum` is [`fnv128`] of the part written with that field empty.
pub trait Part: Serialize + DeserializeOwned + Clone {
    /// The part's `command` (`"monte-carlo-partial"`).
    const COMMAND: &'static str;
    /// The `command` of the finished result of the same run (`"monte-carlo"`).
    const FINISHED: &'static str;
    /// What the run is called in messages (`"Monte Carlo"`).
    const RUN: &'static str;
    /// What a part is called in messages (`"partial Monte Carlo result"`).
    const NAME: &'static str;
    /// The command line that writes parts.
    const WRITE_WITH: &'static str;

    /// The document's `schema_version`.
    fn schema_version(&self) -> u32;
    /// The document's `checksum` field.
    fn checksum(&self) -> &str;
    /// The same, to set it.
    fn checksum_mut(&mut self) -> &mut String;

    /// The checksum of the part's content (with `checksum` empty).
    fn content_checksum(&self) -> String {
        let mut c = self.clone();
        c.checksum_mut().clear();
        fnv128(&to_json(&c))
    }

    /// The part with its checksum set.
    fn sealed(mut self) -> Self {
        *self.checksum_mut() = self.content_checksum();
        self
    }

    /// Whether the part is as it was written.
    ///
    /// # Errors
    /// The message for a part changed since.
    fn check_checksum(&self) -> Result<(), String> {
        if self.checksum() != self.content_checksum() {
            return Err(
                "has been changed since it was written (its checksum does not match)".into(),
            );
        }
        Ok(())
    }
}

/// Reads a part's envelope: JSON, a `command` naming a part of this kind (a finished result
/// or another document is named as such), the part's fields and the schema version. The
/// message says what is wrong; the checksum and the content are the caller's to check.
pub fn decode<P: Part>(text: &str) -> Result<P, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a JSON document: {e}"))?;
    match value.get("command").and_then(|c| c.as_str()) {
        Some(c) if c == P::COMMAND => {}
        Some(c) if c == P::FINISHED => {
            return Err(format!(
                "a finished {} result, not a part: write parts with `{}`",
                P::RUN,
                P::WRITE_WITH
            ));
        }
        Some(other) => return Err(format!("a `{other}` document, not a {}", P::NAME)),
        None => return Err(format!("not a {} (no `command`)", P::NAME)),
    }
    let doc: P =
        serde_json::from_value(value).map_err(|e| format!("a malformed {}: {e}", P::NAME))?;
    if doc.schema_version() != SCHEMA_VERSION {
        return Err(format!(
            "schema_version {} is not {SCHEMA_VERSION}",
            doc.schema_version()
        ));
    }
    Ok(doc)
}

/// The chunks of shard `k` of `n` among `total`: [⌊(k−1)·total/n⌋, ⌊k·total/n⌋).
pub fn chunk_range(total: u64, k: u64, n: u64) -> (u64, u64) {
    let (c, k, n) = (total as u128, k as u128, n as u128);
    (((k - 1) * c / n) as u64, (k * c / n) as u64)
}

/// 128 bits of FNV-1a over `text` (two 64-bit hashes with different offset bases), in hex.
pub fn fnv128(text: &str) -> String {
    let fnv = |basis: u64| {
        text.bytes().fold(basis, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x6c62_272e_07bb_0142)
    )
}

/// Checks that the ranges of `parts` (name, [start, end)) cover [0, `total`) with no gap and
/// no overlap. `unit` names what the ranges count ("chunks", "runs"). Returns every problem,
/// each gap once and each overlap with the two parts that share it.
pub fn tiling(parts: &[(&str, [u64; 2])], total: u64, unit: &str) -> Vec<Diagnostic> {
    let mut sorted: Vec<&(&str, [u64; 2])> = parts.iter().collect();
    sorted.sort_by_key(|(_, r)| *r);
    let mut problems = Vec::new();
    let mut next = 0;
    let mut previous = "";
    for (name, [a, b]) in sorted {
        if *a > next {
            problems.push(Diagnostic::error(format!(
                "the parts leave {unit} {next}..{a} uncovered (a shard is missing)"
            )));
        }
        if *a < next {
            problems.push(Diagnostic::error(format!(
                "{previous} and {name} overlap on {unit} {a}..{} (a shard is given twice)",
                next.min(*b)
            )));
        }
        next = next.max(*b);
        previous = name;
    }
    if next < total {
        problems.push(Diagnostic::error(format!(
            "the parts leave {unit} {next}..{total} uncovered (a shard is missing)"
        )));
    }
    problems
}

/// Reads the parts of a sharded run, each `(name, text)`, with `read`; checks with
/// `other_run` that every part comes from the same run as the first (it says what differs),
/// and that their `range`s cover [0, `total` of the first part) exactly once, in `unit`s
/// ([`tiling`]). Every problem of one stage at once, each under its part's name.
///
/// # Errors
/// No part ([`Refused::NoParts`]); parts that cannot be read or come from another run; gaps or
/// overlaps between the parts.
pub fn read_parts<'a, P>(
    parts: &'a [(String, String)],
    read: impl Fn(&str) -> Result<P, String>,
    other_run: impl Fn(&P, &P) -> Option<String>,
    range: impl Fn(&P) -> [u64; 2],
    total: impl Fn(&P) -> u64,
    unit: &str,
) -> Result<Vec<(&'a str, P)>, Error> {
    if parts.is_empty() {
        return Err(Refused::NoParts.into());
    }
    let mut problems = Vec::new();
    let mut done: Vec<(&str, P)> = Vec::new();
    for (name, text) in parts {
        match read(text) {
            Ok(p) => done.push((name, p)),
            Err(m) => problems.push(Diagnostic::error(m).in_file(name)),
        }
    }
    if let Some(((first_name, first), rest)) = done.split_first() {
        for (name, p) in rest {
            if let Some(what) = other_run(first, p) {
                problems.push(
                    Diagnostic::error(format!("comes from another run than {first_name}: {what}"))
                        .in_file(name),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let ranges: Vec<(&str, [u64; 2])> = done.iter().map(|(n, p)| (*n, range(p))).collect();
    let problems = tiling(&ranges, total(&done[0].1), unit);
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_chunks_evenly_and_cover_them() {
        // 5 chunks in 3 shards: ⌊0·5/3⌋ = 0, ⌊5/3⌋ = 1, ⌊10/3⌋ = 3, ⌊15/3⌋ = 5.
        let r: Vec<_> = (1..=3).map(|k| chunk_range(5, k, 3)).collect();
        assert_eq!(r, [(0, 1), (1, 3), (3, 5)]);
        // More shards than chunks: some are empty.
        let r: Vec<_> = (1..=4).map(|k| chunk_range(2, k, 4)).collect();
        assert_eq!(r, [(0, 0), (0, 1), (1, 1), (1, 2)]);
    }

    #[test]
    fn gaps_and_overlaps_are_named() {
        let msgs = |p: &[(&str, [u64; 2])]| -> Vec<String> {
            tiling(p, 4, "chunks")
                .into_iter()
                .map(|d| d.message)
                .collect()
        };
        assert!(msgs(&[("a", [0, 2]), ("b", [2, 4])]).is_empty());
        assert_eq!(
            msgs(&[("b", [1, 3]), ("a", [0, 2])]),
            [
                "a and b overlap on chunks 1..2 (a shard is given twice)",
                "the parts leave chunks 3..4 uncovered (a shard is missing)"
            ]
        );
    }
}
