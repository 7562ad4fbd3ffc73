//! Tokens as nom parsers over `&str`: trivia, words, punctuation, numbers, strings, times.
//! Every token parser skips leading white space and comments first.

use nom::bytes::complete::take_while;
use nom::character::complete::satisfy;
use nom::combinator::recognize;
use nom::error::{ErrorKind, ParseError};
use nom::{Err, IResult, Parser};

use super::diagnostic::{Code, Diagnostic};

/// The reserved words of LANGUAGE.md §1.
pub const KEYWORDS: &[&str] = &[
    "rule", "when", "if", "and", "or", "not", "note", "source", "stream", "include", "input",
    "output", "from", "to", "retract", "why", "whynot", "whatif", "assert", "show", "count", "sum",
    "min", "max",
];

/// Whether `word` is reserved.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// What the parser carries when a production does not match.
#[derive(Debug)]
pub(crate) enum PError {
    /// Nothing matched at `rest` bytes before the end; `what` lists what would have.
    Expected {
        rest: usize,
        what: Vec<&'static str>,
    },
    /// A finished diagnostic (raised under `cut`, so it is final).
    Diag(Box<Diagnostic>),
}

impl PError {
    pub(crate) fn expected(input: &str, what: &'static str) -> PError {
        PError::Expected {
            rest: input.len(),
            what: vec![what],
        }
    }
}

impl<'a> ParseError<&'a str> for PError {
    fn from_error_kind(input: &'a str, _: ErrorKind) -> Self {
        PError::Expected {
            rest: input.len(),
            what: Vec::new(),
        }
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        match (self, other) {
            (d @ PError::Diag(_), _) | (_, d @ PError::Diag(_)) => d,
            (
                PError::Expected {
                    rest: a,
                    what: mut wa,
                },
                PError::Expected { rest: b, what: wb },
            ) => {
                if a == b {
                    for w in wb {
                        if !wa.contains(&w) {
                            wa.push(w);
                        }
                    }
                    PError::Expected { rest: a, what: wa }
                } else if a < b {
                    PError::Expected { rest: a, what: wa }
                } else {
                    PError::Expected { rest: b, what: wb }
                }
            }
        }
    }
}

/// The result type of every production.
pub(crate) type PResult<'a, T> = IResult<&'a str, T, PError>;

/// A recoverable mismatch: `alt` may try another branch.
pub(crate) fn fail<'a, T>(input: &'a str, what: &'static str) -> PResult<'a, T> {
    Err(Err::Error(PError::expected(input, what)))
}

/// Skips white space and `#` / `%` comments.
pub(crate) fn skip_trivia(mut i: &str) -> &str {
    loop {
        i = i.trim_start();
        if i.starts_with('#') || i.starts_with('%') {
            i = i.find('\n').map_or("", |n| &i[n..]);
        } else {
            return i;
        }
    }
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `[A-Za-z_][A-Za-z0-9_]*`, after trivia.
pub(crate) fn word(i: &str) -> PResult<'_, &str> {
    let i = skip_trivia(i);
    recognize((satisfy(is_word_start), take_while(is_word_char)))
        .parse(i)
        .or_else(|_: Err<PError>| fail(i, "a name"))
}

/// Exactly the keyword `kw` (a whole word), after trivia.
pub(crate) fn keyword<'a>(kw: &'static str) -> impl FnMut(&'a str) -> PResult<'a, &'a str> {
    move |i: &'a str| match word(i) {
        Ok((rest, w)) if w == kw => Ok((rest, w)),
        _ => fail(skip_trivia(i), kw),
    }
}

/// Exactly the punctuation `p`, after trivia, and not the start of a longer token
/// (`:` is not the start of `:-`, `<` not of `<=`).
pub(crate) fn punct<'a>(p: &'static str) -> impl FnMut(&'a str) -> PResult<'a, &'a str> {
    move |i: &'a str| {
        let i = skip_trivia(i);
        match i.strip_prefix(p) {
            Some(after) if !longer_token(p, after) => Ok((after, &i[..p.len()])),
            _ => fail(i, p),
        }
    }
}

