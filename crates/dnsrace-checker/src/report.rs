//! The result of a check, independent of the model: plain data that serializes to JSON.

use std::time::Duration;

pub use dnsrace_core::{PropertyKind, Verdict};
use dnsrace_core::{Value, Variable};

use crate::checkpoint::CheckpointStatus;
use serde::ser::{SerializeMap, SerializeSeq, SerializeTuple};
use serde::{Serialize, Serializer};

/// Everything a check found: one result per property, statistics, and how complete the
/// search was.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// One result per checked property, in the order they were given.
    pub properties: Vec<PropertyResult>,
    /// Counts and timing.
    pub statistics: Statistics,
    /// Whether every reachable state was explored, and if not why the search stopped.
    pub completeness: Completeness,
    /// What checkpointing did, when the check saved itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<CheckpointStatus>,
    /// Per kind of action, the steps taken and the new states found, when asked for
    /// ([`CheckOptions::coverage`](crate::CheckOptions::coverage)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// TLC's coverage: for each kind of action (see `Presentation::action_kind`), how many
/// steps of that kind the search took and how many of the states they led to were new.
/// It covers the levels the search completed: after an early stop or a bound, only those.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Distinct initial states (found by no action).
    pub initial_states: u64,
    /// One entry per kind: the model's declared kinds first, in its order (a kind that
    /// never fired among them, with zeros), then any other kind that fired, by name.
    pub actions: Vec<ActionCoverage>,
}

/// One kind of action in a [`Coverage`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionCoverage {
    /// The kind's name.
    pub kind: String,
    /// Steps of this kind taken: successor states computed (TLC's "states found"), each
    /// counted once for every state it was computed from.
    pub fired: u64,
    /// The distinct states this kind found first: states whose shortest path (the one
    /// traces follow) ends with a step of this kind. With symmetry, classes of states.
    /// These add up, with the initial states, to the distinct states of the check.
    pub distinct: u64,
}

/// The verdict on one property, with its trace when there is one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PropertyResult {
    /// The property's name.
    pub name: String,
    /// The property's one-line description.
    pub description: String,
    /// Whether the property is an `always`, a `sometimes` or an `eventually`.
    pub expectation: PropertyKind,
    /// What the search concluded.
    pub verdict: Verdict,
    /// For a violated `always`, the shortest counterexample; for a reached `sometimes`,
    /// the shortest example. `None` otherwise.
    pub trace: Option<Trace>,
    /// Why the verdict is what it is, when that is not obvious (for example: liveness is
    /// not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A behaviour: a sequence of states from an initial state, each with the step that led
/// to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    /// The states, the initial state first.
    pub states: Vec<TraceState>,
    /// For a lasso (a violated leads-to property): the index in `states` of the state the
    /// behaviour goes back to after the last state, forever. In JSON, `loop`, as in
    /// Apalache's ITF.
    #[serde(rename = "loop", skip_serializing_if = "Option::is_none")]
    pub loop_start: Option<usize>,
    /// For a lasso: the step from the last state back to `states[loop_start]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loop_action: Option<String>,
}

impl Trace {
    /// The number of states (one more than the number of steps).
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Whether the trace has no state (never the case for a reported trace).
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

/// One state of a [`Trace`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceState {
    /// The model's description of the step that led here; `"Initial state"` for the
    /// first state.
    pub action: String,
    /// Every variable of the state, in the model's order. In JSON, an object.
    #[serde(serialize_with = "serialize_variables")]
    pub variables: Vec<Variable>,
}

/// Counts and timing of a check, in TLC's terms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statistics {
    /// Successor states computed (every `next_state` that returned a state), plus the
    /// initial states. Only completed levels count.
    pub states_generated: u64,
    /// Distinct states found (and checked against every property).
    pub distinct_states: u64,
    /// Distinct states found whose successors were not explored (0 when exhaustive).
    pub states_left_on_queue: u64,
    /// The deepest level explored, in steps from an initial state (initial states are at
    /// depth 0), so the longest trace found has `depth + 1` states.
    pub depth: usize,
    /// Wall-clock time of the check. In JSON, seconds as a number.
    #[serde(serialize_with = "serialize_seconds")]
    pub elapsed: Duration,
    /// `distinct_states` divided by `elapsed`.
    pub distinct_states_per_second: f64,
    /// Worker threads used.
    pub threads: usize,
    /// Whether symmetry reduction was on (then `distinct_states` counts classes).
    pub symmetry: bool,
    /// Bytes of the visited set (fingerprints, parent links, and with liveness the state
    /// numbers), as allocated.
    pub visited_bytes: u64,
    /// Bytes of the recorded state graph (liveness only; 0 otherwise).
    pub graph_bytes: u64,
    /// The largest frontier between two levels, in states (each held whole in memory, or
    /// packed when the model has a codec).
    pub peak_frontier: u64,
    /// The bytes that largest frontier held, as allocated: each state's fingerprint and
    /// packed state with a codec; without one, only each whole state's inline size (its
    /// heap allocations are not counted). `peak_frontier_bytes / peak_frontier` is the
    /// frontier's cost a state.
    pub peak_frontier_bytes: u64,
}

