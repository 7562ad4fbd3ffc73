//! [`Evaluated`]: a store whose rules have run, borrowed. Holding one is the proof that the
//! relations are computed, so nothing that reads them needs to check.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde::Serialize;

use super::{Options, Stated};
use crate::eval::relation::Relation;
use crate::eval::value::{Interner, Value};
use crate::eval::PredId;
use crate::eval::{search, Compiled, Const, EvalStats, QueryPlan};
use crate::syntax::ast::{Atom, Literal};
use crate::syntax::{Diagnostic, Span};
use crate::value::Time;

pub(crate) use crate::eval::FactRef;

/// The answers to a query: the variables in order of appearance, and one row of values per
/// distinct answer, sorted by time, then by value. A query without variables has one empty
/// row when it holds and none when it does not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answers {
    /// The variables shown (`_x` ones are hidden).
    pub vars: Vec<String>,
    /// One row per answer; `None` where an alternative of an `or` leaves a variable unbound.
    pub rows: Vec<Vec<Option<Const>>>,
}

impl Answers {
    /// For a query without variables: whether it holds.
    pub fn holds(&self) -> bool {
        !self.rows.is_empty()
    }
}

/// A fact as data: `ties(china, kazakhstan) @ 1992` is the predicate `ties`, two symbols and
/// a time. Displayed as the language writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fact {
    /// The predicate.
    pub pred: String,
    /// The arguments.
    pub args: Vec<Const>,
    /// The time, for a timed fact.
    pub time: Option<Time>,
}

impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let time = self.time.as_ref().map(|t| t as &dyn std::fmt::Display);
        // An argument as the language writes it: a year as a time is `@2006` (LANGUAGE.md §8).
        write_fact(f, &self.pred, self.args.iter().map(Const::written), time)
    }
}

/// Writes a fact as the language writes it, `p(a, 3) @ 1992`: the one spelling of [`Fact`]
/// and of [`show_fact`].
fn write_fact(
    out: &mut impl std::fmt::Write,
    pred: &str,
    args: impl ExactSizeIterator<Item = impl std::fmt::Display>,
    time: Option<&dyn std::fmt::Display>,
) -> std::fmt::Result {
    out.write_str(pred)?;
    if args.len() > 0 {
        out.write_char('(')?;
        for (i, a) in args.enumerate() {
            if i > 0 {
                out.write_str(", ")?;
            }
            write!(out, "{a}")?;
        }
        out.write_char(')')?;
    }
    match time {
        Some(t) => write!(out, " @ {t}"),
        None => Ok(()),
    }
}

/// The facts of one predicate, in time order. In JSON each fact is written as the language
/// writes it (`"p(a, 3) @ 1992"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PredicateFacts {
    /// The predicate.
    pub pred: String,
    /// Its facts, in time order, then by value.
    #[serde(serialize_with = "as_written")]
    pub facts: Vec<Fact>,
}

/// Facts serialised as the language writes them (`"q(b) @ 2001"`).
pub(crate) fn as_written<S: serde::Serializer>(facts: &[Fact], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(facts.iter().map(ToString::to_string))
}

/// A fact that holds at another time after a change: the same atom before and after.
/// Written (and in JSON) `atom: before → after`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// The fact before the change.
    pub before: Fact,
    /// The same atom after it, at its new time.
    pub after: Fact,
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let atom = Fact {
            time: None,
            ..self.before.clone()
        };
        let time = |t: &Option<Time>| t.as_ref().map_or_else(String::new, Time::to_string);
        write!(
            f,
            "{atom}: {} → {}",
            time(&self.before.time),
            time(&self.after.time)
        )
    }
}

impl Serialize for Moved {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The facts of one predicate that hold at another time after a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PredicateMoves {
    /// The predicate.
    pub pred: String,
    /// Its facts moved (in JSON under `facts`, as before moves were data).
    #[serde(rename = "facts")]
    pub moves: Vec<Moved>,
}

/// A store whose rules have run: what was stated, the plans, and every fact, base and
/// derived. The interner and the relations are lent mutably because a search interns the
/// constants of its pattern and builds the indexes it reads through; neither changes a fact.
pub(crate) struct Evaluated<'a> {
    pub(crate) options: &'a Options,
    pub(crate) stated: &'a Stated,
    pub(crate) interner: &'a mut Interner,
    pub(crate) compiled: &'a Compiled,
    /// Every fact, by predicate: a relation's first rows are its base facts.
    pub(crate) rels: &'a mut [Relation],
    pub(crate) stats: &'a EvalStats,
}

