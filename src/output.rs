//! Writers for run results: tidy CSV, per-agent records and the manifest. Every file is written
//! to a temporary name and renamed into place, and a run's folder is assembled under a hidden
//! temporary name and renamed as a whole, so an interrupted run never leaves a half-written
//! result and an earlier run is never overwritten.

use crate::anonymise::{Coarsening, Privacy, Qi};
use crate::engine::{AgentRecord, Outcome};
use crate::metrics::Series;
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

/// The tidy time series: `month,group,key,metric,value`. Each row is put together in one
/// reused line buffer (no string per field) and handed to the file's buffered writer whole.
pub fn write_series(path: &Path, series: &Series) -> Result<(), OutputError> {
    write_atomic(path, |w| {
        writeln!(w, "month,group,key,metric,value")?;
        let mut line = Vec::with_capacity(128);
        for r in &series.rows {
            line.clear();
            put_month(&mut line, r.month);
            line.push(b',');
            line.extend_from_slice(r.group.as_bytes());
            line.push(b',');
            put_csv_field(&mut line, &r.key);
            line.push(b',');
            line.extend_from_slice(r.metric.as_bytes());
            line.push(b',');
            // Rust's shortest round-trip form, as before (ryu would print `1.0` and `1e16`
            // where this prints `1` and `10000000000000000`).
            write!(line, "{}", r.value)?;
            line.push(b'\n');
            w.write_all(&line)?;
        }
        Ok(())
    })
}

/// A CSV field, quoted when it holds a comma, a quote or a newline.
fn put_csv_field(line: &mut Vec<u8>, s: &str) {
    if s.contains([',', '"', '\n']) {
        line.push(b'"');
        for part in s.split_inclusive('"') {
            line.extend_from_slice(part.as_bytes());
            if part.ends_with('"') {
                line.push(b'"');
            }
        }
        line.push(b'"');
    } else {
        line.extend_from_slice(s.as_bytes());
    }
}

/// An integer in decimal.
fn put_int(line: &mut Vec<u8>, x: impl itoa::Integer) {
    line.extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
}

/// Fen as yuan with two decimals (`money::format_yuan`'s form: "1234.56", "-0.05").
fn put_yuan(line: &mut Vec<u8>, fen: crate::money::Fen) {
    if fen < 0 {
        line.push(b'-');
    }
    let a = fen.unsigned_abs();
    put_int(line, a / 100);
    let cents = (a % 100) as u8;
    line.extend_from_slice(&[b'.', b'0' + cents / 10, b'0' + cents % 10]);
}

/// A month as "YYYY-MM" (`YearMonth`'s `Display`).
fn put_month(line: &mut Vec<u8>, m: crate::time::YearMonth) {
    let (y, mo) = (m.year(), m.month());
    if (1000..=9999).contains(&y) {
        put_int(line, y);
        line.extend_from_slice(&[b'-', b'0' + (mo / 10) as u8, b'0' + (mo % 10) as u8]);
    } else {
        let _ = write!(line, "{m}");
    }
}

/// Column names of agents.csv, documented in docs/OUTPUTS.md.
pub const AGENT_COLUMNS: &[&str] = &[
    "id",
    "university",
    "region",
    "track",
    "sex",
    "category",
    "title",
    "birth",
    "hired",
    "status",
    "status_since",
    "retire_month",
    "wage",
    "contribution_months",
    "pension_basic",
    "pension_personal",
    "pension_transitional",
    "pension_annuity",
    "pension_supplement",
    "pension_total",
    "replacement_final_wage",
    "replacement_average_wage",
    "money_worth",
    "irr",
    "pension_contributions",
    "benefits_received",
    "medical_months",
    "medical_cover",
    "medical_shortfall_months",
    "perception",
    "perception_ce",
    "fairness",
    "security",
    "expected_pension",
    "expected_replacement_rate",
    "effort",
    "base_ratio",
    "enterprise_annuity",
    "unified_scheme",
    "points",
    "take_home",
];

/// Per-agent end records with every fact exact. Simulation ids only: nothing from an imported
/// roster's identifiers. A run writes agents.csv through [`write_run_agents`].
pub fn write_agents(path: &Path, s: &Scenario, records: &[AgentRecord]) -> Result<(), OutputError> {
    write_agents_as(path, s, records, None)
}

/// A run's agents.csv: exact for a generated population; for a roster run k-anonymous
/// (`anonymise`), or exact when the scenario asks for it (`simulation.roster_exact_agents`).
/// Returns what was done to a roster run's file, for its manifest.
pub fn write_run_agents(
    path: &Path,
    s: &Scenario,
    outcome: &Outcome,
) -> Result<Option<Privacy>, OutputError> {
    if s.simulation.roster.is_none() {
        write_agents(path, s, &outcome.records)?;
        return Ok(None);
    }
    let roster_rows = outcome.info.agents_initial;
    if s.simulation.roster_exact_agents {
        write_agents(path, s, &outcome.records)?;
        return Ok(Some(Privacy::Exact { roster_rows }));
    }
    let c = Coarsening::plan(
        &outcome.records,
        roster_rows,
        s.simulation.roster_k_anonymity,
    );
    write_agents_as(path, s, &outcome.records, Some(&c))?;
    Ok(Some(Privacy::Coarsened(c)))
}

