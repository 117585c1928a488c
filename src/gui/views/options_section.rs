//! The form's simplification section: what the entry costs an applicant and why (the
//! arithmetic of Circular 02/2017 with the catalogue's parameters), its dossier's papers, its
//! options with their states and actions, and a new option to record.

use egui::RichText;

use crate::domain::{Level, ProcedureData};
use crate::gui::command::{Command, SimplifyCommand};
use crate::gui::i18n::{Lang, level_label, tr};
use crate::gui::messages::Message;
use crate::simplify::cost::ComplianceCost;
use crate::simplify::dossier::{Component, Dossier, without_papers};
use crate::simplify::options::{OptionKind, OptionState, Proposal, SimplificationOption};
use crate::simplify::sourced::format_vnd;

/// A new option as typed.
struct Draft {
    kind: OptionKind,
    time: String,
    fee: String,
    /// One box per paper of the dossier: ticked to drop it.
    drop: Vec<bool>,
    requirements: String,
    level: Level,
    agency: String,
    into: String,
    reason: String,
    legal_change: String,
    proposer: String,
    problem: Option<String>,
}

pub struct OptionsSection {
    data: ProcedureData,
    options: Vec<SimplificationOption>,
    cost: ComplianceCost,
    papers: Vec<Component>,
    draft: Draft,
}

impl OptionsSection {
    pub fn new(
        data: &ProcedureData,
        options: Vec<SimplificationOption>,
        cost: ComplianceCost,
    ) -> OptionsSection {
        let papers: Vec<Component> = Dossier::parse(&data.dossier)
            .components()
            .cloned()
            .collect();
        let draft = Draft {
            kind: OptionKind::CutTime,
            time: data.processing_time.text().to_owned(),
            fee: data.fee.text().to_owned(),
            drop: vec![false; papers.len()],
            requirements: data.requirements.clone(),
            level: Level::Commune,
            agency: data.agency.clone(),
            into: String::new(),
            reason: String::new(),
            legal_change: String::new(),
            proposer: String::new(),
            problem: None,
        };
        OptionsSection {
            data: data.clone(),
            options,
            cost,
            papers,
            draft,
        }
    }

    pub fn options(&self) -> &[SimplificationOption] {
        &self.options
    }

    pub fn cost(&self) -> &ComplianceCost {
        &self.cost
    }

    /// The option the draft describes, or why it cannot be recorded.
    fn drafted(&self, lang: Lang) -> Result<SimplificationOption, String> {
        let d = &self.draft;
        let mut proposal = Proposal::default();
        match d.kind {
            OptionKind::Abolish | OptionKind::RaiseOnline => {}
            OptionKind::MergeInto => proposal.into = Some(d.into.trim().to_owned()),
            OptionKind::CutTime => proposal.processing_time = Some(d.time.trim().to_owned()),
            OptionKind::LowerFee => proposal.fee = Some(d.fee.trim().to_owned()),
            OptionKind::RemoveRequirement => {
                proposal.requirements = Some(d.requirements.trim().to_owned());
                proposal.requirements_was = Some(self.data.requirements.clone());
            }
            OptionKind::HandDown => {
                proposal.level = Some(d.level);
                proposal.agency = Some(d.agency.trim().to_owned());
            }
            OptionKind::DropPapers => {
                if !d.drop.iter().any(|drop| *drop) {
                    return Err(tr(
                        lang,
                        "Chọn thành phần hồ sơ bỏ đi",
                        "Tick the papers to drop",
                    )
                    .to_owned());
                }
                let ticked: Vec<usize> = (0..d.drop.len()).filter(|&i| d.drop[i]).collect();
                proposal.dossier = without_papers(&self.data.dossier, &ticked);
                proposal.dossier_was = Some(self.data.dossier.clone());
            }
        }
        let option = SimplificationOption {
            number: 0,
            code: self.data.code.clone(),
            level: self.data.level_or_province(),
            kind: d.kind,
            proposal,
            reason: d.reason.trim().to_owned(),
            legal_change: d.legal_change.trim().to_owned(),
            proposer: d.proposer.trim().to_owned(),
            state: OptionState::Proposed,
            recorded_by: String::new(),
            recorded_at: String::new(),
        };
        option.check().map_err(|error| error.message(lang))?;
        Ok(option)
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        // The header says the figures, so the section can stay closed.
        egui::CollapsingHeader::new(format!(
            "{} — {} {} · {} {}",
            tr(lang, "Đơn giản hóa", "Simplification"),
            format_vnd(self.cost.per_execution),
            tr(lang, "đ/lần", "đ a time"),
            self.options.len(),
            tr(lang, "phương án", "options"),
        ))
        .id_salt("form_simplify")
        .default_open(false)
        .show(ui, |ui| {
            ui.label(format!(
                "{}: {} {} · {} {}",
                tr(lang, "Chi phí tuân thủ", "Compliance cost"),
                format_vnd(self.cost.per_execution),
                tr(lang, "đồng/lần", "đồng a time"),
                format_vnd(self.cost.per_year),
                tr(lang, "đồng/năm", "đồng a year"),
            ));
            egui::CollapsingHeader::new(tr(lang, "Vì sao con số này", "Why this number"))
                .id_salt("form_cost_why")
                .show(ui, |ui| {
                    for line in &self.cost.lines {
                        ui.label(line.text());
                    }
                    ui.label(
                        RichText::new(tr(
                            lang,
                            "Theo Thông tư 02/2017/TT-VPCP; tham số và nguồn ở màn hình Đơn giản hóa → Tham số.",
                            "By Circular 02/2017/TT-VPCP; parameters and sources in Simplification → Parameters.",
                        ))
                        .small()
                        .weak(),
                    );
                });
            egui::CollapsingHeader::new(format!(
                "{} ({})",
                tr(lang, "Thành phần hồ sơ", "Dossier papers"),
                self.papers.len()
            ))
            .id_salt("form_papers")
            .show(ui, |ui| {
                for (index, paper) in self.papers.iter().enumerate() {
                    let count = if paper.count_stated {
                        format!("{} {}, {} {}", paper.originals, tr(lang, "bản chính", "originals"), paper.copies, tr(lang, "bản sao", "copies"))
                    } else {
                        tr(lang, "số lượng không ghi", "count not stated").to_owned()
                    };
                    ui.add(egui::Label::new(format!("{}. {} ({count})", index + 1, paper.name)).wrap());
                }
            });
            ui.add_space(4.0);
            for option in &self.options {
                self.option_ui(ui, lang, writable, option, commands);
            }
            if writable {
                self.new_option_ui(ui, lang, commands);
            }
        });
    }

