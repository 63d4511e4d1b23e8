//! The configuration of a model, and scenario files that name one.
//!
//! Parsing a scenario is pure: the caller reads the file and passes its text, so the model
//! crate does no I/O. Every error names the field and what is allowed.

use std::collections::BTreeMap;
use std::fmt::{self, Display, Formatter};

use serde::Deserialize;

use crate::{Generation, PropertyKind, ENDPOINT_NAMES, MAX_GENERATIONS, PROPERTIES};

/// Which version of the automation to model: the system as built, or one candidate fix.
///
/// \[PM\] says AWS disabled the automation worldwide and would fix the race and add
/// protections against applying incorrect plans, without saying how. Each variant is one
/// answer; the checker, not this list, says whether it works. Each is a set of
/// [`Safeguards`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    pub fn name(self) -> &'static str {
        match self {
            Freshness::EndpointAlias => "endpoint-alias",
            Freshness::LastAppliedRecord => "last-applied-record",
        }
    }

    /// One line saying what the reading is.
    pub fn description(self) -> &'static str {
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    pub fn name(self) -> &'static str {
        match self {
            Repair::RepointAlias => "repoint-alias",
            Repair::UndeleteTree => "undelete-tree",
        }
    }

    /// One line saying what the repair does.
    pub fn description(self) -> &'static str {
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

/// The optional faults of the design brief, each off by default.
pub const FAULTS: &[(&str, &str)] = &[
    (
        "lock_expiry",
        "an endpoint's lock expires while its holder is delayed, and another Enactor may take it over",
    ),
    (
        "enactor_crash",
        "each Enactor may crash once and restart, losing its plan and the message it had in flight",
    ),
];

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
    pub fn name(self) -> &'static str {
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
    pub fn description(self) -> &'static str {
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

/// The parameters of one model. Every field has a documented default and range;
/// [`DnsConfig::validate`] enforces the ranges.
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

/// A field with a value outside its range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` is {value}, but it must be {allowed}")]
pub struct ConfigError {
    /// The field, as named in scenario files (`enactors`, `cleanup_threshold`, …).
    pub field: &'static str,
    /// The value given.
    pub value: i64,
    /// What is allowed, in words.
    pub allowed: String,
}

/// Each numeric field: its name, its range, and how to read and write it.
struct NumericField {
    name: &'static str,
    min: i64,
    max: i64,
    get: fn(&DnsConfig) -> u8,
    set: fn(&mut DnsConfig, u8),
}

const NUMERIC_FIELDS: &[NumericField] = &[
    NumericField {
        name: "enactors",
        min: 1,
        max: 5,
        get: |c| c.enactors,
        set: |c, v| c.enactors = v,
    },
    NumericField {
        name: "endpoints",
        min: 1,
        max: ENDPOINT_NAMES.len() as i64,
        get: |c| c.endpoints,
        set: |c, v| c.endpoints = v,
    },
    NumericField {
        name: "generations",
        min: 1,
        max: MAX_GENERATIONS as i64,
        get: |c| c.generations,
        set: |c, v| c.generations = v,
    },
    NumericField {
        name: "cleanup_threshold",
        min: 0,
        max: MAX_GENERATIONS as i64 - 1,
        get: |c| c.cleanup_threshold,
        set: |c, v| c.cleanup_threshold = v,
    },
];

impl DnsConfig {
    /// Checks every field against its range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for field in NUMERIC_FIELDS {
            check_range(field, i64::from((field.get)(self)))?;
        }
        Ok(())
    }

    /// Sets the numeric field `name` (as in scenario files) to `value`, if it is in range.
    pub fn set_numeric(&mut self, name: &str, value: i64) -> Result<(), ConfigError> {
        let field = NUMERIC_FIELDS
            .iter()
            .find(|field| field.name == name)
            .unwrap_or_else(|| panic!("`{name}` is not a numeric field of DnsConfig"));
        check_range(field, value)?;
        (field.set)(self, value as u8);
        Ok(())
    }

    /// The names and ranges of the numeric fields, for help texts.
    pub fn numeric_fields() -> impl Iterator<Item = (&'static str, i64, i64)> {
        NUMERIC_FIELDS.iter().map(|f| (f.name, f.min, f.max))
    }

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

