//! Reading one file's spanned TOML tree into raw records, checking everything that can be
//! checked inside the file: keys, types, numbers, ranges, labels, ids, dates.
//!
//! Every problem is reported to [`Diags`] and reading goes on, so one run finds them all.
//! Cross-file checks (ids, references, likelihood tables) are done by the loader on the raw
//! records of all files.

use std::ops::Range as Span;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::messages::{At, Diags, Loc, msg};
use super::model::{Cell, Date, Range, Rating, Status};
use super::values::{self, Domain};
use super::values::{AdmiraltyScale, RatingScale, credibility_label, weight_label};

/// A value that was present but invalid (the problem is already reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bad;

/// A field: absent (`Ok(None)`), valid, or invalid and reported.
pub(crate) type Got<T> = Result<Option<T>, Bad>;

/// Where the evidence of a case is, as the hypotheses file says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EvidenceSpec {
    /// No `evidence` key: the default locations.
    Default,
    /// `evidence = [...]`: these locations in order.
    List(Vec<Loc<String>>),
    /// An invalid `evidence` key (reported): read nothing more.
    Bad,
}

/// `[case]`.
#[derive(Debug, Clone)]
pub(crate) struct RawCase {
    pub title: Option<String>,
    pub question: Option<String>,
    pub evidence: EvidenceSpec,
}

/// `[[hypothesis]]`.
#[derive(Debug, Clone)]
pub(crate) struct RawHypothesis {
    pub id: Option<Loc<String>>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub prior: Option<f64>,
    pub prior_range: Option<Range>,
}

/// `[[family]]`.
#[derive(Debug, Clone)]
pub(crate) struct RawFamily {
    pub id: Option<Loc<String>>,
    pub title: Option<String>,
    /// The `members` key and the ids as written; `None` when missing or invalid (reported).
    pub members: Option<(At, Vec<Loc<String>>)>,
}

/// `[[source]]`.
#[derive(Debug, Clone)]
pub(crate) struct RawSource {
    pub id: Option<Loc<String>>,
    pub name: Option<String>,
    pub reliability: Option<char>,
}

/// `[[group]]`.
#[derive(Debug, Clone)]
pub(crate) struct RawGroup {
    pub id: Option<Loc<String>>,
    pub correlation: Option<f64>,
}

/// The credibility an item states itself.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawCredibility {
    /// Neither `credibility` nor the pair: Admiralty codes or the default apply.
    Unstated,
    /// `credibility` (a label already resolved to its number).
    Explicit(f64),
    /// `hit_rate` + `false_alarm_rate`.
    Pair {
        hit_rate: f64,
        false_alarm_rate: f64,
    },
}

/// `[[evidence]]`.
#[derive(Debug, Clone)]
pub(crate) struct RawEvidence {
    pub id: Option<Loc<String>>,
    /// The `[[evidence]]` header (or inline table).
    pub header: At,
    pub title: Option<String>,
    pub date: Option<Date>,
    pub source: Option<Loc<String>>,
    pub information: Option<u8>,
    pub credibility: RawCredibility,
    pub credibility_range: Option<Loc<Range>>,
    pub weight: Option<f64>,
    pub weight_range: Option<Range>,
    pub group: Option<Loc<String>>,
    pub status: Status,
    pub note: Option<String>,
    /// The likelihood table, if given.
    pub likelihood: Option<RawLikelihood>,
    /// True when some field was invalid (dependent checks are skipped).
    pub bad: bool,
    /// True when a field the credibility depends on (`source`, `information`,
    /// `credibility`, the pair, `credibility_range`) was invalid: the credibility is then
    /// not checked against its range. Other bad fields do not hide that check.
    pub credibility_bad: bool,
}

/// An item's likelihood table.
#[derive(Debug, Clone)]
pub(crate) struct RawLikelihood {
    /// The `likelihood` key.
    pub at: At,
    /// The cells by hypothesis id as written (a `None` cell was invalid).
    pub cells: Vec<(Loc<String>, Option<Cell>)>,
}

/// Everything read from one file.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawFile {
    pub case: Option<RawCase>,
    pub hypotheses: Vec<RawHypothesis>,
    pub families: Vec<RawFamily>,
    pub sources: Vec<RawSource>,
    pub groups: Vec<RawGroup>,
    pub evidence: Vec<RawEvidence>,
    /// Whether the file holds a `[[source]]`, `[[group]]` or `[[evidence]]` table.
    pub has_tables: bool,
}

