//! `abduce tune`: change quantities in the case files themselves, keeping comments, order
//! and formatting (SPEC §6 paths).
//!
//! [`plan`] finds, for each assignment, the file and the table that declare the quantity
//! (`case.files`, `Evidence::file`, `Group::file`), edits a `toml_edit` document and returns
//! the new text of every touched file; nothing is written here. The command validates the
//! assignments first (the same `--set` assignments applied to a copy of the case, then
//! rescored), so an invalid value never reaches a file.

use std::path::PathBuf;

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::case::overrides::{self, QuantityPath};
use crate::case::scales::RatingScale;
use crate::case::{Case, Rating};
use crate::error::{Diagnostic, Error};

/// One `PATH=VALUE` argument.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The argument as given (passed on to `overrides::apply` for validation).
    pub text: String,
    /// The quantity.
    pub quantity: QuantityPath,
    /// The value to write: VALUE parsed as a TOML value, a bare word as a string, a whole
    /// number as a float for numeric quantities (`weight=2` writes `2.0`).
    pub value: Value,
}

impl Assignment {
    /// Parses `PATH=VALUE`.
    ///
    /// # Errors
    /// No `=`, an empty value or a malformed path: [`Error::Usage`] (exit 2); a value that is
    /// neither a TOML value nor a bare word: [`Error::Input`] (exit 1), as for `--set`
    /// ([`overrides::parse_assignment`]).
    pub fn parse(text: &str) -> Result<Assignment, Error> {
        if text
            .split_once('=')
            .is_some_and(|(_, v)| v.trim().is_empty())
        {
            return Err(Error::Usage(format!("`{text}` has no value")));
        }
        // The path and the value's syntax are checked as for `--set`; the value is written
        // as the analyst typed it (a bare word as a string).
        let (quantity, _) = overrides::parse_assignment(text)?;
        let raw = text.split_once('=').map_or("", |(_, v)| v.trim());
        let mut value = raw
            .parse::<Value>()
            .unwrap_or_else(|_| Value::from(raw.to_string()));
        let numeric = !matches!(quantity, QuantityPath::EvidenceStatus(_));
        if let (true, Some(i)) = (numeric, value.as_integer()) {
            value = Value::from(i as f64);
        }
        value.decor_mut().clear();
        Ok(Assignment {
            text: text.to_string(),
            quantity,
            value,
        })
    }
}

/// The new text of one case file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileEdit {
    /// The file (as listed in `case.files`).
    pub path: PathBuf,
    /// Its text before.
    pub before: String,
    /// Its text after every assignment that touches it.
    pub after: String,
}

/// Reads the files that declare the assigned quantities and returns their edited text, in
/// the order the files were first touched. Later assignments to the same quantity win.
///
/// # Errors
/// The bundled case (run `abduce init` first), an unknown id (with "did you mean"), a file
/// that cannot be read or parsed, or a quantity the file does not declare in a form tune can
/// edit (e.g. `credibility` on an item given `hit_rate`/`false_alarm_rate`).
pub fn plan(case: &Case, assignments: &[Assignment]) -> Result<Vec<FileEdit>, Error> {
    if case.bundled {
        return Err(bundled_error());
    }
    let mut docs: Vec<(usize, String, DocumentMut)> = Vec::new();
    for a in assignments {
        let file = file_of(case, &a.quantity)?;
        let slot = match docs.iter().position(|(f, _, _)| *f == file) {
            Some(i) => i,
            None => {
                let path = &case.files[file];
                let text = crate::limits::read_text(path).map_err(|e| {
                    Error::from(Diagnostic::error(format!("cannot read: {e}")).in_file(path))
                })?;
                let doc = text.parse::<DocumentMut>().map_err(|e| {
                    Error::from(
                        Diagnostic::error(format!("cannot parse: {}", e.message())).in_file(path),
                    )
                })?;
                docs.push((file, text, doc));
                docs.len() - 1
            }
        };
        let path = case.files[file].clone();
        edit(&mut docs[slot].2, &a.quantity, &a.value, &case.ratings)
            .map_err(|m| Error::from(Diagnostic::error(m).in_file(path)))?;
    }
    Ok(docs
        .into_iter()
        .map(|(f, before, doc)| FileEdit {
            path: case.files[f].clone(),
            after: in_form_of(&before, doc.to_string()),
            before,
        })
        .collect())
}

