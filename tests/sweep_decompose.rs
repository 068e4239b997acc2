//! `decompose = true` in a sweep: every variant's effect against the base of its replication
//! split into a mechanical part (behaviour frozen at the base's choices) and a behavioural
//! part, the same numbers as `experiment::decompose` gives for the pair; resumable and
//! shardable like the rest of the sweep, and refused without the base variant.

mod common;

use common::{ok_stderr, sisandbox, text};
use sisandbox::experiment::decompose::{decompose, Input};
use sisandbox::scenario;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Equal employer rates (a rule: mechanical) × the value of leisure (a preference: behaviour
/// only), on a small population: the base plus 4 variants × 2 replications.
const SWEEP: &str = r#"
name = "d"
replications = 2
seed = 5
decompose = true
set = [
  "simulation.agents=300",
  "simulation.years=5",
  "insurance.pension.enterprise_employer_rate=0.14",
  "policy.dual_track.start=\"2026-01\"",
]

[[parameters]]
path = "policy.dual_track.equal_employer_rates"
values = [false, true]

[[parameters]]
path = "perception.leisure_value.mean"
values = [0.3, 0.9]
"#;

/// Rows of a CSV file as maps from column name to text.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut rd = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            head.iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?} in {row:?}", row[col]))
}

fn sweep(dir: &Path, out: &str, extra: &[&str]) {
    let mut args = vec!["sweep", "d.toml", "--out", out, "-q"];
    args.extend_from_slice(extra);
    ok_stderr(&sisandbox(&args, dir));
}

