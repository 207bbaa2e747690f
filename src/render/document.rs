//! What every document has in common: the formats, the [`Document`] trait that renders a
//! summary in each, and the CSV of typed rows ([`Csv`]).
//!
//! The producers (`score`, `sweep`, `indicators`, `workflow`, `report`) return plain data; the
//! `impl Document` of each summary is in [`crate::render::md`], one file per document.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::case::Case;
use crate::error::{Error, Refused};
use crate::output::to_json;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown for people (default).
    Md,
    /// JSON for programs.
    Json,
    /// CSV: one row per list element.
    Csv,
    /// A self-contained HTML page (`report` only).
    Html,
}

/// A summary that can be rendered in every format it supports.
pub trait Document: Serialize {
    /// Markdown for people.
    fn markdown(&self) -> String;

    /// The CSV rows: the elements of the document's main list, typed (see [`Csv`]).
    fn csv(&self) -> Csv;

    /// HTML, for documents that have a page (`report`); `None` otherwise.
    fn html(&self) -> Option<String> {
        None
    }

    /// A part of a sharded run, read by `abduce merge` rather than by people: JSON whatever
    /// the format asked for.
    fn is_part(&self) -> bool {
        false
    }

    /// Renders the document in `format`.
    ///
    /// # Errors
    /// When the document has no rendering in that format (HTML but for `report`).
    fn render(&self, format: Format) -> Result<Vec<u8>, Error> {
        if self.is_part() {
            return Ok(to_json(self).into_bytes());
        }
        Ok(match format {
            Format::Md => self.markdown().into_bytes(),
            Format::Json => to_json(self).into_bytes(),
            Format::Csv => self.csv().to_string().into_bytes(),
            Format::Html => self
                .html()
                .ok_or(Error::Refused(Refused::HtmlOnlyForReport))?
                .into_bytes(),
        })
    }
}

/// A document of one case that names the case's parts by their titles (the case's title and
/// question, item and hypothesis titles): it takes them from the case it was made from rather
/// than carrying copies, and becomes a [`Document`] with that case ([`CaseDocument::with`]).
pub trait CaseDocument: Serialize + Sized {
    /// Markdown for people, with the labels of `case`.
    fn markdown(&self, case: &Case) -> String;

    /// The CSV rows (see [`Document::csv`]); `case` gives the header of an empty list.
    fn csv(&self, case: &Case) -> Csv;

    /// A part of a sharded run (see [`Document::is_part`]).
    fn is_part(&self) -> bool {
        false
    }

    /// The document with the case it was made from: a [`Document`].
    fn with<'a>(&'a self, case: &'a Case) -> WithCase<'a, Self> {
        WithCase { doc: self, case }
    }
}

/// A [`CaseDocument`] with its case: its JSON is the document's own.
#[derive(Debug, Clone, Copy)]
pub struct WithCase<'a, D> {
    /// The document.
    pub doc: &'a D,
    /// The case it was made from.
    pub case: &'a Case,
}

impl<D: CaseDocument> Serialize for WithCase<'_, D> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.doc.serialize(s)
    }
}

impl<D: CaseDocument> Document for WithCase<'_, D> {
    fn markdown(&self) -> String {
        self.doc.markdown(self.case)
    }

    fn csv(&self) -> Csv {
        self.doc.csv(self.case)
    }

    fn is_part(&self) -> bool {
        self.doc.is_part()
    }
}

/// The CSV of a document: its rows, each a value of the row type the document declares
/// (`Csv::rows(&self.hypotheses)`), so that a row list cannot be misnamed.
///
/// Nested objects and arrays of a row become dotted columns (`contributions_db.etim`,
/// `rank_probs.0`), `null` an empty cell; columns appear in order of first appearance.
#[derive(Debug, Clone, Default)]
pub struct Csv {
    rows: Vec<Value>,
    header_of: Option<Value>,
}

impl Csv {
    /// One row per element of `rows`.
    pub fn rows<R: Serialize>(rows: &[R]) -> Csv {
        Csv {
            rows: rows.iter().map(to_value).collect(),
            header_of: None,
        }
    }

