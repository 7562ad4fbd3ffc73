//! A hash table of row numbers for relations: open addressing with linear probing, each slot
//! holding a row number and the 32-bit hash of its key. Probing reads one array, so finding or
//! adding a key costs one cache miss where a table with separate control bytes costs two; and
//! growing never reads rows, because the hashes are kept.
//!
//! A key's home slot is given by the top bits of its spread hash, so slot order is hash order
//! at every size: growing walks the old array and fills the new one front to back, touching
//! memory in sequence instead of at random. And [`RowTable::prefetch`] lets a caller that has many
//! keys to add load their slots ahead of the probes, so that the misses of a table larger than
//! the caches overlap instead of following one another.

/// A slot: a row number (or [`EMPTY`]) and its key's hash.
#[derive(Clone, Copy, Debug)]
struct Slot {
    row: u32,
    hash: u32,
}

/// The row number of an empty slot (rows are numbered below it).
const EMPTY: u32 = u32::MAX;

/// Row numbers found by the hash of their key; what "equal key" means is the caller's.
#[derive(Clone, Debug, Default)]
pub(crate) struct RowTable {
    slots: Vec<Slot>,
    len: usize,
    /// The most rows before the table grows: 3/4 of the slots, or up to 7/8 when the table
    /// was sized for a number of rows given ahead (see [`RowTable::reserve_exact`]).
    room: usize,
    /// `64 - log2(slots.len())`: the shift that leaves a spread hash's top bits.
    shift: u32,
}

/// Where a hash starts probing, given the table's `shift`: the top bits of a multiplicative
/// spread (Fibonacci hashing), so that nearby hashes land far apart and doubling the table
/// sends slot `i` to slot `2i` or `2i + 1`.
#[inline]
fn home(hash: u32, shift: u32) -> usize {
    let spread = u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (spread >> shift) as usize
}

impl RowTable {
    /// A table with room for `n` rows before it grows.
    pub(crate) fn with_capacity(n: usize) -> RowTable {
        let mut t = RowTable::default();
        t.reserve_exact(n);
        t
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
    }

    /// The row with this hash whose key `same` accepts.
    #[inline]
    pub(crate) fn find(&self, hash: u32, mut same: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = home(hash, self.shift);
        loop {
            let slot = self.slots[i];
            if slot.row == EMPTY {
                return None;
            }
            if slot.hash == hash && same(slot.row) {
                return Some(slot.row);
            }
            i = (i + 1) & mask;
        }
    }

    /// The row with this hash whose key `same` accepts; if there is none, `row` is added
    /// under this hash and `None` returned.
    #[inline(always)]
    pub(crate) fn find_or_insert(
        &mut self,
        hash: u32,
        mut same: impl FnMut(u32) -> bool,
        row: u32,
    ) -> Option<u32> {
        self.reserve(1);
        let mask = self.slots.len() - 1;
        let mut i = home(hash, self.shift);
        loop {
            let slot = self.slots[i];
            if slot.row == EMPTY {
                self.slots[i] = Slot { row, hash };
                self.len += 1;
                return None;
            }
            if slot.hash == hash && same(slot.row) {
                return Some(slot.row);
            }
            i = (i + 1) & mask;
        }
    }

    /// Replaces the row stored for the key of `old` (found by its hash) with `new`.
    #[inline]
    pub(crate) fn replace(&mut self, hash: u32, old: u32, new: u32) {
        let mask = self.slots.len() - 1;
        let mut i = home(hash, self.shift);
        while self.slots[i].row != old {
            debug_assert_ne!(
                self.slots[i].row, EMPTY,
                "the row to replace is in the table"
            );
            i = (i + 1) & mask;
        }
        self.slots[i].row = new;
    }

    /// Makes room for `n` more rows without growing in between. A table that grows is
    /// filled to 3/4 at most: past that, linear probes run long (an absent key's probe
    /// reads about `(1 + 1 / (1 - load)²) / 2` slots, 32 at 7/8).
    #[inline]
    pub(crate) fn reserve(&mut self, n: usize) {
        self.make_room(n, (3, 4));
    }

    /// Makes room for `n` more rows, the last rows the table is expected to take: filled to
    /// 7/8 at most, a table that will not grow again is half the size of one that may
    /// (whose probes run longer past 3/4, but only over its last rows).
    pub(crate) fn reserve_exact(&mut self, n: usize) {
        self.make_room(n, (7, 8));
    }

