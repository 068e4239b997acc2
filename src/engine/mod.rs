//! The monthly step loop. Each month has three phases:
//! 1. agent phase, in parallel over fixed-size chunks of agents: each agent, with its own random
//!    streams, ages, dies, retires, earns, contributes, draws its pension and states an intent;
//!    each chunk returns its aggregates and the indices of agents with an intent;
//! 2. resolution phase, sequential in a fixed order: quits and moves, then (in their months)
//!    promotions and conversions, then replacement hiring;
//! 3. metrics: the chunk aggregates merged in chunk order, written as the month's rows.
//!
//! Determinism: chunk boundaries do not depend on the thread count, every draw is keyed by
//! (seed, agent id, purpose, month), and the resolution phase is sequential, so a run is
//! byte-identical on 1 or N threads.

mod behave;
mod capacity;
mod changes;
mod end;
mod env;
mod funds;
mod init;
pub mod insure;
pub mod panel;
mod phases;
mod rates;
mod record;
pub mod replay;
mod resolve;
mod retire;
mod roll;
mod step;
mod stock;

pub use capacity::{agent_bound, AgentBound};
pub use end::{AgentRecord, Outcome, RunInfo, RELEASE_BLOCK};
pub use env::MonthEnv;
pub use phases::Phases;
pub use record::smallest_group;

use crate::agent::Agent;
use crate::metrics::{MonthAgg, Series};
use crate::scenario::Scenario;
use crate::time::YearMonth;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Agents per chunk of the agent phase. Fixed, so that float sums merge identically whatever
/// the number of threads.
pub const CHUNK: usize = 4096;

/// How to run.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Worker threads; 0 uses every core.
    pub threads: usize,
    /// Called after each month with (months done, months in all).
    pub progress: Option<&'a (dyn Fn(u32, u32) + Sync)>,
    /// Set to stop the run after the current month.
    pub cancel: Option<&'a AtomicBool>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
    #[error("the run was cancelled after {months_done} of {months} months")]
    Cancelled { months_done: u32, months: u32 },
    #[error("the population is empty: nothing to simulate")]
    EmptyPopulation,
}

/// Runs a scenario on an initial population (synthetic or imported) to the end of its horizon.
pub fn run(s: &Scenario, agents: Vec<Agent>, opts: &RunOptions) -> Result<Outcome, RunError> {
    if agents.is_empty() {
        return Err(RunError::EmptyPopulation);
    }
    let pool = thread_pool(opts.threads)?;
    pool.install(|| run_in_pool(s, agents, opts))
}

/// The worker pool of a run: `threads` threads (0: one per core), or the error that names
/// the count. Every caller that runs the engine in its own pool builds it here.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, RunError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads {
            threads,
            message: e.to_string(),
        })
}

/// Runs a scenario like [`run`], calling `each_month(month, &simulation)` after every month,
/// so a caller can record what it needs (e.g. yearly snapshots) without its own month loop.
pub fn run_observing(
    s: &Scenario,
    agents: Vec<Agent>,
    opts: &RunOptions,
    each_month: &mut (dyn FnMut(YearMonth, &Simulation) + Send),
) -> Result<Outcome, RunError> {
    if agents.is_empty() {
        return Err(RunError::EmptyPopulation);
    }
    let pool = thread_pool(opts.threads)?;
    pool.install(|| {
        let mut sim = Simulation::new(s, agents);
        drive_observing(&mut sim, opts, each_month)?;
        Ok(sim.finish())
    })
}

fn run_in_pool(s: &Scenario, agents: Vec<Agent>, opts: &RunOptions) -> Result<Outcome, RunError> {
    let mut sim = Simulation::new(s, agents);
    drive(&mut sim, opts)?;
    Ok(sim.finish())
}

/// Runs a scenario like [`run`], collecting the monthly per-agent panel as well.
pub fn run_with_panel(
    s: &Scenario,
    agents: Vec<Agent>,
    opts: &RunOptions,
) -> Result<(Outcome, panel::Panel), RunError> {
    if agents.is_empty() {
        return Err(RunError::EmptyPopulation);
    }
    let pool = thread_pool(opts.threads)?;
    pool.install(|| {
        let mut sim = Simulation::new(s, agents);
        sim.panel = Some(panel::Sink::new(s, &sim.agents));
        drive(&mut sim, opts)?;
        let rows = sim
            .panel
            .take()
            .map(panel::Sink::finish)
            .unwrap_or_default();
        Ok((sim.finish(), rows))
    })
}

/// Steps a simulation to the end of its horizon, reporting progress and honouring cancel.
fn drive(sim: &mut Simulation, opts: &RunOptions) -> Result<(), RunError> {
    drive_observing(sim, opts, &mut |_, _| {})
}

