//! cargo-fuzz target `achz_import`: the body is [`abduce_fuzz::achz_import`] (docs/testing.md, "Fuzzing").
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| abduce_fuzz::achz_import(data));
