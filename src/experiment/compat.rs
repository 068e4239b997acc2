//! Whether run folders can be compared: the same start month, horizon and initial headcount.
//! A 10-year run set beside a 40-year one, or 2,000 staff beside 6,000, gives differences that
//! say nothing about the reform (a "−70 % pension" that is only a shorter horizon), so
//! `compare` refuses such runs unless asked to go on. A different seed is allowed but noted
//! (the runs are then compared unpaired), and so is a different version of sisandbox (the model
//! may have changed between them).

use std::path::{Path, PathBuf};

/// What a run's manifest says about how comparable it is.
#[derive(Clone, Debug, PartialEq)]
pub struct RunShape {
    pub dir: PathBuf,
    /// `simulation.start` as written in the manifest ("2025-01").
    pub start: String,
    /// Simulated months.
    pub months: i64,
    /// Staff at the start.
    pub agents_initial: i64,
    pub seed: i64,
    /// `simulation.roster`, if the staff came from a roster.
    pub roster: Option<String>,
    /// The sisandbox version that wrote the run (`[run] sisandbox_version`), if recorded.
    pub version: Option<String>,
}

/// How a run differs from the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// `start`, `horizon`, `staff`, `seed`, `roster` or `version`.
    pub what: &'static str,
    pub reference: String,
    pub other: String,
    /// Whether the difference makes the comparison meaningless (not only unpaired).
    pub blocking: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CompatError {
    pub path: PathBuf,
    pub message: String,
}

/// Largest manifest read (a manifest is tens of kilobytes).
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

impl RunShape {
    /// Reads the shape of the run in folder `dir` from its `manifest.toml`.
    pub fn load(dir: &Path) -> Result<RunShape, CompatError> {
        let path = dir.join("manifest.toml");
        let err = |message: String| CompatError {
            path: path.clone(),
            message,
        };
        let bytes = crate::input::read_bounded(&path, MAX_MANIFEST_BYTES)
            .map_err(|e| err(format!("cannot read the run's manifest: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| err("not UTF-8 text".into()))?;
        let root: toml::Table = toml::from_str(&text)
            .map_err(|e| err(format!("not a run manifest: {}", e.message())))?;
        let get = |table: &str, key: &str| -> Option<&toml::Value> {
            let mut v = root.get(table)?;
            for k in key.split('.') {
                v = v.get(k)?;
            }
            Some(v)
        };
        let int = |table: &str, key: &str| -> Result<i64, CompatError> {
            get(table, key)
                .and_then(toml::Value::as_integer)
                .ok_or_else(|| err(format!("no whole number at [{table}] {key}")))
        };
        let start = match get("scenario", "simulation.start") {
            Some(toml::Value::String(s)) => s.clone(),
            Some(toml::Value::Integer(y)) => y.to_string(),
            _ => return Err(err("no [scenario.simulation] start".into())),
        };
        Ok(RunShape {
            dir: dir.to_path_buf(),
            start,
            months: int("run", "months")?,
            agents_initial: int("run", "agents_initial")?,
            seed: int("run", "seed")?,
            roster: get("scenario", "simulation.roster")
                .and_then(toml::Value::as_str)
                .map(str::to_string),
            version: get("run", "sisandbox_version")
                .and_then(toml::Value::as_str)
                .map(str::to_string),
        })
    }

    /// How `other` differs from this reference run.
    pub fn differences(&self, other: &RunShape) -> Vec<Difference> {
        let mut out = Vec::new();
        let mut add = |what, a: String, b: String, blocking| {
            if a != b {
                out.push(Difference {
                    what,
                    reference: a,
                    other: b,
                    blocking,
                });
            }
        };
        add("start", self.start.clone(), other.start.clone(), true);
        add(
            "horizon",
            months_text(self.months),
            months_text(other.months),
            true,
        );
        add(
            "staff",
            format!("{} initial staff", self.agents_initial),
            format!("{} initial staff", other.agents_initial),
            true,
        );
        add(
            "seed",
            format!("seed {}", self.seed as u64),
            format!("seed {}", other.seed as u64),
            false,
        );
        let roster = |r: &Option<String>| r.clone().unwrap_or_else(|| "synthetic staff".into());
        add("roster", roster(&self.roster), roster(&other.roster), true);
        let version = |v: &Option<String>| match v {
            Some(v) => format!("sisandbox {v}"),
            None => "no recorded version".into(),
        };
        add(
            "version",
            version(&self.version),
            version(&other.version),
            false,
        );
        out
    }
}

fn months_text(m: i64) -> String {
    if m % 12 == 0 {
        format!("{} years", m / 12)
    } else {
        format!("{m} months")
    }
}

/// The differences of every run from the first, as lines for a message, and whether any of
/// them makes the comparison meaningless.
pub fn check(shapes: &[RunShape]) -> (Vec<String>, bool) {
    let Some(reference) = shapes.first() else {
        return (Vec::new(), false);
    };
    let mut lines = Vec::new();
    let mut blocking = false;
    for other in &shapes[1..] {
        for d in reference.differences(other) {
            blocking |= d.blocking;
            lines.push(format!(
                "{} has {} where the reference {} has {}",
                other.dir.display(),
                d.other,
                reference.dir.display(),
                d.reference
            ));
        }
    }
    (lines, blocking)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(start: &str, months: i64, agents: i64, seed: i64) -> RunShape {
        RunShape {
            dir: PathBuf::from(format!("r{months}-{agents}-{seed}")),
            start: start.into(),
            months,
            agents_initial: agents,
            seed,
            roster: None,
            version: Some("0.1.0".into()),
        }
    }

    #[test]
    fn horizon_start_and_staff_block_a_seed_only_notes() {
        let a = shape("2025-01", 120, 2000, 7);
        assert_eq!(check(&[a.clone(), a.clone()]), (vec![], false));
        let (lines, blocking) = check(&[a.clone(), shape("2025-01", 120, 2000, 8)]);
        assert!(!blocking && lines.len() == 1 && lines[0].contains("seed 8"));
        for other in [
            shape("2025-01", 480, 2000, 7),
            shape("2027-01", 120, 2000, 7),
            shape("2025-01", 120, 6000, 7),
        ] {
            let (lines, blocking) = check(&[a.clone(), other]);
            assert!(blocking, "{lines:?}");
        }
        let (lines, _) = check(&[a, shape("2025-01", 480, 6000, 7)]);
        assert!(lines
            .iter()
            .any(|l| l.contains("40 years") && l.contains("10 years")));
        assert!(lines.iter().any(|l| l.contains("6000 initial staff")));
        let mut newer = shape("2025-01", 120, 2000, 7);
        newer.version = Some("0.2.0".into());
        let (lines, blocking) = check(&[shape("2025-01", 120, 2000, 7), newer]);
        assert!(!blocking && lines.len() == 1 && lines[0].contains("sisandbox 0.2.0"));
    }

    #[test]
    fn a_missing_or_damaged_manifest_is_an_error_naming_it() {
        let d = tempfile::tempdir().unwrap();
        let e = RunShape::load(d.path()).unwrap_err();
        assert!(e.to_string().contains("manifest.toml"), "{e}");
        std::fs::write(d.path().join("manifest.toml"), "[run]\nseed = 1\n").unwrap();
        assert!(RunShape::load(d.path()).is_err());
    }
}
