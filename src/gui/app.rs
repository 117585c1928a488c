//! The main window: the catalogue's working copy as a searchable table.

use std::path::{Path, PathBuf};

use egui_extras::{Column, TableBuilder};

use crate::domain::{Procedure, format_date, group_thousands};
use crate::store::Catalogue;
use crate::text::fold;

/// One table row, prepared once when the catalogue is loaded, not per frame.
#[derive(Clone, Debug, PartialEq)]
pub struct RowView {
    pub code: String,
    pub name: String,
    pub level: &'static str,
    pub field: String,
    pub agency: String,
    pub tier: String,
    pub processing_days: String,
    pub fee: String,
    pub status: &'static str,
    /// Code, name, agency and field folded (no case, no diacritics) for search.
    search_key: String,
}

impl RowView {
    pub fn of(procedure: &Procedure) -> RowView {
        let data = &procedure.data;
        let fee = match data.fee_vnd {
            Some(0) => "Miễn phí".to_owned(),
            Some(amount) => format!("{} đ", group_thousands(amount)),
            None => String::new(),
        };
        RowView {
            code: data.code.clone(),
            name: data.name.clone(),
            level: data.level_or_province().label_vi(),
            field: data.field.clone(),
            agency: data.agency.lines().collect::<Vec<_>>().join("; "),
            tier: data
                .tier
                .map(|t| format!("{t} ({})", t.decree42_label()))
                .unwrap_or_default(),
            processing_days: data
                .processing_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            fee,
            status: data.status.label_vi(),
            search_key: fold(&format!(
                "{} {} {} {}",
                data.code, data.name, data.agency, data.field
            )),
        }
    }
}

pub struct CatalogueApp {
    path: PathBuf,
    rows: Vec<RowView>,
    /// Indices into `rows` matching the search, in catalogue order.
    shown: Vec<usize>,
    search: String,
    /// What went wrong opening the catalogue, shown instead of the table.
    error: Option<String>,
    updated_at: Option<String>,
}

impl CatalogueApp {
    pub fn new(ctx: &egui::Context, path: PathBuf) -> CatalogueApp {
        super::fonts::install(ctx);
        let mut app = CatalogueApp {
            path,
            rows: Vec::new(),
            shown: Vec::new(),
            search: String::new(),
            error: None,
            updated_at: None,
        };
        app.load();
        app
    }

    fn load(&mut self) {
        match load_rows(&self.path) {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
                self.updated_at = Some(format_date(time::OffsetDateTime::now_utc().date()));
            }
            Err(error) => {
                self.rows.clear();
                self.error = Some(error);
            }
        }
        self.apply_search();
    }

    fn apply_search(&mut self) {
        let needle = fold(&self.search);
        self.shown = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| needle.is_empty() || row.search_key.contains(&needle))
            .map(|(index, _)| index)
            .collect();
    }

    /// Rows shown now, for tests.
    pub fn shown_rows(&self) -> impl Iterator<Item = &RowView> {
        self.shown.iter().map(|&index| &self.rows[index])
    }

    pub fn total_rows(&self) -> usize {
        self.rows.len()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.heading("Bộ thủ tục hành chính");
            ui.separator();
            ui.label("Tìm kiếm");
            let response = ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("mã, tên, cơ quan, lĩnh vực — không cần dấu")
                    .desired_width(320.0),
            );
            if response.changed() {
                self.apply_search();
            }
            if !self.search.is_empty() && ui.button("Xóa").clicked() {
                self.search.clear();
                self.apply_search();
            }
        });
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(self.path.display().to_string());
            ui.separator();
            ui.label(format!(
                "Hiển thị {} / {} thủ tục",
                self.shown.len(),
                self.rows.len()
            ));
            if let Some(updated_at) = &self.updated_at {
                ui.separator();
                ui.label(format!("Đã tải ngày {updated_at}"));
            }
        });
    }

    fn table_ui(&self, ui: &mut egui::Ui) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .striped(true)
            .resizable(true)
            .column(Column::initial(100.0).at_least(70.0).clip(true))
            .column(Column::initial(400.0).at_least(160.0).clip(true))
            .column(Column::initial(70.0).clip(true))
            .column(Column::initial(140.0).clip(true))
            .column(Column::initial(150.0).clip(true))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(60.0).clip(true))
            .column(Column::initial(90.0).clip(true))
            .column(Column::remainder().at_least(90.0).clip(true))
            .header(row_height + 4.0, |mut header| {
                for title in [
                    "Mã TTHC",
                    "Tên thủ tục",
                    "Cấp",
                    "Lĩnh vực",
                    "Cơ quan thực hiện",
                    "Mức độ",
                    "Số ngày",
                    "Phí, lệ phí",
                    "Tình trạng",
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.shown.len(), |mut table_row| {
                    let row = &self.rows[self.shown[table_row.index()]];
                    for text in [
                        row.code.as_str(),
                        row.name.as_str(),
                        row.level,
                        row.field.as_str(),
                        row.agency.as_str(),
                        row.tier.as_str(),
                        row.processing_days.as_str(),
                        row.fee.as_str(),
                        row.status,
                    ] {
                        table_row.col(|ui| {
                            ui.add(egui::Label::new(text).truncate());
                        });
                    }
                });
            });
    }
}

fn load_rows(path: &Path) -> Result<Vec<RowView>, String> {
    let catalogue = Catalogue::open(path).map_err(|error| error.to_string())?;
    let procedures = catalogue.procedures().map_err(|error| error.to_string())?;
    Ok(procedures.iter().map(RowView::of).collect())
}

impl eframe::App for CatalogueApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::top("top_bar").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| match &self.error {
            Some(error) => {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            None => self.table_ui(ui),
        });
    }
}
