//! Fuzz target: the REPL's command layer, headless. Any text is split into lines and handed
//! to a session (empty, small limits), as a person would type them: colon commands and
//! statements alike (body: `src/fuzzing.rs`). Nothing may panic or hang. Lines that would touch files (`:load`,
//! `:save`, `:export`, `include`, `input`, `output`) are skipped.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::repl(data));
