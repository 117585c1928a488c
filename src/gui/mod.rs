//! The window. It draws and sends commands; the work is done by the core.

mod app;
pub mod fonts;

use std::path::PathBuf;

pub use app::CatalogueApp;

/// Opens the window on a catalogue file.
pub fn run(path: PathBuf) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Bộ thủ tục hành chính — procedure-catalogue")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "procedure-catalogue",
        options,
        Box::new(move |cc| Ok(Box::new(CatalogueApp::new(&cc.egui_ctx, path)))),
    )
    .map_err(|error| format!("cannot open the window: {error}"))
}
