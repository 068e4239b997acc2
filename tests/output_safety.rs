//! Where results go and who may write them: a scenario's `name` (in a file, through `--set` or
//! in an edited manifest) is one safe folder name; output files are written through
//! temporaries created exclusively and never replace a device, a folder or a symbolic link;
//! two runs writing the same folder at the same time are refused instead of racing; and
//! `reproduce` checks both the original outputs and the manifest's scenario.

mod common;

use common::{bin, lossy};
use sisandbox::output;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(cwd: &Path, args: &[&str]) -> Output {
    bin()
        .arg("run")
        .args(args)
        .args(["--agents", "200", "--years", "1", "-q"])
        .current_dir(cwd)
        .output()
        .expect("binary runs")
}

/// Every entry under `dir`, recursively.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}

#[test]
fn a_scenario_name_that_is_not_one_folder_name_is_refused_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    fs::create_dir(&work).unwrap();
    for name in [
        "../../escaped",
        "/tmp/escaped-abs",
        ".hidden",
        "a/b",
        "..",
        "",
        "x\\y",
    ] {
        // In a file.
        let f = work.join("s.toml");
        fs::write(&f, format!("name = {}\n", toml::Value::String(name.into()))).unwrap();
        let o = run(&work, &[f.to_str().unwrap(), "--out", "out"]);
        let err = lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name:?}: {err}");
        assert!(
            err.contains("name") && err.contains("letters, digits"),
            "{name:?}: the key and what is allowed: {err}"
        );
        // Through --set.
        let set = format!("name={}", toml::Value::String(name.into()));
        let o = run(&work, &["--set", &set, "--out", "out"]);
        assert_eq!(o.status.code(), Some(2), "--set {name:?}");
        assert!(lossy(&o.stderr).contains("letters, digits"));
    }
    // Nothing was written anywhere: not in the work folder, not above it.
    let written: Vec<_> = tree(tmp.path())
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "s.toml"))
        .filter(|p| p != &work)
        .collect();
    assert!(written.is_empty(), "{written:?}");
    assert!(!Path::new("/tmp/escaped-abs-seed20251125").exists());
    // Names in other scripts are folder names too.
    let o = run(&work, &["--set", "name=\"基线-2025\"", "--out", "out"]);
    assert!(o.status.success(), "{}", lossy(&o.stderr));
    assert!(work
        .join("out/基线-2025-seed20251125/manifest.toml")
        .is_file());
}

#[test]
fn atomic_writes_never_follow_links_or_replace_devices() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // A symbolic link at the target is refused, and the file it points to is untouched.
    let victim = d.join("victim.txt");
    fs::write(&victim, "keep").unwrap();
    #[cfg(unix)]
    {
        let link = d.join("out.csv");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let e = output::write_atomic(&link, |w| w.write_all(b"new")).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        // A FIFO is refused at once instead of being replaced or hanging.
        let fifo = d.join("pipe.csv");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = output::write_atomic(&fifo, |w| w.write_all(b"x")).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }
    // A folder at the target is refused too.
    fs::create_dir(d.join("dir.csv")).unwrap();
    assert!(output::write_atomic(&d.join("dir.csv"), |w| w.write_all(b"x")).is_err());
    // Temporaries are new files: a planted `.NAME.*.tmp` is never written through.
    #[cfg(unix)]
    for n in 0..64 {
        let planted = d.join(format!(".t.csv.{}-{n}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
    }
    output::write_atomic(&d.join("t.csv"), |w| w.write_all(b"fresh")).unwrap();
    assert_eq!(fs::read_to_string(d.join("t.csv")).unwrap(), "fresh");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    // Folder names are checked before anything is joined.
    assert!(output::inside(d, "../x").is_err());
    assert!(output::inside(d, "/etc").is_err());
    assert_eq!(output::inside(d, "ok-1.csv").unwrap(), d.join("ok-1.csv"));
}

#[test]
fn a_second_writer_of_the_same_run_folder_is_refused_and_a_dead_ones_leftovers_are_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    // Another run holds the claim on default-seed5 (as a live process would).
    let lock = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(".default-seed5.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    fs::create_dir(out.join(".default-seed5.partial")).unwrap();
    fs::write(out.join(".default-seed5.partial/series.csv"), "theirs").unwrap();
    let o = run(tmp.path(), &["--seed", "5", "--out", "out"]);
    let err = lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("another sisandbox run is writing"), "{err}");
    assert_eq!(
        fs::read_to_string(out.join(".default-seed5.partial/series.csv")).unwrap(),
        "theirs",
        "the other run's files are left alone"
    );
    assert!(!out.join("default-seed5").exists());
    // Once that process is gone (its lock released), its partial folder is stale: the next
    // run clears it and completes.
    drop(lock);
    let o = run(tmp.path(), &["--seed", "5", "--out", "out"]);
    assert!(o.status.success(), "{}", lossy(&o.stderr));
    assert!(out.join("default-seed5/manifest.toml").is_file());
    let mut left: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["default-seed5"], "no lock or partial folder left");
}

#[test]
fn reproduce_checks_the_original_outputs_and_validates_the_manifest_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["--seed", "3", "--out", "runs"]);
    assert!(o.status.success(), "{}", lossy(&o.stderr));
    let dir = tmp.path().join("runs/default-seed3");
    let manifest = fs::read_to_string(dir.join("manifest.toml")).unwrap();
    let reproduce = |m: &Path| {
        bin()
            .args(["reproduce", m.to_str().unwrap(), "--out", "again"])
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    // An edited result beside its manifest is reported even though the re-run matches.
    let mut agents = fs::read_to_string(dir.join("agents.csv")).unwrap();
    agents.push('\n');
    fs::write(dir.join("agents.csv"), &agents).unwrap();
    let o = reproduce(&dir.join("manifest.toml"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        lossy(&o.stdout).contains("MISMATCH  agents.csv (original)"),
        "{}",
        lossy(&o.stdout)
    );
    assert!(
        lossy(&o.stderr).contains("changed or damaged"),
        "{}",
        lossy(&o.stderr)
    );
    // Edited scenarios are validated like any scenario file: nothing is run.
    fs::remove_dir_all(tmp.path().join("again")).unwrap();
    let edits: [(&str, toml::Value, &str); 3] = [
        ("years", 0.into(), "simulation.years"),
        ("name", "../../escaped".into(), "letters, digits"),
        ("agents", (-5).into(), "simulation.agents"),
    ];
    for (key, value, wanted) in edits {
        let mut m: toml::Table = toml::from_str(&manifest).unwrap();
        let scenario = m["scenario"].as_table_mut().unwrap();
        if key == "name" {
            scenario.insert(key.into(), value);
        } else {
            scenario["simulation"]
                .as_table_mut()
                .unwrap()
                .insert(key.into(), value);
        }
        let edited = tmp.path().join("edited.toml");
        fs::write(&edited, toml::to_string(&m).unwrap()).unwrap();
        let o = reproduce(&edited);
        let err = lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(wanted), "{wanted}: {err}");
        assert!(
            !err.contains("original"),
            "refused before anything else: {err}"
        );
    }
    assert!(!tmp.path().join("again").exists(), "nothing was run");
    assert!(!tmp
        .path()
        .parent()
        .unwrap()
        .join("escaped-seed3-reproduced")
        .exists());
}
