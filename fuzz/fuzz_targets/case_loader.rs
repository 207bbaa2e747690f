//! cargo-fuzz target `case_loader`: the body is [`abduce_fuzz::case_loader`] (docs/testing.md, "Fuzzing").
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| abduce_fuzz::case_loader(data));
