//! `dnsrace check --coverage`: TLC's per-action coverage, in text and in JSON.

mod common;

use common::{assert_rejected, dnsrace};
use serde_json::Value;

/// The JSON report of `dnsrace ARGS --json --coverage`.
fn coverage_json(args: &[&str]) -> Value {
    let mut args: Vec<&str> = args.to_vec();
    args.extend(["--json", "--coverage"]);
    let run = dnsrace(&args);
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("not JSON: {error}\n{run}"))
}

/// `(kind, fired, distinct)` of every kind, in the report's order.
fn rows(document: &Value) -> Vec<(String, u64, u64)> {
    document["coverage"]["actions"]
        .as_array()
        .unwrap_or_else(|| panic!("no coverage.actions: {document:#}"))
        .iter()
        .map(|row| {
            (
                row["kind"].as_str().expect("kind").to_string(),
                row["fired"].as_u64().expect("fired"),
                row["distinct"].as_u64().expect("distinct"),
            )
        })
        .collect()
}

// The columns account for every state: the distinct states each kind found first, with the
// initial states, are the check's distinct states; the steps fired, with the initial states
// generated, are its states generated.
#[test]
fn coverage_adds_up_to_the_statistics_of_an_exhaustive_check() {
    let document = coverage_json(&["check", "smallest-race", "--liveness"]);
    assert_eq!(document["completeness"]["kind"], "exhaustive");
    let rows = rows(&document);
    let initial = document["coverage"]["initial_states"].as_u64().unwrap();
    let statistics = &document["statistics"];
    let distinct: u64 = rows.iter().map(|row| row.2).sum();
    let fired: u64 = rows.iter().map(|row| row.1).sum();
    assert_eq!(
        initial + distinct,
        statistics["distinct_states"].as_u64().unwrap()
    );
    // The DNS model has one initial state.
    assert_eq!(
        initial + fired,
        statistics["states_generated"].as_u64().unwrap()
    );
    // The race's steps are among the kinds that fire, and a kind never found first is not
    // one that never fired: a busy lock sends an Enactor back to a state already seen.
    let kind = |name: &str| {
        rows.iter()
            .find(|row| row.0 == name)
            .unwrap_or_else(|| panic!("no kind {name:?} in {rows:?}"))
    };
    assert!(kind("Route 53 deletes plans (clean-up)").2 > 0);
    let busy = kind("Enactor finds the lock busy and backs off");
    assert!(busy.1 > 0 && busy.2 == 0, "{busy:?}");
    // The lease variants' steps are declared, listed, and never fire as built.
    assert_eq!(kind("Enactor gets the lease").1, 0);
}

#[test]
fn coverage_is_the_same_with_any_thread_count() {
    let args = ["check", "smallest-race", "--liveness", "--threads"];
    let one = coverage_json(&[&args[..], &["1"]].concat());
    for threads in ["2", "3"] {
        let other = coverage_json(&[&args[..], &[threads]].concat());
        assert_eq!(one["coverage"], other["coverage"], "{threads} threads");
    }
}

// The model's declared order, a kind that never fired listed with zeros and marked in the
// text report.
#[test]
fn a_declared_kind_that_never_fires_is_listed_and_marked() {
    let document = coverage_json(&["check", "--model", "stale-config-write", "fixed"]);
    let kinds: Vec<(String, u64, u64)> = rows(&document);
    assert_eq!(
        kinds,
        [
            ("pipeline publishes a release".to_string(), 35, 30),
            ("deployer reads the newest release".to_string(), 58, 49),
            ("deployer re-reads the store".to_string(), 0, 0),
            ("deployer writes to the config store".to_string(), 128, 14),
        ]
    );
    let text = dnsrace(&[
        "check",
        "--model",
        "stale-config-write",
        "fixed",
        "--coverage",
    ]);
    text.assert_code(0);
    assert!(text.stdout.contains("Coverage of every reachable state:"));
    let reread = text
        .stdout
        .lines()
        .find(|line| line.contains("deployer re-reads the store"))
        .unwrap_or_else(|| panic!("no re-read row\n{text}"));
    assert!(reread.ends_with("never fired"), "{reread:?}");
}

#[test]
fn an_early_stop_says_coverage_is_of_the_levels_explored() {
    let run = dnsrace(&["check", "smallest-race", "--coverage"]);
    run.assert_code(12);
    assert!(
        run.stdout.contains("Stopped early")
            && run.stdout.contains("Coverage of the levels explored:"),
        "{run}"
    );
}

#[test]
fn without_the_flag_there_is_no_coverage() {
    let run = dnsrace(&["check", "smallest-race", "--json"]);
    let document: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(document.get("coverage").is_none(), "{document:#}");
    let run = dnsrace(&["check", "smallest-race"]);
    assert!(!run.stdout.contains("Coverage"), "{run}");
}

#[test]
fn coverage_does_not_go_with_resume() {
    assert_rejected(
        &["check", "--coverage", "--resume", "/nonexistent"],
        &["--coverage", "--resume"],
    );
}
