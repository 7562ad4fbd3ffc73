//! What a student at the REPL meets, one test per defect of the "explanations a student can
//! read and trust" issue: answers that were quietly wrong are now right, or an error that
//! says why the question cannot be answered as asked. Each test failed on the code before.

use kingdon::{Error, KnowledgeBase, HORGOS_CASE};

fn horgos() -> KnowledgeBase {
    let mut kb = KnowledgeBase::new();
    kb.load_bundle(HORGOS_CASE).expect("the case loads");
    kb
}

fn rendered(kb: &KnowledgeBase, e: &Error) -> String {
    kb.render(e, false)
}

#[test]
fn whatif_will_not_retract_a_derived_fact_and_names_what_it_rests_on() {
    // It said "nothing would change": the fact is derived, so nothing was retracted.
    let mut kb = horgos();
    let e = kb
        .whatif("retract problem(trade_development) show policy_change")
        .unwrap_err();
    let text = rendered(&kb, &e);
    assert!(
        text.contains("error[E114]: `problem(trade_development)` cannot be retracted: `problem(trade_development) @ 1992` is derived, not stated"),
        "{text}"
    );
    assert!(
        text.contains("hint: retract a stated fact it rests on instead: condition(trade_development) @ 1992, framed(trade_development, two_governments)"),
        "{text}"
    );
}

#[test]
fn whatif_of_a_misspelled_fact_is_an_error_with_the_stated_ones() {
    let mut kb = horgos();
    let e = kb
        .whatif("retract dissolution(soviet_union) show policy_change")
        .unwrap_err();
    let text = rendered(&kb, &e);
    assert!(
        text.contains("error[E117]: no fact matches `dissolution(soviet_union)`"),
        "{text}"
    );
    assert!(
        text.contains("did you mean one of the stated facts: dissolution(ussr) @ 1991-12-25"),
        "{text}"
    );
}

#[test]
fn whatif_counts_the_asserted_and_retracted_facts_themselves() {
    let mut kb = KnowledgeBase::new();
    kb.load_str("<p>", "p(1). q(X) :- p(X).").expect("loads");
    // It said "nothing would change" although p(2) itself would newly hold.
    let w = kb.whatif("assert p(2) show p").expect("a whatif");
    assert_eq!(w.gained[0].facts, ["p(2)"]);
    let w = kb.whatif("retract p(1)").expect("a whatif");
    let lost: Vec<&str> = w
        .lost
        .iter()
        .flat_map(|p| &p.facts)
        .map(String::as_str)
        .collect();
    assert_eq!(lost, ["p(1)", "q(1)"]);
    let w = kb.whatif("assert p(1) show q").expect("a whatif");
    assert_eq!(w.already, ["p(1)"]);
    assert_eq!(
        kingdon::explain::render::whatif_text(&w),
        "p(1) holds already: asserting it changes nothing\n"
    );
}

#[test]
fn whatif_errors_exit_1_in_a_script() {
    let dir = std::env::temp_dir().join(format!("kingdon-student-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("w.msf");
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        &file,
        format!("include \"{root}/rules/horgos.msf\".\nwhatif retract problem(trade_development) show policy_change.\n"),
    )
    .expect("written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["run", file.to_str().expect("UTF-8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[E114]"));
    std::fs::remove_dir_all(&dir).ok();
}
