//! The Audit view: findings grouped by kind with counts and review progress; the selected
//! finding's entries side by side with their differences highlighted word by word; the
//! reviewer's actions (merge, dismiss, confirm, keep, propose abolition, open in the form).
//! Draws and returns actions; the app runs them on the core.

use egui::RichText;

use crate::audit::{AuditReport, Finding, FindingKind};
use crate::diff::{Side, word_diff};
use crate::domain::{Procedure, ProcedureField};
use crate::gui::command::{AuditCommand, Command};
use crate::gui::i18n::{
    Lang, field_label, finding_kind_label, level_label, rule_label, status_label, tr, verdict_label,
};
use crate::gui::widgets::{dialog_buttons, side_panel, words_job};
use crate::store::{MergeRequest, VerdictKind};

/// The merge being prepared: which entry survives and where each differing field comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeDialog {
    pub survivor: usize,
    /// Per field whose values differ: the member whose value the survivor keeps.
    pub choices: Vec<(ProcedureField, usize)>,
    pub note: String,
}

impl MergeDialog {
    fn new(members: &[Procedure]) -> MergeDialog {
        let mut dialog = MergeDialog {
            survivor: 0,
            choices: Vec::new(),
            note: String::new(),
        };
        dialog.choose_survivor(members, 0);
        dialog
    }

    /// Makes `survivor` the entry that stays; each field keeps its value unless it is empty
    /// and another entry has one.
    pub fn choose_survivor(&mut self, members: &[Procedure], survivor: usize) {
        self.survivor = survivor;
        self.choices = differing_fields(members)
            .into_iter()
            .filter(|field| !matches!(field, ProcedureField::Code | ProcedureField::Level))
            .map(|field| {
                let own = field.value_text(&members[survivor].data);
                let from = if own.trim().is_empty() {
                    (0..members.len())
                        .find(|&m| !field.value_text(&members[m].data).trim().is_empty())
                        .unwrap_or(survivor)
                } else {
                    survivor
                };
                (field, from)
            })
            .collect();
    }

    pub fn request(&self, finding: &Finding, members: &[Procedure]) -> MergeRequest {
        let mut survivor = members[self.survivor].data.clone();
        for &(field, from) in &self.choices {
            // Values come from a stored entry, so they read back into the field.
            let _ = field.set_from_text(&mut survivor, &field.value_text(&members[from].data));
        }
        MergeRequest {
            finding_key: finding.key.clone(),
            fingerprint: finding.fingerprint.clone(),
            survivor_id: members[self.survivor].procedure_id,
            survivor_base: members[self.survivor].data.clone(),
            survivor,
            retire: members
                .iter()
                .enumerate()
                .filter(|(m, _)| *m != self.survivor)
                .map(|(_, p)| p.procedure_id)
                .collect(),
            note: self.note.trim().to_owned(),
        }
    }
}

/// Fields whose values are not the same in every entry, in form order.
fn differing_fields(members: &[Procedure]) -> Vec<ProcedureField> {
    ProcedureField::ALL
        .into_iter()
        .filter(|field| {
            let first = field.value_text(&members[0].data);
            members[1..]
                .iter()
                .any(|m| field.value_text(&m.data) != first)
        })
        .collect()
}

#[derive(Default)]
pub struct AuditPanel {
    report: Option<AuditReport>,
    pub busy: bool,
    kind: Option<FindingKind>,
    show_reviewed: bool,
    /// Indices into the report's findings: the chosen kind, reviewed ones only if asked.
    shown: Vec<usize>,
    selected: Option<usize>,
    members: Vec<Procedure>,
    note: String,
    pub merge: Option<MergeDialog>,
    /// Per kind (in `FindingKind::ALL` order): (listed, reviewed, total), counted when the
    /// report or a verdict changes, not every frame.
    counts: [(usize, usize, usize); FindingKind::ALL.len()],
    /// Findings ticked for one verdict on all of them (indices into the report).
    ticked: std::collections::BTreeSet<usize>,
    /// An entry to open in the form, asked this frame.
    open: Option<i64>,
}

