//! Running commands: the one place where the window changes the catalogue or its own state.

use super::CatalogueApp;
use super::jobs::BatchWork;
use crate::gui::command::{
    AuditCommand, Command, Dialog, DocumentCommand, ExportChoice, Mode, RevisionCommand,
};
use crate::gui::dialogs::conflict::ConflictDialog;
use crate::gui::dialogs::export_file::ExportDialog;
use crate::gui::dialogs::import_list::ImportDialog;
use crate::gui::dialogs::open_file::OpenDialog;
use crate::gui::dialogs::retire::RetireDialog;
use crate::gui::i18n::{tr, verdict_label};
use crate::gui::messages::Message;
use crate::gui::views::procedure_form::ProcedureForm;
use crate::store::{AppliedBatch, Change, VerdictKind};

impl CatalogueApp {
    /// Runs a command, or asks first when it would drop unsaved changes.
    pub(super) fn run_guarded(&mut self, command: Command) {
        if command.leaves_form() && self.form.as_ref().is_some_and(ProcedureForm::is_dirty) {
            self.pending = Some(command);
            return;
        }
        self.run_command(command);
    }

    pub(super) fn run_command(&mut self, command: Command) {
        let lang = self.lang();
        match command {
            Command::ShowOpen => self.dialogs.open = Some(OpenDialog::new(&self.path)),
            Command::Open(path) => {
                self.dialogs.open = None;
                self.start_loading(path);
            }
            Command::ShowCreate => self.dialogs.open = Some(OpenDialog::create(&self.path)),
            Command::CreateCatalogue(path) => self.create_catalogue(path),
            Command::ShowImport => {
                if self.writable() {
                    self.dialogs.import = Some(ImportDialog::default());
                }
            }
            Command::PlanImport { files, options } => {
                if !self.is_writing() {
                    self.start_import_plan(files, options);
                }
            }
            Command::WriteImport(plan) => {
                if !self.is_writing() && self.writable() {
                    self.start_import_write(plan);
                }
            }
            Command::ShowExport(choice) => self.show_export(choice),
            Command::Export { kind, output } => {
                if self.jobs.export.is_none() {
                    self.start_export(kind, output);
                }
            }
            Command::CancelJob => self.jobs.cancel_exchange(),
            Command::CloseDialog(dialog) => self.dialogs.close(dialog),
            Command::Quit => {
                if let Some(ctx) = &self.repaint {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Command::Undo => self.step(BatchWork::Undo),
            Command::Redo => self.step(BatchWork::Redo),
            Command::NewProcedure => {
                if self.writable() {
                    self.selected = None;
                    self.form = Some(ProcedureForm::new_procedure());
                    self.settings.show_form = true;
                }
            }
            Command::Save => self.save(),
            Command::ResolveConflict => self.resolve_conflict(),
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
            Command::ShowRetire => {
                if self.selected.is_some() && self.writable() {
                    self.dialogs.retire = Some(RetireDialog::default());
                }
            }
            Command::Retire {
                reason,
                decision_number,
            } => {
                self.dialogs.retire = None;
                self.retire(reason, decision_number);
            }
            Command::Select(procedure_id) => self.select(procedure_id),
            Command::Edit(procedure_id) => {
                self.select(procedure_id);
                self.settings.show_form = true;
                if let Some(form) = &mut self.form {
                    form.request_focus();
                }
            }
            Command::EditSelected => {
                if let Some(procedure_id) = self.selected {
                    self.run_guarded(Command::Edit(procedure_id));
                }
            }
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
            Command::SelectLast => self.select_position(self.view.shown_len().saturating_sub(1)),
            Command::FocusSearch => {
                self.mode = Mode::Catalogue;
                self.focus_search = true;
            }
            Command::SetSearch(text) => self.view.set_search(&text),
            Command::ToggleFacet(facet, value) => self.view.toggle_facet(facet, &value),
            Command::ClearFilters => self.view.clear_filters(),
            Command::SortBy(column) => self.view.sort_by(column),
            Command::SetMode(mode) => self.set_mode(mode),
            Command::ToggleFilters => self.settings.show_filters = !self.settings.show_filters,
            Command::ToggleForm => self.settings.show_form = !self.settings.show_form,
            Command::SetLang(lang) => self.settings.lang = lang,
            Command::ShowAbout => self.dialogs.about = true,
            Command::ShowProcedure(procedure_id) => {
                self.set_mode(Mode::Catalogue);
                self.run_command(Command::Edit(procedure_id));
                self.scroll_to = self.view.position_of(procedure_id);
            }
            Command::Audit(command) => self.run_audit_command(command),
            Command::Document(command) => self.run_document_command(command),
            Command::Revision(command) => self.run_revision_command(command),
            Command::TwoLevel(command) => self.run_two_level_command(command),
            Command::Merge(command) => self.run_merge_command(command),
            Command::Simplify(command) => self.run_simplify_command(command),
            Command::FilterTable(facet, values) => {
                self.view.clear_filters();
                for value in &values {
                    self.view.toggle_facet(facet, value);
                }
                self.set_mode(Mode::Catalogue);
            }
        }
    }

    /// Creates an empty catalogue and opens it; a refusal (the file exists, the folder is not
    /// writable) stays in the dialog.
    fn create_catalogue(&mut self, path: std::path::PathBuf) {
        let lang = self.lang();
        match crate::store::Catalogue::create(&path) {
            Ok(created) => {
                drop(created);
                self.dialogs.open = None;
                self.pending_status = Some(format!(
                    "{} {}",
                    tr(lang, "Đã tạo danh mục", "Created catalogue"),
                    path.display()
                ));
                self.start_loading(path);
            }
            Err(error) => {
                let message = error.message(lang);
                match &mut self.dialogs.open {
                    Some(dialog) => dialog.error = Some(message),
                    None => self.last_action = message,
                }
            }
        }
    }

    pub(super) fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
        if mode == Mode::Revisions {
            self.refresh_revisions();
        }
        if mode == Mode::Documents
            && (self.document_list.list().is_empty() || self.document_list.stale)
        {
            self.start_documents();
        }
        if mode == Mode::TwoLevel {
            self.enter_two_level();
        }
        if mode == Mode::Merge {
            self.enter_merge();
        }
        if mode == Mode::Simplify {
            self.enter_simplify();
        }
        if mode == Mode::Dashboard {
            self.enter_dashboard();
        }
    }

    /// File → Export…; from the Revisions view, on the diff on screen.
    fn show_export(&mut self, choice: Option<ExportChoice>) {
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        let revisions = match catalogue.revisions() {
            Ok(revisions) => revisions,
            Err(error) => {
                self.last_action = error.message(self.lang());
                return;
            }
        };
        let compared = self.revisions.compared.clone();
        self.dialogs.export = Some(match (choice, compared) {
            (Some(choice), Some((old, new))) => {
                ExportDialog::for_diff(&self.path, revisions, old, new, choice)
            }
            (_, compared) => ExportDialog::new(&self.path, revisions, compared),
        });
    }

    fn step(&mut self, work: BatchWork) {
        if self.writable() && !self.is_writing() {
            self.start_batch(work);
        }
    }

    fn select_position(&mut self, position: usize) {
        if let Some(row) = self.view.shown_row(position) {
            let procedure_id = row.procedure_id();
            self.select(procedure_id);
            self.scroll_to = Some(position);
        }
    }

    pub(super) fn select(&mut self, procedure_id: i64) {
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        let loaded = catalogue
            .procedure(procedure_id)
            .and_then(|procedure| Ok((catalogue.history(procedure_id)?, procedure)));
        match loaded {
            Ok((history, procedure)) => {
                let mut form = ProcedureForm::edit(&procedure, history, self.read_only());
                form.simplification = self.options_section(&procedure);
                self.form = Some(form);
                self.selected = Some(procedure_id);
            }
            Err(error) => self.last_action = error.message(self.lang()),
        }
    }

    fn code_of(&self, procedure_id: i64) -> String {
        self.view
            .row(procedure_id)
            .map(|row| row.summary.code.clone())
            .unwrap_or_default()
    }

    /// One transaction through the store; the error, if any, goes to the status bar.
    fn write(&mut self, summary: &str, changes: &[Change]) -> Option<AppliedBatch> {
        let catalogue = self.catalogue.as_mut()?;
        match catalogue.apply_changes(summary, changes) {
            Ok(applied) => {
                self.catalogue_changed();
                self.last_action = summary.to_owned();
                Some(applied)
            }
            Err(error) => {
                self.last_action = error.message(self.lang());
                None
            }
        }
    }

    fn retire(&mut self, reason: String, decision_number: String) {
        let lang = self.lang();
        let Some(procedure_id) = self.selected else {
            return;
        };
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

    pub(super) fn save(&mut self) {
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
                        .map(|f| crate::gui::i18n::field_label(lang, *f))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return;
            }
        };
        let summary = format!("{} {}", tr(lang, "sửa", "edit"), data.code);
        let form_procedure_id = form.procedure_id;
        // Only what the officer changed is written, over what is stored now; a field someone
        // else changed meanwhile is theirs until the officer chooses (the conflict dialog).
        let change = match form_procedure_id {
            Some(procedure_id) => Change::Edit {
                procedure_id,
                base: Box::new(form.original().clone()),
                data: data.clone(),
            },
            None => Change::Create(data.clone()),
        };
        self.save_change(summary, form_procedure_id, change, data);
    }

