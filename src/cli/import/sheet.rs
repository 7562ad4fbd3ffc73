//! A coding sheet as researchers keep one (a row an event: date, stream, predicate,
//! arguments, quote, source, assumed; a `note` column too if it has one) written as a case
//! file, one fact a row under its stream, for the checker to verify against the sources
//! (`kingdon import`).

use std::fmt::Write;

use crate::value::Time;

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

/// A sheet written as a case file, with what the conversion has to say that is no error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// The case file's text.
    pub case: String,
    /// Notes: the columns the sheet has that are not read.
    pub notes: Vec<String>,
}

/// A sheet refused: every cell that cannot be part of a fact (the first [`MAX_ERRORS`]), and
/// the notes, as for a sheet taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// Each bad cell at its row and column (`sheet.csv:3:1: …`).
    pub errors: Vec<String>,
    /// The columns the sheet has that are not read.
    pub notes: Vec<String>,
}

/// How many bad cells a run reports before it stops reading.
pub const MAX_ERRORS: usize = 20;

/// The case file a sheet makes, or every cell that cannot be part of a fact (the first
/// [`MAX_ERRORS`]), each at its row and column.
///
/// `name` is how errors name the sheet; `theory` is the theory the case includes and
/// `documents` the documents its sources name (`NAME=PATH`), as the case file names them.
pub fn sheet(
    bytes: &[u8],
    name: &str,
    theory: &str,
    documents: &[String],
) -> Result<Imported, Rejected> {
    rows(bytes, name, theory, documents).map_err(|mut rejected| {
        rejected.errors.truncate(MAX_ERRORS);
        rejected
    })
}

fn rows(
    bytes: &[u8],
    name: &str,
    theory: &str,
    documents: &[String],
) -> Result<Imported, Rejected> {
    let refuse = |errors: Vec<String>, notes: &[String]| Rejected {
        errors,
        notes: notes.to_vec(),
    };
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| refuse(vec![format!("{name}:1: {e}")], &[]))?
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
        // A sheet saved with semicolons reads as one column.
        let semicolons = header.len() == 1 && header[0].contains(';');
        return Err(refuse(
            vec![format!(
                "{name}:1: the header lacks {}: a sheet has the columns {}{}",
                missing.join(", "),
                COLUMNS.join(", "),
                if semicolons {
                    " (this one seems to separate its columns with `;`: save it with commas)"
                } else {
                    ""
                }
            )],
            &[],
        ));
    }
    let notes: Vec<String> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !COLUMNS.contains(&h.as_str()) && *h != "note")
        .map(|(i, h)| format!("{name}:1:{}: the column `{h}` is not read", i + 1))
        .collect();
    let mut errors: Vec<String> = Vec::new();
    let at = |c: &str| column(c).unwrap_or(0);
    let note = column("note");
    let mut by_stream: Vec<Vec<String>> = vec![Vec::new(); STREAMS.len() + 1];
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                errors.push(format!("{name}:{line}: {e}"));
                continue;
            }
        };
        // A character the language does not read in a string or a name: refused here, not
        // later by `kingdon check`.
        if let Some((c, ch)) = row
            .iter()
            .enumerate()
            .find_map(|(c, cell)| cell.chars().find(|ch| unreadable(*ch)).map(|ch| (c, ch)))
        {
            errors.push(format!(
                "{name}:{line}:{}: the character U+{:04X} cannot be part of a case file (a control or invisible formatting character)",
                c + 1,
                ch as u32
            ));
            continue;
        }
        let cell = |c: usize| row.get(c).unwrap_or("").trim();
        let here = |c: &str| format!("{name}:{line}:{}", at(c) + 1);
        let predicate = cell(at("predicate"));
        if !is_name(predicate) {
            errors.push(format!(
                "{}: `{predicate}` is not a predicate's name (a lower-case letter, then letters, digits or `_`, and no keyword)",
                here("predicate")
            ));
            continue;
        }
        let mut fact = predicate.to_string();
        let arguments = split_arguments(cell(at("arguments")));
        if !arguments.is_empty() {
            if let Some(a) = arguments.iter().find(|a| !is_value(a)) {
                errors.push(format!(
                    "{}: `{a}` is not a name (a keyword is written as a string: \"if\"), a number, a time or a quoted string",
                    here("arguments")
                ));
                continue;
            }
            let _ = write!(fact, "({})", arguments.join(", "));
        }
        let date = cell(at("date"));
        if !date.is_empty() {
            if let Err(e) = Time::parse(date) {
                errors.push(format!("{}: `{date}`: {e}", here("date")));
                continue;
            }
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
        // The language is the judge: a fact it would not read is refused here, at its row.
        let (_, problems) =
            crate::syntax::parse(&fact, crate::syntax::FileId(0), Default::default());
        if let Some(problem) = problems.first() {
            errors.push(format!("{name}:{line}: {}", problem.message));
            continue;
        }
        let stream = cell(at("stream")).to_lowercase();
        let slot = match STREAMS.iter().position(|s| *s == stream) {
            Some(s) => s,
            None if stream.is_empty() => STREAMS.len(),
            None => {
                errors.push(format!(
                    "{}: `{stream}` is not a stream: {} (or empty)",
                    here("stream"),
                    STREAMS.join(", ")
                ));
                continue;
            }
        };
        by_stream[slot].push(fact);
    }
    if !errors.is_empty() {
        return Err(refuse(errors, &notes));
    }
    let mut case = format!(
        "# Imported by `kingdon import` from {name}: a fact a row, under its stream. Check it\n# with `kingdon check`, which finds each quote in its document.\n\ninclude {}.\n",
        string(theory)
    );
    for d in documents {
        let Some((doc, path)) = d.split_once('=') else {
            return Err(refuse(
                vec![format!(
                "--document `{d}`: write NAME=PATH, as `--document shi2024=sources/shi2024.txt`"
            )],
                &notes,
            ));
        };
        if !is_name(doc) {
            return Err(refuse(
                vec![format!("--document `{d}`: `{doc}` is not a name")],
                &notes,
            ));
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
    Ok(Imported { case, notes })
}

/// Whether a character cannot stand in a case file: a control character (a tab or line break
/// in a cell is written as a space) or an invisible formatting one (bidirectional marks and
/// overrides, zero-width characters, a byte-order mark).
fn unreadable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Whether a text is a name of the language: a lower-case letter, then letters, digits, `_`,
/// and not one of its keywords (`if`, `note`).
fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::syntax::is_keyword(text)
}

/// Whether a text is a value the language reads: a name, a number, a time, a quoted string.
fn is_value(text: &str) -> bool {
    is_name(text)
        || is_number(text)
        || Time::parse(text.trim_start_matches('@')).is_ok()
        || (text.len() >= 2
            && text.starts_with('"')
            && text.ends_with('"')
            && !text[1..text.len() - 1].contains('"'))
}

/// Whether a text is a number as the language writes one: an integer that fits in 64 bits
/// (`-12`, `2023`), or a decimal of at most 18 digits (`3.2`); no exponent, no sign but `-`.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    match digits.split_once('.') {
        None => all_digits(digits) && text.parse::<i64>().is_ok(),
        Some((whole, fraction)) => {
            all_digits(whole) && all_digits(fraction) && whole.len() + fraction.len() <= 18
        }
    }
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

/// A string literal of the language ([`crate::value::quote`]), a cell's line breaks and
/// tabs as spaces.
fn string(text: &str) -> String {
    crate::value::quote(&text.replace(['\n', '\r', '\t'], " "))
}
