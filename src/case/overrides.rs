//! Analyst variants: `--set PATH=VALUE` and `--overlay FILE` (SPEC §6).
//!
//! A variant changes one quantity of a loaded [`Case`] for one run. The quantities are named
//! by a [`QuantityPath`]:
//!
//! ```text
//! evidence.<id>.weight          number ≥ 0 or high|medium|low
//! evidence.<id>.credibility     number in [0, 1] or high|medium|low (not for hit/false-alarm items)
//! evidence.<id>.status          observed|absent|pending|retracted
//! evidence.<id>.likelihood.<h>  number in [0, 1] or a rating CC|C|N|NA|I|II
//! hypothesis.<id>.prior         number > 0
//! group.<id>.correlation        number in [0, 1]
//! ```
//! A VALUE is a TOML value (`0.5`, `"C"`), or a bare word (`C`, `high`, `absent`). A new
//! point must lie inside the quantity's range, which is kept. An overlay file has the same
//! shape as TOML tables:
//!
//! ```toml
//! [evidence.sarchashma-arsenal]
//! weight = 0.5
//! [evidence.sarchashma-arsenal.likelihood]
//! etim = "I"
//! [hypothesis.isk]
//! prior = 2
//! [group.seized-arsenal]
//! correlation = 0.3
//! ```
//!
//! # Reuse
//! Programs that edit case files in place (`abduce tune`) can parse an assignment with
//! [`parse_assignment`], check it against the case with [`set`] (which validates exactly as
//! `--set` does), and find the TOML keys to edit with [`QuantityPath::keys`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::case::scales::{credibility_label, weight_label};
use crate::case::{Case, Cell, Credibility, CredibilityBasis, Range, Rating, Status};
use crate::error::{Diagnostic, Error, Position, did_you_mean};

/// Largest weight or prior weight a case may hold (SPEC §1.2).
const MAX_WEIGHT: f64 = 1e6;

/// A quantity of a case an analyst may change (SPEC §6). Its [`Display`](fmt::Display) is
/// the canonical path, e.g. `evidence.x.likelihood.etim`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QuantityPath {
    /// `evidence.<id>.weight`.
    EvidenceWeight(String),
    /// `evidence.<id>.credibility`.
    EvidenceCredibility(String),
    /// `evidence.<id>.status`.
    EvidenceStatus(String),
    /// `evidence.<id>.likelihood.<hypothesis>`.
    EvidenceLikelihood {
        /// Evidence id.
        evidence: String,
        /// Hypothesis id.
        hypothesis: String,
    },
    /// `hypothesis.<id>.prior`.
    HypothesisPrior(String),
    /// `group.<id>.correlation`.
    GroupCorrelation(String),
}

const PATH_FORMS: &str = "evidence.<id>.weight, evidence.<id>.credibility, evidence.<id>.status, \
     evidence.<id>.likelihood.<hypothesis>, hypothesis.<id>.prior or group.<id>.correlation";

fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl QuantityPath {
    /// The TOML keys of the path, outermost first (`["evidence", "x", "likelihood", "etim"]`):
    /// the table path in an overlay, and the keys to follow in an evidence file's item.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            QuantityPath::EvidenceWeight(id) => vec!["evidence", id, "weight"],
            QuantityPath::EvidenceCredibility(id) => vec!["evidence", id, "credibility"],
            QuantityPath::EvidenceStatus(id) => vec!["evidence", id, "status"],
            QuantityPath::EvidenceLikelihood {
                evidence,
                hypothesis,
            } => vec!["evidence", evidence, "likelihood", hypothesis],
            QuantityPath::HypothesisPrior(id) => vec!["hypothesis", id, "prior"],
            QuantityPath::GroupCorrelation(id) => vec!["group", id, "correlation"],
        }
    }

    /// Builds a path from its keys (the inverse of [`QuantityPath::keys`]).
    ///
    /// # Errors
    /// A message naming the problem when the keys do not form one of the six paths.
    pub fn from_keys(keys: &[&str]) -> Result<QuantityPath, String> {
        if let Some(bad) = keys.iter().skip(1).step_by(2).find(|k| !valid_id(k)) {
            return Err(format!(
                "`{bad}` is not an id (ids match [A-Za-z][A-Za-z0-9_-]*)"
            ));
        }
        let s = |x: &str| x.to_string();
        Ok(match keys {
            ["evidence", id, "weight"] => QuantityPath::EvidenceWeight(s(id)),
            ["evidence", id, "credibility"] => QuantityPath::EvidenceCredibility(s(id)),
            ["evidence", id, "status"] => QuantityPath::EvidenceStatus(s(id)),
            ["evidence", id, "likelihood", h] if valid_id(h) => QuantityPath::EvidenceLikelihood {
                evidence: s(id),
                hypothesis: s(h),
            },
            ["hypothesis", id, "prior"] => QuantityPath::HypothesisPrior(s(id)),
            ["group", id, "correlation"] => QuantityPath::GroupCorrelation(s(id)),
            _ => return Err(format!("{}expected {PATH_FORMS}", path_hint(keys))),
        })
    }
}

/// "unknown field `wieght` (did you mean `weight`?); " for a near miss, else "".
fn path_hint(keys: &[&str]) -> String {
    let kinds = ["evidence", "hypothesis", "group"];
    let fields: &[&str] = match keys.first() {
        Some(&"evidence") => &["weight", "credibility", "status", "likelihood"],
        Some(&"hypothesis") => &["prior"],
        Some(&"group") => &["correlation"],
        Some(k) => {
            return did_you_mean(k, kinds).map_or(String::new(), |s| {
                format!("unknown `{k}` (did you mean `{s}`?); ")
            });
        }
        None => return String::new(),
    };
    match keys.get(2) {
        Some(f) if !fields.contains(f) => did_you_mean(f, fields.iter().copied())
            .map_or(String::new(), |s| {
                format!("unknown field `{f}` (did you mean `{s}`?); ")
            }),
        _ => String::new(),
    }
}

impl FromStr for QuantityPath {
    type Err = String;

    /// Parses `evidence.x.weight` and the other forms of SPEC §6.
    fn from_str(s: &str) -> Result<QuantityPath, String> {
        let keys: Vec<&str> = s.split('.').collect();
        QuantityPath::from_keys(&keys).map_err(|m| format!("malformed path `{s}`: {m}"))
    }
}

impl fmt::Display for QuantityPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.keys().join("."))
    }
}

/// Parses a VALUE: a TOML value (`0.5`, `2`, `"C"`), or a bare word (`C`, `high`) as a string.
///
/// # Errors
/// [`Error::Input`] when the text is neither.
pub fn parse_value(text: &str) -> Result<toml::Value, Error> {
    let text = text.trim();
    if let Ok(mut t) = format!("v = {text}").parse::<toml::Table>()
        && let Some(v) = t.remove("v")
    {
        return Ok(v);
    }
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Ok(toml::Value::String(text.to_string()));
    }
    Err(Error::msg(format!("`{text}` is not a valid value")))
}

/// Parses one `PATH=VALUE` assignment as given to `--set`.
///
/// # Errors
/// [`Error::Usage`] (exit 2) for a missing `=` or a malformed PATH; [`Error::Input`]
/// (exit 1) for a VALUE that is not a TOML value or bare word. Whether the ids exist and
/// the value is valid for the quantity is checked by [`set`].
pub fn parse_assignment(s: &str) -> Result<(QuantityPath, toml::Value), Error> {
    let Some((path, value)) = s.split_once('=') else {
        return Err(Error::Usage(format!(
            "--set `{s}`: expected PATH=VALUE, with PATH one of {PATH_FORMS}"
        )));
    };
    let path = path
        .trim()
        .parse::<QuantityPath>()
        .map_err(|m| Error::Usage(format!("--set `{s}`: {m}")))?;
    let value = parse_value(value).map_err(|_| {
        Error::msg(format!(
            "--set `{s}`: `{}` is not a valid value",
            value.trim()
        ))
    })?;
    Ok((path, value))
}

