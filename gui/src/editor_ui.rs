//! The scenario editor: the form of levers driven by the key catalog, the raw TOML text, and
//! the keys that differ from a base scenario. The validator's messages are shown beside the
//! keys they name and, with file and line, at the top.

use crate::catalog::{self, Editor, Row};
use crate::command::Command;
use crate::diff;
use crate::document::{lookup, DocId, ScenarioDoc};
use crate::i18n::{section_name, Lang, Msg};
use sisandbox::scenario::{overrides::parse_value, Allowed, Diagnostic, KeyDoc};
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
    buffers: &mut BTreeMap<(DocId, String), String>,
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
                                rows_ui(ui, lang, doc, effective, docs, rows, buffers, cmds);
                            } else {
                                egui::CollapsingHeader::new(section_name(lang, sub))
                                    .id_salt(("sub", &section.name, sub))
                                    .show(ui, |ui| {
                                        rows_ui(ui, lang, doc, effective, docs, rows, buffers, cmds)
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
    effective: &toml::Table,
    docs: &[KeyDoc],
    rows: &[Row],
    buffers: &mut BTreeMap<(DocId, String), String>,
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
                let current = lookup(effective, &row.path);
                ui.horizontal(|ui| {
                    value_ui(ui, doc.id, row, kd, current, label.id, buffers, cmds);
                });
                ui.vertical(|ui| {
                    ui.weak(format!("{}  ·  {}", kd.unit, kd.allowed.describe()));
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

fn number_range(a: &Allowed) -> (f64, f64) {
    match a {
        Allowed::Number { min, max } => (min.unwrap_or(f64::MIN), max.unwrap_or(f64::MAX)),
        Allowed::Integer { min, max } => (
            min.map_or(f64::MIN, |x| x as f64),
            max.map_or(f64::MAX, |x| x as f64),
        ),
        _ => (f64::MIN, f64::MAX),
    }
}

#[allow(clippy::too_many_arguments)]
fn value_ui(
    ui: &mut egui::Ui,
    doc: DocId,
    row: &Row,
    kd: &KeyDoc,
    current: Option<&toml::Value>,
    label: egui::Id,
    buffers: &mut BTreeMap<(DocId, String), String>,
    cmds: &mut Vec<Command>,
) {
    let set = |value: toml::Value| Command::SetValue {
        doc,
        path: row.path.clone(),
        value,
    };
    let (lo, hi) = number_range(&kd.allowed);
    match row.editor {
        Editor::Number => {
            let mut v = current
                .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
                .unwrap_or(0.0);
            let speed = if hi < f64::MAX && lo > f64::MIN {
                (hi - lo) / 1000.0
            } else {
                (v.abs() * 0.005).max(0.001)
            };
            let r = ui
                .add(
                    egui::DragValue::new(&mut v)
                        .speed(speed)
                        .range(lo..=hi)
                        .max_decimals(6),
                )
                .labelled_by(label);
            if r.changed() {
                cmds.push(set(toml::Value::Float(v)));
            }
        }
        Editor::Integer => {
            let mut v = current.and_then(toml::Value::as_integer).unwrap_or(0);
            let r = ui
                .add(egui::DragValue::new(&mut v).range(lo..=hi))
                .labelled_by(label);
            if r.changed() {
                cmds.push(set(toml::Value::Integer(v)));
            }
        }
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
        Editor::Text | Editor::Toml => {
            let shown = match (row.editor, current) {
                (_, None) => String::new(),
                (Editor::Text, Some(toml::Value::String(s))) => s.clone(),
                (_, Some(v)) => v.to_string(),
            };
            let buf = buffers
                .entry((doc, row.path.clone()))
                .or_insert_with(|| shown.clone());
            let r = ui
                .add_sized([320.0, 20.0], egui::TextEdit::singleline(buf))
                .labelled_by(label);
            if r.lost_focus() && *buf != shown {
                let value = if row.editor == Editor::Text {
                    toml::Value::String(buf.clone())
                } else {
                    parse_value(buf)
                };
                cmds.push(set(value));
            } else if !r.has_focus() && *buf != shown && !r.changed() {
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
