//! The lever view: every key of the catalog with its plain name, grouped by what it does (the
//! policy levers first, open), a widget for its kind (numbers typed and committed on Enter,
//! switches, choices as dropdowns, dated tables as rows of from / region / value), its unit
//! and range, help in the interface's language, and for keys this file writes a mark with
//! "reset to base". The validator's messages are shown beside the keys they name.

use crate::catalog::{self, Editor, Row};
use crate::command::Command;
use crate::document::{DocId, ScenarioDoc};
use crate::editor_ui::{problems_ui, ERROR};
use crate::field;
use crate::i18n::{Lang, Msg};
use crate::levers;
use sisandbox::scenario::{Allowed, KeyDoc};
use std::collections::BTreeMap;

const CHANGED: egui::Color32 = egui::Color32::from_rgb(0x1F, 0x6F, 0xB5);

/// Edit buffers of the form's text fields and the refusals of entries, by (scenario, key).
pub struct Fields<'a> {
    pub buffers: &'a mut BTreeMap<(DocId, String), String>,
    pub errors: &'a BTreeMap<(DocId, String), String>,
}

/// Keys that are the file's identity rather than levers: never marked as changed.
fn is_identity(path: &str) -> bool {
    matches!(path, "name" | "description" | "extends")
}

/// The lever view of one scenario.
pub fn form_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    doc: &ScenarioDoc,
    fields: &mut Fields,
    cmds: &mut Vec<Command>,
) {
    problems_ui(ui, lang, doc);
    let Some(effective) = doc.shown() else {
        return;
    };
    let groups = levers::groups(effective);
    let changed: usize = groups
        .iter()
        .flat_map(|g| &g.rows)
        .filter(|r| !is_identity(&r.path) && doc.writes(&r.path))
        .count();
    ui.horizontal_wrapped(|ui| {
        ui.weak(lang.t(Msg::LeversNote));
        if changed > 0 {
            ui.colored_label(
                CHANGED,
                format!("● {}: {changed}", lang.t(Msg::KeysChanged)),
            );
        }
    });
    let docs = catalog::key_docs();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for g in &groups {
                let n = g
                    .rows
                    .iter()
                    .filter(|r| !is_identity(&r.path) && doc.writes(&r.path))
                    .count();
                let mut title = levers::group_name(lang, g.id);
                if n > 0 {
                    title.push_str(&format!("  ● {n}"));
                }
                egui::CollapsingHeader::new(title)
                    .id_salt(("group", g.id))
                    .default_open(levers::is_lever_group(g.id) || n > 0)
                    .show(ui, |ui| {
                        rows_ui(ui, lang, doc, effective, docs, &g.rows, fields, cmds)
                    });
            }
        });
}

#[allow(clippy::too_many_arguments)]
fn rows_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    doc: &ScenarioDoc,
    effective: &toml::Table,
    docs: &[KeyDoc],
    rows: &[Row],
    fields: &mut Fields,
    cmds: &mut Vec<Command>,
) {
    egui::Grid::new(("rows", rows.first().map(|r| r.path.as_str())))
        .num_columns(4)
        .striped(true)
        .min_col_width(24.0)
        .show(ui, |ui| {
            for row in rows {
                let kd = &docs[row.doc];
                let overridden = !is_identity(&row.path) && doc.writes(&row.path);
                ui.horizontal(|ui| {
                    if overridden {
                        ui.colored_label(CHANGED, "●")
                            .on_hover_text(lang.t(Msg::OverriddenHere));
                        let r = ui
                            .small_button(lang.t(Msg::Reset))
                            .on_hover_text(lang.t(Msg::ResetToBase));
                        if r.clicked() {
                            cmds.push(Command::ResetKey(doc.id, row.path.clone()));
                        }
                    }
                });
                let name = levers::name(lang, &row.path, Some(effective));
                let text = if overridden {
                    egui::RichText::new(name).color(CHANGED).strong()
                } else {
                    egui::RichText::new(name)
                };
                let label = ui
                    .label(text)
                    .on_hover_text(tooltip(lang, kd, &row.path, overridden));
                ui.horizontal(|ui| {
                    if kd.dated {
                        dated_ui(ui, lang, doc, row, label.id, fields, cmds);
                    } else {
                        value_ui(ui, lang, doc, row, kd, label.id, fields, cmds);
                    }
                });
                ui.vertical(|ui| {
                    ui.weak(format!(
                        "{}  ·  {}",
                        levers::unit_name(lang, kd.unit),
                        levers::allowed_text(lang, &kd.allowed)
                    ));
                    if let Some(e) = fields.errors.get(&(doc.id, row.path.clone())) {
                        ui.colored_label(ERROR, e);
                    }
                    for d in doc.diagnostics() {
                        if d.key
                            .as_deref()
                            .is_some_and(|k| k.starts_with(row.path.as_str()))
                        {
                            ui.colored_label(ERROR, &d.message);
                        }
                    }
                });
                ui.end_row();
            }
        });
}

