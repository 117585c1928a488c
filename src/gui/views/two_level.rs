//! The "Chính quyền 2 cấp" view: the catalogue's government model, the level rules the
//! officer edits (left), and the preview of where every district procedure goes (right),
//! grouped by field with counts, each row's outcome open to override; "Apply" writes it as
//! one undoable batch. The plan is computed off the UI thread (`app::jobs`).

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::Level;
use crate::domain::government::GovernmentModel;
use crate::gui::command::{Command, TwoLevelCommand};
use crate::gui::i18n::{Lang, tr};
use crate::gui::widgets::{side_panel, titled_table};
use crate::two_level::{
    Criterion, Destination, LevelRule, LevelRules, MigrationPlan, Outcome, OutcomeCounts,
};

#[derive(Default)]
pub struct TwoLevelPanel {
    /// The working copy's model, as last read.
    pub government: GovernmentModel,
    /// The rules as being edited.
    pub rules: LevelRules,
    /// The rules the catalogue keeps (the defaults when it keeps none).
    pub saved_rules: LevelRules,
    plan: Option<MigrationPlan>,
    /// A plan is being computed, or written.
    pub busy: bool,
    /// The catalogue changed since the plan was made: it is made again before it is applied.
    pub stale: bool,
    /// The field whose rows are listed (`None`: every field).
    field: Option<String>,
    /// Indices into the plan's rows that the field filter keeps.
    shown: Vec<usize>,
    /// The plan's counts, per field, and rows that cannot be written as chosen, as of its
    /// last change: not recounted for every frame.
    counts: OutcomeCounts,
    by_field: Vec<(String, OutcomeCounts)>,
    problems: usize,
    /// What the last plan written did, until the next preview.
    pub applied: Option<String>,
}

impl TwoLevelPanel {
    pub fn plan(&self) -> Option<&MigrationPlan> {
        self.plan.as_ref()
    }

    pub fn set_plan(&mut self, plan: MigrationPlan) {
        self.busy = false;
        self.applied = None;
        self.stale = false;
        self.government = plan.model_before;
        self.plan = Some(plan);
        self.recount();
        if let Some(field) = &self.field
            && !self.by_field.iter().any(|(f, _)| f == field)
        {
            self.field = None;
        }
        self.refresh_shown();
    }

    /// Forgets the plan (after it was written, or the catalogue was opened anew).
    pub fn clear_plan(&mut self) {
        self.plan = None;
        self.shown.clear();
        self.busy = false;
    }

    /// Sets the rules the catalogue keeps; the editor follows unless it holds edits.
    pub fn set_saved_rules(&mut self, rules: LevelRules) {
        if self.rules == self.saved_rules {
            self.rules = rules.clone();
        }
        self.saved_rules = rules;
    }

    /// Chooses an outcome for one row of the plan.
    pub fn choose(&mut self, procedure_id: i64, outcome: Outcome) {
        if let Some(plan) = &mut self.plan {
            plan.choose(procedure_id, outcome);
        }
        self.recount();
    }

    pub fn set_field(&mut self, field: Option<String>) {
        self.field = field;
        self.refresh_shown();
    }

    pub fn shown_rows(&self) -> usize {
        self.shown.len()
    }

    fn recount(&mut self) {
        let Some(plan) = &self.plan else { return };
        self.counts = plan.counts();
        self.by_field = plan
            .by_field()
            .into_iter()
            .map(|(field, counts)| (field.to_owned(), counts))
            .collect();
        self.problems = plan.rows.iter().filter(|r| r.problem().is_some()).count();
    }

    fn refresh_shown(&mut self) {
        self.shown = self.plan.as_ref().map_or_else(Vec::new, |plan| {
            plan.rows
                .iter()
                .enumerate()
                .filter(|(_, row)| self.field.as_ref().is_none_or(|f| *f == row.data.field))
                .map(|(index, _)| index)
                .collect()
        });
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        let mut pushed = Vec::new();
        side_panel(egui::Panel::left("level_rules"), ui, 470.0)
            .show(ui, |ui| self.rules_ui(ui, lang, writable, &mut pushed));
        egui::CentralPanel::default().show(ui, |ui| self.plan_ui(ui, lang, writable, &mut pushed));
        commands.extend(pushed.into_iter().map(Command::TwoLevel));
    }

