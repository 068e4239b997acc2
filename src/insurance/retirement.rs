//! Statutory retirement ages after the 2025 gradual reform, the minimum contribution years and
//! the flexible early / deferred window (docs/RULES.md §4; 人社部发〔2024〕94号).

use super::params::{CohortRule, RetirementParams};
use super::{Category, Sex};
use crate::time::{Months, YearMonth};

/// The cohort rule of a person: men share one rule; women's depends on the post category.
pub fn cohort_rule(sex: Sex, category: Category, p: &RetirementParams) -> CohortRule {
    match (sex, category) {
        (Sex::Male, _) => p.male,
        (Sex::Female, Category::Cadre) => p.female_cadre,
        (Sex::Female, Category::Worker) => p.female_worker,
    }
}

/// Months of delay: one month per `step` birth months from January of the first year, capped.
/// `k = (year − Y0)·12 + (month − 1)`; `delay = 0` if `k < 0`, else `min(k / step + 1, cap)`.
pub fn delay_months(birth: YearMonth, rule: CohortRule) -> i32 {
    let k = birth.months_since(YearMonth::ym(rule.first_year, 1));
    if k < 0 {
        0
    } else {
        (k / rule.step.max(1) + 1).min(rule.cap)
    }
}

/// The old (pre-reform) age, the floor of flexible early retirement.
pub fn old_age(sex: Sex, category: Category, p: &RetirementParams) -> Months {
    Months::years_months(cohort_rule(sex, category, p).base_age, 0)
}

/// The statutory age, e.g. 60y1m for a man born 1965-04.
pub fn statutory_age(
    birth: YearMonth,
    sex: Sex,
    category: Category,
    p: &RetirementParams,
) -> Months {
    let rule = cohort_rule(sex, category, p);
    Months(rule.base_age * 12 + delay_months(birth, rule))
}

/// The month in which the statutory age is reached; the pension starts that month.
pub fn statutory_month(
    birth: YearMonth,
    sex: Sex,
    category: Category,
    p: &RetirementParams,
) -> YearMonth {
    birth.plus_months(statutory_age(birth, sex, category, p).0)
}

/// Minimum contribution months for a pension awarded in `year`: 15 years through 2029, then
/// +6 months a year up to 20 (`min(15 + 0.5·(Y − 2029), 20)`).
pub fn min_contribution_months(year: i32, p: &RetirementParams) -> i32 {
    let rises = (year - p.min_years_rise_from + 1).max(0) as f64;
    let years =
        (p.min_years_start + p.min_years_step * rises).min(p.min_years_max.max(p.min_years_start));
    (years * 12.0).round() as i32
}

/// The months within which a person may retire.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Earliest flexible retirement: statutory − 3 years, never below the old age.
    pub earliest: YearMonth,
    pub statutory: YearMonth,
    /// Latest deferred retirement: statutory + 3 years.
    pub latest: YearMonth,
}

pub fn flexible_window(
    birth: YearMonth,
    sex: Sex,
    category: Category,
    p: &RetirementParams,
) -> Window {
    let statutory = statutory_month(birth, sex, category, p);
    let floor = birth.plus_months(old_age(sex, category, p).0);
    Window {
        earliest: statutory.plus_months(-p.flexible_early_months).max(floor),
        statutory,
        latest: statutory.plus_months(p.flexible_deferred_months),
    }
}

/// When the person retires relative to the statutory month.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Timing {
    Early,
    Statutory,
    Deferred,
}

/// The verdict on a retirement month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Eligibility {
    pub timing: Timing,
    pub window: Window,
    /// Minimum months that apply (by the actual year when early, else the statutory year).
    pub required_months: i32,
    pub contribution_months: i32,
    /// Whether the month lies within the flexible window.
    pub within_window: bool,
    /// Whether a monthly pension can start that month.
    pub eligible: bool,
    /// Why: its `Display` is the one-sentence text.
    pub reason: Reason,
}

/// Why a retirement month is eligible or not. The sentence is written only when displayed:
/// runs judge eligibility for every retiring agent and never print it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The month lies before the earliest flexible retirement.
    BeforeWindow {
        retire: YearMonth,
        earliest: YearMonth,
    },
    /// Fewer contribution months than the minimum of `year`.
    Short {
        months: i32,
        required: i32,
        year: i32,
    },
    /// The minimum of `year` is met.
    Met {
        months: i32,
        required: i32,
        year: i32,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let years = |m: i32| m as f64 / 12.0;
        match *self {
            Reason::BeforeWindow { retire, earliest } => write!(
                f,
                "{retire} is before the earliest flexible retirement {earliest}"
            ),
            Reason::Short {
                months,
                required,
                year,
            } => write!(
                f,
                "{:.2} contribution years are short of the {:.2} required in {year}",
                years(months),
                years(required)
            ),
            Reason::Met {
                months,
                required,
                year,
            } => write!(
                f,
                "{:.2} contribution years meet the {:.2} required in {year}",
                years(months),
                years(required)
            ),
        }
    }
}

