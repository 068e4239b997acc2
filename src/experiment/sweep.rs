//! Running a sweep and assembling its tables.
//!
//! Scheduling: runs go in parallel across `jobs` worker threads, each taking the next run in
//! run order, and each run single-threaded by default (`threads`). Each finished run is written at once to its own small
//! files (see [`super::store`]) and dropped, so memory holds at most `jobs` runs whatever the
//! size of the sweep. A restart skips runs whose files are complete. The tables are assembled
//! from the per-run files in run order, so they do not depend on the thread counts, the order
//! runs finish in, the shard split, or interruptions.

use super::morris::{elementary_effects, morris_stats};
use super::spec::{Design, SpecError, SweepPlan, SweepSpec};
use super::stats::{csv_line, fmt, fmt_opt, mean_ci, quantiles, QUANTILES};
use super::store::{self, RunFiles, StoreError, DESIGN, PLAN, RUNS_DIR, TABLES};
use super::summary::{agent_outcomes, run_metrics, yearly_series, AgentOutcome, PAIRED_METRICS};
use crate::engine::RunOptions;
use crate::simulate::{simulate, SimulateError};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The `I`-th of `N` disjoint slices of a sweep's runs (run `id` belongs to slice `id mod N`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `I/N` with 0 ≤ I < N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("--shard {text}: expected I/N, e.g. 0/4"))?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text}: I is not a number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text}: N is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "--shard {text}: need 0 <= I < N (slices are numbered from 0)"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The slice of a Slurm array task: `SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN` of
    /// `SLURM_ARRAY_TASK_COUNT`. `Ok(None)` outside an array job.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let Some(id) = get("SLURM_ARRAY_TASK_ID") else {
            return Ok(None);
        };
        let num = |name: &str, v: Option<String>| -> Result<usize, String> {
            let v = v.ok_or_else(|| format!("SLURM_ARRAY_TASK_ID is set but {name} is not"))?;
            v.trim()
                .parse()
                .map_err(|_| format!("{name}={v:?} is not a number"))
        };
        let id = num("SLURM_ARRAY_TASK_ID", Some(id))?;
        let count = num("SLURM_ARRAY_TASK_COUNT", get("SLURM_ARRAY_TASK_COUNT"))?;
        let min = match get("SLURM_ARRAY_TASK_MIN") {
            Some(v) => num("SLURM_ARRAY_TASK_MIN", Some(v))?,
            None => 0,
        };
        let step = match get("SLURM_ARRAY_TASK_STEP") {
            Some(v) => num("SLURM_ARRAY_TASK_STEP", Some(v))?.max(1),
            None => 1,
        };
        if id < min || (id - min) % step != 0 {
            return Err(format!(
                "SLURM_ARRAY_TASK_ID={id} does not fit SLURM_ARRAY_TASK_MIN={min} and STEP={step}"
            ));
        }
        Shard::parse(&format!("{}/{count}", (id - min) / step)).map(Some)
    }

    pub fn contains(&self, id: usize) -> bool {
        id % self.count == self.index
    }
}

/// How to run a sweep.
pub struct SweepOptions<'a> {
    /// The sweep folder.
    pub out: PathBuf,
    /// Runs at the same time (0: one per core).
    pub jobs: usize,
    /// Threads inside each run (results are identical for any value).
    pub threads: usize,
    /// Run every run of the slice again, even those already complete.
    pub force: bool,
    pub shard: Option<Shard>,
    /// Called after each run with (runs done, runs to do in this invocation).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
    /// Set to stop starting new runs (runs in flight finish and are kept).
    pub cancel: Option<&'a AtomicBool>,
}

/// What a sweep invocation did.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepReport {
    pub runs_total: usize,
    /// Runs of this invocation's slice (all runs without a shard).
    pub in_slice: usize,
    /// Runs of the slice found complete and skipped.
    pub skipped: usize,
    pub ran: usize,
    /// Whether the tables were written (an unsharded sweep with every run complete).
    pub assembled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{dir} holds a different sweep ({why}); use --force to start it over, or another --out"
    )]
    DifferentSweep { dir: PathBuf, why: String },
    #[error("{dir}: not a sweep folder (no {PLAN})")]
    NotASweep { dir: PathBuf },
    #[error("{dir}/{PLAN}: {message}")]
    BadPlan { dir: PathBuf, message: String },
    #[error("run {id} ({what}): {error}")]
    Run {
        id: usize,
        what: String,
        error: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{missing} of {total} runs are not complete (first missing: {first}); run the remaining shards (or the sweep) first")]
    Incomplete {
        missing: usize,
        total: usize,
        first: String,
    },
    #[error("the sweep was cancelled; {done} runs finished and are kept")]
    Cancelled { done: usize },
}

