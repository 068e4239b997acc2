//! Figure options and the fixed colour palette.
//!
//! Colours are a function of the *series name*, not of its position in one call, so "reform" is
//! the same orange in the histogram, the ECDF and the band chart of a paper without the caller
//! having to keep orders in sync.

use plotters::style::RGBColor;

use super::error::PlotError;

/// Tableau 10: distinguishable in print and for the common colour-vision deficiencies.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4E, 0x79, 0xA7), // blue
    RGBColor(0xF2, 0x8E, 0x2B), // orange
    RGBColor(0xE1, 0x57, 0x59), // red
    RGBColor(0x76, 0xB7, 0xB2), // teal
    RGBColor(0x59, 0xA1, 0x4F), // green
    RGBColor(0xED, 0xC9, 0x48), // yellow
    RGBColor(0xB0, 0x7A, 0xA1), // purple
    RGBColor(0xFF, 0x9D, 0xA7), // pink
    RGBColor(0x9C, 0x75, 0x5F), // brown
    RGBColor(0xBA, 0xB0, 0xAC), // grey
];

/// Maps series names to colours of [`PALETTE`], identically in every figure.
///
/// Names listed with [`Palette::pinned`] take palette slots in that order (so up to ten pinned
/// names are guaranteed distinct colours); any other name gets the slot of a stable hash
/// (FNV-1a) of its UTF-8 bytes. Two unpinned names can share a colour, so pin the names of a
/// paper's scenarios when their colours must differ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    pinned: Vec<String>,
}

impl Palette {
    /// A palette whose listed names take slots 0, 1, 2, ... (wrapping after ten).
    pub fn pinned<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Palette {
            pinned: names.into_iter().map(Into::into).collect(),
        }
    }

    /// The colour of series `name`.
    pub fn color_of(&self, name: &str) -> RGBColor {
        let slot = match self.pinned.iter().position(|p| p == name) {
            Some(i) => i,
            None => (fnv1a(name.as_bytes()) % PALETTE.len() as u64) as usize,
        };
        PALETTE[slot % PALETTE.len()]
    }
}

/// FNV-1a, 64 bit: tiny, and unlike `std`'s hasher guaranteed stable across Rust versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Title, axis labels, size and palette of one figure. Text may be Chinese: it is drawn with
/// the embedded font (see [`super::FONT_FAMILY`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureStyle {
    /// Caption above the plot.
    pub title: String,
    /// Label under the x axis.
    pub x_label: String,
    /// Label beside the y axis.
    pub y_label: String,
    /// Width in pixels (PNG) or SVG user units.
    pub width: u32,
    /// Height in pixels (PNG) or SVG user units.
    pub height: u32,
    /// Series-name-to-colour mapping.
    pub palette: Palette,
}

impl Default for FigureStyle {
    fn default() -> Self {
        FigureStyle {
            title: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            width: 1200,
            height: 800,
            palette: Palette::default(),
        }
    }
}

/// Below this the text no longer fits; above it a PNG buffer gets unreasonably large.
const MIN_SIDE: u32 = 200;
const MAX_SIDE: u32 = 10_000;

impl FigureStyle {
    /// Default 1200 × 800 figure with this title.
    pub fn new(title: impl Into<String>) -> Self {
        FigureStyle {
            title: title.into(),
            ..Self::default()
        }
    }

    /// Sets both axis labels.
    pub fn labels(mut self, x_label: impl Into<String>, y_label: impl Into<String>) -> Self {
        self.x_label = x_label.into();
        self.y_label = y_label.into();
        self
    }

    /// Sets the size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Sets the palette.
    pub fn palette(mut self, palette: Palette) -> Self {
        self.palette = palette;
        self
    }

    /// Rejects sizes that cannot give a readable figure, before any file is touched.
    pub(crate) fn validate(&self) -> Result<(), PlotError> {
        let ok = |s: u32| (MIN_SIDE..=MAX_SIDE).contains(&s);
        if ok(self.width) && ok(self.height) {
            Ok(())
        } else {
            Err(PlotError::InvalidArgument(format!(
                "figure size {}x{} outside {MIN_SIDE}..={MAX_SIDE} pixels per side",
                self.width, self.height
            )))
        }
    }

    /// Scale of fonts and strokes relative to the 1200 × 800 design size, so smaller or larger
    /// figures keep their proportions.
    pub(crate) fn scale(&self) -> f64 {
        (f64::from(self.height) / 800.0).min(f64::from(self.width) / 1200.0)
    }

    /// A length in pixels at the design size, scaled to this figure (at least 1).
    pub(crate) fn px(&self, design_px: f64) -> u32 {
        (design_px * self.scale()).round().max(1.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_depend_on_name_only() {
        let a = Palette::default();
        let b = Palette::pinned(["other"]);
        assert_eq!(a.color_of("baseline"), b.color_of("baseline"));
        assert_eq!(a.color_of("reform"), a.color_of("reform"));
    }

    #[test]
    fn pinned_names_take_slots_in_order() {
        let p = Palette::pinned(["baseline", "reform"]);
        assert_eq!(p.color_of("baseline"), PALETTE[0]);
        assert_eq!(p.color_of("reform"), PALETTE[1]);
    }

    #[test]
    fn fnv1a_known_value() {
        // Reference value of FNV-1a 64 for "a".
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn size_is_validated() {
        assert!(FigureStyle::default().validate().is_ok());
        assert!(FigureStyle::default().size(0, 800).validate().is_err());
        assert!(FigureStyle::default()
            .size(1200, 20_000)
            .validate()
            .is_err());
        assert_eq!(FigureStyle::default().px(10.0), 10);
        assert_eq!(FigureStyle::default().size(600, 400).px(10.0), 5);
    }
}