    fn rules_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<TwoLevelCommand>,
    ) {
        ui.heading(tr(
            lang,
            "Chính quyền địa phương 2 cấp",
            "Two-level local government",
        ));
        ui.label(format!(
            "{}: {}",
            tr(lang, "Danh mục này", "This catalogue"),
            self.government.label_vi()
        ));
        ui.horizontal(|ui| {
            let (label, model) = if self.government.is_two_level() {
                (
                    tr(lang, "Trở về 3 cấp", "Back to three levels"),
                    GovernmentModel::ThreeLevel,
                )
            } else {
                (
                    tr(
                        lang,
                        "Chuyển sang 2 cấp (chưa chuyển thủ tục)",
                        "Switch to two levels (procedures stay)",
                    ),
                    GovernmentModel::two_level(),
                )
            };
            if ui.add_enabled(writable, egui::Button::new(label)).clicked() {
                commands.push(TwoLevelCommand::SetGovernment(model));
            }
        });
        ui.separator();
        ui.strong(tr(lang, "Quy tắc chuyển cấp", "Level rules"));
        ui.label(
            RichText::new(tr(
                lang,
                "Thủ tục cấp huyện theo quy tắc đầu tiên khớp (không phân biệt hoa thường, có dấu hay không). Thủ tục đã có cùng mã ở cấp đích được đề xuất gộp.",
                "Each district procedure follows the first rule that matches (any case, diacritics optional). One whose code already stands at the target level is proposed for a merge.",
            ))
            .small(),
        );
        let mut remove = None;
        let mut swap = None;
        let count = self.rules.rules.len();
        egui::ScrollArea::vertical()
            .id_salt("level_rules_scroll")
            .max_height((ui.available_height() - 80.0).max(120.0))
            .show(ui, |ui| {
                for (index, rule) in self.rules.rules.iter_mut().enumerate() {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        rule_row(ui, lang, index, rule);
                        ui.horizontal(|ui| {
                            let label = ui.label(tr(lang, "Ghi chú", "Note")).id;
                            ui.add(
                                egui::TextEdit::singleline(&mut rule.note)
                                    .desired_width(ui.available_width() - 110.0)
                                    .id_salt(("rule_note", index)),
                            )
                            .labelled_by(label);
                            if ui
                                .add_enabled(index > 0, egui::Button::new("↑").small())
                                .on_hover_text(tr(lang, "Lên", "Up"))
                                .clicked()
                            {
                                swap = Some((index - 1, index));
                            }
                            if ui
                                .add_enabled(index + 1 < count, egui::Button::new("↓").small())
                                .on_hover_text(tr(lang, "Xuống", "Down"))
                                .clicked()
                            {
                                swap = Some((index, index + 1));
                            }
                            if ui
                                .add_enabled(count > 1, egui::Button::new("×").small())
                                .on_hover_text(tr(lang, "Xóa quy tắc", "Remove the rule"))
                                .clicked()
                            {
                                remove = Some(index);
                            }
                        });
                    });
                }
            });
        if let Some((a, b)) = swap {
            self.rules.rules.swap(a, b);
        }
        if let Some(index) = remove {
            self.rules.rules.remove(index);
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button(tr(lang, "+ Thêm quy tắc", "+ Add a rule"))
                .clicked()
            {
                // First: an exception the officer adds wins over the general rules.
                self.rules.rules.insert(
                    0,
                    LevelRule {
                        criterion: Criterion::Field,
                        contains: String::new(),
                        destination: Destination::Province,
                        agency: String::new(),
                        note: String::new(),
                    },
                );
            }
            if ui
                .add_enabled(
                    self.rules != LevelRules::default(),
                    egui::Button::new(tr(lang, "Quy tắc mặc định", "Default rules")),
                )
                .clicked()
            {
                self.rules = LevelRules::default();
            }
            if ui
                .add_enabled(
                    self.rules != self.saved_rules,
                    egui::Button::new(tr(lang, "Bỏ sửa", "Discard edits")),
                )
                .clicked()
            {
                self.rules = self.saved_rules.clone();
            }
            if ui
                .add_enabled(
                    writable && self.rules != self.saved_rules,
                    egui::Button::new(tr(lang, "Lưu quy tắc", "Save the rules")),
                )
                .on_hover_text(tr(
                    lang,
                    "Lưu vào tệp danh mục (hoàn tác được)",
                    "Kept in the catalogue file (undoable)",
                ))
                .clicked()
            {
                commands.push(TwoLevelCommand::SaveRules(self.rules.clone()));
            }
        });
        let problem = rules_problem(lang, &self.rules);
        if let Some(problem) = &problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        if ui
            .add_enabled(
                !self.busy && problem.is_none(),
                egui::Button::new(RichText::new(tr(lang, "Xem trước ▶", "Preview ▶")).strong()),
            )
            .clicked()
        {
            commands.push(TwoLevelCommand::Plan(self.rules.clone()));
        }
    }

    fn plan_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<TwoLevelCommand>,
    ) {
        if self.busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr(lang, "Đang lập phương án…", "Planning…"));
            });
            return;
        }
        let Some(plan) = &self.plan else {
            ui.add_space(12.0);
            if let Some(applied) = &self.applied {
                ui.label(
                    RichText::new(format!("{} {applied}", tr(lang, "Đã áp dụng:", "Applied:")))
                        .strong(),
                );
                ui.label(tr(
                    lang,
                    "Các thay đổi hiện trong «Phiên bản và so sánh» (so với phiên bản đã công bố) và trong phụ lục quyết định; Sửa → Hoàn tác đưa danh mục về như trước.",
                    "The changes show in “Revisions and diff” (against the published revision) and in the decision annex; Edit → Undo restores the catalogue as it was.",
                ));
                ui.add_space(8.0);
            }
            ui.label(tr(
                lang,
                "Bấm «Xem trước» để xem từng thủ tục cấp huyện sẽ đi đâu. Chưa có gì được ghi cho đến khi bấm «Áp dụng».",
                "Press “Preview” to see where each district procedure goes. Nothing is written until you press “Apply”.",
            ));
            return;
        };
        let counts = self.counts;
        ui.horizontal_wrapped(|ui| {
            ui.heading(format!(
                "{} {}",
                counts.total(),
                tr(lang, "thủ tục cấp huyện", "district procedures")
            ));
            ui.label(format!(
                "→ {} {} · → {} {} · {} {} · {} {}",
                tr(lang, "cấp xã", "commune"),
                counts.to_commune,
                tr(lang, "cấp tỉnh", "province"),
                counts.to_province,
                tr(lang, "gộp", "merged"),
                counts.merged,
                tr(lang, "bãi bỏ", "abolished"),
                counts.abolished
            ));
        });
        ui.horizontal_wrapped(|ui| {
            if plan.conflicts() > 0 {
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        plan.conflicts(),
                        tr(
                            lang,
                            "thủ tục đã có cùng mã ở cấp khác",
                            "already stand at another level with the same code"
                        )
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
            if plan.overridden() > 0 {
                ui.label(format!(
                    "{} {}",
                    plan.overridden(),
                    tr(lang, "dòng chọn tay", "chosen by hand")
                ));
            }
            if self.stale {
                ui.label(
                    RichText::new(tr(
                        lang,
                        "Danh mục đã thay đổi: hãy xem trước lại",
                        "The catalogue changed: preview again",
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
        });
        let problems = self.problems;
        ui.horizontal(|ui| {
            let label = format!(
                "{} ({} {})",
                tr(lang, "Áp dụng", "Apply"),
                counts.total(),
                tr(lang, "thủ tục, hoàn tác được", "procedures, undoable")
            );
            if ui
                .add_enabled(
                    writable && !self.stale && problems == 0 && !plan.rows.is_empty(),
                    egui::Button::new(RichText::new(label).strong()),
                )
                .clicked()
            {
                commands.push(TwoLevelCommand::Apply);
            }
            if problems > 0 {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!(
                        "{problems} {}",
                        tr(
                            lang,
                            "dòng không thể ghi như đã chọn (xem cột Ghi chú)",
                            "rows cannot be written as chosen (see Notes)"
                        )
                    ),
                );
            }
        });
        ui.separator();
        let fields = &self.by_field;
        let mut chosen_field = self.field.clone();
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "Lĩnh vực", "Field")).id;
            let all = format!("{} ({})", tr(lang, "Tất cả", "All"), counts.total());
            egui::ComboBox::from_id_salt("two_level_field")
                .width(320.0)
                .selected_text(match &chosen_field {
                    Some(field) => field.clone(),
                    None => all.clone(),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen_field, None, all);
                    for (field, n) in fields.iter().map(|(f, c)| (f, c.total())) {
                        let name = if field.is_empty() {
                            tr(lang, "(chưa có lĩnh vực)", "(no field)")
                        } else {
                            field
                        };
                        ui.selectable_value(
                            &mut chosen_field,
                            Some(field.clone()),
                            format!("{name} ({n})"),
                        );
                    }
                })
                .response
                .labelled_by(label);
        });
        if chosen_field != self.field {
            commands.push(TwoLevelCommand::ShowField(chosen_field));
        }
        if self.field.is_none() {
            field_table(ui, lang, &self.by_field, commands);
            ui.separator();
        }
        self.rows_ui(ui, lang, commands);
    }

    fn rows_ui(&self, ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<TwoLevelCommand>) {
        let Some(plan) = &self.plan else {
            return;
        };
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        titled_table(
            ui,
            "two_level_rows",
            &[
                Column::initial(90.0).at_least(60.0).clip(true),
                Column::initial(250.0).at_least(80.0).clip(true),
                Column::initial(150.0).at_least(60.0).clip(true),
                Column::initial(240.0).at_least(120.0).clip(true),
                Column::remainder().at_least(120.0).clip(true),
            ],
            &[
                tr(lang, "Mã TTHC", "Code"),
                tr(lang, "Tên thủ tục", "Name"),
                tr(lang, "Cơ quan hiện nay", "Agency now"),
                tr(lang, "Xử lý", "Outcome"),
                tr(lang, "Ghi chú", "Notes"),
            ],
            row_height,
        )
        .body(|body| {
            body.rows(row_height, self.shown.len(), |mut row| {
                let Some(entry) = self.shown.get(row.index()).and_then(|&i| plan.rows.get(i))
                else {
                    return;
                };
                let mut code = None;
                row.col(|ui| {
                    code = Some(ui.label(&entry.data.code).id);
                });
                row.col(|ui| {
                    ui.label(&entry.data.name).on_hover_text(&entry.data.name);
                });
                row.col(|ui| {
                    ui.label(&entry.data.agency);
                });
                row.col(|ui| {
                    let mut chosen = entry.chosen.clone();
                    let combo =
                        egui::ComboBox::from_id_salt(("two_level_outcome", entry.procedure_id))
                            .width(220.0)
                            .selected_text(outcome_text(lang, entry, &entry.chosen))
                            .show_ui(ui, |ui| {
                                for choice in entry.choices(&plan.rules) {
                                    let text = outcome_text(lang, entry, &choice);
                                    ui.selectable_value(&mut chosen, choice, text);
                                }
                            })
                            .response;
                    // Named by the row's code, for screen readers.
                    if let Some(code) = code {
                        combo.labelled_by(code);
                    }
                    if chosen != entry.chosen {
                        commands.push(TwoLevelCommand::Choose {
                            procedure_id: entry.procedure_id,
                            outcome: chosen,
                        });
                    }
                });
                row.col(|ui| {
                    if let Some(problem) = entry.problem() {
                        ui.colored_label(ui.visuals().error_fg_color, problem);
                    } else if let Some(counterpart) = entry.counterparts.first() {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            format!(
                                "{} {}: {}",
                                tr(lang, "đã có ở", "already at"),
                                counterpart.level.label_vi().to_lowercase(),
                                counterpart.code
                            ),
                        )
                        .on_hover_text(&counterpart.name);
                    } else {
                        let rule = entry
                            .rule
                            .map(|i| plan.rules.rules[i].describe_vi())
                            .unwrap_or_default();
                        let mark = if entry.is_overridden() {
                            tr(lang, "chọn tay", "chosen by hand").to_owned()
                        } else {
                            rule
                        };
                        ui.label(RichText::new(mark).small());
                    }
                });
            });
        });
    }
}

