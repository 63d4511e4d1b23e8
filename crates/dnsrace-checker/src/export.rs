//! Exporting one property's trace: TLC-shaped text, JSON, ITF and Mermaid.
//!
//! * **Text** is the trace exactly as [`render_text`](crate::render_text) prints it.
//! * **JSON** is the property (name, description, kind, verdict) and its states, each
//!   with its step and every variable, shaped as in [`Report::to_json`].
//! * **ITF** is Apalache's Informal Trace Format (ADR-015,
//!   <https://apalache-mc.org/docs/adr/015adr-trace.html>), which Apalache, Quint and the
//!   `itf` crate read: `#meta` on the trace and on every state, integers as
//!   `{"#bigint": "n"}`, sets as `{"#set": [...]}` (sorted), maps as
//!   `{"#map": [[key, value], ...]}`, records as objects, sequences as arrays. Each state
//!   also carries a string variable, `action` (see [`itf_action_variable`]), with the step
//!   that led to it; the trace's `#meta` names the property and its verdict (as strings,
//!   which is what ITF readers accept for custom metadata). A lasso (a liveness
//!   counterexample) has ITF's `loop`: the index of the state it goes back to.
//! * **Mermaid** is a `sequenceDiagram` (GitHub renders it in Markdown): one lifeline per
//!   [`Presentation::participants`] entry and
//!   one arrow per step that delivers a message, labelled `n. what it says`, where `n` is
//!   the state the step leads to in the text trace. Steps that are not messages are
//!   notes. The messages come from the model: see [`crate::replay`](mod@crate::replay).
//!
//! Everything here works on a [`Trace`], whatever the model.

use std::fmt::Write;

use dnsrace_core::{Message, Presentation, Value};
use serde_json::{json, Map};

use crate::report::{PropertyKind, PropertyResult, Report, Trace, Verdict};
use crate::text::render_trace;

/// The formats a trace exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceFormat {
    /// TLC-shaped text, as in the report.
    Text,
    /// JSON: the property and its states.
    Json,
    /// Apalache's Informal Trace Format (JSON).
    Itf,
    /// A Mermaid `sequenceDiagram`.
    Mermaid,
}

impl TraceFormat {
    /// Every format, in the order they are listed.
    pub const ALL: [TraceFormat; 4] = [
        TraceFormat::Text,
        TraceFormat::Json,
        TraceFormat::Itf,
        TraceFormat::Mermaid,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            TraceFormat::Text => "text",
            TraceFormat::Json => "json",
            TraceFormat::Itf => "itf",
            TraceFormat::Mermaid => "mermaid",
        }
    }

    /// The format called `name`, if any.
    pub fn from_name(name: &str) -> Option<TraceFormat> {
        TraceFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a file name asks for: `.itf.json` ITF, `.json` JSON, `.mmd` or
    /// `.mermaid` Mermaid, anything else text.
    pub fn from_file_name(file_name: &str) -> TraceFormat {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".itf.json") || lower.ends_with(".itf") {
            TraceFormat::Itf
        } else if lower.ends_with(".json") {
            TraceFormat::Json
        } else if lower.ends_with(".mmd") || lower.ends_with(".mermaid") {
            TraceFormat::Mermaid
        } else {
            TraceFormat::Text
        }
    }
}

/// What the exports need besides the trace: where it comes from (ITF's `source`) and,
/// for Mermaid, the lifelines and each step's message.
#[derive(Clone, Debug, Default)]
pub struct ExportContext {
    /// Where the trace comes from, for example `dynamodb-dns, scenario "outage"`.
    pub source: String,
    /// The lifelines, in order ([`Presentation::participants`]).
    pub participants: Vec<String>,
    /// One entry per state of the trace: the message its step delivered (`None` for the
    /// initial state and for steps that are not messages). Missing entries count as `None`.
    pub messages: Vec<Option<Message>>,
}

