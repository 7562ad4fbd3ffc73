//! `kingdon import SHEET.csv [-o CASE.msf] [--theory PATH] [--document NAME=PATH]…`: a coding
//! sheet as researchers keep one (a row an event: date, stream, predicate, arguments, quote,
//! source, assumed; a `note` column too if it has one) written as a case file, one fact a row
//! under its stream, for `kingdon check` to verify against the sources.

use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

use kingdon::value::Time;

/// The columns a sheet must have, by header.
const COLUMNS: [&str; 7] = [
    "date",
    "stream",
    "predicate",
    "arguments",
    "quote",
    "source",
    "assumed",
];

/// The streams a row may name, in the order the case lists them.
const STREAMS: [&str; 5] = ["problem", "policy", "politics", "window", "change"];

/// What to write besides the facts.
pub struct Args<'a> {
    /// The sheet.
    pub sheet: &'a Path,
    /// Where to write the case (none: standard output).
    pub output: Option<&'a Path>,
    /// The theory the case includes, as the case file will name it.
    pub theory: &'a str,
    /// The documents the sources name: `NAME=PATH`.
    pub documents: &'a [String],
}

/// Reads the sheet and writes the case, or says at which row and column a cell cannot be a
/// fact's part.
pub fn run(args: &Args<'_>) -> ExitCode {
    match convert(args) {
        Ok(case) => match args.output {
            Some(path) => super::timeline::write_file(path, case.as_bytes()),
            None => {
                out!("{case}");
                ExitCode::SUCCESS
            }
        },
        Err(message) => {
            errln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The case file a sheet makes.
fn convert(args: &Args<'_>) -> Result<String, String> {
    let name = args.sheet.display();
    let bytes = std::fs::read(args.sheet).map_err(|e| format!("cannot read `{name}`: {e}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{name}:1: {e}"))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let column = |wanted: &str| header.iter().position(|h| h == wanted);
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| column(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{name}:1: the header lacks {}: a sheet has the columns {}",
            missing.join(", "),
            COLUMNS.join(", ")
        ));
    }
    let at = |c: &str| column(c).unwrap_or(0);
    let note = column("note");
    let mut by_stream: Vec<Vec<String>> = vec![Vec::new(); STREAMS.len() + 1];
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| format!("{name}:{line}: {e}"))?;
        let cell = |c: usize| row.get(c).unwrap_or("").trim();
        let here = |c: &str| format!("{name}:{line}:{}", at(c) + 1);
        let predicate = cell(at("predicate"));
        if !is_name(predicate) {
            return Err(format!(
                "{}: `{predicate}` is not a predicate's name (a lower-case letter, then letters, digits or `_`)",
                here("predicate")
            ));
        }
        let mut fact = predicate.to_string();
        let arguments = split_arguments(cell(at("arguments")));
        if !arguments.is_empty() {
            for a in &arguments {
                if !is_value(a) {
                    return Err(format!(
                        "{}: `{a}` is not a name, a number, a time or a quoted string",
                        here("arguments")
                    ));
                }
            }
            let _ = write!(fact, "({})", arguments.join(", "));
        }
        let date = cell(at("date"));
        if !date.is_empty() {
            Time::parse(date).map_err(|e| format!("{}: `{date}`: {e}", here("date")))?;
            let _ = write!(fact, " @ {date}");
        }
        let source = cell(at("source"));
        let quote = cell(at("quote"));
        if !source.is_empty() {
            let _ = write!(fact, "\n    source {}", source_text(source));
        }
        if !quote.is_empty() {
            let _ = write!(fact, "\n    quote {}", string(quote));
        }
        if let Some(n) = note.map(cell).filter(|n| !n.is_empty()) {
            let _ = write!(fact, "\n    note {}", string(n));
        }
        let assumed = cell(at("assumed"));
        if !assumed.is_empty() {
            let _ = write!(fact, "\n    assumed {}", string(assumed));
        }
        fact.push('.');
        let stream = cell(at("stream")).to_lowercase();
        let slot = match STREAMS.iter().position(|s| *s == stream) {
            Some(s) => s,
            None if stream.is_empty() => STREAMS.len(),
            None => {
                return Err(format!(
                    "{}: `{stream}` is not a stream: {} (or empty)",
                    here("stream"),
                    STREAMS.join(", ")
                ))
            }
        };
        by_stream[slot].push(fact);
    }
    let mut case = format!(
        "# Imported by `kingdon import` from {name}: a fact a row, under its stream. Check it\n# with `kingdon check`, which finds each quote in its document.\n\ninclude {}.\n",
        string(args.theory)
    );
    for d in args.documents {
        let Some((doc, path)) = d.split_once('=') else {
            return Err(format!(
                "--document `{d}`: write NAME=PATH, as `--document shi2024=sources/shi2024.txt`"
            ));
        };
        if !is_name(doc) {
            return Err(format!("--document `{d}`: `{doc}` is not a name"));
        }
        let _ = writeln!(case, "document {doc} {}.", string(path));
    }
    for (slot, facts) in by_stream.iter().enumerate() {
        if facts.is_empty() {
            continue;
        }
        let title = STREAMS.get(slot).map_or("no stream named", |s| s);
        let _ = writeln!(case, "\n# ===== {title} =====\n");
        for f in facts {
            case.push_str(f);
            case.push('\n');
        }
    }
    Ok(case)
}

/// Whether a text is a name of the language: a lower-case letter, then letters, digits, `_`.
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a text is a value the language reads: a name, a number, a time, a quoted string.
fn is_value(text: &str) -> bool {
    is_name(text)
        || text.parse::<f64>().is_ok_and(f64::is_finite)
        || Time::parse(text.trim_start_matches('@')).is_ok()
        || (text.len() >= 2
            && text.starts_with('"')
            && text.ends_with('"')
            && !text[1..text.len() - 1].contains('"'))
}

/// The arguments of a cell, split at commas outside quotes.
fn split_arguments(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in cell.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    out.push(current);
    out.into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// A `source` cell as the language writes it: `shi2024 §2.1` (a document's name, then its
/// locator) as `shi2024 "§2.1"`, anything else as a free citation.
fn source_text(cell: &str) -> String {
    match cell.split_once(char::is_whitespace) {
        Some((doc, locator)) if is_name(doc) => format!("{doc} {}", string(locator.trim())),
        _ => string(cell),
    }
}

/// A string literal of the language: quotes and backslashes escaped, line breaks as spaces.
fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
