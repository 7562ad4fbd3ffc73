//! Searches over evaluated relations, for the layers above: the rows an atom pattern matches,
//! and the derivation of a derived row (the match of its rule that rests on the fewest
//! assumed facts, then whose premises appeared earliest); what stops each rule for a fact that
//! does not hold is `attempts`'. Answers are data ([`Condition`]s over interned values);
//! nothing outside `eval` plans or runs a search.

use std::collections::HashMap;

use super::exec::Exec;
use super::expr::{eval_expr, head_time};
use super::lower::{Lowered, Lowering};
use super::plan::{self, AggLit, AtomLit, ExprPlan, HeadTime, Layout, Lit, PredId};
use super::plan::{Reg, RulePlan, Term as PlanTerm};
use super::relation::Relation;
use super::stop::Stop;
use super::value::{Interner, Value};
use crate::syntax::ast::{AggFunc, Atom, CmpOp};

/// A fact: its predicate and its row.
pub(crate) type FactRef = (PredId, u32);

/// How many matches of a rule body a derivation search compares before settling.
const CANDIDATES: usize = 64;

/// The rows of `pred` (the predicate `atom` names) that match the atom as a pattern:
/// variables and `_` match anything, a repeated variable must agree with itself, an `@`
/// pattern matches timed rows only. Found through the same lookups as a query; in row order.
pub(crate) fn matching(
    rels: &mut [Relation],
    interner: &mut Interner,
    pred: PredId,
    atom: &Atom,
) -> Lowered<Vec<u32>> {
    let pred_id = |_: &str| Some(pred);
    let mut lowering = Lowering {
        interner: &mut *interner,
        pred_id: &pred_id,
        vars: HashMap::new(),
        names: Vec::new(),
    };
    let body = [Lit::Atom(lowering.atom(atom)?)];
    let layout = Layout::new(lowering.names.len(), 1);
    let row = layout.row_regs()[0];
    let mut steps = plan::plan_search(
        &body,
        &mut vec![false; layout.len_with_rows()],
        layout,
        &|_| 0,
    );
    plan::resolve(&mut steps, &mut |p, cols| {
        rels[p as usize].ensure_lookup(cols)
    });
    let mut found = Vec::new();
    let mut exec = Exec::new(rels, &[], &[], interner, None);
    let mut sink = |_: &mut Exec<'_>, regs: &[Value]| {
        found.push(regs[row as usize].0);
        Ok(())
    };
    let mut regs = vec![Value::NONE; layout.len_with_rows()];
    // A lookup without arithmetic and without a cancellation flag cannot stop.
    let _ = exec.run(&steps, &mut regs, &mut sink);
    found.sort_unstable();
    Ok(found)
}

/// One position of a [`Pattern`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Term {
    /// A value.
    Value(Value),
    /// A variable no match binds here, by name.
    Var(String),
    /// Anything (`_`, or a variable without a name).
    Any,
    /// Every time within this one (a year or a month after `@`).
    Within(crate::value::Time),
}

/// An atom of a rule with the values a match gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub(crate) pred: PredId,
    pub(crate) args: Vec<Term>,
    /// The time after `@`, if the atom has one.
    pub(crate) time: Option<Term>,
}

impl Pattern {
    /// The pattern's values, `None` where anything matches.
    pub(crate) fn values(&self) -> (Vec<Option<Value>>, Option<Value>) {
        let value = |t: &Term| match t {
            Term::Value(v) => Some(*v),
            _ => None,
        };
        (
            self.args.iter().map(value).collect(),
            self.time.as_ref().and_then(value),
        )
    }
}

/// A condition of the rules inside an aggregate's braces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Inner {
    /// An atom.
    Atom(Pattern),
    /// A negated atom.
    Not(Pattern),
    /// A comparison.
    Other,
}

/// A condition of a rule, with the values of a match (or of the bindings so far).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Condition {
    /// An atom; with the row it matched, when it did.
    Atom { pattern: Pattern, row: Option<u32> },
    /// A negated atom.
    Not(Pattern),
    /// A comparison; a side with no value (unbound, or no result) is `None`.
    Compare {
        op: CmpOp,
        left: Option<Value>,
        right: Option<Value>,
    },
    /// An aggregate: its function, target, the conditions in its braces (with the group's
    /// values), its result (the value asked for, when one was), the facts it ranged over (in
    /// a derivation), and, for one that fails, the value it computes instead (`None` when it
    /// has none: a sum of no values).
    Aggregate {
        func: AggFunc,
        target: Option<String>,
        inner: Vec<Inner>,
        result: Option<Value>,
        facts: Vec<FactRef>,
        computed: Option<Value>,
    },
}

