//! The scenario and the flags that override its model: shared by every command that
//! builds a model.

use clap::Args;
use dynamodb_dns::{DnsConfig, Freshness, Repair, Scenario, Variant};

use crate::scenario;
use crate::UsageError;

/// Which scenario, and which of its model's fields to change.
#[derive(Args, Debug)]
pub struct ModelArgs {
    /// A scenario name (see `dnsrace list`) or the path of a scenario TOML file.
    #[arg(default_value = "outage")]
    pub scenario: String,

    /// Number of DNS Enactors (1-5). Overrides the scenario.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub enactors: Option<i64>,
    /// Number of endpoints per plan (1-4). Overrides the scenario.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub endpoints: Option<i64>,
    /// Number of plan generations the Planner produces (1-8). Overrides the scenario.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub generations: Option<i64>,
    /// The clean-up deletes plans more than K generations older (0-7). Overrides the
    /// scenario.
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    pub cleanup_threshold: Option<i64>,
    /// Let an operator repair an endpoint whose alias targets a deleted tree (how: see
    /// `--repair`). Overrides the scenario.
    #[arg(long, overrides_with = "no_operator_repair")]
    pub operator_repair: bool,
    /// No operator steps in (the outage's setting). Overrides the scenario.
    #[arg(long, overrides_with = "operator_repair")]
    pub no_operator_repair: bool,
    /// How the operator repairs: `repoint-alias` (point the alias at the newest plan, the
    /// default) or `undelete-tree` (restore the deleted tree). Overrides the scenario.
    #[arg(long, value_name = "HOW")]
    pub repair: Option<String>,
    /// What the one-time freshness check compares the plan with: `endpoint-alias` (what
    /// the first endpoint's alias targets, the default) or `last-applied-record` (a
    /// record written when an Enactor finishes its walk). Overrides the scenario.
    #[arg(long, value_name = "READING")]
    pub freshness: Option<String>,
    /// Fault: an endpoint's lock may expire while its holder is delayed. Overrides the
    /// scenario.
    #[arg(long, overrides_with = "no_lock_expiry")]
    pub lock_expiry: bool,
    /// No lock expiry (the default). Overrides the scenario.
    #[arg(long, overrides_with = "lock_expiry")]
    pub no_lock_expiry: bool,
    /// Fault: each Enactor may crash once and restart, losing its plan. Overrides the
    /// scenario.
    #[arg(long, overrides_with = "no_enactor_crash")]
    pub enactor_crash: bool,
    /// No Enactor crashes (the default). Overrides the scenario.
    #[arg(long, overrides_with = "enactor_crash")]
    pub no_enactor_crash: bool,
    /// Which version of the automation (see `dnsrace list`). Overrides the scenario.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
}

/// A scenario and the configuration to check: the scenario's, with the flags applied.
pub struct ChosenModel {
    /// The scenario as its file says.
    pub scenario: Scenario,
    /// The configuration after the flags.
    pub config: DnsConfig,
}

impl ChosenModel {
    /// Whether a flag changed the scenario's model (its declared verdicts then no longer
    /// apply).
    pub fn overridden(&self) -> bool {
        self.config != self.scenario.config
    }
}

impl ModelArgs {
    /// Resolves the scenario and applies the overrides, each checked against its range.
    pub fn choose(&self) -> Result<ChosenModel, UsageError> {
        let scenario = scenario::resolve(&self.scenario)?;
        let mut config = scenario.config;
        for (flag, field, value) in [
            ("--enactors", "enactors", self.enactors),
            ("--endpoints", "endpoints", self.endpoints),
            ("--generations", "generations", self.generations),
            (
                "--cleanup-threshold",
                "cleanup_threshold",
                self.cleanup_threshold,
            ),
        ] {
            if let Some(value) = value {
                config.set_numeric(field, value).map_err(|error| {
                    UsageError::new(format!(
                        "{flag} is {value}, but it must be {}",
                        error.allowed
                    ))
                })?;
            }
        }
        if self.operator_repair {
            config.operator_repair = true;
        }
        if self.no_operator_repair {
            config.operator_repair = false;
        }
        if let Some(name) = &self.repair {
            config.repair = parse_repair(name)?;
        }
        if let Some(name) = &self.freshness {
            config.freshness = parse_freshness(name)?;
        }
        for (on, off, field) in [
            (
                self.lock_expiry,
                self.no_lock_expiry,
                &mut config.lock_expiry,
            ),
            (
                self.enactor_crash,
                self.no_enactor_crash,
                &mut config.enactor_crash,
            ),
        ] {
            if on {
                *field = true;
            }
            if off {
                *field = false;
            }
        }
        if let Some(name) = &self.variant {
            config.variant = parse_variant(name)?;
        }
        Ok(ChosenModel { scenario, config })
    }
}

/// The variant called `name`, or an error listing the variants.
pub fn parse_variant(name: &str) -> Result<Variant, UsageError> {
    parse_one_of(
        "--variant",
        ("variant", "variants"),
        name,
        Variant::ALL,
        Variant::name,
    )
}

/// The freshness reading called `name`, or an error listing the readings.
pub fn parse_freshness(name: &str) -> Result<Freshness, UsageError> {
    parse_one_of(
        "--freshness",
        ("reading", "readings"),
        name,
        Freshness::ALL,
        Freshness::name,
    )
}

/// The operator's repair called `name`, or an error listing the repairs.
pub fn parse_repair(name: &str) -> Result<Repair, UsageError> {
    parse_one_of(
        "--repair",
        ("repair", "repairs"),
        name,
        Repair::ALL,
        Repair::name,
    )
}

/// The item of `all` called `name`, or an error for `flag` that lists them all (and quotes
/// a long `name` shortened).
fn parse_one_of<T: Copy>(
    flag: &str,
    (kind, kinds): (&str, &str),
    name: &str,
    all: &[T],
    name_of: fn(T) -> &'static str,
) -> Result<T, UsageError> {
    all.iter()
        .copied()
        .find(|item| name_of(*item) == name)
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|item| name_of(*item)).collect();
            UsageError::new(format!(
                "{flag} `{}` is not a {kind}; the {kinds} are: {}",
                crate::cli_error::shorten(name),
                names.join(", ")
            ))
        })
}
