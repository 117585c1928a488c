//! XLSX exports (rust_xlsxwriter). Text is always written as a string cell, never a formula,
//! so a value starting with `=` cannot run. Layout follows a decision annex: a title, the
//! decision line, a frozen header row, section rows per level and field, numbered entries,
//! wrapped text at readable widths, A4 landscape with the header repeated on every page.

use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::annex::{AnnexEntry, AnnexPart, DecisionAnnex};
use super::report::report_rows;
use super::sections::{
    LevelSection, fee_text, field_title, legal_basis_text, letter, level_title,
    processing_time_text, roman, tier_text,
};
use super::{ExportError, PublishedList, Result, XLSX_CELL_LIMIT};
use crate::diff::{CatalogueDiff, ChangeKind, WordChange, WordKind};
use crate::domain::{ProcedureData, ProcedureField, format_date};
use crate::store::{CatalogueStats, Publication, WORKING};

const FONT: &str = "Times New Roman";
const A4: u8 = 9;

struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    level: Format,
    field: Format,
    text: Format,
    centre: Format,
    plain_header: Format,
    deleted: Format,
    inserted: Format,
    plain: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(11);
        let bordered = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Formats {
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            subtitle: base
                .clone()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            header: bordered
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
            level: bordered
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xFCE4D6)),
            field: bordered
                .clone()
                .set_bold()
                .set_italic()
                .set_background_color(Color::RGB(0xF2F2F2)),
            centre: bordered.clone().set_align(FormatAlign::Center),
            text: bordered,
            plain_header: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2)),
            deleted: base
                .clone()
                .set_font_color(Color::RGB(0xC00000))
                .set_font_strikethrough(),
            inserted: base.clone().set_font_color(Color::RGB(0x007A33)).set_bold(),
            plain: base,
        }
    }
}

/// Points per line of 11-point text.
const LINE_HEIGHT: f64 = 15.0;

/// How many lines a text takes wrapped in a column this many characters wide (a column's
/// width counts digits of the default font; Times New Roman letters run a little narrower).
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = ((width - 1.0) * 1.15).max(4.0);
    text.lines()
        .map(|line| {
            let mut lines = 1;
            let mut used = 0.0;
            for word in line.split_whitespace() {
                let length = word.chars().count() as f64;
                let needed = if used == 0.0 {
                    length
                } else {
                    used + 1.0 + length
                };
                if needed > per_line && used > 0.0 {
                    lines += 1;
                    used = length;
                } else {
                    used = needed;
                }
                // A word longer than the line breaks by itself.
                while used > per_line {
                    lines += 1;
                    used -= per_line;
                }
            }
            lines
        })
        .sum::<usize>()
        .max(1)
}

/// A column of a sectioned sheet: header, width in characters, centred or not.
struct Column {
    header: &'static str,
    width: f64,
    centred: bool,
}

const fn column(header: &'static str, width: f64, centred: bool) -> Column {
    Column {
        header,
        width,
        centred,
    }
}

fn xlsx_error(output: &Path) -> impl Fn(XlsxError) -> ExportError + '_ {
    move |error| ExportError::Xlsx {
        path: output.to_owned(),
        detail: error.to_string(),
    }
}

/// Refuses a value Excel cannot hold, naming the procedure and the column.
fn fits(text: &str, code: &str, column: &str) -> Result<()> {
    let chars = text.chars().count();
    if chars > XLSX_CELL_LIMIT {
        return Err(ExportError::CellTooLong {
            code: code.to_owned(),
            field: column.to_owned(),
            chars,
        });
    }
    Ok(())
}