/// One rule's first two lines: what it looks for, then where it sends and by whom.
fn rule_row(ui: &mut egui::Ui, lang: Lang, index: usize, rule: &mut LevelRule) {
    ui.horizontal(|ui| {
        let number = ui
            .strong(format!("{}.", index + 1))
            .on_hover_text(tr(lang, "Quy tắc", "Rule"))
            .id;
        egui::ComboBox::from_id_salt(("rule_on", index))
            .width(150.0)
            .selected_text(rule.criterion.label_vi())
            .show_ui(ui, |ui| {
                for criterion in Criterion::ALL {
                    ui.selectable_value(&mut rule.criterion, criterion, criterion.label_vi());
                }
            })
            .response
            .labelled_by(number);
        if rule.criterion != Criterion::Any {
            let label = ui.label(tr(lang, "chứa", "contains")).id;
            ui.add(
                egui::TextEdit::singleline(&mut rule.contains)
                    .desired_width(ui.available_width())
                    .id_salt(("rule_contains", index)),
            )
            .labelled_by(label);
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "Chuyển về", "Goes to")).id;
        egui::ComboBox::from_id_salt(("rule_to", index))
            .width(90.0)
            .selected_text(rule.destination.label_vi())
            .show_ui(ui, |ui| {
                for destination in Destination::ALL {
                    ui.selectable_value(&mut rule.destination, destination, destination.label_vi());
                }
            })
            .response
            .labelled_by(label);
        if rule.destination != Destination::Abolish {
            let label = ui.label(tr(lang, "cơ quan thực hiện", "agency")).id;
            ui.add(
                egui::TextEdit::singleline(&mut rule.agency)
                    .hint_text(tr(lang, "giữ nguyên", "keep"))
                    .desired_width(ui.available_width())
                    .id_salt(("rule_agency", index)),
            )
            .labelled_by(label);
        }
    });
}