    fn option_ui(
        &self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        option: &SimplificationOption,
        commands: &mut Vec<Command>,
    ) {
        ui.group(|ui| {
            ui.add(
                egui::Label::new(RichText::new(format!(
                    "{} {}: {}",
                    tr(lang, "Phương án", "Option"),
                    option.number,
                    option.describe()
                )))
                .wrap(),
            );
            let mut facts = vec![option.state.label_vi().to_owned()];
            if !option.proposer.is_empty() {
                facts.push(option.proposer.clone());
            }
            if !option.recorded_by.is_empty() {
                facts.push(option.recorded_by.clone());
            }
            ui.label(RichText::new(facts.join(" · ")).small().weak());
            if !option.reason.is_empty() {
                ui.add(
                    egui::Label::new(format!(
                        "{}: {}",
                        tr(lang, "Lý do", "Reason"),
                        option.reason
                    ))
                    .wrap(),
                );
            }
            if !option.legal_change.is_empty() {
                ui.add(
                    egui::Label::new(format!(
                        "{}: {}",
                        tr(lang, "Văn bản cần sửa", "Legal text to change"),
                        option.legal_change
                    ))
                    .wrap(),
                );
            }
            if writable {
                ui.horizontal(|ui| option_actions(ui, lang, option, commands));
            }
        });
    }

