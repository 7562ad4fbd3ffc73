//! Checks of rule bodies and queries: what may stand in a condition, disjunction expansion,
//! safety (every variable bound positively), and singleton variables.

use std::collections::{BTreeMap, HashSet};

use crate::syntax::ast::{Aggregate, CmpOp, Expr, Literal, Var};
use crate::syntax::{Builtin, Code, Diagnostic};

/// How many rules one disjunctive body may expand into.
pub(crate) const MAX_ALTERNATIVES: usize = 1024;

/// The conjunctions a body stands for once `or` is multiplied out, or `None` past `limit`.
pub(crate) fn expand(body: &[Literal], limit: usize) -> Option<Vec<Vec<&Literal>>> {
    let mut acc: Vec<Vec<&Literal>> = vec![Vec::new()];
    for literal in body {
        match literal {
            Literal::Or(alternatives, _) => {
                let mut next = Vec::new();
                for alternative in alternatives {
                    for tail in expand(alternative, limit)? {
                        for head in &acc {
                            next.push(head.iter().copied().chain(tail.iter().copied()).collect());
                            if next.len() > limit {
                                return None;
                            }
                        }
                    }
                }
                acc = next;
            }
            other => acc.iter_mut().for_each(|c| c.push(other)),
        }
    }
    Some(acc)
}

/// Every named variable of an expression, in order.
pub(crate) fn expr_vars<'e>(e: &'e Expr, out: &mut Vec<&'e Var>) {
    match e {
        Expr::Var(v) => out.push(v),
        Expr::Call(c) => c.args.iter().for_each(|a| expr_vars(a, out)),
        Expr::Binary(b) => {
            expr_vars(&b.lhs, out);
            expr_vars(&b.rhs, out);
        }
        Expr::Neg(inner, _) => expr_vars(inner, out),
        Expr::Wildcard(_) | Expr::Symbol(_) | Expr::Number(..) | Expr::Str(_) | Expr::Time(..) => {}
    }
}

/// Checks that an expression only calls functions the language has.
pub(crate) fn check_calls(e: &Expr, diags: &mut Vec<Diagnostic>) {
    match e {
        Expr::Call(c) => {
            match Builtin::named(&c.name.name) {
                None => {
                    let list = "year(T), month(T), day(T), first_day(T), last_day(T), min(A, B) and max(A, B)";
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownFunction,
                            c.name.span,
                            format!("unknown function `{}`", c.name.name),
                        )
                        .with_hint(format!("the functions are {list}; a predicate cannot be used inside an expression")),
                    );
                }
                Some(f) if f.arity() != c.args.len() => diags.push(Diagnostic::new(
                    Code::UnknownFunction,
                    c.span,
                    format!(
                        "`{}` takes {} argument{}, not {}",
                        f.name(),
                        f.arity(),
                        if f.arity() == 1 { "" } else { "s" },
                        c.args.len()
                    ),
                )),
                Some(_) => {}
            }
            c.args.iter().for_each(|a| check_calls(a, diags));
        }
        Expr::Binary(b) => {
            check_calls(&b.lhs, diags);
            check_calls(&b.rhs, diags);
        }
        Expr::Neg(inner, _) => check_calls(inner, diags),
        _ => {}
    }
}

/// Checks an argument of a condition (a body atom, a command's atom): a variable, `_` or a
/// constant.
pub(crate) fn check_term(e: &Expr, diags: &mut Vec<Diagnostic>) {
    match e {
        Expr::Var(_)
        | Expr::Wildcard(_)
        | Expr::Symbol(_)
        | Expr::Number(..)
        | Expr::Str(_)
        | Expr::Time(..) => {}
        other => diags.push(
            Diagnostic::new(
                Code::ExpressionInBodyAtom,
                other.span(),
                "an argument of a condition must be a variable or a constant",
            )
            .with_hint("compute it first with a binding: `Y = X + 1, p(Y)`"),
        ),
    }
}

