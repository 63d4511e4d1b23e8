//! # EC2's DropletWorkflow Manager after the DynamoDB outage: leases and congestive collapse
//!
//! While DynamoDB's DNS record was empty (the `dynamodb-dns` model), EC2 lost something
//! that did not come back with DynamoDB. Every physical server that hosts EC2 instances (a
//! *droplet*) is managed under a *lease* held by the DropletWorkflow Manager (DWFM), and
//! keeping a lease alive takes a state check that reads DynamoDB. During the outage the
//! leases ran out; once DynamoDB was back, DWFM tried to re-establish all of them at once
//! and could not: every attempt took so long that it timed out, was queued again, and the
//! queue never drained. This is *congestive collapse*, and it took operators, not the
//! automation, to end it.
//!
//! This crate models DWFM's lease work so that the checker can find the collapse, show it
//! as a cycle DWFM never leaves, and test remediations against it. It reads top to bottom:
//! the story and its sources, the configuration, the state, the model, the properties
//! (with `presentation.rs`, `liveness.rs` and `definition.rs` beside it).
//!
//! ## Source
//!
//! - **\[PM\]** AWS, *Summary of the Amazon DynamoDB Service Disruption in the Northern
//!   Virginia (US-EAST-1) Region*, <https://aws.amazon.com/message/101925/>, the section
//!   on Amazon EC2. Cited below by what it supports, paraphrased (times PDT, 19–20
//!   October 2025).
//!
//! Where the summary does not say how something works, the choice is marked
//! **assumption**.
//!
//! ## What happened, and what the model takes from it
//!
//! | the model | stands for | source |
//! |---|---|---|
//! | [`DynamoDb`]: reachable, unreachable, reachable again | one outage window that the model opens and closes (the checker tries every moment for both) | \[PM\] from 11:48 PM DWFM's state checks failed because DynamoDB could not be reached; DynamoDB was reachable again at 2:25 AM |
//! | [`Step::LeaseExpires`], one droplet at a time, only during the outage | a lease running out because its state check failed | \[PM\] leases did not all go at once but timed out one after another during the outage. **Assumption**: the outage's length is not counted in ticks; what it leaves behind is how many leases ran out, and the checker tries every number from none to all |
//! | [`DwfmState::leased`], [`DwfmState::waiting`] | droplets with a lease, and droplets whose lease lapsed and whose attempt is not in the queue | \[PM\] DWFM holds a lease on each droplet it manages. **Assumption**: droplets are interchangeable, so they are *counted*, not named |
//! | one DWFM host | the DWFM hosts | \[PM\] a set of DWFM hosts per Availability Zone. **Assumption**: one host, with all the droplets, shows the collapse; the operators' selective restarts become a restart of that host |
//! | [`Step::OutageEnds`], then the host queues every lapsed lease at once | DWFM starting to re-establish leases across the fleet | \[PM\] at 2:25 AM DWFM began re-establishing leases with droplets across the whole EC2 fleet. **Assumption**: nothing is queued during the outage (no attempt could succeed then) |
//! | [`DwfmState::queue`] of [`Attempt`]s, at most [`DwfmConfig::slots`] (C) in progress, each needing [`DwfmConfig::work`] (W) ticks | DWFM's work queue and its capacity | \[PM\] lease work was queued. **Assumption**: C and W are not public; they are parameters |
//! | an attempt finishing more than [`DwfmConfig::timeout`] (T) ticks after it was queued fails | the lease establishment's time-out | \[PM\] with so many droplets, establishing a lease took long enough that the work could not finish before it timed out. **Assumption**: the time-out counts from the moment the attempt is queued (waiting and working), and the host only learns that an attempt timed out when its work is done: it never checks an attempt's age before or during the work |
//! | a timed-out attempt goes to the back of the queue at once, aged 0 | the retry | \[PM\] more work was queued to try establishing the lease again, and DWFM could make no progress: congestive collapse |
//! | the oldest attempt is worked on first | the queue's order | **assumption** (the summary does not say); [`Variant::NewestFirst`] asks what the other order does |
//! | established leases stay | renewal after the outage | **assumption**: the periodic state check of a droplet that holds a lease is cheap and succeeds once DynamoDB is back, so it takes no place in the queue |
//! | [`DwfmModel::launch`] | what a launch request gets | \[PM\] a droplet without a lease is not considered for new instances, so launches failed with "insufficient capacity"; later the request throttles made launches fail with "request limit exceeded". **Assumption**: launches are an observation of the state (what a request would get), not steps, and put no work on DWFM |
//! | [`Step::Throttle`], then [`Step::Restart`] (with [`DwfmConfig::operator`]) | the operators at 4:14 AM | \[PM\] there was no established recovery procedure; at 4:14 AM engineers throttled incoming work and began restarting DWFM hosts selectively, which emptied their queues and let leases be established; all droplets had leases by 5:28 AM, while many requests were still throttled. **Assumption**: the operator acts once each way, in that order, only after DynamoDB is back and while droplets lack a lease; the throttle lets a lapsed lease into the queue only while it holds fewer than [`DwfmConfig::queue_limit`] attempts, does not hold back DWFM's own retries, refuses launch requests, and stays on |
//!
//! A droplet leased by two DWFM hosts at once (an obvious safety property to ask for)
//! cannot happen in a model with one host: every lease is that host's. A model with
//! several hosts would need a hand-over of droplets between them, which the summary does
//! not describe.
//!
//! ## Time, and why the state space is finite
//!
//! stateright's timers are untimed (an armed timer may fire at any moment), so time here
//! is explicit: after the outage, [`Step::Tick`] moves a **relative clock** by one tick.
//! There is no absolute time in the state. Each attempt carries its *age* (ticks since it
//! was queued) and the *work* done on it; a tick adds one to both. Ages **saturate** one
//! past the establishment time-out, since the model only ever asks "older than the
//! time-out?" and every larger age behaves the same: the saturation is exact, not an
//! approximation. Work saturates at W, back-off countdowns and failure counts at their
//! caps, the queue holds at most one attempt per droplet, and the outage's length is not
//! counted at all. Every count is bounded, so the state space is finite: 192 states at the
//! default scale, 2,502 at the incident's (with an operator).
//!
//! The host's work step ([`Step::Work`]) is **urgent**: the clock does not tick while the
//! host has something to do (an attempt to finish, an attempt to start in a free slot, a
//! lapsed lease to queue). One work step does everything the host does at one instant, in
//! a fixed order: finish the attempts whose work is done, queue again those whose back-off
//! is over, admit lapsed leases and start attempts in free slots. **Assumption**: the
//! host never idles while it has work, and its bookkeeping takes no time; only the work
//! on an attempt does. So after the outage the
//! model is deterministic but for the operator; its nondeterminism is the outage (when it
//! opens and closes, how many leases run out) and the operator's timing.
//!
//! ## Variants
//!
//! [`Variant`] lists the versions of DWFM the checker compares (`dnsrace matrix --model
//! dwfm-leases`; `variants.toml` records its verdicts):
//!
//! - `as-built`: every lapsed lease queued at once, oldest first, retries queued at once;
//! - `queue-throttle`: every attempt, first or retry, enters the queue only while it holds
//!   fewer than `queue_limit` attempts. \[PM\] AWS announced throttling that limits
//!   incoming work by the size of the waiting queue, for EC2's data propagation.
//!   **Assumption**: the same rule applied to DWFM's own queue;
//! - `back-off`, `longer-timeout`, `newest-first`: a retry that first waits (W ticks,
//!   doubling after each failure up to T), an establishment time-out of 2T, and the newest
//!   attempt worked on first. None is in the summary (**assumption**: the usual candidate
//!   fixes for a retry storm).
//!
//! ## Properties
//!
//! Safety, each beside a reachability twin so that it cannot hold in a model where
//! nothing happens: "launches fail only while no droplet is leased" (twin: "no droplet is
//! leased"), "no droplet queued twice" (every droplet is leased or has exactly one
//! attempt: the queue never holds a droplet twice, and none is lost), "no work on a
//! timed-out attempt" (twins: "a lease expires", "a lease is re-established after the
//! outage"). Liveness (`--liveness`; see `liveness.rs` for the fairness): "every droplet is
//! leased again" and "always recoverable". docs/dwfm-leases.md walks through the verdicts
//! and the collapse's lasso.

