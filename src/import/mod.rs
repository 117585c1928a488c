//! Import of procedure lists (the national database's Excel export, officers' CSV files,
//! this application's own exports). First a plan — what would be added, updated, left
//! unchanged or rejected, row by row — then, if the user goes on, one transaction.

mod columns;
mod documents;
pub mod notes;
mod plan;
mod rows;
mod sections;
mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use columns::{Header, find_header, recognise};
pub use documents::{DocumentHeader, find_document_header};
pub use plan::{
    FieldUpdate, ImportPlan, ImportedFile, LevelGroup, LevelSource, LevelSources, Move, OtherLevel,
    OtherLevelRow, PlannedAdd, PlannedRetire, PlannedUpdate, Rejection, SkippedRow, Warning,
};
pub use sections::{SectionHeading, section_heading};
pub use table::{
    FileKind, RawRow, RawTable, check_input, display_name, read_tables, read_tables_from,
};

use crate::domain::{LegalDocument, Level};
use crate::progress::{Phase, Progress};
use crate::store::{AppliedBatch, Catalogue, Change, StoreError, now_rfc3339};

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
        "{}, sheet \"{sheet}\", cell {cell}: a value beyond the first 1,024 columns, where no procedure list has any. Delete it in Excel and save again",
        path.display()
    )]
    FarCell {
        path: PathBuf,
        sheet: String,
        cell: String,
    },
    #[error(
        "{}, line {line}: a quoted cell opened here is never closed, so every row after it would be read into that cell. Close the quote (\") and save again",
        path.display()
    )]
    UnclosedQuote { path: PathBuf, line: usize },
    #[error("{}: no such file to import. Check the path", .0.display())]
    InputNotFound(PathBuf),
    #[error("{}: a folder, not a list. Give the path of a .csv or .xlsx file", .0.display())]
    InputIsDirectory(PathBuf),
    #[error(
        "{}: not a regular file (a device, a pipe or a broken link). Give the path of a .csv or .xlsx file",
        .0.display()
    )]
    InputNotAFile(PathBuf),
    #[error(
        "{}: no header row in the first 10 rows. A procedure list needs a code column (\"Mã số\" or \"Mã TTHC\") and a name column (\"Tên\" or \"Tên TTHC\"); a legal-document list needs \"Số ký hiệu\" and \"Trích yếu\"",
        .0.display()
    )]
    NoHeader(PathBuf),
    #[error("{}", rejected_message(.0))]
    Rejected(Vec<Rejection>),
    #[error("{}", unknown_level_message(.0))]
    LevelUnknown(Vec<SkippedRow>),
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
            rejection.file, rejection.row, rejection.problem
        ));
    }
    if rejected.len() > SHOWN {
        message.push_str(&format!("\n  … and {} more", rejected.len() - SHOWN));
    }
    message
}

fn unknown_level_message(rows: &[SkippedRow]) -> String {
    const SHOWN: usize = 10;
    let mut message = format!(
        "{} row(s) do not say their level (no level column, and no agency that tells), so nothing was imported. Give the level with --level, or import the other rows with --skip-invalid:",
        rows.len()
    );
    for row in rows.iter().take(SHOWN) {
        message.push_str(&format!(
            "\n  {}, row {}: {} {}",
            row.file, row.row, row.code, row.reason
        ));
    }
    if rows.len() > SHOWN {
        message.push_str(&format!("\n  … and {} more", rows.len() - SHOWN));
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
    /// Import the good rows of a file with rejected rows (or rows of unknown level).
    pub skip_invalid: bool,
    /// Levels the officer chose for single rows of a file with no level column, by
    /// (file name, row number); they win over `level` and over inference.
    pub level_overrides: BTreeMap<(String, usize), Level>,
    /// A level for every row of a group (central, other bodies, unknown); a group not here
    /// is left out (central, other) or held until a level is given (unknown).
    pub group_levels: BTreeMap<LevelGroup, Level>,
    /// What a row whose code stands at another level becomes, unless chosen for the row.
    pub other_level: OtherLevel,
    /// Choices for single such rows, by (file name, row number, level of the row).
    pub other_level_rows: BTreeMap<(String, usize, Level), OtherLevel>,
    /// An empty cell clears the stored value (by default it leaves it as it is).
    pub clear_empty: bool,
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
    let files = read_files(paths, progress)?;
    plan_tables(catalogue, files, options, progress)
}

/// Reads every file to import (with a CSV list's documents beside it), telling `progress`.
/// A CSV file's rows after its first ten are read on another core as they are planned.
fn read_files(
    paths: &[PathBuf],
    progress: &Progress,
) -> Result<Vec<(PathBuf, Vec<RawTable>)>, ImportError> {
    progress.begin(Phase::ReadingFiles, paths.len());
    // Every file is read first, so that the rows to plan are known for the progress bar.
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let mut tables = read_tables(path)?;
        tables.extend(read_documents_sidecar(path, paths)?);
        files.push((path.clone(), tables));
        progress.advance(1);
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled);
        }
    }
    Ok(files)
}

