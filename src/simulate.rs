//! One call from a validated scenario to a finished run: the initial staff (roster or
//! synthetic), then the engine. Every front end (the CLI's `run`, sweeps, the GUI) starts runs
//! here, so they all build the population the same way, and all are guarded the same way: a run
//! that needs more memory than the limit (`guard::memory_limit`) is refused before the
//! population is built.

use crate::agent::Agent;
use crate::engine::{self, Outcome, RunError, RunOptions};
use crate::guard::{self, GuardError, Limit};
use crate::population;
use crate::roster::{self, RosterError};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Resources(#[from] GuardError),
}

/// The roster file named by `simulation.roster`, relative to `scenario_dir` (the folder of the
/// scenario file) when there is one.
fn roster_path(roster: &str, scenario_dir: Option<&Path>) -> PathBuf {
    scenario_dir.map_or_else(|| Path::new(roster).to_path_buf(), |d| d.join(roster))
}

/// The initial staff: the roster named by `simulation.roster` (relative to `scenario_dir`, the
/// folder of the scenario file), or the synthetic population.
pub fn initial_staff(s: &Scenario, scenario_dir: Option<&Path>) -> Result<Vec<Agent>, RosterError> {
    match &s.simulation.roster {
        Some(roster) => roster::load_staff(&roster_path(roster, scenario_dir), s),
        None => Ok(population::synthetic(s)),
    }
}

/// Runs a scenario from its initial staff to the end of its horizon, under the memory limit in
/// force (`SISANDBOX_MAX_MEMORY`, else a share of the physical memory).
pub fn simulate(
    s: &Scenario,
    scenario_dir: Option<&Path>,
    opts: &RunOptions,
) -> Result<Outcome, SimulateError> {
    let limit = guard::memory_limit()?;
    simulate_with_limit(s, scenario_dir, opts, &limit)
}

/// [`simulate`] under a given memory limit.
pub fn simulate_with_limit(
    s: &Scenario,
    scenario_dir: Option<&Path>,
    opts: &RunOptions,
    limit: &Limit,
) -> Result<Outcome, SimulateError> {
    let agents = staff_within_limit(s, scenario_dir, limit)?;
    Ok(engine::run(s, agents, opts)?)
}

/// [`simulate`], collecting the monthly per-agent panel as well (`engine::panel`).
pub fn simulate_with_panel(
    s: &Scenario,
    scenario_dir: Option<&Path>,
    opts: &RunOptions,
) -> Result<(Outcome, engine::panel::Panel), SimulateError> {
    let limit = guard::memory_limit()?;
    let agents = staff_within_limit(s, scenario_dir, &limit)?;
    Ok(engine::run_with_panel(s, agents, opts)?)
}

/// [`simulate`], taking each agent's state at the end of each year as well
/// (`experiment::snapshot`, `sisandbox run --snapshots`).
pub fn simulate_with_snapshots(
    s: &Scenario,
    scenario_dir: Option<&Path>,
    opts: &RunOptions,
) -> Result<(Outcome, Vec<crate::experiment::snapshot::SnapshotRow>), SimulateError> {
    let limit = guard::memory_limit()?;
    let agents = staff_within_limit(s, scenario_dir, &limit)?;
    Ok(crate::experiment::snapshot::run_with_snapshots(
        s, agents, opts,
    )?)
}

/// The initial staff, refused before it is built when the run would not fit in `limit`.
fn staff_within_limit(
    s: &Scenario,
    scenario_dir: Option<&Path>,
    limit: &Limit,
) -> Result<Vec<Agent>, SimulateError> {
    match &s.simulation.roster {
        None => {
            guard::check(s, u64::from(s.simulation.agents), limit)?;
        }
        Some(roster) => {
            // The file is read whole: refuse one larger than the limit before reading it. A
            // missing file is left to the roster reader, which names it.
            let path = roster_path(roster, scenario_dir);
            if let Ok(meta) = std::fs::metadata(&path) {
                let file = path.display().to_string();
                if !meta.is_file() {
                    // A device or a pipe (/dev/zero, a FIFO) would be read without end.
                    return Err(RosterError::Read {
                        file,
                        source: std::io::Error::new(
                            std::io::ErrorKind::InvalidInput,
                            "not a regular file",
                        ),
                    }
                    .into());
                }
                guard::check_roster_file(&file, meta.len(), limit)?;
            }
        }
    }
    let agents = initial_staff(s, scenario_dir)?;
    if s.simulation.roster.is_some() {
        guard::check(s, agents.len() as u64, limit)?;
    }
    Ok(agents)
}
