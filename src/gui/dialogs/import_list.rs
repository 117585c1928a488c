//! File → Import…: choose a list, see what the import would do — added, updated, unchanged,
//! rejected with row numbers and reasons — change the level of rows whose file does not say
//! it, then write it all in one transaction. Reading and writing run off the UI thread, with
//! a progress bar, so the window stays responsive on large files.

use std::path::PathBuf;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::{Level, ProcedureField};
use crate::gui::command::{Command, Dialog};
use crate::gui::i18n::{Lang, level_label, tr};
use crate::gui::widgets::{path_field, progress_bar};
use crate::import::{ImportOptions, ImportPlan, LevelSource, PlannedAdd, planned_changes};
use crate::progress::Progress;

/// Which rows of the preview are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreviewTab {
    Added,
    Updated,
    Unchanged,
    Rejected,
    Retired,
    Warnings,
}

impl PreviewTab {
    const ALL: [PreviewTab; 6] = [
        PreviewTab::Added,
        PreviewTab::Updated,
        PreviewTab::Unchanged,
        PreviewTab::Rejected,
        PreviewTab::Retired,
        PreviewTab::Warnings,
    ];

    fn label(self, lang: Lang) -> &'static str {
        match self {
            PreviewTab::Added => tr(lang, "Thêm mới", "Added"),
            PreviewTab::Updated => tr(lang, "Cập nhật", "Updated"),
            PreviewTab::Unchanged => tr(lang, "Không đổi", "Unchanged"),
            PreviewTab::Rejected => tr(lang, "Bị từ chối", "Rejected"),
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
            PreviewTab::Retired => plan.retired.len(),
            PreviewTab::Warnings => plan.warnings.len(),
        }
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
                && (plan.rejected.is_empty() || plan.options.skip_invalid)
                && planned_changes(plan) + documents_written(plan) > 0
        })
    }

    /// A new plan: a first preview opens on the first tab with rows, rejected ones first;
    /// a new one (a level changed) stays where the officer is.
    pub fn planned(&mut self, plan: ImportPlan) {
        let keep = self.plan.is_some() && self.tab.count(&plan) > 0;
        self.tab = if keep {
            self.tab
        } else if plan.rejected.is_empty() {
            PreviewTab::ALL
                .into_iter()
                .find(|tab| tab.count(&plan) > 0)
                .unwrap_or(PreviewTab::Added)
        } else {
            PreviewTab::Rejected
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
                "Bỏ qua các dòng bị từ chối, nhập các dòng còn lại",
                "Skip the rejected rows, import the others",
            ),
        );
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
        if levels.inferred + levels.from_option + levels.chosen > 0 {
            ui.label(format!(
                "{}: {}",
                tr(lang, "Cấp thực hiện", "Levels"),
                counts(&[
                    (
                        levels.inferred,
                        tr(lang, "đoán theo cơ quan", "inferred from the agency"),
                    ),
                    (
                        levels.from_option,
                        tr(lang, "theo lựa chọn chung", "from the option"),
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
                let text = if tab == PreviewTab::Rejected && tab.count(plan) > 0 {
                    RichText::new(text).color(ui.visuals().error_fg_color)
                } else {
                    RichText::new(text)
                };
                ui.selectable_value(&mut self.tab, tab, text);
            }
        });
        let rows = self.tab.count(plan);
        let row_height = ui.spacing().interact_size.y + 4.0;
        let mut chosen: Option<(String, usize, Level)> = None;
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
                            RichText::new(line.text).color(error_color)
                        } else {
                            RichText::new(line.text)
                        };
                        ui.label(text).on_hover_text(line.text);
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
                    });
                });
            });
        let (file, row, level) = chosen?;
        self.choose_level(&file, row, level)
    }
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

/// The last column of a preview row: text, or the level of a new row, which may be changed.
enum LastCell<'a> {
    Text(String),
    Level(&'a PlannedAdd),
}

/// One row of the preview, whatever its tab.
struct PreviewRow<'a> {
    place: Option<(&'a str, usize)>,
    code: &'a str,
    /// The name, or the reason a row was rejected, or a warning.
    text: &'a str,
    error: bool,
    last: LastCell<'a>,
}

fn preview_row(plan: &ImportPlan, tab: PreviewTab, index: usize, lang: Lang) -> PreviewRow<'_> {
    let plain = |place, code, text| PreviewRow {
        place,
        code,
        text,
        error: false,
        last: LastCell::Text(String::new()),
    };
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
                .fields
                .iter()
                .map(|f: &ProcedureField| f.header_vi())
                .collect::<Vec<_>>()
                .join(", ");
            PreviewRow {
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
                ..plain(
                    Some((&rejection.file, rejection.row)),
                    "",
                    &rejection.reason,
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
            plain(Some((&warning.file, warning.row)), "", &warning.message)
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
