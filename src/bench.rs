//! Throughput measurement: whole runs of the default scenario at several sizes and thread
//! counts, with wall time, agent-months per second and peak memory, and the machine they ran
//! on. `sisandbox bench` prints the table and writes docs/PERFORMANCE.md from it.
//!
//! `Reference` is the bare contribution loop the full model is measured against: the same
//! monthly contribution work with nothing else (no careers, accounts, funds, perception or
//! series), so the ratio of the two speeds, measured in one process on one machine, is the
//! overhead of everything the model adds on top of its arithmetic core.

use crate::engine;
use crate::insurance::base::{contribution_base, limits, BaseLimits};
use crate::insurance::contributions::{self, housing_fund_base, Membership};
use crate::insurance::params::RatesAt;
use crate::money::{yuan_to_fen, Fen};
use crate::population;
use crate::rng::{Draws, Purpose};
use crate::scenario::{RegionParams, Scenario};
use crate::time::YearMonth;
use rayon::prelude::*;
use std::time::Instant;

/// One measured run.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchRow {
    pub agents: u32,
    pub years: u32,
    pub threads: usize,
    /// Population generation, preparation and every month (no output writing).
    pub wall_seconds: f64,
    /// Initial staff × months / wall time.
    pub agent_months_per_second: f64,
    /// Peak resident memory of the process during the run, bytes (None where the platform does
    /// not report it).
    pub peak_bytes: Option<u64>,
    /// Resident memory just before the run, bytes (the process's own baseline).
    pub before_bytes: Option<u64>,
    /// Where the wall time went: population and preparation, each phase of the months, and
    /// the end records.
    pub setup_seconds: f64,
    pub phases: engine::Phases,
    pub end_seconds: f64,
}

impl BenchRow {
    /// Memory the run added over the process's baseline, per initial staff member.
    pub fn bytes_per_agent(&self) -> Option<f64> {
        let (peak, before) = (self.peak_bytes?, self.before_bytes.unwrap_or(0));
        Some(peak.saturating_sub(before) as f64 / self.agents as f64)
    }
}

/// Runs the default scenario with `agents` staff for `years` on `threads` threads and measures
/// it. Peak memory is reset before the run (Linux `clear_refs`), so each row reports its own.
pub fn measure(agents: u32, years: u32, threads: usize) -> Result<BenchRow, engine::RunError> {
    let mut s = Scenario::default();
    s.simulation.agents = agents;
    s.simulation.years = years;
    reset_peak_memory();
    let before = status_kb("VmRSS:").map(|kb| kb * 1024);
    let pool = engine::thread_pool(threads)?;
    let t0 = Instant::now();
    // The months stepped here rather than through `engine::run`, so that the phases of the
    // `Simulation` can be read; the work is the same.
    let (outcome, setup, phases, end) = pool.install(|| {
        let staff = population::synthetic(&s);
        if staff.is_empty() {
            return Err(engine::RunError::EmptyPopulation);
        }
        let mut sim = engine::Simulation::new(&s, staff);
        let setup = t0.elapsed().as_secs_f64();
        for _ in 0..s.simulation.years * 12 {
            sim.step();
        }
        let phases = sim.phases();
        let t_end = Instant::now();
        let outcome = sim.finish();
        Ok((outcome, setup, phases, t_end.elapsed().as_secs_f64()))
    })?;
    let wall = t0.elapsed().as_secs_f64();
    let peak = peak_memory();
    drop(outcome);
    Ok(BenchRow {
        agents,
        years,
        threads,
        wall_seconds: wall,
        agent_months_per_second: agents as f64 * years as f64 * 12.0 / wall.max(1e-9),
        peak_bytes: peak,
        before_bytes: before,
        setup_seconds: setup,
        phases,
        end_seconds: end,
    })
}

