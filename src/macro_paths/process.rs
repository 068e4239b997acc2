//! One yearly AR(1) process, its least-squares fit, and the joint draw of all processes of a
//! path from one counter-based stream per (seed, path, year).

use serde::{Deserialize, Serialize};

/// `x_y = mean + phi (x_{y−1} − mean) + sigma ε_y`, with `x_{from−1} = start` and
/// `ε_y = loading z_0 + √(1 − loading²) z_i` (a common factor `z_0` shared by every process of
/// the year, so two processes correlate by the product of their loadings). The value used is
/// the state clamped to `[min, max]`; the state itself is not clamped, so the process stays the
/// stationary AR(1) its parameters describe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ar1 {
    /// Long-run mean, per year.
    pub mean: f64,
    /// Persistence; |phi| < 1 (stationary).
    pub phi: f64,
    /// Standard deviation of the yearly innovation.
    pub sigma: f64,
    /// The value of the year before `from` (the last published one).
    pub start: f64,
    /// Loading on the common factor, −1 to 1.
    pub loading: f64,
    /// Lowest value used (a floor such as "not below the deposit rate").
    pub min: f64,
    /// Highest value used.
    pub max: f64,
}

impl Ar1 {
    /// The next state from the previous one and a standard-normal innovation.
    #[inline]
    pub fn next(&self, prev: f64, eps: f64) -> f64 {
        self.mean + self.phi * (prev - self.mean) + self.sigma * eps
    }

    /// The innovation from the common and the own standard-normal draws.
    #[inline]
    pub fn innovation(&self, common: f64, own: f64) -> f64 {
        self.loading * common + (1.0 - self.loading * self.loading).max(0.0).sqrt() * own
    }

    /// The value used for a state.
    #[inline]
    pub fn value(&self, state: f64) -> f64 {
        state.clamp(self.min, self.max)
    }
}

/// An ordinary-least-squares fit of `x_t = c + phi x_{t−1} + e_t`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Ar1Fit {
    pub c: f64,
    pub phi: f64,
    /// Residual standard deviation with `n − 2` degrees of freedom.
    pub sigma: f64,
    /// `c / (1 − phi)`: the implied long-run mean (meaningless when |phi| ≥ 1).
    pub mean: f64,
    /// Observations used (pairs).
    pub n: usize,
}

/// Fits an AR(1) by least squares; `None` with fewer than three observations or a constant
/// series.
pub fn fit_ar1(x: &[f64]) -> Option<Ar1Fit> {
    if x.len() < 4 {
        return None;
    }
    let (z, y) = (&x[..x.len() - 1], &x[1..]);
    let n = y.len() as f64;
    let mz = z.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let szz: f64 = z.iter().map(|a| (a - mz) * (a - mz)).sum();
    if szz <= 0.0 {
        return None;
    }
    let szy: f64 = z.iter().zip(y).map(|(a, b)| (a - mz) * (b - my)).sum();
    let phi = szy / szz;
    let c = my - phi * mz;
    let sse: f64 = z
        .iter()
        .zip(y)
        .map(|(a, b)| (b - c - phi * a).powi(2))
        .sum();
    Some(Ar1Fit {
        c,
        phi,
        sigma: (sse / (n - 2.0)).sqrt(),
        mean: c / (1.0 - phi),
        n: y.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_a_known_process() {
        let p = Ar1 {
            mean: 0.03,
            phi: 0.6,
            sigma: 0.01,
            start: 0.03,
            loading: 0.0,
            min: -1.0,
            max: 1.0,
        };
        let mut d = crate::rng::Draws::new(1, 0, crate::rng::Purpose::Macro, 0);
        let mut x = vec![0.03];
        for _ in 0..20_000 {
            let prev = *x.last().unwrap();
            x.push(p.next(prev, d.normal()));
        }
        let f = fit_ar1(&x).unwrap();
        assert!((f.phi - 0.6).abs() < 0.02, "{f:?}");
        assert!((f.mean - 0.03).abs() < 0.002, "{f:?}");
        assert!((f.sigma - 0.01).abs() < 0.0005, "{f:?}");
    }

    #[test]
    fn innovation_keeps_unit_variance_and_loads_the_common_factor() {
        let p = Ar1 {
            mean: 0.0,
            phi: 0.0,
            sigma: 1.0,
            start: 0.0,
            loading: 0.6,
            min: -9.0,
            max: 9.0,
        };
        assert!((p.innovation(1.0, 0.0) - 0.6).abs() < 1e-12);
        assert!((p.innovation(0.0, 1.0) - 0.8).abs() < 1e-12);
        assert!(fit_ar1(&[1.0, 1.0, 1.0, 1.0]).is_none());
    }
}
