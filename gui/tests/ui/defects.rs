//! One test per defect an analyst met in the app, each driving the window with egui_kittest:
//! a reform's stale base, an invalid entry that could not be cleared, number fields that saved
//! on every keystroke and clamped silently, a table whose difference fell outside its own
//! interval, an unlabelled take-home pay, a cancel that dropped finished work, and winners and
//! losers shown without saying how many agents were paired.

use crate::common;

use common::harness;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use sisandbox_gui::command::Command;
use sisandbox_gui::document::DocId;
use sisandbox_gui::state::{RunStatus, Tab};
use sisandbox_gui::{GuiApp, Startup};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn base_text(agents: u32, years: u32) -> String {
    format!("name = \"base\"\n[simulation]\nagents = {agents}\nyears = {years}\n")
}

fn id_of(h: &Harness<GuiApp>, name: &str) -> DocId {
    let s = &h.state().state;
    s.docs.iter().find(|d| d.label() == name).unwrap().id
}

fn wait_until(h: &mut Harness<GuiApp>, what: &str, done: impl Fn(&Harness<GuiApp>) -> bool) {
    let start = Instant::now();
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "waited too long: {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(3);
}

/// Whether some node's label contains `text`.
fn shows(h: &Harness<GuiApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

/// Shows the comparison and waits for its table (computed in the background).
fn show_compare(h: &mut Harness<GuiApp>) {
    h.state_mut().state.apply(Command::SetTab(Tab::Compare));
    wait_until(h, "the table", |h| {
        h.state().state.tab == Tab::Compare && shows(h, "Student-t")
    });
}

/// Replaces the text of a labelled text field and commits it with Enter.
fn enter(h: &mut Harness<GuiApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::TextInput, label).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

/// Defect 1: a reform read its base once; after the base was saved with fewer agents the
/// reform still ran the old headcount and the diff view showed a phantom change.
#[test]
fn a_reform_follows_its_base_after_the_base_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.toml", &base_text(150, 3));
    let reform = write(
        dir.path(),
        "reform.toml",
        "extends = \"base.toml\"\nname = \"reform\"\n[careers]\nconversion_rate = 0.2\n",
    );
    let mut h = harness(Startup {
        files: vec![base, reform],
        ..Startup::default()
    });
    h.run();
    let (b, r) = (id_of(&h, "base"), id_of(&h, "reform"));
    h.state_mut().state.apply(Command::Select(b));
    h.state_mut().state.apply(Command::SetValue {
        doc: b,
        path: "simulation.agents".into(),
        value: toml::Value::Integer(120),
    });
    h.run();
    h.get_by_label("Save").click();
    h.run();
    let reform_agents = h
        .state()
        .state
        .doc(r)
        .unwrap()
        .scenario()
        .unwrap()
        .simulation
        .agents;
    assert_eq!(reform_agents, 120, "the reform must read the saved base");
    // The diff view of the reform lists only what the reform itself changes.
    h.state_mut().state.apply(Command::Select(r));
    h.state_mut().state.apply(Command::SetTab(Tab::Diff));
    h.run();
    assert!(h.query_by_label("careers.conversion_rate").is_some());
    assert!(
        h.query_by_label("simulation.agents").is_none(),
        "a phantom change of the headcount"
    );
}

/// Defect 2: after an invalid entry the field showed the last valid value, and typing that
/// value back counted as no change, so the problem could not be cleared from the form.
#[test]
fn an_invalid_entry_is_shown_and_can_be_cleared_in_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(
        dir.path(),
        "base.toml",
        "name = \"base\"\n[simulation]\nagents = 150\nyears = 3\n[careers]\nmove_share = 0.3\n",
    );
    let mut h = harness(Startup {
        files: vec![base],
        ..Startup::default()
    });
    h.run();
    let id = id_of(&h, "base");
    // Written through the text, as an analyst might: 2 is not a share.
    let text = h.state().state.doc(id).unwrap().text.replace("0.3", "2");
    h.state_mut().state.apply(Command::SetText(id, text));
    h.run();
    assert!(h.state().state.doc(id).unwrap().scenario().is_none());
    let field = h.get_by_role_and_label(Role::TextInput, "Leavers who move to another university");
    assert_eq!(
        field.value().as_deref(),
        Some("2"),
        "the field shows what is written"
    );
    enter(&mut h, "Leavers who move to another university", "0.3");
    let d = h.state().state.doc(id).unwrap();
    assert!(d.scenario().is_some(), "{:?}", d.diagnostics());
    assert!(d.text.contains("move_share = 0.3"), "{}", d.text);
}

