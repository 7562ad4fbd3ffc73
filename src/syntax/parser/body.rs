//! Rule bodies: conjunctions, `or` groups, literals, comparisons, aggregates, and the
//! expression grammar.

use nom::branch::alt;
use nom::combinator::cut;
use nom::{Err, Parser as _};

use super::*;

impl<'s> Parser<'s> {
    /// A whole body: conjunctions separated by `;` / `or`.
    pub(super) fn body(&self, i: &'s str) -> PResult<'s, Vec<Literal>> {
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
    pub(super) fn conjunction(&self, i: &'s str) -> PResult<'s, Vec<Literal>> {
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
    pub(super) fn literal(&self, i: &'s str) -> PResult<'s, Literal> {
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
    pub(super) fn group(&self, i: &'s str) -> PResult<'s, Literal> {
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
    pub(super) fn comparison_or_atom(&self, i: &'s str) -> PResult<'s, Literal> {
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
    pub(super) fn aggregate(
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
    pub(super) fn variable_expected(
        &self,
        e: &Expr,
        func: &str,
        role: &str,
    ) -> Result<Var, Err<PError>> {
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
    pub(super) fn time_expr(&self, i: &'s str) -> PResult<'s, Expr> {
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
    pub(super) fn expr(&self, i: &'s str) -> PResult<'s, Expr> {
        self.binary_level(i, 1)
    }

    /// One precedence level of left-associative binary operators.
    pub(super) fn binary_level(&self, i: &'s str, level: u8) -> PResult<'s, Expr> {
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

    /// Digits joined by `-` without spaces (LANGUAGE.md §8): `2005-07` and `2005-07-15` are
    /// times wherever they stand; any other run (`2011-1`, `2005-7-4`, `10-5`) is an error
    /// that says how to write the month or the arithmetic. `None` when the digits at `start`
    /// are a number alone.
    fn dashed(&self, start: &'s str) -> Option<PResult<'s, Expr>> {
        let run = start
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'-')
            .count();
        let text = start.get(..run)?.trim_end_matches('-');
        if !text.contains('-') {
            return None;
        }
        let rest = start.get(text.len()..).unwrap_or_default();
        let span = self.span(start, rest);
        let groups: Vec<&str> = text.split('-').collect();
        let shaped = groups.first().is_some_and(|y| y.len() == 4)
            && groups.len() <= 3
            && groups[1..].iter().all(|g| g.len() == 2);
        if shaped {
            return Some(match Time::parse(text) {
                Ok(t) => Ok((rest, Expr::Time(t, span))),
                Err(e) => self.failure(Diagnostic::new(Code::BadTime, span, e.to_string())),
            });
        }
        let spaced = groups
            .iter()
            .filter(|g| !g.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" - ");
        let padded = groups.first().is_some_and(|y| y.len() == 4)
            && groups.len() <= 3
            && groups[1..].iter().all(|g| (1..=2).contains(&g.len()));
        let hint = if padded {
            let time: Vec<String> = groups
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    if i == 0 {
                        g.to_string()
                    } else {
                        format!("{g:0>2}")
                    }
                })
                .collect();
            format!(
                "a month or a day has two digits: `{}`; for arithmetic, put spaces around `-`: `{spaced}`",
                time.join("-")
            )
        } else {
            format!("for arithmetic, put spaces around `-`: `{spaced}`; a time is YYYY-MM or YYYY-MM-DD")
        };
        Some(
            self.failure(
                Diagnostic::new(
                    Code::BadTime,
                    span,
                    format!("`{text}` is neither a time nor arithmetic"),
                )
                .with_hint(hint),
            ),
        )
    }

    /// `-operand`, with `-5` read as a negative literal.
    pub(super) fn unary(&self, i: &'s str) -> PResult<'s, Expr> {
        let start = skip_trivia(i);
        if let Ok((rest, _)) = punct("-")(start) {
            // `-5` is a negative literal; `-2005-07` the negation of a time (an error later).
            let run = rest
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'-')
                .count();
            let digits = rest.get(..run).unwrap_or_default();
            if digits.starts_with(|c: char| c.is_ascii_digit())
                && !digits.trim_end_matches('-').contains('-')
            {
                return self.number(rest, true);
            }
            let _guard = self.enter(rest)?;
            let (rest, operand) = cut(|i| self.unary(i)).parse(rest)?;
            return Ok((rest, Expr::Neg(Box::new(operand), self.span(start, rest))));
        }
        self.primary(start)
    }

    /// A constant, a variable, a call, or a parenthesised expression.
    pub(super) fn primary(&self, i: &'s str) -> PResult<'s, Expr> {
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
            if let Some(time) = self.dashed(start) {
                return time;
            }
            return self.number(start, false);
        }
        if let Some(after) = start.strip_prefix('@') {
            // `@2006`: a year (or any time) as a time where a bare `2006` is a number.
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                let (rest, time) = self.time(after)?;
                let span = self.span(start, rest);
                return match time {
                    Expr::Time(t, _) => Ok((rest, Expr::Time(t, span))),
                    other => Ok((rest, other)),
                };
            }
            return self.failure(
                self.diag_at(
                    start,
                    Code::Expected,
                    "expected a time right after `@` (`@2006`)",
                )
                .with_hint("a year as a time is written `@2006`, without a space"),
            );
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
