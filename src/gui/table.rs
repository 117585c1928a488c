//! The procedures table: virtualised rows (only the visible ones are laid out, so 120,000
//! scroll smoothly), sortable headers, search matches highlighted.

use egui::text::LayoutJob;
use egui::{Color32, TextFormat};
use egui_extras::{Column, TableBuilder};

use super::i18n::{Lang, level_label, status_label, tr};
use super::view::{CatalogueView, ColumnKey, RowView};
use crate::text::find_folded;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableAction {
    Select(i64),
    /// Double click or Enter: edit in the form.
    Open(i64),
    Sort(ColumnKey),
}

fn column_title(lang: Lang, column: ColumnKey) -> &'static str {
    match column {
        ColumnKey::Code => tr(lang, "Mã TTHC", "Code"),
        ColumnKey::Name => tr(lang, "Tên thủ tục", "Name"),
        ColumnKey::Level => tr(lang, "Cấp", "Level"),
        ColumnKey::Field => tr(lang, "Lĩnh vực", "Field"),
        ColumnKey::Agency => tr(lang, "Cơ quan thực hiện", "Agency"),
        ColumnKey::Tier => tr(lang, "Mức độ", "Tier"),
        ColumnKey::ProcessingDays => tr(lang, "Số ngày", "Days"),
        ColumnKey::Fee => tr(lang, "Phí (đ)", "Fee (VND)"),
        ColumnKey::Status => tr(lang, "Tình trạng", "Status"),
        ColumnKey::Flags => tr(lang, "Cảnh báo", "Flags"),
    }
}

fn initial_width(column: ColumnKey) -> f32 {
    match column {
        ColumnKey::Code => 90.0,
        ColumnKey::Name => 330.0,
        ColumnKey::Level => 70.0,
        ColumnKey::Field => 120.0,
        ColumnKey::Agency => 130.0,
        ColumnKey::Tier => 55.0,
        ColumnKey::ProcessingDays => 55.0,
        ColumnKey::Fee => 80.0,
        ColumnKey::Status => 95.0,
        ColumnKey::Flags => 80.0,
    }
}

/// Text with the search match on a highlighted background.
fn highlighted(ui: &egui::Ui, text: &str, needle_folded: &str) -> LayoutJob {
    let color = ui.visuals().text_color();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = TextFormat::simple(font.clone(), color);
    let mut job = LayoutJob::default();
    match find_folded(text, needle_folded) {
        Some(range) => {
            job.append(&text[..range.start], 0.0, plain.clone());
            job.append(
                &text[range.clone()],
                0.0,
                TextFormat {
                    background: Color32::from_rgb(120, 95, 20),
                    color: Color32::WHITE,
                    ..TextFormat::simple(font, color)
                },
            );
            job.append(&text[range.end..], 0.0, plain);
        }
        None => job.append(text, 0.0, plain),
    }
    job.wrap.max_rows = 1;
    job.wrap.break_anywhere = true;
    job
}

fn cell_text(lang: Lang, row: &RowView, column: ColumnKey) -> String {
    match column {
        ColumnKey::Code => row.code.clone(),
        ColumnKey::Name => row.name.clone(),
        ColumnKey::Level => level_label(lang, row.level).to_owned(),
        ColumnKey::Field => row.field.clone(),
        ColumnKey::Agency => row.agency.clone(),
        ColumnKey::Tier => row.tier.map(|t| t.to_string()).unwrap_or_default(),
        ColumnKey::ProcessingDays => row.days_text(),
        ColumnKey::Fee => row.fee_text(),
        ColumnKey::Status => status_label(lang, row.status).to_owned(),
        ColumnKey::Flags => row
            .flags()
            .map(|flag| flag.short_label(lang))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Draws the table; returns what the officer did.
pub fn table_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    view: &CatalogueView,
    selected: Option<i64>,
    scroll_to: Option<usize>,
) -> Option<TableAction> {
    let mut action = None;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let needle = view.search_folded().to_owned();
    let mut builder = TableBuilder::new(ui)
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for column in ColumnKey::ALL {
        let width = initial_width(column);
        // The name takes what is left, so the table fits the window at any width.
        builder = builder.column(if column == ColumnKey::Name {
            Column::remainder().at_least(180.0).clip(true)
        } else {
            Column::initial(width).at_least(40.0).clip(true)
        });
    }
    if let Some(position) = scroll_to {
        builder = builder.scroll_to_row(position, None);
    }
    let sort = view.sort();
    builder
        .header(row_height, |mut header| {
            for column in ColumnKey::ALL {
                header.col(|ui| {
                    let arrow = match (sort.column == column, sort.descending) {
                        (true, false) => " ▲",
                        (true, true) => " ▼",
                        _ => "",
                    };
                    let title = format!("{}{arrow}", column_title(lang, column));
                    let response = ui
                        .add(egui::Button::new(egui::RichText::new(title).strong()).frame(false))
                        .on_hover_text(tr(lang, "Bấm để sắp xếp", "Click to sort"));
                    if response.clicked() {
                        action = Some(TableAction::Sort(column));
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, view.shown_len(), |mut table_row| {
                let Some(row) = view.shown_row(table_row.index()) else {
                    return;
                };
                table_row.set_selected(selected == Some(row.procedure_id));
                for column in ColumnKey::ALL {
                    table_row.col(|ui| {
                        let text = cell_text(lang, row, column);
                        let searchable = matches!(
                            column,
                            ColumnKey::Code
                                | ColumnKey::Name
                                | ColumnKey::Field
                                | ColumnKey::Agency
                        );
                        let label = if searchable && !needle.is_empty() {
                            egui::Label::new(highlighted(ui, &text, &needle))
                        } else {
                            egui::Label::new(text).truncate()
                        };
                        let response = ui.add(label.selectable(false).sense(egui::Sense::hover()));
                        if column == ColumnKey::Flags && row.flags().next().is_some() {
                            let flags: Vec<&str> = row.flags().map(|f| f.label(lang)).collect();
                            response.on_hover_text(flags.join("\n"));
                        }
                    });
                }
                let response = table_row.response();
                if response.double_clicked() {
                    action = Some(TableAction::Open(row.procedure_id));
                } else if response.clicked() {
                    action = Some(TableAction::Select(row.procedure_id));
                }
            });
        });
    action
}
