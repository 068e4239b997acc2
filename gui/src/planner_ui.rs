//! The planner tab: one person's case in a form (plain labels in English and Chinese), the
//! plan run in the background with progress and cancel, and its answer: the fan chart of
//! account balances by age (percentile bands) beside the options table.

use crate::command::{Command, ExportKind, PlannerCommand};
use crate::fmt::{self, Unit};
use crate::i18n::{Lang, Msg};
use crate::planner::{
    balance_fan, option_name, variant_name, CaseForm, PlanOutput, PlannerState, TEXT_FIELDS,
};
use crate::state::AppState;
use egui_plot::{FilledArea, Legend, Line, Plot};

const BLUE: egui::Color32 = egui::Color32::from_rgb(0x1F, 0x6F, 0xB5);
const ERROR: egui::Color32 = egui::Color32::from_rgb(0xC0, 0x30, 0x30);

pub fn planner_ui(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    let p = &mut state.planner;
    let cmd = |c: PlannerCommand| Command::Planner(c);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(lang.t(Msg::PlPaths));
        ui.add(egui::TextEdit::singleline(&mut p.paths).desired_width(80.0))
            .labelled_by(l.id);
        if ui
            .add_enabled(!p.busy(), egui::Button::new(lang.t(Msg::PlRun)))
            .clicked()
        {
            cmds.push(cmd(PlannerCommand::Run));
        }
        if ui
            .add_enabled(p.busy(), egui::Button::new(lang.t(Msg::Cancel)))
            .clicked()
        {
            cmds.push(cmd(PlannerCommand::Cancel));
        }
        if ui.button(lang.t(Msg::PlOpen)).clicked() {
            cmds.push(cmd(PlannerCommand::OpenDialog));
        }
        if ui.button(lang.t(Msg::PlSave)).clicked() {
            cmds.push(cmd(PlannerCommand::SaveDialog));
        }
        let has = p.output.is_some();
        if ui
            .add_enabled(has, egui::Button::new(lang.t(Msg::PlChartExport)))
            .clicked()
        {
            cmds.push(cmd(PlannerCommand::ExportDialog(ExportKind::Png)));
        }
        if ui
            .add_enabled(has, egui::Button::new(lang.t(Msg::PlChartExportSvg)))
            .clicked()
        {
            cmds.push(cmd(PlannerCommand::ExportDialog(ExportKind::Svg)));
        }
    });
    if let Some(path) = &p.case_path {
        ui.weak(path.display().to_string());
    }
    if let Some(job) = &p.job {
        let done = job.done.load(std::sync::atomic::Ordering::Relaxed);
        ui.add(egui::ProgressBar::new(job.fraction()).text(format!(
            "{} / {} {}",
            fmt::thousands(done as f64, 0),
            fmt::thousands(job.paths as f64, 0),
            lang.t(Msg::PlPathsDone)
        )));
    }
    if p.cancelled {
        ui.label(lang.t(Msg::PlCancelled));
    }
    for e in &p.problems {
        ui.colored_label(ERROR, e);
    }
    ui.separator();
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(380.0);
            egui::ScrollArea::vertical()
                .id_salt("plan-form")
                .auto_shrink([false, false])
                .show(ui, |ui| form_ui(ui, lang, &mut p.form));
        });
        ui.separator();
        ui.vertical(|ui| match p.output.clone() {
            Some(out) => result_ui(ui, lang, p, &out, cmds),
            None => {
                ui.label(lang.t(Msg::PlNoResult));
            }
        });
    });
}

/// A text field with its label (the label names the field for screen readers and tests).
fn text_row(ui: &mut egui::Ui, label: &str, text: &mut String) {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(text).desired_width(150.0))
        .labelled_by(l.id);
    ui.end_row();
}

