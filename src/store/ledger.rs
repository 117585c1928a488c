//! Every write to procedures: one transaction per batch of changes, each change
//! recorded in the edit ledger (who, when, which procedure, which field, old → new).

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Transaction, params, params_from_iter};

use super::procedures::{
    DATA_COLUMNS, data_values, load_procedure, set_content_hash, stored_content_hash, validate,
    write_legal_basis,
};
use super::{Catalogue, Result, StoreError, now_rfc3339};
use crate::domain::{ProcedureData, ProcedureField};
use crate::progress::Progress;

/// One change to the working copy.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A new entry (its code + level must not be in the working copy yet).
    Create(ProcedureData),
    /// New values for an existing entry, whatever it holds now (for tools, tests and the
    /// generator); only fields that differ are recorded.
    Update {
        procedure_id: i64,
        data: ProcedureData,
    },
    /// An officer's change to an entry as it was read (`base`): only the fields that differ
    /// between `base` and `data` are written, over what the entry holds now; a field that
    /// someone else changed meanwhile to another value is a [`Conflict`], never overwritten.
    Edit {
        procedure_id: i64,
        base: Box<ProcedureData>,
        data: ProcedureData,
    },
    /// Takes an entry out of the working copy, kept for history.
    Retire {
        procedure_id: i64,
        reason: String,
        decision_number: String,
    },
    /// Sets (or, with `None`, removes) a setting of the catalogue.
    Setting { key: String, value: Option<String> },
}

impl Change {
    /// Sets the catalogue's government model (three levels, the default, is no setting).
    pub fn government(model: crate::domain::government::GovernmentModel) -> Change {
        use crate::domain::government::GovernmentModel;
        Change::Setting {
            key: super::settings::GOVERNMENT.to_owned(),
            value: (model != GovernmentModel::ThreeLevel).then(|| model.to_stored()),
        }
    }
}

/// Why a batch of changes was made: edits and imports can be undone; a generated
/// catalogue's first batch cannot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchKind {
    Edit,
    Import,
    Generate,
}

impl BatchKind {
    pub(super) fn key(self) -> &'static str {
        match self {
            BatchKind::Edit => "edit",
            BatchKind::Import => "import",
            BatchKind::Generate => "generate",
        }
    }
}

/// What one line of the edit ledger did to its procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LedgerAction {
    Create,
    Update,
    Retire,
    /// A retired entry brought back (undo of a retirement, redo of a creation).
    Restore,
}

impl LedgerAction {
    pub fn key(self) -> &'static str {
        match self {
            LedgerAction::Create => "create",
            LedgerAction::Update => "update",
            LedgerAction::Retire => "retire",
            LedgerAction::Restore => "restore",
        }
    }

    fn parse(key: &str) -> Option<LedgerAction> {
        [
            LedgerAction::Create,
            LedgerAction::Update,
            LedgerAction::Retire,
            LedgerAction::Restore,
        ]
        .into_iter()
        .find(|action| action.key() == key)
    }
}

/// One line of the edit ledger, for a procedure's history and for undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    pub batch_id: i64,
    pub made_at: String,
    pub editor: String,
    pub summary: String,
    pub procedure_id: i64,
    pub action: LedgerAction,
    /// The field an update changed; none for a creation, retirement or restoration.
    pub field: Option<ProcedureField>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Which lines of the ledger to read.
pub(super) enum LedgerLines {
    OfProcedure(i64),
    OfBatch(i64),
}

/// Ledger lines in the order they were written. Lines a newer build wrote with an action or
/// field this one does not know are left out rather than misread.
pub(super) fn ledger_lines(
    conn: &rusqlite::Connection,
    which: LedgerLines,
) -> Result<Vec<LedgerEntry>> {
    let (filter, id) = match which {
        LedgerLines::OfProcedure(id) => ("l.procedure_id = ?1", id),
        LedgerLines::OfBatch(id) => ("l.batch_id = ?1", id),
    };
    let mut statement = conn.prepare_cached(&format!(
        "SELECT b.batch_id, b.made_at, b.editor, b.summary, l.procedure_id, l.action,
                l.field, l.old_value, l.new_value
         FROM edit_ledger l JOIN edit_batch b USING (batch_id)
         WHERE {filter} ORDER BY l.edit_id"
    ))?;
    let rows = statement.query_map([id], |row| {
        let action: String = row.get(5)?;
        let field: String = row.get(6)?;
        Ok((
            LedgerAction::parse(&action),
            field,
            LedgerEntry {
                batch_id: row.get(0)?,
                made_at: row.get(1)?,
                editor: row.get(2)?,
                summary: row.get(3)?,
                procedure_id: row.get(4)?,
                action: LedgerAction::Create,
                field: None,
                old_value: row.get(7)?,
                new_value: row.get(8)?,
            },
        ))
    })?;
    let mut lines = Vec::new();
    for row in rows {
        let (action, field, mut line) = row?;
        let Some(action) = action else { continue };
        line.action = action;
        if !field.is_empty() {
            let Some(field) = ProcedureField::from_key(&field) else {
                continue;
            };
            line.field = Some(field);
        }
        lines.push(line);
    }
    Ok(lines)
}