fn check_range(field: &NumericField, value: i64) -> Result<(), ConfigError> {
    if (field.min..=field.max).contains(&value) {
        Ok(())
    } else {
        Err(ConfigError {
            field: field.name,
            value,
            allowed: format!("a whole number from {} to {}", field.min, field.max),
        })
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

/// The scenarios that ship with the model, by name, as the text of their TOML files in
/// `scenarios/`.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("outage", include_str!("../scenarios/outage.toml")),
    (
        "smallest-race",
        include_str!("../scenarios/smallest-race.toml"),
    ),
    (
        "single-enactor",
        include_str!("../scenarios/single-enactor.toml"),
    ),
    (
        "outage-story",
        include_str!("../scenarios/outage-story.toml"),
    ),
];

/// A verdict a scenario expects for a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedVerdict {
    /// An `always` property holds in every reachable state.
    Holds,
    /// An `always` property is false in some reachable state.
    Violated,
    /// A `sometimes` property is true in some reachable state.
    Reached,
    /// A `sometimes` property is true in no reachable state.
    NotReached,
}

impl ExpectedVerdict {
    /// The word used in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            ExpectedVerdict::Holds => "holds",
            ExpectedVerdict::Violated => "violated",
            ExpectedVerdict::Reached => "reached",
            ExpectedVerdict::NotReached => "not reached",
        }
    }
}

/// A named configuration with the verdicts it is expected to produce.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Its name (the file name without `.toml`).
    pub name: String,
    /// What it shows.
    pub description: String,
    /// The model's parameters.
    pub config: DnsConfig,
    /// The verdict expected for each property it lists, in file order of the registry.
    pub expect: Vec<(&'static str, ExpectedVerdict)>,
    /// A behaviour told step by step, for `dnsrace replay` (`[story]`), if it has one.
    pub story: Option<Story>,
}

/// A behaviour told step by step: beats in the order a post-mortem tells them, each a
/// list of steps in the model's words (as traces print them).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    /// The properties the story's last state must violate: `always` properties false
    /// there, or "always recoverable" out of reach from there (the stuck state).
    #[serde(default)]
    pub ends_violating: Vec<String>,
    /// The beats, in order.
    pub beats: Vec<Beat>,
}

/// One beat of a [`Story`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beat {
    /// A few words naming the beat, for the summary.
    pub title: String,
    /// What the source says happens here, with its citation.
    pub says: String,
    /// The steps, each as `dnsrace check` prints it between `<` and `>`.
    pub steps: Vec<String>,
}

impl Story {
    /// Every step, each with the index of its beat.
    pub fn steps(&self) -> Vec<(usize, &str)> {
        self.beats
            .iter()
            .enumerate()
            .flat_map(|(beat, b)| b.steps.iter().map(move |step| (beat, step.as_str())))
            .collect()
    }
}

