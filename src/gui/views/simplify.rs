//! The Simplification view: the savings between two sides against the targets (computed on
//! a reading thread), the signed report's export, every option of the catalogue with its
//! actions, and the cost model's parameters and the targets with their sources.

use egui::{Color32, RichText};
use egui_extras::Column;

use crate::gui::command::{Command, SimplifyCommand};
use crate::gui::i18n::{Lang, level_label, tr};
use crate::gui::widgets::{path_field, titled_table};
use crate::simplify::cost::{CostModel, PARAMETERS};
use crate::simplify::options::{OptionState, SimplificationOption};
use crate::simplify::savings::{MeasureSummary, SavingsReport};
use crate::simplify::sourced::{format_hours, format_percent, format_vnd, parse_figure};
use crate::simplify::targets::Targets;
use crate::store::WORKING;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SimplifyTab {
    #[default]
    Savings,
    Options,
    Parameters,
}

#[derive(Default)]
pub struct SimplifyPanel {
    /// Revision names, oldest first.
    pub revisions: Vec<String>,
    pub old: String,
    pub new: String,
    report: Option<SavingsReport>,
    pub busy: bool,
    /// The catalogue changed since the report was made.
    pub stale: bool,
    pub tab: SimplifyTab,
    options: Vec<SimplificationOption>,
    model: CostModel,
    saved_model: CostModel,
    targets: Targets,
    saved_targets: Targets,
    pub export_path: String,
    pub export_error: Option<String>,
    /// Options shown: all, or one state.
    state_filter: Option<OptionState>,
    /// The parameters' and targets' figures as typed, by key ("43.750", "1,5").
    figure_texts: std::collections::BTreeMap<String, String>,
}

/// An amount as the report prints it, by its unit.
fn amount(value: f64, unit: &str) -> String {
    if unit == "đồng" {
        format_vnd(value.round() as i64)
    } else {
        format_hours(value)
    }
}

/// A measure's rate against its target: a bar full at the target, green once met.
pub fn target_bar(ui: &mut egui::Ui, lang: Lang, measure: &MeasureSummary, width: f32) {
    let Some(target) = measure.target else {
        ui.label(format_percent(measure.rate));
        return;
    };
    let reached = if target > 0.0 {
        (measure.rate * 100.0 / target).clamp(0.0, 1.0) as f32
    } else {
        1.0
    };
    let met = measure.met == Some(true);
    let text = format!(
        "{} / {} {}% — {}",
        format_percent(measure.rate),
        tr(lang, "mục tiêu", "target"),
        format_hours(target),
        if met {
            tr(lang, "Đạt", "met")
        } else {
            tr(lang, "Chưa đạt", "not met")
        }
    );
    let fill = if met {
        Color32::from_rgb(46, 125, 50)
    } else {
        Color32::from_rgb(191, 120, 30)
    };
    ui.add(
        egui::ProgressBar::new(reached)
            .desired_width(width)
            .fill(fill)
            .text(text),
    )
    .on_hover_text(measure.target_source.clone().unwrap_or_default());
}

/// A figure's value as a text field, kept as typed while it is edited.
fn figure_field(
    ui: &mut egui::Ui,
    label: egui::Id,
    figure: &mut crate::simplify::sourced::Sourced,
    texts: &mut std::collections::BTreeMap<String, String>,
    key: &str,
    unit: &str,
) {
    let text = texts.entry(key.to_owned()).or_insert_with(|| {
        amount(
            figure.value,
            if unit.starts_with("đồng") {
                "đồng"
            } else {
                unit
            },
        )
    });
    ui.add(
        egui::TextEdit::singleline(text)
            .desired_width(110.0)
            .id_salt(("figure", key)),
    )
    .labelled_by(label);
    if let Some(value) = parse_figure(text) {
        figure.value = value;
    }
}

/// A figure's source, named for screen readers by the small word before it.
fn source_field(ui: &mut egui::Ui, lang: Lang, source: &mut String, salt: &str) {
    ui.horizontal(|ui| {
        let label = ui
            .label(RichText::new(tr(lang, "nguồn", "source")).small().weak())
            .id;
        ui.add(
            egui::TextEdit::singleline(source)
                .desired_width(480.0)
                .id_salt(("source", salt)),
        )
        .labelled_by(label);
    });
}

