//! The main window: menu bar, filters on the left, the table in the centre, the selected
//! procedure's form on the right, a status bar. Panels draw and return actions; every
//! change goes through `run_command`, the one place that talks to the store.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};

use super::audit::{AuditAction, AuditPanel};
use super::dialogs::{OpenDialog, OpenDialogAction, RetireDialog, RetireDialogAction};
use super::export_dialog::{ExportChoice, ExportDialog, ExportDialogAction};
use super::filters::{FilterAction, FiltersPanel};
use super::form::{FormAction, ProcedureForm};
use super::i18n::{Lang, tr};
use super::import_dialog::{ImportDialog, ImportDialogAction};
use super::job::Job;
use super::loader::{Loaded, Loading};
use super::revisions::{RevisionAction, RevisionsPanel};
use super::table::{TableAction, table_ui};
use super::view::CatalogueView;
use crate::audit::{AuditReport, audit_catalogue};
use crate::diff::{CatalogueDiff, diff_catalogue};
use crate::domain::LegalDocument;
use crate::export::{ExportSummary, export};
use crate::store::{Access, Catalogue, Change};

const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
const IMPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::I);
const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);

/// Rows a Page Up / Page Down moves.
const PAGE_ROWS: usize = 20;
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

/// The two views of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Catalogue,
    Revisions,
    Audit,
}

/// Everything the window can ask for.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Open(PathBuf),
    Select(i64),
    /// Select and put the cursor in the form.
    Edit(i64),
    NewProcedure,
    Save,
    Revert,
    Retire {
        reason: String,
        decision_number: String,
    },
    Undo,
    Redo,
    /// Move the selection by this many shown rows.
    MoveSelection(isize),
    SelectFirst,
    SelectLast,
    /// File → Import…: the catalogue reloads after an import, so the form must be saved first.
    ShowImport,
}

impl Command {
    /// Whether the command would drop unsaved changes in the form.
    fn leaves_form(&self) -> bool {
        matches!(
            self,
            Command::Open(_)
                | Command::Select(_)
                | Command::Edit(_)
                | Command::NewProcedure
                | Command::MoveSelection(_)
                | Command::SelectFirst
                | Command::SelectLast
                | Command::ShowImport
        )
    }
}

