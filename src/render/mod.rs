//! The presentation layer: every document in every format. The producers (`score`, `sweep`,
//! `indicators`, `workflow`, `report`) return plain data; this layer turns it into bytes.
//!
//! - [`document`]: the formats, the [`Document`] trait (and [`CaseDocument`], a document of
//!   one case that takes its labels from the case) and typed CSV rows ([`Csv`]);
//! - [`md`]: one file per document, its `impl Document` (Markdown, CSV rows, HTML);
//! - [`html`] and [`svg`]: the report's page and its charts;
//! - [`matrix`]: the ACH matrix that `score` and `report` both print.
//!
//! The number formats and the markup of sentences are [`crate::text`]'s (a leaf that the
//! producers writing sentences use too).
//!
//! The house style is in `docs/report.md` ("Numbers"): Markdown and HTML are for people and
//! use these formats; JSON and CSV stay machine numbers (shortest round-trip), untouched.
//! The direction of dependencies is in `docs/architecture.md`.

pub mod document;
pub mod html;
pub mod matrix;
pub mod md;
pub mod svg;
pub mod tables;

pub use document::{CaseDocument, Csv, Document, Format, WithCase};
