//! Registers the CJK font the core ships for its figures with egui, so Chinese text renders in
//! every widget without system fonts. The same file is used: no second copy in gui/.

use std::sync::Arc;

/// WenQuanYi Micro Hei (Apache-2.0), the font of `sisandbox::plot`.
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

const NAME: &str = "wqy-microhei";

/// egui's default fonts, with the CJK font as the fallback of both families.
pub fn definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts
        .font_data
        .insert(NAME.into(), Arc::new(egui::FontData::from_static(CJK_FONT)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push(NAME.into());
    }
    fonts
}

/// Installs [`definitions`] in a context.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
