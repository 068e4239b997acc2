use super::value::rates;
use super::*;

fn setup() -> (Scenario, Agent, Tables) {
    let mut s = Scenario::default();
    s.simulation.agents = 1;
    let mut a = crate::population::synthetic(&s).remove(0);
    a.retire_month = YearMonth::ym(2050, 1);
    a.prefs = draw_prefs(&s, 0, 1.0);
    let t = Tables::new(&s);
    (s, a, t)
}

fn ctx(t: &Tables) -> Context<'_> {
    Context {
        tables: t,
        now: YearMonth::ym(2025, 1),
        calc_base: 8_462.0,
        average_wage: 7_646.0,
        rates: rates(),
        housing_individual: 600.0,
        medical_required_months: 180,
        points_annuity: 0.0,
        points_health: 0.0,
        bases: BaseRule {
            wage: 10_000.0,
            early_months: 0,
            early_reduction: 0.0,
            floor: 4_600.0,
            ceiling: 23_000.0,
            flexible_min: None,
        },
    }
}

const MONTHS: i32 = 300;

#[test]
fn utility_and_its_inverse_agree() {
    for gamma in [1.0, 2.0, 3.5] {
        for c in [0.3, 1.0, 2.7] {
            assert!((inverse_utility(utility(c, gamma), gamma) - c).abs() < 1e-9);
        }
    }
}

#[test]
fn only_a_shortfall_against_peers_counts() {
    assert_eq!(shortfall(0.7, 0.6, 2.25), 0.0);
    assert!((shortfall(0.5, 0.6, 2.25) + 0.225).abs() < 1e-12);
}

#[test]
fn the_first_year_weighs_one_and_later_years_beta_delta_k() {
    assert!((work_weight(0.5, 0.9, 0, 12) - 1.0).abs() < 1e-12);
    assert!((work_weight(0.5, 0.9, 12, 24) - 0.45).abs() < 1e-12);
    assert!((work_weight(0.5, 0.9, 6, 18) - (0.5 + 0.5 * 0.45)).abs() < 1e-12);
}

#[test]
fn a_higher_base_raises_the_expected_pension() {
    let (_, a, t) = setup();
    let c = ctx(&t);
    let low = project(&a, &c, &Plan::flat(5_000.0, MONTHS), a.retire_month, 0.0);
    let high = project(&a, &c, &Plan::flat(10_000.0, MONTHS), a.retire_month, 0.0);
    assert!(high > low && low > 0.0);
}

#[test]
fn an_early_career_reduction_ends_in_the_plan() {
    let (_, _, t) = setup();
    let mut c = ctx(&t);
    c.bases.early_months = 30;
    c.bases.early_reduction = 0.3;
    let p = c.bases.full(MONTHS);
    let stretches: Vec<_> = p.stretches().collect();
    assert_eq!(
        stretches,
        [(0, 12, 7_000.0), (12, 30, 7_000.0), (30, MONTHS, 10_000.0)]
    );
}

#[test]
fn present_bias_lowers_this_years_base_and_the_option_never_lowers_the_value() {
    let (mut s, mut a, t) = setup();
    let c = ctx(&t);
    a.prefs.beta_z = 0.0;
    let pick = |s: &Scenario| choose_base(s, &a, &c, 0.6, MONTHS);
    s.perception.beta = Dist::new(1.0, 0.0, 0.0, 1.0);
    s.perception.beta_young = Dist::new(1.0, 0.0, 0.0, 1.0);
    let patient = pick(&s);
    s.perception.beta = Dist::new(0.3, 0.0, 0.0, 1.0);
    s.perception.beta_young = Dist::new(0.3, 0.0, 0.0, 1.0);
    let impatient = pick(&s);
    assert!(impatient.0 < patient.0, "{impatient:?} against {patient:?}");
    assert!(impatient.0 <= impatient.1, "the plan for later is no lower");
    let full = evaluate(&s, &a, &c, &c.bases.full(MONTHS));
    let chosen = evaluate(&s, &a, &c, &impatient.2);
    assert!(chosen.ce >= full.ce);
    assert_eq!(
        chosen.entitled_rr, full.entitled_rr,
        "fairness sees the rules"
    );
}

#[test]
fn perception_rises_with_the_expected_pension_and_falls_with_a_shortfall() {
    let (s, a, t) = setup();
    let mut c = ctx(&t);
    let plan = c.bases.full(MONTHS);
    let base = finish(&s, &a, &evaluate(&s, &a, &c, &plan), None, None);
    c.rates.annuity = 0.12;
    let richer = finish(&s, &a, &evaluate(&s, &a, &c, &plan), None, None);
    assert!(richer.expected_pension > base.expected_pension);
    assert!(richer.index > base.index);
    let q = evaluate(&s, &a, &c, &plan);
    let ahead = finish(&s, &a, &q, Some(q.entitled_rr as f64 - 0.2), None);
    assert_eq!(ahead.index, richer.index, "being ahead adds nothing");
    let behind = finish(&s, &a, &q, Some(q.entitled_rr as f64 + 0.2), None);
    assert!(behind.fairness < 0.0 && behind.index < richer.index);
}

#[test]
fn without_levers_leaving_is_untouched_and_a_loss_weighs_lambda() {
    let (s, a, t) = setup();
    let c = ctx(&t);
    let q = evaluate(&s, &a, &c, &c.bases.full(MONTHS));
    let same = finish(&s, &a, &q, None, None);
    assert_eq!(same.quit_factor, 1.0);
    assert_eq!(same.index, same.reference);
    let level = same.level as f64;
    let worse = finish(&s, &a, &q, None, Some(level + 0.1));
    let lambda = a.prefs.loss_aversion as f64;
    assert!((worse.index as f64 - (level - 0.1 * (lambda - 1.0))).abs() < 1e-5);
    assert!(worse.quit_factor > 1.0);
    let better = finish(&s, &a, &q, None, Some(level - 0.1));
    assert!(better.quit_factor < 1.0 && better.index == better.level);
}

#[test]
fn impatience_lowers_annuity_take_up() {
    let (mut s, a, _) = setup();
    let now = YearMonth::ym(2025, 1);
    s.perception.beta = Dist::new(0.9, 0.0, 0.0, 1.0);
    s.perception.beta_young = Dist::new(0.9, 0.0, 0.0, 1.0);
    let patient = opt_in_probability(&s, &a, now, 0.08, 0.04);
    s.perception.beta = Dist::new(0.4, 0.0, 0.0, 1.0);
    s.perception.beta_young = Dist::new(0.4, 0.0, 0.0, 1.0);
    let impatient = opt_in_probability(&s, &a, now, 0.08, 0.04);
    assert!(impatient < patient);
}

#[test]
fn more_leisure_value_retires_earlier() {
    let (s, mut a, t) = setup();
    let c = ctx(&t);
    let options = [
        YearMonth::ym(2048, 1),
        YearMonth::ym(2050, 1),
        YearMonth::ym(2053, 1),
    ];
    a.prefs.leisure = 0.0;
    let busy = choose_retirement(&s, &a, &c, &options).unwrap();
    a.prefs.leisure = 1.0;
    let idle = choose_retirement(&s, &a, &c, &options).unwrap();
    assert!(idle < busy, "{idle} against {busy}");
}
