//! The statement interpreter: runs checked statements in order against a store — facts,
//! rules and lanes are added, `input` and `output` read and write files, queries and
//! explanations answer through the evaluated view.

mod csv;

use serde::Serialize;

use crate::explain::{self, WhatIf, Why, WhyNot};
use crate::store::{Answers, Retraction, Store};
use crate::syntax::ast::Statement;
use crate::syntax::Diagnostic;

/// What a statement that acts produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Output {
    /// A query's answers.
    Answers {
        /// The query as written.
        query: String,
        /// Its answers.
        answers: Answers,
    },
    /// Facts removed by `retract`, and derived facts the pattern matched but `retract`
    /// could not remove.
    Retracted(Retraction),
    /// A `why` explanation.
    Why(Why),
    /// A `whynot` explanation.
    WhyNot(WhyNot),
    /// A `whatif` comparison.
    WhatIf(WhatIf),
    /// Facts an `output` statement queued for its file (written by
    /// [`crate::KnowledgeBase::write_outputs`], or with the load under
    /// `Options::write_on_load`).
    Written {
        /// The file.
        path: String,
        /// How many facts.
        facts: usize,
    },
}

/// A statement failed: its error, and the outputs of the statements that ran before it.
pub(crate) struct Failure {
    pub(crate) diagnostic: Diagnostic,
    pub(crate) partial: Vec<Output>,
}

/// Runs checked statements in order; on an error, the outputs so far come with it.
pub(crate) fn run(store: &mut Store, statements: &[Statement]) -> Result<Vec<Output>, Failure> {
    let mut outputs = Vec::new();
    for s in statements {
        match execute(store, s) {
            Ok(Some(out)) => outputs.push(out),
            Ok(None) => {}
            Err(diagnostic) => {
                return Err(Failure {
                    diagnostic,
                    partial: outputs,
                })
            }
        }
    }
    Ok(outputs)
}

/// Runs one checked statement.
pub(crate) fn execute(store: &mut Store, s: &Statement) -> Result<Option<Output>, Diagnostic> {
    match s {
        Statement::Fact(f) => {
            store.assert_fact(f);
            Ok(None)
        }
        Statement::Rule(r) => {
            store.add_rule(r);
            Ok(None)
        }
        Statement::Stream(d) => {
            store.add_lane(d);
            Ok(None)
        }
        Statement::Include(_) => Ok(None),
        Statement::Document(d) => {
            store.add_document(d);
            Ok(None)
        }
        Statement::Input(d) => csv::input(store, d).map(|()| None),
        Statement::Output(_) if store.skips_outputs() => Ok(None),
        Statement::Output(d) => csv::output(store, d).map(Some),
        Statement::Retract(r) => {
            let mut all = Retraction::default();
            for atom in &r.atoms {
                let done = store.retract(atom, r.span)?;
                all.removed.extend(done.removed);
                all.derived.extend(done.derived);
            }
            Ok(Some(Output::Retracted(all)))
        }
        Statement::Query(q) => {
            store.register_literals(&q.body);
            let answers = store.evaluated(q.span)?.answers(&q.body, q.span)?;
            let query = crate::syntax::print_statement(s);
            Ok(Some(Output::Answers { query, answers }))
        }
        Statement::Why(w) => {
            let mut view = store.evaluated(w.span)?;
            let facts = view.matching_rows(&w.atom)?;
            let proof =
                explain::prove(&mut view, &facts).map_err(|d| Diagnostic { span: w.span, ..d })?;
            Ok(Some(Output::Why(Why {
                question: crate::syntax::print_statement(s),
                proof,
                depth: w.depth,
                brief: w.brief,
            })))
        }
        Statement::WhyNot(w) => {
            store.pred(&w.atom.pred, w.atom.args.len());
            let finding = explain::whynot(&mut store.evaluated(w.span)?, &w.atom)?;
            Ok(Some(Output::WhyNot(WhyNot {
                question: crate::syntax::print_statement(s),
                finding,
            })))
        }
        Statement::WhatIf(w) => Ok(Some(Output::WhatIf(explain::whatif(store, w)?))),
    }
}
