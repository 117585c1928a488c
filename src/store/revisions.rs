//! Revisions: named snapshots of the working copy, and publication, which freezes one.
//! Each distinct procedure content is stored once (`procedure_version`) and shared.

use rusqlite::{OptionalExtension, Transaction, params};

use super::procedures::{DataColumns, data_from_row, insert_sql, stored_columns, stored_values};
use super::{Access, Catalogue, Result, StoreError};
use crate::domain::government::GovernmentModel;
use crate::domain::{Date, Procedure, ProcedureData, fnv1a, format_date, split_legal_basis};

/// A named snapshot of the working copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub name: String,
    pub created_at: String,
    pub created_by: String,
    pub note: String,
    pub procedures: u64,
    pub published: Option<Publication>,
    /// The government model the working copy had when the revision was taken.
    pub government: GovernmentModel,
}

/// The decision that published a revision; from then on it is frozen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    pub decision: String,
    pub date: Date,
    pub published_at: String,
    pub published_by: String,
}

/// The reserved name of the working copy in diffs.
pub const WORKING: &str = "working";

pub(super) fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ProcedureData> {
    // Same columns as `procedure`, plus the legal basis inline.
    let basis: String = row.get("legal_basis")?;
    let mut data = data_from_row(row)?;
    data.legal_basis = split_legal_basis(&basis);
    Ok(data)
}

/// The version id of this content, writing it if new.
fn intern_version(tx: &Transaction<'_>, data: &ProcedureData) -> Result<i64> {
    let text = data.canonical_text();
    let base_hash = format!("{:016x}", fnv1a(&text));
    let mut attempt = 0u32;
    loop {
        let hash = if attempt == 0 {
            base_hash.clone()
        } else {
            format!("{base_hash}-{attempt}")
        };
        let found = tx
            .prepare_cached("SELECT * FROM procedure_version WHERE content_hash = ?1")?
            .query_row([&hash], |row| {
                Ok((row.get::<_, i64>("version_id")?, version_from_row(row)?))
            })
            .optional()?;
        match found {
            Some((version_id, stored)) if stored.canonical_text() == text => return Ok(version_id),
            // Another content with the same hash: try the next suffix.
            Some(_) => attempt += 1,
            None => {
                let sql = insert_sql("procedure_version", &stored_columns(), 1);
                let values = stored_values(data, &hash);
                tx.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(values))?;
                return Ok(tx.last_insert_rowid());
            }
        }
    }
}

fn revision_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    let published_at: Option<String> = row.get("published_at")?;
    let published = match published_at {
        Some(published_at) => Some(Publication {
            decision: row
                .get::<_, Option<String>>("published_decision")?
                .unwrap_or_default(),
            // The store writes the date it was given; an unreadable one (a hand edit) reads as
            // the earliest date rather than failing every read of the catalogue.
            date: row
                .get::<_, Option<String>>("published_date")?
                .as_deref()
                .and_then(crate::domain::parse_date)
                .unwrap_or(Date::MIN),
            published_at,
            published_by: row
                .get::<_, Option<String>>("published_by")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Revision {
        name: row.get("name")?,
        created_at: row.get("created_at")?,
        created_by: row.get("created_by")?,
        note: row.get("note")?,
        procedures: row.get::<_, i64>("procedures")? as u64,
        published,
        government: GovernmentModel::from_stored(&row.get::<_, String>("government")?)
            .unwrap_or_default(),
    })
}

const REVISION_SELECT: &str = "SELECT r.*, (SELECT count(*) FROM revision_entry e
                                WHERE e.revision_id = r.revision_id) AS procedures
                               FROM revision r";

