//! End-to-end tests of `sisandbox compare`, `reproduce` and `plot` as a binary, on small runs
//! and sweeps. Every PNG written is opened and checked for its size and that it is not blank.

mod common;

use common::{ok, sisandbox};
use std::fs;
use std::path::{Path, PathBuf};

fn run(dir: &Path, extra: &[&str]) {
    let mut args = vec![
        "run", "-q", "--agents", "300", "--years", "8", "--out", "runs",
    ];
    args.extend_from_slice(extra);
    ok(&sisandbox(&args, dir));
}

/// Three runs: a baseline, a reform with the same seed, and the baseline with another seed.
fn three_runs(dir: &Path) -> [PathBuf; 3] {
    run(dir, &["--seed", "7"]);
    run(
        dir,
        &["--seed", "7", "--set", "careers.conversion_rate=0.2"],
    );
    run(dir, &["--seed", "8"]);
    let r = dir.join("runs");
    [
        r.join("default-seed7"),
        r.join("default-seed7-2"),
        r.join("default-seed8"),
    ]
}

#[test]
fn compare_prints_pairs_by_id_when_seeds_match_and_writes_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let [a, b, c] = three_runs(tmp.path());
    let csv = tmp.path().join("cmp.csv");
    let out = ok(&sisandbox(
        &[
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            c.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
        tmp.path(),
    ));
    assert!(
        out.contains("vs default-seed7-2: paired by agent id"),
        "{out}"
    );
    assert!(out.contains("vs default-seed8: unpaired"), "{out}");
    assert!(out.contains("== replacement_final_wage") && out.contains("track=establishment"));
    let text = fs::read_to_string(&csv).unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let find = |run: &str, metric: &str| {
        rows.iter()
            .find(|r| {
                &r[col("run")] == run && &r[col("metric")] == metric && &r[col("group")] == "all"
            })
            .unwrap()
            .clone()
    };
    let paired = find("default-seed7-2", "pension_contributions");
    assert_eq!(&paired[col("diff_paired")], "true");
    // Compared at the runs' last month, over the initial staff in the same state in both.
    assert_eq!(&paired[col("at")], "2032-12");
    assert_eq!(&paired[col("diff_population")], "300");
    let pairs: usize = paired[col("diff_pairs")].parse().unwrap();
    assert!(pairs > 100 && pairs <= 300, "{pairs} pairs");
    let gain: f64 = paired[col("share_gain")].parse().unwrap();
    let loss: f64 = paired[col("share_loss")].parse().unwrap();
    assert!((0.0..=1.0).contains(&(gain + loss)));
    let unpaired = find("default-seed8", "pension_contributions");
    assert_eq!(&unpaired[col("diff_paired")], "false");
    assert_eq!(&unpaired[col("share_gain")], "");
    // The reference's own mean equals the mean of its agents.csv column.
    let reference = find("default-seed7", "pension_contributions");
    let agents = fs::read_to_string(a.join("agents.csv")).unwrap();
    let mut ar = csv::Reader::from_reader(agents.as_bytes());
    let pc = ar
        .headers()
        .unwrap()
        .iter()
        .position(|x| x == "pension_contributions")
        .unwrap();
    let status = ar
        .headers()
        .unwrap()
        .iter()
        .position(|x| x == "status")
        .unwrap();
    // Contributions paid so far, of the agents alive at the date.
    let vals: Vec<f64> = ar
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[status] != "dead")
        .map(|r| r[pc].parse().unwrap())
        .collect();
    let mean = vals.iter().sum::<f64>() / vals.len() as f64;
    let got: f64 = reference[col("mean")].parse().unwrap();
    assert!((got - mean).abs() < 1e-6 * mean, "{got} vs {mean}");
    // Winners and losers of the paired run only: five band shares adding up to 1 in each row,
    // with rows for every income decile.
    assert!(
        out.contains("winners and losers, default-seed7-2 against default-seed7"),
        "{out}"
    );
    let winners = fs::read_to_string(tmp.path().join("cmp-winners-default-seed7-2.csv")).unwrap();
    assert!(
        !tmp.path().join("cmp-winners-default-seed8.csv").exists(),
        "unpaired runs have none"
    );
    let mut wr = csv::Reader::from_reader(winners.as_bytes());
    let deciles: std::collections::BTreeSet<String> = wr
        .records()
        .map(Result::unwrap)
        .inspect(|r| {
            let total: f64 = (4..9).map(|i| r[i].parse::<f64>().unwrap()).sum();
            assert!((total - 1.0).abs() < 1e-5, "{r:?}");
        })
        .filter(|r| &r[1] == "income_decile")
        .map(|r| r[2].to_string())
        .collect();
    assert_eq!(deciles.len(), 10);
    // One folder is not a comparison; a missing folder is an error, not a panic.
    let out = sisandbox(&["compare", a.to_str().unwrap(), "nowhere"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
}

#[test]
fn reproduce_checks_every_hash_and_reports_a_mismatch() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/overlay.toml");
    ok(&sisandbox(
        &[
            "run",
            "-q",
            fixtures.to_str().unwrap(),
            "--agents",
            "300",
            "--years",
            "5",
            "--out",
            "runs",
        ],
        tmp.path(),
    ));
    let run_dir = fs::read_dir(tmp.path().join("runs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let manifest = run_dir.join("manifest.toml");
    let out = ok(&sisandbox(
        &[
            "reproduce",
            manifest.to_str().unwrap(),
            "--out",
            "again",
            "--threads",
            "1",
        ],
        tmp.path(),
    ));
    assert!(
        out.contains("ok        agents.csv") && out.contains("ok        series.csv"),
        "{out}"
    );
    assert!(out.contains("reproduced"), "{out}");
    let again = fs::read_dir(tmp.path().join("again"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for f in ["series.csv", "agents.csv"] {
        assert_eq!(
            fs::read(run_dir.join(f)).unwrap(),
            fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
    // A tampered hash is reported and fails.
    let text = fs::read_to_string(&manifest).unwrap();
    let tampered = tmp.path().join("tampered.toml");
    let i = text.find("\"series.csv\" = \"sha256:").unwrap() + 23;
    let mut t = text.clone();
    t.replace_range(i..i + 4, "0000");
    fs::write(&tampered, t).unwrap();
    let out = sisandbox(
        &["reproduce", tampered.to_str().unwrap(), "--out", "again"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("MISMATCH  series.csv"), "{stdout}");
    assert!(stdout.contains("ok        agents.csv"), "{stdout}");
    // Not a manifest.
    fs::write(&tampered, "[run]\nseed = 1\n").unwrap();
    let out = sisandbox(&["reproduce", tampered.to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no [scenario] table"));
}

/// Opens a PNG and checks its size and that it is not blank: many pixels differ from the
/// background (the corner) and several colours are used.
fn check_png(path: &Path) {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8();
    let (w, h) = img.dimensions();
    assert!(w >= 400 && h >= 300, "{}: {w}x{h}", path.display());
    let bg = *img.get_pixel(0, 0);
    let drawn = img.pixels().filter(|p| **p != bg).count();
    assert!(
        drawn * 100 > (w * h) as usize,
        "{}: only {drawn} drawn pixels",
        path.display()
    );
    let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() >= 8,
        "{}: {} colours",
        path.display(),
        colours.len()
    );
}

#[test]
fn every_figure_kind_renders_from_run_and_sweep_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let [a, b, _] = three_runs(tmp.path());
    let (a, b) = (
        a.to_str().unwrap().to_string(),
        b.to_str().unwrap().to_string(),
    );
    fs::write(
        tmp.path().join("grid.toml"),
        "replications = 3\nseed = 5\nset = [\"simulation.agents=200\", \"simulation.years=4\"]\n\
         [[parameters]]\npath = \"careers.conversion_rate\"\nvalues = [0.0, 0.2]\n",
    )
    .unwrap();
    fs::write(
        tmp.path().join("morris.toml"),
        "replications = 1\nseed = 5\ndesign = \"morris\"\ntrajectories = 3\nseries = false\n\
         set = [\"simulation.agents=200\", \"simulation.years=3\"]\n\
         [[parameters]]\npath = \"careers.conversion_rate\"\nmin = 0.0\nmax = 0.2\n\
         [[parameters]]\npath = \"careers.wage_growth\"\nmin = 0.0\nmax = 0.05\n",
    )
    .unwrap();
    ok(&sisandbox(
        &["sweep", "grid.toml", "--out", "grid", "-q"],
        tmp.path(),
    ));
    ok(&sisandbox(
        &["sweep", "morris.toml", "--out", "morris", "-q"],
        tmp.path(),
    ));
    let commands: Vec<Vec<&str>> = vec![
        vec!["dist", &a, &b, "--metric", "replacement_final_wage"],
        vec![
            "dist",
            &a,
            &b,
            "--metric",
            "pension_contributions",
            "--group",
            "track",
            "--key",
            "contract",
        ],
        vec![
            "box",
            &a,
            &b,
            "--metric",
            "pension_contributions",
            "--by",
            "track",
        ],
        vec!["dist", "grid", "--metric", "employer_contributions"],
        vec!["box", "grid", "--metric", "employer_contributions"],
        vec!["bands", "grid", "--metric", "staff"],
        vec!["morris", "morris", "--metric", "employer_contributions"],
    ];
    let mut pngs = 0;
    for c in &commands {
        let mut args = vec!["plot"];
        args.extend_from_slice(c);
        args.extend_from_slice(&["--out", "figs"]);
        let out = ok(&sisandbox(&args, tmp.path()));
        let files: Vec<&str> = out.lines().collect();
        assert!(!files.is_empty(), "{c:?} wrote nothing");
        for f in files {
            let p = tmp.path().join(f);
            assert!(p.is_file(), "{f}");
            if f.ends_with(".png") {
                check_png(&p);
                pngs += 1;
            } else {
                let svg = fs::read_to_string(&p).unwrap();
                assert!(svg.starts_with("<svg") && svg.len() > 1000, "{f}");
            }
        }
    }
    assert_eq!(pngs, 10, "two for each dist, one for each other figure");
    let leftovers: Vec<_> = fs::read_dir(tmp.path().join("figs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Bad requests are errors with a message, not panics.
    for bad in [
        vec!["plot", "dist", &a, "--metric", "nope"],
        vec!["plot", "bands", &a, "--metric", "staff"],
        vec!["plot", "morris", "grid", "--metric", "staff"],
        vec!["plot", "bands", "grid", "--metric", "no_such_metric"],
    ] {
        let out = sisandbox(&bad, tmp.path());
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("error: ") && !err.contains("panicked"),
            "{err}"
        );
    }
}
