//! Replaying a [`Trace`] on its model: the model's own states, and each step's action as
//! stateright numbers it (its index in [`Model::actions`](dnsrace_core::Model::actions)).
//!
//! A [`Trace`] is plain data (named [`Value`](dnsrace_core::Value)s and step
//! descriptions), so it can be saved and exported without the model. Two things need the
//! model's states back: stateright's Explorer, which addresses a state by the path of
//! action indices that leads to it (`#/steps/0/3/1/...`), and sequence diagrams, which ask
//! the model who sent which message ([`Presentation::message`]).
//!
//! [`replay()`] finds them by walking the model forward from its initial states: at each
//! step it takes an action whose successor has exactly the trace's variables and whose
//! description is the trace's. If two actions match a step (two steps that look the same
//! to a person but differ in a state the variables do not show), it tries them in order
//! and backtracks, so the result is always a real path of the model that prints as the
//! trace.
//!
//! A model with symmetry ([`Presentation::representative`]) may have traces whose states
//! are canonical representatives rather than one real path. If no real path prints as
//! the trace, [`replay()`] looks for one whose states have the trace's states as
//! representatives: a real path of the model, equal to the trace up to the symmetry.

use dnsrace_core::{Message, Presentation};

use crate::report::Trace;

/// A trace replayed on its model: see the [module documentation](self).
#[derive(Clone, Debug)]
pub struct Replay<S> {
    /// The index of the first state in [`Model::init_states`](dnsrace_core::Model::init_states).
    pub init_index: usize,
    /// For each step, the index of its action in [`Model::actions`](dnsrace_core::Model::actions) of the
    /// state before.
    pub action_indices: Vec<usize>,
    /// The model's states, the initial state first (one more than the actions).
    pub states: Vec<S>,
}

/// Successors tried before [`replay()`] gives up: a trace the model cannot produce is
/// found out long before, and a real one needs about (steps × actions per state).
const REPLAY_BUDGET: usize = 1_000_000;

/// Replays `trace` on `model`, or `None` if the model cannot produce it (the trace comes
/// from another model or configuration, or the model is not deterministic).
pub fn replay<M: Presentation>(model: &M, trace: &Trace) -> Option<Replay<M::State>> {
    let mut budget = REPLAY_BUDGET;
    replay_matching(model, trace, Matching::Exact, &mut budget)
        .or_else(|| replay_matching(model, trace, Matching::UpToSymmetry, &mut budget))
}

/// How a model state must match a state of the trace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Matching {
    /// Same variables and same step description.
    Exact,
    /// Its representative has the same variables.
    UpToSymmetry,
}

fn matches<M: Presentation>(
    model: &M,
    matching: Matching,
    state: &M::State,
    target: &crate::report::TraceState,
    described: impl FnOnce() -> String,
) -> bool {
    match matching {
        Matching::Exact => {
            model.variables(state) == target.variables && described() == target.action
        }
        Matching::UpToSymmetry => match model.representative(state) {
            Some(canonical) => model.variables(&canonical) == target.variables,
            None => model.variables(state) == target.variables,
        },
    }
}

fn replay_matching<M: Presentation>(
    model: &M,
    trace: &Trace,
    matching: Matching,
    budget: &mut usize,
) -> Option<Replay<M::State>> {
    let first = trace.states.first()?;
    for (init_index, state) in model.init_states().into_iter().enumerate() {
        if !matches(model, matching, &state, first, || first.action.clone()) {
            continue;
        }
        let mut path = Replay {
            init_index,
            action_indices: Vec::with_capacity(trace.len() - 1),
            states: vec![state],
        };
        if extend(model, trace, matching, &mut path, budget) {
            return Some(path);
        }
        if *budget == 0 {
            return None;
        }
    }
    None
}

/// Extends `path` (which matches the first `path.states.len()` states of `trace`) to the
/// whole trace, depth first; on failure leaves `path` as it was.
fn extend<M: Presentation>(
    model: &M,
    trace: &Trace,
    matching: Matching,
    path: &mut Replay<M::State>,
    budget: &mut usize,
) -> bool {
    let depth = path.states.len();
    let Some(target) = trace.states.get(depth) else {
        return true;
    };
    let before = path.states.last().expect("a path has a first state");
    // `next_state` consumes an action: list them twice, one list to describe the step.
    let (mut actions, mut described) = (Vec::new(), Vec::new());
    model.actions(before, &mut actions);
    model.actions(before, &mut described);
    let candidates: Vec<(usize, M::State)> = actions
        .into_iter()
        .zip(&described)
        .enumerate()
        .filter_map(|(index, (action, described))| {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            let next = model.next_state(before, action)?;
            matches(model, matching, &next, target, || {
                model.describe_step(before, described, &next)
            })
            .then_some((index, next))
        })
        .collect();
    for (index, next) in candidates {
        path.action_indices.push(index);
        path.states.push(next);
        if extend(model, trace, matching, path, budget) {
            return true;
        }
        path.action_indices.pop();
        path.states.pop();
    }
    false
}

impl<S> Replay<S> {
    /// The path as stateright's Explorer encodes it: the initial state's index, then each
    /// action's, joined by `/` (open it at `http://ADDRESS/#/steps/PATH`).
    pub fn explorer_path(&self) -> String {
        std::iter::once(self.init_index)
            .chain(self.action_indices.iter().copied())
            .map(|index| index.to_string())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// For each state of the trace, the message its step delivered according to
    /// [`Presentation::message`]; `None` for the initial state and for steps that are not
    /// messages.
    pub fn messages<M>(&self, model: &M) -> Vec<Option<Message>>
    where
        M: Presentation<State = S>,
    {
        let mut messages = vec![None];
        let mut actions = Vec::new();
        for (step, &index) in self.action_indices.iter().enumerate() {
            let (before, after) = (&self.states[step], &self.states[step + 1]);
            actions.clear();
            model.actions(before, &mut actions);
            messages.push(
                actions
                    .get(index)
                    .and_then(|action| model.message(before, action, after)),
            );
        }
        messages
    }
}

/// The Explorer path of `trace` (see [`Replay::explorer_path`]), or `None` if the model
/// cannot produce it.
pub fn explorer_path<M: Presentation>(model: &M, trace: &Trace) -> Option<String> {
    replay(model, trace).map(|replay| replay.explorer_path())
}
