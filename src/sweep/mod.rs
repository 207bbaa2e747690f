//! Sensitivity sweeps (SPEC §5). Owned by the sweep work (#4).
