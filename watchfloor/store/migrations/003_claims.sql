-- Attributed claims and forecasts, one row per statement in a document, with its evidence.
CREATE TABLE claims (
    id                INTEGER PRIMARY KEY,
    doc_id            TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start             INTEGER NOT NULL,
    end               INTEGER NOT NULL,
    text              TEXT NOT NULL,
    quote             INTEGER NOT NULL,
    cue               TEXT NOT NULL,
    speaker_entity_id INTEGER REFERENCES entities(id),
    speaker_text      TEXT,
    speaker_mention   TEXT,
    speaker_start     INTEGER,
    speaker_end       INTEGER,
    speaker_role      TEXT,
    kind              TEXT NOT NULL CHECK (kind IN ('forecast', 'assessment', 'factual', 'denial', 'responsibility')),
    probability_words TEXT,
    band_low          REAL,
    band_high         REAL,
    horizon_text      TEXT,
    horizon_start     TEXT,
    horizon_end       TEXT,
    evidence_start    INTEGER NOT NULL,
    evidence_end      INTEGER NOT NULL,
    extractor         TEXT NOT NULL,
    extractor_version TEXT NOT NULL
);
CREATE INDEX claims_doc ON claims(doc_id);
CREATE INDEX claims_speaker ON claims(speaker_entity_id);
CREATE INDEX claims_kind ON claims(kind);

-- The actors and places a claim is about (entities mentioned inside its content span).
CREATE TABLE claim_about (
    claim_id  INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    PRIMARY KEY (claim_id, entity_id)
);
CREATE INDEX claim_about_entity ON claim_about(entity_id);
