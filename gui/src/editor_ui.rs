//! The scenario editor: the form of levers driven by the key catalog, the raw TOML text, and
//! the keys that differ from a base scenario. The validator's messages are shown beside the
//! keys they name and, with file and line, at the top.

use crate::command::Command;
use crate::diff;
use crate::document::{DocId, ScenarioDoc};
use crate::i18n::{Lang, Msg};

pub(crate) const ERROR: egui::Color32 = egui::Color32::from_rgb(0xC0, 0x30, 0x30);

/// Every problem of the text, with file, line and key.
pub fn problems_ui(ui: &mut egui::Ui, lang: Lang, doc: &ScenarioDoc) {
    let diags = doc.diagnostics();
    if diags.is_empty() {
        ui.colored_label(
            egui::Color32::from_rgb(0x2E, 0x7D, 0x32),
            lang.t(Msg::Valid),
        );
        return;
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong(format!("{} ({})", lang.t(Msg::Problems), diags.len()));
        for d in diags {
            ui.colored_label(ERROR, d.to_string());
        }
    });
}

/// The raw TOML text, with the problems under it.
pub fn text_ui(ui: &mut egui::Ui, lang: Lang, doc: &ScenarioDoc, cmds: &mut Vec<Command>) {
    problems_ui(ui, lang, doc);
    let mut text = doc.text.clone();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let r = ui.add(
                egui::TextEdit::multiline(&mut text)
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(30),
            );
            let r = r.on_hover_text(lang.t(Msg::TabText));
            if r.changed() {
                cmds.push(Command::SetText(doc.id, text));
            }
        });
}

/// The keys that differ from the chosen base scenario.
pub fn diff_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    doc: &ScenarioDoc,
    all: &[ScenarioDoc],
    base: Option<DocId>,
    cmds: &mut Vec<Command>,
) {
    let base_doc = base.and_then(|b| all.iter().find(|d| d.id == b));
    ui.horizontal(|ui| {
        ui.label(lang.t(Msg::DiffBase));
        egui::ComboBox::from_id_salt("diff-base")
            .selected_text(base_doc.map(ScenarioDoc::label).unwrap_or_default())
            .show_ui(ui, |ui| {
                for d in all.iter().filter(|d| d.id != doc.id) {
                    if ui.selectable_label(Some(d.id) == base, d.label()).clicked() {
                        cmds.push(Command::SetDiffBase(doc.id, Some(d.id)));
                    }
                }
            })
            .response
            .accessible_name(lang.t(Msg::DiffBase));
    });
    let (Some(a), Some(b)) = (base_doc.and_then(ScenarioDoc::scenario), doc.scenario()) else {
        problems_ui(ui, lang, doc);
        return;
    };
    let changes = diff::changes(a, b);
    let b_eff = doc.shown().cloned();
    if changes.is_empty() {
        ui.label(lang.t(Msg::DiffNone));
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("diff")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    ui.strong(lang.t(Msg::Lever));
                    ui.strong(lang.t(Msg::Key));
                    ui.strong(lang.t(Msg::BaseValue));
                    ui.strong(lang.t(Msg::ThisValue));
                    ui.end_row();
                    for c in changes {
                        ui.label(crate::levers::name(lang, &c.key, b_eff.as_ref()));
                        ui.monospace(&c.key);
                        ui.label(c.base.unwrap_or_default());
                        ui.strong(c.this.unwrap_or_default());
                        ui.end_row();
                    }
                });
        });
}
