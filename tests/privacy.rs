//! Privacy: a roster may hold names, ID numbers and staff numbers. No result file, no manifest,
//! nothing printed on stderr and no error message about a bad row may contain them.

mod common;

use common::{repo, sisandbox};
use sisandbox::roster::parse_roster;
use sisandbox::scenario::Scenario;
use std::path::{Path, PathBuf};

/// The identifier cells (`name`, `id_number`, `staff_id`) of a roster text.
fn identifiers(text: &str) -> Vec<String> {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let wanted: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| ["name", "id_number", "staff_id"].contains(&h.as_str()))
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        for i in &wanted {
            if let Some(c) = cells.get(*i).map(|c| c.trim()) {
                if !c.is_empty() {
                    out.push(c.to_string());
                }
            }
        }
    }
    out
}

fn assert_clean(what: &str, text: &str, ids: &[String]) {
    for id in ids {
        assert!(
            !text.contains(id.as_str()),
            "{what} contains the identifier {id}:\n{text}"
        );
    }
}

/// A scenario file beside a roster file.
fn scenario_with_roster(dir: &Path, roster_text: &str) -> PathBuf {
    std::fs::write(dir.join("staff.csv"), roster_text).unwrap();
    let scenario = dir.join("roster.toml");
    std::fs::write(
        &scenario,
        "name = \"roster\"\n[simulation]\nroster = \"staff.csv\"\nyears = 2\n",
    )
    .unwrap();
    scenario
}

#[test]
fn a_roster_run_keeps_identifiers_out_of_results_manifest_and_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("tests/fixtures/roster_good.csv")).unwrap();
    let ids = identifiers(&text);
    assert!(
        ids.len() >= 9,
        "names, ID numbers and staff numbers: {ids:?}"
    );
    let scenario = scenario_with_roster(dir.path(), &text);
    // Not quiet: the summary line goes to stderr too.
    let out = sisandbox(
        &["run", scenario.to_str().unwrap(), "--out", "out"],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("roster: 3 staff"),
        "the summary is printed: {err}"
    );
    assert_clean("stderr", &err, &ids);
    assert_clean("stdout", &String::from_utf8_lossy(&out.stdout), &ids);
    let run = dir.path().join("out/roster-seed20251125");
    let mut files = 0;
    for entry in std::fs::read_dir(&run).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_clean(&path.display().to_string(), &text, &ids);
        files += 1;
    }
    assert_eq!(files, 3, "series, agents and manifest were searched");
}

/// A roster whose rows are bad in every checked column, each row carrying a name, an ID number
/// and a staff number.
const BAD_ROWS: &str = "\
staff_id,name,id_number,sex,birth,track,ladder,title,university,work_start,hired,monthly_wage
S9001,欧阳娜娜,110101199003071234,man,1990-03,establishment,academic,professor,university-a,2016-09,,15000
S9002,Smith John,51010419851212002X,female,1985-13,contract,administrative,section,university-a,2010-07,,9000
S9003,司马光,440301198001011111,female,1980-01,permanent,academic,section,university-z,2005-07,,abc
S9004,Wang Fang,320102197001012222,male,1900-01,contract,administrative,clerk,university-a,1920-07,2030-01,-5
S9005,诸葛亮,330106198505053333,male,1985-05
S9006,\"Li, Ming\",350203199202024444,female,1992-02,contract,administrative,king,university-a,1991-01,,9000
";

