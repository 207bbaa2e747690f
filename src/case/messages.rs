//! The loader's diagnostics: where they point ([`At`]), how they are collected ([`Diags`])
//! and how they are worded ([`msg`], the one place every message of the loader is written).

use std::ops::Range;
use std::path::PathBuf;

use crate::error::{Diagnostic, LineIndex, Severity};

/// A span of one file of the case: an index into the files read so far and a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct At {
    /// Index into the case's files (`files[0]` is the hypotheses file).
    pub file: usize,
    /// Byte range in that file.
    pub span: Range<usize>,
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Loc<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub at: At,
}

/// A file read for the case: its path as shown to the analyst and its text.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// The path as shown in diagnostics.
    pub path: PathBuf,
    /// The text (lossily decoded when the file is not UTF-8; empty when unreadable).
    pub text: String,
    /// Where the text's lines start, so each diagnostic's position is a binary search.
    pub lines: LineIndex,
}

#[derive(Debug, Clone)]
struct Note {
    severity: Severity,
    file: Option<usize>,
    span: Option<Range<usize>>,
    message: String,
}

/// Collects every problem of a run; [`Diags::finish`] turns them into sorted [`Diagnostic`]s.
#[derive(Debug, Default)]
pub(crate) struct Diags {
    notes: Vec<Note>,
    /// Files whose syntax errors make their content unreliable: their other problems are
    /// dropped (the syntax errors already say what is wrong).
    muted: Vec<usize>,
}

impl Diags {
    fn push(
        &mut self,
        severity: Severity,
        file: Option<usize>,
        span: Option<Range<usize>>,
        m: String,
    ) {
        if let Some(f) = file
            && self.muted.contains(&f)
        {
            return;
        }
        self.notes.push(Note {
            severity,
            file,
            span,
            message: m,
        });
    }

    /// An error at a place.
    pub fn error(&mut self, at: &At, message: String) {
        self.push(
            Severity::Error,
            Some(at.file),
            Some(at.span.clone()),
            message,
        );
    }

    /// A warning at a place.
    pub fn warn(&mut self, at: &At, message: String) {
        self.push(
            Severity::Warning,
            Some(at.file),
            Some(at.span.clone()),
            message,
        );
    }

    /// An error about a whole file.
    pub fn file_error(&mut self, file: usize, message: String) {
        self.push(Severity::Error, Some(file), None, message);
    }

    /// A warning about a whole file.
    pub fn file_warn(&mut self, file: usize, message: String) {
        self.push(Severity::Warning, Some(file), None, message);
    }

    /// A warning about no file in particular.
    pub fn global_warn(&mut self, message: String) {
        self.push(Severity::Warning, None, None, message);
    }

    /// Reports syntax errors of a file, then drops its later problems.
    pub fn syntax_errors(
        &mut self,
        file: usize,
        errors: impl IntoIterator<Item = (Range<usize>, String)>,
    ) {
        for (span, m) in errors {
            self.error(&At { file, span }, msg::syntax(&m));
        }
        self.muted.push(file);
    }

    /// Takes the problems found by `other` (under this one's muted files).
    pub fn append(&mut self, other: Diags) {
        for n in other.notes {
            self.push(n.severity, n.file, n.span, n.message);
        }
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.notes.iter().any(|n| n.severity == Severity::Error)
    }

    /// The diagnostics in file reading order, then position (problems with no file first,
    /// then each file's problems with no position).
    pub fn finish(mut self, docs: &[Doc]) -> Vec<Diagnostic> {
        self.notes.sort_by_key(|n| {
            (
                n.file.map_or(0, |f| f + 1),
                n.span.as_ref().map_or(0, |s| s.start + 1),
            )
        });
        self.notes
            .into_iter()
            .map(|n| {
                let mut d = Diagnostic {
                    severity: n.severity,
                    file: None,
                    position: None,
                    message: n.message,
                };
                if let Some(doc) = n.file.and_then(|f| docs.get(f)) {
                    d.file = Some(doc.path.clone());
                    if let Some(s) = n.span {
                        d.position = Some(doc.lines.position(&doc.text, s.start, s.end));
                    }
                }
                d
            })
            .collect()
    }
}

