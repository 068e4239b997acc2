//! Side-by-side outcome distributions of run folders (written by `sisandbox run`) at a common
//! date: per metric and group, each run's count, mean with its 95 % interval and quantiles, and
//! the difference from the first run (the reference). When two runs share the seed and the
//! initial headcount, the initial staff are the same people in both (common random numbers), so
//! the difference is paired by agent id: the mean of per-agent differences with its interval,
//! and the shares of agents who gain and who lose. Otherwise the difference of means has a
//! Welch interval.
//!
//! Every outcome is compared at a stated date ([`compare_dates`]; [`compare`] takes the runs'
//! common last month). Pay, take-home, perception, the pension in payment and the contributions
//! paid so far are taken as they stood at the date, and an agent is paired only where it is in
//! the same state then in both runs (both active, both retired, both deferred); the outcomes of
//! the award (replacement rates, money's worth, rate of return) are paired over the agents
//! awarded a pension in the run by the date in both ([`Basis`]). A difference over fewer than
//! [`MIN_PAIRS`] agents, or under half the initial staff of its group, carries a warning.
//!
//! The computation is here; `sisandbox compare` only prints, and the GUI calls [`compare`].

pub use super::compare_csv::csv_header;
pub use super::compare_data::{basis, AgentRow, Basis, RunData};
use super::stats::{mean_ci, quantiles, t975, QUANTILES};
pub use super::winners::{band, winners_csv, winners_losers, WinnersRow, BANDS};
use crate::time::YearMonth;
use std::collections::HashMap;
use std::path::PathBuf;

/// A difference over fewer agents than this carries a warning.
pub const MIN_PAIRS: usize = 100;

/// The agents.csv columns compared (each on its [`basis`]).
pub const COMPARE_METRICS: [&str; 9] = [
    "replacement_final_wage",
    "replacement_average_wage",
    "money_worth",
    "irr",
    "pension_total",
    "wage",
    "pension_contributions",
    "perception",
    "take_home",
];

/// The agent attributes results are grouped by (besides `all`).
pub const GROUPS: [&str; 4] = ["track", "sex", "region", "university"];

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("{path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("compare needs at least two runs")]
    TooFew,
    #[error("{0}")]
    Date(String),
}

/// One row of the comparison: one run's distribution of one metric in one group, and its
/// difference from the reference run.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    pub metric: &'static str,
    /// The date compared (`None`: the runs' end records, date unknown).
    pub at: Option<YearMonth>,
    pub basis: Basis,
    /// `all` or one of [`GROUPS`].
    pub group: &'static str,
    pub key: String,
    /// Index of the run in the comparison (0 is the reference).
    pub run: usize,
    pub n: usize,
    pub mean: Option<f64>,
    pub ci: Option<(f64, f64)>,
    /// At [`QUANTILES`].
    pub quantiles: Option<Vec<f64>>,
    /// Difference from the reference (this run − reference); `None` for the reference.
    pub diff: Option<Diff>,
    /// Why the difference rests on too few agents (see [`MIN_PAIRS`]); `None` when it does not.
    pub warning: Option<String>,
}

/// A difference from the reference run.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    pub paired: bool,
    /// Pairs (paired) or 0 (unpaired).
    pub pairs: usize,
    /// Paired only: the reference's initial staff in the group, of whom `pairs` were compared.
    pub population: usize,
    pub mean: f64,
    pub ci: Option<(f64, f64)>,
    /// Paired only: shares of pairs with a higher / lower value than in the reference.
    pub share_gain: Option<f64>,
    pub share_loss: Option<f64>,
}

/// The whole comparison.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub runs: Vec<String>,
    /// The dates compared, in order.
    pub dates: Vec<Option<YearMonth>>,
    /// Whether run `i` is paired with the reference (always false for the reference itself).
    pub paired: Vec<bool>,
    pub rows: Vec<CompareRow>,
}