impl RawFile {
    /// Adds the records of a later part of the same evidence file.
    pub(crate) fn append(&mut self, later: RawFile) {
        self.sources.extend(later.sources);
        self.groups.extend(later.groups);
        self.evidence.extend(later.evidence);
        self.has_tables |= later.has_tables;
    }
}

const HYPOTHESES_KEYS: [&str; 8] = [
    "case",
    "hypothesis",
    "family",
    "ratings",
    "admiralty",
    "source",
    "group",
    "evidence",
];
const EVIDENCE_FILE_KEYS: [&str; 3] = ["source", "group", "evidence"];
const CASE_KEYS: [&str; 3] = ["title", "question", "evidence"];
const HYPOTHESIS_KEYS: [&str; 5] = ["id", "title", "description", "prior", "prior_range"];
const FAMILY_KEYS: [&str; 3] = ["id", "title", "members"];
const SOURCE_KEYS: [&str; 3] = ["id", "name", "reliability"];
const GROUP_KEYS: [&str; 2] = ["id", "correlation"];
const EVIDENCE_KEYS: [&str; 15] = [
    "id",
    "title",
    "date",
    "source",
    "information",
    "credibility",
    "credibility_range",
    "hit_rate",
    "false_alarm_rate",
    "weight",
    "weight_range",
    "group",
    "status",
    "note",
    "likelihood",
];

/// Reads one file's tree. The hypotheses file may also hold `[case]`, `[[hypothesis]]`,
/// `[[family]]`, `[ratings]` and `[admiralty]`; the overrides are applied to `ratings` and `admiralty`.
pub(crate) fn read_file(
    file: usize,
    offset: usize,
    root: &DeTable<'_>,
    hypotheses_file: bool,
    ratings: &mut RatingScale,
    admiralty: &mut AdmiraltyScale,
    d: &mut Diags,
) -> RawFile {
    let mut raw = RawFile::default();
    for (key, value) in root.iter() {
        let k: &str = key.get_ref();
        let key_at = At {
            file,
            span: shift(key.span(), offset),
        };
        let known = if hypotheses_file {
            &HYPOTHESES_KEYS[..]
        } else {
            &EVIDENCE_FILE_KEYS[..]
        };
        let Some(&k) = known.iter().find(|&&x| x == k) else {
            if HYPOTHESES_KEYS.contains(&k) {
                d.error(&key_at, msg::hypotheses_file_only(k));
            } else {
                d.error(&key_at, msg::unknown_key(k, "the file", known));
            }
            continue;
        };
        match k {
            "case" => {
                if let Some(t) = table(file, offset, "case", value, d) {
                    raw.case = Some(read_case(&t, d));
                }
            }
            "ratings" => {
                if let Some(t) = table(file, offset, "ratings", value, d) {
                    read_ratings(&t, ratings, d);
                }
            }
            "admiralty" => {
                if let Some(t) = table(file, offset, "admiralty", value, d) {
                    read_admiralty(&t, admiralty, d);
                }
            }
            _ => {
                raw.has_tables |= k != "hypothesis" && k != "family";
                for t in array_of_tables(file, offset, k, value, d) {
                    match k {
                        "hypothesis" => raw.hypotheses.push(read_hypothesis(&t, d)),
                        "family" => raw.families.push(read_family(&t, d)),
                        "source" => raw.sources.push(read_source(&t, d)),
                        "group" => raw.groups.push(read_group(&t, d)),
                        _ => raw.evidence.push(read_evidence(&t, d)),
                    }
                }
            }
        }
    }
    raw
}

// --- tables ------------------------------------------------------------------------------

/// A table being read: its entries, where it is, and how messages name it and its values.
pub(crate) struct Fields<'a, 'i> {
    table: &'a DeTable<'i>,
    file: usize,
    /// The table's header or inline span.
    pub header: At,
    /// How messages call the table: `[[evidence]]`; built only for a message.
    kind: Kind,
    /// Prefix of value names in messages: `""`, `"likelihood.isk."`.
    prefix: String,
    /// Where the file's text parsed into `table` starts in the file (a part of an evidence
    /// file is parsed on its own, see `load::parse_parts`): added to every span.
    offset: usize,
}

