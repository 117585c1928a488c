//! Small modal dialogs: opening a catalogue (native dialog or a typed path, since a
//! desktop may have no file-dialog portal) and retiring a procedure.

use std::path::{Path, PathBuf};

use super::i18n::{Lang, tr};
use super::widgets::{labelled_text_row, path_field};

pub enum OpenDialogAction {
    Open(PathBuf),
    Cancel,
}

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
    ) -> Option<OpenDialogAction> {
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
                action = Some(OpenDialogAction::Open(PathBuf::from(self.path.trim())));
            }
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if !recent.is_empty() {
                ui.separator();
                ui.label(tr(lang, "Mở gần đây", "Recent"));
                for path in recent {
                    if ui.link(path.display().to_string()).clicked() {
                        action = Some(OpenDialogAction::Open(path.clone()));
                    }
                }
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(tr(lang, "Mở", "Open")).clicked() {
                    action = Some(OpenDialogAction::Open(PathBuf::from(self.path.trim())));
                }
                if ui.button(tr(lang, "Hủy", "Cancel")).clicked() {
                    action = Some(OpenDialogAction::Cancel);
                }
            });
        });
        if modal.should_close() && action.is_none() {
            action = Some(OpenDialogAction::Cancel);
        }
        action
    }
}

pub enum RetireDialogAction {
    Retire {
        reason: String,
        decision_number: String,
    },
    Cancel,
}

/// Retiring takes a procedure out of the working copy, with a reason and the decision
/// that abolished it; nothing is deleted.
#[derive(Default)]
pub struct RetireDialog {
    pub reason: String,
    pub decision_number: String,
}

impl RetireDialog {
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> Option<RetireDialogAction> {
        let mut action = None;
        let modal = egui::Modal::new(egui::Id::unique("retire_dialog")).show(ctx, |ui| {
            ui.heading(tr(
                lang,
                "Bãi bỏ khỏi danh mục",
                "Retire from the catalogue",
            ));
            ui.label(tr(
                lang,
                "Thủ tục rời danh mục đang làm việc nhưng vẫn còn trong lịch sử",
                "The procedure leaves the working copy but stays in history",
            ));
            egui::Grid::new("retire_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    labelled_text_row(
                        ui,
                        tr(lang, "Lý do", "Reason"),
                        &mut self.reason,
                        "",
                        "retire_reason",
                    );
                    labelled_text_row(
                        ui,
                        tr(lang, "Số quyết định", "Decision number"),
                        &mut self.decision_number,
                        "1234/QĐ-UBND",
                        "retire_decision",
                    );
                });
            let ready = !self.reason.trim().is_empty();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(tr(lang, "Bãi bỏ", "Retire")))
                    .clicked()
                {
                    action = Some(RetireDialogAction::Retire {
                        reason: self.reason.trim().to_owned(),
                        decision_number: self.decision_number.trim().to_owned(),
                    });
                }
                if ui.button(tr(lang, "Hủy", "Cancel")).clicked() {
                    action = Some(RetireDialogAction::Cancel);
                }
            });
            if !ready {
                ui.label(tr(lang, "Ghi lý do để bãi bỏ", "Give a reason to retire"));
            }
        });
        if modal.should_close() && action.is_none() {
            action = Some(RetireDialogAction::Cancel);
        }
        action
    }
}
