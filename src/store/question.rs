//! A question leaves no trace in the store it is asked of.

use super::Store;
use crate::syntax::{Diagnostic, Span};

impl Store {
    /// Runs `ask` (queries, `why`, `whynot`, `whatif`) and takes back what it left in the
    /// store: the predicates it named and the constants it interned, so that a name never
    /// stated is warned of (W107) each time it is asked, completion never offers it, and the
    /// interner does not grow with each question. The rules are evaluated first (an error of
    /// theirs reported at `at`): what their evaluation interns is held by the evaluated
    /// relations, and stays.
    pub(crate) fn asking<T>(
        &mut self,
        at: Span,
        ask: impl FnOnce(&mut Store) -> T,
    ) -> Result<T, Diagnostic> {
        self.evaluated(at)?;
        let (preds, constants) = (self.stated.program.preds.len(), self.interner.len());
        let asked = ask(self);
        self.forget_preds_after(preds);
        self.interner.truncate(constants);
        Ok(asked)
    }
}