    /// No rows and no header: for a part of a sharded run, which is always JSON.
    pub fn none() -> Csv {
        Csv::default()
    }

    /// When there is no row, the header is that of `template`, one row with every column
    /// present (e.g. a timeline with no dated item); without it an empty list gives nothing.
    pub fn or_header_of<R: Serialize>(mut self, template: &R) -> Csv {
        self.header_of = Some(to_value(template));
        self
    }

    /// Rows of families after the hypotheses' (ids are unique across both, so the `id`
    /// column tells them apart), with `members` as one cell of space-separated ids.
    pub fn and_families<F: Serialize>(mut self, families: &[F]) -> Csv {
        self.rows.extend(families.iter().map(|f| {
            let mut v = to_value(f);
            if let Some(Value::Array(m)) = v.get("members") {
                let ids: Vec<&str> = m.iter().filter_map(Value::as_str).collect();
                v["members"] = Value::String(ids.join(" "));
            }
            v
        }));
        self
    }
}

impl std::fmt::Display for Csv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&csv_from_list(&self.rows, self.header_of.as_ref()))
    }
}

fn to_value<T: Serialize + ?Sized>(x: &T) -> Value {
    serde_json::to_value(x).expect("summaries serialise")
}

/// CSV of a list of objects: one row per element, flattened. An empty list gives the header
/// of `template`'s keys alone (no header at all without a template).
fn csv_from_list(list: &[Value], template: Option<&Value>) -> String {
    let flat = |v: &Value| {
        let mut flat = Map::new();
        flatten("", v, &mut flat);
        flat
    };
    let rows: Vec<Map<String, Value>> = list.iter().map(flat).collect();
    let mut columns: Vec<String> = Vec::new();
    if rows.is_empty() {
        columns = template
            .map(|t| flat(t).keys().cloned().collect())
            .unwrap_or_default();
        if columns.is_empty() {
            return String::new();
        }
    }
    for row in &rows {
        for k in row.keys() {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&columns).expect("writing to memory");
    for row in &rows {
        w.write_record(columns.iter().map(|c| match row.get(c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        }))
        .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 is UTF-8")
}

fn flatten(prefix: &str, v: &Value, out: &mut Map<String, Value>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| flatten(&key(k), v, out)),
        Value::Array(a) if !prefix.is_empty() => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| flatten(&key(&i.to_string()), v, out)),
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_flattens_nested_values() {
        let list = json!([
            {"id": "a", "p": 0.25, "m": {"x": 1, "y": null}, "r": [0.5, 0.5]},
            {"id": "b,c", "p": 1e-20, "m": {"x": 2, "y": "q"}, "r": [1.0, 0.0]}
        ]);
        let list = list.as_array().unwrap();
        assert_eq!(
            csv_from_list(list, None),
            "id,p,m.x,m.y,r.0,r.1\na,0.25,1,,0.5,0.5\n\"b,c\",1e-20,2,q,1.0,0.0\n"
        );
        // An empty list: the template's header, or nothing.
        let template = json!({"date": "", "posteriors": {"a": 0.0, "b": 0.0}});
        assert_eq!(
            csv_from_list(&[], Some(&template)),
            "date,posteriors.a,posteriors.b\n"
        );
        assert_eq!(csv_from_list(&[], None), "");
    }

    #[derive(Serialize)]
    struct Fam {
        id: &'static str,
        members: Vec<&'static str>,
    }

    #[test]
    fn typed_rows_then_families() {
        #[derive(Serialize)]
        struct Hyp {
            id: &'static str,
            p: f64,
        }
        let csv = Csv::rows(&[Hyp { id: "a", p: 0.5 }]).and_families(&[Fam {
            id: "f",
            members: vec!["a", "b"],
        }]);
        // The family's `members` column comes after the hypotheses' columns; its `p` is empty.
        assert_eq!(csv.to_string(), "id,p,members\na,0.5,\nf,,a b\n");
        let empty: [Hyp; 0] = [];
        let header = Csv::rows(&empty).or_header_of(&Hyp { id: "", p: 0.0 });
        assert_eq!(header.to_string(), "id,p\n");
        assert_eq!(Csv::none().to_string(), "");
    }
}
