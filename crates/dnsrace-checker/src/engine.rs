//! The level-synchronous breadth-first search (see the crate documentation).

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use dnsrace_core::{
    DescribedProperty, Expectation, Liveness, LivenessProperty, Model, Presentation, Records,
    StateCodec,
};
use indexmap::IndexSet;
use rayon::prelude::*;

use crate::checkpoint::{
    self, CheckpointError, CheckpointOptions, CheckpointStatus, Reader, Writer, PARTIAL_FILE,
};
use crate::liveness::{self, Components, Expansion, Graph, Outcome, ROOT};
use crate::report::{
    ActionCoverage, Completeness, Coverage, PropertyKind, PropertyResult, Report, Statistics,
    Trace, TraceState, Verdict,
};
use crate::visited::{tag_of, Visited, SHARDS};

/// How to run a check. The default is the command line's: explore everything with every
/// core, with symmetry reduction where the model defines it.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Stop before the number of distinct states would exceed this.
    pub max_states: Option<usize>,
    /// Explore only states at most this many steps from an initial state.
    pub max_depth: Option<usize>,
    /// Stop after this much wall-clock time.
    pub timeout: Option<Duration>,
    /// Stop as soon as this flag becomes true (for example on Ctrl-C).
    pub stop: Option<Arc<AtomicBool>>,
    /// Stop before the process's resident memory exceeds this many bytes (checked about
    /// every 50 ms, so leave some headroom).
    pub max_memory: Option<u64>,
    /// Explore one state per symmetry class, as the model's
    /// [`Presentation::representative`] defines them (on by default; a model that
    /// defines no classes is explored whole). Verdicts are the same as without, and so
    /// are the traces of safety and reachability properties and of "always recoverable"
    /// (see the crate documentation); only the state counts shrink. Every property must
    /// then be symmetric: it must not tell the interchangeable processes apart.
    pub symmetry: bool,
    /// Where the search publishes its progress, for a progress line.
    pub progress: Option<Arc<Progress>>,
    /// Save the search at level boundaries, to resume it later (models with a codec
    /// only: see [`prepare_checkpoint`], [`load_checkpoint`], [`resume`]).
    pub checkpoint: Option<CheckpointOptions>,
    /// Count, per kind of action, the steps taken and the new states they found
    /// ([`Report::coverage`]). Off by default: naming each step's kind costs time.
    pub coverage: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            threads: 0,
            max_states: None,
            max_depth: None,
            timeout: None,
            stop: None,
            max_memory: None,
            symmetry: true,
            progress: None,
            checkpoint: None,
            coverage: false,
        }
    }
}

/// Live counters of a running check, updated by the engine and read by anyone (for
/// example a thread printing a progress line).
#[derive(Debug, Default)]
pub struct Progress {
    distinct: AtomicU64,
    generated: AtomicU64,
    depth: AtomicU64,
    queue: AtomicU64,
    stage: AtomicU8,
}

/// A reading of [`Progress`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgressSnapshot {
    /// Distinct states found in completed levels.
    pub distinct: u64,
    /// Successors generated so far, in the current level too.
    pub generated: u64,
    /// The depth of the level being explored.
    pub depth: u64,
    /// States waiting to be explored (the current frontier).
    pub queue: u64,
    /// Whether the search is over and the liveness analysis runs.
    pub analysing: bool,
}

impl Progress {
    /// The counters now.
    pub fn snapshot(&self) -> ProgressSnapshot {
        ProgressSnapshot {
            distinct: self.distinct.load(Ordering::Relaxed),
            generated: self.generated.load(Ordering::Relaxed),
            depth: self.depth.load(Ordering::Relaxed),
            queue: self.queue.load(Ordering::Relaxed),
            analysing: self.stage.load(Ordering::Relaxed) == 1,
        }
    }
}

/// Checks `properties` of `model` by an exhaustive breadth-first search and reports a
/// verdict and, for each violation or example, the lexicographically smallest shortest
/// trace. The result does not depend on the number of threads.
///
/// Runs in its own thread pool of `options.threads` threads.
///
/// # Panics
///
/// If the thread pool cannot be started, or if a trace cannot be replayed because the
/// model's `init_states`, `actions` or `next_state` are not deterministic.
pub fn check<M>(model: &M, properties: &[DescribedProperty<M>], options: &CheckOptions) -> Report
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    check_with_liveness(model, properties, &[], options)
}

/// Like [`check`], and also decides `liveness` on the explored state graph (see
/// [`LivenessProperty`]). Their results follow the safety properties' in the report.
/// With liveness properties the search records every edge (about 5 bytes each plus 13
/// bytes a state) and cannot stop early.
///
/// # Panics
///
/// As [`check`], and if there are more than [`MAX_LIVENESS_PROPERTIES`] liveness
/// properties.
pub fn check_with_liveness<M>(
    model: &M,
    properties: &[DescribedProperty<M>],
    liveness: &[LivenessProperty<M>],
    options: &CheckOptions,
) -> Report
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    search(model, properties, liveness, options, None)
}

/// Continues the search `saved` (read by [`load_checkpoint`]), and gives the report an
/// uninterrupted run would have given, except for the timing (the elapsed time adds up
/// the runs) and the visited set's allocated bytes (its tables grow differently when
/// rebuilt at once). The model, properties and options must be the ones it was read
/// with: else the error names what differs.
///
/// # Panics
///
/// As [`check_with_liveness`].
pub fn resume<M>(
    model: &M,
    properties: &[DescribedProperty<M>],
    liveness: &[LivenessProperty<M>],
    options: &CheckOptions,
    saved: SavedSearch,
) -> Result<Report, CheckpointError>
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    let differences = checkpoint::differences(
        &saved.identity,
        &identity(model, properties, liveness, options),
    );
    if !differences.is_empty() {
        return Err(CheckpointError::Mismatch {
            path: saved.path.clone(),
            differences,
        });
    }
    Ok(search(model, properties, liveness, options, Some(saved)))
}

fn search<M>(
    model: &M,
    properties: &[DescribedProperty<M>],
    liveness: &[LivenessProperty<M>],
    options: &CheckOptions,
    saved: Option<SavedSearch>,
) -> Report
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    assert!(
        liveness.len() <= MAX_LIVENESS_PROPERTIES,
        "at most {MAX_LIVENESS_PROPERTIES} liveness properties can be checked at once, not {}",
        liveness.len()
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|index| format!("dnsrace-checker-{index}"))
        .build()
        .expect("could not start the checker's thread pool");
    let threads = pool.current_num_threads();
    pool.install(|| Search::new(model, properties, liveness, options, threads).run(saved))
}

/// A search read back from a checkpoint and verified, ready for [`resume`].
pub struct SavedSearch {
    path: PathBuf,
    identity: Vec<(String, String)>,
    elapsed: Duration,
    generated: u64,
    depth: usize,
    peak_frontier: usize,
    peak_frontier_bytes: usize,
    found: Vec<Option<Found>>,
    visited: Vec<(u64, u32, u32)>,
    frontier_fps: Vec<u64>,
    frontier_packed: Vec<u8>,
    graph: Option<Graph>,
    bytes: u64,
}

impl SavedSearch {
    /// The depth of the saved frontier.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Distinct states found before the checkpoint.
    pub fn distinct_states(&self) -> usize {
        self.visited.len()
    }
}

impl std::fmt::Debug for SavedSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedSearch")
            .field("depth", &self.depth)
            .field("distinct_states", &self.visited.len())
            .field("frontier", &self.frontier_fps.len())
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

