//! Fuzzing of every input reader, on stable Rust: random and mutated inputs built from the
//! valid examples (scenarios/*.toml, scenarios/cases/*.toml, tests/fixtures/*) and the bad
//! inputs (tests/bad_inputs/*): byte flips, insertions and deletions, truncation, duplicated
//! and swapped lines, renamed keys, huge and special numbers, deep nesting, long strings, stray
//! quotes, BOMs, NULs and line-ending changes. Every input must give a result or an error that
//! names the file, never a panic, and each call must end within [`CALL_LIMIT`].
//!
//! Readers: scenario TOML (`scenario::from_str`, `--set` overrides, and `scenario::load` on raw
//! bytes), roster CSV (`roster::parse_roster`, `roster::load_roster` on raw bytes), pension
//! case (`insurance::case::parse_case`, then `evaluate` and both renderings). A scenario that
//! loads is also put through the resource guard, which must refuse or admit it without
//! allocating. Sweep TOML (`experiment::SweepPlan::load`, which also builds every variant).
//!
//! Cases per reader: `SISANDBOX_FUZZ_CASES` (default 400), from the fixed seed
//! `SISANDBOX_FUZZ_SEED` (default 20251125). Inputs that fail are written under the target
//! folder's tmp dir, and the failure message names them.
//!
//! The second half checks tests/bad_inputs/: one file per class of bad roster and case input,
//! each with its expected message.

#[path = "../common/mod.rs"]
mod common;
mod mutate;

use common::repo;
use mutate::{cases, corpus, inputs, mutate, seed, HUGE};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sisandbox::guard::{self, Limit};
use sisandbox::insurance::case::{self, parse_case, render_json, render_text};
use sisandbox::insurance::InsuranceParams;
use sisandbox::roster::{load_roster, parse_roster};
use sisandbox::scenario::{self, Scenario};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Longest time one reader call may take (debug build, shared CI machine).
const CALL_LIMIT: Duration = Duration::from_secs(20);

/// What one call did: `Ok` or `Err(message)`; panics are caught by the harness.
type Outcome = Result<(), String>;

/// Runs `call` on every input in a worker thread: no call may panic or take longer than
/// [`CALL_LIMIT`], and every error must satisfy `clear`. Returns (inputs tried, accepted).
fn fuzz(
    reader: &str,
    inputs: Vec<(String, Vec<u8>)>,
    call: impl Fn(&[u8]) -> Outcome + Send + 'static,
    clear: impl Fn(&str) -> Result<(), String>,
) -> (usize, usize) {
    let (tx, rx) = mpsc::channel::<(usize, Result<Outcome, String>)>();
    let shared: Vec<Vec<u8>> = inputs.iter().map(|(_, b)| b.clone()).collect();
    let worker = std::thread::spawn(move || {
        for (i, input) in shared.iter().enumerate() {
            let result = catch_unwind(AssertUnwindSafe(|| call(input))).map_err(|p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a panic".into())
            });
            if tx.send((i, result)).is_err() {
                return;
            }
        }
    });
    let mut failures = Vec::new();
    let mut accepted = 0;
    let mut last = Instant::now();
    let mut done = 0;
    while done < inputs.len() {
        match rx.recv_timeout(CALL_LIMIT) {
            Ok((i, result)) => {
                done += 1;
                last = Instant::now();
                match result {
                    Ok(Ok(())) => accepted += 1,
                    Ok(Err(message)) => {
                        if let Err(why) = clear(&message) {
                            failures.push((i, format!("unclear error ({why}): {}", cut(&message))));
                        }
                    }
                    Err(panic) => failures.push((i, format!("panic: {panic}"))),
                }
            }
            Err(_) => {
                failures.push((
                    done,
                    format!("no answer after {:?} (a hang)", last.elapsed()),
                ));
                break;
            }
        }
    }
    if failures.is_empty() {
        let _ = worker.join();
        return (inputs.len(), accepted);
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-{reader}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut report = format!(
        "{reader}: {} of {} inputs failed:\n",
        failures.len(),
        inputs.len()
    );
    for (i, why) in failures.iter().take(20) {
        let file = dir.join(format!("case-{i}"));
        std::fs::write(&file, &inputs[*i].1).unwrap();
        report.push_str(&format!(
            "  {} ({}): {why}\n",
            file.display(),
            cut(&inputs[*i].0)
        ));
    }
    panic!("{report}");
}

