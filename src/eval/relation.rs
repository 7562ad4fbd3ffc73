//! Relations: rows of interned values stored flat, a deduplicating hash table, and indexes on
//! column subsets. Rows are only appended during evaluation, so the facts new in an iteration
//! (a delta) are a range of row numbers, and no delta is ever copied.
//!
//! Indexes (see [`super::index`]) find the rows of a key: as a chain while the relation
//! grows, laid out in runs once it is complete.

use std::sync::Arc;

use super::index::{finish, mix, push_gathered, Index, RowsRef, HASH_SEED};
pub(crate) use super::index::{hash_values, wide, Ahead, Col, Hit, Ranks, LARGE};
use super::table::RowTable;
use super::value::Value;

/// The "index" that answers a lookup of every argument of a timeless relation from the dedup
/// table itself (see [`Relation::ensure_lookup`]).
const DEDUP: usize = usize::MAX - 1;

/// How a row came to be: the rule that derived it (or [`Prov::BASE`]) and the evaluation step
/// at which it first appeared. Every premise of a derivation appeared at an earlier step, so a
/// proof can be rebuilt later by searching premises of smaller steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Prov {
    pub rule: u32,
    pub step: u32,
}

impl Prov {
    /// A stated fact (or a row read from an input file).
    pub const BASE: Prov = Prov {
        rule: u32::MAX,
        step: 0,
    };
}

/// Facts on their way into one relation (see [`Relation::add_batch`]): added a batch at a
/// time, each fact's slots asked for some facts ahead of its probe, the probes of a large
/// table overlap their cache misses instead of waiting for each in turn.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    args: Vec<Value>,
    times: Vec<Value>,
    hashes: Vec<u32>,
}

impl Batch {
    /// How many facts a batch holds before it is added: a few of them pass between asking for a
    /// fact's slots and probing them, and the batch's values stay in the cache.
    #[cfg(not(test))]
    const SIZE: usize = 128;
    /// The crate's own tests add a few facts a batch, so that their rules hand their relations
    /// to a second thread (see `Apart`) after a few batches.
    #[cfg(test)]
    const SIZE: usize = 4;

    /// How many facts are queued.
    pub(crate) fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether no fact is queued.
    pub(crate) fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Whether the first fact queued has a time.
    pub(crate) fn first_timed(&self) -> bool {
        self.times.first().is_some_and(|t| t.is_some())
    }

    /// Drops the queued facts.
    pub(crate) fn clear(&mut self) {
        self.args.clear();
        self.times.clear();
        self.hashes.clear();
    }

    /// Queues a fact; returns whether the batch is full. Nothing is added yet.
    #[inline]
    pub(crate) fn push(&mut self, args: &[Value], time: Value) -> bool {
        self.push_values(args.iter().copied(), time)
    }

    /// [`Batch::push`] of arguments as they are computed (value by value: a copy of a few
    /// values costs less than a call of `memcpy`).
    #[inline]
    pub(crate) fn push_values(&mut self, args: impl Iterator<Item = Value>, time: Value) -> bool {
        // The hash is [`Relation::fact_hash`]'s, mixed as the values come.
        let mut hash = HASH_SEED;
        self.args.extend(args.inspect(|&v| hash = mix(hash, v)));
        self.times.push(time);
        self.hashes.push(finish(mix(hash, time)));
        self.hashes.len() >= Batch::SIZE
    }
}

/// What an insertion changes of a relation beside its rows (see [`Relation::parts`]).
struct RowParts<'a> {
    arity: usize,
    count: &'a mut u32,
    provenance: &'a mut Vec<(u32, Prov)>,
    indexes: &'a mut [Index],
}

impl RowParts<'_> {
    /// The same parts, lent again for one more insertion.
    fn reborrow(&mut self) -> RowParts<'_> {
        RowParts {
            arity: self.arity,
            count: self.count,
            provenance: self.provenance,
            indexes: self.indexes,
        }
    }
}

/// Heap bytes held by relations, by component.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// The rows' argument values.
    pub rows: usize,
    /// The rows' times.
    pub times: usize,
    /// Provenance: runs of rows derived by one rule in one step.
    pub provenance: usize,
    /// The tables that find a row by its whole fact.
    pub dedup: usize,
    /// The indexes on column subsets.
    pub indexes: usize,
}

