//! `abduce tune`: change quantities in the case files themselves, keeping comments, order
//! and formatting (docs/workflow.md, "tune").
//!
//! An assignment is read exactly as `--set` reads it ([`overrides::parse_assignment`]) and
//! applied to a copy of the case by the what-if rules ([`variant`]): a new point moves its
//! range with it, a range alone keeps the point, an edge value drops the range. [`plan`]
//! then writes the copy's new points and ranges into the `toml_edit` documents of the files
//! that declare them (`case.files`, `Evidence::file`, `Group::file`) and returns the new
//! text of every touched file; nothing is written here. So an invalid value never reaches a
//! file, and the tuned files load as the case `--set` makes.

use std::path::PathBuf;

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::case::discover::CaseLocation;
use crate::case::overrides::{self, QuantityPath};
use crate::case::{Case, Cell, Credibility, Range};
use crate::error::{Bundled, Diagnostic, Error, Failure, Restored};
use crate::load;
use crate::output::write_atomic;
use crate::score::bayes;

/// One `PATH=VALUE` argument.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The argument as given.
    pub text: String,
    /// The assignment, read as `--set` reads it.
    pub assignment: overrides::Assignment,
}

impl Assignment {
    /// Parses `PATH=VALUE` exactly as `--set` does ([`overrides::parse_assignment`]).
    ///
    /// # Errors
    /// No `=` or a malformed path: [`Error::Usage`] (exit 2); a missing value, a value that
    /// is neither a TOML value nor a bare word, or one that breaks the rules of its
    /// quantity: [`Error::Input`] (exit 1).
    pub fn parse(text: &str) -> Result<Assignment, Error> {
        Ok(Assignment {
            text: text.to_string(),
            assignment: overrides::parse_assignment_by(text, "tune")?,
        })
    }

    /// The quantity.
    pub fn quantity(&self) -> &QuantityPath {
        &self.assignment.path
    }
}

/// The case with the assignments applied, as `--set` would apply them.
///
/// # Errors
/// Every assignment that does not suit the case ([`overrides::apply_assignments`]).
pub fn variant(case: &Case, assignments: &[Assignment]) -> Result<Case, Error> {
    let mut variant = case.clone();
    let list: Vec<overrides::Assignment> =
        assignments.iter().map(|a| a.assignment.clone()).collect();
    overrides::apply_assignments(&mut variant, &list).map_err(Error::Input)?;
    Ok(variant)
}

/// One quantity's point and range, before and after, for the before/after table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    /// The quantity's path (the point's path for a range assignment).
    pub quantity: String,
    /// Its point and range before (`1 [0.5, 1.5]`).
    pub before: String,
    /// After.
    pub after: String,
}

/// The quantities the assignments touch, each once in first-touched order, described in
/// `case` and in `variant`.
pub fn changes(case: &Case, variant: &Case, assignments: &[Assignment]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for a in assignments {
        let q = a.quantity().point();
        let name = q.to_string();
        if out.iter().any(|c| c.quantity == name) {
            continue;
        }
        out.push(Change {
            before: describe(case, &q),
            after: describe(variant, &q),
            quantity: name,
        });
    }
    out
}

