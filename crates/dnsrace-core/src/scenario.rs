//! Scenario files and declared verdicts, for any model: a scenario is a configuration
//! with the verdicts it is expected to produce (and optionally a story told step by
//! step); `variants.toml` declares the verdicts of every variant.
//!
//! ```toml
//! description = "What the scenario shows."
//!
//! [model]            # any parameter of the model; the rest keep their defaults
//! enactors = 3
//! variant = "as-built"
//!
//! [expect]           # any property; the rest are "undeclared"
//! "endpoint record never empty" = "violated"
//! ```
//!
//! Every field is checked against the model's [`Parameter`]s and properties, and an error
//! names the field and what is allowed, quoting at most a short excerpt of the input.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::definition::{allowed_values, ModelDefinition, Parameter, ParameterKind, Setting};
use crate::{Expectation, Presentation, PropertyKind, Verdict};

/// A property as registries list it: its name, kind and description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertyInfo {
    /// The name people type and read.
    pub name: &'static str,
    /// Always, sometimes, or one of the liveness shapes.
    pub kind: PropertyKind,
    /// One line saying what it means.
    pub description: &'static str,
}

/// Every property of `model`: its safety and reachability properties, then its liveness
/// properties, each in the model's order.
pub fn catalogue<M: Presentation>(model: &M) -> Vec<PropertyInfo> {
    let state_properties = model
        .described_properties()
        .into_iter()
        .map(|p| PropertyInfo {
            name: p.name(),
            kind: match p.property.expectation {
                Expectation::Always => PropertyKind::Always,
                Expectation::Sometimes => PropertyKind::Sometimes,
                Expectation::Eventually => PropertyKind::Eventually,
            },
            description: p.description,
        });
    let liveness = model
        .liveness_properties()
        .into_iter()
        .map(|p| PropertyInfo {
            name: p.name,
            kind: match p.kind {
                crate::Liveness::AlwaysRecoverable { .. } => PropertyKind::Recoverable,
                crate::Liveness::LeadsTo { .. } => PropertyKind::LeadsTo,
            },
            description: p.description,
        });
    state_properties.chain(liveness).collect()
}

/// Every name of `properties`, quoted and joined, for error messages.
pub fn quoted_names(properties: &[PropertyInfo]) -> String {
    properties
        .iter()
        .map(|p| format!("\"{}\"", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `input` as an error message may quote it: whole when short, else its first 60
/// characters and how long it was, so that a huge input does not flood the terminal.
pub fn excerpt(input: &str) -> String {
    const KEEP: usize = 60;
    match input.char_indices().nth(KEEP) {
        None => input.to_string(),
        Some((end, _)) => format!("{}… ({} characters)", &input[..end], input.chars().count()),
    }
}

/// A named configuration with the verdicts it is expected to produce.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario<C> {
    /// Its name (the file name without `.toml`).
    pub name: String,
    /// What it shows.
    pub description: String,
    /// The model's parameters.
    pub config: C,
    /// The verdict expected for each property it declares, in the model's property
    /// order. A property it does not list is undeclared.
    pub expect: Vec<(&'static str, Verdict)>,
    /// A behaviour told step by step, for `dnsrace replay` (`[story]`), if it has one.
    pub story: Option<Story>,
}

/// A behaviour told step by step: beats in the order a post-mortem tells them, each a
/// list of steps in the model's words (as traces print them).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    /// The properties the story's last state must violate: `always` properties false
    /// there, or an "always recoverable" property out of reach from there (the stuck
    /// state).
    #[serde(default)]
    pub ends_violating: Vec<String>,
    /// The beats, in order.
    pub beats: Vec<Beat>,
}

/// One beat of a [`Story`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beat {
    /// A few words naming the beat, for the summary.
    pub title: String,
    /// What the source says happens here, with its citation.
    pub says: String,
    /// The steps, each as `dnsrace check` prints it between `<` and `>`.
    pub steps: Vec<String>,
}

impl Story {
    /// Every step, each with the index of its beat.
    pub fn steps(&self) -> Vec<(usize, &str)> {
        self.beats
            .iter()
            .enumerate()
            .flat_map(|(beat, b)| b.steps.iter().map(move |step| (beat, step.as_str())))
            .collect()
    }
}

/// What can be wrong with a scenario file or a table of declared verdicts. Every message
/// names the field and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid TOML, a missing or unknown field, or a malformed story.
    #[error("{0}")]
    Syntax(String),
    /// A value of the wrong type, out of range, or not one of the names allowed.
    #[error("field `{field}` is {value}, but it must be {allowed}")]
    BadValue {
        /// The field, with its table (`model.enactors`).
        field: String,
        /// The value given, in short.
        value: String,
        /// What is allowed, in words.
        allowed: String,
    },
    /// A field the table does not have.
    #[error("unknown field `{field}` in `[{table}]`; the fields are: {allowed}")]
    UnknownField {
        /// The table (`model`).
        table: String,
        /// The field given, in short.
        field: String,
        /// The fields allowed, quoted and joined.
        allowed: String,
    },
    /// A verdict for a property the model does not have.
    #[error("field `{name}`: no such property; the properties are: {allowed}")]
    UnknownProperty {
        /// The table and the name given.
        name: String,
        /// The property names, quoted and joined.
        allowed: String,
    },
    /// Any of these, with the line of the file it is about.
    #[error("line {line} (`{text}`): {error}")]
    AtLine {
        /// The line number, from 1.
        line: usize,
        /// The line, in short.
        text: String,
        /// What is wrong there.
        error: Box<ScenarioError>,
    },
    /// A verdict that does not fit its property.
    #[error("field `{name}` is \"{value}\", but it must be {allowed}")]
    BadVerdict {
        /// The table and the property.
        name: String,
        /// The verdict given, in short.
        value: String,
        /// What fits that property.
        allowed: String,
    },
}

