//! The Revisions view: the list of revisions (published ones with decision and date), a
//! diff of any two (default: last published against the working copy) as a table with a
//! change-kind column, filters by kind, level and field, the selected procedure's fields
//! side by side with word-level changes, counts before and after, and Publish….

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use crate::diff::{Before, CatalogueDiff, ChangeKind, DiffRow, Side};
use crate::domain::{Level, Tier};
use crate::gui::command::{Command, ExportChoice, RevisionCommand};
use crate::gui::i18n::{
    Lang, change_kind_label, field_label, level_label, side_label, tier_label, tr,
};
use crate::gui::widgets::{dialog_buttons, labelled_text_row, side_panel, words_job};
use crate::store::{Revision, WORKING};

#[derive(Default)]
struct PublishDialog {
    name: String,
    decision: String,
    date: String,
}

pub struct RevisionsPanel {
    pub revisions: Vec<Revision>,
    pub old: String,
    pub new: String,
    pub diff: Option<CatalogueDiff>,
    /// The sides of the diff on screen (the pickers may have moved on since).
    pub compared: Option<(String, String)>,
    rows: Vec<DiffRow>,
    kinds: [bool; 5],
    level: Option<Level>,
    field_filter: String,
    selected: Option<usize>,
    new_name: String,
    new_note: String,
    publish: Option<PublishDialog>,
    pub busy: bool,
    /// Published revisions whose seal no longer matches (checked when the file is read).
    pub broken_seals: Vec<String>,
}

impl Default for RevisionsPanel {
    fn default() -> Self {
        RevisionsPanel {
            revisions: Vec::new(),
            old: String::new(),
            new: WORKING.to_owned(),
            diff: None,
            compared: None,
            rows: Vec::new(),
            kinds: [true; 5],
            level: None,
            field_filter: String::new(),
            selected: None,
            new_name: String::new(),
            new_note: String::new(),
            publish: None,
            busy: false,
            broken_seals: Vec::new(),
        }
    }
}

impl RevisionsPanel {
    /// New list of revisions; picks the default pair when none is chosen yet:
    /// the last published revision (else the latest) against the working copy.
    pub fn set_revisions(&mut self, revisions: Vec<Revision>) {
        let known = |name: &str| name == WORKING || revisions.iter().any(|r| r.name == name);
        // Working against working compares nothing: choose the default pair instead.
        if self.old.is_empty() || !known(&self.old) || (self.old == WORKING && self.new == WORKING)
        {
            let published = revisions
                .iter()
                .filter(|r| r.published.is_some())
                .max_by_key(|r| {
                    r.published
                        .as_ref()
                        .map(|p| (p.date, p.published_at.clone()))
                });
            self.old = published
                .or_else(|| revisions.last())
                .map(|r| r.name.clone())
                .unwrap_or_else(|| WORKING.to_owned());
        }
        if !known(&self.new) {
            self.new = WORKING.to_owned();
        }
        self.revisions = revisions;
    }

    /// The diff of `sides` (old, new) is ready.
    pub fn set_diff(&mut self, sides: (String, String), diff: CatalogueDiff) {
        self.compared = Some(sides);
        self.rows = diff.rows();
        self.diff = Some(diff);
        self.selected = None;
        self.busy = false;
    }

    /// The diff could not be computed: nothing is on screen.
    pub fn diff_failed(&mut self) {
        self.busy = false;
        self.compared = None;
        self.diff = None;
        self.rows.clear();
    }

    /// Rows passing the kind, level and field filters.
    pub fn shown_rows(&self) -> Vec<&DiffRow> {
        let field = crate::text::fold(&self.field_filter);
        self.rows
            .iter()
            .filter(|row| self.kinds[row.kind as usize])
            .filter(|row| self.level.is_none_or(|l| l == row.level))
            .filter(|row| field.is_empty() || crate::text::fold(&row.field).contains(&field))
            .collect()
    }

