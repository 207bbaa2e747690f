//! cargo-fuzz target `merge`: the body is [`abduce_fuzz::merge`] (docs/testing.md, "Fuzzing").
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| abduce_fuzz::merge(data));
