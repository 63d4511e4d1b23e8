//! # Network Manager's backlog and NLB's flapping health checks, 20 October 2025
//!
//! Once DynamoDB's DNS record was back and EC2 had its leases again, new instances could
//! launch in US-EAST-1, but their network configuration lagged far behind, and Network
//! Load Balancer's health checks turned that lag into lost capacity: targets without
//! network state failed their checks, passed once it arrived, and were taken out of DNS
//! and put back; the extra work degraded the health checker, its delayed checks failed
//! whole Availability Zones over, and multi-AZ load balancers lost capacity that was in
//! fact healthy, until engineers switched automatic fail-over off.
//!
//! This crate models that cascade so that a checker can find it, show it step by step
//! and test the remediation against it. It reads top to bottom: the story and its
//! sources, the configuration, the state, the steps, the properties.
//!
//! ## Sources
//!
//! - **\[PM\]** AWS, *Summary of the Amazon DynamoDB Service Disruption in the Northern
//!   Virginia (US-EAST-1) Region*, <https://aws.amazon.com/message/101925/>: its EC2
//!   section (Network Manager) and its Network Load Balancer section, cited below by what
//!   they say, paraphrased.
//!
//! Where the summary does not say how something works, the choice is marked
//! **assumption**. docs/nlb-failover.md tells the same story for readers who do not read
//! Rust.
//!
//! ## The parts
//!
//! | part | stands for | source |
//! |---|---|---|
//! | targets ([`TargetInfo`], [`Target`]) | EC2 instances behind one multi-AZ load balancer, `a1`, `a2`, … per Availability Zone: [`NlbConfig::targets_per_az`] established ones, and [`NlbConfig::new_targets`] new ones launched after the leases came back, placed in the AZs in turn | \[PM\] new instances launched once EC2 recovered; multi-AZ load balancers lost capacity. **Assumption**: the numbers, and the placement |
//! | EC2's launches ([`Step::Launch`]) | the new instances, launched one after another | \[PM\] launches resumed after 5:28 AM; **assumption**: a fixed launch order (the targets of an AZ are alike, so the order matters only across AZs) |
//! | Network Manager ([`Step::Propagate`]) | a backlog of network state to propagate, worked oldest first, one instance at a time | \[PM\] Network Manager had a large backlog of network state to propagate, and new instances had no connectivity until it did; **assumption**: first in, first out, one at a time |
//! | the health checker ([`Step::Check`], [`Step::Deliver`]) | checks each registered target; a check passes only through the target's network state | \[PM\] the checks failed because the new instances' network state had not fully propagated, although the instances were healthy. **Assumption**: nothing else makes a check fail, so every instance is healthy |
//! | its load and degradation ([`NlbModel::load`], [`NlbModel::degraded`]) | the targets and NLB nodes it holds as failed; at [`NlbConfig::degrade_after`] it degrades, and its results come late: a result observed now is applied later, when it may be stale | \[PM\] the alternating results raised the subsystem's load until it degraded and its checks were delayed. **Assumption**: load counts what is failed now (each is re-checked until it passes), one bounded degraded level, and a delay shows as a stale result |
//! | NLB ([`NlbModel::in_dns`]) | a target is in DNS while registered, its last check passed and its AZ is not failed over | \[PM\] the subsystem takes targets whose checks fail out of DNS and returns them when a check passes |
//! | AZ fail-over ([`Step::FailOver`], [`Step::StaysFailedOver`], [`Step::FailBack`]) | a degraded checker's check of an AZ's NLB node times out, and NLB fails that AZ over in DNS, removing all its targets; the AZ returns when its node's check passes | \[PM\] the delayed checks triggered automatic AZ DNS fail-over, which took capacity out of service. **Assumption**: the nodes are healthy, so only a time-out fails their check, and a degraded checker's node check always times out; no cross-zone load balancing (a failed-over AZ's targets get no traffic); DNS never fails over its last AZ (it would answer with every AZ rather than none) |
//! | the operators ([`Step::DisableFailover`], with [`NlbConfig::operator`]) | may disable automatic fail-over at any point: failed checks then remove nothing, and every registered target is in DNS | \[PM\] at 9:36 AM engineers disabled automatic health-check fail-over, which brought the healthy capacity back; **assumption**: with it off, targets whose checks fail stay in DNS too. Its re-enabling at 2:09 PM is not modelled |
//!
//! ## Time, and why the space is finite
//!
//! There is no clock. "Network Manager is slow" is that any other step may come before
//! its next one; "the checker is delayed" is that its result is applied by a later,
//! separate step ([`Step::Deliver`]). Every variable is bounded: two counters up to
//! [`NlbConfig::new_targets`] (launched, propagated: Network Manager's backlog is what
//! lies between them), per target a check result (healthy or unhealthy) and at most one
//! delayed result (none, healthy, unhealthy), per AZ a fail-over flag, and two switches
//! (automatic fail-over, and the history flag "a target flapped"). The checker's load is
//! computed from the state, not stored, and so is DNS. A check that would change nothing
//! is not a step (it leads back to the same state). So a configuration with `T` targets,
//! `N` of them new, and `Z` AZs has fewer than `(N + 1)² · 6^T · 2^Z · 4` states; the
//! largest allowed (3 AZs, 3 targets per AZ, 6 new) has 204,799 reachable ones as built.
//!
//! ## Variants
//!
//! [`Variant`]: `as-built`; `velocity-control`, \[PM\]'s remediation, a limit on the
//! capacity one NLB can remove when health-check failures cause AZ fail-over
//! (**assumption**: the rule is that a fail-over is made only if the targets fail-overs
//! then hold out of DNS, counting this one, are at most [`NlbConfig::velocity_limit`]);
//! `gated-health-checks`, a candidate fix not in \[PM\]: an instance is registered,
//! checked and put in service only once its network state is in place; and
//! `failover-disabled`, the operators' 9:36 AM action from the start. `dnsrace matrix
//! --model nlb-failover` gives each its verdicts, and `variants.toml` records them.
//!
//! ## Properties
//!
//! - **healthy capacity stays in service** (always): at least
//!   [`NlbConfig::healthy_share`] percent of the healthy, propagated targets are in DNS;
//! - **no traffic to a target without network state** (always): what \[PM\]'s connection
//!   errors were;
//! - **a failed check takes the target out of DNS** (always): what fail-over is for, and
//!   what taking it off costs;
//! - twins, so that none of these holds because nothing happens: **a health check
//!   fails**, **a target flaps**, **an AZ fails over**, **all capacity in service**;
//! - liveness ([`liveness`]): **healthy targets end up in service** (once the backlog is
//!   empty, every fair behaviour brings every target into DNS for good) and
//!   **recoverable without operators**.
//!
//! ## The cascade this model finds
//!
//! At the default scale (two AZs with two targets each, one new instance, a checker that
//! degrades at one failure): EC2 launches `a3` and NLB puts it in service without network
//! state; its check fails and NLB takes it out of DNS; that failure degrades the checker;
//! Network Manager propagates `a3`; the degraded checker's check of AZ a's NLB node times
//! out and NLB fails AZ a over, removing `a1` and `a2`, which were healthy. Two of the
//! five healthy targets are in DNS: 40 %. And the fail-over feeds itself: a failed-over
//! AZ is one more failure the checker holds, so it stays degraded, so the node's check
//! keeps timing out, so the AZ stays failed over. Only the operators' step breaks the
//! loop.

