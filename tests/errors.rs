//! Every class of bad input (docs/reference.md §10): the whole standard error (file, line, column, the
//! line, the caret, the message) and exit status 1. Also: no panic on any input.

#[path = "fixtures/harness.rs"]
mod harness;

use abduce::case::discover::CaseLocation;
use abduce::load::load;
use harness::{abduce, check_fails, folder};
use proptest::prelude::*;

/// The hypotheses file of most tests: three hypotheses (one a catch-all), evidence under
/// `evidence/c/`.
const H: &str = r#"[case]
title = "T"

[[hypothesis]]
id = "taliban-local"

[[hypothesis]]
id = "is-k"

[[hypothesis]]
id = "other"
"#;

/// A complete likelihood line for the hypotheses of [`H`].
const L: &str = "likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5 }";

/// A case made of [`H`] and one evidence file `evidence/c/a.toml`.
fn with_evidence(body: &str) -> Vec<(&'static str, &[u8])> {
    vec![
        ("hypotheses/c.toml", H.as_bytes()),
        ("evidence/c/a.toml", body.as_bytes()),
    ]
}

/// TOML syntax errors: every one in the file, each at its position.
#[test]
fn syntax_errors_all_reported() {
    let body = format!(
        r#"[[evidence]]
id = "a"
weight = 1.
title = "x
{L}
"#
    );
    let stderr = check_fails(&with_evidence(&body));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:3:12: error: TOML syntax: invalid fraction, expected digits
  |
3 | weight = 1.
  |            ^
evidence/c/a.toml:4:11: error: TOML syntax: invalid basic string, expected `"`
  |
4 | title = "x
  |           ^
"#
    );
}

/// Unknown keys, at the top level and in tables, with a suggestion when one is close.
#[test]
fn unknown_keys() {
    let body = format!(
        r#"[[evidense]]
id = "z"

[[source]]
id = "s"
url = "https://example.org"

[[evidence]]
id = "a"
wieght = 1.0
{L}
"#
    );
    let stderr = check_fails(&with_evidence(&body));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:1:3: error: unknown key `evidense` in the file; did you mean `evidence`?
  |
1 | [[evidense]]
  |   ^^^^^^^^
evidence/c/a.toml:6:1: error: unknown key `url` in [[source]]; expected one of `id`, `name`, `reliability`
  |
6 | url = "https://example.org"
  | ^^^
evidence/c/a.toml:10:1: error: unknown key `wieght` in [[evidence]]; did you mean `weight`?
   |
10 | wieght = 1.0
   | ^^^^^^
"#
    );
}

/// Unknown hypothesis, source and group ids, with "did you mean"; missing cells named.
#[test]
fn unknown_ids_with_suggestions() {
    let stderr = check_fails(&with_evidence(
        r#"[[source]]
id = "khovar"

[[group]]
id = "seized-arsenal"
correlation = 0.5

[[evidence]]
id = "a"
source = "khovr"
group = "seized-arsenl"
likelihood = { taliban = 0.5, isk = 0.4, other = 0.5 }
"#,
    ));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:10:10: error: unknown source `khovr`; did you mean `khovar`?
   |
10 | source = "khovr"
   |          ^^^^^^^
evidence/c/a.toml:11:9: error: unknown group `seized-arsenl`; did you mean `seized-arsenal`?
   |
11 | group = "seized-arsenl"
   |         ^^^^^^^^^^^^^^^
evidence/c/a.toml:12:1: error: `likelihood` has no entry for hypotheses `taliban-local`, `is-k`; give one for every hypothesis (`NA` where it does not apply)
   |
12 | likelihood = { taliban = 0.5, isk = 0.4, other = 0.5 }
   | ^^^^^^^^^^
evidence/c/a.toml:12:16: error: unknown hypothesis `taliban`; the case declares `taliban-local`, `is-k`, `other`
   |
12 | likelihood = { taliban = 0.5, isk = 0.4, other = 0.5 }
   |                ^^^^^^^
evidence/c/a.toml:12:31: error: unknown hypothesis `isk`; did you mean `is-k`?
   |
12 | likelihood = { taliban = 0.5, isk = 0.4, other = 0.5 }
   |                               ^^^
"#
    );
}

/// A reference to a source when the case declares none.
#[test]
fn unknown_source_when_none_declared() {
    let body = format!(
        r#"[[evidence]]
id = "a"
source = "khovar"
{L}
"#
    );
    let stderr = check_fails(&with_evidence(&body));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:3:10: error: unknown source `khovar`: the case declares no source
  |
3 | source = "khovar"
  |          ^^^^^^^^
"#
    );
}

/// A likelihood table that misses hypotheses names them all; no table at all.
#[test]
fn missing_likelihoods() {
    let stderr = check_fails(&with_evidence(
        r#"[[evidence]]
id = "a"
likelihood = { other = 0.5 }

[[evidence]]
id = "b"
weight = 1
"#,
    ));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:3:1: error: `likelihood` has no entry for hypotheses `taliban-local`, `is-k`; give one for every hypothesis (`NA` where it does not apply)
  |
3 | likelihood = { other = 0.5 }
  | ^^^^^^^^^^
evidence/c/a.toml:5:1: error: evidence `b` has no `likelihood` table; give one entry for every hypothesis
  |
5 | [[evidence]]
  | ^^^^^^^^^^^^
"#
    );
}

