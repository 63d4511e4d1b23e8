//! `dnsrace --model dwfm-leases`: the DWFM lease model through the shared command line.
//! `list` shows it, `check` gives the collapse's verdicts and exit codes, `matrix` agrees
//! with its variants.toml, `sweep` finds the smallest fleet that collapses, the exports
//! work, and bad input gets the short error.

mod common;

use std::path::PathBuf;

use common::{assert_rejected, dnsrace, verdict_table, Run};

/// `dnsrace ARGS --model dwfm-leases`.
fn dwfm(args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["--model", "dwfm-leases"]);
    dnsrace(&all)
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        TempFile(
            std::env::temp_dir().join(format!("dnsrace-dwfm-leases-{}-{name}", std::process::id())),
        )
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

#[test]
fn list_shows_the_model_its_scenarios_and_its_flags() {
    let run = dnsrace(&["list"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains(
            "\n  dwfm-leases         EC2's DropletWorkflow Manager after DynamoDB came back"
        ),
        "{run}"
    );
    let run = dwfm(&["list"]);
    run.assert_code(0);
    for text in [
        "Scenarios of dwfm-leases",
        "  collapse        12 droplets, 1 slot, 2 ticks of work per lease",
        "  incident        40 droplets, 2 slots",
        "  every droplet is leased again                  leads-to",
        "--lease-timeout N",
        "--operator / --no-operator",
        "newest-first",
    ] {
        assert!(run.stdout.contains(text), "`{text}` missing\n{run}");
    }
}

#[test]
fn check_finds_work_on_timed_out_attempts_and_agrees_with_the_default_scenario() {
    let run = dwfm(&["check"]);
    run.assert_code(12);
    assert!(
        run.stdout.starts_with(
            "Checking scenario \"collapse\": 12 droplets, 1 slot, 2 ticks of work per lease, \
             lease time-out 4 ticks, queue limit 1, no operator, variant as-built.\n\
             Error: Invariant \"no work on a timed-out attempt\" is violated.\n"
        ),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("\nEvery verdict is the one scenario \"collapse\" expects.\n"),
        "{run}"
    );
    // Liveness is checked only when asked.
    assert!(
        !run.stdout.contains("every droplet is leased again"),
        "{run}"
    );
}

#[test]
fn check_with_liveness_shows_the_collapse_as_a_lasso() {
    let run = dwfm(&["check", "--liveness"]);
    run.assert_code(12); // the safety violation takes precedence over liveness (13)
    for text in [
        "Error: Temporal property \"every droplet is leased again\" is violated.",
        "State 22: <One tick passes>  (the cycle starts here)",
        "State 25: Back to state 22: <One tick passes>",
        "Error: Temporal property \"always recoverable\" is violated.",
        "5 of 12 leases have timed out while DynamoDB is unreachable",
    ] {
        assert!(run.stdout.contains(text), "`{text}` missing\n{run}");
    }
    let table = verdict_table(&run.stdout);
    let verdict = |name: &str| {
        table
            .iter()
            .find(|row| row.name == name)
            .unwrap_or_else(|| panic!("no row {name}\n{run}"))
            .verdict
            .clone()
    };
    assert_eq!(
        verdict("every droplet is leased again"),
        "VIOLATED (lasso of 24 states, cycle from state 22)"
    );
    assert_eq!(
        verdict("always recoverable"),
        "VIOLATED (trace of 7 states)"
    );
    assert!(
        run.stdout
            .contains("\nEvery verdict is the one scenario \"collapse\" expects.\n"),
        "{run}"
    );

    let only = dwfm(&["check", "--property", "every droplet is leased again"]);
    only.assert_code(13);
}

#[test]
fn every_scenario_checks_with_the_verdicts_it_declares() {
    for (scenario, code) in [
        ("collapse", 12),
        ("incident", 12),
        ("small-fleet", 12),
        ("operators", 12),
        ("queue-throttle", 0),
    ] {
        let run = dwfm(&["check", scenario, "--liveness"]);
        run.assert_code(code);
        assert!(
            run.stdout.contains(&format!(
                "\nEvery verdict is the one scenario \"{scenario}\" expects.\n"
            )),
            "{run}"
        );
        assert!(run.stdout.contains("\nExhaustive: "), "{run}");
    }
}

#[test]
fn matrix_agrees_with_variants_toml_with_and_without_liveness_and_an_operator() {
    for flags in [
        vec!["matrix"],
        vec!["matrix", "--liveness"],
        vec!["matrix", "--liveness", "--operator"],
        vec!["matrix", "incident", "--liveness"],
        vec!["matrix", "incident", "--liveness", "--no-operator"],
    ] {
        let run = dwfm(&flags);
        run.assert_code(0);
        assert!(
            run.stdout
                .contains("\nEvery cell is the verdict variants.toml declares.\n"),
            "{run}"
        );
    }
}

/// With 4 droplets DWFM recovers even as built: the declared collapse is not found, and
/// matrix says so.
#[test]
fn matrix_at_a_small_fleet_differs_from_the_declared_collapse_and_exits_5() {
    let run = dwfm(&["matrix", "--liveness", "--droplets", "4"]);
    run.assert_code(5);
    for line in [
        "as-built / every droplet is leased again: expected violated, got holds",
        "as-built / always recoverable: expected violated, got holds",
        "back-off / every droplet is leased again: expected violated, got holds",
    ] {
        assert!(run.stdout.contains(line), "`{line}` missing\n{run}");
    }
}

/// The row of `sweep`'s table for `variant` and `property`: its cells after the names.
fn sweep_row(run: &Run, variant: &str, property: &str) -> Vec<String> {
    let line = run
        .stdout
        .lines()
        .find(|line| {
            line.starts_with(&format!("{variant} "))
                && line[variant.len()..].trim_start().starts_with(property)
        })
        .unwrap_or_else(|| panic!("no row {variant} / {property}\n{run}"));
    line[variant.len()..].trim_start()[property.len()..]
        .split_whitespace()
        .map(String::from)
        .collect()
}

#[test]
fn sweep_finds_the_smallest_fleet_that_collapses_for_each_variant() {
    let run = dwfm(&["sweep", "--liveness"]);
    run.assert_code(0);
    // droplets, trace, then the fewest droplets for lease time-outs 2 to 8.
    assert_eq!(
        sweep_row(&run, "as-built", "every droplet is leased again"),
        ["5", "24", "3", "3", "5", "5", "7", "7", "9"],
        "{run}"
    );
    assert_eq!(
        sweep_row(&run, "back-off", "every droplet is leased again")[0],
        "7"
    );
    assert_eq!(
        sweep_row(&run, "longer-timeout", "every droplet is leased again")[0],
        "9"
    );
    assert!(
        run.stdout
            .contains("\nNothing violated at this scale: queue-throttle.\n"),
        "{run}"
    );
    assert!(
        run.stdout.contains(
            "\nMonotonicity spot check: one more droplet than each smallest configuration \
             still shows the violation.\n"
        ),
        "{run}"
    );
    assert!(
        !run.stdout.contains("newest-first    every droplet"),
        "newest-first never collapses\n{run}"
    );

    let incident = dwfm(&["sweep", "incident", "--no-operator", "--liveness"]);
    incident.assert_code(0);
    for (variant, droplets) in [
        ("as-built", "10"),
        ("back-off", "14"),
        ("longer-timeout", "18"),
    ] {
        assert_eq!(
            sweep_row(&incident, variant, "every droplet is leased again")[0],
            droplets,
            "{variant}\n{incident}"
        );
    }

    // Without --liveness, the safety property alone.
    let safety = dwfm(&["sweep"]);
    safety.assert_code(0);
    assert_eq!(
        sweep_row(&safety, "as-built", "no work on a timed-out attempt")[0],
        "3"
    );
}

#[test]
fn the_exports_and_the_explorer_work_on_the_model() {
    let itf = TempFile::new("lasso.itf.json");
    let run = dwfm(&[
        "check",
        "--property",
        "every droplet is leased again",
        "--trace-out",
        itf.path(),
    ]);
    run.assert_code(13);
    let json: serde_json::Value = serde_json::from_str(&itf.read()).expect("ITF is JSON");
    assert_eq!(json["loop"], 21, "the ITF lasso loops back to state 22");
    assert_eq!(json["states"].as_array().map(Vec::len), Some(24));
    assert_eq!(json["states"][0]["droplets"]["leased"]["#bigint"], "12");

    let mermaid = TempFile::new("lasso.mmd");
    dwfm(&[
        "check",
        "--property",
        "every droplet is leased again",
        "--trace-out",
        mermaid.path(),
    ])
    .assert_code(13);
    let diagram = mermaid.read();
    assert!(diagram.contains("\n    participant DWFM\n"), "{diagram}");
    assert!(
        diagram.contains("DynamoDB->>DWFM: 8. reachable again"),
        "{diagram}"
    );

    let run = dwfm(&["check", "--json", "--liveness"]);
    run.assert_code(12);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["model"], "dwfm-leases");
    assert_eq!(json["config"]["lease_timeout"], 4);
    assert_eq!(json["matches_scenario_expectations"], true);

    let run = dwfm(&["check", "--deadlock"]);
    run.assert_code(12);
    assert!(
        run.stdout.contains("no deadlock") && !run.stdout.contains("Deadlock reached"),
        "a state without a next step is a fleet with every droplet leased\n{run}"
    );

    dwfm(&["explore", "--dry-run"]).assert_code(0);
}

