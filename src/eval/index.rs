//! Indexes on column subsets of a relation, in one of two layouts.
//!
//! A *chain* serves a relation that still grows: a table maps each key to its newest row, and
//! each row links to the previous row with the same key. Appending a row costs one probe, and
//! a lookup walks the chain newest first, so restricting it to a range of rows (a delta) is
//! cheap.
//!
//! *Runs* serve a relation that is complete (one no rule derives, or one a lower stratum has
//! finished): each key's rows lie side by side, newest first, each entry with a copy of its
//! row's values and time. Reading a key's rows then reads memory in sequence, where a chain
//! costs a cache miss for each link and two more for the row it points to, which on a
//! relation larger than the caches is most of a join's time. An index in runs that is asked
//! to take a row goes back to a chain first.

use super::table::RowTable;
use super::value::Value;

/// A column of a relation: an argument by position (the checker bounds arities well below
/// `u16::MAX`), or the fact's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Col {
    /// The argument at this position.
    Arg(u16),
    /// The fact's time.
    Time,
}

impl Col {
    /// This column's value in a fact of arguments `row` at time `time`.
    #[inline]
    pub(crate) fn of(self, row: &[Value], time: Value) -> Value {
        match self {
            Col::Time => time,
            Col::Arg(c) => row[c as usize],
        }
    }
}

/// Mixes values into a 32-bit hash (a multiply-fold in the style of FxHash, with a final
/// mix so that all bits vary).
#[inline]
pub(crate) fn hash_values(values: impl IntoIterator<Item = Value>) -> u32 {
    finish(values.into_iter().fold(HASH_SEED, mix))
}

/// Where [`hash_values`] starts.
pub(crate) const HASH_SEED: u64 = 0x243F_6A88_85A3_08D3;

/// One step of [`hash_values`]: the hash so far with `v` mixed in.
#[inline]
pub(crate) fn mix(h: u64, v: Value) -> u64 {
    let h = (h ^ u64::from(v.0)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^ (h >> 29)
}

/// The last step of [`hash_values`]: the 32 bits it answers.
#[inline]
pub(crate) fn finish(h: u64) -> u32 {
    (h ^ (h >> 32)) as u32
}

/// A 32-bit hash spread over 64 bits, for a `hashbrown` table: it tags each slot with the
/// hash's top 7 bits, which a hash widened with zeros would leave the same for every key.
#[inline]
pub(crate) fn wide(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The values of columns `cols` of row `r`.
#[inline]
fn key_of<'k>(cols: &'k [Col], rows: RowsRef<'k>, r: u32) -> impl Iterator<Item = Value> + 'k {
    cols.iter().map(move |&c| rows.col(r, c))
}

/// The rows past which a relation is taken to lie outside the caches: its index is laid out
/// in runs (below it a chain reads as quickly and needs no sort and no copy). Lookups are
/// loaded ahead from far fewer rows on (`Lookahead::MIN_LOOKED_UP` in `exec`). The crate's
/// own tests lay out in runs all but the smallest relations, so that the random programs
/// checked against the naive evaluator read runs and their sorted views too.
#[cfg(not(test))]
pub(crate) const LARGE: usize = 1 << 18;
#[cfg(test)]
pub(crate) const LARGE: usize = 8;

/// End of an index chain.
const END: u32 = u32::MAX;

/// The entry of a hit that came from a relation's own rows, not from runs.
const NO_ENTRY: u32 = u32::MAX;

/// The rows an index reads: `arity` values a row, and one time a row (`times` is empty while
/// every row is timeless).
#[derive(Clone, Copy)]
pub(crate) struct RowsRef<'a> {
    pub data: &'a [Value],
    pub times: &'a [Value],
    pub arity: usize,
    /// How many rows there are.
    pub len: u32,
}

impl<'a> RowsRef<'a> {
    /// The time of row `r` ([`Value::NONE`] for a timeless row).
    #[inline]
    pub(crate) fn time(&self, r: u32) -> Value {
        self.times.get(r as usize).copied().unwrap_or(Value::NONE)
    }

    /// The value in column `c` of row `r`.
    #[inline]
    pub(crate) fn col(&self, r: u32, c: Col) -> Value {
        match c {
            Col::Time => self.time(r),
            Col::Arg(c) => self.data[r as usize * self.arity + c as usize],
        }
    }

    /// The argument values of row `r`.
    #[inline]
    pub(crate) fn row(&self, r: u32) -> &'a [Value] {
        let start = r as usize * self.arity;
        &self.data[start..start + self.arity]
    }
}

