//! cargo-fuzz target `whatif`: the body is [`abduce_fuzz::whatif`] (docs/testing.md, "Fuzzing").
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| abduce_fuzz::whatif(data));
