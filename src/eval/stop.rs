//! [`Stop`]: why a run of plans ended before its end.

use super::value::ArithError;
use crate::syntax::Span;

/// Why an evaluation stopped before its fixpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// More than `max_facts` derived facts; `rule` was deriving when the limit was hit.
    Facts { rule: u32, limit: usize },
    /// Derived facts holding more than `max_cells` values; `rule` was deriving then.
    Cells { rule: u32, limit: usize },
    /// A stratum needed more than `max_iterations`; `rule` derived most in the last one.
    Iterations {
        rule: u32,
        limit: usize,
        last: String,
    },
    /// Arithmetic that overflowed or mixed kinds.
    Arith { error: ArithError, span: Span },
    /// An aggregate formed more than `max_groups` groups.
    Groups { limit: usize, span: Span },
    /// The cancellation flag was raised.
    Cancelled,
    /// A sink has seen enough matches (not an error: the search just ends).
    Enough,
}
