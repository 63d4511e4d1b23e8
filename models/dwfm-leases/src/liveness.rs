//! The liveness properties: "every droplet is leased again".
//!
//! **Goal** (both properties): every droplet holds a lease.
//!
//! * **every droplet is leased again** — once DynamoDB is back, every fair behaviour
//!   reaches a state where every droplet holds a lease (`DynamoDB back ~> all leased`).
//!   Fairness is weak fairness per *process*:
//!   - **the DWFM host** ([`HOST_PROCESS`]): its work step. The step is urgent (the
//!     clock waits for it), so fairness adds little: the host cannot be left idle while
//!     it has something to do.
//!   - **the clock** ([`CLOCK_PROCESS`]): a tick. Time does not stop: a behaviour in
//!     which the host waits for work to finish and no tick ever comes is not fair.
//!   - **the operator** ([`OPERATOR_PROCESS`], only with `operator`): throttling and the
//!     restart. An operator who can act eventually does; without this, "never acts"
//!     would be fair and the option would change nothing.
//!   - DynamoDB's outage and the lease time-outs during it get no fairness: after the
//!     trigger they are over.
//! * **always recoverable** — from every reachable state, some sequence of steps *without
//!   an operator* reaches the goal (`AG EF all leased` over non-operator steps). No
//!   fairness: a violation is a state from which no schedule of the automation alone
//!   recovers, whatever happens next. Operator steps still lead to more reachable states
//!   (that must be recoverable), but never count as recovery.
//!
//! After the outage the model is almost deterministic (the host's step is urgent, the
//! clock ticks when the host has nothing to do), so both properties ask the same thing in
//! the default configuration, and their counterexamples are the collapse seen from two
//! sides: the cycle DWFM never leaves, and the first state from which it cannot be
//! avoided.

use dnsrace_core::LivenessProperty;

use crate::{DwfmModel, DwfmState, DynamoDb, Step};

/// One liveness property of the registry, for `list`, `check --property` and scenario
/// files.
pub struct LivenessSpec {
    /// The name people type and read.
    pub name: &'static str,
    /// One line saying what it means.
    pub description: &'static str,
    /// The property in the form the checker takes.
    pub property: fn() -> LivenessProperty<DwfmModel>,
}

/// The liveness registry, checked after the safety properties (with `--liveness`).
pub const LIVENESS_PROPERTIES: &[LivenessSpec] = &[
    LivenessSpec {
        name: "every droplet is leased again",
        description: "once DynamoDB is back, every droplet eventually holds a lease (weak fairness for the host, the clock and the operator)",
        property: every_droplet_leased_again,
    },
    LivenessSpec {
        name: "always recoverable",
        description: "from every reachable state, steps without an operator can bring every droplet back to a lease",
        property: always_recoverable,
    },
];

/// Every liveness property, in registry order.
pub(crate) fn properties() -> Vec<LivenessProperty<DwfmModel>> {
    LIVENESS_PROPERTIES
        .iter()
        .map(|spec| (spec.property)())
        .collect()
}

fn every_droplet_leased_again() -> LivenessProperty<DwfmModel> {
    let spec = &LIVENESS_PROPERTIES[0];
    LivenessProperty::leads_to(
        spec.name,
        spec.description,
        dynamodb_back,
        all_leased,
        fair_process,
    )
    .with_explanation(why_not_leased)
}

fn always_recoverable() -> LivenessProperty<DwfmModel> {
    let spec = &LIVENESS_PROPERTIES[1];
    LivenessProperty::always_recoverable(spec.name, spec.description, all_leased, is_automation)
        .with_explanation(why_not_leased)
}

/// The goal: every droplet holds a lease.
pub fn all_leased(model: &DwfmModel, state: &DwfmState) -> bool {
    state.leased == model.config.droplets
}

/// The trigger: DynamoDB is reachable again after the outage.
pub fn dynamodb_back(_: &DwfmModel, state: &DwfmState) -> bool {
    state.dynamodb == DynamoDb::Back
}

/// Every step but the operator's counts as the automation's.
pub fn is_automation(_: &DwfmModel, _: &DwfmState, step: &Step) -> bool {
    !matches!(step, Step::Throttle | Step::Restart)
}

/// The DWFM host's process number, for weak fairness.
pub const HOST_PROCESS: usize = 0;
/// The clock's process number.
pub const CLOCK_PROCESS: usize = 1;
/// The operator's process number.
pub const OPERATOR_PROCESS: usize = 2;

/// Which process a step belongs to, for weak fairness (see the module documentation).
pub fn fair_process(_: &DwfmModel, _: &DwfmState, step: &Step) -> Option<usize> {
    match step {
        Step::Work => Some(HOST_PROCESS),
        Step::Tick => Some(CLOCK_PROCESS),
        Step::Throttle | Step::Restart => Some(OPERATOR_PROCESS),
        Step::OutageBegins | Step::LeaseExpires | Step::OutageEnds => None,
    }
}

/// Ages as words: "5", "2 and 0", "4, 2 and 0".
fn ages(ages: impl Iterator<Item = u8>) -> String {
    let words: Vec<String> = ages.map(|age| age.to_string()).collect();
    match words.as_slice() {
        [] => "none".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why the goal is out of reach in `state` (a stuck state, or the first state of a
/// lasso's cycle), in the incident's words.
pub fn why_not_leased(model: &DwfmModel, state: &DwfmState) -> Option<String> {
    let unleased = model.config.droplets - state.leased;
    if unleased == 0 {
        return None;
    }
    let timeout = model.attempt_timeout();
    match state.dynamodb {
        DynamoDb::Reachable => None,
        DynamoDb::Unreachable => Some(format!(
            "{unleased} of {} leases have timed out while DynamoDB is unreachable; once it is \
             back, DWFM queues an attempt for every one of them at once, and from then on \
             attempts finish after their time-out and are queued again, with nothing but an \
             operator to empty the queue",
            model.config.droplets
        )),
        DynamoDb::Back => Some(format!(
            "{unleased} droplets have no lease; the host works on attempts aged {} and the \
             queue holds attempts aged {}{} (time-out {timeout} ticks): each attempt \
             waits behind work that is already too late, finishes after its own time-out and \
             is queued again",
            ages(state.in_progress.iter().map(|a| a.age)),
            ages(state.queue.iter().map(|a| a.age)),
            match state.backing_off.len() {
                0 => String::new(),
                n => format!(", {n} more backing off"),
            },
        )),
    }
}