fn write_agents_as(
    path: &Path,
    s: &Scenario,
    records: &[AgentRecord],
    coarse: Option<&Coarsening>,
) -> Result<(), OutputError> {
    write_atomic(path, |w| {
        writeln!(w, "{}", AGENT_COLUMNS.join(","))?;
        let mut line = Vec::with_capacity(384);
        for r in records {
            line.clear();
            put_agent(&mut line, s, r, coarse);
            w.write_all(&line)?;
        }
        Ok(())
    })
}

/// A rate with six decimals, or nothing.
fn put_opt(line: &mut Vec<u8>, x: Option<f64>) {
    if let Some(v) = x {
        let _ = write!(line, "{v:.6}");
    }
}

/// One agents.csv row with its newline, field by field in the order of [`AGENT_COLUMNS`],
/// appended to `line`: integers through `itoa`, yuan and months digit by digit, fixed-decimal
/// floats by `write!` into the buffer (the formats are those the columns always had). With
/// `coarse`, the quasi-identifiers are written as the coarsening gives them.
fn put_agent(line: &mut Vec<u8>, s: &Scenario, r: &AgentRecord, coarse: Option<&Coarsening>) {
    let p = &r.pension;
    let sep = |line: &mut Vec<u8>| line.push(b',');
    let withheld = coarse.is_some_and(|c| c.withheld(r));
    let fact = |line: &mut Vec<u8>, q: Qi, exact: &dyn Fn(&mut Vec<u8>)| match coarse {
        Some(c) => c.put(s, r, withheld, q, line),
        None => exact(line),
    };
    put_int(line, r.id);
    sep(line);
    fact(line, Qi::University, &|l| {
        put_csv_field(l, &s.universities[r.university as usize].name)
    });
    sep(line);
    fact(line, Qi::Region, &|l| {
        put_csv_field(l, &s.regions[r.region as usize].name)
    });
    for (q, text) in [
        (Qi::Track, r.track.name()),
        (Qi::Sex, if r.female { "female" } else { "male" }),
        (Qi::Category, if r.cadre { "cadre" } else { "worker" }),
        (Qi::Title, r.title),
    ] {
        sep(line);
        fact(line, q, &|l| l.extend_from_slice(text.as_bytes()));
    }
    sep(line);
    fact(line, Qi::Birth, &|l| put_month(l, r.birth));
    sep(line);
    fact(line, Qi::Hired, &|l| put_month(l, r.hired));
    sep(line);
    line.extend_from_slice(r.status.name().as_bytes());
    sep(line);
    fact(line, Qi::StatusSince, &|l| put_month(l, r.status_since));
    sep(line);
    fact(line, Qi::RetireMonth, &|l| put_month(l, r.retire_month));
    sep(line);
    fact(line, Qi::Wage, &|l| put_yuan(l, r.wage));
    sep(line);
    fact(line, Qi::ContributionMonths, &|l| {
        put_int(l, r.contribution_months)
    });
    for fen in [
        p.basic,
        p.personal,
        p.transitional,
        p.annuity,
        p.supplement,
        p.total(),
    ] {
        sep(line);
        put_yuan(line, fen);
    }
    for x in [
        r.replacement_final,
        r.replacement_average,
        r.money_worth,
        r.irr,
    ] {
        sep(line);
        put_opt(line, x);
    }
    sep(line);
    put_yuan(line, r.pension_paid);
    sep(line);
    put_yuan(line, r.benefits_received);
    sep(line);
    fact(line, Qi::MedicalMonths, &|l| put_int(l, r.medical_months));
    sep(line);
    line.extend_from_slice(medical_cover(r).as_bytes());
    sep(line);
    put_int(line, r.medical_shortfall);
    let q = &r.perception;
    for x in [
        q.index,
        q.ce,
        q.fairness,
        q.security,
        q.expected_pension,
        q.expected_rr,
    ] {
        sep(line);
        // A perception figure at the agent's last evaluation (empty if never evaluated).
        if q.evaluated {
            let _ = write!(line, "{x:.6}");
        }
    }
    let _ = write!(line, ",{:.4},{:.4},", r.effort, r.base_ratio);
    line.extend_from_slice(if r.opted_in { b"true," } else { b"false," });
    line.extend_from_slice(if r.unified { b"true," } else { b"false," });
    put_int(line, r.points);
    sep(line);
    fact(line, Qi::TakeHome, &|l| put_yuan(l, r.take_home));
    line.push(b'\n');
}

