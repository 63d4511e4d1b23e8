//! Distinct state counts and verdicts agree with stateright's own exhaustive DFS and with a
//! naive BFS, on configurations whose search must be exhaustive.

mod common;

use std::fmt::Debug;
use std::hash::Hash;

use common::{naive_bfs, run, stateright_dfs, threads, CounterRace, Grid, Scatter};
use dnsrace_checker::{Completeness, Verdict};
use dnsrace_core::Presentation;

/// Each model has an `always` that holds, so both searches visit every state.
fn assert_agrees_with_stateright<M>(model: M)
where
    M: Presentation + Clone + Send + Sync + Debug + 'static,
    M::State: Hash + Eq + Clone + Send + Sync + Debug + 'static,
    M::Action: Clone + PartialEq + Debug,
{
    let report = run(&model, &threads(2));
    assert_eq!(report.completeness, Completeness::Exhaustive);
    let (unique, discovered) = stateright_dfs(model.clone());
    assert_eq!(
        report.statistics.distinct_states, unique as u64,
        "{model:?}"
    );
    assert_eq!(
        report.statistics.distinct_states,
        naive_bfs(&model).distinct as u64
    );
    let mut ours: Vec<&str> = report
        .properties
        .iter()
        .filter(|p| matches!(p.verdict, Verdict::Violated | Verdict::Reached))
        .map(|p| p.name.as_str())
        .collect();
    ours.sort();
    assert_eq!(ours, discovered, "{model:?}");
    // Exhaustive: every `always`/`sometimes` has a final verdict.
    assert!(!report.is_inconclusive());
}

#[test]
fn counter_race_configurations() {
    assert_agrees_with_stateright(CounterRace {
        threads: 2,
        locked: false,
    });
    assert_agrees_with_stateright(CounterRace {
        threads: 3,
        locked: false,
    });
    assert_agrees_with_stateright(CounterRace {
        threads: 4,
        locked: false,
    });
    assert_agrees_with_stateright(CounterRace {
        threads: 3,
        locked: true,
    });
}

#[test]
fn grid_configurations_with_and_without_a_boundary() {
    assert_agrees_with_stateright(Grid {
        width: 5,
        height: 5,
        band: None,
    });
    assert_agrees_with_stateright(Grid {
        width: 9,
        height: 6,
        band: Some(2),
    });
    assert_agrees_with_stateright(Grid {
        width: 1,
        height: 0,
        band: None,
    });
}

#[test]
fn scatter_graph() {
    assert_agrees_with_stateright(Scatter::new(20_000));
    assert_agrees_with_stateright(Scatter::new(7));
}

#[test]
fn locked_counter_verdicts() {
    let report = run(
        &CounterRace {
            threads: 3,
            locked: true,
        },
        &threads(2),
    );
    let verdicts: Vec<Verdict> = report.properties.iter().map(|p| p.verdict).collect();
    assert_eq!(
        verdicts,
        [
            Verdict::Holds,
            Verdict::Reached,
            Verdict::Holds,
            Verdict::NotReached
        ]
    );
    assert_eq!(report.exit_code(), 12); // a `sometimes` never reached
}
