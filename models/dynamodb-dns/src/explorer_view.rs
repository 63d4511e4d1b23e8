//! How the model shows itself in stateright's Explorer and in sequence diagrams, in the
//! incident's words.
//!
//! * [`format_action`]: one line per step, for the Explorer's lists ("Enactor 1 → Route 53:
//!   change batch: regional -> generation 1").
//! * [`format_step`]: the Explorer's "Current State" pane: what the step did, which
//!   properties the state violates, and the state itself: what each endpoint resolves to,
//!   which tree its alias and rollback record target, who holds its lock, which plans
//!   exist, where each Enactor is, and the messages in flight.
//! * [`as_svg`]: the Explorer's sequence diagram of the path so far: one lifeline for the
//!   Planner, the plan store, each Enactor and Route 53; one arrow per delivered message,
//!   from the step that sent it to the step that delivered it (a long slanted arrow is a
//!   delayed message), labelled with the message and what it did.
//! * [`participants`] and [`message`]: the same lifelines and labels for the Mermaid
//!   sequence diagrams of `dnsrace check --trace-format mermaid`.
//!
//! Everything here reads the state through [`DnsModel::route53`], the presentation's
//! variables and step descriptions, and [`crate::presentation::message_text`], so new
//! messages and Enactor phases show up without changes here.

use std::collections::BTreeMap;
use std::fmt::Write;

use dnsrace_core::{Expectation, Message, Presentation, Value};
use stateright::actor::{ActorModelAction, Id};
use stateright::{Model, Path};

use crate::presentation::{actor_name, describe_step, message_text};
use crate::{
    endpoint_name, DnsModel, DnsMsg, DnsState, DnsTimer, EnactorNumber, Generation, GenerationSet,
    Route53State, ENDPOINT_DNS_NAMES,
};

/// A step of the model, as stateright's actor model names it.
type DnsAction = ActorModelAction<DnsMsg, DnsTimer, ()>;

/// The lifelines, left to right: Planner, plan store, the Enactors, Route 53 (the
/// Enactors sit between the two services they talk to).
pub(crate) fn participants(model: &DnsModel) -> Vec<String> {
    let mut names = vec!["Planner".to_string(), "plan store".to_string()];
    names.extend((1..=model.config.enactors).map(|n| EnactorNumber(n).to_string()));
    names.push("Route 53".to_string());
    names
}

/// `text` with ASCII arrows as arrows: labels are read in diagrams, where `->` would be
/// noise (and Mermaid reads `>` as markup).
fn arrows(text: &str) -> String {
    text.replace(" -> ", " → ")
}

/// "generation 1", "generations 2, 3", "none".
fn generations(plans: GenerationSet) -> String {
    let list: Vec<String> = plans.iter().map(|g| g.to_string()).collect();
    match list.len() {
        0 => "none".to_string(),
        1 => format!("generation {}", list[0]),
        _ => format!("generations {}", list.join(", ")),
    }
}

/// What a step did to Route 53 that a reader of the diagram must not miss, and that
/// `text` (what the message says) does not say already: an alias moved back to an older
/// plan, plans deleted or restored, endpoints emptied.
fn effects(model: &DnsModel, before: &DnsState, after: &DnsState, text: &str) -> Vec<String> {
    let (was, now) = (model.route53(before), model.route53(after));
    let mut effects = Vec::new();
    for (index, (old, new)) in was.endpoints.iter().zip(&now.endpoints).enumerate() {
        if let (Some(old), Some(new)) = (old.alias, new.alias) {
            if new < old {
                let name = endpoint_name(index as u8);
                effects.push(if text.contains(name) {
                    format!("overwrites newer generation {old}")
                } else {
                    format!("overwrites newer generation {old} on {name}")
                });
            }
        }
    }
    let deleted = now.deleted_plans.minus(was.deleted_plans);
    if !deleted.is_empty() && !text.contains(&generations(deleted)) {
        effects.push(format!("deletes {}", generations(deleted)));
    }
    let restored = was.deleted_plans.minus(now.deleted_plans);
    if !restored.is_empty() {
        effects.push(format!("restores {}", generations(restored)));
    }
    for endpoint in 0..model.config.endpoints {
        if now.is_emptied(endpoint) && !was.is_emptied(endpoint) {
            effects.push(format!(
                "{} resolves to NO ADDRESS",
                endpoint_name(endpoint)
            ));
        }
    }
    effects
}

