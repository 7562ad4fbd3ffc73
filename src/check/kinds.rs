//! The kinds of value each column holds, and the warnings they give (LANGUAGE.md §7, §8): a
//! number where a column holds only times never matches it (`p(a, 2005)` where `p`'s second
//! column holds times: write `@2005`), and a variable joined with a column of times in one
//! place and of numbers in another holds nothing.
//!
//! A column's kinds are those its facts state and its rules' heads give, to a fixpoint: a
//! head variable has the kinds of the columns it is bound from (all of them at once, where it
//! joins), a time position holds times, arithmetic gives numbers (a time shifted by years, a
//! time). A column filled from a file (`input`) may hold anything, and warns of nothing.

use std::collections::HashMap;

use crate::syntax::ast::{AggFunc, Atom, BinOp, CmpOp, Expr, Literal, Statement};
use crate::syntax::{Builtin, Code, Diagnostic, Span};

/// A set of kinds of value, as bits.
type Kinds = u8;
const NUMBER: Kinds = 1;
const TIME: Kinds = 2;
const SYMBOL: Kinds = 4;
const STRING: Kinds = 8;
/// Anything: a column read from a file, a variable of unknown origin.
const ANY: Kinds = NUMBER | TIME | SYMBOL | STRING;

/// The kinds of a constant expression, if it is one: a number 1, a time 2, a symbol 4, a
/// string 8 (the store keeps the same bits for the facts it keeps for later checks).
pub(crate) fn constant(e: &Expr) -> Option<u8> {
    match e {
        Expr::Number(..) => Some(NUMBER),
        Expr::Time(..) => Some(TIME),
        Expr::Symbol(_) => Some(SYMBOL),
        Expr::Str(_) => Some(STRING),
        _ => None,
    }
}

/// The kinds each column of each predicate holds.
#[derive(Default)]
struct Columns<'a>(HashMap<(&'a str, usize), Kinds>);

impl<'a> Columns<'a> {
    fn get(&self, pred: &str, column: usize) -> Kinds {
        self.0.get(&(pred, column)).copied().unwrap_or(0)
    }

    /// Adds kinds to a column; whether it gained any.
    fn add(&mut self, pred: &'a str, column: usize, kinds: Kinds) -> bool {
        let slot = self.0.entry((pred, column)).or_insert(0);
        let before = *slot;
        *slot |= kinds;
        *slot != before
    }
}

