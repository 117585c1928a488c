//! "Someone else changed this procedure": when a Save collides with a change another
//! program or colleague committed since the form was opened. Fields changed on one side
//! only are kept from that side; for each field changed on both, the officer chooses.

use std::collections::BTreeMap;

use egui::RichText;

use crate::domain::{ProcedureData, ProcedureField};
use crate::gui::command::{Command, Dialog};
use crate::gui::i18n::{Lang, field_label, tr};
use crate::gui::widgets::dialog_buttons;
use crate::store::Conflict;

/// Which value a conflicting field keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    Theirs,
    Mine,
}

pub struct ConflictDialog {
    pub procedure_id: i64,
    /// The entry as the form opened it, as it is stored now, and as the officer wants it.
    pub base: ProcedureData,
    pub theirs: ProcedureData,
    pub mine: ProcedureData,
    pub conflicts: Vec<Conflict>,
    pub choices: BTreeMap<ProcedureField, Keep>,
}

impl ConflictDialog {
    pub fn new(
        procedure_id: i64,
        base: ProcedureData,
        theirs: ProcedureData,
        mine: ProcedureData,
        conflicts: Vec<Conflict>,
    ) -> ConflictDialog {
        let choices = conflicts
            .iter()
            .filter_map(|c| c.field)
            .map(|field| (field, Keep::Mine))
            .collect();
        ConflictDialog {
            procedure_id,
            base,
            theirs,
            mine,
            conflicts,
            choices,
        }
    }

    /// The entry to write over what is stored now: their changes kept, the officer's
    /// changes laid over them, each conflicting field as chosen.
    pub fn resolved(&self) -> ProcedureData {
        let mut data = self.theirs.clone();
        for field in ProcedureField::changed_between(&self.base, &self.mine) {
            match self.choices.get(&field) {
                Some(Keep::Theirs) => {}
                Some(Keep::Mine) | None => field.copy(&self.mine, &mut data),
            }
        }
        data
    }

    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang, commands: &mut Vec<Command>) {
        let mut action = None;
        egui::Modal::new(egui::Id::unique("conflict_dialog")).show(ctx, |ui| {
            ui.set_max_width(760.0);
            ui.heading(tr(
                lang,
                "Thủ tục này vừa được sửa ở nơi khác",
                "This procedure was changed elsewhere",
            ));
            ui.label(format!(
                "{} {} {}",
                tr(
                    lang,
                    "Một chương trình khác (hoặc đồng nghiệp) đã ghi thay đổi vào thủ tục",
                    "Another program (or a colleague) saved changes to procedure",
                ),
                self.theirs.code,
                tr(
                    lang,
                    "sau khi bạn mở nó. Chọn giá trị giữ lại cho từng trường bị sửa ở cả hai nơi; các thay đổi khác của họ và của bạn đều được giữ.",
                    "after you opened it. Choose which value each field changed on both sides keeps; every other change, theirs and yours, is kept.",
                )
            ));
            ui.separator();
            if self.conflicts.iter().any(|c| c.field.is_none()) {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tr(
                        lang,
                        "Thủ tục đã bị bãi bỏ khỏi danh mục ở nơi khác: không lưu được. Hủy để xem lại.",
                        "The procedure was retired elsewhere: it cannot be saved. Cancel to look again.",
                    ),
                );
            }
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .show(ui, |ui| {
                    egui::Grid::new("conflict_fields")
                        .num_columns(4)
                        .striped(true)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            ui.strong(tr(lang, "Trường", "Field"));
                            ui.strong(tr(lang, "Lúc bạn mở", "When you opened it"));
                            ui.strong(tr(lang, "Của họ (đang lưu)", "Theirs (stored)"));
                            ui.strong(tr(lang, "Của bạn", "Yours"));
                            ui.end_row();
                            for conflict in &self.conflicts {
                                let Some(field) = conflict.field else {
                                    continue;
                                };
                                ui.label(field_label(lang, field));
                                let short = |text: &str| -> String {
                                    let cut: String = text.chars().take(300).collect();
                                    if cut.len() < text.len() {
                                        format!("{cut}…")
                                    } else if cut.is_empty() {
                                        "—".to_owned()
                                    } else {
                                        cut
                                    }
                                };
                                ui.add(
                                    egui::Label::new(RichText::new(short(&conflict.base)).weak())
                                        .wrap(),
                                );
                                let keep = self.choices.entry(field).or_insert(Keep::Mine);
                                ui.radio_value(keep, Keep::Theirs, short(&conflict.theirs));
                                ui.radio_value(keep, Keep::Mine, short(&conflict.mine));
                                ui.end_row();
                            }
                        });
                });
            ui.separator();
            let can_save = self.conflicts.iter().all(|c| c.field.is_some());
            match dialog_buttons(
                ui,
                &[
                    (tr(lang, "Lưu với các lựa chọn này", "Save with these choices"), can_save),
                    (tr(lang, "Hủy (sửa tiếp)", "Cancel (keep editing)"), true),
                ],
            ) {
                Some(0) => action = Some(Command::ResolveConflict),
                Some(_) => action = Some(Command::CloseDialog(Dialog::Conflict)),
                None => {}
            }
        });
        commands.extend(action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Level;

    #[test]
    fn their_changes_stay_and_each_conflict_takes_the_chosen_side() {
        let base = ProcedureData {
            code: "1.000001".into(),
            name: "Cấp phép".into(),
            level: Some(Level::Province),
            agency: "Sở A".into(),
            notes: "cũ".into(),
            ..ProcedureData::default()
        };
        let mut theirs = base.clone();
        theirs.agency = "Sở B".into();
        theirs.notes = "của họ".into();
        let mut mine = base.clone();
        mine.name = "Cấp giấy phép".into();
        mine.notes = "của tôi".into();
        let conflict = Conflict {
            procedure_id: 1,
            code: base.code.clone(),
            level: Level::Province,
            field: Some(ProcedureField::Notes),
            base: "cũ".into(),
            theirs: "của họ".into(),
            mine: "của tôi".into(),
        };
        let mut dialog = ConflictDialog::new(1, base, theirs, mine, vec![conflict]);
        let resolved = dialog.resolved();
        assert_eq!(
            (
                resolved.name.as_str(),
                resolved.agency.as_str(),
                resolved.notes.as_str()
            ),
            ("Cấp giấy phép", "Sở B", "của tôi")
        );
        dialog.choices.insert(ProcedureField::Notes, Keep::Theirs);
        assert_eq!(dialog.resolved().notes, "của họ");
    }
}
