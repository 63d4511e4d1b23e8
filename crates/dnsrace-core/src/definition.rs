//! The model contract: what a model crate hands dnsrace so that every command (`check`,
//! `explore`, `matrix`, `sweep`, `replay`, `list`, the exports) works on it unchanged.
//!
//! A model crate implements [`ModelDefinition`] on a unit struct and adds one line to a
//! registry (`dnsrace::main_with(&[&MyModel])`). It describes its configuration as
//! [`Parameter`]s, from which the command line builds its flags (`enactors` becomes
//! `--enactors N`) and scenario files are read (`enactors = 3` under `[model]`); it ships
//! its scenarios and, optionally, the verdicts each variant is expected to get. Everything
//! else (what a state shows, how a step reads, the properties) comes from
//! [`Presentation`], which the model itself implements.

use std::fmt::{Debug, Display};
use std::hash::Hash;

use crate::Presentation;

/// One parameter of a model's configuration.
#[derive(Clone, Copy, Debug)]
pub struct Parameter {
    /// Its name in scenario files (`cleanup_threshold`); the flag is the same with
    /// dashes (`--cleanup-threshold`).
    pub name: &'static str,
    /// One line for `--help` and `dnsrace list`.
    pub help: &'static str,
    /// What values it takes.
    pub kind: ParameterKind,
    /// Whether `sweep` may lower it (a count) when it looks for the smallest configuration
    /// that still shows a violation.
    pub sweep_lowers: bool,
    /// For a count, what it counts, singular and plural (`("Enactor", "Enactors")`), so
    /// that output can say "3 Enactors"; `None` says "name 3".
    pub unit: Option<(&'static str, &'static str)>,
}

/// The values a [`Parameter`] takes.
#[derive(Clone, Copy, Debug)]
pub enum ParameterKind {
    /// A whole number from `min` to `max`, both included.
    Count {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
    },
    /// On or off: `--name` / `--no-name` on the command line, `true` / `false` in files.
    Switch,
    /// One of a fixed list of names.
    Choice(&'static [Choice]),
}

/// One of the names a [`ParameterKind::Choice`] parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The name people type.
    pub name: &'static str,
    /// One line saying what it means.
    pub description: &'static str,
}

/// A value of a [`Parameter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Setting {
    /// The value of a [`ParameterKind::Count`].
    Count(i64),
    /// The value of a [`ParameterKind::Switch`].
    Switch(bool),
    /// The value of a [`ParameterKind::Choice`]: one of its names.
    Choice(&'static str),
}

impl Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setting::Count(count) => write!(f, "{count}"),
            Setting::Switch(on) => write!(f, "{on}"),
            Setting::Choice(name) => f.write_str(name),
        }
    }
}