/// The text of `plan.toml`: everything the per-run files depend on.
pub fn plan_text(plan: &SweepPlan) -> String {
    let mut root = toml::Table::new();
    root.insert(
        "sisandbox_version".into(),
        toml::Value::String(crate::version().into()),
    );
    root.insert(
        "base_scenario_sha256".into(),
        toml::Value::String(plan.base_sha256.clone()),
    );
    root.insert(
        "variants".into(),
        toml::Value::Integer(plan.variants.len() as i64),
    );
    root.insert("runs".into(), toml::Value::Integer(plan.runs() as i64));
    let spec = toml::Value::try_from(&plan.spec).unwrap_or(toml::Value::Table(Default::default()));
    root.insert("sweep".into(), spec);
    format!(
        "# A sisandbox sweep folder: the plan its runs were made from. Do not edit.\n{}",
        toml::to_string(&root).unwrap_or_default()
    )
}

/// Reads a sweep folder's plan (no scenario is loaded).
pub fn read_plan(dir: &Path) -> Result<(SweepPlan, String), SweepError> {
    let path = dir.join(PLAN);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(SweepError::NotASweep {
                dir: dir.to_path_buf(),
            })
        }
        Err(e) => return Err(store::io_err(&path)(e).into()),
    };
    let bad = |message: String| SweepError::BadPlan {
        dir: dir.to_path_buf(),
        message,
    };
    let mut root: toml::Table = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let version = root
        .get("sisandbox_version")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    if version != crate::version() {
        return Err(bad(format!(
            "made by sisandbox {version}, this is {}; runs of two versions do not mix",
            crate::version()
        )));
    }
    let base_sha256 = root
        .get("base_scenario_sha256")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let spec_value = root
        .remove("sweep")
        .ok_or_else(|| bad("no [sweep] table".into()))?;
    let spec: SweepSpec = spec_value
        .try_into()
        .map_err(|e: toml::de::Error| bad(e.to_string()))?;
    let mut plan = SweepPlan::from_normal_spec(spec, &path)?;
    plan.base_sha256 = base_sha256;
    Ok((plan, text))
}

fn is_tmp_or_table(name: &str) -> bool {
    TABLES.contains(&name) || (name.starts_with('.') && name.ends_with(".tmp"))
}

/// Removes the assembled tables and stale temporaries of a sweep folder (not the runs).
fn remove_tables(dir: &Path) -> Result<(), StoreError> {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if is_tmp_or_table(&name) && e.path().is_file() {
                fs::remove_file(e.path()).map_err(store::io_err(&e.path()))?;
            }
        }
    }
    Ok(())
}

/// Sets up the sweep folder: checks or writes the plan, writes the design.
fn prepare(plan: &SweepPlan, opts: &SweepOptions) -> Result<(), SweepError> {
    let dir = &opts.out;
    let runs = dir.join(RUNS_DIR);
    fs::create_dir_all(&runs).map_err(store::io_err(&runs))?;
    let text = plan_text(plan);
    let plan_path = dir.join(PLAN);
    let sharded = opts.shard.is_some_and(|s| s.count > 1);
    match fs::read_to_string(&plan_path) {
        Ok(old) if old == text => {
            if opts.force && !sharded {
                fs::remove_dir_all(&runs).map_err(store::io_err(&runs))?;
                fs::create_dir_all(&runs).map_err(store::io_err(&runs))?;
            }
        }
        Ok(old) => {
            if !opts.force {
                let why = first_difference(&old, &text);
                return Err(SweepError::DifferentSweep {
                    dir: dir.clone(),
                    why,
                });
            }
            if !sharded {
                fs::remove_dir_all(&runs).map_err(store::io_err(&runs))?;
                fs::create_dir_all(&runs).map_err(store::io_err(&runs))?;
            }
            store::write_atomic(&plan_path, |w| w.write_all(text.as_bytes()))?;
        }
        Err(_) => store::write_atomic(&plan_path, |w| w.write_all(text.as_bytes()))?,
    }
    if !sharded {
        // Nobody else writes here: clear leftovers of interrupted writes and stale tables.
        remove_tables(dir)?;
        store::remove_stale_temporaries(&runs)?;
    }
    write_design(plan, &dir.join(DESIGN))?;
    Ok(())
}

