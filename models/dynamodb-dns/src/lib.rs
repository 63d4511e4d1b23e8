//! # The DynamoDB DNS race of 19–20 October 2025, as an actor model
//!
//! For about three hours the DNS name `dynamodb.us-east-1.amazonaws.com` resolved to no
//! address at all, and much of AWS's US-EAST-1 region went down with it. The record was
//! emptied by DynamoDB's own DNS automation: two of its workers raced, an old plan
//! overwrote a new one, and a clean-up deleted the plan that was in use. The automation
//! could not repair itself; operators fixed the record by hand.
//!
//! This crate models that automation so a checker can find the race, show it step by step
//! and test candidate fixes against it. It reads top to bottom: the story and its sources,
//! the types, the actors, the configuration, the properties.
//!
//! ## Sources
//!
//! - **\[PM\]** AWS, *Summary of the Amazon DynamoDB Service Disruption in the Northern
//!   Virginia (US-EAST-1) Region*, <https://aws.amazon.com/message/101925/>.
//!   Cited below by the paragraph that supports a choice, paraphrased.
//! - **\[TALK\]** AWS re:Invent 2025, talk DAT453: detail on the per-endpoint locks and the
//!   rollback records.
//!
//! Where neither source says how something works, the choice is marked **assumption**.
//! `docs/incident.md` has the same table for readers who do not read Rust.
//!
//! ## The actors
//!
//! | actor | stands for | source |
//! |---|---|---|
//! | [`Role::Planner`] | the DNS Planner: watches load-balancer health and keeps producing new plans, each with a higher generation | \[PM\] "DNS management system": the Planner periodically creates a new plan for each endpoint |
//! | [`Role::PlanStore`] | where plans wait for the Enactors; it hands out the *latest* plan | \[PM\] each Enactor picks up the latest plan; **assumption**: reads are atomic |
//! | [`Role::Route53`] | Route 53: per endpoint an alias record (the active plan's tree), a rollback record (the previous plan's tree) and a lock; the set of deleted plans | \[PM\] records per plan, deleting a plan removes its records; \[TALK\] the lock TXT record and the rollback record |
//! | [`Role::Enactor`] | a DNS Enactor, one per Availability Zone (three by default), fully independent of the others | \[PM\] three Enactors, one per AZ, that operate independently |
//!
//! Actors talk only by messages over an unordered network that never duplicates or loses
//! a message. Delay is delivery order: any message may wait while any other is delivered,
//! which is how one Enactor falls far behind another (\[PM\]: an Enactor was "unusually"
//! delayed while retrying endpoints).
//!
//! ## One Enactor's loop, step by step
//!
//! 1. **Pick up the latest plan** (`GetLatestPlan` → `LatestPlan`). Every Enactor reads
//!    whatever is newest at that moment; there is no queue handing plans out. \[PM\]
//! 2. **Check freshness once**: ask Route 53 what the first endpoint serves
//!    (`GetAppliedGeneration` → `AppliedGeneration`) and go on only if the plan is newer;
//!    otherwise drop it and go back to 1. \[PM\] the one-time check, made before the plan
//!    application starts, that the plan is newer than the previously applied one. The
//!    summary does not say what holds "the previously applied plan", so [`Freshness`]
//!    offers both readings: what the first endpoint's alias targets (the default, since
//!    every endpoint carries the same plan when the automation works), or a last-applied
//!    record that each Enactor writes, by a plain write, when it finishes its walk.
//! 3. **Walk the endpoints in order**, for each: take the endpoint's lock (`AcquireLock`;
//!    on `LockBusy`, back off and retry), then send one atomic change batch
//!    (`ChangeBatch`) that points the alias at the plan's tree, the rollback record at the
//!    tree the alias targeted before, and frees the lock. \[PM\] one endpoint at a time,
//!    retrying an endpoint blocked by another Enactor until it succeeds; \[TALK\] the lock is
//!    a TXT record rewritten by every change batch.
//! 4. **Clean up** (`DeletePlans`): delete every plan more than
//!    [`DnsConfig::cleanup_threshold`] generations older than the one just applied, without
//!    asking whether any record still uses it. \[PM\] the clean-up removes plans that are
//!    "significantly older"; **assumption**: the threshold is not public, so it is a
//!    parameter (default 2), and the whole clean-up is one Route 53 batch.
//!
//! Route 53 refuses, as a whole, a change batch that would point a record at a tree that
//! no longer exists: the plan's own tree, or (for the rollback record) the tree the alias
//! targets now. \[PM\] once the active plan was deleted, the inconsistent state stopped
//! every later plan update by any Enactor. **Assumption**: a refused batch writes nothing,
//! so the Enactor keeps the endpoint's lock and retries; only when its own plan is gone
//! does it give the plan up (`ReleaseLock`) and start over.
//!
//! ## Candidate fixes
//!
//! \[PM\] says AWS disabled the automation, fixed the race and added protections against
//! applying incorrect plans, but not how. [`Variant`] lists candidate fixes, in a naive
//! and a strong form where an idea has both: re-checking freshness before the lock or
//! under it, a conditional write, a clean-up that skips active plans, a guarded delete, a
//! global lease without fencing, fenced, taken after the pick-up, or fenced for the
//! batches only, the fix published with the Promela model, and a recommended
//! combination. Each is a set of [`Safeguards`] that switch on extra steps or extra
//! checks in the actors below. `dnsrace matrix` gives every variant its verdicts, and
//! `variants.toml` records the verdicts expected, per reading and fault.
//!
//! ## Faults and the operator
//!
//! Off by default: an endpoint lock may expire while its holder is delayed
//! ([`DnsConfig::lock_expiry`]; \[TALK\] the lock record has an expiry), and each Enactor
//! may crash once and restart ([`DnsConfig::enactor_crash`]). With
//! [`DnsConfig::operator_repair`] an operator may repair an emptied endpoint, by
//! pointing its alias at the newest plan or by restoring the deleted tree ([`Repair`]):
//! \[PM\] says only that engineers restored the record.
//!
//! ## The race this model finds
//!
//! Enactor 1 picks up generation 1 and passes its freshness check, then is delayed. The
//! Planner publishes generations 2, 3 and 4. Enactor 2 picks up generation 4 and applies
//! it to both endpoints. Enactor 1's long-delayed batch then lands on the regional
//! endpoint: generation 1 overwrites generation 4, because the freshness check was made
//! long ago. Enactor 2's clean-up deletes generation 1 (more than two generations older
//! than 4): the regional alias now targets a deleted tree, and the endpoint resolves to no
//! address. Every later batch for that endpoint tries to point its rollback record at the
//! deleted tree and is refused: the automation is stuck.
//!
//! ## What is left out
//!
//! Load-balancer health and weights (a plan is just its generation: \[PM\] a correct plan
//! never leaves an endpoint without addresses), DNS caching, and the EC2 and NLB cascade
//! that followed.
//!
//! ## The story as told
//!
//! The checker's shortest trace takes no step the race does not need. The scenario
//! `outage-story` writes the race down as \[PM\] and \[TALK\] tell it (lock retries, the
//! other Enactor finishing first, the stale overwrite, the clean-up, the stuck state), and
//! `dnsrace replay outage-story` confirms the model admits it step by step.