/// Appends a gathered row to `out`: its number `r`, its `time` and the values of the columns
/// `binds` names in its arguments `values` (see [`Index::gather`]).
#[inline(always)]
pub(crate) fn push_gathered<R>(
    out: &mut Vec<Value>,
    r: u32,
    values: &[Value],
    time: Value,
    binds: &[(Col, R)],
) {
    match binds {
        // One value bound (the inner side of most joins): the row's three values at once.
        [(c, _)] => out.extend_from_slice(&[Value(r), time, c.of(values, time)]),
        _ => {
            out.extend_from_slice(&[Value(r), time]);
            out.extend(binds.iter().map(|(c, _)| c.of(values, time)));
        }
    }
}

/// `hash << 32 | u32::MAX - row` for each of the first `n` rows, sorted: by hash, then newest
/// row first. A stable radix sort, a byte of the hash a pass, of the rows taken newest first:
/// four passes over memory in sequence, where a comparison sort of millions of rows costs
/// several times as many steps.
fn sorted_by_hash(n: u32, hash: impl Fn(u32) -> u32) -> Vec<u64> {
    let mut order: Vec<u64> = (0..n)
        .rev()
        .map(|r| u64::from(hash(r)) << 32 | u64::from(u32::MAX - r))
        .collect();
    if order.len() < 1 << 12 {
        order.sort_unstable();
        return order;
    }
    let mut out = vec![0u64; order.len()];
    for shift in [32, 40, 48, 56] {
        let digit = |o: u64| (o >> shift) as usize & 0xFF;
        let mut at = [0usize; 256];
        for &o in &order {
            at[digit(o)] += 1;
        }
        if at.contains(&order.len()) {
            // Every hash has this byte alike: the order stands.
            continue;
        }
        let mut sum = 0;
        for slot in &mut at {
            (*slot, sum) = (sum, sum + *slot);
        }
        for &o in &order {
            let d = digit(o);
            out[at[d]] = o;
            at[d] += 1;
        }
        std::mem::swap(&mut order, &mut out);
    }
    order
}

/// A row a lookup found: its number, and where its copy lies when the index is in runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub row: u32,
    entry: u32,
}

impl Hit {
    /// A hit on a row read from the relation itself.
    pub(crate) fn row(row: u32) -> Hit {
        Hit {
            row,
            entry: NO_ENTRY,
        }
    }

    /// Whether the row's values are to be read from the relation (not from runs).
    fn in_rows(self) -> bool {
        self.entry == NO_ENTRY
    }
}

/// What a lookup's load ahead of time reads (see [`Index::prefetch`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ahead {
    /// The table slot of the key.
    Slot,
    /// The key's first entry or row (the slot being in the cache by then).
    Rows,
}

/// An index on some columns.
#[derive(Clone, Debug)]
pub(crate) struct Index {
    cols: Box<[Col]>,
    layout: Layout,
    /// Views of an index in runs with each key's entries in the order of a column (see
    /// [`Index::sort_by`]); none while the index is not in runs.
    sorted: Vec<Sorted>,
}

/// How a sorted view ranks the values of its column: as integers kept in their ids (the ids
/// keep the integers' order), or as times ([`crate::value::Time::rank`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ranks {
    Ints,
    Times,
}

/// An index in runs seen in the order of column `col`: for each entry, in the same place,
/// `rank << 32 | entry`, each key's run sorted, and where the entry's run ends. A range of
/// ranks under a key is then found by binary search (`Index::gather_sorted`) instead of by
/// reading every entry of the key.
#[derive(Clone, Debug)]
struct Sorted {
    col: Col,
    /// `None` when the column's values do not all rank alike (integers and symbols, say) or
    /// the runs are too short to search: the view is then empty, and kept only so that it is
    /// not looked for again.
    ranks: Option<Ranks>,
    order: Vec<u64>,
    ends: Vec<u32>,
}

/// A rank no value of a sorted column has below it: where a timeless fact's time goes.
const LAST_RANK: u32 = u32::MAX;

