//! `whynot`'s search: for each rule alternative that could derive a fact, the longest prefix of
//! its conditions that can be met and what stops it, with other matches of that prefix to
//! follow the one whose failure goes furthest ([`crate::explain`] says what they mean).

use super::exec::Exec;
use super::expr::{eval_expr, head_time};
use super::plan::{self, ExprPlan, HeadTime, Lit, PredId, RulePlan, Source};
use super::relation::Relation;
use super::search::{condition, Condition};
use super::stop::Stop;
use super::value::{Interner, Value};

/// Why a fact does not hold, by one rule alternative whose head could produce it.
pub(crate) struct Attempt {
    /// The rule's number.
    pub(crate) rule: u32,
    /// The conditions met, in the rule's order, with the values of the first match.
    pub(crate) met: Vec<Condition>,
    /// What stops the rule.
    pub(crate) outcome: Outcome,
    /// When a condition fails: other matches of the conditions before it (at most
    /// [`OTHER_MATCHES`]), each with its conditions met and the failing condition under its
    /// values, for `whynot` to follow the one whose failure goes furthest.
    pub(crate) others: Vec<(Vec<Condition>, Condition)>,
}

/// How many other matches of the conditions before a failing one an attempt keeps.
pub(crate) const OTHER_MATCHES: usize = 8;

/// What stops a rule from deriving a fact.
pub(crate) enum Outcome {
    /// Its head cannot take the fact's values.
    Head,
    /// Every condition can be met; the first match derives this fact instead (`None`:
    /// nothing with the fact's values or time).
    Instead(Option<(Vec<Value>, Value)>),
    /// This condition cannot be met under the values of the ones before it.
    Fails(Condition),
    /// This condition is met only by a fact that came after the time asked about: the time
    /// of the first such fact.
    Later(Condition, Value),
}

/// For each rule alternative with head `pred`: the longest prefix of its conditions that can
/// be met with the head bound to `args` and `time` (`None` where anything goes) — with facts
/// that had come by `until`, when given — and what stops it.
pub(crate) fn attempts(
    rels: &mut [Relation],
    interner: &mut Interner,
    rules: &[RulePlan],
    pred: PredId,
    args: &[Option<Value>],
    time: Option<Value>,
    until: Option<crate::value::Time>,
) -> Result<Vec<Attempt>, Stop> {
    let mut out = Vec::new();
    for plan in rules.iter().filter(|p| p.head == pred) {
        let layout = plan.layout;
        let mut regs = vec![Value::NONE; layout.len()];
        let mut bound = vec![false; layout.len()];
        let mut clash = false;
        for (e, want) in plan.head_args.iter().zip(args) {
            clash |= match (e, want) {
                (ExprPlan::Var(r), Some(v)) => {
                    let clash = bound[*r as usize] && regs[*r as usize] != *v;
                    regs[*r as usize] = *v;
                    bound[*r as usize] = true;
                    clash
                }
                (ExprPlan::Const(c), Some(v)) => c != v,
                _ => false,
            };
        }
        if clash {
            out.push(Attempt {
                rule: plan.rule,
                met: Vec::new(),
                outcome: Outcome::Head,
                others: Vec::new(),
            });
            continue;
        }
        if let (HeadTime::Explicit(ExprPlan::Var(r)), Some(t)) = (&plan.head_time, time) {
            regs[*r as usize] = t;
            bound[*r as usize] = true;
        }
        let mut solution = regs.clone();
        let mut failing = None;
        for k in 0..plan.body.len() {
            match first_match(rels, interner, plan, k, &bound, &regs, until)? {
                Some(found) => solution = found,
                None => {
                    failing = Some(k);
                    break;
                }
            }
        }
        // The conditions met, each with the values of one match of the longest prefix that
        // can be met (each prefix's own first match would show values of different matches
        // side by side: a window of 2023 ticked beside the opening of another in 1962).
        let shown = |interner: &mut Interner, regs: &[Value], upto: usize| -> Vec<Condition> {
            (0..upto)
                .map(|j| condition(interner, &plan.body[j], regs, &plan.names))
                .collect()
        };
        let met = shown(interner, &solution, failing.unwrap_or(plan.body.len()));
        let mut others = Vec::new();
        if let Some(k) = failing.filter(|k| *k > 0) {
            let limit = OTHER_MATCHES + 1;
            let found = matches(rels, interner, plan, k - 1, &bound, &regs, until, limit)?;
            for regs in found.iter().filter(|r| **r != solution) {
                let failed = condition(interner, &plan.body[k], regs, &plan.names);
                others.push((shown(interner, regs, k), failed));
            }
        }
        let outcome = match failing {
            Some(k) => {
                let mut failed = condition(interner, &plan.body[k], &solution, &plan.names);
                // An aggregate that fails for the value asked: what it computes instead.
                if let (Lit::Agg(agg), Condition::Aggregate { computed, .. }) =
                    (&plan.body[k], &mut failed)
                {
                    let mut free = bound.clone();
                    let mut at = regs.clone();
                    if let (Some(b), Some(v)) = (
                        free.get_mut(agg.result as usize),
                        at.get_mut(agg.result as usize),
                    ) {
                        *b = false;
                        *v = Value::NONE;
                    }
                    let found = first_match(rels, interner, plan, k, &free, &at, until)?;
                    *computed = found
                        .and_then(|f| f.get(agg.result as usize).copied())
                        .filter(|v| v.is_some());
                }
                // Met by a later fact? The time of the row the condition matched then.
                let later = match until {
                    Some(_) => first_match(rels, interner, plan, k, &bound, &regs, None)?,
                    None => None,
                };
                match later.map(|found| found[layout.time_regs()[k] as usize]) {
                    Some(at) if at.is_some() => Outcome::Later(failed, at),
                    _ => Outcome::Fails(failed),
                }
            }
            None => Outcome::Instead(derived(interner, plan, &solution)),
        };
        out.push(Attempt {
            rule: plan.rule,
            met,
            outcome,
            others,
        });
    }
    Ok(out)
}

