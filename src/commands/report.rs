//! `abduce report`.

use abduce::Error;
use abduce::report::{build, default_samples};

use crate::cli::{CaseArg, Common, Sampling};

/// `abduce report`: the ranked attribution summary.
pub fn run(case: &CaseArg, sampling: &Sampling, common: &Common) -> Result<(), Error> {
    let prepared = super::prepare(case, common, false)?;
    let samples = sampling
        .samples
        .unwrap_or_else(|| default_samples(&prepared.case));
    let bar = super::progress_bar(samples, common);
    let report = build(&prepared.case, samples, sampling.seed, &|n| bar.inc(n));
    bar.finish_and_clear();
    super::emit(&report?, common, &prepared.inputs)
}
