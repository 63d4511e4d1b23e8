//! `dnsrace matrix`: every variant on the same scenario, one row per variant and one
//! column per property, compared cell by cell with the verdicts `variants.toml` declares.
//!
//! # Layout
//!
//! Property names are long, so the text table labels its columns `P1`, `P2`, … and lists
//! the full names (with their kind) above it; `--markdown` uses the full names as column
//! headers, for docs. A cell is `holds`, `VIOLATED (n)` (the shortest counterexample has
//! `n` states), `reached`, `NOT REACHED` or `inconclusive`. Each row also gives the
//! distinct states the variant's check explored, with a `+` when the search stopped
//! before exhausting the state space (every property already had a verdict, or a bound
//! hit), so the number is a lower bound.
//!
//! # Timing
//!
//! Everything except timing is the same on every run and with any number of threads.
//! Timing lives in two places only: the text table's last column (`seconds`) and the
//! closing `Finished in …` line; `--markdown` prints no timing at all, so a doc can quote
//! it verbatim; `--json` has `seconds` fields.
//!
//! # Parallelism
//!
//! The variants are independent checks. With `--threads N` (0: every core), `N` worker
//! threads each take the next variant, in the model's order, and check it with one
//! engine thread (when there are more threads than variants, each check gets
//! `N / variants` threads): whole checks in parallel scale better than one check's
//! level-synchronous search, which waits at a barrier after every level. The workers are
//! plain scoped threads, not a rayon pool: the engine runs each check in its own rayon
//! pool, and a rayon worker waiting for another pool steals queued work, which would start
//! every variant at once. Bounds (`--max-states`, `--max-depth`, `--timeout`) apply to
//! each variant's check; `--max-memory` caps the whole process, so it stops every check
//! running when it is reached.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::Args;
use dnsrace_checker::table::{aligned, Align};
use dnsrace_checker::{
    check_with_liveness, CheckOptions, Completeness, PropertyResult, Report, Verdict,
};
use dnsrace_core::{DeclaredVerdicts, ModelDefinition, ParameterKind, Presentation, Setting};
use std::hash::Hash;

use crate::check::select_properties;
use crate::model_args::ModelArgs;
use crate::search_args::SearchArgs;
use crate::{emit, UsageError};

/// Exit code when some cell differs from the declared verdicts.
const EXIT_DIFFERS: u8 = crate::exit::DIFFERS_FROM_DECLARED;

/// The flags of `dnsrace matrix`.
#[derive(Args, Debug)]
pub struct MatrixArgs {
    /// The scenario and its overrides. The scenario's own variant is ignored: every
    /// variant is checked, or only the one `--variant` names.
    #[command(flatten)]
    pub model: ModelArgs,

    /// Count a checked property that `variants.toml` declares no verdict for as a
    /// difference (by default it is listed as undeclared and does not change the exit
    /// code).
    #[arg(long)]
    pub strict: bool,

    /// Check only this property (repeatable; see `dnsrace list`). Default: every safety
    /// and reachability property, and the liveness ones with `--liveness`.
    #[arg(long = "property", value_name = "NAME")]
    pub properties: Vec<String>,

    /// Threads, bounds, symmetry, liveness. The bounds apply to each variant's check.
    #[command(flatten)]
    pub search: SearchArgs,

    /// Print the table in Markdown, with the full property names as column headers and
    /// no timing, so that docs can quote it.
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,

    /// Print one JSON document (every cell, its expected verdict, statistics) and
    /// nothing else.
    #[arg(long)]
    pub json: bool,
}

/// One variant's check.
struct Row {
    variant: &'static str,
    description: &'static str,
    report: Report,
    /// The verdict `variants.toml` declares for each checked property, in report order.
    expected: Vec<Option<Verdict>>,
}

/// A cell whose verdict is not the declared one, or that declares none.
struct Difference {
    variant: &'static str,
    /// The table of `variants.toml` the verdict comes from.
    context: String,
    property: String,
    expected: Option<Verdict>,
    got: Verdict,
}

impl Difference {
    fn line(&self) -> String {
        let expected = match self.expected {
            Some(expected) => format!("expected {expected}"),
            None => format!(
                "no verdict declared in variants.toml (table [\"{}\".{}])",
                self.context, self.variant
            ),
        };
        format!(
            "{} / {}: {expected}, got {}",
            self.variant, self.property, self.got
        )
    }
}

