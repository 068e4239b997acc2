//! agents.csv of a roster run: k-anonymous by default, ids that do not follow the roster's
//! order but pair two runs of the same roster and seed, exact facts only when asked, and
//! generated populations written as before (docs/RELIABILITY.md, "Privacy").

mod common;

use common::roster::roster_text;
use common::{ok, ok_stderr, sisandbox};
use sisandbox::anonymise::{DERIVED, QUASI_IDENTIFIERS, WITHHELD};
use sisandbox::roster::{load_roster, load_staff};
use sisandbox::scenario::Scenario;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A folder with `roster.csv` of `n` staff and `roster.toml` running it for `years`.
fn setup(n: usize, years: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.csv"), roster_text(n)).unwrap();
    std::fs::write(
        dir.path().join("roster.toml"),
        format!("name = \"roster\"\n[simulation]\nroster = \"roster.csv\"\nyears = {years}\n"),
    )
    .unwrap();
    dir
}

/// Runs `roster.toml` in `dir` with `extra` arguments into `out`; the run folder and stderr.
fn run(dir: &Path, out: &str, extra: &[&str]) -> (PathBuf, String) {
    let mut args = vec!["run", "roster.toml", "--out", out, "-q"];
    args.extend_from_slice(extra);
    let o = sisandbox(&args, dir);
    let err = ok_stderr(&o);
    let seed = extra
        .iter()
        .position(|a| *a == "--seed")
        .map_or("20251125", |i| extra[i + 1]);
    (dir.join(out).join(format!("roster-seed{seed}")), err)
}

/// agents.csv as a header and rows of fields.
fn agents(run: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::Reader::from_path(run.join("agents.csv")).unwrap();
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn manifest(run: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(run.join("manifest.toml")).unwrap()).unwrap()
}

fn roster_rows(m: &toml::Table) -> usize {
    m["run"]["agents_initial"].as_integer().unwrap() as usize
}

#[test]
fn a_roster_run_writes_a_k_anonymous_agents_csv_by_default() {
    let dir = setup(150, 3);
    for (out, extra, k) in [("a", vec![], 5), ("b", vec!["--k-anonymity", "10"], 10)] {
        let (run, err) = run(dir.path(), out, &extra);
        let m = manifest(&run);
        let p = m["privacy"].as_table().expect("a [privacy] table");
        assert_eq!(p["agents_csv"].as_str(), Some("k-anonymous"));
        assert_eq!(p["k"].as_integer(), Some(k));
        let n = roster_rows(&m);
        assert_eq!(n, 150);
        assert_eq!(p["roster_rows"].as_integer(), Some(150));
        let (header, rows) = agents(&run);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let qi: Vec<usize> = QUASI_IDENTIFIERS.iter().map(|(q, _)| col(q)).collect();
        let id = col("id");
        // Every combination of quasi-identifiers shown occurs at least k times among the
        // roster's staff, or the row's quasi-identifiers are all withheld.
        let mut combos: HashMap<Vec<&str>, i64> = HashMap::new();
        let mut withheld = 0;
        for r in rows.iter().filter(|r| r[id].parse::<usize>().unwrap() < n) {
            let key: Vec<&str> = qi.iter().map(|&c| r[c].as_str()).collect();
            if key.iter().all(|v| *v == WITHHELD) {
                withheld += 1;
            } else {
                *combos.entry(key).or_default() += 1;
            }
        }
        assert!(!combos.is_empty(), "something is shown");
        for (key, count) in &combos {
            assert!(
                *count >= k,
                "{key:?} occurs {count} times, fewer than k = {k}"
            );
        }
        assert_eq!(p["suppressed"].as_integer(), Some(withheld));
        assert!(
            err.contains(&format!("{k}-anonymous"))
                && err.contains(&format!("; {withheld} of them")),
            "stderr: {err}"
        );
        // No exact month or wage anywhere among the facts, derived columns withheld in every
        // row, outcomes exact.
        for r in &rows {
            for d in DERIVED {
                assert_eq!(r[col(d)], WITHHELD, "{d}");
            }
            for c in ["birth", "hired"] {
                let v = &r[col(c)];
                assert!(v == WITHHELD || v.len() == 4 || v.len() == 9, "{c} = {v}");
            }
            assert!(r[col("pension_total")].parse::<f64>().is_ok());
            assert!(["active", "retired", "deferred", "dead"].contains(&r[col("status")].as_str()));
        }
    }
}

