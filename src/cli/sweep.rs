//! `sisandbox sweep SWEEP.toml`: runs a parameter sweep (or one shard of it) into a sweep
//! folder, resuming where an earlier invocation stopped. The work is in
//! `sisandbox::experiment::sweep`.

use super::progress::RunProgress;
use anyhow::{bail, Result};
use sisandbox::experiment::{run_sweep, Shard, SweepOptions, SweepPlan};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// The sweep file (see docs/EXPERIMENTS.md and scenarios/sweeps/).
    pub sweep: PathBuf,
    /// The sweep folder (default: results/sweeps/<name>). Restarting with the same folder
    /// resumes: runs already complete are skipped.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Runs at the same time (0: one per core; at most 1024).
    #[arg(long, short, default_value_t = 0, value_parser = super::run::threads_arg)]
    pub jobs: usize,
    /// Threads inside each run. Results are identical for any value.
    #[arg(long, default_value_t = 1, value_parser = super::run::threads_arg)]
    pub threads: usize,
    /// Run every run again, even those already complete.
    #[arg(long)]
    pub force: bool,
    /// Run only the I-th of N disjoint slices (I from 0). Inside a Slurm array job it defaults
    /// to the task's slice (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT). Join the slices with
    /// `sisandbox merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Check the sweep file and list its variants without running anything.
    #[arg(long)]
    pub dry_run: bool,
    /// No progress output.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &SweepArgs) -> Result<()> {
    let shard = match &args.shard {
        Some(s) => Some(Shard::parse(s).map_err(anyhow::Error::msg)?),
        None => Shard::from_env(|k| std::env::var(k).ok()).map_err(anyhow::Error::msg)?,
    };
    let plan = SweepPlan::load(&args.sweep)?;
    let name = plan.spec.name.clone().unwrap_or_default();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results/sweeps").join(&name));
    if args.dry_run {
        let mut stdout = std::io::stdout().lock();
        writeln!(
            stdout,
            "{name}: {} design, {} variants x {} replications = {} runs, master seed {}",
            plan.design.name(),
            plan.variants.len(),
            plan.replications,
            plan.runs(),
            plan.master_seed
        )?;
        for v in &plan.variants {
            writeln!(stdout, "  variant {:>4}: {}", v.index, plan.describe(v))?;
        }
        return Ok(());
    }
    if out.is_file() {
        bail!("--out {} is a file, not a folder", out.display());
    }
    let quiet = args.quiet;
    let progress = RunProgress::new(name.clone(), quiet);
    let tick = |done: usize, total: usize| progress.tick(done, total);
    let report = run_sweep(
        &plan,
        &SweepOptions {
            out: out.clone(),
            jobs: args.jobs,
            threads: args.threads,
            force: args.force,
            shard,
            progress: Some(&tick),
            cancel: None,
        },
    )?;
    progress.finish();
    if !quiet {
        let slice = match shard {
            Some(s) => format!(" (shard {}/{}: {} runs)", s.index, s.count, report.in_slice),
            None => String::new(),
        };
        eprintln!(
            "{name}: {} runs in all{slice}; ran {}, skipped {} already complete, in {:.2} s",
            report.runs_total,
            report.ran,
            report.skipped,
            progress.seconds()
        );
        if report.assembled {
            eprintln!("tables written to {}", out.display());
        } else {
            eprintln!(
                "shard done; when every shard has finished: sisandbox merge {}",
                out.display()
            );
        }
    }
    Ok(())
}
