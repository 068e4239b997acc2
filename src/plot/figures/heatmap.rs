//! Heat map: a grid of cells coloured by value on the viridis scale, with a colour bar, the
//! level of each row and column as tick labels, optional text in each cell, and cells without
//! a value drawn grey and explained under the colour bar (for example "not exhausted by 2064").

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::plot::chart::{padded, text_style, tick_label, INK};
use crate::plot::error::{render_err, PlotError};
use crate::plot::output::{render, Figure};
use crate::plot::style::FigureStyle;

/// What a heat map shows. `values[row][column]`: row 0 is drawn at the bottom, next to the x
/// axis; `None` (or a non-finite value) is a cell without a value.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap<'a> {
    /// One label per column (the levels of the x axis).
    pub x_labels: &'a [String],
    /// One label per row (the levels of the y axis).
    pub y_labels: &'a [String],
    pub values: &'a [Vec<Option<f64>>],
    /// Text written in each cell, same shape as `values`; `None` for no text.
    pub annotations: Option<&'a [Vec<String>]>,
    /// Title of the colour bar, with its unit.
    pub colour_label: &'a str,
    /// What a grey cell means.
    pub missing_label: &'a str,
}

/// Viridis (matplotlib's default map: perceptually uniform, readable in grey and for the
/// common colour-vision deficiencies), eight anchors, linearly interpolated.
const VIRIDIS: [(u8, u8, u8); 8] = [
    (68, 1, 84),
    (70, 50, 127),
    (54, 92, 141),
    (39, 127, 143),
    (31, 162, 136),
    (74, 194, 110),
    (160, 219, 57),
    (254, 232, 37),
];
/// Cells without a value.
const MISSING: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);

/// The colour of `t` in 0–1 (clamped) on the viridis scale.
pub fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Draws the heat map. Errors: no cell, a ragged grid, labels that do not match the grid, no
/// finite value at all.
pub fn heat_map(
    path: impl AsRef<Path>,
    style: &FigureStyle,
    map: &HeatMap<'_>,
) -> Result<(), PlotError> {
    let ny = map.values.len();
    let nx = map.values.first().map_or(0, Vec::len);
    if nx == 0 || ny == 0 {
        return Err(PlotError::EmptyInput("heat map: no cell".into()));
    }
    if map.values.iter().any(|r| r.len() != nx) {
        return Err(PlotError::InvalidArgument(
            "heat map: rows of different lengths".into(),
        ));
    }
    if map.x_labels.len() != nx || map.y_labels.len() != ny {
        return Err(PlotError::InvalidArgument(format!(
            "heat map: {nx} x {ny} cells but {} x {} labels",
            map.x_labels.len(),
            map.y_labels.len()
        )));
    }
    if let Some(a) = map.annotations {
        if a.len() != ny || a.iter().any(|r| r.len() != nx) {
            return Err(PlotError::InvalidArgument(
                "heat map: annotations do not match the cells".into(),
            ));
        }
    }
    let finite = || {
        map.values
            .iter()
            .flatten()
            .flatten()
            .copied()
            .filter(|v| v.is_finite())
    };
    let lo = finite().fold(f64::INFINITY, f64::min);
    let hi = finite().fold(f64::NEG_INFINITY, f64::max);
    let any_missing = map
        .values
        .iter()
        .flatten()
        .any(|v| !v.is_some_and(f64::is_finite));
    if !lo.is_finite() && !any_missing {
        return Err(PlotError::EmptyInput("heat map: no value".into()));
    }
    // With no value at all the map is all grey; the colour bar still needs a range.
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    render(
        path.as_ref(),
        style,
        &HeatFigure {
            map: map.clone(),
            range: (lo, hi),
            any_missing,
        },
    )
}

struct HeatFigure<'a> {
    map: HeatMap<'a>,
    range: (f64, f64),
    any_missing: bool,
}

impl HeatFigure<'_> {
    /// 0–1 position of `v` on the colour scale.
    fn position(&self, v: f64) -> f64 {
        let (lo, hi) = self.range;
        if hi > lo {
            (v - lo) / (hi - lo)
        } else {
            0.5
        }
    }
}

