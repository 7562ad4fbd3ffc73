//! Running plans: nested-loop joins over index lookups, aggregates, and the appending of
//! derived facts; [`Stop`] says why a run ended early.

use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use hashbrown::HashTable;

use super::expr::{compare, eval_expr, int_value};
use super::plan::{AggStep, ExprPlan, Narrowing, PredId, Probe, Reg, Scan, Source, Step, Term};
use super::relation::{Ahead, Col, Hit, Ranks, Relation};
use super::stop::Stop;
use super::value::{Interner, Value};
use crate::syntax::ast::CmpOp;
use crate::syntax::Span;

mod aggregate;
mod gathered;
mod range;

use aggregate::{Answer, Memo, Spare};
use gathered::Gathering;

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
    /// The hashes of the aggregates computed anew lately, a slot each by hash (see
    /// [`Exec::aggregate`]): one asked again is remembered.
    asked: Vec<u32>,
    /// Buffers an aggregate's matches are gathered in, kept from one aggregate to the next
    /// (an aggregate under each of a million bindings would otherwise allocate them anew).
    spare: Spare,
    ticks: u32,
    /// When rebuilding a proof: only rows that appeared before this step match.
    step_limit: Option<u32>,
    /// The most groups an aggregate may form.
    max_groups: usize,
    /// What each narrowed negation found under the current binding of its outer key (by
    /// slot, see [`Narrowing`]).
    narrowed: Vec<Narrowed>,
    /// The buffers of the innermost scan that gathers its rows (see [`Exec::scan_gathered`]).
    gathering: Option<Box<Gathering>>,
    /// The last ranged scan (by address) that asked to see its index sorted by a column, and
    /// how the view ranks (`None`: there is none), so that a scan run under a million
    /// bindings asks once. Only a shortcut: a ranged walk finds out again whether the view
    /// is there.
    sorted: (usize, Option<Ranks>),
    /// Whether a plan's outermost full scan may read its rows in the order of its join's key
    /// (see [`Exec::key_order`]): only a rule's, in an evaluation's pass, whose facts reach a
    /// set. An aggregate's matches fold in the order found (a `sum` may overflow part-way in
    /// one order and not in another), and a proof search finds first what it reads first.
    scans_in_key_order: bool,
}

/// What a narrowed negation knows of the rows under the current outer part of its key.
#[derive(Clone, Debug, Default)]
struct Narrowed {
    state: Known,
    /// When [`Known::Rows`]: the values of the columns the negation checks, of each row under
    /// the outer part that matches on everything else (its time, columns written twice).
    values: Vec<Value>,
}