fn cut(s: &str) -> String {
    if s.chars().count() > 300 {
        format!("{}…", s.chars().take(300).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Longest line of an error message: values are cut when echoed, so no line grows with the
/// input (a message lists every problem, so its line count may).
const MAX_LINE: usize = 4096;

/// An error is clear when it is not empty, names the file (when there is one) and has no
/// line longer than [`MAX_LINE`].
fn clear_error(m: &str, file: Option<&str>, max_line: usize) -> Result<(), String> {
    if m.trim().is_empty() {
        return Err("empty".into());
    }
    if let Some(file) = file {
        if !m.contains(file) {
            return Err(format!("does not name {file}"));
        }
    }
    match m.lines().map(str::len).max() {
        Some(n) if n > max_line => Err(format!("a line of {n} bytes")),
        _ => Ok(()),
    }
}

fn names_file(file: &'static str) -> impl Fn(&str) -> Result<(), String> {
    move |m: &str| clear_error(m, Some(file), MAX_LINE)
}

#[test]
fn scenario_reader_never_panics_or_hangs() {
    let seeds = [
        corpus(&["scenarios", "tests/fixtures", "tests/bad_inputs"], "toml"),
        corpus(&["scenarios/cases"], "toml"),
    ]
    .concat();
    let limit = Limit::bytes(4 << 30);
    let origin = repo("scenarios/fuzz.toml").display().to_string();
    let (tried, ok) = fuzz(
        "scenario",
        inputs(&seeds, cases(), 1),
        move |bytes| {
            let text = String::from_utf8_lossy(bytes);
            match scenario::from_str(&text, &origin, &[]) {
                Ok(l) => {
                    // Loaded: the guard decides without allocating the population.
                    let agents = u64::from(l.scenario.simulation.agents);
                    let _ = guard::check(&l.scenario, agents, &limit);
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            }
        },
        names_file("fuzz.toml"),
    );
    assert!(
        ok > 0 && ok < tried,
        "some inputs load, most do not: {ok} of {tried}"
    );
}

#[test]
fn scenario_files_with_raw_bytes_never_panic() {
    // The file path: bytes that are not UTF-8, written to disk and loaded by path.
    let seeds = corpus(&["scenarios", "tests/fixtures"], "toml");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("raw.toml");
    let (tried, _) = fuzz(
        "scenario-file",
        inputs(&seeds, cases() / 4, 2),
        move |bytes| {
            std::fs::write(&file, bytes).unwrap();
            scenario::load(&file, &[])
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
        names_file("raw.toml"),
    );
    assert!(tried > 0);
}

#[test]
fn set_overrides_never_panic() {
    // `--set KEY=VALUE` with keys from the catalog (and near misses) and hostile values.
    let mut rng = ChaCha8Rng::seed_from_u64(seed() ^ 3);
    let keys: Vec<String> = Scenario::key_docs()
        .into_iter()
        .map(|d| d.path.replace("[]", "[0]"))
        .collect();
    let mut sets = Vec::new();
    for _ in 0..cases() / 2 {
        let mut key = keys[rng.random_range(0..keys.len())].clone();
        if rng.random_bool(0.2) {
            key = String::from_utf8_lossy(&mutate(&mut rng, key.as_bytes())).into_owned();
        }
        let value = HUGE[rng.random_range(0..HUGE.len())];
        let line = match rng.random_range(0..5) {
            0 => key,
            1 => format!("{key}="),
            2 => format!("{key}=[{value}, {value}]"),
            3 => format!("{key}={{ from = \"2020-01\", value = {value} }}"),
            _ => format!("{key}={value}"),
        };
        sets.push((format!("set-{}", sets.len()), line.into_bytes()));
    }
    let (tried, ok) = fuzz(
        "set",
        sets,
        |bytes| {
            let set = String::from_utf8_lossy(bytes).into_owned();
            scenario::from_str("", "<embedded default>", &[set])
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
        // A `--set` error quotes the text the user typed whole: lines are bounded by the
        // longest input (1 MB here) rather than by MAX_LINE.
        |m: &str| clear_error(m, None, 1 << 20),
    );
    assert!(ok < tried);
}

#[test]
fn roster_reader_never_panics_or_hangs() {
    let seeds = corpus(&["tests/fixtures", "tests/bad_inputs"], "csv");
    let s = Scenario::default();
    let (tried, ok) = fuzz(
        "roster",
        inputs(&seeds, cases(), 4),
        move |bytes| {
            let text = String::from_utf8_lossy(bytes);
            match parse_roster(&text, "fuzz.csv", &s) {
                Ok(agents) => {
                    let rows = text.lines().count();
                    if agents.len() >= rows.max(1) {
                        return Err(format!("{} agents from {rows} lines", agents.len()));
                    }
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            }
        },
        names_file("fuzz.csv"),
    );
    assert!(ok > 0 && ok < tried, "{ok} of {tried}");
}

#[test]
fn roster_files_with_raw_bytes_never_panic() {
    let seeds = corpus(&["tests/fixtures"], "csv");
    let s = Scenario::default();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("raw.csv");
    fuzz(
        "roster-file",
        inputs(&seeds, cases() / 4, 5),
        move |bytes| {
            std::fs::write(&file, bytes).unwrap();
            load_roster(&file, &s)
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
        names_file("raw.csv"),
    );
}

#[test]
fn case_reader_never_panics_or_hangs() {
    let seeds = corpus(&["scenarios/cases", "tests/bad_inputs"], "toml");
    let (tried, ok) = fuzz(
        "case",
        inputs(&seeds, cases(), 6),
        |bytes| {
            let text = String::from_utf8_lossy(bytes);
            match parse_case(&text, "fuzz-case.toml") {
                Ok(c) => {
                    // Parsed: the evaluation and both renderings must not panic either.
                    let report = c
                        .evaluate(&InsuranceParams::default())
                        .map_err(|e| e.to_string())?;
                    let text = render_text(&report, true);
                    let json = render_json(&report);
                    serde_json::from_str::<serde_json::Value>(&json)
                        .map_err(|e| format!("render_json is not JSON: {e}"))?;
                    if text.contains("NaN") || json.contains("NaN") || json.contains("inf") {
                        return Err(format!("non-finite value in the report:\n{text}"));
                    }
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            }
        },
        names_file("fuzz-case.toml"),
    );
    assert!(ok > 0 && ok < tried, "{ok} of {tried}");
}

#[test]
fn case_files_with_raw_bytes_never_panic() {
    let seeds = corpus(&["scenarios/cases"], "toml");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("raw-case.toml");
    fuzz(
        "case-file",
        inputs(&seeds, cases() / 4, 7),
        move |bytes| {
            std::fs::write(&file, bytes).unwrap();
            case::load_case(&file)
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
        names_file("raw-case.toml"),
    );
}

#[test]
fn sweep_reader_never_panics_or_hangs() {
    let seeds = corpus(&["scenarios/sweeps"], "toml");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fuzz-sweep.toml");
    let (tried, ok) = fuzz(
        "sweep",
        inputs(&seeds, cases() / 2, 8),
        move |bytes| {
            std::fs::write(&file, bytes).unwrap();
            sisandbox::experiment::SweepPlan::load(&file)
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
        names_file("fuzz-sweep.toml"),
    );
    assert!(ok > 0 && ok < tried, "{ok} of {tried}");
}

#[test]
fn sweep_files_that_load_are_well_formed_sweeps() {
    // The unmutated sweep examples load (the mutated ones are checked above).
    for (name, bytes) in corpus(&["scenarios/sweeps"], "toml") {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(&name);
        std::fs::write(&file, bytes).unwrap();
        let plan =
            sisandbox::experiment::SweepPlan::load(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!plan.variants.is_empty(), "{name} has variants");
    }
}

#[test]
fn the_mutator_is_deterministic_and_varied() {
    let seeds = corpus(&["scenarios"], "toml");
    let a = inputs(&seeds, 200, 9);
    let b = inputs(&seeds, 200, 9);
    assert_eq!(a, b, "a fixed seed gives the same inputs");
    let distinct: std::collections::BTreeSet<&Vec<u8>> = a.iter().map(|(_, x)| x).collect();
    assert!(distinct.len() > 150, "{} distinct inputs", distinct.len());
}

// ---- tests/bad_inputs/: one file per class of bad roster and case input ----------------------

/// Every class of bad roster input, with a piece of its expected message.
const BAD_ROSTERS: &[(&str, &str)] = &[
    ("roster_empty.csv", "the roster is empty"),
    ("roster_header_only.csv", "the roster has no staff rows"),
    (
        "roster_unknown_column.csv",
        "unknown column `brith` (did you mean `birth`?)",
    ),
    (
        "roster_duplicate_column.csv",
        "column `sex` appears twice in the header",
    ),
    (
        "roster_missing_column.csv",
        "required column `monthly_wage` is missing from the header",
    ),
    (
        "roster_field_count.csv",
        ":3: the row has 4 fields but the header has 10",
    ),
    (
        "roster_bad_choice.csv",
        ":2: column `sex` = <3 characters withheld>: allowed: male, female",
    ),
    (
        "roster_bad_month.csv",
        ":2: column `birth` = <7 characters withheld>: allowed: a month YYYY-MM",
    ),
    (
        "roster_bad_wage.csv",
        ":2: column `monthly_wage` = <2 characters withheld>: allowed: yuan per month",
    ),
    (
        "roster_unknown_university.csv",
        ":2: column `university` = <12 characters withheld>: allowed: university-a",
    ),
    (
        "roster_age_out_of_range.csv",
        ":2: column `birth` = <7 characters withheld>: age 125",
    ),
    (
        "roster_dates_out_of_order.csv",
        ":2: column `work_start` = <7 characters withheld>: allowed: a month after birth (1980-01)",
    ),
    (
        "roster_not_utf8.csv",
        ":2: not UTF-8 text; save the roster as a UTF-8 CSV file",
    ),
    ("roster_unclosed_quote.csv", "the row has"),
];

/// Every class of bad case input, with a piece of its expected message.
const BAD_CASES: &[(&str, &str)] = &[
    ("case_bad_syntax.toml", "case_bad_syntax.toml:3: not valid TOML: invalid basic string"),
    ("case_missing_section.toml", "case_missing_section.toml: `region`: the section `[region]` is missing"),
    ("case_unknown_key.toml", "case_unknown_key.toml:7: `record.contribution_month`: unknown key `contribution_month` (did you mean `contribution_months`?)"),
    ("case_wrong_type.toml", "case_wrong_type.toml:7: `record.contribution_months`: `\"many\"` is not a number; allowed: whole number of months, 0 to 1200"),
    ("case_bad_choice.toml", "case_bad_choice.toml:2: `person.sex`: unknown value \"f\"; allowed: one of `male`, `female`"),
    ("case_bad_month.toml", "case_bad_month.toml:4: `person.birth`: `1974-13` is not a month"),
    ("case_out_of_range.toml", "case_out_of_range.toml:9: `record.average_index`: -2.5 is out of range; allowed: a number 0 to 10"),
];

fn bad_path(name: &str) -> PathBuf {
    repo(&format!("tests/bad_inputs/{name}"))
}

fn assert_has(text: &str, wanted: &str, name: &str) {
    assert!(
        text.contains(wanted),
        "{name}: expected\n  {wanted}\nin\n  {}",
        text.replace('\n', "\n  ")
    );
}

#[test]
fn every_bad_roster_class_has_its_message() {
    let s = Scenario::default();
    for (name, wanted) in BAD_ROSTERS {
        let e = match load_roster(&bad_path(name), &s) {
            Ok(a) => panic!("{name} imported {} agents", a.len()),
            Err(e) => e.to_string(),
        };
        assert_has(&e, name, name);
        assert_has(&e, wanted, name);
    }
}

#[test]
fn every_bad_case_class_has_its_message() {
    for (name, wanted) in BAD_CASES {
        let e = match case::load_case(&bad_path(name)) {
            Ok(_) => panic!("{name} parsed"),
            Err(e) => e.to_string(),
        };
        assert_has(&e, wanted, name);
    }
}

#[test]
fn every_bad_input_file_is_checked_by_a_test() {
    // The scenario classes are checked by tests/scenario_load.rs, the resource classes by
    // tests/faults.rs, the targets files of `calibrate` by tests/calibrate_cli.rs, the roster
    // and case classes above.
    let loader = std::fs::read_to_string(repo("tests/scenario_load.rs")).unwrap();
    let faults = std::fs::read_to_string(repo("tests/faults.rs")).unwrap();
    let calibrate = std::fs::read_to_string(repo("tests/calibrate_cli.rs")).unwrap();
    for entry in std::fs::read_dir(repo("tests/bad_inputs")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let here = BAD_ROSTERS.iter().chain(BAD_CASES).any(|(n, _)| *n == name);
        assert!(
            here || loader.contains(&name) || faults.contains(&name) || calibrate.contains(&name),
            "tests/bad_inputs/{name} is checked by no test"
        );
    }
}
