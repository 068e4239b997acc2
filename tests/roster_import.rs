//! Roster import: fields, every bad row reported, identifiers dropped, no panics on junk.

use sisandbox::agent::{Category, Ladder, Sex, Status, Track};
use sisandbox::roster::{load_roster, parse_roster, RosterError};
use sisandbox::scenario::Scenario;
use sisandbox::time::YearMonth;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn messages(e: &RosterError) -> Vec<String> {
    e.issues().iter().map(|i| i.to_string()).collect()
}

#[test]
fn good_roster_imports_with_the_right_fields() {
    let s = Scenario::default();
    let agents = load_roster(&fixture("roster_good.csv"), &s).expect("good roster");
    assert_eq!(agents.len(), 3);
    assert!(agents.iter().enumerate().all(|(i, a)| a.id as usize == i));
    assert!(agents.iter().all(|a| a.status == Status::Active));

    let a = &agents[0];
    assert_eq!(a.sex, Sex::Male);
    assert_eq!(
        a.category,
        Category::Cadre,
        "empty category defaults to cadre"
    );
    assert_eq!(a.birth, YearMonth::ym(1990, 3));
    assert_eq!(a.track, Track::Establishment);
    assert_eq!(a.ladder, Ladder::Academic);
    assert_eq!(a.title(), "associate_professor");
    assert_eq!(a.rung, 2);
    let engineering = s
        .population
        .disciplines
        .iter()
        .position(|d| d.name == "engineering")
        .unwrap();
    assert_eq!(a.discipline as usize, engineering);
    assert_eq!(a.university, 0);
    assert_eq!(a.work_start, YearMonth::ym(2016, 9));
    assert_eq!(a.hired, YearMonth::ym(2018, 7));
    assert!(a.rung_since >= a.work_start && a.rung_since <= s.simulation.start);
    assert!((a.wage() - 1_500_000).abs() <= 1, "wage {}", a.wage());
    let ratio = s.careers.performance_ratio;
    let expected_basic = (1_500_000.0 / (1.0 + ratio)).round() as i64;
    assert!((a.basic_wage - expected_basic).abs() <= 1);

    let b = &agents[1];
    assert_eq!(b.sex, Sex::Female);
    assert_eq!(b.category, Category::Worker);
    assert_eq!(b.track, Track::Contract);
    assert_eq!(b.title(), "section");
    assert_eq!(b.discipline, 0, "empty discipline defaults to the first");
    assert_eq!(b.hired, b.work_start, "empty hired defaults to work_start");
    assert!((b.wage() - 900_050).abs() <= 1);

    let c = &agents[2];
    assert_eq!(c.sex, Sex::Female, "values are case-insensitive");
    assert_eq!(c.track, Track::Temporary);
    assert_eq!(c.title(), "clerk");
}

#[test]
fn identifiers_are_dropped() {
    let s = Scenario::default();
    let agents = load_roster(&fixture("roster_good.csv"), &s).unwrap();
    let dump = format!("{agents:?}");
    for secret in [
        "张三",
        "李四",
        "王五",
        "110101199003071234",
        "510104198512120028",
        "51010419700101001X",
        "T001",
        "T002",
    ] {
        assert!(!dump.contains(secret), "`{secret}` leaked into the agents");
    }
}

#[test]
fn bad_roster_reports_every_bad_row_with_line_and_column() {
    let s = Scenario::default();
    let path = fixture("roster_bad.csv");
    let e = load_roster(&path, &s).unwrap_err();
    let m = messages(&e);
    let file = path.display().to_string();
    let has = |line: u32, column: &str, value: &str| {
        // Cell values are withheld: only their length is shown.
        let shown = match value.chars().count() {
            1 => "<1 character withheld>".to_string(),
            n => format!("<{n} characters withheld>"),
        };
        let prefix = format!("{file}:{line}: column `{column}` = {shown}: ");
        assert!(
            m.iter().any(|x| x.starts_with(&prefix)),
            "no `{prefix}` in\n{}",
            m.join("\n")
        );
    };
    has(3, "sex", "man");
    has(3, "birth", "1985-13");
    has(4, "title", "section");
    has(4, "university", "university-z");
    has(5, "hired", "2030-01");
    has(5, "monthly_wage", "0");
    has(7, "birth", "1900-01");
    has(7, "monthly_wage", "-5");
    assert!(
        m.iter()
            .any(|x| x.starts_with(&format!("{file}:6: ")) && x.contains("fields")),
        "ragged row 6 not reported:\n{}",
        m.join("\n")
    );
    assert!(!m.iter().any(|x| x.contains(":2: ")), "line 2 is good");
    // Allowed values are named.
    assert!(m.iter().any(|x| x.contains("allowed: male, female")));
    assert!(m.iter().any(|x| x.contains("university-a")));
    // The names in the bad file are not echoed either.
    assert!(!e.to_string().contains("张三"));
}

#[test]
fn unknown_column_gets_a_did_you_mean() {
    let s = Scenario::default();
    let text = "sex,brith,track,ladder,title,university,work_start,monthly_wage,salary_grade\n";
    let e = parse_roster(text, "r.csv", &s).unwrap_err();
    let out = e.to_string();
    assert!(
        out.contains("r.csv:1: unknown column `brith` (did you mean `birth`?)"),
        "{out}"
    );
    assert!(
        out.contains("the columns are sex, category, birth"),
        "{out}"
    );
    assert!(out.contains("unknown column `salary_grade`"), "{out}");
    assert!(out.contains("required column `birth` is missing"), "{out}");
}

#[test]
fn empty_inputs_are_errors() {
    let s = Scenario::default();
    for text in ["", "\u{feff}", "\n\n"] {
        let e = parse_roster(text, "e.csv", &s).unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
    }
    let header = "sex,birth,track,ladder,title,university,work_start,monthly_wage\n";
    let e = parse_roster(header, "h.csv", &s).unwrap_err();
    assert!(e.to_string().contains("no staff rows"), "{e}");
}

#[test]
fn garbage_gives_errors_not_panics() {
    use rand::{Rng, SeedableRng};
    let s = Scenario::default();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let dir = tempfile::tempdir().unwrap();
    let header = "sex,birth,track,ladder,title,university,work_start,monthly_wage\n";
    for round in 0..200 {
        let len = rng.random_range(0..600);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        if round % 2 == 1 {
            // Junk after a valid header reaches the row checks.
            let mut b = header.as_bytes().to_vec();
            b.append(&mut bytes);
            bytes = b;
        }
        let path = dir.path().join(format!("junk{round}.csv"));
        std::fs::write(&path, &bytes).unwrap();
        assert!(load_roster(&path, &s).is_err(), "round {round} imported");
        let lossy = String::from_utf8_lossy(&bytes);
        assert!(parse_roster(&lossy, "junk.csv", &s).is_err());
    }
    let e = load_roster(Path::new("/nonexistent/roster.csv"), &s).unwrap_err();
    assert!(matches!(e, RosterError::Read { .. }));
}
