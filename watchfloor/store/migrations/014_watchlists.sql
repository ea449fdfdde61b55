-- Watchlists (issue 17): actors and saved full-text searches an analyst follows, and what they have seen.
-- "New" is by ingest time: a fact is as new as the document it came from (documents.ingested_at, UTC,
-- second precision). A mark is a high-water ingest time plus the ids of the documents ingested in that very
-- second that were already shown, so a document stored in the same second after the mark is still new.
CREATE TABLE watchlists (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    seen_upto  TEXT,                          -- NULL: `news --since last` never ran for this list
    seen_ids   TEXT NOT NULL DEFAULT '[]',    -- JSON ids of documents ingested at exactly seen_upto
    seen_at    TEXT,                          -- when the analyst last looked (wall clock, UTC)
    created_at TEXT NOT NULL
);

CREATE TABLE watch_items (
    id            INTEGER PRIMARY KEY,
    watchlist_id  INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('entity', 'search')),
    entity_key    TEXT,                       -- stable across re-runs; a merged-away entity is followed
    query         TEXT,                       -- the full-text query of a saved search
    label         TEXT NOT NULL,              -- as the analyst typed it
    alert_jsonl   TEXT,                       -- append new items here after each ingest run
    alert_command TEXT,                       -- or feed them (JSON on stdin) to this local command
    alert_upto    TEXT,                       -- the alert hook's own mark (set when the hook is set)
    alert_ids     TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL,
    CHECK ((kind = 'entity' AND entity_key IS NOT NULL AND query IS NULL)
        OR (kind = 'search' AND query IS NOT NULL AND entity_key IS NULL))
);
CREATE UNIQUE INDEX watch_items_entity ON watch_items(watchlist_id, entity_key) WHERE kind = 'entity';
CREATE UNIQUE INDEX watch_items_search ON watch_items(watchlist_id, query) WHERE kind = 'search';

-- What is new since a mark is read from the newest documents first.
CREATE INDEX documents_ingested ON documents(ingested_at);
