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
//! threads each take the next variant, in [`Variant::ALL`] order, and check it with one
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
use dnsrace_checker::{
    check_with_liveness, CheckOptions, Completeness, PropertyResult, Report, Verdict,
};
use dynamodb_dns::{variant_expectations_in, DnsConfig, DnsModel, ExpectedVerdict, Variant};

use crate::check::select_properties;
use crate::model_args::ModelArgs;
use crate::search_args::SearchArgs;
use crate::{emit, UsageError};

/// Exit code when some cell differs from the declared verdicts.
const EXIT_DIFFERS: u8 = 1;

/// The flags of `dnsrace matrix`.
#[derive(Args, Debug)]
pub struct MatrixArgs {
    /// The scenario and its overrides; the scenario's own variant is ignored and
    /// `--variant` is refused, since every variant is checked.
    #[command(flatten)]
    pub model: ModelArgs,

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
    variant: Variant,
    report: Report,
    /// The verdict `variants.toml` declares for each checked property, in report order.
    expected: Vec<Option<ExpectedVerdict>>,
}

/// A cell whose verdict is not the declared one.
struct Difference {
    variant: Variant,
    /// The table of `variants.toml` the verdict comes from.
    context: String,
    property: String,
    expected: Option<ExpectedVerdict>,
    got: Verdict,
}

impl Difference {
    fn line(&self) -> String {
        let expected = match self.expected {
            Some(expected) => format!("expected {}", expected.name()),
            None => format!(
                "no verdict declared in variants.toml (table [\"{}\".{}])",
                self.context,
                self.variant.name()
            ),
        };
        format!(
            "{} / {}: {expected}, got {}",
            self.variant.name(),
            self.property,
            self.got
        )
    }
}

/// Runs `dnsrace matrix` and returns its exit code: 0 when every cell is the declared
/// verdict, 1 when some differ.
pub fn run(args: MatrixArgs) -> Result<u8, UsageError> {
    if let Some(variant) = &args.model.variant {
        return Err(UsageError::new(format!(
            "--variant `{variant}` makes no sense with `matrix`, which checks every variant; \
             to see one cell's trace, run `dnsrace check --variant NAME` with the same scenario \
             and flags"
        )));
    }
    let chosen = args.model.choose()?;
    let base = chosen.config;
    // Validate the names once, before any work, so a typo is an error and not nine.
    select_properties(&base.into_model(), &args.properties)?;
    let declared = declared_verdicts(&base)?;

    let threads = total_threads(args.search.threads);
    let jobs = Variant::ALL.len();
    let split = Split::new(threads, jobs);
    if !args.json && !args.markdown {
        emit(&format!(
            "Checking {jobs} variants of scenario \"{}\": {}.\n",
            chosen.scenario.name,
            describe_scale(&base)
        ))?;
    }

    let started = Instant::now();
    let options = CheckOptions {
        threads: split.per_check,
        ..args.search.options()
    };
    let progress = Progress::new(jobs, !args.json && !args.markdown);
    let reports = run_jobs(Variant::ALL, split.workers, |variant| {
        let model = DnsConfig {
            variant: *variant,
            ..base
        }
        .into_model();
        let report = check_named(&model, &args.properties, args.search.liveness, &options);
        progress.done(variant.name(), report.statistics.elapsed);
        report
    });
    let elapsed = started.elapsed();

    let rows: Vec<Row> = Variant::ALL
        .iter()
        .zip(reports)
        .map(|(variant, report)| {
            let expected = report
                .properties
                .iter()
                .map(|p| declared_for(&declared, *variant, &p.name))
                .collect();
            Row {
                variant: *variant,
                report,
                expected,
            }
        })
        .collect();
    let differences = differences(&rows, &base.expectation_context());

    let text = if args.json {
        let document = json(
            &chosen.scenario.name,
            &base,
            &rows,
            &differences,
            &split,
            elapsed,
        );
        format!(
            "{}\n",
            serde_json::to_string_pretty(&document).expect("JSON renders")
        )
    } else if args.markdown {
        markdown(&chosen.scenario.name, &base, &rows, &differences)
    } else {
        text(&rows, &differences, &split, elapsed)
    };
    emit(&text)?;
    Ok(if differences.is_empty() {
        0
    } else {
        EXIT_DIFFERS
    })
}

