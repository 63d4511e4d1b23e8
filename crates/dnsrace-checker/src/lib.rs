//! dnsrace's checking engine: an exhaustive, parallel, **deterministic** breadth-first
//! search over any [`stateright::Model`] that implements [`dnsrace_core::Presentation`].
//!
//! [`check`] returns a model-independent [`Report`] (verdicts, counterexample traces as
//! named [`Value`](dnsrace_core::Value)s, statistics, and whether the search was
//! complete); [`render_text`] prints it the way TLC does and [`Report::to_json`] gives it
//! to machines. [`export`] writes one trace as text, JSON, ITF or a Mermaid sequence
//! diagram, and [`replay`](mod@replay) finds a trace's states and action indices in the model again
//! (for stateright's Explorer and for diagrams).
//!
//! # Algorithm
//!
//! The search is **level-synchronous**: all states at depth `d` (the *frontier*) are
//! expanded before any state at depth `d + 1`. Parallelism lives *inside* a level, and
//! every level ends with a barrier. That is what makes the result independent of
//! scheduling: stateright's own BFS lets threads race on a shared queue, so which path
//! reaches a state first (and so which counterexample is reported) changes run to run.
//!
//! Each level runs three parallel phases:
//!
//! * **A, expand.** The frontier is cut into chunks, processed in parallel; rayon's
//!   indexed `collect` keeps the chunks' outputs in frontier order. For frontier state
//!   `i` and action `j` (in the model's `actions` order) a successor gets the *candidate
//!   key* `(i, j)`. A successor outside `within_boundary`, already visited at a smaller
//!   depth, or already held in this level with a smaller key is dropped at once, so
//!   duplicates cost no memory. Each worker thread keeps its own map of the level's new
//!   fingerprints to the smallest key it has seen (no locks, no shared cache lines), and
//!   asks it first: most successors that are not new are interleavings found earlier in
//!   the same level, and this map is far smaller than the visited set. A kept successor
//!   is evaluated against the properties still undecided right away, while it is in the
//!   cache, and each frontier state is dropped as soon as it is expanded.
//! * **C, select.** The threads' maps are merged shard by shard, keeping each
//!   fingerprint's smallest key; each chunk keeps the candidates that won. The
//!   survivors, in candidate order, are the next frontier. This is exactly the frontier
//!   a sequential BFS builds, so by induction every state's recorded path is the
//!   **lexicographically smallest shortest path** (by initial-state order, then action
//!   indices), whatever the thread count and whatever the hash values. For each property
//!   the new level decides, the first deciding state in frontier order is recorded.
//! * **B, commit.** The new fingerprints go into the visited set, shard by shard in
//!   parallel.
//!
//! The **visited set holds only fingerprints and parent links**: a custom table of 64-bit
//! fingerprints with, for each, the top half of its parent's fingerprint (a 32-bit tag),
//! in 12-byte slots kept 76-90 % full, so at most 16 bytes a state (see `visited.rs`).
//! Only the current frontier and the level being built hold states, and with a codec
//! (below) they hold them packed. A counterexample is rebuilt at the end by following parent tags back to an initial
//! state (a tag may name a few candidates; the replay keeps the one the model's steps lead
//! through, so the trace is exact) and **replaying** forward: at each step, the first
//! action (in `actions` order) whose successor is the next state of the path. During
//! phase A the visited set is only read, so lookups take no lock.
//!
//! # Packed states
//!
//! A model may provide an exact encoding of its states as a few bytes
//! ([`StateCodec`](dnsrace_core::StateCodec), through
//! [`Presentation::codec`](dnsrace_core::Presentation::codec)). The frontier then holds
//! each state as those bytes and its 8-byte fingerprint (the DNS model: 41 bytes at the
//! outage's 3 Enactors and 2 endpoints, against about a kilobyte of `Arc`ed actor
//! states); the level being built keeps 12 bytes more a state (candidate key and parent
//! tag) until it is committed, 16 for each of the few states that decide a property,
//! and with liveness one flag byte a state for every four liveness properties. A state is decoded only to be expanded, and its
//! fingerprint is XXH3 of the bytes of its class's canonical member: the same on every
//! run, machine and version, where the fingerprint of a model's own state (aHash) is
//! only the same within one build. Test builds check that each stored state decodes back
//! to itself. Which states are visited, in which order, does not depend on the
//! fingerprints (see phase C), so a codec changes no count, verdict or trace; a test
//! holds the DNS model's 432 recorded runs to that.
//!
//! # Symmetry reduction
//!
//! With [`CheckOptions::symmetry`], states are identified by the fingerprint of their
//! class representative ([`Presentation::representative`](dnsrace_core::Presentation),
//! or, cheaper, the packed state with its interchangeable records sorted when the codec
//! declares them: [`StateCodec::interchangeable_records`](dnsrace_core::StateCodec)), but the frontier keeps, for each class, the **real state** its smallest candidate
//! reached, not the renamed representative. Since renaming maps paths to paths, the
//! first real member of a class in breadth-first order is always the one kept, so the
//! reduced search visits classes in exactly the order the full search visits their first
//! members: **every verdict and every safety trace is the same as without symmetry**
//! (a test checks this on every scenario); only the state counts shrink.
//!
//! # Liveness
//!
//! [`check_with_liveness`] also numbers the states in breadth-first order and records
//! every edge (target number, one label byte per liveness property) and goal/trigger
//! flags; after an exhaustive search, `liveness.rs` decides each property on that graph:
//! backward reachability for "always recoverable" (`AG EF goal`), strongly connected
//! components and weak fairness per process for `trigger ~> goal`. With symmetry, the
//! components are found on the reduced graph, then each is expanded back into real
//! states to decide fairness, which names individual processes: the verdicts are exact.
//! A bounded search leaves every liveness property inconclusive. A safety-only check
//! records no edges and pays nothing for this.
//!
//! The search stops when the frontier is empty (**exhaustive**), when every property has
//! a verdict (after finishing the level, so the reported traces do not depend on timing),
//! or when a bound hits (`max_depth`, `max_states`, `timeout`, `max_memory`, the `stop` flag). Time,
//! the stop flag and `max_states` are also watched inside a level, chunk by chunk; a
//! level abandoned part-way is discarded whole, so a bounded report only describes
//! completed levels. A bounded run never claims that a property holds or is never
//! reached: it says *inconclusive*. Violations found before the bound are real.
//!
//! # Checkpoints
//!
//! With [`CheckOptions::checkpoint`], the search saves itself at level boundaries (at
//! most every [`CheckpointOptions::every`], and when a bound stops it) to a file that
//! [`load_checkpoint`] reads back, verified whole, and [`resume`] continues: the same
//! report as an uninterrupted run, because a level boundary is all the search is (see
//! [`checkpoint`]). Models with a codec only.
//!
//! # Caveats
//!
//! * **Fingerprints are 64-bit** (aHash with fixed seeds, never 0) and states are not
//!   compared: two different states with the same fingerprint count as one and the
//!   second is never explored. With `n` states the chance of any collision is about
//!   `n² / 2⁶⁵` (around 10⁻⁷ for two million states). The fingerprints are the same on
//!   every run of one build, but aHash does not promise them across versions or
//!   platforms: never persist them. Verdicts and traces do not depend on their values.
//! * stateright's **`eventually` is not checked** (it is unsound on cyclic graphs):
//!   such properties are reported as inconclusive with a note; declare a
//!   [`LivenessProperty`](dnsrace_core::LivenessProperty) instead.
//! * The model's `init_states` and `actions` must be deterministic (same order for the
//!   same state); traces are rebuilt by replaying them.

pub mod checkpoint;
mod engine;
pub mod export;
mod liveness;
pub mod replay;
mod report;
pub mod story;
pub mod table;
mod text;
mod visited;

pub use checkpoint::{CheckpointError, CheckpointOptions, CheckpointStatus};
pub use engine::{
    check, check_with_liveness, load_checkpoint, prepare_checkpoint, resident_memory, resume,
    CheckOptions, Progress, ProgressSnapshot, SavedSearch, MAX_LIVENESS_PROPERTIES,
};
pub use export::{export_model_trace, export_trace, headline_trace, ExportContext, TraceFormat};
pub use replay::{replay, Replay};
pub use report::{
    value_to_json, ActionCoverage, Completeness, Coverage, PropertyKind, PropertyResult, Report,
    Statistics, Trace, TraceState, Verdict,
};
pub use story::{follow_story, recoverable_from, render_followed, Followed, NotPossible};
pub use text::{render_text, render_text_without_timing};
