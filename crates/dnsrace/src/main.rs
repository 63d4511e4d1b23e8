//! `dnsrace`: model-check the DynamoDB DNS race of October 2025.
//!
//! `dnsrace check` runs the outage scenario and prints, like TLC, a shortest
//! counterexample for every violated property; `dnsrace list` shows the models, scenarios
//! and properties. Exit codes follow TLC where they overlap: 0 every property holds
//! (exhaustive run), 12 a safety property violated or a reachability property never
//! reached, 3 inconclusive (a bound stopped the run), 2 bad usage or scenario, 1 internal
//! error.

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use dnsrace_checker::{check, render_text, CheckOptions, Report, Verdict};
use dnsrace_core::{DescribedProperty, Presentation};
use dynamodb_dns::{DnsConfig, DnsModel, ExpectedVerdict, Scenario, Variant};

mod cli_error;
mod list;
mod scenario;

use cli_error::UsageError;

/// Exit code when a bad flag, scenario or property is given (as clap does).
const EXIT_USAGE: u8 = 2;
/// Exit code for a bug in dnsrace itself.
const EXIT_INTERNAL: u8 = 1;

#[derive(Parser)]
#[command(
    name = "dnsrace",
    version,
    about = "Model-check the DynamoDB DNS race that emptied dynamodb.us-east-1.amazonaws.com on 19-20 October 2025",
    long_about = None,
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a scenario exhaustively and print a shortest counterexample for every
    /// violated property.
    Check(CheckArgs),
    /// List the models, the scenarios and the properties.
    List,
}

#[derive(Args)]
struct CheckArgs {
    /// A scenario name (see `dnsrace list`) or the path of a scenario TOML file.
    #[arg(default_value = "outage")]
    scenario: String,

    /// Number of DNS Enactors (1-5). Overrides the scenario.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    enactors: Option<i64>,
    /// Number of endpoints per plan (1-4). Overrides the scenario.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    endpoints: Option<i64>,
    /// Number of plan generations the Planner produces (1-8). Overrides the scenario.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    generations: Option<i64>,
    /// The clean-up deletes plans more than K generations older (0-7). Overrides the
    /// scenario.
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    cleanup_threshold: Option<i64>,
    /// Let an operator restore a deleted tree that an alias targets. Overrides the
    /// scenario.
    #[arg(long, overrides_with = "no_operator_repair")]
    operator_repair: bool,
    /// No operator steps in (the outage's setting). Overrides the scenario.
    #[arg(long, overrides_with = "operator_repair")]
    no_operator_repair: bool,
    /// Which version of the automation (see `dnsrace list`). Overrides the scenario.
    #[arg(long, value_name = "NAME")]
    variant: Option<String>,

    /// Check only this property (repeatable; see `dnsrace list`). Default: all.
    #[arg(long = "property", value_name = "NAME")]
    properties: Vec<String>,

    /// Worker threads, 1-256; 0 uses every core.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=256))]
    threads: u16,
    /// Stop after this many distinct states, at least 1 (the result is then
    /// inconclusive).
    #[arg(long, value_name = "N", value_parser = parse_positive)]
    max_states: Option<usize>,
    /// Explore paths of at most this many steps (the result is then inconclusive if
    /// deeper states exist).
    #[arg(long, value_name = "STEPS")]
    max_depth: Option<usize>,
    /// Stop after this long, e.g. `30s`, `5m`, `1h` (the result is then inconclusive).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,

    /// Print one JSON document (verdicts, statistics, traces) on stdout and nothing else.
    #[arg(long)]
    json: bool,
}

