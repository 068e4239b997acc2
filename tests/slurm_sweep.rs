//! A sweep as a real Slurm job array: starts the single-node Slurm on localhost
//! (scripts/slurm-single-node.sh up), submits scripts/sweep.sbatch as a 3-task array and the
//! merge as a dependent job, and compares the merged sweep folder byte for byte with an
//! unsharded sweep.
//!
//! Runs only where Slurm is already installed (`sbatch` on the PATH) or where
//! SISANDBOX_REQUIRE_SLURM=1 asks for it (as .ci/run sets): only then may
//! scripts/slurm-single-node.sh install slurm-wlm and munge with apt-get and start daemons, so
//! `cargo test` on a workstation never installs packages or starts services unasked. Skipped
//! otherwise (with a note on stderr), and with SISANDBOX_SKIP_SLURM=1; with
//! SISANDBOX_REQUIRE_SLURM=1 a skip is a failure instead.

mod common;

use common::text;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sh(args: &[&str], cwd: &Path) -> Output {
    Command::new(args[0])
        .args(&args[1..])
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Why Slurm cannot be used here, if it cannot.
fn cannot_run() -> Option<String> {
    if std::env::var_os("SISANDBOX_SKIP_SLURM").is_some_and(|v| v == "1") {
        return Some("SISANDBOX_SKIP_SLURM=1".into());
    }
    if !cfg!(target_os = "linux") {
        return Some("not Linux".into());
    }
    let required = std::env::var_os("SISANDBOX_REQUIRE_SLURM").is_some_and(|v| v == "1");
    if !required && !have("sbatch") {
        return Some(
            "Slurm is not installed and SISANDBOX_REQUIRE_SLURM=1 is not set (the test would \
             install packages and start daemons)"
                .into(),
        );
    }
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .map(|o| text(&o).trim().to_string());
    if uid.as_deref() != Some("0") {
        return Some(format!("not root (uid {})", uid.unwrap_or_default()));
    }
    if !have("sbatch") && !have("apt-get") {
        return Some("neither Slurm nor apt-get is installed".into());
    }
    None
}

/// Stops the cluster at the end if this test started it.
struct Down(bool);

impl Drop for Down {
    fn drop(&mut self) {
        if self.0 {
            let o = sh(&["bash", "scripts/slurm-single-node.sh", "down"], &repo());
            eprintln!("slurm down: {}", text(&o).trim());
        }
    }
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_sweep_run_as_a_slurm_job_array_and_merged_equals_the_unsharded_sweep() {
    if let Some(why) = cannot_run() {
        let required = std::env::var_os("SISANDBOX_REQUIRE_SLURM").is_some_and(|v| v == "1");
        assert!(
            !required,
            "SISANDBOX_REQUIRE_SLURM=1 but Slurm cannot run here: {why}"
        );
        eprintln!("SKIPPED slurm_sweep: Slurm cannot be installed or started here: {why}");
        return;
    }
    let repo = repo();
    let t0 = Instant::now();
    let already_up = sh(&["bash", "scripts/slurm-single-node.sh", "status"], &repo);
    let started_here = !text(&already_up).contains("(started by this script)");
    let up = sh(&["bash", "scripts/slurm-single-node.sh", "up"], &repo);
    let _down = Down(started_here);
    assert!(
        up.status.success(),
        "slurm-single-node.sh up failed:\n{}",
        text(&up)
    );
    eprintln!("slurm up in {:.1} s", t0.elapsed().as_secs_f64());

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("sweep.toml"),
        r#"
        name = "slurm"
        replications = 3
        seed = 99
        set = ["simulation.agents=200", "simulation.years=3"]
        [[parameters]]
        path = "careers.conversion_rate"
        values = [0.0, 0.1]
        [[parameters]]
        path = "careers.wage_growth"
        values = [0.01, 0.03]
        "#,
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_sisandbox");
    let sbatch = repo.join("scripts/sweep.sbatch");
    let sbatch = sbatch.to_str().unwrap();
    let t1 = Instant::now();
    let export = format!("--export=ALL,SISANDBOX={bin}");
    let chdir = format!("--chdir={}", dir.display());
    let array = sh(
        &[
            "sbatch",
            "--parsable",
            "--array=0-2",
            &export,
            &chdir,
            sbatch,
            "sweep.toml",
            "shared",
        ],
        dir,
    );
    assert!(array.status.success(), "sbatch: {}", text(&array));
    let job = text(&array).trim().to_string();
    let dep = format!("--dependency=afterok:{job}");
    let merge = sh(
        &[
            "sbatch",
            "--parsable",
            &dep,
            &export,
            &chdir,
            sbatch,
            "--merge",
            "shared",
        ],
        dir,
    );
    assert!(merge.status.success(), "sbatch merge: {}", text(&merge));
    let merge_job = text(&merge).trim().to_string();
    for j in [&job, &merge_job] {
        let w = sh(
            &["bash", "scripts/slurm-single-node.sh", "wait", j, "600"],
            &repo,
        );
        let logs: String = fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("slurm-"))
            .map(|e| fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        assert!(w.status.success(), "job {j}: {}\nlogs:\n{logs}", text(&w));
    }
    eprintln!("array + merge jobs in {:.1} s", t1.elapsed().as_secs_f64());
    // Each task ran its own slice, found in the environment.
    let logs: Vec<String> = (0..3)
        .map(|i| {
            fs::read_to_string(dir.join(format!("slurm-sisandbox-sweep-{job}_{i}.out"))).unwrap()
        })
        .collect();
    for (i, l) in logs.iter().enumerate() {
        assert!(l.contains(&format!("shard {i}/3")), "task {i} log:\n{l}");
    }

    let whole = dir.join("whole");
    let o = sh(
        &[
            bin,
            "sweep",
            "sweep.toml",
            "--out",
            whole.to_str().unwrap(),
            "-q",
        ],
        dir,
    );
    assert!(o.status.success(), "{}", text(&o));
    let (a, b) = (snapshot(&whole), snapshot(&dir.join("shared")));
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} differs between the unsharded and the Slurm sweep"
        );
    }
    assert!(a.iter().any(|f| f.0 == "summary.csv"));
    eprintln!("slurm test in {:.1} s", t0.elapsed().as_secs_f64());
}
