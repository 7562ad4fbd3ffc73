//! Running plans: nested-loop joins over index chains, and stratified semi-naive evaluation.
//!
//! Each stratum runs every rule once over all rows, then repeats only the delta variants of
//! its recursive rules until no new fact appears. New facts of a pass are gathered apart and
//! appended after it, so a pass reads a fixed snapshot and the next delta is the appended
//! range. Limits on facts and iterations, and a cancellation flag, stop runaway programs.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hashbrown::HashTable;

use super::plan::{AggStep, ExprPlan, HeadTime, PredId, Reg, RulePlan, Source, Step, Term};
use super::relation::{hash_values, Batch, Col, Prov, Relation};
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
            max_iterations: 100_000,
            max_groups: 10_000_000,
            max_explain_depth: 100_000,
            cancel: None,
            provenance: true,
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
    /// An aggregate formed more than `max_groups` groups.
    Groups { limit: usize, span: Span },
    /// The cancellation flag was raised.
    Cancelled,
    /// A sink has seen enough matches (not an error: the search just ends).
    Enough,
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
}

/// Reads relations and evaluates plans; interns what arithmetic computes. During a pass of
/// rules it also appends the facts they derive: scans read only the rows that existed when
/// the pass began (`ends`), so appending never disturbs a scan in progress.
pub(crate) struct Exec<'a> {
    pub rels: &'a mut [Relation],
    delta_start: &'a [u32],
    /// Each relation's length when the pass began (empty: read to the current end).
    ends: &'a [u32],
    pub interner: &'a mut Interner,
    cancel: Option<&'a AtomicBool>,
    memo: HashMap<(usize, Vec<Value>), Groups>,
    ticks: u32,
    /// When rebuilding a proof: only rows that appeared before this step match.
    step_limit: Option<u32>,
    /// The most groups an aggregate may form.
    max_groups: usize,
}

/// An aggregate's groups: the values of its free group-by variables and its result.
type Groups = Vec<(Vec<Value>, Value)>;

/// What receives each match of a plan: the executor (to evaluate and append a head) and
/// the registers.
pub(crate) type Sink<'s> = dyn FnMut(&mut Exec<'_>, &[Value]) -> Result<(), Stop> + 's;

