//! Toy models shared by the tests, an independent naive breadth-first search, and helpers.
#![allow(dead_code)] // each test file uses a different part of this module

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dnsrace_checker::{check, CheckOptions, Report};
use dnsrace_core::{DescribedProperty, Model, Presentation, Property, Value, Variable};
use stateright::Checker;

/// Checks every described property of `model`.
pub fn run<M>(model: &M, options: &CheckOptions) -> Report
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    check(model, &model.described_properties(), options)
}

/// Options with `threads` threads and no bound.
pub fn threads(threads: usize) -> CheckOptions {
    CheckOptions {
        threads,
        ..CheckOptions::default()
    }
}

/// The report without what legitimately differs between runs (timing, thread count).
pub fn untimed(mut report: Report) -> Report {
    report.statistics.elapsed = Duration::ZERO;
    report.statistics.distinct_states_per_second = 0.0;
    report.statistics.threads = 0;
    report
}

/// The property results as `(name, verdict)` strings.
pub fn verdicts(report: &Report) -> Vec<(String, String)> {
    report
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.verdict.to_string()))
        .collect()
}

/// stateright's own exhaustive DFS: unique state count and the names of the properties
/// it found a discovery for.
pub fn stateright_dfs<M>(model: M) -> (usize, Vec<&'static str>)
where
    M: Model + Send + Sync + 'static,
    M::State: Hash + Send + Sync + Clone + PartialEq + std::fmt::Debug + 'static,
    M::Action: Clone + PartialEq + std::fmt::Debug,
{
    let checker = model.checker().spawn_dfs().join();
    let mut found: Vec<&'static str> = checker.discoveries().into_keys().collect();
    found.sort();
    (checker.unique_state_count(), found)
}

/// The result of [`naive_bfs`].
pub struct NaiveBfs<S> {
    /// Distinct states within the boundary.
    pub distinct: usize,
    /// For each property (in `described_properties` order), the path to the first state
    /// that decides it (violates an `always`, satisfies a `sometimes`).
    pub paths: Vec<Option<Vec<S>>>,
}

/// A textbook sequential BFS with a queue and a map of whole states to parents,
/// independent of the engine: first discovery in queue order wins.
pub fn naive_bfs<M>(model: &M) -> NaiveBfs<M::State>
where
    M: Presentation,
    M::State: Hash + Eq + Clone,
{
    let properties = model.described_properties();
    let decides = |state: &M::State, index: usize| {
        let property = &properties[index].property;
        let holds = (property.condition)(model, state);
        match property.expectation {
            dnsrace_core::Expectation::Always => !holds,
            dnsrace_core::Expectation::Sometimes => holds,
            dnsrace_core::Expectation::Eventually => false,
        }
    };
    let mut parent: HashMap<M::State, Option<M::State>> = HashMap::new();
    let mut queue = VecDeque::new();
    let mut first: Vec<Option<M::State>> = vec![None; properties.len()];
    let mut visit = |state: M::State, from: Option<M::State>, queue: &mut VecDeque<M::State>| {
        if !model.within_boundary(&state) || parent.contains_key(&state) {
            return;
        }
        for (index, slot) in first.iter_mut().enumerate() {
            if slot.is_none() && decides(&state, index) {
                *slot = Some(state.clone());
            }
        }
        parent.insert(state.clone(), from);
        queue.push_back(state);
    };
    for state in model.init_states() {
        visit(state, None, &mut queue);
    }
    while let Some(state) = queue.pop_front() {
        for next in model.next_states(&state) {
            visit(next, Some(state.clone()), &mut queue);
        }
    }
    let paths = first
        .into_iter()
        .map(|end| {
            end.map(|end| {
                let mut path = vec![end.clone()];
                let mut current = end;
                while let Some(Some(previous)) = parent.get(&current) {
                    path.push(previous.clone());
                    current = previous.clone();
                }
                path.reverse();
                path
            })
        })
        .collect();
    NaiveBfs {
        distinct: parent.len(),
        paths,
    }
}

/// stateright's properties are the described ones.
macro_rules! stateright_properties {
    () => {
        fn properties(&self) -> Vec<Property<Self>> {
            self.described_properties()
                .into_iter()
                .map(|described| described.property)
                .collect()
        }
    };
}

// ---------------------------------------------------------------------------------------
// Counter race: threads each read a shared counter, then write back what they read + 1.
// Without the lock an update can be lost.

/// Where a thread is.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum Pc {
    /// Not started.
    Idle,
    /// Has read the counter.
    HasRead,
    /// Has written it back.
    Done,
}

/// The counter race (or, with `locked`, its fix).
#[derive(Clone, Debug)]
pub struct CounterRace {
    pub threads: usize,
    pub locked: bool,
}

/// A state of [`CounterRace`].
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct CounterState {
    pub counter: u8,
    pub pc: Vec<Pc>,
    pub local: Vec<u8>,
    pub holder: Option<usize>,
}

