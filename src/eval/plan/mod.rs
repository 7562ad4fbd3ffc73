//! Planning: a lowered rule or query ([`Lit`]s over registers, laid out as [`Layout`] says)
//! becomes, for each way semi-naive evaluation runs it, an ordered list of [`Step`]s. The
//! planner binds as it goes: it starts from the delta atom, takes next the atom with the most
//! bound columns (so lookups go through an index, never a full scan where an argument is
//! bound), and places each comparison, binding, negation and aggregate as soon as its
//! variables are bound; a negation whose key is bound partly outside the innermost scan is
//! narrowed to the rows under that part ([`Narrowing`]).

mod range;
mod steps;

pub(crate) use range::{Leaf, Linear, RangeCond, RangePlan};
pub(crate) use steps::{
    AggLit, AggStep, AtomLit, Computed, DistinctRows, ExprPlan, HeadTime, IntOp, Layout, Lit,
    Narrowing, PredId, Probe, Reg, RulePlan, Scan, Source, Step, Term,
};

use super::relation::Col;
use crate::syntax::ast::CmpOp;
use crate::value::Time;

/// The index id of a scan or probe planned but not yet [`resolve`]d: ids belong to the
/// relations a plan runs on, so they are set when it is about to run (every runner resolves
/// what it runs: `Compiled::resolve`, `QueryPlan::answers`, `search`'s lookups and
/// derivations, `attempts`). No input decides it.
const UNRESOLVED: usize = usize::MAX;

/// How an atom is read given the registers bound so far.
struct Access {
    /// Indexed columns, and the key term of each.
    cols: Vec<Col>,
    key: Vec<Term>,
    /// Free variables bound from columns, and repeated ones checked against them.
    binds: Vec<(Col, Reg)>,
    checks: Vec<(Col, Reg)>,
    /// Only timed rows match.
    timed: bool,
}

fn atom_access(a: &AtomLit, bound: &[bool]) -> Access {
    let mut access = Access {
        cols: Vec::new(),
        key: Vec::new(),
        binds: Vec::new(),
        checks: Vec::new(),
        timed: false,
    };
    let mut seen: Vec<Reg> = Vec::new();
    let columns = a
        .args
        .iter()
        .enumerate()
        .map(|(i, t)| (Col::Arg(i as u16), *t))
        .chain(a.time.map(|t| (Col::Time, t)));
    for (col, t) in columns {
        match t {
            Term::Const(_) => {
                access.cols.push(col);
                access.key.push(t);
            }
            Term::Var(r) if bound[r as usize] => {
                access.cols.push(col);
                access.key.push(t);
            }
            Term::Var(r) if seen.contains(&r) => access.checks.push((col, r)),
            Term::Var(r) => {
                seen.push(r);
                access.binds.push((col, r));
                access.timed |= col == Col::Time;
            }
            Term::Wild => access.timed |= col == Col::Time,
        }
    }
    access
}

/// Plans a conjunction laid out in registers as `layout` says. `bound` marks registers bound
/// on entry and is updated; `first` is a literal to take first (the delta atom); `source` says
/// how each atom reads; of two atoms with as many bound columns, the one over the smaller
/// relation goes first when `sizes` are given, else the one written first. `None` when a
/// literal cannot be placed: no binding reaches a variable it needs (a body the checker
/// refuses as unsafe).
pub(crate) fn plan(
    body: &[Lit],
    bound: &mut Vec<bool>,
    first: Option<usize>,
    source: &dyn Fn(usize, &AtomLit) -> Source,
    layout: Layout,
    sizes: Option<&dyn Fn(PredId) -> usize>,
) -> Option<Vec<Step>> {
    let time_regs = layout.time_regs();
    let mut unplaced = false;
    let steps = plan_steps(
        body,
        bound,
        first,
        source,
        &time_regs,
        layout.scratch(),
        None,
        sizes,
        Some(&mut 0),
        &mut unplaced,
    );
    (!unplaced).then_some(steps)
}

/// A plan over complete relations that records the number of the row each atom matched (in
/// the layout's row registers), for rebuilding proofs; of two atoms with as many bound columns
/// the one over the smaller relation (`sizes`) goes first. It searches only bodies [`plan`]
/// placed whole (a compiled rule, or one atom), with at least the registers bound that
/// [`plan`] had: each literal is placed again.
pub(crate) fn plan_search(
    body: &[Lit],
    bound: &mut Vec<bool>,
    layout: Layout,
    sizes: &dyn Fn(PredId) -> usize,
) -> Vec<Step> {
    let (time_regs, row_regs) = (layout.time_regs(), layout.row_regs());
    plan_steps(
        body,
        bound,
        None,
        &|_, _| Source::All,
        &time_regs,
        layout.scratch(),
        Some(&row_regs),
        Some(sizes),
        None,
        &mut false,
    )
}

