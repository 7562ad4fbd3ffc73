//! Piped scripts: inputs that only state facts and rules, answered together.

use crate::syntax::ast::Statement;
use crate::KnowledgeBase;

use super::super::commands::Response;
use super::Session;

impl Session {
    /// Answers inputs that each state only facts and rules, as [`Session::handle`] of each
    /// in turn would, but checked, copied and evaluated once for the lot: a piped script of
    /// 40 000 facts cost the whole knowledge base once a line. Each input keeps its name
    /// (`<input N>`); an input that fails is found and answered alone, as it would have
    /// been, with the inputs before it kept.
    pub fn handle_statements(&mut self, inputs: &[String]) -> Response {
        let response = self.statements(inputs);
        self.fitted(response)
    }

    /// [`Session::handle_statements`] before the answers are fitted to the width.
    fn statements(&mut self, inputs: &[String]) -> Response {
        let mut response = Response::default();
        let mut rest = inputs;
        while !rest.is_empty() {
            let first = self.inputs + 1;
            let names: Vec<String> = (first..first + rest.len())
                .map(|n| format!("<input {n}>"))
                .collect();
            let texts: Vec<(&str, &str)> = names
                .iter()
                .map(String::as_str)
                .zip(rest.iter().map(String::as_str))
                .collect();
            let before = self.kb.clone();
            let result = self
                .kb
                .load_strs(&texts)
                .and_then(|report| self.kb.evaluate().map(|_| report))
                .and_then(|report| self.kb.write_outputs().map(|()| report));
            match result {
                Ok(report) => {
                    self.inputs += rest.len();
                    let answered = self.report(Ok(report));
                    self.refresh_asof();
                    append(&mut response, answered);
                    break;
                }
                Err(e) => {
                    let failing = first_failing(&self.kb, &e, &names);
                    self.kb = before;
                    match failing {
                        // Those before it hold together; it is answered alone.
                        Some(k) => {
                            let (before, after) = rest.split_at(k);
                            if !before.is_empty() {
                                append(&mut response, self.statements(before));
                            }
                            if let Some((failed, after)) = after.split_first() {
                                append(&mut response, self.answer(failed));
                                rest = after;
                            }
                        }
                        // An error no input points at (a limit met by a rule stated
                        // earlier): each is answered alone.
                        None => {
                            for input in rest {
                                append(&mut response, self.answer(input));
                            }
                            break;
                        }
                    }
                }
            }
        }
        response
    }
}

/// Whether an input states facts and rules only: no question, command or file, nothing
/// that prints (what [`Session::handle_statements`] takes).
pub fn states_only(input: &str) -> bool {
    let (module, diagnostics) =
        crate::syntax::parse(input, crate::syntax::FileId(0), Default::default());
    diagnostics.is_empty()
        && !module.statements.is_empty()
        && module
            .statements
            .iter()
            .all(|s| matches!(s, Statement::Fact(_) | Statement::Rule(_)))
}

/// The first of the inputs named `names` that an error points into, if any.
fn first_failing(kb: &KnowledgeBase, error: &crate::Error, names: &[String]) -> Option<usize> {
    let crate::Error::Rejected { diagnostics, .. } = error else {
        return None;
    };
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| {
            let name = &kb.sources().source(d.span.file).name;
            names.iter().position(|n| n == name)
        })
        .min()
}

/// One response after another.
fn append(to: &mut Response, next: Response) {
    to.before.push_str(&next.before);
    to.out.push_str(&next.out);
    to.err.push_str(&next.err);
    to.failed |= next.failed;
    to.quit |= next.quit;
}
