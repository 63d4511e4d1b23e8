//! `dnsrace sweep`: for each property a variant violates, the smallest configuration that
//! still shows the violation.
//!
//! # What "smallest" means
//!
//! Starting from the scenario's configuration, the sweep lowers the number of Enactors,
//! then endpoints, then generations, one at a time, keeping a step only if the property
//! is still violated, and repeats until a whole pass lowers nothing. The result is
//! **1-minimal**: lowering any one of the three parameters by one makes the violation
//! disappear. That is established by checks, not assumed: every neighbour below the
//! result was checked exhaustively.
//!
//! If more Enactors, endpoints or generations only add behaviours (**monotonicity**: an
//! extra Enactor can stay idle, an extra plan can stay unpublished), the violating
//! configurations are closed upwards and a 1-minimal configuration is a minimal one: no
//! configuration below it in every parameter shows the violation. There may still be
//! several minimal configurations trading one parameter for another; the sweep finds the
//! one its order (Enactors first) leads to. Monotonicity is not guaranteed for endpoints
//! (an Enactor must walk every endpoint before its clean-up), so the sweep spot-checks it:
//! at each smallest configuration it also checks one more Enactor, one more endpoint and
//! one more generation, and reports any of them that does not show the violation.
//!
//! Separately, for each clean-up threshold K from 0 to 3, it gives the fewest generations
//! that show the violation with the smallest configuration's Enactors and endpoints,
//! trying 1, 2, 3, … generations in turn (so "fewest" needs no assumption either). This
//! is how far the Planner must run ahead of the slow Enactor before the race can happen.
//!
//! Every check looks at the one property being swept; checks run in parallel as in
//! `matrix`, one engine thread each.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use clap::Args;
use dnsrace_checker::{CheckOptions, Report, Verdict};
use dynamodb_dns::{DnsConfig, Generation, Variant, MAX_GENERATIONS};

use crate::check::select_properties;
use crate::matrix::{
    check_named, describe_scale, plural, run_jobs, scale_json, total_threads, Progress, Split,
};
use crate::model_args::ModelArgs;
use crate::search_args::SearchArgs;
use crate::{emit, UsageError};

/// The clean-up thresholds the sweep reports the fewest generations for.
const THRESHOLDS: std::ops::RangeInclusive<Generation> = 0..=3;

/// Exit code when some check hit a bound, so a result may not be the smallest.
const EXIT_INCONCLUSIVE: u8 = 3;

/// The flags of `dnsrace sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The scenario to start from, and its overrides. The scenario's own variant is
    /// ignored: every variant is swept, or only the one `--variant` names.
    #[command(flatten)]
    pub model: ModelArgs,

    /// Sweep only this property (repeatable; see `dnsrace list`). Default: every safety
    /// property a variant violates, and the liveness ones with `--liveness`.
    #[arg(long = "property", value_name = "NAME")]
    pub properties: Vec<String>,

    /// Threads, bounds, symmetry, liveness. The bounds apply to each check; a check stopped by a bound
    /// counts as "not shown violated", and the exit code is then 3.
    #[command(flatten)]
    pub search: SearchArgs,

    /// Print one JSON document and nothing else.
    #[arg(long)]
    pub json: bool,
}

/// The parameters the sweep lowers, in the order it lowers them: (field, label).
const PARAMETERS: [(&str, &str); 3] = [
    ("enactors", "Enactors"),
    ("endpoints", "endpoints"),
    ("generations", "generations"),
];

fn get(config: &DnsConfig, field: &str) -> u8 {
    match field {
        "enactors" => config.enactors,
        "endpoints" => config.endpoints,
        "generations" => config.generations,
        "cleanup_threshold" => config.cleanup_threshold,
        _ => unreachable!("not a swept field: {field}"),
    }
}

/// `config` with `field` moved by `delta`, if that stays in range.
fn moved(config: &DnsConfig, field: &str, delta: i64) -> Option<DnsConfig> {
    let mut moved = *config;
    moved
        .set_numeric(field, i64::from(get(config, field)) + delta)
        .ok()?;
    Some(moved)
}

/// What one check said about one property.
#[derive(Clone, Copy)]
struct Outcome {
    verdict: Verdict,
    trace_states: Option<usize>,
}

/// Checks the swept properties of one variant on many configurations, remembering every
/// answer. Each check looks at every swept property at once: a configuration that one
/// property's sweep needs exhaustively is usually needed by the others too (the race's
/// three safety properties fail together), and a check stops as soon as all have a
/// verdict.
struct Probe<'a> {
    properties: &'a [String],
    options: &'a CheckOptions,
    seen: HashMap<DnsConfig, Vec<Outcome>>,
    bounded: bool,
}

