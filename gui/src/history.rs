//! Runs found on disk: the run folders of the results folder (written by this app or by
//! `sisandbox run`, `<name>-seed<seed>[-N]/` with `series.csv`, `agents.csv` and
//! `manifest.toml`), grouped into the sets of replications they form, so runs made before a
//! restart can be compared again.
//!
//! Replications belong together when their manifests record the same scenario apart from the
//! seed: replication k of a set is its k-th seed in increasing order, as the runner numbers
//! them (seed, seed + 1, …). Two folders of the same scenario and seed hold the same results
//! (a run is reproducible from scenario and seed), so the set keeps the first one by name.
//! Listing reads only the manifests; the agents and series of a set are read when it is
//! compared, in a background thread.

use crate::results::{push_series_row, AgentGroups, AgentTable, Replication, RunSet, SeriesMetric};
use sisandbox::time::YearMonth;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A set of replications of one scenario found on disk.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRun {
    /// The scenario's `name`.
    pub name: String,
    /// The run folders, one per seed, seeds in increasing order.
    pub dirs: Vec<PathBuf>,
    pub seeds: Vec<u64>,
    /// Staff at the start of the run (from the manifest).
    pub agents: Option<u64>,
}

impl HistoryRun {
    /// The name of the first folder, which tells two sets of one scenario name apart.
    pub fn first_folder(&self) -> String {
        self.dirs
            .first()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// What the manifest of a run folder says, as far as grouping needs it.
struct Found {
    dir: PathBuf,
    name: String,
    seed: u64,
    agents: Option<u64>,
    /// The scenario without its seed, as TOML text: equal for replications of one set.
    key: String,
}

fn read_manifest(dir: &Path) -> Option<Found> {
    for f in ["agents.csv", "series.csv"] {
        if !dir.join(f).is_file() {
            return None;
        }
    }
    let text = std::fs::read_to_string(dir.join("manifest.toml")).ok()?;
    let m: toml::Table = toml::from_str(&text).ok()?;
    let run = m.get("run")?.as_table()?;
    let seed = u64::try_from(run.get("seed")?.as_integer()?).ok()?;
    let agents = run
        .get("agents_initial")
        .and_then(toml::Value::as_integer)
        .and_then(|a| u64::try_from(a).ok());
    let mut scenario = m.get("scenario")?.as_table()?.clone();
    let name = scenario.get("name")?.as_str()?.to_string();
    if let Some(sim) = scenario
        .get_mut("simulation")
        .and_then(toml::Value::as_table_mut)
    {
        sim.remove("seed");
    }
    let key = toml::to_string(&scenario).ok()?;
    Some(Found {
        dir: dir.to_path_buf(),
        name,
        seed,
        agents,
        key,
    })
}

/// The sets of replications in the run folders directly under `root`, by scenario name and
/// first folder. A folder that is not a complete run (no manifest, or a hidden folder still
/// being written) is left out. A missing `root` has no runs.
pub fn scan(root: &Path) -> Vec<HistoryRun> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut found: Vec<Found> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| read_manifest(&e.path()))
        .collect();
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    let mut sets: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    for f in found {
        sets.entry(f.key.clone()).or_default().push(f);
    }
    let mut runs: Vec<HistoryRun> = sets
        .into_values()
        .map(|mut fs| {
            // Stable: of two folders with one seed, the first by name stays.
            fs.sort_by_key(|f| f.seed);
            fs.dedup_by_key(|f| f.seed);
            HistoryRun {
                name: fs[0].name.clone(),
                agents: fs[0].agents,
                seeds: fs.iter().map(|f| f.seed).collect(),
                dirs: fs.into_iter().map(|f| f.dir).collect(),
            }
        })
        .collect();
    runs.sort_by(|a, b| (&a.name, a.first_folder()).cmp(&(&b.name, b.first_folder())));
    runs
}

/// Reads every replication of a set from its folders.
pub fn load(run: &HistoryRun) -> Result<RunSet, String> {
    let replications = run
        .dirs
        .iter()
        .zip(&run.seeds)
        .map(|(d, &seed)| read_replication(d, seed))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RunSet {
        name: run.name.clone(),
        replications,
    })
}

/// The month the run ended: its start plus its years, from the manifest's scenario.
fn end_month(dir: &Path) -> Result<YearMonth, String> {
    let path = dir.join("manifest.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let m: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let sim = m
        .get("scenario")
        .and_then(|s| s.get("simulation"))
        .and_then(toml::Value::as_table);
    let start = sim
        .and_then(|s| s.get("start"))
        .and_then(toml::Value::as_str)
        .ok_or_else(|| format!("{}: no scenario.simulation.start", path.display()))?;
    let start = YearMonth::parse(start).map_err(|e| format!("{}: {e}", path.display()))?;
    let years = sim
        .and_then(|s| s.get("years"))
        .and_then(toml::Value::as_integer)
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(|| format!("{}: no scenario.simulation.years", path.display()))?;
    Ok(start.plus_months(years * 12))
}

fn csv_reader(path: &Path) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord), String> {
    let mut rd = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = rd
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    Ok((rd, headers))
}

fn column(headers: &csv::StringRecord, path: &Path, name: &str) -> Result<usize, String> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| format!("{}: no column `{name}`", path.display()))
}

