//! `dnsrace sweep`: for each property a variant violates, the smallest configuration that
//! still shows the violation.
//!
//! # What "smallest" means
//!
//! Starting from the scenario's configuration, the sweep lowers each count the model
//! lets it lower (`sweep_lowers`; for the DNS model the number of Enactors, then
//! endpoints, then generations), one at a time, keeping a step only if the property is
//! still violated, and repeats until a whole pass lowers nothing. The result is
//! **1-minimal**: lowering any one of those parameters by one makes the violation
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
//! Separately, where the model asks for it ([`SweepTable`]; for the DNS model: for each
//! clean-up threshold K from 0 to 3), it gives the fewest generations that show the
//! violation with the smallest configuration's Enactors and endpoints, trying 1, 2, 3, …
//! generations in turn (so "fewest" needs no assumption either). This is how far the
//! Planner must run ahead of the slow Enactor before the race can happen.
//!
//! Every check looks at the one property being swept; checks run in parallel as in
//! `matrix`, one engine thread each.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use clap::Args;
use dnsrace_checker::table::{aligned, Align};
use dnsrace_checker::{CheckOptions, Report, Verdict};
use dnsrace_core::{ModelDefinition, Parameter, ParameterKind, Setting, SweepTable};

use crate::check::select_properties;
use crate::matrix::{
    check_named, plural, run_jobs, total_threads, variants_to_check, with_variant, Progress, Split,
};
use crate::model_args::ModelArgs;
use crate::search_args::SearchArgs;
use crate::{emit, UsageError};

/// Exit code when some check hit a bound, so a result may not be the smallest.
const EXIT_INCONCLUSIVE: u8 = crate::exit::INCONCLUSIVE;

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

/// What the sweep needs of a model: its definition, and the counts it lowers.
struct Sweeper<'a, D: ModelDefinition> {
    definition: &'a D,
    /// The parameters the sweep lowers, in the order it lowers them.
    lowered: Vec<&'static Parameter>,
    table: Option<SweepTable>,
}

impl<D: ModelDefinition> Sweeper<'_, D> {
    fn get(&self, config: &D::Config, name: &str) -> i64 {
        match self.definition.get(config, name) {
            Setting::Count(count) => count,
            _ => 0,
        }
    }

    /// `config` with the count `name` set to `value`, if that is in range.
    fn with(&self, config: &D::Config, name: &str, value: i64) -> Option<D::Config> {
        let parameter = self
            .definition
            .parameters()
            .iter()
            .find(|p| p.name == name)?;
        let setting = parameter.count(value)?;
        let mut moved = config.clone();
        self.definition.set(&mut moved, name, setting);
        Some(moved)
    }

    /// `config` with `name` moved by `delta`, if that stays in range.
    fn moved(&self, config: &D::Config, name: &str, delta: i64) -> Option<D::Config> {
        self.with(config, name, self.get(config, name) + delta)
    }

    /// The lowered counts, e.g. "3/2/5".
    fn scale(&self, config: &D::Config) -> String {
        self.lowered
            .iter()
            .map(|p| self.get(config, p.name).to_string())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The values of the sweep table's parameter, smallest first.
    fn table_range(&self) -> Vec<i64> {
        self.table
            .map(|table| (table.values.0..=table.values.1).collect())
            .unwrap_or_default()
    }

    /// The largest value of the count `name`.
    fn max_of(&self, name: &str) -> i64 {
        match self
            .definition
            .parameters()
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.kind)
        {
            Some(ParameterKind::Count { max, .. }) => max,
            _ => 0,
        }
    }
}

/// A parameter's column heading: its unit ("Enactors") or its name.
fn heading(parameter: &Parameter) -> String {
    parameter
        .unit
        .map_or_else(|| parameter.name.to_string(), |(_, many)| many.to_string())
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
struct Probe<'a, D: ModelDefinition> {
    sweeper: &'a Sweeper<'a, D>,
    properties: &'a [String],
    options: &'a CheckOptions,
    seen: HashMap<D::Config, Vec<Outcome>>,
    bounded: bool,
}

impl<D: ModelDefinition> Probe<'_, D> {
    fn outcome(&mut self, config: &D::Config, property: usize) -> Outcome {
        if let Some(outcomes) = self.seen.get(config) {
            return outcomes[property];
        }
        let model = self.sweeper.definition.build(config);
        let report = check_named(&model, self.properties, false, self.options);
        self.remember(config.clone(), &report);
        self.seen[config][property]
    }

    fn remember(&mut self, config: D::Config, report: &Report) {
        let outcomes: Vec<Outcome> = self
            .properties
            .iter()
            .map(|name| {
                let result = report.properties.iter().find(|p| p.name == *name);
                Outcome {
                    verdict: result.map_or(Verdict::Inconclusive, |r| r.verdict),
                    trace_states: result.and_then(|r| r.trace.as_ref().map(|t| t.len())),
                }
            })
            .collect();
        self.bounded |= outcomes.iter().any(|o| o.verdict == Verdict::Inconclusive);
        self.seen.insert(config, outcomes);
    }

    fn violated(&mut self, config: &D::Config, property: usize) -> bool {
        self.outcome(config, property).verdict == Verdict::Violated
    }
}