impl Probe<'_> {
    fn outcome(&mut self, config: DnsConfig, property: usize) -> Outcome {
        if let Some(outcomes) = self.seen.get(&config) {
            return outcomes[property];
        }
        let report = check_named(&config.into_model(), self.properties, false, self.options);
        self.remember(config, &report);
        self.seen[&config][property]
    }

    fn remember(&mut self, config: DnsConfig, report: &Report) {
        let outcomes: Vec<Outcome> = self
            .properties
            .iter()
            .map(|name| {
                let result = report
                    .properties
                    .iter()
                    .find(|p| p.name == *name)
                    .expect("the report has every checked property");
                Outcome {
                    verdict: result.verdict,
                    trace_states: result.trace.as_ref().map(|t| t.len()),
                }
            })
            .collect();
        self.bounded |= outcomes.iter().any(|o| o.verdict == Verdict::Inconclusive);
        self.seen.insert(config, outcomes);
    }

    fn violated(&mut self, config: DnsConfig, property: usize) -> bool {
        self.outcome(config, property).verdict == Verdict::Violated
    }
}

/// The sweep of one violated property of one variant.
struct Finding {
    variant: Variant,
    property: String,
    /// The 1-minimal configuration.
    smallest: DnsConfig,
    /// The shortest counterexample there, in states.
    trace_states: Option<usize>,
    /// For each threshold in [`THRESHOLDS`], the fewest generations (none up to the
    /// maximum: `None`).
    fewest_generations: Vec<(Generation, Option<Generation>)>,
    /// Configurations one step above `smallest` that do not show the violation.
    not_monotone: Vec<DnsConfig>,
}

/// Sweeps each of `properties`, all violated at `start`, whose check is `start_report`.
/// Returns the findings, the number of checks run and whether a bound stopped one.
fn sweep_variant(
    start: DnsConfig,
    start_report: &Report,
    properties: &[String],
    options: &CheckOptions,
) -> (Vec<Finding>, usize, bool) {
    let mut probe = Probe {
        properties,
        options,
        seen: HashMap::new(),
        bounded: false,
    };
    probe.remember(start, start_report);
    let mut findings: Vec<Finding> = (0..properties.len())
        .map(|property| sweep(&mut probe, start, property))
        .collect();
    let checks = probe.seen.len() - 1 + spot_check(&mut probe, &mut findings);
    // The starting check was run by the caller.
    (findings, checks, probe.bounded)
}

/// The monotonicity spot check: one more Enactor, endpoint or generation than each
/// smallest configuration should still show its violation. Each configuration is checked
/// once, for just the properties whose smallest configuration is one step below it, so
/// the check stops at their violations. Returns the number of checks run.
fn spot_check(probe: &mut Probe, findings: &mut [Finding]) -> usize {
    let mut wanted: Vec<(DnsConfig, Vec<usize>)> = Vec::new();
    for (property, finding) in findings.iter().enumerate() {
        for (field, _) in PARAMETERS {
            let Some(above) = moved(&finding.smallest, field, 1) else {
                continue;
            };
            match wanted.iter_mut().find(|(config, _)| *config == above) {
                Some((_, properties)) => properties.push(property),
                None => wanted.push((above, vec![property])),
            }
        }
    }
    let mut checks = 0;
    for (above, wanted) in wanted {
        let violated: Vec<bool> = match probe.seen.get(&above) {
            Some(outcomes) => wanted
                .iter()
                .map(|&p| outcomes[p].verdict == Verdict::Violated)
                .collect(),
            None => {
                checks += 1;
                let names: Vec<String> = wanted
                    .iter()
                    .map(|&p| probe.properties[p].clone())
                    .collect();
                let report = check_named(&above.into_model(), &names, false, probe.options);
                probe.bounded |= report.is_inconclusive();
                report
                    .properties
                    .iter()
                    .map(|p| p.verdict == Verdict::Violated)
                    .collect()
            }
        };
        for (&property, violated) in wanted.iter().zip(violated) {
            if !violated {
                findings[property].not_monotone.push(above);
            }
        }
    }
    checks
}

