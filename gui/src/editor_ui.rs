//! The scenario editor: the form of levers driven by the key catalog, the raw TOML text, and
//! the keys that differ from a base scenario. The validator's messages are shown beside the
//! keys they name and, with file and line, at the top.

use crate::catalog::{self, Editor, Row};
use crate::command::Command;
use crate::diff;
use crate::document::{DocId, ScenarioDoc};
use crate::field;
use crate::i18n::{section_name, Lang, Msg};
use sisandbox::scenario::{Allowed, Diagnostic, KeyDoc};
use std::collections::BTreeMap;

const ERROR: egui::Color32 = egui::Color32::from_rgb(0xC0, 0x30, 0x30);

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

/// The form: one row per catalog key, grouped by section.
pub fn form_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    doc: &ScenarioDoc,
    fields: &mut Fields,
    cmds: &mut Vec<Command>,
) {
    problems_ui(ui, lang, doc);
    ui.small(lang.t(Msg::ListKeysNote));
    let Some(effective) = doc.shown() else {
        return;
    };
    let docs = catalog::key_docs();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for section in catalog::sections(effective) {
                let open = matches!(section.name.as_str(), "" | "simulation" | "careers");
                egui::CollapsingHeader::new(section_name(lang, &section.name))
                    .id_salt(("section", &section.name))
                    .default_open(open)
                    .show(ui, |ui| {
                        for (sub, rows) in &section.subsections {
                            if sub.is_empty() {
                                rows_ui(ui, lang, doc, docs, rows, fields, cmds);
                            } else {
                                egui::CollapsingHeader::new(section_name(lang, sub))
                                    .id_salt(("sub", &section.name, sub))
                                    .show(ui, |ui| {
                                        rows_ui(ui, lang, doc, docs, rows, fields, cmds)
                                    });
                            }
                        }
                    });
            }
        });
}

#[allow(clippy::too_many_arguments)]
fn rows_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    doc: &ScenarioDoc,
    docs: &[KeyDoc],
    rows: &[Row],
    fields: &mut Fields,
    cmds: &mut Vec<Command>,
) {
    egui::Grid::new(("rows", rows.first().map(|r| r.path.as_str())))
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for row in rows {
                let kd = &docs[row.doc];
                let label = ui
                    .label(egui::RichText::new(&row.path).monospace())
                    .on_hover_text(format!(
                        "{}\n\n{}: {}\n{}: {}\n{}: {} [{}]",
                        kd.doc,
                        lang.t(Msg::Unit),
                        kd.unit,
                        lang.t(Msg::Allowed),
                        kd.allowed.describe(),
                        lang.t(Msg::Source),
                        kd.source,
                        kd.certainty.label()
                    ));
                ui.horizontal(|ui| {
                    value_ui(ui, lang, doc, row, kd, label.id, fields, cmds);
                });
                ui.vertical(|ui| {
                    ui.weak(format!("{}  ·  {}", kd.unit, kd.allowed.describe()));
                    if let Some(e) = fields.errors.get(&(doc.id, row.path.clone())) {
                        ui.colored_label(ERROR, e);
                    }
                    for d in problems_at(doc.diagnostics(), &row.path) {
                        ui.colored_label(ERROR, &d.message);
                    }
                });
                ui.end_row();
            }
        });
}

fn problems_at<'a>(diags: &'a [Diagnostic], path: &'a str) -> impl Iterator<Item = &'a Diagnostic> {
    diags.iter().filter(move |d| d.key.as_deref() == Some(path))
}

/// Edit buffers of the form's text fields and the refusals of entries, by (scenario, key).
pub struct Fields<'a> {
    pub buffers: &'a mut BTreeMap<(DocId, String), String>,
    pub errors: &'a BTreeMap<(DocId, String), String>,
}

/// The widget of one key. Switches and choices write at once; numbers, text and TOML values
/// are typed and committed on Enter or when the field loses focus (`Command::CommitField`),
/// where the entry is checked; a refused entry stays in the field beside its message.
#[allow(clippy::too_many_arguments)]
fn value_ui(
    ui: &mut egui::Ui,
    _lang: Lang,
    doc: &ScenarioDoc,
    row: &Row,
    kd: &KeyDoc,
    label: egui::Id,
    fields: &mut Fields,
    cmds: &mut Vec<Command>,
) {
    let current = doc.value_at(&row.path);
    let set = |value: toml::Value| Command::SetValue {
        doc: doc.id,
        path: row.path.clone(),
        value,
    };
    match row.editor {
        Editor::Bool => {
            let mut v = current.and_then(toml::Value::as_bool).unwrap_or(false);
            if ui.checkbox(&mut v, "").labelled_by(label).changed() {
                cmds.push(set(toml::Value::Boolean(v)));
            }
        }
        Editor::Choice => {
            let cur = current.and_then(toml::Value::as_str).unwrap_or("");
            let words = match kd.allowed {
                Allowed::OneOf(w) => w,
                _ => &[],
            };
            egui::ComboBox::from_id_salt(("choice", &row.path))
                .selected_text(cur)
                .show_ui(ui, |ui| {
                    for w in words {
                        if ui.selectable_label(cur == *w, *w).clicked() && cur != *w {
                            cmds.push(set(toml::Value::String((*w).into())));
                        }
                    }
                })
                .response
                .labelled_by(label);
        }
        Editor::Number | Editor::Integer | Editor::Text | Editor::Toml => {
            let shown = field::shown(row.editor, current);
            let key = (doc.id, row.path.clone());
            let refused = fields.errors.contains_key(&key);
            let buf = fields.buffers.entry(key).or_insert_with(|| shown.clone());
            let width = if matches!(row.editor, Editor::Number | Editor::Integer) {
                120.0
            } else {
                320.0
            };
            let r = ui
                .add(egui::TextEdit::singleline(buf).desired_width(width))
                .labelled_by(label);
            if r.lost_focus() {
                if *buf != shown || refused {
                    cmds.push(Command::CommitField {
                        doc: doc.id,
                        path: row.path.clone(),
                        key: row.doc,
                        editor: row.editor,
                        text: buf.clone(),
                    });
                }
            } else if !r.has_focus() && !refused && *buf != shown {
                // Another edit changed the value: show it.
                *buf = shown;
            }
        }
    }
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
    if changes.is_empty() {
        ui.label(lang.t(Msg::DiffNone));
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("diff")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    ui.strong(lang.t(Msg::Key));
                    ui.strong(lang.t(Msg::BaseValue));
                    ui.strong(lang.t(Msg::ThisValue));
                    ui.end_row();
                    for c in changes {
                        ui.monospace(&c.key);
                        ui.label(c.base.unwrap_or_default());
                        ui.strong(c.this.unwrap_or_default());
                        ui.end_row();
                    }
                });
        });
}