    /// Writes the form's change; a conflict opens the dialog that resolves it.
    fn save_change(
        &mut self,
        summary: String,
        form_procedure_id: Option<i64>,
        change: Change,
        mine: crate::domain::ProcedureData,
    ) {
        let lang = self.lang();
        let Some(catalogue) = self.catalogue.as_mut() else {
            return;
        };
        let applied = match catalogue.apply_changes(&summary, std::slice::from_ref(&change)) {
            Ok(applied) => applied,
            Err(crate::store::StoreError::Conflicts(conflicts)) => {
                if let (Some(procedure_id), Change::Edit { base, .. }) = (form_procedure_id, change)
                {
                    match catalogue.procedure(procedure_id) {
                        Ok(now) => {
                            self.dialogs.conflict = Some(ConflictDialog::new(
                                procedure_id,
                                *base,
                                now.data,
                                mine,
                                conflicts,
                            ));
                        }
                        Err(error) => self.last_action = error.message(lang),
                    }
                }
                return;
            }
            Err(error) => {
                self.last_action = error.message(lang);
                return;
            }
        };
        self.catalogue_changed();
        let procedure_id = form_procedure_id.or_else(|| applied.created.first().copied());
        if let Some(procedure_id) = procedure_id {
            self.refresh_procedures(&[procedure_id]);
            self.select(procedure_id);
            self.scroll_to = self.view.position_of(procedure_id);
        }
        self.last_action = format!("{} — {}", tr(lang, "Đã lưu", "Saved"), summary);
    }

