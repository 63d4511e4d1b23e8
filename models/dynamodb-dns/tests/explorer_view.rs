//! What stateright's Explorer and the sequence diagrams show of the smallest race: the
//! incident's words, never `Debug` output, and the empty endpoint said plainly.

use dnsrace_checker::{check, replay, CheckOptions, Verdict};
use dnsrace_core::Scenario;
use dnsrace_core::{Model, Presentation};
use dynamodb_dns::{DnsModel, DynamoDbDns};
use stateright::Path;

fn smallest_race() -> DnsModel {
    Scenario::builtin(&DynamoDbDns, "smallest-race")
        .expect("a built-in scenario")
        .expect("it parses")
        .config
        .into_model()
}

/// The model's own path of the counterexample to "endpoint record never empty".
fn counterexample(model: &DnsModel) -> (Vec<<DnsModel as Model>::State>, Vec<usize>) {
    let properties: Vec<_> = model
        .described_properties()
        .into_iter()
        .filter(|p| p.name() == "endpoint record never empty")
        .collect();
    let report = check(model, &properties, &CheckOptions::default());
    let result = &report.properties[0];
    assert_eq!(result.verdict, Verdict::Violated);
    let replayed = replay(model, result.trace.as_ref().expect("a trace")).expect("replays");
    (replayed.states, replayed.action_indices)
}

fn nth_action(
    model: &DnsModel,
    state: &<DnsModel as Model>::State,
    index: usize,
) -> <DnsModel as Model>::Action {
    let mut actions = Vec::new();
    model.actions(state, &mut actions);
    actions.swap_remove(index)
}

#[test]
fn every_step_reads_in_the_incidents_words() {
    let model = smallest_race();
    let (states, indices) = counterexample(&model);
    let participants = model.participants();
    assert_eq!(
        participants,
        [
            "Planner",
            "plan store",
            "Enactor 1",
            "Enactor 2",
            "Route 53"
        ]
    );
    for (step, &index) in indices.iter().enumerate() {
        let action = nth_action(&model, &states[step], index);
        let line = model.format_action(&action);
        assert!(!line.contains("Id(") && !line.contains("Deliver"), "{line}");
        let message = model
            .message(&states[step], &action, &states[step + 1])
            .expect("every step of the race is a message");
        assert!(participants.contains(&message.from), "{message:?}");
        assert!(participants.contains(&message.to), "{message:?}");
        assert!(line.ends_with(message.label.split(" — ").next().unwrap_or_default()));
    }
}

#[test]
fn the_last_state_says_the_regional_endpoint_resolves_to_no_address() {
    let model = smallest_race();
    let (states, indices) = counterexample(&model);
    let last = states.len() - 2;
    let action = nth_action(&model, &states[last], indices[last]);
    let view = model
        .format_step(&states[last], action.clone())
        .expect("the step changes the state");
    for expected in [
        "Step: ",
        "Properties: 3 invariants are VIOLATED in this state",
        "  VIOLATED  endpoint record never empty: ",
        "  regional (dynamodb.us-east-1.amazonaws.com): resolves to NO ADDRESS: its alias targets generation 1, whose tree was deleted",
        "    alias record    → the tree of generation 1 (DELETED)",
        "plans that exist: generations 2, 3, 4; deleted: generation 1",
        "Enactors\n  Enactor 1: ",
        "Messages in flight (",
    ] {
        assert!(view.contains(expected), "`{expected}` in\n{view}");
    }
    let message = model
        .message(&states[last], &action, &states[last + 1])
        .expect("a message");
    assert!(
        message.label.ends_with("regional resolves to NO ADDRESS"),
        "{message:?}"
    );

    // The initial state holds no violation.
    let first = nth_action(&model, &states[0], indices[0]);
    let view = model.format_step(&states[0], first).expect("a step");
    assert!(
        view.contains("Properties: no invariant is violated in this state"),
        "{view}"
    );
}

#[test]
fn the_sequence_diagram_draws_the_lifelines_and_flags_the_violation() {
    let model = smallest_race();
    let (states, indices) = counterexample(&model);
    let actions: Vec<_> = indices
        .iter()
        .enumerate()
        .map(|(step, &index)| nth_action(&model, &states[step], index))
        .collect();
    let path = Path::from_actions(&model, states[0].clone(), &actions).expect("a path");
    let svg = model.as_svg(path).expect("an SVG");
    assert!(svg.starts_with("<svg "), "{svg}");
    for lifeline in model.participants() {
        assert!(svg.contains(&format!(">{lifeline}</text>")), "{lifeline}");
    }
    assert_eq!(svg.matches("class='svg-event-line'").count(), actions.len());
    assert!(svg.contains("✗ VIOLATED: endpoint record never empty"));
    assert!(!svg.contains("Id("));

    // The initial state alone: its view in words, since the Explorer shows it raw.
    let initial = Path::from_actions(&model, states[0].clone(), &[]).expect("a path");
    let svg = model.as_svg(initial).expect("an SVG");
    assert!(svg.contains("no plan applied yet"), "{svg}");
}