/// [`drive`], calling `each_month` with the month just stepped and the simulation after it.
fn drive_observing(
    sim: &mut Simulation,
    opts: &RunOptions,
    each_month: &mut (dyn FnMut(YearMonth, &Simulation) + Send),
) -> Result<(), RunError> {
    let months = sim.s.simulation.years * 12;
    for t in 0..months {
        sim.step();
        each_month(sim.s.simulation.start.plus_months(t as i32), sim);
        if let Some(p) = opts.progress {
            p(t + 1, months);
        }
        if opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) && t + 1 < months {
            return Err(RunError::Cancelled {
                months_done: t + 1,
                months,
            });
        }
    }
    Ok(())
}

/// A run in progress, one month at a time: what `run` drives, and what benchmarks time month
/// by month. Its methods use the current rayon pool (`run` installs one with the requested
/// number of threads).
pub struct Simulation<'a> {
    s: &'a Scenario,
    agents: Vec<Agent>,
    shared: behave::Shared,
    state: resolve::State,
    series: Series,
    ledger: record::Ledger,
    initial: usize,
    months_done: u32,
    /// The monthly panel, when asked for (`run_with_panel`).
    panel: Option<panel::Sink>,
    /// Whom the month's loops visit: the living (the agent phase) and the active staff (the
    /// yearly passes), by chunk of `CHUNK` positions (`roll`).
    roll: roll::Roll,
    /// Wall time by phase of the months stepped so far.
    phases: Phases,
}

impl<'a> Simulation<'a> {
    /// Prepares the initial staff (retirement months, past records, first perceptions).
    pub fn new(s: &'a Scenario, agents: Vec<Agent>) -> Self {
        Self::replaying(s, agents, None)
    }

    /// Like [`Simulation::new`], with behaviour frozen at the choices of `book` when given
    /// (`replay`): the switch behind `sisandbox compare --decompose`.
    pub fn replaying(
        s: &'a Scenario,
        mut agents: Vec<Agent>,
        book: Option<std::sync::Arc<replay::Book>>,
    ) -> Self {
        // Room for every agent the run will hold (pensioners at the start, hires), reserved
        // now so that the staff vector never grows by copying (`capacity`).
        let _ = agents.try_reserve_exact(capacity::reserve_for(s, agents.len()));
        let start = s.simulation.start;
        let first = (init::first_year(&agents, start) - 1).min(stock::first_year(start));
        let history = init::History::new(s, first, end_month(s).year());
        let mut opening = init::prepare(s, &mut agents, &history);
        let mut shared = behave::Shared::new(s);
        let mut roll = roll::Roll::of(&agents, shared.seed);
        init::first_perception(s, &mut agents, &mut shared, &roll.staff);
        if let Some(book) = &book {
            book.freeze_start(s, &mut agents);
        }
        shared.replay = book;
        // Pensioners in payment at the start join after the staff's first perceptions: they
        // take no part in behaviour.
        let staff = agents.len();
        let retirees = stock::initial_retirees(s, &agents, &history);
        opening += retirees
            .iter()
            .map(|a| a.insurance.pension_account.total() + a.insurance.annuity.total())
            .sum::<crate::money::Fen>();
        agents.extend(retirees);
        roll.extend(&agents);
        Simulation {
            roll,
            s,
            initial: staff,
            state: resolve::State::new(s, &agents, history),
            ledger: record::Ledger::new(s, opening),
            agents,
            shared,
            series: Series::default(),
            months_done: 0,
            panel: None,
            phases: Phases::default(),
        }
    }

    /// The next month: agent phase, resolution, metrics.
    pub fn step(&mut self) {
        let mut clock = phases::Lap::start();
        let s = self.s;
        let env = MonthEnv::new(s, s.simulation.start.plus_months(self.months_done as i32));
        let status_quo = (env.evaluate && !env.policy.is_statutory()).then(|| env.status_quo(s));
        self.roll.extend(&self.agents);
        if env.evaluate {
            behave::prepare(s, &env, &mut self.shared, &self.agents, &self.roll.staff);
        }
        self.phases.environment += clock.lap();
        let (mut agg, mut intents) = agent_phase(
            s,
            &env,
            status_quo.as_ref(),
            &self.shared,
            &mut self.agents,
            &mut self.roll,
        );
        if env.evaluate {
            self.phases.evaluating += clock.lap();
            debug_assert!(intents.is_empty(), "intents wait for the month's peers");
            intents = behave::finish_all(
                s,
                &env,
                &self.shared,
                &mut self.agents,
                &self.roll.staff,
                true,
            );
            self.phases.peers += clock.lap();
        } else {
            self.phases.agents += clock.lap();
        }
        let res = resolve::resolve(
            s,
            &env,
            &mut self.agents,
            &self.roll.staff,
            &intents,
            &mut self.state,
            &mut agg,
        );
        self.roll.extend(&self.agents);
        if env.year_end {
            self.shared.points_factor = behave::points_factors(s, &agg.points_demand);
        }
        self.phases.resolution += clock.lap();
        agg.settle();
        if let Some(p) = self.panel.as_mut() {
            p.record_month(env.month, &self.agents);
        }
        self.ledger.opening_accounts += std::mem::take(&mut self.state.brought_in);
        self.ledger.record_month(
            s,
            &env,
            &self.agents,
            &self.roll,
            &agg,
            &res,
            &mut self.series,
        );
        self.months_done += 1;
        self.phases.records += clock.lap();
    }

