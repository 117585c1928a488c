//! Entries read one at a time in an order the caller chose: what an export of a national
//! catalogue needs. Only each entry's key is held, never every entry's long texts at once.

use std::collections::HashMap;

use rusqlite::CachedStatement;

use super::procedures::{DataColumns, parse_times_and_fees, read_columns};
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

    /// One row per entry of the working copy (`None`) or of a revision (its seal checked
    /// first): `columns` reads the entry as `p`, with `{id}` for its procedure id and `{row}`
    /// for where it is stored (the working entry, or the revision's version).
    pub(super) fn side_rows<T>(
        &self,
        revision: Option<&str>,
        columns: &str,
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut statement = self
            .conn
            .prepare(&side_select(revision.is_some(), columns))?;
        let rows = match revision {
            None => statement.query_map([], read)?,
            Some(name) => {
                self.ensure_revision(name)?;
                self.ensure_sealed(name)?;
                statement.query_map([name], read)?
            }
        };
        let rows = rows.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
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
        let keys = self.side_rows(revision, "{row}, p.level, p.field, p.code", key)?;
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
        let columns = text_columns("");
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

/// An entry of the working copy or of a revision as the audit first lists them: what places
/// it (level, code) and its name, without the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditKey {
    pub procedure_id: i64,
    /// Where it is stored: the working entry's id, or the revision's version id.
    row: i64,
    pub level: Level,
    pub code: String,
    pub name: String,
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
    /// The keys of the working copy (`None`) or of a revision (its seal checked first), by
    /// level, code, then id: the audit reads them all, then the entries of one province's
    /// level at a time ([`Catalogue::read_audit_groups`]).
    pub fn audit_keys(&self, revision: Option<&str>) -> Result<Vec<AuditKey>> {
        let key = |row: &rusqlite::Row<'_>| -> rusqlite::Result<AuditKey> {
            let level: String = row.get(2)?;
            Ok(AuditKey {
                procedure_id: row.get(0)?,
                row: row.get(1)?,
                // CHECK constraints guarantee the level; a hand-edited file reads as province.
                level: Level::parse(&level).unwrap_or(Level::Province),
                code: row.get(3)?,
                name: row.get(4)?,
            })
        };
        let mut keys = self.side_rows(revision, "{id}, {row}, p.level, p.code, p.name", key)?;
        keys.sort_unstable_by(|a, b| {
            (a.level, &a.code, a.procedure_id).cmp(&(b.level, &b.code, b.procedure_id))
        });
        Ok(keys)
    }

    /// Reads the entries of `keys` as the audit reads them, in one pass over the file, and
    /// hands the entries of each group (indexes into `keys`) to `each` with the group's
    /// index, in the group's order, as soon as the last of them is read; `each` returns
    /// `false` to stop. Only the groups
    /// begun and not yet finished are held: a file written province by province holds one
    /// or two provinces at a time, whatever its size.
    pub fn read_audit_groups(
        &self,
        revision: Option<&str>,
        keys: &[AuditKey],
        groups: &[Vec<usize>],
        each: &mut dyn FnMut(usize, AuditEntries) -> bool,
    ) -> Result<()> {
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
        let mut statement = self.conn.prepare(&side_select(
            revision.is_some(),
            &format!("{{row}} AS entry_row, p.content_hash AS entry_hash, {columns}"),
        ))?;
        let data = DataColumns::of(&statement, "")?;
        // Where each stored row goes: its group and its place in it, by row (searched, not
        // hashed: a national catalogue's rows come in order).
        let mut place: Vec<(i64, u32, u32)> = Vec::with_capacity(keys.len());
        for (group, members) in groups.iter().enumerate() {
            for (position, &key) in members.iter().enumerate() {
                place.push((keys[key].row, group as u32, position as u32));
            }
        }
        place.sort_unstable();
        let mut pending: HashMap<u32, (Vec<Option<ReadEntry>>, usize)> = HashMap::new();
        let mut rows = match revision {
            None => statement.query([])?,
            Some(name) => statement.query([name])?,
        };
        while let Some(row) = rows.next()? {
            // Not among the keys: written since they were read (outside a snapshot).
            let stored: i64 = row.get(0)?;
            let Ok(found) = place.binary_search_by_key(&stored, |(row, _, _)| *row) else {
                continue;
            };
            let (_, group, position) = place[found];
            let hash: String = row.get(1)?;
            let (entry, time, fee) = data.read_unparsed(row)?;
            let members = &groups[group as usize];
            let (slots, left) = pending
                .entry(group)
                .or_insert_with(|| (vec![None; members.len()], members.len()));
            if slots[position as usize]
                .replace(ReadEntry {
                    data: entry,
                    hash,
                    time,
                    fee,
                })
                .is_none()
            {
                *left -= 1;
            }
            if *left > 0 {
                continue;
            }
            let (slots, _) = pending.remove(&group).unwrap_or_default();
            let entries = self.audit_group(revision.is_some(), keys, members, slots)?;
            if !each(group as usize, entries) {
                return Ok(());
            }
        }
        Ok(())
    }

    /// One group's entries as read, made [`AuditEntries`]: times and fees parsed, each
    /// fingerprint from the stored content hash, or, where an outside edit cleared it, from
    /// the whole entry.
    fn audit_group(
        &self,
        revision: bool,
        keys: &[AuditKey],
        members: &[usize],
        slots: Vec<Option<ReadEntry>>,
    ) -> Result<AuditEntries> {
        let mut entries = AuditEntries {
            procedures: Vec::with_capacity(members.len()),
            fingerprints: HashMap::with_capacity(members.len()),
        };
        let mut raw = Vec::with_capacity(members.len());
        // A group is handed on once every slot is filled.
        for (&member, read) in members.iter().zip(slots.into_iter().flatten()) {
            let key = &keys[member];
            let fingerprint = match u64::from_str_radix(&read.hash, 16) {
                Ok(fingerprint) => fingerprint,
                Err(_) => self.stored_entry_fingerprint(revision, key.row)?,
            };
            entries.fingerprints.insert(key.procedure_id, fingerprint);
            entries.procedures.push(Procedure {
                procedure_id: key.procedure_id,
                data: read.data,
                retired: None,
            });
            raw.push((read.time, read.fee));
        }
        parse_times_and_fees(&mut entries.procedures, &raw, |entry, time, fee| {
            (entry.data.processing_time, entry.data.fee) = (time.clone(), fee.clone());
        });
        Ok(entries)
    }

    /// The fingerprint of a whole entry read by its storage row.
    fn stored_entry_fingerprint(&self, revision: bool, row: i64) -> Result<u64> {
        if !revision {
            return Ok(self.procedure(row)?.data.fingerprint());
        }
        let mut statement = self
            .conn
            .prepare_cached("SELECT * FROM procedure_version WHERE version_id = ?1")?;
        let columns = DataColumns::of(&statement, "")?;
        Ok(statement
            .query_row([row], |row| columns.read(row))?
            .fingerprint())
    }
}