/// Spearman's rank correlation of the pairs (both lists are permutations of 0..n).
fn rank_correlation(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len() as f64;
    let d2: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| (*x as f64 - *y as f64).powi(2))
        .sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

#[test]
fn ids_do_not_follow_the_roster_order_and_are_stable_for_a_roster_and_seed() {
    let dir = setup(200, 1);
    let path = dir.path().join("roster.csv");
    let mut s = Scenario::default();
    let in_file_order = load_roster(&path, &s).unwrap();
    let staff = load_staff(&path, &s).unwrap();
    assert_eq!(staff.len(), 200);
    assert!(staff.iter().enumerate().all(|(i, a)| a.id as usize == i));
    // The position in the file of each id: the same person found by their facts.
    let place = |a: &sisandbox::agent::Agent| {
        in_file_order
            .iter()
            .position(|b| {
                (b.birth, b.hired, b.basic_wage, b.sex, b.rung, b.work_start)
                    == (a.birth, a.hired, a.basic_wage, a.sex, a.rung, a.work_start)
            })
            .unwrap()
    };
    let places: Vec<usize> = staff.iter().map(place).collect();
    let ids: Vec<usize> = (0..200).collect();
    let rho = rank_correlation(&ids, &places);
    assert!(rho.abs() < 0.25, "ids follow the roster order: ρ = {rho}");
    // The roster is sorted by hire month; the ids are not.
    let hired: Vec<_> = staff.iter().map(|a| a.hired).collect();
    assert!(hired.windows(2).any(|w| w[0] > w[1]));
    // The same file and seed number everyone alike; another seed numbers them otherwise.
    assert_eq!(load_staff(&path, &s).unwrap(), staff);
    s.simulation.seed += 1;
    let other: Vec<usize> = load_staff(&path, &s).unwrap().iter().map(place).collect();
    assert_ne!(other, places);
}

