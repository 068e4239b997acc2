//! One call from a validated scenario to a finished run: the initial staff (roster or
//! synthetic), then the engine. Every front end (the CLI's `run`, sweeps, the GUI) starts runs
//! here, so they all build the population the same way.

use crate::agent::Agent;
use crate::engine::{self, Outcome, RunError, RunOptions};
use crate::population;
use crate::roster::{self, RosterError};
use crate::scenario::Scenario;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// The initial staff: the roster named by `simulation.roster` (relative to `scenario_dir`, the
/// folder of the scenario file), or the synthetic population.
pub fn initial_staff(s: &Scenario, scenario_dir: Option<&Path>) -> Result<Vec<Agent>, RosterError> {
    match &s.simulation.roster {
        Some(roster) => {
            let path =
                scenario_dir.map_or_else(|| Path::new(roster).to_path_buf(), |d| d.join(roster));
            roster::load_roster(&path, s)
        }
        None => Ok(population::synthetic(s)),
    }
}

/// Runs a scenario from its initial staff to the end of its horizon.
pub fn simulate(
    s: &Scenario,
    scenario_dir: Option<&Path>,
    opts: &RunOptions,
) -> Result<Outcome, SimulateError> {
    let agents = initial_staff(s, scenario_dir)?;
    Ok(engine::run(s, agents, opts)?)
}
