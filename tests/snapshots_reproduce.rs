//! `sisandbox run --snapshots` records snapshots.csv's SHA-256 in the manifest, and
//! `sisandbox reproduce` takes the snapshots again and checks them (on another thread count
//! too), and reports an edited snapshots.csv.

mod common;

use common::{ok, sisandbox};
use std::fs;

#[test]
fn snapshots_are_hashed_in_the_manifest_and_reproduced() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&sisandbox(
        &[
            "run",
            "--agents",
            "300",
            "--years",
            "3",
            "--seed",
            "4",
            "--threads",
            "1",
            "--snapshots",
            "--out",
            "r",
            "-q",
        ],
        tmp.path(),
    ));
    let run = fs::read_dir(tmp.path().join("r"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let manifest = run.join("manifest.toml");
    let m: toml::Table = toml::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    let recorded = m["outputs"]["snapshots.csv"].as_str().unwrap().to_string();
    assert!(recorded.starts_with("sha256:"), "{recorded}");
    for f in ["series.csv", "agents.csv"] {
        assert!(m["outputs"].get(f).is_some(), "{f} still recorded");
    }

    let out = ok(&sisandbox(
        &[
            "reproduce",
            manifest.to_str().unwrap(),
            "--out",
            "again",
            "--threads",
            "2",
        ],
        tmp.path(),
    ));
    assert!(out.contains("ok        snapshots.csv"), "{out}");
    assert!(out.contains("reproduced"), "{out}");
    let again = fs::read_dir(tmp.path().join("again"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(
        fs::read(run.join("snapshots.csv")).unwrap(),
        fs::read(again.join("snapshots.csv")).unwrap()
    );
    let m2: toml::Table =
        toml::from_str(&fs::read_to_string(again.join("manifest.toml")).unwrap()).unwrap();
    assert_eq!(
        m2["outputs"]["snapshots.csv"].as_str(),
        Some(recorded.as_str())
    );

    // An edited snapshots.csv beside the manifest is reported.
    let path = run.join("snapshots.csv");
    let mut text = fs::read_to_string(&path).unwrap();
    let row = format!("{}\n", text.lines().nth(1).unwrap());
    text.push_str(&row);
    fs::write(&path, text).unwrap();
    let o = sisandbox(
        &["reproduce", manifest.to_str().unwrap(), "--out", "again"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("MISMATCH  snapshots.csv (original)"),
        "{stdout}"
    );
}
