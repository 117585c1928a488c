//! Finding the header row and what each column holds. Names are matched ignoring
//! case, diacritics and punctuation, so "MÃ SỐ", "Mã số" and "ma so" are one column.

use super::table::RawTable;
use crate::domain::{ProcedureField, TimeUnit};
use crate::text::fold;

/// How many leading rows may hold the title before the header.
const HEADER_SEARCH_ROWS: usize = 10;

/// Header spellings besides each field's key and its export header.
const ALIASES: &[(ProcedureField, &[&str])] = &[
    (
        ProcedureField::Code,
        &[
            "ma so",
            "ma",
            "ma tthc",
            "ma thu tuc",
            "ma thu tuc hanh chinh",
            "ma so tthc",
        ],
    ),
    (
        ProcedureField::Name,
        &["ten", "ten thu tuc", "ten tthc", "ten thu tuc hanh chinh"],
    ),
    (
        ProcedureField::Agency,
        &[
            "co quan thuc hien",
            "dia diem thuc hien",
            "dia diem thuc hien co quan thuc hien",
            "co quan giai quyet",
        ],
    ),
    (
        ProcedureField::CompetentAuthority,
        &["co quan co tham quyen", "co quan co tham quyen quyet dinh"],
    ),
    (ProcedureField::Issuer, &["co quan ban hanh"]),
    (
        ProcedureField::ProcedureType,
        &["loai thu tuc", "loai tthc", "loai thu tuc hanh chinh"],
    ),
    (ProcedureField::Extra, &["thong tin khac"]),
    (ProcedureField::Field, &["linh vuc"]),
    (
        ProcedureField::Level,
        &["cap thuc hien", "cap", "cap hanh chinh"],
    ),
    (
        ProcedureField::Tier,
        &[
            "muc do",
            "muc do dvc",
            "muc do dvctt",
            "muc do dich vu cong truc tuyen",
            "dvc truc tuyen",
        ],
    ),
    (
        ProcedureField::ProcessingTime,
        &[
            "thoi han giai quyet",
            "thoi gian giai quyet",
            "thoi han giai quyet ngay",
            "thoi han giai quyet ngay lam viec",
            "thoi han",
            "processing time",
        ],
    ),
    (
        ProcedureField::Fee,
        &[
            "phi le phi",
            "le phi",
            "phi",
            "phi le phi dong",
            "muc thu phi le phi",
            "fee vnd",
        ],
    ),
    (ProcedureField::LegalBasis, &["can cu phap ly", "can cu"]),
    (
        ProcedureField::Status,
        &["tinh trang", "trang thai", "tinh trang hieu luc"],
    ),
    (
        ProcedureField::DossiersLastYear,
        &[
            "so ho so",
            "so ho so nam truoc",
            "ho so phat sinh",
            "so ho so phat sinh",
        ],
    ),
    (ProcedureField::Steps, &["trinh tu", "trinh tu thuc hien"]),
    (
        ProcedureField::Methods,
        &["cach thuc", "cach thuc thuc hien"],
    ),
    (ProcedureField::Dossier, &["thanh phan ho so", "ho so"]),
    (
        ProcedureField::Requirements,
        &["yeu cau dieu kien", "yeu cau", "dieu kien"],
    ),
    (ProcedureField::Result, &["ket qua", "ket qua thuc hien"]),
    (
        ProcedureField::Subjects,
        &["doi tuong", "doi tuong thuc hien"],
    ),
    (ProcedureField::Notes, &["ghi chu"]),
    (
        ProcedureField::Provenance,
        &["nguon", "nguon goc", "provenance"],
    ),
];

/// Headers recognised but holding nothing to import (the running number).
const IGNORED: &[&str] = &["stt", "so thu tu", "tt"];

/// The fee wording column of this application's exports before fees were kept as written:
/// read into the fee, with the amount beside it.
const LEGACY_FEE_NOTE: &[&str] = &["fee note", "ghi chu phi le phi"];

