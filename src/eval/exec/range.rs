//! The ranks a [`RangePlan`] lets through under the registers bound before its scan (see
//! `plan::range`): the conditions are computed in step order, and the first whose values
//! are not integers of modest size ends the range there if it could raise an error.

use crate::eval::plan::{Leaf, Linear, RangeCond, RangePlan};
use crate::eval::relation::Ranks;
use crate::eval::value::{Interner, Value};
use crate::syntax::ast::CmpOp;
use crate::value::Time;

/// The largest value a range computes with: sums of at most 65 such values and a column's
/// integer stay far from overflowing.
const LARGEST: i64 = 1 << 32;

/// What a range lets through (see [`ranks`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Range {
    /// The ranks, both ends included (an empty range has its start past its end).
    pub ranks: (u32, u32),
    /// The steps whose conditions every value in the range passes (bit `k` for the step `k`
    /// places after the scan): a row read in the range need not run them.
    pub served: u64,
}

impl Range {
    /// A range that lets nothing through.
    const EMPTY: Range = Range {
        ranks: (1, 0),
        served: 0,
    };

    /// Whether it lets nothing through.
    pub(super) fn is_empty(self) -> bool {
        self.ranks.0 > self.ranks.1
    }
}

/// The range of the values of a column ranked as `ranks` that the conditions of `plan` may
/// let through under `regs`; `None` when no condition bounds the column under them.
pub(super) fn ranks(
    plan: &RangePlan,
    ranks: Ranks,
    regs: &[Value],
    interner: &Interner,
) -> Option<Range> {
    // The column's integer (its year, for times) lies in `values`, its rank in `stored`.
    let mut values = (i64::MIN, i64::MAX);
    let mut stored = (0, i64::from(u32::MAX));
    let (mut any, mut served) = (false, 0u64);
    for (place, cond) in &plan.conds {
        let mut bounded = false;
        match cond {
            RangeCond::Linear(l) => {
                let fixed = fixed_part(l, regs, interner)
                    .filter(|_| !(l.reads_int && ranks == Ranks::Times));
                let Some(k) = fixed else {
                    if l.fails {
                        break;
                    }
                    continue;
                };
                // coef · v + k  op  0
                let (Some(op), 1 | -1) = (l.op, l.coef) else {
                    continue;
                };
                bounded |= match l.coef {
                    1 => narrow(&mut values, op, -k),
                    _ => narrow(&mut values, op.flipped(), k),
                };
            }
            RangeCond::Stored { op, other } => {
                let other = other.value(regs);
                let number = interner.int(other);
                if number.is_some() && ranks == Ranks::Times && *op == CmpOp::Eq {
                    // A time is never equal to a number (LANGUAGE.md §7): no row passes.
                    return Some(Range::EMPTY);
                }
                // A time against an integer is otherwise ordered by its year.
                if let Some(n) = number {
                    bounded |= narrow(&mut values, *op, n);
                } else if let (Ranks::Times, Some(rank)) = (ranks, other.time_rank()) {
                    bounded |= narrow(&mut stored, *op, i64::from(rank));
                }
            }
        }
        if bounded {
            // Exact: a value in the range passes the condition.
            served |= u32::try_from(*place)
                .ok()
                .and_then(|k| 1u64.checked_shl(k))
                .unwrap_or(0);
            any = true;
        }
    }
    if !any {
        return None;
    }
    let (lo, hi) = match ranks {
        Ranks::Ints => {
            let (least, most) = Value::INLINE_INTS;
            let (lo, hi) = (values.0.max(least), values.1.min(most));
            match (Value::inline_int(lo), Value::inline_int(hi)) {
                (Some(lo), Some(hi)) if lo <= hi => (lo.0, hi.0),
                _ => return Some(Range::EMPTY),
            }
        }
        Ranks::Times => {
            let year = |y: i64| Time::from_year(y).map(Time::rank);
            let lo = if values.0 <= 0 {
                Some(0)
            } else {
                year(values.0)
            };
            let hi = match values.1 {
                y if y < 0 => None,
                y if y >= 9999 => Some(u32::MAX),
                // Every time of year `y` ranks below the year after.
                y => year(y + 1).map(|r| r - 1),
            };
            match (lo, hi) {
                (Some(lo), Some(hi)) => (lo, hi),
                _ => return Some(Range::EMPTY),
            }
        }
    };
    let (lo, hi) = (i64::from(lo).max(stored.0), i64::from(hi).min(stored.1));
    match (u32::try_from(lo), u32::try_from(hi)) {
        (Ok(lo), Ok(hi)) if lo <= hi => Some(Range {
            ranks: (lo, hi),
            served,
        }),
        _ => Some(Range::EMPTY),
    }
}