/// How much a narrowed negation knows (see [`Narrowed`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Known {
    /// Not looked up yet.
    #[default]
    Nothing,
    /// The rows under the outer part, at most [`Narrowing::MOST`]: their checked values.
    Rows,
    /// Too many rows: each candidate probes with its whole key.
    Wide,
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
            asked: Vec::new(),
            spare: Spare::default(),
            ticks: 0,
            step_limit: None,
            max_groups: usize::MAX,
            narrowed: Vec::new(),
            gathering: None,
            sorted: (0, None),
            scans_in_key_order: false,
        }
    }

    /// Lets a plan's outermost full scans read their rows in the order of their joins' keys
    /// (rules in an evaluation's pass; see [`Exec::key_order`]).
    pub(crate) fn with_key_order(mut self) -> Exec<'a> {
        self.scans_in_key_order = true;
        self
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

    /// Runs `steps[i..]` under the registers, handing each match to `sink`: the tests from
    /// `steps[i]` in this frame, then the match to `sink` at the end of the plan (the innermost
    /// loop of most joins, without a call of [`Exec::branch`]), or the next scan or aggregate.
    #[inline(always)]
    fn step(
        &mut self,
        steps: &[Step],
        i: usize,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        match self.tests(steps, i, regs)? {
            Some(k) if k == steps.len() => sink(self, regs),
            Some(k) => self.branch(steps, k, regs, sink),
            None => Ok(()),
        }
    }

    /// Runs the steps from `steps[i]` on that match at most once (comparisons, bindings,
    /// negations, a narrowed negation's [`Step::Forget`]) in this same frame: only a step that
    /// can match more than once (a scan, an aggregate's groups) recurses. Answers the place of
    /// the first such step or of the end, or `None` when a step fails.
    #[inline(always)]
    fn tests(
        &mut self,
        steps: &[Step],
        mut i: usize,
        regs: &mut [Value],
    ) -> Result<Option<usize>, Stop> {
        loop {
            match steps.get(i) {
                Some(Step::Compare(op, a, b)) => {
                    if !compare(self.interner, *op, a.value(regs), b.value(regs)) {
                        return Ok(None);
                    }
                }
                Some(Step::Filter(op, l, r, span)) => {
                    if !self.holds(*op, l.expr(), r.expr(), regs, *span)? {
                        return Ok(None);
                    }
                }
                Some(Step::Bind(reg, e, span)) => {
                    let Some(v) = self.eval(e.expr(), regs, *span)? else {
                        return Ok(None);
                    };
                    regs[*reg as usize] = v;
                }
                Some(Step::Not(p)) => {
                    if self.any_row(p, regs) {
                        return Ok(None);
                    }
                }
                Some(Step::Forget(slot)) => {
                    if self.narrowed.len() <= *slot {
                        self.narrowed.resize_with(*slot + 1, Narrowed::default);
                    }
                    self.narrowed[*slot].state = Known::Nothing;
                }
                Some(Step::Scan(_) | Step::Agg(_)) | None => return Ok(Some(i)),
            }
            i += 1;
        }
    }

    /// Goes on at `steps[i]`, a step that can match more than once, or the end of the plan
    /// (where [`Exec::tests`] stops): the match then goes to `sink`.
    fn branch(
        &mut self,
        steps: &[Step],
        i: usize,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        match steps.get(i) {
            Some(Step::Scan(s)) => self.scan(steps, i, s, regs, sink),
            Some(Step::Agg(agg)) => match self.aggregate(agg, regs)? {
                Answer::One(None) => Ok(()),
                Answer::One(Some(result)) => self.with_result(steps, i, agg, result, regs, sink),
                Answer::Groups(groups) => {
                    for (group, result) in groups.iter() {
                        for (r, v) in agg.free_group.iter().zip(group) {
                            regs[*r as usize] = *v;
                        }
                        self.with_result(steps, i, agg, *result, regs, sink)?;
                    }
                    Ok(())
                }
            },
            _ => sink(self, regs),
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
            if let Some(order) = self.key_order(steps, i, regs, (lo, hi)) {
                // Rows read out of their order are loaded some rows ahead.
                const AHEAD: usize = 16;
                for (k, &r) in order.iter().enumerate() {
                    if let Some(&later) = order.get(k + AHEAD) {
                        self.rels[p].prefetch_row(later);
                    }
                    self.try_row(steps, i, s, Hit::row(r), regs, sink)?;
                }
                return Ok(());
            }
            let ahead = (hi - lo >= Lookahead::MIN_ROWS)
                .then(|| Lookahead::after(steps, i, regs, |p| self.rels[p as usize].len()))
                .flatten();
            for r in lo..hi {
                if let Some(ahead) = ahead.as_ref().filter(|_| (r - lo) % Lookahead::BATCH == 0) {
                    self.look_ahead(ahead, p, r, hi);
                }
                self.try_row(steps, i, s, Hit::row(r), regs, sink)?;
            }
            return Ok(());
        }
        let mut key = [Value::NONE; 8];
        let mut key_vec = Vec::new();
        let key = Self::key(&s.key, regs, &mut key, &mut key_vec);
        if s.gathers {
            return self.scan_gathered(steps, i, s, key, (lo, hi), regs, sink);
        }
        let mut at = self.rels[p].first(s.index, key);
        while let Some(hit) = at {
            if hit.row < lo {
                break;
            }
            // The next row is found before this one is tried, so that its likely
            // cache miss overlaps the work on this row instead of following it.
            at = self.rels[p].next(s.index, hit, key);
            if hit.row < hi {
                self.try_row(steps, i, s, hit, regs, sink)?;
            }
        }
        Ok(())
    }

    /// The rows `lo..hi` of the full scan `steps[i]` in the order of the key its join looks
    /// up next, when the executor allows it (a rule's plan in an evaluation's pass), the scan
    /// is the plan's outermost and reads a whole relation, no negation is narrowed on its
    /// columns, and both relations are large: the rows of one key follow one another, so the
    /// rows the lookup finds for it are read from memory once, not once for each, and keys
    /// come in the order in which the looked-up index lays out its runs. A counting sort on
    /// the key's hash, rows of one hash in their order. `None` to read the rows in their
    /// order.
    fn key_order(
        &self,
        steps: &[Step],
        i: usize,
        regs: &[Value],
        (lo, hi): (u32, u32),
    ) -> Option<Vec<u32>> {
        if !self.scans_in_key_order {
            return None;
        }
        let outermost = !steps
            .get(..i)?
            .iter()
            .any(|s| matches!(s, Step::Scan(_) | Step::Agg(_)));
        let Some(Step::Scan(s)) = steps.get(i) else {
            return None;
        };
        // A negation narrowed on the scan's columns remembers the rows under them while they
        // stay the same: the rows' own order (a file sorted by them) is kept for it.
        let narrowed = steps[i..].iter().any(|s| matches!(s, Step::Forget(_)));
        // A delta, read again at each step of a recursion, keeps the order it was derived in
        // (same generation's took 1.05× as long ordered).
        if !outermost || narrowed || s.source != Source::All || hi - lo < KEY_ORDER_ROWS {
            return None;
        }
        let ahead = Lookahead::after(steps, i, regs, |p| self.rels[p as usize].len())?;
        let target = ahead
            .targets
            .iter()
            .find(|t| t.joins && t.key.iter().any(|k| matches!(k, KeyFrom::Col(_))))?;
        let (rel, looked) = (
            &self.rels[s.pred as usize],
            &self.rels[target.pred as usize],
        );
        let hash = |r: u32| {
            let (row, time) = (rel.row(r), rel.time(r));
            let key = target.key.iter().map(|k| match *k {
                KeyFrom::Col(c) => c.of(row, time),
                KeyFrom::Value(v) => v,
            });
            looked.key_hash(target.index, key).unwrap_or(0)
        };
        // Each pass hashes the rows again rather than keep their hashes: the rows are read in
        // sequence, and an array of hashes would cost 4 bytes a row at the peak.
        let (mut least, mut most) = (u32::MAX, 0);
        for r in lo..hi {
            let h = hash(r);
            (least, most) = (least.min(h), most.max(h));
        }
        let span = most.checked_sub(least).filter(|&span| span > 0)?;
        // At most 2^16 buckets: past that, a bucket holds hashes of nearby keys.
        let shift = (u32::BITS - span.leading_zeros()).saturating_sub(16);
        let bucket = |r: u32| ((hash(r) - least) >> shift) as usize;
        let mut at = vec![0u32; (span >> shift) as usize + 2];
        for r in lo..hi {
            at[bucket(r) + 1] += 1;
        }
        for b in 1..at.len() {
            at[b] += at[b - 1];
        }
        let mut order = vec![0u32; (hi - lo) as usize];
        for r in lo..hi {
            let b = bucket(r);
            order[at[b] as usize] = r;
            at[b] += 1;
        }
        Some(order)
    }

    /// Whether a row matches the negated atom `p` under the current bindings.
    fn any_row(&mut self, p: &Probe, regs: &[Value]) -> bool {
        if let Some(n) = &p.narrow {
            if let Some(found) = self.in_run(p, n, regs) {
                return found;
            }
        }
        let mut key = [Value::NONE; 8];
        let mut key_vec = Vec::new();
        let key = Self::key(&p.key, regs, &mut key, &mut key_vec);
        let rel = &self.rels[p.pred as usize];
        let mut at = rel.first(p.index, key);
        while let Some(hit) = at {
            if self.row_matches(p, p.index, hit) {
                return true;
            }
            at = rel.next(p.index, hit, key);
        }
        false
    }

    /// Whether the row `hit` of the negated atom `p`, found through `index`, matches in its
    /// time and in the columns written twice.
    #[inline]
    fn row_matches(&self, p: &Probe, index: usize, hit: Hit) -> bool {
        // Most negated atoms ask nothing of the row beyond its key: it matches unread.
        if !p.timed && p.within.is_none() && p.until.is_none() && p.same.is_empty() {
            return true;
        }
        let (row, time) = self.rels[p.pred as usize].fact(index, hit);
        let in_time = p.within.is_none_or(|w| self.interner.time_within(time, w))
            && p.until.is_none_or(|u| self.interner.time_come_by(time, u));
        let col = |c: Col| c.of(row, time);
        (!p.timed || time.is_some()) && in_time && p.same.iter().all(|&(a, b)| col(a) == col(b))
    }

    /// [`Exec::any_row`] answered from the rows under the outer part of the key, gathered once
    /// for each binding of it; `None` when that part has too many rows to keep.
    fn in_run(&mut self, p: &Probe, n: &Narrowing, regs: &[Value]) -> Option<bool> {
        if !self.run_known(p, n, regs) {
            return None;
        }
        let values = &self.narrowed[n.slot].values;
        let width = n.checks.len();
        let found = match n.checks.as_slice() {
            [(_, t)] => values.contains(&t.value(regs)),
            checks => values.chunks_exact(width).any(|row| {
                row.iter()
                    .zip(checks)
                    .all(|(v, (_, t))| *v == t.value(regs))
            }),
        };
        Some(found)
    }

    /// Whether the rows under the current outer part of the narrowed negation `p`'s key are
    /// known ([`Exec::gather`]ed now if not looked up yet); false when they are too many.
    fn run_known(&mut self, p: &Probe, n: &Narrowing, regs: &[Value]) -> bool {
        match self.narrowed.get(n.slot).map_or(Known::Wide, |s| s.state) {
            Known::Wide => false,
            Known::Rows => true,
            Known::Nothing => self.gather(p, n, regs),
        }
    }

    /// Gathers, for the narrowed negation `p`, the checked values of the rows under the current
    /// outer part of its key; returns false (and marks the slot wide) when there are more than
    /// [`Narrowing::MOST`] rows.
    fn gather(&mut self, p: &Probe, n: &Narrowing, regs: &[Value]) -> bool {
        let mut key = [Value::NONE; 8];
        let mut key_vec = Vec::new();
        let key = Self::key(&n.key, regs, &mut key, &mut key_vec);
        let mut values = std::mem::take(&mut self.narrowed[n.slot].values);
        values.clear();
        let rel = &self.rels[p.pred as usize];
        let mut at = rel.first(n.index, key);
        let mut walked = 0;
        while let Some(hit) = at {
            if walked == Narrowing::MOST {
                self.narrowed[n.slot] = Narrowed {
                    state: Known::Wide,
                    values,
                };
                return false;
            }
            walked += 1;
            if self.row_matches(p, n.index, hit) {
                let (row, time) = rel.fact(n.index, hit);
                values.extend(n.checks.iter().map(|&(c, _)| c.of(row, time)));
            }
            at = rel.next(n.index, hit, key);
        }
        self.narrowed[n.slot] = Narrowed {
            state: Known::Rows,
            values,
        };
        true
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

    /// Asks, from a full scan of `pred` at row `r`, for what the lookups after it will read to
    /// be loaded into the cache: the slots of the keys of a batch of rows
    /// [`Lookahead::DISTANCE`] ahead and the entries of the batch half as far ahead (whose
    /// slots an earlier call asked for), so that their misses overlap. Nothing past `end`.
    fn look_ahead(&self, ahead: &Lookahead, pred: usize, r: u32, end: u32) {
        let rel = &self.rels[pred];
        for (from, stage) in [
            (r + Lookahead::DISTANCE, Ahead::Slot),
            (r + Lookahead::DISTANCE / 2, Ahead::Rows),
        ] {
            for r in from..(from + Lookahead::BATCH).min(end) {
                let (row, time) = (rel.row(r), rel.time(r));
                for target in &ahead.targets {
                    let mut key = [Value::NONE; 8];
                    for (k, from) in key.iter_mut().zip(&target.key) {
                        *k = match *from {
                            KeyFrom::Col(Col::Arg(c)) => {
                                row.get(c as usize).copied().unwrap_or(Value::NONE)
                            }
                            KeyFrom::Col(Col::Time) => time,
                            KeyFrom::Value(v) => v,
                        };
                    }
                    let looked = &self.rels[target.pred as usize];
                    looked.prefetch(target.index, &key[..target.key.len()], stage);
                }
            }
        }
    }

    /// Binds the registers from a scan's row (`hit`) and goes on with the next step.
    #[inline]
    fn try_row(
        &mut self,
        steps: &[Step],
        i: usize,
        s: &Scan,
        hit: Hit,
        regs: &mut [Value],
        sink: &mut Sink<'_>,
    ) -> Result<(), Stop> {
        self.tick()?;
        let rel = &self.rels[s.pred as usize];
        let (row, time) = rel.fact(s.index, hit);
        if self.asks_of_time(s) && self.row_out(s, rel, hit.row, time) {
            return Ok(());
        }
        if let Some(row_reg) = s.row_reg {
            regs[row_reg as usize] = Value(hit.row);
        }
        let col = |c: Col| c.of(row, time);
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

    /// Whether the scan `s` asks anything of a row's time or step (few do).
    #[inline]
    fn asks_of_time(&self, s: &Scan) -> bool {
        s.timed || s.within.is_some() || s.until.is_some() || self.step_limit.is_some()
    }

    /// Whether the scan `s` leaves out row `row` of `rel`, of time `time`, for its time or step.
    #[inline]
    fn row_out(&self, s: &Scan, rel: &Relation, row: u32, time: Value) -> bool {
        (s.timed && !time.is_some())
            || s.within
                .is_some_and(|w| !self.interner.time_within(time, w))
            || s.until
                .is_some_and(|u| !self.interner.time_come_by(time, u))
            || self.step_limit.is_some_and(|limit| rel.step(row) >= limit)
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
        let int = |e| int_value(self.interner, e, regs);
        if let (Some(a), Some(b)) = (int(l), int(r)) {
            return Ok(op.accepts(a.cmp(&b)));
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

/// The fewest rows a full scan must have to be read in the order of its join's key (see
/// [`Exec::key_order`]). The crate's own tests read scans of a few rows in that order, so that
/// the differential test against the naive evaluator runs them.
#[cfg(not(test))]
const KEY_ORDER_ROWS: u32 = 1 << 14;
#[cfg(test)]
const KEY_ORDER_ROWS: u32 = 4;

/// Where a value of a lookup's key comes from, seen from the full scan before it: a column of
/// the scanned row, or a value bound before the scan.
#[derive(Clone, Copy, Debug)]
enum KeyFrom {
    Col(Col),
    Value(Value),
}

/// The lookups that follow a full scan, with their keys as the scanned row gives them: a
/// join's lookups depend on rows read in sequence, so their cache misses can be asked for rows
/// ahead (in two stages: the table's slot, then the entry it points to), and a relation
/// larger than the caches is read with many misses in flight instead of one at a time.
#[derive(Debug)]
struct Lookahead {
    targets: Vec<Target>,
}

/// One lookup a [`Lookahead`] loads ahead for: the relation, its index and where each value of
/// the key comes from.
#[derive(Debug)]
struct Target {
    pred: PredId,
    index: usize,
    key: Vec<KeyFrom>,
    /// Whether the lookup is a join's (a scan's), not a negation's.
    joins: bool,
}

impl Lookahead {
    /// How many rows ahead a slot is loaded (an entry at half the distance).
    const DISTANCE: u32 = 16;
    /// How many rows' loads are issued together.
    const BATCH: u32 = 8;
    /// The fewest rows a scan must have for looking ahead to be worth setting up.
    const MIN_ROWS: u32 = 64;
    /// The fewest rows a relation looked up must have for its lookups to be loaded ahead: past
    /// about this many its index and rows outgrow a core's own caches (a prefetch costs next to
    /// nothing, a miss of them tens of cycles).
    #[cfg(not(test))]
    const MIN_LOOKED_UP: usize = 1 << 14;
    #[cfg(test)]
    const MIN_LOOKED_UP: usize = 4;

    /// The lookups after the full scan `steps[i]` whose relations are larger than the caches
    /// (`len` gives a relation's rows): the next scan's or negation's, and before it those of
    /// the narrowed negations whose outer key the scan binds ([`Step::Forget`]). A lookup
    /// counts when its key is made of the scan's columns and values bound before it (no step
    /// between binds any of it), and fits in 8 values.
    fn after(
        steps: &[Step],
        i: usize,
        regs: &[Value],
        len: impl Fn(PredId) -> usize,
    ) -> Option<Lookahead> {
        let Some(Step::Scan(scan)) = steps.get(i) else {
            return None;
        };
        let mut between = Vec::new();
        let mut targets = Vec::new();
        let mut target = |pred: PredId, index: usize, terms: &[Term], between: &[Reg], joins| {
            if terms.len() > 8 || len(pred) < Lookahead::MIN_LOOKED_UP {
                return;
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
                .collect::<Option<Vec<_>>>();
            if let Some(key) = key {
                targets.push(Target {
                    pred,
                    index,
                    key,
                    joins,
                });
            }
        };
        let later = steps.get(i + 1..)?;
        for (k, step) in later.iter().enumerate() {
            match step {
                Step::Scan(s) if s.cols.is_empty() => break,
                Step::Scan(s) => {
                    target(s.pred, s.index, &s.key, &between, true);
                    break;
                }
                Step::Not(p) if p.narrow.is_none() => {
                    target(p.pred, p.index, &p.key, &between, false);
                    break;
                }
                Step::Not(_) | Step::Compare(..) | Step::Filter(..) => {}
                Step::Forget(slot) => {
                    let narrowed = later[k..].iter().find_map(|s| match s {
                        Step::Not(p) => p
                            .narrow
                            .as_ref()
                            .filter(|n| n.slot == *slot)
                            .map(|n| (p, n)),
                        _ => None,
                    });
                    if let Some((p, n)) = narrowed {
                        target(p.pred, n.index, &n.key, &between, false);
                    }
                }
                Step::Bind(reg, ..) => between.push(*reg),
                Step::Agg(agg) => {
                    between.push(agg.result);
                    between.extend(&agg.free_group);
                }
            }
        }
        (!targets.is_empty()).then_some(Lookahead { targets })
    }
}
