//! Small tables an officer keeps in a spreadsheet and saves as CSV (the level rules, the
//! agency renames): a BOM or not, `,` or `;` between cells as Excel writes them in Vietnam,
//! columns found by their header whatever the case or diacritics. A row that cannot be read
//! is named by its line.

use std::fmt;

use crate::text::fold;

/// A table that cannot be read: where (1-based line; 0 for the file as a whole) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError {
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "line {}: {}", self.line, self.problem)
        }
    }
}

impl std::error::Error for TableError {}

/// One row below the header, its cells trimmed, in the order of the headers asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub line: usize,
    pub cells: Vec<String>,
}

impl TableRow {
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// Reads `text` with the columns `headers`, of which the first `required` must be there;
/// rows whose cells are all empty are left out.
pub fn read(text: &str, headers: &[&str], required: usize) -> Result<Vec<TableRow>, TableError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let found = reader.headers().map_err(|error| TableError {
        line: 1,
        problem: error.to_string(),
    })?;
    let folded: Vec<String> = found.iter().map(fold).collect();
    let columns: Vec<Option<usize>> = headers
        .iter()
        .map(|name| folded.iter().position(|h| *h == fold(name)))
        .collect();
    if columns[..required].iter().any(Option::is_none) {
        return Err(TableError {
            line: 1,
            problem: format!(
                "the header row must name the columns {}",
                headers.join(" | ")
            ),
        });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| TableError {
            line: error.position().map_or(0, |p| p.line() as usize),
            problem: error.to_string(),
        })?;
        let cells: Vec<String> = columns
            .iter()
            .map(|column| {
                column
                    .and_then(|i| record.get(i))
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push(TableRow {
            line: record.position().map_or(0, |p| p.line() as usize),
            cells,
        });
    }
    Ok(rows)
}

/// The table as CSV text (UTF-8, comma-separated, a header row), as [`read`] reads it.
pub fn write<'a>(headers: &[&str], rows: impl IntoIterator<Item = Vec<&'a str>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(headers);
    for row in rows {
        let _ = writer.write_record(row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_read_by_its_headers_whatever_the_separator_and_blank_rows_are_skipped() {
        let headers = ["Cơ quan cũ", "Cơ quan mới", "Ghi chú"];
        let text = "\u{feff}co quan moi;CƠ QUAN CŨ\n Sở Tài chính ; Sở Kế hoạch và Đầu tư \n;\n";
        let rows = read(text, &headers, 2).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].cell(0), "Sở Kế hoạch và Đầu tư");
        assert_eq!(rows[0].cell(1), "Sở Tài chính");
        assert_eq!(rows[0].cell(2), "", "an optional column not in the file");
        let written = write(&headers[..2], [vec!["a, b", "c"]]);
        assert_eq!(read(&written, &headers, 2).unwrap()[0].cell(0), "a, b");
        assert_eq!(read("Tên\nx\n", &headers, 2).unwrap_err().line, 1);
    }
}
