//! File → Import…: choose a list, see what the import would do — added, updated, unchanged,
//! rejected with row numbers and reasons — change the level of rows whose file does not say
//! it, then write it all in one transaction. Reading and writing run off the UI thread, with
//! a progress bar, so the window stays responsive on large files.

use std::borrow::Cow;
use std::path::PathBuf;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::{Level, ProcedureField};
use crate::gui::command::{Command, Dialog};
use crate::gui::i18n::{Lang, level_label, tr};
use crate::gui::messages::Message;
use crate::gui::widgets::{path_field, progress_bar};
use crate::import::{
    ImportOptions, ImportPlan, LevelGroup, LevelSource, OtherLevel, OtherLevelRow, PlannedAdd,
    SkippedRow, planned_changes,
};
use crate::progress::Progress;

/// Which rows of the preview are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreviewTab {
    Added,
    Updated,
    Unchanged,
    Rejected,
    LevelUnknown,
    Skipped,
    OtherLevel,
    Retired,
    Warnings,
}

impl PreviewTab {
    const ALL: [PreviewTab; 9] = [
        PreviewTab::Added,
        PreviewTab::Updated,
        PreviewTab::Unchanged,
        PreviewTab::Rejected,
        PreviewTab::LevelUnknown,
        PreviewTab::Skipped,
        PreviewTab::OtherLevel,
        PreviewTab::Retired,
        PreviewTab::Warnings,
    ];

    fn label(self, lang: Lang) -> &'static str {
        match self {
            PreviewTab::Added => tr(lang, "Thêm mới", "Added"),
            PreviewTab::Updated => tr(lang, "Cập nhật", "Updated"),
            PreviewTab::Unchanged => tr(lang, "Không đổi", "Unchanged"),
            PreviewTab::Rejected => tr(lang, "Bị từ chối", "Rejected"),
            PreviewTab::LevelUnknown => tr(lang, "Chưa rõ cấp", "Level unknown"),
            PreviewTab::Skipped => tr(lang, "Không thuộc cấp địa phương", "Not local"),
            PreviewTab::OtherLevel => tr(lang, "Đã có ở cấp khác", "At another level"),
            PreviewTab::Retired => tr(lang, "Rút khỏi danh mục", "Retired"),
            PreviewTab::Warnings => tr(lang, "Cảnh báo", "Warnings"),
        }
    }

    fn count(self, plan: &ImportPlan) -> usize {
        match self {
            PreviewTab::Added => plan.added.len(),
            PreviewTab::Updated => plan.updated.len(),
            PreviewTab::Unchanged => plan.unchanged.len(),
            PreviewTab::Rejected => plan.rejected.len(),
            PreviewTab::LevelUnknown => plan.level_unknown.len(),
            PreviewTab::Skipped => plan.skipped.len(),
            PreviewTab::OtherLevel => plan.other_level.len(),
            PreviewTab::Retired => plan.retired.len(),
            PreviewTab::Warnings => plan.warnings.len(),
        }
    }

    /// Tabs that need the officer: shown in the error colour while they hold rows.
    fn asks(self) -> bool {
        matches!(
            self,
            PreviewTab::Rejected | PreviewTab::LevelUnknown | PreviewTab::OtherLevel
        )
    }
}

/// What the import dialog shows; the app plans and writes on its behalf, in background jobs.
pub struct ImportDialog {
    /// The files, separated by `;`.
    pub paths: String,
    pub options: ImportOptions,
    pub plan: Option<ImportPlan>,
    pub tab: PreviewTab,
    pub error: Option<String>,
}

/// The background work of the import in progress, as the dialog draws it.
#[derive(Clone, Copy, Default)]
pub struct ImportWork<'a> {
    pub planning: Option<&'a Progress>,
    pub writing: Option<&'a Progress>,
}

impl ImportWork<'_> {
    pub fn is_busy(&self) -> bool {
        self.planning.is_some() || self.writing.is_some()
    }
}

