//! A golden card for every policy change of the Horgos case — the windows it rode, with their
//! kind, opening and closing, and its MSF card with the evidence of each stream — and the
//! theory's verdicts that are not "explained", pinned so that the causal story cannot drift.

mod common;

#[test]
fn every_policy_change_is_explained_as_pinned() {
    common::check_folder("case", "run", 13);
}

#[test]
fn the_lesson_script_runs() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["run", "examples/lesson.msf"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("kingdon runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("C = port_decline, T = 1962\n"));
    assert!(text.contains("C = port_reopening, T = 1983\n"));
    assert!(text.contains("⇒ policy_change(state_council_reply) 2006\n"));
    assert!(text.contains("  + unexplained(state_council_reply) @ 2006\n"));
    assert!(text.ends_with(
        "✗ part_of(trade_and_cooperation_zone, center_program): no such fact is stated\n"
    ));
}
