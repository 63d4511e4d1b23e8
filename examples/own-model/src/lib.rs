//! A model of your own, checked by the whole dnsrace command line: **two deployers, a
//! config store and a stale write**.
//!
//! The automation is of the same family as DynamoDB's DNS Enactors: a check made once,
//! then a write that lands late. A release pipeline publishes releases 1, 2, 3, … of a
//! service's configuration. Each deployer, in a loop, reads the newest release, and
//! later writes it to the config store. Nothing makes the write wait for the read to be
//! fresh: a deployer that read release 1 and was delayed (a slow rollout, a retry)
//! writes it after another deployer wrote release 2, and the store goes back to an old
//! configuration. Every fleet that reads the store then runs yesterday's config.
//!
//! **Variants** (the checker, not this list, says whether each one works):
//! - `as-built`: the write is a blind put;
//! - `recheck-before-put`: before the put, the deployer reads the store again and drops
//!   its release if the store already holds one as new. The read and the put are two
//!   steps, so another write can land between them: still check-then-act;
//! - `conditional-put`: the store itself compares versions inside the write and refuses
//!   one that is not newer (compare-and-set).
//!
//! **Properties**: "store version never goes down" (safety, read off a history flag the
//! store sets when a write lowers its version), with two reachability twins so that it
//! cannot hold in a model where nothing is written.
//!
//! Run it with `cargo run -p own-model -- check`, `-- matrix`, `-- sweep`, `-- list`;
//! docs/adding-a-model.md walks through this file.

use std::borrow::Cow;
use std::fmt::{self, Display, Formatter};

use dnsrace_core::{
    Choice, DescribedProperty, Message, ModelDefinition, Parameter, ParameterKind, Presentation,
    Setting, Value, Variable,
};
use stateright::{Model, Property};

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

/// Which version of the deployers to model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Variant {
    /// A blind put.
    #[default]
    AsBuilt,
    /// A separate read of the store before the put.
    RecheckBeforePut,
    /// The store refuses a write that is not newer than what it holds.
    ConditionalPut,
}

/// The variants, with their names and descriptions, in the order `matrix` lists them.
const VARIANTS: &[(Variant, Choice)] = &[
    (
        Variant::AsBuilt,
        Choice {
            name: "as-built",
            description: "deployers write the release they read with a blind put",
        },
    ),
    (
        Variant::RecheckBeforePut,
        Choice {
            name: "recheck-before-put",
            description: "deployers re-read the store before the put, as a separate step",
        },
    ),
    (
        Variant::ConditionalPut,
        Choice {
            name: "conditional-put",
            description: "the store refuses a write that is not newer than what it holds",
        },
    ),
];

const VARIANT_CHOICES: &[Choice] = &[VARIANTS[0].1, VARIANTS[1].1, VARIANTS[2].1];

/// The parameters of one model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeployConfig {
    /// How many deployers run (1–3, default 2).
    pub deployers: u8,
    /// How many releases the pipeline publishes before it stops: the checking bound on a
    /// pipeline that never stops (1–4, default 3).
    pub releases: u8,
    /// Which version of the deployers.
    pub variant: Variant,
}

impl Default for DeployConfig {
    fn default() -> Self {
        DeployConfig {
            deployers: 2,
            releases: 3,
            variant: Variant::AsBuilt,
        }
    }
}

impl Display for DeployConfig {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let name = VARIANTS
            .iter()
            .find(|(variant, _)| *variant == self.variant)
            .map_or("?", |(_, choice)| choice.name);
        write!(
            f,
            "{} deployers, {} releases, variant {name}",
            self.deployers, self.releases
        )
    }
}

// ---------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------

/// Where a deployer is in its loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// About to read the newest release.
    Idle,
    /// Holds a release it read, not yet written.
    Read(u8),
    /// Re-read the store and found it older (`recheck-before-put` only): about to put.
    Rechecked(u8),
}