/// A number for the before/after table: at most 4 decimals, trailing zeros dropped.
fn short(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn with_range(x: f64, r: Option<Range>) -> String {
    match r {
        Some(r) => format!("{} [{}, {}]", short(x), short(r.lo), short(r.hi)),
        None => short(x),
    }
}

/// A quantity's point and range as shown in the before/after table.
fn describe(case: &Case, q: &QuantityPath) -> String {
    let Ok(i) = overrides::target(case, q) else {
        return String::new();
    };
    match q {
        QuantityPath::EvidenceWeight(_) => {
            with_range(case.evidence[i].weight, case.evidence[i].weight_range)
        }
        QuantityPath::EvidenceCredibility(_) => match case.evidence[i].credibility {
            Credibility::Mixture { value, range, .. } => with_range(value, range),
            Credibility::Schum { .. } => "hit/false-alarm".into(),
        },
        QuantityPath::EvidenceStatus(_) => case.evidence[i].status.to_string(),
        QuantityPath::EvidenceLikelihood { hypothesis, .. } => {
            let k = case.hypothesis_index(hypothesis).unwrap_or(0);
            match case.evidence[i].likelihood[k] {
                Cell::Value { value, range } => with_range(value, range),
                Cell::Rating(r) => match case.cell_value(&Cell::Rating(r)) {
                    Some(x) => {
                        format!("{r} ({})", with_range(x, case.cell_range(&Cell::Rating(r))))
                    }
                    None => r.to_string(),
                },
            }
        }
        QuantityPath::HypothesisPrior(_) => {
            with_range(case.hypotheses[i].prior, case.hypotheses[i].prior_range)
        }
        QuantityPath::GroupCorrelation(_) => short(case.groups[i].correlation),
        _ => String::new(),
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
/// The bundled case (run `abduce init` first), every assignment that does not suit the case
/// (as `--set` reports it), a file that cannot be read or parsed, or a quantity the file does
/// not declare in a form tune can edit.
pub fn plan(case: &Case, assignments: &[Assignment]) -> Result<Vec<FileEdit>, Error> {
    if case.bundled {
        return Err(bundled_error());
    }
    let variant = variant(case, assignments)?;
    let mut docs: Vec<(usize, String, DocumentMut)> = Vec::new();
    for a in assignments {
        let file = file_of(case, a.quantity())?;
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
        edit(&mut docs[slot].2, case, &variant, &a.assignment)
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

/// Writes the planned edits (each file atomically), then reads the case back from
/// `location`: if a write fails, or the edited files do not load or do not give the
/// posteriors `expected` (those of the same assignments given as `--set`), every file is put
/// back as it was. Used by `abduce tune` and by the workbench's Save (`docs/workbench.md`).
///
/// # Errors
/// A file that cannot be written (nothing changed), or edited files that do not load or score
/// as expected (the old text restored).
pub fn write(location: &CaseLocation, edits: &[FileEdit], expected: &[f64]) -> Result<(), Error> {
    check_writable(edits)?;
    for (i, e) in edits.iter().enumerate() {
        if let Err(err) = write_atomic(&e.path, e.after.as_bytes()) {
            // Put back the files already written, so the case stays consistent.
            for done in &edits[..i] {
                let _ = write_atomic(&done.path, done.before.as_bytes());
            }
            return Err(Error::from(
                Diagnostic::error(format!("cannot write: {err} (nothing was changed)"))
                    .in_file(&e.path),
            ));
        }
    }
    // Read the case back: if the edited files do not load, or do not score as the validated
    // variant did, put the old text back.
    let reloaded = load::load(location).and_then(|l| bayes::score(&l.case));
    let problem = match reloaded {
        Err(err) => Some(Restored::DidNotLoad(Box::new(err))),
        Ok(s)
            if s.posteriors
                .iter()
                .zip(expected)
                .any(|(x, y)| (x - y).abs() > 1e-9) =>
        {
            Some(Restored::ScoredOtherwise)
        }
        Ok(_) => None,
    };
    if let Some(problem) = problem {
        for e in edits {
            let _ = write_atomic(&e.path, e.before.as_bytes());
        }
        return Err(Failure::Restored { because: problem }.into());
    }
    Ok(())
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
    Bundled::NotEditable.into()
}

fn file_of(case: &Case, q: &QuantityPath) -> Result<usize, Error> {
    let i = overrides::target(case, q).map_err(|e| Diagnostic::error(e.to_string()))?;
    let file = match q {
        QuantityPath::HypothesisPrior(_) | QuantityPath::HypothesisPriorRange(_) => 0,
        QuantityPath::GroupCorrelation(_) => case.groups[i].file,
        _ => case.evidence[i].file,
    };
    if file >= case.files.len() {
        return Err(Failure::UnlistedFile.into());
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
fn set(table: &mut dyn TableLike, key: &str, value: Value) {
    let mut new = value;
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

fn range_value(r: Range) -> Value {
    Value::from_iter([r.lo, r.hi])
}

/// The point as the analyst gave it: the label when one was given, else the number.
fn point_value(x: f64, value: &overrides::Value) -> Value {
    match value {
        overrides::Value::Number { label: Some(l), .. }
        | overrides::Value::PointRange { label: Some(l), .. } => Value::from(l.as_str()),
        _ => Value::from(x),
    }
}

/// Writes a point and its range into an item's table: the point when the assignment sets
/// it; the range key when the range changed (removed when the quantity became fixed).
fn write_pair(
    t: &mut Table,
    (point_key, range_key): (&str, &str),
    point: f64,
    (before, after): (Option<Range>, Option<Range>),
    value: &overrides::Value,
) {
    if value.sets_point() {
        set(t, point_key, point_value(point, value));
    }
    if before != after {
        match after {
            Some(r) => {
                let added = !t.contains_key(range_key);
                set(t, range_key, range_value(r));
                if added {
                    next_to(t, range_key, point_key);
                }
            }
            None => {
                t.remove(range_key);
            }
        }
    }
}

/// Moves the key-value `key` of `t` to just after `after` (when `t` has it), keeping the
/// order of the others: a range key added by `tune` stands next to its point.
fn next_to(t: &mut Table, key: &str, after: &str) {
    let mut order: Vec<String> = t
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| k != key)
        .collect();
    let Some(at) = order.iter().position(|k| k == after) else {
        return;
    };
    order.insert(at + 1, key.to_string());
    let rank = |k: &str| order.iter().position(|o| o == k);
    t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
}

/// Writes the new state of one assigned quantity (taken from `variant`) into `doc`.
fn edit(
    doc: &mut DocumentMut,
    case: &Case,
    variant: &Case,
    a: &overrides::Assignment,
) -> Result<(), String> {
    let i = overrides::target(case, &a.path).map_err(|e| e.to_string())?;
    match a.path.point() {
        QuantityPath::EvidenceWeight(id) => {
            let (old, new) = (&case.evidence[i], &variant.evidence[i]);
            write_pair(
                entry(doc, "evidence", &id)?,
                ("weight", "weight_range"),
                new.weight,
                (old.weight_range, new.weight_range),
                &a.value,
            );
        }
        QuantityPath::EvidenceCredibility(id) => {
            let range = |c: &Credibility| match *c {
                Credibility::Mixture { range, .. } => range,
                Credibility::Schum { .. } => None,
            };
            let old = range(&case.evidence[i].credibility);
            let new = range(&variant.evidence[i].credibility);
            let point = variant.evidence[i].credibility.value().unwrap_or(1.0);
            write_pair(
                entry(doc, "evidence", &id)?,
                ("credibility", "credibility_range"),
                point,
                (old, new),
                &a.value,
            );
        }
        QuantityPath::HypothesisPrior(id) => {
            let (old, new) = (&case.hypotheses[i], &variant.hypotheses[i]);
            write_pair(
                entry(doc, "hypothesis", &id)?,
                ("prior", "prior_range"),
                new.prior,
                (old.prior_range, new.prior_range),
                &a.value,
            );
        }
        QuantityPath::EvidenceStatus(id) => set(
            entry(doc, "evidence", &id)?,
            "status",
            Value::from(variant.evidence[i].status.as_str()),
        ),
        QuantityPath::GroupCorrelation(id) => set(
            entry(doc, "group", &id)?,
            "correlation",
            Value::from(variant.groups[i].correlation),
        ),
        QuantityPath::EvidenceLikelihood {
            evidence: id,
            hypothesis: h,
        } => {
            let k = case.hypothesis_index(&h).unwrap_or(0);
            let cell = variant.evidence[i].likelihood[k];
            let t = entry(doc, "evidence", &id)?;
            let table = t
                .get_mut("likelihood")
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("evidence `{id}` has no likelihood table"))?;
            match (cell, table.get_mut(&h)) {
                // A cell written `{ value = 0.3, range = [...] }` keeps its layout.
                (
                    Cell::Value {
                        value,
                        range: Some(r),
                    },
                    Some(item),
                ) if item
                    .as_table_like()
                    .is_some_and(|c| c.contains_key("value") && c.contains_key("range")) =>
                {
                    let c = item.as_table_like_mut().expect("checked");
                    set(c, "value", point_value(value, &a.value));
                    set(c, "range", range_value(r));
                }
                (cell, _) => {
                    let new = match cell {
                        Cell::Rating(r) => Value::from(r.as_str()),
                        Cell::Value { value, range: None } => point_value(value, &a.value),
                        Cell::Value {
                            value,
                            range: Some(r),
                        } => {
                            let mut t = InlineTable::new();
                            t.insert("value", point_value(value, &a.value));
                            t.insert("range", range_value(r));
                            Value::InlineTable(t)
                        }
                    };
                    set(table, &h, new);
                }
            }
        }
        other => return Err(format!("`{other}` cannot be tuned")),
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