/// Whether `a` and `b` (the same agent in two runs) pair on metric `m`: both have a value, and
/// for an outcome taken at the date, both are in the same state then.
pub(super) fn pairs_on(m: usize, a: &AgentRow, b: &AgentRow) -> Option<(f64, f64)> {
    if basis(m) == Basis::AtDate && a.state != b.state {
        return None;
    }
    Some((a.values[m]?, b.values[m]?))
}

/// Whether two runs share the seed and initial headcount, so their initial staff pair by id.
pub fn pairable(a: &RunData, b: &RunData) -> bool {
    a.seed.is_some()
        && a.seed == b.seed
        && a.agents_initial.is_some()
        && a.agents_initial == b.agents_initial
}

/// Welch interval of a difference of two means.
fn welch(a: &[f64], b: &[f64]) -> Option<(f64, (f64, f64))> {
    let (ma, mb) = (mean_ci(a)?, mean_ci(b)?);
    let d = mb.mean - ma.mean;
    let (sa, sb) = (ma.sd?, mb.sd?);
    let (va, vb) = (sa * sa / ma.n as f64, sb * sb / mb.n as f64);
    let se = (va + vb).sqrt();
    if se == 0.0 {
        return Some((d, (d, d)));
    }
    let df = (va + vb).powi(2) / (va * va / (ma.n as f64 - 1.0) + vb * vb / (mb.n as f64 - 1.0));
    let t = t975((df.floor() as usize).max(1));
    Some((d, (d - t * se, d + t * se)))
}

/// Group keys of one group in the order first seen in the reference, then in the others.
pub(super) fn keys_of(views: &[&[AgentRow]], g: usize) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for v in views {
        for a in v.iter() {
            if !keys.contains(&a.groups[g]) {
                keys.push(a.groups[g].clone());
            }
        }
    }
    keys
}

/// The runs' common last month: the earliest of their ends (`None` when a run's manifest does
/// not give it; its end records are then compared as they are).
pub fn common_end(runs: &[RunData]) -> Option<YearMonth> {
    runs.iter()
        .map(|r| r.end)
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .min()
}

/// The dates compared when none is asked for: the end of each year that every run has agent
/// states for (`run --snapshots`) up to the common last month, or that month alone.
pub fn default_dates(runs: &[RunData]) -> Vec<Option<YearMonth>> {
    let end = common_end(runs);
    if runs.iter().any(|r| r.snapshots.is_empty()) {
        return vec![end];
    }
    let mut dates: Vec<YearMonth> = runs[0].dates();
    dates.retain(|d| runs.iter().all(|r| r.snapshots.contains_key(d)) && Some(*d) <= end);
    if dates.is_empty() {
        return vec![end];
    }
    dates.into_iter().map(Some).collect()
}

/// The month of `--at-year YEAR`: its December, or the common last month in that year when the
/// runs end before December.
pub fn year_end(runs: &[RunData], year: i32) -> Result<YearMonth, CompareError> {
    let december = YearMonth::ym(year, 12);
    match common_end(runs) {
        Some(end) if end.year() == year => Ok(end.min(december)),
        Some(end) if end < december => Err(CompareError::Date(format!(
            "--at-year {year}: the runs end in {end}"
        ))),
        _ => Ok(december),
    }
}

/// Compares runs against the first one at their common last month (see [`compare_dates`]).
pub fn compare(runs: &[RunData]) -> Result<Comparison, CompareError> {
    compare_dates(runs, &[common_end(runs)])
}

/// The warning of a difference over `n` agents, of `population` in the group (paired), or of
/// two samples of `n` and `n_ref` (unpaired).
fn warning(paired: bool, n: usize, population: usize, n_ref: usize) -> Option<String> {
    if paired {
        if n < MIN_PAIRS {
            return Some(format!("only {n} agents paired (fewer than {MIN_PAIRS})"));
        }
        if 2 * n < population {
            return Some(format!(
                "only {n} of {population} initial staff paired (less than half)"
            ));
        }
        None
    } else {
        (n.min(n_ref) < MIN_PAIRS).then(|| format!("fewer than {MIN_PAIRS} agents in a run"))
    }
}