/// How messages call a table (see [`Fields::ctx`]).
#[derive(Clone, Copy)]
enum Kind {
    /// `[name]`.
    Table(&'static str),
    /// `[[name]]`.
    ArrayOfTables(&'static str),
    /// `` `name` ``, the prefix without its final dot.
    Value,
}

fn table<'a, 'i>(
    file: usize,
    offset: usize,
    name: &'static str,
    value: &'a Spanned<DeValue<'i>>,
    d: &mut Diags,
) -> Option<Fields<'a, 'i>> {
    let at = At {
        file,
        span: shift(value.span(), offset),
    };
    match value.get_ref() {
        DeValue::Table(t) => Some(Fields {
            table: t,
            file,
            header: at,
            kind: Kind::Table(name),
            prefix: format!("{name}."),
            offset,
        }),
        _ => {
            d.error(&at, msg::not_a_table(name));
            None
        }
    }
}

fn array_of_tables<'a, 'i>(
    file: usize,
    offset: usize,
    name: &'static str,
    value: &'a Spanned<DeValue<'i>>,
    d: &mut Diags,
) -> Vec<Fields<'a, 'i>> {
    let at = |span: Span<usize>| At {
        file,
        span: shift(span, offset),
    };
    let DeValue::Array(items) = value.get_ref() else {
        d.error(&at(value.span()), msg::not_array_of_tables(name));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::Table(t) => out.push(Fields {
                table: t,
                file,
                header: at(item.span()),
                kind: Kind::ArrayOfTables(name),
                prefix: String::new(),
                offset,
            }),
            _ => d.error(&at(item.span()), msg::not_array_of_tables(name)),
        }
    }
    out
}

/// `span` moved by `offset` bytes.
fn shift(span: Span<usize>, offset: usize) -> Span<usize> {
    span.start + offset..span.end + offset
}

impl<'a, 'i> Fields<'a, 'i> {
    fn at(&self, span: Span<usize>) -> At {
        At {
            file: self.file,
            span: shift(span, self.offset),
        }
    }

    /// The table as messages call it: `[[evidence]]`, `` `likelihood.isk` ``.
    fn ctx(&self) -> String {
        match self.kind {
            Kind::Table(name) => format!("[{name}]"),
            Kind::ArrayOfTables(name) => format!("[[{name}]]"),
            Kind::Value => format!("`{}`", self.prefix.strip_suffix('.').unwrap_or("")),
        }
    }

    /// A table inside this one (`sub`, a likelihood cell), named `name` in messages.
    fn child(&self, table: &'a DeTable<'i>, header: At, name: &str) -> Fields<'a, 'i> {
        Fields {
            table,
            file: self.file,
            header,
            kind: Kind::Value,
            prefix: format!("{name}."),
            offset: self.offset,
        }
    }

    /// Reports every key not in `allowed`.
    fn check_keys(&self, allowed: &[&str], d: &mut Diags) {
        for key in self.table.keys() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                d.error(
                    &self.at(key.span()),
                    msg::unknown_key(key.get_ref(), &self.ctx(), allowed),
                );
            }
        }
    }

    fn entry(&self, key: &str) -> Option<(At, &'a Spanned<DeValue<'i>>)> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(k, v)| (self.at(k.span()), v))
    }

    /// Where `key` is written, if present.
    fn key_at(&self, key: &str) -> Option<At> {
        self.entry(key).map(|(at, _)| at)
    }

    /// Reads `key` with `read(name, value)`; an error is reported at the value. `read`
    /// uses the name only in its message, so the name is built only for a message: a value
    /// that fails is read again under its name.
    fn get<T>(
        &self,
        key: &str,
        d: &mut Diags,
        read: impl Fn(&str, &DeValue<'i>) -> Result<T, String>,
    ) -> Got<Loc<T>> {
        let Some((_, v)) = self.entry(key) else {
            return Ok(None);
        };
        let at = self.at(v.span());
        match read("", v.get_ref()) {
            Ok(value) => Ok(Some(Loc { value, at })),
            Err(_) => {
                let m = read(&format!("{}{key}", self.prefix), v.get_ref())
                    .err()
                    .expect("a read that failed fails again");
                d.error(&at, m);
                Err(Bad)
            }
        }
    }

    /// A string.
    fn string(&self, key: &str, d: &mut Diags) -> Got<Loc<String>> {
        self.get(key, d, |n, v| read_string(n, v).map(str::to_string))
    }

    /// A required `id`; an invalid id is reported and kept (so references to it resolve).
    fn id(&self, d: &mut Diags) -> Result<Loc<String>, Bad> {
        match self.string("id", d)? {
            Some(id) => {
                if let Err(m) = check_id(&id.value) {
                    d.error(&id.at, m);
                }
                Ok(id)
            }
            None => {
                d.error(&self.header, msg::missing_key("id", &self.ctx()));
                Err(Bad)
            }
        }
    }

    /// The sub-table `key`, read as a table named `<prefix><key>`.
    fn sub(&self, key: &str, d: &mut Diags) -> Got<Fields<'a, 'i>> {
        let Some((_, v)) = self.entry(key) else {
            return Ok(None);
        };
        let name = format!("{}{key}", self.prefix);
        match v.get_ref() {
            DeValue::Table(t) => Ok(Some(self.child(t, self.at(v.span()), &name))),
            other => {
                d.error(
                    &self.at(v.span()),
                    msg::wrong_type(&name, "a table", &found(other)),
                );
                Err(Bad)
            }
        }
    }
}