fn tooltip(lang: Lang, kd: &KeyDoc, path: &str, overridden: bool) -> String {
    let mut t = format!(
        "{}\n\n{}: {}\n{}: {}\n{}: {} [{}]\n{}: {path}",
        levers::help(lang, kd),
        lang.t(Msg::Unit),
        levers::unit_name(lang, kd.unit),
        lang.t(Msg::Allowed),
        levers::allowed_text(lang, &kd.allowed),
        lang.t(Msg::Source),
        kd.source,
        kd.certainty.label(),
        lang.t(Msg::Key),
    );
    if overridden {
        t.push_str(&format!("\n\n● {}", lang.t(Msg::OverriddenHere)));
    }
    t
}

/// A text field committed on Enter or focus loss; a refused entry stays beside its message.
fn typed_field(
    ui: &mut egui::Ui,
    slot: (DocId, String),
    shown: String,
    width: f32,
    label: egui::Id,
    fields: &mut Fields,
) -> Option<String> {
    let refused = fields.errors.contains_key(&slot);
    let buf = fields.buffers.entry(slot).or_insert_with(|| shown.clone());
    let r = ui
        .add(
            egui::TextEdit::singleline(buf)
                .desired_width(width)
                .min_size(egui::vec2(width, 0.0)),
        )
        .labelled_by(label);
    if r.lost_focus() {
        if *buf != shown || refused {
            return Some(buf.clone());
        }
    } else if !r.has_focus() && !refused && *buf != shown {
        // Another edit changed the value: show it.
        *buf = shown;
    }
    None
}

/// The widget of one key. Switches and choices write at once; numbers, text and TOML values
/// are typed and committed (`Command::CommitField`), where the entry is checked.
#[allow(clippy::too_many_arguments)]
fn value_ui(
    ui: &mut egui::Ui,
    lang: Lang,
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
                .selected_text(levers::choice_name(lang, cur))
                .show_ui(ui, |ui| {
                    for w in words {
                        let text = levers::choice_name(lang, w);
                        if ui.selectable_label(cur == *w, text).clicked() && cur != *w {
                            cmds.push(set(toml::Value::String((*w).into())));
                        }
                    }
                })
                .response
                .labelled_by(label);
        }
        Editor::Number | Editor::Integer | Editor::Text | Editor::Toml => {
            let shown = field::shown(row.editor, current);
            let width = if matches!(row.editor, Editor::Number | Editor::Integer) {
                120.0
            } else {
                320.0
            };
            let slot = (doc.id, row.path.clone());
            if let Some(text) = typed_field(ui, slot, shown, width, label, fields) {
                cmds.push(Command::CommitField {
                    doc: doc.id,
                    path: row.path.clone(),
                    key: row.doc,
                    editor: row.editor,
                    text,
                });
            }
        }
    }
}

/// A dated table as rows: from (month or year), region (empty: every region), value. A plain
/// value is one row without a date.
fn dated_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    doc: &ScenarioDoc,
    row: &Row,
    label: egui::Id,
    fields: &mut Fields,
    cmds: &mut Vec<Command>,
) {
    let entries = crate::dated::entries(doc.value_at(&row.path));
    ui.vertical(|ui| {
        egui::Grid::new(("dated", &row.path)).show(ui, |ui| {
            ui.weak(lang.t(Msg::From));
            ui.weak(lang.t(Msg::Region));
            ui.weak(lang.t(Msg::Value));
            ui.end_row();
            for (i, e) in entries.iter().enumerate() {
                for (col, shown, width) in [
                    (crate::dated::Col::From, e.from.clone(), 70.0),
                    (crate::dated::Col::Region, e.region.clone(), 80.0),
                    (crate::dated::Col::Value, e.value.clone(), 90.0),
                ] {
                    let slot = (doc.id, format!("{}#{i}.{}", row.path, col.name()));
                    if let Some(text) = typed_field(ui, slot, shown, width, label, fields) {
                        cmds.push(Command::SetDatedCell {
                            doc: doc.id,
                            path: row.path.clone(),
                            key: row.doc,
                            index: i,
                            col,
                            text,
                        });
                    }
                }
                if entries.len() > 1
                    && ui
                        .small_button("−")
                        .on_hover_text(lang.t(Msg::RemoveRow))
                        .clicked()
                {
                    cmds.push(Command::RemoveDatedRow(doc.id, row.path.clone(), i));
                }
                ui.end_row();
            }
        });
        if ui.small_button(lang.t(Msg::AddRow)).clicked() {
            cmds.push(Command::AddDatedRow(doc.id, row.path.clone()));
        }
    });
}