#[derive(Clone, Debug)]
enum Layout {
    /// Not built yet: the index of a relation that a later stratum reads, built when that
    /// stratum starts (see `Relation::settle`). Until then rows pass it by, and a lookup
    /// (which nothing makes before) reads every row.
    Pending,
    /// The newest row of each key, and for each row the next older row with its key.
    Chain { heads: RowTable, next: Vec<u32> },
    /// Each key's rows side by side, newest first: `starts` finds a key's first entry, and
    /// `entries` holds for each its row's number, values and time (`arity + 2` values an
    /// entry: what a lookup reads lies in one place).
    Runs {
        starts: RowTable,
        entries: Vec<Value>,
    },
}

impl Index {
    /// A chain index on `cols` over the first `n` rows.
    pub(crate) fn chain(cols: &[Col], rows: RowsRef<'_>, n: u32) -> Index {
        let mut ix = Index {
            cols: cols.into(),
            layout: Layout::Chain {
                heads: RowTable::with_capacity(n as usize),
                next: Vec::with_capacity(n as usize),
            },
            sorted: Vec::new(),
        };
        for r in 0..n {
            ix.add_row(rows, r);
        }
        ix
    }

    /// An index on `cols` that is built later (see [`Layout::Pending`]).
    pub(crate) fn pending(cols: &[Col]) -> Index {
        Index {
            cols: cols.into(),
            layout: Layout::Pending,
            sorted: Vec::new(),
        }
    }

    /// Whether the index is not built yet.
    pub(crate) fn is_pending(&self) -> bool {
        matches!(self.layout, Layout::Pending)
    }

    /// The indexed columns.
    pub(crate) fn cols(&self) -> &[Col] {
        &self.cols
    }

    /// The hash a key is filed under: for a key of one column, its value itself, so that
    /// equal hashes are equal keys and neither a lookup nor an insertion reads a row to
    /// compare (on a relation larger than the caches, a second miss saved each time). Runs
    /// are laid out in its order (see [`Index::freeze`]).
    #[inline]
    pub(crate) fn hash(&self, key: impl Iterator<Item = Value>) -> u32 {
        if self.key_is_hash() {
            key.map(|v| v.0).next().unwrap_or(0)
        } else {
            hash_values(key)
        }
    }

    /// Whether equal hashes are equal keys (see [`Index::hash`]).
    #[inline]
    fn key_is_hash(&self) -> bool {
        self.cols.len() == 1
    }

    /// The key of row `r`: the values of the indexed columns.
    #[inline]
    fn key_of<'k>(&'k self, rows: RowsRef<'k>, r: u32) -> impl Iterator<Item = Value> + 'k {
        key_of(&self.cols, rows, r)
    }

    /// Enters row `r` of `rows` as the newest of its key. An index in runs goes back to a
    /// chain over the rows before `r` first.
    pub(crate) fn add_row(&mut self, rows: RowsRef<'_>, r: u32) {
        match self.layout {
            Layout::Pending => return,
            Layout::Runs { .. } => *self = Index::chain(&self.cols, rows, r),
            Layout::Chain { .. } => {}
        }
        let hash = self.hash(self.key_of(rows, r));
        let one = self.key_is_hash();
        let Index { cols, layout, .. } = self;
        let same = |old: u32| one || cols.iter().all(|&c| rows.col(old, c) == rows.col(r, c));
        let Layout::Chain { heads, next } = layout else {
            return;
        };
        match heads.find_or_insert(hash, same, r) {
            Some(old) => {
                heads.replace(hash, old, r);
                next.push(old);
            }
            None => next.push(END),
        }
    }

    /// The fewest entries of a run that [`Index::gather_sorted`] searches for a range: a
    /// shorter one is read whole in less time than a search takes.
    pub(crate) const SHORT: usize = 16;

    /// How many entries [`Index::sort_by`] reads to judge whether a view is worth making.
    const SAMPLE: usize = 1 << 14;

