//! End-to-end: malformed office files are refused with a message naming file, row and column,
//! and no output is left behind.

mod common;

use common::sisandbox;

const PAYROLL: &str = "工号,姓名,身份证号,月份,应发工资,养老个人,医疗个人,失业个人\n\
1001,王伟,51010419800101123X,2024-12,9000.00,0.00,0.00,0.00\n\
1001,王伟,51010419800101123X,2025-01,9000.00,720.00,180.00,36.00\n";
// Sichuan 2025 on a base of 9,000: unemployment 0.4 % / 0.6 % (36 / 54), work injury class II
// 0.4 % (36).
const INSURANCE: &str = "工号,姓名,身份证号,月份,缴费基数,养老个人,养老单位,医疗个人,医疗单位,失业个人,失业单位,工伤单位\n\
1001,王伟,51010419800101123X,2025-01,9000.00,720.00,1440.00,180.00,765.00,36.00,54.00,36.00\n";

/// Runs an audit on the given payroll text and returns (stderr, files left in the output).
fn audit_with(payroll: &[u8], insurance: &str) -> (String, Vec<String>) {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("p.csv"), payroll).unwrap();
    std::fs::write(d.path().join("i.csv"), insurance).unwrap();
    let out = sisandbox(
        &[
            "audit",
            "--payroll",
            "p.csv",
            "--insurance",
            "i.csv",
            "--region",
            "sichuan",
            "--out",
            "o",
        ],
        d.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    let left = std::fs::read_dir(d.path().join("o"))
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        !err.contains("王伟") && !err.contains("51010419800101123X"),
        "{err}"
    );
    (err, left)
}

#[test]
fn the_clean_fixture_passes() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("p.csv"), PAYROLL).unwrap();
    std::fs::write(d.path().join("i.csv"), INSURANCE).unwrap();
    let out = sisandbox(
        &[
            "audit",
            "--payroll",
            "p.csv",
            "--insurance",
            "i.csv",
            "--region",
            "sichuan",
            "--out",
            "o",
        ],
        d.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = std::fs::read_to_string(d.path().join("o/findings.csv")).unwrap();
    assert_eq!(f.lines().count(), 1, "no finding: {f}");
}

#[test]
fn a_missing_column_is_named() {
    let p = PAYROLL
        .replace(",失业个人", "")
        .replace(",36.00\n", "\n")
        .replace(",0.00\n", "\n");
    let (err, left) = audit_with(p.as_bytes(), INSURANCE);
    assert!(
        err.contains("p.csv: row 1") && err.contains("失业个人 / unemployment_personal"),
        "{err}"
    );
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_duplicated_staff_month_names_both_rows() {
    let p = format!("{PAYROLL}1001,王伟,51010419800101123X,2025-01,9000.00,720.00,180.00,36.00\n");
    let (err, left) = audit_with(p.as_bytes(), INSURANCE);
    assert!(err.contains("p.csv: row 4, column 工号 (staff_id): staff 1001 appears twice in 2025-01 (rows 3 and 4)"), "{err}");
    assert!(left.is_empty());
}

#[test]
fn an_amount_with_a_comma_is_refused() {
    let p = PAYROLL.replace("720.00", "\"8,5\"");
    let (err, left) = audit_with(p.as_bytes(), INSURANCE);
    assert!(
        err.contains("p.csv: row 3, column 养老个人 (pension_personal): \"8,5\" is not an amount"),
        "{err}"
    );
    assert!(left.is_empty());
}

#[test]
fn mixed_encodings_are_refused() {
    let mut bytes = PAYROLL
        .lines()
        .take(2)
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes();
    bytes.push(b'\n');
    let (gbk, _, _) = encoding_rs::GBK.encode(PAYROLL.lines().nth(2).unwrap());
    bytes.extend_from_slice(&gbk);
    bytes.push(b'\n');
    let (err, left) = audit_with(&bytes, INSURANCE);
    assert!(
        err.contains("p.csv: mixed encodings: line 1 is UTF-8 but line 3 is not"),
        "{err}"
    );
    assert!(left.is_empty());
}

#[test]
fn an_unknown_region_lists_the_known_ones() {
    let d = tempfile::tempdir().unwrap();
    let out = sisandbox(
        &[
            "audit",
            "--payroll",
            "p.csv",
            "--insurance",
            "i.csv",
            "--region",
            "atlantis",
            "--out",
            "o",
        ],
        d.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("sichuan"), "{err}");
}
