//! Over a thousand bad inputs (flags, scenario files, input and output paths), each run
//! through every command that takes it: every one must exit 2 with a short message on
//! stderr, nothing on stdout, and no panic. Built from the model's own parameters, so a
//! new parameter is fuzzed too.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dnsrace_core::ParameterKind;

/// The commands that read a model, a scenario and the model's flags (`explore` with
/// `--dry-run`, which checks its input and opens no port).
const COMMANDS: &[&[&str]] = &[
    &["check"],
    &["matrix"],
    &["sweep"],
    &["replay"],
    &["explore", "--dry-run"],
];

/// The longest message allowed on stderr.
const MAX_MESSAGE: usize = 2048;

/// A folder of bad files for this run, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("dnsrace-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }

    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("scratch file");
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Bad values for a parameter of `kind`.
fn bad_values(kind: ParameterKind) -> Vec<String> {
    let long = "x".repeat(100_000);
    match kind {
        ParameterKind::Count { min, max } => vec![
            (min - 1).to_string(),
            (max + 1).to_string(),
            "-99999999999999999999".into(),
            "99999999999999999999".into(),
            "abc".into(),
            String::new(),
            "1.5".into(),
            "0x2".into(),
            long,
        ],
        ParameterKind::Choice(_) => vec![
            "bogus".into(),
            String::new(),
            "AS-BUILT".into(),
            "as built".into(),
            "é\u{202e}".into(),
            long,
        ],
        ParameterKind::Switch => vec![],
    }
}

/// Scenario files that must be refused, as (label, contents).
fn bad_scenarios() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), b"".to_vec()),
        ("not-toml".into(), b"this is not toml".to_vec()),
        (
            "unclosed-table".into(),
            b"description = \"x\"\n[model\n".to_vec(),
        ),
        ("no-description".into(), b"[model]\nenactors = 2\n".to_vec()),
        ("description-number".into(), b"description = 3\n".to_vec()),
        (
            "unknown-top-level".into(),
            b"description = \"x\"\nmodle = 1\n".to_vec(),
        ),
        (
            "positional-model".into(),
            b"description = \"x\"\nmodel = [1, 1, 1, 0, true, \"recommended\", 99, \"junk\"]\n"
                .to_vec(),
        ),
        (
            "model-string".into(),
            b"description = \"x\"\nmodel = \"big\"\n".to_vec(),
        ),
        (
            "unknown-parameter".into(),
            b"description = \"x\"\n[model]\nenactor = 2\n".to_vec(),
        ),
        (
            "unknown-property".into(),
            b"description = \"x\"\n[expect]\n\"no such\" = \"holds\"\n".to_vec(),
        ),
        (
            "bad-verdict".into(),
            b"description = \"x\"\n[expect]\n\"endpoint record never empty\" = \"reached\"\n"
                .to_vec(),
        ),
        (
            "verdict-number".into(),
            b"description = \"x\"\n[expect]\n\"endpoint record never empty\" = 1\n".to_vec(),
        ),
        (
            "expect-array".into(),
            b"description = \"x\"\nexpect = [1]\n".to_vec(),
        ),
        (
            "story-empty".into(),
            b"description = \"x\"\n[story]\nbeats = []\n".to_vec(),
        ),
        (
            "story-unknown-field".into(),
            b"description = \"x\"\n[story]\nbeat = 1\n".to_vec(),
        ),
        ("binary".into(), (0..=255u8).cycle().take(4096).collect()),
        (
            "invalid-utf8".into(),
            b"description = \"\xff\xfe\"\n".to_vec(),
        ),
        (
            "huge-line".into(),
            std::iter::repeat_n(b'a', 2 << 20).collect::<Vec<u8>>(),
        ),
        (
            "long-unknown-field".into(),
            format!(
                "description = \"x\"\n[model]\n{} = 1\n",
                "y".repeat(100_000)
            )
            .into_bytes(),
        ),
        (
            "long-value".into(),
            format!(
                "description = \"x\"\n[model]\nvariant = \"{}\"\n",
                "z".repeat(100_000)
            )
            .into_bytes(),
        ),
    ];
    // Every parameter with a value of every wrong type, and out of range.
    for parameter in dynamodb_dns::PARAMETERS {
        let mut values: Vec<String> = vec![
            "1.5".into(),
            "[1, 2]".into(),
            "{ a = 1 }".into(),
            "1979-05-27".into(),
        ];
        match parameter.kind {
            ParameterKind::Count { min, max } => {
                values.extend(["\"3\"".into(), "true".into(), (max + 1).to_string()]);
                values.push((min - 1).to_string());
            }
            ParameterKind::Switch => values.extend(["\"yes\"".into(), "1".into()]),
            ParameterKind::Choice(choices) => {
                values.extend(["3".into(), "true".into(), "\"bogus\"".into()]);
                values.push(format!("{{ {} = {{}} }}", choices[0].name));
            }
        }
        for (index, value) in values.into_iter().enumerate() {
            files.push((
                format!("{}-{index}", parameter.name),
                format!(
                    "description = \"x\"\n[model]\n{} = {value}\n",
                    parameter.name
                )
                .into_bytes(),
            ));
        }
    }
    files
}

