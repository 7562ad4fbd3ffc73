//! kingdon: a rule engine for explaining policy change with Kingdon's Multiple Streams
//! Framework.

pub mod syntax;
pub mod value;