    /// Grows the table, if it must, to the fewest slots that hold `n` more rows filled to
    /// `full` (a fraction); from then on it grows past 3/4 of them or past those rows.
    #[inline]
    fn make_room(&mut self, n: usize, full: (usize, usize)) {
        let want = self.len + n;
        if want > self.room {
            self.grow(want, full);
        }
    }

    /// [`RowTable::make_room`] when the table must grow to hold `want` rows.
    #[cold]
    fn grow(&mut self, want: usize, (num, den): (usize, usize)) {
        let capacity = want
            .saturating_mul(den)
            .div_ceil(num)
            .next_power_of_two()
            .max(16);
        self.resize(capacity);
        self.room = (capacity / 4 * 3).max(want);
    }

    /// Asks for the slots a probe for `hash` will read to be loaded into the cache
    /// ([`kingdon_prefetch::prefetch`]: the loads start, nothing waits for them), so that a
    /// probe soon after hits the cache. Near the maximum load a probe runs on past the home
    /// slot's cache line, so the next line is asked for too.
    #[inline]
    pub(crate) fn prefetch(&self, hash: u32) {
        /// Slots in a 64-byte cache line.
        const LINE: usize = 64 / std::mem::size_of::<Slot>();
        if self.slots.is_empty() {
            return;
        }
        let i = home(hash, self.shift);
        kingdon_prefetch::prefetch(&self.slots[i]);
        kingdon_prefetch::prefetch(&self.slots[(i + LINE) & (self.slots.len() - 1)]);
    }

    /// The row with this hash, when equal hashes are equal keys: no key is compared, so only
    /// the table is read.
    #[inline]
    pub(crate) fn find_hash(&self, hash: u32) -> Option<u32> {
        self.find(hash, |_| true)
    }

    /// Moves every row to a table of `capacity` slots (a power of two). Old slots are read in
    /// order and, homes being hash order, land in the new array in order too.
    fn resize(&mut self, capacity: usize) {
        let old = std::mem::replace(
            &mut self.slots,
            vec![
                Slot {
                    row: EMPTY,
                    hash: 0
                };
                capacity
            ],
        );
        self.shift = 64 - capacity.trailing_zeros();
        let mask = capacity - 1;
        for slot in old.into_iter().filter(|s| s.row != EMPTY) {
            let mut i = home(slot.hash, self.shift);
            while self.slots[i].row != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RowTable;

    #[test]
    fn rows_are_found_by_hash_and_key_through_growth() {
        let mut t = RowTable::default();
        // Keys are row / 2: every other insert finds the earlier row of its key.
        let key = |row: u32| row / 2;
        let hash = |k: u32| k % 7; // many collisions on purpose
        for row in 0..1000u32 {
            let k = key(row);
            let found = t.find_or_insert(hash(k), |r| key(r) == k, row);
            assert_eq!(found, (row % 2 == 1).then(|| row - 1), "row {row}");
        }
        for k in 0..500u32 {
            assert_eq!(t.find(hash(k), |r| key(r) == k), Some(2 * k));
        }
        assert_eq!(t.find(hash(500), |r| key(r) == 500), None);
        t.replace(hash(3), 6, 7);
        assert_eq!(t.find(hash(3), |r| key(r) == 3), Some(7));
        assert_eq!(RowTable::with_capacity(0).find(1, |_| true), None);
    }

    #[test]
    fn a_growing_table_fills_to_three_quarters_and_one_sized_ahead_to_seven_eighths() {
        let slot = std::mem::size_of::<super::Slot>();
        // Adds rows up to `rows` (each its own key).
        let fill = |t: &mut RowTable, rows: u32| {
            for row in t.len as u32..rows {
                assert_eq!(t.find_or_insert(row, |_| false, row), None);
            }
        };
        let mut growing = RowTable::default();
        fill(&mut growing, 96);
        assert_eq!(growing.bytes(), 128 * slot, "96 rows are 3/4 of 128 slots");
        fill(&mut growing, 97);
        assert_eq!(
            growing.bytes(),
            256 * slot,
            "the 97th row doubles the table"
        );
        let mut ahead = RowTable::with_capacity(112);
        fill(&mut ahead, 112);
        assert_eq!(ahead.bytes(), 128 * slot, "112 rows are 7/8 of 128 slots");
        fill(&mut ahead, 113);
        assert_eq!(ahead.bytes(), 256 * slot);
    }
}
