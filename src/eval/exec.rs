//! Running plans: nested-loop joins over index chains, and stratified semi-naive evaluation.
//!
//! Each stratum runs every rule once over all rows, then repeats only the delta variants of
//! its recursive rules until no new fact appears. New facts of a pass are gathered apart and
//! appended after it, so a pass reads a fixed snapshot and the next delta is the appended
//! range. Limits on facts and iterations, and a cancellation flag, stop runaway programs.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hashbrown::HashTable;

use super::plan::{AggStep, ExprPlan, HeadTime, PredId, Reg, RulePlan, Source, Step, Term};
use super::relation::{Prov, Relation, TIME_COL};
use super::value::{binary, call, negate, ArithError, Const, Interner, Value};
use crate::syntax::ast::{AggFunc, CmpOp};
use crate::syntax::Span;

/// Bounds on one evaluation.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The most facts rules may derive in one evaluation.
    pub max_facts: usize,
    /// The most iterations one stratum may take to reach its fixpoint.
    pub max_iterations: usize,
    /// When set (by Ctrl-C, say), the evaluation stops at the next check.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_facts: 20_000_000,
            max_iterations: 100_000,
            cancel: None,
        }
    }
}

/// Why an evaluation stopped before its fixpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// More than `max_facts` derived facts; `rule` was deriving when the limit was hit.
    Facts { rule: u32, limit: usize },
    /// A stratum needed more than `max_iterations`; `rule` derived most in the last one.
    Iterations {
        rule: u32,
        limit: usize,
        last: String,
    },
    /// Arithmetic that overflowed or mixed kinds.
    Arith { error: ArithError, span: Span },
    /// The cancellation flag was raised.
    Cancelled,
}

/// What an evaluation did, for `--stats`.
#[derive(Clone, Debug, Default)]
pub struct EvalStats {
    /// Facts derived by rules.
    pub derived: usize,
    /// Wall time of each stratum, in order, with its predicates' numbers.
    pub strata: Vec<(Vec<PredId>, Duration, usize)>,
    /// Facts each rule derived (by rule number).
    pub rule_facts: BTreeMap<u32, usize>,
    /// Wall time spent in each rule (by rule number).
    pub rule_time: BTreeMap<u32, Duration>,
}

/// A stratum: predicates defined together, and the rules that define them.
#[derive(Clone, Debug)]
pub(crate) struct Stratum {
    pub preds: Vec<PredId>,
    pub rules: Vec<usize>,
    pub recursive: bool,
}

/// Facts found in one pass, waiting to be appended.
struct Pending {
    arity: usize,
    data: Vec<Value>,
    times: Vec<Value>,
    rules: Vec<u32>,
    hashes: Vec<u64>,
    table: HashTable<u32>,
}

impl Pending {
    fn new(arity: usize) -> Pending {
        Pending {
            arity,
            data: Vec::new(),
            times: Vec::new(),
            rules: Vec::new(),
            hashes: Vec::new(),
            table: HashTable::new(),
        }
    }

    fn len(&self) -> usize {
        self.rules.len()
    }

    fn row(&self, i: u32) -> &[Value] {
        let s = i as usize * self.arity;
        &self.data[s..s + self.arity]
    }

    /// Adds the fact unless already pending; returns whether it was new.
    fn add(&mut self, args: &[Value], time: Value, rule: u32, hash: u64) -> bool {
        let (data, times, arity) = (&self.data, &self.times, self.arity);
        let same = |&i: &u32| {
            let s = i as usize * arity;
            &data[s..s + arity] == args && times[i as usize] == time
        };
        if self.table.find(hash, same).is_some() {
            return false;
        }
        let i = self.rules.len() as u32;
        self.data.extend_from_slice(args);
        self.times.push(time);
        self.rules.push(rule);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, i, |&j| hashes[j as usize]);
        true
    }
}

/// Reads relations and evaluates plans; interns what arithmetic computes.
pub(crate) struct Exec<'a> {
    pub rels: &'a [Relation],
    pub delta_start: &'a [u32],
    pub interner: &'a mut Interner,
    pub cancel: Option<&'a AtomicBool>,
    memo: HashMap<(usize, Vec<Value>), Groups>,
    ticks: u32,
}

/// An aggregate's groups: the values of its free group-by variables and its result.
type Groups = Vec<(Vec<Value>, Value)>;

