//! `sisandbox stress` end to end: a small grid gives a table whose values match the runs'
//! series and a heat map in PNG and SVG; a grid killed half way (and one with finished cells
//! removed) resumes to byte-identical files; bad arguments are refused naming the key, before
//! any folder is created.

mod common;

use common::{bin, ok_stderr, sisandbox};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A 2 × 3 grid of a small population over a few years: the employer's enterprise pension
/// rate across, the contract staff's quit rate up.
const GRID: [&str; 10] = [
    "stress",
    "--vary",
    "insurance.pension.enterprise_employer_rate=0.12..0.20:2",
    "--vary",
    "careers.quit_rate.contract=0.02..0.10:3",
    "--set",
    "simulation.agents=120",
    "--set",
    "simulation.years=5",
    "-q",
];

fn grid(metric: &str, out: &str, extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = GRID.iter().map(|s| s.to_string()).collect();
    a.extend(["--metric", metric, "--out", out].map(String::from));
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn run_grid(cwd: &Path, metric: &str, out: &str, extra: &[&str]) -> String {
    let args = grid(metric, out, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok_stderr(&sisandbox(&args, cwd))
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Width and height of a PNG from its IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{} is a PNG", path.display());
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

#[test]
fn a_small_grid_gives_the_table_of_the_runs_and_a_heat_map() {
    let tmp = tempfile::tempdir().unwrap();
    run_grid(tmp.path(), "employer_cost", "st", &["--jobs", "2"]);
    let dir = tmp.path().join("st");
    let cells = read_csv(&dir.join("stress-employer_cost.csv"));
    assert_eq!(cells.len(), 6, "2 x 3 cells");
    let rate = "insurance.pension.enterprise_employer_rate";
    let quit = "careers.quit_rate.contract";
    let levels: Vec<(&str, &str)> = cells
        .iter()
        .map(|c| (c[rate].as_str(), c[quit].as_str()))
        .collect();
    assert_eq!(
        levels,
        [
            ("0.12", "0.02"),
            ("0.12", "0.06"),
            ("0.12", "0.1"),
            ("0.2", "0.02"),
            ("0.2", "0.06"),
            ("0.2", "0.1")
        ]
    );
    // Each cell's value is the last year's employer cost of its run, read independently
    // from the sweep's assembled series.csv.
    let series = read_csv(&dir.join("sweep/series.csv"));
    let last = series
        .iter()
        .map(|r| r["year"].parse::<i32>().unwrap())
        .max()
        .unwrap();
    for c in &cells {
        assert_eq!(c["year"], last.to_string());
        assert_eq!(c["unit"], "yuan");
        let want: f64 = series
            .iter()
            .filter(|r| {
                r["variant"] == c["variant"]
                    && r["year"] == last.to_string()
                    && r["group"] == "university"
                    && r["metric"] == "employer_cost"
                    && r["key"].ends_with("/total")
            })
            .map(|r| r["value"].parse::<f64>().unwrap())
            .sum();
        let got: f64 = c["value"].parse().unwrap();
        assert!(
            want > 0.0 && (got - want).abs() <= 1e-6 * want,
            "{c:?}: {want}"
        );
    }
    // A higher employer rate costs the employer more, at every quit rate.
    let cost = |i: usize| cells[i]["value"].parse::<f64>().unwrap();
    for j in 0..3 {
        assert!(cost(3 + j) > cost(j), "{} vs {}", cost(3 + j), cost(j));
    }
    assert_eq!(
        png_size(&dir.join("heatmap-employer_cost.png")),
        (1400, 900)
    );
    let svg = std::fs::read_to_string(dir.join("heatmap-employer_cost.svg")).unwrap();
    for text in [
        "insurance.pension.enterprise_employer_rate (share)",
        "careers.quit_rate.contract (per year)",
        "employer_cost (yuan)",
        "WenQuanYi Micro Hei",
    ] {
        assert!(svg.contains(text), "the SVG shows {text}");
    }
    let runs = read_csv(&dir.join("stress-employer_cost-runs.csv"));
    assert_eq!(runs.len(), 6);
    // The manifest holds the SHA-256 of every file.
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("manifest-employer_cost.toml")).unwrap())
            .unwrap();
    let outputs = manifest["outputs"].as_table().unwrap();
    assert_eq!(outputs.len(), 4);
    for (name, sha) in outputs {
        use sha2::{Digest, Sha256};
        let got = format!(
            "sha256:{:x}",
            Sha256::digest(std::fs::read(dir.join(name)).unwrap())
        );
        assert_eq!(sha.as_str().unwrap(), got, "{name}");
    }
    assert_eq!(manifest["metric"]["name"].as_str(), Some("employer_cost"));

    // Another metric in the same folder reuses every run.
    let err = run_grid(
        tmp.path(),
        "dependency_ratio",
        "st",
        &["--fund", "sichuan/enterprise"],
    );
    let _ = err;
    let ratio = read_csv(&dir.join("stress-dependency_ratio.csv"));
    assert_eq!(ratio.len(), 6);
    assert!(ratio.iter().all(|c| c["fund"] == "sichuan/enterprise"));
    let out = sisandbox(
        &grid("balance_ratio", "st", &[])
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "-q")
            .collect::<Vec<_>>(),
        tmp.path(),
    );
    let err = ok_stderr(&out);
    assert!(err.contains("ran 0, skipped 6 already complete"), "{err}");
    assert!(png_size(&dir.join("heatmap-balance_ratio.png")).0 > 0);
}

