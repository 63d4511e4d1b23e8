//! `dnsrace`: model-check the DynamoDB DNS race of October 2025, or any model that
//! implements [`ModelDefinition`].
//!
//! The command line is also a library: a crate with its own model runs the whole
//! command line (check, explore, matrix, sweep, replay, list, bench, the exports) on it
//! with one line of `main`:
//!
//! ```ignore
//! fn main() -> std::process::ExitCode {
//!     dnsrace_cli::main_with(&[&my_model::MyModel])
//! }
//! ```
//!
//! Every command takes `--model NAME` (the first model registered is the default) and
//! the flags the model's parameters describe (`--enactors N` for a count `enactors`).
//!
//! `dnsrace check` runs the outage scenario and prints, like TLC, a shortest
//! counterexample for every violated property (and with `--trace-out` writes one as
//! text, JSON, ITF or a Mermaid diagram); `dnsrace explore` serves stateright's Explorer
//! opened on those counterexamples; `dnsrace replay` follows a scenario's story step by
//! step; `dnsrace list` shows the models, scenarios, properties, variants, readings and
//! faults. Exit codes follow TLC where they overlap: 0 every property holds (exhaustive
//! run), 12 a safety property violated or a reachability property never reached, 13 a
//! liveness property violated (and no safety one: 12 takes precedence), 3 inconclusive (a
//! bound, `--max-memory` or Ctrl-C stopped the run before a verdict), 4 a story the model
//! does not admit (`replay`), 5 a verdict that differs from the declared one (`matrix`),
//! 2 bad usage or scenario, 1 internal error (see [`exit`]).

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};
use dnsrace_core::{ModelDefinition, Parameter};

mod bench;
mod check;
mod checkpoint_args;
mod cli_error;
mod explore;
mod list;
mod long_run;
mod matrix;
mod model_args;
mod replay;
mod scenario;
mod search_args;
mod sweep;
mod trace_out;

pub use cli_error::UsageError;

/// The exit codes of every command, in one table (TLC's where they overlap).
pub mod exit {
    /// Every property has its verdict from an exhaustive run, and none is violated (or
    /// `matrix`: every cell is its declared verdict).
    pub const OK: u8 = 0;
    /// A bug in dnsrace itself.
    pub const INTERNAL: u8 = 1;
    /// A bad flag, scenario, property or path (as clap does).
    pub const USAGE: u8 = 2;
    /// Inconclusive: a bound, `--max-memory` or Ctrl-C stopped a search before every
    /// verdict was final.
    pub const INCONCLUSIVE: u8 = 3;
    /// `replay`: the model does not admit the story.
    pub const STORY_NOT_POSSIBLE: u8 = 4;
    /// `matrix`: some cell is not the verdict `variants.toml` declares.
    pub const DIFFERS_FROM_DECLARED: u8 = 5;
    /// `check --deadlock`: a reachable state has no next step and is not an end the
    /// model expects, and no safety property is violated (TLC's code for a deadlock).
    pub const DEADLOCK: u8 = 11;
    /// A safety property is violated, or a reachability property never reached (TLC's
    /// code for a violated invariant).
    pub const SAFETY: u8 = 12;
    /// A liveness property is violated and no safety one is (TLC's code).
    pub const LIVENESS: u8 = 13;
}

const EXIT_USAGE: u8 = exit::USAGE;
const EXIT_INTERNAL: u8 = exit::INTERNAL;

