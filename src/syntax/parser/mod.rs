//! The grammar of LANGUAGE.md as nom productions, one method per production.
//!
//! Every production skips leading trivia itself and returns the rest of the input right after
//! its last token, so a span is the distance between two rests. After the token that commits
//! to a production, `cut` turns mismatches into final errors. The module loop recovers at the
//! next statement end, so one run reports every syntax error of a text.

use std::cell::Cell;

use nom::branch::alt;
use nom::{Err, Parser as _};

use super::ast::*;
use super::diagnostic::{Code, Diagnostic};
use super::lexer::{
    fail, is_keyword, keyword, next_token, number_text, punct, skip_trivia, string_body, time_text,
    word, PError, PResult,
};
use super::source::{FileId, Span};
use crate::value::{Number, Time};

mod body;
mod statements;
mod terms;

/// The deepest nesting of expressions any [`ParseOptions::max_depth`] allows. Checking,
/// evaluating and explaining an expression recurse through it; at this depth they take
/// under 2 MiB of stack even in a debug build (a spawned thread's default), about 0.2 MiB
/// optimised. Deeper expressions are split with intermediate variables.
pub const MAX_DEPTH_CEILING: usize = 200;

/// Limits on reading rule texts and data files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// How deeply parentheses, braces, operators and calls may nest; at most 200, whatever
    /// is set.
    pub max_depth: usize,
    /// How many files one load may include (each counted once).
    pub max_includes: usize,
    /// The largest file, in bytes, that a load, an `include` or an `input` reads.
    pub max_file_bytes: u64,
    /// The longest line of a rule text, in bytes.
    pub max_line_bytes: usize,
    /// Whether the files a file names (`document`, `input`, `output`, an `include` of
    /// anything but a `.msf` rule file) must lie under that file's folder (a case from
    /// someone else reads and writes nothing else); `false` lets them reach anywhere.
    pub confine_paths: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 100,
            max_includes: 1_000,
            max_file_bytes: 256 * 1024 * 1024,
            max_line_bytes: 1024 * 1024,
            confine_paths: true,
        }
    }
}

fn is_variable_name(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
}

/// Decrements the nesting depth when a nested production ends, however it ends.
struct DepthGuard<'p>(&'p Cell<usize>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

/// Parser state for one text: where it lives, and how deep the current production nests.
pub(crate) struct Parser<'s> {
    src: &'s str,
    file: FileId,
    depth: Cell<usize>,
    options: ParseOptions,
}

impl<'s> Parser<'s> {
    pub(crate) fn new(src: &'s str, file: FileId, options: ParseOptions) -> Parser<'s> {
        Parser {
            src,
            file,
            depth: Cell::new(0),
            options,
        }
    }

    fn pos(&self, rest: &str) -> usize {
        self.src.len() - rest.len()
    }

    /// The span from `from` (a rest at a token start) to `to` (the rest after the last token).
    fn span(&self, from: &str, to: &str) -> Span {
        Span::new(self.file, self.pos(skip_trivia(from)), self.pos(to))
    }

    fn failure<T>(&self, d: Diagnostic) -> PResult<'s, T> {
        Err(Err::Failure(PError::Diag(Box::new(d))))
    }

    fn diag_at(&self, at: &str, code: Code, message: impl Into<String>) -> Diagnostic {
        let at = skip_trivia(at);
        let (_, len) = next_token(at);
        let start = self.pos(at);
        Diagnostic::new(code, Span::new(self.file, start, start + len), message)
    }

