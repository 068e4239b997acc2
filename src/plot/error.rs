//! The single error type of the `plot` module.
//!
//! Plotters' own errors are generic over the drawing backend, so they are flattened to text
//! ([`PlotError::Render`]); callers of a figure function only need to know that rendering
//! failed and why, not which backend type produced the failure.

use std::path::PathBuf;

/// Everything that can go wrong when computing or rendering a figure.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The output path has no extension or one other than `.png` / `.svg`.
    #[error("unsupported figure format for {path:?}: the file name must end in .png or .svg")]
    UnsupportedFormat {
        /// The path that was asked for.
        path: PathBuf,
    },
    /// There is nothing to plot: no series, or a series without a single finite value.
    #[error("empty input: {0}")]
    EmptyInput(String),
    /// An argument is out of its domain (quantile outside [0, 1], zero bins, ragged matrix...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Plotters failed while drawing or encoding the figure.
    #[error("rendering failed: {0}")]
    Render(String),
    /// Writing or renaming the output file failed.
    #[error("i/o error writing figure: {0}")]
    Io(#[from] std::io::Error),
}

/// Flattens any plotters error (generic over the backend) into [`PlotError::Render`].
pub(crate) fn render_err<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::Render(e.to_string())
}

impl PlotError {
    /// The same error with `prefix: ` before its message, keeping the variant, so that a
    /// failure deep in a statistic names the series it came from.
    pub(crate) fn within(self, prefix: &str) -> Self {
        match self {
            PlotError::EmptyInput(m) => PlotError::EmptyInput(format!("{prefix}: {m}")),
            PlotError::InvalidArgument(m) => PlotError::InvalidArgument(format!("{prefix}: {m}")),
            other => other,
        }
    }
}
