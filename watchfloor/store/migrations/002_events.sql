-- Events merged across documents, and each document's report of an event with its own figures.
CREATE TABLE events (
    id                    INTEGER PRIMARY KEY,
    event_type            TEXT NOT NULL,
    attack_type           TEXT,
    date                  TEXT,
    date_precision        TEXT,
    date_method           TEXT NOT NULL,
    place_entity_id       INTEGER REFERENCES entities(id),
    place_text            TEXT,
    country               TEXT,
    perpetrator_entity_id INTEGER REFERENCES entities(id),
    perpetrator_text      TEXT,
    perpetrator_status    TEXT NOT NULL,
    target                TEXT,
    target_type           TEXT NOT NULL,
    weapon                TEXT,
    killed                INTEGER,
    killed_low            INTEGER,
    killed_high           INTEGER,
    wounded               INTEGER,
    wounded_low           INTEGER,
    wounded_high          INTEGER,
    suicide               INTEGER NOT NULL,
    is_background         INTEGER NOT NULL,
    extractor             TEXT NOT NULL,
    extractor_version     TEXT NOT NULL
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_type ON events(event_type);
CREATE INDEX events_perpetrator ON events(perpetrator_entity_id);

CREATE TABLE event_reports (
    id                    INTEGER PRIMARY KEY,
    event_id              INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    doc_id                TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    trigger_start         INTEGER NOT NULL,
    trigger_end           INTEGER NOT NULL,
    trigger_text          TEXT NOT NULL,
    date                  TEXT,
    date_precision        TEXT,
    place_text            TEXT,
    perpetrator_entity_id INTEGER REFERENCES entities(id),
    perpetrator_status    TEXT NOT NULL,
    killed                INTEGER,
    killed_low            INTEGER,
    killed_high           INTEGER,
    wounded               INTEGER,
    wounded_low           INTEGER,
    wounded_high          INTEGER,
    is_background         INTEGER NOT NULL,
    extractor             TEXT NOT NULL,
    extractor_version     TEXT NOT NULL,
    CHECK (trigger_end > trigger_start)
);
CREATE INDEX event_reports_event ON event_reports(event_id);
CREATE INDEX event_reports_doc ON event_reports(doc_id);

-- Evidence: the sentences of a report (character spans in the document's clean text).
CREATE TABLE event_evidence (
    report_id INTEGER NOT NULL REFERENCES event_reports(id) ON DELETE CASCADE,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    CHECK (end > start)
);
CREATE INDEX event_evidence_report ON event_evidence(report_id);
