//! The analyst's workflow: start from the bundled case ([`init`]), tune a case in place
//! ([`tune`]), compare analysts ([`compare`]), and move matrices in and out of other tools
//! ([`import`], [`export`]), and run many cases and variants at once ([`batch`]). Owned by #6.

pub mod batch;
pub mod compare;
pub mod export;
pub mod import;
pub mod init;
pub mod tune;

/// An id (`[A-Za-z][A-Za-z0-9_-]*`) made from a free-text name: a name that already is a
/// valid id is kept as it is; otherwise it is lower-cased, every run of other characters
/// becomes one `-`, leading and trailing `-` are dropped, and `x-` is put in front when the
/// result does not start with a letter (`"Local Taliban (TTP)"` → `local-taliban-ttp`,
/// `"1st report"` → `x-1st-report`, `""` → `x`). `priors`, reserved by docs/reference.md §1.2, becomes
/// `priors-1`.
pub fn slug_id(name: &str) -> String {
    let name = name.trim();
    let valid = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let mut id = if valid(name) {
        name.to_string()
    } else {
        let mut s = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() || c == '_' {
                s.push(c);
            } else if !s.is_empty() && !s.ends_with('-') {
                s.push('-');
            }
        }
        let s = s.trim_end_matches('-').to_string();
        if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
            s
        } else if s.is_empty() {
            "x".to_string()
        } else {
            format!("x-{s}")
        }
    };
    if id == "priors" {
        id.push_str("-1");
    }
    id
}

/// A case name (`[a-z0-9][a-z0-9_-]*`, docs/reference.md §1) made from a file stem or title: lower-cased,
/// runs of other characters become `-` (`"Border Attacks.v2"` → `border-attacks-v2`);
/// `case` when nothing is left.
pub fn slug_case_name(name: &str) -> String {
    let mut s = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches(|c| c == '-' || c == '_').to_string();
    if s.is_empty() { "case".to_string() } else { s }
}

/// Ids made unique as they come by appending `-2`, `-3`, … (as [`unique_id`]), in a hash
/// set so that n ids cost time linear in n even when they are all the same (an import of
/// thousands of rows with one id).
#[derive(Debug, Clone, Default)]
pub struct UniqueIds {
    taken: std::collections::HashSet<String>,
    /// The next suffix to try for each id that was taken.
    next: std::collections::HashMap<String, usize>,
}

impl UniqueIds {
    /// `id`, or `id-2`, `id-3`, … the first not taken, and records it as taken. Suffixes
    /// below the one remembered for `id` were all taken and stay taken, so the answer is the
    /// same as trying from `-2` every time.
    pub fn make(&mut self, id: String) -> String {
        if self.taken.insert(id.clone()) {
            return id;
        }
        let n = self.next.entry(id.clone()).or_insert(2);
        loop {
            let candidate = format!("{id}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Makes `id` unique among `taken` by appending `-2`, `-3`, ... and records it.
pub fn unique_id(id: String, taken: &mut Vec<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{id}-{n}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_names() {
        assert_eq!(slug_id("etim"), "etim");
        assert_eq!(slug_id("ISK_Khorasan"), "ISK_Khorasan");
        assert_eq!(slug_id("Local Taliban (TTP)"), "local-taliban-ttp");
        assert_eq!(slug_id("  1st report "), "x-1st-report");
        assert_eq!(slug_id("—"), "x");
        assert_eq!(slug_id("priors"), "priors-1");
        assert_eq!(slug_case_name("Border Attacks.v2"), "border-attacks-v2");
        assert_eq!(slug_case_name("--"), "case");
        let mut taken = vec!["a".to_string()];
        assert_eq!(unique_id("a".into(), &mut taken), "a-2");
        assert_eq!(unique_id("a".into(), &mut taken), "a-3");
        assert_eq!(unique_id("b".into(), &mut taken), "b");
        // The hash set gives the same ids, an explicit `a-3` included.
        let mut ids = UniqueIds::default();
        let got: Vec<String> = ["a", "a", "a-3", "a", "b"]
            .iter()
            .map(|s| ids.make(s.to_string()))
            .collect();
        assert_eq!(got, ["a", "a-2", "a-3", "a-4", "b"].map(String::from));
    }
}