/// A reachable state of the whole system.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DeployState {
    /// The newest release the pipeline has published (0: none yet).
    pub published: u8,
    /// The release the config store holds (0: none yet).
    pub store: u8,
    /// History: some write lowered the store's release.
    pub went_down: bool,
    /// Each deployer's phase, deployer 1 first.
    pub deployers: Vec<Phase>,
}

/// One step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The pipeline publishes the next release.
    Publish,
    /// Deployer `i` (from 0) reads the newest release.
    Read(usize),
    /// Deployer `i` re-reads the store before its put.
    Recheck(usize),
    /// Deployer `i` writes its release to the store.
    Put(usize),
}

/// The kinds of [`Step`], in its order, as coverage names them.
const STEP_KINDS: [&str; 4] = [
    "pipeline publishes a release",
    "deployer reads the newest release",
    "deployer re-reads the store",
    "deployer writes to the config store",
];

/// The model of one configuration.
#[derive(Clone, Debug)]
pub struct DeployModel {
    /// The configuration it was built from.
    pub config: DeployConfig,
}

impl DeployModel {
    /// Whether the config store refuses a put of `release` while it holds `held`: only
    /// `conditional-put`'s store compares the two, inside the write itself.
    pub fn refuses(&self, release: u8, held: u8) -> bool {
        self.config.variant == Variant::ConditionalPut && release <= held
    }
}

impl Model for DeployModel {
    type State = DeployState;
    type Action = Step;

    fn init_states(&self) -> Vec<DeployState> {
        vec![DeployState {
            published: 0,
            store: 0,
            went_down: false,
            deployers: vec![Phase::Idle; self.config.deployers.into()],
        }]
    }

    fn actions(&self, state: &DeployState, actions: &mut Vec<Step>) {
        if state.published < self.config.releases {
            actions.push(Step::Publish);
        }
        for (index, phase) in state.deployers.iter().enumerate() {
            match phase {
                Phase::Idle if state.published > 0 => actions.push(Step::Read(index)),
                Phase::Idle => {}
                Phase::Read(_) if self.config.variant == Variant::RecheckBeforePut => {
                    actions.push(Step::Recheck(index))
                }
                Phase::Read(_) | Phase::Rechecked(_) => actions.push(Step::Put(index)),
            }
        }
    }

    fn next_state(&self, state: &DeployState, step: Step) -> Option<DeployState> {
        let mut next = state.clone();
        match step {
            Step::Publish => next.published += 1,
            Step::Read(index) => next.deployers[index] = Phase::Read(state.published),
            Step::Recheck(index) => {
                let Phase::Read(release) = state.deployers[index] else {
                    return None;
                };
                next.deployers[index] = match state.store < release {
                    true => Phase::Rechecked(release),
                    false => Phase::Idle, // the store is as new: drop the release
                };
            }
            Step::Put(index) => {
                let (Phase::Read(release) | Phase::Rechecked(release)) = state.deployers[index]
                else {
                    return None;
                };
                next.deployers[index] = Phase::Idle;
                if !self.refuses(release, state.store) {
                    next.went_down |= release < state.store;
                    next.store = release;
                }
            }
        }
        Some(next)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        self.described_properties()
            .into_iter()
            .map(|p| p.property)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

fn store_version_never_goes_down(_: &DeployModel, state: &DeployState) -> bool {
    !state.went_down
}

fn a_deployer_writes_a_release(_: &DeployModel, state: &DeployState) -> bool {
    state.store > 0
}

fn store_holds_the_final_release(model: &DeployModel, state: &DeployState) -> bool {
    state.store == model.config.releases
}

// ---------------------------------------------------------------------------------------
// Presentation
// ---------------------------------------------------------------------------------------

fn release(release: u8) -> Value {
    match release {
        0 => Value::str("none"),
        n => Value::Int(n.into()),
    }
}

/// "release 2", or "no release" for none.
fn in_words(release: u8) -> String {
    match release {
        0 => "no release".to_string(),
        n => format!("release {n}"),
    }
}

/// The release a deployer holds (0: none).
fn held(phase: Phase) -> u8 {
    match phase {
        Phase::Idle => 0,
        Phase::Read(release) | Phase::Rechecked(release) => release,
    }
}

impl Presentation for DeployModel {
    fn variables(&self, state: &DeployState) -> Vec<Variable> {
        let deployers = state.deployers.iter().enumerate().map(|(index, phase)| {
            let words = match phase {
                Phase::Idle => "idle",
                Phase::Read(_) => "read",
                Phase::Rechecked(_) => "rechecked",
            };
            (
                Value::str(format!("Deployer {}", index + 1)),
                Value::record([
                    ("phase", Value::str(words)),
                    ("release", release(held(*phase))),
                ]),
            )
        });
        vec![
            (
                "pipeline".into(),
                Value::record([("published", release(state.published))]),
            ),
            (
                "store".into(),
                Value::record([("release", release(state.store))]),
            ),
            (
                "history".into(),
                Value::record([("went_down", Value::Bool(state.went_down))]),
            ),
            ("deployers".into(), Value::map(deployers)),
        ]
    }

    // Coverage (`check --coverage`) counts the steps by kind: here, the `Step` variant.
    fn action_kind(&self, _state: &DeployState, step: &Step) -> Cow<'static, str> {
        Cow::Borrowed(
            STEP_KINDS[match step {
                Step::Publish => 0,
                Step::Read(_) => 1,
                Step::Recheck(_) => 2,
                Step::Put(_) => 3,
            }],
        )
    }

    // Declared, so that coverage lists a kind that never fires (the re-read, in a variant
    // without it).
    fn action_kinds(&self) -> Vec<Cow<'static, str>> {
        STEP_KINDS.iter().map(|&kind| Cow::Borrowed(kind)).collect()
    }

