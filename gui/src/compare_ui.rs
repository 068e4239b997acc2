//! The comparison: pick scenarios and a baseline, an outcome and a chart, see the
//! distributions overlaid and the table of differences, and export both.

use crate::analysis::{ChartData, ChartKind, Metric};
use crate::command::{Command, ExportKind};
use crate::fmt::{self, Unit};
use crate::i18n::{Lang, Msg};
use crate::results::{AgentMetric, Grouping, SeriesMetric};
use crate::state::AppState;
use crate::summary::{Level, SummaryRow, Table, FEW_REPLICATIONS};
use egui_plot::{BoxElem, BoxPlot, BoxSpread, FilledArea, Legend, Line, Plot};
use sisandbox::plot::Palette;

const WARN: egui::Color32 = egui::Color32::from_rgb(0xB0, 0x6A, 0x00);

pub fn metric_name(lang: Lang, m: Metric) -> String {
    let msg = match m {
        Metric::Agent(AgentMetric::ReplacementRate) => Msg::ReplacementRate,
        Metric::Agent(AgentMetric::MoneysWorth) => Msg::MoneysWorth,
        Metric::Agent(AgentMetric::Wage) => Msg::Wage,
        Metric::Agent(AgentMetric::Irr) => Msg::Irr,
        Metric::Agent(AgentMetric::Perception) => Msg::Perception,
        Metric::Agent(AgentMetric::TakeHome) => Msg::AgentTakeHome,
        Metric::Series(SeriesMetric::Staff) => Msg::Staff,
        Metric::Series(SeriesMetric::Exits) => Msg::Exits,
        Metric::Series(SeriesMetric::UniversityCost) => Msg::UniversityCost,
        Metric::Series(SeriesMetric::TakeHomeEstablishment) => Msg::TakeHomeEstablishment,
        Metric::Series(SeriesMetric::TakeHomeContract) => Msg::TakeHomeContract,
        Metric::Series(SeriesMetric::FundBalance) => Msg::FundBalance,
    };
    lang.t(msg).to_string()
}

pub fn chart_name(lang: Lang, k: ChartKind) -> &'static str {
    lang.t(match k {
        ChartKind::Histogram => Msg::Histogram,
        ChartKind::Ecdf => Msg::Ecdf,
        ChartKind::Box => Msg::BoxPlot,
        ChartKind::Bands => Msg::TimeBands,
    })
}

fn grouping_name(lang: Lang, g: Grouping) -> &'static str {
    lang.t(match g {
        Grouping::All => Msg::GroupAll,
        Grouping::Track => Msg::GroupTrack,
        Grouping::AgeBand => Msg::GroupAgeBand,
        Grouping::Title => Msg::GroupTitle,
        Grouping::Region => Msg::GroupRegion,
    })
}

/// Axis titles of a chart.
pub fn axis_names(lang: Lang, m: Metric, k: ChartKind) -> (String, String) {
    let value = metric_name(lang, m);
    match k {
        ChartKind::Histogram | ChartKind::Ecdf => (value, lang.t(Msg::Share).into()),
        ChartKind::Box => (String::new(), value),
        ChartKind::Bands => (lang.t(Msg::Year).into(), value),
    }
}

fn color(palette: &Palette, name: &str) -> egui::Color32 {
    let c = palette.color_of(name);
    egui::Color32::from_rgb(c.0, c.1, c.2)
}

pub fn compare_ui(ui: &mut egui::Ui, state: &mut AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    if state.runs.is_empty() && state.history.is_empty() {
        ui.label(lang.t(Msg::NoRuns));
        return;
    }
    picker_ui(ui, state, cmds);
    let (metric, kind) = (state.compare.metric, state.compare.chart);
    let Some(cached) = state.comparison() else {
        ui.label(lang.t(Msg::ChooseTwo));
        return;
    };
    let names = cached.prepared.names.clone();
    let mut chart = cached.chart.clone();
    for note in withheld_notes(lang, state, metric) {
        ui.colored_label(WARN, note);
    }
    if let ChartData::Box { labels, .. } = &mut chart {
        for l in labels.iter_mut() {
            *l = crate::i18n::group_label(lang, l);
        }
    }
    let palette = Palette::pinned(names.iter().cloned());
    ui.horizontal_wrapped(|ui| {
        for n in &names {
            ui.colored_label(color(&palette, n), format!("■ {n}"));
        }
        if kind == ChartKind::Bands {
            ui.weak(band_note(lang));
        }
    });
    let (x, y) = axis_names(lang, metric, kind);
    let height = (ui.available_height() * 0.5).max(200.0);
    chart_ui(ui, &chart, &palette, &x, &y, height);
    ui.horizontal(|ui| {
        // Each opens the file dialog with a name made of the chart and the scenarios.
        for (msg, kind) in [
            (Msg::ExportPng, ExportKind::Png),
            (Msg::ExportSvg, ExportKind::Svg),
            (Msg::ExportCsv, ExportKind::Csv),
        ] {
            if ui.button(format!("{}…", lang.t(msg))).clicked() {
                cmds.push(Command::ExportDialog(kind));
            }
        }
    });
    ui.label(egui::RichText::new(lang.t(Msg::Summary)).strong());
    match state.summary() {
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(lang.t(Msg::TablePending));
            });
        }
        Some(table) => table_ui(ui, lang, table, metric),
    }
}