/// The arrow of a step: a delivered message from its sender to its receiver, or a timer
/// (an operator, a lease expiring) as an arrow from the actor to itself.
pub(crate) fn message(
    model: &DnsModel,
    before: &DnsState,
    action: &DnsAction,
    after: &DnsState,
) -> Option<Message> {
    let (from, to, text) = match action {
        ActorModelAction::Deliver { src, dst, msg } => (
            actor_name(*src),
            actor_name(*dst),
            arrows(&message_text(msg)),
        ),
        ActorModelAction::Timeout(id, _) => (
            actor_name(*id),
            actor_name(*id),
            describe_step(model, before, action, after),
        ),
        _ => return None,
    };
    let effects = effects(model, before, after, &text);
    let label = if effects.is_empty() || matches!(action, ActorModelAction::Timeout(..)) {
        text
    } else {
        format!("{text} — {}", effects.join(", "))
    };
    Some(Message { from, to, label })
}

/// `OperatorRepair` → "operator repair".
fn words(debug: &str) -> String {
    let mut out = String::new();
    for c in debug.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// One line per action, for the Explorer's "Path of Actions" and "Next Action Choices".
pub(crate) fn format_action(model: &DnsModel, action: &DnsAction) -> String {
    match action {
        ActorModelAction::Deliver { src, dst, msg } => format!(
            "{} → {}: {}",
            actor_name(*src),
            actor_name(*dst),
            arrows(&message_text(msg))
        ),
        ActorModelAction::Timeout(id, timer) => {
            format!("{}: {}", actor_name(*id), words(&format!("{timer:?}")))
        }
        other => model.actors.format_action(other),
    }
}

/// The Explorer's view of the state a step leads to, or `None` if the step changes
/// nothing (the Explorer then shows it as ignored).
pub(crate) fn format_step(
    model: &DnsModel,
    last_state: &DnsState,
    action: DnsAction,
) -> Option<String> {
    let next = model.next_state(last_state, action.clone())?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Step: {}",
        describe_step(model, last_state, &action, &next)
    );
    out.push('\n');
    write_state(&mut out, model, &next);
    Some(out)
}

/// The properties, what each endpoint resolves to, the plans, the Enactors and the
/// messages in flight.
fn write_state(out: &mut String, model: &DnsModel, state: &DnsState) {
    write_properties(out, model, state);
    write_route53(out, model.route53(state));
    let variables = model.variables(state);
    let variable = |name: &str| {
        variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    };

    let _ = writeln!(out, "Plans");
    if let Some(Value::Record(fields)) = variable("planner") {
        let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        if let (Some(published), Some(stored)) = (field("published"), field("stored")) {
            let _ = writeln!(
                out,
                "  Planner: has published up to generation {published}, the plan store has acknowledged up to {stored}"
            );
        }
    }
    let latest = model.latest_plan(state);
    let route53 = model.route53(state);
    let stored: GenerationSet = (1..=latest).collect();
    let _ = writeln!(
        out,
        "  plan store: latest plan {}",
        match latest {
            0 => "none yet".to_string(),
            g => format!("generation {g}"),
        }
    );
    let _ = writeln!(
        out,
        "  plans that exist: {}; deleted: {}",
        generations(stored.minus(route53.deleted_plans)),
        generations(route53.deleted_plans)
    );
    out.push('\n');

    if let Some(Value::Map(enactors)) = variable("enactors") {
        let _ = writeln!(out, "Enactors");
        for (name, value) in enactors {
            let name = match name {
                Value::Str(name) => name.clone(),
                other => other.to_string(),
            };
            let _ = writeln!(out, "  {name}: {}", enactor_text(value));
        }
        out.push('\n');
    }

    let in_flight: Vec<String> = state
        .network
        .iter_all()
        .map(|envelope| {
            format!(
                "  {} → {}: {}",
                actor_name(envelope.src),
                actor_name(envelope.dst),
                arrows(&message_text(envelope.msg))
            )
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let _ = writeln!(out, "Messages in flight ({})", state.network.len());
    for line in &in_flight {
        let _ = writeln!(out, "{line}");
    }

    // Whatever else the model shows (a lease, say), as the text trace prints it.
    const SHOWN: [&str; 8] = [
        "planner",
        "plan_store",
        "route53",
        "deleted_plans",
        "history",
        "enactors",
        "in_flight",
        "",
    ];
    let others: Vec<_> = variables
        .iter()
        .filter(|(name, _)| !SHOWN.contains(&name.as_str()))
        .collect();
    if !others.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "Other");
        for (name, value) in others {
            let _ = writeln!(out, "  {name} = {value}");
        }
    }
}