/// About `target` round tick values (1, 2 or 5 × 10^k apart) within `[lo, hi]`.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || target == 0 {
        return vec![lo];
    }
    let raw = (hi - lo) / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let count = |step: f64| ((hi / step).floor() - (lo / step).ceil() + 1.0).max(0.0);
    // The 1-2-5 step whose tick count is closest to the target (the larger on a tie).
    let step = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .rev()
        .map(|m| m * mag)
        .filter(|&s| count(s) >= 2.0)
        .min_by(|a, b| {
            let d = |s: f64| (count(s) - target as f64).abs();
            d(*a).total_cmp(&d(*b))
        })
        .unwrap_or(hi - lo);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

impl Figure for HeatFigure<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError> {
        let map = &self.map;
        let (ny, nx) = (map.values.len(), map.x_labels.len());
        let area = if style.title.is_empty() {
            root.clone()
        } else {
            root.titled(&style.title, text_style(style, 34.0))
                .map_err(render_err)?
        };
        let (w, _) = area.dim_in_pixel();
        let bar_width = style.px(300.0).min(w / 3);
        let (main, bar) = area.split_horizontally(w - bar_width);
        let bottom = style.px(90.0);
        let mut chart = ChartBuilder::on(&main)
            .margin(style.px(20.0))
            .x_label_area_size(bottom)
            .y_label_area_size(style.px(130.0))
            .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
            .map_err(render_err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc(style.x_label.as_str())
            .y_desc(style.y_label.as_str())
            .axis_desc_style(text_style(style, 24.0))
            .axis_style(INK.stroke_width(style.px(1.5)))
            .draw()
            .map_err(render_err)?;
        let cells = map
            .values
            .iter()
            .enumerate()
            .flat_map(|(j, row)| row.iter().enumerate().map(move |(i, v)| (i, j, *v)));
        let colour_of = |v: Option<f64>| match v.filter(|x| x.is_finite()) {
            Some(x) => viridis(self.position(x)),
            None => MISSING,
        };
        chart
            .draw_series(cells.clone().map(|(i, j, v)| {
                Rectangle::new(
                    [(i as f64, j as f64), (i as f64 + 1.0, j as f64 + 1.0)],
                    colour_of(v).filled(),
                )
            }))
            .map_err(render_err)?;
        chart
            .draw_series(cells.clone().map(|(i, j, _)| {
                Rectangle::new(
                    [(i as f64, j as f64), (i as f64 + 1.0, j as f64 + 1.0)],
                    WHITE.stroke_width(1),
                )
            }))
            .map_err(render_err)?;
        if let Some(text) = map.annotations {
            let size = if nx.max(ny) > 12 { 15.0 } else { 21.0 };
            for (i, j, v) in cells {
                let s = &text[j][i];
                if s.is_empty() {
                    continue;
                }
                let c = colour_of(v);
                let luminance =
                    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
                let ink = if luminance < 140.0 { WHITE } else { BLACK };
                let font = text_style(style, size)
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                chart
                    .draw_series(std::iter::once(Text::new(
                        s.clone(),
                        (i as f64 + 0.5, j as f64 + 0.5),
                        font,
                    )))
                    .map_err(render_err)?;
            }
        }
        // Tick labels at the centre of each column and row, on the whole figure's pixels.
        let gap = style.px(10.0) as i32;
        let every = |n: usize| n.div_ceil(12).max(1);
        for (i, label) in map.x_labels.iter().enumerate().step_by(every(nx)) {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            let font = text_style(style, 20.0).pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new(label.clone(), (x, y + gap), font))
                .map_err(render_err)?;
        }
        for (j, label) in map.y_labels.iter().enumerate().step_by(every(ny)) {
            let (x, y) = chart.backend_coord(&(0.0, j as f64 + 0.5));
            let font = text_style(style, 20.0).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(label.clone(), (x - gap, y), font))
                .map_err(render_err)?;
        }
        self.colour_bar(root, &bar, style, bottom)
    }
}

