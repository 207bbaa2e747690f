//! The presentation layer shared by every command: one set of number formats ([`fmt`]),
//! the escapers and markup of sentences ([`markup`]), and the ACH matrix ([`matrix`]) that
//! `score` and `report` both print.
//!
//! The house style is in `docs/report.md` ("Numbers"): Markdown and HTML are for people and
//! use these formats; JSON and CSV stay machine numbers (shortest round-trip), untouched.

pub mod fmt;
pub mod markup;
pub mod matrix;
