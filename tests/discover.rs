//! Finding the case (docs/reference.md §8): a path, a name under `./hypotheses`, the only case there, the
//! bundled case; paths in diagnostics are shown as the analyst wrote them.

#[path = "fixtures/harness.rs"]
mod harness;

use harness::{abduce, folder};

/// Two hypotheses with a catch-all; items credible, so a valid case warns about nothing.
const HYP: &str =
    "[case]\ntitle = \"T\"\n\n[[hypothesis]]\nid = \"a\"\n\n[[hypothesis]]\nid = \"other\"\n";
const EVIDENCE: &str = "[[evidence]]\nid = \"x\"\ncredibility = 1\nwieght = 1\nlikelihood = { a = 0.9, other = 0.1 }\n";

/// A case `border` whose evidence file has one unknown key, so each run shows the path it
/// read the evidence from.
fn border() -> tempfile::TempDir {
    folder(&[
        ("hypotheses/border.toml", HYP.as_bytes()),
        ("evidence/border/a.toml", EVIDENCE.as_bytes()),
        ("sub/.keep", b""),
    ])
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

#[test]
fn by_name_by_path_and_by_default() {
    let dir = border();
    let expected = "evidence/border/a.toml:4:1: error: unknown key `wieght` in [[evidence]]; did you mean `weight`?";
    for args in [
        &["check"][..],
        &["check", "border"],
        &["check", "hypotheses/border.toml"],
        &["check", "./hypotheses/border.toml"],
    ] {
        let run = abduce(dir.path(), args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(first_line(&run.stderr), expected, "{args:?}");
    }
    // From a subfolder, the path given and the evidence paths stay relative.
    let run = abduce(
        &dir.path().join("sub"),
        &["check", "../hypotheses/border.toml"],
    );
    assert_eq!(
        first_line(&run.stderr),
        format!("../{expected}"),
        "a relative path is resolved from the current folder"
    );
}

#[test]
fn a_toml_name_without_slash_is_a_path() {
    let solo = HYP.replace("title = \"T\"\n", "title = \"T\"\nevidence = []\n");
    let dir = folder(&[("solo.toml", solo.as_bytes())]);
    let run = abduce(dir.path(), &["check", "-q", "solo.toml"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("Case `solo`: 1 file."),
        "{}",
        run.stdout
    );
}

#[test]
fn two_cases_without_case_is_exit_2() {
    let dir = folder(&[
        ("hypotheses/b.toml", HYP.as_bytes()),
        ("hypotheses/a.toml", HYP.as_bytes()),
        ("hypotheses/.a-draft.toml", HYP.as_bytes()),
    ]);
    let run = abduce(dir.path(), &["check"]);
    run.assert_fails(2);
    assert_eq!(
        run.stderr,
        "abduce: error: several cases under hypotheses/: `a`, `b`; name the one to use as the CASE argument (e.g. `a`)\n"
    );
}

#[test]
fn the_bundled_case_by_name_or_by_default() {
    let dir = folder(&[("hypotheses/readme.md", b"not a case")]);
    let name = abduce::case::bundled::DEFAULT_CASE;
    let by_default = abduce(dir.path(), &["check", "-q"]);
    let by_name = abduce(dir.path(), &["check", "-q", name]);
    assert_eq!(
        (by_default.code, &by_default.stdout, &by_default.stderr),
        (by_name.code, &by_name.stdout, &by_name.stderr)
    );
    let bundled = abduce::case::bundled::file(&format!("hypotheses/{name}.toml")).is_some();
    assert_eq!(by_default.code, if bundled { 0 } else { 1 });
}

/// docs/reference.md §8: `--threads 0`, `--samples 0`, a malformed `--shard`, an absurd thread count,
/// `--format html` outside `report` and a format other than JSON for a shard part are bad
/// command lines: exit 2, a message naming the
/// option, nothing on standard output.
#[test]
fn bad_numbers_on_the_command_line_are_exit_2() {
    let dir = folder(&[]);
    let cases: &[(&[&str], &str)] = &[
        (&["score", "--threads", "0"], "--threads"),
        (&["score", "--threads", "100000"], "1..=1024"),
        (&["sweep", "monte-carlo", "--samples", "0"], "--samples"),
        (&["sweep", "sobol", "--samples", "0"], "--samples"),
        (&["report", "--samples", "0"], "--samples"),
        (&["sweep", "monte-carlo", "--shard", "0/3"], "shard"),
        (&["sweep", "monte-carlo", "--shard", "4/3"], "shard"),
        (&["sweep", "monte-carlo", "--shard", "1/0"], "shard"),
        (&["sweep", "monte-carlo", "--shard", "1-3"], "shard"),
        (&["sweep", "monte-carlo", "--shard", "x"], "shard"),
        (&["sweep", "tornado", "--format", "html"], "--format html"),
        (&["merge", "part.json", "--format", "html"], "--format html"),
        // A shard part is JSON for `merge`; another format is refused, not ignored.
        (
            &["sweep", "monte-carlo", "--shard", "1/2", "--format", "md"],
            "--format md is not available with --shard",
        ),
        (
            &["sweep", "sobol", "--shard", "1/2", "--format", "csv"],
            "--format csv is not available with --shard",
        ),
        (
            &["batch", "plan.toml", "--shard", "1/2", "--format", "md"],
            "--format md is not available with --shard",
        ),
    ];
    // HTML is for `report` only: refused before the (here broken) case is read.
    let broken = folder(&[("hypotheses/c.toml", b"[case\n")]);
    assert_eq!(
        abduce(broken.path(), &["score", "--format", "html"]).fails(2),
        "abduce: error: --format html is only available for `report`; this command writes md, json or csv\n"
    );
    for (args, needle) in cases {
        let run = abduce(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
}
