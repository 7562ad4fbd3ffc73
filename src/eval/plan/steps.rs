//! What a plan is made of: the lowered literals a planner orders ([`Lit`]) and the steps it
//! orders them into ([`Step`]), over registers laid out as [`Layout`] says.

use crate::eval::relation::Col;
use crate::eval::value::Value;
use crate::syntax::ast::{AggFunc, BinOp, CmpOp};
use crate::syntax::{Builtin, Span};
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
    Call(Builtin, Vec<ExprPlan>),
}

impl ExprPlan {
    /// The expression as a term, when it is a variable or a constant (it computes nothing).
    #[inline]
    pub(crate) fn as_term(&self) -> Option<Term> {
        match self {
            ExprPlan::Var(r) => Some(Term::Var(*r)),
            ExprPlan::Const(v) => Some(Term::Const(*v)),
            _ => None,
        }
    }

    /// Appends the registers the expression reads to `out`.
    pub(super) fn vars(&self, out: &mut Vec<Reg>) {
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

/// An expression a step computes, with its integer program when it has one. Made once, by
/// [`Computed::new`], so that the two cannot disagree.
#[derive(Clone, Debug)]
pub(crate) struct Computed {
    expr: ExprPlan,
    ints: Option<Vec<IntOp>>,
}

impl Computed {
    /// `expr` with its integer program.
    pub(crate) fn new(expr: ExprPlan) -> Computed {
        let mut ints = Vec::new();
        let deep = int_ops(&expr, &mut ints);
        let ints = deep.is_some_and(|d| d <= IntOp::DEEPEST).then_some(ints);
        Computed { expr, ints }
    }

    /// The expression.
    pub(crate) fn expr(&self) -> &ExprPlan {
        &self.expr
    }

    /// The expression in postfix order, as `int_value` computes it, for a run over many rows
    /// at once (`Exec::gathered`); `None` when the expression is not made of integers,
    /// `year` and arithmetic alone, or nests deeper than [`IntOp::DEEPEST`].
    pub(crate) fn ints(&self) -> Option<&[IntOp]> {
        self.ints.as_deref()
    }
}

/// One operation of an integer program (see [`Computed`]): each pushes an integer, or
/// replaces the integers on top by what it computes of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntOp {
    /// The integer of a constant.
    Const(Value),
    /// The integer of a register's value.
    Int(Reg),
    /// `year` of a register's value: the integer, or the year of a time.
    Year(Reg),
    /// The two integers on top, combined.
    Binary(BinOp),
    /// The integer on top, negated.
    Neg,
}

impl IntOp {
    /// The most integers a program may hold at once.
    pub(crate) const DEEPEST: usize = 8;
}

/// Appends the integer program of `e` to `out`; answers the most integers it holds at once,
/// `None` when `e` is not an integer expression (the shapes `int_value` computes).
fn int_ops(e: &ExprPlan, out: &mut Vec<IntOp>) -> Option<usize> {
    Some(match e {
        ExprPlan::Var(r) => {
            out.push(IntOp::Int(*r));
            1
        }
        ExprPlan::Const(v) => {
            out.push(IntOp::Const(*v));
            1
        }
        ExprPlan::Binary(op, a, b) => {
            let (a, b) = (int_ops(a, out)?, int_ops(b, out)?);
            out.push(IntOp::Binary(*op));
            a.max(b + 1)
        }
        ExprPlan::Neg(a) => {
            let a = int_ops(a, out)?;
            out.push(IntOp::Neg);
            a
        }
        ExprPlan::Call(Builtin::Year, args) => match args.first()? {
            ExprPlan::Var(r) => {
                out.push(IntOp::Year(*r));
                1
            }
            arg => int_ops(arg, out)?,
        },
        ExprPlan::Call(..) => return None,
    })
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
    /// The registers of the atom's variables, its time's included.
    pub(super) fn vars(&self) -> impl Iterator<Item = Reg> + '_ {
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
    /// Whether its rows are gathered before any is tried (`Exec::scan_gathered`): it is keyed,
    /// the innermost loop of its plan (no scan or aggregate after it), and writes no column
    /// twice.
    pub gathers: bool,
    /// When it gathers: the conditions after it that bound a column of its rows, so that only
    /// the rows in that range are read (see [`super::RangePlan`]).
    pub range: Option<Box<super::RangePlan>>,
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
    /// The rows under the part of the key bound outside the innermost scan, found once for
    /// each binding of that part instead of once for each candidate (see [`Narrowing`]).
    pub narrow: Option<Narrowing>,
}

/// A negation whose key is bound partly outside the innermost scan (`not c(X, Z)` after
/// `a(X, Y), b(Y, Z)`): the rows of `c` under `X` are looked up when the negation is first
/// tried under a binding of `X`, and each candidate `Z` is then checked against those few rows
/// (in the cache by then) instead of probing the whole relation again. A run longer than
/// [`Narrowing::MOST`] rows is not worth walking: the probe then goes back to the whole key for
/// the rest of that binding.
#[derive(Clone, Debug)]
pub(crate) struct Narrowing {
    /// Where the executor keeps what it found for the current binding of the outer part
    /// ([`Step::Forget`] clears it when that binding changes).
    pub slot: usize,
    /// The outer part of the key: its columns, index and terms.
    pub cols: Vec<Col>,
    pub index: usize,
    pub key: Vec<Term>,
    /// The rest of the key, checked on each row of the run.
    pub checks: Vec<(Col, Term)>,
}

impl Narrowing {
    /// The longest run a narrowed probe walks.
    pub(crate) const MOST: usize = 16;
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
    /// A comparison of two stored values (variables or constants): nothing to compute.
    Compare(CmpOp, Term, Term),
    /// A comparison that computes a side.
    Filter(CmpOp, Computed, Computed, Span),
    Bind(Reg, Computed, Span),
    Not(Probe),
    /// The outer part of a narrowed negation's key is about to take new values: forget the
    /// rows found under the old ones (slot of [`Narrowing`]).
    Forget(usize),
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