// ---------------------------------------------------------------------------------------
// Declared verdicts
// ---------------------------------------------------------------------------------------

type Declared = Vec<(Variant, Vec<(&'static str, ExpectedVerdict)>)>;

/// The verdicts `variants.toml` (compiled into the model crate) declares for the options
/// of `config` (its freshness reading, faults and repair); none when it declares nothing
/// for them, so that every cell is then listed as undeclared.
pub(crate) fn declared_verdicts(config: &DnsConfig) -> Result<Declared, UsageError> {
    let declared = variant_expectations_in(&config.expectation_context())
        .map_err(|error| UsageError::new(format!("variants.toml: {error}")))?;
    Ok(declared.unwrap_or_default())
}

fn declared_for(declared: &Declared, variant: Variant, property: &str) -> Option<ExpectedVerdict> {
    declared
        .iter()
        .find(|(v, _)| *v == variant)
        .and_then(|(_, lines)| lines.iter().find(|(name, _)| *name == property))
        .map(|(_, verdict)| *verdict)
}

/// Whether a verdict is the declared one.
pub(crate) fn matches(expected: ExpectedVerdict, got: Verdict) -> bool {
    matches!(
        (expected, got),
        (ExpectedVerdict::Holds, Verdict::Holds)
            | (ExpectedVerdict::Violated, Verdict::Violated)
            | (ExpectedVerdict::Reached, Verdict::Reached)
            | (ExpectedVerdict::NotReached, Verdict::NotReached)
    )
}

/// Every cell that is not its declared verdict, row by row. A cell with no declared
/// verdict differs too: every cell must be declared.
fn differences(rows: &[Row], context: &str) -> Vec<Difference> {
    let mut found = Vec::new();
    for row in rows {
        for (result, expected) in row.report.properties.iter().zip(&row.expected) {
            if !expected.is_some_and(|expected| matches(expected, result.verdict)) {
                found.push(Difference {
                    variant: row.variant,
                    context: context.to_string(),
                    property: result.name.clone(),
                    expected: *expected,
                    got: result.verdict,
                });
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------------------
// Running checks side by side (shared with `sweep`)
// ---------------------------------------------------------------------------------------

/// Checks the properties `names` picks out, as `check` does: every safety and
/// reachability property when `names` is empty, and the liveness properties it names (or
/// all of them with `liveness`). The names must have passed [`select_properties`].
pub(crate) fn check_named(
    model: &DnsModel,
    names: &[String],
    liveness: bool,
    options: &CheckOptions,
) -> Report {
    let properties = select_properties(model, names).expect("the property names were checked");
    let liveness = crate::long_run::select_liveness(names, liveness);
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

/// The configuration without its variant, e.g. "2 Enactors, 1 endpoint, 4 generations,
/// clean-up threshold 2, operator repair off, freshness endpoint-alias, no faults".
pub(crate) fn describe_scale(config: &DnsConfig) -> String {
    let text = config.to_string();
    match text.rsplit_once(", variant ") {
        Some((scale, _)) => scale.to_string(),
        None => text,
    }
}

/// The configuration without its variant, as JSON.
pub(crate) fn scale_json(config: &DnsConfig) -> serde_json::Value {
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
    })
}

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

/// The comparison with `variants.toml`: one line per differing cell, each starting with
/// `bullet`.
fn comparison_lines(differences: &[Difference], bullet: &str) -> String {
    if differences.is_empty() {
        return "Every cell is the verdict variants.toml declares.\n".to_string();
    }
    let mut out = format!(
        "{} that differ from variants.toml:\n",
        plural(differences.len(), "cell", "cells")
    );
    for difference in differences {
        let _ = writeln!(out, "{bullet}{}", difference.line());
    }
    out
}

/// What the states column means, in the text table.
const STATES_NOTE: &str = "states: distinct states explored; \"+\": the search stopped once \
every property had a verdict (or at a bound), so more states exist.";

/// The same, under the Markdown table.
const STATES_NOTE_MARKDOWN: &str = "A `+` after the distinct states: the search stopped once \
every property had a verdict (or at a bound), so more states exist.";

fn text(rows: &[Row], differences: &[Difference], split: &Split, elapsed: Duration) -> String {
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
        let mut line = vec![row.variant.name().to_string()];
        line.extend(row.report.properties.iter().map(cell));
        line.push(states(&row.report));
        line.push(format!(
            "{:.1}",
            row.report.statistics.elapsed.as_secs_f64()
        ));
        table.push(line);
    }
    let columns = table[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| table.iter().map(|line| line[c].len()).max().unwrap_or(0))
        .collect();
    for line in &table {
        let mut text = String::new();
        for (c, value) in line.iter().enumerate() {
            let width = widths[c];
            if c > 0 {
                text.push_str("  ");
            }
            // Numbers right-aligned, words left-aligned.
            if c + 2 >= columns {
                let _ = write!(text, "{value:>width$}");
            } else {
                let _ = write!(text, "{value:width$}");
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    }
    let _ = writeln!(out, "\n{STATES_NOTE}");
    out.push_str(&comparison_lines(differences, "  "));
    let _ = writeln!(
        out,
        "Finished in {:.1}s with {}.",
        elapsed.as_secs_f64(),
        split.describe()
    );
    out
}

fn markdown(scenario: &str, base: &DnsConfig, rows: &[Row], differences: &[Difference]) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let mut out = format!("Scenario \"{scenario}\": {}.\n\n", describe_scale(base));
    let names = &first.report.properties;
    out.push_str("| variant |");
    for property in names {
        let _ = write!(out, " {} |", property.name);
    }
    out.push_str(" distinct states |\n|---|");
    out.push_str(&"---|".repeat(names.len()));
    out.push_str("---:|\n");
    for row in rows {
        let _ = write!(out, "| {} |", row.variant.name());
        for result in &row.report.properties {
            let _ = write!(out, " {} |", cell(result));
        }
        let _ = writeln!(out, " {} |", states(&row.report));
    }
    let _ = writeln!(out, "\n{STATES_NOTE_MARKDOWN}\n");
    out.push_str(&comparison_lines(differences, "- "));
    out
}

fn json(
    scenario: &str,
    base: &DnsConfig,
    rows: &[Row],
    differences: &[Difference],
    split: &Split,
    elapsed: Duration,
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
                        "expected": expected.map(ExpectedVerdict::name),
                        "matches": expected.is_some_and(|e| matches(e, result.verdict)),
                    })
                })
                .collect();
            let statistics = &row.report.statistics;
            serde_json::json!({
                "variant": row.variant.name(),
                "description": row.variant.description(),
                "cells": cells,
                "states_generated": statistics.states_generated,
                "distinct_states": statistics.distinct_states,
                "depth": statistics.depth,
                "completeness": row.report.completeness,
                "seconds": statistics.elapsed.as_secs_f64(),
            })
        })
        .collect();
    let differences: Vec<serde_json::Value> = differences
        .iter()
        .map(|d| {
            serde_json::json!({
                "variant": d.variant.name(),
                "property": d.property,
                "expected": d.expected.map(ExpectedVerdict::name),
                "got": d.got,
            })
        })
        .collect();
    serde_json::json!({
        "model": "dynamodb-dns",
        "scenario": scenario,
        "config": scale_json(base),
        "properties": properties,
        "rows": rows,
        "matches_declared_verdicts": differences.is_empty(),
        "differences": differences,
        "exit_code": if differences.is_empty() { 0 } else { EXIT_DIFFERS },
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

    #[test]
    fn the_scale_leaves_the_variant_out() {
        let config = DnsConfig::default();
        assert_eq!(
            describe_scale(&config),
            "3 Enactors, 2 endpoints, 5 generations, clean-up threshold 2, operator repair off, \
             freshness endpoint-alias, no faults"
        );
    }
}
