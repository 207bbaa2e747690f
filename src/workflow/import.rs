//! `abduce import achz|csv`: matrices kept in other tools, written as a new case folder.
//!
//! Both importers build a [`Case`] in memory ([`from_csv`], [`from_achz`]); [`case_files`]
//! writes it as `hypotheses/<name>.toml` and `evidence/<name>/<name>.toml` in the plain
//! style of the shipped cases, and [`write_case`] puts them on disk without overwriting
//! anything.

use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use crate::case::values::Domain;
use crate::case::values::{credibility_label, weight_label};
use crate::case::{Case, Cell, Credibility, CredibilityBasis, Date, Evidence, Rating, Status};
use crate::error::{Diagnostic, Error};
use crate::workflow::export::{COLUMNS, PRIORS_ROW};
use crate::workflow::{UniqueIds, slug_id, unique_id};

/// A case read from another tool, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The case (no files, not bundled).
    pub case: Case,
    /// Warnings (e.g. unrated cells read as NA).
    pub warnings: Vec<Diagnostic>,
}

/// Parses a rating as analysts write it: case and spaces ignored (`"C C"` = `CC`,
/// `"i i"` = `II`), `N/A` = `NA`.
pub fn parse_rating(s: &str) -> Option<Rating> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if t == "N/A" {
        return Some(Rating::NA);
    }
    Rating::parse(&t)
}