/// The first line where two plans differ, for the error message.
fn first_difference(old: &str, new: &str) -> String {
    for (a, b) in old.lines().zip(new.lines()) {
        if a != b {
            return format!("plan.toml has `{a}`, this sweep `{b}`");
        }
    }
    "the plans differ in length".into()
}

fn param_header(plan: &SweepPlan) -> Vec<String> {
    plan.parameters.clone()
}

fn write_design(plan: &SweepPlan, path: &Path) -> Result<(), StoreError> {
    let morris = plan.design == Design::Morris;
    store::write_atomic(path, |w| {
        let mut h = vec!["variant".to_string()];
        h.extend(param_header(plan));
        if morris {
            h.extend(["trajectory".into(), "step".into(), "moved".into()]);
        }
        writeln!(w, "{}", csv_line(&h))?;
        for v in &plan.variants {
            let mut f = vec![v.index.to_string()];
            f.extend(plan.cells(v));
            if let Some((t, s, moved)) = v.morris {
                f.push(t.to_string());
                f.push(s.to_string());
                f.push(
                    moved
                        .map(|(p, _)| plan.parameters[p].clone())
                        .unwrap_or_default(),
                );
            }
            writeln!(w, "{}", csv_line(&f))?;
        }
        Ok(())
    })
}

/// Runs one run and writes its files (metrics last).
fn run_one(plan: &SweepPlan, out: &Path, id: usize, threads: usize) -> Result<(), SweepError> {
    let (v, r) = plan.locate(id);
    let variant = &plan.variants[v];
    let what = format!("variant {v} ({}), replication {r}", plan.describe(variant));
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| SweepError::Run {
        id,
        what: what.clone(),
        error: e,
    };
    let s = plan
        .load_scenario(&plan.overrides(variant, r))
        .map_err(|e| fail(Box::new(e)))?;
    let scenario_path = plan.scenario_path();
    let scenario_dir = scenario_path.as_deref().and_then(Path::parent);
    let outcome = simulate(
        &s,
        scenario_dir,
        &RunOptions {
            threads,
            progress: None,
            cancel: None,
        },
    )
    .map_err(|e: SimulateError| fail(Box::new(e)))?;
    let files = RunFiles::new(out, id);
    if plan.series {
        store::write_series(&files.series, &yearly_series(&outcome))?;
    }
    if plan.baseline {
        store::write_agent_outcomes(&files.agents, &agent_outcomes(&outcome))?;
    }
    let metrics = run_metrics(&s, &outcome);
    drop(outcome);
    store::write_metrics(&files.metrics, &metrics)?;
    Ok(())
}

/// Runs a sweep (or one shard of it) into `opts.out`, skipping complete runs, and assembles
/// the tables when every run is complete and no shard was given.
pub fn run_sweep(plan: &SweepPlan, opts: &SweepOptions) -> Result<SweepReport, SweepError> {
    prepare(plan, opts)?;
    let total = plan.runs();
    let slice: Vec<usize> = (0..total)
        .filter(|&id| opts.shard.is_none_or(|s| s.contains(id)))
        .collect();
    let todo: Vec<usize> = slice
        .iter()
        .copied()
        .filter(|&id| opts.force || !RunFiles::new(&opts.out, id).complete())
        .collect();
    let skipped = slice.len() - todo.len();
    let done = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let jobs = match opts.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(todo.len().max(1));
    let threads = opts.threads.max(1);
    // Plain threads pulling run ids in order, not a rayon pool: each run starts its own rayon
    // pool, and a rayon worker waiting on another pool would start further runs meanwhile
    // (work stealing), so memory would no longer be bounded by `jobs` runs.
    let worker = || -> Result<(), SweepError> {
        loop {
            if failed.load(Ordering::Relaxed) {
                return Ok(());
            }
            if opts.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(SweepError::Cancelled {
                    done: done.load(Ordering::Relaxed),
                });
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&id) = todo.get(i) else {
                return Ok(());
            };
            if let Err(e) = run_one(plan, &opts.out, id, threads) {
                failed.store(true, Ordering::Relaxed);
                return Err(e);
            }
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = opts.progress {
                p(n, todo.len());
            }
        }
    };
    let results: Vec<Result<(), SweepError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(SweepError::Run {
                        id: 0,
                        what: "a worker thread".into(),
                        error: "panicked".into(),
                    })
                })
            })
            .collect()
    });
    // The first error in worker order; every error leaves the completed runs in place.
    results
        .into_iter()
        .collect::<Result<Vec<()>, SweepError>>()?;
    let sharded = opts.shard.is_some_and(|s| s.count > 1);
    let assembled = !sharded;
    if assembled {
        assemble_plan(plan, &opts.out)?;
    }
    Ok(SweepReport {
        runs_total: total,
        in_slice: slice.len(),
        skipped,
        ran: todo.len(),
        assembled,
    })
}

