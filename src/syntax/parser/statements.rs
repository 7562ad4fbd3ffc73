//! Statements: facts (with the fast path for plain ones), rules, queries, lanes, includes,
//! input and output, and the questions `why`, `whynot`, `retract`, `whatif`.

use nom::branch::alt;
use nom::combinator::cut;
use nom::{Err, Parser as _};

use super::*;

impl<'s> Parser<'s> {
    /// A fact, a rule written `head :- body.`, or a query written `body?`.
    pub(super) fn clause(&self, start: &'s str) -> PResult<'s, Statement> {
        match self.plain_fact(start) {
            Some(fact) => Ok(fact),
            None => self.general_clause(start),
        }
    }

    /// [`Parser::clause`] through the general grammar.
    pub(super) fn general_clause(&self, start: &'s str) -> PResult<'s, Statement> {
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
        let (i, about) = self.annotations(i)?;
        let (rest, ()) = self.end(i, "fact")?;
        Ok((
            rest,
            Statement::Fact(Fact {
                atom,
                about,
                span: self.span(start, rest),
            }),
        ))
    }

    /// A fact of names and unsigned numbers with an optional time and nothing else
    /// (`event(e17, t3) @ 2005-07.`), the bulk of a large case, read without the expression
    /// grammar. It gives the tree the general path gives; anything else, errors included, is
    /// left to that path (`None`).
    pub(super) fn plain_fact(&self, start: &'s str) -> Option<(&'s str, Statement)> {
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
                about: Annotations::default(),
                span: self.span(start, rest),
            }),
        ))
    }

    pub(super) fn single_atom(
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

    pub(super) fn rule_rest(
        &self,
        start: &'s str,
        name: Option<Ident>,
        head: Atom,
        i: &'s str,
    ) -> PResult<'s, Statement> {
        let (i, body) = cut(|i| self.body(i)).parse(i)?;
        let (i, about) = self.annotations(i)?;
        let (rest, ()) = self.end(i, "rule")?;
        Ok((
            rest,
            Statement::Rule(Box::new(Rule {
                name,
                head,
                body,
                about,
                span: self.span(start, rest),
            })),
        ))
    }

    /// `rule NAME: head when body [note …] [source …].`
    pub(super) fn named_rule(&self, start: &'s str) -> PResult<'s, Statement> {
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

    /// `note "…"`, `source [NAME] "…"`, `quote "…"` and `assumed "…"`, each at most once, in
    /// any order. `quote` and `assumed` are words only here: followed by a string.
    pub(super) fn annotations(&self, mut i: &'s str) -> PResult<'s, Annotations> {
        let mut about = Annotations::default();
        loop {
            let (rest, which) = match word(i) {
                Ok((rest, w @ ("note" | "source"))) => (rest, w),
                Ok((rest, w @ ("quote" | "assumed"))) if skip_trivia(rest).starts_with('"') => {
                    (rest, w)
                }
                _ => return Ok((i, about)),
            };
            // `source NAME "…"` cites a declared document; `source "…"` is free text.
            let (rest, document) = match (which, word(rest)) {
                ("source", Ok(_)) => {
                    let (rest, name) = self.ident(rest, "a document name", "name a document")?;
                    (rest, Some(name))
                }
                _ => (rest, None),
            };
            let (rest, text) = cut(|i| self.string(i)).parse(rest)?;
            let taken = match which {
                "note" => about.note.is_some(),
                "source" => about.source.is_some(),
                "quote" => about.quote.is_some(),
                _ => about.assumed.is_some(),
            };
            if taken {
                let d = Diagnostic::new(
                    Code::DuplicateAnnotation,
                    self.span(i, rest),
                    format!("`{which}` is given twice"),
                )
                .with_hint(format!("keep one `{which}`"));
                return self.failure(d);
            }
            match which {
                "note" => about.note = Some(Box::new(text)),
                "source" => {
                    about.source = Some(Box::new(Citation {
                        document,
                        locator: text,
                    }))
                }
                "quote" => about.quote = Some(Box::new(text)),
                _ => about.assumed = Some(Box::new(text)),
            }
            i = rest;
        }
    }

    /// `document NAME "path" [note "…"].`
    pub(super) fn document_decl(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = word(start)?;
        let (i, name) = self.ident(i, "a document name", "name a document")?;
        let (i, path) = cut(|i| self.string(i)).parse(i)?;
        let (i, note) = match word(i) {
            Ok((rest, "note")) => {
                let (rest, text) = cut(|i| self.string(i)).parse(rest)?;
                (rest, Some(text))
            }
            _ => (i, None),
        };
        let (rest, ()) = self.end(i, "document declaration")?;
        Ok((
            rest,
            Statement::Document(DocumentDecl {
                name,
                path,
                note,
                text: None,
                file: None,
                span: self.span(start, rest),
            }),
        ))
    }

    /// `?- body.`
    pub(super) fn prefixed_query(&self, start: &'s str) -> PResult<'s, Statement> {
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
    pub(super) fn stream_decl(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("stream")(start)?;
        let (i, name) = self.ident(i, "a lane name", "name a lane")?;
        let label_start = i;
        let (i, label) = match self.string(i) {
            Ok((rest, s)) => (rest, Some(s)),
            Err(Err::Failure(e)) => return Err(Err::Failure(e)),
            Err(_) => (label_start, None),
        };
        let (i, _) = cut(punct(":")).parse(i)?;
        // `name/N @`: the lane takes only timed facts of it.
        let (i, preds) = self.list(i, |i| {
            let (i, mut p) = self.pred_ref(i, true)?;
            match punct("@")(i) {
                Ok((rest, _)) => {
                    p.timed = true;
                    p.span = Span::new(p.span.file, p.span.start as usize, self.pos(rest));
                    Ok((rest, p))
                }
                Err(_) => Ok((i, p)),
            }
        })?;
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
    pub(super) fn include(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("include")(start)?;
        let (i, path) = cut(|i| self.string(i)).parse(i)?;
        let (rest, ()) = self.end(i, "include")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Include(Include { path, span })))
    }

    /// `input pred/N from "path".`
    pub(super) fn input_decl(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("input")(start)?;
        let (i, pred) = self.pred_ref(i, true)?;
        let (i, _) = cut(keyword("from")).parse(i)?;
        let (i, path) = cut(|i| self.string(i)).parse(i)?;
        let (rest, ()) = self.end(i, "input declaration")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Input(InputDecl { pred, path, span })))
    }

    /// `output pred to "path".`
    pub(super) fn output_decl(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("output")(start)?;
        let (i, pred) = self.pred_ref(i, false)?;
        let (i, _) = cut(keyword("to")).parse(i)?;
        let (i, path) = cut(|i| self.string(i)).parse(i)?;
        let (rest, ()) = self.end(i, "output declaration")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Output(OutputDecl { pred, path, span })))
    }

    /// `why atom [@ TIME] [depth N].`
    pub(super) fn why(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("why")(start)?;
        let (mut i, atom) = cut(|i| self.atom(i)).parse(i)?;
        let (mut depth, mut brief) = (None, false);
        match word(i) {
            Ok((rest, "depth")) => {
                let (rest, n) = self.whole_number(rest, "the number of levels to show")?;
                depth = Some(n);
                i = rest;
            }
            Ok((rest, "brief")) => {
                brief = true;
                i = rest;
            }
            _ => {}
        }
        let (rest, ()) = self.end(i, "`why`")?;
        let span = self.span(start, rest);
        Ok((
            rest,
            Statement::Why(Box::new(Why {
                atom,
                depth,
                brief,
                span,
            })),
        ))
    }

    /// `whynot atom [@ TIME].`
    pub(super) fn whynot(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("whynot")(start)?;
        let (i, atom) = cut(|i| self.atom(i)).parse(i)?;
        let (rest, ()) = self.end(i, "`whynot`")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::WhyNot(Box::new(WhyNot { atom, span }))))
    }

    /// `retract atom [@ TIME], … .`
    pub(super) fn retract(&self, start: &'s str) -> PResult<'s, Statement> {
        let (i, _) = keyword("retract")(start)?;
        let (i, atoms) = self.list(i, |i| self.atom(i))?;
        let (rest, ()) = self.end(i, "`retract`")?;
        let span = self.span(start, rest);
        Ok((rest, Statement::Retract(Retract { atoms, span })))
    }

    /// `whatif retract|assert atom, … [show pred, …].`
    pub(super) fn whatif(&self, start: &'s str) -> PResult<'s, Statement> {
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
}
