//! Output format choice and atomic file writing.
//!
//! A figure is first rendered to a temporary file beside the target and then renamed over it,
//! so a reader (a LaTeX build, a file watcher) sees either the old figure or the complete new
//! one, never a half-written file, and a failed render leaves no debris behind.

use std::fs;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::WHITE;

use super::error::{render_err, PlotError};
use super::font::ensure_font;
use super::style::FigureStyle;

/// File formats a figure can be written in, chosen by the output path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Raster image (`.png`), for slides and quick looks.
    Png,
    /// Vector image (`.svg`), for print.
    Svg,
}

/// The format implied by `path`'s extension (case-insensitive `.png` or `.svg`).
pub fn format_of(path: &Path) -> Result<Format, PlotError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        _ => Err(PlotError::UnsupportedFormat {
            path: path.to_path_buf(),
        }),
    }
}

/// Something that can draw itself on any plotters backend (one implementation per figure kind).
pub(crate) trait Figure {
    /// Draws the whole figure on `root`, which is already filled white.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &FigureStyle,
    ) -> Result<(), PlotError>;
}

/// Temporary path beside `target`: `NAME.tmp.EXT`. The format extension must come last
/// because plotters' PNG encoder chooses the format from it.
fn temp_path(target: &Path, format: Format) -> PathBuf {
    let ext = match format {
        Format::Png => "png",
        Format::Svg => "svg",
    };
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp.{ext}"));
    target.with_file_name(name)
}

/// Renders `figure` to `path` atomically in the format given by the path's extension.
pub(crate) fn render<F: Figure>(
    path: &Path,
    style: &FigureStyle,
    figure: &F,
) -> Result<(), PlotError> {
    let format = format_of(path)?;
    style.validate()?;
    ensure_font()?;
    let tmp = temp_path(path, format);
    let result = match format {
        Format::Png => render_png(&tmp, style, figure),
        Format::Svg => render_svg(&tmp, style, figure),
    }
    .and_then(|()| fs::rename(&tmp, path).map_err(PlotError::from));
    if result.is_err() {
        // Best effort: the temporary may not exist if rendering failed before encoding.
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn render_png<F: Figure>(tmp: &Path, style: &FigureStyle, figure: &F) -> Result<(), PlotError> {
    let root = BitMapBackend::new(tmp, (style.width, style.height)).into_drawing_area();
    root.fill(&WHITE).map_err(render_err)?;
    figure.draw(&root, style)?;
    root.present().map_err(render_err)
}

fn render_svg<F: Figure>(tmp: &Path, style: &FigureStyle, figure: &F) -> Result<(), PlotError> {
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        root.fill(&WHITE).map_err(render_err)?;
        figure.draw(&root, style)?;
        root.present().map_err(render_err)?;
    }
    fs::write(tmp, svg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(format_of(Path::new("a/b.png")).unwrap(), Format::Png);
        assert_eq!(format_of(Path::new("b.SVG")).unwrap(), Format::Svg);
        for bad in ["b.pdf", "b", "b.png.bak", ".png"] {
            assert!(
                matches!(
                    format_of(Path::new(bad)),
                    Err(PlotError::UnsupportedFormat { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn temp_path_keeps_format_extension_last() {
        let t = temp_path(Path::new("out/fig.png"), Format::Png);
        assert_eq!(t, Path::new("out/fig.png.tmp.png"));
        let t = temp_path(Path::new("fig.svg"), Format::Svg);
        assert_eq!(t, Path::new("fig.svg.tmp.svg"));
    }
}