use std::fmt::{self, Display, Formatter};

use dnsrace_core::{DescribedProperty, LivenessProperty, Presentation, Value, Variable};
use stateright::{Model, Property};

mod definition;
pub mod liveness;

pub use definition::{NlbFailover, PARAMETERS, SCENARIOS, VARIANT_EXPECTATIONS};

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

/// Which version of NLB's health checks and fail-over to model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Variant {
    /// As built: a new instance is in service as soon as it is registered, and automatic
    /// AZ fail-over acts on every failed check of an AZ's NLB node.
    #[default]
    AsBuilt,
    /// AWS's remediation: an AZ fail-over is made only if the capacity fail-overs then
    /// hold out of DNS stays within [`NlbConfig::velocity_limit`] targets.
    VelocityControl,
    /// A target is registered, health-checked and put in service only once Network
    /// Manager has propagated its network state.
    GatedHealthChecks,
    /// Automatic health-check fail-over is off from the start (the operators' 9:36 AM
    /// action): failed checks take nothing out of DNS.
    FailoverDisabled,
}

impl Variant {
    /// Every variant, in the order `matrix` lists them.
    pub const ALL: &'static [Variant] = &[
        Variant::AsBuilt,
        Variant::VelocityControl,
        Variant::GatedHealthChecks,
        Variant::FailoverDisabled,
    ];

    /// The name people type (`--variant NAME`).
    pub const fn name(self) -> &'static str {
        match self {
            Variant::AsBuilt => "as-built",
            Variant::VelocityControl => "velocity-control",
            Variant::GatedHealthChecks => "gated-health-checks",
            Variant::FailoverDisabled => "failover-disabled",
        }
    }

    /// One line saying what it is.
    pub const fn description(self) -> &'static str {
        match self {
            Variant::AsBuilt => {
                "new instances go into service before their network state is propagated; automatic AZ fail-over"
            }
            Variant::VelocityControl => {
                "as built, but an AZ fail-over may hold at most `velocity_limit` targets out of DNS (AWS's remediation)"
            }
            Variant::GatedHealthChecks => {
                "an instance is health-checked and enters service only once its network state is in place"
            }
            Variant::FailoverDisabled => {
                "automatic health-check fail-over off (the operators' 9:36 AM action): failed checks remove nothing from DNS"
            }
        }
    }
}