/// "(Kèm theo Quyết định số 12/QĐ-UBND ngày 15 tháng 3 năm 2026)", or what the list is when
/// it has not been published.
fn decision_line(source: &str, publication: Option<&Publication>) -> String {
    match publication {
        Some(publication) => {
            let d = publication.date;
            let date = format!(
                "ngày {} tháng {} năm {}",
                d.day(),
                u8::from(d.month()),
                d.year()
            );
            format!(
                "(Ban hành kèm theo Quyết định số {} {date})",
                publication.decision
            )
        }
        None if source == WORKING => "(Dự thảo từ bản làm việc, chưa công bố)".to_owned(),
        None => format!("(Dự thảo: bản sửa đổi \"{source}\", chưa công bố)"),
    }
}

/// The heading of a sheet: its tab name, title and the line under it.
struct Heading<'a> {
    sheet: &'a str,
    title: &'a str,
    subtitle: &'a str,
}

/// Writes the title, the decision line, a header row and the sections; returns the sheet.
fn sectioned_sheet<T>(
    formats: &Formats,
    heading: Heading<'_>,
    columns: &[Column],
    sections: &[LevelSection<T>],
    cells: impl Fn(&T) -> Result<Vec<String>>,
    output: &Path,
) -> Result<Worksheet> {
    let error = xlsx_error(output);
    let mut sheet = Worksheet::new();
    sheet.set_name(heading.sheet).map_err(&error)?;
    let last = (columns.len() - 1) as u16;
    sheet
        .merge_range(0, 0, 0, last, heading.title, &formats.title)
        .map_err(&error)?;
    sheet
        .merge_range(1, 0, 1, last, heading.subtitle, &formats.subtitle)
        .map_err(&error)?;
    sheet.set_row_height(1, 30).map_err(&error)?;
    let header_row = 3;
    for (index, column) in columns.iter().enumerate() {
        sheet
            .set_column_width(index as u16, column.width)
            .map_err(&error)?;
        sheet
            .write_string_with_format(header_row, index as u16, column.header, &formats.header)
            .map_err(&error)?;
    }
    sheet.set_row_height(header_row, 45).map_err(&error)?;
    sheet.set_freeze_panes(header_row + 1, 0).map_err(&error)?;
    sheet
        .set_repeat_rows(header_row, header_row)
        .map_err(&error)?;
    sheet
        .set_landscape()
        .set_paper_size(A4)
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&CTrang &P/&N");

    let mut row = header_row + 1;
    for (level_index, level) in sections.iter().enumerate() {
        let text = format!("{}. {}", letter(level_index), level_title(level.level));
        sheet
            .merge_range(row, 0, row, last, &text, &formats.level)
            .map_err(&error)?;
        row += 1;
        for (field_index, field) in level.fields.iter().enumerate() {
            let text = format!("{}. {}", roman(field_index + 1), field_title(&field.field));
            sheet
                .merge_range(row, 0, row, last, &text, &formats.field)
                .map_err(&error)?;
            row += 1;
            for (index, entry) in field.entries.iter().enumerate() {
                sheet
                    .write_number_with_format(row, 0, (index + 1) as f64, &formats.centre)
                    .map_err(&error)?;
                let values = cells(entry)?;
                // Spreadsheets do not all fit row heights to wrapped text on opening
                // (LibreOffice keeps the default): set the height from the longest cell.
                let lines = values
                    .iter()
                    .zip(&columns[1..])
                    .map(|(value, column)| wrapped_lines(value, column.width))
                    .max()
                    .unwrap_or(1);
                sheet
                    .set_row_height(row, LINE_HEIGHT * lines as f64 + 3.0)
                    .map_err(&error)?;
                for (offset, value) in values.iter().enumerate() {
                    let column = offset + 1;
                    let format = if columns[column].centred {
                        &formats.centre
                    } else {
                        &formats.text
                    };
                    sheet
                        .write_string_with_format(row, column as u16, value, format)
                        .map_err(&error)?;
                }
                row += 1;
            }
        }
    }
    Ok(sheet)
}

