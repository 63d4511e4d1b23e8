//! Trace exports (text, JSON, ITF, Mermaid) and replay, on toy models: every ITF export
//! round-trips through the `itf` crate, and a replayed trace is the model's own path.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{run, threads, CounterRace};
use dnsrace_checker::export::{
    export_model_trace, itf_action_variable, to_itf, to_json, to_mermaid, to_text,
};
use dnsrace_checker::{
    headline_trace, render_text, replay, PropertyResult, Report, Trace, TraceFormat, Verdict,
};
use dnsrace_core::{DescribedProperty, Message, Model, Presentation, Property, Value, Variable};

// ---------------------------------------------------------------------------------------
// A relay: a token passes from Alice to Bob to Carol; every kind of value shows up.

#[derive(Clone)]
struct Relay;

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct RelayState {
    holder: usize,
    hops: Vec<usize>,
}

const NAMES: [&str; 3] = ["Alice", "Bob", "Carol"];

impl Model for Relay {
    type State = RelayState;
    type Action = usize;

    fn init_states(&self) -> Vec<RelayState> {
        vec![RelayState {
            holder: 0,
            hops: vec![],
        }]
    }

    fn actions(&self, state: &RelayState, actions: &mut Vec<usize>) {
        if state.holder + 1 < NAMES.len() {
            actions.push(state.holder + 1);
        }
    }

    fn next_state(&self, state: &RelayState, to: usize) -> Option<RelayState> {
        let mut hops = state.hops.clone();
        hops.push(to);
        Some(RelayState { holder: to, hops })
    }

    fn properties(&self) -> Vec<Property<Self>> {
        self.described_properties()
            .into_iter()
            .map(|p| p.property)
            .collect()
    }
}

impl Presentation for Relay {
    fn variables(&self, state: &RelayState) -> Vec<Variable> {
        vec![
            ("holder".into(), Value::str(NAMES[state.holder])),
            (
                "hops".into(),
                Value::Seq(state.hops.iter().map(|&h| Value::Int(h as i64)).collect()),
            ),
            (
                "visited".into(),
                Value::set(
                    std::iter::once(0)
                        .chain(state.hops.iter().copied())
                        .map(|h| Value::str(NAMES[h])),
                ),
            ),
            (
                "by_hop".into(),
                Value::map(
                    state
                        .hops
                        .iter()
                        .enumerate()
                        .map(|(i, &h)| (Value::Int(i as i64), Value::Bool(h == 2))),
                ),
            ),
            (
                "summary".into(),
                Value::record([("done", Value::Bool(state.holder == 2))]),
            ),
        ]
    }

    fn describe_step(&self, before: &RelayState, _: &usize, after: &RelayState) -> String {
        format!(
            "{} passes the token; to {}",
            NAMES[before.holder], NAMES[after.holder]
        )
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![DescribedProperty::always(
            "Carol never holds the token",
            "the token stops before Carol",
            |_, state: &RelayState| state.holder != 2,
        )]
    }

    fn participants(&self) -> Vec<String> {
        NAMES.iter().map(|n| n.to_string()).collect()
    }

    fn message(&self, before: &RelayState, _: &usize, after: &RelayState) -> Option<Message> {
        Some(Message {
            from: NAMES[before.holder].into(),
            to: NAMES[after.holder].into(),
            label: "token #1; <here>".into(),
        })
    }
}

fn relay_report() -> (Report, PropertyResult, Trace) {
    let report = run(&Relay, &threads(1));
    let (property, trace) = headline_trace(&report).expect("Carol gets the token");
    let (property, trace) = (property.clone(), trace.clone());
    (report, property, trace)
}

// ---------------------------------------------------------------------------------------
// ITF