/// One bad input: the arguments.
type Case = Vec<String>;

fn cases(scratch: &Scratch) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    let with = |command: &[&str], rest: &[&str]| -> Case {
        command.iter().chain(rest).map(|s| s.to_string()).collect()
    };
    // 1. The model's flags with bad values, on every command.
    for command in COMMANDS {
        for parameter in dynamodb_dns::PARAMETERS {
            let flag = parameter.flag();
            for value in bad_values(parameter.kind) {
                cases.push(with(command, &["smallest-race", &flag, &value]));
                cases.push(with(
                    command,
                    &["smallest-race", &format!("{flag}={value}")],
                ));
            }
            if let ParameterKind::Switch = parameter.kind {
                cases.push(with(command, &["smallest-race", &format!("{flag}=yes")]));
                cases.push(with(command, &[&flag, "yes"]));
            }
        }
    }
    // 2. The search flags with bad values.
    let search: &[(&str, &[&str])] = &[
        ("--threads", &["300", "-1", "abc", ""]),
        ("--max-states", &["0", "-5", "abc", "1e9"]),
        ("--max-depth", &["abc", "-1", ""]),
        (
            "--timeout",
            &["bogus", "-1s", "99999999999999999999h", "", "10 parsecs"],
        ),
        ("--max-memory", &["1X", "-1G", "abc", ""]),
        ("--symmetry", &["maybe", ""]),
        ("--property", &["no such property", &"p".repeat(100_000)]),
    ];
    for command in COMMANDS {
        for (flag, values) in search {
            if command[0] == "replay" {
                continue; // replay takes no search flags: covered by "unknown flag"
            }
            for value in *values {
                cases.push(with(command, &["smallest-race", flag, value]));
            }
        }
        for bogus in [
            "--bogus",
            "--enactor",
            "-x",
            "--model",
            "--model=bogus",
            "--model=",
            "a b",
        ] {
            cases.push(with(command, &["smallest-race", bogus]));
        }
        cases.push(with(command, &["no-such-scenario"]));
        cases.push(with(command, &[&"s".repeat(100_000)]));
    }
    // 3. Bad scenario files, and paths that are not scenario files.
    let fifo = scratch.0.join("fifo.toml");
    let made_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let folder = scratch.0.join("folder.toml");
    std::fs::create_dir_all(&folder).expect("folder");
    let mut paths: Vec<String> = bad_scenarios()
        .into_iter()
        .map(|(label, contents)| scratch.file(&format!("{label}.toml"), &contents))
        .collect();
    paths.push(folder.display().to_string());
    paths.push(scratch.0.join("missing.toml").display().to_string());
    paths.push(format!("{}/{}.toml", scratch.0.display(), "n".repeat(300)));
    paths.push("/dev/null/x.toml".into());
    if made_fifo {
        paths.push(fifo.display().to_string());
    }
    for command in COMMANDS {
        for path in &paths {
            cases.push(with(command, &[path]));
        }
    }
    // 4. Output paths that cannot take a file, refused before the check.
    let mut outputs = vec![
        "/nonexistent-folder/trace.txt".to_string(),
        "/dev/full".to_string(),
        folder.display().to_string(),
        format!("{}/{}.txt", scratch.0.display(), "t".repeat(300)),
        "/proc/self/nonexistent/trace.json".to_string(),
    ];
    if made_fifo {
        outputs.push(fifo.display().to_string());
    }
    for output in &outputs {
        for format in [None, Some("json"), Some("itf"), Some("mermaid")] {
            let mut case = with(&["check"], &["smallest-race", "--trace-out", output]);
            if let Some(format) = format {
                case.extend(["--trace-format".to_string(), format.to_string()]);
            }
            cases.push(case);
        }
    }
    cases.push(with(
        &["check"],
        &["smallest-race", "--trace-format", "bogus"],
    ));
    cases.push(with(
        &["check"],
        &["smallest-race", "--resume", "/nonexistent-folder"],
    ));
    let file = scratch.file("not-a-folder", b"x");
    cases.push(with(&["check"], &["smallest-race", "--checkpoint", &file]));
    // 5. Other commands and their flags.
    for bad in [
        vec!["bogus"],
        vec!["list", "--model", "bogus"],
        vec!["list", "--bogus"],
        vec!["bench", "--config", "bogus"],
        vec!["bench", "--config", "small", "--config", "bogus"],
        vec!["bench", "--repeat", "abc"],
        vec!["bench", "--model", "bogus"],
        vec!["explore", "--addr", "example.org:80", "--dry-run"],
        vec!["explore", "--addr", "127.0.0.1:0", "--dry-run"],
        vec!["explore", "--addr", "10.0.0.1:3000", "--dry-run"],
        vec!["matrix", "smallest-race", "--markdown", "--json"],
        vec!["check", "smallest-race", "--json", "--trace-format", "json"],
        vec!["replay", "smallest-race"],
    ] {
        cases.push(bad.iter().map(|s| s.to_string()).collect());
    }
    cases
}

