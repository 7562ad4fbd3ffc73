//! kingdon: a rule engine for explaining policy change with Kingdon's Multiple Streams
//! Framework.
//!
//! Programs are written in the `.msf` rule language: Datalog with dated facts, stratified
//! negation and aggregates. [`KnowledgeBase`] is the one type an embedder needs: it loads
//! texts and files, answers queries, and explains its answers ([`explain`], [`timeline`]:
//! data, then renderers). [`check`] checks files without evaluating them; [`syntax`] holds
//! the places and diagnostics every error carries; [`value`] the times and numbers of
//! answers. The layers inside (parser, checker, evaluator, store) are ARCHITECTURE.md's.
//!
//! A call that reads a large input file or evaluates a large base may run part of its work
//! on one more thread (adding rows and derived facts while the caller's thread reads and
//! derives on), joined before the call returns; where no thread can start, the caller's
//! thread does it all. Results are the same either way.
//!
//! ```
//! use kingdon::{KnowledgeBase, Output};
//!
//! let mut kb = KnowledgeBase::new();
//! let report = kb
//!     .load_str(
//!         "<example>",
//!         "ussr_dissolved @ 1991-12-25.\n\
//!          ties(china, kazakhstan) @ 1992.\n\
//!          window(political) :- ussr_dissolved, ties(china, kazakhstan).\n\
//!          ?- window(W) @ T.\n",
//!     )
//!     .expect("a valid program");
//! // The query ran in order; its answer holds at the latest time among its premises.
//! let Output::Answers { answers, .. } = &report.outputs[0] else { unreachable!() };
//! assert_eq!(answers.vars, ["W", "T"]);
//! assert_eq!(serde_json::to_string(&answers.rows).unwrap(), r#"[["political","1992"]]"#);
//!
//! // Retracting a base fact takes its consequences with it.
//! kb.retract("ussr_dissolved").expect("a valid pattern");
//! assert!(kb.query("window(W)").expect("a valid query").rows.is_empty());
//!
//! // Errors are data with places, rendered on request; the knowledge base is unchanged.
//! let error = kb.load_str("<typo>", "window(X) :- ties(china, X, 1992).").unwrap_err();
//! assert!(kb.render(&error, false).starts_with(
//!     "<typo>:1:14: error[E101]: arity mismatch: `ties` has 3 arguments here but 2 arguments at <example>:2:1"
//! ));
//! ```

#![deny(missing_docs)]
#![warn(unnameable_types)]

pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod compare;
mod eval;
pub mod evidence;
pub mod explain;
mod files;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod interpret;
mod kb;
mod load;
mod markup;
pub mod report;
pub mod robustness;
mod store;
mod stream;
pub mod syntax;
mod tabular;
pub mod timeline;
pub mod value;
pub mod verdicts;

pub use eval::{Const, EvalStats, Limits, Memory, PredicateId, RuleId, StratumStats};

/// The theory (`rules/msf.msf`), the Horgos case (`rules/horgos.msf`) and the paper its
/// quotes come from (`rules/sources/shi2024.txt`), bundled in the library as `(path, text)`
/// pairs: `kb.load_bundle(kingdon::HORGOS_CASE)` loads them from any folder.
pub const HORGOS_CASE: &[(&str, &str)] = &[
    ("rules/msf.msf", include_str!("../rules/msf.msf")),
    ("rules/horgos.msf", include_str!("../rules/horgos.msf")),
    (
        "rules/sources/shi2024.txt",
        include_str!("../rules/sources/shi2024.txt"),
    ),
];
pub use interpret::Output;
pub use kb::{Error, KnowledgeBase, Report, RuleText};
pub use load::ReadError;
pub use robustness::Robustness;
pub use store::{
    Answers, Assumption, Document, Fact, Lane, Moved, Options, Predicate, PredicateFacts,
    PredicateMoves, Retraction,
};
pub use syntax::ParseOptions;
pub use verdicts::Verdicts;