#[test]
fn errors_about_bad_rows_never_echo_names_or_id_numbers() {
    let ids = identifiers(BAD_ROWS);
    assert!(
        ids.contains(&"欧阳娜娜".to_string()) && ids.contains(&"51010419851212002X".to_string())
    );
    // The library's error.
    let e = parse_roster(BAD_ROWS, "staff.csv", &Scenario::default())
        .expect_err("every row is bad")
        .to_string();
    assert!(
        e.contains("staff.csv:2: column `sex` = <3 characters withheld>"),
        "{e}"
    );
    assert!(e.contains("staff.csv:6: the row has 5 fields"), "{e}");
    assert!(
        e.matches('\n').count() >= 10,
        "every problem is listed: {e}"
    );
    assert_clean("the roster error", &e, &ids);
    // The same through the binary: stderr of a refused run.
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_with_roster(dir.path(), BAD_ROWS);
    let out = sisandbox(
        &["run", scenario.to_str().unwrap(), "--out", "out"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the roster has"), "{err}");
    assert_clean("stderr of a refused roster", &err, &ids);
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn a_header_with_unknown_identifier_columns_is_refused_without_echoing_rows() {
    // An HR export with a column the importer does not know (手机号, a phone number): the
    // header is named, the rows beneath it are not echoed.
    let text = "name,手机号,sex,birth,track,ladder,title,university,work_start,hired,monthly_wage\n\
                张伟,13800138000,male,1990-03,establishment,academic,professor,university-a,2016-09,,15000\n";
    let e = parse_roster(text, "staff.csv", &Scenario::default())
        .expect_err("unknown column")
        .to_string();
    assert!(e.contains("unknown column `手机号`"), "{e}");
    assert_clean(
        "the header error",
        &e,
        &["张伟".into(), "13800138000".into()],
    );
}

#[test]
fn shifted_cells_never_echo_identifiers() {
    // The data rows of an export in a different column order than its header: the ID number
    // lands in `birth`, the name in `sex`.
    let text = "sex,birth,name,id_number,track,ladder,title,university,work_start,hired,monthly_wage\n\
                张伟,110101199003071234,male,1990-03,establishment,academic,professor,university-a,2016-09,,15000\n";
    let e = parse_roster(text, "staff.csv", &Scenario::default())
        .expect_err("the shifted row is refused")
        .to_string();
    assert_clean(
        "the shifted-row error",
        &e,
        &["张伟".into(), "110101199003071234".into()],
    );
}

#[test]
fn identifiers_in_any_form_and_headerless_rosters_are_never_echoed() {
    // Shifted cells holding identifiers in forms no pattern catches: each lands in a checked
    // column and the error shows only its length.
    let secrets = [
        "1101 0119 9003 0712 34",
        "１１０１０１１９９００３０７１２３４",
        "1.10101E+17",
        "Ouyang Nana",
        "𠀀𪚥",
        "+86 138 0013 8000",
        "nana@example.cn",
        "E12345678",
    ];
    let header = "sex,birth,track,ladder,title,university,work_start,hired,monthly_wage\n";
    let mut text = header.to_string();
    for s in secrets {
        text.push_str(&format!(
            "{s},{s},contract,academic,professor,university-a,2016-09,,{s}\n"
        ));
    }
    let e = parse_roster(&text, "staff.csv", &Scenario::default())
        .expect_err("bad cells")
        .to_string();
    let ids: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
    assert_clean("shifted identifiers", &e, &ids);
    assert!(e.contains("withheld"), "{e}");
    // A roster without its header line: the first row is a person, not column names.
    let headerless = "S1,欧阳娜娜,110101199003071234,female,1990-03,contract\n";
    let e = parse_roster(headerless, "staff.csv", &Scenario::default())
        .expect_err("no header")
        .to_string();
    assert!(e.contains("not a header"), "{e}");
    assert_clean(
        "a headerless roster",
        &e,
        &["欧阳娜娜".into(), "110101199003071234".into(), "S1".into()],
    );
}

#[test]
fn a_decimal_comma_in_a_wage_is_an_error_not_a_wage_ten_times_higher() {
    let row = |wage: &str| {
        format!(
            "sex,birth,track,ladder,title,university,work_start,hired,monthly_wage\n\
             female,1990-03,contract,academic,professor,university-a,2016-09,,\"{wage}\"\n"
        )
    };
    let e = parse_roster(&row("8,5"), "staff.csv", &Scenario::default())
        .expect_err("8,5 is not 85")
        .to_string();
    assert!(
        e.contains("staff.csv:2: column `monthly_wage`") && e.contains("thousands"),
        "{e}"
    );
    let ok = parse_roster(&row("12,500.50"), "staff.csv", &Scenario::default());
    assert!(ok.is_ok(), "thousands separators are fine: {:?}", ok.err());
}