    /// Saves again after the officer chose, field by field, between theirs and mine.
    fn resolve_conflict(&mut self) {
        let lang = self.lang();
        let Some(dialog) = self.dialogs.conflict.take() else {
            return;
        };
        let data = dialog.resolved();
        let summary = format!("{} {}", tr(lang, "sửa", "edit"), data.code);
        let change = Change::Edit {
            procedure_id: dialog.procedure_id,
            base: Box::new(dialog.theirs.clone()),
            data: data.clone(),
        };
        self.save_change(summary, Some(dialog.procedure_id), change, data);
    }

    /// Reloads changed procedures into the table, indexing it once.
    pub(super) fn refresh_procedures(&mut self, procedure_ids: &[i64]) {
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        let mut procedures = Vec::with_capacity(procedure_ids.len());
        for &procedure_id in procedure_ids {
            match catalogue.procedure(procedure_id) {
                Ok(procedure) => procedures.push(procedure),
                Err(error) => self.last_action = error.message(self.lang()),
            }
        }
        self.view.upsert_many(&procedures);
        match catalogue.legal_documents() {
            Ok(documents) => {
                self.documents = documents
                    .into_iter()
                    .map(|d| (d.number.clone(), d))
                    .collect();
            }
            Err(error) => self.last_action = error.message(self.lang()),
        }
    }

    /// The table's "flagged" filter follows the findings still to act on.
    pub(super) fn flag_audited_rows(&mut self) {
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

    pub(super) fn load_audit_members(&mut self) {
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
            Err(error) => self.last_action = error.message(self.lang()),
        }
    }

