//! The model as dnsrace's commands see it: its parameters (from which the command line
//! builds `--enactors`, `--variant` … and scenario files are read), its scenarios and the
//! verdicts `variants.toml` declares.

use dnsrace_core::{
    Benchmark, Choice, ModelDefinition, Parameter, ParameterKind, Setting, SweepTable,
};

use crate::{DnsConfig, DnsModel, Freshness, Repair, Variant, ENDPOINT_NAMES, MAX_GENERATIONS};

/// The DynamoDB DNS model: `dynamodb-dns` on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct DynamoDbDns;

/// The names and descriptions of `N` items, for a [`ParameterKind::Choice`].
macro_rules! choices {
    ($all:expr, $n:expr) => {{
        const ALL: [Choice; $n] = {
            let mut out = [Choice {
                name: "",
                description: "",
            }; $n];
            let mut index = 0;
            while index < $n {
                out[index] = Choice {
                    name: $all[index].name(),
                    description: $all[index].description(),
                };
                index += 1;
            }
            out
        };
        &ALL
    }};
}

const VARIANTS: &[Choice] = choices!(Variant::ALL, Variant::ALL.len());
const FRESHNESS_READINGS: &[Choice] = choices!(Freshness::ALL, Freshness::ALL.len());
const REPAIRS: &[Choice] = choices!(Repair::ALL, Repair::ALL.len());

/// Every parameter, in the order help texts list them. Defaults are [`DnsConfig`]'s.
pub const PARAMETERS: &[Parameter] = &[
    Parameter {
        name: "enactors",
        help: "Number of DNS Enactors ([PM]: one per Availability Zone)",
        kind: ParameterKind::Count { min: 1, max: 5 },
        sweep_lowers: true,
        unit: Some(("Enactor", "Enactors")),
    },
    Parameter {
        name: "endpoints",
        help: "Number of endpoints per plan, walked in order from the regional one",
        kind: ParameterKind::Count {
            min: 1,
            max: ENDPOINT_NAMES.len() as i64,
        },
        sweep_lowers: true,
        unit: Some(("endpoint", "endpoints")),
    },
    Parameter {
        name: "generations",
        help: "Number of plan generations the Planner produces",
        kind: ParameterKind::Count {
            min: 1,
            max: MAX_GENERATIONS as i64,
        },
        sweep_lowers: true,
        unit: Some(("generation", "generations")),
    },
    Parameter {
        name: "cleanup_threshold",
        help: "The clean-up deletes plans more than K generations older",
        kind: ParameterKind::Count {
            min: 0,
            max: MAX_GENERATIONS as i64 - 1,
        },
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "operator_repair",
        help: "An operator may repair an endpoint whose alias targets a deleted tree (how: `repair`)",
        kind: ParameterKind::Switch,
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "repair",
        help: "How the operator repairs",
        kind: ParameterKind::Choice(REPAIRS),
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "freshness",
        help: "What the one-time freshness check compares the plan with",
        kind: ParameterKind::Choice(FRESHNESS_READINGS),
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "lock_expiry",
        help: "Fault: an endpoint's lock expires while its holder is delayed, and another Enactor may take it over",
        kind: ParameterKind::Switch,
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "enactor_crash",
        help: "Fault: each Enactor may crash once and restart, losing its plan and the message it had in flight",
        kind: ParameterKind::Switch,
        sweep_lowers: false,
        unit: None,
    },
    Parameter {
        name: "variant",
        help: "Which version of the automation",
        kind: ParameterKind::Choice(VARIANTS),
        sweep_lowers: false,
        unit: None,
    },
];

/// The scenarios that ship with the model, by name, as the text of their TOML files in
/// `scenarios/`. The first is the default.
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

/// The text of `variants.toml`: the verdicts each variant is expected to get.
pub const VARIANT_EXPECTATIONS: &str = include_str!("../variants.toml");

/// A benchmark at `enactors`/`endpoints`/`generations`, everything else default.
macro_rules! scale {
    ($name:expr, $about:expr, $enactors:expr, $endpoints:expr, $generations:expr, $by_default:expr) => {
        Benchmark {
            name: $name,
            about: $about,
            settings: &[
                ("enactors", Setting::Count($enactors)),
                ("endpoints", Setting::Count($endpoints)),
                ("generations", Setting::Count($generations)),
            ],
            by_default: $by_default,
        }
    };
}

