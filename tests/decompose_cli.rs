//! End-to-end: `sisandbox compare --decompose` splits a reform's effect into its mechanical
//! part (the reform with behaviour frozen at the baseline's choices) and its behavioural part.

mod common;

use common::{repo_arg, sisandbox};

/// (reform, group, key, metric) → (mechanical, behavioural, total).
type Row = (String, String, String, String, f64, f64, f64);

fn rows(csv: &str) -> Vec<Row> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "reform,group,key,metric,baseline,frozen,reform_value,mechanical,behavioural,total"
    );
    lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let f = |i: usize| c[i].parse::<f64>().unwrap();
            (
                c[0].into(),
                c[1].into(),
                c[2].into(),
                c[3].into(),
                f(7),
                f(8),
                f(9),
            )
        })
        .collect()
}

#[test]
fn decompose_splits_each_reform_into_mechanical_and_behavioural_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, flexible, portability) = (
        repo_arg("scenarios/baseline.toml"),
        repo_arg("scenarios/reform-flexible-base.toml"),
        repo_arg("scenarios/reform-portability.toml"),
    );
    let o = sisandbox(
        &[
            "compare",
            "--decompose",
            &base,
            &flexible,
            &portability,
            "--set",
            "simulation.agents=800",
            "--set",
            "simulation.years=4",
            "--threads",
            "2",
            "--out",
            "dec.csv",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("== flexible-base") && stdout.contains("mechanical"));
    let all = rows(&std::fs::read_to_string(tmp.path().join("dec.csv")).unwrap());
    let get = |reform: &str, metric: &str| {
        all.iter()
            .find(|r| r.0 == reform && r.1 == "all" && r.3 == metric)
            .unwrap_or_else(|| panic!("{reform} {metric}"))
            .clone()
    };
    for r in &all {
        assert!(
            (r.4 + r.5 - r.6).abs() <= 1e-6 * r.6.abs().max(1.0),
            "mechanical + behavioural = total: {r:?}"
        );
    }
    // Staff who may pay on a lower base do so only by choosing it: frozen at the baseline's
    // full base, the flexible base changes no exit, and the fall in contributions is behaviour.
    let exits = get("flexible-base", "exits");
    assert_eq!(exits.4, 0.0, "{exits:?}");
    let cost = get("flexible-base", "employer_contributions");
    assert!(
        cost.5 < 0.0,
        "choosing lower bases lowers contributions: {cost:?}"
    );
    assert!(cost.5.abs() > cost.4.abs(), "{cost:?}");
    // Portability changes no one's pay or pension: no choice changes, so no outcome has a
    // behavioural part.
    for r in all.iter().filter(|r| r.0 == "portability") {
        assert_eq!(r.5, 0.0, "{r:?}");
    }
}

#[test]
fn decompose_refuses_runs_that_cannot_be_paired() {
    let tmp = tempfile::tempdir().unwrap();
    let o = sisandbox(
        &[
            "compare",
            "--decompose",
            &repo_arg("scenarios/baseline.toml"),
            &repo_arg("tests/fixtures/base.toml"),
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("differs from the baseline"), "{err}");
}