/// Checks the time of a condition: a variable, `_` or a time literal.
pub(crate) fn check_condition_time(e: &Expr, diags: &mut Vec<Diagnostic>) {
    if !matches!(e, Expr::Var(_) | Expr::Wildcard(_) | Expr::Time(..)) {
        diags.push(
            Diagnostic::new(
                Code::MisplacedTime,
                e.span(),
                "the time of a condition must be a variable or a time",
            )
            .with_hint("match the time with a variable and compare it: `p(X) @ T, T2 = T + 1`"),
        );
    }
}

/// Checks what may stand in each literal of a body (recursively through `or` and
/// aggregates); `in_aggregate` forbids nested aggregates and `or`.
pub(crate) fn check_literals(body: &[Literal], in_aggregate: bool, diags: &mut Vec<Diagnostic>) {
    for literal in body {
        match literal {
            Literal::Atom(a) | Literal::Not(a, _) => {
                a.args.iter().for_each(|e| check_term(e, diags));
                if let Some(t) = &a.time {
                    check_condition_time(t, diags);
                }
            }
            Literal::Compare(c) => {
                for side in [&c.lhs, &c.rhs] {
                    check_calls(side, diags);
                    check_no_wildcard(side, diags);
                }
            }
            Literal::Aggregate(agg) => {
                if in_aggregate {
                    diags.push(
                        Diagnostic::new(
                            Code::NotAllowedHere,
                            agg.span,
                            "an aggregate cannot stand inside another aggregate",
                        )
                        .with_hint("compute the inner aggregate in a rule of its own"),
                    );
                }
                check_literals(&agg.body, true, diags);
            }
            Literal::Or(alternatives, span) => {
                if in_aggregate {
                    diags.push(Diagnostic::new(
                        Code::NotAllowedHere,
                        *span,
                        "`or` cannot stand inside an aggregate's braces",
                    ).with_hint("define the alternatives as a predicate with one rule each, and aggregate over it"));
                }
                for alternative in alternatives {
                    check_literals(alternative, in_aggregate, diags);
                }
            }
        }
    }
}

fn check_no_wildcard(e: &Expr, diags: &mut Vec<Diagnostic>) {
    match e {
        Expr::Wildcard(span) => diags.push(
            Diagnostic::new(
                Code::UnsafeComparison,
                *span,
                "`_` cannot be compared or computed with",
            )
            .with_hint("use a named variable bound by a condition"),
        ),
        Expr::Call(c) => c.args.iter().for_each(|a| check_no_wildcard(a, diags)),
        Expr::Binary(b) => {
            check_no_wildcard(&b.lhs, diags);
            check_no_wildcard(&b.rhs, diags);
        }
        Expr::Neg(inner, _) => check_no_wildcard(inner, diags),
        _ => {}
    }
}

/// The variables a conjunction binds: positive atoms, then bindings `X = E` and aggregates
/// (their results, and their group-by variables: those also named outside the braces, in
/// `head` or in another literal) until nothing changes.
pub(crate) fn bound_vars<'b>(
    conj: &[&'b Literal],
    outer: &HashSet<&'b str>,
    head: &[&'b str],
) -> HashSet<&'b str> {
    let mut bound: HashSet<&str> = outer.clone();
    for literal in conj {
        if let Literal::Atom(a) = literal {
            let mut vars = Vec::new();
            a.args
                .iter()
                .chain(&a.time)
                .for_each(|e| expr_vars(e, &mut vars));
            bound.extend(vars.iter().map(|v| v.name.as_str()));
        }
    }
    loop {
        let before = bound.len();
        for literal in conj {
            match literal {
                Literal::Compare(c) if c.op == CmpOp::Eq => {
                    for (side, other) in [(&c.lhs, &c.rhs), (&c.rhs, &c.lhs)] {
                        if let Expr::Var(v) = side {
                            let mut vars = Vec::new();
                            expr_vars(other, &mut vars);
                            if vars.iter().all(|w| bound.contains(w.name.as_str())) {
                                bound.insert(&v.name);
                            }
                        }
                    }
                }
                Literal::Aggregate(agg) => {
                    bound.insert(&agg.result.name);
                    for v in aggregate_group_vars(agg, conj, head) {
                        bound.insert(v);
                    }
                }
                _ => {}
            }
        }
        if bound.len() == before {
            return bound;
        }
    }
}

