//! The document of a command run through [`crate::run`]: that of the command.

use crate::render::{Csv, Document};
use crate::run::Output;

/// The document inside an [`Output`], as a `&dyn`-free dispatch.
macro_rules! each {
    ($self:expr, $d:ident => $e:expr) => {
        match $self {
            Output::Score($d) => $e,
            Output::Ach($d) => $e,
            Output::Timeline($d) => $e,
            Output::Indicators($d) => $e,
            Output::MonteCarlo($d) => $e,
            Output::Tornado($d) => $e,
            Output::Tipping($d) => $e,
        }
    };
}

impl Document for Output {
    fn markdown(&self) -> String {
        each!(self, d => d.markdown())
    }

    fn csv(&self) -> Csv {
        each!(self, d => d.csv())
    }

    fn is_part(&self) -> bool {
        each!(self, d => d.is_part())
    }
}
