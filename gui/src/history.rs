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
//!
//! A roster run's agents.csv is k-anonymous by default (`sisandbox::anonymise`, recorded in
//! the manifest's `[privacy]` table): birth months as years or spans of years, the wage as a
//! band of yuan, the title perhaps as its ladder, take-home pay and other derived columns
//! withheld (`*`), and every fact of a few staff withheld. Such a file is read as it is:
//! outcome columns stay exact and are compared as usual; a value given as a band or withheld
//! is not a number to compare, so it is kept as not available and counted
//! ([`AgentTable::withheld`](crate::results::AgentTable)); groups are read as written (`*` is
//! a group of its own), and an age band is given only when every age a span of birth years
//! allows falls in it.

use crate::results::{push_series_row, AgentGroups, AgentTable, Replication, RunSet, SeriesMetric};
use sisandbox::anonymise::{parse_band, WITHHELD};
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
    /// The k of a roster run whose agents.csv is k-anonymous (the manifest's `[privacy]`).
    pub k_anonymous: Option<u64>,
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
    k_anonymous: Option<u64>,
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
    let k_anonymous = m
        .get("privacy")
        .and_then(toml::Value::as_table)
        .filter(|p| p.get("agents_csv").and_then(toml::Value::as_str) == Some("k-anonymous"))
        .and_then(|p| p.get("k"))
        .and_then(toml::Value::as_integer)
        .and_then(|k| u64::try_from(k).ok());
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
        k_anonymous,
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
                k_anonymous: fs[0].k_anonymous,
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

/// A value of an outcome column: `Ok(Some(x))` for a number, `Ok(None)` for a band or a
/// withheld value of a k-anonymous file, an error for anything else.
fn outcome_value(s: &str) -> Result<Option<f64>, ()> {
    if let Ok(x) = s.parse::<f64>() {
        return Ok(Some(x));
    }
    if s == WITHHELD || parse_band(s).is_some() {
        return Ok(None);
    }
    Err(())
}

/// The youngest and oldest whole years of age at `end` of someone born as `birth` says: a
/// month (`1987-03`), a year or a span of years of a k-anonymous file (`1987`,
/// `1985-1989`); `Ok(None)` when withheld.
fn age_at(end: YearMonth, birth: &str) -> Result<Option<(i32, i32)>, String> {
    if birth == WITHHELD {
        return Ok(None);
    }
    let span = if birth.len() == 7 {
        let m = YearMonth::parse(birth)?;
        (m, m)
    } else {
        let (lo, hi) = parse_band(birth).ok_or_else(|| {
            "expected a month (YYYY-MM), a year, a span of years or * (withheld):".to_string()
        })?;
        let year = |y: f64, month: u32| {
            (y.fract() == 0.0 && y.abs() < 1e5)
                .then(|| YearMonth::new(y as i32, month))
                .flatten()
                .ok_or_else(|| "not a year:".to_string())
        };
        (year(lo, 1)?, year(hi, 12)?)
    };
    let age = |m: YearMonth| end.months_since(m) / 12;
    Ok(Some((age(span.1), age(span.0))))
}

