//! File → Export…: the published list, a decision annex, or a report of the diff on screen,
//! to .xlsx or .csv. The file is written off the UI thread; the dialog says where it went.

use std::path::{Path, PathBuf};

use crate::export::{ExportKind, ExportSummary};
use crate::gui::command::{Command, Dialog, ExportChoice};
use crate::gui::i18n::{Lang, side_label, tr};
use crate::gui::widgets::path_field;
use crate::store::{Revision, WORKING};

/// The choice as the dialog offers it (the dialog is the only place that names it).
fn export_choice_label(lang: Lang, choice: ExportChoice) -> &'static str {
    match choice {
        ExportChoice::List => tr(lang, "Danh mục công bố", "Published list"),
        ExportChoice::Annex => tr(lang, "Phụ lục quyết định", "Decision annex"),
        ExportChoice::DiffReport => tr(lang, "Báo cáo so sánh", "Diff report"),
    }
}

/// The file name an export gets unless the officer types another.
fn file_stem(choice: ExportChoice) -> &'static str {
    match choice {
        ExportChoice::List => "danh-muc-thu-tuc",
        ExportChoice::Annex => "phu-luc-quyet-dinh",
        ExportChoice::DiffReport => "bao-cao-so-sanh",
    }
}

pub struct ExportDialog {
    pub choice: ExportChoice,
    /// `working` or a revision's name.
    pub source: String,
    /// The published revision an annex compares with; empty: the last one published.
    pub since: String,
    /// The sides of the diff on screen, which a report can be made of.
    pub diff: Option<(String, String)>,
    pub path: String,
    pub csv: bool,
    pub error: Option<String>,
    /// What the last export wrote.
    pub done: Option<String>,
    folder: PathBuf,
    revisions: Vec<Revision>,
}

