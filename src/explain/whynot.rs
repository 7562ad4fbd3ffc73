//! `whynot`: for each rule that could produce a fact, the first condition (in the order the
//! rule states them) that cannot be met under the bindings of the conditions before it, why
//! it cannot, and one level deeper for a derived atom. The evaluator's search
//! ([`search::attempts`]) finds the conditions; this module says what they mean.

use super::prove::{inner_conditions, pattern};
use super::{Blocked, Finding, Term};
use crate::eval::search::{self, Condition, Outcome};
use crate::eval::value::Value;
use crate::eval::Const;
use crate::store::Evaluated;
use crate::syntax::ast::Atom;
use crate::syntax::{Diagnostic, Span};

/// What `whynot` finds about an atom (variables and `_` in it match anything).
pub(crate) fn whynot(kb: &mut Evaluated<'_>, atom: &Atom) -> Result<Finding, Diagnostic> {
    let rows = kb.matching_rows(atom);
    if !rows.is_empty() {
        let facts = rows.iter().map(|&fact| kb.show_row(fact)).collect();
        return Ok(Finding::Holds { facts });
    }
    let Some(pred) = kb.stated.pred_id(&atom.pred.name) else {
        return Ok(Finding::NoRule {
            pred: format!("{}/{}", atom.pred.name, atom.args.len()),
        });
    };
    let args: Vec<Option<Value>> = atom.args.iter().map(|e| kb.constant(e)).collect();
    let time = atom.time.as_ref().and_then(|t| kb.constant(t));
    let rules = blocked(kb, pred, &args, time, 1)?;
    let stated = kb.stated.base[pred as usize].len() > 0;
    if rules.is_empty() && !stated {
        return Ok(Finding::NoRule {
            pred: format!("{}/{}", atom.pred.name, atom.args.len()),
        });
    }
    Ok(Finding::Blocked { rules, stated })
}

/// For each rule (alternative) whose head can match `pred(args) @ time`: the failing condition.
fn blocked(
    kb: &mut Evaluated<'_>,
    pred: u32,
    args: &[Option<Value>],
    time: Option<Value>,
    depth: u32,
) -> Result<Vec<Blocked>, Diagnostic> {
    let rules = &kb.compiled.rules;
    let attempts = search::attempts(kb.rels, kb.interner, rules, pred, args, time)
        .map_err(|stop| kb.stated.stop_diagnostic(stop, Span::default()))?;
    let mut out = Vec::new();
    for attempt in attempts {
        let stated = kb.stated;
        let rule = &stated.program.rules[attempt.rule as usize];
        let name = stated.rule_name(attempt.rule);
        let at = stated.sources.file_line(rule.span);
        let met = attempt.met.iter().map(|c| show(kb, c)).collect();
        let (failing, because, deeper) = match attempt.outcome {
            Outcome::Head => (
                "its head".to_string(),
                format!(
                    "it derives only facts of the form {}",
                    crate::syntax::print_atom(&rule.head)
                ),
                Vec::new(),
            ),
            Outcome::Instead(derived) => (
                "its head".to_string(),
                match derived {
                    Some((args, time)) => format!(
                        "its conditions hold, but they derive {}",
                        kb.show_fact(pred, &args, time)
                    ),
                    None => "every condition can be met, but not for this fact's values or time"
                        .to_string(),
                },
                Vec::new(),
            ),
            Outcome::Fails(condition) => {
                let (because, deeper) = reason(kb, &condition, depth)?;
                (show(kb, &condition), because, deeper)
            }
        };
        out.push(Blocked {
            rule: name,
            at,
            met,
            failing,
            because,
            deeper,
        });
    }
    Ok(out)
}

/// A condition with the values bound so far; `_` for a side without a value.
fn show(kb: &Evaluated<'_>, c: &Condition) -> String {
    let value = |v: &Option<Value>| v.map_or("_".to_string(), |v| kb.value(v).to_string());
    match c {
        Condition::Atom { pattern: p, .. } => pattern(kb.stated, kb.interner, p).to_string(),
        Condition::Not(p) => format!("not {}", pattern(kb.stated, kb.interner, p)),
        Condition::Compare { op, left, right } => {
            format!("{} {} {}", value(left), op.symbol(), value(right))
        }
        Condition::Aggregate { func, inner, .. } => format!(
            "{} {{ {} }}",
            func.keyword(),
            inner_conditions(kb.stated, kb.interner, inner).join(", ")
        ),
    }
}

/// Why a condition cannot be met under the bindings so far, and the rules behind a derived
/// atom.
fn reason(
    kb: &mut Evaluated<'_>,
    c: &Condition,
    depth: u32,
) -> Result<(String, Vec<Blocked>), Diagnostic> {
    Ok(match c {
        Condition::Atom { pattern: p, .. } => {
            let derived = kb.compiled.rules.iter().any(|r| r.head == p.pred);
            let stated = kb.stated.base[p.pred as usize].len() > 0;
            let because = match (derived, stated) {
                (false, false) => "no fact of it is stated and no rule derives it".to_string(),
                (false, true) => "no such fact is stated".to_string(),
                (true, false) => "it is not derived".to_string(),
                (true, true) => "it is neither stated nor derived".to_string(),
            };
            let deeper = if derived && depth > 0 {
                let (args, time) = p.values();
                blocked(kb, p.pred, &args, time, depth - 1)?
            } else {
                Vec::new()
            };
            (because, deeper)
        }
        Condition::Not(p) => {
            // What holds is the atom with its open variables as `_`.
            let mut shown = pattern(kb.stated, kb.interner, p);
            for t in shown.args.iter_mut().chain(shown.time.as_mut()) {
                if matches!(t, Term::Var(_)) {
                    *t = Term::Any;
                }
            }
            (format!("{shown} holds"), Vec::new())
        }
        Condition::Compare {
            op,
            left: Some(a),
            right: Some(b),
        } => {
            let (a, b) = (kb.value(*a), kb.value(*b));
            let because = if a.holds(*op, b) {
                format!(
                    "`{a} {} {b}` holds, but not together with the conditions before it",
                    op.symbol()
                )
            } else if a.compare(b).is_none() && !matches!((a, b), (Const::Sym(_), Const::Sym(_))) {
                format!("`{a}` and `{b}` do not compare")
            } else {
                format!("`{a} {} {b}` is false", op.symbol())
            };
            (because, Vec::new())
        }
        Condition::Compare { .. } => (
            "it has no value (a division by zero, or a part of a time the time lacks)".to_string(),
            Vec::new(),
        ),
        Condition::Aggregate { .. } => (
            "the aggregate has no value that fits (a sum, least or greatest of no values)"
                .to_string(),
            Vec::new(),
        ),
    })
}
