//! The transparent baseline: an L2-regularised logistic regression on features engineered from
//! the window (the last month's values and a few summaries of the year), fitted by Newton's
//! method (iteratively reweighted least squares), which is deterministic and converges in a
//! few steps on this many coefficients.

use crate::dataset::{F, FEATURES, WINDOW};
use serde::{Deserialize, Serialize};

/// Names of the engineered features.
pub fn names() -> Vec<String> {
    let mut v: Vec<String> = FEATURES[..F - 1].iter().map(|s| s.to_string()).collect();
    v.extend(
        [
            "months of history",
            "wage change over the window",
            "months without pension in the window",
            "joined the post within a year",
        ]
        .map(String::from),
    );
    v
}

/// Engineered features of one window.
pub fn engineer(x: &[f32]) -> Vec<f64> {
    let month = |t: usize| &x[t * F..(t + 1) * F];
    let present: Vec<usize> = (0..WINDOW).filter(|&t| month(t)[F - 1] > 0.5).collect();
    let last = month(WINDOW - 1);
    let mut v: Vec<f64> = last[..F - 1].iter().map(|&a| a as f64).collect();
    let first = present.first().map_or(WINDOW - 1, |&t| t);
    v.push(present.len() as f64 / WINDOW as f64);
    v.push(10.0 * (last[4] - month(first)[4]) as f64);
    v.push(present.iter().filter(|&&t| month(t)[6] < 0.5).count() as f64 / WINDOW as f64);
    v.push(f64::from(last[7] < 1.0 / 10.0));
    v
}

/// A fitted model: standardisation and coefficients (intercept first).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Logistic {
    pub names: Vec<String>,
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub coef: Vec<f64>,
    pub l2: f64,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Logistic {
    fn standardise(&self, v: &[f64]) -> Vec<f64> {
        v.iter()
            .zip(self.mean.iter().zip(&self.sd))
            .map(|(a, (m, s))| (a - m) / s)
            .collect()
    }

    /// Fits on windows `xs` with labels; `l2` is the penalty per example.
    // Index loops mirror the matrix formulas (gradient, Hessian) they compute.
    #[allow(clippy::needless_range_loop)]
    pub fn fit(xs: &[&[f32]], labels: &[bool], l2: f64) -> Logistic {
        let rows: Vec<Vec<f64>> = xs.iter().map(|x| engineer(x)).collect();
        let k = names().len();
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0.0; k];
        for r in &rows {
            for j in 0..k {
                mean[j] += r[j] / n;
            }
        }
        let mut sd = vec![0.0; k];
        for r in &rows {
            for j in 0..k {
                sd[j] += (r[j] - mean[j]).powi(2) / n;
            }
        }
        let sd: Vec<f64> = sd.iter().map(|v| v.sqrt().max(1e-6)).collect();
        let mut m = Logistic {
            names: names(),
            mean,
            sd,
            coef: vec![0.0; k + 1],
            l2,
        };
        let z: Vec<Vec<f64>> = rows.iter().map(|r| m.standardise(r)).collect();
        let d = k + 1;
        for _ in 0..25 {
            let mut grad = vec![0.0; d];
            let mut hess = vec![0.0; d * d];
            for (r, &y) in z.iter().zip(labels) {
                let eta = m.coef[0] + r.iter().zip(&m.coef[1..]).map(|(a, b)| a * b).sum::<f64>();
                let p = sigmoid(eta);
                let w = (p * (1.0 - p)).max(1e-9);
                let e = p - f64::from(u8::from(y));
                let row = |j: usize| if j == 0 { 1.0 } else { r[j - 1] };
                for a in 0..d {
                    grad[a] += e * row(a);
                    for b in 0..=a {
                        hess[a * d + b] += w * row(a) * row(b);
                    }
                }
            }
            for a in 1..d {
                grad[a] += l2 * n * m.coef[a];
                hess[a * d + a] += l2 * n;
            }
            for a in 0..d {
                for b in 0..a {
                    hess[b * d + a] = hess[a * d + b];
                }
            }
            let Some(step) = solve(&mut hess, &grad, d) else {
                break;
            };
            let mut largest = 0.0f64;
            for a in 0..d {
                m.coef[a] -= step[a];
                largest = largest.max(step[a].abs());
            }
            if largest < 1e-8 {
                break;
            }
        }
        m
    }

    /// Predicted probability for a window.
    pub fn predict(&self, x: &[f32]) -> f64 {
        let z = self.standardise(&engineer(x));
        sigmoid(
            self.coef[0]
                + z.iter()
                    .zip(&self.coef[1..])
                    .map(|(a, b)| a * b)
                    .sum::<f64>(),
        )
    }

    /// Contribution of each feature to the log-odds, relative to the average person.
    pub fn contributions(&self, x: &[f32]) -> Vec<f64> {
        let z = self.standardise(&engineer(x));
        z.iter().zip(&self.coef[1..]).map(|(a, b)| a * b).collect()
    }
}

/// Solves the symmetric positive-definite system `a x = b` by Cholesky (in place).
#[allow(clippy::needless_range_loop)]
fn solve(a: &mut [f64], b: &[f64], d: usize) -> Option<Vec<f64>> {
    for j in 0..d {
        let mut s = a[j * d + j];
        for k in 0..j {
            s -= a[j * d + k] * a[j * d + k];
        }
        if s <= 0.0 || !s.is_finite() {
            return None;
        }
        let l = s.sqrt();
        a[j * d + j] = l;
        for i in j + 1..d {
            let mut t = a[i * d + j];
            for k in 0..j {
                t -= a[i * d + k] * a[j * d + k];
            }
            a[i * d + j] = t / l;
        }
    }
    let mut y = vec![0.0; d];
    for i in 0..d {
        let mut t = b[i];
        for k in 0..i {
            t -= a[i * d + k] * y[k];
        }
        y[i] = t / a[i * d + i];
    }
    let mut x = vec![0.0; d];
    for i in (0..d).rev() {
        let mut t = y[i];
        for k in i + 1..d {
            t -= a[k * d + i] * x[k];
        }
        x[i] = t / a[i * d + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let x = solve(&mut a, &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{x:?}");
    }
}
