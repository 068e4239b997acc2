//! The simulated method of moments: a candidate parameter set is run on the same seeds as every
//! other candidate (common random numbers), its moments are pooled over the replications, and
//! the weighted distance to the targets is minimised with argmin's Nelder–Mead over the unit
//! cube of the parameters' ranges. Sensitivities are central finite differences at the fit.

use super::moments::{observe, Tally};
use super::targets::Targets;
use super::CalibrateError;
use crate::scenario::{self, Scenario};
use crate::simulate::initial_staff;
use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A deviation is measured relative to the target, but never relative to less than this (a
/// target near 0, such as a trend, is measured in these units).
pub const MIN_SCALE: f64 = 0.01;

/// Penalty per squared unit a Nelder–Mead vertex strays outside the unit cube (the model is
/// run at the nearest point inside).
const OUTSIDE_PENALTY: f64 = 100.0;

/// Step of the finite differences, as a share of each parameter's range.
pub const SENSITIVITY_STEP: f64 = 0.05;

/// One candidate, evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Parameter values, in the order of the targets file.
    pub values: Vec<f64>,
    /// Simulated value of each target.
    pub moments: Vec<f64>,
    /// Σ weight × ((simulated − target) / scale)².
    pub objective: f64,
}

/// Everything one evaluation needs; candidates are cached by their exact values.
pub struct Problem<'a> {
    pub targets: &'a Targets,
    /// The base scenario (its `set` applied), for the shares a parameter rescales.
    pub base: Scenario,
    /// The resolved base scenario as TOML (its `set` applied), loaded again with each
    /// candidate's overrides.
    pub base_text: String,
    pub origin: String,
    /// Folder a roster path is relative to.
    pub scenario_dir: Option<PathBuf>,
    pub seeds: Vec<u64>,
    pub years: (i32, i32),
    /// Replications run at the same time, each on one thread.
    pub threads: usize,
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
    cache: Mutex<BTreeMap<Vec<u64>, Evaluation>>,
    runs: AtomicUsize,
    /// The first error inside the optimiser (argmin carries its own error type).
    failure: Mutex<Option<CalibrateError>>,
}

/// A float as TOML text that reads back as the same float.
pub fn toml_float(x: f64) -> String {
    let s = format!("{x:?}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

impl<'a> Problem<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        targets: &'a Targets,
        base: Scenario,
        base_text: String,
        origin: String,
        scenario_dir: Option<PathBuf>,
        seeds: Vec<u64>,
        years: (i32, i32),
        threads: usize,
    ) -> Self {
        Problem {
            targets,
            base,
            base_text,
            origin,
            scenario_dir,
            seeds,
            years,
            threads: threads.max(1),
            progress: None,
            cache: Mutex::new(BTreeMap::new()),
            runs: AtomicUsize::new(0),
            failure: Mutex::new(None),
        }
    }

    /// Candidates run so far (cache hits not counted).
    pub fn evaluations(&self) -> usize {
        self.runs.load(Ordering::Relaxed)
    }

    /// The scenario of one candidate and seed.
    pub fn scenario(&self, values: &[f64], seed: u64) -> Result<Scenario, CalibrateError> {
        let mut sets: Vec<String> = Vec::new();
        for (p, x) in self.targets.parameters.iter().zip(values) {
            sets.extend(overrides(&self.base, &p.key, *x));
        }
        sets.push(format!("simulation.seed={seed}"));
        Ok(scenario::from_str(&self.base_text, &self.origin, &sets)?.scenario)
    }

    /// Runs a candidate on every seed and measures its moments.
    pub fn evaluate(&self, values: &[f64]) -> Result<Evaluation, CalibrateError> {
        let key: Vec<u64> = values.iter().map(|x| x.to_bits()).collect();
        if let Some(e) = self.cache.lock().map_err(|_| poisoned())?.get(&key) {
            return Ok(e.clone());
        }
        let tally = self.tally(values)?;
        let mut moments = Vec::new();
        let mut objective = 0.0;
        for t in &self.targets.targets {
            let m = tally
                .value(&t.moment)
                .ok_or_else(|| CalibrateError::Unmeasured {
                    target: t.name.clone(),
                    years: self.years,
                })?;
            let d = (m - t.value) / t.value.abs().max(MIN_SCALE);
            objective += t.weight * d * d;
            moments.push(m);
        }
        let e = Evaluation {
            values: values.to_vec(),
            moments,
            objective,
        };
        self.cache
            .lock()
            .map_err(|_| poisoned())?
            .insert(key, e.clone());
        let n = self.runs.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(p) = self.progress {
            p(n);
        }
        Ok(e)
    }

    /// The replications of a candidate, `threads` at a time, pooled in seed order.
    fn tally(&self, values: &[f64]) -> Result<Tally, CalibrateError> {
        let scenarios: Vec<Scenario> = self
            .seeds
            .iter()
            .map(|&seed| self.scenario(values, seed))
            .collect::<Result<_, _>>()?;
        let next = AtomicUsize::new(0);
        let slots: Vec<Mutex<Option<Result<Tally, CalibrateError>>>> =
            scenarios.iter().map(|_| Mutex::new(None)).collect();
        let worker = || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(s) = scenarios.get(i) else {
                return;
            };
            let result = self.run_one(s);
            if let Ok(mut slot) = slots[i].lock() {
                *slot = Some(result);
            }
        };
        let jobs = self.threads.min(scenarios.len()).max(1);
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(worker);
            }
        });
        let mut total = Tally::new(self.years.0, self.years.1);
        for slot in slots {
            let t = slot
                .into_inner()
                .map_err(|_| poisoned())?
                .unwrap_or_else(|| Err(poisoned()))?;
            total.add(&t);
        }
        Ok(total)
    }

    fn run_one(&self, s: &Scenario) -> Result<Tally, CalibrateError> {
        let limit = crate::guard::memory_limit()?;
        if s.simulation.roster.is_none() {
            crate::guard::check(s, u64::from(s.simulation.agents), &limit)?;
        }
        let agents = initial_staff(s, self.scenario_dir.as_deref())?;
        crate::guard::check(s, agents.len() as u64, &limit)?;
        observe(s, agents, self.years).map_err(|e| CalibrateError::Threads(e.to_string()))
    }

    /// Values of the parameters at unit-cube point `u` (clamped into the cube).
    fn at(&self, u: &[f64]) -> Vec<f64> {
        self.targets
            .parameters
            .iter()
            .zip(u)
            .map(|(p, &x)| p.min + x.clamp(0.0, 1.0) * (p.max - p.min))
            .collect()
    }
}