use std::borrow::Cow;
use std::fmt::{self, Display, Formatter};

use dnsrace_core::{DescribedProperty, Presentation, PropertyKind, Variable};
use stateright::actor::{
    model_timeout, Actor, ActorModel, ActorModelAction, ActorModelState, Id, Network, Out,
};
use stateright::{Model, Property};

mod codec;
mod config;
mod definition;
mod explorer_view;
mod liveness;
mod presentation;
mod symmetry;

pub use liveness::{
    converged, fair_process, is_automation, liveness_spec, planner_stopped, why_stuck,
    LivenessSpec, LIVENESS_PROPERTIES, OPERATOR_PROCESS,
};

pub use config::{DnsConfig, Freshness, GuardedDelete, Lease, Repair, Safeguards, Variant};
pub use definition::{DynamoDbDns, PARAMETERS, SCENARIOS, VARIANT_EXPECTATIONS};

// ---------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------

/// A plan's generation number. The Planner numbers plans 1, 2, 3, …; 0 means "no plan".
pub type Generation = u8;

/// The largest generation bound a configuration may ask for.
pub const MAX_GENERATIONS: Generation = 8;

/// An endpoint, by its position in the order the Enactors walk them.
pub type Endpoint = u8;

/// The endpoints one regional plan covers, in the order the Enactors walk them. The race
/// needs only the first; the others are what make an Enactor's walk long. \[PM\] the plan
/// covers the regional endpoint and others such as the FIPS and IPv6 ones.
pub const ENDPOINT_NAMES: [&str; 4] = ["regional", "fips", "ipv6", "account"];

/// The DNS name of each endpoint, for docs and output.
pub const ENDPOINT_DNS_NAMES: [&str; 4] = [
    "dynamodb.us-east-1.amazonaws.com",
    "dynamodb-fips.us-east-1.amazonaws.com",
    "dynamodb.us-east-1.api.aws",
    "<account-id>.ddb.us-east-1.amazonaws.com",
];

/// The name of an endpoint, e.g. "regional".
pub fn endpoint_name(endpoint: Endpoint) -> &'static str {
    ENDPOINT_NAMES[usize::from(endpoint)]
}

/// A set of generations, as a bit mask (bit g for generation g).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GenerationSet(u16);

impl GenerationSet {
    /// Whether `generation` is in the set.
    pub fn contains(self, generation: Generation) -> bool {
        self.0 & (1 << generation) != 0
    }

    /// Adds `generation`.
    pub fn insert(&mut self, generation: Generation) {
        self.0 |= 1 << generation;
    }

    /// Removes `generation`.
    pub fn remove(&mut self, generation: Generation) {
        self.0 &= !(1 << generation);
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The generations in the set, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = Generation> {
        (0..16).filter(move |generation| self.contains(*generation))
    }

    /// The generations in either set.
    pub fn union(self, other: GenerationSet) -> GenerationSet {
        GenerationSet(self.0 | other.0)
    }

    /// The generations in both sets.
    pub fn intersection(self, other: GenerationSet) -> GenerationSet {
        GenerationSet(self.0 & other.0)
    }

    /// The generations in `self` but not in `other`.
    pub fn minus(self, other: GenerationSet) -> GenerationSet {
        GenerationSet(self.0 & !other.0)
    }
}

impl FromIterator<Generation> for GenerationSet {
    fn from_iter<I: IntoIterator<Item = Generation>>(generations: I) -> Self {
        let mut set = GenerationSet::default();
        for generation in generations {
            set.insert(generation);
        }
        set
    }
}

/// Which Enactor, counted from 1 as people do ("Enactor 1").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnactorNumber(pub u8);

impl Display for EnactorNumber {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "Enactor {}", self.0)
    }
}

/// The Route 53 records of one endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EndpointRecords {
    /// The plan whose tree the top-level alias targets: what the endpoint resolves to.
    /// `None` until the first plan is applied.
    pub alias: Option<Generation>,
    /// The plan whose tree the rollback record targets: the previously active plan,
    /// written in the same batch as the alias. \[TALK\]
    pub rollback: Option<Generation>,
    /// Which Enactor holds the endpoint's lock (a TXT record in Route 53). \[TALK\]
    pub lock: Option<EnactorNumber>,
    /// Lock-expiry fault only: the lock's expiry has passed while its holder was delayed.
    /// Another Enactor may take it over; until one does, the record still names the
    /// holder, so the holder's batch still commits. \[TALK\] the lock record carries an
    /// expiry.
    pub lock_expired: bool,
}

/// Everything Route 53 holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route53State {
    /// The records of each endpoint, in walking order.
    pub endpoints: Vec<EndpointRecords>,
    /// Plans the clean-up has deleted, together with their trees of records.
    pub deleted_plans: GenerationSet,
    /// Lease variants only: which Enactor holds the global lease.
    pub lease: Option<EnactorNumber>,
    /// `last-applied-record` reading only: the generation the last Enactor to finish its
    /// walk recorded (0 for none). A plain write: it can go backwards.
    pub last_applied: Generation,
    /// History (ghost) variable: some change batch pointed an alias at an older plan than
    /// the one it targeted. Only properties read it.
    pub older_plan_overwrote_newer: bool,
    /// History (ghost) variable: some clean-up deleted a plan while an alias targeted it.
    pub active_plan_deleted: bool,
}

impl Route53State {
    /// Whether `endpoint` resolves to addresses: its alias targets a tree that exists.
    /// An endpoint that never received a plan does not resolve either, but it is not
    /// "emptied": see [`Route53State::is_emptied`].
    pub fn resolves(&self, endpoint: Endpoint) -> bool {
        matches!(self.endpoints[usize::from(endpoint)].alias,
            Some(generation) if !self.deleted_plans.contains(generation))
    }

    /// Whether `endpoint` has received a plan and now resolves to no address: the empty
    /// DNS record of the outage.
    pub fn is_emptied(&self, endpoint: Endpoint) -> bool {
        self.endpoints[usize::from(endpoint)].alias.is_some() && !self.resolves(endpoint)
    }

    /// The plans some alias targets.
    pub fn active_plans(&self) -> GenerationSet {
        self.endpoints.iter().filter_map(|r| r.alias).collect()
    }

    /// The plans some rollback record targets.
    pub fn rollback_targets(&self) -> GenerationSet {
        self.endpoints.iter().filter_map(|r| r.rollback).collect()
    }

