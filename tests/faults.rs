//! Faults: an unwritable output folder, a full disk (a 64 KB tmpfs when mounting is permitted,
//! and a failing writer injected through `output::write_atomic`), a process killed while it
//! writes its results, and runs refused by the resource guard. Each ends in a clear error, no
//! corrupt or half-written file, and a rerun that completes.
//!
//! The resource classes of tests/bad_inputs/ are checked here: resources_too_many_agents.toml,
//! resources_explosive_growth.toml, resources_roster_device.toml.

mod common;

use common::{bin, repo, repo_arg, stderr};
use sisandbox::engine::RunOptions;
use sisandbox::guard::Limit;
use sisandbox::output;
use sisandbox::scenario;
use sisandbox::simulate::{simulate_with_limit, SimulateError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A small run of the baseline into `out`.
fn small_run(out: &Path, cwd: &Path) -> Output {
    bin()
        .args(["run", &repo_arg("scenarios/baseline.toml")])
        .args(["--agents", "300", "--years", "2", "-q", "--out"])
        .arg(out)
        .current_dir(cwd)
        .output()
        .expect("binary runs")
}

/// Every entry under `dir`, recursively, as paths relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A finished result folder: all three files, and the manifest's hashes match the files.
fn assert_complete(run: &Path) {
    use sha2::{Digest, Sha256};
    let manifest = std::fs::read_to_string(run.join("manifest.toml"))
        .unwrap_or_else(|e| panic!("{}: no manifest: {e}", run.display()));
    let m: toml::Table = toml::from_str(&manifest).expect("the manifest is TOML");
    for f in ["series.csv", "agents.csv"] {
        let bytes = std::fs::read(run.join(f)).unwrap();
        let want = m["outputs"][f].as_str().unwrap();
        assert_eq!(
            want,
            format!("sha256:{:x}", Sha256::digest(&bytes)),
            "{f} of {} matches its manifest hash",
            run.display()
        );
    }
}

/// No temporary or partial files anywhere under `dir`.
fn assert_no_leftovers(dir: &Path) {
    let bad: Vec<String> = tree(dir)
        .into_iter()
        .filter(|p| p.ends_with(".tmp") || p.contains(".partial"))
        .collect();
    assert!(
        bad.is_empty(),
        "left behind under {}: {bad:?}",
        dir.display()
    );
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error_and_a_rerun_elsewhere_works() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a folder is needed: unwritable even for root.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let out = small_run(&blocker.join("results"), dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("error: writing results to "), "{err}");
    assert!(err.contains("not-a-folder"), "names the folder: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read(&blocker).unwrap(),
        b"x",
        "the file is untouched"
    );

    // A read-only folder (only meaningful when not root, who may write anyway).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("read-only");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = ro.join("probe");
        if std::fs::write(&probe, "x").is_ok() {
            let _ = std::fs::remove_file(&probe);
            eprintln!("running as root: the read-only folder case is skipped");
        } else {
            let out = small_run(&ro, dir.path());
            assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains("Permission denied"), "{err}");
            assert!(tree(&ro).is_empty(), "nothing written: {:?}", tree(&ro));
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let good = dir.path().join("results");
    let out = small_run(&good, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_complete(&good.join("baseline-seed20251125"));
}

/// A writer that accepts `room` bytes, then fails as a full disk does.
struct FullDisk {
    room: usize,
}

impl Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device",
            ));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failing_writer_leaves_the_old_file_and_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("series.csv");
    // A first, good write.
    output::write_atomic(&target, |w| w.write_all(b"old,complete\n")).unwrap();
    // Writers that fail at once, after some bytes, and at the end.
    for room in [0usize, 10, 100_000] {
        let result = output::write_atomic(&target, |w| {
            let mut disk = FullDisk { room };
            for _ in 0..10_000 {
                let line = b"2025-01,all,all,staff,3000\n";
                disk.write_all(line)?;
                w.write_all(line)?;
            }
            Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device",
            ))
        });
        let e = result.expect_err("the failure is reported").to_string();
        assert!(
            e.contains("series.csv") && e.contains("No space left"),
            "{e}"
        );
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"old,complete\n",
            "the earlier file is intact after a failure at {room} bytes"
        );
        assert_eq!(tree(dir.path()), ["series.csv"], "no temporary file");
    }
    // A panic inside the writer's closure: nothing replaces the target either.
    let caught = std::panic::catch_unwind(|| {
        let _ = output::write_atomic(&target, |_| panic!("writer bug"));
    });
    assert!(caught.is_err());
    assert_eq!(std::fs::read(&target).unwrap(), b"old,complete\n");
}

#[test]
fn a_full_disk_is_a_clear_error_with_no_partial_result() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("tiny");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("mounting a tmpfs is not permitted here: the full-disk case is skipped");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(&mnt);
    // Series and agents of this run are several times 64 KB.
    let out = small_run(&mnt, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("tiny"), "names the place: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        tree(&mnt).is_empty(),
        "no partial folder or temporary file: {:?}",
        tree(&mnt)
    );
}

