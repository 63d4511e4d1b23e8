//! Following a story: a behaviour written down step by step, in the model's own words,
//! and checked against the model.
//!
//! A checker finds the *shortest* behaviour that breaks a property, which is rarely the
//! one a post-mortem tells. A story is the other direction: a person lists the steps of
//! the behaviour they have in mind (each as the model describes a step, see
//! [`Presentation::describe_step`], or as it names the action, see
//! [`Model::format_action`](dnsrace_core::Model::format_action)), and [`follow_story`]
//! confirms that each step is enabled where the story puts it, or names the first one
//! that is not and lists what was possible instead.
//!
//! [`recoverable_from`] then asks of the story's last state what an `always recoverable`
//! property asks of every state: can the allowed steps still reach the goal from here?

use std::collections::{HashSet, VecDeque};
use std::hash::Hash;

use dnsrace_core::{Liveness, LivenessProperty, Presentation};
use stateright::Expectation;

use crate::report::{Trace, TraceState};

/// A story the model follows to its end.
#[derive(Clone, Debug)]
pub struct Followed<S> {
    /// The behaviour, printable like any other trace.
    pub trace: Trace,
    /// The model's states along it, the initial state first.
    pub states: Vec<S>,
    /// For each state, the `always` properties false there that were true in the state
    /// before (for the initial state: those false in it).
    pub newly_violated: Vec<Vec<&'static str>>,
}

/// The first step of a story the model cannot take.
#[derive(Clone, Debug)]
pub struct NotPossible {
    /// Its index in the story's steps (0 for the first).
    pub step: usize,
    /// The behaviour up to the state where the step was tried.
    pub trace: Trace,
    /// How the model describes every step it could take there instead.
    pub enabled: Vec<String>,
}

/// Walks `model` from its first initial state along `steps`: at each state, takes the
/// first action (in [`Model::actions`](dnsrace_core::Model::actions) order) whose step
/// description, or whose action name, is the story's next step.
pub fn follow_story<M>(model: &M, steps: &[&str]) -> Result<Followed<M::State>, NotPossible>
where
    M: Presentation,
    M::Action: Clone + std::fmt::Debug,
{
    let always: Vec<_> = model
        .described_properties()
        .into_iter()
        .filter(|p| p.property.expectation == Expectation::Always)
        .collect();
    let violated = |state: &M::State| -> Vec<&'static str> {
        always
            .iter()
            .filter(|p| !(p.property.condition)(model, state))
            .map(|p| p.name())
            .collect()
    };
    let first = model
        .init_states()
        .into_iter()
        .next()
        .expect("a model has an initial state");
    let mut trace = Trace {
        states: vec![TraceState {
            action: "Initial state".to_string(),
            variables: model.variables(&first),
        }],
        loop_start: None,
        loop_action: None,
    };
    let mut before_violated = violated(&first);
    let mut newly_violated = vec![before_violated.clone()];
    let mut states = vec![first];
    let mut actions = Vec::new();
    for (index, words) in steps.iter().enumerate() {
        let before = states.last().expect("at least the initial state");
        model.actions(before, &mut actions);
        let mut enabled = Vec::new();
        let mut taken = None;
        for action in actions.drain(..) {
            let name = model.format_action(&action);
            let Some(after) = model.next_state(before, action.clone()) else {
                continue;
            };
            let description = model.describe_step(before, &action, &after);
            if taken.is_none() && (description == *words || name == *words) {
                taken = Some((description, after));
            } else {
                enabled.push(description);
            }
        }
        let Some((description, after)) = taken else {
            return Err(NotPossible {
                step: index,
                trace,
                enabled,
            });
        };
        let now_violated = violated(&after);
        newly_violated.push(
            now_violated
                .iter()
                .copied()
                .filter(|name| !before_violated.contains(name))
                .collect(),
        );
        before_violated = now_violated;
        trace.states.push(TraceState {
            action: description,
            variables: model.variables(&after),
        });
        states.push(after);
    }
    Ok(Followed {
        trace,
        states,
        newly_violated,
    })
}

/// Whether the goal of the `always recoverable` property `property` can be reached from
/// `state` by the steps it allows, exploring at most `limit` states: `Some(true)` or
/// `Some(false)` when the search is exhaustive, `None` when the limit stopped it (or the
/// property is not of that kind).
pub fn recoverable_from<M>(
    model: &M,
    property: &LivenessProperty<M>,
    state: &M::State,
    limit: usize,
) -> Option<bool>
where
    M: Presentation,
    M::State: Hash + Eq + Clone,
{
    let Liveness::AlwaysRecoverable { allowed } = property.kind else {
        return None;
    };
    let mut seen: HashSet<M::State> = HashSet::from([state.clone()]);
    let mut queue = VecDeque::from([state.clone()]);
    let mut actions = Vec::new();
    while let Some(at) = queue.pop_front() {
        if (property.goal)(model, &at) {
            return Some(true);
        }
        model.actions(&at, &mut actions);
        for action in actions.drain(..) {
            if !allowed(model, &at, &action) {
                continue;
            }
            if let Some(next) = model.next_state(&at, action) {
                if seen.len() >= limit {
                    return None;
                }
                if seen.insert(next.clone()) {
                    queue.push_back(next);
                }
            }
        }
    }
    Some(false)
}

/// The trace as text, like a counterexample, with a line after each state that names the
/// properties that became false there.
pub fn render_followed<S>(followed: &Followed<S>) -> String {
    let notes: Vec<Option<String>> = followed
        .newly_violated
        .iter()
        .map(|names| {
            (!names.is_empty()).then(|| {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                format!("Now violated: {}", quoted.join(", "))
            })
        })
        .collect();
    let mut out = String::new();
    crate::text::render_trace_with_notes(&mut out, &followed.trace, &notes);
    out
}

/// The trace as text, for a story that stopped short.
pub fn render_trace(trace: &Trace) -> String {
    let mut out = String::new();
    crate::text::render_trace_with_notes(&mut out, trace, &[]);
    out
}
