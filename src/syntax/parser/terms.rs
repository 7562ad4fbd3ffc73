//! Terms: names, predicate references, numbers, strings, times, atoms and their arguments.

use nom::branch::alt;
use nom::combinator::cut;
use nom::Parser as _;

use super::*;
use crate::syntax::Builtin;

impl<'s> Parser<'s> {
    /// One or more items separated by `,` (committed: each item must parse).
    pub(super) fn list<T>(
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
    pub(super) fn ident(&self, i: &'s str, what: &'static str, role: &str) -> PResult<'s, Ident> {
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
    pub(super) fn pred_ref(&self, i: &'s str, need_arity: bool) -> PResult<'s, PredRef> {
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
                timed: false,
                span: self.span(start, i),
            },
        ))
    }

    /// A non-negative integer that fits in `u32` (committed).
    pub(super) fn whole_number(&self, i: &'s str, what: &str) -> PResult<'s, u32> {
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
    pub(super) fn string(&self, i: &'s str) -> PResult<'s, StringLit> {
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

    pub(super) fn number(&self, i: &'s str, negative: bool) -> PResult<'s, Expr> {
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
    pub(super) fn time(&self, i: &'s str) -> PResult<'s, Expr> {
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
    pub(super) fn atom(&self, i: &'s str) -> PResult<'s, Atom> {
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
    pub(super) fn atom_time(
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
    pub(super) fn args(&self, name: &str, i: &'s str) -> PResult<'s, Vec<Expr>> {
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

    pub(super) fn arg(&self, name: &str, i: &'s str) -> PResult<'s, Expr> {
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
        if Builtin::named(name).is_some_and(Builtin::takes_time) {
            if let Ok((rest, text)) = time_text(start) {
                if text.contains('-') && skip_trivia(rest).starts_with([')', ',']) {
                    return self.time(start);
                }
            }
        }
        self.expr(start)
    }
}
