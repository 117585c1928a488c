//! The window's background work, polled in one place: opening a catalogue, the audit, a
//! diff, an export, an import's plan and its write, undo and redo. Each runs on a thread of
//! its own (`gui::job`); its result comes back here and updates the views.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::CatalogueApp;
use crate::audit::{AuditReport, audit_catalogue};
use crate::diff::{CatalogueDiff, diff_catalogue};
use crate::domain::LegalDocument;
use crate::export::{ExportError, ExportKind, ExportSummary, export_with_progress};
use crate::gui::dialogs::import_list::written_summary;
use crate::gui::i18n::{Lang, tr};
use crate::gui::job::{Job, JobError};
use crate::gui::messages::Message;
use crate::gui::model::{CatalogueView, ColumnKey, RowView};
use crate::gui::views::procedure_form::ProcedureForm;
use crate::import::{
    ImportError, ImportOptions, ImportPlan, apply_import_with_progress, plan_import_with_progress,
};
use crate::merge_catalogue::{MergeError, MergePlan};
use crate::progress::{Phase, Progress};
use crate::store::{
    Access, AppliedBatch, Catalogue, CitedDocument, SealState, StoreError, WORKING, WrittenBatch,
};
use crate::two_level::{MigrationError, MigrationPlan};

/// How long a write on the window's own thread waits for another program's write.
const UI_WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// An undo or redo touching more entries than this reloads the whole table instead of
/// reading its entries one by one.
const RELOAD_ABOVE: usize = 2_000;

/// A catalogue read and ready to show.
pub struct Loaded {
    pub catalogue: Catalogue,
    pub view: CatalogueView,
    pub documents: BTreeMap<String, LegalDocument>,
    /// Published revisions whose seal is broken.
    pub broken_seals: Vec<String>,
}

/// A write of one ledger batch run off the UI thread: it may touch many entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchWork {
    Undo,
    Redo,
    /// Every procedure citing `old` cites `new` instead.
    Recite {
        old: String,
        new: String,
    },
}

#[derive(Default)]
pub struct Jobs {
    pub open: Option<(PathBuf, Job<Loaded, StoreError>)>,
    pub audit: Option<Job<AuditReport, StoreError>>,
    pub diff: Option<((String, String), Job<CatalogueDiff, StoreError>)>,
    pub export: Option<Job<ExportSummary, ExportError>>,
    pub import_plan: Option<Job<ImportPlan, ImportError>>,
    pub import_write: Option<Job<(AppliedBatch, Box<ImportPlan>), ImportError>>,
    pub batch: Option<(BatchWork, Job<Option<WrittenBatch>, StoreError>)>,
    pub documents: Option<Job<Vec<CitedDocument>, StoreError>>,
    pub two_level_plan: Option<Job<MigrationPlan, MigrationError>>,
    pub two_level_write: Option<Job<(AppliedBatch, MigrationPlan), MigrationError>>,
    pub merge_plan: Option<Job<MergePlan, MergeError>>,
    pub merge_write: Option<Job<(AppliedBatch, MergePlan), MergeError>>,
    pub savings: Option<Job<crate::simplify::savings::SavingsReport, StoreError>>,
    pub overview: Option<Job<crate::simplify::overview::Overview, StoreError>>,
    pub savings_export: Option<Job<PathBuf, ExportError>>,
}

impl Jobs {
    pub fn any_running(&self) -> bool {
        self.open.is_some()
            || self.audit.is_some()
            || self.diff.is_some()
            || self.export.is_some()
            || self.import_plan.is_some()
            || self.import_write.is_some()
            || self.batch.is_some()
            || self.documents.is_some()
            || self.two_level_plan.is_some()
            || self.two_level_write.is_some()
            || self.merge_plan.is_some()
            || self.merge_write.is_some()
            || self.savings.is_some()
            || self.overview.is_some()
            || self.savings_export.is_some()
    }

    /// Asks the import, export or batch write in progress to stop (a batch stops only while
    /// it waits for another writer; once writing, it finishes).
    pub fn cancel_exchange(&self) {
        let jobs = [
            self.import_plan.as_ref().map(Job::progress),
            self.import_write.as_ref().map(Job::progress),
            self.merge_plan.as_ref().map(Job::progress),
            self.export.as_ref().map(Job::progress),
            self.batch.as_ref().map(|(_, job)| job.progress()),
        ];
        for progress in jobs.into_iter().flatten() {
            progress.cancel();
        }
    }
}