/// The kinds of a rule's variables, from its positive conditions: the intersection of the
/// columns each is bound from (a join keeps values of both), widened by bindings.
fn variables(body: &[Literal], columns: &Columns<'_>) -> HashMap<String, Kinds> {
    let mut vars: HashMap<String, Kinds> = HashMap::new();
    let bind = |vars: &mut HashMap<String, Kinds>, name: &str, kinds: Kinds| {
        let slot = vars.entry(name.to_string()).or_insert(ANY);
        *slot &= kinds;
    };
    for literal in body {
        match literal {
            Literal::Atom(a) => {
                for (i, e) in a.args.iter().enumerate() {
                    if let Expr::Var(v) = e {
                        bind(&mut vars, &v.name, columns.get(&a.pred.name, i));
                    }
                }
                if let Some(Expr::Var(v)) = &a.time {
                    bind(&mut vars, &v.name, TIME);
                }
            }
            Literal::Aggregate(g) => {
                let inner = variables(&g.body, columns);
                let kinds = match (g.func, &g.target) {
                    (AggFunc::Min | AggFunc::Max, Some(t)) => {
                        inner.get(&t.name).copied().unwrap_or(ANY)
                    }
                    _ => NUMBER,
                };
                bind(&mut vars, &g.result.name, kinds);
            }
            Literal::Or(alternatives, _) => {
                // A variable bound in every alternative has the kinds of any of them.
                let each: Vec<HashMap<String, Kinds>> =
                    alternatives.iter().map(|c| variables(c, columns)).collect();
                if let Some(first) = each.first() {
                    for name in first.keys() {
                        let kinds = each
                            .iter()
                            .map(|m| m.get(name).copied().unwrap_or(ANY))
                            .fold(0, |a, b| a | b);
                        bind(&mut vars, name, kinds);
                    }
                }
            }
            Literal::Not(..) | Literal::Compare(_) => {}
        }
    }
    // Bindings, in order, as often as they chain (`Y = X + 1, Z = Y - 1`).
    for _ in 0..body.len() {
        let mut changed = false;
        for literal in body {
            let Literal::Compare(c) = literal else {
                continue;
            };
            if c.op != CmpOp::Eq {
                continue;
            }
            for (var, other) in [(&c.lhs, &c.rhs), (&c.rhs, &c.lhs)] {
                let Expr::Var(v) = var else { continue };
                if vars.contains_key(&v.name) {
                    continue;
                }
                if let Some(kinds) = expression(other, &vars) {
                    vars.insert(v.name.clone(), kinds);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    vars
}

/// The kinds an expression's value may have, if its variables are known.
fn expression(e: &Expr, vars: &HashMap<String, Kinds>) -> Option<Kinds> {
    if let Some(k) = constant(e) {
        return Some(k);
    }
    match e {
        Expr::Var(v) => vars.get(&v.name).copied(),
        Expr::Binary(b) => {
            let (l, r) = (expression(&b.lhs, vars)?, expression(&b.rhs, vars)?);
            let time = |k: Kinds| k & TIME != 0;
            Some(match b.op {
                BinOp::Sub if time(l) && time(r) => NUMBER | if r & NUMBER != 0 { TIME } else { 0 },
                BinOp::Add | BinOp::Sub if time(l) || time(r) => TIME | NUMBER,
                _ => NUMBER,
            })
        }
        Expr::Neg(..) => Some(NUMBER),
        Expr::Call(c) => Some(match Builtin::named(&c.name.name) {
            Some(Builtin::Min | Builtin::Max) => c
                .args
                .iter()
                .map(|a| expression(a, vars).unwrap_or(ANY))
                .fold(0, |a, b| a | b),
            Some(Builtin::FirstDay | Builtin::LastDay) => TIME,
            _ => NUMBER,
        }),
        _ => None,
    }
}

/// The kinds every column holds, to a fixpoint over the program's facts, inputs and rules.
fn columns<'a>(statements: &[&'a Statement]) -> Columns<'a> {
    let mut columns = Columns::default();
    for s in statements {
        match s {
            Statement::Fact(f) => {
                for (i, e) in f.atom.args.iter().enumerate() {
                    columns.add(&f.atom.pred.name, i, constant(e).unwrap_or(ANY));
                }
            }
            Statement::Input(d) => {
                for i in 0..d.pred.arity.unwrap_or(0) as usize {
                    columns.add(&d.pred.name.name, i, ANY);
                }
            }
            _ => {}
        }
    }
    let rules: Vec<_> = statements
        .iter()
        .filter_map(|s| match s {
            Statement::Rule(r) => Some(r),
            _ => None,
        })
        .collect();
    // Each pass adds kinds only, and there are at most four a column: it ends.
    loop {
        let mut changed = false;
        for r in &rules {
            let vars = variables(&r.body, &columns);
            for (i, e) in r.head.args.iter().enumerate() {
                let kinds = expression(e, &vars).unwrap_or(ANY);
                changed |= columns.add(&r.head.pred.name, i, kinds);
            }
        }
        if !changed {
            return columns;
        }
    }
}

/// The warning for a number where only times are held.
fn number_for_time(span: Span, written: &str, where_: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TimeNotNumber,
        span,
        format!("`{written}` is a number, and {where_} holds only times: it never matches one"),
    )
    .with_hint(format!(
        "write the time as the column holds it: `@{written}` is the year as a time, `{written}-07` a month (a bare year is a number; an argument matches its time exactly)"
    ))
}

/// The ordinal of a column, for people: `first`, `second`, …
fn ordinal(i: usize) -> String {
    match i {
        0 => "first".into(),
        1 => "second".into(),
        2 => "third".into(),
        3 => "fourth".into(),
        n => format!("{}th", n + 1),
    }
}

