//! # abduce
//!
//! Rank competing attribution hypotheses ("who is behind this?") from weighted evidence.
//!
//! Data flows one way: files → [`load`] → [`case::Case`] → [`score`] / [`sweep`] /
//! [`indicators`] → a summary struct → [`output`] renders it as Markdown, JSON, CSV or HTML.
//! The reference (file format, mathematics, JSON keys) is `docs/reference.md`; the mathematics is
//! explained in `docs/model.md`.
#![deny(missing_docs)]

pub mod case;
pub mod error;
pub mod indicators;
pub mod limits;
pub mod load;
pub mod output;
pub mod render;
pub mod report;
pub mod run;
pub mod score;
pub mod sweep;
pub mod text;
pub mod workbench;
pub mod workflow;

pub use case::Case;
pub use error::{Diagnostic, Error, Severity};
