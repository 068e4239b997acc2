//! A calibration from start to finish, and its folder: `overlay.toml` (the fitted parameters as
//! a scenario overlay), `fit.csv`, `sensitivity.csv` and `manifest.toml` (the targets file as
//! read, the resolved base scenario, seeds, thread count, version and the SHA-256 of every
//! output). The folder is assembled beside its place and renamed into it when complete, like a
//! run folder (`output::write_folder`). [`reproduce`] re-runs a fit from its manifest alone.

use super::fit::{current_value, overrides, search, sensitivity, Fit, Problem, Sensitivity};
use super::moments::run_years;
use super::targets::Targets;
use super::CalibrateError;
use crate::experiment::reproduce::FileCheck;
use crate::output::{self, OutputError};
use crate::scenario::{self, Scenario};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The files of a calibration folder, in the order the manifest lists them.
pub const OUTPUTS: [&str; 3] = ["overlay.toml", "fit.csv", "sensitivity.csv"];

/// How to run a calibration.
pub struct Options<'a> {
    /// Folder under which the calibration's own folder is created.
    pub out: PathBuf,
    /// Replications run at the same time (0: one per core). Results do not depend on it.
    pub threads: usize,
    /// Called after each candidate run with the number run so far.
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
    /// The command line, for the manifest.
    pub command: String,
}

/// A finished calibration.
#[derive(Clone, Debug)]
pub struct Calibration {
    pub dir: PathBuf,
    pub fit: Fit,
    pub evaluations: usize,
    pub parameters: Vec<String>,
    pub targets: Vec<(String, f64)>,
    pub seeds: Vec<u64>,
}

