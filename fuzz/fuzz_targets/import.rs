//! Fuzz target: coding sheets (`kingdon import`). The bytes are a sheet, any bytes at all
//! after a header that names the columns (so that rows, not the header, are exercised).
//! Conversion must never panic; a sheet it takes must give a case file that parses without
//! an error, and a sheet it refuses must say where.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::import(data));
