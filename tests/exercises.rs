//! The classroom exercises of `rules/exercises/`: each starting file does not yet produce the
//! effect its task asks for, and each solution does.

mod common;

use std::path::Path;

use kingdon::KnowledgeBase;

/// Each exercise, the query that checks its task, and the answers a solution gives.
const EXERCISES: &[(&str, &str, &[&str])] = &[
    (
        "01_political_window",
        "political_basis(C) @ T",
        &["kazakhstan 1992"],
    ),
    ("02_indicator", "lags_the_nation(P) @ T", &["horgos 2023"]),
    (
        "03_wto",
        "viable_at(trade_and_cooperation_zone, @2004, known)",
        &[""],
    ),
    ("04_count_windows", "open_in_2003(N)", &["1"]),
    (
        "05_unused_alternative",
        "never_enacted(A)",
        &["trade_and_cooperation_zone"],
    ),
    (
        "06_second_case",
        "policy_change(C) @ T, T > 2016",
        &["charge_adopted 2019"],
    ),
    (
        "07_window_length",
        "policy_change(C) @ T",
        &["framework_agreement_signed 2004"],
    ),
    ("08_theory_fails", "policy_change(port_reopening)", &[""]),
    (
        "09_u_turn",
        "policy_change(C) @ T",
        &["charge_adopted 2011"],
    ),
    (
        "10_second_focusing_event",
        "policy_change(dam_act_two) @ T",
        &["2006"],
    ),
];

fn answers(file: &Path, query: &str) -> Vec<String> {
    let mut kb = KnowledgeBase::new();
    kb.load_file(file)
        .unwrap_or_else(|e| panic!("{} loads: {}", file.display(), kb.render(&e, false)));
    common::rows(&kb.query(query).expect("the check query runs"), " ")
}

#[test]
fn each_solution_does_what_its_task_asks_and_each_start_does_not() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/exercises");
    let files = std::fs::read_dir(&dir)
        .expect("rules/exercises exists")
        .count();
    assert_eq!(
        files,
        2 * EXERCISES.len(),
        "a start and a solution per exercise"
    );
    for (name, query, expected) in EXERCISES {
        let start = answers(&dir.join(format!("{name}.msf")), query);
        assert!(
            start.is_empty(),
            "{name}: the starting file already answers {start:?}"
        );
        let solved = answers(&dir.join(format!("{name}.solution.msf")), query);
        assert_eq!(solved, *expected, "{name}");
        let task = std::fs::read_to_string(dir.join(format!("{name}.msf"))).expect("readable");
        assert!(
            task.lines().any(|l| l.starts_with("# Task:")),
            "{name} states its task"
        );
    }
}
