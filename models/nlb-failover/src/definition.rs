//! The model as dnsrace's commands see it: its parameters (from which the command line
//! builds `--azs`, `--variant` … and scenario files are read), its scenarios and the
//! verdicts `variants.toml` declares.

use dnsrace_core::{Choice, ModelDefinition, Parameter, ParameterKind, Setting};

use crate::{NlbConfig, NlbModel, Variant, MAX_AZS, MAX_NEW_TARGETS, MAX_TARGETS_PER_AZ};

/// The Network Manager and NLB model: `nlb-failover` on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct NlbFailover;

const VARIANTS: &[Choice] = &{
    let mut out = [Choice {
        name: "",
        description: "",
    }; Variant::ALL.len()];
    let mut index = 0;
    while index < Variant::ALL.len() {
        out[index] = Choice {
            name: Variant::ALL[index].name(),
            description: Variant::ALL[index].description(),
        };
        index += 1;
    }
    out
};

/// Every parameter, in the order help texts list them. Defaults are [`NlbConfig`]'s.
pub const PARAMETERS: &[Parameter] = &[
    Parameter {
        name: "azs",
        help: "Number of Availability Zones the load balancer spans",
        kind: ParameterKind::Count {
            min: 2,
            max: MAX_AZS as i64,
        },
        sweep_lowers: true,
        unit: Some(("AZ", "AZs")),
    },
    Parameter {
        name: "targets_per_az",
        help: "Established targets per AZ: in service, network state in place",
        kind: ParameterKind::Count {
            min: 1,
            max: MAX_TARGETS_PER_AZ as i64,
        },
        sweep_lowers: true,
        unit: Some(("target per AZ", "targets per AZ")),
    },
    Parameter {
        name: "new_targets",
        help: "New instances launched into Network Manager's backlog, placed in the AZs in turn",
        kind: ParameterKind::Count {
            min: 1,
            max: MAX_NEW_TARGETS as i64,
        },
        sweep_lowers: true,
        unit: Some(("new target", "new targets")),
    },
    Parameter {
        name: "degrade_after",
        help: "The health checker degrades once it holds this many targets and NLB nodes as failed",
        kind: ParameterKind::Count { min: 1, max: 3 },
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "healthy_share",
        help: "\"healthy capacity stays in service\": the percentage of healthy, propagated targets that must be in DNS",
        kind: ParameterKind::Count { min: 1, max: 100 },
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "velocity_limit",
        help: "velocity-control: the most targets AZ fail-overs may hold out of DNS at once",
        kind: ParameterKind::Count { min: 0, max: 9 },
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "operator",
        help: "The operators may disable automatic fail-over at any point (9:36 AM)",
        kind: ParameterKind::Switch,
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "variant",
        help: "Which version of NLB's health checks and fail-over",
        kind: ParameterKind::Choice(VARIANTS),
        sweep_lowers: false,
        unit: None,
    },
];

/// The scenarios that ship with the model, by name, as the text of their TOML files in
/// `scenarios/`. The first is the default.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("flapping", include_str!("../scenarios/flapping.toml")),
    ("incident", include_str!("../scenarios/incident.toml")),
    (
        "operators-step-in",
        include_str!("../scenarios/operators-step-in.toml"),
    ),
    (
        "recovers-by-itself",
        include_str!("../scenarios/recovers-by-itself.toml"),
    ),
    (
        "velocity-one-per-az",
        include_str!("../scenarios/velocity-one-per-az.toml"),
    ),
    (
        "velocity-one-of-three",
        include_str!("../scenarios/velocity-one-of-three.toml"),
    ),
];

/// The text of `variants.toml`: the verdicts each variant is expected to get.
pub const VARIANT_EXPECTATIONS: &str = include_str!("../variants.toml");

fn count(value: Setting) -> u8 {
    match value {
        // The range was checked against PARAMETERS, whose maxima fit in a u8.
        Setting::Count(count) => count as u8,
        other => unreachable!("not a count: {other:?}"),
    }
}

impl ModelDefinition for NlbFailover {
    type Config = NlbConfig;
    type Model = NlbModel;

    fn name(&self) -> &'static str {
        "nlb-failover"
    }

    fn summary(&self) -> &'static str {
        "Network Manager's propagation backlog and NLB's flapping health checks and AZ fail-over, US-EAST-1, 20 October 2025"
    }

    fn parameters(&self) -> &'static [Parameter] {
        PARAMETERS
    }

    fn default_config(&self) -> NlbConfig {
        NlbConfig::default()
    }

    fn get(&self, config: &NlbConfig, parameter: &str) -> Setting {
        match parameter {
            "azs" => Setting::Count(config.azs.into()),
            "targets_per_az" => Setting::Count(config.targets_per_az.into()),
            "new_targets" => Setting::Count(config.new_targets.into()),
            "degrade_after" => Setting::Count(config.degrade_after.into()),
            "healthy_share" => Setting::Count(config.healthy_share.into()),
            "velocity_limit" => Setting::Count(config.velocity_limit.into()),
            "operator" => Setting::Switch(config.operator),
            "variant" => Setting::Choice(config.variant.name()),
            other => unreachable!("not a parameter of nlb-failover: {other}"),
        }
    }

    fn set(&self, config: &mut NlbConfig, parameter: &str, value: Setting) {
        match (parameter, value) {
            ("azs", value) => config.azs = count(value),
            ("targets_per_az", value) => config.targets_per_az = count(value),
            ("new_targets", value) => config.new_targets = count(value),
            ("degrade_after", value) => config.degrade_after = count(value),
            ("healthy_share", value) => config.healthy_share = count(value),
            ("velocity_limit", value) => config.velocity_limit = count(value),
            ("operator", Setting::Switch(on)) => config.operator = on,
            ("variant", Setting::Choice(name)) => {
                if let Some(variant) = Variant::ALL.iter().find(|v| v.name() == name) {
                    config.variant = *variant;
                }
            }
            (other, value) => unreachable!("not a setting of nlb-failover: {other} = {value}"),
        }
    }

    fn build(&self, config: &NlbConfig) -> NlbModel {
        config.into_model()
    }

    fn scenarios(&self) -> &'static [(&'static str, &'static str)] {
        SCENARIOS
    }

    fn declared_verdicts(&self) -> Option<&'static str> {
        Some(VARIANT_EXPECTATIONS)
    }

    fn expectation_context(&self, config: &NlbConfig) -> String {
        config.expectation_context()
    }

    fn describe_scale(&self, config: &NlbConfig) -> String {
        let text = config.to_string();
        match text.rsplit_once(", variant ") {
            Some((scale, _)) => scale.to_string(),
            None => text,
        }
    }
}