/// Where each run's wall time went, in Markdown: population and preparation, each phase of
/// the months (`engine::Phases`), and the end records, in seconds.
pub fn phase_markdown(rows: &[BenchRow]) -> String {
    let mut out = String::from(
        "| staff | years | threads | setup | environment | agent phase | agent phase, evaluation months | peers | resolution | records | end records |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let p = &r.phases;
        out += &format!("| {} | {} | {} |", r.agents, r.years, r.threads);
        for d in [
            r.setup_seconds,
            p.environment.as_secs_f64(),
            p.agents.as_secs_f64(),
            p.evaluating.as_secs_f64(),
            p.peers.as_secs_f64(),
            p.resolution.as_secs_f64(),
            p.records.as_secs_f64(),
            r.end_seconds,
        ] {
            out += &format!(" {d:.2} |");
        }
        out += "\n";
    }
    out
}

/// The bare contribution loop: per agent-month one keyed draw from `rng::Draws` (a 1 % chance
/// that the month is not paid, so the draw is used), the base clamped to the region's floor and
/// ceiling, and the 13 contribution items of `contributions::monthly` rounded to the fen, summed
/// per fixed chunk and reduced in chunk order. Wages stay at their starting values and nobody
/// enters or leaves: it is a lower bound on the cost of the same work, not a model.
pub struct Reference {
    seed: u64,
    start: YearMonth,
    months: i32,
    /// Per agent (struct of arrays): wage of the first month, region index, scheme.
    wage: Vec<Fen>,
    region: Vec<u16>,
    membership: Vec<Membership>,
    /// Per region: its name and its average wage series.
    regions: Vec<RegionParams>,
    params: crate::insurance::InsuranceParams,
}

/// Agents per chunk of the parallel loop, as in the engine.
const REFERENCE_CHUNK: usize = 4096;

/// Probability that an agent-month is not paid (the use of the month's draw).
const REFERENCE_GAP: f64 = 0.01;

impl Reference {
    /// The initial staff of scenario `s` (its synthetic population), reduced to the fields the
    /// loop reads.
    pub fn new(s: &Scenario) -> Self {
        let staff = population::synthetic(s);
        Reference {
            seed: s.simulation.seed,
            start: s.simulation.start,
            months: (s.simulation.years * 12) as i32,
            wage: staff.iter().map(|a| a.wage()).collect(),
            region: staff.iter().map(|a| a.region).collect(),
            membership: staff
                .iter()
                .map(|a| {
                    if a.track.is_institution() {
                        Membership::ESTABLISHED
                    } else {
                        Membership::CONTRACT
                    }
                })
                .collect(),
            regions: s.regions.clone(),
            params: s.insurance.clone(),
        }
    }

    /// Agents in the loop.
    pub fn agents(&self) -> usize {
        self.wage.len()
    }

    /// Every month of the horizon, in the current rayon pool. Returns the contributions paid
    /// in all months, fen: the same on any thread count.
    pub fn run(&self) -> Fen {
        let mut total: Fen = 0;
        for m in 0..self.months {
            let month = self.start.plus_months(m);
            // The month's rules per region, as the engine resolves them once per month.
            let rules: Vec<(RatesAt, BaseLimits, Fen)> = self
                .regions
                .iter()
                .map(|r| {
                    let rates = self.params.resolve(month, &r.name);
                    let average = yuan_to_fen(r.average_wage_at(month));
                    (rates, limits(average, &rates), average)
                })
                .collect();
            let chunks: Vec<Fen> = self
                .wage
                .par_chunks(REFERENCE_CHUNK)
                .enumerate()
                .map(|(c, wages)| {
                    let first = c * REFERENCE_CHUNK;
                    let mut sum: Fen = 0;
                    for (i, &wage) in wages.iter().enumerate() {
                        let id = first + i;
                        let mut draw =
                            Draws::new(self.seed, id as u64, Purpose::Quit, month.index());
                        if draw.chance(REFERENCE_GAP) {
                            continue;
                        }
                        let (rates, lim, average) = &rules[self.region[id] as usize];
                        let base = contribution_base(wage, *lim);
                        let housing = housing_fund_base(wage, *average, rates);
                        let c = contributions::monthly(base, housing, self.membership[id], rates);
                        sum += c.employer_total() + c.individual_total();
                    }
                    sum
                })
                .collect();
            total += chunks.iter().sum::<Fen>();
        }
        total
    }
}

