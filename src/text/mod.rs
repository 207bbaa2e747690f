//! How human-facing text is written, whoever writes it: one set of number formats ([`fmt`])
//! and the markup of sentences and table cells ([`markup`]: the two escapers, code and
//! emphasis in Markdown or HTML, joining words).
//!
//! A leaf: it imports nothing of the crate, so the producers that word a sentence (the
//! report's judgment, batch's summary line) and the rendering layer ([`crate::render`]) that
//! prints their documents both use it without depending on each other in a circle
//! (`docs/architecture.md`, "The direction of dependencies, measured").

pub mod fmt;
pub mod markup;