type Sink<'s> = dyn FnMut(&mut Interner, &[Value]) -> Result<(), Stop> + 's;

impl<'a> Exec<'a> {
    pub(crate) fn new(
        rels: &'a [Relation],
        delta_start: &'a [u32],
        interner: &'a mut Interner,
        cancel: Option<&'a AtomicBool>,
    ) -> Exec<'a> {
        Exec {
            rels,
            delta_start,
            interner,
            cancel,
            memo: HashMap::new(),
            ticks: 0,
        }
    }

    /// Every way `steps` can match, from step `i` on, each handed to `sink`.
    pub(crate) fn run(
        &mut self,
        steps: &[Step],
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        self.step(steps, 0, regs, sink)
    }

    fn tick(&mut self) -> Result<(), Stop> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks & 0xFFFF == 0 {
            if let Some(flag) = self.cancel {
                if flag.load(AtomicOrdering::Relaxed) {
                    return Err(Stop::Cancelled);
                }
            }
        }
        Ok(())
    }

    fn term(t: &Term, regs: &[Value]) -> Value {
        match t {
            Term::Var(r) => regs[*r as usize],
            Term::Const(v) => *v,
            Term::Wild => Value::NONE,
        }
    }

    /// A key's value for column `col`: in the time column an integer stands for that year
    /// (`@ Y` with `Y = 1992` matches facts at 1992).
    fn key_value(&mut self, t: &Term, col: u16, regs: &[Value]) -> Value {
        let v = Self::term(t, regs);
        if col == TIME_COL {
            if let Const::Int(y) = self.interner.get(v) {
                if let Some(year) = u16::try_from(*y).ok().filter(|y| *y <= 9999) {
                    return self
                        .interner
                        .intern(Const::Time(crate::value::Time::year(year)));
                }
            }
        }
        v
    }

    fn step(
        &mut self,
        steps: &[Step],
        i: usize,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let Some(step) = steps.get(i) else {
            return sink(self.interner, regs);
        };
        let rels = self.rels;
        match step {
            Step::Scan(s) => {
                let rel = &rels[s.pred as usize];
                let len = rel.len() as u32;
                let start = self.delta_start.get(s.pred as usize).copied().unwrap_or(0);
                let (lo, hi) = match s.source {
                    Source::All => (0, len),
                    Source::Old => (0, start.min(len)),
                    Source::Delta => (start.min(len), len),
                };
                if s.cols.is_empty() {
                    for r in lo..hi {
                        self.try_row(steps, i, rel, r, regs, sink)?;
                    }
                    return Ok(());
                }
                let mut key = [Value::NONE; 8];
                let key_vec;
                let key: &[Value] = if s.key.len() <= key.len() {
                    for ((k, t), &c) in key.iter_mut().zip(&s.key).zip(&s.cols) {
                        *k = self.key_value(t, c, regs);
                    }
                    &key[..s.key.len()]
                } else {
                    key_vec = s
                        .key
                        .iter()
                        .zip(&s.cols)
                        .map(|(t, &c)| self.key_value(t, c, regs))
                        .collect::<Vec<_>>();
                    &key_vec
                };
                let mut at = rel.lookup(s.index, key);
                while let Some(r) = at {
                    if r < lo {
                        break;
                    }
                    if r < hi {
                        self.try_row(steps, i, rel, r, regs, sink)?;
                    }
                    at = rel.next_in_chain(s.index, r);
                }
                Ok(())
            }
            Step::Filter(op, l, r, span) => {
                let (Some(a), Some(b)) = (self.eval(l, regs, *span)?, self.eval(r, regs, *span)?)
                else {
                    return Ok(());
                };
                if compare(self.interner, *op, a, b) {
                    self.step(steps, i + 1, regs, sink)?;
                }
                Ok(())
            }
            Step::Bind(reg, e, span) => {
                if let Some(v) = self.eval(e, regs, *span)? {
                    regs[*reg as usize] = v;
                    self.step(steps, i + 1, regs, sink)?;
                }
                Ok(())
            }
            Step::Not(p) => {
                let rel = &rels[p.pred as usize];
                let key: Vec<Value> = p
                    .key
                    .iter()
                    .zip(&p.cols)
                    .map(|(t, &c)| self.key_value(t, c, regs))
                    .collect();
                let mut at = rel.lookup(p.index, &key);
                let mut found = false;
                while let Some(r) = at {
                    if !p.timed || rel.time(r).is_some() {
                        found = true;
                        break;
                    }
                    at = rel.next_in_chain(p.index, r);
                }
                if !found {
                    self.step(steps, i + 1, regs, sink)?;
                }
                Ok(())
            }
            Step::Agg(agg) => {
                let groups = self.aggregate(agg, regs)?;
                for (group, result) in groups {
                    for (r, v) in agg.free_group.iter().zip(&group) {
                        regs[*r as usize] = *v;
                    }
                    if agg.result_bound {
                        let current = regs[agg.result as usize];
                        if !compare(self.interner, CmpOp::Eq, current, result) {
                            continue;
                        }
                    } else {
                        regs[agg.result as usize] = result;
                    }
                    self.step(steps, i + 1, regs, sink)?;
                }
                Ok(())
            }
        }
    }

    #[inline]
    fn try_row(
        &mut self,
        steps: &[Step],
        i: usize,
        rel: &Relation,
        r: u32,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let Step::Scan(s) = &steps[i] else {
            unreachable!("try_row is called for scans")
        };
        self.tick()?;
        let time = rel.time(r);
        if s.timed && !time.is_some() {
            return Ok(());
        }
        let row = rel.row(r);
        let col = |c: u16| if c == TIME_COL { time } else { row[c as usize] };
        for &(c, reg) in &s.binds {
            regs[reg as usize] = col(c);
        }
        if s.checks
            .iter()
            .any(|&(c, reg)| col(c) != regs[reg as usize])
        {
            return Ok(());
        }
        regs[s.time_reg as usize] = time;
        self.step(steps, i + 1, regs, sink)
    }

    fn eval(&mut self, e: &ExprPlan, regs: &[Value], span: Span) -> Result<Option<Value>, Stop> {
        eval_expr(self.interner, e, regs, span)
    }

    /// The groups of an aggregate under the current bindings: each group's values of the
    /// free group-by variables and its result.
    fn aggregate(
        &mut self,
        agg: &AggStep,
        regs: &mut [Value],
    ) -> Result<Vec<(Vec<Value>, Value)>, Stop> {
        let key: Vec<Value> = agg.bound_group.iter().map(|r| regs[*r as usize]).collect();
        let memo_key = (agg as *const AggStep as usize, key);
        if let Some(found) = self.memo.get(&memo_key) {
            return Ok(found.clone());
        }
        let mut seen: HashSet<Vec<Value>> = HashSet::new();
        let inner = &agg.inner;
        let mut collect = |_: &mut Interner, regs: &[Value]| {
            seen.insert(inner.iter().map(|r| regs[*r as usize]).collect());
            Ok(())
        };
        let mut scratch = regs.to_vec();
        self.step(&agg.steps, 0, &mut scratch, &mut collect)?;
        let position = |r: &Reg| {
            agg.inner
                .iter()
                .position(|x| x == r)
                .expect("group variables are inner")
        };
        let group_at: Vec<usize> = agg.free_group.iter().map(position).collect();
        let target_at = agg.target.as_ref().map(position);
        let mut groups: BTreeMap<Vec<Value>, Vec<Value>> = BTreeMap::new();
        let mut tuples: Vec<Vec<Value>> = seen.into_iter().collect();
        tuples.sort();
        for t in tuples {
            let group = group_at.iter().map(|&i| t[i]).collect();
            let value = target_at.map_or(Value::NONE, |i| t[i]);
            groups.entry(group).or_default().push(value);
        }
        if groups.is_empty() && agg.free_group.is_empty() && agg.func == AggFunc::Count {
            groups.insert(Vec::new(), Vec::new());
        }
        let mut out = Vec::with_capacity(groups.len());
        for (group, values) in groups {
            let result = match agg.func {
                AggFunc::Count => self.interner.intern(Const::Int(values.len() as i64)),
                AggFunc::Sum => {
                    let mut total = Const::Int(0);
                    for v in values {
                        total = match binary(
                            crate::syntax::ast::BinOp::Add,
                            &total,
                            self.interner.get(v),
                        ) {
                            Ok(Some(c)) => c,
                            Ok(None) => continue,
                            Err(error) => {
                                return Err(Stop::Arith {
                                    error,
                                    span: agg.span,
                                })
                            }
                        };
                    }
                    self.interner.intern(total)
                }
                AggFunc::Min | AggFunc::Max => {
                    let interner = &*self.interner;
                    let pick = values.into_iter().reduce(|a, b| {
                        let order = interner.get(a).total_cmp(interner.get(b));
                        let keep_a = if agg.func == AggFunc::Min {
                            order.is_le()
                        } else {
                            order.is_ge()
                        };
                        if keep_a {
                            a
                        } else {
                            b
                        }
                    });
                    match pick {
                        Some(v) => v,
                        None => continue,
                    }
                }
            };
            out.push((group, result));
        }
        self.memo.insert(memo_key, out.clone());
        Ok(out)
    }
}

