//! cargo-fuzz target `batch_plan`: the body is [`abduce_fuzz::batch_plan`] (docs/testing.md, "Fuzzing").
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| abduce_fuzz::batch_plan(data));
