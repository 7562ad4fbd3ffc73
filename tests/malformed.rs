//! Malformed programs, each pinned to the exact output of `kingdon check` on it: exit status,
//! then the rendered diagnostics (code, line, column, message, source line, caret, hint).
//!
//! Each case is `tests/malformed/NAME.msf` with its expected output in `NAME.expected`.
//! After an intended change of wording, `KINGDON_BLESS=1 cargo test --test malformed`
//! rewrites the expected files; review the diff before committing it.

use std::path::Path;
use std::process::Command;

#[test]
fn malformed_programs_give_their_pinned_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/malformed");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/malformed exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".msf"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "only {} malformed programs", cases.len());
    let bless = std::env::var_os("KINGDON_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let output = Command::new(env!("CARGO_BIN_EXE_kingdon"))
            .args(["check", &format!("tests/malformed/{case}")])
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .expect("kingdon runs");
        let mut actual = format!("exit status: {}\n", output.status.code().unwrap_or(-1));
        actual.push_str(&String::from_utf8_lossy(&output.stdout));
        actual.push_str(&String::from_utf8_lossy(&output.stderr));
        let expected_path = dir.join(case.replace(".msf", ".expected"));
        if bless {
            std::fs::write(&expected_path, &actual).expect("expected file is writable");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "--- {case}: expected\n{expected}--- but got\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
