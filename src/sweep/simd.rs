//! Which instruction set the sweep kernel runs on.
//!
//! The kernel ([`super::model::Model::eval`]) and the normal generator
//! ([`super::uncertainty::Stream::fill_normals`]) are one body of code compiled three times:
//! portable, AVX2+FMA and AVX-512. Every lane of every copy performs the same IEEE-754
//! operations in the same order (multiply-adds always fused), so all three give the same
//! bits; only the speed differs. The best copy the CPU supports is chosen at run time. The
//! environment variable `ABDUCE_SIMD` (`portable`, `avx2` or `avx512`) caps the choice, for
//! benchmarks and for checking that results do not depend on it.

use std::sync::atomic::{AtomicU8, Ordering};

/// An instruction set of the sweep kernel, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Plain Rust, whatever the compiler targets by default (on x86-64, SSE2).
    Portable = 0,
    /// 256-bit vectors with fused multiply-add (x86-64 AVX2 and FMA).
    Avx2 = 1,
    /// 512-bit vectors (x86-64 AVX-512 F and DQ, with AVX2 and FMA).
    Avx512 = 2,
}

impl Level {
    const ALL: [Level; 3] = [Level::Portable, Level::Avx2, Level::Avx512];

    /// The name `ABDUCE_SIMD` takes.
    pub fn name(self) -> &'static str {
        match self {
            Level::Portable => "portable",
            Level::Avx2 => "avx2",
            Level::Avx512 => "avx512",
        }
    }

    /// Parses a name of [`Level::name`].
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }

    /// Whether this CPU can run the level.
    pub fn supported(self) -> bool {
        match self {
            Level::Portable => true,
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 => {
                Level::Avx2.supported()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512dq")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The levels this CPU supports, lowest first (for tests and benchmarks).
    pub fn available() -> Vec<Level> {
        Level::ALL.into_iter().filter(|l| l.supported()).collect()
    }
}

/// The level in use, once chosen (`u8::MAX`: not chosen yet).
static CHOSEN: AtomicU8 = AtomicU8::new(u8::MAX);

/// The level the sweeps run on: the best this CPU supports, capped by `ABDUCE_SIMD` when
/// that names a level (an unknown name is ignored: see [`env_cap`]). Chosen once per process.
pub fn level() -> Level {
    let chosen = CHOSEN.load(Ordering::Relaxed);
    if let Some(&l) = Level::ALL.get(usize::from(chosen)) {
        return l;
    }
    set_level(env_cap().ok().flatten().unwrap_or(Level::Avx512))
}

/// The cap `ABDUCE_SIMD` sets: `Ok(None)` when it is unset; an error (for a warning) when it
/// names no level, which [`level`] then ignores.
pub fn env_cap() -> Result<Option<Level>, String> {
    match std::env::var("ABDUCE_SIMD") {
        Err(_) => Ok(None),
        Ok(v) => Level::from_name(v.trim()).map(Some).ok_or_else(|| {
            format!("ABDUCE_SIMD={v} names no instruction set (portable, avx2 or avx512); ignored")
        }),
    }
}

/// Makes the sweeps run on `level` from now on, or on the best supported level below it
/// (for benchmarks that compare the copies in one process); returns the level chosen.
pub fn set_level(level: Level) -> Level {
    let best = Level::available()
        .into_iter()
        .filter(|&l| l <= level)
        .max()
        .unwrap_or(Level::Portable);
    CHOSEN.store(best as u8, Ordering::Relaxed);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_portable_is_always_there() {
        for l in Level::ALL {
            assert_eq!(Level::from_name(l.name()), Some(l));
        }
        assert_eq!(Level::from_name("sse9"), None);
        assert_eq!(Level::available()[0], Level::Portable);
        assert!(level().supported());
        // AVX-512 is only offered together with AVX2 and FMA, whose copy it extends.
        if Level::Avx512.supported() {
            assert!(Level::Avx2.supported());
        }
    }
}
