//! Layout shared by all figures: caption, label areas, grid, fonts and legend, so every figure
//! of a paper has the same look.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::error::{render_err, PlotError};
use super::font::FONT_FAMILY;
use super::style::FigureStyle;

/// Colour of axis text and frames: near-black reads softer than pure black in print.
pub(crate) const INK: RGBColor = RGBColor(0x26, 0x26, 0x26);
/// Colour of grid lines: visible but behind the data.
const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);

/// The embedded font at `design_px` (scaled to the figure) in `INK`.
pub(crate) fn text_style(style: &FigureStyle, design_px: f64) -> TextStyle<'static> {
    (FONT_FAMILY, f64::from(style.px(design_px)))
        .into_font()
        .color(&INK)
}

/// Axis range `[lo, hi]` widened by `frac` of its span on each side so that data never touch
/// the frame; a zero-width range is widened by 0.5 (or 5 % of the value) to stay drawable.
pub(crate) fn padded(lo: f64, hi: f64, frac: f64) -> std::ops::Range<f64> {
    let span = hi - lo;
    if span > 0.0 {
        (lo - frac * span)..(hi + frac * span)
    } else {
        let w = (lo.abs() * 0.05).max(0.5);
        (lo - w)..(hi + w)
    }
}

/// A chart over the coordinate types that `X` and `Y` ranges turn into.
pub(crate) type Chart<'a, DB, X, Y> = ChartContext<
    'a,
    DB,
    Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>,
>;

/// Chart with the figure's caption and label areas over ranges `x` × `y`.
pub(crate) fn build_chart<'a, DB, X, Y>(
    root: &'a DrawingArea<DB, Shift>,
    style: &FigureStyle,
    x: X,
    y: Y,
) -> Result<Chart<'a, DB, X, Y>, PlotError>
where
    DB: DrawingBackend,
    X: AsRangedCoord,
    Y: AsRangedCoord,
{
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(style.px(24.0))
        .x_label_area_size(style.px(80.0))
        .y_label_area_size(style.px(100.0));
    if !style.title.is_empty() {
        builder.caption(&style.title, text_style(style, 38.0));
    }
    builder.build_cartesian_2d(x, y).map_err(render_err)
}

/// Tick text for numeric axes: six significant digits with trailing zeros trimmed, so month
/// 20 reads "20" (not "20.0") and 0.1 + 0.2 reads "0.3".
pub(crate) fn tick_label(v: &f64) -> String {
    if *v == 0.0 || !v.is_finite() {
        return if v.is_finite() {
            "0".into()
        } else {
            v.to_string()
        };
    }
    let magnitude = v.abs().log10().floor() as i32;
    if magnitude >= 7 {
        // Money totals in yuan reach 10^7..10^11: eight or more digits would run into the axis
        // title, so large ticks are written as mantissa and power of ten ("2.5e7").
        let mut exp = magnitude;
        let mut m = (v / 10f64.powi(exp) * 100.0).round() / 100.0;
        if m.abs() >= 10.0 {
            m /= 10.0;
            exp += 1;
        }
        let ms = format!("{m:.2}");
        let ms = ms.trim_end_matches('0').trim_end_matches('.');
        return format!("{ms}e{exp}");
    }
    let decimals = (5 - magnitude).clamp(0, 12) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Look shared by every mesh: light horizontal/vertical grid, scaled fonts, axis titles.
fn style_mesh<X, Y, DB>(mesh: &mut MeshStyle<'_, '_, X, Y, DB>, style: &FigureStyle)
where
    DB: DrawingBackend,
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
{
    mesh.x_desc(style.x_label.as_str())
        .y_desc(style.y_label.as_str())
        .label_style(text_style(style, 22.0))
        .axis_desc_style(text_style(style, 26.0))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(INK.stroke_width(style.px(1.5)))
        .x_labels(8)
        .y_labels(8);
}

/// Grid, ticks and axis titles of a chart with numeric x and y axes.
pub(crate) fn draw_mesh<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    style: &FigureStyle,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh, style);
    mesh.x_label_formatter(&tick_label)
        .y_label_formatter(&tick_label);
    mesh.draw().map_err(render_err)
}

/// Like [`draw_mesh`] for a categorical x axis that labels its own ticks; without vertical grid
/// lines, which would run through the boxes of a box plot.
pub(crate) fn draw_mesh_categorical<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    style: &FigureStyle,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut mesh = chart.configure_mesh();
    style_mesh(&mut mesh, style);
    mesh.disable_x_mesh().y_label_formatter(&tick_label);
    mesh.draw().map_err(render_err)
}

/// Legend in the given corner, on a translucent white box so it never hides data completely.
pub(crate) fn draw_legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    style: &FigureStyle,
    position: SeriesLabelPosition,
) -> Result<(), PlotError>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .margin(style.px(16.0))
        .legend_area_size(style.px(36.0))
        .label_font(text_style(style, 22.0))
        .background_style(WHITE.mix(0.85))
        .border_style(INK.mix(0.4))
        .draw()
        .map_err(render_err)
}

/// Point-label text anchored at its vertical centre and at the given horizontal side.
pub(crate) fn label_style(style: &FigureStyle, side: HPos) -> TextStyle<'static> {
    text_style(style, 20.0).pos(Pos::new(side, VPos::Center))
}

#[cfg(test)]
mod tests {
    use super::tick_label;

    #[test]
    fn tick_labels_are_short() {
        let cases = [
            (20.0, "20"),
            (0.1 + 0.2, "0.3"),
            (0.0, "0"),
            (-0.0, "0"),
            (-2.5, "-2.5"),
            (1_500_000.0, "1500000"),
            (0.000_012_5, "0.0000125"),
            (2030.0, "2030"),
            (9_999_999.0, "9999999"),
            (50_000_000.0, "5e7"),
            (-125_000_000.0, "-1.25e8"),
            (99_960_000.0, "1e8"),
        ];
        for (v, want) in cases {
            assert_eq!(tick_label(&v), want, "{v}");
        }
    }
}