    /// Lays the index out in runs over the first `n` rows (the relation is complete). The
    /// rows are sorted by key hash, then key, then newest first, and copied in that order.
    pub(crate) fn freeze(&mut self, rows: RowsRef<'_>, n: u32) {
        let width = rows.arity + 2;
        if let Layout::Runs { entries, .. } = &self.layout {
            if entries.len() == n as usize * width {
                return;
            }
        }
        // Hash in the high half, the row reversed in the low: sorted, newest first. Sorted by
        // hash alone: a key of one column is its hash, and keys of several columns whose
        // hashes collide are put apart below (rare: the comparison of keys, a read of two rows
        // at random, is not paid on each step of the sort).
        let mut order = sorted_by_hash(n, |r| self.hash(self.key_of(rows, r)));
        let row_of = |o: u64| u32::MAX - o as u32;
        let write = |entries: &mut Vec<Value>, order: &[u64]| {
            for &o in order {
                let r = row_of(o);
                entries.push(Value(r));
                // Value by value: a copy of a few values costs less than a call of `memcpy`.
                entries.extend(rows.row(r).iter().copied());
                entries.push(rows.time(r));
            }
        };
        let mut entries = Vec::with_capacity(order.len() * width);
        write(&mut entries, &order);
        // One pass over the runs of one hash. A key of one column is its hash: the run is its
        // key's. Keys of several columns are compared, read from the entries just written in
        // sequence: a run whose entries do not all have one key (hashes that collide) is
        // sorted by key, then newest first, and written again; a key's run starts where the
        // values change.
        let one = self.key_is_hash();
        let mut firsts = Vec::new();
        let mut i = 0;
        while i < order.len() {
            let hash = order[i] >> 32;
            let end = i + order[i..].iter().take_while(|&&o| o >> 32 == hash).count();
            firsts.push(i);
            if !one {
                let entry = |k: usize| Self::entry(&entries, rows.arity, k as u32).unwrap_or(&[]);
                if (i + 1..end).any(|k| !self.same_key(entry(k), entry(i))) {
                    let key = |r: u32| self.key_of(rows, r);
                    order[i..end].sort_unstable_by(|&a, &b| {
                        key(row_of(a)).cmp(key(row_of(b))).then(a.cmp(&b))
                    });
                    let mut group = Vec::with_capacity((end - i) * width);
                    write(&mut group, &order[i..end]);
                    entries.splice(i * width..end * width, group);
                    let entry =
                        |k: usize| Self::entry(&entries, rows.arity, k as u32).unwrap_or(&[]);
                    firsts.extend((i + 1..end).filter(|&k| !self.same_key(entry(k), entry(k - 1))));
                }
            }
            i = end;
        }
        let mut starts = RowTable::with_capacity(firsts.len());
        for &i in &firsts {
            let hash = (order[i] >> 32) as u32;
            // Each key has one run: a start never meets its own key in the table.
            starts.find_or_insert(hash, |_| false, i as u32);
        }
        self.layout = Layout::Runs { starts, entries };
        self.sorted.clear();
    }

    /// Entry `entry` of an index in runs whose relation has `arity` arguments: the row's
    /// number, values and time.
    #[inline]
    fn entry(entries: &[Value], arity: usize, entry: u32) -> Option<&[Value]> {
        let at = entry as usize * (arity + 2);
        entries.get(at..at + arity + 2)
    }

    /// Whether two entries have the same key.
    #[inline]
    fn same_key(&self, a: &[Value], b: &[Value]) -> bool {
        self.cols
            .iter()
            .all(|&c| Self::entry_col(a, c) == Self::entry_col(b, c))
    }

    /// The value of column `c` in an entry.
    #[inline]
    fn entry_col(entry: &[Value], c: Col) -> Option<Value> {
        match c {
            Col::Time => entry.last().copied(),
            Col::Arg(c) => entry.get(1 + c as usize).copied(),
        }
    }

    /// Whether row `r`'s key is `key`.
    #[inline]
    fn row_is(&self, rows: RowsRef<'_>, r: u32, key: &[Value]) -> bool {
        self.cols.len() == key.len()
            && self
                .cols
                .iter()
                .zip(key)
                .all(|(&c, &k)| rows.col(r, c) == k)
    }

    /// Whether an entry's key is `key`.
    #[inline]
    fn entry_is(&self, entry: &[Value], key: &[Value]) -> bool {
        self.cols
            .iter()
            .zip(key)
            .all(|(&c, &k)| Self::entry_col(entry, c) == Some(k))
    }

