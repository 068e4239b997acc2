//! The official Sichuan benefit notice (E1) and the constructed examples E3–E10, reproduced to
//! the fen through the public API.

use sisandbox::insurance::accounts::{credit_year, PersonalAccount};
use sisandbox::insurance::base::{contribution_base, limits};
use sisandbox::insurance::benefit::{
    award, combined_index, compare_old_new, AwardInput, AwardRules,
};
use sisandbox::insurance::case::load_case;
use sisandbox::insurance::contributions::{monthly, Membership};
use sisandbox::insurance::divisor::divisor;
use sisandbox::insurance::params::{InterestConvention, TransitionalForm};
use sisandbox::insurance::regions::{DeemedIndexRule, YearsBasis};
use sisandbox::insurance::retirement::{
    eligibility, flexible_window, statutory_age, statutory_month,
};
use sisandbox::insurance::transfer::{institution_transfer, pooled_transfer_uniform};
use sisandbox::insurance::{Category, InsuranceParams, Scheme, Sex};
use sisandbox::time::{Months, YearMonth};
use std::path::Path;

fn params() -> InsuranceParams {
    InsuranceParams::default()
}

/// Sichuan's rules of 2029 (month-interpolated divisors) with a given transitional family and k.
fn rules(form: TransitionalForm, k: f64) -> AwardRules {
    let mut r = params().pension_rules(YearMonth::ym(2029, 4), "sichuan");
    r.transitional_form = form;
    r.transitional_rate = k;
    r.institution_transitional_rate = k;
    r.deemed_index = DeemedIndexRule::Given;
    r.transitional_years = match form {
        TransitionalForm::AverageIndex => YearsBasis::PreAccount,
        _ => YearsBasis::Deemed,
    };
    r
}

fn case(name: &str) -> sisandbox::insurance::case::CaseReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/cases")
        .join(name);
    load_case(&path).unwrap().evaluate(&params()).unwrap()
}

#[test]
fn e1_sichuan_notice() {
    let input = AwardInput {
        scheme: Scheme::Enterprise,
        retire: YearMonth::ym(2024, 6),
        age: Months::years_months(50, 0),
        calc_base: 832_100,
        contribution_months: 382,
        deemed_months: 0,
        pre_account_months: 40,
        average_index: 0.935,
        deemed_index: 1.0,
        account_balance: 15_039_722,
        annuity_balance: 0,
        required_months: 180,
        supplement_rate: 0.001,
        ..Default::default()
    };
    let a = award(
        &input,
        &rules(TransitionalForm::AverageIndex, 0.013),
        &params().benefit,
    );
    assert_eq!(
        (a.basic, a.personal, a.transitional),
        (256_250, 77_127, 34_851)
    );
    assert_eq!(a.national_total, 368_228);
    assert_eq!(a.supplement, 24_764);
    assert_eq!(a.total, 392_992);
    // The Sichuan region defaults reproduce it too.
    let r = params().resolve(YearMonth::ym(2024, 6), "sichuan");
    let b = award(
        &input,
        &AwardRules::from_rates(&r, &params().benefit),
        &params().benefit,
    );
    assert_eq!(b.total, 392_992);
    let rep = case("E1.toml");
    assert_eq!(
        (rep.award.total, rep.retirement_age.to_string()),
        (392_992, "50y0m".to_string())
    );
}

#[test]
fn e3_new_entrant_lecturer() {
    let birth = YearMonth::ym(1990, 3);
    assert_eq!(
        statutory_age(birth, Sex::Male, Category::Cadre, &params().retirement).to_string(),
        "63y0m"
    );
    assert_eq!(
        statutory_month(birth, Sex::Male, Category::Cadre, &params().retirement),
        YearMonth::ym(2053, 3)
    );
    let rep = case("E3.toml");
    let a = &rep.award;
    assert_eq!(a.divisor.to_string(), "117");
    assert_eq!(
        (a.basic, a.personal, a.annuity, a.transitional),
        (468_750, 341_880, 427_350, 0)
    );
    assert_eq!(a.total, 1_237_980);
}

