//! The window: top bar, the list of open scenarios, the pane of the chosen tab and the
//! unsaved-changes dialog. Drawing collects [`Command`]s; they are applied after the frame.

use crate::command::Command;
use crate::compare_ui::compare_ui;
use crate::document::DocId;
use crate::editor_ui::{diff_ui, text_ui};
use crate::i18n::{Lang, Msg};
use crate::lever_ui::form_ui;
use crate::run_ui::{run_ui, status_text};
use crate::state::{AppState, Dialog, Tab};
use std::path::PathBuf;

/// What to do at start-up (from the command line).
#[derive(Clone, Debug, Default)]
pub struct Startup {
    pub files: Vec<PathBuf>,
    pub lang: Lang,
    /// Run every scenario opened.
    pub run: bool,
    /// Show the comparison once the runs are done.
    pub compare: bool,
    /// Replications of each run (at least 1).
    pub replications: u32,
    /// Create a reform of the first scenario that sets these levers (`key`, typed value),
    /// entered as in the lever view, and save it beside the first scenario.
    pub reform: Vec<(String, String)>,
    /// The tab to show when the runs are done (or at once without `compare`).
    pub tab: Option<Tab>,
    /// Export the chart on screen to this file once the comparison is shown.
    pub export: Option<PathBuf>,
    /// Where run folders are written and found (default `results`).
    pub runs_folder: Option<PathBuf>,
    /// A planner case to open in the planner tab, run and show.
    pub plan: Option<PathBuf>,
    /// Paths of that plan (default the tab's).
    pub plan_paths: Option<usize>,
}

pub struct GuiApp {
    pub state: AppState,
    show_compare_when_done: bool,
    tab_when_done: Tab,
    export_when_done: Option<PathBuf>,
    /// Longest frame so far and frames drawn, reported when `SISANDBOX_GUI_FRAME_STATS` is set
    /// (the measurement of how long the window's thread is ever busy).
    frame_max: std::time::Duration,
    /// Longest whole frame so far (seconds), as eframe measures it.
    whole_max: f32,
    frames: u64,
    frame_stats: bool,
    /// A plan asked for at start-up is under way (its end is reported on stderr).
    plan_pending: bool,
}

impl GuiApp {
    pub fn new(ctx: &egui::Context, startup: Startup) -> Self {
        crate::fonts::install(ctx);
        let mut state = AppState::new(ctx.clone());
        state.lang = startup.lang;
        state.run_settings.replications = startup.replications.max(1);
        if let Some(out) = &startup.runs_folder {
            state.run_settings.out = out.clone();
        }
        // Runs made before (by this app or the CLI) can be compared again.
        state.scan_history();
        for f in &startup.files {
            state.open(f);
        }
        if let Some(first) = state.docs.first().map(|d| d.id) {
            state.active = Some(first);
            if !startup.reform.is_empty() {
                make_reform(&mut state, first, &startup.reform);
            }
        }
        if let Some(t) = startup.tab {
            state.tab = t;
        }
        if startup.run {
            state.apply(Command::RunAll);
            state.tab = Tab::Run;
        }
        let plan_pending = startup.plan.is_some();
        if let Some(case) = &startup.plan {
            use crate::command::PlannerCommand;
            state.apply(Command::Planner(PlannerCommand::Open(case.clone())));
            if let Some(n) = startup.plan_paths {
                state.planner.paths = n.to_string();
            }
            state.apply(Command::Planner(PlannerCommand::Run));
            state.tab = Tab::Planner;
        }
        if !startup.compare {
            // The end-to-end screenshot script waits for this line.
            eprintln!("sisandbox-gui: ready");
        }
        GuiApp {
            state,
            show_compare_when_done: startup.compare,
            tab_when_done: startup.tab.unwrap_or(Tab::Compare),
            export_when_done: startup.export,
            frame_max: std::time::Duration::ZERO,
            whole_max: 0.0,
            frames: 0,
            frame_stats: std::env::var_os("SISANDBOX_GUI_FRAME_STATS").is_some(),
            plan_pending,
        }
    }

