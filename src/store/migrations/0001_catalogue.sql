-- The catalogue: procedures of the working copy, the legal documents they rest on,
-- and the edit ledger. Never edit this file once shipped: add a new migration.

-- 'TTHC' in ASCII: marks the file as a procedure catalogue, so another
-- application's SQLite database is never mistaken for one.
PRAGMA application_id = 1414809667;

CREATE TABLE legal_document (
    number       TEXT PRIMARY KEY NOT NULL,   -- 59/2020/QH14
    title        TEXT NOT NULL DEFAULT '',
    issued_on    TEXT,                        -- YYYY-MM-DD
    effective_on TEXT,
    repealed_on  TEXT,
    replaced_by  TEXT NOT NULL DEFAULT ''     -- number of the replacing document
) STRICT;

CREATE TABLE procedure (
    procedure_id         INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL CHECK (code <> ''),
    name                 TEXT NOT NULL CHECK (name <> ''),
    level                TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    field                TEXT NOT NULL DEFAULT '',
    agency               TEXT NOT NULL DEFAULT '',
    issuer               TEXT NOT NULL DEFAULT '',
    tier                 INTEGER CHECK (tier BETWEEN 1 AND 4),
    processing_days      REAL CHECK (processing_days >= 0),
    fee_vnd              INTEGER CHECK (fee_vnd >= 0),
    fee_note             TEXT NOT NULL DEFAULT '',
    steps                TEXT NOT NULL DEFAULT '',
    methods              TEXT NOT NULL DEFAULT '',
    dossier              TEXT NOT NULL DEFAULT '',
    requirements         TEXT NOT NULL DEFAULT '',
    result               TEXT NOT NULL DEFAULT '',
    subjects             TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'in_force'
                         CHECK (status IN ('in_force', 'amended', 'replaced', 'abolished')),
    decision_number      TEXT NOT NULL DEFAULT '',
    decision_date        TEXT,
    effective_from       TEXT,
    effective_until      TEXT,
    replaced_by          TEXT NOT NULL DEFAULT '',
    dossiers_last_year   INTEGER CHECK (dossiers_last_year >= 0),
    dossiers_year_before INTEGER CHECK (dossiers_year_before >= 0),
    notes                TEXT NOT NULL DEFAULT '',
    -- Retired entries leave the working copy but stay for history.
    retired_at           TEXT,
    retired_reason       TEXT NOT NULL DEFAULT '',
    retired_decision     TEXT NOT NULL DEFAULT ''
) STRICT;

-- Identity of an entry in the working copy: code + level.
CREATE UNIQUE INDEX procedure_identity ON procedure (code, level) WHERE retired_at IS NULL;

CREATE TABLE procedure_legal_basis (
    procedure_id    INTEGER NOT NULL REFERENCES procedure (procedure_id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    document_number TEXT NOT NULL REFERENCES legal_document (number),
    PRIMARY KEY (procedure_id, position)
) STRICT;
CREATE INDEX procedure_legal_basis_document ON procedure_legal_basis (document_number);

-- One batch per write transaction: the unit of undo.
CREATE TABLE edit_batch (
    batch_id  INTEGER PRIMARY KEY,
    made_at   TEXT NOT NULL,        -- RFC 3339, UTC
    editor    TEXT NOT NULL,
    summary   TEXT NOT NULL
) STRICT;

-- Who changed what, when: every change made through the store.
CREATE TABLE edit_ledger (
    edit_id      INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES edit_batch (batch_id),
    procedure_id INTEGER NOT NULL REFERENCES procedure (procedure_id),
    action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'retire')),
    field        TEXT NOT NULL,     -- a ProcedureField key, or '' for create / retire
    old_value    TEXT,
    new_value    TEXT
) STRICT;
CREATE INDEX edit_ledger_procedure ON edit_ledger (procedure_id);
CREATE INDEX edit_ledger_batch ON edit_ledger (batch_id);