/// For each compared run whose folders withhold the values of `metric` (a k-anonymous roster
/// run's agents.csv gives the wage as a band and withholds take-home pay), how many agents
/// the chart and the table leave out.
pub fn withheld_notes(lang: Lang, state: &AppState, metric: Metric) -> Vec<String> {
    let Metric::Agent(m) = metric else {
        return Vec::new();
    };
    let what = metric_name(lang, metric);
    state
        .compared_runs()
        .iter()
        .filter_map(|(_, run)| {
            let (w, n) = run.withheld(m);
            (w > 0).then(|| match lang {
                Lang::En => format!(
                    "{}: {what} is not available for {} of {} agents (a band or withheld, `*`, in \
                     its k-anonymous agents.csv); the chart and the table leave them out.",
                    run.name,
                    fmt::thousands(w as f64, 0),
                    fmt::thousands(n as f64, 0)
                ),
                Lang::Zh => format!(
                    "{}：{} 人中有 {} 人的{what}不可用（其 k-匿名 agents.csv 中为区间或已隐去 `*`）；图表与汇总表不含这些人。",
                    run.name,
                    fmt::thousands(n as f64, 0),
                    fmt::thousands(w as f64, 0)
                ),
            })
        })
        .collect()
}

/// The band the time-series charts draw, named from the constant they use.
fn band_note(lang: Lang) -> String {
    let (lo, hi) = crate::analysis::BAND;
    match lang {
        Lang::En => format!(
            "line: median over replications; band: {:.0}–{:.0} % of replications",
            lo * 100.0,
            hi * 100.0
        ),
        Lang::Zh => format!(
            "线：各次重复的中位数；阴影：各次重复的 {:.0}–{:.0}% 分位区间",
            lo * 100.0,
            hi * 100.0
        ),
    }
}

fn picker_ui(ui: &mut egui::Ui, state: &AppState, cmds: &mut Vec<Command>) {
    let lang = state.lang;
    let c = &state.compare;
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.t(Msg::Compare));
        let entries = state.run_entries();
        for (id, label) in &entries {
            let mut on = c.picked.contains(id);
            let r = ui.checkbox(&mut on, label.as_str());
            if !state.runs.contains_key(id) {
                r.clone().on_hover_text(lang.t(Msg::FromDisk));
            }
            if r.changed() {
                cmds.push(Command::ToggleCompared(*id));
            }
        }
        if state.loading() {
            ui.spinner();
        }
        ui.separator();
        ui.label(lang.t(Msg::Baseline));
        let base_name = c.baseline.map(|b| state.run_label(b)).unwrap_or_default();
        egui::ComboBox::from_id_salt("baseline")
            .selected_text(base_name)
            .show_ui(ui, |ui| {
                for (id, label) in entries.iter().filter(|e| state.runs.contains_key(&e.0)) {
                    if ui
                        .selectable_label(c.baseline == Some(*id), label.as_str())
                        .clicked()
                    {
                        cmds.push(Command::SetBaseline(*id));
                    }
                }
            })
            .response
            .accessible_name(lang.t(Msg::Baseline));
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.t(Msg::Metric));
        egui::ComboBox::from_id_salt("metric")
            .selected_text(metric_name(lang, c.metric))
            .width(300.0)
            .show_ui(ui, |ui| {
                for m in Metric::all() {
                    if ui
                        .selectable_label(c.metric == m, metric_name(lang, m))
                        .clicked()
                    {
                        cmds.push(Command::SetMetric(m));
                    }
                }
            })
            .response
            .accessible_name(lang.t(Msg::Metric));
        ui.label(lang.t(Msg::Chart));
        for &k in ChartKind::for_metric(c.metric) {
            if ui
                .selectable_label(c.chart == k, chart_name(lang, k))
                .clicked()
            {
                cmds.push(Command::SetChart(k));
            }
        }
        if c.chart == ChartKind::Box {
            ui.label(lang.t(Msg::GroupBy));
            egui::ComboBox::from_id_salt("grouping")
                .selected_text(grouping_name(lang, c.grouping))
                .show_ui(ui, |ui| {
                    for g in Grouping::ALL {
                        if ui
                            .selectable_label(c.grouping == g, grouping_name(lang, g))
                            .clicked()
                        {
                            cmds.push(Command::SetGrouping(g));
                        }
                    }
                })
                .response
                .accessible_name(lang.t(Msg::GroupBy));
        }
    });
}