/// Compares runs against the first one at each of `dates` (`None`: the end records as they
/// are). Paired differences run over the reference's initial staff, grouped by the
/// reference's state at the date.
pub fn compare_dates(
    runs: &[RunData],
    dates: &[Option<YearMonth>],
) -> Result<Comparison, CompareError> {
    if runs.len() < 2 {
        return Err(CompareError::TooFew);
    }
    let reference = &runs[0];
    let paired: Vec<bool> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| i > 0 && pairable(reference, r))
        .collect();
    let limit = reference.agents_initial.unwrap_or(0) as u32;
    let mut rows = Vec::new();
    for &date in dates {
        let views: Vec<Vec<AgentRow>> =
            runs.iter().map(|r| r.at(date)).collect::<Result<_, _>>()?;
        let by_id: Vec<HashMap<u32, &AgentRow>> = views
            .iter()
            .map(|v| v.iter().map(|a| (a.id, a)).collect())
            .collect();
        let slices: Vec<&[AgentRow]> = views.iter().map(Vec::as_slice).collect();
        // (group name, group index, keys) with `all` first.
        let mut groups: Vec<(&'static str, Option<usize>, Vec<String>)> =
            vec![("all", None, vec!["all".into()])];
        for (g, name) in GROUPS.iter().enumerate() {
            groups.push((name, Some(g), keys_of(&slices, g)));
        }
        for (m, metric) in COMPARE_METRICS.iter().enumerate() {
            for (gname, g, keys) in &groups {
                for key in keys {
                    let in_group = |a: &AgentRow| g.is_none_or_eq(a, key);
                    let values = |v: &[AgentRow]| -> Vec<f64> {
                        v.iter()
                            .filter(|a| in_group(a))
                            .filter_map(|a| a.values[m])
                            .collect()
                    };
                    let ref_values = values(&views[0]);
                    let population = views[0]
                        .iter()
                        .filter(|a| a.id < limit && in_group(a))
                        .count();
                    for (i, view) in views.iter().enumerate() {
                        let xs = if i == 0 {
                            ref_values.clone()
                        } else {
                            values(view)
                        };
                        let s = mean_ci(&xs);
                        let diff = if i == 0 {
                            None
                        } else if paired[i] {
                            let d: Vec<f64> = views[0]
                                .iter()
                                .filter(|a| a.id < limit && in_group(a))
                                .filter_map(|a| {
                                    let (x, y) = pairs_on(m, a, by_id[i].get(&a.id)?)?;
                                    Some(y - x)
                                })
                                .collect();
                            Some(match mean_ci(&d) {
                                Some(ds) => Diff {
                                    paired: true,
                                    pairs: ds.n,
                                    population,
                                    mean: ds.mean,
                                    ci: ds.ci,
                                    share_gain: Some(
                                        d.iter().filter(|x| **x > 0.0).count() as f64 / ds.n as f64,
                                    ),
                                    share_loss: Some(
                                        d.iter().filter(|x| **x < 0.0).count() as f64 / ds.n as f64,
                                    ),
                                },
                                // Nobody in the same state in both runs: no difference, and
                                // the row says so (0 pairs) rather than vanishing.
                                None => Diff {
                                    paired: true,
                                    pairs: 0,
                                    population,
                                    mean: f64::NAN,
                                    ci: None,
                                    share_gain: None,
                                    share_loss: None,
                                },
                            })
                        } else {
                            welch(&ref_values, &xs).map(|(d, ci)| Diff {
                                paired: false,
                                pairs: 0,
                                population: 0,
                                mean: d,
                                ci: Some(ci),
                                share_gain: None,
                                share_loss: None,
                            })
                        };
                        if xs.is_empty() && diff.as_ref().is_none_or(|d| d.pairs == 0) {
                            continue;
                        }
                        let warning = diff.as_ref().and_then(|d| {
                            if d.paired {
                                warning(true, d.pairs, d.population, 0)
                            } else {
                                warning(false, xs.len(), 0, ref_values.len())
                            }
                        });
                        rows.push(CompareRow {
                            metric,
                            at: date,
                            basis: basis(m),
                            group: gname,
                            key: key.clone(),
                            run: i,
                            n: s.map_or(0, |s| s.n),
                            mean: s.map(|s| s.mean),
                            ci: s.and_then(|s| s.ci),
                            quantiles: quantiles(&xs, &QUANTILES),
                            diff,
                            warning,
                        });
                    }
                }
            }
        }
    }
    Ok(Comparison {
        runs: runs.iter().map(|r| r.name.clone()).collect(),
        dates: dates.to_vec(),
        paired,
        rows,
    })
}