fn parse_positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(value) => Ok(value),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// Parses `30`, `30s`, `1.5m` or `2h`: at least a microsecond, at most a year.
fn parse_duration(text: &str) -> Result<Duration, String> {
    const HELP: &str =
        "use seconds (`30`, `30s`), minutes (`5m`) or hours (`1h`), from 0.000001s to a year";
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(split) => text.split_at(split),
        None => (text, "s"),
    };
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(format!("`{text}` is not a duration: {HELP}")),
    };
    let seconds = number
        .parse::<f64>()
        .map_err(|_| format!("`{text}` is not a duration: {HELP}"))?
        * scale;
    if !(0.000_001..=365.0 * 24.0 * 3600.0).contains(&seconds) {
        return Err(format!("`{text}` is out of range: {HELP}"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run(cli)));
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_USAGE)
        }
        // The panic message is already on stderr; say what it means.
        Err(_) => {
            eprintln!("error: internal error in dnsrace (a bug): please report it with the command you ran");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

fn run(cli: Cli) -> Result<u8, UsageError> {
    match cli.command {
        Command::List => {
            emit(&list::render())?;
            Ok(0)
        }
        Command::Check(args) => run_check(args),
    }
}

/// Writes `text` to stdout. A reader that went away (`dnsrace check | head`) is not an
/// error: the rest of the output is dropped and the exit code still tells the verdict.
fn emit(text: &str) -> Result<(), UsageError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(UsageError::new(format!("cannot write the output: {error}")))
        }
        _ => Ok(()),
    }
}

/// A scenario with the command line's overrides applied.
struct CheckPlan {
    scenario: Scenario,
    config: DnsConfig,
    overridden: bool,
    properties: Vec<DescribedProperty<DnsModel>>,
}

fn plan_check(args: &CheckArgs) -> Result<CheckPlan, UsageError> {
    let scenario = scenario::resolve(&args.scenario)?;
    let mut config = scenario.config;
    for (flag, field, value) in [
        ("--enactors", "enactors", args.enactors),
        ("--endpoints", "endpoints", args.endpoints),
        ("--generations", "generations", args.generations),
        (
            "--cleanup-threshold",
            "cleanup_threshold",
            args.cleanup_threshold,
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
    if args.operator_repair {
        config.operator_repair = true;
    }
    if args.no_operator_repair {
        config.operator_repair = false;
    }
    if let Some(name) = &args.variant {
        config.variant = Variant::from_name(name).ok_or_else(|| {
            UsageError::new(format!(
                "--variant `{name}` is not a variant; the variants are: {}",
                Variant::ALL
                    .iter()
                    .map(|v| v.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    }
    let model = config.into_model();
    let all = model.described_properties();
    let properties = if args.properties.is_empty() {
        all
    } else {
        let mut chosen = Vec::new();
        for name in &args.properties {
            let property = all.iter().find(|p| p.name() == name).ok_or_else(|| {
                UsageError::new(format!(
                    "--property \"{name}\" is not a property of this model; the properties are: {}",
                    dynamodb_dns::property_names()
                ))
            })?;
            if !chosen
                .iter()
                .any(|p: &DescribedProperty<DnsModel>| p.name() == property.name())
            {
                chosen.push(property.clone());
            }
        }
        chosen
    };
    Ok(CheckPlan {
        overridden: config != scenario.config,
        scenario,
        config,
        properties,
    })
}

fn run_check(args: CheckArgs) -> Result<u8, UsageError> {
    let plan = plan_check(&args)?;
    let model = plan.config.into_model();
    let options = CheckOptions {
        threads: args.threads.into(),
        max_states: args.max_states,
        max_depth: args.max_depth,
        timeout: args.timeout,
        ..CheckOptions::default()
    };
    if !args.json {
        // Printed before the search starts, so it shows while a long check runs.
        emit(&format!(
            "Checking scenario \"{}\": {}.\n",
            plan.scenario.name, plan.config
        ))?;
    }
    let report = check(&model, &plan.properties, &options);
    let expectations = if plan.overridden {
        None
    } else {
        Some(compare_with_expectations(&plan.scenario, &report))
    };
    if args.json {
        let mut document = serde_json::json!({
            "scenario": plan.scenario.name,
            "model": "dynamodb-dns",
            "config": config_json(&plan.config),
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
                plan.scenario.name
            )),
            Some(mismatches) => {
                text.push_str(&format!(
                    "Verdicts that differ from scenario \"{}\":\n",
                    plan.scenario.name
                ));
                for line in mismatches {
                    text.push_str(&format!("  {line}\n"));
                }
            }
        }
        emit(&text)?;
    }
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

fn config_json(config: &DnsConfig) -> serde_json::Value {
    serde_json::json!({
        "enactors": config.enactors,
        "endpoints": config.endpoints,
        "generations": config.generations,
        "cleanup_threshold": config.cleanup_threshold,
        "operator_repair": config.operator_repair,
        "variant": config.variant.name(),
    })
}
