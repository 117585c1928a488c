//! Import of procedure lists (the national database's Excel export, officers' CSV files,
//! this application's own exports). First a plan — what would be added, updated, left
//! unchanged or rejected, row by row — then, if the user goes on, one transaction.

mod columns;
mod documents;
mod sections;
mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use columns::{Header, find_header, recognise};
pub use documents::{DocumentHeader, find_document_header};
pub use sections::{SectionHeading, section_heading};
pub use table::{FileKind, RawRow, RawTable, display_name, read_tables};

use crate::domain::{LegalDocument, Level, ProcedureData, ProcedureField};
use crate::progress::{Phase, Progress};
use crate::store::{AppliedBatch, Catalogue, Change, StoreError, now_rfc3339};
use crate::text::clean_cell;

/// What can stop an import. Messages say what, where, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: cannot import this kind of file. Give a .csv or .xlsx file", .0.display())]
    UnsupportedFile(PathBuf),
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}, line {line}: the text is not UTF-8. In Excel, save it as \"CSV UTF-8 (Comma delimited)\"",
        path.display()
    )]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("{}, line {line}: not a readable CSV file ({detail})", path.display())]
    Csv {
        path: PathBuf,
        line: usize,
        detail: String,
    },
    #[error(
        "{}: not a readable Excel workbook ({detail}). Open it in Excel and save it again as .xlsx",
        path.display()
    )]
    Xlsx { path: PathBuf, detail: String },
    #[error(
        "{}: no header row in the first 10 rows. A procedure list needs a code column (\"Mã số\" or \"Mã TTHC\") and a name column (\"Tên\" or \"Tên TTHC\"); a legal-document list needs \"Số ký hiệu\" and \"Trích yếu\"",
        .0.display()
    )]
    NoHeader(PathBuf),
    #[error("{}", rejected_message(.0))]
    Rejected(Vec<Rejection>),
    #[error("the import was stopped before it was written; the catalogue is unchanged")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn rejected_message(rejected: &[Rejection]) -> String {
    const SHOWN: usize = 10;
    let mut message = format!(
        "{} row(s) cannot be imported, so nothing was imported. Correct them, or import the other rows with --skip-invalid:",
        rejected.len()
    );
    for rejection in rejected.iter().take(SHOWN) {
        message.push_str(&format!(
            "\n  {}, row {}: {}",
            rejection.file, rejection.row, rejection.reason
        ));
    }
    if rejected.len() > SHOWN {
        message.push_str(&format!("\n  … and {} more", rejected.len() - SHOWN));
    }
    message
}

/// How to import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The level of every row of a file with no level column.
    pub level: Option<Level>,
    /// The working copy becomes exactly the imported set: entries not in it are retired.
    pub replace: bool,
    /// Import the good rows of a file with rejected rows.
    pub skip_invalid: bool,
    /// Levels the officer chose for single rows of a file with no level column, by
    /// (file name, row number); they win over `level` and over inference.
    pub level_overrides: BTreeMap<(String, usize), Level>,
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
    pub reason: String,
}

/// A value kept as text because it could not be read into its field.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub file: String,
    pub row: usize,
    pub message: String,
}

/// One file of an import: where its header was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedFile {
    pub path: PathBuf,
    pub sheet: Option<String>,
    pub header_row: usize,
    /// Recognised columns, in file order (none for a legal-document list).
    pub columns: Vec<ProcedureField>,
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

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedUpdate {
    pub file: String,
    pub row: usize,
    pub procedure_id: i64,
    pub data: ProcedureData,
    pub fields: Vec<ProcedureField>,
    pub level_source: LevelSource,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRetire {
    pub procedure_id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
}

/// Where the level of each row came from, when the file has no level column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LevelSources {
    pub from_column: usize,
    pub from_option: usize,
    pub inferred: usize,
    pub chosen: usize,
    pub from_section: usize,
}