/// Keeps the valid value of a field, noting whether it was invalid.
fn keep<T>(got: Got<T>, bad: &mut bool) -> Option<T> {
    got.unwrap_or_else(|Bad| {
        *bad = true;
        None
    })
}

fn value_of<T>(got: Got<Loc<T>>, bad: &mut bool) -> Option<T> {
    keep(got, bad).map(|l| l.value)
}

// --- the tables of a case ----------------------------------------------------------------

fn read_case(t: &Fields, d: &mut Diags) -> RawCase {
    t.check_keys(&CASE_KEYS, d);
    let mut bad = false;
    let title = value_of(t.string("title", d), &mut bad);
    let question = value_of(t.string("question", d), &mut bad);
    let evidence = match t.get("evidence", d, read_string_list) {
        Ok(None) => EvidenceSpec::Default,
        Ok(Some(l)) => EvidenceSpec::List(
            l.value
                .into_iter()
                .map(|(value, span)| Loc {
                    value,
                    at: t.at(span),
                })
                .collect(),
        ),
        Err(Bad) => EvidenceSpec::Bad,
    };
    RawCase {
        title,
        question,
        evidence,
    }
}

fn read_hypothesis(t: &Fields, d: &mut Diags) -> RawHypothesis {
    t.check_keys(&HYPOTHESIS_KEYS, d);
    let mut bad = false;
    let id = t.id(d).ok();
    let title = value_of(t.string("title", d), &mut bad);
    let description = value_of(t.string("description", d), &mut bad);
    let prior = t.get("prior", d, |n, v| bounded(n, v, Rule::Prior));
    let prior_range = t.get("prior_range", d, |n, v| {
        read_range(n, v, RangeKind::Positive)
    });
    check_point(
        t,
        "prior",
        &prior,
        Some(1.0),
        "prior_range",
        &prior_range,
        d,
    );
    RawHypothesis {
        id,
        title,
        description,
        prior: value_of(prior, &mut bad),
        prior_range: value_of(prior_range, &mut bad),
    }
}

fn read_family(t: &Fields, d: &mut Diags) -> RawFamily {
    t.check_keys(&FAMILY_KEYS, d);
    let mut bad = false;
    let id = t.id(d).ok();
    let title = value_of(t.string("title", d), &mut bad);
    let members = match t.get("members", d, read_string_list) {
        Ok(Some(l)) => Some((
            t.key_at("members").unwrap_or_else(|| l.at.clone()),
            l.value
                .into_iter()
                .map(|(value, span)| Loc {
                    value,
                    at: t.at(span),
                })
                .collect(),
        )),
        Ok(None) => {
            d.error(&t.header, msg::missing_key("members", &t.ctx()));
            None
        }
        Err(Bad) => None,
    };
    RawFamily { id, title, members }
}

fn read_source(t: &Fields, d: &mut Diags) -> RawSource {
    t.check_keys(&SOURCE_KEYS, d);
    let mut bad = false;
    RawSource {
        id: t.id(d).ok(),
        name: value_of(t.string("name", d), &mut bad),
        reliability: value_of(t.get("reliability", d, read_reliability), &mut bad),
    }
}

