//! The main window: menu bar and toolbar, filters on the left, the table in the centre, the
//! selected procedure's form on the right, a status bar; the Revisions and Audit views.
//! Views and dialogs push [`Command`]s while they draw; `commands` runs them after drawing,
//! the only place that changes the catalogue. `jobs` polls the background work, `chrome`
//! draws the menu, toolbar and status bar, `modals` the dialogs.

mod chrome;
mod commands;
mod jobs;
mod modals;
mod restructure;
mod simplify;
mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use self::jobs::Jobs;
use self::modals::Dialogs;
use super::command::{Command, KeyContext, Mode, keyboard_commands};
use super::i18n::Lang;
use super::model::CatalogueView;
use super::views::compare::RevisionsPanel;
use super::views::dashboard::DashboardPanel;
use super::views::documents::DocumentsPanel;
use super::views::facets::FiltersPanel;
use super::views::findings::AuditPanel;
use super::views::merge::MergePanel;
use super::views::procedure_form::ProcedureForm;
use super::views::simplify::SimplifyPanel;
use super::views::two_level::TwoLevelPanel;
use super::widgets::{side_panel, side_panel_max};
use crate::domain::LegalDocument;
use crate::store::{Access, Catalogue};

const RECENT_FILES: usize = 8;
const SETTINGS_KEY: &str = "procedure-catalogue-settings";

/// What is remembered between sessions (the window's size and place eframe keeps itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub recent: Vec<PathBuf>,
    pub show_filters: bool,
    pub show_form: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::Vi,
            recent: Vec::new(),
            show_filters: true,
            show_form: true,
        }
    }
}

pub struct CatalogueApp {
    settings: Settings,
    path: PathBuf,
    catalogue: Option<Catalogue>,
    load_error: Option<String>,
    view: CatalogueView,
    documents: BTreeMap<String, LegalDocument>,
    selected: Option<i64>,
    form: Option<ProcedureForm>,
    filters: FiltersPanel,
    /// A row to scroll into view on the next frame.
    scroll_to: Option<usize>,
    /// The last thing done, for the status bar.
    last_action: String,
    dialogs: Dialogs,
    /// A command waiting for the officer to save or drop the form's changes.
    pending: Option<Command>,
    focus_search: bool,
    repaint: Option<egui::Context>,
    mode: Mode,
    revisions: RevisionsPanel,
    audit: AuditPanel,
    document_list: DocumentsPanel,
    two_level: TwoLevelPanel,
    merge: MergePanel,
    simplify: SimplifyPanel,
    dashboard: DashboardPanel,
    /// The catalogue changed since the last audit: run it again when the current one ends.
    audit_stale: bool,
    jobs: Jobs,
    /// Commands pushed while drawing, run after.
    queue: Vec<Command>,
    /// What the status bar says once the reload after an import is done.
    pending_status: Option<String>,
    /// Where the window last saw the file, to notice other programs' commits.
    watch: Option<watch::Watch>,
    /// A reload under way because another program changed the file: what to tell.
    outside_change: Option<String>,
}