impl Default for ImportDialog {
    fn default() -> Self {
        ImportDialog {
            paths: String::new(),
            options: ImportOptions::default(),
            plan: None,
            tab: PreviewTab::Added,
            error: None,
        }
    }
}

impl ImportDialog {
    fn files(&self) -> Vec<PathBuf> {
        self.paths
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .collect()
    }

    /// The command that plans the import with the current files and options.
    pub fn preview(&mut self) -> Option<Command> {
        let files = self.files();
        if files.is_empty() {
            return None;
        }
        self.error = None;
        Some(Command::PlanImport {
            files,
            options: self.options.clone(),
        })
    }

    /// Whether the plan on screen was made with the options now chosen and may be written.
    pub fn can_import(&self, work: ImportWork<'_>) -> bool {
        self.plan.as_ref().is_some_and(|plan| {
            plan.options == self.options
                && !work.is_busy()
                && plan.writable()
                && planned_changes(plan) + documents_written(plan) > 0
        })
    }

    /// Files a whole group of rows (central, other bodies, unknown) at a level, or leaves
    /// it out, and plans again.
    pub fn choose_group_level(
        &mut self,
        group: LevelGroup,
        level: Option<Level>,
    ) -> Option<Command> {
        match level {
            Some(level) => self.options.group_levels.insert(group, level),
            None => self.options.group_levels.remove(&group),
        };
        self.preview()
    }

    /// Decides what a row whose code stands at another level becomes (for every such row
    /// when `row` is none), and plans again.
    pub fn choose_other_level(
        &mut self,
        row: Option<(String, usize, Level)>,
        choice: OtherLevel,
    ) -> Option<Command> {
        match row {
            Some(key) => {
                self.options.other_level_rows.insert(key, choice);
            }
            None => {
                self.options.other_level = choice;
                self.options.other_level_rows.clear();
            }
        }
        self.preview()
    }

    /// A new plan: a first preview opens on the first tab with rows, rejected ones first;
    /// a new one (a level changed) stays where the officer is.
    pub fn planned(&mut self, plan: ImportPlan) {
        let keep = self.plan.is_some() && self.tab.count(&plan) > 0;
        self.tab = if keep {
            self.tab
        } else {
            // The tabs that need the officer first, then the first with rows.
            PreviewTab::ALL
                .into_iter()
                .find(|tab| tab.asks() && tab.count(&plan) > 0)
                .or_else(|| PreviewTab::ALL.into_iter().find(|tab| tab.count(&plan) > 0))
                .unwrap_or(PreviewTab::Added)
        };
        self.plan = Some(plan);
    }

    /// Planning or writing failed: say so, in the window's language.
    pub fn failed(&mut self, message: String, planning: bool) {
        if planning {
            self.plan = None;
        }
        self.error = Some(message);
    }

