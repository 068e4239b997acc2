//! Loading scenario files end to end: overlays, overrides, one file per class of bad input
//! (tests/bad_inputs/), the generated docs/SCENARIOS.md and the catalog's completeness.

use sisandbox::scenario::{self, Allowed, Dated, KeyDoc, Scenario, ScenarioError};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn sets(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The error of loading a bad input, with the manifest directory cut from file names.
fn bad(name: &str) -> String {
    let root = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    match scenario::load(&path(&format!("tests/bad_inputs/{name}")), &[]) {
        Ok(_) => panic!("{name} loaded without error"),
        Err(e) => e.to_string().replace(&root, ""),
    }
}

fn assert_has(text: &str, wanted: &str) {
    assert!(
        text.contains(wanted),
        "expected\n  {wanted}\nin\n  {}",
        text.replace('\n', "\n  ")
    );
}

#[test]
fn overlay_changes_only_what_it_writes() {
    let base = scenario::load(&path("tests/fixtures/base.toml"), &[]).unwrap();
    let over = scenario::load(&path("tests/fixtures/overlay.toml"), &[]).unwrap();
    assert_eq!(
        over.files,
        [
            path("tests/fixtures/base.toml"),
            path("tests/fixtures/overlay.toml")
        ]
    );
    let mut expected = base.scenario.clone();
    expected.name = "two-universities-fast-growth".into();
    expected.simulation.seed = 7;
    expected.careers.wage_growth = Dated::constant(0.05);
    expected.extends = Some("base.toml".into());
    assert_eq!(over.scenario, expected);
    // And the base changed only what it wrote on the embedded default.
    assert_eq!(base.scenario.simulation.years, 20);
    assert_eq!(base.scenario.universities.len(), 2);
    assert_eq!(base.scenario.population, Scenario::default().population);
    assert_eq!(base.scenario.regions, Scenario::default().regions);
}

#[test]
fn set_overrides_apply_after_files_and_are_validated() {
    let o = sets(&[
        "simulation.agents=5000",
        "universities[1].region=\"gansu\"",
        "careers.wage_growth=0.03",
        "name=bare-word",
    ]);
    let loaded = scenario::load(&path("tests/fixtures/overlay.toml"), &o).unwrap();
    let s = loaded.scenario;
    assert_eq!(s.simulation.agents, 5000);
    assert_eq!(s.universities[1].region, "gansu");
    assert_eq!(s.careers.wage_growth, Dated::constant(0.03));
    assert_eq!(s.name, "bare-word");

    let typo = scenario::from_str("", "x.toml", &sets(&["simulation.agnets=5"]))
        .unwrap_err()
        .to_string();
    assert_eq!(typo, "--set simulation.agnets=5: simulation.agnets: unknown key `agnets`; did you mean `agents`?");
    let range = scenario::from_str("", "x.toml", &sets(&["universities[3].region=beijing"]))
        .unwrap_err()
        .to_string();
    assert_eq!(range, "--set universities[3].region=beijing: universities[3].region: index 3 is out of range: `universities` has 1 item");
    let value = scenario::from_str("", "x.toml", &sets(&["careers.move_share=2"]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        value,
        "--set careers.move_share=2: careers.move_share = 2: expected a number 0 to 1"
    );
    let region = scenario::from_str("", "x.toml", &sets(&["universities[0].region=atlantis"]))
        .unwrap_err()
        .to_string();
    assert_has(&region, "--set universities[0].region=atlantis: universities[0].region = \"atlantis\": unknown region `atlantis`");
    let no_eq = scenario::from_str("", "x.toml", &sets(&["simulation.agents"]))
        .unwrap_err()
        .to_string();
    assert_has(&no_eq, "--set simulation.agents: expected KEY=VALUE");
}

#[test]
fn bad_syntax() {
    let e = bad("bad_syntax.toml");
    assert_has(&e, "tests/bad_inputs/bad_syntax.toml:4:9: invalid TOML:");
}

#[test]
fn unknown_key_with_did_you_mean() {
    let e = bad("unknown_key.toml");
    assert_eq!(e, "tests/bad_inputs/unknown_key.toml:4:1: simulation.agnets: unknown key `agnets`; did you mean `agents`?");
    let e = scenario::from_str("[simulation]\nzzz = 1\n", "x.toml", &[])
        .unwrap_err()
        .to_string();
    assert_has(&e, "x.toml:2:1: simulation.zzz: unknown key `zzz`; the keys here are agents, roster, roster_exact_agents, roster_k_anonymity, seed, start, years");
}

#[test]
fn unknown_key_in_a_dated_entry() {
    let text = "[careers]\nwage_growth = [{ form = 2020, value = 0.03 }]\n";
    let e = scenario::from_str(text, "x.toml", &[])
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "x.toml:2:18: careers.wage_growth[0].form: unknown key `form`; did you mean `from`?"
    );
}

#[test]
fn out_of_range_values_including_dated_entries() {
    let e = bad("out_of_range.toml");
    assert_has(&e, "tests/bad_inputs/out_of_range.toml:3:11: careers.quit_rate.contract = 1.5: expected a number 0 to 1");
    assert_has(&e, "tests/bad_inputs/out_of_range.toml:6:18: careers.wage_growth[1].value = -0.9: expected a number -0.2 to 0.5");
}

#[test]
fn wrong_type() {
    let e = bad("wrong_type.toml");
    assert_eq!(e, "tests/bad_inputs/wrong_type.toml:4:1: careers.quit_rate.contract = \"high\": expected a number 0 to 1");
}

#[test]
fn floor_above_ceiling() {
    let e = bad("floor_above_ceiling.toml");
    assert_has(&e, "tests/bad_inputs/floor_above_ceiling.toml:5:20: population.age_bands[1].to_age = 40: to_age 40 must be above from_age 60");
}

#[test]
fn track_shares_not_adding_to_one() {
    let e = bad("track_shares_not_one.toml");
    assert_has(&e, "tests/bad_inputs/track_shares_not_one.toml:2:13: population.tracks: track shares must add up to 1");
}

#[test]
fn unknown_region_in_a_dated_entry() {
    let e = bad("unknown_region.toml");
    assert_has(&e, "tests/bad_inputs/unknown_region.toml:5:32: careers.wage_growth[1].region = \"atlantis\": unknown region `atlantis`; the regions are beijing, shanghai");
}

#[test]
fn extends_cycle() {
    let e = bad("extends_cycle_a.toml");
    assert_has(&e, "tests/bad_inputs/extends_cycle_b.toml:3:1: extends = \"extends_cycle_a.toml\": extends cycle: ");
}

#[test]
fn missing_base_file() {
    let err = scenario::load(&path("tests/bad_inputs/missing_base.toml"), &[]).unwrap_err();
    assert!(matches!(err, ScenarioError::Io(_)));
    let e = bad("missing_base.toml");
    assert_has(&e, "tests/bad_inputs/missing_base.toml:3:1: extends = \"no_such_base.toml\": cannot read base scenario tests/bad_inputs/no_such_base.toml");
}

#[test]
fn empty_dated_table() {
    let e = bad("empty_dated_table.toml");
    assert_eq!(e, "tests/bad_inputs/empty_dated_table.toml:4:1: careers.wage_growth = []: a dated table needs at least one entry");
}

#[test]
fn duplicate_region() {
    let e = bad("duplicate_region.toml");
    assert_eq!(e, "tests/bad_inputs/duplicate_region.toml:10:1: regions[1].name = \"sichuan\": region `sichuan` is defined twice");
}

#[test]
fn missing_file_is_named() {
    let err = scenario::load(Path::new("no/such/scenario.toml"), &[]).unwrap_err();
    assert!(matches!(err, ScenarioError::Io(_)));
    assert_has(
        &err.to_string(),
        "no/such/scenario.toml: cannot read scenario file:",
    );
}

#[test]
fn extends_chain_deeper_than_16_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..18 {
        let text = if i < 17 {
            format!("extends = \"s{}.toml\"\n", i + 1)
        } else {
            String::new()
        };
        std::fs::write(dir.path().join(format!("s{i}.toml")), text).unwrap();
    }
    let e = scenario::load(&dir.path().join("s0.toml"), &[])
        .unwrap_err()
        .to_string();
    assert_has(
        &e,
        "s16.toml:1:1: extends = \"s17.toml\": the extends chain is deeper than 16 files",
    );
    assert!(
        scenario::load(&dir.path().join("s1.toml"), &[]).is_ok(),
        "16 links are allowed"
    );
}

