//! CSV exports: UTF-8 with a byte-order mark (so Excel reads the Vietnamese letters), every
//! cell guarded against formula injection. The list is one procedure a row with every field
//! under its column key, which `import` reads back exactly.

use csv::{QuoteStyle, WriterBuilder};

use super::annex::DecisionAnnex;
use super::guard::neutralise;
use super::{DOCUMENT_HEADERS, NUMBER_COLUMN, PublishedList, document_cells};
use crate::diff::CatalogueDiff;
use crate::domain::{LegalDocument, ProcedureField};

/// A CSV writer into memory, with the byte-order mark.
fn writer() -> csv::Writer<Vec<u8>> {
    WriterBuilder::new()
        .quote_style(QuoteStyle::Necessary)
        .from_writer(b"\xEF\xBB\xBF".to_vec())
}

/// A guarded cell, borrowed when it needs no guard.
struct Cell<'a>(std::borrow::Cow<'a, str>);

impl AsRef<[u8]> for Cell<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Writes one row, every cell guarded.
fn write_row<S: AsRef<str>>(writer: &mut csv::Writer<Vec<u8>>, row: &[S]) {
    // Writing to a Vec cannot fail, and the csv crate flushes into it as it goes.
    let _ = writer.write_record(row.iter().map(|cell| Cell(neutralise(cell.as_ref()))));
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Vec<u8> {
    writer.into_inner().unwrap_or_default()
}

fn write_rows(rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = writer();
    for row in rows {
        write_row(&mut writer, &row);
    }
    finish(writer)
}

/// Every field of every procedure, entries read one at a time and written as read to `out`
/// (on its way to `output`, named if writing fails).
pub fn list(
    list: &PublishedList<'_>,
    out: &mut dyn std::io::Write,
    output: &std::path::Path,
) -> super::Result<()> {
    let failed = |error: csv::Error| super::ExportError::Write {
        path: output.to_owned(),
        source: std::io::Error::other(error.to_string()),
    };
    out.write_all(b"\xEF\xBB\xBF")
        .map_err(|e| failed(e.into()))?;
    let mut writer = WriterBuilder::new()
        .quote_style(QuoteStyle::Necessary)
        .from_writer(out);
    let header: Vec<&str> = std::iter::once(NUMBER_COLUMN)
        .chain(ProcedureField::ALL.iter().map(|f| f.key()))
        .collect();
    writer.write_record(&header).map_err(failed)?;
    let mut reader = list.reader()?;
    let mut written = Ok(());
    for (number, key) in list.keys() {
        let number = number.to_string();
        reader.with_texts(key.row, |texts| {
            written = writer.write_record(
                std::iter::once(number.as_str())
                    .chain(texts.iter().copied())
                    .map(|cell| Cell(neutralise(cell))),
            );
        })?;
        written.map_err(failed)?;
        written = Ok(());
    }
    writer.flush().map_err(|e| failed(e.into()))?;
    Ok(())
}

/// The legal documents of a list, for its sidecar file.
pub fn documents(documents: &[LegalDocument]) -> Vec<u8> {
    let header = DOCUMENT_HEADERS.map(str::to_owned).to_vec();
    write_rows(std::iter::once(header).chain(documents.iter().map(|d| document_cells(d).to_vec())))
}

pub fn annex(annex: &DecisionAnnex) -> Vec<u8> {
    let header = [
        "part",
        "level",
        "field",
        NUMBER_COLUMN,
        "code",
        "name",
        "replaces_code",
        "replaces_name",
        "changes",
        "document",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut rows = vec![header];
    for (part, levels) in &annex.parts {
        for level in levels {
            for field in &level.fields {
                for (index, entry) in field.entries.iter().enumerate() {
                    let (old_code, old_name) = entry.replaces.clone().unwrap_or_default();
                    rows.push(vec![
                        part.key().to_owned(),
                        level.level.key().to_owned(),
                        field.field.clone(),
                        (index + 1).to_string(),
                        entry.data.code.clone(),
                        entry.data.name.clone(),
                        old_code,
                        old_name,
                        entry.changes_text(),
                        entry.document.clone(),
                    ]);
                }
            }
        }
    }
    write_rows(rows)
}

pub fn diff_report(diff: &CatalogueDiff) -> Vec<u8> {
    write_rows(
        std::iter::once(
            [
                "change", "code", "level", "name", "field", "column", "old", "new",
            ]
            .map(str::to_owned)
            .to_vec(),
        )
        .chain(super::report::report_rows(diff).into_iter().map(|row| {
            vec![
                row.kind.key().to_owned(),
                row.code,
                row.level.key().to_owned(),
                row.name,
                row.procedure_field,
                row.column.map(|c| c.key().to_owned()).unwrap_or_default(),
                row.old,
                row.new,
            ]
        })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_starts_with_a_bom_and_guards_formulas() {
        let bytes = write_rows(vec![vec!["=1+1".into(), "Cấp".into(), "a,b".into()]]);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text, "'=1+1,Cấp,\"a,b\"\n");
    }
}