fn read_group(t: &Fields, d: &mut Diags) -> RawGroup {
    t.check_keys(&GROUP_KEYS, d);
    let id = t.id(d).ok();
    let correlation = match t.get("correlation", d, |n, v| bounded(n, v, Rule::Unit)) {
        Ok(Some(c)) => Some(c.value),
        Ok(None) => {
            d.error(&t.header, msg::missing_key("correlation", &t.ctx()));
            None
        }
        Err(Bad) => None,
    };
    RawGroup { id, correlation }
}

fn read_evidence(t: &Fields, d: &mut Diags) -> RawEvidence {
    t.check_keys(&EVIDENCE_KEYS, d);
    let mut bad = false;
    let id = t.id(d).map_err(|Bad| bad = true).ok();
    let title = value_of(t.string("title", d), &mut bad);
    let date = value_of(t.get("date", d, read_date), &mut bad);
    let mut credibility_bad = false;
    let source = keep(t.string("source", d), &mut credibility_bad);
    let information = keep(
        t.get("information", d, read_information),
        &mut credibility_bad,
    );
    let credibility_range = t.get("credibility_range", d, |n, v| {
        read_range(n, v, RangeKind::Probability)
    });
    let credibility = read_credibility(
        t,
        information.as_ref(),
        &credibility_range,
        &mut credibility_bad,
        d,
    );
    let credibility_range = keep(credibility_range, &mut credibility_bad);
    bad |= credibility_bad;
    let weight = t.get("weight", d, read_weight);
    let weight_range = t.get("weight_range", d, |n, v| {
        read_range(n, v, RangeKind::Positive)
    });
    check_point(
        t,
        "weight",
        &weight,
        Some(1.0),
        "weight_range",
        &weight_range,
        d,
    );
    let group = keep(t.string("group", d), &mut bad);
    let status = t.get("status", d, |n, v| {
        let s = read_string(n, v)?;
        Status::parse(s).ok_or_else(|| msg::unknown_status(s))
    });
    let note = value_of(t.string("note", d), &mut bad);
    let likelihood = read_likelihood(t, d, &mut bad);
    RawEvidence {
        id,
        header: t.header.clone(),
        title,
        date,
        source,
        information: information.map(|i| i.value),
        credibility,
        credibility_range,
        weight: value_of(weight, &mut bad),
        weight_range: value_of(weight_range, &mut bad),
        group,
        status: value_of(status, &mut bad).unwrap_or(Status::Observed),
        note,
        likelihood,
        bad,
        credibility_bad,
    }
}

/// `credibility` (number or label) or the pair `hit_rate` + `false_alarm_rate`; checks they
/// are not mixed, and warns when `information` is ignored next to them.
fn read_credibility(
    t: &Fields,
    information: Option<&Loc<u8>>,
    range: &Got<Loc<Range>>,
    bad: &mut bool,
    d: &mut Diags,
) -> RawCredibility {
    let explicit = t.get("credibility", d, read_credibility_value);
    let range_at = t.key_at("credibility_range");
    let hit = keep(t.get("hit_rate", d, |n, v| bounded(n, v, Rule::Unit)), bad);
    let fa = keep(
        t.get("false_alarm_rate", d, |n, v| bounded(n, v, Rule::Unit)),
        bad,
    );
    let hit_at = t.key_at("hit_rate");
    let fa_at = t.key_at("false_alarm_rate");
    let pair_given = hit_at.is_some() || fa_at.is_some();
    if let (Some(h), None) = (&hit_at, &fa_at) {
        d.error(h, msg::half_pair("hit_rate", "false_alarm_rate"));
    }
    if let (None, Some(f)) = (&hit_at, &fa_at) {
        d.error(f, msg::half_pair("false_alarm_rate", "hit_rate"));
    }
    if pair_given && let Some(c) = t.key_at("credibility") {
        d.error(&c, msg::credibility_and_pair());
    }
    if pair_given && let Some(r) = &range_at {
        d.error(r, msg::range_with_pair());
    }
    if !pair_given {
        check_point(
            t,
            "credibility",
            &explicit,
            None,
            "credibility_range",
            range,
            d,
        );
    }
    let result = match (keep(explicit, bad), hit, fa) {
        (Some(c), None, None) if !pair_given => RawCredibility::Explicit(c.value),
        (None, Some(h), Some(f)) if t.key_at("credibility").is_none() => RawCredibility::Pair {
            hit_rate: h.value,
            false_alarm_rate: f.value,
        },
        _ => RawCredibility::Unstated,
    };
    if result != RawCredibility::Unstated
        && let Some(i) = information
    {
        let over = match result {
            RawCredibility::Explicit(_) => "`credibility`",
            _ => "`hit_rate` and `false_alarm_rate`",
        };
        let key = t.key_at("information").unwrap_or_else(|| i.at.clone());
        d.warn(&key, msg::admiralty_ignored("information", over));
    }
    result
}

