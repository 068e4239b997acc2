//! Mechanical against behavioural effects (`sisandbox compare --decompose`). The baseline runs
//! once with its choices recorded month by month (`engine::replay::Book`); each reform then
//! runs twice on the same seed and initial staff: once with behaviour frozen at the baseline's
//! choices (`engine::Simulation::replaying`) and once as it is. For every summary outcome of a
//! run (the metrics of `sweep`'s runs.csv):
//!
//! - mechanical effect = frozen reform − baseline (the reform's rules, nobody choosing anew);
//! - behavioural effect = reform − frozen reform (what the choices then change);
//! - total effect = reform − baseline, their sum.
//!
//! The parts of an answer that rest on the (largely uncalibrated) behaviour are then visible
//! beside the parts that follow from the rules alone.

use super::summary::run_metrics;
use crate::engine::replay::Book;
use crate::engine::{Outcome, Simulation};
use crate::scenario::{self, Scenario, ScenarioError};
use crate::simulate::initial_staff;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A scenario to decompose and the folder its roster path is relative to.
#[derive(Clone, Debug)]
pub struct Input {
    pub name: String,
    pub scenario: Scenario,
    pub dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum DecomposeError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error("{path}: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("{reform} differs from the baseline {baseline} in {what}; a decomposition needs the same seed, start, horizon and staff (give them with --set)")]
    Mismatch {
        baseline: String,
        reform: String,
        what: String,
    },
    #[error(transparent)]
    Roster(#[from] crate::roster::RosterError),
    #[error(transparent)]
    Guard(#[from] crate::guard::GuardError),
    #[error("could not start worker threads: {0}")]
    Threads(String),
}

/// One outcome of one reform, decomposed.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub group: String,
    pub key: String,
    pub metric: String,
    pub baseline: f64,
    pub frozen: f64,
    pub reform: f64,
}

impl Effect {
    pub fn mechanical(&self) -> f64 {
        self.frozen - self.baseline
    }
    pub fn behavioural(&self) -> f64 {
        self.reform - self.frozen
    }
    pub fn total(&self) -> f64 {
        self.reform - self.baseline
    }
}

/// The decomposition of one reform against the baseline.
#[derive(Clone, Debug)]
pub struct Decomposition {
    pub reform: String,
    pub effects: Vec<Effect>,
}

/// Reads a scenario file, or the resolved scenario of a run folder's manifest, with `sets`.
pub fn load_input(path: &Path, sets: &[String]) -> Result<Input, DecomposeError> {
    if path.is_dir() {
        let manifest = path.join("manifest.toml");
        let bad = |message: String| DecomposeError::Manifest {
            path: manifest.clone(),
            message,
        };
        let bytes = crate::input::read_bounded(&manifest, crate::input::MAX_CONFIG_BYTES)
            .map_err(|e| bad(format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
        let mut root: toml::Table = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let Some(toml::Value::Table(mut sc)) = root.remove("scenario") else {
            return Err(bad(
                "no [scenario] table: not a sisandbox run manifest".into()
            ));
        };
        sc.remove("extends");
        let body = toml::to_string(&sc).map_err(|e| bad(e.to_string()))?;
        let origin = format!("{} [scenario]", manifest.display());
        let s = scenario::from_str(&body, &origin, sets)?.scenario;
        let dir = root
            .get("run")
            .and_then(|r| r.get("scenario_files"))
            .and_then(|v| v.as_array())
            .and_then(|a| a.last())
            .and_then(|v| v.as_str())
            .map(PathBuf::from)
            .filter(|p| p.is_file())
            .and_then(|p| p.parent().map(Path::to_path_buf));
        return Ok(Input {
            name: s.name.clone(),
            scenario: s,
            dir,
        });
    }
    let s = scenario::load(path, sets)?.scenario;
    Ok(Input {
        name: s.name.clone(),
        scenario: s,
        dir: path.parent().map(Path::to_path_buf),
    })
}

/// Runs `s` on `threads` threads, recording its choices into `record` or replaying `replay`.
/// Also the runs of a decomposed sweep (`super::sweep_decompose`).
pub(super) fn run(
    input: &Input,
    threads: usize,
    record: Option<&mut Book>,
    replay: Option<Arc<Book>>,
) -> Result<Outcome, DecomposeError> {
    let s = &input.scenario;
    let limit = crate::guard::memory_limit()?;
    if s.simulation.roster.is_none() {
        crate::guard::check(s, u64::from(s.simulation.agents), &limit)?;
    }
    let agents = initial_staff(s, input.dir.as_deref())?;
    crate::guard::check(s, agents.len() as u64, &limit)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| DecomposeError::Threads(e.to_string()))?;
    Ok(pool.install(|| {
        let mut sim = Simulation::replaying(s, agents, replay);
        let mut record = record;
        if let Some(b) = record.as_deref_mut() {
            b.record(Book::start_key(s), sim.staff());
        }
        for t in 0..s.simulation.years * 12 {
            sim.step();
            if let Some(b) = record.as_deref_mut() {
                b.record(s.simulation.start.plus_months(t as i32), sim.staff());
            }
        }
        sim.finish()
    }))
}

fn check_same(base: &Input, r: &Input) -> Result<(), DecomposeError> {
    let (a, b) = (&base.scenario.simulation, &r.scenario.simulation);
    let what = if a.seed != b.seed {
        format!("seed ({} against {})", b.seed, a.seed)
    } else if a.start != b.start {
        format!("start ({} against {})", b.start, a.start)
    } else if a.years != b.years {
        format!("years ({} against {})", b.years, a.years)
    } else if a.agents != b.agents || a.roster != b.roster {
        "initial staff (simulation.agents or simulation.roster)".to_string()
    } else {
        return Ok(());
    };
    Err(DecomposeError::Mismatch {
        baseline: base.name.clone(),
        reform: r.name.clone(),
        what,
    })
}

/// Decomposes every reform's effect against `base`. `progress` is told each run finished
/// (runs done, runs in all).
pub fn decompose(
    base: &Input,
    reforms: &[Input],
    threads: usize,
    progress: Option<&dyn Fn(usize, usize)>,
) -> Result<Vec<Decomposition>, DecomposeError> {
    for r in reforms {
        check_same(base, r)?;
    }
    let total = 1 + 2 * reforms.len();
    let tick = |n: usize| {
        if let Some(p) = progress {
            p(n, total);
        }
    };
    let mut book = Book::new();
    let b = run(base, threads, Some(&mut book), None)?;
    tick(1);
    let book = Arc::new(book);
    let base_rows = run_metrics(&base.scenario, &b);
    drop(b);
    let mut out = Vec::new();
    for (i, r) in reforms.iter().enumerate() {
        let frozen = run(r, threads, None, Some(book.clone()))?;
        let frozen_rows = run_metrics(&r.scenario, &frozen);
        drop(frozen);
        tick(2 + 2 * i);
        let active = run(r, threads, None, None)?;
        let active_rows = run_metrics(&r.scenario, &active);
        drop(active);
        tick(3 + 2 * i);
        let find = |rows: &[super::summary::MetricRow], g: &str, k: &str, m: &str| {
            rows.iter()
                .find(|x| x.group == g && x.key == k && x.metric == m)
                .map(|x| x.value)
        };
        let effects = base_rows
            .iter()
            .filter_map(|x| {
                let f = find(&frozen_rows, &x.group, &x.key, &x.metric)?;
                let a = find(&active_rows, &x.group, &x.key, &x.metric)?;
                Some(Effect {
                    group: x.group.clone(),
                    key: x.key.clone(),
                    metric: x.metric.clone(),
                    baseline: x.value,
                    frozen: f,
                    reform: a,
                })
            })
            .collect();
        out.push(Decomposition {
            reform: r.name.clone(),
            effects,
        });
    }
    Ok(out)
}

/// The decompositions as tidy CSV.
pub fn to_csv(ds: &[Decomposition]) -> String {
    let mut s = String::from(
        "reform,group,key,metric,baseline,frozen,reform_value,mechanical,behavioural,total\n",
    );
    for d in ds {
        for e in &d.effects {
            let cells = [
                d.reform.clone(),
                e.group.clone(),
                e.key.clone(),
                e.metric.clone(),
                e.baseline.to_string(),
                e.frozen.to_string(),
                e.reform.to_string(),
                e.mechanical().to_string(),
                e.behavioural().to_string(),
                e.total().to_string(),
            ];
            s.push_str(&super::stats::csv_line(&cells));
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(sets: &[&str]) -> Input {
        let mut all = vec!["simulation.agents=400", "simulation.years=4"];
        all.extend_from_slice(sets);
        let sets: Vec<String> = all.iter().map(|s| s.to_string()).collect();
        let s = scenario::from_str("", "t", &sets).unwrap().scenario;
        Input {
            name: s.name.clone(),
            scenario: s,
            dir: None,
        }
    }

    #[test]
    fn the_baseline_replayed_against_itself_has_no_effect() {
        let base = input(&[]);
        let d = decompose(&base, std::slice::from_ref(&base), 1, None).unwrap();
        assert!(!d[0].effects.is_empty());
        for e in &d[0].effects {
            assert_eq!(e.frozen, e.baseline, "{}/{}/{}", e.group, e.key, e.metric);
            assert_eq!(e.reform, e.baseline, "{}/{}/{}", e.group, e.key, e.metric);
        }
    }

    #[test]
    fn a_change_of_preferences_alone_is_all_behaviour() {
        // A higher value of leisure changes choices (the retirement month) and no rule: with
        // the baseline's choices frozen every outcome is the baseline's, so the whole effect
        // is behavioural.
        let base = input(&[]);
        let reform = input(&["perception.leisure_value.mean=0.9"]);
        let d = decompose(&base, &[reform], 2, None).unwrap();
        for e in &d[0].effects {
            assert_eq!(e.mechanical(), 0.0, "{e:?}");
            assert_eq!(e.behavioural(), e.total());
        }
        assert!(
            d[0].effects.iter().any(|e| e.behavioural() != 0.0),
            "retiring earlier changes something"
        );
    }
}
