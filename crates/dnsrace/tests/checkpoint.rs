//! `--checkpoint` and `--resume`: a check stopped by a bound, Ctrl-C or `kill -9` (even
//! while it writes a checkpoint) and resumed prints the report the uninterrupted check
//! prints; a checkpoint of another run, or a damaged one, is refused before any work.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_rejected, dnsrace, workspace_root, RACE_PROPERTIES};

/// A configuration the test build checks exhaustively in a second or two, in about 55
/// levels: enough level boundaries to stop and kill it between them. The race's three
/// safety properties hold in it (named, so that a property added to the registry leaves
/// the run as it is).
const MODEL: &[&str] = &[
    "--enactors",
    "2",
    "--endpoints",
    "2",
    "--generations",
    "4",
    "--variant",
    "recommended",
    "--symmetry",
    "off",
    "--threads",
    "2",
];

fn args(extra: &[&str]) -> Vec<String> {
    let mut all = vec!["check".to_string()];
    all.extend(RACE_PROPERTIES.iter().map(|arg| arg.to_string()));
    all.extend(MODEL.iter().map(|arg| arg.to_string()));
    all.extend(extra.iter().map(|arg| arg.to_string()));
    all
}

/// A fresh, empty folder for one test's checkpoint.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dnsrace-checkpoint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The report without what depends on the clock: timing and checkpoint lines.
fn untimed(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|line| {
            !(line.starts_with("Finished in")
                || line.starts_with("Checkpoint ")
                || line.starts_with("No checkpoint")
                || line.starts_with("The last checkpoint"))
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

fn uninterrupted(extra: &[&str]) -> String {
    let run = dnsrace(&args(extra));
    run.assert_code(0);
    untimed(&run.stdout)
}

fn spawn(extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dnsrace"))
        .args(args(extra))
        .current_dir(workspace_root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dnsrace starts")
}

/// Waits, polling every 100 µs (a checkpoint write, flushed to disk, takes longer),
/// until `ready` or the child exits; true if `ready`.
fn wait_for(child: &mut Child, ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        if child.try_wait().expect("the child can be polled").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    let _ = child.kill();
    panic!("dnsrace neither wrote a checkpoint nor ended in two minutes");
}

fn kill_dash_nine(child: &mut Child) {
    child.kill().expect("SIGKILL is sent"); // SIGKILL on Unix: no handler runs
    child.wait().expect("the child is reaped");
}

fn resumed(dir: &Path, extra: &[&str]) -> String {
    let mut all = extra.to_vec();
    let dir = dir.to_str().expect("a UTF-8 temporary path");
    all.extend(["--resume", dir]);
    let run = dnsrace(&args(&all));
    run.assert_code(0);
    assert!(
        run.stdout.contains("resumed at depth"),
        "the report says it was resumed\n{run}"
    );
    untimed(&run.stdout)
}

#[test]
fn killed_between_checkpoints_and_resumed_gives_the_uninterrupted_report() {
    let expected = uninterrupted(&[]);
    let dir = scratch("between");
    let file = dir.join("checkpoint");
    let mut child = spawn(&[
        "--checkpoint",
        dir.to_str().unwrap(),
        "--checkpoint-every",
        "0",
    ]);
    let started = wait_for(&mut child, || file.exists());
    kill_dash_nine(&mut child);
    assert!(started, "the run wrote a checkpoint before it ended");
    assert_eq!(resumed(&dir, &["--checkpoint-every", "0"]), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn killed_while_writing_a_checkpoint_and_resumed_gives_the_uninterrupted_report() {
    let expected = uninterrupted(&[]);
    let dir = scratch("during");
    let (file, partial) = (dir.join("checkpoint"), dir.join("checkpoint.partial"));
    // A kill lands inside a write when the partial file is there after the process is
    // gone; the write may finish first, so try a few times.
    let mut caught = false;
    for _ in 0..10 {
        let _ = std::fs::remove_dir_all(&dir);
        let mut child = spawn(&[
            "--checkpoint",
            dir.to_str().unwrap(),
            "--checkpoint-every",
            "0",
        ]);
        let writing = wait_for(&mut child, || file.exists() && partial.exists());
        kill_dash_nine(&mut child);
        if writing && partial.exists() {
            caught = true;
            break;
        }
    }
    assert!(
        caught,
        "no kill landed inside a checkpoint write in 10 tries"
    );
    assert_eq!(resumed(&dir, &[]), expected);
    assert!(
        !partial.exists(),
        "the resumed run leaves no partial file behind"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stopped_by_a_bound_or_ctrl_c_and_resumed_gives_the_uninterrupted_report() {
    let expected = uninterrupted(&[]);
    let dir = scratch("bound");
    let path = dir.to_str().unwrap();
    for bound in [["--max-states", "50000"], ["--timeout", "1us"]] {
        let _ = std::fs::remove_dir_all(&dir);
        let mut stopped = vec!["--checkpoint", path];
        stopped.extend(bound);
        let run = dnsrace(&args(&stopped));
        run.assert_code(3);
        assert!(run.stdout.contains("Checkpoint "), "{run}");
        assert_eq!(resumed(&dir, &[]), expected);
    }

    let _ = std::fs::remove_dir_all(&dir);
    let mut child = spawn(&["--checkpoint", path, "--checkpoint-every", "0"]);
    let started = wait_for(&mut child, || dir.join("checkpoint").exists());
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().expect("the child is reaped");
    assert!(started);
    assert!(matches!(status.code(), Some(3) | Some(0)), "{status:?}");
    assert_eq!(resumed(&dir, &[]), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_liveness_check_resumes_with_the_same_verdicts_and_lassos() {
    // As built: every safety property and both liveness properties are violated.
    let as_built = |extra: &[&str]| {
        let mut all = args(&["--liveness"]);
        let at = all.iter().position(|arg| arg == "recommended").unwrap();
        all[at] = "as-built".to_string();
        all.extend(extra.iter().map(|arg| arg.to_string()));
        dnsrace(&all)
    };
    let run = as_built(&[]);
    run.assert_code(12);
    let expected = untimed(&run.stdout);
    let dir = scratch("liveness");
    let path = dir.to_str().unwrap();
    // Safety violations found before the bound still give exit 12.
    let stopped = as_built(&["--checkpoint", path, "--max-states", "50000"]);
    stopped.assert_code(12);
    assert!(
        stopped
            .stdout
            .contains("Bounded (--max-states 50000 reached)"),
        "{stopped}"
    );
    let run = as_built(&["--resume", path]);
    run.assert_code(12);
    assert!(run.stdout.contains("resumed at depth"), "{run}");
    assert_eq!(untimed(&run.stdout), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_checkpoint_of_another_run_or_a_damaged_one_is_refused_before_any_work() {
    let dir = scratch("refused");
    let path = dir.to_str().unwrap();
    dnsrace(&args(&["--checkpoint", path, "--max-states", "50000"])).assert_code(3);
    // Another variant: the message names the field and both values.
    assert_rejected(
        &[
            "check",
            "--enactors",
            "2",
            "--endpoints",
            "2",
            "--generations",
            "4",
            "--variant",
            "as-built",
            "--symmetry",
            "off",
            "--resume",
            path,
        ],
        &[
            "another run",
            "variant is `recommended` there, `as-built` here",
        ],
    );
    let mut symmetric = args(&["--resume", path]);
    let at = symmetric.iter().position(|arg| arg == "off").unwrap();
    symmetric[at] = "on".to_string();
    assert_rejected(&symmetric, &["symmetry is `off` there, `on` here"]);
    // A fresh run never overwrites a checkpoint.
    assert_rejected(
        &args(&["--checkpoint", path]),
        &["already there", "--resume"],
    );
    // A changed byte, then a cut file.
    let file = dir.join("checkpoint");
    let whole = std::fs::read(&file).unwrap();
    // A byte of the frontier's packed states, the last section before the graph flag and
    // the checksum: no length field, so only the checksum can tell.
    let mut changed = whole.clone();
    let in_frontier = changed.len() - 8 - 4 - 1;
    changed[in_frontier] ^= 1;
    std::fs::write(&file, &changed).unwrap();
    assert_rejected(&args(&["--resume", path]), &["checksum"]);
    std::fs::write(&file, &whole[..whole.len() - 100]).unwrap();
    assert_rejected(
        &args(&["--resume", path]),
        &["not a whole dnsrace checkpoint"],
    );
    std::fs::write(&file, b"not a checkpoint").unwrap();
    assert_rejected(
        &args(&["--resume", path]),
        &["not a whole dnsrace checkpoint"],
    );
    // No checkpoint at all, and both flags at once.
    let _ = std::fs::remove_dir_all(&dir);
    assert_rejected(&args(&["--resume", path]), &["no checkpoint here"]);
    assert_rejected(
        &args(&["--resume", path, "--checkpoint", path]),
        &["--checkpoint", "--resume"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}