#[test]
fn bad_input_gets_the_short_error() {
    assert_rejected(
        &["check", "--model", "dwfm-leases", "--droplets", "0"],
        &["--droplets", "1 to 100"],
    );
    assert_rejected(
        &["check", "--model", "dwfm-leases", "--variant", "as-bilt"],
        &["--variant", "`as-bilt`", "queue-throttle", "newest-first"],
    );
    assert_rejected(
        &["matrix", "--model", "dwfm-leases", "--lease-timeout", "17"],
        &["--lease-timeout", "1 to 16"],
    );
    assert_rejected(
        &["check", "--model", "dwfm-leases", "--property", "no such"],
        &["no such", "every droplet is leased again"],
    );
    assert_rejected(
        &["sweep", "--model", "dwfm-leases", "no-such-scenario"],
        &["no-such-scenario", "collapse", "incident"],
    );
    let file = TempFile::new("bad.toml");
    std::fs::write(
        &file.0,
        "description = \"x\"\n\n[model]\nslots = 9\n\n[expect]\n",
    )
    .expect("writes");
    assert_rejected(
        &["check", "--model", "dwfm-leases", file.path()],
        &["model.slots", "9", "1 to 4"],
    );
}

/// The rows of the Markdown table quoted after `$ dnsrace COMMAND` in
/// docs/dwfm-leases.md: the header's property names, then each row's cells.
fn doc_table(command: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = common::workspace_root().join("docs/dwfm-leases.md");
    let doc = std::fs::read_to_string(&path).expect("docs/dwfm-leases.md");
    let start = format!("$ dnsrace {command}");
    let mut lines = doc
        .lines()
        .skip_while(|line| *line != start)
        .skip(1)
        .take_while(|line| !line.starts_with("```"))
        .skip_while(|line| !line.starts_with("| variant |"));
    let split = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_string())
            .collect()
    };
    let header = split(
        lines
            .next()
            .unwrap_or_else(|| panic!("no table after `{start}`")),
    );
    let rows = lines
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .map(split)
        .collect();
    (header, rows)
}

