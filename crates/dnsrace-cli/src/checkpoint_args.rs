//! `--checkpoint DIR`, `--resume DIR` and `--checkpoint-every`: saving a long check and
//! taking it up again.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use dnsrace_checker::{
    load_checkpoint, prepare_checkpoint, CheckOptions, CheckpointOptions, SavedSearch,
};
use dnsrace_core::{DescribedProperty, LivenessProperty, Presentation};

use crate::search_args::parse_duration;
use crate::UsageError;

/// How a check saves itself.
#[derive(Args, Debug)]
pub struct CheckpointArgs {
    /// Save the search in DIR (created if missing; it must not hold a checkpoint yet) at
    /// level boundaries, at most every `--checkpoint-every`, and whenever a bound or
    /// Ctrl-C stops it, so that `--resume DIR` can take it up again, even after the
    /// process was killed.
    #[arg(long, value_name = "DIR", conflicts_with = "resume")]
    pub checkpoint: Option<PathBuf>,
    /// Take up the search saved in DIR and go on saving it there. The model, its
    /// configuration, the properties, symmetry and the dnsrace version must be the
    /// ones it was saved with; the report is the one the uninterrupted run gives.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// The least time between two checkpoints, e.g. `30s`, `5m` (a checkpoint is written
    /// at the first level boundary after it); `0` writes one at every level boundary.
    #[arg(long, value_name = "DURATION", value_parser = parse_interval, default_value = "60s")]
    pub checkpoint_every: Duration,
}

/// A duration as `--timeout` takes it, or `0`.
fn parse_interval(text: &str) -> Result<Duration, String> {
    match text.trim() {
        "0" | "0s" => Ok(Duration::ZERO),
        _ => parse_duration(text),
    }
}

impl CheckpointArgs {
    /// Adds checkpointing to `options`, with `identity` naming the run; checks the
    /// folder, or reads and verifies the checkpoint to resume, before any search.
    pub fn apply<M: Presentation>(
        &self,
        options: &mut CheckOptions,
        identity: Vec<(String, String)>,
        model: &M,
        properties: &[DescribedProperty<M>],
        liveness: &[LivenessProperty<M>],
    ) -> Result<Option<SavedSearch>, UsageError> {
        let (dir, flag) = match (&self.checkpoint, &self.resume) {
            (Some(dir), _) => (dir, "--checkpoint"),
            (None, Some(dir)) => (dir, "--resume"),
            (None, None) => return Ok(None),
        };
        options.checkpoint = Some(CheckpointOptions {
            dir: dir.clone(),
            every: self.checkpoint_every,
            identity,
        });
        let error = |error| UsageError::new(format!("{flag}: {error}"));
        if self.resume.is_none() {
            prepare_checkpoint(model, options).map_err(error)?;
            return Ok(None);
        }
        let saved = load_checkpoint(model, properties, liveness, options).map_err(error)?;
        // It will be saved there again.
        options
            .checkpoint
            .as_ref()
            .expect("set above")
            .prepare()
            .map_err(error)?;
        Ok(Some(saved))
    }
}
