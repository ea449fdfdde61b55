-- Two lookups every reliability grade makes were full-table scans: the duplicates pointing at a
-- document (documents.duplicate_of) and the inputs that gave a document (sources.doc_id). At 50,000
-- documents they cost about 0.12 s per grade computation, so an actor page (events, relations and
-- claims, each graded) spent most of its time in them. The doc_id index also serves the foreign key's
-- ON DELETE CASCADE when a document is re-extracted or deleted.
CREATE INDEX IF NOT EXISTS documents_duplicate_of ON documents(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
-- A claim's grade counts the documents carrying the same claim by the same speaker; a speaker not
-- linked to an entity ("Local elders", "Western diplomats") is looked up by its text, which scanned
-- every claim (about 35 ms per speaker at 145,000 claims).
CREATE INDEX IF NOT EXISTS claims_speaker_text ON claims(speaker_text) WHERE speaker_entity_id IS NULL;
