//! Reads a `.csv` or `.xlsx` file into rows of text cells, with their row numbers as a
//! spreadsheet shows them. The input file is only ever opened for reading.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::mpsc;

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
#[derive(Debug)]
pub struct RawTable {
    pub sheet: Option<String>,
    /// The rows read: every row of a sheet; the first [`HEAD_ROWS`] of a CSV file.
    pub rows: Vec<RawRow>,
    /// The rows of a CSV file after `rows`, read on another core while the rows before
    /// them are planned (a national list's cells are never all in memory at once).
    pub rest: Option<RowStream>,
}

/// The rows of a CSV file read before planning begins: enough to find its header.
pub const HEAD_ROWS: usize = 10;

impl RawTable {
    pub fn new(sheet: Option<String>, rows: Vec<RawRow>) -> RawTable {
        RawTable {
            sheet,
            rows,
            rest: None,
        }
    }

    /// Rows in the table: read, and still to come.
    pub fn row_count(&self) -> usize {
        self.rows.len() + self.rest.as_ref().map_or(0, |rest| rest.remaining)
    }

    /// Reads the rows still to come into `rows`.
    pub fn read_rest(&mut self) -> Result<(), ImportError> {
        if let Some(rest) = self.rest.take() {
            for row in rest {
                self.rows.push(row?);
            }
        }
        Ok(())
    }
}

/// Rows of a CSV file still being read on another thread, in file order.
pub struct RowStream {
    chunks: mpsc::Receiver<Result<Vec<RawRow>, ImportError>>,
    /// The rows of the chunk received last, not yet handed on.
    waiting: std::vec::IntoIter<RawRow>,
    /// Rows still to come, as the first pass counted them (for progress).
    remaining: usize,
}

impl std::fmt::Debug for RowStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowStream")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

impl Iterator for RowStream {
    type Item = Result<RawRow, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.waiting.next() {
                self.remaining = self.remaining.saturating_sub(1);
                return Some(Ok(row));
            }
            match self.chunks.recv() {
                Ok(Ok(rows)) => self.waiting = rows.into_iter(),
                Ok(Err(error)) => return Some(Err(error)),
                // The reader has sent every row.
                Err(mpsc::RecvError) => return None,
            }
        }
    }
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
    let kind = FileKind::of(path).ok_or_else(|| ImportError::UnsupportedFile(path.to_owned()))?;
    if kind == FileKind::Csv {
        return stream_csv(path).map(|table| vec![table]);
    }
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

/// What a first pass over a CSV file finds: the line each record starts on, and a quoted
/// cell opened and never closed (the csv crate would read the rest of the file into that
/// cell without a word). Fed the file in pieces. Quotes count only at the start of a cell
/// (elsewhere they are text, as in `5" screen`); `""` inside a quoted cell is a quote. A
/// record ends at `\n`, `\r` or `\r\n` outside quotes, and blank lines are no records, as
/// the csv crate reads them.
struct Scan {
    delimiter: u8,
    line: usize,
    state: Quote,
    cell_start: bool,
    in_record: bool,
    opened_at: usize,
    /// The line each record starts on, in order.
    record_lines: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Outside,
    Inside,
    /// A `"` inside a quoted cell: the cell's end, or the first half of `""`.
    Closing,
}

