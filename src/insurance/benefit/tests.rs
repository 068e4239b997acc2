use super::*;
use crate::insurance::params::InsuranceParams;
use crate::insurance::regions::{DeemedIndexRule, TransitionalForm, YearsBasis};

fn rules_at(region: &str, y: i32, m: u32) -> AwardRules {
    InsuranceParams::default().pension_rules(YearMonth::ym(y, m), region)
}

fn e1() -> AwardInput {
    AwardInput {
        scheme: Scheme::Enterprise,
        retire: YearMonth::ym(2024, 6),
        age: Months::years_months(50, 0),
        calc_base: 832_100,
        contribution_months: 382,
        pre_account_months: 40,
        average_index: 0.935,
        account_balance: 15_039_722,
        required_months: 180,
        supplement_rate: 0.001,
        ..AwardInput::default()
    }
}

#[test]
fn e1_sichuan_notice_to_the_fen() {
    let a = award_explained(
        &e1(),
        &rules_at("sichuan", 2024, 6),
        &BenefitParams::default(),
    );
    assert_eq!(
        (a.basic, a.personal, a.transitional),
        (256_250, 77_127, 34_851)
    );
    assert_eq!(
        (a.national_total, a.supplement, a.total),
        (368_228, 24_764, 392_992)
    );
    assert!(a.eligible);
    assert_eq!(a.years.to_string(), "31.83");
    assert!(
        a.trace[0].arithmetic.contains("8050.5675"),
        "{}",
        a.trace[0].arithmetic
    );
    assert_eq!(a.first_payment, YearMonth::ym(2024, 7));
}

#[test]
fn supplement_is_a_per_person_enterprise_item() {
    let b = BenefitParams::default();
    let mut input = e1();
    input.supplement_rate = 0.0;
    assert_eq!(
        award(&input, &rules_at("sichuan", 2024, 6), &b).supplement,
        0
    );
    let mut input = e1();
    input.scheme = Scheme::Institution;
    assert_eq!(
        award(&input, &rules_at("sichuan", 2024, 6), &b).supplement,
        0
    );
}

#[test]
fn unrounded_years_give_the_other_basic() {
    let mut r = rules_at("sichuan", 2024, 6);
    r.years_decimals = 12;
    assert_eq!(award(&e1(), &r, &BenefitParams::default()).basic, 256_276);
}

#[test]
fn family_a_uses_deemed_index_and_years() {
    // 9,000 × 1.40 × 24.25 × 1.4 % = 4,277.70 (E4)
    let input = AwardInput {
        scheme: Scheme::Institution,
        retire: YearMonth::ym(2029, 4),
        age: Months::years_months(60, 11),
        calc_base: 900_000,
        contribution_months: 465,
        deemed_months: 291,
        average_index: combined_index(1.40, 291, 1.80, 174),
        deemed_index: 1.40,
        required_months: 180,
        ..AwardInput::default()
    };
    let mut rules = rules_at("sichuan", 2029, 4);
    rules.institution_transitional_rate = 0.014;
    let a = award(&input, &rules, &BenefitParams::default());
    assert_eq!((a.basic, a.transitional), (444_604, 427_770));
    assert_eq!(a.index.to_string(), "1.5497");
}

#[test]
fn heilongjiang_and_gansu_apply_the_average_index_to_deemed_years() {
    let b = BenefitParams::default();
    for region in ["heilongjiang", "gansu"] {
        let r = rules_at(region, 2025, 3);
        assert_eq!(r.transitional_form, TransitionalForm::DeemedIndex);
        assert_eq!(r.deemed_index, DeemedIndexRule::Average);
        assert_eq!(r.transitional_rate, 0.012);
        let input = AwardInput {
            calc_base: 800_000,
            contribution_months: 480,
            deemed_months: 120,
            average_index: 0.9,
            deemed_index: 2.0, // ignored: Ī applies
            retire: YearMonth::ym(2025, 3),
            age: Months::years_months(60, 2),
            ..AwardInput::default()
        };
        // 8,000 × 0.9 × 10 × 1.2 % = 864.00
        assert_eq!(award(&input, &r, &b).transitional, 86_400, "{region}");
    }
}

