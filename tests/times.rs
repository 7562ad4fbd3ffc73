//! LANGUAGE.md §7 on times: a time constant in a pattern matches every time it contains; a
//! time and a number are values of different kinds, so the order of a rule's conditions never
//! changes its answers; ordered against a number a time is its year; a time literal in a
//! comparison is a time.

mod common;

use kingdon::KnowledgeBase;
use proptest::prelude::*;

fn answers(kb: &mut KnowledgeBase, query: &str) -> Vec<String> {
    common::rows(&kb.query(query).expect("a valid query"), " ")
}

fn loaded(text: &str) -> KnowledgeBase {
    let mut kb = KnowledgeBase::new();
    kb.load_str("<t>", text).expect("a valid program");
    kb
}

#[test]
fn a_year_or_month_in_a_pattern_matches_the_times_within_it() {
    let mut kb = loaded(
        "change(a) @ 2012. change(b) @ 2012-07. change(c) @ 2012-09-03. change(d) @ 2013.\n\
         change(e). of_2012(X) :- change(X) @ 2012.\n\
         quiet :- not change(_) @ 2014.",
    );
    // Failed before: `@ 2012` matched the change of 2012 only.
    assert_eq!(answers(&mut kb, "change(C) @ 2012"), ["a", "b", "c"]);
    assert_eq!(answers(&mut kb, "change(C) @ 2012-07"), ["b"]);
    assert_eq!(answers(&mut kb, "change(C) @ 2012-09-03"), ["c"]);
    assert_eq!(answers(&mut kb, "of_2012(X)"), ["a", "b", "c"]);
    assert!(kb.query("quiet").expect("a query").holds());
    assert!(!kb.query("not change(_) @ 2012").expect("a query").holds());
    let why = kb.why("change(C) @ 2012").expect("a why");
    assert_eq!(why.proof.roots.len(), 3);
    // A fact's identity stays exact; retract takes every stated fact within the time.
    let done = kb.retract("change(_) @ 2012").expect("a pattern");
    let removed: Vec<String> = done.removed.iter().map(ToString::to_string).collect();
    assert_eq!(
        removed,
        [
            "change(a) @ 2012",
            "change(b) @ 2012-07",
            "change(c) @ 2012-09-03"
        ]
    );
    assert_eq!(answers(&mut kb, "change(C) @ T"), ["d 2013"]);
}

#[test]
fn a_time_and_a_number_never_join_whatever_the_order() {
    let mut kb = loaded(
        "q(2001). r(x) @ 2001.\n\
         first_number(X) :- q(Y), r(X) @ Y.\n\
         first_time(X) :- r(X) @ Y, q(Y).\n\
         equal(X) :- r(X) @ T, T = 2001.",
    );
    // Failed before: the integer 2001 met the time 2001 in one order only.
    assert_eq!(answers(&mut kb, "first_number(X)"), Vec::<String>::new());
    assert_eq!(answers(&mut kb, "first_time(X)"), Vec::<String>::new());
    assert_eq!(answers(&mut kb, "equal(X)"), Vec::<String>::new());
}

#[test]
fn a_time_is_ordered_against_a_number_by_its_year() {
    let mut kb = loaded("e(a) @ 2005-07. e(b) @ 1990.");
    // Failed before: both were false for every time.
    assert_eq!(
        answers(&mut kb, "e(X) @ T, T < 10000"),
        ["b 1990", "a 2005-07"]
    );
    assert_eq!(
        answers(&mut kb, "e(X) @ T, T > -1"),
        ["b 1990", "a 2005-07"]
    );
    assert_eq!(answers(&mut kb, "e(X) @ T, T >= 2005"), ["a 2005-07"]);
    assert_eq!(answers(&mut kb, "e(X) @ T, T > 2005"), Vec::<String>::new());
}

#[test]
fn a_time_literal_in_a_comparison_is_a_time() {
    let mut kb = loaded("e(a) @ 1999. e(b) @ 2005-07. e(c) @ 2005-08-01.");
    // Failed before: `2005-07` was 2005 - 7 = 1998.
    assert_eq!(answers(&mut kb, "e(X) @ T, T > 2005-07"), ["c 2005-08-01"]);
    assert_eq!(
        answers(&mut kb, "e(X) @ T, T >= 2005-07"),
        ["b 2005-07", "c 2005-08-01"]
    );
    assert_eq!(answers(&mut kb, "e(X) @ T, T = 2005-07"), ["b 2005-07"]);
    let e = kb.query("e(X) @ T, T > 2005-13").unwrap_err();
    assert!(kb.render(&e, false).contains("error[E006]"));
}

/// A random set of integers and times, and each rule in both orders of its conditions.
fn program() -> impl Strategy<Value = String> {
    let years = prop::collection::vec(1990i64..1996, 1..6);
    let times = prop::collection::vec((1990u16..1996, prop::option::of(1u8..13)), 1..6);
    (years, times).prop_map(|(years, times)| {
        let mut text = String::new();
        for y in &years {
            text.push_str(&format!("q({y}). "));
        }
        for (i, (y, m)) in times.iter().enumerate() {
            let t = m.map_or(format!("{y}"), |m| format!("{y}-{m:02}"));
            text.push_str(&format!("r(x{i}) @ {t}. "));
        }
        text.push_str(
            "\na(X) :- q(Y), r(X) @ Y.\nb(X) :- r(X) @ Y, q(Y).\n\
             c(X, Y) :- q(Y), r(X) @ T, T < Y.\nd(X, Y) :- r(X) @ T, q(Y), T < Y.\n\
             e(X, Y) :- q(Y), r(X) @ T, T >= Y.\nf(X, Y) :- r(X) @ T, q(Y), Y <= T.\n",
        );
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_order_of_conditions_never_changes_the_answers(text in program()) {
        let mut kb = loaded(&text);
        prop_assert_eq!(answers(&mut kb, "a(X)"), answers(&mut kb, "b(X)"), "{}", text);
        prop_assert_eq!(answers(&mut kb, "c(X, Y)"), answers(&mut kb, "d(X, Y)"), "{}", text);
        prop_assert_eq!(answers(&mut kb, "e(X, Y)"), answers(&mut kb, "f(X, Y)"), "{}", text);
    }
}
