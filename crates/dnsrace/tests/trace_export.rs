//! `check --trace-out FILE --trace-format text|json|itf|mermaid`: every ITF file written
//! round-trips through the `itf` crate and agrees with the text trace; the Mermaid diagram
//! in the docs is what the command prints; bad flags are refused.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_rejected, dnsrace, workspace_root, Run, SCENARIOS};

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(label: &str) -> TempFile {
        TempFile(std::env::temp_dir().join(format!(
            "dnsrace-trace-export-{}-{label}",
            std::process::id()
        )))
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temporary path is UTF-8")
    }

    fn read(&self) -> String {
        std::fs::read_to_string(&self.0)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", self.0.display()))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The steps of a text trace: the `<action>` of each `State n: <action>` line, checking
/// that the states are numbered 1, 2, 3, …
fn text_actions(text: &str) -> Vec<String> {
    let mut actions = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("State ") else {
            continue;
        };
        let (number, action) = rest.split_once(": <").expect("`State n: <action>`");
        assert_eq!(number.parse::<usize>(), Ok(actions.len() + 1), "{line}");
        actions.push(action.strip_suffix('>').expect("ends in `>`").to_string());
    }
    actions
}

/// Runs `dnsrace ARGS` (which must exit with `code`) and returns the run.
fn run_expecting(args: &[&str], code: i32) -> Run {
    let run = dnsrace(args);
    run.assert_code(code);
    assert!(!run.stderr.contains("panicked"), "{run}");
    run
}

/// Writes the ITF trace of `args` to a file, parses it with the `itf` crate, and checks
/// it against the text trace of the same command: same number of states, and the action
/// variable of state n is the `<action>` of `State n`. Returns the parsed trace.
fn assert_itf_agrees_with_text(args: &[&str], label: &str) -> itf::Trace<itf::Value> {
    let mut text_args = args.to_vec();
    text_args.extend(["--trace-format", "text"]);
    let text_run = dnsrace(&text_args);
    assert!(!text_run.stderr.contains("panicked"), "{text_run}");
    let actions = text_actions(&text_run.stdout);
    assert!(!actions.is_empty(), "{label}: no text trace\n{text_run}");

    let file = TempFile::new(&format!("{label}.itf.json"));
    let mut itf_args = args.to_vec();
    itf_args.extend(["--trace-out", file.path()]);
    let run = run_expecting(&itf_args, text_run.code);
    assert!(
        run.stderr.contains("Wrote the trace of ") && run.stderr.contains(" as itf."),
        "{run}"
    );
    let text = file.read();
    let trace: itf::Trace<itf::Value> = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{label}: not ITF: {error}\n{text}"));
    // The typed reader (the one model-based tests use) takes it too.
    itf::trace_from_str::<serde_json::Value>(&text)
        .unwrap_or_else(|error| panic!("{label}: the itf crate cannot decode it: {error}"));

    assert_eq!(
        trace.states.len(),
        actions.len(),
        "{label}: number of states"
    );
    for (index, (state, action)) in trace.states.iter().zip(&actions).enumerate() {
        assert_eq!(state.meta.index, Some(index as u64), "{label}");
        let itf::Value::Record(record) = &state.value else {
            panic!("{label}: state {index} is not a record");
        };
        assert_eq!(
            record.get("action"),
            Some(&itf::Value::String(action.clone())),
            "{label}: state {}",
            index + 1
        );
    }
    assert_eq!(trace.meta.format.as_deref(), Some("ITF"));
    assert_eq!(trace.vars.first().map(String::as_str), Some("action"));
    let property = &trace.meta.other["property"];
    assert!(
        text_run
            .stdout
            .starts_with(&format!("Error: Invariant \"{property}\" is violated."))
            || text_run
                .stdout
                .starts_with(&format!("Example: \"{property}\" is reached.")),
        "{label}: the text trace is of another property than {property}\n{text_run}"
    );
    trace
}

/// The value at `keys` (record fields and string map keys) in an ITF value.
fn itf_get<'v>(value: &'v itf::Value, keys: &[&str]) -> &'v itf::Value {
    keys.iter().fold(value, |value, key| match value {
        itf::Value::Record(record) => record.get(key).unwrap_or_else(|| panic!("no `{key}`")),
        itf::Value::Map(map) => map
            .get(&itf::Value::String(key.to_string()))
            .unwrap_or_else(|| panic!("no key `{key}`")),
        other => panic!("cannot look up `{key}` in {other:?}"),
    })
}

