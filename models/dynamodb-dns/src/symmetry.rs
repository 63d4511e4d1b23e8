//! Symmetry reduction: the Enactors are interchangeable.
//!
//! The three Enactors run the same code and start in the same state (\[PM\]: one per
//! Availability Zone, fully independent), so two system states that differ only by which
//! Enactor is called 1, 2 or 3 behave alike, and every property of this model gives them
//! the same verdict (no property names a particular Enactor). The checker can therefore
//! explore one state per class; [`representative`] picks it.
//!
//! The canonical member of a class orders the Enactors by a *full signature*: everything
//! the state says about that Enactor, with its own number left out: its phase, every
//! message in flight to or from it (with the other party), the endpoint locks and the
//! lease it holds, its timers and whether it crashed. Two Enactors with equal signatures
//! are in exactly the same situation, so which comes first does not matter, and sorting
//! gives every member of a class the same state. Only the Enactors are permuted, never
//! the Planner, the plan store or Route 53 (stateright's own `Representative` for actor
//! models sorts every actor, which would be wrong here).
//!
//! Renumbering must reach every place an Enactor's number appears: the order of
//! `actor_states`, the senders and receivers of messages, Route 53's lock and lease
//! holders. The matches below are exhaustive on purpose: a new message, phase or Route 53
//! field that carries an Enactor number does not compile until it is renumbered here.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use stateright::actor::{Envelope, Id, Network};

use crate::{
    ActorState, DnsModel, DnsMsg, DnsState, DnsTimer, EnactorNumber, EnactorPhase, Route53State,
    FIRST_ENACTOR,
};

/// Everything a state says about one Enactor, without its number. Sorting Enactors by it
/// gives the canonical order.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Signature {
    /// The phase, as a hash: `EnactorPhase` has no order of its own, and equal phases
    /// have equal hashes (two different phases with one hash would only cost reduction,
    /// never soundness: the result is still a member of the class).
    phase: u64,
    /// Messages in flight, each as (sent by the Enactor?, the other party, message), with
    /// repetitions, sorted.
    messages: Vec<(bool, usize, DnsMsg)>,
    /// The endpoints whose lock it holds, each with whether that lock has expired.
    locks: Vec<(usize, bool)>,
    /// Whether it holds the global lease.
    lease: bool,
    /// Whether its crash is still to come (crash fault).
    crash_armed: bool,
    /// Its armed timers, sorted.
    timers: Vec<DnsTimer>,
    /// Whether it crashed.
    crashed: bool,
}

fn phase_hash(phase: &EnactorPhase) -> u64 {
    let mut hasher = DefaultHasher::new();
    phase.hash(&mut hasher);
    hasher.finish()
}

fn signature(state: &DnsState, route53: &Route53State, enactor: usize) -> Signature {
    let number = EnactorNumber((enactor - FIRST_ENACTOR + 1) as u8);
    let ActorState::Enactor(phase) = &*state.actor_states[enactor] else {
        unreachable!("actor {enactor} is an Enactor");
    };
    let mut messages: Vec<(bool, usize, DnsMsg)> = state
        .network
        .iter_all()
        .filter_map(|envelope| {
            let (src, dst) = (usize::from(envelope.src), usize::from(envelope.dst));
            debug_assert!(
                src < FIRST_ENACTOR || dst < FIRST_ENACTOR,
                "Enactors never message each other: renumber the other party too"
            );
            if src == enactor {
                Some((true, dst, envelope.msg.clone()))
            } else if dst == enactor {
                Some((false, src, envelope.msg.clone()))
            } else {
                None
            }
        })
        .collect();
    messages.sort();
    let mut timers: Vec<DnsTimer> = state.timers_set[enactor].iter().cloned().collect();
    timers.sort();
    Signature {
        phase: phase_hash(phase),
        messages,
        locks: (0..route53.endpoints.len())
            .filter(|&endpoint| route53.endpoints[endpoint].lock == Some(number))
            .map(|endpoint| (endpoint, route53.endpoints[endpoint].lock_expired))
            .collect(),
        lease: route53.lease == Some(number),
        crash_armed: state.timers_set[crate::ROUTE53_INDEX]
            .iter()
            .any(|timer| *timer == DnsTimer::EnactorCrash(number)),
        timers,
        crashed: state.crashed[enactor],
    }
}

/// The canonical member of `state`'s class, or `None` if `state` is canonical already.
pub(crate) fn representative(model: &DnsModel, state: &DnsState) -> Option<DnsState> {
    let enactors = usize::from(model.config.enactors);
    if enactors < 2 {
        return None;
    }
    let route53 = model.route53(state);
    let mut order: Vec<(Signature, usize)> = (0..enactors)
        .map(|k| (signature(state, route53, FIRST_ENACTOR + k), k))
        .collect();
    order.sort();
    if order.iter().enumerate().all(|(new, (_, old))| new == *old) {
        return None;
    }
    // `new_number[old]`: the position (from 0) Enactor `old + 1` takes.
    let mut new_number = vec![0; enactors];
    for (new, (_, old)) in order.iter().enumerate() {
        new_number[*old] = new;
    }
    Some(renumber(state, &new_number))
}

