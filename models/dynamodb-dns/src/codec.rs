//! The compact encoding of a system state: 13 + 2 × endpoints + 8 × Enactors bytes (41 at
//! the outage's 3 Enactors and 2 endpoints, 61 at the largest configuration).
//!
//! It rests on what the actors do: the Planner waits for each plan to be stored before it
//! publishes the next, and an Enactor waits for the reply to each request, so at most one
//! message is in flight between the Planner and the plan store and at most one to or from
//! each Enactor; every timer is Route 53's; no actor stays crashed (a crash is followed by
//! the restart in the same step). [`DnsModel::encode`] panics on a state that breaks one
//! of these, and a test round-trips every reachable state of several configurations.
//!
//! # Layout
//!
//! | bytes | what |
//! |---|---|
//! | 0, 1 | the Planner's newest published and stored generations |
//! | 2 | the plan store's latest generation |
//! | 3–6 | the message between the Planner and the plan store (see below) |
//! | 7 + 2e, 8 + 2e | endpoint e's alias and rollback target (0: none, else generation + 1) |
//! | then 1 | which endpoints' locks have expired (bit e) |
//! | then 2 | the deleted plans (little-endian generation set) |
//! | then 1 | the last-applied record |
//! | then 1 | flags: older plan overwrote newer, active plan deleted, operator repair armed, lease expiry armed |
//! | then 1 | which endpoints' lock-expiry timers are armed (bit e) |
//! | then 8 × n | one record per Enactor, in Enactor order |
//!
//! An Enactor's record holds everything the state says about it: its phase (kind, plan,
//! endpoint or batch scope), its message in flight, and a byte of flags: the endpoints
//! whose lock it holds (bit e), the lease (bit 4), its crash timer (bit 5), crashed
//! (bit 6). Nothing outside the records names an Enactor, so sorting the records is the
//! symmetry reduction of [`crate::symmetry`] on the encoded form: two states are in one
//! class exactly when their sorted records agree.
//!
//! A message takes 4 bytes: its kind (0 for none), the other party's actor index with bit
//! 7 set if the record's owner sent it, and two bytes of payload.

use std::sync::Arc;

use dnsrace_core::{Records, StateCodec};
use stateright::actor::{Envelope, Id, Network, Timers};

use crate::{
    ActorState, BatchScope, DnsModel, DnsMsg, DnsState, DnsTimer, EnactorNumber, EnactorPhase,
    EndpointRecords, GenerationSet, Refusal, Route53State, FIRST_ENACTOR, PLANNER_INDEX,
    PLAN_STORE_INDEX, ROUTE53_INDEX,
};

const PLANNER_MESSAGE: usize = 3;
const ENDPOINTS_AT: usize = 7;
const RECORD: usize = 8;
const SENT_BY_OWNER: u8 = 0x80;
const ALL_ENDPOINTS: u8 = 0x80;

const LEASE: u8 = 0x10;
const CRASH_ARMED: u8 = 0x20;
const CRASHED: u8 = 0x40;

const OLDER_OVERWROTE_NEWER: u8 = 0x01;
const ACTIVE_DELETED: u8 = 0x02;
const REPAIR_ARMED: u8 = 0x04;
const LEASE_EXPIRY_ARMED: u8 = 0x08;

/// Where the parts after the endpoints begin, for `endpoints` endpoints.
fn lock_expired_at(endpoints: usize) -> usize {
    ENDPOINTS_AT + 2 * endpoints
}

fn records_at(endpoints: usize) -> usize {
    lock_expired_at(endpoints) + 6
}

fn optional(generation: Option<u8>) -> u8 {
    generation.map_or(0, |g| g + 1)
}

fn from_optional(byte: u8) -> Option<u8> {
    byte.checked_sub(1)
}

fn scope_byte(scope: BatchScope) -> u8 {
    match scope {
        BatchScope::Endpoint(endpoint) => endpoint,
        BatchScope::AllEndpoints => ALL_ENDPOINTS,
    }
}

