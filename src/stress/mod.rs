//! Stress tests of the funds (`sisandbox stress`): a grid over one or two scenario keys, run
//! through the sweep machinery of [`crate::experiment`] (so it resumes after being killed and
//! shards on Slurm), and a heat map of one metric of each run's series.
//!
//! The grid is written as an ordinary sweep file, `DIR/sweep.toml` (so `sisandbox sweep` can
//! run it too), and run into the sweep folder `DIR/sweep/`. When every run is complete, the
//! metric is computed from each run's files ([`metric`]), the replications of a cell are
//! combined, and the table, the per-run values, the heat map and a manifest are written
//! ([`write`]). The metric is not part of the sweep: asking for another metric in the same
//! folder reuses every run.

pub mod axis;
pub mod metric;
pub mod write;

pub use axis::Axis;
pub use metric::{Metric, MetricSpec, YearValue};

use crate::experiment::store::{self, RunFiles};
use crate::experiment::{
    run_sweep, Design, ParamSpec, Shard, SweepError, SweepPlan, SweepReport, SweepSpec,
};
use crate::scenario::{self, Scenario};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The sweep file written into the stress folder.
pub const SWEEP_FILE: &str = "sweep.toml";
/// The sweep folder inside the stress folder.
pub const SWEEP_DIR: &str = "sweep";
/// Schemes of the pooled funds (the `fund` keys are `region/scheme`).
pub const SCHEMES: [&str; 2] = ["enterprise", "institution"];