/// Variables of an aggregate's positive inner atoms that also occur outside its braces.
fn aggregate_group_vars<'b>(
    agg: &'b Aggregate,
    conj: &[&'b Literal],
    head: &[&'b str],
) -> Vec<&'b str> {
    let mut outside = outside_vars(agg, conj);
    outside.extend(head);
    let mut inner = Vec::new();
    for literal in &agg.body {
        if let Literal::Atom(a) = literal {
            a.args
                .iter()
                .chain(&a.time)
                .for_each(|e| expr_vars(e, &mut inner));
        }
    }
    inner
        .into_iter()
        .map(|v| v.name.as_str())
        .filter(|v| outside.contains(v))
        .collect()
}

/// The variables named in a conjunction outside one aggregate's braces.
fn outside_vars<'b>(agg: &Aggregate, conj: &[&'b Literal]) -> HashSet<&'b str> {
    let mut vars = Vec::new();
    for literal in conj {
        match literal {
            Literal::Aggregate(other) if std::ptr::eq(other, agg) => {
                vars.push(&other.result);
            }
            other => literal_vars(other, &mut vars),
        }
    }
    vars.into_iter().map(|v| v.name.as_str()).collect()
}

/// Every named variable of a literal, aggregates' inner ones included.
pub(crate) fn literal_vars<'b>(l: &'b Literal, out: &mut Vec<&'b Var>) {
    match l {
        Literal::Atom(a) | Literal::Not(a, _) => {
            a.args.iter().chain(&a.time).for_each(|e| expr_vars(e, out))
        }
        Literal::Compare(c) => {
            expr_vars(&c.lhs, out);
            expr_vars(&c.rhs, out);
        }
        Literal::Aggregate(agg) => {
            out.push(&agg.result);
            out.extend(&agg.target);
            agg.body.iter().for_each(|l| literal_vars(l, out));
        }
        Literal::Or(alternatives, _) => alternatives
            .iter()
            .flatten()
            .for_each(|l| literal_vars(l, out)),
    }
}

/// Checks the safety of one conjunction: negations, comparisons and aggregates must only use
/// bound variables; returns the bound set for the caller's head check. Each unsafe variable
/// is reported once per conjunction, at its first unsafe occurrence.
pub(crate) fn check_safety<'b>(
    conj: &[&'b Literal],
    outer: &HashSet<&'b str>,
    head: &[&'b str],
    reported: &mut HashSet<(u32, u32)>,
    diags: &mut Vec<Diagnostic>,
) -> HashSet<&'b str> {
    let bound = bound_vars(conj, outer, head);
    for (k, literal) in conj.iter().enumerate() {
        match literal {
            Literal::Not(a, _) => {
                let mut vars = Vec::new();
                a.args
                    .iter()
                    .chain(&a.time)
                    .for_each(|e| expr_vars(e, &mut vars));
                // A variable in this negated atom alone is local to it (LANGUAGE.md §7):
                // `not s(P, Z, P)` holds when no value of P makes it true.
                let elsewhere = |name: &str| {
                    head.contains(&name)
                        || outer.contains(name)
                        || conj.iter().enumerate().any(|(j, l)| {
                            let mut others = Vec::new();
                            literal_vars(l, &mut others);
                            j != k && others.iter().any(|o| o.name == name)
                        })
                };
                for v in vars
                    .into_iter()
                    .filter(|v| !bound.contains(v.name.as_str()) && elsewhere(v.name.as_str()))
                {
                    report(
                        reported,
                        diags,
                        v,
                        Diagnostic::new(
                            Code::UnsafeNegation,
                            v.span,
                            format!(
                                "the variable `{}` of `not {}` is not bound by a positive condition",
                                v.name, a.pred.name
                            ),
                        )
                        .with_hint(format!(
                            "add a positive condition that binds `{}`, or write `_` if any value will do",
                            v.name
                        )),
                    );
                }
            }
            Literal::Compare(c) => {
                let mut vars = Vec::new();
                expr_vars(&c.lhs, &mut vars);
                expr_vars(&c.rhs, &mut vars);
                for v in vars
                    .into_iter()
                    .filter(|v| !bound.contains(v.name.as_str()))
                {
                    report(
                        reported,
                        diags,
                        v,
                        Diagnostic::new(
                            Code::UnsafeComparison,
                            v.span,
                            format!("the variable `{}` is compared but never bound", v.name),
                        )
                        .with_hint(format!(
                            "bind `{}` with a positive condition or with `{} = …` on values already known",
                            v.name, v.name
                        )),
                    );
                }
            }
            Literal::Aggregate(agg) => {
                let inner: Vec<&Literal> = agg.body.iter().collect();
                let inner_bound = check_safety(&inner, &bound, &[], reported, diags);
                // An `or` inside the braces is an error of its own (E114); the variables its
                // alternatives bind are not counted, so the target is not reported unbound.
                let has_or = agg.body.iter().any(|l| matches!(l, Literal::Or(..)));
                if let Some(target) = agg.target.as_ref().filter(|_| !has_or) {
                    if !inner_bound.contains(target.name.as_str()) {
                        report(
                            reported,
                            diags,
                            target,
                            Diagnostic::new(
                                Code::UnsafeComparison,
                                target.span,
                                format!(
                                    "the variable `{}` to {} is not bound inside the braces",
                                    target.name,
                                    agg.func.keyword()
                                ),
                            )
                            .with_hint(format!(
                                "name `{}` in a positive condition inside `{{ … }}`",
                                target.name
                            )),
                        );
                    }
                }
            }
            Literal::Atom(_) | Literal::Or(..) => {}
        }
    }
    bound
}