/// A `YYYY-MM-DD` date with a real month and day.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = Date {
        year: y.parse().ok()?,
        month: m.parse().ok()?,
        day: d.parse().ok()?,
    };
    (date.month >= 1
        && date.month <= 12
        && date.day >= 1
        && date.day <= days_in_month(date.year, date.month))
    .then_some(date)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The UTC calendar date of a Unix time in milliseconds (Hinnant's `civil_from_days`).
pub fn date_from_epoch_ms(ms: i64) -> Option<Date> {
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (1..=9999).contains(&year).then_some(Date {
        year: year as u16,
        month: month as u8,
        day: day as u8,
    })
}

/// A CSV cell read as a number of `domain` (the rules of `case::values`, with their
/// messages, `name` naming the quantity): `None` when the text is not a number at all.
fn number_in(s: &str, domain: Domain, name: &str) -> Option<Result<f64, String>> {
    let x = s.trim().parse::<f64>().ok()?;
    Some(domain.point(x).map_err(|e| e.message(name, "")))
}

/// Reads a matrix from CSV (the format of `abduce export csv`).
///
/// The first row names the columns. `id`, `title`, `credibility`, `weight`, `date`,
/// `status` and `note` (any case, any order, all optional) describe the items; a header a few
/// letters from one of them (`Credibilty`) is refused as a likely misspelling; every other
/// column is a hypothesis, its header the hypothesis's name (the id is made from it with
/// [`slug_id`]). Each other row is an evidence item; its cells are ratings (`CC`, `C`, `N`,
/// `NA`, `I`, `II`, case and spaces ignored) or likelihoods in [0, 1]. A row whose id is
/// `priors` gives the prior weights (> 0). Empty rows are skipped. `name` is the case name,
/// `origin` the file named in diagnostics.
///
/// # Errors
/// Every bad cell, each with its line and column; fewer than two hypothesis columns.
pub fn from_csv(text: &str, name: &str, origin: &Path) -> Result<Imported, Error> {
    let err = |m: String| Diagnostic::error(m).in_file(origin);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::from(err(format!("cannot read the header row: {e}"))))?
        .clone();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut role: Vec<Option<&str>> = Vec::new(); // Some(column) or None for a hypothesis
    let mut hyp_cols: Vec<usize> = Vec::new();
    let mut hyp_ids: Vec<String> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let lower = h.to_lowercase();
        if let Some(c) = COLUMNS.iter().find(|c| **c == lower) {
            if role.contains(&Some(*c)) {
                errors.push(err(format!("line 1: the column `{c}` appears twice")));
            }
            role.push(Some(c));
        } else if h.is_empty() {
            errors.push(err(format!("line 1: column {} has no name", i + 1)));
            role.push(Some(""));
        } else if let Some(c) = crate::error::did_you_mean(&lower, COLUMNS.iter().copied()) {
            // A misspelt item column would silently become a hypothesis (docs/decisions.md).
            errors.push(err(format!(
                "line 1: unknown column `{h}`; {} (a hypothesis whose name is this close to `{c}` needs another name)",
                crate::error::Suggestion(c)
            )));
            role.push(Some(""));
        } else {
            role.push(None);
            hyp_cols.push(i);
            hyp_ids.push(unique_id(slug_id(h), &mut hyp_ids.clone()));
        }
    }
    if hyp_cols.len() < 2 {
        errors.push(err(format!(
            "line 1: a case needs at least 2 hypothesis columns; found {} (the other columns are {})",
            hyp_cols.len(),
            COLUMNS.join(", ")
        )));
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let col = |c: &str| role.iter().position(|r| *r == Some(c));
    let mut case = Case::new(
        name,
        &hyp_ids
            .iter()
            .map(|id| (id.as_str(), 1.0))
            .collect::<Vec<_>>(),
    );
    for (h, &c) in case.hypotheses.iter_mut().zip(&hyp_cols) {
        h.title = headers[c].to_string();
    }
    let mut taken = UniqueIds::default();
    let mut priors_seen = false;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(format!("cannot read a row: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > headers.len() {
            errors.push(err(format!(
                "line {line}: {} cells for {} columns",
                record.len(),
                headers.len()
            )));
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let cell_err =
            |c: usize, m: &str| err(format!("line {line}, column `{}`: {m}", &headers[c]));
        let given_id = get(col("id"));
        if given_id.eq_ignore_ascii_case(PRIORS_ROW) {
            if priors_seen {
                errors.push(err(format!("line {line}: a second `priors` row")));
            }
            priors_seen = true;
            for (k, &c) in hyp_cols.iter().enumerate() {
                let name = format!("{}.prior", case.hypotheses[k].id);
                match number_in(get(Some(c)), Domain::Prior, &name) {
                    Some(Ok(p)) => case.hypotheses[k].prior = p,
                    Some(Err(m)) => errors.push(cell_err(c, &m)),
                    None => errors.push(cell_err(
                        c,
                        &format!(
                            "`{}` is not a prior weight (a number > 0, at most 1e6)",
                            get(Some(c))
                        ),
                    )),
                }
            }
            continue;
        }
        let title = get(col("title"));
        let base = if !given_id.is_empty() {
            let id = slug_id(given_id);
            if id != given_id {
                warnings.push(
                    Diagnostic::warning(format!(
                        "line {line}: the id `{given_id}` is written as `{id}`"
                    ))
                    .in_file(origin),
                );
            }
            id
        } else if !title.is_empty() {
            slug_id(title)
        } else {
            format!("e{}", case.evidence.len() + 1)
        };
        let mut item = Evidence::new(&taken.make(base), &[]);
        item.title = (!title.is_empty()).then(|| title.to_string());
        for (k, &c) in hyp_cols.iter().enumerate() {
            let s = get(Some(c));
            let name = format!("likelihood.{}", case.hypotheses[k].id);
            match parse_rating(s) {
                Some(r) => item.likelihood.push(Cell::Rating(r)),
                None => match number_in(s, Domain::Probability, &name) {
                    Some(Ok(value)) => item.likelihood.push(Cell::Value { value, range: None }),
                    Some(Err(m)) => {
                        errors.push(cell_err(c, &m));
                        item.likelihood.push(Cell::Rating(Rating::NA));
                    }
                    None => {
                        errors.push(cell_err(c, &if s.is_empty() {
                            "empty cell; write NA for a hypothesis the item does not bear on".to_string()
                        } else {
                            format!("`{s}` is neither a rating (CC, C, N, NA, I, II) nor a likelihood in [0, 1]")
                        }));
                        item.likelihood.push(Cell::Rating(Rating::NA));
                    }
                },
            }
        }
        if let Some(c) = col("credibility") {
            let s = get(Some(c));
            if !s.is_empty() {
                let read = credibility_label(&s.to_lowercase())
                    .map(Ok)
                    .or_else(|| number_in(s, Domain::Probability, "credibility"));
                match read {
                    Some(Err(m)) => errors.push(cell_err(c, &m)),
                    Some(Ok(value)) => {
                        item.credibility = Credibility::Mixture {
                            value,
                            range: None,
                            basis: CredibilityBasis::Explicit,
                        }
                    }
                    None => errors.push(cell_err(
                        c,
                        &format!(
                            "`{s}` is not a credibility (a number in [0, 1], or high, medium, low)"
                        ),
                    )),
                }
            }
        }
        if let Some(c) = col("weight") {
            let s = get(Some(c));
            if !s.is_empty() {
                let read = weight_label(&s.to_lowercase())
                    .map(Ok)
                    .or_else(|| number_in(s, Domain::Weight, "weight"));
                match read {
                    Some(Err(m)) => errors.push(cell_err(c, &m)),
                    Some(Ok(w)) => item.weight = w,
                    None => errors.push(cell_err(
                        c,
                        &format!(
                            "`{s}` is not a weight (a number from 0 to 1e6, or high, medium, low)"
                        ),
                    )),
                }
            }
        }
        if let Some(c) = col("date") {
            let s = get(Some(c));
            if !s.is_empty() {
                item.date = parse_date(s);
                if item.date.is_none() {
                    errors.push(cell_err(c, &format!("`{s}` is not a date YYYY-MM-DD")));
                }
            }
        }
        if let Some(c) = col("status") {
            let s = get(Some(c));
            if !s.is_empty() {
                match Status::parse(&s.to_lowercase()) {
                    Some(st) => item.status = st,
                    None => errors.push(cell_err(
                        c,
                        &format!("`{s}` is not a status (observed, absent, pending, retracted)"),
                    )),
                }
            }
        }
        let note = get(col("note"));
        item.note = (!note.is_empty()).then(|| note.to_string());
        case.evidence.push(item);
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    Ok(Imported { case, warnings })
}

/// A minimal XML element: its local name, its text and its child elements.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    /// The first element named `name` (ASCII case ignored) at or below this one, depth first.
    fn find(&self, name: &str) -> Option<&Node> {
        if self.name.eq_ignore_ascii_case(name) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }

    /// Child elements named `name`.
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children
            .iter()
            .filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    /// The trimmed text of the first child named `name`, or "".
    fn field<'a>(&'a self, name: &'a str) -> &'a str {
        self.all(name).next().map_or("", |c| c.text.trim())
    }
}

fn parse_xml(text: &str) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![Node::default()];
    let name_of = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        let top = stack.last_mut().expect("the root stays on the stack");
        match event {
            Event::Start(e) => stack.push(Node {
                name: name_of(e.local_name().as_ref()),
                ..Node::default()
            }),
            Event::Empty(e) => top.children.push(Node {
                name: name_of(e.local_name().as_ref()),
                ..Node::default()
            }),
            Event::End(_) => {
                let node = stack.pop().expect("the root stays on the stack");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Err("malformed XML: an end tag without a start".into()),
                }
            }
            Event::Text(t) => top.text += &t.decode().map_err(|e| e.to_string())?,
            Event::CData(t) => top.text += &t.decode().map_err(|e| e.to_string())?,
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    top.text.push(c);
                } else {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    let s = quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| format!("unknown XML entity `&{name};`"))?;
                    top.text += s;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("malformed XML: the document ends inside an element".into());
    }
    Ok(stack.pop().expect("checked"))
}

