use std::fmt;
use std::path::PathBuf;

use super::provenance::Provenance;
use super::values::{AdmiraltyScale, RatingScale};
pub use super::values::{Range, Rating};

/// One attribution question: its hypotheses and the evidence weighed against them.
///
/// Every index stored in the model (`Evidence::source`, `Evidence::group`, the positions of
/// `Evidence::likelihood`) refers to the vectors of this struct, so a `Case` is
/// self-consistent by construction once [`crate::case::load`] has validated it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The case name: the stem of the hypotheses file (`afghan-tajik-border`).
    pub name: String,
    /// `[case] title`.
    pub title: String,
    /// `[case] question`, if given.
    pub question: Option<String>,
    /// Hypotheses in declaration order.
    pub hypotheses: Vec<Hypothesis>,
    /// Families of hypotheses judged together, in declaration order (`docs/format.md`,
    /// "Families"). They never change a score.
    pub families: Vec<Family>,
    /// Sources of all evidence files, in declaration order.
    pub sources: Vec<Source>,
    /// Groups of correlated items, in declaration order.
    pub groups: Vec<Group>,
    /// Evidence items in declaration order (file order, then position in file).
    pub evidence: Vec<Evidence>,
    /// The rating scale in force (defaults of docs/reference.md §2.2 with the case's overrides).
    pub ratings: RatingScale,
    /// The Admiralty mapping in force (docs/reference.md §2.3 with the case's overrides).
    pub admiralty: AdmiraltyScale,
    /// The files the case was read from: `files[0]` is the hypotheses file, then the
    /// evidence files in reading order. For the bundled case these are the paths the files
    /// would have in a folder written by `abduce init`.
    pub files: Vec<PathBuf>,
    /// True when the case comes from the copy bundled into the binary (no file on disk).
    pub bundled: bool,
    /// Where the case came from: the digest of its files and the what-ifs applied to it.
    pub provenance: Provenance,
}

/// Hypotheses an analyst wants judged together ("a local armed actor"). Hypotheses are
/// mutually exclusive, so a family's posterior is the sum of its members' posteriors.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// Unique id among hypotheses and families, `[A-Za-z][A-Za-z0-9_-]*`.
    pub id: String,
    /// Short title (the id when the file gives none).
    pub title: String,
    /// Indexes into [`Case::hypotheses`] in the order written: at least 2, all distinct.
    pub members: Vec<usize>,
}

impl Family {
    /// The family's posterior from the hypotheses' posteriors (declaration order).
    ///
    /// # Formula
    /// Σ_{k ∈ members} p_k, summed in member order (`docs/model.md`, "Families").
    pub fn posterior(&self, posteriors: &[f64]) -> f64 {
        self.members.iter().map(|&k| posteriors[k]).sum()
    }
}

/// A candidate answer to the case's question.
#[derive(Debug, Clone, PartialEq)]
pub struct Hypothesis {
    /// Unique id, `[A-Za-z][A-Za-z0-9_-]*`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Optional longer description.
    pub description: Option<String>,
    /// Relative prior weight (> 0, default 1); normalised over the case when scoring.
    pub prior: f64,
    /// Optional 90% range of the prior weight.
    pub prior_range: Option<Range>,
}

/// Where reports come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Unique id.
    pub id: String,
    /// Human-readable name.
    pub name: Option<String>,
    /// Admiralty source reliability, `'A'..='F'`.
    pub reliability: Option<char>,
    /// Index into [`Case::files`] of the file that declares it.
    pub file: usize,
}

/// Items sharing an origin, discounted so they are not counted as independent (docs/reference.md §3.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Unique id.
    pub id: String,
    /// Correlation ρ in [0, 1].
    pub correlation: f64,
    /// Index into [`Case::files`] of the file that declares it.
    pub file: usize,
}

/// The status of an evidence item (docs/reference.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Seen; counts with its credible likelihood.
    Observed,
    /// Looked for and not found; counts with 1 − ℓ̃.
    Absent,
    /// Not yet checked; ranked by `indicators`, never counts.
    Pending,
    /// Kept for the record; never counts.
    Retracted,
}