/// `value` as the `itf` crate reads it.
fn expected_itf(value: &Value) -> itf::Value {
    match value {
        Value::Bool(b) => itf::Value::Bool(*b),
        Value::Int(n) => itf::Value::BigInt(itf::value::BigInt::new(*n)),
        Value::Str(s) => itf::Value::String(s.clone()),
        Value::Seq(items) => itf::Value::List(items.iter().map(expected_itf).collect()),
        Value::Set(items) => itf::Value::Set(
            items
                .iter()
                .map(expected_itf)
                .collect::<BTreeSet<_>>()
                .into(),
        ),
        Value::Map(entries) => itf::Value::Map(
            entries
                .iter()
                .map(|(k, v)| (expected_itf(k), expected_itf(v)))
                .collect::<BTreeMap<_, _>>()
                .into(),
        ),
        Value::Record(fields) => itf::Value::Record(
            fields
                .iter()
                .map(|(name, v)| (name.clone(), expected_itf(v)))
                .collect::<BTreeMap<_, _>>()
                .into(),
        ),
    }
}

/// Parses `text` into the `itf` crate's trace and values (which read `#bigint`, `#set`,
/// `#map` and `#meta`) and checks it against `trace` state by state.
fn assert_itf_round_trips(text: &str, property: &PropertyResult, trace: &Trace) {
    let parsed: itf::Trace<itf::Value> =
        serde_json::from_str(text).unwrap_or_else(|error| panic!("not ITF: {error}\n{text}"));
    assert_eq!(parsed.meta.format.as_deref(), Some("ITF"));
    assert_eq!(
        parsed.meta.format_description.as_deref(),
        Some("https://apalache-mc.org/docs/adr/015adr-trace.html")
    );
    assert_eq!(parsed.meta.other["property"], property.name);
    assert_eq!(parsed.meta.other["verdict"], property.verdict.to_string());
    let action = itf_action_variable(trace);
    assert_eq!(parsed.states.len(), trace.len());
    let mut vars = vec![action.clone()];
    vars.extend(trace.states[0].variables.iter().map(|(n, _)| n.clone()));
    assert_eq!(parsed.vars, vars);
    for (index, (state, expected)) in parsed.states.iter().zip(&trace.states).enumerate() {
        assert_eq!(state.meta.index, Some(index as u64));
        let itf::Value::Record(record) = &state.value else {
            panic!("state {index} is not a record: {:?}", state.value);
        };
        assert_eq!(
            record.get(&action),
            Some(&itf::Value::String(expected.action.clone())),
            "state {index}: the action variable"
        );
        assert_eq!(record.len(), expected.variables.len() + 1);
        for (name, value) in &expected.variables {
            assert_eq!(
                record.get(name),
                Some(&expected_itf(value)),
                "state {index}: {name}"
            );
        }
    }
}

/// A state of [`Relay`] as a program using the trace (model-based testing) reads it.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct RelayItf {
    action: String,
    holder: String,
    hops: Vec<i64>,
    visited: BTreeSet<String>,
    by_hop: BTreeMap<i64, bool>,
    summary: RelaySummary,
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct RelaySummary {
    done: bool,
}

#[test]
fn itf_of_every_value_kind_round_trips_through_the_itf_crate() {
    let (_, property, trace) = relay_report();
    let text = export_model_trace(TraceFormat::Itf, &Relay, &property, &trace, "relay");
    assert_itf_round_trips(&text, &property, &trace);
    let typed: itf::Trace<RelayItf> =
        itf::trace_from_str(&text).unwrap_or_else(|error| panic!("{error}\n{text}"));
    assert_eq!(
        typed.states[2].value,
        RelayItf {
            action: "Bob passes the token; to Carol".into(),
            holder: "Carol".into(),
            hops: vec![1, 2],
            visited: ["Alice", "Bob", "Carol"].map(String::from).into(),
            by_hop: [(0, false), (1, true)].into(),
            summary: RelaySummary { done: true },
        }
    );
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["#meta"]["source"], "relay");
    assert_eq!(
        document["states"][2]["visited"],
        serde_json::json!({"#set": ["Alice", "Bob", "Carol"]})
    );
    assert_eq!(
        document["states"][2]["by_hop"],
        serde_json::json!({"#map": [[{"#bigint": "0"}, false], [{"#bigint": "1"}, true]]})
    );
}

#[test]
fn itf_of_every_counter_race_trace_round_trips_through_the_itf_crate() {
    let report = run(
        &CounterRace {
            threads: 3,
            locked: false,
        },
        &threads(2),
    );
    let mut exported = 0;
    for property in &report.properties {
        if let Some(trace) = &property.trace {
            let text = serde_json::to_string(&to_itf(property, trace, "counter race")).unwrap();
            assert_itf_round_trips(&text, property, trace);
            exported += 1;
        }
    }
    assert!(exported >= 2, "{report:?}");
}