/// The variants to check, with their descriptions: the choices of the model's variant
/// parameter (only the one `--variant` names, if it does), or the scenario's own
/// configuration as the one row `default` when the model has no variants.
pub(crate) fn variants_to_check<D: ModelDefinition>(
    definition: &D,
    args: &ModelArgs,
) -> Vec<(&'static str, &'static str)> {
    let Some(parameter) = definition.variant_parameter() else {
        return vec![("default", "the scenario's configuration")];
    };
    let ParameterKind::Choice(choices) = parameter.kind else {
        return vec![("default", "the scenario's configuration")];
    };
    let only = args.override_of(parameter.name);
    choices
        .iter()
        .filter(|choice| only.is_none_or(|only| only == Setting::Choice(choice.name)))
        .map(|choice| (choice.name, choice.description))
        .collect()
}

/// `base` with its variant set to `variant` (no change for a model without variants).
pub(crate) fn with_variant<D: ModelDefinition>(
    definition: &D,
    base: &D::Config,
    variant: &'static str,
) -> D::Config {
    let mut config = base.clone();
    if let Some(parameter) = definition.variant_parameter() {
        definition.set(&mut config, parameter.name, Setting::Choice(variant));
    }
    config
}

/// Runs `dnsrace matrix` and returns its exit code: 0 when every declared cell is its
/// verdict, 5 when some differ, 3 when none differs but a bound left some inconclusive.
pub fn run<D: ModelDefinition>(definition: &D, args: MatrixArgs) -> Result<u8, UsageError> {
    let chosen = args.model.choose(definition)?;
    let base = chosen.config.clone();
    // Validate the names once, before any work, so a typo is an error and not nine.
    select_properties(&definition.build(&base), &args.properties)?;
    let declared = DeclaredVerdicts::of(definition)
        .map_err(|error| UsageError::new(format!("variants.toml: {error}")))?;
    let context = definition.expectation_context(&base);

    let variants = variants_to_check(definition, &args.model);
    let threads = total_threads(args.search.threads);
    let jobs = variants.len();
    let split = Split::new(threads, jobs);
    if !args.json && !args.markdown {
        emit(&format!(
            "Checking {} of scenario \"{}\": {}.\n",
            plural(jobs, "variant", "variants"),
            chosen.scenario.name,
            definition.describe_scale(&base)
        ))?;
    }

    let started = Instant::now();
    let options = CheckOptions {
        threads: split.per_check,
        ..args.search.options()
    };
    let progress = Progress::new(jobs, !args.json && !args.markdown);
    let reports = run_jobs(&variants, split.workers, |(variant, _)| {
        let model = definition.build(&with_variant(definition, &base, variant));
        let report = check_named(&model, &args.properties, args.search.liveness, &options);
        progress.done(variant, report.statistics.elapsed);
        report
    });
    let elapsed = started.elapsed();

    let rows: Vec<Row> = variants
        .iter()
        .zip(reports)
        .map(|((variant, description), report)| {
            let expected = report
                .properties
                .iter()
                .map(|p| declared.verdict(&context, variant, &p.name))
                .collect();
            Row {
                variant,
                description,
                report,
                expected,
            }
        })
        .collect();
    let (differences, undeclared) = differences(&rows, &context, args.strict);
    let inconclusive = rows.iter().any(|row| row.report.is_inconclusive());
    let exit_code = if !differences.is_empty() {
        EXIT_DIFFERS
    } else if inconclusive {
        crate::exit::INCONCLUSIVE
    } else {
        crate::exit::OK
    };
    let scale = definition.describe_scale(&base);

    let text = if args.json {
        let document = json(
            definition,
            &chosen.scenario.name,
            &base,
            &rows,
            (&differences, &undeclared),
            &split,
            elapsed,
            exit_code,
        );
        format!(
            "{}\n",
            serde_json::to_string_pretty(&document).expect("JSON renders")
        )
    } else if args.markdown {
        markdown(
            &chosen.scenario.name,
            &scale,
            &rows,
            &differences,
            &undeclared,
            inconclusive,
        )
    } else {
        text(
            &rows,
            &differences,
            &undeclared,
            inconclusive,
            &split,
            elapsed,
        )
    };
    emit(&text)?;
    Ok(exit_code)
}