/// "applying (plan 1, endpoint regional)" from the presentation's record of an Enactor.
fn enactor_text(value: &Value) -> String {
    let Value::Record(fields) = value else {
        return value.to_string();
    };
    let mut phase = String::new();
    let mut details = Vec::new();
    for (name, value) in fields {
        match (name.as_str(), value) {
            ("phase", Value::Str(text)) => phase = text.clone(),
            (_, Value::Str(text)) if text == "none" => {}
            (_, Value::Str(text)) => details.push(format!("{name} {text}")),
            (_, value) => details.push(format!("{name} {value}")),
        }
    }
    if details.is_empty() {
        phase
    } else {
        format!("{phase} ({})", details.join(", "))
    }
}

/// Each property, and whether this state violates it (an `always`) or satisfies it (a
/// `sometimes`).
fn write_properties(out: &mut String, model: &DnsModel, state: &DnsState) {
    let properties = model.described_properties();
    let violated = properties
        .iter()
        .filter(|p| {
            p.property.expectation == Expectation::Always && !(p.property.condition)(model, state)
        })
        .count();
    let _ = match violated {
        0 => writeln!(out, "Properties: no invariant is violated in this state"),
        n => writeln!(
            out,
            "Properties: {n} invariant{} VIOLATED in this state",
            if n == 1 { " is" } else { "s are" }
        ),
    };
    for described in &properties {
        let holds = (described.property.condition)(model, state);
        let status = match (&described.property.expectation, holds) {
            (Expectation::Always, true) => "holds   ",
            (Expectation::Always, false) => "VIOLATED",
            (_, true) => "true    ",
            (_, false) => "false   ",
        };
        let _ = writeln!(
            out,
            "  {status}  {}: {}",
            described.name(),
            described.description
        );
    }
    out.push('\n');
}