#[test]
fn the_action_variable_steps_aside_for_a_model_variable_called_action() {
    let (_, property, mut trace) = relay_report();
    for state in &mut trace.states {
        state
            .variables
            .push(("action".into(), Value::str("the model's own")));
    }
    assert_eq!(itf_action_variable(&trace), "_action");
    let text = serde_json::to_string(&to_itf(&property, &trace, "relay")).unwrap();
    assert_itf_round_trips(&text, &property, &trace);
}

// ---------------------------------------------------------------------------------------
// Text, JSON, Mermaid

#[test]
fn the_text_export_is_the_reports_counterexample() {
    let (report, property, trace) = relay_report();
    let text = to_text(&property, &trace);
    assert!(
        text.starts_with("Error: Invariant \"Carol never holds the token\" is violated.\n"),
        "{text}"
    );
    assert!(render_text(&report).starts_with(&text), "{text}");
}

#[test]
fn the_json_export_names_the_property_and_keeps_variable_order() {
    let (_, property, trace) = relay_report();
    let json = to_json(&property, &trace);
    assert_eq!(json["property"], "Carol never holds the token");
    assert_eq!(json["verdict"], "violated");
    assert_eq!(json["expectation"], "always");
    let states = json["states"].as_array().unwrap();
    assert_eq!(states.len(), 3);
    assert_eq!(states[0]["action"], "Initial state");
    let names: Vec<&String> = states[1]["variables"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["holder", "hops", "visited", "by_hop", "summary"]);
}

#[test]
fn the_mermaid_export_draws_each_message_between_the_participants() {
    let (_, property, trace) = relay_report();
    let text = export_model_trace(TraceFormat::Mermaid, &Relay, &property, &trace, "");
    assert_eq!(
        text,
        "sequenceDiagram
    %% Error: Invariant \"Carol never holds the token\" is violated. Arrow n leads to State n of the text trace.
    participant Alice
    participant Bob
    participant Carol
    Alice->>Bob: 2. token #35;1#59; #60;here#62;
    Bob->>Carol: 3. token #35;1#59; #60;here#62;
    Note over Alice,Carol: Error: Invariant \"Carol never holds the token\" is violated.
"
    );
}

#[test]
fn without_messages_a_mermaid_diagram_shows_the_steps_as_notes() {
    let report = run(
        &CounterRace {
            threads: 2,
            locked: false,
        },
        &threads(1),
    );
    let (property, trace) = headline_trace(&report).expect("a lost update");
    let text = to_mermaid(property, trace, &[], &[]);
    let notes = text
        .lines()
        .filter(|l| l.starts_with("    Note over model: "))
        .count();
    assert_eq!(notes, trace.len(), "{text}");
    assert!(text.contains("    participant model\n"), "{text}");
}

#[test]
fn the_headline_trace_is_the_first_violation_else_the_first_example() {
    let report = run(
        &CounterRace {
            threads: 2,
            locked: false,
        },
        &threads(1),
    );
    let (property, _) = headline_trace(&report).unwrap();
    let first_violated = report
        .properties
        .iter()
        .find(|p| p.verdict == Verdict::Violated)
        .unwrap();
    assert_eq!(property.name, first_violated.name);

    let fixed = run(
        &CounterRace {
            threads: 2,
            locked: true,
        },
        &threads(1),
    );
    match headline_trace(&fixed) {
        Some((property, _)) => assert_eq!(property.verdict, Verdict::Reached),
        None => assert!(fixed.properties.iter().all(|p| p.trace.is_none())),
    }
}

// ---------------------------------------------------------------------------------------
// Replay

