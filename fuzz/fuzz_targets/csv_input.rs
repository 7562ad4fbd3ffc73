//! Fuzz target: any bytes read as CSV and as TSV rows of one to four arguments, and, when
//! they read, loaded into a knowledge base as facts and saved back as a program that must
//! load again. Nothing may panic or hang.

#![no_main]

use kingdon::tabular::read_rows;
use kingdon::KnowledgeBase;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for delimiter in [b',', b'\t'] {
        for arity in 1..=4 {
            let mut rows = Vec::new();
            let read = read_rows(text, delimiter, arity, |_, cells, time| {
                rows.push((cells.iter().map(|c| c.to_const()).collect::<Vec<_>>(), time));
            });
            if read.is_err() {
                continue;
            }
            let mut kb = KnowledgeBase::new();
            for (args, time) in &rows {
                let _ = kb.insert("p", args, *time);
            }
            // What was read can be stated back: the saved program loads.
            let saved = kb.to_msf();
            let mut again = KnowledgeBase::new();
            if let Err(e) = again.load_str("<saved>", &saved) {
                panic!("saved rows do not load back: {}\n{saved}", again.render(&e, false));
            }
        }
    }
});
