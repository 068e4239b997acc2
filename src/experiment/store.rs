//! The sweep folder on disk:
//!
//! ```text
//! <out>/plan.toml                   the sweep in normal form, the version, the base scenario's hash
//! <out>/design.csv                  one row per variant: its parameter values
//! <out>/runs/run-000042.series.csv  the run's yearly series        (if the sweep keeps series)
//! <out>/runs/run-000042.agents.csv  the initial staff's outcomes   (if the sweep has a baseline)
//! <out>/runs/run-000042.frozen.csv  summary metrics with behaviour frozen at the base's choices
//!                                   (a variant of a sweep with `decompose = true`)
//! <out>/runs/run-000042.csv         the run's summary metrics: written last, marks the run done
//! <out>/runs.csv, series.csv, summary.csv, paired.csv, paired_summary.csv, morris.csv,
//! <out>/decomposition.csv, decomposition_summary.csv
//! ```
//!
//! Every file is written to a temporary name unique to the process and renamed into place, so
//! concurrent shards never collide and an interrupted write leaves no partial file under a
//! real name.

use super::stats::{csv_line, fmt, fmt_opt};
use super::summary::{AgentOutcome, MetricRow, YearRow, PAIRED_METRICS};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const PLAN: &str = "plan.toml";
pub const DESIGN: &str = "design.csv";
pub const RUNS_DIR: &str = "runs";
/// The tables assembled at the end, in the order they are written.
pub const TABLES: [&str; 8] = [
    "runs.csv",
    "series.csv",
    "summary.csv",
    "paired.csv",
    "paired_summary.csv",
    "morris.csv",
    "decomposition.csv",
    "decomposition_summary.csv",
];

#[derive(Debug, thiserror::Error)]
#[error("{path}: {error}")]
pub struct StoreError {
    pub path: PathBuf,
    pub error: io::Error,
}

pub fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |error| StoreError {
        path: path.to_path_buf(),
        error,
    }
}

/// Writes `path` atomically through a temporary file created exclusively and unique to the
/// process (see [`crate::output::write_atomic`]), so concurrent shards never collide and an
/// interrupted write leaves no partial file under a real name.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), StoreError> {
    crate::output::write_atomic(path, fill).map_err(|e| match e {
        crate::output::OutputError::Io { path, error } => StoreError { path, error },
        other => StoreError {
            path: path.to_path_buf(),
            error: io::Error::other(other.to_string()),
        },
    })
}