/// A job's error as the officer reads it.
pub fn failure_text<E: Message>(lang: Lang, error: &JobError<E>) -> String {
    match error {
        JobError::Failed(error) => error.message(lang),
        JobError::Died => tr(
            lang,
            "Công việc chạy nền dừng bất ngờ; hãy thử lại",
            "The background work stopped unexpectedly; try again",
        )
        .to_owned(),
    }
}

/// Opens a catalogue (read-only when the file is) and prepares its table, telling
/// `progress` how many rows are read.
fn load(path: &Path, progress: &Progress) -> Result<Loaded, StoreError> {
    let catalogue = match Catalogue::open(path) {
        Err(StoreError::ReadOnly(_)) => Catalogue::open_with(path, Access::ReadOnly),
        other => other,
    }?;
    let procedures = catalogue.procedure_summaries(&mut |done, total| {
        if progress.phase() != Phase::ReadingRows {
            progress.begin(Phase::ReadingRows, total);
        }
        progress.set_done(done);
    })?;
    if progress.is_cancelled() {
        return Err(StoreError::Cancelled);
    }
    // Search keys folded on every core.
    let rows = RowView::all(procedures);
    // Indexing and the name order are computed here, not on the UI thread.
    let mut view = CatalogueView::new(rows);
    view.prepare_sort(ColumnKey::Name);
    let documents = catalogue
        .legal_documents()?
        .into_iter()
        .map(|document| (document.number.clone(), document))
        .collect();
    // Every publication's seal, checked once the file is read (off the UI thread).
    let broken_seals = catalogue
        .verify_seals()?
        .into_iter()
        .filter(|(_, seal)| *seal == SealState::Broken)
        .map(|(name, _)| name)
        .collect();
    Ok(Loaded {
        catalogue,
        view,
        documents,
        broken_seals,
    })
}

impl CatalogueApp {
    pub(super) fn start_loading(&mut self, path: PathBuf) {
        let file = path.clone();
        let job = Job::spawn(self.repaint.clone(), move |progress| load(&file, progress));
        self.jobs.open = Some((path, job));
    }

    pub(super) fn start_audit(&mut self) {
        if self.catalogue.is_none() {
            return;
        }
        self.audit_stale = false;
        self.audit.busy = true;
        self.jobs.audit = Some(Job::read(
            self.path.clone(),
            self.repaint.clone(),
            |catalogue, _| audit_catalogue(catalogue, crate::audit::today()),
        ));
    }

    pub(super) fn start_diff(&mut self, old: String, new: String) {
        let sides = (old.clone(), new.clone());
        let job = Job::read(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, _| diff_catalogue(catalogue, &old, &new),
        );
        self.revisions.busy = true;
        self.jobs.diff = Some((sides, job));
    }

    pub(super) fn start_export(&mut self, kind: ExportKind, output: PathBuf) {
        self.jobs.export = Some(Job::read(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, progress| export_with_progress(catalogue, &kind, &output, progress),
        ));
    }

    pub(super) fn start_import_plan(&mut self, files: Vec<PathBuf>, options: ImportOptions) {
        self.jobs.import_plan = Some(Job::read(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, progress| {
                plan_import_with_progress(catalogue, &files, &options, progress)
            },
        ));
    }

    pub(super) fn start_import_write(&mut self, plan: Box<ImportPlan>) {
        self.jobs.import_write = Some(Job::write(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, progress| {
                let applied = apply_import_with_progress(catalogue, &plan, progress)?;
                Ok((applied, plan))
            },
        ));
    }

    pub(super) fn start_batch(&mut self, work: BatchWork) {
        let what = work.clone();
        let job = Job::write(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, _| match what {
                BatchWork::Undo => catalogue.undo(),
                BatchWork::Redo => catalogue.redo(),
                BatchWork::Recite { old, new } => catalogue.recite(&old, &new).map(Some),
            },
        );
        self.jobs.batch = Some((work, job));
    }

    pub(super) fn start_documents(&mut self) {
        if self.catalogue.is_none() || self.jobs.documents.is_some() {
            return;
        }
        self.document_list.busy = true;
        self.jobs.documents = Some(Job::read(
            self.path.clone(),
            self.repaint.clone(),
            |catalogue, _| catalogue.cited_documents(),
        ));
    }

    /// Takes the results of the jobs that are done.
    pub(super) fn poll_jobs(&mut self) {
        self.poll_open();
        self.poll_diff();
        self.poll_export();
        self.poll_import();
        self.poll_batch();
        self.poll_documents();
        self.poll_two_level();
        self.poll_merge();
        self.poll_simplify();
        self.poll_audit();
        if self.audit_stale && self.jobs.audit.is_none() && self.jobs.open.is_none() {
            self.start_audit();
        }
    }

