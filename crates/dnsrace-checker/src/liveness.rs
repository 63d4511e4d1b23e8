//! Liveness on the explored state graph.
//!
//! When liveness properties are checked, the search numbers the states in breadth-first
//! order (the order of the frontiers, which does not depend on the thread count) and keeps
//! every edge as the target's number and one label byte per liveness property: for
//! `AlwaysRecoverable`, whether the step is allowed; for `LeadsTo`, the step's process + 1
//! (0: no fairness). Each state also gets two flag bits per property: goal and trigger.
//! After an exhaustive search, this module decides each property on that [`Graph`]:
//!
//! * **always recoverable** (`AG EF goal`): walk backwards from every goal state over
//!   allowed edges; a state not reached cannot recover. The counterexample is the
//!   *first such state in breadth-first order*: so the shortest path to an unrecoverable
//!   state, the lexicographically smallest among those.
//! * **leads-to** (`trigger ~> goal` under weak fairness per process): the states after a
//!   trigger where the goal has not come yet form a region `A` (forward from every
//!   `trigger ∧ ¬goal` state through `¬goal` states). A behaviour violates the property
//!   iff it ends in a cycle inside `A` that is fair. Tarjan's algorithm cuts `A` into
//!   strongly connected components; a component admits a fair cycle iff, for every
//!   process, the process takes a step inside the component or is disabled in one of its
//!   states (for weak fairness, a component failing this contains no fair cycle either,
//!   so no recursion is needed). The counterexample is a lasso: the shortest path that
//!   passes a `trigger ∧ ¬goal` state and reaches a fair component, then a closed walk in
//!   that component that takes a step of, or visits a disabling state for, every process.
//!   A behaviour can also *stop* in `A`: a state with no next step at all is an end that
//!   TLC reads as stuttering for ever, fair to every process since none has a step. The
//!   same search finds the nearest such state, and the counterexample ends there,
//!   stuttering. (A state whose steps all lead past the model's boundary is cut off, not
//!   an end: the search keeps no edge for those steps, so each edge-less candidate is
//!   asked of the model.)
//!
//! Everything iterates states in number order and edges in the model's action order, so
//! the result is deterministic.

use std::collections::VecDeque;

/// No parent: an initial state.
pub(crate) const ROOT: u32 = u32::MAX;

/// The explored graph: see the [module documentation](self).
#[derive(Default)]
pub(crate) struct Graph {
    /// `offsets[s]..offsets[s + 1]`: the edges of state `s` (in `targets` and, times
    /// `stride`, in `labels`).
    pub(crate) offsets: Vec<u64>,
    /// Each edge's target state.
    pub(crate) targets: Vec<u32>,
    /// `stride` label bytes per edge, one per liveness property.
    pub(crate) labels: Vec<u8>,
    /// Flag bytes per state: `flags[s * flag_stride + k / 4]` holds goal (bit `2(k%4)`)
    /// and trigger (bit `2(k%4) + 1`) of property `k`.
    pub(crate) flags: Vec<u8>,
    /// Each state's breadth-first parent ([`ROOT`] for an initial state).
    pub(crate) parents: Vec<u32>,
    /// Label bytes per edge (the number of liveness properties).
    pub(crate) stride: usize,
    /// Flag bytes per state.
    pub(crate) flag_stride: usize,
}

