//! `whynot`'s search: for each rule alternative that could derive a fact, the longest prefix of
//! its conditions that can be met and what stops it, with other matches of that prefix to
//! follow the one whose failure goes furthest ([`crate::explain`] says what they mean).

use super::exec::Exec;
use super::expr::{eval_expr, head_time};
use super::plan::{self, lit_vars, ExprPlan, HeadTime, Lit, PredId, RulePlan, Source};
use super::relation::Relation;
use super::search::{condition, Condition};
use super::stop::Stop;
use super::value::{Interner, Value};
use super::Const;
use crate::value::Time;

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
    /// values and the later conditions that fail too ([`Attempt::also`]), for `whynot` to
    /// follow the one whose failure goes furthest.
    pub(crate) others: Vec<Other>,
    /// When a condition fails: the later conditions that would still fail were it met, each
    /// under the values of the ones that can be met before it (a condition that needs a
    /// value only a failing one would give is left out): all a rule lacks, not only the
    /// first thing.
    pub(crate) also: Vec<Condition>,
    /// Whether the failing condition gives the rule's head its time (`@ T` of a head `@ T`,
    /// or the one atom of a head without `@`): a question about a time asks it of this
    /// condition.
    pub(crate) carries_time: bool,
}

/// Another match of the conditions before a failing one: the conditions met under its
/// values, the failing condition, and the later ones that fail too.
pub(crate) type Other = (Vec<Condition>, Condition, Vec<Condition>);

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

/// What a search asks of the time of the fact sought.
#[derive(Clone, Copy, Default)]
pub(crate) struct AskedTime {
    /// The facts searched are those that had come by this time.
    pub(crate) until: Option<Time>,
    /// The fact's time lies within this one (a year or month asked): a match that gives the
    /// head another time is no match.
    pub(crate) within: Option<Time>,
}

/// For each rule alternative with head `pred`: the longest prefix of its conditions that can
/// be met with the head bound to `args` and `time` (`None` where anything goes), under what
/// is `asked` of its time, and what stops it.
pub(crate) fn attempts(
    rels: &mut [Relation],
    interner: &mut Interner,
    rules: &[RulePlan],
    pred: PredId,
    args: &[Option<Value>],
    time: Option<Value>,
    asked: AskedTime,
) -> Result<Vec<Attempt>, Stop> {
    let mut out = Vec::new();
    for plan in rules.iter().filter(|p| p.head == pred) {
        let search = Search::new(plan, asked);
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
                also: Vec::new(),
                carries_time: false,
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
            match first_match(rels, interner, search, k, &bound, &regs)? {
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
            let body = &plan.body[..k];
            let found = matches(rels, interner, search, body, &bound, &regs, limit)?;
            for regs in found.iter().filter(|r| **r != solution) {
                let failed = condition(interner, &plan.body[k], regs, &plan.names);
                let also = also_failing(rels, interner, search, k, regs)?;
                others.push((shown(interner, regs, k), failed, also));
            }
        }
        let also = match failing {
            Some(k) => also_failing(rels, interner, search, k, &solution)?,
            None => Vec::new(),
        };
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
                    let found = first_match(rels, interner, search, k, &free, &at)?;
                    *computed = found
                        .and_then(|f| f.get(agg.result as usize).copied())
                        .filter(|v| v.is_some());
                }
                // Met by a later fact? The time of the row the condition matched then.
                let later = match asked.until {
                    Some(_) => {
                        let search = Search {
                            until: None,
                            ..search
                        };
                        first_match(rels, interner, search, k, &bound, &regs)?
                    }
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
            also,
            carries_time: failing.is_some_and(|k| carries_time(plan, k)),
        });
    }
    Ok(out)
}

/// The conditions after the failing one `k` that fail too, from a match `regs` of the ones
/// before it: each later condition is tried under the values met so far (a match of it adds
/// its own), except one that names a variable only a failed or skipped condition would
/// bind (an atom would then match anything; a negation or comparison cannot be tried).
fn also_failing(
    rels: &mut [Relation],
    interner: &mut Interner,
    search: Search<'_>,
    k: usize,
    regs: &[Value],
) -> Result<Vec<Condition>, Stop> {
    let plan = search.plan;
    let mut regs = regs.to_vec();
    let mut orphans: Vec<plan::Reg> = plan::lit_vars(&plan.body[k])
        .into_iter()
        .filter(|r| !regs[*r as usize].is_some())
        .collect();
    let mut out = Vec::new();
    for j in k + 1..plan.body.len() {
        let lit = &plan.body[j];
        let vars = plan::lit_vars(lit);
        let bound: Vec<bool> = regs.iter().map(|v| v.is_some()).collect();
        if vars.iter().any(|r| orphans.contains(r)) || !testable(&plan.body, j, &bound) {
            orphans.extend(vars.into_iter().filter(|r| !bound[*r as usize]));
            continue;
        }
        // Of several matches none is the one: what they would bind stays open.
        let body = std::slice::from_ref(lit);
        let mut found = matches(rels, interner, search, body, &bound, &regs, 2)?;
        if found.is_empty() {
            out.push(condition(interner, lit, &regs, &plan.names));
        }
        match found.pop().filter(|_| found.is_empty()) {
            Some(one) => regs = one,
            None => orphans.extend(vars.into_iter().filter(|r| !bound[*r as usize])),
        }
    }
    Ok(out)
}

