-- The legal basis also as text on the procedure ("; "-joined, in citation order), as
-- revisions keep it: reading and diffing a catalogue compare one column instead of
-- gathering rows. The store writes both together; procedure_legal_basis stays the index
-- of which procedures cite a document.
ALTER TABLE procedure ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
UPDATE procedure SET legal_basis = COALESCE(
    (SELECT group_concat(b.document_number, '; ' ORDER BY b.position)
     FROM procedure_legal_basis b WHERE b.procedure_id = procedure.procedure_id), '');

-- Counts by level, tier, status and field (stats, a diff's summary) read this index alone.
CREATE INDEX procedure_summary ON procedure (level, tier, status, field) WHERE retired_at IS NULL;
-- Entries retired as replaced, for a diff to pair old and new codes without a table scan.
CREATE INDEX procedure_replaced ON procedure (code, level, replaced_by)
    WHERE retired_at IS NOT NULL AND status = 'replaced';

-- A hash of every field of the entry (as revisions' versions carry one), written by the
-- store with each change: a diff compares hashes from the index below and reads only the
-- entries whose hashes differ. '' means unknown; the migration's hook fills existing rows.
ALTER TABLE procedure ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX procedure_identity_hash ON procedure (code, level, content_hash)
    WHERE retired_at IS NULL;
-- A change made outside the application (the sqlite3 shell) leaves the hash unknown, so a
-- diff compares that entry field by field rather than trust a stale hash.
CREATE TRIGGER procedure_content_hash_stale AFTER UPDATE ON procedure
WHEN NEW.content_hash = OLD.content_hash AND NEW.content_hash <> ''
BEGIN
    UPDATE procedure SET content_hash = '' WHERE procedure_id = NEW.procedure_id;
END;