/// The identity a checkpoint of this check carries: the caller's pairs, then what the
/// engine itself depends on.
fn identity<M: Presentation>(
    model: &M,
    properties: &[DescribedProperty<M>],
    liveness: &[LivenessProperty<M>],
    options: &CheckOptions,
) -> Vec<(String, String)> {
    let mut identity = options
        .checkpoint
        .as_ref()
        .map(|checkpoint| checkpoint.identity.clone())
        .unwrap_or_default();
    let mut add = |what: &str, value: String| identity.push((what.to_string(), value));
    add("dnsrace-checker", env!("CARGO_PKG_VERSION").to_string());
    add("model's first steps", first_steps(model));
    add(
        "packed state",
        format!(
            "{} bytes",
            model.codec().map_or(0, |codec| codec.packed_len())
        ),
    );
    add(
        "symmetry",
        if options.symmetry { "on" } else { "off" }.to_string(),
    );
    add(
        "properties",
        properties
            .iter()
            .map(|property| property.name().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    add(
        "liveness properties",
        liveness
            .iter()
            .map(|property| property.name.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    identity
}

/// A digest of the model's first levels, packed: a checkpoint written by a model whose
/// steps or codec have since changed (the version alone does not say) is refused.
fn first_steps<M: Presentation>(model: &M) -> String {
    let Some(codec) = model.codec() else {
        return "no codec".to_string();
    };
    let mut digest = xxhash_rust::xxh3::Xxh3::new();
    let mut packed = vec![0; codec.packed_len()];
    let mut level = model.init_states();
    let mut actions = Vec::new();
    for _ in 0..3 {
        let mut next = Vec::new();
        for state in &level {
            codec.encode(state, &mut packed);
            digest.update(&packed);
            if next.len() < 4096 {
                model.actions(state, &mut actions);
                next.extend(
                    actions
                        .drain(..)
                        .filter_map(|action| model.next_state(state, action)),
                );
            }
        }
        level = next;
    }
    format!("{:016x}", digest.digest())
}

/// Checks, before a search starts, that `options.checkpoint` can be honoured: the model
/// has a codec, the folder can be written, and it holds no checkpoint yet (resume that
/// one, or remove it: a fresh run never overwrites a saved one).
pub fn prepare_checkpoint<M: Presentation>(
    model: &M,
    options: &CheckOptions,
) -> Result<(), CheckpointError> {
    let Some(checkpoint) = &options.checkpoint else {
        return Ok(());
    };
    if model.codec().is_none() {
        return Err(CheckpointError::NoCodec);
    }
    let file = checkpoint.file();
    if file.exists() {
        return Err(CheckpointError::Exists { path: file });
    }
    checkpoint.prepare()
}

/// Reads the checkpoint in `options.checkpoint`'s folder and verifies it whole: its
/// checksum, its lengths, and that it is of this check (same identity: model,
/// configuration, properties, symmetry, engine version). Nothing is explored.
pub fn load_checkpoint<M: Presentation>(
    model: &M,
    properties: &[DescribedProperty<M>],
    liveness: &[LivenessProperty<M>],
    options: &CheckOptions,
) -> Result<SavedSearch, CheckpointError> {
    let Some(checkpoint) = &options.checkpoint else {
        return Err(CheckpointError::Missing {
            dir: PathBuf::new(),
        });
    };
    let Some(codec) = model.codec() else {
        return Err(CheckpointError::NoCodec);
    };
    let width = codec.packed_len();
    let mut reader = Reader::open(&checkpoint.dir)?;
    let pairs = reader.u64()?;
    if pairs > 1024 {
        return Err(reader.damaged("its identity is too long"));
    }
    let mut saved_identity = Vec::new();
    for _ in 0..pairs {
        saved_identity.push((reader.string()?, reader.string()?));
    }
    let expected = identity(model, properties, liveness, options);
    let differences = checkpoint::differences(&saved_identity, &expected);
    if !differences.is_empty() {
        return Err(CheckpointError::Mismatch {
            path: checkpoint.file(),
            differences,
        });
    }
    let elapsed = Duration::from_nanos(reader.u64()?);
    let generated = reader.u64()?;
    let depth = reader.u64()? as usize;
    let peak_frontier = reader.u64()? as usize;
    let peak_frontier_bytes = reader.u64()? as usize;
    if reader.u64()? != properties.len() as u64 {
        return Err(reader.damaged("it has another number of properties"));
    }
    let mut found = Vec::with_capacity(properties.len());
    for _ in properties {
        let fp = reader.u64()?;
        let depth = reader.u64()? as usize;
        found.push((fp != 0).then_some(Found { fp, depth }));
    }
    let visited = reader.records()?;
    let frontier_fps = reader.u64s()?;
    let frontier_packed = reader.byte_vec()?;
    if frontier_packed.len() != frontier_fps.len() * width {
        return Err(reader.damaged("its frontier does not match its fingerprints"));
    }
    let graph = match reader.u32()? {
        0 => None,
        _ => {
            let mut graph = Graph::new(liveness.len());
            graph.offsets = reader.u64s()?;
            graph.targets = reader.u32s()?;
            graph.labels = reader.byte_vec()?;
            graph.flags = reader.byte_vec()?;
            graph.parents = reader.u32s()?;
            Some(graph)
        }
    };
    let bytes = reader.finish()?;
    let consistent = match &graph {
        None => liveness.is_empty(),
        Some(graph) => {
            !liveness.is_empty()
                && graph.offsets.first() == Some(&0)
                && graph.offsets.last() == Some(&(graph.targets.len() as u64))
                && graph.labels.len() == graph.targets.len() * graph.stride
                && graph.flags.len() == visited.len() * graph.flag_stride
                && graph.parents.len() == visited.len()
                && graph.len() + frontier_fps.len() == visited.len()
        }
    };
    let damaged = |why: &str| CheckpointError::Damaged {
        path: checkpoint.file(),
        why: why.to_string(),
    };
    if !consistent {
        return Err(damaged("its graph does not match its states"));
    }
    // The checksum guards against accidents, not against a crafted file: check what the
    // search relies on, so that a bad file is refused now rather than failing later.
    // The visited set is written shard by shard in slot order: increasing fingerprints.
    let sorted = visited.first().is_none_or(|first| first.0 >> 32 != 0)
        && visited.windows(2).all(|pair| pair[0].0 < pair[1].0);
    if !sorted {
        return Err(damaged("its visited set is out of order"));
    }
    let is_visited = |fp: u64| visited.binary_search_by_key(&fp, |entry| entry.0).is_ok();
    let found_ok = found
        .iter()
        .flatten()
        .all(|found| found.depth <= depth && is_visited(found.fp));
    if !found_ok || !frontier_fps.iter().all(|&fp| is_visited(fp)) {
        return Err(damaged("it names states it does not hold"));
    }
    if let Some(graph) = &graph {
        let n = visited.len();
        let mut numbered = vec![false; n];
        let numbers_ok = visited.iter().all(|&(_, _, number)| {
            (number as usize) < n && !std::mem::replace(&mut numbered[number as usize], true)
        });
        let graph_ok = numbers_ok
            && graph.offsets.windows(2).all(|pair| pair[0] <= pair[1])
            && graph.targets.iter().all(|&target| (target as usize) < n)
            && graph
                .parents
                .iter()
                .enumerate()
                .all(|(state, &parent)| parent == ROOT || (parent as usize) < state);
        if !graph_ok {
            return Err(damaged("its graph does not match its states"));
        }
    }
    Ok(SavedSearch {
        path: checkpoint.file(),
        identity: expected,
        elapsed,
        generated,
        depth,
        peak_frontier,
        peak_frontier_bytes,
        found,
        visited,
        frontier_fps,
        frontier_packed,
        graph,
        bytes,
    })
}

/// A checkpointing search's state.
struct Checkpointer<'a> {
    options: &'a CheckpointOptions,
    identity: Vec<(String, String)>,
    last: Instant,
    status: CheckpointStatus,
}

/// Fixed seeds: the same fingerprints on every run (of one build).
const FINGERPRINTER: ahash::RandomState = ahash::RandomState::with_seeds(
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
);

/// A state's 64-bit fingerprint; its top half is never 0 (0 marks "no parent" and an
/// empty slot).
fn fingerprint<S: Hash>(state: &S) -> u64 {
    let fp = FINGERPRINTER.hash_one(state);
    if fp >> 32 == 0 {
        fp | 1 << 32
    } else {
        fp
    }
}

/// How the search stores and fingerprints states: packed by the model's codec, or whole.
struct Packing<'m, S> {
    codec: &'m dyn StateCodec<S>,
    width: usize,
    /// Symmetry on the packed form, when it is on and the codec supports it.
    records: Option<Records>,
}

impl<S> Clone for Packing<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Packing<'_, S> {}

/// A packed state's fingerprint: XXH3 of its bytes, stable across runs, machines and
/// versions; its top half is never 0.
fn packed_fingerprint(bytes: &[u8]) -> u64 {
    let fp = xxhash_rust::xxh3::xxh3_64(bytes);
    if fp >> 32 == 0 {
        fp | 1 << 32
    } else {
        fp
    }
}

/// Scratch buffers of one thread for packing states.
#[derive(Default)]
struct Scratch {
    /// The state as it is.
    packed: Vec<u8>,
    /// The canonical member of its class.
    canonical: Vec<u8>,
}

/// The fingerprint that identifies `state`: of its symmetry class's representative when
/// symmetry reduction is on. With a codec, `scratch.packed` holds the packed state after.
fn class_fingerprint<M: Presentation>(
    model: &M,
    packing: Option<Packing<'_, M::State>>,
    symmetry: bool,
    state: &M::State,
    scratch: &mut Scratch,
) -> u64
where
    M::State: Hash,
{
    if let Some(packing) = packing {
        scratch.packed.resize(packing.width, 0);
        packing.codec.encode(state, &mut scratch.packed);
        if let Some(records) = packing.records {
            scratch.canonical.clear();
            scratch.canonical.extend_from_slice(&scratch.packed);
            records.canonicalize(&mut scratch.canonical);
            return packed_fingerprint(&scratch.canonical);
        }
        if symmetry {
            if let Some(representative) = model.representative(state) {
                scratch.canonical.resize(packing.width, 0);
                packing
                    .codec
                    .encode(&representative, &mut scratch.canonical);
                return packed_fingerprint(&scratch.canonical);
            }
        }
        return packed_fingerprint(&scratch.packed);
    }
    if symmetry {
        if let Some(representative) = model.representative(state) {
            return fingerprint(&representative);
        }
    }
    fingerprint(state)
}

/// Shards of a level's map of new states.
fn level_shard(fp: u64) -> usize {
    (fp >> 32) as usize & (SHARDS - 1)
}

/// Fingerprints are already hashes: hashing them again would be wasted work.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type FpMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// What a new state says about the properties, evaluated when it was generated (while it
/// was still in the cache).
struct Assessment {
    /// Bit `i`: the state decides property `i` (evaluated only for the properties still
    /// undecided when its level began, and only for the first 64).
    decided: u64,
    /// The liveness flags: bits `2k` (goal) and `2k + 1` (trigger) of liveness property
    /// `k`, which is the graph's flag-byte layout read as a little-endian word.
    flags: u64,
}

/// A run of states of one level, in candidate order: each state's class fingerprint, and
/// the real state (never a renamed representative, so traces replay through it), either
/// packed by the model's codec, `width` bytes each, or whole. A whole state is `None`
/// once expanded: it is dropped right after its successors are generated, while it is
/// still in the cache, rather than in a separate pass over the level.
///
/// While its level is being built, a chunk also keeps what the commit needs: each
/// state's candidate key `(parent index << 32) | action index` (smaller keys come first
/// in sequential BFS order) and parent tag, the properties it decides (sparse: few states
/// decide any), and its liveness flag bytes. [`Chunk::committed`] drops them, so the
/// frontier between levels holds only fingerprints and states.
struct Chunk<S> {
    fps: Vec<u64>,
    whole: Vec<Option<S>>,
    packed: Vec<u8>,
    keys: Vec<u64>,
    tags: Vec<u32>,
    /// `(index in the chunk, decided bits)` of the states that decide some property.
    decided: Vec<(u32, u64)>,
    /// `flag_stride` bytes a state (liveness only).
    flags: Vec<u8>,
    /// Each state's action kind number (coverage only).
    kinds: Vec<u32>,
}

impl<S> Chunk<S> {
    fn with_capacity(capacity: usize) -> Self {
        Chunk {
            fps: Vec::with_capacity(capacity),
            whole: Vec::new(),
            packed: Vec::new(),
            keys: Vec::with_capacity(capacity),
            tags: Vec::with_capacity(capacity),
            decided: Vec::new(),
            flags: Vec::new(),
            kinds: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.fps.len()
    }

    /// Adds a state: `state` whole, or (with a codec) the packed bytes in `scratch`;
    /// `flag_stride` bytes of its liveness flags are kept.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        fp: u64,
        key: u64,
        tag: u32,
        assessment: Assessment,
        flag_stride: usize,
        state: S,
        packing: Option<Packing<'_, S>>,
        scratch: &Scratch,
    ) {
        if assessment.decided != 0 {
            self.decided
                .push((self.fps.len() as u32, assessment.decided));
        }
        self.flags
            .extend_from_slice(&assessment.flags.to_le_bytes()[..flag_stride]);
        self.fps.push(fp);
        self.keys.push(key);
        self.tags.push(tag);
        match packing {
            Some(_) => self.packed.extend_from_slice(&scratch.packed),
            None => self.whole.push(Some(state)),
        }
    }

    /// Runs `f` on state `index` (decoded, with a codec), unless it was taken.
    fn with_state<R>(
        &self,
        index: usize,
        packing: Option<Packing<'_, S>>,
        f: impl FnOnce(&S) -> R,
    ) -> Option<R> {
        match packing {
            Some(packing) => Some(f(&packing
                .codec
                .decode(&self.packed[index * packing.width..(index + 1) * packing.width]))),
            None => self.whole[index].as_ref().map(f),
        }
    }

    /// Keeps the states whose fingerprint and key `keep` accepts, in order.
    fn retain(
        &mut self,
        packing: Option<Packing<'_, S>>,
        flag_stride: usize,
        keep: impl Fn(u64, u64) -> bool,
    ) {
        let width = packing.map_or(0, |packing| packing.width);
        let mut kept = 0;
        let mut decided_kept = 0;
        let mut decided_at = 0;
        for index in 0..self.fps.len() {
            let decides = self
                .decided
                .get(decided_at)
                .is_some_and(|&(at, _)| at as usize == index);
            if !keep(self.fps[index], self.keys[index]) {
                decided_at += usize::from(decides);
                continue;
            }
            if decides {
                self.decided[decided_kept] = (kept as u32, self.decided[decided_at].1);
                decided_kept += 1;
                decided_at += 1;
            }
            if kept != index {
                self.fps[kept] = self.fps[index];
                self.keys[kept] = self.keys[index];
                self.tags[kept] = self.tags[index];
                if !self.kinds.is_empty() {
                    self.kinds[kept] = self.kinds[index];
                }
                self.flags.copy_within(
                    index * flag_stride..(index + 1) * flag_stride,
                    kept * flag_stride,
                );
                if packing.is_some() {
                    self.packed
                        .copy_within(index * width..(index + 1) * width, kept * width);
                } else {
                    self.whole.swap(kept, index);
                }
            }
            kept += 1;
        }
        self.fps.truncate(kept);
        self.keys.truncate(kept);
        self.tags.truncate(kept);
        self.kinds.truncate(kept);
        self.decided.truncate(decided_kept);
        self.flags.truncate(kept * flag_stride);
        self.whole.truncate(kept);
        self.packed.truncate(kept * width);
    }

    /// Once the level is committed: frees what only the commit needed, and the spare
    /// capacity of what the frontier keeps.
    fn committed(&mut self) {
        self.keys = Vec::new();
        self.tags = Vec::new();
        self.kinds = Vec::new();
        self.decided = Vec::new();
        self.flags = Vec::new();
        self.fps.shrink_to_fit();
        self.whole.shrink_to_fit();
        self.packed.shrink_to_fit();
    }

    /// Bytes the chunk holds (allocated), not counting what whole states own on the heap.
    fn bytes(&self) -> usize {
        self.fps.capacity() * 8
            + self.whole.capacity() * std::mem::size_of::<Option<S>>()
            + self.packed.capacity()
            + self.keys.capacity() * 8
            + self.tags.capacity() * 4
            + self.kinds.capacity() * 4
            + self.decided.capacity() * 16
            + self.flags.capacity()
    }
}

/// The frontier, as the chunks phase A produced (never flattened: that would copy every
/// state once more).
type Level<S> = Vec<Chunk<S>>;

/// A task of phase A: a run of frontier fingerprints, their whole states (empty with a
/// codec), their packed states (empty without), and the global index of the first.
type Task<'f, S> = (&'f [u64], &'f mut [Option<S>], &'f [u8], u64);

/// A slice of the frontier processed as one task: segment, start, end, global index of
/// `start`.
type WorkItem = (usize, usize, usize, u64);

/// Properties the engine evaluates while a state is fresh (the rest, rarely any, are
/// evaluated in a pass over the new level).
const EVALUATED_AT_BIRTH: usize = 64;

/// Liveness properties one check can decide: their flags fill one 64-bit word a state.
pub const MAX_LIVENESS_PROPERTIES: usize = 32;

/// The edges one task found, before their targets have numbers.
#[derive(Default)]
struct ChunkEdges {
    /// Edges per frontier state of the task, in order.
    counts: Vec<u32>,
    /// Each edge's target fingerprint.
    targets: Vec<u64>,
    /// Label bytes, one per liveness property per edge.
    labels: Vec<u8>,
}

/// What phase A returns for one task.
struct ChunkOutput<S> {
    chunk: Chunk<S>,
    generated: u64,
    edges: ChunkEdges,
    /// Steps taken, by action kind number (coverage only).
    fired: Vec<u64>,
}

/// Why a search stopped before exhausting the state space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Bound {
    MaxStates = 1,
    MaxDepth = 2,
    Timeout = 3,
    Stop = 4,
    MaxMemory = 5,
}

