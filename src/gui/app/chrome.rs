//! The window's frame: the menu bar (made from the action table), the toolbar with the view
//! switch and the search, and the status bar.

use super::CatalogueApp;
use crate::gui::command::{ACTIONS, Action, Command, Menu, Mode};
use crate::gui::i18n::{Lang, tr};
use crate::gui::views::procedure_form::ProcedureForm;

impl CatalogueApp {
    /// Whether an action of the menu may run now.
    fn enabled(&self, action: &Action) -> bool {
        let loaded = self.catalogue.is_some();
        let dirty = self.form.as_ref().is_some_and(ProcedureForm::is_dirty);
        match (action.command)() {
            Command::ShowImport | Command::NewProcedure => self.writable(),
            Command::ShowExport(_) => loaded,
            Command::Undo => self.writable() && !self.is_writing() && self.undo_text().is_some(),
            Command::Redo => self.writable() && !self.is_writing() && self.redo_text().is_some(),
            Command::Save => dirty && self.writable(),
            Command::Revert => dirty,
            Command::ShowRetire => self.selected.is_some() && self.writable(),
            _ => true,
        }
    }

    fn undo_text(&self) -> Option<String> {
        self.catalogue.as_ref()?.undo_summary().ok().flatten()
    }

    fn redo_text(&self) -> Option<String> {
        self.catalogue.as_ref()?.redo_summary().ok().flatten()
    }

