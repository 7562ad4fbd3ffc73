//! A golden `why` for every policy change of the Horgos case: the full proof tree and the
//! narrative, pinned, so that the paper's causal story cannot drift.

mod common;

#[test]
fn every_policy_change_is_explained_as_pinned() {
    common::check_folder("case", "run", 12);
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
    assert!(text.contains("L = complexity, T = 2023\n"));
    assert!(text.contains("policy_change: 10 would no longer hold\n"));
    assert!(text.ends_with("  + viable(trade_and_cooperation_zone) @ 2003\n"));
}