impl CatalogueApp {
    pub fn new(cc: &eframe::CreationContext<'_>, path: PathBuf) -> CatalogueApp {
        super::fonts::install(&cc.egui_ctx);
        let settings: Settings = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, SETTINGS_KEY))
            .unwrap_or_default();
        let mut app = CatalogueApp {
            settings,
            path: path.clone(),
            catalogue: None,
            load_error: None,
            view: CatalogueView::default(),
            documents: BTreeMap::new(),
            selected: None,
            form: None,
            filters: FiltersPanel::default(),
            scroll_to: None,
            last_action: String::new(),
            dialogs: Dialogs::default(),
            pending: None,
            focus_search: false,
            repaint: Some(cc.egui_ctx.clone()),
            mode: Mode::Catalogue,
            revisions: RevisionsPanel::default(),
            audit: AuditPanel::default(),
            document_list: DocumentsPanel::default(),
            two_level: TwoLevelPanel::default(),
            merge: MergePanel::default(),
            simplify: SimplifyPanel::default(),
            dashboard: DashboardPanel::default(),
            audit_stale: false,
            jobs: Jobs::default(),
            queue: Vec::new(),
            pending_status: None,
            watch: None,
            outside_change: None,
        };
        app.start_loading(path);
        app
    }

    // ---- read access, for tests and the benchmark ----

    pub fn is_loading(&self) -> bool {
        self.jobs.open.is_some()
    }

    pub fn view(&self) -> &CatalogueView {
        &self.view
    }

    pub fn view_mut(&mut self) -> &mut CatalogueView {
        &mut self.view
    }

    pub fn error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    pub fn selected(&self) -> Option<i64> {
        self.selected
    }

    pub fn form(&self) -> Option<&ProcedureForm> {
        self.form.as_ref()
    }

    pub fn form_mut(&mut self) -> Option<&mut ProcedureForm> {
        self.form.as_mut()
    }

    pub fn catalogue(&self) -> Option<&Catalogue> {
        self.catalogue.as_ref()
    }

    pub fn last_action(&self) -> &str {
        &self.last_action
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn revisions_panel(&self) -> &RevisionsPanel {
        &self.revisions
    }

    pub fn is_comparing(&self) -> bool {
        self.jobs.diff.is_some()
    }

    pub fn audit_panel(&self) -> &AuditPanel {
        &self.audit
    }

    pub fn documents_panel(&self) -> &DocumentsPanel {
        &self.document_list
    }

    pub fn documents_panel_mut(&mut self) -> &mut DocumentsPanel {
        &mut self.document_list
    }

    pub fn two_level_panel(&self) -> &TwoLevelPanel {
        &self.two_level
    }

    pub fn two_level_panel_mut(&mut self) -> &mut TwoLevelPanel {
        &mut self.two_level
    }

    pub fn merge_panel(&self) -> &MergePanel {
        &self.merge
    }

    pub fn simplify_panel(&self) -> &SimplifyPanel {
        &self.simplify
    }

    pub fn simplify_panel_mut(&mut self) -> &mut SimplifyPanel {
        &mut self.simplify
    }

    pub fn dashboard_panel(&self) -> &DashboardPanel {
        &self.dashboard
    }

    /// An audit is running, or will run as soon as the file is open.
    pub fn is_auditing(&self) -> bool {
        self.jobs.audit.is_some() || self.audit_stale || self.jobs.open.is_some()
    }

    /// No background work running or due: what the tests wait for before they look.
    pub fn is_idle(&self) -> bool {
        !self.jobs.any_running() && !self.audit_stale
    }

    /// An import is being planned or written, or an undo or redo is being written.
    pub fn is_writing(&self) -> bool {
        self.jobs.import_plan.is_some()
            || self.jobs.import_write.is_some()
            || self.jobs.batch.is_some()
            || self.jobs.two_level_write.is_some()
            || self.jobs.merge_write.is_some()
    }

    /// An export is being written.
    pub fn is_exporting(&self) -> bool {
        self.jobs.export.is_some()
    }

    pub fn import_dialog(&self) -> Option<&super::dialogs::import_list::ImportDialog> {
        self.dialogs.import.as_ref()
    }

    pub fn import_dialog_mut(&mut self) -> Option<&mut super::dialogs::import_list::ImportDialog> {
        self.dialogs.import.as_mut()
    }

    pub fn export_dialog(&self) -> Option<&super::dialogs::export_file::ExportDialog> {
        self.dialogs.export.as_ref()
    }

    pub fn export_dialog_mut(&mut self) -> Option<&mut super::dialogs::export_file::ExportDialog> {
        self.dialogs.export.as_mut()
    }

    /// Runs a command now, as if pushed by a view (tests and the benchmark drive the window
    /// through it).
    pub fn run(&mut self, command: Command) {
        self.run_guarded(command);
    }

    fn lang(&self) -> Lang {
        self.settings.lang
    }

    fn read_only(&self) -> bool {
        self.catalogue
            .as_ref()
            .is_some_and(|c| c.access() == Access::ReadOnly)
    }

    fn writable(&self) -> bool {
        self.catalogue.is_some() && !self.read_only()
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(RECENT_FILES);
    }

    /// The keys pressed this frame, as commands; none while a dialog has the keyboard.
    fn read_keyboard(&mut self, ctx: &egui::Context) {
        if self.dialogs.any_open() || self.pending.is_some() {
            return;
        }
        let context = KeyContext {
            typing: ctx.memory(|m| m.focused().is_some()),
            mode: self.mode,
        };
        let commands = ctx.input_mut(|input| keyboard_commands(input, context));
        self.queue.extend(commands);
    }

    /// Runs the commands pushed this frame, in order. One that would drop the form's unsaved
    /// changes waits for the officer's answer, and the rest of the frame's commands with it.
    fn run_queue(&mut self, ctx: &egui::Context) {
        let queue = std::mem::take(&mut self.queue);
        if queue.is_empty() {
            return;
        }
        for command in queue {
            if self.pending.is_some() {
                break;
            }
            self.run_guarded(command);
        }
        // What the commands changed is drawn in the next frame.
        ctx.request_repaint();
    }

    /// The Catalogue view: filters, form, table.
    fn catalogue_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        if self.settings.show_filters && self.load_error.is_none() {
            side_panel(egui::Panel::left("filters"), ui, 240.0)
                .max_size(side_panel_max(ui).min(420.0))
                .show(ui, |ui| {
                    self.filters.ui(ui, lang, &self.view, &mut self.queue)
                });
        }
        if self.settings.show_form
            && let Some(form) = &mut self.form
        {
            side_panel(egui::Panel::right("form"), ui, 420.0)
                .show(ui, |ui| form.ui(ui, lang, &self.documents, &mut self.queue));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = &self.load_error {
                ui.add_space(20.0);
                ui.colored_label(ui.visuals().error_fg_color, error);
                ui.add_space(8.0);
                if ui
                    .button(super::i18n::tr(
                        lang,
                        "Mở danh mục khác…",
                        "Open another catalogue…",
                    ))
                    .clicked()
                {
                    self.queue.push(Command::ShowOpen);
                }
                return;
            }
            if self.jobs.open.is_some() && self.view.total() == 0 {
                ui.centered_and_justified(|ui| {
                    ui.spinner();
                });
                return;
            }
            let scroll_to = self.scroll_to.take();
            // Narrow windows scroll the table sideways rather than hide columns.
            egui::ScrollArea::horizontal()
                .id_salt("table_hscroll")
                .show(ui, |ui| {
                    super::views::table::table_ui(
                        ui,
                        lang,
                        &self.view,
                        self.selected,
                        scroll_to,
                        &mut self.queue,
                    )
                });
        });
    }
}