#[test]
fn e4_middle_cohort_professor_both_families() {
    let birth = YearMonth::ym(1968, 5);
    let age = statutory_age(birth, Sex::Male, Category::Cadre, &params().retirement);
    assert_eq!(age.to_string(), "60y11m");
    assert_eq!(divisor(age, &params().benefit).to_string(), "132.6");
    let mut input = AwardInput {
        scheme: Scheme::Institution,
        retire: YearMonth::ym(2029, 4),
        age,
        calc_base: 900_000,
        contribution_months: 465,
        deemed_months: 291,
        pre_account_months: 291,
        average_index: combined_index(1.40, 291, 1.80, 174),
        deemed_index: 1.40,
        account_balance: 16_000_000,
        annuity_balance: 26_000_000,
        required_months: 180,
        ..Default::default()
    };
    let b = &params().benefit;
    let a = award(&input, &rules(TransitionalForm::DeemedIndex, 0.014), b);
    assert_eq!(a.index.to_string(), "1.5497");
    assert_eq!(
        (a.basic, a.transitional, a.personal, a.annuity),
        (444_604, 427_770, 120_664, 196_078)
    );
    assert_eq!(a.total, 1_189_116);
    // Family B, as an enterprise province would pay it on the same record.
    let enterprise = AwardInput {
        scheme: Scheme::Enterprise,
        ..input.clone()
    };
    let fam_b = award(
        &enterprise,
        &rules(TransitionalForm::AverageIndex, 0.014),
        b,
    );
    assert_eq!(fam_b.transitional, 389_530);
    // Unrounded index: 4,446.00.
    let mut unrounded = rules(TransitionalForm::DeemedIndex, 0.014);
    unrounded.index_decimals = 12;
    assert_eq!(award(&input, &unrounded, b).basic, 444_600);
    input.contribution_months = 170;
    assert!(!award(&input, &rules(TransitionalForm::DeemedIndex, 0.014), b).eligible);
    assert_eq!(case("E4.toml").award.total, 1_189_116);
}

#[test]
fn e5_transition_comparison() {
    let b = &params().benefit;
    assert_eq!(
        compare_old_new(800_000, 700_000, YearMonth::ym(2020, 6), b),
        760_000
    );
    assert_eq!(
        compare_old_new(650_000, 700_000, YearMonth::ym(2020, 6), b),
        700_000
    );
    assert_eq!(
        compare_old_new(800_000, 700_000, YearMonth::ym(2024, 5), b),
        800_000
    );
    assert_eq!(
        compare_old_new(800_000, 700_000, YearMonth::ym(2024, 10), b),
        800_000
    );
    assert_eq!(
        compare_old_new(650_000, 700_000, YearMonth::ym(2024, 10), b),
        650_000,
        "no comparison"
    );
}

#[test]
fn e6_woman_cadre_contract_staff() {
    let birth = YearMonth::ym(1975, 3);
    let rp = &params().retirement;
    assert_eq!(
        statutory_age(birth, Sex::Female, Category::Cadre, rp).to_string(),
        "56y4m"
    );
    assert_eq!(
        statutory_month(birth, Sex::Female, Category::Cadre, rp),
        YearMonth::ym(2031, 7)
    );
    let rep = case("E6.toml");
    assert_eq!(rep.eligibility.required_months, 192);
    assert!(rep.eligibility.eligible);
    assert_eq!(rep.award.divisor.normalize().to_string(), "162");
    assert_eq!(
        (rep.award.basic, rep.award.personal, rep.award.total),
        (207_000, 111_111, 318_111)
    );
}

#[test]
fn e7_flexible_early_retirement_eligibility() {
    let rp = &params().retirement;
    let birth = YearMonth::ym(1970, 6);
    assert_eq!(
        statutory_age(birth, Sex::Male, Category::Cadre, rp).to_string(),
        "61y5m"
    );
    let w = flexible_window(birth, Sex::Male, Category::Cadre, rp);
    assert_eq!(
        (w.earliest, w.statutory),
        (YearMonth::ym(2030, 6), YearMonth::ym(2031, 11))
    );
    let early = eligibility(birth, Sex::Male, Category::Cadre, w.earliest, 183, rp);
    assert_eq!(early.required_months, 186);
    assert!(!early.eligible, "15.25 < 15.5");
    let on_time = eligibility(birth, Sex::Male, Category::Cadre, w.statutory, 183 + 17, rp);
    assert_eq!(on_time.required_months, 192);
    assert!(on_time.eligible, "16.67 ≥ 16");
}