/// What an import would do, row by row; nothing is written until [`apply_import`].
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    pub files: Vec<ImportedFile>,
    pub rows_read: usize,
    pub added: Vec<PlannedAdd>,
    pub updated: Vec<PlannedUpdate>,
    /// (file, row) of rows identical to the stored entry.
    pub unchanged: Vec<(String, usize)>,
    pub rejected: Vec<Rejection>,
    /// Section rows of a list laid out as an annex (level and field headings): (file, row).
    pub sections: Vec<(String, usize)>,
    pub retired: Vec<PlannedRetire>,
    pub warnings: Vec<Warning>,
    pub levels: LevelSources,
    /// Legal documents from document lists: new ones, changed ones, and how many were unchanged.
    pub documents_added: Vec<LegalDocument>,
    pub documents_updated: Vec<LegalDocument>,
    pub documents_unchanged: usize,
    pub options: ImportOptions,
}

impl ImportPlan {
    /// Every row read is added, updated, unchanged or rejected.
    pub fn accounted_rows(&self) -> usize {
        self.added.len()
            + self.updated.len()
            + self.unchanged.len()
            + self.rejected.len()
            + self.sections.len()
            + self.documents_added.len()
            + self.documents_updated.len()
            + self.documents_unchanged
    }
}

/// Reads the files and plans one import of all of them against the working copy. The same
/// code + level twice, in one file or across files, is rejected: one import, one set.
pub fn plan_import(
    catalogue: &Catalogue,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportPlan, ImportError> {
    plan_import_with_progress(catalogue, paths, options, &Progress::default())
}

/// [`plan_import`], telling `progress` how far it has come (files read, then rows planned)
/// and stopping when it is cancelled.
pub fn plan_import_with_progress(
    catalogue: &Catalogue,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: &Progress,
) -> Result<ImportPlan, ImportError> {
    progress.begin(Phase::ReadingFiles, paths.len());
    // Every file is read first, so that the rows to plan are known for the progress bar.
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        files.push((path, read_tables(path)?));
        progress.advance(1);
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled);
        }
    }
    progress.begin(
        Phase::Planning,
        files
            .iter()
            .flat_map(|(_, tables)| tables)
            .map(|table| table.rows.len())
            .sum(),
    );
    let existing: HashMap<(String, Level), (i64, ProcedureData)> = catalogue
        .procedures()?
        .into_iter()
        .map(|p| {
            let key = (p.data.code.clone(), p.data.level_or_province());
            (key, (p.procedure_id, p.data))
        })
        .collect();
    let mut planner = Planner {
        plan: ImportPlan {
            files: Vec::new(),
            rows_read: 0,
            added: Vec::new(),
            updated: Vec::new(),
            unchanged: Vec::new(),
            rejected: Vec::new(),
            sections: Vec::new(),
            retired: Vec::new(),
            warnings: Vec::new(),
            levels: LevelSources::default(),
            documents_added: Vec::new(),
            documents_updated: Vec::new(),
            documents_unchanged: 0,
            options: options.clone(),
        },
        existing: &existing,
        first_row_of: HashMap::new(),
        progress,
        fields: existing
            .values()
            .map(|(_, data)| (crate::text::fold(&data.field), data.field.clone()))
            .collect(),
        heading: (None, None),
    };
    let stored_documents: HashMap<String, LegalDocument> = catalogue
        .legal_documents()?
        .into_iter()
        .map(|d| (d.number.clone(), d))
        .collect();
    let mut documents_seen = HashMap::new();
    let mut rows_done = 0;
    for (path, tables) in files {
        // Rows of the files before; the planner counts this file's rows one by one.
        progress.set_done(rows_done);
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled);
        }
        rows_done += tables.iter().map(|table| table.rows.len()).sum::<usize>();
        // A workbook may hold several sheets (our own export: the published list, then every
        // field): take the sheet whose header names the most columns.
        let procedures = tables
            .iter()
            .filter_map(|table| find_header(table).map(|header| (table, header)))
            .max_by_key(|(_, header)| (header.columns.len(), std::cmp::Reverse(header.row_index)));
        let procedure_sheet = procedures.as_ref().map(|(table, _)| table.sheet.clone());
        if let Some((table, header)) = procedures {
            planner.plan_table(path, table, &header);
        }

        // Document lists: a file of their own, or a sheet beside the procedures (our export
        // writes the cited legal documents on a third sheet).
        let document_tables: Vec<(&RawTable, DocumentHeader)> = tables
            .iter()
            .filter(|table| procedure_sheet.as_ref() != Some(&table.sheet))
            .filter_map(|table| find_document_header(table).map(|header| (table, header)))
            .collect();
        if procedure_sheet.is_none() && document_tables.is_empty() {
            return Err(ImportError::NoHeader(path.to_owned()));
        }
        for (table, header) in document_tables {
            let read = documents::read_documents(
                &display_name(path),
                table,
                &header,
                &stored_documents,
                &mut documents_seen,
            );
            let plan = &mut planner.plan;
            plan.rows_read += read.rows_read;
            plan.rejected.extend(read.rejected);
            plan.warnings.extend(read.warnings);
            for document in read.documents {
                match stored_documents.get(&document.number) {
                    None => plan.documents_added.push(document),
                    Some(stored) if *stored != document => plan.documents_updated.push(document),
                    Some(_) => plan.documents_unchanged += 1,
                }
            }
            plan.files.push(ImportedFile {
                path: path.to_owned(),
                sheet: table.sheet.clone(),
                header_row: header.row_number,
                columns: Vec::new(),
                document_list: true,
                rows_read: read.rows_read,
            });
        }
    }
    progress.set_done(rows_done);
    if progress.is_cancelled() {
        return Err(ImportError::Cancelled);
    }
    let Planner {
        mut plan,
        first_row_of,
        ..
    } = planner;
    if options.replace {
        let mut retired: Vec<PlannedRetire> = existing
            .iter()
            .filter(|(key, _)| !first_row_of.contains_key(*key))
            .map(|((code, level), (procedure_id, data))| PlannedRetire {
                procedure_id: *procedure_id,
                code: code.clone(),
                level: *level,
                name: data.name.clone(),
            })
            .collect();
        retired.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));
        plan.retired = retired;
    }
    Ok(plan)
}

