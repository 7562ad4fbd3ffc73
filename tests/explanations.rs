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
    let lost: Vec<String> = w.lost[0].facts.iter().map(ToString::to_string).collect();
    assert_eq!(
        lost,
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

/// `why` of a Horgos change as `kingdon run --format dot` prints it.
fn horgos_dot(question: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "rules/horgos.msf", "--format", "dot", "-q", question])
        .output()
        .expect("kingdon runs");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_proof_graph_of_a_change_has_notes_lane_colours_and_a_legend() {
    // It had the facts alone: 4 328 × 1 245 px, no note, no legend, ranks too wide for a slide.
    let dot = horgos_dot("why order_unknown(framework_agreement_signed)");
    let nodes: Vec<&str> = dot
        .lines()
        .filter(|l| l.trim_start().starts_with('n') && l.contains("[label=<"))
        .collect();
    assert!(nodes.len() > 15, "{} boxes", nodes.len());
    // Each box of a stream's fact is filled and outlined in that stream's colours.
    let problem = nodes
        .iter()
        .find(|n| n.contains("<B>problem(trade_development) @ 1992</B>"))
        .expect("the problem's box");
    assert!(
        problem.contains(r##"fillcolor="#f6d5d1", color="#c0392b""##),
        "{problem}"
    );
    // The note under the fact, wrapped; the paper's backing marked.
    assert!(problem.contains("<I>"), "{problem}");
    let enacted = nodes
        .iter()
        .find(|n| n.contains("<B>enacted(framework_agreement_signed,"))
        .expect("the enactment's box");
    assert!(enacted.contains("quoted from the source"), "{enacted}");
    // No line of a box is longer than a narrow box allows.
    for n in &nodes {
        for line in n.split("<BR ALIGN=\"LEFT\"/>") {
            let text: String = line
                .split(['<', '>'])
                .skip(2)
                .step_by(2)
                .collect::<String>();
            // (A name longer than a line stands on a line of its own.)
            assert!(text.chars().count() <= 48, "{text:?} in {n}");
        }
    }
    assert!(dot.contains("legend [shape=plaintext"), "a legend");
    // Three streams; windows and changes named as what they are, not as streams.
    for lane in ["problem", "policy", "politics"] {
        assert!(
            dot.contains(&format!("a fact of the {lane} stream")),
            "{lane} in the legend"
        );
    }
    assert!(dot.contains(">a policy window<") && dot.contains(">a coupling or a policy change<"));
    assert!(!dot.contains("window stream") && !dot.contains("change stream"));
    // Conditions in words.
    assert!(dot.contains("✓ 1 January 2002 is not after 31"), "{dot}");
    // A wide, shallow proof: premises left of their conclusion, nearer 16:9.
    assert!(dot.contains("rankdir=LR"));
    // Cut at a depth, the graph says what it leaves out.
    let shallow = horgos_dot("why order_unknown(framework_agreement_signed) depth 1");
    assert_eq!(
        shallow
            .lines()
            .filter(|l| l.contains("[label=<<B>"))
            .count(),
        2
    );
    assert!(shallow.contains("premises below, not drawn"));
}

#[test]
fn why_of_a_count_over_many_facts_takes_time_in_proportion_to_them() {
    // Each fact the count ranged over was looked for in the list of those met before: 100 000
    // facts took 2.3 s, 300 000 about 20 s, though only 20 are printed.
    let dir = std::env::temp_dir().join(format!("kingdon-why-count-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let mut program: String = (0..200_000).map(|i| format!("f({i}).\n")).collect();
    program.push_str("total(N) :- N = count { f(X) }.\nwhy total(N).\n");
    std::fs::write(dir.join("count.msf"), program).expect("written");
    let start = std::time::Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["run", "count.msf"])
        .current_dir(&dir)
        .output()
        .expect("kingdon runs");
    // A ceiling far above this debug build's time, far below the quadratic one.
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("… and 199980 more"), "{stdout}");
    assert!(stdout.contains("total(200000) holds."), "{stdout}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn why_shows_the_proof_resting_on_the_fewest_assumptions() {
    // `why` took the match whose premises appeared earliest: here the assumed stated fact,
    // over one derived from the record a step later.
    let mut kb = kingdon::KnowledgeBase::new();
    kb.load_str(
        "<case>",
        "q(a, b) assumed \"inferred\". r(a, c) source \"the record\".
         q(X, Y) :- r(X, Y). p(X) :- q(X, _).",
    )
    .expect("loads");
    let why = kb.why("p(a)").expect("a why");
    let facts: Vec<String> = why.proof.nodes.iter().map(|n| n.fact.to_string()).collect();
    assert_eq!(facts, ["p(a)", "q(a, c)", "r(a, c)"]);
}