#[test]
fn garbage_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, b"name = \"a\"\n\xff\xfe\x00garbage").unwrap();
    let e = scenario::load(&binary, &[]).unwrap_err();
    assert!(matches!(e, ScenarioError::Syntax(_)));
    assert_has(&e.to_string(), "binary.toml:2:1: not UTF-8 text");
    let inputs = [
        "\0\0\0".to_string(),
        "simulation.agents = 99999999999999999999".into(),
        "simulation.agents = 1e400".into(),
        "simulation.seed = -1".into(),
        format!("{} = 1", vec!["a"; 5000].join(".")),
        format!("x = {}{}", "[".repeat(5000), "]".repeat(5000)),
        "[simulation.agents]\nx = 1".into(),
        "regions = 3".into(),
        "regions = [1, 2]".into(),
        "careers.wage_growth = [1, { value = 0.1, from = \"2025-13\", when = 3 }, { from = 2020 }]"
            .into(),
        "careers.wage_growth = [{ value = 0.1, region = 4 }]".into(),
    ];
    for text in inputs {
        let result = scenario::from_str(&text, "g.toml", &[]);
        assert!(result.is_err(), "{text:.60} should not load");
    }
    for o in [
        "=",
        "[0]=1",
        "a[99999999999999999999]=1",
        "regions[0]=1",
        "careers.wage_growth[0].value=1",
        "simulation.agents.x=1",
    ] {
        assert!(
            scenario::from_str("", "g.toml", &sets(&[o])).is_err(),
            "--set {o} should fail"
        );
    }
}

