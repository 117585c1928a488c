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
use super::{
    DOCUMENT_HEADERS, ExportError, ListStats, LongCell, PublishedList, Result, XLSX_CELL_LIMIT,
    continuation_key, document_cells,
};
use crate::diff::{CatalogueDiff, ChangeKind, WordChange, WordKind};
use crate::domain::government::GovernmentModel;
use crate::domain::{Level, ProcedureData, ProcedureField};
use crate::store::{CatalogueStats, Publication, WORKING};

pub(super) const FONT: &str = "Times New Roman";
const A4: u8 = 9;

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) header: Format,
    pub(super) level: Format,
    pub(super) field: Format,
    pub(super) text: Format,
    pub(super) centre: Format,
    pub(super) plain_header: Format,
    pub(super) deleted: Format,
    pub(super) inserted: Format,
    pub(super) plain: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
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

/// Points per line of 11-point Times New Roman, as LibreOffice and Excel set it.
pub(super) const LINE_HEIGHT: f64 = 13.5;

/// How many lines a text takes wrapped in a column this many characters wide. A column's
/// width counts digits of the default font; Vietnamese text in 11-point Times New Roman fits
/// about 1.45 letters per unit (measured on LibreOffice's print of the real lists): 1.4 keeps
/// a little room, so a row is never shorter than its text.
pub(super) fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width * 1.4).max(4.0);
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

pub(super) fn xlsx_error(output: &Path) -> impl Fn(XlsxError) -> ExportError + '_ {
    move |error| ExportError::Xlsx {
        path: output.to_owned(),
        detail: error.to_string(),
    }
}

/// What a printed sheet shows of a value longer than a cell holds.
const CUT_MARKER: &str = " […] (cắt ở 32.767 ký tự: xem đủ ở trang «Dữ liệu đầy đủ» hoặc tệp .csv)";

/// Values longer than an Excel cell holds, noted as they are cut (printed sheets) or split
/// over several cells (the data sheet), so the export can list every one of them.
#[derive(Default)]
struct LongCells(std::cell::RefCell<Vec<LongCell>>);

impl LongCells {
    /// The value, or its beginning and a marker when Excel cannot hold it whole.
    fn cut<'a>(&self, text: &'a str, code: &str, column: &str) -> std::borrow::Cow<'a, str> {
        let chars = text.chars().count();
        if chars <= XLSX_CELL_LIMIT {
            return std::borrow::Cow::Borrowed(text);
        }
        self.0.borrow_mut().push(LongCell {
            code: code.to_owned(),
            column: column.to_owned(),
            chars,
            cells: 1,
        });
        let keep = XLSX_CELL_LIMIT - CUT_MARKER.chars().count();
        let mut cut: String = text.chars().take(keep).collect();
        cut.push_str(CUT_MARKER);
        std::borrow::Cow::Owned(cut)
    }

    fn split(&self, code: &str, column: &str, chars: usize, cells: usize) {
        self.0.borrow_mut().push(LongCell {
            code: code.to_owned(),
            column: column.to_owned(),
            chars,
            cells,
        });
    }

    fn into_inner(self) -> Vec<LongCell> {
        self.0.into_inner()
    }
}

/// A text cut into pieces an Excel cell can hold, in order.
fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(XLSX_CELL_LIMIT)
        .map(|chunk| chunk.iter().collect())
        .collect()
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
    /// A level the model no longer has (district, in a two-level list) is headed as entries
    /// still to be moved, never as a section of the decision.
    government: GovernmentModel,
}