fn longer_token(p: &str, after: &str) -> bool {
    match p {
        ":" | "?" => after.starts_with('-'),
        "<" | ">" | "!" => after.starts_with('='),
        "=" => after.starts_with('='),
        _ => false,
    }
}

/// A run of digits with an optional `.digits` fraction, after trivia (no sign).
pub(crate) fn number_text(i: &str) -> PResult<'_, &str> {
    let i = skip_trivia(i);
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let int = digits(i);
    if int == 0 {
        return fail(i, "a number");
    }
    let mut len = int;
    if i[len..].starts_with('.') && digits(&i[len + 1..]) > 0 {
        len += 1 + digits(&i[len + 1..]);
    }
    Ok((&i[len..], &i[..len]))
}

/// Digits and dashes (`1991-12-25`), after trivia: the text of a time literal.
pub(crate) fn time_text(i: &str) -> PResult<'_, &str> {
    let i = skip_trivia(i);
    if !i.starts_with(|c: char| c.is_ascii_digit()) {
        return fail(i, "a time");
    }
    let len = i
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(i.len());
    let len = i[..len].trim_end_matches('-').len();
    Ok((&i[len..], &i[..len]))
}

/// How a string literal failed to lex: the code and the byte range (from the
/// string's start) that is wrong.
pub(crate) struct StringError {
    pub code: Code,
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// A string literal starting exactly at `i` (no trivia): `(rest, value)` or what is wrong.
pub(crate) fn string_body(i: &str) -> Result<(&str, String), StringError> {
    let mut value = String::new();
    let mut chars = i.char_indices().skip(1);
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Ok((&i[at + 1..], value)),
            '\n' => break,
            '\\' => match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((end, other)) if other != '\n' => {
                    return Err(StringError {
                        code: Code::BadEscape,
                        start: at,
                        end: end + other.len_utf8(),
                        message: format!(
                            "unknown escape `\\{other}` (the escapes are \\\", \\\\, \\n and \\t)"
                        ),
                    })
                }
                _ => break,
            },
            // A control character would reach a terminal raw (an escape sequence clears the
            // screen or recolours it): strings hold printable text.
            c if crate::value::is_unprintable(c) => {
                return Err(StringError {
                    code: Code::UnexpectedChar,
                    start: at,
                    end: at + c.len_utf8(),
                    message: format!(
                        "{} in a string: strings hold printable text (write a line break as \\n, a tab as \\t)",
                        crate::value::unprintable_name(c)
                    ),
                })
            }
            c => value.push(c),
        }
    }
    Err(StringError {
        code: Code::UnclosedString,
        start: 0,
        end: 1,
        message: "unclosed string: the closing `\"` is missing on this line".to_string(),
    })
}

/// A short description of the next token, for "found …" in messages, and its length.
pub(crate) fn next_token(i: &str) -> (String, usize) {
    let i = skip_trivia(i);
    let Some(c) = i.chars().next() else {
        return ("end of input".to_string(), 0);
    };
    if is_word_start(c) {
        let len = i.find(|c: char| !is_word_char(c)).unwrap_or(i.len());
        return (format!("`{}`", &i[..len]), len);
    }
    if let Ok((rest, text)) = number_text(i) {
        return (format!("`{text}`"), i.len() - rest.len());
    }
    if c == '"' {
        let len = i[1..]
            .find(['"', '\n'])
            .map_or(i.len(), |n| (n + 2).min(i.len()));
        return ("a string".to_string(), len);
    }
    for p in [":-", "?-", "<=", ">=", "!=", "=="] {
        if i.starts_with(p) {
            return (format!("`{p}`"), 2);
        }
    }
    (format!("`{c}`"), c.len_utf8())
}
