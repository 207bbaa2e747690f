//! Scoring a case: pure functions of a [`Case`](crate::Case), no I/O.
//!
//! - [`bayes`]: the Bayesian scorer of SPEC §3 (the default method);
//! - [`explain`]: contributions, diagnosticity, estimative terms (SPEC §3.4);
//! - [`ach`]: Heuer / PARC weighted inconsistency (SPEC §4);
//! - [`timeline`]: the posterior after each date (SPEC §3.5).

pub mod ach;
pub mod bayes;
pub mod explain;
pub mod timeline;
