//! Planning: a lowered rule or query ([`Lit`]s over registers, laid out as [`Layout`] says)
//! becomes, for each way semi-naive evaluation runs it, an ordered list of [`Step`]s. The planner binds as it goes: it starts from the delta atom, takes next the atom
//! with the most bound columns (so lookups go through an index, never a full scan where an
//! argument is bound), and places each comparison, binding, negation and aggregate as soon as
//! its variables are bound.

use super::relation::Col;
use super::value::Value;
use crate::syntax::ast::{AggFunc, BinOp, CmpOp};
use crate::syntax::Span;
use crate::value::Time;

/// A predicate's number in the knowledge base's table.
pub(crate) type PredId = u32;

/// A register: a rule's variable, or a hidden slot holding a matched row's time.
pub(crate) type Reg = u16;

/// A position of an atom: a variable, a constant, or `_`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Term {
    Var(Reg),
    Const(Value),
    Wild,
}

impl Term {
    /// The value the term stands for under the registers ([`Value::NONE`] for `_`).
    #[inline]
    pub(crate) fn value(self, regs: &[Value]) -> Value {
        match self {
            Term::Var(r) => regs[r as usize],
            Term::Const(v) => v,
            Term::Wild => Value::NONE,
        }
    }
}

/// An expression over registers.
#[derive(Clone, Debug)]
pub(crate) enum ExprPlan {
    Var(Reg),
    Const(Value),
    Binary(BinOp, Box<ExprPlan>, Box<ExprPlan>),
    Neg(Box<ExprPlan>),
    Call(&'static str, Vec<ExprPlan>),
}

impl ExprPlan {
    /// The expression as a term, when it is a variable or a constant (it computes nothing).
    pub(crate) fn as_term(&self) -> Option<Term> {
        match self {
            ExprPlan::Var(r) => Some(Term::Var(*r)),
            ExprPlan::Const(v) => Some(Term::Const(*v)),
            _ => None,
        }
    }

    fn vars(&self, out: &mut Vec<Reg>) {
        match self {
            ExprPlan::Var(r) => out.push(*r),
            ExprPlan::Const(_) => {}
            ExprPlan::Binary(_, a, b) => {
                a.vars(out);
                b.vars(out);
            }
            ExprPlan::Neg(a) => a.vars(out),
            ExprPlan::Call(_, args) => args.iter().for_each(|a| a.vars(out)),
        }
    }
}

/// A body atom after lowering.
#[derive(Clone, Debug)]
pub(crate) struct AtomLit {
    pub pred: PredId,
    pub args: Vec<Term>,
    /// `None` when the atom has no `@`: it matches timed and timeless facts alike.
    pub time: Option<Term>,
    /// A year or month written after `@`: the atom matches the facts of every time within it
    /// (LANGUAGE.md §7); its `time` is then `_`.
    pub within: Option<Time>,
}

impl AtomLit {
    fn vars(&self) -> impl Iterator<Item = Reg> + '_ {
        self.args.iter().chain(&self.time).filter_map(|t| match t {
            Term::Var(r) => Some(*r),
            _ => None,
        })
    }
}

/// An aggregate after lowering.
#[derive(Clone, Debug)]
pub(crate) struct AggLit {
    pub func: AggFunc,
    pub result: Reg,
    pub target: Option<Reg>,
    pub body: Vec<Lit>,
    /// Variables of the braces that also occur outside them: the group-by variables.
    pub group: Vec<Reg>,
    /// Every named variable of the braces: an aggregate ranges over their distinct values.
    pub inner: Vec<Reg>,
    pub span: Span,
}

/// A body literal after lowering.
#[derive(Clone, Debug)]
pub(crate) enum Lit {
    Atom(AtomLit),
    Not(AtomLit),
    /// A comparison: operator, sides, and the spans of the whole and of each side.
    Cmp(CmpOp, ExprPlan, ExprPlan, Span, [Span; 2]),
    Agg(AggLit),
}

/// Where a scan reads, relative to the relation's current delta.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// Every row so far.
    All,
    /// Rows from before the current delta.
    Old,
    /// The rows new in the last iteration.
    Delta,
}

