//! `dnsrace check`: one scenario, every property, TLC-shaped output or JSON.

use dnsrace_checker::{render_text, Report};
use dnsrace_core::scenario::{catalogue, quoted_names};
use dnsrace_core::{DescribedProperty, ModelDefinition, Presentation, Scenario, Setting};

use clap::Args;

use crate::checkpoint_args::CheckpointArgs;
use crate::model_args::ModelArgs;
use crate::search_args::SearchArgs;
use crate::trace_out::TraceArgs;
use crate::{emit, UsageError};

/// The flags of `dnsrace check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub model: ModelArgs,

    /// Check only this property (repeatable; see `dnsrace list`). Default: all.
    #[arg(long = "property", value_name = "NAME")]
    pub properties: Vec<String>,

    /// Also report, as TLC's "Deadlock reached", a reachable state with no next step that
    /// the model does not expect to end in (exit code 11). Off by default: see
    /// docs/reading-traces.md.
    #[arg(long)]
    pub deadlock: bool,

    /// Also report, per kind of step (action), how often it fired and how many distinct
    /// new states it found, as TLC's `-coverage`; in `--json`, the `coverage` field. It
    /// covers the levels explored: add `--liveness`, or a property that holds, for every
    /// reachable state. Not with `--resume` (checkpoints keep no coverage counts).
    #[arg(long, conflicts_with = "resume")]
    pub coverage: bool,

    #[command(flatten)]
    pub search: SearchArgs,

    /// Print one JSON document (verdicts, statistics, traces) on stdout and nothing else.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub trace: TraceArgs,

    #[command(flatten)]
    pub checkpoint: CheckpointArgs,
}

/// The properties named by `--property`, or all of them; an unknown name is an error
/// listing the properties.
pub fn select_properties<M: Presentation>(
    model: &M,
    names: &[String],
) -> Result<Vec<DescribedProperty<M>>, UsageError> {
    select_among(model, model.described_properties(), names)
}

/// [`select_properties`] among `all`: the model's own properties and any a user added.
fn select_among<M: Presentation>(
    model: &M,
    all: Vec<DescribedProperty<M>>,
    names: &[String],
) -> Result<Vec<DescribedProperty<M>>, UsageError> {
    if names.is_empty() {
        return Ok(all);
    }
    let liveness = model.liveness_properties();
    let mut chosen: Vec<DescribedProperty<M>> = Vec::new();
    for name in names {
        if liveness.iter().any(|p| p.name == name) {
            continue; // checked by `long_run::select_liveness`
        }
        let property = all.iter().find(|p| p.name() == name).ok_or_else(|| {
            let added = all
                .iter()
                .filter(|p| {
                    !model
                        .described_properties()
                        .iter()
                        .any(|own| own.name() == p.name())
                })
                .map(|p| format!(", \"{}\"", p.name()))
                .collect::<String>();
            UsageError::new(format!(
                "--property \"{}\" is not a property of this model; the properties are: {}{added}",
                crate::cli_error::shorten(name),
                quoted_names(&catalogue(model))
            ))
        })?;
        if !chosen.iter().any(|p| p.name() == property.name()) {
            chosen.push(property.clone());
        }
    }
    Ok(chosen)
}

/// Runs `dnsrace check` and returns its exit code.
pub fn run<D: ModelDefinition>(definition: &D, args: CheckArgs) -> Result<u8, UsageError> {
    run_with(definition, args, Vec::new())
}

