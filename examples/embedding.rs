//! Embedding kingdon in a Rust program (the example of `docs/embedding.md`): a knowledge base
//! with limits of its own, the bundled theory and Horgos case, facts of one's own (as text
//! and as data), the theory's verdicts as data, a query read as data, `why` as a story,
//! `whatif`, an error read as data, and JSON.
//!
//! ```text
//! cargo run --example embedding
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use kingdon::explain::render::{whatif_text, why_narrative};
use kingdon::value::Time;
use kingdon::{Const, Error, KnowledgeBase, Limits, Options};

/// Facts of one's own, in the rule language: a later event the paper does not cover.
const UPDATE: &str = r#"
international_relations(strategic_partnership, kazakhstan) @ 2019
    note "China and Kazakhstan declare a permanent comprehensive strategic partnership"
    source "outside the paper: an example".
"#;

fn main() -> ExitCode {
    let mut kb = KnowledgeBase::with_options(Options {
        limits: Limits {
            max_facts: 1_000_000,
            ..Limits::default()
        },
        ..Options::default()
    });
    match run(&mut kb) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors carry their places; `render` prints them as the command line does.
            eprint!("{}", kb.render(&e, false));
            ExitCode::FAILURE
        }
    }
}

fn run(kb: &mut KnowledgeBase) -> Result<(), Error> {
    // The theory and the case are bundled in the library: no files needed.
    kb.load_bundle(kingdon::HORGOS_CASE)?;
    let report = kb.load_str("update.msf", UPDATE)?;
    println!(
        "loaded the case and the update ({} warnings)",
        report.warnings.len()
    );

    // Facts can also be given as data, without writing the language.
    let partners = [
        Const::Sym("belt_and_road_forum".into()),
        Const::Sym("kazakhstan".into()),
    ];
    let year = Time::from_year(2023);
    let new = kb.insert("international_relations", &partners, year)?;
    println!("inserted international_relations(belt_and_road_forum, kazakhstan) @ 2023: {new}");

    // The theory's verdicts, counted as a reader needs them.
    if let Some(verdicts) = kingdon::Verdicts::of(kb)? {
        println!("verdicts: {}", verdicts.summary());
    }

    // A query: variables and rows of constants, sorted by time, then by value.
    let answers = kb.query("unexplained(C) @ T, T >= 2012")?;
    println!(
        "{} enactments from 2012 on the theory does not explain:",
        answers.rows.len()
    );
    for row in &answers.rows {
        if let [Some(Const::Sym(change)), Some(Const::Time(time))] = row.as_slice() {
            println!("  {time}: {change}");
        }
    }
    // A query without variables holds or not.
    let receptive = kb.query("receptive(frontier_cooperation_center, @2004, known)")?;
    println!(
        "receptive to the center in 2004, in the order the dates fix: {}",
        receptive.holds()
    );

    // Questions are typed: each runs exactly one statement and changes nothing; the
    // answers are data (proof nodes hold facts as predicate, constants and time).
    let why = kb.why("order_unknown(framework_agreement_signed)")?;
    let root = &why.proof.nodes[why.proof.roots[0]];
    println!(
        "why {} (at {:?}), as a story:\n{}",
        root.fact.pred,
        root.fact.time.map(|t| t.to_string()),
        why_narrative(&why, 100)
    );
    let whatif = kb.whatif(
        "retract international_relations(good_neighbourly_treaty, kazakhstan) show order_unknown",
    )?;
    let lost: usize = whatif.lost.iter().map(|p| p.facts.len()).sum();
    println!("without the treaty of 2002, {lost} verdicts would not hold:");
    print!("{}", whatif_text(&whatif));

    // A bad input is refused whole, with each error's code, place and message as data.
    match kb.load_str("<typo>", "opened(W) :- window(W) @ 1992.") {
        Err(Error::Rejected { diagnostics, .. }) => {
            for d in &diagnostics {
                let source = kb.sources().source(d.span.file);
                let (line, column) = source.line_col(d.span.start);
                println!(
                    "refused: {} at {}:{line}:{column}: {}",
                    d.code.as_str(),
                    source.name,
                    d.message
                );
            }
        }
        other => println!("unexpected: {other:?}"),
    }

    // Everything serialises with serde, for a web page or a notebook.
    let answers = kb.query("unexplained(C) @ T")?;
    println!(
        "as JSON: {}",
        serde_json::to_string(&answers).expect("answers serialise")
    );
    Ok(())
}