/// Refuses to write files without a write bit (e.g. mode 0444): a file the analyst protected
/// stays as it is even for a user who could replace it (root, or the folder's owner, since
/// tune writes a new file and renames it). Every such file is named.
///
/// # Errors
/// Each read-only file, with nothing written.
pub fn check_writable(edits: &[FileEdit]) -> Result<(), Error> {
    let locked: Vec<Diagnostic> = edits
        .iter()
        .filter(|e| std::fs::metadata(&e.path).is_ok_and(|m| m.permissions().readonly()))
        .map(|e| {
            Diagnostic::error(
                "the file is read-only (no write permission); tune leaves it as it is: make it writable (`chmod u+w`) to tune it (nothing was changed)",
            )
            .in_file(&e.path)
        })
        .collect();
    if locked.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(locked))
    }
}

/// `after` (as toml_edit writes it: LF line ends, no byte-order mark) in the form of
/// `before`: CRLF line ends when every line of `before` ends so, its byte-order mark, and
/// no final line end when `before` has none. So a tuned file changes only in its values.
fn in_form_of(before: &str, after: String) -> String {
    let mut after = after;
    let body = before.strip_prefix('\u{feff}').unwrap_or(before);
    let crlf = body.contains("\r\n") && body.matches('\n').count() == body.matches("\r\n").count();
    if crlf {
        after = after.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if !body.ends_with('\n') {
        let end = if crlf { "\r\n" } else { "\n" };
        if let Some(trimmed) = after.strip_suffix(end) {
            after = trimmed.to_string();
        }
    }
    if before.starts_with('\u{feff}') && !after.starts_with('\u{feff}') {
        after.insert(0, '\u{feff}');
    }
    after
}

/// The error for `tune` on the bundled case.
pub fn bundled_error() -> Error {
    Error::msg(
        "this is the case bundled into abduce, which has no files to edit; run `abduce init` \
         to write it into the current folder, then tune the copy",
    )
}

fn file_of(case: &Case, q: &QuantityPath) -> Result<usize, Error> {
    let i = overrides::target(case, q).map_err(|e| Error::msg(e.to_string()))?;
    let file = match q {
        QuantityPath::HypothesisPrior(_) => 0,
        QuantityPath::GroupCorrelation(_) => case.groups[i].file,
        _ => case.evidence[i].file,
    };
    if file >= case.files.len() {
        return Err(Error::msg(
            "the case does not list the file that declares this quantity",
        ));
    }
    Ok(file)
}

/// The `[[kind]]` table whose `id` is `id`.
fn entry<'d>(doc: &'d mut DocumentMut, kind: &str, id: &str) -> Result<&'d mut Table, String> {
    doc.get_mut(kind)
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|a| {
            a.iter_mut()
                .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        })
        .ok_or_else(|| format!("cannot find a [[{kind}]] table with id = \"{id}\""))
}

/// Sets `key` in `table` to `value`, keeping the old value's spacing and trailing comment;
/// appends the key when the table does not have it.
fn set(table: &mut dyn TableLike, key: &str, value: &Value) {
    let mut new = value.clone();
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        _ => {
            new.decor_mut().set_prefix(" ");
            table.insert(key, Item::Value(new));
        }
    }
}

