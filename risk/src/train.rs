//! `sisandbox-risk train`.

use crate::data::{self, Person};
use crate::dataset::{self, Example, F, FEATURES, WINDOW};
use crate::io::{self, Staged};
use crate::logistic::Logistic;
use crate::lstm::{self, TrainSettings};
use crate::metrics;
use crate::model::{Kind, Model, Thresholds, Validation};
use anyhow::{bail, Result};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Run folders with a panel (`sisandbox run --panel`), or panel.parquet files.
    #[arg(required = true)]
    pub runs: Vec<PathBuf>,
    /// Months ahead within which an interruption is predicted.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=24))]
    pub horizon: u32,
    /// Model folder to create (must not exist).
    #[arg(long)]
    pub out: PathBuf,
    /// The model that gives the warnings; the logistic baseline is always fitted beside it.
    #[arg(long, value_enum, default_value = "lstm")]
    pub model: Kind,
    /// Months between anchors of training examples.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=12))]
    pub stride: u64,
    /// Training passes of the LSTM over the data.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=200))]
    pub epochs: u64,
    /// Seed of initialisation and batch order.
    #[arg(long, default_value_t = 20251201)]
    pub seed: u64,
    /// L2 penalty of the logistic baseline, per example.
    #[arg(long, default_value_t = 1e-4)]
    pub l2: f64,
    /// Precision targets of the red, orange and yellow warnings (shares of warned windows
    /// followed by an interruption within the horizon), highest first.
    #[arg(long, value_delimiter = ',', num_args = 3, default_values_t = [0.10, 0.05, 0.025])]
    pub precision: Vec<f64>,
    /// No progress output.
    #[arg(long, short)]
    pub quiet: bool,
}

/// All people of all runs; keys made unique by run.
pub fn load_runs(runs: &[PathBuf]) -> Result<Vec<Person>> {
    let mut people = Vec::new();
    for (r, path) in runs.iter().enumerate() {
        for mut p in data::read_run(path)? {
            p.key = format!("run{r}/{}", p.key);
            people.push(p);
        }
    }
    Ok(people)
}

pub fn run(a: &TrainArgs, threads: usize) -> Result<()> {
    let t0 = std::time::Instant::now();
    if a.precision.len() != 3
        || a.precision
            .iter()
            .any(|p| !(0.0..=1.0).contains(p) || p.is_nan())
        || a.precision.windows(2).any(|w| w[0] < w[1])
    {
        bail!(
            "--precision: three shares between 0 and 1, highest first (red, orange, yellow); got {:?}",
            a.precision
        );
    }
    let targets = [a.precision[0], a.precision[1], a.precision[2]];
    let staged = Staged::new(&a.out)?;
    let people = load_runs(&a.runs)?;
    let ex = dataset::examples(&people, a.horizon, a.stride as usize);
    let (train, valid): (Vec<&Example>, Vec<&Example>) = ex
        .iter()
        .partition(|e| !dataset::is_validation(&people[e.person].key));
    let positives = train.iter().filter(|e| e.label).count();
    if positives < 5 || train.len() - positives < 5 {
        bail!(
            "too few examples to train on: {positives} interruptions among {} windows; use longer \
             or larger runs",
            train.len()
        );
    }
    let xs: Vec<&[f32]> = train.iter().map(|e| e.x.as_slice()).collect();
    let ys: Vec<bool> = train.iter().map(|e| e.label).collect();
    if !a.quiet {
        eprintln!(
            "{} people, {} training windows ({positives} positive), {} validation windows",
            people.len(),
            train.len(),
            valid.len()
        );
    }
    let baseline = Logistic::fit(&xs, &ys, a.l2);
    let bar = crate::progress(a.quiet, a.epochs, "epochs");
    let (net_bytes, net) = if a.model == Kind::Lstm {
        let set = TrainSettings {
            epochs: a.epochs as usize,
            batch: 256,
            learning_rate: 5e-3,
            seed: a.seed,
        };
        let trained = lstm::train(&xs, &ys, &set, &|e, loss| {
            bar.set_position(e as u64);
            bar.set_message(format!("loss {loss:.4}"));
        });
        let bytes = lstm::to_bytes(&trained)?;
        // Validate and score with the weights as saved.
        let net = lstm::from_bytes(bytes.clone())?;
        (Some(bytes), Some(net))
    } else {
        (None, None)
    };
    bar.finish_and_clear();
    let vx: Vec<&[f32]> = valid.iter().map(|e| e.x.as_slice()).collect();
    let vy: Vec<bool> = valid.iter().map(|e| e.label).collect();
    let base_scores: Vec<f64> = vx.iter().map(|x| baseline.predict(x)).collect();
    let scores = match &net {
        Some(n) => lstm::predict(n, &vx),
        None => base_scores.clone(),
    };
    let thresholds = Thresholds {
        red: metrics::threshold_for_precision(&scores, &vy, targets[0]),
        orange: metrics::threshold_for_precision(&scores, &vy, targets[1]),
        yellow: metrics::threshold_for_precision(&scores, &vy, targets[2]),
        targets,
    };
    let mut means = [0.0f64; F];
    let mut present = 0usize;
    for x in &xs {
        for t in 0..WINDOW {
            let m = &x[t * F..(t + 1) * F];
            if m[F - 1] > 0.5 {
                present += 1;
                for (acc, &v) in means.iter_mut().zip(m) {
                    *acc += v as f64;
                }
            }
        }
    }
    let vpos = vy.iter().filter(|&&l| l).count();
    let model = Model {
        format: 1,
        kind: a.model,
        horizon_months: a.horizon,
        window_months: WINDOW,
        stride_months: a.stride as usize,
        seed: a.seed,
        threads,
        epochs: a.epochs as usize,
        features: FEATURES.iter().map(|s| s.to_string()).collect(),
        feature_means: means
            .iter()
            .map(|m| (m / present.max(1) as f64) as f32)
            .collect(),
        training_runs: a.runs.iter().map(|p| p.display().to_string()).collect(),
        training_people: people.len(),
        training_examples: train.len(),
        training_positives: positives,
        validation: Validation {
            auc: metrics::auc(&scores, &vy),
            pr_auc: metrics::pr_auc(&scores, &vy),
            brier: metrics::brier(&scores, &vy),
            baseline_auc: metrics::auc(&base_scores, &vy),
            baseline_pr_auc: metrics::pr_auc(&base_scores, &vy),
            baseline_brier: metrics::brier(&base_scores, &vy),
            positives: vpos,
            negatives: vy.len() - vpos,
        },
        thresholds,
        baseline,
        lstm_sha256: net_bytes.as_deref().map(io::sha256),
    };
    if let Some(b) = &net_bytes {
        staged.write("lstm.bpk", b)?;
    }
    staged.write(
        "model.json",
        serde_json::to_string_pretty(&model)?.as_bytes(),
    )?;
    let dir = staged.commit()?;
    if !a.quiet {
        let v = &model.validation;
        eprintln!(
            "validation AUC {} (baseline {}), {:.1} s -> {}",
            fmt(v.auc),
            fmt(v.baseline_auc),
            t0.elapsed().as_secs_f64(),
            dir.display()
        );
    }
    Ok(())
}

pub fn fmt(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.3}"))
}
