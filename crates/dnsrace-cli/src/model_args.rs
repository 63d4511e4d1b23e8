//! The model, the scenario and the flags that override its configuration: shared by every
//! command that builds a model. The override flags are not written here: they are built
//! from the model's [`Parameter`]s (`enactors` becomes `--enactors N`, a switch
//! `lock_expiry` becomes `--lock-expiry` / `--no-lock-expiry`, a choice `variant` becomes
//! `--variant NAME`).

use clap::{Arg, ArgAction, ArgMatches, Args};
use dnsrace_core::definition::allowed_values;
use dnsrace_core::{ModelDefinition, Parameter, ParameterKind, Scenario, Setting};

use crate::cli_error::shorten;
use crate::{scenario, RegisteredModel, UsageError};

/// Which model and scenario, and (filled in after parsing) which of its parameters the
/// flags change.
#[derive(Args, Debug, Default)]
pub struct ModelArgs {
    /// A scenario name (see `dnsrace list`) or the path of a scenario TOML file. Default:
    /// the model's first scenario (`outage` for dynamodb-dns).
    pub scenario: Option<String>,

    /// Which model (see `dnsrace list`). Default: the first one registered.
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,

    /// The parameters the model's flags set, in parameter order.
    #[arg(skip)]
    pub overrides: Vec<(&'static str, Setting)>,
}

/// The subcommands whose arguments include a model's flags.
pub const MODEL_COMMANDS: &[&str] = &["check", "explore", "matrix", "sweep", "replay"];

/// The id of the "off" flag of a switch.
fn off_id(parameter: &Parameter) -> String {
    format!("no_{}", parameter.name)
}

/// The flags of `parameter`.
fn flags_of(parameter: &Parameter) -> Vec<Arg> {
    let long = parameter.name.replace('_', "-");
    match parameter.kind {
        ParameterKind::Count { min, max } => vec![Arg::new(parameter.name)
            .long(long)
            .value_name("N")
            .allow_negative_numbers(true)
            .value_parser(clap::value_parser!(i64))
            .help(format!(
                "{} ({min}-{max}). Overrides the scenario.",
                parameter.help
            ))],
        ParameterKind::Switch => vec![
            Arg::new(parameter.name)
                .long(long.clone())
                .action(ArgAction::SetTrue)
                .overrides_with(off_id(parameter))
                .help(format!("{}. Overrides the scenario.", parameter.help)),
            Arg::new(off_id(parameter))
                .long(format!("no-{long}"))
                .action(ArgAction::SetTrue)
                .overrides_with(parameter.name)
                .help(format!("Not --{long}. Overrides the scenario.")),
        ],
        ParameterKind::Choice(choices) => vec![Arg::new(parameter.name)
            .long(long)
            .value_name("NAME")
            .help(format!(
                "{}: {}. Overrides the scenario.",
                parameter.help,
                choices
                    .iter()
                    .map(|choice| choice.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))],
    }
}

/// `command` with `model`'s flags added to every model command, and the registered
/// models named in `--model`'s help. A parameter whose flag a command already has (a
/// parameter `timeout` and `check --timeout`) is refused: one of them would be silently
/// lost.
pub fn with_model_flags(
    mut command: clap::Command,
    model: &dyn RegisteredModel,
    models: &[&dyn RegisteredModel],
) -> Result<clap::Command, UsageError> {
    let mut clash: Option<String> = None;
    let names = models
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ");
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in subcommands {
        let takes_flags = MODEL_COMMANDS.contains(&name.as_str());
        command = command.mut_subcommand(&name, |sub| {
            let mut sub = sub.mut_arg("model", |arg| {
                arg.help(format!(
                    "Which model: {names} (see `dnsrace list`). Default: {}.",
                    models.first().map_or("", |m| m.name())
                ))
            });
            if takes_flags {
                for parameter in model.parameters() {
                    for flag in flags_of(parameter) {
                        // A parameter may not take a flag the command already has.
                        let clashes = sub.get_arguments().any(|existing| {
                            existing.get_id() == flag.get_id()
                                || (existing.get_long().is_some()
                                    && existing.get_long() == flag.get_long())
                        });
                        if clashes {
                            clash.get_or_insert_with(|| {
                                format!(
                                    "model `{}`: parameter `{}` would take the flag --{} of \
                                     `{name}`, which is the command's own; rename the parameter",
                                    model.name(),
                                    parameter.name,
                                    flag.get_long().unwrap_or(parameter.name)
                                )
                            });
                        } else {
                            sub = sub.arg(flag);
                        }
                    }
                }
            }
            sub
        });
    }
    match clash {
        Some(message) => Err(UsageError::new(message)),
        None => Ok(command),
    }
}

/// What a flag gives for `parameter`, checked against its kind and range; `None` when
/// the command line does not mention it.
fn read_flag(parameter: &Parameter, matches: &ArgMatches) -> Result<Option<Setting>, UsageError> {
    let flag = parameter.flag();
    // Of `--x` and `--no-x`, clap keeps the last one given (`overrides_with`).
    let present = |id: &str| matches!(matches.try_get_one::<bool>(id), Ok(Some(true)));
    match parameter.kind {
        ParameterKind::Count { .. } => {
            let Ok(Some(&value)) = matches.try_get_one::<i64>(parameter.name) else {
                return Ok(None);
            };
            parameter.count(value).map(Some).ok_or_else(|| {
                UsageError::new(format!(
                    "{flag} is {value}, but it must be {}",
                    allowed_values(&parameter.kind)
                ))
            })
        }
        ParameterKind::Switch => {
            if present(parameter.name) {
                Ok(Some(Setting::Switch(true)))
            } else if present(&off_id(parameter)) {
                Ok(Some(Setting::Switch(false)))
            } else {
                Ok(None)
            }
        }
        ParameterKind::Choice(_) => {
            let Ok(Some(name)) = matches.try_get_one::<String>(parameter.name) else {
                return Ok(None);
            };
            parameter.choice(name).map(Some).ok_or_else(|| {
                UsageError::new(format!(
                    "{flag} `{}` is not allowed; it must be {}",
                    shorten(name),
                    allowed_values(&parameter.kind)
                ))
            })
        }
    }
}

/// A scenario and the configuration to check: the scenario's, with the flags applied.
pub struct ChosenModel<C> {
    /// The scenario as its file says.
    pub scenario: Scenario<C>,
    /// The configuration after the flags.
    pub config: C,
}

impl<C: PartialEq> ChosenModel<C> {
    /// Whether a flag changed the scenario's model (its declared verdicts then no longer
    /// apply).
    pub fn overridden(&self) -> bool {
        self.config != self.scenario.config
    }
}

impl ModelArgs {
    /// Reads the model's flags from `matches`, each checked against its parameter.
    pub fn read_overrides<D: ModelDefinition>(
        &mut self,
        definition: &D,
        matches: &ArgMatches,
    ) -> Result<(), UsageError> {
        for parameter in definition.parameters() {
            if let Some(setting) = read_flag(parameter, matches)? {
                self.overrides.push((parameter.name, setting));
            }
        }
        Ok(())
    }

    /// The value `--NAME` gave the parameter `name`, if it did.
    pub fn override_of(&self, name: &str) -> Option<Setting> {
        self.overrides
            .iter()
            .find(|(parameter, _)| *parameter == name)
            .map(|(_, setting)| *setting)
    }

    /// Resolves the scenario and applies the overrides.
    pub fn choose<D: ModelDefinition>(
        &self,
        definition: &D,
    ) -> Result<ChosenModel<D::Config>, UsageError> {
        let scenario = scenario::resolve(definition, self.scenario.as_deref())?;
        let mut config = scenario.config.clone();
        for (parameter, setting) in &self.overrides {
            definition.set(&mut config, parameter, *setting);
        }
        Ok(ChosenModel { scenario, config })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use dnsrace_core::{Parameter, ParameterKind};

    /// A model whose only parameter is `name`, as a count.
    struct OneParameter(&'static [Parameter]);

    impl RegisteredModel for OneParameter {
        fn name(&self) -> &'static str {
            "one-parameter"
        }
        fn summary(&self) -> &'static str {
            "a model with one parameter"
        }
        fn parameters(&self) -> &'static [Parameter] {
            self.0
        }
        fn run(&self, _: crate::Invocation, _: &[&dyn RegisteredModel]) -> Result<u8, UsageError> {
            Ok(0)
        }
    }

    const fn count(name: &'static str) -> Parameter {
        Parameter {
            name,
            help: "how many",
            kind: ParameterKind::Count { min: 1, max: 9 },
            sweep_lowers: false,
            unit: None,
        }
    }

    // A model parameter `timeout` used to be dropped without a word: `--timeout` stayed
    // the check's time limit and the model kept its default.
    #[test]
    fn a_parameter_that_takes_a_commands_own_flag_is_refused() {
        static TIMEOUT: [Parameter; 1] = [count("timeout")];
        let model = OneParameter(&TIMEOUT);
        let error = with_model_flags(crate::Cli::command(), &model, &[&model])
            .expect_err("`timeout` clashes with check --timeout");
        let message = error.to_string();
        assert!(
            message.contains("parameter `timeout`") && message.contains("--timeout"),
            "{message}"
        );
    }

    #[test]
    fn a_parameter_of_its_own_gets_its_flag() {
        static LEASE_TIMEOUT: [Parameter; 1] = [count("lease_timeout")];
        let model = OneParameter(&LEASE_TIMEOUT);
        let command = with_model_flags(crate::Cli::command(), &model, &[&model]).expect("no clash");
        let check = command.find_subcommand("check").expect("check");
        assert!(check
            .get_arguments()
            .any(|arg| arg.get_long() == Some("lease-timeout")));
    }
}
