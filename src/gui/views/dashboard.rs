//! The dashboard: the working copy at a glance — by level, online kind and tier, field; how
//! processing times are spread; where compliance costs most a year; savings since the last
//! publication against the targets; how far the audit got. Computed on a reading thread;
//! every bar is a button that filters the table (or opens the entry, or the audit).

use egui::{Color32, RichText};

use crate::gui::command::{Command, Mode, SimplifyCommand};
use crate::gui::i18n::{Lang, level_label, tr};
use crate::gui::model::Facet;
use crate::gui::widgets::bar_row;
use crate::simplify::cost::OnlineKind;
use crate::simplify::overview::{Overview, TIME_BUCKETS};
use crate::simplify::sourced::{format_hours, format_vnd};

const BLUE: Color32 = Color32::from_rgb(66, 120, 190);
const TEAL: Color32 = Color32::from_rgb(40, 150, 140);
const ORANGE: Color32 = Color32::from_rgb(210, 130, 40);
const GREY: Color32 = Color32::from_rgb(120, 120, 130);

/// How many fields the field chart lists.
const FIELDS_SHOWN: usize = 12;

/// The audit's findings of one kind: how many have a verdict, of how many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditProgress {
    pub kind: crate::audit::FindingKind,
    pub reviewed: u64,
    pub total: u64,
}

#[derive(Default)]
pub struct DashboardPanel {
    overview: Option<Overview>,
    pub busy: bool,
    /// The catalogue changed since the overview was computed.
    pub stale: bool,
    pub audit: Vec<AuditProgress>,
}

impl DashboardPanel {
    pub fn overview(&self) -> Option<&Overview> {
        self.overview.as_ref()
    }

