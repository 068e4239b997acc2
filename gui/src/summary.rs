//! The summary table of differences against the baseline, with one convention for every row:
//! the difference is the mean of paired differences and its interval a Student-t 95 % interval
//! of that same mean, so the estimate always lies inside its interval.
//!
//! - With two or more replications the unit is the replication. Replication k of every
//!   scenario runs with seed `seed + k`, so replication k of a reform is paired with
//!   replication k of the baseline (common random numbers). For outcomes of agents, each
//!   replication's difference comes from the core's comparison
//!   (`sisandbox::experiment::compare`, paired by agent where it can), and the row gives the
//!   mean and t interval over replications; for series, the difference of the last value.
//! - With one replication, outcomes of agents fall back to the core's interval over agents;
//!   series have no interval.
//!
//! Fewer than [`FEW_REPLICATIONS`] replications make a t interval rough; the table says so.

use crate::analysis::Metric;
use crate::i18n::Lang;
use crate::results::RunSet;
use sisandbox::experiment::compare::{compare, RunData};
use sisandbox::experiment::stats::mean_ci;

/// The rows of the table, or why it could not be made.
pub type Table = Result<Vec<SummaryRow>, String>;

/// Below this many replications the table flags its intervals as rough.
pub const FEW_REPLICATIONS: usize = 5;

/// Below this share of agents paired, winners and losers come with a warning.
pub const LOW_PAIRING: f64 = 0.5;

/// What the count and the interval of a row are over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Agents of one replication.
    Agents,
    /// Replications (one value per replication).
    Replications,
}

/// One line of the table: a scenario and an outcome, against the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub scenario: String,
    pub metric: Metric,
    /// How many units (`level`) the estimate and its interval are over.
    pub n: usize,
    pub level: Level,
    /// Mean over the units.
    pub estimate: Option<f64>,
    pub estimate_ci: Option<(f64, f64)>,
    /// This scenario minus the baseline (mean of paired differences); `None` for the baseline.
    pub diff: Option<f64>,
    pub diff_ci: Option<(f64, f64)>,
    /// Whether agents were paired one by one (same seed and headcount).
    pub paired: bool,
    /// Paired only: shares of paired agents better off and worse off (mean over replications).
    pub gain: Option<f64>,
    pub loss: Option<f64>,
    /// Paired agents and agents with a value, per replication (means, rounded).
    pub pairs: usize,
    pub agents: usize,
}

impl SummaryRow {
    fn new(scenario: &str, metric: Metric) -> Self {
        SummaryRow {
            scenario: scenario.to_string(),
            metric,
            n: 0,
            level: Level::Replications,
            estimate: None,
            estimate_ci: None,
            diff: None,
            diff_ci: None,
            paired: false,
            gain: None,
            loss: None,
            pairs: 0,
            agents: 0,
        }
    }

    /// Share of the agents that were paired, when agents were paired.
    pub fn pairing_share(&self) -> Option<f64> {
        (self.paired && self.agents > 0).then(|| self.pairs as f64 / self.agents as f64)
    }
}