struct Planner<'a> {
    plan: ImportPlan,
    existing: &'a HashMap<(String, Level), (i64, ProcedureData)>,
    /// Where each code + level was first seen in this import: (file, row).
    first_row_of: HashMap<(String, Level), (String, usize)>,
    progress: &'a Progress,
    /// The catalogue's fields by their folded spelling: a heading "LĨNH VỰC HỘ TỊCH" means
    /// the stored "Hộ tịch".
    fields: HashMap<String, String>,
    /// The level and field headings above the current row.
    heading: (Option<Level>, Option<String>),
}

impl Planner<'_> {
    /// Takes a section row's heading; false for a row that is not one.
    fn take_heading(&mut self, row: &RawRow, header: &Header) -> bool {
        let code = header
            .column_of(ProcedureField::Code)
            .and_then(|c| row.cells.get(c))
            .map_or("", |c| c.trim());
        let mut texts = row.cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
        let (Some(text), None) = (texts.next(), texts.next()) else {
            return false;
        };
        if !code.is_empty() && code != text {
            return false;
        }
        match section_heading(text) {
            Some(SectionHeading::Level(level)) => self.heading = (Some(level), None),
            Some(SectionHeading::Field(field)) => {
                let stored = self.fields.get(&crate::text::fold(&field)).cloned();
                self.heading.1 = Some(stored.unwrap_or(field));
            }
            None => return false,
        }
        true
    }

    fn plan_table(&mut self, path: &Path, table: &RawTable, header: &Header) {
        let file = display_name(path);
        let rows_before = self.plan.rows_read;
        self.heading = (None, None);
        for row in &table.rows[header.row_index + 1..] {
            self.progress.advance(1);
            if row.cells.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            self.plan.rows_read += 1;
            if self.take_heading(row, header) {
                self.plan.sections.push((file.clone(), row.number));
                continue;
            }
            if let Err(reason) = self.plan_row(&file, row, header, table.sheet.is_none()) {
                self.plan.rejected.push(Rejection {
                    file: file.clone(),
                    row: row.number,
                    reason,
                });
            }
        }
        self.plan.files.push(ImportedFile {
            path: path.to_owned(),
            sheet: table.sheet.clone(),
            header_row: header.row_number,
            columns: header.columns.iter().map(|(_, field)| *field).collect(),
            document_list: false,
            rows_read: self.plan.rows_read - rows_before,
        });
    }

    /// Plans one row; `Err` is the reason it is rejected.
    fn plan_row(
        &mut self,
        file: &str,
        row: &RawRow,
        header: &Header,
        csv: bool,
    ) -> Result<(), String> {
        let read = |column: usize| {
            read_cell(
                row.cells.get(column).map_or("", String::as_str),
                header,
                csv,
            )
        };
        let cell = |field: ProcedureField| -> String {
            header.column_of(field).map(read).unwrap_or_default()
        };
        let code = cell(ProcedureField::Code);
        let name = cell(ProcedureField::Name);
        if code.is_empty() {
            return Err("no code (Mã số): every procedure needs its code".into());
        }
        if name.is_empty() {
            return Err(format!(
                "{code}: no name (Tên): every procedure needs its name"
            ));
        }
        let level_text = cell(ProcedureField::Level);
        let chosen = self
            .plan
            .options
            .level_overrides
            .get(&(file.to_owned(), row.number))
            .copied();
        let (level, level_source) = if let Some(level) = chosen.filter(|_| level_text.is_empty()) {
            self.plan.levels.chosen += 1;
            (level, LevelSource::Chosen)
        } else if !level_text.is_empty() {
            let level = Level::parse(&level_text).ok_or_else(|| {
                format!(
                    "{code}: unknown level \"{level_text}\"; use tỉnh, huyện or xã (province, district, commune)"
                )
            })?;
            self.plan.levels.from_column += 1;
            (level, LevelSource::Column)
        } else if let Some(level) = self.heading.0 {
            self.plan.levels.from_section += 1;
            (level, LevelSource::Section)
        } else if let Some(level) = self.plan.options.level {
            self.plan.levels.from_option += 1;
            (level, LevelSource::Option)
        } else {
            self.plan.levels.inferred += 1;
            (
                Level::infer_from_agency(&cell(ProcedureField::Agency)),
                LevelSource::Inferred,
            )
        };
        let key = (code.clone(), level);
        if let Some((first_file, first_row)) = self.first_row_of.get(&key) {
            let place = if first_file == file {
                format!("row {first_row}")
            } else {
                format!("{first_file}, row {first_row}")
            };
            return Err(format!(
                "{code} at {level} level is already on {place} of this import; keep one of the two rows"
            ));
        }

        // Start from the stored entry so that columns the file lacks keep their values.
        let stored = self.existing.get(&key);
        let mut data = stored.map(|(_, data)| data.clone()).unwrap_or_default();
        let mut warnings = Vec::new();
        for &(column, field) in &header.columns {
            if field == ProcedureField::Level {
                continue;
            }
            let value = read(column);
            let set = if header.exact {
                field.set_exact(&mut data, &value)
            } else {
                field.set_from_text(&mut data, &value)
            };
            if let Err(error) = set {
                if field == ProcedureField::Tier {
                    return Err(format!(
                        "{code}: unknown tier \"{value}\"; use 1 to 4, \"Toàn trình\" or \"Một phần\""
                    ));
                }
                // Nothing is lost: the unreadable value is kept in the notes.
                warnings.push(format!("{code}: {error}; kept in the notes"));
                let kept = format!("{}: {value}", field.header_vi());
                if !data.notes.contains(&kept) {
                    data.notes = if data.notes.is_empty() {
                        kept
                    } else {
                        format!("{}\n{kept}", data.notes)
                    };
                }
            }
        }
        data.level = Some(level);
        if let Some(field) = &self.heading.1
            && !header.has(ProcedureField::Field)
        {
            data.field = field.clone();
        }
        self.plan
            .warnings
            .extend(warnings.into_iter().map(|message| Warning {
                file: file.to_owned(),
                row: row.number,
                message,
            }));
        self.first_row_of.insert(key, (file.to_owned(), row.number));
        match stored {
            None => self.plan.added.push(PlannedAdd {
                file: file.to_owned(),
                row: row.number,
                data,
                level_source,
            }),
            Some((procedure_id, old)) => {
                let fields = ProcedureField::changed_between(old, &data);
                if fields.is_empty() {
                    self.plan.unchanged.push((file.to_owned(), row.number));
                } else {
                    self.plan.updated.push(PlannedUpdate {
                        file: file.to_owned(),
                        row: row.number,
                        procedure_id: *procedure_id,
                        data,
                        fields,
                        level_source,
                    });
                }
            }
        }
        Ok(())
    }
}