    fn describe_step(&self, before: &DeployState, step: &Step, after: &DeployState) -> String {
        match *step {
            Step::Publish => format!("Pipeline publishes release {}", after.published),
            Step::Read(i) => format!("Deployer {} reads release {}", i + 1, before.published),
            Step::Recheck(i) => match after.deployers[i] {
                Phase::Idle => format!(
                    "Deployer {} re-reads the store: it holds {}, drops its own",
                    i + 1,
                    in_words(before.store)
                ),
                _ => format!(
                    "Deployer {} re-reads the store: it holds {}, goes on",
                    i + 1,
                    in_words(before.store)
                ),
            },
            Step::Put(i) => {
                let r = held(before.deployers[i]);
                match self.refuses(r, before.store) {
                    true => format!(
                        "Config store refuses deployer {}'s release {r}: it holds {}",
                        i + 1,
                        before.store
                    ),
                    false => format!("Deployer {} writes release {r} to the config store", i + 1),
                }
            }
        }
    }

    /// The lifelines of a sequence diagram (`check --trace-out FILE.mmd`): the pipeline,
    /// the deployers, the store.
    fn participants(&self) -> Vec<String> {
        let deployers = (1..=self.config.deployers).map(|n| format!("Deployer {n}"));
        std::iter::once("Pipeline".to_string())
            .chain(deployers)
            .chain(["Config store".to_string()])
            .collect()
    }

    fn message(&self, before: &DeployState, step: &Step, after: &DeployState) -> Option<Message> {
        let arrow = |from: String, to: String, label: String| Message { from, to, label };
        let deployer = |i: usize| format!("Deployer {}", i + 1);
        let (pipeline, store) = ("Pipeline".to_string(), "Config store".to_string());
        Some(match *step {
            Step::Publish => arrow(
                pipeline.clone(),
                pipeline,
                format!("publish release {}", after.published),
            ),
            Step::Read(i) => arrow(
                pipeline,
                deployer(i),
                format!("newest is release {}", before.published),
            ),
            Step::Recheck(i) => arrow(
                store,
                deployer(i),
                match after.deployers[i] {
                    Phase::Idle => format!("holds {}: drop yours", in_words(before.store)),
                    _ => format!("holds {}", in_words(before.store)),
                },
            ),
            Step::Put(i) => {
                let r = held(before.deployers[i]);
                let label = match self.refuses(r, before.store) {
                    true => format!("put release {r}: refused, holds {}", before.store),
                    false if r < before.store => {
                        format!("put release {r} over newer release {}", before.store)
                    }
                    false => format!("put release {r}"),
                };
                arrow(deployer(i), store, label)
            }
        })
    }

