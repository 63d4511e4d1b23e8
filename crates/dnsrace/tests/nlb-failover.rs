//! The nlb-failover model through the `dnsrace` binary: it is listed, `check` gives the
//! flapping scenario's verdicts and exit code, `matrix` agrees with variants.toml,
//! `sweep` finds the smallest configurations, the exports work, and bad input gets the
//! command line's short error.

mod common;

use common::{assert_rejected, dnsrace, Run};

const MODEL: [&str; 2] = ["--model", "nlb-failover"];

/// `dnsrace COMMAND --model nlb-failover ARGS`, which must exit with `code`.
fn nlb(command: &str, args: &[&str], code: i32) -> Run {
    let mut all = vec![command];
    all.extend(MODEL);
    all.extend(args);
    let run = dnsrace(&all);
    run.assert_code(code);
    assert!(!run.stderr.contains("panicked"), "{run}");
    run
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        TempFile(std::env::temp_dir().join(format!(
            "dnsrace-nlb-failover-{}-{name}",
            std::process::id()
        )))
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temporary path is UTF-8")
    }

    fn read(&self) -> String {
        std::fs::read_to_string(&self.0)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", self.0.display()))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ---------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------

#[test]
fn list_shows_the_model_its_scenarios_properties_and_flags() {
    let run = dnsrace(&["list"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("nlb-failover") && run.stdout.contains("Network Manager"),
        "{run}"
    );
    let run = nlb("list", &[], 0);
    for expected in [
        "flapping",
        "incident",
        "operators-step-in",
        "healthy capacity stays in service",
        "no traffic to a target without network state",
        "healthy targets end up in service",
        "--azs N",
        "--velocity-limit N",
        "--operator / --no-operator",
        "velocity-control",
        "gated-health-checks",
        "failover-disabled",
    ] {
        assert!(run.stdout.contains(expected), "`{expected}` missing\n{run}");
    }
}

// ---------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------

#[test]
fn check_finds_the_lost_capacity_and_agrees_with_the_scenario() {
    let run = nlb("check", &[], 12);
    assert!(
        run.stdout.starts_with(
            "Checking scenario \"flapping\": 2 AZs, 2 targets per AZ, 1 new target, degraded \
             at 1 failed, healthy share 50%, velocity limit 1, operator off, variant as-built.\n\
             Error: Invariant \"healthy capacity stays in service\" is violated.\n"
        ),
        "{run}"
    );
    assert!(
        run.stdout.contains(
            "State 5: <Health check of AZ a's NLB node times out (the health checker is \
             degraded, load 1): NLB fails AZ a over in DNS, removing a1, a2>"
        ),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("\nEvery verdict is the one scenario \"flapping\" expects.\n"),
        "{run}"
    );
}

#[test]
fn check_with_liveness_shows_the_loop_and_exits_12() {
    let run = nlb("check", &["--liveness"], 12);
    assert!(
        run.stdout.contains(
            "Error: Temporal property \"healthy targets end up in service\" is violated."
        ),
        "{run}"
    );
    assert!(
        run.stdout.contains("(the cycle starts here)"),
        "a lasso\n{run}"
    );
    assert!(
        run.stdout
            .contains("\nEvery verdict is the one scenario \"flapping\" expects.\n"),
        "{run}"
    );
}

#[test]
fn the_operators_step_in_and_only_liveness_they_need_is_left() {
    let run = nlb(
        "check",
        &[
            "operators-step-in",
            "--property",
            "healthy targets end up in service",
        ],
        0,
    );
    assert!(run.stdout.contains("holds"), "{run}");
    // Without the operators the same property is violated, and a liveness violation
    // alone exits 13.
    let run = nlb(
        "check",
        &["--property", "healthy targets end up in service"],
        13,
    );
    assert!(run.stdout.contains("VIOLATED (lasso"), "{run}");
}

#[test]
fn check_of_one_property_of_each_variant_gives_its_exit_code() {
    for (variant, property, code) in [
        ("as-built", "healthy capacity stays in service", 12),
        ("velocity-control", "healthy capacity stays in service", 0),
        ("failover-disabled", "healthy capacity stays in service", 0),
        (
            "failover-disabled",
            "a failed check takes the target out of DNS",
            12,
        ),
        (
            "gated-health-checks",
            "no traffic to a target without network state",
            0,
        ),
        ("gated-health-checks", "a target flaps", 12),
    ] {
        let run = nlb(
            "check",
            &["--variant", variant, "--property", property],
            code,
        );
        let verdict = match (code, property) {
            (0, "a target flaps") => "reached",
            (0, _) => "holds",
            (_, "a target flaps") => "NOT REACHED",
            _ => "VIOLATED",
        };
        let row = run
            .stdout
            .lines()
            .find(|line| line.starts_with(property))
            .unwrap_or_else(|| panic!("no row for {property}\n{run}"));
        assert!(row.contains(verdict), "{variant}: `{row}`\n{run}");
    }
}

#[test]
fn check_deadlock_finds_no_state_that_just_stops() {
    let run = nlb(
        "check",
        &[
            "incident",
            "--deadlock",
            "--property",
            "all capacity in service",
        ],
        0,
    );
    assert!(run.stdout.contains("no deadlock"), "{run}");
}

#[test]
fn json_names_the_model_and_its_configuration() {
    let run = nlb("check", &["--json"], 12);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["model"], "nlb-failover");
    assert_eq!(json["scenario"], "flapping");
    assert_eq!(json["config"]["azs"], 2);
    assert_eq!(json["config"]["variant"], "as-built");
    assert_eq!(json["matches_scenario_expectations"], true);
    assert_eq!(json["exit_code"], 12);
}

// ---------------------------------------------------------------------------------------
// matrix and sweep
// ---------------------------------------------------------------------------------------

#[test]
fn matrix_agrees_with_variants_toml_with_and_without_liveness() {
    for args in [&[][..], &["--liveness"][..], &["incident"][..]] {
        let run = nlb("matrix", args, 0);
        assert!(
            run.stdout
                .contains("\nEvery cell is the verdict variants.toml declares.\n"),
            "{run}"
        );
    }
}

#[test]
fn matrix_of_a_context_with_no_table_lists_every_cell_as_undeclared() {
    // Five new targets outnumber the four established ones: no table.
    let run = nlb("matrix", &["--new-targets", "5"], 0);
    assert!(
        run.stdout.contains(
            "\n28 cells are undeclared (variants.toml has no verdict for them; --strict counts \
             them as differences):\n"
        ),
        "{run}"
    );
    nlb("matrix", &["--new-targets", "5", "--strict"], 5);
}

#[test]
fn sweep_finds_the_smallest_configuration_of_each_violation() {
    let run = nlb("sweep", &[], 0);
    for line in [
        "as-built           healthy capacity stays in service               2               1            1      5",
        "as-built           no traffic to a target without network state    2               1            1      2",
        "failover-disabled  a failed check takes the target out of DNS      2               1            1      3",
        "Nothing violated at this scale: gated-health-checks.",
    ] {
        assert!(run.stdout.contains(line), "`{line}` missing\n{run}");
    }
}

// ---------------------------------------------------------------------------------------
// explore and the exports
// ---------------------------------------------------------------------------------------

#[test]
fn explore_dry_run_names_the_scenario() {
    let run = nlb("explore", &["--dry-run"], 0);
    assert!(
        run.stdout
            .starts_with("Would serve the explorer of scenario \"flapping\""),
        "{run}"
    );
}

#[test]
fn trace_out_writes_the_counterexample_in_every_format() {
    let text = TempFile::new("trace.txt");
    let run = nlb("check", &["--trace-out", text.path()], 12);
    assert!(run.stdout.contains("Error: Invariant"), "{run}");
    let written = text.read();
    assert!(
        written.contains("State 3: <Health check of a3 fails (its network state is not in place): NLB takes a3 out of DNS>"),
        "{written}"
    );

    let itf = TempFile::new("trace.itf.json");
    nlb("check", &["--trace-out", itf.path()], 12);
    let json: serde_json::Value = serde_json::from_str(&itf.read()).expect("ITF is JSON");
    assert_eq!(json["states"].as_array().map(Vec::len), Some(5));
    assert!(json["#meta"].is_object(), "{json}");

    let mermaid = TempFile::new("trace.mmd");
    nlb(
        "check",
        &[
            "--trace-out",
            mermaid.path(),
            "--property",
            "recoverable without operators",
        ],
        13,
    );
    let diagram = mermaid.read();
    assert!(diagram.starts_with("sequenceDiagram"), "{diagram}");
    assert!(diagram.contains("fails AZ a over"), "{diagram}");

    let run = nlb("check", &["--trace-format", "json"], 12);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON trace");
    assert!(json.to_string().contains("NLB fails AZ a over"), "{json}");
}

// ---------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------

#[test]
fn bad_input_gets_the_short_error() {
    assert_rejected(
        &["check", "--model", "nlb-failover", "--azs", "9"],
        &["--azs", "2 to 3"],
    );
    assert_rejected(
        &["check", "--model", "nlb-failover", "--azs", "1"],
        &["--azs", "2 to 3"],
    );
    assert_rejected(
        &["check", "--model", "nlb-failover", "--healthy-share", "0"],
        &["--healthy-share", "1 to 100"],
    );
    assert_rejected(
        &["matrix", "--model", "nlb-failover", "--variant", "velocity"],
        &[
            "--variant",
            "as-built",
            "velocity-control",
            "failover-disabled",
        ],
    );
    assert_rejected(
        &["check", "--model", "nlb-failover", "no-such-scenario"],
        &["no-such-scenario", "flapping"],
    );
    assert_rejected(
        &[
            "check",
            "--model",
            "nlb-failover",
            "--property",
            "no such property",
        ],
        &["no such property", "healthy capacity stays in service"],
    );
    // Another model's flag is not one of this model's.
    assert_rejected(
        &["check", "--model", "nlb-failover", "--enactors", "2"],
        &["--enactors"],
    );
    assert_rejected(&["check", "--model", "nlb-failovr"], &["nlb-failover"]);
}

#[test]
fn a_bad_scenario_file_names_the_field_and_the_range() {
    let file = TempFile::new("bad.toml");
    std::fs::write(&file.0, "description = \"x\"\n\n[model]\nnew_targets = 7\n").expect("writable");
    assert_rejected(
        &["check", "--model", "nlb-failover", file.path()],
        &["new_targets", "7", "1 to 6"],
    );
    std::fs::write(
        &file.0,
        "description = \"x\"\n\n[model]\nvariant = \"gated\"\n",
    )
    .expect("writable");
    assert_rejected(
        &["check", "--model", "nlb-failover", file.path()],
        &["variant", "gated-health-checks"],
    );
}

// ---------------------------------------------------------------------------------------
// docs/nlb-failover.md
// ---------------------------------------------------------------------------------------

/// The default-scale table in the docs, read cell by cell, is what variants.toml
/// declares (`tests/docs_output.rs` also holds it to what `matrix` prints now).
#[test]
fn the_verdict_table_in_the_docs_is_variants_toml() {
    use dnsrace_core::{DeclaredVerdicts, ModelDefinition};
    use nlb_failover::NlbFailover;

    let path = common::workspace_root().join("docs/nlb-failover.md");
    let doc = std::fs::read_to_string(&path).expect("docs/nlb-failover.md");
    let mut lines = doc
        .lines()
        .skip_while(|line| *line != "$ dnsrace matrix --model nlb-failover --liveness --markdown")
        .skip_while(|line| !line.starts_with("| variant |"));
    let split = |line: &str| -> Vec<String> {
        line.trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_string())
            .collect()
    };
    let header = split(lines.next().expect("the table's header"));
    lines.next().expect("the header rule");
    let rows: Vec<Vec<String>> = lines
        .take_while(|line| line.starts_with('|'))
        .map(split)
        .collect();
    let declared = DeclaredVerdicts::of(&NlbFailover).expect("variants.toml parses");
    let context = NlbFailover.expectation_context(&NlbFailover.default_config());
    assert_eq!(context, "default");
    let variants: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(
        variants,
        [
            "as-built",
            "velocity-control",
            "gated-health-checks",
            "failover-disabled"
        ]
    );
    let properties = &header[1..header.len() - 1];
    assert_eq!(properties.len(), 9, "{header:?}");
    for row in &rows {
        for (property, cell) in properties.iter().zip(&row[1..]) {
            let word = match cell.as_str() {
                "NOT REACHED" => "not reached".to_string(),
                cell if cell.starts_with("VIOLATED (") => "violated".to_string(),
                cell => cell.to_string(),
            };
            let expected = declared
                .verdict(&context, &row[0], property)
                .unwrap_or_else(|| panic!("nothing declared for {} / {property}", row[0]));
            assert_eq!(word, expected.to_string(), "{} / {property}", row[0]);
        }
    }
}
