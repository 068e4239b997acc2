//! The tables of a sweep, assembled from its per-run files in run order (so they do not
//! depend on thread counts, the order runs finish in, the shard split or interruptions):
//! runs.csv, series.csv, summary.csv, paired.csv, paired_summary.csv and morris.csv
//! (decomposition.csv and decomposition_summary.csv: [`super::sweep_decompose`]).

use super::morris::{elementary_effects, morris_stats};
use super::spec::{Design, SweepPlan};
use super::stats::{csv_line, fmt, fmt_opt, mean_ci, quantiles, QUANTILES};
use super::store::{self, RunFiles, StoreError};
use super::summary::{AgentOutcome, PAIRED_METRICS};
use super::sweep::{param_header, read_plan, SweepError};
use std::collections::HashMap;
use std::path::Path;

/// Assembles the tables of a complete sweep folder from its per-run files.
pub fn assemble(dir: &Path) -> Result<(), SweepError> {
    let (plan, _) = read_plan(dir)?;
    assemble_plan(&plan, dir)
}

fn check_complete(plan: &SweepPlan, dir: &Path) -> Result<(), SweepError> {
    let missing: Vec<usize> = (0..plan.runs())
        .filter(|&id| !RunFiles::new(dir, id).complete())
        .collect();
    if let Some(&first) = missing.first() {
        let (v, r) = plan.locate(first);
        return Err(SweepError::Incomplete {
            missing: missing.len(),
            total: plan.runs(),
            first: format!("run {first}: variant {v}, replication {r}"),
        });
    }
    Ok(())
}

/// The leading columns of a run's rows: run, variant, replication, seed, parameter values.
fn run_prefix(plan: &SweepPlan, id: usize) -> String {
    let (v, r) = plan.locate(id);
    let mut f = vec![
        id.to_string(),
        v.to_string(),
        r.to_string(),
        plan.seed(r).to_string(),
    ];
    f.extend(plan.cells(&plan.variants[v]));
    csv_line(&f)
}

fn variant_prefix(plan: &SweepPlan, v: usize) -> Vec<String> {
    let mut f = vec![v.to_string()];
    f.extend(plan.cells(&plan.variants[v]));
    f
}

type MetricKey = (String, String, String);

