//! The validated model of a case: hypotheses, evidence, sources and groups as plain data.
//!
//! A [`Case`] is produced by [`load`] from TOML files (or from the case bundled into the
//! binary) and can be trusted by the rest of the program: every id resolves, every number
//! is finite and in range, every likelihood table names every hypothesis.

pub mod bundled;
pub mod discover;
pub mod load;
mod messages;
mod model;
pub mod overrides;
pub mod provenance;
mod raw;
pub(crate) mod store;
pub mod values;

pub use model::*;
