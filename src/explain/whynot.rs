//! `whynot`: for each rule that could produce a fact, the first condition (in the order the
//! rule states them) that cannot be met under the bindings of the conditions before it, why
//! it cannot, and one level deeper for a derived atom.

use super::{Blocked, Finding};
use crate::eval::exec::Exec;
use crate::eval::expr::{compare, eval_expr};
use crate::eval::plan::{
    self, AtomLit, ExprPlan, HeadTime, Lit, PredId, Reg, RulePlan, Source, Term,
};
use crate::eval::stop::Stop;
use crate::eval::value::{Const, Value};
use crate::store::Evaluated;
use crate::syntax::ast::Atom;
use crate::syntax::{Diagnostic, Span};

use super::prove::instantiate;

/// What `whynot` finds about an atom (variables and `_` in it match anything) whose
/// predicate is registered.
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
    pred: PredId,
    args: &[Option<Value>],
    time: Option<Value>,
    depth: u32,
) -> Result<Vec<Blocked>, Diagnostic> {
    let compiled = kb.compiled;
    let plans = compiled.rules.iter().filter(|p| p.head == pred);
    let mut out = Vec::new();
    'rules: for plan in plans {
        let mut regs = vec![Value::NONE; plan.regs];
        let mut bound = vec![false; plan.regs];
        let stated = kb.stated;
        let rule = &stated.rules[plan.rule as usize];
        let (name, rule_at) = (
            stated.rule_name(plan.rule),
            stated.sources.file_line(rule.span),
        );
        let head = crate::syntax::print_atom(&rule.head);
        for (e, want) in plan.head_args.iter().zip(args) {
            let clash = match (e, want) {
                (ExprPlan::Var(r), Some(v)) => {
                    let clash = bound[*r as usize] && regs[*r as usize] != *v;
                    regs[*r as usize] = *v;
                    bound[*r as usize] = true;
                    clash
                }
                (ExprPlan::Const(c), Some(v)) => c != v,
                _ => false,
            };
            if clash {
                out.push(Blocked {
                    rule: name,
                    at: rule_at,
                    met: Vec::new(),
                    failing: "its head".to_string(),
                    because: format!("it derives only facts of the form {head}"),
                    deeper: Vec::new(),
                });
                continue 'rules;
            }
        }
        if let (HeadTime::Explicit(ExprPlan::Var(r)), Some(t)) = (&plan.head_time, time) {
            regs[*r as usize] = t;
            bound[*r as usize] = true;
        }
        let n = plan.body.len();
        let time_regs: Vec<Reg> = (0..n).map(|k| (plan.regs - n - 1 + k) as Reg).collect();
        let scratch = (plan.regs - 1) as Reg;
        // The longest prefix of conditions that can be met, and the bindings of its first match.
        let mut met = Vec::new();
        let mut solution = regs.clone();
        let mut failing = None;
        for k in 0..n {
            let prefix = &plan.body[..=k];
            let mut prefix_bound = bound.clone();
            let mut steps = plan::plan(
                prefix,
                &mut prefix_bound,
                None,
                &|_, _| Source::All,
                &time_regs,
                scratch,
            );
            let rels = &mut *kb.rels;
            plan::resolve(&mut steps, &mut |p, cols| {
                rels[p as usize].ensure_lookup(cols)
            });
            let mut first: Option<Vec<Value>> = None;
            {
                let mut exec = Exec::new(kb.rels, &[], &[], kb.interner, None);
                let mut sink = |_: &mut Exec<'_>, found: &[Value]| {
                    first = Some(found.to_vec());
                    Err(Stop::Enough)
                };
                let mut start = regs.clone();
                match exec.run(&steps, &mut start, &mut sink) {
                    Ok(()) | Err(Stop::Enough) => {}
                    Err(other) => return Err(kb.stated.stop_diagnostic(other, plan.span)),
                }
            }
            match first {
                Some(found) => {
                    met.push(show_literal(kb, &plan.body[k], &found, &plan.names));
                    solution = found;
                }
                None => {
                    failing = Some(k);
                    break;
                }
            }
        }
        let Some(k) = failing else {
            // Every condition holds: say what they derive instead.
            let derived = derived_instead(kb, plan, &solution);
            out.push(Blocked {
                rule: name,
                at: rule_at,
                met,
                failing: "its head".to_string(),
                because: match derived {
                    Some(fact) => format!("its conditions hold, but they derive {fact}"),
                    None => "every condition can be met, but not for this fact's values or time"
                        .to_string(),
                },
                deeper: Vec::new(),
            });
            continue;
        };
        let lit = &plan.body[k];
        let (because, deeper) = reason(kb, lit, &solution, depth)?;
        out.push(Blocked {
            rule: name,
            at: rule_at,
            met,
            failing: show_literal(kb, lit, &solution, &plan.names),
            because,
            deeper,
        });
    }
    Ok(out)
}