/// Imports lists into a new, empty catalogue (one being built: [`Catalogue::create_staged`])
/// in one transaction, each new entry written on another core while the rows after it are
/// still read and planned: a national list's entries are never all in memory, and reading,
/// planning and writing take the time of the slowest, not of all three. The plan comes
/// back for its report (its new entries are counted in [`ImportPlan::added_count`], not
/// kept in `added`). Nothing is written when the plan would not be applied (rejected rows,
/// rows of unknown level, without `skip_invalid`); the error says why. Into a catalogue
/// that holds entries already, the plan is made first and then written.
pub fn import_into_new(
    catalogue: &mut Catalogue,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: &Progress,
) -> Result<(ImportPlan, AppliedBatch), ImportError> {
    if catalogue.stats()?.total > 0 {
        let plan = plan_import_with_progress(catalogue, paths, options, progress)?;
        let applied = apply_import_with_progress(catalogue, &plan, progress)?;
        return Ok((plan, applied));
    }
    let files = read_files(paths, progress)?;
    let known = Known::read(catalogue)?;
    let (writer, arrivals) = std::sync::mpsc::sync_channel(4);
    let made_at = now_rfc3339();
    std::thread::scope(|scope| {
        let writing =
            scope.spawn(|| catalogue.write_arriving(arrivals, &made_at, &Progress::default()));
        let planned = plan_known(&known, files, options, progress, Some(writer.clone()))
            .and_then(|plan| refuse_unless_whole(&plan).map(|()| plan));
        if let Ok(plan) = &planned {
            // A writer that has stopped says why below.
            let _ = writer.send(crate::store::Arrival::Commit {
                summary: batch_summary(plan),
                documents: plan
                    .documents_added
                    .iter()
                    .chain(&plan.documents_updated)
                    .cloned()
                    .collect(),
            });
        }
        // Without the word to commit, the writer rolls back.
        drop(writer);
        let written = writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let plan = planned?;
        match written {
            Err(StoreError::Cancelled) => Err(ImportError::Cancelled),
            other => Ok((plan, other?)),
        }
    })
}

/// What the catalogue holds that a plan compares with.
struct Known {
    /// The working copy's entries by code + level.
    existing: rows::Stored,
    documents: HashMap<String, LegalDocument>,
}

impl Known {
    fn read(catalogue: &Catalogue) -> Result<Known, ImportError> {
        Ok(Known {
            existing: catalogue
                .procedures()?
                .into_iter()
                .map(|p| {
                    let key = (p.data.code.clone(), p.data.level_or_province());
                    (key, (p.procedure_id, p.data))
                })
                .collect(),
            documents: catalogue
                .legal_documents()?
                .into_iter()
                .map(|d| (d.number.clone(), d))
                .collect(),
        })
    }
}

/// The legal documents exported beside a CSV list (`list.documents.csv`), read with it as
/// the workbook's document sheet is, unless that file is imported by name too.
fn read_documents_sidecar(path: &Path, paths: &[PathBuf]) -> Result<Vec<RawTable>, ImportError> {
    if FileKind::of(path) != Some(FileKind::Csv) {
        return Ok(Vec::new());
    }
    let sidecar = crate::export::documents_sidecar(path);
    if sidecar == path || paths.contains(&sidecar) || !sidecar.is_file() {
        return Ok(Vec::new());
    }
    let name = display_name(&sidecar);
    Ok(read_tables(&sidecar)?
        .into_iter()
        .map(|table| RawTable {
            sheet: Some(name.clone()),
            ..table
        })
        .collect())
}

