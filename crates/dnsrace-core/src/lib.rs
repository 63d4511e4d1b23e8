//! The vocabulary that dnsrace's models and its checker share.
//!
//! A model is any [`stateright::Model`]. To be checked and shown by dnsrace it also
//! implements [`Presentation`]: it names the variables of a state as [`Value`]s, says in
//! its own words what each step does, and lists its properties as
//! [`DescribedProperty`]s (a stateright property plus a one-line description).
//!
//! Everything a person reads (text traces, JSON, diffs between states) is built from
//! these three pieces, so a new model needs no printing code of its own. A model whose
//! steps are messages between parties can also name them ([`Presentation::participants`],
//! [`Presentation::message`]) to get sequence diagrams.

use std::borrow::Cow;
use std::fmt::{self, Display, Formatter};

mod codec;
pub mod definition;
mod liveness;
pub mod scenario;
mod verdict;

pub use codec::{Records, StateCodec};
pub use definition::{
    Benchmark, Choice, ModelDefinition, Parameter, ParameterKind, Setting, SweepTable,
};
pub use liveness::{Explain, Liveness, LivenessProperty};
pub use scenario::{catalogue, DeclaredVerdicts, PropertyInfo, Scenario, ScenarioError, Story};
pub use verdict::{PropertyKind, Verdict};

pub use stateright::{Expectation, Model, Property};

/// A value of a state variable, shaped like TLA+ values so traces read like TLC's.
///
/// Sets are kept sorted and maps keep their keys in a fixed order, so two equal states
/// always render the same way.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// A truth value.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A string, rendered in quotes.
    Str(String),
    /// A finite set, sorted.
    Set(Vec<Value>),
    /// A sequence (TLA+ tuple), in order.
    Seq(Vec<Value>),
    /// A record with named fields, in declaration order.
    Record(Vec<(String, Value)>),
    /// A function from keys to values, in key order.
    Map(Vec<(Value, Value)>),
}

impl Value {
    /// A string value.
    pub fn str(text: impl Into<String>) -> Self {
        Value::Str(text.into())
    }

    /// A set of values, sorted and without duplicates.
    pub fn set(items: impl IntoIterator<Item = Value>) -> Self {
        let mut items: Vec<Value> = items.into_iter().collect();
        items.sort();
        items.dedup();
        Value::Set(items)
    }

    /// A record from `(field, value)` pairs, in the given order.
    pub fn record<'a>(fields: impl IntoIterator<Item = (&'a str, Value)>) -> Self {
        Value::Record(
            fields
                .into_iter()
                .map(|(name, value)| (name.to_string(), value))
                .collect(),
        )
    }

    /// A map from `(key, value)` pairs, kept in the given order.
    pub fn map(entries: impl IntoIterator<Item = (Value, Value)>) -> Self {
        Value::Map(entries.into_iter().collect())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Str(value.to_string())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Str(value)
    }
}

fn write_joined<T>(
    f: &mut Formatter<'_>,
    items: &[T],
    mut write_item: impl FnMut(&mut Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write_item(f, item)?;
    }
    Ok(())
}

/// Renders TLA+ syntax: `{1, 2}`, `<<1, 2>>`, `[alias |-> 4]`, `("regional" :> 4)`.
impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(true) => f.write_str("TRUE"),
            Value::Bool(false) => f.write_str("FALSE"),
            Value::Int(number) => write!(f, "{number}"),
            Value::Str(text) => write!(f, "{text:?}"),
            Value::Set(items) => {
                f.write_str("{")?;
                write_joined(f, items, |f, item| write!(f, "{item}"))?;
                f.write_str("}")
            }
            Value::Seq(items) => {
                f.write_str("<<")?;
                write_joined(f, items, |f, item| write!(f, "{item}"))?;
                f.write_str(">>")
            }
            Value::Record(fields) => {
                f.write_str("[")?;
                write_joined(f, fields, |f, (name, value)| {
                    write!(f, "{name} |-> {value}")
                })?;
                f.write_str("]")
            }
            Value::Map(entries) if entries.is_empty() => f.write_str("<<>>"),
            Value::Map(entries) => {
                f.write_str("(")?;
                for (index, (key, value)) in entries.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" @@ ")?;
                    }
                    write!(f, "{key} :> {value}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// A state variable: a name and its value.
pub type Variable = (String, Value);

/// A stateright property with the one-line description people read in `list` and in
/// verdict tables.
pub struct DescribedProperty<M: Model> {
    /// The property itself: its expectation (always, sometimes, eventually), its name and
    /// its condition.
    pub property: Property<M>,
    /// One line saying what the property means, in the model's vocabulary.
    pub description: &'static str,
}

impl<M: Model> Clone for DescribedProperty<M> {
    fn clone(&self) -> Self {
        DescribedProperty {
            property: self.property.clone(),
            description: self.description,
        }
    }
}

impl<M: Model> DescribedProperty<M> {
    /// A safety property: `condition` holds in every reachable state.
    pub fn always(
        name: &'static str,
        description: &'static str,
        condition: fn(&M, &M::State) -> bool,
    ) -> Self {
        DescribedProperty {
            property: Property::always(name, condition),
            description,
        }
    }

    /// A reachability property: `condition` holds in at least one reachable state. Each
    /// `always` should have one beside it, so that it cannot pass in a model where
    /// nothing happens.
    pub fn sometimes(
        name: &'static str,
        description: &'static str,
        condition: fn(&M, &M::State) -> bool,
    ) -> Self {
        DescribedProperty {
            property: Property::sometimes(name, condition),
            description,
        }
    }

    /// The property's name.
    pub fn name(&self) -> &'static str {
        self.property.name
    }
}