#[test]
fn e8_monthly_contributions_sichuan_2025() {
    // Unemployment in Sichuan is 0.6 % employer / 0.4 % individual of the phased 1 %
    // (notice of 2024-07-03 forwarding 人社部发〔2024〕40号), not the common 0.5 / 0.5.
    let r = params().resolve(YearMonth::ym(2025, 1), "sichuan");
    assert_eq!(
        (r.unemployment_employer_ppm, r.unemployment_individual_ppm),
        (6_000, 4_000)
    );
    let l = limits(764_600, &r);
    assert_eq!((l.floor, l.ceiling), (458_800, 2_293_800));
    let cases = [
        // wage, membership, base, pension ind/emp, OA ind/emp, medical, unemployment
        (
            400_000,
            Membership::CONTRACT,
            458_800,
            (36_704, 73_408),
            (0, 0),
            9_176,
            1_835,
        ),
        (
            1_200_000,
            Membership::ESTABLISHED,
            1_200_000,
            (96_000, 192_000),
            (48_000, 96_000),
            24_000,
            4_800,
        ),
        (
            3_000_000,
            Membership::ESTABLISHED,
            2_293_800,
            (183_504, 367_008),
            (91_752, 183_504),
            45_876,
            9_175,
        ),
    ];
    for (wage, who, base, pension, oa, med, unemp) in cases {
        assert_eq!(contribution_base(wage, l), base);
        let c = monthly(base, base, who, &r);
        assert_eq!(
            (c.pension_individual, c.pension_employer),
            pension,
            "wage {wage}"
        );
        assert_eq!((c.oa_individual, c.oa_employer), oa, "wage {wage}");
        assert_eq!(c.medical_individual, med, "wage {wage}");
        assert_eq!(c.unemployment_individual, unemp, "wage {wage}");
        // 0.6 % of 4,588 = 27.528 → 27.53; of 12,000 = 72; of 22,938 = 137.628 → 137.63.
        let emp = [(458_800, 2_753), (1_200_000, 7_200), (2_293_800, 13_763)];
        let want = emp.iter().find(|(b, _)| *b == base).unwrap().1;
        assert_eq!(c.unemployment_employer, want, "wage {wage}");
    }
}

#[test]
fn e9_transfers() {
    let p = params();
    let rate = p
        .resolve(YearMonth::ym(2025, 1), "gansu")
        .pooled_transfer_ppm;
    assert_eq!(pooled_transfer_uniform(600_000, 96, rate), 6_912_000);
    assert_eq!(
        sisandbox::money::apply_ppm(600_000 * 96, 80_000),
        4_608_000,
        "account principal 46,080"
    );
    let bases: Vec<_> = (0..120)
        .map(|i| (YearMonth::ym(2014, 10).plus_months(i), 900_000))
        .collect();
    assert_eq!(
        institution_transfer(0, &bases, 120, 0, rate, &p.transfer).pooled_fund,
        12_960_000
    );
}

#[test]
fn e10_account_growth_both_conventions() {
    let rates = [
        83_100, 71_200, 82_900, 76_100, 60_400, 66_900, 61_200, 39_700, 26_200,
    ];
    let expected = [
        960_000, 1_988_352, 3_113_186, 4_310_100, 5_530_430, 6_860_416, 8_240_273, 9_527_412,
        10_737_030,
    ];
    // E10 credits 2016's contributions without interest in 2016 and compounds from 2017.
    let p = params();
    let mut acc = PersonalAccount::default();
    for (i, year) in (2016..=2024).enumerate() {
        acc.contribute(960_000);
        let r = p.resolve(YearMonth::ym(year, 12), "sichuan");
        assert_eq!(r.book_rate_ppm, rates[i]);
        acc.close_year(&r);
        assert_eq!(acc.balance(), expected[i], "{year}");
    }
    let mut p1997 = params();
    p1997.pension.interest_convention =
        sisandbox::scenario::Dated::constant(InterestConvention::Rule1997);
    let mut acc = PersonalAccount::default();
    for year in 2016..=2024 {
        acc.contribute(960_000);
        acc.close_year(&p1997.resolve(YearMonth::ym(year, 12), "sichuan"));
    }
    assert_eq!(acc.balance(), 11_117_476);
    assert_eq!(
        credit_year(0, 960_000, 83_100, InterestConvention::YearEnd, 0),
        960_000
    );
}

#[test]
fn retirement_age_anchors() {
    let rp = &params().retirement;
    let age = |y, m, s, c| statutory_age(YearMonth::ym(y, m), s, c, rp).to_string();
    assert_eq!(age(1965, 4, Sex::Male, Category::Cadre), "60y1m");
    assert_eq!(age(1965, 5, Sex::Male, Category::Cadre), "60y2m");
    assert_eq!(age(1975, 3, Sex::Female, Category::Worker), "50y2m");
    assert_eq!(age(1970, 1, Sex::Female, Category::Cadre), "55y1m");
    assert_eq!(age(1975, 1, Sex::Female, Category::Worker), "50y1m");
    assert_eq!(
        statutory_month(YearMonth::ym(1965, 1), Sex::Male, Category::Cadre, rp),
        YearMonth::ym(2025, 2)
    );
    let b = &params().benefit;
    assert_eq!(divisor(Months::years_months(60, 1), b).to_string(), "138.4");
    assert_eq!(divisor(Months::years_months(50, 1), b).to_string(), "194.6");
    assert_eq!(
        divisor(Months::years_months(62, 10), b).to_string(),
        "118.3"
    );
}

// ---------------------------------------------------------------------------------------------
// Official benefit notices of the other regions, each reproduced to the fen from the facts of a
// case file in scenarios/cases/ (the notice is cited at the top of each file); every rule comes
// from the regional rule table. Guangdong has none: its notices add local items (年限津贴, 加发,
// the 粤府函〔2021〕294号 transitional) that the table does not encode.

