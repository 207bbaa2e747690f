//! Files → spanned TOML trees → raw records → validation → [`Case`] (docs/reference.md §1, §2, §10).
//!
//! The loader reads the hypotheses file, finds the evidence files, parses every file into a
//! spanned tree and reads it into raw records (module `raw`), checking each file on its
//! own; then it checks the case as a whole (ids, references, likelihood tables) and builds
//! the [`Case`]. Every problem is collected and all of them are reported at once, in file
//! reading order then position. The same code reads files from disk or from the copy of the
//! shipped case bundled into the binary (module `store`).
//!
//! Choices where docs/reference.md §1 is silent:
//! - `[case]`, `[[hypothesis]]`, `[ratings]` and `[admiralty]` belong in the hypotheses file
//!   only (an error elsewhere); `[[source]]`, `[[group]]` and `[[evidence]]` may be in any file.
//! - `[case] title` defaults to the case name, a hypothesis `title` to its id; a group needs
//!   its `correlation`; every item needs a `likelihood` table.
//! - With no `evidence` list, a case with neither `../evidence/<case>/` nor
//!   `../evidence/<case>.toml` is an error (write `evidence = []` to keep everything in the
//!   hypotheses file); an evidence folder with no `.toml` file is a warning.
//! - "Admiralty fields ignored" warns about the item's own `information` next to
//!   `credibility` or the hit/false-alarm pair; a source's `reliability` serves other items and
//!   is not warned about.
//! - An empty file (whitespace only) is an error; a file with only comments has no tables
//!   (a warning).
//! - After a syntax error in a file, its other problems are not reported (they would be
//!   guesses); while any file has syntax errors, unknown source and group ids are not reported
//!   either (the broken file may declare them), nor unknown hypotheses while the hypotheses
//!   file has syntax errors.
//! - When the input has errors, [`Error::Input`] carries them with the warnings found so far;
//!   warnings about the case as a whole (catch-all, credibility, groups, diagnosticity) need a
//!   valid case.
//!
//! The warnings that need the scorer (non-diagnostic items) are not this module's: `case`
//! depends on nothing above it. The caller passes them in as a [`Lint`], run on the valid case
//! in the place the loader's own warnings are found, so that they sort among them; the
//! crate's loader ([`crate::load`]) passes the scorer's, and every command loads through it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::de::DeTable;

use super::bundled;
use super::discover::CaseLocation;
use super::messages::{At, Diags, Doc, Loc, msg};
use super::model::{
    BUNDLED_MARK, Case, Credibility, CredibilityBasis, Evidence, Family, Group, Hypothesis, Source,
};
use super::provenance::Provenance;
use super::raw::{self, EvidenceSpec, RawCredibility, RawEvidence, RawFamily, RawFile};
use super::store::{Kind, Store, normalize};
use super::values::{AdmiraltyScale, RatingScale};
use crate::error::{Bundled, Diagnostic, Error, LineIndex};

/// A validated case and the warnings found while loading it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The case.
    pub case: Case,
    /// Warnings (docs/reference.md §1, §8 `check`), in file reading order then position.
    pub warnings: Vec<Diagnostic>,
}

/// Warnings about a valid case that the caller adds from a layer above `case` (the scorer's
/// non-diagnostic items: [`crate::load`]): each is an item's index in [`Case::evidence`] and
/// the message, reported at the item's id after the loader's own warnings about it.
pub type Lint = fn(&Case) -> Vec<(usize, String)>;

/// Loads and validates a case, with the warnings of `lint` (see [`Lint`]).
///
/// # Errors
/// Every problem found, each with its file, line and column ([`Error::Input`], which also
/// carries the warnings found so far).
pub fn load_with(location: &CaseLocation, lint: Lint) -> Result<Loaded, Error> {
    match location {
        CaseLocation::File(path) => load_from(Store::Disk, path, lint),
        CaseLocation::Bundled => {
            let path = format!("hypotheses/{}.toml", bundled::DEFAULT_CASE);
            if bundled::file(&path).is_none() {
                return Err(Bundled::Missing { path }.into());
            }
            // Diagnostics say the files are the bundled copy, not files of the folder.
            let mark = |mut d: Diagnostic| {
                if let Some(f) = &d.file {
                    d.file = Some(PathBuf::from(format!("{BUNDLED_MARK}{}", f.display())));
                }
                d
            };
            match load_from(Store::Memory(bundled::FILES), Path::new(&path), lint) {
                Ok(mut loaded) => {
                    loaded.case.bundled = true;
                    loaded.warnings = loaded.warnings.into_iter().map(mark).collect();
                    Ok(loaded)
                }
                Err(Error::Input(diags)) => {
                    Err(Error::Input(diags.into_iter().map(mark).collect()))
                }
                Err(e) => Err(e),
            }
        }
    }
}

