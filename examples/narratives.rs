//! The Horgos case embedded: load the theory and the case (bundled in the library, so this
//! runs from any folder), list every policy change, and print the story of each as the
//! narrative paragraph of its proof.
//!
//! ```text
//! cargo run --example narratives
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use kingdon::explain::render::why_narrative;
use kingdon::{KnowledgeBase, Output};

fn main() -> ExitCode {
    let mut kb = KnowledgeBase::new();
    if let Err(e) = kb.load_bundle(kingdon::HORGOS_CASE) {
        eprint!("{}", kb.render(&e, false));
        return ExitCode::FAILURE;
    }
    let changes = match kb.query("policy_change(C) @ T") {
        Ok(answers) => answers,
        Err(e) => {
            eprint!("{}", kb.render(&e, false));
            return ExitCode::FAILURE;
        }
    };
    for row in &changes.rows {
        let (Some(change), Some(time)) = (&row[0], &row[1]) else {
            continue;
        };
        println!("## {change} ({time})");
        match kb.load_str("<why>", &format!("why policy_change({change}).")) {
            Ok(report) => {
                for output in &report.outputs {
                    if let Output::Why(why) = output {
                        println!("{}", why_narrative(why, 100));
                    }
                }
            }
            Err(e) => eprint!("{}", kb.render(&e, false)),
        }
    }
    ExitCode::SUCCESS
}