fn scope_of(byte: u8) -> BatchScope {
    if byte == ALL_ENDPOINTS {
        BatchScope::AllEndpoints
    } else {
        BatchScope::Endpoint(byte)
    }
}

fn refusal_byte(refusal: Refusal) -> u8 {
    match refusal {
        Refusal::PlanDeleted(g) => 0x10 | g,
        Refusal::RollbackTargetDeleted(g) => 0x20 | g,
        Refusal::NotNewer(g) => 0x30 | g,
        Refusal::LeaseLost => 0x40,
        Refusal::LockLost => 0x50,
    }
}

fn refusal_of(byte: u8) -> Refusal {
    let g = byte & 0x0f;
    match byte >> 4 {
        1 => Refusal::PlanDeleted(g),
        2 => Refusal::RollbackTargetDeleted(g),
        3 => Refusal::NotNewer(g),
        4 => Refusal::LeaseLost,
        5 => Refusal::LockLost,
        other => unreachable!("refusal kind {other} is not encoded"),
    }
}

fn set_bytes(set: GenerationSet) -> [u8; 2] {
    set.0.to_le_bytes()
}

/// A message as (kind, payload); kind 0 is "none".
fn message_bytes(msg: &DnsMsg) -> [u8; 3] {
    use DnsMsg as M;
    match *msg {
        M::PublishPlan(g) => [1, g, 0],
        M::PlanStored(g) => [2, g, 0],
        M::GetLatestPlan => [3, 0, 0],
        M::LatestPlan(g) => [4, g, 0],
        M::GetAppliedGeneration(e) => [5, e, 0],
        M::AppliedGeneration(e, g) => [6, e, g],
        M::AcquireLock(e) => [7, e, 0],
        M::LockGranted(e) => [8, e, 0],
        M::LockBusy(e) => [9, e, 0],
        M::ReleaseLock(e) => [10, e, 0],
        M::LockReleased(e) => [11, e, 0],
        M::ChangeBatch { scope, plan } => [12, scope_byte(scope), plan],
        M::ChangeCommitted(scope) => [13, scope_byte(scope), 0],
        M::ChangeRefused(scope, refusal) => [14, scope_byte(scope), refusal_byte(refusal)],
        M::GetActivePlans => [15, 0, 0],
        M::ActivePlans(set) => {
            let [low, high] = set_bytes(set);
            [16, low, high]
        }
        M::DeletePlans(set) => {
            let [low, high] = set_bytes(set);
            [17, low, high]
        }
        M::PlansDeleted => [18, 0, 0],
        M::AcquireLease => [19, 0, 0],
        M::LeaseGranted => [20, 0, 0],
        M::LeaseBusy => [21, 0, 0],
        M::ReleaseLease => [22, 0, 0],
        M::LeaseReleased => [23, 0, 0],
        M::RecordLastApplied(g) => [24, g, 0],
        M::LastAppliedRecorded => [25, 0, 0],
    }
}

fn message_of(kind: u8, a: u8, b: u8) -> DnsMsg {
    use DnsMsg as M;
    let set = || GenerationSet(u16::from_le_bytes([a, b]));
    match kind {
        1 => M::PublishPlan(a),
        2 => M::PlanStored(a),
        3 => M::GetLatestPlan,
        4 => M::LatestPlan(a),
        5 => M::GetAppliedGeneration(a),
        6 => M::AppliedGeneration(a, b),
        7 => M::AcquireLock(a),
        8 => M::LockGranted(a),
        9 => M::LockBusy(a),
        10 => M::ReleaseLock(a),
        11 => M::LockReleased(a),
        12 => M::ChangeBatch {
            scope: scope_of(a),
            plan: b,
        },
        13 => M::ChangeCommitted(scope_of(a)),
        14 => M::ChangeRefused(scope_of(a), refusal_of(b)),
        15 => M::GetActivePlans,
        16 => M::ActivePlans(set()),
        17 => M::DeletePlans(set()),
        18 => M::PlansDeleted,
        19 => M::AcquireLease,
        20 => M::LeaseGranted,
        21 => M::LeaseBusy,
        22 => M::ReleaseLease,
        23 => M::LeaseReleased,
        24 => M::RecordLastApplied(a),
        25 => M::LastAppliedRecorded,
        other => unreachable!("message kind {other} is not encoded"),
    }
}

