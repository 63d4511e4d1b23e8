//! Liveness on the state graph, on toy models small enough to check by hand: a reachable
//! dead end ("always recoverable"), and a cycle that weak fairness does or does not rule
//! out ("leads-to").

use dnsrace_checker::{check_with_liveness, render_text, CheckOptions, Report, Verdict};
use dnsrace_core::{
    DescribedProperty, LivenessProperty, Model, Presentation, Property, Value, Variable,
};

// ---------------------------------------------------------------------------------------
// A dead end: from 0 the system goes to 1 then 2 (the goal), or to 3, a trap that loops
// on itself. An operator step (not allowed for recovery) leads from the trap to the goal.

#[derive(Clone)]
struct DeadEnd {
    trap: bool,
    operator: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Advance,
    FallIntoTrap,
    Spin,
    Operator,
}

impl Model for DeadEnd {
    type State = u8;
    type Action = Step;

    fn init_states(&self) -> Vec<u8> {
        vec![0]
    }

    fn actions(&self, state: &u8, actions: &mut Vec<Step>) {
        match state {
            0 => {
                actions.push(Step::Advance);
                if self.trap {
                    actions.push(Step::FallIntoTrap);
                }
            }
            1 => actions.push(Step::Advance),
            3 => {
                actions.push(Step::Spin);
                if self.operator {
                    actions.push(Step::Operator);
                }
            }
            _ => {}
        }
    }

    fn next_state(&self, state: &u8, action: Step) -> Option<u8> {
        Some(match (state, action) {
            (0, Step::Advance) => 1,
            (1, Step::Advance) => 2,
            (0, Step::FallIntoTrap) => 3,
            (3, Step::Spin) => 4,
            (4, _) => 3,
            (3, Step::Operator) => 2,
            _ => return None,
        })
    }

    fn properties(&self) -> Vec<Property<Self>> {
        Vec::new()
    }
}

impl Presentation for DeadEnd {
    fn variables(&self, state: &u8) -> Vec<Variable> {
        vec![("at".to_string(), Value::Int((*state).into()))]
    }

    fn describe_step(&self, _: &u8, action: &Step, after: &u8) -> String {
        format!("{action:?} to {after}")
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        Vec::new()
    }

    fn liveness_properties(&self) -> Vec<LivenessProperty<Self>> {
        vec![LivenessProperty::always_recoverable(
            "can reach 2",
            "from everywhere, 2 is reachable without the operator",
            |_, state| *state == 2,
            |_, _, action| *action != Step::Operator,
        )
        .with_explanation(|_, state| Some(format!("stuck at {state}")))]
    }
}

fn run<M>(model: &M, options: &CheckOptions) -> Report
where
    M: Presentation + Sync,
    M::State: std::hash::Hash + Send + Sync,
{
    check_with_liveness(
        model,
        &model.described_properties(),
        &model.liveness_properties(),
        options,
    )
}

#[test]
fn a_reachable_dead_end_violates_always_recoverable_with_the_path_to_it() {
    let report = run(
        &DeadEnd {
            trap: true,
            operator: false,
        },
        &CheckOptions::default(),
    );
    let result = &report.properties[0];
    assert_eq!(result.verdict, Verdict::Violated);
    let trace = result.trace.as_ref().unwrap();
    let actions: Vec<&str> = trace.states.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(actions, ["Initial state", "FallIntoTrap to 3"]);
    assert_eq!(trace.loop_start, None);
    let note = result.note.as_deref().unwrap();
    assert!(note.contains("stuck at 3"), "{note}");
    assert!(note.contains("no step of any kind can"), "{note}");
    assert_eq!(report.exit_code(), 13);
    let text = render_text(&report);
    assert!(
        text.contains("Error: Temporal property \"can reach 2\" is violated."),
        "{text}"
    );
}

#[test]
fn a_step_that_is_not_allowed_does_not_count_as_recovery() {
    let report = run(
        &DeadEnd {
            trap: true,
            operator: true,
        },
        &CheckOptions::default(),
    );
    let result = &report.properties[0];
    assert_eq!(result.verdict, Verdict::Violated);
    let note = result.note.as_deref().unwrap();
    assert!(
        note.contains("steps this property does not count (such as an operator's) could"),
        "{note}"
    );
}

