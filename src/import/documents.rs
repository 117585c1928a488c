//! Lists of legal documents (Số ký hiệu | Trích yếu | Ngày ban hành | Ngày hiệu lực | Ngày hết
//! hiệu lực | Văn bản thay thế): what the audit needs to tell a repealed legal basis.

use std::collections::HashMap;

use super::columns::header_key;
use super::notes::{Notice, RowProblem};
use super::table::{RawRow, RawTable};
use super::{Rejection, Warning};
use crate::domain::citation::{DocumentKind, read_citation};
use crate::domain::{LegalDocument, parse_date};
use crate::text::clean_cell;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentColumn {
    Number,
    Title,
    Issued,
    Effective,
    Repealed,
    ReplacedBy,
    Kind,
}

const SPELLINGS: &[(DocumentColumn, &[&str])] = &[
    (
        DocumentColumn::Number,
        &[
            "so ky hieu",
            "so hieu",
            "so van ban",
            "so ky hieu van ban",
            "so hieu van ban",
        ],
    ),
    (
        DocumentColumn::Title,
        &["trich yeu", "trich yeu noi dung", "ten van ban", "noi dung"],
    ),
    (DocumentColumn::Issued, &["ngay ban hanh"]),
    (
        DocumentColumn::Effective,
        &["ngay hieu luc", "ngay co hieu luc", "hieu luc tu ngay"],
    ),
    (
        DocumentColumn::Repealed,
        &[
            "ngay het hieu luc",
            "het hieu luc",
            "ngay het hieu luc thi hanh",
        ],
    ),
    (
        DocumentColumn::ReplacedBy,
        &["van ban thay the", "thay the boi", "duoc thay the boi"],
    ),
    (DocumentColumn::Kind, &["loai van ban", "hinh thuc van ban"]),
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentHeader {
    pub row_index: usize,
    pub row_number: usize,
    pub columns: Vec<(usize, DocumentColumn)>,
}

impl DocumentHeader {
    fn column_of(&self, wanted: DocumentColumn) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, c)| *c == wanted)
            .map(|(i, _)| *i)
    }
}

/// The header of a legal-document list: a number column and a title or repeal-date column,
/// among the first 10 rows.
pub fn find_document_header(table: &RawTable) -> Option<DocumentHeader> {
    table
        .rows
        .iter()
        .take(10)
        .enumerate()
        .find_map(|(row_index, row)| {
            let mut columns: Vec<(usize, DocumentColumn)> = Vec::new();
            for (index, cell) in row.cells.iter().enumerate() {
                let key = header_key(cell);
                if let Some((column, _)) = SPELLINGS
                    .iter()
                    .find(|(_, spellings)| spellings.contains(&key.as_str()))
                    && !columns.iter().any(|(_, c)| c == column)
                {
                    columns.push((index, *column));
                }
            }
            let header = DocumentHeader {
                row_index,
                row_number: row.number,
                columns,
            };
            let has = |c| header.column_of(c).is_some();
            (has(DocumentColumn::Number)
                && (has(DocumentColumn::Title) || has(DocumentColumn::Repealed)))
            .then_some(header)
        })
}

/// What reading a document list gave: documents (each the stored one with the list's columns
/// laid over it), rejected rows and warnings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentRows {
    pub documents: Vec<LegalDocument>,
    pub rejected: Vec<Rejection>,
    pub warnings: Vec<Warning>,
    pub rows_read: usize,
}

pub fn read_documents(
    file: &str,
    table: &RawTable,
    header: &DocumentHeader,
    stored: &HashMap<String, LegalDocument>,
    seen: &mut HashMap<String, (String, usize)>,
) -> DocumentRows {
    let mut out = DocumentRows::default();
    for row in &table.rows[header.row_index + 1..] {
        if row.cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        out.rows_read += 1;
        match read_row(file, row, header, stored, &mut out.warnings) {
            Ok(document) => {
                if let Some((first_file, first_row)) = seen.get(&document.number) {
                    out.rejected.push(Rejection {
                        file: file.to_owned(),
                        row: row.number,
                        problem: RowProblem::DocumentTwice {
                            number: document.number.clone(),
                            first_file: first_file.clone(),
                            first_row: *first_row,
                        },
                    });
                    continue;
                }
                seen.insert(document.number.clone(), (file.to_owned(), row.number));
                out.documents.push(document);
            }
            Err(problem) => out.rejected.push(Rejection {
                file: file.to_owned(),
                row: row.number,
                problem,
            }),
        }
    }
    out
}

