//! Simplification in the window: options recorded, carried out and judged (small batches
//! written at once, each undoable), the savings report and the dashboard computed on reading
//! threads, the signed report written on one.

use super::CatalogueApp;
use crate::domain::Procedure;
use crate::gui::command::{Command, Mode, SimplifyCommand};
use crate::gui::i18n::tr;
use crate::gui::job::Job;
use crate::gui::messages::Message;
use crate::gui::views::dashboard::AuditProgress;
use crate::gui::views::options_section::OptionsSection;
use crate::simplify;

use super::jobs::failure_text;

impl CatalogueApp {
    pub(super) fn run_simplify_command(&mut self, command: SimplifyCommand) {
        let lang = self.lang();
        match command {
            SimplifyCommand::Record(option) => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                match simplify::record_option(catalogue, *option) {
                    Ok(option) => {
                        self.last_action = format!(
                            "{} {}: {}",
                            tr(lang, "Đã ghi phương án", "Recorded option"),
                            option.number,
                            option.describe()
                        );
                        self.simplification_changed();
                    }
                    Err(error) => self.last_action = error.message(lang),
                }
            }
            SimplifyCommand::Apply(number) => {
                if self.form.as_ref().is_some_and(|form| form.is_dirty()) {
                    self.last_action = tr(
                        lang,
                        "Lưu hoặc bỏ các thay đổi trong biểu mẫu trước khi áp dụng phương án",
                        "Save or drop the form's changes before carrying out an option",
                    )
                    .to_owned();
                    return;
                }
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                let target = simplify::find_option(catalogue, number).and_then(|option| {
                    let key = format!("{}@{}", option.code, option.level.key());
                    Ok((option, simplify::find_procedure(catalogue, &key)?))
                });
                let (option, procedure) = match target {
                    Ok(target) => target,
                    Err(error) => {
                        self.last_action = error.message(lang);
                        return;
                    }
                };
                match simplify::apply_option(catalogue, number) {
                    Ok(_) => {
                        self.last_action = format!(
                            "{} {}: {} — {}",
                            tr(lang, "Đã áp dụng phương án", "Carried out option"),
                            number,
                            option.code,
                            option.describe()
                        );
                        self.catalogue_changed();
                        self.refresh_procedures(&[procedure.procedure_id]);
                        if self.selected == Some(procedure.procedure_id) {
                            if self.view.row(procedure.procedure_id).is_some() {
                                self.select(procedure.procedure_id);
                            } else {
                                self.selected = None;
                                self.form = None;
                            }
                        }
                        self.read_simplify_settings();
                    }
                    Err(error) => self.last_action = error.message(lang),
                }
            }
            SimplifyCommand::SetState(number, state) => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                match simplify::set_option_state(catalogue, number, state) {
                    Ok(_) => {
                        self.last_action = format!(
                            "{} {}: {}",
                            tr(lang, "Phương án", "Option"),
                            number,
                            state.label_vi()
                        );
                        self.simplification_changed();
                    }
                    Err(error) => self.last_action = error.message(lang),
                }
            }
            SimplifyCommand::Report { old, new } => self.start_savings(old, new),
            SimplifyCommand::SaveSettings(model, targets) => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                let changes = [
                    simplify::set_cost_model(&model),
                    simplify::set_targets(&targets),
                ];
                let summary = tr(
                    lang,
                    "tham số chi phí tuân thủ và mục tiêu",
                    "cost parameters and targets",
                );
                match catalogue.apply_changes(summary, &changes) {
                    Ok(_) => {
                        self.last_action = tr(
                            lang,
                            "Đã lưu tham số và mục tiêu",
                            "Saved the parameters and targets",
                        )
                        .to_owned();
                        self.simplification_changed();
                    }
                    Err(error) => self.last_action = error.message(lang),
                }
            }
            SimplifyCommand::Export(output) => {
                let Some(report) = self.simplify.report().cloned() else {
                    return;
                };
                if self.jobs.savings_export.is_some() {
                    return;
                }
                self.simplify.export_error = None;
                self.jobs.savings_export = Some(Job::read(
                    self.path.clone(),
                    self.repaint.clone(),
                    move |catalogue, _| {
                        crate::export::savings::write_savings_report(catalogue, &report, &output)?;
                        Ok(output)
                    },
                ));
            }
            SimplifyCommand::Refresh => self.start_overview(),
            SimplifyCommand::ShowEntry(code, level) => {
                let found = self
                    .view
                    .rows()
                    .iter()
                    .find(|row| row.summary.code == code && row.summary.level == level)
                    .map(|row| row.procedure_id());
                match found {
                    Some(procedure_id) => self.run_guarded(Command::ShowProcedure(procedure_id)),
                    None => {
                        self.last_action = format!(
                            "{} {code} ({})",
                            tr(
                                lang,
                                "Không còn trong bản làm việc:",
                                "No longer in the working copy:"
                            ),
                            level.label_vi()
                        )
                    }
                }
            }
        }
    }

    /// The form's simplification section for a stored entry: its options and cost.
    pub(super) fn options_section(&self, procedure: &Procedure) -> Option<OptionsSection> {
        let catalogue = self.catalogue.as_ref()?;
        let data = &procedure.data;
        let options = simplify::options_of(catalogue, &data.code, data.level_or_province()).ok()?;
        let cost = simplify::cost_model(catalogue).ok()?.cost(data);
        Some(OptionsSection::new(data, options, cost))
    }

    /// An option or a setting changed (no entry's data): the form's section, the view's
    /// list and settings follow; the reports are computed again.
    fn simplification_changed(&mut self) {
        self.catalogue_changed();
        self.refresh_form_section();
        self.read_simplify_settings();
    }

    /// The form's section read again, the draft of the form kept.
    pub(super) fn refresh_form_section(&mut self) {
        let Some(procedure_id) = self.form.as_ref().and_then(|form| form.procedure_id) else {
            return;
        };
        let Some(procedure) = self
            .catalogue
            .as_ref()
            .and_then(|c| c.procedure(procedure_id).ok())
        else {
            return;
        };
        let section = self.options_section(&procedure);
        if let Some(form) = &mut self.form {
            form.simplification = section;
        }
    }

    /// The Simplification view's lists: revisions, every option, the kept parameters.
    pub(super) fn read_simplify_settings(&mut self) {
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        let lang = self.lang();
        let read = (|| {
            let revisions = catalogue.revisions()?;
            let published = catalogue.last_published_revision()?.map(|r| r.name);
            Ok::<_, crate::store::StoreError>((
                revisions.into_iter().map(|r| r.name).collect(),
                published,
                simplify::options(catalogue)?,
                simplify::cost_model(catalogue)?,
                simplify::targets(catalogue)?,
            ))
        })();
        match read {
            Ok((revisions, published, options, model, targets)) => {
                self.simplify.set_revisions(revisions, published);
                self.simplify.set_options(options);
                self.simplify.set_settings(model, targets);
            }
            Err(error) => self.last_action = error.message(lang),
        }
    }

    pub(super) fn enter_simplify(&mut self) {
        self.read_simplify_settings();
        if (self.simplify.report().is_none() || self.simplify.stale)
            && !self.simplify.old.is_empty()
        {
            let (old, new) = (self.simplify.old.clone(), self.simplify.new.clone());
            self.start_savings(old, new);
        }
    }

    pub(super) fn enter_dashboard(&mut self) {
        if self.dashboard.overview().is_none() || self.dashboard.stale {
            self.start_overview();
        }
    }

    fn start_savings(&mut self, old: String, new: String) {
        if self.catalogue.is_none() || self.jobs.savings.is_some() {
            return;
        }
        self.simplify.busy = true;
        self.jobs.savings = Some(Job::read(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, _| simplify::savings(catalogue, &old, &new),
        ));
    }

    fn start_overview(&mut self) {
        if self.catalogue.is_none() || self.jobs.overview.is_some() {
            return;
        }
        self.dashboard.busy = true;
        self.dashboard.stale = false;
        self.jobs.overview = Some(Job::read(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, _| simplify::overview::overview(catalogue),
        ));
    }

    /// After a change: what is on screen is computed again; what is not, when next shown.
    pub(super) fn simplify_stale(&mut self) {
        self.simplify.stale = self.simplify.report().is_some();
        self.dashboard.stale = true;
        if self.mode == Mode::Dashboard {
            self.start_overview();
        }
        if self.mode == Mode::Simplify && self.simplify.report().is_some() {
            let (old, new) = (self.simplify.old.clone(), self.simplify.new.clone());
            self.start_savings(old, new);
        }
    }

    /// The audit's progress by kind, for the dashboard.
    pub(super) fn count_audit_progress(&mut self) {
        let Some(report) = self.audit.report() else {
            return;
        };
        let mut progress: std::collections::BTreeMap<crate::audit::FindingKind, (u64, u64)> =
            Default::default();
        for finding in &report.findings {
            let entry = progress.entry(finding.kind).or_default();
            entry.1 += 1;
            if finding.is_reviewed() {
                entry.0 += 1;
            }
        }
        self.dashboard.audit = progress
            .into_iter()
            .map(|(kind, (reviewed, total))| AuditProgress {
                kind,
                reviewed,
                total,
            })
            .collect();
    }

    pub(super) fn poll_simplify(&mut self) {
        let lang = self.lang();
        if let Some(result) = self.jobs.savings.as_ref().and_then(Job::poll) {
            self.jobs.savings = None;
            match result {
                Ok(report) => self.simplify.set_report(report),
                Err(error) => {
                    self.simplify.busy = false;
                    self.last_action = failure_text(lang, &error);
                }
            }
        }
        if let Some(result) = self.jobs.overview.as_ref().and_then(Job::poll) {
            self.jobs.overview = None;
            match result {
                Ok(overview) => {
                    self.dashboard.set_overview(overview);
                    // Changed again while it was computed: once more.
                    if self.dashboard.stale && self.mode == Mode::Dashboard {
                        self.start_overview();
                    }
                }
                Err(error) => {
                    self.dashboard.busy = false;
                    self.last_action = failure_text(lang, &error);
                }
            }
        }
        if let Some(result) = self.jobs.savings_export.as_ref().and_then(Job::poll) {
            self.jobs.savings_export = None;
            match result {
                Ok(output) => {
                    self.last_action = format!(
                        "{} {}",
                        tr(
                            lang,
                            "Đã xuất báo cáo tiết kiệm:",
                            "Wrote the savings report:"
                        ),
                        output.display()
                    )
                }
                Err(error) => {
                    let message = failure_text(lang, &error);
                    self.simplify.export_error = Some(message.clone());
                    self.last_action = message;
                }
            }
        }
    }
}