/// `a op b` as the language compares: kinds that do not compare are unequal and unordered.
pub(crate) fn compare(interner: &Interner, op: CmpOp, a: Value, b: Value) -> bool {
    if a == b {
        return matches!(op, CmpOp::Eq | CmpOp::Le | CmpOp::Ge);
    }
    let order = interner.get(a).compare(interner.get(b));
    match (op, order) {
        (CmpOp::Ne, None) => true,
        (_, None) => false,
        (CmpOp::Lt, Some(o)) => o.is_lt(),
        (CmpOp::Le, Some(o)) => o.is_le(),
        (CmpOp::Gt, Some(o)) => o.is_gt(),
        (CmpOp::Ge, Some(o)) => o.is_ge(),
        (CmpOp::Eq, Some(o)) => o.is_eq(),
        (CmpOp::Ne, Some(o)) => o.is_ne(),
    }
}

/// The value of an expression, `None` when it has none (division by zero, `month` of a
/// year); an error when arithmetic overflows or mixes kinds.
pub(crate) fn eval_expr(
    interner: &mut Interner,
    e: &ExprPlan,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    let c = match e {
        ExprPlan::Var(r) => return Ok(Some(regs[*r as usize])),
        ExprPlan::Const(v) => return Ok(Some(*v)),
        ExprPlan::Binary(op, a, b) => {
            let (Some(a), Some(b)) = (
                eval_expr(interner, a, regs, span)?,
                eval_expr(interner, b, regs, span)?,
            ) else {
                return Ok(None);
            };
            binary(*op, interner.get(a), interner.get(b))
        }
        ExprPlan::Neg(a) => {
            let Some(a) = eval_expr(interner, a, regs, span)? else {
                return Ok(None);
            };
            negate(interner.get(a))
        }
        ExprPlan::Call(name, args) => {
            let mut values = Vec::with_capacity(args.len());
            for a in args {
                let Some(v) = eval_expr(interner, a, regs, span)? else {
                    return Ok(None);
                };
                values.push(interner.get(v).clone());
            }
            call(name, &values)
        }
    };
    match c {
        Ok(Some(c)) => Ok(Some(interner.intern(c))),
        Ok(None) => Ok(None),
        Err(error) => Err(Stop::Arith { error, span }),
    }
}

