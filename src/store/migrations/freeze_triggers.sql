-- The freeze of published revisions. Run by migration 7 and again on every open that may
-- write, so that a trigger dropped outside the application comes back; each statement
-- leaves an existing trigger as it is.

CREATE TRIGGER IF NOT EXISTS revision_published_no_update BEFORE UPDATE ON revision
WHEN OLD.published_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS revision_published_no_delete BEFORE DELETE ON revision
WHEN OLD.published_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS revision_published_no_replace BEFORE INSERT ON revision
WHEN EXISTS (SELECT 1 FROM revision
             WHERE (revision_id = NEW.revision_id OR name = NEW.name)
               AND published_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS revision_entry_published_no_insert BEFORE INSERT ON revision_entry
WHEN (SELECT published_at FROM revision WHERE revision_id = NEW.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS revision_entry_published_no_update BEFORE UPDATE ON revision_entry
WHEN (SELECT published_at FROM revision WHERE revision_id = OLD.revision_id) IS NOT NULL
  OR (SELECT published_at FROM revision WHERE revision_id = NEW.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS revision_entry_published_no_delete BEFORE DELETE ON revision_entry
WHEN (SELECT published_at FROM revision WHERE revision_id = OLD.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS procedure_version_no_update BEFORE UPDATE ON procedure_version
BEGIN
    SELECT RAISE(ABORT, 'procedure versions are never changed');
END;

CREATE TRIGGER IF NOT EXISTS procedure_version_no_replace BEFORE INSERT ON procedure_version
WHEN EXISTS (SELECT 1 FROM procedure_version
             WHERE version_id = NEW.version_id OR content_hash = NEW.content_hash)
BEGIN
    SELECT RAISE(ABORT, 'procedure versions are never changed');
END;

CREATE TRIGGER IF NOT EXISTS procedure_version_published_no_delete BEFORE DELETE ON procedure_version
WHEN EXISTS (SELECT 1 FROM revision_entry e JOIN revision r USING (revision_id)
             WHERE e.version_id = OLD.version_id AND r.published_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'this procedure version belongs to a published revision');
END;