/// The largest number of Availability Zones.
pub const MAX_AZS: u8 = 3;
/// The largest number of established targets per Availability Zone.
pub const MAX_TARGETS_PER_AZ: u8 = 3;
/// The largest number of new instances launched into Network Manager's backlog.
pub const MAX_NEW_TARGETS: u8 = 6;
/// The names of the Availability Zones, in order.
pub const AZ_NAMES: [&str; MAX_AZS as usize] = ["a", "b", "c"];

/// The parameters of one model. Every field is a [`PARAMETERS`] entry, with the range
/// given there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NlbConfig {
    /// Availability Zones the load balancer spans (2–3, default 2).
    pub azs: u8,
    /// Established targets per AZ: in service, network state in place (1–3, default 2).
    pub targets_per_az: u8,
    /// New instances EC2 launches into Network Manager's backlog, placed in the AZs in
    /// turn, AZ a first (1–6, default 1).
    pub new_targets: u8,
    /// How many targets and NLB nodes the health checker must hold as failed before it
    /// degrades (1–3, default 1).
    pub degrade_after: u8,
    /// "Healthy capacity stays in service" asks that at least this percentage of the
    /// healthy, propagated targets be in DNS (1–100, default 50).
    pub healthy_share: u8,
    /// `velocity-control` only: the most targets that AZ fail-overs may hold out of DNS
    /// at once (0–9, default 1).
    pub velocity_limit: u8,
    /// The operators may disable automatic fail-over at any point (9:36 AM), as one
    /// explicit step (default off).
    pub operator: bool,
    /// Which version of the system.
    pub variant: Variant,
}

impl Default for NlbConfig {
    fn default() -> Self {
        NlbConfig {
            azs: 2,
            targets_per_az: 2,
            new_targets: 1,
            degrade_after: 1,
            healthy_share: 50,
            velocity_limit: 1,
            operator: false,
            variant: Variant::AsBuilt,
        }
    }
}

impl Display for NlbConfig {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let plural = |n: u8, one: &str, many: &str| match n {
            1 => format!("1 {one}"),
            n => format!("{n} {many}"),
        };
        write!(
            f,
            "{}, {} per AZ, {}, degraded at {} failed, healthy share {}%, velocity limit {}, operator {}, variant {}",
            plural(self.azs, "AZ", "AZs"),
            plural(self.targets_per_az, "target", "targets"),
            plural(self.new_targets, "new target", "new targets"),
            self.degrade_after,
            self.healthy_share,
            self.velocity_limit,
            if self.operator { "on" } else { "off" },
            self.variant.name()
        )
    }
}

impl NlbConfig {
    /// The table of `variants.toml` that holds this configuration's verdicts: the
    /// mechanisms in play, joined by `+`.
    ///
    /// - `never-degraded`: fewer new targets than `degrade_after`, so the health checker
    ///   never degrades and nothing fails over; otherwise
    /// - `default`: the fail-overs alone can keep the checker degraded (`azs - 1 >=
    ///   degrade_after`: every AZ but one may fail over), or `recovers`: they cannot;
    /// - `+new-outnumber-established`: more new targets than established ones, so checks
    ///   that lag behind propagation alone can hold out more than half the healthy targets;
    /// - `+limit-covers-every-fail-over` / `+limit-covers-one-az`: the velocity limit lets
    ///   as many AZs fail over as as-built does, or one (of three); with neither, it lets
    ///   none (`velocity_limit < targets_per_az`);
    /// - `+operator`: the operators may disable fail-over;
    /// - `+healthy-share-N`: a share other than 50 %.
    ///
    /// The scale is part of it because it decides which mechanisms are in play;
    /// `variants.toml` says which combinations have a table and at which scales each was
    /// checked.
    pub fn expectation_context(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.new_targets < self.degrade_after {
            parts.push("never-degraded".into());
        } else {
            parts.push(match self.azs > self.degrade_after {
                true => "default".into(),
                false => "recovers".into(),
            });
            if self.new_targets > self.azs * self.targets_per_az {
                parts.push("new-outnumber-established".into());
            }
            let covered = (self.velocity_limit / self.targets_per_az).min(self.azs - 1);
            if covered == self.azs - 1 {
                parts.push("limit-covers-every-fail-over".into());
            } else if covered > 0 {
                parts.push("limit-covers-one-az".into());
            }
        }
        if self.operator {
            parts.push("operator".into());
        }
        if self.healthy_share != 50 {
            parts.push(format!("healthy-share-{}", self.healthy_share));
        }
        parts.join("+")
    }

