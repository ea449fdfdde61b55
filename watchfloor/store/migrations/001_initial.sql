-- Documents, their removed furniture, entities, aliases and mentions.
CREATE TABLE documents (
    id                 TEXT PRIMARY KEY,          -- first 16 hex of the sha256 of the input bytes
    text_hash          TEXT NOT NULL,             -- sha256 of the normalised clean text (exact dedup)
    source             TEXT NOT NULL,
    kind               TEXT NOT NULL,
    raw_sha256         TEXT NOT NULL,
    url                TEXT,
    title              TEXT,
    publisher          TEXT,
    author             TEXT,
    published          TEXT,
    published_method   TEXT NOT NULL,
    published_evidence TEXT,
    language           TEXT,
    status             TEXT NOT NULL CHECK (status IN ('analysed', 'duplicate', 'not_english', 'no_text')),
    duplicate_of       TEXT REFERENCES documents(id),
    duplicate_kind     TEXT CHECK (duplicate_kind IN ('exact', 'near') OR duplicate_kind IS NULL),
    similarity         REAL,
    raw_text           TEXT NOT NULL,
    text               TEXT NOT NULL,
    word_count         INTEGER NOT NULL,
    notes              TEXT NOT NULL DEFAULT '[]',
    minhash            BLOB,
    ingested_at        TEXT NOT NULL,
    extractor          TEXT NOT NULL,
    extractor_version  TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_text_hash ON documents(text_hash);

-- Every input ever ingested (path or URL + hash of its bytes): what makes a re-run resume.
CREATE TABLE sources (
    source     TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (source, raw_sha256)
);

CREATE TABLE removed_spans (
    id     INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start  INTEGER NOT NULL,
    end    INTEGER NOT NULL,
    text   TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX removed_spans_doc ON removed_spans(doc_id);

CREATE TABLE entities (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    label        TEXT NOT NULL,
    qid          TEXT,
    description  TEXT,
    countries    TEXT NOT NULL DEFAULT '[]',
    source       TEXT NOT NULL,
    geonames_id  INTEGER,
    latitude     REAL,
    longitude    REAL,
    country_code TEXT,
    admin1       TEXT
);
CREATE INDEX entities_kind ON entities(kind);

CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    norm      TEXT NOT NULL,
    source    TEXT NOT NULL,
    PRIMARY KEY (entity_id, norm)
);
CREATE INDEX aliases_norm ON aliases(norm);

CREATE TABLE mentions (
    id                INTEGER PRIMARY KEY,
    doc_id            TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start             INTEGER NOT NULL,
    end               INTEGER NOT NULL,
    text              TEXT NOT NULL,
    label             TEXT NOT NULL,
    entity_id         INTEGER REFERENCES entities(id),
    link_method       TEXT NOT NULL,
    link_score        REAL NOT NULL,
    extractor         TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    CHECK (end > start)
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE problems (
    id      INTEGER PRIMARY KEY,
    source  TEXT NOT NULL,
    message TEXT NOT NULL,
    at      TEXT NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text);
END;
