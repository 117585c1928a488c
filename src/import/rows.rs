//! Planning the rows of a procedure list: each row's levels, its values read with their
//! units and certainty, compared with the stored entries.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::mpsc;

use super::columns::Header;
use super::notes::{Notice, RowProblem, SkipReason};
use super::plan::{
    FieldUpdate, ImportPlan, ImportedFile, LevelGroup, LevelSource, Move, OtherLevelRow,
    PlannedAdd, PlannedUpdate, Rejection, SkippedRow, Warning,
};
use super::sections::{SectionHeading, section_heading};
use super::table::{RawRow, RawTable, display_name};
use crate::domain::citation::{Citation, read_citations};
use crate::domain::government::{SourceLevel, agency_levels, read_levels};
use crate::domain::placeholder::is_placeholder;
use crate::domain::{Fee, LegalDocument, Level, ProcedureData, ProcedureField, ProcessingTime};
use crate::progress::Progress;
use crate::store::Arrival;
use crate::text::clean_cell;

/// The stored entries the planner compares with, by code + level.
pub(super) type Stored = HashMap<(String, Level), (i64, ProcedureData)>;

pub(super) struct Planner<'a> {
    pub plan: ImportPlan,
    pub existing: &'a Stored,
    /// The levels each code stands at in the catalogue.
    pub levels_of_code: HashMap<String, Vec<(Level, i64)>>,
    /// Where each code + level was first seen in this import: (file, row).
    pub first_row_of: HashMap<(String, Level), (String, usize)>,
    pub progress: &'a Progress,
    /// The catalogue's fields by their folded spelling: a heading "LĨNH VỰC HỘ TỊCH" means
    /// the stored "Hộ tịch".
    pub fields: HashMap<String, String>,
    /// The level and field headings above the current row.
    pub heading: (Option<Level>, Option<String>),
    /// Documents cited by the rows, by number: the first citation's kind and title.
    pub cited: BTreeMap<String, Citation>,
    /// The writer of a new catalogue, handed the new entries as they are planned.
    pub writer: Option<mpsc::SyncSender<Arrival>>,
}

/// New entries handed to the writer of a new catalogue at a time.
const PASS_ON: usize = 1024;

/// One entry a row asks for: its level and where the level came from.
struct Target {
    level: Level,
    source: LevelSource,
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

    /// Plans the rows below the header; each row's cells are let go once planned (a
    /// national list's cells would otherwise stay beside the entries made of them).
    pub fn plan_table(
        &mut self,
        path: &Path,
        table: &mut RawTable,
        header: &Header,
    ) -> Result<(), super::ImportError> {
        let file = display_name(path);
        let rows_before = self.plan.rows_read;
        self.heading = (None, None);
        let kept: Vec<String> = header.unknown.iter().map(|(_, h)| h.clone()).collect();
        if !kept.is_empty() {
            self.plan.warnings.push(Warning {
                file: file.clone(),
                row: header.row_number,
                notice: Notice::KeptColumns(kept.clone()),
            });
        }
        let csv = table.sheet.is_none();
        let list = self.plan.files.iter().filter(|f| !f.document_list).count();
        let read = std::mem::take(&mut table.rows)
            .into_iter()
            .skip(header.row_index + 1)
            .map(Ok);
        for row in read.chain(table.rest.take().into_iter().flatten()) {
            self.plan_one(&file, list, &row?, header, csv);
        }
        self.plan.files.push(ImportedFile {
            path: path.to_owned(),
            sheet: table.sheet.clone(),
            header_row: header.row_number,
            columns: header.columns.iter().map(|(_, field)| *field).collect(),
            kept_columns: kept,
            document_list: false,
            rows_read: self.plan.rows_read - rows_before,
        });
        Ok(())
    }

    /// Plans one row below the header: a heading, an entry, or a rejection.
    fn plan_one(&mut self, file: &str, list: usize, row: &RawRow, header: &Header, csv: bool) {
        self.progress.advance(1);
        if row.cells.iter().all(|cell| cell.trim().is_empty()) {
            return;
        }
        self.plan.rows_read += 1;
        self.plan.accounted.insert((list, row.number));
        if self.take_heading(row, header) {
            self.plan.sections.push((file.to_owned(), row.number));
            return;
        }
        if let Err(problem) = self.plan_row(file, row, header, csv) {
            self.plan.rejected.push(Rejection {
                file: file.to_owned(),
                row: row.number,
                problem,
            });
        }
        if self.plan.added.len() >= PASS_ON {
            self.pass_on();
        }
    }

