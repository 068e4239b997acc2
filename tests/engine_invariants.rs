//! Whole-run invariants: determinism across thread counts, the headcount identity, money
//! conservation in the accounts, and sane outcomes.

use sisandbox::engine::{self, Outcome, RunOptions};
use sisandbox::output;
use sisandbox::population;
use sisandbox::scenario::Scenario;

fn small(agents: u32, years: u32) -> Scenario {
    let mut s = Scenario::default();
    s.simulation.agents = agents;
    s.simulation.years = years;
    s
}

fn run(s: &Scenario, threads: usize) -> Outcome {
    engine::run(
        s,
        population::synthetic(s),
        &RunOptions {
            threads,
            ..Default::default()
        },
    )
    .expect("run")
}

#[test]
fn outputs_are_byte_identical_for_1_and_4_threads() {
    // Two universities in two regions so that moves, transfers and several chunks all occur.
    let mut s = small(9_000, 6);
    let mut second = s.universities[0].clone();
    second.name = "university-b".into();
    second.region = "beijing".into();
    s.universities.push(second);
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    for threads in [1, 4] {
        let outcome = run(&s, threads);
        let series = dir.path().join(format!("series-{threads}.csv"));
        let agents = dir.path().join(format!("agents-{threads}.csv"));
        output::write_series(&series, &outcome.series).unwrap();
        output::write_agents(&agents, &s, &outcome.records).unwrap();
        bytes.push((
            std::fs::read(series).unwrap(),
            std::fs::read(agents).unwrap(),
        ));
    }
    assert!(
        bytes[0].0 == bytes[1].0,
        "series.csv differs between 1 and 4 threads"
    );
    assert!(
        bytes[0].1 == bytes[1].1,
        "agents.csv differs between 1 and 4 threads"
    );
}

#[test]
fn headcount_identity_holds_every_month() {
    let s = small(1_500, 8);
    let o = run(&s, 2);
    let staff = o.series.total("staff");
    let entries = o.series.total("entries");
    let exits = o.series.total("exits");
    assert_eq!(staff.len(), 8 * 12);
    let mut previous = s.simulation.agents as f64;
    for ((m, st), ((_, en), (_, ex))) in staff.iter().zip(entries.iter().zip(&exits)) {
        assert_eq!(
            st - previous,
            en - ex,
            "{m}: change in staff {} != entries {en} - exits {ex}",
            st - previous
        );
        previous = *st;
    }
    let active_at_end = o
        .records
        .iter()
        .filter(|r| r.status == sisandbox::agent::Status::Active)
        .count();
    assert_eq!(
        previous as usize, active_at_end,
        "staff series ends at the number of active agents"
    );
    assert!(
        exits.iter().map(|(_, x)| x).sum::<f64>() > 0.0,
        "eight years see some exits"
    );
}

#[test]
fn money_in_accounts_is_conserved_to_the_fen() {
    let mut s = small(1_200, 12);
    s.careers.conversion_rate = 0.1;
    let o = run(&s, 2);
    let (inflow, held_and_out) = o.info.conservation;
    assert!(inflow > 0);
    assert_eq!(
        inflow, held_and_out,
        "every fen paid into accounts is held, paid out or inherited"
    );
}

#[test]
fn pooled_transfers_out_equal_transfers_in() {
    // Two regions, frequent moves across them and conversions between the schemes.
    let mut s = small(3_000, 10);
    let mut second = s.universities[0].clone();
    second.name = "university-b".into();
    second.region = "gansu".into();
    s.universities.push(second);
    s.careers.move_share = 0.9;
    s.careers.cross_region_share = 1.0;
    s.careers.conversion_rate = 0.1;
    let o = run(&s, 2);
    let sum = |metric: &str| -> f64 {
        o.series
            .rows
            .iter()
            .filter(|r| r.group == "fund" && r.metric == metric)
            .map(|r| r.value)
            .sum()
    };
    let (tin, tout) = (sum("transfers_in"), sum("transfers_out"));
    assert!(tin > 0.0, "moves and conversions transfer pooled funds");
    assert!((tin - tout).abs() < 1e-3, "in {tin} out {tout}");
    let cross: f64 = o
        .series
        .total("cross_region_moves")
        .iter()
        .map(|x| x.1)
        .sum();
    assert!(cross > 0.0);
}

#[test]
fn retirees_get_plausible_pensions() {
    let mut s = small(1_000, 15);
    // No conversions: a contract member converted just before retiring has no annuity yet.
    s.careers.conversion_rate = 0.0;
    let o = run(&s, 2);
    let retired: Vec<_> = o.records.iter().filter(|r| r.pension.total() > 0).collect();
    assert!(
        retired.len() > 50,
        "fifteen years retire many staff, got {}",
        retired.len()
    );
    for r in &retired {
        let rr = r
            .replacement_final
            .expect("retirees have a replacement rate");
        assert!(
            rr > 0.05 && rr < 3.0,
            "replacement rate {rr} of agent {}",
            r.id
        );
        assert!(r.pension.basic > 0);
        if r.retire_month < s.simulation.start {
            // Pensioners at the start: no money's worth or rate of return (mostly deemed service).
            assert!(r.money_worth.is_none() && r.irr.is_none());
            continue;
        }
        assert!(r.money_worth.is_some_and(|m| m.is_finite() && m > 0.0));
        let irr = r.irr.expect("retirees have an internal rate of return");
        assert!(irr > -0.2 && irr < 0.5, "irr {irr} of agent {}", r.id);
    }
    // Established staff retiring in the run (pensioners at the start who retired before the
    // 2014-10 reform have no occupational annuity).
    let inst: Vec<_> = retired
        .iter()
        .filter(|r| r.track.is_institution() && r.retire_month >= s.simulation.start)
        .collect();
    let without: Vec<_> = inst
        .iter()
        .filter(|r| r.pension.annuity == 0)
        .map(|r| (r.id, r.hired, r.retire_month, r.contribution_months))
        .collect();
    assert!(
        without.is_empty(),
        "established staff draw an occupational annuity: {without:?}"
    );
}