impl HeatFigure<'_> {
    /// The colour bar in `bar`, its ticks on the right, the grey swatch under it.
    fn colour_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        bar: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
        bottom: u32,
    ) -> Result<(), PlotError> {
        let (lo, hi) = self.range;
        let span = padded(lo, hi, 0.0);
        let (blo, bhi) = if hi > lo {
            (lo, hi)
        } else {
            (span.start, span.end)
        };
        let mut chart = ChartBuilder::on(bar)
            .margin_top(style.px(20.0))
            .margin_bottom(style.px(20.0) + bottom)
            .margin_left(style.px(30.0))
            .margin_right(style.px(170.0))
            .build_cartesian_2d(0f64..1f64, blo..bhi)
            .map_err(render_err)?;
        const SLICES: usize = 128;
        chart
            .draw_series((0..SLICES).map(|k| {
                let a = blo + (bhi - blo) * k as f64 / SLICES as f64;
                let b = blo + (bhi - blo) * (k + 1) as f64 / SLICES as f64;
                let t = (k as f64 + 0.5) / SLICES as f64;
                Rectangle::new([(0.0, a), (1.0, b)], viridis(t).filled())
            }))
            .map_err(render_err)?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, blo), (1.0, bhi)],
                INK.stroke_width(1),
            )))
            .map_err(render_err)?;
        let gap = style.px(8.0) as i32;
        for t in nice_ticks(blo, bhi, 6) {
            let (x, y) = chart.backend_coord(&(1.0, t));
            root.draw(&PathElement::new(
                vec![(x, y), (x + gap, y)],
                INK.stroke_width(1),
            ))
            .map_err(render_err)?;
            let font = text_style(style, 20.0).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(tick_label(&t), (x + 2 * gap, y), font))
                .map_err(render_err)?;
        }
        // The bar's title, turned to run up its right side beyond the tick labels.
        let (x_top, y_top) = chart.backend_coord(&(1.0, bhi));
        let (_, y_bottom) = chart.backend_coord(&(1.0, blo));
        let font = text_style(style, 22.0)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        root.draw(&Text::new(
            self.map.colour_label.to_string(),
            (x_top + style.px(130.0) as i32, (y_top + y_bottom) / 2),
            font,
        ))
        .map_err(render_err)?;
        if self.any_missing {
            let (x0, _) = chart.backend_coord(&(0.0, blo));
            let y = y_bottom + style.px(40.0) as i32;
            let side = style.px(22.0) as i32;
            root.draw(&Rectangle::new(
                [(x0, y), (x0 + side, y + side)],
                MISSING.filled(),
            ))
            .map_err(render_err)?;
            let font = text_style(style, 18.0).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(
                self.map.missing_label.to_string(),
                (x0 + side + gap, y + side / 2),
                font,
            ))
            .map_err(render_err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_and_ticks_are_round() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(254, 232, 37));
        assert_eq!(viridis(f64::NAN), RGBColor(68, 1, 84));
        assert_eq!(
            nice_ticks(2031.0, 2064.0, 6),
            vec![2035.0, 2040.0, 2045.0, 2050.0, 2055.0, 2060.0]
        );
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(t.len(), 6);
        assert!((t[3] - 0.6).abs() < 1e-12);
    }

    #[test]
    fn draws_deterministically_and_rejects_bad_grids() {
        let dir = tempfile::tempdir().unwrap();
        let x = ["0.1".to_string(), "0.2".to_string()];
        let y = ["a".to_string()];
        let values = vec![vec![Some(2040.0), None]];
        let text = vec![vec!["2040".to_string(), String::new()]];
        let map = HeatMap {
            x_labels: &x,
            y_labels: &y,
            values: &values,
            annotations: Some(&text),
            colour_label: "exhaustion_year (year)",
            missing_label: "not exhausted by 2064",
        };
        let style = FigureStyle::new("t").labels("rate (share)", "");
        let (p, q) = (dir.path().join("a.svg"), dir.path().join("b.svg"));
        heat_map(&p, &style, &map).unwrap();
        heat_map(&q, &style, &map).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), std::fs::read(&q).unwrap());
        heat_map(dir.path().join("a.png"), &style, &map).unwrap();
        let ragged = vec![vec![Some(1.0)], vec![Some(1.0), Some(2.0)]];
        let bad = HeatMap {
            values: &ragged,
            ..map.clone()
        };
        assert!(matches!(
            heat_map(&p, &style, &bad),
            Err(PlotError::InvalidArgument(_))
        ));
        let empty: Vec<Vec<Option<f64>>> = Vec::new();
        let none = HeatMap {
            values: &empty,
            ..map
        };
        assert!(matches!(
            heat_map(&p, &style, &none),
            Err(PlotError::EmptyInput(_))
        ));
    }
}
