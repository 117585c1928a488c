//! Entries read one at a time in an order the caller chose: what an export of a national
//! catalogue needs. Only each entry's key is held, never every entry's long texts at once.

use std::collections::HashMap;

use rusqlite::CachedStatement;

use super::procedures::{DataColumns, parse_time_and_fee, read_columns};
use super::{Catalogue, Result};
use crate::domain::{
    Level, Procedure, ProcedureData, ProcedureField, join_legal_basis, split_legal_basis,
};

/// Where an entry is stored (a working entry's id, or a revision's version id) and what
/// places it in the published order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryKey {
    pub row: i64,
    pub level: Level,
    pub field: String,
    pub code: String,
}

impl Catalogue {
    /// One read transaction over several statements: they see the file as it was when it
    /// began, whatever another program commits meanwhile (a list's keys, then its entries one
    /// by one), and SQLite takes its read lock once, not per statement. `None` inside a
    /// transaction already open.
    pub fn read_snapshot(&self) -> Result<Option<rusqlite::Transaction<'_>>> {
        if !self.conn.is_autocommit() {
            return Ok(None);
        }
        Ok(Some(self.conn.unchecked_transaction()?))
    }

    /// The keys of the working copy (`None`) or of a revision (its seal checked first).
    pub fn entry_keys(&self, revision: Option<&str>) -> Result<Vec<EntryKey>> {
        let key = |row: &rusqlite::Row<'_>| -> rusqlite::Result<EntryKey> {
            let level: String = row.get(1)?;
            Ok(EntryKey {
                row: row.get(0)?,
                // CHECK constraints guarantee the level; a hand-edited file reads as province.
                level: Level::parse(&level).unwrap_or(Level::Province),
                field: row.get(2)?,
                code: row.get(3)?,
            })
        };
        let keys = match revision {
            None => self
                .conn
                .prepare(
                    "SELECT procedure_id, level, field, code FROM procedure
                     WHERE retired_at IS NULL",
                )?
                .query_map([], key)?
                .collect::<rusqlite::Result<_>>()?,
            Some(name) => {
                self.revision(name)?;
                self.ensure_sealed(name)?;
                self.conn
                    .prepare(
                        "SELECT v.version_id, v.level, v.field, v.code
                         FROM revision_entry e
                         JOIN revision r USING (revision_id)
                         JOIN procedure_version v USING (version_id)
                         WHERE r.name = ?1",
                    )?
                    .query_map([name], key)?
                    .collect::<rusqlite::Result<_>>()?
            }
        };
        Ok(keys)
    }

    /// Reads entries by their [`EntryKey::row`]: working entries, or a revision's versions.
    pub fn entry_reader(&self, revision: bool) -> Result<EntryReader<'_>> {
        let sql = if revision {
            "SELECT * FROM procedure_version WHERE version_id = ?1"
        } else {
            "SELECT * FROM procedure WHERE procedure_id = ?1"
        };
        let table = if revision {
            "procedure_version WHERE version_id = ?1"
        } else {
            "procedure WHERE procedure_id = ?1"
        };
        let columns = ProcedureField::ALL
            .iter()
            .map(|field| format!("coalesce(CAST({} AS TEXT), '')", column_of(*field)))
            .collect::<Vec<_>>()
            .join(", ");
        let statement = self.conn.prepare_cached(sql)?;
        Ok(EntryReader {
            columns: DataColumns::of(&statement, "")?,
            statement,
            texts: self
                .conn
                .prepare_cached(&format!("SELECT {columns} FROM {table}"))?,
        })
    }
}

/// Entries as the audit reads them: without the long texts no rule looks at (steps, methods,
/// dossier, requirements, result, notes), each with the content hash the store keeps of the
/// whole entry, which is all a finding's fingerprint needs of those texts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditEntries {
    pub procedures: Vec<Procedure>,
    /// [`ProcedureData::fingerprint`] of each whole entry, by procedure id.
    pub fingerprints: HashMap<i64, u64>,
}

/// Columns read in place of the long texts.
const LEFT_OUT: [&str; 6] = [
    "steps",
    "methods",
    "dossier",
    "requirements",
    "result",
    "notes",
];

