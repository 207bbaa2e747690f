//! One file per document: its `impl Document` (Markdown for people, the typed rows of its
//! CSV, HTML for the report). JSON is each summary's own `Serialize`.

mod ach;
mod batch;
mod compare;
mod indicators;
mod monte_carlo;
mod output;
pub mod report;
mod score;
mod sobol;
mod timeline;
mod tipping;
mod tornado;