/// Loads a case from files held in memory: `files` are (path with `/` separators, contents)
/// and `hypotheses` is the path of the hypotheses file among them. The evidence is found by
/// the rules of docs/reference.md §1, exactly as on disk; with the warnings of `lint`.
///
/// # Errors
/// As [`load_with`].
pub fn load_files_with(
    files: &[(&str, &str)],
    hypotheses: &str,
    lint: Lint,
) -> Result<Loaded, Error> {
    load_from(Store::Memory(files), Path::new(hypotheses), lint)
}

/// The parsed files of a case and what the checks need to know about them.
struct Parsed {
    docs: Vec<Doc>,
    raws: Vec<RawFile>,
    ratings: RatingScale,
    admiralty: AdmiraltyScale,
    /// The hypotheses file parsed without syntax errors (its ids can be trusted).
    hypotheses_clean: bool,
    /// Every file parsed without syntax errors (source and group ids can be trusted).
    all_clean: bool,
    /// Whether each file (`docs[i]`) parsed without syntax errors.
    clean: Vec<bool>,
}

fn load_from(store: Store, hypotheses: &Path, lint: Lint) -> Result<Loaded, Error> {
    let mut d = Diags::default();
    let name = hypotheses
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut p = Parsed {
        docs: Vec::new(),
        raws: Vec::new(),
        ratings: RatingScale::default(),
        admiralty: AdmiraltyScale::default(),
        hypotheses_clean: false,
        all_clean: true,
        clean: Vec::new(),
    };
    if store.kind(hypotheses) == Kind::Folder {
        p.docs.push(doc(hypotheses, String::new()));
        d.file_error(0, msg::hypotheses_is_folder());
        return Err(Error::Input(d.finish(&p.docs)));
    }
    let Some((raw, clean)) = parse_file(store, hypotheses, true, &mut p, &mut d) else {
        return Err(Error::Input(d.finish(&p.docs)));
    };
    p.hypotheses_clean = clean;
    p.clean.push(clean);
    if !valid_case_name(&name) {
        d.file_error(0, msg::bad_case_name(&name));
    }
    let spec = raw
        .case
        .as_ref()
        .map_or(EvidenceSpec::Default, |c| c.evidence.clone());
    p.raws.push(raw);
    for path in evidence_files(store, hypotheses, &name, &spec, &mut d) {
        // A file that cannot be read still takes its place, so `raws[i]` is `docs[i]`.
        let (raw, clean) =
            parse_file(store, &path, false, &mut p, &mut d).unwrap_or((RawFile::default(), false));
        p.all_clean &= clean;
        p.clean.push(clean);
        p.raws.push(raw);
    }
    p.all_clean &= p.hypotheses_clean;
    match build(&name, &p, &mut d) {
        Some((mut case, spans)) => {
            for (item, at) in case.evidence.iter_mut().zip(&spans.evidence) {
                let doc = &p.docs[at.file];
                item.line = doc
                    .lines
                    .position(&doc.text, at.span.start, at.span.end)
                    .line;
            }
            case_warnings(&case, &spans, &p.docs, &mut d);
            for (e, m) in lint(&case) {
                d.warn(&spans.evidence[e], m);
            }
            Ok(Loaded {
                case,
                warnings: d.finish(&p.docs),
            })
        }
        _ => Err(Error::Input(d.finish(&p.docs))),
    }
}

fn doc(path: &Path, text: String) -> Doc {
    Doc {
        path: path.to_path_buf(),
        lines: LineIndex::new(&text),
        text,
    }
}

