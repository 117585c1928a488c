-- Undo and redo that survive a restart: each batch knows its kind and whether it is
-- currently undone; the ledger learns the 'restore' action (a retired entry brought back).

ALTER TABLE edit_batch ADD COLUMN kind TEXT NOT NULL DEFAULT 'edit'
    CHECK (kind IN ('edit', 'import', 'generate', 'undo', 'redo'));
-- For an undo or redo batch: the batch it undid or redid.
ALTER TABLE edit_batch ADD COLUMN target_batch INTEGER REFERENCES edit_batch (batch_id);
-- 'done', 'undone' (can be redone), or 'discarded' (undone, then a new edit was made).
ALTER TABLE edit_batch ADD COLUMN undo_state TEXT NOT NULL DEFAULT 'done'
    CHECK (undo_state IN ('done', 'undone', 'discarded'));

-- SQLite cannot widen a CHECK constraint in place: rebuild the ledger table.
CREATE TABLE edit_ledger_new (
    edit_id      INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES edit_batch (batch_id),
    procedure_id INTEGER NOT NULL REFERENCES procedure (procedure_id),
    action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'retire', 'restore')),
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT
) STRICT;
INSERT INTO edit_ledger_new SELECT * FROM edit_ledger;
DROP TABLE edit_ledger;
ALTER TABLE edit_ledger_new RENAME TO edit_ledger;
CREATE INDEX edit_ledger_procedure ON edit_ledger (procedure_id);
CREATE INDEX edit_ledger_batch ON edit_ledger (batch_id);
