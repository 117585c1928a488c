//! Procedures and legal documents: reading rows, counting, and the column mapping
//! shared by every write.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Row, Transaction, params};

use super::{Catalogue, EntryProblem, Result, StoreError};
use crate::distinct::Distinct;
use crate::domain::citation::DocumentKind;
use crate::domain::{
    Date, Fee, LegalDocument, Level, Procedure, ProcedureData, ProcedureField, ProcessingTime,
    Retirement, Status, Tier, format_date, parse_date, split_legal_basis,
};

/// (code, level) → text from a query selecting those three columns; a later row wins.
pub(super) fn keyed_texts(
    conn: &rusqlite::Connection,
    sql: &str,
) -> Result<HashMap<(String, Level), String>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    let mut texts = HashMap::new();
    for row in rows {
        let (code, level, text) = row?;
        if let Some(level) = Level::parse(&level) {
            texts.insert((code, level), text);
        }
    }
    Ok(texts)
}

/// Columns of `procedure` that hold [`ProcedureData`], in binding order. The legal basis is
/// written apart, by `write_legal_basis`: as rows of `procedure_legal_basis` and as the
/// `legal_basis` text column.
pub(super) const DATA_COLUMNS: [&str; 28] = [
    "code",
    "name",
    "level",
    "field",
    "agency",
    "competent_authority",
    "issuer",
    "tier",
    "processing_time",
    "fee",
    "steps",
    "methods",
    "dossier",
    "requirements",
    "result",
    "subjects",
    "procedure_type",
    "status",
    "decision_number",
    "decision_date",
    "effective_from",
    "effective_until",
    "replaced_by",
    "dossiers_last_year",
    "dossiers_year_before",
    "notes",
    "extra",
    "provenance",
];

/// A text parameter borrowed from the entry: binding it copies nothing on our side.
fn text(value: &str) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(ValueRef::Text(value.as_bytes()))
}

fn date(value: Option<Date>) -> ToSqlOutput<'static> {
    value.map_or(ToSqlOutput::Owned(Value::Null), |d| {
        ToSqlOutput::Owned(Value::Text(format_date(d)))
    })
}

fn number(value: Option<i64>) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(value.map_or(Value::Null, Value::Integer))
}

/// Values for [`DATA_COLUMNS`], in the same order, borrowed from `data` where they can be.
pub(super) fn data_values(data: &ProcedureData) -> Vec<ToSqlOutput<'_>> {
    vec![
        text(&data.code),
        text(&data.name),
        text(data.level_or_province().key()),
        text(&data.field),
        text(&data.agency),
        text(&data.competent_authority),
        text(&data.issuer),
        number(data.tier.map(|t| i64::from(t.value()))),
        text(data.processing_time.text()),
        text(data.fee.text()),
        text(&data.steps),
        text(&data.methods),
        text(&data.dossier),
        text(&data.requirements),
        text(&data.result),
        text(&data.subjects),
        text(&data.procedure_type),
        text(data.status.key()),
        text(&data.decision_number),
        date(data.decision_date),
        date(data.effective_from),
        date(data.effective_until),
        text(&data.replaced_by),
        number(data.dossiers_last_year.map(i64::from)),
        number(data.dossiers_year_before.map(i64::from)),
        text(&data.notes),
        ToSqlOutput::Owned(Value::Text(ProcedureField::Extra.value_text(data))),
        text(&data.provenance),
    ]
}

/// The columns of an entry's stored row (in the working copy and in a revision's versions):
/// [`DATA_COLUMNS`], its legal basis as text, its content hash.
pub(super) fn stored_columns() -> Vec<&'static str> {
    let mut columns = DATA_COLUMNS.to_vec();
    columns.extend(["legal_basis", "content_hash"]);
    columns
}

/// Values for [`stored_columns`], in the same order.
pub(super) fn stored_values<'a>(data: &'a ProcedureData, hash: &'a str) -> Vec<ToSqlOutput<'a>> {
    let mut values = data_values(data);
    values.push(ToSqlOutput::Owned(Value::Text(
        crate::domain::join_legal_basis(&data.legal_basis),
    )));
    values.push(text(hash));
    values
}

