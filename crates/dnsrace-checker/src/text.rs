//! TLC-shaped text: counterexamples as state diffs, a verdict table, statistics.

use std::fmt::Write;

use dnsrace_core::{Value, Variable};

use crate::checkpoint::CheckpointStatus;
use crate::report::{Completeness, Coverage, PropertyKind, Report, Trace, Verdict};
use crate::table::{aligned, Align};

/// The report as text, shaped like TLC's output: each violated invariant with its
/// behaviour (the initial state in full, then only what each step changed), each
/// `sometimes` never reached, a verdict table and the statistics.
pub fn render_text(report: &Report) -> String {
    render(report, true)
}

/// Like [`render_text`] without the timing line, so that two runs can be compared.
pub fn render_text_without_timing(report: &Report) -> String {
    render(report, false)
}

fn render(report: &Report, timing: bool) -> String {
    let mut out = String::new();
    for property in &report.properties {
        match (property.expectation, property.verdict, &property.trace) {
            (PropertyKind::Always, Verdict::Violated, Some(trace))
                if property.name == dnsrace_core::DEADLOCK =>
            {
                out.push_str("Error: Deadlock reached.\n");
                out.push_str("The behavior up to this point is:\n");
                render_trace(&mut out, trace);
            }
            (PropertyKind::Always, Verdict::Violated, Some(trace)) => {
                let _ = writeln!(out, "Error: Invariant \"{}\" is violated.", property.name);
                out.push_str("The behavior up to this point is:\n");
                render_trace(&mut out, trace);
            }
            (kind, Verdict::Violated, Some(trace)) if kind.is_liveness() => {
                let _ = writeln!(
                    out,
                    "Error: Temporal property \"{}\" is violated.",
                    property.name
                );
                out.push_str("The behavior up to this point is:\n");
                render_trace(&mut out, trace);
                if let (Some(start), Some(action)) = (trace.loop_start, &trace.loop_action) {
                    let _ = writeln!(
                        out,
                        "State {}: Back to state {}: <{action}>\n",
                        trace.len() + 1,
                        start + 1
                    );
                }
                if let Some(note) = &property.note {
                    let _ = writeln!(out, "Why: {note}.\n");
                }
            }
            (PropertyKind::Sometimes, Verdict::NotReached, _) => {
                let _ = writeln!(
                    out,
                    "Error: \"{}\" is never reached (no reachable state satisfies it).\n",
                    property.name
                );
            }
            _ => {}
        }
    }
    render_table(&mut out, report);
    render_statistics(&mut out, report, timing);
    if let Some(coverage) = &report.coverage {
        render_coverage(&mut out, coverage, &report.completeness);
    }
    out
}

/// TLC's coverage: per kind of action, the steps taken ("fired") and the new states they
/// found first ("distinct"), a kind that never fired marked as such.
fn render_coverage(out: &mut String, coverage: &Coverage, completeness: &Completeness) {
    let scope = match completeness {
        Completeness::Exhaustive => "every reachable state",
        _ => "the levels explored",
    };
    let _ = writeln!(out, "\nCoverage of {scope}:");
    let mut rows = vec![vec![
        "Kind of step".to_string(),
        "Fired".to_string(),
        "Distinct".to_string(),
    ]];
    rows.push(vec![
        "initial states".to_string(),
        "-".to_string(),
        coverage.initial_states.to_string(),
    ]);
    for action in &coverage.actions {
        rows.push(vec![
            action.kind.clone(),
            action.fired.to_string(),
            action.distinct.to_string(),
            if action.fired == 0 { "never fired" } else { "" }.to_string(),
        ]);
    }
    out.push_str(&aligned(
        &rows,
        &[Align::Left, Align::Right, Align::Right],
        "  ",
    ));
    out.push('\n');
}

/// Every state of `trace`: the first in full, each later one as a diff with the one
/// before, each followed by a blank line.
pub(crate) fn render_trace(out: &mut String, trace: &Trace) {
    render_trace_with_notes(out, trace, &[]);
}

