//! `whatif`: evaluate a copy of the knowledge base with some base facts retracted or asserted,
//! and list the facts gained and lost, by predicate, in time order. The knowledge base itself
//! is not touched.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::WhatIf;
use crate::eval::plan::PredId;
use crate::eval::value::Value;
use crate::kb::KnowledgeBase;
use crate::syntax::ast::{ChangeKind, Fact, Statement, WhatIf as Question};
use crate::syntax::Diagnostic;

impl KnowledgeBase {
    /// The answer to a `whatif` question.
    pub(crate) fn whatif(&mut self, question: &Question) -> Result<WhatIf, Diagnostic> {
        self.ensure_state(question.span)?;
        let mut changed = self.clone();
        let mut removed = Vec::new();
        let mut derived = Vec::new();
        let mut asserted = BTreeSet::new();
        for change in &question.changes {
            match change.kind {
                ChangeKind::Retract => {
                    changed.retract_atom(
                        &change.atom,
                        &mut removed,
                        &mut derived,
                        question.span,
                    )?;
                }
                ChangeKind::Assert => {
                    let fact = Statement::Fact(Fact {
                        atom: change.atom.clone(),
                        note: None,
                        source: None,
                        span: question.span,
                    });
                    changed.execute(&fact)?;
                    asserted.insert(
                        crate::syntax::print_statement(&fact)
                            .trim_end_matches('.')
                            .to_string(),
                    );
                }
            }
        }
        changed.ensure_state(question.span)?;
        let shown: Option<Vec<&str>> = (!question.show.is_empty())
            .then(|| question.show.iter().map(|p| p.name.name.as_str()).collect());
        let mut gained = Vec::new();
        let mut lost = Vec::new();
        for (p, name) in changed.preds.keys().enumerate() {
            if shown.as_ref().is_some_and(|s| !s.contains(&name.as_str())) {
                continue;
            }
            let before = if p < self.preds.len() {
                self.facts_of(p as PredId)
            } else {
                Vec::new()
            };
            let after = changed.facts_of(p as PredId);
            let before_set: BTreeSet<&String> = before.iter().collect();
            let after_set: BTreeSet<&String> = after.iter().collect();
            let plus: Vec<String> = after
                .iter()
                .filter(|f| !before_set.contains(f) && !asserted.contains(*f))
                .cloned()
                .collect();
            let minus: Vec<String> = before
                .iter()
                .filter(|f| !after_set.contains(f) && !removed.contains(*f))
                .cloned()
                .collect();
            if !plus.is_empty() {
                gained.push((name.clone(), plus));
            }
            if !minus.is_empty() {
                lost.push((name.clone(), minus));
            }
        }
        Ok(WhatIf {
            question: crate::syntax::print_statement(&Statement::WhatIf(question.clone())),
            gained,
            lost,
        })
    }

    /// Every fact of a predicate as written, in time order, then by value.
    pub(crate) fn facts_of(&self, pred: PredId) -> Vec<String> {
        let state = self.state.as_ref().expect("evaluated");
        let rel = &state.rels[pred as usize];
        let interner = &self.interner;
        let cmp = |a: Value, b: Value| match (a.is_some(), b.is_some()) {
            (true, true) => interner.get(a).total_cmp(interner.get(b)),
            (x, y) => x.cmp(&y),
        };
        let mut rows: Vec<u32> = (0..rel.len() as u32).collect();
        rows.sort_by(|&a, &b| {
            cmp(rel.time(a), rel.time(b)).then_with(|| {
                rel.row(a)
                    .iter()
                    .zip(rel.row(b))
                    .map(|(x, y)| cmp(*x, *y))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        });
        rows.into_iter()
            .map(|r| self.show_fact(pred, rel.row(r), rel.time(r)))
            .collect()
    }
}
