//! Stratified semi-naive evaluation.
//!
//! Each stratum runs every rule once over all rows, then repeats only the delta variants of
//! its recursive rules until no new fact appears. New facts of a pass are gathered apart and
//! appended after it, so a pass reads a fixed snapshot and the next delta is the appended
//! range. Limits on facts and iterations, and a cancellation flag, stop runaway programs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::apart::Apart;
use super::exec::Exec;
use super::expr::{eval_expr, head_time};
use super::plan::{PredId, RulePlan, Step};
use super::relation::{Batch, Prov, Relation};
use super::stop::Stop;
use super::value::{Interner, Value};

/// The facts a rule derives on its own thread before it hands its relation to a second one
/// (see `Apart`): below them a thread costs more than it saves. The crate's own tests hand
/// over from a few facts on, so that the differential test against the naive evaluator runs
/// both ways.
#[cfg(not(test))]
const APART_AFTER: usize = 1 << 14;
#[cfg(test)]
const APART_AFTER: usize = 8;

/// The facts a batch sent to the second thread holds: enough that handing it over costs next
/// to nothing a fact.
#[cfg(not(test))]
const APART_BATCH: usize = 4096;
#[cfg(test)]
const APART_BATCH: usize = 4;

/// Bounds on one evaluation.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The most facts rules may derive in one evaluation.
    pub max_facts: usize,
    /// The most values (arguments and times) the derived facts of one evaluation may hold: a
    /// bound on memory that the fact count alone does not give (a fact of 60 arguments holds
    /// 61 values). About 10 bytes a value, indexes included.
    pub max_cells: usize,
    /// The most iterations one stratum may take to reach its fixpoint.
    pub max_iterations: usize,
    /// The most groups one aggregate may form under one binding of its outer variables.
    pub max_groups: usize,
    /// The deepest a `why` proof may go, in levels below the fact asked about.
    pub max_explain_depth: usize,
    /// When set (by Ctrl-C, say), the evaluation stops at the next check.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Keep, for each derived fact, the rule and step that derived it (needed by `why`;
    /// off only to measure what it costs).
    pub provenance: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_facts: 20_000_000,
            max_cells: 200_000_000,
            max_iterations: 100_000,
            max_groups: 10_000_000,
            max_explain_depth: 100_000,
            cancel: None,
            provenance: true,
        }
    }
}

/// A predicate of a knowledge base, as [`EvalStats`] names it: its name by
/// [`crate::KnowledgeBase::predicate_name`] of the same knowledge base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PredicateId(pub(crate) PredId);

/// A rule of a knowledge base, as [`EvalStats`] names it: how messages name it by
/// [`crate::KnowledgeBase::rule_label`] of the same knowledge base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(pub(crate) u32);

