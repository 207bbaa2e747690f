//! The case files shipped with abduce, compiled into the binary (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The name of the case used when no case is given and `./hypotheses` holds none.
pub const DEFAULT_CASE: &str = "afghan-tajik-border";

/// The contents of a bundled file by its project-relative path
/// (`hypotheses/afghan-tajik-border.toml`).
pub fn file(path: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}
