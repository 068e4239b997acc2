//! `sisandbox budget` on a roster with a department column (部门), run as a binary: next year's
//! contributions per department, adding up to the total the engine records.

mod common;

use std::path::Path;

/// The test roster with a 部门 column appended (two staff in one department, one in another,
/// one row without a department).
fn roster_with_departments(dir: &Path) -> std::path::PathBuf {
    let good = std::fs::read_to_string(common::repo("tests/fixtures/roster_good.csv")).unwrap();
    let depts = ["化学学院", "图书馆", "化学学院", ""];
    let mut text = String::new();
    for (i, line) in good.lines().enumerate() {
        let cell = if i == 0 { "部门" } else { depts[(i - 1) % 4] };
        text.push_str(&format!("{line},{cell}\n"));
    }
    let path = dir.join("roster_dept.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn budget(dir: &Path, roster: &Path, out: &str) {
    let o = common::bin()
        .args([
            "budget",
            roster.to_str().unwrap(),
            "--year",
            "2026",
            "--replications",
            "2",
            "--out",
            out,
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// (department, staff at start, mean) rows of budget_department.csv.
fn departments(path: &Path) -> Vec<(String, u32, f64)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[1].to_string(),
                rec[2].parse().unwrap(),
                rec[3].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn cost_per_department_adds_up_to_the_total() {
    let d = tempfile::tempdir().unwrap();
    let roster = roster_with_departments(d.path());
    budget(d.path(), &roster, "b");
    let rows = departments(&d.path().join("b/budget_department.csv"));
    let find = |name: &str| rows.iter().find(|r| r.0 == name).cloned();
    let chem = find("化学学院").expect("化学学院");
    let lib = find("图书馆").expect("图书馆");
    assert_eq!((chem.1, lib.1), (2, 1), "{rows:?}");
    assert!(chem.2 > 0.0 && lib.2 > 0.0, "{rows:?}");
    // The year's contributions of every department (and the lines of hires and first months)
    // add up to the employer and individual contributions the engine records by track.
    let dept_sum: f64 = rows.iter().map(|r| r.2).sum();
    let year = std::fs::read_to_string(d.path().join("b/budget_year.csv")).unwrap();
    let track_sum: f64 = year
        .lines()
        .filter(|l| l.starts_with("2026,track,"))
        .map(|l| l.split(',').nth(4).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(
        (dept_sum - track_sum).abs() < 0.05 * rows.len() as f64,
        "{dept_sum} vs {track_sum}"
    );
    // The department lines are in the monthly and yearly outputs too, and in the manifest.
    let monthly = std::fs::read_to_string(d.path().join("b/budget.csv")).unwrap();
    assert!(monthly.contains("2026-06,department,化学学院,contributions,"));
    assert!(year.contains("2026,department,图书馆,contributions,"));
    let manifest = std::fs::read_to_string(d.path().join("b/manifest.toml")).unwrap();
    assert!(manifest.contains("budget_department.csv"));
    // No personal data reaches the outputs.
    for f in ["budget.csv", "budget_year.csv", "budget_department.csv"] {
        let t = std::fs::read_to_string(d.path().join("b").join(f)).unwrap();
        assert!(
            !t.contains("张三") && !t.contains("110101199003071234"),
            "{f}"
        );
    }
}

#[test]
fn without_a_department_column_the_outputs_are_unchanged() {
    let d = tempfile::tempdir().unwrap();
    let roster = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster_good.csv");
    budget(d.path(), &roster, "b");
    assert!(!d.path().join("b/budget_department.csv").exists());
    let year = std::fs::read_to_string(d.path().join("b/budget_year.csv")).unwrap();
    assert!(!year.contains(",department,"));
    // The same roster with departments gives the same insurance lines.
    let with = roster_with_departments(d.path());
    budget(d.path(), &with, "c");
    let year_c = std::fs::read_to_string(d.path().join("c/budget_year.csv")).unwrap();
    let insurance = |t: &str| {
        t.lines()
            .filter(|l| l.contains(",insurance,"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(insurance(&year), insurance(&year_c));
}
