//! The visited set: every state found so far, as a 64-bit fingerprint and a 32-bit link to
//! its parent, in 12 bytes a slot and at least 75 % full: at most 16 bytes a state.
//!
//! # Layout
//!
//! The fingerprints are cut into [`SHARDS`] shards by their top bits, so that the commit
//! of a level runs shard by shard in parallel. Each shard is an open-addressing table
//! with *ordered linear probing*: a fingerprint's home slot is its position scaled to the
//! table (`fp · capacity / 2⁶⁴` within the shard), and the occupied slots are kept sorted
//! by fingerprint, so a lookup stops at the first empty slot or the first larger
//! fingerprint. Both successful and failed lookups then read a few neighbouring slots,
//! even at 90 % load. Slots do not wrap around: the table grows past its end if a run
//! needs it.
//!
//! # Parent links
//!
//! A state's parent is stored as the top 32 bits of the parent's fingerprint (its *tag*;
//! 0 for an initial state, which no fingerprint has). A tag is stable when the table
//! grows or shifts slots, costs 4 bytes, and finds the parent again: the fingerprints with
//! a given top half sit next to each other in the sorted table. Several states may share a
//! tag (about `n / 2³²` per tag): [`Visited::with_tag`] returns every candidate, and the
//! trace rebuilder keeps the one the model's own steps lead through, so traces are exact.
//!
//! With liveness checking, each slot also keeps the state's number in breadth-first order
//! (4 more bytes), so that edges can name their target.

/// Number of shards: enough to commit a level on every core in parallel.
pub(crate) const SHARDS: usize = 64;
const SHARD_BITS: u32 = SHARDS.trailing_zeros();

/// A table grows when an insertion would fill it beyond this fraction...
const MAX_LOAD: f64 = 0.9;
/// ...to this fraction, so that 12-byte slots cost at most 12 / 0.76 < 16 bytes a state.
const TARGET_LOAD: f64 = 0.8;
/// Slots of a shard before the first state arrives.
const MIN_CAPACITY: usize = 16;

/// The shard a fingerprint lives in.
fn shard_of(fp: u64) -> usize {
    (fp >> (64 - SHARD_BITS)) as usize
}

/// The tag of a fingerprint: its top half, never 0.
pub(crate) fn tag_of(fp: u64) -> u32 {
    (fp >> 32) as u32
}

/// One shard: parallel arrays of slots.
#[derive(Default)]
struct Shard {
    /// Fingerprints, 0 for an empty slot; sorted among the occupied slots.
    keys: Vec<u64>,
    /// The parent's tag of each slot.
    tags: Vec<u32>,
    /// The breadth-first number of each slot (liveness checking only; empty otherwise).
    numbers: Vec<u32>,
    /// Home slots span `0..capacity`; `keys.len()` may be larger (runs past the end).
    capacity: usize,
    len: usize,
}

impl Shard {
    fn with_capacity(capacity: usize, numbered: bool) -> Self {
        let slots = capacity + 1;
        Shard {
            keys: vec![0; slots],
            tags: vec![0; slots],
            numbers: if numbered { vec![0; slots] } else { Vec::new() },
            capacity,
            len: 0,
        }
    }

    /// The home slot of `fp`: monotone in `fp`, so the sorted order is the slot order.
    fn home(&self, fp: u64) -> usize {
        ((u128::from(fp << SHARD_BITS) * self.capacity as u128) >> 64) as usize
    }

    /// The slot holding `fp`.
    fn find(&self, fp: u64) -> Option<usize> {
        let mut slot = self.home(fp);
        while let Some(&key) = self.keys.get(slot) {
            if key == fp {
                return Some(slot);
            }
            if key == 0 || key > fp {
                return None;
            }
            slot += 1;
        }
        None
    }