/// A cell as the planner reads it. A typed list is tidied (spaces, Unicode form); our own
/// export is exact data, read as written, less the CSV's formula guard.
fn read_cell(raw: &str, header: &Header, csv: bool) -> String {
    if !header.exact {
        clean_cell(raw)
    } else if csv {
        crate::export::guard::restore(raw).into_owned()
    } else {
        raw.to_owned()
    }
}

/// Writes a plan in one transaction. A plan with rejected rows writes nothing unless
/// the user chose to skip them.
pub fn apply_import(
    catalogue: &mut Catalogue,
    plan: &ImportPlan,
) -> Result<AppliedBatch, ImportError> {
    apply_import_with_progress(catalogue, plan, &Progress::default())
}

/// The changes an applied plan writes: what `written` counts up to.
pub fn planned_changes(plan: &ImportPlan) -> usize {
    plan.added.len() + plan.updated.len() + plan.retired.len()
}

/// [`apply_import`], counting in `progress` the changes written so far; cancelled, it
/// rolls back and writes nothing.
pub fn apply_import_with_progress(
    catalogue: &mut Catalogue,
    plan: &ImportPlan,
    progress: &Progress,
) -> Result<AppliedBatch, ImportError> {
    if !plan.rejected.is_empty() && !plan.options.skip_invalid {
        return Err(ImportError::Rejected(plan.rejected.clone()));
    }
    let file_name = plan
        .files
        .iter()
        .map(|file| display_name(&file.path))
        .collect::<Vec<_>>()
        .join(", ");
    let mut changes: Vec<Change> = Vec::with_capacity(plan.added.len() + plan.updated.len());
    changes.extend(
        plan.added
            .iter()
            .map(|add| Change::Create(add.data.clone())),
    );
    changes.extend(plan.updated.iter().map(|update| Change::Update {
        procedure_id: update.procedure_id,
        data: update.data.clone(),
    }));
    changes.extend(plan.retired.iter().map(|retire| Change::Retire {
        procedure_id: retire.procedure_id,
        reason: format!("not in the imported list {file_name}"),
        decision_number: String::new(),
    }));
    let documents: Vec<LegalDocument> = plan
        .documents_added
        .iter()
        .chain(&plan.documents_updated)
        .cloned()
        .collect();
    progress.begin(Phase::Writing, changes.len());
    match catalogue.apply_import_batch(
        &format!("import {file_name}"),
        &changes,
        &documents,
        &now_rfc3339(),
        progress,
    ) {
        Err(StoreError::Cancelled) => Err(ImportError::Cancelled),
        other => Ok(other?),
    }
}
