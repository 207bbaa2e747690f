//! A batch plan (`docs/format.md`, "Batch plans"): its cases, variants and commands, and
//! [`parse_plan`], which reads one and reports every problem at its place. The plan's
//! syntax, unknown keys and types come from the TOML reader's structured errors; the plan's
//! own value types ([`Whole`], [`Flag`]) name the type they expect.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::case::{bundled, overrides};
use crate::error::{Diagnostic, Error, Position, Suggestion, did_you_mean};
use crate::run as entry;

/// Monte Carlo scenarios per run when the plan does not say (docs/reference.md §5.2).
pub const DEFAULT_SAMPLES: u64 = 100_000;

/// A command a plan can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchCommand {
    /// `score` (the Bayesian method).
    Score,
    /// `sweep monte-carlo` with the plan's samples and seed.
    MonteCarlo,
    /// `sweep tipping`.
    Tipping,
    /// `sweep tornado`.
    Tornado,
}

impl BatchCommand {
    /// Every command, in the order the documentation lists them.
    pub const ALL: [BatchCommand; 4] = [
        BatchCommand::Score,
        BatchCommand::MonteCarlo,
        BatchCommand::Tipping,
        BatchCommand::Tornado,
    ];

    /// The command line's entry point for this command with the plan's options.
    pub fn entry(self, plan: &Plan) -> entry::Command {
        match self {
            BatchCommand::Score => entry::Command::Score,
            BatchCommand::MonteCarlo => entry::Command::MonteCarlo {
                samples: plan.samples,
                seed: plan.seed,
                shard: None,
            },
            BatchCommand::Tipping => entry::Command::Tipping,
            BatchCommand::Tornado => entry::Command::Tornado,
        }
    }

    /// The name written in plans and results (the `command` of its JSON document).
    pub fn as_str(self) -> &'static str {
        match self {
            BatchCommand::Score => "score",
            BatchCommand::MonteCarlo => "monte-carlo",
            BatchCommand::Tipping => "tipping",
            BatchCommand::Tornado => "tornado",
        }
    }
}

/// Which case a plan entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSpec {
    /// `path = "..."`: a hypotheses file, already joined to the plan's folder.
    Path(PathBuf),
    /// `name = "..."`: `hypotheses/<name>.toml` under the plan's folder (or the bundled
    /// case by its name).
    Name(String),
    /// `bundled = true`: the case bundled into abduce.
    Bundled,
}

impl CaseSpec {
    /// The case's name in the results: the file stem, the name, or the bundled case's name.
    pub fn label(&self) -> String {
        match self {
            CaseSpec::Path(p) => p
                .file_stem()
                .map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into()),
            CaseSpec::Name(n) => n.clone(),
            CaseSpec::Bundled => bundled::DEFAULT_CASE.to_string(),
        }
    }
}

/// One `[[variant]]`: overlays then `set` assignments applied to each case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its name in the results.
    pub name: String,
    /// Overlay files, joined to the plan's folder, applied in order.
    pub overlays: Vec<PathBuf>,
    /// `PATH=VALUE` assignments, applied after the overlays, in order.
    pub sets: Vec<String>,
}

/// A parsed, checked plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The plan file as given.
    pub path: PathBuf,
    /// Monte Carlo scenarios per run.
    pub samples: u64,
    /// Monte Carlo seed.
    pub seed: u64,
    /// The cases, in plan order.
    pub cases: Vec<CaseSpec>,
    /// The variants, in plan order (one `base` variant with no change when none is given).
    pub variants: Vec<Variant>,
    /// The commands, in plan order.
    pub commands: Vec<BatchCommand>,
}

impl Plan {
    /// The number of runs: cases × variants × commands.
    pub fn len(&self) -> usize {
        self.cases.len() * self.variants.len() * self.commands.len()
    }

    /// Whether the plan has no run (never true for a plan from [`parse_plan`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The units of work [`super::run`] reports to its progress callback: `samples` for each Monte
    /// Carlo run, 1 for every other run.
    pub fn work(&self) -> u64 {
        let per_pair: u64 = self
            .commands
            .iter()
            .map(|c| match c {
                BatchCommand::MonteCarlo => self.samples,
                _ => 1,
            })
            .sum();
        per_pair * (self.cases.len() * self.variants.len()) as u64
    }
}

#[derive(Debug, Deserialize)]
struct RawPlan {
    batch: Option<RawBatch>,
    #[serde(default, rename = "case")]
    cases: Vec<Spanned<RawCase>>,
    #[serde(default, rename = "variant")]
    variants: Vec<RawVariant>,
    run: Option<RawRun>,
}

