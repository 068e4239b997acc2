//! End-to-end tests of `sisandbox-risk`: a small simulated panel, a tiny model trained in
//! seconds (twice, byte for byte the same), evaluation, scoring of HR files and their errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn exe() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sisandbox-risk"))
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    assert!(!o.status.success(), "should have failed");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A run folder holding the panel of a small synthetic run.
fn panel_run(dir: &Path, seed: u64) -> PathBuf {
    let overrides = vec![
        format!("simulation.seed={seed}"),
        "simulation.agents=600".to_string(),
        "simulation.years=4".to_string(),
    ];
    let loaded = sisandbox::scenario::from_str("", "<test>", &overrides).unwrap();
    let s = &loaded.scenario;
    let agents = sisandbox::population::synthetic(s);
    let opts = sisandbox::engine::RunOptions {
        threads: 1,
        progress: None,
        cancel: None,
    };
    let (_, panel) = sisandbox::engine::run_with_panel(s, agents, &opts).unwrap();
    let run = dir.join(format!("run{seed}"));
    std::fs::create_dir_all(&run).unwrap();
    sisandbox::engine::panel::write_parquet(&run.join("panel.parquet"), s, &panel).unwrap();
    run
}

fn train(run: &Path, out: &Path, model: &str) -> Output {
    exe()
        .args(["--threads", "1", "train"])
        .arg(run)
        .args([
            "--horizon",
            "6",
            "--model",
            model,
            "--epochs",
            "2",
            "--seed",
            "7",
            "-q",
        ])
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn trains_reproducibly_evaluates_and_scores() {
    let tmp = tempfile::tempdir().unwrap();
    let run = panel_run(tmp.path(), 11);
    let other = panel_run(tmp.path(), 12);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let t0 = std::time::Instant::now();
    ok(&train(&run, &a, "lstm"));
    assert!(
        t0.elapsed().as_secs() < 120,
        "a tiny model trains in seconds"
    );
    ok(&train(&run, &b, "lstm"));
    for f in ["model.json", "lstm.bpk"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between two trainings with the same seed"
        );
    }
    let again = train(&run, &a, "lstm");
    assert!(err(&again).contains("already exists"));

    let out = ok(&exe()
        .args(["--threads", "1", "evaluate"])
        .arg(&a)
        .arg(&other)
        .arg("--json")
        .arg("--out")
        .arg(tmp.path().join("eval"))
        .output()
        .unwrap());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in [
        "auc",
        "pr_auc",
        "brier",
        "horizon_months",
        "positives",
        "negatives",
        "baseline_auc",
    ] {
        assert!(v.get(k).is_some(), "{k} missing from {out}");
    }
    assert!(v["positives"].as_u64().unwrap() > 0);
    assert!(tmp.path().join("eval/calibration.csv").is_file());
    assert!(tmp.path().join("eval/calibration.png").is_file());

    // Scoring a run twice gives the same bytes.
    for d in ["s1", "s2"] {
        ok(&exe()
            .args(["--threads", "1", "score"])
            .arg(&a)
            .arg(&other)
            .arg("--out")
            .arg(tmp.path().join(d))
            .output()
            .unwrap());
    }
    assert_eq!(
        std::fs::read(tmp.path().join("s1/warnings.csv")).unwrap(),
        std::fs::read(tmp.path().join("s2/warnings.csv")).unwrap()
    );

    // An HR file: UTF-8 CSV with Chinese headers, and the same in GBK.
    let csv = "工号,月份,用工类型,性别,年龄,工资,缴费基数,养老缴费,配偶参保,赡养人数\n\
               T001,2025-01,临时,女,28,6000,6000,1440,是,2\n\
               T001,2025-02,临时,女,28,6000,6000,0,是,2\n\
               E001,2025-01,事业编,男,45,15000,15000,3600,否,0\n\
               E001,2025-02,事业编,男,45,15000,15000,3600,否,0\n";
    let utf8 = tmp.path().join("hr.csv");
    std::fs::write(&utf8, csv).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let gbk_path = tmp.path().join("hr-gbk.csv");
    std::fs::write(&gbk_path, &gbk).unwrap();
    for (f, d) in [(&utf8, "hr1"), (&gbk_path, "hr2")] {
        ok(&exe()
            .args(["--threads", "1", "score"])
            .arg(&a)
            .arg(f)
            .arg("--out")
            .arg(tmp.path().join(d))
            .output()
            .unwrap());
    }
    let s1 = std::fs::read_to_string(tmp.path().join("hr1/summary.csv")).unwrap();
    assert_eq!(
        s1,
        std::fs::read_to_string(tmp.path().join("hr2/summary.csv")).unwrap()
    );
    let w = std::fs::read_to_string(tmp.path().join("hr1/warnings.csv")).unwrap();
    assert!(!w.contains("2025") || w.contains("T001") || w.contains("E001"));

    let audit = ok(&exe()
        .args(["--threads", "1", "audit"])
        .arg(&a)
        .arg(&other)
        .arg("--out")
        .arg(tmp.path().join("audit"))
        .output()
        .unwrap());
    assert!(audit.contains("track"), "{audit}");
    let card = std::fs::read_to_string(tmp.path().join("audit/model_card.md")).unwrap();
    assert!(card.contains("## Limits") && card.contains("AUC"));
}

#[test]
fn malformed_history_files_name_file_row_and_column_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let run = panel_run(tmp.path(), 21);
    let model = tmp.path().join("m");
    ok(&train(&run, &model, "logistic"));
    let header = "staff_number,month,track,sex,age,wage,base,pension_contributions\n";
    let cases: [(&str, Vec<u8>, &[&str]); 4] = [
        (
            "missing.csv",
            b"staff_number,month,track,sex,age,wage,pension_contributions\nA1,2025-01,contract,female,30,1,1,1\n".to_vec(),
            &["missing.csv", "row 1", "`base`"],
        ),
        (
            "order.csv",
            format!("{header}A1,2025-03,contract,female,30,8000,8000,1920\nA1,2025-02,contract,female,30,8000,8000,1920\n").into_bytes(),
            &["order.csv", "row 3", "`month`"],
        ),
        (
            "single.csv",
            format!("{header}A1,2025-03,contract,female,30,8000,8000,1920\nB2,2025-03,contract,male,40,9000,9000,2160\n").into_bytes(),
            &["single.csv", "row 2", "`month`", "single month"],
        ),
        (
            "encoding.csv",
            [header.as_bytes(), b"A1,2025-03,contract,female,30,8000,8000,1920\n\xff\xfe\x80,2025-04\n"].concat(),
            &["encoding.csv", "line 3", "neither UTF-8 nor GBK"],
        ),
    ];
    for (name, bytes, needles) in cases {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out_dir = tmp.path().join(format!("out-{name}"));
        let e = err(&exe()
            .arg("score")
            .arg(&model)
            .arg(&path)
            .arg("--out")
            .arg(&out_dir)
            .output()
            .unwrap());
        for n in needles {
            assert!(e.contains(n), "{name}: `{n}` not in: {e}");
        }
        assert!(!out_dir.exists(), "{name}: output left behind");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "{name}: partial folder left");
    }
}
