//! The statements a store keeps for the checks of later inputs: all but facts, and of the
//! facts those that stand for the others — the first of each predicate, and the first to
//! bring a kind of value to a column (the checker asks whether a predicate has facts, with
//! how many arguments, and which kinds each column holds: LANGUAGE.md §8, W108).

use crate::eval::Const;
use crate::syntax::ast::Statement;

impl super::Store {
    /// Keeps accepted statements for the checks of later inputs (see the module).
    pub(crate) fn keep_checked(&mut self, statements: Vec<Statement>) {
        for statement in statements {
            // A `retract` has done its work; kept, each was copied and checked again with
            // every later input (8 000 piped retracts took 96 s).
            if matches!(statement, Statement::Retract(_)) {
                continue;
            }
            if let Statement::Fact(fact) = &statement {
                let kinds = fact
                    .atom
                    .args
                    .iter()
                    .map(|e| crate::check::kinds::constant(e).unwrap_or(0));
                if !self.note_kinds(&fact.atom.pred.name, kinds) {
                    continue;
                }
            }
            self.checked.push(statement);
        }
    }

    /// Whether a fact of `pred` with these values brings nothing new to the checks: its
    /// predicate has a kept fact and each value's kind is one its column holds.
    pub(crate) fn kinds_known(&self, pred: &str, args: &[Const]) -> bool {
        self.checked_preds.get(pred).is_some_and(|mask| {
            args.iter()
                .enumerate()
                .all(|(i, a)| mask.get(i).is_some_and(|m| m & const_kind(a) != 0))
        })
    }

    /// Records the kinds of a fact's values; whether the fact is its predicate's first or
    /// brings a kind its kept facts lack.
    fn note_kinds(&mut self, pred: &str, kinds: impl Iterator<Item = u8>) -> bool {
        let mut new = !self.checked_preds.contains_key(pred);
        let mask = self.checked_preds.entry(pred.to_string()).or_default();
        for (i, k) in kinds.enumerate() {
            if mask.len() <= i {
                mask.resize(i + 1, 0);
            }
            new |= mask[i] & k != k;
            mask[i] |= k;
        }
        new
    }
}

/// The kind of a constant as a bit, as [`crate::check::kinds::constant`] gives it of the
/// constant's syntax.
fn const_kind(c: &Const) -> u8 {
    match c {
        Const::Int(_) | Const::Dec(_) => 1,
        Const::Time(_) => 2,
        Const::Sym(_) => 4,
        Const::Str(_) => 8,
    }
}