#[test]
fn scenarios_md_is_up_to_date() {
    let generated = scenario::scenarios_markdown();
    let file = path("docs/SCENARIOS.md");
    if std::env::var_os("SISANDBOX_WRITE_DOCS").is_some() {
        std::fs::write(&file, &generated).unwrap();
    }
    let written = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        written == generated,
        "docs/SCENARIOS.md is out of date with the key catalog; regenerate it with\n  \
         SISANDBOX_WRITE_DOCS=1 cargo test --test scenario_load scenarios_md_is_up_to_date"
    );
}

/// Leaf key paths of a serialised scenario, lists as `[]`, dated tables and structured values
/// as one leaf. Lists empty by default stand for whatever the catalog says is inside them.
fn leaves(
    v: &toml::Value,
    path: &str,
    catalog: &BTreeMap<String, KeyDoc>,
    out: &mut BTreeSet<String>,
) {
    let child = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    let structured = catalog
        .get(path)
        .is_some_and(|d| d.allowed == Allowed::Structured);
    match v {
        toml::Value::Table(t) if !structured => t
            .iter()
            .for_each(|(k, x)| leaves(x, &child(k), catalog, out)),
        toml::Value::Array(items) if !structured && items.iter().all(toml::Value::is_table) => {
            let dated = !items.is_empty() && items.iter().all(is_dated_entry);
            let list = format!("{path}[]");
            if dated {
                out.insert(path.to_string());
            } else if items.is_empty() && catalog.keys().any(|k| k.starts_with(&list)) {
                out.extend(catalog.keys().filter(|k| k.starts_with(&list)).cloned());
            } else {
                items.iter().for_each(|x| leaves(x, &list, catalog, out));
            }
        }
        _ => {
            out.insert(path.to_string());
        }
    }
}

