-- Settings of a catalogue that are not procedures: first the government model (three or
-- two levels), later the cost model's parameters and the targets, each with its source.
-- A change of a setting is a line of its ledger batch, so undo and redo cover it.

CREATE TABLE catalogue_setting (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
) STRICT;

CREATE TABLE setting_ledger (
    edit_id   INTEGER PRIMARY KEY,
    batch_id  INTEGER NOT NULL REFERENCES edit_batch (batch_id),
    key       TEXT NOT NULL,
    old_value TEXT,   -- NULL: the setting was not set
    new_value TEXT
) STRICT;
CREATE INDEX setting_ledger_batch ON setting_ledger (batch_id);

-- The government model a revision was taken under ('three_level', 'two_level 2025-07-01').
ALTER TABLE revision ADD COLUMN government TEXT NOT NULL DEFAULT 'three_level';
