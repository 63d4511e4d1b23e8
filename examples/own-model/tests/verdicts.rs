//! The stale-config-write model: every scenario gives the verdicts it declares, the state
//! counts are pinned, the stale write is the shortest counterexample, and the whole
//! command line works on the model through this crate's own binary.

use std::process::Command;

use dnsrace_checker::{check, CheckOptions, Completeness, Verdict};
use dnsrace_core::{ModelDefinition, Presentation, Scenario};
use own_model::{DeployConfig, StaleConfigWrite, Variant};

#[test]
fn every_scenario_gives_the_verdicts_it_declares() {
    for (name, text) in StaleConfigWrite.scenarios() {
        let scenario = Scenario::parse(&StaleConfigWrite, name, text).expect("parses");
        let model = StaleConfigWrite.build(&scenario.config);
        let report = check(
            &model,
            &model.described_properties(),
            &CheckOptions::default(),
        );
        let got: Vec<(String, Verdict)> = report
            .properties
            .iter()
            .map(|p| (p.name.clone(), p.verdict))
            .collect();
        let declared: Vec<(String, Verdict)> = scenario
            .expect
            .iter()
            .map(|(name, verdict)| (name.to_string(), *verdict))
            .collect();
        assert_eq!(got, declared, "scenario {name}");
    }
}

#[test]
fn the_fixed_deployers_explore_every_state_and_the_counts_are_pinned() {
    let config = DeployConfig {
        variant: Variant::ConditionalPut,
        ..DeployConfig::default()
    };
    let model = StaleConfigWrite.build(&config);
    let report = check(
        &model,
        &model.described_properties(),
        &CheckOptions::default(),
    );
    assert_eq!(report.completeness, Completeness::Exhaustive);
    assert_eq!(report.statistics.distinct_states, 94);
    assert_eq!(report.statistics.states_generated, 222);
    assert_eq!(report.statistics.depth, 7);
}

#[test]
fn the_default_scenario_stops_once_every_property_is_decided_and_its_counts_are_pinned() {
    let (name, text) = StaleConfigWrite.scenarios()[0];
    assert_eq!(name, "two-deployers");
    let scenario = Scenario::parse(&StaleConfigWrite, name, text).expect("parses");
    assert_eq!(scenario.config, DeployConfig::default());
    let model = StaleConfigWrite.build(&scenario.config);
    let report = check(
        &model,
        &model.described_properties(),
        &CheckOptions::default(),
    );
    // The engine is level-synchronous, so an early stop is at the same level on every run
    // and with any number of threads.
    assert_eq!(report.completeness, Completeness::EveryPropertyDecided);
    assert_eq!(report.statistics.distinct_states, 73);
    assert_eq!(report.statistics.states_generated, 121);
    assert_eq!(report.statistics.states_left_on_queue, 26);
    assert_eq!(report.statistics.depth, 6);
    for threads in [1, 3] {
        let options = CheckOptions {
            threads,
            ..CheckOptions::default()
        };
        let again = check(&model, &model.described_properties(), &options);
        assert_eq!(again.statistics.distinct_states, 73, "{threads} threads");
    }
}

#[test]
fn the_stale_write_is_the_shortest_counterexample() {
    let model = StaleConfigWrite.build(&DeployConfig::default());
    let report = check(
        &model,
        &model.described_properties(),
        &CheckOptions::default(),
    );
    let result = &report.properties[0];
    assert_eq!(result.name, "store version never goes down");
    let trace = result.trace.as_ref().expect("a counterexample");
    // Publish, read, publish, read, write the new release, write the old one: 7 states.
    assert_eq!(trace.states.len(), 7);
    let steps: Vec<&str> = trace.states.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(
        steps,
        [
            "Initial state",
            "Pipeline publishes release 1",
            "Deployer 1 reads release 1",
            "Pipeline publishes release 2",
            "Deployer 2 reads release 2",
            "Deployer 2 writes release 2 to the config store",
            "Deployer 1 writes release 1 to the config store",
        ]
    );
}

/// Runs this crate's binary with `args`; returns the exit code and stdout.
fn own_model(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_own-model"))
        .args(args)
        .output()
        .expect("own-model runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn every_command_works_through_the_models_own_binary() {
    let (code, out) = own_model(&["list"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("stale-config-write"), "{out}");
    assert!(out.contains("--deployers N"), "{out}");

    let (code, out) = own_model(&["check"]);
    assert_eq!(code, 12, "{out}");
    assert!(out.contains("Every verdict is the one scenario \"two-deployers\" expects."));

    let (code, out) = own_model(&["check", "fixed"]);
    assert_eq!(code, 0, "{out}");

    let (code, out) = own_model(&["matrix"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Every cell is the verdict variants.toml declares."),
        "{out}"
    );

    let (code, out) = own_model(&["sweep"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "as-built            store version never goes down          2         2      7"
        ),
        "{out}"
    );

    let (code, out) = own_model(&["explore", "--dry-run"]);
    assert_eq!(code, 0, "{out}");

    let (code, out) = own_model(&["check", "--json"]);
    assert_eq!(code, 12, "{out}");
    assert!(out.contains("\"model\": \"stale-config-write\""), "{out}");

    let (code, out) = own_model(&["check", "--trace-format", "itf"]);
    assert_eq!(code, 12, "{out}");
    assert!(out.contains("\"#meta\""), "{out}");

    // One deployer cannot race itself: the `no-race` tables of variants.toml.
    let (code, out) = own_model(&["matrix", "--deployers", "1"]);
    assert_eq!(code, 0, "{out}");

    // A sequence diagram: the model names the parties and the message of each step.
    let (code, out) = own_model(&["check", "--trace-format", "mermaid"]);
    assert_eq!(code, 12, "{out}");
    assert!(
        out.contains("participant Configstore as Config store"),
        "{out}"
    );
    assert!(
        out.contains("Deployer1->>Configstore: 7. put release 1 over newer release 2"),
        "{out}"
    );

    let (code, _) = own_model(&["check", "--deployers", "4"]);
    assert_eq!(code, 2);
}

#[test]
fn every_variant_explored_whole_has_its_pinned_count() {
    // With no property to decide, the search never stops early: these are the sizes of
    // the whole state graphs at the default scale.
    for (variant, distinct) in [
        (Variant::AsBuilt, 128),
        (Variant::RecheckBeforePut, 326),
        (Variant::ConditionalPut, 94),
    ] {
        let config = DeployConfig {
            variant,
            ..DeployConfig::default()
        };
        let model = StaleConfigWrite.build(&config);
        let report = check(&model, &[], &CheckOptions::default());
        assert_eq!(report.completeness, Completeness::Exhaustive, "{variant:?}");
        assert_eq!(report.statistics.distinct_states, distinct, "{variant:?}");
    }
}
