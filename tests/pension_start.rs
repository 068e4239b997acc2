//! The start of a pension in a run: the retirement month is still a month of work and
//! contributions, the award credits the personal account's interest for the months of the
//! retirement year, and the first payment comes the month after (docs/RULES.md §3, "Pension
//! start"; `insurance.benefit.payment_lag_months`).

use sisandbox::agent::{Agent, Status};
use sisandbox::engine::Simulation;
use sisandbox::population;
use sisandbox::scenario::Scenario;
use sisandbox::time::YearMonth;

/// The interest by hand, in exact integer arithmetic: the balance at the start of the year
/// earns `r × m / 12`, the year's contributions `r × m / 24` (half the time on average), for
/// the `m` months of the year up to and including the retirement month; rounded to the fen,
/// half away from zero.
fn interest_by_hand(balance: i64, year_contributions: i64, rate_ppm: i64, m: i64) -> i64 {
    let num = (2 * balance as i128 + year_contributions as i128) * rate_ppm as i128 * m as i128;
    let den = 24 * 1_000_000i128;
    ((num + den / 2) / den) as i64
}

#[test]
fn the_retirement_month_is_contributed_and_the_pension_paid_from_the_next() {
    let mut s = Scenario::default();
    s.simulation.agents = 800;
    s.simulation.years = 2;
    let mut sim = Simulation::new(&s, population::synthetic(&s));
    let mut retired_last_month: Vec<Agent> = Vec::new();
    let (mut awards, mut first_payments) = (0, 0);
    for t in 0..s.simulation.years as i32 * 12 {
        let month = s.simulation.start.plus_months(t);
        let due: Vec<Agent> = sim
            .staff()
            .iter()
            .filter(|a| a.status == Status::Active && a.retire_month <= month)
            .cloned()
            .collect();
        sim.step();
        // Last month's retirees (still alive) get their first payment now, the full pension.
        for before in &retired_last_month {
            let a = &sim.staff()[before.id as usize];
            if a.status != Status::Retired {
                continue;
            }
            assert_eq!(before.benefits_received, 0);
            assert_eq!(
                a.benefits_received,
                a.pension.total(),
                "agent {} retired {} is paid its pension from {month}",
                a.id,
                before.status_since
            );
            first_payments += 1;
        }
        retired_last_month.clear();
        for before in &due {
            let a = &sim.staff()[before.id as usize];
            if a.status == Status::Dead {
                continue;
            }
            assert_eq!(a.status, Status::Retired, "agent {} due in {month}", a.id);
            assert_eq!(a.status_since, month);
            // Nothing paid in the retirement month, which was worked and contributed.
            assert_eq!(a.benefits_received, 0, "agent {} paid in {month}", a.id);
            assert!(a.insurance.actual_months > before.insurance.actual_months);
            assert!(a.insurance.paid_individual > before.insurance.paid_individual);
            // The account: the balance of the last year end plus the interest of the
            // retirement year's months, this year's contributions (the retirement month's
            // among them) kept beside it.
            let acc_before = before.insurance.pension_account;
            let acc = a.insurance.pension_account;
            assert!(acc.year_contributions > acc_before.year_contributions);
            let region = &s.regions[before.region as usize].name;
            let r = s.insurance.resolve(month, region).book_rate_ppm;
            let interest = interest_by_hand(
                acc_before.balance(),
                acc.year_contributions,
                r,
                month.month() as i64,
            );
            assert!(interest > 0);
            assert_eq!(
                acc.balance() - acc_before.balance(),
                interest,
                "agent {} retiring {month}: balance {} and {} contributed this year at {r} ppm",
                a.id,
                acc_before.balance(),
                acc.year_contributions
            );
            awards += 1;
            retired_last_month.push(a.clone());
        }
    }
    assert!(
        awards >= 10 && first_payments >= 10,
        "two years retire some staff: {awards} awards, {first_payments} first payments"
    );
}

#[test]
fn interest_by_hand_matches_a_worked_case() {
    // 100,000.00 at the start of 2024 and 6,000.00 paid in the year, retiring in June at the
    // 2024 book rate of 2.62 %: 100,000 × 2.62 % × 6/12 = 1,310.00 and
    // 6,000 × 2.62 % × 6/24 = 39.30, together 1,349.30.
    assert_eq!(interest_by_hand(10_000_000, 600_000, 26_200, 6), 134_930);
    let june = YearMonth::ym(2024, 6);
    assert_eq!(
        sisandbox::insurance::benefit::retirement_year_interest(10_000_000, 600_000, 26_200, june),
        134_930
    );
}