    /// The model of this configuration.
    pub fn into_model(self) -> NlbModel {
        NlbModel::new(self)
    }
}

// ---------------------------------------------------------------------------------------
// The targets: where each one is, and whether it is new
// ---------------------------------------------------------------------------------------

/// One target of the load balancer, as the configuration places it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TargetInfo {
    /// Its Availability Zone (0: AZ a).
    pub az: u8,
    /// Its number within the AZ, from 1 (`a1`, `a2`, …).
    pub number: u8,
    /// For a new instance, its place in the launch order (and so in Network Manager's
    /// backlog); `None` for an established target.
    pub launch: Option<u8>,
}

impl TargetInfo {
    /// `a1`, `b3`.
    pub fn name(&self) -> String {
        format!("{}{}", AZ_NAMES[usize::from(self.az)], self.number)
    }
}

/// Every target, AZ by AZ: each AZ's established targets, then its new ones in launch
/// order. New instance `k` (from 0) goes to AZ `k mod azs`.
fn layout(config: &NlbConfig) -> Vec<TargetInfo> {
    let mut targets = Vec::new();
    for az in 0..config.azs {
        for number in 1..=config.targets_per_az {
            targets.push(TargetInfo {
                az,
                number,
                launch: None,
            });
        }
        let launches = (0..config.new_targets).filter(|k| k % config.azs == az);
        for (number, launch) in (config.targets_per_az + 1..).zip(launches) {
            targets.push(TargetInfo {
                az,
                number,
                launch: Some(launch),
            });
        }
    }
    targets
}

// ---------------------------------------------------------------------------------------
// The state
// ---------------------------------------------------------------------------------------

/// What a health check finds, and what the NLB records of a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Health {
    /// The check passed: the target answers through its network state.
    Healthy,
    /// The check failed.
    Unhealthy,
}

impl Health {
    fn word(self) -> &'static str {
        match self {
            Health::Healthy => "healthy",
            Health::Unhealthy => "unhealthy",
        }
    }
}

/// What the NLB holds for one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// The result of the last health check the NLB applied. A new target is registered
    /// `Healthy`: in service until a check says otherwise.
    pub record: Health,
    /// A degraded checker's result, observed but not yet applied: by the time it is, it
    /// may be stale.
    pub delayed: Option<Health>,
}

/// A reachable state of the whole system.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NlbState {
    /// How many new instances EC2 has launched (in launch order).
    pub launched: u8,
    /// How many of them Network Manager has propagated: it works its backlog oldest
    /// first, one instance at a time, so these are the first `propagated` launched.
    pub propagated: u8,
    /// Every target, in [`NlbModel::targets`] order.
    pub targets: Vec<Target>,
    /// Per AZ: whether NLB has failed it over in DNS.
    pub failed_over: Vec<bool>,
    /// Whether automatic health-check fail-over is on.
    pub automatic_failover: bool,
    /// History: a health check took a target out of DNS and a later one returned it.
    pub flapped: bool,
}

/// One step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// EC2 launches the next new instance.
    Launch,
    /// Network Manager propagates the network state of the oldest instance in its
    /// backlog.
    Propagate,
    /// The health checker checks target `t`: the result is applied at once, or, when the
    /// checker is degraded, later ([`Step::Deliver`]).
    Check(u8),
    /// NLB applies target `t`'s delayed check result.
    Deliver(u8),
    /// The health check of AZ `z`'s NLB node times out (the checker is degraded): NLB
    /// fails the AZ over in DNS.
    FailOver(u8),
    /// The health check of failed-over AZ `z`'s NLB node times out again (the checker is
    /// still degraded): the AZ stays failed over. Nothing changes, but the step is what
    /// the degraded checker keeps doing, so a behaviour stuck here goes on for ever.
    StaysFailedOver(u8),
    /// The health check of AZ `z`'s NLB node passes again: NLB returns the AZ to DNS.
    FailBack(u8),
    /// The operators disable automatic health-check fail-over.
    DisableFailover,
}

// ---------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------

/// The model of one configuration.
#[derive(Clone, Debug)]
pub struct NlbModel {
    /// The configuration it was built from.
    pub config: NlbConfig,
    /// Every target, AZ by AZ.
    pub targets: Vec<TargetInfo>,
}

impl NlbModel {
    /// The model of `config`.
    pub fn new(config: NlbConfig) -> Self {
        NlbModel {
            targets: layout(&config),
            config,
        }
    }