impl Memory {
    /// All components together.
    pub fn total(&self) -> usize {
        self.rows + self.times + self.provenance + self.dedup + self.indexes
    }

    fn add(&mut self, other: Memory) {
        self.rows += other.rows;
        self.times += other.times;
        self.provenance += other.provenance;
        self.dedup += other.dedup;
        self.indexes += other.indexes;
    }

    /// The memory of many relations.
    pub(crate) fn of(rels: &[Relation]) -> Memory {
        let mut m = Memory::default();
        for r in rels {
            m.add(r.memory());
        }
        m
    }
}

/// The rows themselves and the table that finds them: what an evaluation's copy of a
/// relation shares with the stated one until it adds a row.
#[derive(Clone, Debug, Default)]
struct Rows {
    data: Vec<Value>,
    /// One time per row, or empty while every row is timeless.
    times: Vec<Value>,
    dedup: RowTable,
}

impl Rows {
    /// The time of row `r` ([`Value::NONE`] for a timeless row).
    #[inline]
    fn time(&self, r: u32) -> Value {
        time_at(&self.times, r)
    }

    /// The first `len` rows as an index reads them, `arity` values a row.
    #[inline]
    fn view(&self, arity: usize, len: u32) -> RowsRef<'_> {
        RowsRef {
            data: &self.data,
            times: &self.times,
            arity,
            len,
        }
    }
}

/// The time of row `r` given the rows' times (empty while every row is timeless).
#[inline]
fn time_at(times: &[Value], r: u32) -> Value {
    times.get(r as usize).copied().unwrap_or(Value::NONE)
}

/// One predicate's rows. Cloning one is cheap: the rows are shared, and copied only when
/// one of the clones adds a row (an evaluation copies the stated facts of the predicates its
/// rules derive into, and no others).
#[derive(Clone, Debug)]
pub(crate) struct Relation {
    arity: usize,
    rows: u32,
    shared: Arc<Rows>,
    /// Provenance, run-length encoded: `(first row, provenance)` wherever it changes. A pass
    /// runs one rule at a time and appends what it derives, so a run spans every row one rule
    /// derived in one step, and provenance costs next to nothing a row. Empty when off.
    prov: Vec<(u32, Prov)>,
    indexes: Vec<Index>,
}

impl Relation {
    pub(crate) fn new(arity: usize) -> Relation {
        Relation {
            arity,
            rows: 0,
            shared: Arc::default(),
            prov: Vec::new(),
            indexes: Vec::new(),
        }
    }

    pub(crate) fn arity(&self) -> usize {
        self.arity
    }

    /// Whether no row has a time.
    pub(crate) fn is_timeless(&self) -> bool {
        self.shared.times.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.rows as usize
    }

    #[inline]
    pub(crate) fn row(&self, r: u32) -> &[Value] {
        let start = r as usize * self.arity;
        &self.shared.data[start..start + self.arity]
    }

    #[inline]
    pub(crate) fn time(&self, r: u32) -> Value {
        self.shared.time(r)
    }

