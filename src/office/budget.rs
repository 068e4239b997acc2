//! Next year's contributions from a roster (`sisandbox budget`): the engine runs the roster for
//! the year under the scenario (its promotions, hires, quits and retirements), once per
//! replication with its own seed, and the monthly contributions it records by insurance, track
//! and university are summarised as mean, minimum and maximum over the replications.

use crate::engine::RunOptions;
use crate::metrics::Row;
use crate::rng::mix64;
use crate::scenario::Scenario;
use crate::simulate::simulate;
use crate::time::YearMonth;
use std::collections::BTreeMap;
use std::path::Path;

/// The series rows a budget keeps: (group, metric).
const KEPT: [(&str, &str); 5] = [
    ("insurance", "employer_contributions"),
    ("insurance", "individual_contributions"),
    ("track", "employer_contributions"),
    ("track", "individual_contributions"),
    ("university", "employer_cost"),
];

/// One budget line over the replications, yuan.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub month: YearMonth,
    pub group: String,
    pub key: String,
    pub metric: String,
    pub values: Vec<f64>,
}

impl Line {
    pub fn mean(&self) -> f64 {
        self.values.iter().sum::<f64>() / self.values.len().max(1) as f64
    }
    pub fn min(&self) -> f64 {
        self.values.iter().copied().fold(f64::INFINITY, f64::min)
    }
    pub fn max(&self) -> f64 {
        self.values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The seed of replication `r`: the scenario's seed for the first, keyed hashes after it.
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    if r == 0 {
        seed
    } else {
        mix64(seed ^ mix64(u64::from(r)))
    }
}

/// Runs the roster through `year` `replications` times; `progress` is called after each.
pub fn budget(
    scenario: &Scenario,
    roster: &Path,
    year: i32,
    replications: u32,
    threads: usize,
    progress: &dyn Fn(u32),
) -> anyhow::Result<Vec<Line>> {
    let mut s = scenario.clone();
    s.simulation.start = YearMonth::ym(year, 1);
    s.simulation.years = 1;
    s.simulation.roster = Some(roster.display().to_string());
    let mut lines: BTreeMap<(YearMonth, String, String, String), Vec<f64>> = BTreeMap::new();
    for r in 0..replications.max(1) {
        s.simulation.seed = replication_seed(scenario.simulation.seed, r);
        let opts = RunOptions {
            threads,
            ..RunOptions::default()
        };
        let outcome = simulate(&s, None, &opts)?;
        for Row {
            month,
            group,
            key,
            metric,
            value,
        } in outcome.series.rows
        {
            if KEPT.contains(&(group, metric)) {
                lines
                    .entry((month, group.to_string(), key, metric.to_string()))
                    .or_default()
                    .push(value);
            }
        }
        progress(r + 1);
    }
    Ok(lines
        .into_iter()
        .map(|((month, group, key, metric), values)| Line {
            month,
            group,
            key,
            metric,
            values,
        })
        .collect())
}

/// Yearly totals by group, key and metric (sum over months, then over replications).
pub fn year_totals(lines: &[Line]) -> Vec<Line> {
    let mut by: BTreeMap<(String, String, String), Vec<f64>> = BTreeMap::new();
    let mut month = None;
    for l in lines {
        month.get_or_insert(l.month);
        let v = by
            .entry((l.group.clone(), l.key.clone(), l.metric.clone()))
            .or_insert_with(|| vec![0.0; l.values.len()]);
        for (a, b) in v.iter_mut().zip(&l.values) {
            *a += b;
        }
    }
    by.into_iter()
        .map(|((group, key, metric), values)| Line {
            month: month.unwrap_or(YearMonth::ym(2000, 1)),
            group,
            key,
            metric,
            values,
        })
        .collect()
}
