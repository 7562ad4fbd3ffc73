//! The evidence of new statements (LANGUAGE.md §7): every `source NAME` names a declared
//! document, every quote cites one and occurs in it, and no name is declared for two texts.

use std::path::PathBuf;

use crate::evidence::{text, Documents};
use crate::syntax::ast::Statement;
use crate::syntax::{Code, Diagnostic, SourceMap, Span};
use crate::value::month_name;

/// The errors in the evidence of the last of `parts` (the earlier ones were checked before):
/// a `source` naming no declared document, a quote with no document to be checked against,
/// a quote its document does not contain (with the closest passage as hint), a document
/// declared twice with two paths.
pub(super) fn verify(
    parts: &[&[Statement]],
    sources: &SourceMap,
    cancel: Option<&std::sync::atomic::AtomicBool>,
) -> Vec<Diagnostic> {
    let Some((new, known)) = parts.split_last() else {
        return Vec::new();
    };
    let documents = Documents::of(parts.iter().copied().flatten(), sources);
    let mut out = Vec::new();
    // Each declaration's name and the file it read (its path as written if it read none).
    let resolved = |d: &crate::syntax::ast::DocumentDecl| -> String {
        d.text
            .map_or_else(|| d.path.value.clone(), |f| sources.source(f).name.clone())
    };
    // The file the loader resolved it to (links followed), else the path read.
    let file = |d: &crate::syntax::ast::DocumentDecl, read: &str| -> PathBuf {
        d.file.clone().unwrap_or_else(|| PathBuf::from(read))
    };
    let mut paths: Vec<(&str, PathBuf, String)> = known
        .iter()
        .copied()
        .flatten()
        .filter_map(|s| match s {
            Statement::Document(d) => {
                let read = resolved(d);
                Some((d.name.name.as_str(), file(d, &read), read))
            }
            _ => None,
        })
        .collect();
    for s in *new {
        let about = match s {
            Statement::Fact(f) => &f.about,
            Statement::Rule(r) => &r.about,
            Statement::Document(d) => {
                let read = resolved(d);
                let this = file(d, &read);
                if let Some((_, earlier_file, earlier)) =
                    paths.iter().find(|(n, _, _)| *n == d.name.name)
                {
                    if *earlier_file != this {
                        out.push(
                            Diagnostic::new(
                                Code::DocumentTwice,
                                d.name.span,
                                format!(
                                    "the document `{}` is already declared, as \"{earlier}\"",
                                    d.name.name
                                ),
                            )
                            .with_hint("give this document another name"),
                        );
                    }
                }
                paths.push((d.name.name.as_str(), this, read));
                continue;
            }
            _ => continue,
        };
        if let Some(name) = about.source.as_ref().and_then(|c| c.document.as_ref()) {
            if !documents.knows(&name.name) {
                let mut d = Diagnostic::new(
                    Code::UnknownDocument,
                    name.span,
                    format!("no document named `{}` is declared", name.name),
                );
                d = match super::suggest::nearest(&name.name, documents.names()) {
                    Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                    None => d.with_hint(format!(
                        "declare it first: `document {} \"path/to/text.txt\".`",
                        name.name
                    )),
                };
                out.push(d);
                continue;
            }
        }
        let Some(quote) = &about.quote else { continue };
        if cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst)) {
            out.push(
                Diagnostic::new(
                    Code::Interrupted,
                    quote.span,
                    "interrupted (Ctrl-C) while the quotes were checked against their documents",
                )
                .with_hint("nothing of this input was kept"),
            );
            return out;
        }
        if let Some(d) = undated_quote(s, quote) {
            out.push(d);
        }
        let cites_document = about.source.as_ref().is_some_and(|c| c.document.is_some());
        if !cites_document {
            out.push(
                Diagnostic::new(
                    Code::UnknownDocument,
                    quote.span,
                    "a quote needs the document it is from: `source NAME \"…\"` naming a declared document",
                )
                .with_hint("add `source NAME \"locator\"` (NAME as declared by `document NAME \"path\"`)"),
            );
            continue;
        }
        if text::is_empty(&quote.value) {
            out.push(
                Diagnostic::new(Code::QuoteNotFound, quote.span, "this quote is empty")
                    .with_hint("quote the words of the document that back the fact"),
            );
            continue;
        }
        // A document that could not be read has its own error already.
        let Some((file, folded)) = documents.cited(about) else {
            continue;
        };
        let doc = &sources.source(file).name;
        match text::find(folded, &quote.value) {
            Ok(Some(_)) => continue,
            Ok(None) => {}
            Err(text::TooCostly) => {
                out.push(
                    Diagnostic::new(
                        Code::QuoteNotFound,
                        quote.span,
                        format!("this quote could not be checked against `{doc}`: its words recur there too often, each time falling short of the whole quote"),
                    )
                    .with_hint("quote a passage whose words the document does not repeat"),
                );
                continue;
            }
        }
        let d = Diagnostic::new(
            Code::QuoteNotFound,
            quote.span,
            format!("this quote does not occur in `{doc}`"),
        );
        out.push(match text::closest(folded, &quote.value) {
            Some((start, end)) => {
                let original = &sources.source(file).text;
                let (start, end) = folded.original(original, start, end);
                // The document's words as a terminal may show them: no control or
                // bidirectional formatting character reaches it raw.
                let passage = original[start..end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .replace(
                        |c| crate::value::is_unprintable(c) || crate::value::is_invisible(c),
                        "\u{fffd}",
                    );
                let span = Span::new(file, start, end);
                let at = sources.file_line(span);
                d.with_hint(format!("the closest passage, at {at}: \"{passage}\""))
                    .with_related(span, "the closest passage of the document")
            }
            None => d.with_hint("no passage of the document comes close; quote its words exactly (case, spacing and typographic quotes do not matter; `…` leaves words out)"),
        });
    }
    out
}

