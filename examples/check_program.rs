//! Embedding the front end: read `.msf` files, check them, and act on the diagnostics as data.
//!
//! ```text
//! cargo run --example check_program -- tests/language/facts.msf tests/language/rules.msf
//! ```
//!
//! With no arguments it checks a small program with a misspelt predicate.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use kingdon::check::{check_files, check_text, Checked};
use kingdon::syntax::{ParseOptions, Severity};

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let checked: Checked = if paths.is_empty() {
        check_text(
            "<example>",
            "diplomatic_ties(china, kazakhstan) @ 1992.\n\
             window_open(political) :- diplomatic_tie(china, kazakhstan).\n\
             ?- window_open(W), diplomatic_ties(A, B).\n",
            ParseOptions::default(),
        )
    } else {
        match check_files(&paths, ParseOptions::default()) {
            Ok(checked) => checked,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    };
    // Diagnostics are data: count them by code before rendering them.
    let mut by_code = std::collections::BTreeMap::new();
    for d in checked.diagnostics() {
        *by_code.entry((d.severity(), d.code.as_str())).or_insert(0) += 1;
    }
    for ((severity, code), n) in &by_code {
        let kind = if *severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        println!("{n} × {kind} {code}");
    }
    print!("{}", checked.render(false));
    if checked.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