    fn described_properties(&self) -> Vec<DescribedProperty<Self>> {
        vec![
            DescribedProperty::always(
                "store version never goes down",
                "no write replaces the store's release with an older one",
                store_version_never_goes_down,
            ),
            DescribedProperty::sometimes(
                "a deployer writes a release",
                "some deployer's write lands in the store",
                a_deployer_writes_a_release,
            ),
            DescribedProperty::sometimes(
                "store holds the final release",
                "the store holds the pipeline's last release",
                store_holds_the_final_release,
            ),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// The model's definition, for the command line
// ---------------------------------------------------------------------------------------

/// The stale-config-write model: `stale-config-write` on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct StaleConfigWrite;

const PARAMETERS: &[Parameter] = &[
    Parameter {
        name: "deployers",
        help: "Number of deployers",
        kind: ParameterKind::Count { min: 1, max: 3 },
        sweep_lowers: true,
        unit: Some(("deployer", "deployers")),
    },
    Parameter {
        name: "releases",
        help: "Number of releases the pipeline publishes",
        kind: ParameterKind::Count { min: 1, max: 4 },
        sweep_lowers: true,
        unit: Some(("release", "releases")),
    },
    Parameter {
        name: "variant",
        help: "Which version of the deployers",
        kind: ParameterKind::Choice(VARIANT_CHOICES),
        sweep_lowers: false,
        unit: None,
    },
];

const SCENARIOS: &[(&str, &str)] = &[
    (
        "two-deployers",
        include_str!("../scenarios/two-deployers.toml"),
    ),
    ("fixed", include_str!("../scenarios/fixed.toml")),
];

impl ModelDefinition for StaleConfigWrite {
    type Config = DeployConfig;
    type Model = DeployModel;

    fn name(&self) -> &'static str {
        "stale-config-write"
    }

    fn summary(&self) -> &'static str {
        "two deployers and a config store: a release read early and written late"
    }

    fn parameters(&self) -> &'static [Parameter] {
        PARAMETERS
    }

    fn default_config(&self) -> DeployConfig {
        DeployConfig::default()
    }

    fn get(&self, config: &DeployConfig, parameter: &str) -> Setting {
        match parameter {
            "deployers" => Setting::Count(config.deployers.into()),
            "releases" => Setting::Count(config.releases.into()),
            "variant" => Setting::Choice(
                VARIANTS
                    .iter()
                    .find(|(variant, _)| *variant == config.variant)
                    .map_or("as-built", |(_, choice)| choice.name),
            ),
            other => unreachable!("not a parameter of stale-config-write: {other}"),
        }
    }

    fn set(&self, config: &mut DeployConfig, parameter: &str, value: Setting) {
        // The command line checked `value` against PARAMETERS: kind and range.
        match (parameter, value) {
            ("deployers", Setting::Count(count)) => config.deployers = count as u8,
            ("releases", Setting::Count(count)) => config.releases = count as u8,
            ("variant", Setting::Choice(name)) => {
                if let Some((variant, _)) = VARIANTS.iter().find(|(_, c)| c.name == name) {
                    config.variant = *variant;
                }
            }
            (other, value) => {
                unreachable!("not a setting of stale-config-write: {other} = {value}")
            }
        }
    }

    fn build(&self, config: &DeployConfig) -> DeployModel {
        DeployModel { config: *config }
    }

    fn scenarios(&self) -> &'static [(&'static str, &'static str)] {
        SCENARIOS
    }

    fn declared_verdicts(&self) -> Option<&'static str> {
        Some(include_str!("../variants.toml"))
    }

    /// With one deployer, or one release, no write can be stale: every variant holds, and
    /// `variants.toml` says so in its `no-race` tables.
    fn expectation_context(&self, config: &DeployConfig) -> String {
        match config.deployers < 2 || config.releases < 2 {
            true => "no-race".to_string(),
            false => "default".to_string(),
        }
    }
}