/// One replication from its run folder: the same columns and series [`crate::results::extract`]
/// takes from a run in memory, as the files record them (money in yuan to the fen, perception
/// to six decimals).
pub fn read_replication(dir: &Path, seed: u64) -> Result<Replication, String> {
    let end = end_month(dir)?;
    let path = dir.join("agents.csv");
    let (mut rd, headers) = csv_reader(&path)?;
    let col = |n: &str| column(&headers, &path, n);
    let (id_c, track_c, title_c, region_c, birth_c, status_c) = (
        col("id")?,
        col("track")?,
        col("title")?,
        col("region")?,
        col("birth")?,
        col("status")?,
    );
    let metric_c = crate::results::AgentMetric::ALL
        .map(|m| col(m.column()))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let mut t = AgentTable::empty();
    for (line, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        let at = |c: usize| rec.get(c).unwrap_or_default();
        let bad =
            |what: &str, v: &str| format!("{}: line {}: {what} {v:?}", path.display(), line + 2);
        let id: u32 = at(id_c).parse().map_err(|_| bad("bad id", at(id_c)))?;
        let mut values = [f64::NAN; 6];
        for (v, &c) in values.iter_mut().zip(&metric_c) {
            let s = at(c);
            if !s.is_empty() {
                *v = s.parse().map_err(|_| bad("not a number:", s))?;
            }
        }
        let birth = YearMonth::parse(at(birth_c)).map_err(|e| bad(&e, at(birth_c)))?;
        let who = AgentGroups {
            track: at(track_c),
            title: at(title_c),
            region: at(region_c),
            age: end.months_since(birth) / 12,
        };
        t.push(id, values, who, at(status_c) == "deferred");
    }
    let path = dir.join("series.csv");
    let (mut rd, headers) = csv_reader(&path)?;
    let col = |n: &str| column(&headers, &path, n);
    let (month_c, group_c, key_c, metric_c, value_c) = (
        col("month")?,
        col("group")?,
        col("key")?,
        col("metric")?,
        col("value")?,
    );
    let mut series: [Vec<(f64, f64)>; SeriesMetric::ALL.len()] = Default::default();
    for (line, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        let at = |c: usize| rec.get(c).unwrap_or_default();
        let bad = |v: &str| format!("{}: line {}: bad value {v:?}", path.display(), line + 2);
        let month = YearMonth::parse(at(month_c)).map_err(|_| bad(at(month_c)))?;
        let value: f64 = at(value_c).parse().map_err(|_| bad(at(value_c)))?;
        push_series_row(
            &mut series,
            month.index(),
            (at(group_c), at(key_c), at(metric_c)),
            value,
        );
    }
    Ok(Replication {
        dir: dir.to_path_buf(),
        seed,
        agents: t,
        series,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{extract, AgentMetric, Grouping};
    use sisandbox::engine::RunOptions;
    use sisandbox::output::{write_run, RunMeta};
    use sisandbox::scenario::Scenario;

    fn write(root: &Path, s: &Scenario, folder: &str) -> (PathBuf, Replication) {
        let o = sisandbox::simulate::simulate(s, None, &RunOptions::default()).unwrap();
        let dir = root.join(folder);
        let meta = RunMeta {
            seed: s.simulation.seed,
            threads: 1,
            wall_seconds: 0.0,
            scenario_files: vec![],
            command: "test".into(),
        };
        write_run(&dir, s, &o, &meta).unwrap();
        let r = extract(s, dir.clone(), &o);
        (dir, r)
    }

    #[test]
    fn a_run_read_back_from_its_folder_equals_the_run_in_memory() {
        let root = tempfile::tempdir().unwrap();
        let mut s = Scenario::default();
        s.simulation.agents = 80;
        s.simulation.years = 2;
        let (dir, mem) = write(root.path(), &s, "a-seed1");
        let disk = read_replication(&dir, s.simulation.seed).unwrap();
        assert_eq!(disk.seed, mem.seed);
        assert_eq!(disk.agents.id, mem.agents.id);
        assert_eq!(disk.agents.left, mem.agents.left);
        for g in Grouping::ALL {
            assert_eq!(
                disk.agents.labels[g as usize],
                mem.agents.labels[g as usize]
            );
            assert_eq!(disk.agents.group[g as usize], mem.agents.group[g as usize]);
        }
        for m in AgentMetric::ALL {
            for (a, b) in disk.agents.values(m).iter().zip(mem.agents.values(m)) {
                assert!(
                    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-5 * b.abs().max(1.0),
                    "{m:?}: {a} vs {b}"
                );
            }
        }
        for m in SeriesMetric::ALL {
            let (d, e) = (&disk.series[m as usize], &mem.series[m as usize]);
            assert_eq!(d.len(), e.len(), "{m:?}");
            for (a, b) in d.iter().zip(e) {
                assert_eq!(a.0, b.0);
                assert!((a.1 - b.1).abs() <= 1e-9 * b.1.abs().max(1.0), "{m:?}");
            }
        }
    }

    #[test]
    fn folders_group_into_sets_by_scenario_and_order_by_seed() {
        let root = tempfile::tempdir().unwrap();
        let mut s = Scenario {
            name: "base".into(),
            ..Scenario::default()
        };
        s.simulation.agents = 30;
        s.simulation.years = 1;
        s.simulation.seed = 8;
        write(root.path(), &s, "base-seed8");
        s.simulation.seed = 7;
        write(root.path(), &s, "base-seed7");
        // The same seed again: the same results, kept once.
        write(root.path(), &s, "base-seed7-2");
        let mut other = s.clone();
        other.simulation.agents = 40;
        write(root.path(), &other, "base-seed7-3");
        std::fs::create_dir(root.path().join("not-a-run")).unwrap();
        let runs = scan(root.path());
        assert_eq!(runs.len(), 2, "{runs:?}");
        let three = runs.iter().find(|r| r.agents == Some(30)).unwrap();
        assert_eq!(three.seeds, vec![7, 8]);
        assert!(three.dirs[0].ends_with("base-seed7"));
        assert!(three.dirs[1].ends_with("base-seed8"));
        assert_eq!(load(three).unwrap().replications.len(), 2);
        assert!(scan(&root.path().join("missing")).is_empty());
    }
}