pub(super) fn assemble_plan(plan: &SweepPlan, dir: &Path) -> Result<(), SweepError> {
    check_complete(plan, dir)?;
    let params = param_header(plan);
    let head = |tail: &[&str]| {
        let mut h: Vec<String> = ["run", "variant", "replication", "seed"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        h.extend(params.iter().cloned());
        h.extend(tail.iter().map(|s| s.to_string()));
        csv_line(&h)
    };
    let io = |path: &Path| {
        let p = path.to_path_buf();
        move |e: StoreError| std::io::Error::other(format!("{}: {}", p.display(), e.error))
    };
    // runs.csv and series.csv: the per-run files, prefixed, in run order.
    store::write_atomic(&dir.join("runs.csv"), |w| {
        writeln!(w, "{}", head(&["group", "key", "metric", "value"]))?;
        for id in 0..plan.runs() {
            let f = RunFiles::new(dir, id);
            store::copy_lines(&f.metrics, &run_prefix(plan, id), w).map_err(io(&f.metrics))?;
        }
        Ok(())
    })?;
    if plan.series {
        store::write_atomic(&dir.join("series.csv"), |w| {
            writeln!(w, "{}", head(&["year", "group", "key", "metric", "value"]))?;
            for id in 0..plan.runs() {
                let f = RunFiles::new(dir, id);
                store::copy_lines(&f.series, &run_prefix(plan, id), w).map_err(io(&f.series))?;
            }
            Ok(())
        })?;
    }
    // summary.csv: across replications, one variant at a time, streamed. Morris keeps each
    // variant's means for the elementary effects.
    let morris = plan.design == Design::Morris;
    let mut means: Vec<HashMap<MetricKey, f64>> = Vec::new();
    let mut order: Vec<MetricKey> = Vec::new();
    store::write_atomic(&dir.join("summary.csv"), |w| {
        let mut h = vec!["variant".to_string()];
        h.extend(params.iter().cloned());
        h.extend(
            [
                "group",
                "key",
                "metric",
                "n",
                "mean",
                "sd",
                "ci95_low",
                "ci95_high",
            ]
            .map(String::from),
        );
        writeln!(w, "{}", csv_line(&h))?;
        for v in 0..plan.variants.len() {
            let mut keys: Vec<MetricKey> = Vec::new();
            let mut values: HashMap<MetricKey, Vec<f64>> = HashMap::new();
            for r in 0..plan.replications {
                let f = RunFiles::new(dir, v * plan.replications + r);
                for m in store::read_metrics(&f.metrics).map_err(to_io)? {
                    let k = (m.group, m.key, m.metric);
                    let e = values.entry(k.clone()).or_default();
                    if e.is_empty() {
                        keys.push(k);
                    }
                    e.push(m.value);
                }
            }
            let mut vmeans = HashMap::new();
            for k in keys {
                let Some(s) = mean_ci(&values[&k]) else {
                    continue;
                };
                let mut f = variant_prefix(plan, v);
                f.extend([k.0.clone(), k.1.clone(), k.2.clone()]);
                f.push(s.n.to_string());
                f.push(fmt(s.mean));
                f.push(fmt_opt(s.sd));
                f.push(fmt_opt(s.ci.map(|c| c.0)));
                f.push(fmt_opt(s.ci.map(|c| c.1)));
                writeln!(w, "{}", csv_line(&f))?;
                if morris {
                    if !order.contains(&k) {
                        order.push(k.clone());
                    }
                    vmeans.insert(k, s.mean);
                }
            }
            if morris {
                means.push(vmeans);
            }
        }
        Ok(())
    })?;
    if plan.baseline {
        write_paired(plan, dir)?;
    }
    if morris {
        write_morris(plan, dir, &means, &order)?;
    }
    if plan.decompose {
        super::sweep_decompose::write_tables(plan, dir)?;
    }
    Ok(())
}

/// Per-agent differences (variant − base) of one replication, by group.
struct PairedStats {
    group: String,
    key: String,
    metric: &'static str,
    diffs: Vec<f64>,
}

fn paired_diffs(base: &[AgentOutcome], variant: &[AgentOutcome]) -> Vec<PairedStats> {
    let by_id: HashMap<u32, &AgentOutcome> = variant.iter().map(|a| (a.id, a)).collect();
    let mut out = Vec::new();
    let tracks = ["establishment", "contract", "temporary"];
    for (m, metric) in PAIRED_METRICS.iter().enumerate() {
        let mut all = Vec::new();
        let mut by_track: Vec<Vec<f64>> = vec![Vec::new(); tracks.len()];
        for b in base {
            let Some(x) = by_id.get(&b.id) else { continue };
            if let (Some(bv), Some(xv)) = (b.values[m], x.values[m]) {
                let d = xv - bv;
                all.push(d);
                if let Some(t) = tracks.iter().position(|t| *t == b.track) {
                    by_track[t].push(d);
                }
            }
        }
        out.push(PairedStats {
            group: "all".into(),
            key: "all".into(),
            metric,
            diffs: all,
        });
        for (t, d) in tracks.iter().zip(by_track) {
            out.push(PairedStats {
                group: "track".into(),
                key: t.to_string(),
                metric,
                diffs: d,
            });
        }
    }
    out
}

fn write_paired(plan: &SweepPlan, dir: &Path) -> Result<(), SweepError> {
    let params = param_header(plan);
    let qnames: Vec<String> = QUANTILES
        .iter()
        .map(|q| format!("q{:02}", (q * 100.0).round() as u32))
        .collect();
    let mut h = vec!["variant".to_string(), "replication".to_string()];
    h.extend(params.iter().cloned());
    h.extend(["group", "key", "metric", "n", "mean_diff", "sd_diff"].map(String::from));
    h.extend(qnames.iter().cloned());
    h.extend(["share_gain", "share_loss"].map(String::from));
    let mut hs = vec!["variant".to_string()];
    hs.extend(params.iter().cloned());
    hs.extend(
        [
            "group",
            "key",
            "metric",
            "replications",
            "mean_diff",
            "ci95_low",
            "ci95_high",
            "share_gain",
            "share_loss",
        ]
        .map(String::from),
    );
    // Both tables are streamed one variant at a time: per replication into paired.csv, the
    // variant's summary over replications into paired_summary.csv.
    write_variant_tables(
        dir,
        ("paired.csv", &h),
        ("paired_summary.csv", &hs),
        1..plan.variants.len(),
        |v, w, ws| write_paired_variant(plan, dir, v, w, ws),
    )?;
    Ok(())
}

/// Streams a per-replication table and its summary over replications together, one variant
/// at a time (`each` writes a variant's rows into both), each file written atomically.
pub(super) fn write_variant_tables(
    dir: &Path,
    (rows_name, rows_header): (&str, &[String]),
    (summary_name, summary_header): (&str, &[String]),
    variants: impl Iterator<Item = usize>,
    mut each: impl FnMut(usize, &mut dyn std::io::Write, &mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    store::write_atomic(&dir.join(summary_name), |ws| {
        writeln!(ws, "{}", csv_line(summary_header))?;
        store::write_atomic(&dir.join(rows_name), |w| {
            writeln!(w, "{}", csv_line(rows_header))?;
            for v in variants {
                each(v, w, ws)?;
            }
            Ok(())
        })
        .map_err(to_io)
    })
}

/// Any error as an I/O error, for writers that stream inside [`store::write_atomic`].
pub(super) fn to_io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// One variant's rows of paired.csv (`w`) and paired_summary.csv (`ws`).
fn write_paired_variant(
    plan: &SweepPlan,
    dir: &Path,
    v: usize,
    w: &mut dyn std::io::Write,
    ws: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut keys = Vec::new();
    // metric key -> per replication (mean difference, gain share, loss share)
    let mut reps: HashMap<MetricKey, Vec<[f64; 3]>> = HashMap::new();
    for r in 0..plan.replications {
        let base = store::read_agent_outcomes(&RunFiles::new(dir, r).agents).map_err(to_io)?;
        let var = store::read_agent_outcomes(&RunFiles::new(dir, v * plan.replications + r).agents)
            .map_err(to_io)?;
        for p in paired_diffs(&base, &var) {
            let n = p.diffs.len();
            if n == 0 {
                continue;
            }
            let s = mean_ci(&p.diffs);
            let q = quantiles(&p.diffs, &QUANTILES);
            let gain = p.diffs.iter().filter(|d| **d > 0.0).count() as f64 / n as f64;
            let loss = p.diffs.iter().filter(|d| **d < 0.0).count() as f64 / n as f64;
            let mut f = variant_prefix(plan, v);
            f.insert(1, r.to_string());
            f.extend([p.group.clone(), p.key.clone(), p.metric.to_string()]);
            f.push(n.to_string());
            f.push(fmt_opt(s.map(|s| s.mean)));
            f.push(fmt_opt(s.and_then(|s| s.sd)));
            for i in 0..QUANTILES.len() {
                f.push(fmt_opt(q.as_ref().map(|q| q[i])));
            }
            f.push(fmt(gain));
            f.push(fmt(loss));
            writeln!(w, "{}", csv_line(&f))?;
            let k = (p.group, p.key, p.metric.to_string());
            let e = reps.entry(k.clone()).or_default();
            if e.is_empty() {
                keys.push(k);
            }
            if let Some(s) = s {
                e.push([s.mean, gain, loss]);
            }
        }
    }
    for k in &keys {
        let xs = &reps[k];
        let col = |i: usize| xs.iter().map(|x| x[i]).collect::<Vec<f64>>();
        let Some(m) = mean_ci(&col(0)) else {
            continue;
        };
        let gain = mean_ci(&col(1)).map(|s| s.mean);
        let loss = mean_ci(&col(2)).map(|s| s.mean);
        let mut f = variant_prefix(plan, v);
        f.extend([k.0.clone(), k.1.clone(), k.2.clone()]);
        f.push(m.n.to_string());
        f.push(fmt(m.mean));
        f.push(fmt_opt(m.ci.map(|c| c.0)));
        f.push(fmt_opt(m.ci.map(|c| c.1)));
        f.push(fmt_opt(gain));
        f.push(fmt_opt(loss));
        writeln!(ws, "{}", csv_line(&f))?;
    }
    Ok(())
}

fn write_morris(
    plan: &SweepPlan,
    dir: &Path,
    means: &[HashMap<MetricKey, f64>],
    order: &[MetricKey],
) -> Result<(), SweepError> {
    // The Morris points in design order (a base variant, if any, is not part of them).
    let points: Vec<usize> = plan
        .variants
        .iter()
        .filter(|v| v.morris.is_some())
        .map(|v| v.index)
        .collect();
    let steps: Vec<Option<(usize, f64)>> = points
        .iter()
        .map(|&i| plan.variants[i].morris.and_then(|m| m.2))
        .collect();
    let k = plan.parameters.len();
    store::write_atomic(&dir.join("morris.csv"), |w| {
        writeln!(w, "parameter,group,key,metric,r,mu,mu_star,sigma")?;
        let effects: Vec<Vec<Vec<f64>>> = order
            .iter()
            .map(|key| {
                let y: Vec<Option<f64>> =
                    points.iter().map(|&i| means[i].get(key).copied()).collect();
                elementary_effects(k, &steps, &y)
            })
            .collect();
        for (p, name) in plan.parameters.iter().enumerate() {
            for (key, ee) in order.iter().zip(&effects) {
                let Some(s) = morris_stats(&ee[p]) else {
                    continue;
                };
                writeln!(
                    w,
                    "{}",
                    csv_line(&[
                        name.as_str(),
                        &key.0,
                        &key.1,
                        &key.2,
                        &s.r.to_string(),
                        &fmt(s.mu),
                        &fmt(s.mu_star),
                        &fmt_opt(s.sigma),
                    ])
                )?;
            }
        }
        Ok(())
    })?;
    Ok(())
}
