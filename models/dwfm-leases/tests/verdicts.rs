//! The DWFM lease model: every scenario and every variant gives the verdicts it declares,
//! the state counts are pinned, the congestive collapse is found as a lasso, and the
//! thresholds the docs quote are the checker's.

use dnsrace_checker::{check_with_liveness, CheckOptions, Completeness, Report, Verdict};
use dnsrace_core::{DeclaredVerdicts, ModelDefinition, Presentation, Scenario};
use dwfm_leases::{DwfmConfig, DwfmLeases, Variant};

/// Every property, liveness included, checked exhaustively.
fn check_all(config: &DwfmConfig) -> Report {
    let model = DwfmLeases.build(config);
    check_with_liveness(
        &model,
        &model.described_properties(),
        &model.liveness_properties(),
        &CheckOptions::default(),
    )
}

fn verdicts(report: &Report) -> Vec<(String, Verdict)> {
    report
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.verdict))
        .collect()
}

fn scenario(name: &str) -> Scenario<DwfmConfig> {
    let (name, text) = DwfmLeases
        .scenarios()
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no scenario {name}"));
    Scenario::parse(&DwfmLeases, name, text).expect("parses")
}

/// Whether "every droplet is leased again" is violated: DWFM collapses.
fn collapses(config: &DwfmConfig) -> bool {
    let model = DwfmLeases.build(config);
    let leased_again: Vec<_> = model
        .liveness_properties()
        .into_iter()
        .filter(|p| p.name == "every droplet is leased again")
        .collect();
    let report = check_with_liveness(&model, &[], &leased_again, &CheckOptions::default());
    assert_eq!(report.completeness, Completeness::Exhaustive);
    report.properties[0].verdict == Verdict::Violated
}

#[test]
fn every_scenario_gives_every_verdict_it_declares() {
    for (name, _) in DwfmLeases.scenarios() {
        let scenario = scenario(name);
        let report = check_all(&scenario.config);
        assert_eq!(report.completeness, Completeness::Exhaustive, "{name}");
        let declared: Vec<(String, Verdict)> = scenario
            .expect
            .iter()
            .map(|(property, verdict)| (property.to_string(), *verdict))
            .collect();
        assert_eq!(declared.len(), 8, "{name} declares every property");
        assert_eq!(verdicts(&report), declared, "scenario {name}");
    }
}

/// variants.toml, table by table, at the two scales its header names: every variant,
/// without and with an operator.
#[test]
fn every_variant_gives_the_verdicts_variants_toml_declares_at_both_scales() {
    let declared = DeclaredVerdicts::of(&DwfmLeases).expect("variants.toml parses");
    for base in ["collapse", "incident"] {
        for operator in [false, true] {
            for &variant in Variant::ALL {
                let config = DwfmConfig {
                    operator,
                    variant,
                    ..scenario(base).config
                };
                let context = DwfmLeases.expectation_context(&config);
                let expected: Vec<(String, Verdict)> = declared
                    .of_variant(&context, variant.name())
                    .iter()
                    .map(|(property, verdict)| (property.to_string(), *verdict))
                    .collect();
                assert_eq!(expected.len(), 8, "[{context}.{}]", variant.name());
                assert_eq!(
                    verdicts(&check_all(&config)),
                    expected,
                    "{base}, [{context}.{}]",
                    variant.name()
                );
            }
        }
    }
}

#[test]
fn the_whole_state_graphs_have_their_pinned_sizes() {
    // (variant, operator): distinct states at the default scale, then at the incident's.
    for (variant, operator, default, incident) in [
        (Variant::AsBuilt, false, 192, 859),
        (Variant::QueueThrottle, false, 97, 396),
        (Variant::BackOff, false, 391, 2455),
        (Variant::LongerTimeout, false, 269, 1335),
        (Variant::NewestFirst, false, 166, 718),
        (Variant::AsBuilt, true, 552, 2502),
    ] {
        for (base, states) in [("collapse", default), ("incident", incident)] {
            let config = DwfmConfig {
                variant,
                operator,
                ..scenario(base).config
            };
            let model = DwfmLeases.build(&config);
            // With no property to decide, the search never stops early.
            let report = check_with_liveness(&model, &[], &[], &CheckOptions::default());
            assert_eq!(report.completeness, Completeness::Exhaustive);
            assert_eq!(
                report.statistics.distinct_states, states,
                "{base}, {variant:?}, operator {operator}"
            );
        }
    }
}

