//! Our engine against stateright's own checkers and against a naive search written here:
//! the same state counts, the same verdicts, and traces that are truly shortest.

use std::collections::{BTreeSet, HashMap, VecDeque};

use dnsrace_checker::{check, CheckOptions, Completeness, Verdict};
use dnsrace_core::{DescribedProperty, Expectation, Presentation};
use dynamodb_dns::{DnsConfig, DnsModel};
use stateright::{Checker, HasDiscoveries, Model};

fn config(enactors: u8, endpoints: u8, generations: u8) -> DnsConfig {
    DnsConfig {
        enactors,
        endpoints,
        generations,
        ..DnsConfig::default()
    }
}

/// A property no state violates, so that a search can only end by exhausting the graph.
const FORCE_EXHAUSTIVE: &str = "forces an exhaustive search";

fn exhaustive_properties(model: &DnsModel) -> Vec<DescribedProperty<DnsModel>> {
    let mut properties = model.described_properties();
    properties.push(DescribedProperty::always(
        FORCE_EXHAUSTIVE,
        "true",
        |_, _| true,
    ));
    properties
}

#[test]
fn distinct_states_and_verdicts_agree_with_stateright_dfs() {
    for config in [
        config(1, 2, 5),
        config(2, 1, 3),
        config(2, 1, 4),
        config(2, 2, 3),
        config(3, 1, 2),
    ] {
        let model = config.into_model();
        let ours = check(
            &model,
            &exhaustive_properties(&model),
            // stateright counts every state: so must we.
            &CheckOptions {
                symmetry: false,
                ..CheckOptions::default()
            },
        );
        assert_eq!(ours.completeness, Completeness::Exhaustive, "{config}");

        let theirs = config
            .into_model()
            .checker()
            .finish_when(HasDiscoveries::AllOf(BTreeSet::from([FORCE_EXHAUSTIVE])))
            .spawn_dfs()
            .join();
        assert!(theirs.is_done());
        assert_eq!(
            ours.statistics.distinct_states,
            theirs.unique_state_count() as u64,
            "{config}"
        );
        for result in ours
            .properties
            .iter()
            .filter(|r| r.name != FORCE_EXHAUSTIVE)
        {
            let name = dynamodb_dns::property_spec(&result.name).unwrap().name;
            let discovered = theirs.discovery(name).is_some();
            let ours_discovered = matches!(result.verdict, Verdict::Violated | Verdict::Reached);
            assert_eq!(ours_discovered, discovered, "{config}: {}", result.name);
        }
    }
}

/// The fewest steps to a state where each property is discovered (violated for `always`,
/// true for `sometimes`), by a plain sequential breadth-first search over whole states.
fn naive_shortest_steps(model: &DnsModel) -> HashMap<&'static str, usize> {
    let properties = model.described_properties();
    let mut shortest = HashMap::new();
    let mut depth_of: HashMap<_, usize> = HashMap::new();
    let mut queue = VecDeque::new();
    for state in model.init_states() {
        depth_of.insert(state.clone(), 0);
        queue.push_back(state);
    }
    while let Some(state) = queue.pop_front() {
        let depth = depth_of[&state];
        for property in &properties {
            let holds = (property.property.condition)(model, &state);
            let discovered = match property.property.expectation {
                Expectation::Always => !holds,
                _ => holds,
            };
            if discovered {
                shortest.entry(property.name()).or_insert(depth);
            }
        }
        for next in model.next_states(&state) {
            if !depth_of.contains_key(&next) {
                depth_of.insert(next.clone(), depth + 1);
                queue.push_back(next);
            }
        }
    }
    shortest
}

#[test]
fn traces_are_as_short_as_a_naive_breadth_first_search_finds() {
    for config in [config(2, 1, 4), config(2, 2, 4), config(1, 2, 5)] {
        let model = config.into_model();
        let expected = naive_shortest_steps(&model);
        let report = check(
            &model,
            &model.described_properties(),
            &CheckOptions::default(),
        );
        for result in &report.properties {
            let steps = result.trace.as_ref().map(|trace| trace.len() - 1);
            assert_eq!(
                steps,
                expected.get(result.name.as_str()).copied(),
                "{config}: {}",
                result.name
            );
        }
    }
}

/// stateright's breadth-first checker with `target_max_depth(d)` explores paths of at most
/// `d - 2` steps (see the stateright notes). It finds no violation one step short of our
/// trace, and finds one at its length: an independent proof that ours is shortest.
#[test]
fn stateright_depth_deepening_confirms_the_outage_traces_are_shortest() {
    let model = DnsConfig::default().into_model();
    let report = check(
        &model,
        &model.described_properties(),
        &CheckOptions::default(),
    );
    let violated: Vec<(&'static str, usize)> = report
        .properties
        .iter()
        .filter(|r| r.verdict == Verdict::Violated)
        .map(|r| {
            let name = dynamodb_dns::property_spec(&r.name).unwrap().name;
            (name, r.trace.as_ref().unwrap().len() - 1)
        })
        .collect();
    for race in [
        "endpoint record never empty",
        "no older plan overwrites newer",
        "active plan never deleted",
    ] {
        assert!(
            violated.iter().any(|(name, _)| *name == race),
            "{race}: {violated:?}"
        );
    }
    let within = |steps: usize| {
        DnsConfig::default()
            .into_model()
            .checker()
            .target_max_depth(steps + 2)
            .spawn_bfs()
            .join()
    };
    // One search per trace length: properties with traces of the same length share it.
    for steps in violated
        .iter()
        .map(|(_, steps)| *steps)
        .collect::<BTreeSet<_>>()
    {
        let short = within(steps - 1);
        let enough = within(steps);
        for (name, property_steps) in &violated {
            if *property_steps == steps {
                assert!(
                    short.discovery(name).is_none(),
                    "{name} within {} steps",
                    steps - 1
                );
                assert!(
                    enough.discovery(name).is_some(),
                    "{name} not within {steps} steps"
                );
            }
        }
    }
}
