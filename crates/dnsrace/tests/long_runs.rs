//! Long runs end cleanly: Ctrl-C, `--max-memory` and every bound stop the search, print
//! the partial report and exit 3 ("inconclusive"); liveness gets its own exit code, 13.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{dnsrace, verdict_table, workspace_root, Run};

fn assert_inconclusive(run: &Run, reason: &str) {
    run.assert_code(3);
    assert!(run.stdout.contains("inconclusive"), "{run}");
    assert!(run.stdout.contains(reason), "{run}");
    assert!(!run.stdout.contains("Exhaustive:"), "{run}");
}

#[test]
fn ctrl_c_stops_the_search_and_prints_an_inconclusive_report() {
    // Far too large to finish: only Ctrl-C ends it. Only a liveness property, which no
    // partial search decides (a safety violation found before Ctrl-C would be real, and
    // exit 12).
    let child = Command::new(env!("CARGO_BIN_EXE_dnsrace"))
        .args([
            "check",
            "--generations",
            "8",
            "--endpoints",
            "3",
            "--property",
            "eventually converges",
        ])
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dnsrace starts");
    std::thread::sleep(Duration::from_millis(1500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let output = child.wait_with_output().expect("dnsrace ends");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "Ctrl-C took {:?} to stop the search",
        started.elapsed()
    );
    let run = Run {
        command: "dnsrace check --generations 8 --endpoints 3 --property \"eventually converges\", then Ctrl-C".into(),
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert_inconclusive(&run, "Bounded (stopped on request)");
    let table = verdict_table(&run.stdout);
    let liveness = table
        .iter()
        .find(|row| row.name == "eventually converges")
        .expect("a row for the liveness property");
    assert_eq!(liveness.verdict, "inconclusive", "{run}");
}

#[test]
fn max_memory_stops_the_search_before_the_limit() {
    // The process uses more than 1 MiB from the start: the first check stops it.
    let run = dnsrace(&["check", "--max-memory", "1M"]);
    assert_inconclusive(&run, "Bounded (--max-memory 1 MiB reached)");
}

#[test]
fn a_bad_memory_size_is_a_usage_error() {
    let run = dnsrace(&["check", "--max-memory", "lots"]);
    run.assert_code(2);
    assert!(run.stderr.contains("is not a size"), "{run}");
}

#[test]
fn bounds_leave_liveness_inconclusive_and_exit_3() {
    for args in [
        &["check", "smallest-race", "--liveness", "--max-depth", "5"][..],
        &[
            "check",
            "smallest-race",
            "--liveness",
            "--max-states",
            "100",
        ],
        &["check", "single-enactor", "--liveness", "--timeout", "1ms"],
    ] {
        let run = dnsrace(args);
        run.assert_code(3);
        for row in verdict_table(&run.stdout) {
            assert_ne!(row.verdict, "holds", "{run}");
        }
        assert!(run.stdout.contains("Bounded ("), "{run}");
    }
}

#[test]
fn liveness_violations_alone_exit_13() {
    let run = dnsrace(&[
        "check",
        "smallest-race",
        "--property",
        "always recoverable",
        "--property",
        "eventually converges",
    ]);
    run.assert_code(13);
    assert!(
        run.stdout
            .contains("Error: Temporal property \"always recoverable\" is violated."),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("Error: Temporal property \"eventually converges\" is violated."),
        "{run}"
    );
    assert!(run.stdout.contains(": Back to state "), "{run}");
    assert!(run.stdout.contains("(the cycle starts here)"), "{run}");
}

#[test]
fn json_carries_the_lasso_loop_index() {
    let run = dnsrace(&[
        "check",
        "smallest-race",
        "--json",
        "--property",
        "eventually converges",
    ]);
    run.assert_code(13);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let trace = &document["properties"][0]["trace"];
    let states = trace["states"].as_array().unwrap().len() as u64;
    let start = trace["loop"].as_u64().expect("a loop index");
    assert!(start < states, "{run}");
    assert!(trace["loop_action"].is_string(), "{run}");
    assert_eq!(document["exit_code"], 13);
}

// The line would start after two seconds: this check runs three (the outage with
// liveness cannot stop early).
#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let run = dnsrace(&["check", "--liveness", "--timeout", "3s"]);
    run.assert_code(12);
    assert!(run.stdout.contains("Bounded (--timeout 3s"), "{run}");
    assert!(run.stderr.is_empty(), "{run}");
}
