//! Once every property has a verdict the search stops (after finishing the level), with
//! the same traces an exhaustive run reports.

mod common;

use common::{run, threads, untimed, CounterRace, Scatter};
use dnsrace_checker::{check, Completeness, Verdict};
use dnsrace_core::Presentation;

#[test]
fn stops_when_every_property_is_decided() {
    let model = CounterRace {
        threads: 4,
        locked: false,
    };
    let exhaustive = run(&model, &threads(2));
    assert_eq!(exhaustive.completeness, Completeness::Exhaustive);

    let mut properties = model.described_properties();
    properties.truncate(1); // the `always`, violated at depth 4 of 8
    let early = check(&model, &properties, &threads(2));
    assert_eq!(early.completeness, Completeness::EveryPropertyDecided);
    assert!(early.statistics.distinct_states < exhaustive.statistics.distinct_states);
    assert!(early.statistics.states_left_on_queue > 0);
    for (a, b) in early.properties.iter().zip(&exhaustive.properties) {
        assert_eq!(a, b);
    }
    assert_eq!(early.properties.len(), 1);
    assert_eq!(early.properties[0].verdict, Verdict::Violated);
    assert_eq!(early.statistics.depth, 4);
    assert_eq!(early.exit_code(), 12);
    // And it is deterministic.
    assert_eq!(
        untimed(early),
        untimed(check(&model, &properties, &threads(1)))
    );
}

#[test]
fn one_sometimes_reached_early_in_a_large_graph() {
    let model = Scatter::new(1_000_000);
    let properties: Vec<_> = model
        .described_properties()
        .into_iter()
        .filter(|p| p.name() == "x ends in 77")
        .collect();
    let report = check(&model, &properties, &threads(2));
    assert_eq!(report.completeness, Completeness::EveryPropertyDecided);
    assert_eq!(report.properties[0].verdict, Verdict::Reached);
    assert!(report.statistics.distinct_states < 10_000);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn no_property_means_an_exhaustive_count() {
    let model = CounterRace {
        threads: 3,
        locked: false,
    };
    let all = run(&model, &threads(2));
    let none = check(&model, &[], &threads(2));
    assert_eq!(none.completeness, Completeness::Exhaustive);
    assert_eq!(
        none.statistics.distinct_states,
        all.statistics.distinct_states
    );
    assert_eq!(none.exit_code(), 0);
}
