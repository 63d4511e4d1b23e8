//! `dnsrace bench`: the engine's throughput and memory on fixed configurations, side by
//! side with stateright's own depth-first checker on the same model.
//!
//! Every run is exhaustive (a property that always holds keeps either checker from
//! stopping early), so both explore exactly the same states. For each run it prints the
//! distinct states, the wall time, distinct states per second, the peak resident memory
//! of that run (Linux: `VmHWM` after resetting it through `/proc/self/clear_refs`), and
//! for dnsrace the bytes of the visited set per distinct state (fingerprint and parent
//! link; the frontier, which holds packed states with the DNS model's codec, is reported
//! apart as its peak size).
//! Then the ratios the engine is held to: dnsrace's throughput over stateright's DFS with
//! the same thread count, and dnsrace with 2 threads over 1.

use std::fmt::Write as _;
use std::time::Instant;

use clap::Args;
use std::hash::Hash;

use dnsrace_checker::{check, CheckOptions};
use dnsrace_core::{Benchmark, DescribedProperty, ModelDefinition, Presentation};
use stateright::{Checker, Model, Property};

use crate::{emit, UsageError};

/// The flags of `dnsrace bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Which configurations (repeatable): the model's benchmarks (for dynamodb-dns: small
    /// (2 Enactors, 1 endpoint, 4 generations), medium (3, 1, 4), outage (3, 2, 5:
    /// minutes), large (3, 3, 6: hours)), or matrix (every variant's check of the default
    /// configuration, as `dnsrace matrix` runs it: about an hour for dynamodb-dns).
    /// Default: the model's default benchmarks (small and medium).
    #[arg(long = "config", value_name = "NAME")]
    pub configs: Vec<String>,
    /// Which model (see `dnsrace list`). Default: the first one registered.
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Runs of each measurement; the fastest counts (the machine may be shared).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub repeat: u32,
    /// Leave out stateright's DFS.
    #[arg(long)]
    pub no_stateright: bool,
}

/// The model with one property that always holds: no checker can stop early.
#[derive(Clone)]
struct Exhaustive<M>(M);

impl<M: Model> Model for Exhaustive<M> {
    type State = M::State;
    type Action = M::Action;

    fn init_states(&self) -> Vec<Self::State> {
        self.0.init_states()
    }

    fn actions(&self, state: &Self::State, actions: &mut Vec<Self::Action>) {
        self.0.actions(state, actions)
    }

    fn next_state(&self, state: &Self::State, action: Self::Action) -> Option<Self::State> {
        self.0.next_state(state, action)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("exhaustive", |_, _| true)]
    }
}

/// One measurement.
struct Measure {
    engine: String,
    threads: usize,
    distinct: u64,
    seconds: f64,
    peak_rss: Option<u64>,
    visited_bytes_per_state: Option<f64>,
    peak_frontier: Option<u64>,
    frontier_bytes_per_state: Option<f64>,
}

impl Measure {
    fn rate(&self) -> f64 {
        self.distinct as f64 / self.seconds
    }
}

/// Resets the peak resident memory (Linux 4.0+); false if it cannot.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn ours<M>(model: &M, threads: usize, symmetry: bool) -> Measure
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    let always: DescribedProperty<M> =
        DescribedProperty::always("exhaustive", "always true", |_, _| true);
    let reset = reset_peak();
    let started = Instant::now();
    let report = check(
        model,
        &[always],
        &CheckOptions {
            threads,
            symmetry,
            ..CheckOptions::default()
        },
    );
    let seconds = started.elapsed().as_secs_f64();
    let statistics = &report.statistics;
    Measure {
        engine: format!("dnsrace BFS{}", if symmetry { " +symmetry" } else { "" }),
        threads,
        distinct: statistics.distinct_states,
        seconds,
        peak_rss: reset.then(peak_rss).flatten(),
        visited_bytes_per_state: Some(
            statistics.visited_bytes as f64 / statistics.distinct_states.max(1) as f64,
        ),
        peak_frontier: Some(statistics.peak_frontier),
        frontier_bytes_per_state: Some(
            statistics.peak_frontier_bytes as f64 / statistics.peak_frontier.max(1) as f64,
        ),
    }
}

fn stateright_dfs<D: ModelDefinition>(model: &D::Model, threads: usize) -> Measure {
    let model = Exhaustive(model.clone());
    let reset = reset_peak();
    let started = Instant::now();
    let checker = model.checker().threads(threads).spawn_dfs().join();
    let seconds = started.elapsed().as_secs_f64();
    Measure {
        engine: "stateright DFS".to_string(),
        threads,
        distinct: checker.unique_state_count() as u64,
        seconds,
        peak_rss: reset.then(peak_rss).flatten(),
        visited_bytes_per_state: None,
        peak_frontier: None,
        frontier_bytes_per_state: None,
    }
}