impl Graph {
    pub(crate) fn new(properties: usize) -> Self {
        Graph {
            offsets: vec![0],
            stride: properties,
            flag_stride: properties.div_ceil(4),
            ..Graph::default()
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Bytes used (lengths, not capacities: the same whatever the thread count).
    pub(crate) fn bytes(&self) -> usize {
        self.offsets.len() * 8
            + self.targets.len() * 4
            + self.labels.len()
            + self.flags.len()
            + self.parents.len() * 4
    }

    /// Whether the search kept no edge from `state`: it has no next step, or every step
    /// leads past the model's boundary.
    pub(crate) fn has_no_edges(&self, state: u32) -> bool {
        self.edges(state).is_empty()
    }

    fn edges(&self, state: u32) -> std::ops::Range<usize> {
        let state = state as usize;
        self.offsets[state] as usize..self.offsets[state + 1] as usize
    }

    fn label(&self, edge: usize, property: usize) -> u8 {
        self.labels[edge * self.stride + property]
    }

    fn goal(&self, state: u32, property: usize) -> bool {
        self.flags[state as usize * self.flag_stride + property / 4] & (1 << (2 * (property % 4)))
            != 0
    }

    fn trigger(&self, state: u32, property: usize) -> bool {
        self.flags[state as usize * self.flag_stride + property / 4]
            & (1 << (2 * (property % 4) + 1))
            != 0
    }

    /// The breadth-first path from an initial state to `state`.
    pub(crate) fn path_to(&self, state: u32) -> Vec<u32> {
        let mut path = vec![state];
        let mut current = state;
        while self.parents[current as usize] != ROOT {
            current = self.parents[current as usize];
            path.push(current);
        }
        path.reverse();
        path
    }

    /// Predecessor lists: `(offsets, sources, edge ids)`.
    fn reverse(&self) -> (Vec<u64>, Vec<u32>, Vec<u64>) {
        let n = self.len();
        let mut offsets = vec![0u64; n + 1];
        for &target in &self.targets {
            offsets[target as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut sources = vec![0u32; self.targets.len()];
        let mut edges = vec![0u64; self.targets.len()];
        for source in 0..n as u32 {
            for edge in self.edges(source) {
                let target = self.targets[edge] as usize;
                let at = fill[target] as usize;
                sources[at] = source;
                edges[at] = edge as u64;
                fill[target] += 1;
            }
        }
        (offsets, sources, edges)
    }
}

/// What the graph says about one liveness property.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The property holds.
    Holds,
    /// A state from which the goal is out of reach, with facts about it.
    Stuck {
        /// The path to it, from an initial state.
        path: Vec<u32>,
        /// States reachable from it with allowed steps (itself included).
        reachable: u64,
        /// Whether the goal is reachable from it when every step counts.
        recoverable_with_every_step: bool,
    },
    /// A fair cycle after a trigger, without the goal.
    Lasso {
        /// The path from an initial state to the cycle's first state, then around the
        /// cycle; the last state steps back to `path[loop_start]`.
        path: Vec<u32>,
        /// Where the cycle starts in `path`.
        loop_start: usize,
        /// The processes that are enabled in every state of the component but take a step
        /// on the cycle, the ones disabled somewhere on it: for the note.
        processes: Vec<usize>,
    },
    /// A behaviour after a trigger that stops short of the goal: its last state has no
    /// next step, so it stutters there for ever (fair to every process: none has a step).
    Stops {
        /// The path from an initial state to the state where it stops.
        path: Vec<u32>,
    },
}

/// A set of states as bits.
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn get(&self, i: u32) -> bool {
        self.0[i as usize / 64] & (1 << (i % 64)) != 0
    }
    fn set(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }
}

/// Decides `AG EF goal` over the edges whose label is non-zero.
pub(crate) fn always_recoverable(graph: &Graph, property: usize) -> Outcome {
    let n = graph.len();
    let (offsets, sources, edges) = graph.reverse();
    let backwards = |allowed_only: bool| {
        let mut good = Bits::new(n);
        let mut queue: VecDeque<u32> = VecDeque::new();
        for state in 0..n as u32 {
            if graph.goal(state, property) {
                good.set(state);
                queue.push_back(state);
            }
        }
        while let Some(state) = queue.pop_front() {
            let range = offsets[state as usize] as usize..offsets[state as usize + 1] as usize;
            for at in range {
                let source = sources[at];
                if good.get(source)
                    || (allowed_only && graph.label(edges[at] as usize, property) == 0)
                {
                    continue;
                }
                good.set(source);
                queue.push_back(source);
            }
        }
        good
    };
    let good = backwards(true);
    let Some(stuck) = (0..n as u32).find(|&state| !good.get(state)) else {
        return Outcome::Holds;
    };
    let with_every_step = backwards(false);
    // How far the allowed steps get from the stuck state.
    let mut seen = Bits::new(n);
    seen.set(stuck);
    let mut queue = VecDeque::from([stuck]);
    let mut reachable = 0u64;
    while let Some(state) = queue.pop_front() {
        reachable += 1;
        for edge in graph.edges(state) {
            let target = graph.targets[edge];
            if graph.label(edge, property) != 0 && !seen.get(target) {
                seen.set(target);
                queue.push_back(target);
            }
        }
    }
    Outcome::Stuck {
        path: graph.path_to(stuck),
        reachable,
        recoverable_with_every_step: with_every_step.get(stuck),
    }
}

/// Processes as a bit set of 256.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Processes([u64; 4]);

impl Processes {
    const ALL: Processes = Processes([u64::MAX; 4]);
    fn insert(&mut self, label: u8) {
        self.0[usize::from(label) / 64] |= 1 << (label % 64);
    }
    fn contains(&self, label: u8) -> bool {
        self.0[usize::from(label) / 64] & (1 << (label % 64)) != 0
    }
    fn and(self, other: Processes) -> Processes {
        Processes(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }
    fn or(self, other: Processes) -> Processes {
        Processes(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }
    fn minus(self, other: Processes) -> Processes {
        Processes(std::array::from_fn(|i| self.0[i] & !other.0[i]))
    }
    fn labels(self) -> impl Iterator<Item = u8> {
        (1..=255u8).filter(move |label| self.contains(*label))
    }
}

/// The processes that have a step in `state`.
fn enabled(graph: &Graph, property: usize, state: u32) -> Processes {
    let mut set = Processes::default();
    for edge in graph.edges(state) {
        let label = graph.label(edge, property);
        if label != 0 {
            set.insert(label);
        }
    }
    set
}

/// Every process that ever has a step.
fn all_processes(graph: &Graph, property: usize) -> Processes {
    let mut all = Processes::default();
    for edge in 0..graph.targets.len() {
        let label = graph.label(edge, property);
        if label != 0 {
            all.insert(label);
        }
    }
    all
}

/// The states after a trigger where the goal has not come yet, cut into strongly
/// connected components (those that can hold a cycle).
pub(crate) struct Components {
    region: Bits,
    /// Every process that ever has a step (computed once: it reads every edge).
    all: Processes,
    /// Each component's states, in increasing order.
    pub(crate) members: Vec<Vec<u32>>,
    /// Each state's component, `u32::MAX` for none.
    component_of: Vec<u32>,
}

impl Components {
    /// The components of region `A` of property `property` (see the module docs).
    pub(crate) fn of_region(graph: &Graph, property: usize) -> Self {
        let n = graph.len();
        let mut region = Bits::new(n);
        let mut queue = VecDeque::new();
        for state in 0..n as u32 {
            if graph.trigger(state, property) && !graph.goal(state, property) {
                region.set(state);
                queue.push_back(state);
            }
        }
        while let Some(state) = queue.pop_front() {
            for edge in graph.edges(state) {
                let target = graph.targets[edge];
                if !graph.goal(target, property) && !region.get(target) {
                    region.set(target);
                    queue.push_back(target);
                }
            }
        }
        Components::of(graph, property, region)
    }

    /// The components of the subgraph induced by `region`, for liveness property
    /// `property`.
    fn of(graph: &Graph, property: usize, region: Bits) -> Self {
        let members = tarjan(graph, &region);
        let mut component_of = vec![u32::MAX; graph.len()];
        for (id, states) in members.iter().enumerate() {
            for &state in states {
                component_of[state as usize] = id as u32;
            }
        }
        Components {
            region,
            all: all_processes(graph, property),
            members,
            component_of,
        }
    }

    /// The component of `state`, if it has one.
    pub(crate) fn of_state(&self, state: u32) -> Option<usize> {
        let id = self.component_of[state as usize];
        (id != u32::MAX).then_some(id as usize)
    }

    /// What component `id` alone says about fairness, in terms that do not change when
    /// processes are renamed (so it holds for symmetry-reduced graphs too): `Some(true)`
    /// if some state enables no process (a cycle through it treats every process
    /// fairly), `Some(false)` if no process ever takes a step inside and every process is
    /// enabled in every state, `None` otherwise.
    pub(crate) fn quick_fairness(&self, graph: &Graph, property: usize, id: usize) -> Option<bool> {
        let all = self.all;
        let mut stepping = false;
        let mut all_everywhere = true;
        for &state in &self.members[id] {
            let here = enabled(graph, property, state).and(all);
            if here == Processes::default() {
                return Some(true);
            }
            all_everywhere &= here == all;
            stepping |= graph.edges(state).any(|edge| {
                self.component_of[graph.targets[edge] as usize] == id as u32
                    && graph.label(edge, property) != 0
            });
        }
        (!stepping && all_everywhere).then_some(false)
    }

    /// Whether component `id` admits a cycle fair to every process: each process takes a
    /// step inside it or is disabled in one of its states.
    pub(crate) fn is_fair(&self, graph: &Graph, property: usize, id: usize) -> bool {
        let all = self.all;
        let mut everywhere = Processes::ALL;
        let mut taken = Processes::default();
        for &state in &self.members[id] {
            everywhere = everywhere.and(enabled(graph, property, state));
            for edge in graph.edges(state) {
                if self.component_of[graph.targets[edge] as usize] == id as u32 {
                    let label = graph.label(edge, property);
                    if label != 0 {
                        taken.insert(label);
                    }
                }
            }
        }
        everywhere.and(all).minus(taken) == Processes::default()
    }
}

/// Decides `trigger ~> goal` under weak fairness of the processes in the labels. `stops`
/// says whether a state without edges really has no next step (see the module docs).
pub(crate) fn leads_to(graph: &Graph, property: usize, stops: &dyn Fn(u32) -> bool) -> Outcome {
    let components = Components::of_region(graph, property);
    let fair: Vec<bool> = (0..components.members.len())
        .map(|id| components.is_fair(graph, property, id))
        .collect();
    let Some(stem) = stem(graph, property, &components, &|id| fair[id], stops) else {
        return Outcome::Holds;
    };
    let start = *stem.last().expect("a stem has a state");
    if graph.has_no_edges(start) {
        return Outcome::Stops { path: stem };
    }
    let id = components
        .of_state(start)
        .expect("the stem ends in a component");
    let (cycle, processes) = fair_cycle(graph, property, &components, id, start);
    let loop_start = stem.len() - 1;
    let mut path = stem;
    path.extend(cycle);
    Outcome::Lasso {
        path,
        loop_start,
        processes,
    }
}

/// The shortest path from an initial state that passes a `trigger ∧ ¬goal` state and
/// then stays in region `A` until it reaches a component that `chosen` accepts, or a
/// state without edges that `stops` says has no next step: breadth first over (state,
/// triggered yet?).
pub(crate) fn stem(
    graph: &Graph,
    property: usize,
    components: &Components,
    chosen: &dyn Fn(usize) -> bool,
    stops: &dyn Fn(u32) -> bool,
) -> Option<Vec<u32>> {
    let n = graph.len();
    let in_chosen = |state: u32| {
        components.of_state(state).is_some_and(chosen)
            || (graph.has_no_edges(state) && stops(state))
    };
    let mut before = vec![u64::MAX; 2 * n];
    let mut queue: VecDeque<u64> = VecDeque::new();
    let node = |state: u32, triggered: bool| u64::from(state) * 2 + u64::from(triggered);
    let entered = |state: u32, triggered: bool| {
        triggered || (graph.trigger(state, property) && !graph.goal(state, property))
    };
    for root in (0..n as u32).filter(|&s| graph.parents[s as usize] == ROOT) {
        let start = node(root, entered(root, false));
        if before[start as usize] == u64::MAX {
            before[start as usize] = start;
            queue.push_back(start);
        }
    }
    let mut end = None;
    while let Some(current) = queue.pop_front() {
        let (state, triggered) = ((current / 2) as u32, current % 2 == 1);
        if triggered && in_chosen(state) {
            end = Some(current);
            break;
        }
        for edge in graph.edges(state) {
            let target = graph.targets[edge];
            if triggered && !components.region.get(target) {
                continue;
            }
            let next = node(target, entered(target, triggered));
            if before[next as usize] == u64::MAX {
                before[next as usize] = current;
                queue.push_back(next);
            }
        }
    }
    let end = end?;
    let mut path = vec![(end / 2) as u32];
    let mut current = end;
    while before[current as usize] != current {
        current = before[current as usize];
        path.push((current / 2) as u32);
    }
    path.reverse();
    Some(path)
}

/// A closed walk in fair component `id` from `start`: through a step of, or a state
/// disabling, every process. Returns the states after `start` (the last one steps back
/// to `start`) and the processes (from 0) that take steps on it.
pub(crate) fn fair_cycle(
    graph: &Graph,
    property: usize,
    components: &Components,
    id: usize,
    start: u32,
) -> (Vec<u32>, Vec<usize>) {
    let all = components.all;
    let inside = |state: u32| components.of_state(state) == Some(id);
    let mut cycle: Vec<u32> = Vec::new();
    let mut satisfied = all.minus(enabled(graph, property, start));
    let mut taken_on_cycle = Processes::default();
    let walk = |path: Vec<(u32, usize)>,
                cycle: &mut Vec<u32>,
                satisfied: &mut Processes,
                taken: &mut Processes| {
        for (state, edge) in path {
            let step = graph.label(edge, property);
            if step != 0 {
                taken.insert(step);
                satisfied.insert(step);
            }
            *satisfied = satisfied.or(all.minus(enabled(graph, property, state)));
            cycle.push(state);
        }
    };
    let mut here = start;
    for label in all.labels() {
        if satisfied.contains(label) {
            continue;
        }
        // The nearest state where the process is disabled, or the nearest of its steps.
        let path = bfs_inside(graph, here, &inside, |state, edge| match edge {
            None => !enabled(graph, property, state).contains(label),
            Some(edge) => graph.label(edge, property) == label,
        })
        .expect("a fair component has a witness for every process");
        walk(path, &mut cycle, &mut satisfied, &mut taken_on_cycle);
        here = *cycle.last().expect("a witness path has a step");
    }
    // Back to the start, by at least one step.
    let back = bfs_inside(graph, here, &inside, |_, edge| {
        edge.is_some_and(|edge| graph.targets[edge] == start)
    })
    .expect("a component is strongly connected");
    walk(back, &mut cycle, &mut satisfied, &mut taken_on_cycle);
    // `cycle` ends with `start` again: the last step goes back.
    cycle.pop();
    (
        cycle,
        taken_on_cycle
            .labels()
            .map(|label| usize::from(label) - 1)
            .collect(),
    )
}

/// A real expansion of one component (symmetry reduction): its states as they really
/// are, reachable from one of them, as a small graph of its own. Node `sink` stands for
/// every state outside the component, so that the edges that leave still say which
/// processes are enabled.
pub(crate) struct Expansion {
    pub(crate) graph: Graph,
    pub(crate) components: Components,
    sink: u32,
}

impl Expansion {
    /// Builds it from `edges[s]`: (target node, label, action index) for each node `s`
    /// (node `sink` has none).
    pub(crate) fn new(edges: &[Vec<(u32, u8)>], sink: u32) -> Self {
        let mut graph = Graph::new(1);
        for (state, list) in edges.iter().enumerate() {
            for &(target, label) in list {
                graph.targets.push(target);
                graph.labels.push(label);
            }
            graph.offsets.push(graph.targets.len() as u64);
            graph.parents.push(if state == 0 { ROOT } else { 0 });
        }
        let mut region = Bits::new(graph.len());
        for state in 0..graph.len() as u32 {
            if state != sink {
                region.set(state);
            }
        }
        let components = Components::of(&graph, 0, region);
        Expansion {
            graph,
            components,
            sink,
        }
    }

    /// A fair component, if there is one.
    pub(crate) fn fair_component(&self) -> Option<usize> {
        (0..self.components.members.len()).find(|&id| self.components.is_fair(&self.graph, 0, id))
    }

    /// The shortest path from node 0 to component `id`, its states after node 0.
    pub(crate) fn path_to(&self, id: usize) -> Vec<u32> {
        if self.components.of_state(0) == Some(id) {
            return Vec::new();
        }
        let inside = |state: u32| state != self.sink;
        bfs_inside(&self.graph, 0, &inside, |state, edge| {
            edge.is_none() && self.components.of_state(state) == Some(id)
        })
        .expect("every node is reachable from node 0")
        .into_iter()
        .map(|(state, _)| state)
        .collect()
    }

    /// A fair closed walk in component `id` from `start` (see [`fair_cycle`]).
    pub(crate) fn cycle(&self, id: usize, start: u32) -> (Vec<u32>, Vec<usize>) {
        fair_cycle(&self.graph, 0, &self.components, id, start)
    }
}

/// A shortest path inside a component from `from` to the first state that
/// `stop(state, None)` accepts (other than `from`), or through the first edge that
/// `stop(source, Some(edge))` accepts (the edge is then taken). Returns the states after
/// `from`, each with the edge that led to it.
fn bfs_inside(
    graph: &Graph,
    from: u32,
    inside: &dyn Fn(u32) -> bool,
    stop: impl Fn(u32, Option<usize>) -> bool,
) -> Option<Vec<(u32, usize)>> {
    use std::collections::HashMap;
    let mut before: HashMap<u32, (u32, usize)> = HashMap::new();
    let path_to = |before: &HashMap<u32, (u32, usize)>, mut state: u32| {
        let mut path = Vec::new();
        while state != from {
            let (previous, edge) = before[&state];
            path.push((state, edge));
            state = previous;
        }
        path.reverse();
        path
    };
    let mut queue = VecDeque::from([from]);
    while let Some(state) = queue.pop_front() {
        if state != from && stop(state, None) {
            return Some(path_to(&before, state));
        }
        for edge in graph.edges(state) {
            let target = graph.targets[edge];
            if !inside(target) {
                continue;
            }
            if stop(state, Some(edge)) {
                let mut path = path_to(&before, state);
                path.push((target, edge));
                return Some(path);
            }
            if target != from && !before.contains_key(&target) {
                before.insert(target, (state, edge));
                queue.push_back(target);
            }
        }
    }
    None
}

/// The strongly connected components of the subgraph induced by `region`, each listed
/// once, by Tarjan's algorithm without recursion. Components of one state without a
/// self-loop are left out.
fn tarjan(graph: &Graph, region: &Bits) -> Vec<Vec<u32>> {
    let n = graph.len();
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = Bits::new(n);
    let mut stack: Vec<u32> = Vec::new();
    let mut components = Vec::new();
    let mut counter = 0u32;
    // Call stack: (state, next edge to look at).
    let mut calls: Vec<(u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if !region.get(root) || index[root as usize] != UNSEEN {
            continue;
        }
        calls.push((root, graph.edges(root).start));
        index[root as usize] = counter;
        low[root as usize] = counter;
        counter += 1;
        stack.push(root);
        on_stack.set(root);
        while let Some(&mut (state, ref mut next)) = calls.last_mut() {
            let end = graph.edges(state).end;
            let mut descended = false;
            while *next < end {
                let edge = *next;
                *next += 1;
                let target = graph.targets[edge];
                if !region.get(target) {
                    continue;
                }
                if index[target as usize] == UNSEEN {
                    index[target as usize] = counter;
                    low[target as usize] = counter;
                    counter += 1;
                    stack.push(target);
                    on_stack.set(target);
                    calls.push((target, graph.edges(target).start));
                    descended = true;
                    break;
                } else if on_stack.get(target) {
                    low[state as usize] = low[state as usize].min(index[target as usize]);
                }
            }
            if descended {
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[state as usize]);
            }
            if low[state as usize] == index[state as usize] {
                let mut members = Vec::new();
                loop {
                    let member = stack.pop().expect("the component is on the stack");
                    on_stack.0[member as usize / 64] &= !(1 << (member % 64));
                    members.push(member);
                    if member == state {
                        break;
                    }
                }
                let looped = members.len() > 1
                    || graph.edges(state).any(|edge| graph.targets[edge] == state);
                if looped {
                    members.sort_unstable();
                    components.push(members);
                }
            }
        }
    }
    components
}
