//! The two-level view's commands and background work: the preview is planned on a reading
//! thread, the plan written on a writing one; setting the model and keeping the rules are
//! small batches written at once. Each is one undoable batch.

use super::CatalogueApp;
use crate::gui::command::{MergeCommand, Mode, TwoLevelCommand};
use crate::gui::i18n::tr;
use crate::gui::job::Job;
use crate::gui::messages::Message;
use crate::merge_catalogue;
use crate::store::Change;
use crate::two_level::{self, LevelRules};

/// A move touching more entries than this reloads the whole table.
const RELOAD_ABOVE: usize = 2_000;

impl CatalogueApp {
    pub(super) fn run_two_level_command(&mut self, command: TwoLevelCommand) {
        let lang = self.lang();
        match command {
            TwoLevelCommand::Plan(rules) => self.start_two_level_plan(rules),
            TwoLevelCommand::Choose {
                procedure_id,
                outcome,
            } => self.two_level.choose(procedure_id, outcome),
            TwoLevelCommand::ShowField(field) => self.two_level.set_field(field),
            TwoLevelCommand::Apply => {
                let Some(plan) = self.two_level.plan().cloned() else {
                    return;
                };
                if !self.writable() || self.is_writing() || self.two_level.stale {
                    return;
                }
                self.two_level.busy = true;
                self.jobs.two_level_write = Some(Job::write(
                    self.path.clone(),
                    self.repaint.clone(),
                    move |catalogue, _| {
                        let applied = two_level::apply(catalogue, &plan)?;
                        Ok((applied, plan))
                    },
                ));
            }
            TwoLevelCommand::SetGovernment(model) => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                let summary = format!("mô hình chính quyền: {}", model.label_vi());
                match catalogue.apply_changes(&summary, &[Change::government(model)]) {
                    Ok(_) => {
                        self.last_action =
                            format!("{}: {}", tr(lang, "Đã đặt", "Set"), model.label_vi());
                        self.two_level.government = model;
                        self.two_level.stale = true;
                        self.catalogue_changed();
                    }
                    Err(error) => self.last_action = error.message(lang),
                }
            }
            TwoLevelCommand::SaveRules(rules) => {
                let Some(catalogue) = self.catalogue.as_mut() else {
                    return;
                };
                let summary = tr(lang, "lưu quy tắc chuyển cấp", "save the level rules");
                match catalogue.apply_changes(summary, &[two_level::rules_change(&rules)]) {
                    Ok(_) => {
                        self.last_action =
                            tr(lang, "Đã lưu quy tắc chuyển cấp", "Saved the level rules")
                                .to_owned();
                        self.two_level.set_saved_rules(rules);
                        // The audit's suggestions follow the rules.
                        self.catalogue_changed();
                    }
                    Err(error) => self.last_action = error.message(lang),
                }
            }
        }
    }

    pub(super) fn start_two_level_plan(&mut self, rules: LevelRules) {
        if self.catalogue.is_none() || self.jobs.two_level_plan.is_some() {
            return;
        }
        self.two_level.busy = true;
        self.jobs.two_level_plan = Some(Job::read(
            self.path.clone(),
            self.repaint.clone(),
            move |catalogue, _| two_level::plan_catalogue(catalogue, rules),
        ));
    }

    /// The model and the kept rules of the catalogue as it is now.
    pub(super) fn read_two_level_settings(&mut self) {
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        let lang = self.lang();
        match catalogue.government() {
            Ok(model) => self.two_level.government = model,
            Err(error) => self.last_action = error.message(lang),
        }
        match two_level::catalogue_rules(catalogue) {
            Ok(rules) => self.two_level.set_saved_rules(rules),
            Err(error) => self.last_action = error.message(lang),
        }
    }

    pub(super) fn poll_two_level(&mut self) {
        let lang = self.lang();
        if let Some(result) = self.jobs.two_level_plan.as_ref().and_then(Job::poll) {
            self.jobs.two_level_plan = None;
            match result {
                Ok(plan) => {
                    let counts = plan.counts();
                    self.last_action = format!(
                        "{}: {} {}",
                        tr(lang, "Đã lập phương án", "Planned"),
                        counts.total(),
                        tr(lang, "thủ tục cấp huyện", "district procedures")
                    );
                    self.two_level.set_plan(plan);
                }
                Err(error) => {
                    self.two_level.busy = false;
                    self.last_action = super::jobs::failure_text(lang, &error);
                }
            }
        }
        if let Some(result) = self.jobs.two_level_write.as_ref().and_then(Job::poll) {
            self.jobs.two_level_write = None;
            match result {
                Ok((applied, plan)) => {
                    self.two_level.clear_plan();
                    self.two_level.government =
                        crate::domain::government::GovernmentModel::TwoLevel {
                            since: plan.model_before.since().unwrap_or(
                                crate::domain::government::GovernmentModel::TWO_LEVEL_START,
                            ),
                        };
                    self.two_level.set_saved_rules(plan.rules.clone());
                    let ids: Vec<i64> = plan.rows.iter().map(|r| r.procedure_id).collect();
                    self.catalogue_changed();
                    if ids.len() > RELOAD_ABOVE {
                        self.start_loading(self.path.clone());
                    } else {
                        self.refresh_procedures(&ids);
                    }
                    let done = format!(
                        "{} ({} {})",
                        plan.summary(),
                        tr(lang, "đợt ghi", "batch"),
                        applied
                            .batch_id
                            .map(|b| format!("#{b}"))
                            .unwrap_or_default()
                    );
                    self.two_level.applied = Some(done.clone());
                    self.last_action = done;
                }
                Err(error) => {
                    self.two_level.busy = false;
                    self.last_action = super::jobs::failure_text(lang, &error);
                }
            }
        }
    }

    /// Entering the view: the model and rules read, a first preview made.
    pub(super) fn enter_two_level(&mut self) {
        self.read_two_level_settings();
        if self.mode == Mode::TwoLevel
            && (self.two_level.plan().is_none() || self.two_level.stale)
            && !self.two_level.busy
        {
            let rules = self.two_level.rules.clone();
            self.start_two_level_plan(rules);
        }
    }
}

