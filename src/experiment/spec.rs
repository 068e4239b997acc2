//! The sweep file: a base scenario, the parameters to vary, the design, the replications and
//! the master seed. [`SweepPlan::load`] reads and checks it, then loads the scenario of every
//! variant once, so a bad parameter path or value is reported before any run starts.

use crate::scenario::{self, Scenario, ScenarioError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The most variants a design may have (a grid's product, LHS samples, Morris points). Each
/// variant's scenario is loaded and validated before the first run (a million took half an
/// hour in every shard), so a sweep beyond this is split into several.
pub const MAX_VARIANTS: usize = 20_000;
/// The most runs (variants × replications) in one sweep.
pub const MAX_RUNS: usize = 10_000_000;

/// How variants are drawn from the parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Design {
    /// Every combination of the parameters' `values` or `range` levels.
    Grid,
    /// `samples` points of a Latin hypercube over the parameters' `[min, max]`.
    Lhs,
    /// `trajectories` Morris one-at-a-time trajectories on `levels` levels of `[min, max]`.
    Morris,
}

impl Design {
    pub fn name(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs => "lhs",
            Design::Morris => "morris",
        }
    }
}

/// A range on a grid: `steps` evenly spaced values from `from` to `to`, both included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeSpec {
    pub from: f64,
    pub to: f64,
    pub steps: u32,
}

/// One `[[parameters]]` entry as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// A scenario key path, as for `--set` (`careers.conversion_rate`, `universities[0].wage_level`).
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<toml::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// The sweep file. After [`SweepPlan::load`] every optional field is filled in (the normal
/// form stored in the sweep folder's `plan.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// Names the default output folder; defaults to the sweep file's stem.
    #[serde(default)]
    pub name: Option<String>,
    /// The base scenario file, relative to the sweep file; without it, the embedded default.
    #[serde(default)]
    pub scenario: Option<String>,
    /// Fixed `--set` overrides applied to every run before the parameters.
    #[serde(default)]
    pub set: Vec<String>,
    /// Replications of every variant (seeds `seed`, `seed + 1`, …).
    pub replications: u32,
    /// Master seed; defaults to the base scenario's `simulation.seed`.
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub design: Option<Design>,
    /// Latin hypercube points.
    #[serde(default)]
    pub samples: Option<u32>,
    /// Morris trajectories.
    #[serde(default)]
    pub trajectories: Option<u32>,
    /// Morris grid levels (even, at least 2; default 4).
    #[serde(default)]
    pub levels: Option<u32>,
    /// Also run the unvaried base scenario as variant 0 and pair every variant against it
    /// (default true for grids, false for LHS and Morris).
    #[serde(default)]
    pub baseline: Option<bool>,
    /// Write the yearly series of every run to `series.csv` (default true).
    #[serde(default)]
    pub series: Option<bool>,
    /// Split each variant's effect against the base into its mechanical and behavioural parts
    /// (decomposition.csv; needs `baseline = true`). Normal form: absent when false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decompose: Option<bool>,
    #[serde(default)]
    pub parameters: Vec<ParamSpec>,
}

/// A parameter value: the TOML text given to `--set`, and the text shown in tables.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub toml: String,
    pub display: String,
}

/// A Morris point: (trajectory, step, the parameter moved and its signed unit step).
pub type MorrisStep = (usize, usize, Option<(usize, f64)>);

/// One variant: the base scenario with these parameter values (none for the base itself).
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub index: usize,
    /// One value per parameter, in parameter order; empty for the unvaried base.
    pub values: Vec<Value>,
    /// Morris: (trajectory, step, moved parameter and its signed unit step).
    pub morris: Option<MorrisStep>,
}

impl Variant {
    pub fn is_base(&self) -> bool {
        self.values.is_empty()
    }
}

/// A checked sweep: the normal-form spec, the parameters and every variant.
#[derive(Clone, Debug)]
pub struct SweepPlan {
    pub spec: SweepSpec,
    pub design: Design,
    pub master_seed: u64,
    pub replications: usize,
    pub baseline: bool,
    pub series: bool,
    /// Each variant also runs with behaviour frozen at the base's choices of its replication
    /// (`runs/run-NNNNNN.frozen.csv`), and decomposition.csv splits its effect.
    pub decompose: bool,
    pub parameters: Vec<String>,
    pub variants: Vec<Variant>,
    /// SHA-256 of the resolved base scenario (TOML), so a changed scenario file is noticed on
    /// resume. Empty for a plan read back from a sweep folder.
    pub base_sha256: String,
    /// SHA-256 of the base scenario's roster file, if it has one: a roster edited between
    /// shards changes the plan, so the shards refuse to mix. Empty without a roster.
    pub roster_sha256: String,
    /// The sweep file's folder (scenario paths are relative to it).
    pub dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The cause is a field of the message, not a `source`, so that it is printed once.
    #[error("cannot read sweep file {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}: invalid sweep file:\n{}", .problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
    #[error("{path}: {what}: the scenario does not load:\n{error}")]
    Scenario {
        path: PathBuf,
        what: String,
        error: ScenarioError,
    },
}