/// An Enactor's phase as (kind, plan, endpoint or scope).
fn phase_bytes(phase: EnactorPhase) -> [u8; 3] {
    use EnactorPhase as P;
    match phase {
        P::AcquiringLease => [0, 0, 0],
        P::PickingUpPlan => [1, 0, 0],
        P::CheckingFreshness { plan, endpoint } => [2, plan, endpoint],
        P::Locking { plan, endpoint } => [3, plan, endpoint],
        P::Applying { plan, scope } => [4, plan, scope_byte(scope)],
        P::LeasingPlan { plan } => [5, plan, 0],
        P::RecheckingUnderLock { plan, endpoint } => [6, plan, endpoint],
        P::RecordingApplied { plan } => [7, plan, 0],
        P::GivingUp { plan, endpoint } => [8, plan, endpoint],
        P::ReadingActivePlans { plan } => [9, plan, 0],
        P::CleaningUp { plan } => [10, plan, 0],
        P::ReleasingLease => [11, 0, 0],
    }
}

fn phase_of([kind, plan, endpoint]: [u8; 3]) -> EnactorPhase {
    use EnactorPhase as P;
    match kind {
        0 => P::AcquiringLease,
        1 => P::PickingUpPlan,
        2 => P::CheckingFreshness { plan, endpoint },
        3 => P::Locking { plan, endpoint },
        4 => P::Applying {
            plan,
            scope: scope_of(endpoint),
        },
        5 => P::LeasingPlan { plan },
        6 => P::RecheckingUnderLock { plan, endpoint },
        7 => P::RecordingApplied { plan },
        8 => P::GivingUp { plan, endpoint },
        9 => P::ReadingActivePlans { plan },
        10 => P::CleaningUp { plan },
        11 => P::ReleasingLease,
        other => unreachable!("phase kind {other} is not encoded"),
    }
}

/// Writes `envelope` into the 4-byte message slot of `owner`, the Planner or an Enactor.
fn put_message(slot: &mut [u8], owner: usize, envelope: &Envelope<&DnsMsg>) {
    assert_eq!(
        slot[0], 0,
        "actor {owner} has two messages in flight: the codec keeps one (see its docs)"
    );
    let (src, dst) = (usize::from(envelope.src), usize::from(envelope.dst));
    let (direction, other) = if src == owner {
        (SENT_BY_OWNER, dst)
    } else {
        (0, src)
    };
    let [kind, a, b] = message_bytes(envelope.msg);
    slot.copy_from_slice(&[kind, direction | other as u8, a, b]);
}

fn message_in(slot: &[u8], owner: usize) -> Option<Envelope<DnsMsg>> {
    (slot[0] != 0).then(|| {
        let other = Id::from(usize::from(slot[1] & !SENT_BY_OWNER));
        let owner = Id::from(owner);
        let (src, dst) = if slot[1] & SENT_BY_OWNER != 0 {
            (owner, other)
        } else {
            (other, owner)
        };
        Envelope {
            src,
            dst,
            msg: message_of(slot[0], slot[2], slot[3]),
        }
    })
}

impl DnsModel {
    fn endpoint_count(&self) -> usize {
        usize::from(self.config.endpoints)
    }

    fn enactor_count(&self) -> usize {
        usize::from(self.config.enactors)
    }

