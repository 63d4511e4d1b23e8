//! The level-synchronous breadth-first search (see the crate documentation).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use dnsrace_core::{DescribedProperty, Expectation, Model, Presentation};
use rayon::prelude::*;

use crate::report::{
    Completeness, PropertyKind, PropertyResult, Report, Statistics, Trace, TraceState, Verdict,
};

/// How to run a check. The default explores everything with every core.
#[derive(Clone, Debug, Default)]
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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|index| format!("dnsrace-checker-{index}"))
        .build()
        .expect("could not start the checker's thread pool");
    let threads = pool.current_num_threads();
    pool.install(|| Search::new(model, properties, options, threads).run())
}

/// Number of visited-set shards: enough that threads rarely meet on a lock.
const SHARDS: usize = 64;

/// Fixed seeds: the same fingerprints on every run (of one build).
const FINGERPRINTER: ahash::RandomState = ahash::RandomState::with_seeds(
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
);

/// A state's 64-bit fingerprint; never 0, which marks "no parent".
fn fingerprint<S: Hash>(state: &S) -> u64 {
    match FINGERPRINTER.hash_one(state) {
        0 => 1,
        fp => fp,
    }
}

/// Shards by middle bits: hashbrown uses the low bits for the bucket and the top seven
/// as a tag, so sharding by either would leave each shard's table badly spread.
fn shard_of(fp: u64) -> usize {
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

/// Every state found in a completed level: fingerprint -> parent fingerprint (0 for an
/// initial state). No states, so it stays small.
struct Visited {
    shards: Vec<FpMap<u64>>,
    len: usize,
}

impl Visited {
    fn new() -> Self {
        Visited {
            shards: (0..SHARDS).map(|_| FpMap::default()).collect(),
            len: 0,
        }
    }

    fn contains(&self, fp: u64) -> bool {
        self.shards[shard_of(fp)].contains_key(&fp)
    }

    fn parent(&self, fp: u64) -> Option<u64> {
        self.shards[shard_of(fp)].get(&fp).copied()
    }
}

/// A state of the frontier. `key` is its candidate key `(parent index << 32) | action
/// index`: smaller keys come first in sequential BFS order.
struct Node<S> {
    fp: u64,
    key: u64,
    state: S,
}

/// The frontier, as the chunks phase A produced (never flattened: that would copy every
/// state once more).
type Level<S> = Vec<Vec<Node<S>>>;

/// A slice of the frontier processed as one task: segment, start, end, global index of
/// `start`.
type WorkItem = (usize, usize, usize, u64);

/// Why a search stopped before exhausting the state space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Bound {
    MaxStates = 1,
    MaxDepth = 2,
    Timeout = 3,
    Stop = 4,
}

