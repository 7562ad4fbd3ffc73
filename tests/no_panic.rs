//! The no-panic corpus: inputs that once crashed kingdon, or were written to try (a byte order
//! mark, NUL bytes, the ends of the integer and calendar ranges, nesting 5 000 deep, a rule of
//! 1 500 conditions, …), and crashes the fuzzers find (fuzz/run). Each must end, through
//! `kingdon check`, `kingdon run` and `kingdon timeline`, with exit status 0 or 1 and no panic.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Runs kingdon with a deadline of a minute; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kingdon runs");
    let pid = child.id();
    // Read the pipes to the end on a thread of their own (a full pipe would block the child).
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output()));
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => {
            let out = out.expect("finished");
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        }
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("kingdon {args:?} did not end within a minute");
        }
    }
}

#[test]
fn nothing_in_the_corpus_panics_or_hangs() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/no_panic");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("the corpus exists")
        .map(|e| {
            format!(
                "tests/no_panic/{}",
                e.expect("an entry").file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 13, "{} files", files.len());
    for file in &files {
        for args in [
            vec!["check", file.as_str()],
            vec!["run", file.as_str(), "--max-facts", "200000"],
            vec!["timeline", file.as_str(), "--width", "80"],
        ] {
            let (code, _, err) = run(&args);
            assert!(
                matches!(code, Some(0 | 1)) && !err.contains("panicked"),
                "kingdon {args:?}: exit {code:?}\n{err}"
            );
        }
    }
}

#[test]
fn a_byte_order_mark_and_windows_line_ends_are_read_as_text() {
    let (code, out, err) = run(&["run", "tests/no_panic/bom_crlf.msf"]);
    assert_eq!((code, out.as_str(), err.as_str()), (Some(0), "X = a\n", ""));
}