/// The fact a rule derives from a match of its conditions (its head with the match's values).
fn derived_instead(kb: &mut Evaluated<'_>, plan: &RulePlan, regs: &[Value]) -> Option<String> {
    let mut args = Vec::with_capacity(plan.head_args.len());
    for e in &plan.head_args {
        args.push(eval_expr(kb.interner, e, regs, plan.span).ok()??);
    }
    let time =
        crate::eval::expr::head_time(kb.interner, &plan.head_time, regs, plan.span).ok()??;
    Some(kb.show_fact(plan.head, &args, time))
}

/// A literal with the values bound so far.
fn show_literal(kb: &mut Evaluated<'_>, lit: &Lit, regs: &[Value], names: &[String]) -> String {
    match lit {
        Lit::Atom(a) => instantiate(kb, a, regs, names),
        Lit::Not(a) => format!("not {}", instantiate(kb, a, regs, names)),
        Lit::Cmp(op, l, r, span, _) => {
            format!(
                "{} {} {}",
                show_expr(kb, l, regs, *span),
                op.symbol(),
                show_expr(kb, r, regs, *span)
            )
        }
        Lit::Agg(agg) => {
            let inner: Vec<String> = agg
                .body
                .iter()
                .map(|l| show_literal(kb, l, regs, names))
                .collect();
            format!("{} {{ {} }}", agg.func.keyword(), inner.join(", "))
        }
    }
}

fn show_expr(kb: &mut Evaluated<'_>, e: &ExprPlan, regs: &[Value], span: Span) -> String {
    let bound = {
        let mut vars = Vec::new();
        vars_of(e, &mut vars);
        vars.iter()
            .all(|r| regs.get(*r as usize).is_some_and(|v| v.is_some()))
    };
    if bound {
        if let Ok(Some(v)) = eval_expr(kb.interner, e, regs, span) {
            return kb.value(v).to_string();
        }
    }
    "_".to_string()
}

fn vars_of(e: &ExprPlan, out: &mut Vec<Reg>) {
    match e {
        ExprPlan::Var(r) => out.push(*r),
        ExprPlan::Const(_) => {}
        ExprPlan::Binary(_, a, b) => {
            vars_of(a, out);
            vars_of(b, out);
        }
        ExprPlan::Neg(a) => vars_of(a, out),
        ExprPlan::Call(_, args) => args.iter().for_each(|a| vars_of(a, out)),
    }
}

/// Why a condition cannot be met under `regs`, and the rules behind a derived atom.
fn reason(
    kb: &mut Evaluated<'_>,
    lit: &Lit,
    regs: &[Value],
    depth: u32,
) -> Result<(String, Vec<Blocked>), Diagnostic> {
    Ok(match lit {
        Lit::Atom(a) => {
            let derived = kb.compiled.rules.iter().any(|p| p.head == a.pred);
            let stated = kb.stated.base[a.pred as usize].len() > 0;
            let because = match (derived, stated) {
                (false, false) => "no fact of it is stated and no rule derives it".to_string(),
                (false, true) => "no such fact is stated".to_string(),
                (true, false) => "it is not derived".to_string(),
                (true, true) => "it is neither stated nor derived".to_string(),
            };
            let deeper = if derived && depth > 0 {
                let (args, time) = pattern_of(a, regs);
                blocked(kb, a.pred, &args, time, depth - 1)?
            } else {
                Vec::new()
            };
            (because, deeper)
        }
        Lit::Not(a) => {
            let shown = instantiate(kb, a, regs, &[]);
            (format!("{shown} holds"), Vec::new())
        }
        Lit::Cmp(op, l, r, span, _) => {
            let values = (
                eval_expr(kb.interner, l, regs, *span),
                eval_expr(kb.interner, r, regs, *span),
            );
            let because = match values {
                (Ok(Some(a)), Ok(Some(b))) => {
                    let holds = compare(kb.interner, *op, a, b);
                    let (a, b) = (kb.value(a), kb.value(b));
                    if holds {
                        format!(
                            "`{a} {} {b}` holds, but not together with the conditions before it",
                            op.symbol()
                        )
                    } else if a.compare(b).is_none()
                        && !matches!((a, b), (Const::Sym(_), Const::Sym(_)))
                    {
                        format!("`{a}` and `{b}` do not compare")
                    } else {
                        format!("`{a} {} {b}` is false", op.symbol())
                    }
                }
                _ => "it has no value (a division by zero, or a part of a time the time lacks)"
                    .to_string(),
            };
            (because, Vec::new())
        }
        Lit::Agg(_) => (
            "the aggregate has no value that fits (a sum, least or greatest of no values)"
                .to_string(),
            Vec::new(),
        ),
    })
}

/// An atom's arguments and time as a pattern: bound values, or `None` for anything.
fn pattern_of(a: &AtomLit, regs: &[Value]) -> (Vec<Option<Value>>, Option<Value>) {
    let value = |t: &Term| match t {
        Term::Const(v) => Some(*v),
        Term::Var(r) => regs.get(*r as usize).copied().filter(|v| v.is_some()),
        Term::Wild => None,
    };
    (
        a.args.iter().map(value).collect(),
        a.time.as_ref().and_then(value),
    )
}
