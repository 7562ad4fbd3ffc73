//! The store: what a knowledge base holds — the texts read, the predicate table, base facts
//! with their origins, rules, lanes and the interner — and, computed when an answer needs
//! it, the evaluated relations. [`Evaluated`] is the view of a store whose rules have run:
//! queries, explanations and timelines read through it, and only the facade and the
//! statement interpreter change a store.

mod assumptions;
mod checked;
mod origins;
pub(crate) mod passages;
mod pending;
mod question;
mod saved;
mod view;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;

pub use assumptions::Assumption;
pub use origins::Origin;
pub(crate) use origins::Origins;
pub(crate) use pending::Pending;
pub(crate) use saved::Statements;
pub use view::{Answers, Fact, Moved, PredicateFacts, PredicateMoves};
pub(crate) use view::{Evaluated, FactRef};

use crate::check::{Program, Signature};
use crate::eval::relation::{Batch, Prov, Relation};
use crate::eval::seminaive::evaluate;
use crate::eval::stop::Stop;
use crate::eval::value::{Interner, Value};
use crate::eval::PredId;
use crate::eval::{compile, Compiled, Const, EvalStats, Limits};
use crate::syntax::ast::{self, Atom, Expr, Ident, Literal, Rule, Statement, StreamDecl};
use crate::syntax::{Code, Diagnostic, ParseOptions, SourceMap, Span};
use crate::value::Time;

/// The fewest stated facts for which rules read their smaller relations first (see
/// [`compile`]). On a smaller base any order runs in no time, and the written one is kept:
/// with it the order in which rows are derived, and so the proof an explanation finds
/// first. The crate's own tests plan by size from a few facts on, so that the differential
/// test against the naive evaluator runs plans of both kinds.
#[cfg(not(test))]
const BY_SIZE: usize = 1 << 16;
#[cfg(test)]
const BY_SIZE: usize = 8;

/// Settings of a knowledge base.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Parser limits.
    pub parse: ParseOptions,
    /// Evaluation limits.
    pub limits: Limits,
    /// `output` statements write no file: the program is read for what it states (a timeline
    /// drawn from a script must not write the script's files).
    pub skip_outputs: bool,
    /// The files of `output` statements are written as soon as the load that ran them
    /// succeeds. Off by default: they wait until the caller asks
    /// ([`crate::KnowledgeBase::write_outputs`]), so that a knowledge base writes no file
    /// unasked, and an input the caller may still take back (the REPL, after its evaluation)
    /// writes nothing it takes back.
    pub write_on_load: bool,
}

/// A lane declared by `stream`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lane {
    /// Its name (`problem`).
    pub name: String,
    /// Its label (`"Problem stream"`), if given.
    pub label: Option<String>,
    /// Its predicates as `name/arity`.
    pub preds: Vec<String>,
    /// Those of its predicates whose facts must carry a time (`enacted/2 @`).
    pub timed: Vec<String>,
}

/// A source text declared by `document`: quotes are checked against it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The name citations use (`shi2024`).
    pub name: String,
    /// The file it was read from, as the declaration resolved it.
    pub path: String,
    /// Its `note`, if any.
    pub note: Option<String>,
}

/// A predicate of the knowledge base.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Predicate {
    /// Its name.
    pub name: String,
    /// Its number of arguments.
    pub arity: usize,
}

/// What was stated: the texts, the predicate table, base facts and their origins, rules and
/// lanes. Evaluation reads it and never changes it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stated {
    /// Every text loaded, for diagnostics and `file:line`s.
    pub(crate) sources: SourceMap,
    /// The checked program: the predicate table (a predicate's number, [`PredId`], is its
    /// position; the checker checks every new input against it) and the rules.
    pub(crate) program: Program,
    /// The base facts, by predicate.
    pub(crate) base: Vec<Relation>,
    /// Where each base fact comes from, by predicate and row.
    pub(crate) origins: Vec<Origins>,
    /// The lanes, in declared order.
    pub(crate) lanes: Vec<Lane>,
    /// The documents declared, in declared order (the first declaration of each name).
    pub(crate) documents: Vec<Document>,
    /// For a store as of a time (`as_of`): that time, and the base facts dated after it,
    /// hidden, by predicate, so that `whynot` can say "not yet".
    pub(crate) later: Option<(Time, Vec<Relation>)>,
}

