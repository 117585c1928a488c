//! What an import would do, row by row: nothing is written until the plan is applied.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::domain::government::SourceLevel;
use crate::domain::{LegalDocument, Level, ProcedureData, ProcedureField};

use super::notes::{Notice, RowProblem, SkipReason};

/// Rows whose level the file names but a provincial catalogue does not hold, or does not
/// name at all: each group goes where the officer says, by default nowhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelGroup {
    /// "Cấp bộ" only, or an agency of a ministry: a central procedure.
    Central,
    /// "Cơ quan khác" only.
    Other,
    /// Neither a level column nor an agency that tells.
    Unknown,
}

impl LevelGroup {
    pub const ALL: [LevelGroup; 3] = [LevelGroup::Central, LevelGroup::Other, LevelGroup::Unknown];

    pub fn key(self) -> &'static str {
        match self {
            LevelGroup::Central => "central",
            LevelGroup::Other => "other",
            LevelGroup::Unknown => "unknown",
        }
    }

    /// The group of a row's source levels that name no local level.
    pub(super) fn of(levels: &BTreeSet<SourceLevel>) -> LevelGroup {
        if levels.contains(&SourceLevel::Central) {
            LevelGroup::Central
        } else if levels.contains(&SourceLevel::Other) {
            LevelGroup::Other
        } else {
            LevelGroup::Unknown
        }
    }
}

/// What an entry whose code already stands at another level becomes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherLevel {
    /// Held back until the officer decides.
    #[default]
    Ask,
    /// A second entry of the code, at the new level.
    AddSecond,
    /// The existing entry moves to the new level (and takes the row's values).
    Move,
    /// The row is left out.
    Skip,
}

/// Where a row's level came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LevelSource {
    /// The file's level column.
    #[default]
    Column,
    /// The level given for the whole import (`--level`).
    Option,
    /// Inferred from the agency's name.
    Inferred,
    /// Chosen for this row by the officer.
    Chosen,
    /// The section heading above the row ("THỦ TỤC HÀNH CHÍNH CẤP XÃ").
    Section,
    /// The level the officer set for a whole group (central, other, unknown).
    Group,
}

impl LevelSource {
    /// Whether the officer may change it: the file itself did not say.
    pub fn changeable(self) -> bool {
        !matches!(self, LevelSource::Column | LevelSource::Section)
    }
}

/// A row that cannot be a procedure, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    pub file: String,
    pub row: usize,
    #[serde(rename = "reason", serialize_with = "super::notes::as_text")]
    pub problem: RowProblem,
}

/// Something the officer should know about a row: a value kept as text, a column kept
/// aside, an agency that looks central under an imposed level.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub file: String,
    pub row: usize,
    #[serde(rename = "message", serialize_with = "super::notes::as_text")]
    pub notice: Notice,
}

/// One file of an import: where its header was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedFile {
    pub path: PathBuf,
    pub sheet: Option<String>,
    pub header_row: usize,
    /// Recognised columns, in file order (none for a legal-document list).
    pub columns: Vec<ProcedureField>,
    /// Headers of the columns this application has no field for: their values are kept.
    pub kept_columns: Vec<String>,
    /// A list of legal documents rather than of procedures.
    pub document_list: bool,
    pub rows_read: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedAdd {
    pub file: String,
    pub row: usize,
    pub data: ProcedureData,
    pub level_source: LevelSource,
}

/// A field that changes, with its old and new value as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldUpdate {
    pub field: ProcedureField,
    pub old: String,
    pub new: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedUpdate {
    pub file: String,
    pub row: usize,
    pub procedure_id: i64,
    /// The entry as stored when planned: the write checks nothing changed it meanwhile.
    pub base: ProcedureData,
    pub data: ProcedureData,
    pub changes: Vec<FieldUpdate>,
    pub level_source: LevelSource,
}

impl PlannedUpdate {
    pub fn fields(&self) -> impl Iterator<Item = ProcedureField> + '_ {
        self.changes.iter().map(|c| c.field)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRetire {
    pub procedure_id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
}

/// A row left out because of its level: central, another body's, or unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedRow {
    pub file: String,
    pub row: usize,
    pub code: String,
    pub name: String,
    pub group: LevelGroup,
    /// What the file said: "Cấp bộ", the agency …
    pub reason: SkipReason,
}

/// An entry moved to another level: as it was read, and as the move leaves it.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    pub base: ProcedureData,
    pub moved: ProcedureData,
}

/// A row whose code already stands in the catalogue at another level.
#[derive(Clone, Debug, PartialEq)]
pub struct OtherLevelRow {
    pub file: String,
    pub row: usize,
    pub level: Level,
    /// The entry as a second level would be: the row's values alone.
    pub data: ProcedureData,
    /// The entry as a move would leave it: the one entry of the code at another level,
    /// with the row's values over it at the new level. None when the code stands at
    /// several other levels: a move would not know which to move.
    pub moved: Option<Move>,
    /// The entries of the code at other levels: (level, procedure id).
    pub existing: Vec<(Level, i64)>,
    pub choice: OtherLevel,
}