/// Whether a person with `contribution_months` can start a monthly pension in `retire`. Early
/// retirement is judged by the minimum of the actual year and must lie in the window; at or
/// after the statutory month the minimum of the statutory year applies. Retiring after the
/// deferral window is not refused (someone short of the minimum keeps paying), only flagged.
pub fn eligibility(
    birth: YearMonth,
    sex: Sex,
    category: Category,
    retire: YearMonth,
    contribution_months: i32,
    p: &RetirementParams,
) -> Eligibility {
    let window = flexible_window(birth, sex, category, p);
    let timing = match retire.cmp(&window.statutory) {
        std::cmp::Ordering::Less => Timing::Early,
        std::cmp::Ordering::Equal => Timing::Statutory,
        std::cmp::Ordering::Greater => Timing::Deferred,
    };
    let judged_year = if timing == Timing::Early {
        retire.year()
    } else {
        window.statutory.year()
    };
    let required = min_contribution_months(judged_year, p);
    let within_window = retire >= window.earliest && retire <= window.latest;
    let (eligible, reason) = if retire < window.earliest {
        (
            false,
            Reason::BeforeWindow {
                retire,
                earliest: window.earliest,
            },
        )
    } else if contribution_months < required {
        (
            false,
            Reason::Short {
                months: contribution_months,
                required,
                year: judged_year,
            },
        )
    } else {
        (
            true,
            Reason::Met {
                months: contribution_months,
                required,
                year: judged_year,
            },
        )
    };
    Eligibility {
        timing,
        window,
        required_months: required,
        contribution_months,
        within_window,
        eligible,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> RetirementParams {
        RetirementParams::default()
    }
    fn age(y: i32, m: u32, sex: Sex, c: Category) -> String {
        statutory_age(YearMonth::ym(y, m), sex, c, &p()).to_string()
    }

    #[test]
    fn men_anchors() {
        assert_eq!(age(1964, 12, Sex::Male, Category::Cadre), "60y0m");
        assert_eq!(age(1965, 1, Sex::Male, Category::Cadre), "60y1m");
        assert_eq!(age(1965, 4, Sex::Male, Category::Worker), "60y1m");
        assert_eq!(age(1965, 5, Sex::Male, Category::Worker), "60y2m");
        assert_eq!(age(1968, 5, Sex::Male, Category::Cadre), "60y11m");
        assert_eq!(age(1990, 3, Sex::Male, Category::Cadre), "63y0m");
        assert_eq!(
            statutory_month(YearMonth::ym(1965, 1), Sex::Male, Category::Cadre, &p()),
            YearMonth::ym(2025, 2)
        );
    }

    #[test]
    fn women_anchors() {
        assert_eq!(age(1970, 1, Sex::Female, Category::Cadre), "55y1m");
        assert_eq!(age(1975, 3, Sex::Female, Category::Cadre), "56y4m");
        assert_eq!(age(1975, 1, Sex::Female, Category::Worker), "50y1m");
        assert_eq!(age(1975, 3, Sex::Female, Category::Worker), "50y2m");
        assert_eq!(age(1974, 6, Sex::Female, Category::Worker), "50y0m");
        assert_eq!(age(1990, 1, Sex::Female, Category::Worker), "55y0m");
        assert_eq!(age(1990, 1, Sex::Female, Category::Cadre), "58y0m");
    }

    #[test]
    fn minimum_years_rise_from_2030() {
        assert_eq!(min_contribution_months(2025, &p()), 180);
        assert_eq!(min_contribution_months(2029, &p()), 180);
        assert_eq!(min_contribution_months(2030, &p()), 186);
        assert_eq!(min_contribution_months(2031, &p()), 192);
        assert_eq!(min_contribution_months(2038, &p()), 234);
        assert_eq!(min_contribution_months(2039, &p()), 240);
        assert_eq!(min_contribution_months(2050, &p()), 240);
    }

    #[test]
    fn e7_early_by_actual_year_statutory_by_statutory_year() {
        let birth = YearMonth::ym(1970, 6);
        let w = flexible_window(birth, Sex::Male, Category::Cadre, &p());
        assert_eq!(w.statutory, YearMonth::ym(2031, 11));
        assert_eq!(w.earliest, YearMonth::ym(2030, 6));
        assert_eq!(w.latest, YearMonth::ym(2034, 11));
        let early = eligibility(birth, Sex::Male, Category::Cadre, w.earliest, 183, &p());
        assert_eq!(
            (early.timing, early.required_months, early.eligible),
            (Timing::Early, 186, false)
        );
        let on_time = eligibility(
            birth,
            Sex::Male,
            Category::Cadre,
            w.statutory,
            183 + 17,
            &p(),
        );
        assert_eq!((on_time.required_months, on_time.eligible), (192, true));
        let too_early = eligibility(
            birth,
            Sex::Male,
            Category::Cadre,
            YearMonth::ym(2030, 5),
            400,
            &p(),
        );
        assert!(!too_early.eligible && !too_early.within_window);
        // The sentences, written only when displayed.
        assert_eq!(
            early.reason.to_string(),
            "15.25 contribution years are short of the 15.50 required in 2030"
        );
        assert_eq!(
            on_time.reason.to_string(),
            "16.67 contribution years meet the 16.00 required in 2031"
        );
        assert_eq!(
            too_early.reason.to_string(),
            "2030-05 is before the earliest flexible retirement 2030-06"
        );
    }

    #[test]
    fn deferred_is_judged_by_the_statutory_year() {
        // Statutory 2029-xx (minimum 15); deferring into 2031 still needs only 15.
        let birth = YearMonth::ym(1968, 5);
        let w = flexible_window(birth, Sex::Male, Category::Cadre, &p());
        assert_eq!(w.statutory, YearMonth::ym(2029, 4));
        let e = eligibility(
            birth,
            Sex::Male,
            Category::Cadre,
            YearMonth::ym(2031, 4),
            180,
            &p(),
        );
        assert_eq!(
            (e.timing, e.required_months, e.eligible),
            (Timing::Deferred, 180, true)
        );
    }
}
