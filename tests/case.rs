//! A golden verdict for every enactment of the Horgos case — for a change coupled only in an
//! order the paper's years do not fix, the windows it may have ridden, its MSF card and the
//! comparison of dates that fails; for an unexplained one, the condition each reading fails
//! on — and the windows missed, pinned so that the causal story cannot drift.

mod common;

#[test]
fn every_policy_change_is_explained_as_pinned() {
    common::check_folder("case", "run", 14);
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
    assert!(text.starts_with("C = port_decline, A = port_closure, T = 1962\n"));
    assert!(text.contains("C = port_reopening, T = 1983\n"));
    assert!(text.contains("⇒ order_unknown(framework_agreement_signed) 2004\n"));
    assert!(text.contains("  + policy_change(cooperation_center_initiative) @ 2003\n"));
    assert!(text.contains("✗ addresses(zero_tariff_regime, P): no such fact is stated\n"));
    // Everything that stands between the trade zone and a decision, not only the first
    // thing: both criteria of survival, and the rejection (exercise 3's point).
    assert!(text.contains(concat!(
        "    ✗ technically_feasible(trade_and_cooperation_zone): no such fact is stated\n",
        "    and, were that met, still:\n",
        "    ✗ value_acceptable(trade_and_cooperation_zone): no such fact is stated\n",
    )));
    assert!(text.ends_with("Why = decision_makers_reject, T = 2003\n"));
}