/// `INSERT INTO table (columns) VALUES (?, …), (?, …) …` for `rows` rows.
pub(super) fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns.len()].join(", "));
    format!(
        "INSERT INTO {table} ({}) VALUES {}",
        columns.join(", "),
        vec![row.as_str(); rows].join(", ")
    )
}

fn parse_stored_date(row: &Row<'_>, column: &str) -> rusqlite::Result<Option<Date>> {
    let value: Option<String> = row.get(column)?;
    Ok(value.as_deref().and_then(parse_date))
}

/// The columns an entry's data is read from: [`DATA_COLUMNS`], then its legal basis as text.
pub(super) fn read_columns() -> impl Iterator<Item = &'static str> {
    DATA_COLUMNS.iter().copied().chain(["legal_basis"])
}

/// Where each data column is in a statement's rows: looked up once per statement rather
/// than by name for every value of every row (a twelfth of an audit's time went there).
#[derive(Clone, Debug)]
pub(super) struct DataColumns([usize; 29]);

/// The position of a column a file of an older schema does not have yet.
const ABSENT: usize = usize::MAX;

impl DataColumns {
    /// The positions of the columns named `{prefix}code` … in `statement`.
    pub(super) fn of(statement: &rusqlite::Statement<'_>, prefix: &str) -> rusqlite::Result<Self> {
        let mut positions = [0; 29];
        for (position, name) in positions.iter_mut().zip(read_columns()) {
            *position = match statement.column_index(&format!("{prefix}{name}")) {
                Ok(index) => index,
                // Migrations that run before the column was added read the rows too.
                Err(_) if name == "provenance" => ABSENT,
                Err(error) => return Err(error),
            };
        }
        Ok(DataColumns(positions))
    }

    /// The entry's data from one row.
    pub(super) fn read(&self, row: &Row<'_>) -> rusqlite::Result<ProcedureData> {
        let (mut data, time, fee) = self.read_unparsed(row)?;
        (data.processing_time, data.fee) = parse_time_and_fee(&time, &fee);
        Ok(data)
    }

    /// The entry's data with its processing time and fee left as read, for the caller to
    /// parse (on every core, for a whole catalogue: [`parse_time_and_fee`]).
    pub(super) fn read_unparsed(
        &self,
        row: &Row<'_>,
    ) -> rusqlite::Result<(ProcedureData, String, String)> {
        let [
            code,
            name,
            level,
            field,
            agency,
            competent_authority,
            issuer,
            tier,
            processing_time,
            fee,
            steps,
            methods,
            dossier,
            requirements,
            result,
            subjects,
            procedure_type,
            status,
            decision_number,
            decision_date,
            effective_from,
            effective_until,
            replaced_by,
            dossiers_last_year,
            dossiers_year_before,
            notes,
            extra,
            provenance,
            legal_basis,
        ] = self.0;
        let level_text: String = row.get(level)?;
        let status_text: String = row.get(status)?;
        let tier_value: Option<i64> = row.get(tier)?;
        let date = |index: usize| -> rusqlite::Result<Option<Date>> {
            let value: Option<String> = row.get(index)?;
            Ok(value.as_deref().and_then(parse_date))
        };
        let mut data = ProcedureData {
            code: row.get(code)?,
            name: row.get(name)?,
            // CHECK constraints guarantee these parse; a hand-edited file degrades to None.
            level: Level::parse(&level_text),
            field: row.get(field)?,
            agency: row.get(agency)?,
            competent_authority: row.get(competent_authority)?,
            issuer: row.get(issuer)?,
            tier: tier_value
                .and_then(|t| u8::try_from(t).ok())
                .and_then(Tier::new),
            processing_time: ProcessingTime::default(),
            fee: Fee::default(),
            legal_basis: split_legal_basis(&row.get::<_, String>(legal_basis)?),
            steps: row.get(steps)?,
            methods: row.get(methods)?,
            dossier: row.get(dossier)?,
            requirements: row.get(requirements)?,
            result: row.get(result)?,
            subjects: row.get(subjects)?,
            procedure_type: row.get(procedure_type)?,
            status: Status::parse(&status_text).unwrap_or_default(),
            decision_number: row.get(decision_number)?,
            decision_date: date(decision_date)?,
            effective_from: date(effective_from)?,
            effective_until: date(effective_until)?,
            replaced_by: row.get(replaced_by)?,
            dossiers_last_year: row.get(dossiers_last_year)?,
            dossiers_year_before: row.get(dossiers_year_before)?,
            notes: row.get(notes)?,
            provenance: if provenance == ABSENT {
                String::new()
            } else {
                row.get(provenance)?
            },
            extra: Default::default(),
        };
        // Kept columns read back as written; a hand-edited cell that is not ours is kept too.
        let extra: String = row.get(extra)?;
        if ProcedureField::Extra.set_exact(&mut data, &extra).is_err() {
            data.extra.insert(String::new(), extra);
        }
        Ok((data, row.get(processing_time)?, row.get(fee)?))
    }
}