/// A step of [`CounterRace`].
#[derive(Clone, Debug, PartialEq)]
pub enum CounterAction {
    Read(usize),
    Write(usize),
}

impl Model for CounterRace {
    type State = CounterState;
    type Action = CounterAction;

    fn init_states(&self) -> Vec<CounterState> {
        vec![CounterState {
            counter: 0,
            pc: vec![Pc::Idle; self.threads],
            local: vec![0; self.threads],
            holder: None,
        }]
    }

    fn actions(&self, state: &CounterState, actions: &mut Vec<CounterAction>) {
        for thread in 0..self.threads {
            match state.pc[thread] {
                Pc::Idle if !self.locked || state.holder.is_none() => {
                    actions.push(CounterAction::Read(thread))
                }
                Pc::HasRead => actions.push(CounterAction::Write(thread)),
                _ => {}
            }
        }
    }

    fn next_state(&self, state: &CounterState, action: CounterAction) -> Option<CounterState> {
        let mut next = state.clone();
        match action {
            CounterAction::Read(thread) => {
                next.local[thread] = state.counter;
                next.pc[thread] = Pc::HasRead;
                if self.locked {
                    next.holder = Some(thread);
                }
            }
            CounterAction::Write(thread) => {
                next.counter = state.local[thread] + 1;
                next.pc[thread] = Pc::Done;
                next.holder = None;
            }
        }
        Some(next)
    }

    stateright_properties!();
}

fn done(state: &CounterState) -> u8 {
    state.pc.iter().filter(|&&pc| pc == Pc::Done).count() as u8
}

impl Presentation for CounterRace {
    fn variables(&self, state: &CounterState) -> Vec<Variable> {
        let pc = state.pc.iter().enumerate().map(|(thread, pc)| {
            let name = match pc {
                Pc::Idle => "idle",
                Pc::HasRead => "read",
                Pc::Done => "done",
            };
            (Value::Int(thread as i64 + 1), Value::str(name))
        });
        let local = state
            .local
            .iter()
            .enumerate()
            .map(|(thread, &value)| (Value::Int(thread as i64 + 1), Value::Int(value.into())));
        vec![
            ("counter".to_string(), Value::Int(state.counter.into())),
            ("pc".to_string(), Value::map(pc)),
            ("local".to_string(), Value::map(local)),
        ]
    }

    fn describe_step(
        &self,
        before: &CounterState,
        action: &CounterAction,
        _: &CounterState,
    ) -> String {
        match action {
            CounterAction::Read(thread) => {
                format!("Thread {} reads counter = {}", thread + 1, before.counter)
            }
            CounterAction::Write(thread) => {
                format!(
                    "Thread {} writes counter = {}",
                    thread + 1,
                    before.local[*thread] + 1
                )
            }
        }
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "counter equals increments",
                "the counter equals the number of threads that wrote it",
                |_, state: &CounterState| state.counter == done(state),
            ),
            DescribedProperty::sometimes(
                "every thread done",
                "all threads finish",
                |model, state: &CounterState| done(state) as usize == model.threads,
            ),
            DescribedProperty::always(
                "counter never exceeds threads",
                "the counter is at most the number of threads",
                |model, state: &CounterState| (state.counter as usize) <= model.threads,
            ),
            DescribedProperty::sometimes(
                "an update is lost",
                "all threads finish with the counter short",
                |model, state: &CounterState| {
                    done(state) as usize == model.threads
                        && (state.counter as usize) < model.threads
                },
            ),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// Two branches to a bad state: a long one taken by the first action, and a unique
// shorter one taken by the second.

/// Branch 1 is `long` steps, branch 2 is `short` steps.
#[derive(Clone, Debug)]
pub struct Branches {
    pub long: u32,
    pub short: u32,
}

/// `(branch, position)`.
pub type BranchState = (u8, u32);

impl Branches {
    fn length(&self, branch: u8) -> u32 {
        if branch == 1 {
            self.long
        } else {
            self.short
        }
    }
}

impl Model for Branches {
    type State = BranchState;
    type Action = u8;

    fn init_states(&self) -> Vec<BranchState> {
        vec![(0, 0)]
    }

    fn actions(&self, &(branch, position): &BranchState, actions: &mut Vec<u8>) {
        if branch == 0 {
            actions.extend([1, 2]); // enter the long branch first
        } else if position < self.length(branch) {
            actions.push(0);
        }
    }

    fn next_state(&self, &(branch, position): &BranchState, action: u8) -> Option<BranchState> {
        Some(if action == 0 {
            (branch, position + 1)
        } else {
            (action, 1)
        })
    }

    stateright_properties!();
}

impl Presentation for Branches {
    fn variables(&self, &(branch, position): &BranchState) -> Vec<Variable> {
        vec![
            ("branch".to_string(), Value::Int(branch.into())),
            ("position".to_string(), Value::Int(position.into())),
        ]
    }

