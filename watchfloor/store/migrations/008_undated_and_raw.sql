-- Undated documents keep the latest full date their text mentions as a lower bound (never a guess from
-- the machine clock); the original input bytes are kept (zlib) so `watchfloor reprocess` can re-run
-- cleaning after an upgrade; an analyst's publication date survives every re-run.
ALTER TABLE documents ADD COLUMN published_not_before TEXT;
ALTER TABLE documents ADD COLUMN raw_data BLOB;
ALTER TABLE documents ADD COLUMN processed_version TEXT;

CREATE TABLE document_dates (
    doc_id     TEXT PRIMARY KEY,              -- no foreign key: it must outlive a reprocess of the document
    published  TEXT NOT NULL,              -- YYYY-MM-DD set by an analyst
    author     TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL
);