/// Read matching rows of a relation.
#[derive(Clone, Debug)]
pub(crate) struct Scan {
    pub pred: PredId,
    pub source: Source,
    /// Indexed columns; empty for a plain walk.
    pub cols: Vec<Col>,
    /// The index id once resolved against the database.
    pub index: usize,
    /// The key: one term per indexed column (constants and bound variables).
    pub key: Vec<Term>,
    /// Free variables this atom binds: (column, register).
    pub binds: Vec<(Col, Reg)>,
    /// Columns that must equal a register bound earlier in this same atom.
    pub checks: Vec<(Col, Reg)>,
    /// Only timed rows (`@ T` with `T` free, or `@ _`).
    pub timed: bool,
    /// Only rows whose time lies within this one.
    pub within: Option<Time>,
    /// Only rows that had come by this time (timeless ones always): a search as of a time.
    pub until: Option<Time>,
    /// The hidden register that receives the row's time (for the default head time).
    pub time_reg: Reg,
    /// The register that receives the row's number, when a proof is being rebuilt.
    pub row_reg: Option<Reg>,
}

/// Check that no row matches.
#[derive(Clone, Debug)]
pub(crate) struct Probe {
    pub pred: PredId,
    pub cols: Vec<Col>,
    pub index: usize,
    pub key: Vec<Term>,
    pub timed: bool,
    /// Only rows whose time lies within this one.
    pub within: Option<Time>,
    /// Only rows that had come by this time.
    pub until: Option<Time>,
    /// Columns that must hold the same value: a variable local to the negation, written
    /// twice (`not s(P, Z, P)`).
    pub same: Vec<(Col, Col)>,
}

/// Compute an aggregate.
#[derive(Clone, Debug)]
pub(crate) struct AggStep {
    pub func: AggFunc,
    pub result: Reg,
    pub target: Option<Reg>,
    pub steps: Vec<Step>,
    /// Group-by variables already bound when the aggregate runs: its memo key.
    pub bound_group: Vec<Reg>,
    /// Group-by variables the aggregate binds, one group per distinct value.
    pub free_group: Vec<Reg>,
    /// Variables whose distinct values the aggregate ranges over.
    pub inner: Vec<Reg>,
    /// Whether `result` was bound before (then the aggregate tests it).
    pub result_bound: bool,
    /// Set when distinct matches are sure to give distinct values of `inner`, so that the
    /// aggregate need not deduplicate them.
    pub distinct: Option<DistinctRows>,
    pub span: Span,
}

/// The braces of an aggregate are one atom whose every argument is a constant, a group-by
/// variable bound before, or a variable of its own: distinct rows of the relation then give
/// distinct values of the variables inside the braces, as long as the rows differ in their
/// arguments (always, when the time is one of those variables too, or when no row is timed).
#[derive(Clone, Copy, Debug)]
pub(crate) struct DistinctRows {
    pub pred: PredId,
    /// Whether the rows are distinct in their arguments only when the relation is timeless.
    pub needs_timeless: bool,
}

/// One step of a plan.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Scan(Scan),
    Filter(CmpOp, ExprPlan, ExprPlan, Span),
    Bind(Reg, ExprPlan, Span),
    Not(Probe),
    Agg(Box<AggStep>),
}

/// Where a derived fact's time comes from.
#[derive(Clone, Debug)]
pub(crate) enum HeadTime {
    /// `head @ T`.
    Explicit(ExprPlan),
    /// The latest time among the rows the positive atoms matched (these registers).
    Latest(Vec<Reg>),
}

/// A rule (one alternative of its `or`s) ready to run.
#[derive(Clone, Debug)]
pub(crate) struct RulePlan {
    /// The names of the rule's variables, by register.
    pub names: Vec<String>,
    /// The number of the rule in the knowledge base (shared by the alternatives of one rule).
    pub rule: u32,
    pub head: PredId,
    pub head_args: Vec<ExprPlan>,
    /// The head's arguments as terms, when each is a variable or a constant (most heads):
    /// copied from the registers without evaluating expressions.
    pub plain_head: Option<Vec<Term>>,
    pub head_time: HeadTime,
    /// Where its registers are.
    pub layout: Layout,
    pub body: Vec<Lit>,
    /// Steps when every atom reads all rows; empty for a rule with `deltas`, whose first pass
    /// runs the first delta variant with every row as the delta (the same matches, in the
    /// order semi-naive evaluation plans, and no index kept only for that pass).
    pub full: Vec<Step>,
    /// For each body atom over a predicate of the rule's own stratum: its position among the
    /// body literals and the steps when that atom reads the delta.
    pub deltas: Vec<(usize, Vec<Step>)>,
    pub span: Span,
}