impl Status {
    /// Whether an item with this status enters the score (`observed` or `absent`).
    pub fn counts(self) -> bool {
        matches!(self, Status::Observed | Status::Absent)
    }

    /// The lower-case name used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Observed => "observed",
            Status::Absent => "absent",
            Status::Pending => "pending",
            Status::Retracted => "retracted",
        }
    }

    /// Parses the exact lower-case name.
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "observed" => Status::Observed,
            "absent" => Status::Absent,
            "pending" => Status::Pending,
            "retracted" => Status::Retracted,
            _ => return None,
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date (a TOML local date), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One cell of an item's likelihood table: P(E | H) for one hypothesis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// A number in [0, 1], optionally with a 90% range inside (0, 1).
    Value {
        /// The point likelihood.
        value: f64,
        /// Optional 90% range.
        range: Option<Range>,
    },
    /// A rating; its likelihood and range come from [`Case::ratings`].
    Rating(Rating),
}

/// Where an item's credibility comes from (it matters to the ACH weight κ, docs/reference.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredibilityBasis {
    /// The item's own `credibility` field.
    Explicit,
    /// Admiralty codes: the source's reliability and/or the item's `information`.
    Admiralty,
    /// No credibility information: c = 1.
    Default,
}

/// How much a report can be believed (docs/reference.md §3.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Credibility {
    /// The mixture form: with probability 1 − c the report is noise.
    Mixture {
        /// c in [0, 1].
        value: f64,
        /// Optional 90% range inside (0, 1).
        range: Option<Range>,
        /// Where c came from.
        basis: CredibilityBasis,
    },
    /// Schum's form with a hit rate h and a false-alarm rate f.
    Schum {
        /// h = P(report | event).
        hit_rate: f64,
        /// f = P(report | no event).
        false_alarm_rate: f64,
    },
}

impl Credibility {
    /// The number `c_e` reported in outputs: the mixture's c, or `None` for Schum's form.
    pub fn value(&self) -> Option<f64> {
        match *self {
            Credibility::Mixture { value, .. } => Some(value),
            Credibility::Schum { .. } => None,
        }
    }
}

/// One evidence item: an observation (or its absence) with a likelihood for every hypothesis.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Unique id.
    pub id: String,
    /// Short title.
    pub title: Option<String>,
    /// Date of the observation or report.
    pub date: Option<Date>,
    /// Index into [`Case::sources`].
    pub source: Option<usize>,
    /// Admiralty information credibility, 1–6, as written.
    pub information: Option<u8>,
    /// The credibility in force (already resolved from labels and Admiralty codes).
    pub credibility: Credibility,
    /// Weight w ≥ 0 (labels resolved), default 1.
    pub weight: f64,
    /// Optional 90% range of the weight.
    pub weight_range: Option<Range>,
    /// Index into [`Case::groups`].
    pub group: Option<usize>,
    /// Status.
    pub status: Status,
    /// Free-text note.
    pub note: Option<String>,
    /// One cell per hypothesis, in hypothesis order.
    pub likelihood: Vec<Cell>,
    /// Index into [`Case::files`] of the file that declares it.
    pub file: usize,
    /// The 1-based line of its `id` in that file (0 for an item not read from a file).
    pub line: usize,
}

impl Evidence {
    /// True when the item enters the score (`observed` or `absent`).
    pub fn counts(&self) -> bool {
        self.status.counts()
    }
}

impl Case {
    /// Index of the hypothesis with this id.
    pub fn hypothesis_index(&self, id: &str) -> Option<usize> {
        self.hypotheses.iter().position(|h| h.id == id)
    }

    /// Index of the evidence item with this id.
    pub fn evidence_index(&self, id: &str) -> Option<usize> {
        self.evidence.iter().position(|e| e.id == id)
    }

    /// The titles of the items, by item id (items without a title are absent).
    pub fn item_titles(&self) -> std::collections::HashMap<&str, &str> {
        (self.evidence.iter())
            .filter_map(|e| Some((e.id.as_str(), e.title.as_deref()?)))
            .collect()
    }

