//! Writers for run results: tidy CSV, per-agent records and the manifest. Every file is written
//! to a temporary name and renamed into place, and a run's folder is assembled under a hidden
//! temporary name and renamed as a whole, so an interrupted run never leaves a half-written
//! result and an earlier run is never overwritten.
//!
//! Layout: this file holds the safe writing (temporary files, paths kept inside their folder,
//! the run folder and its manifest); `tables` formats series.csv and agents.csv row by row.

mod fixed;
mod tables;

pub use tables::{write_agents, write_run_agents, write_series, AGENT_COLUMNS};

use crate::anonymise::Privacy;
use crate::engine::Outcome;
use crate::scenario::Scenario;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The cause is a field of the message, not a `source`, so that it is printed once.
    #[error("cannot write {path}: {error}")]
    Io { path: PathBuf, error: io::Error },
    #[error("cannot serialise the manifest: {0}")]
    Manifest(String),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |error| OutputError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Writes `path` through a temporary file in the same folder, then renames it into place.
///
/// The temporary file `.NAME.PID-N.tmp` is created exclusively (`O_CREAT | O_EXCL`: an
/// existing file or a symbolic link planted under that name is never opened or followed), so
/// processes writing the same folder never share one. A target that exists but is not a
/// regular file (a device, a folder, a symbolic link) is refused rather than replaced. The
/// data is flushed and synced before the rename, and the folder after it (best effort), so the
/// file is either absent or complete, even after a power cut.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    refuse_non_regular(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| OutputError::Io {
            path: path.to_path_buf(),
            error: io::Error::new(io::ErrorKind::InvalidInput, "not a file name"),
        })?;
    let (tmp, file) = create_temporary(dir, name)?;
    let mut w = BufWriter::with_capacity(1 << 16, file);
    let result = fill(&mut w)
        .and_then(|_| w.flush())
        .and_then(|_| w.get_ref().sync_all());
    if let Err(e) = result {
        drop(w);
        let _ = fs::remove_file(&tmp);
        return Err(OutputError::Io {
            path: path.to_path_buf(),
            error: e,
        });
    }
    drop(w);
    if let Err(e) =
        refuse_non_regular(path).and_then(|_| fs::rename(&tmp, path).map_err(io_err(path)))
    {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

static TMP_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A new temporary file beside `name` in `dir`, created exclusively.
fn create_temporary(dir: &Path, name: &str) -> Result<(PathBuf, fs::File), OutputError> {
    let pid = std::process::id();
    loop {
        let n = TMP_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{pid}-{n}.tmp"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            // Left by another process that had the same id: take the next number.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < u64::MAX => continue,
            Err(e) => return Err(io_err(&tmp)(e)),
        }
    }
}

/// An error if `path` exists and is not a regular file (never followed if a symbolic link).
fn refuse_non_regular(path: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => Err(OutputError::Io {
            path: path.to_path_buf(),
            error: io::Error::new(
                io::ErrorKind::AlreadyExists,
                "exists and is not a regular file (a device, folder or symbolic link); \
                 refusing to replace it",
            ),
        }),
        _ => Ok(()),
    }
}

/// Why `name` cannot be one folder or file name inside an output folder, if it cannot: it
/// must be a single path component that is not hidden, so that nothing is written outside
/// the folder it is meant for (`..`, `/`, `C:` or a leading `.` would).
pub fn component_problem(name: &str) -> Option<String> {
    const ALLOWED: &str = "letters, digits, `-`, `_` and `.`, not starting with `.` or `-`, \
                           at most 100 characters";
    let ok = !name.is_empty()
        && name.chars().count() <= 100
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (!ok).then(|| format!("a folder name: {ALLOWED}"))
}

