//! Symmetry reduction (the Enactors are interchangeable) changes the state counts and
//! nothing else: the same verdicts, and the same traces, on every scenario and variant.

use dnsrace_checker::{check_with_liveness, CheckOptions, Report, Verdict};
use dnsrace_core::Presentation;
use dnsrace_core::Scenario;
use dynamodb_dns::{DnsConfig, DynamoDbDns, Freshness, Repair, Variant, SCENARIOS};

fn run(config: DnsConfig, symmetry: bool, liveness: bool) -> Report {
    let model = config.into_model();
    let liveness = if liveness {
        model.liveness_properties()
    } else {
        Vec::new()
    };
    check_with_liveness(
        &model,
        &model.described_properties(),
        &liveness,
        &CheckOptions {
            symmetry,
            ..CheckOptions::default()
        },
    )
}

/// Asserts the two reports agree on everything but the state counts; returns the
/// reduction factor.
fn assert_same_but_smaller(what: &str, on: &Report, off: &Report) -> f64 {
    assert!(on.statistics.symmetry && !off.statistics.symmetry);
    assert_eq!(on.completeness, off.completeness, "{what}");
    for (a, b) in on.properties.iter().zip(&off.properties) {
        assert_eq!(a.name, b.name, "{what}");
        assert_eq!(a.verdict, b.verdict, "{what}: {}", a.name);
        assert_eq!(a.trace, b.trace, "{what}: the traces of {} differ", a.name);
    }
    assert_eq!(on.properties.len(), off.properties.len(), "{what}");
    off.statistics.distinct_states as f64 / on.statistics.distinct_states as f64
}

#[test]
fn every_scenario_gets_the_same_verdicts_and_traces_with_and_without_symmetry() {
    for (name, text) in SCENARIOS {
        let scenario = Scenario::parse(&DynamoDbDns, name, text).unwrap();
        let on = run(scenario.config, true, false);
        let off = run(scenario.config, false, false);
        let factor = assert_same_but_smaller(name, &on, &off);
        if scenario.config.enactors > 1 {
            assert!(factor > 1.5, "{name}: reduction factor only {factor:.2}");
        } else {
            assert_eq!(factor, 1.0, "{name}");
        }
        println!("{name}: reduction factor {factor:.2}");
    }
}

#[test]
fn liveness_verdicts_are_the_same_with_and_without_symmetry() {
    for name in ["smallest-race", "single-enactor"] {
        let scenario = Scenario::builtin(&DynamoDbDns, name).unwrap().unwrap();
        let on = run(scenario.config, true, true);
        let off = run(scenario.config, false, true);
        for (a, b) in on.properties.iter().zip(&off.properties) {
            assert_eq!(a.verdict, b.verdict, "{name}: {}", a.name);
        }
        // Exhaustive both ways: the reduction is the exact one.
        let factor = off.statistics.distinct_states as f64 / on.statistics.distinct_states as f64;
        println!("{name} with liveness: reduction factor {factor:.2}");
    }
}

#[test]
fn every_variant_gets_the_same_verdicts_with_and_without_symmetry() {
    for &variant in Variant::ALL {
        let config = DnsConfig {
            enactors: 2,
            endpoints: 1,
            generations: 4,
            variant,
            ..DnsConfig::default()
        };
        let on = run(config, true, true);
        let off = run(config, false, true);
        for (a, b) in on.properties.iter().zip(&off.properties) {
            assert_eq!(a.verdict, b.verdict, "{}: {}", variant.name(), a.name);
        }
        assert!(
            on.statistics.distinct_states < off.statistics.distinct_states,
            "{}",
            variant.name()
        );
    }
}

#[test]
fn three_enactors_reduce_by_almost_six() {
    let config = DnsConfig {
        enactors: 3,
        endpoints: 1,
        generations: 2,
        ..DnsConfig::default()
    };
    let on = run(config, true, true);
    let off = run(config, false, true);
    let factor = assert_same_but_smaller("3 Enactors", &on, &off);
    assert!(factor > 4.0, "reduction factor only {factor:.2}");
}

#[test]
fn every_fault_reading_and_repair_gets_the_same_verdicts_and_traces_with_and_without_symmetry() {
    // The options that add state an Enactor's renumbering must reach: expired locks, crash
    // timers, the last-applied record, the operator's repairs; with the variants whose
    // steps they change most. Clean-up threshold 0, not 1: with 2 generations a threshold
    // of 1 deletes nothing, so no endpoint would empty and no repair would ever happen.
    let small = DnsConfig {
        enactors: 2,
        endpoints: 2,
        generations: 2,
        cleanup_threshold: 0,
        ..DnsConfig::default()
    };
    let mut options = vec![
        (
            "lock expiry".to_string(),
            DnsConfig {
                lock_expiry: true,
                ..small
            },
        ),
        (
            "Enactor crash".to_string(),
            DnsConfig {
                enactor_crash: true,
                ..small
            },
        ),
        (
            "freshness last-applied-record".to_string(),
            DnsConfig {
                freshness: Freshness::LastAppliedRecord,
                ..small
            },
        ),
    ];
    for &repair in Repair::ALL {
        options.push((
            format!("operator repair {}", repair.name()),
            DnsConfig {
                operator_repair: true,
                repair,
                ..small
            },
        ));
    }
    let variants = [
        Variant::AsBuilt,
        Variant::RecheckUnderLock,
        Variant::FencedLease,
        Variant::PromelaFix,
    ];
    for (option, config) in &options {
        for variant in variants {
            let config = DnsConfig { variant, ..*config };
            let what = format!("{option}, {}", variant.name());
            let on = run(config, true, true);
            let off = run(config, false, true);
            assert_same_but_smaller(&what, &on, &off);
            assert!(
                on.statistics.distinct_states < off.statistics.distinct_states,
                "{what}: {} distinct states with symmetry, {} without",
                on.statistics.distinct_states,
                off.statistics.distinct_states
            );
            if variant == Variant::AsBuilt {
                // Not vacuous: the race empties an endpoint, so the repairs have work.
                let verdict = |name: &str| {
                    off.properties
                        .iter()
                        .find(|p| p.name == name)
                        .unwrap_or_else(|| panic!("{what}: no `{name}`"))
                        .verdict
                };
                assert_eq!(
                    verdict("clean-up deletes a plan"),
                    Verdict::Reached,
                    "{what}"
                );
                assert_eq!(
                    verdict("endpoint record never empty"),
                    Verdict::Violated,
                    "{what}"
                );
            }
            println!(
                "{what}: {} distinct states without symmetry, {} with",
                off.statistics.distinct_states, on.statistics.distinct_states
            );
        }
    }
}
