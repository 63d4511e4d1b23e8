//! `dnsrace explore`: stateright's Explorer for a scenario, opened on our counterexamples.
//!
//! The command checks the scenario with dnsrace's engine first, prints for every violated
//! property a URL that opens the Explorer on its shortest counterexample (the Explorer
//! addresses a state by the action indices that lead to it, `#/steps/0/3/1/...`, which
//! [`dnsrace_checker::replay()`] recovers from the trace), then serves the Explorer until
//! Ctrl-C.
//!
//! The Explorer has no authentication and anyone who reaches it can start an exhaustive
//! run with one click, so it listens on loopback unless `--allow-remote` says otherwise.
//! Its port is held from before the check until just before the Explorer takes it, so a
//! port in use is reported at once.

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::AssertUnwindSafe;
use std::path::Path;

use clap::Args;
use dnsrace_checker::{check_with_liveness, replay, Report, Verdict};
use dnsrace_core::{Model, ModelDefinition, Presentation};

use crate::model_args::ModelArgs;
use crate::search_args::SearchArgs;
use crate::{emit, UsageError};

/// Where the explorer listens unless told otherwise.
pub const DEFAULT_ADDRESS: &str = "127.0.0.1:3000";

/// The flags of `dnsrace explore`.
#[derive(Args, Debug)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub model: ModelArgs,

    #[command(flatten)]
    pub search: SearchArgs,

    /// Where to listen: IP:PORT, localhost:PORT, or a port on 127.0.0.1.
    #[arg(long, value_name = "ADDRESS", default_value = DEFAULT_ADDRESS, value_parser = parse_address)]
    pub addr: SocketAddr,

    /// Allow an address that is not loopback. The explorer has no authentication: anyone
    /// who can reach it can browse the model and start an exhaustive run.
    #[arg(long)]
    pub allow_remote: bool,

    /// Check the flags and print where the explorer would listen, then exit without
    /// checking the scenario or opening a port.
    #[arg(long)]
    pub dry_run: bool,
}

/// Parses `127.0.0.1:3000`, `[::1]:3000`, `localhost:3000` or `3000` (on 127.0.0.1).
fn parse_address(text: &str) -> Result<SocketAddr, String> {
    let loopback = |port: &str| {
        port.parse::<u16>()
            .ok()
            .map(|port| SocketAddr::from(([127, 0, 0, 1], port)))
    };
    let address = loopback(text)
        .or_else(|| text.strip_prefix("localhost:").and_then(loopback))
        .or_else(|| text.parse().ok())
        .ok_or_else(|| {
            format!(
                "`{text}` is not an address: use IP:PORT (127.0.0.1:3000, [::1]:3000), \
                 localhost:PORT or a port number"
            )
        })?;
    if address.port() == 0 {
        return Err(format!("`{text}`: the port must be from 1 to 65535"));
    }
    Ok(address)
}

/// Whether only this machine can reach `ip` (127.0.0.0/8, ::1, or ::ffff:127.x.y.z).
fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// The address to type in a browser: an unspecified address (`0.0.0.0`, `::`) listens
/// everywhere, including loopback.
fn browser_address(address: SocketAddr) -> SocketAddr {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from(([127, 0, 0, 1], address.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, address.port()))
        }
        _ => address,
    }
}

/// Takes the port now, so that a port in use is reported before the check runs.
fn reserve(address: SocketAddr) -> Result<TcpListener, UsageError> {
    TcpListener::bind(address).map_err(|error| {
        let why = match error.kind() {
            ErrorKind::AddrInUse => format!(
                "the port is already in use (another explorer?); stop that program or choose \
                 another port, e.g. --addr {}",
                SocketAddr::new(address.ip(), address.port().wrapping_add(1).max(1))
            ),
            ErrorKind::AddrNotAvailable => "this machine has no such address".to_string(),
            ErrorKind::PermissionDenied => {
                "permission denied (ports below 1024 need privileges)".to_string()
            }
            _ => error.to_string(),
        };
        UsageError::new(format!("cannot listen on --addr {address}: {why}"))
    })
}

