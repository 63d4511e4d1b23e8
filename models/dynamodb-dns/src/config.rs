//! The configuration of a model: its variants, readings, repairs and faults.

use std::fmt::{self, Display, Formatter};

use crate::Generation;

/// Which version of the automation to model: the system as built, or one candidate fix.
///
/// \[PM\] says AWS disabled the automation worldwide and would fix the race and add
/// protections against applying incorrect plans, without saying how. Each variant is one
/// answer; the checker, not this list, says whether it works. Each is a set of
/// [`Safeguards`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The system as built in October 2025, as described in \[PM\].
    #[default]
    AsBuilt,
    /// Re-check freshness before every endpoint, not only before the first: a separate
    /// read of what the endpoint serves, made *before* taking the endpoint's lock, so
    /// still check-then-act. Answers \[PM\]'s stale one-time check; the naive form of the
    /// re-check (at one endpoint it is the as-built system).
    RecheckFreshness,
    /// Re-check freshness under each endpoint's lock: with the lock held, read again what
    /// the endpoint serves (or, under the `last-applied-record` reading, the record) and
    /// send the batch only if the plan is still newer, else release the lock and drop the
    /// plan. The critical section an engineer would write around the stale check of
    /// \[PM\]; the strong form of the re-check.
    RecheckUnderLock,
    /// Conditional write: Route 53 compares generations inside the change batch and
    /// refuses a plan that is not newer than what the endpoint serves. Answers \[PM\]'s
    /// stale check by moving it into the transaction.
    ConditionalWrite,
    /// The clean-up first reads which plans the aliases target, then deletes the old
    /// plans that are not among them: two separate steps. Answers \[PM\]'s clean-up that
    /// deleted the active plan.
    CleanupSkipsActive,
    /// Guarded delete: Route 53 itself refuses, atomically, to delete a tree that an
    /// alias or a rollback record targets. Answers the same, inside the transaction.
    GuardedDelete,
    /// One global lock with a lease, held by an Enactor for its whole application and
    /// clean-up, without fencing: the lease can expire while its holder is delayed, and
    /// the holder's late writes still land. Answers \[PM\]'s concurrent Enactors.
    GlobalLease,
    /// The same global lease with a fencing token: Route 53 refuses every write (change
    /// batches, the last-applied record and the clean-up) whose sender no longer holds
    /// the lease. The strong form of the lease.
    FencedLease,
    /// A naive retrofit of the fenced lease: the lease is taken only *after* the pick-up
    /// and the one-time freshness check, around the walk and the clean-up, so the check
    /// is made outside it. Answers \[PM\]'s concurrent Enactors the way a lease bolted
    /// onto the existing loop would.
    LeaseAfterPickup,
    /// A naive fencing token: the lease is taken before the pick-up, but Route 53 checks
    /// the token on change batches (and the last-applied record) only; a clean-up from an
    /// Enactor that lost the lease still deletes.
    FencedBatchesOnly,
    /// The fix published with the Promela/Spin model of the race: apply the plan to every
    /// endpoint in one atomic step, and make the clean-up refuse to delete the plan an
    /// alias targets (the freshness check stays separate).
    PromelaFix,
    /// The combination this project recommends: conditional write plus guarded delete,
    /// each closing one half of the race inside Route 53's own transaction.
    Recommended,
}

/// What a variant changes, one switch per mechanism. The as-built system has none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Safeguards {
    /// Read what each endpoint serves before locking it, and give the plan up if it is
    /// not newer (the as-built system reads once, before the first endpoint).
    pub recheck_freshness: bool,
    /// With an endpoint's lock held, read freshness again before sending its batch.
    pub recheck_under_lock: bool,
    /// Route 53 refuses a batch whose plan is not newer than the endpoint's alias.
    pub conditional_write: bool,
    /// The clean-up reads the active plans first and leaves them out.
    pub cleanup_reads_active_plans: bool,
    /// Which trees Route 53 refuses to delete.
    pub guarded_delete: GuardedDelete,
    /// A global lease around each application.
    pub lease: Lease,
    /// The lease is taken after the pick-up and the freshness check, not before.
    pub lease_after_pickup: bool,
    /// One batch applies the plan to every endpoint at once, without endpoint locks.
    pub atomic_apply: bool,
}

