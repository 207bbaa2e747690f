//! The `sweep sobol` document; its part of a sharded run is in [`super`].

use crate::render::{Csv, Document};
use crate::sweep::sobol::{SobolFactor, SobolSummary};
use crate::text::fmt::{fixed, thousands};

impl Document for SobolSummary {
    fn markdown(&self) -> String {
        let mut s = format!(
            "# Sobol indices: {}\n\nOutput `{}`; {} base rows, seed {}.\n\n",
            self.header.case,
            self.output,
            thousands(self.samples),
            self.seed
        );
        for w in self.warnings() {
            s += &format!("> Warning: {w}\n\n");
        }
        let num = |x: Option<f64>, ci: Option<[f64; 2]>| match (x, ci) {
            (Some(x), Some([a, b])) => {
                format!("{} [{}, {}]", fixed(x, 3), fixed(a, 3), fixed(b, 3))
            }
            _ => "—".to_string(),
        };
        s += "| factor | first order S1 [95% CI] | total ST [95% CI] |\n|---|---|---|\n";
        for f in &self.factors {
            s += &format!(
                "| {} | {} | {} |\n",
                f.id,
                num(f.s1, f.s1_ci),
                num(f.st, f.st_ci)
            );
        }
        s
    }

    fn csv(&self) -> Csv {
        // With every index present, so the intervals give their two columns each.
        Csv::rows(&self.factors).or_header_of(&SobolFactor {
            id: String::new(),
            s1: Some(0.0),
            s1_ci: Some([0.0; 2]),
            st: Some(0.0),
            st_ci: Some([0.0; 2]),
        })
    }
}