/// A field changed by someone else between the read and the write, to a value other than
/// the one being written (or the entry retired meanwhile: `field` None).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub procedure_id: i64,
    pub code: String,
    pub level: crate::domain::Level,
    pub field: Option<ProcedureField>,
    /// The value as it was read, as it is now (theirs), and as it was to be written (mine).
    pub base: String,
    pub theirs: String,
    pub mine: String,
}

/// What a batch did: its ledger batch (None when nothing changed) and the ids it created.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppliedBatch {
    pub batch_id: Option<i64>,
    pub created: Vec<i64>,
    pub updated: usize,
    pub retired: usize,
    /// Settings whose value changed.
    pub settings: usize,
}

impl Catalogue {
    /// Applies an officer's edits in one transaction, recording each in the ledger under
    /// one batch. Either all of them are written or none.
    pub fn apply_changes(&mut self, summary: &str, changes: &[Change]) -> Result<AppliedBatch> {
        self.apply_batch(BatchKind::Edit, summary, changes, &now_rfc3339())
    }

    /// As [`apply_changes`](Self::apply_changes), for a batch of a given kind and time
    /// (imports; the generator's fixed clock).
    pub fn apply_batch(
        &mut self,
        kind: BatchKind,
        summary: &str,
        changes: &[Change],
        made_at: &str,
    ) -> Result<AppliedBatch> {
        self.write_transaction(|tx, editor| {
            write_batch(tx, kind, summary, changes, made_at, editor)
        })
    }

    /// An import in one transaction: legal documents added or updated first (procedures cite
    /// them), then the procedures' changes as one undoable batch. `progress` counts the
    /// changes written so far; cancelled, the transaction is rolled back.
    pub fn apply_import_batch(
        &mut self,
        summary: &str,
        changes: &[Change],
        documents: &[crate::domain::LegalDocument],
        made_at: &str,
        progress: &Progress,
    ) -> Result<AppliedBatch> {
        self.write_transaction(|tx, editor| {
            for document in documents {
                super::procedures::upsert_legal_document(tx, document)?;
            }
            write_counted_batch(
                tx,
                BatchKind::Import,
                summary,
                changes,
                made_at,
                editor,
                progress,
            )
        })
    }

