//! Experiments over many runs: parameter sweeps with replications and common random numbers,
//! their tables and summaries, Morris screening, run-to-run comparison and reproduction from a
//! manifest. docs/EXPERIMENTS.md describes the file formats and the commands over this module.
//!
//! - [`spec`]: the sweep file (`SWEEP.toml`), its validation and the list of variants;
//! - [`design`]: grids, Latin hypercubes and Morris trajectories;
//! - [`summary`]: what one run contributes to a sweep's tables (summary metrics, the yearly
//!   series, the per-agent outcomes used for paired differences);
//! - [`store`]: the sweep folder: the plan, one small file per completed run, atomic writes;
//! - [`sweep`]: scheduling (parallel over runs, shards, resume), the sweep folder's plan;
//! - [`tables`]: assembling a sweep's tables from its per-run files;
//! - [`merge`]: joining the shards of a sweep, checking each per-run file;
//! - [`morris`]: elementary effects (μ, μ*, σ) per parameter and metric;
//! - [`stats`]: means, standard deviations, Student-t confidence intervals, quantiles;
//! - [`figures`]: the figures of `sisandbox plot`, read from run and sweep folders;
//! - [`compat`]: whether run folders are comparable (start, horizon, staff, seed);
//! - [`compare`]: side-by-side outcome distributions of run folders at a common date, paired
//!   by agent id where the agent is in the same state in both runs; [`compare_data`] reads the
//!   run folders for it;
//! - [`winners`]: winners and losers of a paired comparison, in five bands of relative change;
//! - [`snapshot`]: each agent's state at the end of each year of a run (`run --snapshots`);
//! - [`decompose`]: a reform's effect split into mechanical and behavioural parts, by
//!   replaying the baseline's choices; [`sweep_decompose`]: the same for every variant of a
//!   sweep (`decompose = true`);
//! - [`reproduce`]: re-running a manifest and checking every output's SHA-256.
//!
//! Every table written here is a function of the sweep file, the scenario files and the
//! sisandbox version only: never of the thread count, the order runs finish in, the shard
//! split or how often a sweep was interrupted.

pub mod compare;
mod compare_csv;
pub mod compare_data;
pub mod compat;
pub mod decompose;
pub mod design;
pub mod figures;
mod levels;
pub mod merge;
pub mod morris;
pub mod reproduce;
pub mod snapshot;
pub mod spec;
pub mod stats;
pub mod store;
pub mod summary;
pub mod sweep;
pub mod sweep_decompose;
pub mod tables;
mod variants;
pub mod winners;

pub use merge::merge;
pub use spec::{Design, ParamSpec, SpecError, SweepPlan, SweepSpec, Variant};
pub use sweep::{run_sweep, Shard, SweepError, SweepOptions, SweepReport};
pub use tables::assemble;
