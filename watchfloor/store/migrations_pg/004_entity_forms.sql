-- Exact spelling counts per entity. entity_stats.surface_forms keeps only the 20 commonest spellings, so
-- it cannot be grown by adding a new document's mentions; with every count kept here, each ingest batch
-- adds its documents to entity_stats and entity_forms in its own transaction, and the counts stay fresh
-- while an ingest runs (readers no longer recount the whole table inside a request).
CREATE TABLE entity_forms (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    text      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (entity_id, text)
);

-- The next read recounts entity_stats and fills entity_forms.
DELETE FROM meta WHERE key = 'entity_stats';
