//! The dialogs over the window: open, import, export, retire, "save changes?" and About.

use super::CatalogueApp;
use crate::gui::command::{Command, Dialog, shortcut_rows};
use crate::gui::dialogs::conflict::ConflictDialog;
use crate::gui::dialogs::export_file::ExportDialog;
use crate::gui::dialogs::import_list::{ImportDialog, ImportWork};
use crate::gui::dialogs::open_file::OpenDialog;
use crate::gui::dialogs::retire::RetireDialog;
use crate::gui::i18n::tr;
use crate::gui::job::Job;
use crate::gui::views::procedure_form::ProcedureForm;
use crate::gui::widgets::dialog_buttons;

/// The dialogs that may be open; at most one at a time in practice.
#[derive(Default)]
pub struct Dialogs {
    pub open: Option<OpenDialog>,
    pub retire: Option<RetireDialog>,
    pub import: Option<ImportDialog>,
    pub export: Option<ExportDialog>,
    pub conflict: Option<ConflictDialog>,
    pub about: bool,
}

impl Dialogs {
    /// A dialog has the keyboard: the window's shortcuts wait.
    pub fn any_open(&self) -> bool {
        self.open.is_some()
            || self.retire.is_some()
            || self.import.is_some()
            || self.export.is_some()
            || self.conflict.is_some()
            || self.about
    }
}

impl CatalogueApp {
    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang();
        let queue = &mut self.queue;
        if let Some(dialog) = &mut self.dialogs.open {
            dialog.ui(ctx, lang, &self.settings.recent, queue);
        }
        if let Some(dialog) = &mut self.dialogs.import {
            let work = ImportWork {
                planning: self.jobs.import_plan.as_ref().map(Job::progress),
                writing: self.jobs.import_write.as_ref().map(Job::progress),
            };
            dialog.ui(ctx, lang, work, queue);
        }
        if let Some(dialog) = &mut self.dialogs.export {
            dialog.ui(ctx, lang, self.jobs.export.is_some(), queue);
        }
        if let Some(dialog) = &mut self.dialogs.retire {
            dialog.ui(ctx, lang, queue);
        }
        if let Some(dialog) = &mut self.dialogs.conflict {
            dialog.ui(ctx, lang, queue);
        }
        if self.pending.is_some() {
            self.unsaved_changes_ui(ctx);
        }
        if self.dialogs.about {
            let rows = shortcut_rows(ctx, lang);
            egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
                ui.heading("procedure-catalogue");
                ui.label(tr(
                    lang,
                    "Rà soát, đơn giản hóa Bộ thủ tục hành chính của tỉnh",
                    "Review and simplify a province's catalogue of administrative procedures",
                ));
                ui.separator();
                egui::Grid::new("shortcuts").show(ui, |ui| {
                    for (keys, what) in rows {
                        ui.monospace(keys);
                        ui.label(what);
                        ui.end_row();
                    }
                });
                if dialog_buttons(ui, &[(tr(lang, "Đóng", "Close"), true)]).is_some() {
                    self.queue.push(Command::CloseDialog(Dialog::About));
                }
            });
        }
    }

    /// "Save changes?" before a command that would drop the form's unsaved changes.
    fn unsaved_changes_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang();
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
            ui.heading(tr(lang, "Lưu thay đổi?", "Save changes?"));
            ui.label(tr(
                lang,
                "Thủ tục đang sửa có thay đổi chưa lưu",
                "The procedure being edited has unsaved changes",
            ));
            choice = dialog_buttons(
                ui,
                &[
                    (tr(lang, "Lưu", "Save"), true),
                    (tr(lang, "Không lưu", "Don't save"), true),
                    (tr(lang, "Hủy", "Cancel"), true),
                ],
            );
        });
        let Some(choice) = choice else {
            return;
        };
        let Some(command) = self.pending.take() else {
            return;
        };
        match choice {
            0 => {
                self.save();
                // After a failed save the changes are still there: keep them, do not go on.
                if !self.form.as_ref().is_some_and(ProcedureForm::is_dirty) {
                    self.form = None;
                    self.run_command(command);
                }
            }
            1 => {
                self.form = None;
                self.run_command(command);
            }
            _ => {}
        }
    }
}