const LIST_COLUMNS: [Column; 8] = [
    column("STT", 6.0, true),
    column("Mã TTHC", 17.0, true),
    column("Tên thủ tục hành chính", 48.0, false),
    column("Thời hạn giải quyết", 15.0, false),
    column("Địa điểm thực hiện / Cơ quan thực hiện", 30.0, false),
    column("Phí, lệ phí", 20.0, false),
    column("Căn cứ pháp lý", 32.0, false),
    column("Mức độ DVC", 12.0, true),
];

fn list_cells(data: &ProcedureData) -> Result<Vec<String>> {
    let cells = vec![
        data.code.clone(),
        data.name.clone(),
        processing_time_text(data),
        data.agency.clone(),
        fee_text(data),
        legal_basis_text(data),
        tier_text(data.tier),
    ];
    for (value, column) in cells.iter().zip(&LIST_COLUMNS[1..]) {
        fits(value, &data.code, column.header)?;
    }
    Ok(cells)
}

fn count_line(stats: &CatalogueStats) -> String {
    let level = |key: &str| stats.by_level.get(key).copied().unwrap_or(0);
    format!(
        "Tổng số: {} thủ tục hành chính (cấp tỉnh: {}; cấp huyện: {}; cấp xã: {})",
        stats.total,
        level("province"),
        level("district"),
        level("commune")
    )
}

/// The published list (sheet 1), every field of every procedure (sheet 2, which `import`
/// reads back), and the legal documents (sheet 3).
pub fn list(list: &PublishedList, output: &Path) -> Result<Vec<u8>> {
    let error = xlsx_error(output);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let stats = CatalogueStats::of(list.entries().map(|(_, data)| data));
    let subtitle = format!(
        "{}\n{}",
        decision_line(&list.source, list.publication.as_ref()),
        count_line(&stats)
    );
    let sheet = sectioned_sheet(
        &formats,
        Heading {
            sheet: "Danh mục TTHC",
            title: "DANH MỤC THỦ TỤC HÀNH CHÍNH",
            subtitle: &subtitle,
        },
        &LIST_COLUMNS,
        &list.sections,
        list_cells,
        output,
    )?;
    workbook.push_worksheet(sheet);
    workbook.push_worksheet(data_sheet(list, &formats, output)?);
    workbook.push_worksheet(documents_sheet(list, &formats, output)?);
    workbook.save_to_buffer().map_err(&error)
}

/// Numbers stay numbers in Excel; the rest is text.
fn is_number(field: ProcedureField) -> bool {
    matches!(
        field,
        ProcedureField::Tier
            | ProcedureField::DossiersLastYear
            | ProcedureField::DossiersYearBefore
    )
}

fn data_sheet(list: &PublishedList, formats: &Formats, output: &Path) -> Result<Worksheet> {
    let error = xlsx_error(output);
    let mut sheet = Worksheet::new();
    sheet.set_name("Dữ liệu đầy đủ").map_err(&error)?;
    let header =
        std::iter::once(super::NUMBER_COLUMN).chain(ProcedureField::ALL.iter().map(|f| f.key()));
    for (column, key) in header.enumerate() {
        sheet
            .write_string_with_format(0, column as u16, key, &formats.plain_header)
            .map_err(&error)?;
        sheet
            .set_column_width(column as u16, if column == 2 { 48.0 } else { 16.0 })
            .map_err(&error)?;
    }
    let mut row = 1;
    for (number, data) in list.entries() {
        sheet.write_number(row, 0, number as f64).map_err(&error)?;
        for (index, field) in ProcedureField::ALL.iter().enumerate() {
            let column = (index + 1) as u16;
            let value = field.value_text(data);
            if value.is_empty() {
                continue;
            }
            fits(&value, &data.code, field.key())?;
            match value.parse::<f64>() {
                Ok(number) if is_number(*field) => {
                    sheet.write_number(row, column, number).map_err(&error)?
                }
                _ => sheet.write_string(row, column, &value).map_err(&error)?,
            };
        }
        row += 1;
    }
    sheet.set_freeze_panes(1, 3).map_err(&error)?;
    sheet
        .autofilter(
            0,
            0,
            row.saturating_sub(1).max(1),
            ProcedureField::ALL.len() as u16,
        )
        .map_err(&error)?;
    Ok(sheet)
}

