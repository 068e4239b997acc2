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
    let pv = |flows: &[Fen]| -> f64 {
        flows
            .iter()
            .zip(survival)
            .enumerate()
            .map(|(t, (&x, &s))| x as f64 * s / (1.0 + rate_per_period).powi(t as i32))
            .sum()
    };
    let paid = pv(contributions);
    (paid > 0.0).then(|| pv(benefits) / paid)
}

/// Net present value by Horner's rule: Σ x_t v^t with v = 1/(1 + rate), one multiplication a
/// period (the bisection calls it some fifty times per series).
fn npv(flows: &[f64], rate: f64) -> f64 {
    let v = 1.0 / (1.0 + rate);
    flows.iter().rev().fold(0.0, |acc, x| acc * v + x)
}

/// The per-period internal rate of return of `flows` (negative = paid, positive = received) by
/// bisection on (−0.99, 10]. `None` when the net present value does not change sign there.
pub fn irr(flows: &[f64]) -> Option<f64> {
    if flows.iter().any(|x| !x.is_finite()) || flows.iter().all(|&x| x == 0.0) {
        return None;
    }
    let (mut lo, mut hi) = (-0.99_f64, 10.0_f64);
    let (mut f_lo, f_hi) = (npv(flows, lo), npv(flows, hi));
    if f_lo == 0.0 {
        return Some(lo);
    }
    if f_hi == 0.0 {
        return Some(hi);
    }
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

    #[test]
    fn irr_by_hand_and_no_sign_change() {
        let r = irr(&[-100.0, 110.0]).unwrap();
        assert!((r - 0.10).abs() < 1e-9, "{r}");
        let r = irr(&[-100.0, 0.0, 121.0]).unwrap();
        assert!((r - 0.10).abs() < 1e-9, "{r}");
        assert_eq!(irr(&[100.0, 10.0]), None);
        assert_eq!(irr(&[]), None);
    }
}