/// Writes the title, the decision line, a header row and the sections; returns the sheet.
/// Writes a list in sections onto `sheet`, row after row (so that a constant-memory sheet
/// can take it); `cells` gives an entry's cells, reading it if need be.
#[allow(clippy::too_many_arguments)]
fn sectioned_sheet<T>(
    sheet: &mut Worksheet,
    formats: &Formats,
    heading: Heading<'_>,
    columns: &[Column],
    sections: &[LevelSection<T>],
    mut cells: impl FnMut(&T) -> Result<Vec<String>>,
    long: &LongCells,
    output: &Path,
) -> Result<()> {
    let error = xlsx_error(output);
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
    print_a4(sheet, true);

    let mut row = header_row + 1;
    for (level_index, level) in sections.iter().enumerate() {
        let mut text = format!("{}. {}", letter(level_index), level_title(level.level));
        if !heading.government.holds(level.level) {
            text.push_str(&format!(
                " — CHƯA CHUYỂN: {} KHÔNG CÒN CẤP NÀY, XỬ LÝ TRƯỚC KHI CÔNG BỐ",
                heading.government.label_vi().to_uppercase()
            ));
        }
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
                let code = values.first().cloned().unwrap_or_default();
                let values: Vec<String> = values
                    .iter()
                    .zip(&columns[1..])
                    .map(|(value, column)| long.cut(value, &code, column.header).into_owned())
                    .collect();
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
    // Only the list prints: the data sheets beside it are for reading back, not paper.
    sheet
        .set_print_area(0, 0, row.max(header_row + 1) - 1, last)
        .map_err(&error)?;
    Ok(())
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

fn list_cells(data: &ProcedureData) -> Vec<String> {
    vec![
        data.code.clone(),
        data.name.clone(),
        processing_time_text(data),
        data.agency.clone(),
        fee_text(data),
        legal_basis_text(data),
        tier_text(data.tier),
    ]
}

/// "Tổng số: 1374 thủ tục hành chính (cấp tỉnh: 1103; cấp huyện: 193; cấp xã: 78)"; a
/// two-level list counts its two levels, and district entries only while some remain.
fn count_line(stats: &ListStats, government: GovernmentModel) -> String {
    let mut parts = vec![format!("cấp tỉnh: {}", stats.province)];
    if government.holds(Level::District) {
        parts.push(format!("cấp huyện: {}", stats.district));
    }
    parts.push(format!("cấp xã: {}", stats.commune));
    if !government.holds(Level::District) && stats.district > 0 {
        parts.push(format!("cấp huyện chưa chuyển: {}", stats.district));
    }
    format!(
        "Tổng số: {} thủ tục hành chính ({})",
        stats.total,
        parts.join("; ")
    )
}

/// The published list (sheet 1), every field of every procedure (sheet 2, which `import`
/// reads back), and the legal documents (sheet 3); with the values too long for a cell.
/// The two big sheets are written row by row to temporary files (the crate's constant-memory
/// mode) from entries read one at a time: memory stays flat however big the catalogue.
pub fn list(list: &PublishedList<'_>, output: &Path) -> Result<(Vec<u8>, Vec<LongCell>)> {
    let error = xlsx_error(output);
    let formats = Formats::new();
    let long = LongCells::default();
    let mut workbook = Workbook::new();
    let subtitle = format!(
        "{}\n{}",
        decision_line(&list.source, list.publication.as_ref()),
        count_line(&list.stats(), list.government)
    );
    // How many cells each field needs on the data sheet, learnt while the list is written.
    let mut needed = vec![1usize; ProcedureField::ALL.len()];
    let mut reader = list.reader()?;
    sectioned_sheet(
        workbook
            .add_worksheet_with_constant_memory()
            .map_err(&error)?,
        &formats,
        Heading {
            sheet: "Danh mục TTHC",
            title: "DANH MỤC THỦ TỤC HÀNH CHÍNH",
            subtitle: &subtitle,
            government: list.government,
        },
        &LIST_COLUMNS,
        &list.sections,
        |key| {
            let data = reader.read(key.row)?;
            for (index, field) in ProcedureField::ALL.iter().enumerate() {
                let chars = field.value_text(&data).chars().count();
                needed[index] = needed[index].max(chars.div_ceil(XLSX_CELL_LIMIT));
            }
            Ok(list_cells(&data))
        },
        &long,
        output,
    )?;
    // The data and document sheets are for reading back, not for paper: hidden, so printing
    // the workbook (LibreOffice prints every visible sheet) gives the list alone. Import
    // reads them all the same; Excel's Unhide shows them.
    let data = workbook
        .add_worksheet_with_constant_memory()
        .map_err(&error)?;
    data_sheet(data, list, &needed, &formats, &long, output)?;
    data.set_hidden(true);
    let mut documents = documents_sheet(list, &formats, &long, output)?;
    documents.set_hidden(true);
    workbook.push_worksheet(documents);
    let bytes = workbook.save_to_buffer().map_err(&error)?;
    Ok((bytes, long.into_inner()))
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

/// Every field under its key, one procedure a row, which `import` reads back exactly. A value
/// longer than a cell holds goes on in continuation columns at the right (`dossier+2` …),
/// which `import` joins again: nothing is cut.
fn data_sheet(
    sheet: &mut Worksheet,
    list: &PublishedList<'_>,
    needed: &[usize],
    formats: &Formats,
    long: &LongCells,
    output: &Path,
) -> Result<()> {
    let error = xlsx_error(output);
    sheet.set_name("Dữ liệu đầy đủ").map_err(&error)?;
    let mut continuations: Vec<(usize, usize, u16)> = Vec::new();
    let mut next = (ProcedureField::ALL.len() + 1) as u16;
    for (index, &cells) in needed.iter().enumerate() {
        for piece in 2..=cells {
            continuations.push((index, piece, next));
            next += 1;
        }
    }
    let header: Vec<String> = std::iter::once(super::NUMBER_COLUMN.to_owned())
        .chain(ProcedureField::ALL.iter().map(|f| f.key().to_owned()))
        .chain(
            continuations
                .iter()
                .map(|&(index, piece, _)| continuation_key(ProcedureField::ALL[index], piece)),
        )
        .collect();
    for (column, key) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, key, &formats.plain_header)
            .map_err(&error)?;
        sheet
            .set_column_width(column as u16, if column == 2 { 48.0 } else { 16.0 })
            .map_err(&error)?;
    }
    let mut row = 1;
    let mut reader = list.reader()?;
    for (number, key) in list.keys() {
        let texts = reader.texts(key.row)?;
        sheet.write_number(row, 0, number as f64).map_err(&error)?;
        for (index, field) in ProcedureField::ALL.iter().enumerate() {
            let column = (index + 1) as u16;
            let value = &texts[index];
            if value.is_empty() {
                continue;
            }
            let pieces = pieces(value);
            if pieces.len() > 1 {
                long.split(&key.code, field.key(), value.chars().count(), pieces.len());
            }
            let Some(first) = pieces.first() else {
                continue;
            };
            match value.parse::<f64>() {
                Ok(number) if is_number(*field) => {
                    sheet.write_number(row, column, number).map_err(&error)?
                }
                _ => sheet.write_string(row, column, first).map_err(&error)?,
            };
            for &(_, piece, at) in continuations.iter().filter(|(i, _, _)| *i == index) {
                if let Some(text) = pieces.get(piece - 1) {
                    sheet.write_string(row, at, text).map_err(&error)?;
                }
            }
        }
        row += 1;
    }
    sheet.set_freeze_panes(1, 3).map_err(&error)?;
    sheet
        .autofilter(0, 0, row.saturating_sub(1).max(1), next - 1)
        .map_err(&error)?;
    Ok(())
}

/// Headers the import's legal-document reader recognises.
fn documents_sheet(
    list: &PublishedList<'_>,
    formats: &Formats,
    long: &LongCells,
    output: &Path,
) -> Result<Worksheet> {
    let error = xlsx_error(output);
    let mut sheet = Worksheet::new();
    sheet.set_name("Văn bản pháp luật").map_err(&error)?;
    let widths = [22.0, 60.0, 14.0, 14.0, 14.0, 22.0, 16.0];
    for (column, (header, width)) in DOCUMENT_HEADERS.iter().zip(widths).enumerate() {
        sheet
            .write_string_with_format(0, column as u16, *header, &formats.plain_header)
            .map_err(&error)?;
        sheet
            .set_column_width(column as u16, width)
            .map_err(&error)?;
    }
    for (index, document) in list.documents.iter().enumerate() {
        let row = (index + 1) as u32;
        for (column, value) in document_cells(document).iter().enumerate() {
            if !value.is_empty() {
                let value = long.cut(value, &document.number, DOCUMENT_HEADERS[column]);
                sheet
                    .write_string(row, column as u16, value.as_ref())
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

fn annex_cells(entry: &AnnexEntry) -> Vec<String> {
    let data = &entry.data;
    match entry.part {
        AnnexPart::New => list_cells(data),
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
    }
}

/// One sheet per part, in the decision's order; an annex with no change says so.
pub fn annex(
    annex: &DecisionAnnex,
    publication: Option<&Publication>,
    output: &Path,
) -> Result<(Vec<u8>, Vec<LongCell>)> {
    let error = xlsx_error(output);
    let formats = Formats::new();
    let long = LongCells::default();
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
        let mut sheet = Worksheet::new();
        sectioned_sheet(
            &mut sheet,
            &formats,
            Heading {
                sheet: name,
                title: &title,
                subtitle: &line,
                // An annex names the levels the entries had: an abolished district
                // procedure is published as such.
                government: GovernmentModel::ThreeLevel,
            },
            &columns,
            sections,
            |entry| Ok(annex_cells(entry)),
            &long,
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
    let bytes = workbook.save_to_buffer().map_err(&error)?;
    Ok((bytes, long.into_inner()))
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

/// A side of a diff as a decision names it: "Bản đang làm việc", a revision, a file.
fn side_vi(side: &str) -> String {
    if side == WORKING {
        "bản đang làm việc".to_owned()
    } else {
        format!("«{side}»")
    }
}

/// Equal words kept around a change when a value is long; the rest is "…".
const CONTEXT_CHARS: usize = 120;
/// What a report cell shows of a long value at most: a printed row is at most 409 points.
const REPORT_CHARS: usize = 1_500;

/// The word runs of a change with long unchanged stretches shortened to their ends, so a
/// changed sentence in a 50,000-character dossier shows on paper.
fn compact_words(words: &[WordChange]) -> Vec<WordChange> {
    let total: usize = words.iter().map(|w| w.text.chars().count()).sum();
    if total <= REPORT_CHARS {
        return words.to_vec();
    }
    words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            let chars: Vec<char> = word.text.chars().collect();
            if word.kind != WordKind::Equal || chars.len() <= 2 * CONTEXT_CHARS {
                return word.clone();
            }
            let head: String = chars[..CONTEXT_CHARS].iter().collect();
            let tail: String = chars[chars.len() - CONTEXT_CHARS..].iter().collect();
            let text = match (index == 0, index + 1 == words.len()) {
                (true, _) => format!("… {tail}"),
                (_, true) => format!("{head} …"),
                _ => format!("{head} … {tail}"),
            };
            WordChange {
                kind: WordKind::Equal,
                text,
            }
        })
        .collect()
}

/// A long value's beginning and a note, for a printed cell.
fn excerpt(text: &str) -> String {
    if text.chars().count() <= REPORT_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(REPORT_CHARS).collect();
    short.push_str(" … (xem đủ trong báo cáo .csv)");
    short
}

/// Sets a sheet to print on A4 landscape, as wide as the page, with page numbers.
pub(super) fn print_a4(sheet: &mut Worksheet, landscape: bool) {
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet
        .set_paper_size(A4)
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&CTrang &P/&N");
}

/// A summary sheet (counts before and after, changes by kind) on one A4 page, and one row per
/// change laid out for A4 like the list, the deleted words struck through in red and the
/// inserted ones in green; every word Vietnamese (levels, statuses and tiers by name).
pub fn diff_report(
    diff: &CatalogueDiff,
    old: &str,
    new: &str,
    output: &Path,
) -> Result<(Vec<u8>, Vec<LongCell>)> {
    let error = xlsx_error(output);
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let sides = format!("Trước: {} — Sau: {}", side_vi(old), side_vi(new));
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Tóm tắt").map_err(&error)?;
        for (column, width) in [(0u16, 40.0), (1, 16.0), (2, 16.0)] {
            sheet.set_column_width(column, width).map_err(&error)?;
        }
        sheet
            .merge_range(
                0,
                0,
                0,
                2,
                "BÁO CÁO SO SÁNH DANH MỤC THỦ TỤC HÀNH CHÍNH",
                &formats.title,
            )
            .map_err(&error)?;
        sheet
            .merge_range(1, 0, 1, 2, &sides, &formats.subtitle)
            .map_err(&error)?;
        let s = &diff.summary;
        let level = |stats: &CatalogueStats, key: &str| {
            stats.by_level.get(key).copied().unwrap_or(0) as f64
        };
        let mut row = 3;
        for (column, text) in ["Số thủ tục", "Trước", "Sau"].iter().enumerate() {
            sheet
                .write_string_with_format(row, column as u16, *text, &formats.header)
                .map_err(&error)?;
        }
        row += 1;
        for (label, before, after) in [
            ("Tổng số", s.before.total as f64, s.after.total as f64),
            (
                "Cấp tỉnh",
                level(&s.before, "province"),
                level(&s.after, "province"),
            ),
            (
                "Cấp huyện",
                level(&s.before, "district"),
                level(&s.after, "district"),
            ),
            (
                "Cấp xã",
                level(&s.before, "commune"),
                level(&s.after, "commune"),
            ),
        ] {
            sheet
                .write_string_with_format(row, 0, label, &formats.text)
                .map_err(&error)?;
            sheet
                .write_number_with_format(row, 1, before, &formats.centre)
                .map_err(&error)?;
            sheet
                .write_number_with_format(row, 2, after, &formats.centre)
                .map_err(&error)?;
            row += 1;
        }
        row += 1;
        for (column, text) in ["Thay đổi", "Số thủ tục", ""].iter().enumerate() {
            if !text.is_empty() {
                sheet
                    .write_string_with_format(row, column as u16, *text, &formats.header)
                    .map_err(&error)?;
            }
        }
        row += 1;
        for kind in ChangeKind::ALL {
            sheet
                .write_string_with_format(row, 0, kind_vi(kind), &formats.text)
                .map_err(&error)?;
            sheet
                .write_number_with_format(row, 1, kind.count(s) as f64, &formats.centre)
                .map_err(&error)?;
            row += 1;
        }
        print_a4(sheet, false);
        sheet.set_print_fit_to_pages(1, 1);
        sheet.set_print_area(0, 0, row, 2).map_err(&error)?;
    }
    let long = LongCells::default();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Thay đổi").map_err(&error)?;
    let columns = [
        ("Loại thay đổi", 13.0),
        ("Mã TTHC", 15.0),
        ("Cấp", 9.0),
        ("Tên thủ tục hành chính", 34.0),
        ("Lĩnh vực", 16.0),
        ("Nội dung thay đổi", 18.0),
        ("Trước", 42.0),
        ("Sau", 42.0),
    ];
    let last = (columns.len() - 1) as u16;
    sheet
        .merge_range(0, 0, 0, last, "CÁC THAY ĐỔI", &formats.title)
        .map_err(&error)?;
    sheet
        .merge_range(1, 0, 1, last, &sides, &formats.subtitle)
        .map_err(&error)?;
    let header_row = 2;
    for (column, (header, width)) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(header_row, column as u16, *header, &formats.header)
            .map_err(&error)?;
        sheet
            .set_column_width(column as u16, *width)
            .map_err(&error)?;
    }
    sheet.set_row_height(header_row, 30).map_err(&error)?;
    let rows = report_rows(diff);
    for (index, change) in rows.iter().enumerate() {
        let row = header_row + 1 + index as u32;
        let plain = [
            kind_vi(change.kind).to_owned(),
            change.code.clone(),
            change.level.label_vi().to_owned(),
            change.name.clone(),
            change.procedure_field.clone(),
            column_vi(change.column),
        ];
        for (column, value) in plain.iter().enumerate() {
            let value = long.cut(value, &change.code, columns[column].0);
            sheet
                .write_string_with_format(row, column as u16, value.as_ref(), &formats.text)
                .map_err(&error)?;
        }
        // Levels, statuses and tiers in the words of a decision, not as keys.
        let old = excerpt(&super::sections::value_vi(change.column, &change.old));
        let new = excerpt(&super::sections::value_vi(change.column, &change.new));
        let words = compact_words(&change.words);
        let (old_runs, new_runs) = word_runs(&words, &formats);
        let shown = |runs: &Runs<'_>, whole: &str| -> String {
            if runs.len() > 1 {
                runs.iter().map(|(_, text)| *text).collect()
            } else {
                whole.to_owned()
            }
        };
        let lines = [
            wrapped_lines(&plain[3], columns[3].1),
            wrapped_lines(&shown(&old_runs, &old), columns[6].1),
            wrapped_lines(&shown(&new_runs, &new), columns[7].1),
        ]
        .into_iter()
        .max()
        .unwrap_or(1);
        sheet
            .set_row_height(row, (LINE_HEIGHT * lines as f64 + 3.0).min(409.0))
            .map_err(&error)?;
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
    let last_row = header_row + rows.len() as u32;
    sheet.set_freeze_panes(header_row + 1, 2).map_err(&error)?;
    sheet
        .set_repeat_rows(header_row, header_row)
        .map_err(&error)?;
    sheet
        .autofilter(header_row, 0, last_row.max(header_row + 1), last)
        .map_err(&error)?;
    print_a4(sheet, true);
    sheet
        .set_print_area(0, 0, last_row.max(header_row), last)
        .map_err(&error)?;
    let bytes = workbook.save_to_buffer().map_err(&error)?;
    Ok((bytes, long.into_inner()))
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