impl AuditPanel {
    pub fn report(&self) -> Option<&AuditReport> {
        self.report.as_ref()
    }

    pub fn report_mut(&mut self) -> Option<&mut AuditReport> {
        self.report.as_mut()
    }

    pub fn kind(&self) -> FindingKind {
        self.kind.unwrap_or(FindingKind::Duplicate)
    }

    pub fn set_kind(&mut self, kind: FindingKind) {
        self.kind = Some(kind);
        self.refresh_shown();
        self.selected = self.shown.first().copied();
    }

    /// Findings still to act on, of every kind.
    pub fn listed_total(&self) -> usize {
        self.counts.iter().map(|(listed, _, _)| listed).sum()
    }

    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn selected_finding(&self) -> Option<&Finding> {
        self.report.as_ref()?.findings.get(self.selected?)
    }

    pub fn members(&self) -> &[Procedure] {
        &self.members
    }

    pub fn set_members(&mut self, members: Vec<Procedure>) {
        self.members = members;
        self.merge = None;
        self.note.clear();
    }

    /// Takes a new report, keeping the kind and, where it can, the place in the list: the
    /// same finding, else the one that now stands where it stood.
    pub fn set_report(&mut self, report: AuditReport) {
        let previous_key = self.selected_finding().map(|f| f.key.clone());
        let previous_position = self
            .selected
            .and_then(|s| self.shown.iter().position(|&i| i == s));
        if self.kind.is_none() {
            // Start on the first kind with something to review.
            self.kind = FindingKind::ALL
                .into_iter()
                .find(|&kind| report.listed().any(|f| f.kind == kind));
        }
        self.report = Some(report);
        self.busy = false;
        // Indices of the old report mean nothing in the new one.
        self.ticked.clear();
        self.refresh_shown();
        self.reselect(previous_key, previous_position);
    }

    /// The findings ticked for a verdict on all of them.
    pub fn ticked(&self) -> &std::collections::BTreeSet<usize> {
        &self.ticked
    }

    /// Ticks every finding shown (the kind chosen), or unticks them all.
    pub fn tick_all(&mut self, on: bool) {
        if on {
            self.ticked.extend(self.shown.iter().copied());
        } else {
            self.ticked.clear();
        }
    }

    /// After a verdict changed what is listed: keep the place in the list.
    pub fn verdict_recorded(&mut self) {
        self.ticked.clear();
        let previous_key = self.selected_finding().map(|f| f.key.clone());
        let previous_position = self
            .selected
            .and_then(|s| self.shown.iter().position(|&i| i == s));
        self.refresh_shown();
        self.reselect(previous_key, previous_position);
    }

    fn reselect(&mut self, key: Option<String>, position: Option<usize>) {
        let findings = self.report.as_ref().map(|r| &r.findings);
        let same = key.and_then(|key| {
            self.shown
                .iter()
                .copied()
                .find(|&i| findings.is_some_and(|f| f[i].key == key))
        });
        self.selected = same.or_else(|| {
            let at = position
                .unwrap_or(0)
                .min(self.shown.len().saturating_sub(1));
            self.shown.get(at).copied()
        });
    }