impl Catalogue {
    /// Snapshots the working copy under a new name, in one transaction.
    pub fn create_revision(&mut self, name: &str, note: &str) -> Result<Revision> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        let name = name.trim();
        if name.is_empty() || name == WORKING {
            return Err(StoreError::RevisionName(name.to_owned()));
        }
        let procedures = self.procedures()?;
        let editor = self.editor.clone();
        let created_at = self.now();
        let tx = self.begin_write()?;
        let government = super::settings::read(&tx, super::settings::GOVERNMENT)?
            .unwrap_or_else(|| GovernmentModel::ThreeLevel.to_stored());
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM revision WHERE name = ?1)",
            [name],
            |row| row.get(0),
        )?;
        if exists {
            return Err(StoreError::RevisionExists(name.to_owned()));
        }
        tx.execute(
            "INSERT INTO revision (name, created_at, created_by, note, government)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, created_at, editor, note, government],
        )?;
        let revision_id = tx.last_insert_rowid();
        for procedure in &procedures {
            let version_id = intern_version(&tx, &procedure.data)?;
            tx.prepare_cached("INSERT INTO revision_entry (revision_id, procedure_id, version_id) VALUES (?1, ?2, ?3)")?
                .execute(params![revision_id, procedure.procedure_id, version_id])?;
        }
        // Its options, cost model and targets as they stand now.
        tx.execute(
            "INSERT INTO revision_setting (revision_id, key, value)
             SELECT ?1, key, value FROM catalogue_setting",
            [revision_id],
        )?;
        tx.commit()?;
        self.revision(name)
    }

    /// Every revision, oldest first.
    pub fn revisions(&self) -> Result<Vec<Revision>> {
        let mut statement = self
            .conn
            .prepare(&format!("{REVISION_SELECT} ORDER BY r.revision_id"))?;
        let rows = statement.query_map([], revision_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn revision(&self, name: &str) -> Result<Revision> {
        self.conn
            .query_row(
                &format!("{REVISION_SELECT} WHERE r.name = ?1"),
                [name],
                revision_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::RevisionNotFound {
                name: name.to_owned(),
                path: self.path.clone(),
            })
    }

    /// Refuses a revision name the catalogue does not hold, without counting its entries as
    /// [`Catalogue::revision`] does (a national revision's 120,000).
    pub(super) fn ensure_revision(&self, name: &str) -> Result<()> {
        self.conn
            .prepare_cached("SELECT 1 FROM revision WHERE name = ?1")?
            .query_row([name], |_| Ok(()))
            .optional()?
            .ok_or_else(|| StoreError::RevisionNotFound {
                name: name.to_owned(),
                path: self.path.clone(),
            })
    }

    /// The latest published revision, if any.
    pub fn last_published_revision(&self) -> Result<Option<Revision>> {
        Ok(self
            .revisions()?
            .into_iter()
            .filter(|r| r.published.is_some())
            .max_by(|a, b| {
                let key = |r: &Revision| {
                    r.published
                        .as_ref()
                        .map(|p| (p.date, p.published_at.clone()))
                };
                key(a).cmp(&key(b))
            }))
    }

    /// The procedures a revision holds, ordered like the working copy.
    /// A published revision whose seal is broken is refused.
    pub fn revision_procedures(&self, name: &str) -> Result<Vec<Procedure>> {
        self.ensure_revision(name)?;
        self.ensure_sealed(name)?;
        let mut statement = self.conn.prepare(
            "SELECT e.procedure_id AS entry_procedure_id, v.*
             FROM revision_entry e
             JOIN revision r USING (revision_id)
             JOIN procedure_version v USING (version_id)
             WHERE r.name = ?1
             ORDER BY CASE v.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,
                      v.code, e.procedure_id",
        )?;
        let columns = DataColumns::of(&statement, "")?;
        let entry = statement.column_index("entry_procedure_id")?;
        let rows = statement.query_map([name], |row| {
            Ok(Procedure {
                procedure_id: row.get(entry)?,
                data: columns.read(row)?,
                retired: None,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Publishes a revision under a decision: from then on it cannot change.
    pub fn publish_revision(&mut self, name: &str, decision: &str, date: Date) -> Result<Revision> {
        if decision.trim().is_empty() {
            return Err(StoreError::RevisionName(String::new()));
        }
        let editor = self.editor.clone();
        let published_at = self.now();
        let path = self.path.clone();
        // Compare-and-set under the write lock: of two publications of one revision, the
        // second finds it published and is told by whom and by which decision.
        let tx = self.begin_write()?;
        let found: Option<(i64, Option<String>, Option<String>)> = tx
            .query_row(
                "SELECT revision_id, published_decision, published_date FROM revision
                 WHERE name = ?1",
                [name],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        let Some((revision_id, published_decision, published_date)) = found else {
            return Err(StoreError::RevisionNotFound {
                name: name.to_owned(),
                path,
            });
        };
        if let Some(decision) = published_decision {
            let by: String = tx.query_row(
                "SELECT coalesce(published_by, '') FROM revision WHERE revision_id = ?1",
                [revision_id],
                |row| row.get(0),
            )?;
            return Err(StoreError::AlreadyPublished {
                name: name.to_owned(),
                decision,
                date: published_date.unwrap_or_default(),
                by,
            });
        }
        // Sealed by the UPDATE that freezes it: after it, the row cannot change.
        let seal =
            super::seals::compute_for(&tx, revision_id, name, decision.trim(), &format_date(date))?;
        tx.execute(
            "UPDATE revision SET published_decision = ?2, published_date = ?3, published_at = ?4,
                                 published_by = ?5, seal = ?6
             WHERE revision_id = ?1 AND published_at IS NULL",
            params![
                revision_id,
                decision.trim(),
                format_date(date),
                published_at,
                editor,
                seal
            ],
        )?;
        tx.commit()?;
        self.revision(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;

    fn catalogue_with_two() -> (tempfile::TempDir, Catalogue) {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        let data = |code: &str| ProcedureData {
            code: code.into(),
            name: format!("Thủ tục {code}"),
            level: Some(crate::domain::Level::Province),
            legal_basis: vec!["50/2014/QH13".into()],
            ..ProcedureData::default()
        };
        catalogue
            .apply_changes(
                "add",
                &[
                    Change::Create(data("1.000001")),
                    Change::Create(data("1.000002")),
                ],
            )
            .unwrap();
        (dir, catalogue)
    }

    #[test]
    fn a_revision_keeps_its_snapshot_while_the_working_copy_changes() {
        let (_dir, mut catalogue) = catalogue_with_two();
        let revision = catalogue.create_revision("2017-draft", "first").unwrap();
        assert_eq!(revision.procedures, 2);
        let id = catalogue.procedures().unwrap()[0].procedure_id;
        let mut data = catalogue.procedure(id).unwrap().data;
        data.name = "Tên mới".into();
        catalogue
            .apply_changes(
                "edit",
                &[Change::Update {
                    procedure_id: id,
                    data,
                }],
            )
            .unwrap();
        let snapshot = catalogue.revision_procedures("2017-draft").unwrap();
        assert_eq!(snapshot[0].data.name, "Thủ tục 1.000001");
        assert_eq!(snapshot[0].data.legal_basis, ["50/2014/QH13"]);
        // A second revision shares the unchanged version.
        catalogue.create_revision("2017-final", "").unwrap();
        let versions: i64 = catalogue
            .connection()
            .query_row("SELECT count(*) FROM procedure_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(versions, 3);
        assert!(matches!(
            catalogue.create_revision("2017-final", ""),
            Err(StoreError::RevisionExists(_))
        ));
        assert!(matches!(
            catalogue.create_revision("working", ""),
            Err(StoreError::RevisionName(_))
        ));
    }

    #[test]
    fn a_published_revision_refuses_every_change_even_in_plain_sql() {
        let (_dir, mut catalogue) = catalogue_with_two();
        catalogue.create_revision("r1", "").unwrap();
        let date = crate::domain::parse_date("2017-06-30").unwrap();
        let published = catalogue
            .publish_revision("r1", "1234/QĐ-UBND", date)
            .unwrap();
        assert_eq!(published.published.unwrap().decision, "1234/QĐ-UBND");
        let conn = catalogue.connection();
        for sql in [
            "UPDATE revision SET name = 'x' WHERE name = 'r1'",
            "DELETE FROM revision WHERE name = 'r1'",
            "DELETE FROM revision_entry",
            "UPDATE revision_entry SET version_id = version_id",
            "UPDATE procedure_version SET name = 'x'",
            "DELETE FROM procedure_version",
        ] {
            let error = conn.execute(sql, []).unwrap_err().to_string();
            assert!(
                error.contains("frozen")
                    || error.contains("never changed")
                    || error.contains("published"),
                "{sql}: {error}"
            );
        }
        assert!(matches!(
            catalogue.publish_revision("r1", "9/QĐ-UBND", date),
            Err(StoreError::AlreadyPublished { .. })
        ));
        assert_eq!(catalogue.revision_procedures("r1").unwrap().len(), 2);
    }
}