/// A fact as data: its predicate, arguments and time.
pub(crate) fn fact(
    stated: &Stated,
    interner: &Interner,
    pred: PredId,
    args: &[Value],
    time: Value,
) -> Fact {
    Fact {
        pred: stated.pred_name(pred).to_string(),
        args: args.iter().map(|v| interner.get(*v).into_owned()).collect(),
        time: time.as_time(),
    }
}

/// A fact as the language writes it: `p(a, 3) @ 1992`.
pub(crate) fn show_fact(
    stated: &Stated,
    interner: &Interner,
    pred: PredId,
    args: &[Value],
    time: Value,
) -> String {
    let mut out = String::new();
    let time = time.is_some().then(|| interner.get(time));
    let args = args.iter().map(|v| interner.get(*v).written().to_string());
    // Writing to a String does not fail.
    let _ = write_fact(
        &mut out,
        stated.pred_name(pred),
        args,
        time.as_ref().map(|t| t as &dyn std::fmt::Display),
    );
    out
}

/// The total order of values that answers are sorted by; absent values first.
fn cmp_values(interner: &Interner, a: Value, b: Value) -> Ordering {
    match (a.is_some(), b.is_some()) {
        (true, true) => interner.get(a).total_cmp(&interner.get(b)),
        (x, y) => x.cmp(&y),
    }
}

