//! Analyst variants: `--set PATH=VALUE` and `--overlay FILE` (docs/format.md, "What-ifs").
//!
//! A variant changes quantities of a loaded [`Case`] for one run, carrying the analyst's
//! uncertainty with it. The quantities are named by a [`QuantityPath`]:
//!
//! ```text
//! evidence.<id>.weight              number ≥ 0, high|medium|low, or { value, range }
//! evidence.<id>.weight_range        [lo, hi]
//! evidence.<id>.credibility         number in [0, 1], high|medium|low, or { value, range }
//! evidence.<id>.credibility_range   [lo, hi]
//! evidence.<id>.status              observed|absent|pending|retracted
//! evidence.<id>.likelihood.<h>      number in [0, 1], rating CC|C|N|NA|I|II, [lo, hi] or { value, range }
//! hypothesis.<id>.prior             number > 0 or { value, range }
//! hypothesis.<id>.prior_range       [lo, hi]
//! group.<id>.correlation            number in [0, 1]
//! ```
//! A new point moves the quantity's range with it (on the logit scale for likelihoods and
//! credibilities, on the ln scale for weights and priors, [`Domain::shift`]); an edge value
//! (a probability of 0 or 1, a weight of 0) fixes the quantity; a range alone keeps the
//! point; `{ value, range }` sets both. Values obey the rules of `case::values`,
//! with the loader's messages. An overlay file has the same shape as TOML tables:
//!
//! ```toml
//! [evidence.sarchashma-arsenal]
//! weight = 0.5
//! weight_range = [0.25, 1.0]          # with `weight`: the point and its range together
//! [evidence.sarchashma-arsenal.likelihood]
//! etim = "I"
//! [hypothesis.isk]
//! prior = 2
//! [group.seized-arsenal]
//! correlation = 0.3
//! ```
//!
//! # API
//! [`parse_assignment`] reads one `PATH=VALUE`, [`overlay_assignments`] the assignments of
//! an overlay file; [`apply_assignments`] applies a list of them in order and returns every
//! problem at once, each naming its assignment (and its overlay `file:line:column`);
//! [`apply`] is the command line's entry point (overlays, then `--set`s). [`set`] applies
//! one parsed [`Value`] to one quantity.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use toml::de::{DeTable, DeValue};

use super::messages::msg;
use super::raw::{self, RangeKind, Rule};
use super::values::{self, Domain};
use crate::case::{Case, Cell, Credibility, CredibilityBasis, Range, Rating, Status};
use crate::error::{Diagnostic, Error, Position, Suggestion, did_you_mean};

/// A quantity of a case an analyst may change (docs/format.md, "What-ifs"). Its
/// [`Display`](fmt::Display) is the canonical path, e.g. `evidence.x.likelihood.etim`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QuantityPath {
    /// `evidence.<id>.weight`.
    EvidenceWeight(String),
    /// `evidence.<id>.weight_range`.
    EvidenceWeightRange(String),
    /// `evidence.<id>.credibility`.
    EvidenceCredibility(String),
    /// `evidence.<id>.credibility_range`.
    EvidenceCredibilityRange(String),
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
    /// `hypothesis.<id>.prior_range`.
    HypothesisPriorRange(String),
    /// `group.<id>.correlation`.
    GroupCorrelation(String),
}

const PATH_FORMS: &str = "evidence.<id>.weight, .weight_range, .credibility, \
     .credibility_range, .status, .likelihood.<hypothesis>; hypothesis.<id>.prior, \
     .prior_range; or group.<id>.correlation";

/// The fields of each table kind, in the order of the paths.
const EVIDENCE_FIELDS: [&str; 6] = [
    "weight",
    "weight_range",
    "credibility",
    "credibility_range",
    "status",
    "likelihood",
];
const HYPOTHESIS_FIELDS: [&str; 2] = ["prior", "prior_range"];
const GROUP_FIELDS: [&str; 1] = ["correlation"];

/// A point key and its range key, which an overlay table may give together.
const PAIRS: [(&str, &str); 3] = [
    ("weight", "weight_range"),
    ("credibility", "credibility_range"),
    ("prior", "prior_range"),
];

fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl QuantityPath {
    /// The TOML keys of the path, outermost first (`["evidence", "x", "likelihood", "etim"]`):
    /// the table path in an overlay, and the keys to follow in an evidence file's item.
    pub fn keys(&self) -> Vec<&str> {
        use QuantityPath as Q;
        match self {
            Q::EvidenceWeight(id) => vec!["evidence", id, "weight"],
            Q::EvidenceWeightRange(id) => vec!["evidence", id, "weight_range"],
            Q::EvidenceCredibility(id) => vec!["evidence", id, "credibility"],
            Q::EvidenceCredibilityRange(id) => vec!["evidence", id, "credibility_range"],
            Q::EvidenceStatus(id) => vec!["evidence", id, "status"],
            Q::EvidenceLikelihood {
                evidence,
                hypothesis,
            } => vec!["evidence", evidence, "likelihood", hypothesis],
            Q::HypothesisPrior(id) => vec!["hypothesis", id, "prior"],
            Q::HypothesisPriorRange(id) => vec!["hypothesis", id, "prior_range"],
            Q::GroupCorrelation(id) => vec!["group", id, "correlation"],
        }
    }

    /// Builds a path from its keys (the inverse of [`QuantityPath::keys`]).
    ///
    /// # Errors
    /// A message naming the problem when the keys do not form one of the paths.
    pub fn from_keys(keys: &[&str]) -> Result<QuantityPath, String> {
        use QuantityPath as Q;
        if let Some(bad) = keys.iter().skip(1).step_by(2).find(|k| !valid_id(k)) {
            return Err(format!(
                "`{bad}` is not an id (ids match [A-Za-z][A-Za-z0-9_-]*)"
            ));
        }
        let s = |x: &str| x.to_string();
        Ok(match keys {
            ["evidence", id, "weight"] => Q::EvidenceWeight(s(id)),
            ["evidence", id, "weight_range"] => Q::EvidenceWeightRange(s(id)),
            ["evidence", id, "credibility"] => Q::EvidenceCredibility(s(id)),
            ["evidence", id, "credibility_range"] => Q::EvidenceCredibilityRange(s(id)),
            ["evidence", id, "status"] => Q::EvidenceStatus(s(id)),
            ["evidence", id, "likelihood", h] if valid_id(h) => Q::EvidenceLikelihood {
                evidence: s(id),
                hypothesis: s(h),
            },
            ["hypothesis", id, "prior"] => Q::HypothesisPrior(s(id)),
            ["hypothesis", id, "prior_range"] => Q::HypothesisPriorRange(s(id)),
            ["group", id, "correlation"] => Q::GroupCorrelation(s(id)),
            _ => return Err(format!("{}expected {PATH_FORMS}", path_hint(keys))),
        })
    }

    /// The path of the point this path's range belongs to (`evidence.x.weight` for
    /// `evidence.x.weight_range`); the path itself for every other path.
    pub fn point(&self) -> QuantityPath {
        use QuantityPath as Q;
        match self {
            Q::EvidenceWeightRange(id) => Q::EvidenceWeight(id.clone()),
            Q::EvidenceCredibilityRange(id) => Q::EvidenceCredibility(id.clone()),
            Q::HypothesisPriorRange(id) => Q::HypothesisPrior(id.clone()),
            other => other.clone(),
        }
    }

    /// The path of the range of a weight, credibility or prior (`evidence.x.weight_range`
    /// for `evidence.x.weight` or itself); `None` for other quantities.
    pub fn range_path(&self) -> Option<QuantityPath> {
        use QuantityPath as Q;
        match self.point() {
            Q::EvidenceWeight(id) => Some(Q::EvidenceWeightRange(id)),
            Q::EvidenceCredibility(id) => Some(Q::EvidenceCredibilityRange(id)),
            Q::HypothesisPrior(id) => Some(Q::HypothesisPriorRange(id)),
            _ => None,
        }
    }

    /// How messages name the range of the quantity: `evidence.x.weight_range`, or
    /// `evidence.x.likelihood.h.range` for a cell.
    fn range_name(&self) -> String {
        self.range_path()
            .map_or_else(|| format!("{}.range", self.point()), |p| p.to_string())
    }

    /// The domain of the quantity's number, if it has one (not for a status).
    fn domain(&self) -> Option<Domain> {
        use QuantityPath as Q;
        match self.point() {
            Q::EvidenceWeight(_) => Some(Domain::Weight),
            Q::HypothesisPrior(_) => Some(Domain::Prior),
            Q::EvidenceStatus(_) => None,
            _ => Some(Domain::Probability),
        }
    }
}