/// How the registers of a rule, query or pattern are laid out: its variables first, then a
/// hidden register per condition for the time of the row it matched, a scratch register, and
/// (only while a proof is rebuilt) a register per condition for the number of that row. The
/// one place that knows where each lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    vars: usize,
    conditions: usize,
}

impl Layout {
    /// The layout for `vars` variables and `conditions` conditions.
    pub(crate) fn new(vars: usize, conditions: usize) -> Layout {
        Layout { vars, conditions }
    }

    /// The register receiving the time of the row condition `k` matched.
    pub(crate) fn time_regs(self) -> Vec<Reg> {
        (0..self.conditions)
            .map(|k| (self.vars + k) as Reg)
            .collect()
    }

    /// The scratch register.
    pub(crate) fn scratch(self) -> Reg {
        (self.vars + self.conditions) as Reg
    }

    /// How many registers evaluation needs.
    pub(crate) fn len(self) -> usize {
        self.vars + self.conditions + 1
    }

    /// The register receiving the number of the row condition `k` matched (proofs only).
    pub(crate) fn row_regs(self) -> Vec<Reg> {
        (0..self.conditions)
            .map(|k| (self.len() + k) as Reg)
            .collect()
    }

    /// How many registers a proof search needs.
    pub(crate) fn len_with_rows(self) -> usize {
        self.len() + self.conditions
    }
}

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
/// how each atom reads.
pub(crate) fn plan(
    body: &[Lit],
    bound: &mut Vec<bool>,
    first: Option<usize>,
    source: &dyn Fn(usize, &AtomLit) -> Source,
    layout: Layout,
) -> Vec<Step> {
    let time_regs = layout.time_regs();
    plan_steps(
        body,
        bound,
        first,
        source,
        &time_regs,
        layout.scratch(),
        None,
        None,
    )
}

/// A plan over complete relations that records the number of the row each atom matched (in
/// the layout's row registers), for rebuilding proofs; of two atoms with as many bound columns
/// the one over the smaller relation (`sizes`) goes first.
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
    )
}

/// [`plan`] with the registers given one by one.
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
            index: usize::MAX,
            key: access.key,
            binds: access.binds,
            checks: access.checks,
            timed: access.timed,
            within: a.within,
            until: None,
            time_reg: time_regs[i],
            row_reg: row_regs.map(|rows| rows[i]),
        }));
    };
    if let Some(i) = first {
        if let Lit::Atom(a) = &body[i] {
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
                            Some(Step::Filter(*op, l.clone(), r.clone(), *span))
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
                                Step::Bind(x, e.clone(), at)
                            })
                        }
                    }
                    Lit::Not(a) => {
                        let vars: Vec<Reg> = a.vars().filter(|r| !locals[i].contains(r)).collect();
                        ready(&vars, bound).then(|| {
                            let access = atom_access(a, bound);
                            // A local variable binds nothing: where it is written twice, the
                            // two columns must agree.
                            let same = access
                                .checks
                                .iter()
                                .filter_map(|&(c, r)| {
                                    let first = access.binds.iter().find(|(_, b)| *b == r)?;
                                    Some((first.0, c))
                                })
                                .collect();
                            Step::Not(Probe {
                                pred: a.pred,
                                cols: access.cols,
                                index: usize::MAX,
                                key: access.key,
                                timed: access.timed || matches!(a.time, Some(Term::Wild)),
                                within: a.within,
                                until: None,
                                same,
                            })
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
                steps.push(Step::Agg(Box::new(plan_aggregate(agg, bound, scratch))));
                done[i] = true;
            }
            _ => break,
        }
    }
    debug_assert!(
        done.iter().all(|d| *d),
        "the checker guarantees every literal can be placed"
    );
    steps
}

/// The outside variables an aggregate reads but does not bind itself.
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

fn plan_aggregate(agg: &AggLit, bound: &mut [bool], scratch: Reg) -> AggStep {
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
            Step::Not(p) => p.index = ensure(p.pred, &p.cols),
            Step::Agg(agg) => resolve(&mut agg.steps, ensure),
            _ => {}
        }
    }
}
