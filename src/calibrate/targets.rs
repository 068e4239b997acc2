//! The targets file (`TARGETS.toml`): the base scenario, the parameters to fit with their
//! ranges, and the moments to match with their values, weights and sources. [`Targets::parse`]
//! checks everything that can be checked without running the model and names the file, line
//! and key of each problem; nothing is run or written when one is found.

use super::checks::{check_parameters, check_targets};
use super::moments::Moment;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The most parameters fitted at once (a simplex of `k + 1` candidates, each run
/// `replications` times, is already costly at this size).
pub const MAX_PARAMETERS: usize = 12;

/// `[fit]`: when the search stops.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FitSpec {
    #[serde(default)]
    max_iterations: Option<Spanned<i64>>,
    #[serde(default)]
    tolerance: Option<Spanned<f64>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ParamSpec {
    pub(super) key: Spanned<String>,
    pub(super) min: Spanned<f64>,
    pub(super) max: Spanned<f64>,
    #[serde(default)]
    pub(super) start: Option<Spanned<f64>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetSpec {
    #[serde(default)]
    pub(super) name: Option<Spanned<String>>,
    pub(super) moment: Spanned<String>,
    pub(super) value: Spanned<f64>,
    #[serde(default)]
    pub(super) weight: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) source: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) track: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) age_band: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) year: Option<Spanned<i64>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    scenario: Option<Spanned<String>>,
    #[serde(default)]
    set: Vec<Spanned<String>>,
    #[serde(default)]
    seed: Option<Spanned<i64>>,
    #[serde(default)]
    replications: Option<Spanned<i64>>,
    #[serde(default)]
    years: Option<Spanned<Vec<i64>>>,
    #[serde(default)]
    fit: Option<FitSpec>,
    #[serde(default)]
    parameters: Vec<Spanned<ParamSpec>>,
    #[serde(default)]
    targets: Vec<Spanned<TargetSpec>>,
}

/// A parameter to fit: a numeric scenario key and the range it is searched over.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub key: String,
    pub min: f64,
    pub max: f64,
    /// Where the search starts (the scenario's value when not given, clamped to the range).
    pub start: Option<f64>,
    /// Line of the entry, for messages about it after parsing.
    pub line: usize,
}

/// A moment to match.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub name: String,
    pub moment: Moment,
    pub value: f64,
    pub weight: f64,
    pub source: String,
    pub line: usize,
}

/// A checked targets file.
#[derive(Clone, Debug)]
pub struct Targets {
    pub name: String,
    pub description: String,
    /// The base scenario, resolved against the targets file's folder (none: the embedded
    /// default).
    pub scenario: Option<PathBuf>,
    /// Fixed `--set` overrides of the base scenario (size, horizon).
    pub set: Vec<String>,
    /// Master seed (replication `r` runs on `seed + r`); none: the scenario's seed.
    pub seed: Option<u64>,
    pub replications: usize,
    /// First and last calendar year the moments are measured over (none: the whole run).
    pub years: Option<(i32, i32)>,
    pub max_iterations: u64,
    /// The search stops when the objective's spread over the simplex falls below this.
    pub tolerance: f64,
    pub parameters: Vec<Parameter>,
    pub targets: Vec<Target>,
    /// The file as read (recorded in the manifest, so a fit can be re-run without it).
    pub text: String,
    pub path: PathBuf,
}

/// Problems of a targets file, each `file:line:column: key: message`.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    #[error("cannot read targets file {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: invalid targets file:\n{}", .path.display(), .problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
}

/// Collects problems located in one file.
pub(super) struct Problems<'a> {
    pub(super) file: String,
    pub(super) text: &'a str,
    pub(super) list: Vec<String>,
}