use std::fmt::{self, Display, Formatter};

use dnsrace_core::Presentation;
use stateright::{Model, Property};

mod definition;
mod liveness;
mod presentation;

pub use definition::{DwfmLeases, PARAMETERS, SCENARIOS, VARIANT_EXPECTATIONS};
pub use liveness::{
    all_leased, dynamodb_back, fair_process, is_automation, why_not_leased, LivenessSpec,
    CLOCK_PROCESS, HOST_PROCESS, LIVENESS_PROPERTIES, OPERATOR_PROCESS,
};

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

/// Which version of DWFM's lease work to model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Variant {
    /// As built: every attempt is admitted to the queue at once, the oldest is worked on
    /// first, and an attempt that finishes after its time-out is queued again at once.
    #[default]
    AsBuilt,
    /// AWS's remediation: an attempt (first or again) enters the queue only while the
    /// queue holds fewer than `queue_limit` attempts; the others wait outside it.
    QueueThrottle,
    /// A timed-out attempt waits before it is queued again, twice as long after each
    /// failure, from one attempt's work up to the lease time-out.
    BackOff,
    /// An establishment may take twice the lease time-out before it fails.
    LongerTimeout,
    /// The host works on the newest attempt in its queue first, not the oldest.
    NewestFirst,
}

impl Variant {
    /// Every variant, in the order `matrix` lists them.
    pub const ALL: &'static [Variant] = &[
        Variant::AsBuilt,
        Variant::QueueThrottle,
        Variant::BackOff,
        Variant::LongerTimeout,
        Variant::NewestFirst,
    ];

    /// The name people type.
    pub const fn name(self) -> &'static str {
        match self {
            Variant::AsBuilt => "as-built",
            Variant::QueueThrottle => "queue-throttle",
            Variant::BackOff => "back-off",
            Variant::LongerTimeout => "longer-timeout",
            Variant::NewestFirst => "newest-first",
        }
    }

    /// One line saying what it is.
    pub const fn description(self) -> &'static str {
        match self {
            Variant::AsBuilt => {
                "unbounded re-queue: every attempt queued at once, oldest first, a timed-out attempt queued again at once"
            }
            Variant::QueueThrottle => {
                "admission throttled by queue size (AWS's remediation): an attempt enters the queue only while it holds fewer than queue_limit"
            }
            Variant::BackOff => {
                "a timed-out attempt backs off before it is queued again: one attempt's work, doubling up to the lease time-out"
            }
            Variant::LongerTimeout => "an establishment may take twice the lease time-out",
            Variant::NewestFirst => "the host works on the newest attempt first, not the oldest",
        }
    }
}