#[test]
fn liaoning_counts_pre_account_years_to_four_decimals() {
    let r = rules_at("liaoning", 2025, 3);
    assert_eq!((r.years_decimals, r.transitional_rate), (4, 0.014));
    assert_eq!(r.transitional_years, YearsBasis::PreAccount);
    let input = AwardInput {
        calc_base: 800_000,
        contribution_months: 400,
        pre_account_months: 100,
        average_index: 0.8,
        age: Months::years_months(60, 2),
        ..AwardInput::default()
    };
    // Average-index family (辽宁省 notice, Shenyang 2025-03): 100 / 12 = 8.3333 years;
    // 8,000 × (1 + 0.8)/2 × 8.3333 × 1.4 % = 839.9966 → 840.00
    assert_eq!(r.transitional_form, TransitionalForm::AverageIndex);
    let a = award(&input, &r, &BenefitParams::default());
    assert_eq!(a.transitional, 84_000);
    assert_eq!(a.years.to_string(), "33.3333");
}

#[test]
fn beijing_two_parts() {
    let r = rules_at("beijing", 2025, 3);
    let input = AwardInput {
        calc_base: 1_204_900,
        contribution_months: 360,
        deemed_months: 66,
        average_index: 0.8,
        months_1992_10_to_1998_06: Some(24),
        age: Months::years_months(60, 2),
        ..AwardInput::default()
    };
    // 12,049 × 1 × 5.5 × 1 % + 12,049 × 0.8 × 2 × 1 % = 662.695 + 192.784 = 855.48
    assert_eq!(
        award(&input, &r, &BenefitParams::default()).transitional,
        85_548
    );
    let missing = missing_facts(
        &AwardInput {
            months_1992_10_to_1998_06: None,
            ..input
        },
        &r,
        &BenefitParams::default(),
    );
    assert_eq!(missing[0].key, "record.actual_months_1992_10_to_1998_06");
}

#[test]
fn shanghai_years_and_months_up_to_the_jiao() {
    // 上海市 养老金核定表, 2024-11 retirement: C 12,307, Ī 2.2823, 41 years 4 months → 8,348.10.
    let r = rules_at("shanghai", 2024, 11);
    let input = AwardInput {
        calc_base: 1_230_700,
        contribution_months: 41 * 12 + 4,
        average_index: 2.2823,
        age: Months::years_months(60, 0),
        ..AwardInput::default()
    };
    assert_eq!(award(&input, &r, &BenefitParams::default()).basic, 834_810);
}

#[test]
fn zhejiang_adjustment_subsidy_and_total_up_to_the_jiao() {
    let r = rules_at("zhejiang", 2025, 3);
    let input = AwardInput {
        calc_base: 1_000_000,
        contribution_months: 360,
        average_index: 1.0,
        account_balance: 10_000_000,
        age: Months::years_months(60, 2),
        ..AwardInput::default()
    };
    let a = award(&input, &r, &BenefitParams::default());
    // 480 + 1 × 30 × 3 = 570 adjustment, + 150 subsidy
    assert_eq!(a.supplement, 72_000);
    // basic 3,000.00 + personal 100,000 / 137.8 (60y2m) = 725.69, + 720 = 4,445.69 → 4,445.70
    assert_eq!(a.total, 444_570);
}

#[test]
fn jiangsu_phases_in_from_the_old_method() {
    let b = BenefitParams::default();
    let input = AwardInput {
        calc_base: 900_000,
        contribution_months: 480,
        deemed_months: 120,
        deemed_index: 1.0,
        average_index: 0.9,
        old_method_transitional: Some(50_000),
        age: Months::years_months(60, 2),
        ..AwardInput::default()
    };
    // new: 9,000 × 1.0 × 10 × 1.2 % = 1,080.00; 2025: 500 + 70 % × 580 = 906.00
    let a = award(&input, &rules_at("jiangsu", 2025, 3), &b);
    assert_eq!(a.transitional, 90_600);
    assert_eq!(
        award(&input, &rules_at("jiangsu", 2024, 3), &b).transitional,
        73_200
    );
    assert_eq!(
        award(&input, &rules_at("jiangsu", 2026, 3), &b).transitional,
        108_000
    );
    let lacking = AwardInput {
        old_method_transitional: None,
        ..input
    };
    assert_eq!(
        missing_facts(&lacking, &rules_at("jiangsu", 2025, 3), &b)[0].key,
        "record.old_method_transitional"
    );
}

#[test]
fn ineligible_when_short_of_the_minimum() {
    let mut input = e1();
    input.contribution_months = 170;
    assert!(
        !award(
            &input,
            &rules_at("sichuan", 2024, 6),
            &BenefitParams::default()
        )
        .eligible
    );
}