    /// One frame of the whole window, timed. With `SISANDBOX_GUI_FRAME_STATS` set, each new
    /// longest frame is reported with the time the thread spent on a CPU and waiting for one
    /// (Linux's per-thread scheduler statistics), which tells work the frame did from time the
    /// thread was only descheduled for on a busy machine.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let sched = self.frame_stats.then(thread_schedstat).flatten();
        let started = std::time::Instant::now();
        self.draw(ui);
        let took = started.elapsed();
        self.frames += 1;
        if took > self.frame_max {
            self.frame_max = took;
            if self.frame_stats {
                let split = sched
                    .zip(thread_schedstat())
                    .map(|((cpu0, wait0), (cpu1, wait1))| {
                        format!(
                            "; on a CPU {:.1} ms, waiting for one {:.1} ms",
                            cpu1.saturating_sub(cpu0) as f64 / 1e6,
                            wait1.saturating_sub(wait0) as f64 / 1e6
                        )
                    })
                    .unwrap_or_default();
                eprintln!(
                    "sisandbox-gui: longest frame {:.1} ms (frame {}, {:?}{split})",
                    took.as_secs_f64() * 1000.0,
                    self.frames,
                    self.state.tab
                );
            }
        }
    }

    /// Reports a new longest whole frame (drawing, tessellation and painting, as eframe
    /// measures the previous frame) when frame statistics are asked for.
    fn whole_frame(&mut self, seconds: Option<f32>) {
        let Some(s) = seconds.filter(|_| self.frame_stats) else {
            return;
        };
        if s > self.whole_max {
            self.whole_max = s;
            eprintln!(
                "sisandbox-gui: longest whole frame {:.1} ms (drawing and painting, frame {})",
                f64::from(s) * 1000.0,
                self.frames.saturating_sub(1)
            );
        }
    }

    fn draw(&mut self, ui: &mut egui::Ui) {
        self.state.poll();
        if self.plan_pending && !self.state.planner.busy() {
            self.plan_pending = false;
            // The end-to-end script waits for one of these lines.
            match &self.state.planner.output {
                Some(out) => eprintln!(
                    "sisandbox-gui: plan shown: {} options, {} paths",
                    out.result.options.len(),
                    out.result.paths
                ),
                None => eprintln!(
                    "sisandbox-gui: plan failed: {}",
                    self.state.planner.problems.join("; ")
                ),
            }
        }
        if self.show_compare_when_done && !self.state.busy() && self.state.runs.len() >= 2 {
            let ready = self.state.summary().is_some();
            if ready {
                self.state.tab = self.tab_when_done;
                self.show_compare_when_done = false;
                if let Some(path) = self.export_when_done.take() {
                    self.state.apply(Command::ExportChart(path.clone()));
                    if path.is_file() {
                        eprintln!("sisandbox-gui: exported {}", path.display());
                    }
                }
                // The end-to-end script reads the headline the panel shows.
                let lang = self.state.lang;
                if let Some(heads) = self.state.headlines() {
                    for h in heads {
                        let line = crate::headline_ui::sentence(lang, h);
                        eprintln!("sisandbox-gui: headline {}: {line}", h.reform);
                    }
                }
                // The end-to-end screenshot script waits for this line.
                eprintln!("sisandbox-gui: comparison shown");
            }
        }
        let ctx = ui.ctx().clone();
        let mut cmds = Vec::new();
        if ctx.input(|i| i.viewport().close_requested()) && !self.state.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            cmds.push(Command::QuitRequested);
        }
        egui::Panel::top("top").show(ui, |ui| top_ui(ui, &self.state, &mut cmds));
        egui::Panel::bottom("status").show(ui, |ui| status_ui(ui, &self.state));
        egui::Panel::left("scenarios")
            .default_size(260.0)
            .show(ui, |ui| side_ui(ui, &mut self.state, &mut cmds));
        egui::CentralPanel::default_margins()
            .show(ui, |ui| main_ui(ui, &mut self.state, &mut cmds));
        dialog_ui(&ctx, &self.state, &mut cmds);
        let was_confirmed = self.state.quit_confirmed;
        for c in cmds {
            self.state.apply(c);
        }
        if self.state.quit_confirmed && !was_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if self.state.busy() || self.state.planner.busy() || self.state.stress.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
    }
}

