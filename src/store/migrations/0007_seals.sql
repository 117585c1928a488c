-- The seal of a publication: a digest over the revision's name, decision, date and every
-- entry's content, written when it is published. The migration's hook seals what was
-- published before, and adds triggers that refuse INSERT OR REPLACE over a published
-- revision or a stored version (a REPLACE deletes without firing delete triggers).

ALTER TABLE revision ADD COLUMN seal TEXT;
