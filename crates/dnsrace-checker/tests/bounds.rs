//! Bounded runs (max states, max depth, timeout, stop flag) say so, report undecided
//! properties as inconclusive (exit code 3) and never claim that a property holds.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use common::{run, threads, untimed, Branches, Grid, Scatter};
use dnsrace_checker::{check, CheckOptions, Completeness, Report, Verdict};
use dnsrace_core::{DescribedProperty, Presentation, Property};

fn reason(report: &Report) -> &str {
    match &report.completeness {
        Completeness::Bounded { reason } => reason,
        other => panic!("expected a bounded run, got {other:?}"),
    }
}

/// A bounded run never says "holds" or "not reached".
fn assert_claims_nothing_unproven(report: &Report) {
    for property in &report.properties {
        assert!(
            !matches!(property.verdict, Verdict::Holds | Verdict::NotReached),
            "{} is {:?} in a bounded run",
            property.name,
            property.verdict
        );
    }
}

fn verdicts(report: &Report) -> Vec<Verdict> {
    report.properties.iter().map(|p| p.verdict).collect()
}

#[test]
fn max_states() {
    let options = CheckOptions {
        max_states: Some(50),
        ..threads(2)
    };
    let report = run(
        &Grid {
            width: 20,
            height: 20,
            band: None,
        },
        &options,
    );
    assert_eq!(reason(&report), "--max-states 50 reached");
    assert!(report.statistics.distinct_states <= 50);
    assert!(report.statistics.states_left_on_queue > 0);
    assert_eq!(
        verdicts(&report),
        [
            Verdict::Inconclusive,
            Verdict::Reached,
            Verdict::Inconclusive
        ]
    );
    assert_claims_nothing_unproven(&report);
    assert_eq!(report.exit_code(), 3);
    // Whole levels only: (x, y) with max(x, y) <= 6 is 49 states, one more level is 64.
    assert_eq!(report.statistics.distinct_states, 49);
    assert_eq!(report.statistics.depth, 6);
}

#[test]
fn max_states_not_reached_is_exhaustive() {
    let model = Grid {
        width: 5,
        height: 5,
        band: None,
    };
    let full = untimed(run(&model, &threads(2)));
    assert_eq!(full.statistics.distinct_states, 36);
    let options = CheckOptions {
        max_states: Some(36),
        ..threads(2)
    };
    assert_eq!(untimed(run(&model, &options)), full);
}

#[test]
fn max_states_below_the_initial_states() {
    let options = CheckOptions {
        max_states: Some(1),
        ..threads(2)
    };
    let report = run(&Scatter::new(100), &options); // two initial states
    assert_eq!(reason(&report), "--max-states 1 reached");
    assert_eq!(report.statistics.distinct_states, 0);
    assert_claims_nothing_unproven(&report);
}

#[test]
fn max_depth() {
    let options = CheckOptions {
        max_depth: Some(3),
        ..threads(2)
    };
    let report = run(
        &Grid {
            width: 20,
            height: 20,
            band: None,
        },
        &options,
    );
    assert_eq!(reason(&report), "--max-depth 3 reached");
    assert_eq!(report.statistics.depth, 3);
    assert_eq!(report.statistics.distinct_states, 16); // max(x, y) <= 3
    assert_eq!(report.statistics.states_left_on_queue, 7); // max(x, y) == 3
    assert_claims_nothing_unproven(&report);
    assert_eq!(report.exit_code(), 3);
}

#[test]
fn max_depth_at_the_real_depth_is_exhaustive() {
    let model = Grid {
        width: 4,
        height: 4,
        band: None,
    };
    let full = untimed(run(&model, &threads(2)));
    assert_eq!(full.statistics.depth, 4);
    let options = CheckOptions {
        max_depth: Some(4),
        ..threads(2)
    };
    assert_eq!(untimed(run(&model, &options)), full);
}

#[test]
fn a_violation_before_the_bound_is_still_a_violation() {
    let options = CheckOptions {
        max_depth: Some(10),
        ..threads(2)
    };
    let report = run(&Branches { long: 30, short: 3 }, &options);
    assert_eq!(reason(&report), "--max-depth 10 reached");
    assert_eq!(
        verdicts(&report),
        [Verdict::Violated, Verdict::Inconclusive]
    );
    assert_eq!(
        report.properties[0].trace.as_ref().map(|t| t.len()),
        Some(4)
    );
    assert_eq!(report.exit_code(), 12);
}

#[test]
fn timeout() {
    let options = CheckOptions {
        timeout: Some(Duration::ZERO),
        ..threads(2)
    };
    let report = run(&Scatter::new(100_000), &options);
    assert!(
        reason(&report).starts_with("--timeout "),
        "{}",
        reason(&report)
    );
    assert_claims_nothing_unproven(&report);
    assert!(report.is_inconclusive());
}

#[test]
fn stop_flag_already_raised() {
    let options = CheckOptions {
        stop: Some(Arc::new(AtomicBool::new(true))),
        ..threads(2)
    };
    let report = run(&Scatter::new(100_000), &options);
    assert_eq!(reason(&report), "stopped on request");
    assert_claims_nothing_unproven(&report);
}

#[test]
fn stop_flag_mid_level_discards_the_partial_level() {
    let flag = Arc::new(AtomicBool::new(false));
    let mut model = Scatter::new(400_000);
    model.stop_after = Some((flag.clone(), 100_000));
    let options = CheckOptions {
        stop: Some(flag),
        ..threads(2)
    };
    let report = run(&model, &options);
    assert_eq!(reason(&report), "stopped on request");
    assert_claims_nothing_unproven(&report);
    // The report describes exactly the completed levels: the same counts as a run
    // bounded at that depth.
    let depth = report.statistics.depth;
    let at_depth = run(
        &Scatter::new(400_000),
        &CheckOptions {
            max_depth: Some(depth),
            ..threads(2)
        },
    );
    let s = &report.statistics;
    let t = &at_depth.statistics;
    assert_eq!(s.distinct_states, t.distinct_states);
    assert_eq!(s.states_left_on_queue, t.states_left_on_queue);
    assert!(s.distinct_states < 400_000);
    // Discoveries made before the stop are kept, with the same traces.
    for (a, b) in report.properties.iter().zip(&at_depth.properties) {
        assert_eq!(a.verdict, b.verdict);
        assert_eq!(a.trace, b.trace);
    }
}

#[test]
fn eventually_is_inconclusive_even_when_exhaustive() {
    let model = Grid {
        width: 3,
        height: 3,
        band: None,
    };
    let mut properties = model.described_properties();
    properties.truncate(2);
    properties.push(DescribedProperty {
        property: Property::eventually("reaches the corner", |_, &s: &(u32, u32)| s == (3, 3)),
        description: "every walk ends at the corner",
    });
    let report = check(&model, &properties, &threads(2));
    assert_eq!(report.completeness, Completeness::Exhaustive);
    assert_eq!(
        verdicts(&report),
        [Verdict::Holds, Verdict::Reached, Verdict::Inconclusive]
    );
    assert!(report.properties[2]
        .note
        .as_deref()
        .unwrap()
        .contains("liveness"));
    assert_eq!(report.exit_code(), 3);
}