/// A TOML error as `line L, column C: message`, without the parser's copy of the offending
/// line (which can be arbitrarily long).
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => {
            let (line, column) = crate::scenario::source::line_col(text, span.start);
            let key = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim())
                .filter(|k| {
                    !k.is_empty()
                        && k.len() <= 64
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_.-\"".contains(c))
                });
            match key {
                Some(k) => format!(
                    "line {line}, column {column}: `{k}`: {}",
                    e.message().trim_end()
                ),
                None => format!("line {line}, column {column}: {}", e.message().trim_end()),
            }
        }
        None => e.message().trim_end().to_string(),
    }
}

impl SweepPlan {
    /// Reads the sweep file, checks it, builds the variants and loads the scenario of each, so
    /// that every problem is reported before a run starts.
    pub fn load(path: &Path) -> Result<SweepPlan, SpecError> {
        let bytes =
            crate::input::read_bounded(path, crate::input::MAX_CONFIG_BYTES).map_err(|source| {
                SpecError::Io {
                    path: path.to_path_buf(),
                    error: source,
                }
            })?;
        let text = String::from_utf8(bytes).map_err(|_| SpecError::Syntax {
            path: path.to_path_buf(),
            message: "not UTF-8 text".into(),
        })?;
        let spec: SweepSpec = toml::from_str(&text).map_err(|e| SpecError::Syntax {
            path: path.to_path_buf(),
            message: syntax_message(&text, &e),
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("sweep")
            .to_string();
        let plan = Self::from_spec(spec, dir, &stem).map_err(|problems| SpecError::Invalid {
            path: path.to_path_buf(),
            problems,
        })?;
        plan.check_scenarios(path)
    }

    /// A plan from a spec in normal form (a sweep folder's `plan.toml`), without loading any
    /// scenario.
    pub fn from_normal_spec(spec: SweepSpec, origin: &Path) -> Result<SweepPlan, SpecError> {
        Self::from_spec(spec, PathBuf::new(), "sweep").map_err(|problems| SpecError::Invalid {
            path: origin.to_path_buf(),
            problems,
        })
    }

    /// Loads the base scenario (filling in the master seed) and the scenario of every variant.
    fn check_scenarios(mut self, path: &Path) -> Result<SweepPlan, SpecError> {
        let err = |what: String, error: ScenarioError| SpecError::Scenario {
            path: path.to_path_buf(),
            what,
            error,
        };
        let base = self
            .load_scenario(&self.spec.set)
            .map_err(|e| err("the base scenario with `set`".into(), e))?;
        if self.spec.seed.is_none() {
            let seed = base.simulation.seed;
            self.spec.seed = Some(seed);
            // The designs draw from the master seed: rebuild them with the real one.
            let dir = std::mem::take(&mut self.dir);
            let name = self.spec.name.clone().unwrap_or_default();
            self = Self::from_spec(self.spec.clone(), dir, &name).map_err(|problems| {
                SpecError::Invalid {
                    path: path.to_path_buf(),
                    problems,
                }
            })?;
        }
        let text = toml::to_string(&base).unwrap_or_default();
        self.base_sha256 = format!("{:x}", Sha256::digest(text.as_bytes()));
        if let Some(roster) = &base.simulation.roster {
            let scenario = self.scenario_path();
            let dir = scenario
                .as_deref()
                .and_then(Path::parent)
                .unwrap_or(Path::new(""));
            let file = dir.join(roster);
            // An unreadable roster is reported by the runs themselves, with its own message.
            self.roster_sha256 = crate::output::sha256_file(&file).unwrap_or_default();
        }
        for v in &self.variants {
            let overrides = self.overrides(v, 0);
            self.load_scenario(&overrides)
                .map_err(|e| err(format!("variant {} ({})", v.index, self.describe(v)), e))?;
        }
        Ok(self)
    }

    /// The base scenario file, if any, resolved against the sweep file's folder.
    pub fn scenario_path(&self) -> Option<PathBuf> {
        self.spec.scenario.as_ref().map(|s| self.dir.join(s))
    }

    /// Loads the base scenario with these overrides.
    pub fn load_scenario(&self, overrides: &[String]) -> Result<Scenario, ScenarioError> {
        let loaded = match self.scenario_path() {
            Some(p) => scenario::load(&p, overrides)?,
            None => scenario::from_str("", "<embedded default>", overrides)?,
        };
        Ok(loaded.scenario)
    }

    /// Every `--set` of a run: the sweep's fixed `set`, the variant's values, then the seed.
    pub fn overrides(&self, v: &Variant, replication: usize) -> Vec<String> {
        let mut o = self.spec.set.clone();
        for (p, val) in self.parameters.iter().zip(&v.values) {
            o.push(format!("{p}={}", val.toml));
        }
        o.push(format!("simulation.seed={}", self.seed(replication)));
        o
    }

    /// Seed of replication `r`: the master seed plus `r`, the same in every variant (common
    /// random numbers).
    pub fn seed(&self, replication: usize) -> u64 {
        self.master_seed + replication as u64
    }

    /// Runs in all: variants × replications, numbered variant-major.
    pub fn runs(&self) -> usize {
        self.variants.len() * self.replications
    }

    /// (variant, replication) of run `id`.
    pub fn locate(&self, id: usize) -> (usize, usize) {
        (id / self.replications, id % self.replications)
    }

    /// Whether run `id` also has a run with behaviour frozen at the base's choices: every run
    /// of a decomposed sweep except the base's own.
    pub fn has_frozen(&self, id: usize) -> bool {
        self.decompose && !self.variants[self.locate(id).0].is_base()
    }

    /// `path=value, …`, or `base` for the unvaried scenario.
    pub fn describe(&self, v: &Variant) -> String {
        if v.is_base() {
            return "base".into();
        }
        self.parameters
            .iter()
            .zip(&v.values)
            .map(|(p, x)| format!("{p}={}", x.display))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The values of a variant as table cells, one per parameter (empty for the base).
    pub fn cells(&self, v: &Variant) -> Vec<String> {
        if v.is_base() {
            vec![String::new(); self.parameters.len()]
        } else {
            v.values.iter().map(|x| x.display.clone()).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Result<SweepPlan, Vec<String>> {
        let spec: SweepSpec = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        SweepPlan::from_spec(spec, PathBuf::new(), "t")
    }

    #[test]
    fn grid_with_baseline_numbers_variants_and_runs() {
        let p = plan(
            r#"
            replications = 3
            seed = 5
            [[parameters]]
            path = "careers.conversion_rate"
            values = [0.0, 0.05]
            [[parameters]]
            path = "simulation.agents"
            range = { from = 100, to = 300, steps = 3 }
            "#,
        )
        .unwrap();
        assert_eq!(p.variants.len(), 1 + 2 * 3);
        assert_eq!(p.runs(), 21);
        assert!(p.variants[0].is_base());
        assert_eq!(
            p.describe(&p.variants[1]),
            "careers.conversion_rate=0.0, simulation.agents=100"
        );
        assert_eq!(
            p.variants[6].values[1].toml, "300",
            "integer key stays integer"
        );
        assert_eq!(p.locate(7), (2, 1));
        assert_eq!(p.seed(2), 7);
        assert_eq!(
            p.overrides(&p.variants[2], 1).last().unwrap(),
            "simulation.seed=6"
        );
    }

    #[test]
    fn malformed_sweeps_name_the_problem() {
        let cases = [
            ("replications = 0", "replications = 0"),
            (
                "replications = 1\n[[parameters]]\npath = \"careers.conversion_rate\"\nvalues = []",
                "`values` is empty",
            ),
            (
                "replications = 1\n[[parameters]]\npath = \"careers.conversion_rate\"\nrange = { from = 0.1, to = 0.0, steps = 3 }",
                "empty range",
            ),
            (
                "replications = 1\n[[parameters]]\npath = \"careers.conversion_rate\"\nrange = { from = 0.0, to = 0.1, steps = 0 }",
                "empty range (steps = 0)",
            ),
            (
                "replications = 1\ndesign = \"morris\"\ntrajectories = 4\n[[parameters]]\npath = \"careers.conversion_rate\"\nmin = 0.1\nmax = 0.1",
                "empty range (min",
            ),
            ("replications = 1\nreplicatons = 2", "unknown field `replicatons`"),
            (
                "replications = 1\n[[parameters]]\npath = \"a\"\nrange = { from = 0.0, to = 1.0, steps = 1000 }\n[[parameters]]\npath = \"b\"\nrange = { from = 0.0, to = 1.0, steps = 1000 }",
                "more than 20000 combinations",
            ),
            (
                "replications = 4000000000\n[[parameters]]\npath = \"a\"\nvalues = [1, 2]",
                "at most 10000000",
            ),
        ];
        for (text, want) in cases {
            let e = plan(text).unwrap_err().join("\n");
            assert!(e.contains(want), "{text:?} gave {e:?}");
        }
    }

    #[test]
    fn morris_and_lhs_variants_stay_in_bounds() {
        let p = plan(
            r#"
            replications = 1
            seed = 9
            design = "morris"
            trajectories = 3
            [[parameters]]
            path = "careers.conversion_rate"
            min = 0.0
            max = 0.1
            [[parameters]]
            path = "simulation.agents"
            min = 100
            max = 400
            "#,
        )
        .unwrap();
        assert_eq!(p.variants.len(), 3 * 3, "no base variant by default");
        for v in &p.variants {
            let x: f64 = v.values[0].toml.parse().unwrap();
            assert!((0.0..=0.1).contains(&x));
            let n: i64 = v.values[1].toml.parse().unwrap();
            assert!((100..=400).contains(&n));
        }
        let l = plan(
            "replications = 2\ndesign = \"lhs\"\nsamples = 5\n[[parameters]]\npath = \"careers.conversion_rate\"\nmin = 0.0\nmax = 0.1",
        )
        .unwrap();
        assert_eq!(l.runs(), 10);
    }
}
