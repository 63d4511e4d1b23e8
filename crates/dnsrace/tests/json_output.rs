//! `dnsrace check --json` prints one JSON document that agrees with the text report of the same run.

mod common;

use common::{dnsrace, verdict_table, Run};
use serde_json::Value;

/// Runs `dnsrace ARGS` and parses its whole stdout as one JSON document.
fn json_run(args: &[&str]) -> (Run, Value) {
    let run = dnsrace(args);
    let document: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|error| panic!("stdout is not one JSON document: {error}\n{run}"));
    (run, document)
}

/// The text run with the same arguments, without `--json`.
fn text_run(args: &[&str]) -> Run {
    let args: Vec<&str> = args
        .iter()
        .copied()
        .filter(|arg| *arg != "--json")
        .collect();
    dnsrace(&args)
}

fn properties(document: &Value) -> &Vec<Value> {
    document["properties"]
        .as_array()
        .unwrap_or_else(|| panic!("`properties` is not an array: {document:#}"))
}

/// The numbers of the line `A states generated, B distinct states found, C states left on
/// queue.` and of `The depth of the … state graph search is D.`
fn text_statistics(stdout: &str) -> [u64; 4] {
    let counts = stdout
        .lines()
        .find(|line| line.contains(" states generated, "))
        .expect("a statistics line");
    let numbers: Vec<u64> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter(|word| !word.is_empty())
        .map(|word| word.parse().expect("a count"))
        .collect();
    let depth = stdout
        .lines()
        .find_map(|line| line.strip_prefix("The depth of the "))
        .and_then(|line| line.rsplit_once(" is "))
        .and_then(|(_, depth)| depth.strip_suffix('.'))
        .expect("a depth line")
        .parse()
        .expect("a depth");
    [numbers[0], numbers[1], numbers[2], depth]
}

#[test]
fn json_is_exactly_one_document_on_stdout_and_nothing_on_stderr() {
    let (run, document) = json_run(&["check", "--json", "smallest-race"]);
    assert!(document.is_object(), "{run}");
    assert!(
        run.stderr.is_empty(),
        "--json prints nothing but the document\n{run}"
    );
    // `from_str` already rejects trailing data; check the shape of the text too.
    assert!(run.stdout.trim_start().starts_with('{'), "{run}");
    assert!(run.stdout.trim_end().ends_with('}'), "{run}");
}

#[test]
fn json_verdicts_match_the_text_table() {
    let args = ["check", "--json", "smallest-race"];
    let (run, document) = json_run(&args);
    let text = text_run(&args);
    let table = verdict_table(&text.stdout);
    let json: Vec<(String, String, String)> = properties(&document)
        .iter()
        .map(|property| {
            (
                property["name"].as_str().expect("a name").to_string(),
                property["expectation"]
                    .as_str()
                    .expect("a kind")
                    .to_string(),
                property["verdict"].as_str().expect("a verdict").to_string(),
            )
        })
        .collect();
    let text: Vec<(String, String, String)> = table
        .iter()
        .map(|row| {
            (
                row.name.clone(),
                row.kind.clone(),
                row.verdict_word().to_string(),
            )
        })
        .collect();
    assert_eq!(json, text, "JSON and text disagree\n{run}");
    assert_eq!(json.len(), dynamodb_dns::PROPERTIES.len(), "{run}");
}

#[test]
fn json_exit_code_field_is_the_process_exit_code() {
    for args in [
        &["check", "--json", "smallest-race"][..],
        &["check", "--json", "single-enactor"],
        &["check", "--json", "single-enactor", "--max-states", "50"],
    ] {
        let (run, document) = json_run(args);
        assert_eq!(
            document["exit_code"].as_i64(),
            Some(i64::from(run.code)),
            "{run}"
        );
    }
}

#[test]
fn json_exit_codes_are_12_0_and_3() {
    let (run, _) = json_run(&["check", "--json", "smallest-race"]);
    run.assert_code(12);
    let (run, _) = json_run(&["check", "--json", "single-enactor"]);
    run.assert_code(0);
    let (run, document) = json_run(&["check", "--json", "single-enactor", "--max-depth", "3"]);
    run.assert_code(3);
    assert_eq!(document["completeness"]["kind"], "bounded", "{run}");
    for property in properties(&document) {
        assert_eq!(property["verdict"], "inconclusive", "{run}");
    }
}

#[test]
fn json_statistics_match_the_text_statistics() {
    let args = ["check", "--json", "smallest-race"];
    let (run, document) = json_run(&args);
    let text = text_run(&args);
    let statistics = &document["statistics"];
    let json = [
        "states_generated",
        "distinct_states",
        "states_left_on_queue",
        "depth",
    ]
    .map(|field| {
        statistics[field]
            .as_u64()
            .unwrap_or_else(|| panic!("statistics.{field} is not a count\n{run}"))
    });
    assert_eq!(json, text_statistics(&text.stdout), "{run}\n{text}");
    assert!(json[1] > 0, "{run}");
    assert!(statistics["elapsed"].as_f64().is_some(), "{run}");
    assert!(
        statistics["threads"].as_u64().is_some_and(|n| n >= 1),
        "{run}"
    );
}

#[test]
fn json_traces_are_as_long_as_the_text_says() {
    let args = ["check", "--json", "smallest-race"];
    let (run, document) = json_run(&args);
    let text = text_run(&args);
    let table = verdict_table(&text.stdout);
    for (property, row) in properties(&document).iter().zip(&table) {
        assert_eq!(property["name"].as_str(), Some(row.name.as_str()));
        let states = property["trace"]["states"].as_array().map(Vec::len);
        assert_eq!(
            states,
            row.trace_states(),
            "`{}`: the JSON trace and the table disagree\n{run}",
            row.name
        );
        if let Some(states) = property["trace"]["states"].as_array() {
            assert_eq!(states[0]["action"], "Initial state", "{run}");
            for state in states {
                assert!(state["variables"].is_object(), "{run}");
                assert!(state["action"].is_string(), "{run}");
            }
        }
    }
}

#[test]
fn json_describes_the_scenario_and_its_model() {
    let (run, document) = json_run(&["check", "--json", "smallest-race"]);
    assert_eq!(document["scenario"], "smallest-race", "{run}");
    assert_eq!(document["model"], "dynamodb-dns", "{run}");
    let config = &document["config"];
    assert_eq!(config["enactors"], 2, "{run}");
    assert_eq!(config["endpoints"], 1, "{run}");
    assert_eq!(config["generations"], 4, "{run}");
    assert_eq!(config["cleanup_threshold"], 2, "{run}");
    assert_eq!(config["operator_repair"], false, "{run}");
    assert_eq!(config["variant"], "as-built", "{run}");
    assert_eq!(document["matches_scenario_expectations"], true, "{run}");
}

#[test]
fn json_with_overridden_model_says_nothing_about_scenario_expectations() {
    let (run, document) = json_run(&["check", "--json", "smallest-race", "--enactors", "1"]);
    run.assert_code(0);
    assert_eq!(document["config"]["enactors"], 1, "{run}");
    assert!(
        document.get("matches_scenario_expectations").is_none(),
        "{run}"
    );
}