/// The time of a derived fact (`Value::NONE` for timeless), or `None` when its expression has
/// no value; an error for a head time that is not a time.
pub(crate) fn head_time(
    interner: &mut Interner,
    t: &HeadTime,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    match t {
        HeadTime::Explicit(e) => {
            let Some(v) = eval_expr(interner, e, regs, span)? else {
                return Ok(None);
            };
            match interner.get(v) {
                Const::Time(_) => Ok(Some(v)),
                Const::Int(y) if (0..=9999).contains(y) => {
                    let t = crate::value::Time::year(*y as u16);
                    Ok(Some(interner.intern(Const::Time(t))))
                }
                other => Err(Stop::Arith {
                    error: ArithError::Type(format!(
                        "the time of a derived fact must be a time, not `{other}`"
                    )),
                    span,
                }),
            }
        }
        HeadTime::Latest(time_regs) => {
            let mut latest = Value::NONE;
            for r in time_regs {
                let v = regs[*r as usize];
                if v.is_some()
                    && (!latest.is_some()
                        || interner.get(v).total_cmp(interner.get(latest)).is_gt())
                {
                    latest = v;
                }
            }
            Ok(Some(latest))
        }
    }
}

/// Runs the strata in order, each to its fixpoint. `rels` holds the base facts on entry and
/// every fact on return (on error it is partial, and the caller discards it).
pub(crate) fn evaluate(
    rels: &mut [Relation],
    interner: &mut Interner,
    rules: &[RulePlan],
    strata: &[Stratum],
    limits: &Limits,
) -> Result<EvalStats, Stop> {
    let mut run = Run {
        rules,
        limits,
        stats: EvalStats::default(),
        delta_start: vec![0; rels.len()],
        step: 0,
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
        run.stats
            .strata
            .push((stratum.preds.clone(), started.elapsed(), derived));
    }
    Ok(run.stats)
}