pub struct CatalogueApp {
    settings: Settings,
    path: PathBuf,
    catalogue: Option<Catalogue>,
    loading: Option<Loading>,
    load_error: Option<String>,
    view: CatalogueView,
    documents: BTreeMap<String, LegalDocument>,
    selected: Option<i64>,
    form: Option<ProcedureForm>,
    filters: FiltersPanel,
    scroll_to: Option<usize>,
    /// The last thing done, for the status bar.
    last_action: String,
    open_dialog: Option<OpenDialog>,
    retire_dialog: Option<RetireDialog>,
    /// A command waiting for the officer to save or drop the form's changes.
    pending: Option<Command>,
    focus_search: bool,
    show_about: bool,
    repaint: Option<egui::Context>,
    mode: Mode,
    revisions: RevisionsPanel,
    /// A diff being computed off the UI thread.
    diff_job: Option<Job<CatalogueDiff>>,
    audit: AuditPanel,
    /// An audit running off the UI thread, on a read-only connection of its own.
    audit_job: Option<Job<AuditReport>>,
    /// The catalogue changed since the last audit: run it again when the current one ends.
    audit_stale: bool,
    import_dialog: Option<ImportDialog>,
    export_dialog: Option<ExportDialog>,
    /// An export being written off the UI thread.
    export_job: Option<Job<ExportSummary>>,
    /// What the status bar says once the reload after an import is done.
    pending_status: Option<String>,
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
            loading: None,
            load_error: None,
            view: CatalogueView::default(),
            documents: BTreeMap::new(),
            selected: None,
            form: None,
            filters: FiltersPanel::default(),
            scroll_to: None,
            last_action: String::new(),
            open_dialog: None,
            retire_dialog: None,
            pending: None,
            focus_search: false,
            show_about: false,
            repaint: Some(cc.egui_ctx.clone()),
            mode: Mode::Catalogue,
            revisions: RevisionsPanel::default(),
            diff_job: None,
            audit: AuditPanel::default(),
            audit_job: None,
            audit_stale: false,
            import_dialog: None,
            export_dialog: None,
            export_job: None,
            pending_status: None,
        };
        app.start_loading(path);
        app
    }

    // ---- read access, for tests and the benchmark ----

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
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
        self.diff_job.is_some()
    }

    pub fn audit_panel(&self) -> &AuditPanel {
        &self.audit
    }

    /// An audit is running, or will run as soon as the file is open.
    pub fn is_auditing(&self) -> bool {
        self.audit_job.is_some() || self.audit_stale || self.loading.is_some()
    }

    /// Switches view; the Revisions view reads the list of revisions afresh.
    pub fn import_dialog(&self) -> Option<&ImportDialog> {
        self.import_dialog.as_ref()
    }

    pub fn import_dialog_mut(&mut self) -> Option<&mut ImportDialog> {
        self.import_dialog.as_mut()
    }

    pub fn export_dialog(&self) -> Option<&ExportDialog> {
        self.export_dialog.as_ref()
    }

    pub fn export_dialog_mut(&mut self) -> Option<&mut ExportDialog> {
        self.export_dialog.as_mut()
    }

    /// Any modal dialog open: the window's shortcuts wait.
    fn dialog_open(&self) -> bool {
        self.open_dialog.is_some()
            || self.retire_dialog.is_some()
            || self.pending.is_some()
            || self.import_dialog.is_some()
            || self.export_dialog.is_some()
    }

    /// File → Export…; from the Revisions view, on the diff on screen.
    pub fn show_export(&mut self, choice: Option<ExportChoice>) {
        let revisions = self
            .catalogue
            .as_ref()
            .and_then(|c| c.revisions().ok())
            .unwrap_or_default();
        let compared = self.revisions.compared.clone();
        self.export_dialog = Some(match (choice, compared) {
            (Some(choice), Some((old, new))) => {
                ExportDialog::for_diff(&self.path, revisions, old, new, choice)
            }
            (_, compared) => ExportDialog::new(&self.path, revisions, compared),
        });
    }

    fn start_export(&mut self, kind: crate::export::ExportKind, output: PathBuf) {
        self.export_job = Some(Job::spawn(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue| export(catalogue, &kind, &output),
        ));
    }

    fn finish_export(&mut self) {
        let Some(result) = self.export_job.as_ref().and_then(Job::poll) else {
            return;
        };
        self.export_job = None;
        let lang = self.lang();
        self.last_action = match &result {
            Ok(summary) => format!(
                "{} {}",
                tr(lang, "Đã xuất", "Exported"),
                summary.output.display()
            ),
            Err(error) => error.clone(),
        };
        if let Some(dialog) = &mut self.export_dialog {
            dialog.finished(lang, result);
        }
    }

    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        if mode == Mode::Revisions {
            self.refresh_revisions();
        }
    }

    fn start_audit(&mut self) {
        if self.catalogue.is_none() {
            return;
        }
        self.audit_stale = false;
        self.audit.busy = true;
        self.audit_job = Some(Job::spawn(
            self.path.clone(),
            self.repaint.clone(),
            |catalogue| audit_catalogue(catalogue, crate::audit::today()),
        ));
    }

    fn finish_audit(&mut self) {
        let Some(result) = self.audit_job.as_ref().and_then(Job::poll) else {
            return;
        };
        self.audit_job = None;
        match result {
            Ok(report) => {
                self.audit.set_report(report);
                self.flag_audited_rows();
                self.load_audit_members();
            }
            Err(error) => {
                self.audit.busy = false;
                self.last_action = error;
            }
        }
    }

    /// The table's "flagged" filter follows the findings still to act on.
    fn flag_audited_rows(&mut self) {
        let Some(report) = self.audit.report() else {
            return;
        };
        // Merge candidates are suggestions, not defects: they do not flag a row.
        let flagged: std::collections::HashSet<i64> = report
            .listed()
            .filter(|f| f.kind != crate::audit::FindingKind::Similar)
            .flat_map(|f| f.members.iter().map(|m| m.procedure_id))
            .collect();
        self.view.set_audit_flags(&flagged);
    }

    fn load_audit_members(&mut self) {
        let (Some(catalogue), Some(finding)) = (&self.catalogue, self.audit.selected_finding())
        else {
            self.audit.set_members(Vec::new());
            return;
        };
        let members: Result<Vec<_>, _> = finding
            .members
            .iter()
            .map(|m| catalogue.procedure(m.procedure_id))
            .collect();
        match members {
            Ok(members) => self.audit.set_members(members),
            Err(error) => self.last_action = error.to_string(),
        }
    }

    fn run_audit_action(&mut self, action: AuditAction) {
        let lang = self.lang();
        match action {
            AuditAction::Rerun => self.start_audit(),
            AuditAction::Select(_) => self.load_audit_members(),
            AuditAction::Open(procedure_id) => {
                self.set_mode(Mode::Catalogue);
                self.settings.show_form = true;
                self.run(Command::Edit(procedure_id));
                self.scroll_to = self.view.position_of(procedure_id);
            }
            AuditAction::Verdict { index, kind, note } => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                let Some(finding) = self.audit.report().and_then(|r| r.findings.get(index)) else {
                    return;
                };
                let codes: Vec<String> = finding.members.iter().map(|m| m.code.clone()).collect();
                match catalogue.record_verdict(&finding.key, &finding.fingerprint, kind, &note) {
                    Ok(verdict) => {
                        let reopened = verdict.kind == crate::store::VerdictKind::Reopened;
                        if let Some(finding) = self
                            .audit
                            .report_mut()
                            .and_then(|r| r.findings.get_mut(index))
                        {
                            finding.verdict = (!reopened).then_some(verdict);
                        }
                        self.audit.verdict_recorded();
                        self.flag_audited_rows();
                        self.load_audit_members();
                        self.last_action = format!(
                            "{}: {} — {}",
                            tr(lang, "Đã ghi kết luận", "Verdict recorded"),
                            super::audit::verdict_label(lang, kind),
                            codes.join(", ")
                        );
                    }
                    Err(error) => self.last_action = error.to_string(),
                }
            }
            AuditAction::Merge(request) => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                let mut touched = request.retire.clone();
                touched.push(request.survivor_id);
                match catalogue.merge(&request) {
                    Ok(_) => {
                        self.refresh_procedures(&touched);
                        self.last_action = format!(
                            "{} {}",
                            tr(lang, "Đã hợp nhất vào", "Merged into"),
                            request.survivor.code
                        );
                        self.start_audit();
                    }
                    Err(error) => self.last_action = error.to_string(),
                }
            }
        }
    }

    fn refresh_revisions(&mut self) {
        if let Some(catalogue) = &self.catalogue {
            match catalogue.revisions() {
                Ok(revisions) => self.revisions.set_revisions(revisions),
                Err(error) => self.last_action = error.to_string(),
            }
        }
    }

    fn run_revision_action(&mut self, action: RevisionAction) {
        let lang = self.lang();
        match action {
            RevisionAction::Create { name, note } => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                match catalogue.create_revision(&name, &note) {
                    Ok(revision) => {
                        self.last_action = format!(
                            "{} «{}» ({} {})",
                            tr(lang, "Đã tạo phiên bản", "Created revision"),
                            revision.name,
                            revision.procedures,
                            tr(lang, "thủ tục", "procedures")
                        );
                    }
                    Err(error) => self.last_action = error.to_string(),
                }
                self.refresh_revisions();
            }
            RevisionAction::Export(choice) => self.show_export(Some(choice)),
            RevisionAction::Compare { old, new } => {
                // A connection of its own, read-only, so the window stays responsive.
                self.diff_job = Some(Job::spawn(
                    self.path.clone(),
                    self.repaint.clone(),
                    move |catalogue| diff_catalogue(catalogue, &old, &new),
                ));
            }
            RevisionAction::Publish {
                name,
                decision,
                date,
            } => {
                let Some(date) = crate::domain::parse_date(&date) else {
                    self.last_action = format!("\"{date}\": YYYY-MM-DD");
                    return;
                };
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                match catalogue.publish_revision(&name, &decision, date) {
                    Ok(revision) => {
                        self.last_action = format!(
                            "{} «{}» — {decision}",
                            tr(
                                lang,
                                "Đã công bố và khóa phiên bản",
                                "Published and froze revision"
                            ),
                            revision.name
                        );
                    }
                    Err(error) => self.last_action = error.to_string(),
                }
                self.refresh_revisions();
            }
        }
    }

    fn finish_diff(&mut self) {
        let Some(result) = self.diff_job.as_ref().and_then(Job::poll) else {
            return;
        };
        self.diff_job = None;
        match result {
            Ok(diff) => {
                let summary = &diff.summary;
                self.last_action = format!(
                    "+++ {} · --- {} · -> {} · >> {} · => {}",
                    summary.added,
                    summary.removed,
                    summary.changed,
                    summary.moved,
                    summary.replaced
                );
                self.revisions.set_diff(diff);
            }
            Err(error) => {
                self.revisions.busy = false;
                self.revisions.compared = None;
                self.revisions.diff = None;
                self.last_action = error;
            }
        }
    }

    fn lang(&self) -> Lang {
        self.settings.lang
    }

    fn read_only(&self) -> bool {
        self.catalogue
            .as_ref()
            .is_some_and(|c| c.access() == Access::ReadOnly)
    }

    fn start_loading(&mut self, path: PathBuf) {
        let ctx = self.repaint.clone();
        self.loading = Some(Loading::start(path, move || {
            if let Some(ctx) = &ctx {
                ctx.request_repaint();
            }
        }));
    }

    fn finish_loading(&mut self) {
        let Some(loading) = &self.loading else {
            return;
        };
        let Some(result) = loading.poll() else {
            return;
        };
        let path = loading.path.clone();
        self.loading = None;
        match result {
            Ok(Loaded {
                catalogue,
                view,
                documents,
            }) => {
                let count = view.total();
                self.catalogue = Some(catalogue);
                self.view = view;
                self.documents = documents;
                self.path = path.clone();
                self.load_error = None;
                self.selected = None;
                self.form = None;
                self.remember_recent(&path);
                // A report on the file that was open would name the wrong entries: drop it.
                self.audit = AuditPanel::default();
                self.audit_job = None;
                self.audit_stale = true;
                let opened = format!(
                    "{} {count} {}",
                    tr(self.lang(), "Đã mở", "Opened"),
                    tr(self.lang(), "thủ tục", "procedures")
                );
                self.last_action = match self.pending_status.take() {
                    Some(status) => format!("{status} · {opened}"),
                    None => opened,
                };
            }
            Err(error) => {
                self.pending_status = None;
                self.last_action = error.clone();
                // Keep showing the catalogue that was open, if any.
                if self.catalogue.is_none() {
                    self.load_error = Some(error);
                } else if let Some(dialog) = &mut self.open_dialog {
                    dialog.error = Some(error);
                }
            }
        }
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(RECENT_FILES);
    }

    /// Runs a command, or asks first when it would drop unsaved changes.
    pub fn run(&mut self, command: Command) {
        if command.leaves_form() && self.form.as_ref().is_some_and(ProcedureForm::is_dirty) {
            self.pending = Some(command);
            return;
        }
        self.run_command(command);
    }

    fn run_command(&mut self, command: Command) {
        let lang = self.lang();
        match command {
            Command::Open(path) => {
                self.open_dialog = None;
                self.start_loading(path);
            }
            Command::Select(procedure_id) => self.select(procedure_id),
            Command::Edit(procedure_id) => {
                self.select(procedure_id);
                if let Some(form) = &mut self.form {
                    form.request_focus();
                }
            }
            Command::NewProcedure => {
                if self.catalogue.is_some() && !self.read_only() {
                    self.selected = None;
                    self.form = Some(ProcedureForm::new_procedure());
                    self.settings.show_form = true;
                }
            }
            Command::Save => self.save(),
            Command::Revert => {
                if let Some(procedure_id) = self.form.as_ref().and_then(|f| f.procedure_id) {
                    self.select(procedure_id);
                } else {
                    self.form = None;
                }
                self.last_action = tr(
                    lang,
                    "Đã bỏ các thay đổi chưa lưu",
                    "Discarded unsaved changes",
                )
                .to_owned();
            }
            Command::Retire {
                reason,
                decision_number,
            } => {
                if let Some(procedure_id) = self.selected {
                    let change = Change::Retire {
                        procedure_id,
                        reason,
                        decision_number,
                    };
                    let summary = format!(
                        "{} {}",
                        tr(lang, "bãi bỏ", "retire"),
                        self.code_of(procedure_id)
                    );
                    if self.write(&summary, &[change]).is_some() {
                        self.refresh_procedures(&[procedure_id]);
                        self.selected = None;
                        self.form = None;
                    }
                }
            }
            Command::Undo | Command::Redo => self.undo_redo(command == Command::Undo),
            Command::MoveSelection(delta) => {
                let current = self.selected.and_then(|id| self.view.position_of(id));
                let last = self.view.shown_len().saturating_sub(1) as isize;
                let target = match current {
                    Some(position) => (position as isize + delta).clamp(0, last),
                    None if delta >= 0 => 0,
                    None => last,
                };
                self.select_position(target as usize);
            }
            Command::SelectFirst => self.select_position(0),
            Command::ShowImport => {
                if self.catalogue.is_some() && !self.read_only() {
                    self.import_dialog =
                        Some(ImportDialog::new(self.path.clone(), self.repaint.clone()));
                }
            }
            Command::SelectLast => self.select_position(self.view.shown_len().saturating_sub(1)),
        }
    }

    fn select_position(&mut self, position: usize) {
        if let Some(row) = self.view.shown_row(position) {
            let procedure_id = row.procedure_id;
            self.select(procedure_id);
            self.scroll_to = Some(position);
        }
    }

    fn select(&mut self, procedure_id: i64) {
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        let loaded = catalogue
            .procedure(procedure_id)
            .and_then(|procedure| Ok((catalogue.history(procedure_id)?, procedure)));
        match loaded {
            Ok((history, procedure)) => {
                self.form = Some(ProcedureForm::edit(&procedure, history, self.read_only()));
                self.selected = Some(procedure_id);
            }
            Err(error) => self.last_action = error.to_string(),
        }
    }

    fn code_of(&self, procedure_id: i64) -> String {
        self.view
            .row(procedure_id)
            .map(|row| row.code.clone())
            .unwrap_or_default()
    }

    /// One transaction through the store; the error, if any, goes to the status bar.
    fn write(&mut self, summary: &str, changes: &[Change]) -> Option<crate::store::AppliedBatch> {
        let catalogue = self.catalogue.as_mut()?;
        match catalogue.apply_changes(summary, changes) {
            Ok(applied) => {
                self.audit_stale = true;
                self.last_action = summary.to_owned();
                Some(applied)
            }
            Err(error) => {
                self.last_action = error.to_string();
                None
            }
        }
    }

    fn save(&mut self) {
        let lang = self.lang();
        let Some(form) = &self.form else {
            return;
        };
        if self.read_only() || !form.is_dirty() {
            return;
        }
        let data = match form.validate() {
            Ok(data) => data,
            Err(errors) => {
                self.last_action = format!(
                    "{}: {}",
                    tr(
                        lang,
                        "Chưa lưu, giá trị không hợp lệ",
                        "Not saved, invalid values"
                    ),
                    errors
                        .keys()
                        .map(|f| f.key())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return;
            }
        };
        let summary = format!("{} {}", tr(lang, "sửa", "edit"), data.code);
        let form_procedure_id = form.procedure_id;
        let change = match form_procedure_id {
            Some(procedure_id) => Change::Update { procedure_id, data },
            None => Change::Create(data),
        };
        let Some(applied) = self.write(&summary, &[change]) else {
            return;
        };
        let procedure_id = form_procedure_id.or_else(|| applied.created.first().copied());
        if let Some(procedure_id) = procedure_id {
            self.refresh_procedures(&[procedure_id]);
            self.select(procedure_id);
            self.scroll_to = self.view.position_of(procedure_id);
        }
        self.last_action = format!("{} — {}", tr(lang, "Đã lưu", "Saved"), summary);
    }

    fn undo_redo(&mut self, undo: bool) {
        let lang = self.lang();
        let Some(catalogue) = self.catalogue.as_mut() else {
            return;
        };
        let result = if undo {
            catalogue.undo()
        } else {
            catalogue.redo()
        };
        match result {
            Ok(Some(batch)) => {
                self.audit_stale = true;
                self.refresh_procedures(&batch.procedure_ids);
                if let Some(procedure_id) = self.selected {
                    if self.view.row(procedure_id).is_some() {
                        self.select(procedure_id);
                    } else {
                        self.selected = None;
                        self.form = None;
                    }
                }
                let verb = if undo {
                    tr(lang, "Đã hoàn tác", "Undid")
                } else {
                    tr(lang, "Đã làm lại", "Redid")
                };
                self.last_action = format!("{verb}: {}", batch.summary);
            }
            Ok(None) => {
                self.last_action = if undo {
                    tr(lang, "Không còn gì để hoàn tác", "Nothing to undo")
                } else {
                    tr(lang, "Không còn gì để làm lại", "Nothing to redo")
                }
                .to_owned();
            }
            Err(error) => self.last_action = error.to_string(),
        }
    }

    /// Reloads changed procedures into the table.
    fn refresh_procedures(&mut self, procedure_ids: &[i64]) {
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        for &procedure_id in procedure_ids {
            match catalogue.procedure(procedure_id) {
                Ok(procedure) => self.view.upsert(&procedure),
                Err(error) => self.last_action = error.to_string(),
            }
        }
        if let Ok(documents) = catalogue.legal_documents() {
            self.documents = documents
                .into_iter()
                .map(|d| (d.number.clone(), d))
                .collect();
        }
    }

    // ---- input ----

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.memory(|m| m.focused().is_some());
        let mut commands = Vec::new();
        let mut quit = false;
        let mut export_requested = false;
        ctx.input_mut(|input| {
            if input.consume_shortcut(&SAVE) {
                commands.push(Command::Save);
            }
            if input.consume_shortcut(&NEW) {
                commands.push(Command::NewProcedure);
            }
            if input.consume_shortcut(&OPEN) {
                self.open_dialog = Some(OpenDialog::new(&self.path));
            }
            if input.consume_shortcut(&FIND) {
                self.focus_search = true;
            }
            if input.consume_shortcut(&IMPORT) {
                commands.push(Command::ShowImport);
            }
            if input.consume_shortcut(&EXPORT) {
                export_requested = true;
            }
            // The context is locked inside `input_mut`: act on it after.
            quit = input.consume_shortcut(&QUIT);
            // While typing, Ctrl+Z belongs to the text field.
            // Undo works in the Audit view too: a merge is undone like any edit.
            if !typing && self.mode != Mode::Revisions {
                if input.consume_shortcut(&REDO) || input.consume_shortcut(&REDO_Y) {
                    commands.push(Command::Redo);
                }
                if input.consume_shortcut(&UNDO) {
                    commands.push(Command::Undo);
                }
            }
            if !typing && self.mode == Mode::Catalogue {
                let pressed =
                    |input: &mut egui::InputState, key| input.consume_key(Modifiers::NONE, key);
                if pressed(input, Key::ArrowDown) {
                    commands.push(Command::MoveSelection(1));
                }
                if pressed(input, Key::ArrowUp) {
                    commands.push(Command::MoveSelection(-1));
                }
                if pressed(input, Key::PageDown) {
                    commands.push(Command::MoveSelection(PAGE_ROWS as isize));
                }
                if pressed(input, Key::PageUp) {
                    commands.push(Command::MoveSelection(-(PAGE_ROWS as isize)));
                }
                if pressed(input, Key::Home) {
                    commands.push(Command::SelectFirst);
                }
                if pressed(input, Key::End) {
                    commands.push(Command::SelectLast);
                }
                if pressed(input, Key::Enter)
                    && let Some(procedure_id) = self.selected
                {
                    commands.push(Command::Edit(procedure_id));
                    self.settings.show_form = true;
                }
            }
        });
        if quit {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if export_requested && self.catalogue.is_some() {
            self.show_export(None);
        }
        for command in commands {
            self.run(command);
        }
    }

    // ---- drawing ----

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr(lang, "Tệp", "File"), |ui| {
                let open = egui::Button::new(tr(lang, "Mở…", "Open…"))
                    .shortcut_text(ctx.format_shortcut(&OPEN));
                if ui.add(open).clicked() {
                    self.open_dialog = Some(OpenDialog::new(&self.path));
                }
                ui.menu_button(tr(lang, "Mở gần đây", "Open recent"), |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label(tr(lang, "(chưa có)", "(none)"));
                    }
                    for path in self.settings.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.run(Command::Open(path));
                        }
                    }
                });
                ui.separator();
                let loaded = self.catalogue.is_some();
                let import = egui::Button::new(tr(lang, "Nhập danh sách…", "Import a list…"))
                    .shortcut_text(ctx.format_shortcut(&IMPORT));
                if ui
                    .add_enabled(loaded && !self.read_only(), import)
                    .clicked()
                {
                    self.run(Command::ShowImport);
                }
                let export = egui::Button::new(tr(lang, "Xuất…", "Export…"))
                    .shortcut_text(ctx.format_shortcut(&EXPORT));
                if ui.add_enabled(loaded, export).clicked() {
                    self.show_export(None);
                }
                ui.separator();
                if ui
                    .add(
                        egui::Button::new(tr(lang, "Thoát", "Quit"))
                            .shortcut_text(ctx.format_shortcut(&QUIT)),
                    )
                    .clicked()
                {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(tr(lang, "Sửa", "Edit"), |ui| {
                let (undo, redo) = self
                    .catalogue
                    .as_ref()
                    .map(|c| {
                        (
                            c.undo_summary().ok().flatten(),
                            c.redo_summary().ok().flatten(),
                        )
                    })
                    .unwrap_or_default();
                let undo_text = match &undo {
                    Some(summary) => format!("{} «{summary}»", tr(lang, "Hoàn tác", "Undo")),
                    None => tr(lang, "Hoàn tác", "Undo").to_owned(),
                };
                let writable = !self.read_only();
                if ui
                    .add_enabled(
                        undo.is_some() && writable,
                        egui::Button::new(undo_text).shortcut_text(ctx.format_shortcut(&UNDO)),
                    )
                    .clicked()
                {
                    self.run(Command::Undo);
                }
                let redo_text = match &redo {
                    Some(summary) => format!("{} «{summary}»", tr(lang, "Làm lại", "Redo")),
                    None => tr(lang, "Làm lại", "Redo").to_owned(),
                };
                if ui
                    .add_enabled(
                        redo.is_some() && writable,
                        egui::Button::new(redo_text).shortcut_text(ctx.format_shortcut(&REDO)),
                    )
                    .clicked()
                {
                    self.run(Command::Redo);
                }
                ui.separator();
                if ui
                    .add_enabled(
                        writable,
                        egui::Button::new(tr(lang, "Thêm thủ tục", "New procedure"))
                            .shortcut_text(ctx.format_shortcut(&NEW)),
                    )
                    .clicked()
                {
                    self.run(Command::NewProcedure);
                }
                let dirty = self.form.as_ref().is_some_and(ProcedureForm::is_dirty);
                if ui
                    .add_enabled(
                        dirty && writable,
                        egui::Button::new(tr(lang, "Lưu", "Save"))
                            .shortcut_text(ctx.format_shortcut(&SAVE)),
                    )
                    .clicked()
                {
                    self.run(Command::Save);
                }
                if ui
                    .add_enabled(
                        dirty,
                        egui::Button::new(tr(
                            lang,
                            "Bỏ thay đổi chưa lưu",
                            "Revert unsaved changes",
                        )),
                    )
                    .clicked()
                {
                    self.run(Command::Revert);
                }
                if ui
                    .add_enabled(
                        self.selected.is_some() && writable,
                        egui::Button::new(tr(lang, "Bãi bỏ khỏi danh mục…", "Retire…")),
                    )
                    .clicked()
                {
                    self.retire_dialog = Some(RetireDialog::default());
                }
            });
            ui.menu_button(tr(lang, "Xem", "View"), |ui| {
                ui.checkbox(
                    &mut self.settings.show_filters,
                    tr(lang, "Bộ lọc", "Filters"),
                );
                ui.checkbox(
                    &mut self.settings.show_form,
                    tr(lang, "Biểu mẫu thủ tục", "Procedure form"),
                );
                if ui
                    .add_enabled(
                        self.view.has_filters(),
                        egui::Button::new(tr(lang, "Xóa bộ lọc", "Clear filters")),
                    )
                    .clicked()
                {
                    self.view.clear_filters();
                }
                ui.separator();
                ui.radio_value(&mut self.settings.lang, Lang::Vi, "Tiếng Việt");
                ui.radio_value(&mut self.settings.lang, Lang::En, "English");
            });
            ui.menu_button(tr(lang, "Trợ giúp", "Help"), |ui| {
                if ui
                    .button(tr(lang, "Giới thiệu và phím tắt", "About and shortcuts"))
                    .clicked()
                {
                    self.show_about = true;
                }
            });
        });
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        ui.horizontal(|ui| {
            if ui
                .selectable_label(
                    self.mode == Mode::Catalogue,
                    tr(lang, "Danh mục", "Catalogue"),
                )
                .clicked()
            {
                self.set_mode(Mode::Catalogue);
            }
            if ui
                .selectable_label(
                    self.mode == Mode::Revisions,
                    tr(lang, "Phiên bản và so sánh", "Revisions and diff"),
                )
                .clicked()
            {
                self.set_mode(Mode::Revisions);
            }
            let audit_label = match self.audit.report() {
                Some(_) => format!(
                    "{} ({})",
                    tr(lang, "Rà soát", "Audit"),
                    self.audit.listed_total()
                ),
                None => tr(lang, "Rà soát", "Audit").to_owned(),
            };
            if ui
                .selectable_label(self.mode == Mode::Audit, audit_label)
                .clicked()
            {
                self.set_mode(Mode::Audit);
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
                        .desired_width(360.0)
                        .id_salt("search"),
                )
                .labelled_by(label);
            if self.focus_search {
                response.request_focus();
                self.focus_search = false;
            }
            if response.changed() {
                self.view.set_search(&search);
            }
            if !self.view.search().is_empty() && ui.button(tr(lang, "Xóa", "Clear")).clicked() {
                self.view.set_search("");
            }
            ui.separator();
            if ui
                .add_enabled(
                    !self.read_only() && self.catalogue.is_some(),
                    egui::Button::new(tr(lang, "+ Thêm thủ tục", "+ New procedure")),
                )
                .clicked()
            {
                self.run(Command::NewProcedure);
            }
        });
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        let lang = self.lang();
        ui.horizontal(|ui| {
            ui.label(self.path.display().to_string());
            if self.read_only() {
                ui.label(
                    egui::RichText::new(tr(lang, "chỉ đọc", "read-only"))
                        .color(ui.visuals().warn_fg_color),
                );
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
            if let Some(loading) = &self.loading {
                ui.separator();
                ui.add(egui::Spinner::new());
                let fraction = loading.fraction().unwrap_or(0.0);
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .show_percentage(),
                );
                ui.label(format!(
                    "{} {}",
                    tr(lang, "Đang mở", "Opening"),
                    loading.path.display()
                ));
            }
            if !self.last_action.is_empty() {
                ui.separator();
                ui.label(&self.last_action);
            }
        });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang();
        if let Some(dialog) = &mut self.open_dialog {
            match dialog.ui(ctx, lang, &self.settings.recent) {
                Some(OpenDialogAction::Open(path)) => self.run(Command::Open(path)),
                Some(OpenDialogAction::Cancel) => self.open_dialog = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.import_dialog {
            match dialog.ui(ctx, lang) {
                Some(ImportDialogAction::Imported(message)) => {
                    self.import_dialog = None;
                    // The view, the audit and the undo menu all follow the new contents.
                    self.start_loading(self.path.clone());
                    self.pending_status = Some(message);
                }
                Some(ImportDialogAction::Cancel) => self.import_dialog = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.export_dialog {
            match dialog.ui(ctx, lang) {
                Some(ExportDialogAction::Export { kind, output }) => {
                    self.start_export(kind, output)
                }
                Some(ExportDialogAction::Close) => self.export_dialog = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.retire_dialog {
            match dialog.ui(ctx, lang) {
                Some(RetireDialogAction::Retire {
                    reason,
                    decision_number,
                }) => {
                    self.retire_dialog = None;
                    self.run(Command::Retire {
                        reason,
                        decision_number,
                    });
                }
                Some(RetireDialogAction::Cancel) => self.retire_dialog = None,
                None => {}
            }
        }
        if self.pending.is_some() {
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
                ui.heading(tr(lang, "Lưu thay đổi?", "Save changes?"));
                ui.label(tr(
                    lang,
                    "Thủ tục đang sửa có thay đổi chưa lưu",
                    "The procedure being edited has unsaved changes",
                ));
                ui.horizontal(|ui| {
                    if ui.button(tr(lang, "Lưu", "Save")).clicked() {
                        choice = Some(true);
                    }
                    if ui.button(tr(lang, "Không lưu", "Don't save")).clicked() {
                        choice = Some(false);
                    }
                    if ui.button(tr(lang, "Hủy", "Cancel")).clicked() {
                        self.pending = None;
                    }
                });
            });
            if let Some(save) = choice
                && let Some(command) = self.pending.take()
            {
                if save {
                    self.save();
                }
                // After a failed save the changes are still there: ask again rather than lose them.
                if self.form.as_ref().is_some_and(ProcedureForm::is_dirty) && save {
                    self.pending = None;
                } else {
                    self.form = None;
                    self.run_command(command);
                }
            }
        }
        if self.show_about {
            egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
                ui.heading("procedure-catalogue");
                ui.label(tr(
                    lang,
                    "Rà soát, đơn giản hóa Bộ thủ tục hành chính của tỉnh",
                    "Review and simplify a province's catalogue of administrative procedures",
                ));
                ui.separator();
                egui::Grid::new("shortcuts").show(ui, |ui| {
                    for (keys, what) in [
                        ("Ctrl+F", tr(lang, "Tìm kiếm", "Search")),
                        (
                            "↑ ↓ PgUp PgDn Home End",
                            tr(lang, "Chọn thủ tục", "Move the selection"),
                        ),
                        (
                            "Enter",
                            tr(lang, "Sửa thủ tục đang chọn", "Edit the selected procedure"),
                        ),
                        ("Ctrl+S", tr(lang, "Lưu", "Save")),
                        ("Ctrl+Z", tr(lang, "Hoàn tác", "Undo")),
                        ("Ctrl+Shift+Z, Ctrl+Y", tr(lang, "Làm lại", "Redo")),
                        ("Ctrl+N", tr(lang, "Thêm thủ tục", "New procedure")),
                        ("Ctrl+O", tr(lang, "Mở danh mục", "Open a catalogue")),
                    ] {
                        ui.monospace(keys);
                        ui.label(what);
                        ui.end_row();
                    }
                });
                if ui.button(tr(lang, "Đóng", "Close")).clicked() {
                    self.show_about = false;
                }
            });
        }
    }
}