#[test]
fn the_default_scenario_is_the_default_configuration_and_its_counts_are_pinned() {
    let (name, _) = DwfmLeases.scenarios()[0];
    assert_eq!(name, "collapse");
    assert_eq!(scenario(name).config, DwfmConfig::default());
    let report = check_all(&DwfmConfig::default());
    assert_eq!(report.statistics.distinct_states, 192);
    assert_eq!(report.statistics.states_generated, 203);
    assert_eq!(report.statistics.depth, 30);
    assert_eq!(report.exit_code(), 12, "a safety property is violated too");
}

/// The walk-through of docs/dwfm-leases.md: five leases lapse, DynamoDB comes back, two
/// attempts finish in time, and from then on the three attempts left take turns finishing
/// too late.
#[test]
fn the_collapse_is_a_lasso_in_which_every_attempt_finishes_too_late() {
    let report = check_all(&DwfmConfig::default());
    let leased_again = report
        .properties
        .iter()
        .find(|p| p.name == "every droplet is leased again")
        .expect("checked");
    assert_eq!(leased_again.verdict, Verdict::Violated);
    let lasso = leased_again.trace.as_ref().expect("a lasso");
    assert_eq!(lasso.len(), 24);
    assert_eq!(lasso.loop_start, Some(21), "the cycle starts at state 22");
    let steps: Vec<&str> = lasso.states.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(steps[1], "DynamoDB becomes unreachable: state checks fail");
    assert_eq!(
        steps[2..7],
        (7..12)
            .rev()
            .map(|left| format!("A droplet's lease times out ({left} still leased)"))
            .collect::<Vec<_>>()
    );
    assert_eq!(steps[7], "DynamoDB is reachable again");
    assert_eq!(
        steps[8],
        "DWFM queues 5 lease attempts; starts work on the attempt aged 0"
    );
    let established = steps
        .iter()
        .filter(|s| s.contains("lease established in time"))
        .count();
    assert_eq!(
        established, 2,
        "two leases come back, then none: {steps:#?}"
    );
    // The cycle: two ticks, then an attempt finishes after its time-out and is queued
    // again while the host starts one that is already too old.
    assert_eq!(
        steps[21..],
        [
            "One tick passes",
            "One tick passes",
            "DWFM 1 attempt finished after the time-out (age 5 > 4), queued again; starts \
             work on the attempt aged 4",
        ]
    );
    assert_eq!(
        lasso.loop_action.as_deref(),
        Some("One tick passes"),
        "the last state steps back into the cycle"
    );
    // Nothing in the cycle establishes a lease.
    assert!(!steps[21..].iter().any(|s| s.contains("established")));
}

#[test]
fn without_an_operator_the_fleet_is_lost_once_five_leases_lapse_during_the_outage() {
    let report = check_all(&DwfmConfig::default());
    let recoverable = report
        .properties
        .iter()
        .find(|p| p.name == "always recoverable")
        .expect("checked");
    assert_eq!(recoverable.verdict, Verdict::Violated);
    let stuck = recoverable.trace.as_ref().expect("a stuck state");
    assert_eq!(stuck.len(), 7);
    assert_eq!(
        stuck.states[6].action,
        "A droplet's lease times out (7 still leased)"
    );
    // With four lapsed leases DWFM still recovers: the small fleet.
    assert!(!collapses(&DwfmConfig {
        droplets: 4,
        ..DwfmConfig::default()
    }));
}

