//! The savings report an officer signs (.xlsx, A4): a summary page — each measure before and
//! after against its target, by level and by field, the cost model's parameters with their
//! sources, and the signature block — then one row per procedure abolished, merged,
//! simplified, moved or added (before → after, options, reasons, savings), then the options.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};

use super::workbook::{Formats, LINE_HEIGHT, print_a4, wrapped_lines, xlsx_error};
use super::{ExportError, OutputFormat, Result, check_output, write_whole};
use crate::domain::Level;
use crate::simplify::savings::{MeasureSummary, Measures, SavingsReport, SavingsRow, Tally};
use crate::simplify::sourced::{format_hours, format_vnd};
use crate::store::{Catalogue, WORKING};

/// Writes the report to `output` (.xlsx only), whole or not at all.
pub fn write_savings_report(
    catalogue: &Catalogue,
    report: &SavingsReport,
    output: &Path,
) -> Result<()> {
    if check_output(catalogue, output)? != OutputFormat::Xlsx {
        return Err(ExportError::UnsupportedOutput(output.to_owned()));
    }
    let name = catalogue.name()?;
    let bytes = workbook(report, &name, output)?;
    write_whole(output, &bytes)
}

fn side_vi(side: &str) -> String {
    if side == WORKING {
        "bản làm việc".to_owned()
    } else {
        side.to_owned()
    }
}

struct Sheets {
    formats: Formats,
    number: Format,
    percent: Format,
    bold_text: Format,
    note: Format,
}

impl Sheets {
    fn new() -> Sheets {
        let formats = Formats::new();
        Sheets {
            number: formats
                .centre
                .clone()
                .set_num_format("#,##0")
                .set_align(FormatAlign::Right),
            percent: formats
                .centre
                .clone()
                .set_num_format("0.0%")
                .set_align(FormatAlign::Right),
            bold_text: formats.text.clone().set_bold(),
            note: formats
                .plain
                .clone()
                .set_italic()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            formats,
        }
    }
}

fn workbook(report: &SavingsReport, catalogue_name: &str, output: &Path) -> Result<Vec<u8>> {
    let error = xlsx_error(output);
    let sheets = Sheets::new();
    let mut workbook = Workbook::new();
    summary_sheet(workbook.add_worksheet(), &sheets, report, catalogue_name).map_err(&error)?;
    rows_sheet(workbook.add_worksheet(), &sheets, report).map_err(&error)?;
    options_sheet(workbook.add_worksheet(), &sheets, report).map_err(&error)?;
    workbook.save_to_buffer().map_err(&error)
}

type XlsxResult<T = ()> = std::result::Result<T, rust_xlsxwriter::XlsxError>;

fn header_row(sheet: &mut Worksheet, row: u32, headers: &[&str], format: &Format) -> XlsxResult {
    for (column, text) in headers.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, *text, format)?;
    }
    let lines = headers
        .iter()
        .map(|text| wrapped_lines(text, 12.0))
        .max()
        .unwrap_or(1);
    sheet.set_row_height(row, LINE_HEIGHT * lines as f64 + 4.0)?;
    Ok(())
}

/// Columns of the summary's measure table.
const MEASURE_HEADERS: [&str; 7] = [
    "Chỉ tiêu",
    "Trước",
    "Sau",
    "Cắt giảm",
    "Tỷ lệ",
    "Mục tiêu",
    "Đạt",
];

