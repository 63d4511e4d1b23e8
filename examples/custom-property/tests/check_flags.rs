//! The `custom-property` binary is `dnsrace check` with two added properties: it takes
//! `check`'s flags, and refuses bad ones the same way.

use std::process::{Command, Output};

fn custom_property(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custom-property"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// One Enactor is enough for a dangling rollback record (see the unit tests): the
// scenario, a model flag and `--property` all reach the check.
#[test]
fn a_scenario_a_model_flag_and_property_select_the_check() {
    let output = custom_property(&[
        "smallest-race",
        "--enactors",
        "1",
        "--property",
        "rollback record never dangles",
    ]);
    assert_eq!(output.status.code(), Some(12), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.contains("Checking scenario \"smallest-race\": 1 Enactor")
            && text.contains("Error: Invariant \"rollback record never dangles\" is violated.")
            && !text.contains("endpoint record never empty"),
        "{text}"
    );
}

#[test]
fn by_default_the_models_properties_and_the_added_ones_are_checked_and_the_added_are_undeclared() {
    let output = custom_property(&["smallest-race", "--json"]);
    assert_eq!(output.status.code(), Some(12), "{output:?}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let names: Vec<&str> = document["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .map(|p| p["name"].as_str().expect("name"))
        .collect();
    assert!(names.contains(&"endpoint record never empty"), "{names:?}");
    assert_eq!(
        names[names.len() - 2..],
        [
            "rollback record never dangles",
            "some rollback record is written"
        ]
    );
    // Undeclared is not a mismatch: the scenario's own verdicts still agree.
    assert_eq!(document["matches_scenario_expectations"], true);
}

#[test]
fn a_bound_is_inconclusive() {
    let output = custom_property(&[
        "--property",
        "rollback record never dangles",
        "--enactors",
        "2",
        "--cleanup-threshold",
        "7",
        "--max-states",
        "100",
    ]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert!(stdout(&output).contains("inconclusive"));
}

#[test]
fn bad_flags_are_refused_before_any_work() {
    for args in [
        &["--enactors", "9"][..],
        &["--property", "no such property"],
        &["no-such-scenario"],
        &["--timeout", "soon"],
        &["--model", "dwfm-leases"],
    ] {
        let output = custom_property(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty(), "{args:?}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with("error:") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
    let unknown = custom_property(&["--property", "no such property"]);
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("\"some rollback record is written\""),
        "the message lists the added properties too: {unknown:?}"
    );
}

#[test]
fn the_docs_quote_this_main() {
    let doc = include_str!("../../../docs/adding-a-property.md");
    let main = include_str!("../src/main.rs");
    let quoted = "fn main() -> ExitCode {\n    dnsrace_cli::check_main_with_properties(&dynamodb_dns::DynamoDbDns, custom_properties())\n}\n";
    assert!(doc.contains(quoted) && main.contains(quoted));
}