/// Duplicate ids of every kind, within and across files, pointing at the first; the ids a
/// message lists are each named once.
#[test]
fn duplicate_ids_across_files() {
    // The hypotheses of `H`, then one more (from line 13).
    let hypotheses = format!(
        r#"{H}
[[hypothesis]]
id = "is-k"
"#
    );
    let stderr = check_fails(&[
        ("hypotheses/c.toml", hypotheses.as_bytes()),
        (
            "evidence/c/a.toml",
            r#"[[source]]
id = "s"

[[evidence]]
id = "a"
likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5 }
"#
            .as_bytes(),
        ),
        (
            "evidence/c/b.toml",
            r#"[[source]]
id = "s"

[[group]]
id = "g"
correlation = 0

[[group]]
id = "g"
correlation = 1

[[evidence]]
id = "a"
likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5, isis = 0.5 }
"#
            .as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:14:6: error: duplicate hypothesis id `is-k`; first declared at hypotheses/c.toml:8:6
   |
14 | id = "is-k"
   |      ^^^^^^
evidence/c/b.toml:2:6: error: duplicate source id `s`; first declared at evidence/c/a.toml:2:6
  |
2 | id = "s"
  |      ^^^
evidence/c/b.toml:9:6: error: duplicate group id `g`; first declared at evidence/c/b.toml:5:6
  |
9 | id = "g"
  |      ^^^
evidence/c/b.toml:13:6: error: duplicate evidence id `a`; first declared at evidence/c/a.toml:5:6
   |
13 | id = "a"
   |      ^^^
evidence/c/b.toml:14:62: error: unknown hypothesis `isis`; the case declares `taliban-local`, `is-k`, `other`
   |
14 | likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5, isis = 0.5 }
   |                                                              ^^^^
"#
    );
}

/// Numbers out of range, NaN, infinities and numbers too large for a float.
#[test]
fn numbers_out_of_range_nan_infinite() {
    let stderr = check_fails(&with_evidence(
        r#"[[group]]
id = "g"
correlation = 2

[[evidence]]
id = "a"
credibility = nan
weight = inf
likelihood = { taliban-local = 1.5, is-k = -inf, other = -0.0 }

[[evidence]]
id = "b"
credibility = -0.1
weight = -1
likelihood = { taliban-local = 99999999999999999999, is-k = 1e400, other = +nan }
"#,
    ));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:3:15: error: `correlation` = 2 is out of range: it must be in [0, 1]
  |
3 | correlation = 2
  |               ^
evidence/c/a.toml:7:15: error: `credibility` is NaN; numbers must be finite
  |
7 | credibility = nan
  |               ^^^
evidence/c/a.toml:8:10: error: `weight` is infinite; numbers must be finite
  |
8 | weight = inf
  |          ^^^
evidence/c/a.toml:9:32: error: `likelihood.taliban-local` = 1.5 is out of range: it must be in [0, 1]
  |
9 | likelihood = { taliban-local = 1.5, is-k = -inf, other = -0.0 }
  |                                ^^^
evidence/c/a.toml:9:44: error: `likelihood.is-k` is infinite; numbers must be finite
  |
9 | likelihood = { taliban-local = 1.5, is-k = -inf, other = -0.0 }
  |                                            ^^^^
evidence/c/a.toml:13:15: error: `credibility` = -0.1 is out of range: it must be in [0, 1]
   |
13 | credibility = -0.1
   |               ^^^^
evidence/c/a.toml:14:10: error: `weight` = -1 is out of range: it must be at least 0 and at most 1e6
   |
14 | weight = -1
   |          ^^
evidence/c/a.toml:15:32: error: `likelihood.taliban-local` is too large a number
   |
15 | likelihood = { taliban-local = 99999999999999999999, is-k = 1e400, other = +nan }
   |                                ^^^^^^^^^^^^^^^^^^^^
evidence/c/a.toml:15:61: error: `likelihood.is-k` is too large a number
   |
15 | likelihood = { taliban-local = 99999999999999999999, is-k = 1e400, other = +nan }
   |                                                             ^^^^^
evidence/c/a.toml:15:76: error: `likelihood.other` is NaN; numbers must be finite
   |
15 | likelihood = { taliban-local = 99999999999999999999, is-k = 1e400, other = +nan }
   |                                                                            ^^^^
"#
    );
}

/// Wrong types in [case]: the evidence list is then not read.
#[test]
fn wrong_types() {
    let stderr = check_fails(&[(
        "hypotheses/c.toml",
        r#"[case]
title = 3
evidence = [1]

[[hypothesis]]
id = "taliban-local"

[[hypothesis]]
id = "is-k"

[[hypothesis]]
id = "other"
"#
        .as_bytes(),
    )]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:2:9: error: `case.title` must be a string; found a number
  |
2 | title = 3
  |         ^
hypotheses/c.toml:3:12: error: `case.evidence` must be an array of strings; found a number
  |
3 | evidence = [1]
  |            ^^^
"#
    );
}

