//! Unit tests of the loader on cases held in memory (the same code path as on disk).

use std::f64::consts::{FRAC_1_SQRT_2, SQRT_2};
use std::path::PathBuf;

use super::*;
use crate::case::{Cell, Date, Range, Rating, Status};

const HYP: &str = r#"
[case]
title = "T"
question = "Who?"

[[hypothesis]]
id = "isk"

[[hypothesis]]
id = "etim"
title = "ETIM"
prior = 2

[[hypothesis]]
id = "other"
"#;

/// The loader without the warnings of a layer above `case` (the scorer's non-diagnostic
/// items are tested with the crate's loader, `crate::load`).
fn load_files(files: &[(&str, &str)], hypotheses: &str) -> Result<Loaded, Error> {
    load_files_with(files, hypotheses, |_| Vec::new())
}

fn load_ok(files: &[(&str, &str)]) -> Loaded {
    match load_files(files, "hypotheses/c.toml") {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}

fn load_err(files: &[(&str, &str)]) -> String {
    load_files(files, "hypotheses/c.toml")
        .expect_err("the case should not load")
        .to_string()
}

fn warnings(l: &Loaded) -> Vec<String> {
    l.warnings.iter().map(|w| w.to_string()).collect()
}

fn item(id: &str, extra: &str) -> String {
    format!(
        "[[evidence]]\nid = \"{id}\"\n{extra}\nlikelihood = {{ isk = 0.9, etim = 0.1, other = 0.5 }}\n"
    )
}

#[test]
fn admiralty_credibility() {
    let ev = [
        "[[source]]\nid = \"b\"\nreliability = \"B\"\n\n[[source]]\nid = \"a\"\nreliability = \"A\"\n\n[[source]]\nid = \"plain\"\n".to_string(),
        item("b2", "source = \"b\"\ninformation = 2"),
        item("a3", "source = \"a\"\ninformation = 3"),
        item("b-only", "source = \"b\""),
        item("info-only", "information = 6"),
        item("none", "source = \"plain\""),
        item("explicit", "source = \"b\"\ncredibility = 0.6"),
    ]
    .concat();
    let l = load_ok(&[("hypotheses/c.toml", HYP), ("evidence/c/a.toml", &ev)]);
    let c: Vec<(f64, CredibilityBasis)> = l
        .case
        .evidence
        .iter()
        .map(|e| match e.credibility {
            Credibility::Mixture { value, basis, .. } => (value, basis),
            Credibility::Schum { .. } => panic!("not a mixture"),
        })
        .collect();
    use CredibilityBasis::*;
    assert_eq!(
        c,
        [
            // B2: sqrt(R(B) * I(2)) = sqrt(0.75 * 0.75) = 0.75
            (0.75, Admiralty),
            // A3: sqrt(1.0 * 0.5) = sqrt(0.5)
            (0.5f64.sqrt(), Admiralty),
            // Only the source's reliability is known: R(B) = 0.75
            (0.75, Admiralty),
            // Only the information grade: I(6) = 0.5
            (0.5, Admiralty),
            // A source with no reliability and no grade: 1, with a warning
            (1.0, Default),
            // Its own credibility wins over the source's reliability
            (0.6, Explicit),
        ]
    );
    assert_eq!(
        warnings(&l)
            .iter()
            .filter(|w| w.contains("no credibility information"))
            .count(),
        1
    );
}

#[test]
fn admiralty_overrides_apply_before_credibility() {
    let hyp = format!(
        "{HYP}\n[admiralty]\nreliability = {{ B = 0.8 }}\ninformation = {{ \"2\" = 0.45 }}\n"
    );
    let ev = [
        "[[source]]\nid = \"b\"\nreliability = \"B\"\n".to_string(),
        item("b2", "source = \"b\"\ninformation = 2"),
    ]
    .concat();
    let l = load_ok(&[("hypotheses/c.toml", &hyp), ("evidence/c/a.toml", &ev)]);
    assert_eq!(l.case.admiralty.reliability[1], 0.8);
    assert_eq!(l.case.admiralty.information[1], 0.45);
    // sqrt(0.8 * 0.45) = sqrt(0.36) = 0.6
    assert_eq!(
        l.case.evidence[0].credibility.value(),
        Some((0.8f64 * 0.45).sqrt())
    );
    assert!((l.case.evidence[0].credibility.value().unwrap() - 0.6).abs() < 1e-15);
}

#[test]
fn labels_pairs_ranges_dates_and_statuses() {
    let ev = [
        item(
            "lab",
            "credibility = \"medium\"\ncredibility_range = [0.6, 0.8]\nweight = \"low\"\nweight_range = [0.5, 1]\ndate = 2025-12-24\nstatus = \"absent\"\nnote = \"n\"\ntitle = \"t\"",
        ),
        item("high", "credibility = \"high\"\nweight = \"high\"\nstatus = \"pending\""),
        item("pair", "hit_rate = 0.9\nfalse_alarm_rate = 0.2\nweight = 0\nstatus = \"retracted\""),
    ]
    .concat();
    let l = load_ok(&[("hypotheses/c.toml", HYP), ("evidence/c/a.toml", &ev)]);
    let e = &l.case.evidence;
    assert_eq!(
        e[0].credibility,
        Credibility::Mixture {
            value: 0.7,
            range: Some(Range { lo: 0.6, hi: 0.8 }),
            basis: CredibilityBasis::Explicit
        }
    );
    assert_eq!(e[0].weight, FRAC_1_SQRT_2);
    assert_eq!(e[0].weight_range, Some(Range { lo: 0.5, hi: 1.0 }));
    assert_eq!(
        e[0].date,
        Some(Date {
            year: 2025,
            month: 12,
            day: 24
        })
    );
    assert_eq!(e[0].status, Status::Absent);
    assert_eq!(e[0].note.as_deref(), Some("n"));
    assert_eq!(e[0].title.as_deref(), Some("t"));
    assert_eq!(e[1].credibility.value(), Some(0.9));
    assert_eq!(e[1].weight, SQRT_2);
    assert_eq!(e[1].status, Status::Pending);
    assert_eq!(
        e[2].credibility,
        Credibility::Schum {
            hit_rate: 0.9,
            false_alarm_rate: 0.2
        }
    );
    assert_eq!(e[2].weight, 0.0);
    assert_eq!(e[2].status, Status::Retracted);
    // Defaults: the hypothesis title is its id, the prior weight 1.
    let h = &l.case.hypotheses;
    assert_eq!((h[0].title.as_str(), h[0].prior), ("isk", 1.0));
    assert_eq!((h[1].title.as_str(), h[1].prior), ("ETIM", 2.0));
    assert_eq!(l.case.question.as_deref(), Some("Who?"));
}

#[test]
fn cells_and_na_rows() {
    let ev = r#"
[[evidence]]
id = "mixed"
credibility = 1
likelihood = { isk = "C", etim = { value = 0.2, range = [0.1, 0.3] }, other = "NA" }

[[evidence]]
id = "all-na"
credibility = 1
likelihood = { other = "NA", isk = "NA", etim = "NA" }
"#;
    let l = load_ok(&[("hypotheses/c.toml", HYP), ("evidence/c/a.toml", ev)]);
    let case = &l.case;
    // Cells are stored in hypothesis order, whatever the order written.
    assert_eq!(
        case.evidence[0].likelihood,
        [
            Cell::Rating(Rating::C),
            Cell::Value {
                value: 0.2,
                range: Some(Range { lo: 0.1, hi: 0.3 })
            },
            Cell::Rating(Rating::NA),
        ]
    );
    // NA takes the mean of the row's other cells: (0.7 + 0.2) / 2 = 0.45.
    assert_eq!(case.likelihoods(0), [0.7, 0.2, (0.7 + 0.2) / 2.0]);
    // A row of NA only is 0.5 everywhere.
    assert_eq!(case.likelihoods(1), [0.5, 0.5, 0.5]);
}

#[test]
fn rating_overrides_keep_unnamed_fields() {
    let hyp = format!(
        "{HYP}\n[ratings]\nC = {{ likelihood = 0.72 }}\nII = {{ range = [0.05, 0.2] }}\nCC = {{ likelihood = 0.8, range = [0.6, 0.9] }}\n"
    );
    let l = load_ok(&[
        ("hypotheses/c.toml", &hyp),
        ("evidence/c/a.toml", &item("x", "")),
    ]);
    let r = &l.case.ratings;
    assert_eq!(r.level(Rating::C).likelihood, 0.72);
    assert_eq!(r.level(Rating::C).range, Range { lo: 0.5, hi: 0.85 });
    assert_eq!(r.level(Rating::II).likelihood, 0.1);
    assert_eq!(r.level(Rating::II).range, Range { lo: 0.05, hi: 0.2 });
    assert_eq!(r.level(Rating::CC).likelihood, 0.8);
    assert_eq!(r.level(Rating::N), RatingScale::default().level(Rating::N));
}

fn paths(l: &Loaded) -> Vec<String> {
    l.case
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

#[test]
fn evidence_folder_read_in_bytewise_order() {
    let files = [
        ("hypotheses/c.toml", HYP),
        (
            "evidence/c/b.toml",
            "[[evidence]]\nid = \"b\"\ncredibility = 1\nlikelihood = { isk = 0.5, etim = 0.5, other = 0.5 }\n",
        ),
        ("evidence/c/B.toml", "[[source]]\nid = \"s\"\n"),
        (
            "evidence/c/a.toml",
            "[[group]]\nid = \"g\"\ncorrelation = 1\n",
        ),
        ("evidence/c/.draft.toml", "not toml at all ["),
        ("evidence/c/sub/x.toml", "not read either ["),
        ("evidence/c/notes.md", "not read"),
    ];
    let l = load_ok(&files);
    // Bytewise: "B" (0x42) < "a" (0x61) < "b" (0x62).
    assert_eq!(
        paths(&l),
        [
            "hypotheses/c.toml",
            "evidence/c/B.toml",
            "evidence/c/a.toml",
            "evidence/c/b.toml"
        ]
    );
    assert_eq!(
        (
            l.case.sources[0].file,
            l.case.groups[0].file,
            l.case.evidence[0].file
        ),
        (1, 2, 3)
    );
    assert!(!l.case.bundled);
}

#[test]
fn folder_wins_over_file_with_a_warning() {
    let e = |id: &str| {
        format!(
            "[[evidence]]\nid = \"{id}\"\ncredibility = 1\nlikelihood = {{ isk = 0.5, etim = 0.6, other = 0.5 }}\n"
        )
    };
    let (a, b) = (e("from-folder"), e("from-file"));
    let both = [
        ("hypotheses/c.toml", HYP),
        ("evidence/c/a.toml", a.as_str()),
        ("evidence/c.toml", b.as_str()),
    ];
    let l = load_ok(&both);
    assert_eq!(paths(&l), ["hypotheses/c.toml", "evidence/c/a.toml"]);
    assert_eq!(
        warnings(&l)[0],
        "abduce: warning: both `evidence/c/` and `evidence/c.toml` exist; reading the folder and ignoring the file"
    );
    let file_only = [("hypotheses/c.toml", HYP), ("evidence/c.toml", b.as_str())];
    let l = load_ok(&file_only);
    assert_eq!(paths(&l), ["hypotheses/c.toml", "evidence/c.toml"]);
    assert_eq!(l.case.evidence[0].id, "from-file");
}

#[test]
fn evidence_list_in_list_order() {
    let hyp = HYP.replace(
        "question = \"Who?\"",
        "evidence = [\"more/z.toml\", \"../evidence/c\", \"more/a.toml\"]",
    );
    let e = |id: &str| {
        format!(
            "[[evidence]]\nid = \"{id}\"\ncredibility = 1\nlikelihood = {{ isk = 0.5, etim = 0.6, other = 0.5 }}\n"
        )
    };
    let (z, a, c1) = (e("z"), e("a"), e("c1"));
    let files = [
        ("hypotheses/c.toml", hyp.as_str()),
        ("hypotheses/more/a.toml", a.as_str()),
        ("hypotheses/more/z.toml", z.as_str()),
        ("evidence/c/1.toml", c1.as_str()),
    ];
    let l = load_ok(&files);
    assert_eq!(
        paths(&l),
        [
            "hypotheses/c.toml",
            "hypotheses/more/z.toml",
            "evidence/c/1.toml",
            "hypotheses/more/a.toml"
        ]
    );
    let ids: Vec<&str> = l.case.evidence.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["z", "c1", "a"]);
    // `evidence = []`: everything is in the hypotheses file.
    let alone = format!(
        "{}\n{}",
        HYP.replace("question = \"Who?\"", "evidence = []"),
        e("inline")
    );
    let l = load_ok(&[("hypotheses/c.toml", alone.as_str())]);
    assert_eq!(paths(&l), ["hypotheses/c.toml"]);
    assert_eq!(l.case.evidence[0].file, 0);
}

#[test]
fn same_file_twice_is_an_error() {
    let hyp = HYP.replace(
        "question = \"Who?\"",
        "evidence = [\"../evidence/c\", \"../evidence/c/./a.toml\", \"c.toml\"]",
    );
    let err = load_err(&[
        ("hypotheses/c.toml", &hyp),
        ("evidence/c/a.toml", &item("x", "credibility = 1")),
    ]);
    assert_eq!(
        err,
        "hypotheses/c.toml:4:30: error: evidence location `../evidence/c/./a.toml` reads `evidence/c/a.toml` a second time\n  |\n4 | evidence = [\"../evidence/c\", \"../evidence/c/./a.toml\", \"c.toml\"]\n  |                              ^^^^^^^^^^^^^^^^^^^^^^^^\n\
         hypotheses/c.toml:4:56: error: evidence location `c.toml` reads `hypotheses/c.toml` a second time\n  |\n4 | evidence = [\"../evidence/c\", \"../evidence/c/./a.toml\", \"c.toml\"]\n  |                                                        ^^^^^^^^\n"
    );
}

#[test]
fn a_lint_warns_at_its_items_after_the_loaders_own_warnings() {
    // `x` (id at 2:6) has no credibility: the loader's own warning. The lint warns about both
    // items, the later one first: the warnings still come out by position, the lint's after
    // the loader's at the same place.
    let ev = [item("x", ""), item("y", "credibility = 1")].concat();
    let l = load_files_with(
        &[("hypotheses/c.toml", HYP), ("evidence/c/a.toml", &ev)],
        "hypotheses/c.toml",
        |c| {
            let ids = c.evidence.iter().enumerate().rev();
            ids.map(|(e, item)| (e, format!("lint about `{}`", item.id)))
                .collect()
        },
    )
    .unwrap();
    let firsts: Vec<String> = warnings(&l)
        .iter()
        .map(|w| w.lines().next().unwrap().to_string())
        .collect();
    assert_eq!(
        firsts,
        [
            "evidence/c/a.toml:2:6: warning: evidence `x` has no credibility information (no `credibility`, no source reliability, no `information`): it is taken as fully credible",
            "evidence/c/a.toml:2:6: warning: lint about `x`",
            "evidence/c/a.toml:6:6: warning: lint about `y`",
        ]
    );
}

#[test]
fn catch_all_by_title_or_id() {
    for h in [
        "id = \"a-else\"",
        "id = \"x\"\ntitle = \"Someone UNKNOWN\"",
        "id = \"Others\"",
    ] {
        let hyp = format!("evidence = []\n[[hypothesis]]\nid = \"a\"\n[[hypothesis]]\n{h}\n");
        let hyp = format!("[case]\n{hyp}");
        let l = load_ok(&[("hypotheses/c.toml", &hyp)]);
        assert!(warnings(&l).is_empty(), "{h}: {:?}", warnings(&l));
    }
}

#[test]
fn bundled_location_has_a_clear_error_when_missing_or_loads() {
    let path = format!("hypotheses/{}.toml", bundled::DEFAULT_CASE);
    match load_with(&CaseLocation::Bundled, |_| Vec::new()) {
        Ok(l) => {
            assert!(l.case.bundled);
            assert_eq!(l.case.files[0], PathBuf::from(path));
        }
        Err(e) => {
            assert!(bundled::file(&path).is_none(), "{e}");
            assert_eq!(
                e.to_string(),
                format!(
                    "abduce: error: the bundled case is missing from this build (no `{path}`)\n"
                )
            );
        }
    }
}

#[test]
fn admiralty_fields_ignored_next_to_credibility_or_pair() {
    let ev = [
        "[[source]]\nid = \"s\"\nreliability = \"E\"\n".to_string(),
        item("own", "source = \"s\"\ninformation = 5\ncredibility = 0.8"),
        item(
            "pair",
            "information = 5\nhit_rate = 0.8\nfalse_alarm_rate = 0.3",
        ),
    ]
    .concat();
    let l = load_ok(&[("hypotheses/c.toml", HYP), ("evidence/c/a.toml", &ev)]);
    // The source's reliability E (0) and grade 5 (0) would give c = 0: they are ignored.
    assert_eq!(l.case.evidence[0].credibility.value(), Some(0.8));
    assert_eq!(
        l.case.evidence[1].credibility,
        Credibility::Schum {
            hit_rate: 0.8,
            false_alarm_rate: 0.3
        }
    );
    assert_eq!(
        warnings(&l),
        [
            "evidence/c/a.toml:7:1: warning: `information` is ignored: the item's credibility comes from `credibility`\n  |\n7 | information = 5\n  | ^^^^^^^^^^^",
            "evidence/c/a.toml:12:1: warning: `information` is ignored: the item's credibility comes from `hit_rate` and `false_alarm_rate`\n   |\n12 | information = 5\n   | ^^^^^^^^^^^",
        ]
    );
}

#[test]
fn empty_evidence_folder_is_a_warning() {
    let hyp = HYP.replace("question = \"Who?\"", "evidence = [\"../notes\"]");
    let files = [
        ("hypotheses/c.toml", hyp.as_str()),
        ("notes/readme.md", "x"),
    ];
    let l = load_ok(&files);
    assert!(l.case.evidence.is_empty());
    assert_eq!(
        warnings(&l),
        [
            "hypotheses/c.toml:4:13: warning: the evidence folder `notes/` holds no .toml file\n  |\n4 | evidence = [\"../notes\"]\n  |             ^^^^^^^^^^"
        ]
    );
}

/// An evidence file of `n` items with a problem in every fifth, and a source and a group
/// before the first item.
fn many_items(n: usize) -> String {
    let mut s = String::from(
        "# many items\n\n[[source]]\nid = \"s1\"\nreliability = \"B\"\n\n[[group]]\nid = \"g\"\ncorrelation = 0.5\n\n",
    );
    for i in 0..n {
        s += &format!("[[evidence]]\nid = \"e{i}\"\nsource = \"s1\"\n");
        match i % 5 {
            0 => s += "weight = -1\n",
            1 => s += "wieght = 2\ncredibility = 0.9\ncredibility_range = [0.1, 0.2]\n",
            2 => s += "group = \"g\"\ninformation = 2\n",
            _ => s += "\n# a comment\n",
        }
        s += "\n[evidence.likelihood]\n";
        s += &format!(
            "isk = {{ value = 0.{}, range = [0.05, 0.95] }}\n",
            i % 9 + 1
        );
        s += if i % 7 == 3 {
            "etim = \"XX\"\n"
        } else {
            "etim = \"C\"\n"
        };
        s += "other = 0.5\n\n";
    }
    s
}

/// Reads `text` as evidence file 1 in one piece: its records and problems.
fn whole(text: &str) -> (String, String) {
    let (root, errors) = DeTable::parse_recoverable(text);
    assert!(errors.is_empty());
    let mut d = Diags::default();
    let (mut r, mut a) = (RatingScale::default(), AdmiraltyScale::default());
    let raw = raw::read_file(1, 0, root.get_ref(), false, &mut r, &mut a, &mut d);
    (format!("{raw:?}"), format!("{d:?}"))
}

#[test]
fn a_large_file_read_in_parts_reads_as_the_whole_file() {
    let text = many_items(40);
    let (raw, diags) = whole(&text);
    // Parts of at least 100, 300 and 1,000 bytes (each item is about 150 bytes): one item,
    // a few, several per part.
    for part in [100, 300, 1000] {
        let (p, found) = parse_parts(1, &text, part).expect("read in parts");
        assert_eq!(format!("{p:?}"), raw, "parts of {part} bytes");
        assert_eq!(format!("{found:?}"), diags, "parts of {part} bytes");
    }
    // The problems are there to be compared: 8 items of the 40 have `weight = -1`.
    assert_eq!(
        diags.matches("`weight` = -1 is out of range").count(),
        8,
        "{diags}"
    );
}

#[test]
fn a_file_that_may_not_read_as_its_parts_is_read_whole() {
    let text = many_items(40);
    assert!(parse_parts(1, &text, 100).is_some());
    // Smaller than two parts.
    assert!(parse_parts(1, &text, text.len() / 2 + 1).is_none());
    // A multi-line string anywhere.
    let quoted = text.replacen("# a comment", "note = \"\"\"\n[[evidence]]\n\"\"\"", 1);
    assert!(parse_parts(1, &quoted, 100).is_none());
    let literal = text.replacen("# a comment", "note = '''\nx\n'''", 1);
    assert!(parse_parts(1, &literal, 100).is_none());
    // A syntax error in one part.
    let broken = text.replacen("other = 0.5", "other = ", 3);
    assert!(parse_parts(1, &broken, 100).is_none());
    // A table other than `evidence` after the first item (TOML would merge or reject it).
    let late_source = format!("{text}[[source]]\nid = \"s2\"\n");
    assert!(parse_parts(1, &late_source, 100).is_none());
    // An `evidence` key before the first `[[evidence]]` line.
    let early = format!("evidence = []\n{text}");
    assert!(parse_parts(1, &early, 100).is_none());
}

#[test]
fn a_large_evidence_file_loads_with_its_problems_at_their_lines() {
    // Over 2 × 64 KB: read in parts by `load_files`. Problems point into later parts.
    let text = many_items(2000);
    assert!(text.len() > 2 * PART_BYTES);
    let files = [
        ("hypotheses/c.toml", HYP),
        ("evidence/c/a.toml", text.as_str()),
    ];
    let e = load_err(&files);
    let (_, diags) = whole(&text);
    // Every problem of the whole file, once each: 400 weights of −1 (items 0, 5, …).
    assert_eq!(
        e.matches("`weight` = -1 is out of range").count(),
        400,
        "{}",
        &e[..2000]
    );
    assert_eq!(diags.matches("`weight` = -1 is out of range").count(), 400);
    // Item 1995's `weight = -1` (1995 = 0 mod 5), found by counting the lines before it.
    let at = text.find("id = \"e1995\"").expect("item 1995");
    let line = text[..at].matches('\n').count() + 1 + 2;
    assert_eq!(
        &text.lines().nth(line - 1).expect("its line")[..11],
        "weight = -1"
    );
    assert!(
        e.contains(&format!("evidence/c/a.toml:{line}:10:")),
        "{}",
        &e[e.len() - 3000..]
    );
}
