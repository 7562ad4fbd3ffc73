//! The front end: source texts and spans, the AST, the `nom` parser, the canonical printer,
//! and diagnostics. nom stays inside this module: its types never reach a public signature.

pub(crate) mod ast;
mod builtin;
mod diagnostic;
mod lexer;
mod parser;
mod printer;
mod source;

pub(crate) use builtin::Builtin;
pub(crate) use diagnostic::{in_order, render_all};
pub use diagnostic::{Code, Diagnostic, Related, Severity};
pub(crate) use lexer::is_keyword;
pub(crate) use lexer::string_body;
#[cfg(feature = "cli")]
pub(crate) use lexer::KEYWORDS;
pub use parser::ParseOptions;
#[cfg(feature = "cli")]
pub(crate) use parser::MAX_DEPTH_CEILING;
#[cfg(any(test, fuzzing))]
pub(crate) use printer::print_module;
pub(crate) use printer::{annotation_text, print_atom, print_rule, print_statement};
pub use source::{FileId, Location, Source, SourceMap, Span};

/// Parses a whole text. Syntax errors do not stop the parse: each statement that parses is
/// returned, and every error found is reported, in text order. A text with a line longer
/// than `options.max_line_bytes` is refused whole.
pub(crate) fn parse(
    text: &str,
    file: FileId,
    options: ParseOptions,
) -> (ast::Module, Vec<Diagnostic>) {
    if let Some(too_long) = long_line(text, file, options.max_line_bytes) {
        return (ast::Module::default(), vec![too_long]);
    }
    parser::Parser::new(text, file, options).module()
}

/// The first line longer than `max` bytes, as an error pointing at the first byte past the
/// limit.
fn long_line(text: &str, file: FileId, max: usize) -> Option<Diagnostic> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let length = line.trim_end_matches(['\n', '\r']).len();
        if length > max {
            let mut at = start + max;
            while !text.is_char_boundary(at) {
                at += 1;
            }
            let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
            return Some(
                Diagnostic::new(
                    Code::LineTooLong,
                    Span::new(file, at, end),
                    format!("this line is {length} bytes long, more than the limit of {max}"),
                )
                .with_hint("break the statement over several lines, or raise the limit (`ParseOptions::max_line_bytes`)"),
            );
        }
        start += line.len();
    }
    None
}

/// The predicate that gives a symbol a name for people, `display(vat_circular, "the VAT
/// circular")`: read by headings and stories, not a claim about the case (no evidence is
/// asked of it, and no rule need use it).
pub(crate) const DISPLAY: &str = "display";

/// Whether a predicate is [`DISPLAY`] with its two arguments.
pub(crate) fn is_display(name: &str, arity: usize) -> bool {
    name == DISPLAY && arity == 2
}

/// The predicate by which a theory declares a parameter and the range a robustness study
/// tries, `parameter(default_window_length, 1, 4)`: read by `kingdon robustness`, so no
/// rule need use it.
pub(crate) const PARAMETER: &str = "parameter";

/// Whether the tools read a predicate, not the rules: [`DISPLAY`]/2 and [`PARAMETER`]/3.
pub(crate) fn read_by_tools(name: &str, arity: usize) -> bool {
    is_display(name, arity) || (name == PARAMETER && arity == 3)
}

/// A word with its first letter in upper case: `port` → `Port` (the variable a name would be,
/// a lane's label).
pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Whether `text` ends inside an unfinished statement (more lines would complete it):
/// what a line editor asks before it submits input.
#[cfg(any(test, feature = "cli"))]
pub(crate) fn is_incomplete(text: &str) -> bool {
    let (_, diagnostics) = parse(text, FileId(0), ParseOptions::default());
    // Only spaces and comments may follow the place where the text ran out.
    let at_end = |start: u32| {
        text.get(start as usize..)
            .is_some_and(|rest| lexer::skip_trivia(rest).is_empty())
    };
    // A statement cut short: a period or a token expected where nothing but blanks and
    // comments is left (what the error found is the end of the input, by its place).
    diagnostics
        .iter()
        .any(|d| at_end(d.span.start) && matches!(d.code, Code::MissingPeriod | Code::Expected))
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::is_incomplete;

    #[test]
    fn input_is_incomplete_only_when_more_text_could_finish_it() {
        for unfinished in [
            "p(X) :-",
            "p(X) :- q(X)",
            "p(X",
            "?- p(X)",
            "why",
            "rule r:",
            "p(a)\n  note",
            "p(a) @ 1992 # the year\n",
            "p(a) @ 1992 % the year\n  # and more\n",
        ] {
            assert!(
                is_incomplete(unfinished),
                "{unfinished:?} should want more input"
            );
        }
        for done in [
            "",
            "p(a).",
            "p(X) :- q(X).",
            "p(X)?",
            "# just a comment",
            "p(a). q(",
        ] {
            assert_eq!(is_incomplete(done), done.ends_with('('), "{done:?}");
        }
        for wrong in ["p(a) q.", "p(X) :- q(X) r.", "p(\"abc", "note(x)."] {
            assert!(
                !is_incomplete(wrong),
                "{wrong:?} is an error, not unfinished"
            );
        }
    }
}
