//! The flags that set up the search engine: threads and bounds.

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
}

impl SearchArgs {
    /// The engine's options.
    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            threads: self.threads.into(),
            max_states: self.max_states,
            max_depth: self.max_depth,
            timeout: self.timeout,
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

/// Parses `30`, `30s`, `1.5m` or `2h`: at least a microsecond, at most a year.
fn parse_duration(text: &str) -> Result<Duration, String> {
    const HELP: &str =
        "use seconds (`30`, `30s`), minutes (`5m`) or hours (`1h`), from 0.000001s to a year";
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(split) => text.split_at(split),
        None => (text, "s"),
    };
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(format!("`{text}` is not a duration: {HELP}")),
    };
    let seconds = number
        .parse::<f64>()
        .map_err(|_| format!("`{text}` is not a duration: {HELP}"))?
        * scale;
    if !(0.000_001..=365.0 * 24.0 * 3600.0).contains(&seconds) {
        return Err(format!("`{text}` is out of range: {HELP}"));
    }
    Ok(Duration::from_secs_f64(seconds))
}