/// The configurations `dnsrace bench` measures (docs/performance.md).
const BENCHMARKS: &[Benchmark] = &[
    scale!("small", "2/1/4", 2, 1, 4, true),
    scale!("medium", "3/1/4", 3, 1, 4, true),
    scale!("outage", "3/2/5", 3, 2, 5, false),
    scale!("large", "3/3/6", 3, 3, 6, false),
];

fn count(value: Setting) -> u8 {
    match value {
        // The range was checked against PARAMETERS, whose maxima fit in a u8.
        Setting::Count(count) => count as u8,
        other => unreachable!("not a count: {other:?}"),
    }
}

fn switch(value: Setting) -> bool {
    match value {
        Setting::Switch(on) => on,
        other => unreachable!("not a switch: {other:?}"),
    }
}

fn choice<T: Copy>(all: &[T], name_of: fn(T) -> &'static str, value: Setting) -> T {
    match value {
        Setting::Choice(name) => all
            .iter()
            .copied()
            .find(|item| name_of(*item) == name)
            .unwrap_or_else(|| unreachable!("not a choice: {name}")),
        other => unreachable!("not a choice: {other:?}"),
    }
}

impl ModelDefinition for DynamoDbDns {
    type Config = DnsConfig;
    type Model = DnsModel;

    fn name(&self) -> &'static str {
        "dynamodb-dns"
    }

    fn summary(&self) -> &'static str {
        "DynamoDB's DNS automation in US-EAST-1, October 2025: Planner, plan store, Route 53, Enactors"
    }

    fn parameters(&self) -> &'static [Parameter] {
        PARAMETERS
    }

    fn default_config(&self) -> DnsConfig {
        DnsConfig::default()
    }

    fn get(&self, config: &DnsConfig, parameter: &str) -> Setting {
        match parameter {
            "enactors" => Setting::Count(config.enactors.into()),
            "endpoints" => Setting::Count(config.endpoints.into()),
            "generations" => Setting::Count(config.generations.into()),
            "cleanup_threshold" => Setting::Count(config.cleanup_threshold.into()),
            "operator_repair" => Setting::Switch(config.operator_repair),
            "repair" => Setting::Choice(config.repair.name()),
            "freshness" => Setting::Choice(config.freshness.name()),
            "lock_expiry" => Setting::Switch(config.lock_expiry),
            "enactor_crash" => Setting::Switch(config.enactor_crash),
            "variant" => Setting::Choice(config.variant.name()),
            other => unreachable!("not a parameter of dynamodb-dns: {other}"),
        }
    }

    fn set(&self, config: &mut DnsConfig, parameter: &str, value: Setting) {
        match parameter {
            "enactors" => config.enactors = count(value),
            "endpoints" => config.endpoints = count(value),
            "generations" => config.generations = count(value),
            "cleanup_threshold" => config.cleanup_threshold = count(value),
            "operator_repair" => config.operator_repair = switch(value),
            "repair" => config.repair = choice(Repair::ALL, Repair::name, value),
            "freshness" => config.freshness = choice(Freshness::ALL, Freshness::name, value),
            "lock_expiry" => config.lock_expiry = switch(value),
            "enactor_crash" => config.enactor_crash = switch(value),
            "variant" => config.variant = choice(Variant::ALL, Variant::name, value),
            other => unreachable!("not a parameter of dynamodb-dns: {other}"),
        }
    }

    fn build(&self, config: &DnsConfig) -> DnsModel {
        config.into_model()
    }

    fn scenarios(&self) -> &'static [(&'static str, &'static str)] {
        SCENARIOS
    }

    fn declared_verdicts(&self) -> Option<&'static str> {
        Some(VARIANT_EXPECTATIONS)
    }

    fn expectation_context(&self, config: &DnsConfig) -> String {
        config.expectation_context()
    }

    fn benchmarks(&self) -> &'static [Benchmark] {
        BENCHMARKS
    }

    fn sweep_table(&self) -> Option<SweepTable> {
        Some(SweepTable {
            across: "cleanup_threshold",
            values: (0, 3),
            fewest: "generations",
            label: "K",
        })
    }

    fn describe_scale(&self, config: &DnsConfig) -> String {
        let text = config.to_string();
        match text.rsplit_once(", variant ") {
            Some((scale, _)) => scale.to_string(),
            None => text,
        }
    }
}