    /// Sets the level of one row and plans again.
    pub fn choose_level(&mut self, file: &str, row: usize, level: Level) -> Option<Command> {
        self.options
            .level_overrides
            .insert((file.to_owned(), row), level);
        self.preview()
    }

    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        work: ImportWork<'_>,
        commands: &mut Vec<Command>,
    ) {
        let mut action = None;
        let modal = egui::Modal::new(egui::Id::unique("import_dialog")).show(ctx, |ui| {
            ui.set_width(880.0);
            ui.set_max_width(880.0);
            ui.heading(tr(
                lang,
                "Nhập danh sách thủ tục",
                "Import a procedure list",
            ));
            let entered = path_field(
                ui,
                lang,
                tr(
                    lang,
                    "Tệp .xlsx hoặc .csv (nhiều tệp cách nhau bằng ;)",
                    "A .xlsx or .csv file (several separated by ;)",
                ),
                &mut self.paths,
                "import_path",
                &mut self.error,
                || {
                    rfd::FileDialog::new()
                        .add_filter("Excel, CSV", &["xlsx", "csv"])
                        .pick_files()
                        .map(|files| {
                            PathBuf::from(
                                files
                                    .iter()
                                    .map(|f| f.display().to_string())
                                    .collect::<Vec<_>>()
                                    .join("; "),
                            )
                        })
                },
            );
            self.options_ui(ui, lang);
            ui.horizontal(|ui| {
                let can_preview = !work.is_busy() && !self.files().is_empty();
                if ui
                    .add_enabled(
                        can_preview,
                        egui::Button::new(tr(lang, "Xem trước", "Preview")),
                    )
                    .clicked()
                    || (entered && can_preview)
                {
                    action = self.preview();
                }
                // Reading a workbook gives no figures until it is read: the bar says which
                // phase it is in.
                if let Some(progress) = work.planning.or(work.writing) {
                    progress_bar(ui, lang, progress);
                    if ui.button(tr(lang, "Dừng", "Stop")).clicked() {
                        action = Some(Command::CancelJob);
                    }
                }
            });
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if let Some(plan) = self.plan.take() {
                ui.separator();
                if let Some(command) = self.preview_ui(ui, lang, &plan) {
                    action = Some(command);
                }
                self.plan = Some(plan);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let count = self.plan.as_ref().map_or(0, planned_changes);
                if ui
                    .add_enabled(
                        self.can_import(work),
                        egui::Button::new(format!(
                            "{} ({count})",
                            tr(lang, "Nhập vào danh mục", "Import into the catalogue")
                        )),
                    )
                    .clicked()
                    && let Some(plan) = &self.plan
                {
                    action = Some(Command::WriteImport(Box::new(plan.clone())));
                }
                if ui
                    .add_enabled(
                        !work.is_busy(),
                        egui::Button::new(tr(lang, "Hủy", "Cancel")),
                    )
                    .clicked()
                {
                    action = Some(Command::CloseDialog(Dialog::Import));
                }
                if let Some(plan) = &self.plan {
                    if plan.options != self.options && !work.is_busy() {
                        ui.label(tr(
                            lang,
                            "Tùy chọn đã đổi: bấm Xem trước lại",
                            "Options changed: Preview again",
                        ));
                    } else if !plan.rejected.is_empty() && !plan.options.skip_invalid {
                        ui.label(tr(
                            lang,
                            "Có dòng bị từ chối: sửa tệp, hoặc chọn bỏ qua các dòng đó",
                            "Some rows are rejected: correct the file, or skip them",
                        ));
                    } else if !plan.writable() {
                        ui.label(tr(
                            lang,
                            "Có dòng chưa rõ cấp: chọn cấp cho nhóm đó, hoặc bỏ qua các dòng đó",
                            "Some rows do not say their level: choose one for them, or skip them",
                        ));
                    }
                }
            });
        });
        if modal.should_close() && action.is_none() && !work.is_busy() {
            action = Some(Command::CloseDialog(Dialog::Import));
        }
        commands.extend(action);
    }

    fn options_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            let label = ui
                .label(tr(
                    lang,
                    "Cấp, khi tệp không có cột cấp",
                    "Level, for files without a level column",
                ))
                .id;
            let automatic = tr(lang, "Theo cơ quan thực hiện", "From the agency");
            egui::ComboBox::from_id_salt("import_level")
                .selected_text(
                    self.options
                        .level
                        .map_or(automatic, |level| level_label(lang, level)),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.options.level, None, automatic);
                    for level in Level::ALL {
                        ui.selectable_value(
                            &mut self.options.level,
                            Some(level),
                            level_label(lang, level),
                        );
                    }
                })
                .response
                .labelled_by(label);
        });
        ui.checkbox(
            &mut self.options.replace,
            tr(
                lang,
                "Thay toàn bộ: rút khỏi danh mục những thủ tục không có trong tệp",
                "Replace: retire what the files do not list",
            ),
        );
        ui.checkbox(
            &mut self.options.skip_invalid,
            tr(
                lang,
                "Bỏ qua các dòng bị từ chối hoặc chưa rõ cấp, nhập các dòng còn lại",
                "Skip the rejected rows and rows of unknown level, import the others",
            ),
        );
        ui.checkbox(
            &mut self.options.clear_empty,
            tr(
                lang,
                "Ô trống trong tệp xóa giá trị đang lưu (mặc định: giữ nguyên)",
                "An empty cell clears the stored value (by default: kept)",
            ),
        );
    }

    /// Each group of rows the catalogue does not hold by default, with a level to file them
    /// at, or none.
    fn groups_ui(&mut self, ui: &mut egui::Ui, lang: Lang, plan: &ImportPlan) -> Option<Command> {
        let mut counts = plan.skipped_by_group();
        if !plan.level_unknown.is_empty() {
            counts.insert(LevelGroup::Unknown, plan.level_unknown.len());
        }
        // A group given a level stays listed, so the choice can be taken back.
        for group in self.options.group_levels.keys() {
            counts.entry(*group).or_insert(0);
        }
        let mut choice = None;
        for (group, count) in counts {
            let (what, none) = match group {
                LevelGroup::Central => (
                    tr(lang, "Thủ tục cấp bộ (trung ương)", "Central procedures"),
                    tr(lang, "Không nhập (không thuộc tỉnh)", "Leave out"),
                ),
                LevelGroup::Other => (
                    tr(
                        lang,
                        "Thủ tục của cơ quan khác",
                        "Procedures of other bodies",
                    ),
                    tr(lang, "Không nhập", "Leave out"),
                ),
                LevelGroup::Unknown => (
                    tr(lang, "Dòng chưa rõ cấp", "Rows of unknown level"),
                    tr(lang, "Chưa chọn (chưa nhập)", "Not chosen (not imported)"),
                ),
            };
            ui.horizontal(|ui| {
                let label = ui.label(format!("{what}: {count}")).id;
                let current = self.options.group_levels.get(&group).copied();
                let mut selected = current;
                egui::ComboBox::from_id_salt(("group_level", group))
                    .selected_text(current.map_or(none, |l| level_label(lang, l)))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut selected, None, none);
                        for level in Level::ALL {
                            ui.selectable_value(
                                &mut selected,
                                Some(level),
                                level_label(lang, level),
                            );
                        }
                    })
                    .response
                    .labelled_by(label);
                if selected != current {
                    choice = Some((group, selected));
                }
            });
        }
        let (group, level) = choice?;
        self.choose_group_level(group, level)
    }

    fn preview_ui(&mut self, ui: &mut egui::Ui, lang: Lang, plan: &ImportPlan) -> Option<Command> {
        for file in &plan.files {
            let sheet = file
                .sheet
                .as_ref()
                .map(|s| format!(", {} \"{s}\"", tr(lang, "trang", "sheet")))
                .unwrap_or_default();
            ui.label(format!(
                "{}{sheet}: {} {}, {} {}{}",
                crate::import::display_name(&file.path),
                tr(lang, "tiêu đề ở dòng", "header on row"),
                file.header_row,
                file.rows_read,
                tr(lang, "dòng", "rows"),
                if file.document_list {
                    tr(lang, " (danh sách văn bản)", " (legal documents)")
                } else {
                    ""
                }
            ));
        }
        let accounted = plan.accounted_rows();
        ui.label(
            RichText::new(format!(
                "{} {} · {} {}/{}",
                plan.rows_read,
                tr(lang, "dòng đã đọc", "rows read"),
                tr(lang, "đã xét", "accounted for"),
                accounted,
                plan.rows_read
            ))
            .strong(),
        );
        let by_level: Vec<String> = plan
            .added_by_level()
            .into_iter()
            .map(|(level, count)| format!("{count} {}", level_label(lang, level).to_lowercase()))
            .collect();
        if !by_level.is_empty() {
            ui.label(format!(
                "{}: {}",
                tr(lang, "Thêm mới theo cấp", "New entries by level"),
                by_level.join(", ")
            ));
        }
        for file in plan.files.iter().filter(|f| !f.kept_columns.is_empty()) {
            ui.add(
                egui::Label::new(format!(
                    "{} {}: {}",
                    tr(
                        lang,
                        "Cột chưa có trường riêng, giữ trong «Thông tin khác» —",
                        "Columns with no field of their own, kept under «Other columns» —",
                    ),
                    crate::import::display_name(&file.path),
                    file.kept_columns.join(", ")
                ))
                .wrap(),
            );
        }
        let mut command = self.groups_ui(ui, lang, plan);
        let levels = &plan.levels;
        if !plan.sections.is_empty() {
            ui.label(format!(
                "{} {}",
                plan.sections.len(),
                tr(
                    lang,
                    "dòng tiêu đề mục (cấp, lĩnh vực) cho các dòng dưới nó cấp và lĩnh vực",
                    "section headings (level, field) give the rows under them their level and field",
                )
            ));
        }
        if levels.inferred + levels.from_option + levels.chosen + levels.from_group > 0 {
            ui.label(format!(
                "{}: {}",
                tr(lang, "Cấp thực hiện", "Levels"),
                counts(&[
                    (
                        levels.from_column,
                        tr(lang, "theo cột cấp", "from the level column")
                    ),
                    (
                        levels.inferred,
                        tr(lang, "đoán theo cơ quan", "inferred from the agency"),
                    ),
                    (
                        levels.from_option,
                        tr(lang, "theo lựa chọn chung", "from the option"),
                    ),
                    (
                        levels.from_group,
                        tr(lang, "chọn cho nhóm", "chosen for a group")
                    ),
                    (levels.chosen, tr(lang, "chọn từng dòng", "chosen per row")),
                ])
            ));
        }
        if plan.documents_added.len() + plan.documents_updated.len() + plan.documents_unchanged > 0
        {
            ui.label(format!(
                "{}: {}",
                tr(lang, "Văn bản pháp luật", "Legal documents"),
                counts(&[
                    (plan.documents_added.len(), tr(lang, "thêm mới", "added")),
                    (
                        plan.documents_updated.len(),
                        tr(lang, "cập nhật", "updated")
                    ),
                    (plan.documents_unchanged, tr(lang, "không đổi", "unchanged")),
                ])
            ));
        }
        ui.horizontal_wrapped(|ui| {
            for tab in PreviewTab::ALL {
                let text = format!("{} ({})", tab.label(lang), tab.count(plan));
                let text = if tab.asks() && tab.count(plan) > 0 {
                    RichText::new(text).color(ui.visuals().error_fg_color)
                } else {
                    RichText::new(text)
                };
                ui.selectable_value(&mut self.tab, tab, text);
            }
        });
        if self.tab == PreviewTab::OtherLevel && !plan.other_level.is_empty() {
            ui.horizontal(|ui| {
                let label = ui
                    .label(tr(
                        lang,
                        "Mã đã có ở cấp khác — cho tất cả",
                        "Code at another level — for all",
                    ))
                    .id;
                let mut all = self.options.other_level;
                egui::ComboBox::from_id_salt("other_level_all")
                    .selected_text(other_level_label(lang, all))
                    .show_ui(ui, |ui| {
                        for choice in OTHER_LEVEL_CHOICES {
                            ui.selectable_value(&mut all, choice, other_level_label(lang, choice));
                        }
                    })
                    .response
                    .labelled_by(label);
                if all != self.options.other_level {
                    command = self.choose_other_level(None, all);
                }
            });
        }
        let rows = self.tab.count(plan);
        let row_height = ui.spacing().interact_size.y + 4.0;
        let mut chosen: Option<(String, usize, Level)> = None;
        let mut other_choice: Option<((String, usize, Level), OtherLevel)> = None;
        let error_color = ui.visuals().error_fg_color;
        let tab = self.tab;
        // Fixed columns and clipped text: a long name must not widen the dialog.
        TableBuilder::new(ui)
            .id_salt(("import_rows", tab as usize))
            .striped(true)
            .max_scroll_height(320.0)
            .min_scrolled_height(120.0)
            .column(Column::exact(190.0))
            .column(Column::exact(110.0))
            .column(Column::remainder().clip(true))
            .column(Column::exact(180.0))
            .header(row_height, |mut header| {
                for title in [
                    tr(lang, "Dòng, tệp", "Row, file"),
                    tr(lang, "Mã TTHC", "Code"),
                    match tab {
                        PreviewTab::Rejected => tr(lang, "Lý do", "Reason"),
                        PreviewTab::Warnings => tr(lang, "Cảnh báo", "Warning"),
                        _ => tr(lang, "Tên thủ tục", "Name"),
                    },
                    match tab {
                        PreviewTab::Updated => tr(lang, "Cấp · trường đổi", "Level · fields"),
                        PreviewTab::Skipped | PreviewTab::LevelUnknown => {
                            tr(lang, "Tệp ghi / chọn cấp", "The file says / level")
                        }
                        PreviewTab::OtherLevel => tr(lang, "Xử lý", "Do"),
                        _ => tr(lang, "Cấp", "Level"),
                    },
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows, |mut row| {
                    let line = preview_row(plan, tab, row.index(), lang);
                    row.col(|ui| {
                        if let Some((file, number)) = line.place {
                            place(ui, file, number);
                        }
                    });
                    row.col(|ui| {
                        ui.monospace(line.code);
                    });
                    row.col(|ui| {
                        let text = if line.error {
                            RichText::new(line.text.as_ref()).color(error_color)
                        } else {
                            RichText::new(line.text.as_ref())
                        };
                        let hover = if line.detail.is_empty() {
                            line.text.clone().into_owned()
                        } else {
                            format!("{}\n{}", line.text, line.detail)
                        };
                        ui.label(text).on_hover_text(hover);
                    });
                    row.col(|ui| match line.last {
                        LastCell::Text(text) => {
                            ui.label(&text).on_hover_text(&text);
                        }
                        LastCell::Level(add) => {
                            if let Some(level) = level_ui(ui, lang, add) {
                                chosen = Some((add.file.clone(), add.row, level));
                            }
                        }
                        LastCell::RowLevel(held) => {
                            if let Some(level) = row_level_ui(ui, lang, held) {
                                chosen = Some((held.file.clone(), held.row, level));
                            }
                        }
                        LastCell::Other(other) => {
                            if let Some(choice) = other_level_ui(ui, lang, other) {
                                other_choice =
                                    Some(((other.file.clone(), other.row, other.level), choice));
                            }
                        }
                    });
                });
            });
        if let Some((key, choice)) = other_choice {
            command = self.choose_other_level(Some(key), choice);
        }
        if let Some((file, row, level)) = chosen {
            command = self.choose_level(&file, row, level);
        }
        command
    }
}