    /// Inserts a fingerprint not yet present.
    fn insert(&mut self, fp: u64, tag: u32, number: u32) {
        let mut slot = self.home(fp);
        while self.keys[slot] != 0 && self.keys[slot] < fp {
            slot += 1;
            if slot == self.keys.len() {
                self.push_slot();
            }
        }
        debug_assert_ne!(self.keys[slot], fp, "inserted twice");
        // Shift the rest of the run one slot right.
        let mut end = slot;
        while self.keys[end] != 0 {
            end += 1;
            if end == self.keys.len() {
                self.push_slot();
            }
        }
        self.keys.copy_within(slot..end, slot + 1);
        self.tags.copy_within(slot..end, slot + 1);
        self.keys[slot] = fp;
        self.tags[slot] = tag;
        if !self.numbers.is_empty() {
            self.numbers.copy_within(slot..end, slot + 1);
            self.numbers[slot] = number;
        }
        self.len += 1;
        // Keep a free slot at the very end, so every run ends inside the arrays.
        if self.keys[self.keys.len() - 1] != 0 {
            self.push_slot();
        }
    }

    fn push_slot(&mut self) {
        // Grow by a little at a time: a doubling `push` would waste half the table.
        if self.keys.len() == self.keys.capacity() {
            self.keys.reserve_exact(16);
            self.tags.reserve_exact(16);
            if !self.numbers.is_empty() {
                self.numbers.reserve_exact(16);
            }
        }
        self.keys.push(0);
        self.tags.push(0);
        if !self.numbers.is_empty() {
            self.numbers.push(0);
        }
    }

    /// Makes room for `more` insertions without passing [`MAX_LOAD`].
    fn reserve(&mut self, more: usize) {
        let needed = self.len + more;
        if (needed as f64) <= MAX_LOAD * self.capacity as f64 {
            return;
        }
        let capacity = ((needed as f64 / TARGET_LOAD).ceil() as usize).max(MIN_CAPACITY);
        let mut grown = Shard::with_capacity(capacity, !self.numbers.is_empty());
        // The old table is sorted, and homes are monotone: one pass places every key.
        let mut next = 0;
        for slot in 0..self.keys.len() {
            let key = self.keys[slot];
            if key == 0 {
                continue;
            }
            let at = grown.home(key).max(next);
            while at >= grown.keys.len() - 1 {
                grown.push_slot();
            }
            grown.keys[at] = key;
            grown.tags[at] = self.tags[slot];
            if !grown.numbers.is_empty() {
                grown.numbers[at] = self.numbers[slot];
            }
            next = at + 1;
        }
        grown.len = self.len;
        *self = grown;
    }

    fn bytes(&self) -> usize {
        self.keys.capacity() * 8 + self.tags.capacity() * 4 + self.numbers.capacity() * 4
    }
}

/// Every state found in a completed level: see the [module documentation](self).
pub(crate) struct Visited {
    shards: Vec<Shard>,
    len: usize,
}

impl Visited {
    /// An empty set; `numbered` keeps each state's breadth-first number too.
    pub(crate) fn new(numbered: bool) -> Self {
        Visited {
            shards: (0..SHARDS)
                .map(|_| Shard::with_capacity(MIN_CAPACITY, numbered))
                .collect(),
            len: 0,
        }
    }