impl ExportDialog {
    /// Files go beside the catalogue unless the officer says otherwise.
    pub fn new(
        catalogue: &Path,
        revisions: Vec<Revision>,
        diff: Option<(String, String)>,
    ) -> ExportDialog {
        let catalogue = std::path::absolute(catalogue).unwrap_or_else(|_| catalogue.to_owned());
        let folder = catalogue
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned);
        let mut dialog = ExportDialog {
            choice: ExportChoice::List,
            source: WORKING.to_owned(),
            since: String::new(),
            diff,
            path: String::new(),
            csv: false,
            error: None,
            done: None,
            folder,
            revisions,
        };
        dialog.path = dialog.default_path();
        dialog
    }

    /// Opens on the diff on screen: its report, or the annex of its newer side.
    pub fn for_diff(
        catalogue: &Path,
        revisions: Vec<Revision>,
        old: String,
        new: String,
        choice: ExportChoice,
    ) -> ExportDialog {
        let mut dialog = ExportDialog::new(catalogue, revisions, Some((old.clone(), new.clone())));
        dialog.choice = choice;
        if choice == ExportChoice::Annex {
            dialog.source = new;
            dialog.since = old;
        }
        dialog.path = dialog.default_path();
        dialog
    }

    fn default_path(&self) -> String {
        let extension = if self.csv { "csv" } else { "xlsx" };
        self.folder
            .join(format!("{}.{extension}", file_stem(self.choice)))
            .display()
            .to_string()
    }

    /// The export the dialog describes.
    pub fn kind(&self) -> ExportKind {
        let revision = (self.source != WORKING).then(|| self.source.clone());
        match self.choice {
            ExportChoice::List => ExportKind::List { revision },
            ExportChoice::Annex => ExportKind::Annex {
                revision,
                since: (!self.since.is_empty()).then(|| self.since.clone()),
            },
            ExportChoice::DiffReport => {
                let (old, new) = self.diff.clone().unwrap_or_default();
                ExportKind::DiffReport { old, new }
            }
        }
    }

    /// The export's result: where it went, or what went wrong (in the window's language).
    pub fn finished(&mut self, lang: Lang, result: Result<ExportSummary, String>) {
        match result {
            Ok(summary) => {
                self.error = None;
                let mut done = format!(
                    "{} {} {} → {}",
                    tr(lang, "Đã xuất", "Exported"),
                    summary.procedures,
                    tr(lang, "thủ tục", "procedures"),
                    summary.output.display()
                );
                if let Some(documents) = &summary.documents_file {
                    done.push_str(&format!(
                        "\n{} → {}",
                        tr(
                            lang,
                            "Văn bản pháp luật (ngày hết hiệu lực, văn bản thay thế); để cùng thư mục khi nhập lại",
                            "Legal documents (repeals, replacements); keep beside the list to import it back"
                        ),
                        documents.display()
                    ));
                }
                self.done = Some(done);
            }
            Err(error) => {
                self.done = None;
                self.error = Some(error);
            }
        }
    }

    /// `busy` while an export is being written: the button waits, a spinner turns.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang, busy: bool, commands: &mut Vec<Command>) {
        let mut action = None;
        let previous = (self.choice, self.csv, self.default_path());
        let modal = egui::Modal::new(egui::Id::unique("export_dialog")).show(ctx, |ui| {
            ui.set_width(620.0);
            ui.heading(tr(lang, "Xuất tệp", "Export"));
            ui.horizontal(|ui| {
                for choice in [ExportChoice::List, ExportChoice::Annex] {
                    ui.radio_value(&mut self.choice, choice, export_choice_label(lang, choice));
                }
                ui.add_enabled_ui(self.diff.is_some(), |ui| {
                    ui.radio_value(
                        &mut self.choice,
                        ExportChoice::DiffReport,
                        export_choice_label(lang, ExportChoice::DiffReport),
                    )
                    .on_disabled_hover_text(tr(
                        lang,
                        "So sánh hai bản trong mục Phiên bản trước",
                        "Compare two sides under Revisions first",
                    ));
                });
            });
            ui.add_space(4.0);
            egui::Grid::new("export_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    match self.choice {
                        ExportChoice::List | ExportChoice::Annex => {
                            let label = ui.label(tr(lang, "Bản", "Version")).id;
                            egui::ComboBox::from_id_salt("export_source")
                                .selected_text(side_label(lang, &self.source))
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(
                                        &mut self.source,
                                        WORKING.to_owned(),
                                        side_label(lang, WORKING),
                                    );
                                    for revision in &self.revisions {
                                        ui.selectable_value(
                                            &mut self.source,
                                            revision.name.clone(),
                                            &revision.name,
                                        );
                                    }
                                })
                                .response
                                .labelled_by(label);
                            ui.end_row();
                        }
                        ExportChoice::DiffReport => {
                            ui.label(tr(lang, "So sánh", "Diff"));
                            if let Some((old, new)) = &self.diff {
                                ui.label(format!(
                                    "{} → {}",
                                    side_label(lang, old),
                                    side_label(lang, new)
                                ));
                            }
                            ui.end_row();
                        }
                    }
                    if self.choice == ExportChoice::Annex {
                        let label = ui.label(tr(lang, "So với bản đã công bố", "Against")).id;
                        let automatic = tr(lang, "Bản công bố gần nhất", "Last published");
                        egui::ComboBox::from_id_salt("export_since")
                            .selected_text(if self.since.is_empty() {
                                automatic.to_owned()
                            } else {
                                self.since.clone()
                            })
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut self.since, String::new(), automatic);
                                for revision in
                                    self.revisions.iter().filter(|r| r.published.is_some())
                                {
                                    ui.selectable_value(
                                        &mut self.since,
                                        revision.name.clone(),
                                        &revision.name,
                                    );
                                }
                            })
                            .response
                            .labelled_by(label);
                        ui.end_row();
                    }
                    ui.label(tr(lang, "Định dạng", "Format"));
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut self.csv, false, "Excel (.xlsx)");
                        ui.radio_value(&mut self.csv, true, "CSV (UTF-8)");
                    });
                    ui.end_row();
                });
            let csv = self.csv;
            let entered = path_field(
                ui,
                lang,
                tr(lang, "Lưu vào tệp", "Save as"),
                &mut self.path,
                "export_path",
                &mut self.error,
                || {
                    rfd::FileDialog::new()
                        .add_filter(
                            if csv { "CSV" } else { "Excel" },
                            &[if csv { "csv" } else { "xlsx" }],
                        )
                        .save_file()
                },
            );
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            if let Some(done) = &self.done {
                ui.colored_label(egui::Color32::from_rgb(90, 170, 90), done);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let ready = !busy && !self.path.trim().is_empty();
                if (ui
                    .add_enabled(ready, egui::Button::new(tr(lang, "Xuất", "Export")))
                    .clicked()
                    || (entered && ready))
                    && action.is_none()
                {
                    self.done = None;
                    self.error = None;
                    action = Some(Command::Export {
                        kind: self.kind(),
                        output: PathBuf::from(self.path.trim()),
                    });
                }
                if busy {
                    ui.spinner();
                    if ui.button(tr(lang, "Dừng", "Stop")).clicked() {
                        action = Some(Command::CancelJob);
                    }
                }
                if ui.button(tr(lang, "Đóng", "Close")).clicked() {
                    action = Some(Command::CloseDialog(Dialog::Export));
                }
            });
        });
        // A path the officer has not touched follows the choice and the format.
        if (self.choice, self.csv) != (previous.0, previous.1) {
            // A message about the previous choice no longer applies.
            self.error = None;
            self.done = None;
            if self.path == previous.2 {
                self.path = self.default_path();
            }
        }
        if modal.should_close() && action.is_none() && !busy {
            action = Some(Command::CloseDialog(Dialog::Export));
        }
        commands.extend(action);
    }
}