fn sweep(probe: &mut Probe, start: DnsConfig, property: usize) -> Finding {
    let mut smallest = start;
    loop {
        let mut lowered = false;
        for (field, _) in PARAMETERS {
            while let Some(lower) = moved(&smallest, field, -1) {
                if !probe.violated(lower, property) {
                    break;
                }
                smallest = lower;
                lowered = true;
            }
        }
        if !lowered {
            break;
        }
    }
    let trace_states = probe.outcome(smallest, property).trace_states;

    let fewest_generations = THRESHOLDS
        .map(|threshold| {
            let fewest = (1..=MAX_GENERATIONS).find(|&generations| {
                let config = DnsConfig {
                    cleanup_threshold: threshold,
                    generations,
                    ..smallest
                };
                probe.violated(config, property)
            });
            (threshold, fewest)
        })
        .collect();

    Finding {
        variant: start.variant,
        property: probe.properties[property].clone(),
        smallest,
        trace_states,
        fewest_generations,
        not_monotone: Vec::new(),
    }
}

/// Runs `dnsrace sweep` and returns its exit code: 0, or 3 when a bound stopped a check.
pub fn run(args: SweepArgs) -> Result<u8, UsageError> {
    let chosen = args.model.choose()?;
    let base = chosen.config;
    select_properties(&base.into_model(), &args.properties)?;
    let variants: Vec<Variant> = match args.model.variant {
        Some(_) => vec![base.variant],
        None => Variant::ALL.to_vec(),
    };
    if !args.json {
        emit(&format!(
            "Sweeping {} of scenario \"{}\" from {}.\n",
            plural(variants.len(), "variant", "variants"),
            chosen.scenario.name,
            describe_scale(&base)
        ))?;
    }
    let started = Instant::now();
    let threads = total_threads(args.search.threads);
    let engine = |split: &Split| CheckOptions {
        threads: split.per_check,
        ..args.search.options()
    };

    // 1. Which properties each variant violates at the starting scale.
    let split = Split::new(threads, variants.len());
    let options = engine(&split);
    let progress = Progress::new(variants.len(), !args.json);
    let reports = run_jobs(&variants, split.workers, |variant| {
        let model = DnsConfig {
            variant: *variant,
            ..base
        }
        .into_model();
        let report = check_named(&model, &args.properties, args.search.liveness, &options);
        progress.done(variant.name(), report.statistics.elapsed);
        report
    });
    let mut bounded = reports.iter().any(Report::is_inconclusive);
    let mut jobs: Vec<(Variant, &Report, Vec<String>)> = Vec::new();
    let mut unviolated: Vec<Variant> = Vec::new();
    for (variant, report) in variants.iter().zip(&reports) {
        let violated: Vec<String> = report
            .properties
            .iter()
            .filter(|p| p.verdict == Verdict::Violated)
            .map(|p| p.name.clone())
            .collect();
        if violated.is_empty() {
            unviolated.push(*variant);
        } else {
            jobs.push((*variant, report, violated));
        }
    }

    // 2. The smallest configuration for each violated property, one job per variant.
    let split = Split::new(threads, jobs.len());
    let options = engine(&split);
    let progress = Progress::new(jobs.len(), !args.json);
    let swept = run_jobs(&jobs, split.workers, |(variant, report, properties)| {
        let started = Instant::now();
        let start = DnsConfig {
            variant: *variant,
            ..base
        };
        let swept = sweep_variant(start, report, properties, &options);
        progress.done(variant.name(), started.elapsed());
        swept
    });
    let elapsed = started.elapsed();
    let mut findings = Vec::new();
    let mut checks = 0;
    for (found, count, stopped) in swept {
        findings.extend(found);
        checks += count;
        bounded |= stopped;
    }

    let text = if args.json {
        let document = json(
            &chosen.scenario.name,
            &base,
            &findings,
            &unviolated,
            bounded,
            checks,
            elapsed,
        );
        format!(
            "{}\n",
            serde_json::to_string_pretty(&document).expect("JSON renders")
        )
    } else {
        text(
            &base,
            &findings,
            &unviolated,
            bounded,
            checks,
            threads,
            elapsed,
        )
    };
    emit(&text)?;
    Ok(if bounded { EXIT_INCONCLUSIVE } else { 0 })
}

fn scale(config: &DnsConfig) -> String {
    format!(
        "{}/{}/{}",
        config.enactors, config.endpoints, config.generations
    )
}

