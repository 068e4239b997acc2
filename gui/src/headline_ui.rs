//! The headline panel: for each reform, one sentence of what changes, the outcomes an analyst
//! reports as paired differences with intervals, and two difference charts (employer cost year
//! by year, replacement rate by track).

use crate::fmt::{self, Unit};
use crate::headline::{Headline, Line, Outcome};
use crate::i18n::{group_label, Lang, Msg};
use crate::state::AppState;
use crate::summary::FEW_REPLICATIONS;
use egui_plot::{Bar, BarChart, FilledArea, Line as PlotLine, Plot};

const WARN: egui::Color32 = egui::Color32::from_rgb(0xB0, 0x6A, 0x00);
const BLUE: egui::Color32 = egui::Color32::from_rgb(0x1F, 0x6F, 0xB5);

pub fn outcome_name(lang: Lang, o: Outcome) -> &'static str {
    lang.t(match o {
        Outcome::ReplacementRate => Msg::HlReplacement,
        Outcome::TakeHome => Msg::HlTakeHome,
        Outcome::Perception => Msg::HlPerception,
        Outcome::Exits => Msg::HlExits,
        Outcome::EmployerCost => Msg::HlCost,
        Outcome::FundBalance => Msg::HlFund,
    })
}

/// The one-sentence answer: replacement rate, staff worse off, employer cost.
pub fn sentence(lang: Lang, h: &Headline) -> String {
    let find = |o: Outcome| h.lines.iter().find(|l| l.outcome == o && l.group.is_none());
    let mut parts = Vec::new();
    if let Some(l) = find(Outcome::ReplacementRate) {
        parts.push(format!(
            "{} {}",
            lang.t(Msg::HlReplacementShort),
            fmt::diff(lang, Unit::Share, l.diff)
        ));
    }
    if let Some(w) = h.worse_off {
        parts.push(match lang {
            Lang::En => format!("{} of paired staff worse off", fmt::share(w)),
            Lang::Zh => format!("{} 的配对人员受损", fmt::share(w)),
        });
    }
    if let Some(l) = find(Outcome::EmployerCost) {
        let rel = l.relative().map(fmt::relative).unwrap_or_default();
        parts.push(format!("{} {rel}", lang.t(Msg::HlCostShort)));
    }
    parts.join(match lang {
        Lang::En => ", ",
        Lang::Zh => "，",
    })
}

pub fn headline_ui(ui: &mut egui::Ui, state: &mut AppState) {
    let lang = state.lang;
    let base = state
        .compared_runs()
        .first()
        .map(|(_, r)| r.name.clone())
        .unwrap_or_default();
    if state.compared_runs().len() < 2 {
        ui.label(lang.t(Msg::ChooseTwo));
        return;
    }
    let Some(heads) = state.headlines().map(<[Headline]>::to_vec) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.t(Msg::TablePending));
        });
        return;
    };
    ui.weak(lang.t(Msg::HlNote));
    ui.weak(lang.t(Msg::HlNoSplit));
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for h in &heads {
                reform_ui(ui, lang, &base, h);
                ui.separator();
            }
        });
}

fn reform_ui(ui: &mut egui::Ui, lang: Lang, base: &str, h: &Headline) {
    ui.heading(format!("{} {} {base}", h.reform, lang.t(Msg::Versus)));
    ui.label(egui::RichText::new(sentence(lang, h)).size(18.0).strong());
    if h.replications < FEW_REPLICATIONS {
        ui.colored_label(
            WARN,
            match lang {
                Lang::En => format!(
                    "Caution: {}; intervals need {FEW_REPLICATIONS} or more to be reliable.",
                    fmt::count(lang, h.replications, crate::summary::Level::Replications)
                ),
                Lang::Zh => format!(
                    "注意：仅 {}；区间至少需要 {FEW_REPLICATIONS} 次重复才可靠。",
                    fmt::count(lang, h.replications, crate::summary::Level::Replications)
                ),
            },
        );
    }
    if let Some(w) = h
        .paired_share
        .and_then(|s| crate::summary::pairing_warning(lang, (s * 1000.0) as usize, 1000))
    {
        ui.colored_label(WARN, w);
    }
    egui::Grid::new(("headline", &h.reform))
        .striped(true)
        .show(ui, |ui| {
            for m in [
                Msg::HlOutcome,
                Msg::HlGroup,
                Msg::Baseline,
                Msg::HlReform,
                Msg::Diff,
                Msg::DiffCi,
                Msg::HlRelative,
            ] {
                ui.strong(lang.t(m));
            }
            ui.end_row();
            for l in &h.lines {
                line_ui(ui, lang, l);
            }
            for &o in &h.withheld {
                ui.label(outcome_name(lang, o));
                ui.label(group_label(lang, "all"));
                ui.label(lang.t(Msg::NotAvailable))
                    .on_hover_text(lang.t(Msg::WithheldNote));
                ui.label(lang.t(Msg::NotAvailable));
                ui.label(lang.t(Msg::WithheldNote));
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    let w = (ui.available_width() / 2.0 - 8.0).max(200.0);
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            ui.set_width(w);
            ui.strong(lang.t(Msg::HlCostByYear));
            cost_chart(ui, lang, h);
        });
        ui.vertical(|ui| {
            ui.set_width(w);
            ui.strong(lang.t(Msg::HlRrByTrack));
            track_chart(ui, lang, h);
        });
    });
}

