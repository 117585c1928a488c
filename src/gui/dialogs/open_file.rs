//! File → Open… and File → New catalogue…: a catalogue file chosen with the native dialog
//! or typed, since a desktop may have no file-dialog portal; recent files one click away.

use std::path::{Path, PathBuf};

use crate::gui::command::{Command, Dialog};
use crate::gui::i18n::{Lang, tr};
use crate::gui::widgets::{dialog_buttons, path_field};

/// Whether the dialog opens an existing catalogue or creates an empty one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    Open,
    Create,
}

pub struct OpenDialog {
    pub purpose: FilePurpose,
    pub path: String,
    pub error: Option<String>,
}

impl OpenDialog {
    pub fn new(current: &Path) -> OpenDialog {
        OpenDialog {
            purpose: FilePurpose::Open,
            path: current.display().to_string(),
            error: None,
        }
    }

    /// A new catalogue beside the current one, under a name that is not taken.
    pub fn create(current: &Path) -> OpenDialog {
        let folder = current.parent().unwrap_or(Path::new(""));
        let mut path = folder.join("danh-muc-moi.sqlite");
        let mut n = 2;
        while path.exists() {
            path = folder.join(format!("danh-muc-moi-{n}.sqlite"));
            n += 1;
        }
        OpenDialog {
            purpose: FilePurpose::Create,
            path: path.display().to_string(),
            error: None,
        }
    }

    fn command(&self) -> Command {
        let path = PathBuf::from(self.path.trim());
        match self.purpose {
            FilePurpose::Open => Command::Open(path),
            FilePurpose::Create => Command::CreateCatalogue(path),
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
            let creating = self.purpose == FilePurpose::Create;
            ui.heading(if creating {
                tr(lang, "Danh mục mới", "New catalogue")
            } else {
                tr(lang, "Mở danh mục", "Open a catalogue")
            });
            if creating {
                ui.label(tr(
                    lang,
                    "Tạo một tệp danh mục trống, rồi nhập danh sách thủ tục vào (Tệp → Nhập danh sách…).",
                    "Creates an empty catalogue file; then import procedure lists into it (File → Import a list…).",
                ));
            }
            let entered = path_field(
                ui,
                lang,
                tr(lang, "Đường dẫn tệp .sqlite", "Path of the .sqlite file"),
                &mut self.path,
                "open_path",
                &mut self.error,
                || {
                    let dialog =
                        rfd::FileDialog::new().add_filter("SQLite", &["sqlite", "sqlite3", "db"]);
                    if creating {
                        dialog.set_file_name("danh-muc-moi.sqlite").save_file()
                    } else {
                        dialog.pick_file()
                    }
                },
            );
            if entered {
                action = Some(self.command());
            }
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if !recent.is_empty() && !creating {
                ui.separator();
                ui.label(tr(lang, "Mở gần đây", "Recent"));
                for path in recent {
                    if ui.link(path.display().to_string()).clicked() {
                        action = Some(Command::Open(path.clone()));
                    }
                }
            }
            ui.separator();
            let confirm = if creating {
                tr(lang, "Tạo", "Create")
            } else {
                tr(lang, "Mở", "Open")
            };
            match dialog_buttons(ui, &[(confirm, true), (tr(lang, "Hủy", "Cancel"), true)]) {
                Some(0) => action = Some(self.command()),
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