/// The parameters of one model. Times are in ticks of the model's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DwfmConfig {
    /// N: the droplets the DWFM host manages (default 12).
    pub droplets: u8,
    /// C: how many lease attempts the host works on at once (default 1).
    pub slots: u8,
    /// W: ticks of work one lease establishment takes (default 2).
    pub work: u8,
    /// T: the lease time-out, in ticks: an attempt that finishes more than T ticks after
    /// it was queued has failed (default 4).
    pub timeout: u8,
    /// The queue size at which admission is throttled (`queue-throttle`, and the
    /// operator's throttle; default 1).
    pub queue_limit: u8,
    /// Whether an operator may throttle incoming work and then restart the host (default
    /// off).
    pub operator: bool,
    /// Which version of DWFM.
    pub variant: Variant,
}

impl Default for DwfmConfig {
    fn default() -> Self {
        DwfmConfig {
            droplets: 12,
            slots: 1,
            work: 2,
            timeout: 4,
            queue_limit: 1,
            operator: false,
            variant: Variant::AsBuilt,
        }
    }
}

/// `n` and the singular or plural word.
fn counted(n: u8, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

impl DwfmConfig {
    /// The configuration without its variant, in words.
    pub fn scale(&self) -> String {
        format!(
            "{}, {}, {} of work per lease, lease time-out {}, queue limit {}, {}",
            counted(self.droplets, "droplet", "droplets"),
            counted(self.slots, "slot", "slots"),
            counted(self.work, "tick", "ticks"),
            counted(self.timeout, "tick", "ticks"),
            self.queue_limit,
            match self.operator {
                true => "operator",
                false => "no operator",
            }
        )
    }

    /// Which table of `variants.toml` holds this configuration's verdicts.
    pub fn expectation_context(&self) -> String {
        match self.operator {
            true => "operator".to_string(),
            false => "default".to_string(),
        }
    }

    /// The model of this configuration.
    pub fn into_model(self) -> DwfmModel {
        DwfmModel { config: self }
    }
}

impl Display for DwfmConfig {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}, variant {}", self.scale(), self.variant.name())
    }
}

