//! sisandbox: an agent-based policy simulation sandbox for the social insurance of Chinese
//! university staff. See ARCHITECTURE.md for the map of modules and the invariants they keep.

pub mod agent;
pub mod anonymise;
pub mod bench;
pub mod calibrate;
pub mod career;
pub mod engine;
pub mod experiment;
pub mod guard;
pub mod household;
pub mod input;
pub mod insurance;
pub mod macro_paths;
pub mod metrics;
pub mod money;
pub mod office;
pub mod output;
pub mod perception;
pub mod plan;
pub mod plot;
pub mod policy;
pub mod population;
pub mod rng;
pub mod roster;
pub mod scenario;
pub mod simulate;
pub mod stress;
pub mod time;

/// The crate version written into every manifest.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
