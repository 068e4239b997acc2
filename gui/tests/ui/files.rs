//! The file dialog, answered by the test: open, save a new scenario outside any project
//! folder, a refused save that names the file asked for, and a cancelled dialog.

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sisandbox_gui::files::{Mode, Scripted};
use sisandbox_gui::{GuiApp, Startup};
use std::sync::Arc;

fn harness<'a>() -> Harness<'a, GuiApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(|cc| GuiApp::new(&cc.egui_ctx, Startup::default()))
}

#[test]
fn a_new_scenario_is_saved_where_the_dialog_says_and_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet, outside any project.
    let target = dir.path().join("elsewhere/policy/new.toml");
    let answers = Arc::new(Scripted::new([target.clone(), target.clone()]));
    let mut h = harness();
    h.state_mut().state.files = Box::new(answers.clone());
    h.get_by_label("New").click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    let asked = answers.asked();
    assert_eq!(asked.len(), 1, "saving a new scenario asks where");
    assert_eq!(asked[0].mode, Mode::Save);
    assert_eq!(asked[0].file_name.as_deref(), Some("untitled.toml"));
    assert!(target.is_file());
    let doc = h.state().state.active_doc().unwrap();
    assert_eq!(doc.path, target);
    assert!(!doc.is_dirty());
    let (is_err, msg) = h.state().state.message.clone().unwrap();
    assert!(!is_err, "{msg}");

    // Saved once, Save writes there again without asking.
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(answers.asked().len(), 1);

    // Open… opens the file the dialog gives (here the one just saved: brought forward).
    h.get_by_label("Open…").click();
    h.run();
    assert_eq!(answers.asked()[1].mode, Mode::Open);
    assert_eq!(h.state().state.docs.len(), 1);
}

#[test]
fn a_refused_save_names_the_file_not_a_temporary_one_and_cancel_does_nothing() {
    let dir = tempfile::Builder::new()
        .prefix("refused")
        .tempdir()
        .unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let answers = Arc::new(Scripted::new([blocker.join("new.toml")]));
    let mut h = harness();
    h.state_mut().state.files = Box::new(answers.clone());
    h.get_by_label("New").click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    let (is_err, msg) = h.state().state.message.clone().unwrap();
    assert!(is_err);
    assert!(msg.contains("new.toml"), "{msg}");
    assert!(!msg.contains(".tmp"), "{msg}");
    assert!(h.state().state.active_doc().unwrap().is_dirty());
    // A folder where the file should be: refused, naming the file asked for.
    let folder = dir.path().join("taken.toml");
    std::fs::create_dir(&folder).unwrap();
    h.state_mut().state.files = Box::new(Arc::new(Scripted::new([folder.clone()])));
    h.get_by_label("Save").click();
    h.run();
    let (is_err, msg) = h.state().state.message.clone().unwrap();
    assert!(is_err);
    assert!(msg.starts_with(&folder.display().to_string()), "{msg}");
    assert!(!msg.contains(".tmp"), "{msg}");
    h.state_mut().state.files = Box::new(answers.clone());

    // No answer left: the dialog was cancelled, nothing is saved or opened.
    h.get_by_label("Save as…").click();
    h.run();
    h.get_by_label("Open…").click();
    h.run();
    assert_eq!(answers.asked().len(), 3);
    assert_eq!(h.state().state.docs.len(), 1);
    assert!(h.state().state.active_doc().unwrap().is_dirty());
}