impl Scan {
    fn new(delimiter: u8) -> Scan {
        Scan {
            delimiter,
            line: 1,
            state: Quote::Outside,
            cell_start: true,
            in_record: false,
            opened_at: 0,
            record_lines: Vec::new(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            i += 1;
            match self.state {
                Quote::Inside => {
                    if byte == b'"' {
                        self.state = Quote::Closing;
                    } else {
                        if byte == b'\n' {
                            self.line += 1;
                        }
                        // Most of a list is long quoted text: skip to its next quote or line.
                        match memchr::memchr2(b'"', b'\n', &bytes[i..]) {
                            Some(next) => i += next,
                            None => i = bytes.len(),
                        }
                    }
                    continue;
                }
                Quote::Closing if byte == b'"' => {
                    self.state = Quote::Inside;
                    continue;
                }
                Quote::Closing => self.state = Quote::Outside,
                Quote::Outside => {}
            }
            if byte == b'\n' || byte == b'\r' {
                self.in_record = false;
                self.cell_start = true;
                if byte == b'\n' {
                    self.line += 1;
                }
                continue;
            }
            if !self.in_record {
                self.in_record = true;
                self.record_lines.push(self.line);
            }
            if byte == b'"' && self.cell_start {
                self.state = Quote::Inside;
                self.opened_at = self.line;
            }
            self.cell_start = byte == self.delimiter;
            if !self.cell_start && self.state == Quote::Outside {
                // Inside an unquoted cell only its end matters (a quote there is text).
                match memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..]) {
                    Some(next) => i += next,
                    None => i = bytes.len(),
                }
            }
        }
    }

    /// The line of the quote never closed, if one was not.
    fn unclosed(&self) -> Option<usize> {
        (self.state == Quote::Inside).then_some(self.opened_at)
    }

    /// A scan of a file begun on its first bytes: past a byte-order mark, the delimiter
    /// sniffed from them.
    fn begin(first: &[u8]) -> Scan {
        let first = first.strip_prefix(BOM).unwrap_or(first);
        let mut scan = Scan::new(sniff_delimiter(first));
        scan.feed(first);
        scan
    }

    /// The scan of a whole file, or the quote it never closes.
    fn end(self, path: &Path) -> Result<Scan, ImportError> {
        match self.unclosed() {
            Some(line) => Err(ImportError::UnclosedQuote {
                path: path.to_owned(),
                line,
            }),
            None => Ok(self),
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The first pass over a CSV file, read in pieces: its delimiter and where its records
/// start, or why it cannot be read.
fn scan_csv(path: &Path, mut input: impl Read) -> Result<Scan, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let mut buffer = vec![0u8; 1 << 20];
    let mut filled = 0;
    // The first piece, for the byte-order mark and the delimiter.
    while filled < 4096 + BOM.len() {
        match input.read(&mut buffer[filled..]).map_err(io)? {
            0 => break,
            read => filled += read,
        }
    }
    let mut scan = Scan::begin(&buffer[..filled]);
    loop {
        let read = input.read(&mut buffer).map_err(io)?;
        if read == 0 {
            break;
        }
        scan.feed(&buffer[..read]);
    }
    scan.end(path)
}

/// Reads the records of a CSV file (past its byte-order mark) as rows, numbered by the
/// lines the first pass found, handing them to `send` in pieces; stops when `send` says so.
fn parse_csv(
    path: &Path,
    input: impl Read,
    scan: &Scan,
    mut send: impl FnMut(Result<Vec<RawRow>, ImportError>) -> bool,
) {
    const PIECE: usize = 256;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(scan.delimiter)
        .from_reader(input);
    let mut rows = Vec::with_capacity(PIECE);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // Lines from the first pass: the csv crate's own count skips blank lines,
                // and an officer looks the row up in a text editor, which does not.
                let index = record.position().map_or(0, |p| p.record() as usize);
                let number =
                    scan.record_lines.get(index).copied().unwrap_or_else(|| {
                        record.position().map_or(index + 1, |p| p.line() as usize)
                    });
                rows.push(RawRow {
                    number,
                    cells: record.iter().map(str::to_owned).collect(),
                });
                if rows.len() == PIECE && !send(Ok(std::mem::take(&mut rows))) {
                    return;
                }
            }
            Err(error) => {
                let position = error.position().cloned();
                let line = |position: Option<csv::Position>| {
                    position.map_or(0, |p| {
                        scan.record_lines
                            .get(p.record() as usize)
                            .copied()
                            .unwrap_or(p.line() as usize)
                    })
                };
                let failure = match error.kind() {
                    csv::ErrorKind::Utf8 { .. } => ImportError::NotUtf8 {
                        path: path.to_owned(),
                        line: line(position),
                    },
                    _ => ImportError::Csv {
                        path: path.to_owned(),
                        line: line(position),
                        detail: error.to_string(),
                    },
                };
                send(Err(failure));
                return;
            }
        }
    }
    if !rows.is_empty() {
        send(Ok(rows));
    }
}