fn choice_row(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    value: &mut String,
    choices: &[(&str, String)],
) {
    let l = ui.label(label);
    let shown = choices
        .iter()
        .find(|(w, _)| *w == value.as_str())
        .map_or(value.clone(), |(_, t)| t.clone());
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .width(150.0)
        .show_ui(ui, |ui| {
            for (w, t) in choices {
                ui.selectable_value(value, w.to_string(), t);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn form_ui(ui: &mut egui::Ui, lang: Lang, f: &mut CaseForm) {
    let t = |m: Msg| lang.t(m).to_string();
    let label = |key: &str| {
        TEXT_FIELDS
            .iter()
            .find(|(k, ..)| *k == key)
            .map_or(key.to_string(), |(_, _, m, _)| lang.t(*m).to_string())
    };
    ui.strong(t(Msg::PlPerson));
    egui::Grid::new("plan-person")
        .num_columns(2)
        .show(ui, |ui| {
            choice_row(
                ui,
                "plan-sex",
                &t(Msg::PlSex),
                &mut f.sex,
                &[("female", t(Msg::PlFemale)), ("male", t(Msg::PlMale))],
            );
            choice_row(
                ui,
                "plan-category",
                &t(Msg::PlCategory),
                &mut f.category,
                &[("cadre", t(Msg::PlCadre)), ("worker", t(Msg::PlWorker))],
            );
            choice_row(
                ui,
                "plan-track",
                &t(Msg::PlTrack),
                &mut f.track,
                &[
                    ("contract", t(Msg::PlContract)),
                    ("established", t(Msg::PlEstablished)),
                ],
            );
            for k in [
                "person.birth",
                "person.region",
                "person.title",
                "person.start",
                "person.wage",
                "person.career_raise",
            ] {
                text_row(ui, &label(k), f.field_mut(k));
            }
        });
    ui.add_space(6.0);
    ui.strong(t(Msg::PlRecord));
    egui::Grid::new("plan-record")
        .num_columns(2)
        .show(ui, |ui| {
            for (k, ..) in TEXT_FIELDS
                .iter()
                .filter(|(k, ..)| k.starts_with("record."))
            {
                text_row(ui, &label(k), f.field_mut(k));
            }
        });
    ui.add_space(6.0);
    ui.strong(t(Msg::PlOptions));
    egui::Grid::new("plan-options")
        .num_columns(2)
        .show(ui, |ui| {
            if f.track == "contract" {
                choice_row(
                    ui,
                    "plan-ea",
                    &t(Msg::PlEa),
                    &mut f.enterprise_annuity,
                    &[
                        ("both", t(Msg::PlEaBoth)),
                        ("yes", t(Msg::PlEaYes)),
                        ("no", t(Msg::PlEaNo)),
                    ],
                );
            }
            for k in [
                "options.base_share",
                "options.retire",
                "options.instalment_years",
            ] {
                text_row(ui, &label(k), f.field_mut(k));
            }
            ui.label(t(Msg::PlDraw));
            ui.vertical(|ui| {
                for (i, m) in [
                    Msg::PlDrawMonthly,
                    Msg::PlDrawInstalments,
                    Msg::PlDrawLumpSum,
                ]
                .into_iter()
                .enumerate()
                {
                    ui.checkbox(&mut f.draw[i], lang.t(m));
                }
            });
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.strong(t(Msg::PlSettings));
    egui::Grid::new("plan-settings")
        .num_columns(2)
        .show(ui, |ui| {
            for k in ["plan.percentiles", "plan.target_replacement", "plan.seed"] {
                text_row(ui, &label(k), f.field_mut(k));
            }
            text_row(ui, &t(Msg::PlScenario), f.field_mut("plan.scenario"));
        });
}

fn result_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    p: &PlannerState,
    out: &PlanOutput,
    cmds: &mut Vec<Command>,
) {
    let r = &out.result;
    let track = out.case.person.track;
    ui.label(match lang {
        Lang::En => format!(
            "{} paths, seed {}, scenario {}, {:.1} s",
            fmt::thousands(r.paths as f64, 0),
            out.case.plan.seed,
            out.scenario,
            out.seconds
        ),
        Lang::Zh => format!(
            "{} 条路径，种子 {}，情景 {}，用时 {:.1} 秒",
            fmt::thousands(r.paths as f64, 0),
            out.case.plan.seed,
            out.scenario,
            out.seconds
        ),
    });
    if let Some(g) = &r.gap {
        ui.label(gap_text(lang, out, g));
    }
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        let names: Vec<String> = r
            .variants
            .iter()
            .map(|&v| variant_name(lang, track, v))
            .collect();
        let variant = p.variant.min(names.len().saturating_sub(1));
        if names.len() > 1 {
            ui.horizontal(|ui| {
                let l = ui.label(lang.t(Msg::PlVariant));
                egui::ComboBox::from_id_salt("plan-variant")
                    .selected_text(names[variant].clone())
                    .show_ui(ui, |ui| {
                        for (i, n) in names.iter().enumerate() {
                            if ui.selectable_label(i == variant, n).clicked() {
                                cmds.push(Command::Planner(PlannerCommand::Variant(i)));
                            }
                        }
                    })
                    .response
                    .labelled_by(l.id);
            });
        }
        ui.strong(lang.t(Msg::PlFanTitle));
        fan_ui(ui, lang, out, variant);
        options_ui(&mut cols[1], lang, out);
    });
}

fn gap_text(lang: Lang, out: &PlanOutput, g: &sisandbox::plan::Gap) -> String {
    let track = out.case.person.track;
    let closing: Vec<String> = g
        .closing_options
        .iter()
        .filter_map(|&o| out.result.options.get(o))
        .map(|o| option_name(lang, track, o))
        .collect();
    let (target, median) = (
        fmt::value(lang, Unit::Share, g.target),
        fmt::value(lang, Unit::Share, g.median),
    );
    let short = fmt::value(lang, Unit::Yuan, g.monthly_shortfall);
    let save = fmt::value(lang, Unit::Yuan, g.monthly_saving);
    match lang {
        Lang::En => format!(
            "Target replacement rate {target}; median of the first option {median}: {short} a month short, closed by saving {save} a month until retirement (without return). Options reaching it: {}.",
            if closing.is_empty() { "none".into() } else { closing.join("; ") }
        ),
        Lang::Zh => format!(
            "目标替代率 {target}；第一个选项的中位数 {median}：每月缺口 {short}，退休前每月储蓄 {save}（不计收益）可补足。达到目标的选项：{}。",
            if closing.is_empty() { "无".into() } else { closing.join("；") }
        ),
    }
}

/// The fan chart: nested bands between symmetric percentiles, the middle one as a line.
fn fan_ui(ui: &mut egui::Ui, lang: Lang, out: &PlanOutput, variant: usize) {
    let (ages, curves) = balance_fan(&out.result, variant);
    // Only the ages where every percentile has a value (a band cannot span a gap).
    let keep: Vec<usize> = (0..ages.len())
        .filter(|&k| curves.iter().all(|(_, c)| c[k].is_finite()))
        .collect();
    let xs: Vec<f64> = keep.iter().map(|&k| ages[k]).collect();
    let pick = |c: &Vec<f64>| -> Vec<f64> { keep.iter().map(|&k| c[k]).collect() };
    let n = curves.len();
    let height = (ui.available_height() - 8.0).clamp(220.0, 480.0);
    Plot::new(("plan-fan", variant))
        .height(height)
        .legend(Legend::default())
        .x_axis_label(lang.t(Msg::PlAgeAxis))
        .y_axis_label(lang.t(Msg::PlBalanceAxis))
        .y_axis_formatter(|m, _| fmt::thousands(m.value, 0))
        .show(ui, |pl| {
            for i in 0..n / 2 {
                let (qa, lo) = &curves[i];
                let (qb, hi) = &curves[n - 1 - i];
                let shade = 0.15 + 0.2 * i as f32;
                pl.add(
                    FilledArea::new(format!("{qa}–{qb} %"), &xs, &pick(lo), &pick(hi))
                        .fill_color(BLUE.gamma_multiply(shade)),
                );
            }
            if n % 2 == 1 {
                let (q, mid) = &curves[n / 2];
                let points: Vec<[f64; 2]> =
                    xs.iter().zip(pick(mid)).map(|(&x, y)| [x, y]).collect();
                let name = if *q == 50.0 {
                    format!("50 % ({})", lang.t(Msg::PlMedian))
                } else {
                    format!("{q} %")
                };
                pl.line(Line::new(name, points).color(BLUE).width(2.0));
            }
        });
}

/// The options side by side: median and 5th–95th percentile of each metric.
fn options_ui(ui: &mut egui::Ui, lang: Lang, out: &PlanOutput) {
    let r = &out.result;
    let track = out.case.person.track;
    let at = |q: f64| r.percentiles.iter().position(|&x| x == q);
    let (lo, mid, hi) = (at(5.0), at(50.0), at(95.0));
    let cell = |o: usize, m: usize, unit: Unit| -> String {
        let v = |i: Option<usize>| i.map_or(f64::NAN, |i| r.summary[o][m][i]);
        let f = |x: f64| match unit {
            Unit::Yuan => fmt::thousands(x, 0),
            _ => fmt::value(lang, unit, x),
        };
        format!("{} [{} – {}]", f(v(mid)), f(v(lo)), f(v(hi)))
    };
    ui.weak(lang.t(Msg::PlTableNote));
    egui::ScrollArea::both()
        .id_salt("plan-options-table")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("plan-options-grid")
                .striped(true)
                .show(ui, |ui| {
                    for m in [
                        Msg::PlOption,
                        Msg::PlPension,
                        Msg::PlReplacement,
                        Msg::PlMoneyWorth,
                    ] {
                        ui.strong(lang.t(m));
                    }
                    ui.end_row();
                    for (o, l) in r.options.iter().enumerate() {
                        let details = all_percentiles(lang, out, o);
                        ui.label(option_name(lang, track, l)).on_hover_text(details);
                        ui.label(cell(o, 0, Unit::Yuan));
                        ui.label(cell(o, 2, Unit::Share));
                        ui.label(cell(o, 3, Unit::Ratio));
                        ui.end_row();
                    }
                });
        });
}

/// Every percentile of every metric of option `o`, one metric a line.
fn all_percentiles(lang: Lang, out: &PlanOutput, o: usize) -> String {
    let r = &out.result;
    let metrics = [
        (Msg::PlPension, Unit::Yuan),
        (Msg::PlPensionReal, Unit::Yuan),
        (Msg::PlReplacement, Unit::Share),
        (Msg::PlMoneyWorth, Unit::Ratio),
    ];
    metrics
        .iter()
        .enumerate()
        .map(|(m, (name, unit))| {
            let values: Vec<String> = r
                .percentiles
                .iter()
                .zip(&r.summary[o][m])
                .map(|(q, v)| format!("P{q}: {}", fmt::value(lang, *unit, *v)))
                .collect();
            format!("{}: {}", lang.t(*name), values.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