/// `Σ sign · leaf` of `l` under `regs` (its part fixed for the scan); `None` where a leaf is
/// not an integer (or a time under `year`) of at most [`LARGEST`].
fn fixed_part(l: &Linear, regs: &[Value], interner: &Interner) -> Option<i64> {
    l.terms
        .iter()
        .try_fold(0i64, |k, &(sign, Leaf { at, year })| {
            let v = at.value(regs);
            let n = match year {
                true => interner.int_or_year(v)?,
                false => interner.int(v)?,
            };
            (n.unsigned_abs() <= LARGEST.unsigned_abs()).then(|| k + sign * n)
        })
}

/// Narrows `values` to those that stand as `op` asks against `a`; false for `!=`, which
/// bounds nothing.
fn narrow(values: &mut (i64, i64), op: CmpOp, a: i64) -> bool {
    let (lo, hi) = values;
    match op {
        CmpOp::Lt => *hi = (*hi).min(a.saturating_sub(1)),
        CmpOp::Le => *hi = (*hi).min(a),
        CmpOp::Gt => *lo = (*lo).max(a.saturating_add(1)),
        CmpOp::Ge => *lo = (*lo).max(a),
        CmpOp::Eq => (*lo, *hi) = ((*lo).max(a), (*hi).min(a)),
        CmpOp::Ne => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use crate::KnowledgeBase;

    /// The facts of `r` after loading `text`, or the error met.
    fn outcome(text: &str) -> Result<BTreeSet<String>, String> {
        let mut kb = KnowledgeBase::new();
        kb.load_str("<range>", text).map_err(|e| e.to_string())?;
        let answers = kb.query("r(K, X, Z)").map_err(|e| e.to_string())?;
        Ok(answers.rows.iter().map(|row| format!("{row:?}")).collect())
    }

    /// A time is never equal to a number, though it is ordered against one by its year
    /// (LANGUAGE.md §7): `T = 2005` holds of no row, `T <= 2005` of those of 2005 and before.
    #[test]
    fn a_time_equal_to_a_number_bounds_nothing_in() {
        let mut text = String::from("a(1, 2005).\n");
        for z in 0..40 {
            text += &format!("b(1, {z}) @ {}.\n", 2000 + z % 10);
        }
        let rule = |cond: &str| format!("{text}r(K, X, Z) :- a(K, X), b(K, Z) @ T, {cond}.\n");
        assert_eq!(outcome(&rule("T = X")).expect("runs").len(), 0);
        assert_eq!(outcome(&rule("T = 2005")).expect("runs").len(), 0);
        assert_eq!(outcome(&rule("T != X")).expect("runs").len(), 40);
        assert_eq!(outcome(&rule("T <= X")).expect("runs").len(), 24);
    }

    /// The least integer, whose magnitude no `i64` holds, is too large for a range: the
    /// conditions on it run as written (`X - 10` overflows; `-Z < X` holds of no row).
    #[test]
    fn the_least_integer_is_no_bound() {
        let mut text = String::from("a(1, -9223372036854775808).\n");
        for z in 0..40 {
            text += &format!("b(1, {z}).\n");
        }
        let rule = |cond: &str| format!("{text}r(K, X, Z) :- a(K, X), b(K, Z), {cond}.\n");
        let overflow = outcome(&rule("Z > X - 10")).expect_err("overflows");
        assert!(overflow.contains("overflow"), "{overflow}");
        assert_eq!(outcome(&rule("-Z < X")).expect("runs").len(), 0);
    }

    #[test]
    fn a_strict_bound_leaves_out_its_own_value() {
        let mut text = String::from("pick(1, 5).\n");
        for z in 0..10 {
            text += &format!("e(1, {z}) @ {}.\n", 2000 + z);
        }
        text += "r(K, X, Z) :- pick(K, X), e(K, Z), X < Z.\n";
        let facts = outcome(&text).expect("runs");
        assert_eq!(facts.len(), 4, "{facts:?}");
    }

    /// `r(K, X, Z) :- a(K, X) @ T1, b(K, Z) @ T2, …` over random rows, its conditions drawn
    /// from ones a range uses (bounds on `Z` or on `T2`, with `+`, `-`, `year`, stored
    /// comparisons), ones it passes by and ones it must stop at (`*`, `/`): the rule answers,
    /// or fails, as the same rule whose scan of `b` is not the innermost (an atom after it),
    /// which reads every row: the same error where several rows would fail, as both read the
    /// rows of `a` and `b` in the same order. The crate's tests lay out `b` in runs from 8 rows
    /// on, and read `a` in the order of `b`'s key.
    fn ranged() -> impl Strategy<Value = String> {
        let times = || {
            prop::sample::select(vec![
                "",
                " @ 2000",
                " @ 2001-03",
                " @ 2002",
                " @ 2002-07-15",
                " @ 2003",
                " @ 2004-12",
            ])
        };
        let x = prop_oneof![
            3 => (-4..6i64).prop_map(|x| x.to_string()),
            1 => prop::sample::select(vec!["x", "2002", "-9223372036854775808"])
                .prop_map(str::to_string),
        ];
        let a = (0..2i64, x, times());
        let value = prop_oneof![
            8 => (-4..6i64).prop_map(|z| z.to_string()),
            1 => prop::sample::select(vec!["s", "2.5", "5000000000", "2001", "-1073741824"])
                .prop_map(str::to_string),
        ];
        let b = (0..2i64, value, times());
        let conds = prop::sample::subsequence(
            vec![
                "X < Z",
                "Z <= X + 2",
                "Z - X >= -1",
                "X = Z",
                "Z != X",
                "-Z < X",
                "Z > 2",
                "Z >= 5000000000",
                "Z < 2.5",
                "Y = Z + 1, Y > X",
                "year(T2) >= year(T1)",
                "year(T2) - year(T1) <= 1",
                "T2 > T1",
                "T2 <= 2002",
                "T2 >= 2001-06",
                "Y = year(T2), Y - 1 < year(T1)",
                "Z * X > 1",
                "Z / X > 0",
                "X - Z < 1",
                "Z + X + X > 3",
                "Z + Z > 3",
                "year(Z) > 1",
                "not c(K, Z)",
                "T2 - 1 < 2003",
                "X = year(T2) - 2000",
                "Z >= -1073741824",
                "Z < 1073741822",
                "T2 = 2002",
                "T2 = X",
                "T2 != 2002",
                "T2 <= X",
                "Z > X - 10",
                "-Z < X",
            ],
            1..4,
        );
        (
            prop::collection::vec(a, 1..8),
            prop::collection::vec(b, 8..40),
            conds,
            any::<bool>(),
        )
            .prop_map(|(a, b, conds, shuffle)| {
                // More rows of `one` than of `a` or `b`: a plan reads it after them.
                let mut text: String = (0..48).map(|n| format!("one({n}).\n")).collect();
                text += "c(1, 3).\nc(2, 2001).\n";
                for (k, x, t) in a {
                    text += &format!("a({k}, {x}){t}.\n");
                }
                let mut b = b;
                if shuffle {
                    b.reverse();
                }
                for (k, z, t) in b {
                    text += &format!("b({k}, {z}){t}.\n");
                }
                let mut conds = conds;
                if shuffle {
                    conds.reverse();
                }
                text + &format!(
                    "r(K, X, Z) :- a(K, X) @ T1, b(K, Z) @ T2, {}.\n",
                    conds.join(", ")
                )
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn a_ranged_scan_answers_as_one_that_reads_every_row(text in ranged()) {
            let row_by_row = text.replacen(
                "b(K, Z) @ T2, ",
                "b(K, Z) @ T2, one(_), ",
                1,
            );
            prop_assert_eq!(outcome(&text), outcome(&row_by_row), "{}", text);
        }
    }
}