/// `None` matches every agent; `Some(g)` the agents whose group `g` is `key`.
trait GroupFilter {
    fn is_none_or_eq(&self, a: &AgentRow, key: &str) -> bool;
}

impl GroupFilter for Option<usize> {
    fn is_none_or_eq(&self, a: &AgentRow, key: &str) -> bool {
        match self {
            None => true,
            Some(g) => a.groups[*g] == key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, seed: u64, rows: &[(u32, &str, f64)]) -> RunData {
        RunData {
            dir: PathBuf::from(name),
            name: name.into(),
            seed: Some(seed),
            agents_initial: Some(rows.len()),
            start: None,
            end: None,
            snapshots: Default::default(),
            agents: rows
                .iter()
                .map(|&(id, track, v)| {
                    let mut values = [None; COMPARE_METRICS.len()];
                    values[0] = Some(v);
                    AgentRow {
                        id,
                        groups: [track.into(), "male".into(), "r".into(), "u".into()],
                        state: "retired".into(),
                        values,
                        income: Some(1000.0 + id as f64),
                        retire_month: None,
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn winners_and_losers_fall_in_five_bands_by_group_and_income_decile() {
        // Relative changes: +10 % (gain > 5 %), +2 % (gain ≤ 5 %), 0, −4 %, −20 %.
        let base = [
            (0, "contract", 1.0),
            (1, "contract", 1.0),
            (2, "establishment", 1.0),
            (3, "establishment", 1.0),
            (4, "establishment", 1.0),
        ];
        let reform = [
            (0, "contract", 1.1),
            (1, "contract", 1.02),
            (2, "establishment", 1.0),
            (3, "establishment", 0.96),
            (4, "establishment", 0.8),
        ];
        let (a, b) = (run("a", 1, &base), run("b", 1, &reform));
        let rows = winners_losers(&a, &b, None)
            .unwrap()
            .expect("same seed and staff pair");
        let all = rows
            .iter()
            .find(|r| r.group == "all" && r.metric == "replacement_final_wage")
            .unwrap();
        assert_eq!(all.pairs, 5);
        assert_eq!(all.shares, [0.2; 5]);
        let contract = rows
            .iter()
            .find(|r| r.group == "track" && r.key == "contract")
            .unwrap();
        assert_eq!(contract.shares, [0.5, 0.5, 0.0, 0.0, 0.0]);
        // Income rises with id: agent 4 (−20 %) is in the top decile.
        let top = rows
            .iter()
            .find(|r| r.group == "income_decile" && r.key == "9")
            .unwrap();
        assert_eq!((top.pairs, top.shares[4]), (1, 1.0));
        assert!(winners_csv(&rows).starts_with("metric,group,key,pairs,gain_over_5pct,"));
        assert!(
            winners_losers(&a, &run("c", 2, &reform), None)
                .unwrap()
                .is_none(),
            "different seeds do not pair"
        );
    }

    #[test]
    fn paired_difference_by_id_with_winners_and_losers() {
        let a = run(
            "a",
            1,
            &[
                (0, "contract", 0.5),
                (1, "contract", 0.6),
                (2, "establishment", 0.9),
            ],
        );
        let b = run(
            "b",
            1,
            &[
                (2, "establishment", 0.8),
                (0, "contract", 0.55),
                (1, "contract", 0.6),
            ],
        );
        let c = compare(&[a.clone(), b]).unwrap();
        assert_eq!(c.paired, vec![false, true]);
        let row = c
            .rows
            .iter()
            .find(|r| r.run == 1 && r.group == "all" && r.metric == "replacement_final_wage")
            .unwrap();
        let d = row.diff.as_ref().unwrap();
        assert_eq!(d.pairs, 3);
        assert!((d.mean - (0.05 - 0.1) / 3.0).abs() < 1e-12);
        assert_eq!(d.share_gain, Some(1.0 / 3.0));
        assert_eq!(d.share_loss, Some(1.0 / 3.0));
        let contract = c
            .rows
            .iter()
            .find(|r| {
                r.run == 1
                    && r.group == "track"
                    && r.key == "contract"
                    && r.metric == "replacement_final_wage"
            })
            .unwrap();
        assert_eq!(contract.diff.as_ref().unwrap().pairs, 2);
        // A different seed: unpaired, Welch difference of means.
        let other = run(
            "c",
            2,
            &[
                (0, "contract", 0.7),
                (1, "contract", 0.8),
                (2, "contract", 0.75),
            ],
        );
        let c2 = compare(&[a, other]).unwrap();
        assert_eq!(c2.paired, vec![false, false]);
        let d2 = c2
            .rows
            .iter()
            .find(|r| r.run == 1 && r.group == "all")
            .unwrap()
            .diff
            .clone()
            .unwrap();
        assert!(!d2.paired && d2.ci.is_some());
        assert!((d2.mean - (0.75 - 2.0 / 3.0)).abs() < 1e-12);
        let csv = c2.to_csv();
        assert!(csv.starts_with(&csv_header()));
        assert_eq!(csv.lines().count(), c2.rows.len() + 1);
    }

    #[test]
    fn agents_pair_only_in_the_same_state_and_few_pairs_warn() {
        let m = COMPARE_METRICS
            .iter()
            .position(|x| *x == "take_home")
            .unwrap();
        assert_eq!(basis(m), Basis::AtDate);
        let at = |name: &str, states: [&str; 3], take_home: [f64; 3]| {
            let mut r = run(
                name,
                1,
                &[
                    (0, "contract", 0.5),
                    (1, "contract", 0.5),
                    (2, "contract", 0.5),
                ],
            );
            for (i, a) in r.agents.iter_mut().enumerate() {
                a.state = states[i].into();
                a.values[m] = Some(take_home[i]);
            }
            r
        };
        let a = at("a", ["active"; 3], [100.0, 101.0, 102.0]);
        // Agent 1 retired in the reform: its value is not set against the reference's.
        let b = at("b", ["active", "retired", "active"], [100.0, 90.0, 112.0]);
        let c = compare(&[a, b]).unwrap();
        let row = c
            .rows
            .iter()
            .find(|r| r.run == 1 && r.group == "all" && r.metric == "take_home")
            .unwrap();
        let d = row.diff.as_ref().unwrap();
        assert_eq!((d.pairs, d.population), (2, 3));
        assert!((d.mean - 5.0).abs() < 1e-12);
        assert_eq!(row.basis, Basis::AtDate);
        assert!(row
            .warning
            .as_deref()
            .unwrap()
            .contains("only 2 agents paired"));
        assert_eq!(
            warning(true, 150, 400, 0).unwrap(),
            "only 150 of 400 initial staff paired (less than half)"
        );
        assert_eq!(warning(true, 250, 400, 0), None);
        assert!(warning(false, 120, 0, 80).is_some());
    }

    #[test]
    fn bad_folders_are_errors() {
        let d = tempfile::tempdir().unwrap();
        assert!(RunData::load(d.path()).is_err());
        std::fs::write(d.path().join("agents.csv"), "id,track\n1,contract\n").unwrap();
        let e = RunData::load(d.path()).unwrap_err().to_string();
        assert!(e.contains("no column"), "{e}");
        assert!(matches!(compare(&[]), Err(CompareError::TooFew)));
    }
}