#[derive(Debug, Deserialize)]
struct RawBatch {
    samples: Option<Spanned<Whole>>,
    seed: Option<Whole>,
}

#[derive(Debug, Deserialize)]
struct RawCase {
    path: Option<String>,
    name: Option<String>,
    bundled: Option<Flag>,
}

#[derive(Debug, Deserialize)]
struct RawVariant {
    name: Spanned<String>,
    #[serde(default)]
    overlay: Vec<String>,
    #[serde(default)]
    set: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
struct RawRun {
    commands: Spanned<Vec<Spanned<String>>>,
}

/// A whole number ≥ 0 in a plan: the TOML reader's messages name it so ("invalid value:
/// integer `-3`, expected a whole number ≥ 0"), as the case files do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Whole(u64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Whole, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Whole;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a whole number ≥ 0")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Whole, E> {
                u64::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
        }
        d.deserialize_u64(V)
    }
}

/// `true` or `false` in a plan, named so in the TOML reader's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Flag(bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Flag, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
        }
        d.deserialize_bool(V)
    }
}

/// The keys each table of a plan takes, in the order the messages list them.
const PLAN_KEYS: [(&str, &[&str]); 4] = [
    ("batch", &["samples", "seed"]),
    ("case", &["path", "name", "bundled"]),
    ("variant", &["name", "overlay", "set"]),
    ("run", &["commands"]),
];

/// The first unknown key of a plan in reading order, with its span: a top-level key other
/// than the four tables, or a key that its table does not take. A table of the wrong shape
/// is left to the typed reading, which says so.
fn first_unknown_key(root: &DeTable<'_>) -> Option<(String, std::ops::Range<usize>)> {
    let unknown = |key: &Spanned<DeString<'_>>, known: &[&str]| {
        let k: &str = key.get_ref();
        (!known.contains(&k)).then(|| (unknown_key_message(k, known), key.span()))
    };
    let in_table = |v: &Spanned<DeValue<'_>>, known: &[&str]| match v.get_ref() {
        DeValue::Table(t) => t.keys().find_map(|k| unknown(k, known)),
        _ => None,
    };
    let top: Vec<&str> = PLAN_KEYS.iter().map(|(k, _)| *k).collect();
    root.iter().find_map(|(key, value)| {
        if let Some(u) = unknown(key, &top) {
            return Some(u);
        }
        let (_, known) = PLAN_KEYS
            .iter()
            .find(|(k, _)| *k == key.get_ref().as_ref())?;
        match value.get_ref() {
            DeValue::Array(items) => items.iter().find_map(|t| in_table(t, known)),
            _ => in_table(value, known),
        }
    })
}

