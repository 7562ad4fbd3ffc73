//! Explanations as data: `why` (proof trees rebuilt from provenance), `whynot` (the first
//! condition that cannot be met) and `whatif` (what a changed history gains and loses), each a
//! serde structure; [`render`] turns them into a text tree, a narrative paragraph or a
//! Graphviz graph.

mod asked;
mod card;
mod dot;
mod narrative;
mod palette;
mod prove;
pub mod render;
mod whatif;
mod whynot;
mod words;

use std::fmt;
use std::hash::BuildHasherDefault;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::eval::value::FxHasher;
use crate::eval::Const;
use crate::evidence::Evidence;
pub use crate::store::Fact;
use crate::store::{PredicateFacts, PredicateMoves};
pub use crate::syntax::ast::{AggFunc, CmpOp};
pub use crate::syntax::Location;

pub(crate) use prove::prove;
pub(crate) use whatif::whatif;
pub(crate) use whynot::whynot;

/// The theory's verdict on an enactment explained (`../shared/MSF.md`).
pub(crate) const CHANGE: &str = "policy_change";
/// An enactment the streams couple only in an order the dates allow but do not fix.
pub(crate) const ORDER_UNKNOWN: &str = "order_unknown";
/// An enactment no coupling explains.
pub(crate) const UNEXPLAINED: &str = "unexplained";
/// A window that closed with nothing coupled.
pub(crate) const MISSED: &str = "missed_window";
/// The theory's verdicts, in the order a table lists them.
pub(crate) const VERDICTS: [&str; 4] = [CHANGE, ORDER_UNKNOWN, UNEXPLAINED, MISSED];

/// A proof: each fact once, as a node; premises point at nodes by number, so a sub-proof
/// shared by two branches is stored (and printed) once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Proof {
    /// The facts explained, in order.
    pub roots: Vec<usize>,
    /// Every fact the proof reaches.
    pub nodes: Vec<Node>,
    /// The names for people the case gives the symbols of the proof (`display(vat_circular,
    /// "the VAT circular")`), for headings and stories.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub names: std::collections::BTreeMap<String, String>,
}

impl Proof {
    /// A value as people read it: a symbol's display name in this proof, else its words
    /// (`trade_development` → "trade development").
    pub fn words(&self, c: &crate::eval::Const) -> String {
        named(&self.names, c)
    }
}

/// A value as people read it: a symbol's display name among `names`, else its words
/// (`trade_development` → "trade development").
pub(crate) fn named(
    names: &std::collections::BTreeMap<String, String>,
    c: &crate::eval::Const,
) -> String {
    match c {
        crate::eval::Const::Sym(s) => names
            .get(s.as_ref() as &str)
            .cloned()
            .unwrap_or_else(|| words::value_words(c)),
        other => words::value_words(other),
    }
}

/// The most facts a story, a card or a proof's summary reads of one proof: a change of a
/// real case rests on tens of facts, and a report reads the proof of every change, so a case
/// whose every change rests on its own long chain costs a bounded walk per change, not its
/// whole proof (each reader says when it stopped short).
pub(crate) const READ_AT_MOST: usize = 1000;

/// A set of node numbers, hashed as the interner hashes (a report walks thousands of proofs).
pub(crate) type NodeSet = hashbrown::HashSet<usize, BuildHasherDefault<FxHasher>>;

/// A map from node numbers, hashed as [`NodeSet`].
pub(crate) type NodeMap<V> = hashbrown::HashMap<usize, V, BuildHasherDefault<FxHasher>>;

/// The nodes a walk of a proof reached from one root, at most a stated number of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reached {
    /// The nodes reached, the root first, each once, in discovery order.
    pub nodes: Vec<usize>,
    /// Whether the proof reaches more nodes than these (the walk stopped at its limit).
    pub more: bool,
}

impl Proof {
    /// The nodes reachable from `root` (itself first), each once, in discovery order, at
    /// most `limit` of them.
    pub fn reachable(&self, root: usize, limit: usize) -> Reached {
        self.reach(root, true, limit)
    }

    /// The nodes reachable from `root` through fact premises only, leaving out the facts an
    /// aggregate ranged over (the context of a count or a `max`, not its cause); at most
    /// `limit` of them.
    pub fn reachable_by_facts(&self, root: usize, limit: usize) -> Reached {
        self.reach(root, false, limit)
    }

    /// How many facts are reachable from `root` through fact premises, counted up to
    /// `limit` and no further (`limit + 1` means more): a walk that costs at most `limit`.
    pub fn facts_up_to(&self, root: usize, limit: usize) -> usize {
        let reached = self.reach(root, false, limit);
        reached.nodes.len() + usize::from(reached.more)
    }