    pub fn toggle_kind(&mut self, kind: ChangeKind) {
        self.kinds[kind as usize] = !self.kinds[kind as usize];
    }

    fn side_picker_ui(&mut self, ui: &mut egui::Ui, lang: Lang, old_side: bool) {
        let (id, label) = if old_side {
            ("diff_old", tr(lang, "Bản cũ", "Old"))
        } else {
            ("diff_new", tr(lang, "Bản mới", "New"))
        };
        let label = ui.label(label).id;
        let names: Vec<String> = std::iter::once(WORKING.to_owned())
            .chain(self.revisions.iter().map(|r| r.name.clone()))
            .collect();
        let current = if old_side {
            &mut self.old
        } else {
            &mut self.new
        };
        let shown = side_label(lang, current);
        egui::ComboBox::from_id_salt(id)
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for name in names {
                    let text = side_label(lang, &name);
                    ui.selectable_value(current, name, text);
                }
            })
            .response
            .labelled_by(label);
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        let mut action = None;
        side_panel(egui::Panel::left("revision_list"), ui, 300.0)
            .show(ui, |ui| {
                ui.heading(tr(lang, "Phiên bản", "Revisions"));
                egui::Grid::new("new_revision")
                    .num_columns(2)
                    .show(ui, |ui| {
                        labelled_text_row(
                            ui,
                            tr(lang, "Tên", "Name"),
                            &mut self.new_name,
                            "2017-du-thao",
                            "revision_name",
                        );
                        labelled_text_row(
                            ui,
                            tr(lang, "Ghi chú", "Note"),
                            &mut self.new_note,
                            "",
                            "revision_note",
                        );
                    });
                let can_create = writable && !self.new_name.trim().is_empty();
                if ui
                    .add_enabled(
                        can_create,
                        egui::Button::new(tr(
                            lang,
                            "Tạo phiên bản từ bản đang làm việc",
                            "Snapshot the working copy",
                        )),
                    )
                    .clicked()
                {
                    action = Some(RevisionCommand::Create {
                        name: self.new_name.trim().to_owned(),
                        note: self.new_note.trim().to_owned(),
                    });
                    self.new_name.clear();
                    self.new_note.clear();
                }
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("revision_scroll")
                    .show(ui, |ui| {
                        if self.revisions.is_empty() {
                            ui.label(tr(lang, "Chưa có phiên bản nào", "No revisions yet"));
                        }
                        for revision in self.revisions.iter().rev() {
                            ui.group(|ui| {
                                ui.horizontal(|ui| {
                                    ui.strong(&revision.name);
                                    if self.broken_seals.contains(&revision.name) {
                                        ui.label(
                                            RichText::new(tr(
                                                lang,
                                                "Niêm phong bị phá",
                                                "Seal broken",
                                            ))
                                            .color(ui.visuals().error_fg_color)
                                            .strong(),
                                        )
                                        .on_hover_text(tr(
                                            lang,
                                            "Phiên bản đã công bố này bị sửa bên ngoài ứng dụng: không xuất, không so sánh được. Khôi phục danh mục từ bản sao lưu.",
                                            "This published revision was changed outside the application: it cannot be exported or compared. Restore the catalogue from a backup.",
                                        ));
                                    }
                                    match &revision.published {
                                        Some(p) => {
                                            ui.label(
                                                RichText::new(format!(
                                                    "{} {} · {}",
                                                    tr(lang, "Đã công bố", "Published"),
                                                    p.decision,
                                                    crate::domain::format_date(p.date)
                                                ))
                                                .color(Color32::from_rgb(90, 170, 90)),
                                            );
                                        }
                                        None => {
                                            ui.label(
                                                RichText::new(tr(lang, "Dự thảo", "Draft")).weak(),
                                            );
                                        }
                                    }
                                });
                                ui.label(
                                    RichText::new(format!(
                                        "{} {} · {} · {}",
                                        revision.procedures,
                                        tr(lang, "thủ tục", "procedures"),
                                        revision.created_at,
                                        revision.created_by
                                    ))
                                    .small(),
                                );
                                if !revision.note.is_empty() {
                                    ui.label(RichText::new(&revision.note).small().italics());
                                }
                                if revision.published.is_none()
                                    && writable
                                    && ui.button(tr(lang, "Công bố…", "Publish…")).clicked()
                                {
                                    self.publish = Some(PublishDialog {
                                        name: revision.name.clone(),
                                        ..PublishDialog::default()
                                    });
                                }
                            });
                        }
                    });
            });

        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                self.side_picker_ui(ui, lang, true);
                ui.label("→");
                self.side_picker_ui(ui, lang, false);
                if ui
                    .add_enabled(
                        !self.busy,
                        egui::Button::new(tr(lang, "So sánh", "Compare")),
                    )
                    .clicked()
                {
                    self.busy = true;
                    action = Some(RevisionCommand::Compare {
                        old: self.old.clone(),
                        new: self.new.clone(),
                    });
                }
                if self.busy {
                    ui.spinner();
                }
            });
            let Some(diff) = &self.diff else {
                ui.label(tr(
                    lang,
                    "Chọn hai bản rồi bấm So sánh",
                    "Choose two sides, then Compare",
                ));
                return;
            };
            let summary = &diff.summary;
            ui.horizontal_wrapped(|ui| {
                for kind in ChangeKind::ALL {
                    let count = kind.count(summary);
                    let mut on = self.kinds[kind as usize];
                    if ui
                        .checkbox(
                            &mut on,
                            format!(
                                "{} {} ({count})",
                                kind.mark(),
                                change_kind_label(lang, kind)
                            ),
                        )
                        .changed()
                    {
                        self.kinds[kind as usize] = on;
                    }
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "Cấp", "Level")).id;
                let shown = self
                    .level
                    .map_or(tr(lang, "Tất cả", "All"), |l| level_label(lang, l));
                egui::ComboBox::from_id_salt("diff_level")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.level, None, tr(lang, "Tất cả", "All"));
                        for level in Level::ALL {
                            ui.selectable_value(
                                &mut self.level,
                                Some(level),
                                level_label(lang, level),
                            );
                        }
                    })
                    .response
                    .labelled_by(label);
                let label = ui.label(tr(lang, "Lĩnh vực", "Field")).id;
                ui.add(
                    egui::TextEdit::singleline(&mut self.field_filter)
                        .desired_width(180.0)
                        .id_salt("diff_field"),
                )
                .labelled_by(label);
                ui.separator();
                if ui
                    .button(tr(lang, "Xuất báo cáo so sánh…", "Export the diff…"))
                    .clicked()
                {
                    commands.push(Command::ShowExport(Some(ExportChoice::DiffReport)));
                }
                if ui
                    .button(tr(
                        lang,
                        "Xuất phụ lục quyết định…",
                        "Export a decision annex…",
                    ))
                    .on_hover_text(tr(
                        lang,
                        "Thủ tục mới, sửa đổi, thay thế, bãi bỏ của bản mới so với bản cũ",
                        "New, amended, replaced and abolished procedures of the new side",
                    ))
                    .clicked()
                {
                    commands.push(Command::ShowExport(Some(ExportChoice::Annex)));
                }
            });
            self.counts_ui(ui, lang);
            ui.separator();
            let rows: Vec<DiffRow> = self.shown_rows().into_iter().cloned().collect();
            let details_height = if self.selected.is_some() {
                ui.available_height() * 0.45
            } else {
                0.0
            };
            let table_height = ui.available_height() - details_height;
            ui.allocate_ui(egui::vec2(ui.available_width(), table_height), |ui| {
                self.table_ui(ui, lang, &rows);
            });
            if let Some(row) = self.selected.and_then(|i| rows.get(i)) {
                ui.separator();
                details_ui(ui, lang, row);
            }
        });
        if let Some(dialog) = &mut self.publish {
            let mut close = false;
            egui::Modal::new(egui::Id::unique("publish_dialog")).show(ui.ctx(), |ui| {
                ui.heading(format!(
                    "{} «{}»",
                    tr(lang, "Công bố phiên bản", "Publish revision"),
                    dialog.name
                ));
                if let Some(revision) = self.revisions.iter().find(|r| r.name == dialog.name) {
                    ui.label(format!(
                        "{} {} {}",
                        tr(lang, "Sẽ khóa vĩnh viễn", "This freezes"),
                        revision.procedures,
                        tr(
                            lang,
                            "thủ tục của phiên bản này: không sửa, không xóa được nữa",
                            "procedures of this revision: they can no longer be changed or deleted"
                        )
                    ));
                }
                egui::Grid::new("publish_grid")
                    .num_columns(2)
                    .show(ui, |ui| {
                        labelled_text_row(
                            ui,
                            tr(lang, "Số quyết định", "Decision number"),
                            &mut dialog.decision,
                            "1234/QĐ-UBND",
                            "publish_decision",
                        );
                        labelled_text_row(
                            ui,
                            tr(lang, "Ngày quyết định", "Decision date"),
                            &mut dialog.date,
                            "YYYY-MM-DD",
                            "publish_date",
                        );
                    });
                let date = crate::domain::parse_date(&dialog.date);
                if !dialog.date.is_empty() && date.is_none() {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        tr(
                            lang,
                            "Ngày không hợp lệ: YYYY-MM-DD",
                            "Not a date: YYYY-MM-DD",
                        ),
                    );
                }
                let ready = date.is_some() && !dialog.decision.trim().is_empty();
                match dialog_buttons(
                    ui,
                    &[
                        (tr(lang, "Công bố và khóa", "Publish and freeze"), ready),
                        (tr(lang, "Hủy", "Cancel"), true),
                    ],
                ) {
                    Some(0) => {
                        if let Some(date) = date {
                            action = Some(RevisionCommand::Publish {
                                name: dialog.name.clone(),
                                decision: dialog.decision.trim().to_owned(),
                                date,
                            });
                        }
                        close = true;
                    }
                    Some(_) => close = true,
                    None => {}
                }
            });
            if close {
                self.publish = None;
            }
        }
        commands.extend(action.map(Command::Revision));
    }

    fn counts_ui(&self, ui: &mut egui::Ui, lang: Lang) {
        let Some(diff) = &self.diff else {
            return;
        };
        let (before, after) = (&diff.summary.before, &diff.summary.after);
        egui::CollapsingHeader::new(format!(
            "{}: {} → {}",
            tr(lang, "Số thủ tục", "Procedures"),
            before.total,
            after.total
        ))
        .id_salt("diff_counts")
        .show(ui, |ui| {
            egui::Grid::new("diff_counts_grid")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong("");
                    ui.strong(tr(lang, "Trước", "Before"));
                    ui.strong(tr(lang, "Sau", "After"));
                    ui.end_row();
                    for level in Level::ALL {
                        ui.label(level_label(lang, level));
                        ui.label(
                            before
                                .by_level
                                .get(level.key())
                                .copied()
                                .unwrap_or(0)
                                .to_string(),
                        );
                        ui.label(
                            after
                                .by_level
                                .get(level.key())
                                .copied()
                                .unwrap_or(0)
                                .to_string(),
                        );
                        ui.end_row();
                    }
                    for tier in Tier::ALL {
                        ui.label(format!(
                            "{} {}",
                            tr(lang, "Mức độ", "Tier"),
                            tier_label(tier)
                        ));
                        ui.label(
                            before
                                .by_tier
                                .get(&tier.to_string())
                                .copied()
                                .unwrap_or(0)
                                .to_string(),
                        );
                        ui.label(
                            after
                                .by_tier
                                .get(&tier.to_string())
                                .copied()
                                .unwrap_or(0)
                                .to_string(),
                        );
                        ui.end_row();
                    }
                });
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, lang: Lang, rows: &[DiffRow]) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        TableBuilder::new(ui)
            .id_salt("diff_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::initial(40.0))
            .column(Column::initial(110.0))
            .column(Column::initial(80.0))
            .column(Column::remainder().at_least(200.0).clip(true))
            .column(Column::initial(220.0).clip(true))
            .header(row_height, |mut header| {
                for title in [
                    "",
                    tr(lang, "Mã TTHC", "Code"),
                    tr(lang, "Cấp", "Level"),
                    tr(lang, "Tên thủ tục", "Name"),
                    tr(lang, "Thay đổi", "What changed"),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut table_row| {
                    let index = table_row.index();
                    let row = &rows[index];
                    table_row.set_selected(self.selected == Some(index));
                    let color = match row.kind {
                        ChangeKind::Added => Color32::from_rgb(90, 170, 90),
                        ChangeKind::Removed => Color32::from_rgb(210, 90, 90),
                        _ => Color32::from_rgb(210, 170, 70),
                    };
                    // Labels that do not take the click, so it selects the row.
                    let cell = |ui: &mut egui::Ui, text: egui::WidgetText| {
                        ui.add(
                            egui::Label::new(text)
                                .truncate()
                                .selectable(false)
                                .sense(egui::Sense::hover()),
                        );
                    };
                    let level = level_label(lang, row.level);
                    table_row.col(|ui| {
                        cell(
                            ui,
                            RichText::new(row.kind.mark())
                                .monospace()
                                .color(color)
                                .into(),
                        )
                    });
                    table_row.col(|ui| cell(ui, row.code.as_str().into()));
                    table_row.col(|ui| cell(ui, level.into()));
                    table_row.col(|ui| cell(ui, row.name.as_str().into()));
                    let detail = detail(lang, row);
                    table_row.col(|ui| cell(ui, detail.into()));
                    if table_row.response().clicked() {
                        self.selected = Some(index);
                    }
                });
            });
    }
}