/// Plans one import of tables already read, each with the path it was read from.
pub fn plan_tables(
    catalogue: &Catalogue,
    files: Vec<(PathBuf, Vec<RawTable>)>,
    options: &ImportOptions,
    progress: &Progress,
) -> Result<ImportPlan, ImportError> {
    plan_known(&Known::read(catalogue)?, files, options, progress, None)
}

/// Plans one import against what the catalogue holds; with a `writer`, the new entries are
/// handed to it as they are planned.
fn plan_known(
    known: &Known,
    mut files: Vec<(PathBuf, Vec<RawTable>)>,
    options: &ImportOptions,
    progress: &Progress,
    writer: Option<std::sync::mpsc::SyncSender<crate::store::Arrival>>,
) -> Result<ImportPlan, ImportError> {
    progress.begin(
        Phase::Planning,
        files
            .iter()
            .flat_map(|(_, tables)| tables)
            .map(RawTable::row_count)
            .sum(),
    );
    let existing = &known.existing;
    let mut levels_of_code: HashMap<String, Vec<(Level, i64)>> = HashMap::new();
    for ((code, level), (procedure_id, _)) in existing {
        levels_of_code
            .entry(code.clone())
            .or_default()
            .push((*level, *procedure_id));
    }
    for levels in levels_of_code.values_mut() {
        levels.sort();
    }
    let mut planner = rows::Planner {
        plan: ImportPlan::new(options.clone()),
        existing,
        levels_of_code,
        first_row_of: HashMap::new(),
        progress,
        fields: existing
            .values()
            .map(|(_, data)| (crate::text::fold(&data.field), data.field.clone()))
            .collect(),
        heading: (None, None),
        cited: BTreeMap::new(),
        writer,
    };
    let stored_documents = &known.documents;
    let mut documents_seen = HashMap::new();
    // Documents of document lists: they win over what citations say of the same number.
    let mut listed_documents: Vec<LegalDocument> = Vec::new();
    let mut rows_done = 0;
    for (path, tables) in &mut files {
        let path = path.as_path();
        // Rows of the files before; the planner counts this file's rows one by one.
        progress.set_done(rows_done);
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled);
        }
        rows_done += tables.iter().map(RawTable::row_count).sum::<usize>();
        // A workbook may hold several sheets (our own export: the published list, then every
        // field): take the sheet whose header names the most columns.
        let procedures = tables
            .iter()
            .enumerate()
            .filter_map(|(index, table)| find_header(table).map(|header| (index, header)))
            .max_by_key(|(_, header)| (header.columns.len(), std::cmp::Reverse(header.row_index)));
        let procedure_sheet = procedures
            .as_ref()
            .map(|(index, _)| tables[*index].sheet.clone());
        if let Some((index, header)) = procedures {
            planner.plan_table(path, &mut tables[index], &header)?;
        }
        // A CSV file that is not a procedure list is read whole (a list of documents).
        for table in tables.iter_mut() {
            table.read_rest()?;
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
                stored_documents,
                &mut documents_seen,
            );
            let plan = &mut planner.plan;
            plan.rows_read += read.rows_read;
            plan.document_rows += read.rows_read;
            plan.rejected.extend(read.rejected);
            plan.warnings.extend(read.warnings);
            listed_documents.extend(read.documents);
            plan.files.push(ImportedFile {
                path: path.to_owned(),
                sheet: table.sheet.clone(),
                header_row: header.row_number,
                columns: Vec::new(),
                kept_columns: Vec::new(),
                document_list: true,
                rows_read: read.rows_read,
            });
        }
    }
    progress.set_done(rows_done);
    if progress.is_cancelled() {
        return Err(ImportError::Cancelled);
    }
    planner.pass_on();
    let (cited_added, cited_updated) = planner.cited_documents(stored_documents);
    let rows::Planner {
        mut plan,
        first_row_of,
        ..
    } = planner;
    let listed: std::collections::HashSet<String> =
        listed_documents.iter().map(|d| d.number.clone()).collect();
    for document in cited_added
        .into_iter()
        .chain(cited_updated)
        .filter(|d| !listed.contains(&d.number))
        .chain(listed_documents)
    {
        match stored_documents.get(&document.number) {
            None => plan.documents_added.push(document),
            Some(stored) if *stored != document => plan.documents_updated.push(document),
            Some(_) => plan.documents_unchanged += 1,
        }
    }
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

