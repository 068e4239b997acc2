//! Figures for papers: publication-ready PNG or SVG charts from plain data.
//!
//! Every figure function takes an output path, a [`FigureStyle`] and plain slices, and returns
//! `Result<(), PlotError>`:
//!
//! - [`histogram`]: overlaid histograms on shared bins;
//! - [`ecdf`]: overlaid empirical CDFs;
//! - [`percentile_bands`]: median lines with quantile bands across replications;
//! - [`box_plot`]: Tukey box plots by group, several series side by side;
//! - [`morris_scatter`]: Morris μ*/σ screening plot;
//! - [`heat_map`]: a grid of cells coloured by value, with a colour bar.
//!
//! Conventions, the same for all figures:
//! - the format follows the path's extension, `.png` or `.svg`; anything else is
//!   [`PlotError::UnsupportedFormat`];
//! - files are written atomically (temporary `NAME.tmp.EXT` beside the target, then rename);
//! - non-finite values (NaN, ±∞) are skipped; a series with nothing left, or no series at all,
//!   is [`PlotError::EmptyInput`]; nothing here panics on bad data;
//! - text uses the embedded font [`FONT_FAMILY`], so Chinese renders without system fonts;
//! - a series' colour depends only on its name ([`Palette`]);
//! - output is deterministic: the same input gives a byte-identical SVG.
//!
//! ```
//! use sisandbox::plot::{histogram, FigureStyle, HistogramScale, Palette, Sample};
//!
//! let dir = tempfile::tempdir()?;
//! let style = FigureStyle::new("替代率分布 Replacement rate")
//!     .labels("替代率 replacement rate", "占比 share")
//!     .palette(Palette::pinned(["baseline", "reform"]));
//! let (base, reform) = ([0.55, 0.61, 0.58, f64::NAN], [0.50, 0.57, 0.52]);
//! let samples = [Sample::new("baseline", &base), Sample::new("reform", &reform)];
//! histogram(dir.path().join("rr.svg"), &style, &samples, 20, HistogramScale::Share)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The statistics behind the figures are public in [`stats`] so that numbers quoted in a text
//! match the figure exactly.

mod chart;
mod data;
mod error;
mod figures;
mod font;
mod output;
pub mod stats;
mod style;

pub use data::{BandSeries, BoxSeries, MorrisPoint, Sample};
pub use error::PlotError;
pub use figures::bands::percentile_bands;
pub use figures::boxplot::box_plot;
pub use figures::ecdf::ecdf;
pub use figures::fan::{fan_chart, Curves, Fan};
pub use figures::heatmap::{heat_map, viridis, HeatMap};
pub use figures::histogram::{histogram, HistogramScale};
pub use figures::morris::morris_scatter;
pub use font::FONT_FAMILY;
pub use output::{format_of, Format};
pub use stats::{
    bin_counts, box_stats, ecdf_points, finite_sorted, histogram_edges, percentile_band, quantile,
    quantile_sorted, BandPoint, BoxStats,
};
pub use style::{FigureStyle, Palette, PALETTE};
