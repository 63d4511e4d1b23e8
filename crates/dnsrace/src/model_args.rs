//! The scenario and the flags that override its model: shared by every command that
//! builds a model.

use clap::Args;
use dynamodb_dns::{DnsConfig, Scenario, Variant};

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
    /// Let an operator restore a deleted tree that an alias targets. Overrides the
    /// scenario.
    #[arg(long, overrides_with = "no_operator_repair")]
    pub operator_repair: bool,
    /// No operator steps in (the outage's setting). Overrides the scenario.
    #[arg(long, overrides_with = "operator_repair")]
    pub no_operator_repair: bool,
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
        if let Some(name) = &self.variant {
            config.variant = parse_variant(name)?;
        }
        Ok(ChosenModel { scenario, config })
    }
}

/// The variant called `name`, or an error listing the variants.
pub fn parse_variant(name: &str) -> Result<Variant, UsageError> {
    Variant::from_name(name).ok_or_else(|| {
        UsageError::new(format!(
            "--variant `{name}` is not a variant; the variants are: {}",
            Variant::ALL
                .iter()
                .map(|v| v.name())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}