    /// Why Route 53 would refuse a change batch from `sender` pointing `endpoints` at
    /// `plan`, or `None` if it commits. Refused batches write nothing.
    pub fn refusal(
        &self,
        sender: EnactorNumber,
        safeguards: Safeguards,
        endpoints: std::ops::Range<Endpoint>,
        plan: Generation,
    ) -> Option<Refusal> {
        let aliases = || {
            endpoints
                .clone()
                .filter_map(|e| self.endpoints[usize::from(e)].alias)
        };
        if safeguards.lease.fences_batches() && self.lease != Some(sender) {
            return Some(Refusal::LeaseLost);
        }
        // The batch rewrites the endpoint's lock record, so it aborts if the lock changed
        // hands. [TALK] (Without the lock-expiry fault the sender always holds it here.)
        if endpoints.len() == 1 {
            let records = &self.endpoints[usize::from(endpoints.start)];
            if records.lock != Some(sender) && !safeguards.atomic_apply {
                return Some(Refusal::LockLost);
            }
        }
        // A batch may not point a record at a tree that no longer exists. [PM]
        if self.deleted_plans.contains(plan) {
            return Some(Refusal::PlanDeleted(plan));
        }
        if safeguards.conditional_write {
            if let Some(active) = aliases().find(|active| *active >= plan) {
                return Some(Refusal::NotNewer(active));
            }
        }
        aliases()
            .find(|active| self.deleted_plans.contains(*active))
            .map(Refusal::RollbackTargetDeleted)
    }
}

/// Where an Enactor is in its loop. The message it waits for is in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnactorPhase {
    /// Lease variants only: waiting for the global lease before picking up a plan.
    AcquiringLease,
    /// Step 1: waiting for the plan store to hand over the latest plan.
    PickingUpPlan,
    /// Step 2: holds `plan`, waiting for Route 53 to say what `endpoint` serves (as built,
    /// only before the first endpoint).
    CheckingFreshness {
        /// The plan it picked up.
        plan: Generation,
        /// The endpoint it is about to update.
        endpoint: Endpoint,
    },
    /// Step 3: waiting for the lock on `endpoint` (or backing off after being refused).
    Locking {
        /// The plan being applied.
        plan: Generation,
        /// The endpoint it is at.
        endpoint: Endpoint,
    },
    /// Step 3: its change batch is on its way to Route 53.
    Applying {
        /// The plan being applied.
        plan: Generation,
        /// The endpoint it is at, or every endpoint at once (atomic apply).
        scope: BatchScope,
    },
    /// Lease-after-pick-up variant: `plan` passed its freshness check; waiting for the
    /// global lease before walking the endpoints.
    LeasingPlan {
        /// The plan it picked up.
        plan: Generation,
    },
    /// Re-check-under-lock variant: holds the lock on `endpoint` and waits for Route 53
    /// to say again what is applied, before sending the batch.
    RecheckingUnderLock {
        /// The plan being applied.
        plan: Generation,
        /// The endpoint whose lock it holds.
        endpoint: Endpoint,
    },
    /// `last-applied-record` reading: `plan` is applied to every endpoint; writing the
    /// last-applied record before the clean-up.
    RecordingApplied {
        /// The plan it just applied.
        plan: Generation,
    },
    /// It gave up its plan and is releasing the lock on `endpoint`.
    GivingUp {
        /// The plan it gave up.
        plan: Generation,
        /// The endpoint whose lock it holds.
        endpoint: Endpoint,
    },
    /// Step 4, clean-up-skips-active variant: `plan` is applied everywhere; reading which
    /// plans the aliases target.
    ReadingActivePlans {
        /// The plan it just applied.
        plan: Generation,
    },
    /// Step 4: `plan` is applied to every endpoint; the clean-up is running.
    CleaningUp {
        /// The plan it just applied.
        plan: Generation,
    },
    /// Lease variants only: releasing the global lease before starting over.
    ReleasingLease,
}

impl EnactorPhase {
    /// Whether the Enactor has applied its plan to every endpoint and is cleaning up.
    pub fn is_cleaning_up(self) -> bool {
        matches!(
            self,
            EnactorPhase::RecordingApplied { .. }
                | EnactorPhase::ReadingActivePlans { .. }
                | EnactorPhase::CleaningUp { .. }
        )
    }
}

/// The state of one actor.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ActorState {
    /// The Planner: the newest generation it published, and the newest the plan store
    /// acknowledged.
    Planner {
        /// Newest generation sent to the plan store.
        published: Generation,
        /// Newest generation the plan store acknowledged.
        stored: Generation,
    },
    /// The plan store: the latest plan it holds.
    PlanStore {
        /// The latest generation (0 before the first plan).
        latest: Generation,
    },
    /// Route 53.
    Route53(Route53State),
    /// An Enactor.
    Enactor(EnactorPhase),
}

/// Which endpoints one change batch writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BatchScope {
    /// One endpoint, as built.
    Endpoint(Endpoint),
    /// Every endpoint in one atomic batch (the Promela fix).
    AllEndpoints,
}

/// Why Route 53 refused a change batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Refusal {
    /// The plan being applied was deleted: its tree no longer exists.
    PlanDeleted(Generation),
    /// The alias targets a deleted tree, so the rollback record cannot point at it.
    RollbackTargetDeleted(Generation),
    /// Conditional write: the endpoint already serves this generation or a newer one.
    NotNewer(Generation),
    /// Fenced lease: the sender no longer holds the global lease.
    LeaseLost,
    /// Lock-expiry fault: the endpoint's lock expired and another Enactor took it over.
    LockLost,
}

impl Refusal {
    /// Whether the Enactor gives its plan up (rather than retrying the endpoint).
    /// \[PM\]: an Enactor retries an endpoint until it succeeds (a lock that changed
    /// hands is taken again); **assumption**: a plan that is gone, stale or no longer
    /// leased is given up instead.
    pub fn gives_plan_up(self) -> bool {
        !matches!(self, Refusal::RollbackTargetDeleted(_) | Refusal::LockLost)
    }
}