fn read_likelihood(t: &Fields, d: &mut Diags, bad: &mut bool) -> Option<RawLikelihood> {
    let key_at = t.key_at("likelihood")?;
    let Ok(Some(cells)) = t.sub("likelihood", d) else {
        *bad = true;
        return None;
    };
    let mut out = Vec::new();
    for (key, value) in cells.table.iter() {
        let name = format!("likelihood.{}", key.get_ref());
        let cell = read_cell(&cells, &name, value, d);
        *bad |= cell.is_none();
        out.push((
            Loc {
                value: key.get_ref().to_string(),
                at: cells.at(key.span()),
            },
            cell,
        ));
    }
    Some(RawLikelihood {
        at: key_at,
        cells: out,
    })
}

/// One likelihood cell: a number in [0, 1], a rating, or `{ value, range }`.
fn read_cell(
    parent: &Fields,
    name: &str,
    value: &Spanned<DeValue<'_>>,
    d: &mut Diags,
) -> Option<Cell> {
    let at = parent.at(value.span());
    let result = match value.get_ref() {
        DeValue::String(s) => Rating::parse(s)
            .map(Cell::Rating)
            .ok_or_else(|| msg::unknown_rating(s)),
        DeValue::Table(t) => {
            let f = parent.child(t, at.clone(), name);
            f.check_keys(&["value", "range"], d);
            let v = f.get("value", d, |n, v| bounded(n, v, Rule::Unit));
            let r = f.get("range", d, |n, v| read_range(n, v, RangeKind::Probability));
            if let Ok(None) = v {
                d.error(&at, msg::missing_key("value", &f.ctx()));
                return None;
            }
            check_point(&f, "value", &v, None, "range", &r, d);
            return match (v, r) {
                (Ok(Some(v)), Ok(r)) => Some(Cell::Value {
                    value: v.value,
                    range: r.map(|r| r.value),
                }),
                _ => None,
            };
        }
        v @ (DeValue::Integer(_) | DeValue::Float(_)) => {
            bounded(name, v, Rule::Unit).map(|value| Cell::Value { value, range: None })
        }
        other => Err(msg::wrong_type(
            name,
            "a number in [0, 1], a rating (CC, C, N, NA, I, II) or { value, range }",
            &found(other),
        )),
    };
    result.map_err(|m| d.error(&at, m)).ok()
}

/// `[ratings]`: overrides of CC, C, N, I, II (docs/reference.md §2.2).
fn read_ratings(t: &Fields, ratings: &mut RatingScale, d: &mut Diags) {
    for key in t.table.keys() {
        let key_at = t.at(key.span());
        let rating = match Rating::parse(key.get_ref()) {
            Some(Rating::NA) => {
                d.error(&key_at, msg::na_override());
                continue;
            }
            Some(r) => r,
            None => {
                d.error(&key_at, msg::unknown_rating(key.get_ref()));
                continue;
            }
        };
        let Ok(Some(level)) = t.sub(key.get_ref(), d) else {
            continue;
        };
        level.check_keys(&["likelihood", "range"], d);
        let l = level.get("likelihood", d, |n, v| bounded(n, v, Rule::Unit));
        let r = level.get("range", d, |n, v| read_range(n, v, RangeKind::Probability));
        let current = *ratings.level(rating);
        if let (Ok(l), Ok(r)) = (l, r) {
            let point = l.as_ref().map_or(current.likelihood, |l| l.value);
            let range = r.as_ref().map_or(current.range, |r| r.value);
            if !(range.lo <= point && point <= range.hi) {
                let at = match (&l, &r) {
                    (Some(l), _) => l.at.clone(),
                    (None, Some(r)) => r.at.clone(),
                    (None, None) => level.header.clone(),
                };
                let name = format!("{}likelihood", level.prefix);
                let range_name = format!("{}range", level.prefix);
                let m = match (&l, &r) {
                    (Some(_), Some(_)) => {
                        msg::outside_range(&name, point, &range_name, range.lo, range.hi)
                    }
                    (None, _) => msg::default_outside_range_of(
                        rating.as_str(),
                        point,
                        &range_name,
                        range.lo,
                        range.hi,
                    ),
                    (Some(_), None) => msg::outside_default_range(
                        &name,
                        point,
                        rating.as_str(),
                        range.lo,
                        range.hi,
                    ),
                };
                d.error(&at, m);
            } else {
                *ratings.level_mut(rating) = super::values::RatingLevel {
                    likelihood: point,
                    range,
                };
            }
        }
    }
}