    /// Writes the encoding of `state` into `out`.
    ///
    /// # Panics
    ///
    /// If `state` breaks an assumption the encoding rests on (see the module docs).
    pub fn encode(&self, state: &DnsState, out: &mut [u8]) {
        let endpoints = self.endpoint_count();
        let records = records_at(endpoints);
        out.fill(0);
        let ActorState::Planner { published, stored } = *state.actor_states[PLANNER_INDEX] else {
            unreachable!("actor 0 is the Planner");
        };
        out[0] = published;
        out[1] = stored;
        out[2] = self.latest_plan(state);
        let route53 = self.route53(state);
        for (e, endpoint) in route53.endpoints.iter().enumerate() {
            out[ENDPOINTS_AT + 2 * e] = optional(endpoint.alias);
            out[ENDPOINTS_AT + 2 * e + 1] = optional(endpoint.rollback);
            if endpoint.lock_expired {
                out[lock_expired_at(endpoints)] |= 1 << e;
            }
            if let Some(holder) = endpoint.lock {
                out[records + RECORD * (usize::from(holder.0) - 1) + 7] |= 1 << e;
            }
        }
        let after = lock_expired_at(endpoints);
        out[after + 1..after + 3].copy_from_slice(&set_bytes(route53.deleted_plans));
        out[after + 3] = route53.last_applied;
        let flags = &mut out[after + 4];
        if route53.older_plan_overwrote_newer {
            *flags |= OLDER_OVERWROTE_NEWER;
        }
        if route53.active_plan_deleted {
            *flags |= ACTIVE_DELETED;
        }
        if let Some(holder) = route53.lease {
            out[records + RECORD * (usize::from(holder.0) - 1) + 7] |= LEASE;
        }
        for (index, timers) in state.timers_set.iter().enumerate() {
            assert!(
                index == ROUTE53_INDEX || timers.iter().next().is_none(),
                "actor {index} holds a timer: the codec keeps Route 53's only"
            );
        }
        for timer in state.timers_set[ROUTE53_INDEX].iter() {
            match *timer {
                DnsTimer::OperatorRepair => out[after + 4] |= REPAIR_ARMED,
                DnsTimer::LeaseExpiry => out[after + 4] |= LEASE_EXPIRY_ARMED,
                DnsTimer::LockExpiry(e) => out[after + 5] |= 1 << e,
                DnsTimer::EnactorCrash(number) => {
                    out[records + RECORD * (usize::from(number.0) - 1) + 7] |= CRASH_ARMED;
                }
            }
        }
        for (index, &crashed) in state.crashed.iter().enumerate() {
            if crashed {
                assert!(index >= FIRST_ENACTOR, "actor {index} is crashed");
                out[records + RECORD * (index - FIRST_ENACTOR) + 7] |= CRASHED;
            }
        }
        for (k, actor) in state.actor_states[FIRST_ENACTOR..].iter().enumerate() {
            let ActorState::Enactor(phase) = **actor else {
                unreachable!("actor {} is an Enactor", FIRST_ENACTOR + k);
            };
            out[records + RECORD * k..records + RECORD * k + 3]
                .copy_from_slice(&phase_bytes(phase));
        }
        for envelope in state.network.iter_all() {
            let (src, dst) = (usize::from(envelope.src), usize::from(envelope.dst));
            let owner = if src >= FIRST_ENACTOR {
                src
            } else if dst >= FIRST_ENACTOR {
                dst
            } else {
                assert!(
                    src.max(dst) == PLAN_STORE_INDEX && src.min(dst) == PLANNER_INDEX,
                    "a message from actor {src} to actor {dst} is not encoded"
                );
                PLANNER_INDEX
            };
            let at = if owner == PLANNER_INDEX {
                PLANNER_MESSAGE
            } else {
                records + RECORD * (owner - FIRST_ENACTOR) + 3
            };
            put_message(&mut out[at..at + 4], owner, &envelope);
        }
    }

