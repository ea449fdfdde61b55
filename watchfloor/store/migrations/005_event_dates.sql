-- Cross-document merging looks up events by type and date range: index it so ingest stays flat.
CREATE INDEX events_type_date ON events(event_type, date);