    fn refresh_shown(&mut self) {
        if let Some(report) = &self.report {
            self.counts = FindingKind::ALL.map(|kind| {
                let (reviewed, total) = report.progress(kind);
                let listed = report.listed().filter(|f| f.kind == kind).count();
                (listed, reviewed, total)
            });
        }
        let kind = self.kind();
        self.shown = self
            .report
            .as_ref()
            .map(|report| {
                report
                    .findings
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.kind == kind && (self.show_reviewed || f.is_listed()))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        let mut action = None;
        side_panel(egui::Panel::left("audit_findings"), ui, 460.0).show(ui, |ui| {
            action = self.list_ui(ui, lang);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(a) = self.bulk_ui(ui, lang, writable) {
                action = Some(a);
            }
            if let Some(a) = self.detail_ui(ui, lang, writable) {
                action = Some(a);
            }
        });
        if let Some(a) = self.merge_ui(ui.ctx(), lang) {
            action = Some(a);
        }
        commands.extend(action.map(Command::Audit));
        commands.extend(self.open.take().map(Command::ShowProcedure));
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<AuditCommand> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(tr(lang, "Rà soát", "Audit"));
            if self.busy {
                ui.spinner();
                ui.label(tr(lang, "đang rà soát…", "auditing…"));
            } else if ui.button(tr(lang, "Rà soát lại", "Run again")).clicked() {
                action = Some(AuditCommand::Rerun);
            }
        });
        let Some(report) = &self.report else {
            return action;
        };
        ui.label(format!(
            "{} {} {} · {} {}",
            tr(lang, "Đã rà soát", "Audited"),
            report.audited,
            tr(lang, "thủ tục", "procedures"),
            tr(lang, "tính đến", "as of"),
            crate::domain::format_date(report.as_of)
        ));
        if !report.gaps.is_empty() {
            let lacking: Vec<&str> = report
                .gaps
                .iter()
                .map(|rule| rule_label(lang, *rule))
                .collect();
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "{}: {}",
                        tr(
                            lang,
                            "Danh mục chưa có cột này ở thủ tục nào (không báo từng thủ tục)",
                            "No procedure holds this at all (not reported one by one)",
                        ),
                        lacking.join(", ")
                    ))
                    .small()
                    .color(ui.visuals().warn_fg_color),
                )
                .wrap(),
            );
        }
        ui.separator();
        let mut chosen = None;
        for (kind, (listed, reviewed, total)) in FindingKind::ALL.into_iter().zip(self.counts) {
            ui.horizontal(|ui| {
                let text = format!("{} ({listed})", finding_kind_label(lang, kind));
                if ui.selectable_label(self.kind() == kind, text).clicked() {
                    chosen = Some(kind);
                }
                ui.label(
                    RichText::new(format!(
                        "{reviewed}/{total} {}",
                        tr(lang, "đã xem xét", "reviewed")
                    ))
                    .weak(),
                );
            });
            let fraction = if total == 0 {
                1.0
            } else {
                reviewed as f32 / total as f32
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_height(6.0)
                    .desired_width(ui.available_width()),
            )
            .on_hover_text(format!(
                "{reviewed} / {total} {}",
                tr(lang, "đã xem xét", "reviewed")
            ));
        }
        if let Some(kind) = chosen {
            self.set_kind(kind);
            if let Some(index) = self.selected {
                action = Some(AuditCommand::Select(index));
            }
        }
        if ui
            .checkbox(
                &mut self.show_reviewed,
                tr(
                    lang,
                    "Hiện cả phát hiện đã xử lý",
                    "Show reviewed findings too",
                ),
            )
            .changed()
        {
            self.refresh_shown();
        }
        ui.separator();
        if self.shown.is_empty() {
            ui.label(tr(lang, "Không có phát hiện nào", "No findings"));
            return action;
        }
        let all_ticked = self.shown.iter().all(|i| self.ticked.contains(i));
        let mut tick_all = all_ticked;
        if ui
            .checkbox(
                &mut tick_all,
                format!(
                    "{} ({})",
                    tr(lang, "Chọn cả nhóm", "Tick the whole group"),
                    self.shown.len()
                ),
            )
            .changed()
        {
            self.tick_all(tick_all);
        }
        let Some(report) = &self.report else {
            return action;
        };
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::vertical()
            .id_salt("audit_list")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, self.shown.len(), |ui, range| {
                for &index in &self.shown[range] {
                    let finding = &report.findings[index];
                    let first = &finding.members[0];
                    let more = if finding.members.len() > 1 {
                        format!(" +{}", finding.members.len() - 1)
                    } else {
                        String::new()
                    };
                    let mark = match &finding.verdict {
                        Some(v) => format!("[{}] ", verdict_label(lang, v.kind)),
                        None => String::new(),
                    };
                    let text = format!(
                        "{mark}{} · {} {}{more}",
                        rule_label(lang, finding.rule),
                        first.code,
                        first.name.trim()
                    );
                    let selected = self.selected == Some(index);
                    ui.horizontal(|ui| {
                        let mut ticked = self.ticked.contains(&index);
                        if ui
                            .checkbox(&mut ticked, "")
                            .on_hover_text(tr(
                                lang,
                                "Chọn để ghi một kết luận cho nhiều phát hiện",
                                "Tick to give one verdict to several findings",
                            ))
                            .changed()
                        {
                            if ticked {
                                self.ticked.insert(index);
                            } else {
                                self.ticked.remove(&index);
                            }
                        }
                        let label = egui::Button::selectable(selected, text).truncate();
                        if ui.add(label).clicked() && !selected {
                            self.selected = Some(index);
                            action = Some(AuditCommand::Select(index));
                        }
                    });
                }
            });
        action
    }

    /// One verdict for every ticked finding, in one transaction.
    fn bulk_ui(&mut self, ui: &mut egui::Ui, lang: Lang, writable: bool) -> Option<AuditCommand> {
        if self.ticked.is_empty() {
            return None;
        }
        let mut action = None;
        ui.group(|ui| {
            ui.strong(format!(
                "{} {} {}",
                tr(lang, "Kết luận cho", "Verdict for"),
                self.ticked.len(),
                tr(lang, "phát hiện đã chọn", "ticked findings")
            ));
            ui.horizontal_wrapped(|ui| {
                let indices: Vec<usize> = self.ticked.iter().copied().collect();
                let note = self.note.trim().to_owned();
                let verdicts = |kind| AuditCommand::Verdicts {
                    indices: indices.clone(),
                    kind,
                    note: note.clone(),
                };
                for (kind, label) in [
                    (
                        VerdictKind::Dismissed,
                        tr(lang, "Không phải lỗi", "Not a problem"),
                    ),
                    (VerdictKind::Confirmed, tr(lang, "Xác nhận", "Confirm")),
                ] {
                    if ui
                        .add_enabled(
                            writable,
                            egui::Button::new(format!("{label} ({})", indices.len())),
                        )
                        .clicked()
                    {
                        action = Some(verdicts(kind));
                    }
                }
                if ui
                    .add_enabled(
                        writable && !note.is_empty(),
                        egui::Button::new(format!(
                            "{} ({})",
                            tr(lang, "Giữ nguyên (ghi lý do)", "Keep (with reason)"),
                            indices.len()
                        )),
                    )
                    .clicked()
                {
                    action = Some(verdicts(VerdictKind::Keep));
                }
                if ui.button(tr(lang, "Bỏ chọn", "Untick all")).clicked() {
                    self.ticked.clear();
                }
            });
        });
        action
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, lang: Lang, writable: bool) -> Option<AuditCommand> {
        let mut action = None;
        let (Some(report), Some(index)) = (&self.report, self.selected) else {
            ui.label(tr(
                lang,
                "Chọn một phát hiện ở danh sách bên trái",
                "Choose a finding on the left",
            ));
            return None;
        };
        let finding = &report.findings[index];
        ui.heading(format!(
            "{} — {}",
            finding_kind_label(lang, finding.kind),
            rule_label(lang, finding.rule)
        ));
        ui.label(&finding.reason);
        if let Some(verdict) = &finding.verdict {
            let mut text = format!(
                "{}: {} — {} {}",
                tr(lang, "Kết luận", "Verdict"),
                verdict_label(lang, verdict.kind),
                verdict.decided_by,
                verdict.decided_at
            );
            if !verdict.note.is_empty() {
                text.push_str(&format!(" — «{}»", verdict.note));
            }
            ui.label(RichText::new(text).strong());
        }
        ui.separator();

        // Actions first, so they stay in view above long side-by-side tables.
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "Ghi chú / lý do", "Note / reason")).id;
            ui.add(
                egui::TextEdit::singleline(&mut self.note)
                    .desired_width(420.0)
                    .hint_text(tr(
                        lang,
                        "vd. khác cơ quan thực hiện",
                        "e.g. different agencies",
                    ))
                    .id_salt("audit_note"),
            )
            .labelled_by(label);
        });
        ui.horizontal_wrapped(|ui| {
            let verdict = |kind: VerdictKind| AuditCommand::Verdict {
                index,
                kind,
                note: self.note.trim().to_owned(),
            };
            let enabled = writable && !self.members.is_empty();
            let many = finding.members.len() > 1;
            if many
                && ui
                    .add_enabled(enabled, egui::Button::new(tr(lang, "Hợp nhất…", "Merge…")))
                    .clicked()
            {
                self.merge = Some(MergeDialog::new(&self.members));
            }
            let dismiss = match finding.kind {
                FindingKind::Duplicate => tr(lang, "Không phải trùng lặp", "Not a duplicate"),
                FindingKind::Similar => tr(lang, "Không hợp nhất", "Do not merge"),
                _ => tr(lang, "Không phải lỗi", "Not a problem"),
            };
            if ui
                .add_enabled(enabled, egui::Button::new(dismiss))
                .clicked()
            {
                action = Some(verdict(VerdictKind::Dismissed));
            }
            if ui
                .add_enabled(enabled, egui::Button::new(tr(lang, "Xác nhận", "Confirm")))
                .clicked()
            {
                action = Some(verdict(VerdictKind::Confirmed));
            }
            if finding.kind == FindingKind::Obsolete
                && ui
                    .add_enabled(
                        enabled,
                        egui::Button::new(tr(lang, "Đề xuất bãi bỏ", "Propose abolition")),
                    )
                    .clicked()
            {
                action = Some(verdict(VerdictKind::ProposeAbolition));
            }
            let keep = ui
                .add_enabled(
                    enabled && !self.note.trim().is_empty(),
                    egui::Button::new(tr(lang, "Giữ nguyên (ghi lý do)", "Keep (with reason)")),
                )
                .on_disabled_hover_text(tr(
                    lang,
                    "Ghi lý do giữ nguyên vào ô ghi chú",
                    "Write the reason in the note",
                ));
            if keep.clicked() {
                action = Some(verdict(VerdictKind::Keep));
            }
            if finding.verdict.is_some()
                && ui
                    .add_enabled(enabled, egui::Button::new(tr(lang, "Mở lại", "Reopen")))
                    .clicked()
            {
                action = Some(verdict(VerdictKind::Reopened));
            }
        });
        ui.separator();
        self.open = members_ui(ui, lang, &self.members);
        action
    }

    fn merge_ui(&mut self, ctx: &egui::Context, lang: Lang) -> Option<AuditCommand> {
        let dialog = self.merge.as_mut()?;
        let finding = self.report.as_ref()?.findings.get(self.selected?)?;
        let members = &self.members;
        let mut action = None;
        let mut close = false;
        egui::Modal::new(egui::Id::unique("merge_dialog")).show(ctx, |ui| {
            ui.set_max_width(900.0);
            ui.heading(tr(lang, "Hợp nhất các thủ tục trùng lặp", "Merge duplicates"));
            ui.label(tr(
                lang,
                "Thủ tục được giữ lại nhận các giá trị đã chọn; các thủ tục còn lại được rút khỏi danh mục (vẫn lưu trong lịch sử). Một giao dịch, có thể hoàn tác.",
                "The entry kept takes the chosen values; the others leave the working copy (kept in history). One transaction, can be undone.",
            ));
            ui.separator();
            ui.strong(tr(lang, "Giữ lại", "Keep"));
            let mut survivor = dialog.survivor;
            for (m, member) in members.iter().enumerate() {
                ui.radio_value(
                    &mut survivor,
                    m,
                    format!("{} — {}", member.data.code, member.data.name.trim()),
                );
            }
            if survivor != dialog.survivor {
                dialog.choose_survivor(members, survivor);
            }
            if !dialog.choices.is_empty() {
                ui.separator();
                ui.strong(tr(lang, "Giá trị giữ lại cho từng trường khác nhau", "Value kept for each differing field"));
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .id_salt("merge_fields")
                    .show(ui, |ui| {
                        egui::Grid::new("merge_grid").striped(true).show(ui, |ui| {
                            for (field, from) in &mut dialog.choices {
                                ui.label(field_label(lang, *field));
                                ui.vertical(|ui| {
                                    ui.set_min_width(640.0);
                                    for (m, member) in members.iter().enumerate() {
                                        let value = display_value(lang, *field, &member.data);
                                        let shown = if value.trim().is_empty() {
                                            tr(lang, "(trống)", "(empty)").to_owned()
                                        } else {
                                            value.chars().take(120).collect()
                                        };
                                        ui.radio_value(
                                            from,
                                            m,
                                            format!("{}: {shown}", member.data.code),
                                        );
                                    }
                                });
                                ui.end_row();
                            }
                        });
                    });
            }
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, "Lý do", "Reason")).id;
                ui.add(
                    egui::TextEdit::singleline(&mut dialog.note)
                        .desired_width(420.0)
                        .id_salt("merge_note"),
                )
                .labelled_by(label);
            });
            match dialog_buttons(
                ui,
                &[(tr(lang, "Hợp nhất", "Merge"), true), (tr(lang, "Hủy", "Cancel"), true)],
            ) {
                Some(0) => {
                    action = Some(AuditCommand::Merge(Box::new(dialog.request(finding, members))));
                    close = true;
                }
                Some(_) => close = true,
                None => {}
            }
        });
        if close {
            self.merge = None;
        }
        action
    }
}