#[derive(Parser)]
#[command(
    name = "dnsrace",
    version,
    about = "Model-check the DynamoDB DNS race that emptied dynamodb.us-east-1.amazonaws.com on 19-20 October 2025",
    long_about = None,
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a scenario exhaustively and print a shortest counterexample for every
    /// violated property.
    Check(Box<check::CheckArgs>),
    /// Check a scenario, print a link to each counterexample in stateright's Explorer,
    /// and serve the Explorer (on 127.0.0.1:3000 unless told otherwise) until Ctrl-C.
    Explore(Box<explore::ExploreArgs>),
    /// List the models, then one model's scenarios, properties and parameters (with
    /// their choices and defaults).
    List(list::ListArgs),
    /// Measure the engine (states/s, memory) against stateright's DFS on fixed
    /// configurations, with 1 and 2 threads.
    Bench(bench::BenchArgs),
    /// Check every variant on one scenario and compare each verdict with the ones
    /// `variants.toml` declares (exit 0 when all match, 5 otherwise).
    Matrix(Box<matrix::MatrixArgs>),
    /// For each property each variant violates, find the smallest configuration that
    /// still shows the violation.
    Sweep(Box<sweep::SweepArgs>),
    /// Follow a scenario's story (for instance `outage-story`, the post-mortem's) step by
    /// step: confirm the model admits each step in order and ends where the story ends,
    /// or name the first step that is not possible (exit 4).
    Replay(Box<replay::ReplayArgs>),
}

/// A model the command line can check: every [`ModelDefinition`] is one. The command
/// line holds a list of them (the registry); the first is the default.
pub trait RegisteredModel: Sync {
    /// The name people type after `--model`.
    fn name(&self) -> &'static str;
    /// One line for `dnsrace list`.
    fn summary(&self) -> &'static str;
    /// The parameters, from which the model's flags are built.
    fn parameters(&self) -> &'static [Parameter];
    /// Runs a parsed command line on this model.
    fn run(
        &self,
        invocation: Invocation,
        models: &[&dyn RegisteredModel],
    ) -> Result<u8, UsageError>;
}

/// A parsed command line, as [`main_with`] hands it to a model.
pub struct Invocation {
    command: Command,
    /// The subcommand's arguments, where the model's own flags are.
    matches: ArgMatches,
}

impl<D: ModelDefinition> RegisteredModel for D {
    fn name(&self) -> &'static str {
        ModelDefinition::name(self)
    }

    fn summary(&self) -> &'static str {
        ModelDefinition::summary(self)
    }

    fn parameters(&self) -> &'static [Parameter] {
        ModelDefinition::parameters(self)
    }

    fn run(
        &self,
        invocation: Invocation,
        models: &[&dyn RegisteredModel],
    ) -> Result<u8, UsageError> {
        let matches = &invocation.matches;
        match invocation.command {
            Command::List(args) => {
                emit(&list::render(self, models, &args))?;
                Ok(0)
            }
            Command::Check(mut args) => {
                args.model.read_overrides(self, matches)?;
                check::run(self, *args)
            }
            Command::Bench(args) => bench::run(self, args),
            Command::Explore(mut args) => {
                args.model.read_overrides(self, matches)?;
                explore::run(self, *args)
            }
            Command::Matrix(mut args) => {
                args.model.read_overrides(self, matches)?;
                matrix::run(self, *args)
            }
            Command::Sweep(mut args) => {
                args.model.read_overrides(self, matches)?;
                sweep::run(self, *args)
            }
            Command::Replay(mut args) => {
                args.model.read_overrides(self, matches)?;
                replay::run(self, *args)
            }
        }
    }
}

/// Runs the command line on the models of `models` (the first is the default) and
/// returns the exit code: the whole of a `main`.
pub fn main_with(models: &[&dyn RegisteredModel]) -> ExitCode {
    finish(std::panic::catch_unwind(AssertUnwindSafe(|| {
        parse_and_run(models)
    })))
}

