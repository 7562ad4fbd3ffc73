//! The evaluation engine: interned values, relations with indexes, rule plans, and stratified
//! semi-naive evaluation with provenance (rule and step per derived row).
//!
//! `compile` turns a checked program's rules into plans grouped in strata (`lower` numbers
//! variables, `plan` orders the steps); `seminaive::evaluate` runs them with `exec`; a
//! `QueryPlan` answers a query against the result; `search` finds what explanations show
//! (matching rows, derivations) and `attempts` what stops a rule (its first failing
//! condition). What embedders see of it is [`Const`] (an answer's values), [`Limits`],
//! [`EvalStats`] with [`StratumStats`], [`Memory`], and the ids the statistics name
//! ([`PredicateId`], [`RuleId`]).

pub(crate) mod apart;
pub(crate) mod attempts;
pub(crate) mod exec;
pub(crate) mod expr;
pub(crate) mod index;
pub(crate) mod lower;
pub(crate) mod plan;
pub(crate) mod relation;
pub(crate) mod search;
pub(crate) mod seminaive;
pub(crate) mod stop;
pub(crate) mod table;
pub(crate) mod value;

#[cfg(test)]
mod naive;

use std::collections::{BTreeMap, HashMap, HashSet};

pub(crate) use plan::PredId;
pub use relation::Memory;
pub(crate) use search::FactRef;
pub use seminaive::{EvalStats, Limits, PredicateId, RuleId, StratumStats};
pub use value::Const;

use crate::check::{expand, Dependency, DependencyGraph, Program, ALTERNATIVES_LIMIT};
use crate::syntax::ast::{Literal, Rule};
use crate::syntax::Span;
use exec::Exec;
use lower::{unchecked, Lowered, Lowering};
use plan::{ExprPlan, HeadTime, Layout, Lit, Reg, RulePlan, Source, Step};
use relation::Relation;
use seminaive::Stratum;
use stop::Stop;
use value::{Interner, Value};

/// Rules ready to run: their plans and the strata they run in, lowest first.
#[derive(Clone, Debug, Default)]
pub(crate) struct Compiled {
    pub rules: Vec<RulePlan>,
    pub strata: Vec<Stratum>,
}

fn head_names(rule: &Rule) -> Vec<String> {
    let mut vars = Vec::new();
    for e in rule.head.args.iter().chain(&rule.head.time) {
        crate::check::expr_var_names(e, &mut vars);
    }
    vars
}