/// What is allowed for a parameter, in words, for error messages.
pub fn allowed_values(kind: &ParameterKind) -> String {
    match kind {
        ParameterKind::Count { min, max } => format!("a whole number from {min} to {max}"),
        ParameterKind::Switch => "true or false".to_string(),
        ParameterKind::Choice(choices) => format!(
            "one of: {}",
            choices
                .iter()
                .map(|choice| choice.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Parameter {
    /// The setting `count` as this parameter's value, if it is a count in range.
    pub fn count(&self, count: i64) -> Option<Setting> {
        match self.kind {
            ParameterKind::Count { min, max } if (min..=max).contains(&count) => {
                Some(Setting::Count(count))
            }
            _ => None,
        }
    }

    /// The setting named `name` among this parameter's choices, if it is one.
    pub fn choice(&self, name: &str) -> Option<Setting> {
        match self.kind {
            ParameterKind::Choice(choices) => choices
                .iter()
                .find(|choice| choice.name == name)
                .map(|choice| Setting::Choice(choice.name)),
            _ => None,
        }
    }

    /// `value` in words: "3 Enactors" for a count with a unit, else "name value".
    pub fn describe(&self, value: Setting) -> String {
        match (self.unit, value) {
            (Some((one, _)), Setting::Count(1)) => format!("1 {one}"),
            (Some((_, many)), Setting::Count(count)) => format!("{count} {many}"),
            _ => format!("{} {value}", self.name.replace('_', " ")),
        }
    }

    /// The command-line flag: `--` and the name with dashes.
    pub fn flag(&self) -> String {
        format!("--{}", self.name.replace('_', "-"))
    }
}

/// A model as dnsrace's commands see it: a name, a configuration described parameter by
/// parameter, the model each configuration builds, its scenarios and its declared
/// verdicts.
///
/// Implement it on a unit struct in the model's crate. The configuration type stays the
/// model's own (a plain struct with a `Default`); [`get`](ModelDefinition::get) and
/// [`set`](ModelDefinition::set) read and write it by parameter name, so adding a
/// parameter touches the model's crate only.
pub trait ModelDefinition: Sync + 'static {
    /// The model's configuration.
    type Config: Clone + PartialEq + Eq + Hash + Debug + Display + Send + Sync;
    /// The model a configuration builds. The bounds are what checking, the Explorer and
    /// stateright's own checker (in `bench`) need.
    type Model: Presentation<
            State: Clone + Debug + Hash + Eq + Send + Sync + 'static,
            Action: Clone + Debug + Eq + Send + Sync + 'static,
        > + Clone
        + Send
        + Sync
        + 'static;

    /// The name people type after `--model` (`dynamodb-dns`).
    fn name(&self) -> &'static str;

    /// One line saying what the model is, for `dnsrace list`.
    fn summary(&self) -> &'static str;

    /// The parameters, in the order help texts and scenario files list them.
    fn parameters(&self) -> &'static [Parameter];

    /// The configuration every parameter left out of a scenario file takes its value
    /// from.
    fn default_config(&self) -> Self::Config;

    /// The value of `parameter` in `config`. `parameter` is one of
    /// [`parameters`](ModelDefinition::parameters).
    fn get(&self, config: &Self::Config, parameter: &str) -> Setting;

    /// Sets `parameter` in `config` to `value`, which has been checked against the
    /// parameter's kind and range.
    fn set(&self, config: &mut Self::Config, parameter: &str, value: Setting);

    /// Builds the model of `config`.
    fn build(&self, config: &Self::Config) -> Self::Model;

    /// The scenarios that ship with the model, as `(name, TOML text)`; the first is the
    /// default of every command.
    fn scenarios(&self) -> &'static [(&'static str, &'static str)];

    /// The parameter whose choices are the model's variants (the versions of the system
    /// `matrix` compares), if it has one. The default is `variant`, when there is a
    /// choice parameter of that name.
    fn variant_parameter(&self) -> Option<&'static Parameter> {
        self.parameters()
            .iter()
            .find(|p| p.name == "variant" && matches!(p.kind, ParameterKind::Choice(_)))
    }

    /// The text of the model's `variants.toml`: the verdicts each variant is expected to
    /// get, in tables named by [`expectation_context`](ModelDefinition::expectation_context).
    /// The default declares none.
    fn declared_verdicts(&self) -> Option<&'static str> {
        None
    }

    /// Which table of [`declared_verdicts`](ModelDefinition::declared_verdicts) holds the
    /// verdicts of `config`'s variants (the options that change verdicts, not the scale).
    /// The default is `default`.
    fn expectation_context(&self, _config: &Self::Config) -> String {
        "default".to_string()
    }

    /// The configurations `dnsrace bench` measures. The default has one, `default`: the
    /// default configuration.
    fn benchmarks(&self) -> &'static [Benchmark] {
        &[Benchmark {
            name: "default",
            about: "the default configuration",
            settings: &[],
            by_default: true,
        }]
    }

    /// The table `sweep` adds to its smallest configurations, if the model wants one.
    fn sweep_table(&self) -> Option<SweepTable> {
        None
    }

    /// The configuration without its variant, in words, as `matrix` heads its table. The
    /// default lists every parameter but the variant (see [`Parameter::describe`]).
    fn describe_scale(&self, config: &Self::Config) -> String {
        let variant = self.variant_parameter().map(|p| p.name);
        self.parameters()
            .iter()
            .filter(|p| Some(p.name) != variant)
            .map(|p| p.describe(self.get(config, p.name)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What `sweep` reports beside the smallest configurations: for each value of `across`
/// in `values`, the fewest `fewest` that still show the violation (for the DNS model: per
/// clean-up threshold, how many generations the Planner must run ahead).
#[derive(Clone, Copy, Debug)]
pub struct SweepTable {
    /// The count parameter whose values are the table's rows.
    pub across: &'static str,
    /// Its values, smallest first.
    pub values: (i64, i64),
    /// The count parameter minimised on each row.
    pub fewest: &'static str,
    /// The short name of `across` in column headings (`K` for `K=2`).
    pub label: &'static str,
}

/// A fixed configuration `dnsrace bench --config NAME` measures: the default
/// configuration with `settings` applied.
#[derive(Clone, Copy, Debug)]
pub struct Benchmark {
    /// The name after `--config`.
    pub name: &'static str,
    /// What it is, for `--help` and error messages (for example "3, 2, 5: minutes").
    pub about: &'static str,
    /// The parameters it changes from the default configuration.
    pub settings: &'static [(&'static str, Setting)],
    /// Whether `bench` runs it when no `--config` is given.
    pub by_default: bool,
}

/// Every parameter of `definition` with its value in `config`, in parameter order.
pub fn settings<D: ModelDefinition + ?Sized>(
    definition: &D,
    config: &D::Config,
) -> Vec<(&'static str, Setting)> {
    definition
        .parameters()
        .iter()
        .map(|p| (p.name, definition.get(config, p.name)))
        .collect()
}