/// Decodes the XML text of an .achz file: UTF-16 (little or big endian, told by its byte
/// order mark, or by a zero byte when there is none) or UTF-8.
fn decode_text(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |b: &[u8], le: bool| -> Result<String, String> {
        if !b.len().is_multiple_of(2) {
            return Err("the UTF-16 text has an odd number of bytes".into());
        }
        let units = b.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| format!("the UTF-16 text is malformed: {e}"))
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|e| e.to_string())
        }
        [_, 0, ..] => utf16(bytes, true),
        [0, _, ..] => utf16(bytes, false),
        _ => String::from_utf8(bytes.to_vec())
            .map_err(|e| format!("the text is not UTF-8 or UTF-16: {e}")),
    }
}

/// Reads a PARC ACH file (`.achz`: gzip-compressed UTF-16 XML; plain XML is accepted too).
///
/// Understood: `PROJECT-TITLE` (the case title); `MATRIX/HYPOTHESIS/NAME` (hypotheses in
/// order); `MATRIX/EVIDENCE` with `NAME` (title; the id is made from it), `NOTES` (note),
/// `TYPE`, `CODE` and `FLAG` (appended to the note), `DATE` (Unix time in milliseconds,
/// read as a UTC date), `CREDIBILITY` (`HIGH`, `MEDIUM`, `LOW`) and `VALUES` (one rating per
/// hypothesis, in order: child elements, or text separated by commas, semicolons, `|`, tabs
/// or line breaks; `C C` = CC, `I I` = II; an empty rating is read as NA with a warning).
///
/// # Errors
/// A file that is not gzip/XML/UTF-16, no `MATRIX`, fewer than two hypotheses, or a bad
/// field (each named with its evidence item).
pub fn from_achz(bytes: &[u8], name: &str, origin: &Path) -> Result<Imported, Error> {
    let err = |m: String| Error::from(Diagnostic::error(m).in_file(origin));
    let raw = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| err(format!("cannot decompress: {e}")))?;
        out
    } else {
        bytes.to_vec()
    };
    let text = decode_text(&raw).map_err(err)?;
    let root = parse_xml(&text).map_err(err)?;
    let matrix = root
        .find("MATRIX")
        .ok_or_else(|| err("no MATRIX element: is this a PARC ACH file?".into()))?;
    let mut hyp_ids: Vec<String> = Vec::new();
    let mut titles = Vec::new();
    for (k, h) in matrix.all("HYPOTHESIS").enumerate() {
        let title = h.field("NAME");
        let base = if title.is_empty() {
            format!("h{}", k + 1)
        } else {
            slug_id(title)
        };
        unique_id(base, &mut hyp_ids);
        titles.push(if title.is_empty() {
            format!("Hypothesis {}", k + 1)
        } else {
            title.to_string()
        });
    }
    if hyp_ids.len() < 2 {
        return Err(err(format!(
            "a case needs at least 2 hypotheses; the matrix has {}",
            hyp_ids.len()
        )));
    }
    let mut case = Case::new(
        name,
        &hyp_ids
            .iter()
            .map(|id| (id.as_str(), 1.0))
            .collect::<Vec<_>>(),
    );
    for (h, t) in case.hypotheses.iter_mut().zip(titles) {
        h.title = t;
    }
    let project = root.find("PROJECT-TITLE").map_or("", |n| n.text.trim());
    if !project.is_empty() {
        case.title = project.to_string();
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut taken = UniqueIds::default();
    for (n, ev) in matrix.all("EVIDENCE").enumerate() {
        let title = ev.field("NAME");
        let base = if title.is_empty() {
            format!("e{}", n + 1)
        } else {
            slug_id(title)
        };
        let mut item = Evidence::new(&taken.make(base), &[]);
        let what = format!("evidence {} (`{}`)", n + 1, item.id);
        let problem = |m: String| Diagnostic::error(format!("{what}: {m}")).in_file(origin);
        item.title = (!title.is_empty()).then(|| title.to_string());
        let values = ev.all("VALUES").next();
        let ratings: Vec<String> = match values {
            Some(v) if !v.children.is_empty() => {
                v.children.iter().map(|c| c.text.clone()).collect()
            }
            Some(v) => split_values(&v.text),
            None => Vec::new(),
        };
        if ratings.len() != hyp_ids.len() {
            errors.push(problem(format!(
                "VALUES gives {} rating(s) for {} hypotheses",
                ratings.len(),
                hyp_ids.len()
            )));
        }
        for (k, r) in ratings
            .iter()
            .enumerate()
            .take_while(|_| ratings.len() == hyp_ids.len())
        {
            if r.trim().is_empty() {
                warnings.push(
                    Diagnostic::warning(format!(
                        "{what}: no rating for `{}`, read as NA",
                        hyp_ids[k]
                    ))
                    .in_file(origin),
                );
                item.likelihood.push(Cell::Rating(Rating::NA));
            } else if let Some(rating) = parse_rating(r) {
                item.likelihood.push(Cell::Rating(rating));
            } else {
                errors.push(problem(format!(
                    "`{}` is not a rating (C C, C, N, NA, I, I I)",
                    r.trim()
                )));
            }
        }
        let cred = ev.field("CREDIBILITY");
        if !cred.is_empty() {
            match credibility_label(&cred.to_lowercase()) {
                Some(value) => {
                    item.credibility = Credibility::Mixture {
                        value,
                        range: None,
                        basis: CredibilityBasis::Explicit,
                    }
                }
                None => errors.push(problem(format!(
                    "CREDIBILITY `{cred}` is not HIGH, MEDIUM or LOW"
                ))),
            }
        }
        let date = ev.field("DATE");
        if !date.is_empty() {
            item.date = date.parse::<i64>().ok().and_then(date_from_epoch_ms);
            if item.date.is_none() {
                errors.push(problem(format!(
                    "DATE `{date}` is not a time in milliseconds since 1970 (UTC)"
                )));
            }
        }
        let mut note: Vec<String> = Vec::new();
        if !ev.field("NOTES").is_empty() {
            note.push(ev.field("NOTES").to_string());
        }
        for (tag, label) in [
            ("TYPE", "ACH type"),
            ("CODE", "ACH code"),
            ("FLAG", "ACH flag"),
        ] {
            if !ev.field(tag).is_empty() {
                note.push(format!("{label}: {}", ev.field(tag)));
            }
        }
        item.note = (!note.is_empty()).then(|| note.join("\n"));
        case.evidence.push(item);
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    Ok(Imported { case, warnings })
}

/// The ratings of a `VALUES` text. With `,` `;` or `|` in it, those separate the ratings (an
/// empty piece is a missing rating) and white space around them, line breaks included, is
/// ignored. Otherwise tabs and line breaks separate them, and blank lines and indentation
/// (a pretty-printed file) are ignored. A space inside a rating is kept: `C C` is CC.
fn split_values(text: &str) -> Vec<String> {
    let text = text.trim();
    if text.contains([',', ';', '|']) {
        text.split([',', ';', '|'])
            .map(|r| r.trim().to_string())
            .collect()
    } else {
        text.split(['\t', '\n'])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out += "\\\"",
            '\\' => out += "\\\\",
            '\n' => out += "\\n",
            '\t' => out += "\\t",
            '\r' => out += "\\r",
            c if c.is_control() => out += &format!("\\u{:04X}", c as u32),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML float: the shortest round-trip decimal, always with a `.` or exponent.
fn toml_float(x: f64) -> String {
    let s = format!("{x}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// `key = value` lines with the `=` aligned.
fn block(pairs: &[(String, String)]) -> String {
    let width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| format!("{k}{} = {v}\n", " ".repeat(width - k.chars().count())))
        .collect()
}

fn range(r: &crate::case::Range) -> String {
    format!("[{}, {}]", toml_float(r.lo), toml_float(r.hi))
}

/// The case as TOML files: `hypotheses/<name>.toml` and `evidence/<name>/<name>.toml`
/// (paths relative to the case folder), headed by a comment naming `origin`.
///
/// Written: the case title and question; each hypothesis's id, title, description, prior
/// (when not 1) and prior range; each item's id, title, date, credibility (a label when the
/// number is exactly one, omitted without credibility information), credibility range or
/// hit/false-alarm rates, weight (a label when exactly one, omitted when 1), weight range,
/// status (omitted when observed), note and likelihood table. Sources and groups are not
/// written (the importers never make them).
pub fn case_files(case: &Case, origin: &str) -> Vec<(PathBuf, String)> {
    let mut hyp = format!("# Imported by abduce from {origin}.\n\n[case]\n");
    let mut head = vec![("title".to_string(), toml_str(&case.title))];
    if let Some(q) = &case.question {
        head.push(("question".into(), toml_str(q)));
    }
    hyp += &block(&head);
    for h in &case.hypotheses {
        let mut p = vec![
            ("id".to_string(), toml_str(&h.id)),
            ("title".into(), toml_str(&h.title)),
        ];
        if let Some(d) = &h.description {
            p.push(("description".into(), toml_str(d)));
        }
        if h.prior != 1.0 {
            p.push(("prior".into(), toml_float(h.prior)));
        }
        if let Some(r) = &h.prior_range {
            p.push(("prior_range".into(), range(r)));
        }
        hyp += &format!("\n[[hypothesis]]\n{}", block(&p));
    }

    let mut ev = format!("# Evidence imported by abduce from {origin}.\n");
    for e in &case.evidence {
        let mut p = vec![("id".to_string(), toml_str(&e.id))];
        if let Some(t) = &e.title {
            p.push(("title".into(), toml_str(t)));
        }
        if let Some(d) = e.date {
            p.push(("date".into(), d.to_string()));
        }
        match e.credibility {
            Credibility::Mixture {
                basis: CredibilityBasis::Default,
                ..
            } => {}
            Credibility::Mixture {
                value, range: r, ..
            } => {
                let label = ["high", "medium", "low"]
                    .into_iter()
                    .find(|l| credibility_label(l) == Some(value));
                p.push((
                    "credibility".into(),
                    label.map_or_else(|| toml_float(value), toml_str),
                ));
                if let Some(r) = &r {
                    p.push(("credibility_range".into(), range(r)));
                }
            }
            Credibility::Schum {
                hit_rate,
                false_alarm_rate,
            } => {
                p.push(("hit_rate".into(), toml_float(hit_rate)));
                p.push(("false_alarm_rate".into(), toml_float(false_alarm_rate)));
            }
        }
        if e.weight != 1.0 {
            let label = ["high", "low"]
                .into_iter()
                .find(|l| weight_label(l) == Some(e.weight));
            p.push((
                "weight".into(),
                label.map_or_else(|| toml_float(e.weight), toml_str),
            ));
        }
        if let Some(r) = &e.weight_range {
            p.push(("weight_range".into(), range(r)));
        }
        if e.status != Status::Observed {
            p.push(("status".into(), toml_str(e.status.as_str())));
        }
        if let Some(n) = &e.note {
            p.push(("note".into(), toml_str(n)));
        }
        ev += &format!("\n[[evidence]]\n{}", block(&p));
        let cells: Vec<(String, String)> = case
            .hypotheses
            .iter()
            .zip(&e.likelihood)
            .map(|(h, c)| {
                let v = match c {
                    Cell::Rating(r) => toml_str(r.as_str()),
                    Cell::Value { value, range: None } => toml_float(*value),
                    Cell::Value {
                        value,
                        range: Some(r),
                    } => {
                        format!("{{ value = {}, range = {} }}", toml_float(*value), range(r))
                    }
                };
                (h.id.clone(), v)
            })
            .collect();
        ev += &format!("\n[evidence.likelihood]\n{}", block(&cells));
    }
    if case.evidence.is_empty() {
        ev += "# No evidence yet: add [[evidence]] tables here (see docs/format.md).\n";
    }
    vec![
        (PathBuf::from(format!("hypotheses/{}.toml", case.name)), hyp),
        (
            PathBuf::from(format!("evidence/{0}/{0}.toml", case.name)),
            ev,
        ),
    ]
}

/// Writes the case's files under `dir` (see [`case_files`]), never overwriting.
///
/// # Errors
/// As [`crate::workflow::init::write_new_files`].
pub fn write_case(case: &Case, dir: &Path, origin: &str) -> Result<Vec<PathBuf>, Error> {
    crate::workflow::init::write_new_files(dir, &case_files(case, origin))
}
