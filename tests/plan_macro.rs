//! The `[macro]` section: off by default and then without effect; on, a seeded path shared by
//! every agent that moves book rates, annuity returns and wages; bad processes named by key.

use sisandbox::engine::{self, Outcome, RunOptions};
use sisandbox::scenario::{self, Scenario};

fn load(sets: &[&str]) -> Scenario {
    let mut all = vec![
        "simulation.agents=400".to_string(),
        "simulation.years=6".into(),
    ];
    all.extend(sets.iter().map(|s| s.to_string()));
    scenario::from_str("", "macro-test", &all)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario
}

fn run(s: &Scenario) -> Outcome {
    engine::run(
        s,
        sisandbox::population::synthetic(s),
        &RunOptions::default(),
    )
    .unwrap()
}

fn rows(o: &Outcome) -> &sisandbox::metrics::Series {
    &o.series
}

#[test]
fn off_by_default_and_then_without_effect() {
    let default = load(&[]);
    assert!(!default.macro_paths.enabled);
    // Changing the processes of a disabled section changes nothing.
    let tuned = load(&["macro.book_rate.sigma=0.05", "macro.wage_growth.mean=0.1"]);
    assert_eq!(rows(&run(&default)), rows(&run(&tuned)));
}

#[test]
fn enabled_paths_are_seeded_and_move_the_accounts() {
    let on = load(&["macro.enabled=true", "macro.book_rate.sigma=0.03"]);
    let a = run(&on);
    assert_eq!(rows(&a), rows(&run(&on)), "same seed, same path");
    let off = run(&load(&["macro.book_rate.sigma=0.03"]));
    assert_ne!(rows(&a), rows(&off), "the path changes the outcome");
    let other_seed = run(&load(&[
        "macro.enabled=true",
        "macro.book_rate.sigma=0.03",
        "simulation.seed=99",
    ]));
    assert_ne!(rows(&a), rows(&other_seed));
}

#[test]
fn bad_processes_are_named_by_key() {
    for (set, key, words) in [
        (
            "macro.book_rate.phi=1.0",
            "macro.book_rate.phi",
            "not stationary",
        ),
        (
            "macro.inflation.phi=-1.0",
            "macro.inflation.phi",
            "not stationary",
        ),
        (
            "macro.wage_growth.sigma=-0.01",
            "macro.wage_growth.sigma",
            "0 to 1",
        ),
        ("macro.from=1800", "macro.from", "1990"),
        (
            "macro.enterprise_return.max=-0.9",
            "macro.enterprise_return.min",
            "above max",
        ),
    ] {
        let e = scenario::from_str("", "macro-test", &[set.to_string()])
            .err()
            .unwrap_or_else(|| panic!("{set} accepted"))
            .to_string();
        assert!(e.contains(key) && e.contains(words), "{set}: {e}");
    }
}