/// Compiles a checked program's rules (numbered by position) against its predicate table.
/// `stated`, when given, is the number of stated facts of each predicate: of two atoms with
/// as many bound columns, a rule reads the one over the smaller relation no rule derives
/// first, and one a rule derives (of a size not known yet) after those; without it, as
/// written. A construct the checker refuses is an error (E211), never a panic.
pub(crate) fn compile(
    program: &Program,
    interner: &mut Interner,
    stated: Option<&[usize]>,
) -> Lowered<Compiled> {
    let pred_id = |name: &str| program.index(name).and_then(|i| PredId::try_from(i).ok());
    let pred_id: &dyn Fn(&str) -> Option<PredId> = &pred_id;
    let preds = program.preds.len();
    let mut derived = vec![false; preds];
    for rule in &program.rules {
        if let Some(d) = pred_id(&rule.head.pred.name).and_then(|p| derived.get_mut(p as usize)) {
            *d = true;
        }
    }
    let size = |p: PredId| match (derived.get(p as usize), stated) {
        (Some(false), Some(stated)) => stated.get(p as usize).copied().unwrap_or(0),
        _ => usize::MAX,
    };
    let sizes = stated.map(|_| &size as &dyn Fn(PredId) -> usize);
    let mut plans = Vec::new();
    for (number, rule) in program.rules.iter().enumerate() {
        let alternatives = expand(&rule.body, ALTERNATIVES_LIMIT)
            .ok_or_else(|| unchecked(rule.span, "a body of too many alternatives"))?;
        let head = pred_id(&rule.head.pred.name)
            .ok_or_else(|| unchecked(rule.head.span, "a head the program does not know"))?;
        for conj in alternatives {
            let mut lowering = Lowering {
                interner: &mut *interner,
                pred_id,
                vars: HashMap::new(),
                names: Vec::new(),
            };
            let body = lowering.conjunction(&conj, &head_names(rule))?;
            let head_args: Vec<ExprPlan> = rule
                .head
                .args
                .iter()
                .map(|e| lowering.expr(e))
                .collect::<Lowered<_>>()?;
            let plain_head = head_args.iter().map(ExprPlan::as_term).collect();
            let explicit = match &rule.head.time {
                Some(t) => Some(lowering.expr(t)?),
                None => None,
            };
            let layout = Layout::new(lowering.names.len(), body.len());
            let time_regs = layout.time_regs();
            let head_time = match explicit {
                Some(e) => HeadTime::Explicit(e),
                None => HeadTime::Latest(
                    body.iter()
                        .enumerate()
                        .filter(|(_, l)| matches!(l, Lit::Atom(_)))
                        .map(|(i, _)| time_regs[i])
                        .collect(),
                ),
            };
            let full = plan::plan(
                &body,
                &mut vec![false; layout.len()],
                None,
                &|_, _| Source::All,
                layout,
                sizes,
            )
            .ok_or_else(|| unchecked(rule.span, "a condition no binding reaches"))?;
            let names = lowering.names.clone();
            plans.push(RulePlan {
                names,
                rule: number as u32,
                head,
                head_args,
                plain_head,
                head_time,
                layout,
                body,
                full,
                deltas: Vec::new(),
                span: rule.span,
            });
        }
    }
    let mut graph = DependencyGraph::default();
    for p in &plans {
        for lit in &p.body {
            match lit {
                Lit::Atom(a) => graph.add(p.head as usize, a.pred as usize, Dependency::Positive),
                Lit::Not(a) => graph.add(p.head as usize, a.pred as usize, Dependency::Negative),
                Lit::Agg(agg) => {
                    for inner in &agg.body {
                        if let Lit::Atom(a) | Lit::Not(a) = inner {
                            graph.add(
                                p.head as usize,
                                a.pred as usize,
                                Dependency::Aggregate("aggregate"),
                            );
                        }
                    }
                }
                Lit::Cmp(..) => {}
            }
        }
    }
    let comp = graph.components(preds);
    let mut by_comp: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in plans.iter().enumerate() {
        by_comp.entry(comp[p.head as usize]).or_default().push(i);
    }
    let mut strata = Vec::new();
    for (c, rule_ids) in by_comp {
        let mut preds: Vec<PredId> = rule_ids.iter().map(|&i| plans[i].head).collect();
        preds.sort_unstable();
        preds.dedup();
        let in_stratum = |p: PredId| comp[p as usize] == c;
        let mut recursive = false;
        for &i in &rule_ids {
            let rule = &plans[i];
            let mut deltas = Vec::new();
            for (k, lit) in rule.body.iter().enumerate() {
                let Lit::Atom(a) = lit else { continue };
                if !in_stratum(a.pred) {
                    continue;
                }
                recursive = true;
                let source = |j: usize, atom: &plan::AtomLit| {
                    if !in_stratum(atom.pred) {
                        Source::All
                    } else if j < k {
                        Source::Old
                    } else if j == k {
                        Source::Delta
                    } else {
                        Source::All
                    }
                };
                let steps = plan::plan(
                    &rule.body,
                    &mut vec![false; rule.layout.len()],
                    Some(k),
                    &source,
                    rule.layout,
                    sizes,
                )
                .ok_or_else(|| unchecked(rule.span, "a condition no binding reaches"))?;
                deltas.push((k, steps));
            }
            if !deltas.is_empty() {
                plans[i].full.clear();
            }
            plans[i].deltas = deltas;
        }
        strata.push(Stratum {
            preds,
            rules: rule_ids,
            recursive,
            below: Vec::new(),
        });
    }
    Ok(Compiled {
        rules: plans,
        strata,
    })
}

impl Compiled {
    /// Creates every index the plans read through, on fresh relations, and records the ids:
    /// on a relation no rule derives (it is complete already), the dedup table for a lookup of
    /// every argument of a timeless one, else an index settled now (in runs when large, see
    /// `Relation::ensure_lookup`); a chain on one the plan's own stratum derives; on a lower
    /// stratum's, an index that stratum's rows need not maintain, settled when the reading
    /// stratum starts (its `below`).
    pub(crate) fn resolve(&mut self, rels: &mut [Relation]) {
        let derived: HashSet<PredId> = self.strata.iter().flat_map(|s| s.preds.clone()).collect();
        for stratum in &mut self.strata {
            stratum.below.clear();
            let (preds, below) = (&stratum.preds, &mut stratum.below);
            let mut ensure = |p: PredId, cols: &[relation::Col]| {
                let rel = &mut rels[p as usize];
                if !derived.contains(&p) {
                    // No rule adds to it: complete for the whole evaluation.
                    rel.ensure_lookup(cols)
                } else if preds.contains(&p) {
                    rel.ensure_index(cols)
                } else {
                    let index = rel.ensure_later(cols);
                    if !below.contains(&(p, index)) {
                        below.push((p, index));
                    }
                    index
                }
            };
            for &i in &stratum.rules {
                let r = &mut self.rules[i];
                plan::resolve(&mut r.full, &mut ensure);
                for (_, steps) in &mut r.deltas {
                    plan::resolve(steps, &mut ensure);
                }
            }
        }
    }
}