/// `<case>` is `[a-z0-9][a-z0-9_-]*` (docs/reference.md §1).
fn valid_case_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Reads, decodes and parses one file and reads its records; records the file in
/// `p.docs`. Returns the records and whether the file parsed without syntax errors, or
/// `None` when the file could not be read or is not UTF-8, or is an empty hypotheses file
/// (all reported).
fn parse_file(
    store: Store,
    path: &Path,
    hypotheses: bool,
    p: &mut Parsed,
    d: &mut Diags,
) -> Option<(RawFile, bool)> {
    let file = p.docs.len();
    let bytes = match store.read(path) {
        Ok(b) => b,
        Err(reason) => {
            p.docs.push(doc(path, String::new()));
            d.file_error(file, msg::cannot_read(&reason));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            p.docs.push(doc(
                path,
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
            ));
            d.error(
                &At {
                    file,
                    span: at..at + 1,
                },
                msg::not_utf8(),
            );
            return None;
        }
    };
    if text.trim().is_empty() {
        p.docs.push(doc(path, text));
        d.file_error(file, msg::empty_file());
        // An empty evidence file declares nothing: references elsewhere can still be checked.
        return (!hypotheses).then(|| (RawFile::default(), true));
    }
    let parts = (!hypotheses)
        .then(|| parse_parts(file, &text, PART_BYTES))
        .flatten();
    let (raw, clean) = match parts {
        Some((raw, found)) => {
            d.append(found);
            (raw, true)
        }
        None => {
            let (root, errors) = DeTable::parse_recoverable(&text);
            let clean = errors.is_empty();
            if !clean {
                d.syntax_errors(
                    file,
                    errors
                        .iter()
                        .map(|e| (e.span().unwrap_or(0..0), e.message().to_string())),
                );
            }
            let raw = raw::read_file(
                file,
                0,
                root.get_ref(),
                hypotheses,
                &mut p.ratings,
                &mut p.admiralty,
                d,
            );
            (raw, clean)
        }
    };
    if !hypotheses && !raw.has_tables {
        d.file_warn(file, msg::no_tables());
    }
    p.docs.push(doc(path, text));
    Some((raw, clean))
}

/// The size of the parts a large evidence file is read in (see [`parse_parts`]).
const PART_BYTES: usize = 1 << 16;

/// Reads a large evidence file part by part, so that only one part's spanned TOML tree is
/// held at a time (a tree takes about 28 bytes of memory per byte of TOML;
/// docs/performance.md, "Scaling in the size of the case"). The file is cut before lines
/// that hold only `[[evidence]]`: once before the first such line, then into parts of at
/// least `part_bytes`. Each part is parsed alone (the parts in parallel) and its records read
/// with its offset added to every position, so the records and problems are those of
/// reading the whole file.
///
/// That holds only when each part reads as it does inside the file, so this returns `None`
/// (read the whole file at once) for a file under `2 · part_bytes`, a file with a
/// multi-line string (a line of one could look like a header), a part with a syntax error
/// (the whole file's errors are reported instead), a first part (before the first cut)
/// that holds an `evidence` key, or a later part that holds any other top-level key (TOML
/// might then reject the whole file, or merge tables differently, where parts would not).
fn parse_parts(file: usize, text: &str, part_bytes: usize) -> Option<(RawFile, Diags)> {
    if text.len() < 2 * part_bytes || text.contains(r#"""""#) || text.contains("'''") {
        return None;
    }
    let mut cuts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let last = cuts[cuts.len() - 1];
        if line.trim() == "[[evidence]]" && at > 0 && (cuts.len() == 1 || at - last >= part_bytes) {
            cuts.push(at);
        }
        at += line.len();
    }
    cuts.push(text.len());
    // The parts are read in parallel, each into its own records and problems, then
    // gathered in file order: the same records and problems as reading them one by one.
    let parts: Vec<Option<(RawFile, Diags)>> = cuts
        .par_windows(2)
        .enumerate()
        .map(|(i, w)| {
            let (root, errors) = DeTable::parse_recoverable(&text[w[0]..w[1]]);
            let root = root.get_ref();
            let as_in_file = if i == 0 {
                root.iter().all(|(k, _)| k.get_ref() != "evidence")
            } else {
                root.iter().all(|(k, _)| k.get_ref() == "evidence")
            };
            if !errors.is_empty() || !as_in_file {
                return None;
            }
            let mut found = Diags::default();
            let (mut ratings, mut admiralty) = (RatingScale::default(), AdmiraltyScale::default());
            let raw = raw::read_file(
                file,
                w[0],
                root,
                false,
                &mut ratings,
                &mut admiralty,
                &mut found,
            );
            Some((raw, found))
        })
        .collect();
    let mut raw = RawFile::default();
    let mut found = Diags::default();
    for part in parts {
        let (r, f) = part?;
        raw.append(r);
        found.append(f);
    }
    Some((raw, found))
}

