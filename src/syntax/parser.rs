//! The grammar of LANGUAGE.md as nom productions, one method per production.
//!
//! Every production skips leading trivia itself and returns the rest of the input right after
//! its last token, so a span is the distance between two rests. After the token that commits
//! to a production, `cut` turns mismatches into final errors. The module loop recovers at the
//! next statement end, so one run reports every syntax error of a text.

use std::cell::Cell;

use nom::branch::alt;
use nom::combinator::cut;
use nom::{Err, Parser as _};

use super::ast::*;
use super::diagnostic::{Code, Diagnostic};
use super::lexer::{
    fail, is_keyword, keyword, next_token, number_text, punct, skip_trivia, string_body, time_text,
    word, PError, PResult,
};
use super::source::{FileId, Span};
use crate::value::{Number, Time};

/// Limits on reading rule texts and data files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// How deeply parentheses, braces, operators and calls may nest.
    pub max_depth: usize,
    /// How many files one load may include (each counted once).
    pub max_includes: usize,
    /// The largest file, in bytes, that a load, an `include` or an `input` reads.
    pub max_file_bytes: u64,
    /// The longest line of a rule text, in bytes.
    pub max_line_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 100,
            max_includes: 1_000,
            max_file_bytes: 256 * 1024 * 1024,
            max_line_bytes: 1024 * 1024,
        }
    }
}

/// The functions expressions may call, with their number of arguments.
pub const FUNCTIONS: &[(&str, usize)] = &[
    ("year", 1),
    ("month", 1),
    ("day", 1),
    ("min", 2),
    ("max", 2),
];

