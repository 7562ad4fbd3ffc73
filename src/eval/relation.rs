//! Relations: rows of interned values stored flat, a deduplicating hash table, and indexes on
//! column subsets. Rows are only appended during evaluation, so the facts new in an iteration
//! (a delta) are a range of row numbers, and no delta is ever copied.
//!
//! An index maps a key (the values of some columns) to the newest row with that key; each row
//! links to the previous row with the same key. A lookup walks that chain newest first, which
//! makes restricting it to a row range cheap and costs no allocation per key.

use hashbrown::HashTable;

use super::value::Value;

/// The column number that stands for a row's time in an index's columns.
pub(crate) const TIME_COL: u16 = u16::MAX;

/// End of an index chain.
const END: u32 = u32::MAX;

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

/// Mixes values into a 64-bit hash (a multiply-fold in the style of FxHash, with a final
/// mix so that the high bits, which the table uses as tags, vary).
#[inline]
pub(crate) fn hash_values(values: impl IntoIterator<Item = Value>) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for v in values {
        h = (h ^ u64::from(v.0)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 29;
    }
    h ^ (h >> 32)
}

#[derive(Clone, Debug)]
struct Index {
    cols: Box<[u16]>,
    heads: HashTable<u32>,
    next: Vec<u32>,
}

/// One predicate's rows.
#[derive(Clone, Debug)]
pub(crate) struct Relation {
    arity: usize,
    data: Vec<Value>,
    /// One time per row, or empty while every row is timeless.
    times: Vec<Value>,
    prov: Vec<Prov>,
    dedup: HashTable<u32>,
    indexes: Vec<Index>,
}

impl Relation {
    pub(crate) fn new(arity: usize) -> Relation {
        Relation {
            arity,
            data: Vec::new(),
            times: Vec::new(),
            prov: Vec::new(),
            dedup: HashTable::new(),
            indexes: Vec::new(),
        }
    }

    pub(crate) fn arity(&self) -> usize {
        self.arity
    }

    pub(crate) fn len(&self) -> usize {
        self.prov.len()
    }

    #[inline]
    pub(crate) fn row(&self, r: u32) -> &[Value] {
        let start = r as usize * self.arity;
        &self.data[start..start + self.arity]
    }

    #[inline]
    pub(crate) fn time(&self, r: u32) -> Value {
        self.times.get(r as usize).copied().unwrap_or(Value::NONE)
    }

    pub(crate) fn prov(&self, r: u32) -> Prov {
        self.prov[r as usize]
    }

    /// The value in column `col` of row `r` (`TIME_COL` for the time).
    #[inline]
    fn col(&self, r: u32, col: u16) -> Value {
        if col == TIME_COL {
            self.time(r)
        } else {
            self.data[r as usize * self.arity + col as usize]
        }
    }

    /// The hash identifying a fact (its arguments and time).
    #[inline]
    pub(crate) fn fact_hash(args: &[Value], time: Value) -> u64 {
        hash_values(args.iter().copied().chain(std::iter::once(time)))
    }

    /// Whether the fact is present.
    pub(crate) fn contains(&self, args: &[Value], time: Value, hash: u64) -> bool {
        self.dedup
            .find(hash, |&r| self.row(r) == args && self.time(r) == time)
            .is_some()
    }

    /// Adds a fact known to be absent (`hash` from [`Relation::fact_hash`]).
    pub(crate) fn push_new(&mut self, args: &[Value], time: Value, prov: Prov, hash: u64) -> u32 {
        debug_assert_eq!(args.len(), self.arity);
        let r = self.prov.len() as u32;
        self.data.extend_from_slice(args);
        if time.is_some() || !self.times.is_empty() {
            self.times.resize(r as usize, Value::NONE);
            self.times.push(time);
        }
        self.prov.push(prov);
        let (data, times, arity) = (&self.data, &self.times, self.arity);
        let rehash = |&row: &u32| {
            let s = row as usize * arity;
            let t = times.get(row as usize).copied().unwrap_or(Value::NONE);
            Self::fact_hash(&data[s..s + arity], t)
        };
        self.dedup.insert_unique(hash, r, rehash);
        for i in 0..self.indexes.len() {
            self.index_row(i, r);
        }
        r
    }