/// A TOML error with each line of its quoted source cut short: a 10 MB one-line file must
/// not give a 10 MB message.
fn toml_error(error: &toml::de::Error) -> ScenarioError {
    let message = error.to_string();
    let lines: Vec<String> = message
        .trim_end()
        .lines()
        .take(12)
        .map(|line| match line.char_indices().nth(120) {
            None => line.to_string(),
            Some((end, _)) => format!("{}…", &line[..end]),
        })
        .collect();
    ScenarioError::Syntax(lines.join("\n"))
}

/// The name of a TOML value's type, for "is a table, but it must be …".
fn type_name(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => format!("`{}`", excerpt(text)),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Boolean(on) => on.to_string(),
        toml::Value::Datetime(_) => "a date".to_string(),
        toml::Value::Array(_) => "an array".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

/// The line (from 1) and text of `key = …` in `[table]` of `text`, if it can be found.
fn line_of(text: &str, table: &str, key: &str) -> Option<(usize, String)> {
    let mut in_table = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_table = trimmed.trim_start_matches('[').trim_end_matches(']').trim() == table;
            continue;
        }
        let Some(rest) = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")))
        else {
            continue;
        };
        if in_table && rest.trim_start().starts_with('=') {
            return Some((index + 1, excerpt(trimmed)));
        }
    }
    None
}

/// `error`, about `key` of `[table]`, with its line in `text` when it can be found.
fn at_line(text: &str, table: &str, key: &str, error: ScenarioError) -> ScenarioError {
    match line_of(text, table, key) {
        Some((line, quoted)) => ScenarioError::AtLine {
            line,
            text: quoted,
            error: Box::new(error),
        },
        None => error,
    }
}

/// `value` as a setting of `parameter`, or an error naming `field`.
pub fn read_setting(
    parameter: &Parameter,
    field: &str,
    value: &toml::Value,
) -> Result<Setting, ScenarioError> {
    let setting = match (parameter.kind, value) {
        (ParameterKind::Count { .. }, toml::Value::Integer(count)) => parameter.count(*count),
        (ParameterKind::Switch, toml::Value::Boolean(on)) => Some(Setting::Switch(*on)),
        (ParameterKind::Choice(_), toml::Value::String(name)) => parameter.choice(name),
        _ => None,
    };
    setting.ok_or_else(|| ScenarioError::BadValue {
        field: field.to_string(),
        value: type_name(value),
        allowed: allowed_values(&parameter.kind),
    })
}