/// Draws the chart on screen.
pub fn chart_ui(
    ui: &mut egui::Ui,
    data: &ChartData,
    palette: &Palette,
    x_label: &str,
    y_label: &str,
    height: f32,
) {
    if let ChartData::Empty(why) = data {
        ui.label(why);
        return;
    }
    let labels = match data {
        ChartData::Box { labels, .. } => labels.clone(),
        _ => Vec::new(),
    };
    let boxed = !labels.is_empty();
    let mut plot = Plot::new("comparison")
        .legend(Legend::default())
        .height(height)
        .x_axis_label(x_label.to_string())
        .y_axis_label(y_label.to_string());
    if boxed {
        plot = plot.x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        });
    }
    plot.show(ui, |p| match data {
        ChartData::Histogram { edges, shares } => {
            for (name, s) in shares {
                let mut pts = Vec::with_capacity(s.len() * 2);
                for (i, v) in s.iter().enumerate() {
                    pts.push([edges[i], *v]);
                    pts.push([edges[i + 1], *v]);
                }
                p.line(
                    Line::new(name, pts)
                        .color(color(palette, name))
                        .width(2.0)
                        .allow_band(false),
                );
            }
        }
        ChartData::Ecdf(series) => {
            for (name, pts) in series {
                p.line(
                    Line::new(name, pts.clone())
                        .color(color(palette, name))
                        .width(2.0)
                        .allow_band(false),
                );
            }
        }
        ChartData::Box { boxes, .. } => {
            let n = boxes.len().max(1) as f64;
            let w = 0.8 / n;
            for (j, (name, cells)) in boxes.iter().enumerate() {
                let c = color(palette, name);
                let elems = cells
                    .iter()
                    .enumerate()
                    .filter_map(|(g, b)| {
                        let b = b.as_ref()?;
                        let x = g as f64 - 0.4 + w * (j as f64 + 0.5);
                        let spread =
                            BoxSpread::new(b.lower_whisker, b.q1, b.median, b.q3, b.upper_whisker);
                        Some(
                            BoxElem::new(x, spread)
                                .box_width(w * 0.8)
                                .fill(c.gamma_multiply(0.3))
                                .stroke(egui::Stroke::new(1.5, c)),
                        )
                    })
                    .collect();
                p.box_plot(BoxPlot::new(name, elems).color(c));
            }
        }
        ChartData::Bands(series) => {
            for (name, band) in series {
                let c = color(palette, name);
                let xs: Vec<f64> = band.iter().map(|b| b.x).collect();
                let lo: Vec<f64> = band.iter().map(|b| b.lower).collect();
                let hi: Vec<f64> = band.iter().map(|b| b.upper).collect();
                p.add(FilledArea::new(name, &xs, &lo, &hi).fill_color(c.gamma_multiply(0.25)));
                let med: Vec<[f64; 2]> = band.iter().map(|b| [b.x, b.median]).collect();
                p.line(Line::new(name, med).color(c).width(2.0));
            }
        }
        ChartData::Empty(_) => {}
    });
}