    /// Adds a fact unless present; returns whether it was new.
    pub(crate) fn insert(&mut self, args: &[Value], time: Value, prov: Prov) -> bool {
        let hash = Self::fact_hash(args, time);
        if self.contains(args, time, hash) {
            return false;
        }
        self.push_new(args, time, prov, hash);
        true
    }

    /// The index on exactly `cols`, built now if it does not exist yet.
    pub(crate) fn ensure_index(&mut self, cols: &[u16]) -> usize {
        if let Some(i) = self.indexes.iter().position(|ix| &*ix.cols == cols) {
            return i;
        }
        self.indexes.push(Index {
            cols: cols.into(),
            heads: HashTable::with_capacity(self.len()),
            next: Vec::with_capacity(self.len()),
        });
        let i = self.indexes.len() - 1;
        for r in 0..self.len() as u32 {
            self.index_row(i, r);
        }
        i
    }

    fn key_hash(&self, r: u32, cols: &[u16]) -> u64 {
        hash_values(cols.iter().map(|&c| self.col(r, c)))
    }

    fn index_row(&mut self, i: usize, r: u32) {
        let hash = self.key_hash(r, &self.indexes[i].cols);
        let ix = &self.indexes[i];
        let cols = &ix.cols;
        let found = ix
            .heads
            .find(hash, |&h| {
                cols.iter().all(|&c| self.col(h, c) == self.col(r, c))
            })
            .copied();
        let previous = found.unwrap_or(END);
        let (data, times, arity) = (&self.data, &self.times, self.arity);
        let ix = &mut self.indexes[i];
        ix.next.push(previous);
        let cols = &ix.cols;
        let col = |row: u32, c: u16| {
            if c == TIME_COL {
                times.get(row as usize).copied().unwrap_or(Value::NONE)
            } else {
                data[row as usize * arity + c as usize]
            }
        };
        match found {
            Some(old) => {
                let head = ix
                    .heads
                    .find_mut(hash, |&h| h == old)
                    .expect("the head just found");
                *head = r;
            }
            None => {
                ix.heads
                    .insert_unique(hash, r, |&h| hash_values(cols.iter().map(|&c| col(h, c))));
            }
        }
    }

    /// The newest row whose indexed columns equal `key`, or `None`.
    #[inline]
    pub(crate) fn lookup(&self, index: usize, key: &[Value]) -> Option<u32> {
        let ix = &self.indexes[index];
        let hash = hash_values(key.iter().copied());
        ix.heads
            .find(hash, |&h| {
                ix.cols.iter().zip(key).all(|(&c, &k)| self.col(h, c) == k)
            })
            .copied()
    }

    /// The next older row with the same key as row `r` in index `index`.
    #[inline]
    pub(crate) fn next_in_chain(&self, index: usize, r: u32) -> Option<u32> {
        let n = self.indexes[index].next[r as usize];
        (n != END).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(n: u32) -> Value {
        Value(n)
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
        let ix = r.ensure_index(&[0]);
        assert!(r.insert(&[v(1), v(3)], Value::NONE, Prov::BASE));
        assert!(r.insert(&[v(4), v(3)], Value::NONE, Prov::BASE));
        let mut rows = Vec::new();
        let mut at = r.lookup(ix, &[v(1)]);
        while let Some(row) = at {
            rows.push(row);
            at = r.next_in_chain(ix, row);
        }
        assert_eq!(rows, [2, 1, 0]);
        assert_eq!(r.time(0), Value::NONE);
        assert_eq!(r.time(1), v(9));
        let t = r.ensure_index(&[TIME_COL]);
        assert_eq!(r.lookup(t, &[v(9)]), Some(1));
    }
}
