//! Property-based tests over whole runs: random valid scenarios (sizes, horizons, start
//! months, track shares, leaving and conversion rates, insurance rates, regions, one to three
//! universities, seeds), each run on 1 and on 3 threads, checked for
//! - determinism: the same series, records and CSV bytes on both thread counts;
//! - money conserved to the fen in the accounts (`RunInfo::conservation`, initial pensioners'
//!   accounts included), pooled-fund transfers in = out, every month, to the fen, and every
//!   fund's balance moving by exactly its flows, interest and fiscal subsidies;
//! - the headcount identity every month (staff − staff before = entries − exits), ending at the
//!   number of active agents;
//! - no negative amounts (wages, pensions, benefits, contributions, counts; a fund balance may
//!   be negative by design) and status-consistent pensions;
//! - no NaN or infinite value in the series, the records or the written CSV text.
//!
//! Cases: `SISANDBOX_PROPTEST_CASES` (default 64, seed fixed by proptest's deterministic
//! runner, so CI sees the same scenarios every time).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sisandbox::agent::Status;
use sisandbox::engine::{self, Outcome, RunOptions};
use sisandbox::output;
use sisandbox::population;
use sisandbox::scenario::{self, Scenario, TrackShares};
use sisandbox::time::YearMonth;
use std::collections::BTreeMap;

const REGIONS: [&str; 6] = [
    "beijing",
    "shanghai",
    "guangdong",
    "hubei",
    "sichuan",
    "gansu",
];