/// Assembles the tables of a complete sweep folder from its per-run files.
pub fn assemble(dir: &Path) -> Result<(), SweepError> {
    let (plan, _) = read_plan(dir)?;
    assemble_plan(&plan, dir)
}

/// Joins shard folders into `target`: copies each run missing from `target` from the first
/// source that has it complete, then assembles the tables. The result is byte-identical to an
/// unsharded sweep. Returns the number of runs copied.
pub fn merge(target: &Path, sources: &[PathBuf]) -> Result<usize, SweepError> {
    let target_plan = target.join(PLAN);
    if !target_plan.is_file() {
        let Some(first) = sources.first() else {
            return Err(SweepError::NotASweep {
                dir: target.to_path_buf(),
            });
        };
        let (_, text) = read_plan(first)?;
        let runs = target.join(RUNS_DIR);
        fs::create_dir_all(&runs).map_err(store::io_err(&runs))?;
        store::write_atomic(&target_plan, |w| w.write_all(text.as_bytes()))?;
    }
    let (plan, text) = read_plan(target)?;
    for s in sources {
        let (_, other) = read_plan(s)?;
        if other != text {
            return Err(SweepError::DifferentSweep {
                dir: s.clone(),
                why: first_difference(&other, &text),
            });
        }
    }
    let runs = target.join(RUNS_DIR);
    fs::create_dir_all(&runs).map_err(store::io_err(&runs))?;
    store::remove_stale_temporaries(&runs)?;
    remove_tables(target)?;
    let mut copied = 0;
    for id in 0..plan.runs() {
        let to = RunFiles::new(target, id);
        if to.complete() {
            continue;
        }
        let Some(from) = sources
            .iter()
            .map(|s| RunFiles::new(s, id))
            .find(RunFiles::complete)
        else {
            continue;
        };
        let copy = |a: &Path, b: &Path| -> Result<(), StoreError> {
            let bytes = fs::read(a).map_err(store::io_err(a))?;
            store::write_atomic(b, |w| w.write_all(&bytes))
        };
        if plan.series {
            copy(&from.series, &to.series)?;
        }
        if plan.baseline {
            copy(&from.agents, &to.agents)?;
        }
        copy(&from.metrics, &to.metrics)?;
        copied += 1;
    }
    write_design(&plan, &target.join(DESIGN))?;
    assemble_plan(&plan, target)?;
    Ok(copied)
}

fn check_complete(plan: &SweepPlan, dir: &Path) -> Result<(), SweepError> {
    let missing: Vec<usize> = (0..plan.runs())
        .filter(|&id| !RunFiles::new(dir, id).complete())
        .collect();
    if let Some(&first) = missing.first() {
        let (v, r) = plan.locate(first);
        return Err(SweepError::Incomplete {
            missing: missing.len(),
            total: plan.runs(),
            first: format!("run {first}: variant {v}, replication {r}"),
        });
    }
    Ok(())
}

/// The leading columns of a run's rows: run, variant, replication, seed, parameter values.
fn run_prefix(plan: &SweepPlan, id: usize) -> String {
    let (v, r) = plan.locate(id);
    let mut f = vec![
        id.to_string(),
        v.to_string(),
        r.to_string(),
        plan.seed(r).to_string(),
    ];
    f.extend(plan.cells(&plan.variants[v]));
    csv_line(&f)
}

