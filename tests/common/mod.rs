//! The golden-file helper shared by the pinned suites: run `kingdon` on every `.msf` file of a
//! folder and compare what it prints (exit status, stdout, stderr) with `NAME.expected`.
//!
//! A case whose first line is `% args: …` runs with those extra arguments
//! (`% args: --format json`).
//!
//! After an intended change of output, `KINGDON_BLESS=1 cargo test --test NAME` rewrites the
//! expected files; review the diff before committing it.

// Each test crate uses some of these helpers, none all of them.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `kingdon ARGS` from the temporary folder with `input` on its standard input and
/// `envs` set; returns what it printed and its status.
pub fn piped_with(args: &[&str], envs: &[(&str, &str)], input: &str) -> Output {
    piped_in(&std::env::temp_dir(), args, envs, input)
}

/// [`piped_with`] from the folder `dir`.
pub fn piped_in(dir: &Path, args: &[&str], envs: &[(&str, &str)], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kingdon runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(input.as_bytes())
        .expect("writable");
    child.wait_with_output().expect("kingdon ends")
}

/// [`piped_with`] without extra environment.
pub fn piped(args: &[&str], input: &str) -> Output {
    piped_with(args, &[], input)
}

/// Runs `kingdon SUBCOMMAND FILE` for every `.msf` file in `tests/DIR` (at least `at_least`
/// of them) and checks each output against its `.expected` file.
pub fn check_folder(dir: &str, subcommand: &str, at_least: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = root.join("tests").join(dir);
    let mut cases: Vec<String> = std::fs::read_dir(&folder)
        .expect("the folder exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".msf"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= at_least,
        "only {} programs in tests/{dir}",
        cases.len()
    );
    let bless = std::env::var_os("KINGDON_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read(folder.join(case)).unwrap_or_default();
        let first_line = String::from_utf8_lossy(&text)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let extra: Vec<&str> = first_line
            .strip_prefix("% args:")
            .map(|a| a.split_whitespace().collect())
            .unwrap_or_default();
        let output = Command::new(env!("CARGO_BIN_EXE_kingdon"))
            .args([subcommand, &format!("tests/{dir}/{case}")])
            .args(&extra)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .expect("kingdon runs");
        let mut actual = format!("exit status: {}\n", output.status.code().unwrap_or(-1));
        actual.push_str(&String::from_utf8_lossy(&output.stdout));
        actual.push_str(&String::from_utf8_lossy(&output.stderr));
        let expected_path = folder.join(case.replace(".msf", ".expected"));
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

/// The answers of a query as lines, each row's values joined by `separator` (`_` for a
/// value left open).
pub fn rows(answers: &kingdon::Answers, separator: &str) -> Vec<String> {
    answers
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| v.as_ref().map_or("_".to_string(), ToString::to_string))
                .collect::<Vec<_>>()
                .join(separator)
        })
        .collect()
}