// ---------------------------------------------------------------------------------------
// The state
// ---------------------------------------------------------------------------------------

/// DynamoDB as DWFM's state checks see it: one outage window that opens and closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DynamoDb {
    /// Before the outage.
    Reachable,
    /// The outage: every state check fails.
    Unreachable,
    /// After the outage.
    Back,
}

/// One lease attempt: a droplet's lease to establish, queued or in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Attempt {
    /// Ticks since the attempt was queued, waiting and working, saturating one past the
    /// establishment time-out (every larger age behaves the same).
    pub age: u8,
    /// Ticks of work done on it (0 while queued), at most W.
    pub work: u8,
    /// How many times this droplet's attempts have timed out (`back-off` only; 0
    /// otherwise), saturating where the back-off stops growing.
    pub failures: u8,
}

/// A timed-out attempt waiting out its back-off before it is queued again (`back-off`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BackingOff {
    /// Ticks left to wait.
    pub left: u8,
    /// The attempt's failures so far.
    pub failures: u8,
}

/// A reachable state: DynamoDB, the droplets counted by where their lease stands, and the
/// DWFM host's queue and work in progress. Droplets are interchangeable, so they are
/// counted, not named: every droplet is leased, waiting, or has exactly one attempt.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DwfmState {
    /// Whether state checks can reach DynamoDB.
    pub dynamodb: DynamoDb,
    /// Droplets holding a lease.
    pub leased: u8,
    /// Droplets whose lease lapsed and whose attempt is not queued yet (during the outage,
    /// or held back by a throttle).
    pub waiting: u8,
    /// The host's work queue, front (queued earliest) first.
    pub queue: Vec<Attempt>,
    /// The attempts the host is working on, at most C, sorted.
    pub in_progress: Vec<Attempt>,
    /// Timed-out attempts backing off (`back-off` only), sorted.
    pub backing_off: Vec<BackingOff>,
    /// The operator has throttled incoming work.
    pub throttled: bool,
    /// The operator has restarted the host.
    pub restarted: bool,
    /// History: some lease was established after DynamoDB came back.
    pub re_established: bool,
}

/// One step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// DynamoDB becomes unreachable.
    OutageBegins,
    /// One droplet's lease runs out while state checks fail.
    LeaseExpires,
    /// DynamoDB is reachable again.
    OutageEnds,
    /// The host's work step: everything it does at one instant (urgent: time does not
    /// pass while it has something to do).
    Work,
    /// One tick of the clock.
    Tick,
    /// The operator throttles incoming work.
    Throttle,
    /// The operator restarts the host, which empties its queue.
    Restart,
}

/// What one work step did, for its description.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkDone {
    /// Attempts finished in time: leases established.
    pub established: u8,
    /// Ages of the attempts that finished after their time-out.
    pub timed_out: Vec<u8>,
    /// Of those, how many were queued again at once.
    pub requeued: u8,
    /// Of those, how many went into back-off.
    pub backed_off: u8,
    /// Of those, how many wait outside the full queue.
    pub held_back: u8,
    /// Attempts whose back-off ended, queued again.
    pub back_from_backoff: u8,
    /// Waiting droplets admitted to the queue.
    pub admitted: u8,
    /// Ages of the attempts the host started working on.
    pub started: Vec<u8>,
}

/// What a launch request gets in a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Launch {
    /// Some droplet holds a lease and nothing refuses the request.
    Succeeds,
    /// No droplet holds a lease.
    InsufficientCapacity,
    /// The operator's throttle refuses it.
    RequestLimitExceeded,
}

// ---------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------

/// The model of one configuration.
#[derive(Clone, Debug)]
pub struct DwfmModel {
    /// The configuration it was built from.
    pub config: DwfmConfig,
}

impl DwfmModel {
    /// The establishment time-out: how old an attempt may be when it finishes.
    pub fn attempt_timeout(&self) -> u8 {
        match self.config.variant {
            Variant::LongerTimeout => self.config.timeout.saturating_mul(2),
            _ => self.config.timeout,
        }
    }

    /// The largest age kept: one past the establishment time-out.
    pub fn max_age(&self) -> u8 {
        self.attempt_timeout().saturating_add(1)
    }

    /// The back-off after `failures` earlier failures: W, 2W, 4W, … up to T.
    pub fn backoff(&self, failures: u8) -> u8 {
        let work = u32::from(self.config.work);
        let delay = work.checked_shl(u32::from(failures)).unwrap_or(u32::MAX);
        delay.min(u32::from(self.config.timeout)).max(1) as u8
    }

