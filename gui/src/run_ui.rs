//! The run pane: replications and threads, run and cancel, the progress of the job under way
//! and where every scenario's runs stand.

use crate::analysis::Metric;
use crate::command::Command;
use crate::i18n::{Lang, Msg};
use crate::results::SeriesMetric;
use crate::state::{AppState, RunStatus};
use egui_plot::{Line, Plot};
use std::sync::atomic::Ordering;

pub fn run_ui(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    egui::Grid::new("run-settings")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label(lang.t(Msg::Replications));
            ui.add(egui::DragValue::new(&mut state.run_settings.replications).range(1..=100))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label(lang.t(Msg::Threads));
            ui.add(egui::DragValue::new(&mut state.run_settings.threads).range(0..=256))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label(lang.t(Msg::RunsFolder));
            let mut out = state.run_settings.out.display().to_string();
            if ui
                .add(egui::TextEdit::singleline(&mut out).desired_width(320.0))
                .labelled_by(l.id)
                .changed()
            {
                state.run_settings.out = out.into();
            }
            if ui.button(lang.t(Msg::ScanRuns)).clicked() {
                cmds.push(Command::ScanRuns);
            }
            ui.end_row();
        });
    // One run at a time: starting more while one runs would only queue surprises.
    let idle = !state.busy();
    ui.horizontal(|ui| {
        if let Some(doc) = state.active_doc() {
            let valid = doc.scenario().is_some();
            let text = format!("{} {}", lang.t(Msg::RunButton), doc.label());
            if ui
                .add_enabled(valid && idle, egui::Button::new(text))
                .clicked()
            {
                cmds.push(Command::Run(doc.id));
            }
        }
        if ui
            .add_enabled(idle, egui::Button::new(lang.t(Msg::RunAll)))
            .clicked()
        {
            cmds.push(Command::RunAll);
        }
        let r = ui
            .add_enabled(state.job.is_some(), egui::Button::new(lang.t(Msg::Cancel)))
            .on_hover_text(lang.t(Msg::CancelHelp));
        if r.clicked() {
            cmds.push(Command::CancelRun);
        }
        if ui
            .add_enabled(
                state.queued() > 0,
                egui::Button::new(lang.t(Msg::ClearQueue)),
            )
            .clicked()
        {
            cmds.push(Command::ClearQueue);
        }
    });
    if let Some(job) = &state.job {
        let p = &job.progress;
        let name = state.run_label(job.doc);
        let text = format!(
            "{} {name}: {} {}/{}, {} {}/{}",
            lang.t(Msg::Running),
            lang.t(Msg::Replication),
            p.replication.load(Ordering::Relaxed) + 1,
            job.replications,
            lang.t(Msg::Month),
            p.month.load(Ordering::Relaxed),
            p.months.load(Ordering::Relaxed),
        );
        ui.add(egui::ProgressBar::new(job.fraction()).text(text));
        live_ui(ui, lang, job);
    }
    ui.separator();
    egui::Grid::new("run-status").striped(true).show(ui, |ui| {
        for d in &state.docs {
            ui.label(d.label());
            let agents = d
                .scenario()
                .map(|s| format!("{} {}", s.simulation.agents, lang.t(Msg::Agents)))
                .unwrap_or_default();
            ui.label(agents);
            ui.label(status_text(lang, state.run_status.get(&d.id)));
            ui.end_row();
        }
    });
}

pub fn status_text(lang: Lang, s: Option<&RunStatus>) -> String {
    match s {
        None => lang.t(Msg::NotRun).into(),
        Some(RunStatus::Queued) => lang.t(Msg::Queued).into(),
        Some(RunStatus::Running) => lang.t(Msg::Running).into(),
        Some(RunStatus::Finished) => lang.t(Msg::Finished).into(),
        Some(RunStatus::Cancelled { kept, of }) => format!(
            "{} ({kept}/{of} {})",
            lang.t(Msg::Cancelled),
            lang.t(Msg::ReplicationsKept)
        ),
        Some(RunStatus::Failed(e)) => format!("{}: {e}", lang.t(Msg::Failed)),
    }
}

/// The series shown while a run progresses.
const LIVE: [SeriesMetric; 3] = [
    SeriesMetric::Staff,
    SeriesMetric::UniversityCost,
    SeriesMetric::FundBalance,
];

/// Live plots of a few series of the job under way: one line per replication finished so far.
fn live_ui(ui: &mut egui::Ui, lang: Lang, job: &crate::runner::Job) {
    let done: Vec<crate::runner::Series> = job
        .progress
        .finished
        .lock()
        .map(|f| f.clone())
        .unwrap_or_default();
    if done.is_empty() {
        ui.weak(lang.t(Msg::LiveWaiting));
        return;
    }
    ui.label(
        egui::RichText::new(format!(
            "{} ({}/{})",
            lang.t(Msg::LiveTitle),
            done.len(),
            job.replications
        ))
        .strong(),
    );
    ui.columns(LIVE.len(), |cols| {
        for (col, m) in cols.iter_mut().zip(LIVE) {
            col.label(crate::compare_ui::metric_name(lang, Metric::Series(m)));
            Plot::new(("live", m as usize))
                .height(160.0)
                .x_axis_label(lang.t(Msg::Year))
                .y_axis_formatter(|v, _| crate::fmt::thousands(v.value, 0))
                .show(col, |p| {
                    for (i, s) in done.iter().enumerate() {
                        let pts: Vec<[f64; 2]> =
                            s[m as usize].iter().map(|&(x, y)| [x, y]).collect();
                        let name = format!("{} {}", lang.t(Msg::Replication), i + 1);
                        p.line(Line::new(name, pts));
                    }
                });
        }
    });
}