/// `[admiralty]`: overrides of the reliability and information values (docs/reference.md §2.3).
fn read_admiralty(t: &Fields, admiralty: &mut AdmiraltyScale, d: &mut Diags) {
    t.check_keys(&["reliability", "information"], d);
    for (key, codes) in [
        ("reliability", ["A", "B", "C", "D", "E", "F"]),
        ("information", ["1", "2", "3", "4", "5", "6"]),
    ] {
        let Ok(Some(map)) = t.sub(key, d) else {
            continue;
        };
        for (code, value) in map.table.iter() {
            let code_at = map.at(code.span());
            let Some(slot) = codes.iter().position(|c| *c == code.get_ref().as_ref()) else {
                let m = if key == "reliability" {
                    msg::unknown_reliability(code.get_ref())
                } else {
                    msg::unknown_information(code.get_ref())
                };
                d.error(&code_at, m);
                continue;
            };
            let name = format!("{}{}", map.prefix, code.get_ref());
            match bounded(&name, value.get_ref(), Rule::Unit) {
                Ok(x) if key == "reliability" => admiralty.reliability[slot] = x,
                Ok(x) => admiralty.information[slot] = x,
                Err(m) => d.error(&map.at(value.span()), m),
            }
        }
    }
}

// --- values ------------------------------------------------------------------------------

/// How a value is described in "found ..." messages.
pub(crate) fn found(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(_) | DeValue::Float(_) => "a number".into(),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(dt) => describe_datetime(dt),
        DeValue::Array(_) => "an array".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// "the date 2025-12-24", "the time 10:00:00", "the date-time ...".
fn describe_datetime(dt: &toml::value::Datetime) -> String {
    match (dt.date, dt.time) {
        (Some(_), None) => format!("the date {dt}"),
        (None, Some(_)) => format!("the time {dt}"),
        _ => format!("the date-time {dt}"),
    }
}

pub(crate) fn read_string<'v>(name: &str, v: &'v DeValue<'_>) -> Result<&'v str, String> {
    match v {
        DeValue::String(s) => Ok(s),
        other => Err(msg::wrong_type(name, "a string", &found(other))),
    }
}

/// An array of strings, each with its span.
fn read_string_list(name: &str, v: &DeValue<'_>) -> Result<Vec<(String, Span<usize>)>, String> {
    let expected = "an array of strings";
    let DeValue::Array(items) = v else {
        return Err(msg::wrong_type(name, expected, &found(v)));
    };
    items
        .iter()
        .map(|item| match item.get_ref() {
            DeValue::String(s) => Ok((s.to_string(), item.span())),
            other => Err(msg::wrong_type(name, expected, &found(other))),
        })
        .collect()
}

/// Whether `s` is a valid id: `[A-Za-z][A-Za-z0-9_-]*`, not `priors`.
pub(crate) fn check_id(s: &str) -> Result<(), String> {
    let mut chars = s.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        Err(msg::invalid_id(s))
    } else if s == "priors" {
        Err(msg::reserved_id(s))
    } else {
        Ok(())
    }
}

/// A finite number (integer or float).
pub(crate) fn read_number(name: &str, v: &DeValue<'_>) -> Result<f64, String> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(|x| x as f64)
            .map_err(|_| msg::too_large(name)),
        DeValue::Float(f) => {
            let s = f.as_str().trim_start_matches(['+', '-']);
            if s == "nan" {
                return Err(msg::nan(name));
            }
            if s == "inf" {
                return Err(msg::infinite(name));
            }
            match f.as_str().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(msg::too_large(name)),
            }
        }
        other => Err(msg::wrong_type(name, "a number", &found(other))),
    }
}

/// The bounds a number must respect: the rules of [`values`](super::values).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// A probability-like number in [0, 1].
    Unit,
    /// A weight: 0 ≤ w ≤ 1e6.
    Weight,
    /// A prior weight: 0 < w ≤ 1e6.
    Prior,
}