/// A processing time and a fee as [`DataColumns::read_unparsed`] left them, parsed.
pub(super) fn parse_time_and_fee(time: &str, fee: &str) -> (ProcessingTime, Fee) {
    (ProcessingTime::parse(time, None), Fee::parse(fee))
}

/// Sets the processing time and fee of many entries from their texts as read
/// (`raw[i]` is `entries[i]`'s): each distinct text parsed once, on every core. A national
/// catalogue writes the same few hundred times and fees in every province, so parsing each
/// entry's own was most of the time to read one.
pub(super) fn parse_times_and_fees<T: Send>(
    entries: &mut [T],
    raw: &[(String, String)],
    set: impl Fn(&mut T, &ProcessingTime, &Fee) + Sync,
) {
    let mut distinct = Distinct::default();
    let which: Vec<u32> = raw
        .iter()
        .map(|(time, fee)| distinct.number((time.as_str(), fee.as_str())))
        .collect();
    let parsed = crate::parallel::map(distinct.values(), |(time, fee)| {
        parse_time_and_fee(time, fee)
    });
    crate::parallel::zip_for_each_mut(entries, &which, |entry, index| {
        let (time, fee) = &parsed[*index as usize];
        set(entry, time, fee);
    });
}

/// The columns of a `procedure` row, data and retirement.
#[derive(Clone, Debug)]
pub(super) struct ProcedureColumns {
    data: DataColumns,
    procedure_id: usize,
    retired_at: usize,
    retired_reason: usize,
    retired_decision: usize,
}

impl ProcedureColumns {
    pub(super) fn of(statement: &rusqlite::Statement<'_>) -> rusqlite::Result<Self> {
        Ok(ProcedureColumns {
            data: DataColumns::of(statement, "")?,
            procedure_id: statement.column_index("procedure_id")?,
            retired_at: statement.column_index("retired_at")?,
            retired_reason: statement.column_index("retired_reason")?,
            retired_decision: statement.column_index("retired_decision")?,
        })
    }

    pub(super) fn read(&self, row: &Row<'_>) -> rusqlite::Result<Procedure> {
        let retired_at: Option<String> = row.get(self.retired_at)?;
        let retired = match retired_at {
            Some(retired_at) => Some(Retirement {
                retired_at,
                reason: row.get(self.retired_reason)?,
                decision_number: row.get(self.retired_decision)?,
            }),
            None => None,
        };
        Ok(Procedure {
            procedure_id: row.get(self.procedure_id)?,
            data: self.data.read(row)?,
            retired,
        })
    }
}

/// Maps one `procedure` row (of a statement read once: hot loops use [`ProcedureColumns`]).
pub(super) fn procedure_from_row(row: &Row<'_>) -> rusqlite::Result<Procedure> {
    ProcedureColumns::of(row.as_ref())?.read(row)
}

/// Maps the data columns, shared by `procedure` and `procedure_version` rows.
pub(super) fn data_from_row(row: &Row<'_>) -> rusqlite::Result<ProcedureData> {
    data_from_prefixed_row(row, "")
}

/// As [`data_from_row`], for columns named with a prefix (`o_code`, `n_code` … when a diff
/// reads both sides of a pair in one row).
pub(super) fn data_from_prefixed_row(
    row: &Row<'_>,
    prefix: &str,
) -> rusqlite::Result<ProcedureData> {
    DataColumns::of(row.as_ref(), prefix)?.read(row)
}

