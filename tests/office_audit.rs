//! End-to-end: `synth-hr` writes office files with known anomalies and `audit`, `makeup` and
//! `budget` run on them through the binary.

mod common;

use common::{ok_stderr, sisandbox};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Key = (String, String, String);

fn keys(path: &Path) -> BTreeSet<Key> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (s, m, k) = (col("staff"), col("month"), col("kind"));
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[s].to_string(), x[m].to_string(), x[k].to_string())
        })
        .collect()
}

fn synth(dir: &Path, name: &str, extra: &[&str], staff: &str, anomalies: &str) {
    let mut args = vec![
        "synth-hr",
        "--staff",
        staff,
        "--months",
        "12",
        "--anomalies",
        anomalies,
        "--seed",
        "11",
        "--out",
        name,
    ];
    args.extend_from_slice(extra);
    ok_stderr(&sisandbox(&args, dir));
}

fn audit(dir: &Path, data: &str, ext: &str, out: &str) -> String {
    ok_stderr(&sisandbox(
        &[
            "audit",
            "--payroll",
            &format!("{data}/payroll.{ext}"),
            "--insurance",
            &format!("{data}/insurance.{ext}"),
            "--finance",
            &format!("{data}/finance.{ext}"),
            "--region",
            "sichuan",
            "--out",
            out,
        ],
        dir,
    ))
}

#[test]
fn the_audit_finds_every_injected_anomaly_and_nothing_else() {
    let d = tempfile::tempdir().unwrap();
    synth(d.path(), "s", &[], "1000", "200");
    audit(d.path(), "s", "csv", "a");
    let truth = keys(&d.path().join("s/truth.csv"));
    let found = keys(&d.path().join("a/findings.csv"));
    assert_eq!(truth.len(), 200);
    let mut per_kind: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for t in &truth {
        per_kind.entry(t.2.clone()).or_default().0 += 1;
        if found.contains(t) {
            per_kind.entry(t.2.clone()).or_default().1 += 1;
        }
    }
    for f in &found {
        per_kind.entry(f.2.clone()).or_default().2 += 1;
    }
    let kinds = [
        "insured_not_deducted",
        "paid_not_insured",
        "base_below_floor",
        "base_above_ceiling",
        "base_not_prior_average",
        "deduction_mismatch",
        "identity_mismatch",
        "make_up_due",
    ];
    for k in kinds {
        let (injected, hit, reported) = per_kind.get(k).copied().unwrap_or_default();
        assert!(injected >= 25, "{k}: every kind is injected ({injected})");
        let recall = hit as f64 / injected as f64;
        let precision = hit as f64 / reported.max(1) as f64;
        assert_eq!(
            (recall, precision),
            (1.0, 1.0),
            "{k}: {hit} of {injected} found, {reported} reported"
        );
    }
    assert_eq!(found, truth);
    let m: toml::Table =
        toml::from_str(&std::fs::read_to_string(d.path().join("a/manifest.toml")).unwrap())
            .unwrap();
    assert!(m["outputs"]
        .as_table()
        .unwrap()
        .contains_key("findings.csv"));
    assert_eq!(m["inputs"]["payroll"]["encoding"].as_str(), Some("UTF-8"));
}

#[test]
fn gbk_utf8_with_bom_and_xlsx_give_the_same_findings() {
    let d = tempfile::tempdir().unwrap();
    synth(d.path(), "u", &[], "150", "40");
    synth(d.path(), "g", &["--encoding", "gbk"], "150", "40");
    synth(d.path(), "b", &["--encoding", "utf8-bom"], "150", "40");
    synth(d.path(), "x", &["--xlsx"], "150", "40");
    let eu = audit(d.path(), "u", "csv", "au");
    let eg = audit(d.path(), "g", "csv", "ag");
    let eb = audit(d.path(), "b", "csv", "ab");
    audit(d.path(), "x", "xlsx", "ax");
    assert!(
        eu.contains("UTF-8,") && eg.contains("GBK/GB18030") && eb.contains("UTF-8 with BOM"),
        "{eg}"
    );
    let read = |p: &str| std::fs::read(d.path().join(p).join("findings.csv")).unwrap();
    let base = read("au");
    assert!(keys(&d.path().join("au/findings.csv")).len() >= 40);
    for other in ["ag", "ab", "ax"] {
        assert!(read(other) == base, "{other} differs from UTF-8");
    }
}