impl eframe::App for GuiApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.whole_frame(frame.info().cpu_usage);
        self.frame_ui(ui);
    }
}

/// This thread's time on a CPU and waiting in the run queue so far, in nanoseconds
/// (`/proc/thread-self/schedstat`); `None` where the system does not say.
fn thread_schedstat() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut f = text.split_whitespace().map(|x| x.parse::<u64>().ok());
    Some((f.next()??, f.next()??))
}

fn top_ui(ui: &mut egui::Ui, state: &AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    ui.horizontal(|ui| {
        ui.heading(lang.t(Msg::AppTitle));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            egui::ComboBox::from_id_salt("lang")
                .selected_text(lang.name())
                .show_ui(ui, |ui| {
                    for l in Lang::ALL {
                        if ui.selectable_label(l == lang, l.name()).clicked() {
                            cmds.push(Command::SetLang(l));
                        }
                    }
                })
                .response
                .accessible_name(lang.t(Msg::Language));
            ui.label(lang.t(Msg::Language));
        });
    });
    ui.horizontal(|ui| {
        for (tab, msg) in [
            (Tab::Form, Msg::TabForm),
            (Tab::Text, Msg::TabText),
            (Tab::Diff, Msg::TabDiff),
            (Tab::Run, Msg::TabRun),
            (Tab::Compare, Msg::TabCompare),
            (Tab::Headline, Msg::TabHeadline),
            (Tab::Planner, Msg::TabPlanner),
            (Tab::Stress, Msg::TabStress),
        ] {
            if ui.selectable_label(state.tab == tab, lang.t(msg)).clicked() {
                cmds.push(Command::SetTab(tab));
            }
        }
    });
}

fn status_ui(ui: &mut egui::Ui, state: &AppState) {
    match &state.message {
        Some((true, m)) => ui.colored_label(egui::Color32::from_rgb(0xC0, 0x30, 0x30), m),
        Some((false, m)) => ui.label(m),
        None => ui.label(""),
    };
}