fn edit(
    doc: &mut DocumentMut,
    q: &QuantityPath,
    value: &Value,
    ratings: &RatingScale,
) -> Result<(), String> {
    match q {
        QuantityPath::EvidenceWeight(id) => set(entry(doc, "evidence", id)?, "weight", value),
        QuantityPath::EvidenceStatus(id) => set(entry(doc, "evidence", id)?, "status", value),
        QuantityPath::EvidenceCredibility(id) => {
            let t = entry(doc, "evidence", id)?;
            if t.contains_key("hit_rate") || t.contains_key("false_alarm_rate") {
                return Err(format!(
                    "evidence `{id}` gives hit_rate and false_alarm_rate, so it has no credibility \
                     to tune; edit those by hand"
                ));
            }
            set(t, "credibility", value);
        }
        QuantityPath::EvidenceLikelihood {
            evidence: id,
            hypothesis: h,
        } => {
            let t = entry(doc, "evidence", id)?;
            let table = t
                .get_mut("likelihood")
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("evidence `{id}` has no likelihood table"))?;
            let number = value.as_float().is_some();
            match table.get_mut(h) {
                // A cell with a range, `{ value = 0.3, range = [...] }`: a number changes the
                // point only (the range is kept); a rating replaces the whole cell.
                Some(item)
                    if item
                        .as_table_like()
                        .is_some_and(|c| c.contains_key("value")) =>
                {
                    if number {
                        set(item.as_table_like_mut().expect("checked"), "value", value);
                    } else {
                        let decor = item.as_value().map(|v| v.decor().clone());
                        let mut new = value.clone();
                        if let Some(d) = decor {
                            *new.decor_mut() = d;
                        }
                        *item = Item::Value(new);
                    }
                }
                // A rating cell given a number keeps the rating's range, as `--set` does:
                // `{ value = 0.6, range = [0.5, 0.85] }`.
                Some(Item::Value(old)) if number => {
                    let rating = old
                        .as_str()
                        .and_then(Rating::parse)
                        .filter(|r| *r != Rating::NA);
                    let mut new = match rating {
                        Some(r) => {
                            let range = ratings.level(r).range;
                            let mut cell = InlineTable::new();
                            cell.insert("value", value.clone());
                            cell.insert("range", Value::from_iter([range.lo, range.hi]));
                            Value::InlineTable(cell)
                        }
                        None => value.clone(),
                    };
                    *new.decor_mut() = old.decor().clone();
                    *old = new;
                }
                _ => set(table, h, value),
            }
        }
        QuantityPath::HypothesisPrior(id) => set(entry(doc, "hypothesis", id)?, "prior", value),
        QuantityPath::GroupCorrelation(id) => set(entry(doc, "group", id)?, "correlation", value),
    }
    Ok(())
}

/// A unified diff (3 lines of context) of `before` → `after`, labelled `a/<label>` and
/// `b/<label>`; empty when the texts are equal.
pub fn unified_diff(label: &str, before: &str, after: &str) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    if a == b {
        return String::new();
    }
    // Longest common subsequence on the middle part (common prefix and suffix trimmed).
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let (n, m) = (am.len(), bm.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if am[i] == bm[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Ops: (tag, line index in a, line index in b); ' ' equal, '-' removed, '+' added.
    let mut ops: Vec<(char, usize, usize)> = (0..pre).map(|i| (' ', i, i)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && am[i] == bm[j] {
            ops.push((' ', pre + i, pre + j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', pre + i, pre + j));
            i += 1;
        } else {
            ops.push(('+', pre + i, pre + j));
            j += 1;
        }
    }
    ops.extend((0..suf).map(|k| (' ', a.len() - suf + k, b.len() - suf + k)));
    // Hunks: changes with 3 lines of context, merged when they touch.
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &k in &changed {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(ops.len());
        match hunks.last_mut() {
            Some(last) if lo <= last.1 => last.1 = hi,
            _ => hunks.push((lo, hi)),
        }
    }
    let mut out = format!("--- a/{label}\n+++ b/{label}\n");
    for (lo, hi) in hunks {
        let part = &ops[lo..hi];
        let a_len = part.iter().filter(|o| o.0 != '+').count();
        let b_len = part.iter().filter(|o| o.0 != '-').count();
        let start = |len: usize, idx: usize| if len == 0 { idx } else { idx + 1 };
        out += &format!(
            "@@ -{},{a_len} +{},{b_len} @@\n",
            start(a_len, part[0].1),
            start(b_len, part[0].2)
        );
        for &(tag, ia, ib) in part {
            let line = if tag == '+' { b[ib] } else { a[ia] };
            out += &format!("{tag}{line}\n");
        }
    }
    out
}