/// The warning for a dated fact that quotes its source but not its whole date (the year; the
/// month of a fact dated to the month; the day of one dated to the day), and does not mark
/// the date as assumed: the date would pass for the source's.
fn undated_quote(s: &Statement, quote: &crate::syntax::ast::StringLit) -> Option<Diagnostic> {
    let Statement::Fact(f) = s else { return None };
    let Some(crate::syntax::ast::Expr::Time(time, at)) = &f.atom.time else {
        return None;
    };
    if f.about.assumed.is_some() {
        return None;
    }
    let missing = if !states_number(&quote.value, u32::from(time.year_of())) {
        format!("year, {}", time.year_of())
    } else if let Some(month) = time.month_of().filter(|m| !states_month(&quote.value, *m)) {
        format!("month, {}", month_name(month).unwrap_or_default())
    } else if let Some(day) = time
        .day_of()
        .filter(|d| !states_number(&quote.value, u32::from(*d)))
    {
        format!("day, the {day}th")
    } else {
        return None;
    };
    Some(
        Diagnostic::new(
            Code::UndatedQuote,
            *at,
            format!("the quote does not give this fact's {missing}"),
        )
        .with_hint("quote the words that date it (`…` joins two passages), or mark the date `assumed \"why\"`"),
    )
}

/// Whether a text gives a number as a number of its own: `2006` in "in 2006," but not in
/// "20060 tenge" or "code 120061".
fn states_number(text: &str, number: u32) -> bool {
    let number = number.to_string();
    text.match_indices(&number).any(|(at, _)| {
        let before = text.get(..at).and_then(|s| s.chars().next_back());
        let after = text.get(at + number.len()..).and_then(|s| s.chars().next());
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Whether a text names a month: its English name or the first three letters of it, as a word
/// of its own ("July", "Jul.", "Sept"), or the month's number after a year and a dash
/// (`2005-07`).
fn states_month(text: &str, month: u8) -> bool {
    let Some(name) = month_name(month) else {
        return false;
    };
    let name = name.to_lowercase();
    let named = text
        .split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .any(|w| w.len() >= 3 && name.starts_with(&w));
    named || text.contains(&format!("-{month:02}"))
}

#[cfg(test)]
mod tests {
    use super::{states_month, states_number};

    #[test]
    fn a_date_is_given_by_its_year_month_name_and_day_number() {
        assert!(states_number("in 2006, the Reply", 2006));
        assert!(!states_number("20060 tenge", 2006));
        assert!(states_month("In July 2005, the governments", 7));
        assert!(states_month("in Sept. 2012", 9));
        assert!(states_month("dated 2005-07", 7));
        assert!(!states_month("In 2005, the governments", 7));
        assert!(!states_month("Junior officials", 7));
        assert!(!states_month("Marching", 3));
        assert!(states_number("on December 25, 1991", 25));
        assert!(!states_number("on December 250, 1991", 25));
    }
}
