//! End-to-end tests of `sisandbox sweep` and `sisandbox merge` as a binary: the tables of a
//! sweep do not depend on the number of jobs, on an interruption (the process is killed half
//! way and restarted) or on sharding; malformed sweep files are refused before any run.

mod common;

use common::{bin, ok_stderr, sisandbox};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A 2 × 3 grid (plus the base variant) × 4 replications on a small population: 28 runs. The
/// tests run the sweep up to four times in a debug build; 150 staff over four years give every
/// table its rows and keep a run at about 0.2 s, most of it the run's fixed set-up.
const SWEEP: &str = r#"
name = "t"
replications = 4
seed = 11
set = ["simulation.agents=150", "simulation.years=4"]

[[parameters]]
path = "careers.conversion_rate"
values = [0.0, 0.05, 0.1]

[[parameters]]
path = "careers.quit_rate.contract"
range = { from = 0.02, to = 0.08, steps = 2 }
"#;

fn write_sweep(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("sweep.toml");
    fs::write(&p, text).unwrap();
    p
}

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&sa), names(&sb), "same files");
    for ((name, x), (_, y)) in sa.iter().zip(&sb) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn complete_runs(dir: &Path) -> usize {
    fs::read_dir(dir.join("runs"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().to_string();
                    n.starts_with("run-") && n.ends_with(".csv") && n.matches('.').count() == 1
                })
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn killed_half_way_and_restarted_gives_the_same_bytes_as_an_uninterrupted_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = write_sweep(tmp.path(), SWEEP);
    let sweep = sweep.to_str().unwrap();
    // Reference: uninterrupted, two runs at a time.
    let reference = tmp.path().join("reference");
    let err = ok_stderr(&sisandbox(
        &[
            "sweep",
            sweep,
            "--out",
            reference.to_str().unwrap(),
            "--jobs",
            "2",
        ],
        tmp.path(),
    ));
    assert!(err.contains("ran 28"), "{err}");
    for t in [
        "runs.csv",
        "series.csv",
        "summary.csv",
        "paired.csv",
        "paired_summary.csv",
        "design.csv",
        "plan.toml",
    ] {
        assert!(reference.join(t).is_file(), "{t}");
    }
    assert!(
        !reference.join("morris.csv").exists(),
        "no Morris table for a grid"
    );

    // Interrupted: one run at a time, killed once a few runs are complete.
    let killed = tmp.path().join("killed");
    let mut child = bin()
        .args([
            "sweep",
            sweep,
            "--out",
            killed.to_str().unwrap(),
            "--jobs",
            "1",
            "-q",
        ])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while complete_runs(&killed) < 3 {
        assert!(t0.elapsed() < Duration::from_secs(120), "no run completed");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sweep ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = complete_runs(&killed);
    assert!(
        (3..28).contains(&done),
        "killed half way: {done} of 28 runs complete"
    );
    assert!(
        !killed.join("runs.csv").exists(),
        "no table before the sweep is complete"
    );

    // Restarted with the same command: skips the complete runs, finishes the rest.
    let err = ok_stderr(&sisandbox(
        &[
            "sweep",
            sweep,
            "--out",
            killed.to_str().unwrap(),
            "--jobs",
            "1",
        ],
        tmp.path(),
    ));
    assert!(
        err.contains(&format!("skipped {done} already complete")),
        "{err}"
    );
    assert_same_tree(&reference, &killed);

    // --force runs everything again, with the same result.
    let err = ok_stderr(&sisandbox(
        &[
            "sweep",
            sweep,
            "--out",
            killed.to_str().unwrap(),
            "--force",
            "-j",
            "2",
        ],
        tmp.path(),
    ));
    assert!(err.contains("ran 28, skipped 0"), "{err}");
    assert_same_tree(&reference, &killed);

    // A changed sweep file is refused in the same folder without --force.
    write_sweep(
        tmp.path(),
        &SWEEP.replace("replications = 4", "replications = 5"),
    );
    let out = sisandbox(
        &["sweep", sweep, "--out", killed.to_str().unwrap()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds a different sweep") && err.contains("--force"),
        "{err}"
    );
}

#[test]
fn sharded_then_merged_equals_unsharded_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let text = SWEEP.replace("replications = 4", "replications = 2");
    let sweep = write_sweep(tmp.path(), &text);
    let sweep = sweep.to_str().unwrap();
    let whole = tmp.path().join("whole");
    ok_stderr(&sisandbox(
        &["sweep", sweep, "--out", whole.to_str().unwrap(), "-q"],
        tmp.path(),
    ));

    // Shards in separate folders, merged into the first.
    let dirs: Vec<PathBuf> = (0..3)
        .map(|i| tmp.path().join(format!("shard{i}")))
        .collect();
    for (i, d) in dirs.iter().enumerate() {
        let err = ok_stderr(&sisandbox(
            &[
                "sweep",
                sweep,
                "--out",
                d.to_str().unwrap(),
                "--shard",
                &format!("{i}/3"),
            ],
            tmp.path(),
        ));
        assert!(err.contains("sisandbox merge"), "{err}");
        assert!(!d.join("runs.csv").exists(), "a shard writes no tables");
    }
    let out = sisandbox(&["merge", dirs[0].to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(2), "one shard alone is incomplete");
    assert!(String::from_utf8_lossy(&out.stderr).contains("are not complete"));
    let args: Vec<&str> = ["merge"]
        .into_iter()
        .chain(dirs.iter().map(|d| d.to_str().unwrap()))
        .collect();
    ok_stderr(&sisandbox(&args, tmp.path()));
    assert_same_tree(&whole, &dirs[0]);

    // Shards sharing one folder, as in a Slurm array, the slice from the environment.
    let shared = tmp.path().join("shared");
    for i in 0..2 {
        let out = bin()
            .args(["sweep", sweep, "--out", shared.to_str().unwrap(), "-q"])
            .env("SLURM_ARRAY_TASK_ID", (i + 1).to_string())
            .env("SLURM_ARRAY_TASK_MIN", "1")
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .current_dir(tmp.path())
            .output()
            .unwrap();
        ok_stderr(&out);
    }
    ok_stderr(&sisandbox(&["merge", shared.to_str().unwrap()], tmp.path()));
    assert_same_tree(&whole, &shared);
}

#[test]
fn malformed_sweep_files_are_refused_before_any_run() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            SWEEP.replace("careers.conversion_rate", "careers.conversion_rat"),
            vec!["careers.conversion_rat", "did you mean"],
        ),
        (
            SWEEP.replace("steps = 2", "steps = 0"),
            vec!["careers.quit_rate.contract", "empty range"],
        ),
        (
            SWEEP.replace("from = 0.02, to = 0.08", "from = 0.08, to = 0.02"),
            vec!["empty range"],
        ),
        (
            SWEEP.replace("replications = 4", "replications = 0"),
            vec!["replications = 0"],
        ),
        (
            SWEEP.replace("values = [0.0, 0.05, 0.1]", "values = [0.0, 2.5]"),
            vec!["careers.conversion_rate", "2.5"],
        ),
        (
            SWEEP.replace("name = \"t\"", "nmae = \"t\""),
            vec!["unknown field `nmae`"],
        ),
        (
            SWEEP.replace("replications = 4", "replications = \"four\""),
            vec!["replications"],
        ),
        (
            "scenario = \"missing.toml\"\nreplications = 1".to_string(),
            vec!["missing.toml"],
        ),
    ];
    for (i, (text, wants)) in cases.iter().enumerate() {
        let sweep = tmp.path().join(format!("bad{i}.toml"));
        fs::write(&sweep, text).unwrap();
        let out_dir = tmp.path().join(format!("out{i}"));
        let out = sisandbox(
            &[
                "sweep",
                sweep.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ],
            tmp.path(),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "case {i}: {err}");
        assert!(
            err.contains(&format!("bad{i}.toml")),
            "case {i} names the file: {err}"
        );
        for w in wants {
            assert!(err.contains(w), "case {i}: expected {w:?} in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out_dir.exists(), "case {i}: nothing started");
    }
}

#[test]
fn morris_sweep_writes_elementary_effects_for_every_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = write_sweep(
        tmp.path(),
        r#"
        replications = 1
        seed = 3
        design = "morris"
        trajectories = 3
        series = false
        set = ["simulation.agents=200", "simulation.years=3"]
        [[parameters]]
        path = "careers.conversion_rate"
        min = 0.0
        max = 0.2
        [[parameters]]
        path = "careers.wage_growth"
        min = 0.0
        max = 0.05
        "#,
    );
    let out = tmp.path().join("m");
    ok_stderr(&sisandbox(
        &[
            "sweep",
            sweep.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        tmp.path(),
    ));
    let morris = fs::read_to_string(out.join("morris.csv")).unwrap();
    assert!(morris.starts_with("parameter,group,key,metric,r,mu,mu_star,sigma\n"));
    for p in ["careers.conversion_rate", "careers.wage_growth"] {
        let row = morris
            .lines()
            .find(|l| l.starts_with(&format!("{p},all,all,employer_contributions,")))
            .unwrap_or_else(|| panic!("{p} row in {morris}"));
        let f: Vec<&str> = row.split(',').collect();
        assert_eq!(f[4], "3", "one effect per trajectory");
        let mu_star: f64 = f[6].parse().unwrap();
        assert!(mu_star >= f[5].parse::<f64>().unwrap().abs() - 1e-9);
    }
    // Wage growth raises contributions: a large positive effect.
    let wage = morris
        .lines()
        .find(|l| l.starts_with("careers.wage_growth,all,all,employer_contributions,"))
        .unwrap();
    assert!(
        wage.split(',').nth(5).unwrap().parse::<f64>().unwrap() > 0.0,
        "{wage}"
    );
    assert!(!out.join("series.csv").exists() && !out.join("paired.csv").exists());
}
