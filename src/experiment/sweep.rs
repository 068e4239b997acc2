//! Running a sweep and assembling its tables.
//!
//! Scheduling: runs go in parallel across `jobs` worker threads, each taking the next run in
//! run order, and each run single-threaded by default (`threads`). Each finished run is written at once to its own small
//! files (see [`super::store`]) and dropped, so memory holds at most `jobs` runs whatever the
//! size of the sweep. A restart skips runs whose files are complete. The tables are assembled
//! from the per-run files in run order, so they do not depend on the thread counts, the order
//! runs finish in, the shard split, or interruptions.

use super::spec::{Design, SpecError, SweepPlan, SweepSpec};
use super::stats::csv_line;
use super::store::{self, RunFiles, StoreError, DESIGN, PLAN, RUNS_DIR, TABLES};
use super::summary::{agent_outcomes, run_metrics, yearly_series};
use super::sweep_decompose::Books;
use super::tables::assemble_plan;
use crate::engine::RunOptions;
use crate::simulate::{simulate, SimulateError};
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
    #[error(
        "{dir} holds files this sweep did not write (for example {example}); a sweep writes only \
         into a new or empty folder or one of its own: give another --out"
    )]
    ForeignFolder { dir: PathBuf, example: String },
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
    if !plan.roster_sha256.is_empty() {
        root.insert(
            "roster_sha256".into(),
            toml::Value::String(plan.roster_sha256.clone()),
        );
    }
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
    let text = match crate::input::read_bounded(&path, crate::input::MAX_CONFIG_BYTES) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
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
    plan.roster_sha256 = root
        .get("roster_sha256")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    Ok((plan, text))
}

fn is_tmp_or_table(name: &str) -> bool {
    TABLES.contains(&name) || is_temporary(name)
}

fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp")
}

/// Removes the assembled tables of a sweep folder (not the runs), and with `temporaries` the
/// leftovers of interrupted writes too (only when no other process writes there).
pub(super) fn remove_tables(dir: &Path, temporaries: bool) -> Result<(), StoreError> {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let ours = TABLES.contains(&name.as_str()) || (temporaries && is_temporary(&name));
            if ours && e.file_type().is_ok_and(|t| t.is_file()) {
                fs::remove_file(e.path()).map_err(store::io_err(&e.path()))?;
            }
        }
    }
    Ok(())
}

/// The first entry of `dir` (and of its `runs/`) that a sweep does not write, if any: a
/// folder holding anything else was not made by a sweep, and is not taken over.
fn foreign_entry(dir: &Path) -> Option<String> {
    let names = |d: &Path| -> Vec<String> {
        fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let top = names(dir)
        .into_iter()
        .find(|n| !(n == PLAN || n == DESIGN || n == RUNS_DIR || is_tmp_or_table(n)));
    top.or_else(|| {
        names(&dir.join(RUNS_DIR))
            .into_iter()
            .find(|n| !(store::is_run_file_name(n) || is_temporary(n)))
            .map(|n| format!("{RUNS_DIR}/{n}"))
    })
}

/// Sets up the sweep folder: checks or writes the plan, writes the design. A folder that
/// holds anything a sweep does not write is refused (never taken over or cleared), and only
/// the sweep's own files are ever removed.
fn prepare(plan: &SweepPlan, opts: &SweepOptions) -> Result<(), SweepError> {
    let dir = &opts.out;
    if let Some(example) = foreign_entry(dir) {
        return Err(SweepError::ForeignFolder {
            dir: dir.clone(),
            example,
        });
    }
    let runs = dir.join(RUNS_DIR);
    fs::create_dir_all(&runs).map_err(store::io_err(&runs))?;
    let text = plan_text(plan);
    let plan_path = dir.join(PLAN);
    let sharded = opts.shard.is_some_and(|s| s.count > 1);
    let old = crate::input::read_bounded(&plan_path, crate::input::MAX_CONFIG_BYTES)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    match old {
        Some(old) if old == text => {
            if opts.force && !sharded {
                store::remove_run_files(&runs)?;
            }
        }
        Some(old) => {
            if !opts.force {
                let why = first_difference(&old, &text);
                return Err(SweepError::DifferentSweep {
                    dir: dir.clone(),
                    why,
                });
            }
            if !sharded {
                store::remove_run_files(&runs)?;
            }
            store::write_atomic(&plan_path, |w| w.write_all(text.as_bytes()))?;
        }
        None => store::write_atomic(&plan_path, |w| w.write_all(text.as_bytes()))?,
    }
    if !sharded {
        // Nobody else writes here: clear leftovers of interrupted writes and stale tables.
        remove_tables(dir, true)?;
        store::remove_stale_temporaries(&runs)?;
    }
    write_design(plan, &dir.join(DESIGN))?;
    Ok(())
}

/// The first line where two plans differ, for the error message.
pub(super) fn first_difference(old: &str, new: &str) -> String {
    for (a, b) in old.lines().zip(new.lines()) {
        if a != b {
            return format!("plan.toml has `{a}`, this sweep `{b}`");
        }
    }
    "the plans differ in length".into()
}

pub(super) fn param_header(plan: &SweepPlan) -> Vec<String> {
    plan.parameters.clone()
}

pub(super) fn write_design(plan: &SweepPlan, path: &Path) -> Result<(), StoreError> {
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
fn run_one(
    plan: &SweepPlan,
    books: &Books,
    out: &Path,
    id: usize,
    threads: usize,
) -> Result<(), SweepError> {
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
    let outcome = if plan.decompose && variant.is_base() {
        // The same run, recording the choices the other variants are frozen at.
        books.run_base(plan, &s, r, threads).map_err(fail)?
    } else {
        simulate(
            &s,
            scenario_dir,
            &RunOptions {
                threads,
                progress: None,
                cancel: None,
            },
        )
        .map_err(|e: SimulateError| fail(Box::new(e)))?
    };
    let files = RunFiles::new(out, id);
    if plan.has_frozen(id) {
        let frozen = books.frozen_metrics(plan, &s, r, threads).map_err(fail)?;
        store::write_metrics(&files.frozen, &frozen)?;
    }
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
    let books = Books::new(plan);
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
            if let Err(e) = run_one(plan, &books, &opts.out, id, threads) {
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