/// Reports `d` about `v` unless that occurrence was reported already.
fn report(reported: &mut HashSet<(u32, u32)>, diags: &mut Vec<Diagnostic>, v: &Var, d: Diagnostic) {
    if reported.insert((v.span.start, v.span.end)) {
        diags.push(d);
    }
}

/// Warns about named variables that occur once in a rule (outside aggregate braces, where a
/// local variable legitimately distinguishes what is counted).
pub(crate) fn singletons<'b>(head_vars: Vec<&'b Var>, body: &'b [Literal]) -> Vec<Diagnostic> {
    let mut counts: BTreeMap<&str, (usize, &Var, bool)> = BTreeMap::new();
    let mut note = |v: &'b Var, inside: bool| {
        let entry = counts.entry(v.name.as_str()).or_insert((0, v, inside));
        entry.0 += 1;
    };
    head_vars.into_iter().for_each(|v| note(v, false));
    fn walk<'b>(body: &'b [Literal], inside: bool, note: &mut dyn FnMut(&'b Var, bool)) {
        for literal in body {
            match literal {
                Literal::Aggregate(agg) => {
                    note(&agg.result, inside);
                    if let Some(t) = &agg.target {
                        note(t, true);
                    }
                    walk(&agg.body, true, note);
                }
                Literal::Or(alternatives, _) => {
                    alternatives.iter().for_each(|a| walk(a, inside, note))
                }
                other => {
                    let mut vars = Vec::new();
                    literal_vars(other, &mut vars);
                    vars.into_iter().for_each(|v| note(v, inside));
                }
            }
        }
    }
    walk(body, false, &mut note);
    let mut found: Vec<&Var> = counts
        .values()
        .filter(|(n, v, inside)| *n == 1 && !*inside && !v.name.starts_with('_'))
        .map(|(_, v, _)| *v)
        .collect();
    found.sort_by_key(|v| v.span.start);
    found
        .into_iter()
        .map(|v| {
            Diagnostic::new(
                Code::SingletonVariable,
                v.span,
                format!("the variable `{}` occurs only once in this rule", v.name),
            )
            .with_hint(format!(
                "write `_` (or `_{}`) if any value will do, or check the spelling",
                v.name
            ))
        })
        .collect()
}