/// Runs `check` alone, with `added` properties beside the model's own: the whole of a
/// `main` for a crate that checks a property of its own against a registered model. It
/// takes every flag of `dnsrace check` (scenario, the model's flags, `--property`, bounds,
/// `--json`, `--trace-out` ...) without the word `check`:
///
/// ```ignore
/// fn main() -> std::process::ExitCode {
///     dnsrace_cli::check_main_with_properties(&dynamodb_dns::DynamoDbDns, my_properties())
/// }
/// ```
pub fn check_main_with_properties<D: ModelDefinition>(
    definition: &D,
    added: Vec<dnsrace_core::DescribedProperty<D::Model>>,
) -> ExitCode {
    finish(std::panic::catch_unwind(AssertUnwindSafe(|| {
        let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
        let models: [&dyn RegisteredModel; 1] = [definition];
        let command = model_args::with_model_flags(Cli::command(), definition, &models)?;
        let check = command
            .find_subcommand("check")
            .expect("the command line has `check`")
            .clone()
            .name(
                arguments
                    .first()
                    .and_then(|name| std::path::Path::new(name).file_name())
                    .map_or("check".to_string(), |name| {
                        name.to_string_lossy().into_owned()
                    }),
            );
        let matches = check
            .try_get_matches_from(arguments)
            .unwrap_or_else(|error| exit_on_clap_error(error));
        let mut args = check::CheckArgs::from_arg_matches(&matches)
            .unwrap_or_else(|error| exit_on_clap_error(error));
        if let Some(name) = args.model.model.as_deref() {
            if name != definition.name() {
                return Err(UsageError::new(format!(
                    "--model `{}` is not a model here; the model is {}",
                    cli_error::shorten(name),
                    definition.name()
                )));
            }
        }
        args.model.read_overrides(definition, &matches)?;
        check::run_with(definition, args, added)
    })))
}

/// The exit code of a run: a usage error's message and 2, or an internal error's.
fn finish(outcome: std::thread::Result<Result<u8, UsageError>>) -> ExitCode {
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(error)) => {
            complain(&format!("error: {error}"));
            ExitCode::from(EXIT_USAGE)
        }
        // The panic message is already on stderr; say what it means.
        Err(_) => {
            complain("error: internal error in dnsrace (a bug): please report it with the command you ran");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

/// Writes a message on stderr. If stderr cannot take it (`2>/dev/full`, a closed pipe),
/// the exit code still tells what happened: `eprintln!` would panic and exit 101.
pub(crate) fn complain(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// The value of `--model NAME` or `--model=NAME` among `arguments`, if one is given.
fn model_named(arguments: &[std::ffi::OsString]) -> Option<String> {
    let mut arguments = arguments.iter().map(|a| a.to_string_lossy());
    while let Some(argument) = arguments.next() {
        if argument == "--" {
            return None;
        }
        if argument == "--model" {
            return arguments.next().map(|name| name.into_owned());
        }
        if let Some(name) = argument.strip_prefix("--model=") {
            return Some(name.to_string());
        }
    }
    None
}

/// Prints clap's message and exits: `--help` and `--version` on stdout with 0, a usage
/// error on stderr with 2, each line cut short so that a huge argument is not echoed
/// whole.
fn exit_on_clap_error(error: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        error.exit();
    }
    let message = error.to_string();
    let lines: Vec<String> = message
        .trim_end()
        .lines()
        .map(cli_error::shorten_line)
        .collect();
    complain(&lines.join("\n"));
    std::process::exit(i32::from(EXIT_USAGE));
}

/// Finds the model the arguments name, builds the command line with its flags, parses
/// and runs.
fn parse_and_run(models: &[&dyn RegisteredModel]) -> Result<u8, UsageError> {
    let arguments: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let Some(&default) = models.first() else {
        return Err(UsageError::new("no model is registered"));
    };
    let model = match model_named(&arguments) {
        None => default,
        Some(name) => *models.iter().find(|m| m.name() == name).ok_or_else(|| {
            UsageError::new(format!(
                "--model `{}` is not a model; the models are: {}",
                cli_error::shorten(&name),
                models
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    let command = model_args::with_model_flags(Cli::command(), model, models)?;
    let matches = command
        .try_get_matches_from(arguments)
        .unwrap_or_else(|error| exit_on_clap_error(error));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| exit_on_clap_error(error));
    let sub = matches
        .subcommand()
        .map(|(_, sub)| sub.clone())
        .unwrap_or_default();
    model.run(
        Invocation {
            command: cli.command,
            matches: sub,
        },
        models,
    )
}

/// Writes `text` to stdout. A reader that went away (`dnsrace check | head`) is not an
/// error: the rest of the output is dropped and the exit code still tells the verdict.
fn emit(text: &str) -> Result<(), UsageError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(UsageError::new(format!("cannot write the output: {error}")))
        }
        _ => Ok(()),
    }
}
