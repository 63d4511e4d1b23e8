//! The liveness properties: "the automation could not repair it".
//!
//! \[PM\] says that once the active plan was deleted, the automation could not update the
//! endpoint any more and engineers had to repair it by hand. Safety properties say the
//! record went empty; these two say it *stayed* empty. Both are decided by the checker on
//! the whole explored state graph (see `dnsrace_core::LivenessProperty`).
//!
//! **Goal** (both properties): every endpoint's alias targets the newest plan in the plan
//! store, and that tree exists, so every endpoint resolves to the newest addresses.
//!
//! * **always recoverable** — from every reachable state, some sequence of *automation*
//!   steps reaches the goal. Automation steps are every step except the operator's manual
//!   repair (the [`DnsTimer::OperatorRepair`] timer) and the crash fault
//!   ([`DnsTimer::EnactorCrash`]: a crash is never a way to recover): message deliveries
//!   between the Planner, the plan store, Route 53 and the Enactors, and a lease or an
//!   endpoint lock expiring (expiry is the design's own way to free what a delayed holder
//!   keeps). No fairness is involved: this asks whether *some* schedule recovers, so a
//!   violation is a state from which no schedule of the automation can repair anything:
//!   the automation is stuck. With `operator_repair` the operator's steps still lead to more reachable
//!   states, but never count as recovery.
//! * **eventually converges** — once the Planner has stopped (it has published its last
//!   generation and the plan store has acknowledged it: the generation bound stands for
//!   a Planner that would go quiet), every fair behaviour reaches the goal. Fairness is
//!   weak fairness per *process*:
//!   - **Enactor i** is one process: every delivery *to* Enactor i (a reply), and every
//!     delivery *of* Enactor i's own requests to Route 53 or the plan store (Route 53
//!     serving that request is Enactor i's step: the request is Enactor i's call, blocked
//!     until answered). Each Enactor has one message in flight at a time, so weak fairness
//!     says: a message of Enactor i that stays deliverable is eventually delivered. An
//!     Enactor cannot be starved forever while it can still move, but it may be delayed
//!     as long as any finite schedule likes: the race itself stays possible.
//!   - **the operator** (only with `operator_repair`) is one more process: an operator
//!     who has been paged and can repair a broken endpoint eventually does. Without this,
//!     "never repairs" would be a fair behaviour and the option would change nothing.
//!   - The Planner, the plan store's acknowledgements, a lease or lock expiring and a
//!     crash get no fairness: the property only speaks of behaviours after the Planner
//!     has stopped, nothing needs to expire, and each Enactor crashes at most once.
//!
//! Both properties are symmetric in the Enactors, so symmetry reduction is sound for
//! "always recoverable"; the checker turns it off for "eventually converges", whose
//! fairness names individual Enactors.

use dnsrace_core::LivenessProperty;
use stateright::actor::ActorModelAction;

use crate::{
    enactor_number, endpoint_name, ActorState, DnsModel, DnsMsg, DnsState, DnsTimer, PLANNER_INDEX,
};

/// One liveness property of the registry, for `list`, `check --property` and scenario
/// files.
pub struct LivenessSpec {
    /// The name people type and read.
    pub name: &'static str,
    /// One line saying what it means.
    pub description: &'static str,
    /// The property in the form the checker takes.
    pub property: fn() -> LivenessProperty<DnsModel>,
}

/// The liveness registry, checked after the safety properties.
pub const LIVENESS_PROPERTIES: &[LivenessSpec] = &[
    LivenessSpec {
        name: "always recoverable",
        description: "from every reachable state, automation steps alone (no operator) can bring every endpoint to the newest plan",
        property: always_recoverable,
    },
    LivenessSpec {
        name: "eventually converges",
        description: "once the Planner has stopped, every endpoint eventually serves the newest plan (weak fairness per Enactor)",
        property: eventually_converges,
    },
];

/// The liveness registry entry named `name`.
pub fn liveness_spec(name: &str) -> Option<&'static LivenessSpec> {
    LIVENESS_PROPERTIES.iter().find(|spec| spec.name == name)
}

/// Every liveness property, in registry order.
pub(crate) fn properties() -> Vec<LivenessProperty<DnsModel>> {
    LIVENESS_PROPERTIES
        .iter()
        .map(|spec| (spec.property)())
        .collect()
}

fn always_recoverable() -> LivenessProperty<DnsModel> {
    let spec = &LIVENESS_PROPERTIES[0];
    LivenessProperty::always_recoverable(spec.name, spec.description, converged, is_automation)
        .with_explanation(why_stuck)
}