    /// Index of the group with this id.
    pub fn group_index(&self, id: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.id == id)
    }

    /// Where item `e` was written, `file:line` as diagnostics name it (the bundled case's
    /// files marked as such, [`BUNDLED_MARK`]), or `None` for an item not read from a file.
    pub fn item_place(&self, e: usize) -> Option<String> {
        let item = &self.evidence[e];
        let file = self.files.get(item.file).filter(|_| item.line > 0)?;
        let mark = if self.bundled { BUNDLED_MARK } else { "" };
        Some(format!("{mark}{}:{}", file.display(), item.line))
    }

    /// The point likelihood of one cell, before NA cells are resolved (NA gives `None`).
    pub fn cell_value(&self, cell: &Cell) -> Option<f64> {
        match *cell {
            Cell::Value { value, .. } => Some(value),
            Cell::Rating(Rating::NA) => None,
            Cell::Rating(r) => Some(self.ratings.level(r).likelihood),
        }
    }

    /// The 90% range of one cell, if it varies (`None` for fixed cells, NA and plain numbers).
    pub fn cell_range(&self, cell: &Cell) -> Option<Range> {
        match *cell {
            Cell::Value { range, .. } => range.filter(|r| !r.is_fixed()),
            Cell::Rating(Rating::NA) => None,
            Cell::Rating(r) => Some(self.ratings.level(r).range).filter(|r| !r.is_fixed()),
        }
    }

    /// The point likelihoods ℓ_ek of item `e` for every hypothesis, NA cells resolved to the
    /// mean of the row's other cells (0.5 for a row of NA only), docs/reference.md §2.2.
    pub fn likelihoods(&self, e: usize) -> Vec<f64> {
        let cells: Vec<Option<f64>> = self.evidence[e]
            .likelihood
            .iter()
            .map(|c| self.cell_value(c))
            .collect();
        resolve_na(&cells)
    }
}

/// How diagnostics name a file of the case bundled into the binary: this mark, then its path
/// inside the bundle, e.g. `(bundled case) hypotheses/afghan-tajik-border.toml:3:1`
/// (docs/format.md, "Diagnostics").
pub const BUNDLED_MARK: &str = "(bundled case) ";

/// Replaces `None` (NA) entries by the mean of the `Some` entries; all `None` gives 0.5.
pub fn resolve_na(cells: &[Option<f64>]) -> Vec<f64> {
    let (sum, n) = cells
        .iter()
        .flatten()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    let fill = if n == 0 { 0.5 } else { sum / n as f64 };
    cells.iter().map(|c| c.unwrap_or(fill)).collect()
}

impl Case {
    /// A case with these hypotheses (id, prior weight) and no evidence, default scales and no
    /// files: a starting point for programs that build cases (importers, tests).
    pub fn new(name: &str, hypotheses: &[(&str, f64)]) -> Case {
        Case {
            name: name.to_string(),
            title: name.to_string(),
            question: None,
            hypotheses: hypotheses
                .iter()
                .map(|&(id, prior)| Hypothesis {
                    id: id.to_string(),
                    title: id.to_string(),
                    description: None,
                    prior,
                    prior_range: None,
                })
                .collect(),
            families: Vec::new(),
            sources: Vec::new(),
            groups: Vec::new(),
            evidence: Vec::new(),
            ratings: RatingScale::default(),
            admiralty: AdmiraltyScale::default(),
            files: Vec::new(),
            bundled: false,
            provenance: Provenance::of_files(&[]),
        }
    }
}

impl Evidence {
    /// An observed item with these point likelihoods (hypothesis order), no credibility
    /// information (c = 1), weight 1, no group, no date.
    pub fn new(id: &str, likelihoods: &[f64]) -> Evidence {
        Evidence {
            id: id.to_string(),
            title: None,
            date: None,
            source: None,
            information: None,
            credibility: Credibility::Mixture {
                value: 1.0,
                range: None,
                basis: CredibilityBasis::Default,
            },
            weight: 1.0,
            weight_range: None,
            group: None,
            status: Status::Observed,
            note: None,
            likelihood: likelihoods
                .iter()
                .map(|&value| Cell::Value { value, range: None })
                .collect(),
            file: 0,
            line: 0,
        }
    }
}