fn threads_of(n: usize) -> usize {
    match n {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Runs the calibration a targets file describes and writes its folder.
pub fn calibrate(t: &Targets, opts: &Options) -> Result<Calibration, CalibrateError> {
    let origin = match &t.scenario {
        Some(p) => p.display().to_string(),
        None => "<embedded default>".to_string(),
    };
    let loaded = match &t.scenario {
        Some(p) => scenario::load(p, &t.set),
        None => scenario::from_str("", &origin, &t.set),
    }
    .map_err(|error| CalibrateError::Scenario {
        origin: origin.clone(),
        error,
    })?;
    let table = base_table(&loaded.scenario)?;
    let scenario_dir = t
        .scenario
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf);
    run(t, table, scenario_dir, opts, "")
}

/// The resolved scenario as a TOML table, without `extends` (the overlay is already in it).
fn base_table(s: &Scenario) -> Result<toml::Table, CalibrateError> {
    let mut table = match toml::Value::try_from(s) {
        Ok(toml::Value::Table(t)) => t,
        _ => {
            return Err(OutputError::Manifest("the base scenario does not serialise".into()).into())
        }
    };
    table.remove("extends");
    Ok(table)
}

fn run(
    t: &Targets,
    table: toml::Table,
    scenario_dir: Option<PathBuf>,
    opts: &Options,
    suffix: &str,
) -> Result<Calibration, CalibrateError> {
    let t0 = Instant::now();
    let base_text = toml::to_string(&table)
        .map_err(|e| OutputError::Manifest(format!("the base scenario: {e}")))?;
    let origin = format!("{} (base scenario)", t.path.display());
    let base = scenario::from_str(&base_text, &origin, &[])
        .map_err(|error| CalibrateError::Scenario {
            origin: origin.clone(),
            error,
        })?
        .scenario;
    let (run_first, run_last) = run_years(&base);
    let years = t.years.unwrap_or((run_first, run_last));
    if years.0 < run_first || years.1 > run_last {
        return Err(CalibrateError::Years {
            file: t.path.clone(),
            first: years.0,
            last: years.1,
            run_first,
            run_last,
        });
    }
    // Every parameter at both ends of its range must make a valid scenario.
    for p in &t.parameters {
        for value in [p.min, p.max] {
            let set = overrides(&base, &p.key, value);
            scenario::from_str(&base_text, &origin, &set).map_err(|error| {
                CalibrateError::Parameter {
                    file: t.path.clone(),
                    key: p.key.clone(),
                    value,
                    error,
                }
            })?;
        }
    }
    let master = t.seed.unwrap_or(base.simulation.seed);
    let seeds: Vec<u64> = (0..t.replications as u64).map(|r| master + r).collect();
    let threads = threads_of(opts.threads);
    let mut problem = Problem::new(
        t,
        base.clone(),
        base_text,
        origin,
        scenario_dir.clone(),
        seeds.clone(),
        years,
        threads,
    );
    problem.progress = opts.progress;
    let start: Vec<f64> = t
        .parameters
        .iter()
        .map(|p| {
            p.start
                .or_else(|| current_value(&base, &p.key))
                .unwrap_or((p.min + p.max) / 2.0)
                .clamp(p.min, p.max)
        })
        .collect();
    let fit = search(&problem, &start)?;
    let sens = sensitivity(&problem, &fit.best)?;
    let evaluations = problem.evaluations();
    let files = [
        overlay_text(t, &fit, &seeds),
        fit_csv(t, &fit)?,
        sensitivity_csv(t, &fit, &sens)?,
    ];
    let dir = output::fresh_dir(&opts.out, &format!("{}-seed{master}{suffix}", t.name));
    let info = Info {
        t,
        table: &table,
        scenario_dir: scenario_dir.as_deref(),
        fit: &fit,
        seeds: &seeds,
        years,
        threads,
        evaluations,
        wall: t0.elapsed().as_secs_f64(),
        command: &opts.command,
    };
    output::write_folder(&dir, |tmp| {
        let mut hashes = Vec::new();
        for (name, text) in OUTPUTS.iter().zip(&files) {
            output::write_atomic(&tmp.join(name), |w| w.write_all(text.as_bytes()))?;
            hashes.push((name.to_string(), output::sha256_file(&tmp.join(name))?));
        }
        let manifest = manifest_text(&info, &hashes)?;
        output::write_atomic(&tmp.join("manifest.toml"), |w| {
            w.write_all(manifest.as_bytes())
        })
    })?;
    Ok(Calibration {
        dir,
        evaluations,
        parameters: t.parameters.iter().map(|p| p.key.clone()).collect(),
        targets: t
            .targets
            .iter()
            .map(|x| (x.name.clone(), x.value))
            .collect(),
        fit,
        seeds,
    })
}

/// The fitted values as nested tables (`careers.quit_rate.contract` → `[careers.quit_rate]`).
fn overlay_text(t: &Targets, fit: &Fit, seeds: &[u64]) -> String {
    let mut root = toml::Table::new();
    for (p, &x) in t.parameters.iter().zip(&fit.best.values) {
        let parts: Vec<&str> = p.key.split('.').collect();
        let mut table = &mut root;
        for part in &parts[..parts.len() - 1] {
            let entry = table
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(inner) => table = inner,
                _ => unreachable!("catalog keys are leaves"),
            }
        }
        table.insert(parts[parts.len() - 1].to_string(), toml::Value::Float(x));
    }
    let mut text = format!(
        "# Parameters fitted by `sisandbox calibrate` to the targets `{}` by the simulated method\n\
         # of moments: objective {:.6} (at the start {:.6}) after {} Nelder-Mead iterations\n\
         # ({}), {} replication(s) on seeds {}..={}. fit.csv holds each target and its source.\n\
         # A scenario that `extends` its base and writes these tables uses the fitted values.\n",
        t.name,
        fit.best.objective,
        fit.start.objective,
        fit.iterations,
        fit.termination,
        seeds.len(),
        seeds.first().copied().unwrap_or(0),
        seeds.last().copied().unwrap_or(0),
    );
    text.push_str(&toml::to_string(&root).unwrap_or_default());
    text
}