/// The evidence files of a case, in reading order (docs/reference.md §1).
fn evidence_files(
    store: Store,
    hypotheses: &Path,
    name: &str,
    spec: &EvidenceSpec,
    d: &mut Diags,
) -> Vec<PathBuf> {
    let dir = hypotheses.parent().unwrap_or(Path::new(""));
    let shown = |p: &Path| p.display().to_string();
    let list = |folder: &Path, at: Option<&At>, d: &mut Diags| -> Vec<PathBuf> {
        match store.toml_files(folder) {
            Ok(files) if files.is_empty() => {
                let m = msg::empty_folder(&shown(folder));
                match at {
                    Some(at) => d.warn(at, m),
                    None => d.file_warn(0, m),
                }
                files
            }
            Ok(files) => files,
            Err(reason) => {
                let m = msg::unreadable_folder(&shown(folder), &reason);
                match at {
                    Some(at) => d.error(at, m),
                    None => d.file_error(0, m),
                }
                Vec::new()
            }
        }
    };
    match spec {
        EvidenceSpec::Bad => Vec::new(),
        EvidenceSpec::Default => {
            let folder = normalize(&dir.join("..").join("evidence").join(name));
            let file = folder.with_file_name(format!("{name}.toml"));
            match (store.kind(&folder), store.kind(&file)) {
                (Kind::Folder, Kind::File) => {
                    d.global_warn(msg::both_locations(&shown(&folder), &shown(&file)));
                    list(&folder, None, d)
                }
                (Kind::Folder, _) => list(&folder, None, d),
                (_, Kind::File) => vec![file],
                _ => {
                    d.file_error(0, msg::no_evidence(&shown(&folder), &shown(&file)));
                    Vec::new()
                }
            }
        }
        EvidenceSpec::List(entries) => {
            let mut out: Vec<PathBuf> = Vec::new();
            for entry in entries {
                let path = normalize(&dir.join(&entry.value));
                let found = match store.kind(&path) {
                    Kind::File => vec![path],
                    Kind::Folder => list(&path, Some(&entry.at), d),
                    Kind::Missing => {
                        d.error(
                            &entry.at,
                            msg::missing_location(&entry.value, &shown(&path)),
                        );
                        Vec::new()
                    }
                };
                for f in found {
                    let seen = std::iter::once(hypotheses)
                        .chain(out.iter().map(PathBuf::as_path))
                        .any(|o| store.same_file(o, &f));
                    if seen {
                        d.error(&entry.at, msg::read_twice(&entry.value, &shown(&f)));
                    } else {
                        out.push(f);
                    }
                }
            }
            out
        }
    }
}

/// Where the case's ids were written, for warnings about a valid case.
struct Spans {
    evidence: Vec<At>,
    groups: Vec<At>,
}

/// `file:line:column` of a place, for messages that point at a second place.
fn place(docs: &[Doc], at: &At) -> String {
    let doc = &docs[at.file];
    let p = doc.lines.position(&doc.text, at.span.start, at.span.end);
    format!("{}:{}:{}", doc.path.display(), p.line, p.column)
}

/// Indexes ids of one kind in declaration order, reporting duplicates.
fn index_ids<'a>(
    kind: &str,
    ids: impl Iterator<Item = Option<&'a Loc<String>>>,
    docs: &[Doc],
    d: &mut Diags,
) -> HashMap<&'a str, usize> {
    let mut index: HashMap<&'a str, usize> = HashMap::new();
    let mut first: HashMap<&'a str, &'a At> = HashMap::new();
    for (i, id) in ids.enumerate() {
        let Some(id) = id else { continue };
        if let Some(at) = first.get(id.value.as_str()) {
            d.error(&id.at, msg::duplicate_id(kind, &id.value, &place(docs, at)));
        } else {
            first.insert(&id.value, &id.at);
            index.insert(&id.value, i);
        }
    }
    index
}

/// The ids of one kind: the index of each id, and the ids in declaration order (for
/// "did you mean").
type IdTable<'a> = (HashMap<&'a str, usize>, Vec<&'a str>);

