//! Names a question uses that nothing mentions (W107): a typo (`port_reopen`), or a variable
//! written in lower case (`policy_change(c)?`). The answer is still given; the warning says why
//! it is probably empty.

use std::collections::HashSet;

use crate::syntax::ast::{Atom, ChangeKind, Expr, Literal, Statement};
use crate::syntax::{Code, Diagnostic};

/// The warnings for the questions of an input: each symbol constant of a question's atoms
/// that `knows` (the knowledge base before this input) does not know and that no fact, rule
/// or asserted fact of the input states. An input that reads a file (`input`) is not judged,
/// its names being unknown until it runs. `known` gives the names to suggest from, asked only
/// when a name is unknown. An input without questions (a load of a million facts) costs a scan.
pub(crate) fn unknown_names(
    statements: &[Statement],
    knows: impl Fn(&str) -> bool,
    known: impl FnOnce() -> Vec<String>,
) -> Vec<Diagnostic> {
    let asks = statements.iter().any(Statement::only_asks);
    if !asks || statements.iter().any(|s| matches!(s, Statement::Input(_))) {
        return Vec::new();
    }
    let mut known = Some(known);
    let mut names: Vec<String> = Vec::new();
    let mut stated: HashSet<&str> = HashSet::new();
    for s in statements {
        stated_names(s, &mut stated);
    }
    let mut out = Vec::new();
    for s in statements {
        let mut atoms: Vec<&Atom> = Vec::new();
        match s {
            Statement::Query(q) => collect_atoms(&q.body, &mut atoms),
            Statement::Why(w) => atoms.push(&w.atom),
            Statement::WhyNot(w) => atoms.push(&w.atom),
            Statement::WhatIf(w) => atoms.extend(
                w.changes
                    .iter()
                    .filter(|c| c.kind == ChangeKind::Retract)
                    .map(|c| &c.atom),
            ),
            _ => {}
        }
        for name in atoms.iter().flat_map(|a| &a.args).filter_map(|e| match e {
            Expr::Symbol(name) => Some(name),
            _ => None,
        }) {
            if stated.contains(name.name.as_str()) || knows(&name.name) {
                continue;
            }
            if let Some(known) = known.take() {
                names = known();
            }
            let candidates = names
                .iter()
                .map(String::as_str)
                .chain(stated.iter().copied());
            let hint = match super::suggest::nearest(&name.name, candidates) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "a name matches only itself; to ask for any value, write a variable, which starts with a capital: `{}`",
                    crate::syntax::capitalise(&name.name)
                ),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownName,
                    name.span,
                    format!("no fact or rule mentions `{}`", name.name),
                )
                .with_hint(hint),
            );
        }
    }
    out
}

/// The symbol constants a fact, a rule or an asserted fact states.
fn stated_names<'a>(s: &'a Statement, out: &mut HashSet<&'a str>) {
    let mut add = |e: &'a Expr| {
        if let Expr::Symbol(name) = e {
            out.insert(name.name.as_str());
        }
    };
    match s {
        Statement::Fact(f) => f.atom.args.iter().for_each(&mut add),
        Statement::Rule(r) => {
            r.head.args.iter().for_each(&mut add);
            let mut atoms = Vec::new();
            collect_atoms(&r.body, &mut atoms);
            atoms.iter().flat_map(|a| &a.args).for_each(&mut add);
            for l in &r.body {
                if let Literal::Compare(c) = l {
                    add(&c.lhs);
                    add(&c.rhs);
                }
            }
        }
        Statement::WhatIf(w) => w
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Assert)
            .flat_map(|c| &c.atom.args)
            .for_each(&mut add),
        _ => {}
    }
}

/// The atoms of a body, inside negations, aggregates and alternatives too.
fn collect_atoms<'a>(
    body: &'a [crate::syntax::ast::Literal],
    out: &mut Vec<&'a crate::syntax::ast::Atom>,
) {
    use crate::syntax::ast::Literal;
    for l in body {
        match l {
            Literal::Atom(a) | Literal::Not(a, _) => out.push(a),
            Literal::Aggregate(agg) => collect_atoms(&agg.body, out),
            Literal::Or(alternatives, _) => alternatives.iter().for_each(|a| collect_atoms(a, out)),
            Literal::Compare(_) => {}
        }
    }
}