/// One replication from its run folder: the same columns and series [`crate::results::extract`]
/// takes from a run in memory, as the files record them (money in yuan to the fen, perception
/// to six decimals). A k-anonymous agents.csv is read as the module documentation says.
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
        for (i, &c) in metric_c.iter().enumerate() {
            let s = at(c);
            if s.is_empty() {
                continue;
            }
            match outcome_value(s) {
                Ok(Some(x)) => values[i] = x,
                Ok(None) => t.withheld[i] += 1,
                Err(()) => {
                    let what = format!(
                        "`{}`: expected a number, a band (low-high) or * (withheld), not",
                        headers.get(c).unwrap_or_default()
                    );
                    return Err(bad(&what, s));
                }
            }
        }
        let age =
            age_at(end, at(birth_c)).map_err(|e| bad(&format!("`birth`: {e}"), at(birth_c)))?;
        let who = AgentGroups {
            track: at(track_c),
            title: at(title_c),
            region: at(region_c),
            age,
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

    /// What a test run's manifest records beyond the scenario.
    fn meta(s: &Scenario) -> RunMeta {
        RunMeta {
            seed: s.simulation.seed,
            threads: 1,
            wall_seconds: 0.0,
            scenario_files: vec![],
            command: "test".into(),
        }
    }

    fn write(root: &Path, s: &Scenario, folder: &str) -> (PathBuf, Replication) {
        let o = sisandbox::simulate::simulate(s, None, &RunOptions::default()).unwrap();
        let dir = root.join(folder);
        write_run(&dir, s, &o, &meta(s)).unwrap();
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
    fn ages_from_a_month_a_year_or_a_span_of_years() {
        let end = YearMonth::ym(2030, 6);
        assert_eq!(age_at(end, "1990-03").unwrap(), Some((40, 40)));
        // Born in 1990, some month: 39 (born after June) or 40.
        assert_eq!(age_at(end, "1990").unwrap(), Some((39, 40)));
        assert_eq!(age_at(end, "1985-1989").unwrap(), Some((40, 45)));
        assert_eq!(age_at(end, WITHHELD).unwrap(), None);
        for bad in ["abc", "1990-13", "1989-1985", "5000.00-9999.99"] {
            assert!(age_at(end, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_k_anonymous_roster_run_is_read_with_what_it_withholds_as_not_available() {
        let root = tempfile::tempdir().unwrap();
        let mut roster =
            String::from("sex,birth,track,ladder,title,university,work_start,hired,monthly_wage\n");
        for i in 0..120u32 {
            let year = 1965 + i % 30;
            roster.push_str(&format!(
                "{},{year}-{:02},establishment,academic,lecturer,university-a,{}-09,{}-03,{}\n",
                if i % 2 == 0 { "male" } else { "female" },
                1 + i % 12,
                year + 24,
                year + 25,
                8_000 + 37 * i
            ));
        }
        std::fs::write(root.path().join("roster.csv"), roster).unwrap();
        let mut s = Scenario::default();
        s.simulation.roster = Some("roster.csv".into());
        s.simulation.years = 2;
        let o =
            sisandbox::simulate::simulate(&s, Some(root.path()), &RunOptions::default()).unwrap();
        let dir = root.path().join("roster-seed1");
        let privacy = sisandbox::output::write_run_report(&dir, &s, &o, &meta(&s)).unwrap();
        assert!(matches!(
            privacy,
            Some(sisandbox::anonymise::Privacy::Coarsened(_))
        ));
        let mem = extract(&s, dir.clone(), &o);
        let disk = read_replication(&dir, s.simulation.seed).unwrap();
        let n = mem.agents.id.len();
        assert_eq!(disk.agents.id, mem.agents.id);
        // Outcomes stay exact; the wage (a band) and take-home pay (withheld) are counted as
        // not available for every agent, and have no value.
        for m in [AgentMetric::ReplacementRate, AgentMetric::Perception] {
            assert_eq!(disk.agents.withheld[m as usize], 0, "{m:?}");
            for (a, b) in disk.agents.values(m).iter().zip(mem.agents.values(m)) {
                assert!((a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-5, "{m:?}");
            }
        }
        for m in [AgentMetric::Wage, AgentMetric::TakeHome] {
            assert_eq!(disk.agents.withheld[m as usize], n, "{m:?}");
            assert!(disk.agents.values(m).iter().all(|v| v.is_nan()), "{m:?}");
        }
        // An agent's age band is its band or, when the file does not decide it, withheld.
        let g = Grouping::AgeBand as usize;
        let label = |t: &AgentTable, i: usize| t.labels[g][t.group[g][i] as usize].clone();
        let mut decided = 0;
        for i in 0..n {
            let (d, m) = (label(&disk.agents, i), label(&mem.agents, i));
            assert!(d == m || d == crate::results::WITHHELD_GROUP, "{d} vs {m}");
            decided += usize::from(d == m);
        }
        assert!(decided > 0);
        for m in SeriesMetric::ALL {
            assert_eq!(disk.series[m as usize].len(), mem.series[m as usize].len());
        }
        assert!(scan(root.path())[0].k_anonymous.is_some());
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
