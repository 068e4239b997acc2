//! The stress-test tab: the grid (two keys from the scenario key catalog, each LOW..HIGH in
//! STEPS, and a metric) run in the background, or a stress folder opened from disk, and the
//! heat map drawn with egui's painter on the viridis scale of the core's figures, each cell's
//! value, key levels and unit shown on hover.

use crate::command::{Command, StressCommand};
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::stress_view::{cell_text, metric_name, unit_name, AxisForm, HeatMapData};
use sisandbox::stress::Metric;

const ERROR: egui::Color32 = egui::Color32::from_rgb(0xC0, 0x30, 0x30);
const MISSING: egui::Color32 = egui::Color32::from_rgb(0xC8, 0xC8, 0xC8);

/// Numeric keys of the catalog that need no list index, with their plain names.
fn numeric_keys(lang: Lang) -> &'static [(String, String)] {
    use sisandbox::scenario::Allowed;
    use std::sync::OnceLock;
    static KEYS: [OnceLock<Vec<(String, String)>>; 2] = [OnceLock::new(), OnceLock::new()];
    KEYS[usize::from(lang == Lang::Zh)].get_or_init(|| {
        sisandbox::stress::axis::catalog()
            .into_iter()
            .filter(|d| {
                !d.path.contains("[]")
                    && matches!(d.allowed, Allowed::Number { .. } | Allowed::Integer { .. })
            })
            .map(|d| {
                let name = crate::levers::name(lang, &d.path, None);
                (d.path.clone(), name)
            })
            .collect()
    })
}

pub fn stress_ui(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    let s = &mut state.stress;
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(400.0);
            egui::ScrollArea::vertical()
                .id_salt("stress-form")
                .auto_shrink([false, false])
                .show(ui, |ui| form_ui(ui, lang, s, cmds));
        });
        ui.separator();
        ui.vertical(|ui| {
            if let Some(job) = &s.job {
                let done = job.done.load(std::sync::atomic::Ordering::Relaxed);
                let total = job.total.load(std::sync::atomic::Ordering::Relaxed);
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.add(
                        egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                            .text(format!("{done} / {total} {}", lang.t(Msg::StRunsDone))),
                    );
                });
            }
            if s.stopped {
                ui.label(lang.t(Msg::StStopped));
            }
            if let Some(p) = &s.problem {
                ui.colored_label(ERROR, p);
            }
            match s.map.clone() {
                Some(map) => map_ui(ui, lang, &map, cmds),
                None => {
                    ui.label(lang.t(Msg::StNoMap));
                }
            }
        });
    });
}

fn axis_ui(ui: &mut egui::Ui, lang: Lang, id: &str, a: &mut AxisForm) {
    ui.horizontal(|ui| {
        let l = ui.label(lang.t(Msg::StKey));
        ui.add(egui::TextEdit::singleline(&mut a.key).desired_width(260.0))
            .labelled_by(l.id)
            .on_hover_text(lang.t(Msg::StAxisKeyHelp));
        egui::ComboBox::from_id_salt(("stress-key", id))
            .selected_text("")
            .width(20.0)
            .height(400.0)
            .show_ui(ui, |ui| {
                for (key, name) in numeric_keys(lang) {
                    let text = if name == key {
                        key.clone()
                    } else {
                        format!("{name} — {key}")
                    };
                    ui.selectable_value(&mut a.key, key.clone(), text);
                }
            })
            .response
            .accessible_name(format!("{} ({id})", lang.t(Msg::StPickKey)));
    });
    ui.label(
        egui::RichText::new(crate::levers::name(lang, a.key.trim(), None))
            .weak()
            .small(),
    );
    ui.horizontal(|ui| {
        for (m, t, w) in [
            (Msg::StLow, &mut a.low, 60.0),
            (Msg::StHigh, &mut a.high, 60.0),
            (Msg::StSteps, &mut a.steps, 40.0),
        ] {
            let l = ui.label(lang.t(m));
            ui.add(egui::TextEdit::singleline(t).desired_width(w))
                .labelled_by(l.id);
        }
    });
}

