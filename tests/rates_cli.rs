//! `sisandbox rates` run as a binary: the Sichuan 2025-07 figures, JSON, and bad arguments.

mod common;

use common::bin;
use std::process::Output;

fn run(args: &[&str]) -> Output {
    bin()
        .arg("rates")
        .args(args)
        .output()
        .expect("run sisandbox")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
    String::from_utf8(out.stderr).unwrap()
}

/// Sichuan 2025: limits 4,588–22,938 from the 2024 全口径 average 7,646 (7,646 × 0.6 = 4,587.6
/// rounded to 4,588; × 3 = 22,938), calculation base 8,462, employer pension 16 %, individual
/// 8 %, transitional k 1.3 % on the years before the 1996-01 account.
#[test]
fn sichuan_2025_07_text() {
    let out = ok(&["sichuan", "--month", "2025-07"]);
    for needle in [
        "sichuan, 2025-07",
        "base year from 2025-01",
        "average wage 2024: 7646.00 yuan/month",
        "floor:   4588.00 yuan/month",
        "ceiling: 22938.00 yuan/month",
        "计发基数) 2025: 8462.00",
        "pension, enterprise scheme, employer: 16%  [national",
        "pension, individual (personal account): 8%  [national",
        "occupational annuity, employer (established posts): 8%",
        "unemployment, employer",
        "work injury, employer",
        "国办发〔2019〕13号",
        "account_start = 1996-01  [regional",
        "transitional_rate = 0.013  [regional, C]",
        "transitional_form = average_index  [regional",
        "account_credit_rate = 0.08  [national from 2006-01, R]",
        "divisor_convention = monthly  [national from 2025-01",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(!out.contains("DOMAIN"), "{out}");
    // Every pension-rule key of the table is listed, then the national award rules.
    let rules = out.split("Pension rules").nth(1).unwrap();
    let (rules, award) = rules.split_once("Award rules").unwrap();
    assert_eq!(rules.lines().filter(|l| l.contains(" = ")).count(), 24);
    assert_eq!(award.lines().filter(|l| l.contains(" = ")).count(), 4);
}

/// The key lines of Sichuan in 2025-07, each checked by hand against the official documents:
/// unemployment 0.6 % / 0.4 % of the phased 1 % (Sichuan's notice of 2024-07-03 forwarding
/// 人社部发〔2024〕40号); work injury at the class II base rate 0.4 % (education is class II of
/// 人社部发〔2015〕71号; Sichuan charges the full base rates again from 2025-01, 川人社规〔2025〕1号);
/// the 1996-01 account, family-B transitional at 1.3 %, years to 2 decimals, the 增发
/// supplement, month-interpolated divisors, payment from the month after retirement, no
/// new-versus-old comparison after 2024-09 and 15 minimum years.
#[test]
fn sichuan_2025_07_key_lines() {
    let out = ok(&["sichuan", "--month", "2025-07"]);
    let line = |start: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line {start:?} in\n{out}"))
            .to_string()
    };
    let has = |start: &str, parts: &[&str]| {
        let l = line(start);
        for p in parts {
            assert!(l.contains(p), "{start}: missing {p:?} in {l}");
        }
    };
    has("floor:", &["4588.00"]);
    has("ceiling:", &["22938.00"]);
    has("Pension calculation base", &["2025: 8462.00"]);
    has(
        "pension, enterprise scheme, employer:",
        &[
            "16%",
            "[national",
            "人社部发〔2016〕36号",
            "国办发〔2019〕13号",
        ],
    );
    has("pension, public-institution scheme, employer:", &["16%"]);
    has("pension, individual", &["8%"]);
    has(
        "occupational annuity, employer",
        &["8%", "国办发〔2015〕18号"],
    );
    has("occupational annuity, individual", &["4%"]);
    has("medical (maternity included), employer:", &["8.5%"]);
    has("medical, individual:", &["2%"]);
    has(
        "unemployment, employer:",
        &[
            "0.6%",
            "[regional, C]",
            "人社部发〔2024〕40号",
            "2025-12-31",
        ],
    );
    has(
        "unemployment, individual:",
        &["0.4%", "[regional, C]", "四川省人力资源和社会保障厅"],
    );
    has(
        "work injury, employer:",
        &[
            "0.4%",
            "class 2 base rate 0.4%",
            "[regional",
            "川人社规〔2025〕1号",
        ],
    );
    has("housing provident fund, employer:", &["12%"]);
    // The 2025 book rate is unofficial (U); the 2025 increase is the notice of 2025-07-10 (C).
    has(
        "personal-account book rate",
        &["1.5% (2025)", "[national, U]"],
    );
    has(
        "increase of pensions in payment",
        &["2% (2025)", "[national, C]", "2025-07-10"],
    );
    has("account_start =", &["1996-01", "[regional"]);
    has("account_credit_rate =", &["0.08", "from 2006-01"]);
    has("transitional_form =", &["average_index", "[regional"]);
    has("transitional_years =", &["pre_account"]);
    has("transitional_rate =", &["0.013", "[regional"]);
    has("years_decimals =", &["2", "[regional"]);
    has("index_decimals =", &["4"]);
    has("divisor_convention =", &["monthly", "from 2025-01"]);
    has("component_rounding =", &["half_up_fen"]);
    has("total_rounding =", &["sum"]);
    has("supplement_form =", &["indexed_wage_years", "[regional"]);
    has(
        "benefit.divisors =",
        &["50: 195", "60: 139", "interpolated"],
    );
    has(
        "benefit.payment_lag_months =",
        &["1 month after the retirement month"],
    );
    has(
        "benefit.transition_share =",
        &["not in force", "2014-10", "2024-09"],
    );
    has(
        "retirement.min_years_start =",
        &["15 years for retirements in 2025"],
    );
    // Before Sichuan's own split the national entries apply; in 2024 work injury was 80 %.
    let out = ok(&["sichuan", "--month", "2024-07"]);
    assert!(
        out.contains("unemployment, individual: 0.4%  [regional"),
        "{out}"
    );
    assert!(out.contains("work injury, employer: 0.32%"), "{out}");
    assert!(out.contains("× 80% of the base rate charged"), "{out}");
    let out = ok(&["sichuan", "--month", "2020-07"]);
    assert!(
        out.contains("unemployment, individual: 0.5%  [national"),
        "{out}"
    );
}

