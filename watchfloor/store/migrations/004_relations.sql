-- Relations between entities, one row per sentence that states one, with its evidence span.
CREATE TABLE relations (
    id                INTEGER PRIMARY KEY,
    doc_id            TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    subject_entity_id INTEGER NOT NULL REFERENCES entities(id),
    predicate         TEXT NOT NULL,
    object_entity_id  INTEGER NOT NULL REFERENCES entities(id),
    negated           INTEGER NOT NULL,
    hedged            INTEGER NOT NULL,
    valid_from        TEXT,
    valid_to          TEXT,
    trigger_start     INTEGER NOT NULL,
    trigger_end       INTEGER NOT NULL,
    evidence_start    INTEGER NOT NULL,
    evidence_end      INTEGER NOT NULL,
    extractor         TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    CHECK (evidence_end > evidence_start)
);
CREATE INDEX relations_subject ON relations(subject_entity_id);
CREATE INDEX relations_object ON relations(object_entity_id);
CREATE INDEX relations_predicate ON relations(predicate);