const OTHER_LEVEL_CHOICES: [OtherLevel; 4] = [
    OtherLevel::Ask,
    OtherLevel::AddSecond,
    OtherLevel::Move,
    OtherLevel::Skip,
];

fn other_level_label(lang: Lang, choice: OtherLevel) -> &'static str {
    match choice {
        OtherLevel::Ask => tr(lang, "Chưa quyết (không nhập)", "Undecided (not imported)"),
        OtherLevel::AddSecond => tr(lang, "Thêm ở cấp mới", "Add at the new level"),
        OtherLevel::Move => tr(lang, "Chuyển cấp", "Move to the new level"),
        OtherLevel::Skip => tr(lang, "Bỏ qua", "Skip"),
    }
}

/// What a row whose code stands at another level becomes: a choice.
fn other_level_ui(ui: &mut egui::Ui, lang: Lang, row: &OtherLevelRow) -> Option<OtherLevel> {
    let mut selected = row.choice;
    let existing: Vec<&str> = row
        .existing
        .iter()
        .map(|(l, _)| level_label(lang, *l))
        .collect();
    egui::ComboBox::from_id_salt(("other_level", &row.file, row.row, row.level))
        .selected_text(other_level_label(lang, row.choice))
        .show_ui(ui, |ui| {
            for choice in OTHER_LEVEL_CHOICES {
                // A code at several other levels cannot move: which entry would?
                if choice == OtherLevel::Move && row.moved.is_none() {
                    continue;
                }
                ui.selectable_value(&mut selected, choice, other_level_label(lang, choice));
            }
        })
        .response
        .on_hover_text(format!(
            "{} {} · {} {}",
            tr(lang, "Đã có ở", "Already at"),
            existing.join(", "),
            tr(lang, "tệp ghi", "the file says"),
            level_label(lang, row.level)
        ));
    (selected != row.choice).then_some(selected)
}