/// "unknown field `wieght` (did you mean `weight`?); " for a near miss, else "".
fn path_hint(keys: &[&str]) -> String {
    let kinds = ["evidence", "hypothesis", "group"];
    let fields: &[&str] = match keys.first() {
        Some(&"evidence") => &EVIDENCE_FIELDS,
        Some(&"hypothesis") => &HYPOTHESIS_FIELDS,
        Some(&"group") => &GROUP_FIELDS,
        Some(k) => {
            return did_you_mean(k, kinds).map_or(String::new(), |s| {
                format!("unknown `{k}` ({}); ", Suggestion(s))
            });
        }
        None => return String::new(),
    };
    match keys.get(2) {
        Some(f) if !fields.contains(f) => did_you_mean(f, fields.iter().copied())
            .map_or(String::new(), |s| {
                format!("unknown field `{f}` ({}); ", Suggestion(s))
            }),
        _ => String::new(),
    }
}

impl FromStr for QuantityPath {
    type Err = String;

    /// Parses `evidence.x.weight` and the other forms of docs/format.md, "What-ifs".
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

/// What an assignment gives, read and checked against the rules of its quantity (but not yet
/// against the case).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A new point: a number, or a label standing for one (`label` keeps the word, so
    /// `tune` writes what the analyst wrote). Moves the quantity's range with it.
    Number {
        /// The number.
        value: f64,
        /// The label it was given as (`high`), if any.
        label: Option<String>,
    },
    /// A rating for a likelihood cell: the cell becomes the rating, with its range.
    Rating(Rating),
    /// A status.
    Status(Status),
    /// A new range; the point is kept and must lie inside.
    Range(Range),
    /// A new point and its range together; nothing moves.
    PointRange {
        /// The point.
        value: f64,
        /// The label it was given as, if any.
        label: Option<String>,
        /// The range, which holds the point.
        range: Range,
    },
}

impl Value {
    /// Whether the value sets the quantity's point (a number, a rating or a point with its
    /// range), rather than only its range.
    pub fn sets_point(&self) -> bool {
        !matches!(self, Value::Range(_))
    }
}

/// `name` has no range (a status, a correlation).
fn no_range(name: &str, takes: &str) -> String {
    format!("`{name}` has no range: it takes {takes}")
}

/// Reads a value of the quantity `path` from a TOML value, with the loader's rules and
/// messages (docs/format.md, "Numbers and ranges").
///
/// # Errors
/// The message of the first rule the value breaks.
fn read_value(path: &QuantityPath, v: &DeValue<'_>) -> Result<Value, String> {
    use QuantityPath as Q;
    let name = path.to_string();
    let number = |name: &str, v: &DeValue<'_>| -> Result<f64, String> {
        match path.point() {
            Q::EvidenceWeight(_) => raw::read_weight(name, v),
            Q::EvidenceCredibility(_) => raw::read_credibility_value(name, v),
            Q::HypothesisPrior(_) => raw::bounded(name, v, Rule::Prior),
            _ => raw::bounded(name, v, Rule::Unit),
        }
    };
    let label = |v: &DeValue<'_>| match v {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    };
    let range_kind = match path.domain() {
        Some(Domain::Probability) => RangeKind::Probability,
        _ => RangeKind::Positive,
    };
    let point = |v: &DeValue<'_>| {
        Ok(Value::Number {
            value: number(&name, v)?,
            label: label(v),
        })
    };
    match path {
        Q::EvidenceStatus(_) => match v {
            DeValue::String(s) => Status::parse(s)
                .map(Value::Status)
                .ok_or_else(|| format!("`{name}`: {}", msg::unknown_status(s))),
            DeValue::Array(_) | DeValue::Table(_) => Err(no_range(
                &name,
                "a status: observed, absent, pending or retracted",
            )),
            other => Err(msg::wrong_type(
                &name,
                "a status (observed, absent, pending or retracted)",
                &raw::found(other),
            )),
        },
        Q::EvidenceWeightRange(_) | Q::EvidenceCredibilityRange(_) | Q::HypothesisPriorRange(_) => {
            raw::read_range(&name, v, range_kind).map(Value::Range)
        }
        Q::GroupCorrelation(_) => match v {
            DeValue::Array(_) | DeValue::Table(_) => Err(no_range(&name, "a number in [0, 1]")),
            v => point(v),
        },
        Q::EvidenceLikelihood { .. } => match v {
            DeValue::String(s) => Rating::parse(s)
                .map(Value::Rating)
                .ok_or_else(|| format!("`{name}`: {}", msg::unknown_rating(s))),
            DeValue::Array(_) => raw::read_range(&name, v, range_kind).map(Value::Range),
            DeValue::Table(t) => read_pair(path, t, number, range_kind),
            v @ (DeValue::Integer(_) | DeValue::Float(_)) => point(v),
            other => Err(msg::wrong_type(
                &name,
                "a number in [0, 1], a rating (CC, C, N, NA, I, II), a range [lo, hi] or \
                 { value, range }",
                &raw::found(other),
            )),
        },
        Q::EvidenceWeight(_) | Q::EvidenceCredibility(_) | Q::HypothesisPrior(_) => match v {
            DeValue::Table(t) => read_pair(path, t, number, range_kind),
            v => point(v),
        },
    }
}

