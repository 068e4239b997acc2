//! The headline of each reform against the baseline: the few outcomes an analyst reports, each
//! as the mean over replications of the paired difference (replication k of the reform against
//! replication k of the baseline, same seed) with its 95 % Student-t interval, as the table of
//! differences does. Computed from the runs kept in memory, in the background thread that
//! makes the table.
//!
//! The split of a difference into its mechanical part (the rules applied to unchanged
//! behaviour) and its behavioural part is not shown: the core has no decomposition to take it
//! from yet.

use crate::analysis::Metric;
use crate::fmt::Unit;
use crate::results::{AgentMetric, Grouping, Replication, RunSet, SeriesMetric};
use crate::summary::SummaryRow;
use sisandbox::experiment::stats::mean_ci;

/// What a headline line measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Mean replacement rate (pension / final wage) of those with a pension, by track.
    ReplacementRate,
    /// Mean take-home pay, last month worked, all agents.
    TakeHome,
    /// Mean perceived welfare index, by track.
    Perception,
    /// Staff who left over the run.
    Exits,
    /// University employer cost over the run.
    EmployerCost,
    /// Pooled pension fund balance at the end of the run, all regions and schemes.
    FundBalance,
}

impl Outcome {
    pub fn unit(self) -> Unit {
        match self {
            Outcome::ReplacementRate => Unit::Share,
            Outcome::Perception => Unit::Ratio,
            Outcome::Exits => Unit::Count,
            Outcome::TakeHome | Outcome::EmployerCost | Outcome::FundBalance => Unit::Yuan,
        }
    }
}

/// One line: an outcome (in a group, or for all) of the baseline and the reform, and the
/// paired difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub outcome: Outcome,
    /// Track name, or `None` for all staff.
    pub group: Option<String>,
    pub base: f64,
    pub reform: f64,
    pub diff: f64,
    pub ci: Option<(f64, f64)>,
}

impl Line {
    /// The difference relative to the baseline's level, when that is meaningful.
    pub fn relative(&self) -> Option<f64> {
        let levels = !matches!(self.outcome.unit(), Unit::Share | Unit::Ratio);
        (levels && self.base.abs() > 1e-9).then(|| self.diff / self.base.abs())
    }
}

/// A year's difference with its interval.
#[derive(Clone, Debug, PartialEq)]
pub struct YearDiff {
    pub year: f64,
    pub diff: f64,
    pub ci: Option<(f64, f64)>,
}

/// The headline of one reform.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    pub reform: String,
    pub replications: usize,
    pub lines: Vec<Line>,
    /// Share of paired staff whose replacement rate falls (from the table of differences).
    pub worse_off: Option<f64>,
    pub paired_share: Option<f64>,
    /// Employer cost difference, year by year.
    pub cost_by_year: Vec<YearDiff>,
    /// Outcomes of agents left out because the run folders withhold them (take-home pay in a
    /// k-anonymous roster run's agents.csv): shown as not available.
    pub withheld: Vec<Outcome>,
}

/// Mean of the finite values; NaN when there are none.
fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = v
        .filter(|x| x.is_finite())
        .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

/// Mean of an agent metric in one replication, for agents of `track` (all when `None`).
fn agent_mean(r: &Replication, m: AgentMetric, track: Option<&str>) -> f64 {
    let t = &r.agents;
    let g = Grouping::Track as usize;
    let code = track.map(|name| t.labels[g].iter().position(|l| l == name));
    let values = t.values(m).iter().zip(&t.group[g]);
    mean(values.filter_map(|(v, grp)| match code {
        None => Some(*v),
        Some(Some(c)) if *grp as usize == c => Some(*v),
        _ => None,
    }))
}

fn series_total(r: &Replication, m: SeriesMetric) -> f64 {
    r.series[m as usize].iter().map(|p| p.1).sum()
}