/// One measurement of the bare loop.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceRow {
    pub agents: u32,
    pub years: u32,
    pub threads: usize,
    /// The monthly loop only (the population is prepared before the clock starts).
    pub wall_seconds: f64,
    pub agent_months_per_second: f64,
    /// Contributions summed over the run, fen (a check that the work was done).
    pub total_fen: Fen,
}

/// Runs the bare loop on the default scenario's initial staff of size `agents` for `years` on
/// `threads` threads.
pub fn measure_reference(
    agents: u32,
    years: u32,
    threads: usize,
) -> Result<ReferenceRow, engine::RunError> {
    let mut s = Scenario::default();
    s.simulation.agents = agents;
    s.simulation.years = years;
    let pool = engine::thread_pool(threads)?;
    let reference = pool.install(|| Reference::new(&s));
    let t0 = Instant::now();
    let total_fen = pool.install(|| reference.run());
    let wall = t0.elapsed().as_secs_f64();
    Ok(ReferenceRow {
        agents,
        years,
        threads,
        wall_seconds: wall,
        agent_months_per_second: agents as f64 * years as f64 * 12.0 / wall.max(1e-9),
        total_fen,
    })
}

/// How many times slower the full model ran than the bare loop at the same size and threads.
pub fn full_over_bare(full: &BenchRow, bare: &ReferenceRow) -> f64 {
    bare.agent_months_per_second / full.agent_months_per_second.max(1e-9)
}

/// The runs of one size and thread count repeated (`sisandbox bench --repeat`): the median
/// run, whose figures and phases the table reports, and the spread of the wall times. The
/// machines this is measured on drift by several per cent within minutes, so one run a row
/// can mislead; a median of runs interleaved with the other thread counts does less.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeated<T> {
    /// The run of median wall time; of an even number of runs, the faster of the middle two
    /// (a run that happened, not an average of two).
    pub median: T,
    pub fastest: f64,
    pub slowest: f64,
    pub runs: usize,
}

/// The median run of `runs` by `wall` time, and their spread; `None` for no runs.
pub fn median_by<T: Clone>(runs: &[T], wall: impl Fn(&T) -> f64) -> Option<Repeated<T>> {
    let mut order: Vec<&T> = runs.iter().collect();
    order.sort_by(|a, b| wall(a).total_cmp(&wall(b)));
    let median = (*order.get((order.len().checked_sub(1)?) / 2)?).clone();
    Some(Repeated {
        median,
        fastest: wall(order[0]),
        slowest: wall(order[order.len() - 1]),
        runs: runs.len(),
    })
}

/// Resets the kernel's record of peak resident memory for this process (Linux); elsewhere a
/// no-op, and `peak_memory` then reports the process's lifetime peak.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory since the last reset, from /proc/self/status (VmHWM).
pub fn peak_memory() -> Option<u64> {
    status_kb("VmHWM:").map(|kb| kb * 1024)
}

/// A kilobyte field of /proc/self/status.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The machine, as docs/PERFORMANCE.md records it: processor model, cores, memory.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown processor".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map(|kb| format!("{:.1} GiB", kb as f64 / (1u64 << 20) as f64))
        .unwrap_or_else(|| "unknown memory".into());
    format!("{cpu}, {cores} cores, {mem}")
}

/// The table in Markdown.
pub fn markdown(rows: &[BenchRow]) -> String {
    markdown_with_reference(rows, &[])
}

/// The table in Markdown, with the bare loop's speed and the ratio bare/full (how many times
/// slower the full model is than the bare loop) for every row the bare loop was measured at
/// (same staff, years and threads).
pub fn markdown_with_reference(rows: &[BenchRow], reference: &[ReferenceRow]) -> String {
    table(rows, None, reference)
}

/// The table of repeated runs: each row the median run of its size and thread count, with
/// the fastest and slowest wall times and the number of runs; speed-ups and full/bare from
/// the medians.
pub fn repeated_markdown(
    rows: &[Repeated<BenchRow>],
    reference: &[Repeated<ReferenceRow>],
) -> String {
    let medians: Vec<BenchRow> = rows.iter().map(|r| r.median.clone()).collect();
    let spread: Vec<(f64, f64, usize)> = rows
        .iter()
        .map(|r| (r.fastest, r.slowest, r.runs))
        .collect();
    let bare: Vec<ReferenceRow> = reference.iter().map(|r| r.median.clone()).collect();
    table(&medians, Some(&spread), &bare)
}