fn eventually_converges() -> LivenessProperty<DnsModel> {
    let spec = &LIVENESS_PROPERTIES[1];
    LivenessProperty::leads_to(
        spec.name,
        spec.description,
        planner_stopped,
        converged,
        fair_process,
    )
    .with_explanation(why_stuck)
}

/// The goal: every endpoint's alias targets the newest plan in the plan store, and its
/// tree exists.
pub fn converged(model: &DnsModel, state: &DnsState) -> bool {
    let newest = model.latest_plan(state);
    let route53 = model.route53(state);
    newest > 0
        && (0..model.config.endpoints).all(|endpoint| {
            route53.endpoints[usize::from(endpoint)].alias == Some(newest)
                && route53.resolves(endpoint)
        })
}

/// The trigger: the Planner has published its last generation and it is stored.
pub fn planner_stopped(model: &DnsModel, state: &DnsState) -> bool {
    match *state.actor_states[PLANNER_INDEX] {
        ActorState::Planner { published, stored } => {
            published == model.config.generations && stored == model.config.generations
        }
        ref other => unreachable!("actor 0 is the Planner, not {other:?}"),
    }
}

/// Every step but the operator's repair is the automation's.
pub fn is_automation(
    _model: &DnsModel,
    _state: &DnsState,
    action: &ActorModelAction<DnsMsg, DnsTimer, ()>,
) -> bool {
    match action {
        // An expiring lease or lock is the automation's own design (it frees what a
        // delayed or dead holder keeps); a crash is a fault, never a way to recover.
        ActorModelAction::Timeout(_, timer) => match timer {
            DnsTimer::OperatorRepair | DnsTimer::EnactorCrash(_) => false,
            DnsTimer::LeaseExpiry | DnsTimer::LockExpiry(_) => true,
        },
        ActorModelAction::Deliver { .. }
        | ActorModelAction::Drop(_)
        | ActorModelAction::Crash(_)
        | ActorModelAction::Recover(_)
        | ActorModelAction::SelectRandom { .. } => true,
    }
}

/// The process number of the operator for weak fairness; Enactor i is process i.
pub const OPERATOR_PROCESS: usize = 0;

/// Which process a step belongs to, for weak fairness (see the module documentation).
pub fn fair_process(
    _model: &DnsModel,
    _state: &DnsState,
    action: &ActorModelAction<DnsMsg, DnsTimer, ()>,
) -> Option<usize> {
    match action {
        ActorModelAction::Deliver { src, dst, .. } => enactor_number(*dst)
            .or_else(|| enactor_number(*src))
            .map(|number| usize::from(number.0)),
        ActorModelAction::Timeout(_, timer) => match timer {
            DnsTimer::OperatorRepair => Some(OPERATOR_PROCESS),
            DnsTimer::LeaseExpiry | DnsTimer::LockExpiry(_) | DnsTimer::EnactorCrash(_) => None,
        },
        ActorModelAction::Drop(_)
        | ActorModelAction::Crash(_)
        | ActorModelAction::Recover(_)
        | ActorModelAction::SelectRandom { .. } => None,
    }
}

/// Why the goal is out of reach in `state`, in the incident's words.
pub fn why_stuck(model: &DnsModel, state: &DnsState) -> Option<String> {
    let route53 = model.route53(state);
    let newest = model.latest_plan(state);
    let broken: Vec<String> = (0..model.config.endpoints)
        .filter_map(|endpoint| {
            let alias = route53.endpoints[usize::from(endpoint)].alias?;
            route53.deleted_plans.contains(alias).then(|| {
                format!(
                    "endpoint {}'s alias targets generation {alias}, whose tree was deleted",
                    endpoint_name(endpoint)
                )
            })
        })
        .collect();
    if !broken.is_empty() {
        return Some(format!(
            "{}: Route 53 refuses every change batch that would move it (the rollback record \
             cannot point at a deleted tree), and only an operator can restore a tree",
            broken.join("; ")
        ));
    }
    let behind: Vec<String> = (0..model.config.endpoints)
        .filter(|endpoint| route53.endpoints[usize::from(*endpoint)].alias != Some(newest))
        .map(|endpoint| {
            let serves = match route53.endpoints[usize::from(endpoint)].alias {
                Some(generation) => format!("generation {generation}"),
                None => "no plan".to_string(),
            };
            format!("endpoint {} serves {serves}", endpoint_name(endpoint))
        })
        .collect();
    (!behind.is_empty()).then(|| {
        format!(
            "{}, not the newest plan (generation {newest})",
            behind.join(", ")
        )
    })
}
