//! The window. Rooms by role, lower ones never importing higher ones:
//! `model` (the table's view-model, no egui), `i18n`, `messages`, `widgets`, `fonts`, `job` and
//! `command` at the bottom; `views` and `dialogs`, which draw and push commands; `app` on
//! top, which runs the commands against the core.

mod app;
pub mod command;
pub mod dialogs;
pub mod fonts;
pub mod i18n;
pub mod job;
pub mod messages;
pub mod model;
pub mod views;
mod widgets;

use std::path::PathBuf;

pub use app::{CatalogueApp, Settings};
pub use command::{Command, Mode};

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