/// Headers the import's legal-document reader recognises.
fn documents_sheet(list: &PublishedList, formats: &Formats, output: &Path) -> Result<Worksheet> {
    let error = xlsx_error(output);
    let mut sheet = Worksheet::new();
    sheet.set_name("Văn bản pháp luật").map_err(&error)?;
    let headers = [
        ("Số ký hiệu", 22.0),
        ("Trích yếu", 60.0),
        ("Ngày ban hành", 14.0),
        ("Ngày hiệu lực", 14.0),
        ("Ngày hết hiệu lực", 14.0),
        ("Văn bản thay thế", 22.0),
        ("Loại văn bản", 16.0),
    ];
    for (column, (header, width)) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, *header, &formats.plain_header)
            .map_err(&error)?;
        sheet
            .set_column_width(column as u16, *width)
            .map_err(&error)?;
    }
    let date = |d: Option<crate::domain::Date>| d.map(format_date).unwrap_or_default();
    for (index, document) in list.documents.iter().enumerate() {
        let row = (index + 1) as u32;
        let cells = [
            document.number.clone(),
            document.title.clone(),
            date(document.issued_on),
            date(document.effective_on),
            date(document.repealed_on),
            document.replaced_by.clone(),
            document
                .kind
                .map(|k| k.label_vi().to_owned())
                .unwrap_or_default(),
        ];
        for (column, value) in cells.iter().enumerate() {
            if !value.is_empty() {
                fits(value, &document.number, headers[column].0)?;
                sheet
                    .write_string(row, column as u16, value)
                    .map_err(&error)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(&error)?;
    Ok(sheet)
}

fn annex_columns(part: AnnexPart) -> Vec<Column> {
    match part {
        AnnexPart::New => LIST_COLUMNS
            .iter()
            .map(|c| column(c.header, c.width, c.centred))
            .collect(),
        AnnexPart::Amended => vec![
            column("STT", 6.0, true),
            column("Mã TTHC", 17.0, true),
            column("Tên thủ tục hành chính", 42.0, false),
            column("Nội dung sửa đổi, bổ sung", 52.0, false),
            column("Cơ quan thực hiện", 28.0, false),
            column("Văn bản quy định nội dung sửa đổi, bổ sung", 24.0, false),
        ],
        AnnexPart::Replaced => vec![
            column("STT", 6.0, true),
            column("Mã TTHC bị thay thế", 17.0, true),
            column("Tên TTHC bị thay thế", 38.0, false),
            column("Mã TTHC thay thế", 17.0, true),
            column("Tên TTHC thay thế", 38.0, false),
            column("Cơ quan thực hiện", 26.0, false),
            column("Văn bản quy định việc thay thế", 22.0, false),
        ],
        AnnexPart::Abolished => vec![
            column("STT", 6.0, true),
            column("Mã TTHC", 17.0, true),
            column("Tên thủ tục hành chính", 50.0, false),
            column("Cơ quan thực hiện", 30.0, false),
            column("Văn bản quy định việc bãi bỏ", 30.0, false),
        ],
    }
}

fn annex_cells(entry: &AnnexEntry) -> Result<Vec<String>> {
    let data = &entry.data;
    let cells = match entry.part {
        AnnexPart::New => return list_cells(data),
        AnnexPart::Amended => vec![
            data.code.clone(),
            data.name.clone(),
            entry.changes_text(),
            data.agency.clone(),
            entry.document.clone(),
        ],
        AnnexPart::Replaced => {
            let (old_code, old_name) = entry.replaces.clone().unwrap_or_default();
            vec![
                old_code,
                old_name,
                data.code.clone(),
                data.name.clone(),
                data.agency.clone(),
                entry.document.clone(),
            ]
        }
        AnnexPart::Abolished => vec![
            data.code.clone(),
            data.name.clone(),
            data.agency.clone(),
            entry.document.clone(),
        ],
    };
    for value in &cells {
        fits(value, &data.code, entry.part.key())?;
    }
    Ok(cells)
}

/// One sheet per part, in the decision's order; an annex with no change says so.
pub fn annex(
    annex: &DecisionAnnex,
    publication: Option<&Publication>,
    output: &Path,
) -> Result<Vec<u8>> {
    let error = xlsx_error(output);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let line = format!(
        "{}\nSo với danh mục đã công bố \"{}\"",
        decision_line(&annex.target, publication),
        annex.base
    );
    for (part, sections) in &annex.parts {
        let columns = annex_columns(*part);
        let name = match part {
            AnnexPart::New => "Mới ban hành",
            AnnexPart::Amended => "Sửa đổi, bổ sung",
            AnnexPart::Replaced => "Thay thế",
            AnnexPart::Abolished => "Bãi bỏ",
        };
        // Parts keep the decision's numbers even when one is empty.
        let number = AnnexPart::ALL.iter().position(|p| p == part).unwrap_or(0) + 1;
        let title = format!("{number}. {}", part.title_vi());
        let sheet = sectioned_sheet(
            &formats,
            Heading {
                sheet: name,
                title: &title,
                subtitle: &line,
            },
            &columns,
            sections,
            annex_cells,
            output,
        )?;
        workbook.push_worksheet(sheet);
    }
    if annex.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Phụ lục").map_err(&error)?;
        sheet
            .write_string_with_format(
                0,
                0,
                "Không có thủ tục hành chính nào thay đổi",
                &formats.title,
            )
            .map_err(&error)?;
        sheet.write_string(1, 0, &line).map_err(&error)?;
    }
    workbook.save_to_buffer().map_err(&error)
}

fn kind_vi(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "Thêm mới",
        ChangeKind::Removed => "Bỏ khỏi danh mục",
        ChangeKind::Replaced => "Thay thế",
        ChangeKind::Moved => "Đổi cấp thực hiện",
        ChangeKind::Changed => "Sửa đổi",
    }
}

