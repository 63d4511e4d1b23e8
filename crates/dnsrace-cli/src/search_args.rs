//! The flags that set up the search engine: threads, bounds, symmetry and liveness.

use std::time::Duration;

use clap::Args;
use dnsrace_checker::CheckOptions;

/// How to search.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Worker threads, 1-256; 0 uses every core.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=256))]
    pub threads: u16,
    /// Stop after this many distinct states, at least 1 (the result is then
    /// inconclusive).
    #[arg(long, value_name = "N", value_parser = parse_positive)]
    pub max_states: Option<usize>,
    /// Explore paths of at most this many steps (the result is then inconclusive if
    /// deeper states exist).
    #[arg(long, value_name = "STEPS")]
    pub max_depth: Option<usize>,
    /// Stop after this long, e.g. `30s`, `5m`, `1h` (the result is then inconclusive).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Stop before the process uses more than this much memory, e.g. `4G`, `512M`
    /// (the result is then inconclusive). Checked about every 50 ms.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<u64>,
    /// Symmetry reduction, where the model declares one: explore one state per class of
    /// states that differ only by renaming interchangeable processes (the Enactors of
    /// dynamodb-dns). Verdicts and traces are the same either way; only the state counts
    /// shrink.
    #[arg(long, value_name = "on|off", default_value = "on", value_parser = parse_switch, action = clap::ArgAction::Set)]
    pub symmetry: bool,
    /// Also check the model's liveness properties (see `dnsrace list`). They need the
    /// whole state graph, so the search cannot stop early.
    #[arg(long)]
    pub liveness: bool,
}

impl SearchArgs {
    /// The engine's options.
    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            threads: self.threads.into(),
            max_states: self.max_states,
            max_depth: self.max_depth,
            timeout: self.timeout,
            max_memory: self.max_memory,
            symmetry: self.symmetry,
            ..CheckOptions::default()
        }
    }
}

fn parse_positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(value) => Ok(value),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// Parses `30` or `0.5` (seconds), `30s`, `500ms`, `10m30s` or `2h`: at least a
/// microsecond, at most a year.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    const HELP: &str = "use seconds (`30`, `30s`), minutes (`5m`), hours (`1h`) or a sum \
                        (`10m30s`), from 1us to a year";
    let text = text.trim();
    let out_of_range = || format!("`{text}` is out of range: {HELP}");
    // A bare number is seconds, fractions too (`0.5`); the rest is humantime's.
    let duration = match text.parse::<f64>() {
        Ok(seconds) if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
            Duration::try_from_secs_f64(seconds).map_err(|_| out_of_range())?
        }
        _ => humantime::parse_duration(text)
            .map_err(|_| format!("`{text}` is not a duration: {HELP}"))?,
    };
    if !(Duration::from_micros(1)..=Duration::from_secs(365 * 24 * 3600)).contains(&duration) {
        return Err(out_of_range());
    }
    Ok(duration)
}

fn parse_switch(text: &str) -> Result<bool, String> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("`{text}` is neither `on` nor `off`")),
    }
}

/// Parses `1000000`, `512K`, `512M`, `4G`, `1.5GiB` (K, M and G are powers of 1024, as in
/// `ulimit` and `free`): at least 1 MiB.
fn parse_size(text: &str) -> Result<u64, String> {
    const HELP: &str = "use bytes (`1000000000`) or K, M, G (`512M`, `4G`), at least 1M";
    let bytes = parse_size::Config::new()
        .with_binary()
        .parse_size(text.trim())
        .map_err(|_| format!("`{text}` is not a size: {HELP}"))?;
    if !(1024 * 1024..=1_000_000_000_000_000).contains(&bytes) {
        return Err(format!("`{text}` is out of range: {HELP}"));
    }
    Ok(bytes)
}