    /// The newest row whose indexed columns equal `key`.
    #[inline]
    pub(crate) fn first(&self, rows: RowsRef<'_>, key: &[Value]) -> Option<Hit> {
        let hash = self.hash(key.iter().copied());
        let one = self.key_is_hash();
        match &self.layout {
            Layout::Pending => self.scan(rows, rows.len, key),
            Layout::Chain { heads, .. } => heads
                .find(hash, |row| one || self.row_is(rows, row, key))
                .map(Hit::row),
            Layout::Runs {
                starts, entries, ..
            } => {
                let arity = rows.arity;
                let same = |e| {
                    one || Self::entry(entries, arity, e).is_some_and(|at| self.entry_is(at, key))
                };
                let entry = starts.find(hash, same)?;
                let row = Self::entry(entries, arity, entry)?[0].0;
                Some(Hit { row, entry })
            }
        }
    }

    /// The next older row after `hit` with the key `key`.
    #[inline]
    pub(crate) fn next(&self, rows: RowsRef<'_>, hit: Hit, key: &[Value]) -> Option<Hit> {
        match &self.layout {
            Layout::Pending => self.scan(rows, hit.row, key),
            Layout::Chain { next, .. } => {
                let n = next[hit.row as usize];
                (n != END).then_some(Hit::row(n))
            }
            Layout::Runs { entries, .. } => {
                let entry = hit.entry + 1;
                let at = Self::entry(entries, rows.arity, entry)?;
                self.entry_is(at, key).then_some(Hit {
                    row: at[0].0,
                    entry,
                })
            }
        }
    }

