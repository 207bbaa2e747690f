//! The rendering layer's tests: every document in every format it has (Markdown, JSON, CSV,
//! and HTML for the report), built from the library on the bundled case and snapshotted
//! whole, so a change to any line of any rendering is a reviewable diff (`cargo insta
//! review`). Every document but the report refuses HTML; a part of a sharded run is the same
//! JSON in every format. (`check` is the binary's own document: see shipped_snapshots.rs.)

use abduce::Error;
use abduce::case::Case;
use abduce::case::discover::CaseLocation;
use abduce::case::overrides;
use abduce::error::Refused;
use abduce::indicators;
use abduce::load;
use abduce::render::{CaseDocument, Document, Format};
use abduce::report;
use abduce::score::{ach, explain, timeline};
use abduce::sweep::monte_carlo::{self, McOutput};
use abduce::sweep::sobol::{self, SobolOutput};
use abduce::sweep::{tipping, tornado};
use abduce::workflow::{batch, compare};
use std::path::Path;

fn bundled() -> Case {
    load::load(&CaseLocation::Bundled).unwrap().case
}

fn text(doc: &impl Document, format: Format) -> String {
    String::from_utf8(doc.render(format).unwrap()).unwrap()
}

/// Snapshots `doc` in Markdown, JSON and CSV (`name_md`, `name_json`, `name_csv`), and checks
/// that it refuses HTML.
fn every_format(name: &str, doc: &impl Document) {
    insta::assert_snapshot!(format!("{name}_md"), text(doc, Format::Md));
    insta::assert_snapshot!(format!("{name}_json"), text(doc, Format::Json));
    insta::assert_snapshot!(format!("{name}_csv"), text(doc, Format::Csv));
    let refused = doc.render(Format::Html).unwrap_err();
    assert!(
        matches!(refused, Error::Refused(Refused::HtmlOnlyForReport)),
        "{refused:?}"
    );
}

/// A part is read by `abduce merge`: the same JSON whatever the format asked for.
fn part_is_json_in_every_format(part: &impl Document) {
    let json = text(part, Format::Json);
    assert!(json.starts_with('{') && json.ends_with("}\n"));
    for f in [Format::Md, Format::Csv, Format::Html] {
        assert_eq!(text(part, f), json);
    }
}

#[test]
fn score() {
    let case = bundled();
    every_format("score", &explain::summarize(&case).unwrap().with(&case));
}

#[test]
fn ach() {
    let case = bundled();
    every_format("ach", &ach::summarize(&case).with(&case));
}

#[test]
fn timeline() {
    let case = bundled();
    every_format("timeline", &timeline::summarize(&case).unwrap().with(&case));
}

#[test]
fn indicators() {
    let case = bundled();
    every_format(
        "indicators",
        &indicators::indicators(&case).unwrap().with(&case),
    );
}

#[test]
fn tornado() {
    every_format("tornado", &tornado::run(&bundled()).unwrap());
}

#[test]
fn tipping() {
    every_format("tipping", &tipping::run(&bundled()).unwrap());
}

#[test]
fn monte_carlo_and_its_parts() {
    let case = bundled();
    let whole = monte_carlo::run(&case, 2000, 7, None, &|_| {}).unwrap();
    every_format("monte_carlo", &whole);
    let McOutput::Partial(part) = monte_carlo::run(&case, 2000, 7, Some((1, 2)), &|_| {}).unwrap()
    else {
        panic!("a shard gives a part")
    };
    part_is_json_in_every_format(&part);
    part_is_json_in_every_format(&McOutput::Partial(part));
}

#[test]
fn sobol_and_its_parts() {
    let case = bundled();
    let SobolOutput::Summary(whole) =
        sobol::run_sharded(&case, 128, 7, sobol::RESAMPLES, None, &|_| {}).unwrap()
    else {
        panic!("no shard gives the summary")
    };
    every_format("sobol", &whole);
    let SobolOutput::Partial(part) =
        sobol::run_sharded(&case, 128, 7, sobol::RESAMPLES, Some((2, 2)), &|_| {}).unwrap()
    else {
        panic!("a shard gives a part")
    };
    part_is_json_in_every_format(&part);
}

#[test]
fn compare() {
    let base = bundled();
    let mut b = base.clone();
    overrides::apply(
        &mut b,
        &[],
        &["evidence.shohin-drone-mine.weight=0.5".into()],
    )
    .unwrap();
    let doc = compare::compare_with(&base, &[("b".into(), b)], 2000, 7, &|_| {}).unwrap();
    every_format("compare", &doc);
}

#[test]
fn batch_and_its_parts() {
    let plan = batch::parse_plan(
        "[batch]\nsamples = 2000\nseed = 7\n[[case]]\nbundled = true\n\
         [[variant]]\nname = \"base\"\n[[variant]]\nname = \"b\"\n\
         set = [\"evidence.shohin-drone-mine.weight=0.5\"]\n\
         [run]\ncommands = [\"score\", \"monte-carlo\", \"tipping\", \"tornado\"]\n",
        Path::new("plan.toml"),
    )
    .unwrap();
    every_format("batch", &batch::run(&plan, &|_| {}).0);
    let (part, _) = batch::run_shard(&plan, 1, 2, &|_| {}).unwrap();
    part_is_json_in_every_format(&part);
}

#[test]
fn report_in_four_formats() {
    let mut r = report::build(&bundled(), 2000, 7, &|_| {}).unwrap();
    // The footer's time, fixed (it is never in the JSON).
    r.made_at = "2026-01-01 00:00:00 UTC".into();
    insta::assert_snapshot!("report_md", text(&r, Format::Md));
    insta::assert_snapshot!("report_json", text(&r, Format::Json));
    insta::assert_snapshot!("report_csv", text(&r, Format::Csv));
    insta::assert_snapshot!("report_html", text(&r, Format::Html));
}

#[test]
fn the_library_refuses_zero_scenarios_by_meaning() {
    let case = bundled();
    let e = monte_carlo::run(&case, 0, 7, None, &|_| {}).unwrap_err();
    assert!(matches!(e, Error::Refused(Refused::NoScenarios)), "{e:?}");
    let e = sobol::run_sharded(&case, 0, 7, sobol::RESAMPLES, None, &|_| {}).unwrap_err();
    assert_eq!(
        e.to_string(),
        "abduce: error: the number of scenarios must be at least 1\n"
    );
}
