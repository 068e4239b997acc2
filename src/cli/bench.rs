//! `sisandbox bench`: throughput of the full model at several sizes and thread counts.

use anyhow::{Context, Result};
use sisandbox::bench::{self, BenchRow, ReferenceRow, Repeated};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Staff sizes to run (comma-separated).
    #[arg(long, value_delimiter = ',', default_values_t = [3_000u32, 100_000, 1_000_000, 3_000_000])]
    pub agents: Vec<u32>,
    /// Horizon of each run in years.
    #[arg(long, default_value_t = 40)]
    pub years: u32,
    /// Thread counts to run each size with (comma-separated).
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 2], value_parser = super::run::threads_arg)]
    pub threads: Vec<usize>,
    /// Also run the bare contribution loop (base clamped to floor and ceiling, the 13 items
    /// rounded to the fen, one keyed draw per agent-month) at every size and thread count, and
    /// print its speed and the ratio full/bare beside the full model's.
    #[arg(long)]
    pub reference: bool,
    /// Run each size and thread count this many times, the thread counts taking turns, and
    /// report each row's median run with the fastest and slowest wall times (the machine's
    /// speed can drift by several per cent between runs).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub repeat: u32,
    /// Also write the table, the machine and the command into this Markdown file.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
}

/// The line after which docs/PERFORMANCE.md holds notes written by hand.
const NOTES: &str = "<!-- notes: kept when the table above is measured again -->";

pub fn run(args: &BenchArgs) -> Result<()> {
    anyhow::ensure!(
        !args.agents.is_empty() && !args.threads.is_empty(),
        "give at least one size and one thread count"
    );
    anyhow::ensure!(args.years >= 1, "--years must be at least 1");
    // Every size is checked against the memory guard before the first is run, like a run.
    let limit = sisandbox::guard::memory_limit()?;
    for &agents in &args.agents {
        let mut s = sisandbox::scenario::Scenario::default();
        s.simulation.agents = agents;
        s.simulation.years = args.years;
        sisandbox::guard::check(&s, agents as u64, &limit)
            .with_context(|| format!("{agents} staff for {} years", args.years))?;
    }
    let machine = bench::machine();
    eprintln!("machine: {machine}");
    let mut runs: Vec<BenchRow> = Vec::new();
    let mut bare_runs: Vec<ReferenceRow> = Vec::new();
    for &agents in &args.agents {
        // Each repetition runs every thread count, so that a drift of the machine's speed
        // falls on all of them alike.
        for rep in 1..=args.repeat {
            for &threads in &args.threads {
                let row = bench::measure(agents, args.years, threads)
                    .with_context(|| format!("{agents} staff on {threads} threads"))?;
                eprint!(
                    "{agents:>9} staff × {} years, {threads} thread(s){}: {:.2} s, {:.2} M agent-months/s",
                    args.years,
                    if args.repeat > 1 { format!(", run {rep} of {}", args.repeat) } else { String::new() },
                    row.wall_seconds,
                    row.agent_months_per_second / 1e6
                );
                if args.reference {
                    let b = bench::measure_reference(agents, args.years, threads).with_context(
                        || format!("bare loop, {agents} staff on {threads} threads"),
                    )?;
                    eprint!(
                        "; bare loop {:.2} s, {:.2} M agent-months/s, full/bare {:.1}×",
                        b.wall_seconds,
                        b.agent_months_per_second / 1e6,
                        bench::full_over_bare(&row, &b)
                    );
                    bare_runs.push(b);
                }
                eprintln!();
                runs.push(row);
            }
        }
    }
    // One row per size and thread count, in the order asked for.
    let mut rows: Vec<Repeated<BenchRow>> = Vec::new();
    let mut bare: Vec<Repeated<ReferenceRow>> = Vec::new();
    for &agents in &args.agents {
        for &threads in &args.threads {
            let of = |r: &BenchRow| (r.agents, r.threads) == (agents, threads);
            let these: Vec<BenchRow> = runs.iter().filter(|r| of(r)).cloned().collect();
            if rows.iter().any(|r| of(&r.median)) {
                continue; // a size or thread count given twice
            }
            rows.extend(bench::median_by(&these, |r| r.wall_seconds));
            let those: Vec<ReferenceRow> = bare_runs
                .iter()
                .filter(|r| (r.agents, r.threads) == (agents, threads))
                .cloned()
                .collect();
            bare.extend(bench::median_by(&those, |r| r.wall_seconds));
        }
    }
    let medians: Vec<BenchRow> = rows.iter().map(|r| r.median.clone()).collect();
    let table = if args.repeat > 1 {
        bench::repeated_markdown(&rows, &bare)
    } else {
        let bare: Vec<ReferenceRow> = bare.into_iter().map(|r| r.median).collect();
        bench::markdown_with_reference(&medians, &bare)
    };
    let phases = bench::phase_markdown(&medians);
    writeln!(std::io::stdout().lock(), "{table}\n{phases}")?;
    if let Some(path) = &args.write {
        // The program by its name, not by the path it was started from on this machine.
        let command = std::iter::once("sisandbox".to_string())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" ");
        // Notes kept by hand below the marker survive a new measurement.
        // Read bounded and only if a regular file (a FIFO or a device would hang or fill
        // memory); a file that is not there yet has no notes.
        let old = match std::fs::symlink_metadata(path) {
            Err(_) => String::new(),
            Ok(_) => {
                let bytes =
                    sisandbox::input::read_bounded(path, sisandbox::input::MAX_CONFIG_BYTES)
                        .with_context(|| format!("reading {}", path.display()))?;
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        let notes = old
            .find(NOTES)
            .map(|i| old[i..].to_string())
            .unwrap_or_default();
        let bare_note = if args.reference {
            " The bare loop (`--reference`) is the monthly contribution work alone on the same initial staff, in the same process: base clamped to floor and ceiling, the 13 items rounded to the fen and one keyed draw per agent-month, no careers, accounts, funds or behaviour; full/bare is how many times slower the full model ran."
        } else {
            ""
        };
        let each = if args.repeat > 1 {
            format!("Each row is the median of {} whole runs (the thread counts taking turns; the fastest and slowest wall times beside it, the other figures and the phases below from the median run) of the default scenario", args.repeat)
        } else {
            "Each row is one whole run of the default scenario".to_string()
        };
        let text = format!(
            "# Performance\n\nMeasured by `{command}` on {machine}.\n\n{each} (full model: insurance rules, perception and behaviour; levers off) from population generation to the last month, output writing excluded. Agent-months are initial staff × months. Peak memory is the process's peak resident memory during that run.{bare_note}\n\n{table}\nWhere each run's wall time went, in seconds: population and preparation (setup), then each phase of the months (the month's rules and rates, the agent phase in ordinary and in evaluation months, the completion of the evaluations against their peers, the resolution phase, the month's rows and ledgers), then the end records (`engine::Phases`).\n\n{phases}\n{notes}"
        );
        sisandbox::output::write_atomic(path, |w| w.write_all(text.as_bytes()))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