/// Rows compared by their times, then by their values in order: how every listing of facts
/// and answers is sorted.
fn cmp_rows(
    interner: &Interner,
    (ta, a): (impl Iterator<Item = Value>, &[Value]),
    (tb, b): (impl Iterator<Item = Value>, &[Value]),
) -> Ordering {
    let times = |t: Value| t.as_time();
    ta.filter_map(times)
        .cmp(tb.filter_map(times))
        .then_with(|| {
            a.iter()
                .zip(b)
                .map(|(x, y)| cmp_values(interner, *x, *y))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
}

impl Evaluated<'_> {
    /// A fact as the language writes it.
    pub(crate) fn show_fact(&self, pred: PredId, args: &[Value], time: Value) -> String {
        show_fact(self.stated, self.interner, pred, args, time)
    }

    /// The fact of a predicate's row, as written.
    pub(crate) fn show_row(&self, (pred, row): FactRef) -> String {
        let rel = &self.rels[pred as usize];
        self.show_fact(pred, rel.row(row), rel.time(row))
    }

    /// A constant of a pattern, interned; `None` for a variable, `_` or an expression.
    pub(crate) fn constant(&mut self, e: &crate::syntax::ast::Expr) -> Option<Value> {
        super::intern_constant(self.interner, e)
    }

    /// A row as data: its predicate, arguments and time.
    pub(crate) fn fact(&self, (pred, row): FactRef) -> Fact {
        let rel = &self.rels[pred as usize];
        fact(
            self.stated,
            self.interner,
            pred,
            rel.row(row),
            rel.time(row),
        )
    }

    /// The names for people the case gives (`display(vat_circular, "the VAT circular")`),
    /// by symbol (the first given, where a symbol has two).
    pub(crate) fn display_map(&self) -> std::collections::HashMap<String, String> {
        let mut given = std::collections::HashMap::new();
        let Some(p) = self.stated.pred_id(crate::syntax::DISPLAY) else {
            return given;
        };
        let rel = &self.rels[p as usize];
        for r in 0..rel.len() as u32 {
            if let [symbol, name] = rel.row(r) {
                if let (Const::Sym(s), Const::Str(n)) =
                    (self.value(*symbol).as_ref(), self.value(*name).as_ref())
                {
                    given.entry(s.to_string()).or_insert_with(|| n.to_string());
                }
            }
        }
        given
    }

    /// [`Evaluated::display_map`] for the symbols among `of`.
    pub(crate) fn display_names<'c>(
        &self,
        of: impl Iterator<Item = &'c Const>,
    ) -> std::collections::BTreeMap<String, String> {
        let given = self.display_map();
        let mut names = std::collections::BTreeMap::new();
        if given.is_empty() {
            return names;
        }
        for c in of {
            if let Const::Sym(s) = c {
                if let Some(name) = given.get(s.as_ref()) {
                    names.insert(s.to_string(), name.clone());
                }
            }
        }
        names
    }

    /// The value behind an id.
    pub(crate) fn value(&self, v: Value) -> Cow<'_, Const> {
        self.interner.get(v)
    }

    /// Whether a row is a base fact (stated or read), not derived.
    pub(crate) fn is_base(&self, (pred, row): FactRef) -> bool {
        self.rels[pred as usize].rule(row).is_none()
    }

    /// The rows of a predicate in time order, then by value.
    pub(crate) fn sorted_rows(&self, pred: PredId) -> Vec<u32> {
        let rows = (0..self.rels[pred as usize].len() as u32).collect();
        self.sort_rows(pred, rows)
    }

    /// Some rows of a predicate in time order, then by value.
    fn sort_rows(&self, pred: PredId, mut rows: Vec<u32>) -> Vec<u32> {
        let rel = &self.rels[pred as usize];
        rows.sort_by(|&a, &b| {
            cmp_rows(
                self.interner,
                (std::iter::once(rel.time(a)), rel.row(a)),
                (std::iter::once(rel.time(b)), rel.row(b)),
            )
        });
        rows
    }

    /// The facts of a predicate here that `other` does not hold, in time order, then by
    /// value. `other` is a fork of this store taken after its evaluation, or this a fork of
    /// `other`'s (as `whatif` makes): each value has one id in both, so rows compare by their
    /// ids, and only the rows that differ become facts.
    pub(crate) fn facts_not_in(&self, other: &Evaluated<'_>, pred: PredId) -> Vec<Fact> {
        type Fx = std::hash::BuildHasherDefault<crate::eval::value::FxHasher>;
        let rel = &self.rels[pred as usize];
        let mut theirs: hashbrown::HashSet<(&[Value], Value), Fx> = Default::default();
        if let Some(o) = other.rels.get(pred as usize) {
            theirs.extend((0..o.len() as u32).map(|r| (o.row(r), o.time(r))));
        }
        let rows = (0..rel.len() as u32)
            .filter(|&r| !theirs.contains(&(rel.row(r), rel.time(r))))
            .collect();
        self.sort_rows(pred, rows)
            .into_iter()
            .map(|r| self.fact((pred, r)))
            .collect()
    }

    /// Whether a ground atom holds, stated or derived: looked up by its values' ids, which a
    /// value never interned has none of (it then holds nowhere).
    pub(crate) fn holds(&self, atom: &Atom) -> bool {
        let id = |e: &crate::syntax::ast::Expr| {
            Const::of_literal(e).and_then(|c| self.interner.id_of(&c))
        };
        let Some(pred) = self.stated.pred_id(&atom.pred.name) else {
            return false;
        };
        let Some(args) = atom.args.iter().map(id).collect::<Option<Vec<Value>>>() else {
            return false;
        };
        let time = match &atom.time {
            None => Value::NONE,
            Some(t) => match id(t) {
                Some(v) => v,
                None => return false,
            },
        };
        self.rels[pred as usize].contains(&args, time)
    }

    /// Every fact of a predicate as written, in time order, then by value.
    pub(crate) fn facts_of(&self, pred: PredId) -> Vec<Fact> {
        self.sorted_rows(pred)
            .into_iter()
            .map(|r| self.fact((pred, r)))
            .collect()
    }

    /// The answers to a query body whose predicates are all registered, sorted.
    pub(crate) fn answers(&mut self, body: &[Literal], at: Span) -> Result<Answers, Diagnostic> {
        let stated = self.stated;
        let pred_id = |name: &str| stated.pred_id(name);
        let mut plan = QueryPlan::new(body, &pred_id, self.interner, at)?;
        let (rows, flat) = plan
            .answers(self.rels, self.interner, &self.options.limits)
            .map_err(|stop| self.stated.stop_diagnostic(stop, at))?;
        Ok(self.sorted_answers(plan.vars.clone(), rows, flat))
    }

    /// Answers sorted by their times, then by their values, with ids turned into constants.
    fn sorted_answers(&self, vars: Vec<String>, rows: usize, flat: Vec<Value>) -> Answers {
        let interner = &*self.interner;
        let width = vars.len();
        let row = |i: usize| &flat[i * width..(i + 1) * width];
        let mut order: Vec<usize> = (0..rows).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (row(a), row(b));
            cmp_rows(interner, (a.iter().copied(), a), (b.iter().copied(), b))
        });
        let rows = order
            .into_iter()
            .map(|i| {
                row(i)
                    .iter()
                    .map(|v| v.is_some().then(|| interner.get(*v).into_owned()))
                    .collect()
            })
            .collect();
        Answers { vars, rows }
    }

    /// The rows that match an atom pattern (variables and `_` match anything; repeated
    /// variables must agree; an `@` pattern matches timed rows), in row order; none for a
    /// predicate never named.
    pub(crate) fn matching_rows(&mut self, atom: &Atom) -> Result<Vec<FactRef>, Diagnostic> {
        let Some(pred) = self.stated.pred_id(&atom.pred.name) else {
            return Ok(Vec::new());
        };
        let rows = search::matching(self.rels, self.interner, pred, atom)?;
        Ok(rows.into_iter().map(|row| (pred, row)).collect())
    }
}
