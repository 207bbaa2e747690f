//! Owned by the scorer work (#3).
