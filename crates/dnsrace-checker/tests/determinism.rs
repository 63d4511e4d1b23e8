//! The report (verdicts, traces, counts) is the same whatever the thread count, run after
//! run.

mod common;

use std::hash::Hash;

use common::{run, threads, untimed, Branches, CounterRace, Grid, Scatter};
use dnsrace_checker::{render_text_without_timing, CheckOptions, Completeness};
use dnsrace_core::Presentation;

fn assert_deterministic<M>(model: &M, options: CheckOptions)
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    let with = |threads: usize| {
        untimed(run(
            model,
            &CheckOptions {
                threads,
                ..options.clone()
            },
        ))
    };
    let one = with(1);
    assert!(one.statistics.distinct_states > 0);
    for threads in [2, 2, 4] {
        let other = with(threads);
        assert_eq!(one, other, "1 thread vs {threads}");
        assert_eq!(
            render_text_without_timing(&one),
            render_text_without_timing(&other)
        );
    }
}

#[test]
fn same_report_with_one_two_and_four_threads() {
    assert_deterministic(
        &CounterRace {
            threads: 3,
            locked: false,
        },
        threads(0),
    );
    assert_deterministic(
        &CounterRace {
            threads: 4,
            locked: true,
        },
        threads(0),
    );
    assert_deterministic(&Branches { long: 20, short: 7 }, threads(0));
    assert_deterministic(
        &Grid {
            width: 30,
            height: 20,
            band: Some(4),
        },
        threads(0),
    );
    assert_deterministic(&Scatter::new(300_000), threads(0));
}

#[test]
fn bounded_by_depth_or_states_is_deterministic_too() {
    let max_depth = CheckOptions {
        max_depth: Some(6),
        ..threads(0)
    };
    let max_states = CheckOptions {
        max_states: Some(20_000),
        ..threads(0)
    };
    assert_deterministic(&Scatter::new(300_000), max_depth);
    assert_deterministic(&Scatter::new(300_000), max_states.clone());
    let report = run(&Scatter::new(300_000), &max_states);
    assert!(matches!(report.completeness, Completeness::Bounded { .. }));
}

#[test]
fn thread_count_is_honoured() {
    let report = run(
        &Grid {
            width: 3,
            height: 3,
            band: None,
        },
        &threads(1),
    );
    assert_eq!(report.statistics.threads, 1);
    let report = run(
        &Grid {
            width: 3,
            height: 3,
            band: None,
        },
        &threads(3),
    );
    assert_eq!(report.statistics.threads, 3);
}