fn measure_row(
    sheet: &mut Worksheet,
    sheets: &Sheets,
    row: u32,
    measure: &MeasureSummary,
) -> XlsxResult {
    let f = &sheets.formats;
    let label = format!("{} ({})", measure.label, measure.unit);
    sheet.write_string_with_format(row, 0, &label, &f.text)?;
    sheet.write_number_with_format(row, 1, measure.before.round(), &sheets.number)?;
    sheet.write_number_with_format(row, 2, measure.after.round(), &sheets.number)?;
    sheet.write_number_with_format(row, 3, measure.reduction.round(), &sheets.number)?;
    sheet.write_number_with_format(row, 4, measure.rate, &sheets.percent)?;
    match (measure.target, measure.met) {
        (Some(target), Some(met)) => {
            sheet.write_number_with_format(row, 5, target / 100.0, &sheets.percent)?;
            sheet.write_string_with_format(
                row,
                6,
                if met { "Đạt" } else { "Chưa đạt" },
                &f.centre,
            )?;
        }
        _ => {
            sheet.write_string_with_format(row, 5, "", &f.centre)?;
            sheet.write_string_with_format(row, 6, "", &f.centre)?;
        }
    }
    sheet.set_row_height(row, LINE_HEIGHT * wrapped_lines(&label, 34.0) as f64 + 4.0)?;
    Ok(())
}

/// Columns of the by-level and by-field tables.
const GROUP_HEADERS: [&str; 10] = [
    "",
    "TTHC trước",
    "TTHC sau",
    "Bãi bỏ",
    "Gộp, thay thế",
    "Đơn giản hóa",
    "Thời gian trước (ngày)",
    "Thời gian sau (ngày)",
    "Chi phí/năm trước (đồng)",
    "Chi phí/năm sau (đồng)",
];

fn group_row(
    sheet: &mut Worksheet,
    sheets: &Sheets,
    row: u32,
    label: &str,
    tally: &Tally,
) -> XlsxResult {
    sheet.write_string_with_format(row, 0, label, &sheets.formats.text)?;
    let figures = [
        tally.procedures_before as f64,
        tally.procedures_after as f64,
        tally.abolished as f64,
        tally.merged as f64,
        tally.simplified as f64,
        tally.days_before.round(),
        tally.days_after.round(),
        tally.cost_per_year_before as f64,
        tally.cost_per_year_after as f64,
    ];
    for (index, figure) in figures.into_iter().enumerate() {
        sheet.write_number_with_format(row, index as u16 + 1, figure, &sheets.number)?;
    }
    sheet.set_row_height(row, LINE_HEIGHT * wrapped_lines(label, 34.0) as f64 + 4.0)?;
    Ok(())
}

