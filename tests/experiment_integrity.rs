//! Who owns a sweep folder and whether its files can be trusted: `sweep --out` never takes
//! over or clears a folder it did not write; `merge` refuses empty or truncated per-run files
//! and never deletes the temporaries of shards still running; the plan records the roster's
//! hash, so a roster edited between shards is not mixed in; a huge sample count is refused
//! at once with a clear message.

mod common;

use common::{lossy, sisandbox};
use sisandbox::experiment::{sweep::plan_text, SweepPlan};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Two variants × 2 replications on a tiny population: 4 runs.
const SWEEP: &str = r#"
name = "t"
replications = 2
seed = 3
set = ["simulation.agents=120", "simulation.years=2"]

[[parameters]]
path = "careers.conversion_rate"
values = [0.0, 0.05]
"#;

fn write_sweep(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("sweep.toml");
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_sweep_never_takes_over_a_folder_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = write_sweep(tmp.path(), SWEEP);
    let theirs = tmp.path().join("thesis");
    fs::create_dir_all(theirs.join("runs")).unwrap();
    fs::write(theirs.join("chapter1.tex"), "mine").unwrap();
    fs::write(theirs.join("runs/notes.txt"), "mine too").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["sweep", sweep.to_str().unwrap(), "--out", "thesis", "-q"];
        args.extend_from_slice(extra);
        let o = sisandbox(&args, tmp.path());
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(
            lossy(&o.stderr).contains("did not write"),
            "{}",
            lossy(&o.stderr)
        );
    }
    assert_eq!(
        fs::read_to_string(theirs.join("chapter1.tex")).unwrap(),
        "mine"
    );
    assert_eq!(
        fs::read_to_string(theirs.join("runs/notes.txt")).unwrap(),
        "mine too"
    );
    assert!(!theirs.join("plan.toml").exists());
    // Its own folder resumes; a new or empty folder is fine.
    let o = sisandbox(
        &["sweep", sweep.to_str().unwrap(), "--out", "own", "-q"],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", lossy(&o.stderr));
    let o = sisandbox(
        &["sweep", sweep.to_str().unwrap(), "--out", "own", "-q"],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", lossy(&o.stderr));
}

#[test]
fn merge_refuses_damaged_run_files_and_leaves_running_shards_temporaries() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = write_sweep(tmp.path(), SWEEP);
    for i in 0..2 {
        let shard = format!("{i}/2");
        let out = format!("s{i}");
        let o = sisandbox(
            &[
                "sweep",
                sweep.to_str().unwrap(),
                "--shard",
                &shard,
                "--out",
                &out,
                "-q",
            ],
            tmp.path(),
        );
        assert!(o.status.success(), "{}", lossy(&o.stderr));
    }
    let run1 = tmp.path().join("s1/runs/run-000001.csv");
    let whole = fs::read(&run1).unwrap();
    // Truncated mid-line, then empty: each is an error naming the file.
    for damaged in [&whole[..whole.len() - 3], &b""[..]] {
        fs::write(&run1, damaged).unwrap();
        let target = tmp.path().join("m");
        let _ = fs::remove_dir_all(&target);
        let o = sisandbox(&["merge", "m", "s0", "s1"], tmp.path());
        let err = lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("run-000001.csv") && err.contains("truncated"),
            "{err}"
        );
        assert!(!target.join("runs.csv").exists());
    }
    fs::write(&run1, &whole).unwrap();
    // A shard still writing into the merge folder: its temporary is left alone.
    let target = tmp.path().join("m");
    let _ = fs::remove_dir_all(&target);
    fs::create_dir_all(target.join("runs")).unwrap();
    let pending = target.join("runs/.run-000003.csv.4242-0.tmp");
    fs::write(&pending, "group,key").unwrap();
    let o = sisandbox(&["merge", "m", "s0", "s1"], tmp.path());
    assert!(o.status.success(), "{}", lossy(&o.stderr));
    assert!(pending.exists(), "a running shard's temporary was deleted");
    assert!(target.join("runs.csv").is_file());
}

#[test]
fn the_plan_records_the_roster_so_an_edited_roster_is_not_mixed_in() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    fs::copy(
        fixtures.join("roster_good.csv"),
        tmp.path().join("staff.csv"),
    )
    .unwrap();
    fs::write(
        tmp.path().join("base.toml"),
        "name = \"r\"\n[simulation]\nroster = \"staff.csv\"\nyears = 1\n",
    )
    .unwrap();
    let sweep = write_sweep(
        tmp.path(),
        "name = \"r\"\nscenario = \"base.toml\"\nreplications = 1\n\
         [[parameters]]\npath = \"careers.conversion_rate\"\nvalues = [0.0, 0.05]\n",
    );
    let before = plan_text(&SweepPlan::load(&sweep).unwrap());
    assert!(before.contains("roster_sha256"), "{before}");
    // One row's wage edited: the plan differs, so a second shard refuses the first's folder.
    let roster = fs::read_to_string(tmp.path().join("staff.csv")).unwrap();
    fs::write(tmp.path().join("staff.csv"), format!("{roster}\n")).unwrap();
    let after = plan_text(&SweepPlan::load(&sweep).unwrap());
    assert_ne!(before, after);
}

#[test]
fn a_huge_sample_count_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = write_sweep(
        tmp.path(),
        "name = \"big\"\nreplications = 1\ndesign = \"lhs\"\nsamples = 1000000\n\
         [[parameters]]\npath = \"careers.conversion_rate\"\nmin = 0.0\nmax = 0.1\n",
    );
    let t0 = Instant::now();
    let e = SweepPlan::load(&sweep).unwrap_err().to_string();
    assert!(t0.elapsed().as_secs() < 10, "{:?}", t0.elapsed());
    assert!(
        e.contains("samples = 1000000") && e.contains("split the sweep"),
        "{e}"
    );
    // A missing sweep file says why once.
    let o = sisandbox(&["sweep", "missing.toml"], tmp.path());
    let err = lossy(&o.stderr);
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
}
