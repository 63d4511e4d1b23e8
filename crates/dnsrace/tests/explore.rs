//! `dnsrace explore`: loopback by default, a non-loopback address only with
//! `--allow-remote`, a port in use is a clear error, and the printed links open the
//! Explorer on the counterexample. These tests never listen on anything but loopback.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_rejected, dnsrace, workspace_root};

#[test]
fn the_default_address_is_loopback_port_3000() {
    let run = dnsrace(&["explore", "--dry-run"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "Would serve the explorer of scenario \"outage\" on 127.0.0.1:3000 (this machine only): http://127.0.0.1:3000/\n",
        "{run}"
    );
    assert!(run.stderr.is_empty(), "{run}");
}

#[test]
fn a_non_loopback_address_is_refused_without_allow_remote() {
    for address in ["0.0.0.0:3000", "[::]:3000", "192.0.2.7:3000"] {
        // Without --dry-run too: the refusal comes before any port is opened.
        assert_rejected(
            &["explore", "smallest-race", "--addr", address],
            &[
                address,
                "not a loopback address",
                "no authentication",
                "--allow-remote",
            ],
        );
    }
}

#[test]
fn allow_remote_accepts_a_non_loopback_address_with_a_warning() {
    let run = dnsrace(&[
        "explore",
        "--addr",
        "0.0.0.0:3000",
        "--allow-remote",
        "--dry-run",
    ]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("on 0.0.0.0:3000 (other machines too)"),
        "{run}"
    );
    assert!(
        run.stderr.starts_with("warning: ")
            && run.stderr.contains("no authentication")
            && run.stderr.contains("exhaustive run"),
        "{run}"
    );
}

#[test]
fn loopback_needs_no_flag_and_gets_no_warning() {
    for (address, shown) in [
        ("127.0.0.1:3001", "127.0.0.1:3001"),
        ("[::1]:3001", "[::1]:3001"),
        ("localhost:3001", "127.0.0.1:3001"),
        ("3001", "127.0.0.1:3001"),
    ] {
        let run = dnsrace(&["explore", "--addr", address, "--dry-run"]);
        run.assert_code(0);
        assert!(
            run.stdout
                .contains(&format!("on {shown} (this machine only)")),
            "{run}"
        );
        assert!(run.stderr.is_empty(), "{run}");
    }
}

#[test]
fn a_bad_address_names_the_flag_and_the_forms_allowed() {
    for address in ["nowhere", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000"] {
        assert_rejected(&["explore", "--addr", address], &["--addr", address]);
    }
    assert_rejected(
        &["explore", "--addr", "nowhere"],
        &["IP:PORT", "localhost:PORT"],
    );
}

#[test]
fn a_port_in_use_is_an_error_before_the_check() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let address = taken.local_addr().expect("bound").to_string();
    let started = Instant::now();
    let run = assert_rejected(
        &["explore", "outage", "--addr", &address],
        &[&address, "already in use", "--addr"],
    );
    // Refused before the outage check (seconds) ran.
    assert!(started.elapsed() < Duration::from_secs(3), "{run}");
}

/// A `dnsrace explore` process, killed when dropped.
struct Explorer {
    child: Child,
    lines: Vec<String>,
}

impl Drop for Explorer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `dnsrace explore SCENARIO` on a free loopback port and reads its output up to
/// the `Serving …` line.
fn start_explorer(scenario: &str) -> (Explorer, u16) {
    start_explorer_in(scenario, &workspace_root(), Stdio::null())
}

/// [`start_explorer`], run from the folder `cwd`, its stderr to `stderr`.
fn start_explorer_in(scenario: &str, cwd: &std::path::Path, stderr: Stdio) -> (Explorer, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dnsrace"))
        .args(["explore", scenario, "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("dnsrace starts");
    let stdout = child.stdout.take().expect("piped");
    let mut explorer = Explorer {
        child,
        lines: Vec::new(),
    };
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("UTF-8 output");
        let serving = line.starts_with("Serving the explorer");
        explorer.lines.push(line);
        if serving {
            return (explorer, port);
        }
    }
    panic!(
        "dnsrace explore stopped before serving:\n{:#?}",
        explorer.lines
    );
}

/// `GET path` on the explorer, retried while it is not listening yet; the body.
fn get(port: u16, path: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(mut stream) => {
                write!(
                    stream,
                    // HTTP/1.0: the whole body at once, not in chunks.
                    "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
                )
                .expect("the request is sent");
                let mut response = String::new();
                stream
                    .read_to_string(&mut response)
                    .expect("a UTF-8 response");
                let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
                assert!(
                    head.lines()
                        .next()
                        .is_some_and(|status| status.contains(" 200 ")),
                    "GET {path}: {head}"
                );
                return body.to_string();
            }
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(error) => panic!("the explorer never listened on port {port}: {error}"),
        }
    }
}