/// A SELECT of `columns` over the entries of the working copy (`revision` false) or of the
/// revision named by `?1`: `p` is the entry as stored, `{id}` its procedure id, `{row}` where it
/// is stored (the working entry, or the revision's version). The working copy is read in
/// stored order: an index would interleave the provinces, and the audit would hold every
/// province it had begun until the end.
fn side_select(revision: bool, columns: &str) -> String {
    if revision {
        let columns = columns
            .replace("{id}", "e.procedure_id")
            .replace("{row}", "p.version_id");
        format!(
            "SELECT {columns} FROM revision_entry e
             JOIN revision r USING (revision_id)
             JOIN procedure_version p USING (version_id)
             WHERE r.name = ?1"
        )
    } else {
        let columns = columns
            .replace("{id}", "p.procedure_id")
            .replace("{row}", "p.procedure_id");
        format!("SELECT {columns} FROM procedure p NOT INDEXED WHERE p.retired_at IS NULL")
    }
}

/// An entry as [`Catalogue::read_audit_groups`] reads it, before its group is complete.
#[derive(Clone)]
struct ReadEntry {
    data: ProcedureData,
    hash: String,
    time: String,
    fee: String,
}

/// See [`Catalogue::entry_reader`].
pub struct EntryReader<'c> {
    statement: CachedStatement<'c>,
    columns: DataColumns,
    texts: CachedStatement<'c>,
}

