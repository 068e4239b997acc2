//! Morris elementary effects. Along a trajectory each step moves one parameter by ±Δ in the
//! unit cube; the elementary effect of that parameter is (y(after) − y(before)) / (±Δ). Per
//! parameter and output: μ (mean effect), μ* (mean absolute effect: overall influence,
//! Campolongo et al. 2007) and σ (standard deviation: non-linearity or interactions).
//! Effects are in output units per unit of the parameter's [min, max] range, so parameters of
//! different units compare.

/// μ, μ* and σ of one parameter on one output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisStats {
    /// Elementary effects used (trajectories where both points have the output).
    pub r: usize,
    pub mu: f64,
    pub mu_star: f64,
    /// Sample standard deviation (r − 1); `None` for one effect.
    pub sigma: Option<f64>,
}

/// The elementary effects of each of `k` parameters. `steps[i]` describes point `i` of the
/// design in trajectory order: `None` for a trajectory's first point, `Some((parameter, Δ))`
/// for a point that moved that parameter from the point before. `y[i]` is the output at point
/// `i` (`None` when missing, which skips the effects it would enter).
pub fn elementary_effects(
    k: usize,
    steps: &[Option<(usize, f64)>],
    y: &[Option<f64>],
) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::new(); k];
    for i in 1..steps.len().min(y.len()) {
        let Some((p, d)) = steps[i] else { continue };
        if p >= k || d == 0.0 {
            continue;
        }
        if let (Some(a), Some(b)) = (y[i - 1], y[i]) {
            let ee = (b - a) / d;
            if ee.is_finite() {
                out[p].push(ee);
            }
        }
    }
    out
}

/// μ, μ* and σ of a list of elementary effects; `None` when the list is empty.
pub fn morris_stats(effects: &[f64]) -> Option<MorrisStats> {
    let r = effects.len();
    if r == 0 {
        return None;
    }
    let mu = effects.iter().sum::<f64>() / r as f64;
    let mu_star = effects.iter().map(|e| e.abs()).sum::<f64>() / r as f64;
    let sigma = (r > 1).then(|| {
        (effects.iter().map(|e| (e - mu) * (e - mu)).sum::<f64>() / (r - 1) as f64).sqrt()
    });
    Some(MorrisStats {
        r,
        mu,
        mu_star,
        sigma,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design;

    #[test]
    fn linear_model_has_constant_effects_and_zero_sigma() {
        // y = 3 x0 − 2 x1 + 0 x2: effects are exactly the coefficients.
        let pts = design::morris(11, 6, 3, 4);
        let steps: Vec<_> = pts.iter().map(|p| p.moved).collect();
        let y: Vec<_> = pts
            .iter()
            .map(|p| Some(3.0 * p.x[0] - 2.0 * p.x[1]))
            .collect();
        let ee = elementary_effects(3, &steps, &y);
        let s0 = morris_stats(&ee[0]).unwrap();
        let s1 = morris_stats(&ee[1]).unwrap();
        let s2 = morris_stats(&ee[2]).unwrap();
        assert_eq!(s0.r, 6);
        assert!((s0.mu - 3.0).abs() < 1e-9 && (s0.mu_star - 3.0).abs() < 1e-9);
        assert!(s0.sigma.unwrap() < 1e-9);
        assert!((s1.mu + 2.0).abs() < 1e-9 && (s1.mu_star - 2.0).abs() < 1e-9);
        assert!(s2.mu_star.abs() < 1e-12);
    }

    #[test]
    fn interaction_shows_in_sigma() {
        // y = x0 · x1: the effect of x0 depends on x1, so σ > 0.
        let pts = design::morris(5, 20, 2, 4);
        let steps: Vec<_> = pts.iter().map(|p| p.moved).collect();
        let y: Vec<_> = pts.iter().map(|p| Some(p.x[0] * p.x[1])).collect();
        let s = morris_stats(&elementary_effects(2, &steps, &y)[0]).unwrap();
        assert!(s.sigma.unwrap() > 0.1, "{s:?}");
        // A missing output drops only the effects it enters.
        let mut y2 = y.clone();
        y2[1] = None;
        let n: usize = elementary_effects(2, &steps, &y2)
            .iter()
            .map(Vec::len)
            .sum();
        assert!(n == 2 * 20 - 2 || n == 2 * 20 - 1, "{n}");
        assert!(morris_stats(&[]).is_none());
    }
}