impl std::fmt::Display for RuleId {
    /// The rule's number, in the order the rules were stated.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What one stratum took.
#[derive(Clone, Debug, Default)]
pub struct StratumStats {
    /// Its predicates.
    pub preds: Vec<PredicateId>,
    /// Its wall time.
    pub time: Duration,
    /// The facts its rules derived.
    pub derived: usize,
}

/// What an evaluation did: facts derived, time by stratum and by rule, memory.
#[derive(Clone, Debug, Default)]
pub struct EvalStats {
    /// Facts derived by rules.
    pub derived: usize,
    /// Wall time of each stratum, in order, with its predicates' numbers.
    pub strata: Vec<StratumStats>,
    /// Facts each rule derived.
    pub rule_facts: BTreeMap<RuleId, usize>,
    /// Wall time spent in each rule.
    pub rule_time: BTreeMap<RuleId, Duration>,
    /// Heap bytes of all relations after the evaluation.
    pub memory: super::relation::Memory,
    /// Facts held after the evaluation, base facts included.
    pub facts: usize,
    /// Wall time of the whole evaluation.
    pub time: Duration,
}

/// A stratum: predicates defined together, and the rules that define them.
#[derive(Clone, Debug)]
pub(crate) struct Stratum {
    pub preds: Vec<PredId>,
    pub rules: Vec<usize>,
    pub recursive: bool,
    /// The indexes its rules look up in lower strata's relations, built when it starts (set
    /// by [`super::Compiled::resolve`]).
    pub below: Vec<(PredId, usize)>,
}

/// Runs the strata in order, each to its fixpoint. `rels` holds the base facts on entry and
/// every fact on return (on error it is partial, and the caller discards it). With `until`,
/// the evaluation is as of that time: a derived fact dated later is not derived.
pub(crate) fn evaluate(
    rels: &mut [Relation],
    interner: &mut Interner,
    rules: &[RulePlan],
    strata: &[Stratum],
    limits: &Limits,
    until: Option<crate::value::Time>,
) -> Result<EvalStats, Stop> {
    let started = Instant::now();
    let mut run = Run {
        rules,
        limits,
        until,
        stats: EvalStats::default(),
        delta_start: vec![0; rels.len()],
        step: 0,
        batch: Batch::default(),
        cells: 0,
    };
    for stratum in strata {
        let started = Instant::now();
        let before = run.stats.derived;
        let lens = |rels: &[Relation]| -> Vec<u32> {
            stratum
                .preds
                .iter()
                .map(|&p| rels[p as usize].len() as u32)
                .collect()
        };
        // What the stratum reads of lower strata is complete: its indexes are built now (in
        // runs, when large).
        for &(p, index) in &stratum.below {
            rels[p as usize].settle(index);
        }
        let mut marks = lens(rels);
        run.pass(rels, interner, stratum, false)?;
        let mut iterations = 0;
        loop {
            if !stratum.recursive {
                break;
            }
            let now = lens(rels);
            if now == marks {
                break;
            }
            for (&p, &start) in stratum.preds.iter().zip(&marks) {
                run.delta_start[p as usize] = start;
            }
            marks = now;
            run.check_cancel()?;
            let per_rule = run.pass(rels, interner, stratum, true)?;
            iterations += 1;
            if iterations >= limits.max_iterations && lens(rels) != marks {
                let (rule, _) = per_rule
                    .into_iter()
                    .max_by_key(|&(r, n)| (n, std::cmp::Reverse(r)))
                    .unwrap_or((0, 0));
                let head = rules.iter().find(|r| r.rule == rule).map_or(0, |r| r.head);
                return Err(Stop::Iterations {
                    rule,
                    limit: limits.max_iterations,
                    last: last_fact(&rels[head as usize], interner),
                });
            }
        }
        let derived = run.stats.derived - before;
        run.stats.strata.push(StratumStats {
            preds: stratum.preds.iter().copied().map(PredicateId).collect(),
            time: started.elapsed(),
            derived,
        });
    }
    run.stats.memory = super::relation::Memory::of(rels);
    run.stats.facts = rels.iter().map(Relation::len).sum();
    run.stats.time = started.elapsed();
    Ok(run.stats)
}

/// The state of one evaluation across its passes.
struct Run<'r> {
    rules: &'r [RulePlan],
    limits: &'r Limits,
    /// As of this time: later derived facts are dropped.
    until: Option<crate::value::Time>,
    stats: EvalStats,
    delta_start: Vec<u32>,
    step: u32,
    /// The batch derived facts wait in, its buffers kept from pass to pass.
    batch: Batch,
    /// The values (arguments and times) the facts derived so far hold.
    cells: usize,
}

