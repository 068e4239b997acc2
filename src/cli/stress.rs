//! `sisandbox stress [SCENARIO] --vary KEY=LOW..HIGH:STEPS [--vary ...] --metric METRIC --out DIR`:
//! a stress grid over one or two scenario keys, run as a resumable, shardable sweep, drawn as
//! a heat map. The work is in `sisandbox::stress`.

use super::progress::RunProgress;
use anyhow::{bail, Result};
use sisandbox::experiment::Shard;
use sisandbox::stress::{self, StressOptions, StressSpec};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct StressArgs {
    /// The base scenario file (default: the embedded default scenario).
    pub scenario: Option<PathBuf>,
    /// An axis of the grid: a numeric scenario key (as for --set), its lowest and highest value
    /// and the number of evenly spaced steps, both ends included, e.g.
    /// `insurance.pension.enterprise_employer_rate=0.12..0.20:5`. Once for a strip, twice for a
    /// grid (the first across, the second up).
    #[arg(long, value_name = "KEY=LOW..HIGH:STEPS", required = true)]
    pub vary: Vec<String>,
    /// What to map: exhaustion_year, fiscal_subsidy, fund_balance, balance_ratio,
    /// dependency_ratio, employer_cost or replacement_rate (docs/PLANNER.md §4 defines each).
    #[arg(long)]
    pub metric: String,
    /// The pooled fund of the fund metrics, `region/scheme` (e.g. `sichuan/enterprise`), or
    /// `all` (default) for every pooled fund of the scenario together.
    #[arg(long)]
    pub fund: Option<String>,
    /// The year read by fiscal_subsidy, fund_balance, balance_ratio, dependency_ratio and
    /// employer_cost (default: the last simulated year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Replications of every cell (seeds seed, seed+1, ...; common random numbers across cells).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub replications: u32,
    /// Master seed (default: the scenario's simulation.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// A fixed override for every run, validated like the scenario file, e.g.
    /// `--set simulation.agents=500`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The stress folder: the sweep file, the sweep folder with every run, the table, the heat
    /// map and the manifest. Restarting with the same folder resumes.
    #[arg(long)]
    pub out: PathBuf,
    /// Runs at the same time (0: one per core; at most 1024).
    #[arg(long, short, default_value_t = 0, value_parser = super::run::threads_arg)]
    pub jobs: usize,
    /// Threads inside each run. Results are identical for any value.
    #[arg(long, default_value_t = 1, value_parser = super::run::threads_arg)]
    pub threads: usize,
    /// Run every run again, and replace a different grid in the folder.
    #[arg(long)]
    pub force: bool,
    /// Run only the I-th of N disjoint slices of the runs (I from 0); inside a Slurm array job
    /// the task's slice by default. Rerun without --shard (or with --shard 0/1) when every
    /// slice is done to draw the heat map.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// No progress output.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &StressArgs) -> Result<()> {
    let shard = match &args.shard {
        Some(s) => Some(Shard::parse(s).map_err(anyhow::Error::msg)?),
        None => Shard::from_env(|k| std::env::var(k).ok()).map_err(anyhow::Error::msg)?,
    };
    if args.out.is_file() {
        bail!("--out {} is a file, not a folder", args.out.display());
    }
    let spec = StressSpec::new(
        args.scenario.clone(),
        &args.vary,
        &args.metric,
        args.fund.as_deref(),
        args.year,
        args.replications,
        args.seed,
        args.set.clone(),
    )?;
    let quiet = args.quiet;
    let progress = RunProgress::new("stress", quiet);
    let tick = |done: usize, total: usize| progress.tick(done, total);
    let command = std::iter::once("sisandbox".to_string())
        .chain(std::env::args().skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    let report = stress::run(
        &spec,
        &StressOptions {
            out: args.out.clone(),
            jobs: args.jobs,
            threads: args.threads,
            force: args.force,
            shard,
            progress: Some(&tick),
            cancel: None,
            command,
        },
    )?;
    progress.finish();
    if !quiet {
        let s = &report.sweep;
        eprintln!(
            "stress: {} runs in all; ran {}, skipped {} already complete, in {:.2} s",
            s.runs_total,
            s.ran,
            s.skipped,
            progress.seconds()
        );
        if s.assembled {
            eprintln!(
                "{} of {} cells have a value",
                report.cells_defined, report.cells
            );
        } else {
            eprintln!(
                "shard done; when every shard has finished, run the same command without --shard to draw the heat map"
            );
        }
    }
    let mut out = String::new();
    for f in &report.files {
        out.push_str(&format!("wrote {}\n", f.display()));
    }
    use std::io::Write;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}
