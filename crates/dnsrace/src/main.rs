//! `dnsrace`: model-check the DynamoDB DNS race of October 2025.
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
//! does not admit (`replay`), 2 bad usage or scenario, 1 internal error.

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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

use cli_error::UsageError;

/// mimalloc instead of the system allocator: see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Check a scenario, print a link to each counterexample in stateright's Explorer,
    /// and serve the Explorer (on 127.0.0.1:3000 unless told otherwise) until Ctrl-C.
    Explore(Box<explore::ExploreArgs>),
    /// List the models, scenarios, properties, variants, freshness readings, operator
    /// repairs and faults.
    List,
    /// Measure the engine (states/s, memory) against stateright's DFS on fixed
    /// configurations, with 1 and 2 threads.
    Bench(bench::BenchArgs),
    /// Check every variant on one scenario and compare each verdict with the ones
    /// `variants.toml` declares (exit 0 when all match, 1 otherwise).
    Matrix(Box<matrix::MatrixArgs>),
    /// For each property each variant violates, find the smallest configuration that
    /// still shows the violation.
    Sweep(Box<sweep::SweepArgs>),
    /// Follow a scenario's story (for instance `outage-story`, the post-mortem's) step by
    /// step: confirm the model admits each step in order and ends where the story ends,
    /// or name the first step that is not possible (exit 4).
    Replay(Box<replay::ReplayArgs>),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| run(cli)));
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

fn run(cli: Cli) -> Result<u8, UsageError> {
    match cli.command {
        Command::List => {
            emit(&list::render())?;
            Ok(0)
        }
        Command::Check(args) => check::run(*args),
        Command::Bench(args) => bench::run(args),
        Command::Explore(args) => explore::run(*args),
        Command::Matrix(args) => matrix::run(*args),
        Command::Sweep(args) => sweep::run(*args),
        Command::Replay(args) => replay::run(*args),
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
