//! Searches over evaluated relations for the layers above: the rows an atom pattern matches.
//! Explanations ask here instead of planning their own lookups.

use std::collections::HashMap;

use super::exec::Exec;
use super::plan::{self, Lit, Lowering, PredId, Reg, Source};
use super::relation::Relation;
use super::value::{Interner, Value};
use crate::syntax::ast::Atom;

/// The rows of `pred` (the predicate `atom` names) that match the atom as a pattern:
/// variables and `_` match anything, a repeated variable must agree with itself, an `@`
/// pattern matches timed rows only. Found through the same lookups as a query; in row order.
pub(crate) fn matching(
    rels: &mut [Relation],
    interner: &mut Interner,
    pred: PredId,
    atom: &Atom,
) -> Vec<u32> {
    let pred_id = |_: &str| pred;
    let mut lowering = Lowering {
        interner: &mut *interner,
        pred_id: &pred_id,
        vars: HashMap::new(),
        names: Vec::new(),
    };
    let body = [Lit::Atom(lowering.atom(atom))];
    let vars = lowering.names.len();
    let (time, scratch, row) = (vars as Reg, (vars + 1) as Reg, (vars + 2) as Reg);
    let mut steps = plan::plan_with_rows(
        &body,
        &mut vec![false; vars + 3],
        None,
        &|_, _| Source::All,
        &[time],
        scratch,
        Some(&[row]),
        None,
    );
    plan::resolve(&mut steps, &mut |p, cols| {
        rels[p as usize].ensure_lookup(cols)
    });
    let mut found = Vec::new();
    let mut exec = Exec::new(rels, &[], &[], interner, None);
    let mut sink = |_: &mut Exec<'_>, regs: &[Value]| {
        found.push(regs[row as usize].0);
        Ok(())
    };
    let mut regs = vec![Value::NONE; vars + 3];
    // A lookup without arithmetic and without a cancellation flag cannot stop.
    let _ = exec.run(&steps, &mut regs, &mut sink);
    found.sort_unstable();
    found
}