/// Runs `dnsrace check` with `added` properties beside the model's own, and returns its
/// exit code. Scenarios declare no verdict for an added property: it is undeclared.
pub fn run_with<D: ModelDefinition>(
    definition: &D,
    args: CheckArgs,
    added: Vec<DescribedProperty<D::Model>>,
) -> Result<u8, UsageError> {
    let chosen = args.model.choose(definition)?;
    let model = definition.build(&chosen.config);
    let mut all = model.described_properties();
    for property in added {
        if all.iter().any(|own| own.name() == property.name()) {
            return Err(UsageError::new(format!(
                "the added property \"{}\" has the name of one of the model's own",
                property.name()
            )));
        }
        all.push(property);
    }
    let mut properties = select_among(&model, all, &args.properties)?;
    if args.deadlock {
        properties.push(dnsrace_core::no_deadlock());
    }
    args.trace.validate(args.json)?;
    let liveness = crate::long_run::select_liveness(&model, &args.properties, args.search.liveness);
    let mut options = args.search.options();
    options.coverage = args.coverage;
    let saved = args.checkpoint.apply(
        &mut options,
        checkpoint_identity(definition, &chosen.scenario.name, &chosen.config),
        &model,
        &properties,
        &liveness,
    )?;
    if !args.json && !args.trace.replaces_report() {
        // Printed before the search starts, so it shows while a long check runs.
        emit(&format!(
            "Checking scenario \"{}\": {}.\n",
            chosen.scenario.name, chosen.config
        ))?;
    }
    let report =
        crate::long_run::run_check(&model, &properties, &liveness, options, saved, args.json)?;
    let source = format!(
        "dnsrace check: model {}, scenario \"{}\" ({})",
        definition.name(),
        chosen.scenario.name,
        chosen.config
    );
    if args.trace.replaces_report() {
        args.trace.export(&model, &report, &source)?;
        return Ok(report.exit_code() as u8);
    }
    let expectations =
        (!chosen.overridden()).then(|| compare_with_expectations(&chosen.scenario, &report));
    if args.json {
        let mut document = serde_json::json!({
            "scenario": chosen.scenario.name,
            "model": definition.name(),
            "config": config_json(definition, &chosen.config),
        });
        let report_json = report.to_json();
        if let (Some(document), Some(fields)) = (document.as_object_mut(), report_json.as_object())
        {
            document.extend(fields.clone());
            document.insert("exit_code".into(), report.exit_code().into());
            if let Some(mismatches) = &expectations {
                document.insert(
                    "matches_scenario_expectations".into(),
                    mismatches.is_empty().into(),
                );
            }
        }
        let json = serde_json::to_string_pretty(&document).expect("JSON renders");
        emit(&format!("{json}\n"))?;
    } else {
        let mut text = render_text(&report);
        match expectations {
            None => text.push_str(
                "Scenario expectations not compared: flags changed the scenario's model.\n",
            ),
            Some(mismatches) if mismatches.is_empty() => {
                text.push_str(&agreement(&chosen.scenario, &report));
            }
            Some(mismatches) => {
                text.push_str(&format!(
                    "Verdicts that differ from scenario \"{}\":\n",
                    chosen.scenario.name
                ));
                for line in mismatches {
                    text.push_str(&format!("  {line}\n"));
                }
            }
        }
        emit(&text)?;
    }
    args.trace.export(&model, &report, &source)?;
    Ok(report.exit_code() as u8)
}

/// The properties whose verdict is not the one the scenario declares, as lines of text.
/// Properties the run did not check, or the scenario does not declare, are skipped.
fn compare_with_expectations<C>(scenario: &Scenario<C>, report: &Report) -> Vec<String> {
    let mut mismatches = Vec::new();
    for result in &report.properties {
        let Some(expected) = scenario.expected(&result.name) else {
            continue;
        };
        if expected != result.verdict {
            mismatches.push(format!(
                "\"{}\": expected {expected}, got {}",
                result.name, result.verdict
            ));
        }
    }
    mismatches
}

/// The line saying the verdicts agree with the scenario, naming the checked properties
/// it declares nothing for.
fn agreement<C>(scenario: &Scenario<C>, report: &Report) -> String {
    let undeclared: Vec<String> = report
        .properties
        .iter()
        .filter(|p| p.name != dnsrace_core::DEADLOCK && scenario.expected(&p.name).is_none())
        .map(|p| format!("\"{}\"", p.name))
        .collect();
    if undeclared.is_empty() {
        format!(
            "Every verdict is the one scenario \"{}\" expects.\n",
            scenario.name
        )
    } else {
        format!(
            "Every verdict scenario \"{}\" declares is the one it expects; it declares none for {}.\n",
            scenario.name,
            undeclared.join(", ")
        )
    }
}

/// What a checkpoint of this check must match to be resumed: the model, the scenario and
/// every parameter.
fn checkpoint_identity<D: ModelDefinition>(
    definition: &D,
    scenario: &str,
    config: &D::Config,
) -> Vec<(String, String)> {
    let mut identity = vec![
        ("model".to_string(), definition.name().to_string()),
        ("scenario".to_string(), scenario.to_string()),
    ];
    for (name, setting) in dnsrace_core::definition::settings(definition, config) {
        identity.push((name.to_string(), setting.to_string()));
    }
    identity
}

/// Every parameter and its value, as JSON.
pub fn config_json<D: ModelDefinition>(definition: &D, config: &D::Config) -> serde_json::Value {
    let fields = dnsrace_core::definition::settings(definition, config)
        .into_iter()
        .map(|(name, setting)| (name.to_string(), setting_json(setting)))
        .collect();
    serde_json::Value::Object(fields)
}

/// A parameter's value as JSON: a number, a boolean or a string.
pub fn setting_json(setting: Setting) -> serde_json::Value {
    match setting {
        Setting::Count(count) => count.into(),
        Setting::Switch(on) => on.into(),
        Setting::Choice(name) => name.into(),
    }
}
