-- The settings a revision was taken with: the simplification options recorded then (keys
-- `option/…`), the cost model and the targets. A published revision's are frozen with it.

CREATE TABLE revision_setting (
    revision_id INTEGER NOT NULL REFERENCES revision (revision_id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (revision_id, key)
) STRICT, WITHOUT ROWID;
