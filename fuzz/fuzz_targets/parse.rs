//! Fuzz target: any text through the parser and the checker, then the printer and the parser
//! again. Nothing may panic, overflow the stack or hang; a text that parses cleanly must print
//! to a text that parses to the same statements.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::parse(data));