/// The name of the deadlock check (`check --deadlock`) in reports.
pub const DEADLOCK: &str = "no deadlock";

/// The deadlock check as a safety property: every reachable state has a next step, or
/// is an end the model expects ([`Presentation::terminal_state_expected`]). As a
/// property of one state it gets everything properties get: the shortest trace, the
/// same result with any number of threads, checkpoints and symmetry (whether a state
/// has a next step does not depend on how its processes are numbered).
pub fn no_deadlock<M: Presentation>() -> DescribedProperty<M> {
    DescribedProperty::always(
        DEADLOCK,
        "every reachable state has a next step, or is an end the model expects",
        has_next_step_or_is_an_expected_end::<M>,
    )
}

fn has_next_step_or_is_an_expected_end<M: Presentation>(model: &M, state: &M::State) -> bool {
    let mut actions = Vec::new();
    model.actions(state, &mut actions);
    actions
        .into_iter()
        .any(|action| model.next_state(state, action).is_some())
        || model.terminal_state_expected(state)
}

/// How a model shows itself to people: its state as named variables, its steps in its own
/// words, and its properties with descriptions.
pub trait Presentation: Model {
    /// The state as named variables, always in the same order. Traces print these, and
    /// show for each step only the variables (and the parts of them) that changed.
    fn variables(&self, state: &Self::State) -> Vec<Variable>;

    /// One line saying what `action` does when taken in `before` and leads to `after`,
    /// in the model's vocabulary (for example "Enactor 2 applies generation 5 to endpoint
    /// regional").
    fn describe_step(
        &self,
        before: &Self::State,
        action: &Self::Action,
        after: &Self::State,
    ) -> String;

    /// Every property of the model, with its description. The checker checks these unless
    /// told to check a selection.
    fn described_properties(&self) -> Vec<DescribedProperty<Self>>;

    /// The liveness properties of the model (see [`LivenessProperty`]). The checker
    /// decides them on the explored state graph. The default declares none.
    fn liveness_properties(&self) -> Vec<LivenessProperty<Self>> {
        Vec::new()
    }

    /// The kind of `action`, taken in `state`, for coverage (`check --coverage`, as TLC's
    /// `-coverage`): a short name that every action of the kind shares, such as "Enactor
    /// applies a change batch". Coverage counts, per kind, the steps taken and the new
    /// states they found. The default puts every step in one kind, "step"; a model whose
    /// actions derive `Debug` can return [`debug_name`] of the action (`Put(1)` is of
    /// kind "Put").
    fn action_kind(&self, _state: &Self::State, _action: &Self::Action) -> Cow<'static, str> {
        Cow::Borrowed("step")
    }

    /// Every action kind, in the order coverage lists them, so that a kind that never
    /// fires is listed too, with zeros (TLC flags such actions). The default declares none:
    /// coverage then lists the kinds that fired, by name.
    fn action_kinds(&self) -> Vec<Cow<'static, str>> {
        Vec::new()
    }

    /// Whether `state`, which has no next step, is an end the model expects (for example
    /// every release deployed and every deployer idle). `check --deadlock` reports a
    /// reachable state without a next step that is not such an end, as TLC reports
    /// "Deadlock reached". The default expects none.
    fn terminal_state_expected(&self, _state: &Self::State) -> bool {
        false
    }

    /// Symmetry reduction: the canonical member of `state`'s symmetry class, or `None`
    /// if `state` is already canonical (or the model declares no symmetry, the default).
    ///
    /// Two states in one class must differ only by a renaming of interchangeable
    /// processes (for example the Enactors), and every property must give them the same
    /// verdict: the checker then explores one state per class. The function must be
    /// idempotent and give every member of a class the same canonical state.
    fn representative(&self, _state: &Self::State) -> Option<Self::State> {
        None
    }

    /// The model's compact state encoding, if it has one (see [`StateCodec`]). The
    /// default has none: the checker then keeps the model's own states.
    fn codec(&self) -> Option<&dyn StateCodec<Self::State>> {
        None
    }

    /// The parties that exchange messages, in the order a sequence diagram draws their
    /// lifelines (for example Planner, plan store, the Enactors, Route 53). The default
    /// declares none: a diagram then draws them in the order they first appear.
    fn participants(&self) -> Vec<String> {
        Vec::new()
    }

    /// The message a step delivers, for sequence diagrams: who sent it, who receives it,
    /// and what it says (the label may also say what the delivery did, for example
    /// "deletes generation 1"). A step that is not a message delivery (a timer, an
    /// operator) may be a [`Message`] from a party to itself. The default is `None`: the
    /// diagram then shows the step as a note with its [`describe_step`] text.
    ///
    /// [`describe_step`]: Presentation::describe_step
    fn message(
        &self,
        _before: &Self::State,
        _action: &Self::Action,
        _after: &Self::State,
    ) -> Option<Message> {
        None
    }
}

/// A value's `Debug` name up to its first field: `Put(1)` and `Put { at: 1 }` give "Put".
pub fn debug_name(value: &impl fmt::Debug) -> String {
    let text = format!("{value:?}");
    let end = text.find(['(', '{', ' ']).unwrap_or(text.len());
    text[..end].to_string()
}

/// One arrow of a sequence diagram: a message from one party to another (or to itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The sender, as named in [`Presentation::participants`].
    pub from: String,
    /// The receiver, as named in [`Presentation::participants`].
    pub to: String,
    /// What the message says, in the model's vocabulary.
    pub label: String,
}
