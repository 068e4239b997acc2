//! From finished runs to what a chart shows. The data of a comparison is gathered once
//! ([`Prepared`]: pooled samples, samples by group, or replications × time), and both the
//! on-screen chart ([`chart_data`]) and the exported figure (`export`) are made from it, with
//! every statistic from `sisandbox::plot::stats`, so the screen and the file agree.

use crate::results::{AgentMetric, Grouping, RunSet, SeriesMetric};
use sisandbox::plot::{self, BandPoint, BoxStats};

/// An outcome to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    Agent(AgentMetric),
    Series(SeriesMetric),
}

impl Metric {
    pub fn all() -> Vec<Metric> {
        let a = AgentMetric::ALL.into_iter().map(Metric::Agent);
        a.chain(SeriesMetric::ALL.into_iter().map(Metric::Series))
            .collect()
    }
}

/// A kind of chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    Histogram,
    Ecdf,
    Box,
    Bands,
}

impl ChartKind {
    /// The charts that fit a metric: distributions of agents, bands of series.
    pub fn for_metric(m: Metric) -> &'static [ChartKind] {
        match m {
            Metric::Agent(_) => &[ChartKind::Histogram, ChartKind::Ecdf, ChartKind::Box],
            Metric::Series(_) => &[ChartKind::Bands],
        }
    }
}

/// The data of one comparison, one entry per scenario, in the order picked.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub names: Vec<String>,
    pub data: PreparedData,
}

#[derive(Clone, Debug)]
pub enum PreparedData {
    /// Every agent of every replication, per scenario.
    Samples(Vec<Vec<f64>>),
    /// Per scenario, the values in each group (`labels`, shared by all scenarios).
    Groups {
        labels: Vec<String>,
        values: Vec<Vec<Vec<f64>>>,
    },
    /// Per scenario, x (years) and the replications × time matrix.
    Bands {
        x: Vec<Vec<f64>>,
        replications: Vec<Vec<Vec<f64>>>,
    },
}

/// Gathers the data of `metric` (grouped by `grouping` for box plots) from `runs`.
pub fn prepare(runs: &[&RunSet], metric: Metric, kind: ChartKind, grouping: Grouping) -> Prepared {
    let names = runs.iter().map(|r| r.name.clone()).collect();
    let data = match (metric, kind) {
        (Metric::Series(m), _) => {
            let mut xs = Vec::new();
            let mut reps = Vec::new();
            for run in runs {
                let x: Vec<f64> = run
                    .replications
                    .first()
                    .map(|r| r.series[m as usize].iter().map(|p| p.0).collect())
                    .unwrap_or_default();
                let rows = run
                    .replications
                    .iter()
                    .map(|r| {
                        let col = &r.series[m as usize];
                        x.iter()
                            .map(|t| col.iter().find(|p| p.0 == *t).map_or(f64::NAN, |p| p.1))
                            .collect()
                    })
                    .collect();
                xs.push(x);
                reps.push(rows);
            }
            PreparedData::Bands {
                x: xs,
                replications: reps,
            }
        }
        (Metric::Agent(m), ChartKind::Box) => grouped(runs, m, grouping),
        (Metric::Agent(m), _) => PreparedData::Samples(runs.iter().map(|r| r.pooled(m)).collect()),
    };
    Prepared { names, data }
}

fn grouped(runs: &[&RunSet], m: AgentMetric, g: Grouping) -> PreparedData {
    let gi = g as usize;
    let mut labels: Vec<String> = Vec::new();
    for run in runs {
        for rep in &run.replications {
            for l in &rep.agents.labels[gi] {
                if !labels.contains(l) {
                    labels.push(l.clone());
                }
            }
        }
    }
    let values = runs
        .iter()
        .map(|run| {
            let mut per: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
            for rep in &run.replications {
                let t = &rep.agents;
                let map: Vec<usize> = t.labels[gi]
                    .iter()
                    .map(|l| labels.iter().position(|x| x == l).unwrap_or(0))
                    .collect();
                for (v, grp) in t.values(m).iter().zip(&t.group[gi]) {
                    per[map[*grp as usize]].push(*v);
                }
            }
            per
        })
        .collect();
    PreparedData::Groups { labels, values }
}