fn form_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    s: &mut crate::stress_view::StressState,
    cmds: &mut Vec<Command>,
) {
    let f = &mut s.form;
    ui.strong(lang.t(Msg::StAcross));
    axis_ui(ui, lang, "x", &mut f.x);
    ui.add_space(4.0);
    ui.checkbox(&mut f.two_axes, lang.t(Msg::StUp));
    if f.two_axes {
        axis_ui(ui, lang, "y", &mut f.y);
    }
    ui.add_space(4.0);
    egui::Grid::new("stress-settings")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label(lang.t(Msg::StMetric));
            egui::ComboBox::from_id_salt("stress-metric")
                .selected_text(metric_name(lang, f.metric.name()))
                .show_ui(ui, |ui| {
                    for m in Metric::ALL {
                        ui.selectable_value(&mut f.metric, m, metric_name(lang, m.name()));
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let row = |ui: &mut egui::Ui, m: Msg, t: &mut String| {
                let l = ui.label(lang.t(m));
                ui.add(egui::TextEdit::singleline(t).desired_width(200.0))
                    .labelled_by(l.id);
                ui.end_row();
            };
            if f.metric.uses_fund() {
                row(ui, Msg::StFund, &mut f.fund);
            }
            if f.metric.uses_year() {
                row(ui, Msg::StYear, &mut f.year);
            }
            row(ui, Msg::StReplications, &mut f.replications);
            row(ui, Msg::StScenario, &mut f.scenario);
            row(ui, Msg::StAgents, &mut f.set);
            row(ui, Msg::StOut, &mut f.out);
        });
    ui.checkbox(&mut f.force, lang.t(Msg::StForce));
    ui.horizontal(|ui| {
        if ui
            .add_enabled(s.job.is_none(), egui::Button::new(lang.t(Msg::StRun)))
            .clicked()
        {
            cmds.push(Command::Stress(StressCommand::Run));
        }
        if ui
            .add_enabled(s.job.is_some(), egui::Button::new(lang.t(Msg::Cancel)))
            .clicked()
        {
            cmds.push(Command::Stress(StressCommand::Cancel));
        }
    });
    ui.separator();
    let l = ui.label(lang.t(Msg::StOpenFolder));
    ui.add(egui::TextEdit::singleline(&mut s.open_path).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    ui.horizontal(|ui| {
        if ui.button(lang.t(Msg::StOpen)).clicked() {
            cmds.push(Command::Stress(StressCommand::Open(
                s.open_path.trim().into(),
            )));
        }
        if ui.button(lang.t(Msg::StOpenDialog)).clicked() {
            cmds.push(Command::Stress(StressCommand::OpenDialog));
        }
    });
}

/// The heat map: a metric picker for the folder, the title, the grid with axis labels and a
/// colour bar, and the hovered cell's value under it.
fn map_ui(ui: &mut egui::Ui, lang: Lang, m: &HeatMapData, cmds: &mut Vec<Command>) {
    ui.weak(m.folder.display().to_string());
    if m.metrics.len() > 1 {
        ui.horizontal(|ui| {
            let l = ui.label(lang.t(Msg::StMetric));
            egui::ComboBox::from_id_salt("stress-shown-metric")
                .selected_text(metric_name(lang, &m.metric))
                .show_ui(ui, |ui| {
                    for x in &m.metrics {
                        if ui
                            .selectable_label(*x == m.metric, metric_name(lang, x))
                            .clicked()
                        {
                            cmds.push(Command::Stress(StressCommand::ShowMetric(x.clone())));
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }
    let mut title = format!(
        "{} ({})",
        metric_name(lang, &m.metric),
        unit_name(lang, &m.unit)
    );
    if !m.fund.is_empty() {
        title.push_str(&format!(" · {}", m.fund));
    }
    if !m.year.is_empty() {
        title.push_str(&format!(" · {}", m.year));
    }
    ui.strong(title);
    let hovered = grid_ui(ui, lang, m);
    match hovered.and_then(|(i, j)| cell_text(lang, m, i, j)) {
        Some(t) => ui.label(t),
        None => ui.weak(lang.t(Msg::StCellHelp)),
    };
}

fn colour(v: Option<f64>, range: Option<(f64, f64)>) -> egui::Color32 {
    match (v, range) {
        (Some(v), Some((lo, hi))) => {
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let c = sisandbox::plot::viridis(t);
            egui::Color32::from_rgb(c.0, c.1, c.2)
        }
        _ => MISSING,
    }
}

/// Draws the grid; returns the hovered cell (column, row).
fn grid_ui(ui: &mut egui::Ui, lang: Lang, m: &HeatMapData) -> Option<(usize, usize)> {
    let (nx, ny) = (m.x.len(), m.y.len());
    let width = ui.available_width().clamp(300.0, 1000.0);
    let height = (ui.available_height() - 40.0).clamp(220.0, 560.0);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, lang.t(Msg::StHeatMap)));
    let (left, bottom, right, top) = (110.0, 56.0, 110.0, 8.0);
    let plot = egui::Rect::from_min_max(
        rect.min + egui::vec2(left, top),
        rect.max - egui::vec2(right, bottom),
    );
    let painter = ui.painter_at(rect);
    let cw = plot.width() / nx as f32;
    let ch = plot.height() / ny as f32;
    let range = m.range();
    let font = egui::FontId::proportional(12.0);
    let ink = ui.visuals().text_color();
    let cell_rect = |i: usize, j: usize| {
        // Row 0 at the bottom.
        let x0 = plot.left() + cw * i as f32;
        let y0 = plot.bottom() - ch * (j + 1) as f32;
        egui::Rect::from_min_size(egui::pos2(x0, y0), egui::vec2(cw, ch))
    };
    let hovered = response.hover_pos().and_then(|p| {
        plot.contains(p).then(|| {
            let i = (((p.x - plot.left()) / cw) as usize).min(nx - 1);
            let j = (((plot.bottom() - p.y) / ch) as usize).min(ny - 1);
            (i, j)
        })
    });
    for (j, row) in m.cells.iter().enumerate() {
        for (i, c) in row.iter().enumerate() {
            let r = cell_rect(i, j);
            let fill = colour(c.0, range);
            painter.rect_filled(r.shrink(0.5), 0.0, fill);
            if hovered == Some((i, j)) {
                painter.rect_stroke(
                    r.shrink(1.0),
                    0.0,
                    egui::Stroke::new(2.0, egui::Color32::WHITE),
                    egui::StrokeKind::Inside,
                );
            }
            if let Some(v) = c.0 {
                if cw >= 44.0 && ch >= 16.0 {
                    let text = sisandbox::stress::write::short(v);
                    let light = fill.r() as u32 + fill.g() as u32 + fill.b() as u32 > 400;
                    let tc = if light {
                        egui::Color32::BLACK
                    } else {
                        egui::Color32::WHITE
                    };
                    painter.text(
                        r.center(),
                        egui::Align2::CENTER_CENTER,
                        text,
                        font.clone(),
                        tc,
                    );
                }
            }
        }
    }
    // Levels: every column and row when they fit, else every k-th.
    let step_x = ((50.0 / cw).ceil() as usize).max(1);
    for (i, l) in m.x.iter().enumerate().step_by(step_x) {
        let r = cell_rect(i, 0);
        painter.text(
            egui::pos2(r.center().x, plot.bottom() + 4.0),
            egui::Align2::CENTER_TOP,
            l,
            font.clone(),
            ink,
        );
    }
    let step_y = ((16.0 / ch).ceil() as usize).max(1);
    for (j, l) in m.y.iter().enumerate().step_by(step_y) {
        let r = cell_rect(0, j);
        painter.text(
            egui::pos2(plot.left() - 6.0, r.center().y),
            egui::Align2::RIGHT_CENTER,
            l,
            font.clone(),
            ink,
        );
    }
    let axis_title = |key: &str| {
        let name = crate::levers::name(lang, key, None);
        let unit = crate::stress_view::axis_unit(key);
        let unit = crate::levers::unit_name(lang, &unit);
        match (name == key, unit.is_empty()) {
            (true, true) => key.to_string(),
            (true, false) => format!("{key} ({unit})"),
            (false, true) => format!("{name} — {key}"),
            (false, false) => format!("{name} ({unit}) — {key}"),
        }
    };
    painter.text(
        egui::pos2(plot.center().x, plot.bottom() + 24.0),
        egui::Align2::CENTER_TOP,
        axis_title(&m.keys[0]),
        font.clone(),
        ink,
    );
    if let Some(k) = m.keys.get(1) {
        // The y title above the rows' labels (egui text is not rotated).
        painter.text(
            egui::pos2(rect.left() + 2.0, rect.bottom() - 14.0),
            egui::Align2::LEFT_CENTER,
            format!("↑ {}", axis_title(k)),
            font.clone(),
            ink,
        );
    }
    // The colour bar with the lowest and highest value in the metric's unit.
    let bar = egui::Rect::from_min_max(
        egui::pos2(plot.right() + 14.0, plot.top()),
        egui::pos2(plot.right() + 30.0, plot.bottom()),
    );
    let n = 48;
    for k in 0..n {
        let t = k as f64 / (n - 1) as f64;
        let c = sisandbox::plot::viridis(t);
        let y1 = bar.bottom() - bar.height() * (k + 1) as f32 / n as f32;
        let y0 = bar.bottom() - bar.height() * k as f32 / n as f32;
        painter.rect_filled(
            egui::Rect::from_x_y_ranges(bar.x_range(), y1..=y0),
            0.0,
            egui::Color32::from_rgb(c.0, c.1, c.2),
        );
    }
    if let Some((lo, hi)) = range {
        for (v, y, a) in [
            (hi, bar.top(), egui::Align2::LEFT_TOP),
            (lo, bar.bottom(), egui::Align2::LEFT_BOTTOM),
        ] {
            painter.text(
                egui::pos2(bar.right() + 4.0, y),
                a,
                sisandbox::stress::write::short(v),
                font.clone(),
                ink,
            );
        }
    }
    painter.text(
        egui::pos2(bar.left(), bar.bottom() + 6.0),
        egui::Align2::LEFT_TOP,
        unit_name(lang, &m.unit),
        font.clone(),
        ink,
    );
    if m.cells.iter().flatten().any(|c| c.0.is_none()) {
        painter.rect_filled(
            egui::Rect::from_min_size(
                egui::pos2(bar.left(), bar.bottom() + 24.0),
                egui::vec2(12.0, 12.0),
            ),
            0.0,
            MISSING,
        );
        let what = if m.metric == "exhaustion_year" {
            Msg::StNotExhausted
        } else {
            Msg::StMissing
        };
        painter.text(
            egui::pos2(bar.left() + 16.0, bar.bottom() + 30.0),
            egui::Align2::LEFT_CENTER,
            lang.t(what),
            font,
            ink,
        );
    }
    if let Some((i, j)) = hovered {
        if let Some(t) = cell_text(lang, m, i, j) {
            response.on_hover_text_at_pointer(t);
        }
    }
    hovered
}