/// Like [`render_trace`], with `notes[i]` (when there is one) on its own line after the
/// changes of state `i`.
pub(crate) fn render_trace_with_notes(out: &mut String, trace: &Trace, notes: &[Option<String>]) {
    let mut previous: Option<&[Variable]> = None;
    for (index, state) in trace.states.iter().enumerate() {
        let marker = if trace.loop_start == Some(index) {
            "  (the cycle starts here)"
        } else {
            ""
        };
        let _ = writeln!(out, "State {}: <{}>{marker}", index + 1, state.action);
        match previous {
            None => {
                for (name, value) in &state.variables {
                    let _ = writeln!(out, "/\\ {name} = {value}");
                }
            }
            Some(before) => {
                let mut lines = Vec::new();
                diff_variables(&mut lines, before, &state.variables);
                if lines.is_empty() {
                    lines.push("(no variable changed)".to_string());
                }
                for line in lines {
                    let _ = writeln!(out, "/\\ {line}");
                }
            }
        }
        if let Some(Some(note)) = notes.get(index) {
            let _ = writeln!(out, "{note}");
        }
        out.push('\n');
        previous = Some(&state.variables);
    }
}

/// One line per changed leaf, flattening records (`.field`) and maps (`[key]`).
fn diff_variables(lines: &mut Vec<String>, before: &[Variable], after: &[Variable]) {
    diff_entries(
        lines,
        before.iter().map(|(name, value)| (name.clone(), value)),
        after.iter().map(|(name, value)| (name.clone(), value)),
    );
}

/// Diffs two keyed collections (variables, record fields or map entries, with their
/// paths already built): entries in `after`'s order, then the removed ones.
fn diff_entries<'v>(
    lines: &mut Vec<String>,
    before: impl Iterator<Item = (String, &'v Value)>,
    after: impl Iterator<Item = (String, &'v Value)>,
) {
    let before: Vec<(String, &Value)> = before.collect();
    let after: Vec<(String, &Value)> = after.collect();
    for (path, new) in &after {
        match before.iter().find(|(old_path, _)| old_path == path) {
            Some((_, old)) => diff_value(lines, path, old, new),
            None => lines.push(format!("{path} = {new}  (new)")),
        }
    }
    for (path, old) in &before {
        if !after.iter().any(|(new_path, _)| new_path == path) {
            lines.push(format!("{path} = {old}  (removed)"));
        }
    }
}

/// A changed set whose new value renders in at most this many characters is printed
/// whole, with what was added and removed; a longer one only as `+` and `-` lines.
const SHORT_SET: usize = 40;

fn diff_value(lines: &mut Vec<String>, path: &str, old: &Value, new: &Value) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Record(old), Value::Record(new)) => diff_entries(
            lines,
            old.iter()
                .map(|(field, value)| (format!("{path}.{field}"), value)),
            new.iter()
                .map(|(field, value)| (format!("{path}.{field}"), value)),
        ),
        (Value::Map(old), Value::Map(new)) => diff_entries(
            lines,
            old.iter()
                .map(|(key, value)| (format!("{path}[{key}]"), value)),
            new.iter()
                .map(|(key, value)| (format!("{path}[{key}]"), value)),
        ),
        (Value::Set(old_items), Value::Set(new_items)) => {
            let added: Vec<String> = new_items
                .iter()
                .filter(|item| !old_items.contains(item))
                .map(Value::to_string)
                .collect();
            let removed: Vec<String> = old_items
                .iter()
                .filter(|item| !new_items.contains(item))
                .map(Value::to_string)
                .collect();
            let whole = new.to_string();
            if whole.chars().count() <= SHORT_SET {
                let mut change = Vec::new();
                if !added.is_empty() {
                    change.push(format!("added {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    change.push(format!("removed {}", removed.join(", ")));
                }
                lines.push(format!("{path} = {whole}  ({})", change.join("; ")));
            } else {
                // A long set (messages in flight) would repeat itself on every step:
                // show only what left it and what joined it.
                lines.extend(removed.iter().map(|item| format!("{path} - {item}")));
                lines.extend(added.iter().map(|item| format!("{path} + {item}")));
            }
        }
        _ => lines.push(format!("{path} = {new}  (was {old})")),
    }
}

