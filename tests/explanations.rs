//! Explanations pinned in full: `why` (text tree, narrative, JSON, DOT, ASCII), `whynot` and
//! `whatif`, each a program in `tests/explanations/` with the exact output of `kingdon run`.

mod common;

#[test]
fn explanations_give_their_pinned_output() {
    common::check_folder("explanations", "run", 8);
}

use kingdon::explain::render;
use kingdon::{KnowledgeBase, Output};

const GRAPH: &str = "edge(a, b). edge(b, c). edge(c, d). edge(x, y).\n\
                     path(X, Y) :- edge(X, Y).\n\
                     path(X, Z) :- path(X, Y), edge(Y, Z).\n";

#[test]
fn whatif_leaves_the_knowledge_base_as_it_was() {
    let mut kb = KnowledgeBase::new();
    kb.load_str("<graph>", GRAPH).expect("valid");
    let before = kb.query("path(X, Y)").expect("answers");
    let report = kb
        .load_str(
            "<whatif>",
            "whatif retract edge(b, c), assert edge(d, x) show path.",
        )
        .expect("valid");
    let Output::WhatIf(w) = &report.outputs[0] else {
        panic!("a whatif answers with a comparison")
    };
    assert_eq!(
        w.lost[0].facts,
        ["path(a, c)", "path(a, d)", "path(b, c)", "path(b, d)"]
    );
    assert!(!w.gained.is_empty());
    let after = kb.query("path(X, Y)").expect("answers");
    assert_eq!(before, after);
    assert_eq!(after.rows.len(), 7);
}

fn chain(n: usize) -> String {
    let mut program: String = (0..n).map(|i| format!("edge({i}, {}).\n", i + 1)).collect();
    program.push_str("path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n");
    program
}

#[test]
fn why_on_a_fact_1000_deep_answers_without_overflowing_the_stack() {
    let mut kb = KnowledgeBase::new();
    kb.load_str("<chain>", &chain(1000)).expect("valid");
    // Run on a small stack: explanations must not recurse with the depth of the proof.
    let outputs = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let report = kb
                .load_str("<why>", "why path(0, 1000).\nwhy path(0, 1000) depth 3.")
                .expect("valid");
            report.outputs
        })
        .expect("a thread")
        .join()
        .expect("no overflow");
    let (Output::Why(full), Output::Why(short)) = (&outputs[0], &outputs[1]) else {
        panic!("why answers with proofs")
    };
    // 1000 path facts and 1000 edges, each once.
    assert_eq!(full.proof.nodes.len(), 2000);
    let text = render::why_text(full, true, 1000);
    assert_eq!(text.lines().count(), 2000);
    assert_eq!(
        text.lines().next(),
        Some("path(0, 1000) ⇐ rule path (<chain>:1002)")
    );
    assert_eq!(
        text.lines().last(),
        Some("`- edge(999, 1000) — stated at <chain>:1000")
    );
    // The indentation starts again every few levels, with the level written, so the text
    // grows with the proof, not with the square of its depth (it did: 999 bars on a line).
    assert!(
        text.lines()
            .any(|l| l == "[level 996] `- edge(0, 1) — stated at <chain>:1"
                || l.ends_with("edge(0, 1) — stated at <chain>:1")),
        "the deepest premise is printed, 1000 levels down"
    );
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 80, "a line of {longest} columns");
    let short = render::why_text(short, false, 1000);
    assert!(
        short
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("(premises deeper than 3 levels are not shown")),
        "{short}"
    );
    assert!(
        serde_json::to_string(&full.proof)
            .expect("serialises")
            .len()
            > 100_000
    );
}