/// Defect 3: number fields saved on every keystroke and clamped silently: typing 40 saved 4,
/// clamped it to 17 and lost the 0; −500 agents became 1 without a word.
#[test]
fn number_fields_commit_on_enter_and_refuse_out_of_range_values_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.toml", &base_text(150, 3));
    let mut h = harness(Startup {
        files: vec![base],
        ..Startup::default()
    });
    h.run();
    let id = id_of(&h, "base");
    let before = h.state().state.doc(id).unwrap().text.clone();
    // Keystrokes alone write nothing.
    h.get_by_role_and_label(Role::TextInput, "Staff simulated")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Staff simulated")
        .click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Staff simulated")
        .type_text("4");
    h.run();
    assert_eq!(h.state().state.doc(id).unwrap().text, before);
    h.get_by_role_and_label(Role::TextInput, "Staff simulated")
        .type_text("0");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(
        h.state()
            .state
            .doc(id)
            .unwrap()
            .text
            .contains("agents = 40\n"),
        "{}",
        h.state().state.doc(id).unwrap().text
    );
    // Out of range: refused with a message, nothing written, the entry kept for correction.
    enter(&mut h, "Staff simulated", "-500");
    let d = h.state().state.doc(id).unwrap();
    assert!(d.text.contains("agents = 40\n"), "{}", d.text);
    assert!(shows(&h, "at least 1"));
    let field = h.get_by_role_and_label(Role::TextInput, "Staff simulated");
    assert_eq!(field.value().as_deref(), Some("-500"));
    // Not a number at all.
    enter(&mut h, "Staff simulated", "forty");
    assert!(shows(&h, "not a whole number"));
}

/// Runs every open scenario with `reps` replications into `dir/results` and waits.
fn run_all(h: &mut Harness<GuiApp>, dir: &Path, reps: u32) {
    h.state_mut().state.run_settings.replications = reps;
    h.state_mut().state.run_settings.out = dir.join("results");
    h.state_mut().state.apply(Command::RunAll);
    wait_until(h, "the runs", |h| !h.state().state.busy());
}

fn reform_text() -> &'static str {
    "extends = \"base.toml\"\nname = \"reform\"\n[careers]\nconversion_rate = 0.25\n"
}

/// Defect 4: the difference of series was a difference of medians while its interval was the
/// spread of per-replication differences, so the estimate could fall outside its interval;
/// three replications were labelled "95 %" without a caveat.
#[test]
fn differences_lie_in_their_intervals_and_few_replications_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.toml", &base_text(120, 3));
    let reform = write(dir.path(), "reform.toml", reform_text());
    let mut h = harness(Startup {
        files: vec![base, reform],
        ..Startup::default()
    });
    h.run();
    run_all(&mut h, dir.path(), 3);
    show_compare(&mut h);
    wait_until(&mut h, "the table", |h| {
        shows(h, "fewer than 5 replications")
    });
    let table = h
        .state_mut()
        .state
        .summary()
        .expect("a summary")
        .clone()
        .expect("a table");
    let mut checked = 0;
    for r in &table {
        if let (Some(d), Some((lo, hi))) = (r.diff, r.diff_ci) {
            assert!(lo <= d && d <= hi, "{r:?}");
            checked += 1;
        }
    }
    assert!(checked >= 4, "{table:?}");
    // Three replications: the interval is marked as rough, and its level is named.
    assert!(shows(&h, "fewer than 5 replications"));
    assert!(shows(&h, "over 3 replications"));
}

