//! Fuzz target: quotes against documents. The bytes are a document and a quote (split at
//! the first NUL; either read lossily as UTF-8, so any Unicode, dashes, ellipses and hyphens
//! at line ends arrive). Folding, finding and the closest passage must never panic, every
//! range they give must map back to whole characters of the document, and a passage cut
//! from the document at word ends must be found.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kingdon::fuzzing::evidence(data));
