//! Keeps docs/reference.md honest: every section the code may cite exists with its number,
//! every command and option the binary offers is in §8, every key of every JSON document
//! the binary writes on the bundled case is in §9, and every link of the reference lands on
//! an anchor. A new command, option or key that is not documented fails here.

#[path = "fixtures/harness.rs"]
mod harness;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

const REFERENCE: &str = include_str!("../docs/reference.md");

/// Runs abduce in `dir` and returns its standard output (the run must succeed).
fn run_in(dir: &Path, args: &[&str]) -> String {
    harness::abduce(dir, args).ok()
}

/// The text from the anchor `<a id="{id}"></a>` to the next anchor.
fn part(id: &str) -> &'static str {
    let tag = format!("<a id=\"{id}\"></a>");
    let start = REFERENCE
        .find(&tag)
        .unwrap_or_else(|| panic!("docs/reference.md has no anchor `{id}`"));
    let body = &REFERENCE[start + tag.len()..];
    &body[..body.find("<a id=").unwrap_or(body.len())]
}

/// The text from the anchor `<a id="{from}">` to the anchor `<a id="{to}">`.
fn span(from: &str, to: &str) -> &'static str {
    let a = REFERENCE.find(&format!("<a id=\"{from}\"></a>")).unwrap();
    let b = REFERENCE.find(&format!("<a id=\"{to}\"></a>")).unwrap();
    &REFERENCE[a..b]
}

/// Whether `word` occurs in `text` as a whole word (neighbours not letters, digits or `_`).
fn has_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[test]
fn every_contract_section_has_its_anchor_and_number() {
    let sections = [
        "1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
        "4", "5", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "6", "7", "8", "9", "10",
    ];
    for s in sections {
        let id = format!("s{}", s.replace('.', "-"));
        let heading = part(&id).trim_start().lines().next().unwrap_or("");
        let expected = if s.contains('.') {
            format!("### {s} ")
        } else {
            format!("## {s}. ")
        };
        assert!(
            heading.starts_with(&expected),
            "anchor `{id}` is followed by `{heading}`, not a heading `{expected}…`"
        );
        assert!(
            REFERENCE.contains(&format!("(#{id})")),
            "the table of contents has no link to §{s}"
        );
    }
}

/// The subcommands a `--help` text lists under "Commands:" or under groups such as "Case
/// commands:" (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_list = false;
    for line in help.lines() {
        if !line.starts_with(' ') {
            in_list = line == "Commands:" || line.ends_with(" commands:");
        } else if in_list
            && !line.starts_with("   ")
            && let Some(name) = line.split_whitespace().next()
            && name != "help"
        {
            out.push(name.to_string());
        }
    }
    out
}

/// The long options a `--help` text lists (without `--help` and `--version`).
fn long_options(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| {
            l.split([' ', ','])
                .find(|w| w.starts_with("--"))
                .map(|w| w.split('=').next().unwrap_or(w).to_string())
        })
        .filter(|o| o != "--help" && o != "--version")
        .collect()
}

/// Every leaf command (`["sweep", "tornado"]`, …) with its `--help` text.
fn leaf_commands(dir: &Path, path: Vec<String>) -> Vec<(Vec<String>, String)> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = run_in(dir, &args);
    let subs = subcommands(&help);
    if subs.is_empty() {
        return vec![(path, help)];
    }
    subs.into_iter()
        .flat_map(|s| {
            let mut p = path.clone();
            p.push(s);
            leaf_commands(dir, p)
        })
        .collect()
}

#[test]
fn every_command_and_option_is_in_section_8() {
    let dir = tempfile::tempdir().unwrap();
    let s8 = span("s8", "s9");
    let common = part("s8-common");
    let leaves = leaf_commands(dir.path(), Vec::new());
    assert!(leaves.len() >= 16, "too few commands found: {leaves:?}");
    for (path, help) in leaves {
        let name = format!("abduce {}", path.join(" "));
        // The command's own entry: the heading that names it, to the next anchor.
        let entry = s8
            .split("<a id=")
            .find(|e| {
                e.lines()
                    .any(|l| l.starts_with("#### ") && l.contains(&format!("`{name}")))
            })
            .unwrap_or_else(|| panic!("§8 has no `#### `{name} …` heading"));
        for option in long_options(&help) {
            assert!(
                has_word(entry, &option) || has_word(common, &option),
                "§8 documents `{name}` without its option `{option}`"
            );
        }
    }
}

/// The keys of a JSON document that §9 must name: its own keys, the keys of its objects,
/// and the keys of the objects in its lists (one level down), except objects keyed by the
/// `ids` of hypotheses, families or analysts.
fn documented_keys(doc: &Value, ids: &BTreeSet<String>) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let Some(top) = doc.as_object() else {
        panic!("a JSON document is an object: {doc}");
    };
    for (k, v) in top {
        keys.insert(k.clone());
        let children: Vec<&Value> = match v {
            Value::Object(_) => vec![v],
            Value::Array(items) => items.iter().collect(),
            _ => Vec::new(),
        };
        for child in children {
            if let Some(o) = child.as_object()
                && !o.keys().all(|k| ids.contains(k))
            {
                keys.extend(o.keys().cloned());
            }
        }
    }
    keys
}