/// Defect 5: "Mean take-home pay" covered established staff only, without saying so.
#[test]
fn take_home_pay_is_shown_by_track_and_labelled() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.toml", &base_text(120, 2));
    let reform = write(dir.path(), "reform.toml", reform_text());
    let mut h = harness(Startup {
        files: vec![base, reform],
        ..Startup::default()
    });
    h.run();
    run_all(&mut h, dir.path(), 1);
    show_compare(&mut h);
    h.get_by_role_and_label(Role::ComboBox, "Outcome").click();
    h.run();
    assert!(h
        .query_by_label("Mean take-home pay (yuan/month)")
        .is_none());
    h.get_by_label("Mean take-home pay, established staff (yuan/month)")
        .click();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Outcome").click();
    h.run();
    assert!(h
        .query_by_label("Mean take-home pay, contract staff (yuan/month)")
        .is_some());
}

/// Defect 6: Cancel cancelled the whole queue, relabelled finished scenarios and dropped the
/// replications already written; Run stayed clickable during a run.
#[test]
fn cancel_stops_only_the_current_run_and_keeps_finished_replications() {
    let dir = tempfile::tempdir().unwrap();
    let long = write(dir.path(), "base.toml", &base_text(400, 12));
    let short = write(
        dir.path(),
        "short.toml",
        "name = \"short\"\n[simulation]\nagents = 60\nyears = 1\n",
    );
    let mut h = harness(Startup {
        files: vec![long, short],
        ..Startup::default()
    });
    h.run();
    let (a, b) = (id_of(&h, "base"), id_of(&h, "short"));
    h.state_mut().state.run_settings.replications = 3;
    h.state_mut().state.run_settings.out = dir.path().join("results");
    h.state_mut().state.apply(Command::SetTab(Tab::Run));
    h.run();
    h.get_by_label("Run all valid").click();
    h.run_steps(2);
    assert!(
        h.get_by_label("Run all valid")
            .accesskit_node()
            .is_disabled(),
        "Run all must be disabled while running"
    );
    // Wait for the first replication of the long run, then cancel.
    wait_until(&mut h, "a first replication", |h| {
        h.state().state.job.as_ref().is_some_and(|j| {
            j.progress
                .replication
                .load(std::sync::atomic::Ordering::Relaxed)
                >= 1
        })
    });
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    wait_until(&mut h, "the queue", |h| !h.state().state.busy());
    let s = &h.state().state;
    assert!(
        matches!(s.run_status.get(&a), Some(RunStatus::Cancelled { .. })),
        "{:?}",
        s.run_status.get(&a)
    );
    assert_eq!(
        s.run_status.get(&b),
        Some(&RunStatus::Finished),
        "the queue goes on"
    );
    let kept = s.runs.get(&a).expect("finished replications kept");
    assert!(!kept.replications.is_empty());
    for r in &kept.replications {
        assert!(r.dir.join("agents.csv").exists());
    }
    assert_eq!(s.runs.get(&b).unwrap().replications.len(), 3);
}

/// Defect 7: winners and losers were shown on small pairings without a warning, and "n"
/// meant agents or replications depending on the row (人数 for both in Chinese).
#[test]
fn pairing_share_is_stated_and_counts_name_their_unit_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.toml", &base_text(100, 2));
    let reform = write(dir.path(), "reform.toml", reform_text());
    let mut h = harness(Startup {
        files: vec![base, reform],
        ..Startup::default()
    });
    h.run();
    run_all(&mut h, dir.path(), 2);
    show_compare(&mut h);
    assert!(h.query_by_label("n").is_none(), "a bare n");
    assert!(shows(&h, "agents paired"));
    // A series: counted in replications.
    h.state_mut()
        .state
        .apply(Command::SetMetric(sisandbox_gui::analysis::Metric::Series(
            sisandbox_gui::results::SeriesMetric::Staff,
        )));
    h.run();
    assert!(shows(&h, "2 replications"));
    h.state_mut()
        .state
        .apply(Command::SetLang(sisandbox_gui::i18n::Lang::Zh));
    h.run();
    assert!(shows(&h, "2 次重复"));
    assert!(h.query_by_label("人数").is_none());
}