/// Which trees Route 53 refuses to delete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GuardedDelete {
    /// Any tree may be deleted (as built).
    #[default]
    Nothing,
    /// Trees an alias targets.
    AliasTargets,
    /// Trees an alias or a rollback record targets.
    AliasAndRollbackTargets,
}

/// A global lease that an Enactor holds for a whole application.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lease {
    /// No lease (as built).
    #[default]
    None,
    /// A lease that can expire while its holder is delayed; writes are not checked.
    Unfenced,
    /// The same, and Route 53 refuses writes and deletes from an Enactor that no longer
    /// holds it.
    Fenced,
    /// The same, but only change batches (and the last-applied record) are fenced; the
    /// clean-up's deletes are not.
    FencedBatchesOnly,
}

impl Lease {
    /// Whether Route 53 refuses a change batch from an Enactor that lost the lease.
    pub fn fences_batches(self) -> bool {
        matches!(self, Lease::Fenced | Lease::FencedBatchesOnly)
    }

    /// Whether Route 53 refuses a clean-up from an Enactor that lost the lease.
    pub fn fences_cleanup(self) -> bool {
        self == Lease::Fenced
    }
}

/// What "the previously applied plan" of \[PM\]'s one-time freshness check is. The
/// summary does not say; the two readings give different verdicts, so both are modelled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Freshness {
    /// The plan the endpoint's alias targets now (the first endpoint's, for the one-time
    /// check). **Assumption**, the default: every endpoint carries the same plan when the
    /// automation works, so what the record serves is what was applied.
    #[default]
    EndpointAlias,
    /// A record of the last plan applied, which an Enactor writes (a plain write, so it
    /// can go backwards) when it finishes its walk, before its clean-up. **Assumption**:
    /// the record is kept in Route 53, beside the lock records \[TALK\], so the fenced
    /// variants fence its write like any other write.
    LastAppliedRecord,
}

impl Freshness {
    /// Every reading, the default first.
    pub const ALL: &'static [Freshness] = &[Freshness::EndpointAlias, Freshness::LastAppliedRecord];

    /// The name used in scenario files and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Freshness::EndpointAlias => "endpoint-alias",
            Freshness::LastAppliedRecord => "last-applied-record",
        }
    }

    /// One line saying what the reading is.
    pub const fn description(self) -> &'static str {
        match self {
            Freshness::EndpointAlias => {
                "the check reads what the first endpoint's alias targets now (default)"
            }
            Freshness::LastAppliedRecord => {
                "the check reads a last-applied record, written when an Enactor finishes its walk"
            }
        }
    }

    /// The reading called `name`, if any.
    pub fn from_name(name: &str) -> Option<Freshness> {
        Freshness::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// How an operator repairs an endpoint whose alias targets a deleted tree (with
/// [`DnsConfig::operator_repair`]). \[PM\] says only that engineers restored the DNS
/// record by hand; both readings are modelled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Repair {
    /// Point the broken alias at the newest plan in the plan store, as \[PM\]'s "restored
    /// the DNS record" reads. The default.
    #[default]
    RepointAlias,
    /// Restore the deleted tree the alias targets (un-delete the plan).
    UndeleteTree,
}

impl Repair {
    /// Every repair, the default first.
    pub const ALL: &'static [Repair] = &[Repair::RepointAlias, Repair::UndeleteTree];

    /// The name used in scenario files and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Repair::RepointAlias => "repoint-alias",
            Repair::UndeleteTree => "undelete-tree",
        }
    }

    /// One line saying what the repair does.
    pub const fn description(self) -> &'static str {
        match self {
            Repair::RepointAlias => {
                "the operator points a broken alias at the newest plan (default)"
            }
            Repair::UndeleteTree => "the operator restores the deleted tree a broken alias targets",
        }
    }

    /// The repair called `name`, if any.
    pub fn from_name(name: &str) -> Option<Repair> {
        Repair::ALL.iter().copied().find(|r| r.name() == name)
    }
}