fn cases() -> u32 {
    std::env::var("SISANDBOX_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// One generated university: region index, share, growth, wage level, enterprise annuity, local.
type Uni = (usize, f64, f64, f64, bool, bool);

fn shares() -> impl Strategy<Value = TrackShares> {
    (0.0..=1.0f64, 0.0..=1.0f64).prop_map(|(a, b)| {
        let establishment = (a * 1000.0).round() / 1000.0;
        let contract = ((1.0 - establishment) * b * 1000.0).round() / 1000.0;
        let temporary = ((1.0 - establishment - contract) * 1000.0).round() / 1000.0;
        TrackShares {
            establishment,
            contract,
            temporary: temporary.max(0.0),
        }
    })
}

fn university() -> impl Strategy<Value = Uni> {
    (
        0..REGIONS.len(),
        0.05..1.0f64,
        -0.1..0.15f64,
        0.5..2.0f64,
        any::<bool>(),
        any::<bool>(),
    )
}

/// A random valid scenario and the `--set` overrides applied on top of it.
#[derive(Clone, Debug)]
struct Case {
    scenario: Scenario,
    overrides: Vec<String>,
}

fn case() -> impl Strategy<Value = Case> {
    let size = (
        20u32..=300,
        1u32..=8,
        0u64..=i64::MAX as u64,
        2012i32..=2032,
        1u32..=12,
    );
    let people = (shares(), shares(), 0.0..=1.0f64, 0.0..=0.5f64, 0.0..=1.0f64);
    let careers = (
        (0.0..=0.1f64, 0.0..=0.4f64, 0.0..=0.9f64),
        0.0..=1.0f64,
        0.0..=1.0f64,
        0.0..=0.3f64,
        -0.05..=0.1f64,
    );
    let rates = (
        0.0..=0.2f64,
        0.1..=0.25f64,
        0.0..=0.12f64,
        any::<bool>(),
        any::<bool>(),
        -0.02..=0.06f64,
        any::<bool>(),
        (any::<bool>(), -0.02..=0.08f64, 0.0..=1.5f64, 0.0..=1.5f64),
    );
    let universities = proptest::collection::vec(university(), 1..=3);
    (size, people, careers, rates, universities).prop_map(
        |(size, people, careers, rates, universities)| {
            let (agents, years, seed, start_year, start_month) = size;
            let (tracks, hire_tracks, female, admin, prior) = people;
            let (quits, move_share, cross, conversion, growth) = careers;
            let (ind, employer, housing, rule1997, notional, index, annuity, funds) = rates;
            let (subsidy, fund_rate, enterprise_dep, institution_dep) = funds;
            let mut s = Scenario {
                name: "prop".into(),
                ..Scenario::default()
            };
            s.simulation.agents = agents;
            s.simulation.years = years;
            s.simulation.seed = seed;
            s.simulation.start = YearMonth::ym(start_year, start_month);
            s.population.tracks = tracks;
            s.careers.hire_tracks = hire_tracks;
            s.population.female_share = female;
            s.population.administrative_share = admin;
            s.population.prior_service_share = prior;
            s.careers.quit_rate.establishment = quits.0;
            s.careers.quit_rate.contract = quits.1;
            s.careers.quit_rate.temporary = quits.2;
            s.careers.move_share = move_share;
            s.careers.cross_region_share = cross;
            s.careers.conversion_rate = conversion;
            s.careers.wage_growth = sisandbox::scenario::Dated::constant(growth);
            let template = s.universities[0].clone();
            s.universities = universities
                .iter()
                .enumerate()
                .map(|(i, (r, share, g, level, ea, local))| {
                    let mut u = template.clone();
                    u.name = format!("u{i}");
                    u.region = REGIONS[*r].into();
                    u.staff_share = *share;
                    u.headcount_growth = *g;
                    u.wage_level = *level;
                    u.enterprise_annuity = *ea;
                    if *local {
                        u.fiscal = sisandbox::scenario::Fiscal::Local;
                    }
                    u
                })
                .collect();
            let overrides = vec![
                format!("insurance.pension.individual_rate={ind}"),
                format!("insurance.pension.enterprise_employer_rate={employer}"),
                format!("insurance.housing_fund.employer_rate={housing}"),
                format!("insurance.housing_fund.individual_rate={housing}"),
                format!(
                    "insurance.pension.interest_convention=\"{}\"",
                    if rule1997 { "rule1997" } else { "year_end" }
                ),
                format!("insurance.occupational_annuity.notional_employer={notional}"),
                format!("insurance.pension.indexation_projection={index}"),
                format!("insurance.enterprise_annuity.enabled={annuity}"),
                format!("insurance.pooled_fund.fiscal_subsidy={subsidy}"),
                format!("insurance.pooled_fund.interest_rate={fund_rate}"),
                format!("insurance.pooled_fund.enterprise_dependency={enterprise_dep}"),
                format!("insurance.pooled_fund.institution_dependency={institution_dep}"),
            ];
            Case {
                scenario: s,
                overrides,
            }
        },
    )
}

/// The generated scenario through the real reader: written as TOML and loaded with the
/// overrides, so every case is valid by the loader's own rules.
fn load(c: &Case) -> Scenario {
    // Only the sections the generator changes are written; the rest take their defaults.
    let mut table = match toml::Value::try_from(&c.scenario) {
        Ok(toml::Value::Table(t)) => t,
        other => panic!("a scenario serialises to a table: {other:?}"),
    };
    table.retain(|k, _| {
        [
            "name",
            "simulation",
            "universities",
            "population",
            "careers",
        ]
        .contains(&k)
    });
    let text = toml::to_string(&table).expect("a scenario serialises");
    match scenario::from_str(&text, "prop.toml", &c.overrides) {
        Ok(l) => l.scenario,
        Err(e) => panic!("the generator made an invalid scenario: {e}\n{text}"),
    }
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
    .expect("a valid scenario runs")
}

fn csv_bytes(s: &Scenario, o: &Outcome, dir: &std::path::Path, tag: &str) -> (Vec<u8>, Vec<u8>) {
    let series = dir.join(format!("series-{tag}.csv"));
    let agents = dir.join(format!("agents-{tag}.csv"));
    output::write_series(&series, &o.series).expect("series written");
    output::write_agents(&agents, s, &o.records).expect("agents written");
    (
        std::fs::read(series).unwrap(),
        std::fs::read(agents).unwrap(),
    )
}

fn fen(yuan: f64) -> i64 {
    (yuan * 100.0).round() as i64
}

/// Every invariant of one outcome; `Err` names the first that fails.
fn check_outcome(s: &Scenario, o: &Outcome, csv: &(Vec<u8>, Vec<u8>)) -> Result<(), String> {
    // Conservation in the accounts, to the fen.
    let (inflow, held_out) = o.info.conservation;
    if inflow != held_out {
        return Err(format!(
            "accounts: in {inflow} fen, held + out {held_out} fen"
        ));
    }
    // Pooled-fund transfers: what one fund pays out another receives, month by month.
    let mut transfers: BTreeMap<YearMonth, (i64, i64)> = BTreeMap::new();
    for r in o.series.rows.iter().filter(|r| r.group == "fund") {
        let e = transfers.entry(r.month).or_default();
        match r.metric {
            "transfers_in" => e.0 += fen(r.value),
            "transfers_out" => e.1 += fen(r.value),
            _ => {}
        }
    }
    for (m, (tin, tout)) in &transfers {
        if tin != tout {
            return Err(format!("{m}: fund transfers in {tin} fen, out {tout} fen"));
        }
    }
    // Pooled funds: each balance moves by exactly its booked flows (contributions, transfers,
    // benefits, interest, subsidies), month by month, to the fen; the run's totals agree.
    let (balance, flows) = o.info.fund_identity;
    if balance != flows {
        return Err(format!(
            "funds: balance {balance} fen, booked flows {flows} fen"
        ));
    }
    let mut last: BTreeMap<&str, i64> = BTreeMap::new();
    let mut month: BTreeMap<(YearMonth, &str), [i64; 8]> = BTreeMap::new();
    const FLOWS: [&str; 8] = [
        "contributions_in",
        "transfers_in",
        "interest",
        "fiscal_subsidy",
        "transfers_out",
        "benefits_out",
        "balance",
        "pensioners",
    ];
    for r in o.series.rows.iter().filter(|r| r.group == "fund") {
        if let Some(i) = FLOWS.iter().position(|f| *f == r.metric) {
            month.entry((r.month, r.key.as_str())).or_default()[i] =
                if i == 7 { r.value as i64 } else { fen(r.value) };
        }
    }
    let mut months: Vec<_> = month.into_iter().collect();
    months.sort_by_key(|((m, _), _)| *m);
    for ((m, key), f) in months {
        let before = last.get(key).copied().unwrap_or(0);
        let expected = before + f[0] + f[1] + f[2] + f[3] - f[4] - f[5];
        if expected != f[6] {
            return Err(format!(
                "{m} {key}: balance {} fen, flows give {expected}",
                f[6]
            ));
        }
        if f[3] > 0 && f[6] != 0 {
            return Err(format!("{m} {key}: a subsidy leaves the balance at zero"));
        }
        last.insert(key, f[6]);
    }
    // Headcount identity.
    let staff = o.series.total("staff");
    let entries = o.series.total("entries");
    let exits = o.series.total("exits");
    let months = s.simulation.years as usize * 12;
    if staff.len() != months || entries.len() != months || exits.len() != months {
        return Err(format!(
            "{months} months but {} staff, {} entries, {} exits rows",
            staff.len(),
            entries.len(),
            exits.len()
        ));
    }
    let mut previous = s.simulation.agents as f64;
    for ((m, st), ((_, en), (_, ex))) in staff.iter().zip(entries.iter().zip(&exits)) {
        if st - previous != en - ex {
            return Err(format!(
                "{m}: staff {previous} -> {st}, entries {en}, exits {ex}"
            ));
        }
        previous = *st;
    }
    let active = o
        .records
        .iter()
        .filter(|r| r.status == Status::Active)
        .count();
    if previous as usize != active {
        return Err(format!("staff ends at {previous}, {active} agents active"));
    }
    if o.records.len() != o.info.agents_final {
        return Err("one record per agent".into());
    }
    // Series values: finite, and counts and amounts never negative (a fund balance may be).
    for r in &o.series.rows {
        if !r.value.is_finite() {
            return Err(format!(
                "{} {} {} {} = {}",
                r.month, r.group, r.key, r.metric, r.value
            ));
        }
        // Signed by design: a fund balance (a pool may run a deficit), fund interest (the rate
        // may be negative), perception scores, the
        // gap between tracks and a net cost.
        let signed = ["balance", "perception", "net_cost", "interest"].contains(&r.metric)
            || r.metric.contains("gap")
            || !["all", "track", "insurance", "fund", "university"].contains(&r.group);
        if !signed && r.value < 0.0 {
            return Err(format!(
                "negative {} {} {} {} = {}",
                r.month, r.group, r.key, r.metric, r.value
            ));
        }
    }
    // Records: non-negative money, finite ratios, pensions only for those awarded one.
    for r in &o.records {
        let p = &r.pension;
        let money = [
            ("wage", r.wage),
            ("pension_basic", p.basic),
            ("pension_personal", p.personal),
            ("pension_transitional", p.transitional),
            ("pension_annuity", p.annuity),
            ("pension_supplement", p.supplement),
            ("pension_contributions", r.pension_paid),
            ("benefits_received", r.benefits_received),
        ];
        for (name, v) in money {
            if v < 0 {
                return Err(format!("agent {}: {name} = {v} fen", r.id));
            }
        }
        for (name, v) in [
            ("replacement_final_wage", r.replacement_final),
            ("replacement_average_wage", r.replacement_average),
            ("money_worth", r.money_worth),
            ("irr", r.irr),
        ] {
            if let Some(x) = v {
                if !x.is_finite() || (name != "irr" && x < 0.0) {
                    return Err(format!("agent {}: {name} = {x}", r.id));
                }
            }
        }
        if r.status == Status::Active && r.benefits_received > 0 {
            return Err(format!("agent {} is active but was paid a pension", r.id));
        }
        if r.benefits_received > 0 && r.pension.total() == 0 {
            return Err(format!("agent {} was paid but has no pension", r.id));
        }
        if r.status == Status::Deferred && r.pension.total() > 0 && r.retire_month <= r.status_since
        {
            return Err(format!("deferred member {} paid before leaving", r.id));
        }
        if r.birth >= r.retire_month || r.hired < r.birth {
            return Err(format!("agent {}: dates out of order", r.id));
        }
    }
    // Deferred members: every one alive and left before the last month is counted in it.
    let last_month = s.simulation.start.plus_months(months as i32 - 1);
    let counted: f64 = o
        .series
        .rows
        .iter()
        .filter(|r| r.month == last_month && r.group == "track" && r.metric == "deferred")
        .map(|r| r.value)
        .sum();
    let deferred = o
        .records
        .iter()
        .filter(|r| r.status == Status::Deferred && r.status_since < last_month)
        .count();
    if counted as usize != deferred {
        return Err(format!(
            "{last_month}: {counted} deferred members counted, {deferred} in the records"
        ));
    }
    // The CSV text: no NaN or infinity spelled out anywhere.
    for (name, bytes) in [("series.csv", &csv.0), ("agents.csv", &csv.1)] {
        let text = std::str::from_utf8(bytes).map_err(|e| format!("{name}: {e}"))?;
        for bad in ["NaN", "nan", "inf", "Inf"] {
            if text.contains(bad) {
                return Err(format!("{name} contains `{bad}`"));
            }
        }
    }
    Ok(())
}

#[test]
fn random_valid_scenarios_keep_every_invariant_on_1_and_3_threads() {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let dir = tempfile::tempdir().unwrap();
    let result = runner.run(&case(), |c| {
        let s = load(&c);
        let one = run(&s, 1);
        let three = run(&s, 3);
        let csv1 = csv_bytes(&s, &one, dir.path(), "1");
        let csv3 = csv_bytes(&s, &three, dir.path(), "3");
        prop_assert!(
            one.series == three.series,
            "series differ on 1 and 3 threads"
        );
        prop_assert!(
            one.records == three.records,
            "records differ on 1 and 3 threads"
        );
        prop_assert!(csv1 == csv3, "CSV bytes differ on 1 and 3 threads");
        prop_assert_eq!(&one.info, &three.info);
        if let Err(e) = check_outcome(&s, &one, &csv1) {
            return Err(TestCaseError::fail(e));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_generator_covers_the_ranges_it_claims() {
    // A guard on the generator itself: over a fixed sample, several universities, several
    // regions, long and short horizons and both extremes of size all occur.
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = case();
    let mut seen_multi = false;
    let mut regions = std::collections::BTreeSet::new();
    let (mut min_agents, mut max_agents, mut max_years) = (u32::MAX, 0, 0);
    for _ in 0..64 {
        let c = strategy.new_tree(&mut runner).unwrap().current();
        let s = load(&c);
        seen_multi |= s.universities.len() > 1;
        regions.extend(s.universities.iter().map(|u| u.region.clone()));
        min_agents = min_agents.min(s.simulation.agents);
        max_agents = max_agents.max(s.simulation.agents);
        max_years = max_years.max(s.simulation.years);
    }
    assert!(seen_multi, "several universities occur");
    assert!(regions.len() >= 4, "regions seen: {regions:?}");
    assert!(
        min_agents < 80 && max_agents > 240,
        "{min_agents}..{max_agents}"
    );
    assert!(max_years >= 7, "long horizons occur");
}

#[test]
fn the_manifest_scenario_loads_back() {
    // The manifest's `[scenario]` is the fully resolved scenario; written back as a scenario
    // file it must load to the same scenario, or a published run cannot be rerun from it.
    let s = Scenario::default();
    let text = toml::to_string(&s).expect("a scenario serialises");
    let loaded = scenario::from_str(&text, "manifest-scenario.toml", &[])
        .unwrap_or_else(|e| panic!("the resolved default scenario is refused: {e}"));
    assert_eq!(loaded.scenario, s);
}
