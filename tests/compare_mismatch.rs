//! End-to-end: `sisandbox compare` on runs that do not match. A different horizon or initial
//! staff is refused (exit 2, naming both values, no table printed) unless --allow-mismatch,
//! with which other staff are compared with a warning; a different seed or version is compared with a warning; runs of
//! the same set-up are compared without one.

mod common;

use common::{lossy, repo_arg, sisandbox};
use std::collections::BTreeSet;
use std::path::Path;

/// The visible folders of `dir/runs`.
fn folders(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir.join("runs"))
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

/// A small baseline run into `dir/runs`, returning its folder (`runs/NAME`).
fn run(dir: &Path, extra: &[&str]) -> String {
    let before = folders(dir);
    let baseline = repo_arg("scenarios/baseline.toml");
    let mut args = vec!["run", &baseline, "-q", "--out", "runs"];
    args.extend_from_slice(extra);
    let o = sisandbox(&args, dir);
    assert!(o.status.success(), "{}", lossy(&o.stderr));
    let new: Vec<String> = folders(dir).difference(&before).cloned().collect();
    assert_eq!(new.len(), 1, "{new:?}");
    format!("runs/{}", new[0])
}

#[test]
fn mismatched_runs_are_refused_or_compared_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let small = ["--agents", "150", "--years", "2", "--seed", "7"];
    let a = run(d, &small);
    let same = run(d, &small);
    let longer = run(d, &["--agents", "150", "--years", "3", "--seed", "7"]);
    let bigger = run(d, &["--agents", "200", "--years", "2", "--seed", "7"]);
    let other_seed = run(d, &["--agents", "150", "--years", "2", "--seed", "8"]);

    let o = sisandbox(&["compare", &a, &same], d);
    assert!(o.status.success(), "{}", lossy(&o.stderr));
    assert!(
        !lossy(&o.stderr).contains("warning"),
        "{}",
        lossy(&o.stderr)
    );

    for (other, reference_has, other_has) in [
        (&longer, "2 years", "3 years"),
        (&bigger, "150 initial staff", "200 initial staff"),
    ] {
        let o = sisandbox(&["compare", &a, other], d);
        let err = lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{other}: {err}");
        assert!(
            o.stdout.is_empty(),
            "a table was printed: {}",
            lossy(&o.stdout)
        );
        for needle in [
            "not comparable",
            reference_has,
            other_has,
            "--allow-mismatch",
        ] {
            assert!(err.contains(needle), "{other}: `{needle}` not in {err}");
        }
    }
    // Asked to go on, the same horizon with other staff is compared, with a warning. (Runs of
    // other horizons have no common end month to compare agent states at.)
    let o = sisandbox(&["compare", &a, &bigger, "--allow-mismatch"], d);
    let err = lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning") && err.contains("200 initial staff"),
        "{err}"
    );

    let o = sisandbox(&["compare", &a, &other_seed], d);
    let err = lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("warning") && err.contains("seed 8"), "{err}");

    // A run written by another version: compared, with a warning naming both versions.
    let manifest = d.join(&same).join("manifest.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let edited = text.replace(
        &format!("sisandbox_version = \"{}\"", env!("CARGO_PKG_VERSION")),
        "sisandbox_version = \"0.0.1\"",
    );
    assert_ne!(text, edited, "the manifest records the version");
    std::fs::write(&manifest, edited).unwrap();
    let o = sisandbox(&["compare", &a, &same], d);
    let err = lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("warning") && err.contains("sisandbox 0.0.1"),
        "{err}"
    );
}