    /// The failure count beyond which the back-off no longer grows.
    pub fn max_failures(&self) -> u8 {
        let mut failures = 0;
        while self.backoff(failures) < self.config.timeout && failures < 8 {
            failures += 1;
        }
        failures
    }

    /// Whether admission to the queue is throttled in `state`.
    fn admission_throttled(&self, state: &DwfmState) -> bool {
        self.config.variant == Variant::QueueThrottle || state.throttled
    }

    /// Room in the queue under a throttle.
    fn room(&self, queue: &[Attempt]) -> u8 {
        self.config.queue_limit.saturating_sub(queue.len() as u8)
    }

    /// What a launch request gets in `state`.
    pub fn launch(&self, state: &DwfmState) -> Launch {
        if state.throttled {
            Launch::RequestLimitExceeded
        } else if state.leased == 0 {
            Launch::InsufficientCapacity
        } else {
            Launch::Succeeds
        }
    }

    /// Every attempt anywhere: queued, in progress or backing off.
    pub fn attempts(&self, state: &DwfmState) -> usize {
        state.queue.len() + state.in_progress.len() + state.backing_off.len()
    }

    /// The host's work step from `state`: the next state and what it did. It finishes
    /// the attempts whose work is done (a lease, or a time-out), queues back the attempts
    /// whose back-off ended, admits waiting droplets, and starts attempts in free slots.
    pub fn work_step(&self, state: &DwfmState) -> (DwfmState, WorkDone) {
        let mut next = state.clone();
        let mut done = WorkDone::default();
        if state.dynamodb != DynamoDb::Back {
            return (next, done);
        }
        let throttled = self.admission_throttled(state);
        // 1. Finish every attempt whose work is done.
        let (finished, working): (Vec<Attempt>, Vec<Attempt>) = next
            .in_progress
            .iter()
            .partition(|attempt| attempt.work >= self.config.work);
        next.in_progress = working;
        for attempt in finished {
            if attempt.age <= self.attempt_timeout() {
                next.leased += 1;
                next.re_established = true;
                done.established += 1;
                continue;
            }
            done.timed_out.push(attempt.age);
            match self.config.variant {
                Variant::BackOff => {
                    next.backing_off.push(BackingOff {
                        left: self.backoff(attempt.failures),
                        failures: (attempt.failures + 1).min(self.max_failures()),
                    });
                    done.backed_off += 1;
                }
                Variant::QueueThrottle if self.room(&next.queue) == 0 => {
                    next.waiting += 1;
                    done.held_back += 1;
                }
                _ => {
                    next.queue.push(Attempt {
                        age: 0,
                        work: 0,
                        failures: 0,
                    });
                    done.requeued += 1;
                }
            }
        }
        // 2. Queue back the attempts whose back-off is over.
        let (over, still): (Vec<BackingOff>, Vec<BackingOff>) =
            next.backing_off.iter().partition(|b| b.left == 0);
        next.backing_off = still;
        for backed in over {
            next.queue.push(Attempt {
                age: 0,
                work: 0,
                failures: backed.failures,
            });
            done.back_from_backoff += 1;
        }
        next.backing_off.sort_unstable();
        // 3. Admit waiting droplets (all of them, or as many as the throttle lets in) and
        // start attempts in free slots (the oldest, at the front, or the newest), until
        // neither is possible: starting an attempt makes room under a throttle.
        loop {
            let admitted = match throttled {
                true => next.waiting.min(self.room(&next.queue)),
                false => next.waiting,
            };
            next.waiting -= admitted;
            done.admitted += admitted;
            for _ in 0..admitted {
                next.queue.push(Attempt {
                    age: 0,
                    work: 0,
                    failures: 0,
                });
            }
            let mut started = false;
            while next.in_progress.len() < usize::from(self.config.slots) && !next.queue.is_empty()
            {
                let attempt = match self.config.variant {
                    Variant::NewestFirst => next.queue.pop().expect("not empty"),
                    _ => next.queue.remove(0),
                };
                done.started.push(attempt.age);
                next.in_progress.push(attempt);
                started = true;
            }
            if admitted == 0 && !started {
                break;
            }
        }
        next.in_progress.sort_unstable();
        (next, done)
    }