/// The default matrix's work: every variant's check of the default configuration's
/// properties (symmetry on), one after the other with 2 threads each. `dnsrace matrix`
/// runs the same checks one variant per thread; this measures the engine on them.
fn default_matrix<D: ModelDefinition>(definition: &D) -> Measure {
    let reset = reset_peak();
    let started = Instant::now();
    let mut distinct = 0;
    let base = definition.default_config();
    let variants =
        crate::matrix::variants_to_check(definition, &crate::model_args::ModelArgs::default());
    for (variant, _) in &variants {
        let model = definition.build(&crate::matrix::with_variant(definition, &base, variant));
        let report = check(
            &model,
            &dnsrace_core::Presentation::described_properties(&model),
            &CheckOptions {
                threads: 2,
                ..CheckOptions::default()
            },
        );
        distinct += report.statistics.distinct_states;
    }
    Measure {
        engine: format!("dnsrace, {} variants +symmetry", variants.len()),
        threads: 2,
        distinct,
        seconds: started.elapsed().as_secs_f64(),
        peak_rss: reset.then(peak_rss).flatten(),
        visited_bytes_per_state: None,
        peak_frontier: None,
        frontier_bytes_per_state: None,
    }
}

/// The fastest of `repeat` runs.
fn best(repeat: u32, run: impl Fn() -> Measure) -> Measure {
    (0..repeat.max(1))
        .map(|_| run())
        .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .expect("at least one run")
}

/// One line of the table.
fn row(label: &str, m: &Measure) -> String {
    format!(
        "| {label} | {} | {} | {} | {:.2} | {:.0} | {} | {} | {} | {} |\n",
        m.engine,
        m.threads,
        m.distinct,
        m.seconds,
        m.rate(),
        m.peak_rss.map_or("n/a".to_string(), |b| format!(
            "{:.0}",
            b as f64 / 1048576.0
        )),
        m.visited_bytes_per_state
            .map_or("-".to_string(), |b| format!("{b:.1}")),
        m.peak_frontier.map_or("-".to_string(), |f| f.to_string()),
        m.frontier_bytes_per_state
            .map_or("-".to_string(), |b| format!("{b:.1}")),
    )
}

/// Runs `dnsrace bench`.
pub fn run<D: ModelDefinition>(definition: &D, args: BenchArgs) -> Result<u8, UsageError> {
    let benchmarks = definition.benchmarks();
    let names: Vec<String> = if args.configs.is_empty() {
        benchmarks
            .iter()
            .filter(|b| b.by_default)
            .map(|b| b.name.to_string())
            .collect()
    } else {
        args.configs.clone()
    };
    // Every name is known before anything runs.
    let mut chosen: Vec<Option<&Benchmark>> = Vec::new();
    for name in &names {
        if name == "matrix" {
            chosen.push(None);
            continue;
        }
        let benchmark = benchmarks.iter().find(|b| b.name == name).ok_or_else(|| {
            UsageError::new(format!(
                "--config `{}` is not a benchmark configuration of model {}; they are: {}, matrix",
                crate::cli_error::shorten(name),
                definition.name(),
                benchmarks
                    .iter()
                    .map(|b| b.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        chosen.push(Some(benchmark));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| config | engine | threads | distinct states | time (s) | states/s | peak RSS (MiB) | visited B/state | peak frontier | frontier B/state |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
    emit(&out)?;
    let mut ratios = String::new();
    for config in chosen {
        let Some(benchmark) = config else {
            let m = best(args.repeat, || default_matrix(definition));
            emit(&row("matrix (default configuration)", &m))?;
            let _ = writeln!(
                ratios,
                "matrix: {} symmetry classes over every variant in {:.0} s",
                m.distinct, m.seconds
            );
            continue;
        };
        let mut config = definition.default_config();
        for (parameter, setting) in benchmark.settings {
            definition.set(&mut config, parameter, *setting);
        }
        let model = definition.build(&config);
        let label = format!("{} ({})", benchmark.name, benchmark.about);
        let mut measures = Vec::new();
        for threads in [1, 2] {
            measures.push(best(args.repeat, || ours(&model, threads, false)));
            if !args.no_stateright {
                measures.push(best(args.repeat, || stateright_dfs::<D>(&model, threads)));
            }
        }
        measures.push(best(args.repeat, || ours(&model, 2, true)));
        let rows: String = measures.iter().map(|m| row(&label, m)).collect();
        emit(&rows)?;
        let find = |engine: &str, threads: usize| {
            measures
                .iter()
                .find(|m| m.engine == engine && m.threads == threads)
        };
        if let (Some(one), Some(two)) = (find("dnsrace BFS", 1), find("dnsrace BFS", 2)) {
            let _ = writeln!(
                ratios,
                "{label}: dnsrace states/s with 2 threads ÷ with 1 thread = {:.2}×",
                two.rate() / one.rate()
            );
            for (ours, threads) in [(one, 1), (two, 2)] {
                if let Some(theirs) = find("stateright DFS", threads) {
                    let _ = writeln!(
                        ratios,
                        "{label}: dnsrace states/s ÷ stateright DFS states/s, {threads} thread{} = {:.2}×",
                        if threads == 1 { "" } else { "s" },
                        ours.rate() / theirs.rate()
                    );
                }
            }
            if let Some(symmetric) = find("dnsrace BFS +symmetry", 2) {
                let _ = writeln!(
                    ratios,
                    "{label}: symmetry reduction: states without ÷ with = {:.2}×, time without ÷ with = {:.2}×",
                    two.distinct as f64 / symmetric.distinct as f64,
                    two.seconds / symmetric.seconds
                );
            }
        }
    }
    emit(&format!("\n{ratios}"))?;
    Ok(0)
}