    /// Runs `write` in one transaction, committed only if it succeeds; refused on a
    /// read-only catalogue. `write` gets the editor's name for the ledger.
    pub(super) fn write_transaction<T>(
        &mut self,
        write: impl FnOnce(&Transaction<'_>, &str) -> Result<T>,
    ) -> Result<T> {
        let editor = self.editor.clone();
        let tx = self.begin_write()?;
        let result = write(&tx, &editor)?;
        tx.commit()?;
        Ok(result)
    }

    /// The ledger lines of one procedure, oldest first.
    pub fn history(&self, procedure_id: i64) -> Result<Vec<LedgerEntry>> {
        ledger_lines(&self.conn, LedgerLines::OfProcedure(procedure_id))
    }
}

/// Writes a batch of changes inside a caller's transaction, so that other writes (a merge's
/// verdict) commit or fail with it.
pub(super) fn write_batch(
    tx: &Transaction<'_>,
    kind: BatchKind,
    summary: &str,
    changes: &[Change],
    made_at: &str,
    editor: &str,
) -> Result<AppliedBatch> {
    write_counted_batch(
        tx,
        kind,
        summary,
        changes,
        made_at,
        editor,
        &Progress::default(),
    )
}

/// [`write_batch`], counting the changes written in `progress` and stopping when it is
/// cancelled (the caller's transaction then rolls back).
fn write_counted_batch(
    tx: &Transaction<'_>,
    kind: BatchKind,
    summary: &str,
    changes: &[Change],
    made_at: &str,
    editor: &str,
    progress: &Progress,
) -> Result<AppliedBatch> {
    let batch_id = begin_batch(tx, kind.key(), None, summary, editor, made_at)?;
    let mut applied = AppliedBatch::default();
    let mut conflicts = Vec::new();
    let creates = |change: &Change| matches!(change, Change::Create(_));
    for group in changes.chunk_by(|a, b| creates(a) == creates(b)) {
        if creates(&group[0]) {
            // New entries are written many to a statement.
            let entries: Vec<&ProcedureData> = group
                .iter()
                .filter_map(|change| match change {
                    Change::Create(data) => Some(data),
                    _ => None,
                })
                .collect();
            let ids = super::bulk::create_all(tx, batch_id, &entries, progress)?;
            applied.created.extend(ids);
            continue;
        }
        for (index, change) in group.iter().enumerate() {
            if index % 256 == 0 && progress.is_cancelled() {
                return Err(StoreError::Cancelled);
            }
            progress.advance(1);
            write_change(tx, batch_id, change, made_at, &mut applied, &mut conflicts)?;
        }
    }
    if !conflicts.is_empty() {
        // Nothing of the batch is written: the caller's transaction rolls back.
        return Err(StoreError::Conflicts(conflicts));
    }
    close_batch(tx, batch_id, &mut applied)?;
    Ok(applied)
}

/// Ends a ledger batch that has been written: an empty one is removed; otherwise it is
/// `applied`'s batch, and what could be redone before it can no longer be.
pub(super) fn close_batch(
    tx: &Transaction<'_>,
    batch_id: i64,
    applied: &mut AppliedBatch,
) -> Result<()> {
    let recorded: i64 = tx.query_row(
        "SELECT count(*) FROM edit_ledger WHERE batch_id = ?1",
        [batch_id],
        |row| row.get(0),
    )?;
    if recorded == 0 && !super::settings::batch_has_lines(tx, batch_id)? {
        // Nothing changed: leave no empty batch behind.
        tx.execute("DELETE FROM edit_batch WHERE batch_id = ?1", [batch_id])?;
    } else {
        applied.batch_id = Some(batch_id);
        // A new change ends what could be redone, as in every editor.
        tx.execute(
            "UPDATE edit_batch SET undo_state = 'discarded' WHERE undo_state = 'undone'",
            [],
        )?;
    }
    Ok(())
}

/// Writes one change (a run of new entries goes to [`super::bulk::create_all`] whole); a field changed meanwhile by someone else is
/// added to `conflicts`.
fn write_change(
    tx: &Transaction<'_>,
    batch_id: i64,
    change: &Change,
    made_at: &str,
    applied: &mut AppliedBatch,
    conflicts: &mut Vec<Conflict>,
) -> Result<()> {
    match change {
        Change::Create(data) => applied.created.extend(super::bulk::create_all(
            tx,
            batch_id,
            &[data],
            &Progress::default(),
        )?),
        Change::Update { procedure_id, data } => {
            if update(tx, batch_id, *procedure_id, data)? {
                applied.updated += 1;
            }
        }
        Change::Edit {
            procedure_id,
            base,
            data,
        } => match merge_onto_current(tx, *procedure_id, base, data)? {
            Ok(merged) => {
                if update(tx, batch_id, *procedure_id, &merged)? {
                    applied.updated += 1;
                }
            }
            Err(found) => conflicts.extend(found),
        },
        Change::Retire {
            procedure_id,
            reason,
            decision_number,
        } => {
            retire(
                tx,
                batch_id,
                *procedure_id,
                reason,
                decision_number,
                made_at,
            )?;
            applied.retired += 1;
        }
        Change::Setting { key, value } => {
            if super::settings::write(tx, batch_id, key, value.as_deref())? {
                applied.settings += 1;
            }
        }
    }
    Ok(())
}

/// Opens a ledger batch; returns its id.
pub(super) fn begin_batch(
    tx: &Transaction<'_>,
    kind: &str,
    target_batch: Option<i64>,
    summary: &str,
    editor: &str,
    made_at: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO edit_batch (made_at, editor, summary, kind, target_batch)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![made_at, editor, summary, kind, target_batch],
    )?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn map_identity_conflict(error: rusqlite::Error, data: &ProcedureData) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation)
            if error
                .to_string()
                .contains("procedure.code, procedure.level") =>
        {
            StoreError::DuplicateIdentity {
                code: data.code.clone(),
                level: data.level_or_province().key().to_owned(),
            }
        }
        _ => StoreError::Sqlite(error),
    }
}