/// [`plan`] with the registers given one by one; sets `unplaced` when a literal (here or in
/// an aggregate's braces) cannot be placed.
#[allow(clippy::too_many_arguments)]
fn plan_steps(
    body: &[Lit],
    bound: &mut Vec<bool>,
    first: Option<usize>,
    source: &dyn Fn(usize, &AtomLit) -> Source,
    time_regs: &[Reg],
    scratch: Reg,
    row_regs: Option<&[Reg]>,
    sizes: Option<&dyn Fn(PredId) -> usize>,
    mut slots: Option<&mut usize>,
    unplaced: &mut bool,
) -> Vec<Step> {
    // A comparison `X = E` binds X only when no positive atom binds it: otherwise it is a
    // test, and must wait for the atom (`3 = 3.0` holds, though they are two constants).
    let atom_vars: Vec<Reg> = body
        .iter()
        .filter_map(|l| match l {
            Lit::Atom(a) => Some(a.vars()),
            _ => None,
        })
        .flatten()
        .collect();
    // The variables of a negated atom that no other condition names and nothing binds on
    // entry: local to it (LANGUAGE.md §7).
    let locals: Vec<Vec<Reg>> = body
        .iter()
        .enumerate()
        .map(|(i, lit)| match lit {
            Lit::Not(a) => a
                .vars()
                .filter(|r| {
                    !bound[*r as usize]
                        && !body
                            .iter()
                            .enumerate()
                            .any(|(j, other)| j != i && lit_vars(other).contains(r))
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let mut done = vec![false; body.len()];
    let mut steps = Vec::new();
    let ready = |vars: &[Reg], bound: &[bool]| vars.iter().all(|r| bound[*r as usize]);
    let take_atom = |i: usize, a: &AtomLit, bound: &mut Vec<bool>, steps: &mut Vec<Step>| {
        let access = atom_access(a, bound);
        for (_, r) in &access.binds {
            bound[*r as usize] = true;
        }
        steps.push(Step::Scan(Scan {
            pred: a.pred,
            source: source(i, a),
            cols: access.cols,
            index: UNRESOLVED,
            key: access.key,
            binds: access.binds,
            checks: access.checks,
            timed: access.timed,
            within: a.within,
            until: None,
            time_reg: time_regs[i],
            row_reg: row_regs.map(|rows| rows[i]),
            gathers: false,
            range: None,
        }));
    };
    // The innermost scan so far: its place among the steps, and what was bound before it.
    let mut innermost: Option<(usize, Vec<bool>)> = None;
    if let Some(i) = first {
        if let Lit::Atom(a) = &body[i] {
            innermost = Some((steps.len(), bound.clone()));
            take_atom(i, a, bound, &mut steps);
            done[i] = true;
        }
    }
    loop {
        // Everything that can run now, in body order.
        let mut progress = true;
        while progress {
            progress = false;
            for (i, lit) in body.iter().enumerate() {
                if done[i] {
                    continue;
                }
                let step = match lit {
                    Lit::Cmp(op, l, r, span, sides) => {
                        let (mut lv, mut rv) = (Vec::new(), Vec::new());
                        l.vars(&mut lv);
                        r.vars(&mut rv);
                        // `X = E` binds X when no positive atom does and E is computable; an
                        // error in E is reported at E.
                        let binds = |x: &Reg, e: &ExprPlan| {
                            let mut ev = Vec::new();
                            e.vars(&mut ev);
                            !bound[*x as usize] && !atom_vars.contains(x) && ready(&ev, bound)
                        };
                        if ready(&lv, bound) && ready(&rv, bound) {
                            Some(match (l.as_term(), r.as_term()) {
                                (Some(a), Some(b)) => Step::Compare(*op, a, b),
                                _ => Step::Filter(
                                    *op,
                                    Computed::new(l.clone()),
                                    Computed::new(r.clone()),
                                    *span,
                                ),
                            })
                        } else if *op != CmpOp::Eq {
                            None
                        } else {
                            let binding = match (l, r) {
                                (ExprPlan::Var(x), e) if binds(x, e) => Some((*x, e, sides[1])),
                                (e, ExprPlan::Var(y)) if binds(y, e) => Some((*y, e, sides[0])),
                                _ => None,
                            };
                            binding.map(|(x, e, at)| {
                                bound[x as usize] = true;
                                Step::Bind(x, Computed::new(e.clone()), at)
                            })
                        }
                    }
                    Lit::Not(a) => {
                        let vars: Vec<Reg> = a.vars().filter(|r| !locals[i].contains(r)).collect();
                        ready(&vars, bound).then(|| {
                            let mut probe = probe(a, bound);
                            if let (Some(count), Some((at, outer))) =
                                (slots.as_deref_mut(), innermost.as_mut())
                            {
                                if let Some(narrowing) = narrowing(&probe, outer, *count) {
                                    // Cleared each time the scans before the innermost one
                                    // bind the outer part anew.
                                    steps.insert(*at, Step::Forget(narrowing.slot));
                                    *at += 1;
                                    *count += 1;
                                    probe.narrow = Some(narrowing);
                                }
                            }
                            Step::Not(probe)
                        })
                    }
                    _ => None,
                };
                if let Some(step) = step {
                    steps.push(step);
                    done[i] = true;
                    progress = true;
                }
            }
        }
        // The atom with the most bound columns next.
        let best = body
            .iter()
            .enumerate()
            .filter(|(i, _)| !done[*i])
            .filter_map(|(i, l)| match l {
                Lit::Atom(a) => {
                    let bound_cols = atom_access(a, bound).cols.len();
                    let size = sizes.map_or(0, |size| size(a.pred));
                    Some((bound_cols, std::cmp::Reverse(size), std::cmp::Reverse(i), a))
                }
                _ => None,
            })
            .max_by_key(|(n, size, i, _)| (*n, *size, *i));
        if let Some((_, _, std::cmp::Reverse(i), a)) = best {
            innermost = Some((steps.len(), bound.clone()));
            take_atom(i, a, bound, &mut steps);
            done[i] = true;
            continue;
        }
        // Then the aggregates whose outside inputs are bound.
        let next_agg = body.iter().enumerate().find(|(i, l)| {
            !done[*i] && matches!(l, Lit::Agg(agg) if ready(&agg_needs(agg), bound))
        });
        match next_agg {
            Some((i, Lit::Agg(agg))) => {
                let planned = plan_aggregate(agg, bound, scratch, unplaced);
                steps.push(Step::Agg(Box::new(planned)));
                done[i] = true;
            }
            _ => break,
        }
    }
    if !done.iter().all(|d| *d) {
        *unplaced = true;
    }
    // The innermost keyed scan gathers its rows (see `Scan::gathers`), in the range the steps
    // after it bound, if any.
    let innermost = steps
        .iter()
        .rposition(|s| matches!(s, Step::Scan(_) | Step::Agg(_)));
    if let Some(at) = innermost {
        let gathers = matches!(steps.get(at), Some(Step::Scan(s)) if !s.cols.is_empty() && s.checks.is_empty());
        let range = gathers.then(|| range::range_plan(&steps, at)).flatten();
        if let Some(Step::Scan(s)) = steps.get_mut(at) {
            s.gathers = gathers;
            s.range = range.map(Box::new);
        }
    }
    steps
}

/// The probe of a negated atom under the registers bound so far.
fn probe(a: &AtomLit, bound: &[bool]) -> Probe {
    let access = atom_access(a, bound);
    // A local variable binds nothing: where it is written twice, the two columns must agree.
    let same = access
        .checks
        .iter()
        .filter_map(|&(c, r)| {
            let first = access.binds.iter().find(|(_, b)| *b == r)?;
            Some((first.0, c))
        })
        .collect();
    Probe {
        pred: a.pred,
        cols: access.cols,
        index: UNRESOLVED,
        key: access.key,
        timed: access.timed || matches!(a.time, Some(Term::Wild)),
        within: a.within,
        until: None,
        same,
        narrow: None,
    }
}

/// The narrowing of `probe` in slot `slot` (see [`Narrowing`]), when its key has a part bound
/// before the innermost scan (`outer` marks what was) and a part bound by it or after.
fn narrowing(probe: &Probe, outer: &[bool], slot: usize) -> Option<Narrowing> {
    let is_outer = |t: &Term| match *t {
        Term::Var(r) => outer[r as usize],
        Term::Const(_) => true,
        Term::Wild => false,
    };
    let (mut cols, mut key, mut checks) = (Vec::new(), Vec::new(), Vec::new());
    for (&c, t) in probe.cols.iter().zip(&probe.key) {
        if is_outer(t) {
            cols.push(c);
            key.push(*t);
        } else {
            checks.push((c, *t));
        }
    }
    (!cols.is_empty() && !checks.is_empty()).then_some(Narrowing {
        slot,
        cols,
        index: UNRESOLVED,
        key,
        checks,
    })
}

/// Every register a literal names.
pub(crate) fn lit_vars(lit: &Lit) -> Vec<Reg> {
    match lit {
        Lit::Atom(a) | Lit::Not(a) => a.vars().collect(),
        Lit::Cmp(_, l, r, _, _) => {
            let mut out = Vec::new();
            l.vars(&mut out);
            r.vars(&mut out);
            out
        }
        Lit::Agg(agg) => agg
            .inner
            .iter()
            .chain(&agg.group)
            .chain(agg.target.as_ref())
            .chain(std::iter::once(&agg.result))
            .copied()
            .collect(),
    }
}

/// The outside variables an aggregate reads but does not bind itself.
fn agg_needs(agg: &AggLit) -> Vec<Reg> {
    let mut positive: Vec<Reg> = Vec::new();
    for l in &agg.body {
        if let Lit::Atom(a) = l {
            positive.extend(a.vars());
        }
    }
    agg.group
        .iter()
        .copied()
        .filter(|r| !positive.contains(r))
        .collect()
}

fn plan_aggregate(agg: &AggLit, bound: &mut [bool], scratch: Reg, unplaced: &mut bool) -> AggStep {
    let bound_group: Vec<Reg> = agg
        .group
        .iter()
        .copied()
        .filter(|r| bound[*r as usize])
        .collect();
    let free_group: Vec<Reg> = agg
        .group
        .iter()
        .copied()
        .filter(|r| !bound[*r as usize])
        .collect();
    let mut inner_bound = bound.to_vec();
    // The times of the rows inside the braces do not matter: they all go to the scratch register.
    let scratches = vec![scratch; agg.body.len()];
    let steps = plan_steps(
        &agg.body,
        &mut inner_bound,
        None,
        &|_, _| Source::All,
        &scratches,
        scratch,
        None,
        None,
        None,
        unplaced,
    );
    let result_bound = bound[agg.result as usize];
    let distinct = distinct_rows(agg, &steps, &bound_group);
    for r in free_group.iter().chain(std::iter::once(&agg.result)) {
        bound[*r as usize] = true;
    }
    AggStep {
        func: agg.func,
        result: agg.result,
        target: agg.target,
        steps,
        bound_group,
        free_group,
        inner: agg.inner.clone(),
        result_bound,
        distinct,
        span: agg.span,
    }
}

/// Whether an aggregate's matches are distinct rows of one relation (see [`DistinctRows`]).
fn distinct_rows(agg: &AggLit, steps: &[Step], bound_group: &[Reg]) -> Option<DistinctRows> {
    let ([Lit::Atom(atom)], [Step::Scan(s)]) = (agg.body.as_slice(), steps) else {
        return None;
    };
    let binds = |c: Col| s.binds.iter().find(|(col, _)| *col == c).map(|(_, r)| *r);
    let keyed = |c: Col| s.cols.contains(&c);
    let every_arg = (0..atom.args.len()).all(|c| {
        let c = Col::Arg(c as u16);
        keyed(c) || binds(c).is_some_and(|r| agg.inner.contains(&r))
    });
    let every_inner = agg
        .inner
        .iter()
        .all(|r| bound_group.contains(r) || s.binds.iter().any(|(_, b)| b == r));
    (s.checks.is_empty() && every_arg && every_inner).then(|| DistinctRows {
        pred: s.pred,
        needs_timeless: !binds(Col::Time).is_some_and(|r| agg.inner.contains(&r)),
    })
}

/// Makes every scan and probe of `steps` read only the rows that had come by `time` (as of a
/// time: a fact dated later does not exist yet).
pub(crate) fn as_of(steps: &mut [Step], time: Time) {
    for step in steps {
        match step {
            Step::Scan(s) => s.until = Some(time),
            Step::Not(p) => p.until = Some(time),
            Step::Agg(agg) => as_of(&mut agg.steps, time),
            _ => {}
        }
    }
}

/// Assigns index ids: asks `ensure` for the index of each scan and probe.
pub(crate) fn resolve(steps: &mut [Step], ensure: &mut dyn FnMut(PredId, &[Col]) -> usize) {
    for step in steps {
        match step {
            Step::Scan(s) if !s.cols.is_empty() => s.index = ensure(s.pred, &s.cols),
            Step::Not(p) => {
                p.index = ensure(p.pred, &p.cols);
                if let Some(n) = &mut p.narrow {
                    n.index = ensure(p.pred, &n.cols);
                }
            }
            Step::Agg(agg) => resolve(&mut agg.steps, ensure),
            _ => {}
        }
    }
}