/// The process's resident memory in bytes; `None` where the system does not say.
pub fn resident_memory() -> Option<u64> {
    memory_stats::memory_stats().map(|stats| stats.physical_mem as u64)
}

/// Watches the clock, the stop flag and memory, and carries the first bound hit to every
/// worker.
struct Watch<'a> {
    started: Instant,
    deadline: Option<Instant>,
    stop: Option<&'a AtomicBool>,
    max_memory: Option<u64>,
    /// One more than the milliseconds since `started` of the last memory reading; 0
    /// before the first, so that a search over the cap from the start stops at once.
    memory_read: AtomicU64,
    hit: AtomicU8,
}

impl Watch<'_> {
    fn raise(&self, bound: Bound) {
        let _ = self
            .hit
            .compare_exchange(0, bound as u8, Ordering::Relaxed, Ordering::Relaxed);
    }

    fn aborted(&self) -> bool {
        self.hit.load(Ordering::Relaxed) != 0
    }

    /// Checks the clock, the flag and memory; true if the search must stop.
    fn poll(&self) -> bool {
        if self.aborted() {
            return true;
        }
        if self.stop.is_some_and(|stop| stop.load(Ordering::Relaxed)) {
            self.raise(Bound::Stop);
        } else if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            self.raise(Bound::Timeout);
        } else if let Some(max) = self.max_memory {
            let now = self.started.elapsed().as_millis() as u64 + 1;
            let last = self.memory_read.load(Ordering::Relaxed);
            if (last == 0 || now >= last + 50)
                && self
                    .memory_read
                    .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok()
                && resident_memory().is_some_and(|used| used > max)
            {
                self.raise(Bound::MaxMemory);
            }
        }
        self.aborted()
    }

    fn bound(&self) -> Option<Bound> {
        match self.hit.load(Ordering::Relaxed) {
            1 => Some(Bound::MaxStates),
            2 => Some(Bound::MaxDepth),
            3 => Some(Bound::Timeout),
            4 => Some(Bound::Stop),
            5 => Some(Bound::MaxMemory),
            _ => None,
        }
    }
}

/// Frees a level's states on every thread: freeing millions of states (each with its
/// own heap allocations) on one thread would be a sequential step between levels.
fn drop_in_parallel<S: Send>(level: Level<S>) {
    level.into_par_iter().for_each(drop);
}

/// Whether `state` decides a property: violates an `always`, satisfies a `sometimes`.
fn decides<M: Model>(model: &M, property: &DescribedProperty<M>, state: &M::State) -> bool {
    let holds = (property.property.condition)(model, state);
    match property.property.expectation {
        Expectation::Always => !holds,
        Expectation::Sometimes => holds,
        Expectation::Eventually => false,
    }
}

/// What a new state says: which of the `pending` properties (a bit set of indices) it
/// decides, and its liveness flags.
fn assess<M: Model>(
    model: &M,
    properties: &[DescribedProperty<M>],
    pending: u64,
    liveness: &[LivenessProperty<M>],
    state: &M::State,
) -> Assessment {
    let mut decided = 0;
    let mut bits = pending;
    while bits != 0 {
        let index = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        if decides(model, &properties[index], state) {
            decided |= 1 << index;
        }
    }
    let mut flags = 0;
    for (k, property) in liveness.iter().enumerate() {
        if (property.goal)(model, state) {
            flags |= 1 << (2 * k);
        }
        if let Liveness::LeadsTo { trigger, .. } = &property.kind {
            if trigger(model, state) {
                flags |= 1 << (2 * k + 1);
            }
        }
    }
    Assessment { decided, flags }
}

/// The label byte of one step for one liveness property.
fn label<M: Model>(
    model: &M,
    property: &LivenessProperty<M>,
    state: &M::State,
    action: &M::Action,
) -> u8 {
    match &property.kind {
        Liveness::AlwaysRecoverable { allowed } => u8::from(allowed(model, state, action)),
        Liveness::LeadsTo { fairness, .. } => match fairness(model, state, action) {
            None => 0,
            Some(process) => {
                assert!(
                    process < 255,
                    "liveness property \"{}\": process numbers must be below 255",
                    property.name
                );
                process as u8 + 1
            }
        },
    }
}

/// Where a state was found: its class fingerprint and depth.
#[derive(Clone, Copy)]
struct Found {
    fp: u64,
    depth: usize,
}