/// The sweep of one violated property of one variant.
struct Finding<C> {
    variant: &'static str,
    property: String,
    /// The 1-minimal configuration.
    smallest: C,
    /// The shortest counterexample there, in states.
    trace_states: Option<usize>,
    /// For each value of the sweep table's parameter, the fewest of its minimised count
    /// (none up to the maximum: `None`).
    fewest: Vec<(i64, Option<i64>)>,
    /// Configurations one step above `smallest` that do not show the violation.
    not_monotone: Vec<C>,
}

/// Sweeps each of `properties`, all violated at `start`, whose check is `start_report`.
/// Returns the findings, the number of checks run and whether a bound stopped one.
fn sweep_variant<D: ModelDefinition>(
    sweeper: &Sweeper<'_, D>,
    variant: &'static str,
    start: &D::Config,
    start_report: &Report,
    properties: &[String],
    options: &CheckOptions,
) -> (Vec<Finding<D::Config>>, usize, bool) {
    let mut probe = Probe {
        sweeper,
        properties,
        options,
        seen: HashMap::new(),
        bounded: false,
    };
    probe.remember(start.clone(), start_report);
    let mut findings: Vec<Finding<D::Config>> = (0..properties.len())
        .map(|property| sweep(&mut probe, variant, start, property))
        .collect();
    let checks = probe.seen.len() - 1 + spot_check(&mut probe, &mut findings);
    // The starting check was run by the caller.
    (findings, checks, probe.bounded)
}

/// The monotonicity spot check: one more of each lowered count than each smallest
/// configuration should still show its violation. Each configuration is checked once,
/// for just the properties whose smallest configuration is one step below it, so the
/// check stops at their violations. Returns the number of checks run.
fn spot_check<D: ModelDefinition>(
    probe: &mut Probe<'_, D>,
    findings: &mut [Finding<D::Config>],
) -> usize {
    let sweeper = probe.sweeper;
    let mut wanted: Vec<(D::Config, Vec<usize>)> = Vec::new();
    for (property, finding) in findings.iter().enumerate() {
        for parameter in &sweeper.lowered {
            let Some(above) = sweeper.moved(&finding.smallest, parameter.name, 1) else {
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
                let model = sweeper.definition.build(&above);
                let report = check_named(&model, &names, false, probe.options);
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
                findings[property].not_monotone.push(above.clone());
            }
        }
    }
    checks
}

