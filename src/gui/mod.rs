//! The window. Panels draw and return actions; `app` turns them into commands on the core.

mod app;
pub mod audit;
mod dialogs;
pub mod export_dialog;
mod filters;
pub mod fonts;
pub mod form;
pub mod i18n;
pub mod import_dialog;
mod job;
mod loader;
pub mod revisions;
mod table;
pub mod view;
mod widgets;

use std::path::PathBuf;

pub use app::{CatalogueApp, Command, Mode, Settings};

/// Opens the window on a catalogue file.
pub fn run(path: PathBuf) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Bộ thủ tục hành chính — procedure-catalogue")
            .with_inner_size([1366.0, 820.0])
            .with_min_inner_size([900.0, 520.0]),
        ..Default::default()
    };
    eframe::run_native(
        "procedure-catalogue",
        options,
        Box::new(move |cc| Ok(Box::new(CatalogueApp::new(cc, path)))),
    )
    .map_err(|error| format!("cannot open the window: {error}"))
}