impl Catalogue {
    /// The working copy (`None`) or a revision (its seal checked first), as the audit reads
    /// it: a national catalogue's audit then holds a fraction of the entries' text.
    pub fn audit_entries(&self, revision: Option<&str>) -> Result<AuditEntries> {
        let (table, filter, id) = match revision {
            None => (
                "procedure p",
                "WHERE p.retired_at IS NULL",
                "p.procedure_id",
            ),
            Some(name) => {
                self.revision(name)?;
                self.ensure_sealed(name)?;
                (
                    "revision_entry e JOIN revision r USING (revision_id)
                     JOIN procedure_version p USING (version_id)",
                    "WHERE r.name = ?1",
                    "e.procedure_id",
                )
            }
        };
        let columns = read_columns()
            .map(|column| {
                if LEFT_OUT.contains(&column) {
                    format!("'' AS {column}")
                } else {
                    format!("p.{column}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut statement = self.conn.prepare(&format!(
            "SELECT {id} AS entry_id, p.content_hash AS entry_hash, {columns}
             FROM {table} {filter}
             ORDER BY CASE p.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,
                      p.code, {id}"
        ))?;
        let data = DataColumns::of(&statement, "")?;
        // Sized at once: a vector that doubles as it fills holds twice the entries for a time.
        let count: i64 = match revision {
            None => self.conn.query_row(
                "SELECT count(*) FROM procedure WHERE retired_at IS NULL",
                [],
                |row| row.get(0),
            )?,
            Some(name) => self.conn.query_row(
                "SELECT count(*) FROM revision_entry JOIN revision USING (revision_id)
                 WHERE name = ?1",
                [name],
                |row| row.get(0),
            )?,
        };
        let mut entries = AuditEntries {
            procedures: Vec::with_capacity(count.max(0) as usize),
            fingerprints: HashMap::with_capacity(count.max(0) as usize),
        };
        let mut raw = Vec::with_capacity(count.max(0) as usize);
        let mut unhashed = Vec::new();
        let mut rows = match revision {
            None => statement.query([])?,
            Some(name) => statement.query([name])?,
        };
        while let Some(row) = rows.next()? {
            let procedure_id: i64 = row.get(0)?;
            let hash: String = row.get(1)?;
            match u64::from_str_radix(&hash, 16) {
                Ok(fingerprint) => {
                    entries.fingerprints.insert(procedure_id, fingerprint);
                }
                Err(_) => unhashed.push(procedure_id),
            }
            let (data, time, fee) = data.read_unparsed(row)?;
            entries.procedures.push(Procedure {
                procedure_id,
                data,
                retired: None,
            });
            raw.push((time, fee));
        }
        drop(rows);
        crate::parallel::zip_for_each_mut(&mut entries.procedures, &raw, |entry, (time, fee)| {
            (entry.data.processing_time, entry.data.fee) = parse_time_and_fee(time, fee);
        });
        drop(raw);
        // Changed outside the application (the hash was cleared): hashed whole.
        for procedure_id in unhashed {
            let fingerprint = match revision {
                None => self.procedure(procedure_id)?.data.fingerprint(),
                Some(name) => self.revision_entry_fingerprint(name, procedure_id)?,
            };
            entries.fingerprints.insert(procedure_id, fingerprint);
        }
        Ok(entries)
    }

    fn revision_entry_fingerprint(&self, name: &str, procedure_id: i64) -> Result<u64> {
        let mut statement = self.conn.prepare_cached(
            "SELECT p.* FROM revision_entry e JOIN revision r USING (revision_id)
             JOIN procedure_version p USING (version_id)
             WHERE r.name = ?1 AND e.procedure_id = ?2",
        )?;
        let columns = DataColumns::of(&statement, "")?;
        Ok(statement
            .query_row(rusqlite::params![name, procedure_id], |row| {
                columns.read(row)
            })?
            .fingerprint())
    }
}

/// See [`Catalogue::entry_reader`].
pub struct EntryReader<'c> {
    statement: CachedStatement<'c>,
    columns: DataColumns,
    texts: CachedStatement<'c>,
}

/// The column a field is stored in.
fn column_of(field: ProcedureField) -> &'static str {
    match field {
        ProcedureField::ProcessingTime => "processing_time",
        other => other.key(),
    }
}