impl<'a> Exec<'a> {
    pub(crate) fn new(
        rels: &'a mut [Relation],
        delta_start: &'a [u32],
        ends: &'a [u32],
        interner: &'a mut Interner,
        cancel: Option<&'a AtomicBool>,
    ) -> Exec<'a> {
        Exec {
            rels,
            delta_start,
            ends,
            interner,
            cancel,
            memo: HashMap::new(),
            ticks: 0,
            step_limit: None,
            max_groups: usize::MAX,
        }
    }

    /// Limits the groups an aggregate may form (`Limits::max_groups`).
    pub(crate) fn with_max_groups(mut self, max_groups: usize) -> Exec<'a> {
        self.max_groups = max_groups;
        self
    }

    /// Restricts matches to rows that appeared before step `limit` (the premises of a fact
    /// that appeared at `limit`).
    pub(crate) fn before_step(mut self, limit: u32) -> Self {
        self.step_limit = Some(limit);
        self
    }

    /// Every way `steps` can match, each handed to `sink`.
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
    fn key_value(&mut self, t: &Term, col: Col, regs: &[Value]) -> Value {
        let v = Self::term(t, regs);
        if col == Col::Time {
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

    /// The end of the rows a scan of `pred` may read.
    fn end(&self, pred: usize) -> u32 {
        self.ends
            .get(pred)
            .copied()
            .unwrap_or(self.rels[pred].len() as u32)
    }

    fn step(
        &mut self,
        steps: &[Step],
        i: usize,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let Some(step) = steps.get(i) else {
            return sink(self, regs);
        };
        match step {
            Step::Scan(s) => {
                let p = s.pred as usize;
                let len = self.end(p);
                let start = self.delta_start.get(p).copied().unwrap_or(0);
                let (lo, hi) = match s.source {
                    Source::All => (0, len),
                    Source::Old => (0, start.min(len)),
                    Source::Delta => (start.min(len), len),
                };
                if s.cols.is_empty() {
                    for r in lo..hi {
                        self.try_row(steps, i, r, regs, sink)?;
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
                let mut at = self.rels[p].lookup(s.index, key);
                while let Some(r) = at {
                    if r < lo {
                        break;
                    }
                    if r < hi {
                        self.try_row(steps, i, r, regs, sink)?;
                    }
                    at = self.rels[p].next_in_chain(s.index, r);
                }
                Ok(())
            }
            Step::Filter(op, l, r, span) => {
                if self.holds(*op, l, r, regs, *span)? {
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
                let key: Vec<Value> = p
                    .key
                    .iter()
                    .zip(&p.cols)
                    .map(|(t, &c)| self.key_value(t, c, regs))
                    .collect();
                let rel = &self.rels[p.pred as usize];
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

    /// Binds the registers from row `r` of a scan's relation and goes on with the next step.
    #[inline]
    fn try_row(
        &mut self,
        steps: &[Step],
        i: usize,
        r: u32,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let Step::Scan(s) = &steps[i] else {
            unreachable!("try_row is called for scans")
        };
        self.tick()?;
        let rel = &self.rels[s.pred as usize];
        let time = rel.time(r);
        if s.timed && !time.is_some() {
            return Ok(());
        }
        if self.step_limit.is_some_and(|limit| rel.step(r) >= limit) {
            return Ok(());
        }
        if let Some(row_reg) = s.row_reg {
            regs[row_reg as usize] = Value(r);
        }
        let row = rel.row(r);
        let col = |c: Col| match c {
            Col::Time => time,
            Col::Arg(c) => row[c as usize],
        };
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

    /// Whether `l op r` holds (not when a side has no value). Two sides computed from
    /// integers are compared as integers, without interning either.
    fn holds(
        &mut self,
        op: CmpOp,
        l: &ExprPlan,
        r: &ExprPlan,
        regs: &[Value],
        span: Span,
    ) -> Result<bool, Stop> {
        let stored = |e: &ExprPlan| matches!(e, ExprPlan::Var(_) | ExprPlan::Const(_));
        if !(stored(l) && stored(r)) {
            let int = |e| int_value(self.interner, e, regs);
            if let (Some(a), Some(b)) = (int(l), int(r)) {
                return Ok(op.accepts(a.cmp(&b)));
            }
        }
        let (Some(a), Some(b)) = (self.eval(l, regs, span)?, self.eval(r, regs, span)?) else {
            return Ok(false);
        };
        Ok(compare(self.interner, op, a, b))
    }

    fn eval(&mut self, e: &ExprPlan, regs: &[Value], span: Span) -> Result<Option<Value>, Stop> {
        eval_expr(self.interner, e, regs, span)
    }

    /// The groups of an aggregate under the current bindings: each group's values of the
    /// free group-by variables and its result. The matches are deduplicated on the values of
    /// the variables inside the braces, kept flat in one buffer.
    fn aggregate(&mut self, agg: &AggStep, regs: &mut [Value]) -> Result<Groups, Stop> {
        let key: Vec<Value> = agg.bound_group.iter().map(|r| regs[*r as usize]).collect();
        let memo_key = (agg as *const AggStep as usize, key);
        if let Some(found) = self.memo.get(&memo_key) {
            return Ok(found.clone());
        }
        let width = agg.inner.len();
        let mut flat: Vec<Value> = Vec::new();
        let mut distinct: HashTable<(u32, u32)> = HashTable::new();
        let mut collect = |_: &mut Exec<'_>, regs: &[Value]| {
            let hash = hash_values(agg.inner.iter().map(|r| regs[*r as usize]));
            let same = |&(i, h): &(u32, u32)| {
                h == hash
                    && flat[i as usize * width..(i as usize + 1) * width]
                        .iter()
                        .zip(&agg.inner)
                        .all(|(v, r)| *v == regs[*r as usize])
            };
            if distinct.find(u64::from(hash), same).is_none() {
                let i = (flat.len() / width.max(1)) as u32;
                flat.extend(agg.inner.iter().map(|r| regs[*r as usize]));
                distinct.insert_unique(u64::from(hash), (i, hash), |&(_, h)| u64::from(h));
            }
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
        // Braces without variables match once or not at all: `flat` stays empty then.
        let tuples = distinct.len();
        // Groups in the order of their smallest member, so that results are deterministic.
        let mut order: Vec<usize> = (0..tuples).collect();
        order.sort_by_key(|&t| {
            group_at
                .iter()
                .map(|&g| flat[t * width + g])
                .collect::<Vec<_>>()
        });
        let mut out: Groups = Vec::new();
        let mut t = 0;
        while t < order.len() {
            let group: Vec<Value> = group_at
                .iter()
                .map(|&g| flat[order[t] * width + g])
                .collect();
            let mut end = t;
            while end < order.len()
                && group_at
                    .iter()
                    .zip(&group)
                    .all(|(&g, v)| flat[order[end] * width + g] == *v)
            {
                end += 1;
            }
            let values = order[t..end]
                .iter()
                .map(|&m| target_at.map_or(Value::NONE, |at| flat[m * width + at]));
            if let Some(result) = self.fold(agg, values)? {
                if out.len() == self.max_groups {
                    return Err(Stop::Groups {
                        limit: self.max_groups,
                        span: agg.span,
                    });
                }
                out.push((group, result));
            }
            t = end;
        }
        if tuples == 0 && agg.free_group.is_empty() && agg.func == AggFunc::Count {
            out.push((Vec::new(), self.interner.intern(Const::Int(0))));
        }
        self.memo.insert(memo_key, out.clone());
        Ok(out)
    }

    /// One group's result: the count, sum, least or greatest of its values.
    fn fold(
        &mut self,
        agg: &AggStep,
        values: impl Iterator<Item = Value>,
    ) -> Result<Option<Value>, Stop> {
        let result = match agg.func {
            AggFunc::Count => Const::Int(values.count() as i64),
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
                total
            }
            AggFunc::Min | AggFunc::Max => {
                let interner = &*self.interner;
                let pick = values.reduce(|a, b| {
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
                return Ok(pick);
            }
        };
        Ok(Some(self.interner.intern(result)))
    }
}

/// `a op b` as the language compares (see [`Const::holds`]), on interned values.
pub(crate) fn compare(interner: &Interner, op: CmpOp, a: Value, b: Value) -> bool {
    a == b && matches!(op, CmpOp::Eq | CmpOp::Le | CmpOp::Ge)
        || a != b && interner.get(a).holds(op, interner.get(b))
}

/// The value of an expression, `None` when it has none (division by zero, `month` of a
/// year); an error when arithmetic overflows or mixes kinds.
pub(crate) fn eval_expr(
    interner: &mut Interner,
    e: &ExprPlan,
    regs: &[Value],
    span: Span,
) -> Result<Option<Value>, Stop> {
    match e {
        ExprPlan::Var(r) => Ok(Some(regs[*r as usize])),
        ExprPlan::Const(v) => Ok(Some(*v)),
        _ => match int_value(interner, e, regs) {
            Some(n) => Ok(Some(interner.intern(Const::Int(n)))),
            None => eval_interned(interner, e, regs, span),
        },
    }
}

/// The value of an expression that is an integer made from integers and years
/// (`Y - year(T1)`), computed without interning anything on the way; `None` for any other
/// expression, and for one without a value or that overflows: [`eval_interned`] then
/// gives the answer (or the error).
fn int_value(interner: &Interner, e: &ExprPlan, regs: &[Value]) -> Option<i64> {
    use crate::syntax::ast::BinOp;
    let int = |v: Value| match interner.get(v) {
        Const::Int(n) => Some(*n),
        _ => None,
    };
    match e {
        ExprPlan::Var(r) => int(regs[*r as usize]),
        ExprPlan::Const(v) => int(*v),
        ExprPlan::Binary(op, a, b) => {
            let (x, y) = (int_value(interner, a, regs)?, int_value(interner, b, regs)?);
            match op {
                BinOp::Add => x.checked_add(y),
                BinOp::Sub => x.checked_sub(y),
                BinOp::Mul => x.checked_mul(y),
                BinOp::Div => x.checked_div(y),
            }
        }
        ExprPlan::Neg(a) => int_value(interner, a, regs)?.checked_neg(),
        ExprPlan::Call("year", args) => match args.first()? {
            ExprPlan::Var(r) => match interner.get(regs[*r as usize]) {
                Const::Time(t) => Some(i64::from(t.year_of())),
                Const::Int(y) => Some(*y),
                _ => None,
            },
            arg => int_value(interner, arg, regs),
        },
        _ => None,
    }
}

/// [`eval_expr`] for any expression, interning each intermediate value.
fn eval_interned(
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
                eval_interned(interner, a, regs, span)?,
                eval_interned(interner, b, regs, span)?,
            ) else {
                return Ok(None);
            };
            binary(*op, interner.get(a), interner.get(b))
        }
        ExprPlan::Neg(a) => {
            let Some(a) = eval_interned(interner, a, regs, span)? else {
                return Ok(None);
            };
            negate(interner.get(a))
        }
        ExprPlan::Call(name, args) => {
            // The functions take one or two arguments (the checker makes sure).
            let mut values = [Value::NONE; 2];
            for (slot, a) in values.iter_mut().zip(args) {
                let Some(v) = eval_interned(interner, a, regs, span)? else {
                    return Ok(None);
                };
                *slot = v;
            }
            if args.len() == 1 {
                call(name, &[interner.get(values[0])])
            } else {
                call(name, &[interner.get(values[0]), interner.get(values[1])])
            }
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
    let started = Instant::now();
    let mut run = Run {
        rules,
        limits,
        stats: EvalStats::default(),
        delta_start: vec![0; rels.len()],
        step: 0,
        batch: Batch::default(),
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
    run.stats.memory = super::relation::Memory::of(rels);
    run.stats.facts = rels.iter().map(Relation::len).sum();
    run.stats.time = started.elapsed();
    Ok(run.stats)
}

/// The state of one evaluation across its passes.
struct Run<'r> {
    rules: &'r [RulePlan],
    limits: &'r Limits,
    stats: EvalStats,
    delta_start: Vec<u32>,
    step: u32,
    /// The batch derived facts wait in, its buffers kept from pass to pass.
    batch: Batch,
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
            .with_max_groups(self.limits.max_groups);
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
            let mut regs = vec![Value::NONE; rule.regs];
            let mut args: Vec<Value> = Vec::with_capacity(rule.head_args.len());
            let limit = self.limits.max_facts;
            let derived = self.stats.derived;
            let prov = self.limits.provenance.then_some(Prov {
                rule: rule.rule,
                step: self.step,
            });
            let check_limit = |found: usize| match derived + found > limit {
                true => Err(Stop::Facts {
                    rule: rule.rule,
                    limit,
                }),
                false => Ok(()),
            };
            let mut sink = |exec: &mut Exec<'_>, regs: &[Value]| -> Result<(), Stop> {
                args.clear();
                for e in &rule.head_args {
                    match eval_expr(exec.interner, e, regs, rule.span)? {
                        Some(v) => args.push(v),
                        None => return Ok(()),
                    }
                }
                let Some(time) = head_time(exec.interner, &rule.head_time, regs, rule.span)? else {
                    return Ok(());
                };
                if batch.push(&args, time) {
                    found += exec.rels[head].add_batch(&mut batch, prov);
                    check_limit(found)?;
                }
                Ok(())
            };
            for steps in variants {
                exec.run(steps, &mut regs, &mut sink)?;
            }
            found += exec.rels[head].add_batch(&mut batch, prov);
            check_limit(found)?;
            let produced = exec.rels[head].len() - before;
            per_rule.push((rule.rule, produced));
            *self.stats.rule_facts.entry(rule.rule).or_default() += produced;
            *self.stats.rule_time.entry(rule.rule).or_default() += started.elapsed();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::BinOp;
    use crate::value::{Number, Time};

    /// The integer fast path gives what the general path gives, on every kind of operand,
    /// including the ones it hands back (decimals, times, overflow, division by zero).
    #[test]
    fn integer_arithmetic_agrees_with_the_general_path() {
        let mut interner = Interner::default();
        let consts = [
            Const::Int(7),
            Const::Int(-3),
            Const::Int(0),
            Const::Int(i64::MAX),
            Const::Int(i64::MIN),
            Const::number(Number::parse("2.5").expect("a decimal")),
            Const::Time(Time::parse("2005-07").expect("a time")),
            Const::Time(Time::year(1992)),
            Const::Sym("china".into()),
        ];
        let regs: Vec<Value> = consts.into_iter().map(|c| interner.intern(c)).collect();
        let var = |r: usize| ExprPlan::Var(r as Reg);
        let mut exprs = Vec::new();
        for a in 0..regs.len() {
            exprs.push(ExprPlan::Neg(Box::new(var(a))));
            exprs.push(ExprPlan::Call("year", vec![var(a)]));
            for b in 0..regs.len() {
                for op in [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div] {
                    exprs.push(ExprPlan::Binary(op, Box::new(var(a)), Box::new(var(b))));
                    let year = ExprPlan::Call("year", vec![var(b)]);
                    exprs.push(ExprPlan::Binary(op, Box::new(var(a)), Box::new(year)));
                }
            }
        }
        let span = Span::default();
        let mut fast_ones = 0;
        for e in &exprs {
            let general = eval_interned(&mut interner, e, &regs, span);
            let fast = eval_expr(&mut interner, e, &regs, span);
            assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{e:?}");
            if let Some(n) = int_value(&interner, e, &regs) {
                fast_ones += 1;
                assert_eq!(general.ok().flatten(), Some(interner.intern(Const::Int(n))));
            }
        }
        assert!(
            fast_ones > 100,
            "the fast path took {fast_ones} expressions"
        );
    }
}