/// Every file of a folder (relative path → bytes).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_decomposed_sweep_splits_each_variant_as_compare_decompose_does() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("d.toml"), SWEEP).unwrap();
    sweep(tmp.path(), "out", &["--jobs", "2"]);
    let out = tmp.path().join("out");
    let rows = table(&out.join("decomposition.csv"));
    // Variants 1-4 (the base is variant 0) × 2 replications, every summary outcome.
    let runs: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["run"].as_str()).collect();
    assert_eq!(runs.len(), 8, "{runs:?}");
    for r in &rows {
        let (m, b, t) = (num(r, "mechanical"), num(r, "behavioural"), num(r, "total"));
        assert_eq!(num(r, "frozen") - num(r, "baseline"), m);
        assert_eq!(num(r, "reform") - num(r, "frozen"), b);
        assert_eq!(num(r, "reform") - num(r, "baseline"), t);
        let rates = r["policy.dual_track.equal_employer_rates"].as_str();
        let leisure = r["perception.leisure_value.mean"].as_str();
        match (rates, leisure) {
            // The base's own values: nothing changes.
            ("false", "0.3") => assert!(m == 0.0 && b == 0.0, "{r:?}"),
            // A preference alone changes no rule: all of its effect is behaviour.
            ("false", "0.9") => assert_eq!(m, 0.0, "{r:?}"),
            _ => {}
        }
    }
    let contract_employer = |rates: &str, leisure: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| {
                r["policy.dual_track.equal_employer_rates"] == rates
                    && r["perception.leisure_value.mean"] == leisure
                    && r["group"] == "track"
                    && r["key"] == "contract"
                    && r["metric"] == "employer_contributions"
            })
            .map(|r| num(r, "mechanical"))
            .collect()
    };
    let m = contract_employer("true", "0.3");
    assert_eq!(m.len(), 2);
    assert!(
        m.iter().all(|x| *x > 0.0),
        "equal rates raise the contract track's employer contributions mechanically: {m:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r["perception.leisure_value.mean"] == "0.9" && num(r, "behavioural") != 0.0),
        "retiring later or earlier changes something"
    );

    // The same numbers as the pairwise decomposition of variant 4 (true, 0.9), replication 1.
    let sets = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "simulation.agents=300",
            "simulation.years=5",
            "insurance.pension.enterprise_employer_rate=0.14",
            "policy.dual_track.start=\"2026-01\"",
            "simulation.seed=6",
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect();
        v.sort_by_key(|s| s.starts_with("simulation.seed"));
        v
    };
    let input = |extra: &[&str]| {
        let s = scenario::from_str("", "<embedded default>", &sets(extra))
            .unwrap()
            .scenario;
        Input {
            name: s.name.clone(),
            scenario: s,
            dir: None,
        }
    };
    let base = input(&[]);
    let reform = input(&[
        "policy.dual_track.equal_employer_rates=true",
        "perception.leisure_value.mean=0.9",
    ]);
    let d = decompose(&base, &[reform], 1, None).unwrap();
    let mine: Vec<_> = rows
        .iter()
        .filter(|r| r["variant"] == "4" && r["replication"] == "1")
        .collect();
    assert_eq!(mine.len(), d[0].effects.len());
    for (r, e) in mine.iter().zip(&d[0].effects) {
        assert_eq!(
            (r["group"].as_str(), r["key"].as_str(), r["metric"].as_str()),
            (e.group.as_str(), e.key.as_str(), e.metric.as_str())
        );
        for (col, x) in [
            ("baseline", e.baseline),
            ("frozen", e.frozen),
            ("reform", e.reform),
        ] {
            let y = num(r, col);
            assert!(
                y == x || (x.is_nan() && r[col].is_empty()),
                "{}/{}/{} {col}: sweep {y}, decompose {x}",
                e.group,
                e.key,
                e.metric
            );
        }
    }

    // The summary: one row per variant and outcome, the mean of the replications.
    let summary = table(&out.join("decomposition_summary.csv"));
    let row = summary
        .iter()
        .find(|r| {
            r["variant"] == "3"
                && r["group"] == "track"
                && r["key"] == "contract"
                && r["metric"] == "employer_contributions"
        })
        .expect("summary row");
    assert_eq!(row["replications"], "2");
    let mean = num(row, "mechanical_mean");
    assert!((mean - (m[0] + m[1]) / 2.0).abs() <= 1e-9 * mean.abs());
    assert!(num(row, "mechanical_ci95_low") <= mean && mean <= num(row, "mechanical_ci95_high"));

    // Resumed after losing a run (its frozen metrics and its own), and in two shards merged:
    // the same files byte for byte.
    let reference = files(&out);
    let id = "run-000007";
    fs::remove_file(out.join(format!("runs/{id}.csv"))).unwrap();
    fs::remove_file(out.join(format!("runs/{id}.frozen.csv"))).unwrap();
    fs::remove_file(out.join("decomposition.csv")).unwrap();
    sweep(tmp.path(), "out", &["--jobs", "1"]);
    assert!(files(&out) == reference, "a resumed sweep differs");
    sweep(tmp.path(), "s0", &["--shard", "0/2"]);
    sweep(tmp.path(), "s1", &["--shard", "1/2"]);
    ok_stderr(&sisandbox(&["merge", "m", "s0", "s1", "-q"], tmp.path()));
    let merged = files(&tmp.path().join("m"));
    assert_eq!(
        merged.keys().collect::<Vec<_>>(),
        reference.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &reference {
        assert!(&merged[name] == bytes, "{name} differs after a merge");
    }
}

#[test]
fn a_decomposition_without_the_base_variant_is_refused_before_any_run() {
    let tmp = tempfile::tempdir().unwrap();
    let text_ = SWEEP.replace("decompose = true", "decompose = true\nbaseline = false");
    fs::write(tmp.path().join("d.toml"), text_).unwrap();
    let o = sisandbox(&["sweep", "d.toml", "--out", "out", "-q"], tmp.path());
    assert!(!o.status.success());
    let msg = text(&o);
    assert!(
        msg.contains("d.toml") && msg.contains("decompose") && msg.contains("baseline = true"),
        "{msg}"
    );
    assert!(!tmp.path().join("out").exists(), "nothing written");
}