// ---------------------------------------------------------------------------------------
// Declared verdicts
// ---------------------------------------------------------------------------------------

/// The cells whose decisive verdict is not the declared one, and the cells with no
/// declared verdict (differences too with `strict`), row by row. An inconclusive cell
/// differs from nothing: the exit code says the run was bounded.
fn differences(rows: &[Row], context: &str, strict: bool) -> (Vec<Difference>, Vec<Difference>) {
    let mut differ = Vec::new();
    let mut undeclared = Vec::new();
    for row in rows {
        for (result, expected) in row.report.properties.iter().zip(&row.expected) {
            let cell = Difference {
                variant: row.variant,
                context: context.to_string(),
                property: result.name.clone(),
                expected: *expected,
                got: result.verdict,
            };
            match expected {
                None if strict => differ.push(cell),
                None => undeclared.push(cell),
                Some(_) if result.verdict == Verdict::Inconclusive => {}
                Some(expected) if *expected != result.verdict => differ.push(cell),
                Some(_) => {}
            }
        }
    }
    (differ, undeclared)
}

// ---------------------------------------------------------------------------------------
// Running checks side by side (shared with `sweep`)
// ---------------------------------------------------------------------------------------

/// Checks the properties `names` picks out, as `check` does: every safety and
/// reachability property when `names` is empty, and the liveness properties it names (or
/// all of them with `liveness`). The names must have passed [`select_properties`].
pub(crate) fn check_named<M>(
    model: &M,
    names: &[String],
    liveness: bool,
    options: &CheckOptions,
) -> Report
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    let properties = select_properties(model, names).unwrap_or_default();
    let liveness = crate::long_run::select_liveness(model, names, liveness);
    check_with_liveness(model, &properties, &liveness, options)
}

/// How `threads` are shared among `jobs` independent checks.
pub(crate) struct Split {
    /// Checks running at once.
    pub workers: usize,
    /// Engine threads of each check.
    pub per_check: usize,
    /// All threads (`--threads`, or the number of cores).
    pub threads: usize,
}

impl Split {
    pub(crate) fn new(threads: usize, jobs: usize) -> Split {
        let threads = threads.max(1);
        let per_check = (threads / jobs.max(1)).max(1);
        Split {
            workers: (threads / per_check).clamp(1, jobs.max(1)),
            per_check,
            threads,
        }
    }

    /// E.g. "2 threads, one check per thread".
    pub(crate) fn describe(&self) -> String {
        let threads = plural(self.threads, "thread", "threads");
        if self.per_check == 1 {
            format!("{threads}, one variant per thread")
        } else {
            format!("{threads}, {} per variant", self.per_check)
        }
    }
}

/// `--threads`, with 0 meaning every core.
pub(crate) fn total_threads(flag: u16) -> usize {
    match flag {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n.into(),
    }
}

/// Runs `run` on every job with `workers` threads, each taking the next job in order;
/// the results come back in job order.
pub(crate) fn run_jobs<J, R, F>(jobs: &[J], workers: usize, run: F) -> Vec<R>
where
    J: Sync,
    R: Send,
    F: Fn(&J) -> R + Sync,
{
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, jobs.len().max(1)) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(index) else {
                    break;
                };
                let result = run(job);
                results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|result| result.expect("every job ran"))
        .collect()
}

/// One line on stderr per finished check, only when stderr is a terminal (so that a long
/// run shows it is alive without cluttering logs and tests).
pub(crate) struct Progress {
    total: usize,
    done: AtomicUsize,
    enabled: bool,
}