impl CatalogueApp {
    pub(super) fn run_merge_command(&mut self, command: MergeCommand) {
        match command {
            MergeCommand::Plan {
                path,
                revision,
                agencies,
                name,
            } => {
                if self.catalogue.is_none() || self.jobs.merge_plan.is_some() {
                    return;
                }
                self.merge.busy = true;
                self.merge.error = None;
                self.jobs.merge_plan = Some(Job::read(
                    self.path.clone(),
                    self.repaint.clone(),
                    move |catalogue, progress| {
                        let revision = Some(revision.as_str()).filter(|r| !r.is_empty());
                        let mut plan = merge_catalogue::plan_from(
                            catalogue, &path, revision, agencies, progress,
                        )?;
                        if !name.is_empty() {
                            plan.here.name = name;
                        }
                        Ok(plan)
                    },
                ));
            }
            MergeCommand::ShowTab(tab) => self.merge.tab = tab,
            MergeCommand::Choose { pair, field, side } => {
                if let Some(plan) = self.merge.plan_mut() {
                    plan.choose(pair, field, side);
                }
                self.merge.refresh();
            }
            MergeCommand::ChooseField(field, side) => {
                if let Some(plan) = self.merge.plan_mut() {
                    plan.choose_for_field(field, side);
                }
                self.merge.refresh();
            }
            MergeCommand::Include { index, include } => {
                if let Some(plan) = self.merge.plan_mut() {
                    plan.include(index, include);
                }
                self.merge.refresh();
            }
            MergeCommand::IncludeAll(include) => {
                if let Some(plan) = self.merge.plan_mut() {
                    for index in 0..plan.only_there.len() {
                        plan.include(index, include);
                    }
                }
                self.merge.refresh();
            }
            MergeCommand::Apply => {
                let Some(plan) = self.merge.plan().cloned() else {
                    return;
                };
                if !self.writable() || self.is_writing() || self.merge.stale {
                    return;
                }
                self.merge.busy = true;
                self.jobs.merge_write = Some(Job::write(
                    self.path.clone(),
                    self.repaint.clone(),
                    move |catalogue, _| {
                        let applied = merge_catalogue::apply(catalogue, &plan)?;
                        Ok((applied, plan))
                    },
                ));
            }
        }
    }

    pub(super) fn poll_merge(&mut self) {
        let lang = self.lang();
        if let Some(result) = self.jobs.merge_plan.as_ref().and_then(Job::poll) {
            self.jobs.merge_plan = None;
            match result {
                Ok(plan) => {
                    let counts = plan.counts();
                    self.last_action = format!(
                        "{} {}: {} {}, {} {}, {} {}",
                        tr(lang, "Đã ghép với", "Matched with"),
                        plan.there.label(),
                        counts.matched,
                        tr(lang, "trùng", "matched"),
                        counts.only_here,
                        tr(lang, "chỉ bên này", "only here"),
                        counts.only_there,
                        tr(lang, "chỉ bên kia", "only there")
                    );
                    self.merge.set_plan(plan);
                }
                Err(error) => {
                    self.merge.busy = false;
                    let text = super::jobs::failure_text(lang, &error);
                    self.merge.error = Some(text.clone());
                    self.last_action = text;
                }
            }
        }
        if let Some(result) = self.jobs.merge_write.as_ref().and_then(Job::poll) {
            self.jobs.merge_write = None;
            match result {
                Ok((applied, plan)) => {
                    self.merge.clear_plan();
                    let done = format!(
                        "{} ({} {})",
                        plan.summary(),
                        tr(lang, "đợt ghi", "batch"),
                        applied
                            .batch_id
                            .map(|b| format!("#{b}"))
                            .unwrap_or_default()
                    );
                    self.catalogue_changed();
                    self.merge.applied = Some(done.clone());
                    // Many entries change: the table is read again.
                    self.pending_status = Some(done);
                    self.start_loading(self.path.clone());
                }
                Err(error) => {
                    self.merge.busy = false;
                    self.last_action = super::jobs::failure_text(lang, &error);
                }
            }
        }
    }

    /// Entering the merge view: this catalogue's name proposed for provenance.
    pub(super) fn enter_merge(&mut self) {
        if self.merge.name.is_empty()
            && let Some(catalogue) = &self.catalogue
            && let Ok(name) = catalogue.name()
        {
            self.merge.name = name;
        }
    }
}