    /// One tick later: every attempt a tick older, every attempt in progress a tick of
    /// work further, every back-off a tick shorter.
    pub fn tick(&self, state: &DwfmState) -> DwfmState {
        let mut next = state.clone();
        let max_age = self.max_age();
        for attempt in &mut next.queue {
            attempt.age = (attempt.age + 1).min(max_age);
        }
        for attempt in &mut next.in_progress {
            attempt.age = (attempt.age + 1).min(max_age);
            attempt.work = (attempt.work + 1).min(self.config.work);
        }
        for backing in &mut next.backing_off {
            backing.left = backing.left.saturating_sub(1);
        }
        next.in_progress.sort_unstable();
        next.backing_off.sort_unstable();
        next
    }

    /// Whether the host's work step would change anything.
    pub fn host_has_work(&self, state: &DwfmState) -> bool {
        state.dynamodb == DynamoDb::Back && self.work_step(state).0 != *state
    }
}

impl Model for DwfmModel {
    type State = DwfmState;
    type Action = Step;

    fn init_states(&self) -> Vec<DwfmState> {
        vec![DwfmState {
            dynamodb: DynamoDb::Reachable,
            leased: self.config.droplets,
            waiting: 0,
            queue: Vec::new(),
            in_progress: Vec::new(),
            backing_off: Vec::new(),
            throttled: false,
            restarted: false,
            re_established: false,
        }]
    }

    fn actions(&self, state: &DwfmState, actions: &mut Vec<Step>) {
        match state.dynamodb {
            DynamoDb::Reachable => actions.push(Step::OutageBegins),
            DynamoDb::Unreachable => {
                if state.leased > 0 {
                    actions.push(Step::LeaseExpires);
                }
                actions.push(Step::OutageEnds);
            }
            DynamoDb::Back => {
                if self.host_has_work(state) {
                    actions.push(Step::Work);
                } else if self.attempts(state) > 0 {
                    actions.push(Step::Tick);
                }
                // The operator acts on a fleet that is missing leases: throttle first,
                // then restart a host that has attempts to drop.
                if self.config.operator {
                    if !state.throttled && state.leased < self.config.droplets {
                        actions.push(Step::Throttle);
                    } else if !state.restarted && self.attempts(state) > 0 {
                        actions.push(Step::Restart);
                    }
                }
            }
        }
    }

    fn next_state(&self, state: &DwfmState, step: Step) -> Option<DwfmState> {
        let mut next = state.clone();
        match step {
            Step::OutageBegins => next.dynamodb = DynamoDb::Unreachable,
            Step::LeaseExpires => {
                next.leased = state.leased.checked_sub(1)?;
                next.waiting += 1;
            }
            Step::OutageEnds => next.dynamodb = DynamoDb::Back,
            Step::Work => next = self.work_step(state).0,
            Step::Tick => next = self.tick(state),
            Step::Throttle => next.throttled = true,
            Step::Restart => {
                next.waiting += self.attempts(state) as u8;
                next.queue.clear();
                next.in_progress.clear();
                next.backing_off.clear();
                next.restarted = true;
            }
        }
        Some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        self.described_properties()
            .into_iter()
            .map(|p| p.property)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// Launches fail only while no droplet is leased.
pub fn launches_fail_only_without_leases(model: &DwfmModel, state: &DwfmState) -> bool {
    model.launch(state) == Launch::Succeeds || state.leased == 0
}

/// Every droplet is leased or has exactly one attempt.
pub fn each_droplet_once(model: &DwfmModel, state: &DwfmState) -> bool {
    usize::from(state.leased) + usize::from(state.waiting) + model.attempts(state)
        == usize::from(model.config.droplets)
}

/// No attempt in progress is older than the establishment time-out.
pub fn no_work_past_timeout(model: &DwfmModel, state: &DwfmState) -> bool {
    state
        .in_progress
        .iter()
        .all(|attempt| attempt.age <= model.attempt_timeout())
}

/// Some lease has run out.
pub fn a_lease_expires(model: &DwfmModel, state: &DwfmState) -> bool {
    state.leased < model.config.droplets
}

/// Some lease was established after the outage.
pub fn a_lease_is_re_established(_: &DwfmModel, state: &DwfmState) -> bool {
    state.re_established
}

/// No droplet holds a lease.
pub fn no_droplet_leased(_: &DwfmModel, state: &DwfmState) -> bool {
    state.leased == 0
}