/// The state of one check.
struct Search<'a, M: Model> {
    model: &'a M,
    properties: &'a [DescribedProperty<M>],
    liveness: &'a [LivenessProperty<M>],
    options: &'a CheckOptions,
    /// Whether symmetry reduction is on (asked for, and sound for every property).
    symmetry: bool,
    /// The model's codec, if it has one: then states are stored packed.
    packing: Option<Packing<'a, M::State>>,
    threads: usize,
    started: Instant,
    watch: Watch<'a>,
    visited: Visited,
    /// For each property, the first state that decided it.
    found: Vec<Option<Found>>,
    generated: u64,
    depth: usize,
    /// The explored graph, when liveness is checked.
    graph: Option<Graph>,
    /// The largest frontier, in states.
    peak_frontier: usize,
    /// The largest frontier, in bytes (see [`Statistics::peak_frontier_bytes`]).
    peak_frontier_bytes: usize,
    /// Where the search saves itself, if it does.
    checkpoint: Option<Checkpointer<'a>>,
    /// Time spent before this run, when resumed.
    earlier: Duration,
    /// Coverage counts, when asked for.
    coverage: Option<Tally>,
}

/// Coverage counts: the action kinds met so far, numbered in the order they were met
/// (which depends on the threads, so the report orders them itself), and per kind the
/// steps taken and new states found.
#[derive(Default)]
struct Tally {
    kinds: Mutex<IndexSet<Cow<'static, str>>>,
    fired: Vec<u64>,
    distinct: Vec<u64>,
    initial: u64,
}

impl Tally {
    /// The number of `kind`, through a cache of the task's own (the shared set is locked
    /// only for a kind this task has not met).
    fn number(&self, kind: Cow<'static, str>, cache: &mut HashMap<Cow<'static, str>, u32>) -> u32 {
        if let Some(&number) = cache.get(&kind) {
            return number;
        }
        let (number, _) = self
            .kinds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert_full(kind.clone());
        cache.insert(kind, number as u32);
        number as u32
    }

    fn add(counts: &mut Vec<u64>, number: u32, by: u64) {
        let number = number as usize;
        if counts.len() <= number {
            counts.resize(number + 1, 0);
        }
        counts[number] += by;
    }

    /// The report's coverage: the declared kinds in their order, then the others by name.
    fn into_coverage(self, declared: Vec<Cow<'static, str>>) -> Coverage {
        let kinds = self
            .kinds
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let count = |counts: &[u64], kind: &str| {
            kinds
                .get_index_of(kind)
                .and_then(|number| counts.get(number).copied())
                .unwrap_or(0)
        };
        let mut others: Vec<&Cow<'static, str>> = kinds
            .iter()
            .filter(|kind| !declared.contains(kind))
            .collect();
        others.sort();
        let actions = declared
            .iter()
            .chain(others)
            .map(|kind| ActionCoverage {
                kind: kind.to_string(),
                fired: count(&self.fired, kind),
                distinct: count(&self.distinct, kind),
            })
            .collect();
        Coverage {
            initial_states: self.initial,
            actions,
        }
    }
}

