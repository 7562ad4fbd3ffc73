//! What the engine holds: the most arguments an atom, and the most conditions and variables
//! a rule or query, may have (E116).

use std::collections::HashSet;

use super::{body, Checker};
use crate::syntax::ast::Literal;
use crate::syntax::{Code, Diagnostic, Span};

/// The most arguments an atom may have.
pub const MAX_ARITY: usize = 1024;

/// The most conditions a rule or query may have, counting those inside `or`s and aggregates.
pub const MAX_CONDITIONS: usize = 1024;

/// The most distinct variables a rule or query may have.
pub const MAX_VARIABLES: usize = 4096;

impl Checker<'_> {
    /// Rejects a rule or query body with more conditions or variables than the engine holds.
    pub(super) fn size<'n>(
        &mut self,
        body: &'n [Literal],
        head: impl Iterator<Item = &'n str>,
        span: Span,
    ) {
        fn count(body: &[Literal]) -> usize {
            body.iter()
                .map(|l| match l {
                    Literal::Aggregate(agg) => 1 + count(&agg.body),
                    Literal::Or(alternatives, _) => alternatives.iter().map(|a| count(a)).sum(),
                    _ => 1,
                })
                .sum()
        }
        let conditions = count(body);
        let mut vars = Vec::new();
        body.iter().for_each(|l| body::literal_vars(l, &mut vars));
        let names: HashSet<&str> = vars.iter().map(|v| v.name.as_str()).chain(head).collect();
        let (what, n, limit) = if conditions > MAX_CONDITIONS {
            ("conditions", conditions, MAX_CONDITIONS)
        } else if names.len() > MAX_VARIABLES {
            ("variables", names.len(), MAX_VARIABLES)
        } else {
            return;
        };
        self.diags.push(
            Diagnostic::new(
                Code::TooLarge,
                span,
                format!("this statement has {n} {what}; a rule or query may have at most {limit}"),
            )
            .with_hint("split it into rules of their own, each deriving a part"),
        );
    }
}