fn is_dated_entry(v: &toml::Value) -> bool {
    v.as_table().is_some_and(|t| {
        t.contains_key("value")
            && t.keys()
                .all(|k| ["from", "region", "value"].contains(&k.as_str()))
    })
}

/// A value a key accepts, to show that a key absent from the default (an optional field)
/// exists in the structs.
fn sample(allowed: &Allowed) -> Option<String> {
    Some(match allowed {
        Allowed::Number { min, max } => format!("{:?}", min.or(*max).unwrap_or(0.0)),
        Allowed::Integer { min, max } => min.or(*max).unwrap_or(0).to_string(),
        Allowed::OneOf(words) => format!("\"{}\"", words.first()?),
        Allowed::Month => "\"2025-01\"".into(),
        Allowed::Text => "\"x\"".into(),
        Allowed::Bool => "true".into(),
        Allowed::Structured => return None,
    })
}

#[test]
fn catalog_documents_exactly_the_keys_of_the_scenario() {
    let catalog: BTreeMap<String, KeyDoc> = Scenario::key_docs()
        .into_iter()
        .map(|d| (d.path.clone(), d))
        .collect();
    let default = toml::Value::try_from(Scenario::default()).unwrap();
    let mut found = BTreeSet::new();
    leaves(&default, "", &catalog, &mut found);
    let undocumented: Vec<&String> = found.iter().filter(|p| !catalog.contains_key(*p)).collect();
    let mut problems: Vec<String> = undocumented
        .iter()
        .map(|p| format!("key without a KeyDoc: {p}"))
        .collect();
    for (p, doc) in catalog.iter().filter(|(p, _)| !found.contains(*p)) {
        // Absent from the default: an optional key must still deserialise when set.
        let set = sample(&doc.allowed).map(|v| format!("{}={v}", p.replace("[]", "[0]")));
        let ok = set.is_some_and(|s| scenario::from_str("", "catalog", &[s]).is_ok());
        if !ok {
            problems.push(format!("KeyDoc without a key in the scenario: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// TOML-ish fragments that stress the loader: keys of the catalog, wrong types, odd syntax.
fn fragment() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let pieces = prop::sample::select(vec![
        "[simulation]\n",
        "agents = ",
        "years = ",
        "start = ",
        "[careers]\n",
        "wage_growth = ",
        "[{ from = 2030, value = ",
        "region = \"x\" }]",
        "[[regions]]\n",
        "name = ",
        "extends = ",
        "\"a\"",
        "1e309",
        "-5",
        "0.5",
        "99999999999999999999",
        "true",
        "[",
        "]",
        "{",
        "}",
        "=",
        ".",
        "\n",
        "\"",
        "#",
        "\u{0}",
        "计",
        "[population.tracks]\n",
        "contract = ",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    #[test]
    fn loading_never_panics(text in fragment(), set in fragment()) {
        let _ = scenario::from_str(&text, "fuzz.toml", &[]);
        let _ = scenario::from_str("", "fuzz.toml", &[set.replacen(' ', "", 1)]);
    }
}

/// Large files load whole and right: 40,000 dated entries and 6,000 universities (a loader
/// that was once quadratic in them took minutes for such files). The `load` benchmarks in
/// benches/engine.rs load 200,000 dated entries and the same universities in release and
/// measure the time, which a test must not (a timed test fails on a loaded machine); CI runs
/// them once (`cargo bench -- --test`). In a debug build 200,000 entries took half a minute
/// to parse, so this test keeps to 40,000.
#[test]
fn large_scenarios_load_whole() {
    use std::fmt::Write;
    /// Months of dated entries, two entries (national and Sichuan) per month.
    const MONTHS: i32 = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let mut dated = String::from("[insurance.pension]\nenterprise_employer_rate = [\n");
    for i in 0..MONTHS {
        let (y, m) = (1000 + i / 12, i % 12 + 1);
        writeln!(dated, "  {{ from = \"{y:04}-{m:02}\", value = 0.16 }},").unwrap();
        writeln!(
            dated,
            "  {{ from = \"{y:04}-{m:02}\", value = 0.15, region = \"sichuan\" }},"
        )
        .unwrap();
    }
    dated.push_str("]\n");
    let mut univ = String::new();
    for i in 0..6_000 {
        write!(
            univ,
            "[[universities]]\nname = \"u{i}\"\nregion = \"sichuan\"\nfiscal = \"local\"\n\
             staff_share = 1.0\nwage_level = 1.0\nenterprise_annuity = false\nheadcount_growth = 0.0\n"
        )
        .unwrap();
    }
    for (name, text) in [("dated.toml", dated), ("universities.toml", univ)] {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let loaded = match scenario::load(&f, &[]) {
            Ok(l) => l.scenario,
            Err(e) => panic!("{name}: {e}"),
        };
        if name == "universities.toml" {
            assert_eq!(loaded.universities.len(), 6_000);
            assert_eq!(loaded.universities[5_999].name, "u5999");
        } else {
            let rate = &loaded.insurance.pension.enterprise_employer_rate;
            let late = sisandbox::time::YearMonth::ym(1000 + (MONTHS - 1) / 12, 12);
            assert_eq!(*rate.at(late, "sichuan"), 0.15);
            assert_eq!(*rate.at(late, "beijing"), 0.16);
        }
    }
}

/// A roster named in a base file of another folder is found beside that base file, not beside
/// the file that extends it.
#[test]
fn a_roster_inherited_through_extends_resolves_from_the_file_that_names_it() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("base")).unwrap();
    std::fs::create_dir_all(d.path().join("reforms")).unwrap();
    std::fs::write(d.path().join("base/staff.csv"), "id\n").unwrap();
    std::fs::write(
        d.path().join("base/base.toml"),
        "[simulation]\nroster = \"staff.csv\"\n",
    )
    .unwrap();
    let reform = d.path().join("reforms/reform.toml");
    std::fs::write(&reform, "extends = \"../base/base.toml\"\nname = \"r\"\n").unwrap();
    let s = scenario::load(&reform, &[]).unwrap().scenario;
    let roster = s.simulation.roster.expect("inherited");
    // Runs resolve it from the folder of the file loaded.
    let resolved = d.path().join("reforms").join(&roster);
    assert_eq!(
        std::fs::canonicalize(resolved).unwrap(),
        std::fs::canonicalize(d.path().join("base/staff.csv")).unwrap()
    );
    // In the same folder nothing changes.
    let same = d.path().join("base/reform.toml");
    std::fs::write(&same, "extends = \"base.toml\"\nname = \"r\"\n").unwrap();
    let s = scenario::load(&same, &[]).unwrap().scenario;
    assert_eq!(s.simulation.roster.as_deref(), Some("staff.csv"));
}

#[test]
fn values_that_would_overflow_money_are_refused_by_key() {
    let start = scenario::from_str("", "x.toml", &sets(&["simulation.start=9999-01"]))
        .unwrap_err()
        .to_string();
    assert_has(&start, "simulation.start");
    assert_has(&start, "expected a month from 1990-01 to 2100-12");
    let rate = scenario::from_str(
        "",
        "x.toml",
        &sets(&["insurance.work_injury.class_base_rates=[0.002, 1.5]"]),
    )
    .unwrap_err()
    .to_string();
    assert_has(&rate, "insurance.work_injury.class_base_rates[1]");
    assert_has(&rate, "expected a share from 0 to below 0.1");
    // The bounds themselves are fine.
    scenario::from_str("", "x.toml", &sets(&["simulation.start=1990-01"])).unwrap();
    scenario::from_str("", "x.toml", &sets(&["simulation.start=2100-12"])).unwrap();
}
