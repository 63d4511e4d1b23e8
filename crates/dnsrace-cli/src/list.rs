//! `dnsrace list`: the models, then what one model offers: its scenarios, properties and
//! parameters (each with its flag, its values and its default).

use std::fmt::Write;

use clap::Args;
use dnsrace_core::definition::allowed_values;
use dnsrace_core::{catalogue, ModelDefinition, ParameterKind, Scenario, Setting};

use crate::RegisteredModel;

/// The flags of `dnsrace list`.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Which model to describe after the list of models (see the list). Default: the
    /// first one registered.
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
}

/// The listing: every registered model, then `definition`'s scenarios, properties and
/// parameters.
pub fn render<D: ModelDefinition>(
    definition: &D,
    models: &[&dyn RegisteredModel],
    _args: &ListArgs,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Models (dnsrace COMMAND --model NAME):");
    let width = models.iter().map(|m| m.name().len()).max().unwrap_or(0);
    for (index, model) in models.iter().enumerate() {
        let default = if index == 0 { " (default)" } else { "" };
        let _ = writeln!(
            out,
            "  {:width$}  {}{default}",
            model.name(),
            model.summary()
        );
    }

    let name = definition.name();
    let _ = writeln!(out, "\nScenarios of {name} (dnsrace check NAME):");
    let width = definition
        .scenarios()
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    for (scenario, text) in definition.scenarios() {
        let summary = match Scenario::parse(definition, scenario, text) {
            Ok(parsed) => parsed.config.to_string(),
            Err(error) => format!("(does not parse: {error})"),
        };
        let _ = writeln!(out, "  {scenario:width$}  {summary}");
    }

    let properties = catalogue(&definition.build(&definition.default_config()));
    let width = properties.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for (liveness, heading, kind_width) in
        [(false, "Properties", 9), (true, "Liveness properties", 11)]
    {
        let group: Vec<_> = properties
            .iter()
            .filter(|p| p.kind.is_liveness() == liveness)
            .collect();
        if group.is_empty() {
            continue;
        }
        let how = match liveness {
            false => "dnsrace check --property NAME",
            true => "dnsrace check --liveness, or --property NAME",
        };
        let _ = writeln!(out, "\n{heading} of {name} ({how}):");
        for property in group {
            let _ = writeln!(
                out,
                "  {:width$}  {:kind_width$}  {}",
                property.name,
                property.kind.to_string(),
                property.description
            );
        }
    }

    let default = definition.default_config();
    let _ = writeln!(
        out,
        "\nParameters of {name} (dnsrace check --FLAG, or FIELD = VALUE under [model] in a scenario file):"
    );
    for parameter in definition.parameters() {
        let value = definition.get(&default, parameter.name);
        let flag = match parameter.kind {
            ParameterKind::Switch => {
                format!("{} / --no-{}", parameter.flag(), &parameter.flag()[2..])
            }
            ParameterKind::Count { .. } => format!("{} N", parameter.flag()),
            ParameterKind::Choice(_) => format!("{} NAME", parameter.flag()),
        };
        let _ = writeln!(out, "  {flag}");
        let _ = writeln!(
            out,
            "      {} = {}: {}. {}; default {}.",
            parameter.name,
            match parameter.kind {
                ParameterKind::Count { .. } => "N",
                ParameterKind::Switch => "true | false",
                ParameterKind::Choice(_) => "\"NAME\"",
            },
            parameter.help,
            capitalise(&allowed_values(&parameter.kind)),
            value
        );
        if let ParameterKind::Choice(choices) = parameter.kind {
            let width = choices.iter().map(|c| c.name.len()).max().unwrap_or(0);
            for choice in choices {
                let marker = if value == Setting::Choice(choice.name) {
                    " (default)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "        {:width$}  {}{marker}",
                    choice.name,
                    choice.description.trim_end_matches(" (default)")
                );
            }
        }
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
