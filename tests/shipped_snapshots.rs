//! Whole-output snapshots of every format for the bundled case, run from an empty folder
//! (so the case bundled into the binary is used). A change to any number or any line of an
//! output shows up here as a reviewable diff (`cargo insta review`).

#[path = "fixtures/harness.rs"]
mod harness;

use harness::Abduce;

fn run(args: &[&str]) -> String {
    Abduce::bundled()
        // The reports' footer shows the time they were made: fixed here (1 Dec 2025).
        .env("SOURCE_DATE_EPOCH", "1764547200")
        .args(args)
        .args(&["--quiet"])
        .run()
        .ok()
}

macro_rules! snapshot {
    ($name:ident, $($arg:expr),+) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(run(&[$($arg),+]));
        }
    };
}

snapshot!(score_md, "score");
snapshot!(score_json, "score", "--format", "json");
snapshot!(score_csv, "score", "--format", "csv");
snapshot!(ach_md, "score", "--method", "ach");
snapshot!(ach_json, "score", "--method", "ach", "--format", "json");
snapshot!(ach_csv, "score", "--method", "ach", "--format", "csv");
snapshot!(timeline_md, "timeline");
snapshot!(timeline_json, "timeline", "--format", "json");
snapshot!(timeline_csv, "timeline", "--format", "csv");
snapshot!(indicators_md, "indicators");
snapshot!(indicators_json, "indicators", "--format", "json");
snapshot!(indicators_csv, "indicators", "--format", "csv");
snapshot!(tipping_md, "sweep", "tipping");
snapshot!(tipping_json, "sweep", "tipping", "--format", "json");
snapshot!(tipping_csv, "sweep", "tipping", "--format", "csv");
snapshot!(tornado_md, "sweep", "tornado");
snapshot!(tornado_json, "sweep", "tornado", "--format", "json");
snapshot!(tornado_csv, "sweep", "tornado", "--format", "csv");
snapshot!(check_md, "check");
snapshot!(check_json, "check", "--format", "json");
snapshot!(
    monte_carlo_md,
    "sweep",
    "monte-carlo",
    "--samples",
    "20000",
    "--seed",
    "7"
);
snapshot!(
    monte_carlo_csv,
    "sweep",
    "monte-carlo",
    "--samples",
    "20000",
    "--seed",
    "7",
    "--format",
    "csv"
);
snapshot!(
    sobol_md,
    "sweep",
    "sobol",
    "--samples",
    "256",
    "--seed",
    "7"
);
snapshot!(
    sobol_json,
    "sweep",
    "sobol",
    "--samples",
    "256",
    "--seed",
    "7",
    "--format",
    "json"
);
snapshot!(
    report_html,
    "report",
    "--samples",
    "20000",
    "--seed",
    "7",
    "--format",
    "html"
);
snapshot!(
    report_csv,
    "report",
    "--samples",
    "20000",
    "--seed",
    "7",
    "--format",
    "csv"
);
snapshot!(report_md, "report", "--samples", "20000", "--seed", "7");
snapshot!(
    report_json,
    "report",
    "--samples",
    "20000",
    "--seed",
    "7",
    "--format",
    "json"
);
snapshot!(
    monte_carlo_json,
    "sweep",
    "monte-carlo",
    "--samples",
    "20000",
    "--seed",
    "7",
    "--format",
    "json"
);