/// A rule searched, and what is asked of its head's time.
#[derive(Clone, Copy)]
struct Search<'p> {
    plan: &'p RulePlan,
    /// Facts that had come by this time, when given.
    until: Option<Time>,
    /// The head's time register, when the head is `@ T`, and the time it must lie within.
    within: Option<(plan::Reg, Time)>,
}

impl<'p> Search<'p> {
    fn new(plan: &'p RulePlan, asked: AskedTime) -> Search<'p> {
        let within = match (&plan.head_time, asked.within) {
            (HeadTime::Explicit(ExprPlan::Var(r)), Some(t)) => Some((*r, t)),
            _ => None,
        };
        Search {
            plan,
            until: asked.until,
            within,
        }
    }
}

/// Whether condition `k` gives the head its time: the atom whose `@ T` is the head's, or the
/// one positive atom of a rule whose head takes the latest time of its atoms.
fn carries_time(plan: &RulePlan, k: usize) -> bool {
    let Some(Lit::Atom(atom)) = plan.body.get(k) else {
        return false;
    };
    match &plan.head_time {
        HeadTime::Explicit(ExprPlan::Var(r)) => atom.time == Some(plan::Term::Var(*r)),
        HeadTime::Explicit(_) => false,
        HeadTime::Latest(_) => {
            plan.body
                .iter()
                .filter(|l| matches!(l, Lit::Atom(_)))
                .count()
                == 1
        }
    }
}

/// Up to `limit` matches of `body` (some of a rule's conditions) from the bindings `regs`
/// (those marked in `bound`), with facts that had come by the search's time, and none that
/// gives the head a time outside the one asked.
fn matches(
    rels: &mut [Relation],
    interner: &mut Interner,
    search: Search<'_>,
    body: &[Lit],
    bound: &[bool],
    regs: &[Value],
    limit: usize,
) -> Result<Vec<Vec<Value>>, Stop> {
    let plan = search.plan;
    let mut prefix_bound = bound.to_vec();
    // The conditions searched are `testable` ones, each of which the plan places; were one
    // not, nothing would match.
    let Some(mut steps) = plan::plan(
        body,
        &mut prefix_bound,
        None,
        &|_, _| Source::All,
        plan.layout,
        None,
    ) else {
        return Ok(Vec::new());
    };
    if let Some(time) = search.until {
        plan::as_of(&mut steps, time);
    }
    plan::resolve(&mut steps, &mut |p, cols| {
        rels[p as usize].ensure_lookup(cols)
    });
    let mut found: Vec<Vec<Value>> = Vec::new();
    let mut exec = Exec::new(rels, &[], &[], interner, None);
    let mut sink = |exec: &mut Exec<'_>, regs: &[Value]| {
        if let Some((r, asked)) = search.within {
            let at = regs.get(r as usize).copied().filter(|v| v.is_some());
            if let Some(at) = at {
                if let Const::Time(t) = exec.interner.get(at).as_ref() {
                    if !t.within(asked) && !asked.within(*t) {
                        return Ok(());
                    }
                }
            }
        }
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
/// in `bound`), as [`matches`] searches.
fn first_match(
    rels: &mut [Relation],
    interner: &mut Interner,
    search: Search<'_>,
    k: usize,
    bound: &[bool],
    regs: &[Value],
) -> Result<Option<Vec<Value>>, Stop> {
    let body = &search.plan.body[..=k];
    Ok(matches(rels, interner, search, body, bound, regs, 1)?
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

/// Whether condition `j` of `body` can be tried alone under the registers marked in `bound`:
/// an atom always (its free variables match anything); a negation when each of its variables
/// is bound or named by no other condition (local to it); a comparison when both sides have
/// values; an aggregate never (its groups and range are the rule's).
fn testable(body: &[Lit], j: usize, bound: &[bool]) -> bool {
    let is_bound = |r: &plan::Reg| bound.get(*r as usize).copied().unwrap_or(false);
    match body.get(j) {
        None => false,
        Some(Lit::Atom(_)) => true,
        Some(lit @ Lit::Not(_)) => lit_vars(lit).into_iter().all(|r| {
            is_bound(&r)
                || body
                    .iter()
                    .enumerate()
                    .all(|(i, l)| i == j || !lit_vars(l).contains(&r))
        }),
        Some(lit @ Lit::Cmp(..)) => lit_vars(lit).iter().all(is_bound),
        Some(Lit::Agg(_)) => false,
    }
}
