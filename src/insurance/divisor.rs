//! The months of payment (计发月数) that divide account balances into a monthly pension
//! (国发〔2005〕38号 annex), with the linear month interpolation needed since the 2025 reform
//! made retirement ages like 60y1m common. Which reading applies is a dated, regional rule
//! ([`DivisorConvention`]): whole-year ages before 2025, interpolated months since (Gansu from
//! 2026-01; Shandong notices still print whole-year divisors).

use super::params::BenefitParams;
use super::regions::DivisorConvention;
use crate::time::Months;
use rust_decimal::{Decimal, RoundingStrategy};

/// The divisor at an age in months: `round1(T[y] − (T[y] − T[y+1]) · m / 12)`, half up.
/// Ages below the table take its first entry and ages at or beyond its last whole age take the
/// last entry: the table is all the law gives.
pub fn divisor(age: Months, b: &BenefitParams) -> Decimal {
    let t = &b.divisors;
    if t.is_empty() {
        return Decimal::ONE;
    }
    let last = t.len() as i32 - 1;
    let i = age.whole_years() - b.divisor_first_age;
    if i < 0 {
        return super::dec(t[0]);
    }
    if i >= last {
        return super::dec(t[last as usize]);
    }
    let this = super::dec(t[i as usize]);
    let next = super::dec(t[i as usize + 1]);
    let m = Decimal::from(age.rem_months());
    let value = this - (this - next) * m / Decimal::from(12);
    value.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
}

/// The divisor under a convention: whole-year ages read the table at the completed years.
pub fn divisor_by(age: Months, b: &BenefitParams, convention: DivisorConvention) -> Decimal {
    match convention {
        DivisorConvention::Monthly => divisor(age, b),
        DivisorConvention::WholeYears => divisor(Months::years_months(age.whole_years(), 0), b),
    }
}

/// The divisor as a float, for display and for utilities.
pub fn divisor_f64(age: Months, b: &BenefitParams) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    divisor(age, b).to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(age_y: i32, age_m: i32) -> String {
        divisor(
            Months::years_months(age_y, age_m),
            &BenefitParams::default(),
        )
        .normalize()
        .to_string()
    }

    #[test]
    fn whole_ages_read_the_table() {
        assert_eq!(d(50, 0), "195");
        assert_eq!(d(47, 0), "207", "not the 208 of hobby calculators");
        assert_eq!(d(60, 0), "139");
        assert_eq!(d(63, 0), "117");
        assert_eq!(d(66, 0), "93");
    }

    #[test]
    fn jinan_anchors_and_the_brief_examples() {
        assert_eq!(d(60, 1), "138.4");
        assert_eq!(d(50, 1), "194.6");
        assert_eq!(d(62, 10), "118.3");
        assert_eq!(d(60, 11), "132.6");
        assert_eq!(d(56, 4), "162");
    }

    #[test]
    fn whole_year_convention_reads_the_completed_years() {
        let b = BenefitParams::default();
        let at = |y, m, c| {
            divisor_by(Months::years_months(y, m), &b, c)
                .normalize()
                .to_string()
        };
        assert_eq!(at(50, 4, DivisorConvention::WholeYears), "195");
        assert_eq!(at(50, 4, DivisorConvention::Monthly), "193.3");
        assert_eq!(at(60, 1, DivisorConvention::WholeYears), "139");
    }

    #[test]
    fn outside_the_table_takes_the_ends() {
        assert_eq!(d(30, 5), "233");
        assert_eq!(d(70, 6), "56");
        assert_eq!(d(75, 0), "56");
        assert_eq!(
            divisor_f64(Months::years_months(60, 1), &BenefitParams::default()),
            138.4
        );
        assert_eq!(
            Decimal::from_str("138.4").unwrap(),
            divisor(Months(721), &BenefitParams::default())
        );
    }
}