    /// Wall time by phase of the months stepped so far (`sisandbox bench`).
    pub fn phases(&self) -> Phases {
        self.phases
    }

    /// Agents in the run so far (staff, retirees and those who left or died).
    pub fn agents(&self) -> usize {
        self.agents.len()
    }

    /// The agents as they are after the months stepped so far (tests read their state).
    pub fn staff(&self) -> &[Agent] {
        &self.agents
    }

    /// The outcome of the months stepped so far.
    pub fn finish(self) -> Outcome {
        end::finish(self.s, self.agents, self.series, self.ledger, self.initial)
    }
}

/// Phase 1: every agent not dead steps (`roll.live`: the offsets of those in each chunk,
/// pruned of the month's deaths); each chunk lists its active staff afresh (`roll.staff`);
/// chunks merge in order.
fn agent_phase(
    s: &Scenario,
    env: &MonthEnv,
    status_quo: Option<&MonthEnv>,
    shared: &behave::Shared,
    agents: &mut [Agent],
    roll: &mut roll::Roll,
) -> (MonthAgg, Vec<usize>) {
    let parts: Vec<(MonthAgg, Vec<usize>)> = agents
        .par_chunks_mut(CHUNK)
        .zip(roll.live.par_iter_mut().zip(roll.staff.par_iter_mut()))
        .enumerate()
        .map(|(c, (chunk, (live, staff)))| {
            let mut agg = MonthAgg::new(s.universities.len(), s.regions.len());
            let mut intents = Vec::new();
            staff.clear();
            // The living are kept in place: each visit moves down over the month's dead
            // before it (`kept` ≤ `j`), so the list needs no second pass.
            let mut kept = 0;
            for j in 0..live.len() {
                if let Some(next) = live.get(j + PREFETCH_AHEAD) {
                    // The stall on each agent's first touch was the agent phase's largest
                    // cost in profiles (`agent::prefetch`).
                    let p = chunk.as_ptr().wrapping_add(next.at as usize);
                    crate::agent::prefetch(p, HOT_BYTES);
                }
                let visit = live[j];
                let i = visit.at;
                let a = &mut chunk[i as usize];
                if step::step(s, env, status_quo, shared, visit, a, &mut agg) {
                    intents.push(c * CHUNK + i as usize);
                }
                match a.status {
                    crate::agent::Status::Dead => continue,
                    crate::agent::Status::Active => staff.push(i),
                    _ => {}
                }
                live[kept] = visit;
                kept += 1;
            }
            live.truncate(kept);
            (agg, intents)
        })
        .collect();
    let mut total = MonthAgg::new(s.universities.len(), s.regions.len());
    let mut intents = Vec::new();
    for (agg, ix) in &parts {
        total.merge(agg);
        intents.extend_from_slice(ix);
    }
    (total, intents)
}

/// How many agents ahead of the one stepping the agent phase asks for the next one's memory.
/// A month of an agent is a few hundred nanoseconds of work, about two memory latencies: far
/// enough that the lines have arrived, near enough that they are still in the first-level
/// cache (a few agents' hot bytes are a small part of it).
const PREFETCH_AHEAD: usize = 3;

/// The bytes of an agent a monthly step reads: everything up to the leaving factor of its last
/// perception (`Agent`'s `repr(C)` order puts them first; a unit test in `agent` holds it).
const HOT_BYTES: usize = std::mem::offset_of!(Agent, perception)
    + std::mem::offset_of!(crate::perception::Perception, evaluated)
    + std::mem::size_of::<bool>();

/// The month a run ends (exclusive).
pub fn end_month(s: &Scenario) -> YearMonth {
    s.simulation
        .start
        .plus_months(s.simulation.years as i32 * 12)
}
