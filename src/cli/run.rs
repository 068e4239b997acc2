//! `sisandbox run`.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use sisandbox::engine::RunOptions;
use sisandbox::output::{self, RunMeta};
use sisandbox::scenario;
use sisandbox::simulate::simulate;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

const DEFAULT_OUT: &str = "results";

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML). Without it, the embedded default scenario runs.
    pub scenario: Option<PathBuf>,
    /// Master seed (overrides simulation.seed): a whole number 0 to 2^63 − 1.
    #[arg(long, value_parser = seed_arg)]
    pub seed: Option<u64>,
    /// Folder under which the run's own folder is created.
    #[arg(long, default_value = DEFAULT_OUT)]
    pub out: PathBuf,
    /// Worker threads (0: all cores; at most 1024). Results are identical for any value.
    #[arg(long, default_value_t = 0, value_parser = threads_arg)]
    pub threads: usize,
    /// Initial headcount (overrides simulation.agents).
    #[arg(long)]
    pub agents: Option<u32>,
    /// Horizon in years (overrides simulation.years).
    #[arg(long)]
    pub years: Option<u32>,
    /// Set any scenario key by its path, validated like the file: --set careers.conversion_rate=0.05
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also write the monthly per-agent panel (panel.parquet, no identifiers), the input of
    /// `sisandbox risk` (docs/RISK.md).
    #[arg(long)]
    pub panel: bool,
    /// Also write each agent's state at the end of every year and at the last month
    /// (snapshots.csv), so that `sisandbox compare` can compare runs at any of those dates.
    #[arg(long, conflicts_with = "panel")]
    pub snapshots: bool,
    /// Roster runs: write each person's exact facts (birth and hire month, sex, title, wage…)
    /// in agents.csv instead of the k-anonymous coarsening, and every group's rows in
    /// series.csv (sets simulation.roster_exact_agents). agents.csv is then personal data; the
    /// manifest records it.
    #[arg(long)]
    pub exact_agents: bool,
    /// Roster runs: the k of agents.csv's k-anonymity, 2 to 100, and the fewest people a group
    /// of series.csv must have (sets simulation.roster_k_anonymity; default 5).
    #[arg(long, value_name = "K")]
    pub k_anonymity: Option<u32>,
}

impl Default for RunArgs {
    /// What `sisandbox` with no arguments runs: the embedded default scenario into results/.
    fn default() -> Self {
        RunArgs {
            scenario: None,
            seed: None,
            out: PathBuf::from(DEFAULT_OUT),
            threads: 0,
            agents: None,
            years: None,
            set: Vec::new(),
            quiet: false,
            panel: false,
            snapshots: false,
            exact_agents: false,
            k_anonymity: None,
        }
    }
}

/// The most worker threads a command accepts: far above any machine's cores, low enough that
/// a typo (`--threads 1000000`) is an error rather than a million threads.
pub const MAX_THREADS: usize = 1024;

/// Parses `--threads` (0 to [`MAX_THREADS`]).
pub fn threads_arg(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n <= MAX_THREADS => Ok(n),
        _ => Err(format!(
            "expected a whole number of threads 0 to {MAX_THREADS} (0: one per core)"
        )),
    }
}

/// Parses a seed: scenario files and manifests hold it as a TOML integer, so it is a whole
/// number 0 to 2^63 − 1.
pub fn seed_arg(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n <= i64::MAX as u64 => Ok(n),
        _ => Err(format!(
            "expected a whole number 0 to {} (2^63 − 1): seeds are stored as TOML integers",
            i64::MAX
        )),
    }
}

impl RunArgs {
    /// `--seed`, `--agents` and `--years` are shorthands for `--set`, validated the same way.
    fn overrides(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(s) = self.seed {
            v.push(format!("simulation.seed={s}"));
        }
        if let Some(a) = self.agents {
            v.push(format!("simulation.agents={a}"));
        }
        if let Some(y) = self.years {
            v.push(format!("simulation.years={y}"));
        }
        if let Some(k) = self.k_anonymity {
            v.push(format!("simulation.roster_k_anonymity={k}"));
        }
        if self.exact_agents {
            v.push("simulation.roster_exact_agents=true".into());
        }
        v.extend(self.set.iter().cloned());
        v
    }
}

pub fn run(args: &RunArgs) -> Result<()> {
    let overrides = args.overrides();
    let loaded = match &args.scenario {
        Some(path) => scenario::load(path, &overrides)?,
        None => scenario::from_str("", "<embedded default>", &overrides)?,
    };
    let s = &loaded.scenario;
    let months = s.simulation.years * 12;
    let bar = progress_bar(args.quiet, months as u64);
    let tick = |done: u32, _total: u32| bar.set_position(done as u64);
    let t0 = Instant::now();
    let scenario_dir = args.scenario.as_ref().and_then(|p| p.parent());
    let opts = RunOptions {
        threads: args.threads,
        progress: Some(&tick),
        cancel: None,
    };
    let mut snapshots = None;
    let (outcome, panel) = if args.panel {
        let (outcome, panel) = super::risk::run_with_panel(s, scenario_dir, &opts)?;
        (outcome, Some(panel))
    } else if args.snapshots {
        let (outcome, rows) = sisandbox::simulate::simulate_with_snapshots(s, scenario_dir, &opts)?;
        snapshots = Some(rows);
        (outcome, None)
    } else {
        (simulate(s, scenario_dir, &opts)?, None)
    };
    let wall = t0.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let threads = if args.threads == 0 {
        rayon::current_num_threads()
    } else {
        args.threads
    };
    let meta = RunMeta {
        seed: s.simulation.seed,
        threads,
        wall_seconds: wall,
        scenario_files: loaded.files.clone(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let dir = output::fresh_dir(&args.out, &format!("{}-seed{}", s.name, s.simulation.seed));
    // agents.csv is formatted on the run's threads, not on every core.
    let pool = sisandbox::engine::thread_pool(args.threads)?;
    let privacy = pool
        .install(|| output::write_run_report(&dir, s, &outcome, &meta))
        .with_context(|| format!("writing results to {}", dir.display()))?;
    if let Some(p) = &privacy {
        // Said even with --quiet: what a roster run's agents.csv shows, or that it is personal data.
        eprintln!("{}", p.summary());
    }
    if let Some(panel) = &panel {
        super::risk::write_panel(&dir, s, panel)?;
    }
    if let Some(rows) = &snapshots {
        use sisandbox::experiment::snapshot::{write_into_run, SNAPSHOT_FILE};
        write_into_run(&dir, s, rows)
            .with_context(|| format!("writing {}", dir.join(SNAPSHOT_FILE).display()))?;
    }
    if !args.quiet {
        let staff_months = outcome.info.agents_initial as f64 * months as f64;
        eprintln!(
            "{}: {} staff, {} months in {:.2} s ({:.1} M staff-months/s) -> {}",
            s.name,
            outcome.info.agents_initial,
            months,
            wall,
            staff_months / wall.max(1e-9) / 1e6,
            dir.display()
        );
    }
    Ok(())
}

fn progress_bar(quiet: bool, months: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(months);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {bar:40} {pos}/{len} months {elapsed_precise} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
