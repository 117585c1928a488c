//! What tells a reader that another connection changed the file: SQLite's data version (it
//! moves only for commits of other connections), and the ledger's batches since a point.

use rusqlite::params;

use super::{Catalogue, Result};

/// One batch of the edit ledger, as a status line names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchNote {
    pub batch_id: i64,
    pub editor: String,
    pub summary: String,
}

impl Catalogue {
    /// Moves whenever another connection (another program, a job of the window) commits.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |row| row.get(0))?)
    }

    /// The id of the latest ledger batch (0 when there is none).
    pub fn last_batch_id(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(batch_id), 0) FROM edit_batch",
            [],
            |row| row.get(0),
        )?)
    }

    /// The ledger batches written after `batch_id`, oldest first.
    pub fn batches_after(&self, batch_id: i64) -> Result<Vec<BatchNote>> {
        let mut statement = self.conn.prepare(
            "SELECT batch_id, editor, summary FROM edit_batch WHERE batch_id > ?1
             ORDER BY batch_id",
        )?;
        let rows = statement.query_map(params![batch_id], |row| {
            Ok(BatchNote {
                batch_id: row.get(0)?,
                editor: row.get(1)?,
                summary: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Level, ProcedureData};
    use crate::store::Change;

    #[test]
    fn another_connection_s_commit_moves_the_data_version_and_shows_its_batch() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let watcher = Catalogue::create(&path).unwrap();
        let before = (
            watcher.data_version().unwrap(),
            watcher.last_batch_id().unwrap(),
        );
        let mut other = Catalogue::open(&path).unwrap();
        other.set_editor("đồng nghiệp");
        other
            .apply_changes(
                "thêm 1.000001",
                &[Change::Create(ProcedureData {
                    code: "1.000001".into(),
                    name: "Cấp phép".into(),
                    level: Some(Level::Province),
                    ..ProcedureData::default()
                })],
            )
            .unwrap();
        assert_ne!(watcher.data_version().unwrap(), before.0);
        let notes = watcher.batches_after(before.1).unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(
            (notes[0].editor.as_str(), notes[0].summary.as_str()),
            ("đồng nghiệp", "thêm 1.000001")
        );
    }
}