fn summary_sheet(
    sheet: &mut Worksheet,
    sheets: &Sheets,
    report: &SavingsReport,
    catalogue_name: &str,
) -> XlsxResult {
    let f = &sheets.formats;
    sheet.set_name("Tổng hợp")?;
    let widths = [34.0, 12.0, 12.0, 11.0, 11.0, 13.0, 13.0, 15.0, 15.0, 15.0];
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(column as u16, *width)?;
    }
    let last = (widths.len() - 1) as u16;
    sheet.merge_range(
        0,
        0,
        0,
        last,
        "BÁO CÁO KẾT QUẢ RÀ SOÁT, ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH",
        &f.title,
    )?;
    sheet.set_row_height(0, 22.0)?;
    let subtitle = format!(
        "Danh mục: {catalogue_name} — Trước: {} — Sau: {}",
        side_vi(&report.old),
        side_vi(&report.new)
    );
    sheet.merge_range(1, 0, 1, last, &subtitle, &f.subtitle)?;

    let mut row = 3;
    sheet.merge_range(
        row,
        0,
        row,
        last,
        "I. KẾT QUẢ CẮT GIẢM SO VỚI MỤC TIÊU",
        &sheets.bold_text,
    )?;
    row += 1;
    header_row(sheet, row, &MEASURE_HEADERS, &f.header)?;
    row += 1;
    for measure in &report.measures {
        measure_row(sheet, sheets, row, measure)?;
        row += 1;
    }
    let t = &report.totals;
    let counts = format!(
        "Bãi bỏ: {} · Gộp, thay thế: {} · Đơn giản hóa: {} · Chuyển cấp: {} · Công bố mới: {}",
        t.abolished, t.merged, t.simplified, t.moved, t.added
    );
    sheet.merge_range(row, 0, row, last, &counts, &sheets.bold_text)?;
    row += 1;
    // Where each target comes from.
    let mut sources: Vec<&str> = report
        .measures
        .iter()
        .filter_map(|measure| measure.target_source.as_deref())
        .collect();
    sources.dedup();
    for source in sources {
        let text = format!("Mục tiêu: {source}");
        sheet.merge_range(row, 0, row, last, &text, &sheets.note)?;
        sheet.set_row_height(row, LINE_HEIGHT * wrapped_lines(&text, 150.0) as f64 + 2.0)?;
        row += 1;
    }

    row += 1;
    sheet.merge_range(
        row,
        0,
        row,
        last,
        "II. THEO CẤP THỰC HIỆN",
        &sheets.bold_text,
    )?;
    row += 1;
    let mut headers = GROUP_HEADERS;
    headers[0] = "Cấp thực hiện";
    header_row(sheet, row, &headers, &f.header)?;
    row += 1;
    for group in &report.by_level {
        group_row(sheet, sheets, row, group.key.level.label_vi(), &group.tally)?;
        row += 1;
    }
    group_row(sheet, sheets, row, "Tổng cộng", &report.totals)?;
    row += 2;

    sheet.merge_range(row, 0, row, last, "III. THEO LĨNH VỰC", &sheets.bold_text)?;
    row += 1;
    headers[0] = "Lĩnh vực";
    header_row(sheet, row, &headers, &f.header)?;
    row += 1;
    for group in &report.by_field {
        let label = if group.key.field.is_empty() {
            "(chưa ghi lĩnh vực)"
        } else {
            &group.key.field
        };
        group_row(sheet, sheets, row, label, &group.tally)?;
        row += 1;
    }
    row += 1;

    // The parameters and the signature block start a page together: the signature is
    // never alone on the last page.
    sheet.set_page_breaks(&[row])?;
    sheet.merge_range(
        row,
        0,
        row,
        last,
        "IV. THAM SỐ TÍNH CHI PHÍ TUÂN THỦ (Thông tư 02/2017/TT-VPCP)",
        &sheets.bold_text,
    )?;
    row += 1;
    sheet.write_string_with_format(row, 0, "Tham số", &f.header)?;
    sheet.merge_range(row, 1, row, 2, "Giá trị", &f.header)?;
    sheet.merge_range(row, 3, row, last, "Nguồn", &f.header)?;
    row += 1;
    for parameter in &report.parameters {
        let value = if parameter.unit.starts_with("đồng") {
            format!(
                "{} {}",
                format_vnd(parameter.value.round() as i64),
                parameter.unit
            )
        } else {
            format!("{} {}", format_hours(parameter.value), parameter.unit)
        };
        sheet.write_string_with_format(row, 0, parameter.label, &f.text)?;
        sheet.merge_range(row, 1, row, 2, &value, &f.centre)?;
        sheet.merge_range(row, 3, row, last, &parameter.source, &f.text)?;
        let lines =
            wrapped_lines(parameter.label, 34.0).max(wrapped_lines(&parameter.source, 90.0));
        sheet.set_row_height(row, LINE_HEIGHT * lines as f64 + 4.0)?;
        row += 1;
    }
    row += 2;

    // The signature block, as on a provincial report: who prepared it, who signs it.
    let centred = f.plain.clone().set_align(FormatAlign::Center);
    let bold_centred = centred.clone().set_bold();
    let italic_centred = centred.clone().set_italic();
    sheet.merge_range(
        row,
        6,
        row,
        last,
        "…………, ngày …… tháng …… năm ……",
        &italic_centred,
    )?;
    row += 1;
    sheet.merge_range(row, 0, row, 2, "NGƯỜI LẬP BIỂU", &bold_centred)?;
    sheet.merge_range(row, 6, row, last, "THỦ TRƯỞNG CƠ QUAN", &bold_centred)?;
    row += 1;
    sheet.merge_range(row, 0, row, 2, "(Ký, ghi rõ họ tên)", &italic_centred)?;
    sheet.merge_range(row, 6, row, last, "(Ký tên, đóng dấu)", &italic_centred)?;
    row += 5;
    print_a4(sheet, true);
    sheet.set_print_area(0, 0, row, last)?;
    Ok(())
}

