//! The model as dnsrace's commands see it: its parameters (from which the command line
//! builds `--droplets`, `--variant` … and scenario files are read), its scenarios and the
//! verdicts `variants.toml` declares.

use dnsrace_core::{Choice, ModelDefinition, Parameter, ParameterKind, Setting, SweepTable};

use crate::{DwfmConfig, DwfmModel, Variant};

/// The DWFM lease model: `dwfm-leases` on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct DwfmLeases;

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

/// Every parameter, in the order help texts list them. Defaults are [`DwfmConfig`]'s.
pub const PARAMETERS: &[Parameter] = &[
    Parameter {
        name: "droplets",
        help: "The droplets (N) the DWFM host holds leases on",
        kind: ParameterKind::Count { min: 1, max: 100 },
        sweep_lowers: true,
        unit: Some(("droplet", "droplets")),
    },
    Parameter {
        name: "slots",
        help: "The lease attempts (C) the host works on at once",
        kind: ParameterKind::Count { min: 1, max: 4 },
        sweep_lowers: false,
        unit: Some(("slot", "slots")),
    },
    Parameter {
        name: "work",
        help: "The ticks of work (W) one lease establishment takes",
        kind: ParameterKind::Count { min: 1, max: 8 },
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "lease_timeout",
        help: "The lease time-out (T) in ticks: an attempt that finishes more than T ticks after it was queued fails",
        kind: ParameterKind::Count { min: 1, max: 16 },
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "queue_limit",
        help: "The queue size at which admission is throttled (queue-throttle, and the operator's throttle)",
        kind: ParameterKind::Count { min: 1, max: 16 },
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "operator",
        help: "An operator may throttle incoming work, then restart the host (emptying its queue)",
        kind: ParameterKind::Switch,
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "variant",
        help: "Which version of DWFM's lease work",
        kind: ParameterKind::Choice(VARIANTS),
        sweep_lowers: false,
        unit: None,
    },
];

/// The scenarios that ship with the model, by name, as the text of their TOML files in
/// `scenarios/`. The first is the default.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("collapse", include_str!("../scenarios/collapse.toml")),
    ("incident", include_str!("../scenarios/incident.toml")),
    ("small-fleet", include_str!("../scenarios/small-fleet.toml")),
    ("operators", include_str!("../scenarios/operators.toml")),
    (
        "queue-throttle",
        include_str!("../scenarios/queue-throttle.toml"),
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

impl ModelDefinition for DwfmLeases {
    type Config = DwfmConfig;
    type Model = DwfmModel;

    fn name(&self) -> &'static str {
        "dwfm-leases"
    }

    fn summary(&self) -> &'static str {
        "EC2's DropletWorkflow Manager after DynamoDB came back: droplet leases, a work queue, congestive collapse"
    }

    fn parameters(&self) -> &'static [Parameter] {
        PARAMETERS
    }

    fn default_config(&self) -> DwfmConfig {
        DwfmConfig::default()
    }

    fn get(&self, config: &DwfmConfig, parameter: &str) -> Setting {
        match parameter {
            "droplets" => Setting::Count(config.droplets.into()),
            "slots" => Setting::Count(config.slots.into()),
            "work" => Setting::Count(config.work.into()),
            "lease_timeout" => Setting::Count(config.timeout.into()),
            "queue_limit" => Setting::Count(config.queue_limit.into()),
            "operator" => Setting::Switch(config.operator),
            "variant" => Setting::Choice(config.variant.name()),
            other => unreachable!("not a parameter of dwfm-leases: {other}"),
        }
    }

    fn set(&self, config: &mut DwfmConfig, parameter: &str, value: Setting) {
        match (parameter, value) {
            ("droplets", value) => config.droplets = count(value),
            ("slots", value) => config.slots = count(value),
            ("work", value) => config.work = count(value),
            ("lease_timeout", value) => config.timeout = count(value),
            ("queue_limit", value) => config.queue_limit = count(value),
            ("operator", Setting::Switch(on)) => config.operator = on,
            ("variant", Setting::Choice(name)) => {
                if let Some(variant) = Variant::ALL.iter().find(|v| v.name() == name) {
                    config.variant = *variant;
                }
            }
            (other, value) => unreachable!("not a setting of dwfm-leases: {other} = {value}"),
        }
    }

    fn build(&self, config: &DwfmConfig) -> DwfmModel {
        config.into_model()
    }

    fn scenarios(&self) -> &'static [(&'static str, &'static str)] {
        SCENARIOS
    }

    fn declared_verdicts(&self) -> Option<&'static str> {
        Some(VARIANT_EXPECTATIONS)
    }

    /// With an operator, launches are refused while leases exist (the throttle) and the
    /// fair operator changes the liveness verdicts: `variants.toml` has an `operator`
    /// table for them.
    fn expectation_context(&self, config: &DwfmConfig) -> String {
        config.expectation_context()
    }

    /// For each lease time-out T from 2 to 8, the fewest droplets that still collapse.
    fn sweep_table(&self) -> Option<SweepTable> {
        Some(SweepTable {
            across: "lease_timeout",
            values: (2, 8),
            fewest: "droplets",
            label: "T",
        })
    }

    fn describe_scale(&self, config: &DwfmConfig) -> String {
        config.scale()
    }
}
