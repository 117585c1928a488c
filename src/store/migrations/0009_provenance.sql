-- Where an entry came from when catalogues are merged (the 2025 mergers of provinces):
-- the catalogues and revisions it was taken from. Empty for every entry before.

ALTER TABLE procedure ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
ALTER TABLE procedure_version ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
