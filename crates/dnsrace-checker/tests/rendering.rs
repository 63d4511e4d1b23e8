//! Text output (TLC-shaped traces with diffs, verdict table, statistics) matches an exact
//! expected string, and the JSON form parses back with the same verdicts.

use std::collections::{BTreeMap, BTreeSet};

use dnsrace_checker::{check, render_text, render_text_without_timing, CheckOptions};
use dnsrace_core::{DescribedProperty, Model, Presentation, Property, Value, Variable};
use serde_json::json;

/// A scripted four-step behaviour that touches every kind of diff.
struct Scripted;

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct State {
    step: u8, // hidden: step 3 changes no visible variable
    published: i64,
    tags: BTreeSet<i64>,
    endpoints: BTreeMap<&'static str, i64>,
    queue: Vec<i64>,
    seen: BTreeSet<i64>,
}

impl Model for Scripted {
    type State = State;
    type Action = ();

    fn init_states(&self) -> Vec<State> {
        vec![State {
            step: 0,
            published: 0,
            tags: BTreeSet::from([0]),
            endpoints: BTreeMap::from([("a", 0)]),
            queue: Vec::new(),
            seen: BTreeSet::from([0]),
        }]
    }

    fn actions(&self, state: &State, actions: &mut Vec<()>) {
        if state.step < 4 {
            actions.push(());
        }
    }

    fn next_state(&self, state: &State, _: ()) -> Option<State> {
        let mut next = state.clone();
        next.step += 1;
        match next.step {
            1 => {
                next.published = 1;
                next.tags.insert(1);
                next.seen.insert(1);
            }
            2 => {
                next.endpoints.insert("b", 0);
                next.tags.remove(&0);
                next.queue.push(1);
            }
            3 => {}
            _ => {
                next.endpoints.remove("a");
                next.endpoints.insert("b", 1);
                next.tags = BTreeSet::from([2]);
            }
        }
        Some(next)
    }
}

impl Presentation for Scripted {
    fn variables(&self, state: &State) -> Vec<Variable> {
        vec![
            (
                "planner".to_string(),
                Value::record([
                    ("published", Value::Int(state.published)),
                    ("name", Value::str("p1")),
                ]),
            ),
            (
                "tags".to_string(),
                Value::set(state.tags.iter().map(|&t| Value::Int(t))),
            ),
            (
                "endpoints".to_string(),
                Value::map(state.endpoints.iter().map(|(&name, &alias)| {
                    (
                        Value::str(name),
                        Value::record([("alias", Value::Int(alias))]),
                    )
                })),
            ),
            (
                "queue".to_string(),
                Value::Seq(state.queue.iter().map(|&q| Value::Int(q)).collect()),
            ),
            (
                "seen".to_string(),
                Value::map(
                    state
                        .seen
                        .iter()
                        .map(|&g| (Value::Int(g), Value::Bool(true))),
                ),
            ),
        ]
    }

    fn describe_step(&self, _: &State, _: &(), after: &State) -> String {
        match after.step {
            1 => "Planner publishes generation 1",
            2 => "Enactor adds endpoint b and drops tag 0",
            3 => "Clock ticks",
            _ => "Enactor moves the alias to b",
        }
        .to_string()
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "endpoint a never removed",
                "endpoint a always exists",
                |_, s: &State| s.endpoints.contains_key("a"),
            ),
            DescribedProperty::sometimes("tag 1 published", "tag 1 appears", |_, s: &State| {
                s.tags.contains(&1)
            }),
            DescribedProperty::sometimes(
                "queue holds two plans",
                "the queue holds two plans",
                |_, s: &State| s.queue.len() == 2,
            ),
            DescribedProperty::always("published stays small", "published < 10", |_, s: &State| {
                s.published < 10
            }),
            DescribedProperty {
                property: Property::eventually("eventually tidy", |_, s: &State| s.step == 4),
                description: "every behaviour ends tidy",
            },
        ]
    }
}

const EXPECTED: &str = r#"Error: Invariant "endpoint a never removed" is violated.
The behavior up to this point is:
State 1: <Initial state>
/\ planner = [published |-> 0, name |-> "p1"]
/\ tags = {0}
/\ endpoints = ("a" :> [alias |-> 0])
/\ queue = <<>>
/\ seen = (0 :> TRUE)

State 2: <Planner publishes generation 1>
/\ planner.published = 1  (was 0)
/\ tags = {0, 1}  (added 1)
/\ seen[1] = TRUE  (new)

