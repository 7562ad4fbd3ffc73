//! Fuzz target: any text loaded into a knowledge base with small limits, so that its
//! statements run (queries, why, whynot, whatif, retract) and the rules evaluate; then the
//! timeline. Nothing may panic or hang; a rejected text leaves the knowledge base as it was.
//! Texts that would touch files (`include`, `input`, `output`) are skipped.

#![no_main]

use kingdon::{KnowledgeBase, Limits, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if ["include", "input", "output"]
        .iter()
        .any(|w| text.contains(w))
    {
        return;
    }
    let mut kb = KnowledgeBase::with_options(Options {
        limits: Limits {
            max_facts: 20_000,
            max_iterations: 200,
            ..Limits::default()
        },
        ..Options::default()
    });
    kb.load_str("<seed>", "p(a) @ 2001. q(X) @ T :- p(X) @ T.")
        .expect("the seed loads");
    let before = kb.to_msf();
    match kb.load_str("<fuzz>", text) {
        Ok(_) => {
            let _ = kb.timeline(None, None);
        }
        Err(e) => {
            let _ = kb.render(&e, false);
            assert_eq!(
                kb.to_msf(),
                before,
                "a rejected input changed the knowledge base"
            );
        }
    }
});