fn number(v: &toml::Value) -> Option<f64> {
    match *v {
        toml::Value::Integer(i) => Some(i as f64),
        toml::Value::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

fn check_range(what: &str, x: f64, range: Option<Range>) -> Result<(), String> {
    match range {
        Some(r) if !(r.lo <= x && x <= r.hi) => Err(format!(
            "{what} {x} is outside its range [{}, {}] (the range is kept; change it in the file)",
            r.lo, r.hi
        )),
        _ => Ok(()),
    }
}

/// Why [`set`] refused an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetError {
    /// An id of the path names nothing in the case; `key` is its index in
    /// [`QuantityPath::keys`] (1 for the item, hypothesis or group, 3 for the hypothesis of a
    /// likelihood cell). The message has a "did you mean" when a near miss exists.
    UnknownId {
        /// The message.
        message: String,
        /// Index of the offending key.
        key: usize,
    },
    /// The value does not suit the quantity.
    InvalidValue(String),
}

impl fmt::Display for SetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::UnknownId { message, .. } | SetError::InvalidValue(message) => {
                f.write_str(message)
            }
        }
    }
}

impl From<String> for SetError {
    fn from(message: String) -> SetError {
        SetError::InvalidValue(message)
    }
}

/// The loader's message for an unknown reference: "did you mean" for a near miss, else the
/// ids the case declares.
fn unknown(kind: &str, id: &str, ids: Vec<&str>, key: usize) -> SetError {
    SetError::UnknownId {
        message: super::messages::msg::unknown_ref(kind, id, &ids),
        key,
    }
}

fn evidence_index(case: &Case, id: &str) -> Result<usize, SetError> {
    case.evidence_index(id).ok_or_else(|| {
        unknown(
            "evidence item",
            id,
            case.evidence.iter().map(|e| e.id.as_str()).collect(),
            1,
        )
    })
}

fn hypothesis_index(case: &Case, id: &str, key: usize) -> Result<usize, SetError> {
    case.hypothesis_index(id).ok_or_else(|| {
        unknown(
            "hypothesis",
            id,
            case.hypotheses.iter().map(|h| h.id.as_str()).collect(),
            key,
        )
    })
}

/// The index of what declares the quantity: its evidence item (in `case.evidence`), its
/// hypothesis (in `case.hypotheses`) or its group (in `case.groups`).
///
/// # Errors
/// [`SetError::UnknownId`] for an id of the path that names nothing in the case (with "did
/// you mean"), including the hypothesis of a likelihood cell.
pub fn target(case: &Case, path: &QuantityPath) -> Result<usize, SetError> {
    match path {
        QuantityPath::EvidenceWeight(id)
        | QuantityPath::EvidenceCredibility(id)
        | QuantityPath::EvidenceStatus(id) => evidence_index(case, id),
        QuantityPath::EvidenceLikelihood {
            evidence,
            hypothesis,
        } => {
            let e = evidence_index(case, evidence)?;
            hypothesis_index(case, hypothesis, 3)?;
            Ok(e)
        }
        QuantityPath::HypothesisPrior(id) => hypothesis_index(case, id, 1),
        QuantityPath::GroupCorrelation(id) => case.group_index(id).ok_or_else(|| {
            unknown(
                "group",
                id,
                case.groups.iter().map(|g| g.id.as_str()).collect(),
                1,
            )
        }),
    }
}