/// stateright serves its page from `./ui/` in the working directory when such files
/// exist there, instead of its own: move to an empty folder so that the page is the
/// Explorer's.
fn avoid_foreign_ui() {
    const FILES: [&str; 4] = ["index.htm", "app.css", "app.js", "knockout-3.5.0.js"];
    if !FILES.iter().any(|file| Path::new("ui").join(file).exists()) {
        return;
    }
    let folder = std::env::temp_dir().join(format!("dnsrace-explorer-{}", std::process::id()));
    if std::fs::create_dir_all(&folder).is_ok() && std::env::set_current_dir(&folder).is_ok() {
        crate::complain(&format!(
            "note: stateright would serve this folder's ui/ instead of its Explorer; serving from {}",
            folder.display()
        ));
    }
}

/// Keeps the panics of a client that resets its connection off stderr, and passes every
/// other panic to the default hook.
///
/// stateright's Explorer serves with tiny_http, which unwraps the peer address of each
/// request in the worker thread reading it (tiny_http 0.12, `client.rs`); once the client
/// has reset the connection that address is gone, and the thread panics with a backtrace.
/// Only that thread ends: tiny_http starts another for the next connection and the
/// Explorer goes on serving. The panic is in neither stateright's code nor ours, so
/// silencing its report is what is in our reach (docs/explorer.md).
fn quiet_reset_connections() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map_or("", |location| location.file());
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if !is_reset_connection_panic(file, message) {
            report(info);
        }
    }));
}

/// Whether a panic at `file` saying `message` is tiny_http's on a connection the client
/// reset or dropped (see [`quiet_reset_connections`]).
fn is_reset_connection_panic(file: &str, message: &str) -> bool {
    let in_tiny_http = file.contains("tiny_http") && file.ends_with("client.rs");
    let gone = ["NotConnected", "ConnectionReset", "BrokenPipe"]
        .iter()
        .any(|kind| message.contains(&format!("kind: {kind}")));
    in_tiny_http && gone
}

/// One line per trace: the counterexamples, then the examples.
fn trace_links<M: Presentation>(model: &M, report: &Report, base: &str) -> String {
    let mut out = String::new();
    for (verdict, what) in [
        (Verdict::Violated, "Counterexample to"),
        (Verdict::Reached, "Example of"),
    ] {
        for property in report.properties.iter().filter(|p| p.verdict == verdict) {
            let Some(trace) = &property.trace else {
                continue;
            };
            let path = replay(model, trace)
                .unwrap_or_else(|| {
                    panic!(
                        "the trace of \"{}\" does not replay on the model",
                        property.name
                    )
                })
                .explorer_path();
            out.push_str(&format!(
                "{what} \"{}\" ({} states): {base}#/steps/{path}\n",
                property.name,
                trace.len()
            ));
        }
    }
    match (report.has_violation(), report.is_inconclusive()) {
        (false, false) => out.push_str("No property is violated.\n"),
        (false, true) => out.push_str(
            "Inconclusive: the check was bounded and found no violation within the bound; \
             properties without a trace above are inconclusive.\n",
        ),
        (true, true) => out.push_str(
            "The check was bounded: properties without a trace above are inconclusive.\n",
        ),
        (true, false) => {}
    }
    out
}