/// Why the rules cannot be used yet, if they cannot.
fn rules_problem(lang: Lang, rules: &LevelRules) -> Option<String> {
    let empty = rules
        .rules
        .iter()
        .position(|r| r.criterion != Criterion::Any && r.contains.trim().is_empty())?;
    Some(format!(
        "{} {}: {}",
        tr(lang, "Quy tắc", "Rule"),
        empty + 1,
        tr(lang, "chưa có nội dung cần tìm", "has no text to look for")
    ))
}

/// Counts by field: a click lists that field's rows.
fn field_table(
    ui: &mut egui::Ui,
    lang: Lang,
    fields: &[(String, OutcomeCounts)],
    commands: &mut Vec<TwoLevelCommand>,
) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let height = (row_height * (fields.len() as f32 + 1.5)).min(ui.available_height() * 0.4);
    ui.push_id("two_level_fields", |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(height)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(320.0).at_least(120.0).clip(true))
            .columns(Column::initial(80.0).at_least(50.0), 5)
            .header(row_height, |mut header| {
                for title in [
                    tr(lang, "Lĩnh vực", "Field"),
                    tr(lang, "→ cấp xã", "→ commune"),
                    tr(lang, "→ cấp tỉnh", "→ province"),
                    tr(lang, "gộp", "merged"),
                    tr(lang, "bãi bỏ", "abolished"),
                    tr(lang, "cộng", "total"),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, fields.len(), |mut row| {
                    let (field, counts) = &fields[row.index()];
                    let mut clicked = false;
                    row.col(|ui| {
                        let name = if field.is_empty() {
                            tr(lang, "(chưa có lĩnh vực)", "(no field)")
                        } else {
                            field
                        };
                        clicked = ui
                            .link(name)
                            .on_hover_text(tr(lang, "Xem các thủ tục", "List its procedures"))
                            .clicked();
                    });
                    for n in [
                        counts.to_commune,
                        counts.to_province,
                        counts.merged,
                        counts.abolished,
                        counts.total(),
                    ] {
                        row.col(|ui| {
                            ui.label(n.to_string());
                        });
                    }
                    if clicked || row.response().clicked() {
                        commands.push(TwoLevelCommand::ShowField(Some(field.clone())));
                    }
                });
            });
    });
}

/// "→ Cấp xã: UBND cấp xã", "Gộp vào 1.000123 (cấp xã)", "Bãi bỏ".
fn outcome_text(lang: Lang, row: &crate::two_level::MigrationRow, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Move { level, agency } => {
            let level = match level {
                Level::Province => tr(lang, "→ Cấp tỉnh", "→ Province"),
                _ => tr(lang, "→ Cấp xã", "→ Commune"),
            };
            if agency.is_empty() {
                level.to_owned()
            } else {
                format!("{level}: {agency}")
            }
        }
        Outcome::Merge { into } => row
            .counterparts
            .iter()
            .find(|c| c.procedure_id == *into)
            .map(|c| {
                format!(
                    "{} {} ({})",
                    tr(lang, "Gộp vào", "Merge into"),
                    c.code,
                    c.level.label_vi().to_lowercase()
                )
            })
            .unwrap_or_default(),
        Outcome::Abolish => tr(lang, "Bãi bỏ", "Abolish").to_owned(),
    }
}
