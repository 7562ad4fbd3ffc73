//! Expressions over registers: comparisons, arithmetic (integers without interning, the
//! rest through the interner) and the time a derived fact takes.

use super::plan::{ExprPlan, HeadTime, Reg};
use super::stop::Stop;
use super::value::{binary, call, negate, ArithError, Const, Interner, Value};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::syntax::{Builtin, Span};

/// `a op b` as the language compares (see [`Const::holds`]), on interned values.
#[inline]
pub(crate) fn compare(interner: &Interner, op: CmpOp, a: Value, b: Value) -> bool {
    if a == b {
        return matches!(op, CmpOp::Eq | CmpOp::Le | CmpOp::Ge);
    }
    match a.inline_cmp(b) {
        Some(order) => op.accepts(order),
        None => compare_stored(interner, op, a, b),
    }
}

/// [`compare`] of two values other than two integers kept in their ids.
fn compare_stored(interner: &Interner, op: CmpOp, a: Value, b: Value) -> bool {
    interner.get(a).holds(op, &interner.get(b))
}

/// The value of an expression, `None` when it has none (division by zero, `month` of a
/// year); an error when arithmetic overflows or mixes kinds.
#[inline]
pub(crate) fn eval_expr(
    interner: &mut Interner,
    e: &ExprPlan,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    // A variable or a constant (most head arguments) costs no call.
    match e {
        ExprPlan::Var(r) => Ok(Some(regs[*r as usize])),
        ExprPlan::Const(v) => Ok(Some(*v)),
        _ => eval_computed(interner, e, regs, span),
    }
}

/// The value of an expression that computes (see [`eval_expr`]).
fn eval_computed(
    interner: &mut Interner,
    e: &ExprPlan,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    match int_value(interner, e, regs) {
        Some(n) => Ok(Some(interner.intern_int(n))),
        None => eval_interned(interner, e, regs, span),
    }
}

/// The value of an expression that is an integer made from integers and years
/// (`Y - year(T1)`), computed without interning anything on the way; `None` for any other
/// expression, and for one without a value or that overflows: [`eval_interned`] then
/// gives the answer (or the error).
pub(crate) fn int_value(interner: &Interner, e: &ExprPlan, regs: &[Value]) -> Option<i64> {
    let int = |v: Value| interner.int(v);
    match e {
        ExprPlan::Var(r) => int(regs[*r as usize]),
        ExprPlan::Const(v) => int(*v),
        ExprPlan::Binary(op, a, b) => int_binary(
            *op,
            int_value(interner, a, regs)?,
            int_value(interner, b, regs)?,
        ),
        ExprPlan::Neg(a) => int_value(interner, a, regs)?.checked_neg(),
        ExprPlan::Call(Builtin::Year, args) => match args.first()? {
            ExprPlan::Var(r) => interner.int_or_year(regs[*r as usize]),
            arg => int_value(interner, arg, regs),
        },
        _ => None,
    }
}

/// `x op y` on integers; `None` where it overflows or divides by zero.
#[inline]
pub(crate) fn int_binary(op: BinOp, x: i64, y: i64) -> Option<i64> {
    match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div => x.checked_div(y),
    }
}

/// [`eval_expr`] for any expression, interning each intermediate value.
fn eval_interned(
    interner: &mut Interner,
    e: &ExprPlan,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    let c = match e {
        ExprPlan::Var(r) => return Ok(Some(regs[*r as usize])),
        ExprPlan::Const(v) => return Ok(Some(*v)),
        ExprPlan::Binary(op, a, b) => {
            let (Some(a), Some(b)) = (
                eval_interned(interner, a, regs, span)?,
                eval_interned(interner, b, regs, span)?,
            ) else {
                return Ok(None);
            };
            binary(*op, &interner.get(a), &interner.get(b))
        }
        ExprPlan::Neg(a) => {
            let Some(a) = eval_interned(interner, a, regs, span)? else {
                return Ok(None);
            };
            negate(&interner.get(a))
        }
        ExprPlan::Call(f, args) => {
            let mut value = |a| eval_interned(interner, a, regs, span);
            match args.as_slice() {
                [a] => {
                    let Some(a) = value(a)? else {
                        return Ok(None);
                    };
                    call(*f, &[interner.get(a)])
                }
                [a, b] => {
                    let (Some(a), Some(b)) = (value(a)?, value(b)?) else {
                        return Ok(None);
                    };
                    call(*f, &[interner.get(a), interner.get(b)])
                }
                // No function takes another number (lowering keeps the checker's arity):
                // the call answers its error.
                _ => call::<Const>(*f, &[]),
            }
        }
    };
    match c {
        Ok(Some(c)) => Ok(Some(interner.intern(c))),
        Ok(None) => Ok(None),
        Err(error) => Err(Stop::Arith { error, span }),
    }
}

