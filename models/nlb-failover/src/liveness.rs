//! The liveness properties: does healthy capacity come back, and stay?
//!
//! \[PM\] says the flapping and the fail-overs went on until engineers disabled automatic
//! fail-over at 9:36 AM. The safety properties say capacity was lost; these two say
//! whether the system gives it back by itself. Both are decided by the checker on the
//! whole explored state graph (see `dnsrace_core::LivenessProperty`).
//!
//! **Goal** (both properties): the state is *settled* ([`NlbModel::settled`]): every new
//! instance is launched and propagated, every target's last check passed and no result is
//! still delayed, and no AZ is failed over. A settled state has no step that takes a
//! target out of DNS (its checks would change nothing, the checker's load is 0 so it is
//! not degraded, and nothing is left to launch or propagate; only the operators' step,
//! which removes nothing, may remain), so reaching it means *staying* in service: the
//! test `a_settled_state_stays_settled` holds the model to that.
//!
//! * **healthy targets end up in service** (`backlog empty ~> settled`): once Network
//!   Manager's backlog is empty and every new instance has launched (every target is
//!   healthy and has its network state), every fair behaviour reaches a settled state, so
//!   every healthy, propagated target is eventually in service and stays there. Fairness
//!   is weak fairness per *process*:
//!   - **EC2's launches** and **Network Manager** are one process each: a launch or a
//!     propagation that stays possible eventually happens;
//!   - **the health checks of target t** (its check and the delivery of its delayed
//!     result) are one process per target: a target whose check would change something is
//!     eventually checked, and a delayed result is eventually applied;
//!   - **the NLB node of AZ z** (its fail-over and its fail-back) is one process per AZ;
//!   - **the operators** (only with `operator`): operators who can disable fail-over
//!     eventually do.
//!
//!   No fairness is assumed about *outcomes*: a check's result is fixed by the state
//!   (the target's network state, the checker's load), so a counterexample is never a
//!   scheduler that keeps choosing bad luck.
//! * **recoverable without operators** (`AG EF settled` over every step but the
//!   operators'): from every reachable state, some schedule of launches, propagation,
//!   health checks and fail-overs reaches a settled state. No fairness is involved; a
//!   violation is a state from which nothing but the operators can bring the capacity
//!   back: the fail-over keeps the checker degraded and the degraded checker keeps the
//!   AZ failed over.

use dnsrace_core::LivenessProperty;

use crate::{NlbModel, NlbState, Step, AZ_NAMES};

/// One liveness property of the registry, for `list`, `check --property` and scenario
/// files.
pub struct LivenessSpec {
    /// The name people type and read.
    pub name: &'static str,
    /// One line saying what it means.
    pub description: &'static str,
    /// The property in the form the checker takes.
    pub property: fn() -> LivenessProperty<NlbModel>,
}

/// The liveness registry, checked after the safety properties.
pub const LIVENESS_PROPERTIES: &[LivenessSpec] = &[
    LivenessSpec {
        name: "healthy targets end up in service",
        description: "once Network Manager's backlog is empty, every healthy, propagated target is eventually in DNS and stays there (weak fairness per process)",
        property: healthy_targets_end_up_in_service,
    },
    LivenessSpec {
        name: "recoverable without operators",
        description: "from every reachable state, launches, propagation, health checks and fail-overs alone (no operator) can bring every target back into DNS for good",
        property: recoverable_without_operators,
    },
];

/// Every liveness property, in registry order.
pub(crate) fn properties() -> Vec<LivenessProperty<NlbModel>> {
    LIVENESS_PROPERTIES
        .iter()
        .map(|spec| (spec.property)())
        .collect()
}

fn healthy_targets_end_up_in_service() -> LivenessProperty<NlbModel> {
    let spec = &LIVENESS_PROPERTIES[0];
    LivenessProperty::leads_to(
        spec.name,
        spec.description,
        backlog_empty,
        settled,
        fair_process,
    )
    .with_explanation(why_not_settled)
}

fn recoverable_without_operators() -> LivenessProperty<NlbModel> {
    let spec = &LIVENESS_PROPERTIES[1];
    LivenessProperty::always_recoverable(spec.name, spec.description, settled, is_automation)
        .with_explanation(why_not_settled)
}

/// The goal: see [`NlbModel::settled`].
pub fn settled(model: &NlbModel, state: &NlbState) -> bool {
    model.settled(state)
}

/// The trigger: every new instance has launched and Network Manager has propagated them
/// all.
pub fn backlog_empty(model: &NlbModel, state: &NlbState) -> bool {
    state.launched == model.config.new_targets && state.propagated == state.launched
}

/// Every step but the operators' is the system's own.
pub fn is_automation(_: &NlbModel, _: &NlbState, step: &Step) -> bool {
    !matches!(step, Step::DisableFailover)
}

/// The process number of EC2's launches.
pub const LAUNCHES: usize = 0;
/// The process number of Network Manager.
pub const NETWORK_MANAGER: usize = 1;
/// The process number of the operators.
pub const OPERATORS: usize = 2;

/// Which process a step belongs to, for weak fairness (see the module documentation):
/// after the three above, one per target (its checks), then one per AZ (its NLB node).
pub fn fair_process(model: &NlbModel, _: &NlbState, step: &Step) -> Option<usize> {
    let first_node = OPERATORS + 1 + model.targets.len();
    Some(match *step {
        Step::Launch => LAUNCHES,
        Step::Propagate => NETWORK_MANAGER,
        Step::DisableFailover => OPERATORS,
        Step::Check(t) | Step::Deliver(t) => OPERATORS + 1 + usize::from(t),
        Step::FailOver(z) | Step::StaysFailedOver(z) | Step::FailBack(z) => {
            first_node + usize::from(z)
        }
    })
}

/// Why `state` is not settled, in the incident's words.
pub fn why_not_settled(model: &NlbModel, state: &NlbState) -> Option<String> {
    let failed_over: Vec<&str> = state
        .failed_over
        .iter()
        .enumerate()
        .filter(|(_, &out)| out)
        .map(|(z, _)| AZ_NAMES[z])
        .collect();
    if !failed_over.is_empty() && model.degraded(state) {
        return Some(format!(
            "AZ {} is failed over, and the health checker holds {} failed (degraded at {}): \
             the degraded checker's node checks time out, so the fail-over that keeps it \
             degraded is never undone",
            failed_over.join(", AZ "),
            model.load(state),
            model.config.degrade_after
        ));
    }
    let out: Vec<String> = (0..model.targets.len())
        .filter(|&t| model.propagated(state, t) && !model.in_dns(state, t))
        .map(|t| model.name(t))
        .collect();
    (!out.is_empty()).then(|| {
        format!(
            "{} healthy and propagated but out of DNS",
            match out.len() {
                1 => format!("{} is", out[0]),
                _ => format!("{} are", out.join(", ")),
            }
        )
    })
}