fn poisoned() -> CalibrateError {
    CalibrateError::Threads("a replication's worker failed".into())
}

/// The objective as argmin sees it: a point of the unit cube of the parameters' ranges.
struct Cost<'p, 'a>(&'p Problem<'a>);

impl CostFunction for Cost<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Self::Param) -> Result<f64, argmin::core::Error> {
        let outside: f64 = u
            .iter()
            .map(|&x| (x - x.clamp(0.0, 1.0)).powi(2))
            .sum::<f64>();
        match self.0.evaluate(&self.0.at(u)) {
            Ok(e) => Ok(e.objective + OUTSIDE_PENALTY * outside),
            Err(e) => {
                let text = e.to_string();
                if let Ok(mut f) = self.0.failure.lock() {
                    f.get_or_insert(e);
                }
                Err(argmin::core::Error::msg(text))
            }
        }
    }
}

/// The result of a search.
#[derive(Clone, Debug)]
pub struct Fit {
    pub start: Evaluation,
    /// The best point, rounded to four significant digits and evaluated there.
    pub best: Evaluation,
    pub iterations: u64,
    pub termination: String,
}

/// Four significant digits, so the overlay reads as written by hand and the fit reported is
/// the fit of exactly those values.
pub fn round4(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 3 - x.abs().log10().floor() as i32;
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Nelder–Mead from `start` (parameter values) over the parameters' ranges.
pub fn search(problem: &Problem, start: &[f64]) -> Result<Fit, CalibrateError> {
    let ps = &problem.targets.parameters;
    let u0: Vec<f64> = ps
        .iter()
        .zip(start)
        .map(|(p, &x)| ((x - p.min) / (p.max - p.min)).clamp(0.0, 1.0))
        .collect();
    let start_eval = problem.evaluate(&problem.at(&u0))?;
    let mut simplex = vec![u0.clone()];
    for j in 0..u0.len() {
        let mut v = u0.clone();
        v[j] = if v[j] + 0.25 <= 1.0 {
            v[j] + 0.25
        } else {
            v[j] - 0.25
        };
        simplex.push(v);
    }
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(problem.targets.tolerance)
        .map_err(|e| CalibrateError::Optimiser(e.to_string()))?;
    let result = Executor::new(Cost(problem), solver)
        .configure(|s| s.max_iters(problem.targets.max_iterations))
        .run();
    if let Some(e) = problem.failure.lock().map_err(|_| poisoned())?.take() {
        return Err(e);
    }
    let result = result.map_err(|e| CalibrateError::Optimiser(e.to_string()))?;
    let state = result.state();
    let u = state.get_best_param().cloned().unwrap_or(u0);
    let iterations = state.get_iter();
    let termination = state
        .get_termination_reason()
        .map(|r| r.text().to_string())
        .unwrap_or_else(|| "not terminated".into());
    let rounded: Vec<f64> = problem
        .at(&u)
        .iter()
        .zip(ps)
        .map(|(&x, p)| round4(x).clamp(p.min, p.max))
        .collect();
    let best = problem.evaluate(&rounded)?;
    // The rounded best must not be worse than where the search started.
    let best = if best.objective <= start_eval.objective {
        best
    } else {
        start_eval.clone()
    };
    Ok(Fit {
        start: start_eval,
        best,
        iterations,
        termination,
    })
}

/// d moment / d parameter at the fit, by central differences of step
/// [`SENSITIVITY_STEP`] × range (one-sided at a bound). Rows: (parameter, target, step,
/// derivative, elasticity).
pub type Sensitivity = Vec<(usize, usize, f64, f64, Option<f64>)>;

pub fn sensitivity(problem: &Problem, fit: &Evaluation) -> Result<Sensitivity, CalibrateError> {
    let mut rows = Vec::new();
    for (j, p) in problem.targets.parameters.iter().enumerate() {
        let h = SENSITIVITY_STEP * (p.max - p.min);
        let x = fit.values[j];
        let (lo, hi) = ((x - h).max(p.min), (x + h).min(p.max));
        let at = |v: f64| {
            let mut values = fit.values.clone();
            values[j] = v;
            problem.evaluate(&values)
        };
        let (down, up) = (at(lo)?, at(hi)?);
        for (i, _) in problem.targets.targets.iter().enumerate() {
            let d = (up.moments[i] - down.moments[i]) / (hi - lo);
            let m = fit.moments[i];
            let elasticity = (m != 0.0).then(|| d * x / m);
            rows.push((j, i, hi - lo, d, elasticity));
        }
    }
    Ok(rows)
}

/// Groups of shares that must add up to 1: fitting one member rescales the others.
pub const SHARE_GROUPS: [&str; 2] = ["careers.hire_tracks.", "population.tracks."];

/// The `--set` overrides that give `key` the value `x`. A member of a [`SHARE_GROUPS`] group
/// takes `x` and the other members share `1 − x` in the proportions they have in `base`
/// (equally when they are all 0), so the group still adds up to 1.
pub fn overrides(base: &Scenario, key: &str, x: f64) -> Vec<String> {
    let mut sets = vec![format!("{key}={}", toml_float(x))];
    let Some(group) = SHARE_GROUPS.iter().find(|g| key.starts_with(**g)) else {
        return sets;
    };
    let others: Vec<(String, f64)> = ["establishment", "contract", "temporary"]
        .iter()
        .map(|m| format!("{group}{m}"))
        .filter(|k| k != key)
        .map(|k| {
            let v = current_value(base, &k).unwrap_or(0.0);
            (k, v)
        })
        .collect();
    let sum: f64 = others.iter().map(|o| o.1).sum();
    let n = others.len() as f64;
    for (k, v) in others {
        let share = if sum > 0.0 { v / sum } else { 1.0 / n };
        sets.push(format!("{k}={}", toml_float((1.0 - x) * share)));
    }
    sets
}

/// The value of a dotted key in a scenario (for a parameter's default start).
pub fn current_value(s: &Scenario, key: &str) -> Option<f64> {
    let root = toml::Value::try_from(s).ok()?;
    let mut v = &root;
    for part in key.split('.') {
        v = v.get(part)?;
    }
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_four_digits() {
        assert_eq!(round4(0.0123456), 0.01235);
        assert_eq!(round4(2.345678), 2.346);
        assert_eq!(round4(-0.000712345), -0.0007123);
        assert_eq!(toml_float(1.0), "1.0");
        assert_eq!(toml_float(0.1), "0.1");
    }

    #[test]
    fn current_values_are_read_by_path() {
        let s = Scenario::default();
        assert_eq!(
            current_value(&s, "careers.conversion_rate"),
            Some(s.careers.conversion_rate)
        );
        assert_eq!(
            current_value(&s, "perception.leisure_value.mean"),
            Some(s.perception.leisure_value.mean)
        );
        assert_eq!(current_value(&s, "careers.nothing"), None);
    }

    #[test]
    fn a_share_rescales_its_siblings() {
        let s = Scenario::default();
        let sets = overrides(&s, "careers.hire_tracks.establishment", 0.3);
        assert_eq!(sets.len(), 3);
        let loaded = crate::scenario::from_str("", "t", &sets).unwrap().scenario;
        let t = &loaded.careers.hire_tracks;
        assert_eq!(t.establishment, 0.3);
        assert!((t.establishment + t.contract + t.temporary - 1.0).abs() < 1e-9);
        let c0 = &s.careers.hire_tracks;
        assert!((t.contract / t.temporary - c0.contract / c0.temporary).abs() < 1e-9);
        assert_eq!(overrides(&s, "careers.conversion_rate", 0.1).len(), 1);
    }
}