fn column_vi(column: Option<ProcedureField>) -> String {
    column.map(|f| f.header_vi().to_owned()).unwrap_or_default()
}

/// A summary sheet (counts before and after, changes by kind) and one row per change, with
/// the deleted words struck through in red and the inserted ones in green.
pub fn diff_report(diff: &CatalogueDiff, old: &str, new: &str, output: &Path) -> Result<Vec<u8>> {
    let error = xlsx_error(output);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Tóm tắt").map_err(&error)?;
        sheet.set_column_width(0, 36).map_err(&error)?;
        sheet.set_column_width(1, 18).map_err(&error)?;
        sheet.set_column_width(2, 18).map_err(&error)?;
        sheet
            .write_string_with_format(0, 0, "BÁO CÁO SO SÁNH DANH MỤC", &formats.title)
            .map_err(&error)?;
        sheet
            .write_string(1, 0, format!("Trước: {old}    Sau: {new}"))
            .map_err(&error)?;
        let s = &diff.summary;
        let level = |stats: &CatalogueStats, key: &str| {
            stats.by_level.get(key).copied().unwrap_or(0) as f64
        };
        let mut row = 3;
        for (label, before, after) in [
            ("", None, None),
            (
                "Tổng số thủ tục",
                Some(s.before.total as f64),
                Some(s.after.total as f64),
            ),
            (
                "Cấp tỉnh",
                Some(level(&s.before, "province")),
                Some(level(&s.after, "province")),
            ),
            (
                "Cấp huyện",
                Some(level(&s.before, "district")),
                Some(level(&s.after, "district")),
            ),
            (
                "Cấp xã",
                Some(level(&s.before, "commune")),
                Some(level(&s.after, "commune")),
            ),
        ] {
            if before.is_none() {
                for (column, text) in ["", "Trước", "Sau"].iter().enumerate() {
                    sheet
                        .write_string_with_format(row, column as u16, *text, &formats.plain_header)
                        .map_err(&error)?;
                }
            } else {
                sheet.write_string(row, 0, label).map_err(&error)?;
                sheet
                    .write_number(row, 1, before.unwrap_or(0.0))
                    .map_err(&error)?;
                sheet
                    .write_number(row, 2, after.unwrap_or(0.0))
                    .map_err(&error)?;
            }
            row += 1;
        }
        row += 1;
        for (label, count) in [
            ("Thêm mới", s.added),
            ("Bỏ khỏi danh mục", s.removed),
            ("Sửa đổi", s.changed),
            ("Đổi cấp thực hiện", s.moved),
            ("Thay thế", s.replaced),
        ] {
            sheet.write_string(row, 0, label).map_err(&error)?;
            sheet.write_number(row, 1, count as f64).map_err(&error)?;
            row += 1;
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Thay đổi").map_err(&error)?;
    let headers = [
        ("Loại thay đổi", 16.0),
        ("Mã TTHC", 17.0),
        ("Cấp", 10.0),
        ("Tên thủ tục hành chính", 40.0),
        ("Lĩnh vực", 20.0),
        ("Trường thay đổi", 20.0),
        ("Giá trị cũ", 45.0),
        ("Giá trị mới", 45.0),
    ];
    for (column, (header, width)) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, *header, &formats.header)
            .map_err(&error)?;
        sheet
            .set_column_width(column as u16, *width)
            .map_err(&error)?;
    }
    let rows = report_rows(diff);
    for (index, change) in rows.iter().enumerate() {
        let row = (index + 1) as u32;
        let plain = [
            kind_vi(change.kind).to_owned(),
            change.code.clone(),
            change.level.label_vi().to_owned(),
            change.name.clone(),
            change.procedure_field.clone(),
            column_vi(change.column),
        ];
        for (column, value) in plain.iter().enumerate() {
            fits(value, &change.code, headers[column].0)?;
            sheet
                .write_string_with_format(row, column as u16, value, &formats.text)
                .map_err(&error)?;
        }
        // Levels, statuses and tiers in the words of a decision, not as keys.
        let old = super::sections::value_vi(change.column, &change.old);
        let new = super::sections::value_vi(change.column, &change.new);
        fits(&old, &change.code, "old")?;
        fits(&new, &change.code, "new")?;
        let (old_runs, new_runs) = word_runs(&change.words, &formats);
        for (column, runs, whole) in [(6u16, old_runs, &old), (7u16, new_runs, &new)] {
            // A rich string needs two runs or more; one run is just the text.
            if runs.len() > 1 {
                sheet
                    .write_rich_string_with_format(row, column, &runs, &formats.text)
                    .map_err(&error)?;
            } else {
                sheet
                    .write_string_with_format(row, column, whole, &formats.text)
                    .map_err(&error)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 2).map_err(&error)?;
    sheet
        .autofilter(0, 0, rows.len().max(1) as u32, 7)
        .map_err(&error)?;
    workbook.save_to_buffer().map_err(&error)
}

/// Text runs of a rich string, each with its format.
type Runs<'a> = Vec<(&'a Format, &'a str)>;

/// The old value's runs (equal and deleted words) and the new value's (equal and inserted).
fn word_runs<'a>(words: &'a [WordChange], formats: &'a Formats) -> (Runs<'a>, Runs<'a>) {
    let mut old = Vec::new();
    let mut new = Vec::new();
    for word in words.iter().filter(|w| !w.text.is_empty()) {
        match word.kind {
            WordKind::Delete => old.push((&formats.deleted, word.text.as_str())),
            WordKind::Insert => new.push((&formats.inserted, word.text.as_str())),
            WordKind::Equal => {
                old.push((&formats.plain, word.text.as_str()));
                new.push((&formats.plain, word.text.as_str()));
            }
        }
    }
    (old, new)
}
