//! Reads a `.csv` or `.xlsx` file into rows of text cells, with their row numbers as a
//! spreadsheet shows them. The input file is only ever opened for reading.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::ImportError;

/// One row as read, before any meaning is given to its cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based, as the spreadsheet or text editor numbers it.
    pub number: usize,
    pub cells: Vec<String>,
}

/// One sheet (or the whole CSV file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawTable {
    pub sheet: Option<String>,
    pub rows: Vec<RawRow>,
}

/// The kinds of file import reads, chosen by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    pub fn of(path: &Path) -> Option<FileKind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(FileKind::Csv),
            "xlsx" | "xlsm" => Some(FileKind::Xlsx),
            _ => None,
        }
    }
}

/// Every sheet of the file (one for CSV).
pub fn read_tables(path: &Path) -> Result<Vec<RawTable>, ImportError> {
    check_input(path)?;
    FileKind::of(path).ok_or_else(|| ImportError::UnsupportedFile(path.to_owned()))?;
    let bytes = fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    read_tables_from(path, &bytes)
}

/// The tables of a file's bytes, its kind taken from `path`'s extension (and `path` named
/// in messages). What the importer reads, whatever the bytes: the fuzz test drives it.
pub fn read_tables_from(path: &Path, bytes: &[u8]) -> Result<Vec<RawTable>, ImportError> {
    let kind = FileKind::of(path).ok_or_else(|| ImportError::UnsupportedFile(path.to_owned()))?;
    match kind {
        FileKind::Csv => read_csv(path, bytes).map(|table| vec![table]),
        FileKind::Xlsx => read_xlsx(path, bytes),
    }
}

/// Whether a path is a file that can be read as a list: there, not a folder, not a pipe or
/// a device (reading one could block for ever), not a broken link.
pub fn check_input(path: &Path) -> Result<(), ImportError> {
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => Err(ImportError::InputIsDirectory(path.to_owned())),
        Ok(metadata) if !metadata.is_file() => Err(ImportError::InputNotAFile(path.to_owned())),
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                Err(ImportError::InputNotAFile(path.to_owned()))
            } else {
                Err(ImportError::InputNotFound(path.to_owned()))
            }
        }
        Err(source) => Err(ImportError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

/// The line where a quoted cell opens and is never closed, if one is: the csv crate would
/// read the rest of the file into that cell without a word. Quotes count only at the start
/// of a cell (elsewhere they are text, as in `5" screen`); `""` inside a quoted cell is a
/// quote.
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let (mut line, mut opened_at) = (1usize, 0usize);
    let (mut quoted, mut cell_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if quoted {
            if byte == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            } else if byte == b'\n' {
                line += 1;
            }
        } else if byte == b'"' && cell_start {
            quoted = true;
            opened_at = line;
        } else if byte == b'\n' {
            line += 1;
        }
        cell_start = !quoted && (byte == delimiter || byte == b'\n' || byte == b'\r');
        i += 1;
    }
    quoted.then_some(opened_at)
}

