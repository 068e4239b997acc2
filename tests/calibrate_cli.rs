//! End-to-end: `sisandbox calibrate` as a binary. A small fit (tests/fixtures/targets_small.toml)
//! is written, re-run from its manifest on another thread count and found byte-identical; bad
//! targets files (tests/bad_inputs/targets_*.toml) are refused with the file, line and key of
//! the problem, and nothing is written.

mod common;

use common::{repo_arg, sisandbox, text};
use std::path::Path;

#[test]
fn a_fit_is_written_and_reproduced_byte_for_byte_on_another_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let targets = repo_arg("tests/fixtures/targets_small.toml");
    let o = sisandbox(
        &[
            "calibrate",
            &targets,
            "--out",
            "cal",
            "--threads",
            "1",
            "-q",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    let dir = tmp.path().join("cal/small-seed7");
    for f in [
        "overlay.toml",
        "fit.csv",
        "sensitivity.csv",
        "manifest.toml",
    ] {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    // Nothing but the folder: no temporary or partial files beside it.
    let names: Vec<String> = std::fs::read_dir(tmp.path().join("cal"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["small-seed7".to_string()]);

    // The overlay is a scenario fragment holding the fitted values within their ranges.
    let overlay: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("overlay.toml")).unwrap()).unwrap();
    let q = overlay["careers"]["quit_rate"]["contract"]
        .as_float()
        .unwrap();
    assert!((0.02..=0.2).contains(&q), "{q}");
    let l = overlay["perception"]["leisure_value"]["mean"]
        .as_float()
        .unwrap();
    assert!((0.0..=1.0).contains(&l), "{l}");

    // fit.csv: one row per target with its source; the fit is no worse than the start.
    let fit = std::fs::read_to_string(dir.join("fit.csv")).unwrap();
    let mut lines = fit.lines();
    assert_eq!(
        lines.next().unwrap(),
        "target,moment,value,simulated,simulated_at_start,weight,weighted_squared_deviation,source"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].starts_with("leaving_rate[contract],leaving_rate[contract],0.1,"));
    assert!(rows[1].ends_with(",test value (no publication)"));
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("manifest.toml")).unwrap()).unwrap();
    let cal = manifest["calibration"].as_table().unwrap();
    assert!(cal["objective"].as_float().unwrap() <= cal["objective_at_start"].as_float().unwrap());
    assert_eq!(cal["threads"].as_integer(), Some(1));
    assert_eq!(
        cal["seeds"].as_array().unwrap().len(),
        2,
        "two replications on seeds 7 and 8"
    );

    // sensitivity.csv: each parameter against each target; the contract leaving rate rises
    // with the contract quit rate.
    let sens = std::fs::read_to_string(dir.join("sensitivity.csv")).unwrap();
    let row = sens
        .lines()
        .find(|l| {
            l.starts_with("careers.quit_rate.contract,") && l.contains(",leaving_rate[contract],")
        })
        .expect("sensitivity row");
    let derivative: f64 = row.split(',').nth(4).unwrap().parse().unwrap();
    assert!(
        derivative > 0.3,
        "d leaving rate / d quit rate = {derivative}"
    );

    // Re-run from the manifest on two threads: every output byte-identical.
    let o = sisandbox(
        &[
            "calibrate",
            "--reproduce",
            "cal/small-seed7/manifest.toml",
            "--out",
            "again",
            "--threads",
            "2",
            "-q",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("reproduced"), "{}", text(&o));
    let again = tmp.path().join("again/small-seed7-reproduced");
    for f in ["overlay.toml", "fit.csv", "sensitivity.csv"] {
        assert_eq!(
            std::fs::read(dir.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f} differs at 2 threads"
        );
    }

    // An output edited after the fit is reported.
    std::fs::write(dir.join("fit.csv"), "edited\n").unwrap();
    let o = sisandbox(
        &[
            "calibrate",
            "--reproduce",
            "cal/small-seed7",
            "--out",
            "third",
            "-q",
        ],
        tmp.path(),
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("MISMATCH  fit.csv (original)"),
        "{}",
        text(&o)
    );
}

#[test]
fn bad_targets_files_name_file_line_and_key_and_write_nothing() {
    let cases = [
        ("targets_unknown_key.toml", "targets_unknown_key.toml:12:1: wieght: unknown field"),
        (
            "targets_unreachable.toml",
            "targets_unreachable.toml:10:10: targets[0].moment (deferral_take_up): no parameter of this file moves it",
        ),
        (
            "targets_outside_range.toml",
            "targets_outside_range.toml:11:9: targets[0].value (leaving_rate): 1.5: outside what the moment can take",
        ),
        (
            "targets_missing_source.toml",
            "targets_missing_source.toml:9:1: targets[0].source: missing",
        ),
        (
            "targets_bad_weight.toml",
            "targets_bad_weight.toml:12:10: targets[0].weight: -1: expected a number above 0",
        ),
        (
            "targets_unknown_parameter.toml",
            "targets_unknown_parameter.toml:5:7: parameters[0].key = \"careers.quit_rate.contrakt\": not a scenario key",
        ),
    ];
    for (file, want) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let path = repo_arg(&format!("tests/bad_inputs/{file}"));
        let o = sisandbox(&["calibrate", &path, "--out", "cal"], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{file}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{file}: wanted {want:?} in\n{err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        assert!(
            !tmp.path().join("cal").exists(),
            "{file}: something was written"
        );
    }
}

#[test]
fn shipped_targets_files_load_and_every_target_names_its_source() {
    let dir = repo_arg("scenarios/targets");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().and_then(|x| x.to_str()) != Some("toml") {
            continue;
        }
        let t = sisandbox::calibrate::Targets::load(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            t.scenario.as_deref().is_some_and(Path::is_file),
            "{}",
            path.display()
        );
        for x in &t.targets {
            assert!(
                x.source.len() > 20,
                "{}: {} has no real source",
                path.display(),
                x.name
            );
        }
        n += 1;
    }
    assert!(n >= 2, "the CI-sized and the real-size targets files");
}

#[test]
fn the_shipped_fit_matches_the_established_share_trend() {
    let tmp = tempfile::tempdir().unwrap();
    let targets = repo_arg("scenarios/targets/established-share.toml");
    let o = sisandbox(&["calibrate", &targets, "--out", "cal", "-q"], tmp.path());
    assert!(o.status.success(), "{}", text(&o));
    let fit = std::fs::read_to_string(
        tmp.path()
            .join("cal/established-share-seed20251125/fit.csv"),
    )
    .unwrap();
    let row: Vec<&str> = fit.lines().nth(1).unwrap().split(',').collect();
    let (target, simulated, start): (f64, f64, f64) = (
        row[2].parse().unwrap(),
        row[3].parse().unwrap(),
        row[4].parse().unwrap(),
    );
    assert!((simulated - target).abs() <= (start - target).abs());
    assert!(
        (simulated - target).abs() < 0.002,
        "fitted trend {simulated} against {target}"
    );
}