/// What the intervals of the rows on screen are over, and a caveat when they are rough.
fn level_note(lang: Lang, rows: &[&SummaryRow]) -> (String, Option<String>) {
    let Some(r) = rows.first() else {
        return (String::new(), None);
    };
    let n = r.n;
    let note = match (lang, r.level) {
        (Lang::En, Level::Replications) => format!(
            "Mean and Δ over {}; replication k of each scenario uses seed + k and is paired with \
             the baseline's. Intervals: 95 % Student-t of the same mean.",
            fmt::count(lang, n, Level::Replications)
        ),
        (Lang::Zh, Level::Replications) => format!(
            "均值与差值基于 {}；各情景第 k 次重复使用种子 seed + k，与基准的同次重复配对。区间：同一均值的 95% t 区间。",
            fmt::count(lang, n, Level::Replications)
        ),
        (Lang::En, Level::Agents) => "One replication: mean and Δ over agents (paired by agent \
             where seed and headcount agree). Intervals: 95 % Student-t over agents."
            .to_string(),
        (Lang::Zh, Level::Agents) => {
            "仅一次重复：均值与差值基于人员（种子与人数相同时按人员配对）。区间：基于人员的 95% t 区间。"
                .to_string()
        }
    };
    let reps = match r.level {
        Level::Replications => n,
        Level::Agents => 1,
    };
    let caveat = (reps < FEW_REPLICATIONS).then(|| match lang {
        Lang::En => format!(
            "Caution: fewer than {FEW_REPLICATIONS} replications: differences between runs are not \
             yet well estimated; run {FEW_REPLICATIONS} or more before reporting."
        ),
        Lang::Zh => format!(
            "注意：重复次数少于 {FEW_REPLICATIONS} 次：运行间的差异尚未被充分估计；报告前请至少重复 {FEW_REPLICATIONS} 次。"
        ),
    });
    (note, caveat)
}

fn pairing_cell(lang: Lang, r: &SummaryRow) -> String {
    match r.pairing_share() {
        None => "—".into(),
        Some(share) => match lang {
            Lang::En => format!(
                "{} of {} agents paired ({})",
                fmt::thousands(r.pairs as f64, 0),
                fmt::thousands(r.agents as f64, 0),
                fmt::share(share)
            ),
            Lang::Zh => format!(
                "{} 人中 {} 人配对（{}）",
                fmt::thousands(r.agents as f64, 0),
                fmt::thousands(r.pairs as f64, 0),
                fmt::share(share)
            ),
        },
    }
}

/// The summary table of the metric on screen.
pub fn table_ui(ui: &mut egui::Ui, lang: Lang, rows: &Table, metric: Metric) {
    let rows = match rows {
        Ok(r) => r,
        Err(e) => {
            ui.colored_label(egui::Color32::from_rgb(0xC0, 0x30, 0x30), e);
            return;
        }
    };
    let rows: Vec<&SummaryRow> = rows.iter().filter(|r| r.metric == metric).collect();
    let (note, caveat) = level_note(lang, &rows);
    ui.weak(note);
    if let Some(c) = caveat {
        ui.colored_label(WARN, c);
    }
    for r in &rows {
        if let Some(w) =
            crate::summary::pairing_warning(lang, r.pairs, r.agents).filter(|_| r.paired)
        {
            ui.colored_label(WARN, format!("{}: {w}", r.scenario));
        }
    }
    let unit = Unit::of(metric);
    egui::ScrollArea::vertical()
        .id_salt("summary")
        .max_height(ui.available_height() - 10.0)
        .show(ui, |ui| {
            egui::Grid::new("summary-table")
                .striped(true)
                .show(ui, |ui| {
                    for h in [
                        Msg::Scenario,
                        Msg::Estimate,
                        Msg::Ci,
                        Msg::Diff,
                        Msg::DiffCi,
                        Msg::Count,
                        Msg::Winners,
                        Msg::Losers,
                        Msg::Paired,
                    ] {
                        ui.strong(lang.t(h));
                    }
                    ui.end_row();
                    for r in &rows {
                        let low = r.paired
                            && crate::summary::pairing_warning(lang, r.pairs, r.agents).is_some();
                        let share = |x: Option<f64>| match x {
                            Some(x) if low => format!("! {}", fmt::share(x)),
                            Some(x) => fmt::share(x),
                            None => "—".into(),
                        };
                        ui.label(&r.scenario);
                        ui.label(r.estimate.map_or("—".into(), |x| fmt::value(lang, unit, x)));
                        ui.label(fmt::interval(lang, unit, r.estimate_ci, false));
                        ui.label(r.diff.map_or("—".into(), |d| fmt::diff(lang, unit, d)));
                        ui.label(fmt::interval(lang, unit, r.diff_ci, true));
                        ui.label(fmt::count(lang, r.n, r.level));
                        ui.label(share(r.gain));
                        ui.label(share(r.loss));
                        ui.label(pairing_cell(lang, r));
                        ui.end_row();
                    }
                });
        });
}