fn series_last(r: &Replication, m: SeriesMetric) -> f64 {
    r.series[m as usize].last().map_or(f64::NAN, |p| p.1)
}

/// The paired line of `value` over the common replications.
fn line(
    outcome: Outcome,
    group: Option<&str>,
    base: &RunSet,
    reform: &RunSet,
    value: impl Fn(&Replication) -> f64,
) -> Option<Line> {
    let pairs: Vec<(f64, f64)> = base
        .replications
        .iter()
        .zip(&reform.replications)
        .map(|(b, r)| (value(b), value(r)))
        .filter(|(b, r)| b.is_finite() && r.is_finite())
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let d: Vec<f64> = pairs.iter().map(|(b, r)| r - b).collect();
    let dm = mean_ci(&d)?;
    Some(Line {
        outcome,
        group: group.map(str::to_string),
        base: mean(pairs.iter().map(|p| p.0)),
        reform: mean(pairs.iter().map(|p| p.1)),
        diff: dm.mean,
        ci: dm.ci,
    })
}

/// Yearly totals of a monthly (or yearly) series: (year, total).
pub fn yearly(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, v) in points {
        let year = (x + 1e-9).floor();
        match out.last_mut() {
            Some(last) if last.0 == year => last.1 += v,
            _ => out.push((year, *v)),
        }
    }
    out
}

fn cost_by_year(base: &RunSet, reform: &RunSet) -> Vec<YearDiff> {
    let m = SeriesMetric::UniversityCost as usize;
    let per_rep: Vec<Vec<(f64, f64)>> = base
        .replications
        .iter()
        .zip(&reform.replications)
        .map(|(b, r)| {
            let (yb, yr) = (yearly(&b.series[m]), yearly(&r.series[m]));
            yb.iter()
                .zip(&yr)
                .filter(|(p, q)| p.0 == q.0)
                .map(|(p, q)| (p.0, q.1 - p.1))
                .collect()
        })
        .collect();
    let Some(first) = per_rep.first() else {
        return Vec::new();
    };
    first
        .iter()
        .enumerate()
        .filter_map(|(i, (year, _))| {
            let d: Vec<f64> = per_rep
                .iter()
                .filter_map(|v| v.get(i).map(|p| p.1))
                .collect();
            let m = mean_ci(&d)?;
            Some(YearDiff {
                year: *year,
                diff: m.mean,
                ci: m.ci,
            })
        })
        .collect()
}

