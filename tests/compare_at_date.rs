//! `sisandbox compare` at a common date, end to end through the binary: a reform whose only
//! change starts after year 5 has no effect at the end of year 3 (every difference exactly
//! zero, every agent in the same state paired) and an effect by the end of the run; each
//! outcome states its date and how many agents it pairs, and a difference over few agents
//! carries a warning.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn sisandbox(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sisandbox"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

const AGENTS: u32 = 400;

fn run(dir: &Path, extra: &[&str]) {
    let agents = AGENTS.to_string();
    let mut args = vec![
        "run",
        "-q",
        "--agents",
        &agents,
        "--years",
        "8",
        "--seed",
        "11",
        "--snapshots",
        "--out",
        "runs",
    ];
    args.extend_from_slice(extra);
    ok(&sisandbox(&args, dir));
}

/// A CSV file as (header → column, rows).
fn table(path: &Path) -> (HashMap<String, usize>, Vec<csv::StringRecord>) {
    let text = fs::read_to_string(path).unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let h = rd
        .headers()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_string(), i))
        .collect();
    (h, rd.records().map(Result::unwrap).collect())
}

#[test]
fn a_reform_from_year_six_changes_nothing_at_year_three_and_something_by_the_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run(dir, &[]);
    // Contract staff get an annuity from 2031-01 (the run is 2025-01..2032-12).
    run(
        dir,
        &[
            "--set",
            "policy.dual_track.start=\"2031-01\"",
            "--set",
            "policy.dual_track.contract_annuity=true",
        ],
    );
    let (a, b) = (
        dir.join("runs/default-seed11"),
        dir.join("runs/default-seed11-2"),
    );
    assert!(a.join("snapshots.csv").is_file() && b.join("snapshots.csv").is_file());
    let arg = |p: &Path| p.to_str().unwrap().to_string();

    // At the end of year 3.
    let early = dir.join("early.csv");
    let out = ok(&sisandbox(
        &[
            "compare",
            &arg(&a),
            &arg(&b),
            "--at-year",
            "2027",
            "--out",
            &arg(&early),
        ],
        dir,
    ));
    assert!(out.contains("compared at 2027-12"), "{out}");
    assert!(out.contains("== take_home at 2027-12"), "{out}");
    let (h, rows) = table(&early);
    let reform: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[h["run"]] == "default-seed11-2")
        .collect();
    assert!(!reform.is_empty());
    for r in &reform {
        assert_eq!(&r[h["at"]], "2027-12");
        assert_eq!(&r[h["diff_paired"]], "true", "{r:?}");
        assert_eq!(
            &r[h["diff_mean"]], "0",
            "no effect before the reform: {r:?}"
        );
        assert_eq!(&r[h["share_gain"]], "0", "{r:?}");
        assert_eq!(&r[h["share_loss"]], "0", "{r:?}");
    }
    // Everyone in the reference who has the outcome at that date is paired: the initial staff
    // alive then (pension contributions), and those awarded a pension by then (replacement).
    let (sh, snaps) = table(&a.join("snapshots.csv"));
    let alive = snaps
        .iter()
        .filter(|r| &r[sh["month"]] == "2027-12")
        .filter(|r| r[sh["id"]].parse::<u32>().unwrap() < AGENTS)
        .count();
    let (ah, agents) = table(&a.join("agents.csv"));
    let awarded = agents
        .iter()
        .filter(|r| r[ah["id"]].parse::<u32>().unwrap() < AGENTS)
        .filter(|r| !r[ah["replacement_final_wage"]].is_empty())
        .filter(|r| &r[ah["retire_month"]] <= "2027-12")
        .count();
    let all = |metric: &str| {
        *reform
            .iter()
            .find(|r| &r[h["metric"]] == metric && &r[h["group"]] == "all")
            .unwrap_or_else(|| panic!("no row for {metric}"))
    };
    let contributions = all("pension_contributions");
    assert_eq!(
        contributions[h["diff_pairs"]].parse::<usize>().unwrap(),
        alive
    );
    assert_eq!(
        contributions[h["diff_population"]].parse::<u32>().unwrap(),
        AGENTS
    );
    assert_eq!(&contributions[h["basis"]], "at_date");
    let replacement = all("replacement_final_wage");
    assert_eq!(&replacement[h["basis"]], "at_retirement");
    assert!(awarded > 0, "three years see retirements");
    assert_eq!(
        replacement[h["diff_pairs"]].parse::<usize>().unwrap(),
        awarded
    );
    // Few retirements by then: that difference carries a warning, in the table and the CSV.
    assert!(awarded < 100);
    assert!(
        replacement[h["warning"]].contains("fewer than 100"),
        "{replacement:?}"
    );
    assert!(out.contains("! 2027-12 all default-seed11-2"), "{out}");

    // By default: the end of every year; the reform shows by the last.
    let every = dir.join("every.csv");
    let out = ok(&sisandbox(
        &["compare", &arg(&a), &arg(&b), "--out", &arg(&every)],
        dir,
    ));
    assert!(out.contains("the end of every year"), "{out}");
    let (h2, rows2) = table(&every);
    let dates: BTreeSet<String> = rows2.iter().map(|r| r[h2["at"]].to_string()).collect();
    let expected: BTreeSet<String> = (2025..=2032).map(|y| format!("{y}-12")).collect();
    assert_eq!(dates, expected);
    // The year-3 rows are the same as with --at-year.
    let year3: Vec<String> = rows2
        .iter()
        .filter(|r| &r[h2["at"]] == "2027-12")
        .map(|r| r.iter().collect::<Vec<_>>().join(","))
        .collect();
    let again: Vec<String> = rows
        .iter()
        .map(|r| r.iter().collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(year3, again);
    // Before the reform nothing differs; by its end contract staff's take-home or
    // contributions do.
    let changed = |at: &str| {
        rows2.iter().any(|r| {
            &r[h2["at"]] == at
                && &r[h2["run"]] == "default-seed11-2"
                && !r[h2["diff_mean"]].is_empty()
                && &r[h2["diff_mean"]] != "0"
        })
    };
    for y in 2025..=2030 {
        assert!(
            !changed(&format!("{y}-12")),
            "an effect in {y} before the reform"
        );
    }
    assert!(changed("2032-12"), "the reform shows by 2032-12");

    // A month the runs hold no states for is refused, naming the months they do hold.
    let bad = sisandbox(&["compare", &arg(&a), &arg(&b), "--at", "2027-06"], dir);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no agent states at 2027-06") && err.contains("2027-12"),
        "{err}"
    );
}