/// The table, with a column of each row's wall-time spread when `spread` is given.
fn table(
    rows: &[BenchRow],
    spread: Option<&[(f64, f64, usize)]>,
    reference: &[ReferenceRow],
) -> String {
    let mut out = String::from(
        "| staff | years | threads | wall (s) | agent-months/s | peak memory | run's bytes/agent | speed-up vs 1 thread |",
    );
    if spread.is_some() {
        out += " wall, fastest–slowest (s) | runs |";
    }
    if !reference.is_empty() {
        out += " bare loop agent-months/s | full/bare |";
    }
    out += "\n|---:|---:|---:|---:|---:|---:|---:|---:|";
    if spread.is_some() {
        out += "---:|---:|";
    }
    if !reference.is_empty() {
        out += "---:|---:|";
    }
    out += "\n";
    for (k, r) in rows.iter().enumerate() {
        let one = rows
            .iter()
            .find(|o| o.agents == r.agents && o.years == r.years && o.threads == 1);
        let speedup = one
            .map(|o| format!("{:.2}×", o.wall_seconds / r.wall_seconds))
            .unwrap_or_default();
        let peak = r
            .peak_bytes
            .map(|b| format!("{:.0} MB", b as f64 / 1e6))
            .unwrap_or_default();
        let per = r
            .bytes_per_agent()
            .map(|b| format!("{b:.0}"))
            .unwrap_or_default();
        out += &format!(
            "| {} | {} | {} | {:.2} | {:.2} M | {} | {} | {} |",
            r.agents,
            r.years,
            r.threads,
            r.wall_seconds,
            r.agent_months_per_second / 1e6,
            peak,
            per,
            speedup
        );
        if let Some((fastest, slowest, runs)) = spread.and_then(|w| w.get(k)) {
            out += &format!(" {fastest:.2}–{slowest:.2} | {runs} |");
        }
        if !reference.is_empty() {
            let bare = reference
                .iter()
                .find(|b| (b.agents, b.years, b.threads) == (r.agents, r.years, r.threads));
            match bare {
                Some(b) => {
                    out += &format!(
                        " {:.2} M | {:.1}× |",
                        b.agent_months_per_second / 1e6,
                        full_over_bare(r, b)
                    )
                }
                None => out += " | |",
            }
        }
        out += "\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_measurement_reports_its_figures() {
        let r = measure(200, 1, 1).unwrap();
        assert_eq!((r.agents, r.years, r.threads), (200, 1, 1));
        assert!(r.wall_seconds > 0.0);
        // The parts are measured inside the whole and every month has an agent phase.
        let parts = r.setup_seconds + r.phases.total().as_secs_f64() + r.end_seconds;
        assert!(
            parts <= r.wall_seconds && parts > 0.5 * r.wall_seconds,
            "{parts} of {r:?}"
        );
        assert!(r.phases.agents > std::time::Duration::ZERO);
        assert!(
            r.phases.evaluating > std::time::Duration::ZERO,
            "January is evaluated"
        );
        let phases = phase_markdown(std::slice::from_ref(&r));
        assert!(
            phases.contains("| 200 | 1 | 1 |") && phases.contains("resolution"),
            "{phases}"
        );
        assert!((r.agent_months_per_second - 200.0 * 12.0 / r.wall_seconds).abs() < 1e-6);
        if cfg!(target_os = "linux") {
            assert!(
                r.peak_bytes.is_some_and(|b| b > 1 << 20),
                "{:?}",
                r.peak_bytes
            );
        }
        let table = markdown(&[
            r.clone(),
            BenchRow {
                threads: 2,
                wall_seconds: r.wall_seconds / 2.0,
                ..r
            },
        ]);
        assert!(
            table.contains("| 200 | 1 | 2 |") && table.contains("2.00×"),
            "{table}"
        );
        assert!(machine().contains("cores"));
    }

    /// The median of an odd number of runs is the middle one, of an even number the faster
    /// of the middle two; the spread is the fastest and slowest; the table shows both.
    #[test]
    fn repeated_runs_report_the_median_and_the_spread() {
        let run = |threads: usize, wall: f64| BenchRow {
            agents: 500,
            years: 1,
            threads,
            wall_seconds: wall,
            agent_months_per_second: 6000.0 / wall,
            peak_bytes: Some(50_000_000),
            before_bytes: Some(10_000_000),
            setup_seconds: 0.0,
            phases: engine::Phases::default(),
            end_seconds: 0.0,
        };
        let wall = |r: &BenchRow| r.wall_seconds;
        let one = median_by(&[run(1, 3.0), run(1, 1.0), run(1, 2.0)], wall).unwrap();
        assert_eq!(
            (one.median.wall_seconds, one.fastest, one.slowest, one.runs),
            (2.0, 1.0, 3.0, 3)
        );
        let two = median_by(&[run(2, 1.5), run(2, 0.5), run(2, 1.0), run(2, 2.0)], wall).unwrap();
        assert_eq!(
            (two.median.wall_seconds, two.fastest, two.slowest),
            (1.0, 0.5, 2.0)
        );
        assert!(median_by(&[] as &[BenchRow], wall).is_none());
        let table = repeated_markdown(&[one, two], &[]);
        assert!(table.contains("fastest–slowest (s) | runs |"), "{table}");
        assert!(
            table.contains("| 500 | 1 | 1 | 2.00 |") && table.contains("| 1.00–3.00 | 3 |"),
            "{table}"
        );
        // The speed-up is from the medians: 2.0 s against 1.0 s.
        assert!(table.contains("| 2.00× | 0.50–2.00 | 4 |"), "{table}");
    }

    #[test]
    fn the_bare_loop_sums_the_same_fen_on_any_thread_count() {
        let one = measure_reference(300, 2, 1).unwrap();
        let two = measure_reference(300, 2, 2).unwrap();
        assert_eq!(one.total_fen, two.total_fen);
        // About 300 staff × 24 months × roughly 40 % of a wage of several thousand yuan.
        assert!(one.total_fen > 300 * 24 * 100_000, "{}", one.total_fen);
        assert!(one.agent_months_per_second > 0.0);
        // Every month's contributions by hand for agent-months the draw leaves paid.
        let mut s = Scenario::default();
        s.simulation.agents = 300;
        s.simulation.years = 2;
        let r = Reference::new(&s);
        assert_eq!(r.agents(), 300);
        let mut by_hand: Fen = 0;
        for m in 0..24 {
            let month = s.simulation.start.plus_months(m);
            for id in 0..300 {
                if Draws::new(s.simulation.seed, id as u64, Purpose::Quit, month.index())
                    .chance(REFERENCE_GAP)
                {
                    continue;
                }
                let region = &s.regions[r.region[id] as usize];
                let rates = s.insurance.resolve(month, &region.name);
                let average = yuan_to_fen(region.average_wage_at(month));
                let base = contribution_base(r.wage[id], limits(average, &rates));
                let c = contributions::monthly(
                    base,
                    housing_fund_base(r.wage[id], average, &rates),
                    r.membership[id],
                    &rates,
                );
                by_hand += c.employer_total() + c.individual_total();
            }
        }
        assert_eq!(by_hand, one.total_fen);
        let full = BenchRow {
            agents: 300,
            years: 2,
            threads: 1,
            wall_seconds: 1.0,
            agent_months_per_second: one.agent_months_per_second / 4.0,
            peak_bytes: None,
            before_bytes: None,
            setup_seconds: 0.0,
            phases: engine::Phases::default(),
            end_seconds: 0.0,
        };
        assert!((full_over_bare(&full, &one) - 4.0).abs() < 1e-9);
        let table = markdown_with_reference(&[full], &[one]);
        assert!(
            table.contains("full/bare") && table.contains("| 4.0× |"),
            "{table}"
        );
    }
}
