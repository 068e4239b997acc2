//! The contribution base (缴费基数, docs/RULES.md §1): the previous year's average monthly wage,
//! clamped to a floor and a ceiling derived from the regional average wage, adjusted once a
//! year, with a make-up payment (补差) when the new average is published late.

use super::params::RatesAt;
use crate::money::{apply_ppm, Fen};
use crate::time::YearMonth;

/// Floor and ceiling of the contribution base.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BaseLimits {
    pub floor: Fen,
    pub ceiling: Fen,
}

/// Rounds to whole yuan, half up, as provinces print their limits.
fn round_to_yuan(fen: Fen) -> Fen {
    apply_ppm(fen, 10_000) * 100
}

/// Floor and ceiling from the regional average monthly wage. Sichuan 2025: average 7,646 gives
/// 4,588 (4,587.6 rounded) and 22,938.
pub fn limits(average_wage: Fen, r: &RatesAt) -> BaseLimits {
    let round = |x: Fen| {
        if r.round_limits_to_yuan {
            round_to_yuan(x)
        } else {
            x
        }
    };
    BaseLimits {
        floor: round(apply_ppm(average_wage, r.floor_ratio_ppm)),
        ceiling: round(apply_ppm(average_wage, r.ceiling_ratio_ppm)),
    }
}

/// The base: the previous year's average monthly wage clamped to the limits. A new hire's
/// first-year base is the first month's wage, so pass that instead (see [`new_hire_base`]).
pub fn contribution_base(previous_year_average_wage: Fen, limits: BaseLimits) -> Fen {
    previous_year_average_wage
        .max(limits.floor)
        .min(limits.ceiling.max(limits.floor))
}

/// A new hire has no previous-year wage: the first month's wage stands in, clamped likewise.
pub fn new_hire_base(first_month_wage: Fen, limits: BaseLimits) -> Fen {
    contribution_base(first_month_wage, limits)
}

/// First month of the base year containing `month`, given the adjustment month (1 = calendar
/// years as in Sichuan, 7 = July–June years as in Beijing).
pub fn base_year_start(month: YearMonth, adjustment_month: u32) -> YearMonth {
    let adj = adjustment_month.clamp(1, 12);
    let this_year = YearMonth::ym(month.year(), adj);
    if month >= this_year {
        this_year
    } else {
        YearMonth::ym(month.year() - 1, adj)
    }
}

/// Whether the new average wage of the base year containing `month` has been published, i.e.
/// whether contributions already use the new limits.
pub fn new_limits_published(month: YearMonth, r: &RatesAt) -> bool {
    let start = base_year_start(month, r.adjustment_month);
    month.months_since(start) >= r.publication_lag_months as i32
}

/// The lump-sum make-up (补差) on publication: for each elapsed month the difference between
/// what is due on the new limits and what was paid on the old ones. Zero when make-up is off.
/// A negative difference (limits fell) is returned as is: it is a refund.
pub fn make_up_arrears(
    elapsed_months: u32,
    paid_monthly: Fen,
    due_monthly: Fen,
    r: &RatesAt,
) -> Fen {
    if !r.make_up {
        return 0;
    }
    elapsed_months as Fen * (due_monthly - paid_monthly)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insurance::InsuranceParams;

    fn rates(region: &str) -> RatesAt {
        InsuranceParams::default().resolve(YearMonth::ym(2025, 3), region)
    }

    #[test]
    fn sichuan_2025_limits_round_to_whole_yuan() {
        let l = limits(764_600, &rates("sichuan"));
        assert_eq!(
            l,
            BaseLimits {
                floor: 458_800,
                ceiling: 2_293_800
            }
        );
    }

    #[test]
    fn limits_without_rounding_keep_the_fen() {
        let mut r = rates("sichuan");
        r.round_limits_to_yuan = false;
        assert_eq!(limits(764_600, &r).floor, 458_760);
    }

    #[test]
    fn base_is_clamped() {
        let l = BaseLimits {
            floor: 458_800,
            ceiling: 2_293_800,
        };
        assert_eq!(contribution_base(400_000, l), 458_800);
        assert_eq!(contribution_base(1_200_000, l), 1_200_000);
        assert_eq!(contribution_base(3_000_000, l), 2_293_800);
        assert_eq!(new_hire_base(900_000, l), 900_000);
    }

    #[test]
    fn base_years_and_publication_lag() {
        assert_eq!(
            base_year_start(YearMonth::ym(2025, 3), 7),
            YearMonth::ym(2024, 7)
        );
        assert_eq!(
            base_year_start(YearMonth::ym(2025, 7), 7),
            YearMonth::ym(2025, 7)
        );
        assert_eq!(
            base_year_start(YearMonth::ym(2025, 3), 1),
            YearMonth::ym(2025, 1)
        );
        let bj = InsuranceParams::default().resolve(YearMonth::ym(2025, 10), "beijing");
        assert!(
            !new_limits_published(YearMonth::ym(2025, 10), &bj),
            "July + 4 = November"
        );
        assert!(new_limits_published(YearMonth::ym(2025, 11), &bj));
        assert!(new_limits_published(
            YearMonth::ym(2025, 1),
            &rates("sichuan")
        ));
    }

    #[test]
    fn make_up_is_months_times_difference() {
        // Beijing floor 6,821 → 7,162 at 8 %: 545.68 → 572.96; four months late = 109.12.
        let r = rates("beijing");
        assert_eq!(make_up_arrears(4, 54_568, 57_296, &r), 10_912);
        let mut off = r;
        off.make_up = false;
        assert_eq!(make_up_arrears(4, 54_568, 57_296, &off), 0);
    }
}
