//! What an import says about a row, typed: why it is rejected, why it is left out, what the
//! officer should know. The CLI prints them in English (`Display`); the window says them in
//! its own language from the same values.

use std::fmt;

use crate::domain::fee::Uncertain;
use crate::domain::{FieldError, Level, ProcedureField};

/// Why a row cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    NoCode,
    /// The code holds a control character (shown escaped).
    ControlCharacter(String),
    NoName {
        code: String,
    },
    UnknownLevel {
        code: String,
        text: String,
    },
    /// The same code and level twice in one import.
    Twice {
        code: String,
        level: Level,
        first_file: String,
        first_row: usize,
        same_file: bool,
    },
    /// A value of a list this application wrote that does not read back.
    BadValue {
        code: String,
        error: FieldError,
    },
    UnknownTier {
        code: String,
        value: String,
    },
    /// Several levels of one row, each refused.
    Several(Vec<RowProblem>),
    NoDocumentNumber,
    DocumentTwice {
        number: String,
        first_file: String,
        first_row: usize,
    },
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::NoCode => f.write_str("no code (Mã số): every procedure needs its code"),
            RowProblem::ControlCharacter(code) => {
                write!(f, "{code}: the code holds a control character; retype it")
            }
            RowProblem::NoName { code } => {
                write!(f, "{code}: no name (Tên): every procedure needs its name")
            }
            RowProblem::UnknownLevel { code, text } => write!(
                f,
                "{code}: unknown level \"{text}\"; use tỉnh, huyện or xã (province, district, commune), or a list such as \"Cấp tỉnh, Cấp xã\""
            ),
            RowProblem::Twice {
                code,
                level,
                first_file,
                first_row,
                same_file,
            } => {
                let place = if *same_file {
                    format!("row {first_row}")
                } else {
                    format!("{first_file}, row {first_row}")
                };
                write!(
                    f,
                    "{code} at {level} level is already on {place} of this import; keep one of the two rows"
                )
            }
            RowProblem::BadValue { code, error } => write!(f, "{code}: {error}"),
            RowProblem::UnknownTier { code, value } => write!(
                f,
                "{code}: unknown tier \"{value}\"; use 1 to 4, \"Toàn trình\" or \"Một phần\""
            ),
            RowProblem::Several(problems) => {
                let parts: Vec<String> = problems.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join("; "))
            }
            RowProblem::NoDocumentNumber => f.write_str(
                "no document number (Số ký hiệu): every legal document needs its number",
            ),
            RowProblem::DocumentTwice {
                number,
                first_file,
                first_row,
            } => write!(
                f,
                "{number}: listed twice (first at {first_file}, row {first_row}); keep one row"
            ),
        }
    }
}

/// Why a row was left out because of its level; what the file said is in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    NoLevel,
    /// The agency's name does not tell a level.
    AgencyDoesNotTell(String),
    /// The level column says so (`Cấp bộ`, `Cơ quan khác` …).
    Column(String),
    /// The agency is not local government (a ministry, a central agency's branch …).
    NotLocal(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NoLevel => f.write_str("no level column and no agency to tell the level"),
            SkipReason::AgencyDoesNotTell(agency) => {
                write!(f, "the agency \"{agency}\" does not tell the level")
            }
            SkipReason::Column(said) => write!(f, "Cấp thực hiện: {said}"),
            SkipReason::NotLocal(agency) => {
                write!(f, "the agency \"{agency}\" is not local government")
            }
        }
    }
}

/// Something the officer should know about a row that was imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Columns with no field, kept with each procedure.
    KeptColumns(Vec<String>),
    /// The agency looks central, yet the row is filed at the level given for the import.
    CentralAtGivenLevel {
        code: String,
        agency: String,
    },
    TimeAsText {
        code: String,
        value: String,
    },
    FeeAsText {
        code: String,
        value: String,
        why: Uncertain,
    },
    /// A value that cannot go into its field, kept among the extra columns.
    ValueKeptAside {
        code: String,
        error: FieldError,
    },
    /// A legal document's date that cannot be read; the stored one is left as it was.
    DocumentDate {
        number: String,
        column: &'static str,
        text: String,
    },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let extra = ProcedureField::Extra.header_vi();
        match self {
            Notice::KeptColumns(columns) => write!(
                f,
                "columns this application has no field for, kept with each procedure under \"{extra}\": {}",
                columns.join(", ")
            ),
            Notice::CentralAtGivenLevel { code, agency } => write!(
                f,
                "{code}: the agency \"{agency}\" looks central, yet it is filed at the level given for the import"
            ),
            Notice::TimeAsText { code, value } => write!(
                f,
                "{code}: processing time \"{value}\" has no amount and unit that can be read for sure; kept as written"
            ),
            Notice::FeeAsText { code, value, why } => write!(
                f,
                "{code}: fee \"{value}\": {}; kept as written, no amount",
                why.explain_en()
            ),
            Notice::ValueKeptAside { code, error } => {
                write!(f, "{code}: {error}; kept under \"{extra}\"")
            }
            Notice::DocumentDate {
                number,
                column,
                text,
            } => write!(
                f,
                "{number}: {column} \"{text}\" is not a date (write 30/06/2017); left as it was"
            ),
        }
    }
}

/// For `#[serde(serialize_with)]`: a typed note as its English text, as the JSON output
/// has always given it.
pub fn as_text<T: fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}