/// Reads the `[model]` table into a configuration: every parameter it names, checked;
/// the others keep `definition`'s defaults.
fn read_config<D: ModelDefinition>(
    definition: &D,
    model: Option<&toml::Value>,
    text: &str,
) -> Result<D::Config, ScenarioError> {
    let mut config = definition.default_config();
    let Some(model) = model else {
        return Ok(config);
    };
    let toml::Value::Table(fields) = model else {
        return Err(ScenarioError::BadValue {
            field: "model".to_string(),
            value: type_name(model),
            allowed: "a table of parameters (`[model]`)".to_string(),
        });
    };
    for (name, value) in fields {
        let parameter = definition
            .parameters()
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                let error = ScenarioError::UnknownField {
                    table: "model".to_string(),
                    field: excerpt(name),
                    allowed: definition
                        .parameters()
                        .iter()
                        .map(|p| format!("`{}`", p.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                at_line(text, "model", name, error)
            })?;
        let setting = read_setting(parameter, &format!("model.{}", parameter.name), value)
            .map_err(|error| at_line(text, "model", name, error))?;
        definition.set(&mut config, parameter.name, setting);
    }
    Ok(config)
}

const SCENARIO_FIELDS: &[&str] = &["description", "model", "expect", "story"];

impl<C> Scenario<C> {
    /// Parses the TOML text of a scenario called `name` for `definition`'s model.
    pub fn parse<D: ModelDefinition<Config = C>>(
        definition: &D,
        name: &str,
        text: &str,
    ) -> Result<Scenario<C>, ScenarioError> {
        let file: toml::Table = toml::from_str(text).map_err(|error| toml_error(&error))?;
        if let Some(unknown) = file
            .keys()
            .find(|key| !SCENARIO_FIELDS.contains(&key.as_str()))
        {
            return Err(ScenarioError::UnknownField {
                table: "the top level".to_string(),
                field: excerpt(unknown),
                allowed: "`description`, `model`, `expect`, `story`".to_string(),
            });
        }
        let description = match file.get("description") {
            Some(toml::Value::String(text)) => text.trim().to_string(),
            Some(other) => {
                return Err(ScenarioError::BadValue {
                    field: "description".to_string(),
                    value: type_name(other),
                    allowed: "a string".to_string(),
                })
            }
            None => return Err(ScenarioError::Syntax("missing field `description`".into())),
        };
        let config = read_config(definition, file.get("model"), text)?;
        let properties = catalogue(&definition.build(&definition.default_config()));
        let expect = match file.get("expect") {
            None => Vec::new(),
            Some(toml::Value::Table(lines)) => read_verdicts("expect", lines, &properties)
                .map_err(|error| match &error {
                    ScenarioError::UnknownProperty { .. } | ScenarioError::BadVerdict { .. } => {
                        let key = lines
                            .keys()
                            .find(|key| match &error {
                                ScenarioError::BadVerdict { name, .. } => {
                                    name == &format!("expect.\"{key}\"")
                                }
                                _ => properties.iter().all(|p| p.name != key.as_str()),
                            })
                            .cloned()
                            .unwrap_or_default();
                        at_line(text, "expect", &key, error)
                    }
                    _ => error,
                })?,
            Some(other) => {
                return Err(ScenarioError::BadValue {
                    field: "expect".to_string(),
                    value: type_name(other),
                    allowed: "a table of `\"property\" = \"verdict\"` lines".to_string(),
                })
            }
        };
        let story = match file.get("story") {
            None => None,
            Some(value) => {
                let story: Story = value.clone().try_into().map_err(|error: toml::de::Error| {
                    ScenarioError::Syntax(format!("field `story`: {}", error.message()))
                })?;
                check_story(&story, &properties)?;
                Some(story)
            }
        };
        Ok(Scenario {
            name: name.to_string(),
            description,
            config,
            expect,
            story,
        })
    }

    /// The scenario `definition` ships under `name`, if there is one.
    pub fn builtin<D: ModelDefinition<Config = C>>(
        definition: &D,
        name: &str,
    ) -> Option<Result<Scenario<C>, ScenarioError>> {
        definition
            .scenarios()
            .iter()
            .find(|(builtin, _)| *builtin == name)
            .map(|(name, text)| Scenario::parse(definition, name, text))
    }

    /// The verdict the scenario declares for `property`, if it declares one.
    pub fn expected(&self, property: &str) -> Option<Verdict> {
        self.expect
            .iter()
            .find(|(name, _)| *name == property)
            .map(|(_, verdict)| *verdict)
    }
}

/// A story needs a step, and may end only on properties that a state can violate.
fn check_story(story: &Story, properties: &[PropertyInfo]) -> Result<(), ScenarioError> {
    if story.steps().is_empty() {
        return Err(ScenarioError::Syntax(
            "field `story.beats`: a story needs at least one step".to_string(),
        ));
    }
    let endable: Vec<&PropertyInfo> = properties
        .iter()
        .filter(|p| matches!(p.kind, PropertyKind::Always | PropertyKind::Recoverable))
        .collect();
    if let Some(unknown) = story
        .ends_violating
        .iter()
        .find(|name| endable.iter().all(|p| p.name != name.as_str()))
    {
        return Err(ScenarioError::Syntax(format!(
            "field `story.ends_violating`: \"{}\" is not a property a state can violate; \
             those are: {}",
            excerpt(unknown),
            endable
                .iter()
                .map(|p| format!("\"{}\"", p.name))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(())
}

/// Reads a table of `"property name" = "verdict"` lines (a scenario's `[expect]`, a
/// variant's table in `variants.toml`): each name must be a property and each verdict
/// must fit it. `table` names the table in error messages. The result is in the order
/// of `properties`.
fn read_verdicts(
    table: &str,
    lines: &toml::Table,
    properties: &[PropertyInfo],
) -> Result<Vec<(&'static str, Verdict)>, ScenarioError> {
    if let Some(unknown) = lines
        .keys()
        .find(|name| properties.iter().all(|p| p.name != name.as_str()))
    {
        return Err(ScenarioError::UnknownProperty {
            name: format!("{table}.\"{}\"", excerpt(unknown)),
            allowed: quoted_names(properties),
        });
    }
    let mut verdicts = Vec::new();
    for property in properties {
        let Some(value) = lines.get(property.name) else {
            continue;
        };
        let fitting = property.kind.decisive_verdicts();
        let allowed = format!("\"{}\" or \"{}\"", fitting[0], fitting[1]);
        let verdict = match value {
            toml::Value::String(name) => Verdict::from_name(name).filter(|v| fitting.contains(v)),
            _ => None,
        };
        let verdict = verdict.ok_or_else(|| ScenarioError::BadVerdict {
            name: format!("{table}.\"{}\"", property.name),
            value: match value {
                toml::Value::String(name) => excerpt(name),
                other => type_name(other),
            },
            allowed,
        })?;
        verdicts.push((property.name, verdict));
    }
    Ok(verdicts)
}

/// The verdicts a model's `variants.toml` declares: for each context (a combination of
/// options, see [`ModelDefinition::expectation_context`]), for each variant, a verdict
/// per property. What it does not list is undeclared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeclaredVerdicts {
    contexts: BTreeMap<String, VariantTables>,
}

/// One context's tables: the verdicts of each variant, in property order.
type VariantTables = BTreeMap<String, Vec<(&'static str, Verdict)>>;

impl DeclaredVerdicts {
    /// Reads `definition`'s `variants.toml` (none declared when it has none).
    pub fn of<D: ModelDefinition>(definition: &D) -> Result<DeclaredVerdicts, ScenarioError> {
        match definition.declared_verdicts() {
            None => Ok(DeclaredVerdicts::default()),
            Some(text) => DeclaredVerdicts::parse(definition, text),
        }
    }

    /// Reads `text`, a `variants.toml` for `definition`'s model: `[CONTEXT.VARIANT]` tables
    /// of `"property" = "verdict"` lines. Every variant and property must exist.
    pub fn parse<D: ModelDefinition>(
        definition: &D,
        text: &str,
    ) -> Result<DeclaredVerdicts, ScenarioError> {
        let in_file = |error: ScenarioError| match error {
            ScenarioError::Syntax(message) => {
                ScenarioError::Syntax(format!("variants.toml: {message}"))
            }
            other => other,
        };
        let file: toml::Table = toml::from_str(text).map_err(|e| in_file(toml_error(&e)))?;
        let properties = catalogue(&definition.build(&definition.default_config()));
        let variants: Vec<&str> = match definition.variant_parameter().map(|p| p.kind) {
            Some(ParameterKind::Choice(choices)) => choices.iter().map(|c| c.name).collect(),
            _ => vec!["default"],
        };
        let mut contexts = BTreeMap::new();
        for (context, tables) in &file {
            let toml::Value::Table(tables) = tables else {
                return Err(in_file(ScenarioError::Syntax(format!(
                    "`{}` must be a table of variants",
                    excerpt(context)
                ))));
            };
            let mut declared = BTreeMap::new();
            for (variant, lines) in tables {
                if !variants.contains(&variant.as_str()) {
                    return Err(in_file(ScenarioError::Syntax(format!(
                        "`[\"{}\".{}]` is not a variant; the variants are: {}",
                        excerpt(context),
                        excerpt(variant),
                        variants.join(", ")
                    ))));
                }
                let toml::Value::Table(lines) = lines else {
                    return Err(in_file(ScenarioError::Syntax(format!(
                        "`[\"{context}\".{variant}]` must be a table of `\"property\" = \"verdict\"` lines"
                    ))));
                };
                let table = format!("\"{context}\".{variant}");
                declared.insert(variant.clone(), read_verdicts(&table, lines, &properties)?);
            }
            contexts.insert(context.clone(), declared);
        }
        Ok(DeclaredVerdicts { contexts })
    }

    /// The contexts declared, in order of their names.
    pub fn contexts(&self) -> impl Iterator<Item = &str> {
        self.contexts.keys().map(String::as_str)
    }

    /// Whether `context` has a table.
    pub fn has_context(&self, context: &str) -> bool {
        self.contexts.contains_key(context)
    }

    /// The verdicts declared for `variant` in `context`, in property order (empty when
    /// none are).
    pub fn of_variant(&self, context: &str, variant: &str) -> &[(&'static str, Verdict)] {
        self.contexts
            .get(context)
            .and_then(|tables| tables.get(variant))
            .map_or(&[], Vec::as_slice)
    }

    /// The verdict declared for `property` of `variant` in `context`, if there is one.
    pub fn verdict(&self, context: &str, variant: &str, property: &str) -> Option<Verdict> {
        self.of_variant(context, variant)
            .iter()
            .find(|(name, _)| *name == property)
            .map(|(_, verdict)| *verdict)
    }
}