/// Retiree medical cover: `covered` when the record qualified at retirement, `bought` when the
/// missing months were bought, empty for staff not retired.
fn medical_cover(r: &AgentRecord) -> &'static str {
    match (r.pension.total() > 0, r.medical_shortfall) {
        (false, _) => "",
        (true, 0) => "covered",
        (true, _) => "bought",
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
    let privacy = write_run_agents(&agents, s, outcome)?;
    let hashes = vec![
        ("series.csv".to_string(), sha256_file(&series)?),
        ("agents.csv".to_string(), sha256_file(&agents)?),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, RunOptions};

    use crate::money::format_yuan;

    /// The row as it was formatted before the direct writer: one `String` per field, joined.
    fn agent_row_by_strings(s: &Scenario, r: &AgentRecord) -> String {
        let csv_field = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let opt = |x: Option<f64>| x.map(|v| format!("{v:.6}")).unwrap_or_default();
        let perception_field = |x: f32| {
            if r.perception.evaluated {
                format!("{x:.6}")
            } else {
                String::new()
            }
        };
        let p = &r.pension;
        let fields: Vec<String> = vec![
            r.id.to_string(),
            csv_field(&s.universities[r.university as usize].name),
            csv_field(&s.regions[r.region as usize].name),
            r.track.name().into(),
            if r.female { "female" } else { "male" }.into(),
            if r.cadre { "cadre" } else { "worker" }.into(),
            r.title.into(),
            r.birth.to_string(),
            r.hired.to_string(),
            r.status.name().into(),
            r.status_since.to_string(),
            r.retire_month.to_string(),
            format_yuan(r.wage),
            r.contribution_months.to_string(),
            format_yuan(p.basic),
            format_yuan(p.personal),
            format_yuan(p.transitional),
            format_yuan(p.annuity),
            format_yuan(p.supplement),
            format_yuan(p.total()),
            opt(r.replacement_final),
            opt(r.replacement_average),
            opt(r.money_worth),
            opt(r.irr),
            format_yuan(r.pension_paid),
            format_yuan(r.benefits_received),
            r.medical_months.to_string(),
            medical_cover(r).into(),
            r.medical_shortfall.to_string(),
            perception_field(r.perception.index),
            perception_field(r.perception.ce),
            perception_field(r.perception.fairness),
            perception_field(r.perception.security),
            perception_field(r.perception.expected_pension),
            perception_field(r.perception.expected_rr),
            format!("{:.4}", r.effort),
            format!("{:.4}", r.base_ratio),
            r.opted_in.to_string(),
            r.unified.to_string(),
            r.points.to_string(),
            format_yuan(r.take_home),
        ];
        assert_eq!(fields.len(), AGENT_COLUMNS.len(), "agent {}", r.id);
        fields.join(",") + "\n"
    }

    #[test]
    fn agents_rows_are_the_bytes_the_string_formatting_gave() {
        let mut s = Scenario::default();
        s.simulation.agents = 300;
        s.simulation.years = 12;
        // Names that need quoting go through the same escaping.
        s.universities[0].name = "Univ, \"A\"".into();
        let mut o =
            engine::run(&s, crate::population::synthetic(&s), &RunOptions::default()).unwrap();
        assert!(
            o.records.iter().any(|r| r.replacement_final.is_some()),
            "some retire"
        );
        // Negative amounts and extreme values print like `format_yuan` and `{:.6}`.
        let mut odd = o.records[0].clone();
        odd.take_home = -5;
        odd.wage = -123_456;
        odd.irr = Some(-0.0000004);
        odd.money_worth = Some(f64::INFINITY);
        odd.birth = crate::time::YearMonth::from_index(-30);
        o.records.push(odd);
        let mut line = Vec::new();
        for r in &o.records {
            line.clear();
            put_agent(&mut line, &s, r, None);
            let direct = String::from_utf8(line.clone()).unwrap();
            assert_eq!(direct, agent_row_by_strings(&s, r), "agent {}", r.id);
        }
    }

    #[test]
    fn series_rows_are_the_bytes_the_string_formatting_gave() {
        let mut series = Series::default();
        let month = crate::time::YearMonth::ym(2031, 7);
        for (key, value) in [
            ("all", 1.0),
            ("a,b", 0.1 + 0.2),
            ("q\"uote\"d", -1e16),
            ("", 123456789.125),
            ("x", f64::NAN),
            ("\n", 1e-7),
        ] {
            series.rows.push(crate::metrics::Row {
                month,
                group: "track",
                key: key.into(),
                metric: "staff",
                value,
            });
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("series.csv");
        write_series(&path, &series).unwrap();
        let mut expected = String::from("month,group,key,metric,value\n");
        for r in &series.rows {
            let key = if r.key.contains([',', '"', '\n']) {
                format!("\"{}\"", r.key.replace('"', "\"\""))
            } else {
                r.key.clone()
            };
            expected += &format!("{},{},{},{},{}\n", r.month, r.group, key, r.metric, r.value);
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    }
}