/// Columns of the rows sheet: header and width (the field is a section row, as in the annex).
const ROW_COLUMNS: [(&str, f64); 13] = [
    ("STT", 5.0),
    ("Mã TTHC", 11.0),
    ("Tên thủ tục hành chính", 30.0),
    ("Kết quả", 10.0),
    ("Thời hạn (ngày) trước → sau", 9.0),
    ("Thành phần hồ sơ trước → sau", 9.0),
    ("Phí, lệ phí (đồng) trước → sau", 12.0),
    ("Chi phí/lần (đồng) trước → sau", 13.0),
    ("Chi phí/năm trước (đồng)", 12.0),
    ("Chi phí/năm sau (đồng)", 12.0),
    ("Tiết kiệm/năm (đồng)", 12.0),
    ("Phương án đơn giản hóa", 26.0),
    ("Lý do", 20.0),
];

fn before_after(row: &SavingsRow, pick: impl Fn(&Measures) -> String) -> String {
    let side = |measures: Option<Measures>| measures.map_or("—".to_owned(), |m| pick(&m));
    format!("{} → {}", side(row.before), side(row.after))
}

/// A listing sheet: its name, column widths, the title and the sides across, and the
/// header row frozen and repeated on every page. Returns the last column; entries start on
/// row 4.
fn listing_sheet(
    sheet: &mut Worksheet,
    sheets: &Sheets,
    report: &SavingsReport,
    name: &str,
    columns: &[(&str, f64)],
    title: &str,
) -> XlsxResult<u16> {
    let f = &sheets.formats;
    sheet.set_name(name)?;
    for (column, (_, width)) in columns.iter().enumerate() {
        sheet.set_column_width(column as u16, *width)?;
    }
    let last = (columns.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last, title, &f.title)?;
    let subtitle = format!(
        "Trước: {} — Sau: {}",
        side_vi(&report.old),
        side_vi(&report.new)
    );
    sheet.merge_range(1, 0, 1, last, &subtitle, &f.subtitle)?;
    let headers: Vec<&str> = columns.iter().map(|(header, _)| *header).collect();
    header_row(sheet, 3, &headers, &f.header)?;
    sheet.set_freeze_panes(4, 0)?;
    sheet.set_repeat_rows(3, 3)?;
    Ok(last)
}

