//! The checks of a sweep file that need no scenario, and its variants: the design's keys, the
//! parameters' levels or bounds, the limits on variants and runs, then the grid, Latin
//! hypercube or Morris points. Kept apart from `spec`, which reads the file and loads each
//! variant's scenario, because every problem found here is collected and reported together.

use super::design;
use super::levels::{bounds, grid_levels, is_integer_key, number_value};
use super::spec::{Design, SweepPlan, SweepSpec, Value, Variant, MAX_RUNS, MAX_VARIANTS};
use std::path::PathBuf;

impl SweepPlan {
    /// Checks the spec and builds its variants (no scenario loaded yet).
    pub(super) fn from_spec(
        mut spec: SweepSpec,
        dir: PathBuf,
        stem: &str,
    ) -> Result<SweepPlan, Vec<String>> {
        let mut problems = Vec::new();
        let design = spec.design.unwrap_or(Design::Grid);
        if spec.replications == 0 {
            problems.push("replications = 0: at least one replication is needed".to_string());
        }
        for (i, p) in spec.parameters.iter().enumerate() {
            if p.path.trim().is_empty() {
                problems.push(format!("parameters[{i}]: `path` is empty"));
            }
            if spec.parameters[..i].iter().any(|o| o.path == p.path) {
                problems.push(format!("parameters `{}` is given twice", p.path));
            }
        }
        let name = spec.name.clone().unwrap_or_else(|| stem.to_string());
        if let Some(why) = crate::output::component_problem(&name) {
            problems.push(format!("name = {name:?}: expected {why}"));
        }
        let seed = spec.seed;
        let check_unused = |key: &str, set: bool, problems: &mut Vec<String>| {
            if set {
                problems.push(format!(
                    "`{key}` is not used by the {} design",
                    design.name()
                ));
            }
        };
        check_unused(
            "samples",
            spec.samples.is_some() && design != Design::Lhs,
            &mut problems,
        );
        check_unused(
            "trajectories",
            spec.trajectories.is_some() && design != Design::Morris,
            &mut problems,
        );
        check_unused(
            "levels",
            spec.levels.is_some() && design != Design::Morris,
            &mut problems,
        );
        let names: Vec<String> = spec.parameters.iter().map(|p| p.path.clone()).collect();
        let integer: Vec<bool> = names.iter().map(|p| is_integer_key(p)).collect();
        let baseline = spec.baseline.unwrap_or(design == Design::Grid);
        let decompose = spec.decompose.unwrap_or(false);
        if decompose && !baseline {
            problems.push(
                "decompose = true splits each variant's effect against the unvaried base: set \
                 baseline = true"
                    .into(),
            );
        }
        let mut variants = Vec::new();
        if baseline {
            variants.push(Variant {
                index: 0,
                values: Vec::new(),
                morris: None,
            });
        }
        let master = seed.unwrap_or(0);
        match design {
            Design::Grid => {
                let levels: Vec<Vec<Value>> = spec
                    .parameters
                    .iter()
                    .zip(&integer)
                    .map(|(p, &int)| grid_levels(p, int, &mut problems))
                    .collect();
                let counts: Vec<usize> = levels.iter().map(Vec::len).collect();
                let product = counts
                    .iter()
                    .try_fold(1usize, |acc, &n| acc.checked_mul(n))
                    .filter(|&n| n <= MAX_VARIANTS);
                if product.is_none() {
                    problems.push(format!(
                        "the grid has more than {MAX_VARIANTS} combinations; use fewer values or an lhs design"
                    ));
                }
                if problems.is_empty() && !levels.is_empty() {
                    for combo in design::grid(&counts) {
                        variants.push(Variant {
                            index: variants.len(),
                            values: combo
                                .iter()
                                .enumerate()
                                .map(|(j, &l)| levels[j][l].clone())
                                .collect(),
                            morris: None,
                        });
                    }
                }
            }
            Design::Lhs | Design::Morris => {
                if spec.parameters.is_empty() {
                    problems.push(format!(
                        "the {} design needs at least one [[parameters]] entry",
                        design.name()
                    ));
                }
                let b: Vec<(f64, f64)> = spec
                    .parameters
                    .iter()
                    .map(|p| bounds(p, design, &mut problems))
                    .collect();
                let map = |x: &[f64]| -> Vec<Value> {
                    x.iter()
                        .zip(&b)
                        .zip(&integer)
                        .map(|((u, (lo, hi)), &int)| number_value(lo + u * (hi - lo), int))
                        .collect()
                };
                if design == Design::Lhs {
                    let n = spec.samples.unwrap_or(0);
                    if n == 0 {
                        problems.push("the lhs design needs `samples` of at least 1".into());
                    }
                    if n as usize > MAX_VARIANTS {
                        problems.push(format!(
                            "samples = {n}: at most {MAX_VARIANTS} (every variant is checked \
                             before the first run); split the sweep into several"
                        ));
                    }
                    spec.samples = Some(n);
                    if problems.is_empty() {
                        for x in design::latin_hypercube(master, n as usize, b.len()) {
                            variants.push(Variant {
                                index: variants.len(),
                                values: map(&x),
                                morris: None,
                            });
                        }
                    }
                } else {
                    let r = spec.trajectories.unwrap_or(0);
                    let p = spec.levels.unwrap_or(4);
                    if r < 2 {
                        problems.push(
                            "the morris design needs `trajectories` of at least 2 (σ needs two effects)"
                                .into(),
                        );
                    }
                    if p < 2 || p & 1 == 1 {
                        problems.push(format!(
                            "levels = {p}: Morris levels must be even and at least 2"
                        ));
                    }
                    if (r as usize).saturating_mul(b.len() + 1) > MAX_VARIANTS {
                        problems.push(format!(
                            "trajectories = {r}: more than {MAX_VARIANTS} Morris points"
                        ));
                    }
                    if p > 1000 {
                        problems.push(format!("levels = {p}: at most 1000"));
                    }
                    spec.trajectories = Some(r);
                    spec.levels = Some(p);
                    if problems.is_empty() {
                        for pt in design::morris(master, r as usize, b.len(), p as usize) {
                            variants.push(Variant {
                                index: variants.len(),
                                values: map(&pt.x),
                                morris: Some((pt.trajectory, pt.step, pt.moved)),
                            });
                        }
                    }
                }
            }
        }
        if variants.is_empty() && problems.is_empty() {
            problems
                .push("the sweep has no variant: add [[parameters]] or set baseline = true".into());
        }
        let runs = variants.len() as u128 * spec.replications as u128;
        if runs > MAX_RUNS as u128 {
            problems.push(format!(
                "{runs} runs: at most {MAX_RUNS} in one sweep (split it into several)"
            ));
        }
        if let Some(s) = seed {
            if s as u128 + spec.replications as u128 > i64::MAX as u128 {
                problems.push(format!(
                    "seed = {s}: seed + replications must stay below 2^63"
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        spec.name = Some(name);
        spec.design = Some(design);
        spec.baseline = Some(baseline);
        spec.series = Some(spec.series.unwrap_or(true));
        spec.decompose = decompose.then_some(true);
        Ok(SweepPlan {
            design,
            master_seed: master,
            replications: spec.replications as usize,
            baseline,
            series: spec.series.unwrap_or(true),
            decompose,
            parameters: names,
            variants,
            base_sha256: String::new(),
            roster_sha256: String::new(),
            dir,
            spec,
        })
    }
}
