//! Calibration of the behavioural parameters by the simulated method of moments
//! (`sisandbox calibrate TARGETS.toml`, docs/CALIBRATION.md).
//!
//! - [`targets`]: the targets file, checked before anything runs (file, line and key of every
//!   problem; the entry checks and which keys move which moment are in `checks`);
//! - [`moments`]: the moments, counted on a run month by month;
//! - [`fit`]: candidates on common random numbers, argmin's Nelder–Mead, finite-difference
//!   sensitivities;
//! - [`write`]: the fitted overlay, fit.csv, sensitivity.csv and the manifest, written as one
//!   folder renamed into place; re-running a fit from its manifest.
//!
//! A fit is a function of the targets file, the resolved base scenario and the sisandbox
//! version only: the thread count changes how many replications run at once, never a figure.

mod checks;
pub mod fit;
pub mod moments;
pub mod targets;
pub mod write;

pub use moments::Moment;
pub use targets::{Target, Targets, TargetsError};
pub use write::{calibrate, reproduce, Calibration, Options};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    #[error(transparent)]
    Targets(#[from] TargetsError),
    #[error("{origin}: the base scenario does not load:\n{error}")]
    Scenario {
        origin: String,
        error: crate::scenario::ScenarioError,
    },
    #[error("{file}: parameters `{key}` = {value}: {error}")]
    Parameter {
        file: PathBuf,
        key: String,
        value: f64,
        error: crate::scenario::ScenarioError,
    },
    #[error("{file}: years {first} to {last}: the base scenario runs {run_first} to {run_last}; measure within the run")]
    Years {
        file: PathBuf,
        first: i32,
        last: i32,
        run_first: i32,
        run_last: i32,
    },
    #[error("target {target}: the runs hold nothing to measure it on in {}–{} (no staff of the group, or no retirement); widen `years`, add staff or drop the target", .years.0, .years.1)]
    Unmeasured { target: String, years: (i32, i32) },
    #[error(transparent)]
    Load(#[from] crate::scenario::ScenarioError),
    #[error(transparent)]
    Roster(#[from] crate::roster::RosterError),
    #[error(transparent)]
    Guard(#[from] crate::guard::GuardError),
    #[error("could not start worker threads: {0}")]
    Threads(String),
    #[error("the optimiser failed: {0}")]
    Optimiser(String),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error("{path}: {message}")]
    Manifest { path: PathBuf, message: String },
}