/// The figures of docs/dwfm-leases.md: the smallest fleet that collapses, per variant, at
/// the default scale and at the incident's (`dnsrace sweep` finds the same).
#[test]
fn the_smallest_fleet_that_collapses_is_the_one_the_docs_give() {
    for (base, variant, smallest) in [
        ("collapse", Variant::AsBuilt, 5),
        ("collapse", Variant::BackOff, 7),
        ("collapse", Variant::LongerTimeout, 9),
        ("incident", Variant::AsBuilt, 10),
        ("incident", Variant::BackOff, 14),
        ("incident", Variant::LongerTimeout, 18),
    ] {
        let config = DwfmConfig {
            variant,
            operator: false,
            ..scenario(base).config
        };
        let at = |droplets: u8| DwfmConfig { droplets, ..config };
        assert!(
            !collapses(&at(smallest - 1)),
            "{base} {variant:?} at {}",
            smallest - 1
        );
        assert!(collapses(&at(smallest)), "{base} {variant:?} at {smallest}");
    }
}

#[test]
fn queue_throttle_and_newest_first_recover_from_any_fleet_up_to_a_hundred() {
    for variant in [Variant::QueueThrottle, Variant::NewestFirst] {
        for base in ["collapse", "incident"] {
            let config = DwfmConfig {
                variant,
                operator: false,
                droplets: 100,
                ..scenario(base).config
            };
            // Lapsed leases are what matters, and the checker tries every number of
            // them up to the fleet: a fleet of 100 covers every smaller one.
            assert!(!collapses(&config), "{base} {variant:?}");
        }
    }
}

/// What the queue limit must be: small enough that an admitted attempt finishes within
/// its time-out. At the default scale (1 slot, 2 ticks of work, time-out 4) a limit of 1
/// works and 2 collapses; at the incident's (2 slots, 3 ticks, time-out 6), 3 still
/// recovers (with work wasted) and 4 collapses.
#[test]
fn the_queue_limit_decides_whether_throttling_works() {
    let limit = |base: &str, queue_limit: u8| DwfmConfig {
        variant: Variant::QueueThrottle,
        operator: false,
        queue_limit,
        ..scenario(base).config
    };
    assert!(!collapses(&limit("collapse", 1)));
    assert!(collapses(&limit("collapse", 2)));
    assert!(!collapses(&limit("incident", 3)));
    assert!(collapses(&limit("incident", 4)));
    let wasted = |config: &DwfmConfig| {
        let report = check_all(config);
        report.properties[2].verdict == Verdict::Violated
    };
    assert!(!wasted(&limit("incident", 2)), "no work wasted at 2");
    assert!(wasted(&limit("incident", 3)), "work wasted at 3");
}

/// A restart alone puts the whole backlog back at once, which is what DynamoDB's return
/// did: only the operator who throttles first recovers. The model's operator restarts
/// only once the throttle is on; without the throttle's limit (a limit as large as the
/// fleet) the restart changes nothing.
#[test]
fn the_operator_recovers_only_with_a_throttle_that_holds_the_backlog_back() {
    let operator = |queue_limit: u8| DwfmConfig {
        operator: true,
        queue_limit,
        ..DwfmConfig::default()
    };
    assert!(!collapses(&operator(1)));
    assert!(collapses(&operator(12)));
}

#[test]
fn every_check_is_the_same_with_any_number_of_threads() {
    let config = scenario("incident").config;
    let one = check_with_liveness(
        &DwfmLeases.build(&config),
        &DwfmLeases.build(&config).described_properties(),
        &DwfmLeases.build(&config).liveness_properties(),
        &CheckOptions {
            threads: 1,
            ..CheckOptions::default()
        },
    );
    let three = check_with_liveness(
        &DwfmLeases.build(&config),
        &DwfmLeases.build(&config).described_properties(),
        &DwfmLeases.build(&config).liveness_properties(),
        &CheckOptions {
            threads: 3,
            ..CheckOptions::default()
        },
    );
    assert_eq!(one.properties, three.properties);
    assert_eq!(
        one.statistics.distinct_states,
        three.statistics.distinct_states
    );
}
