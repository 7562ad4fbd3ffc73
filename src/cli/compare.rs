//! `kingdon compare A B [--format text|json]`: two readings of one case, their verdicts side
//! by side, each difference with the premises that differ.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::compare::{compare, Comparison};
use clap::ValueEnum;

use super::timeline::load_for_drawing;

/// How the comparison is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A line of counts, then each difference with its premises.
    Text,
    /// One JSON document: the count of verdicts the same, and the differences.
    Json,
}

/// Loads each reading, compares their verdicts, prints the differences.
pub fn run(
    a: &PathBuf,
    b: &PathBuf,
    options: crate::Options,
    format: Format,
    width: usize,
    color: bool,
) -> ExitCode {
    let (mut first, loaded) = load_for_drawing(std::slice::from_ref(a), options.clone());
    if let Err(e) = loaded {
        err!("{}", first.render(&e, color));
        return ExitCode::FAILURE;
    }
    let (mut second, loaded) = load_for_drawing(std::slice::from_ref(b), options);
    if let Err(e) = loaded {
        err!("{}", second.render(&e, color));
        return ExitCode::FAILURE;
    }
    let compared = match compare(&mut first, &mut second) {
        Ok(c) => c,
        Err(e) => {
            err!("{}", first.render(&e, color));
            return ExitCode::FAILURE;
        }
    };
    let (a, b) = (a.display().to_string(), b.display().to_string());
    match format {
        Format::Text => out!("{}", text(&compared, &a, &b, width)),
        Format::Json => outln!(
            "{}",
            serde_json::to_string(&compared).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        ),
    }
    ExitCode::SUCCESS
}

/// How many statements of each reading the text lists.
const LISTED: usize = 12;

/// The comparison as text, `width` columns wide.
fn text(c: &Comparison, a: &str, b: &str, width: usize) -> String {
    let fit = |text: &str, first: &str, rest: &str| -> String {
        crate::explain::render::wrap(first, rest, text, width.max(40)).join("\n") + "\n"
    };
    let differ = c.differences.len();
    let mut out = fit(
        &format!(
            "{a} and {b}: {} verdict{} the same, {differ} subject{} judged otherwise.",
            c.same,
            if c.same == 1 { "" } else { "s" },
            if differ == 1 { "" } else { "s" }
        ),
        "",
        "",
    );
    if c.same == 0 && !c.differences.is_empty() {
        out.push_str(&fit(
            "note: the readings share no verdict: are they two readings of one case (each including the theory)?",
            "",
            "  ",
        ));
    }
    // What the readings state differently, once: the causes of what follows.
    for (side, only) in [(a, &c.only_a), (b, &c.only_b)] {
        if only.is_empty() {
            continue;
        }
        out.push_str(&format!("only {side} states:\n"));
        for s in only.iter().take(LISTED) {
            out.push_str(&fit(s, "  ", "      "));
        }
        if only.len() > LISTED {
            out.push_str(&format!(
                "  and {} more (--format json lists them)\n",
                only.len() - LISTED
            ));
        }
    }
    for d in &c.differences {
        out.push_str(&format!("{}\n", d.subject));
        for (side, verdicts) in [(a, &d.a), (b, &d.b)] {
            let said = if verdicts.is_empty() {
                "no verdict".to_string()
            } else {
                verdicts.join(", ")
            };
            out.push_str(&fit(&format!("{side}: {said}"), "  ", "      "));
        }
        for (has, lacks, premise) in [(a, b, &d.a_premise), (b, a, &d.b_premise)] {
            if let Some(p) = premise {
                out.push_str(&fit(
                    &format!("premise {has} states and {lacks} does not: {p}"),
                    "  ",
                    "      ",
                ));
            }
        }
        if d.a_premise.is_none() && d.b_premise.is_none() {
            out.push_str(&fit(
                "no premise of either proof differs: what one reading states otherwise (above) acts through a condition that blocks it, or a setting such as a window's length (`whynot` on that side says which condition)",
                "  ",
                "      ",
            ));
        }
    }
    out
}
