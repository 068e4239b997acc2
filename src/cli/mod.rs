//! Command-line interface: parse, call the library, print. No model logic lives here.

mod audit;
mod bench;
mod budget;
mod calibrate;
mod compare;
mod makeup;
mod merge;
mod pension;
mod plan;
mod plot;
mod progress;
mod rates;
mod reproduce;
mod risk;
mod run;
mod stress;
mod sweep;
mod synth_hr;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Agent-based policy simulation sandbox for the social insurance of Chinese university staff.
///
/// With no subcommand, runs the embedded default scenario (one university of about 3,000 staff,
/// 40 years, monthly) and writes its results under results/.
#[derive(Parser, Debug)]
#[command(name = "sisandbox", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario and write its time series, per-agent records and manifest.
    Run(run::RunArgs),
    /// One-person pension calculator: statutory age, divisor, eligibility and every component.
    Pension(pension::PensionArgs),
    /// Every contribution rate and pension rule in force for a region in a month, with sources.
    Rates(rates::RatesArgs),
    /// Print generated documentation (the scenario key reference) to standard output.
    Docs(DocsArgs),
    /// Run a parameter sweep (grid, Latin hypercube or Morris) with replications; resumable
    /// and shardable (docs/EXPERIMENTS.md).
    Sweep(sweep::SweepArgs),
    /// Join the shards of a sweep and write its tables.
    Merge(merge::MergeArgs),
    /// Compare the outcome distributions of run folders side by side.
    Compare(compare::CompareArgs),
    /// Figures for papers (PNG and SVG) from run or sweep folders.
    Plot(plot::PlotArgs),
    /// Re-run a run from its manifest and check every output's SHA-256.
    Reproduce(reproduce::ReproduceArgs),
    /// Fit behavioural parameters to published moments by the simulated method of moments
    /// (docs/CALIBRATION.md); `--reproduce MANIFEST` re-runs a fit and checks its outputs.
    Calibrate(calibrate::CalibrateArgs),
    /// Life-cycle planner for one person: percentile curves of balances, pension,
    /// replacement rate and money's worth over stochastic macro paths, options side by side.
    Plan(plan::PlanArgs),
    /// Stress test of the funds: a grid over one or two scenario keys, run as a resumable,
    /// shardable sweep, and a heat map of a metric (docs/PLANNER.md).
    Stress(stress::StressArgs),
    /// Throughput of the full model: agent-months per second, wall time and peak memory at
    /// several sizes and thread counts (docs/PERFORMANCE.md).
    Bench(bench::BenchArgs),
    /// Early warning of contribution interruptions (train, evaluate, score, audit): runs the
    /// separate `sisandbox-risk` executable (docs/RISK.md).
    Risk(risk::RiskArgs),
    /// Office: reconcile payroll, insurance declarations and finance payments (docs/OFFICE.md).
    Audit(audit::AuditArgs),
    /// Office: make-up (补差) after a new average wage or rate is published.
    Makeup(makeup::MakeupArgs),
    /// Office: next year's contributions from a roster, with a range over replications.
    Budget(budget::BudgetArgs),
    /// Office: realistic payroll, insurance and finance files with known anomalies.
    SynthHr(synth_hr::SynthHrArgs),
}

#[derive(clap::Args, Debug)]
struct DocsArgs {
    /// Which document: `scenarios` (docs/SCENARIOS.md).
    #[arg(value_parser = ["scenarios"], default_value = "scenarios")]
    which: String,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => run::run(&run::RunArgs::default()),
        Some(Command::Run(args)) => run::run(&args),
        Some(Command::Pension(args)) => pension::run(&args),
        Some(Command::Rates(args)) => rates::run(&args),
        Some(Command::Docs(_)) => {
            use std::io::Write;
            let text = sisandbox::scenario::scenarios_markdown();
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(Into::into)
        }
        Some(Command::Sweep(args)) => sweep::run(&args),
        Some(Command::Merge(args)) => merge::run(&args),
        Some(Command::Compare(args)) => compare::run(&args),
        Some(Command::Plot(args)) => plot::run(&args),
        Some(Command::Reproduce(args)) => reproduce::run(&args),
        Some(Command::Calibrate(args)) => calibrate::run(&args),
        Some(Command::Bench(args)) => bench::run(&args),
        Some(Command::Risk(args)) => risk::run(&args),
        Some(Command::Plan(args)) => plan::run(&args),
        Some(Command::Stress(args)) => stress::run(&args),
        Some(Command::Audit(args)) => audit::run(&args),
        Some(Command::Makeup(args)) => makeup::run(&args),
        Some(Command::Budget(args)) => budget::run(&args),
        Some(Command::SynthHr(args)) => synth_hr::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of standard output went away (`sisandbox compare … | head`): nothing is
        // wrong and nobody is listening, so stop quietly.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether an error comes from writing to a pipe whose reader has gone.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