    /// The target launched `launch`-th (from 0), if there is one.
    pub fn launched_as(&self, launch: u8) -> Option<usize> {
        (0..self.targets.len()).find(|&t| self.targets[t].launch == Some(launch))
    }

    /// Target `t`'s name (`a1`).
    pub fn name(&self, t: usize) -> String {
        self.targets[t].name()
    }

    /// Whether target `t` exists yet: established, or launched.
    pub fn launched(&self, state: &NlbState, t: usize) -> bool {
        self.targets[t]
            .launch
            .is_none_or(|launch| launch < state.launched)
    }

    /// Whether target `t`'s network state is in place.
    pub fn propagated(&self, state: &NlbState, t: usize) -> bool {
        self.targets[t]
            .launch
            .is_none_or(|launch| launch < state.propagated)
    }

    /// Whether the NLB has target `t` registered (health-checks it and may route to it):
    /// once launched, or with gated health checks once its network state is in place.
    pub fn registered(&self, state: &NlbState, t: usize) -> bool {
        match self.config.variant {
            Variant::GatedHealthChecks => self.propagated(state, t),
            _ => self.launched(state, t),
        }
    }

    /// Whether DNS sends traffic to target `t`: registered, and (with automatic fail-over
    /// on) its last check passed and its AZ is not failed over.
    pub fn in_dns(&self, state: &NlbState, t: usize) -> bool {
        self.registered(state, t)
            && (!state.automatic_failover
                || (state.targets[t].record == Health::Healthy
                    && !state.failed_over[usize::from(self.targets[t].az)]))
    }

    /// The health checker's load: the targets and NLB nodes it holds as failed (each is
    /// checked again until it passes, and each change must reach DNS).
    pub fn load(&self, state: &NlbState) -> usize {
        let targets = (0..self.targets.len())
            .filter(|&t| self.registered(state, t) && state.targets[t].record == Health::Unhealthy)
            .count();
        targets + state.failed_over.iter().filter(|&&out| out).count()
    }

    /// Whether the health checker is degraded: its results come late, and an NLB node's
    /// check times out.
    pub fn degraded(&self, state: &NlbState) -> bool {
        self.load(state) >= usize::from(self.config.degrade_after)
    }

    /// What a health check of target `t` finds now: it passes only through the target's
    /// network state (every instance is otherwise healthy).
    pub fn observe(&self, state: &NlbState, t: usize) -> Health {
        match self.propagated(state, t) {
            true => Health::Healthy,
            false => Health::Unhealthy,
        }
    }

    /// The targets of AZ `z`.
    pub fn targets_of(&self, z: u8) -> impl Iterator<Item = usize> + '_ {
        (0..self.targets.len()).filter(move |&t| self.targets[t].az == z)
    }

    /// The targets AZ fail-overs would hold out of DNS if AZ `z` were failed over too:
    /// registered targets whose last check passed, in failed-over AZs.
    pub fn held_out_with(&self, state: &NlbState, z: u8) -> usize {
        (0..self.targets.len())
            .filter(|&t| {
                let az = self.targets[t].az;
                (az == z || state.failed_over[usize::from(az)])
                    && self.registered(state, t)
                    && state.targets[t].record == Health::Healthy
            })
            .count()
    }

    /// Whether NLB may fail AZ `z` over now: automatic fail-over is on, the checker is
    /// degraded (the node's check times out), the AZ is in DNS, another AZ stays in DNS,
    /// and with velocity control the fail-overs then hold at most the limit out.
    pub fn may_fail_over(&self, state: &NlbState, z: u8) -> bool {
        let others_in_dns = state
            .failed_over
            .iter()
            .enumerate()
            .any(|(az, &out)| az != usize::from(z) && !out);
        state.automatic_failover
            && self.degraded(state)
            && !state.failed_over[usize::from(z)]
            && others_in_dns
            && (self.config.variant != Variant::VelocityControl
                || self.held_out_with(state, z) <= usize::from(self.config.velocity_limit))
    }

    /// Whether `state` is settled: every new instance launched and propagated, every
    /// check passed and applied, no AZ failed over. Nothing can take a target out of DNS
    /// from here (see [`liveness`]).
    pub fn settled(&self, state: &NlbState) -> bool {
        state.launched == self.config.new_targets
            && state.propagated == self.config.new_targets
            && state
                .targets
                .iter()
                .all(|target| target.record == Health::Healthy && target.delayed.is_none())
            && state.failed_over.iter().all(|&out| !out)
    }

    fn apply(&self, state: &mut NlbState, t: usize, result: Health) {
        let target = &mut state.targets[t];
        if target.record == Health::Unhealthy
            && result == Health::Healthy
            && state.automatic_failover
        {
            state.flapped = true;
        }
        target.record = result;
        target.delayed = None;
    }
}