impl Stated {
    /// The number of a predicate, if it was ever named.
    pub(crate) fn pred_id(&self, name: &str) -> Option<PredId> {
        self.program.index(name).map(|i| i as PredId)
    }

    /// The name of predicate number `id`, if there is one.
    pub(crate) fn pred_named(&self, id: PredId) -> Option<&str> {
        let (name, _) = self.program.preds.get_index(id as usize)?;
        Some(name.as_str())
    }

    /// The name of a predicate this store numbered (`?` for a number it did not give).
    pub(crate) fn pred_name(&self, id: PredId) -> &str {
        self.pred_named(id).unwrap_or("?")
    }

    /// The position among the lanes of the one a predicate belongs to, if any.
    pub(crate) fn lane_index(&self, pred: PredId) -> Option<usize> {
        let (name, sig) = self.program.preds.get_index(pred as usize)?;
        let key = format!("{name}/{}", sig.arity);
        self.lanes.iter().position(|lane| lane.preds.contains(&key))
    }

    /// The name of the lane a predicate belongs to, if a `stream` declares one.
    pub(crate) fn lane_of(&self, pred: PredId) -> Option<String> {
        self.lane_index(pred).map(|l| self.lanes[l].name.clone())
    }

    /// A rule's name as explanations show it: `rule NAME`'s name, or its head predicate.
    pub(crate) fn rule_name(&self, rule: u32) -> String {
        let r = &self.program.rules[rule as usize];
        r.name
            .as_ref()
            .map_or_else(|| r.head.pred.name.clone(), |n| n.name.clone())
    }

    /// How messages name a rule: its `rule NAME`, or its head predicate and line.
    pub(crate) fn rule_label(&self, rule: u32) -> Option<String> {
        let r = self.program.rules.get(rule as usize)?;
        Some(match &r.name {
            Some(name) => format!("`{}`", name.name),
            None => format!(
                "`{}` at {}",
                r.head.pred.name,
                self.sources.file_line(r.span)
            ),
        })
    }

    /// The file and line a span starts at.
    pub(crate) fn location(&self, span: Span) -> crate::syntax::Location {
        self.sources.locate(span)
    }

