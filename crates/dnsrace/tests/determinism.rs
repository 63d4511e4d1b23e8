//! The output of `dnsrace check` is the same with 1 or 2 threads and from run to run, but for the `Finished in` timing line.

mod common;

use common::{dnsrace, without_timing, Run};

/// The stdout of `dnsrace ARGS --threads THREADS`, which must exit with `code`.
fn output(args: &[&str], threads: &str, code: i32) -> (Run, String) {
    let mut args = args.to_vec();
    args.extend(["--threads", threads]);
    let run = dnsrace(&args);
    run.assert_code(code);
    let text = without_timing(&run.stdout);
    (run, text)
}

/// Panics at the first line where `one` and `other` differ.
fn assert_same_output(what: &str, one: &str, other: &str) {
    if one == other {
        return;
    }
    let (one_lines, other_lines): (Vec<&str>, Vec<&str>) =
        (one.lines().collect(), other.lines().collect());
    let line = one_lines
        .iter()
        .zip(&other_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(one_lines.len().min(other_lines.len()));
    panic!(
        "{what}: outputs differ at line {}:\n  {:?}\nvs\n  {:?}",
        line + 1,
        one_lines.get(line),
        other_lines.get(line)
    );
}

/// Removes the fields of a JSON report that measure time or the machine.
fn without_timing_json(stdout: &str) -> serde_json::Value {
    let mut document: serde_json::Value =
        serde_json::from_str(stdout).expect("stdout is one JSON document");
    let statistics = document["statistics"]
        .as_object_mut()
        .expect("a statistics object");
    for field in ["elapsed", "distinct_states_per_second", "threads"] {
        statistics.remove(field);
    }
    document
}

#[test]
fn smallest_race_output_is_the_same_with_one_or_two_threads() {
    let (_, one) = output(&["check", "smallest-race"], "1", 12);
    let (_, two) = output(&["check", "smallest-race"], "2", 12);
    assert_same_output("smallest-race, 1 vs 2 threads", &one, &two);
}

#[test]
fn smallest_race_output_is_the_same_run_after_run() {
    let (_, first) = output(&["check", "smallest-race"], "2", 12);
    for _ in 0..3 {
        let (_, again) = output(&["check", "smallest-race"], "2", 12);
        assert_same_output("smallest-race, run after run", &first, &again);
    }
}

#[test]
fn bounded_output_is_the_same_with_one_or_two_threads() {
    let args = ["check", "single-enactor", "--max-states", "500"];
    let (_, one) = output(&args, "1", 3);
    let (_, two) = output(&args, "2", 3);
    assert_same_output(
        "single-enactor --max-states 500, 1 vs 2 threads",
        &one,
        &two,
    );
}

#[test]
fn json_output_is_the_same_with_one_or_two_threads_but_for_timing() {
    let args = ["check", "--json", "smallest-race"];
    let (one, _) = output(&args, "1", 12);
    let (two, _) = output(&args, "2", 12);
    assert_eq!(
        without_timing_json(&one.stdout),
        without_timing_json(&two.stdout),
        "JSON differs between 1 and 2 threads"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&one.stdout).expect("JSON")["statistics"]
            ["threads"],
        1
    );
}

#[test]
fn outage_output_is_the_same_with_one_or_two_threads() {
    let (_, one) = output(&["check"], "1", 12);
    let (_, two) = output(&["check"], "2", 12);
    assert_same_output("outage, 1 vs 2 threads", &one, &two);
}

#[test]
fn the_timing_line_is_the_only_line_stripped() {
    let (run, text) = output(&["check", "smallest-race"], "1", 12);
    let removed: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| !text.lines().any(|kept| kept == *line))
        .collect();
    assert_eq!(removed.len(), 1, "{run}");
    assert!(removed[0].starts_with("Finished in "), "{run}");
    assert!(removed[0].ends_with("with 1 thread."), "{run}");
}
