//! The compact state encoding a model may provide (see [`StateCodec`]).

/// An exact encoding of a model's states as a few bytes of fixed length.
///
/// With a codec, the checker keeps every state it stores between levels (the frontier,
/// the level being built) as these bytes instead of the model's own state, fingerprints
/// the bytes with a hash that is the same on every run and machine, and applies symmetry
/// to the bytes where the codec says how ([`StateCodec::interchangeable_records`]). The
/// model's own state is rebuilt ([`StateCodec::decode`]) only to compute successors.
///
/// The encoding must be exact: `decode(encode(s)) == s` for every reachable state `s`,
/// and two states are equal exactly when their encodings are. Test builds of the checker
/// assert the first on every state they store.
pub trait StateCodec<S>: Sync {
    /// The length in bytes of every encoded state (of this model's configuration).
    fn packed_len(&self) -> usize;

    /// Writes `state` into `out` (exactly [`packed_len`](StateCodec::packed_len) bytes).
    fn encode(&self, state: &S, out: &mut [u8]);

    /// The state `packed` encodes.
    fn decode(&self, packed: &[u8]) -> S;

    /// Symmetry on the encoded form: `Some(records)` if the encoding holds the
    /// interchangeable processes as `records.count` records of `records.width` bytes
    /// from `records.offset`, each holding everything the state says about its process
    /// and nothing elsewhere naming one. Sorting these records then gives the canonical
    /// member of the state's class, and must define the same classes as the model's
    /// [`Presentation::representative`](crate::Presentation::representative). `None`
    /// (the default): the checker renames the model's own state instead.
    fn interchangeable_records(&self) -> Option<Records> {
        None
    }
}

/// Where the interchangeable processes sit in an encoded state (see
/// [`StateCodec::interchangeable_records`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Records {
    /// The first record's first byte.
    pub offset: usize,
    /// Bytes a record.
    pub width: usize,
    /// How many records.
    pub count: usize,
}

impl Records {
    /// Sorts the records of `packed` in place: the canonical member of its class.
    pub fn canonicalize(&self, packed: &mut [u8]) {
        let area = &mut packed[self.offset..self.offset + self.width * self.count];
        // Insertion sort: a handful of records, usually already in order.
        for i in 1..self.count {
            let mut j = i;
            while j > 0
                && area[(j - 1) * self.width..j * self.width]
                    > area[j * self.width..(j + 1) * self.width]
            {
                for k in 0..self.width {
                    area.swap((j - 1) * self.width + k, j * self.width + k);
                }
                j -= 1;
            }
        }
    }
}