/// What a table row needs of a procedure: no long texts, so that a national catalogue's
/// working copy loads quickly.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcedureSummary {
    pub procedure_id: i64,
    pub code: String,
    pub name: String,
    pub level: Level,
    pub field: String,
    pub agency: String,
    pub tier: Option<Tier>,
    pub processing_time: ProcessingTime,
    pub fee: Fee,
    pub status: Status,
    pub has_legal_basis: bool,
    pub dossiers_last_year: Option<u32>,
    pub dossiers_year_before: Option<u32>,
    /// Where the entry came from (merged catalogues), as stored.
    pub provenance: String,
}

impl ProcedureSummary {
    pub fn of(procedure: &Procedure) -> ProcedureSummary {
        let data = &procedure.data;
        ProcedureSummary {
            procedure_id: procedure.procedure_id,
            code: data.code.clone(),
            name: data.name.clone(),
            level: data.level_or_province(),
            field: data.field.clone(),
            agency: data.agency.clone(),
            tier: data.tier,
            processing_time: data.processing_time.clone(),
            fee: data.fee.clone(),
            status: data.status,
            has_legal_basis: !data.legal_basis.is_empty(),
            dossiers_last_year: data.dossiers_last_year,
            dossiers_year_before: data.dossiers_year_before,
            provenance: data.provenance.clone(),
        }
    }
}

/// Counts of the working copy, as `stats` prints them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CatalogueStats {
    pub total: u64,
    pub by_level: BTreeMap<String, u64>,
    pub by_tier: BTreeMap<String, u64>,
    pub by_status: BTreeMap<String, u64>,
    pub fields: u64,
    pub retired: u64,
}

impl CatalogueStats {
    /// Counts a list of procedures (a revision, another file's working copy …).
    pub fn of<'a>(procedures: impl IntoIterator<Item = &'a ProcedureData>) -> CatalogueStats {
        let mut stats = CatalogueStats::empty();
        let mut fields = std::collections::BTreeSet::new();
        for data in procedures {
            stats.total += 1;
            *stats
                .by_level
                .entry(data.level_or_province().key().to_owned())
                .or_default() += 1;
            if let Some(tier) = data.tier {
                *stats.by_tier.entry(tier.to_string()).or_default() += 1;
            }
            *stats
                .by_status
                .entry(data.status.key().to_owned())
                .or_default() += 1;
            fields.insert(data.field.as_str());
        }
        stats.fields = fields.len() as u64;
        stats
    }

    /// Counts from `(level, tier, status, field, count)` groups, as SQL returns them.
    pub fn from_groups(groups: &[(String, Option<i64>, String, String, i64)]) -> CatalogueStats {
        let mut stats = CatalogueStats::empty();
        let mut fields = std::collections::BTreeSet::new();
        for (level, tier, status, field, count) in groups {
            let count = *count as u64;
            stats.total += count;
            *stats.by_level.entry(level.clone()).or_default() += count;
            if let Some(tier) = tier {
                *stats.by_tier.entry(tier.to_string()).or_default() += count;
            }
            *stats.by_status.entry(status.clone()).or_default() += count;
            fields.insert(field.as_str());
        }
        stats.fields = fields.len() as u64;
        stats
    }

    /// Every level, tier and status present with a zero count, so JSON keys are stable.
    fn empty() -> CatalogueStats {
        CatalogueStats {
            by_level: Level::ALL.iter().map(|l| (l.key().to_owned(), 0)).collect(),
            by_tier: Tier::ALL.iter().map(|t| (t.to_string(), 0)).collect(),
            by_status: Status::ALL
                .iter()
                .map(|s| (s.key().to_owned(), 0))
                .collect(),
            ..CatalogueStats::default()
        }
    }
}

/// Checks what the store requires of a procedure before it is written.
pub fn validate(data: &ProcedureData) -> Result<()> {
    let invalid = |problem| StoreError::Invalid {
        code: data.code.clone(),
        level: data.level.map(|l| l.key().to_owned()).unwrap_or_default(),
        problem,
    };
    if data.code.trim().is_empty() {
        return Err(invalid(EntryProblem::NoCode));
    }
    if data.name.trim().is_empty() {
        return Err(invalid(EntryProblem::NoName));
    }
    if data.level.is_none() {
        return Err(invalid(EntryProblem::NoLevel));
    }
    Ok(())
}