    /// A walk that costs what it reaches, not the size of the proof: a report walks the
    /// proof of each of thousands of changes, all in one shared proof.
    fn reach(&self, root: usize, aggregates: bool, limit: usize) -> Reached {
        let limit = limit.max(1);
        let mut seen = NodeSet::default();
        seen.insert(root);
        let mut nodes = vec![root];
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            for n in self.premises_of(id, aggregates) {
                if seen.insert(n) {
                    if nodes.len() == limit {
                        return Reached { nodes, more: true };
                    }
                    nodes.push(n);
                    stack.push(n);
                }
            }
        }
        Reached { nodes, more: false }
    }

    /// The nodes a node rests on, in the order its rule states them: its fact premises and
    /// the facts its aggregates ranged over.
    pub fn premises(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.premises_of(node, true)
    }

    /// The facts a node rests on, without those its aggregates ranged over.
    pub(crate) fn premises_by_fact(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.premises_of(node, false)
    }

    fn premises_of(&self, node: usize, aggregates: bool) -> impl Iterator<Item = usize> + '_ {
        let premises = match self.nodes.get(node).map(|n| &n.how) {
            Some(How::Derived { premises, .. }) => premises.as_slice(),
            _ => &[],
        };
        premises
            .iter()
            .flat_map(move |p| match p {
                Premise::Fact { node } => std::slice::from_ref(node),
                Premise::Aggregate { facts, .. } if aggregates => facts.as_slice(),
                _ => &[],
            })
            .copied()
    }
}

/// `(a, b)`, or nothing for no arguments.
pub(crate) fn write_args<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    args: impl ExactSizeIterator<Item = T>,
) -> fmt::Result {
    if args.len() == 0 {
        return Ok(());
    }
    f.write_str("(")?;
    for (i, a) in args.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{a}")?;
    }
    f.write_str(")")
}

/// One position of a [`Pattern`]: a value, a variable left open, or `_`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A value.
    Value(Const),
    /// A variable no match binds here, by name.
    Var(String),
    /// Anything.
    Any,
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Value(c) => write!(f, "{c}"),
            // A wildcard numbered by the compiler (`_#1`) is written as it was: `_`.
            Term::Var(name) if name.starts_with("_#") => f.write_str("_"),
            Term::Var(name) => f.write_str(name),
            Term::Any => f.write_str("_"),
        }
    }
}

/// An atom of a rule with the values a derivation gave it: `blocked(china)`,
/// `member(P, red)`. Displayed (and serialised) as the language writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The predicate.
    pub pred: String,
    /// The arguments.
    pub args: Vec<Term>,
    /// The time after `@`, if the atom has one.
    pub time: Option<Term>,
}

/// A term in an argument's place: a year as a time is `@2006` there (LANGUAGE.md §8).
struct Arg<'a>(&'a Term);

impl fmt::Display for Arg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Term::Value(c) => write!(f, "{}", c.written()),
            other => write!(f, "{other}"),
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pred)?;
        write_args(f, self.args.iter().map(Arg))?;
        match &self.time {
            Some(t) => write!(f, " @ {t}"),
            None => Ok(()),
        }
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One fact of a proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The fact.
    pub fact: Fact,
    /// The lane (`stream`) its predicate belongs to, if any.
    pub lane: Option<String>,
    /// Why it holds.
    pub how: How,
    /// The fact's predicate and row in the evaluated relations, to find it again.
    pub(crate) row: (u32, u32),
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut node = s.serialize_struct("Node", 6)?;
        node.serialize_field("fact", &self.fact.to_string())?;
        node.serialize_field("pred", &self.fact.pred)?;
        node.serialize_field("args", &self.fact.args)?;
        if let Some(lane) = &self.lane {
            node.serialize_field("lane", lane)?;
        }
        node.serialize_field("time", &self.fact.time)?;
        node.serialize_field("how", &self.how)?;
        node.end()
    }
}

/// Why a fact holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum How {
    /// Stated in a `.msf` text.
    Stated {
        /// Where.
        at: Location,
        /// Its note, citation, quote and assumption.
        #[serde(flatten)]
        evidence: Evidence,
    },
    /// Read from a row of a CSV or TSV file (or inserted as data).
    Input {
        /// The file and the row's line.
        at: Location,
    },
    /// Derived by a rule from premises.
    Derived {
        /// The rule's name (`rule NAME`, or its head predicate).
        rule: String,
        /// Where the rule is written.
        at: Location,
        /// The rule's note, citation, quote and assumption.
        #[serde(flatten)]
        evidence: Evidence,
        /// The conditions, in the order the rule states them.
        premises: Vec<Premise>,
    },
}

/// One condition of a derivation, as it was met.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Premise {
    /// A fact (node number).
    Fact {
        /// The node of the fact.
        node: usize,
    },
    /// A negated condition: no such fact holds.
    Absent {
        /// The atom with the derivation's values (`_` where anything would do).
        atom: Pattern,
    },
    /// A comparison or binding with the values of its sides (`None` for a side with no
    /// value).
    Comparison {
        /// The left side's value.
        left: Option<Const>,
        /// The operator.
        op: CmpOp,
        /// The right side's value.
        right: Option<Const>,
    },
    /// An aggregate with its result and the facts it counted or summed.
    Aggregate {
        /// `count`, `sum`, `min` or `max`.
        func: AggFunc,
        /// The variable summed, least or greatest (none for `count`).
        target: Option<String>,
        /// The conditions inside the braces, with the group's values.
        conditions: Vec<String>,
        /// The result.
        result: Const,
        /// The facts aggregated (node numbers), up to a limit.
        facts: Vec<usize>,
        /// How many more facts were aggregated than are listed.
        more: usize,
    },
}

