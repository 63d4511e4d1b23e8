//! The verdicts `dnsrace check` prints and its exit code: 0 all hold, 12 violated, 3 inconclusive.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{
    agrees_with_scenario, all_properties, declared_verdict, dnsrace, safety_properties,
    sometimes_properties, verdict_table, Run, SCENARIOS,
};

/// Checks that a bounded run is inconclusive: exit 3, `inconclusive` in the table, and no
/// row saying `holds` (a bounded search can never prove a safety property).
fn assert_inconclusive(run: &Run) {
    run.assert_code(3);
    let table = verdict_table(&run.stdout);
    assert!(
        table.iter().any(|row| row.verdict == "inconclusive"),
        "no inconclusive verdict\n{run}"
    );
    for row in &table {
        assert_ne!(
            row.verdict, "holds",
            "a bounded run proved `{}`\n{run}",
            row.name
        );
        assert_ne!(
            row.verdict, "NOT REACHED",
            "a bounded run ruled out `{}`\n{run}",
            row.name
        );
    }
    assert!(
        run.stdout.contains("Bounded ("),
        "the run does not say it was bounded\n{run}"
    );
    assert!(
        !run.stdout
            .contains("Exhaustive: every reachable state was explored."),
        "a bounded run claims to be exhaustive\n{run}"
    );
}

#[test]
fn smallest_race_empties_the_endpoint_and_exits_12() {
    let run = dnsrace(&["check", "smallest-race"]);
    run.assert_code(12);
    assert!(
        run.stdout
            .contains("Error: Invariant \"endpoint record never empty\" is violated.\n"),
        "{run}"
    );
    assert!(
        run.stdout
            .starts_with("Checking scenario \"smallest-race\": 2 Enactors, 1 endpoint"),
        "{run}"
    );
    let table = verdict_table(&run.stdout);
    let row = table
        .iter()
        .find(|row| row.name == "endpoint record never empty")
        .expect("a row for the property");
    assert!(row.verdict.starts_with("VIOLATED (trace of "), "{run}");
    assert!(agrees_with_scenario(&run.stdout, "smallest-race"), "{run}");
    assert!(run.stderr.is_empty(), "{run}");
}

#[test]
fn single_enactor_safety_properties_hold_and_exit_0() {
    let mut args = vec!["check", "single-enactor"];
    for property in safety_properties() {
        args.extend(["--property", property]);
    }
    let run = dnsrace(&args);
    run.assert_code(0);
    let table = verdict_table(&run.stdout);
    let names: Vec<&str> = table.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names, safety_properties(), "{run}");
    for row in &table {
        assert_eq!(row.kind, "always", "{run}");
        assert_eq!(row.verdict, "holds", "{run}");
    }
    assert!(!run.stdout.contains("Error:"), "{run}");
    assert!(
        run.stdout
            .contains("Exhaustive: every reachable state was explored."),
        "{run}"
    );
}

#[test]
fn single_enactor_reaches_every_sometimes_property_and_exits_0() {
    let run = dnsrace(&["check", "single-enactor"]);
    run.assert_code(0);
    let table = verdict_table(&run.stdout);
    for row in &table {
        let expected = if safety_properties().contains(&row.name.as_str()) {
            "holds"
        } else {
            "reached"
        };
        assert_eq!(row.verdict_word(), expected, "`{}`\n{run}", row.name);
    }
    assert_eq!(table.len(), all_properties().len(), "{run}");
}

#[test]
fn a_repeated_property_is_checked_once() {
    let run = dnsrace(&[
        "check",
        "single-enactor",
        "--property",
        "endpoint record never empty",
        "--property",
        "endpoint record never empty",
    ]);
    run.assert_code(0);
    assert_eq!(verdict_table(&run.stdout).len(), 1, "{run}");
}

#[test]
fn max_states_bound_is_inconclusive_and_exits_3() {
    assert_inconclusive(&dnsrace(&["check", "single-enactor", "--max-states", "50"]));
}

