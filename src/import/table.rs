//! Reads a `.csv` or `.xlsx` file into rows of text cells, with their row numbers as a
//! spreadsheet shows them. The input file is only ever opened for reading.

use std::fs;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

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
    let kind = FileKind::of(path).ok_or_else(|| ImportError::UnsupportedFile(path.to_owned()))?;
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => {
            return Err(ImportError::UnsupportedFile(path.to_owned()));
        }
        Ok(_) => {}
        Err(source) => {
            return Err(ImportError::Io {
                path: path.to_owned(),
                source,
            });
        }
    }
    match kind {
        FileKind::Csv => read_csv(path).map(|table| vec![table]),
        FileKind::Xlsx => read_xlsx(path),
    }
}

fn read_csv(path: &Path) -> Result<RawTable, ImportError> {
    let bytes = fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
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

fn read_xlsx(path: &Path) -> Result<Vec<RawTable>, ImportError> {
    let not_xlsx = |detail: String| ImportError::Xlsx {
        path: path.to_owned(),
        detail,
    };
    let mut workbook: Xlsx<_> =
        open_workbook(path).map_err(|e: calamine::XlsxError| not_xlsx(e.to_string()))?;
    let mut tables = Vec::new();
    for sheet in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| not_xlsx(format!("sheet \"{sheet}\": {e}")))?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(offset, cells)| RawRow {
                number: first_row as usize + offset + 1,
                cells: std::iter::repeat_n(String::new(), first_column as usize)
                    .chain(cells.iter().map(cell_text))
                    .collect(),
            })
            .collect();
        tables.push(RawTable {
            sheet: Some(sheet),
            rows,
        });
    }
    Ok(tables)
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
