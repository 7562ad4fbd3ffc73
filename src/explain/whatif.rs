//! `whatif`: evaluate a copy of the store with some base facts retracted or asserted, and
//! list the facts gained and lost, by predicate, in time order. The store itself is not
//! touched. A question that cannot be answered as asked is an error that says why: a
//! retracted pattern that matches only derived facts (with the stated facts they rest on),
//! or nothing at all (with the stated facts of that predicate).

use super::{How, WhatIf};
use crate::store::{Fact, Moved, PredicateFacts, PredicateMoves, Store};
use crate::syntax::ast::{self, Atom, ChangeKind, Statement, WhatIf as Question};
use crate::syntax::{Code, Diagnostic};

/// How many stated facts an error lists.
const LISTED: usize = 6;

/// The answer to a `whatif` question.
pub(crate) fn whatif(store: &mut Store, question: &Question) -> Result<WhatIf, Diagnostic> {
    store.evaluated(question.span)?;
    let mut changed = store.clone();
    let mut already = Vec::new();
    // The facts this question takes away: asserting one of them again is no "already".
    let mut retracted: Vec<String> = Vec::new();
    for change in &question.changes {
        match change.kind {
            ChangeKind::Retract => {
                let done = changed.retract(&change.atom, question.span)?;
                if done.removed.is_empty() {
                    return Err(nothing_to_retract(store, &change.atom, &done.derived)?);
                }
                retracted.extend(done.removed.iter().map(ToString::to_string));
            }
            ChangeKind::Assert => {
                let fact = ast::Fact {
                    atom: change.atom.clone(),
                    about: Default::default(),
                    span: question.span,
                };
                let text = crate::syntax::print_statement(&Statement::Fact(fact.clone()));
                let text = text.trim_end_matches('.').to_string();
                let holds = store.evaluated(question.span)?.holds(&change.atom);
                if holds && !retracted.contains(&text) {
                    already.push(text);
                } else {
                    changed.assert_fact(&fact);
                }
            }
        }
    }
    // Without `show`, a case of the theory compares its verdicts (the helpers of a theory
    // would fill a screen); `show all` compares everything.
    let named = |name: &str| store.stated().pred_id(name).is_some();
    let all = question.show.len() == 1 && question.show[0].name.name == "all" && !named("all");
    let verdicts: Vec<&str> = super::VERDICTS.into_iter().filter(|p| named(p)).collect();
    let verdicts_only = question.show.is_empty() && !verdicts.is_empty();
    let shown: Option<Vec<&str>> = if all {
        None
    } else if verdicts_only {
        Some(verdicts)
    } else {
        (!question.show.is_empty())
            .then(|| question.show.iter().map(|p| p.name.name.as_str()).collect())
    };
    let before = store.evaluated(question.span)?;
    let after = changed.evaluated(question.span)?;
    let mut gained = Vec::new();
    let mut lost = Vec::new();
    let mut moved = Vec::new();
    for (p, name) in after.stated.program.preds.keys().enumerate() {
        if shown.as_ref().is_some_and(|s| !s.contains(&name.as_str())) {
            continue;
        }
        // The fork shares the store's values, so the two compare row by row, and only the
        // facts that differ are written out.
        let mut plus = after.facts_not_in(&before, p as u32);
        let mut minus = if p < before.stated.program.preds.len() {
            before.facts_not_in(&after, p as u32)
        } else {
            Vec::new()
        };
        // A fact that only changes its time (a window that closes a year later) is one fact
        // moved, not one lost and another gained.
        let moves = moves(&mut minus, &mut plus);
        if !moves.is_empty() {
            moved.push(PredicateMoves {
                pred: name.clone(),
                moves,
            });
        }
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
    // In the order the question shows them (the program's order for the verdicts or all).
    if let Some(order) = shown.as_ref().filter(|_| !verdicts_only) {
        let at = |pred: &str| order.iter().position(|o| *o == pred);
        for groups in [&mut gained, &mut lost] {
            groups.sort_by_key(|p| at(&p.pred));
        }
        moved.sort_by_key(|p| at(&p.pred));
    }
    let changed_preds: Vec<&str> = gained
        .iter()
        .chain(&lost)
        .map(|p| p.pred.as_str())
        .chain(moved.iter().map(|p| p.pred.as_str()))
        .collect();
    let mut unchanged: Vec<String> = shown
        .iter()
        .flatten()
        .filter(|p| !changed_preds.contains(p) && !verdicts_only)
        .map(|p| p.to_string())
        .collect();
    unchanged.dedup();
    Ok(WhatIf {
        question: crate::syntax::print_statement(&Statement::WhatIf(question.clone())),
        gained,
        lost,
        moved,
        already,
        unchanged,
        verdicts_only,
    })
}

/// Takes out of `lost` and `gained` the facts of one atom at one time before and another
/// after, each the only one of its atom on both sides: `atom: before → after`.
fn moves(lost: &mut Vec<Fact>, gained: &mut Vec<Fact>) -> Vec<Moved> {
    let same_atom = |a: &Fact, b: &Fact| a.pred == b.pred && a.args == b.args;
    let count = |facts: &[Fact], f: &Fact| facts.iter().filter(|g| same_atom(g, f)).count();
    let mut out = Vec::new();
    for f in lost.iter().filter(|f| f.time.is_some()) {
        if count(lost, f) != 1 || count(gained, f) != 1 {
            continue;
        }
        if let Some(after) = gained.iter().find(|g| same_atom(g, f) && g.time.is_some()) {
            out.push(Moved {
                before: f.clone(),
                after: after.clone(),
            });
        }
    }
    lost.retain(|f| !out.iter().any(|m| m.before == *f));
    gained.retain(|f| !out.iter().any(|m| m.after == *f));
    out
}

/// Why a retracted pattern removes nothing: the facts it matches are derived (and rest on
/// these stated facts), or no fact matches it (these are the stated facts of its predicate).
fn nothing_to_retract(
    store: &mut Store,
    atom: &Atom,
    derived: &[Fact],
) -> Result<Diagnostic, Diagnostic> {
    let pattern = crate::syntax::print_atom(atom);
    let mut view = store.evaluated(atom.span)?;
    if !derived.is_empty() {
        let rows = view.matching_rows(atom)?;
        let proof = super::prove(&mut view, &rows)?;
        let mut stated: Vec<String> = proof
            .nodes
            .iter()
            .filter(|n| matches!(n.how, How::Stated { .. } | How::Input { .. }))
            .map(|n| n.fact.to_string())
            .collect();
        stated.sort();
        stated.dedup();
        let facts = if let [one] = derived {
            format!("`{one}` is derived")
        } else {
            format!("the {} facts it matches are derived", derived.len())
        };
        return Ok(Diagnostic::new(
            Code::NotAllowedHere,
            atom.span,
            format!("`{pattern}` cannot be retracted: {facts}, not stated"),
        )
        .with_hint(format!(
            "retract a stated fact it rests on instead: {}",
            listed(&stated)
        )));
    }
    let stated = match view.stated.pred_id(&atom.pred.name) {
        Some(pred) => {
            let rows = view.stated.base[pred as usize].len() as u32;
            view.sorted_rows(pred)
                .into_iter()
                .filter(|r| *r < rows)
                .map(|r| view.show_row((pred, r)))
                .collect()
        }
        None => Vec::new(),
    };
    let hint = if stated.is_empty() {
        format!("no fact of `{}` is stated", atom.pred.name)
    } else {
        format!("did you mean one of the stated facts: {}", listed(&stated))
    };
    Ok(Diagnostic::new(
        Code::NothingMatches,
        atom.span,
        format!("no fact matches `{pattern}`: nothing would be retracted"),
    )
    .with_hint(hint))
}

/// Up to [`LISTED`] facts, and how many more.
fn listed(facts: &[String]) -> String {
    let mut out = facts
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if facts.len() > LISTED {
        out.push_str(&format!(" and {} more", facts.len() - LISTED));
    }
    out
}