fn sweep<D: ModelDefinition>(
    probe: &mut Probe<'_, D>,
    variant: &'static str,
    start: &D::Config,
    property: usize,
) -> Finding<D::Config> {
    let sweeper = probe.sweeper;
    let mut smallest = start.clone();
    loop {
        let mut lowered = false;
        for parameter in &sweeper.lowered {
            while let Some(lower) = sweeper.moved(&smallest, parameter.name, -1) {
                if !probe.violated(&lower, property) {
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
    let trace_states = probe.outcome(&smallest, property).trace_states;

    let mut fewest = Vec::new();
    if let Some(table) = sweeper.table {
        for value in sweeper.table_range() {
            let least = match sweeper.with(&smallest, table.across, value) {
                None => None,
                Some(row) => (1..=sweeper.max_of(table.fewest)).find(|&count| {
                    sweeper
                        .with(&row, table.fewest, count)
                        .is_some_and(|config| probe.violated(&config, property))
                }),
            };
            fewest.push((value, least));
        }
    }

    Finding {
        variant,
        property: probe.properties[property].clone(),
        smallest,
        trace_states,
        fewest,
        not_monotone: Vec::new(),
    }
}

/// Runs `dnsrace sweep` and returns its exit code: 0, or 3 when a bound stopped a check.
pub fn run<D: ModelDefinition>(definition: &D, args: SweepArgs) -> Result<u8, UsageError> {
    let chosen = args.model.choose(definition)?;
    let base = chosen.config.clone();
    select_properties(&definition.build(&base), &args.properties)?;
    let sweeper = Sweeper {
        definition,
        lowered: definition
            .parameters()
            .iter()
            .filter(|p| p.sweep_lowers && matches!(p.kind, ParameterKind::Count { .. }))
            .collect(),
        table: definition.sweep_table(),
    };
    let variants: Vec<&'static str> = variants_to_check(definition, &args.model)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    if !args.json {
        emit(&format!(
            "Sweeping {} of scenario \"{}\" from {}.\n",
            plural(variants.len(), "variant", "variants"),
            chosen.scenario.name,
            definition.describe_scale(&base)
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
        let model = definition.build(&with_variant(definition, &base, variant));
        let report = check_named(&model, &args.properties, args.search.liveness, &options);
        progress.done(variant, report.statistics.elapsed);
        report
    });
    let mut bounded = reports.iter().any(Report::is_inconclusive);
    let mut jobs: Vec<(&'static str, &Report, Vec<String>)> = Vec::new();
    let mut unviolated: Vec<&'static str> = Vec::new();
    let mut undecided: Vec<&'static str> = Vec::new();
    for (variant, report) in variants.iter().zip(&reports) {
        let violated: Vec<String> = report
            .properties
            .iter()
            .filter(|p| p.verdict == Verdict::Violated)
            .map(|p| p.name.clone())
            .collect();
        if !violated.is_empty() {
            jobs.push((variant, report, violated));
        } else if report.is_inconclusive() {
            undecided.push(variant);
        } else {
            unviolated.push(variant);
        }
    }

    // 2. The smallest configuration for each violated property, one job per variant.
    let split = Split::new(threads, jobs.len());
    let options = engine(&split);
    let progress = Progress::new(jobs.len(), !args.json);
    let swept = run_jobs(&jobs, split.workers, |(variant, report, properties)| {
        let started = Instant::now();
        let start = with_variant(definition, &base, variant);
        let swept = sweep_variant(&sweeper, variant, &start, report, properties, &options);
        progress.done(variant, started.elapsed());
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
    let outcome = Outcome_ {
        findings: &findings,
        unviolated: &unviolated,
        undecided: &undecided,
        bounded,
        checks,
        elapsed,
    };

    let text = if args.json {
        let document = json(&sweeper, &chosen.scenario.name, &base, &outcome);
        format!(
            "{}\n",
            serde_json::to_string_pretty(&document).expect("JSON renders")
        )
    } else {
        text(&sweeper, &base, &outcome, threads)
    };
    emit(&text)?;
    Ok(if bounded { EXIT_INCONCLUSIVE } else { 0 })
}

/// What a sweep found, for the output.
#[allow(non_camel_case_types)]
struct Outcome_<'a, C> {
    findings: &'a [Finding<C>],
    /// Variants that violate nothing, exhaustively.
    unviolated: &'a [&'static str],
    /// Variants with no violation found before a bound stopped their check.
    undecided: &'a [&'static str],
    bounded: bool,
    checks: usize,
    elapsed: Duration,
}

fn text<D: ModelDefinition>(
    sweeper: &Sweeper<'_, D>,
    base: &D::Config,
    outcome: &Outcome_<'_, D::Config>,
    threads: usize,
) -> String {
    let findings = outcome.findings;
    let table_label = sweeper.table.map(|table| table.across.to_string());
    let mut out = String::from("\n");
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header: Vec<String> = ["variant", "property"].map(String::from).to_vec();
    header.extend(sweeper.lowered.iter().map(|p| heading(p)));
    header.push("trace".into());
    if let Some(table) = sweeper.table {
        header.extend(
            sweeper
                .table_range()
                .iter()
                .map(|k| format!("{}={k}", table.label)),
        );
    }
    table.push(header);
    for finding in findings {
        let mut line = vec![finding.variant.to_string(), finding.property.clone()];
        line.extend(
            sweeper
                .lowered
                .iter()
                .map(|p| sweeper.get(&finding.smallest, p.name).to_string()),
        );
        line.push(finding.trace_states.map_or("-".into(), |n| n.to_string()));
        line.extend(
            finding
                .fewest
                .iter()
                .map(|(_, fewest)| fewest.map_or("-".into(), |g| g.to_string())),
        );
        table.push(line);
    }
    if findings.is_empty() {
        out.push_str("No variant violates a property at this scale: nothing to sweep.\n");
    } else {
        // The variant and the property left, the numbers right.
        let mut align = vec![Align::Left, Align::Left];
        align.resize(table[0].len(), Align::Right);
        out.push_str(&aligned(&table, &align, ""));
        let headings: Vec<String> = sweeper.lowered.iter().map(|p| heading(p)).collect();
        let fixed: Vec<String> = sweeper
            .table
            .iter()
            .filter_map(|table| {
                let parameter = sweeper
                    .definition
                    .parameters()
                    .iter()
                    .find(|p| p.name == table.across)?;
                Some(parameter.describe(sweeper.definition.get(base, parameter.name)))
            })
            .collect();
        let _ = write!(
            out,
            "\n{}: the smallest configuration that shows the violation{}: lowering any one \
             of them by one makes it disappear.\ntrace: states in the shortest counterexample there.\n",
            headings.join(", "),
            match fixed.is_empty() {
                true => String::new(),
                false => format!(" ({})", fixed.join(", ")),
            }
        );
        if let (Some(table), Some(label)) = (sweeper.table, &table_label) {
            let fewest = sweeper
                .definition
                .parameters()
                .iter()
                .find(|p| p.name == table.fewest)
                .map_or(table.fewest.to_string(), heading);
            let others: Vec<String> = sweeper
                .lowered
                .iter()
                .filter(|p| p.name != table.fewest)
                .map(|p| heading(p))
                .collect();
            // With no other lowered parameter there is no "those" to speak of.
            let at = match others.is_empty() {
                true => String::new(),
                false => format!(", at those {}", others.join(" and ")),
            };
            let _ = writeln!(
                out,
                "{}=n: the fewest {fewest} that show it with {} n{at} (-: none up to {}).",
                table.label,
                label.replace('_', " "),
                sweeper.max_of(table.fewest)
            );
        }
    }
    if !outcome.unviolated.is_empty() {
        let _ = writeln!(
            out,
            "Nothing violated at this scale: {}.",
            outcome.unviolated.join(", ")
        );
    }
    if !outcome.undecided.is_empty() {
        let _ = writeln!(
            out,
            "Inconclusive (a bound stopped the check before any violation was found): {}.",
            outcome.undecided.join(", ")
        );
    }
    if !findings.is_empty() {
        let failures: Vec<String> = findings
            .iter()
            .flat_map(|f| {
                f.not_monotone.iter().map(move |above| {
                    format!(
                        "{} / {} not violated at {}",
                        f.variant,
                        f.property,
                        sweeper.scale(above)
                    )
                })
            })
            .collect();
        if failures.is_empty() {
            let singular: Vec<String> = sweeper
                .lowered
                .iter()
                .map(|p| {
                    p.unit
                        .map_or_else(|| p.name.to_string(), |(one, _)| one.to_string())
                })
                .collect();
            let _ = writeln!(
                out,
                "Monotonicity spot check: one more {} than each smallest configuration \
                 still shows the violation.",
                either(&singular)
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
    if outcome.bounded {
        out.push_str(
            "Inconclusive: a bound stopped some checks (counted as not violated), so the \
             configurations above may not be the smallest.\n",
        );
    }
    let _ = writeln!(
        out,
        "Finished in {:.1}s ({} after the starting checks) with {}.",
        outcome.elapsed.as_secs_f64(),
        plural(outcome.checks, "check", "checks"),
        plural(threads, "thread", "threads")
    );
    out
}

/// `a`, `a or b`, `a, b or c`.
fn either(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A configuration without its variant, as JSON.
fn scale_json<D: ModelDefinition>(definition: &D, config: &D::Config) -> serde_json::Value {
    let mut json = crate::check::config_json(definition, config);
    if let (Some(fields), Some(variant)) = (json.as_object_mut(), definition.variant_parameter()) {
        fields.shift_remove(variant.name);
    }
    json
}

fn json<D: ModelDefinition>(
    sweeper: &Sweeper<'_, D>,
    scenario: &str,
    base: &D::Config,
    outcome: &Outcome_<'_, D::Config>,
) -> serde_json::Value {
    let definition = sweeper.definition;
    let findings: Vec<serde_json::Value> = outcome
        .findings
        .iter()
        .map(|f| {
            let fewest: Vec<serde_json::Value> = sweeper
                .table
                .iter()
                .flat_map(|table| {
                    f.fewest.iter().map(move |(value, least)| {
                        serde_json::json!({
                            table.across: value,
                            table.fewest: least,
                        })
                    })
                })
                .collect();
            let not_monotone: Vec<serde_json::Value> = f
                .not_monotone
                .iter()
                .map(|c| scale_json(definition, c))
                .collect();
            let key = sweeper.table.map_or("fewest".to_string(), |table| {
                format!("fewest_{}", table.fewest)
            });
            serde_json::json!({
                "variant": f.variant,
                "property": f.property,
                "smallest": scale_json(definition, &f.smallest),
                "trace_states": f.trace_states,
                key: fewest,
                "not_violated_one_step_above": not_monotone,
            })
        })
        .collect();
    let lowered: Vec<&str> = sweeper.lowered.iter().map(|p| p.name).collect();
    serde_json::json!({
        "model": definition.name(),
        "scenario": scenario,
        "config": scale_json(definition, base),
        "smallest_means": format!(
            "lowering any one of {} by one makes the violation disappear",
            lowered.join(", ")
        ),
        "findings": findings,
        "not_violated": outcome.unviolated,
        "inconclusive": outcome.undecided,
        "checks": outcome.checks,
        "bounded": outcome.bounded,
        "exit_code": if outcome.bounded { EXIT_INCONCLUSIVE } else { 0 },
        "seconds": outcome.elapsed.as_secs_f64(),
    })
}
