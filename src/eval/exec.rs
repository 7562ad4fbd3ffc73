//! Running plans: nested-loop joins over index lookups, aggregates, and the appending of
//! derived facts; [`Stop`] says why a run ended early.

use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use hashbrown::HashTable;

use super::expr::{compare, eval_expr, int_value};
use super::plan::{AggStep, ExprPlan, PredId, Probe, Scan, Source, Step, Term};
use super::relation::{Ahead, Col, Hit, Relation, LARGE};
use super::stop::Stop;
use super::value::{Interner, Value};
use crate::syntax::ast::CmpOp;
use crate::syntax::Span;

mod aggregate;

use aggregate::{Answer, Memo, Spare};

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
    /// The answer of each aggregate (by address) under each binding of its bound group-by
    /// variables, with the hash of that binding.
    memo: HashTable<Memo>,
    /// The bindings of the remembered aggregates, one after another.
    memo_keys: Vec<Value>,
    /// Buffers an aggregate's matches are gathered in, kept from one aggregate to the next
    /// (an aggregate under each of a million bindings would otherwise allocate them anew).
    spare: Spare,
    ticks: u32,
    /// When rebuilding a proof: only rows that appeared before this step match.
    step_limit: Option<u32>,
    /// The most groups an aggregate may form.
    max_groups: usize,
}

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
            memo: HashTable::new(),
            memo_keys: Vec::new(),
            spare: Spare::default(),
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

    /// The values of a lookup key: in `short` when they fit (no allocation per lookup), else
    /// in `long`.
    #[inline]
    fn key<'k>(
        terms: &[Term],
        regs: &[Value],
        short: &'k mut [Value; 8],
        long: &'k mut Vec<Value>,
    ) -> &'k [Value] {
        if terms.len() <= short.len() {
            for (k, t) in short.iter_mut().zip(terms) {
                *k = t.value(regs);
            }
            &short[..terms.len()]
        } else {
            *long = terms.iter().map(|t| t.value(regs)).collect();
            long
        }
    }

    /// The end of the rows a scan of `pred` may read.
    fn end(&self, pred: usize) -> u32 {
        self.ends
            .get(pred)
            .copied()
            .unwrap_or(self.rels[pred].len() as u32)
    }

    /// Runs `steps[i..]` under the registers, handing each match to `sink`.
    fn step(
        &mut self,
        steps: &[Step],
        mut i: usize,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        // Filters, bindings and negations go on to the next step in this same frame: only a
        // step that can match more than once (a scan, an aggregate's groups) recurses.
        loop {
            let Some(step) = steps.get(i) else {
                return sink(self, regs);
            };
            match step {
                Step::Scan(s) => return self.scan(steps, i, s, regs, sink),
                Step::Filter(op, l, r, span) => {
                    if !self.holds(*op, l, r, regs, *span)? {
                        return Ok(());
                    }
                }
                Step::Bind(reg, e, span) => {
                    let Some(v) = self.eval(e, regs, *span)? else {
                        return Ok(());
                    };
                    regs[*reg as usize] = v;
                }
                Step::Not(p) => {
                    if self.any_row(p, regs) {
                        return Ok(());
                    }
                }
                Step::Agg(agg) => {
                    return match self.aggregate(agg, regs)? {
                        Answer::One(None) => Ok(()),
                        Answer::One(Some(result)) => {
                            self.with_result(steps, i, agg, result, regs, sink)
                        }
                        Answer::Groups(groups) => {
                            for (group, result) in groups.iter() {
                                for (r, v) in agg.free_group.iter().zip(group) {
                                    regs[*r as usize] = *v;
                                }
                                self.with_result(steps, i, agg, *result, regs, sink)?;
                            }
                            Ok(())
                        }
                    }
                }
            }
            i += 1;
        }
    }

    /// Every row the scan `steps[i]` matches, each tried with the steps after it.
    fn scan(
        &mut self,
        steps: &[Step],
        i: usize,
        s: &Scan,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let p = s.pred as usize;
        let len = self.end(p);
        let start = self.delta_start.get(p).copied().unwrap_or(0);
        let (lo, hi) = match s.source {
            Source::All => (0, len),
            Source::Old => (0, start.min(len)),
            Source::Delta => (start.min(len), len),
        };
        if s.cols.is_empty() {
            let ahead = (hi - lo >= Lookahead::MIN_ROWS)
                .then(|| Lookahead::after(steps, i, regs))
                .flatten()
                .filter(|a| self.rels[a.pred as usize].len() >= LARGE);
            for r in lo..hi {
                if let Some(ahead) = ahead.as_ref().filter(|_| (r - lo) % Lookahead::BATCH == 0) {
                    self.look_ahead(ahead, p, r, hi);
                }
                self.try_row(steps, i, Hit::row(r), regs, sink)?;
            }
            return Ok(());
        }
        let mut key = [Value::NONE; 8];
        let mut key_vec = Vec::new();
        let key = Self::key(&s.key, regs, &mut key, &mut key_vec);
        let mut at = self.rels[p].first(s.index, key);
        while let Some(hit) = at {
            if hit.row < lo {
                break;
            }
            // The next row is found before this one is tried, so that its likely
            // cache miss overlaps the work on this row instead of following it.
            at = self.rels[p].next(s.index, hit, key);
            if hit.row < hi {
                self.try_row(steps, i, hit, regs, sink)?;
            }
        }
        Ok(())
    }

    /// Whether a row matches the negated atom `p` under the current bindings.
    fn any_row(&self, p: &Probe, regs: &[Value]) -> bool {
        let mut key = [Value::NONE; 8];
        let mut key_vec = Vec::new();
        let key = Self::key(&p.key, regs, &mut key, &mut key_vec);
        let rel = &self.rels[p.pred as usize];
        let mut at = rel.first(p.index, key);
        while let Some(hit) = at {
            let (row, time) = rel.fact(p.index, hit);
            let in_time = p.within.is_none_or(|w| self.interner.time_within(time, w))
                && p.until.is_none_or(|u| self.interner.time_come_by(time, u));
            let col = |c: Col| match c {
                Col::Time => time,
                Col::Arg(c) => row[c as usize],
            };
            let same = p.same.iter().all(|&(a, b)| col(a) == col(b));
            if (!p.timed || time.is_some()) && in_time && same {
                return true;
            }
            at = rel.next(p.index, hit, key);
        }
        false
    }

    /// Goes on after the aggregate `steps[i]` with its result (tested when the result
    /// variable was bound before).
    fn with_result(
        &mut self,
        steps: &[Step],
        i: usize,
        agg: &AggStep,
        result: Value,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        if agg.result_bound {
            let current = regs[agg.result as usize];
            if !compare(self.interner, CmpOp::Eq, current, result) {
                return Ok(());
            }
        } else {
            regs[agg.result as usize] = result;
        }
        self.step(steps, i + 1, regs, sink)
    }

    /// Loads, from a full scan of `pred` at row `r`, what the lookup after it will read: the
    /// slots of the keys of a batch of rows [`Lookahead::DISTANCE`] ahead and the entries of
    /// the batch half as far ahead (whose slots an earlier call loaded), each batch's loads
    /// independent of one another so that their misses overlap. Nothing past `end`.
    fn look_ahead(&self, ahead: &Lookahead, pred: usize, r: u32, end: u32) {
        let rel = &self.rels[pred];
        let target = &self.rels[ahead.pred as usize];
        let mut loaded = 0;
        for (from, stage) in [
            (r + Lookahead::DISTANCE, Ahead::Slot),
            (r + Lookahead::DISTANCE / 2, Ahead::Rows),
        ] {
            for r in from..(from + Lookahead::BATCH).min(end) {
                let (row, time) = (rel.row(r), rel.time(r));
                let mut key = [Value::NONE; 8];
                for (k, from) in key.iter_mut().zip(&ahead.key) {
                    *k = match *from {
                        KeyFrom::Col(Col::Arg(c)) => {
                            row.get(c as usize).copied().unwrap_or(Value::NONE)
                        }
                        KeyFrom::Col(Col::Time) => time,
                        KeyFrom::Value(v) => v,
                    };
                }
                loaded ^= target.touch(ahead.index, &key[..ahead.key.len()], stage);
            }
        }
        std::hint::black_box(loaded);
    }

    /// Binds the registers from a scan's row (`hit`) and goes on with the next step.
    #[inline]
    fn try_row(
        &mut self,
        steps: &[Step],
        i: usize,
        hit: Hit,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        let Step::Scan(s) = &steps[i] else {
            unreachable!("try_row is called for scans")
        };
        self.tick()?;
        let rel = &self.rels[s.pred as usize];
        let (row, time) = rel.fact(s.index, hit);
        if s.timed && !time.is_some() {
            return Ok(());
        }
        if s.within
            .is_some_and(|w| !self.interner.time_within(time, w))
        {
            return Ok(());
        }
        if s.until
            .is_some_and(|u| !self.interner.time_come_by(time, u))
        {
            return Ok(());
        }
        if self
            .step_limit
            .is_some_and(|limit| rel.step(hit.row) >= limit)
        {
            return Ok(());
        }
        if let Some(row_reg) = s.row_reg {
            regs[row_reg as usize] = Value(hit.row);
        }
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
        // The last scan of a plan (the innermost loop of most joins) hands its match on
        // without entering `step`.
        if i + 1 == steps.len() {
            return sink(self, regs);
        }
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
}

