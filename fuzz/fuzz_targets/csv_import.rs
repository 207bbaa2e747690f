//! cargo-fuzz target `csv_import`: the body is [`abduce_fuzz::csv_import`] (docs/testing.md, "Fuzzing").
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| abduce_fuzz::csv_import(data));
