//! The `sisandbox pension` subcommand run as a binary on the example cases and on bad files.

mod common;

use common::{bin, repo};
use std::path::PathBuf;
use std::process::Output;

fn cases() -> PathBuf {
    repo("scenarios/cases")
}

fn run(args: &[&str]) -> Output {
    bin()
        .arg("pension")
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

fn case(name: &str) -> String {
    cases().join(name).display().to_string()
}

#[test]
fn plain_output_has_every_component() {
    let out = ok(&[&case("E1.toml")]);
    for needle in [
        "50y0m", "2024-06", "195", "2562.50", "771.27", "348.51", "0.00", "247.64", "3929.92",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    assert!(ok(&[&case("E3.toml")]).contains("12379.80"));
    assert!(ok(&[&case("E4.toml")]).contains("11891.16"));
    assert!(ok(&[&case("E6.toml")]).contains("3181.11"));
}

#[test]
fn json_output_is_one_object_with_the_agreed_keys() {
    let expect = [
        ("E1.toml", "50y0m", "2024-06", 195.0, "3929.92"),
        ("E3.toml", "63y0m", "2053-03", 117.0, "12379.80"),
        ("E4.toml", "60y11m", "2029-04", 132.6, "11891.16"),
        ("E6.toml", "56y4m", "2031-07", 162.0, "3181.11"),
    ];
    for (file, age, month, divisor, total) in expect {
        let out = ok(&[&case(file), "--json"]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["retirement_age"], age, "{file}");
        assert_eq!(v["retirement_month"], month, "{file}");
        assert_eq!(v["divisor"].as_f64(), Some(divisor), "{file}");
        assert_eq!(v["eligible"], true, "{file}");
        for key in [
            "basic",
            "personal",
            "transitional",
            "annuity",
            "supplement",
            "total",
        ] {
            assert!(v[key].is_number(), "{file}: {key}");
        }
        assert!(out.contains(&format!("\"total\":{total}")), "{file}: {out}");
    }
}

#[test]
fn explain_shows_arithmetic_rule_and_source() {
    let out = ok(&[&case("E1.toml"), "--explain"]);
    assert!(out.contains("8050.5675"), "{out}");
    assert!(out.contains("150397.22 / 195 = 771.27"), "{out}");
    assert!(out.contains("7780.135"), "{out}");
    assert!(out.contains("国发〔2005〕38号"), "{out}");
    let out = ok(&[&case("E4.toml"), "--explain"]);
    assert!(out.contains("1.5497") && out.contains("132.6"), "{out}");
}

fn bad(name: &str, text: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let out = run(&[path.to_str().unwrap()]);
    assert!(!out.status.success(), "{name} should fail");
    (String::from_utf8_lossy(&out.stderr).into_owned(), dir)
}

fn e1_with(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(cases().join("E1.toml")).unwrap();
    assert!(text.contains(from), "E1.toml lacks {from}");
    text.replacen(from, to, 1)
}

#[test]
fn bad_case_files_are_explained() {
    let (e, _d) = bad("missing.toml", &e1_with("account_balance = 150397.22", ""));
    assert!(
        e.contains("missing.toml") && e.contains("record.account_balance") && e.contains("missing"),
        "{e}"
    );
    let (e, _d) = bad(
        "before.toml",
        &e1_with("retire = \"2024-06\"", "retire = \"1960-01\""),
    );
    assert!(
        e.contains("before.toml:") && e.contains("person.retire") && e.contains("before birth"),
        "{e}"
    );
    let (e, _d) = bad(
        "negative.toml",
        &e1_with("account_balance = 150397.22", "account_balance = -1.5"),
    );
    assert!(
        e.contains("negative.toml:") && e.contains("negative balance"),
        "{e}"
    );
    let (e, _d) = bad(
        "scheme.toml",
        &e1_with("scheme = \"enterprise\"", "scheme = \"private\""),
    );
    assert!(
        e.contains("scheme.toml:")
            && e.contains("person.scheme")
            && e.contains("`enterprise`, `institution`"),
        "{e}"
    );
    assert!(!e.contains("panicked"), "{e}");
}

/// The occupational annuity drawn monthly is taxed in full under the monthly table
/// (财税〔2018〕164号): E3's 4,273.50 a month pays 10 % − 210 = 217.35; the pension is untaxed.
#[test]
fn the_annuity_shows_its_income_tax() {
    let out = ok(&[&case("E3.toml")]);
    assert!(
        out.contains("annuity tax") && out.contains("217.35") && out.contains("4056.15"),
        "{out}"
    );
    let explained = ok(&[&case("E3.toml"), "--explain"]);
    assert!(
        explained.contains("财税〔2018〕164号") && explained.contains("10 % bracket"),
        "{explained}"
    );
    // No annuity, no tax line.
    assert!(!ok(&[&case("E1.toml")]).contains("annuity tax"));
}