fn side_ui(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    ui.strong(lang.t(Msg::Scenarios));
    let l = ui.label(lang.t(Msg::ScenarioFile));
    ui.add(egui::TextEdit::singleline(&mut state.path_input).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    let path = PathBuf::from(state.path_input.trim());
    ui.horizontal_wrapped(|ui| {
        if ui.button(lang.t(Msg::Open)).clicked() {
            cmds.push(Command::Open(path.clone()));
        }
        if ui.button(lang.t(Msg::OpenDialog)).clicked() {
            cmds.push(Command::OpenDialog);
        }
        if ui.button(lang.t(Msg::NewScenario)).clicked() {
            cmds.push(Command::NewScenario);
        }
    });
    ui.separator();
    let active = state.active;
    for d in &state.docs {
        let mut text = d.label();
        if d.is_dirty() {
            text.push_str(&format!(" ({})", lang.t(Msg::Unsaved)));
        }
        let r = ui
            .selectable_label(active == Some(d.id), text)
            .on_hover_text(format!(
                "{}\n{}",
                d.path.display(),
                status_text(lang, state.run_status.get(&d.id))
            ));
        if r.clicked() {
            cmds.push(Command::Select(d.id));
        }
    }
    let Some(doc) = state.active_doc() else {
        return;
    };
    ui.separator();
    ui.weak(doc.path.display().to_string());
    ui.horizontal_wrapped(|ui| {
        if ui.button(lang.t(Msg::Save)).clicked() {
            cmds.push(Command::Save(doc.id));
        }
        if ui.button(lang.t(Msg::SaveAs)).clicked() {
            cmds.push(Command::SaveAs(doc.id, path.clone()));
        }
        if ui.button(lang.t(Msg::SaveAsDialog)).clicked() {
            cmds.push(Command::SaveAsDialog(doc.id));
        }
        if ui.button(lang.t(Msg::CloseDoc)).clicked() {
            cmds.push(Command::Close(doc.id));
        }
    });
    if ui.button(lang.t(Msg::NewReform)).clicked() {
        cmds.push(Command::NewReform(doc.id));
    }
}

fn main_ui(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    match state.tab {
        Tab::Run => run_ui(ui, state, cmds),
        Tab::Compare => compare_ui(ui, state, cmds),
        Tab::Headline => crate::headline_ui::headline_ui(ui, state),
        Tab::Planner => crate::planner_ui::planner_ui(ui, state, cmds),
        Tab::Stress => crate::stress_ui::stress_ui(ui, state, cmds),
        tab => {
            let Some(id) = state.active else {
                ui.label(lang.t(Msg::ScenarioFile));
                return;
            };
            let Some(pos) = state.docs.iter().position(|d| d.id == id) else {
                return;
            };
            let doc = &state.docs[pos];
            ui.heading(doc.label());
            match tab {
                Tab::Form => {
                    let mut fields = crate::lever_ui::Fields {
                        buffers: &mut state.buffers,
                        errors: &state.field_errors,
                    };
                    form_ui(ui, lang, doc, &mut fields, cmds)
                }
                Tab::Text => text_ui(ui, lang, doc, cmds),
                _ => {
                    let base: Option<DocId> = state
                        .diff_base
                        .get(&id)
                        .copied()
                        .flatten()
                        .or(doc.base)
                        .or_else(|| extended_doc(state, doc));
                    diff_ui(ui, lang, doc, &state.docs, base, cmds)
                }
            }
        }
    }
}

/// A reform of `base` setting `levers` through the same commands as the lever view, saved.
fn make_reform(state: &mut AppState, base: DocId, levers: &[(String, String)]) {
    state.apply(Command::NewReform(base));
    let Some(id) = state.active else { return };
    for (path, text) in levers {
        let template = crate::levers::template(path);
        let docs = crate::catalog::key_docs();
        let Some(key) = docs.iter().position(|d| d.path == template) else {
            state.apply(Command::SetValue {
                doc: id,
                path: path.clone(),
                value: sisandbox::scenario::overrides::parse_value(text),
            });
            continue;
        };
        state.apply(Command::CommitField {
            doc: id,
            path: path.clone(),
            key,
            editor: crate::catalog::editor_of(&docs[key]),
            text: text.clone(),
        });
    }
    state.apply(Command::Save(id));
    if let Some(d) = state.doc(id) {
        eprintln!("sisandbox-gui: reform {}", d.path.display());
    }
}

/// The open scenario that `doc` extends, if it is open.
fn extended_doc(state: &AppState, doc: &crate::document::ScenarioDoc) -> Option<DocId> {
    let target = doc.extends_path()?;
    let same = |p: &std::path::Path| match (p.canonicalize(), target.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => p == target,
    };
    state
        .docs
        .iter()
        .find(|d| d.id != doc.id && same(&d.path))
        .map(|d| d.id)
}

fn dialog_ui(ctx: &egui::Context, state: &AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    let Some(dialog) = state.dialog else { return };
    egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
        ui.heading(lang.t(Msg::UnsavedTitle));
        let (text, save, discard) = match dialog {
            Dialog::Quit => (
                Msg::UnsavedQuit,
                Command::SaveAllAndQuit,
                Command::DiscardAllAndQuit,
            ),
            Dialog::Close(id) => (Msg::UnsavedClose, Command::Save(id), Command::Discard(id)),
        };
        ui.label(lang.t(text));
        ui.horizontal(|ui| {
            if ui.button(lang.t(Msg::SaveAll)).clicked() {
                cmds.push(save.clone());
                if let Dialog::Close(id) = dialog {
                    cmds.push(Command::Close(id));
                }
                cmds.push(Command::DismissDialog);
            }
            if ui.button(lang.t(Msg::Discard)).clicked() {
                cmds.push(discard);
            }
            if ui.button(lang.t(Msg::Cancel)).clicked() {
                cmds.push(Command::DismissDialog);
            }
        });
    });
}
