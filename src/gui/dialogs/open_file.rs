//! File → Open…: a catalogue chosen with the native dialog or typed, since a desktop may
//! have no file-dialog portal; recent files one click away.

use std::path::{Path, PathBuf};

use crate::gui::command::{Command, Dialog};
use crate::gui::i18n::{Lang, tr};
use crate::gui::widgets::{dialog_buttons, path_field};

pub struct OpenDialog {
    pub path: String,
    pub error: Option<String>,
}

impl OpenDialog {
    pub fn new(current: &Path) -> OpenDialog {
        OpenDialog {
            path: current.display().to_string(),
            error: None,
        }
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        recent: &[PathBuf],
        commands: &mut Vec<Command>,
    ) {
        let mut action = None;
        let modal = egui::Modal::new(egui::Id::unique("open_dialog")).show(ctx, |ui| {
            ui.heading(tr(lang, "Mở danh mục", "Open a catalogue"));
            let entered = path_field(
                ui,
                lang,
                tr(lang, "Đường dẫn tệp .sqlite", "Path of the .sqlite file"),
                &mut self.path,
                "open_path",
                &mut self.error,
                || {
                    rfd::FileDialog::new()
                        .add_filter("SQLite", &["sqlite", "sqlite3", "db"])
                        .pick_file()
                },
            );
            if entered {
                action = Some(Command::Open(PathBuf::from(self.path.trim())));
            }
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if !recent.is_empty() {
                ui.separator();
                ui.label(tr(lang, "Mở gần đây", "Recent"));
                for path in recent {
                    if ui.link(path.display().to_string()).clicked() {
                        action = Some(Command::Open(path.clone()));
                    }
                }
            }
            ui.separator();
            match dialog_buttons(
                ui,
                &[
                    (tr(lang, "Mở", "Open"), true),
                    (tr(lang, "Hủy", "Cancel"), true),
                ],
            ) {
                Some(0) => action = Some(Command::Open(PathBuf::from(self.path.trim()))),
                Some(_) => action = Some(Command::CloseDialog(Dialog::Open)),
                None => {}
            }
        });
        if modal.should_close() && action.is_none() {
            action = Some(Command::CloseDialog(Dialog::Open));
        }
        commands.extend(action);
    }
}