/// Up to `limit` matches of a rule's first `k + 1` conditions from the bindings `regs` (those
/// marked in `bound`), with facts that had come by `until` when given.
#[allow(clippy::too_many_arguments)]
fn matches(
    rels: &mut [Relation],
    interner: &mut Interner,
    plan: &RulePlan,
    k: usize,
    bound: &[bool],
    regs: &[Value],
    until: Option<crate::value::Time>,
    limit: usize,
) -> Result<Vec<Vec<Value>>, Stop> {
    let mut prefix_bound = bound.to_vec();
    let mut steps = plan::plan(
        &plan.body[..=k],
        &mut prefix_bound,
        None,
        &|_, _| Source::All,
        plan.layout,
    );
    if let Some(time) = until {
        plan::as_of(&mut steps, time);
    }
    plan::resolve(&mut steps, &mut |p, cols| {
        rels[p as usize].ensure_lookup(cols)
    });
    let mut found: Vec<Vec<Value>> = Vec::new();
    let mut exec = Exec::new(rels, &[], &[], interner, None);
    let mut sink = |_: &mut Exec<'_>, regs: &[Value]| {
        found.push(regs.to_vec());
        if found.len() >= limit {
            return Err(Stop::Enough);
        }
        Ok(())
    };
    let mut start = regs.to_vec();
    match exec.run(&steps, &mut start, &mut sink) {
        Ok(()) | Err(Stop::Enough) => Ok(found),
        Err(other) => Err(other),
    }
}

/// The first match of a rule's first `k + 1` conditions from the bindings `regs` (those marked
/// in `bound`), with facts that had come by `until` when given.
fn first_match(
    rels: &mut [Relation],
    interner: &mut Interner,
    plan: &RulePlan,
    k: usize,
    bound: &[bool],
    regs: &[Value],
    until: Option<crate::value::Time>,
) -> Result<Option<Vec<Value>>, Stop> {
    Ok(matches(rels, interner, plan, k, bound, regs, until, 1)?
        .into_iter()
        .next())
}

/// The fact a rule derives from a match of its conditions: its arguments and time.
fn derived(
    interner: &mut Interner,
    plan: &RulePlan,
    regs: &[Value],
) -> Option<(Vec<Value>, Value)> {
    let mut args = Vec::with_capacity(plan.head_args.len());
    for e in &plan.head_args {
        args.push(eval_expr(interner, e, regs, plan.span).ok()??);
    }
    let time = head_time(interner, &plan.head_time, regs, plan.span).ok()??;
    Some((args, time))
}