/// `{ value = v, range = [lo, hi] }`: the point and its range together.
fn read_pair(
    path: &QuantityPath,
    t: &DeTable<'_>,
    number: impl Fn(&str, &DeValue<'_>) -> Result<f64, String>,
    range_kind: RangeKind,
) -> Result<Value, String> {
    let name = path.to_string();
    let get = |k: &str| {
        t.iter()
            .find(|(key, _)| key.get_ref() == k)
            .map(|(_, v)| v.get_ref())
    };
    if let Some((key, _)) = t
        .iter()
        .find(|(key, _)| !["value", "range"].contains(&key.get_ref().as_ref()))
    {
        return Err(msg::unknown_key(
            key.get_ref(),
            &format!("`{name}`"),
            &["value", "range"],
        ));
    }
    let (Some(v), Some(r)) = (get("value"), get("range")) else {
        return Err(format!(
            "`{name}` as a table sets the point and its range together: \
             {{ value = v, range = [lo, hi] }}"
        ));
    };
    let (value_name, range_name) = (format!("{name}.value"), format!("{name}.range"));
    let value = number(&value_name, v)?;
    let range = raw::read_range(&range_name, r, range_kind)?;
    values::inside(value, range).map_err(|e| e.message(&value_name, &range_name))?;
    Ok(Value::PointRange {
        value,
        label: match v {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        },
        range,
    })
}

/// Reads a VALUE as given on the command line: a TOML value (`0.5`, `"C"`, `[0.1, 0.5]`,
/// `{ value = 0.3, range = [0.1, 0.5] }`, with an optional `# comment`), or a bare word (`C`,
/// `high`) as a string; then checks it against the rules of the quantity.
///
/// # Errors
/// A message when the text is empty, is not a value, or breaks a rule of the quantity.
pub fn parse_value(path: &QuantityPath, text: &str) -> Result<Value, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no value after `=`".into());
    }
    let bare = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let toml = format!("v = {text}\n");
    let word = format!("v = \"{text}\"\n");
    let parsed = DeTable::parse(&toml)
        .ok()
        .filter(|t| t.get_ref().len() == 1)
        .or_else(|| bare.then(|| DeTable::parse(&word).ok()).flatten());
    let Some(table) = parsed else {
        return Err(format!("`{text}` is not a valid value"));
    };
    let (_, v) = table.get_ref().iter().next().expect("one key");
    read_value(path, v.get_ref())
}

/// Where an assignment comes from, for its messages.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// `PATH=VALUE` as given on a command line or in a plan.
    Set {
        /// The assignment as given.
        text: String,
        /// How its front end names it in messages: [`SET`] on the command line, `tune`,
        /// `set` in a batch plan.
        by: &'static str,
    },
    /// A table of an overlay file.
    Overlay {
        /// The overlay file.
        file: PathBuf,
        /// Where the value is written.
        value_at: Option<Position>,
        /// Where each key of the path is written (parallel to [`QuantityPath::keys`]), so
        /// that an unknown id is shown where it is written.
        key_at: Vec<Option<Position>>,
    },
}

/// One assignment: a quantity, its new value and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The quantity.
    pub path: QuantityPath,
    /// The new value.
    pub value: Value,
    /// Where it comes from.
    pub origin: Origin,
}

