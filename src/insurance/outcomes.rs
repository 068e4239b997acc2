//! Outcome measures of a pension: replacement rates, money's worth and the internal rate of
//! return of a cash-flow series.

use crate::money::Fen;

/// First pension over a reference monthly amount (final wage or regional average wage).
/// `None` when the reference is not positive.
pub fn replacement_rate(first_pension: Fen, reference: Fen) -> Option<f64> {
    (reference > 0).then(|| first_pension as f64 / reference as f64)
}

/// Replacement rate against the person's final monthly wage.
pub fn replacement_vs_final_wage(first_pension: Fen, final_wage: Fen) -> Option<f64> {
    replacement_rate(first_pension, final_wage)
}

/// Replacement rate against the regional average monthly wage.
pub fn replacement_vs_average_wage(first_pension: Fen, average_wage: Fen) -> Option<f64> {
    replacement_rate(first_pension, average_wage)
}

/// Money's worth: PV of expected benefits / PV of expected contributions. Period `t` of each
/// series is discounted by `(1 + rate)^t` and weighted by `survival[t]`, the probability of
/// being alive in period `t` (contributions too: they are paid only while alive). `None` when
/// `survival` is shorter than a series or the contributions' present value is not positive.
pub fn money_worth(
    contributions: &[Fen],
    benefits: &[Fen],
    survival: &[f64],
    rate_per_period: f64,
) -> Option<f64> {
    if survival.len() < contributions.len().max(benefits.len()) || rate_per_period <= -1.0 {
        return None;
    }
    let factors = discount_factors(rate_per_period, survival.len());
    let paid = present_value(contributions, survival, &factors);
    (paid > 0.0).then(|| present_value(benefits, survival, &factors) / paid)
}

/// The factors `(1 + rate)^t` for `t` in `0..periods` that [`money_worth`] divides by, for
/// callers that value many series at one rate (the planner: every option of every path).
pub fn discount_factors(rate_per_period: f64, periods: usize) -> Vec<f64> {
    (0..periods)
        .map(|t| (1.0 + rate_per_period).powi(t as i32))
        .collect()
}

/// Survival-weighted present value `Σ x_t × s_t / f_t` over the periods `flows`, `survival`
/// and `factors` all have, in period order (so the sum is the one [`money_worth`] takes).
pub fn present_value(flows: &[Fen], survival: &[f64], factors: &[f64]) -> f64 {
    flows
        .iter()
        .zip(survival)
        .zip(factors)
        .map(|((&x, &s), &f)| x as f64 * s / f)
        .sum()
}

/// Net present value by Horner's rule: Σ x_t v^t with v = 1/(1 + rate), one multiplication a
/// period.
fn npv(flows: &[f64], rate: f64) -> f64 {
    let v = 1.0 / (1.0 + rate);
    flows.iter().rev().fold(0.0, |acc, x| acc * v + x)
}

/// The net present value and its derivative with respect to the rate, in one Horner pass:
/// with p(v) = Σ x_t v^t, d NPV / d rate = p'(v) × (−v²).
fn npv_and_slope(flows: &[f64], rate: f64) -> (f64, f64) {
    let v = 1.0 / (1.0 + rate);
    let (p, dp) = flows
        .iter()
        .rev()
        .fold((0.0, 0.0), |(p, dp), &x| (p * v + x, dp * v + p));
    (p, -dp * v * v)
}