/// The entry as it is now with the fields the officer changed (from `base` to `data`) laid
/// over it, or the fields someone else changed meanwhile to other values.
fn merge_onto_current(
    tx: &Transaction<'_>,
    procedure_id: i64,
    base: &ProcedureData,
    data: &ProcedureData,
) -> Result<std::result::Result<ProcedureData, Vec<Conflict>>> {
    let current = load_procedure(tx, procedure_id)?;
    let conflict = |field: Option<ProcedureField>, mine: String| Conflict {
        procedure_id,
        code: current.data.code.clone(),
        level: current.data.level_or_province(),
        field,
        base: field.map(|f| f.value_text(base)).unwrap_or_default(),
        theirs: field
            .map(|f| f.value_text(&current.data))
            .unwrap_or_default(),
        mine,
    };
    if current.retired.is_some() {
        return Ok(Err(vec![conflict(None, String::new())]));
    }
    let mut merged = current.data.clone();
    let mut conflicts = Vec::new();
    for field in ProcedureField::changed_between(base, data) {
        let (was, now, mine) = (
            field.value_text(base),
            field.value_text(&current.data),
            field.value_text(data),
        );
        if now == was {
            // Values of a stored entry read back into their field.
            field.copy(data, &mut merged);
        } else if now != mine {
            conflicts.push(conflict(Some(field), mine));
        }
    }
    Ok(if conflicts.is_empty() {
        Ok(merged)
    } else {
        Err(conflicts)
    })
}

/// Writes the new values; returns whether anything differed.
pub(super) fn update(
    tx: &Transaction<'_>,
    batch_id: i64,
    procedure_id: i64,
    data: &ProcedureData,
) -> Result<bool> {
    validate(data)?;
    let old = load_procedure(tx, procedure_id)?;
    if old.retired.is_some() {
        return Err(StoreError::Invalid {
            level: old.data.level_or_province().key().to_owned(),
            code: old.data.code,
            problem: super::EntryProblem::Retired,
        });
    }
    let changed = ProcedureField::changed_between(&old.data, data);
    if changed.is_empty() {
        return Ok(false);
    }
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let assignments = DATA_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, column)| format!("{column} = ?{}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "UPDATE procedure SET {assignments} WHERE procedure_id = ?{}",
            DATA_COLUMNS.len() + 1
        )
    });
    let sql = SQL.as_str();
    let mut values = data_values(data);
    values.push(ToSqlOutput::Owned(Value::Integer(procedure_id)));
    tx.prepare_cached(sql)?
        .execute(params_from_iter(values))
        .map_err(|error| map_identity_conflict(error, data))?;
    if changed.contains(&ProcedureField::LegalBasis) {
        write_legal_basis(tx, procedure_id, &data.legal_basis)?;
    }
    set_content_hash(tx, procedure_id, &stored_content_hash(data))?;
    for field in changed {
        record(
            tx,
            batch_id,
            procedure_id,
            LedgerAction::Update,
            Some(field),
            Some(field.value_text(&old.data)),
            Some(field.value_text(data)),
        )?;
    }
    Ok(true)
}

pub(super) fn retire(
    tx: &Transaction<'_>,
    batch_id: i64,
    procedure_id: i64,
    reason: &str,
    decision_number: &str,
    made_at: &str,
) -> Result<()> {
    let updated = tx.execute(
        "UPDATE procedure SET retired_at = ?2, retired_reason = ?3, retired_decision = ?4
         WHERE procedure_id = ?1 AND retired_at IS NULL",
        params![procedure_id, made_at, reason, decision_number],
    )?;
    if updated == 0 {
        // Either unknown or already retired: load to say which.
        load_procedure(tx, procedure_id)?;
        return Ok(());
    }
    record(
        tx,
        batch_id,
        procedure_id,
        LedgerAction::Retire,
        None,
        None,
        Some(format!("{reason} {decision_number}").trim().to_owned()),
    )
}

/// Brings a retired entry back into the working copy (undo of a retirement, redo of a
/// creation). Fails if its code + level was taken meanwhile.
pub(super) fn restore(tx: &Transaction<'_>, batch_id: i64, procedure_id: i64) -> Result<()> {
    let procedure = load_procedure(tx, procedure_id)?;
    if procedure.retired.is_none() {
        return Ok(());
    }
    tx.execute(
        "UPDATE procedure SET retired_at = NULL, retired_reason = '', retired_decision = ''
         WHERE procedure_id = ?1",
        [procedure_id],
    )
    .map_err(|error| map_identity_conflict(error, &procedure.data))?;
    record(
        tx,
        batch_id,
        procedure_id,
        LedgerAction::Restore,
        None,
        None,
        None,
    )
}

