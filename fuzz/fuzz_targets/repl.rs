//! Fuzz target: the REPL's command layer, headless. Any text is split into lines and handed
//! to a session (empty, small limits), as a person would type them: colon commands and
//! statements alike (body: `src/fuzzing.rs`). Nothing may panic or hang. A text with a line
//! that would touch files (`:load`, `:save`, `:export`, `:reload`, `include`, `input`,
//! `output`, `document`) is skipped whole.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::repl(data));