/// A CSV file in memory, read whole (the fuzz test's way in).
fn read_csv(path: &Path, bytes: &[u8]) -> Result<RawTable, ImportError> {
    let scan = Scan::begin(bytes).end(path)?;
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut rows = Vec::new();
    let mut failed = None;
    parse_csv(path, bytes, &scan, |piece| match piece {
        Ok(mut piece) => {
            rows.append(&mut piece);
            true
        }
        Err(error) => {
            failed = Some(error);
            false
        }
    });
    match failed {
        Some(error) => Err(error),
        None => Ok(RawTable::new(None, rows)),
    }
}

/// A CSV file read from disk in two passes: the first checks it and finds its lines, the
/// second reads its records on another thread while the caller plans the rows read.
fn stream_csv(path: &Path) -> Result<RawTable, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let scan = scan_csv(path, fs::File::open(path).map_err(io)?)?;
    let mut input = BufReader::with_capacity(1 << 16, fs::File::open(path).map_err(io)?);
    if input.fill_buf().map_err(io)?.starts_with(BOM) {
        input.consume(BOM.len());
    }
    let records = scan.record_lines.len();
    // A few pieces ahead of the planner at most: the reader waits when they are not taken.
    let (send, chunks) = mpsc::sync_channel(4);
    let reading = path.to_owned();
    std::thread::Builder::new()
        .name("csv reader".to_owned())
        .spawn(move || parse_csv(&reading, input, &scan, |piece| send.send(piece).is_ok()))
        .map_err(io)?;
    let mut rest = RowStream {
        chunks,
        waiting: Vec::new().into_iter(),
        remaining: records,
    };
    let mut rows = Vec::with_capacity(HEAD_ROWS);
    for row in rest.by_ref().take(HEAD_ROWS) {
        rows.push(row?);
    }
    Ok(RawTable {
        sheet: None,
        rows,
        rest: Some(rest),
    })
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
        tables.push(RawTable::new(Some(sheet), rows));
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
        let unclosed = |bytes: &[u8], delimiter| {
            // Fed a byte at a time: a piece may end anywhere, even inside `""`.
            let mut scan = Scan::new(delimiter);
            for byte in bytes.chunks(1) {
                scan.feed(byte);
            }
            scan.unclosed()
        };
        assert_eq!(unclosed(b"a,b\n1,\"x\n2,y\n", b','), Some(2));
        assert_eq!(unclosed(b"a,b\n1,\"x\ny\"\n2,\"q\"\"z\"\n", b','), None);
        assert_eq!(unclosed(b"a,b\n1,5\" screen\n", b','), None);
        assert_eq!(unclosed(b"a;b\r\n1;\"open", b';'), Some(2));
    }

    #[test]
    fn records_start_where_the_csv_crate_starts_them() {
        let mut scan = Scan::new(b',');
        scan.feed(b"h1,h2\r\n\r\n1,\"two\nlines\"\n\n\n2,x\r3,y");
        assert_eq!(scan.record_lines, [1, 3, 7, 7]);
        let table = read_csv(
            Path::new("a.csv"),
            b"h1,h2\r\n\r\n1,\"two\nlines\"\n\n\n2,x\r3,y",
        )
        .unwrap();
        let numbers: Vec<usize> = table.rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, [1, 3, 7, 7]);
        assert_eq!(table.rows[1].cells, ["1", "two\nlines"]);
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
        let mut tables = read_tables(&path).unwrap();
        tables[0].read_rest().unwrap();
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
        // Past the rows read first, the error comes with the rows.
        let mut text = b"code,name\n".to_vec();
        for n in 0..300 {
            text.extend(format!("1.{n:06},Name\n").as_bytes());
        }
        text.extend(b"1.999999,C\xe1p\n");
        fs::write(&path, &text).unwrap();
        let mut tables = read_tables(&path).unwrap();
        let error = tables[0].read_rest().unwrap_err();
        assert!(
            matches!(error, ImportError::NotUtf8 { line: 302, .. }),
            "{error}"
        );
    }
}