    /// Appends to `out`, for the rows of rows `lo..hi` whose key is `key`, newest first, up to
    /// `most` of them: each one's number, time and the values of the columns `binds` names
    /// (from the copy when the index is in runs). Starts at `from`, a place an earlier call
    /// answered, or at the key's newest row; answers where to go on when it stopped at `most`
    /// with rows left. One walk, the key found once, where [`Index::first`] and
    /// [`Index::next`] find the layout at every row.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn gather<R>(
        &self,
        rows: RowsRef<'_>,
        key: &[Value],
        (lo, hi): (u32, u32),
        binds: &[(Col, R)],
        out: &mut Vec<Value>,
        from: Option<u32>,
        most: usize,
    ) -> Option<u32> {
        let mut taken = 0;
        match &self.layout {
            Layout::Pending => {
                // The place is the row below which rows are still to be read.
                let mut below = from.unwrap_or(hi.min(rows.len));
                while below > lo {
                    let r = below - 1;
                    below = r;
                    if self.row_is(rows, r, key) {
                        if taken == most {
                            return Some(below + 1);
                        }
                        push_gathered(out, r, rows.row(r), rows.time(r), binds);
                        taken += 1;
                    }
                }
                None
            }
            Layout::Chain { heads, next } => {
                // The place is the next row of the key's chain.
                let one = self.key_is_hash();
                let mut at = match from {
                    Some(row) => Some(row),
                    None => heads.find(self.hash(key.iter().copied()), |row| {
                        one || self.row_is(rows, row, key)
                    }),
                };
                while let Some(r) = at.filter(|&r| r >= lo) {
                    if r < hi {
                        if taken == most {
                            return Some(r);
                        }
                        push_gathered(out, r, rows.row(r), rows.time(r), binds);
                        taken += 1;
                    }
                    at = next.get(r as usize).copied().filter(|&n| n != END);
                }
                None
            }
            Layout::Runs { starts, entries } => {
                // The place is the next entry of the key's run.
                let width = rows.arity + 2;
                let first = match from {
                    Some(entry) => entry,
                    None => self.run_start(starts, entries, rows.arity, key)?,
                };
                let from = entries.get(first as usize * width..).unwrap_or(&[]);
                for (k, entry) in from.chunks_exact(width).enumerate() {
                    let [row, values @ .., time] = entry else {
                        return None;
                    };
                    if row.0 < lo || !self.entry_is(entry, key) {
                        return None;
                    }
                    if row.0 < hi {
                        if taken == most {
                            return Some(first + k as u32);
                        }
                        push_gathered(out, row.0, values, *time, binds);
                        taken += 1;
                    }
                }
                None
            }
        }
    }

    /// The first entry of the run of `key` in an index in runs.
    #[inline]
    fn run_start(
        &self,
        starts: &RowTable,
        entries: &[Value],
        arity: usize,
        key: &[Value],
    ) -> Option<u32> {
        let one = self.key_is_hash();
        let same =
            |e| one || Self::entry(entries, arity, e).is_some_and(|at| self.entry_is(at, key));
        starts.find(self.hash(key.iter().copied()), same)
    }

    /// Sees the index in the order of column `col` (see [`Sorted`]), when it is in runs, at
    /// least a quarter of its entries lie in runs of [`Index::SHORT`] entries or more (the
    /// ones a range is searched in), and every value of the column ranks alike: integers kept
    /// in their ids, or times (ranked by [`Value::time_rank`]; a timeless fact's time ranks
    /// last). Answers how the view ranks; `None` when there is no view. Made (or found not
    /// worth making) once for each column asked for.
    pub(crate) fn sort_by(&mut self, rows: RowsRef<'_>, col: Col) -> Option<Ranks> {
        let Layout::Runs { entries, .. } = &self.layout else {
            return None;
        };
        if let Some(view) = self.sorted.iter().find(|v| v.col == col) {
            return view.ranks;
        }
        let width = rows.arity + 2;
        let n = entries.len() / width;
        // Where each key's run ends. The runs lie in the order of their keys' hashes: those
        // that start in the first few thousand entries are a fair sample of them all.
        let this = &*self;
        let entry = |k: usize| Self::entry(entries, rows.arity, k as u32).unwrap_or(&[]);
        let ends = || (1..=n).filter(move |&k| k == n || !this.same_key(entry(k), entry(k - 1)));
        let (mut first, mut long) = (0, 0);
        for end in ends() {
            if end - first >= Self::SHORT {
                long += end - first;
            }
            first = end;
            if first >= Self::SAMPLE {
                break;
            }
        }
        let values = || {
            entries
                .chunks_exact(width)
                .map(move |e| Self::entry_col(e, col).unwrap_or(Value::NONE))
        };
        // How every value ranks, in one pass: as an integer, as a time, or not alike.
        let alike = |(ints, times): (bool, bool), v: Value| {
            let ints = ints && v.as_inline_int().is_some();
            let times = times && (v.time_rank().is_some() || (col == Col::Time && !v.is_some()));
            (ints || times).then_some((ints, times))
        };
        let ranks = match (long * 4 >= first).then(|| values().try_fold((true, true), alike)) {
            Some(Some((true, _))) => Some(Ranks::Ints),
            Some(Some((false, true))) => Some(Ranks::Times),
            _ => None,
        };
        let (mut order, mut run_ends) = (Vec::new(), Vec::new());
        if let Some(ranks) = ranks {
            let rank = |v: Value| match ranks {
                Ranks::Ints => v.0,
                Ranks::Times => v.time_rank().unwrap_or(LAST_RANK),
            };
            order.extend(
                values()
                    .enumerate()
                    .map(|(k, v)| u64::from(rank(v)) << 32 | k as u64),
            );
            // Each key's run sorted by rank, then entry (newest first on a tie).
            let mut first = 0;
            for end in ends() {
                if let Some(run) = order.get_mut(first..end) {
                    run.sort_unstable();
                }
                run_ends.resize(end, end as u32);
                first = end;
            }
        }
        self.sorted.push(Sorted {
            col,
            ranks,
            order,
            ends: run_ends,
        });
        ranks
    }

    /// Appends to `out`, for the rows of rows `lo..hi` whose key is `key` and whose value in
    /// column `col` ranks in `ranks` (both ends included), newest first: each one's number,
    /// time and the values of the columns `binds` names. Through the view [`Index::sort_by`]
    /// made: the run of the key is found, then the ranks in it by binary search, and only
    /// the entries in range are read (`picked` holds their places, to be put newest first).
    /// A run of fewer than [`Index::SHORT`] entries is read whole instead, by
    /// [`Index::gather`]. Answers whether only the range was read; `None`, with
    /// nothing appended, when there is no such view.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn gather_sorted<R>(
        &self,
        rows: RowsRef<'_>,
        key: &[Value],
        (lo, hi): (u32, u32),
        binds: &[(Col, R)],
        out: &mut Vec<Value>,
        (col, ranks): (Col, (u32, u32)),
        picked: &mut Vec<u32>,
    ) -> Option<bool> {
        let (Layout::Runs { starts, entries }, Some(view)) = (
            &self.layout,
            self.sorted
                .iter()
                .find(|v| v.col == col && v.ranks.is_some()),
        ) else {
            return None;
        };
        let Some(start) = self.run_start(starts, entries, rows.arity, key) else {
            return Some(true);
        };
        let first = start as usize;
        let end = view.ends.get(first).map_or(first, |&end| end as usize);
        if end - first < Self::SHORT {
            self.gather(rows, key, (lo, hi), binds, out, Some(start), usize::MAX);
            return Some(false);
        }
        let run = view.order.get(first..end).unwrap_or(&[]);
        let rank = |o: &u64| (*o >> 32) as u32;
        let from = run.partition_point(|o| rank(o) < ranks.0);
        picked.clear();
        let inside = run.get(from..).unwrap_or(&[]).iter();
        picked.extend(inside.take_while(|o| rank(o) <= ranks.1).map(|&o| o as u32));
        picked.sort_unstable();
        for &k in picked.iter() {
            if let Some([row, values @ .., time]) = Self::entry(entries, rows.arity, k) {
                if (lo..hi).contains(&row.0) {
                    push_gathered(out, row.0, values, *time, binds);
                }
            }
        }
        Some(true)
    }

    /// The newest row before row `before` whose key is `key`, read row by row (an index not
    /// built yet).
    fn scan(&self, rows: RowsRef<'_>, before: u32, key: &[Value]) -> Option<Hit> {
        (0..before)
            .rev()
            .find(|&r| self.row_is(rows, r, key))
            .map(Hit::row)
    }

    /// The values and time of a hit's row, from the copy when the index is in runs and the
    /// hit came from it.
    #[inline]
    pub(crate) fn fact<'a>(&'a self, rows: RowsRef<'a>, hit: Hit) -> (&'a [Value], Value) {
        if let (Layout::Runs { entries, .. }, false) = (&self.layout, hit.in_rows()) {
            if let Some([_, values @ .., time]) = Self::entry(entries, rows.arity, hit.entry) {
                return (values, *time);
            }
        }
        (rows.row(hit.row), rows.time(hit.row))
    }

    /// Asks for what a lookup of `key` will read to be loaded into the cache: at stage
    /// [`Ahead::Slot`] the table's slot, at [`Ahead::Rows`] (once the slot is in the cache,
    /// read to find it) the key's first entry or row. A key of several columns is compared on
    /// lookup, so for it only the slot is asked for.
    #[inline]
    pub(crate) fn prefetch(&self, rows: RowsRef<'_>, key: &[Value], stage: Ahead) {
        let hash = self.hash(key.iter().copied());
        let table = match &self.layout {
            Layout::Pending => return,
            Layout::Chain { heads, .. } => heads,
            Layout::Runs { starts, .. } => starts,
        };
        let first = match stage {
            Ahead::Slot => return table.prefetch(hash),
            Ahead::Rows if self.key_is_hash() => table.find_hash(hash),
            Ahead::Rows => None,
        };
        let Some(at) = first else {
            return;
        };
        let wanted = match &self.layout {
            Layout::Runs { entries, .. } => entries.get(at as usize * (rows.arity + 2)),
            _ => rows.data.get(at as usize * rows.arity),
        };
        if let Some(value) = wanted {
            kingdon_prefetch::prefetch(value);
        }
        // A ranged walk reads where the run ends, then searches the run's ranks: the first
        // lines of them are loaded too (a run worth a search has 16 entries or more).
        for view in &self.sorted {
            if let Some(end) = view.ends.get(at as usize) {
                kingdon_prefetch::prefetch(end);
                for line in (at as usize..).step_by(8).take(4) {
                    if let Some(order) = view.order.get(line) {
                        kingdon_prefetch::prefetch(order);
                    }
                }
            }
        }
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        let views: usize = (self.sorted.iter())
            .map(|v| v.order.capacity() * 8 + v.ends.capacity() * 4)
            .sum();
        views
            + match &self.layout {
                Layout::Pending => 0,
                Layout::Chain { heads, next } => heads.bytes() + next.capacity() * 4,
                Layout::Runs {
                    starts, entries, ..
                } => starts.bytes() + entries.capacity() * 4,
            }
    }
}