impl Catalogue {
    /// The working copy: every procedure not retired, ordered by level, then code.
    pub fn procedures(&self) -> Result<Vec<Procedure>> {
        self.query_procedures("WHERE retired_at IS NULL")
    }

    /// The working copy as table rows, in no particular order (the table sorts them),
    /// telling `progress(done, total)` as rows are read.
    pub fn procedure_summaries(
        &self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<ProcedureSummary>> {
        let total: i64 = self.conn.query_row(
            "SELECT count(*) FROM procedure WHERE retired_at IS NULL",
            [],
            |row| row.get(0),
        )?;
        let total = total as usize;
        let mut statement = self.conn.prepare(
            "SELECT procedure_id, code, name, level, field, agency, tier, processing_time, fee,
                    status, dossiers_last_year, dossiers_year_before,
                    p.legal_basis <> '' AS has_legal_basis, provenance
             FROM procedure p WHERE retired_at IS NULL",
        )?;
        // In the file's order: the table sorts them itself, and SQLite's sort copied every
        // row once more. Columns by position (the SELECT above); times and fees parsed
        // afterwards, each distinct text once.
        let rows = statement.query_map([], |row| {
            let level: String = row.get(3)?;
            let status: String = row.get(9)?;
            let tier: Option<i64> = row.get(6)?;
            Ok((
                ProcedureSummary {
                    procedure_id: row.get(0)?,
                    code: row.get(1)?,
                    name: row.get(2)?,
                    level: Level::parse(&level).unwrap_or(Level::Province),
                    field: row.get(4)?,
                    agency: row.get(5)?,
                    tier: tier.and_then(|t| u8::try_from(t).ok()).and_then(Tier::new),
                    processing_time: ProcessingTime::default(),
                    fee: Fee::default(),
                    status: Status::parse(&status).unwrap_or_default(),
                    has_legal_basis: row.get(12)?,
                    dossiers_last_year: row.get(10)?,
                    dossiers_year_before: row.get(11)?,
                    provenance: row.get(13)?,
                },
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
            ))
        })?;
        let mut summaries = Vec::with_capacity(total);
        let mut raw = Vec::with_capacity(total);
        for row in rows {
            let (summary, time, fee) = row?;
            summaries.push(summary);
            raw.push((time, fee));
            if summaries.len() % 5_000 == 0 {
                progress(summaries.len(), total);
            }
        }
        parse_times_and_fees(&mut summaries, &raw, |summary, time, fee| {
            (summary.processing_time, summary.fee) = (time.clone(), fee.clone());
        });
        progress(summaries.len(), total);
        Ok(summaries)
    }

    /// The working copy's entries at one level, ordered by code.
    pub fn procedures_at(&self, level: Level) -> Result<Vec<Procedure>> {
        // The key is a fixed word, never typed text.
        self.query_procedures(&format!(
            "WHERE retired_at IS NULL AND level = '{}'",
            level.key()
        ))
    }

    /// Every entry ever held, retired ones included.
    pub fn all_procedures(&self) -> Result<Vec<Procedure>> {
        self.query_procedures("")
    }

    fn query_procedures(&self, filter: &str) -> Result<Vec<Procedure>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT * FROM procedure {filter}
             ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,
                      code, procedure_id"
        ))?;
        let columns = ProcedureColumns::of(&statement)?;
        let procedures = statement
            .query_map([], |row| columns.read(row))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(procedures)
    }

    /// The decision that retired each code + level, for those retired with one; a code
    /// retired twice keeps its latest decision.
    /// (code, level) → the code that replaced it, for every entry retired as replaced.
    pub fn replacements(&self) -> Result<HashMap<(String, Level), String>> {
        keyed_texts(
            &self.conn,
            "SELECT code, level, replaced_by FROM procedure
             WHERE retired_at IS NOT NULL AND status = 'replaced' AND replaced_by <> ''",
        )
    }

    pub fn retirement_decisions(&self) -> Result<HashMap<(String, Level), String>> {
        keyed_texts(
            &self.conn,
            "SELECT code, level, retired_decision FROM procedure
             WHERE retired_at IS NOT NULL AND retired_decision <> ''
             ORDER BY retired_at, procedure_id",
        )
    }

    pub fn procedure(&self, procedure_id: i64) -> Result<Procedure> {
        load_procedure(&self.conn, procedure_id)
    }

    /// The working entries with `code`, at `level` when given, by level.
    pub fn procedures_with_code(&self, code: &str, level: Option<Level>) -> Result<Vec<Procedure>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT procedure_id FROM procedure
             WHERE code = ?1 AND (?2 IS NULL OR level = ?2) AND retired_at IS NULL",
        )?;
        let ids = statement
            .query_map(rusqlite::params![code, level.map(Level::key)], |row| {
                row.get::<_, i64>(0)
            })?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut procedures = ids
            .into_iter()
            .map(|id| load_procedure(&self.conn, id))
            .collect::<Result<Vec<_>>>()?;
        procedures.sort_by_key(|procedure| procedure.data.level);
        Ok(procedures)
    }

    /// Counts of the working copy by level, tier and status, computed in SQL.
    pub fn stats(&self) -> Result<CatalogueStats> {
        let mut stats = CatalogueStats::empty();
        let mut statement = self.conn.prepare(
            "SELECT level, tier, status, count(*) FROM procedure
             WHERE retired_at IS NULL GROUP BY level, tier, status",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<i64>>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (level, tier, status, count) = row?;
            let count = count as u64;
            stats.total += count;
            *stats.by_level.entry(level).or_default() += count;
            if let Some(tier) = tier {
                *stats.by_tier.entry(tier.to_string()).or_default() += count;
            }
            *stats.by_status.entry(status).or_default() += count;
        }
        stats.fields = self.conn.query_row(
            "SELECT count(DISTINCT field) FROM procedure WHERE retired_at IS NULL",
            [],
            |row| row.get::<_, i64>(0),
        )? as u64;
        stats.retired = self.conn.query_row(
            "SELECT count(*) FROM procedure WHERE retired_at IS NOT NULL",
            [],
            |row| row.get::<_, i64>(0),
        )? as u64;
        Ok(stats)
    }

    /// Every legal document known to the catalogue, ordered by number.
    pub fn legal_documents(&self) -> Result<Vec<LegalDocument>> {
        let mut statement = self
            .conn
            .prepare("SELECT * FROM legal_document ORDER BY number")?;
        let rows = statement.query_map([], |row| {
            let kind: String = row.get("kind")?;
            Ok(LegalDocument {
                number: row.get("number")?,
                kind: DocumentKind::parse(&kind),
                title: row.get("title")?,
                issued_on: parse_stored_date(row, "issued_on")?,
                effective_on: parse_stored_date(row, "effective_on")?,
                repealed_on: parse_stored_date(row, "repealed_on")?,
                replaced_by: row.get("replaced_by")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds legal documents or updates those with the same number, in one transaction.
    pub fn upsert_legal_documents(&mut self, documents: &[LegalDocument]) -> Result<()> {
        let tx = self.begin_write()?;
        for document in documents {
            upsert_legal_document(&tx, document)?;
        }
        tx.commit()?;
        Ok(())
    }
}

pub(super) fn load_procedure(conn: &rusqlite::Connection, procedure_id: i64) -> Result<Procedure> {
    // Cached: an import or an undo loads one entry per change.
    conn.prepare_cached("SELECT * FROM procedure WHERE procedure_id = ?1")?
        .query_row([procedure_id], procedure_from_row)
        .map_err(|error| match error {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFoundProcedure(procedure_id),
            other => StoreError::Sqlite(other),
        })
}

pub(super) fn upsert_legal_document(tx: &Transaction<'_>, document: &LegalDocument) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO legal_document (number, title, issued_on, effective_on, repealed_on, replaced_by, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (number) DO UPDATE SET
           title = excluded.title, issued_on = excluded.issued_on,
           effective_on = excluded.effective_on, repealed_on = excluded.repealed_on,
           replaced_by = excluded.replaced_by, kind = excluded.kind",
    )?
    .execute(params![
        document.number,
        document.title,
        document.issued_on.map(format_date),
        document.effective_on.map(format_date),
        document.repealed_on.map(format_date),
        document.replaced_by,
        document.kind.map_or("", DocumentKind::key),
    ])?;
    Ok(())
}

/// The hash a diff compares: the same as a revision's version of the same data.
pub(super) fn content_hash(data: &ProcedureData) -> String {
    format!("{:016x}", data.fingerprint())
}

/// The content hash of `data` as the store will hold it, without reading it back: the few
/// values the store does not keep as given (no level means province; legal-basis lines
/// trimmed, empty ones dropped) are put in their stored form first.
pub(super) fn stored_content_hash(data: &ProcedureData) -> String {
    let stored_as_given = data.level.is_some()
        && data
            .legal_basis
            .iter()
            .all(|line| !line.is_empty() && line.trim() == line && !line.contains('\n'));
    if stored_as_given {
        return content_hash(data);
    }
    let mut stored = data.clone();
    stored.level = Some(data.level_or_province());
    stored.legal_basis = split_legal_basis(&crate::domain::join_legal_basis(&data.legal_basis));
    content_hash(&stored)
}

/// Stores the entry's content hash, from the entry as stored. Called last in every write of
/// an entry's data (the stale-hash trigger clears it on the writes before).
pub(super) fn write_content_hash(tx: &Transaction<'_>, procedure_id: i64) -> Result<()> {
    let stored = load_procedure(tx, procedure_id)?;
    set_content_hash(tx, procedure_id, &content_hash(&stored.data))
}

/// Stores a hash computed by [`stored_content_hash`].
pub(super) fn set_content_hash(tx: &Transaction<'_>, procedure_id: i64, hash: &str) -> Result<()> {
    check_content_hash(tx, procedure_id, hash)?;
    tx.prepare_cached("UPDATE procedure SET content_hash = ?2 WHERE procedure_id = ?1")?
        .execute(params![procedure_id, hash])?;
    Ok(())
}

/// Debug builds (every test) read a written entry back and check that the hash computed
/// before writing is the hash of what was stored; release builds trust it.
pub(super) fn check_content_hash(
    tx: &Transaction<'_>,
    procedure_id: i64,
    hash: &str,
) -> Result<()> {
    if cfg!(debug_assertions) {
        let stored = load_procedure(tx, procedure_id)?;
        debug_assert_eq!(
            hash,
            content_hash(&stored.data),
            "the hash of an entry as written differs from the hash of it as stored: {:?}",
            stored.data.code
        );
    }
    Ok(())
}

/// Hashes every entry of an older file (migration 5).
pub(super) fn fill_content_hashes(tx: &Transaction<'_>) -> Result<()> {
    let ids: Vec<i64> = tx
        .prepare("SELECT procedure_id FROM procedure")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for procedure_id in ids {
        write_content_hash(tx, procedure_id)?;
    }
    Ok(())
}

/// Replaces a procedure's legal basis; numbers not yet known become bare documents.
pub(super) fn write_legal_basis(
    tx: &Transaction<'_>,
    procedure_id: i64,
    basis: &[String],
) -> Result<()> {
    tx.prepare_cached("DELETE FROM procedure_legal_basis WHERE procedure_id = ?1")?
        .execute([procedure_id])?;
    link_legal_basis(tx, procedure_id, basis)?;
    tx.prepare_cached("UPDATE procedure SET legal_basis = ?2 WHERE procedure_id = ?1")?
        .execute(params![
            procedure_id,
            crate::domain::join_legal_basis(basis)
        ])?;
    Ok(())
}

/// Links an entry to the documents it cites (none linked yet); numbers not yet known become
/// bare documents.
fn link_legal_basis(tx: &Transaction<'_>, procedure_id: i64, basis: &[String]) -> Result<()> {
    let mut known =
        tx.prepare_cached("INSERT OR IGNORE INTO legal_document (number) VALUES (?1)")?;
    let mut link = tx.prepare_cached(
        "INSERT OR IGNORE INTO procedure_legal_basis (procedure_id, position, document_number)
         VALUES (?1, ?2, ?3)",
    )?;
    for (position, number) in basis.iter().enumerate() {
        known.execute([number])?;
        link.execute(params![procedure_id, position as i64, number])?;
    }
    Ok(())
}