impl Assignment {
    /// A diagnostic about this assignment: `--set `TEXT`: message`, or at its place in its
    /// overlay (at the key `key` of the path when given and known, else at the value).
    fn problem(&self, message: String, key: Option<usize>) -> Diagnostic {
        match &self.origin {
            Origin::Set { text, by } => Diagnostic::error(format!("{by} `{text}`: {message}")),
            Origin::Overlay {
                file,
                value_at,
                key_at,
            } => {
                let d = Diagnostic::error(message).in_file(file);
                let at = key.and_then(|k| key_at.get(k).cloned().flatten());
                match at.or_else(|| value_at.clone()) {
                    Some(p) => d.at(p),
                    None => d,
                }
            }
        }
    }
}

/// Parses one `PATH=VALUE` assignment as given to `--set` (and to `abduce tune`).
///
/// # Errors
/// [`Error::Usage`] (exit 2) for a missing `=` or a malformed PATH; [`Error::Input`]
/// (exit 1) for a VALUE that is missing, is not a TOML value or bare word, or breaks the
/// rules of its quantity. Whether the ids exist and the value suits the case is checked by
/// [`apply_assignments`].
pub fn parse_assignment(s: &str) -> Result<Assignment, Error> {
    parse_assignment_by(s, SET)
}

/// How the command line names an assignment in its messages: `--set `PATH=VALUE`: ...`.
pub const SET: &str = "--set";

/// [`parse_assignment`] for a front end that names assignments `by` in its messages
/// (`tune `PATH=VALUE`: ...`, `set `PATH=VALUE`: ...` in a batch plan).
///
/// # Errors
/// As [`parse_assignment`].
pub fn parse_assignment_by(s: &str, by: &'static str) -> Result<Assignment, Error> {
    let Some((path, value)) = s.split_once('=') else {
        return Err(Error::Usage(format!(
            "{by} `{s}`: expected PATH=VALUE, with PATH one of {PATH_FORMS}"
        )));
    };
    let path = path
        .trim()
        .parse::<QuantityPath>()
        .map_err(|m| Error::Usage(format!("{by} `{s}`: {m}")))?;
    let value = parse_value(&path, value)
        .map_err(|m| Error::from(Diagnostic::error(format!("{by} `{s}`: {m}"))))?;
    Ok(Assignment {
        path,
        value,
        origin: Origin::Set {
            text: s.to_string(),
            by,
        },
    })
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
    /// The value does not suit the quantity in this case.
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
        message: msg::unknown_ref(kind, id, &ids),
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
    use QuantityPath as Q;
    match path {
        Q::EvidenceWeight(id)
        | Q::EvidenceWeightRange(id)
        | Q::EvidenceCredibility(id)
        | Q::EvidenceCredibilityRange(id)
        | Q::EvidenceStatus(id) => evidence_index(case, id),
        Q::EvidenceLikelihood {
            evidence,
            hypothesis,
        } => {
            let e = evidence_index(case, evidence)?;
            hypothesis_index(case, hypothesis, 3)?;
            Ok(e)
        }
        Q::HypothesisPrior(id) | Q::HypothesisPriorRange(id) => hypothesis_index(case, id, 1),
        Q::GroupCorrelation(id) => case.group_index(id).ok_or_else(|| {
            unknown(
                "group",
                id,
                case.groups.iter().map(|g| g.id.as_str()).collect(),
                1,
            )
        }),
    }
}

/// The new point and range of a quantity of `domain` whose point is `p` and range `r`
/// (docs/format.md, "What-ifs"): a number moves the range with the point (an edge value
/// drops it), a range alone keeps the point, a point with its range sets both.
fn assign(
    path: &QuantityPath,
    domain: Domain,
    (p, r): (f64, Option<Range>),
    value: &Value,
) -> Result<(f64, Option<Range>), String> {
    let name = path.point().to_string();
    match *value {
        Value::Number { value: v, .. } => match r {
            Some(_) if domain.is_edge(v) => Ok((v, None)),
            None => Ok((v, None)),
            Some(r) => {
                let m = domain.shift(r, p, v);
                domain.range(m.lo, m.hi).map_err(|e| {
                    format!(
                        "`{name}` = {} moves its range {} to {}, which {}; give the point and \
                         its range together: `{name} = {{ value = {}, range = [lo, hi] }}`",
                        msg::num(v),
                        msg::range(r.lo, r.hi),
                        msg::range(m.lo, m.hi),
                        e.reason(),
                        msg::num(v)
                    )
                })?;
                Ok((v, Some(m)))
            }
        },
        Value::Range(range) => {
            values::inside(p, range).map_err(|e| {
                format!(
                    "{}; to move the point too, give both: `{name} = {{ value = v, range = {} }}`",
                    e.message(&name, &path.range_name()),
                    msg::range(range.lo, range.hi)
                )
            })?;
            Ok((p, Some(range)))
        }
        Value::PointRange { value, range, .. } => Ok((value, Some(range))),
        Value::Rating(_) | Value::Status(_) => Err(format!("`{path}` takes a number")),
    }
}