    /// The folder that paths in the statement at `span` are relative to.
    pub(crate) fn statement_dir(&self, span: Span) -> PathBuf {
        let name = &self.sources.source(span.file).name;
        if name.starts_with('<') {
            return PathBuf::new();
        }
        Path::new(name)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The diagnostic for an evaluation that stopped, at `at` where no rule is to blame.
    pub(crate) fn stop_diagnostic(&self, stop: Stop, at: Span) -> Diagnostic {
        match stop {
            Stop::Facts { rule, limit } => Diagnostic::new(
                Code::TooManyFacts,
                self.program.rules[rule as usize].span,
                format!(
                    "evaluation stopped: more than {limit} facts derived; the rule {} kept producing new ones",
                    self.rule_label(rule).unwrap_or_default()
                ),
            )
            .with_hint("a rule that computes new values (`n(X + 1) :- n(X)`) can run forever: bound it (`X < 100`), or raise the limit (`Limits::max_facts`)"),
            Stop::Cells { rule, limit } => Diagnostic::new(
                Code::TooManyCells,
                self.program.rules[rule as usize].span,
                format!(
                    "evaluation stopped: the derived facts hold more than {limit} values{}; the rule {} was deriving them",
                    match limit / 100_000 {
                        0 => String::new(),
                        mib => format!(" (about {mib} MiB)"),
                    },
                    self.rule_label(rule).unwrap_or_default()
                ),
            )
            .with_hint("facts with many arguments fill memory long before the fact limit: derive fewer or narrower facts, or raise the limit (`Limits::max_cells`)"),
            Stop::Iterations { rule, limit, last } => Diagnostic::new(
                Code::TooManyIterations,
                self.program.rules[rule as usize].span,
                format!(
                    "evaluation stopped after {limit} iterations: the rule {} kept producing new facts (the last: {}({last}))",
                    self.rule_label(rule).unwrap_or_default(),
                    self.program.rules[rule as usize].head.pred.name
                ),
            )
            .with_hint("a rule that computes new values (`n(X + 1) :- n(X)`) can run forever: bound it (`X < 100`), or raise the limit (`Limits::max_iterations`)"),
            Stop::Arith { error, span } => match error {
                crate::eval::value::ArithError::Overflow => Diagnostic::new(
                    Code::Overflow,
                    span,
                    "arithmetic overflow: the result does not fit in a 64-bit integer (or 18 decimal digits)",
                ),
                crate::eval::value::ArithError::Type(message) => {
                    Diagnostic::new(Code::WrongKind, span, message)
                }
                crate::eval::value::ArithError::Calendar(shift) => Diagnostic::new(
                    Code::Overflow,
                    span,
                    format!("`{shift}` is not a time: the calendar runs from the year 0 to 9999"),
                ),
            },
            Stop::Groups { limit, span } => Diagnostic::new(
                Code::TooManyGroups,
                span,
                format!("evaluation stopped: this aggregate formed more than {limit} groups"),
            )
            .with_hint("group by fewer variables, or raise the limit (`Limits::max_groups`)"),
            // Only searches that stop early see `Enough`, and they consume it; should one
            // escape, it is still no crash.
            Stop::Enough => Diagnostic::new(Code::Interrupted, at, "evaluation stopped early"),
            Stop::Cancelled => Diagnostic::new(Code::Interrupted, at, "evaluation interrupted")
                .with_hint("nothing of this input was kept"),
        }
    }
}

/// A constant of a pattern or a fact, interned; `None` for a variable, `_` or an expression.
pub(crate) fn intern_constant(interner: &mut Interner, e: &Expr) -> Option<Value> {
    Some(interner.intern(Const::of_literal(e)?))
}

/// The relations after evaluation, with what it took.
#[derive(Clone, Debug)]
struct State {
    rels: Vec<Relation>,
    stats: EvalStats,
}

/// Where the rows of an input file go: their predicate's relation and origins (see
/// [`Store::input_parts`]).
pub(crate) struct RowSink<'s> {
    rel: &'s mut Relation,
    origins: &'s mut Origins,
    state: &'s mut Option<State>,
    file: u32,
}

impl RowSink<'_> {
    /// Makes room for `n` more rows (timed if `timed`) before a large load.
    pub(crate) fn reserve(&mut self, n: usize, timed: bool) {
        self.rel.reserve(n, timed);
    }

    /// Adds a batch of facts read from rows of the file, those that are new with the line of
    /// their row (`lines`, in the batch's order) as origin; empties both.
    pub(crate) fn add(&mut self, batch: &mut Batch, lines: &mut Vec<usize>) {
        // As in `add_fact`, an evaluation that shares the rows goes before they change.
        if self.state.is_some() {
            if !self.rel.any_new(batch) {
                batch.clear();
                lines.clear();
                return;
            }
            *self.state = None;
        }
        let (origins, file) = (&mut *self.origins, self.file);
        self.rel.add_batch_each(batch, Some(Prov::BASE), |i| {
            origins.push_input(file, lines[i]);
        });
        lines.clear();
    }
}