    /// Hands the new entries planned so far to the writer of a new catalogue, if there is
    /// one; they are counted in the plan's `written`.
    pub fn pass_on(&mut self) {
        let Some(writer) = &self.writer else {
            return;
        };
        let ImportPlan { added, written, .. } = &mut self.plan;
        let entries = added
            .drain(..)
            .map(|add| {
                *written.entry(add.data.level_or_province()).or_default() += 1;
                add.data
            })
            .collect();
        // A writer that has stopped says why when it is joined.
        let _ = writer.send(Arrival::Entries(entries));
    }

    /// The levels a row asks for, or the group it is left out as (with what the file said).
    fn targets(
        &mut self,
        file: &str,
        row: &RawRow,
        level_text: &str,
        agency: &str,
    ) -> Result<Result<Vec<Target>, (LevelGroup, SkipReason)>, String> {
        let options = &self.plan.options;
        let chosen = options
            .level_overrides
            .get(&(file.to_owned(), row.number))
            .copied();
        let one = |level, source| Ok(Ok(vec![Target { level, source }]));
        if let Some(level) = chosen.filter(|_| level_text.is_empty()) {
            self.plan.levels.chosen += 1;
            return one(level, LevelSource::Chosen);
        }
        let (levels, said) = if !level_text.is_empty() {
            // `Err` is the text that names no level.
            let levels = read_levels(level_text).ok_or_else(|| level_text.to_owned())?;
            (levels, level_text.to_owned())
        } else if let Some(level) = self.heading.0 {
            self.plan.levels.from_section += 1;
            return one(level, LevelSource::Section);
        } else if let Some(level) = options.level {
            self.plan.levels.from_option += 1;
            return one(level, LevelSource::Option);
        } else {
            (
                agency_levels(agency),
                agency.lines().next().unwrap_or_default().to_owned(),
            )
        };
        let local: Vec<Level> = levels
            .iter()
            .filter_map(|l| match l {
                SourceLevel::Local(level) => Some(*level),
                _ => None,
            })
            .collect();
        let from_column = !level_text.is_empty();
        if !local.is_empty() {
            if from_column {
                self.plan.levels.from_column += 1;
            } else {
                self.plan.levels.inferred += 1;
            }
            let source = if from_column {
                LevelSource::Column
            } else {
                LevelSource::Inferred
            };
            return Ok(Ok(local
                .into_iter()
                .map(|level| Target { level, source })
                .collect()));
        }
        let group = LevelGroup::of(&levels);
        if let Some(&level) = self.plan.options.group_levels.get(&group) {
            self.plan.levels.from_group += 1;
            return one(level, LevelSource::Group);
        }
        let said = match group {
            LevelGroup::Unknown if said.trim().is_empty() => SkipReason::NoLevel,
            LevelGroup::Unknown => SkipReason::AgencyDoesNotTell(said.trim().to_owned()),
            _ if from_column => SkipReason::Column(said),
            _ => SkipReason::NotLocal(said.trim().to_owned()),
        };
        Ok(Err((group, said)))
    }

    /// Plans one row; `Err` is the reason it is rejected.
    fn plan_row(
        &mut self,
        file: &str,
        row: &RawRow,
        header: &Header,
        csv: bool,
    ) -> Result<(), RowProblem> {
        let raw = |column: usize| row.cells.get(column).map_or("", String::as_str);
        let read = |column: usize| read_cell(raw(column), header, csv);
        let cell = |field: ProcedureField| -> String {
            header.column_of(field).map(read).unwrap_or_default()
        };
        let code = cell(ProcedureField::Code);
        let name = cell(ProcedureField::Name);
        if code.is_empty() || is_placeholder(&code) {
            return Err(RowProblem::NoCode);
        }
        // Judged on the cell as written: tidying drops control characters, and a code
        // holding one is damaged, not to be guessed at.
        let raw_code = header
            .column_of(ProcedureField::Code)
            .map(raw)
            .unwrap_or("");
        if raw_code.trim().chars().any(char::is_control) {
            return Err(RowProblem::ControlCharacter(
                raw_code.trim().escape_debug().to_string(),
            ));
        }
        if name.is_empty() || is_placeholder(&name) {
            return Err(RowProblem::NoName { code });
        }
        let level_text = cell(ProcedureField::Level);
        let agency = cell(ProcedureField::Agency);
        let targets = match self.targets(file, row, level_text.trim(), &agency) {
            Err(text) => return Err(RowProblem::UnknownLevel { code, text }),
            Ok(Err((group, reason))) => {
                let skipped = SkippedRow {
                    file: file.to_owned(),
                    row: row.number,
                    code,
                    name,
                    group,
                    reason,
                };
                if group == LevelGroup::Unknown {
                    self.plan.level_unknown.push(skipped);
                } else {
                    self.plan.skipped.push(skipped);
                }
                return Ok(());
            }
            Ok(Ok(targets)) => targets,
        };
        if self.plan.options.level.is_some()
            && agency_levels(&agency) == BTreeSet::from([SourceLevel::Central])
        {
            self.warn(
                file,
                row.number,
                Notice::CentralAtGivenLevel {
                    code: code.clone(),
                    agency: agency.lines().next().unwrap_or_default().to_owned(),
                },
            );
        }
        let row_levels: BTreeSet<Level> = targets.iter().map(|t| t.level).collect();
        let mut rejected = Vec::new();
        for target in targets {
            if let Err(reason) =
                self.plan_entry(file, row, header, csv, &code, &target, &row_levels)
            {
                rejected.push(reason);
            }
        }
        match rejected.len() {
            0 => Ok(()),
            1 => Err(rejected.remove(0)),
            _ => Err(RowProblem::Several(rejected)),
        }
    }