/// What changed, one line: the changed fields, or "before → after".
fn detail(lang: Lang, row: &DiffRow) -> String {
    match &row.before {
        Before::Level(from) => format!(
            "{} → {}",
            level_label(lang, *from),
            level_label(lang, row.level)
        ),
        Before::Procedure { code, .. } => format!("{code} → {}", row.code),
        Before::Nothing => row
            .changes
            .iter()
            .map(|c| field_label(lang, c.field))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn details_ui(ui: &mut egui::Ui, lang: Lang, row: &DiffRow) {
    ui.horizontal(|ui| {
        ui.strong(format!("{} {} — {}", row.kind.mark(), row.code, row.name));
    });
    if row.changes.is_empty() {
        ui.label(format!(
            "{}: {}",
            change_kind_label(lang, row.kind),
            detail(lang, row)
        ));
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("diff_details")
        .show(ui, |ui| {
            egui::Grid::new("diff_details_grid")
                .num_columns(3)
                .striped(true)
                .show(ui, |ui| {
                    ui.strong(tr(lang, "Trường", "Field"));
                    ui.strong(tr(lang, "Trước", "Before"));
                    ui.strong(tr(lang, "Sau", "After"));
                    ui.end_row();
                    for change in &row.changes {
                        ui.label(field_label(lang, change.field));
                        if change.words.is_empty() {
                            ui.label(RichText::new(&change.old).strikethrough());
                            ui.label(RichText::new(&change.new).strong());
                        } else {
                            ui.label(words_job(ui, &change.words, Side::Old));
                            ui.label(words_job(ui, &change.words, Side::New));
                        }
                        ui.end_row();
                    }
                });
        });
}