/// "unknown key `k`", with the one "did you mean" wording for a near miss, else the keys
/// the table takes.
fn unknown_key_message(key: &str, known: &[&str]) -> String {
    match did_you_mean(key, known.iter().copied()) {
        Some(s) => format!("unknown key `{key}`; {}", Suggestion(s)),
        None if known.is_empty() => format!("unknown key `{key}`"),
        None => format!(
            "unknown key `{key}`; this table takes {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// [`Error::Input`] with each problem at its `file:line:column`: TOML syntax, an unknown key
/// (the first one only: TOML's reader stops there), a value of the wrong type; then every
/// problem of the checks: no `[[case]]`, a case with not exactly one of `path`, `name`,
/// `bundled = true`, two variants of the same name, a `set` with a malformed PATH (checked by
/// [`overrides::parse_assignment`]; whether its ids and value suit a case is checked per
/// run), an unknown or repeated command, `samples = 0`.
pub fn parse_plan(text: &str, path: &Path) -> Result<Plan, Error> {
    let at = |msg: String, span: Option<std::ops::Range<usize>>| {
        let d = Diagnostic::error(msg).in_file(path);
        match span {
            Some(s) => d.at(Position::from_span(text, s.start, s.end)),
            None => d,
        }
    };
    // TOML syntax first; then the first problem in reading order, an unknown key or a value
    // of the wrong type, as the TOML reader would have stopped at it. Its messages are the
    // reader's own (the types are named by the plan's own value types, below).
    let root = DeTable::parse(text).map_err(|e| at(e.message().trim().to_string(), e.span()))?;
    let typed =
        toml::from_str::<RawPlan>(text).map_err(|e| (e.message().trim().to_string(), e.span()));
    let unknown = first_unknown_key(root.get_ref());
    let raw = match (typed, unknown) {
        (Err((m, span)), Some((_, key))) if span.as_ref().is_some_and(|s| s.start < key.start) => {
            return Err(at(m, span).into());
        }
        (_, Some((m, key))) => return Err(at(m, Some(key)).into()),
        (Err((m, span)), None) => return Err(at(m, span).into()),
        (Ok(raw), None) => raw,
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut problems = Vec::new();

    let samples = match raw.batch.as_ref().and_then(|b| b.samples.as_ref()) {
        Some(s) if s.get_ref().0 == 0 => {
            problems.push(at("`samples` must be at least 1".into(), Some(s.span())));
            DEFAULT_SAMPLES
        }
        Some(s) => s.get_ref().0,
        None => DEFAULT_SAMPLES,
    };
    let seed = raw.batch.as_ref().and_then(|b| b.seed).map_or(0, |w| w.0);

    if raw.cases.is_empty() {
        problems.push(
            Diagnostic::error(
                "the plan names no case: add a [[case]] table with `path`, `name` or \
                 `bundled = true`",
            )
            .in_file(path),
        );
    }
    let mut cases = Vec::new();
    for c in &raw.cases {
        let RawCase {
            path: p,
            name,
            bundled,
        } = c.get_ref();
        match (p, name, bundled) {
            (Some(p), None, None | Some(Flag(false))) => cases.push(CaseSpec::Path(dir.join(p))),
            (None, Some(n), None | Some(Flag(false))) => cases.push(CaseSpec::Name(n.clone())),
            (None, None, Some(Flag(true))) => cases.push(CaseSpec::Bundled),
            _ => problems.push(at(
                "a [[case]] needs exactly one of `path = \"...\"`, `name = \"...\"` or \
                 `bundled = true`"
                    .into(),
                Some(c.span()),
            )),
        }
    }

    let mut variants: Vec<Variant> = Vec::new();
    for v in &raw.variants {
        let name = v.name.get_ref();
        if name.trim().is_empty() {
            problems.push(at(
                "a variant's name cannot be empty".into(),
                Some(v.name.span()),
            ));
        } else if variants.iter().any(|x| x.name == *name) {
            problems.push(at(
                format!("two variants are named `{name}`"),
                Some(v.name.span()),
            ));
        }
        for s in &v.set {
            // A malformed PATH is the plan's error; whether the value suits its quantity
            // and the case is checked per run, so a bad value fails its runs only.
            if let Err(Error::Usage(m)) = overrides::parse_assignment_by(s.get_ref(), "set") {
                problems.push(at(m, Some(s.span())));
            }
        }
        variants.push(Variant {
            name: name.clone(),
            overlays: v.overlay.iter().map(|o| dir.join(o)).collect(),
            sets: v.set.iter().map(|s| s.get_ref().clone()).collect(),
        });
    }
    if variants.is_empty() {
        variants.push(Variant {
            name: "base".into(),
            overlays: Vec::new(),
            sets: Vec::new(),
        });
    }

    let names: Vec<&str> = BatchCommand::ALL.iter().map(|c| c.as_str()).collect();
    let mut commands = Vec::new();
    match &raw.run {
        None => commands.push(BatchCommand::Score),
        Some(r) if r.commands.get_ref().is_empty() => problems.push(at(
            format!(
                "`commands` is empty: list one or more of {}",
                names.join(", ")
            ),
            Some(r.commands.span()),
        )),
        Some(r) => {
            for c in r.commands.get_ref() {
                let word = c.get_ref().as_str();
                match BatchCommand::ALL.iter().find(|x| x.as_str() == word) {
                    Some(cmd) if commands.contains(cmd) => problems.push(at(
                        format!("command `{word}` is listed twice"),
                        Some(c.span()),
                    )),
                    Some(cmd) => commands.push(*cmd),
                    None => {
                        let hint = did_you_mean(word, names.iter().copied())
                            .map_or(String::new(), |s| format!(" ({})", Suggestion(s)));
                        problems.push(at(
                            format!(
                                "unknown command `{word}`{hint}; expected one of {}",
                                names.join(", ")
                            ),
                            Some(c.span()),
                        ));
                    }
                }
            }
        }
    }

    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(Plan {
        path: path.to_path_buf(),
        samples,
        seed,
        cases,
        variants,
        commands,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Result<Plan, Error> {
        parse_plan(text, Path::new("plans/p.toml"))
    }

    #[test]
    fn a_minimal_plan_has_defaults() {
        let p = plan("[[case]]\nbundled = true\n").unwrap();
        assert_eq!(p.samples, DEFAULT_SAMPLES);
        assert_eq!(p.seed, 0);
        assert_eq!(p.cases, vec![CaseSpec::Bundled]);
        assert_eq!(p.variants.len(), 1);
        assert_eq!(p.variants[0].name, "base");
        assert_eq!(p.commands, vec![BatchCommand::Score]);
        // 1 case × 1 variant × 1 command, one unit of work.
        assert_eq!((p.len(), p.work()), (1, 1));
    }

    #[test]
    fn paths_are_relative_to_the_plan() {
        let p = plan(
            "[batch]\nsamples = 10\nseed = 3\n[[case]]\npath = \"h/a.toml\"\n[[case]]\nname = \"b\"\n\
             [[variant]]\nname = \"x\"\noverlay = [\"o.toml\"]\nset = [\"evidence.e.weight=2\"]\n\
             [run]\ncommands = [\"monte-carlo\", \"score\"]\n",
        )
        .unwrap();
        assert_eq!(
            p.cases,
            vec![
                CaseSpec::Path(PathBuf::from("plans/h/a.toml")),
                CaseSpec::Name("b".into())
            ]
        );
        assert_eq!(p.cases[0].label(), "a");
        assert_eq!(p.variants[0].overlays, vec![PathBuf::from("plans/o.toml")]);
        assert_eq!(p.variants[0].sets, vec!["evidence.e.weight=2".to_string()]);
        // 2 cases × 1 variant × (10 scenarios + 1) units.
        assert_eq!((p.len(), p.work()), (4, 22));
    }

    #[test]
    fn every_checked_problem_is_reported_at_its_place() {
        let text = "[batch]\nsamples = 0\n[[case]]\npath = \"a.toml\"\nbundled = true\n\
                    [[variant]]\nname = \"a\"\nset = [\"evidence.x.wieght=1\"]\n\
                    [[variant]]\nname = \"a\"\n[run]\ncommands = [\"scroe\", \"tipping\", \"tipping\"]\n";
        let Err(Error::Input(d)) = plan(text) else {
            panic!("expected errors")
        };
        let lines: Vec<(usize, usize)> = d
            .iter()
            .map(|d| d.position.as_ref().map_or((0, 0), |p| (p.line, p.column)))
            .collect();
        // samples' value; the [[case]] header; the `set` string; the second `a`; on line 12,
        // `commands = [` is 12 characters, then `"scroe", ` 9 and `"tipping", ` 11 more.
        assert_eq!(
            lines,
            vec![(2, 11), (3, 1), (8, 8), (10, 8), (12, 13), (12, 33)]
        );
        assert!(d[3].message.contains("two variants are named `a`"));
        assert!(d[2].message.contains("did you mean `weight`?"));
        assert!(d[4].message.contains("did you mean `score`?"));
        assert!(d[5].message.contains("listed twice"));
    }

    #[test]
    fn the_first_problem_in_reading_order_is_reported() {
        // A value of the wrong type on line 2 before an unknown key on line 3: the type.
        let Err(Error::Input(d)) = plan("[batch]\nsamples = true\nsamplse = 10\n") else {
            panic!("expected an error")
        };
        assert_eq!(
            d[0].message,
            "invalid type: boolean `true`, expected a whole number ≥ 0"
        );
        // The other way round: the key.
        let Err(Error::Input(d)) = plan("[batch]\nsamplse = 10\nseed = true\n") else {
            panic!("expected an error")
        };
        assert_eq!(
            d[0].message,
            "unknown key `samplse`; did you mean `samples`?"
        );
        // A key of a [[case]] table, with the keys the table takes.
        let Err(Error::Input(d)) = plan("[[case]]\nbundled = true\nzzz = 1\n") else {
            panic!("expected an error")
        };
        let p = d[0].position.as_ref().unwrap();
        assert_eq!((p.line, p.column), (3, 1));
        assert_eq!(
            d[0].message,
            "unknown key `zzz`; this table takes `path`, `name`, `bundled`"
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_line_and_column() {
        let Err(Error::Input(d)) = plan("[batch]\nsamplse = 10\n[[case]]\nbundled = true\n") else {
            panic!("expected an error")
        };
        let p = d[0].position.as_ref().unwrap();
        assert_eq!((p.line, p.column), (2, 1));
        assert_eq!(
            d[0].message,
            "unknown key `samplse`; did you mean `samples`?"
        );
        // Wrong types in the words of the case files' messages.
        let Err(Error::Input(d)) = plan("[batch]\nsamples = -3\n[[case]]\nbundled = true\n") else {
            panic!("expected an error")
        };
        assert_eq!(
            d[0].message,
            "invalid value: integer `-3`, expected a whole number ≥ 0"
        );
    }
}