/// Runs one case; `Err` says how it broke the contract.
fn run(case: &Case) -> Result<(), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnsrace"))
        .args(case)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run dnsrace: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stdout.read_to_end(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(
                "ran for more than 30 s (bad input must be refused before any work)".into(),
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    let mut problems = Vec::new();
    if status.code() != Some(2) {
        problems.push(format!("exit code {:?}, not 2", status.code()));
    }
    if !stdout.is_empty() {
        problems.push(format!("{} bytes on stdout", stdout.len()));
    }
    if stderr.len() > MAX_MESSAGE {
        problems.push(format!("{} bytes on stderr", stderr.len()));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        problems.push("a panic".into());
    }
    if stderr.trim().is_empty() {
        problems.push("no message".into());
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(format!(
            "{}; stderr starts: {:?}",
            problems.join(", "),
            stderr.chars().take(300).collect::<String>()
        )),
    }
}

/// A case, shortened for the failure list.
fn shown(case: &Case) -> String {
    case.iter()
        .map(|arg| match arg.chars().count() {
            0..=80 => format!("{arg:?}"),
            n => format!(
                "{:?}… ({n} characters)",
                arg.chars().take(40).collect::<String>()
            ),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_thousand_bad_inputs_exit_2_with_a_short_message_and_nothing_on_stdout() {
    let scratch = Scratch::new();
    let cases = cases(&scratch);
    assert!(cases.len() >= 1000, "only {} cases", cases.len());
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(index) else {
                    break;
                };
                if let Err(problem) = run(case) {
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("dnsrace {}: {problem}", shown(case)));
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} bad inputs broke the contract:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    let _ = Path::new(&scratch.0);
}
