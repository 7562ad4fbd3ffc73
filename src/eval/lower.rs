//! Lowering: a checked rule body (or query, or pattern) becomes numbered variables and
//! [`Lit`]s over registers, constants interned, predicates numbered.

use std::collections::HashMap;

use super::plan::{AggLit, AtomLit, ExprPlan, Lit, PredId, Reg, Term};
use super::value::{Const, Interner, Value};
use crate::syntax::ast::{Atom, Expr, Literal};

/// Turns AST literals into [`Lit`]s, numbering variables as they come.
pub(crate) struct Lowering<'a> {
    pub interner: &'a mut Interner,
    pub pred_id: &'a dyn Fn(&str) -> PredId,
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

    fn term(&mut self, e: &Expr) -> Term {
        match e {
            Expr::Var(v) => Term::Var(self.var(&v.name)),
            Expr::Wildcard(_) => Term::Wild,
            other => Term::Const(
                self.constant(other)
                    .expect("the checker admits only variables and constants here"),
            ),
        }
    }

    pub(crate) fn expr(&mut self, e: &Expr) -> ExprPlan {
        match e {
            Expr::Var(v) => ExprPlan::Var(self.var(&v.name)),
            Expr::Binary(b) => ExprPlan::Binary(
                b.op,
                Box::new(self.expr(&b.lhs)),
                Box::new(self.expr(&b.rhs)),
            ),
            Expr::Neg(inner, _) => ExprPlan::Neg(Box::new(self.expr(inner))),
            Expr::Call(c) => {
                let name = crate::syntax::FUNCTIONS
                    .iter()
                    .find(|(n, _)| *n == c.name.name)
                    .map(|(n, _)| *n)
                    .expect("the checker admits only known functions");
                ExprPlan::Call(name, c.args.iter().map(|a| self.expr(a)).collect())
            }
            Expr::Wildcard(_) => unreachable!("the checker rejects `_` in expressions"),
            other => ExprPlan::Const(self.constant(other).expect("a constant")),
        }
    }

    pub(crate) fn atom(&mut self, a: &Atom) -> AtomLit {
        // A year or a month after `@` matches every time within it; a day only itself.
        let (time, within) = match &a.time {
            Some(Expr::Time(t, _)) if t.day_of().is_none() => (Some(Term::Wild), Some(*t)),
            other => (other.as_ref().map(|t| self.term(t)), None),
        };
        AtomLit {
            pred: (self.pred_id)(&a.pred.name),
            args: a.args.iter().map(|e| self.term(e)).collect(),
            time,
            within,
        }
    }

    /// Lowers one conjunction (an alternative of a body, `or` already multiplied out).
    /// `head` holds the variable names of the head: with every literal but an aggregate
    /// itself, they are what lies outside its braces, where group-by variables are found.
    pub(crate) fn conjunction(&mut self, literals: &[&Literal], head: &[String]) -> Vec<Lit> {
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
                Literal::Atom(a) => Lit::Atom(self.atom(a)),
                Literal::Not(a, _) => Lit::Not(self.atom(a)),
                Literal::Compare(c) => Lit::Cmp(
                    c.op,
                    self.expr(&c.lhs),
                    self.expr(&c.rhs),
                    c.span,
                    [c.lhs.span(), c.rhs.span()],
                ),
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
                    let body = self.conjunction(&inner_literals, &[]);
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
                    Lit::Agg(AggLit {
                        func: agg.func,
                        result: self.var(&agg.result.name),
                        target: agg.target.as_ref().map(|t| self.var(&t.name)),
                        body,
                        group,
                        inner,
                        span: agg.span,
                    })
                }
                Literal::Or(..) => unreachable!("`or` is multiplied out before lowering"),
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