impl Variant {
    /// Every variant, in the order they are listed.
    pub const ALL: &'static [Variant] = &[
        Variant::AsBuilt,
        Variant::RecheckFreshness,
        Variant::RecheckUnderLock,
        Variant::ConditionalWrite,
        Variant::CleanupSkipsActive,
        Variant::GuardedDelete,
        Variant::GlobalLease,
        Variant::FencedLease,
        Variant::LeaseAfterPickup,
        Variant::FencedBatchesOnly,
        Variant::PromelaFix,
        Variant::Recommended,
    ];

    /// The name used in scenario files and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Variant::AsBuilt => "as-built",
            Variant::RecheckFreshness => "recheck-freshness",
            Variant::RecheckUnderLock => "recheck-under-lock",
            Variant::ConditionalWrite => "conditional-write",
            Variant::CleanupSkipsActive => "cleanup-skips-active",
            Variant::GuardedDelete => "guarded-delete",
            Variant::GlobalLease => "global-lease",
            Variant::FencedLease => "fenced-lease",
            Variant::LeaseAfterPickup => "lease-after-pickup",
            Variant::FencedBatchesOnly => "fenced-batches-only",
            Variant::PromelaFix => "promela-fix",
            Variant::Recommended => "recommended",
        }
    }

    /// One line saying what the variant is.
    pub const fn description(self) -> &'static str {
        match self {
            Variant::AsBuilt => "the DNS automation as built in October 2025",
            Variant::RecheckFreshness => {
                "re-check freshness before each endpoint, as a separate read"
            }
            Variant::RecheckUnderLock => {
                "re-check freshness under each endpoint's lock, in the same critical section"
            }
            Variant::ConditionalWrite => "Route 53 compares generations inside the change batch",
            Variant::CleanupSkipsActive => {
                "the clean-up reads the active plans, then deletes the others"
            }
            Variant::GuardedDelete => {
                "Route 53 refuses to delete a tree an alias or rollback record targets"
            }
            Variant::GlobalLease => "one global lock with a lease, without fencing",
            Variant::FencedLease => "one global lock with a lease and a fencing token",
            Variant::LeaseAfterPickup => {
                "a fenced lease taken after the pick-up and freshness check"
            }
            Variant::FencedBatchesOnly => {
                "a lease whose fencing token the change batches check, but not the clean-up"
            }
            Variant::PromelaFix => {
                "the published Promela fix: atomic apply, clean-up spares the active plan"
            }
            Variant::Recommended => "conditional write plus guarded delete",
        }
    }

    /// The mechanisms the variant switches on.
    pub fn safeguards(self) -> Safeguards {
        let none = Safeguards::default();
        match self {
            Variant::AsBuilt => none,
            Variant::RecheckFreshness => Safeguards {
                recheck_freshness: true,
                ..none
            },
            Variant::RecheckUnderLock => Safeguards {
                recheck_under_lock: true,
                ..none
            },
            Variant::ConditionalWrite => Safeguards {
                conditional_write: true,
                ..none
            },
            Variant::CleanupSkipsActive => Safeguards {
                cleanup_reads_active_plans: true,
                ..none
            },
            Variant::GuardedDelete => Safeguards {
                guarded_delete: GuardedDelete::AliasAndRollbackTargets,
                ..none
            },
            Variant::GlobalLease => Safeguards {
                lease: Lease::Unfenced,
                ..none
            },
            Variant::FencedLease => Safeguards {
                lease: Lease::Fenced,
                ..none
            },
            Variant::LeaseAfterPickup => Safeguards {
                lease: Lease::Fenced,
                lease_after_pickup: true,
                ..none
            },
            Variant::FencedBatchesOnly => Safeguards {
                lease: Lease::FencedBatchesOnly,
                ..none
            },
            Variant::PromelaFix => Safeguards {
                atomic_apply: true,
                guarded_delete: GuardedDelete::AliasTargets,
                ..none
            },
            Variant::Recommended => Safeguards {
                conditional_write: true,
                guarded_delete: GuardedDelete::AliasAndRollbackTargets,
                ..none
            },
        }
    }

    /// The variant called `name`, if any.
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.iter().copied().find(|v| v.name() == name)
    }
}