/// Wrong types in sources, items and cells.
#[test]
fn wrong_types_in_evidence() {
    let stderr = check_fails(&with_evidence(
        r#"[[source]]
id = "s"
reliability = 1

[[evidence]]
id = "a"
weight = true
date = "2025-12-24"
information = "2"
note = ["x"]
likelihood = "C"

[[evidence]]
id = 7
likelihood = { taliban-local = [0.5], is-k = true, other = { value = "C" } }
"#,
    ));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:3:15: error: `reliability` must be a string; found a number
  |
3 | reliability = 1
  |               ^
evidence/c/a.toml:7:10: error: `weight` must be a number or a label (`high`, `medium`, `low`); found `true`
  |
7 | weight = true
  |          ^^^^
evidence/c/a.toml:8:8: error: `date` must be a TOML local date like 2025-12-24; found the string "2025-12-24"
  |
8 | date = "2025-12-24"
  |        ^^^^^^^^^^^^
evidence/c/a.toml:9:15: error: `information` must be a digit 1–6; found the string "2"
  |
9 | information = "2"
  |               ^^^
evidence/c/a.toml:10:8: error: `note` must be a string; found an array
   |
10 | note = ["x"]
   |        ^^^^^
evidence/c/a.toml:11:14: error: `likelihood` must be a table; found the string "C"
   |
11 | likelihood = "C"
   |              ^^^
evidence/c/a.toml:14:6: error: `id` must be a string; found a number
   |
14 | id = 7
   |      ^
evidence/c/a.toml:15:32: error: `likelihood.taliban-local` must be a number in [0, 1], a rating (CC, C, N, NA, I, II) or { value, range }; found an array
   |
15 | likelihood = { taliban-local = [0.5], is-k = true, other = { value = "C" } }
   |                                ^^^^^
evidence/c/a.toml:15:46: error: `likelihood.is-k` must be a number in [0, 1], a rating (CC, C, N, NA, I, II) or { value, range }; found `true`
   |
15 | likelihood = { taliban-local = [0.5], is-k = true, other = { value = "C" } }
   |                                              ^^^^
evidence/c/a.toml:15:70: error: `likelihood.other.value` must be a number; found the string "C"
   |
15 | likelihood = { taliban-local = [0.5], is-k = true, other = { value = "C" } }
   |                                                                      ^^^
"#
    );
}

