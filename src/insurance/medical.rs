//! Medical-insurance continuity (docs/RULES.md §5.3): cumulative and continuous months, gaps and
//! waiting periods, retiree cover under both rule shapes, and the buy-in of a shortfall.

use super::params::{MedicalParams, MedicalRuleShape, RatesAt};
use super::Sex;
use crate::money::{apply_ppm, Fen};
use crate::time::YearMonth;

/// A person's medical record, updated month by month.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct MedicalRecord {
    /// All months paid, anywhere (aggregated on transfer).
    pub cumulative_months: i32,
    /// Months actually paid in the current place.
    pub local_actual_months: i32,
    /// Months of the current unbroken run.
    pub continuous_months: i32,
    /// Months missed since the last payment.
    pub gap_months: i32,
    /// Months of the waiting period still to run (no or reduced benefits).
    pub waiting_months: i32,
}

/// What resuming payment after a gap costs and means.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Resumption {
    /// Months of arrears paid (a short gap); they count as paid months.
    pub arrears_months: i32,
    /// Waiting period imposed (a long gap).
    pub waiting_months: i32,
}

impl MedicalRecord {
    /// A month with a payment. Resuming after a gap first applies the gap rule.
    pub fn pay_month(&mut self, p: &MedicalRules) -> Resumption {
        let r = if self.gap_months > 0 {
            self.resume(p)
        } else {
            Resumption {
                arrears_months: 0,
                waiting_months: 0,
            }
        };
        self.cumulative_months += 1;
        self.local_actual_months += 1;
        self.continuous_months += 1;
        self.waiting_months = (self.waiting_months - 1).max(0);
        r
    }

    /// A month without a payment.
    pub fn miss_month(&mut self) {
        self.gap_months += 1;
        self.waiting_months = (self.waiting_months - 1).max(0);
    }

    /// Gap rule: up to `arrears_gap_months` the arrears are paid, the months count and the run
    /// continues; longer, the gap months are lost, the run restarts and a waiting period runs.
    fn resume(&mut self, p: &MedicalRules) -> Resumption {
        let gap = std::mem::take(&mut self.gap_months);
        if gap <= p.arrears_gap_months {
            self.cumulative_months += gap;
            self.local_actual_months += gap;
            self.continuous_months += gap;
            Resumption {
                arrears_months: gap,
                waiting_months: 0,
            }
        } else {
            self.continuous_months = 0;
            self.waiting_months = p.waiting_period_months;
            Resumption {
                arrears_months: 0,
                waiting_months: p.waiting_period_months,
            }
        }
    }

    /// Moving to another place: cumulative months travel, local months restart.
    pub fn transfer(&mut self) {
        self.local_actual_months = 0;
    }

    /// Share of benefits payable this month.
    pub fn benefit_share(&self, p: &MedicalRules) -> f64 {
        if self.waiting_months > 0 {
            p.waiting_benefit_share
        } else {
            1.0
        }
    }
}

/// The medical rules in force for one person at one month and region, resolved.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct MedicalRules {
    pub required_months: i32,
    pub min_local_months: i32,
    pub shape: MedicalRuleShape,
    pub continuous_months: i32,
    pub arrears_gap_months: i32,
    pub waiting_period_months: i32,
    pub waiting_benefit_share: f64,
    pub buy_in_multiplier: f64,
}

impl MedicalRules {
    pub fn resolve(p: &MedicalParams, sex: Sex, month: YearMonth, region: &str) -> Self {
        let months = |y: f64| (y * 12.0).round() as i32;
        let required = match sex {
            Sex::Male => *p.required_years_male.at(month, region),
            Sex::Female => *p.required_years_female.at(month, region),
        };
        MedicalRules {
            required_months: months(required),
            min_local_months: months(*p.min_local_actual_years.at(month, region)),
            shape: *p.rule_shape.at(month, region),
            continuous_months: months(*p.continuous_years.at(month, region)),
            arrears_gap_months: *p.arrears_gap_months.at(month, region) as i32,
            waiting_period_months: *p.waiting_period_months.at(month, region) as i32,
            waiting_benefit_share: *p.waiting_benefit_share.at(month, region),
            buy_in_multiplier: *p.buy_in_multiplier.at(month, region),
        }
    }
}

/// Whether the record earns retiree cover without further payment, and the months missing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CoverCheck {
    pub eligible: bool,
    pub shortfall_months: i32,
}

/// Retiree cover: cumulative months (or, under `continuous_or_cumulative`, alternatively the
/// current run), and in either case the local minimum. The shortfall is the fewest months to
/// buy that satisfy both (bought months count as local, cumulative and continuous).
pub fn retiree_cover(rec: &MedicalRecord, p: &MedicalRules) -> CoverCheck {
    let cum_short = (p.required_months - rec.cumulative_months).max(0);
    let path_short = match p.shape {
        MedicalRuleShape::Cumulative => cum_short,
        MedicalRuleShape::ContinuousOrCumulative => {
            cum_short.min((p.continuous_months - rec.continuous_months).max(0))
        }
    };
    let local_short = (p.min_local_months - rec.local_actual_months).max(0);
    let shortfall = path_short.max(local_short);
    CoverCheck {
        eligible: shortfall == 0,
        shortfall_months: shortfall,
    }
}

