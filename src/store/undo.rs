//! Undo and redo over saved edits and imports, kept in the file so they survive a restart.
//! An undo is itself a ledger batch (kind `undo`) that writes the old values back; a redo
//! writes the new values again. A new change discards what could be redone.

use rusqlite::{OptionalExtension, Transaction, params};

use super::ledger::{
    LedgerAction, LedgerEntry, LedgerLines, begin_batch, ledger_lines, restore, retire, update,
};
use super::procedures::load_procedure;
use super::settings;
use super::{Access, Catalogue, Result, StoreError, now_rfc3339};

/// A batch that was written to undo, redo or re-cite, and the procedures it touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenBatch {
    pub batch_id: i64,
    pub summary: String,
    /// The procedures it touched, in ledger order.
    pub procedure_ids: Vec<i64>,
    /// The settings it changed (the government model …), sorted.
    pub settings: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Undo,
    Redo,
}

impl Catalogue {
    /// What Undo would undo: the latest edit or import still in effect.
    pub fn undo_summary(&self) -> Result<Option<String>> {
        Ok(undo_target(&self.conn)?.map(|(_, summary)| summary))
    }

    /// What Redo would redo: the batch undone most recently, if no change came since.
    pub fn redo_summary(&self) -> Result<Option<String>> {
        Ok(redo_target(&self.conn)?.map(|(_, summary)| summary))
    }

    /// Undoes the latest edit or import in one transaction. `None` when there is nothing.
    pub fn undo(&mut self) -> Result<Option<WrittenBatch>> {
        self.step(Direction::Undo)
    }

    /// Redoes the batch undone most recently. `None` when there is nothing.
    pub fn redo(&mut self) -> Result<Option<WrittenBatch>> {
        self.step(Direction::Redo)
    }

    fn step(&mut self, direction: Direction) -> Result<Option<WrittenBatch>> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        let editor = self.editor.clone();
        let tx = self.begin_write()?;
        let target = match direction {
            Direction::Undo => undo_target(&tx)?,
            Direction::Redo => redo_target(&tx)?,
        };
        let Some((target_id, summary)) = target else {
            return Ok(None);
        };
        let rows = ledger_lines(&tx, LedgerLines::OfBatch(target_id))?;
        let (kind, state, label) = match direction {
            Direction::Undo => ("undo", "undone", "undo"),
            Direction::Redo => ("redo", "done", "redo"),
        };
        let batch_id = begin_batch(
            &tx,
            kind,
            Some(target_id),
            &format!("{label}: {summary}"),
            &editor,
            &now_rfc3339(),
        )?;
        let ordered: Vec<&LedgerEntry> = match direction {
            Direction::Undo => rows.iter().rev().collect(),
            Direction::Redo => rows.iter().collect(),
        };
        for row in &ordered {
            apply_row(&tx, batch_id, row, direction)?;
        }
        let mut setting_lines = settings::lines_of_batch(&tx, target_id)?;
        if direction == Direction::Undo {
            setting_lines.reverse();
        }
        for line in &setting_lines {
            let value = match direction {
                Direction::Undo => line.old_value.as_deref(),
                Direction::Redo => line.new_value.as_deref(),
            };
            settings::write(&tx, batch_id, &line.key, value)?;
        }
        tx.execute(
            "UPDATE edit_batch SET undo_state = ?2 WHERE batch_id = ?1",
            params![target_id, state],
        )?;
        tx.commit()?;
        let mut procedure_ids: Vec<i64> = Vec::new();
        for row in &rows {
            if !procedure_ids.contains(&row.procedure_id) {
                procedure_ids.push(row.procedure_id);
            }
        }
        let mut settings: Vec<String> = setting_lines.into_iter().map(|line| line.key).collect();
        settings.sort();
        settings.dedup();
        Ok(Some(WrittenBatch {
            batch_id: target_id,
            summary,
            procedure_ids,
            settings,
        }))
    }
}