    fn new_option_ui(&mut self, ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<Command>) {
        egui::CollapsingHeader::new(tr(lang, "Thêm phương án", "New option"))
            .id_salt("form_new_option")
            .show(ui, |ui| {
                let draft = &mut self.draft;
                egui::Grid::new("new_option")
                    .num_columns(2)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        let label = ui.label(tr(lang, "Phương án", "Option")).id;
                        egui::ComboBox::from_id_salt("new_option_kind")
                            .selected_text(draft.kind.label_vi())
                            .width(260.0)
                            .show_ui(ui, |ui| {
                                for kind in OptionKind::ALL {
                                    ui.selectable_value(&mut draft.kind, kind, kind.label_vi());
                                }
                            })
                            .response
                            .labelled_by(label);
                        ui.end_row();
                        // One line for a figure or a name; several for the requirements.
                        let text_row =
                            |ui: &mut egui::Ui, label: &str, text: &mut String, salt: &str| {
                                let label = ui.label(label).id;
                                let edit = if salt == "option_requirements" {
                                    egui::TextEdit::multiline(text).desired_rows(4)
                                } else {
                                    egui::TextEdit::singleline(text)
                                };
                                ui.add(edit.desired_width(260.0).id_salt(salt))
                                    .labelled_by(label);
                                ui.end_row();
                            };
                        match draft.kind {
                            OptionKind::CutTime => text_row(
                                ui,
                                tr(lang, "Thời hạn mới", "New time"),
                                &mut draft.time,
                                "option_time",
                            ),
                            OptionKind::LowerFee => text_row(
                                ui,
                                tr(lang, "Phí, lệ phí mới", "New fee"),
                                &mut draft.fee,
                                "option_fee",
                            ),
                            OptionKind::RemoveRequirement => text_row(
                                ui,
                                tr(
                                    lang,
                                    "Yêu cầu, điều kiện còn lại",
                                    "Requirements that remain",
                                ),
                                &mut draft.requirements,
                                "option_requirements",
                            ),
                            OptionKind::MergeInto => text_row(
                                ui,
                                tr(lang, "Gộp vào mã", "Into code"),
                                &mut draft.into,
                                "option_into",
                            ),
                            OptionKind::HandDown => {
                                let label = ui.label(tr(lang, "Cấp mới", "New level")).id;
                                egui::ComboBox::from_id_salt("option_level")
                                    .selected_text(level_label(lang, draft.level))
                                    .show_ui(ui, |ui| {
                                        for level in Level::ALL {
                                            ui.selectable_value(
                                                &mut draft.level,
                                                level,
                                                level_label(lang, level),
                                            );
                                        }
                                    })
                                    .response
                                    .labelled_by(label);
                                ui.end_row();
                                text_row(
                                    ui,
                                    tr(lang, "Cơ quan thực hiện mới", "New agency"),
                                    &mut draft.agency,
                                    "option_agency",
                                );
                            }
                            OptionKind::DropPapers => {
                                ui.label(tr(lang, "Bỏ thành phần", "Drop papers"));
                                ui.vertical(|ui| {
                                    for (index, (paper, drop)) in
                                        self.papers.iter().zip(draft.drop.iter_mut()).enumerate()
                                    {
                                        let name: String = paper.name.chars().take(80).collect();
                                        ui.checkbox(drop, format!("{}. {name}", index + 1));
                                    }
                                });
                                ui.end_row();
                            }
                            OptionKind::Abolish | OptionKind::RaiseOnline => {}
                        }
                        text_row(
                            ui,
                            tr(lang, "Lý do", "Reason"),
                            &mut draft.reason,
                            "option_reason",
                        );
                        text_row(
                            ui,
                            tr(lang, "Văn bản cần sửa", "Legal text to change"),
                            &mut draft.legal_change,
                            "option_legal",
                        );
                        text_row(
                            ui,
                            tr(lang, "Cơ quan đề xuất", "Proposed by"),
                            &mut draft.proposer,
                            "option_proposer",
                        );
                    });
                if let Some(problem) = &self.draft.problem {
                    ui.colored_label(ui.visuals().error_fg_color, problem);
                }
                if ui
                    .button(tr(lang, "Ghi phương án", "Record the option"))
                    .clicked()
                {
                    match self.drafted(lang) {
                        Ok(option) => {
                            self.draft.problem = None;
                            commands
                                .push(Command::Simplify(SimplifyCommand::Record(Box::new(option))));
                        }
                        Err(problem) => self.draft.problem = Some(problem),
                    }
                }
            });
    }
}

/// What can be done with an option not yet carried out: carry it out (unless rejected),
/// accept it, reject it. Each button names the option's number (for screen readers and tests).
pub fn option_actions(
    ui: &mut egui::Ui,
    lang: Lang,
    option: &SimplificationOption,
    commands: &mut Vec<Command>,
) {
    if option.state == OptionState::CarriedOut {
        return;
    }
    let carry_out = egui::Button::new(format!(
        "{} {}",
        tr(lang, "Áp dụng phương án", "Carry out option"),
        option.number
    ));
    if ui
        .add_enabled(option.state != OptionState::Rejected, carry_out)
        .on_hover_text(tr(
            lang,
            "Sửa thủ tục theo phương án: một lần sửa, hoàn tác được",
            "Edit the procedure as proposed: one undoable change",
        ))
        .clicked()
    {
        commands.push(Command::Simplify(SimplifyCommand::Apply(option.number)));
    }
    for state in [OptionState::Accepted, OptionState::Rejected] {
        if option.state != state
            && ui
                .small_button(format!("{} {}", state.label_vi(), option.number))
                .clicked()
        {
            commands.push(Command::Simplify(SimplifyCommand::SetState(
                option.number,
                state,
            )));
        }
    }
}