    fn poll_open(&mut self) {
        let Some((path, job)) = &self.jobs.open else {
            return;
        };
        let Some(result) = job.poll() else {
            return;
        };
        let path = path.clone();
        self.jobs.open = None;
        let lang = self.lang();
        match result {
            Ok(Loaded {
                mut catalogue,
                mut view,
                documents,
                broken_seals,
            }) => {
                let seal_warning = (!broken_seals.is_empty()).then(|| {
                    format!(
                        "{}: {}",
                        tr(
                            lang,
                            "Niêm phong bị phá (phiên bản đã công bố bị sửa bên ngoài ứng dụng)",
                            "Seal broken (a published revision changed outside the application)",
                        ),
                        broken_seals.join(", ")
                    )
                });
                self.revisions.broken_seals = broken_seals;
                let count = view.total();
                // Writes on the window's own thread wait briefly for another program, then
                // say so: the window keeps drawing (jobs wait longer, with a visible note).
                let _ = catalogue.set_write_wait(UI_WRITE_WAIT);
                if let Some(status) = self.outside_change.take() {
                    // The same file, changed by another program: the officer keeps the
                    // filters, the sort, the selection and the form being edited.
                    view.carry_over(&self.view);
                    self.catalogue = Some(catalogue);
                    self.view = view;
                    self.documents = documents;
                    self.rebaseline();
                    self.read_two_level_settings();
                    if let Some(procedure_id) = self.selected {
                        let dirty = self.form.as_ref().is_some_and(ProcedureForm::is_dirty);
                        if self.view.row(procedure_id).is_none() {
                            if !dirty {
                                self.selected = None;
                                self.form = None;
                            }
                        } else if !dirty {
                            self.select(procedure_id);
                        }
                    }
                    self.last_action = seal_warning.unwrap_or(status);
                    return;
                }
                self.catalogue = Some(catalogue);
                self.view = view;
                self.documents = documents;
                self.path = path.clone();
                // A plan of the file that was open would name the wrong entries.
                self.two_level.clear_plan();
                self.enter_two_level();
                self.load_error = None;
                self.selected = None;
                self.form = None;
                self.remember_recent(&path);
                self.rebaseline();
                // A report on the file that was open would name the wrong entries: drop it.
                self.audit = Default::default();
                self.jobs.audit = None;
                self.audit_stale = true;
                let opened = format!(
                    "{} {count} {}",
                    tr(lang, "Đã mở", "Opened"),
                    tr(lang, "thủ tục", "procedures")
                );
                self.last_action = match (seal_warning, self.pending_status.take()) {
                    (Some(warning), _) => warning,
                    (None, Some(status)) => format!("{status} · {opened}"),
                    (None, None) => opened,
                };
            }
            Err(error) => {
                let error = failure_text(lang, &error);
                self.pending_status = None;
                self.last_action = error.clone();
                // Keep showing the catalogue that was open, if any.
                if self.catalogue.is_none() {
                    self.load_error = Some(error);
                } else if let Some(dialog) = &mut self.dialogs.open {
                    dialog.error = Some(error);
                }
            }
        }
    }

    fn poll_audit(&mut self) {
        let Some(result) = self.jobs.audit.as_ref().and_then(Job::poll) else {
            return;
        };
        self.jobs.audit = None;
        match result {
            Ok(report) => {
                self.audit.set_report(report);
                self.flag_audited_rows();
                self.load_audit_members();
                self.count_audit_progress();
            }
            Err(error) => {
                self.audit.busy = false;
                self.last_action = failure_text(self.lang(), &error);
            }
        }
    }

    fn poll_diff(&mut self) {
        let Some((sides, job)) = &self.jobs.diff else {
            return;
        };
        let Some(result) = job.poll() else {
            return;
        };
        let sides = sides.clone();
        self.jobs.diff = None;
        match result {
            Ok(diff) => {
                let summary = &diff.summary;
                self.last_action = crate::diff::ChangeKind::ALL
                    .iter()
                    .map(|kind| format!("{} {}", kind.mark(), kind.count(summary)))
                    .collect::<Vec<_>>()
                    .join(" · ");
                self.revisions.set_diff(sides, diff);
            }
            Err(error) => {
                self.revisions.diff_failed();
                self.last_action = failure_text(self.lang(), &error);
            }
        }
    }