    fn describe_step(&self, _: &BranchState, action: &u8, _: &BranchState) -> String {
        match action {
            0 => "Advance".to_string(),
            branch => format!("Enter branch {branch}"),
        }
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "never at a branch end",
                "no branch is walked to its end",
                |model: &Self, &(branch, position): &BranchState| {
                    branch == 0 || position < model.length(branch)
                },
            ),
            DescribedProperty::sometimes(
                "long branch walked",
                "the long branch is walked to its end",
                |model: &Self, &(branch, position): &BranchState| {
                    branch == 1 && position == model.long
                },
            ),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// A grid walk: many shortest paths to the far corner; optionally a diagonal band as the
// boundary.

/// Steps right or up in a `width` x `height` grid; with `band`, only states with
/// `|x - y| <= band` are within the boundary.
#[derive(Clone, Debug)]
pub struct Grid {
    pub width: u32,
    pub height: u32,
    pub band: Option<u32>,
}

impl Model for Grid {
    type State = (u32, u32);
    type Action = char;

    fn init_states(&self) -> Vec<(u32, u32)> {
        vec![(0, 0)]
    }

    fn actions(&self, &(x, y): &(u32, u32), actions: &mut Vec<char>) {
        if x < self.width {
            actions.push('x');
        }
        if y < self.height {
            actions.push('y');
        }
        if x < self.width && y < self.height {
            actions.push('d');
        }
    }

    fn next_state(&self, &(x, y): &(u32, u32), action: char) -> Option<(u32, u32)> {
        Some(match action {
            'x' => (x + 1, y),
            'y' => (x, y + 1),
            _ => (x + 1, y + 1),
        })
    }

    fn within_boundary(&self, &(x, y): &(u32, u32)) -> bool {
        self.band.is_none_or(|band| x.abs_diff(y) <= band)
    }

    stateright_properties!();
}

impl Presentation for Grid {
    fn variables(&self, &(x, y): &(u32, u32)) -> Vec<Variable> {
        vec![
            ("x".to_string(), Value::Int(x.into())),
            ("y".to_string(), Value::Int(y.into())),
        ]
    }

    fn describe_step(&self, _: &(u32, u32), action: &char, _: &(u32, u32)) -> String {
        format!("Step {action}")
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "stays inside the grid",
                "x and y stay within the grid",
                |model: &Self, &(x, y): &(u32, u32)| x <= model.width && y <= model.height,
            ),
            DescribedProperty::sometimes(
                "reaches (2, 1)",
                "the walk passes (2, 1)",
                |_, &state: &(u32, u32)| state == (2, 1),
            ),
            DescribedProperty::always(
                "never at the far corner",
                "the walk never reaches the far corner",
                |model: &Self, &state: &(u32, u32)| state != (model.width, model.height),
            ),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// A pseudo-random graph over 0..size: wide levels and many joins, for the multi-threaded
// paths. Optionally raises a stop flag after a number of `next_state` calls.

/// Successors of `x` are `(a * x + b) % size` for a few `(a, b)`.
#[derive(Clone, Debug, Default)]
pub struct Scatter {
    pub size: u64,
    /// Raise this flag after this many `next_state` calls.
    pub stop_after: Option<(Arc<AtomicBool>, usize)>,
    pub calls: Arc<AtomicUsize>,
}

impl Scatter {
    pub fn new(size: u64) -> Self {
        Scatter {
            size,
            ..Scatter::default()
        }
    }
}

const SCATTER: [(u64, u64); 4] = [(2, 1), (3, 7), (5, 3), (7, 11)];

impl Model for Scatter {
    type State = u64;
    type Action = usize;

    fn init_states(&self) -> Vec<u64> {
        vec![0, 1]
    }

    fn actions(&self, _: &u64, actions: &mut Vec<usize>) {
        actions.extend(0..SCATTER.len());
    }

    fn next_state(&self, &x: &u64, action: usize) -> Option<u64> {
        if let Some((flag, after)) = &self.stop_after {
            if self.calls.fetch_add(1, Ordering::Relaxed) + 1 >= *after {
                flag.store(true, Ordering::Relaxed);
            }
        }
        let (a, b) = SCATTER[action];
        Some((a * x + b) % self.size)
    }

    stateright_properties!();
}

impl Presentation for Scatter {
    fn variables(&self, &x: &u64) -> Vec<Variable> {
        vec![("x".to_string(), Value::Int(x as i64))]
    }

    fn describe_step(&self, _: &u64, &action: &usize, _: &u64) -> String {
        let (a, b) = SCATTER[action];
        format!("x := ({a} * x + {b}) mod {}", self.size)
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "x in range",
                "x stays below the size",
                |model: &Self, &x: &u64| x < model.size,
            ),
            DescribedProperty::always("x is not 1000", "x never equals 1000", |_, &x: &u64| {
                x != 1000
            }),
            DescribedProperty::sometimes("x ends in 77", "x mod 100 = 77", |_, &x: &u64| {
                x % 100 == 77
            }),
            DescribedProperty::always(
                "x is not size - 1",
                "x never reaches the top",
                |model: &Self, &x: &u64| x != model.size - 1,
            ),
        ]
    }
}