    fn enter(&self, at: &'s str) -> Result<DepthGuard<'_>, Err<PError>> {
        self.depth.set(self.depth.get() + 1);
        let guard = DepthGuard(&self.depth);
        let limit = self.options.max_depth.min(MAX_DEPTH_CEILING);
        if self.depth.get() > limit {
            let d = self.diag_at(
                at,
                Code::TooDeep,
                format!(
                    "nesting too deep: more than {limit} levels of parentheses, braces or operators"
                ),
            );
            let d = if limit < MAX_DEPTH_CEILING {
                d.with_hint(format!("split the expression with intermediate variables (`Y = …`), or raise the limit (`ParseOptions::max_depth`; at most {MAX_DEPTH_CEILING})"))
            } else {
                d.with_hint("split the expression with intermediate variables (`Y = …`): no setting reads deeper")
            };
            return Err(Err::Failure(PError::Diag(Box::new(d))));
        }
        Ok(guard)
    }

    // ----- the module and its recovery -----

    /// Parses the whole text, recovering at statement ends.
    pub(crate) fn module(&self) -> (Module, Vec<Diagnostic>) {
        let mut statements = Vec::new();
        let mut diagnostics = Vec::new();
        let mut i = self.src;
        loop {
            i = skip_trivia(i);
            if i.is_empty() {
                break;
            }
            match self.statement(i) {
                Ok((rest, s)) => {
                    statements.push(s);
                    i = rest;
                }
                Err(e) => {
                    let d = self.to_diagnostic(e, i);
                    i = self.recover(i, &d);
                    diagnostics.push(d);
                }
            }
        }
        statements.shrink_to_fit();
        (Module { statements }, diagnostics)
    }

    fn to_diagnostic(&self, e: Err<PError>, start: &str) -> Diagnostic {
        let e = match e {
            Err::Error(e) | Err::Failure(e) => e,
            Err::Incomplete(_) => PError::expected(start, "more input"),
        };
        match e {
            PError::Diag(d) => *d,
            PError::Expected { rest, what } => {
                let at = &self.src[self.src.len() - rest..];
                let (found, _) = next_token(at);
                if let Some(d) = self.unexpected_char(at) {
                    return d;
                }
                let message = if self.pos(skip_trivia(at)) == self.pos(start) {
                    format!("expected a fact, a rule, a query or a command, found {found}")
                } else if what.is_empty() {
                    format!("unexpected {found}")
                } else {
                    format!("expected {}, found {found}", list_expected(&what))
                };
                self.diag_at(at, Code::Expected, message)
            }
        }
    }

    /// E001 when the next character can begin no token at all.
    fn unexpected_char(&self, at: &str) -> Option<Diagnostic> {
        let c = skip_trivia(at).chars().next()?;
        (!is_token_start(c)).then(|| {
            self.diag_at(
                at,
                Code::UnexpectedChar,
                // Shown, never raw: an escape here reached the terminal.
                match crate::value::visible(c) {
                    v if v == c => format!("unexpected character `{c}`"),
                    v => format!("unexpected character `{v}` (U+{:04X})", u32::from(c)),
                },
            )
            .with_hint(
                "names, numbers and punctuation are ASCII; other text belongs in a \"string\"",
            )
        })
    }

    /// Where to resume after an error in the statement starting at `start`: after the next
    /// statement end, or, for a missing `.`, at the next line's statement.
    fn recover(&self, start: &'s str, d: &Diagnostic) -> &'s str {
        if d.code == Code::MissingPeriod {
            let after = &self.src[d.span.end as usize..];
            let next = skip_trivia(after);
            let gap = &after[..after.len() - next.len()];
            if gap.contains('\n') && self.pos(next) > self.pos(start) {
                return next;
            }
        }
        let mut i = start;
        loop {
            i = skip_trivia(i);
            let Some(c) = i.chars().next() else {
                return i;
            };
            if c == '"' {
                // An unclosed string spoils the rest of its line only: resume on the next.
                match string_body(i) {
                    Ok((rest, _)) => i = rest,
                    Err(_) => return i.find('\n').map_or("", |n| &i[n..]),
                }
            } else if let Ok((rest, _)) = number_text(i).or_else(|_| word(i)) {
                i = rest;
            } else if i.starts_with("?-") {
                i = &i[2..];
            } else if c == '.' || c == '?' {
                return &i[1..];
            } else {
                i = &i[c.len_utf8()..];
            }
        }
    }

    // ----- statements -----

    fn statement(&self, i: &'s str) -> PResult<'s, Statement> {
        let start = skip_trivia(i);
        if start.starts_with("?-") {
            return self.prefixed_query(start);
        }
        if let Ok((rest, w)) = word(start) {
            // `min(…)` and `max(…)` are functions, and may open a comparison (`min(A, B) < 3?`);
            // used as predicates they are caught where the literal ends.
            if is_keyword(w) && !matches!(w, "min" | "max") && punct("(")(rest).is_ok() {
                return self.failure(self.reserved(start, w, "name a predicate"));
            }
            match w {
                "rule" => return self.named_rule(start),
                "stream" => return self.stream_decl(start),
                "include" => return self.include(start),
                "input" => return self.input_decl(start),
                "output" => return self.output_decl(start),
                "why" => return self.why(start),
                "whynot" => return self.whynot(start),
                "retract" => return self.retract(start),
                "whatif" => return self.whatif(start),
                // `document NAME "path"`: the word is a keyword only when a name follows.
                "document" if matches!(word(rest), Ok((_, w)) if !w.is_empty()) => {
                    return self.document_decl(start)
                }
                _ => {}
            }
        }
        self.clause(start)
    }

    fn reserved(&self, at: &str, w: &str, role: &str) -> Diagnostic {
        self.diag_at(
            at,
            Code::ReservedWord,
            format!("`{w}` is a reserved word and cannot {role}"),
        )
        .with_hint("rename it: the reserved words of the language cannot be names")
    }

    /// The final `.` of a statement; a missing one is reported just after the last token.
    fn end(&self, i: &'s str, what: &str) -> PResult<'s, ()> {
        match punct(".")(i) {
            Ok((rest, _)) => Ok((rest, ())),
            Err(_) => {
                if let Some(d) = self.unexpected_char(i) {
                    return self.failure(d);
                }
                let at = self.pos(i);
                let (found, _) = next_token(i);
                self.failure(Diagnostic::new(
                    Code::MissingPeriod,
                    Span::new(self.file, at, at),
                    format!("expected `.` to end the {what}, found {found}"),
                ))
            }
        }
    }
}

/// Whether a character can begin some token of the language.
fn is_token_start(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_\"(){},.;:?@=<>!+-*/".contains(c)
}

fn cmp_op(i: &str) -> PResult<'_, CmpOp> {
    let (rest, op) = alt((
        punct("<="),
        punct(">="),
        punct("!="),
        punct("<"),
        punct(">"),
        punct("="),
    ))
    .parse(i)?;
    let op = match op {
        "<=" => CmpOp::Le,
        ">=" => CmpOp::Ge,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        ">" => CmpOp::Gt,
        _ => CmpOp::Eq,
    };
    Ok((rest, op))
}

/// Turns a recoverable mismatch into a final one (inside a committed production).
fn cut_error(e: Err<PError>) -> Err<PError> {
    match e {
        Err::Error(e) => Err::Failure(e),
        other => other,
    }
}

fn push_flat(literals: &mut Vec<Literal>, literal: Literal) {
    match literal {
        Literal::Or(mut alternatives, _) if alternatives.len() == 1 => {
            literals.append(&mut alternatives[0]);
        }
        other => literals.push(other),
    }
}

fn capitalise(w: &str) -> String {
    let mut chars = w.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn list_expected(what: &[&str]) -> String {
    let shown: Vec<String> = what
        .iter()
        .map(|w| {
            if w.starts_with("a ")
                || w.starts_with("an ")
                || w.starts_with("the ")
                || w.starts_with("more ")
            {
                w.to_string()
            } else {
                format!("`{w}`")
            }
        })
        .collect();
    match shown.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path for plain facts must build exactly the tree of the general grammar, and
    /// step aside for everything it does not read.
    #[test]
    fn plain_facts_read_as_the_general_grammar_reads_them() {
        let plain = [
            "p.",
            "p(a).",
            "event(e17, t3) @ 2005-07.",
            "  edge( 1 ,2 )  @1992 .",
            "gdp(horgos, 2023, 3.2) @ 1991-12-25.",
            "p(a) # comment\n  @ 2005.",
            "p(a, 007, b_2, cA).",
        ];
        for text in plain {
            let parser = Parser::new(text, FileId(0), ParseOptions::default());
            let fast = parser.plain_fact(text).expect("read by the fast path");
            let general = parser.general_clause(skip_trivia(text)).expect("valid");
            assert_eq!(fast, general, "{text:?}");
        }
        let left_to_the_general_grammar = [
            "p(X).",
            "p(_).",
            "p(-1).",
            "p(2005-07).",
            "p(f(a)).",
            "p(\"s\").",
            "p(a) note \"n\".",
            "p(a) @ 2005-13.",
            "p(a) @ T.",
            "p(99999999999999999999).",
            "p(a) :- q(a).",
            "p(a)?",
            "note(a).",
            "p().",
            "p(a) @ 2005 + 1.",
            "p(a)",
        ];
        for text in left_to_the_general_grammar {
            let parser = Parser::new(text, FileId(0), ParseOptions::default());
            assert!(parser.plain_fact(text).is_none(), "{text:?}");
        }
    }
}
