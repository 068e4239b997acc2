//! Monthly contributions by item (docs/RULES.md §2): employer and individual parts on the
//! contribution base, the occupational annuity for established staff only, the optional
//! enterprise annuity for contract staff, and the housing fund on its own capped base.

use super::params::RatesAt;
use super::Scheme;
use crate::money::{apply_ppm, Fen};

/// One month's contributions of one person, in fen, by item and payer.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Contributions {
    /// Employer pension: pooled fund only, no personal account.
    pub pension_employer: Fen,
    /// Individual pension: all into the personal account.
    pub pension_individual: Fen,
    /// Occupational annuity, employer part (cash or notional, see `RatesAt::oa_notional_employer`).
    pub oa_employer: Fen,
    pub oa_individual: Fen,
    pub ea_employer: Fen,
    pub ea_individual: Fen,
    pub medical_employer: Fen,
    pub medical_individual: Fen,
    /// Flat major-illness fee of the individual (Beijing 3 yuan).
    pub major_illness: Fen,
    pub unemployment_employer: Fen,
    pub unemployment_individual: Fen,
    /// Work injury: employer only.
    pub work_injury: Fen,
    pub housing_employer: Fen,
    pub housing_individual: Fen,
}

impl Contributions {
    /// Everything the employer pays or books, notional annuity included.
    pub fn employer_total(&self) -> Fen {
        self.pension_employer
            + self.oa_employer
            + self.ea_employer
            + self.medical_employer
            + self.unemployment_employer
            + self.work_injury
            + self.housing_employer
    }

    /// Everything deducted from the wage.
    pub fn individual_total(&self) -> Fen {
        self.pension_individual
            + self.oa_individual
            + self.ea_individual
            + self.medical_individual
            + self.major_illness
            + self.unemployment_individual
            + self.housing_individual
    }

    /// Item-wise `self − other`, for the make-up (补差) of a late base.
    pub fn minus(&self, o: &Contributions) -> Contributions {
        Contributions {
            pension_employer: self.pension_employer - o.pension_employer,
            pension_individual: self.pension_individual - o.pension_individual,
            oa_employer: self.oa_employer - o.oa_employer,
            oa_individual: self.oa_individual - o.oa_individual,
            ea_employer: self.ea_employer - o.ea_employer,
            ea_individual: self.ea_individual - o.ea_individual,
            medical_employer: self.medical_employer - o.medical_employer,
            medical_individual: self.medical_individual - o.medical_individual,
            major_illness: self.major_illness - o.major_illness,
            unemployment_employer: self.unemployment_employer - o.unemployment_employer,
            unemployment_individual: self.unemployment_individual - o.unemployment_individual,
            work_injury: self.work_injury - o.work_injury,
            housing_employer: self.housing_employer - o.housing_employer,
            housing_individual: self.housing_individual - o.housing_individual,
        }
    }

    /// Item-wise `self += o`: the month's contributions of a group of staff summed one
    /// person at a time (`MonthAgg::book_contributions`).
    pub fn add(&mut self, o: &Contributions) {
        self.pension_employer += o.pension_employer;
        self.pension_individual += o.pension_individual;
        self.oa_employer += o.oa_employer;
        self.oa_individual += o.oa_individual;
        self.ea_employer += o.ea_employer;
        self.ea_individual += o.ea_individual;
        self.medical_employer += o.medical_employer;
        self.medical_individual += o.medical_individual;
        self.major_illness += o.major_illness;
        self.unemployment_employer += o.unemployment_employer;
        self.unemployment_individual += o.unemployment_individual;
        self.work_injury += o.work_injury;
        self.housing_employer += o.housing_employer;
        self.housing_individual += o.housing_individual;
    }

    /// Item-wise `self × months`, for arrears over several months.
    pub fn times(&self, months: i64) -> Contributions {
        let m = |x: Fen| x * months;
        Contributions {
            pension_employer: m(self.pension_employer),
            pension_individual: m(self.pension_individual),
            oa_employer: m(self.oa_employer),
            oa_individual: m(self.oa_individual),
            ea_employer: m(self.ea_employer),
            ea_individual: m(self.ea_individual),
            medical_employer: m(self.medical_employer),
            medical_individual: m(self.medical_individual),
            major_illness: m(self.major_illness),
            unemployment_employer: m(self.unemployment_employer),
            unemployment_individual: m(self.unemployment_individual),
            work_injury: m(self.work_injury),
            housing_employer: m(self.housing_employer),
            housing_individual: m(self.housing_individual),
        }
    }
}

/// Who the person is for contribution purposes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub scheme: Scheme,
    /// Whether a contract employee joined the university's enterprise annuity (ignored when the
    /// university runs none, and for the institution scheme).
    pub enterprise_annuity: bool,
}

impl Membership {
    /// Established post (编内): institution scheme with the occupational annuity.
    pub const ESTABLISHED: Membership = Membership {
        scheme: Scheme::Institution,
        enterprise_annuity: false,
    };
    /// Contract staff without enterprise annuity.
    pub const CONTRACT: Membership = Membership {
        scheme: Scheme::Enterprise,
        enterprise_annuity: false,
    };
}

/// The housing-fund base: the previous-year average wage capped at a multiple of the city
/// average (no floor is modelled).
pub fn housing_fund_base(
    previous_year_average_wage: Fen,
    city_average_wage: Fen,
    r: &RatesAt,
) -> Fen {
    previous_year_average_wage.min(housing_fund_cap(city_average_wage, r))
}

