//! The Horgos case (`rules/horgos.msf` on the theory of `rules/msf.msf`): every policy change
//! the paper describes is derived at the time the paper gives, every base fact cites its
//! source, and retracting the Soviet dissolution removes the cooperation center's changes.

use std::path::Path;

use kingdon::syntax::ast::Statement;
use kingdon::syntax::{parse, FileId, ParseOptions};
use kingdon::{KnowledgeBase, Output};

fn horgos() -> KnowledgeBase {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut kb = KnowledgeBase::new();
    kb.load_file(root.join("rules/horgos.msf"))
        .expect("the case loads");
    kb
}

fn show(answers: &kingdon::Answers) -> Vec<String> {
    answers
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| v.as_ref().map_or("_".to_string(), ToString::to_string))
                .collect::<Vec<_>>()
                .join(" @ ")
        })
        .collect()
}

#[test]
fn every_policy_change_of_the_paper_at_its_time() {
    let mut kb = horgos();
    let changes = kb.query("policy_change(C) @ T").expect("answers");
    assert_eq!(
        show(&changes),
        [
            "port_decline @ 1962",
            "port_reopening @ 1983",
            "cooperation_center_initiative @ 2003",
            "framework_agreement_signed @ 2004",
            "management_agreement @ 2005-07",
            "state_council_reply @ 2006",
            "formal_operation @ 2012",
            "interim_measures @ 2012-07",
            "aqsiq_measures @ 2012-09",
            "belt_and_road_designation @ 2013",
            "vat_circular @ 2015-01",
            "customs_revision @ 2023",
        ]
    );
}

#[test]
fn the_problem_stream_goes_from_nothing_to_something_to_complexity() {
    let mut kb = horgos();
    let levels = kb.query("problem_level(L) @ T").expect("answers");
    assert_eq!(
        show(&levels),
        [
            "nothing @ 1962",
            "something @ 1983",
            "something @ 1992",
            "complexity @ 2023"
        ]
    );
}

#[test]
fn without_the_soviet_dissolution_the_center_never_happens() {
    let mut kb = horgos();
    let report = kb
        .load_str(
            "<whatif>",
            "whatif retract dissolution(ussr) show policy_change.",
        )
        .expect("valid");
    let Output::WhatIf(w) = &report.outputs[0] else {
        panic!("whatif answers with a comparison")
    };
    assert!(w.gained.is_empty());
    assert_eq!(w.lost.len(), 1);
    assert_eq!(w.lost[0].facts.len(), 10, "{:?}", w.lost);
    assert!(w.lost[0].facts.iter().all(|f| !f.contains("port_")));
}

#[test]
fn every_base_fact_cites_a_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("rules/horgos.msf")).expect("readable");
    let (module, diagnostics) = parse(&text, FileId(0), ParseOptions::default());
    assert!(diagnostics.is_empty());
    let facts: Vec<_> = module
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Fact(f) => Some(f),
            _ => None,
        })
        .collect();
    assert!(facts.len() > 100, "only {} facts", facts.len());
    let unsourced: Vec<String> = facts
        .iter()
        .filter(|f| f.about.source.is_none())
        .map(|f| kingdon::syntax::print_atom(&f.atom))
        .collect();
    assert!(
        unsourced.is_empty(),
        "facts without a source: {unsourced:?}"
    );
}
