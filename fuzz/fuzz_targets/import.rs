//! Fuzz target: coding sheets (`kingdon import`). The bytes are a sheet, any bytes at all
//! after a header that names the columns (so that rows, not the header, are exercised).
//! Conversion must never panic; a sheet it takes must give a case file that parses without
//! an error, and a sheet it refuses must say where.

#![no_main]

use kingdon::import::sheet;
use kingdon::syntax::{parse, FileId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"date,stream,predicate,arguments,quote,source,assumed,note\n".to_vec();
    bytes.extend_from_slice(data);
    let docs = vec!["report=report.txt".to_string()];
    match sheet(&bytes, "s.csv", "rules/msf.msf", &docs) {
        Ok(imported) => {
            let (_, errors) = parse(&imported.case, FileId(0), Default::default());
            assert!(errors.is_empty(), "{:?}\n{}", errors, imported.case);
        }
        Err(rejected) => {
            assert!(!rejected.errors.is_empty());
            assert!(rejected.errors.iter().all(|e| e.starts_with("s.csv:")));
        }
    }
});