impl Rule {
    fn domain(self) -> Domain {
        match self {
            Rule::Unit => Domain::Probability,
            Rule::Weight => Domain::Weight,
            Rule::Prior => Domain::Prior,
        }
    }
}

pub(crate) fn bounded(name: &str, v: &DeValue<'_>, rule: Rule) -> Result<f64, String> {
    let x = read_number(name, v)?;
    rule.domain().point(x).map_err(|e| e.message(name, ""))
}

/// What a range bounds: a probability (0 < lo ≤ hi < 1) or a positive weight.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RangeKind {
    /// A probability: 0 < lo ≤ hi < 1.
    Probability,
    /// A weight or prior weight: 0 < lo ≤ hi ≤ 1e6, hi/lo ≤ 1e6.
    Positive,
}

pub(crate) fn read_range(name: &str, v: &DeValue<'_>, kind: RangeKind) -> Result<Range, String> {
    let DeValue::Array(items) = v else {
        return Err(msg::range_shape(name));
    };
    let numbers = items
        .iter()
        .map(|i| match i.get_ref() {
            n @ (DeValue::Integer(_) | DeValue::Float(_)) => read_number(name, n),
            _ => Err(msg::range_shape(name)),
        })
        .collect::<Result<Vec<f64>, String>>()?;
    let [lo, hi] = numbers[..] else {
        return Err(msg::range_shape(name));
    };
    let domain = match kind {
        RangeKind::Probability => Domain::Probability,
        RangeKind::Positive => Domain::Weight,
    };
    domain.range(lo, hi).map_err(|e| e.message(name, ""))
}

/// Checks that a point value lies inside its range when both are valid; `default` is the
/// point when the key is absent (`None`: nothing to check).
fn check_point(
    t: &Fields,
    point_key: &str,
    point: &Got<Loc<f64>>,
    default: Option<f64>,
    range_key: &str,
    range: &Got<Loc<Range>>,
    d: &mut Diags,
) {
    let (Ok(point), Ok(Some(range))) = (point, range) else {
        return;
    };
    let (x, at) = match point {
        Some(p) => (p.value, &p.at),
        None => match default {
            Some(x) => (x, &range.at),
            None => return,
        },
    };
    if let Err(e) = values::inside(x, range.value) {
        let name = |k: &str| format!("{}{k}", t.prefix);
        d.error(at, e.message(&name(point_key), &name(range_key)));
    }
}

pub(crate) fn read_weight(name: &str, v: &DeValue<'_>) -> Result<f64, String> {
    match v {
        DeValue::String(s) => weight_label(s).ok_or_else(|| msg::unknown_label("weight", s)),
        DeValue::Integer(_) | DeValue::Float(_) => bounded(name, v, Rule::Weight),
        other => Err(msg::wrong_type(
            name,
            "a number or a label (`high`, `medium`, `low`)",
            &found(other),
        )),
    }
}

pub(crate) fn read_credibility_value(name: &str, v: &DeValue<'_>) -> Result<f64, String> {
    match v {
        DeValue::String(s) => {
            credibility_label(s).ok_or_else(|| msg::unknown_label("credibility", s))
        }
        DeValue::Integer(_) | DeValue::Float(_) => bounded(name, v, Rule::Unit),
        other => Err(msg::wrong_type(
            name,
            "a number in [0, 1] or a label (`high`, `medium`, `low`)",
            &found(other),
        )),
    }
}

fn read_reliability(name: &str, v: &DeValue<'_>) -> Result<char, String> {
    let s = read_string(name, v)?;
    match s.chars().collect::<Vec<_>>()[..] {
        [c @ 'A'..='F'] => Ok(c),
        _ => Err(msg::unknown_reliability(s)),
    }
}

fn read_information(name: &str, v: &DeValue<'_>) -> Result<u8, String> {
    match v {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(x @ 1..=6) => Ok(x as u8),
            _ => Err(msg::unknown_information(&i.to_string())),
        },
        other => Err(msg::wrong_type(name, "a digit 1–6", &found(other))),
    }
}

fn read_date(name: &str, v: &DeValue<'_>) -> Result<Date, String> {
    match v {
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Ok(Date {
                year: date.year,
                month: date.month,
                day: date.day,
            }),
            _ => Err(msg::bad_date(name, &describe_datetime(dt))),
        },
        other => Err(msg::bad_date(name, &found(other))),
    }
}
