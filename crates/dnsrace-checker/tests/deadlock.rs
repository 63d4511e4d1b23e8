//! The deadlock check (`check --deadlock`): a reachable state with no next step that the
//! model does not expect to end in is reported like TLC's "Deadlock reached", with the
//! shortest trace and exit code 11; an expected end is not a deadlock.

use dnsrace_checker::{check, render_text_without_timing, CheckOptions, Verdict};
use dnsrace_core::{no_deadlock, DescribedProperty, Model, Presentation, Value, Variable};

/// Two workers that each need both locks: worker 1 takes lock A then B, worker 2 takes B
/// then A (or, `ordered`, A then B too), and each releases both when done.
#[derive(Clone, Debug)]
struct LockOrder {
    ordered: bool,
}

/// How many locks each worker holds (0, 1 or 2), and who holds lock A and lock B.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Locks {
    held: [u8; 2],
    done: [bool; 2],
    owner: [Option<usize>; 2],
}

impl LockOrder {
    /// The lock worker `w` takes as its `n`th (0 or 1).
    fn lock(&self, worker: usize, nth: u8) -> usize {
        match (worker, self.ordered) {
            (1, false) => 1 - usize::from(nth),
            _ => usize::from(nth),
        }
    }
}

impl Model for LockOrder {
    type State = Locks;
    type Action = usize;

    fn init_states(&self) -> Vec<Locks> {
        vec![Locks {
            held: [0, 0],
            done: [false, false],
            owner: [None, None],
        }]
    }

    fn actions(&self, state: &Locks, actions: &mut Vec<usize>) {
        for worker in 0..2 {
            let free = |nth| state.owner[self.lock(worker, nth)].is_none();
            let step = match state.held[worker] {
                _ if state.done[worker] => false,
                2 => true, // release both
                nth => free(nth),
            };
            if step {
                actions.push(worker);
            }
        }
    }

    fn next_state(&self, state: &Locks, worker: usize) -> Option<Locks> {
        let mut next = state.clone();
        match state.held[worker] {
            2 => {
                next.owner = [None, None];
                next.held[worker] = 0;
                next.done[worker] = true;
            }
            nth => {
                next.owner[self.lock(worker, nth)] = Some(worker);
                next.held[worker] += 1;
            }
        }
        Some(next)
    }
}

impl Presentation for LockOrder {
    fn variables(&self, state: &Locks) -> Vec<Variable> {
        let owner = |lock: usize| match state.owner[lock] {
            Some(worker) => Value::Int(worker as i64 + 1),
            None => Value::str("free"),
        };
        vec![
            ("lock_a".to_string(), owner(0)),
            ("lock_b".to_string(), owner(1)),
            (
                "done".to_string(),
                Value::set(state.done.iter().map(|d| Value::Bool(*d))),
            ),
        ]
    }

    fn describe_step(&self, before: &Locks, worker: &usize, _: &Locks) -> String {
        match before.held[*worker] {
            2 => format!("Worker {} releases both locks", worker + 1),
            nth => format!(
                "Worker {} takes lock {}",
                worker + 1,
                ["A", "B"][self.lock(*worker, nth)]
            ),
        }
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        Vec::new()
    }

    fn terminal_state_expected(&self, state: &Locks) -> bool {
        state.done == [true, true]
    }
}

#[test]
fn opposite_lock_orders_deadlock_and_the_trace_is_the_shortest() {
    let model = LockOrder { ordered: false };
    let report = check(&model, &[no_deadlock()], &CheckOptions::default());
    let result = &report.properties[0];
    assert_eq!(result.verdict, Verdict::Violated);
    let trace = result.trace.as_ref().expect("a trace");
    // The initial state, one lock each: the shortest way into the deadlock.
    assert_eq!(trace.len(), 3);
    assert_eq!(report.exit_code(), 11);
    let text = render_text_without_timing(&report);
    assert!(
        text.starts_with("Error: Deadlock reached.\nThe behavior up to this point is:\n"),
        "{text}"
    );
    for threads in [1, 3] {
        let options = CheckOptions {
            threads,
            ..CheckOptions::default()
        };
        let again = check(&model, &[no_deadlock()], &options);
        assert_eq!(again.properties, report.properties, "{threads} threads");
    }
}

#[test]
fn an_end_the_model_expects_is_not_a_deadlock() {
    // Both workers take A first: one waits, none is stuck, and both end done.
    let model = LockOrder { ordered: true };
    let report = check(&model, &[no_deadlock()], &CheckOptions::default());
    assert_eq!(report.properties[0].verdict, Verdict::Holds);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn a_safety_violation_takes_exit_code_12_over_a_deadlock() {
    let model = LockOrder { ordered: false };
    let never_both: DescribedProperty<LockOrder> =
        DescribedProperty::always("one worker at a time", "", |_, state: &Locks| {
            state.held != [1, 1]
        });
    let report = check(
        &model,
        &[never_both, no_deadlock()],
        &CheckOptions::default(),
    );
    assert_eq!(report.exit_code(), 12);
}
