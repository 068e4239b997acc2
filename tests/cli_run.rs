//! End-to-end: the `sisandbox` binary on real scenario files.

mod common;

use common::{repo_arg, sha256, sisandbox};

#[test]
fn no_arguments_runs_the_embedded_default_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = sisandbox(&[], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = dir.path().join("results/default-seed20251125");
    for f in ["series.csv", "agents.csv", "manifest.toml"] {
        assert!(run.join(f).is_file(), "{f} written");
    }
    let manifest = std::fs::read_to_string(run.join("manifest.toml")).unwrap();
    let m: toml::Table = toml::from_str(&manifest).unwrap();
    assert_eq!(m["run"]["months"].as_integer(), Some(480));
    assert_eq!(
        m["scenario"]["simulation"]["agents"].as_integer(),
        Some(3000)
    );
    assert_eq!(
        m["outputs"]["series.csv"].as_str().unwrap(),
        format!("sha256:{}", sha256(&run.join("series.csv")))
    );
    assert!(m["provenance"]
        .as_table()
        .unwrap()
        .values()
        .any(|v| v.as_str().unwrap().contains("国发")));
}

#[test]
fn a_second_run_never_overwrites_the_first_and_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "run",
        &repo_arg("scenarios/baseline.toml"),
        "--agents",
        "600",
        "--years",
        "3",
        "--out",
        "out",
        "-q",
    ];
    for threads in ["1", "2"] {
        let mut a = args.to_vec();
        a.extend(["--threads", threads]);
        let out = sisandbox(&a, dir.path());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let first = dir.path().join("out/baseline-seed20251125");
    let second = dir.path().join("out/baseline-seed20251125-2");
    assert!(first.is_dir() && second.is_dir());
    for f in ["series.csv", "agents.csv"] {
        assert_eq!(
            sha256(&first.join(f)),
            sha256(&second.join(f)),
            "{f} identical on 1 and 2 threads"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no partial folders remain");
}

#[test]
fn bad_overrides_and_files_are_refused_with_the_key_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = sisandbox(
        &[
            "run",
            "--set",
            "careers.quit_rate.contrat=0.1",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `contract`"), "{err}");
    let out = sisandbox(&["run", "--years", "0", "--out", "out"], dir.path());
    assert!(String::from_utf8_lossy(&out.stderr).contains("simulation.years = 0"));
    let out = sisandbox(&["run", "missing.toml", "--out", "out"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
    assert!(
        !dir.path().join("out").exists(),
        "nothing written for refused input"
    );
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for sub in [
        vec!["--help"],
        vec!["run", "--help"],
        vec!["pension", "--help"],
        vec!["docs", "--help"],
    ] {
        let out = sisandbox(&sub, dir.path());
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{sub:?}"
        );
    }
}

#[test]
fn a_roster_run_never_copies_names_or_id_numbers_into_results() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("roster.toml");
    let roster = repo_arg("tests/fixtures/roster_good.csv");
    std::fs::write(
        &scenario,
        format!("name = \"roster\"\n[simulation]\nroster = '{roster}'\nyears = 2\n"),
    )
    .unwrap();
    let out = sisandbox(
        &["run", scenario.to_str().unwrap(), "--out", "out", "-q"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let input = std::fs::read_to_string(&roster).unwrap();
    let identifiers: Vec<&str> = input
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').take(3))
        .filter(|f| !f.trim().is_empty())
        .collect();
    assert!(!identifiers.is_empty());
    let run = dir.path().join("out/roster-seed20251125");
    for f in ["series.csv", "agents.csv", "manifest.toml"] {
        let text = std::fs::read_to_string(run.join(f)).unwrap();
        for id in &identifiers {
            assert!(!text.contains(id), "{f} contains the identifier {id}");
        }
    }
}
