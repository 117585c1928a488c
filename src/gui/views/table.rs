//! The procedures table: virtualised rows (only the visible ones are laid out, so 120,000
//! scroll smoothly), sortable headers, search matches highlighted.

use egui::text::LayoutJob;
use egui::{Color32, TextFormat};
use egui_extras::{Column, TableBuilder};

use crate::gui::command::Command;
use crate::gui::i18n::{
    Lang, column_label, flag_label, flag_short_label, level_label, status_label, tr,
};
use crate::gui::model::{CatalogueView, ColumnKey, RowView};
use crate::text::find_folded;

fn initial_width(column: ColumnKey) -> f32 {
    match column {
        ColumnKey::Code => 90.0,
        ColumnKey::Name => 330.0,
        ColumnKey::Level => 70.0,
        ColumnKey::Field => 120.0,
        ColumnKey::Agency => 130.0,
        ColumnKey::Tier => 55.0,
        ColumnKey::ProcessingTime => 120.0,
        ColumnKey::Fee => 100.0,
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
    let summary = &row.summary;
    match column {
        ColumnKey::Code => summary.code.clone(),
        ColumnKey::Name => summary.name.clone(),
        ColumnKey::Level => level_label(lang, summary.level).to_owned(),
        ColumnKey::Field => summary.field.clone(),
        ColumnKey::Agency => row.agency.clone(),
        ColumnKey::Tier => summary.tier.map(|t| t.to_string()).unwrap_or_default(),
        ColumnKey::ProcessingTime => row.time_text(),
        ColumnKey::Fee => row.fee_text(),
        ColumnKey::Status => status_label(lang, summary.status).to_owned(),
        ColumnKey::Flags => row
            .flags()
            .map(|flag| flag_short_label(lang, flag))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Draws the table; what the officer does becomes commands.
pub fn table_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    view: &CatalogueView,
    selected: Option<i64>,
    scroll_to: Option<usize>,
    commands: &mut Vec<Command>,
) {
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
                    let title = format!("{}{arrow}", column_label(lang, column));
                    let response = ui
                        .add(egui::Button::new(egui::RichText::new(title).strong()).frame(false))
                        .on_hover_text(tr(lang, "Bấm để sắp xếp", "Click to sort"));
                    if response.clicked() {
                        commands.push(Command::SortBy(column));
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, view.shown_len(), |mut table_row| {
                let Some(row) = view.shown_row(table_row.index()) else {
                    return;
                };
                let procedure_id = row.procedure_id();
                table_row.set_selected(selected == Some(procedure_id));
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
                            let flags: Vec<&str> =
                                row.flags().map(|f| flag_label(lang, f)).collect();
                            response.on_hover_text(flags.join("\n"));
                        }
                    });
                }
                let response = table_row.response();
                if response.double_clicked() {
                    commands.push(Command::Edit(procedure_id));
                } else if response.clicked() {
                    commands.push(Command::Select(procedure_id));
                }
            });
        });
}