/// (basic, personal, transitional, supplement, total) of a case, in fen.
fn components(name: &str) -> (i64, i64, i64, i64, i64) {
    let a = case(name).award;
    (a.basic, a.personal, a.transitional, a.supplement, a.total)
}

#[test]
fn beijing_notice_2026_03_two_part_transitional() {
    let rep = case("beijing-2026-03.toml");
    assert_eq!(rep.award.divisor.to_string(), "139");
    assert_eq!(rep.calc_base, 1_204_900, "the 2025 base, provisionally");
    // 12,049 × 1 × 12.08 × 1 % + 12,049 × 1.1629 × 5.00 × 1 % = 1,455.52 + 700.59
    assert_eq!(
        components("beijing-2026-03.toml"),
        (584_152, 165_626, 215_611, 0, 965_389)
    );
}

#[test]
fn shanghai_notice_2026_02_years_and_months_up_to_the_jiao() {
    let rep = case("shanghai-2026-02.toml");
    assert_eq!(rep.calc_base, 1_243_400);
    // 15,686.11 × (23 × 1 % + 11 × 0.083 %) = 3,751.02 → 3,751.1
    assert_eq!(
        components("shanghai-2026-02.toml"),
        (375_110, 157_560, 0, 0, 532_670)
    );
}

#[test]
fn jiangsu_notice_2024_04_unrounded_years_total_up_to_the_jiao() {
    // 8,613 × (1 + 0.8566)/2 × 328/12 × 1 % = 2,185.42; 2,987.19 paid as 2,987.20.
    assert_eq!(
        components("jiangsu-2024-04.toml"),
        (218_542, 80_177, 0, 0, 298_720)
    );
}

#[test]
fn heilongjiang_notice_2026_01_average_index_on_deemed_years() {
    // 7,705 × 0.6519 × 40/12 × 1.2 % = 200.92
    assert_eq!(
        components("heilongjiang-2026-01.toml"),
        (212_662, 39_260, 20_092, 0, 272_014)
    );
}

#[test]
fn liaoning_notice_2025_03_average_index_transitional_four_decimals() {
    let rep = case("liaoning-2025-03.toml");
    assert_eq!(rep.award.divisor.to_string(), "194.6");
    assert_eq!(rep.award.years.to_string(), "31.5833");
    // 8,266 × (1 + 0.5841)/2 × 2.3333 × 1.4 % = 213.87
    assert_eq!(
        components("liaoning-2025-03.toml"),
        (206_779, 47_723, 21_387, 0, 275_900)
    );
}

#[test]
fn gansu_notice_2026_01_average_index_and_monthly_divisor() {
    let rep = case("gansu-2026-01.toml");
    assert_eq!(rep.award.divisor.to_string(), "137.3");
    assert_eq!(
        rep.calc_base, 774_600,
        "the table's 2025 base, as on the notice"
    );
    // 7,746 × 2.5955 × 14.42 × 1.2 % = 3,478.92
    assert_eq!(
        components("gansu-2026-01.toml"),
        (522_201, 228_754, 347_892, 0, 1_098_847)
    );
}

#[test]
fn hubei_notice_2025_11_average_index_at_1_2_percent() {
    // 9,112 × 0.7654 × 1.00 × 1.2 % = 83.69
    assert_eq!(
        components("hubei-2025-11.toml"),
        (231_884, 47_992, 8_369, 0, 288_245)
    );
}

#[test]
fn shandong_notice_2024_02_indexed_wage_on_pre_account_years() {
    let rep = case("shandong-2024-02.toml");
    assert_eq!(rep.award.divisor.to_string(), "170");
    // 7,468 × 1.6002 × 8.50 × 1.3 % = 1,320.51
    assert_eq!(
        components("shandong-2024-02.toml"),
        (336_616, 137_063, 132_051, 0, 605_730)
    );
}

#[test]
fn qingdao_notice_2025_10_new_entrant() {
    assert_eq!(
        components("qingdao-2025-10.toml"),
        (174_281, 51_796, 0, 0, 226_077)
    );
}

#[test]
fn zhejiang_notice_2026_02_adjustment_subsidy_and_jiao() {
    let rep = case("zhejiang-2026-02.toml");
    assert_eq!(rep.award.divisor.to_string(), "192.9");
    assert_eq!(
        rep.calc_base, 843_300,
        "the table's 2025 base, provisionally"
    );
    // Transitional 8,433 × 1.279 × 12.00 × 1.4 % = 1,812.02; 调节金 480 + 0.8794 × 31.33 × 3
    // = 562.65 and the 150-yuan subsidy are the supplement; 5,412.54 paid as 5,412.60.
    assert_eq!(
        components("zhejiang-2026-02.toml"),
        (248_274, 40_513, 181_202, 71_265, 541_260)
    );
}