    pub fn set_overview(&mut self, overview: Overview) {
        self.overview = Some(overview);
        self.busy = false;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<Command>) {
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(overview) = &self.overview else {
                ui.centered_and_justified(|ui| {
                    ui.spinner();
                });
                return;
            };
            ui.horizontal(|ui| {
                ui.heading(format!(
                    "{} {} {}",
                    tr(lang, "Tổng quan:", "Overview:"),
                    counted(overview.total),
                    tr(lang, "thủ tục", "procedures")
                ));
                if self.busy {
                    ui.spinner();
                }
                ui.label(
                    RichText::new(tr(
                        lang,
                        "Bấm vào một thanh để lọc bảng danh mục",
                        "Click a bar to filter the table",
                    ))
                    .small()
                    .weak(),
                );
            });
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.columns(2, |columns| {
                    Self::left_ui(&mut columns[0], lang, overview, commands);
                    Self::right_ui(&mut columns[1], lang, overview, &self.audit, commands);
                });
            });
        });
    }

    fn card(ui: &mut egui::Ui, title: &str, body: impl FnOnce(&mut egui::Ui)) {
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.strong(title);
            body(ui);
        });
        ui.add_space(6.0);
    }

    fn left_ui(ui: &mut egui::Ui, lang: Lang, overview: &Overview, commands: &mut Vec<Command>) {
        let total = overview.total as f64;
        Self::card(ui, tr(lang, "Theo cấp thực hiện", "By level"), |ui| {
            for (level, count) in &overview.by_level {
                if bar_row(
                    ui,
                    level_label(lang, *level),
                    *count as f64,
                    total,
                    &counted(*count),
                    BLUE,
                )
                .clicked()
                {
                    commands.push(Command::FilterTable(
                        Facet::Level,
                        vec![level.key().to_owned()],
                    ));
                }
            }
        });
        Self::card(
            ui,
            tr(
                lang,
                "Dịch vụ công trực tuyến (Nghị định 42/2022)",
                "Online services (Decree 42/2022)",
            ),
            |ui| {
                for (kind, count) in &overview.by_kind {
                    let (label, tiers): (&str, &[&str]) = match kind {
                        OnlineKind::Whole => (
                            tr(lang, "Toàn trình (mức 4)", "Whole process (tier 4)"),
                            &["4"],
                        ),
                        OnlineKind::Partial => {
                            (tr(lang, "Một phần (mức 3)", "Partial (tier 3)"), &["3"])
                        }
                        OnlineKind::Information => (
                            tr(
                                lang,
                                "Cung cấp thông tin (mức 1–2)",
                                "Information (tiers 1–2)",
                            ),
                            &["1", "2"],
                        ),
                    };
                    if bar_row(ui, label, *count as f64, total, &counted(*count), TEAL).clicked() {
                        let values = tiers.iter().map(|tier| (*tier).to_owned()).collect();
                        commands.push(Command::FilterTable(Facet::Tier, values));
                    }
                }
            },
        );
        Self::card(
            ui,
            tr(
                lang,
                "Theo lĩnh vực (nhiều thủ tục nhất)",
                "By field (largest)",
            ),
            |ui| {
                let max = overview
                    .by_field
                    .first()
                    .map_or(0.0, |(_, count)| *count as f64);
                for (field, count) in overview.by_field.iter().take(FIELDS_SHOWN) {
                    let label = if field.is_empty() {
                        tr(lang, "(chưa ghi)", "(none)")
                    } else {
                        field
                    };
                    if bar_row(ui, label, *count as f64, max, &counted(*count), BLUE).clicked() {
                        commands.push(Command::FilterTable(Facet::Field, vec![field.clone()]));
                    }
                }
                if overview.by_field.len() > FIELDS_SHOWN {
                    ui.label(
                        RichText::new(format!(
                            "{} {} {}",
                            tr(lang, "và", "and"),
                            overview.by_field.len() - FIELDS_SHOWN,
                            tr(
                                lang,
                                "lĩnh vực khác (xem bộ lọc Lĩnh vực)",
                                "more fields (see the Field filter)"
                            )
                        ))
                        .small()
                        .weak(),
                    );
                }
            },
        );
        Self::card(
            ui,
            tr(
                lang,
                "Thời hạn giải quyết (ngày làm việc)",
                "Processing time (working days)",
            ),
            |ui| {
                let max = overview.time_buckets.iter().copied().max().unwrap_or(0) as f64;
                let mut lower = 0.0;
                for (index, count) in overview.time_buckets.iter().enumerate() {
                    let label = match TIME_BUCKETS.get(index) {
                        Some(bound) if index == 0 => format!("≤ {}", format_hours(*bound)),
                        Some(bound) => {
                            format!("{} – {}", format_hours(lower + 1.0), format_hours(*bound))
                        }
                        None => format!("> {}", format_hours(lower)),
                    };
                    lower = TIME_BUCKETS.get(index).copied().unwrap_or(lower);
                    bar_row(ui, &label, *count as f64, max, &counted(*count), ORANGE);
                }
                if overview.time_unread > 0 {
                    bar_row(
                        ui,
                        tr(lang, "không đọc được số ngày", "no number of days"),
                        overview.time_unread as f64,
                        max,
                        &counted(overview.time_unread),
                        GREY,
                    );
                }
            },
        );
    }

    fn right_ui(
        ui: &mut egui::Ui,
        lang: Lang,
        overview: &Overview,
        audit: &[AuditProgress],
        commands: &mut Vec<Command>,
    ) {
        Self::card(
            ui,
            tr(
                lang,
                "Cắt giảm so với mục tiêu",
                "Savings against the targets",
            ),
            |ui| match &overview.since {
                Some(since) => {
                    ui.label(
                        RichText::new(format!(
                            "{} «{}» → {} · {} {} · {} {}",
                            tr(lang, "Từ bản công bố", "From the publication"),
                            since.baseline,
                            tr(lang, "bản làm việc", "working copy"),
                            tr(lang, "bãi bỏ, gộp", "abolished, merged"),
                            since.abolished,
                            tr(lang, "đơn giản hóa", "simplified"),
                            since.simplified
                        ))
                        .small(),
                    );
                    egui::Grid::new("dashboard_targets")
                        .spacing([8.0, 4.0])
                        .show(ui, |ui| {
                            for measure in since.measures.iter().filter(|m| m.target.is_some()) {
                                ui.label(measure.label);
                                super::simplify::target_bar(ui, lang, measure, 300.0);
                                ui.end_row();
                            }
                        });
                    if ui
                        .button(tr(lang, "Xem báo cáo tiết kiệm", "Open the savings report"))
                        .clicked()
                    {
                        commands.push(Command::SetMode(Mode::Simplify));
                    }
                }
                None => {
                    ui.label(tr(
                    lang,
                    "Chưa có bản công bố: công bố danh mục (Phiên bản và so sánh) để có mốc tính cắt giảm.",
                    "No publication yet: publish the list (Revisions) to measure savings from it.",
                ));
                }
            },
        );
        Self::card(
            ui,
            &format!(
                "{} ({} {})",
                tr(
                    lang,
                    "Chi phí tuân thủ cao nhất một năm",
                    "Highest yearly compliance cost"
                ),
                format_vnd(overview.cost_per_year),
                tr(lang, "đồng cả danh mục", "đồng in all")
            ),
            |ui| {
                let max = overview
                    .costliest
                    .first()
                    .map_or(0.0, |c| c.cost_per_year as f64);
                for costly in &overview.costliest {
                    let label = format!("{} {}", costly.code, costly.name);
                    if bar_row(
                        ui,
                        &label,
                        costly.cost_per_year as f64,
                        max,
                        &format_vnd(costly.cost_per_year),
                        ORANGE,
                    )
                    .clicked()
                    {
                        commands.push(Command::Simplify(SimplifyCommand::ShowEntry(
                            costly.code.clone(),
                            costly.level,
                        )));
                    }
                }
                if overview.costliest.is_empty() {
                    ui.label(tr(
                        lang,
                        "Chưa có số hồ sơ năm trước để tính chi phí cả năm.",
                        "No dossier counts yet to cost a year.",
                    ));
                }
            },
        );
        Self::card(
            ui,
            tr(
                lang,
                "Theo mức độ (Nghị định 43/2011)",
                "By tier (Decree 43/2011)",
            ),
            |ui| {
                let total = overview.total as f64;
                for (tier, count) in &overview.by_tier {
                    let label = if *tier == 0 {
                        tr(lang, "chưa ghi mức độ", "no tier").to_owned()
                    } else {
                        format!("{} {tier}", tr(lang, "Mức", "Tier"))
                    };
                    if bar_row(ui, &label, *count as f64, total, &counted(*count), TEAL).clicked()
                        && *tier > 0
                    {
                        commands.push(Command::FilterTable(Facet::Tier, vec![tier.to_string()]));
                    }
                }
            },
        );
        Self::card(
            ui,
            tr(
                lang,
                "Tiến độ rà soát (đã kết luận / phát hiện)",
                "Audit progress (decided / found)",
            ),
            |ui| {
                if audit.is_empty() {
                    ui.label(tr(lang, "Đang rà soát…", "Auditing…"));
                }
                for progress in audit {
                    let fraction = if progress.total > 0 {
                        progress.reviewed as f64 / progress.total as f64
                    } else {
                        1.0
                    };
                    let label = crate::gui::i18n::finding_kind_label(lang, progress.kind);
                    let text = format!(
                        "{} / {}",
                        counted(progress.reviewed),
                        counted(progress.total)
                    );
                    if bar_row(
                        ui,
                        label,
                        fraction,
                        1.0,
                        &text,
                        Color32::from_rgb(46, 125, 50),
                    )
                    .clicked()
                    {
                        commands.push(Command::SetMode(Mode::Audit));
                    }
                }
            },
        );
    }
}

/// A count as the officer reads it, dots between thousands: 96.312.
fn counted(count: u64) -> String {
    format_vnd(i64::try_from(count).unwrap_or(i64::MAX))
}