/// A level for a row that does not say its own.
fn row_level_ui(ui: &mut egui::Ui, lang: Lang, row: &SkippedRow) -> Option<Level> {
    let mut selected = None;
    egui::ComboBox::from_id_salt(("held_level", &row.file, row.row))
        .selected_text(tr(lang, "Chọn cấp…", "Choose…"))
        .show_ui(ui, |ui| {
            for level in Level::ALL {
                ui.selectable_value(&mut selected, Some(level), level_label(lang, level));
            }
        })
        .response
        .on_hover_text(row.reason.message(lang));
    selected
}

/// What an import wrote, for the status bar: "Đã nhập: 2 thêm mới, 1 cập nhật, …".
pub fn written_summary(
    lang: Lang,
    applied: &crate::store::AppliedBatch,
    plan: &ImportPlan,
) -> String {
    format!(
        "{}: {}",
        tr(lang, "Đã nhập", "Imported"),
        counts(&[
            (applied.created.len(), tr(lang, "thêm mới", "added")),
            (applied.updated, tr(lang, "cập nhật", "updated")),
            (applied.retired, tr(lang, "rút khỏi danh mục", "retired")),
            (documents_written(plan), tr(lang, "văn bản", "documents")),
        ])
    )
}

/// Legal documents an applied plan adds or updates.
fn documents_written(plan: &ImportPlan) -> usize {
    plan.documents_added.len() + plan.documents_updated.len()
}

