//! Fuzz target: any text through the parser and the checker, then the printer and the parser
//! again. Nothing may panic, overflow the stack or hang; a text that parses cleanly must print
//! to a text that parses to the same statements.

#![no_main]

use kingdon::syntax::{self, FileId, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (module, diagnostics) = syntax::parse(text, FileId(0), ParseOptions::default());
    let mut sources = syntax::SourceMap::default();
    sources.add("<fuzz>", text);
    let _ = kingdon::check::check(&module.statements, &sources);
    for d in &diagnostics {
        let _ = syntax::render_all(std::slice::from_ref(d), &sources, false);
    }
    if diagnostics.is_empty() {
        let printed = syntax::print_module(&module);
        let (again, problems) = syntax::parse(&printed, FileId(0), ParseOptions::default());
        assert!(
            problems.is_empty(),
            "the printed text does not parse: {printed}"
        );
        assert_eq!(
            syntax::print_module(&again),
            printed,
            "printing is not stable"
        );
    }
});