/// The property whose trace stands for a report: the first violated property (in the
/// order they were checked) that has a counterexample; if there is none, the first one
/// with an example (a reached `sometimes`); `None` if no property has a trace.
pub fn headline_trace(report: &Report) -> Option<(&PropertyResult, &Trace)> {
    let with_trace = |verdict: Verdict| {
        report
            .properties
            .iter()
            .filter(move |p| p.verdict == verdict)
            .find_map(|p| p.trace.as_ref().map(|trace| (p, trace)))
    };
    with_trace(Verdict::Violated).or_else(|| with_trace(Verdict::Reached))
}

/// `trace` (the trace of `property`) in `format`.
pub fn export_trace(
    format: TraceFormat,
    property: &PropertyResult,
    trace: &Trace,
    context: &ExportContext,
) -> String {
    match format {
        TraceFormat::Text => to_text(property, trace),
        TraceFormat::Json => pretty(&to_json(property, trace)),
        TraceFormat::Itf => pretty(&to_itf(property, trace, &context.source)),
        TraceFormat::Mermaid => {
            to_mermaid(property, trace, &context.participants, &context.messages)
        }
    }
}

/// Like [`export_trace`], with the lifelines and each step's message taken from `model`
/// (by [replaying](mod@crate::replay) the trace) and `source` for ITF.
///
/// # Panics
///
/// If a Mermaid diagram is asked for and `trace` does not replay on `model` (it comes from
/// another model, or the model is not deterministic).
pub fn export_model_trace<M: Presentation>(
    format: TraceFormat,
    model: &M,
    property: &PropertyResult,
    trace: &Trace,
    source: &str,
) -> String {
    let mut context = ExportContext {
        source: source.to_string(),
        ..ExportContext::default()
    };
    if format == TraceFormat::Mermaid {
        let replay = crate::replay::replay(model, trace).unwrap_or_else(|| {
            panic!(
                "the trace of \"{}\" does not replay on its model: is the model deterministic?",
                property.name
            )
        });
        context.participants = model.participants();
        context.messages = replay.messages(model);
    }
    export_trace(format, property, trace, &context)
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON renders");
    text.push('\n');
    text
}

/// The first line of a trace: what it shows, TLC's way for a violated invariant.
fn heading(property: &PropertyResult) -> String {
    match (property.expectation, property.verdict) {
        (PropertyKind::Always, Verdict::Violated) => {
            format!("Error: Invariant \"{}\" is violated.", property.name)
        }
        (kind, Verdict::Violated) if kind.is_liveness() => {
            format!(
                "Error: Temporal property \"{}\" is violated.",
                property.name
            )
        }
        (_, Verdict::Violated) => format!("Error: \"{}\" is violated.", property.name),
        (_, Verdict::Reached) => format!("Example: \"{}\" is reached.", property.name),
        (kind, verdict) => format!("Trace of \"{}\" ({kind}, {verdict}).", property.name),
    }
}

/// The trace as the text report prints it, under its heading (and for a lasso, the step
/// back into its cycle).
pub fn to_text(property: &PropertyResult, trace: &Trace) -> String {
    let mut out = heading(property);
    out.push_str("\nThe behavior up to this point is:\n");
    render_trace(&mut out, trace);
    if let Some((start, action)) = lasso(trace) {
        let _ = writeln!(
            out,
            "State {}: Back to state {}: <{action}>\n",
            trace.len() + 1,
            start + 1
        );
    }
    out
}

/// For a lasso: the index of the state the behaviour goes back to, and the step.
fn lasso(trace: &Trace) -> Option<(usize, &str)> {
    Some((trace.loop_start?, trace.loop_action.as_deref()?))
}

/// The property and its states as JSON (variables keep the model's order); for a lasso
/// also `loop` (the index of the state it goes back to) and `loop_action`.
pub fn to_json(property: &PropertyResult, trace: &Trace) -> serde_json::Value {
    let mut document = json!({
        "property": property.name,
        "description": property.description,
        "expectation": property.expectation,
        "verdict": property.verdict,
        "states": trace.states,
    });
    if let Some((start, action)) = lasso(trace) {
        document["loop"] = json!(start);
        document["loop_action"] = json!(action);
    }
    document
}