/// The messages actors send each other.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DnsMsg {
    /// Planner → plan store: a new plan.
    PublishPlan(Generation),
    /// Plan store → Planner: the plan is stored.
    PlanStored(Generation),
    /// Enactor → plan store: which plan is the latest?
    GetLatestPlan,
    /// Plan store → Enactor: the latest plan.
    LatestPlan(Generation),
    /// Enactor → Route 53: which generation does this endpoint serve? (freshness check)
    GetAppliedGeneration(Endpoint),
    /// Route 53 → Enactor: the generation the endpoint's alias targets (0 for none).
    AppliedGeneration(Endpoint, Generation),
    /// Enactor → Route 53: take the endpoint's lock.
    AcquireLock(Endpoint),
    /// Route 53 → Enactor: the lock is yours.
    LockGranted(Endpoint),
    /// Route 53 → Enactor: another Enactor holds the lock.
    LockBusy(Endpoint),
    /// Enactor → Route 53: give the endpoint's lock back (after giving a plan up).
    ReleaseLock(Endpoint),
    /// Route 53 → Enactor: the lock is free.
    LockReleased(Endpoint),
    /// Enactor → Route 53: one atomic change batch.
    ChangeBatch {
        /// Which endpoints it writes.
        scope: BatchScope,
        /// The plan to point the aliases at.
        plan: Generation,
    },
    /// Route 53 → Enactor: the batch is committed.
    ChangeCommitted(BatchScope),
    /// Route 53 → Enactor: the batch was refused as a whole.
    ChangeRefused(BatchScope, Refusal),
    /// Enactor → Route 53 (clean-up-skips-active): which plans do aliases target?
    GetActivePlans,
    /// Route 53 → Enactor: the plans the aliases target.
    ActivePlans(GenerationSet),
    /// Enactor → Route 53: the clean-up, deleting these plans and their trees.
    DeletePlans(GenerationSet),
    /// Route 53 → Enactor: the clean-up is done.
    PlansDeleted,
    /// Enactor → Route 53 (lease variants): take the global lease.
    AcquireLease,
    /// Route 53 → Enactor: the lease is yours.
    LeaseGranted,
    /// Route 53 → Enactor: another Enactor holds the lease.
    LeaseBusy,
    /// Enactor → Route 53: give the lease back.
    ReleaseLease,
    /// Route 53 → Enactor: the lease is released.
    LeaseReleased,
    /// Enactor → Route 53 (`last-applied-record` reading): record this plan as the last
    /// one applied.
    RecordLastApplied(Generation),
    /// Route 53 → Enactor: the record is written.
    LastAppliedRecorded,
}

/// Timers: things that can happen at any moment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DnsTimer {
    /// An operator may repair a broken endpoint by hand (only with
    /// [`DnsConfig::operator_repair`]).
    OperatorRepair,
    /// The global lease expires while its holder is delayed (lease variants only).
    LeaseExpiry,
    /// Lock-expiry fault: the lock on an endpoint expires while its holder is delayed.
    LockExpiry(Endpoint),
    /// Crash fault: this Enactor crashes and restarts at once, losing its plan and the one
    /// message it had in flight. Armed once per Enactor, so each crashes at most once.
    /// Kept with Route 53's timers, though Route 53 plays no part in it: every timer of
    /// the model lives in one actor's set (see `DnsModel::next_state`).
    EnactorCrash(EnactorNumber),
}

// ---------------------------------------------------------------------------------------
// The actors
// ---------------------------------------------------------------------------------------

/// The role an actor plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The DNS Planner.
    Planner,
    /// The plan store.
    PlanStore,
    /// Route 53.
    Route53,
    /// A DNS Enactor.
    Enactor,
}

// Actors sit at fixed positions: Planner, plan store, Route 53, then the Enactors.
const PLANNER_INDEX: usize = 0;
const PLAN_STORE_INDEX: usize = 1;
const ROUTE53_INDEX: usize = 2;
const FIRST_ENACTOR: usize = 3;

/// The Planner's actor id.
pub fn planner_id() -> Id {
    Id::from(PLANNER_INDEX)
}

/// The plan store's actor id.
pub fn plan_store_id() -> Id {
    Id::from(PLAN_STORE_INDEX)
}

/// Route 53's actor id.
pub fn route53_id() -> Id {
    Id::from(ROUTE53_INDEX)
}

/// The id of Enactor `number` (counted from 1).
pub fn enactor_id(number: EnactorNumber) -> Id {
    Id::from(FIRST_ENACTOR + usize::from(number.0) - 1)
}

/// The Enactor number of actor `id`, if it is an Enactor.
pub fn enactor_number(id: Id) -> Option<EnactorNumber> {
    let index = usize::from(id);
    (index >= FIRST_ENACTOR).then(|| EnactorNumber((index - FIRST_ENACTOR + 1) as u8))
}

/// One actor of the model: its role and the configuration every actor reads.
#[derive(Clone, Debug)]
pub struct DnsActor {
    /// What the actor does.
    pub role: Role,
    /// The scenario's parameters.
    pub config: DnsConfig,
}

impl Actor for DnsActor {
    type Msg = DnsMsg;
    type State = ActorState;
    type Timer = DnsTimer;
    type Random = ();
    type Storage = ();

    fn on_start(&self, id: Id, _storage: &Option<()>, o: &mut Out<Self>) -> ActorState {
        match self.role {
            Role::Planner => {
                // [PM] the Planner keeps producing plans; the generation bound keeps the
                // model finite.
                if self.config.generations >= 1 {
                    o.send(plan_store_id(), DnsMsg::PublishPlan(1));
                }
                ActorState::Planner {
                    published: self.config.generations.min(1),
                    stored: 0,
                }
            }
            Role::PlanStore => ActorState::PlanStore { latest: 0 },
            Role::Route53 => {
                if self.config.operator_repair {
                    o.set_timer(DnsTimer::OperatorRepair, model_timeout());
                }
                if self.safeguards().lease != Lease::None {
                    o.set_timer(DnsTimer::LeaseExpiry, model_timeout());
                }
                if self.config.lock_expiry {
                    for endpoint in 0..self.config.endpoints {
                        o.set_timer(DnsTimer::LockExpiry(endpoint), model_timeout());
                    }
                }
                if self.config.enactor_crash {
                    for number in 1..=self.config.enactors {
                        let timer = DnsTimer::EnactorCrash(EnactorNumber(number));
                        o.set_timer(timer, model_timeout());
                    }
                }
                ActorState::Route53(Route53State {
                    endpoints: vec![EndpointRecords::default(); self.config.endpoints.into()],
                    deleted_plans: GenerationSet::default(),
                    lease: None,
                    last_applied: 0,
                    older_plan_overwrote_newer: false,
                    active_plan_deleted: false,
                })
            }
            Role::Enactor => {
                debug_assert!(enactor_number(id).is_some());
                ActorState::Enactor(self.start_over(o))
            }
        }
    }

    fn on_msg(&self, id: Id, state: &mut Cow<ActorState>, src: Id, msg: DnsMsg, o: &mut Out<Self>) {
        match self.role {
            Role::Planner => self.planner_on_msg(state, msg, o),
            Role::PlanStore => self.plan_store_on_msg(state, src, msg, o),
            Role::Route53 => self.route53_on_msg(state, src, msg, o),
            Role::Enactor => self.enactor_on_msg(id, state, msg, o),
        }
    }