impl Premise {
    /// A premise that is not a fact, as the language writes it: the absent atom
    /// (`blocked(china)`), `3.2 < 6.8`, `count { member(P, red) } = 2`; `None` for a fact.
    pub fn text(&self) -> Option<String> {
        let value = |v: &Option<Const>| v.as_ref().map_or("?".to_string(), Const::to_string);
        Some(match self {
            Premise::Fact { .. } => return None,
            Premise::Absent { atom } => atom.to_string(),
            Premise::Comparison { left, op, right } => {
                format!("{} {} {}", value(left), op.symbol(), value(right))
            }
            Premise::Aggregate {
                func,
                target,
                conditions,
                result,
                ..
            } => {
                let target = target.as_ref().map(|t| format!(" {t}")).unwrap_or_default();
                format!(
                    "{}{target} {{ {} }} = {result}",
                    func.keyword(),
                    conditions.join(", ")
                )
            }
        })
    }
}

impl Serialize for Premise {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.text();
        match self {
            Premise::Fact { node } => {
                let mut p = s.serialize_struct("Premise", 2)?;
                p.serialize_field("kind", "fact")?;
                p.serialize_field("node", node)?;
                p.end()
            }
            Premise::Absent { atom } => {
                let mut p = s.serialize_struct("Premise", 2)?;
                p.serialize_field("kind", "absent")?;
                p.serialize_field("atom", atom)?;
                p.end()
            }
            Premise::Comparison { .. } => {
                let mut p = s.serialize_struct("Premise", 2)?;
                p.serialize_field("kind", "comparison")?;
                p.serialize_field("text", &text)?;
                p.end()
            }
            Premise::Aggregate { facts, more, .. } => {
                let mut p = s.serialize_struct("Premise", 4)?;
                p.serialize_field("kind", "aggregate")?;
                p.serialize_field("text", &text)?;
                p.serialize_field("facts", facts)?;
                p.serialize_field("more", more)?;
                p.end()
            }
        }
    }
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
    /// `why … brief`: print the MSF card, one line per lane, instead of the tree.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub brief: bool,
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
    /// It does not hold at the time asked, but it does at another.
    Elsewhere {
        /// The time asked about.
        asked: String,
        /// The facts at other times, in time order.
        facts: Vec<String>,
        /// For a derived fact: the condition of its proof that came last (why not earlier).
        #[serde(skip_serializing_if = "Option::is_none")]
        last: Option<String>,
        /// Whether every one of those times is before the time asked.
        earlier: bool,
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
        /// For a coupling through a window named in the question: what was enacted while it
        /// was open, or that nothing was (the question a class asks of a window).
        #[serde(skip_serializing_if = "Option::is_none")]
        window: Option<String>,
        /// For a question about a verdict or a coupling of a time or a window, with its change
        /// left open: each enactment of that time (or made while the window was open), with
        /// the rules that do not give it (then `rules` is empty).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        each: Vec<Enactment>,
    },
}

/// One enactment a `whynot` question asks about, and why the fact does not hold of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Enactment {
    /// The change and its time: `belt_and_road_designation (2013)`.
    pub change: String,
    /// Each rule that could produce the fact of this change, with the condition that fails.
    pub rules: Vec<Blocked>,
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
    /// The later conditions that would still fail were the failing one met (a condition
    /// that needs a value only a failing one would give is left out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Unmet>,
    /// When the failing condition is a comparison of two times or numbers: how far it misses
    /// (days between the times, or the difference), to show the nearest miss of several.
    #[serde(skip)]
    pub miss: Option<u64>,
}

/// A condition that fails too, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unmet {
    /// The condition, instantiated with the values met before it.
    pub condition: String,
    /// Why it fails.
    pub because: String,
}

/// The answer to `whatif`: the facts gained and lost, by predicate, in time order — the
/// facts asserted and retracted themselves included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhatIf {
    /// The question as written.
    pub question: String,
    /// Facts that would newly hold, by predicate.
    pub gained: Vec<PredicateFacts>,
    /// Facts that would no longer hold, by predicate.
    pub lost: Vec<PredicateFacts>,
    /// Facts that would hold at another time (`atom: before → after`), by predicate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<PredicateMoves>,
    /// Facts asserted that hold already: asserting them changes nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub already: Vec<String>,
    /// The predicates asked about with `show` whose facts would not change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unchanged: Vec<String>,
    /// Whether, asked without `show`, only the theory's verdicts are compared (`show all`
    /// compares every predicate).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub verdicts_only: bool,
}
