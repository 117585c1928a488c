//! Settings of a catalogue that are not procedures (the government model first). Each
//! change is written inside a ledger batch with its old value, so undo and redo cover it as
//! they cover procedures.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Catalogue, Result};
use crate::domain::government::GovernmentModel;

/// Key of the government model: `three_level` or `two_level YYYY-MM-DD`.
pub const GOVERNMENT: &str = "government";

/// Key of the catalogue's name (the province: "Thái Nguyên"), which provenance names.
pub const CATALOGUE_NAME: &str = "catalogue_name";

/// One line of the settings ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SettingLine {
    pub key: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl Catalogue {
    /// A setting's value, `None` when it was never set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        read(&self.conn, key)
    }

    /// The catalogue's name: as set, else its file's name without the extension.
    pub fn name(&self) -> Result<String> {
        Ok(self
            .setting(CATALOGUE_NAME)?
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| {
                self.path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }))
    }

    /// The working copy's settings whose key starts with `prefix`, sorted by key.
    pub fn settings_under(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        under(
            &self.conn,
            "SELECT key, value FROM catalogue_setting",
            "",
            prefix,
        )
    }

    /// The settings revision `name` was taken with whose key starts with `prefix`.
    pub fn revision_settings_under(
        &self,
        name: &str,
        prefix: &str,
    ) -> Result<Vec<(String, String)>> {
        self.ensure_revision(name)?;
        under(
            &self.conn,
            "SELECT s.key, s.value FROM revision_setting s JOIN revision r USING (revision_id)",
            name,
            prefix,
        )
    }

    /// The government model of the working copy (three levels unless set).
    pub fn government(&self) -> Result<GovernmentModel> {
        Ok(self
            .setting(GOVERNMENT)?
            .and_then(|text| GovernmentModel::from_stored(&text))
            .unwrap_or_default())
    }
}

/// Rows of `select` (its settings table as `s` or bare) with keys under `prefix`, and of
/// revision `name` when given, sorted by key. A prefix range keeps to the key index.
fn under(
    conn: &rusqlite::Connection,
    select: &str,
    name: &str,
    prefix: &str,
) -> Result<Vec<(String, String)>> {
    let revision = if name.is_empty() {
        ""
    } else {
        " AND r.name = ?3"
    };
    let sql = format!("{select} WHERE key >= ?1 AND key < ?2{revision} ORDER BY key");
    let mut statement = conn.prepare_cached(&sql)?;
    // Every key under the prefix sorts before the prefix followed by the highest character.
    let end = format!("{prefix}\u{10FFFF}");
    let read = |row: &rusqlite::Row<'_>| Ok((row.get(0)?, row.get(1)?));
    let rows = if name.is_empty() {
        statement.query_map(params![prefix, end], read)?
    } else {
        statement.query_map(params![prefix, end, name], read)?
    };
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn read(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM catalogue_setting WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?)
}

/// Sets `key` to `value` (or removes it) in batch `batch_id`; writes a ledger line when the
/// value changes. Returns whether it did.
pub(super) fn write(
    tx: &Transaction<'_>,
    batch_id: i64,
    key: &str,
    value: Option<&str>,
) -> Result<bool> {
    let old = read(tx, key)?;
    if old.as_deref() == value {
        return Ok(false);
    }
    put(tx, key, value)?;
    tx.prepare_cached(
        "INSERT INTO setting_ledger (batch_id, key, old_value, new_value) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![batch_id, key, old, value])?;
    Ok(true)
}

fn put(tx: &Transaction<'_>, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(value) => tx.execute(
            "INSERT INTO catalogue_setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?,
        None => tx.execute("DELETE FROM catalogue_setting WHERE key = ?1", [key])?,
    };
    Ok(())
}

/// The settings lines of one batch, in the order written.
pub(super) fn lines_of_batch(
    conn: &rusqlite::Connection,
    batch_id: i64,
) -> Result<Vec<SettingLine>> {
    let mut statement = conn.prepare_cached(
        "SELECT key, old_value, new_value FROM setting_ledger WHERE batch_id = ?1 ORDER BY edit_id",
    )?;
    let rows = statement.query_map([batch_id], |row| {
        Ok(SettingLine {
            key: row.get(0)?,
            old_value: row.get(1)?,
            new_value: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether batch `batch_id` changed any setting.
pub(super) fn batch_has_lines(conn: &rusqlite::Connection, batch_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM setting_ledger WHERE batch_id = ?1)",
        [batch_id],
        |row| row.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;

    #[test]
    fn a_setting_s_change_is_one_batch_that_undo_and_redo_cover_and_no_change_writes_none() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        assert_eq!(catalogue.government().unwrap(), GovernmentModel::ThreeLevel);
        let applied = catalogue
            .apply_changes("2 cấp", &[Change::government(GovernmentModel::two_level())])
            .unwrap();
        assert_eq!(applied.settings, 1);
        assert!(applied.batch_id.is_some());
        assert_eq!(
            catalogue.setting(GOVERNMENT).unwrap().as_deref(),
            Some("two_level 2025-07-01")
        );
        // The same value again: nothing changed, no batch left behind.
        let again = catalogue
            .apply_changes("2 cấp", &[Change::government(GovernmentModel::two_level())])
            .unwrap();
        assert_eq!((again.settings, again.batch_id), (0, None));

        let undone = catalogue.undo().unwrap().unwrap();
        assert_eq!(undone.settings, [GOVERNMENT]);
        assert!(undone.procedure_ids.is_empty());
        assert_eq!(catalogue.setting(GOVERNMENT).unwrap(), None);
        assert_eq!(catalogue.government().unwrap(), GovernmentModel::ThreeLevel);
        catalogue.redo().unwrap().unwrap();
        assert_eq!(
            catalogue.government().unwrap(),
            GovernmentModel::two_level()
        );
        // A revision remembers the model it was taken under.
        let revision = catalogue.create_revision("hai-cap", "").unwrap();
        assert_eq!(revision.government, GovernmentModel::two_level());
    }
}