    fn on_timeout(
        &self,
        _id: Id,
        state: &mut Cow<ActorState>,
        timer: &DnsTimer,
        o: &mut Out<Self>,
    ) {
        let ActorState::Route53(route53) = &**state else {
            return;
        };
        // A timer stays armed; a firing that would change nothing is not a step.
        o.set_timer(timer.clone(), model_timeout());
        match timer {
            // Repointing an alias needs the plan store's newest plan, which Route 53 does
            // not know: `DnsModel::next_state` makes that repair.
            DnsTimer::OperatorRepair if self.config.repair == Repair::RepointAlias => {}
            DnsTimer::OperatorRepair => {
                let broken: Vec<Generation> = route53
                    .endpoints
                    .iter()
                    .filter_map(|records| records.alias)
                    .filter(|generation| route53.deleted_plans.contains(*generation))
                    .collect();
                if broken.is_empty() {
                    return;
                }
                // [PM] operators restored the DNS record by hand. This reading: they
                // restore the deleted tree the alias targets, after which the Enactors can
                // update the endpoint again.
                let route53 = route53_mut(state);
                for generation in broken {
                    route53.deleted_plans.remove(generation);
                }
            }
            DnsTimer::LeaseExpiry => {
                if route53.lease.is_some() {
                    route53_mut(state).lease = None;
                }
            }
            DnsTimer::LockExpiry(endpoint) => {
                let records = &route53.endpoints[usize::from(*endpoint)];
                if records.lock.is_some() && !records.lock_expired {
                    route53_mut(state).endpoints[usize::from(*endpoint)].lock_expired = true;
                }
            }
            // `DnsModel::next_state` crashes the Enactor; Route 53 never sees it.
            DnsTimer::EnactorCrash(_) => {}
        }
    }
}

impl DnsActor {
    fn safeguards(&self) -> Safeguards {
        self.config.variant.safeguards()
    }

    fn planner_on_msg(&self, state: &mut Cow<ActorState>, msg: DnsMsg, o: &mut Out<Self>) {
        let DnsMsg::PlanStored(stored) = msg else {
            return;
        };
        let ActorState::Planner { published, .. } = **state else {
            return;
        };
        let next = if stored < self.config.generations {
            o.send(plan_store_id(), DnsMsg::PublishPlan(stored + 1));
            stored + 1
        } else {
            published
        };
        *state.to_mut() = ActorState::Planner {
            published: next,
            stored,
        };
    }

    fn plan_store_on_msg(
        &self,
        state: &mut Cow<ActorState>,
        src: Id,
        msg: DnsMsg,
        o: &mut Out<Self>,
    ) {
        let ActorState::PlanStore { latest } = **state else {
            return;
        };
        match msg {
            DnsMsg::PublishPlan(generation) => {
                *state.to_mut() = ActorState::PlanStore {
                    latest: latest.max(generation),
                };
                o.send(src, DnsMsg::PlanStored(generation));
            }
            // Before the first plan exists there is nothing to hand out: the read waits.
            DnsMsg::GetLatestPlan if latest > 0 => o.send(src, DnsMsg::LatestPlan(latest)),
            _ => {}
        }
    }

    fn route53_on_msg(&self, state: &mut Cow<ActorState>, src: Id, msg: DnsMsg, o: &mut Out<Self>) {
        let ActorState::Route53(route53) = &**state else {
            return;
        };
        let Some(enactor) = enactor_number(src) else {
            return;
        };
        let safeguards = self.safeguards();
        match msg {
            DnsMsg::GetAppliedGeneration(endpoint) => {
                let applied = match self.config.freshness {
                    Freshness::EndpointAlias => {
                        route53.endpoints[usize::from(endpoint)].alias.unwrap_or(0)
                    }
                    Freshness::LastAppliedRecord => route53.last_applied,
                };
                o.send(src, DnsMsg::AppliedGeneration(endpoint, applied));
            }
            DnsMsg::AcquireLock(endpoint) => {
                let records = &route53.endpoints[usize::from(endpoint)];
                let holder = records.lock;
                if holder.is_some_and(|holder| holder != enactor) && !records.lock_expired {
                    o.send(src, DnsMsg::LockBusy(endpoint));
                    return;
                }
                o.send(src, DnsMsg::LockGranted(endpoint));
                // A free or expired lock is taken (an expired one over from its holder).
                if holder != Some(enactor) || records.lock_expired {
                    let records = &mut route53_mut(state).endpoints[usize::from(endpoint)];
                    records.lock = Some(enactor);
                    records.lock_expired = false;
                }
            }
            DnsMsg::ReleaseLock(endpoint) => {
                o.send(src, DnsMsg::LockReleased(endpoint));
                if route53.endpoints[usize::from(endpoint)].lock == Some(enactor) {
                    let records = &mut route53_mut(state).endpoints[usize::from(endpoint)];
                    records.lock = None;
                    records.lock_expired = false;
                }
            }
            DnsMsg::RecordLastApplied(plan) => {
                o.send(src, DnsMsg::LastAppliedRecorded);
                // Fenced variants: a write from an Enactor that lost the lease writes
                // nothing.
                if safeguards.lease.fences_batches() && route53.lease != Some(enactor) {
                    return;
                }
                if route53.last_applied != plan {
                    route53_mut(state).last_applied = plan;
                }
            }
            DnsMsg::ChangeBatch { scope, plan } => {
                let endpoints = match scope {
                    BatchScope::Endpoint(endpoint) => endpoint..endpoint + 1,
                    BatchScope::AllEndpoints => 0..self.config.endpoints,
                };
                if let Some(refusal) = route53.refusal(enactor, safeguards, endpoints.clone(), plan)
                {
                    // The batch fails as a whole: nothing is written, a lock stays held.
                    o.send(src, DnsMsg::ChangeRefused(scope, refusal));
                    return;
                }
                let route53 = route53_mut(state);
                for endpoint in endpoints {
                    let records = &mut route53.endpoints[usize::from(endpoint)];
                    if records.alias.is_some_and(|active| plan < active) {
                        route53.older_plan_overwrote_newer = true;
                    }
                    records.rollback = records.alias;
                    records.alias = Some(plan);
                    records.lock = None;
                    records.lock_expired = false;
                }
                o.send(src, DnsMsg::ChangeCommitted(scope));
            }
            DnsMsg::GetActivePlans => o.send(src, DnsMsg::ActivePlans(route53.active_plans())),
            DnsMsg::DeletePlans(plans) => {
                o.send(src, DnsMsg::PlansDeleted);
                // Fenced lease: a clean-up from an Enactor that lost the lease deletes
                // nothing.
                if safeguards.lease.fences_cleanup() && route53.lease != Some(enactor) {
                    return;
                }
                let active = route53.active_plans();
                let protected = match safeguards.guarded_delete {
                    GuardedDelete::Nothing => GenerationSet::default(),
                    GuardedDelete::AliasTargets => active,
                    GuardedDelete::AliasAndRollbackTargets => {
                        active.union(route53.rollback_targets())
                    }
                };
                let doomed = plans.minus(protected).minus(route53.deleted_plans);
                if doomed.is_empty() {
                    return;
                }
                let route53 = route53_mut(state);
                if !doomed.intersection(active).is_empty() {
                    route53.active_plan_deleted = true;
                }
                route53.deleted_plans = route53.deleted_plans.union(doomed);
            }
            DnsMsg::AcquireLease => match route53.lease {
                Some(holder) if holder != enactor => o.send(src, DnsMsg::LeaseBusy),
                holder => {
                    o.send(src, DnsMsg::LeaseGranted);
                    if holder.is_none() {
                        route53_mut(state).lease = Some(enactor);
                    }
                }
            },
            DnsMsg::ReleaseLease => {
                o.send(src, DnsMsg::LeaseReleased);
                if route53.lease == Some(enactor) {
                    route53_mut(state).lease = None;
                }
            }
            _ => {}
        }
    }