/// A query, lowered and planned: each alternative of its `or`s with the registers of the
/// query's variables.
#[derive(Clone, Debug)]
pub(crate) struct QueryPlan {
    /// The variables shown in answers, in order of first appearance (`_x` ones are hidden).
    pub vars: Vec<String>,
    alternatives: Vec<(Vec<Step>, Vec<Option<Reg>>, usize)>,
}

impl QueryPlan {
    /// Lowers and plans a query body against the predicates `pred_id` numbers; `at` is where
    /// a construct the checker refuses is reported (E211).
    pub(crate) fn new(
        body: &[Literal],
        pred_id: &dyn Fn(&str) -> Option<PredId>,
        interner: &mut Interner,
        at: Span,
    ) -> Lowered<QueryPlan> {
        // The answer's variables: an aggregate gives its result alone; a variable inside its
        // braces groups it only where it also stands outside them (as in a rule, whose head
        // names what groups). All of them were taken: `N = count { v(K, _) }` counted by K.
        let mut vars = Vec::new();
        for l in body {
            match l {
                Literal::Aggregate(a) => vars.push(a.result.name.clone()),
                other => crate::check::literal_var_names(other, &mut vars),
            }
        }
        let mut seen = HashSet::new();
        vars.retain(|v| !v.starts_with('_') && seen.insert(v.clone()));
        let mut alternatives = Vec::new();
        let conjunctions = expand(body, ALTERNATIVES_LIMIT)
            .ok_or_else(|| unchecked(at, "a question of too many alternatives"))?;
        for conj in conjunctions {
            let mut lowering = Lowering {
                interner: &mut *interner,
                pred_id,
                vars: HashMap::new(),
                names: Vec::new(),
            };
            let lits = lowering.conjunction(&conj, &vars)?;
            let regs_of: Vec<Option<Reg>> =
                vars.iter().map(|v| lowering.vars.get(v).copied()).collect();
            let layout = Layout::new(lowering.names.len(), lits.len());
            let steps = plan::plan(
                &lits,
                &mut vec![false; layout.len()],
                None,
                &|_, _| Source::All,
                layout,
                None,
            )
            .ok_or_else(|| unchecked(at, "a condition no binding reaches"))?;
            alternatives.push((steps, regs_of, layout.len()));
        }
        Ok(QueryPlan { vars, alternatives })
    }

    /// The number of distinct answers, and their values, unsorted and flat: one value per
    /// variable per answer (`Value::NONE` where an alternative leaves a variable unbound).
    pub(crate) fn answers(
        &mut self,
        rels: &mut [Relation],
        interner: &mut Interner,
        limits: &Limits,
    ) -> Result<(usize, Vec<Value>), Stop> {
        let width = self.vars.len();
        let mut flat: Vec<Value> = Vec::new();
        let mut distinct: hashbrown::HashTable<(u32, u32)> = hashbrown::HashTable::new();
        let mut any = false;
        for (steps, regs_of, regs) in &mut self.alternatives {
            plan::resolve(steps, &mut |p, cols| rels[p as usize].ensure_lookup(cols));
            let mut exec = Exec::new(rels, &[], &[], interner, limits.cancel.as_deref());
            let mut registers = vec![Value::NONE; *regs];
            let value = |r: &[Value], x: &Option<Reg>| x.map_or(Value::NONE, |x| r[x as usize]);
            let mut sink = |_: &mut Exec<'_>, r: &[Value]| {
                any = true;
                let hash = relation::hash_values(regs_of.iter().map(|x| value(r, x)));
                let same = |&(i, h): &(u32, u32)| {
                    h == hash
                        && flat[i as usize * width..(i as usize + 1) * width]
                            .iter()
                            .zip(regs_of.iter())
                            .all(|(v, x)| *v == value(r, x))
                };
                if distinct.find(relation::wide(hash), same).is_none() {
                    let i = (flat.len() / width.max(1)) as u32;
                    flat.extend(regs_of.iter().map(|x| value(r, x)));
                    distinct.insert_unique(relation::wide(hash), (i, hash), |&(_, h)| {
                        relation::wide(h)
                    });
                }
                Ok(())
            };
            exec.run(steps, &mut registers, &mut sink)?;
        }
        // A query without variables has one (empty) answer when anything matched.
        let rows = flat.len().checked_div(width).unwrap_or(usize::from(any));
        Ok((rows, flat))
    }
}
