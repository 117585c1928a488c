-- Revisions: named snapshots of the working copy. Procedure versions are stored once and
-- shared by every revision that holds them, so many revisions of a national catalogue stay
-- a reasonable file. A published revision is frozen by triggers, even against a plain
-- UPDATE or DELETE typed in the sqlite3 shell.

CREATE TABLE revision (
    revision_id        INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE CHECK (name <> '' AND name <> 'working'),
    created_at         TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    note               TEXT NOT NULL DEFAULT '',
    published_decision TEXT,
    published_date     TEXT,
    published_at       TEXT,
    published_by       TEXT
) STRICT;

-- One row per distinct content of a procedure; immutable once written.
CREATE TABLE procedure_version (
    version_id           INTEGER PRIMARY KEY,
    content_hash         TEXT NOT NULL UNIQUE,
    code                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    level                TEXT NOT NULL,
    field                TEXT NOT NULL,
    agency               TEXT NOT NULL,
    issuer               TEXT NOT NULL,
    tier                 INTEGER,
    processing_days      REAL,
    fee_vnd              INTEGER,
    fee_note             TEXT NOT NULL,
    legal_basis          TEXT NOT NULL,   -- document numbers joined by "; "
    steps                TEXT NOT NULL,
    methods              TEXT NOT NULL,
    dossier              TEXT NOT NULL,
    requirements         TEXT NOT NULL,
    result               TEXT NOT NULL,
    subjects             TEXT NOT NULL,
    status               TEXT NOT NULL,
    decision_number      TEXT NOT NULL,
    decision_date        TEXT,
    effective_from       TEXT,
    effective_until      TEXT,
    replaced_by          TEXT NOT NULL,
    dossiers_last_year   INTEGER,
    dossiers_year_before INTEGER,
    notes                TEXT NOT NULL
) STRICT;

CREATE TABLE revision_entry (
    revision_id  INTEGER NOT NULL REFERENCES revision (revision_id),
    -- The working-copy entry it was taken from: follows an entry whose code changed.
    procedure_id INTEGER NOT NULL,
    version_id   INTEGER NOT NULL REFERENCES procedure_version (version_id),
    PRIMARY KEY (revision_id, procedure_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX revision_entry_version ON revision_entry (version_id);

CREATE TRIGGER revision_published_no_update BEFORE UPDATE ON revision
WHEN OLD.published_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER revision_published_no_delete BEFORE DELETE ON revision
WHEN OLD.published_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER revision_entry_published_no_insert BEFORE INSERT ON revision_entry
WHEN (SELECT published_at FROM revision WHERE revision_id = NEW.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER revision_entry_published_no_update BEFORE UPDATE ON revision_entry
WHEN (SELECT published_at FROM revision WHERE revision_id = OLD.revision_id) IS NOT NULL
  OR (SELECT published_at FROM revision WHERE revision_id = NEW.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER revision_entry_published_no_delete BEFORE DELETE ON revision_entry
WHEN (SELECT published_at FROM revision WHERE revision_id = OLD.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER procedure_version_no_update BEFORE UPDATE ON procedure_version
BEGIN
    SELECT RAISE(ABORT, 'procedure versions are never changed');
END;

CREATE TRIGGER procedure_version_published_no_delete BEFORE DELETE ON procedure_version
WHEN EXISTS (SELECT 1 FROM revision_entry e JOIN revision r USING (revision_id)
             WHERE e.version_id = OLD.version_id AND r.published_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'this procedure version belongs to a published revision');
END;