fn read_row(
    file: &str,
    row: &RawRow,
    header: &DocumentHeader,
    stored: &HashMap<String, LegalDocument>,
    warnings: &mut Vec<Warning>,
) -> Result<LegalDocument, RowProblem> {
    let cell = |column: DocumentColumn| {
        header
            .column_of(column)
            .map(|i| clean_cell(row.cells.get(i).map_or("", String::as_str)))
    };
    let number = cell(DocumentColumn::Number).unwrap_or_default();
    if number.is_empty() {
        return Err(RowProblem::NoDocumentNumber);
    }
    let mut document = stored
        .get(&number)
        .cloned()
        .unwrap_or_else(|| LegalDocument {
            number: number.clone(),
            ..LegalDocument::default()
        });
    if let Some(title) = cell(DocumentColumn::Title) {
        document.title = title;
    }
    if let Some(replaced_by) = cell(DocumentColumn::ReplacedBy) {
        document.replaced_by = replaced_by;
    }
    match cell(DocumentColumn::Kind) {
        Some(kind) if !kind.is_empty() => {
            let folded = crate::text::fold(&kind);
            document.kind = DocumentKind::ALL
                .into_iter()
                .find(|k| crate::text::fold(k.label_vi()) == folded || k.key() == folded)
                .or(document.kind);
        }
        // A list that does not say: the number tells, for a document not known yet.
        _ if document.kind.is_none() => {
            document.kind = read_citation(&number).map(|c| c.kind);
        }
        _ => {}
    }
    let mut date =
        |column: DocumentColumn, label: &'static str| -> Option<Option<crate::domain::Date>> {
            let text = cell(column)?;
            if text.is_empty() {
                return Some(None);
            }
            match parse_date(&text) {
                Some(date) => Some(Some(date)),
                None => {
                    warnings.push(Warning {
                        file: file.to_owned(),
                        row: row.number,
                        notice: Notice::DocumentDate {
                            number: number.clone(),
                            column: label,
                            text: text.clone(),
                        },
                    });
                    None
                }
            }
        };
    if let Some(issued) = date(DocumentColumn::Issued, "Ngày ban hành") {
        document.issued_on = issued;
    }
    if let Some(effective) = date(DocumentColumn::Effective, "Ngày hiệu lực") {
        document.effective_on = effective;
    }
    if let Some(repealed) = date(DocumentColumn::Repealed, "Ngày hết hiệu lực") {
        document.repealed_on = repealed;
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> RawTable {
        RawTable::new(
            None,
            rows.iter()
                .enumerate()
                .map(|(i, cells)| RawRow {
                    number: i + 1,
                    cells: cells.iter().map(|c| c.to_string()).collect(),
                })
                .collect(),
        )
    }

    #[test]
    fn a_document_list_is_recognised_and_read() {
        let list = table(&[
            &["DANH MỤC VĂN BẢN"],
            &[
                "STT",
                "Số ký hiệu",
                "Trích yếu",
                "Ngày ban hành",
                "Ngày hiệu lực",
                "Ngày hết hiệu lực",
                "Văn bản thay thế",
            ],
            &[
                "1",
                "64/2012/NĐ-CP",
                "Quy định về cấp giấy phép xây dựng",
                "04/09/2012",
                "20/10/2012",
                "01/07/2015",
                "59/2015/NĐ-CP",
            ],
            &[
                "2",
                "59/2015/NĐ-CP",
                "Quản lý dự án",
                "18/06/2015",
                "05/08/2015",
                "",
                "",
            ],
            &["3", "", "không số", "", "", "", ""],
            &["4", "10/2012/TT-BXD", "Hướng dẫn", "", "", "sớm", ""],
        ]);
        let header = find_document_header(&list).unwrap();
        assert_eq!(header.row_number, 2);
        let stored = HashMap::from([(
            "10/2012/TT-BXD".to_owned(),
            LegalDocument {
                number: "10/2012/TT-BXD".into(),
                repealed_on: parse_date("2015-07-01"),
                ..LegalDocument::default()
            },
        )]);
        let read = read_documents("vb.xlsx", &list, &header, &stored, &mut HashMap::new());
        assert_eq!(read.rows_read, 4);
        assert_eq!(read.documents.len(), 3);
        assert_eq!(read.documents[0].repealed_on, parse_date("2015-07-01"));
        assert_eq!(read.documents[0].replaced_by, "59/2015/NĐ-CP");
        assert_eq!(read.documents[1].repealed_on, None);
        assert_eq!(read.rejected[0].row, 5);
        // An unreadable date is reported and the stored value kept.
        assert_eq!(read.documents[2].repealed_on, parse_date("2015-07-01"));
        assert!(read.warnings[0].notice.to_string().contains("\"sớm\""));
    }

    #[test]
    fn a_procedure_list_is_not_a_document_list() {
        let list = table(&[&["Mã số", "Tên", "Lĩnh vực"]]);
        assert!(find_document_header(&list).is_none());
    }
}