impl Progress {
    pub(crate) fn new(total: usize, wanted: bool) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            enabled: wanted && std::io::stderr().is_terminal(),
        }
    }

    pub(crate) fn done(&self, what: &str, elapsed: Duration) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.enabled {
            crate::complain(&format!(
                "  {done}/{}: {what} checked in {:.1}s",
                self.total,
                elapsed.as_secs_f64()
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    match count {
        1 => format!("1 {one}"),
        _ => format!("{count} {many}"),
    }
}

/// A cell: the verdict, with the length of the counterexample for a violation.
fn cell(result: &PropertyResult) -> String {
    match (result.verdict, &result.trace) {
        (Verdict::Holds, _) => "holds".to_string(),
        (Verdict::Violated, Some(trace)) => format!("VIOLATED ({})", trace.len()),
        (Verdict::Violated, None) => "VIOLATED".to_string(),
        (Verdict::Reached, _) => "reached".to_string(),
        (Verdict::NotReached, _) => "NOT REACHED".to_string(),
        (Verdict::Inconclusive, _) => "inconclusive".to_string(),
    }
}

/// Distinct states, with `+` when the search did not exhaust the state space.
fn states(report: &Report) -> String {
    let distinct = report.statistics.distinct_states;
    match report.completeness {
        Completeness::Exhaustive => distinct.to_string(),
        _ => format!("{distinct}+"),
    }
}

/// The comparison with `variants.toml`: one line per differing cell, then the
/// undeclared cells, each line starting with `bullet`.
fn comparison_lines(
    differences: &[Difference],
    undeclared: &[Difference],
    inconclusive: bool,
    bullet: &str,
) -> String {
    let mut out = if differences.is_empty() && undeclared.is_empty() && !inconclusive {
        "Every cell is the verdict variants.toml declares.\n".to_string()
    } else if differences.is_empty() {
        "Every decided cell that variants.toml declares is its declared verdict.\n".to_string()
    } else {
        let mut out = format!(
            "{} from variants.toml:\n",
            match differences.len() {
                1 => "1 cell that differs".to_string(),
                n => format!("{n} cells that differ"),
            }
        );
        for difference in differences {
            let _ = writeln!(out, "{bullet}{}", difference.line());
        }
        out
    };
    if !undeclared.is_empty() {
        let _ = writeln!(
            out,
            "{} undeclared (variants.toml has no verdict for them; --strict counts them as differences):",
            plural(undeclared.len(), "cell is", "cells are")
        );
        for cell in undeclared {
            let _ = writeln!(
                out,
                "{bullet}{} / {}: got {}",
                cell.variant, cell.property, cell.got
            );
        }
    }
    if inconclusive {
        out.push_str("Inconclusive: a bound stopped some checks before every verdict was final.\n");
    }
    out
}

/// What the states column means, in the text table.
const STATES_NOTE: &str = "states: distinct states explored; \"+\": the search stopped once \
every property had a verdict (or at a bound), so more states exist.";

/// The same, under the Markdown table.
const STATES_NOTE_MARKDOWN: &str = "A `+` after the distinct states: the search stopped once \
every property had a verdict (or at a bound), so more states exist.";

fn text(
    rows: &[Row],
    differences: &[Difference],
    undeclared: &[Difference],
    inconclusive: bool,
    split: &Split,
    elapsed: Duration,
) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let mut out = String::from("\n");
    let names = &first.report.properties;
    let name_width = names.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for (index, property) in names.iter().enumerate() {
        let _ = writeln!(
            out,
            "P{:<3} {:name_width$}  {}",
            index + 1,
            property.name,
            property.expectation
        );
    }
    out.push('\n');

    let mut header: Vec<String> = vec!["variant".into()];
    header.extend((1..=names.len()).map(|i| format!("P{i}")));
    header.extend(["states".into(), "seconds".into()]);
    let mut table = vec![header];
    for row in rows {
        let mut line = vec![row.variant.to_string()];
        line.extend(row.report.properties.iter().map(cell));
        line.push(states(&row.report));
        line.push(format!(
            "{:.1}",
            row.report.statistics.elapsed.as_secs_f64()
        ));
        table.push(line);
    }
    // Words left, the two numbers (states, seconds) right.
    let mut align = vec![Align::Left; table[0].len() - 2];
    align.extend([Align::Right, Align::Right]);
    out.push_str(&aligned(&table, &align, ""));
    let _ = writeln!(out, "\n{STATES_NOTE}");
    out.push_str(&comparison_lines(
        differences,
        undeclared,
        inconclusive,
        "  ",
    ));
    let _ = writeln!(
        out,
        "Finished in {:.1}s with {}.",
        elapsed.as_secs_f64(),
        split.describe()
    );
    out
}

fn markdown(
    scenario: &str,
    scale: &str,
    rows: &[Row],
    differences: &[Difference],
    undeclared: &[Difference],
    inconclusive: bool,
) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let mut out = format!("Scenario \"{scenario}\": {scale}.\n\n");
    let names = &first.report.properties;
    out.push_str("| variant |");
    for property in names {
        let _ = write!(out, " {} |", property.name);
    }
    out.push_str(" distinct states |\n|---|");
    out.push_str(&"---|".repeat(names.len()));
    out.push_str("---:|\n");
    for row in rows {
        let _ = write!(out, "| {} |", row.variant);
        for result in &row.report.properties {
            let _ = write!(out, " {} |", cell(result));
        }
        let _ = writeln!(out, " {} |", states(&row.report));
    }
    let _ = writeln!(out, "\n{STATES_NOTE_MARKDOWN}\n");
    out.push_str(&comparison_lines(
        differences,
        undeclared,
        inconclusive,
        "- ",
    ));
    out
}

