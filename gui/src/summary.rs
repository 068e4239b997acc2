//! The summary table of differences against the baseline.
//!
//! Outcomes of agents come from the core's comparison, `sisandbox::experiment::compare`, run
//! on the folders the runs were written to (the first replication of each scenario): the mean
//! with its 95 % interval, and the difference from the baseline with its interval, paired by
//! agent id when the runs share seed and headcount, with the shares of agents who gain and lose.
//!
//! Series (staff, exits, cost, take-home pay) are not covered by the core's comparison yet.
//! For them this module only combines statistics of `plot::stats`: the median over
//! replications of the last value, the difference of medians, and the 2.5–97.5 % range of the
//! per-replication differences. When the core compares series too, [`series_row`] becomes a
//! call to it.

use crate::analysis::Metric;
use crate::results::RunSet;
use sisandbox::experiment::compare::{compare, RunData};
use sisandbox::plot::quantile;

/// The rows of the table, or why it could not be made.
pub type Table = Result<Vec<SummaryRow>, String>;

/// One line of the table: a scenario and an outcome, against the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub scenario: String,
    pub metric: Metric,
    /// Agents (or replications, for series) with a value.
    pub n: usize,
    /// Mean for agents' outcomes, median over replications for series.
    pub estimate: Option<f64>,
    pub estimate_ci: Option<(f64, f64)>,
    /// This scenario minus the baseline; `None` for the baseline itself.
    pub diff: Option<f64>,
    pub diff_ci: Option<(f64, f64)>,
    /// Whether the difference pairs the same agents.
    pub paired: bool,
    /// Paired only: shares of agents better off and worse off, and how many pairs.
    pub gain: Option<f64>,
    pub loss: Option<f64>,
    pub pairs: usize,
}

impl SummaryRow {
    fn new(scenario: &str, metric: Metric) -> Self {
        SummaryRow {
            scenario: scenario.to_string(),
            metric,
            n: 0,
            estimate: None,
            estimate_ci: None,
            diff: None,
            diff_ci: None,
            paired: false,
            gain: None,
            loss: None,
            pairs: 0,
        }
    }
}

/// Rows for every scenario (the baseline, `runs[0]`, first) and every metric.
pub fn summarize(runs: &[&RunSet], metrics: &[Metric]) -> Table {
    let mut out = Vec::new();
    let agent_metrics: Vec<Metric> = metrics
        .iter()
        .copied()
        .filter(|m| matches!(m, Metric::Agent(_)))
        .collect();
    if !agent_metrics.is_empty() {
        out.extend(agent_rows(runs, &agent_metrics)?);
    }
    for &m in metrics {
        if let Metric::Series(_) = m {
            for (i, run) in runs.iter().enumerate() {
                out.push(series_row(run, (i > 0).then(|| runs[0]), m));
            }
        }
    }
    Ok(out)
}

/// The core's comparison of the first replication of each run, group `all`.
fn agent_rows(runs: &[&RunSet], metrics: &[Metric]) -> Result<Vec<SummaryRow>, String> {
    let data = runs
        .iter()
        .map(|r| {
            let dir = &r
                .replications
                .first()
                .ok_or("a run without replications")?
                .dir;
            RunData::load(dir).map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<RunData>, String>>()?;
    let cmp = compare(&data).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for &m in metrics {
        let Metric::Agent(a) = m else { continue };
        for row in cmp
            .rows
            .iter()
            .filter(|r| r.group == "all" && r.metric == a.column())
        {
            let mut s = SummaryRow::new(&runs[row.run].name, m);
            s.n = row.n;
            s.estimate = row.mean;
            s.estimate_ci = row.ci;
            if let Some(d) = &row.diff {
                s.diff = Some(d.mean);
                s.diff_ci = d.ci;
                s.paired = d.paired;
                s.gain = d.share_gain;
                s.loss = d.share_loss;
                s.pairs = d.pairs;
            }
            out.push(s);
        }
    }
    Ok(out)
}

/// The last value of a series in each replication.
fn last_values(run: &RunSet, m: Metric) -> Vec<f64> {
    let Metric::Series(s) = m else {
        return Vec::new();
    };
    run.replications
        .iter()
        .map(|r| r.series[s as usize].last().map_or(f64::NAN, |p| p.1))
        .collect()
}

/// Median over replications of a series' last value, against the baseline's.
pub fn series_row(run: &RunSet, base: Option<&RunSet>, m: Metric) -> SummaryRow {
    let mut r = SummaryRow::new(&run.name, m);
    let v = last_values(run, m);
    r.n = v.iter().filter(|x| x.is_finite()).count();
    r.estimate = quantile(&v, 0.5).ok();
    let Some(base) = base else { return r };
    let b = last_values(base, m);
    r.diff = r.estimate.zip(quantile(&b, 0.5).ok()).map(|(x, y)| x - y);
    let diffs: Vec<f64> = v.iter().zip(&b).map(|(x, y)| x - y).collect();
    if diffs.iter().filter(|d| d.is_finite()).count() >= 2 {
        r.diff_ci = quantile(&diffs, 0.025)
            .ok()
            .zip(quantile(&diffs, 0.975).ok());
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{AgentTable, Replication, SeriesMetric};

    fn run(name: &str, last: &[f64]) -> RunSet {
        RunSet {
            name: name.into(),
            replications: last
                .iter()
                .map(|v| {
                    let mut series: [Vec<(f64, f64)>; 4] = Default::default();
                    series[SeriesMetric::Staff as usize] = vec![(2025.0, 1.0), (2026.0, *v)];
                    Replication {
                        dir: "x".into(),
                        agents: AgentTable::default(),
                        series,
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn series_rows_take_the_last_value_of_each_replication() {
        let m = Metric::Series(SeriesMetric::Staff);
        let base = run("base", &[100.0, 110.0]);
        let reform = run("reform", &[120.0, 110.0]);
        let rows = summarize(&[&base, &reform], &[m]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].n, rows[0].estimate, rows[0].diff),
            (2, Some(105.0), None)
        );
        assert_eq!(rows[1].estimate, Some(115.0));
        assert_eq!(rows[1].diff, Some(10.0));
        // Per-replication differences 20 and 0: the 2.5 and 97.5 % quantiles.
        let (lo, hi) = rows[1].diff_ci.unwrap();
        assert!(
            (lo - 0.5).abs() < 1e-9 && (hi - 19.5).abs() < 1e-9,
            "{lo} {hi}"
        );
    }

    #[test]
    fn agent_rows_need_run_folders() {
        let m = Metric::Agent(crate::results::AgentMetric::Wage);
        let e = summarize(&[&run("a", &[1.0]), &run("b", &[1.0])], &[m]).unwrap_err();
        assert!(e.contains("agents.csv"), "{e}");
    }
}