fn csv_text(rows: Vec<Vec<String>>) -> Result<String, CalibrateError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r)
            .map_err(|e| OutputError::Manifest(e.to_string()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| OutputError::Manifest(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn fit_csv(t: &Targets, fit: &Fit) -> Result<String, CalibrateError> {
    let mut rows = vec![[
        "target",
        "moment",
        "value",
        "simulated",
        "simulated_at_start",
        "weight",
        "weighted_squared_deviation",
        "source",
    ]
    .map(String::from)
    .to_vec()];
    for (i, x) in t.targets.iter().enumerate() {
        let m = fit.best.moments[i];
        let d = (m - x.value) / x.value.abs().max(super::fit::MIN_SCALE);
        rows.push(vec![
            x.name.clone(),
            x.moment.label(),
            x.value.to_string(),
            m.to_string(),
            fit.start.moments[i].to_string(),
            x.weight.to_string(),
            (x.weight * d * d).to_string(),
            x.source.clone(),
        ]);
    }
    csv_text(rows)
}

fn sensitivity_csv(t: &Targets, fit: &Fit, s: &Sensitivity) -> Result<String, CalibrateError> {
    let mut rows = vec![[
        "parameter",
        "fitted",
        "target",
        "step",
        "derivative",
        "elasticity",
    ]
    .map(String::from)
    .to_vec()];
    for &(j, i, step, d, e) in s {
        rows.push(vec![
            t.parameters[j].key.clone(),
            fit.best.values[j].to_string(),
            t.targets[i].name.clone(),
            step.to_string(),
            d.to_string(),
            e.map(|e| e.to_string()).unwrap_or_default(),
        ]);
    }
    csv_text(rows)
}

struct Info<'a> {
    t: &'a Targets,
    table: &'a toml::Table,
    scenario_dir: Option<&'a Path>,
    fit: &'a Fit,
    seeds: &'a [u64],
    years: (i32, i32),
    threads: usize,
    evaluations: usize,
    wall: f64,
    command: &'a str,
}

fn manifest_text(i: &Info, hashes: &[(String, String)]) -> Result<String, OutputError> {
    use toml::Value as V;
    let mut cal = toml::Table::new();
    let mut put = |k: &str, v: V| {
        cal.insert(k.into(), v);
    };
    put("sisandbox_version", V::String(crate::version().into()));
    put("name", V::String(i.t.name.clone()));
    put("seed", V::Integer(i.seeds[0] as i64));
    put(
        "seeds",
        V::Array(i.seeds.iter().map(|&s| V::Integer(s as i64)).collect()),
    );
    put(
        "years",
        V::Array(vec![
            V::Integer(i.years.0 as i64),
            V::Integer(i.years.1 as i64),
        ]),
    );
    put("threads", V::Integer(i.threads as i64));
    put("wall_seconds", V::Float((i.wall * 1000.0).round() / 1000.0));
    put("command", V::String(i.command.to_string()));
    put("candidates_run", V::Integer(i.evaluations as i64));
    put("iterations", V::Integer(i.fit.iterations as i64));
    put("termination", V::String(i.fit.termination.clone()));
    put("objective", V::Float(i.fit.best.objective));
    put("objective_at_start", V::Float(i.fit.start.objective));
    let mut inputs = toml::Table::new();
    inputs.insert(
        "targets_file".into(),
        V::String(i.t.path.display().to_string()),
    );
    inputs.insert(
        "targets_sha256".into(),
        V::String(format!("{:x}", Sha256::digest(i.t.text.as_bytes()))),
    );
    inputs.insert("targets_text".into(), V::String(i.t.text.clone()));
    let base_text = toml::to_string(i.table).map_err(|e| OutputError::Manifest(e.to_string()))?;
    inputs.insert(
        "base_scenario_sha256".into(),
        V::String(format!("{:x}", Sha256::digest(base_text.as_bytes()))),
    );
    if let Some(d) = i.scenario_dir {
        inputs.insert("scenario_dir".into(), V::String(d.display().to_string()));
    }
    let mut fitted = toml::Table::new();
    for (p, &x) in i.t.parameters.iter().zip(&i.fit.best.values) {
        fitted.insert(p.key.clone(), V::Float(x));
    }
    let mut outputs = toml::Table::new();
    for (name, hash) in hashes {
        outputs.insert(name.clone(), V::String(format!("sha256:{hash}")));
    }
    let mut root = toml::Table::new();
    root.insert("calibration".into(), V::Table(cal));
    root.insert("inputs".into(), V::Table(inputs));
    root.insert("fitted".into(), V::Table(fitted));
    root.insert("outputs".into(), V::Table(outputs));
    root.insert("scenario".into(), V::Table(i.table.clone()));
    let body = toml::to_string(&root).map_err(|e| OutputError::Manifest(e.to_string()))?;
    Ok(format!(
        "# sisandbox calibration manifest: re-run with `sisandbox calibrate --reproduce` and\n\
         # every output's SHA-256 is checked. Only threads, wall_seconds and command may differ.\n{body}"
    ))
}

/// A fit re-run from its manifest.
#[derive(Clone, Debug)]
pub struct Reproduction {
    pub calibration: Calibration,
    pub checks: Vec<FileCheck>,
    /// The outputs beside the manifest against their recorded hashes.
    pub originals: Vec<FileCheck>,
    pub recorded_version: String,
}

impl Reproduction {
    pub fn ok(&self) -> bool {
        !self.checks.is_empty()
            && self.checks.iter().all(FileCheck::matches)
            && self.originals.iter().all(FileCheck::matches)
    }
}

/// Re-runs the calibration of `manifest` into a new folder under `opts.out` and checks that
/// every output has the SHA-256 the manifest records.
pub fn reproduce(manifest: &Path, opts: &Options) -> Result<Reproduction, CalibrateError> {
    let bad = |message: String| CalibrateError::Manifest {
        path: manifest.to_path_buf(),
        message,
    };
    let bytes = crate::input::read_bounded(manifest, crate::input::MAX_CONFIG_BYTES)
        .map_err(|e| bad(format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
    let mut root: toml::Table = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let Some(toml::Value::Table(table)) = root.remove("scenario") else {
        return Err(bad(
            "no [scenario] table: not a sisandbox calibration manifest".into(),
        ));
    };
    let section = |name: &str| -> Result<toml::Table, CalibrateError> {
        match root.get(name) {
            Some(toml::Value::Table(t)) => Ok(t.clone()),
            _ => Err(bad(format!(
                "no [{name}] table: not a sisandbox calibration manifest"
            ))),
        }
    };
    let (inputs, cal, outputs) = (
        section("inputs")?,
        section("calibration")?,
        section("outputs")?,
    );
    let string = |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).map(String::from);
    let targets_text = string(&inputs, "targets_text")
        .ok_or_else(|| bad("[inputs] has no targets_text".into()))?;
    let targets_file = string(&inputs, "targets_file").unwrap_or_default();
    let targets_dir = Path::new(&targets_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let recorded = PathBuf::from(format!("{} [inputs.targets_text]", manifest.display()));
    let mut t = Targets::parse(&targets_text, &recorded, &targets_dir)?;
    // The name of the folder comes from the original file.
    if let Some(name) = string(&cal, "name") {
        t.name = name;
    }
    let scenario_dir = string(&inputs, "scenario_dir")
        .map(PathBuf::from)
        .filter(|d| d.is_dir());
    let original = manifest.parent().unwrap_or(Path::new("."));
    let originals = check_files(&outputs, original)?;
    let calibration = run(&t, table, scenario_dir, opts, "-reproduced")?;
    let checks = check_files(&outputs, &calibration.dir)?;
    Ok(Reproduction {
        calibration,
        checks,
        originals,
        recorded_version: string(&cal, "sisandbox_version").unwrap_or_default(),
    })
}

fn check_files(outputs: &toml::Table, dir: &Path) -> Result<Vec<FileCheck>, CalibrateError> {
    let mut checks = Vec::new();
    for (name, expected) in outputs {
        let path = output::inside(dir, name)?;
        let actual = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => format!("sha256:{}", output::sha256_file(&path)?),
            Ok(_) => "not a regular file".to_string(),
            Err(_) => "missing".to_string(),
        };
        checks.push(FileCheck {
            name: name.clone(),
            expected: expected.as_str().unwrap_or_default().to_string(),
            actual,
        });
    }
    Ok(checks)
}