pub(crate) mod msg {
    use crate::error::{Suggestion, did_you_mean};

    pub(super) fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
        did_you_mean(word, candidates.iter().copied())
    }

    /// "; did you mean `x`?" when there is a likely candidate, else "; " + `otherwise`.
    fn hint(word: &str, candidates: &[&str], otherwise: &str) -> String {
        match suggest(word, candidates) {
            Some(s) => format!("; {}", Suggestion(s)),
            None => format!("; {otherwise}"),
        }
    }

    fn list(words: &[&str]) -> String {
        words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A number as written in messages (shortest round trip).
    pub fn num(x: f64) -> String {
        format!("{x}")
    }

    /// A range as written in messages.
    pub fn range(lo: f64, hi: f64) -> String {
        format!("[{}, {}]", num(lo), num(hi))
    }

    // --- files -------------------------------------------------------------------------

    pub fn syntax(m: &str) -> String {
        format!("TOML syntax: {m}")
    }
    pub fn cannot_read(reason: &str) -> String {
        format!("cannot read the file: {reason}")
    }
    pub fn not_utf8() -> String {
        "the file is not UTF-8 text (first invalid byte here); save it as UTF-8".into()
    }
    pub fn empty_file() -> String {
        "the file is empty".into()
    }
    pub fn no_tables() -> String {
        "no [[source]], [[group]] or [[evidence]] table in this file".into()
    }
    pub fn bad_case_name(name: &str) -> String {
        format!(
            "the case name `{name}` (the file name without `.toml`) must be lower-case letters, \
             digits, `_` and `-`, starting with a letter or digit"
        )
    }
    pub fn hypotheses_is_folder() -> String {
        "this is a folder; give the hypotheses file (hypotheses/<case>.toml)".into()
    }
    // --- evidence locations ------------------------------------------------------------

    pub fn no_evidence(folder: &str, file: &str) -> String {
        format!(
            "no evidence: neither the folder `{folder}/` nor the file `{file}` exists \
             (write `evidence = []` under [case] if this file holds all the evidence)"
        )
    }
    pub fn both_locations(folder: &str, file: &str) -> String {
        format!("both `{folder}/` and `{file}` exist; reading the folder and ignoring the file")
    }
    pub fn missing_location(entry: &str, path: &str) -> String {
        format!("evidence location `{entry}` does not exist (looked for `{path}`)")
    }
    pub fn empty_folder(folder: &str) -> String {
        format!("the evidence folder `{folder}/` holds no .toml file")
    }
    pub fn read_twice(entry: &str, path: &str) -> String {
        format!("evidence location `{entry}` reads `{path}` a second time")
    }
    pub fn unreadable_folder(entry: &str, reason: &str) -> String {
        format!("cannot read the folder `{entry}`: {reason}")
    }

    // --- keys and tables ---------------------------------------------------------------

    pub fn unknown_key(key: &str, ctx: &str, allowed: &[&str]) -> String {
        match suggest(key, allowed) {
            Some(s) => format!("unknown key `{key}` in {ctx}; {}", Suggestion(s)),
            None => format!(
                "unknown key `{key}` in {ctx}; expected one of {}",
                list(allowed)
            ),
        }
    }
    pub fn hypotheses_file_only(key: &str) -> String {
        format!("`{key}` belongs in the hypotheses file, not in an evidence file")
    }
    pub fn not_array_of_tables(key: &str) -> String {
        format!("`{key}` must be an array of tables: write each one under [[{key}]]")
    }
    pub fn not_a_table(name: &str) -> String {
        format!("`{name}` must be a table")
    }
    pub fn missing_key(key: &str, ctx: &str) -> String {
        format!("{ctx} has no `{key}`")
    }

    // --- values ------------------------------------------------------------------------

    pub fn wrong_type(name: &str, expected: &str, found: &str) -> String {
        format!("`{name}` must be {expected}; found {found}")
    }
    pub fn nan(name: &str) -> String {
        format!("`{name}` is NaN; numbers must be finite")
    }
    pub fn infinite(name: &str) -> String {
        format!("`{name}` is infinite; numbers must be finite")
    }
    pub fn too_large(name: &str) -> String {
        format!("`{name}` is too large a number")
    }
    pub fn out_of_range(name: &str, x: f64, rule: &str) -> String {
        format!("`{name}` = {} is out of range: it must be {rule}", num(x))
    }
    pub fn range_shape(name: &str) -> String {
        format!("`{name}` must be a range of two numbers [lo, hi]")
    }
    pub fn outside_range(name: &str, x: f64, range_name: &str, lo: f64, hi: f64) -> String {
        format!(
            "`{name}` = {} lies outside `{range_name}` {}",
            num(x),
            range(lo, hi)
        )
    }
    pub fn outside_default_range(name: &str, x: f64, rating: &str, lo: f64, hi: f64) -> String {
        format!(
            "`{name}` = {} lies outside the default range of `{rating}`, {}; give a `range` too",
            num(x),
            range(lo, hi)
        )
    }
    pub fn default_outside_range_of(
        rating: &str,
        x: f64,
        range_name: &str,
        lo: f64,
        hi: f64,
    ) -> String {
        format!(
            "the default likelihood of `{rating}`, {}, lies outside `{range_name}` {}; give a \
             `likelihood` too",
            num(x),
            range(lo, hi)
        )
    }
    pub fn invalid_id(id: &str) -> String {
        format!(
            "invalid id `{id}`: an id starts with a letter and holds only letters, digits, `_` and `-`"
        )
    }
    pub fn reserved_id(id: &str) -> String {
        format!("the id `{id}` is reserved (it names the prior factor in sweeps); choose another")
    }
    pub fn duplicate_id(kind: &str, id: &str, first: &str) -> String {
        format!("duplicate {kind} id `{id}`; first declared at {first}")
    }
    pub fn unknown_label(name: &str, label: &str) -> String {
        format!(
            "unknown {name} label `{label}`{}",
            hint(
                label,
                &["high", "medium", "low"],
                "labels are `high`, `medium`, `low`"
            )
        )
    }
    pub fn unknown_status(s: &str) -> String {
        let statuses = ["observed", "absent", "pending", "retracted"];
        format!(
            "unknown status `{s}`{}",
            hint(s, &statuses, &format!("statuses are {}", list(&statuses)))
        )
    }
    pub fn unknown_rating(r: &str) -> String {
        let ratings = ["CC", "C", "N", "NA", "I", "II"];
        format!(
            "unknown rating `{r}`{}",
            hint(r, &ratings, &format!("ratings are {}", list(&ratings)))
        )
    }
    pub fn na_override() -> String {
        "rating `NA` cannot be overridden: it always takes the mean of the row's other cells".into()
    }
    pub fn unknown_reliability(r: &str) -> String {
        format!(
            "unknown Admiralty reliability `{r}`{}",
            hint(r, &["A", "B", "C", "D", "E", "F"], "use a letter A–F")
        )
    }
    pub fn unknown_information(i: &str) -> String {
        format!("unknown Admiralty information grade `{i}`; use a digit 1–6")
    }
    pub fn bad_date(name: &str, found: &str) -> String {
        format!("`{name}` must be a TOML local date like 2025-12-24; found {found}")
    }

    // --- credibility -------------------------------------------------------------------

    pub fn half_pair(given: &str, missing: &str) -> String {
        format!("`{given}` needs `{missing}` too (Schum's model uses the pair)")
    }
    pub fn credibility_and_pair() -> String {
        "give either `credibility` or the pair `hit_rate` + `false_alarm_rate`, not both".into()
    }
    pub fn range_with_pair() -> String {
        "`credibility_range` does not apply to an item given `hit_rate` and `false_alarm_rate`"
            .into()
    }
    pub fn admiralty_ignored(field: &str, over: &str) -> String {
        format!("`{field}` is ignored: the item's credibility comes from {over}")
    }
    pub fn admiralty_outside_range(c: f64, lo: f64, hi: f64) -> String {
        format!(
            "the credibility from Admiralty codes, {}, lies outside `credibility_range` {}",
            num(c),
            range(lo, hi)
        )
    }
    pub fn default_outside_range(lo: f64, hi: f64) -> String {
        format!(
            "`credibility_range` {} needs a credibility: with no `credibility` and no Admiralty \
             codes the credibility is 1, outside the range",
            range(lo, hi)
        )
    }

    // --- references --------------------------------------------------------------------

    pub fn unknown_ref(kind: &str, id: &str, known: &[&str]) -> String {
        if known.is_empty() {
            format!("unknown {kind} `{id}`: the case declares no {kind}")
        } else {
            match suggest(id, known) {
                Some(s) => format!("unknown {kind} `{id}`; {}", Suggestion(s)),
                None => format!("unknown {kind} `{id}`; the case declares {}", list(known)),
            }
        }
    }
    pub fn missing_likelihoods(ids: &[&str]) -> String {
        let noun = if ids.len() == 1 {
            "hypothesis"
        } else {
            "hypotheses"
        };
        format!(
            "`likelihood` has no entry for {noun} {}; give one for every hypothesis \
             (`NA` where it does not apply)",
            list(ids)
        )
    }
    pub fn no_likelihood(id: &str) -> String {
        format!("evidence `{id}` has no `likelihood` table; give one entry for every hypothesis")
    }
    pub fn family_id_taken(id: &str, first: &str) -> String {
        format!(
            "family id `{id}` is already a hypothesis id (declared at {first}); \
             ids are unique across hypotheses and families"
        )
    }
    pub fn family_too_small(n: usize) -> String {
        format!("a family needs at least 2 distinct hypotheses in `members`; found {n}")
    }
    pub fn member_twice(id: &str) -> String {
        format!("`{id}` is listed twice in `members`")
    }
    pub fn family_of_all(id: &str) -> String {
        format!(
            "family `{id}` has every hypothesis of the case as a member: \
             its posterior is always 1"
        )
    }
    pub fn same_members(id: &str, other: &str, first: &str) -> String {
        format!(
            "family `{id}` has the same members as family `{other}` (declared at {first}): \
             their figures are identical"
        )
    }
    pub fn too_few_hypotheses(n: usize) -> String {
        format!("a case needs at least 2 hypotheses; this one has {n}")
    }

    // --- warnings about a valid case ---------------------------------------------------

    pub fn no_catch_all() -> String {
        "no catch-all hypothesis (one whose id or title says other, unknown or else): \
         the posteriors assume one of the listed hypotheses is true"
            .into()
    }
    pub fn no_credibility(id: &str) -> String {
        format!(
            "evidence `{id}` has no credibility information (no `credibility`, no source \
             reliability, no `information`): it is taken as fully credible"
        )
    }
    pub fn lone_group(id: &str) -> String {
        format!("group `{id}` has one counting member: its correlation changes nothing")
    }
    pub fn likely_duplicate(id: &str, first: &str, place: &str) -> String {
        format!(
            "evidence `{id}` has the same likelihood row, source and date as `{first}` ({place}): a likely duplicate, counted twice; group them or retract one"
        )
    }
    pub fn unused_group(id: &str) -> String {
        format!("group `{id}` is named by no evidence item")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggestions() {
        use super::msg::suggest;
        assert_eq!(suggest("cc", &["CC", "C"]), Some("CC"));
        assert_eq!(suggest("titel", &["title", "question"]), Some("title"));
        assert_eq!(suggest("isk", &["is-k", "etim"]), Some("is-k"));
        // Short words get no edit-distance guess: `X` is not a typo of `C`.
        assert_eq!(suggest("X", &["CC", "C"]), None);
        assert_eq!(suggest("zzzz", &["title"]), None);
    }
}