/// Sets one quantity of the case (docs/format.md, "What-ifs").
///
/// # Errors
/// A plain message (no file, no position) for an unknown id (with "did you mean"), a value
/// of the wrong kind, a moved range that breaks the rules of its quantity, a range that does
/// not hold the point, or a credibility (or its range) set on an item given a hit rate and a
/// false-alarm rate. The case is unchanged on error.
pub fn set(case: &mut Case, path: &QuantityPath, value: &Value) -> Result<(), SetError> {
    use QuantityPath as Q;
    let i = target(case, path)?;
    match (path, value) {
        (Q::EvidenceStatus(_), Value::Status(s)) => case.evidence[i].status = *s,
        (Q::EvidenceStatus(_), Value::Range(_) | Value::PointRange { .. }) => {
            return Err(no_range(&path.to_string(), "a status").into());
        }
        (Q::EvidenceStatus(_), _) => {
            return Err(format!("`{path}` takes a status").into());
        }
        (Q::EvidenceWeight(_) | Q::EvidenceWeightRange(_), _) => {
            let item = &mut case.evidence[i];
            let (w, r) = assign(
                path,
                Domain::Weight,
                (item.weight, item.weight_range),
                value,
            )?;
            (item.weight, item.weight_range) = (w, r);
        }
        (Q::EvidenceCredibility(id) | Q::EvidenceCredibilityRange(id), _) => {
            match &mut case.evidence[i].credibility {
                Credibility::Schum { .. } => {
                    return Err(SetError::InvalidValue(format!(
                        "`{path}`: item `{id}` gives hit_rate and false_alarm_rate, so it has no \
                         credibility or credibility range to set"
                    )));
                }
                Credibility::Mixture {
                    value: c,
                    range,
                    basis,
                } => {
                    let (c2, r2) = assign(path, Domain::Probability, (*c, *range), value)?;
                    (*c, *range) = (c2, r2);
                    if value.sets_point() {
                        *basis = CredibilityBasis::Explicit;
                    }
                }
            }
        }
        (Q::EvidenceLikelihood { hypothesis, .. }, _) => {
            let k = hypothesis_index(case, hypothesis, 3)?;
            let old = case.evidence[i].likelihood[k];
            let new = match (old, value) {
                (_, Value::Rating(r)) => Cell::Rating(*r),
                (Cell::Rating(Rating::NA), Value::Range(_)) => {
                    return Err(SetError::InvalidValue(format!(
                        "`{path}` is NA, which has no point of its own (it takes the mean of the \
                         row): give the point with its range, `{path} = {{ value = v, range = \
                         [lo, hi] }}`"
                    )));
                }
                // NA has no range: a number fixes the cell (docs/decisions.md).
                (Cell::Rating(Rating::NA), _) => {
                    let (value, range) = assign(path, Domain::Probability, (0.5, None), value)?;
                    Cell::Value { value, range }
                }
                (Cell::Rating(r), _) => {
                    let level = case.ratings.level(r);
                    let (value, range) = assign(
                        path,
                        Domain::Probability,
                        (level.likelihood, Some(level.range)),
                        value,
                    )?;
                    Cell::Value { value, range }
                }
                (Cell::Value { value: p, range: r }, _) => {
                    let (value, range) = assign(path, Domain::Probability, (p, r), value)?;
                    Cell::Value { value, range }
                }
            };
            case.evidence[i].likelihood[k] = new;
        }
        (Q::HypothesisPrior(_) | Q::HypothesisPriorRange(_), _) => {
            let h = &mut case.hypotheses[i];
            let (p, r) = assign(path, Domain::Prior, (h.prior, h.prior_range), value)?;
            (h.prior, h.prior_range) = (p, r);
        }
        (Q::GroupCorrelation(_), Value::Number { value, .. }) => {
            case.groups[i].correlation = *value;
        }
        (Q::GroupCorrelation(_), Value::Range(_) | Value::PointRange { .. }) => {
            return Err(no_range(&path.to_string(), "a number in [0, 1]").into());
        }
        (Q::GroupCorrelation(_), _) => {
            return Err(format!("`{path}` takes a number").into());
        }
    }
    Ok(())
}

