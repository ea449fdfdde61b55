-- Per-entity counts for the entity list and pages, refreshed after every ingest run and correction (and
-- lazily when stale), so the API does not aggregate millions of mentions per request.
CREATE TABLE entity_stats (
    entity_id     INTEGER PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
    mentions      INTEGER NOT NULL,
    documents     INTEGER NOT NULL,
    first_seen    TEXT,
    last_seen     TEXT,
    surface_forms TEXT NOT NULL DEFAULT '[]'  -- JSON [[text, count], ...], most frequent first
);
CREATE INDEX entity_stats_mentions ON entity_stats(mentions);

-- "Does this document mention this entity" probes (recent documents of an entity, events naming it).
CREATE INDEX mentions_doc_entity ON mentions(doc_id, entity_id);

-- Counting documents by status and words without reading their (large) text rows.
CREATE INDEX documents_status_words ON documents(status, word_count);

-- Relations aggregated per (subject, predicate, object) from a covering index, with the publication date
-- of each source read from a covering index too; event evidence looked up by document.
CREATE INDEX relations_triple ON relations(subject_entity_id, predicate, object_entity_id, doc_id, negated, hedged,
                                           valid_from, valid_to);
CREATE INDEX documents_id_published ON documents(id, published);
CREATE INDEX event_evidence_doc ON event_evidence(doc_id, start, end, report_id);