/// `dir/name`, checked to stay inside `dir` (see [`component_problem`]).
pub fn inside(dir: &Path, name: &str) -> Result<PathBuf, OutputError> {
    match component_problem(name) {
        None => Ok(dir.join(name)),
        Some(why) => Err(OutputError::Io {
            path: dir.join(name),
            error: io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{name}` is not allowed as {why}"),
            ),
        }),
    }
}

/// Hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> Result<String, OutputError> {
    // Streamed, so hashing a large agents.csv needs no copy of it in memory.
    let mut file = fs::File::open(path).map_err(io_err(path))?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher).map_err(io_err(path))?;
    Ok(format!("{:x}", hasher.finalize()))
}

/// What the manifest records beyond the scenario.
#[derive(Clone, Debug)]
pub struct RunMeta {
    pub seed: u64,
    pub threads: usize,
    pub wall_seconds: f64,
    pub scenario_files: Vec<PathBuf>,
    pub command: String,
}

/// A free folder name under `root`: `base`, else `base-2`, `base-3`, …
pub fn fresh_dir(root: &Path, base: &str) -> PathBuf {
    let mut candidate = root.join(base);
    let mut n = 2;
    while candidate.exists() {
        candidate = root.join(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

/// `.NAME.SUFFIX` beside `dir` in `root`.
fn hidden(root: &Path, dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("run");
    root.join(format!(".{name}{suffix}"))
}

/// The exclusive right to write one run folder: an advisory lock (`flock`) on
/// `.NAME.lock` beside it, held while the folder is assembled. The lock dies with its process,
/// so a run killed half-way leaves nothing that blocks the next one, while a second run
/// writing the same folder at the same time (same scenario name and seed into one `--out`)
/// is refused instead of deleting the first one's files.
struct Claim {
    file: fs::File,
    path: PathBuf,
}

impl Claim {
    fn take(parent: &Path, dir: &Path) -> Result<Claim, OutputError> {
        let path = hidden(parent, dir, ".lock");
        let busy = || OutputError::Io {
            path: dir.to_path_buf(),
            error: io::Error::new(
                io::ErrorKind::WouldBlock,
                "another sisandbox run is writing this folder now (the same scenario name and \
                 seed into the same output folder); wait for it to finish, or give another \
                 --out or --seed",
            ),
        };
        // The holder removes the lock file when it is done; a file opened just before that
        // is locked in vain, so check that the name still leads to the file locked.
        for _ in 0..16 {
            refuse_non_regular(&path)?;
            let file = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io_err(&path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(busy()),
                Err(fs::TryLockError::Error(e)) => return Err(io_err(&path)(e)),
            }
            if same_file(&file, &path) {
                return Ok(Claim { file, path });
            }
        }
        Err(busy())
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.is_file()
}

impl Drop for Claim {
    fn drop(&mut self) {
        // Removed while still locked, so no other run can hold a lock on it.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Writes a whole run into a new folder `dir` (which must not exist): assembled in a hidden
/// sibling `.NAME.partial` and renamed into place at the end, under an exclusive claim (see
/// [`Claim`]): a concurrent writer of the same folder is refused, and a partial folder left
/// by a killed run is removed.
pub fn write_run(
    dir: &Path,
    s: &Scenario,
    outcome: &Outcome,
    meta: &RunMeta,
) -> Result<(), OutputError> {
    write_run_report(dir, s, outcome, meta).map(|_| ())
}

/// [`write_run`], returning what was done to a roster run's agents.csv (for a message).
pub fn write_run_report(
    dir: &Path,
    s: &Scenario,
    outcome: &Outcome,
    meta: &RunMeta,
) -> Result<Option<Privacy>, OutputError> {
    let mut privacy = None;
    write_folder(dir, |tmp| {
        privacy = write_files(tmp, s, outcome, meta)?;
        Ok(())
    })?;
    Ok(privacy)
}

/// Writes a new folder `dir` (which must not exist) the way [`write_run`] does: `fill` writes
/// the files into a hidden sibling `.NAME.partial`, which is renamed into place when `fill`
/// succeeds and removed when it fails, under the same exclusive claim. Other commands that
/// write a result folder (`sisandbox calibrate`) use it too.
pub fn write_folder(
    dir: &Path,
    fill: impl FnOnce(&Path) -> Result<(), OutputError>,
) -> Result<(), OutputError> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    inside(parent, name)?;
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let _claim = Claim::take(parent, dir)?;
    if fs::symlink_metadata(dir).is_ok() {
        return Err(OutputError::Io {
            path: dir.to_path_buf(),
            error: io::Error::new(
                io::ErrorKind::AlreadyExists,
                "refusing to overwrite an earlier run's results",
            ),
        });
    }
    let tmp = hidden(parent, dir, ".partial");
    match fs::symlink_metadata(&tmp) {
        // Left by a run that died: nobody else holds the claim.
        Ok(m) if m.is_dir() => fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?,
        Ok(_) => fs::remove_file(&tmp).map_err(io_err(&tmp))?,
        Err(_) => {}
    }
    fs::create_dir(&tmp).map_err(io_err(&tmp))?;
    let result = fill(&tmp).and_then(|_| fs::rename(&tmp, dir).map_err(io_err(dir)));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn write_files(
    dir: &Path,
    s: &Scenario,
    outcome: &Outcome,
    meta: &RunMeta,
) -> Result<Option<Privacy>, OutputError> {
    let series = dir.join("series.csv");
    let agents = dir.join("agents.csv");
    write_series(&series, &outcome.series)?;
    let (privacy, agents_sha256) = write_run_agents(&agents, s, outcome)?;
    let hashes = vec![
        ("series.csv".to_string(), sha256_file(&series)?),
        ("agents.csv".to_string(), agents_sha256),
    ];
    let mut manifest = manifest_text(s, outcome, meta, &hashes)?;
    if let Some(p) = &privacy {
        // Its own table, after the others: a roster run's record of what agents.csv shows.
        let table = toml::Table::from_iter([("privacy".to_string(), p.manifest_table().into())]);
        manifest.push('\n');
        manifest += &toml::to_string(&table).map_err(|e| OutputError::Manifest(e.to_string()))?;
    }
    write_atomic(&dir.join("manifest.toml"), |w| {
        w.write_all(manifest.as_bytes())
    })?;
    Ok(privacy)
}

/// The manifest: provenance of the run. Timing and thread count are the only fields that may
/// differ between two runs of the same scenario and seed.
pub fn manifest_text(
    s: &Scenario,
    outcome: &Outcome,
    meta: &RunMeta,
    hashes: &[(String, String)],
) -> Result<String, OutputError> {
    use toml::Value;
    let mut root = toml::Table::new();
    let mut run = toml::Table::new();
    run.insert(
        "sisandbox_version".into(),
        Value::String(crate::version().into()),
    );
    run.insert("seed".into(), Value::Integer(meta.seed as i64));
    run.insert("threads".into(), Value::Integer(meta.threads as i64));
    run.insert(
        "wall_seconds".into(),
        Value::Float((meta.wall_seconds * 1000.0).round() / 1000.0),
    );
    run.insert("months".into(), Value::Integer(outcome.info.months as i64));
    run.insert(
        "agents_initial".into(),
        Value::Integer(outcome.info.agents_initial as i64),
    );
    run.insert(
        "agents_final".into(),
        Value::Integer(outcome.info.agents_final as i64),
    );
    run.insert("command".into(), Value::String(meta.command.clone()));
    let files: Vec<Value> = meta
        .scenario_files
        .iter()
        .map(|p| Value::String(p.display().to_string()))
        .collect();
    run.insert("scenario_files".into(), Value::Array(files));
    root.insert("run".into(), Value::Table(run));
    let mut out = toml::Table::new();
    for (name, hash) in hashes {
        out.insert(name.clone(), Value::String(format!("sha256:{hash}")));
    }
    root.insert("outputs".into(), Value::Table(out));
    let scenario = Value::try_from(s).map_err(|e| OutputError::Manifest(e.to_string()))?;
    root.insert("scenario".into(), scenario);
    root.insert("provenance".into(), provenance());
    toml::to_string(&root).map_err(|e| OutputError::Manifest(e.to_string()))
}

/// Source and certainty of every default, from the key catalog.
fn provenance() -> toml::Value {
    let mut t = toml::Table::new();
    for d in Scenario::key_docs() {
        if d.source == "model" {
            continue;
        }
        t.insert(
            d.path.clone(),
            toml::Value::String(format!("{} [{}]", d.source, d.certainty.label())),
        );
    }
    toml::Value::Table(t)
}
