//! The embedded font.
//!
//! Plotters' default text rendering needs the system's fontconfig, which servers and CI
//! containers often lack; with the `ab_glyph` feature it draws with a font registered from
//! bytes instead. Embedding WenQuanYi Micro Hei (Apache-2.0, see `assets/fonts/README.md`) makes
//! Chinese and Latin text render identically on every machine.

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use super::error::PlotError;

/// The family name every figure uses. It is also written verbatim into SVG `font-family`
/// attributes, hence the CSS fallback list: viewers without WenQuanYi Micro Hei use their own
/// sans-serif font instead of a serif default.
pub const FONT_FAMILY: &str = "WenQuanYi Micro Hei, sans-serif";

/// A TrueType collection; plotters (via ab_glyph) parses its first face, the proportional one.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// Registers the embedded font with plotters (once per process; later calls are free).
pub(crate) fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        // "sans-serif" too, so any plotters default style that names it also finds a font.
        [FONT_FAMILY, "sans-serif"]
            .iter()
            .all(|name| register_font(name, FontStyle::Normal, FONT_BYTES).is_ok())
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Render(
            "the embedded font could not be parsed".into(),
        ))
    }
}