#[test]
fn max_depth_bound_is_inconclusive_and_exits_3() {
    assert_inconclusive(&dnsrace(&["check", "single-enactor", "--max-depth", "3"]));
}

#[test]
fn tiny_timeout_is_inconclusive_and_exits_3() {
    // One microsecond: far too short for the tens of levels of the search.
    assert_inconclusive(&dnsrace(&[
        "check",
        "single-enactor",
        "--timeout",
        "0.000001",
    ]));
}

#[test]
fn bounded_run_of_a_racy_scenario_does_not_claim_a_violation_it_did_not_find() {
    // Three steps are far too few for the race: nothing is violated yet.
    assert_inconclusive(&dnsrace(&["check", "smallest-race", "--max-depth", "3"]));
}

#[test]
fn bounds_the_search_never_hits_leave_it_exhaustive() {
    let run = dnsrace(&[
        "check",
        "single-enactor",
        "--max-depth",
        "100000",
        "--max-states",
        "100000000",
        "--timeout",
        "1h",
    ]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("Exhaustive: every reachable state was explored."),
        "{run}"
    );
}

#[test]
fn default_check_is_the_outage_and_finds_every_violation() {
    let run = dnsrace::<&str>(&["check"]);
    run.assert_code(12);
    assert!(
        run.stdout
            .starts_with("Checking scenario \"outage\": 3 Enactors, 2 endpoints"),
        "{run}"
    );
    let table = verdict_table(&run.stdout);
    // Every violation the scenario declares (a property added since may hold or not).
    let declared_violated = safety_properties()
        .into_iter()
        .filter(|p| declared_verdict("outage", p) == Some(dnsrace_core::Verdict::Violated));
    for property in declared_violated {
        let row = table
            .iter()
            .find(|row| row.name == property)
            .unwrap_or_else(|| panic!("no row for `{property}`\n{run}"));
        assert_eq!(row.kind, "always", "{run}");
        assert!(
            row.verdict.starts_with("VIOLATED (trace of "),
            "`{property}`: {}\n{run}",
            row.verdict
        );
        assert!(
            run.stdout
                .contains(&format!("Error: Invariant \"{property}\" is violated.\n")),
            "no counterexample for `{property}`\n{run}"
        );
    }
    for property in sometimes_properties() {
        let row = table
            .iter()
            .find(|row| row.name == property)
            .unwrap_or_else(|| panic!("no row for `{property}`\n{run}"));
        assert_eq!(row.kind, "sometimes", "{run}");
        assert!(
            row.verdict.starts_with("reached (in "),
            "`{property}`: {}\n{run}",
            row.verdict
        );
    }
    assert_eq!(table.len(), all_properties().len(), "{run}");
    assert!(agrees_with_scenario(&run.stdout, "outage"), "{run}");
}

#[test]
fn list_exits_0_and_names_every_scenario_and_property() {
    let run = dnsrace(&["list"]);
    run.assert_code(0);
    for name in SCENARIOS
        .iter()
        .chain(&safety_properties())
        .chain(&sometimes_properties())
        .chain(&["as-built"])
    {
        assert!(run.stdout.contains(name), "`{name}` is not listed\n{run}");
    }
    assert!(run.stderr.is_empty(), "{run}");
}