#[test]
fn a_run_killed_while_writing_leaves_no_partial_result_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let name = "baseline-seed20251125";
    let partial = out.join(format!(".{name}.partial"));
    let mut killed_while_writing = 0;
    for attempt in 0..3u64 {
        let mut child = bin()
            .args(["run", &repo_arg("scenarios/baseline.toml")])
            .args([
                "--agents",
                "60000",
                "--years",
                "1",
                "-q",
                "--threads",
                "2",
                "--out",
            ])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawned");
        // Kill as soon as the results are being assembled (plus a few ms more on later
        // attempts, to land inside different files), or after 60 s at the latest.
        let t0 = Instant::now();
        let mut seen = false;
        while t0.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if partial.exists() {
                std::thread::sleep(Duration::from_millis(attempt * 40));
                seen = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if seen && !status.success() {
            killed_while_writing += 1;
        }
        // Whatever the moment: a result folder is complete or absent, and no temporary file
        // sits under a final name.
        for entry in std::fs::read_dir(&out).into_iter().flatten().flatten() {
            let n = entry.file_name().to_string_lossy().into_owned();
            if !n.starts_with('.') {
                assert_complete(&entry.path());
            }
        }
        let stray: Vec<String> = tree(&out)
            .into_iter()
            .filter(|p| !p.starts_with('.') && p.ends_with(".tmp"))
            .collect();
        assert!(
            stray.is_empty(),
            "temporary files in a result folder: {stray:?}"
        );
    }
    // A rerun completes and clears the hidden partial folder of its name.
    let rerun = small_run(&out, dir.path());
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert_no_leftovers(&out);
    let finished: Vec<String> = tree(&out)
        .into_iter()
        .filter(|p| !p.contains('/'))
        .collect();
    assert!(!finished.is_empty());
    for f in &finished {
        assert_complete(&out.join(f));
    }
    eprintln!("{killed_while_writing} of 3 kills landed while the results were written");
}

fn load(rel: &str) -> (scenario::Scenario, PathBuf) {
    let path = repo(rel);
    let l = scenario::load(&path, &[]).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (l.scenario, path.parent().unwrap().to_path_buf())
}

#[test]
fn the_guard_refuses_runs_too_big_for_the_memory_before_allocating() {
    let limit = Limit::bytes(16 << 30);
    let opts = RunOptions::default();
    // 50 million staff for 100 years: about a hundred gigabytes.
    let (s, dir) = load("tests/bad_inputs/resources_too_many_agents.toml");
    let t0 = Instant::now();
    let e = simulate_with_limit(&s, Some(&dir), &opts, &limit).unwrap_err();
    assert!(t0.elapsed() < Duration::from_secs(2), "refused at once");
    assert!(matches!(e, SimulateError::Resources(_)), "{e}");
    let text = e.to_string();
    assert!(text.starts_with("the run needs about "), "{text}");
    assert!(
        text.contains("GB, the limit is 16.0 GB; raise it with SISANDBOX_MAX_MEMORY="),
        "{text}"
    );
    assert!(
        text.contains("bytes per agent × (50.0 million initial staff"),
        "{text}"
    );
    // Headcount growth of 50 % a year for 100 years: more agents than 32-bit ids.
    let (s, dir) = load("tests/bad_inputs/resources_explosive_growth.toml");
    let text = simulate_with_limit(&s, Some(&dir), &opts, &Limit::unlimited())
        .unwrap_err()
        .to_string();
    assert!(
        text.starts_with(
            "the number of agents the run would create (initial staff and hires) is about"
        ),
        "{text}"
    );
    // A roster that is a device: refused, not read without end.
    let (s, dir) = load("tests/bad_inputs/resources_roster_device.toml");
    let text = simulate_with_limit(&s, Some(&dir), &opts, &limit)
        .unwrap_err()
        .to_string();
    assert_eq!(
        text,
        "/dev/zero: cannot read the roster: not a regular file"
    );
}

#[test]
fn the_cli_names_the_limit_and_how_to_raise_it() {
    let dir = tempfile::tempdir().unwrap();
    let run = |limit: &str, agents: &str| {
        bin()
            .env("SISANDBOX_MAX_MEMORY", limit)
            .args([
                "run", "--agents", agents, "--years", "40", "-q", "--out", "out",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run("64M", "1000000");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("the limit is 64.0 MB (set by SISANDBOX_MAX_MEMORY); raise it with SISANDBOX_MAX_MEMORY=<size> (for example SISANDBOX_MAX_MEMORY="),
        "{err}"
    );
    // The suggested size covers the estimate it quotes.
    let need: f64 = err
        .split("needs about ")
        .nth(1)
        .and_then(|t| t.split(" GB").next())
        .and_then(|n| n.parse().ok())
        .expect("the estimate in GB");
    let example: f64 = err
        .split("(for example SISANDBOX_MAX_MEMORY=")
        .nth(1)
        .and_then(|t| t.split('G').next())
        .and_then(|n| n.parse().ok())
        .expect("the example size");
    assert!(example >= need, "{err}");
    let out = run("lots", "100");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("SISANDBOX_MAX_MEMORY=\"lots\" is not a size"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
    // Raised, the same kind of run goes through.
    let out = run("1G", "200");
    assert!(out.status.success(), "{}", stderr(&out));
}
