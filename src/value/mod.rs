//! Literal values shared by the parser and the evaluator: calendar times and exact numbers.

mod number;
mod time;

pub use number::{Decimal, Number, NumberError, MAX_SCALE};
pub use time::{Granularity, Time, TimeError};