/// Removes temporary files left by interrupted writes in `dir` (not recursive). Only call it
/// when no other process writes to `dir`.
pub fn remove_stale_temporaries(dir: &Path) -> Result<usize, StoreError> {
    let mut n = 0;
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io_err(dir)(e)),
    };
    for e in entries {
        let e = e.map_err(io_err(dir))?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.ends_with(".tmp") {
            fs::remove_file(e.path()).map_err(io_err(&e.path()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// Whether `name` is one of a run's files: `run-NNNNNN.csv`, `.series.csv`, `.agents.csv` or
/// `.frozen.csv`.
pub fn is_run_file_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("run-") else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits >= 6
        && matches!(
            &rest[digits..],
            ".csv" | ".series.csv" | ".agents.csv" | ".frozen.csv"
        )
}

/// Removes the run files of a sweep's `runs/` folder (`--force`), and nothing else.
pub fn remove_run_files(runs: &Path) -> Result<usize, StoreError> {
    let mut n = 0;
    for e in fs::read_dir(runs).map_err(io_err(runs))? {
        let e = e.map_err(io_err(runs))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if is_run_file_name(&name) && e.file_type().is_ok_and(|t| t.is_file()) {
            fs::remove_file(e.path()).map_err(io_err(&e.path()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// Largest per-run file read back (a run's agents file of a million staff is about 60 MB).
pub const MAX_RUN_FILE_BYTES: u64 = 1 << 30;

/// Checks that a per-run file is whole: a regular file of bounded size that starts with
/// `header`, ends with a newline, and has as many fields on every line as the header. An
/// empty or truncated file (a shard copied while it was written, a full disk elsewhere) is
/// an error naming it, not a run silently short of rows.
pub fn check_run_file(path: &Path, header: &str) -> Result<(), StoreError> {
    let bytes = crate::input::read_bounded(path, MAX_RUN_FILE_BYTES).map_err(io_err(path))?;
    let bad = |what: &str| {
        bad_data(
            path,
            format!("{what}: the file is damaged or truncated; run it again"),
        )
    };
    if bytes.is_empty() {
        return Err(bad("empty"));
    }
    if !bytes.starts_with(format!("{header}\n").as_bytes()) {
        return Err(bad("the header is missing or wrong"));
    }
    if !bytes.ends_with(b"\n") {
        return Err(bad("the last line is cut off"));
    }
    let fields = header.split(',').count();
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes.as_slice());
    for (i, rec) in rd.records().enumerate() {
        match rec {
            Ok(r) if r.len() == fields => {}
            Ok(r) => {
                return Err(bad(&format!(
                    "line {} has {} fields, not {fields}",
                    i + 2,
                    r.len()
                )))
            }
            Err(e) => return Err(bad(&format!("line {}: {e}", i + 2))),
        }
    }
    Ok(())
}

/// Paths of one run's files.
pub struct RunFiles {
    pub metrics: PathBuf,
    pub series: PathBuf,
    pub agents: PathBuf,
    /// The summary metrics of the run with behaviour frozen (`decompose = true`).
    pub frozen: PathBuf,
}

impl RunFiles {
    pub fn new(sweep_dir: &Path, id: usize) -> Self {
        let d = sweep_dir.join(RUNS_DIR);
        RunFiles {
            metrics: d.join(format!("run-{id:06}.csv")),
            series: d.join(format!("run-{id:06}.series.csv")),
            agents: d.join(format!("run-{id:06}.agents.csv")),
            frozen: d.join(format!("run-{id:06}.frozen.csv")),
        }
    }

    /// Whether the run finished: its metrics file, written last, exists.
    pub fn complete(&self) -> bool {
        self.metrics.is_file()
    }

    /// Checks every file the run should have (see [`check_run_file`]).
    pub fn check(&self, series: bool, agents: bool, frozen: bool) -> Result<(), StoreError> {
        if series {
            check_run_file(&self.series, SERIES_HEADER)?;
        }
        if agents {
            check_run_file(&self.agents, &agents_header())?;
        }
        if frozen {
            check_run_file(&self.frozen, METRICS_HEADER)?;
        }
        check_run_file(&self.metrics, METRICS_HEADER)
    }
}

pub const METRICS_HEADER: &str = "group,key,metric,value";
pub const SERIES_HEADER: &str = "year,group,key,metric,value";

pub fn write_metrics(path: &Path, rows: &[MetricRow]) -> Result<(), StoreError> {
    write_atomic(path, |w| {
        writeln!(w, "{METRICS_HEADER}")?;
        for r in rows {
            writeln!(
                w,
                "{}",
                csv_line(&[&r.group, &r.key, &r.metric, &fmt(r.value)])
            )?;
        }
        Ok(())
    })
}

pub fn write_series(path: &Path, rows: &[YearRow]) -> Result<(), StoreError> {
    write_atomic(path, |w| {
        writeln!(w, "{SERIES_HEADER}")?;
        for r in rows {
            writeln!(
                w,
                "{}",
                csv_line(&[
                    &r.year.to_string(),
                    r.group,
                    &r.key,
                    r.metric,
                    &fmt(r.value)
                ])
            )?;
        }
        Ok(())
    })
}

pub fn agents_header() -> String {
    let mut h = vec!["id", "track"];
    h.extend(PAIRED_METRICS);
    h.join(",")
}

pub fn write_agent_outcomes(path: &Path, rows: &[AgentOutcome]) -> Result<(), StoreError> {
    write_atomic(path, |w| {
        writeln!(w, "{}", agents_header())?;
        for r in rows {
            let mut f = vec![r.id.to_string(), r.track.clone()];
            f.extend(r.values.iter().map(|v| fmt_opt(*v)));
            writeln!(w, "{}", csv_line(&f))?;
        }
        Ok(())
    })
}

fn bad_data(path: &Path, what: String) -> StoreError {
    StoreError {
        path: path.to_path_buf(),
        error: io::Error::new(io::ErrorKind::InvalidData, what),
    }
}

fn reader(path: &Path) -> Result<csv::Reader<fs::File>, StoreError> {
    let f = fs::File::open(path).map_err(io_err(path))?;
    Ok(csv::ReaderBuilder::new().has_headers(true).from_reader(f))
}

fn parse_f64(path: &Path, s: &str) -> Result<Option<f64>, StoreError> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<f64>()
        .map(Some)
        .map_err(|_| bad_data(path, format!("not a number: {s:?}")))
}

pub fn read_metrics(path: &Path) -> Result<Vec<MetricRow>, StoreError> {
    let mut out = Vec::new();
    for rec in reader(path)?.records() {
        let rec = rec.map_err(|e| bad_data(path, e.to_string()))?;
        if rec.len() != 4 {
            return Err(bad_data(
                path,
                format!("expected 4 fields, got {}", rec.len()),
            ));
        }
        out.push(MetricRow {
            group: rec[0].to_string(),
            key: rec[1].to_string(),
            metric: rec[2].to_string(),
            value: parse_f64(path, &rec[3])?.unwrap_or(f64::NAN),
        });
    }
    Ok(out)
}

pub fn read_agent_outcomes(path: &Path) -> Result<Vec<AgentOutcome>, StoreError> {
    let mut out = Vec::new();
    for rec in reader(path)?.records() {
        let rec = rec.map_err(|e| bad_data(path, e.to_string()))?;
        if rec.len() != 2 + PAIRED_METRICS.len() {
            return Err(bad_data(
                path,
                format!("unexpected field count {}", rec.len()),
            ));
        }
        let id = rec[0]
            .parse::<u32>()
            .map_err(|_| bad_data(path, format!("bad id {:?}", &rec[0])))?;
        let mut values = [None; 5];
        for (i, v) in values.iter_mut().enumerate() {
            *v = parse_f64(path, &rec[2 + i])?;
        }
        out.push(AgentOutcome {
            id,
            track: rec[1].to_string(),
            values,
        });
    }
    Ok(out)
}

/// Copies the data lines (not the header) of a per-run file to `w`, each prefixed by `prefix`.
pub fn copy_lines(path: &Path, prefix: &str, w: &mut dyn Write) -> Result<(), StoreError> {
    use std::io::BufRead;
    let f = fs::File::open(path).map_err(io_err(path))?;
    let mut first = true;
    for line in io::BufReader::new(f).lines() {
        let line = line.map_err(io_err(path))?;
        if std::mem::take(&mut first) {
            continue;
        }
        writeln!(w, "{prefix},{line}").map_err(io_err(path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.csv");
        write_atomic(&p, |w| w.write_all(b"one\n")).unwrap();
        write_atomic(&p, |w| w.write_all(b"two\n")).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two\n");
        let failed = write_atomic(&p, |_| Err(io::Error::other("disk full")));
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "two\n", "old file kept");
        let names: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        fs::write(d.path().join(".x.csv.1-1.tmp"), "junk").unwrap();
        assert_eq!(remove_stale_temporaries(d.path()).unwrap(), 1);
    }

    #[test]
    fn per_run_files_round_trip() {
        let d = tempfile::tempdir().unwrap();
        let rows = vec![MetricRow {
            group: "university".into(),
            key: "a, \"b\"".into(),
            metric: "employer_cost".into(),
            value: 0.1 + 0.2,
        }];
        let p = d.path().join("m.csv");
        write_metrics(&p, &rows).unwrap();
        assert_eq!(read_metrics(&p).unwrap(), rows);
        let agents = vec![AgentOutcome {
            id: 7,
            track: "contract".into(),
            values: [Some(0.5), None, Some(1.25), None, Some(3000.5)],
        }];
        let q = d.path().join("a.csv");
        write_agent_outcomes(&q, &agents).unwrap();
        assert_eq!(read_agent_outcomes(&q).unwrap(), agents);
        fs::write(&q, "id,track\n1,x\n").unwrap();
        assert!(
            read_agent_outcomes(&q).is_err(),
            "a damaged file is an error, not a panic"
        );
    }
}