/// Ranges: lo > hi, a point outside, touching 0 or 1, hi/lo > 1e6, weights and priors > 1e6, shape.
#[test]
fn bad_ranges() {
    let stderr = check_fails(&[
        ("hypotheses/c.toml", r#"[case]
title = "T"

[[hypothesis]]
id = "taliban-local"

[[hypothesis]]
id = "is-k"
prior = 2e6

[[hypothesis]]
id = "other"
prior = 3
prior_range = [0.5, 2]
"#.as_bytes()),
        ("evidence/c/a.toml", r#"[[evidence]]
id = "a"
weight = 2
weight_range = [2, 1]
credibility = 0.95
credibility_range = [0.5, 1]
likelihood = { taliban-local = { value = 0.5, range = [0, 0.5] }, is-k = { value = 0.6, range = [0.1, 0.5] }, other = { range = [0.2, 0.3] } }

[[evidence]]
id = "b"
weight = 2e6
weight_range = [1e-7, 1]
credibility_range = [0.1, 0.2, 0.3]
likelihood = { taliban-local = { value = 0.5, range = [0.4, 1.0] }, is-k = 0.5, other = 0.5 }
"#.as_bytes()),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:9:9: error: `prior` = 2000000 is out of range: it must be greater than 0 and at most 1e6
  |
9 | prior = 2e6
  |         ^^^
hypotheses/c.toml:13:9: error: `prior` = 3 lies outside `prior_range` [0.5, 2]
   |
13 | prior = 3
   |         ^
evidence/c/a.toml:4:16: error: `weight_range` [2, 1] has lo > hi
  |
4 | weight_range = [2, 1]
  |                ^^^^^^
evidence/c/a.toml:6:21: error: `credibility_range` [0.5, 1] must lie strictly between 0 and 1 (0 < lo <= hi < 1)
  |
6 | credibility_range = [0.5, 1]
  |                     ^^^^^^^^
evidence/c/a.toml:7:55: error: `likelihood.taliban-local.range` [0, 0.5] must lie strictly between 0 and 1 (0 < lo <= hi < 1)
  |
7 | likelihood = { taliban-local = { value = 0.5, range = [0, 0.5] }, is-k = { value = 0.6, range = [0.1, 0.5] }, other = { range = [0.2, 0.3] } }
  |                                                       ^^^^^^^^
evidence/c/a.toml:7:84: error: `likelihood.is-k.value` = 0.6 lies outside `likelihood.is-k.range` [0.1, 0.5]
  |
7 | likelihood = { taliban-local = { value = 0.5, range = [0, 0.5] }, is-k = { value = 0.6, range = [0.1, 0.5] }, other = { range = [0.2, 0.3] } }
  |                                                                                    ^^^
evidence/c/a.toml:7:119: error: `likelihood.other` has no `value`
  |
7 | likelihood = { taliban-local = { value = 0.5, range = [0, 0.5] }, is-k = { value = 0.6, range = [0.1, 0.5] }, other = { range = [0.2, 0.3] } }
  |                                                                                                                       ^^^^^^^^^^^^^^^^^^^^^^
evidence/c/a.toml:11:10: error: `weight` = 2000000 is out of range: it must be at least 0 and at most 1e6
   |
11 | weight = 2e6
   |          ^^^
evidence/c/a.toml:12:16: error: `weight_range` [0.0000001, 1] is too wide: hi/lo must be at most 1e6
   |
12 | weight_range = [1e-7, 1]
   |                ^^^^^^^^^
evidence/c/a.toml:13:21: error: `credibility_range` must be a range of two numbers [lo, hi]
   |
13 | credibility_range = [0.1, 0.2, 0.3]
   |                     ^^^^^^^^^^^^^^^
evidence/c/a.toml:14:55: error: `likelihood.taliban-local.range` [0.4, 1] must lie strictly between 0 and 1 (0 < lo <= hi < 1)
   |
14 | likelihood = { taliban-local = { value = 0.5, range = [0.4, 1.0] }, is-k = 0.5, other = 0.5 }
   |                                                       ^^^^^^^^^^
"#
    );
}

/// Unknown ratings, statuses, labels, Admiralty letters and digits; bad overrides.
#[test]
fn unknown_codes_and_labels() {
    let stderr = check_fails(&[
        (
            "hypotheses/c.toml",
            r#"[case]
title = "T"

[[hypothesis]]
id = "taliban-local"

[[hypothesis]]
id = "is-k"

[[hypothesis]]
id = "other"

[ratings]
NA = { likelihood = 0.5 }
cc = { likelihood = 0.9 }
X = { likelihood = 0.9 }
C = { likelihood = 0.6, rnage = [0.5, 0.7] }

[admiralty]
reliability = { G = 0.5 }
information = { "7" = 0.5, "2" = 1.5 }
"#
            .as_bytes(),
        ),
        (
            "evidence/c/a.toml",
            r#"[[source]]
id = "s"
reliability = "b"

[[evidence]]
id = "a"
status = "Observed"
credibility = "hi"
weight = "High"
information = 0
likelihood = { taliban-local = "cc", is-k = "X", other = "NA" }
"#
            .as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:14:1: error: rating `NA` cannot be overridden: it always takes the mean of the row's other cells
   |
14 | NA = { likelihood = 0.5 }
   | ^^
hypotheses/c.toml:15:1: error: unknown rating `cc`; did you mean `CC`?
   |
15 | cc = { likelihood = 0.9 }
   | ^^
hypotheses/c.toml:16:1: error: unknown rating `X`; ratings are `CC`, `C`, `N`, `NA`, `I`, `II`
   |
16 | X = { likelihood = 0.9 }
   | ^
hypotheses/c.toml:17:25: error: unknown key `rnage` in `ratings.C`; did you mean `range`?
   |
17 | C = { likelihood = 0.6, rnage = [0.5, 0.7] }
   |                         ^^^^^
hypotheses/c.toml:20:17: error: unknown Admiralty reliability `G`; use a letter A–F
   |
20 | reliability = { G = 0.5 }
   |                 ^
hypotheses/c.toml:21:17: error: unknown Admiralty information grade `7`; use a digit 1–6
   |
21 | information = { "7" = 0.5, "2" = 1.5 }
   |                 ^^^
hypotheses/c.toml:21:34: error: `admiralty.information.2` = 1.5 is out of range: it must be in [0, 1]
   |
21 | information = { "7" = 0.5, "2" = 1.5 }
   |                                  ^^^
evidence/c/a.toml:3:15: error: unknown Admiralty reliability `b`; did you mean `B`?
  |
3 | reliability = "b"
  |               ^^^
evidence/c/a.toml:7:10: error: unknown status `Observed`; did you mean `observed`?
  |
7 | status = "Observed"
  |          ^^^^^^^^^^
evidence/c/a.toml:8:15: error: unknown credibility label `hi`; labels are `high`, `medium`, `low`
  |
8 | credibility = "hi"
  |               ^^^^
evidence/c/a.toml:9:10: error: unknown weight label `High`; did you mean `high`?
  |
9 | weight = "High"
  |          ^^^^^^
evidence/c/a.toml:10:15: error: unknown Admiralty information grade `0`; use a digit 1–6
   |
10 | information = 0
   |               ^
evidence/c/a.toml:11:32: error: unknown rating `cc`; did you mean `CC`?
   |
11 | likelihood = { taliban-local = "cc", is-k = "X", other = "NA" }
   |                                ^^^^
evidence/c/a.toml:11:45: error: unknown rating `X`; ratings are `CC`, `C`, `N`, `NA`, `I`, `II`
   |
11 | likelihood = { taliban-local = "cc", is-k = "X", other = "NA" }
   |                                             ^^^
"#
    );
}

/// hit_rate without false_alarm_rate and vice versa; credibility or its range with the pair.
#[test]
fn credibility_pairs() {
    let body = format!(
        r#"[[evidence]]
id = "hit-only"
hit_rate = 0.9
{L}

[[evidence]]
id = "false-only"
false_alarm_rate = 0.1
{L}

[[evidence]]
id = "both"
credibility = 0.8
hit_rate = 0.9
false_alarm_rate = 0.1
{L}

[[evidence]]
id = "range"
credibility_range = [0.5, 0.9]
hit_rate = 0.9
false_alarm_rate = 0.1
{L}
"#
    );
    let stderr = check_fails(&with_evidence(&body));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:3:1: error: `hit_rate` needs `false_alarm_rate` too (Schum's model uses the pair)
  |
3 | hit_rate = 0.9
  | ^^^^^^^^
evidence/c/a.toml:8:1: error: `false_alarm_rate` needs `hit_rate` too (Schum's model uses the pair)
  |
8 | false_alarm_rate = 0.1
  | ^^^^^^^^^^^^^^^^
evidence/c/a.toml:13:1: error: give either `credibility` or the pair `hit_rate` + `false_alarm_rate`, not both
   |
13 | credibility = 0.8
   | ^^^^^^^^^^^
evidence/c/a.toml:20:1: error: `credibility_range` does not apply to an item given `hit_rate` and `false_alarm_rate`
   |
20 | credibility_range = [0.5, 0.9]
   | ^^^^^^^^^^^^^^^^^
"#
    );
}

/// A case needs at least two hypotheses.
#[test]
fn too_few_hypotheses() {
    let stderr = check_fails(&[(
        "hypotheses/c.toml",
        r#"[case]
title = "T"
evidence = []

[[hypothesis]]
id = "only"
"#
        .as_bytes(),
    )]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml: error: a case needs at least 2 hypotheses; this one has 1
"#
    );
}

/// A hypotheses file with no hypothesis.
#[test]
fn no_hypotheses() {
    let stderr = check_fails(&[(
        "hypotheses/c.toml",
        r#"[case]
title = "T"
evidence = []
"#
        .as_bytes(),
    )]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml: error: a case needs at least 2 hypotheses; this one has 0
"#
    );
}

/// Prior weights must be positive.
#[test]
fn zero_and_negative_priors() {
    let stderr = check_fails(&[
        (
            "hypotheses/c.toml",
            r#"[case]
title = "T"

[[hypothesis]]
id = "taliban-local"

[[hypothesis]]
id = "is-k"
prior = 0

[[hypothesis]]
id = "other"
prior = -1
"#
            .as_bytes(),
        ),
        (
            "evidence/c/a.toml",
            r#"[[evidence]]
id = "a"
likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5 }
"#
            .as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:9:9: error: `prior` = 0 is out of range: it must be greater than 0 and at most 1e6
  |
9 | prior = 0
  |         ^
hypotheses/c.toml:13:9: error: `prior` = -1 is out of range: it must be greater than 0 and at most 1e6
   |
13 | prior = -1
   |         ^^
"#
    );
}

/// Invalid ids (and `priors`, reserved); cells named by invalid ids still resolve.
#[test]
fn invalid_and_reserved_ids() {
    // The hypotheses of `H`, then more hypotheses (from line 13).
    let hypotheses = format!(
        r#"{H}
[[hypothesis]]
id = "1st"

[[hypothesis]]
id = "a b"

[[hypothesis]]
id = ""
"#
    );
    let stderr = check_fails(&[
        ("hypotheses/c.toml", hypotheses.as_bytes()),
        (
            "evidence/c/a.toml",
            r#"[[source]]
id = "priors"

[[evidence]]
id = "_x"
likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5, 1st = 0.5, "a b" = 0.5, "" = 0.5 }
"#
            .as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:14:6: error: invalid id `1st`: an id starts with a letter and holds only letters, digits, `_` and `-`
   |
14 | id = "1st"
   |      ^^^^^
hypotheses/c.toml:17:6: error: invalid id `a b`: an id starts with a letter and holds only letters, digits, `_` and `-`
   |
17 | id = "a b"
   |      ^^^^^
hypotheses/c.toml:20:6: error: invalid id ``: an id starts with a letter and holds only letters, digits, `_` and `-`
   |
20 | id = ""
   |      ^^
evidence/c/a.toml:2:6: error: the id `priors` is reserved (it names the prior factor in sweeps); choose another
  |
2 | id = "priors"
  |      ^^^^^^^^
evidence/c/a.toml:5:6: error: invalid id `_x`: an id starts with a letter and holds only letters, digits, `_` and `-`
  |
5 | id = "_x"
  |      ^^^^
"#
    );
}

/// A file that is not UTF-8 points at the first invalid byte.
#[test]
fn not_utf8() {
    let stderr = check_fails(&[
        ("hypotheses/c.toml", H.as_bytes()),
        ("evidence/c/a.toml", b"[[evidence]]\nid = \"caf\xe9\"\n"),
    ]);
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:2:10: error: the file is not UTF-8 text (first invalid byte here); save it as UTF-8
  |
2 | id = "caf�"
  |          ^
"#
    );
}

/// No evidence folder and no evidence file.
#[test]
fn missing_evidence() {
    let stderr = check_fails(&[("hypotheses/c.toml", H.as_bytes())]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml: error: no evidence: neither the folder `evidence/c/` nor the file `evidence/c.toml` exists (write `evidence = []` under [case] if this file holds all the evidence)
"#
    );
}

/// A location of the `evidence` list that does not exist.
#[test]
fn missing_evidence_location() {
    let stderr = check_fails(&[
        (
            "hypotheses/c.toml",
            r#"[case]
title = "T"
evidence = ["../evidence/c", "../evidence/extra.toml"]

[[hypothesis]]
id = "taliban-local"

[[hypothesis]]
id = "is-k"

[[hypothesis]]
id = "other"
"#
            .as_bytes(),
        ),
        (
            "evidence/c/a.toml",
            r#"[[evidence]]
id = "a"
likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5 }
"#
            .as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:3:30: error: evidence location `../evidence/extra.toml` does not exist (looked for `evidence/extra.toml`)
  |
3 | evidence = ["../evidence/c", "../evidence/extra.toml"]
  |                              ^^^^^^^^^^^^^^^^^^^^^^^^
"#
    );
}

/// Empty evidence files (whitespace only counts as empty).
#[test]
fn empty_files() {
    let stderr = check_fails(&[
        ("hypotheses/c.toml", H.as_bytes()),
        ("evidence/c/a.toml", r#""#.as_bytes()),
        (
            "evidence/c/b.toml",
            r#"
  
"#
            .as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml: error: the file is empty
evidence/c/b.toml: error: the file is empty
"#
    );
}

/// An empty hypotheses file.
#[test]
fn empty_hypotheses_file() {
    let stderr = check_fails(&[(
        "hypotheses/c.toml",
        r#"
"#
        .as_bytes(),
    )]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml: error: the file is empty
"#
    );
}

/// Only TOML local dates are dates: local date-times, times and offset date-times are errors.
#[test]
fn dates() {
    let body = format!(
        r#"[[evidence]]
id = "a"
date = 2025-12-24T10:00:00
{L}

[[evidence]]
id = "b"
date = 10:00:00
{L}

[[evidence]]
id = "c"
date = 2025-12-24T10:00:00+05:00
{L}
"#
    );
    let stderr = check_fails(&with_evidence(&body));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:3:8: error: `date` must be a TOML local date like 2025-12-24; found the date-time 2025-12-24T10:00:00
  |
3 | date = 2025-12-24T10:00:00
  |        ^^^^^^^^^^^^^^^^^^^
evidence/c/a.toml:8:8: error: `date` must be a TOML local date like 2025-12-24; found the time 10:00:00
  |
8 | date = 10:00:00
  |        ^^^^^^^^
evidence/c/a.toml:13:8: error: `date` must be a TOML local date like 2025-12-24; found the date-time 2025-12-24T10:00:00+05:00
   |
13 | date = 2025-12-24T10:00:00+05:00
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^
"#
    );
}

/// Tables of the hypotheses file in an evidence file; [evidence] instead of [[evidence]]; a group without its correlation.
#[test]
fn misplaced_tables() {
    let stderr = check_fails(&with_evidence(
        r#"[[hypothesis]]
id = "x"

[case]
title = "again"

[evidence]
id = "a"

[[group]]
id = "g"
"#,
    ));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:1:3: error: `hypothesis` belongs in the hypotheses file, not in an evidence file
  |
1 | [[hypothesis]]
  |   ^^^^^^^^^^
evidence/c/a.toml:4:2: error: `case` belongs in the hypotheses file, not in an evidence file
  |
4 | [case]
  |  ^^^^
evidence/c/a.toml:7:1: error: `evidence` must be an array of tables: write each one under [[evidence]]
  |
7 | [evidence]
  | ^^^^^^^^^^
evidence/c/a.toml:10:1: error: [[group]] has no `correlation`
   |
10 | [[group]]
   | ^^^^^^^^^
"#
    );
}

/// A bad weight does not hide the item's other problems: its Admiralty credibility is still
/// checked against its range (all problems in one run, docs/reference.md §10).
#[test]
fn bad_weight_and_credibility_outside_range_together() {
    let body = format!(
        r#"[[source]]
id = "s"
reliability = "B"

[[evidence]]
id = "x"
source = "s"
information = 1
weight = 5e6
credibility_range = [0.2, 0.3]
{L}
"#
    );
    let stderr = check_fails(&with_evidence(&body));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:9:10: error: `weight` = 5000000 is out of range: it must be at least 0 and at most 1e6
  |
9 | weight = 5e6
  |          ^^^
evidence/c/a.toml:10:21: error: the credibility from Admiralty codes, 0.8660254037844386, lies outside `credibility_range` [0.2, 0.3]
   |
10 | credibility_range = [0.2, 0.3]
   |                     ^^^^^^^^^^
"#
    );
}

/// A credibility from Admiralty codes, the default or the item itself must lie inside credibility_range.
#[test]
fn credibility_outside_range() {
    let body = format!(
        r#"[[source]]
id = "s"
reliability = "C"

[[evidence]]
id = "admiralty"
source = "s"
information = 3
credibility_range = [0.6, 0.9]
{L}

[[evidence]]
id = "default"
credibility_range = [0.6, 0.9]
{L}

[[evidence]]
id = "explicit"
credibility = 0.5
credibility_range = [0.6, 0.9]
{L}
"#
    );
    let stderr = check_fails(&with_evidence(&body));
    assert_eq!(
        stderr,
        r#"evidence/c/a.toml:9:21: error: the credibility from Admiralty codes, 0.5, lies outside `credibility_range` [0.6, 0.9]
  |
9 | credibility_range = [0.6, 0.9]
  |                     ^^^^^^^^^^
evidence/c/a.toml:14:21: error: `credibility_range` [0.6, 0.9] needs a credibility: with no `credibility` and no Admiralty codes the credibility is 1, outside the range
   |
14 | credibility_range = [0.6, 0.9]
   |                     ^^^^^^^^^^
evidence/c/a.toml:19:15: error: `credibility` = 0.5 lies outside `credibility_range` [0.6, 0.9]
   |
19 | credibility = 0.5
   |               ^^^
"#
    );
}

/// A missing hypotheses file given as a path; a case name that does not exist.
#[test]
fn missing_hypotheses_file_or_case() {
    let dir = folder(&[("hypotheses/border.toml", H.as_bytes())]);
    for (case, stderr) in [
        (
            "cases/border.toml",
            "cases/border.toml: error: cannot read the file: no such file\n",
        ),
        (
            "bordr",
            "abduce: error: no case `bordr`: there is no `hypotheses/bordr.toml` here; did you \
             mean `border`?\n",
        ),
        (
            "hypotheses",
            "abduce: error: no case `hypotheses`: there is no `hypotheses/hypotheses.toml` here \
             (cases: `border`, `afghan-tajik-border`)\n",
        ),
        (
            "hypotheses/",
            "hypotheses/: error: this is a folder; give the hypotheses file \
             (hypotheses/<case>.toml)\n",
        ),
    ] {
        assert_eq!(
            abduce(dir.path(), &["check", case]).fails(1),
            stderr,
            "{case}"
        );
    }
}

/// Problems in every file are reported in one run, in reading order, warnings included:
/// a broken file does not stop the others being checked, and its syntax errors are not
/// followed by guesses about its content.
#[test]
fn every_problem_in_every_file() {
    let hypotheses = H.replace("title = \"T\"", "title = \"T\"\ntitel = \"x\"");
    let files: [(&str, &[u8]); 4] = [
        ("hypotheses/c.toml", hypotheses.as_bytes()),
        (
            "evidence/c/1.toml",
            b"[[evidence]]\nid = \"a\"\nweight = [\n",
        ),
        ("evidence/c/2.toml", b"# nothing here yet\n"),
        (
            "evidence/c/3.toml",
            b"[[evidence]]\nid = \"b\"\nstatus = \"seen\"\nlikelihood = { is-k = 0.5 }\n",
        ),
    ];
    let stderr = check_fails(&files);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:3:1: error: unknown key `titel` in [case]; did you mean `title`?
  |
3 | titel = "x"
  | ^^^^^
evidence/c/1.toml:3:11: error: TOML syntax: unclosed array, expected `]`
  |
3 | weight = [
  |           ^
evidence/c/2.toml: warning: no [[source]], [[group]] or [[evidence]] table in this file
evidence/c/3.toml:3:10: error: unknown status `seen`; statuses are `observed`, `absent`, `pending`, `retracted`
  |
3 | status = "seen"
  |          ^^^^^^
evidence/c/3.toml:4:1: error: `likelihood` has no entry for hypotheses `taliban-local`, `other`; give one for every hypothesis (`NA` where it does not apply)
  |
4 | likelihood = { is-k = 0.5 }
  | ^^^^^^^^^^
"#
    );
}

/// Snippets that random cases are made of: valid and invalid keys, values and tables.
const SNIPPETS: &[&str] = &[
    "[case]\n",
    "[[hypothesis]]\n",
    "[[source]]\n",
    "[[group]]\n",
    "[[evidence]]\n",
    "[evidence.likelihood]\n",
    "[ratings]\n",
    "[admiralty]\n",
    "id = \"a\"\n",
    "id = \"b\"\n",
    "id = \"priors\"\n",
    "prior = 0\n",
    "prior = 1e300\n",
    "prior_range = [1, 0.5]\n",
    "weight = \"high\"\n",
    "weight = -0.0\n",
    "weight_range = [1e-9, 1e9]\n",
    "credibility = nan\n",
    "credibility = \"low\"\n",
    "credibility_range = [0.5, 0.5]\n",
    "hit_rate = 1\n",
    "false_alarm_rate = 0\n",
    "information = 6\n",
    "reliability = \"F\"\n",
    "source = \"a\"\n",
    "group = \"a\"\n",
    "correlation = 1\n",
    "status = \"absent\"\n",
    "status = \"pending\"\n",
    "date = 2025-02-29\n",
    "date = 1979-05-27T07:32:00Z\n",
    "a = 0.5\n",
    "b = \"NA\"\n",
    "a = { value = 1, range = [0.5, 0.9] }\n",
    "likelihood = { a = 0, b = 1 }\n",
    "likelihood = {}\n",
    "C = { likelihood = 0.01 }\n",
    "reliability = { A = 0 }\n",
    "evidence = [\"..\", \".\", \"/\"]\n",
    "evidence = []\n",
    "x = [[[[\n",
    "\"\u{301}\" = 1\n",
    "\u{feff}",
    "\t\r\n",
    "= =\n",
    "a.b.c = 1\n",
    "[a]\n[a]\n",
];

/// Loads a case whose hypotheses file (and one evidence file) hold `text`; never panics.
fn load_text(text: &[u8]) {
    let dir = folder(&[("hypotheses/c.toml", text), ("evidence/c/a.toml", text)]);
    let _ = load(&CaseLocation::File(dir.path().join("hypotheses/c.toml")));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random bytes never make the loader panic.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        load_text(&bytes);
    }

    /// Random strings never make the loader panic.
    #[test]
    fn random_strings_never_panic(text in "\\PC{0,200}") {
        load_text(text.as_bytes());
    }

    /// Random cases made of plausible snippets never make the loader panic, and a case
    /// that loads can be scored or fails with an error (never a panic).
    #[test]
    fn random_snippets_never_panic(picks in proptest::collection::vec(0..SNIPPETS.len(), 0..40)) {
        let text: String = picks.iter().map(|&i| SNIPPETS[i]).collect();
        let dir = folder(&[("hypotheses/c.toml", text.as_bytes()), ("evidence/c/a.toml", text.as_bytes())]);
        if let Ok(loaded) = load(&CaseLocation::File(dir.path().join("hypotheses/c.toml"))) {
            let _ = abduce::score::bayes::score(&loaded.case);
        }
    }
}

/// A rating override must keep its likelihood inside its range, the default one included.
#[test]
fn rating_overrides_outside_their_range() {
    let hyp = format!(
        "{H}\n[ratings]\nC = {{ likelihood = 0.9 }}\nI = {{ likelihood = 0.2, range = [0.25, 0.4] }}\nII = {{ range = [0.15, 0.2] }}\n"
    );
    let stderr = check_fails(&[
        ("hypotheses/c.toml", hyp.as_bytes()),
        (
            "evidence/c/a.toml",
            format!("[[evidence]]\nid = \"a\"\n{L}\n").as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:14:20: error: `ratings.C.likelihood` = 0.9 lies outside the default range of `C`, [0.5, 0.85]; give a `range` too
   |
14 | C = { likelihood = 0.9 }
   |                    ^^^
hypotheses/c.toml:15:20: error: `ratings.I.likelihood` = 0.2 lies outside `ratings.I.range` [0.25, 0.4]
   |
15 | I = { likelihood = 0.2, range = [0.25, 0.4] }
   |                    ^^^
hypotheses/c.toml:16:16: error: the default likelihood of `II`, 0.1, lies outside `ratings.II.range` [0.15, 0.2]; give a `likelihood` too
   |
16 | II = { range = [0.15, 0.2] }
   |                ^^^^^^^^^^^
"#
    );
}

/// The case name is the file stem and must be `[a-z0-9][a-z0-9_-]*` (docs/reference.md §1).
#[test]
fn invalid_case_name() {
    let dir = folder(&[("hypotheses/Border Case.toml", H.as_bytes())]);
    assert_eq!(
        abduce(dir.path(), &["check", "hypotheses/Border Case.toml"]).fails(1),
        "hypotheses/Border Case.toml: error: the case name `Border Case` (the file name without \
         `.toml`) must be lower-case letters, digits, `_` and `-`, starting with a letter or digit\n\
         hypotheses/Border Case.toml: error: no evidence: neither the folder `evidence/Border Case/` \
         nor the file `evidence/Border Case.toml` exists (write `evidence = []` under [case] if \
         this file holds all the evidence)\n"
    );
}

/// `[[family]]` tables: every problem at once — an id taken by a hypothesis, an unknown
/// member (with "did you mean"), a duplicate family id, fewer than 2 distinct members, a bad
/// id, a wrong type, an unknown key, a member listed twice, no `members`, and a family in an
/// evidence file.
#[test]
fn family_errors() {
    // The hypotheses of `H`, then families (from line 13).
    let hypotheses = format!(
        r#"{H}
[[family]]
id = "is-k"
members = ["taliban-local", "is-k"]

[[family]]
id = "pair"
members = ["taliban-local", "isk"]

[[family]]
id = "pair"
title = "twice"
members = ["other", "other"]

[[family]]
id = "lone"
members = ["other"]

[[family]]
id = "bad id"
members = "other"
colour = "red"

[[family]]
id = "twice"
members = ["other", "is-k", "other"]

[[family]]
id = "none"
"#
    );
    let stderr = check_fails(&[
        ("hypotheses/c.toml", hypotheses.as_bytes()),
        (
            "evidence/c/a.toml",
            r#"[[evidence]]
id = "x"
likelihood = { taliban-local = 0.5, is-k = 0.4, other = 0.5 }

[[family]]
id = "here"
members = ["is-k", "other"]
"#
            .as_bytes(),
        ),
    ]);
    assert_eq!(
        stderr,
        r#"hypotheses/c.toml:14:6: error: family id `is-k` is already a hypothesis id (declared at hypotheses/c.toml:8:6); ids are unique across hypotheses and families
   |
14 | id = "is-k"
   |      ^^^^^^
hypotheses/c.toml:19:29: error: unknown hypothesis `isk`; did you mean `is-k`?
   |
19 | members = ["taliban-local", "isk"]
   |                             ^^^^^
hypotheses/c.toml:22:6: error: duplicate family id `pair`; first declared at hypotheses/c.toml:18:6
   |
22 | id = "pair"
   |      ^^^^^^
hypotheses/c.toml:24:1: error: a family needs at least 2 distinct hypotheses in `members`; found 1
   |
24 | members = ["other", "other"]
   | ^^^^^^^
hypotheses/c.toml:28:1: error: a family needs at least 2 distinct hypotheses in `members`; found 1
   |
28 | members = ["other"]
   | ^^^^^^^
hypotheses/c.toml:31:6: error: invalid id `bad id`: an id starts with a letter and holds only letters, digits, `_` and `-`
   |
31 | id = "bad id"
   |      ^^^^^^^^
hypotheses/c.toml:32:11: error: `members` must be an array of strings; found the string "other"
   |
32 | members = "other"
   |           ^^^^^^^
hypotheses/c.toml:33:1: error: unknown key `colour` in [[family]]; expected one of `id`, `title`, `members`
   |
33 | colour = "red"
   | ^^^^^^
hypotheses/c.toml:37:29: error: `other` is listed twice in `members`
   |
37 | members = ["other", "is-k", "other"]
   |                             ^^^^^^^
hypotheses/c.toml:39:1: error: [[family]] has no `members`
   |
39 | [[family]]
   | ^^^^^^^^^^
evidence/c/a.toml:5:3: error: `family` belongs in the hypotheses file, not in an evidence file
  |
5 | [[family]]
  |   ^^^^^^
"#
    );
}

/// Warnings about families: one of every hypothesis, and two with the same members (in
/// another order). The case still loads (exit 0).
#[test]
fn family_warnings() {
    // The hypotheses of `H`, then families (from line 13).
    let hypotheses = format!(
        r#"{H}
[[family]]
id = "everyone"
members = ["other", "is-k", "taliban-local"]

[[family]]
id = "local"
members = ["taliban-local", "other"]

[[family]]
id = "local-again"
members = ["other", "taliban-local"]
"#
    );
    let dir = folder(&[
        ("hypotheses/c.toml", hypotheses.as_bytes()),
        (
            "evidence/c/a.toml",
            r#"[[evidence]]
id = "x"
credibility = 0.8
likelihood = { taliban-local = 0.9, is-k = 0.1, other = 0.5 }
"#
            .as_bytes(),
        ),
    ]);
    let run = abduce(dir.path(), &["check", "--format", "json"]);
    run.assert_ok();
    assert_eq!(
        run.stderr,
        r#"hypotheses/c.toml:14:6: warning: family `everyone` has every hypothesis of the case as a member: its posterior is always 1
   |
14 | id = "everyone"
   |      ^^^^^^^^^^
hypotheses/c.toml:22:6: warning: family `local-again` has the same members as family `local` (declared at hypotheses/c.toml:18:6): their figures are identical
   |
22 | id = "local-again"
   |      ^^^^^^^^^^^^^
"#
    );
}