/// Everything a knowledge base holds. Cloning it is how a transaction or a `whatif` gets a
/// copy to change.
#[derive(Clone, Debug, Default)]
pub(crate) struct Store {
    options: Options,
    stated: Stated,
    interner: Interner,
    /// The statements accepted so far, re-checked with each new input: all but facts, and of
    /// the facts the first of each predicate and the first to bring a kind of value to a
    /// column (which stand for the others: the checks ask whether a predicate has facts, with
    /// how many arguments, and of which kinds; a fact is otherwise held in the relations). A
    /// base of a million events keeps a handful of statements.
    checked: Vec<Statement>,
    /// The predicates with a fact in `checked`, and the kinds of value (bits) their kept
    /// facts hold in each column.
    checked_preds: HashMap<String, Vec<u8>>,
    /// What the last check found of each predicate it saw: a predicate registered while its
    /// input runs records where the checker saw it first named (a lane, say).
    signatures: IndexMap<String, Signature>,
    compiled: Option<Compiled>,
    /// The stated facts' sizes (by predicate) `compiled` ordered its atoms by, or `None` when
    /// it kept the written order: plans are a function of the program and of these (see
    /// [`Store::plan_sizes`]), not of when they were made.
    planned_for: Option<Vec<usize>>,
    state: Option<State>,
    /// The files `output` statements of the input running have yet to write.
    pending: Vec<Pending>,
}

/// What `retract` did: the base facts removed, and the facts the pattern matched that are
/// derived, not stated, and so stay. In JSON each fact is written as the language writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Retraction {
    /// The base facts removed.
    #[serde(serialize_with = "view::as_written")]
    pub removed: Vec<Fact>,
    /// Facts that matched but are derived.
    #[serde(serialize_with = "view::as_written")]
    pub derived: Vec<Fact>,
}

impl Store {
    /// An empty store.
    pub(crate) fn new(options: Options) -> Store {
        Store {
            options,
            ..Store::default()
        }
    }

    /// The options it was made with (its limits as last set).
    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    /// Sets the limits of later evaluations.
    pub(crate) fn set_limits(&mut self, limits: Limits) {
        self.options.limits = limits;
    }

    /// What was stated: texts, program, base facts and their origins, lanes, documents.
    pub(crate) fn stated(&self) -> &Stated {
        &self.stated
    }

    /// The texts read, to which a load adds its own (they stay, for diagnostics, whether or
    /// not the load is kept).
    pub(crate) fn sources_mut(&mut self) -> &mut SourceMap {
        &mut self.stated.sources
    }

    /// Keeps the texts a failed run of `next` (this store's copy) read, so that its errors
    /// can be shown; nothing else of it.
    pub(crate) fn keep_texts_of(&mut self, next: Store) {
        self.stated.sources = next.stated.sources;
    }

    /// The values of the facts held.
    pub(crate) fn interner(&self) -> &Interner {
        &self.interner
    }

    /// The statements kept for the checks of later inputs (see `keep_checked`).
    pub(crate) fn checked(&self) -> &[Statement] {
        &self.checked
    }

    /// Learns where the last check saw each predicate first named.
    pub(crate) fn learn_signatures(&mut self, signatures: IndexMap<String, Signature>) {
        self.signatures = signatures;
    }

    /// The number, among `pred`'s input files, of the file named `name` (added if new).
    pub(crate) fn input_file(&mut self, pred: PredId, name: &str) -> u32 {
        self.stated.origins[pred as usize].file(name)
    }

    /// Whether `output` statements are skipped rather than written.
    pub(crate) fn skips_outputs(&self) -> bool {
        self.options.skip_outputs
    }

    /// The number of a predicate, registered (with no facts) if it is new. The checker has
    /// made sure a known name comes with its arity.
    pub(crate) fn pred(&mut self, name: &Ident, arity: usize) -> PredId {
        if let Some(i) = self.stated.pred_id(&name.name) {
            return i;
        }
        let at = self.signatures.get(&name.name).map_or(name.span, |s| s.at);
        let sig = Signature { arity, at };
        self.stated.program.preds.insert(name.name.clone(), sig);
        self.stated.base.push(Relation::new(arity));
        self.stated.origins.push(Origins::default());
        // Plans number predicates by position, so they stay valid; the evaluated relations
        // gain an empty one.
        if let Some(state) = &mut self.state {
            state.rels.push(Relation::new(arity));
        }
        (self.stated.program.preds.len() - 1) as PredId
    }

    /// Forgets the predicates registered after the first `count` (a question named them, and
    /// a question leaves no trace). Nothing else refers to them: they have no facts or rules.
    pub(crate) fn forget_preds_after(&mut self, count: usize) {
        if self.stated.program.preds.len() <= count {
            return;
        }
        self.stated.program.preds.truncate(count);
        self.stated.base.truncate(count);
        self.stated.origins.truncate(count);
        if let Some(state) = &mut self.state {
            state.rels.truncate(count);
        }
    }