#[test]
fn list_names_every_parameter_with_its_flag_and_every_choice_with_its_description() {
    let run = dnsrace(&["list"]);
    run.assert_code(0);
    let parameters = run
        .stdout
        .find("\nParameters of dynamodb-dns (")
        .unwrap_or_else(|| panic!("no parameters section\n{run}"));
    let section = &run.stdout[parameters..];
    // A listing line is its columns, separated by two spaces or more.
    let rows: Vec<Vec<&str>> = section
        .lines()
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|column| !column.is_empty())
                .collect()
        })
        .collect();
    for parameter in dynamodb_dns::PARAMETERS {
        let flag = parameter.flag();
        assert!(
            rows.iter()
                .any(|row| row.first().is_some_and(|c| c.starts_with(&flag))),
            "no line for `{flag}`\n{run}"
        );
        assert!(
            section.contains(parameter.help),
            "`{}`\n{run}",
            parameter.help
        );
        if let dnsrace_core::ParameterKind::Choice(choices) = parameter.kind {
            for choice in choices {
                let description = choice.description.trim_end_matches(" (default)");
                assert!(
                    rows.iter().any(|row| row.len() == 2
                        && row[0] == choice.name
                        && row[1].trim_end_matches(" (default)") == description),
                    "no line `{}  {description}`\n{run}",
                    choice.name
                );
            }
        }
    }
}

#[test]
fn bare_operator_repair_flag_before_the_scenario_does_not_swallow_it() {
    // `--operator-repair` is documented as a switch (`--operator-repair` or
    // `--operator-repair false`), so the next word is the scenario, not its value.
    let run = dnsrace(&[
        "check",
        "--operator-repair",
        "smallest-race",
        "--max-depth",
        "1",
    ]);
    run.assert_code(3);
    assert!(
        run.stdout
            .starts_with("Checking scenario \"smallest-race\""),
        "{run}"
    );
    assert!(run.stdout.contains("operator repair on"), "{run}");
}

#[test]
fn a_sometimes_property_never_reached_exits_12() {
    // With one generation there is never an older plan to clean up.
    let run = dnsrace(&[
        "check",
        "single-enactor",
        "--generations",
        "1",
        "--property",
        "clean-up deletes a plan",
    ]);
    run.assert_code(12);
    assert!(
        run.stdout.contains(
            "Error: \"clean-up deletes a plan\" is never reached (no reachable state satisfies it)."
        ),
        "{run}"
    );
    let table = verdict_table(&run.stdout);
    assert_eq!(table.len(), 1, "{run}");
    assert_eq!(table[0].verdict, "NOT REACHED", "{run}");
    assert!(
        run.stdout
            .contains("Scenario expectations not compared: flags changed the scenario's model."),
        "{run}"
    );
}

#[test]
fn closed_stdout_is_not_an_internal_error() {
    // `dnsrace check smallest-race | head -1`: the reader goes away before the report is
    // printed. That is not a bug in dnsrace: no panic, no `internal error`, no exit 1.
    for args in [
        &["check", "smallest-race"][..],
        &["check", "--json", "smallest-race"],
        &["list"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dnsrace"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dnsrace starts");
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr is piped")
            .read_to_string(&mut stderr)
            .expect("stderr is UTF-8");
        let status = child.wait().expect("dnsrace ends");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("internal error"),
            "`dnsrace {}` with a closed stdout crashed ({status}):\n{stderr}",
            args.join(" ")
        );
        assert_ne!(
            status.code(),
            Some(1),
            "`dnsrace {}`: a closed stdout is not an internal error:\n{stderr}",
            args.join(" ")
        );
    }
}

/// `--deadlock`: no reachable state of the DNS model is without a next step (every
/// Enactor loops back to pick up a plan, even in the stuck state), so it holds; the
/// scenario's agreement line does not count it as undeclared.
#[test]
fn deadlock_checking_finds_no_deadlock_in_the_dns_model() {
    let run = dnsrace(&["check", "single-enactor", "--deadlock"]);
    run.assert_code(0);
    let table = verdict_table(&run.stdout);
    let row = table
        .iter()
        .find(|row| row.name == "no deadlock")
        .unwrap_or_else(|| panic!("a row for the deadlock check\n{run}"));
    assert_eq!(
        (row.kind.as_str(), row.verdict.as_str()),
        ("always", "holds")
    );
    assert!(agrees_with_scenario(&run.stdout, "single-enactor"), "{run}");
    assert!(!run.stdout.contains("none for \"no deadlock\""), "{run}");
}
