//! Writers for run results: tidy CSV, per-agent records and the manifest. Every file is written
//! to a temporary name and renamed into place, and a run's folder is assembled under a hidden
//! temporary name and renamed as a whole, so an interrupted run never leaves a half-written
//! result and an earlier run is never overwritten.

use crate::engine::{AgentRecord, Outcome};
use crate::metrics::Series;
use crate::money::format_yuan;
use crate::scenario::Scenario;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot serialise the manifest: {0}")]
    Manifest(String),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `path` through a temporary file in the same folder, then renames it into place.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    let file = fs::File::create(&tmp).map_err(io_err(&tmp))?;
    let mut w = BufWriter::new(file);
    let result = fill(&mut w)
        .and_then(|_| w.flush())
        .and_then(|_| w.get_ref().sync_all());
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(OutputError::Io {
            path: path.to_path_buf(),
            source: e,
        });
    }
    drop(w);
    fs::rename(&tmp, path).map_err(io_err(path))
}

/// The tidy time series: `month,group,key,metric,value`.
pub fn write_series(path: &Path, series: &Series) -> Result<(), OutputError> {
    write_atomic(path, |w| {
        writeln!(w, "month,group,key,metric,value")?;
        for r in &series.rows {
            writeln!(
                w,
                "{},{},{},{},{}",
                r.month,
                r.group,
                csv_field(&r.key),
                r.metric,
                r.value
            )?;
        }
        Ok(())
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
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

/// Per-agent end records. Simulation ids only: nothing from an imported roster's identifiers.
pub fn write_agents(path: &Path, s: &Scenario, records: &[AgentRecord]) -> Result<(), OutputError> {
    write_atomic(path, |w| {
        writeln!(w, "{}", AGENT_COLUMNS.join(","))?;
        for r in records {
            write_agent(w, s, r)?;
        }
        Ok(())
    })
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.6}")).unwrap_or_default()
}

fn write_agent(w: &mut dyn Write, s: &Scenario, r: &AgentRecord) -> io::Result<()> {
    writeln!(w, "{}", agent_fields(s, r).join(","))
}

/// One agents.csv row, field by field in the order of [`AGENT_COLUMNS`].
fn agent_fields(s: &Scenario, r: &AgentRecord) -> Vec<String> {
    let p = &r.pension;
    vec![
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
        perception_field(r, r.perception.index),
        perception_field(r, r.perception.ce),
        perception_field(r, r.perception.fairness),
        perception_field(r, r.perception.security),
        perception_field(r, r.perception.expected_pension),
        perception_field(r, r.perception.expected_rr),
        format!("{:.4}", r.effort),
        format!("{:.4}", r.base_ratio),
        r.opted_in.to_string(),
        r.unified.to_string(),
        r.points.to_string(),
        format_yuan(r.take_home),
    ]
}

/// A perception figure at the agent's last evaluation (empty if never evaluated).
fn perception_field(r: &AgentRecord, x: f32) -> String {
    if r.perception.evaluated {
        format!("{x:.6}")
    } else {
        String::new()
    }
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

/// Writes a whole run into a new folder `dir` (which must not exist): assembled in a hidden
/// sibling and renamed into place at the end.
pub fn write_run(
    dir: &Path,
    s: &Scenario,
    outcome: &Outcome,
    meta: &RunMeta,
) -> Result<(), OutputError> {
    if dir.exists() {
        return Err(OutputError::Io {
            path: dir.to_path_buf(),
            source: io::Error::new(
                io::ErrorKind::AlreadyExists,
                "refusing to overwrite an earlier run's results",
            ),
        });
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("run");
    let tmp = parent.join(format!(".{name}.partial"));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
    }
    fs::create_dir(&tmp).map_err(io_err(&tmp))?;
    let result = write_files(&tmp, s, outcome, meta)
        .and_then(|_| fs::rename(&tmp, dir).map_err(io_err(dir)));
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
) -> Result<(), OutputError> {
    let series = dir.join("series.csv");
    let agents = dir.join("agents.csv");
    write_series(&series, &outcome.series)?;
    write_agents(&agents, s, &outcome.records)?;
    let hashes = vec![
        ("series.csv".to_string(), sha256_file(&series)?),
        ("agents.csv".to_string(), sha256_file(&agents)?),
    ];
    let manifest = manifest_text(s, outcome, meta, &hashes)?;
    write_atomic(&dir.join("manifest.toml"), |w| {
        w.write_all(manifest.as_bytes())
    })
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

    #[test]
    fn every_agents_row_has_one_field_per_column() {
        let mut s = Scenario::default();
        s.simulation.agents = 300;
        s.simulation.years = 12;
        let o = engine::run(&s, crate::population::synthetic(&s), &RunOptions::default()).unwrap();
        assert!(
            o.records.iter().any(|r| r.replacement_final.is_some()),
            "some retire"
        );
        for r in &o.records {
            assert_eq!(
                agent_fields(&s, r).len(),
                AGENT_COLUMNS.len(),
                "agent {}",
                r.id
            );
        }
    }
}