/// What the on-screen chart draws.
#[derive(Clone, Debug)]
pub enum ChartData {
    /// Shared bin edges and, per scenario, the share of its agents in each bin.
    Histogram {
        edges: Vec<f64>,
        shares: Vec<(String, Vec<f64>)>,
    },
    /// Per scenario, the ECDF's points (thinned for drawing).
    Ecdf(Vec<(String, Vec<[f64; 2]>)>),
    /// Group labels and, per scenario, its box in each group.
    Box {
        labels: Vec<String>,
        boxes: Vec<(String, Vec<Option<BoxStats>>)>,
    },
    /// Per scenario, the band points.
    Bands(Vec<(String, Vec<BandPoint>)>),
    /// Nothing to draw, and why.
    Empty(String),
}

/// Most points an ECDF line gets on screen; the figure export uses every point.
const ECDF_POINTS: usize = 2000;
/// Histogram bins, on screen and in the export.
pub const BINS: usize = 40;
/// Band quantiles, on screen and in the export.
pub const BAND: (f64, f64) = (0.05, 0.95);

/// The chart of prepared data.
pub fn chart_data(p: &Prepared, kind: ChartKind) -> ChartData {
    let names = &p.names;
    match (&p.data, kind) {
        (PreparedData::Samples(s), ChartKind::Histogram) => {
            let slices: Vec<&[f64]> = s.iter().map(Vec::as_slice).collect();
            match plot::histogram_edges(&slices, BINS) {
                Ok(edges) => {
                    let shares = s
                        .iter()
                        .map(|v| {
                            let counts = plot::bin_counts(v, &edges);
                            let n: usize = counts.iter().sum::<usize>().max(1);
                            counts.iter().map(|c| *c as f64 / n as f64).collect()
                        })
                        .collect();
                    ChartData::Histogram {
                        edges,
                        shares: named(names, shares),
                    }
                }
                Err(e) => ChartData::Empty(e.to_string()),
            }
        }
        (PreparedData::Samples(s), _) => {
            let mut out = Vec::new();
            for v in s {
                match plot::ecdf_points(v) {
                    Ok(pts) => out.push(thin(&pts)),
                    Err(e) => return ChartData::Empty(e.to_string()),
                }
            }
            ChartData::Ecdf(named(names, out))
        }
        (PreparedData::Groups { labels, values }, _) => ChartData::Box {
            labels: labels.clone(),
            boxes: named(
                names,
                values
                    .iter()
                    .map(|per| per.iter().map(|v| plot::box_stats(v).ok()).collect())
                    .collect(),
            ),
        },
        (PreparedData::Bands { x, replications }, _) => {
            let mut out = Vec::new();
            for (x, reps) in x.iter().zip(replications) {
                match plot::percentile_band(x, reps, BAND.0, BAND.1) {
                    Ok(b) => out.push(b),
                    Err(e) => return ChartData::Empty(e.to_string()),
                }
            }
            ChartData::Bands(named(names, out))
        }
    }
}

/// Pairs each scenario name with its item.
fn named<T>(names: &[String], v: Vec<T>) -> Vec<(String, T)> {
    names.iter().cloned().zip(v).collect()
}

/// At most [`ECDF_POINTS`] of an ECDF's steps, evenly spaced, the last kept.
fn thin(points: &[(f64, f64)]) -> Vec<[f64; 2]> {
    let step = points.len().div_ceil(ECDF_POINTS).max(1);
    let mut out: Vec<[f64; 2]> = points.iter().step_by(step).map(|p| [p.0, p.1]).collect();
    if let Some(last) = points.last() {
        if out.last() != Some(&[last.0, last.1]) {
            out.push([last.0, last.1]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_ends_and_bounds_the_count() {
        let pts: Vec<(f64, f64)> = (0..10_001)
            .map(|i| (i as f64, i as f64 / 10_000.0))
            .collect();
        let t = thin(&pts);
        assert!(t.len() <= ECDF_POINTS + 1, "{}", t.len());
        assert_eq!(t[0], [0.0, 0.0]);
        assert_eq!(*t.last().unwrap(), [10_000.0, 1.0]);
    }
}