#[allow(clippy::too_many_arguments)]
fn json<D: ModelDefinition>(
    definition: &D,
    scenario: &str,
    base: &D::Config,
    rows: &[Row],
    (differences, undeclared): (&[Difference], &[Difference]),
    split: &Split,
    elapsed: Duration,
    exit_code: u8,
) -> serde_json::Value {
    let properties: Vec<serde_json::Value> = rows
        .first()
        .map(|row| {
            row.report
                .properties
                .iter()
                .enumerate()
                .map(|(index, p)| {
                    serde_json::json!({
                        "label": format!("P{}", index + 1),
                        "name": p.name,
                        "kind": p.expectation,
                        "description": p.description,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let cells: Vec<serde_json::Value> = row
                .report
                .properties
                .iter()
                .zip(&row.expected)
                .map(|(result, expected)| {
                    serde_json::json!({
                        "property": result.name,
                        "verdict": result.verdict,
                        "trace_states": result.trace.as_ref().map(|t| t.len()),
                        "expected": expected,
                        "matches": expected.is_some_and(|e| e == result.verdict),
                    })
                })
                .collect();
            let statistics = &row.report.statistics;
            serde_json::json!({
                "variant": row.variant,
                "description": row.description,
                "cells": cells,
                "states_generated": statistics.states_generated,
                "distinct_states": statistics.distinct_states,
                "depth": statistics.depth,
                "completeness": row.report.completeness,
                "seconds": statistics.elapsed.as_secs_f64(),
            })
        })
        .collect();
    let cells = |cells: &[Difference]| -> Vec<serde_json::Value> {
        cells
            .iter()
            .map(|d| {
                serde_json::json!({
                    "variant": d.variant,
                    "property": d.property,
                    "expected": d.expected,
                    "got": d.got,
                })
            })
            .collect()
    };
    let mut config = crate::check::config_json(definition, base);
    if let (Some(fields), Some(variant)) = (config.as_object_mut(), definition.variant_parameter())
    {
        fields.shift_remove(variant.name);
    }
    serde_json::json!({
        "model": definition.name(),
        "scenario": scenario,
        "config": config,
        "properties": properties,
        "rows": rows,
        "matches_declared_verdicts": differences.is_empty(),
        "differences": cells(differences),
        "undeclared": cells(undeclared),
        "exit_code": exit_code,
        "threads": split.threads,
        "threads_per_variant": split.per_check,
        "seconds": elapsed.as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_split_between_variants() {
        let split = |threads, jobs| {
            let s = Split::new(threads, jobs);
            (s.workers, s.per_check)
        };
        assert_eq!(split(1, 9), (1, 1));
        assert_eq!(split(2, 9), (2, 1));
        assert_eq!(split(9, 9), (9, 1));
        assert_eq!(split(20, 9), (9, 2));
        assert_eq!(split(4, 1), (1, 4));
        assert_eq!(split(4, 0), (1, 4));
    }

    #[test]
    fn jobs_come_back_in_order_whatever_the_workers() {
        let jobs: Vec<u64> = (0..50).collect();
        for workers in [1, 2, 7, 64] {
            let results = run_jobs(&jobs, workers, |job| {
                std::thread::sleep(Duration::from_micros(50 - job));
                job * 2
            });
            assert_eq!(results, jobs.iter().map(|j| j * 2).collect::<Vec<_>>());
        }
        assert!(run_jobs(&[] as &[u8], 2, |_| 0).is_empty());
    }
}