/// The format description every ITF file links to.
pub const ITF_FORMAT_DESCRIPTION: &str = "https://apalache-mc.org/docs/adr/015adr-trace.html";

/// The name of the ITF variable that carries each step: `action`, or, if the model has a
/// variable of that name, `action` with as many leading underscores as it takes to be
/// new.
pub fn itf_action_variable(trace: &Trace) -> String {
    let mut name = "action".to_string();
    while trace
        .states
        .iter()
        .any(|state| state.variables.iter().any(|(n, _)| *n == name))
    {
        name.insert(0, '_');
    }
    name
}

/// A [`Value`] in ITF: see the [module documentation](self).
pub fn value_to_itf(value: &Value) -> serde_json::Value {
    match value {
        Value::Bool(b) => json!(b),
        Value::Int(n) => json!({ "#bigint": n.to_string() }),
        Value::Str(s) => json!(s),
        Value::Set(items) => {
            let mut items: Vec<&Value> = items.iter().collect();
            items.sort();
            json!({ "#set": items.into_iter().map(value_to_itf).collect::<Vec<_>>() })
        }
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(value_to_itf).collect()),
        Value::Record(fields) => serde_json::Value::Object(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), value_to_itf(value)))
                .collect(),
        ),
        Value::Map(entries) => json!({
            "#map": entries
                .iter()
                .map(|(key, value)| json!([value_to_itf(key), value_to_itf(value)]))
                .collect::<Vec<_>>()
        }),
    }
}

/// The trace in ITF; `source` says where it comes from.
pub fn to_itf(property: &PropertyResult, trace: &Trace, source: &str) -> serde_json::Value {
    let action = itf_action_variable(trace);
    let mut vars: Vec<String> = vec![action.clone()];
    if let Some(first) = trace.states.first() {
        vars.extend(first.variables.iter().map(|(name, _)| name.clone()));
    }
    let states: Vec<serde_json::Value> = trace
        .states
        .iter()
        .enumerate()
        .map(|(index, state)| {
            let mut object = Map::new();
            object.insert("#meta".into(), json!({ "index": index }));
            object.insert(action.clone(), json!(state.action));
            for (name, value) in &state.variables {
                object.insert(name.clone(), value_to_itf(value));
            }
            serde_json::Value::Object(object)
        })
        .collect();
    let description = format!(
        "{} ({} states): {}",
        heading(property),
        trace.len(),
        property.description
    );
    let mut document = json!({
        "#meta": {
            "format": "ITF",
            "format-description": ITF_FORMAT_DESCRIPTION,
            "source": source,
            "description": description,
            "property": property.name,
            "expectation": property.expectation.to_string(),
            "verdict": property.verdict.to_string(),
            "action-variable": action,
        },
        "vars": vars,
        "states": states,
    });
    // A lasso: after the last state the behaviour goes back to this one, forever.
    if let Some((start, action)) = lasso(trace) {
        document["loop"] = json!(start);
        document["#meta"]["loop-action"] = json!(action);
    }
    document
}

/// Mermaid words that cannot be participant ids.
const MERMAID_KEYWORDS: &[&str] = &[
    "actor",
    "activate",
    "alt",
    "and",
    "autonumber",
    "box",
    "break",
    "create",
    "critical",
    "deactivate",
    "destroy",
    "else",
    "end",
    "left",
    "link",
    "links",
    "loop",
    "note",
    "opt",
    "over",
    "par",
    "participant",
    "rect",
    "right",
    "title",
];

/// Text safe inside a Mermaid message or note: `#`, `;`, `<` and `>` as Mermaid entity
/// codes, line breaks as spaces.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A distinct Mermaid id for each name: its ASCII letters, digits and `_`.
fn mermaid_ids(names: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut id: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
            id.insert(0, 'p');
        }
        if MERMAID_KEYWORDS.contains(&id.to_ascii_lowercase().as_str()) {
            id.push('_');
        }
        let base = id.clone();
        let mut suffix = 2;
        while ids.contains(&id) {
            id = format!("{base}{suffix}");
            suffix += 1;
        }
        ids.push(id);
    }
    ids
}