/// The unit a bare number in the processing-time column stands for, as its header says
/// ("Thời hạn giải quyết (ngày làm việc)"; the old export key `processing_days`).
fn time_unit_of_header(cell: &str) -> Option<TimeUnit> {
    let key = header_key(cell);
    if key.contains("ngay lam viec") || key == "processing days" {
        Some(TimeUnit::WorkingDays)
    } else if key.ends_with(" gio") {
        Some(TimeUnit::Hours)
    } else if key.ends_with(" ngay") {
        Some(TimeUnit::Days)
    } else {
        None
    }
}

/// A header cell folded for matching: no diacritics, no punctuation, single spaces.
pub(super) fn header_key(cell: &str) -> String {
    let folded = fold(cell);
    let letters: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    letters.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a column holds, from its header cell.
pub fn recognise(cell: &str) -> Option<ProcedureField> {
    let key = header_key(cell);
    if key.is_empty() || IGNORED.contains(&key.as_str()) {
        return None;
    }
    ProcedureField::ALL
        .into_iter()
        .find(|field| key == field.key().replace('_', " ") || key == header_key(field.header_vi()))
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(_, spellings)| spellings.contains(&key.as_str()))
                .map(|(field, _)| *field)
        })
}

/// The header row of a table and the field of each column it recognised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Index into `RawTable::rows`.
    pub row_index: usize,
    /// Row number as the spreadsheet shows it.
    pub row_number: usize,
    /// (column index, field); the first column wins when two name the same field.
    pub columns: Vec<(usize, ProcedureField)>,
    /// The header is this application's own export (every field under its exact key): the
    /// cells are exact data, read as written rather than tidied like a typed list.
    pub exact: bool,
    /// Columns this application has no field for: (column index, header as written). Their
    /// values are kept with the procedure, under the header.
    pub unknown: Vec<(usize, String)>,
    /// The unit of a bare number in the processing-time column, when its header says.
    pub time_unit: Option<TimeUnit>,
    /// An old export's fee wording column.
    pub fee_note: Option<usize>,
    /// Columns that go on with a field's value too long for one cell (`dossier+2`): (column,
    /// field, piece), pieces in order.
    pub continuations: Vec<(usize, ProcedureField, usize)>,
}

impl Header {
    pub fn column_of(&self, field: ProcedureField) -> Option<usize> {
        self.columns
            .iter()
            .find(|(_, f)| *f == field)
            .map(|(column, _)| *column)
    }

    pub fn has(&self, field: ProcedureField) -> bool {
        self.column_of(field).is_some()
    }
}

/// `dossier+2`: the second piece of a field's value, as the data sheet writes it.
fn continuation(cell: &str) -> Option<(ProcedureField, usize)> {
    let (key, piece) = cell.trim().rsplit_once('+')?;
    let piece: usize = piece.parse().ok().filter(|p| *p >= 2)?;
    let field = ProcedureField::from_key(key)?;
    (crate::export::continuation_key(field, piece) == cell.trim()).then_some((field, piece))
}