fn variant_prefix(plan: &SweepPlan, v: usize) -> Vec<String> {
    let mut f = vec![v.to_string()];
    f.extend(plan.cells(&plan.variants[v]));
    f
}

type MetricKey = (String, String, String);

fn assemble_plan(plan: &SweepPlan, dir: &Path) -> Result<(), SweepError> {
    check_complete(plan, dir)?;
    let params = param_header(plan);
    let head = |tail: &[&str]| {
        let mut h: Vec<String> = ["run", "variant", "replication", "seed"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        h.extend(params.iter().cloned());
        h.extend(tail.iter().map(|s| s.to_string()));
        csv_line(&h)
    };
    let io = |path: &Path| {
        let p = path.to_path_buf();
        move |e: StoreError| std::io::Error::other(format!("{}: {}", p.display(), e.error))
    };
    // runs.csv and series.csv: the per-run files, prefixed, in run order.
    store::write_atomic(&dir.join("runs.csv"), |w| {
        writeln!(w, "{}", head(&["group", "key", "metric", "value"]))?;
        for id in 0..plan.runs() {
            let f = RunFiles::new(dir, id);
            store::copy_lines(&f.metrics, &run_prefix(plan, id), w).map_err(io(&f.metrics))?;
        }
        Ok(())
    })?;
    if plan.series {
        store::write_atomic(&dir.join("series.csv"), |w| {
            writeln!(w, "{}", head(&["year", "group", "key", "metric", "value"]))?;
            for id in 0..plan.runs() {
                let f = RunFiles::new(dir, id);
                store::copy_lines(&f.series, &run_prefix(plan, id), w).map_err(io(&f.series))?;
            }
            Ok(())
        })?;
    }
    // summary.csv: across replications, one variant at a time, streamed. Morris keeps each
    // variant's means for the elementary effects.
    let morris = plan.design == Design::Morris;
    let mut means: Vec<HashMap<MetricKey, f64>> = Vec::new();
    let mut order: Vec<MetricKey> = Vec::new();
    store::write_atomic(&dir.join("summary.csv"), |w| {
        let mut h = vec!["variant".to_string()];
        h.extend(params.iter().cloned());
        h.extend(
            [
                "group",
                "key",
                "metric",
                "n",
                "mean",
                "sd",
                "ci95_low",
                "ci95_high",
            ]
            .map(String::from),
        );
        writeln!(w, "{}", csv_line(&h))?;
        for v in 0..plan.variants.len() {
            let mut keys: Vec<MetricKey> = Vec::new();
            let mut values: HashMap<MetricKey, Vec<f64>> = HashMap::new();
            for r in 0..plan.replications {
                let f = RunFiles::new(dir, v * plan.replications + r);
                for m in store::read_metrics(&f.metrics).map_err(to_io)? {
                    let k = (m.group, m.key, m.metric);
                    let e = values.entry(k.clone()).or_default();
                    if e.is_empty() {
                        keys.push(k);
                    }
                    e.push(m.value);
                }
            }
            let mut vmeans = HashMap::new();
            for k in keys {
                let Some(s) = mean_ci(&values[&k]) else {
                    continue;
                };
                let mut f = variant_prefix(plan, v);
                f.extend([k.0.clone(), k.1.clone(), k.2.clone()]);
                f.push(s.n.to_string());
                f.push(fmt(s.mean));
                f.push(fmt_opt(s.sd));
                f.push(fmt_opt(s.ci.map(|c| c.0)));
                f.push(fmt_opt(s.ci.map(|c| c.1)));
                writeln!(w, "{}", csv_line(&f))?;
                if morris {
                    if !order.contains(&k) {
                        order.push(k.clone());
                    }
                    vmeans.insert(k, s.mean);
                }
            }
            if morris {
                means.push(vmeans);
            }
        }
        Ok(())
    })?;
    if plan.baseline {
        write_paired(plan, dir)?;
    }
    if morris {
        write_morris(plan, dir, &means, &order)?;
    }
    Ok(())
}

/// Per-agent differences (variant − base) of one replication, by group.
struct PairedStats {
    group: String,
    key: String,
    metric: &'static str,
    diffs: Vec<f64>,
}

fn paired_diffs(base: &[AgentOutcome], variant: &[AgentOutcome]) -> Vec<PairedStats> {
    let by_id: HashMap<u32, &AgentOutcome> = variant.iter().map(|a| (a.id, a)).collect();
    let mut out = Vec::new();
    let tracks = ["establishment", "contract", "temporary"];
    for (m, metric) in PAIRED_METRICS.iter().enumerate() {
        let mut all = Vec::new();
        let mut by_track: Vec<Vec<f64>> = vec![Vec::new(); tracks.len()];
        for b in base {
            let Some(x) = by_id.get(&b.id) else { continue };
            if let (Some(bv), Some(xv)) = (b.values[m], x.values[m]) {
                let d = xv - bv;
                all.push(d);
                if let Some(t) = tracks.iter().position(|t| *t == b.track) {
                    by_track[t].push(d);
                }
            }
        }
        out.push(PairedStats {
            group: "all".into(),
            key: "all".into(),
            metric,
            diffs: all,
        });
        for (t, d) in tracks.iter().zip(by_track) {
            out.push(PairedStats {
                group: "track".into(),
                key: t.to_string(),
                metric,
                diffs: d,
            });
        }
    }
    out
}

fn write_paired(plan: &SweepPlan, dir: &Path) -> Result<(), SweepError> {
    let params = param_header(plan);
    let qnames: Vec<String> = QUANTILES
        .iter()
        .map(|q| format!("q{:02}", (q * 100.0).round() as u32))
        .collect();
    let mut h = vec!["variant".to_string(), "replication".to_string()];
    h.extend(params.iter().cloned());
    h.extend(["group", "key", "metric", "n", "mean_diff", "sd_diff"].map(String::from));
    h.extend(qnames.iter().cloned());
    h.extend(["share_gain", "share_loss"].map(String::from));
    let mut hs = vec!["variant".to_string()];
    hs.extend(params.iter().cloned());
    hs.extend(
        [
            "group",
            "key",
            "metric",
            "replications",
            "mean_diff",
            "ci95_low",
            "ci95_high",
            "share_gain",
            "share_loss",
        ]
        .map(String::from),
    );
    // Both tables are streamed one variant at a time: per replication into paired.csv, the
    // variant's summary over replications into paired_summary.csv.
    store::write_atomic(&dir.join("paired_summary.csv"), |ws| {
        writeln!(ws, "{}", csv_line(&hs))?;
        store::write_atomic(&dir.join("paired.csv"), |w| {
            writeln!(w, "{}", csv_line(&h))?;
            for v in 1..plan.variants.len() {
                write_paired_variant(plan, dir, v, w, ws)?;
            }
            Ok(())
        })
        .map_err(to_io)
    })?;
    Ok(())
}

/// Any error as an I/O error, for writers that stream inside [`store::write_atomic`].
fn to_io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// One variant's rows of paired.csv (`w`) and paired_summary.csv (`ws`).
fn write_paired_variant(
    plan: &SweepPlan,
    dir: &Path,
    v: usize,
    w: &mut dyn std::io::Write,
    ws: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut keys = Vec::new();
    // metric key -> per replication (mean difference, gain share, loss share)
    let mut reps: HashMap<MetricKey, Vec<[f64; 3]>> = HashMap::new();
    for r in 0..plan.replications {
        let base = store::read_agent_outcomes(&RunFiles::new(dir, r).agents).map_err(to_io)?;
        let var = store::read_agent_outcomes(&RunFiles::new(dir, v * plan.replications + r).agents)
            .map_err(to_io)?;
        for p in paired_diffs(&base, &var) {
            let n = p.diffs.len();
            if n == 0 {
                continue;
            }
            let s = mean_ci(&p.diffs);
            let q = quantiles(&p.diffs, &QUANTILES);
            let gain = p.diffs.iter().filter(|d| **d > 0.0).count() as f64 / n as f64;
            let loss = p.diffs.iter().filter(|d| **d < 0.0).count() as f64 / n as f64;
            let mut f = variant_prefix(plan, v);
            f.insert(1, r.to_string());
            f.extend([p.group.clone(), p.key.clone(), p.metric.to_string()]);
            f.push(n.to_string());
            f.push(fmt_opt(s.map(|s| s.mean)));
            f.push(fmt_opt(s.and_then(|s| s.sd)));
            for i in 0..QUANTILES.len() {
                f.push(fmt_opt(q.as_ref().map(|q| q[i])));
            }
            f.push(fmt(gain));
            f.push(fmt(loss));
            writeln!(w, "{}", csv_line(&f))?;
            let k = (p.group, p.key, p.metric.to_string());
            let e = reps.entry(k.clone()).or_default();
            if e.is_empty() {
                keys.push(k);
            }
            if let Some(s) = s {
                e.push([s.mean, gain, loss]);
            }
        }
    }
    for k in &keys {
        let xs = &reps[k];
        let col = |i: usize| xs.iter().map(|x| x[i]).collect::<Vec<f64>>();
        let Some(m) = mean_ci(&col(0)) else {
            continue;
        };
        let gain = mean_ci(&col(1)).map(|s| s.mean);
        let loss = mean_ci(&col(2)).map(|s| s.mean);
        let mut f = variant_prefix(plan, v);
        f.extend([k.0.clone(), k.1.clone(), k.2.clone()]);
        f.push(m.n.to_string());
        f.push(fmt(m.mean));
        f.push(fmt_opt(m.ci.map(|c| c.0)));
        f.push(fmt_opt(m.ci.map(|c| c.1)));
        f.push(fmt_opt(gain));
        f.push(fmt_opt(loss));
        writeln!(ws, "{}", csv_line(&f))?;
    }
    Ok(())
}

fn write_morris(
    plan: &SweepPlan,
    dir: &Path,
    means: &[HashMap<MetricKey, f64>],
    order: &[MetricKey],
) -> Result<(), SweepError> {
    // The Morris points in design order (a base variant, if any, is not part of them).
    let points: Vec<usize> = plan
        .variants
        .iter()
        .filter(|v| v.morris.is_some())
        .map(|v| v.index)
        .collect();
    let steps: Vec<Option<(usize, f64)>> = points
        .iter()
        .map(|&i| plan.variants[i].morris.and_then(|m| m.2))
        .collect();
    let k = plan.parameters.len();
    store::write_atomic(&dir.join("morris.csv"), |w| {
        writeln!(w, "parameter,group,key,metric,r,mu,mu_star,sigma")?;
        let effects: Vec<Vec<Vec<f64>>> = order
            .iter()
            .map(|key| {
                let y: Vec<Option<f64>> =
                    points.iter().map(|&i| means[i].get(key).copied()).collect();
                elementary_effects(k, &steps, &y)
            })
            .collect();
        for (p, name) in plan.parameters.iter().enumerate() {
            for (key, ee) in order.iter().zip(&effects) {
                let Some(s) = morris_stats(&ee[p]) else {
                    continue;
                };
                writeln!(
                    w,
                    "{}",
                    csv_line(&[
                        name.as_str(),
                        &key.0,
                        &key.1,
                        &key.2,
                        &s.r.to_string(),
                        &fmt(s.mu),
                        &fmt(s.mu_star),
                        &fmt_opt(s.sigma),
                    ])
                )?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_runs() {
        let shards: Vec<Shard> = (0..3)
            .map(|i| Shard::parse(&format!("{i}/3")).unwrap())
            .collect();
        for id in 0..20 {
            assert_eq!(shards.iter().filter(|s| s.contains(id)).count(), 1);
        }
        for bad in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slurm_environment_gives_the_shard() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|p| p.0 == k).map(|p| p.1.to_string())
        };
        assert_eq!(Shard::from_env(env(&[])).unwrap(), None);
        assert_eq!(
            Shard::from_env(env(&[
                ("SLURM_ARRAY_TASK_ID", "2"),
                ("SLURM_ARRAY_TASK_COUNT", "4")
            ]))
            .unwrap(),
            Some(Shard { index: 2, count: 4 })
        );
        assert_eq!(
            Shard::from_env(env(&[
                ("SLURM_ARRAY_TASK_ID", "3"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
                ("SLURM_ARRAY_TASK_MIN", "1")
            ]))
            .unwrap(),
            Some(Shard { index: 2, count: 3 })
        );
        assert!(Shard::from_env(env(&[("SLURM_ARRAY_TASK_ID", "2")])).is_err());
    }
}
