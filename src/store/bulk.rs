//! New entries written many to a statement. A national import creates 120,000 entries with
//! 280,000 legal-basis links and 120,000 ledger lines; here each statement writes up to
//! [`ROWS`] entries (or [`LINKS`] links), each cited number is made a document once, and the
//! content hashes are computed on another core while the rows are written. Measured on
//! `import --create` of 120,000 entries: 4.4–5.1 s one row to a statement, 2.5–3.0 s so.

use std::collections::HashSet;
use std::sync::mpsc;

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Transaction, params_from_iter};

use super::ledger::{AppliedBatch, BatchKind, LedgerAction, begin_batch, close_batch};
use super::procedures::{
    check_content_hash, insert_sql, stored_columns, stored_content_hash, stored_values, validate,
};
use super::{Catalogue, Result, StoreError};
use crate::domain::{LegalDocument, ProcedureData};
use crate::progress::Progress;

/// What an import into a new catalogue hands its writer: the entries as they are planned,
/// then the word to commit.
#[derive(Debug)]
pub enum Arrival {
    Entries(Vec<ProcedureData>),
    /// Every entry has come: the ledger batch's summary and the legal documents the lists
    /// describe are written, then the whole is committed.
    Commit {
        summary: String,
        documents: Vec<LegalDocument>,
    },
}

impl Catalogue {
    /// Writes an import's new entries as they arrive, in one transaction and one ledger
    /// batch, while the sender plans the rows after them. Committed when
    /// [`Arrival::Commit`] comes; if the sender stops before it, nothing is written.
    pub fn write_arriving(
        &mut self,
        arrivals: mpsc::Receiver<Arrival>,
        made_at: &str,
        progress: &Progress,
    ) -> Result<AppliedBatch> {
        self.write_transaction(|tx, editor| {
            let batch_id = begin_batch(tx, BatchKind::Import.key(), None, "", editor, made_at)?;
            let mut applied = AppliedBatch::default();
            loop {
                match arrivals.recv() {
                    Ok(Arrival::Entries(entries)) => {
                        let entries: Vec<&ProcedureData> = entries.iter().collect();
                        let ids = create_all(tx, batch_id, &entries, progress)?;
                        applied.created.extend(ids);
                    }
                    Ok(Arrival::Commit { summary, documents }) => {
                        for document in &documents {
                            super::procedures::upsert_legal_document(tx, document)?;
                        }
                        tx.prepare_cached(
                            "UPDATE edit_batch SET summary = ?2 WHERE batch_id = ?1",
                        )?
                        .execute(rusqlite::params![batch_id, summary])?;
                        close_batch(tx, batch_id, &mut applied)?;
                        return Ok(applied);
                    }
                    // The sender stopped: a rejected plan, an error, or cancelled.
                    Err(mpsc::RecvError) => return Err(StoreError::Cancelled),
                }
            }
        })
    }
}

/// Entries per INSERT: 64 × 30 values, well under SQLite's 32,766 parameters.
const ROWS: usize = 64;
/// Legal-basis links per INSERT (3 values each).
const LINKS: usize = 256;

/// The columns of a new entry's row, in the order its values are given.
fn procedure_columns() -> Vec<&'static str> {
    let mut columns = vec!["procedure_id"];
    columns.extend(stored_columns());
    columns
}

/// Writes `entries` as new entries of ledger batch `batch_id`, in order; returns their ids.
/// Counts each entry in `progress` and stops when it is cancelled (the caller's transaction
/// then rolls back).
pub(super) fn create_all(
    tx: &Transaction<'_>,
    batch_id: i64,
    entries: &[&ProcedureData],
    progress: &Progress,
) -> Result<Vec<i64>> {
    for data in entries {
        validate(data)?;
    }
    // The ids SQLite would give one by one (the largest so far, plus one), given here so
    // that the links and ledger lines of many rows can be written without reading them back.
    let first: i64 = tx.query_row(
        "SELECT coalesce(max(procedure_id), 0) + 1 FROM procedure",
        [],
        |row| row.get(0),
    )?;
    let mut links = Links::default();
    let mut ids = Vec::with_capacity(entries.len());
    std::thread::scope(|scope| {
        let (send, hashes) = mpsc::sync_channel::<Vec<String>>(4);
        scope.spawn(move || {
            for chunk in entries.chunks(ROWS) {
                let hashed = chunk.iter().map(|data| stored_content_hash(data)).collect();
                if send.send(hashed).is_err() {
                    // The writer stopped (an error, or cancelled).
                    break;
                }
            }
        });
        for (chunk, hashes) in entries.chunks(ROWS).zip(hashes) {
            if progress.is_cancelled() {
                return Err(StoreError::Cancelled);
            }
            let chunk_first = first + ids.len() as i64;
            insert_entries(tx, chunk_first, chunk, &hashes)?;
            for (offset, (data, hash)) in chunk.iter().zip(&hashes).enumerate() {
                let procedure_id = chunk_first + offset as i64;
                check_content_hash(tx, procedure_id, hash)?;
                for (position, number) in data.legal_basis.iter().enumerate() {
                    links.push(tx, procedure_id, position as i64, number)?;
                }
                ids.push(procedure_id);
            }
            record_created(tx, batch_id, chunk_first, chunk.len())?;
            progress.advance(chunk.len());
        }
        links.flush(tx)
    })?;
    Ok(ids)
}