impl SimplifyPanel {
    pub fn report(&self) -> Option<&SavingsReport> {
        self.report.as_ref()
    }

    pub fn set_report(&mut self, report: SavingsReport) {
        self.report = Some(report);
        self.busy = false;
        self.stale = false;
    }

    pub fn options(&self) -> &[SimplificationOption] {
        &self.options
    }

    pub fn set_options(&mut self, options: Vec<SimplificationOption>) {
        self.options = options;
    }

    /// The kept cost model and targets (the drafts follow).
    pub fn set_settings(&mut self, model: CostModel, targets: Targets) {
        self.model = model.clone();
        self.saved_model = model;
        self.targets = targets.clone();
        self.saved_targets = targets;
        self.figure_texts.clear();
    }

    pub fn model_mut(&mut self) -> &mut CostModel {
        &mut self.model
    }

    /// The sides on offer: the revisions, then the working copy; by default the last
    /// published (or last) revision against the working copy.
    pub fn set_revisions(&mut self, revisions: Vec<String>, published: Option<String>) {
        if !revisions.contains(&self.old) {
            self.old = published
                .or_else(|| revisions.last().cloned())
                .unwrap_or_default();
        }
        if self.new.is_empty() || (self.new != WORKING && !revisions.contains(&self.new)) {
            self.new = WORKING.to_owned();
        }
        self.revisions = revisions;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                for (tab, label) in [
                    (
                        SimplifyTab::Savings,
                        tr(lang, "Kết quả cắt giảm", "Savings"),
                    ),
                    (SimplifyTab::Options, tr(lang, "Phương án", "Options")),
                    (
                        SimplifyTab::Parameters,
                        tr(lang, "Tham số và mục tiêu", "Parameters and targets"),
                    ),
                ] {
                    ui.selectable_value(&mut self.tab, tab, label);
                }
            });
            ui.separator();
            match self.tab {
                SimplifyTab::Savings => self.savings_ui(ui, lang, commands),
                SimplifyTab::Options => self.options_ui(ui, lang, writable, commands),
                SimplifyTab::Parameters => self.parameters_ui(ui, lang, writable, commands),
            }
        });
    }

    fn side_combo(
        ui: &mut egui::Ui,
        lang: Lang,
        label: &str,
        value: &mut String,
        sides: &[String],
    ) {
        let name = |side: &str| {
            if side == WORKING {
                tr(lang, "Bản làm việc", "Working copy").to_owned()
            } else {
                side.to_owned()
            }
        };
        let label = ui.label(label).id;
        egui::ComboBox::from_id_salt(label)
            .selected_text(name(value))
            .width(180.0)
            .show_ui(ui, |ui| {
                for side in sides {
                    ui.selectable_value(value, side.clone(), name(side));
                }
            })
            .response
            .labelled_by(label);
    }

    fn savings_ui(&mut self, ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<Command>) {
        let mut sides = self.revisions.clone();
        sides.push(WORKING.to_owned());
        ui.horizontal(|ui| {
            Self::side_combo(ui, lang, tr(lang, "Trước", "Before"), &mut self.old, &sides);
            Self::side_combo(ui, lang, tr(lang, "Sau", "After"), &mut self.new, &sides);
            let ready = !self.old.is_empty() && !self.busy;
            if ui
                .add_enabled(
                    ready,
                    egui::Button::new(tr(lang, "Tính tiết kiệm", "Compute savings")),
                )
                .clicked()
            {
                commands.push(Command::Simplify(SimplifyCommand::Report {
                    old: self.old.clone(),
                    new: self.new.clone(),
                }));
            }
            if self.busy {
                ui.spinner();
            }
        });
        if self.revisions.is_empty() {
            ui.label(tr(
                lang,
                "Chưa có phiên bản nào: tạo một phiên bản (hoặc công bố danh mục) để có mốc so sánh.",
                "No revision yet: create one (or publish the list) to compare with.",
            ));
            return;
        }
        let Some(report) = &self.report else {
            return;
        };
        if self.stale {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr(
                    lang,
                    "Danh mục đã thay đổi: bấm «Tính tiết kiệm» để cập nhật.",
                    "The catalogue changed: compute again.",
                ),
            );
        }
        ui.add_space(4.0);
        ui.strong(tr(lang, "Kết quả so với mục tiêu", "Against the targets"));
        egui::Grid::new("savings_measures")
            .striped(true)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for title in [
                    tr(lang, "Chỉ tiêu", "Measure"),
                    tr(lang, "Trước", "Before"),
                    tr(lang, "Sau", "After"),
                    tr(lang, "Cắt giảm", "Cut"),
                    tr(lang, "Tỷ lệ so với mục tiêu", "Rate against the target"),
                ] {
                    ui.strong(title);
                }
                ui.end_row();
                for measure in &report.measures {
                    ui.label(format!("{} ({})", measure.label, measure.unit));
                    ui.label(amount(measure.before, measure.unit));
                    ui.label(amount(measure.after, measure.unit));
                    ui.label(amount(measure.reduction, measure.unit));
                    target_bar(ui, lang, measure, 280.0);
                    ui.end_row();
                }
            });
        let t = &report.totals;
        let count = |n: u64| format_vnd(n as i64);
        ui.label(format!(
            "{} {} · {} {} · {} {} · {} {} · {} {}",
            tr(lang, "Bãi bỏ", "Abolished"),
            count(t.abolished),
            tr(lang, "Gộp, thay thế", "Merged"),
            count(t.merged),
            tr(lang, "Đơn giản hóa", "Simplified"),
            count(t.simplified),
            tr(lang, "Chuyển cấp", "Moved"),
            count(t.moved),
            tr(lang, "Công bố mới", "Added"),
            count(t.added)
        ));
        ui.add_space(4.0);
        egui::Grid::new("savings_levels")
            .striped(true)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for title in [
                    tr(lang, "Cấp", "Level"),
                    tr(lang, "Thủ tục trước → sau", "Procedures before → after"),
                    tr(lang, "Thời gian (ngày) trước → sau", "Days before → after"),
                    tr(
                        lang,
                        "Chi phí/năm (đồng) trước → sau",
                        "Cost a year before → after",
                    ),
                ] {
                    ui.strong(title);
                }
                ui.end_row();
                for group in &report.by_level {
                    let tally = &group.tally;
                    ui.label(level_label(lang, group.key.level));
                    ui.label(format!(
                        "{} → {}",
                        count(tally.procedures_before),
                        count(tally.procedures_after)
                    ));
                    ui.label(format!(
                        "{} → {}",
                        format_hours(tally.days_before),
                        format_hours(tally.days_after)
                    ));
                    ui.label(format!(
                        "{} → {}",
                        format_vnd(tally.cost_per_year_before),
                        format_vnd(tally.cost_per_year_after)
                    ));
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let lang_label = tr(lang, "Báo cáo (.xlsx)", "Report (.xlsx)");
            path_field(
                ui,
                lang,
                lang_label,
                &mut self.export_path,
                "savings_export",
                &mut self.export_error,
                || {
                    rfd::FileDialog::new()
                        .add_filter("Excel", &["xlsx"])
                        .set_file_name("bao-cao-don-gian-hoa.xlsx")
                        .save_file()
                },
            );
            if ui
                .add_enabled(
                    !self.export_path.trim().is_empty(),
                    egui::Button::new(tr(lang, "Xuất báo cáo", "Export the report")),
                )
                .clicked()
            {
                commands.push(Command::Simplify(SimplifyCommand::Export(
                    self.export_path.trim().into(),
                )));
            }
        });
        if let Some(error) = &self.export_error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(6.0);
        ui.strong(format!(
            "{} ({})",
            tr(lang, "Thủ tục thay đổi", "Procedures changed"),
            report.rows.len()
        ));
        let row_height = 22.0;
        titled_table(
            ui,
            "savings_rows",
            &[
                Column::initial(110.0).at_least(70.0).clip(true),
                Column::initial(300.0).at_least(120.0).clip(true),
                Column::initial(110.0).at_least(70.0).clip(true),
                Column::initial(110.0).at_least(70.0).clip(true),
                Column::initial(200.0).at_least(100.0).clip(true),
                Column::remainder().at_least(120.0),
            ],
            &[
                tr(lang, "Mã TTHC", "Code"),
                tr(lang, "Tên thủ tục", "Name"),
                tr(lang, "Kết quả", "Outcome"),
                tr(lang, "Thời hạn", "Days"),
                tr(lang, "Chi phí/năm", "Cost a year"),
                tr(lang, "Phương án", "Options"),
            ],
            row_height,
        )
        .body(|body| {
            body.rows(row_height, report.rows.len(), |mut row| {
                let Some(entry) = report.rows.get(row.index()) else {
                    return;
                };
                row.col(|ui| {
                    if ui.link(&entry.code).on_hover_text(tr(lang, "Mở trong danh mục", "Show in the catalogue")).clicked() {
                        commands.push(Command::Simplify(SimplifyCommand::ShowEntry(
                            entry.code.clone(),
                            entry.new_level.unwrap_or(entry.level),
                        )));
                    }
                });
                row.col(|ui| {
                    ui.label(&entry.name).on_hover_text(&entry.name);
                });
                row.col(|ui| {
                    ui.label(entry.outcome.label_vi());
                });
                let side = |measures: Option<crate::simplify::savings::Measures>, pick: &dyn Fn(&crate::simplify::savings::Measures) -> String| {
                    measures.map_or("—".to_owned(), |m| pick(&m))
                };
                row.col(|ui| {
                    let days = |m: &crate::simplify::savings::Measures| m.processing_days.map_or("?".to_owned(), format_hours);
                    ui.label(format!("{} → {}", side(entry.before, &days), side(entry.after, &days)));
                });
                row.col(|ui| {
                    let cost = |m: &crate::simplify::savings::Measures| format_vnd(m.cost_per_year);
                    ui.label(format!("{} → {}", side(entry.before, &cost), side(entry.after, &cost)));
                });
                row.col(|ui| {
                    let options = entry.options.join("; ");
                    ui.label(&options).on_hover_text(&options);
                });
            });
        });
    }

    fn options_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "Trạng thái", "State")).id;
            let shown = |state: Option<OptionState>| {
                state.map_or(tr(lang, "Tất cả", "All"), OptionState::label_vi)
            };
            egui::ComboBox::from_id_salt("options_state")
                .selected_text(shown(self.state_filter))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.state_filter, None, shown(None));
                    for state in OptionState::ALL {
                        ui.selectable_value(
                            &mut self.state_filter,
                            Some(state),
                            shown(Some(state)),
                        );
                    }
                })
                .response
                .labelled_by(label);
            let counts: Vec<String> = OptionState::ALL
                .iter()
                .map(|state| {
                    let count = self.options.iter().filter(|o| o.state == *state).count();
                    format!("{} {count}", state.label_vi())
                })
                .collect();
            ui.label(counts.join(" · "));
        });
        let shown: Vec<&SimplificationOption> = self
            .options
            .iter()
            .filter(|option| self.state_filter.is_none_or(|state| option.state == state))
            .collect();
        if shown.is_empty() {
            ui.label(tr(
                lang,
                "Chưa có phương án. Ghi phương án ở mục «Đơn giản hóa» của biểu mẫu thủ tục, hoặc đề xuất bãi bỏ ở màn hình Rà soát.",
                "No options yet. Record one in the procedure form's Simplification section, or propose an abolition in the Audit view.",
            ));
            return;
        }
        let row_height = 24.0;
        titled_table(
            ui,
            "options_table",
            &[
                Column::initial(40.0).at_least(30.0),
                Column::initial(110.0).at_least(70.0).clip(true),
                Column::initial(80.0).at_least(60.0).clip(true),
                Column::initial(320.0).at_least(120.0).clip(true),
                Column::initial(110.0).at_least(80.0).clip(true),
                Column::initial(220.0).at_least(80.0).clip(true),
                Column::remainder().at_least(200.0),
            ],
            &[
                tr(lang, "Số", "No."),
                tr(lang, "Mã TTHC", "Code"),
                tr(lang, "Cấp", "Level"),
                tr(lang, "Phương án", "Option"),
                tr(lang, "Trạng thái", "State"),
                tr(lang, "Lý do", "Reason"),
                "",
            ],
            row_height,
        )
        .body(|body| {
            body.rows(row_height, shown.len(), |mut row| {
                let Some(option) = shown.get(row.index()) else {
                    return;
                };
                row.col(|ui| {
                    ui.label(option.number.to_string());
                });
                row.col(|ui| {
                    if ui.link(&option.code).clicked() {
                        commands.push(Command::Simplify(SimplifyCommand::ShowEntry(
                            option.code.clone(),
                            option.level,
                        )));
                    }
                });
                row.col(|ui| {
                    ui.label(level_label(lang, option.level));
                });
                row.col(|ui| {
                    let text = option.describe();
                    ui.label(&text).on_hover_text(&text);
                });
                row.col(|ui| {
                    ui.label(option.state.label_vi());
                });
                row.col(|ui| {
                    ui.label(&option.reason).on_hover_text(&option.reason);
                });
                row.col(|ui| {
                    if writable {
                        super::options_section::option_actions(ui, lang, option, commands);
                    }
                });
            });
        });
    }

    fn parameters_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.strong(tr(lang, "Tham số tính chi phí tuân thủ (Thông tư 02/2017/TT-VPCP)", "Compliance cost parameters (Circular 02/2017/TT-VPCP)"));
            ui.add_enabled_ui(writable, |ui| {
                egui::Grid::new("cost_parameters").striped(true).spacing([10.0, 4.0]).show(ui, |ui| {
                    for title in [tr(lang, "Tham số", "Parameter"), tr(lang, "Giá trị", "Value"), "", ""] {
                        ui.strong(title);
                    }
                    ui.end_row();
                    for info in PARAMETERS {
                        let Some(parameter) = self.model.parameter_mut(info.key) else {
                            continue;
                        };
                        let label = ui.label(info.label_vi).id;
                        figure_field(ui, label, parameter, &mut self.figure_texts, info.key, info.unit_vi);
                        ui.label(info.unit_vi);
                        source_field(ui, lang, &mut parameter.source, info.key);
                        ui.end_row();
                    }
                });
                ui.add_space(8.0);
                ui.strong(tr(lang, "Mục tiêu cắt giảm (ít nhất, %)", "Targets (least cut, %)"));
                egui::Grid::new("targets").striped(true).spacing([10.0, 4.0]).show(ui, |ui| {
                    for (label, figure) in [
                        (tr(lang, "Số thủ tục", "Procedures"), &mut self.targets.procedures),
                        (tr(lang, "Thời gian giải quyết", "Processing time"), &mut self.targets.processing_days),
                        (tr(lang, "Chi phí tuân thủ", "Compliance cost"), &mut self.targets.compliance_cost),
                    ] {
                        let id = ui.label(label).id;
                        figure_field(ui, id, figure, &mut self.figure_texts, label, "%");
                        source_field(ui, lang, &mut figure.source, label);
                        ui.end_row();
                    }
                });
            });
            let changed = self.model != self.saved_model || self.targets != self.saved_targets;
            let unreadable = self.figure_texts.values().any(|text| parse_figure(text).is_none());
            if unreadable {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tr(lang, "Có ô không phải là số (ghi như 43.750 hoặc 1,5)", "A figure is not a number (write 43.750 or 1,5)"),
                );
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(writable && changed && !unreadable, egui::Button::new(tr(lang, "Lưu tham số và mục tiêu", "Save parameters and targets")))
                    .clicked()
                {
                    commands.push(Command::Simplify(SimplifyCommand::SaveSettings(
                        Box::new(self.model.clone()),
                        self.targets.clone(),
                    )));
                }
                if ui.add_enabled(changed, egui::Button::new(tr(lang, "Bỏ thay đổi", "Revert"))).clicked() {
                    self.model = self.saved_model.clone();
                    self.targets = self.saved_targets.clone();
                    self.figure_texts.clear();
                }
                if ui.add_enabled(writable, egui::Button::new(tr(lang, "Giá trị mặc định", "Defaults"))).clicked() {
                    self.model = CostModel::default();
                    self.targets = Targets::default();
                    self.figure_texts.clear();
                }
            });
            ui.label(
                RichText::new(tr(
                    lang,
                    "Tham số và mục tiêu được lưu trong danh mục (hoàn tác được) và in kèm báo cáo.",
                    "Parameters and targets are kept in the catalogue (undoable) and printed with the report.",
                ))
                .small()
                .weak(),
            );
        });
    }
}