impl Run<'_> {
    fn check_cancel(&self) -> Result<(), Stop> {
        match &self.limits.cancel {
            Some(flag) if flag.load(AtomicOrdering::Relaxed) => Err(Stop::Cancelled),
            _ => Ok(()),
        }
    }

    /// One pass over a stratum's rules: all rows (`deltas == false`) or only the variants whose
    /// delta atom has new rows. Appends what it derives; returns the count per rule.
    fn pass(
        &mut self,
        rels: &mut [Relation],
        interner: &mut Interner,
        stratum: &Stratum,
        deltas: bool,
    ) -> Result<Vec<(u32, usize)>, Stop> {
        self.step += 1;
        let ends: Vec<u32> = rels.iter().map(|r| r.len() as u32).collect();
        let mut per_rule = Vec::with_capacity(stratum.rules.len());
        let mut found = 0usize;
        // Derived facts reach their relation a batch at a time (see `Batch`); scans read only
        // the rows from before the pass, so when they arrive changes nothing but speed.
        let mut batch = std::mem::take(&mut self.batch);
        let cancel = self.limits.cancel.as_deref();
        let mut exec = Exec::new(rels, &self.delta_start, &ends, interner, cancel)
            .with_max_groups(self.limits.max_groups)
            .with_key_order();
        for &ri in &stratum.rules {
            let rule = &self.rules[ri];
            let started = Instant::now();
            let head = rule.head as usize;
            let before = exec.rels[head].len();
            // The first pass of a recursive rule is its first delta variant: every row of the
            // stratum is still delta (`delta_start` is 0), no atom before it reads the stratum.
            let first_pass = if deltas { usize::MAX } else { 1 };
            let variants: Vec<&[Step]> = if rule.deltas.is_empty() {
                // A rule reading only lower strata matches everything it can in the first pass.
                match deltas {
                    true => Vec::new(),
                    false => vec![rule.full.as_slice()],
                }
            } else {
                rule.deltas
                    .iter()
                    .take(first_pass)
                    .filter(|(lit, _)| match &rule.body[*lit] {
                        super::plan::Lit::Atom(a) => {
                            let p = a.pred as usize;
                            self.delta_start[p] < ends[p]
                        }
                        _ => false,
                    })
                    .map(|(_, steps)| steps.as_slice())
                    .collect()
            };
            let mut regs = vec![Value::NONE; rule.layout.len()];
            let mut args: Vec<Value> = Vec::with_capacity(rule.head_args.len());
            let limit = self.limits.max_facts;
            let max_cells = self.limits.max_cells;
            let width = rule.head_args.len() + 1;
            // The values this rule's facts hold are counted from the facts found before it.
            let (cells, start) = (self.cells, found);
            let until = self.until;
            let derived = self.stats.derived;
            let prov = self.limits.provenance.then_some(Prov {
                rule: rule.rule,
                step: self.step,
            });
            let check_limit = |found: usize| {
                if derived + found > limit {
                    return Err(Stop::Facts {
                        rule: rule.rule,
                        limit,
                    });
                }
                if cells.saturating_add((found - start).saturating_mul(width)) > max_cells {
                    return Err(Stop::Cells {
                        rule: rule.rule,
                        limit: max_cells,
                    });
                }
                Ok(())
            };
            // Past a few thousand facts, a rule of a stratum that reads nothing it derives
            // adds them on a second thread while it derives more, if it joins: one that reads
            // one relation derives its facts about as fast as they are added, and only pays
            // for the thread.
            let joins = !stratum.recursive
                && super::apart::second_core()
                && variants.iter().any(|steps| {
                    let reads = |s: &&Step| matches!(s, Step::Scan(_) | Step::Agg(_));
                    steps.iter().filter(reads).count() >= 2
                });
            let run = std::thread::scope(|scope| {
                // The head's relation while a second thread adds the facts, and how many
                // facts were queued before.
                let mut apart: Option<Apart<'_, Relation, Batch, usize>> = None;
                let mut queued = 0usize;
                let mut sink = |exec: &mut Exec<'_>, regs: &[Value]| -> Result<(), Stop> {
                    if rule.plain_head.is_none() {
                        args.clear();
                        for e in &rule.head_args {
                            match eval_expr(exec.interner, e, regs, rule.span)? {
                                Some(v) => args.push(v),
                                None => return Ok(()),
                            }
                        }
                    }
                    let Some(time) = head_time(exec.interner, &rule.head_time, regs, rule.span)?
                    else {
                        return Ok(());
                    };
                    if until.is_some_and(|u| !exec.interner.time_come_by(time, u)) {
                        return Ok(());
                    }
                    let full = match &rule.plain_head {
                        Some(plain) => batch.push_values(plain.iter().map(|t| t.value(regs)), time),
                        None => batch.push(&args, time),
                    };
                    match &mut apart {
                        Some(over) if batch.len() >= APART_BATCH => {
                            over.send(&mut batch, |new| found += new);
                            check_limit(found)?;
                        }
                        Some(_) => {}
                        None if full => {
                            queued += batch.len();
                            found += exec.rels[head].add_batch(&mut batch, prov);
                            check_limit(found)?;
                            if joins && queued >= APART_AFTER {
                                let rel = std::mem::replace(&mut exec.rels[head], Relation::new(0));
                                let add = move |rel: &mut Relation, batch: &mut Batch| {
                                    rel.add_batch(batch, prov)
                                };
                                match Apart::start(scope, "derived facts", rel, add) {
                                    Ok(over) => apart = Some(over),
                                    Err(rel) => exec.rels[head] = rel,
                                }
                            }
                        }
                        None => {}
                    }
                    Ok(())
                };
                let run = variants
                    .into_iter()
                    .try_for_each(|steps| exec.run(steps, &mut regs, &mut sink));
                match apart.take() {
                    Some(over) => {
                        let last = std::mem::take(&mut batch);
                        if let Some(rel) = over.finish(last, |new| found += new) {
                            exec.rels[head] = rel;
                        }
                    }
                    None => found += exec.rels[head].add_batch(&mut batch, prov),
                }
                run
            });
            run?;
            check_limit(found)?;
            self.cells = cells.saturating_add((found - start).saturating_mul(width));
            let produced = exec.rels[head].len() - before;
            per_rule.push((rule.rule, produced));
            *self.stats.rule_facts.entry(RuleId(rule.rule)).or_default() += produced;
            *self.stats.rule_time.entry(RuleId(rule.rule)).or_default() += started.elapsed();
        }
        self.batch = batch;
        self.stats.derived += found;
        Ok(per_rule)
    }
}

/// The newest row of a relation, shown as its argument values (for limit messages).
fn last_fact(rel: &Relation, interner: &Interner) -> String {
    if rel.len() == 0 {
        return String::new();
    }
    let r = rel.len() as u32 - 1;
    rel.row(r)
        .iter()
        .map(|v| interner.get(*v).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
