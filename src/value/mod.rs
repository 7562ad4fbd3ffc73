//! Literal values shared by the parser and the evaluator: calendar times and exact numbers.

mod number;
mod time;

pub use number::{Decimal, Number, NumberError, MAX_SCALE};
pub use time::{Granularity, Time, TimeError};

/// Whether text may not hold this character: a control character other than a tab (it would
/// reach a terminal raw). Strings, notes, CSV cells and inserted strings all follow this.
pub fn is_unprintable(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// A string as the language writes it: in quotes, with `\"`, `\\`, `\n`, `\t` escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
