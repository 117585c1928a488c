//! The schema: an append-only list of migrations, applied on every open.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of every catalogue file: 'TTHC' in ASCII.
pub const APPLICATION_ID: i64 = 0x5454_4843;

/// Never edit or remove an entry: append a new one.
fn migrations() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("migrations/0001_catalogue.sql")),
        M::up(include_str!("migrations/0002_undo.sql")),
        M::up(include_str!("migrations/0003_revisions.sql")),
        M::up(include_str!("migrations/0004_audit_verdicts.sql")),
        // This hook once filled the content hashes; migration 6 changed what is hashed and
        // fills them all again, in the form this build reads, so here there is nothing to do.
        M::up_with_hook(
            include_str!("migrations/0005_legal_basis_text.sql"),
            |_: &rusqlite::Transaction| Ok(()),
        ),
        M::up_with_hook(
            include_str!("migrations/0006_values_as_written.sql"),
            |tx: &rusqlite::Transaction| {
                super::upgrade::values_as_written(tx)
                    .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))
            },
        ),
        M::up_with_hook(
            include_str!("migrations/0007_seals.sql"),
            |tx: &rusqlite::Transaction| {
                // Published rows are frozen: the seal is written with the freeze lifted, then
                // every freeze trigger is (re)made.
                tx.execute_batch("DROP TRIGGER IF EXISTS revision_published_no_update")
                    .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))?;
                super::seals::seal_unsealed(tx)
                    .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))?;
                tx.execute_batch(super::seals::FREEZE_TRIGGERS)
                    .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))
            },
        ),
        M::up(include_str!("migrations/0008_settings.sql")),
        M::up(include_str!("migrations/0009_provenance.sql")),
        M::up_with_hook(
            include_str!("migrations/0010_revision_settings.sql"),
            |tx: &rusqlite::Transaction| {
                // Revisions taken before record no settings: no option existed then.
                tx.execute_batch(super::seals::FREEZE_SETTING_TRIGGERS)
                    .map_err(|error| rusqlite_migration::HookError::Hook(error.to_string()))
            },
        ),
    ]
}

/// The `user_version` this build writes.
pub const LATEST_SCHEMA_VERSION: i64 = 10;

pub(super) fn migrate(conn: &mut Connection) -> Result<(), String> {
    Migrations::new(migrations())
        .to_latest(conn)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        Migrations::new(migrations()).validate().unwrap();
        assert_eq!(migrations().len() as i64, LATEST_SCHEMA_VERSION);
    }

    #[test]
    fn a_schema_1_file_upgrades_and_keeps_its_procedures_and_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.sqlite");
        {
            // Recreate a file as the first release wrote it.
            let mut conn = Connection::open(&path).unwrap();
            Migrations::new(migrations().into_iter().take(1).collect())
                .to_latest(&mut conn)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO procedure (code, name, level) VALUES ('1.000001', 'Đăng ký khai sinh', 'commune');
                 INSERT INTO legal_document (number) VALUES ('15/2014/QH13'), ('23/2015/NĐ-CP');
                 INSERT INTO procedure_legal_basis VALUES (1, 0, '15/2014/QH13'), (1, 1, '23/2015/NĐ-CP');
                 INSERT INTO edit_batch (made_at, editor, summary) VALUES ('2017-01-01T00:00:00Z', 'a', 'import x');
                 INSERT INTO edit_ledger (batch_id, procedure_id, action, field) VALUES (1, 1, 'create', '');",
            )
            .unwrap();
        }
        let mut catalogue = crate::store::Catalogue::open(&path).unwrap();
        let version: i64 = catalogue
            .connection()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, LATEST_SCHEMA_VERSION);
        let upgraded = catalogue.procedures().unwrap().remove(0);
        assert_eq!(upgraded.data.name, "Đăng ký khai sinh");
        // Migration 5 copied the legal basis into its text column, in citation order, and
        // migration 6 hashed the entry.
        assert_eq!(upgraded.data.legal_basis, ["15/2014/QH13", "23/2015/NĐ-CP"]);
        let hash: String = catalogue
            .connection()
            .query_row("SELECT content_hash FROM procedure", [], |row| row.get(0))
            .unwrap();
        assert_eq!(hash, super::super::procedures::content_hash(&upgraded.data));
        assert_eq!(catalogue.history(1).unwrap().len(), 1);
        // The old batch counts as an edit that can be undone.
        assert_eq!(
            catalogue.undo_summary().unwrap().as_deref(),
            Some("import x")
        );
        catalogue.undo().unwrap().unwrap();
        assert_eq!(catalogue.stats().unwrap().total, 0);
    }

    #[test]
    fn migrations_mark_the_file_as_a_catalogue() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let id: i64 = conn
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
    }
}
