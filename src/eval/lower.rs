//! Lowering: a checked rule body (or query, or pattern) becomes numbered variables and
//! [`Lit`]s over registers, constants interned, predicates numbered, built-in functions
//! resolved, `or` multiplied out. The [`Lit`]s are the checked program as the evaluator runs
//! it: nothing after lowering looks a name up or meets a construct the checker refuses.
//! Lowering does not trust the checker either: such a construct is answered as an error
//! (E211) at its place, never a panic.

use std::collections::HashMap;

use super::plan::{AggLit, AtomLit, ExprPlan, Lit, PredId, Reg, Term};
use super::value::{Const, Interner, Value};
use crate::syntax::ast::{Atom, Expr, Literal};
use crate::syntax::{Builtin, Code, Diagnostic, Span};

/// What lowering answers: the lowered form, or the error of a construct the checker refuses.
pub(crate) type Lowered<T> = Result<T, Diagnostic>;

/// The error of a construct the checker refuses, met while lowering: a fault of kingdon's.
pub(crate) fn unchecked(at: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::Unchecked,
        at,
        format!("internal error: {what} reached the evaluator unchecked"),
    )
    .with_hint("the checker should have refused it: please report this with the program")
}

/// Turns AST literals into [`Lit`]s, numbering variables as they come.
pub(crate) struct Lowering<'a> {
    pub interner: &'a mut Interner,
    pub pred_id: &'a dyn Fn(&str) -> Option<PredId>,
    pub vars: HashMap<String, Reg>,
    pub names: Vec<String>,
}

impl Lowering<'_> {
    pub(crate) fn var(&mut self, name: &str) -> Reg {
        if let Some(r) = self.vars.get(name) {
            return *r;
        }
        let r = self.names.len() as Reg;
        self.vars.insert(name.to_string(), r);
        self.names.push(name.to_string());
        r
    }

    pub(crate) fn constant(&mut self, e: &Expr) -> Option<Value> {
        Some(self.interner.intern(Const::of_literal(e)?))
    }

    fn term(&mut self, e: &Expr) -> Lowered<Term> {
        Ok(match e {
            Expr::Var(v) => Term::Var(self.var(&v.name)),
            Expr::Wildcard(_) => Term::Wild,
            other => Term::Const(
                self.constant(other)
                    .ok_or_else(|| unchecked(other.span(), "an expression in an atom"))?,
            ),
        })
    }

    pub(crate) fn expr(&mut self, e: &Expr) -> Lowered<ExprPlan> {
        Ok(match e {
            Expr::Var(v) => ExprPlan::Var(self.var(&v.name)),
            Expr::Binary(b) => ExprPlan::Binary(
                b.op,
                Box::new(self.expr(&b.lhs)?),
                Box::new(self.expr(&b.rhs)?),
            ),
            Expr::Neg(inner, _) => ExprPlan::Neg(Box::new(self.expr(inner)?)),
            Expr::Call(c) => {
                let f = Builtin::named(&c.name.name)
                    .filter(|f| f.arity() == c.args.len())
                    .ok_or_else(|| unchecked(c.span, "an unknown function"))?;
                let args = c.args.iter().map(|a| self.expr(a));
                ExprPlan::Call(f, args.collect::<Lowered<_>>()?)
            }
            other => ExprPlan::Const(
                self.constant(other)
                    .ok_or_else(|| unchecked(other.span(), "`_` in an expression"))?,
            ),
        })
    }

    pub(crate) fn atom(&mut self, a: &Atom) -> Lowered<AtomLit> {
        // A year or a month after `@` matches every time within it; a day only itself.
        let (time, within) = match &a.time {
            Some(Expr::Time(t, _)) if t.day_of().is_none() => (Some(Term::Wild), Some(*t)),
            Some(t) => (Some(self.term(t)?), None),
            None => (None, None),
        };
        Ok(AtomLit {
            pred: (self.pred_id)(&a.pred.name)
                .ok_or_else(|| unchecked(a.pred.span, "a predicate the program does not know"))?,
            args: a
                .args
                .iter()
                .map(|e| self.term(e))
                .collect::<Lowered<_>>()?,
            time,
            within,
        })
    }

    /// Lowers one conjunction (an alternative of a body, `or` already multiplied out).
    /// `head` holds the variable names of the head: with every literal but an aggregate
    /// itself, they are what lies outside its braces, where group-by variables are found.
    pub(crate) fn conjunction(
        &mut self,
        literals: &[&Literal],
        head: &[String],
    ) -> Lowered<Vec<Lit>> {
        let names: Vec<Vec<String>> = literals
            .iter()
            .map(|l| {
                let mut n = Vec::new();
                crate::check::literal_var_names(l, &mut n);
                n
            })
            .collect();
        literals
            .iter()
            .enumerate()
            .map(|(k, l)| match l {
                Literal::Atom(a) => Ok(Lit::Atom(self.atom(a)?)),
                Literal::Not(a, _) => Ok(Lit::Not(self.atom(a)?)),
                Literal::Compare(c) => Ok(Lit::Cmp(
                    c.op,
                    self.expr(&c.lhs)?,
                    self.expr(&c.rhs)?,
                    c.span,
                    [c.lhs.span(), c.rhs.span()],
                )),
                Literal::Aggregate(agg) => {
                    let outside: Vec<&String> = head
                        .iter()
                        .chain(
                            names
                                .iter()
                                .enumerate()
                                .filter(|(j, _)| *j != k)
                                .flat_map(|(_, n)| n),
                        )
                        .collect();
                    let named = anonymous_as_variables(&agg.body);
                    let inner_literals: Vec<&Literal> = named.iter().collect();
                    let body = self.conjunction(&inner_literals, &[])?;
                    let mut inner: Vec<Reg> = Vec::new();
                    let mut group: Vec<Reg> = Vec::new();
                    let mut inner_names = Vec::new();
                    for l in &named {
                        crate::check::literal_var_names(l, &mut inner_names);
                    }
                    inner_names.extend(agg.target.iter().map(|t| t.name.clone()));
                    for n in &inner_names {
                        let r = self.var(n);
                        if !inner.contains(&r) {
                            inner.push(r);
                            if outside.contains(&n) {
                                group.push(r);
                            }
                        }
                    }
                    Ok(Lit::Agg(AggLit {
                        func: agg.func,
                        result: self.var(&agg.result.name),
                        target: agg.target.as_ref().map(|t| self.var(&t.name)),
                        body,
                        group,
                        inner,
                        span: agg.span,
                    }))
                }
                Literal::Or(_, span) => Err(unchecked(*span, "an `or` not multiplied out")),
            })
            .collect()
    }
}

