use super::*;
use crate::insurance::params::InsuranceParams;

/// 四川省 企业职工基本养老金核定表, woman worker retiring 2024-06 at 50, from facts only.
const E1: &str = r#"
[person]
sex = "female"
category = "worker"
birth = "1974-06"
scheme = "enterprise"
retire = "2024-06"
supplement_rate = 0.001
[record]
contribution_months = 382
deemed_months = 0
pre_account_months = 40
average_index = 0.935
account_balance = 150397.22
annuity_balance = 0.0
[region]
name = "sichuan"
"#;

fn err(text: &str) -> String {
    parse_case(text, "bad.toml").unwrap_err().to_string()
}

fn eval_err(text: &str) -> String {
    parse_case(text, "bad.toml")
        .unwrap()
        .evaluate(&InsuranceParams::default())
        .unwrap_err()
        .to_string()
}

fn report(text: &str) -> CaseReport {
    parse_case(text, "x.toml")
        .unwrap()
        .evaluate(&InsuranceParams::default())
        .unwrap()
}

#[test]
fn e1_from_facts_and_the_region_only() {
    let rep = report(E1);
    assert_eq!(rep.retirement_age.to_string(), "50y0m");
    assert_eq!(rep.calc_base, 832_100, "the table's 2024 base");
    assert_eq!(rep.award.total, 392_992);
    let json = render_json(&rep);
    assert!(json.contains("\"total\":3929.92"), "{json}");
    assert!(json.contains("\"divisor\":195.0"), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["retirement_month"], "2024-06");
    assert_eq!(v["eligible"], true);
    let text = render_text(&rep, true);
    assert!(
        text.contains("3929.92") && text.contains("国发〔2005〕38号"),
        "{text}"
    );
    assert!(
        text.contains("transitional_rate = 0.013: sichuan rule [C] 四川省"),
        "{text}"
    );
    assert!(text.contains("first payment 2024-07"), "{text}");
}

#[test]
fn region_names_ignore_case_and_unknown_ones_are_errors() {
    let upper = report(&E1.replace("\"sichuan\"", "\"Sichuan\""));
    assert_eq!(upper.award.total, 392_992);
    assert_eq!(
        report(&E1.replace("\"sichuan\"", "\"四川\"")).award.total,
        392_992
    );
    let e = err(&E1.replace("\"sichuan\"", "\"mars\""));
    assert!(
        e.contains("bad.toml:")
            && e.contains("`region.name`")
            && e.contains("\"mars\"")
            && e.contains("beijing"),
        "{e}"
    );
    let e = err(&E1.replace("name = \"sichuan\"\n", ""));
    assert!(
        e.contains("`region.name`") && e.contains("known regions"),
        "{e}"
    );
}

#[test]
fn overrides_are_shown_as_such() {
    let rep = report(&E1.replace(
        "name = \"sichuan\"",
        "name = \"sichuan\"\ntransitional_rate = 0.014",
    ));
    assert_ne!(rep.award.transitional, 34_851);
    let text = render_text(&rep, true);
    assert!(
        text.contains("transitional_rate = 0.014: override in the case file"),
        "{text}"
    );
}

#[test]
fn the_supplement_rate_is_a_person_fact() {
    let rep = report(&E1.replace("supplement_rate = 0.001\n", ""));
    assert_eq!((rep.award.supplement, rep.award.total), (0, 368_228));
    let e = err(&E1.replace(
        "name = \"sichuan\"",
        "name = \"sichuan\"\nlong_service_supplement_rate = 0.001",
    ));
    assert!(
        e.contains("`region.long_service_supplement_rate`") && e.contains("supplement_rate"),
        "{e}"
    );
}

#[test]
fn a_fact_the_region_needs_is_an_error_naming_the_key() {
    let beijing = E1
        .replace("\"sichuan\"", "\"beijing\"")
        .replace("deemed_months = 0", "deemed_months = 30");
    let e = eval_err(&beijing);
    assert!(
        e.contains("`record.actual_months_1992_10_to_1998_06`") && e.contains("beijing"),
        "{e}"
    );
    let e = eval_err(&E1.replace("retire = \"2024-06\"", "retire = \"2020-06\""));
    assert!(
        e.contains("`region.calc_base`") && e.contains("2020"),
        "{e}"
    );
}

#[test]
fn missing_field_names_key_and_section() {
    let e = err(&E1.replace("account_balance = 150397.22\n", ""));
    assert!(
        e.contains("bad.toml:")
            && e.contains("`record.account_balance`")
            && e.contains("missing field"),
        "{e}"
    );
}

#[test]
fn retirement_before_birth() {
    let e = err(&E1.replace("retire = \"2024-06\"", "retire = \"1970-01\""));
    assert!(
        e.contains("bad.toml:7") && e.contains("before birth"),
        "{e}"
    );
}

#[test]
fn negative_balance_and_unknown_scheme() {
    let e = err(&E1.replace("150397.22", "-5.0"));
    assert!(
        e.contains("`record.account_balance`") && e.contains("negative balance -5.0"),
        "{e}"
    );
    let e = err(&E1.replace("\"enterprise\"", "\"enterprize\""));
    assert!(
        e.contains("bad.toml:6")
            && e.contains("\"enterprize\"")
            && e.contains("did you mean `enterprise`"),
        "{e}"
    );
}

#[test]
fn unknown_key_with_hint_and_bad_toml() {
    let e = err(&E1.replace("name = \"sichuan\"", "name = \"sichuan\"\ncalc_bse = 1"));
    assert!(
        e.contains("`region.calc_bse`") && e.contains("did you mean `calc_base`"),
        "{e}"
    );
    let e = err(&E1.replace("[region]", "[regoin]"));
    assert!(e.contains("did you mean `region`"), "{e}");
    let e = err("[person\nsex=");
    assert!(e.contains("not valid TOML"), "{e}");
    let e = err(&E1.replace("contribution_months = 382", "contribution_months = 382.5"));
    assert!(e.contains("not a whole number"), "{e}");
    let e = err(&E1.replace("birth = \"1974-06\"", "birth = \"June\""));
    assert!(e.contains("`person.birth`") && e.contains("YYYY-MM"), "{e}");
}

#[test]
fn statutory_month_is_the_default() {
    let rep = report(&E1.replace("retire = \"2024-06\"\n", ""));
    assert_eq!(rep.retirement_month, YearMonth::ym(2024, 6));
    assert_eq!(rep.award.total, 392_992);
}
