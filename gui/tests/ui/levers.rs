//! The lever view: plain names in both languages, policy levers first, choices as dropdowns,
//! keys set in the file marked with "reset to base", dated tables edited as rows.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use sisandbox_gui::command::Command;
use sisandbox_gui::dated::Col;
use sisandbox_gui::i18n::Lang;
use sisandbox_gui::{GuiApp, Startup};
use std::path::Path;

fn open(dir: &Path) -> Harness<'static, GuiApp> {
    std::fs::write(
        dir.join("base.toml"),
        "name = \"base\"\n[simulation]\nagents = 100\nyears = 2\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("reform.toml"),
        "extends = \"base.toml\"\nname = \"reform\"\n[careers]\nconversion_rate = 0.2\n",
    )
    .unwrap();
    let startup = Startup {
        files: vec![dir.join("base.toml"), dir.join("reform.toml")],
        ..Startup::default()
    };
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| GuiApp::new(&cc.egui_ctx, startup));
    h.run();
    h
}

#[test]
fn levers_have_plain_names_marks_and_reset_to_base() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    let reform = h.state().state.docs[1].id;
    h.state_mut().state.apply(Command::Select(reform));
    h.run();
    // Policy levers first, by name, open.
    assert!(h
        .query_by_label_contains("Lever: contribution base")
        .is_some());
    let field = h.get_by_role_and_label(
        Role::TextInput,
        "Conversion to established posts (per year)",
    );
    assert_eq!(field.value().as_deref(), Some("0.2"));
    // The key the reform sets is marked, and can be reset to the base's value.
    assert!(h
        .query_by_label_contains(
            "keys set in this file (the rest come from its base or the defaults): 1"
        )
        .is_some());
    h.get_by_label("reset to base").scroll_to_me();
    h.run();
    h.get_by_label("reset to base").click();
    h.run();
    let text = &h.state().state.doc(reform).unwrap().text;
    assert!(!text.contains("conversion_rate"), "{text}");
    assert!(h.query_by_label("reset to base").is_none());

    // A choice is a dropdown of plain words.
    h.get_by_role_and_label(Role::ComboBox, "Contribution base scheme");
    h.state_mut().state.apply(Command::SetValue {
        doc: reform,
        path: "policy.contribution_base.scheme".into(),
        value: toml::Value::String("flexible".into()),
    });
    h.run();
    let text = &h.state().state.doc(reform).unwrap().text;
    assert!(text.contains("scheme = \"flexible\""), "{text}");
    let combo = h.get_by_role_and_label(Role::ComboBox, "Contribution base scheme");
    assert_eq!(
        combo.value().as_deref(),
        Some("flexible"),
        "the choice in plain words"
    );

    // In Chinese: names, groups and choices.
    h.state_mut().state.apply(Command::SetLang(Lang::Zh));
    h.run();
    assert!(h.query_by_label("缴费基数方案").is_some());
    assert!(h.query_by_label_contains("政策杠杆：缴费基数").is_some());
    let combo = h.get_by_role_and_label(Role::ComboBox, "缴费基数方案");
    assert_eq!(combo.value().as_deref(), Some("弹性"));
}

#[test]
fn a_dated_table_is_edited_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    let reform = h.state().state.docs[1].id;
    let key = sisandbox_gui::catalog::key_docs()
        .iter()
        .position(|d| d.path == "insurance.medical.individual_rate")
        .unwrap();
    let path = "insurance.medical.individual_rate".to_string();
    h.state_mut()
        .state
        .apply(Command::AddDatedRow(reform, path.clone()));
    let n = {
        let d = h.state().state.doc(reform).unwrap();
        d.value_at(&path).unwrap().as_array().map(Vec::len).unwrap()
    };
    h.state_mut().state.apply(Command::SetDatedCell {
        doc: reform,
        path: path.clone(),
        key,
        index: n - 1,
        col: Col::Value,
        text: "0.03".into(),
    });
    h.state_mut().state.apply(Command::SetDatedCell {
        doc: reform,
        path: path.clone(),
        key,
        index: n - 1,
        col: Col::From,
        text: "2030-01".into(),
    });
    h.run();
    let d = h.state().state.doc(reform).unwrap();
    assert!(d.scenario().is_some(), "{:?}", d.diagnostics());
    let s = d.scenario().unwrap();
    let at = |y| {
        let m = sisandbox::time::YearMonth::new(y, 6).unwrap();
        s.insurance.medical.individual_rate.at(m, "")
    };
    assert_eq!(*at(2031), 0.03);
    assert_ne!(*at(2025), 0.03);
    // Out of range: refused with a message, nothing written.
    h.state_mut().state.apply(Command::SetDatedCell {
        doc: reform,
        path: path.clone(),
        key,
        index: n - 1,
        col: Col::Value,
        text: "3".into(),
    });
    assert!(h
        .state()
        .state
        .field_errors
        .values()
        .any(|e| e.contains("at most 1")));
}

#[test]
fn editing_one_item_of_a_list_writes_only_that_item_into_the_reform() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    let (base, reform) = (h.state().state.docs[0].id, h.state().state.docs[1].id);
    h.state_mut().state.apply(Command::Select(reform));
    h.run();
    let key = sisandbox_gui::catalog::key_docs()
        .iter()
        .position(|d| d.path == "careers.academic[].base_wage")
        .unwrap();
    let path = "careers.academic[1].base_wage".to_string();
    h.state_mut().state.apply(Command::CommitField {
        doc: reform,
        path: path.clone(),
        key,
        editor: sisandbox_gui::catalog::editor_of(&sisandbox_gui::catalog::key_docs()[key]),
        text: "9876".into(),
    });
    h.state_mut().state.apply(Command::Save(reform));
    h.run();
    let text = std::fs::read_to_string(dir.path().join("reform.toml")).unwrap();
    // Only the change, as an item overlay: no other rung, no other key of the rung.
    assert!(text.contains("[careers.academic.1]"), "{text}");
    assert!(text.contains("base_wage = 9876"), "{text}");
    assert_eq!(text.matches("base_wage").count(), 1, "{text}");
    assert!(!text.contains("min_years"), "{text}");
    // The core reads it as that one change over the base.
    let r = sisandbox::scenario::load(&dir.path().join("reform.toml"), &[])
        .unwrap()
        .scenario;
    let b = h
        .state()
        .state
        .doc(base)
        .unwrap()
        .scenario()
        .unwrap()
        .clone();
    assert_eq!(r.careers.academic[1].base_wage, 9876.0);
    assert_eq!(r.careers.academic.len(), b.careers.academic.len());
    assert_eq!(r.careers.academic[0], b.careers.academic[0]);
    assert_eq!(r.careers.academic[2..], b.careers.academic[2..]);
    // The form marks the key as set by the file, and "reset to base" takes it out again.
    let doc = h.state().state.doc(reform).unwrap();
    assert!(doc.writes(&path));
    assert!(!doc.writes("careers.academic[0].base_wage"));
    h.state_mut()
        .state
        .apply(Command::ResetKey(reform, path.clone()));
    h.run();
    let text = &h.state().state.doc(reform).unwrap().text;
    assert!(!text.contains("academic"), "{text}");
    assert!(text.contains("conversion_rate = 0.2"), "{text}");
}