/// One INSERT of a chunk's entries with their ids from `first` on. A code + level already
/// in the working copy fails the statement as a whole (SQLite undoes it): the chunk is
/// then written row by row, so that the error names the entry.
fn insert_entries(
    tx: &Transaction<'_>,
    first: i64,
    chunk: &[&ProcedureData],
    hashes: &[String],
) -> Result<()> {
    let columns = procedure_columns();
    let rows = chunk.iter().zip(hashes).enumerate();
    let mut values: Vec<ToSqlOutput<'_>> = Vec::with_capacity(chunk.len() * columns.len());
    for (offset, (data, hash)) in rows.clone() {
        values.extend(row_values(data, first + offset as i64, hash));
    }
    let written = tx
        .prepare_cached(&insert_sql("procedure", &columns, chunk.len()))?
        .execute(params_from_iter(values));
    match written {
        Ok(_) => Ok(()),
        Err(error)
            if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            let one = insert_sql("procedure", &columns, 1);
            for (offset, (data, hash)) in rows {
                tx.prepare_cached(&one)?
                    .execute(params_from_iter(row_values(
                        data,
                        first + offset as i64,
                        hash,
                    )))
                    .map_err(|error| super::ledger::map_identity_conflict(error, data))?;
            }
            // Every row went in alone: the chunk's statement failed for another reason.
            Err(StoreError::Sqlite(error))
        }
        Err(error) => Err(error.into()),
    }
}

/// The values of one new entry's row, in [`procedure_columns`] order.
fn row_values<'a>(data: &'a ProcedureData, id: i64, hash: &'a str) -> Vec<ToSqlOutput<'a>> {
    let mut values = vec![ToSqlOutput::Owned(Value::Integer(id))];
    values.extend(stored_values(data, hash));
    values
}

/// The "create" ledger lines of `count` entries with ids from `first` on.
fn record_created(tx: &Transaction<'_>, batch_id: i64, first: i64, count: usize) -> Result<()> {
    let columns = ["batch_id", "procedure_id", "action", "field"];
    let mut values = Vec::with_capacity(count * columns.len());
    for id in first..first + count as i64 {
        values.extend([
            Value::Integer(batch_id),
            Value::Integer(id),
            Value::Text(LedgerAction::Create.key().to_owned()),
            Value::Text(String::new()),
        ]);
    }
    tx.prepare_cached(&insert_sql("edit_ledger", &columns, count))?
        .execute(params_from_iter(values))?;
    Ok(())
}

/// Legal-basis links waiting to be written, [`LINKS`] to a statement; each cited number
/// made a (bare) legal document once.
#[derive(Default)]
struct Links {
    waiting: Vec<Value>,
    known: HashSet<String>,
}

impl Links {
    const COLUMNS: [&'static str; 3] = ["procedure_id", "position", "document_number"];

    fn push(&mut self, tx: &Transaction<'_>, id: i64, position: i64, number: &str) -> Result<()> {
        if !self.known.contains(number) {
            tx.prepare_cached("INSERT OR IGNORE INTO legal_document (number) VALUES (?1)")?
                .execute([number])?;
            self.known.insert(number.to_owned());
        }
        self.waiting.extend([
            Value::Integer(id),
            Value::Integer(position),
            Value::Text(number.to_owned()),
        ]);
        if self.waiting.len() == LINKS * Self::COLUMNS.len() {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let rows = self.waiting.len() / Self::COLUMNS.len();
        if rows > 0 {
            tx.prepare_cached(&insert_sql("procedure_legal_basis", &Self::COLUMNS, rows))?
                .execute(params_from_iter(self.waiting.drain(..)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_have_one_group_of_placeholders_per_row() {
        assert_eq!(
            insert_sql("t", &["a", "b"], 3),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)"
        );
    }
}
