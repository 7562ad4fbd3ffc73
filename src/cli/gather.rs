//! Lines, typed or piped, gathered into the inputs a session answers.

use crate::syntax::is_incomplete;

use super::session::bare_command;

/// Lines, typed or piped, gathered into inputs: a colon command (or a bare `help`) is one
/// line; a statement runs once it is complete, however many lines it takes; an empty line
/// cancels an unfinished one.
#[derive(Default)]
pub struct Gather {
    pending: String,
}

/// What a line completes.
pub enum Gathered {
    /// A command, to run now (an unfinished statement waits).
    Command(String),
    /// A complete input of statements.
    Run(String),
    /// An unfinished statement goes on.
    More,
    /// An empty line dropped an unfinished statement (its text).
    Cancelled(String),
    /// A line that is a whole statement by itself came after an unfinished one that it does
    /// not finish: the unfinished one is dropped (and said so), the line runs alone.
    Dropped {
        /// The unfinished statement.
        unfinished: String,
        /// The line, to run.
        input: String,
    },
}

/// What the REPL says of an unfinished statement a new one pushed aside.
pub fn dropped(unfinished: &str) -> String {
    format!(
        "(not run: `{}` was not finished — a statement ends with `.`, a query may end with `?`)",
        unfinished.trim()
    )
}

/// Whether a text parses without error.
fn parses(text: &str) -> bool {
    let options = crate::syntax::ParseOptions::default();
    crate::syntax::parse(text, crate::syntax::FileId(0), options)
        .1
        .is_empty()
}

impl Gather {
    /// What one more line completes.
    pub fn line(&mut self, line: &str) -> Gathered {
        let trimmed = line.trim();
        if trimmed.starts_with(':') || (self.pending.is_empty() && bare_command(trimmed).is_some())
        {
            return Gathered::Command(trimmed.to_string());
        }
        if trimmed.is_empty() {
            let unfinished = std::mem::take(&mut self.pending);
            return if unfinished.trim().is_empty() {
                Gathered::More
            } else {
                Gathered::Cancelled(unfinished)
            };
        }
        let before = self.pending.clone();
        self.pending.push_str(line);
        self.pending.push('\n');
        if is_incomplete(&self.pending) {
            return Gathered::More;
        }
        let whole = std::mem::take(&mut self.pending);
        // `policy_change(C) @ T` (no `?`) then `policy_change(C) @ 2012?`: the second line is
        // a statement of its own, which the first does not lead into.
        let alone = format!("{line}\n");
        if !before.trim().is_empty() && !parses(&whole) && !is_incomplete(&alone) && parses(&alone)
        {
            return Gathered::Dropped {
                unfinished: before,
                input: alone,
            };
        }
        Gathered::Run(whole)
    }

    /// Whether a statement is unfinished.
    pub fn unfinished(&self) -> bool {
        !self.pending.trim().is_empty()
    }

    /// What is left at the end: an unfinished statement, run as it is (its error says what
    /// it lacks).
    pub fn rest(self) -> Option<String> {
        (!self.pending.trim().is_empty()).then_some(self.pending)
    }
}
