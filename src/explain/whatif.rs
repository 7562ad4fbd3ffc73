//! `whatif`: evaluate a copy of the store with some base facts retracted or asserted, and
//! list the facts gained and lost, by predicate, in time order. The store itself is not
//! touched.

use std::collections::BTreeSet;

use super::WhatIf;
use crate::store::{PredicateFacts, Store};
use crate::syntax::ast::{ChangeKind, Fact, Statement, WhatIf as Question};
use crate::syntax::Diagnostic;

/// The answer to a `whatif` question.
pub(crate) fn whatif(store: &mut Store, question: &Question) -> Result<WhatIf, Diagnostic> {
    store.evaluated(question.span)?;
    let mut changed = store.clone();
    let mut removed = Vec::new();
    let mut asserted = BTreeSet::new();
    for change in &question.changes {
        match change.kind {
            ChangeKind::Retract => {
                removed.extend(changed.retract(&change.atom, question.span)?.removed);
            }
            ChangeKind::Assert => {
                let fact = Fact {
                    atom: change.atom.clone(),
                    note: None,
                    source: None,
                    span: question.span,
                };
                changed.assert_fact(&fact);
                asserted.insert(
                    crate::syntax::print_statement(&Statement::Fact(fact))
                        .trim_end_matches('.')
                        .to_string(),
                );
            }
        }
    }
    let shown: Option<Vec<&str>> = (!question.show.is_empty())
        .then(|| question.show.iter().map(|p| p.name.name.as_str()).collect());
    let before = store.evaluated(question.span)?;
    let after = changed.evaluated(question.span)?;
    let mut gained = Vec::new();
    let mut lost = Vec::new();
    for (p, name) in after.stated.program.preds.keys().enumerate() {
        if shown.as_ref().is_some_and(|s| !s.contains(&name.as_str())) {
            continue;
        }
        let old = if p < before.stated.program.preds.len() {
            before.facts_of(p as u32)
        } else {
            Vec::new()
        };
        let new = after.facts_of(p as u32);
        let old_set: BTreeSet<&String> = old.iter().collect();
        let new_set: BTreeSet<&String> = new.iter().collect();
        let plus: Vec<String> = new
            .iter()
            .filter(|f| !old_set.contains(f) && !asserted.contains(*f))
            .cloned()
            .collect();
        let minus: Vec<String> = old
            .iter()
            .filter(|f| !new_set.contains(f) && !removed.contains(*f))
            .cloned()
            .collect();
        if !plus.is_empty() {
            gained.push(PredicateFacts {
                pred: name.clone(),
                facts: plus,
            });
        }
        if !minus.is_empty() {
            lost.push(PredicateFacts {
                pred: name.clone(),
                facts: minus,
            });
        }
    }
    Ok(WhatIf {
        question: crate::syntax::print_statement(&Statement::WhatIf(question.clone())),
        gained,
        lost,
    })
}