#[test]
fn no_full_id_number_or_name_in_any_output_or_message() {
    let d = tempfile::tempdir().unwrap();
    synth(d.path(), "s", &[], "120", "40");
    let mut messages = audit(d.path(), "s", "csv", "a");
    messages += &ok_stderr(&sisandbox(
        &[
            "makeup",
            "--payroll",
            "s/payroll.csv",
            "--insurance",
            "s/insurance.csv",
            "--region",
            "sichuan",
            "--average-wage",
            "8000",
            "--wage-year",
            "2024",
            "--out",
            "m",
        ],
        d.path(),
    ));
    // Identifiers of every person, from the generated payroll and the altered copies.
    let mut secrets = BTreeSet::new();
    for f in ["payroll.csv", "insurance.csv", "finance.csv"] {
        let mut r = csv::Reader::from_path(d.path().join("s").join(f)).unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            secrets.insert(rec[1].to_string());
            secrets.insert(rec[2].to_string());
        }
    }
    // A malformed file's message must not echo identifiers either.
    let bad = std::fs::read_to_string(d.path().join("s/payroll.csv"))
        .unwrap()
        .replacen(",0.00,0.00,0.00\n", ",0.00,\"8,5\",0.00\n", 1);
    std::fs::write(d.path().join("bad.csv"), bad).unwrap();
    let out = sisandbox(
        &[
            "audit",
            "--payroll",
            "bad.csv",
            "--insurance",
            "s/insurance.csv",
            "--region",
            "sichuan",
            "--out",
            "z",
        ],
        d.path(),
    );
    assert!(!out.status.success());
    messages += &String::from_utf8_lossy(&out.stderr);
    let mut texts = vec![messages];
    for dir in ["a", "m"] {
        for e in std::fs::read_dir(d.path().join(dir)).unwrap() {
            texts.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
    }
    assert!(
        texts.iter().any(|t| t.contains("********")),
        "masked IDs are shown"
    );
    for s in &secrets {
        for t in &texts {
            assert!(!t.contains(s.as_str()), "an identifier leaked");
        }
    }
}

#[test]
fn make_up_after_a_higher_average_wage_and_a_lower_work_injury_rate() {
    let d = tempfile::tempdir().unwrap();
    synth(d.path(), "s", &[], "100", "0");
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "makeup",
            "--payroll",
            "s/payroll.csv",
            "--insurance",
            "s/insurance.csv",
            "--region",
            "sichuan",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        ok_stderr(&sisandbox(&args, d.path()));
        let mut r = csv::Reader::from_path(d.path().join(out).join("totals.csv")).unwrap();
        let mut t = BTreeMap::new();
        for rec in r.records() {
            let rec = rec.unwrap();
            if rec[0] == *"all" {
                t.insert(
                    format!("{}_{}", &rec[1], &rec[2]),
                    rec[3].parse::<f64>().unwrap(),
                );
            }
        }
        t
    };
    assert!(
        run("same", &[]).is_empty(),
        "correct declarations need no make-up"
    );
    let up = run("up", &["--average-wage", "8200", "--wage-year", "2024"]);
    assert!(
        up["all_personal"] > 0.0 && up["all_employer"] > up["all_personal"],
        "{up:?}"
    );
    assert!(up["pension_employer"] > 0.0);
    let wi = run(
        "wi",
        &["--work-injury-rate", "0.001", "--rate-from", "2025-04"],
    );
    assert!(
        wi["work_injury_employer"] < 0.0,
        "a lower rate refunds: {wi:?}"
    );
    assert_eq!(wi.get("pension_employer").copied().unwrap_or(0.0), 0.0);
}

#[test]
fn budget_runs_the_roster_through_the_engine() {
    let d = tempfile::tempdir().unwrap();
    let roster = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/roster_good.csv");
    ok_stderr(&sisandbox(
        &[
            "budget",
            roster.to_str().unwrap(),
            "--year",
            "2026",
            "--replications",
            "2",
            "--out",
            "b",
        ],
        d.path(),
    ));
    let text = std::fs::read_to_string(d.path().join("b/budget.csv")).unwrap();
    assert!(
        text.contains("2026-12,insurance,pension,employer_contributions"),
        "{text}"
    );
    assert!(text.contains(",track,"));
    let y = std::fs::read_to_string(d.path().join("b/budget_year.csv")).unwrap();
    let pension: f64 = y
        .lines()
        .find(|l| l.starts_with("2026,insurance,pension,employer_contributions"))
        .and_then(|l| l.split(',').nth(4))
        .unwrap()
        .parse()
        .unwrap();
    assert!(pension > 0.0);
}
