-- The audit's decision ledger: every verdict a reviewer gave on a finding, never updated
-- or deleted. The latest verdict for a finding key counts while the fingerprint (a hash of
-- the entries' data when it was given) still matches, so a dismissed finding stays
-- dismissed in later runs and revisions until the procedures change.
CREATE TABLE audit_verdict (
    verdict_id  INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL,      -- kind/rule/code@level+code@level
    fingerprint TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN
                ('dismissed', 'confirmed', 'merged', 'keep', 'propose_abolition', 'reopened')),
    note        TEXT NOT NULL DEFAULT '',
    merged_into TEXT NOT NULL DEFAULT '',   -- surviving code, for 'merged'
    decided_at  TEXT NOT NULL,              -- RFC 3339, UTC
    decided_by  TEXT NOT NULL,
    -- The edit batch a merge wrote: undoing it sets the verdict aside.
    batch_id    INTEGER REFERENCES edit_batch (batch_id)
) STRICT;
CREATE INDEX audit_verdict_finding ON audit_verdict (finding_key, verdict_id);