#[test]
fn the_printed_link_opens_the_explorer_on_the_counterexample() {
    let (explorer, port) = start_explorer("smallest-race");
    let prefix = "Counterexample to \"endpoint record never empty\" (";
    let line = explorer
        .lines
        .iter()
        .find(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no link in {:#?}", explorer.lines));
    let states: usize = line[prefix.len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number of states");
    let (_, url) = line.split_once("): ").expect("`(N states): URL`");
    let base = format!("http://127.0.0.1:{port}/");
    let path = url
        .strip_prefix(&format!("{base}#/steps/"))
        .unwrap_or_else(|| panic!("the link does not open the explorer's steps: {url}"));
    let indices: Vec<&str> = path.split('/').collect();
    assert_eq!(indices.len(), states, "one index per state: {url}");

    // What the Explorer's page fetches to show the last state: the steps after the
    // state before it, among which the one the link names.
    let (before, last) = path.rsplit_once('/').expect("more than one state");
    let body = get(port, &format!("/.states/{before}"));
    let steps: serde_json::Value = serde_json::from_str(&body).expect("JSON steps");
    let step = steps
        .as_array()
        .expect("an array of steps")
        .iter()
        .find(|step| {
            step["actionIndex"]
                .as_u64()
                .map(|i| i.to_string())
                .as_deref()
                == Some(last)
        })
        .unwrap_or_else(|| panic!("no step {last} in {steps:#}"));
    let outcome = step["outcome"].as_str().expect("the step's view");
    for expected in [
        "VIOLATED  endpoint record never empty",
        "regional (dynamodb.us-east-1.amazonaws.com): resolves to NO ADDRESS",
        "Properties: 3 invariants are VIOLATED in this state",
    ] {
        assert!(outcome.contains(expected), "`{expected}` in\n{outcome}");
    }
    // Actions read in the incident's words, not as Debug output.
    let action = step["action"].as_str().expect("the step's action");
    assert!(action.starts_with("Enactor "), "{action}");
    assert!(!action.contains("Id("), "{action}");
    let svg = step["svg"].as_str().expect("a sequence diagram");
    for lifeline in [
        "Planner",
        "plan store",
        "Enactor 1",
        "Enactor 2",
        "Route 53",
    ] {
        assert!(svg.contains(&format!(">{lifeline}</text>")), "{lifeline}");
    }
    assert!(svg.contains("✗ VIOLATED: endpoint record never empty"));

    // The page itself is served from loopback.
    assert!(get(port, "/").contains("Stateright Explorer"));
}

#[test]
fn a_ui_folder_in_the_working_directory_does_not_replace_the_explorer() {
    // stateright would serve ./ui/index.htm instead of its own page.
    let cwd = std::env::temp_dir().join(format!("dnsrace-explore-ui-{}", std::process::id()));
    std::fs::create_dir_all(cwd.join("ui")).expect("a temporary folder");
    std::fs::write(cwd.join("ui/index.htm"), "FOREIGN PAGE").expect("writable");
    let (explorer, port) = start_explorer_in("single-enactor", &cwd, Stdio::null());
    let page = get(port, "/");
    drop(explorer);
    let _ = std::fs::remove_dir_all(&cwd);
    assert!(page.contains("Stateright Explorer"), "{page}");
    assert!(!page.contains("FOREIGN PAGE"));
}

// A client that resets its connection right after its request makes tiny_http's worker
// thread panic (in tiny_http, not in our code): the Explorer keeps serving, and no panic
// or backtrace reaches stderr.
#[test]
fn clients_that_reset_their_connection_leave_no_panic_and_the_explorer_serving() {
    let scratch = std::env::temp_dir().join(format!("dnsrace-reset-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch folder");
    let log = scratch.join("stderr");
    let stderr = std::fs::File::create(&log).expect("a log file");
    let (explorer, port) = start_explorer_in("smallest-race", &workspace_root(), stderr.into());
    get(port, "/.status");
    for round in 0..20 {
        let socket = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )
        .expect("a socket");
        socket
            .connect(&std::net::SocketAddr::from(([127, 0, 0, 1], port)).into())
            .expect("the explorer accepts");
        let path = if round % 2 == 0 {
            "/.status"
        } else {
            "/app.js"
        };
        let mut stream: TcpStream = socket.into();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("sent");
        // Linger 0: closing sends a reset instead of an orderly end.
        socket2::SockRef::from(&stream)
            .set_linger(Some(Duration::ZERO))
            .expect("linger 0");
        drop(stream);
    }
    // Every reset handled (or abandoned) by now: the Explorer still answers.
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..3 {
        assert!(get(port, "/.status").contains("done"));
    }
    drop(explorer);
    let printed = std::fs::read_to_string(&log).expect("the log");
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        !printed.contains("panicked") && !printed.contains("backtrace"),
        "stderr: {printed}"
    );
}
