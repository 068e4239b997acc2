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
        assert!(r.money_worth.is_some_and(|m| m.is_finite() && m > 0.0));
        let irr = r.irr.expect("retirees have an internal rate of return");
        assert!(irr > -0.2 && irr < 0.5, "irr {irr} of agent {}", r.id);
    }
    let inst: Vec<_> = retired
        .iter()
        .filter(|r| r.track.is_institution())
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