    /// Starts the loop over: take the lease (lease variants) or pick up the latest plan.
    fn start_over(&self, o: &mut Out<Self>) -> EnactorPhase {
        let safeguards = self.safeguards();
        if safeguards.lease == Lease::None || safeguards.lease_after_pickup {
            o.send(plan_store_id(), DnsMsg::GetLatestPlan);
            EnactorPhase::PickingUpPlan
        } else {
            o.send(route53_id(), DnsMsg::AcquireLease);
            EnactorPhase::AcquiringLease
        }
    }

    /// Ends one round of the loop: release the lease first if the Enactor holds one.
    /// `walking`: the round ends after the freshness check passed (a lease taken after
    /// the pick-up is held only from then on).
    fn finish_round(&self, walking: bool, o: &mut Out<Self>) -> EnactorPhase {
        let safeguards = self.safeguards();
        if safeguards.lease == Lease::None || (safeguards.lease_after_pickup && !walking) {
            self.start_over(o)
        } else {
            o.send(route53_id(), DnsMsg::ReleaseLease);
            EnactorPhase::ReleasingLease
        }
    }

    /// Goes on with `plan` at `endpoint`: check freshness first where the variant says
    /// so, then lock the endpoint (or send the one atomic batch).
    fn approach_endpoint(
        &self,
        plan: Generation,
        endpoint: Endpoint,
        o: &mut Out<Self>,
    ) -> EnactorPhase {
        let safeguards = self.safeguards();
        if endpoint == 0 || safeguards.recheck_freshness {
            o.send(route53_id(), DnsMsg::GetAppliedGeneration(endpoint));
            EnactorPhase::CheckingFreshness { plan, endpoint }
        } else {
            self.lock_endpoint(plan, endpoint, o)
        }
    }

    fn lock_endpoint(
        &self,
        plan: Generation,
        endpoint: Endpoint,
        o: &mut Out<Self>,
    ) -> EnactorPhase {
        if self.safeguards().atomic_apply {
            let scope = BatchScope::AllEndpoints;
            o.send(route53_id(), DnsMsg::ChangeBatch { scope, plan });
            EnactorPhase::Applying { plan, scope }
        } else {
            o.send(route53_id(), DnsMsg::AcquireLock(endpoint));
            EnactorPhase::Locking { plan, endpoint }
        }
    }

    /// After the last endpoint: write the last-applied record (under that reading of the
    /// freshness check), then clean up.
    fn finish_walk(&self, plan: Generation, o: &mut Out<Self>) -> EnactorPhase {
        match self.config.freshness {
            Freshness::EndpointAlias => self.clean_up(plan, o),
            Freshness::LastAppliedRecord => {
                o.send(route53_id(), DnsMsg::RecordLastApplied(plan));
                EnactorPhase::RecordingApplied { plan }
            }
        }
    }

    /// The clean-up, with or without reading active plans.
    fn clean_up(&self, plan: Generation, o: &mut Out<Self>) -> EnactorPhase {
        if self.safeguards().cleanup_reads_active_plans {
            o.send(route53_id(), DnsMsg::GetActivePlans);
            EnactorPhase::ReadingActivePlans { plan }
        } else {
            let doomed = self.config.plans_cleaned_up_after(plan);
            o.send(route53_id(), DnsMsg::DeletePlans(doomed));
            EnactorPhase::CleaningUp { plan }
        }
    }

    fn enactor_on_msg(&self, id: Id, state: &mut Cow<ActorState>, msg: DnsMsg, o: &mut Out<Self>) {
        use EnactorPhase as P;
        let ActorState::Enactor(phase) = **state else {
            return;
        };
        let next = match (phase, msg) {
            (P::AcquiringLease, DnsMsg::LeaseGranted) => {
                o.send(plan_store_id(), DnsMsg::GetLatestPlan);
                P::PickingUpPlan
            }
            (P::AcquiringLease, DnsMsg::LeaseBusy) => {
                o.send(route53_id(), DnsMsg::AcquireLease);
                phase
            }
            (P::PickingUpPlan, DnsMsg::LatestPlan(plan)) => self.approach_endpoint(plan, 0, o),
            (P::CheckingFreshness { plan, endpoint }, DnsMsg::AppliedGeneration(e, applied))
                if e == endpoint =>
            {
                if plan <= applied {
                    // [PM] a plan that is not newer is dropped.
                    self.finish_round(endpoint > 0, o)
                } else if endpoint == 0 && self.safeguards().lease_after_pickup {
                    o.send(route53_id(), DnsMsg::AcquireLease);
                    P::LeasingPlan { plan }
                } else {
                    self.lock_endpoint(plan, endpoint, o)
                }
            }
            (P::LeasingPlan { plan }, DnsMsg::LeaseGranted) => self.lock_endpoint(plan, 0, o),
            (P::LeasingPlan { .. }, DnsMsg::LeaseBusy) => {
                o.send(route53_id(), DnsMsg::AcquireLease);
                phase
            }
            (P::Locking { plan, endpoint }, DnsMsg::LockGranted(e)) if e == endpoint => {
                if self.safeguards().recheck_under_lock {
                    o.send(route53_id(), DnsMsg::GetAppliedGeneration(endpoint));
                    P::RecheckingUnderLock { plan, endpoint }
                } else {
                    let scope = BatchScope::Endpoint(endpoint);
                    o.send(route53_id(), DnsMsg::ChangeBatch { scope, plan });
                    P::Applying { plan, scope }
                }
            }
            (P::RecheckingUnderLock { plan, endpoint }, DnsMsg::AppliedGeneration(e, applied))
                if e == endpoint =>
            {
                if plan > applied {
                    let scope = BatchScope::Endpoint(endpoint);
                    o.send(route53_id(), DnsMsg::ChangeBatch { scope, plan });
                    P::Applying { plan, scope }
                } else {
                    o.send(route53_id(), DnsMsg::ReleaseLock(endpoint));
                    P::GivingUp { plan, endpoint }
                }
            }
            // Blocked by another Enactor: back off and retry the same endpoint. [PM]
            (P::Locking { endpoint, .. }, DnsMsg::LockBusy(e)) if e == endpoint => {
                o.send(route53_id(), DnsMsg::AcquireLock(endpoint));
                phase
            }
            (P::Applying { plan, scope }, DnsMsg::ChangeCommitted(done)) if done == scope => {
                match scope {
                    BatchScope::Endpoint(endpoint) if endpoint + 1 < self.config.endpoints => {
                        self.approach_endpoint(plan, endpoint + 1, o)
                    }
                    _ => self.finish_walk(plan, o),
                }
            }
            (P::Applying { plan, scope }, DnsMsg::ChangeRefused(refused, why))
                if refused == scope =>
            {
                match (scope, why.gives_plan_up()) {
                    (BatchScope::Endpoint(endpoint), true) => {
                        o.send(route53_id(), DnsMsg::ReleaseLock(endpoint));
                        P::GivingUp { plan, endpoint }
                    }
                    (BatchScope::AllEndpoints, true) => self.finish_round(true, o),
                    // Retry until it succeeds. [PM]
                    (BatchScope::Endpoint(endpoint), false) => {
                        self.lock_endpoint(plan, endpoint, o)
                    }
                    (BatchScope::AllEndpoints, false) => {
                        o.send(route53_id(), DnsMsg::ChangeBatch { scope, plan });
                        phase
                    }
                }
            }
            (P::GivingUp { endpoint, .. }, DnsMsg::LockReleased(e)) if e == endpoint => {
                self.finish_round(true, o)
            }
            (P::RecordingApplied { plan }, DnsMsg::LastAppliedRecorded) => self.clean_up(plan, o),
            (P::ReadingActivePlans { plan }, DnsMsg::ActivePlans(active)) => {
                let doomed = self.config.plans_cleaned_up_after(plan).minus(active);
                o.send(route53_id(), DnsMsg::DeletePlans(doomed));
                P::CleaningUp { plan }
            }
            (P::CleaningUp { .. }, DnsMsg::PlansDeleted) => self.finish_round(true, o),
            (P::ReleasingLease, DnsMsg::LeaseReleased) => self.start_over(o),
            _ => {
                debug_assert!(false, "{id:?} in {phase:?} cannot handle this message");
                return;
            }
        };
        if next != phase {
            *state.to_mut() = ActorState::Enactor(next);
        }
    }
}

