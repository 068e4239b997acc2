//! The award rules of a month that are national scenario keys rather than entries of the
//! regional table: months of payment, when payment starts, the new-versus-old comparison of
//! 2014-10..2024-09 and the minimum contribution years. `sisandbox rates` prints them after the
//! table's rules so that "every rule in force" includes them.

use super::in_force::{percent, RuleLine, Scope};
use crate::insurance::divisor::divisor;
use crate::insurance::retirement::min_contribution_months;
use crate::insurance::InsuranceParams;
use crate::money::rate_to_ppm;
use crate::scenario::catalog::Certainty;
use crate::time::{Months, YearMonth};

/// Whole ages whose months of payment are printed: the old and new statutory ages.
const AGES: &[i32] = &[50, 55, 58, 60, 63];

/// The award rules in force in `month` for `region` under `p`; `catalogue` gives the source and
/// certainty of a scenario key, and a value differing from `defaults` is shown as the
/// scenario's.
pub fn award_lines(
    p: &InsuranceParams,
    defaults: &InsuranceParams,
    month: YearMonth,
    region: &str,
    catalogue: &dyn Fn(&str) -> (String, Certainty),
) -> Vec<RuleLine> {
    let b = &p.benefit;
    let db = &defaults.benefit;
    let line = |key: &'static str,
                meaning: &'static str,
                value: String,
                same_as_default: bool|
     -> RuleLine {
        let (source, certainty) = catalogue(&format!("insurance.{key}"));
        let (scope, source, certainty) = if same_as_default {
            (Scope::National, source, Some(certainty))
        } else {
            (
                Scope::Scenario,
                format!("set by the scenario in place of the default ({source})"),
                Some(Certainty::Model),
            )
        };
        RuleLine {
            key,
            meaning,
            value: Some(value),
            from: None,
            scope,
            source,
            certainty,
        }
    };

    let divisors = AGES
        .iter()
        .map(|&y| format!("{y}: {}", divisor(Months::years_months(y, 0), b)))
        .collect::<Vec<_>>()
        .join(", ");
    let convention = b.divisor_convention.at(month, region);
    let months_of_payment = line(
        "benefit.divisors",
        "Months of payment (计发月数) at whole ages; ages in months read as the divisor convention says.",
        format!(
            "{divisors} ({})",
            match convention {
                super::DivisorConvention::Monthly => "months between ages interpolated to 0.1",
                super::DivisorConvention::WholeYears => "whole-year ages",
            }
        ),
        b.divisors == db.divisors && b.divisor_first_age == db.divisor_first_age,
    );

    let lag = b.payment_lag_months;
    let payment = line(
        "benefit.payment_lag_months",
        "When payment starts: the retirement month is still a contribution month.",
        format!(
            "{lag} month{} after the retirement month",
            if lag == 1 { "" } else { "s" }
        ),
        lag == db.payment_lag_months,
    );

    let in_period = (b.comparison_from..=b.comparison_until).contains(&month);
    let comparison = line(
        "benefit.transition_share",
        "New-versus-old comparison (保低限高) of public-institution awards: old + p × (new − old) when the new formula is higher.",
        if in_period {
            format!(
                "p = {} for retirements in {month}",
                percent(rate_to_ppm(*b.transition_share.at(month, region)))
            )
        } else {
            format!(
                "not in force: only retirements from {} to {} are compared",
                b.comparison_from, b.comparison_until
            )
        },
        b.transition_share == db.transition_share
            && b.comparison_from == db.comparison_from
            && b.comparison_until == db.comparison_until,
    );

    let r = &p.retirement;
    let dr = &defaults.retirement;
    let min_months = min_contribution_months(month.year(), r);
    let minimum = line(
        "retirement.min_years_start",
        "Minimum contribution years for a monthly pension, by the year of retirement.",
        format!(
            "{} years for retirements in {}",
            min_months as f64 / 12.0,
            month.year()
        ),
        min_months == min_contribution_months(month.year(), dr),
    );

    vec![months_of_payment, payment, comparison, minimum]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(p: &InsuranceParams, month: YearMonth) -> Vec<RuleLine> {
        let catalogue = |_: &str| (String::from("a source of ten or more"), Certainty::C);
        award_lines(p, &InsuranceParams::default(), month, "sichuan", &catalogue)
    }

    fn value<'a>(l: &'a [RuleLine], key: &str) -> &'a str {
        l.iter()
            .find(|x| x.key == key)
            .and_then(|x| x.value.as_deref())
            .unwrap()
    }

    #[test]
    fn sichuan_2025_07_award_rules() {
        let l = lines(&InsuranceParams::default(), YearMonth::ym(2025, 7));
        assert_eq!(
            value(&l, "benefit.divisors"),
            "50: 195, 55: 170, 58: 152, 60: 139, 63: 117 (months between ages interpolated to 0.1)"
        );
        assert_eq!(
            value(&l, "benefit.payment_lag_months"),
            "1 month after the retirement month"
        );
        assert!(value(&l, "benefit.transition_share").starts_with("not in force"));
        assert_eq!(
            value(&l, "retirement.min_years_start"),
            "15 years for retirements in 2025"
        );
        assert!(l.iter().all(|x| x.scope == Scope::National));
    }

    #[test]
    fn dates_and_overrides_show() {
        let p = InsuranceParams::default();
        let l = lines(&p, YearMonth::ym(2020, 6));
        assert_eq!(
            value(&l, "benefit.transition_share"),
            "p = 60% for retirements in 2020-06"
        );
        assert!(
            value(&lines(&p, YearMonth::ym(2017, 3)), "benefit.divisors").contains("whole-year")
        );
        assert_eq!(
            value(
                &lines(&p, YearMonth::ym(2031, 1)),
                "retirement.min_years_start"
            ),
            "16 years for retirements in 2031"
        );
        let mut q = p.clone();
        q.benefit.payment_lag_months = 0;
        let l = lines(&q, YearMonth::ym(2025, 7));
        let lag = l
            .iter()
            .find(|x| x.key == "benefit.payment_lag_months")
            .unwrap();
        assert_eq!(lag.scope, Scope::Scenario);
        assert!(lag.source.starts_with("set by the scenario"));
    }
}