fn complete_runs(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("sweep/runs"))
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.starts_with("run-") && n.ends_with(".csv") && !n.contains(".series")
                })
                .count()
        })
        .unwrap_or(0)
}

/// Asserts two trees hold the same files with the same bytes, except the `command` line of
/// the manifests (the only line that may differ, as in a run's manifest).
fn assert_same(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    let names = |t: &BTreeMap<PathBuf, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: the same files");
    let strip = |p: &Path, bytes: &[u8]| -> Vec<u8> {
        if p.to_string_lossy().starts_with("manifest-") {
            String::from_utf8_lossy(bytes)
                .lines()
                .filter(|l| !l.starts_with("command = "))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes()
        } else {
            bytes.to_vec()
        }
    };
    let differ: Vec<&PathBuf> = a
        .iter()
        .filter(|(p, bytes)| strip(p, bytes) != strip(p, &b[*p]))
        .map(|(p, _)| p)
        .collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn a_grid_killed_half_way_or_missing_cells_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    // Reference, uninterrupted, two runs at a time (run from its own folder so the recorded
    // command, with its relative --out, is the same).
    run_grid(&a, "exhaustion_year", "st", &["--jobs", "2"]);
    let reference = tree(&a.join("st"));
    assert!(reference.contains_key(Path::new("heatmap-exhaustion_year.png")));

    // Killed once two runs are complete.
    let args = grid("exhaustion_year", "st", &["--jobs", "1"]);
    let mut child = bin()
        .args(&args)
        .current_dir(&b)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    let st = b.join("st");
    while complete_runs(&st) < 2 && child.try_wait().unwrap().is_none() {
        assert!(t0.elapsed() < Duration::from_secs(300), "no run completed");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = complete_runs(&st);
    assert!(done >= 2, "{done} runs complete");
    if done < 6 {
        assert!(
            !st.join("heatmap-exhaustion_year.png").exists(),
            "no heat map before the grid is complete"
        );
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = ok_stderr(&sisandbox(
        &args
            .iter()
            .copied()
            .filter(|a| *a != "-q")
            .collect::<Vec<_>>(),
        &b,
    ));
    assert!(
        err.contains(&format!("skipped {done} already complete")),
        "{err}"
    );
    assert_same(&tree(&st), &reference, "resumed after a kill");

    // Finished cells removed (with the outputs drawn from them): rerun, same bytes.
    for id in [1, 4] {
        for suffix in [".csv", ".series.csv"] {
            std::fs::remove_file(st.join(format!("sweep/runs/run-{id:06}{suffix}"))).unwrap();
        }
    }
    std::fs::remove_file(st.join("heatmap-exhaustion_year.svg")).unwrap();
    std::fs::remove_file(st.join("sweep/series.csv")).unwrap();
    let err = ok_stderr(&sisandbox(
        &args
            .iter()
            .copied()
            .filter(|a| *a != "-q")
            .collect::<Vec<_>>(),
        &b,
    ));
    assert!(err.contains("ran 2, skipped 4"), "{err}");
    assert_same(&tree(&st), &reference, "resumed after cells were removed");

    // The same folder with another grid is refused, naming the difference.
    let mut other = grid("exhaustion_year", "st", &[]);
    other[2] = "insurance.pension.enterprise_employer_rate=0.12..0.20:3".into();
    let out = sisandbox(&other.iter().map(String::as_str).collect::<Vec<_>>(), &b);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds a different stress grid"), "{err}");
}

#[test]
fn bad_arguments_are_refused_naming_the_key_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let rate = "careers.conversion_rate";
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--vary".into(), "careers.conversion_rat=0..0.1:3".into()],
            "did you mean `conversion_rate`",
        ),
        (
            vec!["--vary".into(), "careers.nonsense=0..0.1:3".into()],
            "careers.nonsense",
        ),
        (
            vec!["--vary".into(), format!("{rate}=0..0.1:0")],
            "0 steps gives an empty grid",
        ),
        (
            vec!["--vary".into(), format!("{rate}=0.1:3")],
            "expected LOW..HIGH",
        ),
        (
            vec!["--vary".into(), format!("{rate}=0..1.5:3")],
            "HIGH = 1.5 is outside the key's allowed range (0 to 1)",
        ),
        (
            vec!["--vary".into(), format!("{rate}=-0.1..0.1:3")],
            "LOW = -0.1 is outside the key's allowed range",
        ),
        (
            vec!["--vary".into(), format!("{rate}=0.2..0.1:3")],
            "is above HIGH",
        ),
        (
            vec![
                "--vary".into(),
                format!("{rate}=0..0.1:3"),
                "--vary".into(),
                format!("{rate}=0..0.1:2"),
            ],
            "varied twice",
        ),
        (
            vec![
                "--vary".into(),
                format!("{rate}=0..0.1:3"),
                "--vary".into(),
                "careers.quit_rate.contract=0..0.1:2".into(),
                "--vary".into(),
                "simulation.agents=100..200:2".into(),
            ],
            "one or two axes",
        ),
    ];
    for (vary, want) in cases {
        let mut args = vec!["stress".to_string()];
        args.extend(vary);
        args.extend(["--metric", "exhaustion_year", "--out", "st"].map(String::from));
        let out = sisandbox(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            tmp.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            !tmp.path().join("st").exists(),
            "{args:?} created the folder"
        );
    }
    let vary = format!("{rate}=0..0.1:2");
    let metric_cases: [(&[&str], &str); 5] = [
        (
            &["--metric", "exhaustion"],
            "--metric exhaustion: unknown metric; one of exhaustion_year",
        ),
        (
            &["--metric", "exhaustion_year", "--fund", "mars/enterprise"],
            "--fund mars/enterprise: no such pooled fund",
        ),
        (
            &["--metric", "fund_balance", "--year", "1990"],
            "--year 1990: outside the simulated years",
        ),
        (
            &["--metric", "replacement_rate", "--year", "2030"],
            "--year does not apply to --metric replacement_rate",
        ),
        (
            &["--metric", "fund_balance", "--replications", "0"],
            "--replications",
        ),
    ];
    for (extra, want) in metric_cases {
        let mut args = vec!["stress", "--vary", &vary, "--out", "st"];
        args.extend(extra);
        let out = sisandbox(&args, tmp.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!tmp.path().join("st").exists());
    }
}