/// The housing-fund base's cap: a multiple of the city average wage.
pub fn housing_fund_cap(city_average_wage: Fen, r: &RatesAt) -> Fen {
    apply_ppm(city_average_wage, r.housing_cap_multiple_ppm)
}

/// A month's contributions on the social-insurance `base` and the `housing_base`.
pub fn monthly(base: Fen, housing_base: Fen, who: Membership, r: &RatesAt) -> Contributions {
    let on = |ppm: i64| apply_ppm(base, ppm);
    let institution = who.scheme == Scheme::Institution;
    let ea = !institution && who.enterprise_annuity && r.ea_enabled;
    Contributions {
        pension_employer: on(if institution {
            r.pension_institution_employer_ppm
        } else {
            r.pension_enterprise_employer_ppm
        }),
        pension_individual: on(r.pension_individual_ppm),
        oa_employer: if institution {
            on(r.oa_employer_ppm)
        } else {
            0
        },
        oa_individual: if institution {
            on(r.oa_individual_ppm)
        } else {
            0
        },
        ea_employer: if ea { on(r.ea_employer_ppm) } else { 0 },
        ea_individual: if ea { on(r.ea_individual_ppm) } else { 0 },
        medical_employer: on(r.medical_employer_ppm),
        medical_individual: on(r.medical_individual_ppm),
        major_illness: r.major_illness_fee,
        unemployment_employer: on(r.unemployment_employer_ppm),
        unemployment_individual: on(r.unemployment_individual_ppm),
        work_injury: on(r.work_injury_ppm),
        housing_employer: apply_ppm(housing_base, r.housing_employer_ppm),
        housing_individual: apply_ppm(housing_base, r.housing_individual_ppm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insurance::InsuranceParams;
    use crate::time::YearMonth;

    fn sichuan() -> RatesAt {
        InsuranceParams::default().resolve(YearMonth::ym(2025, 3), "sichuan")
    }

    #[test]
    fn e8_contract_staff_at_the_floor() {
        let c = monthly(458_800, 400_000, Membership::CONTRACT, &sichuan());
        assert_eq!(c.pension_individual, 36_704);
        assert_eq!(c.pension_employer, 73_408);
        assert_eq!((c.oa_employer, c.oa_individual), (0, 0));
        assert_eq!(c.medical_individual, 9_176);
        // Sichuan: unemployment 0.6 % / 0.4 %; education is work-injury class II (0.4 %).
        assert_eq!(c.unemployment_individual, 1_835, "0.4 % of 4,588 = 18.352");
        assert_eq!(c.unemployment_employer, 2_753, "0.6 % of 4,588 = 27.528");
        assert_eq!(c.work_injury, 1_835, "0.4 % of 4,588 = 18.352");
        assert_eq!(c.housing_individual, 48_000);
    }

    #[test]
    fn e8_established_lecturer_and_professor() {
        let c = monthly(1_200_000, 1_200_000, Membership::ESTABLISHED, &sichuan());
        assert_eq!(
            (c.pension_individual, c.pension_employer),
            (96_000, 192_000)
        );
        assert_eq!((c.oa_individual, c.oa_employer), (48_000, 96_000));
        assert_eq!(
            (c.medical_individual, c.unemployment_individual),
            (24_000, 4_800)
        );
        let c = monthly(2_293_800, 2_293_800, Membership::ESTABLISHED, &sichuan());
        assert_eq!(
            (c.pension_individual, c.pension_employer),
            (183_504, 367_008)
        );
        assert_eq!((c.oa_individual, c.oa_employer), (91_752, 183_504));
        assert_eq!(
            (c.medical_individual, c.unemployment_individual),
            (45_876, 9_175)
        );
    }

    #[test]
    fn enterprise_annuity_only_when_run_and_joined() {
        let mut r = sichuan();
        let joined = Membership {
            scheme: Scheme::Enterprise,
            enterprise_annuity: true,
        };
        assert_eq!(
            monthly(1_000_000, 0, joined, &r).ea_employer,
            0,
            "disabled by default"
        );
        r.ea_enabled = true;
        let c = monthly(1_000_000, 0, joined, &r);
        assert_eq!((c.ea_employer, c.ea_individual), (80_000, 40_000));
        assert_eq!(
            monthly(1_000_000, 0, Membership::CONTRACT, &r).ea_employer,
            0
        );
    }

    #[test]
    fn beijing_major_illness_fee_and_totals() {
        let r = InsuranceParams::default().resolve(YearMonth::ym(2025, 3), "beijing");
        let c = monthly(1_000_000, 1_000_000, Membership::CONTRACT, &r);
        assert_eq!(c.major_illness, 300);
        assert_eq!(c.medical_employer, 98_000);
        // 8 % + 2 % + 3 yuan + 0.5 % + 12 % of 10,000
        assert_eq!(
            c.individual_total(),
            80_000 + 20_000 + 300 + 5_000 + 120_000
        );
        // 16 % + 9.8 % + 0.5 % + 0.4 % (work injury, class II) + 12 %
        assert_eq!(
            c.employer_total(),
            160_000 + 98_000 + 5_000 + 4_000 + 120_000
        );
        let d = c.times(2).minus(&c);
        assert_eq!(d, c);
    }

    #[test]
    fn housing_base_is_capped_at_three_city_averages() {
        let r = sichuan();
        assert_eq!(housing_fund_base(3_000_000, 764_600, &r), 2_293_800);
        assert_eq!(housing_fund_base(1_000_000, 764_600, &r), 1_000_000);
    }
}