/// The per-period internal rate of return of `flows` (negative = paid, positive = received) on
/// (−0.99, 10]. `None` when the net present value does not change sign there. Newton's method
/// inside a bracket that always holds a sign change: a step that would leave the bracket or
/// does not halve the previous one is replaced by bisection, so it converges like bisection at
/// worst and in a handful of steps on the usual pay-then-receive series (one sign change,
/// hence one root). The result is the root to within 1e-12, as the bisection it replaces.
pub fn irr(flows: &[f64]) -> Option<f64> {
    if flows.iter().any(|x| !x.is_finite()) || flows.iter().all(|&x| x == 0.0) {
        return None;
    }
    let (mut lo, mut hi) = (-0.99_f64, 10.0_f64);
    let (f_lo, f_hi) = (npv(flows, lo), npv(flows, hi));
    if f_lo == 0.0 {
        return Some(lo);
    }
    if f_hi == 0.0 {
        return Some(hi);
    }
    if f_lo.signum() == f_hi.signum() {
        return None;
    }
    let lo_sign = f_lo.signum();
    // Start from a typical rate inside the bracket.
    let mut x = 0.03;
    let mut last_step = hi - lo;
    for _ in 0..200 {
        let (f, df) = npv_and_slope(flows, x);
        if f == 0.0 {
            return Some(x);
        }
        if f.signum() == lo_sign {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - f / df;
        let step_ok = df != 0.0
            && newton.is_finite()
            && newton > lo
            && newton < hi
            && (newton - x).abs() <= 0.5 * last_step;
        let next = if step_ok { newton } else { 0.5 * (lo + hi) };
        last_step = (next - x).abs();
        x = next;
        if last_step < 1e-13 * (1.0 + x.abs()) || hi - lo < 1e-12 {
            return Some(x);
        }
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_rates() {
        assert_eq!(replacement_vs_final_wage(392_992, 785_984), Some(0.5));
        assert_eq!(replacement_vs_average_wage(100, 0), None);
    }

    #[test]
    fn money_worth_by_hand() {
        // Pay 100 now, receive 60 in each of the next two periods, survival 1, 0.5, 0.5, r = 0:
        // (30 + 30) / 100 = 0.6.
        assert_eq!(
            money_worth(&[100], &[0, 60, 60], &[1.0, 0.5, 0.5], 0.0),
            Some(0.6)
        );
        // With r = 100 %: (30/2 + 30/4) / 100 = 0.225
        assert!(
            (money_worth(&[100], &[0, 60, 60], &[1.0, 0.5, 0.5], 1.0).unwrap() - 0.225).abs()
                < 1e-12
        );
        assert_eq!(money_worth(&[100], &[0, 60, 60], &[1.0], 0.0), None);
    }

    /// The present values by precomputed factors are, to the bit, the sums by `powi` per
    /// period that money's worth took before.
    #[test]
    fn present_values_by_factors_equal_the_direct_sums() {
        let flows: Vec<Fen> = (0..90)
            .map(|t| (t * 7_919 % 100_003) as Fen - 20_000)
            .collect();
        let survival: Vec<f64> = (0..90).map(|t| 1.0 - t as f64 / 120.0).collect();
        for rate in [0.0_f64, 0.015, 0.03, 0.2] {
            let direct: f64 = flows
                .iter()
                .zip(&survival)
                .enumerate()
                .map(|(t, (&x, &s))| x as f64 * s / (1.0 + rate).powi(t as i32))
                .sum();
            let f = discount_factors(rate, survival.len());
            assert_eq!(
                present_value(&flows, &survival, &f).to_bits(),
                direct.to_bits()
            );
        }
    }

    #[test]
    fn irr_by_hand_and_no_sign_change() {
        let r = irr(&[-100.0, 110.0]).unwrap();
        assert!((r - 0.10).abs() < 1e-9, "{r}");
        let r = irr(&[-100.0, 0.0, 121.0]).unwrap();
        assert!((r - 0.10).abs() < 1e-9, "{r}");
        assert_eq!(irr(&[100.0, 10.0]), None);
        assert_eq!(irr(&[]), None);
        assert_eq!(irr(&[0.0, 0.0]), None);
        assert_eq!(irr(&[-1.0, f64::NAN]), None);
    }

    /// The bisection the Newton iteration replaced, kept as the reference.
    fn irr_by_bisection(flows: &[f64]) -> Option<f64> {
        let (mut lo, mut hi) = (-0.99_f64, 10.0_f64);
        let (mut f_lo, f_hi) = (npv(flows, lo), npv(flows, hi));
        if f_lo.signum() == f_hi.signum() {
            return None;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            let f_mid = npv(flows, mid);
            if f_mid == 0.0 || (hi - lo) < 1e-12 {
                return Some(mid);
            }
            if f_mid.signum() == f_lo.signum() {
                lo = mid;
                f_lo = f_mid;
            } else {
                hi = mid;
            }
        }
        Some(0.5 * (lo + hi))
    }

    /// Retiree-like series (contributions growing with pay for 5–40 years, then a pension
    /// growing yearly and weighted by a survival curve) and rough ones: the same rate as the
    /// bisection to the printed six decimals, and to 1e-9.
    #[test]
    fn newton_matches_the_bisection_to_the_printed_precision() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut uniform = || {
            seed = crate::rng::mix64(seed);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..2_000 {
            let years = 5 + (uniform() * 36.0) as usize;
            let g = 1.0 + 0.08 * uniform();
            let level = 1_000.0 + 40_000.0 * uniform();
            let pension = 6_000.0 + 150_000.0 * uniform();
            let pg = 1.0 + 0.05 * uniform();
            let hazard = 0.01 + 0.08 * uniform();
            let mut flows: Vec<f64> = (0..years).map(|k| -level * g.powi(k as i32)).collect();
            let mut alive = 1.0;
            for k in 0..46 {
                flows.push(pension * pg.powi(k) * alive);
                alive *= 1.0 - hazard * (1.0 + k as f64 / 10.0);
                alive = alive.max(0.0);
            }
            if case % 7 == 0 {
                // Irregular series: a gap year and a refund.
                flows[years / 2] = 0.0;
                flows.push(-pension * uniform());
            }
            let (new, old) = (irr(&flows), irr_by_bisection(&flows));
            match (new, old) {
                (Some(a), Some(b)) => {
                    assert!((a - b).abs() < 1e-9, "case {case}: {a} vs {b}");
                    assert_eq!(format!("{a:.6}"), format!("{b:.6}"), "case {case}");
                }
                (a, b) => assert_eq!(a, b, "case {case}"),
            }
        }
    }
}