impl Model for NlbModel {
    type State = NlbState;
    type Action = Step;

    fn init_states(&self) -> Vec<NlbState> {
        vec![NlbState {
            launched: 0,
            propagated: 0,
            targets: vec![
                Target {
                    record: Health::Healthy,
                    delayed: None,
                };
                self.targets.len()
            ],
            failed_over: vec![false; usize::from(self.config.azs)],
            automatic_failover: self.config.variant != Variant::FailoverDisabled,
            flapped: false,
        }]
    }

    fn actions(&self, state: &NlbState, actions: &mut Vec<Step>) {
        if state.launched < self.config.new_targets {
            actions.push(Step::Launch);
        }
        if state.propagated < state.launched {
            actions.push(Step::Propagate);
        }
        for t in 0..self.targets.len() {
            let target = &state.targets[t];
            if !self.registered(state, t) {
                continue;
            }
            match target.delayed {
                // A check that would change nothing is left out: it leads back to the
                // same state.
                None if self.observe(state, t) != target.record => {
                    actions.push(Step::Check(t as u8))
                }
                None => {}
                Some(_) => actions.push(Step::Deliver(t as u8)),
            }
        }
        for z in 0..self.config.azs {
            if self.may_fail_over(state, z) {
                actions.push(Step::FailOver(z));
            }
            if state.failed_over[usize::from(z)] {
                actions.push(match self.degraded(state) {
                    true => Step::StaysFailedOver(z),
                    false => Step::FailBack(z),
                });
            }
        }
        if self.config.operator && state.automatic_failover {
            actions.push(Step::DisableFailover);
        }
    }