/// The trace as a Mermaid `sequenceDiagram`: see the [module documentation](self).
/// `messages` has one entry per state (see [`ExportContext::messages`]).
pub fn to_mermaid(
    property: &PropertyResult,
    trace: &Trace,
    participants: &[String],
    messages: &[Option<Message>],
) -> String {
    let mut names: Vec<String> = participants.to_vec();
    for message in messages.iter().flatten() {
        for name in [&message.from, &message.to] {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    if names.is_empty() {
        names.push("model".to_string());
    }
    let ids = mermaid_ids(&names);
    let id_of = |name: &str| {
        let index = names.iter().position(|n| n == name).expect("listed above");
        ids[index].as_str()
    };
    let span = match ids.as_slice() {
        [only] => only.clone(),
        [first, .., last] => format!("{first},{last}"),
        [] => unreachable!("at least one participant"),
    };

    let mut out = String::from("sequenceDiagram\n");
    let _ = writeln!(
        out,
        "    %% {} Arrow n leads to State n of the text trace.",
        heading(property)
    );
    for (name, id) in names.iter().zip(&ids) {
        if name == id {
            let _ = writeln!(out, "    participant {id}");
        } else {
            let _ = writeln!(out, "    participant {id} as {}", mermaid_text(name));
        }
    }
    for (index, state) in trace.states.iter().enumerate().skip(1) {
        let number = index + 1;
        match messages.get(index).and_then(Option::as_ref) {
            Some(message) => {
                let _ = writeln!(
                    out,
                    "    {}->>{}: {number}. {}",
                    id_of(&message.from),
                    id_of(&message.to),
                    mermaid_text(&message.label)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "    Note over {span}: {number}. {}",
                    mermaid_text(&state.action)
                );
            }
        }
    }
    if let Some((start, action)) = lasso(trace) {
        let _ = writeln!(
            out,
            "    Note over {span}: {}. back to state {}: {}",
            trace.len() + 1,
            start + 1,
            mermaid_text(action)
        );
    }
    let _ = writeln!(
        out,
        "    Note over {span}: {}",
        mermaid_text(&heading(property))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_choose_a_format() {
        for (name, format) in [
            ("trace.itf.json", TraceFormat::Itf),
            ("TRACE.ITF.JSON", TraceFormat::Itf),
            ("trace.json", TraceFormat::Json),
            ("trace.mmd", TraceFormat::Mermaid),
            ("trace.mermaid", TraceFormat::Mermaid),
            ("trace.txt", TraceFormat::Text),
            ("trace", TraceFormat::Text),
        ] {
            assert_eq!(TraceFormat::from_file_name(name), format, "{name}");
        }
    }

    #[test]
    fn values_map_to_itf() {
        let value = Value::record([
            ("n", Value::Int(-3)),
            ("s", Value::set([Value::Int(2), Value::Int(1)])),
            ("q", Value::Seq(vec![Value::Bool(true), Value::str("x")])),
            ("m", Value::map([(Value::str("k"), Value::Int(0))])),
        ]);
        assert_eq!(
            value_to_itf(&value),
            json!({
                "n": {"#bigint": "-3"},
                "s": {"#set": [{"#bigint": "1"}, {"#bigint": "2"}]},
                "q": [true, "x"],
                "m": {"#map": [["k", {"#bigint": "0"}]]},
            })
        );
    }

    #[test]
    fn mermaid_ids_are_distinct_and_avoid_keywords() {
        let names: Vec<String> = ["plan store", "Route 53", "end", "3 things", "Route53", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            mermaid_ids(&names),
            ["planstore", "Route53", "end_", "p3things", "Route532", "p"]
        );
    }

    #[test]
    fn mermaid_text_escapes_what_mermaid_reads() {
        assert_eq!(mermaid_text("a; b #1 <x>\nc"), "a#59; b #35;1 #60;x#62; c");
    }
}
