//! `sisandbox-risk evaluate`: discrimination and calibration of the model and of the baseline
//! on a run the model was not trained on (another seed), with a calibration curve and the
//! distribution of warning lead times as CSV and figures.

use crate::data;
use crate::dataset::{self, Example};
use crate::io::Staged;
use crate::metrics;
use crate::model::Loaded;
use anyhow::Result;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// Model folder written by `train`.
    pub model: PathBuf,
    /// Run folder with a panel (or a panel.parquet file).
    pub run: PathBuf,
    /// Print the metrics as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Folder for the CSV tables and figures [default: RUN/risk-evaluation, numbered if taken].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The metrics `evaluate` prints.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Metrics {
    pub model: String,
    pub auc: Option<f64>,
    pub pr_auc: Option<f64>,
    pub brier: f64,
    pub baseline_auc: Option<f64>,
    pub baseline_pr_auc: Option<f64>,
    pub baseline_brier: f64,
    pub horizon_months: u32,
    pub positives: usize,
    pub negatives: usize,
    /// Share of positives that received a warning (any level) and its precision.
    pub warned_recall: Option<f64>,
    pub warned_precision: Option<f64>,
}

/// Examples of a run with both models' scores.
pub struct Scored {
    pub people: Vec<data::Person>,
    pub examples: Vec<Example>,
    pub scores: Vec<f64>,
    pub baseline: Vec<f64>,
}

pub fn score_run(m: &Loaded, run: &Path) -> Result<Scored> {
    let people = data::read_run(run)?;
    let examples = dataset::examples(&people, m.model.horizon_months, m.model.stride_months);
    let xs: Vec<&[f32]> = examples.iter().map(|e| e.x.as_slice()).collect();
    let scores = m.scores(&xs);
    let baseline = m.baseline_scores(&xs);
    Ok(Scored {
        people,
        examples,
        scores,
        baseline,
    })
}

pub fn metrics_of(m: &Loaded, s: &Scored) -> Metrics {
    let labels: Vec<bool> = s.examples.iter().map(|e| e.label).collect();
    let positives = labels.iter().filter(|&&l| l).count();
    let warned: Vec<bool> = s
        .scores
        .iter()
        .map(|&v| m.model.thresholds.level(v).is_some())
        .collect();
    let tp = warned
        .iter()
        .zip(&labels)
        .filter(|(w, l)| **w && **l)
        .count();
    let nw = warned.iter().filter(|&&w| w).count();
    Metrics {
        model: format!("{:?}", m.model.kind).to_lowercase(),
        auc: metrics::auc(&s.scores, &labels),
        pr_auc: metrics::pr_auc(&s.scores, &labels),
        brier: metrics::brier(&s.scores, &labels),
        baseline_auc: metrics::auc(&s.baseline, &labels),
        baseline_pr_auc: metrics::pr_auc(&s.baseline, &labels),
        baseline_brier: metrics::brier(&s.baseline, &labels),
        horizon_months: m.model.horizon_months,
        positives,
        negatives: labels.len() - positives,
        warned_recall: (positives > 0).then(|| tp as f64 / positives as f64),
        warned_precision: (nw > 0).then(|| tp as f64 / nw as f64),
    }
}

/// A fresh folder name under `base`.
pub fn fresh(base: PathBuf) -> PathBuf {
    let mut c = base.clone();
    let mut n = 2;
    while c.exists() {
        c = PathBuf::from(format!("{}-{n}", base.display()));
        n += 1;
    }
    c
}

pub fn run(a: &EvaluateArgs) -> Result<()> {
    let m = Loaded::load(&a.model)?;
    let s = score_run(&m, &a.run)?;
    let met = metrics_of(&m, &s);
    let run_dir = if a.run.is_dir() {
        a.run.clone()
    } else {
        a.run.parent().map_or(PathBuf::from("."), Path::to_path_buf)
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| fresh(run_dir.join("risk-evaluation")));
    let staged = Staged::new(&out)?;
    let labels: Vec<bool> = s.examples.iter().map(|e| e.label).collect();
    let mut cal = String::from("model,bin_mean_predicted,observed_rate,windows\n");
    let curves = [
        ("model", metrics::calibration(&s.scores, &labels, 10)),
        ("baseline", metrics::calibration(&s.baseline, &labels, 10)),
    ];
    for (name, c) in &curves {
        for (p, o, n) in c {
            writeln!(cal, "{name},{p:.6},{o:.6},{n}")?;
        }
    }
    staged.write("calibration.csv", cal.as_bytes())?;
    // Lead time: months from a warned window to the interruption it preceded.
    let leads: Vec<f64> = s
        .examples
        .iter()
        .zip(&s.scores)
        .filter(|(e, &v)| e.label && m.model.thresholds.level(v).is_some())
        .filter_map(|(e, _)| e.lead.map(f64::from))
        .collect();
    let mut lt = String::from("lead_months,warned_windows\n");
    for k in 1..=m.model.horizon_months {
        let n = leads.iter().filter(|&&l| l as u32 == k).count();
        writeln!(lt, "{k},{n}")?;
    }
    staged.write("lead_time.csv", lt.as_bytes())?;
    staged.write(
        "metrics.json",
        serde_json::to_string_pretty(&met)?.as_bytes(),
    )?;
    crate::figures::calibration(&staged, &curves)?;
    if !leads.is_empty() {
        crate::figures::lead_time(&staged, &leads, m.model.horizon_months)?;
    }
    let dir = staged.commit()?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&met)?);
    } else {
        let f = crate::train::fmt;
        println!("                 {:>8} {:>8}", met.model, "baseline");
        println!(
            "AUC              {:>8} {:>8}",
            f(met.auc),
            f(met.baseline_auc)
        );
        println!(
            "PR-AUC           {:>8} {:>8}",
            f(met.pr_auc),
            f(met.baseline_pr_auc)
        );
        println!(
            "Brier            {:>8.4} {:>8.4}",
            met.brier, met.baseline_brier
        );
        println!(
            "horizon {} months, {} positive and {} negative windows",
            met.horizon_months, met.positives, met.negatives
        );
    }
    eprintln!("tables and figures -> {}", dir.display());
    Ok(())
}