/// A field as a reviewer reads it: level and status in words, the rest as stored.
fn display_value(lang: Lang, field: ProcedureField, data: &crate::domain::ProcedureData) -> String {
    match field {
        ProcedureField::Level => level_label(lang, data.level_or_province()).to_owned(),
        ProcedureField::Status => status_label(lang, data.status).to_owned(),
        _ => field.value_text(data),
    }
}

/// The entries side by side, one column each; fields that differ are marked and, for each
/// entry after the first, its words that differ from the first are highlighted.
fn members_ui(ui: &mut egui::Ui, lang: Lang, members: &[Procedure]) -> Option<i64> {
    let mut open = None;
    if members.is_empty() {
        return None;
    }
    let differing = differing_fields(members);
    let column_width = ((ui.available_width() - 180.0) / members.len() as f32).clamp(220.0, 520.0);
    egui::ScrollArea::both()
        .id_salt("audit_members")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("audit_members_grid")
                .striped(true)
                .min_col_width(120.0)
                .show(ui, |ui| {
                    ui.label("");
                    for member in members {
                        ui.vertical(|ui| {
                            ui.set_width(column_width);
                            ui.strong(format!(
                                "{} · {}",
                                member.data.code,
                                level_label(lang, member.data.level_or_province())
                            ));
                            if ui
                                .button(format!(
                                    "{} {}",
                                    tr(lang, "Mở trong biểu mẫu", "Open in the form"),
                                    member.data.code
                                ))
                                .clicked()
                            {
                                open = Some(member.procedure_id);
                            }
                        });
                    }
                    ui.end_row();
                    for field in ProcedureField::ALL {
                        let values: Vec<String> = members
                            .iter()
                            .map(|m| display_value(lang, field, &m.data))
                            .collect();
                        if values.iter().all(|v| v.trim().is_empty()) {
                            continue;
                        }
                        let differs = differing.contains(&field);
                        let label = field_label(lang, field);
                        if differs {
                            ui.label(RichText::new(format!("≠ {label}")).strong());
                        } else {
                            ui.label(label);
                        }
                        for (m, value) in values.iter().enumerate() {
                            ui.vertical(|ui| {
                                ui.set_width(column_width);
                                let shown: String = value.chars().take(600).collect();
                                if differs && m > 0 {
                                    let words = word_diff(&values[0], &shown);
                                    ui.label(words_job(ui, &words, Side::New));
                                } else {
                                    ui.add(egui::Label::new(shown).wrap());
                                }
                            });
                        }
                        ui.end_row();
                    }
                });
        });
    open
}
