//! Running the `dnsrace` binary from the integration tests, and reading its text output.
#![allow(dead_code)] // each test file uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What one run of `dnsrace` produced.
#[derive(Debug)]
pub struct Run {
    /// The command line, for failure messages.
    pub command: String,
    /// The exit code (`-1` if the process was killed by a signal).
    pub code: i32,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr.
    pub stderr: String,
}

impl Run {
    fn from_output(command: String, output: Output) -> Run {
        Run {
            command,
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Panics, showing the whole run, unless the exit code is `code`.
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "`{}` exited with {} instead of {code}\n{self}",
            self.command, self.code
        );
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- command: {}\n--- exit code: {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

/// The workspace root: the directory the docs quote commands from.
pub fn workspace_root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .canonicalize()
        .expect("the workspace root exists")
}

/// Runs `dnsrace ARGS` from the workspace root and waits for it.
pub fn dnsrace<S: AsRef<str>>(args: &[S]) -> Run {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let command = format!("dnsrace {}", args.join(" "));
    let output = Command::new(env!("CARGO_BIN_EXE_dnsrace"))
        .args(&args)
        .current_dir(workspace_root())
        .output()
        .unwrap_or_else(|error| panic!("cannot run `{command}`: {error}"));
    Run::from_output(command, output)
}

/// Runs `dnsrace ARGS` and checks it is rejected as bad usage: exit code 2, nothing on
/// stdout, a message on stderr that starts with `error:`, contains every one of
/// `mentions`, and shows no panic.
pub fn assert_rejected<S: AsRef<str>>(args: &[S], mentions: &[&str]) -> Run {
    let run = dnsrace(args);
    run.assert_code(2);
    assert!(
        run.stdout.is_empty(),
        "bad input must print nothing on stdout\n{run}"
    );
    assert!(
        run.stderr.starts_with("error:"),
        "the message must start with `error:`\n{run}"
    );
    for forbidden in ["panicked", "stack backtrace", "internal error"] {
        assert!(
            !run.stderr.contains(forbidden),
            "bad input is not a crash: `{forbidden}` on stderr\n{run}"
        );
    }
    for mention in mentions {
        assert!(
            run.stderr.contains(mention),
            "the message must mention `{mention}`\n{run}"
        );
    }
    run
}

/// Drops the `Finished in …` timing line, the one line that differs between runs.
pub fn without_timing(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|line| !line.starts_with("Finished in"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// One row of the verdict table of the text output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The property's name.
    pub name: String,
    /// `always` or `sometimes`.
    pub kind: String,
    /// The verdict column as printed, e.g. `VIOLATED (trace of 24 states)`.
    pub verdict: String,
}

impl Row {
    /// The verdict in the words of the JSON output: `holds`, `violated`, `reached`,
    /// `not reached` or `inconclusive`.
    pub fn verdict_word(&self) -> &'static str {
        let verdict = self.verdict.as_str();
        if verdict == "holds" {
            "holds"
        } else if verdict.starts_with("VIOLATED") {
            "violated"
        } else if verdict.starts_with("reached") {
            "reached"
        } else if verdict == "NOT REACHED" {
            "not reached"
        } else if verdict == "inconclusive" {
            "inconclusive"
        } else {
            panic!("unknown verdict in the table: `{verdict}`")
        }
    }

    /// The number of states of the row's trace (`trace of N states`, `in N states`).
    pub fn trace_states(&self) -> Option<usize> {
        let rest = self
            .verdict
            .split_once("trace of ")
            .or_else(|| self.verdict.split_once("in "))?
            .1;
        let number = rest.strip_suffix(" states)")?;
        Some(number.parse().expect("a number of states"))
    }
}

/// The verdict table of a text report: the rows under the `Property  Kind  Verdict`
/// header, up to the first blank line or note.
pub fn verdict_table(stdout: &str) -> Vec<Row> {
    let mut lines = stdout.lines();
    lines
        .by_ref()
        .find(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words == ["Property", "Kind", "Verdict"]
        })
        .unwrap_or_else(|| panic!("no verdict table in:\n{stdout}"));
    lines
        .take_while(|line| !line.trim().is_empty() && !line.starts_with("Note: "))
        .map(|line| {
            let columns: Vec<&str> = line
                .split("  ")
                .map(str::trim)
                .filter(|column| !column.is_empty())
                .collect();
            match columns.as_slice() {
                [name, kind, verdict] => Row {
                    name: name.to_string(),
                    kind: kind.to_string(),
                    verdict: verdict.to_string(),
                },
                _ => panic!("a table row is not `name  kind  verdict`: `{line}`"),
            }
        })
        .collect()
}

/// The safety (`always`) properties of the DynamoDB DNS model, from its registry (so a
/// property added there is expected here too).
pub fn safety_properties() -> Vec<&'static str> {
    properties_of_kind(dnsrace_core::PropertyKind::Always)
}

/// Whether `stdout` says every verdict is the one scenario `name` declares: all of them,
/// or all it declares when it declares none for a property added since.
pub fn agrees_with_scenario(stdout: &str, name: &str) -> bool {
    stdout.contains(&format!(
        "Every verdict is the one scenario \"{name}\" expects.\n"
    )) || stdout.contains(&format!(
        "Every verdict scenario \"{name}\" declares is the one it expects; it declares none for "
    ))
}

/// The verdict built-in scenario `scenario` declares for `property`, if any.
pub fn declared_verdict(scenario: &str, property: &str) -> Option<dnsrace_core::Verdict> {
    dnsrace_core::Scenario::builtin(&dynamodb_dns::DynamoDbDns, scenario)
        .expect("the built-in scenarios parse")
        .expect("a built-in scenario")
        .expected(property)
}

/// `--property` for each of the race's three safety properties: for tests whose recorded
/// results are about these, whatever properties are added to the registry.
pub const RACE_PROPERTIES: [&str; 6] = [
    "--property",
    "endpoint record never empty",
    "--property",
    "no older plan overwrites newer",
    "--property",
    "active plan never deleted",
];

/// Every property of the DynamoDB DNS model, in registry order.
pub fn all_properties() -> Vec<&'static str> {
    dynamodb_dns::PROPERTIES.iter().map(|p| p.name).collect()
}

/// The reachability (`sometimes`) properties of the DynamoDB DNS model, from its registry.
pub fn sometimes_properties() -> Vec<&'static str> {
    properties_of_kind(dnsrace_core::PropertyKind::Sometimes)
}

fn properties_of_kind(kind: dnsrace_core::PropertyKind) -> Vec<&'static str> {
    dynamodb_dns::PROPERTIES
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.name)
        .collect()
}

/// The scenarios shipped with the model.
pub const SCENARIOS: [&str; 4] = ["outage", "smallest-race", "single-enactor", "outage-story"];