/// The first of the leading rows that names both a code and a name column.
pub fn find_header(table: &RawTable) -> Option<Header> {
    table
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(row_index, row)| {
            let mut header = Header {
                row_index,
                row_number: row.number,
                columns: Vec::new(),
                exact: false,
                unknown: Vec::new(),
                time_unit: None,
                fee_note: None,
                continuations: Vec::new(),
            };
            for (column, cell) in row.cells.iter().enumerate() {
                if let Some((field, piece)) = continuation(cell) {
                    header.continuations.push((column, field, piece));
                    continue;
                }
                let key = header_key(cell);
                if key.is_empty() || IGNORED.contains(&key.as_str()) {
                    continue;
                }
                if LEGACY_FEE_NOTE.contains(&key.as_str()) && header.fee_note.is_none() {
                    header.fee_note = Some(column);
                    continue;
                }
                match recognise(cell) {
                    Some(field) if !header.has(field) => {
                        if field == ProcedureField::ProcessingTime {
                            header.time_unit = time_unit_of_header(cell);
                        }
                        header.columns.push((column, field));
                    }
                    // A second column of a field, or one this application does not know:
                    // kept under its header, never dropped.
                    _ => header.unknown.push((column, cell.trim().to_owned())),
                }
            }
            // Every field's key; a file exported before the provenance column existed is
            // this application's own too.
            let fields = header.columns.len();
            let complete = fields == ProcedureField::ALL.len()
                || (fields + 1 == ProcedureField::ALL.len()
                    && !header.has(ProcedureField::Provenance));
            header.exact = complete
                && header.unknown.is_empty()
                && header.fee_note.is_none()
                && row.cells.iter().all(|cell| {
                    cell.is_empty()
                        || cell == crate::export::NUMBER_COLUMN
                        || ProcedureField::from_key(cell).is_some()
                        || continuation(cell).is_some()
                });
            header
                .continuations
                .sort_by_key(|&(_, field, piece)| (field, piece));
            (header.has(ProcedureField::Code) && header.has(ProcedureField::Name)).then_some(header)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::RawRow;

    #[test]
    fn headers_match_ignoring_case_diacritics_and_punctuation() {
        assert_eq!(recognise("Mã số"), Some(ProcedureField::Code));
        assert_eq!(recognise("MÃ TTHC"), Some(ProcedureField::Code));
        assert_eq!(recognise("code"), Some(ProcedureField::Code));
        assert_eq!(recognise("Tên"), Some(ProcedureField::Name));
        assert_eq!(recognise("Cơ quan thực hiện"), Some(ProcedureField::Agency));
        assert_eq!(recognise("Cơ quan ban hành"), Some(ProcedureField::Issuer));
        assert_eq!(recognise("Lĩnh vực"), Some(ProcedureField::Field));
        assert_eq!(recognise("Cấp"), Some(ProcedureField::Level));
        assert_eq!(recognise("Mức độ DVC"), Some(ProcedureField::Tier));
        assert_eq!(recognise("Phí, lệ phí"), Some(ProcedureField::Fee));
        assert_eq!(
            recognise("processing_days"),
            Some(ProcedureField::ProcessingTime)
        );
        assert_eq!(recognise("STT"), None);
        assert_eq!(recognise("Ý kiến"), None);
    }

    #[test]
    fn every_export_header_is_read_back() {
        for field in ProcedureField::ALL {
            assert_eq!(
                recognise(field.header_vi()),
                Some(field),
                "{}",
                field.header_vi()
            );
            assert_eq!(recognise(field.key()), Some(field), "{}", field.key());
        }
    }

    #[test]
    fn an_export_from_before_the_provenance_column_is_still_exact_data() {
        let header = |keys: Vec<&str>| {
            let row = RawRow {
                number: 1,
                cells: keys.into_iter().map(str::to_owned).collect(),
            };
            find_header(&RawTable::new(None, vec![row])).unwrap().exact
        };
        let all: Vec<&str> = std::iter::once(crate::export::NUMBER_COLUMN)
            .chain(ProcedureField::ALL.iter().map(|f| f.key()))
            .collect();
        assert!(header(all.clone()));
        let without = |key: &str| all.iter().copied().filter(|k| *k != key).collect();
        assert!(header(without("provenance")));
        // Any other column missing: a list typed by someone, tidied as such.
        assert!(!header(without("notes")));
    }

    #[test]
    fn the_header_is_found_below_a_title() {
        let row = |number: usize, cells: &[&str]| RawRow {
            number,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        };
        let table = RawTable::new(
            None,
            vec![
                row(1, &["DANH SÁCH THỦ TỤC HÀNH CHÍNH"]),
                row(
                    2,
                    &[
                        "Mã số",
                        "Tên",
                        "Cơ quan ban hành",
                        "Cơ quan thực hiện",
                        "Lĩnh vực",
                    ],
                ),
                row(3, &["1.000001", "Cấp", "Bộ", "Sở", "Đất đai"]),
            ],
        );
        let header = find_header(&table).unwrap();
        assert_eq!(header.row_number, 2);
        assert_eq!(header.column_of(ProcedureField::Field), Some(4));
    }
}
