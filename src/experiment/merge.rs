//! Joining the shards of a sweep (`sisandbox merge`): each run missing from the target is
//! copied from the first shard folder that has it complete and intact, then the tables are
//! assembled. Files of shards still running (their temporaries) are never touched, and an
//! empty or truncated per-run file is an error naming it rather than a row silently lost.

use super::store::{self, RunFiles, StoreError, DESIGN, PLAN, RUNS_DIR};
use super::sweep::{first_difference, read_plan, remove_tables, write_design, SweepError};
use super::tables::assemble_plan;
use std::fs;
use std::path::{Path, PathBuf};

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
    // Tables only: temporaries may belong to shards still running into this folder.
    remove_tables(target, false)?;
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
        if plan.has_frozen(id) {
            copy(&from.frozen, &to.frozen)?;
        }
        from.check(plan.series, plan.baseline, plan.has_frozen(id))?;
        copy(&from.metrics, &to.metrics)?;
        copied += 1;
    }
    // Every run, copied or written here by a shard, is whole before the tables are made.
    for id in 0..plan.runs() {
        let f = RunFiles::new(target, id);
        if f.complete() {
            f.check(plan.series, plan.baseline, plan.has_frozen(id))?;
        }
    }
    write_design(&plan, &target.join(DESIGN))?;
    assemble_plan(&plan, target)?;
    Ok(copied)
}