/// How a derived row was derived: its rule, and each condition as it was met, in the order
/// the rule states them.
pub(crate) struct Derivation {
    pub(crate) rule: u32,
    pub(crate) conditions: Vec<Condition>,
}

/// The derivation searches planned so far, by rule alternative: a proof plans each once.
#[derive(Default)]
pub(crate) struct Searches(HashMap<usize, Search>);

/// The derivation of a derived row that rests directly on the fewest assumed facts (`assumed`
/// says which base facts the modeller assumed), then whose premises appeared earliest (the
/// shortest), found over `rels` (every fact, with provenance) by the compiled `rules`; `None`
/// for a base fact, or if no match is found (which provenance rules out).
pub(crate) fn derivation(
    rels: &mut [Relation],
    interner: &mut Interner,
    rules: &[RulePlan],
    searches: &mut Searches,
    fact: FactRef,
    assumed: &dyn Fn(FactRef) -> bool,
) -> Result<Option<Derivation>, Stop> {
    Derivations {
        rels,
        interner,
        rules,
        searches,
        assumed,
    }
    .of(fact)
}

/// How a match ranks among the derivations of a fact: how many assumed base facts it rests on
/// directly, then the step at which its latest premise appeared (lower is better).
type Rank = (usize, u32);

/// One derivation search.
struct Derivations<'a> {
    rels: &'a mut [Relation],
    interner: &'a mut Interner,
    rules: &'a [RulePlan],
    searches: &'a mut Searches,
    assumed: &'a dyn Fn(FactRef) -> bool,
}

/// The planned search for the derivations of one rule alternative, with the head's
/// variables bound.
pub(crate) struct Search {
    steps: Vec<plan::Step>,
    /// Each positive atom's predicate and the register of its matched row.
    atoms: Vec<(PredId, Reg)>,
}