State 3: <Enactor adds endpoint b and drops tag 0>
/\ tags = {1}  (removed 0)
/\ endpoints["b"] = [alias |-> 0]  (new)
/\ queue = <<1>>  (was <<>>)

State 4: <Clock ticks>
/\ (no variable changed)

State 5: <Enactor moves the alias to b>
/\ tags = {2}  (added 2; removed 1)
/\ endpoints["b"].alias = 1  (was 0)
/\ endpoints["a"] = [alias |-> 0]  (removed)

Error: "queue holds two plans" is never reached (no reachable state satisfies it).

Property                  Kind        Verdict
endpoint a never removed  always      VIOLATED (trace of 5 states)
tag 1 published           sometimes   reached (in 2 states)
queue holds two plans     sometimes   NOT REACHED
published stays small     always      holds
eventually tidy           eventually  inconclusive
Note: "eventually tidy": liveness (eventually) is not checked by this engine yet.

5 states generated, 5 distinct states found, 0 states left on queue.
The depth of the complete state graph search is 4.
Exhaustive: every reachable state was explored.
"#;

fn report() -> dnsrace_checker::Report {
    check(
        &Scripted,
        &Scripted.described_properties(),
        &CheckOptions::default(),
    )
}

#[test]
fn text_matches_exactly() {
    let text = render_text_without_timing(&report());
    assert_eq!(text, EXPECTED, "\n{text}");
}

#[test]
fn timing_line_is_only_in_the_timed_text() {
    let text = render_text(&report());
    let timing: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("Finished in "))
        .collect();
    assert_eq!(timing.len(), 1);
    assert!(
        timing[0].ends_with("distinct states/s) with 1 thread.") || timing[0].contains(" threads.")
    );
    let without: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("Finished in "))
        .collect();
    assert_eq!(without.join("\n") + "\n", EXPECTED);
}

#[test]
fn json_parses_with_the_same_verdicts() {
    let mut report = report();
    // serde_json's parser may read a float back one unit in the last place off (it failed
    // 5 runs in 100 on the measured rate): compare the rest exactly, not the timing.
    report.statistics.elapsed = std::time::Duration::from_secs(1);
    report.statistics.distinct_states_per_second = 5.0;
    let text = serde_json::to_string_pretty(&report).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, report.to_json());
    let verdicts: Vec<&str> = parsed["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        [
            "violated",
            "reached",
            "not reached",
            "holds",
            "inconclusive"
        ]
    );
    let kinds: Vec<&str> = parsed["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["expectation"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["always", "sometimes", "sometimes", "always", "eventually"]
    );
    assert_eq!(parsed["completeness"], json!({"kind": "exhaustive"}));
    assert!(parsed["statistics"]["elapsed"].is_f64());
    assert_eq!(parsed["statistics"]["distinct_states"], json!(5));

    let trace = &parsed["properties"][0]["trace"]["states"];
    assert_eq!(trace.as_array().unwrap().len(), 5);
    assert_eq!(trace[0]["action"], json!("Initial state"));
    assert_eq!(
        trace[0]["variables"],
        json!({
            "planner": {"published": 0, "name": "p1"},
            "tags": [0],
            "endpoints": {"a": {"alias": 0}},
            "queue": [],
            "seen": [[0, true]],
        })
    );
    assert_eq!(trace[4]["action"], json!("Enactor moves the alias to b"));
    assert_eq!(parsed["properties"][2]["trace"], json!(null));
    // The model's variable order survives in the JSON text.
    let planner = text.find("\"planner\"").unwrap();
    assert!(planner < text.find("\"tags\"").unwrap());
    assert!(text.find("\"tags\"").unwrap() < text.find("\"endpoints\"").unwrap());
}

#[test]
fn value_json_shapes() {
    use dnsrace_checker::value_to_json;
    assert_eq!(value_to_json(&Value::Bool(false)), json!(false));
    assert_eq!(value_to_json(&Value::str("x")), json!("x"));
    assert_eq!(
        value_to_json(&Value::Seq(vec![Value::Int(2), Value::Int(1)])),
        json!([2, 1])
    );
    assert_eq!(value_to_json(&Value::map([])), json!({}));
    assert_eq!(
        value_to_json(&Value::map([(Value::Seq(vec![]), Value::Int(1))])),
        json!([[[], 1]])
    );
}