fn undo_target(conn: &rusqlite::Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT batch_id, summary FROM edit_batch
             WHERE kind IN ('edit', 'import') AND undo_state = 'done'
             ORDER BY batch_id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

fn redo_target(conn: &rusqlite::Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT t.batch_id, t.summary FROM edit_batch u
             JOIN edit_batch t ON t.batch_id = u.target_batch
             WHERE u.kind = 'undo' AND t.undo_state = 'undone'
             ORDER BY u.batch_id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

fn apply_row(
    tx: &Transaction<'_>,
    batch_id: i64,
    row: &LedgerEntry,
    direction: Direction,
) -> Result<()> {
    match (row.action, direction) {
        (LedgerAction::Update, _) => {
            let Some(field) = row.field else {
                return Ok(());
            };
            let value = match direction {
                Direction::Undo => row.old_value.as_deref(),
                Direction::Redo => row.new_value.as_deref(),
            };
            let mut data = load_procedure(tx, row.procedure_id)?.data;
            field
                .set_from_text(&mut data, value.unwrap_or_default())
                .map_err(|error| StoreError::Invalid {
                    code: data.code.clone(),
                    level: data.level_or_province().key().to_owned(),
                    problem: super::EntryProblem::Field(error),
                })?;
            update(tx, batch_id, row.procedure_id, &data)?;
        }
        (LedgerAction::Create, Direction::Undo) | (LedgerAction::Restore, Direction::Redo) => {
            retire(
                tx,
                batch_id,
                row.procedure_id,
                "undo of its creation",
                "",
                &now_rfc3339(),
            )?;
        }
        (LedgerAction::Create, Direction::Redo) | (LedgerAction::Retire, Direction::Undo) => {
            restore(tx, batch_id, row.procedure_id)?;
        }
        (LedgerAction::Retire, Direction::Redo) | (LedgerAction::Restore, Direction::Undo) => {
            let reason = row.new_value.clone().unwrap_or_default();
            retire(tx, batch_id, row.procedure_id, &reason, "", &now_rfc3339())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Level, ProcedureData, Tier};
    use crate::store::Change;

    fn sample() -> ProcedureData {
        ProcedureData {
            code: "1.000001".into(),
            name: "Cấp giấy phép".into(),
            level: Some(Level::Province),
            tier: Tier::new(2),
            ..ProcedureData::default()
        }
    }

    #[test]
    fn undo_and_redo_an_edit_survive_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let procedure_id = {
            let mut catalogue = Catalogue::create(&path).unwrap();
            let id = catalogue
                .apply_changes("add", &[Change::Create(sample())])
                .unwrap()
                .created[0];
            let mut data = catalogue.procedure(id).unwrap().data;
            data.name = "Cấp lại giấy phép".into();
            data.tier = Tier::new(4);
            catalogue
                .apply_changes(
                    "edit name",
                    &[Change::Update {
                        procedure_id: id,
                        data,
                    }],
                )
                .unwrap();
            id
        };
        let mut catalogue = Catalogue::open(&path).unwrap();
        assert_eq!(
            catalogue.undo_summary().unwrap().as_deref(),
            Some("edit name")
        );
        let undone = catalogue.undo().unwrap().unwrap();
        assert_eq!(undone.procedure_ids, [procedure_id]);
        let data = catalogue.procedure(procedure_id).unwrap().data;
        assert_eq!(data.name, "Cấp giấy phép");
        assert_eq!(data.tier, Tier::new(2));
        drop(catalogue);

        let mut catalogue = Catalogue::open(&path).unwrap();
        assert_eq!(
            catalogue.redo_summary().unwrap().as_deref(),
            Some("edit name")
        );
        catalogue.redo().unwrap().unwrap();
        let data = catalogue.procedure(procedure_id).unwrap().data;
        assert_eq!(data.name, "Cấp lại giấy phép");
        assert_eq!(data.tier, Tier::new(4));
        assert!(catalogue.redo().unwrap().is_none());
        // The ledger shows the undo and the redo as changes of their own.
        let history = catalogue.history(procedure_id).unwrap();
        assert!(history.iter().any(|e| e.summary == "undo: edit name"));
        assert!(history.iter().any(|e| e.summary == "redo: edit name"));
    }

    #[test]
    fn undo_of_a_creation_retires_and_redo_restores() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        catalogue
            .apply_changes("add", &[Change::Create(sample())])
            .unwrap();
        catalogue.undo().unwrap().unwrap();
        assert_eq!(catalogue.stats().unwrap().total, 0);
        catalogue.redo().unwrap().unwrap();
        assert_eq!(catalogue.stats().unwrap().total, 1);
        // Undo twice walks back through the stack; there is nothing before the creation.
        catalogue.undo().unwrap().unwrap();
        assert!(catalogue.undo().unwrap().is_none());
    }

    #[test]
    fn a_new_edit_discards_what_could_be_redone() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        let id = catalogue
            .apply_changes("add", &[Change::Create(sample())])
            .unwrap()
            .created[0];
        let mut data = catalogue.procedure(id).unwrap().data;
        data.name = "A".into();
        catalogue
            .apply_changes(
                "edit A",
                &[Change::Update {
                    procedure_id: id,
                    data: data.clone(),
                }],
            )
            .unwrap();
        catalogue.undo().unwrap().unwrap();
        data.name = "B".into();
        catalogue
            .apply_changes(
                "edit B",
                &[Change::Update {
                    procedure_id: id,
                    data,
                }],
            )
            .unwrap();
        assert!(catalogue.redo_summary().unwrap().is_none());
        assert_eq!(catalogue.undo_summary().unwrap().as_deref(), Some("edit B"));
    }
}
