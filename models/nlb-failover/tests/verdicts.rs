//! The nlb-failover model: every scenario gives the verdicts it declares, every table of
//! `variants.toml` holds across a grid of scales, the state counts are pinned, the
//! counterexamples are the shortest ones and read as the incident does, and a settled
//! state stays settled (which is what makes "eventually settled" mean "in service for
//! good").

use std::collections::{HashSet, VecDeque};

use dnsrace_checker::{check_with_liveness, CheckOptions, Completeness, Report, Verdict};
use dnsrace_core::{DeclaredVerdicts, ModelDefinition, Presentation, Scenario};
use nlb_failover::{NlbConfig, NlbFailover, NlbModel, NlbState, Variant};
use stateright::Model;

/// An exhaustive check of `model`, liveness included, on one thread.
fn check_all(model: &NlbModel) -> Report {
    let options = CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    };
    check_with_liveness(
        model,
        &model.described_properties(),
        &model.liveness_properties(),
        &options,
    )
}

fn verdicts(report: &Report) -> Vec<(String, Verdict)> {
    report
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.verdict))
        .collect()
}

fn config(azs: u8, targets_per_az: u8, new_targets: u8, degrade_after: u8) -> NlbConfig {
    NlbConfig {
        azs,
        targets_per_az,
        new_targets,
        degrade_after,
        ..NlbConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Declared verdicts
// ---------------------------------------------------------------------------------------

#[test]
fn every_scenario_gives_the_verdicts_it_declares_with_liveness() {
    for (name, text) in NlbFailover.scenarios() {
        let scenario = Scenario::parse(&NlbFailover, name, text).expect("parses");
        let report = check_all(&NlbFailover.build(&scenario.config));
        assert_eq!(report.completeness, Completeness::Exhaustive, "{name}");
        let declared: Vec<(String, Verdict)> = scenario
            .expect
            .iter()
            .map(|(property, verdict)| (property.to_string(), *verdict))
            .collect();
        assert_eq!(verdicts(&report), declared, "scenario {name}");
    }
}

#[test]
fn the_default_scenario_is_the_default_configuration() {
    let (name, text) = NlbFailover.scenarios()[0];
    assert_eq!(name, "flapping");
    let scenario = Scenario::parse(&NlbFailover, name, text).expect("parses");
    assert_eq!(scenario.config, NlbConfig::default());
    assert_eq!(NlbConfig::default().expectation_context(), "default");
}

/// Every configuration of the grid whose context has a table gets, for every variant
/// and every property (liveness included), exactly the verdict the table declares; and
/// every table is checked at some configuration of the grid.
#[test]
fn every_declared_table_holds_across_the_grid() {
    let declared = DeclaredVerdicts::of(&NlbFailover).expect("variants.toml parses");
    let mut checked_contexts = HashSet::new();
    let mut untabled = HashSet::new();
    let mut cells = 0;
    for azs in 2..=3 {
        for targets_per_az in 1..=2 {
            for new_targets in 1..=3 {
                for degrade_after in 1..=3 {
                    for velocity_limit in 0..=2 {
                        for operator in [false, true] {
                            let base = NlbConfig {
                                velocity_limit,
                                operator,
                                ..config(azs, targets_per_az, new_targets, degrade_after)
                            };
                            let context = base.expectation_context();
                            if !declared.has_context(&context) {
                                untabled.insert(context);
                                continue;
                            }
                            checked_contexts.insert(context.clone());
                            for variant in Variant::ALL {
                                let config = NlbConfig {
                                    variant: *variant,
                                    ..base
                                };
                                let report = check_all(&config.into_model());
                                for (property, verdict) in verdicts(&report) {
                                    let expected =
                                        declared.verdict(&context, variant.name(), &property);
                                    assert_eq!(
                                        expected,
                                        Some(verdict),
                                        "{config}: [{context}.{}] \"{property}\"",
                                        variant.name()
                                    );
                                    cells += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let mut tables: Vec<&str> = declared.contexts().collect();
    tables.sort_unstable();
    let mut checked: Vec<&str> = checked_contexts.iter().map(String::as_str).collect();
    checked.sort_unstable();
    assert_eq!(
        checked, tables,
        "a table of variants.toml the grid never checks"
    );
    // The contexts variants.toml leaves out, on purpose (see its header).
    let mut untabled: Vec<String> = untabled.into_iter().collect();
    untabled.sort_unstable();
    assert!(
        untabled.iter().all(|context| {
            context.contains("new-outnumber-established")
                || context.contains("limit-covers-one-az")
                || context.starts_with("recovers+limit-covers-every-fail-over")
        }),
        "{untabled:?}"
    );
    assert!(cells > 5_000, "{cells} cells");
}

#[test]
fn a_healthy_share_other_than_50_has_no_table() {
    let config = NlbConfig {
        healthy_share: 60,
        ..NlbConfig::default()
    };
    assert_eq!(config.expectation_context(), "default+healthy-share-60");
    let declared = DeclaredVerdicts::of(&NlbFailover).expect("variants.toml parses");
    assert!(!declared.has_context(&config.expectation_context()));
    // At 40 % the loss of one AZ of two (and a3 behind it) is within the share.
    let lenient = NlbConfig {
        healthy_share: 40,
        ..NlbConfig::default()
    };
    let report = check_all(&lenient.into_model());
    assert_eq!(report.properties[0].verdict, Verdict::Holds);
}

// ---------------------------------------------------------------------------------------
// Pinned counts
// ---------------------------------------------------------------------------------------

#[test]
fn every_variant_explored_whole_has_its_pinned_count_at_the_default_scale() {
    for (variant, distinct, generated, depth) in [
        (Variant::AsBuilt, 15, 27, 6),
        (Variant::VelocityControl, 7, 7, 5),
        (Variant::GatedHealthChecks, 3, 3, 2),
        (Variant::FailoverDisabled, 6, 7, 4),
    ] {
        let config = NlbConfig {
            variant,
            ..NlbConfig::default()
        };
        let report = check_all(&config.into_model());
        assert_eq!(report.completeness, Completeness::Exhaustive, "{variant:?}");
        let statistics = &report.statistics;
        assert_eq!(
            (
                statistics.distinct_states,
                statistics.states_generated,
                statistics.depth
            ),
            (distinct, generated, depth),
            "{variant:?}"
        );
    }
}

#[test]
fn the_incident_scale_has_its_pinned_count() {
    let scenario =
        Scenario::parse(&NlbFailover, "incident", NlbFailover.scenarios()[1].1).expect("parses");
    let report = check_all(&NlbFailover.build(&scenario.config));
    assert_eq!(report.completeness, Completeness::Exhaustive);
    assert_eq!(report.statistics.distinct_states, 181_901);
}

/// The largest configuration allowed, as built: the count lib.rs quotes.
#[test]
fn the_largest_configuration_has_its_pinned_count() {
    let model = config(3, 3, 6, 1).into_model();
    let options = CheckOptions {
        threads: 2,
        ..CheckOptions::default()
    };
    let report = dnsrace_checker::check(&model, &[], &options);
    assert_eq!(report.completeness, Completeness::Exhaustive);
    assert_eq!(report.statistics.distinct_states, 204_799);
}

// ---------------------------------------------------------------------------------------
// Counterexamples
// ---------------------------------------------------------------------------------------

fn steps(report: &Report, property: &str) -> Vec<String> {
    let result = report
        .properties
        .iter()
        .find(|p| p.name == property)
        .unwrap_or_else(|| panic!("no property {property}"));
    let trace = result.trace.as_ref().expect("a trace");
    trace.states.iter().map(|s| s.action.clone()).collect()
}

#[test]
fn the_lost_capacity_is_the_shortest_counterexample_and_reads_as_the_incident() {
    let report = check_all(&NlbConfig::default().into_model());
    assert_eq!(
        steps(&report, "healthy capacity stays in service"),
        [
            "Initial state",
            "EC2 launches a3 in AZ a: NLB registers it and puts it in service before Network Manager has propagated its network state",
            "Health check of a3 fails (its network state is not in place): NLB takes a3 out of DNS",
            "Network Manager propagates a3's network state",
            "Health check of AZ a's NLB node times out (the health checker is degraded, load 1): NLB fails AZ a over in DNS, removing a1, a2",
        ]
    );
    assert_eq!(
        steps(&report, "no traffic to a target without network state").len(),
        2
    );
}

#[test]
fn the_loop_is_a_lasso_and_the_trap_four_states_away() {
    let report = check_all(&NlbConfig::default().into_model());
    let lasso = report
        .properties
        .iter()
        .find(|p| p.name == "healthy targets end up in service")
        .expect("the property");
    let trace = lasso.trace.as_ref().expect("a lasso");
    assert_eq!(trace.states.len(), 8);
    assert_eq!(trace.loop_start, Some(6));
    assert!(
        trace.states[7]
            .action
            .starts_with("Health check of AZ a's NLB node times out again"),
        "{:?}",
        trace.states[7].action
    );
    let note = lasso.note.as_deref().unwrap_or_default();
    assert!(
        note.contains("the fail-over that keeps it degraded"),
        "{note}"
    );
    assert_eq!(steps(&report, "recoverable without operators").len(), 4);
}

#[test]
fn gating_the_checks_on_propagation_removes_every_failure() {
    let config = NlbConfig {
        variant: Variant::GatedHealthChecks,
        ..config(3, 2, 4, 1)
    };
    let report = check_all(&config.into_model());
    for (property, verdict) in verdicts(&report) {
        let expected = match property.as_str() {
            "a health check fails" | "a target flaps" | "an AZ fails over" => Verdict::NotReached,
            "all capacity in service" => Verdict::Reached,
            _ => Verdict::Holds,
        };
        assert_eq!(verdict, expected, "{property}");
    }
}

// ---------------------------------------------------------------------------------------
// The shape of the state graph
// ---------------------------------------------------------------------------------------

/// Every reachable state of `model`, by our own breadth-first search.
fn reachable(model: &NlbModel) -> Vec<NlbState> {
    let mut seen: HashSet<NlbState> = HashSet::new();
    let mut queue: VecDeque<NlbState> = model.init_states().into();
    let mut all = Vec::new();
    while let Some(state) = queue.pop_front() {
        if !seen.insert(state.clone()) {
            continue;
        }
        let mut actions = Vec::new();
        model.actions(&state, &mut actions);
        for action in actions {
            if let Some(next) = model.next_state(&state, action) {
                queue.push_back(next);
            }
        }
        all.push(state);
    }
    all
}

fn every_small_model() -> Vec<NlbModel> {
    let mut models = Vec::new();
    for (azs, targets_per_az, new_targets, degrade_after) in
        [(2, 2, 1, 1), (2, 1, 2, 2), (3, 1, 3, 2), (2, 2, 3, 1)]
    {
        for variant in Variant::ALL {
            for operator in [false, true] {
                models.push(
                    NlbConfig {
                        variant: *variant,
                        operator,
                        ..config(azs, targets_per_az, new_targets, degrade_after)
                    }
                    .into_model(),
                );
            }
        }
    }
    models
}

/// The liveness goal is closed: from a settled state every step leads to a settled
/// state, in which every target is in DNS. So reaching it is staying in service.
#[test]
fn a_settled_state_stays_settled() {
    for model in every_small_model() {
        let mut settled = 0;
        for state in reachable(&model) {
            if !model.settled(&state) {
                continue;
            }
            settled += 1;
            assert!(
                (0..model.targets.len()).all(|t| model.in_dns(&state, t)),
                "{}: {state:?}",
                model.config
            );
            let mut actions = Vec::new();
            model.actions(&state, &mut actions);
            for action in actions {
                let next = model.next_state(&state, action).expect("a step");
                assert!(
                    model.settled(&next),
                    "{}: {action:?} unsettles {state:?}",
                    model.config
                );
            }
        }
        assert!(settled > 0, "{}", model.config);
    }
}

/// Every reachable state has a next step or is settled: a behaviour never just stops
/// short of the goal (the lasso of a stuck AZ is a real step, the node check timing out
/// again), so `check --deadlock` finds nothing.
#[test]
fn no_state_but_a_settled_one_is_an_end() {
    for model in every_small_model() {
        for state in reachable(&model) {
            let mut actions = Vec::new();
            model.actions(&state, &mut actions);
            assert!(
                !actions.is_empty() || model.settled(&state),
                "{}: {state:?}",
                model.config
            );
        }
    }
}

/// The bound lib.rs gives on the number of states holds.
#[test]
fn the_state_space_is_within_its_bound() {
    for model in every_small_model() {
        let targets = model.targets.len() as u32;
        let new = u64::from(model.config.new_targets);
        let bound = (new + 1).pow(2) * 6u64.pow(targets) * 2u64.pow(model.config.azs.into()) * 4;
        let count = reachable(&model).len() as u64;
        assert!(count < bound, "{}: {count} >= {bound}", model.config);
    }
}

/// Flapping needs a target put in service before propagation: with gated checks no
/// state has a registered target without network state, and as built some does.
#[test]
fn only_as_built_registration_puts_a_target_in_service_before_propagation() {
    for model in every_small_model() {
        let early = reachable(&model).iter().any(|state| {
            (0..model.targets.len()).any(|t| model.in_dns(state, t) && !model.propagated(state, t))
        });
        assert_eq!(
            early,
            model.config.variant != Variant::GatedHealthChecks,
            "{}",
            model.config
        );
    }
}