/// The warning for each number of an atom that stands where only times are held.
fn atom_warnings(a: &Atom, columns: &Columns<'_>, out: &mut Vec<Diagnostic>) {
    for (i, e) in a.args.iter().enumerate() {
        if let Expr::Number(n, span) = e {
            if columns.get(&a.pred.name, i) == TIME {
                out.push(number_for_time(
                    *span,
                    &n.to_string(),
                    &format!("the {} argument of `{}`", ordinal(i), a.pred.name),
                ));
            }
        }
    }
}

/// The warnings of the statements of `new`, judged against everything in `all`.
pub(super) fn warnings(all: &[&Statement], new: &[&Statement]) -> Vec<Diagnostic> {
    let columns = columns(all);
    let mut out = Vec::new();
    for s in new {
        match s {
            Statement::Rule(r) => {
                let vars = variables(&r.body, &columns);
                body_warnings(&r.body, &vars, &columns, &mut out);
            }
            Statement::Query(q) => {
                let vars = variables(&q.body, &columns);
                body_warnings(&q.body, &vars, &columns, &mut out);
            }
            Statement::Why(w) => atom_warnings(&w.atom, &columns, &mut out),
            Statement::WhyNot(w) => atom_warnings(&w.atom, &columns, &mut out),
            Statement::Retract(r) => r
                .atoms
                .iter()
                .for_each(|a| atom_warnings(a, &columns, &mut out)),
            Statement::WhatIf(w) => w
                .changes
                .iter()
                .for_each(|c| atom_warnings(&c.atom, &columns, &mut out)),
            _ => {}
        }
    }
    out
}

/// The warnings of one body: its atoms' numbers, `=` and `!=` of a time variable with a
/// number, and a variable joined with times in one column and numbers in another.
fn body_warnings(
    literals: &[Literal],
    vars: &HashMap<String, Kinds>,
    columns: &Columns<'_>,
    out: &mut Vec<Diagnostic>,
) {
    // Where each variable was first bound to a column of times only, or of numbers only.
    let mut first: HashMap<&str, (Kinds, &str, usize)> = HashMap::new();
    for literal in literals {
        match literal {
            Literal::Atom(a) | Literal::Not(a, _) => {
                atom_warnings(a, columns, out);
                for (i, e) in a.args.iter().enumerate() {
                    let Expr::Var(v) = e else { continue };
                    let kinds = columns.get(&a.pred.name, i);
                    if kinds != TIME && kinds != NUMBER {
                        continue;
                    }
                    match first.get(v.name.as_str()) {
                        Some(&(other, pred, j)) if other != kinds => out.push(
                            Diagnostic::new(
                                Code::TimeNotNumber,
                                v.span,
                                format!(
                                    "`{}` joins the {} argument of `{pred}`, which holds only {}, with the {} argument of `{}`, which holds only {}: it never holds",
                                    v.name,
                                    ordinal(j),
                                    if other == TIME { "times" } else { "numbers" },
                                    ordinal(i),
                                    a.pred.name,
                                    if kinds == TIME { "times" } else { "numbers" },
                                ),
                            )
                            .with_hint("a time never equals a number: state the years as times (`@2005`), or compare the time's year (`T < 2006`)"),
                        ),
                        Some(_) => {}
                        None => {
                            first.insert(&v.name, (kinds, &a.pred.name, i));
                        }
                    }
                }
            }
            Literal::Compare(c) if matches!(c.op, CmpOp::Eq | CmpOp::Ne) => {
                for (var, other) in [(&c.lhs, &c.rhs), (&c.rhs, &c.lhs)] {
                    let (Expr::Var(v), Expr::Number(n, span)) = (var, other) else {
                        continue;
                    };
                    if vars.get(&v.name) == Some(&TIME) {
                        out.push(number_for_time(
                            *span,
                            &n.to_string(),
                            &format!("`{}`", v.name),
                        ));
                    }
                }
            }
            Literal::Aggregate(g) => {
                let inner = variables(&g.body, columns);
                body_warnings(&g.body, &inner, columns, out);
            }
            Literal::Or(alternatives, _) => {
                for c in alternatives {
                    let inner = variables(c, columns);
                    body_warnings(c, &inner, columns, out);
                }
            }
            Literal::Compare(_) => {}
        }
    }
}