/// Resolves a reference to an id of `kind`; reports an unknown id when `check` is true.
fn resolve_ref(
    kind: &'static str,
    r: &Loc<String>,
    (index, known): &IdTable,
    others: &Option<HashSet<(&'static str, String)>>,
    d: &mut Diags,
) -> Option<usize> {
    let found = index.get(r.value.as_str()).copied();
    if found.is_none()
        && others
            .as_ref()
            .is_some_and(|maybe| !maybe.contains(&(kind, r.value.clone())))
    {
        d.error(&r.at, msg::unknown_ref(kind, &r.value, known));
    }
    found
}

/// The source and group ids that the files with syntax errors seem to declare, so that a
/// broken file hides only the unknown-id errors it may explain and every other file's are
/// still reported in the same run (docs/decisions.md, "All problems in one run"): `id = "x"`
/// lines under `[[source]]` or `[[group]]` headers, found line by line. `None` when a file
/// could not be read (nothing is known of what it declares).
fn declared_in_broken_files(p: &Parsed) -> Option<HashSet<(&'static str, String)>> {
    let mut out = HashSet::new();
    for (doc, &clean) in p.docs.iter().zip(&p.clean) {
        if clean {
            continue;
        }
        if doc.text.trim().is_empty() {
            return None;
        }
        let mut kind = None;
        for line in doc.text.lines() {
            let t = line.trim();
            if t.starts_with('[') {
                let name: String = t.chars().filter(|c| !"[] \t".contains(*c)).collect();
                kind = match name.split('#').next() {
                    Some("source") => Some("source"),
                    Some("group") => Some("group"),
                    _ => None,
                };
            } else if let (Some(k), Some(rest)) = (kind, t.strip_prefix("id")) {
                let value = rest.trim_start().strip_prefix('=').map(str::trim);
                if let Some(v) = value.and_then(|v| v.split('"').nth(1)) {
                    out.insert((k, v.to_string()));
                }
            }
        }
    }
    Some(out)
}

/// The raw records of all files, flattened in declaration order, with their file index.
struct Parts<'a> {
    hypotheses: &'a [raw::RawHypothesis],
    families: &'a [RawFamily],
    sources: Vec<(usize, &'a raw::RawSource)>,
    groups: Vec<(usize, &'a raw::RawGroup)>,
    evidence: Vec<&'a RawEvidence>,
}

impl<'a> Parts<'a> {
    fn of(p: &'a Parsed) -> Parts<'a> {
        fn all<T>(p: &Parsed, f: fn(&RawFile) -> &[T]) -> Vec<(usize, &T)> {
            let files = p.raws.iter().enumerate();
            files
                .flat_map(|(i, r)| f(r).iter().map(move |x| (i, x)))
                .collect()
        }
        Parts {
            hypotheses: &p.raws[0].hypotheses,
            families: &p.raws[0].families,
            sources: all(p, |r| &r.sources),
            groups: all(p, |r| &r.groups),
            evidence: all(p, |r| &r.evidence)
                .into_iter()
                .map(|(_, e)| e)
                .collect(),
        }
    }
}

/// What an evidence item may refer to.
struct Refs<'a> {
    hypotheses: IdTable<'a>,
    sources: IdTable<'a>,
    groups: IdTable<'a>,
    source_reliability: Vec<Option<char>>,
    n_hypotheses: usize,
    /// Whether unknown hypothesis ids and missing cells can be reported.
    check_hypotheses: bool,
    /// Unknown source and group ids can be reported (`Some`) except those a file with syntax
    /// errors seems to declare (kind, id); `None` when a file could not be read at all.
    others: Option<HashSet<(&'static str, String)>>,
    admiralty: &'a AdmiraltyScale,
}

/// Indexes the ids of every kind, reporting duplicates and a case with too few hypotheses.
fn index_case<'a>(parts: &Parts<'a>, p: &'a Parsed, d: &mut Diags) -> Refs<'a> {
    let mut table = |kind: &str, ids: Vec<Option<&'a Loc<String>>>| {
        let index = index_ids(kind, ids.iter().copied(), &p.docs, d);
        // Each id once, at its first declaration (a duplicate is an error of its own).
        let list = ids
            .into_iter()
            .enumerate()
            .filter_map(|(i, l)| l.filter(|l| index.get(l.value.as_str()) == Some(&i)))
            .map(|l| l.value.as_str())
            .collect();
        (index, list)
    };
    let hypotheses = table(
        "hypothesis",
        parts.hypotheses.iter().map(|h| h.id.as_ref()).collect(),
    );
    let sources = table(
        "source",
        parts.sources.iter().map(|(_, s)| s.id.as_ref()).collect(),
    );
    let groups = table(
        "group",
        parts.groups.iter().map(|(_, g)| g.id.as_ref()).collect(),
    );
    table(
        "evidence",
        parts.evidence.iter().map(|e| e.id.as_ref()).collect(),
    );
    if p.hypotheses_clean && parts.hypotheses.len() < 2 {
        d.file_error(0, msg::too_few_hypotheses(parts.hypotheses.len()));
    }
    Refs {
        hypotheses,
        sources,
        groups,
        source_reliability: parts.sources.iter().map(|(_, s)| s.reliability).collect(),
        n_hypotheses: parts.hypotheses.len(),
        check_hypotheses: p.hypotheses_clean,
        others: declared_in_broken_files(p),
        admiralty: &p.admiralty,
    }
}

/// Checks the case as a whole and builds it. `None` when there is any error (reported).
fn build(name: &str, p: &Parsed, d: &mut Diags) -> Option<(Case, Spans)> {
    let parts = Parts::of(p);
    let refs = index_case(&parts, p, d);
    let items: Vec<Option<Evidence>> = parts
        .evidence
        .iter()
        .map(|e| resolve_item(e, &refs, d))
        .collect();
    let families = resolve_families(&parts, &refs, &p.docs, d);
    if d.has_errors() {
        return None;
    }
    family_warnings(parts.families, &families, refs.n_hypotheses, &p.docs, d);
    let spans = Spans {
        evidence: parts
            .evidence
            .iter()
            .map(|e| e.id.as_ref().map_or(e.header.clone(), |l| l.at.clone()))
            .collect(),
        groups: parts
            .groups
            .iter()
            .filter_map(|(_, g)| g.id.as_ref().map(|l| l.at.clone()))
            .collect(),
    };
    let mut case = assemble(name, p, &parts, items)?;
    case.families = families.into_iter().collect::<Option<_>>()?;
    Some((case, spans))
}

/// Checks the `[[family]]` tables (`docs/format.md`, "Families"): ids unique across
/// hypotheses and families, at least 2 distinct members, every member a hypothesis of the
/// case (with "did you mean"). One entry per table, `None` where it is invalid (reported).
fn resolve_families(
    parts: &Parts,
    refs: &Refs,
    docs: &[Doc],
    d: &mut Diags,
) -> Vec<Option<Family>> {
    index_ids(
        "family",
        parts.families.iter().map(|f| f.id.as_ref()),
        docs,
        d,
    );
    let family = |f: &RawFamily, d: &mut Diags| {
        let id = f.id.as_ref();
        if let Some(id) = id
            && let Some(&k) = refs.hypotheses.0.get(id.value.as_str())
            && let Some(first) = &parts.hypotheses[k].id
        {
            d.error(
                &id.at,
                msg::family_id_taken(&id.value, &place(docs, &first.at)),
            );
        }
        let (at, written) = f.members.as_ref()?;
        let mut distinct: Vec<&Loc<String>> = Vec::new();
        let mut twice = Vec::new();
        for m in written {
            if distinct.iter().any(|x| x.value == m.value) {
                twice.push(m);
            } else {
                distinct.push(m);
            }
        }
        if distinct.len() < 2 {
            d.error(at, msg::family_too_small(distinct.len()));
        }
        for m in twice.iter().filter(|_| distinct.len() >= 2) {
            d.error(&m.at, msg::member_twice(&m.value));
        }
        let check = refs.check_hypotheses.then(HashSet::new);
        let members: Vec<Option<usize>> = (distinct.iter())
            .map(|m| resolve_ref("hypothesis", m, &refs.hypotheses, &check, d))
            .collect();
        let id = id?;
        Some(Family {
            id: id.value.clone(),
            title: f.title.clone().unwrap_or_else(|| id.value.clone()),
            members: members.into_iter().collect::<Option<_>>()?,
        })
    };
    parts.families.iter().map(|f| family(f, d)).collect()
}

/// Warnings about valid families: one with every hypothesis as a member, and one with the
/// same members as a family declared before it.
fn family_warnings(
    raws: &[RawFamily],
    families: &[Option<Family>],
    n_hypotheses: usize,
    docs: &[Doc],
    d: &mut Diags,
) {
    let set = |f: &Family| {
        let mut m = f.members.clone();
        m.sort_unstable();
        m
    };
    for (i, f) in families.iter().enumerate() {
        let (Some(f), Some(at)) = (f, raws[i].id.as_ref().map(|l| &l.at)) else {
            continue;
        };
        if f.members.len() == n_hypotheses {
            d.warn(at, msg::family_of_all(&f.id));
        }
        let same = (0..i).find(|&j| families[j].as_ref().is_some_and(|g| set(g) == set(f)));
        if let Some(j) = same
            && let (Some(g), Some(first)) = (&families[j], &raws[j].id)
        {
            d.warn(at, msg::same_members(&f.id, &g.id, &place(docs, &first.at)));
        }
    }
}

/// The [`Case`] from records that passed every check (`None` if one is incomplete).
fn assemble(name: &str, p: &Parsed, parts: &Parts, items: Vec<Option<Evidence>>) -> Option<Case> {
    let case_table = p.raws[0].case.as_ref();
    let hypothesis = |h: &raw::RawHypothesis| {
        let id = h.id.as_ref()?.value.clone();
        Some(Hypothesis {
            title: h.title.clone().unwrap_or_else(|| id.clone()),
            id,
            description: h.description.clone(),
            prior: h.prior.unwrap_or(1.0),
            prior_range: h.prior_range,
        })
    };
    let source = |&(file, s): &(usize, &raw::RawSource)| {
        Some(Source {
            id: s.id.as_ref()?.value.clone(),
            name: s.name.clone(),
            reliability: s.reliability,
            file,
        })
    };
    let group = |&(file, g): &(usize, &raw::RawGroup)| {
        Some(Group {
            id: g.id.as_ref()?.value.clone(),
            correlation: g.correlation?,
            file,
        })
    };
    Some(Case {
        name: name.to_string(),
        title: case_table
            .and_then(|c| c.title.clone())
            .unwrap_or_else(|| name.to_string()),
        question: case_table.and_then(|c| c.question.clone()),
        families: Vec::new(),
        hypotheses: parts
            .hypotheses
            .iter()
            .map(hypothesis)
            .collect::<Option<_>>()?,
        sources: parts.sources.iter().map(source).collect::<Option<_>>()?,
        groups: parts.groups.iter().map(group).collect::<Option<_>>()?,
        evidence: items.into_iter().collect::<Option<_>>()?,
        ratings: p.ratings,
        admiralty: p.admiralty,
        files: p.docs.iter().map(|doc| doc.path.clone()).collect(),
        bundled: false,
        // The text of a valid case is its files' bytes (UTF-8, unchanged).
        provenance: Provenance::of_files(
            &p.docs
                .iter()
                .map(|doc| doc.text.as_bytes())
                .collect::<Vec<_>>(),
        ),
    })
}

/// Resolves an item's references, likelihood table and credibility.
fn resolve_item(e: &RawEvidence, refs: &Refs, d: &mut Diags) -> Option<Evidence> {
    let source =
        (e.source.as_ref()).map(|s| resolve_ref("source", s, &refs.sources, &refs.others, d));
    let group = (e.group.as_ref()).map(|g| resolve_ref("group", g, &refs.groups, &refs.others, d));
    let likelihood = resolve_likelihood(e, refs, d);
    let credibility = resolve_credibility(e, source.flatten(), refs, d);
    if matches!(source, Some(None)) || matches!(group, Some(None)) {
        return None;
    }
    Some(Evidence {
        id: e.id.as_ref()?.value.clone(),
        title: e.title.clone(),
        date: e.date,
        source: source.flatten(),
        information: e.information,
        credibility: credibility?,
        weight: e.weight.unwrap_or(1.0),
        weight_range: e.weight_range,
        group: group.flatten(),
        status: e.status,
        note: e.note.clone(),
        likelihood: likelihood?,
        file: e.header.file,
        line: 0,
    })
}

/// One cell per hypothesis, in hypothesis order; reports unknown and missing hypotheses.
fn resolve_likelihood(e: &RawEvidence, refs: &Refs, d: &mut Diags) -> Option<Vec<super::Cell>> {
    let Some(raw::RawLikelihood { at, cells }) = &e.likelihood else {
        if !e.bad {
            let id = e.id.as_ref().map_or("", |l| l.value.as_str());
            d.error(&e.header, msg::no_likelihood(id));
        }
        return None;
    };
    let mut row: Vec<Option<super::Cell>> = vec![None; refs.n_hypotheses];
    let mut given = vec![false; refs.n_hypotheses];
    for (key, cell) in cells {
        if let Some(k) = resolve_ref(
            "hypothesis",
            key,
            &refs.hypotheses,
            &refs.check_hypotheses.then(HashSet::new),
            d,
        ) {
            given[k] = true;
            row[k] = *cell;
        }
    }
    let (index, known) = &refs.hypotheses;
    let missing: Vec<&str> = known
        .iter()
        .filter(|id| index.get(*id).is_some_and(|&k| !given[k]))
        .copied()
        .collect();
    if !missing.is_empty() && refs.check_hypotheses {
        d.error(at, msg::missing_likelihoods(&missing));
    }
    row.into_iter().collect()
}

/// The credibility in force (docs/reference.md §2.3): the item's own, else Admiralty codes, else 1.
fn resolve_credibility(
    e: &RawEvidence,
    source: Option<usize>,
    refs: &Refs,
    d: &mut Diags,
) -> Option<Credibility> {
    let range = e.credibility_range.as_ref().map(|r| r.value);
    Some(match e.credibility {
        RawCredibility::Explicit(value) => Credibility::Mixture {
            value,
            range,
            basis: CredibilityBasis::Explicit,
        },
        RawCredibility::Pair {
            hit_rate,
            false_alarm_rate,
        } => Credibility::Schum {
            hit_rate,
            false_alarm_rate,
        },
        RawCredibility::Unstated => {
            let reliability = source.and_then(|s| refs.source_reliability[s]);
            let resolved = e.source.is_none() || source.is_some();
            let (value, basis) = match refs.admiralty.credibility(reliability, e.information) {
                Some(c) => (c, CredibilityBasis::Admiralty),
                None => (1.0, CredibilityBasis::Default),
            };
            if let Some(r) = &e.credibility_range
                && resolved
                && !e.credibility_bad
                && !(r.value.lo <= value && value <= r.value.hi)
            {
                let m = match basis {
                    CredibilityBasis::Default => msg::default_outside_range(r.value.lo, r.value.hi),
                    _ => msg::admiralty_outside_range(value, r.value.lo, r.value.hi),
                };
                d.error(&r.at, m);
            }
            Credibility::Mixture {
                value,
                range,
                basis,
            }
        }
    })
}

/// The loader's own warnings about a valid case (docs/reference.md §1, §8 `check`).
fn case_warnings(case: &Case, spans: &Spans, docs: &[Doc], d: &mut Diags) {
    let catch_all = case.hypotheses.iter().any(|h| {
        let text = format!("{} {}", h.id, h.title).to_lowercase();
        ["other", "unknown", "else"]
            .iter()
            .any(|w| text.contains(w))
    });
    if !catch_all {
        d.file_warn(0, msg::no_catch_all());
    }
    for (e, item) in case.evidence.iter().enumerate() {
        if item.status != super::Status::Retracted
            && matches!(
                item.credibility,
                Credibility::Mixture {
                    basis: CredibilityBasis::Default,
                    ..
                }
            )
        {
            d.warn(&spans.evidence[e], msg::no_credibility(&item.id));
        }
    }
    // Members and counting members of every group, in one pass over the items.
    let mut members = vec![(0usize, 0usize); case.groups.len()];
    for e in &case.evidence {
        if let Some(g) = e.group {
            members[g].0 += 1;
            members[g].1 += usize::from(e.counts() && e.weight > 0.0);
        }
    }
    for (g, group) in case.groups.iter().enumerate() {
        if members[g].0 == 0 {
            d.warn(&spans.groups[g], msg::unused_group(&group.id));
        } else if members[g].1 == 1 {
            d.warn(&spans.groups[g], msg::lone_group(&group.id));
        }
    }
    likely_duplicates(case, spans, docs, d);
}

/// Warns about counted items with the same likelihood row (cells as written), the same
/// source and the same date as an earlier counted item, at least one of source and date
/// given, not already in one group: the same report pasted twice under two ids is counted
/// twice (docs/decisions.md, "Likely duplicates"). One hash look-up per item.
fn likely_duplicates(case: &Case, spans: &Spans, docs: &[Doc], d: &mut Diags) {
    // (source, date, cells as bits) → the first item with them.
    type Key = (Option<usize>, Option<super::Date>, Vec<u64>);
    let mut first: HashMap<Key, usize> = HashMap::new();
    for (e, item) in case.evidence.iter().enumerate() {
        if !item.counts() || (item.source.is_none() && item.date.is_none()) {
            continue;
        }
        let row = item
            .likelihood
            .iter()
            .map(|c| match *c {
                super::Cell::Value { value, .. } => value.to_bits(),
                super::Cell::Rating(r) => u64::MAX - r as u64,
            })
            .collect();
        match first.entry((item.source, item.date, row)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(e);
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let a = *o.get();
                let other = &case.evidence[a];
                if item.group.is_none() || item.group != other.group {
                    d.warn(
                        &spans.evidence[e],
                        msg::likely_duplicate(
                            &item.id,
                            &other.id,
                            &place(docs, &spans.evidence[a]),
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