fn render_table(out: &mut String, report: &Report) {
    let rows: Vec<Vec<String>> = report
        .properties
        .iter()
        .map(|property| {
            let steps = property.trace.as_ref().map_or(0, Trace::len);
            let verdict = match property.verdict {
                Verdict::Holds => "holds".to_string(),
                Verdict::Violated => match property.trace.as_ref().and_then(|t| t.loop_start) {
                    Some(start) => format!(
                        "VIOLATED (lasso of {steps} states, cycle from state {})",
                        start + 1
                    ),
                    None => format!("VIOLATED (trace of {steps} states)"),
                },
                Verdict::Reached => format!("reached (in {steps} states)"),
                Verdict::NotReached => "NOT REACHED".to_string(),
                Verdict::Inconclusive => "inconclusive".to_string(),
            };
            vec![
                property.name.clone(),
                property.expectation.to_string(),
                verdict,
            ]
        })
        .collect();
    let header = vec![
        "Property".to_string(),
        "Kind".to_string(),
        "Verdict".to_string(),
    ];
    out.push_str(&aligned(
        &[header].into_iter().chain(rows).collect::<Vec<_>>(),
        &[],
        "",
    ));
    for property in &report.properties {
        if let Some(note) = property
            .note
            .as_ref()
            .filter(|_| property.verdict != Verdict::Violated)
        {
            let _ = writeln!(out, "Note: \"{}\": {note}.", property.name);
        }
    }
    out.push('\n');
}

fn render_statistics(out: &mut String, report: &Report, timing: bool) {
    let statistics = &report.statistics;
    let _ = writeln!(
        out,
        "{} states generated, {} distinct states found, {} states left on queue.",
        statistics.states_generated, statistics.distinct_states, statistics.states_left_on_queue
    );
    let complete = if report.completeness == Completeness::Exhaustive {
        "complete"
    } else {
        "incomplete"
    };
    let _ = writeln!(
        out,
        "The depth of the {complete} state graph search is {}.",
        statistics.depth
    );
    if timing {
        let _ = writeln!(
            out,
            "Finished in {:.1}s ({:.0} distinct states/s) with {} thread{}.",
            statistics.elapsed.as_secs_f64(),
            statistics.distinct_states_per_second,
            statistics.threads,
            if statistics.threads == 1 { "" } else { "s" }
        );
        if let Some(checkpoint) = &report.checkpoint {
            render_checkpoint(out, checkpoint);
        }
    }
    let _ = match &report.completeness {
        Completeness::Exhaustive => {
            writeln!(out, "Exhaustive: every reachable state was explored.")
        }
        Completeness::EveryPropertyDecided => {
            writeln!(out, "Stopped early: every property had a verdict.")
        }
        Completeness::Bounded { reason } => writeln!(
            out,
            "Bounded ({reason}): the result is inconclusive for every property not yet \
             violated or reached."
        ),
    };
}

/// Where the checkpoint is and what it holds (with the timing: how many were written
/// depends on the clock).
fn render_checkpoint(out: &mut String, checkpoint: &CheckpointStatus) {
    let resumed = checkpoint
        .resumed_at_depth
        .map(|depth| format!("; resumed at depth {depth}"))
        .unwrap_or_default();
    if checkpoint.writes == 0 && checkpoint.resumed_at_depth.is_none() {
        let _ = writeln!(
            out,
            "No checkpoint written to {}: the search ended before one was due.",
            checkpoint.path.display()
        );
    } else {
        let _ = writeln!(
            out,
            "Checkpoint {}: {:.1} MiB at depth {} ({} written by this run{resumed}).",
            checkpoint.path.display(),
            checkpoint.bytes as f64 / 1_048_576.0,
            checkpoint.depth,
            checkpoint.writes,
        );
    }
    if let Some(failure) = &checkpoint.failure {
        let _ = writeln!(out, "The last checkpoint could not be written: {failure}.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> Value {
        Value::set(items.iter().map(|item| Value::str(*item)))
    }

    #[test]
    fn a_short_set_prints_whole_with_what_changed() {
        let mut lines = Vec::new();
        diff_value(&mut lines, "deleted", &set(&["a"]), &set(&["b"]));
        assert_eq!(lines, ["deleted = {\"b\"}  (added \"b\"; removed \"a\")"]);
    }

    #[test]
    fn a_long_set_prints_only_what_left_and_what_joined() {
        let before = set(&["a message that stays in flight", "a message delivered now"]);
        let after = set(&["a message that stays in flight", "a reply sent now"]);
        let mut lines = Vec::new();
        diff_value(&mut lines, "in_flight", &before, &after);
        assert_eq!(
            lines,
            [
                "in_flight - \"a message delivered now\"",
                "in_flight + \"a reply sent now\""
            ]
        );
    }
}