fn rows_sheet(sheet: &mut Worksheet, sheets: &Sheets, report: &SavingsReport) -> XlsxResult {
    let f = &sheets.formats;
    let last = listing_sheet(
        sheet,
        sheets,
        report,
        "Chi tiết",
        &ROW_COLUMNS,
        "DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC BÃI BỎ, GỘP, ĐƠN GIẢN HÓA",
    )?;
    let mut row = 4;
    let mut number = 0;
    let mut section: Option<(Level, &str)> = None;
    for entry in &report.rows {
        if section.map(|(level, _)| level) != Some(entry.level) {
            let title = entry.level.label_vi().to_uppercase();
            sheet.merge_range(row, 0, row, last, &title, &f.level)?;
            row += 1;
        }
        if section != Some((entry.level, entry.field.as_str())) {
            section = Some((entry.level, entry.field.as_str()));
            let title = if entry.field.is_empty() {
                "(chưa ghi lĩnh vực)"
            } else {
                &entry.field
            };
            sheet.merge_range(row, 0, row, last, &format!("Lĩnh vực {title}"), &f.field)?;
            row += 1;
        }
        number += 1;
        let days = before_after(entry, |m| {
            m.processing_days.map_or("?".to_owned(), format_hours)
        });
        let papers = before_after(entry, |m| m.papers.to_string());
        let fees = before_after(entry, |m| m.fee_vnd.map_or("?".to_owned(), format_vnd));
        let per_execution = before_after(entry, |m| format_vnd(m.cost_per_execution));
        let mut outcome = entry.outcome.label_vi().to_owned();
        if let Some(new_level) = entry.new_level {
            outcome = format!("{outcome}: {}", new_level.label_vi().to_lowercase());
        }
        if !entry.into.is_empty() {
            outcome = format!("{outcome} vào {}", entry.into);
        }
        let options = entry.options.join("\n");
        let reasons = entry.reasons.join("\n");
        let texts = [
            number.to_string(),
            entry.code.clone(),
            entry.name.clone(),
            outcome,
            days,
            papers,
            fees,
            per_execution,
        ];
        for (column, text) in texts.iter().enumerate() {
            let format = if column == 2 { &f.text } else { &f.centre };
            sheet.write_string_with_format(row, column as u16, text, format)?;
        }
        let yearly = [
            entry.before.map(|m| m.cost_per_year),
            entry.after.map(|m| m.cost_per_year),
            Some(entry.cost_per_year_saved()),
        ];
        for (index, figure) in yearly.into_iter().enumerate() {
            let column = 8 + index as u16;
            match figure {
                Some(figure) => {
                    sheet.write_number_with_format(row, column, figure as f64, &sheets.number)?
                }
                None => sheet.write_string_with_format(row, column, "—", &f.centre)?,
            };
        }
        sheet.write_string_with_format(row, 11, &options, &f.text)?;
        sheet.write_string_with_format(row, 12, &reasons, &f.text)?;
        let lines = [
            wrapped_lines(&entry.name, ROW_COLUMNS[2].1),
            wrapped_lines(&options, ROW_COLUMNS[11].1),
            wrapped_lines(&reasons, ROW_COLUMNS[12].1),
            2,
        ]
        .into_iter()
        .max()
        .unwrap_or(1);
        sheet.set_row_height(row, LINE_HEIGHT * lines as f64 + 4.0)?;
        row += 1;
    }
    if report.rows.is_empty() {
        sheet.merge_range(
            row,
            0,
            row,
            last,
            "Không có thủ tục nào thay đổi giữa hai bên.",
            &sheets.note,
        )?;
    }
    print_a4(sheet, true);
    Ok(())
}

fn options_sheet(sheet: &mut Worksheet, sheets: &Sheets, report: &SavingsReport) -> XlsxResult {
    let f = &sheets.formats;
    let columns = [
        ("Số", 6.0),
        ("Mã TTHC", 11.0),
        ("Cấp", 9.0),
        ("Phương án đơn giản hóa", 40.0),
        ("Trạng thái", 12.0),
        ("Lý do", 30.0),
        ("Văn bản cần sửa đổi", 26.0),
        ("Cơ quan đề xuất", 16.0),
    ];
    let last = listing_sheet(
        sheet,
        sheets,
        report,
        "Phương án",
        &columns,
        "PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH",
    )?;
    let mut row = 4;
    for option in &report.options {
        let state = crate::simplify::options::OptionState::parse(option.state)
            .map_or(option.state, |state| state.label_vi());
        let cells = [
            option.number.to_string(),
            option.code.clone(),
            option.level.label_vi().to_owned(),
            option.description.clone(),
            state.to_owned(),
            option.reason.clone(),
            option.legal_change.clone(),
            option.proposer.clone(),
        ];
        for (column, text) in cells.iter().enumerate() {
            let format = if matches!(column, 3 | 5 | 6 | 7) {
                &f.text
            } else {
                &f.centre
            };
            sheet.write_string_with_format(row, column as u16, text, format)?;
        }
        let lines = [3, 5, 6, 7]
            .iter()
            .map(|&column| wrapped_lines(&cells[column], columns[column].1))
            .max()
            .unwrap_or(1);
        sheet.set_row_height(row, LINE_HEIGHT * lines as f64 + 4.0)?;
        row += 1;
    }
    if report.options.is_empty() {
        sheet.merge_range(
            row,
            0,
            row,
            last,
            "Chưa có phương án nào được ghi.",
            &sheets.note,
        )?;
    }
    print_a4(sheet, true);
    Ok(())
}