/// Runs `dnsrace explore`; returns only on an error (or with `--dry-run`).
pub fn run<D: ModelDefinition>(definition: &D, args: ExploreArgs) -> Result<u8, UsageError> {
    let chosen = args.model.choose(definition)?;
    let address = args.addr;
    let loopback = is_loopback(address.ip());
    if !loopback && !args.allow_remote {
        return Err(UsageError::new(format!(
            "--addr {address} is not a loopback address, so other machines could reach the \
             explorer; it has no authentication, and anyone who reaches it can start an \
             exhaustive run. Pass --allow-remote to listen there anyway, or use --addr \
             127.0.0.1:{}",
            address.port()
        )));
    }
    if !loopback {
        crate::complain(&format!(
            "warning: the explorer listens on {address}, which other machines can reach. It \
             has no authentication: anyone who reaches it can browse the model and start an \
             exhaustive run with one click."
        ));
    }
    let base = format!("http://{}/", browser_address(address));
    let reach = if loopback {
        "this machine only"
    } else {
        "other machines too"
    };
    if args.dry_run {
        emit(&format!(
            "Would serve the explorer of scenario \"{}\" on {address} ({reach}): {base}\n",
            chosen.scenario.name
        ))?;
        return Ok(0);
    }

    let reservation = reserve(address)?;
    emit(&format!(
        "Checking scenario \"{}\": {}.\n",
        chosen.scenario.name, chosen.config
    ))?;
    let model = definition.build(&chosen.config);
    // Not `long_run::run_check`: its Ctrl-C handler would keep Ctrl-C from stopping the
    // server afterwards.
    let liveness = crate::long_run::select_liveness(&model, &[], args.search.liveness);
    let report = check_with_liveness(
        &model,
        &model.described_properties(),
        &liveness,
        &args.search.options(),
    );
    emit(&trace_links(&model, &report, &base))?;

    drop(reservation);
    avoid_foreign_ui();
    emit(&format!(
        "Serving the explorer on {address} ({reach}): {base}  (Ctrl-C stops it)\n"
    ))?;
    quiet_reset_connections();
    // `serve` binds the port (and panics if it cannot) then blocks for ever.
    let served = std::panic::catch_unwind(AssertUnwindSafe(|| {
        model.checker().serve(address);
    }));
    match served {
        Ok(()) => Ok(0),
        Err(_) => Err(UsageError::new(format!(
            "the explorer could not listen on {address}: did another program take the port \
             during the check?"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tiny_http_panics_on_a_gone_connection_are_quiet() {
        let file = "/home/u/.cargo/registry/src/index.crates.io-x/tiny_http-0.12.0/src/client.rs";
        let reset = "called `Result::unwrap()` on an `Err` value: Os { code: 107, \
                     kind: NotConnected, message: \"Transport endpoint is not connected\" }";
        assert!(is_reset_connection_panic(file, reset));
        assert!(is_reset_connection_panic(
            file,
            "Os { code: 104, kind: ConnectionReset, message: \"reset\" }"
        ));
        // Any other panic, in tiny_http or elsewhere, is reported.
        assert!(!is_reset_connection_panic(file, "index out of bounds"));
        assert!(!is_reset_connection_panic(
            "crates/dnsrace-cli/src/explore.rs",
            reset
        ));
        assert!(!is_reset_connection_panic(
            "/x/tiny_http-0.12.0/src/server.rs",
            reset
        ));
    }

    #[test]
    fn addresses_parse() {
        let parsed = |text| parse_address(text).map(|a| a.to_string());
        assert_eq!(parsed("127.0.0.1:3000"), Ok("127.0.0.1:3000".into()));
        assert_eq!(parsed("3001"), Ok("127.0.0.1:3001".into()));
        assert_eq!(parsed("localhost:8080"), Ok("127.0.0.1:8080".into()));
        assert_eq!(parsed("[::1]:3000"), Ok("[::1]:3000".into()));
        assert!(parsed("127.0.0.1:0").is_err());
        assert!(parsed("example.org:80").is_err());
        assert!(parsed("127.0.0.1").is_err());
    }

    #[test]
    fn only_loopback_is_loopback() {
        for (text, loopback) in [
            ("127.0.0.1", true),
            ("127.1.2.3", true),
            ("::1", true),
            ("::ffff:127.0.0.1", true),
            ("0.0.0.0", false),
            ("::", false),
            ("192.168.1.10", false),
        ] {
            let ip: IpAddr = text.parse().expect("an IP address");
            assert_eq!(is_loopback(ip), loopback, "{text}");
        }
    }

    #[test]
    fn unspecified_addresses_are_opened_on_loopback() {
        let address: SocketAddr = "0.0.0.0:3000".parse().expect("an address");
        assert_eq!(browser_address(address).to_string(), "127.0.0.1:3000");
        let address: SocketAddr = "[::]:3000".parse().expect("an address");
        assert_eq!(browser_address(address).to_string(), "[::1]:3000");
    }
}
