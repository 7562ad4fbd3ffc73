//! The canonical printer: AST → source text that parses back to the same tree.

use std::fmt::Write as _;

use super::ast::*;
use crate::value::quote;

/// Prints a whole module, one statement per line.
#[cfg(any(test, fuzzing))]
pub fn print_module(module: &Module) -> String {
    let mut out = String::new();
    for s in &module.statements {
        out.push_str(&print_statement(s));
        out.push('\n');
    }
    out
}

/// Prints a rule, final `.` included (no trailing newline).
pub fn print_rule(r: &Rule) -> String {
    let mut out = String::new();
    if let Some(name) = &r.name {
        let _ = write!(out, "rule {}: ", name.name);
    }
    let _ = write!(out, "{} :- {}", atom(&r.head), body(&r.body));
    annotations(&mut out, &r.about);
    out.push('.');
    out
}

/// Prints one statement, final `.` included (no trailing newline).
pub fn print_statement(s: &Statement) -> String {
    let mut out = String::new();
    match s {
        Statement::Fact(f) => {
            out.push_str(&atom(&f.atom));
            annotations(&mut out, &f.about);
            out.push('.');
        }
        Statement::Rule(r) => out = print_rule(r),
        Statement::Stream(d) => {
            let _ = write!(out, "stream {}", d.name.name);
            if let Some(label) = &d.label {
                let _ = write!(out, " {}", quote(&label.value));
            }
            let _ = write!(out, ": {}.", pred_refs(&d.preds));
        }
        Statement::Document(d) => {
            let _ = write!(out, "document {} {}", d.name.name, quote(&d.path.value));
            if let Some(n) = &d.note {
                let _ = write!(out, "\n    note {}", quote(&n.value));
            }
            out.push('.');
        }
        Statement::Include(i) => {
            let _ = write!(out, "include {}.", quote(&i.path.value));
        }
        Statement::Input(d) => {
            let _ = write!(
                out,
                "input {} from {}.",
                pred_ref(&d.pred),
                quote(&d.path.value)
            );
        }
        Statement::Output(d) => {
            let _ = write!(
                out,
                "output {} to {}.",
                pred_ref(&d.pred),
                quote(&d.path.value)
            );
        }
        Statement::Query(q) if q.short => {
            let _ = write!(out, "{}?", body(&q.body));
        }
        Statement::Query(q) => {
            let _ = write!(out, "?- {}.", body(&q.body));
        }
        Statement::Why(w) => {
            let _ = write!(out, "why {}", atom(&w.atom));
            if let Some(depth) = w.depth {
                let _ = write!(out, " depth {depth}");
            }
            if w.brief {
                out.push_str(" brief");
            }
            out.push('.');
        }
        Statement::WhyNot(w) => {
            let _ = write!(out, "whynot {}.", atom(&w.atom));
        }
        Statement::Retract(r) => {
            let atoms: Vec<String> = r.atoms.iter().map(atom).collect();
            let _ = write!(out, "retract {}.", atoms.join(", "));
        }
        Statement::WhatIf(w) => {
            let changes: Vec<String> = w
                .changes
                .iter()
                .map(|c| {
                    let kind = match c.kind {
                        ChangeKind::Assert => "assert",
                        ChangeKind::Retract => "retract",
                    };
                    format!("{kind} {}", atom(&c.atom))
                })
                .collect();
            let _ = write!(out, "whatif {}", changes.join(", "));
            if !w.show.is_empty() {
                let _ = write!(out, " show {}", pred_refs(&w.show));
            }
            out.push('.');
        }
    }
    out
}

fn annotations(out: &mut String, about: &Annotations) {
    fn text(s: &Option<Box<StringLit>>) -> Option<&str> {
        s.as_ref().map(|s| s.value.as_str())
    }
    let source = about.source.as_ref().map(|c| {
        (
            c.document.as_ref().map(|d| d.name.as_str()),
            c.locator.value.as_str(),
        )
    });
    out.push_str(&annotation_text(
        text(&about.note),
        source,
        text(&about.quote),
        text(&about.assumed),
    ));
}

/// A fact's or rule's annotations as the language writes them, each on its own indented
/// line: `note`, `source [NAME]`, `quote`, `assumed`.
pub fn annotation_text(
    note: Option<&str>,
    source: Option<(Option<&str>, &str)>,
    quoted: Option<&str>,
    assumed: Option<&str>,
) -> String {
    let mut out = String::new();
    if let Some(n) = note {
        let _ = write!(out, "\n    note {}", quote(n));
    }
    if let Some((document, locator)) = source {
        let name = document.map(|d| format!("{d} ")).unwrap_or_default();
        let _ = write!(out, "\n    source {name}{}", quote(locator));
    }
    if let Some(q) = quoted {
        let _ = write!(out, "\n    quote {}", quote(q));
    }
    if let Some(a) = assumed {
        let _ = write!(out, "\n    assumed {}", quote(a));
    }
    out
}