/// "2 thêm mới, 1 cập nhật".
fn counts(parts: &[(usize, &str)]) -> String {
    parts
        .iter()
        .map(|(count, what)| format!("{count} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The last column of a preview row: text, or a choice the officer may make.
enum LastCell<'a> {
    Text(String),
    /// The level of a new row, which may be changed when the file did not give it.
    Level(&'a PlannedAdd),
    /// A level for a row that does not say its own.
    RowLevel(&'a SkippedRow),
    /// What a row whose code stands at another level becomes.
    Other(&'a OtherLevelRow),
}

/// One row of the preview, whatever its tab.
struct PreviewRow<'a> {
    place: Option<(&'a str, usize)>,
    code: &'a str,
    /// The name, or the reason a row was rejected, or a warning.
    text: Cow<'a, str>,
    /// More, on hover: an update's changes, old → new.
    detail: String,
    error: bool,
    last: LastCell<'a>,
}

fn preview_row(plan: &ImportPlan, tab: PreviewTab, index: usize, lang: Lang) -> PreviewRow<'_> {
    fn plain<'a>(place: Option<(&'a str, usize)>, code: &'a str, text: &'a str) -> PreviewRow<'a> {
        PreviewRow {
            place,
            code,
            text: Cow::Borrowed(text),
            detail: String::new(),
            error: false,
            last: LastCell::Text(String::new()),
        }
    }
    match tab {
        PreviewTab::Added => {
            let add = &plan.added[index];
            PreviewRow {
                last: LastCell::Level(add),
                ..plain(Some((&add.file, add.row)), &add.data.code, &add.data.name)
            }
        }
        PreviewTab::Updated => {
            let update = &plan.updated[index];
            let fields = update
                .fields()
                .map(|f: ProcedureField| f.header_vi())
                .collect::<Vec<_>>()
                .join(", ");
            let detail = update
                .changes
                .iter()
                .map(|c| {
                    let cut = |t: &str| -> String {
                        let short: String = t.chars().take(200).collect();
                        if short.len() < t.len() {
                            format!("{short}…")
                        } else {
                            short
                        }
                    };
                    format!(
                        "{}: {} → {}",
                        crate::gui::i18n::field_label(lang, c.field),
                        cut(&c.old),
                        cut(&c.new)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            PreviewRow {
                detail,
                last: LastCell::Text(format!(
                    "{} · {fields}",
                    level_label(lang, update.data.level_or_province())
                )),
                ..plain(
                    Some((&update.file, update.row)),
                    &update.data.code,
                    &update.data.name,
                )
            }
        }
        PreviewTab::Unchanged => {
            let (file, row) = &plan.unchanged[index];
            plain(Some((file, *row)), "", "")
        }
        PreviewTab::Rejected => {
            let rejection = &plan.rejected[index];
            PreviewRow {
                error: true,
                text: Cow::Owned(rejection.problem.message(lang)),
                ..plain(Some((&rejection.file, rejection.row)), "", "")
            }
        }
        PreviewTab::LevelUnknown => {
            let held = &plan.level_unknown[index];
            PreviewRow {
                last: LastCell::RowLevel(held),
                ..plain(Some((&held.file, held.row)), &held.code, &held.name)
            }
        }
        PreviewTab::Skipped => {
            let skipped = &plan.skipped[index];
            PreviewRow {
                last: LastCell::Text(skipped.reason.message(lang)),
                ..plain(
                    Some((&skipped.file, skipped.row)),
                    &skipped.code,
                    &skipped.name,
                )
            }
        }
        PreviewTab::OtherLevel => {
            let other = &plan.other_level[index];
            PreviewRow {
                last: LastCell::Other(other),
                ..plain(
                    Some((&other.file, other.row)),
                    &other.data.code,
                    &other.data.name,
                )
            }
        }
        PreviewTab::Retired => {
            let retire = &plan.retired[index];
            PreviewRow {
                last: LastCell::Text(level_label(lang, retire.level).to_owned()),
                ..plain(None, &retire.code, &retire.name)
            }
        }
        PreviewTab::Warnings => {
            let warning = &plan.warnings[index];
            PreviewRow {
                text: Cow::Owned(warning.notice.message(lang)),
                ..plain(Some((&warning.file, warning.row)), "", "")
            }
        }
    }
}

/// "  12 file.xlsx": the row number first, so a narrow column still shows it.
fn place(ui: &mut egui::Ui, file: &str, row: usize) {
    ui.label(
        RichText::new(format!("{row:>6}  {file}"))
            .monospace()
            .weak(),
    )
    .on_hover_text(format!("{file}, row {row}"));
}

/// A new row's level: a choice when the file did not give it, else plain text. (An update
/// keeps the level it was matched by: changing it would make it another entry.)
fn level_ui(ui: &mut egui::Ui, lang: Lang, add: &PlannedAdd) -> Option<Level> {
    let current = add.data.level_or_province();
    if !add.level_source.changeable() {
        ui.label(level_label(lang, current));
        return None;
    }
    let mut selected = current;
    let hint = match add.level_source {
        LevelSource::Inferred => tr(lang, "đoán", "inferred"),
        LevelSource::Chosen => tr(lang, "đã chọn", "chosen"),
        LevelSource::Group => tr(lang, "theo nhóm", "group"),
        _ => tr(lang, "chung", "option"),
    };
    egui::ComboBox::from_id_salt(("row_level", &add.file, add.row))
        .selected_text(format!("{} ({hint})", level_label(lang, current)))
        .show_ui(ui, |ui| {
            for level in Level::ALL {
                ui.selectable_value(&mut selected, level, level_label(lang, level));
            }
        })
        .response
        .on_hover_text(format!(
            "{} {}:{}",
            tr(lang, "Cấp thực hiện của dòng", "Level of row"),
            add.file,
            add.row
        ));
    (selected != current).then_some(selected)
}
