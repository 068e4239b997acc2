//! Each agent's state at the end of each year of a run: `snapshots.csv`, written by
//! `sisandbox run --snapshots`, read by `sisandbox compare` to compare agents at a common date
//! (`compare --at`, and by default at the end of each year).
//!
//! A row per agent alive at the month (dead agents have no state to compare), at every December
//! of the run and at its last month. The values are those agents.csv gives at the end, taken at
//! the month instead: wage, take-home pay and perception of active staff, the pension awarded
//! (as indexed so far) of those who have one, and the pension contributions paid so far. The
//! last month's rows hold the same figures as agents.csv.
//!
//! The snapshots are taken between the engine's months through its public stepping API
//! (`engine::Simulation`); the engine itself is not changed, and a run without `--snapshots`
//! pays nothing for them.

use crate::agent::{Agent, Status};
use crate::engine::{self, Outcome, RunError, RunOptions, Simulation};
use crate::money::{format_yuan, Fen};
use crate::output::{write_atomic, OutputError};
use crate::scenario::Scenario;
use crate::time::YearMonth;
use std::io::Write;
use std::path::Path;

/// The file name inside a run folder.
pub const SNAPSHOT_FILE: &str = "snapshots.csv";

/// Column names of snapshots.csv, documented in docs/OUTPUTS.md.
pub const SNAPSHOT_COLUMNS: [&str; 12] = [
    "month",
    "id",
    "status",
    "track",
    "sex",
    "region",
    "university",
    "wage",
    "take_home",
    "perception",
    "pension_total",
    "pension_contributions",
];

/// One agent at one month.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotRow {
    pub month: YearMonth,
    pub id: u32,
    pub status: Status,
    pub track: &'static str,
    pub female: bool,
    pub region: u16,
    pub university: u16,
    /// Wage and take-home pay of the month (active staff only).
    pub wage: Option<Fen>,
    pub take_home: Option<Fen>,
    /// The perception index of the last evaluation (active staff who were evaluated).
    pub perception: Option<f32>,
    /// Monthly pension awarded, as indexed so far (those with an award).
    pub pension: Option<Fen>,
    /// Pension contributions paid so far (employer and individual, both schemes).
    pub contributions: Fen,
}

/// The months snapshotted: every December of the run and its last month, in order.
pub fn snapshot_months(s: &Scenario) -> Vec<YearMonth> {
    let months = s.simulation.years as i32 * 12;
    let last = s.simulation.start.plus_months(months - 1);
    (0..months)
        .map(|t| s.simulation.start.plus_months(t))
        .filter(|m| m.month() == 12 || *m == last)
        .collect()
}

/// The rows of `month`: every agent not dead, in id order.
pub fn rows_at(month: YearMonth, agents: &[Agent]) -> Vec<SnapshotRow> {
    agents
        .iter()
        .filter(|a| a.status != Status::Dead)
        .map(|a| {
            let active = a.status == Status::Active;
            SnapshotRow {
                month,
                id: a.id,
                status: a.status,
                track: a.track.name(),
                female: a.is_female(),
                region: a.region,
                university: a.university,
                wage: active.then(|| a.wage()),
                take_home: active.then_some(a.take_home),
                perception: (active && a.perception.evaluated).then_some(a.perception.index),
                pension: (a.first_pension > 0).then(|| a.pension.total()),
                contributions: a.insurance.pension_paid,
            }
        })
        .collect()
}

/// Runs a scenario like `engine::run`, taking the snapshots of [`snapshot_months`] as it goes.
pub fn run_with_snapshots(
    s: &Scenario,
    agents: Vec<Agent>,
    opts: &RunOptions,
) -> Result<(Outcome, Vec<SnapshotRow>), RunError> {
    let when = snapshot_months(s);
    let mut rows = Vec::new();
    let outcome = engine::run_observing(s, agents, opts, &mut |month, sim: &Simulation| {
        if when.contains(&month) {
            rows.extend(rows_at(month, sim.staff()));
        }
    })?;
    Ok((outcome, rows))
}

fn opt_yuan(x: Option<Fen>) -> String {
    x.map(format_yuan).unwrap_or_default()
}