fn pred_ref(p: &PredRef) -> String {
    let name = match p.arity {
        Some(n) => format!("{}/{n}", p.name.name),
        None => p.name.name.clone(),
    };
    if p.timed {
        format!("{name} @")
    } else {
        name
    }
}

fn pred_refs(ps: &[PredRef]) -> String {
    ps.iter().map(pred_ref).collect::<Vec<_>>().join(", ")
}

/// Prints an atom: `pred`, `pred(a, b)`, with ` @ time` when it has one.
pub fn print_atom(a: &Atom) -> String {
    atom(a)
}

fn atom(a: &Atom) -> String {
    let mut out = a.pred.name.clone();
    if !a.args.is_empty() {
        out.push('(');
        out.push_str(&exprs(&a.args));
        out.push(')');
    }
    if let Some(t) = &a.time {
        let _ = write!(out, " @ {}", print_time(t));
    }
    out
}

/// A time position as written after `@`: its time literal bare (`@ 2006`, not `@ @2006`).
fn print_time(e: &Expr) -> String {
    match e {
        Expr::Time(t, _) => t.to_string(),
        Expr::Binary(b) => format!(
            "{} {} {}",
            print_time(&b.lhs),
            b.op.symbol(),
            print_expr(&b.rhs)
        ),
        other => print_expr(other),
    }
}

fn exprs(es: &[Expr]) -> String {
    es.iter().map(print_expr).collect::<Vec<_>>().join(", ")
}

/// Prints a body: conjunctions joined by `, `, alternatives by ` ; `.
fn body(literals: &[Literal]) -> String {
    match literals {
        [Literal::Or(alternatives, _)] => alternatives
            .iter()
            .map(|c| conjunction(c))
            .collect::<Vec<_>>()
            .join(" ; "),
        _ => conjunction(literals),
    }
}

fn conjunction(literals: &[Literal]) -> String {
    literals.iter().map(literal).collect::<Vec<_>>().join(", ")
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Atom(a) => atom(a),
        Literal::Not(a, _) => format!("not {}", atom(a)),
        Literal::Compare(c) => format!(
            "{} {} {}",
            print_expr(&c.lhs),
            c.op.symbol(),
            print_expr(&c.rhs)
        ),
        Literal::Aggregate(a) => {
            let target = a
                .target
                .as_ref()
                .map(|t| format!(" {}", t.name))
                .unwrap_or_default();
            format!(
                "{} = {}{target} {{ {} }}",
                a.result.name,
                a.func.keyword(),
                body(&a.body)
            )
        }
        Literal::Or(alternatives, _) => format!(
            "({})",
            alternatives
                .iter()
                .map(|c| conjunction(c))
                .collect::<Vec<_>>()
                .join(" ; ")
        ),
    }
}

/// Prints an expression with the fewest parentheses that keep its shape.
pub fn print_expr(e: &Expr) -> String {
    match e {
        Expr::Var(v) => v.name.clone(),
        Expr::Wildcard(_) => "_".to_string(),
        Expr::Symbol(s) => s.name.clone(),
        Expr::Number(n, _) => n.to_string(),
        Expr::Str(s) => quote(&s.value),
        // A year elsewhere than after `@` is a time only as `@2006` (LANGUAGE.md §8).
        Expr::Time(t, _) if t.month_of().is_none() => format!("@{t}"),
        Expr::Time(t, _) => t.to_string(),
        Expr::Call(c) => format!("{}({})", c.name.name, exprs(&c.args)),
        Expr::Neg(inner, _) => match inner.as_ref() {
            Expr::Var(_) | Expr::Symbol(_) | Expr::Call(_) | Expr::Wildcard(_) => {
                format!("-{}", print_expr(inner))
            }
            other => format!("-({})", print_expr(other)),
        },
        Expr::Binary(b) => {
            let prec = b.op.precedence();
            let side = |e: &Expr, needs: &dyn Fn(u8) -> bool| match e {
                Expr::Binary(inner) if needs(inner.op.precedence()) => {
                    format!("({})", print_expr(e))
                }
                _ => print_expr(e),
            };
            format!(
                "{} {} {}",
                side(&b.lhs, &|p| p < prec),
                b.op.symbol(),
                side(&b.rhs, &|p| p <= prec)
            )
        }
    }
}
