//! The life-cycle planner: percentiles monotone, the median path against a deterministic run
//! with median parameters, the same output for the same seed at any thread count, and bad
//! case files named by key. The binary end to end on the example cases.

mod common;

use sisandbox::plan::{self, PlanResult};
use sisandbox::scenario::Scenario;
use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    common::repo("scenarios/plans").join(name)
}

fn run_in_pool(case: &plan::PlanCase, paths: usize, threads: usize) -> PlanResult {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| plan::run(&Scenario::default(), case, paths).unwrap())
}

/// Relative tolerance between the median across paths and the outcome on the central path
/// (every innovation zero, i.e. every process at its median): the outcomes are smooth, nearly
/// monotone functions of the draws, so the two agree closely but not exactly.
const MEDIAN_TOLERANCE: f64 = 0.03;

#[test]
fn percentiles_are_monotone_and_the_median_matches_the_central_path() {
    for name in [
        "new-hire.toml",
        "mid-career-lecturer.toml",
        "pre-retiree.toml",
    ] {
        let case = plan::load(&example(name)).unwrap();
        let r = run_in_pool(&case, 1500, 2);
        let mid = r.percentiles.iter().position(|&q| q == 50.0).unwrap();
        for (o, metrics) in r.summary.iter().enumerate() {
            for (m, values) in metrics.iter().enumerate() {
                assert!(
                    values.windows(2).all(|w| w[0] <= w[1]),
                    "{name} option {o} metric {m}: {values:?}"
                );
                let c = &r.central[o];
                let central = [c.pension, c.pension_real, c.replacement, c.money_worth][m];
                let rel = (values[mid] - central).abs() / central.abs();
                assert!(
                    rel < MEDIAN_TOLERANCE,
                    "{name} option {o} metric {m}: median {} central {central}",
                    values[mid]
                );
            }
        }
        for v in &r.balances {
            for year in v {
                assert!(year.windows(2).all(|w| w[0] <= w[1]), "{name}: {year:?}");
            }
        }
    }
}

#[test]
fn same_seed_same_result_on_any_thread_count_and_effects_have_their_sign() {
    let case = plan::load(&example("new-hire.toml")).unwrap();
    let a = run_in_pool(&case, 300, 1);
    assert_eq!(a, run_in_pool(&case, 300, 2));
    let mut other = case.clone();
    other.plan.seed += 1;
    assert_ne!(a.summary, run_in_pool(&other, 300, 2).summary);
    // Joining the enterprise annuity, a full base and a later retirement each raise the median
    // first pension; a lump sum lowers the monthly income.
    let med = |o: usize| a.summary[o][0][2];
    let find = |ea: bool, share: f64, off: i32, draw: plan::Draw| {
        a.options
            .iter()
            .position(|l| {
                l.enterprise_annuity == ea
                    && l.base_share == share
                    && l.retire_offset == off
                    && l.draw == draw
            })
            .unwrap()
    };
    let base = find(true, 1.0, 0, plan::Draw::Monthly);
    assert!(med(base) > med(find(false, 1.0, 0, plan::Draw::Monthly)));
    assert!(med(base) > med(find(true, 0.8, 0, plan::Draw::Monthly)));
    assert!(med(base) < med(find(true, 1.0, 36, plan::Draw::Monthly)));
    assert!(med(base) > med(find(true, 1.0, 0, plan::Draw::LumpSum)));
}

#[test]
fn pre_retiree_gap_and_what_closes_it() {
    let case = plan::load(&example("pre-retiree.toml")).unwrap();
    let r = run_in_pool(&case, 500, 2);
    let g = r.gap.as_ref().expect("a target is set");
    assert!((g.gap - (g.target - g.median).max(0.0)).abs() < 1e-12);
    assert!(g.gap > 0.0 && g.monthly_shortfall > 0.0 && g.monthly_saving > 0.0);
}

fn sisandbox(args: &[&str]) -> std::process::Output {
    common::bin().args(args).output().unwrap()
}

#[test]
fn binary_writes_identical_files_for_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    let case = example("pre-retiree.toml");
    let mut outs = Vec::new();
    for (k, threads) in ["1", "2"].iter().enumerate() {
        let out = dir.path().join(format!("p{k}"));
        let o = sisandbox(&[
            "plan",
            case.to_str().unwrap(),
            "--paths",
            "200",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        outs.push(out);
    }
    for f in [
        "options.csv",
        "percentiles.csv",
        "balances.csv",
        "gap.csv",
        "plan.json",
        "balances.svg",
        "replacement-by-retirement-age.svg",
        "balances.png",
    ] {
        let a = std::fs::read(outs[0].join(f)).unwrap();
        assert!(!a.is_empty(), "{f}");
        assert_eq!(a, std::fs::read(outs[1].join(f)).unwrap(), "{f}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&outs[0])
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    let json = sisandbox(&[
        "plan",
        case.to_str().unwrap(),
        "--paths",
        "50",
        "--json",
        "--out",
        dir.path().join("j").to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["paths"], 50);
    assert!(v["gap"]["gap"].as_f64().unwrap() > 0.0);
}

#[test]
fn bad_cases_are_named_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(example("new-hire.toml")).unwrap();
    for (edit, key, words) in [
        (
            good.replace(
                "percentiles = [5, 25, 50, 75, 95]",
                "percentiles = [5, 120]",
            ),
            "plan.percentiles",
            "0 to 100",
        ),
        (
            good.replace("region = \"sichuan\"", "region = \"atlantis\""),
            "person.region",
            "unknown region",
        ),
        (
            good.replace("retire = [-36, 0, 36]", "retire = [0, 48]"),
            "options.retire",
            "flexible window",
        ),
        (
            good.replace("wage = 8200", "wage = -1"),
            "person.wage",
            "above 0",
        ),
    ] {
        let p = dir.path().join("case.toml");
        std::fs::write(&p, edit).unwrap();
        let o = sisandbox(&[
            "plan",
            p.to_str().unwrap(),
            "--paths",
            "10",
            "--out",
            dir.path().join("o").to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(key) && err.contains(words), "{key}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