pub(super) fn record(
    tx: &Transaction<'_>,
    batch_id: i64,
    procedure_id: i64,
    action: LedgerAction,
    field: Option<ProcedureField>,
    old_value: Option<String>,
    new_value: Option<String>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO edit_ledger (batch_id, procedure_id, action, field, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        batch_id,
        procedure_id,
        action.key(),
        field.map_or("", ProcedureField::key),
        old_value,
        new_value
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Level, Tier};

    fn sample(code: &str) -> ProcedureData {
        ProcedureData {
            code: code.into(),
            name: "Cấp giấy phép xây dựng".into(),
            level: Some(Level::Province),
            tier: Tier::new(2),
            legal_basis: vec!["50/2014/QH13".into()],
            ..ProcedureData::default()
        }
    }

    fn catalogue() -> (tempfile::TempDir, Catalogue) {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        catalogue.set_editor("tester");
        (dir, catalogue)
    }

    #[test]
    fn an_update_records_each_changed_field_with_old_and_new_value() {
        let (_dir, mut catalogue) = catalogue();
        let created = catalogue
            .apply_changes("add", &[Change::Create(sample("1.000001"))])
            .unwrap();
        let procedure_id = created.created[0];
        let mut data = catalogue.procedure(procedure_id).unwrap().data;
        data.name = "Cấp lại giấy phép xây dựng".into();
        data.tier = Tier::new(3);
        let applied = catalogue
            .apply_changes(
                "edit",
                &[Change::Update {
                    procedure_id,
                    data: data.clone(),
                }],
            )
            .unwrap();
        assert_eq!(applied.updated, 1);
        assert_eq!(catalogue.procedure(procedure_id).unwrap().data, data);
        let history = catalogue.history(procedure_id).unwrap();
        let fields: Vec<_> = history.iter().map(|e| (e.action, e.field)).collect();
        assert_eq!(
            fields,
            [
                (LedgerAction::Create, None),
                (LedgerAction::Update, Some(ProcedureField::Name)),
                (LedgerAction::Update, Some(ProcedureField::Tier))
            ]
        );
        assert_eq!(history[2].old_value.as_deref(), Some("2"));
        assert_eq!(history[2].new_value.as_deref(), Some("3"));
        assert!(history.iter().all(|e| e.editor == "tester"));
    }

    #[test]
    fn an_unchanged_update_leaves_no_batch() {
        let (_dir, mut catalogue) = catalogue();
        let created = catalogue
            .apply_changes("add", &[Change::Create(sample("1.000001"))])
            .unwrap();
        let procedure_id = created.created[0];
        let data = catalogue.procedure(procedure_id).unwrap().data;
        let applied = catalogue
            .apply_changes("edit", &[Change::Update { procedure_id, data }])
            .unwrap();
        assert_eq!(applied.batch_id, None);
        let batches: i64 = catalogue
            .connection()
            .query_row("SELECT count(*) FROM edit_batch", [], |r| r.get(0))
            .unwrap();
        assert_eq!(batches, 1);
    }

    #[test]
    fn a_failing_change_rolls_back_the_whole_batch() {
        let (_dir, mut catalogue) = catalogue();
        let result = catalogue.apply_changes(
            "two",
            &[
                Change::Create(sample("1.000001")),
                Change::Create(sample("1.000001")),
            ],
        );
        assert!(matches!(result, Err(StoreError::DuplicateIdentity { .. })));
        assert_eq!(catalogue.stats().unwrap().total, 0);
    }

    #[test]
    fn retired_entries_leave_the_working_copy_but_stay_in_history() {
        let (_dir, mut catalogue) = catalogue();
        let created = catalogue
            .apply_changes("add", &[Change::Create(sample("1.000001"))])
            .unwrap();
        let procedure_id = created.created[0];
        catalogue
            .apply_changes(
                "retire",
                &[Change::Retire {
                    procedure_id,
                    reason: "bãi bỏ".into(),
                    decision_number: "12/QĐ-UBND".into(),
                }],
            )
            .unwrap();
        assert!(catalogue.procedures().unwrap().is_empty());
        assert_eq!(catalogue.all_procedures().unwrap().len(), 1);
        assert_eq!(catalogue.stats().unwrap().retired, 1);
        // The same code + level may enter the working copy again.
        catalogue
            .apply_changes("again", &[Change::Create(sample("1.000001"))])
            .unwrap();
        assert_eq!(catalogue.stats().unwrap().total, 1);
    }

    #[test]
    fn invalid_data_is_never_written() {
        let (_dir, mut catalogue) = catalogue();
        let mut data = sample("1.000001");
        data.name = " ".into();
        let error = catalogue
            .apply_changes("bad", &[Change::Create(data)])
            .unwrap_err();
        assert!(error.to_string().contains("name is empty"), "{error}");
    }
}
