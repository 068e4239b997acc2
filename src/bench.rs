//! Throughput measurement: whole runs of the default scenario at several sizes and thread
//! counts, with wall time, agent-months per second and peak memory, and the machine they ran
//! on. `sisandbox bench` prints the table and writes docs/PERFORMANCE.md from it.

use crate::engine::{self, RunOptions};
use crate::population;
use crate::scenario::Scenario;
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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| engine::RunError::Threads {
            threads,
            message: e.to_string(),
        })?;
    let t0 = Instant::now();
    let outcome = pool.install(|| {
        let staff = population::synthetic(&s);
        engine::run(
            &s,
            staff,
            &RunOptions {
                threads,
                ..Default::default()
            },
        )
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
    let mut out = String::from(
        "| staff | years | threads | wall (s) | agent-months/s | peak memory | run's bytes/agent | speed-up vs 1 thread |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
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
            "| {} | {} | {} | {:.2} | {:.2} M | {} | {} | {} |\n",
            r.agents,
            r.years,
            r.threads,
            r.wall_seconds,
            r.agent_months_per_second / 1e6,
            peak,
            per,
            speedup
        );
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
}
