//! Fuzz target: any bytes read as CSV and as TSV rows of one to four arguments, and, when
//! they read, loaded into a knowledge base as facts and saved back as a program that must
//! load again. Nothing may panic or hang.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::csv_input(data));