/// The time of a derived fact (`Value::NONE` for timeless), or `None` when its expression has
/// no value; an error for a head time that is not a time.
#[inline]
pub(crate) fn head_time(
    interner: &mut Interner,
    t: &HeadTime,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    // A fact whose atoms matched rows with times or none (every fact but one whose time a
    // register of another kind stands for) costs no call.
    if let HeadTime::Latest(time_regs) = t {
        if let Some(time) = latest_time(time_regs, regs) {
            return Ok(Some(time));
        }
    }
    head_time_computed(interner, t, regs, span)
}

/// The time of a derived fact whose atoms matched the rows whose times are in `time_regs`:
/// the latest of them, or none when none is timed. A row's time is a time or none, and
/// times' ids are in the times' order, so the latest is the greatest id but none's; `None`
/// when a register holds anything else (the latest is then found by comparing values,
/// [`head_time`]).
#[inline]
fn latest_time(time_regs: &[Reg], regs: &[Value]) -> Option<Value> {
    let mut latest = Value::NONE;
    for r in time_regs {
        let v = regs[*r as usize];
        if v.is_some() {
            v.time_rank()?;
            if !latest.is_some() || v > latest {
                latest = v;
            }
        }
    }
    Some(latest)
}

/// The time of a derived fact whose time is computed (see [`head_time`]).
fn head_time_computed(
    interner: &mut Interner,
    t: &HeadTime,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    match t {
        HeadTime::Explicit(e) => {
            let Some(v) = eval_expr(interner, e, regs, span)? else {
                return Ok(None);
            };
            let year = match interner.get(v).as_ref() {
                Const::Time(_) => return Ok(Some(v)),
                Const::Int(y) => crate::value::Time::from_year(*y),
                _ => None,
            };
            match year {
                Some(t) => Ok(Some(interner.intern(Const::Time(t)))),
                None => Err(Stop::Arith {
                    error: ArithError::Type(format!(
                        "the time of a derived fact must be a time, not `{}`",
                        interner.get(v)
                    )),
                    span,
                }),
            }
        }
        HeadTime::Latest(time_regs) => {
            let mut latest = Value::NONE;
            for r in time_regs {
                let v = regs[*r as usize];
                if v.is_some() && (!latest.is_some() || interner.later(v, latest)) {
                    latest = v;
                }
            }
            Ok(Some(latest))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::plan::Reg;
    use crate::syntax::ast::BinOp;
    use crate::value::{Number, Time};

    /// The integer fast path gives what the general path gives, on every kind of operand,
    /// including the ones it hands back (decimals, times, overflow, division by zero).
    #[test]
    fn integer_arithmetic_agrees_with_the_general_path() {
        let mut interner = Interner::default();
        let consts = [
            Const::Int(7),
            Const::Int(-3),
            Const::Int(0),
            Const::Int(i64::MAX),
            Const::Int(i64::MIN),
            Const::number(Number::parse("2.5").expect("a decimal")),
            Const::Time(Time::parse("2005-07").expect("a time")),
            Const::Time(Time::year(1992)),
            Const::Sym("china".into()),
        ];
        let regs: Vec<Value> = consts.into_iter().map(|c| interner.intern(c)).collect();
        let var = |r: usize| ExprPlan::Var(r as Reg);
        let mut exprs = Vec::new();
        for a in 0..regs.len() {
            exprs.push(ExprPlan::Neg(Box::new(var(a))));
            exprs.push(ExprPlan::Call(Builtin::Year, vec![var(a)]));
            for b in 0..regs.len() {
                for op in [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div] {
                    exprs.push(ExprPlan::Binary(op, Box::new(var(a)), Box::new(var(b))));
                    let year = ExprPlan::Call(Builtin::Year, vec![var(b)]);
                    exprs.push(ExprPlan::Binary(op, Box::new(var(a)), Box::new(year)));
                }
            }
        }
        let span = Span::default();
        let mut fast_ones = 0;
        for e in &exprs {
            let general = eval_interned(&mut interner, e, &regs, span);
            let fast = eval_expr(&mut interner, e, &regs, span);
            assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{e:?}");
            if let Some(n) = int_value(&interner, e, &regs) {
                fast_ones += 1;
                assert_eq!(general.ok().flatten(), Some(interner.intern(Const::Int(n))));
            }
        }
        assert!(
            fast_ones > 100,
            "the fast path took {fast_ones} expressions"
        );
    }
}