    /// An action's menu entry: its label (Undo and Redo say what they would undo), its
    /// first shortcut, a tick for the panels shown.
    fn menu_item(&mut self, ui: &mut egui::Ui, action: &Action) {
        let lang = self.lang();
        let command = (action.command)();
        let mut text = action.label(lang).to_owned();
        let detail = match command {
            Command::Undo => self.undo_text(),
            Command::Redo => self.redo_text(),
            _ => None,
        };
        if let Some(detail) = detail {
            text = format!("{text} «{detail}»");
        }
        let ticked = match command {
            Command::ToggleFilters => Some(self.settings.show_filters),
            Command::ToggleForm => Some(self.settings.show_form),
            _ => None,
        };
        if let Some(ticked) = ticked {
            let mut on = ticked;
            if ui.checkbox(&mut on, text).changed() {
                self.queue.push(command);
            }
            return;
        }
        let mut button = egui::Button::new(text);
        if let Some(key) = action.keys.first() {
            button = button.shortcut_text(ui.ctx().format_shortcut(key));
        }
        if ui.add_enabled(self.enabled(action), button).clicked() {
            self.queue.push(command);
            ui.close();
        }
    }

    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                ui.menu_button(menu.label(lang), |ui| {
                    let mut group = None;
                    for action in ACTIONS
                        .iter()
                        .filter(|a| a.menu.is_some_and(|(m, _)| m == menu))
                    {
                        let this_group = action.menu.map(|(_, g)| g);
                        if group.is_some() && group != this_group {
                            ui.separator();
                        }
                        group = this_group;
                        self.menu_item(ui, action);
                        if (action.command)() == Command::ShowOpen {
                            self.recent_menu_ui(ui, lang);
                        }
                    }
                    if menu == Menu::View {
                        ui.separator();
                        for (choice, name) in [(Lang::Vi, "Tiếng Việt"), (Lang::En, "English")]
                        {
                            if ui.radio(self.settings.lang == choice, name).clicked() {
                                self.queue.push(Command::SetLang(choice));
                            }
                        }
                    }
                });
            }
        });
    }

    fn recent_menu_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.menu_button(tr(lang, "Mở gần đây", "Open recent"), |ui| {
            if self.settings.recent.is_empty() {
                ui.label(tr(lang, "(chưa có)", "(none)"));
            }
            for path in &self.settings.recent {
                if ui.button(path.display().to_string()).clicked() {
                    self.queue.push(Command::Open(path.clone()));
                }
            }
        });
    }

    pub(super) fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        ui.horizontal(|ui| {
            let audit_label = match self.audit.report() {
                Some(_) => format!(
                    "{} ({})",
                    tr(lang, "Rà soát", "Audit"),
                    self.audit.listed_total()
                ),
                None => tr(lang, "Rà soát", "Audit").to_owned(),
            };
            for (mode, label) in [
                (
                    Mode::Catalogue,
                    tr(lang, "Danh mục", "Catalogue").to_owned(),
                ),
                (
                    Mode::Revisions,
                    tr(lang, "Phiên bản và so sánh", "Revisions and diff").to_owned(),
                ),
                (Mode::Audit, audit_label),
                (
                    Mode::Documents,
                    tr(lang, "Văn bản pháp luật", "Legal documents").to_owned(),
                ),
                (
                    Mode::TwoLevel,
                    tr(lang, "Chính quyền 2 cấp", "Two-level government").to_owned(),
                ),
                (
                    Mode::Merge,
                    tr(lang, "Gộp tỉnh", "Merge provinces").to_owned(),
                ),
                (
                    Mode::Simplify,
                    tr(lang, "Đơn giản hóa", "Simplification").to_owned(),
                ),
                (
                    Mode::Dashboard,
                    tr(lang, "Tổng quan", "Dashboard").to_owned(),
                ),
            ] {
                if ui.selectable_label(self.mode == mode, label).clicked() {
                    self.queue.push(Command::SetMode(mode));
                }
            }
            ui.separator();
            if self.mode != Mode::Catalogue {
                return;
            }
            let label = ui.label(tr(lang, "Tìm kiếm", "Search")).id;
            let mut search = self.view.search().to_owned();
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut search)
                        .hint_text(tr(
                            lang,
                            "mã, tên, cơ quan, lĩnh vực — không cần dấu",
                            "code, name, agency, field — diacritics optional",
                        ))
                        // What the view tabs leave, keeping room for the New button.
                        .desired_width((ui.available_width() - 170.0).clamp(160.0, 360.0))
                        .id_salt("search"),
                )
                .labelled_by(label);
            if self.focus_search {
                response.request_focus();
                self.focus_search = false;
            }
            if response.changed() {
                self.queue.push(Command::SetSearch(search));
            }
            if !self.view.search().is_empty() && ui.button(tr(lang, "Xóa", "Clear")).clicked() {
                self.queue.push(Command::SetSearch(String::new()));
            }
            ui.separator();
            if ui
                .add_enabled(
                    self.writable(),
                    egui::Button::new(tr(lang, "+ Thêm thủ tục", "+ New procedure")),
                )
                .clicked()
            {
                self.queue.push(Command::NewProcedure);
            }
        });
    }

    pub(super) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        ui.horizontal(|ui| {
            ui.label(self.path.display().to_string());
            if self.read_only() {
                ui.label(
                    egui::RichText::new(tr(lang, "chỉ đọc", "read-only"))
                        .color(ui.visuals().warn_fg_color),
                );
            }
            if self.catalogue.is_some() {
                ui.separator();
                ui.label(self.two_level.government.label_vi());
            }
            ui.separator();
            ui.label(format!(
                "{} {} / {} {}",
                tr(lang, "Hiển thị", "Showing"),
                self.view.shown_len(),
                self.view.total(),
                tr(lang, "thủ tục", "procedures")
            ));
            if self.form.as_ref().is_some_and(ProcedureForm::is_dirty) {
                ui.separator();
                ui.label(
                    egui::RichText::new(tr(lang, "● Chưa lưu", "● Unsaved"))
                        .color(ui.visuals().warn_fg_color),
                );
            }
            if let Some((path, job)) = &self.jobs.open {
                ui.separator();
                ui.add(egui::Spinner::new());
                ui.add(
                    egui::ProgressBar::new(job.progress().fraction().unwrap_or(0.0))
                        .desired_width(160.0)
                        .show_percentage(),
                );
                ui.label(format!(
                    "{} {}",
                    tr(lang, "Đang mở", "Opening"),
                    path.display()
                ));
            }
            if let Some((_, job)) = &self.jobs.batch {
                ui.separator();
                ui.add(egui::Spinner::new());
                if job.progress().phase() == crate::progress::Phase::WaitingForWriter {
                    ui.label(
                        egui::RichText::new(format!(
                            "{}…",
                            crate::gui::i18n::phase_label(
                                lang,
                                crate::progress::Phase::WaitingForWriter
                            )
                        ))
                        .color(ui.visuals().warn_fg_color),
                    );
                    if ui.small_button(tr(lang, "Dừng", "Stop")).clicked() {
                        self.queue.push(Command::CancelJob);
                    }
                } else {
                    ui.label(tr(lang, "Đang ghi…", "Writing…"));
                }
            }
            if !self.last_action.is_empty() {
                ui.separator();
                ui.label(&self.last_action);
            }
        });
    }
}