#[test]
fn a_reform_and_its_baseline_pair_by_id_and_compare_reads_coarsened_runs() {
    let dir = setup(150, 3);
    let (base, _) = run(dir.path(), "base", &["--snapshots"]);
    let (reform, _) = run(
        dir.path(),
        "reform",
        &[
            "--snapshots",
            "--set",
            "name=\"reform\"",
            "--set",
            "careers.conversion_rate=0.2",
        ],
    );
    let reform = reform.with_file_name("reform-seed20251125");
    let (exact_base, _) = run(dir.path(), "exact-base", &["--exact-agents"]);
    let (exact_reform, _) = run(
        dir.path(),
        "exact-reform",
        &[
            "--exact-agents",
            "--set",
            "name=\"reform\"",
            "--set",
            "careers.conversion_rate=0.2",
        ],
    );
    let exact_reform = exact_reform.with_file_name("reform-seed20251125");
    // The same id is the same person in both runs: the facts the reform cannot change agree.
    let (h, a) = agents(&exact_base);
    let (_, b) = agents(&exact_reform);
    let n = roster_rows(&manifest(&exact_base));
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    for (x, y) in a.iter().zip(&b).take(n) {
        for c in ["id", "sex", "birth", "category"] {
            assert_eq!(x[col(c)], y[col(c)], "{c} of id {}", x[0]);
        }
    }
    // compare reads the coarsened runs and pairs them exactly as it pairs the exact ones:
    // every outcome has the same pairs and the same paired difference.
    let compare = |a: &Path, b: &Path, out: &str, extra: &[&str]| {
        let csv = dir.path().join(out);
        let mut args = vec![
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--out",
            csv.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        ok(&sisandbox(&args, dir.path()));
        let mut rd = csv::Reader::from_path(&csv).unwrap();
        let h = rd.headers().unwrap().clone();
        let c = |n: &str| h.iter().position(|x| x == n).unwrap();
        let (metric, group, pairs, diff) =
            (c("metric"), c("group"), c("diff_pairs"), c("diff_mean"));
        rd.records()
            .map(|r| r.unwrap())
            .filter(|r| &r[group] == "all" && !r[pairs].is_empty())
            .map(|r| {
                (
                    r[metric].to_string(),
                    (r[pairs].to_string(), r[diff].to_string()),
                )
            })
            .collect::<HashMap<String, (String, String)>>()
    };
    let coarse = compare(&base, &reform, "coarse.csv", &[]);
    let exact = compare(&exact_base, &exact_reform, "exact.csv", &[]);
    assert!(coarse.contains_key("pension_contributions"), "{coarse:?}");
    assert!(coarse["pension_contributions"].0.parse::<usize>().unwrap() >= n / 2);
    for (metric, paired) in &coarse {
        assert_eq!(Some(paired), exact.get(metric), "{metric}");
    }
    // Wage and take-home are bands in the coarsened agents.csv, but with snapshots.csv
    // (`--snapshots`) compare takes them from there: every outcome is compared.
    assert_eq!(coarse.len(), exact.len(), "{coarse:?}");
    // At an earlier date the snapshots show who was paid a pension: the outcomes of an award
    // are compared there too, though the award month is withheld.
    let earlier = compare(&base, &reform, "earlier.csv", &["--at", "2026-12"]);
    let awarded = &earlier["replacement_final_wage"].0;
    assert!(awarded.parse::<usize>().unwrap() > 0, "{earlier:?}");
    // A coarsened run reproduces from its manifest, byte for byte.
    let o = sisandbox(
        &[
            "reproduce",
            base.join("manifest.toml").to_str().unwrap(),
            "--out",
            "again",
        ],
        dir.path(),
    );
    assert!(ok(&o).contains("reproduced"));
}

#[test]
fn exact_facts_only_when_asked_and_recorded_with_a_warning() {
    let dir = setup(60, 1);
    let (run, err) = run(dir.path(), "out", &["--exact-agents"]);
    assert!(
        err.contains("warning") && err.contains("personal data"),
        "{err}"
    );
    let m = manifest(&run);
    let p = m["privacy"].as_table().unwrap();
    assert_eq!(p["agents_csv"].as_str(), Some("exact"));
    assert!(p["warning"].as_str().unwrap().contains("personal data"));
    assert_eq!(
        m["scenario"]["simulation"]["roster_exact_agents"].as_bool(),
        Some(true)
    );
    let (h, rows) = agents(&run);
    let birth = h.iter().position(|x| x == "birth").unwrap();
    assert!(rows.iter().all(|r| r[birth].len() == 7), "YYYY-MM months");
    // The same as a scenario key.
    let o = sisandbox(
        &[
            "run",
            "roster.toml",
            "--set",
            "simulation.roster_exact_agents=true",
            "--out",
            "key",
            "-q",
        ],
        dir.path(),
    );
    ok(&o);
    let a = std::fs::read(run.join("agents.csv")).unwrap();
    let b = std::fs::read(dir.path().join("key/roster-seed20251125/agents.csv")).unwrap();
    assert_eq!(a, b);
    // k outside its range is refused by key.
    let o = sisandbox(&["run", "roster.toml", "--k-anonymity", "1"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", common::text(&o));
    assert!(common::text(&o).contains("simulation.roster_k_anonymity"));
}

#[test]
fn generated_populations_are_written_exactly_as_before() {
    use sisandbox::engine::RunOptions;
    use sisandbox::output::{self, RunMeta};
    let mut s = Scenario::default();
    s.simulation.agents = 300;
    s.simulation.years = 3;
    let outcome = sisandbox::simulate::simulate(&s, None, &RunOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let exact = dir.path().join("exact.csv");
    output::write_agents(&exact, &s, &outcome.records).unwrap();
    let run = dir.path().join("run");
    let meta = RunMeta {
        seed: s.simulation.seed,
        threads: 1,
        wall_seconds: 0.0,
        scenario_files: vec![],
        command: String::new(),
    };
    let privacy = output::write_run_report(&run, &s, &outcome, &meta).unwrap();
    assert!(privacy.is_none());
    assert_eq!(
        std::fs::read(run.join("agents.csv")).unwrap(),
        std::fs::read(&exact).unwrap()
    );
    let m = manifest(&run);
    assert!(!m.contains_key("privacy"));
}

/// series.csv rows as (group, key, metric) → values over the months.
fn series(run: &Path) -> HashMap<(String, String, String), Vec<f64>> {
    let mut rd = csv::Reader::from_path(run.join("series.csv")).unwrap();
    let mut out: HashMap<(String, String, String), Vec<f64>> = HashMap::new();
    for r in rd.records() {
        let r = r.unwrap();
        let key = (r[1].to_string(), r[2].to_string(), r[3].to_string());
        out.entry(key).or_default().push(r[4].parse().unwrap());
    }
    out
}

#[test]
fn series_csv_of_a_roster_run_leaves_out_groups_smaller_than_k() {
    // 60 staff over two years: the title and age groups of a roster this small are a handful
    // of people each, and the temporary track only a few.
    let dir = setup(60, 2);
    let (exact, _) = run(dir.path(), "exact", &["--exact-agents"]);
    let (k20, _) = run(dir.path(), "k20", &["--k-anonymity", "20"]);
    let (a, b) = (series(&exact), series(&k20));
    let p = manifest(&k20);
    assert!(p["privacy"]["series_csv"]
        .as_str()
        .unwrap()
        .contains("at least k people"));
    // Counts of people are written whatever the group's size, and the same.
    for ((g, key, metric), v) in &a {
        if ["staff_paid", "quits", "contributors", "pensioners"].contains(&metric.as_str()) {
            assert_eq!(b.get(&(g.clone(), key.clone(), metric.clone())), Some(v));
        }
    }
    // A group mean is written only where the exact run's group has at least 20 members; the
    // exact run writes the small ones, so the rule is what removes them.
    let mut left_out = 0;
    for group in ["age_band", "title", "track", "region"] {
        for ((g, key, metric), v) in a
            .iter()
            .filter(|((g, _, m), _)| g == group && m == "take_home")
        {
            let n = v.len();
            let shown = b
                .get(&(g.clone(), key.clone(), metric.clone()))
                .map_or(0, Vec::len);
            assert!(shown <= n, "{g}/{key}");
            left_out += n - shown;
        }
    }
    assert!(left_out > 0, "some small group was left out");
    // Per track: the mean wage and the contributions only in months with at least 20 paying
    // staff; the months of the exact run with fewer than 20 are exactly those missing.
    for t in ["establishment", "contract", "temporary"] {
        let key = |m: &str| ("track".to_string(), t.to_string(), m.to_string());
        let paid = &a[&key("staff_paid")];
        let big = paid.iter().filter(|n| **n >= 20.0).count();
        let shown = b.get(&key("individual_contributions")).map_or(0, Vec::len);
        assert_eq!(
            shown, big,
            "{t}: contributions in months with at least 20 staff"
        );
        let wage = b.get(&key("mean_wage")).map_or(0, Vec::len);
        assert_eq!(wage, big, "{t}: mean wage in months with at least 20 staff");
    }
}
