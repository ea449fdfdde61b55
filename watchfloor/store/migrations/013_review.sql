-- The review queue (issue 17): an item an analyst accepted, fixed or rejected leaves the queue. A mark names
-- what was reviewed by a stable anchor, never by row id, so that it survives re-runs: "doc:<id>" for a
-- document, "report:<doc>:<start>-<end>" for each report of an event (its trigger span),
-- "claim:<doc>:<start>-<end>", "relation:<doc>:<start>-<end>:<predicate>", "entities:<key>|<key>" for a
-- suspected duplicate pair (keys sorted).
CREATE TABLE review_marks (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,   -- undated, incomplete, future, low-confidence, duplicate, tolls
    anchor      TEXT NOT NULL,
    item        TEXT NOT NULL,   -- the item id as listed when it was reviewed (for the record)
    decision    TEXT NOT NULL CHECK (decision IN ('accepted', 'fixed', 'rejected')),
    corrections TEXT NOT NULL DEFAULT '[]',  -- JSON ids of the corrections the action recorded
    author      TEXT NOT NULL,
    note        TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, anchor)
);

-- A new correction, set_event: the analyst fills in or corrects an event's date, place, perpetrator or
-- tolls. It is recorded against each report of the event (document + trigger span, like a rejection) with
-- the fields as JSON in value. SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE corrections_013 (
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL CHECK (action IN ('add_alias', 'remove_alias', 'merge', 'split', 'reject', 'set_event')),
    entity_key  TEXT,              -- the entity corrected (merge: the one kept)
    other_key   TEXT,              -- merge: the entity merged away; split: the new entity's key
    value       TEXT,              -- alias text; split: JSON list of aliases moved; reject: JSON of what was rejected,
                                   -- set_event: JSON of the fields set
    target_kind TEXT CHECK (target_kind IN ('mention', 'event_report', 'relation', 'claim') OR target_kind IS NULL),
    doc_id      TEXT,              -- reject, set_event: where the extraction points (stable across re-runs)
    start       INTEGER,
    end         INTEGER,
    note        TEXT,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
INSERT INTO corrections_013(id, action, entity_key, other_key, value, target_kind, doc_id, start, end, note, author,
                            created_at)
SELECT id, action, entity_key, other_key, value, target_kind, doc_id, start, end, note, author, created_at
FROM corrections;
DROP TABLE corrections;
ALTER TABLE corrections_013 RENAME TO corrections;
CREATE INDEX corrections_action ON corrections(action);