fn route53_mut<'a>(state: &'a mut Cow<ActorState>) -> &'a mut Route53State {
    match state.to_mut() {
        ActorState::Route53(route53) => route53,
        _ => unreachable!("only Route 53 calls this"),
    }
}

// ---------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------

/// A reachable state of the whole system.
pub type DnsState = ActorModelState<DnsActor>;

/// The model of one scenario: the actors wired together, with the properties below.
///
/// It wraps stateright's [`ActorModel`] so that it can carry dnsrace's presentation (the
/// incident's vocabulary in traces) and the property descriptions.
#[derive(Clone)]
pub struct DnsModel {
    /// The configuration it was built from.
    pub config: DnsConfig,
    actors: ActorModel<DnsActor, DnsConfig>,
    /// The initial state, whose parts that never change the codec copies.
    initial: DnsState,
}

impl DnsConfig {
    /// Builds the model of this configuration.
    pub fn into_model(self) -> DnsModel {
        let config = self;
        let role_of = [Role::Planner, Role::PlanStore, Role::Route53];
        let actors = role_of
            .into_iter()
            .chain(std::iter::repeat_n(Role::Enactor, config.enactors.into()))
            .map(|role| DnsActor { role, config });
        let actors = ActorModel::new(config, ())
            .actors(actors)
            .init_network(Network::new_unordered_nonduplicating([]));
        let initial = actors.init_states().remove(0);
        DnsModel {
            config,
            actors,
            initial,
        }
    }
}

impl DnsModel {
    /// Route 53's state within a system state.
    pub fn route53<'a>(&self, state: &'a DnsState) -> &'a Route53State {
        match &*state.actor_states[ROUTE53_INDEX] {
            ActorState::Route53(route53) => route53,
            other => unreachable!("actor 2 is Route 53, not {other:?}"),
        }
    }

    /// The latest generation in the plan store.
    pub fn latest_plan(&self, state: &DnsState) -> Generation {
        match *state.actor_states[PLAN_STORE_INDEX] {
            ActorState::PlanStore { latest } => latest,
            ref other => unreachable!("actor 1 is the plan store, not {other:?}"),
        }
    }

    /// The operator's repair, `repoint-alias` reading: every alias that targets a deleted
    /// tree is pointed at the newest plan in the plan store (never deleted: the clean-up
    /// only deletes plans older than one already applied). The timer stays armed. `None`
    /// when nothing is broken.
    fn repoint_broken_aliases(&self, state: &DnsState) -> Option<DnsState> {
        let route53 = self.route53(state);
        let newest = self.latest_plan(state);
        let broken: Vec<usize> = (0..route53.endpoints.len())
            .filter(|&endpoint| route53.is_emptied(endpoint as Endpoint))
            .collect();
        if broken.is_empty() {
            return None;
        }
        let mut repaired = route53.clone();
        for endpoint in broken {
            // [PM] engineers restored the DNS record by hand.
            repaired.endpoints[endpoint].alias = Some(newest);
        }
        let mut next = state.clone();
        next.actor_states[ROUTE53_INDEX] = std::sync::Arc::new(ActorState::Route53(repaired));
        Some(next)
    }

    /// The crash fault: Enactor `number` crashes and restarts at once. The crash loses the
    /// one message it had in flight: its request, if Route 53 or the plan store had not
    /// served it yet, or the reply. **Assumption**: a request of the crashed process never
    /// lands after its restart (the call dies with the connection). Locks and the lease
    /// it held stay held, as records in Route 53 do. The timer is not armed again.
    fn crash_and_restart(&self, state: &DnsState, number: EnactorNumber) -> Option<DnsState> {
        let id = enactor_id(number);
        let lost: Vec<_> = state
            .network
            .iter_all()
            .filter(|envelope| envelope.src == id || envelope.dst == id)
            .map(|envelope| envelope.to_cloned_msg())
            .collect();
        let mut next = state.clone();
        for envelope in lost {
            next = self
                .actors
                .next_state(&next, ActorModelAction::Drop(envelope))?;
        }
        next = self.actors.next_state(&next, ActorModelAction::Crash(id))?;
        next = self
            .actors
            .next_state(&next, ActorModelAction::Recover(id))?;
        next.timers_set[ROUTE53_INDEX].cancel(&DnsTimer::EnactorCrash(number));
        Some(next)
    }

    /// The phase of every Enactor, Enactor 1 first.
    pub fn enactor_phases<'a>(
        &self,
        state: &'a DnsState,
    ) -> impl Iterator<Item = (EnactorNumber, EnactorPhase)> + 'a {
        state.actor_states[FIRST_ENACTOR..]
            .iter()
            .enumerate()
            .filter_map(|(index, actor)| match **actor {
                ActorState::Enactor(phase) => Some((EnactorNumber(index as u8 + 1), phase)),
                _ => None,
            })
    }
}

impl Model for DnsModel {
    type State = DnsState;
    type Action = ActorModelAction<DnsMsg, DnsTimer, ()>;

    fn init_states(&self) -> Vec<DnsState> {
        self.actors.init_states()
    }

