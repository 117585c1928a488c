//! The schema: an append-only list of migrations, applied on every open.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of every catalogue file: 'TTHC' in ASCII.
pub const APPLICATION_ID: i64 = 0x5454_4843;

/// Never edit or remove an entry: append a new one.
const MIGRATIONS: &[M<'static>] = &[M::up(include_str!("migrations/0001_catalogue.sql"))];

/// The `user_version` this build writes.
pub const LATEST_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection) -> Result<(), String> {
    Migrations::from_slice(MIGRATIONS)
        .to_latest(conn)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
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