fn is_time_function(name: &str) -> bool {
    matches!(name, "year" | "month" | "day")
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
        if self.depth.get() > self.options.max_depth {
            let d = self
                .diag_at(
                    at,
                    Code::TooDeep,
                    format!(
                        "nesting too deep: more than {} levels of parentheses, braces or operators",
                        self.options.max_depth
                    ),
                )
                .with_hint("split the expression with intermediate variables (`Y = …`), or raise the limit with --max-nesting");
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
                format!("unexpected character `{c}`"),
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

    /// A fact, a rule written `head :- body.`, or a query written `body?`.
    fn clause(&self, start: &'s str) -> PResult<'s, Statement> {
        match self.plain_fact(start) {
            Some(fact) => Ok(fact),
            None => self.general_clause(start),
        }
    }

    /// [`Parser::clause`] through the general grammar.
    fn general_clause(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, body) = self.body(start)?;
        if let Ok((rest, _)) = punct("?")(i) {
            return Ok((
                rest,
                Statement::Query(Query {
                    body,
                    short: true,
                    span: self.span(start, rest),
                }),
            ));
        }
        if let Ok((rest, _)) = alt((punct(":-"), keyword("when"), keyword("if"))).parse(i) {
            let head = self.single_atom(body, start, i, "the head of a rule")?;
            return self.rule_rest(start, None, head, rest);
        }
        let atom = self.single_atom(body, start, i, "a fact")?;
        let (i, (note, source)) = self.annotations(i)?;
        let (rest, ()) = self.end(i, "fact")?;
        Ok((
            rest,
            Statement::Fact(Fact {
                atom,
                note,
                source,
                span: self.span(start, rest),
            }),
        ))
    }

    /// A fact of names and unsigned numbers with an optional time and nothing else
    /// (`event(e17, t3) @ 2005-07.`), the bulk of a large case, read without the expression
    /// grammar. It gives the tree the general path gives; anything else, errors included, is
    /// left to that path (`None`).
    fn plain_fact(&self, start: &'s str) -> Option<(&'s str, Statement)> {
        let name = |s: &'s str| -> Option<(&'s str, Ident)> {
            let s = skip_trivia(s);
            let (rest, w) = word(s).ok()?;
            if w == "_" || is_variable_name(w) || is_keyword(w) {
                return None;
            }
            let span = self.span(s, rest);
            Some((
                rest,
                Ident {
                    name: w.to_string(),
                    span,
                },
            ))
        };
        let (mut i, pred) = name(start)?;
        let mut args = Vec::new();
        if let Ok((rest, _)) = punct("(")(i) {
            i = rest;
            loop {
                let s = skip_trivia(i);
                let (rest, arg) = if s.starts_with(|c: char| c.is_ascii_digit()) {
                    let (rest, text) = number_text(s).ok()?;
                    let n = Number::parse(text).ok()?;
                    (rest, Expr::Number(n, self.span(s, rest)))
                } else {
                    let (rest, ident) = name(s)?;
                    (rest, Expr::Symbol(ident))
                };
                args.push(arg);
                match alt((punct(","), punct(")"))).parse(rest) {
                    Ok((rest, ",")) => i = rest,
                    Ok((rest, _)) => {
                        args.shrink_to_fit();
                        i = rest;
                        break;
                    }
                    Err(_) => return None,
                }
            }
        }
        let (i, time) = match punct("@")(i) {
            Ok((rest, _)) => {
                let s = skip_trivia(rest);
                let (rest, text) = time_text(s).ok()?;
                let time = Time::parse(text).ok()?;
                (rest, Some(Expr::Time(time, self.span(s, rest))))
            }
            Err(_) => (i, None),
        };
        let (rest, _) = punct(".")(i).ok()?;
        let atom = Atom {
            pred,
            args,
            time,
            span: self.span(start, i),
        };
        Some((
            rest,
            Statement::Fact(Fact {
                atom,
                note: None,
                source: None,
                span: self.span(start, rest),
            }),
        ))
    }

    fn single_atom(
        &self,
        mut body: Vec<Literal>,
        start: &'s str,
        end: &'s str,
        what: &str,
    ) -> Result<Atom, Err<PError>> {
        if body.len() == 1 {
            if let Literal::Atom(atom) = body.remove(0) {
                return Ok(atom);
            }
        } else if what == "a fact" {
            let d = Diagnostic::new(
                Code::Expected,
                self.span(start, end),
                "a list of conditions is not a statement",
            )
            .with_hint("to ask whether they hold, write `?- …` in front or end with `?`");
            return Err(Err::Failure(PError::Diag(Box::new(d))));
        }
        let d = Diagnostic::new(
            Code::Expected,
            self.span(start, end),
            format!("expected {what}: one atom such as `p(a, b)`"),
        );
        Err(Err::Failure(PError::Diag(Box::new(d))))
    }

    fn rule_rest(
        &self,
        start: &'s str,
        name: Option<Ident>,
        head: Atom,
        i: &'s str,
    ) -> PResult<'s, Statement> {
        let (i, body) = cut(|i| self.body(i)).parse(i)?;
        let (i, (note, source)) = self.annotations(i)?;
        let (rest, ()) = self.end(i, "rule")?;
        Ok((
            rest,
            Statement::Rule(Box::new(Rule {
                name,
                head,
                body,
                note,
                source,
                span: self.span(start, rest),
            })),
        ))
    }

    /// `rule NAME: head when body [note …] [source …].`
    fn named_rule(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("rule")(start)?;
        let (i, name) = self.ident(i, "a rule name", "name a rule")?;
        let (i, _) = cut(punct(":")).parse(i)?;
        let (i, head) = cut(|i| self.atom(i)).parse(i)?;
        let (i, _) = alt((punct(":-"), keyword("when"), keyword("if")))
            .parse(i)
            .or_else(|_: Err<PError>| {
                let (found, _) = next_token(i);
                self.failure(self.diag_at(
                    i,
                    Code::Expected,
                    format!("expected `when`, `if` or `:-` after the rule head, found {found}"),
                ))
            })?;
        self.rule_rest(start, Some(name), head, i)
    }

    /// `note "…"` and `source "…"`, each at most once, in either order.
    fn annotations(&self, mut i: &'s str) -> PResult<'s, (Option<StringLit>, Option<StringLit>)> {
        let (mut note, mut source) = (None, None);
        loop {
            let (rest, which) = match alt((keyword("note"), keyword("source"))).parse(i) {
                Ok(found) => found,
                Err(_) => return Ok((i, (note, source))),
            };
            let (rest, text) = cut(|i| self.string(i)).parse(rest)?;
            let slot = if which == "note" {
                &mut note
            } else {
                &mut source
            };
            if slot.is_some() {
                let d = Diagnostic::new(
                    Code::DuplicateAnnotation,
                    self.span(i, rest),
                    format!("`{which}` is given twice"),
                )
                .with_hint(format!("keep one `{which}`"));
                return self.failure(d);
            }
            *slot = Some(text);
            i = rest;
        }
    }

    /// `?- body.`
    fn prefixed_query(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = punct("?-")(start)?;
        let (i, body) = cut(|i| self.body(i)).parse(i)?;
        let (rest, ()) = self.end(i, "query")?;
        Ok((
            rest,
            Statement::Query(Query {
                body,
                short: false,
                span: self.span(start, rest),
            }),
        ))
    }

    /// `stream NAME ["Label"]: pred/arity, … .`
    fn stream_decl(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("stream")(start)?;
        let (i, name) = self.ident(i, "a lane name", "name a lane")?;
        let label_start = i;
        let (i, label) = match self.string(i) {
            Ok((rest, s)) => (rest, Some(s)),
            Err(Err::Failure(e)) => return Err(Err::Failure(e)),
            Err(_) => (label_start, None),
        };
        let (i, _) = cut(punct(":")).parse(i)?;
        let (i, preds) = self.list(i, |i| self.pred_ref(i, true))?;
        let (rest, ()) = self.end(i, "stream declaration")?;
        Ok((
            rest,
            Statement::Stream(StreamDecl {
                name,
                label,
                preds,
                span: self.span(start, rest),
            }),
        ))
    }

    /// `include "path".`
    fn include(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("include")(start)?;
        let (i, path) = cut(|i| self.string(i)).parse(i)?;
        let (rest, ()) = self.end(i, "include")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Include(Include { path, span })))
    }

    /// `input pred/N from "path".`
    fn input_decl(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("input")(start)?;
        let (i, pred) = self.pred_ref(i, true)?;
        let (i, _) = cut(keyword("from")).parse(i)?;
        let (i, path) = cut(|i| self.string(i)).parse(i)?;
        let (rest, ()) = self.end(i, "input declaration")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Input(InputDecl { pred, path, span })))
    }

    /// `output pred to "path".`
    fn output_decl(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("output")(start)?;
        let (i, pred) = self.pred_ref(i, false)?;
        let (i, _) = cut(keyword("to")).parse(i)?;
        let (i, path) = cut(|i| self.string(i)).parse(i)?;
        let (rest, ()) = self.end(i, "output declaration")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Output(OutputDecl { pred, path, span })))
    }

    /// `why atom [@ TIME] [depth N].`
    fn why(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("why")(start)?;
        let (mut i, atom) = cut(|i| self.atom(i)).parse(i)?;
        let mut depth = None;
        if let Ok((rest, "depth")) = word(i) {
            let (rest, n) = self.whole_number(rest, "the number of levels to show")?;
            depth = Some(n);
            i = rest;
        }
        let (rest, ()) = self.end(i, "`why`")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Why(Box::new(Why { atom, depth, span }))))
    }

    /// `whynot atom [@ TIME].`
    fn whynot(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("whynot")(start)?;
        let (i, atom) = cut(|i| self.atom(i)).parse(i)?;
        let (rest, ()) = self.end(i, "`whynot`")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::WhyNot(Box::new(WhyNot { atom, span }))))
    }

    /// `retract atom [@ TIME], … .`
    fn retract(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("retract")(start)?;
        let (i, atoms) = self.list(i, |i| self.atom(i))?;
        let (rest, ()) = self.end(i, "`retract`")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Retract(Retract { atoms, span })))
    }

    /// `whatif retract|assert atom, … [show pred, …].`
    fn whatif(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("whatif")(start)?;
        let change_kind = |i: &'s str| match alt((keyword("retract"), keyword("assert"))).parse(i) {
            Ok((rest, "assert")) => (rest, Some(ChangeKind::Assert)),
            Ok((rest, _)) => (rest, Some(ChangeKind::Retract)),
            Err(_) => (i, None),
        };
        let (mut i, first) = change_kind(i);
        let Some(mut kind) = first else {
            let (found, _) = next_token(i);
            return self.failure(self.diag_at(
                i,
                Code::Expected,
                format!("expected `retract` or `assert` after `whatif`, found {found}"),
            ));
        };
        let mut changes = Vec::new();
        loop {
            let (rest, atom) = cut(|i| self.atom(i)).parse(i)?;
            changes.push(Change { kind, atom });
            i = rest;
            let Ok((rest, _)) = punct(",")(i) else { break };
            let (rest, next) = change_kind(rest);
            kind = next.unwrap_or(kind);
            i = rest;
        }
        let mut show = Vec::new();
        if let Ok((rest, _)) = keyword("show")(i) {
            let (rest, preds) = self.list(rest, |i| self.pred_ref(i, false))?;
            show = preds;
            i = rest;
        }
        let (rest, ()) = self.end(i, "`whatif`")?;
        let span = self.span(start, rest);
        Ok((
            rest,
            Statement::WhatIf(WhatIf {
                changes,
                show,
                span,
            }),
        ))
    }

    /// One or more items separated by `,` (committed: each item must parse).
    fn list<T>(
        &self,
        mut i: &'s str,
        mut item: impl FnMut(&'s str) -> PResult<'s, T>,
    ) -> PResult<'s, Vec<T>> {
        let mut items = Vec::new();
        loop {
            let (rest, x) = cut(&mut item).parse(i)?;
            items.push(x);
            match punct(",")(rest) {
                Ok((rest, _)) => i = rest,
                Err(_) => return Ok((rest, items)),
            }
        }
    }

    // ----- names, strings, numbers -----

    /// A lower-case name that is not a keyword (committed).
    fn ident(&self, i: &'s str, what: &'static str, role: &str) -> PResult<'s, Ident> {
        let start = skip_trivia(i);
        match word(start) {
            Ok((_, w)) if is_keyword(w) => self.failure(self.reserved(start, w, role)),
            Ok((rest, w)) if !is_variable_name(w) => Ok((
                rest,
                Ident {
                    name: w.to_string(),
                    span: self.span(start, rest),
                },
            )),
            Ok((_, w)) => self.failure(
                self.diag_at(
                    start,
                    Code::Expected,
                    format!("expected {what}, found the variable `{w}`"),
                )
                .with_hint("names start with a lower-case letter"),
            ),
            Err(_) => {
                let (found, _) = next_token(start);
                self.failure(self.diag_at(
                    start,
                    Code::Expected,
                    format!("expected {what}, found {found}"),
                ))
            }
        }
    }

    /// `pred` or `pred/N`; with `need_arity`, the `/N` is required.
    fn pred_ref(&self, i: &'s str, need_arity: bool) -> PResult<'s, PredRef> {
        let start = skip_trivia(i);
        let (i, name) = self.ident(start, "a predicate name", "name a predicate")?;
        let (i, arity) = match punct("/")(i) {
            Ok((rest, _)) => {
                let (rest, n) = self.whole_number(rest, "the number of arguments")?;
                (rest, Some(n))
            }
            Err(_) if need_arity => {
                return self.failure(
                    self.diag_at(
                        i,
                        Code::Expected,
                        format!(
                            "expected `/` and the number of arguments after `{}`",
                            name.name
                        ),
                    )
                    .with_hint(format!(
                        "write `{}/2` for a predicate of two arguments",
                        name.name
                    )),
                )
            }
            Err(_) => (i, None),
        };
        Ok((
            i,
            PredRef {
                name,
                arity,
                span: self.span(start, i),
            },
        ))
    }

    /// A non-negative integer that fits in `u32` (committed).
    fn whole_number(&self, i: &'s str, what: &str) -> PResult<'s, u32> {
        match number_text(i) {
            Ok((rest, text)) => match text.parse::<u32>() {
                Ok(n) => Ok((rest, n)),
                Err(_) => self.failure(self.diag_at(
                    i,
                    Code::BadNumber,
                    format!("expected a whole number for {what}, found `{text}`"),
                )),
            },
            Err(_) => {
                let (found, _) = next_token(i);
                self.failure(self.diag_at(
                    i,
                    Code::Expected,
                    format!("expected a whole number for {what}, found {found}"),
                ))
            }
        }
    }

    /// A string literal; a malformed one is a final error.
    fn string(&self, i: &'s str) -> PResult<'s, StringLit> {
        let start = skip_trivia(i);
        if !start.starts_with('"') {
            return fail(start, "a string");
        }
        match string_body(start) {
            Ok((rest, value)) => Ok((
                rest,
                StringLit {
                    value,
                    span: self.span(start, rest),
                },
            )),
            Err(e) => {
                let at = self.pos(start);
                self.failure(Diagnostic::new(
                    e.code,
                    Span::new(self.file, at + e.start, at + e.end),
                    e.message,
                ))
            }
        }
    }

    fn number(&self, i: &'s str, negative: bool) -> PResult<'s, Expr> {
        let start = skip_trivia(i);
        let (rest, text) = number_text(start)?;
        let text = if negative {
            format!("-{text}")
        } else {
            text.to_string()
        };
        let begin = if negative {
            self.pos(start) - 1
        } else {
            self.pos(start)
        };
        let span = Span::new(self.file, begin, self.pos(rest));
        match Number::parse(&text) {
            Ok(n) => Ok((rest, Expr::Number(n, span))),
            Err(e) => self.failure(Diagnostic::new(Code::BadNumber, span, e.to_string())),
        }
    }

    /// A time literal (`1992`, `2005-07`, `1991-12-25`), calendar-checked.
    fn time(&self, i: &'s str) -> PResult<'s, Expr> {
        let start = skip_trivia(i);
        let (rest, text) = time_text(start)?;
        let span = self.span(start, rest);
        match Time::parse(text) {
            Ok(t) => Ok((rest, Expr::Time(t, span))),
            Err(e) => self.failure(Diagnostic::new(Code::BadTime, span, e.to_string())),
        }
    }

    // ----- atoms and literals -----

    /// `pred`, `pred(args)`, optionally `@ TIME`.
    fn atom(&self, i: &'s str) -> PResult<'s, Atom> {
        let start = skip_trivia(i);
        let (i, pred) = match word(start) {
            Ok((_, w)) if is_keyword(w) => {
                return self.failure(self.reserved(start, w, "name a predicate"))
            }
            Ok((rest, w)) if !is_variable_name(w) => (
                rest,
                Ident {
                    name: w.to_string(),
                    span: self.span(start, rest),
                },
            ),
            _ => return fail(start, "an atom"),
        };
        let (i, args) = match punct("(")(i) {
            Ok(_) => self.args(&pred.name, i)?,
            Err(_) => (i, Vec::new()),
        };
        self.atom_time(start, pred, args, i)
    }

    /// The optional `@ TIME` after an atom, then the finished atom.
    fn atom_time(
        &self,
        start: &'s str,
        pred: Ident,
        args: Vec<Expr>,
        i: &'s str,
    ) -> PResult<'s, Atom> {
        let (i, time) = match punct("@")(i) {
            Ok((rest, _)) => {
                let (rest, t) = self.time_expr(rest)?;
                (rest, Some(t))
            }
            Err(_) => (i, None),
        };
        Ok((
            i,
            Atom {
                pred,
                args,
                time,
                span: self.span(start, i),
            },
        ))
    }

    /// `( arg, … )` after a predicate or function name; `i` is at the `(`.
    fn args(&self, name: &str, i: &'s str) -> PResult<'s, Vec<Expr>> {
        let (mut i, _) = punct("(")(i)?;
        let _guard = self.enter(i)?;
        let mut args = Vec::new();
        if let Ok((rest, _)) = punct(")")(i) {
            return Ok((rest, args));
        }
        loop {
            let (rest, arg) = cut(|i| self.arg(name, i)).parse(i)?;
            args.push(arg);
            i = rest;
            match alt((punct(","), punct(")"))).parse(i) {
                Ok((rest, ",")) => i = rest,
                Ok((rest, _)) => {
                    // Exactly as long as it is: a base of a million facts keeps every list.
                    args.shrink_to_fit();
                    return Ok((rest, args));
                }
                Err(e) => return Err(cut_error(e)),
            }
        }
    }

    fn arg(&self, name: &str, i: &'s str) -> PResult<'s, Expr> {
        let start = skip_trivia(i);
        if let Ok((rest, w)) = word(start) {
            if is_keyword(w) && punct("(")(rest).is_err() {
                return self.failure(
                    self.diag_at(
                        start,
                        Code::ReservedWord,
                        format!("`{w}` is a reserved word and cannot be a constant"),
                    )
                    .with_hint(format!("write it as a string: \"{w}\"")),
                );
            }
        }
        if is_time_function(name) {
            if let Ok((rest, text)) = time_text(start) {
                if text.contains('-') && skip_trivia(rest).starts_with([')', ',']) {
                    return self.time(start);
                }
            }
        }
        self.expr(start)
    }

    /// A whole body: conjunctions separated by `;` / `or`.
    fn body(&self, i: &'s str) -> PResult<'s, Vec<Literal>> {
        let start = skip_trivia(i);
        let (mut i, first) = self.conjunction(start)?;
        let mut alternatives = vec![first];
        while let Ok((rest, _)) = alt((punct(";"), keyword("or"))).parse(i) {
            let (rest, next) = cut(|i| self.conjunction(i)).parse(rest)?;
            alternatives.push(next);
            i = rest;
        }
        if alternatives.len() == 1 {
            return Ok((i, alternatives.remove(0)));
        }
        Ok((i, vec![Literal::Or(alternatives, self.span(start, i))]))
    }

    /// Literals separated by `,` / `and`; a parenthesised conjunction is flattened.
    fn conjunction(&self, i: &'s str) -> PResult<'s, Vec<Literal>> {
        let (mut i, first) = self.literal(i)?;
        let mut literals = Vec::new();
        push_flat(&mut literals, first);
        while let Ok((rest, _)) = alt((punct(","), keyword("and"))).parse(i) {
            let (rest, next) = cut(|i| self.literal(i)).parse(rest)?;
            push_flat(&mut literals, next);
            i = rest;
        }
        Ok((i, literals))
    }

    /// `not atom`, a comparison, an aggregate, an atom, or `( body )`.
    fn literal(&self, i: &'s str) -> PResult<'s, Literal> {
        let start = skip_trivia(i);
        if let Ok((rest, _)) = keyword("not")(start) {
            let (rest, atom) = self.atom(rest).map_err(|e| match e {
                Err::Error(_) => {
                    let (found, _) = next_token(rest);
                    Err::Failure(PError::Diag(Box::new(self.diag_at(
                        rest,
                        Code::Expected,
                        format!("expected an atom after `not`, found {found}"),
                    ))))
                }
                other => other,
            })?;
            return Ok((rest, Literal::Not(atom, self.span(start, rest))));
        }
        alt((|i| self.comparison_or_atom(i), |i| self.group(i)))
            .parse(start)
            .map_err(|e| match e {
                Err::Error(PError::Expected { rest, .. }) if rest == start.len() => {
                    Err::Error(PError::Expected {
                        rest,
                        what: vec!["a condition (an atom, a comparison or `not`)"],
                    })
                }
                other => other,
            })
    }

    /// `( body )` as one literal.
    fn group(&self, i: &'s str) -> PResult<'s, Literal> {
        let start = skip_trivia(i);
        let (i, _) = punct("(")(start)?;
        let _guard = self.enter(i)?;
        let (i, mut body) = cut(|i| self.body(i)).parse(i)?;
        let (rest, _) = cut(punct(")")).parse(i)?;
        let span = self.span(start, rest);
        let alternatives = match body.pop() {
            Some(Literal::Or(alternatives, _)) if body.is_empty() => alternatives,
            Some(last) => {
                body.push(last);
                vec![body]
            }
            None => vec![body],
        };
        Ok((rest, Literal::Or(alternatives, span)))
    }

    /// An expression followed by a comparison (or `= aggregate`), or an atom.
    fn comparison_or_atom(&self, i: &'s str) -> PResult<'s, Literal> {
        let start = skip_trivia(i);
        let (i, lhs) = self.expr(start)?;
        if let Ok((rest, op)) = cmp_op(i) {
            if op == CmpOp::Eq {
                if let Some(found) = self.aggregate(start, &lhs, rest)? {
                    return Ok(found);
                }
            }
            let (rest, rhs) = cut(|i| self.expr(i)).parse(rest)?;
            let span = self.span(start, rest);
            return Ok((rest, Literal::Compare(Comparison { op, lhs, rhs, span })));
        }
        let (pred, args) = match lhs {
            Expr::Symbol(pred) => (pred, Vec::new()),
            Expr::Call(call) => (call.name, call.args),
            _ => return fail(i, "a comparison operator"),
        };
        if is_keyword(&pred.name) {
            return self.failure(self.reserved(start, &pred.name, "name a predicate"));
        }
        let (rest, atom) = self.atom_time(start, pred, args, i)?;
        Ok((rest, Literal::Atom(atom)))
    }

    /// `count { body }` or `sum|min|max X { body }` after `Result =`, if that is what follows.
    fn aggregate(
        &self,
        start: &'s str,
        result: &Expr,
        i: &'s str,
    ) -> Result<Option<(&'s str, Literal)>, Err<PError>> {
        let func_start = skip_trivia(i);
        let (i, func) = match word(func_start) {
            Ok((rest, "count")) => (rest, AggFunc::Count),
            Ok((rest, w @ ("sum" | "min" | "max"))) if punct("(")(rest).is_err() => (
                rest,
                match w {
                    "sum" => AggFunc::Sum,
                    "min" => AggFunc::Min,
                    _ => AggFunc::Max,
                },
            ),
            _ => return Ok(None),
        };
        let result = self.variable_expected(result, func.keyword(), "receive the result")?;
        let (i, target) = if func == AggFunc::Count {
            (i, None)
        } else {
            let target_start = skip_trivia(i);
            let (rest, target) = cut(|i| self.unary(i)).parse(target_start)?;
            let var =
                self.variable_expected(&target, func.keyword(), "name the values to aggregate")?;
            (rest, Some(var))
        };
        let (i, _) = cut(punct("{")).parse(i)?;
        let _guard = self.enter(i)?;
        let (i, body) = cut(|i| self.body(i)).parse(i)?;
        let (rest, _) = cut(punct("}")).parse(i)?;
        let span = self.span(start, rest);
        Ok(Some((
            rest,
            Literal::Aggregate(Aggregate {
                result,
                func,
                target,
                body,
                span,
            }),
        )))
    }

    /// The expression must be a variable; a lower-case word gets the upper-case hint.
    fn variable_expected(&self, e: &Expr, func: &str, role: &str) -> Result<Var, Err<PError>> {
        match e {
            Expr::Var(v) => Ok(v.clone()),
            other => {
                let mut d = Diagnostic::new(
                    Code::ExpectedVariable,
                    other.span(),
                    format!("expected a variable to {role} with `{func}`"),
                );
                if let Expr::Symbol(s) = other {
                    d = d.with_hint(format!(
                        "variables start with an upper-case letter: `{}`",
                        capitalise(&s.name)
                    ));
                }
                Err(Err::Failure(PError::Diag(Box::new(d))))
            }
        }
    }

    // ----- expressions -----

    /// A time position after `@`: a time or a variable, shifted by whole years.
    fn time_expr(&self, i: &'s str) -> PResult<'s, Expr> {
        let start = skip_trivia(i);
        let (mut i, mut e) = match word(start) {
            Ok((rest, "_")) => (rest, Expr::Wildcard(self.span(start, rest))),
            Ok((rest, w)) if is_variable_name(w) => (
                rest,
                Expr::Var(Var {
                    name: w.to_string(),
                    span: self.span(start, rest),
                }),
            ),
            Ok((_, w)) => {
                return self.failure(
                    self.diag_at(
                        start,
                        Code::ExpectedVariable,
                        format!("expected a time or a variable after `@`, found `{w}`"),
                    )
                    .with_hint(format!(
                        "variables start with an upper-case letter: `{}`",
                        capitalise(w)
                    )),
                )
            }
            Err(_) => match self.time(start) {
                Ok(found) => found,
                Err(Err::Error(_)) => {
                    let (found, _) = next_token(start);
                    return self.failure(self.diag_at(
                        start,
                        Code::Expected,
                        format!("expected a time (YYYY, YYYY-MM or YYYY-MM-DD) or a variable after `@`, found {found}"),
                    ));
                }
                Err(e) => return Err(e),
            },
        };
        let mut guards = Vec::new();
        while let Ok((rest, op)) = alt((punct("+"), punct("-"))).parse(i) {
            guards.push(self.enter(rest)?);
            let (rest, years) = match self.number(rest, false) {
                Ok((rest, n @ Expr::Number(Number::Int(_), _))) => (rest, n),
                _ => {
                    return self.failure(self.diag_at(
                        rest,
                        Code::Expected,
                        format!("expected a whole number of years after `{op}`"),
                    ))
                }
            };
            let op = if op == "+" { BinOp::Add } else { BinOp::Sub };
            let span = e.span().to(years.span());
            e = Expr::Binary(Box::new(Binary {
                op,
                lhs: e,
                rhs: years,
                span,
            }));
            i = rest;
        }
        Ok((i, e))
    }

    /// `+` and `-`, left-associative.
    fn expr(&self, i: &'s str) -> PResult<'s, Expr> {
        self.binary_level(i, 1)
    }

    /// One precedence level of left-associative binary operators.
    fn binary_level(&self, i: &'s str, level: u8) -> PResult<'s, Expr> {
        let operand = |i| {
            if level == 1 {
                self.binary_level(i, 2)
            } else {
                self.unary(i)
            }
        };
        let (mut i, mut lhs) = operand(i)?;
        let mut guards = Vec::new();
        loop {
            let found = if level == 1 {
                alt((punct("+"), punct("-"))).parse(i)
            } else {
                alt((punct("*"), punct("/"))).parse(i)
            };
            let Ok((rest, symbol)) = found else { break };
            guards.push(self.enter(rest)?);
            let (rest, rhs) = cut(operand).parse(rest)?;
            let op = match symbol {
                "+" => BinOp::Add,
                "-" => BinOp::Sub,
                "*" => BinOp::Mul,
                _ => BinOp::Div,
            };
            let span = lhs.span().to(rhs.span());
            lhs = Expr::Binary(Box::new(Binary { op, lhs, rhs, span }));
            i = rest;
        }
        Ok((i, lhs))
    }

    /// `-operand`, with `-5` read as a negative literal.
    fn unary(&self, i: &'s str) -> PResult<'s, Expr> {
        let start = skip_trivia(i);
        if let Ok((rest, _)) = punct("-")(start) {
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return self.number(rest, true);
            }
            let _guard = self.enter(rest)?;
            let (rest, operand) = cut(|i| self.unary(i)).parse(rest)?;
            return Ok((rest, Expr::Neg(Box::new(operand), self.span(start, rest))));
        }
        self.primary(start)
    }

    /// A constant, a variable, a call, or a parenthesised expression.
    fn primary(&self, i: &'s str) -> PResult<'s, Expr> {
        let start = skip_trivia(i);
        if let Ok((i, _)) = punct("(")(start) {
            let _guard = self.enter(i)?;
            let (i, e) = self.expr(i)?;
            let (rest, _) = punct(")")(i)?;
            return Ok((rest, e));
        }
        if start.starts_with('"') {
            let (rest, s) = self.string(start)?;
            return Ok((rest, Expr::Str(s)));
        }
        if start.starts_with(|c: char| c.is_ascii_digit()) {
            return self.number(start, false);
        }
        let Ok((rest, w)) = word(start) else {
            return fail(start, "an expression");
        };
        let span = self.span(start, rest);
        if w == "_" {
            return Ok((rest, Expr::Wildcard(span)));
        }
        if is_variable_name(w) {
            let var = Var {
                name: w.to_string(),
                span,
            };
            return Ok((rest, Expr::Var(var)));
        }
        let is_call = punct("(")(rest).is_ok();
        if is_keyword(w) && !(is_call && matches!(w, "min" | "max")) {
            if is_call {
                return self.failure(self.reserved(start, w, "name a predicate"));
            }
            return fail(start, "an expression");
        }
        let name = Ident {
            name: w.to_string(),
            span,
        };
        if !is_call {
            return Ok((rest, Expr::Symbol(name)));
        }
        let (rest, args) = self.args(w, rest)?;
        let span = self.span(start, rest);
        Ok((rest, Expr::Call(Box::new(Call { name, args, span }))))
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
