//! The outage scenario's counterexample, pinned step by step. `docs/incident.md` cites
//! these state numbers when it walks through the race.

use dnsrace_checker::{check, CheckOptions, Verdict};
use dnsrace_core::Presentation;
use dynamodb_dns::DnsConfig;

const EMPTIED_ENDPOINT_TRACE: &[&str] = &[
    "Initial state",
    "Plan store receives generation 1 from the Planner",
    "Planner produces generation 2",
    "Plan store hands generation 1 to Enactor 1",
    "Plan store receives generation 2 from the Planner",
    "Planner produces generation 3",
    "Plan store receives generation 3 from the Planner",
    "Planner produces generation 4",
    "Plan store receives generation 4 from the Planner",
    "Enactor 1 picks up generation 1 and asks Route 53 what regional serves",
    "Route 53 tells Enactor 1 that regional serves no plan yet",
    "Enactor 1 checks once that generation 1 is newer than what regional serves (nothing yet), and starts applying it",
    "Plan store hands generation 4 to Enactor 2",
    "Enactor 2 picks up generation 4 and asks Route 53 what regional serves",
    "Route 53 tells Enactor 2 that regional serves no plan yet",
    "Enactor 2 checks once that generation 4 is newer than what regional serves (nothing yet), and starts applying it",
    "Route 53 gives Enactor 2 the lock on regional",
    "Enactor 2 sends its change batch for regional",
    "Enactor 2 applies generation 4 to endpoint regional",
    "Enactor 2 is done with regional and moves on to fips",
    "Route 53 gives Enactor 1 the lock on regional",
    "Enactor 1 sends its change batch for regional",
    "Enactor 1 applies generation 1 to endpoint regional, overwriting newer generation 4",
    "Route 53 gives Enactor 2 the lock on fips",
    "Enactor 2 sends its change batch for fips",
    "Enactor 2 applies generation 4 to endpoint fips",
    "Enactor 2 has applied generation 4 to every endpoint and starts the clean-up",
    "Clean-up of Enactor 2 deletes generation 1: endpoint regional now resolves to no address",
];

#[test]
fn the_outage_trace_is_the_race_of_the_post_mortem() {
    let model = DnsConfig::default().into_model();
    let report = check(
        &model,
        &model.described_properties(),
        &CheckOptions::default(),
    );
    let emptied = &report.properties[0];
    assert_eq!(emptied.name, "endpoint record never empty");
    assert_eq!(emptied.verdict, Verdict::Violated);
    let actions: Vec<&str> = emptied
        .trace
        .as_ref()
        .unwrap()
        .states
        .iter()
        .map(|state| state.action.as_str())
        .collect();
    assert_eq!(actions, EMPTIED_ENDPOINT_TRACE);

    // "Active plan never deleted" is violated by the same step, "no older plan overwrites
    // newer" at state 18, before any clean-up.
    let deleted = &report.properties[2];
    assert_eq!(
        deleted.trace.as_ref().unwrap().len(),
        EMPTIED_ENDPOINT_TRACE.len()
    );
    let overwritten = report.properties[1].trace.as_ref().unwrap();
    assert_eq!(overwritten.len(), 18);
    assert_eq!(
        overwritten.states[17].action,
        "Enactor 1 applies generation 1 to endpoint regional, overwriting newer generation 2"
    );
}