impl eframe::App for CatalogueApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.finish_loading();
        self.finish_diff();
        self.finish_export();
        self.finish_audit();
        if self.audit_stale && self.audit_job.is_none() && self.loading.is_none() {
            self.start_audit();
        }
        // An audit needs no polling: its thread asks for a repaint when it is done.
        if self.loading.is_some() || self.diff_job.is_some() || self.export_job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if !self.dialog_open() {
            self.shortcuts(ctx);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let lang = self.lang();
        let ctx = ui.ctx().clone();
        egui::Panel::top("menu_bar").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::top("toolbar").show(ui, |ui| self.toolbar_ui(ui));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
        if self.mode == Mode::Revisions && self.load_error.is_none() {
            let writable = self.catalogue.is_some() && !self.read_only();
            if let Some(action) = self.revisions.ui(ui, lang, writable) {
                self.run_revision_action(action);
            }
            self.dialogs_ui(&ctx);
            return;
        }
        if self.mode == Mode::Audit && self.load_error.is_none() {
            let writable = self.catalogue.is_some() && !self.read_only();
            if let Some(action) = self.audit.ui(ui, lang, writable) {
                self.run_audit_action(action);
            }
            self.dialogs_ui(&ctx);
            return;
        }
        if self.settings.show_filters && self.load_error.is_none() {
            egui::Panel::left("filters")
                .resizable(true)
                .default_size(240.0)
                .show(ui, |ui| {
                    if let Some(action) = self.filters.ui(ui, lang, &self.view) {
                        match action {
                            FilterAction::Toggle(facet, value) => {
                                self.view.toggle_facet(facet, &value)
                            }
                            FilterAction::ClearAll => self.view.clear_filters(),
                        }
                    }
                });
        }
        if self.settings.show_form
            && let Some(form) = &mut self.form
        {
            let mut action = None;
            egui::Panel::right("form")
                .resizable(true)
                .default_size(420.0)
                .show(ui, |ui| {
                    action = form.ui(ui, lang, &self.documents);
                });
            match action {
                Some(FormAction::Save) => self.run(Command::Save),
                Some(FormAction::Revert) => self.run(Command::Revert),
                Some(FormAction::Retire) => self.retire_dialog = Some(RetireDialog::default()),
                None => {}
            }
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = &self.load_error {
                ui.add_space(20.0);
                ui.colored_label(ui.visuals().error_fg_color, error);
                ui.add_space(8.0);
                if ui
                    .button(tr(lang, "Mở danh mục khác…", "Open another catalogue…"))
                    .clicked()
                {
                    self.open_dialog = Some(OpenDialog::new(&self.path));
                }
                return;
            }
            if self.loading.is_some() && self.view.total() == 0 {
                ui.centered_and_justified(|ui| {
                    ui.spinner();
                });
                return;
            }
            let scroll_to = self.scroll_to.take();
            // Narrow windows scroll the table sideways rather than hide columns.
            let action = egui::ScrollArea::horizontal()
                .id_salt("table_hscroll")
                .show(ui, |ui| {
                    table_ui(ui, lang, &self.view, self.selected, scroll_to)
                })
                .inner;
            if let Some(action) = action {
                match action {
                    TableAction::Select(procedure_id) => self.run(Command::Select(procedure_id)),
                    TableAction::Open(procedure_id) => {
                        self.settings.show_form = true;
                        self.run(Command::Edit(procedure_id));
                    }
                    TableAction::Sort(column) => self.view.sort_by(column),
                }
            }
        });
        self.dialogs_ui(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