    /// Plans the entry of one level of a row.
    #[allow(clippy::too_many_arguments)]
    fn plan_entry(
        &mut self,
        file: &str,
        row: &RawRow,
        header: &Header,
        csv: bool,
        code: &str,
        target: &Target,
        row_levels: &BTreeSet<Level>,
    ) -> Result<(), RowProblem> {
        let level = target.level;
        let key = (code.to_owned(), level);
        if let Some((first_file, first_row)) = self.first_row_of.get(&key) {
            return Err(RowProblem::Twice {
                code: code.to_owned(),
                level,
                first_file: first_file.clone(),
                first_row: *first_row,
                same_file: first_file == file,
            });
        }
        // Start from the stored entry so that columns the file lacks keep their values.
        let stored = self.existing.get(&key);
        let mut data = stored.map(|(_, data)| data.clone()).unwrap_or_default();
        data.code = code.to_owned();
        let mut warnings = Vec::new();
        self.read_values(
            row,
            header,
            csv,
            code,
            stored.is_some(),
            &mut data,
            &mut warnings,
        )?;
        data.level = Some(level);
        if let Some(field) = &self.heading.1
            && !header.has(ProcedureField::Field)
        {
            data.field = field.clone();
        }
        // The code stands at levels this row does not name: a move or a second level, which
        // the officer decides. A move keeps what the moved entry holds beyond the row. Only a
        // level column naming both levels adds the second without asking: a level read from
        // the agency may be the agency's wording, not a second level.
        let named_by_file = matches!(target.source, LevelSource::Column | LevelSource::Section);
        let others: Vec<(Level, i64)> = match stored {
            Some(_) => Vec::new(),
            None => self
                .levels_of_code
                .get(code)
                .map(|levels| {
                    levels
                        .iter()
                        .copied()
                        .filter(|(l, _)| *l != level && !(named_by_file && row_levels.contains(l)))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let moved = match others.as_slice() {
            [(other_level, _)] => {
                let other_key = (code.to_owned(), *other_level);
                match self.existing.get(&other_key).map(|(_, d)| d.clone()) {
                    Some(base) => {
                        let mut moved = base.clone();
                        let mut ignored = Vec::new();
                        self.read_values(row, header, csv, code, true, &mut moved, &mut ignored)?;
                        moved.level = Some(level);
                        Some(Move { base, moved })
                    }
                    None => None,
                }
            }
            _ => None,
        };
        for notice in warnings {
            self.warn(file, row.number, notice);
        }
        self.first_row_of
            .insert(key.clone(), (file.to_owned(), row.number));
        match stored {
            Some((procedure_id, old)) => {
                let changes: Vec<FieldUpdate> = ProcedureField::changed_between(old, &data)
                    .into_iter()
                    .map(|field| FieldUpdate {
                        field,
                        old: field.value_text(old),
                        new: field.value_text(&data),
                    })
                    .collect();
                if changes.is_empty() {
                    self.plan.unchanged.push((file.to_owned(), row.number));
                } else {
                    self.plan.updated.push(PlannedUpdate {
                        file: file.to_owned(),
                        row: row.number,
                        procedure_id: *procedure_id,
                        base: old.clone(),
                        data,
                        changes,
                        level_source: target.source,
                    });
                }
            }
            None if others.is_empty() => self.plan.added.push(PlannedAdd {
                file: file.to_owned(),
                row: row.number,
                data,
                level_source: target.source,
            }),
            None => {
                let options = &self.plan.options;
                let choice = options
                    .other_level_rows
                    .get(&(file.to_owned(), row.number, level))
                    .copied()
                    .unwrap_or(options.other_level);
                self.plan.other_level.push(OtherLevelRow {
                    file: file.to_owned(),
                    row: row.number,
                    level,
                    data,
                    moved,
                    existing: others,
                    choice,
                });
            }
        }
        Ok(())
    }

    /// Lays the row's values over `data`, each read with its unit and certainty. An empty
    /// cell leaves a stored value as it is, unless the officer asked to clear it.
    #[allow(clippy::too_many_arguments)]
    fn read_values(
        &mut self,
        row: &RawRow,
        header: &Header,
        csv: bool,
        code: &str,
        stored: bool,
        data: &mut ProcedureData,
        warnings: &mut Vec<Notice>,
    ) -> Result<(), RowProblem> {
        let clear_empty = self.plan.options.clear_empty;
        let read = |column: usize| {
            read_cell(
                row.cells.get(column).map_or("", String::as_str),
                header,
                csv,
            )
        };
        for &(column, field) in &header.columns {
            if matches!(field, ProcedureField::Level | ProcedureField::Code) {
                continue;
            }
            let mut value = read(column);
            // A value too long for one cell goes on in its continuation columns.
            for &(more, _, _) in header.continuations.iter().filter(|(_, f, _)| *f == field) {
                value.push_str(&read(more));
            }
            let empty = value.trim().is_empty() || (!header.exact && is_placeholder(&value));
            if empty && stored && !clear_empty && !field.value_text(data).is_empty() {
                continue;
            }
            if header.exact {
                if let Err(error) = field.set_exact(data, &value) {
                    return Err(RowProblem::BadValue {
                        code: code.to_owned(),
                        error,
                    });
                }
                continue;
            }
            match field {
                ProcedureField::ProcessingTime => {
                    data.processing_time = ProcessingTime::parse(&value, header.time_unit);
                    if data.processing_time.is_unstructured() {
                        warnings.push(Notice::TimeAsText {
                            code: code.to_owned(),
                            value: value.clone(),
                        });
                    }
                }
                ProcedureField::Fee => {
                    let fee = match header.fee_note.map(read) {
                        Some(note) if !note.trim().is_empty() => legacy_fee(&value, &note),
                        _ => Fee::parse(&value),
                    };
                    if let Some(why) = fee.uncertain() {
                        warnings.push(Notice::FeeAsText {
                            code: code.to_owned(),
                            value: value.clone(),
                            why,
                        });
                    }
                    data.fee = fee;
                }
                ProcedureField::LegalBasis => {
                    let citations = read_citations(&value);
                    data.legal_basis = citations.iter().map(|c| c.number.clone()).collect();
                    for citation in citations {
                        self.cited
                            .entry(citation.number.clone())
                            .or_insert(citation);
                    }
                }
                ProcedureField::Tier => {
                    if let Err(_error) = field.set_from_text(data, &value) {
                        return Err(RowProblem::UnknownTier {
                            code: code.to_owned(),
                            value,
                        });
                    }
                }
                ProcedureField::Extra => {
                    if !value.trim().is_empty() {
                        data.extra
                            .insert(ProcedureField::Extra.header_vi().to_owned(), value);
                    }
                }
                _ => {
                    if let Err(error) = field.set_from_text(data, &value) {
                        // Nothing is lost: the unreadable value is kept under its column.
                        warnings.push(Notice::ValueKeptAside {
                            code: code.to_owned(),
                            error,
                        });
                        data.extra.insert(field.header_vi().to_owned(), value);
                    }
                }
            }
        }
        for (column, name) in &header.unknown {
            let value = read(*column);
            if !value.trim().is_empty() && !is_placeholder(&value) {
                data.extra.insert(name.clone(), value);
            }
        }
        Ok(())
    }

    fn warn(&mut self, file: &str, row: usize, notice: Notice) {
        self.plan.warnings.push(Warning {
            file: file.to_owned(),
            row,
            notice,
        });
    }

    /// The documents cited by the rows, as new documents or as stored ones given the title
    /// and kind they lacked.
    pub fn cited_documents(
        &self,
        stored: &HashMap<String, LegalDocument>,
    ) -> (Vec<LegalDocument>, Vec<LegalDocument>) {
        let mut added = Vec::new();
        let mut updated = Vec::new();
        for (number, citation) in &self.cited {
            match stored.get(number) {
                None => added.push(LegalDocument {
                    number: number.clone(),
                    kind: Some(citation.kind),
                    title: citation.title.clone(),
                    ..LegalDocument::default()
                }),
                Some(document) => {
                    let mut filled = document.clone();
                    if filled.title.is_empty() {
                        filled.title = citation.title.clone();
                    }
                    filled.kind = filled.kind.or(Some(citation.kind));
                    if filled != *document {
                        updated.push(filled);
                    }
                }
            }
        }
        (added, updated)
    }
}

/// An old export's fee: the amount column beside the wording one, as one text that reads
/// back to that amount.
fn legacy_fee(amount: &str, note: &str) -> Fee {
    let from_note = Fee::parse(note);
    let amount = Fee::parse(amount);
    match (amount.amount_vnd(), from_note.amount_vnd()) {
        (Some(a), Some(b)) if a == b => from_note,
        (Some(_), _) => Fee::parse(&format!("{} ({note})", amount.text())),
        (None, _) => from_note,
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