    fn run_document_command(&mut self, command: DocumentCommand) {
        let lang = self.lang();
        match command {
            DocumentCommand::Reload => self.start_documents(),
            DocumentCommand::Save(document) => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                match catalogue.save_legal_document(&document) {
                    Ok(()) => {
                        self.last_action = format!(
                            "{} {}",
                            tr(lang, "Đã lưu văn bản", "Saved document"),
                            document.number
                        );
                        self.documents.insert(document.number.clone(), document);
                        // A repeal changes what the audit finds, not the entries.
                        self.audit_stale = true;
                        self.start_documents();
                    }
                    Err(error) => self.last_action = error.message(self.lang()),
                }
            }
            DocumentCommand::Recite { old, new } => {
                if self.writable() && !self.is_writing() {
                    self.start_batch(BatchWork::Recite { old, new });
                }
            }
        }
    }

    fn run_audit_command(&mut self, command: AuditCommand) {
        let lang = self.lang();
        match command {
            AuditCommand::Rerun => self.start_audit(),
            AuditCommand::Select(_) => self.load_audit_members(),
            AuditCommand::Verdict { index, kind, note } => {
                let Some(finding) = self.audit.report().and_then(|r| r.findings.get(index)) else {
                    return;
                };
                let codes: Vec<String> = finding.members.iter().map(|m| m.code.clone()).collect();
                let recorded = self
                    .write_verdicts(&[index], kind, &note)
                    .map(|verdicts| verdicts.into_iter().next());
                match recorded {
                    Ok(None) => {}
                    Ok(Some(verdict)) => {
                        let reopened = verdict.kind == VerdictKind::Reopened;
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
                            verdict_label(lang, kind),
                            codes.join(", ")
                        );
                    }
                    Err(error) => self.last_action = error.message(self.lang()),
                }
            }
            AuditCommand::Verdicts {
                indices,
                kind,
                note,
            } => {
                let Some(report) = self.audit.report() else {
                    return;
                };
                let count = indices
                    .iter()
                    .filter(|&&i| report.findings.get(i).is_some())
                    .count();
                match self.write_verdicts(&indices, kind, &note) {
                    Ok(verdicts) => {
                        if let Some(report) = self.audit.report_mut() {
                            for (&index, verdict) in indices.iter().zip(verdicts) {
                                if let Some(finding) = report.findings.get_mut(index) {
                                    let reopened = verdict.kind == VerdictKind::Reopened;
                                    finding.verdict = (!reopened).then_some(verdict);
                                }
                            }
                        }
                        self.audit.verdict_recorded();
                        self.flag_audited_rows();
                        self.load_audit_members();
                        self.last_action = format!(
                            "{}: {} — {} {}",
                            tr(lang, "Đã ghi kết luận", "Verdict recorded"),
                            verdict_label(lang, kind),
                            count,
                            tr(lang, "phát hiện", "findings")
                        );
                    }
                    Err(error) => self.last_action = error.message(self.lang()),
                }
            }
            AuditCommand::Merge(request) => {
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
                        self.catalogue_changed();
                        self.start_audit();
                    }
                    Err(error) => self.last_action = error.message(self.lang()),
                }
            }
        }
    }

    /// Records one verdict on the findings at `indices` of the report, in one transaction; a
    /// proposed abolition records an abolish option per entry with it (the simplification's
    /// view and the form follow).
    fn write_verdicts(
        &mut self,
        indices: &[usize],
        kind: VerdictKind,
        note: &str,
    ) -> Result<Vec<crate::store::Verdict>, crate::store::StoreError> {
        let (Some(catalogue), Some(report)) = (self.catalogue.as_mut(), self.audit.report()) else {
            return Ok(Vec::new());
        };
        let findings: Vec<&crate::audit::Finding> = indices
            .iter()
            .filter_map(|&i| report.findings.get(i))
            .collect();
        let pairs: Vec<(String, String)> = findings
            .iter()
            .map(|f| (f.key.clone(), f.fingerprint.clone()))
            .collect();
        let (summary, options) = if kind == VerdictKind::ProposeAbolition {
            crate::simplify::abolition_options(catalogue, findings.iter().copied(), note)?
        } else {
            (String::new(), Vec::new())
        };
        let verdicts = catalogue.record_verdicts_with(&pairs, kind, note, &summary, &options)?;
        if !options.is_empty() {
            self.simplify_stale();
            self.read_simplify_settings();
            self.refresh_form_section();
        }
        Ok(verdicts)
    }

    fn refresh_revisions(&mut self) {
        if let Some(catalogue) = &self.catalogue {
            match catalogue.revisions() {
                Ok(revisions) => self.revisions.set_revisions(revisions),
                Err(error) => self.last_action = error.message(self.lang()),
            }
        }
    }

    fn run_revision_command(&mut self, command: RevisionCommand) {
        let lang = self.lang();
        match command {
            RevisionCommand::Create { name, note } => {
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
                    Err(error) => self.last_action = error.message(self.lang()),
                }
                self.refresh_revisions();
            }
            RevisionCommand::Compare { old, new } => {
                if self.jobs.diff.is_none() {
                    self.start_diff(old, new);
                }
            }
            RevisionCommand::Publish {
                name,
                decision,
                date,
            } => {
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
                    Err(error) => self.last_action = error.message(self.lang()),
                }
                self.refresh_revisions();
            }
        }
    }
}

impl super::modals::Dialogs {
    pub(super) fn close(&mut self, dialog: Dialog) {
        match dialog {
            Dialog::Open => self.open = None,
            Dialog::Retire => self.retire = None,
            Dialog::Import => self.import = None,
            Dialog::Export => self.export = None,
            Dialog::About => self.about = false,
            Dialog::Conflict => self.conflict = None,
        }
    }
}
