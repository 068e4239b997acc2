//! A model folder: `model.json` (settings, thresholds, the logistic baseline, checksums) and,
//! for the LSTM, `lstm.bpk` (burnpack weights).

use crate::dataset::{F, FEATURES, WINDOW};
use crate::logistic::Logistic;
use crate::lstm::{self, Net};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Which model gives the warnings.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Lstm,
    Logistic,
}

/// Warning levels: the lowest score at which the validation examples at or above it reached
/// the level's precision target (None: the target was not reached, the level is never given).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Thresholds {
    pub red: Option<f64>,
    pub orange: Option<f64>,
    pub yellow: Option<f64>,
    /// Precision targets of red, orange, yellow.
    pub targets: [f64; 3],
}

impl Thresholds {
    pub fn level(&self, score: f64) -> Option<&'static str> {
        let at = |t: Option<f64>| t.is_some_and(|t| score >= t);
        if at(self.red) {
            Some("red")
        } else if at(self.orange) {
            Some("orange")
        } else if at(self.yellow) {
            Some("yellow")
        } else {
            None
        }
    }
}

/// Performance on the validation part of the training data.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Validation {
    pub auc: Option<f64>,
    pub pr_auc: Option<f64>,
    pub brier: f64,
    pub baseline_auc: Option<f64>,
    pub baseline_pr_auc: Option<f64>,
    pub baseline_brier: f64,
    pub positives: usize,
    pub negatives: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Model {
    pub format: u32,
    pub kind: Kind,
    pub horizon_months: u32,
    pub window_months: usize,
    pub stride_months: usize,
    pub seed: u64,
    pub threads: usize,
    pub epochs: usize,
    pub features: Vec<String>,
    /// Mean of each per-month input over the training windows' present months (the reference
    /// of occlusion attributions).
    pub feature_means: Vec<f32>,
    pub training_runs: Vec<String>,
    pub training_people: usize,
    pub training_examples: usize,
    pub training_positives: usize,
    pub validation: Validation,
    pub thresholds: Thresholds,
    pub baseline: Logistic,
    /// SHA-256 of lstm.bpk.
    pub lstm_sha256: Option<String>,
}

/// A model ready to score.
pub struct Loaded {
    pub model: Model,
    pub net: Option<Net>,
}

impl Loaded {
    pub fn load(dir: &Path) -> Result<Loaded> {
        let path = dir.join("model.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{}: cannot read (is this a model folder from `train`?)",
                path.display()
            )
        })?;
        let model: Model = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a model file of this version", path.display()))?;
        if model.window_months != WINDOW || model.features.len() != F {
            bail!(
                "{}: built for other inputs than this version reads",
                path.display()
            );
        }
        let net = match (&model.kind, &model.lstm_sha256) {
            (Kind::Lstm, Some(sum)) => {
                let p = dir.join("lstm.bpk");
                let bytes =
                    std::fs::read(&p).with_context(|| format!("{}: cannot read", p.display()))?;
                if &crate::io::sha256(&bytes) != sum {
                    bail!(
                        "{}: checksum differs from model.json (the folder was altered)",
                        p.display()
                    );
                }
                Some(lstm::from_bytes(bytes)?)
            }
            (Kind::Lstm, None) => bail!("{}: an LSTM model without weights", path.display()),
            _ => None,
        };
        Ok(Loaded { model, net })
    }

    /// Scores of the model named by `kind`.
    pub fn scores(&self, xs: &[&[f32]]) -> Vec<f64> {
        match &self.net {
            Some(net) => lstm::predict(net, xs),
            None => self.baseline_scores(xs),
        }
    }

    pub fn baseline_scores(&self, xs: &[&[f32]]) -> Vec<f64> {
        xs.iter().map(|x| self.model.baseline.predict(x)).collect()
    }

    /// The three features that raise a window's risk most: coefficients × standardised values
    /// for the logistic model; occlusion for the LSTM (the drop in risk when a feature is set to
    /// its training mean over the window).
    pub fn reasons(&self, xs: &[&[f32]], scores: &[f64]) -> Vec<Vec<(String, f64)>> {
        let per_feature: Vec<Vec<(String, f64)>> = match &self.net {
            None => xs
                .iter()
                .map(|x| {
                    let c = self.model.baseline.contributions(x);
                    self.model.baseline.names.iter().cloned().zip(c).collect()
                })
                .collect(),
            Some(net) => {
                let mut out: Vec<Vec<(String, f64)>> = vec![Vec::new(); xs.len()];
                for f in 0..F - 1 {
                    let occluded: Vec<Vec<f32>> = xs
                        .iter()
                        .map(|x| {
                            let mut y = x.to_vec();
                            for t in 0..WINDOW {
                                if y[t * F + F - 1] > 0.5 {
                                    y[t * F + f] = self.model.feature_means[f];
                                }
                            }
                            y
                        })
                        .collect();
                    let refs: Vec<&[f32]> = occluded.iter().map(Vec::as_slice).collect();
                    let s = lstm::predict(net, &refs);
                    for (i, v) in s.into_iter().enumerate() {
                        out[i].push((FEATURES[f].to_string(), scores[i] - v));
                    }
                }
                out
            }
        };
        per_feature
            .into_iter()
            .map(|mut v| {
                v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                v.into_iter().filter(|r| r.1 > 0.0).take(3).collect()
            })
            .collect()
    }
}

/// The suggested action for a warning's first reason.
pub fn action(reason: Option<&str>) -> &'static str {
    match reason.unwrap_or("") {
        "temporary track" | "contract track" => {
            "push a participation plan: enrolment in all insurances and what a break costs"
        }
        "pension paid this month" | "months without pension in the window" | "base / wage" => {
            "check the base declaration and any arrears with the payroll office"
        }
        "spouse covered" | "dependants" => {
            "explain continuation (flexible-employment contributions, transfer) before any exit"
        }
        "age (years / 60)" => "review the record against the 15-year minimum and pension age",
        "years in post" | "joined the post within a year" | "months of history" => {
            "contact at the end of probation or at contract renewal"
        }
        "log wage" | "wage change over the window" => {
            "check pay changes and the base against the lower limit"
        }
        _ => "push a personal participation plan",
    }
}