impl eframe::App for CatalogueApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_jobs();
        self.check_outside_changes();
        if self.jobs.any_running() {
            // Progress bars move while the threads work.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        } else if self.catalogue.is_some() {
            // Once a second, to see whether another program wrote to the file.
            ctx.request_repaint_after(watch::CHECK_EVERY);
        }
        self.read_keyboard(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let lang = self.lang();
        let ctx = ui.ctx().clone();
        egui::Panel::top("menu_bar").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
        let writable = self.writable();
        match self.mode {
            _ if self.load_error.is_some() => self.catalogue_ui(ui),
            Mode::Catalogue => self.catalogue_ui(ui),
            Mode::Revisions => self.revisions.ui(ui, lang, writable, &mut self.queue),
            Mode::Audit => self.audit.ui(ui, lang, writable, &mut self.queue),
            Mode::Documents => self.document_list.ui(ui, lang, writable, &mut self.queue),
            Mode::TwoLevel => self.two_level.ui(ui, lang, writable, &mut self.queue),
            Mode::Merge => self.merge.ui(ui, lang, writable, &mut self.queue),
            Mode::Simplify => self.simplify.ui(ui, lang, writable, &mut self.queue),
            Mode::Dashboard => self.dashboard.ui(ui, lang, &mut self.queue),
        }
        self.dialogs_ui(&ctx);
        self.run_queue(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