/// Where a value of a lookup's key comes from, seen from the full scan before it: a column of
/// the scanned row, or a value bound before the scan.
#[derive(Clone, Copy, Debug)]
enum KeyFrom {
    Col(Col),
    Value(Value),
}

/// The lookup that follows a full scan, with its key as the scanned row gives it: a join's
/// lookups depend on rows read in sequence, so their cache misses can be asked for rows
/// ahead (in two stages: the table's slot, then the entry it points to), and a relation
/// larger than the caches is read with many misses in flight instead of one at a time.
#[derive(Debug)]
struct Lookahead {
    pred: PredId,
    index: usize,
    key: Vec<KeyFrom>,
}

impl Lookahead {
    /// How many rows ahead a slot is loaded (an entry at half the distance).
    const DISTANCE: u32 = 16;
    /// How many rows' loads are issued together.
    const BATCH: u32 = 8;
    /// The fewest rows a scan must have for looking ahead to be worth setting up.
    const MIN_ROWS: u32 = 64;

    /// The lookup after the full scan `steps[i]`, when its key is made of the scan's columns
    /// and values bound before it (no step between binds any of it), and fits in 8 values.
    fn after(steps: &[Step], i: usize, regs: &[Value]) -> Option<Lookahead> {
        let Some(Step::Scan(scan)) = steps.get(i) else {
            return None;
        };
        let mut between = Vec::new();
        for step in steps.get(i + 1..)? {
            let (pred, index, terms) = match step {
                Step::Scan(s) if s.cols.is_empty() => return None,
                Step::Scan(s) => (s.pred, s.index, &s.key),
                Step::Not(p) => (p.pred, p.index, &p.key),
                Step::Bind(reg, ..) => {
                    between.push(*reg);
                    continue;
                }
                Step::Agg(agg) => {
                    between.push(agg.result);
                    between.extend(&agg.free_group);
                    continue;
                }
                Step::Filter(..) => continue,
            };
            if terms.len() > 8 {
                return None;
            }
            let key = terms
                .iter()
                .map(|t| match *t {
                    Term::Const(v) => Some(KeyFrom::Value(v)),
                    Term::Var(reg) if between.contains(&reg) => None,
                    Term::Var(reg) => Some(match scan.binds.iter().find(|&&(_, r)| r == reg) {
                        Some(&(c, _)) => KeyFrom::Col(c),
                        None => KeyFrom::Value(regs[reg as usize]),
                    }),
                    Term::Wild => None,
                })
                .collect::<Option<Vec<_>>>()?;
            return Some(Lookahead { pred, index, key });
        }
        None
    }
}