/// `state` with Enactor `k + 1` renamed Enactor `new_number[k] + 1`, everywhere.
fn renumber(state: &DnsState, new_number: &[usize]) -> DnsState {
    let id = |id: Id| -> Id {
        let index = usize::from(id);
        match index.checked_sub(FIRST_ENACTOR) {
            Some(k) => Id::from(FIRST_ENACTOR + new_number[k]),
            None => id,
        }
    };
    let number = |number: EnactorNumber| -> EnactorNumber {
        EnactorNumber(new_number[usize::from(number.0) - 1] as u8 + 1)
    };
    let mut next = state.clone();
    for (old, actor) in state.actor_states.iter().enumerate() {
        let new = usize::from(id(Id::from(old)));
        next.actor_states[new] = match &**actor {
            ActorState::Planner { .. } | ActorState::PlanStore { .. } => Arc::clone(actor),
            ActorState::Route53(route53) => {
                Arc::new(ActorState::Route53(renumber_route53(route53, number)))
            }
            ActorState::Enactor(phase) => {
                let renumbered = renumber_phase(*phase, number);
                if renumbered == *phase {
                    Arc::clone(actor)
                } else {
                    Arc::new(ActorState::Enactor(renumbered))
                }
            }
        };
        next.timers_set[new] = if old == crate::ROUTE53_INDEX {
            // Route 53 keeps the crash timers, one per Enactor.
            let mut timers = stateright::actor::Timers::new();
            for timer in state.timers_set[old].iter() {
                timers.set(match timer {
                    DnsTimer::EnactorCrash(enactor) => DnsTimer::EnactorCrash(number(*enactor)),
                    other => other.clone(),
                });
            }
            timers
        } else {
            state.timers_set[old].clone()
        };
        next.random_choices[new] = state.random_choices[old].clone();
        next.crashed[new] = state.crashed[old];
        next.actor_storages[new] = state.actor_storages[old];
    }
    let envelopes = state.network.iter_all().map(|envelope| Envelope {
        src: id(envelope.src),
        dst: id(envelope.dst),
        msg: renumber_msg(envelope.msg.clone(), number),
    });
    next.network = match &state.network {
        Network::UnorderedNonDuplicating(_) => Network::new_unordered_nonduplicating(envelopes),
        Network::UnorderedDuplicating(..) => Network::new_unordered_duplicating(envelopes),
        Network::Ordered(_) => Network::new_ordered(envelopes),
    };
    next
}

/// Route 53 with its lock and lease holders renumbered.
fn renumber_route53(
    route53: &Route53State,
    number: impl Fn(EnactorNumber) -> EnactorNumber,
) -> Route53State {
    // Exhaustive on purpose: a new field that names an Enactor must be renumbered here.
    let Route53State {
        endpoints,
        deleted_plans,
        lease,
        last_applied,
        older_plan_overwrote_newer,
        active_plan_deleted,
    } = route53;
    Route53State {
        endpoints: endpoints
            .iter()
            .map(|records| {
                let mut records = records.clone();
                records.lock = records.lock.map(&number);
                records
            })
            .collect(),
        deleted_plans: *deleted_plans,
        lease: lease.map(&number),
        last_applied: *last_applied,
        older_plan_overwrote_newer: *older_plan_overwrote_newer,
        active_plan_deleted: *active_plan_deleted,
    }
}

/// An Enactor's phase with any Enactor number in it renumbered (none today).
fn renumber_phase(
    phase: EnactorPhase,
    _number: impl Fn(EnactorNumber) -> EnactorNumber,
) -> EnactorPhase {
    // Exhaustive on purpose: a phase that names an Enactor must be renumbered here.
    match phase {
        EnactorPhase::AcquiringLease
        | EnactorPhase::PickingUpPlan
        | EnactorPhase::CheckingFreshness { .. }
        | EnactorPhase::Locking { .. }
        | EnactorPhase::Applying { .. }
        | EnactorPhase::LeasingPlan { .. }
        | EnactorPhase::RecheckingUnderLock { .. }
        | EnactorPhase::RecordingApplied { .. }
        | EnactorPhase::GivingUp { .. }
        | EnactorPhase::ReadingActivePlans { .. }
        | EnactorPhase::CleaningUp { .. }
        | EnactorPhase::ReleasingLease => phase,
    }
}

/// A message with any Enactor number in it renumbered (none today: senders and receivers
/// are renumbered in the envelope).
fn renumber_msg(msg: DnsMsg, _number: impl Fn(EnactorNumber) -> EnactorNumber) -> DnsMsg {
    // Exhaustive on purpose: a message that names an Enactor must be renumbered here.
    match msg {
        DnsMsg::PublishPlan(_)
        | DnsMsg::PlanStored(_)
        | DnsMsg::GetLatestPlan
        | DnsMsg::LatestPlan(_)
        | DnsMsg::GetAppliedGeneration(_)
        | DnsMsg::AppliedGeneration(..)
        | DnsMsg::AcquireLock(_)
        | DnsMsg::LockGranted(_)
        | DnsMsg::LockBusy(_)
        | DnsMsg::ReleaseLock(_)
        | DnsMsg::LockReleased(_)
        | DnsMsg::ChangeBatch { .. }
        | DnsMsg::ChangeCommitted(_)
        | DnsMsg::ChangeRefused(..)
        | DnsMsg::GetActivePlans
        | DnsMsg::ActivePlans(_)
        | DnsMsg::DeletePlans(_)
        | DnsMsg::PlansDeleted
        | DnsMsg::AcquireLease
        | DnsMsg::LeaseGranted
        | DnsMsg::LeaseBusy
        | DnsMsg::ReleaseLease
        | DnsMsg::LeaseReleased
        | DnsMsg::RecordLastApplied(_)
        | DnsMsg::LastAppliedRecorded => msg,
    }
}