/// The warning winners and losers need when few agents were paired: `pairs` of `agents`.
pub fn pairing_warning(lang: Lang, pairs: usize, agents: usize) -> Option<String> {
    if agents == 0 {
        return None;
    }
    let share = pairs as f64 / agents as f64;
    if share >= LOW_PAIRING {
        return None;
    }
    let pct = (share * 100.0).round();
    Some(match lang {
        Lang::En => format!(
            "Only {pct} % of agents are paired ({pairs} of {agents}): \"better off\" and \
             \"worse off\" describe those agents only (staff present at the start of both runs)."
        ),
        Lang::Zh => format!(
            "仅 {pct} % 的人员完成配对（{agents} 人中 {pairs} 人）：“受益”“受损”只描述这些人（两次运行开始时均在职的人员）。"
        ),
    })
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

/// Replications every run has (replication k of each is compared with replication k of the
/// baseline).
fn common_replications(runs: &[&RunSet]) -> usize {
    runs.iter().map(|r| r.replications.len()).min().unwrap_or(0)
}

/// Per run and metric, the core comparison's `all` row of each replication.
struct PerRep {
    mean: Vec<f64>,
    ci: Option<(f64, f64)>,
    agents: Vec<f64>,
    diff: Vec<f64>,
    diff_ci: Option<(f64, f64)>,
    paired: bool,
    gain: Vec<f64>,
    loss: Vec<f64>,
    pairs: Vec<f64>,
}

/// The core's comparison of replication k of every run, for k over the common replications.
fn agent_rows(runs: &[&RunSet], metrics: &[Metric]) -> Result<Vec<SummaryRow>, String> {
    let reps = common_replications(runs);
    if reps == 0 {
        return Err("a run without replications".into());
    }
    let empty = || PerRep {
        mean: Vec::new(),
        ci: None,
        agents: Vec::new(),
        diff: Vec::new(),
        diff_ci: None,
        paired: true,
        gain: Vec::new(),
        loss: Vec::new(),
        pairs: Vec::new(),
    };
    let mut acc: Vec<Vec<PerRep>> = metrics
        .iter()
        .map(|_| runs.iter().map(|_| empty()).collect())
        .collect();
    for k in 0..reps {
        let data = runs
            .iter()
            .map(|r| RunData::load(&r.replications[k].dir).map_err(|e| e.to_string()))
            .collect::<Result<Vec<RunData>, String>>()?;
        let cmp = compare(&data).map_err(|e| e.to_string())?;
        for (mi, &m) in metrics.iter().enumerate() {
            let Metric::Agent(a) = m else { continue };
            for row in cmp
                .rows
                .iter()
                .filter(|r| r.group == "all" && r.metric == a.column())
            {
                let p = &mut acc[mi][row.run];
                if let Some(x) = row.mean {
                    p.mean.push(x);
                }
                p.ci = row.ci;
                p.agents.push(row.n as f64);
                if let Some(d) = &row.diff {
                    p.diff.push(d.mean);
                    p.diff_ci = d.ci;
                    p.paired &= d.paired;
                    p.pairs.push(d.pairs as f64);
                    if let (Some(g), Some(l)) = (d.share_gain, d.share_loss) {
                        p.gain.push(g);
                        p.loss.push(l);
                    }
                }
            }
        }
    }
    let avg = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let mut out = Vec::new();
    for (mi, &m) in metrics.iter().enumerate() {
        for (ri, p) in acc[mi].iter().enumerate() {
            let mut s = SummaryRow::new(&runs[ri].name, m);
            s.agents = avg(&p.agents).map_or(0, |x| x.round() as usize);
            let has_diff = ri > 0 && !p.diff.is_empty();
            if reps >= 2 {
                let e = mean_ci(&p.mean);
                s.n = p.mean.len();
                s.estimate = e.map(|e| e.mean);
                s.estimate_ci = e.and_then(|e| e.ci);
                if has_diff {
                    let d = mean_ci(&p.diff);
                    s.diff = d.map(|d| d.mean);
                    s.diff_ci = d.and_then(|d| d.ci);
                }
            } else {
                s.level = Level::Agents;
                s.n = s.agents;
                s.estimate = p.mean.first().copied();
                s.estimate_ci = p.ci;
                if has_diff {
                    s.diff = p.diff.first().copied();
                    s.diff_ci = p.diff_ci;
                }
            }
            if has_diff {
                s.paired = p.paired;
                s.pairs = avg(&p.pairs).map_or(0, |x| x.round() as usize);
                s.gain = avg(&p.gain);
                s.loss = avg(&p.loss);
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

/// Mean over replications of a series' last value with its t interval, and the mean of the
/// differences from the baseline's replication of the same seed, with its t interval.
pub fn series_row(run: &RunSet, base: Option<&RunSet>, m: Metric) -> SummaryRow {
    let mut r = SummaryRow::new(&run.name, m);
    let v = last_values(run, m);
    let e = mean_ci(&v);
    r.n = e.map_or(0, |e| e.n);
    r.estimate = e.map(|e| e.mean);
    r.estimate_ci = e.and_then(|e| e.ci);
    let Some(base) = base else { return r };
    let b = last_values(base, m);
    let diffs: Vec<f64> = v.iter().zip(&b).map(|(x, y)| x - y).collect();
    let d = mean_ci(&diffs);
    r.diff = d.map(|d| d.mean);
    r.diff_ci = d.and_then(|d| d.ci);
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
                    let mut series: [Vec<(f64, f64)>; SeriesMetric::ALL.len()] = Default::default();
                    series[SeriesMetric::Staff as usize] = vec![(2025.0, 1.0), (2026.0, *v)];
                    Replication {
                        dir: "x".into(),
                        seed: 42,
                        agents: AgentTable::default(),
                        series,
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn series_differences_are_means_of_paired_differences_inside_their_interval() {
        let m = Metric::Series(SeriesMetric::Staff);
        // Medians differ by 10 but the paired differences (100, -10, -10) average 26.67: the
        // difference of medians would lie outside the spread the interval is made from.
        let base = run("base", &[0.0, 50.0, 100.0]);
        let reform = run("reform", &[100.0, 40.0, 90.0]);
        let rows = summarize(&[&base, &reform], &[m]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].n, rows[0].estimate, rows[0].diff),
            (3, Some(50.0), None)
        );
        assert_eq!(rows[0].level, Level::Replications);
        let d = rows[1].diff.unwrap();
        assert!((d - 80.0 / 3.0).abs() < 1e-9, "{d}");
        let (lo, hi) = rows[1].diff_ci.unwrap();
        assert!(lo < d && d < hi, "{lo} {d} {hi}");
        // t(2) = 4.303, sd of (100, -10, -10) = 63.509
        let half = 4.303 * 63.508_529_610_858_84 / 3f64.sqrt();
        assert!((hi - d - half).abs() < 1e-6, "{}", hi - d);
    }

    #[test]
    fn agent_rows_need_run_folders() {
        let m = Metric::Agent(crate::results::AgentMetric::Wage);
        let e = summarize(&[&run("a", &[1.0]), &run("b", &[1.0])], &[m]).unwrap_err();
        assert!(e.contains("agents.csv"), "{e}");
    }

    #[test]
    fn low_pairing_is_warned_in_both_languages() {
        let w = pairing_warning(Lang::En, 16, 100).unwrap();
        assert!(w.contains("16 %"), "{w}");
        assert!(pairing_warning(Lang::Zh, 16, 100)
            .unwrap()
            .contains("100 人中 16 人"));
        assert!(pairing_warning(Lang::En, 95, 100).is_none());
    }
}