/// An aggregate's braces with each `_` of a positive atom made a variable of its own, named
/// so that no program can write it: the aggregate ranges over distinct matches, and
/// `count { vote(_, C) }` counts the votes for `C`, not the distinct values of `C`. A `_` of a
/// negated atom still means "any".
pub(crate) fn anonymous_as_variables(body: &[Literal]) -> Vec<Literal> {
    let mut fresh = 0;
    let mut name = |e: &mut Expr| {
        if let Expr::Wildcard(span) = *e {
            fresh += 1;
            *e = Expr::Var(crate::syntax::ast::Var {
                name: format!("_#{fresh}"),
                span,
            });
        }
    };
    let mut named = body.to_vec();
    for literal in &mut named {
        if let Literal::Atom(atom) = literal {
            atom.args.iter_mut().for_each(&mut name);
            atom.time.iter_mut().for_each(&mut name);
        }
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Statement;
    use crate::syntax::{parse, FileId, ParseOptions};

    /// Lowers the body of the one rule of `text`, parsed but not checked, with `known` the
    /// only predicate there is.
    fn lower(text: &str) -> Lowered<Vec<Lit>> {
        let (module, errors) = parse(text, FileId(0), ParseOptions::default());
        assert!(errors.is_empty(), "{errors:?}");
        let Some(Statement::Rule(rule)) = module.statements.first() else {
            panic!("not a rule: {text}");
        };
        let mut interner = Interner::default();
        let pred_id = |name: &str| (name == "known").then_some(0);
        let mut lowering = Lowering {
            interner: &mut interner,
            pred_id: &pred_id,
            vars: HashMap::new(),
            names: Vec::new(),
        };
        let body: Vec<&Literal> = rule.body.iter().collect();
        lowering.conjunction(&body, &[])
    }

    #[test]
    fn what_the_checker_refuses_is_an_error_of_lowering_not_a_panic() {
        assert!(lower("h(X) :- known(X), Y = X + 1.").is_ok());
        for (text, what) in [
            (
                "h(X) :- unknown(X).",
                "a predicate the program does not know",
            ),
            ("h(X) :- known(X), Y = shout(X).", "an unknown function"),
            ("h(X) :- known(X), Y = year(X, X).", "an unknown function"),
            ("h(X) :- known(X), Y = _ + 1.", "`_` in an expression"),
            ("h(X) :- known(X + 1).", "an expression in an atom"),
            (
                "h(X) :- known(X) or known(X).",
                "an `or` not multiplied out",
            ),
        ] {
            let error = lower(text)
                .err()
                .unwrap_or_else(|| panic!("lowered: {text}"));
            assert_eq!(error.code, Code::Unchecked, "{text}");
            assert!(error.message.contains(what), "{text}: {}", error.message);
        }
    }

    #[test]
    fn a_condition_no_binding_reaches_is_an_error_of_planning_not_a_dropped_condition() {
        // Unsafe (E106 to the checker): nothing binds `Y`. Planned, the comparison was
        // dropped in release builds, and every `known` row answered.
        let (module, errors) = parse("?- known(X), Y > X.", FileId(0), ParseOptions::default());
        assert!(errors.is_empty(), "{errors:?}");
        let Some(Statement::Query(q)) = module.statements.first() else {
            panic!("not a query");
        };
        let mut interner = Interner::default();
        let pred_id = |name: &str| (name == "known").then_some(0);
        let error = crate::eval::QueryPlan::new(&q.body, &pred_id, &mut interner, q.span)
            .expect_err("refused");
        assert_eq!(error.code, Code::Unchecked);
        assert!(error.message.contains("a condition no binding reaches"));
    }
}