/// The parameters of one model. Every field has a documented default and range
/// ([`crate::PARAMETERS`] describes each one for the command line and scenario files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DnsConfig {
    /// How many DNS Enactors run. Range 1–5, default 3 (\[PM\]: one per Availability Zone,
    /// three in US-EAST-1).
    pub enactors: u8,
    /// How many endpoints one plan covers, walked in order starting with the regional
    /// one. Range 1–4, default 2.
    pub endpoints: u8,
    /// How many plans the Planner produces before it stops: the checking bound on a
    /// Planner that never stops. Range 1–8, default 5.
    pub generations: Generation,
    /// The clean-up deletes plans more than this many generations older than the plan it
    /// just applied ("significantly older" in \[PM\]; the real value is not public).
    /// Range 0–7, default 2.
    pub cleanup_threshold: Generation,
    /// Whether an operator may repair an endpoint whose alias targets a deleted tree.
    /// Default off, as in the outage, where nobody did so for hours.
    pub operator_repair: bool,
    /// How the operator repairs (only with `operator_repair`). Default `repoint-alias`.
    pub repair: Repair,
    /// What the one-time freshness check compares against. Default `endpoint-alias`.
    pub freshness: Freshness,
    /// Fault: an endpoint's lock may expire while its holder is delayed (\[TALK\]: the
    /// lock TXT record carries an expiry). Default off.
    pub lock_expiry: bool,
    /// Fault: each Enactor may crash once and restart, losing its in-memory plan.
    /// Default off.
    pub enactor_crash: bool,
    /// Which version of the automation. Default `as-built`.
    pub variant: Variant,
}

impl Default for DnsConfig {
    fn default() -> Self {
        DnsConfig {
            enactors: 3,
            endpoints: 2,
            generations: 5,
            cleanup_threshold: 2,
            operator_repair: false,
            repair: Repair::RepointAlias,
            freshness: Freshness::EndpointAlias,
            lock_expiry: false,
            enactor_crash: false,
            variant: Variant::AsBuilt,
        }
    }
}

impl DnsConfig {
    /// The plans the clean-up deletes after an Enactor applied `applied`: every plan more
    /// than `cleanup_threshold` generations older.
    pub fn plans_cleaned_up_after(&self, applied: Generation) -> crate::GenerationSet {
        let mut doomed = crate::GenerationSet::default();
        for generation in 1..applied {
            if applied - generation > self.cleanup_threshold {
                doomed.insert(generation);
            }
        }
        doomed
    }
}

impl Display for DnsConfig {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let plural = |count: u8, one: &'static str, many: &'static str| match count {
            1 => format!("1 {one}"),
            _ => format!("{count} {many}"),
        };
        let repair = match (self.operator_repair, self.repair) {
            (false, _) => "off".to_string(),
            (true, repair) => format!("on ({})", repair.name()),
        };
        let faults: Vec<&str> = [
            (self.lock_expiry, "lock expiry"),
            (self.enactor_crash, "Enactor crash"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        let faults = match faults.is_empty() {
            true => "no faults".to_string(),
            false => format!("faults: {}", faults.join(" and ")),
        };
        write!(
            f,
            "{}, {}, {}, clean-up threshold {}, operator repair {repair}, freshness {}, {faults}, variant {}",
            plural(self.enactors, "Enactor", "Enactors"),
            plural(self.endpoints, "endpoint", "endpoints"),
            plural(self.generations, "generation", "generations"),
            self.cleanup_threshold,
            self.freshness.name(),
            self.variant.name(),
        )
    }
}

impl DnsConfig {
    /// The name of the table in `variants.toml` that declares the verdicts of this
    /// configuration's options: the freshness reading, then `+` and each option that is
    /// on (`lock-expiry`, `enactor-crash`, `operator-repair=HOW`). The scale is not part
    /// of it: see `variants.toml` for the scales its verdicts were checked at.
    pub fn expectation_context(&self) -> String {
        let mut context = self.freshness.name().to_string();
        if self.lock_expiry {
            context.push_str("+lock-expiry");
        }
        if self.enactor_crash {
            context.push_str("+enactor-crash");
        }
        if self.operator_repair {
            context.push_str("+operator-repair=");
            context.push_str(self.repair.name());
        }
        context
    }
}