/// A scenario value replaces the table's and is shown as the scenario's, with the default.
#[test]
fn a_scenario_override_is_shown_as_such() {
    let out = ok(&[
        "sichuan",
        "--month",
        "2025-07",
        "--set",
        "insurance.unemployment.individual_rate=0.005",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let line = v["rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "insurance.unemployment.individual_rate")
        .unwrap()
        .clone();
    assert_eq!(line["value"].as_f64(), Some(0.005));
    assert_eq!(line["scope"], "scenario");
    let source = line["source"].as_str().unwrap();
    assert!(
        source.contains("in place of the default 0.4%") && source.contains("2025-12-31"),
        "{source}"
    );
    let emp = v["rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "insurance.unemployment.employer_rate")
        .unwrap();
    assert_eq!(
        emp["scope"], "regional",
        "the key not set keeps the table's"
    );
    assert_eq!(v["award"].as_array().unwrap().len(), 4);
    let e = fails(&[
        "sichuan",
        "--month",
        "2025-07",
        "--set",
        "insurance.unemployment.individual_rat=0.1",
    ]);
    assert!(e.contains("individual_rat"), "{e}");
}

#[test]
fn sichuan_2025_07_json_and_chinese_name() {
    let out = ok(&["四川", "--month", "2025-07", "--json"]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["region"], "sichuan");
    assert_eq!(v["month"], "2025-07");
    assert_eq!(v["base"]["average_wage"].as_f64(), Some(7646.0));
    assert_eq!(v["base"]["floor"].as_f64(), Some(4588.0));
    assert_eq!(v["base"]["ceiling"].as_f64(), Some(22938.0));
    assert_eq!(v["calc_base"]["value"].as_f64(), Some(8462.0));
    let rate = |key: &str| {
        v["rates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .unwrap()
            .clone()
    };
    let emp = rate("insurance.pension.enterprise_employer_rate");
    assert_eq!(emp["value"].as_f64(), Some(0.16));
    assert_eq!(emp["scope"], "national");
    let k = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "transitional_rate")
        .unwrap();
    assert_eq!(
        (k["value"].as_str(), k["scope"].as_str()),
        (Some("0.013"), Some("regional"))
    );
    assert!(k["source"].as_str().unwrap().contains("四川省"));
}

#[test]
fn dates_and_regions_change_what_is_in_force() {
    // The 19 % employer rate of 2016-05 to 2019-04, and the whole-year divisor before 2025.
    let out = ok(&["sichuan", "--month", "2017-03"]);
    assert!(
        out.contains("pension, enterprise scheme, employer: 19%"),
        "{out}"
    );
    assert!(
        out.contains("divisor_convention = whole_years  [national"),
        "{out}"
    );
    // Beijing's July base year, its 2024 average 11,937 and 7,162–35,811.
    let out = ok(&["beijing", "--month", "2025-08"]);
    for needle in [
        "base year from 2025-07",
        "average wage 2024: 11937.00",
        "floor:   7162.00",
        "ceiling: 35811.00",
        "transitional_form = two_part  [regional",
        "account_start = 1992-10  [regional",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
}

#[test]
fn unknown_region_and_bad_month_are_clear_errors() {
    let e = fails(&["mars", "--month", "2025-07"]);
    assert!(
        e.contains("\"mars\"") && e.contains("known regions") && e.contains("sichuan"),
        "{e}"
    );
    for bad in ["2025-7", "2025-13", "July", "2025"] {
        let e = fails(&["sichuan", "--month", bad]);
        assert!(e.contains(bad) && e.contains("YYYY-MM"), "{bad}: {e}");
    }
    let e = fails(&["sichuan"]);
    assert!(e.contains("--month"), "{e}");
}