/// Writes snapshots.csv (atomically). Universities and regions by name, as in agents.csv.
pub fn write_snapshots(path: &Path, s: &Scenario, rows: &[SnapshotRow]) -> Result<(), OutputError> {
    let field = |x: &str| {
        if x.contains([',', '"', '\n']) {
            format!("\"{}\"", x.replace('"', "\"\""))
        } else {
            x.to_string()
        }
    };
    let regions: Vec<String> = s.regions.iter().map(|r| field(&r.name)).collect();
    let universities: Vec<String> = s.universities.iter().map(|u| field(&u.name)).collect();
    write_atomic(path, |w: &mut dyn Write| {
        writeln!(w, "{}", SNAPSHOT_COLUMNS.join(","))?;
        for r in rows {
            writeln!(
                w,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                r.month,
                r.id,
                r.status.name(),
                r.track,
                if r.female { "female" } else { "male" },
                regions[r.region as usize],
                universities[r.university as usize],
                opt_yuan(r.wage),
                opt_yuan(r.take_home),
                r.perception.map(|p| format!("{p:.6}")).unwrap_or_default(),
                opt_yuan(r.pension),
                format_yuan(r.contributions),
            )?;
        }
        Ok(())
    })
}

/// Writes snapshots.csv into the run folder `dir` and records its SHA-256 in the folder's
/// manifest (`[outputs]`), so that `sisandbox reproduce` writes it again and checks it like
/// series.csv and agents.csv. The manifest is edited in place (its other text kept) and
/// replaced atomically.
pub fn write_into_run(dir: &Path, s: &Scenario, rows: &[SnapshotRow]) -> Result<(), OutputError> {
    let path = dir.join(SNAPSHOT_FILE);
    write_snapshots(&path, s, rows)?;
    let manifest = dir.join("manifest.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|error| OutputError::Io {
        path: manifest.clone(),
        error,
    })?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| OutputError::Manifest(e.to_string()))?;
    let outputs = doc
        .get_mut("outputs")
        .and_then(toml_edit::Item::as_table_mut)
        .ok_or_else(|| OutputError::Manifest(format!("{}: no [outputs]", manifest.display())))?;
    let hash = crate::output::sha256_file(&path)?;
    outputs.insert(SNAPSHOT_FILE, toml_edit::value(format!("sha256:{hash}")));
    let text = doc.to_string();
    write_atomic(&manifest, |w: &mut dyn Write| w.write_all(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        let mut s = Scenario::default();
        s.simulation.agents = 150;
        s.simulation.years = 2;
        s
    }

    #[test]
    fn snapshots_are_hashed_in_the_run_manifest() {
        let s = small();
        let opts = RunOptions {
            threads: 1,
            ..Default::default()
        };
        let (outcome, rows) =
            run_with_snapshots(&s, crate::population::synthetic(&s), &opts).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        let meta = crate::output::RunMeta {
            seed: s.simulation.seed,
            threads: 1,
            wall_seconds: 0.0,
            scenario_files: vec![],
            command: String::new(),
        };
        crate::output::write_run(&dir, &s, &outcome, &meta).unwrap();
        let before = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
        write_into_run(&dir, &s, &rows).unwrap();
        let after = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
        let m: toml::Table = toml::from_str(&after).unwrap();
        let hash = crate::output::sha256_file(&dir.join(SNAPSHOT_FILE)).unwrap();
        assert_eq!(
            m["outputs"][SNAPSHOT_FILE].as_str(),
            Some(format!("sha256:{hash}").as_str())
        );
        assert_eq!(
            after.lines().count(),
            before.lines().count() + 1,
            "one line added, the rest kept"
        );
    }

    #[test]
    fn months_are_each_december_and_the_last() {
        let mut s = small();
        s.simulation.start = YearMonth::ym(2025, 7);
        let m = snapshot_months(&s);
        assert_eq!(
            m,
            vec![
                YearMonth::ym(2025, 12),
                YearMonth::ym(2026, 12),
                YearMonth::ym(2027, 6)
            ]
        );
    }

    #[test]
    fn the_same_run_with_snapshots_gives_the_same_outcome() {
        let s = small();
        let opts = RunOptions {
            threads: 1,
            ..Default::default()
        };
        let plain = crate::engine::run(&s, crate::population::synthetic(&s), &opts).unwrap();
        let (with, rows) = run_with_snapshots(&s, crate::population::synthetic(&s), &opts).unwrap();
        assert_eq!(plain, with);
        // The last month's rows agree with the end records.
        let last = *snapshot_months(&s).last().unwrap();
        let end: Vec<&SnapshotRow> = rows.iter().filter(|r| r.month == last).collect();
        let alive = with
            .records
            .iter()
            .filter(|r| r.status != Status::Dead)
            .count();
        assert_eq!(end.len(), alive);
        for r in end {
            let rec = &with.records[r.id as usize];
            assert_eq!(r.status, rec.status);
            assert_eq!(r.contributions, rec.pension_paid);
            if r.status == Status::Active {
                assert_eq!((r.wage, r.take_home), (Some(rec.wage), Some(rec.take_home)));
            }
        }
    }
}
