//! Embedding the engine: load rules and dated facts, ask a query, take the answers as data,
//! retract a fact and see the consequences disappear.
//!
//! ```text
//! cargo run --example embed
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use kingdon::{KnowledgeBase, Output};

const PROGRAM: &str = r#"
ussr_dissolved @ 1991-12-25 note "The Soviet Union dissolves" source "seed §3.2.1".
ties(china, kazakhstan) @ 1992 note "Diplomatic relations" source "seed §3.2.1".
complementary(china, kazakhstan) source "seed §3.2.2".

rule political_window:
    window(political) when ussr_dissolved and ties(china, kazakhstan)
                       and complementary(china, kazakhstan)
    note "A political window opens once the neighbours have ties and complementary economies".

?- window(W) @ T.
"#;

fn main() -> ExitCode {
    let mut kb = KnowledgeBase::new();
    // Every statement runs in order; the query's answers come back as data.
    let report = match kb.load_str("<embedded>", PROGRAM) {
        Ok(report) => report,
        Err(e) => {
            eprint!("{}", kb.render(&e, false));
            return ExitCode::FAILURE;
        }
    };
    for output in &report.outputs {
        if let Output::Answers { query, answers } = output {
            println!("{query}");
            for row in &answers.rows {
                let shown: Vec<String> = answers
                    .vars
                    .iter()
                    .zip(row)
                    .filter_map(|(var, value)| value.as_ref().map(|v| format!("{var} = {v}")))
                    .collect();
                println!("  {}", shown.join(", "));
            }
            // Answers serialise with serde: numbers as numbers, times as written.
            println!(
                "  as JSON: {}",
                serde_json::to_string(&answers.rows).expect("serialisable")
            );
        }
    }
    // Retract a base fact: what was derived from it goes too.
    match kb.retract("ussr_dissolved @ 1991-12-25") {
        Ok(removed) => println!("retracted {}", removed.join(", ")),
        Err(e) => eprint!("{}", kb.render(&e, false)),
    }
    match kb.query("window(W)") {
        Ok(answers) => println!("window(W) now holds {} time(s)", answers.rows.len()),
        Err(e) => eprint!("{}", kb.render(&e, false)),
    }
    ExitCode::SUCCESS
}