    /// Registers every predicate a body names.
    pub(crate) fn register_literals(&mut self, body: &[Literal]) {
        for l in body {
            match l {
                Literal::Atom(a) | Literal::Not(a, _) => {
                    self.pred(&a.pred, a.args.len());
                }
                Literal::Aggregate(agg) => self.register_literals(&agg.body),
                Literal::Or(alternatives, _) => {
                    for alternative in alternatives {
                        self.register_literals(alternative);
                    }
                }
                Literal::Compare(_) => {}
            }
        }
    }

    /// A constant of a pattern or a fact, interned; `None` for a variable, `_` or an
    /// expression (they match anything).
    pub(crate) fn constant(&mut self, e: &Expr) -> Option<Value> {
        intern_constant(&mut self.interner, e)
    }

    /// Adds a base fact unless present; returns whether it was new (its origin is then the
    /// caller's to record).
    pub(crate) fn add_fact(&mut self, pred: PredId, args: &[Value], time: Value) -> bool {
        let base = &mut self.stated.base[pred as usize];
        // An evaluation shares the rows: it goes before they change, or the insert would
        // copy them.
        if self.state.is_some() {
            if base.contains(args, time) {
                return false;
            }
            self.state = None;
        }
        base.insert(args, time, Prov::BASE)
    }

    /// The interner an input file's cells are interned in, and apart from it where the rows
    /// of `pred` read from file number `file` go: borrowed apart, so that one thread can add
    /// rows while another reads the next ones.
    pub(crate) fn input_parts(&mut self, pred: PredId, file: u32) -> (&mut Interner, RowSink<'_>) {
        let Store {
            interner,
            stated,
            state,
            ..
        } = self;
        let (base, origins) = (&mut stated.base, &mut stated.origins);
        let sink = RowSink {
            rel: &mut base[pred as usize],
            origins: &mut origins[pred as usize],
            state,
            file,
        };
        (interner, sink)
    }

    /// States a checked fact (ground, so every argument is a constant), with its origin.
    pub(crate) fn assert_fact(&mut self, fact: &ast::Fact) {
        let pred = self.pred(&fact.atom.pred, fact.atom.args.len());
        let args: Vec<Value> = fact
            .atom
            .args
            .iter()
            .map(|e| self.constant(e).unwrap_or(Value::NONE))
            .collect();
        let time = fact
            .atom
            .time
            .as_ref()
            .and_then(|t| self.constant(t))
            .unwrap_or(Value::NONE);
        if self.add_fact(pred, &args, time) {
            let evidence = crate::evidence::Evidence::of(&fact.about);
            self.stated.origins[pred as usize].push_stated(fact.span, evidence);
        }
    }

    /// Adds a fact given as data to a predicate that already has stated facts of the same
    /// arity (so that the checks of later inputs know it); `None` when that is not so and the
    /// fact must go through the checker as a statement. Otherwise whether it was new.
    pub(crate) fn insert(
        &mut self,
        name: &str,
        args: &[Const],
        time: Option<Time>,
    ) -> Option<bool> {
        let pred = self.stated.pred_id(name)?;
        // A value of a kind its column has not held goes the way of a statement, to be kept.
        let fits = self.kinds_known(name, args)
            && self.stated.program.preds[pred as usize].arity == args.len();
        if !fits {
            return None;
        }
        let args: Vec<Value> = args
            .iter()
            .map(|c| self.interner.intern(c.clone()))
            .collect();
        let time = time.map_or(Value::NONE, |t| self.interner.intern(Const::Time(t)));
        let new = self.add_fact(pred, &args, time);
        if new {
            let origins = &mut self.stated.origins[pred as usize];
            let file = origins.file("<insert>");
            let line = self.stated.base[pred as usize].len();
            origins.push_input(file, line);
        }
        Some(new)
    }

