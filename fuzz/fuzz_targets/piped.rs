//! Fuzz target: the piped mode's reading of standard input, headless. Any bytes (not UTF-8,
//! a BOM, lone carriage returns, statements split across lines, comments at line ends) are
//! handed to the piped reader as standard input would be, which gathers them into inputs and
//! answers them with a session (empty, small limits). Nothing may panic or hang. Inputs that
//! would touch files are skipped.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::piped(data));