/// Applies assignments in order, each to the result of the ones before it.
///
/// # Errors
/// Every assignment that could not be applied, in order, each as a diagnostic naming the
/// assignment (`--set `TEXT`: ...`, or its overlay `file:line:column`). A refused
/// assignment changes nothing; the others still apply, so the case is then only partly
/// changed and should be dropped.
pub fn apply_assignments(case: &mut Case, list: &[Assignment]) -> Result<(), Vec<Diagnostic>> {
    let problems: Vec<Diagnostic> = list
        .iter()
        .filter_map(|a| {
            set(case, &a.path, &a.value).err().map(|err| {
                let key = match &err {
                    SetError::UnknownId { key, .. } => Some(*key),
                    SetError::InvalidValue(_) => None,
                };
                a.problem(err.to_string(), key)
            })
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
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

/// The assignments of an overlay file, in file order, and the problems of the file (TOML
/// syntax, unknown tables or fields with "did you mean", values that break the rules of
/// their quantity), each at its line and column in `file`. In one table a point key and its
/// range key (`weight` and `weight_range`) make one assignment: the point and its range
/// together.
pub fn overlay_assignments(text: &str, file: &Path) -> (Vec<Assignment>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let m = msg::syntax(e.message().trim());
            problems.push(located(m, file, text, e.span()));
        }
        return (out, problems);
    }
    let position = |s: Span| Some(Position::from_span(text, s.start, s.end));
    for (kind, ids) in root.get_ref().iter() {
        let mut complain =
            |msg: String, span: Span| problems.push(located(msg, file, text, Some(span)));
        let fields: &[&str] = match kind.get_ref().as_ref() {
            "evidence" => &EVIDENCE_FIELDS,
            "hypothesis" => &HYPOTHESIS_FIELDS,
            "group" => &GROUP_FIELDS,
            other => {
                let hint = did_you_mean(other, ["evidence", "hypothesis", "group"])
                    .map_or(String::new(), |s| format!(" ({})", Suggestion(s)));
                complain(
                    format!(
                        "unknown table `{other}`{hint}: an overlay holds [evidence.<id>], \
                         [hypothesis.<id>] and [group.<id>] tables"
                    ),
                    kind.span(),
                );
                continue;
            }
        };
        let kind_name = kind.get_ref().as_ref();
        let DeValue::Table(ids) = ids.get_ref() else {
            complain(
                format!("`{kind_name}` must be a table of [{kind_name}.<id>] tables"),
                kind.span(),
            );
            continue;
        };
        for (id, body) in ids.iter() {
            let id_name = id.get_ref().as_ref();
            let DeValue::Table(body) = body.get_ref() else {
                complain(
                    format!("`{kind_name}.{id_name}` must be a table"),
                    id.span(),
                );
                continue;
            };
            let given = |f: &str| body.iter().any(|(k, _)| k.get_ref() == f);
            for (field, item) in body.iter() {
                let field_name = field.get_ref().as_ref();
                if !fields.contains(&field_name) {
                    let hint = did_you_mean(field_name, fields.iter().copied())
                        .map_or(String::new(), |s| format!(" ({})", Suggestion(s)));
                    complain(
                        format!(
                            "unknown field `{kind_name}.{id_name}.{field_name}`{hint}; expected \
                             one of {}",
                            fields.join(", ")
                        ),
                        field.span(),
                    );
                    continue;
                }
                // A range key given with its point key is read with the point.
                let pair = PAIRS.iter().find(|(p, _)| *p == field_name);
                if PAIRS.iter().any(|(p, r)| *r == field_name && given(p)) {
                    continue;
                }
                let key_spans = vec![kind.span(), id.span(), field.span()];
                let entries: Vec<(Vec<&str>, &toml::Spanned<DeValue>, Vec<Span>)> =
                    if field_name == "likelihood" {
                        let DeValue::Table(cells) = item.get_ref() else {
                            complain(
                                format!(
                                    "`{kind_name}.{id_name}.likelihood` must be a table of \
                                     hypothesis = value"
                                ),
                                item.span(),
                            );
                            continue;
                        };
                        cells
                            .iter()
                            .map(|(h, v)| {
                                let mut spans = key_spans.clone();
                                spans.push(h.span());
                                (
                                    vec![kind_name, id_name, field_name, h.get_ref().as_ref()],
                                    v,
                                    spans,
                                )
                            })
                            .collect()
                    } else {
                        vec![(vec![kind_name, id_name, field_name], item, key_spans)]
                    };
                for (keys, item, spans) in entries {
                    let path = match QuantityPath::from_keys(&keys) {
                        Ok(p) => p,
                        Err(m) => {
                            complain(format!("`{}`: {m}", keys.join(".")), item.span());
                            continue;
                        }
                    };
                    let range = pair.and_then(|(_, r)| {
                        body.iter().find(|(k, _)| k.get_ref() == *r).map(|(_, v)| v)
                    });
                    let value = match range {
                        None => read_value(&path, item.get_ref()),
                        Some(range) => read_both(&path, item.get_ref(), range.get_ref()),
                    };
                    match value {
                        Ok(value) => out.push(Assignment {
                            path,
                            value,
                            origin: Origin::Overlay {
                                file: file.to_path_buf(),
                                value_at: position(item.span()),
                                key_at: spans.into_iter().map(position).collect(),
                            },
                        }),
                        Err(m) => complain(m, item.span()),
                    }
                }
            }
        }
    }
    (out, problems)
}

/// A point key and its range key given together in an overlay table: the point and its
/// range together.
fn read_both(
    path: &QuantityPath,
    point: &DeValue<'_>,
    range: &DeValue<'_>,
) -> Result<Value, String> {
    let range_path = path.range_path().unwrap_or_else(|| path.clone());
    let Value::Number { value, label } = read_value(path, point)? else {
        return Err(format!(
            "`{path}` is given as {{ value, range }} and `{range_path}` is given too: give the \
             range once"
        ));
    };
    let Value::Range(range) = read_value(&range_path, range)? else {
        return Err(format!("`{range_path}` must be a range [lo, hi]"));
    };
    values::inside(value, range)
        .map_err(|e| e.message(&path.to_string(), &range_path.to_string()))?;
    Ok(Value::PointRange {
        value,
        label,
        range,
    })
}

/// Applies overlays in order, then `--set` assignments in order, each to the result of the
/// ones before it.
///
/// # Errors
/// A malformed `--set` PATH is [`Error::Usage`] (exit 2), listing every malformed one;
/// otherwise every other problem (unreadable or invalid overlay, unknown id with "did you
/// mean", invalid value, a moved range that breaks its rules) is collected into one
/// [`Error::Input`] (exit 1): each overlay's problems in line order, then the `--set`s'
/// in the order given.
pub fn apply(case: &mut Case, overlays: &[PathBuf], sets: &[String]) -> Result<(), Error> {
    apply_by(case, overlays, sets, SET)
}

/// [`apply`] for a front end that names assignments `by` in its messages (`tune`).
///
/// # Errors
/// As [`apply`].
pub fn apply_by(
    case: &mut Case,
    overlays: &[PathBuf],
    sets: &[String],
    by: &'static str,
) -> Result<(), Error> {
    let mut usage = Vec::new();
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for s in sets {
        match parse_assignment_by(s, by) {
            Ok(a) => parsed.push(Ok(a)),
            Err(Error::Usage(m)) => usage.push(m),
            Err(Error::Input(d)) => parsed.push(Err(d)),
            Err(e @ (Error::Refused(_) | Error::Failed(_))) => return Err(e),
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
        case.provenance.push_overlay(file, text.as_bytes());
        let (list, mut found) = overlay_assignments(&text, file);
        if let Err(d) = apply_assignments(case, &list) {
            found.extend(d);
        }
        found.sort_by_key(|d| d.position.as_ref().map(|p| (p.line, p.column)));
        problems.extend(found);
    }
    for a in parsed {
        match a {
            Ok(a) => {
                if let Err(d) = apply_assignments(case, std::slice::from_ref(&a)) {
                    problems.extend(d);
                }
            }
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        for s in sets {
            case.provenance.push_set(s);
        }
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

#[cfg(test)]
#[path = "overrides_tests.rs"]
mod tests;