/// What can be wrong with a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid TOML, or a field of the wrong type, or an unknown field.
    #[error("{0}")]
    Syntax(String),
    /// A value out of range.
    #[error("field `model.{}` is {}, but it must be {}", .0.field, .0.value, .0.allowed)]
    OutOfRange(ConfigError),
    /// `[expect]` names a property the model does not have.
    #[error("field `{name}`: no such property; the properties are: {allowed}")]
    UnknownProperty {
        /// The name given.
        name: String,
        /// The property names, quoted and joined.
        allowed: String,
    },
    /// `[expect]` gives a verdict that does not fit the property.
    #[error("field `{name}` is \"{value}\", but it must be {allowed}")]
    BadVerdict {
        /// The property.
        name: String,
        /// The verdict given.
        value: String,
        /// What fits that property.
        allowed: &'static str,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    description: String,
    #[serde(default)]
    model: ModelSection,
    #[serde(default)]
    expect: BTreeMap<String, String>,
    story: Option<Story>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelSection {
    enactors: Option<i64>,
    endpoints: Option<i64>,
    generations: Option<i64>,
    cleanup_threshold: Option<i64>,
    operator_repair: Option<bool>,
    repair: Option<Repair>,
    freshness: Option<Freshness>,
    lock_expiry: Option<bool>,
    enactor_crash: Option<bool>,
    variant: Option<Variant>,
}

impl Scenario {
    /// Parses the TOML text of a scenario called `name`. Fields left out of `[model]` take
    /// their documented defaults.
    pub fn parse(name: &str, text: &str) -> Result<Scenario, ScenarioError> {
        let file: ScenarioFile = toml::from_str(text)
            .map_err(|error| ScenarioError::Syntax(error.to_string().trim_end().to_string()))?;
        let mut config = DnsConfig::default();
        let section = &file.model;
        for (field, value) in [
            ("enactors", section.enactors),
            ("endpoints", section.endpoints),
            ("generations", section.generations),
            ("cleanup_threshold", section.cleanup_threshold),
        ] {
            if let Some(value) = value {
                config
                    .set_numeric(field, value)
                    .map_err(ScenarioError::OutOfRange)?;
            }
        }
        if let Some(operator_repair) = section.operator_repair {
            config.operator_repair = operator_repair;
        }
        if let Some(repair) = section.repair {
            config.repair = repair;
        }
        if let Some(freshness) = section.freshness {
            config.freshness = freshness;
        }
        if let Some(lock_expiry) = section.lock_expiry {
            config.lock_expiry = lock_expiry;
        }
        if let Some(enactor_crash) = section.enactor_crash {
            config.enactor_crash = enactor_crash;
        }
        if let Some(variant) = section.variant {
            config.variant = variant;
        }

        let expect = parse_expectations("expect", &file.expect)?;
        if let Some(story) = &file.story {
            check_story(story)?;
        }
        Ok(Scenario {
            name: name.to_string(),
            description: file.description.trim().to_string(),
            config,
            expect,
            story: file.story,
        })
    }

    /// The scenario shipped with the model under `name`, if there is one.
    pub fn builtin(name: &str) -> Option<Result<Scenario, ScenarioError>> {
        SCENARIOS
            .iter()
            .find(|(builtin, _)| *builtin == name)
            .map(|(name, text)| Scenario::parse(name, text))
    }
}

/// A story needs a step, and may end only on properties that a state can violate.
fn check_story(story: &Story) -> Result<(), ScenarioError> {
    if story.steps().is_empty() {
        return Err(ScenarioError::Syntax(
            "field `story.beats`: a story needs at least one step".to_string(),
        ));
    }
    let endable: Vec<&str> = PROPERTIES
        .iter()
        .filter(|spec| spec.kind == PropertyKind::Always)
        .map(|spec| spec.name)
        .chain(crate::liveness_spec("always recoverable").map(|spec| spec.name))
        .collect();
    if let Some(unknown) = story
        .ends_violating
        .iter()
        .find(|name| !endable.contains(&name.as_str()))
    {
        return Err(ScenarioError::Syntax(format!(
            "field `story.ends_violating`: \"{unknown}\" is not a property a state can violate; \
             those are: {}",
            endable
                .iter()
                .map(|name| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(())
}

/// Reads a table of `"property name" = "verdict"` lines (a scenario's `[expect]`, a
/// variant's table in `variants.toml`), checking each name and that each verdict fits
/// its property. `table` names the table in error messages.
fn parse_expectations(
    table: &str,
    lines: &BTreeMap<String, String>,
) -> Result<Expectations, ScenarioError> {
    if let Some(unknown) = lines.keys().find(|name| {
        PROPERTIES.iter().all(|spec| spec.name != name.as_str())
            && crate::liveness_spec(name).is_none()
    }) {
        return Err(ScenarioError::UnknownProperty {
            name: format!("{table}.\"{unknown}\""),
            allowed: property_names(),
        });
    }
    let mut expect = Vec::new();
    for spec in PROPERTIES {
        let Some(value) = lines.get(spec.name) else {
            continue;
        };
        let (allowed, verdicts): (&str, &[ExpectedVerdict]) = match spec.kind {
            PropertyKind::Always => (
                "\"holds\" or \"violated\"",
                &[ExpectedVerdict::Holds, ExpectedVerdict::Violated],
            ),
            PropertyKind::Sometimes => (
                "\"reached\" or \"not reached\"",
                &[ExpectedVerdict::Reached, ExpectedVerdict::NotReached],
            ),
        };
        let verdict = verdicts
            .iter()
            .copied()
            .find(|verdict| verdict.name() == value)
            .ok_or_else(|| ScenarioError::BadVerdict {
                name: format!("{table}.\"{}\"", spec.name),
                value: value.clone(),
                allowed,
            })?;
        expect.push((spec.name, verdict));
    }
    // Liveness properties (checked with `--liveness`) come after the others.
    for spec in crate::LIVENESS_PROPERTIES {
        let Some(value) = lines.get(spec.name) else {
            continue;
        };
        let verdict = [ExpectedVerdict::Holds, ExpectedVerdict::Violated]
            .into_iter()
            .find(|verdict| verdict.name() == value)
            .ok_or_else(|| ScenarioError::BadVerdict {
                name: format!("{table}.\"{}\"", spec.name),
                value: value.clone(),
                allowed: "\"holds\" or \"violated\"",
            })?;
        expect.push((spec.name, verdict));
    }
    Ok(expect)
}

/// The text of `variants.toml`: the verdicts each variant is expected to get.
pub const VARIANT_EXPECTATIONS: &str = include_str!("../variants.toml");

/// The verdicts one variant (or scenario) is expected to get, property by property.
pub type Expectations = Vec<(&'static str, ExpectedVerdict)>;

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

/// The verdicts every variant is expected to get under the default options (the
/// `endpoint-alias` table of `variants.toml`), in [`Variant::ALL`] order.
pub fn variant_expectations() -> Result<Vec<(Variant, Expectations)>, ScenarioError> {
    variant_expectations_in(&DnsConfig::default().expectation_context())?.ok_or_else(|| {
        ScenarioError::Syntax("variants.toml has no table `[endpoint-alias]`".to_string())
    })
}

/// The verdicts every variant is expected to get in the table `context` of
/// `variants.toml` (see [`DnsConfig::expectation_context`]), in [`Variant::ALL`] order;
/// `None` when the file declares nothing for that context. An error names the table and
/// the field.
pub fn variant_expectations_in(
    context: &str,
) -> Result<Option<Vec<(Variant, Expectations)>>, ScenarioError> {
    let contexts = variant_expectation_tables()?;
    let Some(tables) = contexts.get(context) else {
        return Ok(None);
    };
    let variants = Variant::ALL
        .iter()
        .map(|variant| {
            let lines = tables.get(variant.name()).ok_or_else(|| {
                ScenarioError::Syntax(format!(
                    "variants.toml has no table `[\"{context}\".{}]`",
                    variant.name()
                ))
            })?;
            Ok((
                *variant,
                parse_expectations(&format!("\"{context}\".{}", variant.name()), lines)?,
            ))
        })
        .collect::<Result<_, ScenarioError>>()?;
    Ok(Some(variants))
}

/// The contexts `variants.toml` declares verdicts for, in file order of their names.
pub fn variant_expectation_contexts() -> Result<Vec<String>, ScenarioError> {
    Ok(variant_expectation_tables()?.into_keys().collect())
}

type ContextTables = BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>;

fn variant_expectation_tables() -> Result<ContextTables, ScenarioError> {
    let contexts: ContextTables = toml::from_str(VARIANT_EXPECTATIONS).map_err(|error| {
        ScenarioError::Syntax(format!("variants.toml: {}", error.to_string().trim_end()))
    })?;
    for (context, tables) in &contexts {
        if let Some(unknown) = tables
            .keys()
            .find(|name| Variant::from_name(name).is_none())
        {
            return Err(ScenarioError::Syntax(format!(
                "variants.toml: `[\"{context}\".{unknown}]` is not a variant; the variants are: {}",
                Variant::ALL
                    .iter()
                    .map(|v| v.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(contexts)
}

/// Every property name, quoted and joined, for error messages.
pub fn property_names() -> String {
    PROPERTIES
        .iter()
        .map(|spec| format!("\"{}\"", spec.name))
        .collect::<Vec<_>>()
        .join(", ")
}