fn read_csv(path: &Path, bytes: &[u8]) -> Result<RawTable, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(error) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..error.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        return Err(ImportError::NotUtf8 {
            path: path.to_owned(),
            line,
        });
    }
    let delimiter = sniff_delimiter(bytes);
    if let Some(line) = unclosed_quote(bytes, delimiter) {
        return Err(ImportError::UnclosedQuote {
            path: path.to_owned(),
            line,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    // Line numbers from byte offsets: the csv crate's own count skips blank lines, and an
    // officer looks the row up in a text editor, which does not.
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in reader.records() {
        let record = record.map_err(|error| ImportError::Csv {
            path: path.to_owned(),
            line: error.position().map_or(0, |p| p.line() as usize),
            detail: error.to_string(),
        })?;
        let number = match record.position() {
            Some(position) => {
                // The position is where reading began, before any blank lines it skipped.
                let mut start = (position.byte() as usize).min(bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                line += bytes[counted_to..start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                counted_to = start;
                line
            }
            None => rows.len() + 1,
        };
        rows.push(RawRow {
            number,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(RawTable { sheet: None, rows })
}

/// Excel in a Vietnamese or European locale writes `;`-separated CSV: pick whichever of
/// `,` `;` and tab is most frequent in the first lines.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let head: Vec<u8> = bytes.iter().take(4096).copied().collect();
    let count = |d: u8| head.iter().filter(|&&b| b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b','))
        .unwrap_or(b',')
}

/// The most columns a row of a sheet may use: a procedure list has a few dozen. A value
/// further right is refused with its cell named, rather than read into a row that wide.
const MAX_COLUMNS: u32 = 1_024;

/// Reads every sheet by its used cells alone, so that one stray value at XFD1048576 costs
/// one cell, not a grid of 17 billion.
fn read_xlsx(path: &Path, bytes: &[u8]) -> Result<Vec<RawTable>, ImportError> {
    // The XLSX reader may panic on a damaged part (found by the fuzz test): that is a file
    // that cannot be read, said as such.
    crate::panic_guard::contain(|| read_xlsx_parts(path, bytes)).unwrap_or_else(|| {
        Err(ImportError::Xlsx {
            path: path.to_owned(),
            detail: "a part of the workbook is damaged".to_owned(),
        })
    })
}

fn read_xlsx_parts(path: &Path, bytes: &[u8]) -> Result<Vec<RawTable>, ImportError> {
    let not_xlsx = |detail: String| ImportError::Xlsx {
        path: path.to_owned(),
        detail,
    };
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| not_xlsx(e.to_string()))?;
    let mut tables = Vec::new();
    for sheet in workbook.sheet_names() {
        let mut cells: std::collections::BTreeMap<u32, Vec<(u32, String)>> = Default::default();
        let mut reader = workbook
            .worksheet_cells_reader(&sheet)
            .map_err(|e| not_xlsx(format!("sheet \"{sheet}\": {e}")))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| not_xlsx(format!("sheet \"{sheet}\": {e}")))?
        {
            let (row, column) = cell.get_position();
            let text = cell_text(&Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            if column >= MAX_COLUMNS {
                return Err(ImportError::FarCell {
                    path: path.to_owned(),
                    sheet,
                    cell: format!("{}{}", column_letters(column), row + 1),
                });
            }
            cells.entry(row).or_default().push((column, text));
        }
        let rows = cells
            .into_iter()
            .map(|(row, values)| {
                let width = values
                    .iter()
                    .map(|(c, _)| *c as usize + 1)
                    .max()
                    .unwrap_or(0);
                let mut row_cells = vec![String::new(); width];
                for (column, text) in values {
                    row_cells[column as usize] = text;
                }
                RawRow {
                    number: row as usize + 1,
                    cells: row_cells,
                }
            })
            .collect();
        tables.push(RawTable {
            sheet: Some(sheet),
            rows,
        });
    }
    Ok(tables)
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`, `16383` → `XFD`.
fn column_letters(column: u32) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
            format!("{}", *value as i64)
        }
        Data::Float(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        Data::DateTime(value) if value.is_datetime() => {
            let (year, month, day, ..) = value.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        Data::DateTime(value) => value.as_f64().to_string(),
        Data::Error(error) => format!("#{error:?}"),
    }
}

/// The file name for messages: short, as the officer knows it.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_and_quotes_inside_text_are_not() {
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\n2,y\n", b','), Some(2));
        assert_eq!(
            unclosed_quote(b"a,b\n1,\"x\ny\"\n2,\"q\"\"z\"\n", b','),
            None
        );
        assert_eq!(unclosed_quote(b"a,b\n1,5\" screen\n", b','), None);
        assert_eq!(unclosed_quote(b"a;b\r\n1;\"open", b';'), Some(2));
    }

    #[test]
    fn column_letters_are_as_excel_writes_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn delimiter_is_sniffed() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter(b"abc"), b',');
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_bom_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        fs::write(
            &path,
            "\u{feff}Mã số,Tên\n1.000001,\"Cấp\ngiấy phép\"\n\n1.000002,Đăng ký\n",
        )
        .unwrap();
        let tables = read_tables(&path).unwrap();
        let rows = &tables[0].rows;
        assert_eq!(rows[0].cells, ["Mã số", "Tên"]);
        assert_eq!(rows[1].number, 2);
        assert_eq!(rows[1].cells[1], "Cấp\ngiấy phép");
        // Line 4 is blank.
        assert_eq!(rows[2].number, 5);
    }

    #[test]
    fn a_non_utf8_csv_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        fs::write(&path, b"code,name\n1.000001,C\xe1p\n").unwrap();
        let error = read_tables(&path).unwrap_err();
        assert!(
            matches!(error, ImportError::NotUtf8 { line: 2, .. }),
            "{error}"
        );
    }
}
