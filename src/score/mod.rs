//! Scoring a case: pure functions of a [`Case`](crate::Case), no I/O.
//!
//! - [`bayes`]: the Bayesian scorer of docs/reference.md §3 (the default method);
//! - [`explain`]: contributions, diagnosticity, estimative terms (docs/reference.md §3.4);
//! - [`matrix`]: the rows of the ACH matrix that `score` and `report` print;
//! - [`ach`]: Heuer / PARC weighted inconsistency (docs/reference.md §4);
//! - [`timeline`]: the posterior after each date (docs/reference.md §3.5);
//! - [`shared`]: what the documents of both methods share.

pub mod ach;
pub mod bayes;
pub mod explain;
pub mod matrix;
pub mod shared;
pub mod timeline;
