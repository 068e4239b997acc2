//! `sisandbox-risk`: early warning of contribution interruptions from sisandbox panels and HR
//! history files. An LSTM and a transparent logistic baseline; see docs/RISK.md.

mod audit;
mod data;
mod dataset;
mod evaluate;
mod figures;
mod history;
mod io;
mod logistic;
mod lstm;
mod metrics;
mod model;
mod score;
mod train;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Early warning of contribution interruptions: train, evaluate, score and audit models.
#[derive(Parser, Debug)]
#[command(name = "sisandbox-risk", version, about, long_about)]
struct Cli {
    /// Worker threads (0: all cores). Results are byte-identical for the same seed and number.
    #[arg(long, global = true, default_value_t = 0)]
    threads: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a model (LSTM or logistic, with the logistic baseline beside it) on run panels.
    Train(train::TrainArgs),
    /// AUC, PR-AUC and Brier score of the model and the baseline on a run of another seed.
    Evaluate(evaluate::EvaluateArgs),
    /// Red, orange and yellow warnings with reasons and actions for a run or an HR file.
    Score(score::ScoreArgs),
    /// Performance and warning rates by track, sex, age band and region; a model card.
    Audit(audit::AuditArgs),
}

/// A progress bar on a terminal, hidden otherwise.
pub fn progress(quiet: bool, len: u64, unit: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    let template =
        format!("{{spinner}} {{bar:40}} {{pos}}/{{len}} {unit} {{elapsed_precise}} {{msg}}");
    bar.set_style(
        indicatif::ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let threads = if cli.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        cli.threads
    };
    if let Err(e) = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
    {
        eprintln!("error: could not start {threads} worker threads: {e}");
        return ExitCode::from(2);
    }
    let result = match &cli.command {
        Command::Train(a) => train::run(a, threads),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Score(a) => score::run(a),
        Command::Audit(a) => audit::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
