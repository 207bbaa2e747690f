//! Indicators to watch (SPEC §7). Owned by the scorer work.