#[test]
fn the_outage_itf_trace_ends_with_the_regional_endpoint_empty() {
    let trace = assert_itf_agrees_with_text(&["check", "outage"], "outage");
    assert_eq!(trace.meta.other["property"], "endpoint record never empty");
    assert_eq!(trace.meta.other["verdict"], "violated");
    assert!(
        trace
            .meta
            .source
            .as_deref()
            .unwrap_or_default()
            .contains("\"outage\""),
        "{:?}",
        trace.meta
    );
    let first = &trace.states[0].value;
    let last = &trace.states.last().expect("states").value;
    assert_eq!(
        itf_get(first, &["route53", "regional", "resolves"]),
        &itf::Value::Bool(false)
    );
    assert_eq!(
        itf_get(last, &["route53", "regional", "resolves"]),
        &itf::Value::Bool(false)
    );
    assert!(matches!(
        itf_get(last, &["route53", "regional", "alias"]),
        itf::Value::BigInt(_)
    ));
    assert!(matches!(
        itf_get(last, &["deleted_plans"]),
        itf::Value::Set(set) if set.iter().next().is_some()
    ));
}

#[test]
fn the_itf_trace_of_every_other_scenario_round_trips_and_agrees_with_the_text_trace() {
    for scenario in SCENARIOS.iter().filter(|s| **s != "outage") {
        assert_itf_agrees_with_text(&["check", scenario], scenario);
    }
}

#[test]
fn each_property_of_the_smallest_race_exports_its_own_trace() {
    for property in common::safety_properties()
        .iter()
        .chain(&common::sometimes_properties())
    {
        let trace = assert_itf_agrees_with_text(
            &["check", "smallest-race", "--property", property],
            &property.replace(' ', "-"),
        );
        assert_eq!(trace.meta.other["property"], *property);
        let verdict = if common::safety_properties().contains(property) {
            "violated"
        } else {
            "reached"
        };
        assert_eq!(trace.meta.other["verdict"], verdict);
    }
}

#[test]
fn the_json_trace_has_every_state_of_the_text_trace() {
    let file = TempFile::new("smallest-race.json");
    let text_run = dnsrace(&["check", "smallest-race", "--trace-format", "text"]);
    let run = run_expecting(
        &["check", "smallest-race", "--trace-out", file.path()],
        text_run.code,
    );
    assert!(run.stderr.contains(" as json."), "{run}");
    let document: serde_json::Value = serde_json::from_str(&file.read()).expect("JSON");
    assert_eq!(document["property"], "endpoint record never empty");
    assert_eq!(document["verdict"], "violated");
    let actions: Vec<&str> = document["states"]
        .as_array()
        .expect("states")
        .iter()
        .map(|state| state["action"].as_str().expect("an action"))
        .collect();
    assert_eq!(actions, text_actions(&text_run.stdout));
    // The report itself still goes to stdout.
    assert!(run.stdout.contains("Property "), "{run}");
}

#[test]
fn the_format_follows_the_file_name_unless_given() {
    let mermaid = TempFile::new("trace.mmd");
    run_expecting(
        &["check", "smallest-race", "--trace-out", mermaid.path()],
        12,
    );
    assert!(mermaid.read().starts_with("sequenceDiagram\n"));

    let forced = TempFile::new("trace.txt");
    run_expecting(
        &[
            "check",
            "smallest-race",
            "--trace-out",
            forced.path(),
            "--trace-format",
            "itf",
        ],
        12,
    );
    let document: serde_json::Value = serde_json::from_str(&forced.read()).expect("JSON");
    assert_eq!(document["#meta"]["format"], "ITF");

    let text = TempFile::new("trace");
    run_expecting(&["check", "smallest-race", "--trace-out", text.path()], 12);
    assert!(text
        .read()
        .starts_with("Error: Invariant \"endpoint record never empty\" is violated.\n"));
}

#[test]
fn the_mermaid_diagram_has_a_lifeline_per_actor_and_an_arrow_per_step() {
    let run = run_expecting(&["check", "smallest-race", "--trace-format", "mermaid"], 12);
    let diagram = &run.stdout;
    for participant in [
        "    participant Planner\n",
        "    participant planstore as plan store\n",
        "    participant Enactor1 as Enactor 1\n",
        "    participant Enactor2 as Enactor 2\n",
        "    participant Route53 as Route 53\n",
    ] {
        assert!(diagram.contains(participant), "{participant}{diagram}");
    }
    let text_run = dnsrace(&["check", "smallest-race", "--trace-format", "text"]);
    let steps = text_actions(&text_run.stdout).len() - 1;
    let arrows = diagram.lines().filter(|line| line.contains("->>")).count();
    assert_eq!(arrows, steps, "{diagram}");
    assert!(
        diagram.contains("resolves to NO ADDRESS"),
        "the last arrow says what it did:\n{diagram}"
    );
    assert!(
        diagram.ends_with(
            "    Note over Planner,Route53: Error: Invariant \"endpoint record never empty\" is violated.\n"
        ),
        "{diagram}"
    );
}

