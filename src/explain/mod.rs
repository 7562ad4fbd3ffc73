//! Explanations as data: `why` (proof trees rebuilt from provenance), `whynot` (the first
//! condition that cannot be met) and `whatif` (what a changed history gains and loses), each a
//! serde structure; [`render`] turns them into a text tree, a narrative paragraph or a
//! Graphviz graph.

mod prove;
pub mod render;
mod whatif;
mod whynot;

use serde::Serialize;

pub(crate) use prove::prove;
pub(crate) use whatif::whatif;
pub(crate) use whynot::whynot;

/// A proof: each fact once, as a node; premises point at nodes by number, so a sub-proof
/// shared by two branches is stored (and printed) once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Proof {
    /// The facts explained, in order.
    pub roots: Vec<usize>,
    /// Every fact the proof reaches.
    pub nodes: Vec<Node>,
}

/// One fact of a proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    /// The fact as the language writes it: `window(political) @ 1992`.
    pub fact: String,
    /// Its predicate (for lanes and colours).
    pub pred: String,
    /// The lane (`stream`) its predicate belongs to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lane: Option<String>,
    /// Its time as written, if it has one.
    pub time: Option<String>,
    /// Why it holds.
    pub how: How,
}

/// Why a fact holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum How {
    /// Stated in a `.msf` text.
    Stated {
        /// `file:line` of the statement.
        at: String,
        /// Its `note`.
        note: Option<String>,
        /// Its `source`.
        source: Option<String>,
    },
    /// Read from a row of a CSV or TSV file.
    Input {
        /// `file:line` of the row.
        at: String,
    },
    /// Derived by a rule from premises.
    Derived {
        /// The rule's name (`rule NAME`, or its head predicate).
        rule: String,
        /// `file:line` of the rule.
        at: String,
        /// The rule's `note`.
        note: Option<String>,
        /// The rule's `source`.
        source: Option<String>,
        /// The conditions, in the order the rule states them.
        premises: Vec<Premise>,
    },
}

/// One condition of a derivation, as it was met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Premise {
    /// A fact (node number).
    Fact {
        /// The node of the fact.
        node: usize,
    },
    /// A negated condition: no such fact holds.
    Absent {
        /// The atom, instantiated (`_` where anything would do).
        atom: String,
    },
    /// A comparison or binding with its values: `3.2 < 6.8`, `Y = 2005`.
    Comparison {
        /// The comparison with values in place of variables.
        text: String,
    },
    /// An aggregate with its result and the facts it counted or summed.
    Aggregate {
        /// `count of member(P, red) = 2`.
        text: String,
        /// The facts aggregated (node numbers), up to a limit.
        facts: Vec<usize>,
        /// How many more facts were aggregated than are listed.
        more: usize,
    },
}

/// The answer to `why`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Why {
    /// The question as written.
    pub question: String,
    /// The proofs of the matching facts (no roots when nothing matches).
    pub proof: Proof,
    /// How many levels to print (`why … depth N`).
    pub depth: Option<u32>,
}

/// The answer to `whynot`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhyNot {
    /// The question as written.
    pub question: String,
    /// What was found.
    pub finding: Finding,
}

/// What `whynot` found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The fact holds after all.
    Holds {
        /// The matching facts.
        facts: Vec<String>,
    },
    /// No rule can produce the predicate, and no fact of it is stated.
    NoRule {
        /// The predicate.
        pred: String,
    },
    /// Each rule that could produce the fact, with the condition that fails.
    Blocked {
        /// One entry per rule (per alternative of its `or`s).
        rules: Vec<Blocked>,
        /// Whether facts of the predicate are stated (none matching).
        stated: bool,
    },
}

/// A rule that could produce the fact, and why it does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Blocked {
    /// The rule's name.
    pub rule: String,
    /// `file:line` of the rule.
    pub at: String,
    /// The conditions met before the failing one, instantiated.
    pub met: Vec<String>,
    /// The first condition that cannot be met, instantiated with the bindings so far.
    pub failing: String,
    /// Why that condition fails.
    pub because: String,
    /// One level deeper, when the failing condition is a derived atom: its own rules.
    pub deeper: Vec<Blocked>,
}

/// The answer to `whatif`: derived facts gained and lost, by predicate, in time order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhatIf {
    /// The question as written.
    pub question: String,
    /// Facts that would newly hold, by predicate.
    pub gained: Vec<(String, Vec<String>)>,
    /// Facts that would no longer hold, by predicate.
    pub lost: Vec<(String, Vec<String>)>,
}
