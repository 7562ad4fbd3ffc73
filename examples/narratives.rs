//! The Horgos case embedded: load the theory and the case (bundled in the library, so this
//! runs from any folder), list the theory's verdict on every enactment — explained, of unknown
//! order, or unexplained — and print the story of each as the narrative paragraph of its
//! proof.
//!
//! ```text
//! cargo run --example narratives
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use kingdon::explain::render::why_narrative;
use kingdon::{KnowledgeBase, Output};

/// The theory's verdicts on an enactment, as it names them.
const VERDICTS: [&str; 3] = ["policy_change", "order_unknown", "unexplained"];

fn main() -> ExitCode {
    let mut kb = KnowledgeBase::new();
    if let Err(e) = kb.load_bundle(kingdon::HORGOS_CASE) {
        eprint!("{}", kb.render(&e, false));
        return ExitCode::FAILURE;
    }
    for verdict in VERDICTS {
        let changes = match kb.query(&format!("{verdict}(C) @ T")) {
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
            println!("## {change} ({time}): {}", verdict.replace('_', " "));
            match kb.load_str("<why>", &format!("why {verdict}({change}).")) {
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
    }
    ExitCode::SUCCESS
}