#[test]
fn every_json_key_is_in_section_9() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("alice.toml"),
        "[evidence.sarchashma-clash]\nweight = 0.7\n",
    )
    .unwrap();
    std::fs::write(
        d.join("bob.toml"),
        "[evidence.afintl-border-units]\ncredibility = \"high\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("plan.toml"),
        "[batch]\nsamples = 1000\n[[case]]\nbundled = true\n[[variant]]\nname = \"base\"\n\
         [run]\ncommands = [\"score\", \"monte-carlo\", \"tipping\", \"tornado\"]\n",
    )
    .unwrap();
    // Writes shard `k` of a sharded run to `{prefix}{k's first digit}.json` and reads it.
    let shard = |prefix: &str, run: &[&str], k: &str| {
        let file = format!("{prefix}{}.json", &k[..1]);
        let mut args = run.to_vec();
        args.extend(["--shard", k, "-o", &file, "-q"]);
        run_in(d, &args);
        std::fs::read_to_string(d.join(file)).unwrap()
    };
    let monte_carlo: &[&str] = &["sweep", "monte-carlo", "--samples", "10000"];
    let sobol: &[&str] = &["sweep", "sobol", "--samples", "300"];
    let batch: &[&str] = &["batch", "plan.toml"];
    let mut documents = vec![
        shard("part", monte_carlo, "1/2"),
        shard("part", monte_carlo, "2/2"),
        shard("sobol", sobol, "1/2"),
        shard("sobol", sobol, "2/2"),
        shard("batch", batch, "1/2"),
        shard("batch", batch, "2/2"),
    ];
    let runs: &[&[&str]] = &[
        &["check"],
        &["score"],
        &["score", "--method", "ach"],
        &["timeline"],
        &["indicators"],
        &["sweep", "monte-carlo", "--samples", "2000"],
        &["sweep", "sobol", "--samples", "64"],
        &["sweep", "tornado"],
        &["sweep", "tipping"],
        &["report", "--samples", "2000"],
        &[
            "compare",
            "--overlay",
            "alice.toml",
            "--overlay",
            "bob.toml",
            "--samples",
            "2000",
        ],
        &["batch", "plan.toml"],
        &["merge", "part1.json", "part2.json"],
        &["merge", "sobol1.json", "sobol2.json"],
        &["merge", "batch1.json", "batch2.json"],
    ];
    for args in runs {
        let mut args = args.to_vec();
        args.extend(["--format", "json", "-q"]);
        documents.push(run_in(d, &args));
    }
    // Keys every document shares are described once, before the first document's entry.
    let general = span("s9", "s9-check");
    let documents: Vec<Value> = documents
        .iter()
        .map(|text| serde_json::from_str(text).unwrap())
        .collect();
    // The ids that key maps ({hypothesis: x}, {analyst: x}) rather than name fields.
    let mut ids: BTreeSet<String> = ["alice", "bob"].map(String::from).into();
    for doc in documents.iter().filter(|d| d["command"] == "check") {
        for list in ["hypotheses", "families"] {
            for x in doc[list].as_array().unwrap() {
                ids.insert(x["id"].as_str().unwrap().to_string());
            }
        }
    }
    let mut commands = BTreeSet::new();
    for doc in documents {
        let command = doc["command"].as_str().unwrap().to_string();
        let anchor = match (command.as_str(), doc["method"].as_str()) {
            ("score", Some("ach")) => "s9-score-ach".to_string(),
            (c, _) => format!("s9-{c}"),
        };
        let entry = part(&anchor);
        for key in documented_keys(&doc, &ids) {
            assert!(
                has_word(entry, &key) || has_word(general, &key),
                "§9 ({anchor}) does not name the key `{key}` of the `{command}` document"
            );
        }
        commands.insert(command);
    }
    assert_eq!(commands.len(), 14, "documents checked: {commands:?}");
}

/// GitHub's anchor of a heading: lower case, letters, digits, `-` and `_` kept, spaces to
/// `-`, everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown page: explicit `<a id>`s and heading slugs.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("<a id=\"") {
            out.insert(rest.split('"').next().unwrap().to_string());
        }
        if line.starts_with('#') {
            out.insert(slug(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn every_link_of_the_reference_lands_on_an_anchor() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut checked = 0;
    for (i, _) in REFERENCE.match_indices("](") {
        let target = &REFERENCE[i + 2..];
        let target = &target[..target.find(')').unwrap()];
        if target.starts_with("http") {
            continue;
        }
        let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
        let text = if file.is_empty() {
            REFERENCE.to_string()
        } else {
            std::fs::read_to_string(docs.join(file))
                .unwrap_or_else(|e| panic!("docs/reference.md links to {file}: {e}"))
        };
        if !fragment.is_empty() {
            assert!(
                anchors(&text).contains(fragment),
                "docs/reference.md links to `{target}`, which has no such anchor"
            );
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} links found");
}

#[test]
fn every_link_into_the_reference_lands_on_an_anchor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let known = anchors(REFERENCE);
    let mut pages = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    let mut checked = 0;
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for (i, _) in text.match_indices("reference.md#") {
            let fragment = &text[i + "reference.md#".len()..];
            let fragment = &fragment[..fragment.find(')').unwrap()];
            assert!(
                known.contains(fragment),
                "{} links to reference.md#{fragment}, which has no such anchor",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(
        checked > 10,
        "only {checked} links into the reference found"
    );
}