/// Where the level of each row came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LevelSources {
    pub from_column: usize,
    pub from_option: usize,
    pub inferred: usize,
    pub chosen: usize,
    pub from_section: usize,
    pub from_group: usize,
}

/// What an import would do, row by row; nothing is written until it is applied.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    pub files: Vec<ImportedFile>,
    /// Rows with content, headings and document rows included.
    pub rows_read: usize,
    pub added: Vec<PlannedAdd>,
    pub updated: Vec<PlannedUpdate>,
    /// (file, row) of entries identical to the stored one.
    pub unchanged: Vec<(String, usize)>,
    pub rejected: Vec<Rejection>,
    /// Rows left out by level: central, another body's, or (unless chosen) unknown.
    pub skipped: Vec<SkippedRow>,
    /// Rows whose level the file does not tell and no choice gave: held until one does.
    pub level_unknown: Vec<SkippedRow>,
    /// Rows whose code stands at another level: written as their choice says.
    pub other_level: Vec<OtherLevelRow>,
    /// Section rows of a list laid out as an annex (level and field headings): (file, row).
    pub sections: Vec<(String, usize)>,
    pub retired: Vec<PlannedRetire>,
    pub warnings: Vec<Warning>,
    pub levels: LevelSources,
    /// Legal documents: new ones (from document lists, or cited by procedures), changed
    /// ones, and how many rows of document lists changed nothing.
    pub documents_added: Vec<LegalDocument>,
    pub documents_updated: Vec<LegalDocument>,
    pub documents_unchanged: usize,
    /// Rows of document lists read.
    pub document_rows: usize,
    pub options: super::ImportOptions,
    /// Every row of a procedure list that the plan accounts for: (the list's place among
    /// the procedure lists planned, row number).
    pub(super) accounted: BTreeSet<(usize, usize)>,
    /// New entries already handed to the writer of a new catalogue, by level (they are not
    /// in `added`: see [`super::import_into_new`]).
    pub(super) written: BTreeMap<Level, usize>,
}

impl ImportPlan {
    pub(super) fn new(options: super::ImportOptions) -> ImportPlan {
        ImportPlan {
            files: Vec::new(),
            rows_read: 0,
            added: Vec::new(),
            updated: Vec::new(),
            unchanged: Vec::new(),
            rejected: Vec::new(),
            skipped: Vec::new(),
            level_unknown: Vec::new(),
            other_level: Vec::new(),
            sections: Vec::new(),
            retired: Vec::new(),
            warnings: Vec::new(),
            levels: LevelSources::default(),
            documents_added: Vec::new(),
            documents_updated: Vec::new(),
            documents_unchanged: 0,
            document_rows: 0,
            options,
            accounted: BTreeSet::new(),
            written: BTreeMap::new(),
        }
    }

    /// Rows read that the plan says something of: added, updated, unchanged, rejected,
    /// skipped, held, headings and document rows. Equal to `rows_read` for every import.
    pub fn accounted_rows(&self) -> usize {
        self.accounted.len() + self.document_rows
    }

    /// New entries the plan adds (a row naming two levels adds two), with those already
    /// written into a new catalogue.
    pub fn added_count(&self) -> usize {
        self.added.len() + self.written.values().sum::<usize>()
    }

    /// Entries the plan adds, by level (a row naming two levels adds two).
    pub fn added_by_level(&self) -> BTreeMap<Level, usize> {
        let mut counts = self.written.clone();
        for add in &self.added {
            *counts.entry(add.data.level_or_province()).or_default() += 1;
        }
        for row in &self.other_level {
            if matches!(row.choice, OtherLevel::AddSecond) {
                *counts.entry(row.level).or_default() += 1;
            }
        }
        counts
    }

    /// Skipped rows by group.
    pub fn skipped_by_group(&self) -> BTreeMap<LevelGroup, usize> {
        let mut counts = BTreeMap::new();
        for row in &self.skipped {
            *counts.entry(row.group).or_default() += 1;
        }
        counts
    }

    /// Rows of another level the officer has not decided on yet.
    pub fn undecided(&self) -> usize {
        self.other_level
            .iter()
            .filter(|row| row.choice == OtherLevel::Ask)
            .count()
    }

    /// Whether the plan may be written: rejected rows and rows of unknown level are either
    /// none or to be skipped.
    pub fn writable(&self) -> bool {
        (self.rejected.is_empty() && self.level_unknown.is_empty()) || self.options.skip_invalid
    }
}