/// The lump sum that buys a shortfall: months × base × (employer + individual rate) × multiplier.
pub fn buy_in_amount(shortfall_months: i32, base: Fen, r: &RatesAt, p: &MedicalRules) -> Fen {
    let full = apply_ppm(base, r.medical_employer_ppm + r.medical_individual_ppm);
    crate::money::apply_rate(full * shortfall_months.max(0) as Fen, p.buy_in_multiplier)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insurance::InsuranceParams;

    fn rules(region: &str, sex: Sex) -> MedicalRules {
        MedicalRules::resolve(
            &InsuranceParams::default().medical,
            sex,
            YearMonth::ym(2025, 1),
            region,
        )
    }

    #[test]
    fn short_gap_is_bridged_by_arrears() {
        let p = rules("shanghai", Sex::Male);
        let mut r = MedicalRecord::default();
        (0..10).for_each(|_| {
            r.pay_month(&p);
        });
        (0..3).for_each(|_| r.miss_month());
        assert_eq!(
            r.pay_month(&p),
            Resumption {
                arrears_months: 3,
                waiting_months: 0
            }
        );
        assert_eq!(
            (r.cumulative_months, r.continuous_months, r.waiting_months),
            (14, 14, 0)
        );
    }

    #[test]
    fn long_gap_loses_months_and_waits() {
        let p = rules("shanghai", Sex::Male);
        let mut r = MedicalRecord {
            cumulative_months: 10,
            local_actual_months: 10,
            continuous_months: 10,
            ..Default::default()
        };
        (0..4).for_each(|_| r.miss_month());
        assert_eq!(
            r.pay_month(&p),
            Resumption {
                arrears_months: 0,
                waiting_months: 6
            }
        );
        assert_eq!(
            (r.cumulative_months, r.continuous_months, r.waiting_months),
            (11, 1, 5)
        );
        assert_eq!(r.benefit_share(&p), 0.0);
        // docs/RULES.md §5.3: Fujian pays 50 % during the wait, Jiangsu waits 3 months.
        let mut params = InsuranceParams::default().medical;
        params.waiting_benefit_share = params
            .waiting_benefit_share
            .clone()
            .with_region("fujian", None, 0.5);
        params.waiting_period_months = params
            .waiting_period_months
            .clone()
            .with_region("jiangsu", None, 3);
        let at = YearMonth::ym(2025, 1);
        assert_eq!(
            r.benefit_share(&MedicalRules::resolve(&params, Sex::Male, at, "fujian")),
            0.5
        );
        assert_eq!(
            MedicalRules::resolve(&params, Sex::Male, at, "jiangsu").waiting_period_months,
            3
        );
    }

    #[test]
    fn cumulative_rule_beijing_women_twenty_years() {
        let p = rules("beijing", Sex::Female);
        let rec = MedicalRecord {
            cumulative_months: 228,
            local_actual_months: 228,
            continuous_months: 228,
            ..Default::default()
        };
        assert_eq!(
            retiree_cover(&rec, &p),
            CoverCheck {
                eligible: false,
                shortfall_months: 12
            }
        );
        let p = rules("beijing", Sex::Male);
        assert_eq!(retiree_cover(&rec, &p).shortfall_months, 72);
    }

    #[test]
    fn continuous_or_cumulative_rule_chengdu_shape() {
        let p = rules("sichuan", Sex::Male);
        assert_eq!(p.shape, MedicalRuleShape::ContinuousOrCumulative);
        // 15 continuous years suffice although cumulative is below 20.
        let rec = MedicalRecord {
            cumulative_months: 180,
            local_actual_months: 180,
            continuous_months: 180,
            ..Default::default()
        };
        assert!(retiree_cover(&rec, &p).eligible);
        // 19 cumulative, 10 continuous: 12 months to 20 cumulative beat 60 to 15 continuous.
        let rec = MedicalRecord {
            cumulative_months: 228,
            local_actual_months: 228,
            continuous_months: 120,
            ..Default::default()
        };
        assert_eq!(retiree_cover(&rec, &p).shortfall_months, 12);
    }

    #[test]
    fn local_minimum_and_buy_in() {
        let mut p = rules("shanghai", Sex::Male);
        p.min_local_months = 120;
        let rec = MedicalRecord {
            cumulative_months: 300,
            local_actual_months: 60,
            continuous_months: 60,
            ..Default::default()
        };
        assert_eq!(retiree_cover(&rec, &p).shortfall_months, 60);
        let r = InsuranceParams::default().resolve(YearMonth::ym(2025, 1), "shanghai");
        // 12 months × 10,000 × (9 % + 2 %) = 13,200
        assert_eq!(buy_in_amount(12, 1_000_000, &r, &p), 1_320_000);
    }
}
