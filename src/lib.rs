//! kingdon: a rule engine for explaining policy change with Kingdon's Multiple Streams
//! Framework.
//!
//! Programs are written in the `.msf` rule language (Datalog with dated facts, stratified
//! negation and aggregates). This crate parses and checks them; the layers are
//! [`syntax`] (spans, AST, parser, printer, diagnostics) → [`check`] (arity, safety,
//! stratification, lints), with [`load`] reading files and expanding includes.
//!
//! ```
//! use kingdon::{check, load, syntax};
//!
//! let program = load::load_text(
//!     "<example>",
//!     "diplomatic_ties(china, kazakhstan) @ 1992.\n\
//!      window_open(political) :- diplomatic_tie(china, kazakhstan).\n\
//!      ?- window_open(W), diplomatic_ties(A, B).\n",
//!     syntax::ParseOptions::default(),
//! );
//! assert!(program.diagnostics.is_empty());
//! let diagnostics = check::check(&program.statements, &program.sources);
//! assert_eq!(
//!     syntax::render_all(&diagnostics, &program.sources, false),
//!     "<example>:2:27: warning[W101]: `diplomatic_tie/2` is used but has no facts, rules or input, so it never holds\n \
//!      2 | window_open(political) :- diplomatic_tie(china, kazakhstan).\n   \
//!        |                           ^^^^^^^^^^^^^^\n   \
//!        = hint: did you mean `diplomatic_ties`?\n\
//!      0 errors, 1 warning\n"
//! );
//! ```

#![deny(missing_docs)]

pub mod check;
pub mod eval;
mod kb;
pub mod load;
pub mod syntax;
pub mod tabular;
pub mod value;

pub use eval::{Const, EvalStats, Limits, Memory};
pub use kb::{Answers, Error, KnowledgeBase, Options, Origin, Output, Report};
