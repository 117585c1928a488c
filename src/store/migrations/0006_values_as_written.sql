-- Values as the source writes them: a processing time with its unit ("30 ngày", per channel),
-- fees as written ("20,000 Việt Nam Đồng(/hồ sơ)"), the competent authority, the procedure
-- type, and the columns of an imported list this application has no field for. The old
-- numeric columns are carried over and dropped by the migration's hook, which also writes
-- the legal basis one document a line, classes legal documents by kind, and recomputes the
-- content hashes and the audit verdicts' fingerprints so that nothing reviewed comes back.

ALTER TABLE procedure ADD COLUMN processing_time TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN fee TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN competent_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN procedure_type TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure ADD COLUMN extra TEXT NOT NULL DEFAULT '';

ALTER TABLE procedure_version ADD COLUMN processing_time TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure_version ADD COLUMN fee TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure_version ADD COLUMN competent_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure_version ADD COLUMN procedure_type TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure_version ADD COLUMN extra TEXT NOT NULL DEFAULT '';

-- What kind of document a number names (law, decree, circular …; "unnumbered" for a
-- citation kept whole).
ALTER TABLE legal_document ADD COLUMN kind TEXT NOT NULL DEFAULT '';