/// The `$ dnsrace …` command in a `<!-- $ dnsrace … -->` comment, split on spaces
/// outside double quotes.
fn command_of(comment: &str) -> Option<Vec<String>> {
    let command = comment
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim()
        .strip_prefix("$ dnsrace ")?;
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    Some(words)
}

/// Every ```mermaid block of `markdown` that follows a `<!-- $ dnsrace … -->` line: the
/// block's line number, the command and the block's text.
fn generated_diagrams(markdown: &str) -> Vec<(usize, Vec<String>, String)> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut found = Vec::new();
    for (index, window) in lines.windows(2).enumerate() {
        let (Some(command), "```mermaid") = (command_of(window[0]), window[1]) else {
            continue;
        };
        let body: Vec<&str> = lines[index + 2..]
            .iter()
            .take_while(|line| **line != "```")
            .copied()
            .collect();
        found.push((index + 2, command, format!("{}\n", body.join("\n"))));
    }
    found
}

#[test]
fn the_mermaid_diagrams_in_the_docs_are_what_dnsrace_prints() {
    let docs = workspace_root().join("docs");
    let mut checked = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&docs)
        .expect("docs/ exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    entries.sort();
    for path in entries {
        let name = Path::new("docs").join(path.file_name().expect("a file name"));
        let markdown = std::fs::read_to_string(&path).expect("readable");
        for (line, command, diagram) in generated_diagrams(&markdown) {
            let run = dnsrace(&command);
            assert!(
                !run.stdout.is_empty() && !run.stderr.contains("panicked"),
                "{}:{line}: {run}",
                name.display()
            );
            assert!(
                run.stdout == diagram,
                "{}:{line}: the diagram is not what `dnsrace {}` prints; replace it with:\n{}",
                name.display(),
                command.join(" "),
                run.stdout
            );
            checked.push(format!("{}:{line}", name.display()));
        }
    }
    assert!(
        checked
            .iter()
            .any(|place| place.starts_with("docs/reading-traces.md:")),
        "docs/reading-traces.md embeds the outage diagram: {checked:?}"
    );
}

#[test]
fn generated_diagrams_are_found_after_their_command() {
    let markdown = "intro\n<!-- $ dnsrace check \"a b\" --trace-format mermaid -->\n```mermaid\nsequenceDiagram\n    A->>B: hi\n```\n\n```mermaid\nnot generated\n```\n";
    assert_eq!(
        generated_diagrams(markdown),
        [(
            3,
            vec![
                "check".to_string(),
                "a b".to_string(),
                "--trace-format".to_string(),
                "mermaid".to_string()
            ],
            "sequenceDiagram\n    A->>B: hi\n".to_string()
        )]
    );
}

#[test]
fn no_trace_means_no_file_and_a_note() {
    let file = TempFile::new("none.itf.json");
    let run = run_expecting(
        &[
            "check",
            "single-enactor",
            "--property",
            "endpoint record never empty",
            "--trace-out",
            file.path(),
        ],
        0,
    );
    assert!(!file.0.exists(), "{run}");
    assert!(
        run.stderr
            .contains("no property has a counterexample or an example"),
        "{run}"
    );
    let only = run_expecting(
        &[
            "check",
            "single-enactor",
            "--property",
            "endpoint record never empty",
            "--trace-format",
            "itf",
        ],
        0,
    );
    assert!(only.stdout.is_empty(), "{only}");
}

// ---------------------------------------------------------------------------------------
// Bad input: exit 2, nothing on stdout, one `error:` message naming the flag.

#[test]
fn an_unknown_trace_format_lists_the_formats() {
    assert_rejected(
        &["check", "smallest-race", "--trace-format", "yaml"],
        &["--trace-format", "`yaml`", "text, json, itf, mermaid"],
    );
}

#[test]
fn a_trace_file_in_a_missing_folder_is_refused_before_the_check() {
    let missing = std::env::temp_dir()
        .join(format!("dnsrace-no-such-folder-{}", std::process::id()))
        .join("trace.itf.json");
    let missing = missing.to_str().expect("UTF-8");
    assert_rejected(
        &["check", "outage", "--trace-out", missing],
        &["--trace-out", "does not exist"],
    );
}

#[test]
fn a_folder_is_not_a_trace_file() {
    let folder = std::env::temp_dir();
    assert_rejected(
        &[
            "check",
            "smallest-race",
            "--trace-out",
            folder.to_str().expect("UTF-8"),
        ],
        &["--trace-out", "is a folder"],
    );
}

#[test]
fn a_trace_on_stdout_and_json_on_stdout_do_not_mix() {
    assert_rejected(
        &["check", "smallest-race", "--json", "--trace-format", "itf"],
        &["--trace-format", "--json", "--trace-out"],
    );
}
