//! `dnsrace`: model-check the DynamoDB DNS race of October 2025.
//!
//! `dnsrace check` runs the outage scenario and prints, like TLC, a shortest
//! counterexample for every violated property; `dnsrace list` shows the models, scenarios
//! and properties. Exit codes follow TLC where they overlap: 0 every property holds
//! (exhaustive run), 12 a safety property violated or a reachability property never
//! reached, 3 inconclusive (a bound stopped the run), 2 bad usage or scenario, 1 internal
//! error.

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod cli_error;
mod list;
mod model_args;
mod scenario;
mod search_args;

use cli_error::UsageError;

/// Exit code when a bad flag, scenario or property is given (as clap does).
const EXIT_USAGE: u8 = 2;
/// Exit code for a bug in dnsrace itself.
const EXIT_INTERNAL: u8 = 1;

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
    /// List the models, the scenarios and the properties.
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run(cli)));
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_USAGE)
        }
        // The panic message is already on stderr; say what it means.
        Err(_) => {
            eprintln!("error: internal error in dnsrace (a bug): please report it with the command you ran");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

fn run(cli: Cli) -> Result<u8, UsageError> {
    match cli.command {
        Command::List => {
            emit(&list::render())?;
            Ok(0)
        }
        Command::Check(args) => check::run(*args),
    }
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