    /// The state `packed` encodes.
    pub fn decode(&self, packed: &[u8]) -> DnsState {
        let endpoints = self.endpoint_count();
        let enactors = self.enactor_count();
        let records = records_at(endpoints);
        let after = lock_expired_at(endpoints);
        let record = |k: usize| &packed[records + RECORD * k..records + RECORD * (k + 1)];
        let holder = |bit: u8| {
            (0..enactors)
                .find(|&k| record(k)[7] & bit != 0)
                .map(|k| EnactorNumber(k as u8 + 1))
        };
        let route53 = Route53State {
            endpoints: (0..endpoints)
                .map(|e| EndpointRecords {
                    alias: from_optional(packed[ENDPOINTS_AT + 2 * e]),
                    rollback: from_optional(packed[ENDPOINTS_AT + 2 * e + 1]),
                    lock: holder(1 << e),
                    lock_expired: packed[after] & (1 << e) != 0,
                })
                .collect(),
            deleted_plans: GenerationSet(u16::from_le_bytes([
                packed[after + 1],
                packed[after + 2],
            ])),
            lease: holder(LEASE),
            last_applied: packed[after + 3],
            older_plan_overwrote_newer: packed[after + 4] & OLDER_OVERWROTE_NEWER != 0,
            active_plan_deleted: packed[after + 4] & ACTIVE_DELETED != 0,
        };
        let mut route53_timers = Timers::new();
        if packed[after + 4] & REPAIR_ARMED != 0 {
            route53_timers.set(DnsTimer::OperatorRepair);
        }
        if packed[after + 4] & LEASE_EXPIRY_ARMED != 0 {
            route53_timers.set(DnsTimer::LeaseExpiry);
        }
        for e in 0..endpoints {
            if packed[after + 5] & (1 << e) != 0 {
                route53_timers.set(DnsTimer::LockExpiry(e as u8));
            }
        }
        let mut actor_states = Vec::with_capacity(FIRST_ENACTOR + enactors);
        actor_states.push(Arc::new(ActorState::Planner {
            published: packed[0],
            stored: packed[1],
        }));
        actor_states.push(Arc::new(ActorState::PlanStore { latest: packed[2] }));
        actor_states.push(Arc::new(ActorState::Route53(route53)));
        let mut crashed = vec![false; FIRST_ENACTOR + enactors];
        let mut envelopes = Vec::with_capacity(enactors + 1);
        envelopes.extend(message_in(
            &packed[PLANNER_MESSAGE..PLANNER_MESSAGE + 4],
            PLANNER_INDEX,
        ));
        for k in 0..enactors {
            let record = record(k);
            actor_states.push(Arc::new(ActorState::Enactor(phase_of([
                record[0], record[1], record[2],
            ]))));
            envelopes.extend(message_in(&record[3..7], FIRST_ENACTOR + k));
            if record[7] & CRASH_ARMED != 0 {
                route53_timers.set(DnsTimer::EnactorCrash(EnactorNumber(k as u8 + 1)));
            }
            crashed[FIRST_ENACTOR + k] = record[7] & CRASHED != 0;
        }
        let mut timers_set = vec![Timers::new(); FIRST_ENACTOR + enactors];
        timers_set[ROUTE53_INDEX] = route53_timers;
        DnsState {
            actor_states,
            network: Network::new_unordered_nonduplicating(envelopes),
            timers_set,
            random_choices: self.initial.random_choices.clone(),
            crashed,
            history: (),
            actor_storages: self.initial.actor_storages.clone(),
        }
    }
}

impl StateCodec<DnsState> for DnsModel {
    fn packed_len(&self) -> usize {
        records_at(self.endpoint_count()) + RECORD * self.enactor_count()
    }

    fn encode(&self, state: &DnsState, out: &mut [u8]) {
        DnsModel::encode(self, state, out)
    }

    fn decode(&self, packed: &[u8]) -> DnsState {
        DnsModel::decode(self, packed)
    }

    fn interchangeable_records(&self) -> Option<Records> {
        Some(Records {
            offset: records_at(self.endpoint_count()),
            width: RECORD,
            count: self.enactor_count(),
        })
    }
}
