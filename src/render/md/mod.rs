//! One file per document: its `impl Document` (Markdown for people, the typed rows of its
//! CSV, HTML for the report), or `impl CaseDocument` for the documents of one case that take
//! the case's labels from it. JSON is each summary's own `Serialize`.

use crate::render::{Csv, Document};
use crate::sweep::monte_carlo::McPartial;
use crate::sweep::sobol::SobolPartial;
use crate::workflow::batch::BatchPartial;

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

/// The parts of sharded runs: read by `abduce merge`, not by people, so JSON whatever the
/// format asked for ([`Document::is_part`]).
macro_rules! part {
    ($($t:ty),+) => {$(
        impl Document for $t {
            fn markdown(&self) -> String {
                crate::output::to_json(self)
            }

            fn csv(&self) -> Csv {
                Csv::none()
            }

            fn is_part(&self) -> bool {
                true
            }
        }
    )+};
}

part!(McPartial, SobolPartial, BatchPartial);