    /// Adds a checked rule.
    pub(crate) fn add_rule(&mut self, rule: &Rule) {
        self.pred(&rule.head.pred, rule.head.args.len());
        self.register_literals(&rule.body);
        self.stated.program.rules.push(rule.clone());
        self.compiled = None;
        self.state = None;
    }

    /// Adds the lane a `stream` declares.
    pub(crate) fn add_lane(&mut self, d: &StreamDecl) {
        let key = |p: &ast::PredRef| format!("{}/{}", p.name.name, p.arity.unwrap_or(0));
        self.stated.lanes.push(Lane {
            name: d.name.name.clone(),
            label: d.label.as_ref().map(|l| l.value.clone()),
            preds: d.preds.iter().map(key).collect(),
            timed: d.preds.iter().filter(|p| p.timed).map(key).collect(),
        });
    }

    /// Records a document its declaration read.
    pub(crate) fn add_document(&mut self, d: &ast::DocumentDecl) {
        let path = d.text.map_or_else(
            || d.path.value.clone(),
            |f| self.stated.sources.source(f).name.clone(),
        );
        let document = Document {
            name: d.name.name.clone(),
            path,
            note: d.note.as_ref().map(|n| n.value.clone()),
        };
        // The first declaration of a name stands (a second, for another text, is E120).
        if !self
            .stated
            .documents
            .iter()
            .any(|e| e.name == document.name)
        {
            self.stated.documents.push(document);
        }
    }

    /// Removes the base facts an atom pattern matches (variables and `_` match anything; an
    /// `@ T` pattern matches timed facts), and reports the derived facts it matches.
    pub(crate) fn retract(&mut self, atom: &Atom, at: Span) -> Result<Retraction, Diagnostic> {
        // A predicate never named has nothing to retract (and is not named by this).
        let Some(pred) = self.stated.pred_id(&atom.pred.name) else {
            return Ok(Retraction::default());
        };
        // The pattern's constants are looked up, not interned: a retract leaves no name behind
        // (W107 warns of it again), and a constant no fact holds matches nothing.
        let mut pattern: Vec<Option<Value>> = Vec::with_capacity(atom.args.len());
        for e in &atom.args {
            match Const::of_literal(e) {
                None => pattern.push(None),
                Some(c) => match self.interner.id_of(&c) {
                    Some(v) => pattern.push(Some(v)),
                    None => return Ok(Retraction::default()),
                },
            }
        }
        // A time after `@` matches every time within it (2012 takes 2012-07 too).
        let time = atom.time.as_ref().map(|t| match t {
            Expr::Time(t, _) => Some(*t),
            _ => None,
        });
        let matches = |interner: &Interner, args: &[Value], t: Value| {
            args.iter()
                .zip(&pattern)
                .all(|(v, p)| p.is_none_or(|p| p == *v))
                && match time {
                    None => true,
                    Some(None) => t.is_some(),
                    Some(Some(outer)) => interner.time_within(t, outer),
                }
        };
        // Facts that hold only by derivation are reported, not removed.
        let mut derived = Vec::new();
        let stated_rows = self.stated.base[pred as usize].len() as u32;
        {
            let view = self.evaluated(at)?;
            let rel = &view.rels[pred as usize];
            for r in stated_rows..rel.len() as u32 {
                if matches(view.interner, rel.row(r), rel.time(r)) {
                    derived.push(view.fact((pred, r)));
                }
            }
        }
        let mut removed = Vec::new();
        let (keep, origins) = self.base_where(pred as usize, |_, args, t| {
            let gone = matches(&self.interner, args, t);
            if gone {
                removed.push((args.to_vec(), t));
            }
            !gone
        });
        if keep.len() != self.stated.base[pred as usize].len() {
            self.stated.base[pred as usize] = keep;
            self.stated.origins[pred as usize] = origins;
            self.state = None;
        }
        Ok(Retraction {
            removed: removed
                .into_iter()
                .map(|(args, t)| view::fact(&self.stated, &self.interner, pred, &args, t))
                .collect(),
            derived,
        })
    }

