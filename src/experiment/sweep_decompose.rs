//! Mechanical against behavioural effects in a sweep (`decompose = true` in the sweep file):
//! the split of `sisandbox compare --decompose` ([`super::decompose`]) for every variant of a
//! sweep against the unvaried base of the same replication.
//!
//! The base run of each replication records its choices month by month (an
//! [`engine::replay::Book`](crate::engine::replay::Book)); every other run of that replication
//! also runs with behaviour frozen at those choices, and writes that run's summary metrics to
//! `runs/run-NNNNNN.frozen.csv` before its own metrics file (which marks the run complete), so a
//! sweep interrupted and resumed, or run in shards and merged, gives the same tables. The
//! tables are assembled from the per-run files in run order:
//!
//! - `decomposition.csv`: one row per run, replication and summary outcome: the base's value,
//!   the frozen run's, the variant's, and mechanical = frozen − base, behavioural = variant −
//!   frozen, total = variant − base;
//! - `decomposition_summary.csv`: per variant, the mean over replications of each part with its
//!   95 % Student-t interval.
//!
//! The books of the replications are kept in memory for the whole invocation (runs go
//! variant-major, so every replication's book is needed until the last variant): a few kB per
//! agent ever on the staff of a base run. A resumed or sharded invocation records the books it
//! needs again (one base run per replication), which gives the same books.

use super::decompose::{self, Effect, Input};
use super::spec::SweepPlan;
use super::stats::{csv_line, fmt, fmt_opt, mean_ci};
use super::store::{self, RunFiles, StoreError};
use super::summary::{run_metrics, MetricRow};
use super::sweep::{param_header, SweepError};
use super::tables::{to_io, write_variant_tables};
use crate::engine::replay::Book;
use crate::engine::Outcome;
use crate::scenario::Scenario;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The base's choices of each replication, recorded once per invocation.
pub(super) struct Books {
    slots: Vec<Mutex<Option<Arc<Book>>>>,
}

type RunError = Box<dyn std::error::Error + Send + Sync>;

impl Books {
    /// One empty slot per replication of a decomposed sweep (none otherwise).
    pub(super) fn new(plan: &SweepPlan) -> Books {
        let n = if plan.decompose { plan.replications } else { 0 };
        Books {
            slots: (0..n).map(|_| Mutex::new(None)).collect(),
        }
    }

    /// Runs the base of replication `r` (scenario `s`) recording its choices, keeps the book
    /// if none is kept yet, and returns the run. A variant of the same replication that needs
    /// the book meanwhile waits for this run rather than recording its own.
    pub(super) fn run_base(
        &self,
        plan: &SweepPlan,
        s: &Scenario,
        r: usize,
        threads: usize,
    ) -> Result<Outcome, RunError> {
        let mut slot = self.slot(r)?;
        let mut book = Book::new();
        let outcome = decompose::run(&input(plan, s), threads, Some(&mut book), None)?;
        if slot.is_none() {
            *slot = Some(Arc::new(book));
        }
        Ok(outcome)
    }

    /// The book of replication `r`, recording it from a base run if no run has yet.
    fn get(&self, plan: &SweepPlan, r: usize, threads: usize) -> Result<Arc<Book>, RunError> {
        let mut slot = self.slot(r)?;
        if let Some(b) = slot.as_ref() {
            return Ok(b.clone());
        }
        let base = plan.load_scenario(&plan.overrides(&plan.variants[0], r))?;
        let mut book = Book::new();
        decompose::run(&input(plan, &base), threads, Some(&mut book), None)?;
        let book = Arc::new(book);
        *slot = Some(book.clone());
        Ok(book)
    }

    fn slot(&self, r: usize) -> Result<std::sync::MutexGuard<'_, Option<Arc<Book>>>, RunError> {
        self.slots
            .get(r)
            .ok_or_else(|| format!("replication {r} is not in a decomposed sweep"))?
            .lock()
            .map_err(|_| "a run recording the base's choices failed".into())
    }

    /// The summary metrics of variant scenario `s` in replication `r` run with behaviour
    /// frozen at the base's choices of that replication.
    pub(super) fn frozen_metrics(
        &self,
        plan: &SweepPlan,
        s: &Scenario,
        r: usize,
        threads: usize,
    ) -> Result<Vec<MetricRow>, RunError> {
        let book = self.get(plan, r, threads)?;
        let frozen = decompose::run(&input(plan, s), threads, None, Some(book))?;
        Ok(run_metrics(s, &frozen))
    }
}

/// A run's scenario as the decomposition's input: a roster is relative to the base scenario's
/// folder, as in [`crate::simulate::simulate`].
fn input(plan: &SweepPlan, s: &Scenario) -> Input {
    Input {
        name: s.name.clone(),
        scenario: s.clone(),
        dir: plan
            .scenario_path()
            .and_then(|p| p.parent().map(Path::to_path_buf)),
    }
}