    /// The rows as an index reads them.
    #[inline]
    fn rows_ref(&self) -> RowsRef<'_> {
        self.shared.view(self.arity, self.rows)
    }

    /// Makes room for `n` more rows, timed if `timed`, so that a large load neither copies
    /// its columns nor rehashes its table as it grows. Rows an evaluation shares are left as
    /// they are (an insertion copies them anyway).
    pub(crate) fn reserve(&mut self, n: usize, timed: bool) {
        if let Some(rows) = Arc::get_mut(&mut self.shared) {
            rows.data.reserve(n * self.arity);
            if timed {
                let want = self.rows as usize + n;
                rows.times.reserve(want.saturating_sub(rows.times.len()));
            }
            rows.dedup.reserve_exact(n);
        }
    }

    /// The hash identifying a fact (its arguments and time).
    #[inline]
    pub(crate) fn fact_hash(args: &[Value], time: Value) -> u32 {
        // `hash_values` of the arguments, then the time (no chained iterator in the loop).
        finish(mix(args.iter().copied().fold(HASH_SEED, mix), time))
    }

    /// Adds a fact whose [`Relation::fact_hash`] is `hash` unless present (one probe of the
    /// table), appending and indexing it when new; returns whether it was. The rows are
    /// borrowed from the caller's one `Arc::make_mut` (an atomic operation: once a batch,
    /// not once a fact).
    #[inline(always)]
    fn insert_into(
        rows: &mut Rows,
        parts: RowParts<'_>,
        (args, time, hash): (&[Value], Value, u32),
        prov: Option<Prov>,
    ) -> bool {
        let RowParts {
            arity,
            count,
            provenance,
            indexes,
        } = parts;
        let Rows { data, times, dedup } = &mut *rows;
        let same = |row: u32| {
            let s = row as usize * arity;
            &data[s..s + arity] == args && time_at(times, row) == time
        };
        if dedup.find_or_insert(hash, same, *count).is_some() {
            return false;
        }
        debug_assert_eq!(args.len(), arity);
        let r = *count;
        *count += 1;
        // A copy of a few values of a length known here costs less than a call of `memcpy`.
        match *args {
            [a] => data.push(a),
            [a, b] => data.extend_from_slice(&[a, b]),
            [a, b, c] => data.extend_from_slice(&[a, b, c]),
            [a, b, c, d] => data.extend_from_slice(&[a, b, c, d]),
            _ => data.extend_from_slice(args),
        }
        if time.is_some() || !times.is_empty() {
            times.resize(r as usize, Value::NONE);
            times.push(time);
        }
        if let Some(prov) = prov {
            if provenance.last().is_none_or(|&(_, last)| last != prov) {
                provenance.push((r, prov));
            }
        }
        for ix in indexes.iter_mut() {
            ix.add_row(rows.view(arity, r + 1), r);
        }
        true
    }

    /// The parts of a relation beside its shared rows that an insertion changes.
    fn parts(&mut self) -> (&mut Rows, RowParts<'_>) {
        let Relation {
            arity,
            rows,
            shared,
            prov,
            indexes,
        } = self;
        (
            Arc::make_mut(shared),
            RowParts {
                arity: *arity,
                count: rows,
                provenance: prov,
                indexes,
            },
        )
    }

    /// Adds the queued facts in their order, each unless present, and empties the batch;
    /// returns how many were new. The slots each probe will read are asked for some facts
    /// ahead of it, so that their cache misses overlap.
    pub(crate) fn add_batch(&mut self, batch: &mut Batch, prov: Option<Prov>) -> usize {
        let mut new = 0;
        self.add_batch_each(batch, prov, |_| new += 1);
        new
    }

    /// [`Relation::add_batch`], calling `added` with the place in the batch of each fact that
    /// was new.
    pub(crate) fn add_batch_each(
        &mut self,
        batch: &mut Batch,
        prov: Option<Prov>,
        mut added: impl FnMut(usize),
    ) {
        let arity = self.arity;
        let (rows, mut parts) = self.parts();
        rows.dedup.reserve(batch.hashes.len());
        // Each fact's slots are asked for `AHEAD` facts before its probe: enough misses in
        // flight to keep the memory busy, few enough that the processor keeps track of them all.
        const AHEAD: usize = 16;
        for &hash in batch.hashes.iter().take(AHEAD) {
            rows.dedup.prefetch(hash);
        }
        for (i, (&hash, &time)) in batch.hashes.iter().zip(&batch.times).enumerate() {
            if let Some(&later) = batch.hashes.get(i + AHEAD) {
                rows.dedup.prefetch(later);
            }
            let args = &batch.args[i * arity..(i + 1) * arity];
            if Self::insert_into(rows, parts.reborrow(), (args, time, hash), prov) {
                added(i);
            }
        }
        batch.clear();
    }

    /// The row of a fact, if present.
    fn find(&self, args: &[Value], time: Value) -> Option<u32> {
        let hash = Self::fact_hash(args, time);
        self.shared
            .dedup
            .find(hash, |row| self.row(row) == args && self.time(row) == time)
    }

    /// Whether a fact is present.
    pub(crate) fn contains(&self, args: &[Value], time: Value) -> bool {
        self.find(args, time).is_some()
    }

    /// Whether a batch holds a fact not present.
    pub(crate) fn any_new(&self, batch: &Batch) -> bool {
        let arity = self.arity;
        (0..batch.times.len())
            .any(|i| !self.contains(&batch.args[i * arity..(i + 1) * arity], batch.times[i]))
    }

    /// Adds a stated fact unless present; returns whether it was new.
    pub(crate) fn insert(&mut self, args: &[Value], time: Value, prov: Prov) -> bool {
        let hash = Self::fact_hash(args, time);
        let (rows, parts) = self.parts();
        Self::insert_into(rows, parts, (args, time, hash), Some(prov))
    }

    /// How to look up `cols` in a relation that will not grow any more (one no rule derives, or
    /// any after evaluation): every argument of a timeless relation is found in the dedup
    /// table, without building an index; anything else through an index built as
    /// [`Relation::settle`] says.
    pub(crate) fn ensure_lookup(&mut self, cols: &[Col]) -> usize {
        let all_args = cols.len() == self.arity
            && cols
                .iter()
                .enumerate()
                .all(|(i, &c)| c == Col::Arg(i as u16));
        if all_args && self.is_timeless() {
            return DEDUP;
        }
        self.ensure_settled(cols)
    }

    /// The index on exactly `cols` for a relation that grows: a chain, built now if it does
    /// not exist yet.
    pub(crate) fn ensure_index(&mut self, cols: &[Col]) -> usize {
        let i = self.index_on(cols);
        if self.indexes[i].is_pending() {
            self.indexes[i] = Index::chain(cols, self.rows_ref(), self.rows);
        }
        i
    }

    /// The index on exactly `cols` for a relation that a later stratum reads: built only when
    /// that stratum starts ([`Relation::settle`]), so that the rows added until then pay
    /// nothing for it.
    pub(crate) fn ensure_later(&mut self, cols: &[Col]) -> usize {
        self.index_on(cols)
    }

    /// The index on exactly `cols` for a relation that is complete, built now as
    /// [`Relation::settle`] says.
    pub(crate) fn ensure_settled(&mut self, cols: &[Col]) -> usize {
        let i = self.index_on(cols);
        self.settle(i);
        i
    }

    /// The number of the index on exactly `cols`, made (and not yet built) if there is none.
    fn index_on(&mut self, cols: &[Col]) -> usize {
        match self.indexes.iter().position(|ix| ix.cols() == cols) {
            Some(i) => i,
            None => {
                self.indexes.push(Index::pending(cols));
                self.indexes.len() - 1
            }
        }
    }

    /// Lays index `index` out in runs: the relation is complete (until a row is added, which
    /// turns the index back into a chain).
    pub(crate) fn freeze(&mut self, index: usize) {
        let rows = self.shared.view(self.arity, self.rows);
        if let Some(ix) = self.indexes.get_mut(index) {
            ix.freeze(rows, self.rows);
        }
    }

    /// Builds index `index` of a relation that is complete: in runs when the relation is
    /// [`LARGE`], else as a chain, which reads as quickly while the relation sits in the
    /// caches and needs no sort and no copy.
    pub(crate) fn settle(&mut self, index: usize) {
        if self.rows as usize >= LARGE {
            self.freeze(index);
        } else if let Some(ix) = self.indexes.get_mut(index).filter(|ix| ix.is_pending()) {
            *ix = Index::chain(
                ix.cols(),
                self.shared.view(self.arity, self.rows),
                self.rows,
            );
        }
    }

    /// The newest row whose indexed columns equal `key` (through the dedup table, the one row
    /// of those arguments, when `index` is [`Relation::ensure_lookup`]'s answer for all of them).
    #[inline]
    pub(crate) fn first(&self, index: usize, key: &[Value]) -> Option<Hit> {
        if index == DEDUP {
            return self.find(key, Value::NONE).map(Hit::row);
        }
        self.indexes[index].first(self.rows_ref(), key)
    }

    /// The next older row after `hit` whose indexed columns equal `key`.
    #[inline]
    pub(crate) fn next(&self, index: usize, hit: Hit, key: &[Value]) -> Option<Hit> {
        if index == DEDUP {
            return None;
        }
        self.indexes[index].next(self.rows_ref(), hit, key)
    }

    /// Appends to `out`, for the rows of rows `lo..hi` whose indexed columns equal `key`, newest
    /// first, up to `most` of them: each one's number, its time and the values of the columns
    /// `binds` names. Starts at `from`, a place an earlier call answered; answers where to go
    /// on when rows are left (see [`Index::gather`]).
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn gather<R>(
        &self,
        index: usize,
        key: &[Value],
        range: (u32, u32),
        binds: &[(Col, R)],
        out: &mut Vec<Value>,
        from: Option<u32>,
        most: usize,
    ) -> Option<u32> {
        match self.indexes.get(index) {
            Some(ix) => ix.gather(self.rows_ref(), key, range, binds, out, from, most),
            None if index == DEDUP && from.is_none() => {
                if let Some(r) = self.find(key, Value::NONE) {
                    if (range.0..range.1).contains(&r) {
                        push_gathered(out, r, self.row(r), self.time(r), binds);
                    }
                }
                None
            }
            None => None,
        }
    }

    /// Sees index `index` in the order of column `col`, when it is in runs long enough to
    /// search and the column's values all rank alike (see [`Index::sort_by`]); answers how.
    pub(crate) fn sort_index(&mut self, index: usize, col: Col) -> Option<Ranks> {
        let rows = self.shared.view(self.arity, self.rows);
        self.indexes.get_mut(index)?.sort_by(rows, col)
    }

    /// Appends to `out` the rows of rows `range` under `key` whose value in a column ranks in
    /// a range, newest first, through the view [`Relation::sort_index`] made, or all of them
    /// when they are few; answers whether only the range was read, `None` when there is no
    /// view (see [`Index::gather_sorted`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn gather_sorted<R>(
        &self,
        index: usize,
        key: &[Value],
        range: (u32, u32),
        binds: &[(Col, R)],
        out: &mut Vec<Value>,
        ranked: (Col, (u32, u32)),
        picked: &mut Vec<u32>,
    ) -> Option<bool> {
        self.indexes.get(index)?.gather_sorted(
            self.rows_ref(),
            key,
            range,
            binds,
            out,
            ranked,
            picked,
        )
    }

    /// Asks for what a lookup of `key` in index `index` will read to be loaded into the cache
    /// (see [`Ahead`]).
    #[inline]
    pub(crate) fn prefetch(&self, index: usize, key: &[Value], stage: Ahead) {
        match self.indexes.get(index) {
            Some(ix) => ix.prefetch(self.rows_ref(), key, stage),
            None if index == DEDUP && stage == Ahead::Slot => {
                self.shared
                    .dedup
                    .prefetch(Self::fact_hash(key, Value::NONE));
            }
            None => {}
        }
    }

    /// Asks for row `r`'s values and time to be loaded into the cache.
    #[inline]
    pub(crate) fn prefetch_row(&self, r: u32) {
        let rows = &*self.shared;
        if let Some(v) = rows.data.get(r as usize * self.arity) {
            kingdon_prefetch::prefetch(v);
        }
        if let Some(t) = rows.times.get(r as usize) {
            kingdon_prefetch::prefetch(t);
        }
    }

    /// The hash by which index `index` finds `key`, and in whose order its runs lie; `None`
    /// for a lookup of the dedup table.
    #[inline]
    pub(crate) fn key_hash(&self, index: usize, key: impl Iterator<Item = Value>) -> Option<u32> {
        self.indexes.get(index).map(|ix| ix.hash(key))
    }

    /// The argument values and time of a hit's row (read from the index when it holds a
    /// copy, which is in sequence where the rows are not).
    #[inline]
    pub(crate) fn fact(&self, index: usize, hit: Hit) -> (&[Value], Value) {
        match self.indexes.get(index) {
            Some(ix) => ix.fact(self.rows_ref(), hit),
            None => (self.row(hit.row), self.time(hit.row)),
        }
    }

    /// The provenance of row `r`: that of the run it falls in.
    fn prov_of(&self, r: u32) -> Option<Prov> {
        let runs = self.prov.partition_point(|&(first, _)| first <= r);
        runs.checked_sub(1).map(|i| self.prov[i].1)
    }

    /// The step at which row `r` appeared (0 for stated facts, and when no provenance is kept).
    pub(crate) fn step(&self, r: u32) -> u32 {
        self.prov_of(r).map_or(0, |p| p.step)
    }

    /// The rule that derived row `r`, if provenance is kept and the row is derived.
    pub(crate) fn rule(&self, r: u32) -> Option<u32> {
        self.prov_of(r)
            .map(|p| p.rule)
            .filter(|&rule| rule != Prov::BASE.rule)
    }

    /// Forgets the provenance of every row (for an evaluation that keeps none).
    pub(crate) fn clear_provenance(&mut self) {
        self.prov = Vec::new();
    }

    /// Heap bytes held, by component.
    pub(crate) fn memory(&self) -> Memory {
        let table = RowTable::bytes;
        Memory {
            rows: self.shared.data.capacity() * std::mem::size_of::<Value>(),
            times: self.shared.times.capacity() * std::mem::size_of::<Value>(),
            provenance: self.prov.capacity() * std::mem::size_of::<(u32, Prov)>(),
            dedup: table(&self.shared.dedup),
            indexes: self.indexes.iter().map(Index::bytes).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: u32) -> Value {
        Value(n)
    }

    /// The rows a lookup of `key` finds, in order, each checked against its values.
    fn rows_of(r: &Relation, index: usize, key: &[Value]) -> Vec<u32> {
        let mut rows = Vec::new();
        let mut at = r.first(index, key);
        while let Some(hit) = at {
            let (values, time) = r.fact(index, hit);
            assert_eq!((values, time), (r.row(hit.row), r.time(hit.row)));
            rows.push(hit.row);
            at = r.next(index, hit, key);
        }
        rows
    }

    #[test]
    fn dedup_and_chains() {
        let mut first_timed = Relation::new(1);
        first_timed.insert(&[v(1)], v(7), Prov::BASE);
        assert_eq!(first_timed.time(0), v(7));
        let mut r = Relation::new(2);
        assert!(r.insert(&[v(1), v(2)], Value::NONE, Prov::BASE));
        assert!(!r.insert(&[v(1), v(2)], Value::NONE, Prov::BASE));
        assert!(r.insert(&[v(1), v(2)], v(9), Prov::BASE));
        let ix = r.ensure_index(&[Col::Arg(0)]);
        assert!(r.insert(&[v(1), v(3)], Value::NONE, Prov::BASE));
        assert!(r.insert(&[v(4), v(3)], Value::NONE, Prov::BASE));
        assert_eq!(rows_of(&r, ix, &[v(1)]), [2, 1, 0]);
        assert_eq!(r.time(0), Value::NONE);
        assert_eq!(r.time(1), v(9));
        let t = r.ensure_index(&[Col::Time]);
        assert_eq!(rows_of(&r, t, &[v(9)]), [1]);
        let mut timeless = Relation::new(2);
        timeless.insert(&[v(1), v(2)], Value::NONE, Prov::BASE);
        let whole = timeless.ensure_lookup(&[Col::Arg(0), Col::Arg(1)]);
        assert_eq!(rows_of(&timeless, whole, &[v(1), v(2)]), [0]);
        assert!(rows_of(&timeless, whole, &[v(2), v(1)]).is_empty());
        assert_ne!(
            r.ensure_lookup(&[Col::Arg(0), Col::Arg(1)]),
            DEDUP,
            "a timed relation needs an index"
        );
    }

    /// An index in runs finds what a chain finds, newest first, for keys of one and of two
    /// columns (whose hashes may collide) and of the time; adding a row turns it back into a
    /// chain that finds the new row too.
    #[test]
    fn runs_find_what_chains_find() {
        let in_runs = |r: &mut Relation, cols: &[Col]| {
            let i = r.ensure_later(cols);
            r.freeze(i);
            i
        };
        let mut r = Relation::new(2);
        for i in 0..500u32 {
            let time = if i % 3 == 0 {
                Value::NONE
            } else {
                v(1000 + i % 7)
            };
            r.insert(&[v(i % 13), v(i % 5)], time, Prov::BASE);
        }
        let mut runs = r.clone();
        for cols in [
            &[Col::Arg(0)][..],
            &[Col::Arg(1), Col::Arg(0)],
            &[Col::Time],
        ] {
            let chain = r.ensure_index(cols);
            let mut later = r.clone();
            later.indexes.clear();
            let pending = later.ensure_later(cols);
            let frozen = in_runs(&mut runs, cols);
            for a in 0..14 {
                for b in 0..6 {
                    let key = match cols.len() {
                        1 if cols[0] == Col::Time => vec![v(1000 + a % 8)],
                        1 => vec![v(a)],
                        _ => vec![v(b), v(a)],
                    };
                    let expected = rows_of(&r, chain, &key);
                    assert_eq!(expected, rows_of(&runs, frozen, &key), "{cols:?} {key:?}");
                    assert_eq!(expected, rows_of(&later, pending, &key), "{cols:?} {key:?}");
                }
            }
        }
        let ix = in_runs(&mut runs, &[Col::Arg(0)]);
        assert!(runs.insert(&[v(4), v(9)], Value::NONE, Prov::BASE));
        let found = rows_of(&runs, ix, &[v(4)]);
        let chain = r.ensure_index(&[Col::Arg(0)]);
        assert_eq!(found.first(), Some(&(runs.len() as u32 - 1)));
        assert_eq!(found[1..], rows_of(&r, chain, &[v(4)]));
    }

    /// Runs laid out by the radix sort (thousands of rows) find what chains find, keys of two
    /// columns whose hashes collide included (their rows interleaved in row order).
    #[test]
    fn large_runs_keep_colliding_keys_apart() {
        // Two keys of two values with one hash, found by trying (a birthday search).
        let mut seen = std::collections::HashMap::new();
        let (k1, k2) = (0..1u32 << 20)
            .find_map(|a| {
                let key = [v(a), v(7)];
                let h = hash_values(key.iter().copied());
                seen.insert(h, key)
                    .filter(|other| *other != key)
                    .map(|other| (other, key))
            })
            .expect("a collision among a million keys of 32-bit hashes");
        let mut r = Relation::new(3);
        for i in 0..6000u32 {
            let key = match i % 3 {
                0 => k1,
                1 => k2,
                _ => [v(i % 97), v(i % 5)],
            };
            r.insert(&[key[0], key[1], v(i)], Value::NONE, Prov::BASE);
        }
        let cols = [Col::Arg(0), Col::Arg(1)];
        let chain = r.ensure_index(&cols);
        let mut runs = r.clone();
        runs.indexes.clear();
        let frozen = runs.ensure_later(&cols);
        runs.freeze(frozen);
        let mut keys = vec![k1.to_vec(), k2.to_vec()];
        keys.extend((0..97).map(|a| vec![v(a), v(a % 5)]));
        for key in keys {
            let expected = rows_of(&r, chain, &key);
            assert_eq!(expected, rows_of(&runs, frozen, &key), "{key:?}");
        }
        assert_eq!(rows_of(&runs, frozen, &k1).len(), 2000);
    }

    #[test]
    fn clones_share_rows_until_one_adds() {
        let mut stated = Relation::new(1);
        stated.insert(&[v(1)], Value::NONE, Prov::BASE);
        let mut evaluated = stated.clone();
        assert!(Arc::ptr_eq(&stated.shared, &evaluated.shared));
        evaluated.ensure_index(&[Col::Arg(0)]);
        assert!(evaluated.contains(&[v(1)], Value::NONE));
        assert!(
            Arc::ptr_eq(&stated.shared, &evaluated.shared),
            "an index is the clone's own"
        );
        evaluated.insert(&[v(2)], Value::NONE, Prov::BASE);
        assert!(!Arc::ptr_eq(&stated.shared, &evaluated.shared));
        assert_eq!((stated.len(), evaluated.len()), (1, 2));
        assert!(!stated.contains(&[v(2)], Value::NONE));
        let mut batch = Batch::default();
        batch.push(&[v(1)], Value::NONE);
        assert!(!stated.any_new(&batch));
        batch.push(&[v(3)], Value::NONE);
        assert!(stated.any_new(&batch));
    }
}
