//! Ranges: the conditions after the innermost scan of a plan that bound one column of its
//! rows (`Y - year(T1) <= 2`, `Y >= year(T1)` with `Y = year(T2)`; `X < Z`), found once by
//! the planner so that the scan reads only the rows whose value in that column can pass them
//! (`Exec::scan_gathered`, through an index sorted by that column) instead of every row
//! under its key.
//!
//! The conditions still run on every row read: a range only leaves out rows that would fail
//! one of them. It may leave a row out only where running the steps on it would have raised
//! no error before that failure, so a condition bounds the column only when it, and every
//! step before it, is a comparison of stored values (which raises none), a negation, or an
//! integer expression of `+`, `-` and `year` over the column's value and values bound before
//! the scan, which raises none as long as those values are integers (or times under `year`)
//! of modest size: at run time each is checked, and where one is not, the range ends at the
//! step before it.

use super::steps::{ExprPlan, Reg, Scan, Step, Term};
use crate::eval::relation::Col;
use crate::syntax::ast::{BinOp, CmpOp};
use crate::syntax::Builtin;

/// The conditions that bound the scan's column `col` (see the module's comment), each with
/// the place of its step after the scan (0 for the step right after it), in the order of
/// the steps.
#[derive(Clone, Debug)]
pub(crate) struct RangePlan {
    pub col: Col,
    pub conds: Vec<(usize, RangeCond)>,
}

/// A step after the scan, seen as a bound on its column's value `v`.
#[derive(Clone, Debug)]
pub(crate) enum RangeCond {
    /// `coef · v + Σ sign · leaf  op  0`, where `v` is the column's integer, or its year for a
    /// column of times.
    Linear(Linear),
    /// `v op other`, compared as stored values are, `other` bound before the scan.
    Stored { op: CmpOp, other: Term },
}

/// An integer expression of `+`, `-` and `year`, linear in the column's value (see
/// [`RangeCond::Linear`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Linear {
    /// The comparison with 0; `None` for a binding, which bounds nothing but must compute.
    pub op: Option<CmpOp>,
    pub coef: i64,
    pub terms: Vec<(i64, Leaf)>,
    /// Whether the column's value is read as an integer (not under `year`): an error on a
    /// column of times.
    pub reads_int: bool,
    /// Whether the step raises an error where it cannot compute (a computed comparison or
    /// binding): the range then ends before it. A comparison of stored values raises none,
    /// and is only passed by.
    pub fails: bool,
}

/// A value bound before the scan, or a constant, read as an integer or (`year`) as one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Leaf {
    pub at: Term,
    pub year: bool,
}

/// The most terms an expression may have for a range to use it: with each value of at most
/// 2^32, no sum of them comes near overflowing.
const MOST_TERMS: usize = 64;

/// What a register holds after the scan, seen from the range of column value `v`.
#[derive(Clone, Debug)]
enum Held {
    /// The column's value itself.
    Value,
    /// A value bound before the scan, or a constant.
    Fixed(Term),
    /// An integer linear in the column's value.
    Lin(Linear),
    /// Anything else (another column of the row).
    Other,
}

/// The range of the gathered scan `steps[at]`: over the column it binds that the most steps
/// after it bound (the first such on a tie), `None` when no step bounds any.
pub(crate) fn range_plan(steps: &[Step], at: usize) -> Option<RangePlan> {
    let Some(Step::Scan(s)) = steps.get(at) else {
        return None;
    };
    let after = steps.get(at + 1..).unwrap_or(&[]);
    s.binds
        .iter()
        .map(|&(col, reg)| RangePlan {
            col,
            conds: conds(s, reg, after),
        })
        .filter(|plan| plan.conds.iter().any(|(_, c)| bounds(c)))
        .max_by_key(|plan| {
            let bounding = plan.conds.iter().filter(|(_, c)| bounds(c)).count();
            (bounding, std::cmp::Reverse(plan.col == Col::Time))
        })
}

/// Whether a condition bounds the value (rather than only having to compute).
fn bounds(c: &RangeCond) -> bool {
    match c {
        RangeCond::Linear(l) => l.op.is_some_and(|op| op != CmpOp::Ne) && l.coef.abs() == 1,
        RangeCond::Stored { op, .. } => *op != CmpOp::Ne,
    }
}

