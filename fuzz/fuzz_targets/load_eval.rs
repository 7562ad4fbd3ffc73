//! Fuzz target: any text loaded into a knowledge base with small limits, so that its
//! statements run (queries, why, whynot, whatif, retract) and the rules evaluate; then the
//! timeline (body: `src/fuzzing.rs`). Nothing may panic or hang; a rejected text leaves the
//! knowledge base as it was. Texts that would touch files (`include`, `input`, `output`,
//! `document`) are skipped.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::load_eval(data));