/// Every field's column as text, in [`ProcedureField::ALL`]'s order (`prefix`: the table's
/// alias and a dot, or nothing): what [`stored_texts`] reads. Only the columns that may be
/// empty (NULL) or hold numbers are converted; the others are text by the schema (STRICT,
/// NOT NULL), read as stored (a publication's seal reads 26 of them per entry).
pub(super) fn text_columns(prefix: &str) -> String {
    const NULLABLE_OR_NUMBER: [&str; 6] = [
        "tier",
        "decision_date",
        "effective_from",
        "effective_until",
        "dossiers_last_year",
        "dossiers_year_before",
    ];
    ProcedureField::ALL
        .iter()
        .map(|field| {
            let column = column_of(*field);
            if NULLABLE_OR_NUMBER.contains(&column) {
                format!("coalesce(CAST({prefix}{column} AS TEXT), '')")
            } else {
                format!("{prefix}{column}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the legal basis stands in [`ProcedureField::ALL`].
const LEGAL_BASIS: usize = 10;

/// The legal basis as the store reads it back (lines trimmed, none empty): `basis` itself
/// when it is so already, else tidied into `tidy`.
fn tidied_basis<'a>(basis: &'a str, tidy: &'a mut String) -> &'a str {
    debug_assert_eq!(ProcedureField::ALL[LEGAL_BASIS], ProcedureField::LegalBasis);
    let tidy_already = basis.is_empty()
        || basis
            .split('\n')
            .all(|line| !line.is_empty() && line.trim() == line);
    if tidy_already {
        return basis;
    }
    *tidy = join_legal_basis(&split_legal_basis(basis));
    tidy
}

/// Every field's text as [`ProcedureField::value_text`] gives it, borrowed from the row's
/// [`text_columns`] from column `at`: the stored text is the value's text, but for the legal
/// basis, whose lines are tidied as the store reads them back (into `tidy`) when they need it.
pub(super) fn stored_texts<'row>(
    row: &'row rusqlite::Row<'_>,
    at: usize,
    tidy: &'row mut String,
) -> rusqlite::Result<[&'row str; ProcedureField::ALL.len()]> {
    let mut texts = [""; ProcedureField::ALL.len()];
    for (index, text) in texts.iter_mut().enumerate() {
        *text = row.get_ref(at + index)?.as_str().unwrap_or_default();
    }
    texts[LEGAL_BASIS] = tidied_basis(texts[LEGAL_BASIS], tidy);
    Ok(texts)
}

/// As [`stored_texts`], as bytes: only the legal basis is read as text (to tidy its lines);
/// the rest is hashed as stored, unvalidated (a publication's seal reads every long text).
pub(super) fn stored_bytes<'row>(
    row: &'row rusqlite::Row<'_>,
    at: usize,
    tidy: &'row mut String,
) -> rusqlite::Result<[&'row [u8]; ProcedureField::ALL.len()]> {
    let mut bytes: [&[u8]; ProcedureField::ALL.len()] = [b""; ProcedureField::ALL.len()];
    for (index, field) in bytes.iter_mut().enumerate() {
        if index != LEGAL_BASIS {
            *field = row.get_ref(at + index)?.as_bytes().unwrap_or_default();
        }
    }
    let basis = row.get_ref(at + LEGAL_BASIS)?.as_str().unwrap_or_default();
    bytes[LEGAL_BASIS] = tidied_basis(basis, tidy).as_bytes();
    Ok(bytes)
}

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
            let mut tidy = String::new();
            let texts = stored_texts(sql_row, 0, &mut tidy)?;
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
            let keys = catalogue.audit_keys(revision).unwrap();
            assert_eq!(
                keys.iter().map(|k| k.code.as_str()).collect::<Vec<_>>(),
                ["1.000001", "2.000002"]
            );
            // Two groups, the second read first: each comes whole, in its own order.
            let mut groups = Vec::new();
            catalogue
                .read_audit_groups(
                    revision,
                    &keys,
                    &[vec![1], vec![0]],
                    &mut |group, entries| {
                        groups.push((group, entries));
                        true
                    },
                )
                .unwrap();
            groups.sort_by_key(|(group, _)| *group);
            assert_eq!(groups[0].1.procedures[0].data.code, "2.000002");
            let read = AuditEntries {
                procedures: groups
                    .iter()
                    .flat_map(|(_, g)| g.procedures.clone())
                    .collect(),
                fingerprints: groups
                    .into_iter()
                    .flat_map(|(_, g)| g.fingerprints)
                    .collect(),
            };
            assert_eq!(read.procedures.len(), 2);
            for procedure in &read.procedures {
                assert!(procedure.data.dossier.is_empty());
                let whole = catalogue.procedure(procedure.procedure_id).unwrap();
                assert_eq!(procedure.data.name, whole.data.name);
                assert_eq!(
                    read.fingerprints[&procedure.procedure_id],
                    whole.data.fingerprint()
                );
            }
        }
    }
}