/// How much of the state space the search covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Completeness {
    /// Every reachable state was explored: every verdict is final.
    Exhaustive,
    /// The search stopped early because every property already had a verdict.
    EveryPropertyDecided,
    /// A bound stopped the search: properties without a violation or an example are
    /// inconclusive.
    Bounded {
        /// Which bound, for example `"--max-states 1000 reached"`.
        reason: String,
    },
}

impl Report {
    /// Whether some safety or reachability property failed: an `always` is violated or a
    /// `sometimes` is never reached.
    pub fn has_violation(&self) -> bool {
        self.properties.iter().any(|p| {
            !p.expectation.is_liveness()
                && p.name != dnsrace_core::DEADLOCK
                && matches!(p.verdict, Verdict::Violated | Verdict::NotReached)
        })
    }

    /// Whether the deadlock check (`check --deadlock`) found a state without a next step
    /// that the model does not expect to end in.
    pub fn has_deadlock(&self) -> bool {
        self.properties
            .iter()
            .any(|p| p.name == dnsrace_core::DEADLOCK && p.verdict == Verdict::Violated)
    }

    /// Whether some liveness property is violated.
    pub fn has_liveness_violation(&self) -> bool {
        self.properties
            .iter()
            .any(|p| p.expectation.is_liveness() && p.verdict == Verdict::Violated)
    }

    /// Whether some property has no verdict (bounded search, or liveness).
    pub fn is_inconclusive(&self) -> bool {
        self.properties
            .iter()
            .any(|p| p.verdict == Verdict::Inconclusive)
    }

    /// The process exit code, following TLC where they overlap: 12 if a safety or
    /// reachability property failed (see [`has_violation`](Self::has_violation)), else 13
    /// if a liveness property is violated, else 3 if some property is inconclusive, else
    /// 0. A safety violation takes precedence: it is found on single states and its trace
    /// is shortest, so it is the first thing to look at (TLC too reports it first).
    pub fn exit_code(&self) -> i32 {
        if self.has_violation() {
            12
        } else if self.has_deadlock() {
            11
        } else if self.has_liveness_violation() {
            13
        } else if self.is_inconclusive() {
            3
        } else {
            0
        }
    }

    /// The report as a JSON value (object keys come out sorted; serialize the report
    /// itself with `serde_json` to keep the model's variable order).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a report always serializes")
    }
}

/// A [`Value`] as JSON: booleans, integers and strings natively, sets and sequences as
/// arrays, records as objects, maps as objects when every key is a string and otherwise
/// as arrays of `[key, value]` pairs.
pub fn value_to_json(value: &Value) -> serde_json::Value {
    serde_json::to_value(JsonValue(value)).expect("a value always serializes")
}

/// Serializes a [`Value`] in the shape described at [`value_to_json`], keeping order.
struct JsonValue<'a>(&'a Value);

impl Serialize for JsonValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(n) => serializer.serialize_i64(*n),
            Value::Str(s) => serializer.serialize_str(s),
            Value::Set(items) | Value::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&JsonValue(item))?;
                }
                seq.end()
            }
            Value::Record(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (name, value) in fields {
                    map.serialize_entry(name, &JsonValue(value))?;
                }
                map.end()
            }
            Value::Map(entries) if entries.iter().all(|(k, _)| matches!(k, Value::Str(_))) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(&JsonValue(key), &JsonValue(value))?;
                }
                map.end()
            }
            Value::Map(entries) => {
                let mut seq = serializer.serialize_seq(Some(entries.len()))?;
                for (key, value) in entries {
                    seq.serialize_element(&Pair(key, value))?;
                }
                seq.end()
            }
        }
    }
}

/// A map entry with a non-string key: `[key, value]`.
struct Pair<'a>(&'a Value, &'a Value);

impl Serialize for Pair<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(2)?;
        tuple.serialize_element(&JsonValue(self.0))?;
        tuple.serialize_element(&JsonValue(self.1))?;
        tuple.end()
    }
}

fn serialize_variables<S: Serializer>(
    variables: &[Variable],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(variables.len()))?;
    for (name, value) in variables {
        map.serialize_entry(name, &JsonValue(value))?;
    }
    map.end()
}

fn serialize_seconds<S: Serializer>(elapsed: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(elapsed.as_secs_f64())
}
