//! `dnsrace check`: one scenario, every property, TLC-shaped output or JSON.

use dnsrace_checker::{render_text, Report, Verdict};
use dnsrace_core::{DescribedProperty, Presentation};
use dynamodb_dns::{DnsConfig, DnsModel, ExpectedVerdict, Scenario};

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
pub fn select_properties(
    model: &DnsModel,
    names: &[String],
) -> Result<Vec<DescribedProperty<DnsModel>>, UsageError> {
    let all = model.described_properties();
    if names.is_empty() {
        return Ok(all);
    }
    let mut chosen: Vec<DescribedProperty<DnsModel>> = Vec::new();
    for name in names {
        if dynamodb_dns::liveness_spec(name).is_some() {
            continue; // checked by `long_run::select_liveness`
        }
        let property = all.iter().find(|p| p.name() == name).ok_or_else(|| {
            UsageError::new(format!(
                "--property \"{name}\" is not a property of this model; the properties are: {}, {}",
                dynamodb_dns::property_names(),
                dynamodb_dns::LIVENESS_PROPERTIES
                    .iter()
                    .map(|spec| format!("\"{}\"", spec.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if !chosen.iter().any(|p| p.name() == property.name()) {
            chosen.push(property.clone());
        }
    }
    Ok(chosen)
}

/// Runs `dnsrace check` and returns its exit code.
pub fn run(args: CheckArgs) -> Result<u8, UsageError> {
    let chosen = args.model.choose()?;
    let model = chosen.config.into_model();
    let properties = select_properties(&model, &args.properties)?;
    args.trace.validate(args.json)?;
    let liveness = crate::long_run::select_liveness(&args.properties, args.search.liveness);
    let mut options = args.search.options();
    let saved = args.checkpoint.apply(
        &mut options,
        checkpoint_identity(&chosen.scenario.name, &chosen.config),
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
        "dnsrace check: model dynamodb-dns, scenario \"{}\" ({})",
        chosen.scenario.name, chosen.config
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
            "model": "dynamodb-dns",
            "config": config_json(&chosen.config),
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
            Some(mismatches) if mismatches.is_empty() => text.push_str(&format!(
                "Every verdict is the one scenario \"{}\" expects.\n",
                chosen.scenario.name
            )),
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
/// Properties the run did not check are skipped.
fn compare_with_expectations(scenario: &Scenario, report: &Report) -> Vec<String> {
    let mut mismatches = Vec::new();
    for (name, expected) in &scenario.expect {
        let Some(result) = report.properties.iter().find(|p| p.name == *name) else {
            continue;
        };
        let matches = matches!(
            (expected, result.verdict),
            (ExpectedVerdict::Holds, Verdict::Holds)
                | (ExpectedVerdict::Violated, Verdict::Violated)
                | (ExpectedVerdict::Reached, Verdict::Reached)
                | (ExpectedVerdict::NotReached, Verdict::NotReached)
        );
        if !matches {
            mismatches.push(format!(
                "\"{name}\": expected {}, got {}",
                expected.name(),
                result.verdict
            ));
        }
    }
    mismatches
}

/// What a checkpoint of this check must match to be resumed: the model, the scenario and
/// every configuration field.
fn checkpoint_identity(scenario: &str, config: &DnsConfig) -> Vec<(String, String)> {
    let mut identity = vec![
        ("model".to_string(), "dynamodb-dns".to_string()),
        ("scenario".to_string(), scenario.to_string()),
    ];
    if let serde_json::Value::Object(fields) = config_json(config) {
        for (field, value) in fields {
            let value = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            identity.push((field, value));
        }
    }
    identity
}

fn config_json(config: &DnsConfig) -> serde_json::Value {
    serde_json::json!({
        "enactors": config.enactors,
        "endpoints": config.endpoints,
        "generations": config.generations,
        "cleanup_threshold": config.cleanup_threshold,
        "operator_repair": config.operator_repair,
        "repair": config.repair.name(),
        "freshness": config.freshness.name(),
        "lock_expiry": config.lock_expiry,
        "enactor_crash": config.enactor_crash,
        "variant": config.variant.name(),
    })
}
