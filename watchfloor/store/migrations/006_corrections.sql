-- Analyst corrections: stored as such (who, when, why) and re-applied after every ingest run, so a
-- re-run that re-extracts a rejected fact or re-creates a merged entity does not undo the analyst.
CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL CHECK (action IN ('add_alias', 'remove_alias', 'merge', 'split', 'reject')),
    entity_key  TEXT,              -- the entity corrected (merge: the one kept)
    other_key   TEXT,              -- merge: the entity merged away; split: the new entity's key
    value       TEXT,              -- alias text; split: JSON list of aliases moved; reject: JSON of what was rejected
    target_kind TEXT CHECK (target_kind IN ('mention', 'event_report', 'relation', 'claim') OR target_kind IS NULL),
    doc_id      TEXT,              -- reject: where the rejected extraction points (stable across re-runs)
    start       INTEGER,
    end         INTEGER,
    note        TEXT,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX corrections_action ON corrections(action);

ALTER TABLE entities ADD COLUMN merged_into INTEGER REFERENCES entities(id);