#[test]
fn without_the_trap_every_state_recovers() {
    let report = run(
        &DeadEnd {
            trap: false,
            operator: false,
        },
        &CheckOptions::default(),
    );
    assert_eq!(report.properties[0].verdict, Verdict::Holds);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn a_bounded_run_leaves_liveness_inconclusive() {
    let report = run(
        &DeadEnd {
            trap: true,
            operator: false,
        },
        &CheckOptions {
            max_depth: Some(1),
            ..CheckOptions::default()
        },
    );
    assert_eq!(report.properties[0].verdict, Verdict::Inconclusive);
    assert_eq!(report.exit_code(), 3);
}

// ---------------------------------------------------------------------------------------
// Two processes. Process 0 toggles a bit forever; process 1 finishes (the goal). If
// finishing is always possible, weak fairness forces it: the toggling cycle is unfair.
// If finishing is only possible while the bit is clear, process 1 is not continuously
// enabled on the cycle: the cycle is fair, and the property fails with a lasso.

#[derive(Clone)]
struct Toggle {
    finish_needs_clear_bit: bool,
    fair: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ToggleState {
    bit: bool,
    done: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ToggleStep {
    Toggle,
    Finish,
}

impl Model for Toggle {
    type State = ToggleState;
    type Action = ToggleStep;

    fn init_states(&self) -> Vec<ToggleState> {
        vec![ToggleState {
            bit: false,
            done: false,
        }]
    }

    fn actions(&self, state: &ToggleState, actions: &mut Vec<ToggleStep>) {
        if state.done {
            return;
        }
        actions.push(ToggleStep::Toggle);
        if !self.finish_needs_clear_bit || !state.bit {
            actions.push(ToggleStep::Finish);
        }
    }

    fn next_state(&self, state: &ToggleState, action: ToggleStep) -> Option<ToggleState> {
        Some(match action {
            ToggleStep::Toggle => ToggleState {
                bit: !state.bit,
                ..*state
            },
            ToggleStep::Finish => ToggleState {
                done: true,
                ..*state
            },
        })
    }
}

impl Presentation for Toggle {
    fn variables(&self, state: &ToggleState) -> Vec<Variable> {
        vec![
            ("bit".to_string(), Value::Bool(state.bit)),
            ("done".to_string(), Value::Bool(state.done)),
        ]
    }

    fn describe_step(&self, _: &ToggleState, action: &ToggleStep, _: &ToggleState) -> String {
        format!("{action:?}")
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        Vec::new()
    }

    fn liveness_properties(&self) -> Vec<LivenessProperty<Self>> {
        let fairness: fn(&Toggle, &ToggleState, &ToggleStep) -> Option<usize> =
            |model, _, action| {
                model.fair.then_some(match action {
                    ToggleStep::Toggle => 0,
                    ToggleStep::Finish => 1,
                })
            };
        vec![LivenessProperty::leads_to(
            "eventually done",
            "every fair behaviour finishes",
            |_, _| true,
            |_, state| state.done,
            fairness,
        )]
    }
}

#[test]
fn weak_fairness_rules_out_a_cycle_where_the_starved_process_stays_enabled() {
    let report = run(
        &Toggle {
            finish_needs_clear_bit: false,
            fair: true,
        },
        &CheckOptions::default(),
    );
    assert_eq!(report.properties[0].verdict, Verdict::Holds, "{report:?}");
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn without_fairness_the_same_cycle_violates_the_property() {
    let report = run(
        &Toggle {
            finish_needs_clear_bit: false,
            fair: false,
        },
        &CheckOptions::default(),
    );
    let result = &report.properties[0];
    assert_eq!(result.verdict, Verdict::Violated);
    let trace = result.trace.as_ref().unwrap();
    assert_eq!(trace.loop_start, Some(0));
    assert_eq!(trace.len(), 2);
    assert_eq!(trace.loop_action.as_deref(), Some("Toggle"));
}

#[test]
fn a_cycle_where_the_process_is_disabled_now_and_then_is_fair_and_a_lasso_shows_it() {
    for threads in [1, 2] {
        let report = run(
            &Toggle {
                finish_needs_clear_bit: true,
                fair: true,
            },
            &CheckOptions {
                threads,
                ..CheckOptions::default()
            },
        );
        let result = &report.properties[0];
        assert_eq!(result.verdict, Verdict::Violated);
        let trace = result.trace.as_ref().unwrap();
        let actions: Vec<&str> = trace.states.iter().map(|s| s.action.as_str()).collect();
        assert_eq!(actions, ["Initial state", "Toggle"]);
        assert_eq!(trace.loop_start, Some(0));
        assert_eq!(trace.loop_action.as_deref(), Some("Toggle"));
        assert_eq!(report.exit_code(), 13);
        let text = render_text(&report);
        assert!(
            text.contains("Error: Temporal property \"eventually done\" is violated."),
            "{text}"
        );
        assert!(
            text.contains("State 3: Back to state 1: <Toggle>"),
            "{text}"
        );
        assert!(text.contains("(the cycle starts here)"), "{text}");
        let json = report.to_json();
        assert_eq!(json["properties"][0]["trace"]["loop"], 0);
    }
}

#[test]
fn a_safety_violation_takes_precedence_in_the_exit_code() {
    // The toggle model with an invariant that fails: 12, though liveness fails too.
    struct WithInvariant(Toggle);
    impl Model for WithInvariant {
        type State = ToggleState;
        type Action = ToggleStep;
        fn init_states(&self) -> Vec<ToggleState> {
            self.0.init_states()
        }
        fn actions(&self, state: &ToggleState, actions: &mut Vec<ToggleStep>) {
            self.0.actions(state, actions)
        }
        fn next_state(&self, state: &ToggleState, action: ToggleStep) -> Option<ToggleState> {
            self.0.next_state(state, action)
        }
    }
    impl Presentation for WithInvariant {
        fn variables(&self, state: &ToggleState) -> Vec<Variable> {
            self.0.variables(state)
        }
        fn describe_step(&self, a: &ToggleState, s: &ToggleStep, b: &ToggleState) -> String {
            self.0.describe_step(a, s, b)
        }
        fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
            vec![DescribedProperty::always(
                "bit stays clear",
                "the bit is never set",
                |_, state: &ToggleState| !state.bit,
            )]
        }
        fn liveness_properties(&self) -> Vec<LivenessProperty<Self>> {
            vec![LivenessProperty::leads_to(
                "eventually done",
                "every behaviour finishes",
                |_, _| true,
                |_, state: &ToggleState| state.done,
                |_, _, _| None,
            )]
        }
    }
    let model = WithInvariant(Toggle {
        finish_needs_clear_bit: true,
        fair: false,
    });
    let report = run(&model, &CheckOptions::default());
    assert_eq!(report.properties[0].verdict, Verdict::Violated);
    assert_eq!(report.properties[1].verdict, Verdict::Violated);
    assert_eq!(report.exit_code(), 12);
}

// ---------------------------------------------------------------------------------------
// A behaviour that stops: from 0 the system finishes (1, the goal) or crashes (2), where
// no step is possible. TLC reads a behaviour that stops as stuttering for ever, fair to
// every process since none has a step, so the crash violates "eventually finished". With
// `wanders`, the crashed state has a step, but to a state past the model's boundary: that
// state is cut off, not an end, and the graph has no behaviour that stops.

#[derive(Clone)]
struct Crash {
    wanders: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CrashStep {
    Finish,
    Crash,
    Wander,
}

impl Model for Crash {
    type State = u8;
    type Action = CrashStep;

    fn init_states(&self) -> Vec<u8> {
        vec![0]
    }

    fn actions(&self, state: &u8, actions: &mut Vec<CrashStep>) {
        match state {
            0 => actions.extend([CrashStep::Finish, CrashStep::Crash]),
            2 if self.wanders => actions.push(CrashStep::Wander),
            _ => {}
        }
    }

    fn next_state(&self, state: &u8, action: CrashStep) -> Option<u8> {
        Some(match (state, action) {
            (0, CrashStep::Finish) => 1,
            (0, CrashStep::Crash) => 2,
            (2, CrashStep::Wander) => 3,
            _ => return None,
        })
    }

    fn within_boundary(&self, state: &u8) -> bool {
        *state != 3
    }
}

impl Presentation for Crash {
    fn variables(&self, state: &u8) -> Vec<Variable> {
        vec![("at".to_string(), Value::Int((*state).into()))]
    }

    fn describe_step(&self, _: &u8, action: &CrashStep, after: &u8) -> String {
        format!("{action:?} to {after}")
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        Vec::new()
    }

    fn liveness_properties(&self) -> Vec<LivenessProperty<Self>> {
        vec![LivenessProperty::leads_to(
            "eventually finished",
            "every fair behaviour finishes",
            |_, _| true,
            |_, state| *state == 1,
            |_, _, _| Some(0),
        )
        .with_explanation(|_, state| Some(format!("crashed at {state}")))]
    }
}

#[test]
fn a_behaviour_that_stops_short_of_the_goal_violates_leads_to_and_ends_stuttering() {
    for threads in [1, 2] {
        for symmetry in [false, true] {
            let report = run(
                &Crash { wanders: false },
                &CheckOptions {
                    threads,
                    symmetry,
                    ..CheckOptions::default()
                },
            );
            let result = &report.properties[0];
            assert_eq!(result.verdict, Verdict::Violated, "{report:?}");
            let trace = result.trace.as_ref().unwrap();
            let actions: Vec<&str> = trace.states.iter().map(|s| s.action.as_str()).collect();
            assert_eq!(actions, ["Initial state", "Crash to 2"]);
            assert_eq!(trace.loop_start, Some(1));
            assert_eq!(trace.loop_action.as_deref(), Some("Stuttering"));
            let note = result.note.as_deref().unwrap();
            assert!(
                note.starts_with(
                    "the behaviour stops at state 2, where no step is possible, without \
                     reaching the goal: it stutters there forever"
                ),
                "{note}"
            );
            assert!(note.contains("crashed at 2"), "{note}");
            assert_eq!(report.exit_code(), 13);
            let text = render_text(&report);
            assert!(
                text.contains("State 3: Back to state 2: <Stuttering>"),
                "{text}"
            );
        }
    }
}

#[test]
fn a_state_cut_off_by_the_boundary_is_not_a_behaviour_that_stops() {
    for symmetry in [false, true] {
        let report = run(
            &Crash { wanders: true },
            &CheckOptions {
                symmetry,
                ..CheckOptions::default()
            },
        );
        assert_eq!(report.properties[0].verdict, Verdict::Holds, "{report:?}");
    }
}