impl Problems<'_> {
    pub(super) fn at(&mut self, span: std::ops::Range<usize>, key: &str, message: impl AsRef<str>) {
        let (line, column) = crate::scenario::source::line_col(self.text, span.start);
        self.list.push(format!(
            "{}:{line}:{column}: {key}: {}",
            self.file,
            message.as_ref()
        ));
    }
    pub(super) fn line(&self, span: &std::ops::Range<usize>) -> usize {
        crate::scenario::source::line_col(self.text, span.start).0
    }
}

/// A TOML error as `file:line:column: key: message`.
fn syntax(file: &str, text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim_end();
    match e.span() {
        Some(span) => {
            let (line, column) = crate::scenario::source::line_col(text, span.start);
            let key = text
                .lines()
                .nth(line.saturating_sub(1))
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim())
                .filter(|k| !k.is_empty() && k.len() <= 64);
            match key {
                Some(k) => format!("{file}:{line}:{column}: {k}: {message}"),
                None => format!("{file}:{line}:{column}: {message}"),
            }
        }
        None => format!("{file}: {message}"),
    }
}

impl Targets {
    /// Reads and checks a targets file.
    pub fn load(path: &Path) -> Result<Targets, TargetsError> {
        let bytes =
            crate::input::read_bounded(path, crate::input::MAX_CONFIG_BYTES).map_err(|error| {
                TargetsError::Io {
                    path: path.to_path_buf(),
                    error,
                }
            })?;
        let text = String::from_utf8(bytes).map_err(|_| TargetsError::Invalid {
            path: path.to_path_buf(),
            problems: vec![format!("{}: not UTF-8 text", path.display())],
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::parse(&text, path, &dir)
    }

    /// Checks the text of a targets file; `path` names it in messages and `dir` is the folder
    /// a relative `scenario` is resolved against.
    pub fn parse(text: &str, path: &Path, dir: &Path) -> Result<Targets, TargetsError> {
        let file = path.display().to_string();
        let invalid = |problems| TargetsError::Invalid {
            path: path.to_path_buf(),
            problems,
        };
        let spec: FileSpec =
            toml::from_str(text).map_err(|e| invalid(vec![syntax(&file, text, &e)]))?;
        let mut p = Problems {
            file: file.clone(),
            text,
            list: Vec::new(),
        };
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("calibration")
            .to_string();
        let name = match &spec.name {
            Some(n) => {
                if let Some(why) = crate::output::component_problem(n.get_ref()) {
                    p.at(
                        n.span(),
                        "name",
                        format!("{:?}: expected {why}", n.get_ref()),
                    );
                }
                n.get_ref().clone()
            }
            None => stem,
        };
        let seed = match &spec.seed {
            Some(s) if *s.get_ref() < 0 => {
                p.at(
                    s.span(),
                    "seed",
                    format!("{}: expected 0 or more", s.get_ref()),
                );
                None
            }
            Some(s) => Some(*s.get_ref() as u64),
            None => None,
        };
        let replications = match &spec.replications {
            Some(r) if !(1..=1000).contains(r.get_ref()) => {
                p.at(
                    r.span(),
                    "replications",
                    format!("{}: expected 1 to 1000", r.get_ref()),
                );
                1
            }
            Some(r) => *r.get_ref() as usize,
            None => 1,
        };
        let years = match &spec.years {
            Some(y) => match y.get_ref().as_slice() {
                [a, b] if a <= b && (1900..=2300).contains(a) && (1900..=2300).contains(b) => {
                    Some((*a as i32, *b as i32))
                }
                _ => {
                    p.at(
                        y.span(),
                        "years",
                        format!(
                            "{:?}: expected [FIRST, LAST], two calendar years with FIRST <= LAST",
                            y.get_ref()
                        ),
                    );
                    None
                }
            },
            None => None,
        };
        let (mut max_iterations, mut tolerance) = (50u64, 1e-4);
        if let Some(fit) = &spec.fit {
            if let Some(m) = &fit.max_iterations {
                if (1..=100_000).contains(m.get_ref()) {
                    max_iterations = *m.get_ref() as u64;
                } else {
                    p.at(
                        m.span(),
                        "fit.max_iterations",
                        format!("{}: expected 1 to 100000", m.get_ref()),
                    );
                }
            }
            if let Some(t) = &fit.tolerance {
                if t.get_ref().is_finite() && *t.get_ref() > 0.0 {
                    tolerance = *t.get_ref();
                } else {
                    p.at(
                        t.span(),
                        "fit.tolerance",
                        format!("{}: expected a number above 0", t.get_ref()),
                    );
                }
            }
        }
        let parameters = check_parameters(&spec.parameters, &mut p);
        let targets = check_targets(&spec.targets, &parameters, years, &mut p);
        if spec.parameters.is_empty() {
            p.list.push(format!(
                "{file}: parameters: no [[parameters]] entry: name at least one scenario key to fit"
            ));
        }
        if spec.targets.is_empty() {
            p.list.push(format!(
                "{file}: targets: no [[targets]] entry: name at least one moment to match"
            ));
        }
        if !p.list.is_empty() {
            return Err(invalid(p.list));
        }
        Ok(Targets {
            name,
            description: spec.description.clone().unwrap_or_default(),
            scenario: spec.scenario.as_ref().map(|s| dir.join(s.get_ref())),
            set: spec.set.iter().map(|s| s.get_ref().clone()).collect(),
            seed,
            replications,
            years,
            max_iterations,
            tolerance,
            parameters,
            targets,
            text: text.to_string(),
            path: path.to_path_buf(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::Track;
    use crate::calibrate::checks::drives;

    fn parse(text: &str) -> Result<Targets, String> {
        Targets::parse(text, Path::new("t.toml"), Path::new("")).map_err(|e| e.to_string())
    }

    const GOOD: &str = r#"
replications = 2
years = [2025, 2027]
[[parameters]]
key = "careers.conversion_rate"
min = 0.0
max = 0.1
[[targets]]
moment = "established_share_trend"
value = -0.007
source = "a publication"
"#;

    #[test]
    fn a_good_file_parses() {
        let t = parse(GOOD).unwrap();
        assert_eq!(t.parameters.len(), 1);
        assert_eq!(t.targets[0].weight, 1.0);
        assert_eq!(t.years, Some((2025, 2027)));
    }

    #[test]
    fn problems_name_line_and_key() {
        let cases = [
            (
                GOOD.replace("source = \"a publication\"\n", ""),
                "t.toml:8:1: targets[0].source: missing",
            ),
            (
                GOOD.replace("value = -0.007", "value = -0.007\nwieght = 2"),
                "t.toml:11:1: wieght: unknown field",
            ),
            (
                GOOD.replace("value = -0.007", "value = -0.007\nweight = 0"),
                "targets[0].weight: 0: expected a number above 0",
            ),
            (
                GOOD.replace("careers.conversion_rate", "careers.conversion_rat"),
                "did you mean `careers.conversion_rate`",
            ),
            (
                GOOD.replace("careers.conversion_rate", "perception.opt_in_slope")
                    .replace("max = 0.1", "max = 10"),
                "no parameter of this file moves it",
            ),
            (
                GOOD.replace("established_share_trend", "leaving_rate")
                    .replace("-0.007", "1.5"),
                "outside what the moment can take",
            ),
            (
                GOOD.replace("max = 0.1", "max = 2.0"),
                "leaves what the key allows",
            ),
        ];
        for (text, want) in cases {
            let e = parse(&text).unwrap_err();
            assert!(e.contains(want), "wanted {want:?} in {e}");
        }
    }

    #[test]
    fn drivers_follow_tracks() {
        let m = Moment::LeavingRate {
            track: Some(Track::Contract),
            band: None,
        };
        assert!(drives("careers.quit_rate.contract", &m));
        assert!(!drives("careers.quit_rate.establishment", &m));
        assert!(drives("careers.quit_profile.under_30", &m));
        assert!(drives(
            "perception.leisure_value.mean",
            &Moment::DeferralTakeUp
        ));
    }
}