/// Sets one quantity of the case, validating the value as the loader would.
///
/// # Errors
/// A plain message (no file, no position) for an unknown id (with "did you mean"), a value
/// of the wrong kind or outside its bounds or range, or a credibility set on an item given a
/// hit rate and a false-alarm rate. The case is unchanged on error.
pub fn set(case: &mut Case, path: &QuantityPath, value: &toml::Value) -> Result<(), SetError> {
    let bad = |expected: &str| format!("{path} = {}: expected {expected}", describe(value));
    match path {
        QuantityPath::EvidenceWeight(id) => {
            let e = evidence_index(case, id)?;
            let w = match value {
                toml::Value::String(s) => weight_label(s),
                v => number(v).filter(|&x| (0.0..=MAX_WEIGHT).contains(&x)),
            }
            .ok_or_else(|| bad("a number in [0, 1e6] or high, medium, low"))?;
            check_range(&format!("{path}: weight"), w, case.evidence[e].weight_range)?;
            case.evidence[e].weight = w;
        }
        QuantityPath::EvidenceCredibility(id) => {
            let e = evidence_index(case, id)?;
            let c = match value {
                toml::Value::String(s) => credibility_label(s),
                v => number(v).filter(|&x| (0.0..=1.0).contains(&x)),
            }
            .ok_or_else(|| bad("a number in [0, 1] or high, medium, low"))?;
            match &mut case.evidence[e].credibility {
                Credibility::Schum { .. } => {
                    return Err(SetError::InvalidValue(format!(
                        "{path}: item `{id}` gives hit_rate and false_alarm_rate, not a \
                         credibility; its credibility cannot be set"
                    )));
                }
                Credibility::Mixture {
                    value,
                    range,
                    basis,
                    ..
                } => {
                    check_range(&format!("{path}: credibility"), c, *range)?;
                    *value = c;
                    *basis = CredibilityBasis::Explicit;
                }
            }
        }
        QuantityPath::EvidenceStatus(id) => {
            let e = evidence_index(case, id)?;
            let status = value
                .as_str()
                .and_then(Status::parse)
                .ok_or_else(|| bad("observed, absent, pending or retracted"))?;
            case.evidence[e].status = status;
        }
        QuantityPath::EvidenceLikelihood {
            evidence,
            hypothesis,
        } => {
            let e = evidence_index(case, evidence)?;
            let k = hypothesis_index(case, hypothesis, 3)?;
            let old = case.evidence[e].likelihood[k];
            let new = match value {
                toml::Value::String(s) => Cell::Rating(
                    Rating::parse(s)
                        .ok_or_else(|| bad("a number in [0, 1] or a rating CC, C, N, NA, I, II"))?,
                ),
                v => {
                    let x = number(v)
                        .filter(|x| (0.0..=1.0).contains(x))
                        .ok_or_else(|| bad("a number in [0, 1] or a rating CC, C, N, NA, I, II"))?;
                    let range = match old {
                        Cell::Value { range, .. } => range,
                        Cell::Rating(Rating::NA) => None,
                        Cell::Rating(r) => Some(case.ratings.level(r).range),
                    };
                    check_range(&format!("{path}: likelihood"), x, range)?;
                    Cell::Value { value: x, range }
                }
            };
            case.evidence[e].likelihood[k] = new;
        }
        QuantityPath::HypothesisPrior(id) => {
            let k = hypothesis_index(case, id, 1)?;
            let p = number(value)
                .filter(|&x| x > 0.0 && x <= MAX_WEIGHT)
                .ok_or_else(|| bad("a number > 0 and at most 1e6"))?;
            check_range(
                &format!("{path}: prior weight"),
                p,
                case.hypotheses[k].prior_range,
            )?;
            case.hypotheses[k].prior = p;
        }
        QuantityPath::GroupCorrelation(_) => {
            let g = target(case, path)?;
            let rho = number(value)
                .filter(|x| (0.0..=1.0).contains(x))
                .ok_or_else(|| bad("a number in [0, 1]"))?;
            case.groups[g].correlation = rho;
        }
    }
    Ok(())
}