/// The headline of every reform (`runs[1..]`) against the baseline `runs[0]`; `table` gives
/// the share of paired staff worse off.
pub fn compute(runs: &[&RunSet], table: Option<&[SummaryRow]>) -> Vec<Headline> {
    let Some((base, reforms)) = runs.split_first() else {
        return Vec::new();
    };
    let tracks: Vec<String> = sisandbox::agent::Track::ALL
        .iter()
        .map(|t| t.name().to_string())
        .filter(|t| {
            base.replications
                .iter()
                .any(|r| r.agents.labels[Grouping::Track as usize].contains(t))
        })
        .collect();
    reforms
        .iter()
        .map(|reform| {
            let mut lines = Vec::new();
            for (outcome, metric) in [
                (Outcome::ReplacementRate, AgentMetric::ReplacementRate),
                (Outcome::Perception, AgentMetric::Perception),
            ] {
                lines.extend(line(outcome, None, base, reform, |r| {
                    agent_mean(r, metric, None)
                }));
                for t in &tracks {
                    lines.extend(line(outcome, Some(t), base, reform, |r| {
                        agent_mean(r, metric, Some(t))
                    }));
                }
            }
            lines.extend(line(Outcome::TakeHome, None, base, reform, |r| {
                agent_mean(r, AgentMetric::TakeHome, None)
            }));
            lines.extend(line(Outcome::Exits, None, base, reform, |r| {
                series_total(r, SeriesMetric::Exits)
            }));
            lines.extend(line(Outcome::EmployerCost, None, base, reform, |r| {
                series_total(r, SeriesMetric::UniversityCost)
            }));
            lines.extend(line(Outcome::FundBalance, None, base, reform, |r| {
                series_last(r, SeriesMetric::FundBalance)
            }));
            // An outcome of agents with no line for all staff, whose values a run folder
            // withholds, is not available rather than missing.
            let withheld = [
                (Outcome::ReplacementRate, AgentMetric::ReplacementRate),
                (Outcome::Perception, AgentMetric::Perception),
                (Outcome::TakeHome, AgentMetric::TakeHome),
            ]
            .into_iter()
            .filter(|(o, m)| {
                !lines.iter().any(|l| l.outcome == *o && l.group.is_none())
                    && (base.withheld(*m).0 > 0 || reform.withheld(*m).0 > 0)
            })
            .map(|(o, _)| o)
            .collect();
            let rr = table.and_then(|t| {
                t.iter().find(|r| {
                    r.scenario == reform.name
                        && r.metric == Metric::Agent(AgentMetric::ReplacementRate)
                })
            });
            Headline {
                reform: reform.name.clone(),
                replications: base.replications.len().min(reform.replications.len()),
                lines,
                worse_off: rr.and_then(|r| r.loss),
                paired_share: rr.and_then(SummaryRow::pairing_share),
                cost_by_year: cost_by_year(base, reform),
                withheld,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::AgentTable;

    fn rep(rr: [f64; 2], cost: [f64; 3]) -> Replication {
        let mut t = AgentTable {
            id: vec![0, 1],
            ..AgentTable::default()
        };
        t.values[AgentMetric::ReplacementRate as usize] = rr.to_vec();
        t.group[Grouping::Track as usize] = vec![0, 1];
        t.labels[Grouping::Track as usize] = vec!["establishment".into(), "contract".into()];
        let mut series: [Vec<(f64, f64)>; SeriesMetric::ALL.len()] = Default::default();
        series[SeriesMetric::UniversityCost as usize] =
            vec![(2025.0, cost[0]), (2025.5, cost[1]), (2026.0, cost[2])];
        Replication {
            dir: "x".into(),
            seed: 42,
            agents: t,
            series,
        }
    }

    #[test]
    fn headline_differences_are_paired_by_replication() {
        let base = RunSet {
            name: "base".into(),
            replications: vec![
                rep([0.6, 0.4], [10.0, 10.0, 10.0]),
                rep([0.7, 0.5], [12.0, 12.0, 12.0]),
            ],
        };
        let reform = RunSet {
            name: "reform".into(),
            replications: vec![
                rep([0.6, 0.5], [9.0, 9.0, 9.0]),
                rep([0.7, 0.6], [10.0, 10.0, 10.0]),
            ],
        };
        let h = compute(&[&base, &reform], None);
        assert_eq!(h.len(), 1);
        let contract = h[0]
            .lines
            .iter()
            .find(|l| {
                l.outcome == Outcome::ReplacementRate && l.group.as_deref() == Some("contract")
            })
            .unwrap();
        assert!((contract.diff - 0.1).abs() < 1e-12, "{contract:?}");
        assert_eq!(contract.ci.map(|c| c.0 == c.1), Some(true), "no spread");
        let cost = h[0]
            .lines
            .iter()
            .find(|l| l.outcome == Outcome::EmployerCost)
            .unwrap();
        // Totals 30 vs 27 and 36 vs 30: differences −3 and −6.
        assert!((cost.diff + 4.5).abs() < 1e-12);
        assert!((cost.relative().unwrap() + 4.5 / 33.0).abs() < 1e-12);
        // Two calendar years: 2025 (two points) and 2026.
        assert_eq!(h[0].cost_by_year.len(), 2);
        assert!((h[0].cost_by_year[0].diff + 3.0).abs() < 1e-12);
    }
}