impl<'a, M> Search<'a, M>
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    fn new(
        model: &'a M,
        properties: &'a [DescribedProperty<M>],
        liveness: &'a [LivenessProperty<M>],
        options: &'a CheckOptions,
        threads: usize,
    ) -> Self {
        let started = Instant::now();
        let numbered = !liveness.is_empty();
        Search {
            model,
            properties,
            liveness,
            options,
            symmetry: options.symmetry,
            packing: model.codec().map(|codec| Packing {
                codec,
                width: codec.packed_len(),
                records: options
                    .symmetry
                    .then(|| codec.interchangeable_records())
                    .flatten(),
            }),
            threads,
            started,
            watch: Watch {
                started,
                deadline: options.timeout.map(|timeout| started + timeout),
                stop: options.stop.as_deref(),
                max_memory: options.max_memory,
                memory_read: AtomicU64::new(0),
                hit: AtomicU8::new(0),
            },
            visited: Visited::new(numbered),
            found: vec![None; properties.len()],
            generated: 0,
            depth: 0,
            graph: numbered.then(|| Graph::new(liveness.len())),
            peak_frontier: 0,
            peak_frontier_bytes: 0,
            checkpoint: options.checkpoint.as_ref().map(|checkpoint| Checkpointer {
                options: checkpoint,
                identity: identity(model, properties, liveness, options),
                last: started,
                status: CheckpointStatus {
                    path: checkpoint.file(),
                    resumed_at_depth: None,
                    writes: 0,
                    bytes: 0,
                    depth: 0,
                    distinct: 0,
                    failure: None,
                },
            }),
            earlier: Duration::ZERO,
            coverage: options.coverage.then(Tally::default),
        }
    }

    /// Takes up the search `saved` left: returns its frontier.
    fn restore(&mut self, saved: SavedSearch) -> Level<M::State> {
        self.earlier = saved.elapsed;
        self.generated = saved.generated;
        self.depth = saved.depth;
        self.peak_frontier = saved.peak_frontier;
        self.peak_frontier_bytes = saved.peak_frontier_bytes;
        self.found = saved.found;
        self.visited.extend(saved.visited);
        if saved.graph.is_some() {
            self.graph = saved.graph;
        }
        if let Some(checkpoint) = &mut self.checkpoint {
            checkpoint.status.resumed_at_depth = Some(saved.depth);
            checkpoint.status.bytes = saved.bytes;
            checkpoint.status.depth = saved.depth;
            checkpoint.status.distinct = self.visited.len();
        }
        let mut chunk = Chunk::with_capacity(0);
        chunk.fps = saved.frontier_fps;
        chunk.packed = saved.frontier_packed;
        chunk.committed();
        if chunk.len() == 0 {
            Vec::new()
        } else {
            vec![chunk]
        }
    }

    /// Saves the search at this level boundary if a checkpoint is due (or `always`).
    fn save_if_due(&mut self, frontier: &Level<M::State>, always: bool) {
        let due = self.checkpoint.as_ref().is_some_and(|checkpoint| {
            // The file may already hold this very boundary (just written, or resumed).
            let saved_here = (checkpoint.status.writes > 0
                || checkpoint.status.resumed_at_depth.is_some())
                && checkpoint.status.failure.is_none()
                && checkpoint.status.depth == self.depth
                && checkpoint.status.distinct == self.visited.len();
            !saved_here && (always || checkpoint.last.elapsed() >= checkpoint.options.every)
        });
        if !due {
            return;
        }
        let result = self.write_checkpoint(frontier);
        let depth = self.depth;
        let distinct = self.visited.len();
        let checkpoint = self.checkpoint.as_mut().expect("checkpointing");
        checkpoint.last = Instant::now();
        match result {
            Ok(bytes) => {
                checkpoint.status.writes += 1;
                checkpoint.status.bytes = bytes;
                checkpoint.status.depth = depth;
                checkpoint.status.distinct = distinct;
                checkpoint.status.failure = None;
            }
            Err(error) => {
                let _ = std::fs::remove_file(checkpoint.options.dir.join(PARTIAL_FILE));
                checkpoint.status.failure = Some(format!(
                    "{}: {error}",
                    checkpoint.options.dir.join(PARTIAL_FILE).display()
                ));
            }
        }
    }

    /// Writes the checkpoint: see `checkpoint.rs` for the layout. Returns its size.
    fn write_checkpoint(&self, frontier: &Level<M::State>) -> std::io::Result<u64> {
        let checkpoint = self.checkpoint.as_ref().expect("checkpointing");
        let dir = &checkpoint.options.dir;
        let mut out = Writer::create(&dir.join(PARTIAL_FILE))?;
        out.u64(checkpoint.identity.len() as u64)?;
        for (what, value) in &checkpoint.identity {
            out.string(what)?;
            out.string(value)?;
        }
        out.u64((self.earlier + self.started.elapsed()).as_nanos() as u64)?;
        out.u64(self.generated)?;
        out.u64(self.depth as u64)?;
        out.u64(self.peak_frontier as u64)?;
        out.u64(self.peak_frontier_bytes as u64)?;
        out.u64(self.found.len() as u64)?;
        for found in &self.found {
            let (fp, depth) = found.map_or((0, 0), |found| (found.fp, found.depth));
            out.u64(fp)?;
            out.u64(depth as u64)?;
        }
        out.u64(self.visited.len() as u64)?;
        let mut buffer = Vec::with_capacity(16 * 4096);
        self.visited.for_each_block(4096, |records| {
            buffer.clear();
            for &(fp, tag, number) in records {
                buffer.extend_from_slice(&fp.to_le_bytes());
                buffer.extend_from_slice(&tag.to_le_bytes());
                buffer.extend_from_slice(&number.to_le_bytes());
            }
            out.bytes(&buffer)
        })?;
        let states: usize = frontier.iter().map(Chunk::len).sum();
        out.u64(states as u64)?;
        for chunk in frontier {
            out.u64_values(&chunk.fps)?;
        }
        out.u64(
            frontier
                .iter()
                .map(|chunk| chunk.packed.len())
                .sum::<usize>() as u64,
        )?;
        for chunk in frontier {
            out.bytes(&chunk.packed)?;
        }
        match &self.graph {
            None => out.u32(0)?,
            Some(graph) => {
                out.u32(1)?;
                out.u64s(&graph.offsets)?;
                out.u32s(&graph.targets)?;
                out.byte_vec(&graph.labels)?;
                out.byte_vec(&graph.flags)?;
                out.u32s(&graph.parents)?;
            }
        }
        let bytes = out.finish()?;
        checkpoint::publish(dir)?;
        Ok(bytes)
    }

    /// Liveness flag bytes a state.
    fn flag_stride(&self) -> usize {
        self.graph.as_ref().map_or(0, |graph| graph.flag_stride)
    }

    fn class_fp(&self, state: &M::State) -> u64 {
        class_fingerprint(
            self.model,
            self.packing,
            self.symmetry,
            state,
            &mut Scratch::default(),
        )
    }

    fn publish(&self, queue: usize) {
        if let Some(progress) = &self.options.progress {
            progress
                .distinct
                .store(self.visited.len() as u64, Ordering::Relaxed);
            progress.generated.store(self.generated, Ordering::Relaxed);
            progress.depth.store(self.depth as u64, Ordering::Relaxed);
            progress.queue.store(queue as u64, Ordering::Relaxed);
        }
    }

    fn run(mut self, saved: Option<SavedSearch>) -> Report {
        let start = match saved {
            Some(saved) => Ok(self.restore(saved)),
            None => self.initial_level(),
        };
        let (completeness, frontier) = match start {
            Ok(level) => self.explore(level),
            Err(bound) => (self.bounded(bound), Vec::new()),
        };
        let left: usize = match completeness {
            Completeness::Exhaustive => 0,
            _ => frontier.iter().map(Chunk::len).sum(),
        };
        drop_in_parallel(frontier);
        if let Some(progress) = &self.options.progress {
            progress.stage.store(1, Ordering::Relaxed);
        }
        self.report(completeness, left)
    }

    /// Explores level after level from `frontier`; returns why it stopped and the states
    /// left unexplored.
    fn explore(&mut self, mut frontier: Level<M::State>) -> (Completeness, Level<M::State>) {
        let completeness = loop {
            let queue: usize = frontier.iter().map(Chunk::len).sum();
            self.peak_frontier = self.peak_frontier.max(queue);
            self.peak_frontier_bytes = self
                .peak_frontier_bytes
                .max(frontier.iter().map(Chunk::bytes).sum());
            self.publish(queue);
            if queue == 0 {
                // With liveness the analysis is still to come: worth saving the graph.
                if self.graph.is_some() {
                    self.save_if_due(&frontier, true);
                }
                break Completeness::Exhaustive;
            }
            if self.every_property_decided() {
                break Completeness::EveryPropertyDecided;
            }
            if self.watch.poll() {
                self.save_if_due(&frontier, true);
                break self.bounded(self.watch.bound().unwrap_or(Bound::Stop));
            }
            if self.options.max_depth.is_some_and(|max| self.depth >= max) {
                match self.peek(&frontier) {
                    Ok(generated) if self.graph.is_none() => {
                        self.generated += generated;
                        frontier.clear();
                        break Completeness::Exhaustive;
                    }
                    // With liveness, the last level's edges are needed: expand it (it
                    // finds nothing new).
                    Ok(_) => {}
                    Err(bound) => {
                        self.save_if_due(&frontier, true);
                        break self.bounded(bound);
                    }
                }
            }
            self.save_if_due(&frontier, false);
            match self.expand(&mut frontier) {
                Ok(next) => {
                    if !next.is_empty() {
                        self.depth += 1;
                    }
                    drop_in_parallel(std::mem::replace(&mut frontier, next));
                }
                // A level abandoned part-way leaves the frontier and the visited set as
                // they were at its start: saved, the search resumes with that level.
                Err(bound) => {
                    self.save_if_due(&frontier, true);
                    break self.bounded(bound);
                }
            }
        };
        (completeness, frontier)
    }

    /// Level 0: the initial states within the boundary, first occurrence of each class.
    fn initial_level(&mut self) -> Result<Level<M::State>, Bound> {
        let pending = self.pending();
        let mut level = Chunk::with_capacity(1);
        let mut seen = HashSet::new();
        let mut scratch = Scratch::default();
        for (index, state) in self.model.init_states().into_iter().enumerate() {
            self.generated += 1;
            if !self.model.within_boundary(&state) {
                continue;
            }
            let fp = class_fingerprint(
                self.model,
                self.packing,
                self.symmetry,
                &state,
                &mut scratch,
            );
            if seen.insert(fp) {
                let assessment =
                    assess(self.model, self.properties, pending, self.liveness, &state);
                level.push(
                    fp,
                    index as u64,
                    0,
                    assessment,
                    self.flag_stride(),
                    state,
                    self.packing,
                    &scratch,
                );
            }
        }
        if self.options.max_states.is_some_and(|max| level.len() > max) {
            // Even the initial states do not fit: report nothing rather than a part.
            return Err(Bound::MaxStates);
        }
        self.visited.extend(
            level
                .fps
                .iter()
                .enumerate()
                .map(|(number, &fp)| (fp, 0, number as u32))
                .collect(),
        );
        let mut level = vec![level];
        if let Some(graph) = &mut self.graph {
            graph
                .parents
                .extend(std::iter::repeat_n(ROOT, level[0].len()));
        }
        if let Some(tally) = &mut self.coverage {
            tally.initial = level[0].len() as u64;
        }
        self.record_discoveries(&level, 0, pending);
        level[0].committed();
        Ok(level)
    }

    /// The properties still undecided, among those evaluated as states are generated.
    fn pending(&self) -> u64 {
        (0..self.properties.len().min(EVALUATED_AT_BIRTH))
            .filter(|&index| {
                self.found[index].is_none()
                    && self.properties[index].property.expectation != Expectation::Eventually
            })
            .fold(0, |bits, index| bits | 1 << index)
    }

    fn every_property_decided(&self) -> bool {
        !self.properties.is_empty()
            && self.liveness.is_empty()
            && self.found.iter().all(Option::is_some)
    }

    fn bounded(&self, bound: Bound) -> Completeness {
        Completeness::Bounded {
            reason: self.bound_reason(bound),
        }
    }

    fn bound_reason(&self, bound: Bound) -> String {
        match bound {
            Bound::MaxStates => format!(
                "--max-states {} reached",
                self.options.max_states.unwrap_or_default()
            ),
            Bound::MaxDepth => format!(
                "--max-depth {} reached",
                self.options.max_depth.unwrap_or_default()
            ),
            Bound::Timeout => format!(
                "--timeout {:?} reached",
                self.options.timeout.unwrap_or_default()
            ),
            Bound::Stop => "stopped on request".to_string(),
            Bound::MaxMemory => format!(
                "--max-memory {} MiB reached",
                self.options.max_memory.unwrap_or_default() >> 20
            ),
        }
    }

    /// After an exhaustive search: whether a bound (the clock, Ctrl-C, memory) stops the
    /// liveness analysis, and the note that says so.
    fn analysis_stopped(&self) -> Option<String> {
        self.watch.poll().then(|| {
            format!(
                "{} during the liveness analysis, before this property was decided",
                self.bound_reason(self.watch.bound().unwrap_or(Bound::Stop))
            )
        })
    }

    /// States per task: small enough to balance the threads and to notice a bound soon.
    fn task_size(&self, total: usize) -> usize {
        (total / (self.threads * 16)).clamp(1, 1024)
    }

    /// Cuts the frontier into tasks (see [`Self::task_size`]).
    fn work_items(&self, frontier: &Level<M::State>) -> Vec<WorkItem> {
        let total: usize = frontier.iter().map(Chunk::len).sum();
        let size = self.task_size(total);
        let mut items = Vec::with_capacity(total / size + frontier.len());
        let mut base = 0u64;
        for (segment, chunk) in frontier.iter().enumerate() {
            let mut start = 0;
            while start < chunk.len() {
                let end = (start + size).min(chunk.len());
                items.push((segment, start, end, base + start as u64));
                start = end;
            }
            base += chunk.len() as u64;
        }
        items
    }

    /// Explores one level, taking (and dropping) each frontier state as it goes: returns
    /// the next frontier, or the bound that stopped it (then nothing of the level is
    /// kept).
    ///
    /// Phase A expands the tasks in parallel. Each worker thread keeps its own map of the
    /// level's new fingerprints to the smallest candidate key it has seen, so it stores a
    /// state only if it beats what that thread already has, without locks or shared
    /// cache lines. The maps are then merged shard by shard, and phase C keeps each
    /// fingerprint's smallest candidate overall: the same one whatever the thread count.
    fn expand(&mut self, frontier: &mut Level<M::State>) -> Result<Level<M::State>, Bound> {
        let model = self.model;
        let properties = self.properties;
        let liveness = self.liveness;
        let pending = self.pending();
        let record_edges = self.graph.is_some();
        let flag_stride = self.flag_stride();
        let symmetry = self.symmetry;
        let watch = &self.watch;
        let visited = &self.visited;
        let progress = self.options.progress.as_deref();
        let threads = self.threads;
        let coverage = self.coverage.as_ref();
        let frontier_len: usize = frontier.iter().map(Chunk::len).sum();
        // One set of candidate maps (fp -> smallest key), split into shards, per thread.
        let candidates: Vec<Mutex<Vec<FpMap<u64>>>> = (0..threads)
            .map(|_| Mutex::new((0..SHARDS).map(|_| FpMap::default()).collect()))
            .collect();

        let size = self.task_size(frontier_len);
        let packing = self.packing;
        let width = packing.map_or(0, |packing| packing.width);
        // Tasks: runs of at most `size` frontier states, with their global index.
        let mut items: Vec<Task<'_, M::State>> =
            Vec::with_capacity(frontier_len / size + frontier.len());
        let mut base = 0u64;
        for chunk in frontier.iter_mut() {
            let mut fps = &chunk.fps[..];
            let mut whole = &mut chunk.whole[..];
            let mut packed = &chunk.packed[..];
            while !fps.is_empty() {
                let n = size.min(fps.len());
                let (task_fps, rest_fps) = fps.split_at(n);
                let whole_n = n.min(whole.len()); // 0 with a codec
                let (task_whole, rest_whole) = std::mem::take(&mut whole).split_at_mut(whole_n);
                let (task_packed, rest_packed) = packed.split_at(n * width);
                items.push((task_fps, task_whole, task_packed, base));
                base += n as u64;
                fps = rest_fps;
                whole = rest_whole;
                packed = rest_packed;
            }
        }

        // Phase A: expand, in parallel; `collect` keeps the tasks' outputs in order.
        let outputs: Vec<ChunkOutput<M::State>> = items
            .into_par_iter()
            .map_init(
                || (Vec::new(), Scratch::default(), HashMap::new()),
                |(actions, scratch, kind_numbers), (fps, whole, packed, base)| {
                    let mut out = ChunkOutput {
                        chunk: Chunk::with_capacity(fps.len()),
                        generated: 0,
                        edges: ChunkEdges::default(),
                        fired: Vec::new(),
                    };
                    if watch.poll() {
                        return out;
                    }
                    // Only this thread ever locks its own maps: the lock is never contended.
                    let thread = rayon::current_thread_index().unwrap_or(0) % threads;
                    let mut maps = candidates[thread]
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    for (offset, &parent_fp) in fps.iter().enumerate() {
                        if watch.aborted() {
                            break;
                        }
                        let state = match packing {
                            Some(packing) => packing
                                .codec
                                .decode(&packed[offset * width..(offset + 1) * width]),
                            None => match whole[offset].take() {
                                Some(state) => state,
                                None => continue,
                            },
                        };
                        let index = base + offset as u64;
                        let parent_tag = tag_of(parent_fp);
                        model.actions(&state, actions);
                        let mut count = 0u32;
                        for (action_index, action) in actions.drain(..).enumerate() {
                            let labels_at = out.edges.labels.len();
                            if record_edges {
                                for property in liveness {
                                    out.edges
                                        .labels
                                        .push(label(model, property, &state, &action));
                                }
                            }
                            let kind = coverage.map(|tally| {
                                tally.number(model.action_kind(&state, &action), kind_numbers)
                            });
                            let next = model
                                .next_state(&state, action)
                                .filter(|next| model.within_boundary(next));
                            let Some(next) = next else {
                                out.edges.labels.truncate(labels_at);
                                continue;
                            };
                            out.generated += 1;
                            if let Some(kind) = kind {
                                Tally::add(&mut out.fired, kind, 1);
                            }
                            let fp = class_fingerprint(model, packing, symmetry, &next, scratch);
                            if record_edges {
                                out.edges.targets.push(fp);
                                count += 1;
                            }
                            debug_assert!(index < 1 << 32 && (action_index as u64) < 1 << 32);
                            let key = (index << 32) | action_index as u64;
                            // The level's own map first: most successors that are not new
                            // were found earlier in this level (interleavings of the same
                            // steps), and this map is far smaller than the visited set.
                            match maps[level_shard(fp)].entry(fp) {
                                Entry::Occupied(mut entry) => {
                                    if *entry.get() < key {
                                        continue; // an earlier candidate already has it
                                    }
                                    entry.insert(key);
                                }
                                Entry::Vacant(entry) => {
                                    if visited.contains(fp) {
                                        continue;
                                    }
                                    entry.insert(key);
                                }
                            }
                            let assessment = assess(model, properties, pending, liveness, &next);
                            if let Some(packing) = packing {
                                // Test builds hold the codec to its word on every state
                                // stored.
                                // (By the whole state's hash: states need not be `Eq`.)
                                debug_assert!(
                                    fingerprint(&packing.codec.decode(&scratch.packed))
                                        == fingerprint(&next),
                                    "the model's codec does not round-trip a state"
                                );
                            }
                            out.chunk.push(
                                fp,
                                key,
                                parent_tag,
                                assessment,
                                flag_stride,
                                next,
                                packing,
                                scratch,
                            );
                            if let Some(kind) = kind {
                                out.chunk.kinds.push(kind);
                            }
                        }
                        if record_edges {
                            out.edges.counts.push(count);
                        }
                    }
                    if let Some(progress) = progress {
                        progress
                            .generated
                            .fetch_add(out.generated, Ordering::Relaxed);
                    }
                    out
                },
            )
            .collect();
        if let Some(bound) = watch.bound() {
            return Err(bound);
        }

        // The level's new states: each thread's maps merged shard by shard.
        let mut by_shard: Vec<Vec<FpMap<u64>>> =
            (0..SHARDS).map(|_| Vec::with_capacity(threads)).collect();
        for maps in candidates {
            let maps = maps.into_inner().unwrap_or_else(PoisonError::into_inner);
            for (shard, map) in maps.into_iter().enumerate() {
                by_shard[shard].push(map);
            }
        }
        let level: Vec<FpMap<u64>> = by_shard
            .into_par_iter()
            .map(|mut maps| {
                maps.sort_by_key(|map| std::cmp::Reverse(map.len()));
                let mut maps = maps.into_iter();
                let mut merged = maps.next().unwrap_or_default();
                for map in maps {
                    for (fp, key) in map {
                        merged
                            .entry(fp)
                            .and_modify(|smallest| *smallest = (*smallest).min(key))
                            .or_insert(key);
                    }
                }
                merged
            })
            .collect();
        let new_states: usize = level.iter().map(HashMap::len).sum();
        if let Some(max) = self.options.max_states {
            if self.visited.len() + new_states > max {
                self.watch.raise(Bound::MaxStates);
                return Err(Bound::MaxStates);
            }
        }

        let mut next: Level<M::State> = Vec::with_capacity(outputs.len());
        let mut edges = Vec::with_capacity(if record_edges { outputs.len() } else { 0 });
        for output in outputs {
            self.generated += output.generated;
            if let Some(tally) = &mut self.coverage {
                for (kind, &fired) in output.fired.iter().enumerate() {
                    Tally::add(&mut tally.fired, kind as u32, fired);
                }
            }
            if output.chunk.len() > 0 {
                next.push(output.chunk);
            }
            if record_edges {
                edges.push(output.edges);
            }
        }

        // Phase C: keep each fingerprint's smallest candidate, in candidate order.
        next.par_iter_mut().for_each(|chunk| {
            chunk.retain(packing, flag_stride, |fp, key| {
                level[level_shard(fp)].get(&fp) == Some(&key)
            });
        });
        next.retain(|chunk| chunk.len() > 0);
        drop(level);
        if let Some(tally) = &mut self.coverage {
            for &kind in next.iter().flat_map(|chunk| &chunk.kinds) {
                Tally::add(&mut tally.distinct, kind, 1);
            }
        }
        self.record_discoveries(&next, self.depth + 1, pending);

        // Phase B: commit the level to the visited set, numbering its states in order.
        let first_number = self.visited.len();
        let mut entries = Vec::with_capacity(new_states);
        for chunk in &next {
            for (&fp, &tag) in chunk.fps.iter().zip(&chunk.tags) {
                entries.push((fp, tag, (first_number + entries.len()) as u32));
            }
        }
        if let Some(graph) = &mut self.graph {
            // The frontier's first number: the states before it are all older levels.
            let parent_base = (first_number - frontier_len) as u64;
            graph.parents.extend(
                next.iter()
                    .flat_map(|chunk| &chunk.keys)
                    .map(|key| (parent_base + (key >> 32)) as u32),
            );
        }
        assert!(
            self.visited.len() + entries.len() < u32::MAX as usize,
            "more than 4 billion states"
        );
        self.visited.extend(entries);
        next.par_iter_mut().for_each(Chunk::committed);

        // The edges of the frontier, now that every target has a number.
        if let Some(graph) = &mut self.graph {
            let visited = &self.visited;
            let resolved: Vec<Vec<u32>> = edges
                .par_iter()
                .map(|chunk| {
                    chunk
                        .targets
                        .iter()
                        .map(|&fp| visited.number(fp).expect("every edge target is visited"))
                        .collect()
                })
                .collect();
            for (chunk, targets) in edges.into_iter().zip(resolved) {
                let mut offset = *graph.offsets.last().expect("offsets start with 0");
                for count in chunk.counts {
                    offset += u64::from(count);
                    graph.offsets.push(offset);
                }
                graph.targets.extend(targets);
                graph.labels.extend(chunk.labels);
            }
        }
        Ok(next)
    }

    /// At the depth bound: does some frontier state still have a successor never seen?
    /// `Ok(generated)` if not (the search was in fact exhaustive), else the bound.
    fn peek(&self, frontier: &Level<M::State>) -> Result<u64, Bound> {
        let model = self.model;
        let symmetry = self.symmetry;
        let packing = self.packing;
        let watch = &self.watch;
        let visited = &self.visited;
        let open = AtomicBool::new(false);
        let generated: u64 = self
            .work_items(frontier)
            .par_iter()
            .map_init(
                || (Vec::new(), Scratch::default()),
                |(actions, scratch), &(segment, start, end, _)| {
                    let mut generated = 0;
                    if open.load(Ordering::Relaxed) || watch.poll() {
                        return generated;
                    }
                    for index in start..end {
                        if open.load(Ordering::Relaxed) || watch.aborted() {
                            break;
                        }
                        frontier[segment].with_state(index, packing, |state| {
                            model.actions(state, actions);
                            for action in actions.drain(..) {
                                if let Some(next) = model.next_state(state, action) {
                                    generated += 1;
                                    if model.within_boundary(&next)
                                        && !visited.contains(class_fingerprint(
                                            model, packing, symmetry, &next, scratch,
                                        ))
                                    {
                                        open.store(true, Ordering::Relaxed);
                                        break;
                                    }
                                }
                            }
                        });
                    }
                    generated
                },
            )
            .sum();
        if open.load(Ordering::Relaxed) {
            Err(Bound::MaxDepth)
        } else if let Some(bound) = watch.bound() {
            Err(bound)
        } else {
            Ok(generated)
        }
    }

    /// Records, for each property in `pending` that a state of the new level decides, the
    /// first such state in frontier order (from the bits set when the states were
    /// generated); with liveness, appends the level's flags to the graph. Properties past
    /// the first [`EVALUATED_AT_BIRTH`] are evaluated here.
    fn record_discoveries(&mut self, level: &Level<M::State>, depth: usize, pending: u64) {
        if let Some(graph) = &mut self.graph {
            let stride = graph.flag_stride;
            graph
                .flags
                .reserve(level.iter().map(Chunk::len).sum::<usize>() * stride);
            debug_assert!(level
                .iter()
                .all(|chunk| chunk.flags.len() == chunk.len() * stride));
            for chunk in level {
                graph.flags.extend_from_slice(&chunk.flags);
            }
        }
        let mut remaining = pending;
        'level: for chunk in level {
            for &(at, decided) in &chunk.decided {
                if remaining == 0 {
                    break 'level;
                }
                let mut hits = decided & remaining;
                remaining &= !hits;
                while hits != 0 {
                    let index = hits.trailing_zeros() as usize;
                    hits &= hits - 1;
                    self.found[index] = Some(Found {
                        fp: chunk.fps[at as usize],
                        depth,
                    });
                }
            }
        }
        let model = self.model;
        let properties = self.properties;
        let packing = self.packing;
        let late: Vec<usize> = (EVALUATED_AT_BIRTH..properties.len())
            .filter(|&index| {
                self.found[index].is_none()
                    && properties[index].property.expectation != Expectation::Eventually
            })
            .collect();
        if late.is_empty() {
            return;
        }
        let hits: Vec<Vec<Option<u64>>> = level
            .par_iter()
            .map(|chunk| {
                late.iter()
                    .map(|&index| {
                        (0..chunk.len())
                            .find(|&at| {
                                chunk
                                    .with_state(at, packing, |state| {
                                        decides(model, &properties[index], state)
                                    })
                                    .unwrap_or(false)
                            })
                            .map(|at| chunk.fps[at])
                    })
                    .collect()
            })
            .collect();
        for (slot, &index) in late.iter().enumerate() {
            self.found[index] = hits
                .iter()
                .find_map(|segment| segment[slot])
                .map(|fp| Found { fp, depth });
        }
    }

    /// Replays the model from its initial states along a path of `steps` steps whose
    /// `k`-th state's class fingerprint `accept(k, fp)` accepts, trying actions in order
    /// and backtracking. Returns the initial state and each step as (action index, state).
    #[allow(clippy::type_complexity)]
    fn replay(
        &self,
        steps: usize,
        accept: &dyn Fn(usize, u64) -> bool,
    ) -> Option<(M::State, Vec<(usize, M::State)>)> {
        /// Extends a path at `state` (step `step - 1`) to `steps` steps; pushes the steps
        /// in reverse order on success.
        fn extend<M: Presentation>(
            model: &M,
            class_fp: &dyn Fn(&M::State) -> u64,
            state: &M::State,
            step: usize,
            steps: usize,
            accept: &dyn Fn(usize, u64) -> bool,
            reversed: &mut Vec<(usize, M::State)>,
        ) -> bool
        where
            M::State: Hash,
        {
            if step > steps {
                return true;
            }
            let mut actions = Vec::new();
            model.actions(state, &mut actions);
            for (index, action) in actions.into_iter().enumerate() {
                let Some(next) = model.next_state(state, action) else {
                    continue;
                };
                if model.within_boundary(&next)
                    && accept(step, class_fp(&next))
                    && extend(model, class_fp, &next, step + 1, steps, accept, reversed)
                {
                    reversed.push((index, next));
                    return true;
                }
            }
            false
        }
        let model = self.model;
        for state in model.init_states() {
            if !model.within_boundary(&state) || !accept(0, self.class_fp(&state)) {
                continue;
            }
            let mut reversed = Vec::with_capacity(steps);
            if extend(
                model,
                &|state| self.class_fp(state),
                &state,
                1,
                steps,
                accept,
                &mut reversed,
            ) {
                reversed.reverse();
                return Some((state, reversed));
            }
        }
        None
    }

    /// Turns a replayed path into a trace, describing each step in the model's words.
    fn describe(&self, first: M::State, steps: Vec<(usize, M::State)>) -> Trace {
        let model = self.model;
        let mut states = vec![TraceState {
            action: "Initial state".to_string(),
            variables: model.variables(&first),
        }];
        let mut before = first;
        let mut actions = Vec::new();
        for (index, after) in steps {
            actions.clear();
            model.actions(&before, &mut actions);
            states.push(TraceState {
                action: model.describe_step(&before, &actions[index], &after),
                variables: model.variables(&after),
            });
            before = after;
        }
        Trace {
            states,
            loop_start: None,
            loop_action: None,
        }
    }

    /// The trace to the state `found` recorded, from parent tags.
    fn trace(&self, found: Found) -> Trace {
        // Backwards: the candidates for each step (usually one each).
        let mut sets: Vec<Vec<u64>> = vec![vec![found.fp]];
        for _ in 0..found.depth {
            let mut candidates = BTreeSet::new();
            for &fp in sets.last().expect("at least the target") {
                match self.visited.parent_tag(fp) {
                    Some(0) | None => {}
                    Some(tag) => candidates.extend(self.visited.with_tag(tag)),
                }
            }
            sets.push(candidates.into_iter().collect());
        }
        sets.reverse();
        let accept = |step: usize, fp: u64| sets[step].binary_search(&fp).is_ok();
        let (first, steps) = self.replay(found.depth, &accept).expect(REPLAY);
        self.describe(first, steps)
    }

    /// The trace along `path` (state numbers, liveness only); with `loop_start`, the
    /// last state steps back to `path[loop_start]`.
    fn numbered_trace(&self, path: &[u32], loop_start: Option<usize>) -> Trace {
        let mut full: Vec<u32> = path.to_vec();
        if let Some(start) = loop_start {
            full.push(path[start]);
        }
        let accept = |step: usize, fp: u64| self.visited.number(fp) == Some(full[step]);
        let (first, mut steps) = self.replay(full.len() - 1, &accept).expect(REPLAY);
        let loop_action = if loop_start.is_some() {
            let (index, after) = steps.pop().expect("a loop has a closing step");
            let before = steps.last().map_or(&first, |(_, state)| state);
            let mut actions = Vec::new();
            self.model.actions(before, &mut actions);
            Some(self.model.describe_step(before, &actions[index], &after))
        } else {
            None
        };
        let mut trace = self.describe(first, steps);
        trace.loop_start = loop_start;
        trace.loop_action = loop_action;
        trace
    }

    fn report(self, completeness: Completeness, left: usize) -> Report {
        let exhaustive = completeness == Completeness::Exhaustive;
        let mut results: Vec<PropertyResult> = self
            .properties
            .iter()
            .zip(&self.found)
            .map(|(property, found)| {
                let (expectation, verdict, note) = match property.property.expectation {
                    Expectation::Always => (
                        PropertyKind::Always,
                        match found {
                            Some(_) => Verdict::Violated,
                            None if exhaustive => Verdict::Holds,
                            None => Verdict::Inconclusive,
                        },
                        None,
                    ),
                    Expectation::Sometimes => (
                        PropertyKind::Sometimes,
                        match found {
                            Some(_) => Verdict::Reached,
                            None if exhaustive => Verdict::NotReached,
                            None => Verdict::Inconclusive,
                        },
                        None,
                    ),
                    Expectation::Eventually => (
                        PropertyKind::Eventually,
                        Verdict::Inconclusive,
                        // stateright's `eventually` is unsound on cyclic graphs: models
                        // declare a `LivenessProperty` instead, decided on the graph.
                        Some("liveness (eventually) is not checked by this engine yet".to_string()),
                    ),
                };
                PropertyResult {
                    name: property.name().to_string(),
                    description: property.description.to_string(),
                    expectation,
                    verdict,
                    trace: found.map(|found| self.trace(found)),
                    note,
                }
            })
            .collect();
        for (k, property) in self.liveness.iter().enumerate() {
            results.push(self.liveness_result(k, property, exhaustive));
        }
        let elapsed = self.earlier + self.started.elapsed();
        let distinct = self.visited.len() as u64;
        Report {
            properties: results,
            statistics: Statistics {
                states_generated: self.generated,
                distinct_states: distinct,
                states_left_on_queue: left as u64,
                depth: self.depth,
                elapsed,
                distinct_states_per_second: if elapsed.is_zero() {
                    0.0
                } else {
                    distinct as f64 / elapsed.as_secs_f64()
                },
                threads: self.threads,
                symmetry: self.symmetry,
                visited_bytes: self.visited.bytes() as u64,
                graph_bytes: self.graph.as_ref().map_or(0, |g| g.bytes() as u64),
                peak_frontier: self.peak_frontier as u64,
                peak_frontier_bytes: self.peak_frontier_bytes as u64,
            },
            completeness,
            checkpoint: self.checkpoint.map(|checkpoint| checkpoint.status),
            coverage: self
                .coverage
                .map(|tally| tally.into_coverage(self.model.action_kinds())),
        }
    }

    fn liveness_result(
        &self,
        k: usize,
        property: &LivenessProperty<M>,
        exhaustive: bool,
    ) -> PropertyResult {
        let expectation = match property.kind {
            Liveness::AlwaysRecoverable { .. } => PropertyKind::Recoverable,
            Liveness::LeadsTo { .. } => PropertyKind::LeadsTo,
        };
        let mut result = PropertyResult {
            name: property.name.to_string(),
            description: property.description.to_string(),
            expectation,
            verdict: Verdict::Inconclusive,
            trace: None,
            note: None,
        };
        let Some(graph) = self.graph.as_ref().filter(|_| exhaustive) else {
            result.note = Some(
                "liveness needs the whole state graph, and the search did not finish".to_string(),
            );
            return result;
        };
        if let Some(note) = self.analysis_stopped() {
            result.note = Some(note);
            return result;
        }
        let outcome = match property.kind {
            Liveness::AlwaysRecoverable { .. } => liveness::always_recoverable(graph, k),
            Liveness::LeadsTo { .. } if self.symmetry => {
                return self.symmetric_leads_to(graph, k, property, result);
            }
            Liveness::LeadsTo { .. } => {
                liveness::leads_to(graph, k, &|number| self.stops(graph, number))
            }
        };
        match outcome {
            Outcome::Holds => result.verdict = Verdict::Holds,
            Outcome::Stuck {
                path,
                reachable,
                recoverable_with_every_step,
            } => {
                let trace = self.numbered_trace(&path, None);
                let mut note = format!(
                    "from state {} no sequence of allowed steps reaches the goal ({} state{} \
                     reachable that way, none a goal state)",
                    trace.len(),
                    reachable,
                    if reachable == 1 { "" } else { "s" }
                );
                note.push_str(if recoverable_with_every_step {
                    "; steps this property does not count (such as an operator's) could"
                } else {
                    "; no step of any kind can"
                });
                if let Some(why) = self.explain(property, &path) {
                    note.push_str(&format!(". {why}"));
                }
                result.verdict = Verdict::Violated;
                result.trace = Some(trace);
                result.note = Some(note);
            }
            Outcome::Lasso {
                path,
                loop_start,
                processes,
            } => {
                let trace = self.numbered_trace(&path, Some(loop_start));
                let why = self.explain(property, &path[..=loop_start]);
                let note = lasso_note(&trace, &processes, why);
                result.verdict = Verdict::Violated;
                result.trace = Some(trace);
                result.note = Some(note);
            }
            Outcome::Stops { path } => return self.stopped_behaviour(property, &path, result),
        }
        result
    }

    /// Whether state `number`, which has no edge, has no next step at all, rather than
    /// steps that all lead past the model's boundary (the search keeps no edge for those).
    fn stops(&self, graph: &Graph, number: u32) -> bool {
        let state = self.real_state(&graph.path_to(number));
        let mut actions = Vec::new();
        self.model.actions(&state, &mut actions);
        !actions
            .into_iter()
            .any(|action| self.model.next_state(&state, action).is_some())
    }

    /// A leads-to violation by a behaviour that stops at the end of `path` (no next step)
    /// short of the goal: the trace ends there, stuttering, as TLC shows such a behaviour.
    fn stopped_behaviour(
        &self,
        property: &LivenessProperty<M>,
        path: &[u32],
        mut result: PropertyResult,
    ) -> PropertyResult {
        let mut trace = self.numbered_trace(path, None);
        let last = trace.len();
        trace.loop_start = Some(last - 1);
        trace.loop_action = Some(STUTTERING.to_string());
        let mut note = format!(
            "the behaviour stops at state {last}, where no step is possible, without reaching \
             the goal: it stutters there forever, which is fair to every process since none \
             has a step"
        );
        if let Some(why) = self.explain(property, path) {
            note.push_str(&format!(". {why}"));
        }
        result.verdict = Verdict::Violated;
        result.trace = Some(trace);
        result.note = Some(note);
        result
    }

    /// The real state at the end of the breadth-first path to state `number`.
    fn real_state(&self, path: &[u32]) -> M::State {
        let accept = |step: usize, fp: u64| self.visited.number(fp) == Some(path[step]);
        let (first, mut steps) = self.replay(path.len() - 1, &accept).expect(REPLAY);
        steps.pop().map_or(first, |(_, state)| state)
    }

    /// The real states of component `id` reachable from `start` inside it, with their
    /// edges `(node, label, action index)`; the last node stands for every state outside.
    #[allow(clippy::type_complexity)]
    fn expand_component(
        &self,
        components: &Components,
        id: usize,
        start: M::State,
        property: &LivenessProperty<M>,
    ) -> (Expansion, Vec<M::State>, Vec<Vec<(u32, usize)>>) {
        const OUTSIDE: u32 = u32::MAX;
        let model = self.model;
        let mut nodes: HashMap<u64, u32> = HashMap::from([(fingerprint(&start), 0)]);
        let mut states = vec![start];
        let mut edges: Vec<Vec<(u32, u8)>> = Vec::new();
        let mut actions_of: Vec<Vec<(u32, usize)>> = Vec::new();
        let mut at = 0;
        let mut actions = Vec::new();
        while at < states.len() {
            let mut list = Vec::new();
            let mut with_actions = Vec::new();
            model.actions(&states[at], &mut actions);
            for (index, action) in actions.drain(..).enumerate() {
                let step = label(model, property, &states[at], &action);
                let Some(next) = model
                    .next_state(&states[at], action)
                    .filter(|next| model.within_boundary(next))
                else {
                    continue;
                };
                let number = self
                    .visited
                    .number(self.class_fp(&next))
                    .expect("every successor is visited");
                let node = if components.of_state(number) == Some(id) {
                    let fresh = states.len() as u32;
                    let node = *nodes.entry(fingerprint(&next)).or_insert(fresh);
                    if node == fresh {
                        states.push(next);
                    }
                    node
                } else {
                    OUTSIDE
                };
                list.push((node, step));
                with_actions.push((node, index));
            }
            edges.push(list);
            actions_of.push(with_actions);
            at += 1;
        }
        let sink = states.len() as u32;
        for list in &mut edges {
            for edge in list.iter_mut() {
                if edge.0 == OUTSIDE {
                    edge.0 = sink;
                }
            }
        }
        edges.push(Vec::new());
        (Expansion::new(&edges, sink), states, actions_of)
    }

    /// `trigger ~> goal` on a graph reduced by symmetry: region and components on the
    /// reduced graph (sound: goal and trigger are symmetric), but fairness decided on
    /// each component's real states, since fairness names individual processes.
    fn symmetric_leads_to(
        &self,
        graph: &Graph,
        k: usize,
        property: &LivenessProperty<M>,
        mut result: PropertyResult,
    ) -> PropertyResult {
        let components = Components::of_region(graph, k);
        let stops = &|number| self.stops(graph, number);
        let count = components.members.len();
        // What the reduced graph alone says (both facts survive renaming), then the
        // expansion into real states for the rest.
        let mut fair: Vec<Option<bool>> = (0..count)
            .map(|id| components.quick_fairness(graph, k, id))
            .collect();
        let decide = |id: usize| {
            let start = self.real_state(&graph.path_to(components.members[id][0]));
            let (expansion, _, _) = self.expand_component(&components, id, start, property);
            expansion.fair_component().is_some()
        };
        // The nearest candidate first: a violation is usually found in a few tries.
        let mut tries = 0;
        let stem = loop {
            if let Some(note) = self.analysis_stopped() {
                result.note = Some(note);
                return result;
            }
            let Some(stem) =
                liveness::stem(graph, k, &components, &|id| fair[id] != Some(false), stops)
            else {
                break None;
            };
            let end = *stem.last().expect("a stem has a state");
            if graph.has_no_edges(end) {
                break Some(stem);
            }
            let id = components
                .of_state(end)
                .expect("the stem ends in a component");
            if *fair[id].get_or_insert_with(|| decide(id)) {
                break Some(stem);
            }
            tries += 1;
            if tries == 16 {
                // Many unfair components: decide all the others at once.
                fair.par_iter_mut().enumerate().for_each(|(id, fair)| {
                    if fair.is_none() && !self.watch.poll() {
                        *fair = Some(decide(id));
                    }
                });
                if let Some(note) = self.analysis_stopped() {
                    result.note = Some(note);
                    return result;
                }
                break liveness::stem(graph, k, &components, &|id| fair[id] == Some(true), stops);
            }
        };
        let Some(stem) = stem else {
            result.verdict = Verdict::Holds;
            return result;
        };
        let end = *stem.last().expect("a stem has a state");
        if graph.has_no_edges(end) {
            return self.stopped_behaviour(property, &stem, result);
        }
        let id = components
            .of_state(end)
            .expect("the stem ends in a component");
        let accept = |step: usize, fp: u64| self.visited.number(fp) == Some(stem[step]);
        let (first, mut steps) = self.replay(stem.len() - 1, &accept).expect(REPLAY);
        let start = self.real_state(&stem);
        let (expansion, _, actions_of) = self.expand_component(&components, id, start, property);
        let fair_id = expansion
            .fair_component()
            .expect("the component was found fair from another of its states");
        let to_cycle = expansion.path_to(fair_id);
        let cycle_start = to_cycle.last().copied().unwrap_or(0);
        let (cycle, processes) = expansion.cycle(fair_id, cycle_start);
        // The real steps after the stem: to the cycle, around it, and back.
        let mut nodes = vec![0u32];
        nodes.extend(&to_cycle);
        nodes.extend(&cycle);
        nodes.push(cycle_start);
        for pair in nodes.windows(2) {
            let (from, to) = (pair[0] as usize, pair[1]);
            let index = actions_of[from]
                .iter()
                .find(|(node, _)| *node == to)
                .map(|(_, index)| *index)
                .expect("consecutive nodes are joined by an edge");
            // Take the step again: the state it leads to is `states[to]`.
            let before = steps.last().map_or(&first, |(_, state)| state);
            let mut actions = Vec::new();
            self.model.actions(before, &mut actions);
            let action = actions.swap_remove(index);
            let after = self
                .model
                .next_state(before, action)
                .expect("the expansion took this step");
            steps.push((index, after));
        }
        let loop_start = stem.len() - 1 + to_cycle.len();
        let (index, after) = steps.pop().expect("a loop has a closing step");
        let before = steps.last().map_or(&first, |(_, state)| state);
        let mut actions = Vec::new();
        self.model.actions(before, &mut actions);
        let loop_action = self.model.describe_step(before, &actions[index], &after);
        let at_loop = match loop_start {
            0 => &first,
            start => &steps[start - 1].1,
        };
        let explanation = property
            .explain
            .and_then(|explain| explain(self.model, at_loop));
        let mut trace = self.describe(first, steps);
        trace.loop_start = Some(loop_start);
        trace.loop_action = Some(loop_action);
        result.note = Some(lasso_note(&trace, &processes, explanation));
        result.verdict = Verdict::Violated;
        result.trace = Some(trace);
        result
    }

    /// The model's explanation of the last state of `path`.
    fn explain(&self, property: &LivenessProperty<M>, path: &[u32]) -> Option<String> {
        let explain = property.explain?;
        let accept = |step: usize, fp: u64| self.visited.number(fp) == Some(path[step]);
        let (first, steps) = self.replay(path.len() - 1, &accept).expect(REPLAY);
        let state = steps.last().map_or(&first, |(_, state)| state);
        explain(self.model, state)
    }
}

/// The closing step of a behaviour that stops: it stays in its last state for ever.
const STUTTERING: &str = "Stuttering";

const REPLAY: &str = "replay failed: the model's init_states, actions or next_state are not \
                      deterministic (or two states share a fingerprint)";

/// The note of a violated leads-to property.
fn lasso_note(trace: &Trace, processes: &[usize], why: Option<String>) -> String {
    let start = trace.loop_start.unwrap_or_default();
    let mut note = format!(
        "after state {}, the behaviour repeats states {}-{} forever without reaching the \
         goal, and treats every process fairly (the cycle takes steps of process{} {})",
        start + 1,
        start + 1,
        trace.len(),
        if processes.len() == 1 { "" } else { "es" },
        processes
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(why) = why {
        note.push_str(&format!(". {why}"));
    }
    note
}