impl EntryReader<'_> {
    /// Every field's text, in [`ProcedureField::ALL`]'s order, as
    /// [`ProcedureField::value_text`] gives it, straight from the stored columns: nothing
    /// parsed (a CSV export of 120,000 entries spent half its time parsing what it only
    /// writes back). Debug builds (every test) check it against the parsed entry.
    pub fn texts(&mut self, row: i64) -> Result<Vec<String>> {
        let mut owned = Vec::new();
        self.with_texts(row, |texts| {
            owned = texts.iter().map(|text| (*text).to_owned()).collect();
        })?;
        Ok(owned)
    }

    /// Calls `with` on every field's text as [`texts`](Self::texts) gives them, borrowed
    /// from SQLite's row: nothing copied (a CSV export writes them as they come).
    pub fn with_texts(&mut self, row: i64, with: impl FnOnce(&[&str])) -> Result<()> {
        const LEGAL_BASIS: usize = 10;
        debug_assert_eq!(ProcedureField::ALL[LEGAL_BASIS], ProcedureField::LegalBasis);
        let parsed: Option<Vec<String>> = if cfg!(debug_assertions) {
            let data = self.read(row)?;
            Some(
                ProcedureField::ALL
                    .iter()
                    .map(|field| field.value_text(&data))
                    .collect(),
            )
        } else {
            None
        };
        self.texts.query_row([row], |sql_row| {
            let mut texts = [""; ProcedureField::ALL.len()];
            for (index, text) in texts.iter_mut().enumerate() {
                *text = sql_row.get_ref(index)?.as_str().unwrap_or_default();
            }
            // Lines of the legal basis as the store reads them back (trimmed, none empty),
            // when they need tidying.
            let basis = texts[LEGAL_BASIS];
            let tidy_already = basis.is_empty()
                || basis
                    .split('\n')
                    .all(|line| !line.is_empty() && line.trim() == line);
            let tidy;
            if !tidy_already {
                tidy = join_legal_basis(&split_legal_basis(basis));
                texts[LEGAL_BASIS] = &tidy;
            }
            if let Some(parsed) = &parsed {
                let parsed: Vec<&str> = parsed.iter().map(String::as_str).collect();
                debug_assert_eq!(
                    texts.as_slice(),
                    parsed.as_slice(),
                    "stored texts differ from the entry's values"
                );
            }
            with(&texts);
            Ok(())
        })?;
        Ok(())
    }

    pub fn read(&mut self, row: i64) -> Result<ProcedureData> {
        let columns = &self.columns;
        Ok(self.statement.query_row([row], |row| columns.read(row))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;

    #[test]
    fn entries_read_by_key_are_the_entries_of_the_side() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        let data = |code: &str, level| ProcedureData {
            code: code.to_owned(),
            name: format!("Thủ tục {code}"),
            level: Some(level),
            field: "Hộ tịch".to_owned(),
            legal_basis: vec!["15/2015/TT-BTP".to_owned()],
            dossier: "Tờ khai (bản chính, 01 bản)".to_owned(),
            ..ProcedureData::default()
        };
        let changes = [
            Change::Create(data("1.000001", Level::Province)),
            Change::Create(data("2.000002", Level::Commune)),
        ];
        catalogue.apply_changes("two", &changes).unwrap();
        catalogue.create_revision("r1", "").unwrap();
        for revision in [None, Some("r1")] {
            let mut keys = catalogue.entry_keys(revision).unwrap();
            keys.sort_by(|a, b| a.code.cmp(&b.code));
            assert_eq!(keys.len(), 2);
            assert_eq!(
                (keys[1].level, keys[1].field.as_str()),
                (Level::Commune, "Hộ tịch")
            );
            let mut reader = catalogue.entry_reader(revision.is_some()).unwrap();
            let read = reader.read(keys[1].row).unwrap();
            assert_eq!(read.code, "2.000002");
            let texts = reader.texts(keys[1].row).unwrap();
            assert_eq!(texts[0], "2.000002");
            assert_eq!(texts[2], "commune");
            assert_eq!(read.legal_basis, vec!["15/2015/TT-BTP".to_owned()]);
        }
        // The audit's read: fingerprints from the stored hash, or, where an outside edit
        // cleared it, from the whole entry.
        catalogue
            .connection()
            .execute(
                "UPDATE procedure SET content_hash = '' WHERE code = '2.000002'",
                [],
            )
            .unwrap();
        for revision in [None, Some("r1")] {
            let read = catalogue.audit_entries(revision).unwrap();
            assert_eq!(read.procedures.len(), 2);
            for procedure in &read.procedures {
                assert!(procedure.data.dossier.is_empty());
                let whole = catalogue.procedure(procedure.procedure_id).unwrap();
                assert_eq!(
                    read.fingerprints[&procedure.procedure_id],
                    whole.data.fingerprint()
                );
            }
        }
    }
}
