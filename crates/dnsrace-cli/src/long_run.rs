//! What a long check needs: the liveness properties to check, a progress line on stderr,
//! and Ctrl-C that stops the search and still prints what it found.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dnsrace_checker::{check_with_liveness, resume, CheckOptions, Progress, Report, SavedSearch};
use std::hash::Hash;

use dnsrace_core::{DescribedProperty, LivenessProperty, Presentation};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::UsageError;

/// The liveness properties to check: those `--property` names, or all of them with
/// `--liveness`.
pub fn select_liveness<M: Presentation>(
    model: &M,
    names: &[String],
    all: bool,
) -> Vec<LivenessProperty<M>> {
    model
        .liveness_properties()
        .into_iter()
        .filter(|p| all || names.iter().any(|name| name == p.name))
        .collect()
}

/// The flag the Ctrl-C handler raises. The handler is installed once per process (the
/// `ctrlc` crate: a portable SIGINT / console handler without `unsafe` code of our own,
/// which the workspace forbids); each run gets a fresh flag.
fn ctrl_c_flag() -> Arc<AtomicBool> {
    static CURRENT: Mutex<Option<Arc<AtomicBool>>> = Mutex::new(None);
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    let flag = Arc::new(AtomicBool::new(false));
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&flag));
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let current = CURRENT.lock().unwrap_or_else(|e| e.into_inner()).clone();
            match current {
                // A second Ctrl-C while the first is being honoured: leave now.
                Some(flag) if flag.swap(true, Ordering::SeqCst) => std::process::exit(130),
                Some(_) => {}
                None => std::process::exit(130),
            }
        });
    });
    flag
}

/// Runs the check (resuming `saved`, if there is one) with a progress line (on a
/// terminal, unless `quiet`) and Ctrl-C handling: Ctrl-C stops the search, and the report
/// says it is inconclusive.
pub fn run_check<M>(
    model: &M,
    properties: &[DescribedProperty<M>],
    liveness: &[LivenessProperty<M>],
    mut options: CheckOptions,
    saved: Option<SavedSearch>,
    quiet: bool,
) -> Result<Report, UsageError>
where
    M: Presentation + Sync,
    M::State: Hash + Send + Sync,
{
    let progress = Arc::new(Progress::default());
    options.stop = Some(ctrl_c_flag());
    options.progress = Some(Arc::clone(&progress));
    // indicatif draws nothing when stderr is not a terminal: no thread is needed then.
    let show = !quiet && !ProgressDrawTarget::stderr().is_hidden();
    let done = Arc::new(AtomicBool::new(false));
    let printer = show.then(|| {
        let done = Arc::clone(&done);
        std::thread::spawn(move || print_progress(&progress, &done))
    });
    let report = match saved {
        Some(saved) => resume(model, properties, liveness, &options, saved),
        None => Ok(check_with_liveness(model, properties, liveness, &options)),
    };
    done.store(true, Ordering::Relaxed);
    if let Some(printer) = printer {
        let _ = printer.join();
    }
    report.map_err(|error| UsageError::new(format!("--resume: {error}")))
}

/// After two seconds, shows one line on stderr, rewritten every second until `done`;
/// then clears it. indicatif draws it: it fits the line to the terminal's width (a long
/// line would wrap and leave its start behind), and draws nothing when stderr is not a
/// terminal.
fn print_progress(progress: &Progress, done: &AtomicBool) {
    let started = Instant::now();
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(ProgressStyle::with_template("{wide_msg}").expect("a valid template"));
    let mut next = Duration::from_secs(2);
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        let elapsed = started.elapsed();
        if elapsed < next {
            continue;
        }
        if next == Duration::from_secs(2) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        next = elapsed + Duration::from_secs(1);
        let now = progress.snapshot();
        bar.set_message(if now.analysing {
            format!(
                "{} distinct states; analysing the state graph for liveness...",
                now.distinct
            )
        } else {
            format!(
                "{} distinct states, {:.0} states/s, depth {}, queue {}, {:.0}s, Ctrl-C stops",
                now.distinct,
                now.generated as f64 / elapsed.as_secs_f64(),
                now.depth,
                now.queue,
                elapsed.as_secs_f64()
            )
        });
    }
    bar.finish_and_clear();
}
