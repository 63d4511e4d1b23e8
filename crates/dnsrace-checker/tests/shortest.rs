//! Counterexamples are shortest, and the lexicographically smallest of the shortest,
//! checked against independent searches (a naive BFS, stateright's depth-bounded DFS).

mod common;

use std::hash::Hash;

use common::{naive_bfs, run, threads, Branches, CounterRace, Grid, Scatter};
use dnsrace_checker::Verdict;
use dnsrace_core::Presentation;
use stateright::{Checker, Model};

/// Every trace the engine reports is, state by state, the path the naive BFS finds.
fn assert_traces_match_naive_bfs<M>(model: &M)
where
    M: Presentation + Sync,
    M::State: Hash + Eq + Clone + Send + Sync,
{
    let report = run(model, &threads(2));
    let naive = naive_bfs(model);
    for (result, path) in report.properties.iter().zip(naive.paths) {
        match (&result.trace, path) {
            (Some(trace), Some(path)) => {
                assert_eq!(trace.len(), path.len(), "length of {}", result.name);
                for (shown, state) in trace.states.iter().zip(&path) {
                    assert_eq!(shown.variables, model.variables(state), "{}", result.name);
                }
            }
            (None, None) => {}
            (trace, path) => panic!(
                "{}: engine trace {:?} but naive path {:?}",
                result.name,
                trace.is_some(),
                path.is_some()
            ),
        }
    }
}

fn actions(report: &dnsrace_checker::Report, property: usize) -> Vec<String> {
    let trace = report.properties[property].trace.as_ref().expect("a trace");
    trace.states.iter().map(|s| s.action.clone()).collect()
}

#[test]
fn counter_race_trace_is_the_four_step_lost_update() {
    let report = run(
        &CounterRace {
            threads: 2,
            locked: false,
        },
        &threads(2),
    );
    assert_eq!(report.properties[0].verdict, Verdict::Violated);
    assert_eq!(
        actions(&report, 0),
        [
            "Initial state",
            "Thread 1 reads counter = 0",
            "Thread 2 reads counter = 0",
            "Thread 1 writes counter = 1",
            "Thread 2 writes counter = 1",
        ]
    );
}

#[test]
fn short_branch_wins_although_the_long_one_comes_first() {
    let model = Branches { long: 12, short: 5 };
    let report = run(&model, &threads(2));
    assert_eq!(report.properties[0].verdict, Verdict::Violated);
    let mut expected = vec!["Initial state", "Enter branch 2"];
    expected.extend(["Advance"; 4]);
    assert_eq!(actions(&report, 0), expected);
    // The `sometimes` example is the whole long branch.
    assert_eq!(
        report.properties[1].trace.as_ref().map(|t| t.len()),
        Some(13)
    );
}

#[test]
fn among_shortest_paths_the_smallest_action_indices_win() {
    // Four steps reach (4, 3) only as one `x` and three `d`; `x` is action 0.
    let report = run(
        &Grid {
            width: 4,
            height: 3,
            band: None,
        },
        &threads(2),
    );
    assert_eq!(
        actions(&report, 2),
        ["Initial state", "Step x", "Step d", "Step d", "Step d"]
    );
}

#[test]
fn traces_equal_an_independent_naive_bfs() {
    assert_traces_match_naive_bfs(&CounterRace {
        threads: 2,
        locked: false,
    });
    assert_traces_match_naive_bfs(&CounterRace {
        threads: 3,
        locked: false,
    });
    assert_traces_match_naive_bfs(&CounterRace {
        threads: 3,
        locked: true,
    });
    assert_traces_match_naive_bfs(&Branches { long: 9, short: 4 });
    assert_traces_match_naive_bfs(&Grid {
        width: 6,
        height: 4,
        band: None,
    });
    assert_traces_match_naive_bfs(&Grid {
        width: 7,
        height: 7,
        band: Some(1),
    });
    assert_traces_match_naive_bfs(&Scatter::new(50_000));
}

/// The shortest discovery stateright's DFS finds by deepening `target_max_depth`, in
/// states. Exact only on trees: with joins, a bounded DFS can miss states.
fn stateright_deepening<M>(model: &M, name: &'static str) -> usize
where
    M: Model + Clone + Send + Sync + 'static,
    M::State: Hash + Send + Sync + Clone + PartialEq + std::fmt::Debug + 'static,
    M::Action: Clone + PartialEq + std::fmt::Debug,
{
    for depth in 1..100 {
        let checker = model
            .clone()
            .checker()
            .target_max_depth(depth)
            .spawn_dfs()
            .join();
        if let Some(path) = checker.discovery(name) {
            let states = path.into_states().len();
            // `target_max_depth(d)` checks paths of at most d - 2 steps (d - 1 states).
            assert_eq!(states, depth - 1);
            return states;
        }
    }
    panic!("stateright found no discovery for {name}");
}

#[test]
fn trace_length_equals_stateright_deepening() {
    for (long, short) in [(12, 5), (6, 2), (3, 8)] {
        let model = Branches { long, short };
        let report = run(&model, &threads(2));
        let ours = report.properties[0].trace.as_ref().expect("violated").len();
        assert_eq!(ours, stateright_deepening(&model, "never at a branch end"));
        assert_eq!(ours as u32, long.min(short) + 1);
    }
}