/// A stress grid as asked for on the command line, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct StressSpec {
    /// The base scenario file; `None` for the embedded default.
    pub scenario: Option<PathBuf>,
    /// One or two axes: the first is the heat map's x, the second its y.
    pub axes: Vec<Axis>,
    pub metric: MetricSpec,
    pub replications: u32,
    /// Master seed; `None` for the scenario's `simulation.seed`.
    pub seed: Option<u64>,
    /// Fixed `--set` overrides for every run.
    pub set: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StressError {
    /// A bad argument, with a message naming it.
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Scenario(#[from] scenario::ScenarioError),
    #[error(transparent)]
    Sweep(#[from] SweepError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("heat map: {0}")]
    Plot(#[from] crate::plot::PlotError),
}

impl StressSpec {
    /// Checks the arguments against the scenario: the vary keys against the key catalog (see
    /// [`Axis::parse`]), the metric, the fund (`region/scheme` of a region of the scenario),
    /// the year (within the simulated years), the replications. The scenario itself, with every
    /// `set`, must load.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: Option<PathBuf>,
        vary: &[String],
        metric: &str,
        fund: Option<&str>,
        year: Option<i32>,
        replications: u32,
        seed: Option<u64>,
        set: Vec<String>,
    ) -> Result<StressSpec, StressError> {
        let input = |m: String| StressError::Input(m);
        let metric = Metric::parse(metric).map_err(input)?;
        if vary.is_empty() || vary.len() > 2 {
            return Err(input(format!(
                "a heat map has one or two axes: give --vary once or twice (got {})",
                vary.len()
            )));
        }
        let docs = axis::catalog();
        let axes = vary
            .iter()
            .map(|v| Axis::parse(v, &docs))
            .collect::<Result<Vec<_>, _>>()
            .map_err(input)?;
        if axes.len() == 2 && axes[0].key == axes[1].key {
            return Err(input(format!(
                "--vary {}: the key is varied twice; give two different keys",
                axes[0].key
            )));
        }
        if let Some(s) = set.iter().find(|s| {
            let k = s.split_once('=').map_or(s.as_str(), |(k, _)| k).trim();
            axes.iter().any(|a| a.key == k)
        }) {
            return Err(input(format!(
                "--set {s}: the key is also varied; drop one of the two"
            )));
        }
        if replications == 0 {
            return Err(input(
                "--replications 0: at least one replication is needed".into(),
            ));
        }
        if fund.is_some() && !metric.uses_fund() {
            return Err(input(format!(
                "--fund does not apply to --metric {}; it applies to {}",
                metric.name(),
                names(|m| m.uses_fund())
            )));
        }
        if year.is_some() && !metric.uses_year() {
            return Err(input(format!(
                "--year does not apply to --metric {}; it applies to {}",
                metric.name(),
                names(|m| m.uses_year())
            )));
        }
        let base = load_base(scenario.as_deref(), &set)?;
        let fund = match fund {
            None | Some("all") => None,
            Some(f) => {
                let known: Vec<String> = base
                    .regions
                    .iter()
                    .flat_map(|r| SCHEMES.iter().map(move |s| format!("{}/{s}", r.name)))
                    .collect();
                if !known.iter().any(|k| k == f) {
                    return Err(input(format!(
                        "--fund {f}: no such pooled fund in the scenario; one of all, {}",
                        known.join(", ")
                    )));
                }
                Some(f.to_string())
            }
        };
        let varies_time = axes
            .iter()
            .any(|a| a.key == "simulation.years" || a.key == "simulation.start");
        if let (Some(y), false) = (year, varies_time) {
            let first = base.simulation.start.year();
            let last = first + base.simulation.years as i32 - 1;
            if !(first..=last).contains(&y) {
                return Err(input(format!(
                    "--year {y}: outside the simulated years {first} to {last}"
                )));
            }
        }
        Ok(StressSpec {
            scenario,
            axes,
            metric: MetricSpec { metric, fund, year },
            replications,
            seed,
            set,
        })
    }

    /// The sweep file of the grid: no base variant, every run's yearly series kept. The
    /// scenario is named by its absolute path so the file can be read from the stress folder.
    pub fn sweep_text(&self) -> Result<String, StressError> {
        let scenario = match &self.scenario {
            Some(p) => Some(
                std::path::absolute(p)
                    .map_err(|e| StressError::Input(format!("{}: {e}", p.display())))?
                    .to_string_lossy()
                    .into_owned(),
            ),
            None => None,
        };
        let spec = SweepSpec {
            name: Some("stress".into()),
            scenario,
            set: self.set.clone(),
            replications: self.replications,
            seed: self.seed,
            design: Some(Design::Grid),
            samples: None,
            trajectories: None,
            levels: None,
            baseline: Some(false),
            series: Some(true),
            decompose: None,
            parameters: self
                .axes
                .iter()
                .map(|a| ParamSpec {
                    path: a.key.clone(),
                    values: Some(a.values()),
                    range: None,
                    min: None,
                    max: None,
                })
                .collect(),
        };
        let body = toml::to_string(&spec)
            .map_err(|e| StressError::Input(format!("cannot write the sweep file: {e}")))?;
        Ok(format!(
            "# The grid of a sisandbox stress test, as a sweep file (docs/EXPERIMENTS.md).\n{body}"
        ))
    }
}

/// The first line where two sweep files differ, for the error message.
fn first_difference(old: &str, new: &str) -> String {
    old.lines()
        .zip(new.lines())
        .find(|(a, b)| a != b)
        .map_or("the files differ in length".into(), |(a, b)| {
            format!("{SWEEP_FILE} has `{a}`, this grid `{b}`")
        })
}

fn names(keep: impl Fn(Metric) -> bool) -> String {
    Metric::ALL
        .into_iter()
        .filter(|&m| keep(m))
        .map(Metric::name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn load_base(path: Option<&Path>, set: &[String]) -> Result<Scenario, StressError> {
    Ok(match path {
        Some(p) => scenario::load(p, set)?.scenario,
        None => scenario::from_str("", "<embedded default>", set)?.scenario,
    })
}

/// How to run a stress grid.
pub struct StressOptions<'a> {
    /// The stress folder.
    pub out: PathBuf,
    pub jobs: usize,
    pub threads: usize,
    pub force: bool,
    pub shard: Option<Shard>,
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    pub cancel: Option<&'a AtomicBool>,
    /// The command line, recorded in the manifest.
    pub command: String,
}

/// What a stress invocation did.
#[derive(Clone, Debug, PartialEq)]
pub struct StressReport {
    pub sweep: SweepReport,
    /// Files written (empty for a shard, which does not draw).
    pub files: Vec<PathBuf>,
    /// Cells in all, and cells with a value.
    pub cells: usize,
    pub cells_defined: usize,
}

/// One cell of the grid after its runs are done.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub variant: usize,
    /// The value of each axis, as in the sweep's design.csv.
    pub levels: Vec<String>,
    /// One per replication.
    pub runs: Vec<Option<f64>>,
    pub value: Option<f64>,
}

/// Runs the grid (or one shard of it) and, when every run is complete, writes the table, the
/// heat map and the manifest.
pub fn run(spec: &StressSpec, opts: &StressOptions) -> Result<StressReport, StressError> {
    std::fs::create_dir_all(&opts.out).map_err(store::io_err(&opts.out))?;
    let sweep_file = opts.out.join(SWEEP_FILE);
    let text = spec.sweep_text()?;
    if !opts.force {
        if let Ok(old) = std::fs::read_to_string(&sweep_file) {
            if old != text {
                let why = first_difference(&old, &text);
                return Err(StressError::Input(format!(
                    "{} holds a different stress grid ({why}); use --force to start it over, or another --out",
                    opts.out.display()
                )));
            }
        }
    }
    store::write_atomic(&sweep_file, |w| w.write_all(text.as_bytes()))?;
    let plan = SweepPlan::load(&sweep_file).map_err(SweepError::from)?;
    let sweep_dir = opts.out.join(SWEEP_DIR);
    let report = run_sweep(
        &plan,
        &crate::experiment::SweepOptions {
            out: sweep_dir.clone(),
            jobs: opts.jobs,
            threads: opts.threads,
            force: opts.force,
            shard: opts.shard,
            progress: opts.progress,
            cancel: opts.cancel,
        },
    )?;
    if !report.assembled {
        return Ok(StressReport {
            sweep: report,
            files: Vec::new(),
            cells: 0,
            cells_defined: 0,
        });
    }
    let (cells, last_year) = cells(spec, &plan, &sweep_dir)?;
    let files = write::write_all(spec, &plan, &cells, last_year, opts)?;
    Ok(StressReport {
        sweep: report,
        files,
        cells: cells.len(),
        cells_defined: cells.iter().filter(|c| c.value.is_some()).count(),
    })
}

/// Reads a run's yearly series.
pub fn read_series(path: &Path) -> Result<Vec<YearValue>, store::StoreError> {
    let bad = |m: String| store::StoreError {
        path: path.to_path_buf(),
        error: std::io::Error::new(std::io::ErrorKind::InvalidData, m),
    };
    let file = std::fs::File::open(path).map_err(store::io_err(path))?;
    let mut out = Vec::new();
    for rec in csv::Reader::from_reader(std::io::BufReader::new(file)).records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        if rec.len() != 5 {
            return Err(bad(format!("expected 5 fields, got {}", rec.len())));
        }
        let year = rec[0]
            .parse()
            .map_err(|_| bad(format!("bad year {:?}", &rec[0])))?;
        let value = if rec[4].is_empty() {
            f64::NAN
        } else {
            rec[4]
                .parse()
                .map_err(|_| bad(format!("not a number: {:?}", &rec[4])))?
        };
        out.push(YearValue {
            year,
            group: rec[1].to_string(),
            key: rec[2].to_string(),
            metric: rec[3].to_string(),
            value,
        });
    }
    Ok(out)
}

/// The cells of a complete sweep, in variant order, and the last year any run reached.
pub fn cells(
    spec: &StressSpec,
    plan: &SweepPlan,
    sweep_dir: &Path,
) -> Result<(Vec<Cell>, Option<i32>), StressError> {
    let mut out = Vec::with_capacity(plan.variants.len());
    let mut last_year = None;
    for v in &plan.variants {
        let mut runs = Vec::with_capacity(plan.replications);
        for r in 0..plan.replications {
            let files = RunFiles::new(sweep_dir, v.index * plan.replications + r);
            let series = read_series(&files.series)?;
            let summary = store::read_metrics(&files.metrics)?;
            last_year = last_year.max(series.iter().map(|s| s.year).max());
            runs.push(spec.metric.compute(&series, &summary));
        }
        out.push(Cell {
            variant: v.index,
            levels: plan.cells(v),
            value: spec.metric.aggregate(&runs),
            runs,
        });
    }
    Ok((out, last_year))
}
