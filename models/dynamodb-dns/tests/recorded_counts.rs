//! The engine's results are pinned: for every variant, under every freshness reading, fault
//! and operator repair, at three small scales, with and without symmetry (and with
//! liveness at two of them), the distinct and generated states, the depth, and a digest
//! of the whole text report (every verdict and every trace) are the ones recorded in
//! `tests/recorded-counts.txt`. A change to the engine must leave them all as they were;
//! only a change to the model may change them, and then the file is written again with
//!
//! ```text
//! DNSRACE_RECORD=1 cargo test -p dynamodb-dns --test recorded_counts
//! ```
//!
//! and the diff explained in the commit.
//!
//! The record names, on its first line, the properties its runs check: a property added to
//! the registry later leaves every recorded run as it was (recording again adds it).

use dnsrace_checker::{check_with_liveness, render_text_without_timing, CheckOptions};
use dnsrace_core::Presentation;
use dynamodb_dns::{DnsConfig, Freshness, Repair, Variant};

const RECORDED: &str = include_str!("recorded-counts.txt");

/// The first line of the record: the properties every recorded run checks.
const PROPERTIES_LINE: &str = "# properties: ";

/// The recorded runs, one per line, without the header.
fn recorded_lines() -> impl Iterator<Item = &'static str> {
    RECORDED.lines().filter(|line| !line.starts_with('#'))
}

/// The properties the record was made with, from its first line.
fn recorded_properties() -> Vec<&'static str> {
    let header = RECORDED
        .lines()
        .next()
        .and_then(|line| line.strip_prefix(PROPERTIES_LINE))
        .expect("tests/recorded-counts.txt starts with `# properties: `");
    header.split("; ").collect()
}

/// FNV-1a, 64 bits: a digest that is the same on every machine and toolchain.
fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The contexts of `variants.toml`, as configurations of the default one.
fn contexts() -> Vec<(&'static str, DnsConfig)> {
    let base = DnsConfig::default();
    vec![
        ("endpoint-alias", base),
        (
            "last-applied-record",
            DnsConfig {
                freshness: Freshness::LastAppliedRecord,
                ..base
            },
        ),
        (
            "lock-expiry",
            DnsConfig {
                lock_expiry: true,
                ..base
            },
        ),
        (
            "enactor-crash",
            DnsConfig {
                enactor_crash: true,
                ..base
            },
        ),
        (
            "repair=repoint-alias",
            DnsConfig {
                operator_repair: true,
                ..base
            },
        ),
        (
            "repair=undelete-tree",
            DnsConfig {
                operator_repair: true,
                repair: Repair::UndeleteTree,
                ..base
            },
        ),
    ]
}

/// (Enactors, endpoints, generations, with liveness).
const SCALES: &[(u8, u8, u8, bool)] = &[(2, 1, 3, true), (2, 2, 3, true), (3, 1, 2, false)];

/// The runs the quick test repeats: those of at most this many distinct states (205 of
/// the 432); the ignored test repeats them all (minutes).
const QUICK: u64 = 50_000;

/// One recorded run: what it checks, then what it found.
struct Run {
    scale: (u8, u8, u8),
    context: String,
    variant: Variant,
    symmetry: bool,
    liveness: bool,
}

impl Run {
    fn key(&self) -> String {
        let (enactors, endpoints, generations) = self.scale;
        format!(
            "{enactors}/{endpoints}/{generations} {} {} symmetry={} liveness={}",
            self.context,
            self.variant.name(),
            if self.symmetry { "on" } else { "off" },
            if self.liveness { "on" } else { "off" },
        )
    }

    /// Reads the key of a recorded line.
    fn parse(line: &str) -> Run {
        let fields: Vec<&str> = line.split(' ').collect();
        let scale: Vec<u8> = fields[0].split('/').map(|n| n.parse().unwrap()).collect();
        Run {
            scale: (scale[0], scale[1], scale[2]),
            context: fields[1].to_string(),
            variant: Variant::from_name(fields[2]).unwrap(),
            symmetry: fields[3] == "symmetry=on",
            liveness: fields[4] == "liveness=on",
        }
    }

