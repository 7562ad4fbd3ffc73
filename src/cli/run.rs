//! `kingdon run FILE… [--query Q] [--format …]`: run scripts and print what they answer.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use kingdon::{Error, KnowledgeBase, Output};

use super::answers::{render, Format};

/// Prints the outputs that print in a script: query answers. (Facts, rules, `retract` and
/// `output` act silently; a `retract` that matched nothing is worth a warning.)
fn print_outputs(outputs: &[Output], format: Format) {
    for output in outputs {
        match output {
            Output::Answers { answers, .. } => print!("{}", render(answers, format)),
            Output::Retracted { removed, derived } => {
                for fact in derived {
                    eprintln!("kingdon: warning: `{fact}` is derived, not stated: retract the facts it rests on");
                }
                if removed.is_empty() && derived.is_empty() {
                    eprintln!("kingdon: warning: `retract` matched no fact");
                }
            }
            Output::Written { .. } => {}
        }
    }
}

/// Runs the files in order; with `query`, prints only its answers.
pub fn run(
    kb: &mut KnowledgeBase,
    files: &[PathBuf],
    query: Option<&str>,
    format: Format,
    color: bool,
) -> ExitCode {
    let fail = |kb: &KnowledgeBase, e: &Error| {
        if let (Error::Rejected { partial, .. }, None) = (e, query) {
            print_outputs(partial, format);
        }
        eprint!("{}", kb.render(e, color));
        ExitCode::FAILURE
    };
    for file in files {
        match kb.load_file(file) {
            Ok(report) => {
                if !report.warnings.is_empty() {
                    eprint!(
                        "{}",
                        kingdon::syntax::render_all(&report.warnings, kb.sources(), color)
                    );
                }
                if query.is_none() {
                    print_outputs(&report.outputs, format);
                }
            }
            Err(e) => return fail(kb, &e),
        }
    }
    if let Some(q) = query {
        match kb.query(q) {
            Ok(answers) => print!("{}", render(&answers, format)),
            Err(e) => return fail(kb, &e),
        }
    }
    ExitCode::SUCCESS
}
