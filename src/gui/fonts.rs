//! Noto Sans, bundled, installed first: egui's built-in font lacks most Vietnamese
//! letters (ủ ụ ấ ỉ ệ would show as boxes).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

const NOTO_SANS: &[u8] = include_bytes!("../../assets/NotoSans-Regular.ttf");
const NOTO_SANS_BOLD: &[u8] = include_bytes!("../../assets/NotoSans-Bold.ttf");

/// The name under which the bold face is registered, for `FontFamily::Name`.
pub const BOLD: &str = "noto-sans-bold";

/// Font definitions with Noto Sans first for proportional text and as the first
/// fallback of monospace text.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "noto-sans".into(),
        Arc::new(FontData::from_static(NOTO_SANS)),
    );
    fonts
        .font_data
        .insert(BOLD.into(), Arc::new(FontData::from_static(NOTO_SANS_BOLD)));
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, "noto-sans".into());
    // Hack (egui's monospace font) has the arrows and shapes Noto Sans lacks: ▲ ▼ ● →.
    if fonts.font_data.contains_key("Hack") {
        fonts
            .families
            .entry(FontFamily::Proportional)
            .or_default()
            .push("Hack".into());
    }
    fonts
        .families
        .entry(FontFamily::Monospace)
        .or_default()
        .insert(1, "noto-sans".into());
    fonts.families.insert(
        FontFamily::Name(BOLD.into()),
        vec![BOLD.into(), "noto-sans".into()],
    );
    fonts
}

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