/// Writes a plan in one transaction. A plan with rejected rows writes nothing unless
/// the user chose to skip them.
pub fn apply_import(
    catalogue: &mut Catalogue,
    plan: &ImportPlan,
) -> Result<AppliedBatch, ImportError> {
    apply_import_with_progress(catalogue, plan, &Progress::default())
}

/// The changes an applied plan writes: what its progress counts up to.
pub fn planned_changes(plan: &ImportPlan) -> usize {
    plan.added.len()
        + plan.updated.len()
        + plan.retired.len()
        + plan
            .other_level
            .iter()
            .filter(|row| matches!(row.choice, OtherLevel::AddSecond | OtherLevel::Move))
            .count()
}

/// [`apply_import`], counting in `progress` the changes written so far; cancelled, it
/// rolls back and writes nothing.
pub fn apply_import_with_progress(
    catalogue: &mut Catalogue,
    plan: &ImportPlan,
    progress: &Progress,
) -> Result<AppliedBatch, ImportError> {
    let added = plan.added.iter().map(|add| add.data.clone()).collect();
    write_plan(catalogue, plan, added, progress)
}

/// [`apply_import`] of a plan not needed afterwards: its new entries are moved into the
/// write, not copied (a national list's are most of the memory an import takes).
pub fn apply_import_owned(
    catalogue: &mut Catalogue,
    mut plan: ImportPlan,
) -> Result<AppliedBatch, ImportError> {
    let added = std::mem::take(&mut plan.added)
        .into_iter()
        .map(|add| add.data)
        .collect();
    write_plan(catalogue, &plan, added, &Progress::default())
}

/// A plan with rejected rows, or rows of unknown level, is not written unless the officer
/// chose to skip them.
fn refuse_unless_whole(plan: &ImportPlan) -> Result<(), ImportError> {
    if !plan.options.skip_invalid {
        if !plan.rejected.is_empty() {
            return Err(ImportError::Rejected(plan.rejected.clone()));
        }
        if !plan.level_unknown.is_empty() {
            return Err(ImportError::LevelUnknown(plan.level_unknown.clone()));
        }
    }
    Ok(())
}

/// The files of an import, as the ledger and retirement reasons name them.
fn file_names(plan: &ImportPlan) -> String {
    plan.files
        .iter()
        .map(|file| display_name(&file.path))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ledger batch's summary of an import.
fn batch_summary(plan: &ImportPlan) -> String {
    format!("import {}", file_names(plan))
}

/// Writes a plan whose new entries are `added`.
fn write_plan(
    catalogue: &mut Catalogue,
    plan: &ImportPlan,
    added: Vec<crate::domain::ProcedureData>,
    progress: &Progress,
) -> Result<AppliedBatch, ImportError> {
    refuse_unless_whole(plan)?;
    let file_name = file_names(plan);
    let mut changes: Vec<Change> = Vec::with_capacity(added.len() + plan.updated.len());
    changes.extend(added.into_iter().map(Change::Create));
    // Each update is made from the entry as it was planned: a change someone else committed
    // since is kept, or reported as a conflict, never reverted.
    changes.extend(plan.updated.iter().map(|update| Change::Edit {
        procedure_id: update.procedure_id,
        base: Box::new(update.base.clone()),
        data: update.data.clone(),
    }));
    for row in &plan.other_level {
        match row.choice {
            OtherLevel::AddSecond => changes.push(Change::Create(row.data.clone())),
            // Only a code at one other level can move: with several, which would it be?
            OtherLevel::Move => {
                if let (Some(moved), [(_, procedure_id)]) = (&row.moved, row.existing.as_slice()) {
                    changes.push(Change::Edit {
                        procedure_id: *procedure_id,
                        base: Box::new(moved.base.clone()),
                        data: moved.moved.clone(),
                    });
                }
            }
            OtherLevel::Ask | OtherLevel::Skip => {}
        }
    }
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
        &batch_summary(plan),
        &changes,
        &documents,
        &now_rfc3339(),
        progress,
    ) {
        Err(StoreError::Cancelled) => Err(ImportError::Cancelled),
        other => Ok(other?),
    }
}