impl Derivations<'_> {
    fn of(&mut self, (pred, row): FactRef) -> Result<Option<Derivation>, Stop> {
        let rel = &self.rels[pred as usize];
        let Some(rule) = rel.rule(row) else {
            return Ok(None);
        };
        let step = rel.step(row);
        let args: Vec<Value> = rel.row(row).to_vec();
        let time = rel.time(row);
        let rules = self.rules;
        let mut best: Option<(Rank, usize, Vec<Value>)> = None;
        for (index, alternative) in rules.iter().enumerate() {
            if alternative.rule != rule || alternative.head != pred {
                continue;
            }
            let search = match self.searches.0.remove(&index) {
                Some(search) => search,
                None => Search::new(alternative, self.rels),
            };
            let found = self.candidates(&search, alternative, &args, time, step);
            self.searches.0.insert(index, search);
            if let Some((latest, regs)) = found? {
                if best.as_ref().is_none_or(|(b, _, _)| latest < *b) {
                    best = Some((latest, index, regs));
                }
            }
        }
        let Some((_, index, regs)) = best else {
            return Ok(None);
        };
        let alternative = &rules[index];
        let mut conditions = Vec::with_capacity(alternative.body.len());
        let row_regs = alternative.layout.row_regs();
        for (k, lit) in alternative.body.iter().enumerate() {
            conditions.push(match lit {
                Lit::Atom(a) => Condition::Atom {
                    pattern: pattern(a, &regs, &alternative.names),
                    row: Some(regs[row_regs[k] as usize].0),
                },
                Lit::Agg(agg) => {
                    let facts = self.aggregated(agg, &regs, step)?;
                    aggregate(agg, &regs, &alternative.names, facts)
                }
                other => condition(self.interner, other, &regs, &alternative.names),
            });
        }
        Ok(Some(Derivation {
            rule: alternative.rule,
            conditions,
        }))
    }

    /// The match of an alternative, among the first [`CANDIDATES`] that derive exactly the
    /// row from rows of earlier steps, that rests on the fewest assumed base facts, then whose
    /// premises appeared earliest: that count and step, and the registers.
    fn candidates(
        &mut self,
        search: &Search,
        alternative: &RulePlan,
        args: &[Value],
        time: Value,
        step: u32,
    ) -> Result<Option<(Rank, Vec<Value>)>, Stop> {
        let mut regs = vec![Value::NONE; alternative.layout.len_with_rows()];
        for (e, v) in alternative.head_args.iter().zip(args) {
            if let ExprPlan::Var(r) = e {
                regs[*r as usize] = *v;
            }
        }
        if let HeadTime::Explicit(ExprPlan::Var(r)) = &alternative.head_time {
            regs[*r as usize] = time;
        }
        let mut candidates: Vec<(Rank, Vec<Value>)> = Vec::new();
        let assumed = self.assumed;
        let mut exec = Exec::new(self.rels, &[], &[], self.interner, None).before_step(step);
        let atoms = &search.atoms;
        let mut sink = |exec: &mut Exec<'_>, found: &[Value]| -> Result<(), Stop> {
            // The head computed from this match must be the fact explained.
            for (e, want) in alternative.head_args.iter().zip(args) {
                if eval_expr(exec.interner, e, found, alternative.span)? != Some(*want) {
                    return Ok(());
                }
            }
            let at = head_time(
                exec.interner,
                &alternative.head_time,
                found,
                alternative.span,
            )?;
            if at != Some(time) {
                return Ok(());
            }
            let latest = atoms
                .iter()
                .map(|(p, r)| exec.rels[*p as usize].step(found[*r as usize].0))
                .max()
                .unwrap_or(0);
            let assumptions = atoms
                .iter()
                .filter(|(p, r)| assumed((*p, found[*r as usize].0)))
                .count();
            candidates.push(((assumptions, latest), found.to_vec()));
            if candidates.len() >= CANDIDATES {
                return Err(Stop::Enough);
            }
            Ok(())
        };
        match exec.run(&search.steps, &mut regs, &mut sink) {
            Ok(()) | Err(Stop::Enough) => {}
            Err(other) => return Err(other),
        }
        Ok(candidates.into_iter().min_by_key(|(latest, _)| *latest))
    }

    /// The facts an aggregate ranged over under a derivation's bindings, each once.
    fn aggregated(
        &mut self,
        agg: &AggLit,
        regs: &[Value],
        step: u32,
    ) -> Result<Vec<FactRef>, Stop> {
        let layout = Layout::new(regs.len(), agg.body.len());
        let mut registers = regs.to_vec();
        registers.resize(layout.len_with_rows(), Value::NONE);
        let mut bound: Vec<bool> = registers.iter().map(|v| v.is_some()).collect();
        for r in &agg.inner {
            if !agg.group.contains(r) {
                bound[*r as usize] = false;
                registers[*r as usize] = Value::NONE;
            }
        }
        let (steps, atoms) = search_plan(&agg.body, &mut bound, layout, self.rels);
        let mut facts: Vec<FactRef> = Vec::new();
        // Each fact once, in the order met: a set beside the list (a search of the list for
        // each match made `why` of a count over 300 000 facts take 20 s).
        let mut seen: std::collections::HashSet<FactRef> = std::collections::HashSet::new();
        let mut exec = Exec::new(self.rels, &[], &[], self.interner, None).before_step(step);
        let mut sink = |_: &mut Exec<'_>, found: &[Value]| -> Result<(), Stop> {
            for (p, r) in &atoms {
                let fact = (*p, found[*r as usize].0);
                if seen.insert(fact) {
                    facts.push(fact);
                }
            }
            Ok(())
        };
        exec.run(&steps, &mut registers, &mut sink)?;
        Ok(facts)
    }
}

impl Search {
    fn new(alternative: &RulePlan, rels: &mut [Relation]) -> Search {
        let layout = alternative.layout;
        let mut bound = vec![false; layout.len_with_rows()];
        for e in &alternative.head_args {
            if let ExprPlan::Var(r) = e {
                bound[*r as usize] = true;
            }
        }
        if let HeadTime::Explicit(ExprPlan::Var(r)) = &alternative.head_time {
            bound[*r as usize] = true;
        }
        let (steps, atoms) = search_plan(&alternative.body, &mut bound, layout, rels);
        Search { steps, atoms }
    }
}

