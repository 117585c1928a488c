//! Edit → Retire…: a procedure leaves the working copy with a reason and the decision that
//! abolished it; nothing is deleted.

use crate::gui::command::{Command, Dialog};
use crate::gui::i18n::{Lang, tr};
use crate::gui::widgets::{dialog_buttons, labelled_text_row};

/// Retiring takes a procedure out of the working copy, with a reason and the decision
/// that abolished it; nothing is deleted.
#[derive(Default)]
pub struct RetireDialog {
    pub reason: String,
    pub decision_number: String,
}

impl RetireDialog {
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang, commands: &mut Vec<Command>) {
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
            match dialog_buttons(
                ui,
                &[
                    (tr(lang, "Bãi bỏ", "Retire"), ready),
                    (tr(lang, "Hủy", "Cancel"), true),
                ],
            ) {
                Some(0) => {
                    action = Some(Command::Retire {
                        reason: self.reason.trim().to_owned(),
                        decision_number: self.decision_number.trim().to_owned(),
                    })
                }
                Some(_) => action = Some(Command::CloseDialog(Dialog::Retire)),
                None => {}
            }
            if !ready {
                ui.label(tr(lang, "Ghi lý do để bãi bỏ", "Give a reason to retire"));
            }
        });
        if modal.should_close() && action.is_none() {
            action = Some(Command::CloseDialog(Dialog::Retire));
        }
        commands.extend(action);
    }
}