/// Watches the clock and the stop flag, and carries the first bound hit to every worker.
struct Watch<'a> {
    deadline: Option<Instant>,
    stop: Option<&'a AtomicBool>,
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

    /// Checks the clock and the flag; true if the search must stop.
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
        }
        self.aborted()
    }

    fn bound(&self) -> Option<Bound> {
        match self.hit.load(Ordering::Relaxed) {
            1 => Some(Bound::MaxStates),
            2 => Some(Bound::MaxDepth),
            3 => Some(Bound::Timeout),
            4 => Some(Bound::Stop),
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

/// The state of one check.
struct Search<'a, M: Model> {
    model: &'a M,
    properties: &'a [DescribedProperty<M>],
    options: &'a CheckOptions,
    threads: usize,
    started: Instant,
    watch: Watch<'a>,
    visited: Visited,
    /// For each property, the fingerprint of the first state that decided it.
    found: Vec<Option<u64>>,
    generated: u64,
    depth: usize,
}

impl<'a, M> Search<'a, M>
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    fn new(
        model: &'a M,
        properties: &'a [DescribedProperty<M>],
        options: &'a CheckOptions,
        threads: usize,
    ) -> Self {
        let started = Instant::now();
        Search {
            model,
            properties,
            options,
            threads,
            started,
            watch: Watch {
                deadline: options.timeout.map(|timeout| started + timeout),
                stop: options.stop.as_deref(),
                hit: AtomicU8::new(0),
            },
            visited: Visited::new(),
            found: vec![None; properties.len()],
            generated: 0,
            depth: 0,
        }
    }

    fn run(mut self) -> Report {
        let (completeness, frontier) = match self.initial_level() {
            Ok(level) => self.explore(level),
            Err(bound) => (self.bounded(bound), Vec::new()),
        };
        let left: usize = match completeness {
            Completeness::Exhaustive => 0,
            _ => frontier.iter().map(Vec::len).sum(),
        };
        drop_in_parallel(frontier);
        self.report(completeness, left)
    }

    /// Explores level after level from `frontier`; returns why it stopped and the states
    /// left unexplored.
    fn explore(&mut self, mut frontier: Level<M::State>) -> (Completeness, Level<M::State>) {
        let completeness = loop {
            if frontier.iter().all(Vec::is_empty) {
                break Completeness::Exhaustive;
            }
            if self.every_property_decided() {
                break Completeness::EveryPropertyDecided;
            }
            if self.watch.poll() {
                break self.bounded(self.watch.bound().unwrap_or(Bound::Stop));
            }
            if self.options.max_depth.is_some_and(|max| self.depth >= max) {
                match self.peek(&frontier) {
                    Ok(generated) => {
                        self.generated += generated;
                        frontier.clear();
                        break Completeness::Exhaustive;
                    }
                    Err(bound) => break self.bounded(bound),
                }
            }
            match self.expand(&frontier) {
                Ok(next) => {
                    if !next.is_empty() {
                        self.depth += 1;
                    }
                    drop_in_parallel(std::mem::replace(&mut frontier, next));
                }
                Err(bound) => break self.bounded(bound),
            }
        };
        (completeness, frontier)
    }

    /// Level 0: the initial states within the boundary, first occurrence of each.
    fn initial_level(&mut self) -> Result<Level<M::State>, Bound> {
        let mut level = Vec::new();
        for (index, state) in self.model.init_states().into_iter().enumerate() {
            self.generated += 1;
            if !self.model.within_boundary(&state) {
                continue;
            }
            let fp = fingerprint(&state);
            if let Entry::Vacant(entry) = self.visited.shards[shard_of(fp)].entry(fp) {
                entry.insert(0);
                level.push(Node {
                    fp,
                    key: index as u64,
                    state,
                });
            }
        }
        self.visited.len = level.len();
        if self.options.max_states.is_some_and(|max| level.len() > max) {
            // Even the initial states do not fit: report nothing rather than a part.
            self.visited = Visited::new();
            return Err(Bound::MaxStates);
        }
        let mut level = vec![level];
        self.record_discoveries(&mut level);
        Ok(level)
    }

    fn every_property_decided(&self) -> bool {
        !self.properties.is_empty() && self.found.iter().all(Option::is_some)
    }

    fn bounded(&self, bound: Bound) -> Completeness {
        let reason = match bound {
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
        };
        Completeness::Bounded { reason }
    }

    /// Cuts the frontier into tasks small enough to balance and to notice a bound soon.
    fn work_items(&self, frontier: &Level<M::State>) -> Vec<WorkItem> {
        let total: usize = frontier.iter().map(Vec::len).sum();
        let size = (total / (self.threads * 16)).clamp(1, 1024);
        let mut items = Vec::with_capacity(total / size + frontier.len());
        let mut base = 0u64;
        for (segment, nodes) in frontier.iter().enumerate() {
            let mut start = 0;
            while start < nodes.len() {
                let end = (start + size).min(nodes.len());
                items.push((segment, start, end, base + start as u64));
                start = end;
            }
            base += nodes.len() as u64;
        }
        items
    }

    /// Explores one level: returns the next frontier, or the bound that stopped it (then
    /// nothing of the level is kept).
    fn expand(&mut self, frontier: &Level<M::State>) -> Result<Level<M::State>, Bound> {
        let model = self.model;
        let watch = &self.watch;
        let visited = &self.visited;
        let budget = self
            .options
            .max_states
            .map(|max| max.saturating_sub(visited.len));
        let new_states = AtomicUsize::new(0);
        // This level's new states: fp -> (parent fp, smallest candidate key so far).
        let level: Vec<Mutex<FpMap<(u64, u64)>>> = (0..SHARDS).map(|_| Mutex::default()).collect();

        // Phase A: expand, in parallel; `collect` keeps the tasks' outputs in order.
        let items = self.work_items(frontier);
        let outputs: Vec<(Vec<Node<M::State>>, u64)> = items
            .par_iter()
            .map_init(Vec::new, |actions, &(segment, start, end, base)| {
                let mut out = Vec::new();
                let mut generated = 0u64;
                if watch.poll() {
                    return (out, generated);
                }
                for (offset, node) in frontier[segment][start..end].iter().enumerate() {
                    if watch.aborted() {
                        break;
                    }
                    let index = base + offset as u64;
                    model.actions(&node.state, actions);
                    for (action_index, action) in actions.drain(..).enumerate() {
                        let Some(next) = model.next_state(&node.state, action) else {
                            continue;
                        };
                        generated += 1;
                        let fp = fingerprint(&next);
                        if visited.contains(fp) || !model.within_boundary(&next) {
                            continue;
                        }
                        debug_assert!(index < 1 << 32 && (action_index as u64) < 1 << 32);
                        let key = (index << 32) | action_index as u64;
                        let mut shard = level[shard_of(fp)]
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner);
                        match shard.entry(fp) {
                            Entry::Vacant(entry) => {
                                entry.insert((node.fp, key));
                                drop(shard);
                                let count = new_states.fetch_add(1, Ordering::Relaxed) + 1;
                                if budget.is_some_and(|budget| count > budget) {
                                    watch.raise(Bound::MaxStates);
                                }
                            }
                            Entry::Occupied(mut entry) => {
                                if entry.get().1 < key {
                                    continue; // an earlier candidate already has it
                                }
                                entry.insert((node.fp, key));
                            }
                        }
                        out.push(Node {
                            fp,
                            key,
                            state: next,
                        });
                    }
                }
                (out, generated)
            })
            .collect();
        if let Some(bound) = watch.bound() {
            return Err(bound);
        }

        let level: Vec<FpMap<(u64, u64)>> = level
            .into_iter()
            .map(|shard| shard.into_inner().unwrap_or_else(PoisonError::into_inner))
            .collect();
        let mut next: Level<M::State> = Vec::with_capacity(outputs.len());
        for (nodes, generated) in outputs {
            self.generated += generated;
            if !nodes.is_empty() {
                next.push(nodes);
            }
        }

        // Phase C: keep each fingerprint's smallest candidate, in candidate order.
        next.par_iter_mut().for_each(|nodes| {
            nodes.retain(|node| {
                level[shard_of(node.fp)].get(&node.fp).map(|e| e.1) == Some(node.key)
            });
        });
        next.retain(|nodes| !nodes.is_empty());
        self.record_discoveries(&mut next);

        // Phase B: commit the level to the visited set, shard by shard.
        let added: usize = level.iter().map(HashMap::len).sum();
        self.visited
            .shards
            .par_iter_mut()
            .zip(level.into_par_iter())
            .for_each(|(shard, new)| {
                shard.reserve(new.len());
                shard.extend(new.into_iter().map(|(fp, (parent, _))| (fp, parent)));
            });
        self.visited.len += added;
        Ok(next)
    }

    /// At the depth bound: does some frontier state still have a successor never seen?
    /// `Ok(generated)` if not (the search was in fact exhaustive), else the bound.
    fn peek(&self, frontier: &Level<M::State>) -> Result<u64, Bound> {
        let model = self.model;
        let watch = &self.watch;
        let visited = &self.visited;
        let open = AtomicBool::new(false);
        let generated: u64 = self
            .work_items(frontier)
            .par_iter()
            .map_init(Vec::new, |actions, &(segment, start, end, _)| {
                let mut generated = 0;
                if open.load(Ordering::Relaxed) || watch.poll() {
                    return generated;
                }
                for node in &frontier[segment][start..end] {
                    if open.load(Ordering::Relaxed) || watch.aborted() {
                        break;
                    }
                    model.actions(&node.state, actions);
                    for action in actions.drain(..) {
                        if let Some(next) = model.next_state(&node.state, action) {
                            generated += 1;
                            if !visited.contains(fingerprint(&next)) && model.within_boundary(&next)
                            {
                                open.store(true, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                }
                generated
            })
            .sum();
        if open.load(Ordering::Relaxed) {
            Err(Bound::MaxDepth)
        } else if let Some(bound) = watch.bound() {
            Err(bound)
        } else {
            Ok(generated)
        }
    }

    /// Evaluates the undecided properties on a new level, in parallel, and records for
    /// each the first deciding state in frontier order.
    fn record_discoveries(&mut self, level: &mut Level<M::State>) {
        let model = self.model;
        let properties = self.properties;
        let pending: Vec<usize> = (0..properties.len())
            .filter(|&index| {
                self.found[index].is_none()
                    && properties[index].property.expectation != Expectation::Eventually
            })
            .collect();
        if pending.is_empty() {
            return;
        }
        let hits: Vec<Vec<Option<u64>>> = level
            .par_iter()
            .map(|nodes| {
                pending
                    .iter()
                    .map(|&index| {
                        nodes
                            .iter()
                            .find(|node| decides(model, &properties[index], &node.state))
                            .map(|node| node.fp)
                    })
                    .collect()
            })
            .collect();
        for (slot, &index) in pending.iter().enumerate() {
            self.found[index] = hits.iter().find_map(|segment| segment[slot]);
        }
    }

    /// Rebuilds the path to `fp` from parent links, replaying the model forward.
    fn trace(&self, fp: u64) -> Trace {
        const REPLAY: &str = "replay failed: the model's init_states, actions or next_state \
                              are not deterministic (or two states share a fingerprint)";
        let model = self.model;
        let mut path = vec![fp];
        let mut current = fp;
        loop {
            match self.visited.parent(current).expect(REPLAY) {
                0 => break,
                parent => {
                    path.push(parent);
                    current = parent;
                }
            }
        }
        path.reverse();

        let mut state = model
            .init_states()
            .into_iter()
            .find(|state| model.within_boundary(state) && fingerprint(state) == path[0])
            .expect(REPLAY);
        let mut states = vec![TraceState {
            action: "Initial state".to_string(),
            variables: model.variables(&state),
        }];
        let mut actions = Vec::new();
        for &target in &path[1..] {
            model.actions(&state, &mut actions);
            let (index, next) = actions
                .drain(..)
                .enumerate()
                .find_map(|(index, action)| {
                    model
                        .next_state(&state, action)
                        .filter(|next| fingerprint(next) == target)
                        .map(|next| (index, next))
                })
                .expect(REPLAY);
            // `next_state` consumed the action: list the actions again to describe it.
            actions.clear();
            model.actions(&state, &mut actions);
            let action = model.describe_step(&state, &actions[index], &next);
            actions.clear();
            states.push(TraceState {
                action,
                variables: model.variables(&next),
            });
            state = next;
        }
        Trace { states }
    }

    fn report(self, completeness: Completeness, left: usize) -> Report {
        let exhaustive = completeness == Completeness::Exhaustive;
        let properties = self
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
                        Some("liveness (eventually) is not checked by this engine yet".to_string()),
                    ),
                };
                PropertyResult {
                    name: property.name().to_string(),
                    description: property.description.to_string(),
                    expectation,
                    verdict,
                    trace: found.map(|fp| self.trace(fp)),
                    note,
                }
            })
            .collect();
        let elapsed = self.started.elapsed();
        let distinct = self.visited.len as u64;
        Report {
            properties,
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
            },
            completeness,
        }
    }
}