/// The conditions the steps `after` the scan `s` put on the value of register `v` (bound by
/// the scan), each with its step's place among them, up to the last that bounds it.
fn conds(s: &Scan, v: Reg, after: &[Step]) -> Vec<(usize, RangeCond)> {
    let row =
        |r: Reg| r == s.time_reg || Some(r) == s.row_reg || s.binds.iter().any(|&(_, b)| b == r);
    let mut held: Vec<(Reg, Held)> = Vec::new();
    let of = |held: &[(Reg, Held)], t: Term| match t {
        Term::Var(r) if r == v => Held::Value,
        Term::Var(r) => match held.iter().rev().find(|(h, _)| *h == r) {
            Some((_, h)) => h.clone(),
            None if row(r) => Held::Other,
            None => Held::Fixed(t),
        },
        Term::Const(_) => Held::Fixed(t),
        Term::Wild => Held::Other,
    };
    let mut out = Vec::new();
    for (k, step) in after.iter().enumerate() {
        match step {
            Step::Compare(op, a, b) => {
                let cond = match (of(&held, *a), of(&held, *b)) {
                    (Held::Value, Held::Fixed(other)) => Some(RangeCond::Stored { op: *op, other }),
                    (Held::Fixed(other), Held::Value) => Some(RangeCond::Stored {
                        op: op.flipped(),
                        other,
                    }),
                    // An integer compared as a stored value with `other`: a bound where
                    // `other` is an integer (checked at run time; where it is not, the
                    // comparison, which raises no error, is passed by).
                    (Held::Lin(l), Held::Fixed(other)) => compared(*op, l, fixed(other), false),
                    (Held::Fixed(other), Held::Lin(l)) => compared(*op, fixed(other), l, false),
                    _ => None,
                };
                out.extend(cond.map(|c| (k, c)));
            }
            Step::Not(_) | Step::Forget(_) => {}
            Step::Filter(op, l, r, _) => {
                let lin = |e| linear(e, &|t| of(&held, t));
                let (Some(l), Some(r)) = (lin(l.expr()), lin(r.expr())) else {
                    break;
                };
                let Some(cond) = compared(*op, l, r, true) else {
                    break;
                };
                out.push((k, cond));
            }
            Step::Bind(y, e, _) => {
                if let Some(t) = e.expr().as_term() {
                    let h = of(&held, t);
                    held.push((*y, h));
                    continue;
                }
                let Some(l) = linear(e.expr(), &|t| of(&held, t)) else {
                    break;
                };
                out.push((k, RangeCond::Linear(l.clone())));
                held.push((*y, Held::Lin(l)));
            }
            Step::Scan(_) | Step::Agg(_) => break,
        }
    }
    while out.last().is_some_and(|(_, c)| !bounds(c)) {
        out.pop();
    }
    out
}

/// `l op r` as a bound: their difference compared with 0; `fails` says whether the step
/// raises an error where it cannot compute. `None` past [`MOST_TERMS`].
fn compared(op: CmpOp, l: Linear, r: Linear, fails: bool) -> Option<RangeCond> {
    let diff = sum(l, negated(r))?;
    Some(RangeCond::Linear(Linear {
        op: Some(op),
        fails,
        ..diff
    }))
}

/// `e` as a [`Linear`] binding (of no comparison, raising errors where it cannot compute),
/// reading each register as `of` says; `None` where it is not linear in the column's value
/// or reads another column of the row.
fn linear(e: &ExprPlan, of: &dyn Fn(Term) -> Held) -> Option<Linear> {
    let leaf = |t: Term, year: bool| -> Option<Linear> {
        Some(match of(t) {
            Held::Value => Linear {
                coef: 1,
                reads_int: !year,
                ..constant(Vec::new())
            },
            Held::Fixed(at) => constant(vec![(1, Leaf { at, year })]),
            Held::Lin(l) => l,
            Held::Other => return None,
        })
    };
    let l = match e {
        ExprPlan::Var(r) => leaf(Term::Var(*r), false)?,
        ExprPlan::Const(c) => leaf(Term::Const(*c), false)?,
        ExprPlan::Binary(BinOp::Add, a, b) => sum(linear(a, of)?, linear(b, of)?)?,
        ExprPlan::Binary(BinOp::Sub, a, b) => sum(linear(a, of)?, negated(linear(b, of)?))?,
        ExprPlan::Neg(a) => negated(linear(a, of)?),
        ExprPlan::Call(Builtin::Year, args) => match args.as_slice() {
            [ExprPlan::Var(r)] => leaf(Term::Var(*r), true)?,
            [ExprPlan::Const(c)] => leaf(Term::Const(*c), true)?,
            // `year` of an integer is the integer (as `int_value` computes it).
            [a] => linear(a, of)?,
            _ => return None,
        },
        _ => return None,
    };
    Some(l)
}

/// A value bound before the scan, or a constant, read as an integer.
fn fixed(at: Term) -> Linear {
    constant(vec![(1, Leaf { at, year: false })])
}

/// A linear expression of the leaves `terms` alone.
fn constant(terms: Vec<(i64, Leaf)>) -> Linear {
    Linear {
        op: None,
        coef: 0,
        terms,
        reads_int: false,
        fails: true,
    }
}

/// `a + b`; `None` past [`MOST_TERMS`].
fn sum(a: Linear, b: Linear) -> Option<Linear> {
    let mut terms = a.terms;
    terms.extend(b.terms);
    let coef = a.coef + b.coef;
    (terms.len() <= MOST_TERMS && coef.unsigned_abs() <= MOST_TERMS as u64).then_some(Linear {
        op: None,
        coef,
        terms,
        reads_int: a.reads_int || b.reads_int,
        fails: true,
    })
}

/// `-a`.
fn negated(a: Linear) -> Linear {
    Linear {
        coef: -a.coef,
        terms: a.terms.into_iter().map(|(s, l)| (-s, l)).collect(),
        ..a
    }
}