    /// The base facts of predicate `p` that `keep` accepts (given row, arguments and time),
    /// as a new relation with their origins.
    fn base_where(
        &self,
        p: usize,
        mut keep: impl FnMut(u32, &[Value], Value) -> bool,
    ) -> (Relation, Origins) {
        let rel = &self.stated.base[p];
        let mut kept = Relation::new(rel.arity());
        let mut rows = Vec::new();
        for r in 0..rel.len() as u32 {
            let (args, t) = (rel.row(r), rel.time(r));
            if keep(r, args, t) {
                kept.insert(args, t, Prov::BASE);
                rows.push(r);
            }
        }
        (kept, self.stated.origins[p].select(&rows))
    }

    /// The store as it was at `time`: only base facts dated up to it (and timeless ones);
    /// rules unchanged.
    pub(crate) fn as_of(&self, time: Time) -> Store {
        let mut past = self.clone();
        past.state = None;
        let mut later = Vec::with_capacity(self.stated.base.len());
        for p in 0..self.stated.base.len() {
            let come = |t: Value| self.interner.time_come_by(t, time);
            let (keep, origins) = self.base_where(p, |_, _, t| come(t));
            let (after, _) = self.base_where(p, |_, _, t| !come(t));
            past.stated.base[p] = keep;
            past.stated.origins[p] = origins;
            later.push(after);
        }
        past.stated.later = Some((time, later));
        past
    }

    /// A fact as the language writes it: `p(a, 3) @ 1992`.
    pub(crate) fn show_fact(&self, pred: PredId, args: &[Value], time: Value) -> String {
        view::show_fact(&self.stated, &self.interner, pred, args, time)
    }

    /// The statistics of the last evaluation, if one ran since the last change.
    pub(crate) fn stats(&self) -> Option<&EvalStats> {
        self.state.as_ref().map(|s| &s.stats)
    }

    /// The store evaluated: the rules run over the base facts unless nothing changed since
    /// the last time. `at` is where an interruption is reported.
    pub(crate) fn evaluated(&mut self, at: Span) -> Result<Evaluated<'_>, Diagnostic> {
        if self.state.is_none() {
            self.state_same_passages();
            let sizes = self.plan_sizes();
            let mut compiled = match self.compiled.take() {
                Some(c) if self.planned_for == sizes => c,
                _ => {
                    let c = self.compile_rules(sizes.as_deref())?;
                    self.planned_for = sizes;
                    c
                }
            };
            let mut rels = self.stated.base.clone();
            if !self.options.limits.provenance {
                rels.iter_mut().for_each(Relation::clear_provenance);
            }
            compiled.resolve(&mut rels);
            let result = evaluate(
                &mut rels,
                &mut self.interner,
                &compiled.rules,
                &compiled.strata,
                &self.options.limits,
                self.stated.later.as_ref().map(|(t, _)| *t),
            );
            self.compiled = Some(compiled);
            let stats = result.map_err(|stop| self.stated.stop_diagnostic(stop, at))?;
            self.state = Some(State { rels, stats });
        }
        let compiled = self.compiled.get_or_insert_with(Compiled::default);
        let state = self.state.get_or_insert_with(|| State {
            rels: Vec::new(),
            stats: EvalStats::default(),
        });
        Ok(Evaluated {
            options: &self.options,
            stated: &self.stated,
            interner: &mut self.interner,
            compiled,
            rels: &mut state.rels,
            stats: &state.stats,
        })
    }

    /// The sizes of the stated facts of each predicate, when there are enough of them for
    /// rules to read the smaller relations first ([`BY_SIZE`]).
    fn plan_sizes(&self) -> Option<Vec<usize>> {
        let sizes: Vec<usize> = self.stated.base.iter().map(Relation::len).collect();
        (sizes.iter().sum::<usize>() >= BY_SIZE).then_some(sizes)
    }

    /// The rules compiled to plans, ordered by `sizes` when given (see [`compile`]).
    fn compile_rules(&mut self, sizes: Option<&[usize]>) -> Result<Compiled, Diagnostic> {
        compile(&self.stated.program, &mut self.interner, sizes)
    }
}
