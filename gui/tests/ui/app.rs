//! The app driven like a user with egui_kittest: open a scenario, make a reform and change a
//! lever, run both, compare them, export; a broken file shows its problem with file and line;
//! the language switches to Chinese; unsaved edits are never dropped without asking.

use crate::common;

use common::harness;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sisandbox_gui::analysis::{ChartData, Metric};
use sisandbox_gui::command::Command;
use sisandbox_gui::results::SeriesMetric;
use sisandbox_gui::state::Tab;
use sisandbox_gui::{GuiApp, Startup};
use std::path::Path;
use std::time::{Duration, Instant};

/// A small scenario that runs in a moment even in a debug build.
fn write_base(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("base.toml");
    std::fs::write(
        &p,
        "name = \"base\"\n[simulation]\nagents = 150\nyears = 3\n",
    )
    .unwrap();
    p
}

fn wait_for_runs(h: &mut Harness<GuiApp>) {
    let start = Instant::now();
    while h.state().state.busy() {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "runs took too long"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
}

#[test]
fn open_change_a_lever_run_and_compare_two_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let base = write_base(dir.path());
    let mut h = harness(Startup::default());
    h.state_mut().state.path_input = base.display().to_string();
    h.get_by_label("Open").click();
    h.run();
    assert_eq!(h.state().state.docs.len(), 1);

    // A reform of the base, with one lever changed in the form.
    h.get_by_label("New reform from this").click();
    h.run();
    assert_eq!(h.state().state.docs.len(), 2);
    let reform = h.state().state.active_doc().unwrap();
    assert!(
        reform.text.contains("extends = \"base.toml\""),
        "{}",
        reform.text
    );
    assert!(reform.is_dirty());
    h.get_by_role_and_label(
        Role::TextInput,
        "Conversion to established posts (per year)",
    )
    .scroll_to_me();
    h.run();
    h.get_by_role_and_label(
        Role::TextInput,
        "Conversion to established posts (per year)",
    )
    .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(
        Role::TextInput,
        "Conversion to established posts (per year)",
    )
    .type_text("0.25");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let reform = h.state().state.active_doc().unwrap();
    assert!(
        reform.text.contains("conversion_rate = 0.25"),
        "{}",
        reform.text
    );
    assert!(reform.scenario().is_some(), "{:?}", reform.diagnostics());

    // The diff view lists exactly the key changed (and the name).
    h.get_by_label("Changes vs base").click();
    h.run();
    assert!(h.query_by_label("careers.conversion_rate").is_some());
    assert!(h.query_by_label("0.25").is_some());

    // Save, then run both with two replications.
    h.get_by_label("Save").click();
    h.run();
    assert!(dir.path().join("base-reform.toml").exists());
    h.get_by_label("Run").click();
    h.run();
    h.state_mut().state.run_settings.replications = 2;
    h.state_mut().state.run_settings.out = dir.path().join("results");
    h.get_by_label("Run all valid").click();
    h.step();
    wait_for_runs(&mut h);
    assert_eq!(h.state().state.runs.len(), 2);

    // The comparison shows both scenarios in the chart's key and in the table.
    h.get_by_label("Compare").click();
    h.step();
    let start = Instant::now();
    while h.state_mut().state.summary().is_none() {
        assert!(start.elapsed() < Duration::from_secs(120), "no summary");
        h.step();
    }
    h.run();
    assert_eq!(h.state().state.tab, Tab::Compare);
    assert!(h.query_by_label("■ base").is_some());
    assert!(h.query_by_label("■ base-reform").is_some());
    assert!(h.get_all_by_label("base-reform").count() >= 2);
    let cached = h.state_mut().state.comparison().expect("a comparison");
    assert_eq!(cached.prepared.names, ["base", "base-reform"]);
    let start = Instant::now();
    while h.state_mut().state.summary().is_none() {
        assert!(start.elapsed() < Duration::from_secs(120), "no summary");
        h.step();
    }
    let table = h
        .state_mut()
        .state
        .summary()
        .unwrap()
        .as_ref()
        .expect("a summary table");
    let rr = Metric::Agent(sisandbox_gui::results::AgentMetric::ReplacementRate);
    let reform_rr = table
        .iter()
        .find(|r| r.scenario == "base-reform" && r.metric == rr)
        .expect("a row of the reform");
    assert!(
        reform_rr.diff.is_some() && reform_rr.diff_ci.is_some(),
        "{reform_rr:?}"
    );
    assert!(reform_rr.paired, "same seed and headcount pair the agents");
    // Each replication was written as a run folder, as the CLI would.
    let folders = std::fs::read_dir(dir.path().join("results"))
        .unwrap()
        .count();
    assert_eq!(folders, 4);

    // Box plots by track, then the time-series bands of staff.
    h.get_by_label("Box plots").click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Group by");
    match &h.state_mut().state.comparison().unwrap().chart {
        ChartData::Box { labels, boxes } => {
            assert!(labels.contains(&"establishment".to_string()), "{labels:?}");
            assert_eq!(boxes.len(), 2);
        }
        other => panic!("expected box plots, got {other:?}"),
    }
    h.state_mut()
        .state
        .apply(Command::SetMetric(Metric::Series(SeriesMetric::Staff)));
    h.run();
    assert!(h
        .query_by_label("Time series (bands across replications)")
        .is_some());
    match &h.state_mut().state.comparison().unwrap().chart {
        ChartData::Bands(series) => {
            assert_eq!(series.len(), 2);
            assert_eq!(series[0].1.len(), 36, "one point a month");
        }
        other => panic!("expected bands, got {other:?}"),
    }

    // Export the chart through the core's figures, and the table as CSV.
    let answers = std::sync::Arc::new(sisandbox_gui::files::Scripted::new([
        dir.path().join("cmp.svg"),
        dir.path().join("cmp.csv"),
    ]));
    h.state_mut().state.files = Box::new(answers.clone());
    h.get_by_label("Chart as SVG…").click();
    h.run();
    h.get_by_label("Table as CSV…").click();
    h.run();
    // The dialogs offered names made of the chart and the scenarios.
    let asked: Vec<String> = answers
        .asked()
        .into_iter()
        .filter_map(|r| r.file_name)
        .collect();
    assert_eq!(
        asked,
        [
            "staff-retention_time-series-bands-across-replications_base-vs-base-reform.svg",
            "differences_base-vs-base-reform.csv"
        ]
    );
    let svg = std::fs::read_to_string(dir.path().join("cmp.svg")).unwrap();
    assert!(svg.contains("base-reform"));
    assert!(
        svg.contains("Scenarios: base (baseline), base-reform · seed ")
            && svg.contains(" · 2 replications each</text>"),
        "the caption is in the figure"
    );
    let csv = std::fs::read_to_string(dir.path().join("cmp.csv")).unwrap();
    assert!(csv.starts_with("scenario,outcome,n,over,estimate"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("base-reform,")), "{csv}");
}

