//! Re-running a run from its manifest: the `[scenario]` table holds the fully resolved
//! scenario (seed included), so it is deserialised as it is, run again, written
//! to a new folder, and every output's SHA-256 is checked against the manifest's `[outputs]`
//! (snapshots.csv too, taken again, when the run was made with `--snapshots`).

use super::snapshot::{write_into_run, SNAPSHOT_FILE};
use crate::engine::RunOptions;
use crate::output::{self, RunMeta};
use crate::scenario::Scenario;
use crate::simulate::{simulate, simulate_with_snapshots};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One output file checked.
#[derive(Clone, Debug, PartialEq)]
pub struct FileCheck {
    pub name: String,
    /// `sha256:…` as the manifest records it.
    pub expected: String,
    /// `sha256:…` of the file written again.
    pub actual: String,
}

impl FileCheck {
    pub fn matches(&self) -> bool {
        self.expected == self.actual
    }
}

/// The result of a reproduction.
#[derive(Clone, Debug)]
pub struct Reproduction {
    /// The folder the run was written to again.
    pub dir: PathBuf,
    /// The re-run's outputs against the recorded hashes.
    pub checks: Vec<FileCheck>,
    /// The original outputs beside the manifest against the recorded hashes (an edited or
    /// damaged result is found even when the re-run matches the manifest).
    pub originals: Vec<FileCheck>,
    /// The sisandbox version recorded in the manifest (a different version may legitimately
    /// give different outputs).
    pub recorded_version: String,
    pub seed: u64,
}

impl Reproduction {
    /// Whether every output matches its recorded hash.
    pub fn ok(&self) -> bool {
        !self.checks.is_empty()
            && self.checks.iter().all(FileCheck::matches)
            && self.originals.iter().all(FileCheck::matches)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReproduceError {
    #[error("cannot read manifest {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error(transparent)]
    Simulate(#[from] crate::simulate::SimulateError),
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

/// Re-runs the run of `manifest` into a new folder under `out` and checks its outputs.
pub fn reproduce(
    manifest: &Path,
    out: &Path,
    threads: usize,
) -> Result<Reproduction, ReproduceError> {
    let bad = |message: String| ReproduceError::Manifest {
        path: manifest.to_path_buf(),
        message,
    };
    let bytes =
        crate::input::read_bounded(manifest, crate::input::MAX_CONFIG_BYTES).map_err(|source| {
            ReproduceError::Io {
                path: manifest.to_path_buf(),
                error: source,
            }
        })?;
    let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
    let mut root: toml::Table = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let Some(toml::Value::Table(mut sc)) = root.remove("scenario") else {
        return Err(bad(
            "no [scenario] table: not a sisandbox run manifest".into()
        ));
    };
    // `extends` is kept only as a record: the overlay is already in the resolved scenario.
    sc.remove("extends");
    let run = root
        .get("run")
        .and_then(|v| v.as_table())
        .cloned()
        .unwrap_or_default();
    let recorded_version = run
        .get("sisandbox_version")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let outputs = root
        .get("outputs")
        .and_then(|v| v.as_table())
        .cloned()
        .ok_or_else(|| bad("no [outputs] table with the hashes to check".into()))?;
    // A roster path is relative to the folder of the scenario file the run was made from.
    let scenario_dir = run
        .get("scenario_files")
        .and_then(|v| v.as_array())
        .and_then(|a| a.last())
        .and_then(|v| v.as_str())
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .and_then(|p| p.parent().map(Path::to_path_buf));
    // The table is validated like any scenario file (catalog ranges, types, cross-field
    // checks), so that an edited manifest (years = 0, a NaN rate, a name with `..`) is refused
    // with the key and what is allowed instead of being run.
    let scenario_text = toml::to_string(&sc).map_err(|e| bad(format!("[scenario]: {e}")))?;
    let origin = format!("{} [scenario]", manifest.display());
    let s: Scenario = crate::scenario::from_str(&scenario_text, &origin, &[])
        .map_err(|e| bad(e.to_string()))?
        .scenario;
    if let Some(seed) = run.get("seed").and_then(|v| v.as_integer()) {
        if seed as u64 != s.simulation.seed {
            return Err(bad(format!(
                "[run] seed {seed} differs from [scenario.simulation] seed {}",
                s.simulation.seed
            )));
        }
    }
    // The original outputs first: a result edited after it was written is reported even if
    // the re-run reproduces the manifest.
    let original_dir = manifest.parent().unwrap_or(Path::new("."));
    let originals = check_files(&outputs, original_dir)?;
    let t0 = Instant::now();
    let opts = RunOptions {
        threads,
        progress: None,
        cancel: None,
    };
    // A run made with `--snapshots` recorded snapshots.csv among its outputs: take them again.
    let (outcome, snapshots) = if outputs.contains_key(SNAPSHOT_FILE) {
        let (o, rows) = simulate_with_snapshots(&s, scenario_dir.as_deref(), &opts)?;
        (o, Some(rows))
    } else {
        (simulate(&s, scenario_dir.as_deref(), &opts)?, None)
    };
    let meta = RunMeta {
        seed: s.simulation.seed,
        threads: if threads == 0 {
            rayon::current_num_threads()
        } else {
            threads
        },
        wall_seconds: t0.elapsed().as_secs_f64(),
        scenario_files: vec![manifest.to_path_buf()],
        command: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let dir = output::fresh_dir(
        out,
        &format!("{}-seed{}-reproduced", s.name, s.simulation.seed),
    );
    output::write_run(&dir, &s, &outcome, &meta)?;
    if let Some(rows) = &snapshots {
        write_into_run(&dir, &s, rows)?;
    }
    let checks = check_files(&outputs, &dir)?;
    Ok(Reproduction {
        dir,
        checks,
        originals,
        recorded_version,
        seed: s.simulation.seed,
    })
}

/// Each recorded output's hash against the file of that name in `dir` (`missing` if absent).
/// A name that is not a plain file name (an edited manifest with `../x`) is an error.
fn check_files(outputs: &toml::Table, dir: &Path) -> Result<Vec<FileCheck>, ReproduceError> {
    let mut checks = Vec::new();
    for (name, expected) in outputs {
        let expected = expected.as_str().unwrap_or_default().to_string();
        let path = output::inside(dir, name)?;
        let actual = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => format!("sha256:{}", output::sha256_file(&path)?),
            Ok(_) => "not a regular file".to_string(),
            Err(_) => "missing".to_string(),
        };
        checks.push(FileCheck {
            name: name.clone(),
            expected,
            actual,
        });
    }
    Ok(checks)
}