type MetricKey = (String, String, String);

fn by_key(rows: Vec<MetricRow>) -> HashMap<MetricKey, f64> {
    rows.into_iter()
        .map(|m| ((m.group, m.key, m.metric), m.value))
        .collect()
}

/// The effects of run `id` against the base run of its replication, in the base's row order.
fn effects(plan: &SweepPlan, dir: &Path, id: usize) -> Result<Vec<Effect>, StoreError> {
    let (_, r) = plan.locate(id);
    let base = store::read_metrics(&RunFiles::new(dir, r).metrics)?;
    let files = RunFiles::new(dir, id);
    let frozen = by_key(store::read_metrics(&files.frozen)?);
    let reform = by_key(store::read_metrics(&files.metrics)?);
    Ok(base
        .into_iter()
        .filter_map(|b| {
            let k = (b.group, b.key, b.metric);
            let (f, x) = (*frozen.get(&k)?, *reform.get(&k)?);
            Some(Effect {
                group: k.0,
                key: k.1,
                metric: k.2,
                baseline: b.value,
                frozen: f,
                reform: x,
            })
        })
        .collect())
}

/// Writes decomposition.csv and decomposition_summary.csv of a complete decomposed sweep.
pub(super) fn write_tables(plan: &SweepPlan, dir: &Path) -> Result<(), SweepError> {
    let params = param_header(plan);
    let mut h: Vec<String> = ["run", "variant", "replication", "seed"]
        .map(String::from)
        .to_vec();
    h.extend(params.iter().cloned());
    h.extend(
        [
            "group",
            "key",
            "metric",
            "baseline",
            "frozen",
            "reform",
            "mechanical",
            "behavioural",
            "total",
        ]
        .map(String::from),
    );
    let mut hs = vec!["variant".to_string()];
    hs.extend(params.iter().cloned());
    hs.extend(["group", "key", "metric", "replications"].map(String::from));
    for part in ["mechanical", "behavioural", "total"] {
        for col in ["mean", "ci95_low", "ci95_high"] {
            hs.push(format!("{part}_{col}"));
        }
    }
    write_variant_tables(
        dir,
        ("decomposition.csv", &h),
        ("decomposition_summary.csv", &hs),
        (0..plan.variants.len()).filter(|&v| !plan.variants[v].is_base()),
        |v, w, ws| write_variant(plan, dir, v, w, ws),
    )?;
    Ok(())
}

/// One variant's rows of decomposition.csv (`w`) and decomposition_summary.csv (`ws`).
fn write_variant(
    plan: &SweepPlan,
    dir: &Path,
    v: usize,
    w: &mut dyn std::io::Write,
    ws: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut keys: Vec<MetricKey> = Vec::new();
    let mut parts: HashMap<MetricKey, [Vec<f64>; 3]> = HashMap::new();
    for r in 0..plan.replications {
        let id = v * plan.replications + r;
        let mut prefix = vec![
            id.to_string(),
            v.to_string(),
            r.to_string(),
            plan.seed(r).to_string(),
        ];
        prefix.extend(plan.cells(&plan.variants[v]));
        for e in effects(plan, dir, id).map_err(to_io)? {
            let mut f = prefix.clone();
            f.extend([e.group.clone(), e.key.clone(), e.metric.clone()]);
            f.extend(
                [
                    e.baseline,
                    e.frozen,
                    e.reform,
                    e.mechanical(),
                    e.behavioural(),
                    e.total(),
                ]
                .map(fmt),
            );
            writeln!(w, "{}", csv_line(&f))?;
            let k = (e.group.clone(), e.key.clone(), e.metric.clone());
            let p = parts.entry(k.clone()).or_default();
            if p[0].is_empty() && p[1].is_empty() && p[2].is_empty() {
                keys.push(k);
            }
            p[0].push(e.mechanical());
            p[1].push(e.behavioural());
            p[2].push(e.total());
        }
    }
    for k in keys {
        let p = &parts[&k];
        let stats: Vec<_> = p.iter().map(|xs| mean_ci(xs)).collect();
        let Some(n) = stats.iter().flatten().map(|s| s.n).max() else {
            continue;
        };
        let mut f = vec![v.to_string()];
        f.extend(plan.cells(&plan.variants[v]));
        f.extend([k.0, k.1, k.2, n.to_string()]);
        for s in &stats {
            f.push(fmt_opt(s.map(|s| s.mean)));
            f.push(fmt_opt(s.and_then(|s| s.ci.map(|c| c.0))));
            f.push(fmt_opt(s.and_then(|s| s.ci.map(|c| c.1))));
        }
        writeln!(ws, "{}", csv_line(&f))?;
    }
    Ok(())
}