    fn actions(&self, state: &DnsState, actions: &mut Vec<Self::Action>) {
        self.actors.actions(state, actions)
    }

    fn next_state(&self, state: &DnsState, action: Self::Action) -> Option<DnsState> {
        match action {
            ActorModelAction::Timeout(_, DnsTimer::EnactorCrash(number)) => {
                self.crash_and_restart(state, number)
            }
            ActorModelAction::Timeout(_, DnsTimer::OperatorRepair)
                if self.config.repair == Repair::RepointAlias =>
            {
                self.repoint_broken_aliases(state)
            }
            action => {
                let next = self.actors.next_state(state, action)?;
                // stateright hashes each actor's timer set without its length, so two
                // states whose timers differ only in *which* actor holds them would get
                // the same fingerprint and one would be lost. Every timer stays with
                // Route 53.
                debug_assert!(next
                    .timers_set
                    .iter()
                    .enumerate()
                    .all(
                        |(index, timers)| index == ROUTE53_INDEX || timers.iter().next().is_none()
                    ));
                Some(next)
            }
        }
    }

    fn format_action(&self, action: &Self::Action) -> String {
        explorer_view::format_action(self, action)
    }

    fn format_step(&self, last_state: &DnsState, action: Self::Action) -> Option<String> {
        explorer_view::format_step(self, last_state, action)
    }

    fn as_svg(&self, path: stateright::Path<DnsState, Self::Action>) -> Option<String> {
        explorer_view::as_svg(self, path)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        PROPERTIES
            .iter()
            .map(|p| p.to_property().property)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// One entry of the property registry: everything `list`, `check --property` and the
/// reports know about a property. Add a property by adding a function below and a line to
/// [`PROPERTIES`].
pub struct PropertySpec {
    /// The name people type and read.
    pub name: &'static str,
    /// One line saying what it means.
    pub description: &'static str,
    /// Always (safety) or sometimes (reachability, the vacuity guard).
    pub kind: PropertyKind,
    /// The condition on one state.
    pub condition: fn(&DnsModel, &DnsState) -> bool,
}

impl PropertySpec {
    /// The property in the form the checker takes.
    pub fn to_property(&self) -> DescribedProperty<DnsModel> {
        match self.kind {
            PropertyKind::Always => {
                DescribedProperty::always(self.name, self.description, self.condition)
            }
            _ => DescribedProperty::sometimes(self.name, self.description, self.condition),
        }
    }
}

/// The property registry. Each `always` has a `sometimes` twin that shows the behaviour
/// it constrains does happen, so no safety verdict passes in a model where nothing
/// happens.
pub const PROPERTIES: &[PropertySpec] = &[
    PropertySpec {
        name: "endpoint record never empty",
        description:
            "once an endpoint has received a plan, it always resolves to at least one address",
        kind: PropertyKind::Always,
        condition: endpoint_record_never_empty,
    },
    PropertySpec {
        name: "no older plan overwrites newer",
        description: "per endpoint, the generation the alias targets never goes down",
        kind: PropertyKind::Always,
        condition: no_older_plan_overwrites_newer,
    },
    PropertySpec {
        name: "active plan never deleted",
        description: "the clean-up never deletes a plan that an endpoint's alias targets",
        kind: PropertyKind::Always,
        condition: active_plan_never_deleted,
    },
    PropertySpec {
        name: "some enactor applies a plan to every endpoint",
        description: "an Enactor gets through every endpoint and starts its clean-up",
        kind: PropertyKind::Sometimes,
        condition: some_enactor_applies_a_plan_to_every_endpoint,
    },
    PropertySpec {
        name: "clean-up deletes a plan",
        description: "some clean-up deletes at least one old plan",
        kind: PropertyKind::Sometimes,
        condition: cleanup_deletes_a_plan,
    },
    PropertySpec {
        name: "every endpoint serves the newest plan",
        description:
            "every endpoint's alias targets the Planner's final generation, and it resolves",
        kind: PropertyKind::Sometimes,
        // Not the liveness goal (the newest plan so far): reached with generation 1 as the
        // newest plan, that would prove little.
        condition: every_endpoint_serves_the_final_plan,
    },
];

/// The registry entry named `name`.
pub fn property_spec(name: &str) -> Option<&'static PropertySpec> {
    PROPERTIES.iter().find(|spec| spec.name == name)
}

fn endpoint_record_never_empty(model: &DnsModel, state: &DnsState) -> bool {
    let route53 = model.route53(state);
    (0..model.config.endpoints).all(|endpoint| !route53.is_emptied(endpoint))
}

fn no_older_plan_overwrites_newer(model: &DnsModel, state: &DnsState) -> bool {
    !model.route53(state).older_plan_overwrote_newer
}

fn active_plan_never_deleted(model: &DnsModel, state: &DnsState) -> bool {
    !model.route53(state).active_plan_deleted
}

fn some_enactor_applies_a_plan_to_every_endpoint(model: &DnsModel, state: &DnsState) -> bool {
    model
        .enactor_phases(state)
        .any(|(_, phase)| phase.is_cleaning_up())
}

fn every_endpoint_serves_the_final_plan(model: &DnsModel, state: &DnsState) -> bool {
    let route53 = model.route53(state);
    (0..model.config.endpoints).all(|endpoint| {
        route53.endpoints[usize::from(endpoint)].alias == Some(model.config.generations)
            && route53.resolves(endpoint)
    })
}

fn cleanup_deletes_a_plan(model: &DnsModel, state: &DnsState) -> bool {
    !model.route53(state).deleted_plans.is_empty()
}

impl Presentation for DnsModel {
    fn variables(&self, state: &DnsState) -> Vec<Variable> {
        presentation::variables(self, state)
    }

    fn describe_step(&self, before: &DnsState, action: &Self::Action, after: &DnsState) -> String {
        presentation::describe_step(self, before, action, after)
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        PROPERTIES.iter().map(PropertySpec::to_property).collect()
    }

    fn participants(&self) -> Vec<String> {
        explorer_view::participants(self)
    }

    fn action_kind(&self, _state: &DnsState, action: &Self::Action) -> Cow<'static, str> {
        Cow::Borrowed(presentation::action_kind(action))
    }

    fn action_kinds(&self) -> Vec<Cow<'static, str>> {
        presentation::ACTION_KINDS
            .iter()
            .map(|&kind| Cow::Borrowed(kind))
            .collect()
    }

    fn message(
        &self,
        before: &DnsState,
        action: &Self::Action,
        after: &DnsState,
    ) -> Option<dnsrace_core::Message> {
        explorer_view::message(self, before, action, after)
    }

    fn liveness_properties(&self) -> Vec<dnsrace_core::LivenessProperty<Self>> {
        liveness::properties()
    }

    fn codec(&self) -> Option<&dyn dnsrace_core::StateCodec<DnsState>> {
        Some(self)
    }

    fn representative(&self, state: &DnsState) -> Option<DnsState> {
        symmetry::representative(self, state)
    }
}