    fn next_state(&self, state: &NlbState, step: Step) -> Option<NlbState> {
        let mut next = state.clone();
        match step {
            Step::Launch => next.launched += 1,
            Step::Propagate => next.propagated += 1,
            Step::Check(t) => {
                let t = usize::from(t);
                let result = self.observe(state, t);
                match self.degraded(state) {
                    true => next.targets[t].delayed = Some(result),
                    false => self.apply(&mut next, t, result),
                }
            }
            Step::Deliver(t) => {
                let t = usize::from(t);
                let result = state.targets[t].delayed?;
                self.apply(&mut next, t, result);
            }
            Step::FailOver(z) => next.failed_over[usize::from(z)] = true,
            Step::StaysFailedOver(_) => {}
            Step::FailBack(z) => next.failed_over[usize::from(z)] = false,
            Step::DisableFailover => {
                next.automatic_failover = false;
                next.failed_over.iter_mut().for_each(|out| *out = false);
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

/// The healthy, propagated targets, and how many of them are in DNS.
pub fn healthy_capacity(model: &NlbModel, state: &NlbState) -> (usize, usize) {
    let healthy: Vec<usize> = (0..model.targets.len())
        .filter(|&t| model.propagated(state, t))
        .collect();
    let serving = healthy.iter().filter(|&&t| model.in_dns(state, t)).count();
    (healthy.len(), serving)
}

fn healthy_capacity_stays_in_service(model: &NlbModel, state: &NlbState) -> bool {
    let (healthy, serving) = healthy_capacity(model, state);
    serving * 100 >= usize::from(model.config.healthy_share) * healthy
}

fn no_traffic_without_network_state(model: &NlbModel, state: &NlbState) -> bool {
    (0..model.targets.len()).all(|t| !model.in_dns(state, t) || model.propagated(state, t))
}

fn a_failed_check_takes_the_target_out_of_dns(model: &NlbModel, state: &NlbState) -> bool {
    (0..model.targets.len())
        .all(|t| state.targets[t].record == Health::Healthy || !model.in_dns(state, t))
}

fn a_health_check_fails(model: &NlbModel, state: &NlbState) -> bool {
    (0..model.targets.len())
        .any(|t| model.registered(state, t) && state.targets[t].record == Health::Unhealthy)
}

fn a_target_flaps(_: &NlbModel, state: &NlbState) -> bool {
    state.flapped
}

fn an_az_fails_over(_: &NlbModel, state: &NlbState) -> bool {
    state.failed_over.iter().any(|&out| out)
}

fn all_capacity_in_service(model: &NlbModel, state: &NlbState) -> bool {
    state.launched == model.config.new_targets
        && (0..model.targets.len()).all(|t| model.propagated(state, t) && model.in_dns(state, t))
}

// ---------------------------------------------------------------------------------------
// Presentation
// ---------------------------------------------------------------------------------------

/// "a1, a2", or "no target".
fn names(model: &NlbModel, targets: impl Iterator<Item = usize>) -> String {
    let names: Vec<String> = targets.map(|t| model.name(t)).collect();
    match names.is_empty() {
        true => "no target".to_string(),
        false => names.join(", "),
    }
}

/// The kinds of [`Step`], in its order, as `check --coverage` names them.
const STEP_KINDS: [&str; 8] = [
    "EC2 launches an instance",
    "Network Manager propagates network state",
    "health checker checks a target",
    "NLB applies a delayed check result",
    "NLB fails an AZ over",
    "a failed-over AZ's node check times out again",
    "NLB returns an AZ to DNS",
    "operators disable automatic fail-over",
];

impl Presentation for NlbModel {
    fn action_kind(&self, _state: &Self::State, step: &Step) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(
            STEP_KINDS[match step {
                Step::Launch => 0,
                Step::Propagate => 1,
                Step::Check(_) => 2,
                Step::Deliver(_) => 3,
                Step::FailOver(_) => 4,
                Step::StaysFailedOver(_) => 5,
                Step::FailBack(_) => 6,
                Step::DisableFailover => 7,
            }],
        )
    }

    fn action_kinds(&self) -> Vec<std::borrow::Cow<'static, str>> {
        STEP_KINDS.map(std::borrow::Cow::Borrowed).to_vec()
    }

    fn variables(&self, state: &NlbState) -> Vec<Variable> {
        let backlog = (state.propagated..state.launched)
            .filter_map(|launch| self.launched_as(launch))
            .map(|t| Value::str(self.name(t)));
        let targets = (0..self.targets.len()).map(|t| {
            let network = match (self.launched(state, t), self.propagated(state, t)) {
                (false, _) => "not launched",
                (true, false) => "in backlog",
                (true, true) => "propagated",
            };
            let check = match self.registered(state, t) {
                false => Value::str("none"),
                true => Value::str(state.targets[t].record.word()),
            };
            let delayed = match state.targets[t].delayed {
                None => Value::str("none"),
                Some(result) => Value::str(result.word()),
            };
            (
                Value::str(self.name(t)),
                Value::record([
                    ("network", Value::str(network)),
                    ("check", check),
                    ("delayed", delayed),
                ]),
            )
        });
        let failed_over = state
            .failed_over
            .iter()
            .enumerate()
            .filter(|(_, &out)| out)
            .map(|(z, _)| Value::str(AZ_NAMES[z]));
        let (healthy, serving) = healthy_capacity(self, state);
        let dns = (0..self.targets.len())
            .filter(|&t| self.in_dns(state, t))
            .map(|t| Value::str(self.name(t)));
        vec![
            (
                "network_manager".into(),
                Value::record([
                    ("launched", Value::Int(state.launched.into())),
                    ("backlog", Value::Seq(backlog.collect())),
                ]),
            ),
            (
                "health_checker".into(),
                Value::record([
                    ("load", Value::Int(self.load(state) as i64)),
                    ("degraded", Value::Bool(self.degraded(state))),
                ]),
            ),
            ("targets".into(), Value::map(targets)),
            (
                "nlb".into(),
                Value::record([
                    (
                        "failover",
                        Value::str(match state.automatic_failover {
                            true => "automatic",
                            false => "disabled",
                        }),
                    ),
                    ("failed_over", Value::set(failed_over)),
                ]),
            ),
            ("dns".into(), Value::set(dns)),
            (
                "capacity".into(),
                Value::record([
                    ("healthy", Value::Int(healthy as i64)),
                    ("in_service", Value::Int(serving as i64)),
                ]),
            ),
            (
                "history".into(),
                Value::record([("flapped", Value::Bool(state.flapped))]),
            ),
        ]
    }

    fn describe_step(&self, before: &NlbState, step: &Step, after: &NlbState) -> String {
        match *step {
            Step::Launch => {
                let t = self.launched_as(before.launched).unwrap_or(0);
                let az = AZ_NAMES[usize::from(self.targets[t].az)];
                match self.registered(after, t) {
                    true => format!(
                        "EC2 launches {} in AZ {az}: NLB registers it and puts it in service before Network Manager has propagated its network state",
                        self.name(t)
                    ),
                    false => format!(
                        "EC2 launches {} in AZ {az}: it waits in Network Manager's backlog, not yet registered",
                        self.name(t)
                    ),
                }
            }
            Step::Propagate => {
                let t = self.launched_as(before.propagated).unwrap_or(0);
                let registered = match self.config.variant {
                    Variant::GatedHealthChecks => ": NLB registers it and puts it in service",
                    _ => "",
                };
                format!(
                    "Network Manager propagates {}'s network state{registered}",
                    self.name(t)
                )
            }
            Step::Check(t) => {
                let t = usize::from(t);
                let name = self.name(t);
                let result = self.observe(before, t);
                let finding = match result {
                    Health::Healthy => format!("Health check of {name} passes"),
                    Health::Unhealthy => {
                        format!("Health check of {name} fails (its network state is not in place)")
                    }
                };
                if self.degraded(before) {
                    return format!(
                        "{finding}; the degraded health checker delays the result (load {})",
                        self.load(before)
                    );
                }
                format!("{finding}{}", self.dns_change(before, t, after))
            }
            Step::Deliver(t) => {
                let t = usize::from(t);
                let name = self.name(t);
                let result = before.targets[t].delayed.unwrap_or(Health::Healthy);
                let stale = match result != self.observe(before, t) {
                    true => ", stale: its network state has arrived since",
                    false => "",
                };
                format!(
                    "NLB applies {name}'s delayed check result ({}{stale}){}",
                    result.word(),
                    self.dns_change(before, t, after)
                )
            }
            Step::FailOver(z) => {
                let removed = names(
                    self,
                    self.targets_of(z)
                        .filter(|&t| self.in_dns(before, t) && !self.in_dns(after, t)),
                );
                format!(
                    "Health check of AZ {}'s NLB node times out (the health checker is degraded, load {}): NLB fails AZ {} over in DNS, removing {removed}",
                    AZ_NAMES[usize::from(z)],
                    self.load(before),
                    AZ_NAMES[usize::from(z)]
                )
            }
            Step::StaysFailedOver(z) => format!(
                "Health check of AZ {}'s NLB node times out again (the health checker is degraded, load {}): AZ {} stays failed over",
                AZ_NAMES[usize::from(z)],
                self.load(before),
                AZ_NAMES[usize::from(z)]
            ),
            Step::FailBack(z) => {
                let returned = names(
                    self,
                    self.targets_of(z)
                        .filter(|&t| !self.in_dns(before, t) && self.in_dns(after, t)),
                );
                format!(
                    "Health check of AZ {}'s NLB node passes: NLB returns AZ {} to DNS, with {returned}",
                    AZ_NAMES[usize::from(z)],
                    AZ_NAMES[usize::from(z)]
                )
            }
            Step::DisableFailover => {
                let returned = names(
                    self,
                    (0..self.targets.len())
                        .filter(|&t| !self.in_dns(before, t) && self.in_dns(after, t)),
                );
                format!(
                    "Operators disable automatic health-check fail-over (9:36 AM): DNS returns {returned}"
                )
            }
        }
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "healthy capacity stays in service",
                "at least `healthy_share` percent of the healthy, propagated targets are in DNS",
                healthy_capacity_stays_in_service,
            ),
            DescribedProperty::always(
                "no traffic to a target without network state",
                "DNS never sends traffic to a target whose network state Network Manager has not propagated",
                no_traffic_without_network_state,
            ),
            DescribedProperty::always(
                "a failed check takes the target out of DNS",
                "no target whose last health check failed is in DNS (what fail-over is for)",
                a_failed_check_takes_the_target_out_of_dns,
            ),
            DescribedProperty::sometimes(
                "a health check fails",
                "the NLB records a failed health check for some registered target",
                a_health_check_fails,
            ),
            DescribedProperty::sometimes(
                "a target flaps",
                "a failed check takes a target out of DNS and a later check returns it",
                a_target_flaps,
            ),
            DescribedProperty::sometimes(
                "an AZ fails over",
                "NLB fails an Availability Zone over in DNS, removing its capacity",
                an_az_fails_over,
            ),
            DescribedProperty::sometimes(
                "all capacity in service",
                "every target is launched, propagated and in DNS",
                all_capacity_in_service,
            ),
        ]
    }

    fn liveness_properties(&self) -> Vec<LivenessProperty<Self>> {
        liveness::properties()
    }

    fn terminal_state_expected(&self, state: &NlbState) -> bool {
        self.settled(state)
    }
}

impl NlbModel {
    /// What applying a check result to target `t` did to DNS, as the end of a sentence.
    fn dns_change(&self, before: &NlbState, t: usize, after: &NlbState) -> String {
        let name = self.name(t);
        match (self.in_dns(before, t), self.in_dns(after, t)) {
            (true, false) => format!(": NLB takes {name} out of DNS"),
            (false, true) => format!(": NLB returns {name} to DNS"),
            (true, true) if !after.automatic_failover => {
                format!("; fail-over is off, so {name} stays in DNS")
            }
            (false, false)
                if after.targets[t].record == Health::Healthy
                    && after.failed_over[usize::from(self.targets[t].az)] =>
            {
                format!(
                    "; AZ {} is failed over, so {name} stays out of DNS",
                    AZ_NAMES[usize::from(self.targets[t].az)]
                )
            }
            _ => String::new(),
        }
    }
}