#[test]
fn institution_comparison_in_the_transition_period() {
    let b = BenefitParams::default();
    let input = AwardInput {
        scheme: Scheme::Institution,
        retire: YearMonth::ym(2020, 6),
        age: Months::years_months(60, 0),
        calc_base: 700_000,
        contribution_months: 420,
        average_index: 1.0,
        old_formula_pension: Some(100_000),
        ..AwardInput::default()
    };
    // new = 7,000 × 35 % = 2,450.00 > old 1,000: 1,000 + 60 % × 1,450 = 1,870.00
    let a = award_explained(&input, &rules_at("sichuan", 2020, 6), &b);
    assert_eq!((a.new_total, a.total), (245_000, 187_000));
    assert!(a.trace.iter().any(|t| t.component == "comparison"));
    let lacking = AwardInput {
        old_formula_pension: None,
        ..input
    };
    assert_eq!(
        missing_facts(&lacking, &rules_at("sichuan", 2020, 6), &b)[0].key,
        "record.old_formula_pension"
    );
}

#[test]
fn e5_protect_the_low_cap_the_high() {
    let b = BenefitParams::default();
    assert_eq!(
        compare_old_new(800_000, 700_000, YearMonth::ym(2020, 6), &b),
        760_000
    );
    assert_eq!(
        compare_old_new(650_000, 700_000, YearMonth::ym(2020, 6), &b),
        700_000
    );
    assert_eq!(
        compare_old_new(800_000, 700_000, YearMonth::ym(2024, 5), &b),
        800_000
    );
    assert_eq!(
        compare_old_new(650_000, 700_000, YearMonth::ym(2024, 10), &b),
        650_000
    );
    assert_eq!(transition_share(YearMonth::ym(2024, 10), &b), None);
    assert_eq!(transition_share(YearMonth::ym(2014, 10), &b), Some(0.1));
}

#[test]
fn old_formula_bands() {
    let b = BenefitParams::default();
    assert_eq!(old_formula(600_000, 36.0, 50_000, &b), 590_000); // 6,000 × 90 % + 500
    assert_eq!(old_formula(600_000, 32.0, 0, &b), 510_000);
    assert_eq!(old_formula(600_000, 25.0, 0, &b), 480_000);
    assert_eq!(old_formula(600_000, 12.0, 0, &b), 420_000);
    assert_eq!(old_formula(600_000, 8.0, 0, &b), 0);
}

#[test]
fn interest_for_the_months_of_the_retirement_year() {
    // 100,000 at 2.62 % for 6 months = 1,310.00; 6,000 paid in the year earn half: 39.30
    assert_eq!(
        retirement_year_interest(10_000_000, 600_000, 26_200, YearMonth::ym(2024, 6)),
        134_930
    );
}

#[test]
fn indexation_by_year() {
    let p = InsuranceParams::default();
    let r = p.resolve(YearMonth::ym(2024, 7), "sichuan");
    assert_eq!(index_pension(392_992, &r), 392_992 + 11_790); // 3 %: 117.8976 → 117.90
}

/// The amounts without the explanation are those with it, for every region of the rule table,
/// both schemes, retirements across the rule changes and records with and without deemed years.
#[test]
fn the_explanation_is_built_only_when_asked_and_changes_no_amount() {
    let b = BenefitParams::default();
    let regions: Vec<String> = crate::insurance::regions::RuleTable::builtin()
        .names()
        .into_iter()
        .map(str::to_string)
        .collect();
    assert!(regions.len() > 5);
    let mut explained_lines = 0;
    for region in &regions {
        for (y, m) in [(2016, 3), (2020, 6), (2024, 6), (2025, 3), (2031, 9)] {
            let rules = rules_at(region, y, m);
            for scheme in [Scheme::Enterprise, Scheme::Institution] {
                for deemed in [0, 120] {
                    let input = AwardInput {
                        scheme,
                        retire: YearMonth::ym(y, m),
                        deemed_months: deemed,
                        pre_account_months: deemed + 12,
                        deemed_index: 1.2,
                        months_1992_10_to_1998_06: Some(30),
                        old_method_transitional: Some(50_000),
                        given_transitional: Some(60_000),
                        old_formula_pension: Some(400_000),
                        supplement_fixed: 1_000,
                        annuity_balance: 9_000_000,
                        ..e1()
                    };
                    let quick = award(&input, &rules, &b);
                    let full = award_explained(&input, &rules, &b);
                    assert!(quick.trace.is_empty());
                    assert!(full.trace.len() >= 6, "{region} {y}-{m}: {:?}", full.trace);
                    explained_lines += full.trace.len();
                    assert_eq!(
                        Award {
                            trace: Vec::new(),
                            ..full
                        },
                        quick,
                        "{region} {y}-{m} {scheme:?} deemed {deemed}"
                    );
                }
            }
        }
    }
    assert!(explained_lines > 0);
}