    fn poll_export(&mut self) {
        let Some(result) = self.jobs.export.as_ref().and_then(Job::poll) else {
            return;
        };
        self.jobs.export = None;
        let lang = self.lang();
        let result = result.map_err(|error| failure_text(lang, &error));
        self.last_action = match &result {
            Ok(summary) => format!(
                "{} {}",
                tr(lang, "Đã xuất", "Exported"),
                summary.output.display()
            ),
            Err(error) => error.clone(),
        };
        if let Some(dialog) = &mut self.dialogs.export {
            dialog.finished(lang, result);
        }
    }

    fn poll_import(&mut self) {
        let lang = self.lang();
        if let Some(result) = self.jobs.import_plan.as_ref().and_then(Job::poll) {
            self.jobs.import_plan = None;
            if let Some(dialog) = &mut self.dialogs.import {
                match result {
                    Ok(plan) => dialog.planned(plan),
                    Err(error) => dialog.failed(failure_text(lang, &error), true),
                }
            }
        }
        if let Some(result) = self.jobs.import_write.as_ref().and_then(Job::poll) {
            self.jobs.import_write = None;
            match result {
                Ok((applied, plan)) => {
                    self.dialogs.import = None;
                    // The view, the audit and the undo menu all follow the new contents.
                    self.pending_status = Some(written_summary(lang, &applied, &plan));
                    self.catalogue_changed();
                    self.start_loading(self.path.clone());
                }
                Err(error) => {
                    if let Some(dialog) = &mut self.dialogs.import {
                        dialog.failed(failure_text(lang, &error), false);
                    }
                }
            }
        }
    }

    fn poll_documents(&mut self) {
        let Some(result) = self.jobs.documents.as_ref().and_then(Job::poll) else {
            return;
        };
        self.jobs.documents = None;
        match result {
            Ok(list) => {
                self.documents = list
                    .iter()
                    .map(|d| (d.document.number.clone(), d.document.clone()))
                    .collect();
                self.document_list.set_list(list, crate::audit::today());
            }
            Err(error) => {
                self.document_list.busy = false;
                self.last_action = failure_text(self.lang(), &error);
            }
        }
    }

    fn poll_batch(&mut self) {
        let Some((work, job)) = &self.jobs.batch else {
            return;
        };
        let Some(result) = job.poll() else {
            return;
        };
        let work = work.clone();
        self.jobs.batch = None;
        let lang = self.lang();
        match result {
            Ok(Some(batch)) => {
                self.catalogue_changed();
                if !batch.settings.is_empty() {
                    self.read_two_level_settings();
                    self.read_simplify_settings();
                }
                if batch.procedure_ids.len() > RELOAD_ABOVE {
                    self.start_loading(self.path.clone());
                } else {
                    self.refresh_procedures(&batch.procedure_ids);
                }
                if let Some(procedure_id) = self.selected {
                    if self.view.row(procedure_id).is_some() {
                        self.select(procedure_id);
                    } else {
                        self.selected = None;
                        self.form = None;
                    }
                }
                let verb = match work {
                    BatchWork::Undo => tr(lang, "Đã hoàn tác", "Undid"),
                    BatchWork::Redo => tr(lang, "Đã làm lại", "Redid"),
                    BatchWork::Recite { .. } => tr(lang, "Đã ghi", "Done"),
                };
                self.last_action = format!(
                    "{verb}: {} ({} {})",
                    batch.summary,
                    batch.procedure_ids.len(),
                    tr(lang, "thủ tục", "procedures")
                );
            }
            Ok(None) => {
                self.last_action = match work {
                    BatchWork::Undo => tr(lang, "Không còn gì để hoàn tác", "Nothing to undo"),
                    BatchWork::Redo | BatchWork::Recite { .. } => {
                        tr(lang, "Không còn gì để làm lại", "Nothing to redo")
                    }
                }
                .to_owned();
            }
            Err(error) => self.last_action = failure_text(lang, &error),
        }
    }

    /// After any change to the catalogue: the audit runs again, and a diff on screen that
    /// involves the working copy is computed again.
    pub(super) fn catalogue_changed(&mut self) {
        // The window's own write: not news from another program.
        self.rebaseline();
        self.audit_stale = true;
        self.document_list.stale = true;
        self.two_level.stale = self.two_level.plan().is_some();
        self.two_level.applied = None;
        self.merge.stale = self.merge.plan().is_some();
        self.simplify_stale();
        if self.mode == crate::gui::command::Mode::Documents {
            self.start_documents();
        }
        if let Some((old, new)) = self.revisions.compared.clone()
            && (old == WORKING || new == WORKING)
            && self.jobs.diff.is_none()
        {
            self.start_diff(old, new);
        }
    }
}