/// The verdict tables of docs/dwfm-leases.md are variants.toml's, cell by cell (the docs
/// output test also holds them to what `matrix` prints).
#[test]
fn the_docs_verdict_tables_are_the_declared_verdicts() {
    use dnsrace_core::{DeclaredVerdicts, ModelDefinition};
    let declared = DeclaredVerdicts::of(&dwfm_leases::DwfmLeases).expect("variants.toml parses");
    for (command, context) in [
        (
            "matrix --model dwfm-leases --liveness --markdown",
            "default",
        ),
        (
            "matrix --model dwfm-leases --liveness --operator --markdown",
            "operator",
        ),
    ] {
        let (header, rows) = doc_table(command);
        assert_eq!(
            header.len(),
            10,
            "variant, 8 properties, states: {header:?}"
        );
        let variants: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
        let all: Vec<&str> = dwfm_leases::Variant::ALL.iter().map(|v| v.name()).collect();
        assert_eq!(variants, all, "{command}");
        for row in &rows {
            for (cell, property) in row[1..9].iter().zip(&header[1..9]) {
                let word = match cell.as_str() {
                    "holds" | "reached" => cell.clone(),
                    _ if cell.starts_with("VIOLATED (") => "violated".to_string(),
                    other => panic!("not a verdict: `{other}`"),
                };
                let expected = declared
                    .verdict(context, &row[0], property)
                    .unwrap_or_else(|| panic!("[{context}.{}] {property}", row[0]));
                assert_eq!(
                    word,
                    expected.to_string(),
                    "[{context}.{}] {property}",
                    row[0]
                );
            }
        }
        // The doc's context is the one the command's configuration picks.
        let mut config = dwfm_leases::DwfmLeases.default_config();
        config.operator = context == "operator";
        assert_eq!(
            dwfm_leases::DwfmLeases.expectation_context(&config),
            context
        );
    }
}