#[test]
fn funds_start_with_pensioners_and_balance_to_the_fen() {
    let mut s = small(2_000, 6);
    let mut second = s.universities[0].clone();
    second.name = "university-b".into();
    second.region = "guangdong".into();
    s.universities.push(second);
    let o = run(&s, 2);
    let first = s.simulation.start;
    let at = |key: &str, metric: &str| {
        o.series
            .rows
            .iter()
            .find(|r| r.month == first && r.group == "fund" && r.key == key && r.metric == metric)
            .map(|r| r.value)
            .unwrap_or(0.0)
    };
    for key in [
        "sichuan/enterprise",
        "sichuan/institution",
        "guangdong/enterprise",
        "guangdong/institution",
    ] {
        assert!(
            at(key, "pensioners") > 0.0,
            "{key} pays pensions in the first month"
        );
    }
    // Near the dependency ratios the stock was drawn from (a few die in the first month).
    let sichuan = at("sichuan/enterprise", "dependency_ratio");
    let guangdong = at("guangdong/enterprise", "dependency_ratio");
    assert!((sichuan - 0.3235).abs() < 0.03, "sichuan {sichuan}");
    assert!(
        (guangdong - 1.0 / 9.0).abs() < 0.03,
        "guangdong {guangdong}"
    );
    let (balance, flows) = o.info.fund_identity;
    assert_eq!(balance, flows, "fund balances equal their booked flows");
    assert!(
        o.info.fund_subsidy > 0,
        "pensions in payment draw on the subsidy"
    );
    let (inflow, held_and_out) = o.info.conservation;
    assert_eq!(
        inflow, held_and_out,
        "initial pensioners' accounts are conserved"
    );
}

#[test]
fn fund_interest_is_credited_on_positive_balances() {
    let mut s = small(1_500, 3);
    // No pensioners at the start: the funds accumulate and earn interest each December.
    s.insurance.pooled_fund.enterprise_dependency = sisandbox::scenario::Dated::constant(0.0);
    s.insurance.pooled_fund.institution_dependency = sisandbox::scenario::Dated::constant(0.0);
    let o = run(&s, 2);
    assert!(o.info.fund_interest > 0);
    let (balance, flows) = o.info.fund_identity;
    assert_eq!(balance, flows);
}

/// Leavers become deferred members: they keep their accounts (in the conservation identity),
/// lose medical cover unless insured elsewhere, and claim their pension at the statutory month
/// from the paying place; moves between universities bring gaps, arrears and waiting periods.
#[test]
fn leavers_are_deferred_members_with_gaps_and_a_later_pension() {
    use sisandbox::agent::Status;
    let mut s = small(1_500, 12);
    let mut second = s.universities[0].clone();
    second.name = "university-b".into();
    s.universities.push(second);
    let o = run(&s, 2);
    let (inflow, held_and_out) = o.info.conservation;
    assert_eq!(
        inflow, held_and_out,
        "deferred members' accounts are conserved"
    );
    let (balance, flows) = o.info.fund_identity;
    assert_eq!(
        balance, flows,
        "deferred members' pensions are booked to the funds"
    );
    let deferred: Vec<_> = o
        .records
        .iter()
        .filter(|r| r.status == Status::Deferred)
        .collect();
    assert!(deferred.len() > 100, "{} deferred members", deferred.len());
    assert!(deferred.iter().any(|r| r.pension_paid > 0));
    let claimed: Vec<_> = deferred.iter().filter(|r| r.pension.total() > 0).collect();
    assert!(!claimed.is_empty(), "some leavers reach their pension age");
    for r in &claimed {
        assert!(r.retire_month > r.status_since, "claimed after leaving");
        assert!(r.benefits_received > 0, "a claimed pension is paid");
    }
    let total = |metric: &str| -> f64 {
        o.series
            .rows
            .iter()
            .filter(|r| r.group == "track" && r.metric == metric)
            .map(|r| r.value)
            .sum()
    };
    for metric in [
        "medical_gap_months",
        "medical_gap_starts",
        "medical_waiting_starts",
        "medical_waiting_members",
        "deferred",
        "deferred_claims",
    ] {
        assert!(total(metric) > 0.0, "{metric} is counted");
    }
    // Deferred members, most with a gap, retire short of the years for retiree cover more often
    // than staff who retire from a post.
    let short = |rs: &mut dyn Iterator<Item = &sisandbox::engine::AgentRecord>| {
        let v: Vec<u32> = rs.map(|r| r.medical_shortfall).collect();
        v.iter().filter(|x| **x > 0).count() as f64 / v.len().max(1) as f64
    };
    let from_post = short(
        &mut o
            .records
            .iter()
            .filter(|r| r.status == Status::Retired && r.retire_month >= s.simulation.start),
    );
    let gapped = short(&mut claimed.iter().copied().copied());
    assert!(
        gapped >= from_post,
        "shortfall share: deferred with a gap {gapped:.3}, retired from a post {from_post:.3}"
    );
}