/// The state of one evaluation across its passes.
struct Run<'r> {
    rules: &'r [RulePlan],
    limits: &'r Limits,
    stats: EvalStats,
    delta_start: Vec<u32>,
    step: u32,
}

impl Run<'_> {
    fn check_cancel(&self) -> Result<(), Stop> {
        match &self.limits.cancel {
            Some(flag) if flag.load(AtomicOrdering::Relaxed) => Err(Stop::Cancelled),
            _ => Ok(()),
        }
    }

    /// One pass over a stratum's rules: all rows (`deltas == false`) or only the variants whose
    /// delta atom has new rows. Appends what it finds; returns the count per rule.
    fn pass(
        &mut self,
        rels: &mut [Relation],
        interner: &mut Interner,
        stratum: &Stratum,
        deltas: bool,
    ) -> Result<Vec<(u32, usize)>, Stop> {
        self.step += 1;
        let mut pending: BTreeMap<PredId, Pending> = BTreeMap::new();
        let mut per_rule = Vec::with_capacity(stratum.rules.len());
        let mut found = 0usize;
        {
            let shared: &[Relation] = rels;
            let cancel = self.limits.cancel.as_deref();
            let mut exec = Exec::new(shared, &self.delta_start, interner, cancel);
            for &ri in &stratum.rules {
                let rule = &self.rules[ri];
                let started = Instant::now();
                let head_rel = &shared[rule.head as usize];
                let out = pending
                    .entry(rule.head)
                    .or_insert_with(|| Pending::new(head_rel.arity()));
                let before = out.len();
                let variants: Vec<&[Step]> = if deltas {
                    rule.deltas
                        .iter()
                        .filter(|(lit, _)| match &rule.body[*lit] {
                            super::plan::Lit::Atom(a) => {
                                let p = a.pred as usize;
                                (self.delta_start[p] as usize) < shared[p].len()
                            }
                            _ => false,
                        })
                        .map(|(_, steps)| steps.as_slice())
                        .collect()
                } else {
                    vec![rule.full.as_slice()]
                };
                let mut regs = vec![Value::NONE; rule.regs];
                let mut args: Vec<Value> = Vec::with_capacity(rule.head_args.len());
                let limit = self.limits.max_facts;
                let derived = self.stats.derived;
                let mut sink = |interner: &mut Interner, regs: &[Value]| -> Result<(), Stop> {
                    args.clear();
                    for e in &rule.head_args {
                        match eval_expr(interner, e, regs, rule.span)? {
                            Some(v) => args.push(v),
                            None => return Ok(()),
                        }
                    }
                    let Some(time) = head_time(interner, &rule.head_time, regs, rule.span)? else {
                        return Ok(());
                    };
                    let hash = Relation::fact_hash(&args, time);
                    if head_rel.contains(&args, time, hash) {
                        return Ok(());
                    }
                    if out.add(&args, time, rule.rule, hash) {
                        found += 1;
                        if derived + found > limit {
                            return Err(Stop::Facts {
                                rule: rule.rule,
                                limit,
                            });
                        }
                    }
                    Ok(())
                };
                for steps in variants {
                    exec.run(steps, &mut regs, &mut sink)?;
                }
                let produced = out.len() - before;
                per_rule.push((rule.rule, produced));
                *self.stats.rule_facts.entry(rule.rule).or_default() += produced;
                *self.stats.rule_time.entry(rule.rule).or_default() += started.elapsed();
            }
        }
        for (pred, p) in pending {
            let rel = &mut rels[pred as usize];
            for i in 0..p.len() {
                let prov = Prov {
                    rule: p.rules[i],
                    step: self.step,
                };
                rel.push_new(p.row(i as u32), p.times[i], prov, p.hashes[i]);
            }
            self.stats.derived += p.len();
        }
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