/// What each endpoint resolves to, said plainly, then its records and lock.
fn write_route53(out: &mut String, route53: &Route53State) {
    let _ = writeln!(out, "Route 53");
    for (index, records) in route53.endpoints.iter().enumerate() {
        let endpoint = index as u8;
        let tree = |plan: Option<Generation>| match plan {
            None => "nothing".to_string(),
            Some(g) if route53.deleted_plans.contains(g) => {
                format!("the tree of generation {g} (DELETED)")
            }
            Some(g) => format!("the tree of generation {g}"),
        };
        let verdict = match records.alias {
            None => "no plan applied yet: resolves to no address".to_string(),
            Some(g) if route53.deleted_plans.contains(g) => format!(
                "resolves to NO ADDRESS: its alias targets generation {g}, whose tree was deleted"
            ),
            Some(g) => format!("resolves to the addresses of generation {g}"),
        };
        let _ = writeln!(
            out,
            "  {} ({}): {verdict}",
            endpoint_name(endpoint),
            ENDPOINT_DNS_NAMES[index]
        );
        let _ = writeln!(out, "    alias record    → {}", tree(records.alias));
        let _ = writeln!(out, "    rollback record → {}", tree(records.rollback));
        let _ = writeln!(
            out,
            "    lock            {}",
            records
                .lock
                .map_or_else(|| "free".to_string(), |holder| format!("held by {holder}"))
        );
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------
// The sequence diagram
// ---------------------------------------------------------------------------------------

/// Horizontal distance between lifelines, and the margins around them.
const COLUMN: usize = 150;
const LEFT: usize = 80;
const TOP: usize = 40;
const ROW: usize = 26;
/// Room on the right for property notes and labels that run past the last lifeline.
const RIGHT: usize = 460;
/// Colour of what breaks a property.
const ALERT: &str = "#ff6b6b";

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The column of actor `id` in [`participants`] order.
fn column(model: &DnsModel, id: Id) -> usize {
    let index = usize::from(id);
    let enactors = usize::from(model.config.enactors);
    match index {
        crate::PLANNER_INDEX => 0,
        crate::PLAN_STORE_INDEX => 1,
        crate::ROUTE53_INDEX => 2 + enactors,
        enactor => 2 + enactor - crate::FIRST_ENACTOR,
    }
}

/// The names of the `always` properties `state` violates.
fn violated(model: &DnsModel, state: &DnsState) -> Vec<&'static str> {
    model
        .described_properties()
        .iter()
        .filter(|p| {
            p.property.expectation == Expectation::Always && !(p.property.condition)(model, state)
        })
        .map(|p| p.name())
        .collect()
}

/// The envelopes in flight, counted (the network is a multiset).
fn in_flight(state: &DnsState) -> BTreeMap<(Id, Id, DnsMsg), usize> {
    let mut counts = BTreeMap::new();
    for envelope in state.network.iter_all() {
        *counts
            .entry((envelope.src, envelope.dst, envelope.msg.clone()))
            .or_insert(0) += 1;
    }
    counts
}

/// The sequence diagram of `path`: see the [module documentation](self). For the initial
/// state alone it also lists the state, which the Explorer otherwise shows raw.
pub(crate) fn as_svg(model: &DnsModel, path: Path<DnsState, DnsAction>) -> Option<String> {
    let path = path.into_vec();
    let names = participants(model);
    let steps = path.len().saturating_sub(1);
    let x = |column: usize| LEFT + column * COLUMN;
    let y = |row: usize| TOP + row * ROW;
    let width = x(names.len() - 1) + RIGHT;
    let mut body = String::new();
    let mut height = y(steps) + ROW;

    // Lifelines.
    for (column, name) in names.iter().enumerate() {
        let _ = writeln!(
            body,
            "<line x1='{x}' y1='{top}' x2='{x}' y2='{bottom}' class='svg-actor-timeline' />\
             <text x='{x}' y='{label}' text-anchor='middle' class='svg-actor-label'>{name}</text>",
            x = x(column),
            top = TOP - 12,
            bottom = y(steps) + ROW / 2,
            label = TOP - 20,
            name = xml(name),
        );
    }
    let _ = writeln!(
        body,
        "<text x='4' y='{}' class='svg-actor-label' font-size='10'>state</text>",
        TOP - 20
    );

    // One row per step: when each message was sent, so that its arrow starts there.
    let mut sent: BTreeMap<(Id, Id, DnsMsg), Vec<usize>> = BTreeMap::new();
    for (key, count) in in_flight(&path[0].0) {
        sent.insert(key, vec![0; count]);
    }
    let mut was_violated = violated(model, &path[0].0);
    for row in 1..=steps {
        let (before, action) = (&path[row - 1].0, path[row - 1].1.as_ref());
        let after = &path[row].0;
        let now_violated = violated(model, after);
        let newly: Vec<&str> = now_violated
            .iter()
            .filter(|name| !was_violated.contains(name))
            .copied()
            .collect();
        let alert = !newly.is_empty();
        let style = if alert {
            format!(" style='stroke:{ALERT};fill:{ALERT}'")
        } else {
            String::new()
        };
        let label_style = if alert {
            format!(" style='fill:{ALERT}'")
        } else {
            String::new()
        };
        let _ = writeln!(
            body,
            "<text x='4' y='{}' class='svg-actor-label' font-size='11'>{}</text>",
            y(row) + 4,
            row + 1
        );
        let label = action
            .and_then(|action| message(model, before, action, after))
            .map(|m| m.label);
        match action {
            Some(ActorModelAction::Deliver { src, dst, msg }) => {
                let key = (*src, *dst, msg.clone());
                let from_row = sent
                    .get_mut(&key)
                    .filter(|rows| !rows.is_empty())
                    .map(|rows| rows.remove(0))
                    .unwrap_or(row - 1);
                let (x1, y1, x2, y2) = (
                    x(column(model, *src)),
                    y(from_row),
                    x(column(model, *dst)),
                    y(row),
                );
                let (anchor, label_x) = if x2 >= x1 {
                    ("end", x2 - 14)
                } else {
                    ("start", x2 + 14)
                };
                let _ = writeln!(
                    body,
                    "<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' marker-end='url(#dnsrace-arrow)' class='svg-event-line'{style} />\
                     <text x='{label_x}' y='{}' text-anchor='{anchor}' class='svg-event-label'{label_style}>{}</text>",
                    y2 - 5,
                    xml(label.as_deref().unwrap_or_default()),
                );
            }
            Some(ActorModelAction::Timeout(id, _)) => {
                let cx = x(column(model, *id));
                let _ = writeln!(
                    body,
                    "<circle cx='{cx}' cy='{}' r='7' class='svg-event-shape'{style} />\
                     <text x='{}' y='{}' class='svg-event-label'{label_style}>{}</text>",
                    y(row),
                    cx + 12,
                    y(row) - 5,
                    xml(label.as_deref().unwrap_or_default()),
                );
            }
            _ => {}
        }
        // Messages this step sent start at this row.
        let (was, now) = (in_flight(before), in_flight(after));
        for (key, count) in now {
            let delivered = matches!(action, Some(ActorModelAction::Deliver { src, dst, msg })
                if (*src, *dst, msg) == (key.0, key.1, &key.2));
            let previous = was.get(&key).copied().unwrap_or(0) - usize::from(delivered);
            for _ in previous..count {
                sent.entry(key.clone()).or_default().push(row);
            }
        }
        // Each invariant this step breaks, one per line, right of the last lifeline.
        for (line, name) in newly.iter().enumerate() {
            let _ = writeln!(
                body,
                "<text x='{}' y='{}' font-weight='bold' style='fill:{ALERT}'>✗ VIOLATED: {}</text>",
                x(names.len() - 1) + 14,
                y(row) + 14 + line * 15,
                xml(name)
            );
            height = height.max(y(row) + 20 + line * 15);
        }
        was_violated = now_violated;
    }

    if steps == 0 {
        // The Explorer shows the initial state raw: show it in the model's words here.
        let mut view = String::new();
        write_state(&mut view, model, &path[0].0);
        let top = y(0) + ROW;
        for (line, text) in view.lines().enumerate() {
            let _ = writeln!(
                body,
                "<text x='{LEFT}' y='{}' xml:space='preserve' class='svg-actor-label' font-size='12'>{}</text>",
                top + line * 16,
                xml(text)
            );
        }
        height = top + view.lines().count() * 16 + ROW;
    }

    Some(format!(
        "<svg version='1.1' baseProfile='full' width='{width}' height='{height}' \
         viewBox='0 0 {width} {height}' font-size='12' xmlns='http://www.w3.org/2000/svg'>\
         <defs><marker class='svg-event-shape' id='dnsrace-arrow' markerWidth='12' \
         markerHeight='10' refX='12' refY='5' orient='auto'><polygon points='0 0, 12 5, 0 10' />\
         </marker></defs>\n{body}</svg>\n"
    ))
}