/// A body planned to search complete relations (smaller relations first on ties), each atom
/// recording its row; returns the steps and each positive atom's predicate and row register.
fn search_plan(
    body: &[Lit],
    bound: &mut Vec<bool>,
    layout: Layout,
    rels: &mut [Relation],
) -> (Vec<plan::Step>, Vec<(PredId, Reg)>) {
    let sizes = |p: PredId| rels[p as usize].len();
    let mut steps = plan::plan_search(body, bound, layout, &sizes);
    plan::resolve(&mut steps, &mut |p, cols| {
        rels[p as usize].ensure_lookup(cols)
    });
    let row_regs = layout.row_regs();
    let atoms = body
        .iter()
        .enumerate()
        .filter_map(|(k, l)| match l {
            Lit::Atom(a) => Some((a.pred, row_regs[k])),
            _ => None,
        })
        .collect();
    (steps, atoms)
}

/// An atom with the values of its bound variables; an unbound one keeps its name.
fn pattern(a: &AtomLit, regs: &[Value], names: &[String]) -> Pattern {
    let term = |t: &PlanTerm| match t {
        PlanTerm::Const(v) => Term::Value(*v),
        PlanTerm::Var(r) => match regs.get(*r as usize) {
            Some(v) if v.is_some() => Term::Value(*v),
            _ => names
                .get(*r as usize)
                .map_or(Term::Any, |n| Term::Var(n.clone())),
        },
        PlanTerm::Wild => Term::Any,
    };
    Pattern {
        pred: a.pred,
        args: a.args.iter().map(term).collect(),
        time: match a.within {
            Some(t) => Some(Term::Within(t)),
            None => a.time.as_ref().map(term),
        },
    }
}

/// The value of an expression when all its variables are bound and it has one.
fn value_of(interner: &mut Interner, e: &ExprPlan, regs: &[Value]) -> Option<Value> {
    let mut vars = Vec::new();
    vars_of(e, &mut vars);
    let bound = vars
        .iter()
        .all(|r| regs.get(*r as usize).is_some_and(|v| v.is_some()));
    if !bound {
        return None;
    }
    eval_expr(interner, e, regs, crate::syntax::Span::default())
        .ok()
        .flatten()
}

fn vars_of(e: &ExprPlan, out: &mut Vec<Reg>) {
    match e {
        ExprPlan::Var(r) => out.push(*r),
        ExprPlan::Const(_) => {}
        ExprPlan::Binary(_, a, b) => {
            vars_of(a, out);
            vars_of(b, out);
        }
        ExprPlan::Neg(a) => vars_of(a, out),
        ExprPlan::Call(_, args) => args.iter().for_each(|a| vars_of(a, out)),
    }
}

/// A literal as a condition under `regs`; an aggregate without the facts it ranged over.
pub(super) fn condition(
    interner: &mut Interner,
    lit: &Lit,
    regs: &[Value],
    names: &[String],
) -> Condition {
    match lit {
        Lit::Atom(a) => Condition::Atom {
            pattern: pattern(a, regs, names),
            row: None,
        },
        Lit::Not(a) => Condition::Not(pattern(a, regs, names)),
        Lit::Cmp(op, l, r, _, _) => Condition::Compare {
            op: *op,
            left: value_of(interner, l, regs),
            right: value_of(interner, r, regs),
        },
        Lit::Agg(agg) => aggregate(agg, regs, names, Vec::new()),
    }
}

/// An aggregate as a condition: inside the braces only the group-by variables have a value.
fn aggregate(agg: &AggLit, regs: &[Value], names: &[String], facts: Vec<FactRef>) -> Condition {
    let mut inner_regs = regs.to_vec();
    for r in &agg.inner {
        if !agg.group.contains(r) {
            if let Some(v) = inner_regs.get_mut(*r as usize) {
                *v = Value::NONE;
            }
        }
    }
    let inner = agg
        .body
        .iter()
        .map(|l| match l {
            Lit::Atom(a) => Inner::Atom(pattern(a, &inner_regs, names)),
            Lit::Not(a) => Inner::Not(pattern(a, &inner_regs, names)),
            _ => Inner::Other,
        })
        .collect();
    Condition::Aggregate {
        func: agg.func,
        target: agg.target.and_then(|t| names.get(t as usize).cloned()),
        inner,
        result: regs
            .get(agg.result as usize)
            .copied()
            .filter(|v| v.is_some()),
        facts,
        computed: None,
    }
}
