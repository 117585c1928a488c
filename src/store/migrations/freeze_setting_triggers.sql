-- The freeze of a published revision's settings (its options, cost model, targets): made by
-- migration 10 and again on every open that may write, as freeze_triggers.sql.

CREATE TRIGGER IF NOT EXISTS revision_setting_published_no_insert BEFORE INSERT ON revision_setting
WHEN (SELECT published_at FROM revision WHERE revision_id = NEW.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS revision_setting_published_no_update BEFORE UPDATE ON revision_setting
WHEN (SELECT published_at FROM revision WHERE revision_id = OLD.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;

CREATE TRIGGER IF NOT EXISTS revision_setting_published_no_delete BEFORE DELETE ON revision_setting
WHEN (SELECT published_at FROM revision WHERE revision_id = OLD.revision_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'this revision is published and frozen');
END;