/// One assignment of an overlay file, with the byte range of its value in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The quantity.
    pub path: QuantityPath,
    /// The new value.
    pub value: toml::Value,
    /// Byte range of the value in the overlay file, for diagnostics.
    pub span: Option<Span>,
    /// Byte ranges of the path's keys in the file (parallel to [`QuantityPath::keys`]), so
    /// that an unknown id is shown where it is written.
    pub key_spans: Vec<Option<Span>>,
}

/// A diagnostic about `file`, at `span` of `text` when known.
fn located(msg: String, file: &Path, text: &str, span: Option<Span>) -> Diagnostic {
    let d = Diagnostic::error(msg).in_file(file);
    match span {
        Some(s) => d.at(Position::from_span(text, s.start, s.end)),
        None => d,
    }
}

/// A byte range in an overlay file.
type Span = std::ops::Range<usize>;

/// Keys, value and key spans of one overlay entry.
type Entry<'a> = (Vec<&'a str>, &'a toml_edit::Item, Vec<Option<Span>>);

/// The assignments of an overlay file, in file order.
///
/// # Errors
/// Every problem of the file (TOML syntax, unknown tables or fields with "did you mean", a
/// field that is not a value), each as a diagnostic at its line and column in `file`.
pub fn overlay_assignments(text: &str, file: &Path) -> Result<Vec<Assignment>, Error> {
    let doc = toml_edit::Document::parse(text)
        .map_err(|e| located(e.message().trim().to_string(), file, text, e.span()))?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let key_span =
        |t: &dyn toml_edit::TableLike, k: &str| t.get_key_value(k).and_then(|(key, _)| key.span());
    let root = doc.as_table();
    for (kind, ids) in root.iter() {
        let mut complain = |msg: String, span| problems.push(located(msg, file, text, span));
        let fields: &[&str] = match kind {
            "evidence" => &["weight", "credibility", "status", "likelihood"],
            "hypothesis" => &["prior"],
            "group" => &["correlation"],
            other => {
                let hint = did_you_mean(other, ["evidence", "hypothesis", "group"])
                    .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                complain(
                    format!(
                        "unknown table `{other}`{hint}: an overlay holds [evidence.<id>], \
                         [hypothesis.<id>] and [group.<id>] tables"
                    ),
                    key_span(root, other),
                );
                continue;
            }
        };
        let Some(ids) = ids.as_table_like() else {
            complain(
                format!("`{kind}` must be a table of [{kind}.<id>] tables"),
                ids.span().or_else(|| key_span(root, kind)),
            );
            continue;
        };
        for (id, body) in ids.iter() {
            let Some(body) = body.as_table_like() else {
                complain(format!("`{kind}.{id}` must be a table"), key_span(ids, id));
                continue;
            };
            for (field, item) in body.iter() {
                if !fields.contains(&field) {
                    let hint = did_you_mean(field, fields.iter().copied())
                        .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                    complain(
                        format!(
                            "unknown field `{kind}.{id}.{field}`{hint}; expected one of {}",
                            fields.join(", ")
                        ),
                        key_span(body, field),
                    );
                    continue;
                }
                let spans = vec![
                    key_span(root, kind),
                    key_span(ids, id),
                    key_span(body, field),
                ];
                let entries: Vec<Entry> = if field == "likelihood" {
                    match item.as_table_like() {
                        Some(t) => t
                            .iter()
                            .map(|(h, v)| {
                                let mut spans = spans.clone();
                                spans.push(key_span(t, h));
                                (vec![kind, id, field, h], v, spans)
                            })
                            .collect(),
                        None => {
                            complain(
                                format!(
                                    "`{kind}.{id}.likelihood` must be a table of hypothesis = value"
                                ),
                                item.span().or_else(|| key_span(body, field)),
                            );
                            continue;
                        }
                    }
                } else {
                    vec![(vec![kind, id, field], item, spans)]
                };
                for (keys, item, key_spans) in entries {
                    let span = item.span();
                    let value = item
                        .as_value()
                        .and_then(|v| parse_value(&v.to_string()).ok());
                    match (QuantityPath::from_keys(&keys), value) {
                        (Ok(path), Some(value)) => out.push(Assignment {
                            path,
                            value,
                            span,
                            key_spans,
                        }),
                        (Err(m), _) => complain(format!("`{}`: {m}", keys.join(".")), span),
                        (_, None) => {
                            complain(format!("`{}` must be a value", keys.join(".")), span)
                        }
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(problems))
    }
}

/// Applies overlays in order, then `--set` assignments in order (later wins).
///
/// # Errors
/// A malformed `--set` PATH is [`Error::Usage`] (exit 2), listing every malformed one;
/// otherwise every other problem (unreadable or invalid overlay, unknown id with "did you
/// mean", invalid value) is collected into one [`Error::Input`] (exit 1).
pub fn apply(case: &mut Case, overlays: &[PathBuf], sets: &[String]) -> Result<(), Error> {
    let mut usage = Vec::new();
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for s in sets {
        match parse_assignment(s) {
            Ok(a) => parsed.push((s, a)),
            Err(Error::Usage(m)) => usage.push(m),
            Err(Error::Input(d)) => problems.extend(d),
        }
    }
    if !usage.is_empty() {
        return Err(Error::Usage(usage.join("\nabduce: error: ")));
    }
    for file in overlays {
        let text = match crate::limits::read_text(file) {
            Ok(t) => t,
            Err(e) => {
                problems
                    .push(Diagnostic::error(format!("cannot read the overlay: {e}")).in_file(file));
                continue;
            }
        };
        match overlay_assignments(&text, file) {
            Ok(list) => {
                for a in list {
                    if let Err(err) = set(case, &a.path, &a.value) {
                        let span = match &err {
                            SetError::UnknownId { key, .. } => {
                                a.key_spans.get(*key).cloned().flatten().or(a.span)
                            }
                            SetError::InvalidValue(_) => a.span,
                        };
                        problems.push(located(err.to_string(), file, &text, span));
                    }
                }
            }
            Err(Error::Input(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    for (raw, (path, value)) in parsed {
        if let Err(m) = set(case, &path, &value) {
            problems.push(Diagnostic::error(format!("--set `{raw}`: {m}")));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Evidence, Group};

    fn case() -> Case {
        let mut case = Case::new("t", &[("isk", 1.0), ("etim", 1.0)]);
        case.hypotheses[0].prior_range = Some(Range { lo: 0.5, hi: 2.0 });
        case.groups.push(Group {
            id: "arsenal".into(),
            correlation: 0.6,
            file: 0,
        });
        let mut e = Evidence::new("rifles", &[0.4, 0.7]);
        e.weight_range = Some(Range { lo: 0.5, hi: 1.5 });
        e.likelihood[1] = Cell::Rating(Rating::C);
        e.credibility = Credibility::Mixture {
            value: 0.8,
            range: Some(Range { lo: 0.6, hi: 0.9 }),
            basis: CredibilityBasis::Admiralty,
        };
        case.evidence.push(e);
        let mut s = Evidence::new("schum", &[0.5, 0.5]);
        s.credibility = Credibility::Schum {
            hit_rate: 0.9,
            false_alarm_rate: 0.1,
        };
        case.evidence.push(s);
        case
    }

    fn sets(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn targets_name_the_declaring_item_hypothesis_or_group() {
        let c = case();
        let t = |p: &str| target(&c, &p.parse().unwrap());
        assert_eq!(t("evidence.schum.weight"), Ok(1));
        assert_eq!(t("evidence.rifles.likelihood.etim"), Ok(0));
        assert_eq!(t("hypothesis.etim.prior"), Ok(1));
        assert_eq!(t("group.arsenal.correlation"), Ok(0));
        assert_eq!(
            t("evidence.rifles.likelihood.etm"),
            Err(SetError::UnknownId {
                message: "unknown hypothesis `etm`; did you mean `etim`?".into(),
                key: 3
            })
        );
        // No near miss (too short to guess at): the message lists what the case declares.
        assert_eq!(
            t("hypothesis.h9.prior").unwrap_err().to_string(),
            format!(
                "unknown hypothesis `h9`; the case declares {}",
                c.hypotheses
                    .iter()
                    .map(|h| format!("`{}`", h.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
        assert_eq!(
            t("group.arsenl.correlation").unwrap_err().to_string(),
            "unknown group `arsenl`; did you mean `arsenal`?"
        );
    }

    #[test]
    fn every_path() {
        let mut c = case();
        apply(
            &mut c,
            &[],
            &sets(&[
                "evidence.rifles.weight=1.2",
                "evidence.rifles.credibility = high",
                "evidence.rifles.status=absent",
                "evidence.rifles.likelihood.isk=\"II\"",
                "evidence.rifles.likelihood.etim=0.6",
                "hypothesis.isk.prior=2",
                "group.arsenal.correlation=0.3",
                "evidence.schum.weight=low",
            ]),
        )
        .unwrap();
        let e = &c.evidence[0];
        assert_eq!(e.weight, 1.2);
        assert_eq!(
            e.credibility,
            Credibility::Mixture {
                value: 0.9,
                range: Some(Range { lo: 0.6, hi: 0.9 }),
                basis: CredibilityBasis::Explicit
            }
        );
        assert_eq!(e.status, Status::Absent);
        assert_eq!(e.likelihood[0], Cell::Rating(Rating::II));
        // The C rating's range [0.5, 0.85] is kept with the new point.
        assert_eq!(
            e.likelihood[1],
            Cell::Value {
                value: 0.6,
                range: Some(Range { lo: 0.5, hi: 0.85 })
            }
        );
        assert_eq!(c.hypotheses[0].prior, 2.0);
        assert_eq!(c.groups[0].correlation, 0.3);
        assert_eq!(c.evidence[1].weight, std::f64::consts::FRAC_1_SQRT_2);
    }

    #[test]
    fn malformed_path_is_a_usage_error() {
        let err = apply(&mut case(), &[], &sets(&["evidence.rifles.wieght=1"])).unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown field `wieght` (did you mean `weight`?)"),
            "{err}"
        );
        for bad in [
            "evidence.rifles.wieght=1",
            "evidence.rifles=1",
            "weight=1",
            "evidence.rifles.likelihood=0.5",
            "evidence.1x.weight=1",
            "evidence.rifles.weight",
        ] {
            let err = apply(&mut case(), &[], &sets(&[bad])).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}: {err}");
        }
    }

    #[test]
    fn unknown_ids_and_bad_values_are_reported_together() {
        let mut c = case();
        let err = apply(
            &mut c,
            &[],
            &sets(&[
                "evidence.rifle.weight=1",
                "evidence.rifles.likelihood.iskk=0.5",
                "evidence.rifles.weight=3",
                "evidence.rifles.credibility=1.5",
                "evidence.schum.credibility=0.5",
                "evidence.rifles.status=seen",
                "group.arsenal.correlation=true",
                "hypothesis.isk.prior=0",
                "evidence.rifles.likelihood.etim=0.3",
                "evidence.rifles.weight=[1",
            ]),
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 1);
        let text = err.to_string();
        for needle in [
            "unknown evidence item `rifle`; did you mean `rifles`?",
            "unknown hypothesis `iskk`; did you mean `isk`?",
            "weight 3 is outside its range [0.5, 1.5]",
            "evidence.rifles.credibility = `1.5`: expected a number in [0, 1]",
            "item `schum` gives hit_rate and false_alarm_rate",
            "`seen`: expected observed, absent, pending or retracted",
            "`true`: expected a number in [0, 1]",
            "hypothesis.isk.prior = `0`",
            "likelihood 0.3 is outside its range [0.5, 0.85]",
            "`[1` is not a valid value",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
        // Nothing was changed by the failed assignments.
        assert_eq!(c.evidence[0].weight, 1.0);
    }

    #[test]
    fn overlays_then_sets_later_wins() {
        let dir = std::env::temp_dir().join(format!("abduce-overlay-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("variant.toml");
        std::fs::write(
            &file,
            "[evidence.rifles]\nweight = 0.5\nstatus = \"pending\"\n\
             [evidence.rifles.likelihood]\netim = \"I\"\n\
             [hypothesis.isk]\nprior = 1.5\n[group.arsenal]\ncorrelation = 1\n",
        )
        .unwrap();
        let mut c = case();
        apply(
            &mut c,
            std::slice::from_ref(&file),
            &sets(&["evidence.rifles.weight=1.5"]),
        )
        .unwrap();
        assert_eq!(c.evidence[0].weight, 1.5);
        assert_eq!(c.evidence[0].status, Status::Pending);
        assert_eq!(c.evidence[0].likelihood[1], Cell::Rating(Rating::I));
        assert_eq!(c.hypotheses[0].prior, 1.5);
        assert_eq!(c.groups[0].correlation, 1.0);

        std::fs::write(
            &file,
            "[evidence.rifles]\nwieght = 0.5\n[hypotheses.isk]\nprior = 1\n",
        )
        .unwrap();
        let err = apply(&mut case(), std::slice::from_ref(&file), &[]).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        let text = err.to_string();
        assert!(
            text.contains(
                "variant.toml:2:1: error: unknown field `evidence.rifles.wieght` (did you mean `weight`?)"
            ),
            "{text}"
        );
        assert!(text.contains(
            "variant.toml:3:2: error: unknown table `hypotheses` (did you mean `hypothesis`?)"
        ));

        // A bad value is reported at its place, with the line and a caret.
        std::fs::write(&file, "[group.arsenal]\ncorrelation = 1.5\n").unwrap();
        let err = apply(&mut case(), std::slice::from_ref(&file), &[]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("variant.toml:2:15: error: group.arsenal.correlation = `1.5`: expected a number in [0, 1]\n  |\n2 | correlation = 1.5\n  |               ^^^"),
            "{text}"
        );
        // An unknown id is shown where it is written, with "did you mean".
        std::fs::write(
            &file,
            "[group.arsenl]\ncorrelation = 0.3\n[evidence.rifles.likelihood]\nisc = 0.5\n",
        )
        .unwrap();
        let err = apply(&mut case(), std::slice::from_ref(&file), &[]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "variant.toml:1:8: error: unknown group `arsenl`; did you mean `arsenal`?"
            ),
            "{text}"
        );
        assert!(
            text.contains("variant.toml:4:1: error: unknown hypothesis `isc`; did you mean `isk`?"),
            "{text}"
        );
        // TOML syntax errors carry their position too.
        std::fs::write(&file, "[group.arsenal]\ncorrelation = \n").unwrap();
        let err = apply(&mut case(), std::slice::from_ref(&file), &[]).unwrap_err();
        assert!(err.to_string().contains("variant.toml:2:"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn paths_round_trip() {
        let p: QuantityPath = "evidence.x.likelihood.etim".parse().unwrap();
        assert_eq!(p.keys(), ["evidence", "x", "likelihood", "etim"]);
        assert_eq!(p.to_string(), "evidence.x.likelihood.etim");
        let (p, v) = parse_assignment("hypothesis.h.prior = 2").unwrap();
        assert_eq!(p, QuantityPath::HypothesisPrior("h".into()));
        assert_eq!(v, toml::Value::Integer(2));
        assert_eq!(parse_value("C").unwrap(), toml::Value::String("C".into()));
        assert_eq!(
            parse_value("\"high\"").unwrap(),
            toml::Value::String("high".into())
        );
    }
}