fn line_ui(ui: &mut egui::Ui, lang: Lang, l: &Line) {
    let unit = l.outcome.unit();
    ui.label(outcome_name(lang, l.outcome));
    ui.label(group_label(lang, l.group.as_deref().unwrap_or("all")));
    ui.label(fmt::value(lang, unit, l.base));
    ui.label(fmt::value(lang, unit, l.reform));
    ui.label(egui::RichText::new(fmt::diff(lang, unit, l.diff)).strong());
    ui.label(fmt::interval(lang, unit, l.ci, true));
    ui.label(l.relative().map_or("—".into(), fmt::relative));
    ui.end_row();
}

fn cost_chart(ui: &mut egui::Ui, lang: Lang, h: &Headline) {
    let xs: Vec<f64> = h.cost_by_year.iter().map(|y| y.year).collect();
    let mid: Vec<[f64; 2]> = h.cost_by_year.iter().map(|y| [y.year, y.diff]).collect();
    let lo: Vec<f64> = h
        .cost_by_year
        .iter()
        .map(|y| y.ci.map_or(y.diff, |c| c.0))
        .collect();
    let hi: Vec<f64> = h
        .cost_by_year
        .iter()
        .map(|y| y.ci.map_or(y.diff, |c| c.1))
        .collect();
    let name = lang.t(Msg::HlDiffLine);
    Plot::new(("cost-by-year", &h.reform))
        .height(200.0)
        .x_axis_label(lang.t(Msg::Year))
        .y_axis_label(format!("Δ {}", fmt::yuan(lang)))
        .y_axis_formatter(|m, _| fmt::thousands(m.value, 0))
        .show(ui, |p| {
            p.add(FilledArea::new("95 %", &xs, &lo, &hi).fill_color(BLUE.gamma_multiply(0.25)));
            p.line(PlotLine::new(name, mid).color(BLUE).width(2.0));
            p.line(
                PlotLine::new(
                    "0",
                    vec![
                        [xs.first().copied().unwrap_or(0.0), 0.0],
                        [xs.last().copied().unwrap_or(1.0), 0.0],
                    ],
                )
                .color(egui::Color32::GRAY),
            );
        });
}

fn track_chart(ui: &mut egui::Ui, lang: Lang, h: &Headline) {
    let lines: Vec<&Line> = h
        .lines
        .iter()
        .filter(|l| l.outcome == Outcome::ReplacementRate && l.group.is_some())
        .collect();
    let labels: Vec<String> = lines
        .iter()
        .map(|l| group_label(lang, l.group.as_deref().unwrap_or("all")))
        .collect();
    let bars: Vec<Bar> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Bar::new(i as f64, l.diff * 100.0)
                .width(0.6)
                .fill(BLUE.gamma_multiply(0.6))
        })
        .collect();
    Plot::new(("rr-by-track", &h.reform))
        .height(200.0)
        .y_axis_label(lang.t(Msg::HlPpAxis))
        .x_axis_formatter(move |m, _| {
            let i = m.value.round();
            if (m.value - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |p| {
            p.bar_chart(BarChart::new(lang.t(Msg::HlDiffLine), bars).color(BLUE));
            for (i, l) in lines.iter().enumerate() {
                if let Some((a, b)) = l.ci {
                    let x = i as f64;
                    p.line(
                        PlotLine::new("95 %", vec![[x, a * 100.0], [x, b * 100.0]])
                            .color(egui::Color32::BLACK)
                            .width(1.5),
                    );
                }
            }
        });
}