#[test]
fn a_replayed_trace_is_the_models_own_path_to_the_violation() {
    let model = CounterRace {
        threads: 3,
        locked: false,
    };
    let report = run(&model, &threads(2));
    for property in &report.properties {
        let Some(trace) = &property.trace else {
            continue;
        };
        let replayed = replay(&model, trace).expect("the trace replays");
        assert_eq!(replayed.states.len(), trace.len());
        assert_eq!(replayed.action_indices.len(), trace.len() - 1);
        // Following the indices from the initial state reaches the trace's states.
        let mut state = model.init_states().remove(replayed.init_index);
        for (step, &index) in replayed.action_indices.iter().enumerate() {
            let mut actions = Vec::new();
            model.actions(&state, &mut actions);
            state = model.next_state(&state, actions.remove(index)).unwrap();
            assert_eq!(model.variables(&state), trace.states[step + 1].variables);
        }
        let path = replayed.explorer_path();
        assert_eq!(
            path.split('/').count(),
            trace.len(),
            "one index per state: {path}"
        );
    }
}

#[test]
fn a_trace_of_another_model_does_not_replay() {
    let (_, _, trace) = relay_report();
    let other = CounterRace {
        threads: 2,
        locked: false,
    };
    let report = run(&other, &threads(1));
    let (_, other_trace) = headline_trace(&report).unwrap();
    assert!(replay(&other, &trace).is_none());
    assert!(replay(&Relay, other_trace).is_none());
}

/// Two interchangeable counters: a state and its mirror image are one class.
struct Twins;

impl Model for Twins {
    type State = (u8, u8);
    type Action = bool;

    fn init_states(&self) -> Vec<(u8, u8)> {
        vec![(0, 0)]
    }

    fn actions(&self, _: &(u8, u8), actions: &mut Vec<bool>) {
        actions.extend([true, false]);
    }

    fn next_state(&self, &(a, b): &(u8, u8), first: bool) -> Option<(u8, u8)> {
        Some(if first { (a + 1, b) } else { (a, b + 1) })
    }
}

impl Presentation for Twins {
    fn variables(&self, &(a, b): &(u8, u8)) -> Vec<Variable> {
        vec![
            ("a".into(), Value::Int(a.into())),
            ("b".into(), Value::Int(b.into())),
        ]
    }

    fn describe_step(&self, _: &(u8, u8), first: &bool, _: &(u8, u8)) -> String {
        format!("{} counts", if *first { "a" } else { "b" })
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        Vec::new()
    }

    fn representative(&self, &(a, b): &(u8, u8)) -> Option<(u8, u8)> {
        (a > b).then_some((b, a))
    }
}

#[test]
fn a_trace_of_representatives_replays_up_to_the_symmetry() {
    let state = |action: &str, a, b| dnsrace_checker::TraceState {
        action: action.to_string(),
        variables: Twins.variables(&(a, b)),
    };
    // "a counts" leads to (1, 0), whose representative (0, 1) the trace shows.
    let (_, _, mut trace) = relay_report();
    trace.states = vec![state("Initial state", 0, 0), state("a counts", 0, 1)];
    let replayed = replay(&Twins, &trace).expect("replays up to the symmetry");
    assert_eq!(replayed.action_indices, [0]);
    assert_eq!(replayed.states, [(0, 0), (1, 0)]);
    // An exact match wins when there is one.
    trace.states = vec![state("Initial state", 0, 0), state("b counts", 0, 1)];
    assert_eq!(replay(&Twins, &trace).unwrap().action_indices, [1]);
}

#[test]
fn a_lasso_exports_its_cycle() {
    let (_, property, mut trace) = relay_report();
    trace.loop_start = Some(1);
    trace.loop_action = Some("Carol passes the token back to Bob".into());
    let text = export_model_trace(TraceFormat::Itf, &Relay, &property, &trace, "relay");
    let parsed: itf::Trace<itf::Value> = serde_json::from_str(&text).expect("ITF");
    assert_eq!(parsed.loop_index, Some(1));
    assert_itf_round_trips(&text, &property, &trace);
    assert!(to_text(&property, &trace)
        .ends_with("State 4: Back to state 2: <Carol passes the token back to Bob>\n\n"));
    assert_eq!(to_json(&property, &trace)["loop"], 1);
    let diagram = export_model_trace(TraceFormat::Mermaid, &Relay, &property, &trace, "");
    assert!(
        diagram.contains(
            "    Note over Alice,Carol: 4. back to state 2: Carol passes the token back to Bob\n"
        ),
        "{diagram}"
    );
}