#[test]
fn a_broken_scenario_shows_its_problem_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("broken.toml");
    std::fs::write(&p, "name = \"broken\"\n[simulation]\nagnets = 5\n").unwrap();
    let mut h = harness(Startup {
        files: vec![p.clone()],
        ..Startup::default()
    });
    h.run();
    let shown = format!("{}:3:1: simulation.agnets", p.display());
    assert!(h.query_by_label_contains(&shown).is_some());
    assert!(h
        .query_by_label_contains("unknown key `agnets`; did you mean `agents`?")
        .is_some());
    // The same message in the text view.
    h.get_by_label("TOML text").click();
    h.run();
    assert!(h.query_by_label_contains(&shown).is_some());
}

#[test]
fn the_language_switches_to_chinese_while_running() {
    let dir = tempfile::tempdir().unwrap();
    let base = write_base(dir.path());
    let mut h = harness(Startup {
        files: vec![base],
        ..Startup::default()
    });
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Language").click();
    h.run();
    h.get_by_label("简体中文").click();
    h.run();
    // Glyphs missing from the fonts would fail the harness; the CJK font is registered.
    assert!(h.query_by_label("运行").is_some());
    assert!(h.query_by_label("参数").is_some());
    assert!(h.query_by_label_contains("政策杠杆：缴费基数").is_some());
}

#[test]
fn unsaved_edits_are_not_dropped_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let base = write_base(dir.path());
    let mut h = harness(Startup {
        files: vec![base.clone()],
        ..Startup::default()
    });
    h.run();
    h.get_by_label("New reform from this").click();
    h.run();
    h.get_by_label("Close").click();
    h.run();
    assert!(h.query_by_label("Unsaved changes").is_some());
    assert_eq!(h.state().state.docs.len(), 2);
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().state.docs.len(), 2);
    // Quitting asks too; Save writes the reform, then the app may close.
    h.state_mut().state.apply(Command::QuitRequested);
    h.run();
    assert!(!h.state().state.quit_confirmed);
    h.get_by_label("Save changes").click();
    h.run();
    assert!(h.state().state.quit_confirmed);
    assert!(dir.path().join("base-reform.toml").exists());
}