    /// Checks the run's configuration: its key and what the check found.
    fn check(&self, properties: &[&str]) -> String {
        let (enactors, endpoints, generations) = self.scale;
        let (_, base) = contexts()
            .into_iter()
            .find(|(name, _)| *name == self.context)
            .unwrap();
        let model = DnsConfig {
            enactors,
            endpoints,
            generations,
            variant: self.variant,
            ..base
        }
        .into_model();
        let liveness = if self.liveness {
            model.liveness_properties()
        } else {
            Vec::new()
        };
        let properties: Vec<_> = properties
            .iter()
            .map(|name| {
                dynamodb_dns::property_spec(name)
                    .unwrap_or_else(|| {
                        panic!("the record checks `{name}`, which the registry no longer has")
                    })
                    .to_property()
            })
            .collect();
        let report = check_with_liveness(
            &model,
            &properties,
            &liveness,
            &CheckOptions {
                symmetry: self.symmetry,
                ..CheckOptions::default()
            },
        );
        let statistics = &report.statistics;
        format!(
            "{} distinct={} generated={} depth={} report={:016x}",
            self.key(),
            statistics.distinct_states,
            statistics.states_generated,
            statistics.depth,
            digest(&render_text_without_timing(&report)),
        )
    }
}

fn every_run() -> Vec<Run> {
    let mut runs = Vec::new();
    for &(enactors, endpoints, generations, liveness) in SCALES {
        for (context, _) in contexts() {
            for &variant in Variant::ALL {
                for symmetry in [false, true] {
                    runs.push(Run {
                        scale: (enactors, endpoints, generations),
                        context: context.to_string(),
                        variant,
                        symmetry,
                        liveness,
                    });
                }
            }
        }
    }
    runs
}

fn distinct(line: &str) -> u64 {
    let field = line
        .split(' ')
        .find(|f| f.starts_with("distinct="))
        .unwrap();
    field["distinct=".len()..].parse().unwrap()
}

/// Repeats the recorded runs that `select` picks and compares every line.
fn repeat_recorded(select: impl Fn(&str) -> bool) {
    let runs = every_run();
    let keys: Vec<String> = runs.iter().map(Run::key).collect();
    let recorded_keys: Vec<String> = recorded_lines()
        .map(|line| line.split(' ').take(5).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        keys, recorded_keys,
        "the set of recorded runs changed: record again (see the module docs)"
    );
    let mut differences = Vec::new();
    let mut repeated = 0;
    let properties = recorded_properties();
    for recorded in recorded_lines().filter(|line| select(line)) {
        let now = Run::parse(recorded).check(&properties);
        repeated += 1;
        if now != recorded {
            differences.push(format!("recorded: {recorded}\n     now: {now}"));
        }
    }
    assert!(repeated > 0, "no run selected");
    assert!(
        differences.is_empty(),
        "{} of {repeated} runs differ from the record:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn every_small_run_gives_the_recorded_counts_verdicts_and_traces() {
    if std::env::var_os("DNSRACE_RECORD").is_some() {
        let properties: Vec<&str> = dynamodb_dns::PROPERTIES.iter().map(|p| p.name).collect();
        let mut lines = vec![format!("{PROPERTIES_LINE}{}", properties.join("; "))];
        lines.extend(every_run().iter().map(|run| run.check(&properties)));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/recorded-counts.txt");
        std::fs::write(path, lines.join("\n") + "\n").expect("write tests/recorded-counts.txt");
        return;
    }
    repeat_recorded(|line| distinct(line) <= QUICK);
}

#[test]
#[ignore = "minutes: every recorded run"]
fn every_run_gives_the_recorded_counts_verdicts_and_traces() {
    repeat_recorded(|_| true);
}