    /// The number of states.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn contains(&self, fp: u64) -> bool {
        self.shards[shard_of(fp)].find(fp).is_some()
    }

    /// The parent's tag of `fp` (0 for an initial state), if `fp` is in the set.
    pub(crate) fn parent_tag(&self, fp: u64) -> Option<u32> {
        let shard = &self.shards[shard_of(fp)];
        shard.find(fp).map(|slot| shard.tags[slot])
    }

    /// The breadth-first number of `fp` (liveness checking only).
    pub(crate) fn number(&self, fp: u64) -> Option<u32> {
        let shard = &self.shards[shard_of(fp)];
        shard.find(fp).map(|slot| shard.numbers[slot])
    }

    /// Every fingerprint whose tag is `tag`, in increasing order.
    pub(crate) fn with_tag(&self, tag: u32) -> Vec<u64> {
        let low = u64::from(tag) << 32;
        let high = low | u64::from(u32::MAX);
        let shard = &self.shards[shard_of(low)];
        let last_home = shard.home(high);
        let mut found = Vec::new();
        let mut slot = shard.home(low);
        while let Some(&key) = shard.keys.get(slot) {
            if key > high || (key == 0 && slot > last_home) {
                break;
            }
            if key >= low {
                found.push(key);
            }
            slot += 1;
        }
        found
    }

    /// Adds a level's new states: `(fp, parent tag, number)`, none already present. Runs
    /// shard by shard in parallel.
    pub(crate) fn extend(&mut self, states: Vec<(u64, u32, u32)>) {
        use rayon::prelude::*;
        let added = states.len();
        let mut by_shard: Vec<Vec<(u64, u32, u32)>> = vec![Vec::new(); SHARDS];
        for entry in states {
            by_shard[shard_of(entry.0)].push(entry);
        }
        self.shards
            .par_iter_mut()
            .zip(by_shard.into_par_iter())
            .for_each(|(shard, mut entries)| {
                if entries.is_empty() {
                    return;
                }
                shard.reserve(entries.len());
                // In increasing order, each insertion starts right where the run is.
                entries.sort_unstable_by_key(|entry| entry.0);
                for (fp, tag, number) in entries {
                    shard.insert(fp, tag, number);
                }
            });
        self.len += added;
    }

    /// Every state as `(fp, parent tag, number)` (number 0 when unnumbered), shard by
    /// shard in slot order, in blocks of at most `block` states.
    pub(crate) fn for_each_block(
        &self,
        block: usize,
        mut f: impl FnMut(&[(u64, u32, u32)]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut buffer = Vec::with_capacity(block);
        for shard in &self.shards {
            for slot in 0..shard.keys.len() {
                if shard.keys[slot] == 0 {
                    continue;
                }
                let number = shard.numbers.get(slot).copied().unwrap_or_default();
                buffer.push((shard.keys[slot], shard.tags[slot], number));
                if buffer.len() == block {
                    f(&buffer)?;
                    buffer.clear();
                }
            }
        }
        if !buffer.is_empty() {
            f(&buffer)?;
        }
        Ok(())
    }

    /// Bytes held by the tables (allocated, not only used).
    pub(crate) fn bytes(&self) -> usize {
        self.shards.iter().map(Shard::bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(i: u64) -> u64 {
        // A cheap bijective mix, never 0 in the top half for these inputs.
        let x = i
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29)
            .wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x | (1 << 32)
    }

    #[test]
    fn finds_what_it_holds_and_nothing_else() {
        let mut visited = Visited::new(true);
        let mut number = 0;
        for round in 0..5u64 {
            let entries: Vec<(u64, u32, u32)> = (round * 10_000..(round + 1) * 10_000)
                .map(|i| {
                    number += 1;
                    (spread(i), tag_of(spread(i + 7)), number)
                })
                .collect();
            visited.extend(entries);
        }
        assert_eq!(visited.len(), 50_000);
        for i in 0..50_000 {
            assert!(visited.contains(spread(i)), "{i}");
            assert_eq!(visited.parent_tag(spread(i)), Some(tag_of(spread(i + 7))));
            assert_eq!(visited.number(spread(i)), Some(i as u32 + 1));
        }
        for i in 50_000..60_000 {
            assert!(!visited.contains(spread(i)));
        }
        assert!(visited.with_tag(tag_of(spread(123))).contains(&spread(123)));
        let bytes = visited.bytes() as f64 / 50_000.0;
        assert!(bytes <= 16.0 + 4.0 / 0.76 + 1.0, "{bytes} bytes a state");
    }

    #[test]
    fn at_most_16_bytes_a_state_without_numbers() {
        let mut visited = Visited::new(false);
        for round in 0..20u64 {
            visited.extend(
                (round * 50_000..(round + 1) * 50_000)
                    .map(|i| (spread(i), 0, 0))
                    .collect(),
            );
            let bytes = visited.bytes() as f64 / visited.len() as f64;
            assert!(bytes <= 16.0, "{bytes} bytes a state at {}", visited.len());
        }
        for i in (0..1_000_000).step_by(997) {
            assert!(visited.contains(spread(i)));
        }
    }
}
