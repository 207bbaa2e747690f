//! The document of a command run through [`crate::run`]: that of the command.

use crate::case::Case;
use crate::render::{CaseDocument, Csv, Document};
use crate::run::Output;

impl CaseDocument for Output {
    fn markdown(&self, case: &Case) -> String {
        match self {
            Output::Score(d) => d.markdown(case),
            Output::Ach(d) => d.markdown(case),
            Output::Timeline(d) => d.markdown(case),
            Output::Indicators(d) => d.markdown(case),
            Output::MonteCarlo(d) => Document::markdown(d),
            Output::Tornado(d) => Document::markdown(d),
            Output::Tipping(d) => Document::markdown(d),
        }
    }

    fn csv(&self, case: &Case) -> Csv {
        match self {
            Output::Score(d) => d.csv(case),
            Output::Ach(d) => d.csv(case),
            Output::Timeline(d) => d.csv(case),
            Output::Indicators(d) => d.csv(case),
            Output::MonteCarlo(d) => Document::csv(d),
            Output::Tornado(d) => Document::csv(d),
            Output::Tipping(d) => Document::csv(d),
        }
    }

    fn is_part(&self) -> bool {
        matches!(self, Output::MonteCarlo(d) if d.is_part())
    }
}