fn text(
    base: &DnsConfig,
    findings: &[Finding],
    unviolated: &[Variant],
    bounded: bool,
    checks: usize,
    threads: usize,
    elapsed: Duration,
) -> String {
    let mut out = String::from("\n");
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header: Vec<String> = ["variant", "property"].map(String::from).to_vec();
    header.extend(PARAMETERS.iter().map(|(_, label)| label.to_string()));
    header.push("trace".into());
    header.extend(THRESHOLDS.map(|k| format!("K={k}")));
    table.push(header);
    for finding in findings {
        let mut line = vec![finding.variant.name().to_string(), finding.property.clone()];
        line.extend(
            PARAMETERS
                .iter()
                .map(|(field, _)| get(&finding.smallest, field).to_string()),
        );
        line.push(finding.trace_states.map_or("-".into(), |n| n.to_string()));
        line.extend(
            finding
                .fewest_generations
                .iter()
                .map(|(_, fewest)| fewest.map_or("-".into(), |g| g.to_string())),
        );
        table.push(line);
    }
    if findings.is_empty() {
        out.push_str("No variant violates a property at this scale: nothing to sweep.\n");
    } else {
        let widths: Vec<usize> = (0..table[0].len())
            .map(|c| table.iter().map(|line| line[c].len()).max().unwrap_or(0))
            .collect();
        for line in &table {
            let mut text = String::new();
            for (c, value) in line.iter().enumerate() {
                let width = widths[c];
                match c {
                    0 => {}
                    _ => text.push_str("  "),
                }
                if c < 2 {
                    let _ = write!(text, "{value:width$}");
                } else {
                    let _ = write!(text, "{value:>width$}");
                }
            }
            let _ = writeln!(out, "{}", text.trim_end());
        }
        let _ = writeln!(
            out,
            "\nEnactors, endpoints, generations: the smallest configuration that shows the \
             violation (clean-up threshold {}): lowering any one of them by one makes it \
             disappear.\ntrace: states in the shortest counterexample there.\nK=n: the fewest \
             generations that show it with clean-up threshold n, at those Enactors and \
             endpoints (-: none up to {MAX_GENERATIONS}).",
            base.cleanup_threshold
        );
    }
    if !unviolated.is_empty() {
        let names: Vec<&str> = unviolated.iter().map(|v| v.name()).collect();
        let _ = writeln!(out, "Nothing violated at this scale: {}.", names.join(", "));
    }
    if !findings.is_empty() {
        let failures: Vec<String> = findings
            .iter()
            .flat_map(|f| {
                f.not_monotone.iter().map(move |above| {
                    format!(
                        "{} / {} not violated at {}",
                        f.variant.name(),
                        f.property,
                        scale(above)
                    )
                })
            })
            .collect();
        if failures.is_empty() {
            out.push_str(
                "Monotonicity spot check: one more Enactor, endpoint or generation than each \
                 smallest configuration still shows the violation.\n",
            );
        } else {
            let _ = writeln!(
                out,
                "Monotonicity spot check FAILED (one more is not always worse):"
            );
            for failure in failures {
                let _ = writeln!(out, "  {failure}");
            }
        }
    }
    if bounded {
        out.push_str(
            "A bound stopped some checks (inconclusive, counted as not violated): the \
             configurations above may not be the smallest.\n",
        );
    }
    let _ = writeln!(
        out,
        "Finished in {:.1}s ({} after the starting checks) with {}.",
        elapsed.as_secs_f64(),
        plural(checks, "check", "checks"),
        plural(threads, "thread", "threads")
    );
    out
}

fn json(
    scenario: &str,
    base: &DnsConfig,
    findings: &[Finding],
    unviolated: &[Variant],
    bounded: bool,
    checks: usize,
    elapsed: Duration,
) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let fewest: Vec<serde_json::Value> = f
                .fewest_generations
                .iter()
                .map(|(threshold, generations)| {
                    serde_json::json!({
                        "cleanup_threshold": threshold,
                        "generations": generations,
                    })
                })
                .collect();
            let not_monotone: Vec<serde_json::Value> =
                f.not_monotone.iter().map(scale_json).collect();
            serde_json::json!({
                "variant": f.variant.name(),
                "property": f.property,
                "smallest": scale_json(&f.smallest),
                "trace_states": f.trace_states,
                "fewest_generations": fewest,
                "not_violated_one_step_above": not_monotone,
            })
        })
        .collect();
    serde_json::json!({
        "model": "dynamodb-dns",
        "scenario": scenario,
        "config": scale_json(base),
        "smallest_means": "lowering any one of enactors, endpoints, generations by one makes the violation disappear",
        "findings": findings,
        "not_violated": unviolated.iter().map(|v| v.name()).collect::<Vec<_>>(),
        "checks": checks,
        "bounded": bounded,
        "exit_code": if bounded { EXIT_INCONCLUSIVE } else { 0 },
        "seconds": elapsed.as_secs_f64(),
    })
}
